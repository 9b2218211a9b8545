/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NONET_PRUNE_H
#define NONET_PRUNE_H

#include <stdbool.h>

/*
 * `nonet prune` (root): removes the pins of shared namespaces that no
 * process uses any more, leftovers of interrupted creations, the uplink
 * leases and stale session records whose calling process is gone; prints
 * what it removed.  Returns TOOL_OK or TOOL_ERROR.
 */
int prune_run(bool json);

struct out;

/* "removed DIR/NAME (REASON)", or its JSON object. */
void prune_print_removed(struct out *o, const char *dir, const char *name,
			 const char *reason);

/*
 * The leases of uplinks whose caller is gone (prune_lease.c): their host
 * links deleted, their nft elements removed, their lease files removed;
 * each said with prune_print_removed().  Returns TOOL_OK or TOOL_ERROR
 * (after saying why).
 */
int prune_leases(struct out *o);

#endif
