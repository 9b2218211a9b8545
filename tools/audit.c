// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * audit: the judgement of `nonet audit`: every process of the users some
 * rule isolates, judged against their recorded sessions.
 *
 * A process of such a user is as prescribed when each of its threads is
 * in the namespace one of the user's live sessions was given, or when it
 * descends from the calling process of a live session the policy left in
 * the host's namespace (mode none).  A thread anywhere else escapes,
 * unless its namespace is isolated all the same (a process that outlived
 * its session, say): that is an orphan, not an escape.  A namespace that
 * a user namespace of a user owns is never nonet's (nor isolated: its
 * owner may configure it): a process in one is judged by where its parent
 * chain comes from.  And a process that holds a socket in a namespace
 * other than its own, its sessions' or an isolated one of nonet's escapes
 * through it, wherever it is (sockns.h says how sockets are found).
 *
 * /proc is read once (proctab); the policy is asked once per uid; and a
 * namespace is entered only to judge it, once, and only when a process of
 * an audited user is in it with no live session to vouch for it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "audit_priv.h"
#include "check_judge.h"
#include "policy.h"
#include "proc.h"
#include "sockns.h"
#include "target.h"
#include "user_rule.h"
#include "tool.h"

/* "MODE net:[INODE]", once per namespace (shared sessions share one). */
static void add_netns(struct audit_user *u, const struct record *r)
{
	char ns[48];

	snprintf(ns, sizeof(ns), " net:[%" PRIu64 "]", (uint64_t)r->netns_ino);
	if (!strstr(u->prescribed, ns))
		audit_append(u->prescribed, sizeof(u->prescribed), "%s%s",
			     r->mode, ns);
}

/* What the user's live sessions give, or what the policy would. */
static void user_sessions(struct audit *a, struct audit_user *u,
			  const struct policy_rule *rule)
{
	const struct sessions *s = &a->s;

	for (size_t i = 0; i < s->count; i++) {
		const struct record *r = &s->records[i];

		if (r->uid != u->uid || s->stale[i])
			continue;
		if (!u->has_live || r->start < u->first_start)
			u->first_start = r->start;
		u->has_live = true;
		if (!sessions_isolated(r))
			audit_append(u->prescribed, sizeof(u->prescribed),
				     "none (under PID %d)", (int)r->pid);
		else
			add_netns(u, r);
	}
	if (u->has_live || !rule)
		return;
	audit_append(u->prescribed, sizeof(u->prescribed), "%s%s%s by %s:%u",
		     policy_action_name(rule->action),
		     rule->join_name ? "=" : "",
		     rule->join_name ? rule->join_name : "", s->policy->file,
		     rule->line);
}

/* Without a usable policy, the users with a live isolated session. */
static bool has_isolated_session(const struct sessions *s, uid_t uid)
{
	for (size_t i = 0; i < s->count; i++)
		if (s->records[i].uid == uid && !s->stale[i] &&
		    sessions_isolated(&s->records[i]))
			return true;
	return false;
}

static void user_lookup(struct audit *a, struct audit_user *u)
{
	const struct policy_rule *rule = NULL;
	struct passwd pw, *found = NULL;
	char buf[16384];
	int err = getpwuid_r(u->uid, &pw, buf, sizeof(buf), &found);

	snprintf(u->name, sizeof(u->name), "%u", (unsigned int)u->uid);
	if (!found) {
		/* No name: no rule names it, no login has it.  Not audited. */
		if (err) {
			errno = err;
			tool_error("audit: cannot look up uid %s: %m", u->name);
			a->error = true;
		}
		return;
	}
	snprintf(u->name, sizeof(u->name), "%s", pw.pw_name);
	if (!a->s.policy) {
		u->audited = has_isolated_session(&a->s, u->uid);
	} else if (tool_isolating_rule(a->s.policy, &pw, &rule) < 0) {
		tool_error("audit: cannot look up the groups of %s: %m",
			   u->name);
		a->error = true;
	} else {
		u->audited = rule != NULL;
	}
	if (u->audited)
		user_sessions(a, u, rule);
}

