// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * recorded_sessions: the session records, their staleness, and the policy.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy.h"
#include "recorded_sessions.h"
#include "policy_diag.h"
#include "tool.h"

static void load_policy(struct sessions *s, const char *conf, const char *cmd)
{
	/* Only errors: a warning (an unknown user, say) changes no verdict. */
	struct tool_diag errors_only = {stderr, true};
	struct policy_diag diag = {.fn = tool_policy_diag,
				   .data = &errors_only};

	if (policy_load(conf, &diag, &s->policy) == 0)
		return;
	s->policy = NULL;
	/* A file that cannot be read is one error, if the parser saw none. */
	s->policy_errors = diag.errors ? diag.errors : 1;
	if (diag.errors)
		tool_error("%s: the policy %s cannot be used", cmd,
			   conf ? conf : POLICY_DEFAULT_PATH);
	else
		tool_error("%s: the policy %s cannot be used: %m", cmd,
			   conf ? conf : POLICY_DEFAULT_PATH);
}

static int by_since(const void *a, const void *b)
{
	const struct record *x = a, *y = b;

	if (x->since != y->since)
		return x->since < y->since ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

int sessions_load(struct sessions *s, const char *conf, const char *cmd)
{
	memset(s, 0, sizeof(*s));
	/* The records are root's (0700): without root, no session shows. */
	if (geteuid() != 0) {
		tool_error("%s: only root can read the session records in %s",
			   cmd, RECORD_DIR);
		return -1;
	}
	if (record_list(&s->records, &s->count) < 0) {
		tool_error("%s: cannot read %s: %m", cmd, RECORD_DIR);
		return -1;
	}
	if (s->count) /* no records: a NULL array, which qsort may not take */
		qsort(s->records, s->count, sizeof(*s->records), by_since);
	s->stale = calloc(s->count + 1, sizeof(*s->stale));
	if (!s->stale) {
		tool_error("%s: %m", cmd);
		sessions_free(s);
		return -1;
	}
	/* Unknown (-1: not readable) is not stale: never call a session dead
	 * that may live. */
	for (size_t i = 0; i < s->count; i++)
		s->stale[i] = record_stale(&s->records[i]) == 1;
	load_policy(s, conf, cmd);
	return 0;
}

int sessions_policy_changed(const struct sessions *s, size_t i)
{
	if (!s->policy)
		return -1;
	return s->records[i].policy_hash != s->policy->hash;
}

bool sessions_isolated(const struct record *r)
{
	return strcmp(r->mode, "none") != 0;
}

void sessions_free(struct sessions *s)
{
	free(s->records);
	free(s->stale);
	policy_free(s->policy);
	memset(s, 0, sizeof(*s));
}
