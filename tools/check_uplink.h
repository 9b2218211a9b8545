/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check_uplink: the one link an uplink session's namespace may have
 * besides lo, for the judge of check, check --user and audit.
 */
#ifndef NONET_CHECK_UPLINK_H
#define NONET_CHECK_UPLINK_H

#include <stddef.h>
#include <sys/types.h>

struct loopback_link;

/*
 * When a session record names namespace @dev:@ino with an uplink and a
 * lease, that lease's file names the record, and the uplink is up: fills
 * @link with the lease's link (UPLINK_INSIDE_IF, veth, its addresses) and
 * @uplink with the uplink's name, and returns 1.  Otherwise (also when the
 * records or the uplink cannot be read, e.g. without privilege) returns
 * 0: then no link is accepted, which is the safe side.
 */
int check_uplink_expect(dev_t dev, ino_t ino, struct loopback_link *link,
			char *uplink, size_t len);

#endif
