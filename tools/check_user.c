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
#include <fcntl.h>
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
#include "proctab.h"
#include "sockns.h"
#include "policy.h"
#include "target.h"
#include "policy_diag.h"
#include "target_opts.h"
#include "tool.h"

struct prescription {
	const struct policy *policy;
	const struct policy_rule *isolating; /* first private/shared rule */
	const struct policy_rule *none;	     /* first none rule */
	const struct policy_rule **joins;    /* join= rules */
	size_t njoins;
	const struct policy_rule **uplinks; /* private uplink=NAME rules */
	size_t nuplinks;
};

static int prescribe(const struct policy *policy, const struct passwd *pw,
		     struct prescription *p)
{
	struct policy_login login = {
	    .user = pw->pw_name, .uid = pw->pw_uid, .gid = pw->pw_gid};
	const struct policy_rule **rules;
	size_t n;

	memset(p, 0, sizeof(*p));
	p->policy = policy;
	if (policy_rules_for_user(policy, &login, &policy_nss_lookup, &rules,
				  &n) < 0)
		return -1;
	/* An array of pointers: sizeof a pointer is meant. */
	p->uplinks = calloc(
	    n ? n : 1,
	    sizeof(*p->uplinks)); /* NOLINT(bugprone-sizeof-expression) */
	if (!p->uplinks) {
		free(rules);
		return -1;
	}
	p->joins = rules; /* reused in place: joins are a prefix of it */
	for (size_t i = 0; i < n; i++) {
		const struct policy_rule *r = rules[i];

		if (r->uplink)
			p->uplinks[p->nuplinks++] = r;
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

/*
 * The rule that allows an isolated namespace judged with @r: any isolating
 * rule, but for an uplink session's only a rule with that uplink=NAME.
 */
static const struct policy_rule *isolated_rule(const struct prescription *p,
					       const struct check_reasons *r)
{
	if (!*r->uplink)
		return p->isolating;
	for (size_t i = 0; i < p->nuplinks; i++) {
		if (strcmp(p->uplinks[i]->uplink, r->uplink) == 0)
			return p->uplinks[i];
	}
	return NULL;
}

/* What the user's namespaces are, found before any is printed. */
struct ns_verdict {
	const struct policy_rule *rule; /* the rule that allows it, or NULL */
	struct check_reasons reasons;
	bool joined;  /* an admin's join= namespace */
	bool foreign; /* a user namespace of a user owns it */
	bool unread;  /* some process's sockets could not be asked */
};

/* Whether a user namespace other than the initial one owns @t's. */
static int foreign_ns(const struct target *t, bool *foreign)
{
	int fd = open(t->path, O_RDONLY | O_CLOEXEC), initial;

	if (fd < 0) {
		tool_error("cannot open %s: %m", t->path);
		return -1;
	}
	initial = sockns_owner_initial(fd);
	close(fd);
	if (initial < 0) {
		tool_error("cannot tell which user namespace owns net:[%" PRIu64
			   "]: %m",
			   (uint64_t)t->ino);
		return -1;
	}
	*foreign = !initial;
	return 0;
}

/* The namespace by itself, and the sockets of its processes. */
static int judge_ns(const struct prescription *p, const struct target *t,
		    struct ns_verdict *v)
{
	char what[64], who[64];

	snprintf(what, sizeof(what), "net:[%" PRIu64 "]", (uint64_t)t->ino);
	v->rule = joined(p, t);
	v->joined = v->rule != NULL;
	if (foreign_ns(t, &v->foreign) < 0)
		return -1;
	/* What is in a user's own namespace is the user's to change. */
	if (!v->rule && !v->foreign && check_judge(t, what, &v->reasons) < 0) {
		check_print_error(&v->reasons);
		return -1;
	}
	if (!v->rule && !v->foreign && v->reasons.count == 0)
		v->rule = isolated_rule(p, &v->reasons);
	if (!v->rule && !v->foreign && v->reasons.count == 0 &&
	    *v->reasons.uplink) {
		char text[160];

		snprintf(text, sizeof(text),
			 "it has the link of uplink %s, but no rule for "
			 "the user says uplink=%s",
			 v->reasons.uplink, v->reasons.uplink);
		check_add_reason(&v->reasons, text);
	}
	for (size_t i = 0; i < t->nprocs; i++) {
		snprintf(who, sizeof(who), "process %d ", (int)t->procs[i].pid);
		/* Said why; judged without them, as the audit does. */
		if (check_sockets(t->procs[i].pid, who, check_sockns_isolated,
				  (void *)t, &v->reasons) < 0) {
			check_print_error(&v->reasons);
			v->unread = true;
		}
	}
	if (v->reasons.count && v->joined)
		v->rule = NULL; /* a socket elsewhere: not as prescribed */
	return 0;
}

/* The namespace of process @pid's parent, and that parent's PID. */
static int parent_ns(pid_t pid, pid_t *parent, struct stat *st)
{
	struct proctab_proc proc = {.pid = pid};
	char path[64];

	if (proctab_read_stat(&proc) < 0 || proc.ppid <= 1)
		return -1;
	*parent = proc.ppid;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)proc.ppid);
	return stat(path, st);
}

