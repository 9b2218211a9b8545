// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nonet-t-suid: tests/t-harden.sh's probe, built by the test into its
 * temporary directory, installed setuid root (or with a file capability)
 * for the length of the test and removed at its end.
 *
 *   nonet-t-suid TOKEN STEP...
 *
 * It does nothing unless TOKEN is the one the test compiled in
 * (-DNONET_T_TOKEN), and nothing for a real uid the test did not allow
 * (-DNONET_T_UIDS="{0,1001,...}").  Each STEP prints one key=value word:
 *   id            ruid=N euid=N
 *   raw           raw=ok|ERRNO       a raw ICMP socket (CAP_NET_RAW)
 *   setns PATH    setns=ok|ERRNO     enter the network namespace at PATH
 *                 (open=ERRNO if it cannot be opened), then netns=INODE
 *   unshare       unshare=ok|ERRNO   a new network namespace
 *   link          link=ok|fail       `ip link add nonet-t-x type veth peer
 *                 name nonet-t-y` in the current network namespace
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#ifndef NONET_T_TOKEN
#error "build with -DNONET_T_TOKEN=\"...\""
#endif
#ifndef NONET_T_UIDS
#error "build with -DNONET_T_UIDS=\"{0,...}\""
#endif

static const char *err(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	default: return strerror(e);
	}
}

static void report(const char *key, int ret)
{
	printf(" %s=%s", key, ret == 0 ? "ok" : err(errno));
}

static void netns_inode(void)
{
	struct stat st;

	if (stat("/proc/thread-self/ns/net", &st) == 0)
		printf(" netns=%lu", (unsigned long)st.st_ino);
	else
		printf(" netns=%s", err(errno));
}

static int add_link(void)
{
	char *const argv[] = { "ip", "link", "add", "nonet-t-x", "type", "veth",
			       "peer", "name", "nonet-t-y", NULL };
	char *const envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execve("/usr/sbin/ip", argv, envp);
		execve("/sbin/ip", argv, envp);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const uid_t allowed[] = NONET_T_UIDS;
	uid_t ruid = getuid();
	size_t i;

	if (argc < 2 || strcmp(argv[1], NONET_T_TOKEN) != 0) {
		fprintf(stderr, "nonet-t-suid: a test helper of nonet; not for use\n");
		return 64;
	}
	for (i = 0; i < sizeof(allowed) / sizeof(*allowed); i++) {
		if (allowed[i] == ruid)
			break;
	}
	if (i == sizeof(allowed) / sizeof(*allowed)) {
		fprintf(stderr, "nonet-t-suid: uid %u not allowed\n", ruid);
		return 64;
	}
	printf("probe");
	for (int a = 2; a < argc; a++) {
		if (strcmp(argv[a], "id") == 0) {
			printf(" ruid=%u euid=%u", ruid, geteuid());
		} else if (strcmp(argv[a], "raw") == 0) {
			int s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

			report("raw", s < 0 ? -1 : 0);
			if (s >= 0)
				close(s);
		} else if (strcmp(argv[a], "setns") == 0 && a + 1 < argc) {
			int fd = open(argv[++a], O_RDONLY | O_CLOEXEC);

			if (fd < 0) {
				printf(" open=%s", err(errno));
			} else {
				report("setns", setns(fd, CLONE_NEWNET));
				close(fd);
			}
			netns_inode();
		} else if (strcmp(argv[a], "unshare") == 0) {
			report("unshare", unshare(CLONE_NEWNET));
		} else if (strcmp(argv[a], "link") == 0) {
			printf(" link=%s", add_link() == 0 ? "ok" : "fail");
		} else {
			printf(" unknown=%s\n", argv[a]);
			return 64;
		}
	}
	printf("\n");
	return 0;
}
