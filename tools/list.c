// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nonet list: the recorded sessions, as lsns lists namespaces.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <libsmartcols/libsmartcols.h>

#include "blocked.h"
#include "list.h"
#include "proctab.h"
#include "recorded_sessions.h"
#include "tool.h"

enum {
	COL_ID,
	COL_PID,
	COL_USER,
	COL_UID,
	COL_SERVICE,
	COL_FROM,
	COL_TTY,
	COL_MODE,
	COL_NETNS,
	COL_NSNAME,
	COL_RULE,
	COL_SINCE,
	COL_PROCS,
	COL_STALE,
	COL_CHANGED,
	COL_AUDITSID,
	COL_POLICY,
	COL_UPLINK,
	COL_LEASE,
	COL_BLOCKED,
};

static const struct table_info infos[] = {
    [COL_ID] = {"ID", 0, 0, SCOLS_JSON_STRING,
		"session id: PID-STARTTIME-NONCE of the calling process"},
    [COL_PID] = {"PID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		 "the calling process (sshd, su, login, ...)"},
    [COL_USER] = {"USER", 0, 0, SCOLS_JSON_STRING, "the user"},
    [COL_UID] = {"UID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "the user's id"},
    [COL_SERVICE] = {"SERVICE", 0, 0, SCOLS_JSON_STRING, "the PAM service"},
    [COL_FROM] = {"FROM", 0, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
		  "the remote host (PAM_RHOST)"},
    [COL_TTY] = {"TTY", 0, 0, SCOLS_JSON_STRING, "the tty (PAM_TTY)"},
    [COL_MODE] = {"MODE", 0, 0, SCOLS_JSON_STRING,
		  "none, private, shared or join"},
    [COL_NETNS] = {"NETNS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		   "the network namespace's inode"},
    [COL_NSNAME] = {"NSNAME", 0, 0, SCOLS_JSON_STRING,
		    "its name in /run/netns (shared, join)"},
    [COL_RULE] = {"RULE", 0, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
		  "the rule that decided, FILE:LINE"},
    [COL_SINCE] = {"SINCE", 0, 0, SCOLS_JSON_STRING, "when the session opened"},
    [COL_PROCS] = {"PROCS", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		   "processes in its namespace (none: the calling "
		   "process and its descendants)"},
    [COL_STALE] = {"STALE", 0, 0, SCOLS_JSON_BOOLEAN,
		   "the calling process is gone (prune removes it)"},
    [COL_CHANGED] = {"CHANGED", 0, 0, SCOLS_JSON_BOOLEAN,
		     "the policy changed since the session opened"},
    [COL_AUDITSID] = {"AUDITSID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		      "the kernel's audit session id"},
    [COL_POLICY] = {"POLICY", 0, 0, SCOLS_JSON_STRING,
		    "hash of the policy the session opened under"},
    [COL_UPLINK] = {"UPLINK", 0, 0, SCOLS_JSON_STRING,
		    "the uplink of the session's rule (uplink=NAME)"},
    [COL_LEASE] = {"LEASE", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		   "the session's lease of the uplink"},
    [COL_BLOCKED] = {"BLOCKED", 7, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		     "packets the uplink dropped from the session's link "
		     "(- without an uplink, ? when not known)"},
};

static const int defaults[] = {
    COL_ID,    COL_USER,  COL_SERVICE, COL_FROM,   COL_TTY,
    COL_MODE,  COL_NETNS, COL_NSNAME,  COL_UPLINK, COL_RULE,
    COL_SINCE, COL_PROCS, COL_BLOCKED, COL_STALE,  COL_CHANGED,
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct row {
	const struct record *r;
	bool stale;
	bool changed;
	size_t procs;
	bool json;
	int counted; /* blocked_get's: 1 counted, 0 no uplink, -1 unknown */
	uint64_t blocked;
};

static const char *since_text(long long since, char *buf, size_t size)
{
	time_t t = (time_t)since;
	struct tm tm;

	if (!localtime_r(&t, &tm) ||
	    strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(buf, size, "%lld", since);
	return buf;
}

/* The count; without one "-" (no uplink) or "?" (JSON: null). */
static const char *blocked_text(const struct row *row, char *buf, size_t size)
{
	if (row->counted == 1) {
		snprintf(buf, size, "%" PRIu64, row->blocked);
		return buf;
	}
	if (row->json)
		return NULL;
	return row->counted == 0 ? "-" : "?";
}

static const char *cell(const void *data, int id, char *buf, size_t size)
{
	const struct row *row = data;
	const struct record *r = row->r;

	switch (id) {
	case COL_ID: return r->id;
	case COL_USER: return r->user;
	case COL_SERVICE: return r->service;
	case COL_FROM: return r->rhost;
	case COL_TTY: return r->tty;
	case COL_MODE: return r->mode;
	case COL_NSNAME: return r->name;
	case COL_RULE: return r->rule;
	case COL_SINCE: return since_text(r->since, buf, size);
	case COL_STALE: return row->stale ? "stale" : "";
	case COL_CHANGED: return row->changed ? "changed" : "";
	case COL_PID: snprintf(buf, size, "%d", (int)r->pid); return buf;
	case COL_UID: snprintf(buf, size, "%u", (unsigned)r->uid); return buf;
	case COL_PROCS: snprintf(buf, size, "%zu", row->procs); return buf;
	case COL_POLICY:
		snprintf(buf, size, "%016" PRIx64, r->policy_hash);
		return buf;
	case COL_NETNS:
		if (!r->netns_ino)
			return NULL;
		snprintf(buf, size, "%" PRIu64, (uint64_t)r->netns_ino);
		return buf;
	case COL_AUDITSID:
		if (!r->has_auditsid)
			return NULL;
		snprintf(buf, size, "%u", r->auditsid);
		return buf;
	case COL_UPLINK: return r->uplink;
	case COL_LEASE:
		if (!*r->uplink || r->lease < 0)
			return NULL;
		snprintf(buf, size, "%d", r->lease);
		return buf;
	case COL_BLOCKED: return blocked_text(row, buf, size);
	}
	return NULL;
}

/*
 * An isolated session counts the processes in its namespace; a session
 * left in the host's counts its calling process and what descends from
 * it (a stale one has none: its PID may be another process's now).
 */
static size_t count_procs(const struct proctab *pt, const struct record *r,
			  bool stale)
{
	bool isolated = sessions_isolated(r);
	size_t n = 0;

	if (!isolated && stale)
		return 0;
	for (size_t i = 0; i < pt->count; i++) {
		const struct proctab_proc *p = &pt->procs[i];

		if (isolated ? proctab_in_ns(pt, p, r->netns_dev, r->netns_ino)
			     : proctab_descends(pt, p, r->pid))
			n++;
	}
	return n;
}

/*
 * The session's blocked packets into @row.  A live session whose lease is
 * there but whose counter cannot be read is an error (-1, said); nothing
 * left to count (its uplink is down, its lease pruned) is only unknown.
 */
static int count_blocked(struct blocked *b, struct row *row)
{
	row->counted = blocked_get(b, row->r, &row->blocked);
	if (row->counted >= 0 || errno == ENOENT || row->stale)
		return 0;
	tool_error("list: cannot read the blocked packets of session %s "
		   "(uplink %s, lease %d): %m",
		   row->r->id, row->r->uplink, row->r->lease);
	return -1;
}

/* Adds the rows; -1 when a row could not be filled in (said). */
static int fill(struct table *t, const struct sessions *s,
		const struct proctab *pt, bool json)
{
	struct blocked b = {0};
	int ret = 0;

	for (size_t i = 0; i < s->count; i++) {
		struct row row = {
		    .r = &s->records[i],
		    .stale = s->stale[i],
		    /* An unusable policy is not the one they had. */
		    .changed = sessions_policy_changed(s, i) != 0,
		    .json = json,
		};

		row.procs = count_procs(pt, row.r, row.stale);
		if (count_blocked(&b, &row) < 0)
			ret = -1;
		if (table_add_row(t, cell, &row) < 0) {
			tool_error("list: %m");
			ret = -1;
			break;
		}
	}
	blocked_free(&b);
	return ret;
}

int list_run(const struct list_opts *opts)
{
	struct sessions s;
	struct proctab pt;
	struct table t;
	int status = TOOL_ERROR;

	if (table_init(&t, infos, NELEM(infos), defaults, NELEM(defaults),
		       &opts->table, "sessions") < 0)
		return TOOL_ERROR;
	if (sessions_load(&s, opts->conf, "list") < 0)
		goto out_table;
	if (proctab_read(&pt) < 0) {
		tool_error("list: cannot read /proc: %m");
		goto out_sessions;
	}
	/* A counter that could not be read still lets the others show. */
	status =
	    fill(&t, &s, &pt, opts->table.json) == 0 ? TOOL_OK : TOOL_ERROR;
	if ((opts->table.json || table_has_rows(&t)) &&
	    table_print(&t, stdout) < 0)
		status = TOOL_ERROR;
	proctab_free(&pt);
out_sessions:
	sessions_free(&s);
out_table:
	table_free(&t);
	return status;
}

void list_help_columns(FILE *fp)
{
	table_print_help(fp, infos, NELEM(infos));
}
