/* SPDX-License-Identifier: GPL-2.0-or-later */
/* policy_diag: the policy's diagnostics as the tool prints them. */
#ifndef NONET_POLICY_DIAG_H
#define NONET_POLICY_DIAG_H

#include <stdbool.h>
#include <stdio.h>

#include "policy.h"

struct tool_diag {
	FILE *fp;	  /* where the lines go */
	bool errors_only; /* warnings change no verdict of this command */
};

/*
 * A policy_diag_fn for the tool: "FILE:LINE: error: ..." (or "FILE: ..."
 * for the file as a whole) on ((struct tool_diag *)@data)->fp.
 */
void tool_policy_diag(void *data, enum policy_severity severity,
		      const char *file, unsigned int line, const char *message);

#endif
