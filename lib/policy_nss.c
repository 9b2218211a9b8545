// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * policy_nss: group lookups for the matcher through NSS.
 *
 * getgrouplist() cannot report a failing backend: glibc's
 * internal_getgrouplist (nss/initgroups.c) returns the count gathered so
 * far whatever the status of each initgroups_dyn call, and getgrouplist
 * returns -1 only for a buffer too small.  So the matcher decides from
 * getgrnam_r (whose failures are returned) and uses this list only to add
 * members that the group's member list does not name (see policy_match.c).
 */
#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy.h"

static int nss_user_groups(void *ctx, const char *user, gid_t gid,
			   gid_t **groups, size_t *count)
{
	int n = 32;

	(void)ctx;
	for (;;) {
		gid_t *list = reallocarray(NULL, (size_t)n, sizeof(*list));
		int want = n;

		if (!list)
			return -1;
		if (getgrouplist(user, gid, list, &want) >= 0) {
			*groups = list;
			*count = (size_t)want;
			return 0;
		}
		free(list);
		/* -1 means a short buffer: want now holds the real count. */
		if (want <= n || want > 65536) {
			errno = EIO;
			return -1;
		}
		n = want;
	}
}

/* Does the NULL-terminated member list @mem name @user? */
static bool lists(char *const *mem, const char *user)
{
	for (; mem && *mem; mem++) {
		if (strcmp(*mem, user) == 0)
			return true;
	}
	return false;
}

/*
 * glibc's getgrnam_r returns 0 with a NULL result only when every backend
 * said NSS_STATUS_NOTFOUND: that alone is "no such group".  Any other
 * return is the failing backend's errno, whatever it is: nss-pam-ldapd
 * with nslcd unreachable says NSS_STATUS_UNAVAIL with ENOENT, which must
 * not be read as "not found" (nss/getXXbyYY_r.c, nss/common.h there).
 */
static int nss_group_info(void *ctx, const char *name, const char *user,
			  struct policy_group_info *info)
{
	long max = sysconf(_SC_GETGR_R_SIZE_MAX);
	size_t size = max > 0 ? (size_t)max : 4096;
	struct group grp, *found = NULL;
	char *buf = NULL;
	int err;

	(void)ctx;
	do {
		char *bigger = realloc(buf, size);

		if (!bigger) {
			free(buf);
			return -1;
		}
		buf = bigger;
		err = getgrnam_r(name, &grp, buf, size, &found);
		size *= 2;
	} while (err == ERANGE && size <= 1 << 22);
	info->exists = !err && found;
	if (info->exists) {
		info->gid = found->gr_gid;
		info->lists_user = lists(found->gr_mem, user);
	}
	free(buf);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

const struct policy_lookup policy_nss_lookup = {
    .user_groups = nss_user_groups,
    .group_info = nss_group_info,
    .ctx = NULL,
};
