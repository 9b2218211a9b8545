/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tool: what the subcommands of nonet share. */
#ifndef NONET_TOOL_H
#define NONET_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "policy.h"
#include <sys/types.h>

struct show_opts;
struct target_list;

/* Exit statuses of nonet. */
enum { TOOL_OK = 0, TOOL_NOT_ISOLATED = 1, TOOL_ERROR = 2 };

/* "nonet: MESSAGE" on stderr; %m works, errno is kept. */
void tool_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* `nonet show` on the caller's namespace; returns the exit status. */
int tool_show(const struct show_opts *opts);

/* Which namespaces a command looks at: at most one of these is set. */
struct tool_target_opts {
	pid_t pid;	   /* -p */
	const char *netns; /* -n */
	const char *user;  /* -u */
};

/* Resolves the options into targets; prints why not and returns -1. */
int tool_targets(const struct tool_target_opts *opts, struct target_list *list,
		 char *what, size_t size);

/* `nonet show` on the targets of @to; returns the exit status. */
int tool_show_targets(const struct show_opts *opts,
		      const struct tool_target_opts *to);

/* Prints why @what cannot be looked at (errno value @err). */
void tool_target_error(const char *what, int err);

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

struct passwd;

/*
 * The first rule of @policy that isolates a login of @pw (whatever its
 * conditions) into *@rule, or NULL.  Returns 0, or -1 with errno when the
 * user's groups cannot be looked up.
 */
int tool_isolating_rule(const struct policy *policy, const struct passwd *pw,
			const struct policy_rule **rule);

#endif
