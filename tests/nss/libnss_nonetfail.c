// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libnss_nonetfail: a glibc NSS module for the tests whose group lookups
 * always fail as nss-pam-ldapd's do when nslcd (or its LDAP server) cannot
 * be reached: NSS_STATUS_UNAVAIL with errno ENOENT (its ERROR_OUT_OPENERROR
 * and ERROR_OUT_READERROR in nss/common.h), never "not found".  glibc's
 * getgrnam_r then returns ENOENT, which is not "no such group" (that is 0
 * with a NULL result).  tests/t-policy.sh puts it behind "group: nonetfail"
 * (or "group: files nonetfail") in an nsswitch.conf bind-mounted inside a
 * private mount namespace, with LD_LIBRARY_PATH naming its directory.
 *
 * If NONET_T_NSS_LOG names a file, each call appends "FUNCTION KEY" to it,
 * so that a test can see which lookups were made.  Never installed.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <nss.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
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
	*errnop = ENOENT;
	return NSS_STATUS_UNAVAIL;
}

/* One line "FUNCTION KEY" to $NONET_T_NSS_LOG, if set. */
static void note(const char *function, const char *key)
{
	const char *path = getenv("NONET_T_NSS_LOG");
	char line[512];
	int fd, len;

	if (!path || !*path)
		return;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	len = snprintf(line, sizeof(line), "%s %s\n", function, key);
	if (len > 0 && write(fd, line, (size_t)len) < 0)
		len = -1;
	close(fd);
}

enum nss_status _nss_nonetfail_getgrnam_r(const char *name, struct group *res,
					  char *buf, size_t buflen, int *errnop)
{
	note("getgrnam_r", name);
	(void)res;
	(void)buf;
	(void)buflen;
	return unavailable(errnop);
}

enum nss_status _nss_nonetfail_getgrgid_r(gid_t gid, struct group *res,
					  char *buf, size_t buflen, int *errnop)
{
	char key[32];

	snprintf(key, sizeof(key), "%u", (unsigned int)gid);
	note("getgrgid_r", key);
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
	note("initgroups_dyn", user);
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
	errno = ENOENT;
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
