/* SPDX-License-Identifier: GPL-2.0-or-later */
/* show_targets: `nonet show` on the namespaces -p, -n or -u name. */
#ifndef NONET_SHOW_TARGETS_H
#define NONET_SHOW_TARGETS_H

struct show_opts;
struct tool_target_opts;

/* `nonet show` on the caller's namespace; returns the exit status. */
int tool_show(const struct show_opts *opts);

/* `nonet show` on the targets of @to; returns the exit status. */
int tool_show_targets(const struct show_opts *opts,
		      const struct tool_target_opts *to);

#endif
