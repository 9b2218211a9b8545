/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NONET_CHECK_H
#define NONET_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "tool.h"

struct target;

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

#define CHECK_REASONS_MAX 64

/* The reason given for a namespace a user namespace of a user owns. */
extern const char check_foreign_reason[];

/*
 * Why a namespace is not isolated: copies of loopback_judge's reasons; and
 * the inert fallback tunnel devices it let pass, which are no reason.
 */
struct check_reasons {
	size_t count;
	char *text[CHECK_REASONS_MAX];
	size_t ninert;
	char *inert[CHECK_REASONS_MAX];
	bool nomem;
	char uplink[16]; /* the uplink whose session link was let pass, or "" */
};

struct out;
struct iface_table;

/* Adds loopback_judge's reasons and inert devices for @table to @r. */
void check_judge_table(const struct iface_table *table,
		       struct check_reasons *r);

/* `nonet check`'s verdict: isolated, netns, reasons, inert (text or JSON). */
void check_print(FILE *fp, const struct check_reasons *r, bool json, ino_t ino);

/* Prints the inert devices of @r: "inert" in JSON, "INDENTinert: ..." lines. */
void check_print_inert(struct out *o, const struct check_reasons *r,
		       const char *indent);

/* Fills @r for the namespace of @t (@what names it in errors); -1 on error. */
int check_judge(const struct target *t, const char *what,
		struct check_reasons *r);
void check_free_reasons(struct check_reasons *r);

/* `nonet check --user USER`: see check_run(). */
int check_user(const struct check_opts *opts);

/* Adds a copy of @reason to @r (sets @r->nomem when out of memory). */
void check_add_reason(struct check_reasons *r, const char *reason);

struct sockns;

/*
 * Whether a socket in namespace @ns is harmless for the process judged:
 * 1 yes, 0 no, -1 on an error already reported.
 */
typedef int (*check_sockns_fn)(void *data, const struct sockns *ns);

/*
 * Adds to @r "PREFIXholds a socket in net:[N] (the host's)" (or "(not
 * isolated)") for each namespace a socket of process @pid is in that
 * @harmless (NULL: check_sockns_isolated) does not accept.  A process
 * that ended meanwhile has none.  Returns 0, or -1 after saying why.
 */
int check_sockets(pid_t pid, const char *prefix, check_sockns_fn harmless,
		  void *data, struct check_reasons *r);

/* A check_sockns_fn: harmless when in namespace @data (a struct target)
 * or when that namespace is isolated and nonet's. */
int check_sockns_isolated(void *data, const struct sockns *ns);

#endif
