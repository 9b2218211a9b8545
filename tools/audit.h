/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NONET_AUDIT_H
#define NONET_AUDIT_H

#include <stdbool.h>
#include <stdio.h>

#include "table.h"

struct audit_opts {
	struct table_opts table;
	const char *conf;	/* --conf: the policy (NULL: the default) */
	bool all;		/* --all: every process judged */
	bool kill;		/* --kill: end the escaped processes */
	const char *prometheus; /* --prometheus FILE */
};

/*
 * `nonet audit` (root): every process and thread of the users some rule
 * isolates, judged against their recorded sessions.  Returns TOOL_OK when
 * no process escaped, TOOL_NOT_ISOLATED when some did, TOOL_ERROR when the
 * audit could not be completed (an unreadable process of an audited user,
 * an unusable policy, a failed write).
 */
int audit_run(const struct audit_opts *opts);

/* The columns, for --help. */
void audit_help_columns(FILE *fp);

#endif