/* The user @uid, looked up the first time; NULL only without memory. */
static struct audit_user *user_get(struct audit *a, uid_t uid)
{
	struct audit_user *grown;

	for (size_t i = 0; i < a->nusers; i++)
		if (a->users[i].uid == uid)
			return &a->users[i];
	grown = reallocarray(a->users, a->nusers + 1, sizeof(*grown));
	if (!grown) {
		tool_error("audit: %m");
		a->error = true;
		return NULL;
	}
	a->users = grown;
	memset(&grown[a->nusers], 0, sizeof(*grown));
	grown[a->nusers].uid = uid;
	user_lookup(a, &grown[a->nusers]);
	return &grown[a->nusers++];
}

/* A live session of the user that gave namespace @n, or NULL. */
static const struct record *ns_session(const struct audit *a, uid_t uid,
				       const struct proctab_ns *n)
{
	const struct sessions *s = &a->s;

	for (size_t i = 0; i < s->count; i++) {
		const struct record *r = &s->records[i];

		if (r->uid == uid && !s->stale[i] && sessions_isolated(r) &&
		    r->netns_dev == n->dev && r->netns_ino == n->ino)
			return r;
	}
	return NULL;
}

/* The live un-isolated session of the user @p descends from, or NULL. */
static const struct record *none_session(const struct audit *a,
					 const struct proctab_proc *p)
{
	const struct sessions *s = &a->s;

	for (size_t i = 0; i < s->count; i++) {
		const struct record *r = &s->records[i];

		if (r->uid == p->uid && !s->stale[i] && !sessions_isolated(r) &&
		    proctab_descends(&a->pt, p, r->pid))
			return r;
	}
	return NULL;
}

/*
 * Opens namespace @dev:@ino through any thread seen in it: the one first
 * seen may have ended since.  The descriptor keeps it from going away
 * while it is judged.  -1 when no thread is left in it.
 */
