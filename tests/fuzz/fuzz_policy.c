// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_policy: libFuzzer target for the policy engine.  The input is a
 * nonet.conf; when it parses, a few fixed logins are decided against it
 * with a fake group lookup (no NSS) that fails now and then, as the input's
 * hash says.  Besides what ASan and UBSan catch, the invariants the module
 * relies on are checked and a breach aborts:
 *
 *  - a parse either gives a policy and no error, or no policy, an error
 *    counted and EINVAL (or ENOMEM);
 *  - a decision is its rule's action and options, or none without a rule;
 *  - root (uid 0) is isolated only by a rule that names the user "root";
 *  - a failed lookup gives -1, an errno and an empty decision, and -1
 *    comes only from a failed lookup;
 *  - groups_looked_up is true exactly when a group or the user's groups
 *    were asked.
 *
 * No file I/O, no NSS: tests/fuzz/run replays tests/fuzz/corpus/policy.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

static void count_diag(void *data, enum policy_severity severity,
		       const char *file, unsigned int line, const char *message)
{
	unsigned int *count = data;

	(void)severity;
	(void)line;
	if (!file || !message)
		abort();
	(*count)++;
}

struct fake {
	uint64_t seed; /* from the policy's hash and the login */
	unsigned int user_calls;
	unsigned int group_calls;
	unsigned int failures; /* injected */
};

static uint64_t mix(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* A failure about one call in eight, when the seed allows any. */
static bool fake_fails(struct fake *f, const char *what)
{
	uint64_t h = mix(f->seed, what);

	if ((f->seed & 3) != 0 || (h >> 29) % 8 != 0)
		return false;
	f->failures++;
	errno = (h >> 40) & 1 ? EIO : 0; /* some fail without an errno */
	return true;
}

/* The user's supplementary groups: a prefix of @some, as the seed says. */
static size_t fake_count(const struct fake *f, const char *user)
{
	size_t n = (size_t)(mix(f->seed, user) % 5);

	return n < 4 ? n : 4;
}

static const gid_t some[] = {100, 2000, 10, 4000};

static int fake_user_groups(void *ctx, const char *user, gid_t gid,
			    gid_t **groups, size_t *count)
{
	struct fake *f = ctx;
	size_t n = fake_count(f, user);
	gid_t *list;

	f->user_calls++;
	if (fake_fails(f, user))
		return -1;
	list = malloc(sizeof(*list) * (n + 1));
	if (!list)
		return -1;
	list[0] = gid;
	memcpy(list + 1, some, sizeof(*list) * n);
	*groups = list;
	*count = n + 1;
	return 0;
}

/* The member list names the user for some of its groups (consistent). */
static bool fake_lists(const struct fake *f, const char *user, gid_t gid)
{
	for (size_t i = 0; i < fake_count(f, user); i++) {
		if (some[i] == gid)
			return (mix(f->seed, user) >> 7) & 1;
	}
	return false;
}

static int fake_group_info(void *ctx, const char *name, const char *user,
			   struct policy_group_info *info)
{
	struct fake *f = ctx;
	static const struct {
		const char *name;
		gid_t gid;
	} known[] = {
	    {"root", 0},	{"wheel", 10},	 {"users", 100},
	    {"students", 2000}, {"kiosk", 2001}, {"examinees", 3000},
	    {"nonet", 4000},
	};
	uint64_t h;

	f->group_calls++;
	if (!name || !*name || !user)
		abort(); /* the parser lets no empty group name through */
	if (fake_fails(f, name))
		return -1;
	info->exists = false;
	for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++) {
		if (strcmp(known[i].name, name) == 0) {
			info->exists = true;
			info->gid = known[i].gid;
		}
	}
	/* Other names: some exist, with a gid the users may or may not have. */
	h = mix(0xcbf29ce484222325ULL, name);
	if (!info->exists && (h & 1)) {
		info->exists = true;
		info->gid = (gid_t)((h >> 8) % 3 ? 5000 + (h >> 16) % 7 : 100);
	}
	info->lists_user = info->exists && fake_lists(f, user, info->gid);
	return 0;
}

