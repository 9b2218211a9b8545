// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * policy_match: the first rule that matches a login decides.
 *
 * Group membership is looked up lazily, and only when a rule naming a
 * group is reached: a policy that names no group costs no NSS traffic at
 * login.  A failed lookup is an error, never "not a member".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fnmatch.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

struct matcher {
	const struct policy_login *login;
	const struct policy_lookup *lookup; /* NULL: look nothing up */
	gid_t *groups; /* the user's groups, once looked up */
	size_t ngroups;
	bool looked_up; /* user_groups was called */
	bool asked;	/* any lookup was made */
	bool failed;	/* a lookup failed: the decision is void */
	enum policy_failure failure;
	const char *failed_group;
};

static bool failed(struct matcher *m, enum policy_failure why,
		   const char *group)
{
	m->failed = true;
	m->failure = why;
	m->failed_group = group;
	return false;
}

static int load_groups(struct matcher *m)
{
	if (m->looked_up)
		return 0;
	if (m->lookup->user_groups(m->lookup->ctx, m->login->user,
				   m->login->gid, &m->groups, &m->ngroups) < 0)
		return -1;
	m->looked_up = true;
	return 0;
}

static bool has_gid(const struct matcher *m, gid_t gid)
{
	for (size_t i = 0; i < m->ngroups; i++) {
		if (m->groups[i] == gid)
			return true;
	}
	return false;
}

/*
 * Is the user in group @name?  The group's own entry decides (its gid is
 * the user's primary group, or its member list names the user): a failure
 * there is reported by NSS.  The initgroups list only adds members that
 * the entry does not name (backends that leave member lists empty), since
 * a backend failing there is silent.  A member list naming the user while
 * the initgroups list lacks the group is such a silent failure (or a stale
 * cache): an error too, never a guess.
 */
static bool in_group(struct matcher *m, const char *name)
{
	struct policy_group_info g = {0};
	bool listed;

	if (m->failed)
		return false;
	m->asked = true;
	if (m->lookup->group_info(m->lookup->ctx, name, m->login->user, &g) < 0)
		return failed(m, POLICY_FAILED_GROUP, name);
	if (!g.exists)
		return false; /* a group that does not exist has no members */
	if (g.gid == m->login->gid)
		return true;
	if (load_groups(m) < 0)
		return failed(m, POLICY_FAILED_USER_GROUPS, name);
	listed = has_gid(m, g.gid);
	if (g.lists_user && !listed) {
		errno = EIO;
		return failed(m, POLICY_FAILED_DISAGREE, name);
	}
	return listed;
}

static bool who_item_matches(struct matcher *m, const struct policy_who *w)
{
	if (!w->name)
		return true; /* ALL */
	if (w->group && !m->lookup)
		return !w->exclude; /* may match, may not exclude */
	if (w->group)
		return in_group(m, w->name);
	return strcmp(w->name, m->login->user) == 0;
}

/*
 * Exclusions win; a WHO made only of exclusions means everyone else.  Root
 * is isolated only by a rule that names it as a user: ALL, groups and
 * exclusion lists do not reach it (a none rule reaches it as anyone).
 */
static bool who_matches(struct matcher *m, const struct policy_rule *r)
{
	bool root = m->login->uid == 0 && r->action != POLICY_NONE;
	bool any_positive = false, hit = false;

	for (size_t i = 0; i < r->nwho; i++) {
		const struct policy_who *w = &r->who[i];

		if (w->exclude) {
			if (who_item_matches(m, w))
				return false;
			continue;
		}
		any_positive = true;
		if (root && (w->group || !w->name))
			continue;
		if (!hit && who_item_matches(m, w))
			hit = true;
	}
	if (root)
		return hit;
	return hit || !any_positive;
}

static bool in_list(char *const *items, size_t n, const char *value)
{
	for (size_t i = 0; i < n; i++) {
		if (value && strcmp(items[i], value) == 0)
			return true;
	}
	return false;
}

/* Does @ip (of @family) lie in the network @net? */
static bool in_net(const struct policy_from *net, int family, const uint8_t *ip)
{
	unsigned int bits = net->prefixlen, bytes = bits / 8;

	if (family != net->family)
		return false;
	if (memcmp(ip, net->addr, bytes) != 0)
		return false;
	if (bits % 8 == 0)
		return true;
	return ((ip[bytes] ^ net->addr[bytes]) & (0xff00 >> (bits % 8))) == 0;
}