/*
 * The rule that allows namespace @st of process @pid, not one of the
 * user's (a root process's, say), or NULL; *@foreign when a user made it.
 */
static const struct policy_rule *other_rule(const struct prescription *p,
					    pid_t pid, const struct stat *st,
					    bool *foreign)
{
	struct target t = {.dev = st->st_dev, .ino = st->st_ino};
	struct check_reasons r = {0};
	const struct policy_rule *rule;
	char what[64];

	snprintf(t.path, sizeof(t.path), "/proc/%d/ns/net", (int)pid);
	snprintf(what, sizeof(what), "net:[%" PRIu64 "]", (uint64_t)t.ino);
	*foreign = false;
	rule = joined(p, &t);
	if (rule || foreign_ns(&t, foreign) < 0 || *foreign)
		return rule;
	if (check_judge(&t, what, &r) < 0)
		check_print_error(&r);
	else if (r.count == 0)
		rule = isolated_rule(p, &r);
	check_free_reasons(&r);
	return rule;
}

/*
 * The rule that allows the namespace process @pid's parent chain comes
 * from (the first up the chain that no user made), or NULL; *@from and
 * *@ino say where it came from.
 */
static const struct policy_rule *chain_rule(const struct prescription *p,
					    const struct target_list *list,
					    const struct ns_verdict *v,
					    pid_t pid, pid_t *from, ino_t *ino)
{
	for (int depth = 0; depth < 64; depth++) {
		const struct policy_rule *rule;
		struct stat st;
		bool foreign;
		size_t j = 0;

		if (parent_ns(pid, from, &st) < 0)
			return NULL;
		*ino = st.st_ino;
		pid = *from;
		while (j < list->count && (list->items[j].dev != st.st_dev ||
					   list->items[j].ino != st.st_ino))
			j++;
		if (j < list->count) {
			if (!v[j].foreign)
				return v[j].rule;
			continue; /* nested: look further up */
		}
		rule = other_rule(p, pid, &st, &foreign);
		if (!foreign)
			return rule;
	}
	return NULL;
}

/*
 * A namespace a user made for itself is never nonet's: its process is as
 * prescribed when its parent chain comes from a namespace that is.  Adds
 * the reasons when it does not.
 */
static void judge_chain(const struct prescription *p,
			const struct target_list *list, struct ns_verdict *v,
			size_t k)
{
	const struct target *t = &list->items[k];
	bool said = false;
	char text[200];

	for (size_t i = 0; i < t->nprocs; i++) {
		pid_t from = 0;
		ino_t ino = 0;
		const struct policy_rule *rule =
		    chain_rule(p, list, v, t->procs[i].pid, &from, &ino);

		if (rule && !v[k].rule && !v[k].reasons.count)
			v[k].rule = rule;
		if (rule)
			continue;
		if (!said)
			check_add_reason(&v[k].reasons, check_foreign_reason);
		said = true;
		if (from)
			snprintf(text, sizeof(text),
				 "process %d comes from "
				 "net:[%" PRIu64 "] (PID %d), which is not as "
				 "prescribed",
				 (int)t->procs[i].pid, (uint64_t)ino,
				 (int)from);
		else
			snprintf(text, sizeof(text),
				 "process %d comes from "
				 "no namespace prescribed for it",
				 (int)t->procs[i].pid);
		check_add_reason(&v[k].reasons, text);
		v[k].rule = NULL;
	}
}

