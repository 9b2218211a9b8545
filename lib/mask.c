// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mask: a network namespace does not scope pathname UNIX sockets.  A
 * daemon in the host's namespace that resolves a name or opens a
 * connection when asked over one (nscd, systemd-resolved's varlink API)
 * would carry a session's query names out.  In the session's own mount
 * namespace such a socket is covered by an inert object: connect() fails
 * at once, and glibc falls back to its own resolver, which has only lo.
 *
 * Why /dev/null, read-only and nodev: connect(2) to a path that is not a
 * socket fails with ECONNREFUSED without waiting, the node cannot be
 * opened through a nodev mount, and /dev/null exists everywhere a PAM
 * stack runs.  The mask covers the object's inode at its canonical path,
 * so every spelling that leads there (/var/run -> /run) is covered too.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "mask.h"
#include "mountns.h"

const char *const mask_default_paths[] = {
    "/run/nscd/socket",
    "/var/run/nscd/socket",
    "/run/systemd/resolve/io.systemd.Resolve",
    "/run/systemd/resolve/io.systemd.Resolve.Monitor",
    NULL,
};

#define SEAL_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)
/*
 * "none" where the kernel ignores source and type: valgrind reads a NULL
 * type as a string (a false error that would fail its tier).
 */

bool mask_path_clean(const char *path)
{
	const char *c;

	if (path[0] != '/' || path[1] == '\0' || strlen(path) >= 4096)
		return false;
	for (c = path; *c; c++) {
		if (c[0] != '/')
			continue;
		/* c[1] is the start of the next component. */
		if (c[1] == '/' || c[1] == '\0')
			return false;
		if (c[1] == '.' && (c[2] == '/' || c[2] == '\0'))
			return false;
		if (c[1] == '.' && c[2] == '.' && (c[3] == '/' || c[3] == '\0'))
			return false;
	}
	return true;
}

bool mask_list_clean(const char *list)
{
	char path[4096];

	for (const char *p = list;;) {
		const char *end = strchrnul(p, ',');
		size_t len = (size_t)(end - p);

		if (len >= sizeof(path))
			return false;
		memcpy(path, p, len);
		path[len] = '\0';
		if (!mask_path_clean(path))
			return false;
		if (!*end)
			return true;
		p = end + 1;
	}
}

int mask_resolve(const char *path, char **canonical)
{
	*canonical = realpath(path, NULL);
	if (*canonical)
		return 0;
	/* ENOENT: nothing there; ENOTDIR: a component is a file. */
	return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
}

/* /dev/null, checked to be the null device before it is bound anywhere. */
static int check_null(void)
{
	struct stat st;

	if (stat("/dev/null", &st) < 0)
		return -1;
	if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3)) {
		errno = ENODEV;
		return -1;
	}
	return 0;
}

int mask_cover(const char *canonical, enum mask_step *step)
{
	struct stat st;
	bool dir;

	*step = MASK_STAT;
	if (stat(canonical, &st) < 0)
		return -1;
	dir = S_ISDIR(st.st_mode);
	if (!dir && check_null() < 0)
		return -1;
	*step = MASK_SLAVE;
	if (mountns_slave_mount_of(canonical) < 0)
		return -1;
	*step = MASK_COVER;
	if (dir ? mount("tmpfs", canonical, "tmpfs", SEAL_FLAGS,
			"size=4k,mode=0555") < 0
		: mount("/dev/null", canonical, "none", MS_BIND, NULL) < 0)
		return -1;
	*step = MASK_SEAL;
	if (!dir && mount("none", canonical, "none",
			  MS_BIND | MS_REMOUNT | SEAL_FLAGS, NULL) < 0)
		return -1;
	return 0;
}
