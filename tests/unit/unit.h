/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * unit.h: a tiny assertion helper for nonet's C unit tests.
 *
 * Each check prints one TAP line, "ok - NAME: desc" or "not ok - NAME:
 * desc" (with "#   " detail lines), which tests/run counts; unit_done()
 * gives the exit status, non-zero when any check failed.  Call
 * unit_start(NAME) first.  One test program is one translation unit, so
 * the state lives in a static struct here.
 */
#ifndef NONET_UNIT_H
#define NONET_UNIT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static struct {
	const char *name;
	unsigned int failed;
} unit_state;

static inline void unit_start(const char *name)
{
	unit_state.name = name;
	unit_state.failed = 0;
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

/* The exit status of the test program. */
static inline int unit_done(void)
{
	fflush(stdout);
	return unit_state.failed ? 1 : 0;
}

#endif
