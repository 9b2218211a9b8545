// SPDX-License-Identifier: GPL-2.0-or-later
/* tool: what nonet's subcommands share. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "iface.h"
#include "nl.h"
#include "show.h"
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

int tool_show(const struct show_opts *opts)
{
	struct iface_table table;
	struct nl_sock *sock = NULL;
	int ret;

	if (nl_open(&sock) < 0 || iface_table_read(sock, &table) < 0) {
		tool_error("cannot read the network interfaces: %m");
		nl_close(sock);
		return TOOL_ERROR;
	}
	nl_close(sock);
	ret = show_print(stdout, &table, opts);
	iface_table_free(&table);
	return ret < 0 ? TOOL_ERROR : TOOL_OK;
}
