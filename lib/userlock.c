// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "paths.h"
#include "userlock.h"

static unsigned int read_count(int fd)
{
	char buf[16] = "";
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	unsigned long count;
	char *end;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	count = strtoul(buf, &end, 10);
	/* A damaged count is taken as 0: the /proc scan decides then. */
	return (end == buf || count > 1000000) ? 0 : (unsigned int)count;
}

int userlock_take(const char *name, int *fd, unsigned int *count)
{
	char path[sizeof(NONET_RUN_DIR) + 256 + 8];
	int lfd;

	if (strchr(name, '/') || strlen(name) > 250) {
		errno = EINVAL;
		return -1;
	}
	if (mkdir(NONET_RUN_DIR, 0700) < 0 && errno != EEXIST)
		return -1;
	snprintf(path, sizeof(path), "%s/%s.lock", NONET_RUN_DIR, name);
	lfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lfd < 0)
		return -1;
	while (flock(lfd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			int saved = errno;

			close(lfd);
			errno = saved;
			return -1;
		}
	}
	*count = read_count(lfd);
	*fd = lfd;
	return 0;
}

int userlock_give(int fd, unsigned int count)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u\n", count);
	int ret = 0;

	if (pwrite(fd, buf, (size_t)len, 0) != len || ftruncate(fd, len) < 0)
		ret = -1;
	if (close(fd) < 0 && ret == 0) /* closing releases the lock */
		ret = -1;
	return ret;
}
