/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uplink_cmd: `nonet uplink up|down|show`, the admin's side of the exam
 * uplink (lib/uplink.h).  Each returns the exit status (TOOL_OK or
 * TOOL_ERROR) after saying on stderr what failed and why.
 */
#ifndef NONET_UPLINK_CMD_H
#define NONET_UPLINK_CMD_H

#include <stdbool.h>
#include <stddef.h>

struct uplink_up_opts {
	const char *name;
	const char *pool;  /* --pool CIDR, or NULL: UPLINK_POOL4_DEFAULT */
	const char *pool6; /* --pool6 CIDR, or NULL: UPLINK_POOL6_DEFAULT */
	bool no_nat;	   /* --no-nat */
	char **allow;	   /* the ALLOW words */
	size_t nallow;
};

/*
 * Builds the uplink in the caller's network namespace: the directory, the
 * pin, the table, the conf, then forwarding on; a failed step undoes the
 * ones before it.
 */
int uplink_cmd_up(const struct uplink_up_opts *opts);

/*
 * Takes the uplink @name down: refused while leases exist unless @force
 * (then their links are deleted and the leases released); the table, the
 * pin and the directory go, and forwarding is restored when no other
 * uplink is up in that namespace.
 */
int uplink_cmd_down(const char *name, bool force);

/*
 * Whether the pin of @name is an empty file without a namespace mounted on
 * it, as seen from this mount namespace (an interrupted up, or a pin made
 * in another mount namespace).
 */
bool uplink_pin_gone(const char *name);

/* The uplinks @names (@count of them; all that are up when 0). */
int uplink_cmd_show(char **names, size_t count, bool json);

#endif
