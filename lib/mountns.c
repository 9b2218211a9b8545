// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mountns: a private mount namespace for the session with a fresh sysfs
 * (so /sys/class/net lists only the session's links) and a fresh procfs
 * with hidepid=invisible (so other users' /proc/PID/net cannot be read).
 *
 * Only the covered mount points are made slaves: everything else keeps the
 * host's propagation, so a pin removed under /run/netns at close still
 * goes away on the host, and the new sysfs and procfs never propagate out.
 * The submounts of the covered tree (cgroup2 under /sys/fs/cgroup, ...)
 * are cloned before it is covered and moved back on top.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "mountns.h"

/* A mount on top of the covered tree, to be put back on the new one. */
struct submount {
	char *path;
	int parent; /* the mount id it sits on */
	int fd;	    /* its clone, or -1 */
};

/* Every submount there is: mountinfo has no limit, nor has this list. */
struct submounts {
	struct submount *items;
	size_t count, cap;
};

static bool is_octal(char c)
{
	return c >= '0' && c <= '7';
}

/* Undoes mountinfo's octal escapes (\040 for a space) in place. */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && is_octal(s[1]) && is_octal(s[2]) &&
		    is_octal(s[3])) {
			unsigned int c = (unsigned int)(s[1] - '0') << 6 |
					 (unsigned int)(s[2] - '0') << 3 |
					 (unsigned int)(s[3] - '0');

			*out++ = (char)c;
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

/* Mount id, parent id and mount point of one mountinfo line. */
static int parse_line(char *line, int *id, int *parent, char **point)
{
	char *save = NULL, *f[5];

	for (int i = 0; i < 5; i++) {
		f[i] = strtok_r(i ? NULL : line, " ", &save);
		if (!f[i])
			return -1;
	}
	*id = atoi(f[0]);
	*parent = atoi(f[1]);
	unescape(f[4]);
	*point = f[4];
	return 0;
}

static int add_submount(struct submounts *l, const char *path, int parent)
{
	char *copy;

	if (l->count == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct submount *grown =
		    reallocarray(l->items, cap, sizeof(*grown));

		if (!grown)
			return -1;
		l->items = grown;
		l->cap = cap;
	}
	copy = strdup(path);
	if (!copy)
		return -1;
	l->items[l->count].path = copy;
	l->items[l->count].parent = parent;
	l->items[l->count].fd = -1;
	l->count++;
	return 0;
}

static void free_submounts(struct submounts *l)
{
	for (size_t i = 0; i < l->count; i++) {
		if (l->items[i].fd >= 0)
			close(l->items[i].fd);
		free(l->items[i].path);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* Is @point below @top (not @top itself)? */
static bool is_below(const char *point, const char *top)
{
	size_t len = strlen(top);

	return strncmp(point, top, len) == 0 && point[len] == '/';
}

/*
 * Every mount below @top in mountinfo, read whole however long its lines
 * (getline); a line that does not parse is an error (EIO), not skipped,
 * so that no mount is lost without a word.  *@top_id is the topmost mount
 * at @top: later lines of mountinfo are newer mounts.
 */
static int read_below(const char *top, struct submounts *l, int *top_id)
{
	FILE *f = fopen("/proc/thread-self/mountinfo", "re");
	char *line = NULL, *point;
	size_t size = 0;
	int id, parent, ret = 0;

	if (!f)
		return -1;
	*top_id = -1;
	while (ret == 0 && getline(&line, &size, f) >= 0) {
		line[strcspn(line, "\n")] = '\0';
		if (parse_line(line, &id, &parent, &point) < 0) {
			errno = EIO;
			ret = -1;
		} else if (strcmp(point, top) == 0) {
			*top_id = id;
		} else if (is_below(point, top)) {
			ret = add_submount(l, point, parent);
		}
	}
	if (ret == 0 && ferror(f)) {
		errno = EIO;
		ret = -1;
	}
	free(line);
	fclose(f);
	return ret;
}

/* The mounts directly on top of the topmost mount at @top, in order. */
static int list_children(const char *top, struct submounts *l)
{
	size_t kept = 0;
	int top_id;

	if (read_below(top, l, &top_id) < 0)
		return -1;
	for (size_t i = 0; i < l->count; i++) {
		if (l->items[i].parent == top_id)
			l->items[kept++] = l->items[i];
		else
			free(l->items[i].path);
	}
	l->count = kept;
	return 0;
}

/* Covers @top with a new @fstype mount, keeping all its submounts. */
static int cover(const char *top, const char *fstype, const char *options)
{
	const unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
	struct submounts subs = {0};
	int ret = -1, saved;

	if (mount(NULL, top, NULL, MS_SLAVE | MS_REC, NULL) < 0 ||
	    list_children(top, &subs) < 0)
		goto out;
	for (size_t i = 0; i < subs.count; i++) {
		subs.items[i].fd = open_tree(AT_FDCWD, subs.items[i].path,
					     OPEN_TREE_CLONE | AT_RECURSIVE |
						 OPEN_TREE_CLOEXEC);
		if (subs.items[i].fd < 0)
			goto out;
	}
	if (mount(fstype, top, fstype, flags, options) < 0)
		goto out;
	for (size_t i = 0; i < subs.count; i++) {
		if (move_mount(subs.items[i].fd, "", AT_FDCWD,
			       subs.items[i].path, MOVE_MOUNT_F_EMPTY_PATH) < 0)
			goto out;
	}
	ret = 0;
out:
	saved = errno;
	free_submounts(&subs);
	errno = saved;
	return ret;
}

int mountns_unshare(void)
{
	return unshare(CLONE_NEWNS);
}

int mountns_fresh_sysfs(void)
{
	return cover("/sys", "sysfs", NULL);
}

int mountns_fresh_proc(void)
{
	return cover("/proc", "proc", "hidepid=invisible");
}

/* The mount point of the mount with id @want, from mountinfo. */
static int mount_point_of(int want, char *point_out, size_t size)
{
	char line[4096], *point;
	int id, parent, ret = -1;
	FILE *f = fopen("/proc/thread-self/mountinfo", "re");

	if (!f)
		return -1;
	errno = ENOENT;
	while (ret < 0 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (parse_line(line, &id, &parent, &point) < 0 || id != want)
			continue;
		size_t len = strlen(point);

		if (len >= size) {
			errno = ENAMETOOLONG;
			break;
		}
		memcpy(point_out, point, len + 1);
		ret = 0;
	}
	fclose(f);
	return ret;
}

int mountns_slave_mount_of(const char *path)
{
	char point[4096];
	struct statx stx;

	if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &stx) < 0)
		return -1;
	if (!(stx.stx_mask & STATX_MNT_ID)) {
		errno = EOPNOTSUPP;
		return -1;
	}
	if (mount_point_of((int)stx.stx_mnt_id, point, sizeof(point)) < 0)
		return -1;
	return mount("none", point, "none", MS_SLAVE, NULL);
}
