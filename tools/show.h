/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * show: a namespace's links and addresses printed as Debian 12's iproute2
 * 6.1 prints them (`ip link show`, `ip addr show`, and their -j / -j -p
 * JSON), field for field, so that eyes and jq scripts carry over.
 */
#ifndef NONET_SHOW_H
#define NONET_SHOW_H

#include <stdbool.h>
#include <stdio.h>

#include "iface.h"
#include "output.h"

struct show_opts {
	bool link_only; /* `ip link show`: no addresses, "mode" shown */
	bool json;	/* `ip -j` */
	bool pretty;	/* `ip -j -p` (ignored without json) */
};

/*
 * Prints @table as `ip link show` (link_only) / `ip addr show` do, text or
 * JSON.  0, or -1 with errno on a write error.
 */
int show_print(FILE *out, const struct iface_table *table,
	       const struct show_opts *opts);

/*
 * The same links array, printed into an output context that is already
 * open: as the member @key of the enclosing JSON object (NULL: an element
 * or the top-level value); in text mode, the lines of `ip`.
 */
void show_links(struct out *out, const char *key,
		const struct iface_table *table, bool link_only);

#endif
