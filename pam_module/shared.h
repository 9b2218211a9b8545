/* SPDX-License-Identifier: GPL-2.0-or-later */
/* shared: the user's shared namespace, counted under the user's lock. */
#ifndef NONET_SHARED_H
#define NONET_SHARED_H

#include <stdbool.h>
#include <security/pam_modules.h>

#include "isolate.h"
#include "who.h"

/*
 * The user's shared namespace, nonet-@user under /run/netns: joined if it
 * exists and is isolated, else made and pinned, all under the user's lock;
 * the session is counted and remembered in the PAM handle for
 * isolate_shared_close().
 */
int isolate_shared(pam_handle_t *pamh, const struct who *who, const char *user,
		   bool ipv6, struct isolated *how);

/*
 * At close: uncounts a session isolate_shared() counted, and removes the
 * pin when it was the last and no process is left in the namespace.
 */
void isolate_shared_close(pam_handle_t *pamh);

#endif
