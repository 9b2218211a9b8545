// SPDX-License-Identifier: GPL-2.0-or-later
/* show_targets: `nonet show` on -p, -n or -u (each of a user's namespaces). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "iface.h"
#include "output.h"
#include "show.h"
#include "show_targets.h"
#include "target.h"
#include "target_opts.h"
#include "tool.h"

/* -u: each namespace of the user's processes, with the processes in it. */
static int show_each(struct out *out, const struct target_list *list,
		     const struct show_opts *opts)
{
	int status = TOOL_OK;

	out_arr_open(out, NULL);
	for (size_t i = 0; i < list->count; i++) {
		const struct target *t = &list->items[i];
		struct iface_table table;

		if (target_read_table(t, &table) < 0) {
			tool_target_error(t->path, errno);
			status = TOOL_ERROR;
			continue;
		}
		out_obj_open(out, NULL);
		out_uint(out, "netns", "netns net:[%" PRIu64 "]:", t->ino);
		out_arr_open(out, "processes");
		for (size_t p = 0; p < t->nprocs; p++) {
			out_obj_open(out, NULL);
			out_int(out, "pid", " %" PRId64, t->procs[p].pid);
			out_string(out, "command", " (%s)", t->procs[p].comm);
			out_obj_close(out);
		}
		out_arr_close(out);
		out_textf(out, "\n");
		show_links(out, "links", &table, opts->link_only);
		out_obj_close(out);
		iface_table_free(&table);
	}
	out_arr_close(out);
	return status;
}

int tool_show_targets(const struct show_opts *opts,
		      const struct tool_target_opts *to)
{
	struct target_list list;
	struct iface_table table;
	char what[300];
	struct out out;
	int status = TOOL_OK;

	if (tool_targets(to, &list, what, sizeof(what)) < 0)
		return TOOL_ERROR;
	out_init(&out, stdout, opts->json, opts->json && opts->pretty);
	if (to->user) {
		status = show_each(&out, &list, opts);
	} else if (target_read_table(&list.items[0], &table) < 0) {
		tool_target_error(what, errno);
		status = TOOL_ERROR;
	} else {
		show_links(&out, NULL, &table, opts->link_only);
		iface_table_free(&table);
	}
	if (status == TOOL_OK || out_is_json(&out))
		if (out_end(&out) < 0)
			status = TOOL_ERROR;
	target_list_free(&list);
	return status;
}

int tool_show(const struct show_opts *opts)
{
	const struct tool_target_opts self = {0};

	return tool_show_targets(opts, &self);
}
