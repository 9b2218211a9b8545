/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NONET_CHECK_H
#define NONET_CHECK_H

#include <stdbool.h>

struct check_opts {
	bool json;
};

/*
 * Judges the caller's network namespace by itself: not the host's, lo the
 * only interface, lo UP with 127.0.0.1/8.  Prints "isolated" or each
 * reason it is not.  Returns TOOL_OK, TOOL_NOT_ISOLATED or TOOL_ERROR.
 */
int check_run(const struct check_opts *opts);

#endif
