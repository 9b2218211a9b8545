/* SPDX-License-Identifier: GPL-2.0-or-later */
/* session_mounts: the session's private mount namespace. */
#ifndef NONET_SESSION_MOUNTS_H
#define NONET_SESSION_MOUNTS_H

#include <stddef.h>
#include <security/pam_modules.h>

#include "who.h"

/* What the session's private mount namespace holds. */
struct mount_plan {
	unsigned int options;	 /* POLICY_OPT_SYSFS, _HIDEPID, _NOMASK */
	const char *join_name;	 /* join=NAME: its /etc/netns/NAME; or NULL */
	char *const *rule_masks; /* the rule's mask= paths */
	size_t nrule_masks;
	const char *arg_masks; /* the module's mask=PATH,... or NULL */
};

/*
 * One unshare(CLONE_NEWNS) for the calling thread, if @plan needs any
 * mount, then in it: join's /etc/netns/NAME, the masks (the defaults
 * unless POLICY_OPT_NOMASK, the rule's and the module's mask= paths; a
 * path with nothing there is skipped), a fresh /sys and /proc.  Returns 0,
 * or -1 after logging the step that failed.
 */
int session_mounts(pam_handle_t *pamh, const struct who *who,
		   const struct mount_plan *plan);

#endif
