// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pin: create, inspect and remove the bind mounts that keep a network
 * namespace alive under a name, and find the processes inside one.
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "pin.h"

int pin_path(char *path, size_t size, const char *name)
{
	if (!*name || strchr(name, '/') ||
	    (size_t)snprintf(path, size, "%s/%s", PIN_DIR, name) >= size) {
		if (size)
			*path = '\0';
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* Is @fd an nsfs file of a network namespace? */
static bool is_netns(int fd)
{
	struct statfs sfs;

	return fstatfs(fd, &sfs) == 0 && sfs.f_type == NSFS_MAGIC &&
	       ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWNET;
}

int pin_open_netns(const char *path, int *fd, const char **why)
{
	int nfd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);

	*why = NULL;
	if (nfd < 0) {
		if (errno == ELOOP) {
			*why = "a symbolic link";
			errno = EINVAL;
		}
		return -1;
	}
	if (!is_netns(nfd)) {
		*why = "not a network namespace";
		close(nfd);
		errno = EINVAL;
		return -1;
	}
	*fd = nfd;
	return 0;
}

/*
 * Is something mounted on @fd?  A bind mount of a file of the same
 * filesystem has the same st_dev: compare mount ids with PIN_DIR's.
 */
static bool is_mount_point(int fd, const char *path)
{
	const char *slash = strrchr(path, '/');
	char parent[PATH_MAX];
	struct statx file, dir;

	if (!slash || (size_t)(slash - path) >= sizeof(parent))
		return true; /* cannot tell: not ours to remove */
	/* The directory the pin is in: "/" for "/x". */
	snprintf(parent, sizeof(parent), "%.*s",
		 slash == path ? 1 : (int)(slash - path), path);
	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &file) < 0 ||
	    statx(AT_FDCWD, parent, 0, STATX_MNT_ID, &dir) < 0 ||
	    !(file.stx_mask & STATX_MNT_ID) || !(dir.stx_mask & STATX_MNT_ID))
		return true; /* cannot tell: not ours to remove */
	return file.stx_mnt_id != dir.stx_mnt_id;
}

/* An empty, root-owned regular file that is not a mount point. */
static bool is_leftover(int fd, const char *path, const struct stat *st)
{
	return S_ISREG(st->st_mode) && st->st_size == 0 && st->st_uid == 0 &&
	       !is_mount_point(fd, path);
}

int pin_inspect(const char *path, enum pin_state *state, int *fd,
		const char **why)
{
	struct stat st;
	int nfd;

	*fd = -1;
	*why = NULL;
	if (lstat(path, &st) < 0) {
		if (errno != ENOENT)
			return -1;
		*state = PIN_ABSENT;
		return 0;
	}
	if (S_ISLNK(st.st_mode)) {
		*state = PIN_FOREIGN;
		*why = "a symbolic link";
		return 0;
	}
	nfd = open(path,
		   O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	if (nfd < 0)
		return -1;
	if (fstat(nfd, &st) < 0) {
		close(nfd);
		return -1;
	}
	if (is_netns(nfd)) {
		*state = PIN_NETNS;
		*fd = nfd;
		return 0;
	}
	*state = is_leftover(nfd, path, &st) ? PIN_LEFTOVER : PIN_FOREIGN;
	if (*state == PIN_FOREIGN)
		*why = st.st_uid != 0 ? "not owned by root"
		       : S_ISREG(st.st_mode) && st.st_size
			   ? "a file with content"
			   : "not a network namespace";
	close(nfd);
	return 0;
}

/*
 * iproute2's netns_add(): make PIN_DIR a shared mount point, binding it
 * onto itself the first time, so that pins propagate to (and can be
 * removed from) every mount namespace.
 */
static int share_pin_dir(void)
{
	bool bound = false;

	if (mkdir(PIN_DIR, 0755) < 0 && errno != EEXIST)
		return -1;
	while (mount("", PIN_DIR, "none", MS_SHARED | MS_REC, NULL) < 0) {
		if (errno != EINVAL || bound)
			return -1;
		if (mount(PIN_DIR, PIN_DIR, "none", MS_BIND | MS_REC, NULL) < 0)
			return -1;
		bound = true;
	}
	return 0;
}

int pin_create(const char *path)
{
	int fd;

	if (share_pin_dir() < 0)
		return -1;
	fd =
	    open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0);
	if (fd < 0)
		return -1;
	close(fd);
	if (mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) <
	    0) {
		int saved = errno;

		unlink(path);
		errno = saved;
		return -1;
	}
	return 0;
}

int pin_remove(const char *path)
{
	if (umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 &&
	    errno != EINVAL && errno != ENOENT)
		return -1;
	if (unlink(path) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

int pin_identity(int fd, dev_t *dev, ino_t *ino)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -1;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}
