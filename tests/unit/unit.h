/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * unit.h: a tiny assertion helper for nonet's C unit tests.
 *
 * Each check prints one TAP line, "ok - NAME: desc" or "not ok - NAME:
 * desc" (with "#   " detail lines), which tests/run counts against the
 * plan; unit_done() gives the exit status, non-zero when any check failed.
 * Call unit_start(NAME, PLAN) first: PLAN is the number of checks and
 * skips the program prints, the same on every machine (a case that cannot
 * run prints unit_skip or unit_skip_strict instead of its checks); adding
 * a check is one edit of PLAN.  One test program is one translation unit,
 * so the state lives in a static struct here.
 */
#ifndef NONET_UNIT_H
#define NONET_UNIT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
	const char *name;
	unsigned int failed;
} unit_state;

static inline void unit_start(const char *name, unsigned int plan)
{
	unit_state.name = name;
	unit_state.failed = 0;
	printf("1..%u\n", plan);
}

/* Prints each line of @text prefixed with "#   @label" (TAP diagnostics). */
static inline void unit_diag(const char *label, const char *text)
{
	const char *p = text ? text : "(null)";

	do {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);

		printf("#   %s|%.*s|\n", label, len, p);
		p = nl ? nl + 1 : NULL;
	} while (p && *p);
}

/* One check: passes when @cond holds.  Returns @cond. */
static inline __attribute__((format(printf, 2, 3))) bool
unit_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%s - %s: ", cond ? "ok" : "not ok", unit_state.name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		unit_state.failed++;
	return cond;
}

/* Passes when @got equals @want; on failure shows both, line by line. */
static inline bool unit_streq(const char *desc, const char *want,
			      const char *got)
{
	bool same = want && got && strcmp(want, got) == 0;

	if (!unit_ok(same, "%s", desc)) {
		unit_diag("want: ", want);
		unit_diag("got:  ", got);
	}
	return same;
}

/*
 * A case that cannot run in this tier or on this kind of machine (needs
 * root, another test holds the namespace): prints "ok ... # SKIP reason".
 */
static inline void unit_skip(const char *desc, const char *reason)
{
	printf("ok - %s: %s # SKIP %s\n", unit_state.name, desc, reason);
}

/*
 * A case this machine should run (the kernel or make deps provides what it
 * lacks): a skip, or with STRICT=1 in the environment a failure.
 */
static inline void unit_skip_strict(const char *desc, const char *reason)
{
	const char *strict = getenv("STRICT");

	if (strict && strcmp(strict, "1") == 0) {
		unit_ok(false, "%s", desc);
		printf("#   STRICT=1: this machine should run it, but: %s\n",
		       reason);
		return;
	}
	unit_skip(desc, reason);
}

/* The exit status of the test program. */
static inline int unit_done(void)
{
	fflush(stdout);
	return unit_state.failed ? 1 : 0;
}

#endif
