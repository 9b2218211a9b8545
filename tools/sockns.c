// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sockns: where a process's sockets are, and who owns a namespace (see
 * sockns.h for why pidfd_getfd and SIOCGSKNS).
 */
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/nsfs.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "netns.h"
#include "proc.h"
#include "sockns.h"

void sockns_free(struct sockns_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		close(l->items[i].fd);
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

/* Adds namespace @nsfd (taken over) unless listed; -1 without memory. */
static int add(struct sockns_list *l, int nsfd, int sockfd)
{
	struct sockns *grown;
	struct stat st;

	if (fstat(nsfd, &st) < 0)
		goto drop;
	for (size_t i = 0; i < l->count; i++)
		if (l->items[i].dev == st.st_dev &&
		    l->items[i].ino == st.st_ino)
			goto drop;
	grown = reallocarray(l->items, l->count + 1, sizeof(*grown));
	if (!grown) {
		close(nsfd);
		return -1;
	}
	l->items = grown;
	grown[l->count++] = (struct sockns){st.st_dev, st.st_ino, nsfd, sockfd};
	return 0;
drop:
	close(nsfd);
	return 0;
}

/*
 * Whether descriptor @name of the process (under @dir) is a socket: 1 and
 * its inode in *@ino, 0 when not (or closed meanwhile), -1 on error.
 */
static int is_socket(int dir, const char *name, unsigned long *ino)
{
	char link[64];
	ssize_t n = readlinkat(dir, name, link, sizeof(link) - 1);

	if (n < 0)
		return errno == ENOENT ? 0 : -1; /* closed meanwhile */
	link[n] = '\0';
	return sscanf(link, "socket:[%lu]", ino) == 1;
}

/* The real uid of @pid and its parent's PID. */
static int owner_and_parent(pid_t pid, uid_t *owner, pid_t *ppid)
{
	struct proc_stat st;

	if (proc_read_stat(pid, &st) < 0 || proc_read_uid(pid, owner) < 0)
		return -1;
	*ppid = st.ppid;
	return 0;
}

/*
 * The sockets of @pid's parent when another user owns it (sshd's monitor,
 * whose unprivileged child inherits the connection): a sorted array of
 * inodes in *@inos, or NULL.  Those were opened by whoever opened the
 * session, in the host's namespace on purpose.
 */
static void parent_sockets(pid_t pid, unsigned long **inos, size_t *n)
{
	uid_t owner, parent_owner;
	pid_t ppid, dummy;
	char path[64];
	struct dirent *e;
	DIR *dir;

	*inos = NULL;
	*n = 0;
	if (owner_and_parent(pid, &owner, &ppid) < 0 || ppid <= 1 ||
	    owner_and_parent(ppid, &parent_owner, &dummy) < 0 ||
	    parent_owner == owner)
		return;
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)ppid);
	dir = opendir(path);
	while (dir && (e = readdir(dir))) {
		unsigned long ino, *grown;

		if (is_socket(dirfd(dir), e->d_name, &ino) <= 0)
			continue;
		grown = reallocarray(*inos, *n + 1, sizeof(*grown));
		if (!grown)
			break; /* then fewer are excused: stricter, not looser
				*/
		*inos = grown;
		grown[(*n)++] = ino;
	}
	if (dir)
		closedir(dir);
}

static bool listed(const unsigned long *inos, size_t n, unsigned long ino)
{
	for (size_t i = 0; i < n; i++)
		if (inos[i] == ino)
			return true;
	return false;
}

/* The namespace of the process's socket @sockfd into @l; -1 on error. */
static int probe(int pidfd, int sockfd, struct sockns_list *l)
{
	int fd = (int)syscall(SYS_pidfd_getfd, pidfd, sockfd, 0), nsfd;

	if (fd < 0)
		return errno == EBADF ? 0 : -1; /* closed meanwhile */
	nsfd = ioctl(fd, SIOCGSKNS);
	close(fd);
	if (nsfd < 0)
		return -1;
	return add(l, nsfd, sockfd);
}

int sockns_read(pid_t pid, struct sockns_list *l)
{
	int pidfd = -1, ret = 0, saved;
	unsigned long *inherited;
	size_t ninherited;
	char path[64];
	struct dirent *e;
	DIR *dir;

	memset(l, 0, sizeof(*l));
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	dir = opendir(path);
	if (!dir) {
		if (errno == ENOENT)
			errno = ESRCH;
		return -1;
	}
	parent_sockets(pid, &inherited, &ninherited);
	while (ret == 0 && (e = readdir(dir))) {
		unsigned long ino;
		char *end;
		long n = strtol(e->d_name, &end, 10);
		int sock;

		if (*end || n < 0 || end == e->d_name)
			continue;
		sock = is_socket(dirfd(dir), e->d_name, &ino);
		if (sock <= 0) {
			ret = sock;
			continue;
		}
		if (listed(inherited, ninherited, ino))
			continue;
		/* Opened only for a process with sockets: most have none. */
		if (pidfd < 0)
			pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (pidfd < 0 || probe(pidfd, (int)n, l) < 0)
			ret = -1;
	}
	saved = errno;
	free(inherited);
	closedir(dir);
	if (pidfd >= 0)
		close(pidfd);
	if (ret < 0) {
		sockns_free(l);
		errno = saved;
	}
	return ret;
}

/* The initial user namespace: kthreadd's (root only). */
static int initial_userns(struct stat *st)
{
	dev_t dev;
	ino_t ino;

	/* netns_initial_identity checks that PID 2 is kthreadd. */
	if (netns_initial_identity(&dev, &ino) < 0)
		return -1;
	return stat("/proc/2/ns/user", st);
}

/*
 * Without privilege: whether @owner is our own user namespace and that is
 * the initial one (its uid_map maps every id to itself, which only the
 * initial namespace's does unless root made a copy of it on purpose).
 */
static int own_and_initial(int owner)
{
	char map[128] = "";
	unsigned long a, b, n;
	struct stat st, self;
	FILE *f;

	if (fstat(owner, &st) < 0 || stat("/proc/self/ns/user", &self) < 0)
		return -1;
	if (st.st_dev != self.st_dev || st.st_ino != self.st_ino) {
		errno = EPERM;
		return -1;
	}
	f = fopen("/proc/self/uid_map", "re");
	if (!f)
		return -1;
	if (!fgets(map, sizeof(map), f))
		map[0] = '\0';
	fclose(f);
	return sscanf(map, "%lu %lu %lu", &a, &b, &n) == 3 && a == 0 &&
	       b == 0 && n == 4294967295UL;
}

int sockns_owner_initial(int nsfd)
{
	int owner = ioctl(nsfd, NS_GET_USERNS), parent, ret, saved;
	struct stat st, init;

	if (owner < 0)
		return -1;
	if (initial_userns(&init) == 0) {
		ret = fstat(owner, &st) < 0 ? -1
					    : st.st_dev == init.st_dev &&
						  st.st_ino == init.st_ino;
	} else {
		/* Only the initial user namespace has no parent. */
		parent = ioctl(owner, NS_GET_PARENT);
		if (parent >= 0)
			close(parent);
		ret = parent >= 0 ? 0 : own_and_initial(owner);
	}
	saved = errno;
	close(owner);
	errno = saved;
	return ret;
}
