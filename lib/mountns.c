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

#define SUBMOUNTS_MAX 64

struct submount {
	char path[512];
	int fd;
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

/*
 * The mounts directly on top of the topmost mount at @top: those whose
 * parent is that mount.  Later lines of mountinfo are newer mounts.
 */
static int list_children(const char *top, struct submount *subs, size_t *n)
{
	char line[4096], *point;
	int id, parent, top_id = -1;
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int parents[SUBMOUNTS_MAX];
	size_t count = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (parse_line(line, &id, &parent, &point) < 0)
			continue;
		if (strcmp(point, top) == 0) {
			top_id = id; /* the last one stacked there wins */
			continue;
		}
		if (strncmp(point, top, strlen(top)) != 0 ||
		    point[strlen(top)] != '/' || count >= SUBMOUNTS_MAX)
			continue;
		parents[count] = parent;
		snprintf(subs[count].path, sizeof(subs[0].path), "%s", point);
		count++;
	}
	fclose(f);
	*n = 0;
	for (size_t i = 0; i < count; i++) {
		if (parents[i] == top_id)
			subs[(*n)++] = subs[i];
	}
	return 0;
}

static void close_subs(struct submount *subs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (subs[i].fd >= 0)
			close(subs[i].fd);
	}
}

/* Covers @top with a new @fstype mount, keeping its submounts. */
static int cover(const char *top, const char *fstype, const char *options)
{
	struct submount *subs = calloc(SUBMOUNTS_MAX, sizeof(*subs));
	const unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
	size_t n = 0, cloned = 0;
	int ret = -1;

	if (!subs)
		return -1;
	if (mount(NULL, top, NULL, MS_SLAVE | MS_REC, NULL) < 0 ||
	    list_children(top, subs, &n) < 0)
		goto out;
	for (; cloned < n; cloned++) {
		subs[cloned].fd = open_tree(AT_FDCWD, subs[cloned].path,
					    OPEN_TREE_CLONE | AT_RECURSIVE |
						    OPEN_TREE_CLOEXEC);
		if (subs[cloned].fd < 0)
			goto out;
	}
	if (mount(fstype, top, fstype, flags, options) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (move_mount(subs[i].fd, "", AT_FDCWD, subs[i].path,
			       MOVE_MOUNT_F_EMPTY_PATH) < 0)
			goto out;
	}
	ret = 0;
out:
	close_subs(subs, cloned);
	free(subs);
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
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f)
		return -1;
	errno = ENOENT;
	while (ret < 0 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (parse_line(line, &id, &parent, &point) < 0 || id != want)
			continue;
		if (strlen(point) >= size) {
			errno = ENAMETOOLONG;
			break;
		}
		strcpy(point_out, point);
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
