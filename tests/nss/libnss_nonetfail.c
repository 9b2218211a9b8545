// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libnss_nonetfail: a glibc NSS module for the tests whose group lookups
 * always fail as an unreachable directory would (NSS_STATUS_UNAVAIL with
 * EIO), never "not found".  tests/t-policy.sh puts it behind
 * "group: nonetfail" in an nsswitch.conf bind-mounted inside a private
 * mount namespace, with LD_LIBRARY_PATH naming its directory.  Never
 * installed.
 */
#include <errno.h>
#include <grp.h>
#include <nss.h>
#include <stddef.h>
#include <sys/types.h>

#define NSS_EXPORT __attribute__((visibility("default")))

NSS_EXPORT enum nss_status _nss_nonetfail_getgrnam_r(const char *name,
						    struct group *res,
						    char *buf, size_t buflen,
						    int *errnop);
NSS_EXPORT enum nss_status _nss_nonetfail_getgrgid_r(gid_t gid,
						    struct group *res,
						    char *buf, size_t buflen,
						    int *errnop);
NSS_EXPORT enum nss_status _nss_nonetfail_initgroups_dyn(
	const char *user, gid_t group, long int *start, long int *size,
	gid_t **groupsp, long int limit, int *errnop);
NSS_EXPORT enum nss_status _nss_nonetfail_setgrent(int stayopen);
NSS_EXPORT enum nss_status _nss_nonetfail_endgrent(void);
NSS_EXPORT enum nss_status _nss_nonetfail_getgrent_r(struct group *res,
						    char *buf, size_t buflen,
						    int *errnop);

static enum nss_status unavailable(int *errnop)
{
	*errnop = EIO;
	return NSS_STATUS_UNAVAIL;
}

enum nss_status _nss_nonetfail_getgrnam_r(const char *name, struct group *res,
					  char *buf, size_t buflen, int *errnop)
{
	(void)name;
	(void)res;
	(void)buf;
	(void)buflen;
	return unavailable(errnop);
}

enum nss_status _nss_nonetfail_getgrgid_r(gid_t gid, struct group *res,
					  char *buf, size_t buflen, int *errnop)
{
	(void)gid;
	(void)res;
	(void)buf;
	(void)buflen;
	return unavailable(errnop);
}

enum nss_status _nss_nonetfail_initgroups_dyn(const char *user, gid_t group,
					      long int *start, long int *size,
					      gid_t **groupsp, long int limit,
					      int *errnop)
{
	(void)user;
	(void)group;
	(void)start;
	(void)size;
	(void)groupsp;
	(void)limit;
	return unavailable(errnop);
}

/* Enumeration fails too, so that nothing falls back to walking the groups. */
enum nss_status _nss_nonetfail_setgrent(int stayopen)
{
	(void)stayopen;
	errno = EIO;
	return NSS_STATUS_UNAVAIL;
}

enum nss_status _nss_nonetfail_endgrent(void)
{
	return NSS_STATUS_SUCCESS;
}

enum nss_status _nss_nonetfail_getgrent_r(struct group *res, char *buf,
					  size_t buflen, int *errnop)
{
	(void)res;
	(void)buf;
	(void)buflen;
	return unavailable(errnop);
}
