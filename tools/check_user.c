// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nonet check --user: every process and thread of a user, judged against
 * what the policy prescribes for that user.
 *
 * The policy decides per login (service, remote host, tty), and a process
 * does not say which login started it.  So a namespace of the user is as
 * prescribed when some rule naming the user allows it: an isolated
 * namespace for a private or shared rule, /run/netns/NAME for join=NAME.
 * A process anywhere else (most often in the host's namespace) is not;
 * when a none rule names the user too, the output says that some logins
 * may legitimately keep the host's network.
 */
#include <errno.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "output.h"
#include "pin.h"
#include "policy.h"
#include "target.h"
#include "tool.h"

struct prescription {
	const struct policy *policy;
	const struct policy_rule *isolating;	/* first private/shared rule */
	const struct policy_rule *none;		/* first none rule */
	const struct policy_rule **joins;	/* join= rules */
	size_t njoins;
};

static int prescribe(const struct policy *policy, const struct passwd *pw,
		     struct prescription *p)
{
	struct policy_login login = { .user = pw->pw_name, .uid = pw->pw_uid,
				      .gid = pw->pw_gid };
	const struct policy_rule **rules;
	size_t n;

	memset(p, 0, sizeof(*p));
	p->policy = policy;
	if (policy_rules_for_user(policy, &login, &policy_nss_lookup, &rules,
				  &n) < 0)
		return -1;
	p->joins = rules; /* reused in place: joins are a prefix of it */
	for (size_t i = 0; i < n; i++) {
		const struct policy_rule *r = rules[i];

		if (r->action == POLICY_JOIN)
			rules[p->njoins++] = r;
		else if (r->action == POLICY_NONE && !p->none)
			p->none = r;
		else if (r->action != POLICY_NONE && !p->isolating)
			p->isolating = r;
	}
	return 0;
}

/* The join= rule whose namespace @t is, or NULL. */
static const struct policy_rule *joined(const struct prescription *p,
					const struct target *t)
{
	for (size_t i = 0; i < p->njoins; i++) {
		char path[sizeof(PIN_DIR) + 256];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", PIN_DIR,
			 p->joins[i]->join_name);
		if (stat(path, &st) == 0 && st.st_dev == t->dev &&
		    st.st_ino == t->ino)
			return p->joins[i];
	}
	return NULL;
}

/* One namespace of the user: its verdict, and its processes if wrong. */
static int judge_one(struct out *o, const struct prescription *p,
		     const struct target *t, bool *prescribed)
{
	const struct policy_rule *rule = joined(p, t);
	struct check_reasons r = { 0 };
	char what[64];

	snprintf(what, sizeof(what), "net:[%" PRIu64 "]", (uint64_t)t->ino);
	if (!rule && check_judge(t, what, &r) < 0) {
		check_free_reasons(&r);
		return -1;
	}
	if (!rule && p->isolating && r.count == 0)
		rule = p->isolating;
	*prescribed = rule != NULL;
	out_obj_open(o, NULL);
	out_uint(o, "netns", "net:[%" PRIu64 "]", t->ino);
	out_bool(o, "isolated", NULL, !joined(p, t) && r.count == 0);
	out_bool(o, "prescribed", NULL, *prescribed);
	if (rule)
		out_textf(o, " as prescribed (%s, %s:%u)\n",
			  policy_action_name(rule->action), p->policy->file,
			  rule->line);
	else
		out_textf(o, " NOT as prescribed:\n");
	out_arr_open(o, "reasons");
	for (size_t i = 0; !*prescribed && i < r.count; i++)
		out_string(o, NULL, "    %s\n", r.text[i]);
	out_arr_close(o);
	check_print_inert(o, &r, "    ");
	out_arr_open(o, "processes");
	for (size_t i = 0; i < t->nprocs; i++) {
		out_obj_open(o, NULL);
		out_int(o, "pid", *prescribed ? NULL : "    %7" PRId64,
			t->procs[i].pid);
		out_string(o, "command", *prescribed ? NULL : " %s\n",
			   t->procs[i].comm);
		out_obj_close(o);
	}
	out_arr_close(o);
	out_obj_close(o);
	check_free_reasons(&r);
	return 0;
}

