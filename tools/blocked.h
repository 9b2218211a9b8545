/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * blocked: the packets an uplink dropped from a recorded session's link
 * (the per-lease counter of its nftables table), for `nonet list`, `nonet
 * audit -J` and the metrics.  Each uplink's configuration and leases are
 * read once; the counter is read inside the uplink's namespace.
 */
#ifndef NONET_BLOCKED_H
#define NONET_BLOCKED_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

struct blocked_uplink;

/* What was read of the uplinks so far; zero it before the first use. */
struct blocked {
	struct blocked_uplink *uplinks;
	size_t count;
};

/*
 * The packets dropped from the link of session @r into *@packets.
 * Returns 1 when counted, 0 when the session has no uplink, or -1 with
 * errno: ENOENT when there is nothing left to count (the uplink is down,
 * its pin is no namespace as seen from this mount namespace, or its lease
 * is gone or another session's now: a session that crashed, after `nonet
 * prune`), another value when the counter could not be read.  Ends nonet
 * (tool_uplink_leave) when it cannot go back from the uplink's namespace.
 */
int blocked_get(struct blocked *b, const struct record *r, uint64_t *packets);

void blocked_free(struct blocked *b);

#endif
