/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NONET_CHECK_H
#define NONET_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "check_judge.h"
#include "target_opts.h"

struct check_opts {
	bool json;
	struct tool_target_opts target; /* none: the caller's namespace */
	const char *conf;		/* -u: the policy file */
};

/*
 * Judges one namespace by itself: not the host's, lo the only interface,
 * lo UP with 127.0.0.1/8.  Prints "isolated" or each reason it is not.
 * With a user (-u), judges each of the user's processes against what the
 * policy prescribes (check_user).  Returns TOOL_OK, TOOL_NOT_ISOLATED or
 * TOOL_ERROR.
 */
int check_run(const struct check_opts *opts);

struct out;

/* `nonet check`'s verdict: isolated, netns, reasons, inert (text or JSON). */
void check_print(FILE *fp, const struct check_reasons *r, bool json, ino_t ino);

/* Prints the inert devices of @r: "inert" in JSON, "INDENTinert: ..." lines. */
void check_print_inert(struct out *o, const struct check_reasons *r,
		       const char *indent);

/* Prints why a judge failed (@r->error, if any), and forgets it. */
void check_print_error(struct check_reasons *r);

/* `nonet check --user USER`: see check_run(). */
int check_user(const struct check_opts *opts);

#endif
