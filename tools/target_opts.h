/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * target_opts: the namespaces -p, -n and -u name, and why one of them
 * cannot be looked at.
 */
#ifndef NONET_TARGET_OPTS_H
#define NONET_TARGET_OPTS_H

#include <stddef.h>
#include <sys/types.h>

struct target_list;

/* Which namespaces a command looks at: at most one of these is set. */
struct tool_target_opts {
	pid_t pid;	   /* -p */
	const char *netns; /* -n */
	const char *user;  /* -u */
};

/* Resolves the options into targets; prints why not and returns -1. */
int tool_targets(const struct tool_target_opts *opts, struct target_list *list,
		 char *what, size_t size);

/* Room for a tool_target_error_text() with a @what of 300. */
#define TOOL_TARGET_ERROR_MAX 512

/* Why @what cannot be looked at (errno value @err), into @buf. */
void tool_target_error_text(char *buf, size_t size, const char *what, int err);

/* Prints tool_target_error_text(). */
void tool_target_error(const char *what, int err);

#endif
