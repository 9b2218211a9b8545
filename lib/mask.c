// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mask: a network namespace does not scope pathname UNIX sockets.  A
 * daemon in the host's namespace that resolves a name or opens a
 * connection when asked over one (nscd, systemd-resolved's varlink API)
 * would carry a session's query names out.  In the session's own mount
 * namespace such a socket is covered by an inert object: connect() fails
 * at once, and glibc falls back to its own resolver, which has only lo.
 *
 * The defaults cover the daemons' directories, not their sockets: a
 * daemon that restarts unlinks its socket and binds a new one, and the
 * kernel detaches every mount on an unlinked file in every namespace, so
 * a cover on the socket would go with the old one and the new socket
 * would be reachable.  A directory outlives the restart (Debian's nscd
 * has it from tmpfiles.d, systemd-resolved keeps it with
 * RuntimeDirectoryPreserve=yes); what the daemon binds later lands in the
 * host's directory, under the cover.  The cover of a directory is an
 * empty read-only tmpfs into which its regular files at the session's
 * start are bound back (nscd.pid, resolved's resolv.conf and
 * stub-resolv.conf, to which /etc/resolv.conf often links, and join='s
 * /etc/netns/NAME/resolv.conf when it was bound there): the resolver
 * configuration inside stays what it was, and only the sockets (and
 * anything else that is not a regular file) are gone.
 *
 * A file or socket named in mask= is covered by a read-only, nodev bind
 * of /dev/null: connect(2) to a path that is not a socket fails with
 * ECONNREFUSED without waiting, the node cannot be opened through a nodev
 * mount, and /dev/null exists everywhere a PAM stack runs.  The mask
 * covers the object's inode at its canonical path, so every spelling
 * that leads there (/var/run -> /run) is covered too.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "mask.h"
#include "mountns.h"

const char *const mask_default_paths[] = {
    "/run/nscd",
    "/var/run/nscd",
    "/run/systemd/resolve",
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

/* The names of the regular files of a directory, before it is covered. */
struct kept {
	char (*names)[256];
	size_t count;
};

static int kept_add(struct kept *k, const char *name)
{
	void *names;

	names = reallocarray(k->names, k->count + 1, sizeof(*k->names));
	if (!names)
		return -1;
	k->names = names;
	snprintf(k->names[k->count++], sizeof(*k->names), "%s", name);
	return 0;
}

/* The regular files in @path (not sockets, links, dirs) into @k. */
static int keep_files(const char *path, struct kept *k)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int ret = 0;

	if (!d)
		return -1;
	while (ret == 0 && (errno = 0, e = readdir(d))) {
		struct stat st;

		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) <
		    0) {
			/* ENOENT: removed meanwhile, nothing to keep. */
			ret = errno == ENOENT ? 0 : -1;
			continue;
		}
		if (S_ISREG(st.st_mode))
			ret = kept_add(k, e->d_name);
	}
	if (ret == 0 && errno)
		ret = -1;
	closedir(d);
	return ret;
}

/*
 * Binds each kept file, reached through @old (the covered directory,
 * opened before the cover: the top mount at each name, join's bind when
 * it made one), onto an empty file of its name in the cover at @path.
 * Plain mount(2) through /proc/thread-self/fd (this thread's mounts, in a
 * threaded caller too), not open_tree(2): valgrind 3.19 does not know it.
 */
static int put_back(const char *path, int old, const struct kept *k)
{
	char src[64 + sizeof(*k->names)], dst[PATH_MAX];

	for (size_t i = 0; i < k->count; i++) {
		int fd;

		snprintf(src, sizeof(src), "/proc/thread-self/fd/%d/%s", old,
			 k->names[i]);
		if (snprintf(dst, sizeof(dst), "%s/%s", path, k->names[i]) >=
		    (int)sizeof(dst)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
		if (fd < 0 || close(fd) < 0 ||
		    mount(src, dst, "none", MS_BIND, NULL) < 0)
			return -1;
	}
	return 0;
}

/* An empty tmpfs over the directory @path, its regular files bound back. */
static int cover_dir(const char *path, enum mask_step *step)
{
	struct kept k = {0};
	int old = -1, ret = -1, saved;

	*step = MASK_KEEP;
	if (keep_files(path, &k) < 0 ||
	    (old = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		goto out;
	*step = MASK_COVER;
	if (mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "size=4k,mode=0555") < 0)
		goto out;
	*step = MASK_KEEP;
	ret = put_back(path, old, &k);
out:
	saved = errno;
	if (old >= 0)
		close(old);
	free(k.names);
	errno = saved;
	return ret;
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
	if (dir && cover_dir(canonical, step) < 0)
		return -1;
	*step = MASK_COVER;
	if (!dir && mount("/dev/null", canonical, "none", MS_BIND, NULL) < 0)
		return -1;
	*step = MASK_SEAL;
	return mount("none", canonical, "none",
		     MS_BIND | MS_REMOUNT | SEAL_FLAGS, NULL);
}
