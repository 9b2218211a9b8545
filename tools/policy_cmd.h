/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NONET_POLICY_CMD_H
#define NONET_POLICY_CMD_H

#include <stdbool.h>

struct policy_cmd_opts {
	const char *conf; /* NULL: the default path */
	bool check;	  /* --check: report problems, decide nothing */
	const char *user; /* the login to decide */
	const char *service;
	const char *rhost;
	const char *tty;
	bool json;
};

/*
 * `nonet policy --check`: prints every error and warning as
 * "FILE:LINE: error: ..." and returns 1 if there was an error, else 0.
 * `nonet policy USER`: prints the decision and the rule that made it;
 * returns 0, or 2 on an unknown user or an unusable policy.
 */
int policy_cmd_run(const struct policy_cmd_opts *opts);

#endif
