// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * policy_nss: group lookups for the matcher through NSS.
 */
#include <errno.h>
#include <grp.h>
#include <stdlib.h>
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
		/* want now holds the real count; grow once more to be sure. */
		if (want <= n || want > 65536) {
			errno = EIO;
			return -1;
		}
		n = want;
	}
}

static int nss_group_gid(void *ctx, const char *name, gid_t *gid,
			 bool *exists)
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
	free(buf);
	/* "Not found" comes back as 0 (or ENOENT from some backends). */
	if (err && err != ENOENT) {
		errno = err;
		return -1;
	}
	*exists = found != NULL;
	if (found)
		*gid = found->gr_gid;
	return 0;
}

const struct policy_lookup policy_nss_lookup = {
	.user_groups = nss_user_groups,
	.group_gid = nss_group_gid,
	.ctx = NULL,
};
