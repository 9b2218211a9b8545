// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nonet-t-lease NAME [RECORD]: a test helper, never installed.  Takes a
 * lease of uplink NAME with the library as the module does (the lease
 * file, the nft elements in the uplink's namespace), without a session,
 * and prints "INDEX HOST_IF".  Exit 1 with the reason on failure.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "uplink.h"

int main(int argc, char **argv)
{
	struct uplink_conf conf;
	struct uplink_lease l;
	int saved, ret;

	if (argc < 2) {
		fputs("usage: nonet-t-lease NAME [RECORD]\n", stderr);
		return 2;
	}
	if (uplink_conf_read(argv[1], &conf) < 0) {
		fprintf(stderr, "conf of %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (uplink_lease_take(&conf, argc > 2 ? argv[2] : "", &l) < 0) {
		fprintf(stderr, "lease: %s\n", strerror(errno));
		uplink_conf_free(&conf);
		return 1;
	}
	uplink_conf_free(&conf);
	if (uplink_enter(argv[1], &saved) < 0) {
		fprintf(stderr, "enter: %s\n", strerror(errno));
		return 1;
	}
	ret = uplink_nft_add_session(argv[1], &l);
	if (ret < 0)
		fprintf(stderr, "nft: %s\n", strerror(errno));
	if (uplink_leave(saved) < 0 || ret < 0)
		return 1;
	printf("%u %s\n", l.index, l.host_if);
	return 0;
}
