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

/* Room for the error of a judge (a @what of 300 and a message). */
#define CHECK_ERROR_MAX 512

/*
 * Why a namespace is not isolated: copies of loopback_judge's reasons; and
 * the inert fallback tunnel devices it let pass, which are no reason.
 * The judges print nothing: when one fails, @error says why, for the
 * command to print (see check_print_error()).
 */
struct check_reasons {
	size_t count;
	char *text[CHECK_REASONS_MAX];
	size_t ninert;
	char *inert[CHECK_REASONS_MAX];
	bool nomem;
	char uplink[16]; /* the uplink whose session link was let pass, or "" */
	char error[CHECK_ERROR_MAX]; /* the last failure, or "" */
};

/* Adds loopback_judge's reasons and inert devices for @table to @r. */
void check_judge_table(const struct iface_table *table,
		       struct check_reasons *r);

/*
 * Fills @r for the namespace of @t; returns 0, or -1 with errno and
 * @r->error saying why (@what names the namespace there).
 */
int check_judge(const struct target *t, const char *what,
		struct check_reasons *r);
void check_free_reasons(struct check_reasons *r);

/* Adds a copy of @reason to @r (sets @r->nomem when out of memory). */
void check_add_reason(struct check_reasons *r, const char *reason);

struct sockns;

/*
 * Whether a socket in namespace @ns is harmless for the process judged:
 * 1 yes, 0 no, -1 on an error (said in @r->error, or already printed by
 * the caller's own function).
 */
typedef int (*check_sockns_fn)(void *data, const struct sockns *ns,
			       struct check_reasons *r);

/*
 * Adds to @r "PREFIXholds a socket in net:[N] (the host's)" (or "(not
 * isolated)") for each namespace a socket of process @pid is in that
 * @harmless (NULL: check_sockns_isolated) does not accept.  A process
 * that ended meanwhile has none.  Returns 0, or -1 with @r->error saying
 * why (empty when @harmless printed it).
 */
int check_sockets(pid_t pid, const char *prefix, check_sockns_fn harmless,
		  void *data, struct check_reasons *r);

/* A check_sockns_fn: harmless when in namespace @data (a struct target)
 * or when that namespace is isolated and nonet's. */
int check_sockns_isolated(void *data, const struct sockns *ns,
			  struct check_reasons *r);

#endif
