// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nonet doctor: the users, the findings, and their output (see doctor.h).
 * The checks only read: files, /proc, and `sshd -T`.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <libsmartcols/libsmartcols.h>

#include "doctor.h"
#include "prom.h"
#include "policy_diag.h"
#include "user_rule.h"
#include "tool.h"

enum { COL_USER, COL_CHECK, COL_STATUS, COL_EVIDENCE, COL_FIX };

static const struct table_info infos[] = {
    [COL_USER] = {"USER", 0, 0, SCOLS_JSON_STRING, "the user"},
    [COL_CHECK] = {"CHECK", 0, 0, SCOLS_JSON_STRING,
		   "the check (its stable name, see nonet(8))"},
    [COL_STATUS] = {"STATUS", 0, 0, SCOLS_JSON_STRING,
		    "closed, open, n/a or unknown"},
    [COL_EVIDENCE] = {"EVIDENCE", 0, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
		      "what the check saw"},
    [COL_FIX] = {"FIX", 0, SCOLS_FL_TRUNC, SCOLS_JSON_STRING, "what closes it"},
};

static const int defaults[] = {
    COL_USER, COL_CHECK, COL_STATUS, COL_EVIDENCE, COL_FIX,
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *status_name(enum doctor_status s)
{
	static const char *const names[] = {
	    [DOC_NA] = "n/a",
	    [DOC_CLOSED] = "closed",
	    [DOC_UNKNOWN] = "unknown",
	    [DOC_OPEN] = "open",
	};

	return names[s];
}

void doctor_add(struct doctor *d, const struct doctor_user *u,
		const char *check, enum doctor_status status, const char *fix,
		const char *fmt, ...)
{
	struct doctor_finding *grown, *f;
	va_list ap;
	int n;

	grown = reallocarray(d->findings, d->nfindings + 1, sizeof(*grown));
	if (!grown) {
		d->nomem = true;
		return;
	}
	d->findings = grown;
	f = &grown[d->nfindings];
	*f = (struct doctor_finding){
	    .user = u, .check = check, .status = status};
	va_start(ap, fmt);
	n = vasprintf(&f->evidence, fmt, ap);
	va_end(ap);
	if (n < 0 || (fix && !(f->fix = strdup(fix)))) {
		if (n >= 0)
			free(f->evidence);
		d->nomem = true;
		return;
	}
	d->nfindings++;
}

bool doctor_in_group(const struct doctor_user *u, gid_t gid)
{
	for (size_t i = 0; i < u->ngroups; i++)
		if (u->groups[i] == gid)
			return true;
	return false;
}

bool doctor_may(const struct doctor_user *u, const struct stat *st, int bits)
{
	if (st->st_uid == u->uid)
		return st->st_mode & (mode_t)(bits << 6);
	if (doctor_in_group(u, st->st_gid))
		return st->st_mode & (mode_t)(bits << 3);
	return st->st_mode & (mode_t)bits;
}

int doctor_rule_for(const struct doctor *d, const struct doctor_user *u,
		    const char *service, const struct policy_rule **rule)
{
	struct policy_login login = {
	    .user = u->name, .uid = u->uid, .gid = u->gid, .service = service};
	struct policy_decision dec;

	*rule = NULL;
	if (policy_decide(d->policy, &login, &policy_nss_lookup, &dec) < 0)
		return -1;
	if (dec.action != POLICY_NONE)
		*rule = dec.rule;
	return 0;
}

/* The groups and the rules of @pw into @u; -1 after saying why. */
static int user_fill(struct doctor *d, const struct passwd *pw,
		     struct doctor_user *u)
{
	struct policy_login login = {
	    .user = pw->pw_name, .uid = pw->pw_uid, .gid = pw->pw_gid};
	const struct policy_rule **rules = NULL;
	int n = 64;
	size_t count;

	snprintf(u->name, sizeof(u->name), "%s", pw->pw_name);
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	for (;;) {
		gid_t *g = reallocarray(u->groups, (size_t)n, sizeof(*g));
		int want = n;

		if (!g)
			goto fail;
		u->groups = g;
		if (getgrouplist(pw->pw_name, pw->pw_gid, g, &want) >= 0) {
			u->ngroups = (size_t)want;
			break;
		}
		n = want > n ? want : n * 2;
	}
	if (tool_isolating_rule(d->policy, pw, &u->rule) < 0 ||
	    policy_rules_for_user(d->policy, &login, &policy_nss_lookup, &rules,
				  &count) < 0)
		goto fail;
	u->joins = rules; /* reused in place: the joins are a prefix */
	for (size_t i = 0; i < count; i++)
		if (rules[i]->action == POLICY_JOIN)
			rules[u->njoins++] = rules[i];
	return 0;
fail:
	tool_error("doctor: cannot look up the groups of %s: %m", pw->pw_name);
	return -1;
}

static struct doctor_user *user_new(struct doctor *d)
{
	struct doctor_user *grown;

	grown = reallocarray(d->users, d->nusers + 1, sizeof(*grown));
	if (!grown)
		return NULL;
	d->users = grown;
	memset(&grown[d->nusers], 0, sizeof(*grown));
	return &grown[d->nusers++];
}

/* The users named, or every user (but root) some rule isolates. */
static int find_users(struct doctor *d)
{
	struct passwd *pw;
	int ret = 0;

	for (size_t i = 0; i < d->opts->nusers; i++) {
		struct doctor_user *u;

		pw = getpwnam(d->opts->users[i]);
		if (!pw) {
			tool_error("doctor: unknown user %s",
				   d->opts->users[i]);
			return -1;
		}
		u = user_new(d);
		if (!u || user_fill(d, pw, u) < 0)
			return -1;
	}
	if (d->opts->nusers)
		return 0;
	setpwent();
	while (ret == 0 && (errno = 0, pw = getpwent())) {
		struct doctor_user *u;

		if (pw->pw_uid == 0)
			continue;
		u = user_new(d);
		ret = u ? user_fill(d, pw, u) : -1;
		if (ret == 0 && !u->rule && !u->njoins) {
			free(u->groups);
			free(u->joins);
			d->nusers--;
		}
	}
	endpwent();
	return ret;
}

static const char *cell(const void *data, int id, char *buf, size_t size)
{
	const struct doctor_finding *f = data;

	(void)buf;
	(void)size;
	switch (id) {
	case COL_USER: return f->user ? f->user->name : "*";
	case COL_CHECK: return f->check;
	case COL_STATUS: return status_name(f->status);
	case COL_EVIDENCE: return f->evidence;
	case COL_FIX: return f->fix;
	}
	return NULL;
}

static bool same_series(const struct doctor_finding *f,
			const struct doctor_finding *g)
{
	return f->user == g->user && strcmp(f->check, g->check) == 0;
}

/* nonet_ways_out_open{user,check}: open findings, one series per user and
 * check, written at its first finding. */
static void metrics(FILE *fp, const void *data)
{
	const struct doctor *d = data;

	prom_family(fp, "nonet_ways_out_open",
		    "Ways out of an isolated session that nonet doctor found "
		    "open, by user and check.");
	for (size_t i = 0; i < d->nfindings; i++) {
		const struct doctor_finding *f = &d->findings[i];
		unsigned int open = 0;
		size_t j = 0;

		while (j < i && !same_series(f, &d->findings[j]))
			j++;
		if (j < i)
			continue;
		for (j = i; j < d->nfindings; j++)
			open += same_series(f, &d->findings[j]) &&
				d->findings[j].status == DOC_OPEN;
		fputs("nonet_ways_out_open{user=\"", fp);
		prom_label_value(fp, f->user ? f->user->name : "*");
		fprintf(fp, "\",check=\"%s\"} %u\n", f->check, open);
	}
}

static int report(struct doctor *d, enum doctor_status *worst)
{
	struct table t = {0};
	int ret = -1;

	if (table_init(&t, infos, NELEM(infos), defaults, NELEM(defaults),
		       &d->opts->table, "findings") < 0)
		return -1;
	*worst = DOC_NA;
	for (size_t i = 0; i < d->nfindings; i++) {
		if (d->findings[i].status > *worst)
			*worst = d->findings[i].status;
		if (table_add_row(&t, cell, &d->findings[i]) < 0)
			goto out;
	}
	if (table_print(&t, stdout) < 0)
		goto out;
	ret = 0;
out:
	if (ret < 0)
		tool_error("doctor: %m");
	table_free(&t);
	return ret;
}

static void doctor_free(struct doctor *d)
{
	for (size_t i = 0; i < d->nusers; i++) {
		free(d->users[i].groups);
		free(d->users[i].joins);
	}
	free(d->users);
	for (size_t i = 0; i < d->nfindings; i++) {
		free(d->findings[i].evidence);
		free(d->findings[i].fix);
	}
	free(d->findings);
	policy_free(d->policy);
}

int doctor_run(const struct doctor_opts *opts)
{
	struct tool_diag err = {stderr, true};
	struct policy_diag diag = {.fn = tool_policy_diag, .data = &err};
	struct doctor d = {.opts = opts};
	enum doctor_status worst = DOC_NA;
	int status = TOOL_ERROR;

	if (geteuid() != 0) {
		tool_error("doctor: only root can read what the checks need");
		return TOOL_ERROR;
	}
	if (policy_load(opts->conf, &diag, &d.policy) < 0) {
		tool_error("doctor: the policy cannot be used%s%s",
			   diag.errors ? "" : ": ",
			   diag.errors ? "" : strerror(errno));
		return TOOL_ERROR;
	}
	if (find_users(&d) < 0)
		goto out;
	for (size_t i = 0; i < d.nusers; i++)
		if (!d.users[i].rule && !d.users[i].njoins)
			doctor_add(&d, &d.users[i], "policy", DOC_NA, NULL,
				   "the policy isolates no login of %s",
				   d.users[i].name);
	doctor_pam(&d);
	doctor_ssh(&d);
	doctor_sockets(&d);
	doctor_host(&d);
	if (d.nomem) {
		errno = ENOMEM;
		tool_error("doctor: %m");
		goto out;
	}
	if (report(&d, &worst) < 0 ||
	    (opts->prometheus &&
	     prom_write(opts->prometheus, "doctor", metrics, &d) < 0))
		goto out;
	status = worst == DOC_OPEN	? TOOL_NOT_ISOLATED
		 : worst == DOC_UNKNOWN ? TOOL_ERROR
					: TOOL_OK;
out:
	doctor_free(&d);
	return status;
}

void doctor_help_columns(FILE *fp)
{
	table_print_help(fp, infos, NELEM(infos));
}