/* Judges every namespace of the user's processes; -1 on error. */
static int judge_all(struct out *o, const struct prescription *p,
		     const struct target_list *list, unsigned int *wrong)
{
	int ret = 0;

	out_arr_open(o, "namespaces");
	for (size_t i = 0; i < list->count; i++) {
		bool prescribed = false;

		if (judge_one(o, p, &list->items[i], &prescribed) < 0)
			ret = -1;
		else if (!prescribed)
			*wrong += (unsigned int)list->items[i].nprocs;
	}
	out_arr_close(o);
	return ret;
}

static int report(const struct check_opts *opts, const struct passwd *pw,
		  const struct prescription *p, const struct target_list *list)
{
	unsigned int wrong = 0;
	struct out o;
	int ret;

	out_init(&o, stdout, opts->json, false);
	out_obj_open(&o, NULL);
	out_string(&o, "user", NULL, pw->pw_name);
	out_bool(&o, "audited", NULL, p->isolating || p->njoins);
	ret = judge_all(&o, p, list, &wrong);
	if (ret < 0) {
		/* No verdict (a namespace could not be read), but whole JSON. */
		out_obj_close(&o);
		out_end(&o);
		return TOOL_ERROR;
	}
	out_uint(&o, "not_prescribed", "%" PRIu64, wrong);
	out_textf(&o, " process(es) of %s not as prescribed%s", pw->pw_name,
		  wrong && p->none ? "" : "\n");
	if (wrong && p->none)
		out_textf(&o, " (but %s:%u leaves some logins of %s "
			  "un-isolated)\n", p->policy->file, p->none->line,
			  pw->pw_name);
	out_obj_close(&o);
	if (out_end(&o) < 0)
		return TOOL_ERROR;
	return wrong ? TOOL_NOT_ISOLATED : TOOL_OK;
}

/* A user no rule isolates: nothing is prescribed, nothing is wrong. */
static int report_unaudited(const struct check_opts *opts,
			    const struct passwd *pw)
{
	struct out o;

	out_init(&o, stdout, opts->json, false);
	out_obj_open(&o, NULL);
	out_string(&o, "user", "the policy isolates no login of %s\n",
		   pw->pw_name);
	out_bool(&o, "audited", NULL, false);
	out_obj_close(&o);
	return out_end(&o) < 0 ? TOOL_ERROR : TOOL_OK;
}

int check_user(const struct check_opts *opts)
{
	struct tool_diag err = { stderr, false };
	struct policy_diag diag = { .fn = tool_policy_diag, .data = &err };
	struct prescription p = { 0 };
	struct target_list list = { 0 };
	struct policy *policy = NULL;
	struct passwd *pw = getpwnam(opts->target.user);
	char what[300];
	int status = TOOL_ERROR;

	if (!pw) {
		tool_error("unknown user %s", opts->target.user);
		return TOOL_ERROR;
	}
	/* Without privilege some processes cannot be seen: no verdict. */
	if (geteuid() != 0) {
		tool_error("check --user: only root can see every process of %s",
			   pw->pw_name);
		return TOOL_ERROR;
	}
	if (policy_load(opts->conf, &diag, &policy) < 0) {
		tool_error("the policy cannot be used%s%s",
			   diag.errors ? "" : ": ",
			   diag.errors ? "" : strerror(errno));
		return TOOL_ERROR;
	}
	if (prescribe(policy, pw, &p) < 0) {
		tool_error("cannot look up the groups of %s: %m", pw->pw_name);
		goto out;
	}
	if (!p.isolating && !p.njoins) {
		status = report_unaudited(opts, pw);
		goto out;
	}
	if (tool_targets(&opts->target, &list, what, sizeof(what)) == 0)
		status = report(opts, pw, &p, &list);
out:
	free(p.joins);
	target_list_free(&list);
	policy_free(policy);
	return status;
}