/* One namespace of the user: its verdict, and its processes if wrong. */
static void print_one(struct out *o, const struct prescription *p,
		      const struct target *t, const struct ns_verdict *v)
{
	bool prescribed = v->rule != NULL;

	out_obj_open(o, NULL);
	out_uint(o, "netns", "net:[%" PRIu64 "]", t->ino);
	out_bool(o, "isolated", NULL,
		 !v->joined && !v->foreign && v->reasons.count == 0);
	out_bool(o, "prescribed", NULL, prescribed);
	if (prescribed)
		out_textf(o, " as prescribed (%s, %s:%u)\n",
			  policy_action_name(v->rule->action), p->policy->file,
			  v->rule->line);
	else
		out_textf(o, " NOT as prescribed:\n");
	out_arr_open(o, "reasons");
	for (size_t i = 0; !prescribed && i < v->reasons.count; i++)
		out_string(o, NULL, "    %s\n", v->reasons.text[i]);
	out_arr_close(o);
	check_print_inert(o, &v->reasons, "    ");
	out_arr_open(o, "processes");
	for (size_t i = 0; i < t->nprocs; i++) {
		out_obj_open(o, NULL);
		out_int(o, "pid", prescribed ? NULL : "    %7" PRId64,
			t->procs[i].pid);
		out_string(o, "command", prescribed ? NULL : " %s\n",
			   t->procs[i].comm);
		out_obj_close(o);
	}
	out_arr_close(o);
	out_obj_close(o);
}

/*
 * Judges every namespace of the user's processes: 0, 1 when some process's
 * sockets could not be asked (the verdicts stand without them), -1 on error.
 */
static int judge_all(struct out *o, const struct prescription *p,
		     const struct target_list *list, unsigned int *wrong)
{
	struct ns_verdict *v = calloc(list->count + 1, sizeof(*v));
	int ret = 0;

	if (!v) {
		tool_error("%m");
		return -1;
	}
	for (size_t i = 0; i < list->count && ret == 0; i++)
		ret = judge_ns(p, &list->items[i], &v[i]);
	for (size_t i = 0; i < list->count && ret == 0; i++)
		if (v[i].foreign)
			judge_chain(p, list, v, i);
	for (size_t i = 0; i < list->count; i++)
		ret = v[i].reasons.nomem ? -1 : ret;
	out_arr_open(o, "namespaces");
	for (size_t i = 0; i < list->count && ret == 0; i++) {
		print_one(o, p, &list->items[i], &v[i]);
		if (!v[i].rule)
			*wrong += (unsigned int)list->items[i].nprocs;
	}
	out_arr_close(o);
	for (size_t i = 0; i < list->count; i++) {
		/* Judged without some sockets (said why): exit 2. */
		ret = v[i].unread && ret == 0 ? 1 : ret;
		check_free_reasons(&v[i].reasons);
	}
	free(v);
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
		/* No verdict (a namespace could not be read), but whole JSON.
		 */
		out_obj_close(&o);
		out_end(&o);
		return TOOL_ERROR;
	}
	out_uint(&o, "not_prescribed", "%" PRIu64, wrong);
	out_textf(&o, " process(es) of %s not as prescribed%s", pw->pw_name,
		  wrong && p->none ? "" : "\n");
	if (wrong && p->none)
		out_textf(&o,
			  " (but %s:%u leaves some logins of %s "
			  "un-isolated)\n",
			  p->policy->file, p->none->line, pw->pw_name);
	out_obj_close(&o);
	if (out_end(&o) < 0 || ret > 0)
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
	struct tool_diag err = {stderr, false};
	struct policy_diag diag = {.fn = tool_policy_diag, .data = &err};
	struct prescription p = {0};
	struct target_list list = {0};
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
		tool_error(
		    "check --user: only root can see every process of %s",
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
	free(p.uplinks);
	target_list_free(&list);
	policy_free(policy);
	return status;
}
