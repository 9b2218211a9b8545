/* SPDX-License-Identifier: GPL-2.0-or-later */
/* harden: the hardening options for the session's process. */
#ifndef NONET_HARDEN_H
#define NONET_HARDEN_H

#include <security/pam_modules.h>

#include "who.h"

/*
 * The hardening options POLICY_OPT_NONEWPRIVS and _LOCKDOWN for the
 * calling process, after its network namespace and mounts are set.
 * Returns 0, or -1 after logging the step that failed.
 */
int harden_session(pam_handle_t *pamh, const struct who *who,
		   unsigned int options);

#endif
