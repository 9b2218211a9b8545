/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check_judge: the verdict on one network namespace, and on the sockets
 * of one process, as a list of reasons (none: isolated).  Used by check,
 * check -u and audit.
 */
#ifndef NONET_CHECK_JUDGE_H
#define NONET_CHECK_JUDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct iface_table;
struct target;

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
};

/* Adds loopback_judge's reasons and inert devices for @table to @r. */
void check_judge_table(const struct iface_table *table,
		       struct check_reasons *r);

/* Fills @r for the namespace of @t (@what names it in errors); -1 on error. */
int check_judge(const struct target *t, const char *what,
		struct check_reasons *r);
void check_free_reasons(struct check_reasons *r);

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
