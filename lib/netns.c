// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netns: create the session's network namespace and tell namespaces apart.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/capability.h>
#include <sys/stat.h>

#include "netns.h"

int netns_have_cap(int cap, bool *has)
{
	cap_flag_value_t value = CAP_CLEAR;
	cap_t caps = cap_get_proc();
	int ret;

	if (!caps)
		return -1;
	ret = cap_get_flag(caps, (cap_value_t)cap, CAP_EFFECTIVE, &value);
	cap_free(caps);
	if (ret < 0)
		return -1;
	*has = value == CAP_SET;
	return 0;
}

int netns_cap_possible(int cap, bool *possible)
{
	int ret = cap_get_bound((cap_value_t)cap);

	if (ret < 0)
		return -1;
	*possible = ret == 1;
	return 0;
}

int netns_unshare(void)
{
	return unshare(CLONE_NEWNET);
}

int netns_ipv6_present(bool *present)
{
	if (access("/proc/sys/net/ipv6", F_OK) == 0) {
		*present = true;
		return 0;
	}
	if (errno != ENOENT)
		return -1;
	*present = false;
	return 0;
}

/* Writes a short value to a /proc/sys file. */
static int write_sysctl(const char *path, const char *value)
{
	size_t len = strlen(value);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, value, len);
	if (close(fd) < 0 && n >= 0)
		return -1;
	if (n < 0)
		return -1;
	if ((size_t)n != len) {
		errno = EIO;
		return -1;
	}
	return 0;
}

int netns_set_ipv6(bool enable)
{
	static const char *const paths[] = {
	    "/proc/sys/net/ipv6/conf/all/disable_ipv6",
	    "/proc/sys/net/ipv6/conf/default/disable_ipv6",
	    "/proc/sys/net/ipv6/conf/lo/disable_ipv6",
	};

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		if (write_sysctl(paths[i], enable ? "0\n" : "1\n") < 0)
			return -1;
	}
	return 0;
}

int netns_enable_link_ipv6(const char *ifname)
{
	char path[96];

	if (!*ifname || strchr(ifname, '/') || strlen(ifname) >= IF_NAMESIZE) {
		errno = EINVAL;
		return -1;
	}
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6",
		 ifname);
	return write_sysctl(path, "0\n");
}

int netns_self_inode(ino_t *ino)
{
	struct stat st;

	if (stat("/proc/thread-self/ns/net", &st) < 0)
		return -1;
	*ino = st.st_ino;
	return 0;
}

/*
 * PID 2 is kthreadd, a kernel thread of the initial namespaces, unless we
 * are in a PID namespace (a container), where PID 2 is anybody.
 */
static bool pid2_is_kthreadd(void)
{
	char buf[64] = "";
	FILE *f = fopen("/proc/2/stat", "re");
	bool yes;

	if (!f)
		return false;
	yes = fgets(buf, sizeof(buf), f) &&
	      strncmp(buf, "2 (kthreadd) ", 13) == 0;
	fclose(f);
	return yes;
}

int netns_initial_identity(dev_t *dev, ino_t *ino)
{
	struct stat host;

	if (!pid2_is_kthreadd()) {
		errno = ESRCH;
		return -1;
	}
	if (stat("/proc/2/ns/net", &host) < 0)
		return -1;
	*dev = host.st_dev;
	*ino = host.st_ino;
	return 0;
}

/* 1: same, 0: different, -1: cannot tell (errno). */
static int same_as_kthreadd(void)
{
	struct stat self;
	dev_t dev;
	ino_t ino;

	if (netns_initial_identity(&dev, &ino) < 0 ||
	    stat("/proc/thread-self/ns/net", &self) < 0)
		return -1;
	return self.st_dev == dev && self.st_ino == ino;
}

/*
 * Without privilege: net.core.netdev_max_backlog (and most of net.core) is
 * registered only in the initial namespace; /proc/sys/net shows the reading
 * thread's namespace.
 */
static int initial_by_sysctl(bool *initial)
{
	if (access("/proc/sys/net/core", F_OK) < 0)
		return -1;
	if (access("/proc/sys/net/core/netdev_max_backlog", F_OK) == 0) {
		*initial = true;
		return 0;
	}
	if (errno != ENOENT)
		return -1;
	*initial = false;
	return 0;
}

int netns_is_initial(bool *initial, const char **method)
{
	int same = same_as_kthreadd();

	if (same >= 0) {
		*initial = same;
		if (method)
			*method = "compared with kthreadd (PID 2)";
		return 0;
	}
	if (method)
		*method = "net.core sysctls of the initial namespace";
	return initial_by_sysctl(initial);
}
