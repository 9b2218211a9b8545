// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * session_mounts: the session's one private mount namespace, and all that
 * is mounted in it: join's /etc/netns/NAME files, the masks over host
 * daemons' sockets, a fresh /sys (sysfs), a fresh /proc (hidepid).  One
 * unshare(CLONE_NEWNS) per session, whatever asks for it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <security/pam_ext.h>

#include "join.h"
#include "session_mounts.h"
#include "mask.h"
#include "mountns.h"
#include "policy.h"
#include "text.h"

/* The canonical paths masked so far: /var/run/x and /run/x are one. */
struct masked {
	char **paths;
	size_t n, size;
};

static bool already_masked(const struct masked *done, const char *path)
{
	for (size_t i = 0; i < done->n; i++) {
		if (strcmp(done->paths[i], path) == 0)
			return true;
	}
	return false;
}

/* Masks @path unless nothing is there; logs what failed. */
static int mask_one(pam_handle_t *pamh, const struct who *who, const char *path,
		    struct masked *done)
{
	static const char *const what[] = {
	    [MASK_STAT] = "look at",
	    [MASK_SLAVE] = "make the mount under",
	    [MASK_COVER] = "cover",
	    [MASK_SEAL] = "make read-only the cover of",
	};
	char shown[TEXT_FIELD_MAX];
	enum mask_step step;
	char *canonical;

	text_escape(shown, sizeof(shown), path);
	if (mask_resolve(path, &canonical) < 0) {
		pam_syslog(pamh, LOG_ERR, "mask: cannot resolve %s for %s: %m",
			   shown, who->log);
		return -1;
	}
	if (!canonical || already_masked(done, canonical)) {
		free(canonical);
		return 0;
	}
	if (mask_cover(canonical, &step) < 0) {
		int saved = errno;

		text_escape(shown, sizeof(shown), canonical);
		errno = saved;
		pam_syslog(pamh, LOG_ERR, "mask: cannot %s %s%s for %s: %m",
			   what[step], shown,
			   step == MASK_SLAVE ? " a slave" : "", who->log);
		free(canonical);
		return -1;
	}
	if (done->n < done->size)
		done->paths[done->n++] = canonical;
	else
		free(canonical);
	return 0;
}

/* Each element of the comma-separated @list (the module argument). */
static int mask_list(pam_handle_t *pamh, const struct who *who,
		     const char *list, struct masked *done)
{
	while (list && *list) {
		const char *end = strchrnul(list, ',');
		char *path = strndup(list, (size_t)(end - list));
		int ret;

		if (!path) {
			pam_syslog(pamh, LOG_ERR, "mask: out of memory for %s",
				   who->log);
			return -1;
		}
		ret = mask_one(pamh, who, path, done);
		free(path);
		if (ret < 0)
			return -1;
		list = *end ? end + 1 : end;
	}
	return 0;
}

static size_t count_masks(const struct mount_plan *plan)
{
	size_t n = plan->nrule_masks + 1;

	for (size_t i = 0; mask_default_paths[i]; i++)
		n++;
	for (const char *c = plan->arg_masks; c && *c; c++)
		n += *c == ',';
	return n;
}

static int mask_all(pam_handle_t *pamh, const struct who *who,
		    const struct mount_plan *plan)
{
	struct masked done = {.size = count_masks(plan)};
	int ret = -1;

	done.paths = calloc(done.size, sizeof(*done.paths));
	if (!done.paths) {
		pam_syslog(pamh, LOG_ERR, "mask: out of memory for %s",
			   who->log);
		return -1;
	}
	for (size_t i = 0;
	     !(plan->options & POLICY_OPT_NOMASK) && mask_default_paths[i];
	     i++) {
		if (mask_one(pamh, who, mask_default_paths[i], &done) < 0)
			goto out;
	}
	for (size_t i = 0; i < plan->nrule_masks; i++) {
		if (mask_one(pamh, who, plan->rule_masks[i], &done) < 0)
			goto out;
	}
	ret = mask_list(pamh, who, plan->arg_masks, &done);
out:
	for (size_t i = 0; i < done.n; i++)
		free(done.paths[i]);
	free(done.paths);
	return ret;
}

static bool wants_mounts(const struct mount_plan *plan)
{
	return plan->join_name || plan->nrule_masks || plan->arg_masks ||
	       (plan->options & (POLICY_OPT_SYSFS | POLICY_OPT_HIDEPID)) ||
	       !(plan->options & POLICY_OPT_NOMASK);
}

int session_mounts(pam_handle_t *pamh, const struct who *who,
		   const struct mount_plan *plan)
{
	if (!wants_mounts(plan))
		return 0;
	if (mountns_unshare() < 0) {
		pam_syslog(pamh, LOG_ERR,
			   "cannot make a private mount "
			   "namespace for %s: %m",
			   who->log);
		return -1;
	}
	if (plan->join_name && join_etc_netns(pamh, plan->join_name) < 0)
		return -1;
	if (mask_all(pamh, who, plan) < 0)
		return -1;
	if ((plan->options & POLICY_OPT_SYSFS) && mountns_fresh_sysfs() < 0) {
		pam_syslog(pamh, LOG_ERR,
			   "sysfs: cannot mount a fresh /sys "
			   "for %s: %m",
			   who->log);
		return -1;
	}
	if ((plan->options & POLICY_OPT_HIDEPID) && mountns_fresh_proc() < 0) {
		pam_syslog(pamh, LOG_ERR,
			   "hidepid: cannot mount a fresh /proc "
			   "for %s: %m",
			   who->log);
		return -1;
	}
	return 0;
}