static int open_ns(const struct audit *a, dev_t dev, ino_t ino)
{
	for (size_t i = 0; i < a->pt.nns; i++) {
		const struct proctab_ns *n = &a->pt.ns[i];
		char path[PROC_PATH_MAX];
		struct stat st;
		int fd;

		if (n->dev != dev || n->ino != ino)
			continue;
		proc_netns_path(path, sizeof(path), n->pid, n->tid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (fstat(fd, &st) == 0 && st.st_dev == dev && st.st_ino == ino)
			return fd;
		close(fd);
	}
	return -1;
}

/* check_judge's verdict on one namespace open at @fd (the only place one
 * is entered), and whether a user namespace of a user owns it. */
static void judge_ns(struct audit_ns *ns, int fd)
{
	struct check_reasons reasons = {0};
	struct target t = {.dev = ns->dev, .ino = ns->ino};
	char what[64];
	int initial;

	ns->state = NS_GONE;
	if (fd < 0)
		return;
	snprintf(t.path, sizeof(t.path), "/proc/self/fd/%d", fd);
	snprintf(what, sizeof(what), "net:[%" PRIu64 "]", (uint64_t)ns->ino);
	initial = sockns_owner_initial(fd);
	if (initial < 0)
		tool_error(
		    "audit: cannot tell which user namespace owns %s: %m",
		    what);
	if (initial < 0) {
		ns->state = NS_ERROR;
	} else if (check_judge(&t, what, &reasons) < 0) {
		tool_error("%s", reasons.error);
		ns->state = NS_ERROR;
	} else {
		ns->state = reasons.count ? NS_OPEN : NS_ISOLATED;
	}
	ns->foreign = initial == 0;
	check_free_reasons(&reasons);
}

/*
 * Namespace @dev:@ino, judged the first time it is asked for: through
 * @fd when it is open already (a socket's), else through a thread in it.
 * NULL without memory.
 */
static const struct audit_ns *ns_get(struct audit *a, dev_t dev, ino_t ino,
				     int fd)
{
	struct audit_ns *grown;
	int opened = -1;

	for (size_t i = 0; i < a->nns; i++)
		if (a->ns[i].dev == dev && a->ns[i].ino == ino)
			return &a->ns[i];
	grown = reallocarray(a->ns, a->nns + 1, sizeof(*grown));
	if (!grown) {
		a->error = true;
		return NULL;
	}
	a->ns = grown;
	grown[a->nns] = (struct audit_ns){.dev = dev, .ino = ino};
	if (fd < 0)
		fd = opened = open_ns(a, dev, ino);
	judge_ns(&grown[a->nns], fd);
	if (opened >= 0)
		close(opened);
	if (grown[a->nns].state == NS_ERROR)
		a->error = true;
	return &grown[a->nns++];
}

/*
 * A namespace a user made for itself is never nonet's: the process is
 * judged by where its parent chain comes from, the first ancestor in a
 * namespace that is not such.  Appends to the cause when it escapes.
 */
static enum verdict chain_verdict(struct audit *a, struct finding *f,
				  const struct proctab_ns *n,
				  const struct record **session)
{
	const struct proctab_proc *q = f->proc;

	for (int depth = 0; depth < 64 && q->ppid > 1; depth++) {
		const struct proctab_ns *qn;
		const struct audit_ns *s;

		q = proctab_find(&a->pt, q->ppid);
		if (!q || !q->ns_count)
			break;
		qn = &a->pt.ns[q->ns_first];
		if ((*session = ns_session(a, f->proc->uid, qn)))
			return V_PRESCRIBED;
		s = ns_get(a, qn->dev, qn->ino, -1);
		if (!s || s->state == NS_ERROR || s->state == NS_GONE)
			break;
		if (s->foreign)
			continue;
		if (s->state == NS_ISOLATED)
			return V_ORPHAN;
		audit_append(f->cause, sizeof(f->cause),
			     "in net:[%" PRIu64 "] of a user namespace of its "
			     "own, come from net:[%" PRIu64 "] (not isolated) "
			     "of %s (PID %d)",
			     (uint64_t)n->ino, (uint64_t)qn->ino, q->comm,
			     (int)q->pid);
		return V_ESCAPE;
	}
	audit_append(f->cause, sizeof(f->cause),
		     "in net:[%" PRIu64 "] of a user namespace of its own, "
		     "under no session",
		     (uint64_t)n->ino);
	return V_ESCAPE;
}

/* The verdict on each thread's namespace; the worst one decides. */
static int judge_threads(struct audit *a, struct finding *f)
{
	const struct proctab_proc *p = f->proc;

	for (size_t i = 0; i < p->ns_count; i++) {
		const struct proctab_ns *n = &a->pt.ns[p->ns_first + i];
		const struct record *r = ns_session(a, p->uid, n);
		enum verdict v = V_PRESCRIBED;

		if (!r) {
			const struct audit_ns *s =
			    ns_get(a, n->dev, n->ino, -1);

			if (!s || s->state == NS_GONE || s->state == NS_ERROR)
				return -1; /* ended meanwhile, or said why */
			if (s->foreign)
				v = chain_verdict(a, f, n, &r);
			else
				v = s->state == NS_ISOLATED ? V_ORPHAN
							    : V_ESCAPE;
		}
		if (!f->ns || v > f->verdict) {
			f->verdict = v;
			f->ns = n;
			f->session = r;
		}
	}
	return f->ns ? 0 : -1;
}

struct sock_judge {
	struct audit *a;
	const struct finding *f;
};

/* A socket is harmless in the process's own namespaces, in a session's
 * of its user, or in an isolated namespace of nonet's. */
static int sock_harmless(void *data, const struct sockns *sn,
			 struct check_reasons *r)
{
	const struct sock_judge *j = data;
	const struct proctab_proc *p = j->f->proc;
	struct proctab_ns n = {.dev = sn->dev, .ino = sn->ino};
	const struct audit_ns *s;

	if (proctab_in_ns(&j->a->pt, p, sn->dev, sn->ino) ||
	    ns_session(j->a, p->uid, &n))
		return 1;
	(void)r; /* judge_ns() prints why a namespace cannot be judged */
	s = ns_get(j->a, sn->dev, sn->ino, sn->fd);
	if (!s || s->state == NS_ERROR)
		return -1;
	return s->state == NS_ISOLATED && !s->foreign;
}

/* Sockets in a namespace other than the process's prescribed: escapes. */
static void judge_sockets(struct audit *a, struct finding *f)
{
	struct sock_judge j = {a, f};
	struct check_reasons r = {0};

	if (check_sockets(f->proc->pid, "", sock_harmless, &j, &r) < 0) {
		if (r.error[0])
			tool_error("%s", r.error);
		a->error = true;
	}
	for (size_t i = 0; i < r.count; i++)
		audit_append(f->cause, sizeof(f->cause), "%s", r.text[i]);
	if (r.count)
		f->verdict = V_ESCAPE;
	check_free_reasons(&r);
}

static int add_finding(struct audit *a, const struct finding *f)
{
	struct finding *grown;

	grown = reallocarray(a->findings, a->nfindings + 1, sizeof(*grown));
	if (!grown) {
		tool_error("audit: %m");
		a->error = true;
		return -1;
	}
	a->findings = grown;
	grown[a->nfindings++] = *f;
	return 0;
}

static void judge_proc(struct audit *a, const struct proctab_proc *p)
{
	struct finding f = {.proc = p};
	struct audit_user *u;

	/* Neither the kernel's threads nor the audit itself are a login's. */
	if (p->kthread || p->pid == a->self)
		return;
	u = user_get(a, p->uid);
	if (!u || !u->audited)
		return;
	f.user = (size_t)(u - a->users);
	f.session = none_session(a, p);
	if (f.session) {
		f.verdict = V_NONE_SESSION;
		f.ns = &a->pt.ns[p->ns_first];
	} else if (judge_threads(a, &f) < 0) {
		return;
	} else {
		judge_sockets(a, &f);
	}
	u->judged++;
	if (f.verdict == V_ESCAPE) {
		audit_find_cause(a, &f);
		u->escapes++;
		a->escapes++;
	}
	a->orphans += f.verdict == V_ORPHAN;
	(void)add_finding(a, &f);
}

/* Processes whose namespace root cannot read matter if audited. */
static void check_hidden(struct audit *a)
{
	for (size_t i = 0; i < a->pt.nhidden; i++) {
		const struct proctab_hidden *h = &a->pt.hidden[i];
		const struct audit_user *u = user_get(a, h->uid);

		if (!u || !u->audited)
			continue;
		errno = h->err;
		tool_error("audit: cannot read the namespace of process %d "
			   "(%s) of %s: %m",
			   (int)h->pid, h->comm, u->name);
		a->unreadable++;
		a->error = true;
	}
}

const char *audit_verdict_name(enum verdict v)
{
	static const char *const names[] = {
	    [V_PRESCRIBED] = "prescribed",
	    [V_NONE_SESSION] = "none-session",
	    [V_ORPHAN] = "orphan",
	    [V_ESCAPE] = "escape",
	};

	return names[v];
}

const char *const audit_modes[AUDIT_NMODES] = {"none", "private", "shared",
					       "join"};

unsigned int audit_live_sessions(const struct audit *a, const char *mode)
{
	unsigned int n = 0;

	for (size_t i = 0; i < a->s.count; i++)
		n += !a->s.stale[i] && strcmp(a->s.records[i].mode, mode) == 0;
	return n;
}

unsigned int audit_stale_records(const struct audit *a)
{
	unsigned int n = 0;

	for (size_t i = 0; i < a->s.count; i++)
		n += a->s.stale[i];
	return n;
}

void audit_free(struct audit *a)
{
	table_free(&a->table);
	sessions_free(&a->s);
	proctab_free(&a->pt);
	free(a->users);
	free(a->ns);
	free(a->findings);
	free(a->uplinks);
}

int audit_collect(struct audit *a)
{
	clock_gettime(CLOCK_REALTIME, &a->when);
	a->self = getpid();
	if (sessions_load(&a->s, a->opts->conf, "audit") < 0)
		return -1;
	a->error = !a->s.policy;
	if (proctab_read(&a->pt) < 0) {
		tool_error("audit: cannot read /proc: %m");
		return -1;
	}
	check_hidden(a);
	for (size_t i = 0; i < a->pt.count; i++)
		judge_proc(a, &a->pt.procs[i]);
	audit_uplinks_collect(a);
	return 0;
}
