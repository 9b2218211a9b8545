// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nonet-t-sockescape: the escape of issue 13, made honestly for
 * tests/t-sockescape.sh.  Run as a user in the host's network namespace:
 *
 *   nonet-t-sockescape PORT READYFILE
 *
 * opens a UDP socket towards 127.0.0.1:PORT, moves into a user namespace
 * with a network namespace of its own (unshare(CLONE_NEWUSER |
 * CLONE_NEWNET)), raises its lo, writes "PID NETNS-INODE" to READYFILE,
 * and then sends a datagram through the first socket every 100 ms until
 * it is killed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <err.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static void lo_up(void)
{
	struct ifreq ifr = { 0 };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		err(1, "lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		err(1, "lo up");
	close(s);
}

int main(int argc, char **argv)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	struct stat st;
	char tmp[4096];
	FILE *f;
	int s;

	if (argc != 3)
		errx(2, "usage: nonet-t-sockescape PORT READYFILE");
	to.sin_port = htons((unsigned short)atoi(argv[1]));
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&to, sizeof(to)) < 0)
		err(1, "socket");
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
		err(1, "unshare");
	lo_up();
	if (stat("/proc/self/ns/net", &st) < 0)
		err(1, "stat");
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[2]);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d %lu\n", (int)getpid(),
			  (unsigned long)st.st_ino) < 0 || fclose(f) != 0 ||
	    rename(tmp, argv[2]) < 0)
		err(1, "%s", argv[2]);
	for (;;) {
		if (send(s, "escape", 6, 0) < 0)
			warn("send");
		usleep(100000);
	}
}
