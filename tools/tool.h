/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tool: nonet's exit statuses and the error line its subcommands print. */
#ifndef NONET_TOOL_H
#define NONET_TOOL_H

/* Exit statuses of nonet. */
enum { TOOL_OK = 0, TOOL_NOT_ISOLATED = 1, TOOL_ERROR = 2 };

/* "nonet: MESSAGE" on stderr; %m works, errno is kept. */
void tool_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Back from an uplink's namespace to the one uplink_enter() saved in
 * @saved.  When that fails, says so for @cmd and ends nonet with
 * TOOL_ERROR: whatever it went on to read or change would be the
 * uplink's, not the caller's.
 */
void tool_uplink_leave(int saved, const char *cmd);

#endif
