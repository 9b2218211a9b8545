/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * recorded_sessions: what `nonet list` and `nonet audit` know of the
 * sessions: the records the module keeps (lib/record.h), which of them are
 * stale, and the policy now in force, to tell which sessions opened under
 * another.
 */
#ifndef NONET_RECORDED_SESSIONS_H
#define NONET_RECORDED_SESSIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "record.h"

struct policy;

struct sessions {
	struct record *records; /* sorted by opening time */
	bool *stale;		/* its calling process is gone */
	size_t count;
	struct policy *policy;	    /* NULL when it cannot be used */
	unsigned int policy_errors; /* what policy_load reported */
};

/*
 * Reads the records and the policy @conf (NULL: the default one).  Root
 * only: says so otherwise.  A policy that cannot be used is no failure
 * here (its errors are printed, @s->policy is NULL).  Returns 0, or -1
 * after saying why.
 */
int sessions_load(struct sessions *s, const char *conf, const char *cmd);

/*
 * Whether the policy changed since record @i was written: 1 yes, 0 no, -1
 * unknown (no usable policy now).
 */
int sessions_policy_changed(const struct sessions *s, size_t i);

/* "none", "private", ...: the mode of record @i is isolating. */
bool sessions_isolated(const struct record *r);

void sessions_free(struct sessions *s);

#endif
