// SPDX-License-Identifier: GPL-2.0-or-later
/* tool: the error line every subcommand of nonet prints. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "tool.h"

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
