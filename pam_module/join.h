/* SPDX-License-Identifier: GPL-2.0-or-later */
/* join: the admin's named namespace and its /etc/netns/NAME. */
#ifndef NONET_JOIN_H
#define NONET_JOIN_H

#include <security/pam_modules.h>

#include "isolate.h"
#include "who.h"

/*
 * The admin's namespace /run/netns/@name, unchanged (its /etc/netns/@name
 * comes with session_mounts()).
 */
int isolate_join(pam_handle_t *pamh, const struct who *who, const char *name,
		 struct isolated *how);

/*
 * With /etc/netns/@name: makes the calling thread's (already private)
 * mount namespace a slave of the host's and binds its files over /etc's,
 * as `ip netns exec` does.  Returns 0 (also when there is no such
 * directory), or -1 after logging why.
 */
int join_etc_netns(pam_handle_t *pamh, const char *name);

#endif
