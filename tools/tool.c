// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tool: the error line every subcommand of nonet prints, and its way back
 * from an uplink's namespace.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "tool.h"
#include "uplink.h"

void tool_error(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	fputs("nonet: ", stderr);
	va_start(ap, fmt);
	errno = saved; /* for %m */
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	errno = saved;
}

void tool_uplink_leave(int saved, const char *cmd)
{
	if (uplink_leave(saved) == 0)
		return;
	tool_error("%s: cannot go back to the caller's network namespace: %m",
		   cmd);
	exit(TOOL_ERROR);
}