static const struct policy_login logins[] = {
    {"alice", 1000, 1000, "sshd", "10.1.2.3", "/dev/pts/0"},
    {"root", 0, 0, "login", NULL, "tty1"},
    {"bob", 1001, 100, NULL, "2001:db8::1", NULL},
    {"carol", 1002, 3000, "cron", "::ffff:192.168.1.5", ":0"},
    {"root", 0, 0, "sshd", "Host.Example.COM", "pts/3"},
    {"exam", 2000, 3000, "gdm-password", "", NULL},
    {"dave", 1003, 2001, "su", "fe80::1%eth0", "/dev/tty7"},
};

/* Does @r name the user "root" (a plain user, not excluded)? */
static bool names_root(const struct policy_rule *r)
{
	for (size_t i = 0; i < r->nwho; i++) {
		const struct policy_who *w = &r->who[i];

		if (w->name && !w->group && !w->exclude &&
		    strcmp(w->name, "root") == 0)
			return true;
	}
	return false;
}

static void check_policy(const struct policy *policy)
{
	char buf[64];

	for (size_t i = 0; i < policy->nrules; i++) {
		const struct policy_rule *r = &policy->rules[i];

		if (!r->text || !r->line || !r->nwho || !r->who)
			abort();
		if (i && r->line <= policy->rules[i - 1].line)
			abort();
		if ((r->action == POLICY_JOIN) != (r->join_name != NULL))
			abort();
		if (r->action == POLICY_NONE && r->options)
			abort();
		if (strcmp(policy_action_name(r->action), "?") == 0)
			abort();
		if (strlen(policy_options_text(r->options, buf, sizeof(buf))) >=
		    sizeof(buf))
			abort();
		for (size_t j = 0; j < r->nwho; j++) {
			if (r->who[j].name && !*r->who[j].name)
				abort();
		}
	}
}

static void decide_all(const struct policy *policy)
{
	for (size_t i = 0; i < sizeof(logins) / sizeof(*logins); i++) {
		const struct policy_login *l = &logins[i];
		struct fake fake = {.seed = policy->hash +
					    i * 0x9e3779b97f4a7c15ULL};
		struct policy_lookup lookup = {fake_user_groups,
					       fake_group_info, &fake};
		struct policy_decision d;
		int ret;

		errno = 0;
		ret = policy_decide(policy, l, &lookup, &d);
		if (ret < 0) {
			if (errno == 0 || !fake.failures || d.rule ||
			    d.action != POLICY_NONE || d.options)
				abort();
			continue;
		}
		if (ret != 0 || fake.failures)
			abort(); /* a failed lookup must never be ignored */
		if (d.groups_looked_up !=
		    (fake.user_calls > 0 || fake.group_calls > 0))
			abort();
		if (!d.rule) {
			if (d.action != POLICY_NONE || d.options)
				abort();
			continue;
		}
		if (d.rule < policy->rules ||
		    d.rule >= policy->rules + policy->nrules)
			abort();
		if (d.action != d.rule->action || d.options != d.rule->options)
			abort();
		if (l->uid == 0 && d.action != POLICY_NONE &&
		    !names_root(d.rule))
			abort(); /* root isolated by ALL, a group or exclusions
				  */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int count = 0;
	struct policy_diag diag = {.fn = count_diag, .data = &count};
	struct policy *policy = (struct policy *)&diag; /* must be reset */
	int ret;

	errno = 0;
	ret =
	    policy_parse("fuzz.conf", (const char *)data, size, &diag, &policy);
	if (count != diag.errors + diag.warnings)
		abort();
	if (ret < 0) {
		if (policy || (errno != EINVAL && errno != ENOMEM) ||
		    (errno == EINVAL && diag.errors == 0))
			abort();
		return 0;
	}
	if (ret != 0 || !policy || diag.errors)
		abort();
	if (policy->nrules == 0)
		abort(); /* no rules is an error */
	check_policy(policy);
	decide_all(policy);
	policy_free(policy);
	return 0;
}