/* A literal address in PAM_RHOST; IPv4-mapped IPv6 also counts as IPv4. */
static int parse_rhost(const char *rhost, uint8_t *ip)
{
	if (inet_pton(AF_INET, rhost, ip) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, rhost, ip) != 1)
		return 0;
	if (IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)ip)) {
		memmove(ip, ip + 12, 4);
		return AF_INET;
	}
	return AF_INET6;
}

static bool from_matches(const struct policy_rule *r, const char *rhost)
{
	bool local = !rhost || !*rhost;
	uint8_t ip[16];
	int family = local ? 0 : parse_rhost(rhost, ip);

	for (size_t i = 0; i < r->nfrom; i++) {
		const struct policy_from *f = &r->from[i];

		if (f->kind == FROM_LOCAL && local)
			return true;
		if (f->kind == FROM_NET && family && in_net(f, family, ip))
			return true;
		if (f->kind == FROM_GLOB && !local &&
		    fnmatch(f->glob, rhost, FNM_CASEFOLD) == 0)
			return true;
	}
	return false;
}

static bool tty_matches(const struct policy_rule *r, const char *tty)
{
	if (!tty)
		return false;
	if (strncmp(tty, "/dev/", 5) == 0)
		tty += 5;
	for (size_t i = 0; i < r->nttys; i++) {
		if (fnmatch(r->ttys[i], tty, 0) == 0)
			return true;
	}
	return false;
}

static bool rule_matches(struct matcher *m, const struct policy_rule *r)
{
	const struct policy_login *l = m->login;

	/* The cheap conditions first: they spare group lookups. */
	if (r->services && !in_list(r->services, r->nservices, l->service))
		return false;
	if (r->from && !from_matches(r, l->rhost))
		return false;
	if (r->ttys && !tty_matches(r, l->tty))
		return false;
	return who_matches(m, r);
}

int policy_decide(const struct policy *policy, const struct policy_login *login,
		  const struct policy_lookup *lookup,
		  struct policy_decision *out)
{
	struct matcher m = {.login = login, .lookup = lookup};

	memset(out, 0, sizeof(*out));
	out->action = POLICY_NONE;
	for (size_t i = 0; i < policy->nrules; i++) {
		const struct policy_rule *r = &policy->rules[i];
		bool hit = rule_matches(&m, r);

		if (m.failed)
			break;
		if (hit) {
			out->rule = r;
			out->action = r->action;
			out->options = r->options;
			break;
		}
	}
	out->groups_looked_up = m.asked;
	free(m.groups);
	if (m.failed) {
		memset(out, 0, sizeof(*out));
		out->failure = m.failure;
		out->failed_group = m.failed_group;
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

const char *policy_failure_text(const struct policy_decision *d, int err,
				char *buf, size_t size)
{
	const char *group = d->failed_group ? d->failed_group : "?";

	switch (d->failure) {
	case POLICY_FAILED_GROUP:
		snprintf(buf, size, "group %s: %s", group, strerror(err));
		break;
	case POLICY_FAILED_USER_GROUPS:
		snprintf(buf, size, "the user's groups (for %s): %s", group,
			 strerror(err));
		break;
	case POLICY_FAILED_DISAGREE:
		snprintf(buf, size,
			 "group %s lists the user but the user's "
			 "group list (initgroups) lacks it: a failing NSS "
			 "backend or a stale cache",
			 group);
		break;
	default: snprintf(buf, size, "%s", strerror(err)); break;
	}
	return buf;
}

int policy_rules_for_user(const struct policy *policy,
			  const struct policy_login *login,
			  const struct policy_lookup *lookup,
			  const struct policy_rule ***rules, size_t *count)
{
	struct matcher m = {.login = login, .lookup = lookup};
	const struct policy_rule **list;
	size_t n = 0;

	/* An array of pointers: sizeof a pointer is meant. */
	list = calloc(policy->nrules + 1,
		      sizeof(*list)); /* NOLINT(bugprone-sizeof-expression) */
	if (!list)
		return -1;
	for (size_t i = 0; i < policy->nrules && !m.failed; i++) {
		if (who_matches(&m, &policy->rules[i]))
			list[n++] = &policy->rules[i];
	}
	free(m.groups);
	if (m.failed) {
		free(list);
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	*rules = list;
	*count = n;
	return 0;
}
