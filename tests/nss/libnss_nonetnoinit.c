// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libnss_nonetnoinit: a glibc NSS module for the tests that answers group
 * lookups by name and gid from /etc/group (as a cache such as nscd or sssd
 * still does while the directory is down) but fails the membership lookup,
 * initgroups_dyn, with NSS_STATUS_UNAVAIL and ENOENT, as nss-pam-ldapd does
 * when nslcd cannot be reached.  glibc's getgrouplist() hides that failure
 * (nss/initgroups.c): it returns the primary group alone.  tests/t-policy.sh
 * puts it behind "group: nonetnoinit" inside a private mount namespace.
 * Never installed.
 */
#include <errno.h>
#include <grp.h>
#include <nss.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#define NSS_EXPORT __attribute__((visibility("default")))

NSS_EXPORT enum nss_status _nss_nonetnoinit_getgrnam_r(const char *name,
						      struct group *res,
						      char *buf, size_t buflen,
						      int *errnop);
NSS_EXPORT enum nss_status _nss_nonetnoinit_getgrgid_r(gid_t gid,
						      struct group *res,
						      char *buf, size_t buflen,
						      int *errnop);
NSS_EXPORT enum nss_status _nss_nonetnoinit_initgroups_dyn(
	const char *user, gid_t group, long int *start, long int *size,
	gid_t **groupsp, long int limit, int *errnop);

/* The first entry of /etc/group that @match accepts. */
static enum nss_status find(bool (*match)(const struct group *, const void *),
			    const void *key, struct group *res, char *buf,
			    size_t buflen, int *errnop)
{
	FILE *f = fopen("/etc/group", "re");
	enum nss_status status = NSS_STATUS_NOTFOUND;
	struct group *g;
	int err;

	if (!f) {
		*errnop = errno;
		return NSS_STATUS_UNAVAIL;
	}
	while ((err = fgetgrent_r(f, res, buf, buflen, &g)) == 0) {
		if (match(g, key)) {
			status = NSS_STATUS_SUCCESS;
			break;
		}
	}
	if (err == ERANGE) {
		*errnop = ERANGE;
		status = NSS_STATUS_TRYAGAIN;
	}
	fclose(f);
	return status;
}

static bool by_name(const struct group *g, const void *key)
{
	return strcmp(g->gr_name, key) == 0;
}

static bool by_gid(const struct group *g, const void *key)
{
	return g->gr_gid == *(const gid_t *)key;
}

enum nss_status _nss_nonetnoinit_getgrnam_r(const char *name,
					    struct group *res, char *buf,
					    size_t buflen, int *errnop)
{
	return find(by_name, name, res, buf, buflen, errnop);
}

enum nss_status _nss_nonetnoinit_getgrgid_r(gid_t gid, struct group *res,
					    char *buf, size_t buflen,
					    int *errnop)
{
	return find(by_gid, &gid, res, buf, buflen, errnop);
}

enum nss_status _nss_nonetnoinit_initgroups_dyn(const char *user,
						gid_t group, long int *start,
						long int *size, gid_t **groupsp,
						long int limit, int *errnop)
{
	(void)user;
	(void)group;
	(void)start;
	(void)size;
	(void)groupsp;
	(void)limit;
	*errnop = ENOENT;
	return NSS_STATUS_UNAVAIL;
}
