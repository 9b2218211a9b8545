/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NONET_LIST_H
#define NONET_LIST_H

#include <stdio.h>

#include "table.h"

struct list_opts {
	struct table_opts table;
	const char *conf; /* --conf: the policy to compare with */
};

/*
 * `nonet list` (root): one row per recorded session, with the number of
 * processes in it, whether it is stale, and whether the policy changed
 * since it opened.  Returns TOOL_OK or TOOL_ERROR.
 */
int list_run(const struct list_opts *opts);

/* The columns, for --help. */
void list_help_columns(FILE *fp);

#endif
