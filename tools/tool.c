// SPDX-License-Identifier: GPL-2.0-or-later
/* tool: what nonet's subcommands share. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>

#include "iface.h"
#include "nl.h"
#include "output.h"
#include "pin.h"
#include "show.h"
#include "target.h"
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

void tool_policy_diag(void *data, enum policy_severity severity,
		      const char *file, unsigned int line, const char *message)
{
	const struct tool_diag *d = data;
	const char *kind = severity == POLICY_ERROR ? "error" : "warning";

	if (d->errors_only && severity != POLICY_ERROR)
		return;
	if (line)
		fprintf(d->fp, "%s:%u: %s: %s\n", file, line, kind, message);
	else
		fprintf(d->fp, "%s: %s: %s\n", file, kind, message);
}

/* Says why a target cannot be looked at, in the words an admin needs. */
void tool_target_error(const char *what, int err)
{
	switch (err) {
	case EPERM:
		tool_error("cannot enter %s: entering another network "
			   "namespace needs CAP_SYS_ADMIN (run nonet as root)",
			   what);
		break;
	case EACCES:
		tool_error("cannot look into %s: permission denied (only root "
			   "may look into other users' processes)",
			   what);
		break;
	case ENOENT:
	case ESRCH: tool_error("%s does not exist", what); break;
	case EINVAL: tool_error("%s is not a network namespace", what); break;
	default: errno = err; tool_error("cannot read %s: %m", what);
	}
}

int tool_targets(const struct tool_target_opts *o, struct target_list *list,
		 char *what, size_t size)
{
	int ret;

	if (o->user) {
		struct passwd *pw = getpwnam(o->user);

		if (!pw) {
			tool_error("unknown user %s", o->user);
			return -1;
		}
		ret = target_by_user(pw->pw_uid, list);
		snprintf(what, size, "the processes of %s", o->user);
	} else if (o->netns) {
		ret = target_by_name(o->netns, list);
		snprintf(what, size, "network namespace %s (%s/%s)", o->netns,
			 PIN_DIR, o->netns);
	} else if (o->pid) {
		ret = target_by_pid(o->pid, list);
		snprintf(what, size, "process %d", (int)o->pid);
	} else {
		ret = target_self(list);
		snprintf(what, size, "this process's namespace");
	}
	if (ret < 0)
		tool_target_error(what, errno);
	return ret;
}

int tool_isolating_rule(const struct policy *policy, const struct passwd *pw,
			const struct policy_rule **rule)
{
	struct policy_login login = {
	    .user = pw->pw_name, .uid = pw->pw_uid, .gid = pw->pw_gid};
	const struct policy_rule **rules;
	size_t n;

	*rule = NULL;
	if (policy_rules_for_user(policy, &login, &policy_nss_lookup, &rules,
				  &n) < 0)
		return -1;
	for (size_t i = 0; i < n && !*rule; i++)
		if (rules[i]->action != POLICY_NONE)
			*rule = rules[i];
	free(rules);
	return 0;
}
