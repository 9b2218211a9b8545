// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * audit_report: what `nonet audit` prints: the table and its summary, as
 * text or one JSON document.  The node_exporter textfile (--prometheus) is
 * audit_prom.c's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <libsmartcols/libsmartcols.h>

#include "audit_priv.h"
#include "output.h"
#include "tool.h"

enum {
	COL_PID,
	COL_TID,
	COL_PPID,
	COL_USER,
	COL_UID,
	COL_COMMAND,
	COL_NETNS,
	COL_VERDICT,
	COL_PRESCRIBED,
	COL_CAUSE,
	COL_SESSION,
	COL_PARENT,
	COL_ACTION,
};

static const struct table_info infos[] = {
    [COL_PID] = {"PID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "the process"},
    [COL_TID] = {"TID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		 "its thread in NETNS"},
    [COL_PPID] = {"PPID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "its parent"},
    [COL_USER] = {"USER", 0, 0, SCOLS_JSON_STRING, "its user (real uid)"},
    [COL_UID] = {"UID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "its real uid"},
    [COL_COMMAND] = {"COMMAND", 0, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
		     "its command name"},
    [COL_NETNS] = {"NETNS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		   "the namespace (inode) that decided the verdict"},
    [COL_VERDICT] = {"VERDICT", 0, 0, SCOLS_JSON_STRING,
		     "escape, prescribed, none-session or orphan"},
    [COL_PRESCRIBED] = {"PRESCRIBED", 0, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
			"what the user's live sessions (or the policy) "
			"give"},
    [COL_CAUSE] = {"CAUSE", 0, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
		   "the likely cause of an escape"},
    [COL_SESSION] = {"SESSION", 0, 0, SCOLS_JSON_STRING,
		     "the session (ID) that vouches for it"},
    [COL_PARENT] = {"PARENT", 0, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
		    "its parent's command name"},
    [COL_ACTION] = {"ACTION", 0, 0, SCOLS_JSON_STRING,
		    "--kill: SIGTERM, SIGKILL, gone or failed"},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

int audit_table_init(struct audit *a)
{
	int defaults[NELEM(infos)];
	size_t n = 0;

	defaults[n++] = COL_PID;
	defaults[n++] = COL_USER;
	defaults[n++] = COL_COMMAND;
	defaults[n++] = COL_NETNS;
	if (a->opts->all)
		defaults[n++] = COL_VERDICT;
	defaults[n++] = COL_PRESCRIBED;
	defaults[n++] = COL_CAUSE;
	if (a->opts->kill)
		defaults[n++] = COL_ACTION;
	return table_init(&a->table, infos, NELEM(infos), defaults, n,
			  &a->opts->table, "processes");
}

struct row {
	const struct audit *a;
	const struct finding *f;
};

static const char *number(char *buf, size_t size, long long value)
{
	snprintf(buf, size, "%lld", value);
	return buf;
}

static const char *cell(const void *data, int id, char *buf, size_t size)
{
	const struct row *row = data;
	const struct finding *f = row->f;
	const struct proctab_proc *p = f->proc, *parent;

	switch (id) {
	case COL_PID: return number(buf, size, p->pid);
	case COL_TID: return number(buf, size, f->ns->tid);
	case COL_PPID: return number(buf, size, p->ppid);
	case COL_USER: return row->a->users[f->user].name;
	case COL_UID: return number(buf, size, p->uid);
	case COL_COMMAND: return p->comm;
	case COL_NETNS: return number(buf, size, (long long)f->ns->ino);
	case COL_VERDICT: return audit_verdict_name(f->verdict);
	case COL_PRESCRIBED: return row->a->users[f->user].prescribed;
	case COL_CAUSE: return f->cause;
	case COL_SESSION: return f->session ? f->session->id : NULL;
	case COL_ACTION: return f->action;
	case COL_PARENT:
		parent = proctab_find(&row->a->pt, p->ppid);
		return parent ? parent->comm : NULL;
	}
	return NULL;
}

static unsigned int judged(const struct audit *a, unsigned int *users)
{
	unsigned int n = 0;

	*users = 0;
	for (size_t i = 0; i < a->nusers; i++) {
		n += a->users[i].judged;
		*users += audit_user_reported(&a->users[i]);
	}
	return n;
}

static void summary_users(const struct audit *a, struct out *o)
{
	const char *sep = " (";

	out_obj_open(o, "escaped_by_user");
	for (size_t i = 0; i < a->nusers; i++) {
		const struct audit_user *u = &a->users[i];

		if (!audit_user_reported(u))
			continue;
		out_uint(o, u->name, NULL, u->escapes);
		if (u->escapes) {
			out_textf(o, "%s%s %u", sep, u->name, u->escapes);
			sep = ", ";
		}
	}
	out_obj_close(o);
	if (a->escapes)
		out_textf(o, ")");
}

static void summary_sessions(const struct audit *a, struct out *o)
{
	unsigned int live = 0;

	out_obj_open(o, "sessions");
	for (size_t i = 0; i < AUDIT_NMODES; i++) {
		out_uint(o, audit_modes[i], NULL,
			 audit_live_sessions(a, audit_modes[i]));
		live += audit_live_sessions(a, audit_modes[i]);
	}
	out_obj_close(o);
	out_textf(o, "; %u live session(s)", live);
	out_uint(o, "stale_records", ", %" PRIu64 " stale record(s)",
		 audit_stale_records(a));
}

/* The one-line summary, or (JSON) the members beside the rows. */
static void summary_members(const struct audit *a, struct out *o)
{
	unsigned int users, n = judged(a, &users);

	out_uint(o, "escaped", "%" PRIu64 " escaped process(es)", a->escapes);
	summary_users(a, o);
	out_uint(o, "judged", "; %" PRIu64 " process(es)", n);
	out_uint(o, "audited_users", " of %" PRIu64 " audited user(s) judged",
		 users);
	out_uint(o, "orphans", ", %" PRIu64 " orphan(s)", a->orphans);
	summary_sessions(a, o);
	audit_uplinks_report(a, o);
	out_uint(o, "policy_errors",
		 a->s.policy_errors ? "; the policy has %" PRIu64 " error(s)"
				    : NULL,
		 a->s.policy_errors);
	out_uint(o, "unreadable",
		 a->unreadable ? "; %" PRIu64 " process(es) could not be read"
			       : NULL,
		 a->unreadable);
	out_uint(o, "ended", a->opts->kill ? "; %" PRIu64 " ended" : NULL,
		 a->ended);
	out_int(o, "timestamp", NULL, (int64_t)a->when.tv_sec);
	out_textf(o, "\n");
}

static int add_rows(struct audit *a)
{
	for (size_t i = 0; i < a->nfindings; i++) {
		struct row row = {a, &a->findings[i]};

		if (!a->opts->all && row.f->verdict != V_ESCAPE)
			continue;
		if (table_add_row(&a->table, cell, &row) < 0) {
			tool_error("audit: %m");
			return -1;
		}
	}
	return 0;
}

int audit_report(struct audit *a)
{
	struct out o;

	if (add_rows(a) < 0)
		return -1;
	if (a->opts->table.json) {
		/* One writer for the whole document: rows, then summary. */
		out_init(&o, stdout, true, false);
		out_obj_open(&o, NULL);
		table_json_rows(&a->table, &o);
		summary_members(a, &o);
		out_obj_close(&o);
		return out_end(&o);
	}
	if (table_has_rows(&a->table) && table_print(&a->table, stdout) < 0)
		return -1;
	if (a->opts->table.raw) /* for scripts: rows only */
		return 0;
	out_init(&o, stdout, false, false);
	summary_members(a, &o);
	return out_end(&o);
}

void audit_help_columns(FILE *fp)
{
	table_print_help(fp, infos, NELEM(infos));
}
