// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pam_nonet: a PAM session module that moves the session into a network
 * namespace holding nothing but loopback, as `docker run --network none`,
 * for the logins that /etc/security/nonet.conf chooses.
 *
 * The module runs inside sshd, login, su, gdm, cron: it keeps no global
 * state, installs no signal handler, never touches the syslog mask, and
 * closes every descriptor it opens (all O_CLOEXEC) before it returns.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <pwd.h>
#include <security/pam_ext.h>
#include <security/pam_modules.h>
#include <security/pam_modutil.h>

#include "harden.h"
#include "isolate.h"
#include "join.h"
#include "record_session.h"
#include "session_mounts.h"
#include "shared.h"
#include "threads.h"
#include "mask.h"
#include "policy.h"
#include "record.h"
#include "text.h"
#include "uplink.h"

/* Only the PAM entry points leave the object (see pam_nonet.map too). */
#define NONET_EXPORT __attribute__((visibility("default")))

struct module_args {
	bool debug;
	unsigned int options;	 /* POLICY_OPT_*, for every isolating rule */
	const char *conf;	 /* NULL: the default path */
	const char *break_glass; /* comma-separated user names */
	const char *mask;	 /* mask=PATH,...: masked in every session */
	const char *unknown;	 /* first argument we do not know, or NULL */
	const char *duplicate;	 /* first argument given twice, or NULL */
	const char *invalid;	 /* first argument with a bad value, or NULL */
	const char *why;	 /* what is wrong with it */
};

/* The value after @prefix in @arg, or NULL if @arg does not start so. */
static const char *skip_prefix(const char *arg, const char *prefix)
{
	size_t len = strlen(prefix);

	return strncmp(arg, prefix, len) == 0 ? arg + len : NULL;
}

/*
 * Each argument once: of `conf=a conf=b`, neither is the one the admin
 * meant for sure, so a repeat is an error (the first value is kept, for
 * break_glass=).  Each returns whether the argument was given before.
 */
static bool set_bit(unsigned int *bits, unsigned int bit)
{
	bool again = *bits & bit;

	*bits |= bit;
	return again;
}

static bool set_flag(bool *flag)
{
	bool again = *flag;

	*flag = true;
	return again;
}

static bool set_value(const char **slot, const char *value)
{
	if (*slot)
		return true;
	*slot = value;
	return false;
}

/*
 * mask=PATH,...: every path absolute and clean.  Returns whether it was
 * given before (a duplicate, as set_value()).
 */
static bool parse_mask_arg(struct module_args *args, const char *arg,
			   const char *value)
{
	if (args->mask)
		return true;
	if (!mask_list_clean(value)) {
		if (args->invalid)
			return false;
		args->invalid = arg;
		args->why = "mask= needs absolute paths without '//', '.', "
			    "'..' or a trailing '/', comma-separated";
	} else {
		args->mask = value;
	}
	return false;
}

static void parse_args(int argc, const char **argv, struct module_args *args)
{
	memset(args, 0, sizeof(*args));
	for (int i = 0; i < argc; i++) {
		const char *value;
		unsigned int bit = policy_option_bit(argv[i]);
		bool again = false;

		if (bit)
			again = set_bit(&args->options, bit);
		else if (strcmp(argv[i], "debug") == 0)
			again = set_flag(&args->debug);
		else if ((value = skip_prefix(argv[i], "conf=")))
			again = set_value(&args->conf, value);
		else if ((value = skip_prefix(argv[i], "break_glass=")))
			again = set_value(&args->break_glass, value);
		else if ((value = skip_prefix(argv[i], "mask=")))
			again = parse_mask_arg(args, argv[i], value);
		else if (!args->unknown)
			args->unknown = argv[i];
		if (again && !args->duplicate)
			args->duplicate = argv[i];
	}
}

/* Is @user one of break_glass=NAME,NAME (names only, no lookups)? */
static bool is_break_glass(const struct module_args *args, const char *user)
{
	size_t len = strlen(user);

	for (const char *p = args->break_glass; p && *p;) {
		const char *end = strchrnul(p, ',');

		if ((size_t)(end - p) == len && memcmp(p, user, len) == 0)
			return true;
		p = *end ? end + 1 : end;
	}
	return false;
}

/* Tells the refused user, in one line and without detail, why. */
static void tell_user(pam_handle_t *pamh, int flags)
{
	if (flags & PAM_SILENT)
		return;
	(void)pam_error(pamh, "Network isolation could not be set up for this "
			      "session; the login cannot proceed.");
}

/* Policy errors go to syslog as "FILE:LINE: reason". */
static void log_diag(void *data, enum policy_severity severity,
		     const char *file, unsigned int line, const char *message)
{
	char where[TEXT_FIELD_MAX], what[512];

	if (severity != POLICY_ERROR)
		return; /* warnings are for `nonet policy --check` */
	text_escape(where, sizeof(where), file);
	text_escape(what, sizeof(what), message);
	if (line)
		pam_syslog(data, LOG_ERR, "%s:%u: %s", where, line, what);
	else
		pam_syslog(data, LOG_ERR, "%s: %s", where, what);
}

/*
 * The policy could not be applied (bad file, unknown argument, failed
 * lookup): refuse, except root and the break-glass users, who get in
 * without isolation so that an admin can still repair the system.
 */
static int config_failure(pam_handle_t *pamh, const struct module_args *args,
			  const struct passwd *pw, const struct who *who)
{
	if (pw->pw_uid == 0 || is_break_glass(args, pw->pw_name) ||
	    is_break_glass(args, who->name)) {
		pam_syslog(pamh, LOG_WARNING,
			   "letting %s in without network "
			   "isolation despite the error above (%s)",
			   who->log, pw->pw_uid == 0 ? "uid 0" : "break_glass");
		return PAM_IGNORE;
	}
	pam_syslog(pamh, LOG_ERR,
		   "refusing the session of %s: the policy "
		   "cannot be applied",
		   who->log);
	return PAM_SESSION_ERR;
}

/* An unknown or repeated module argument: logged, then config_failure. */
static int bad_argument(pam_handle_t *pamh, const struct module_args *args,
			const struct passwd *pw, const struct who *who)
{
	const char *bad = args->unknown ? args->unknown : args->duplicate;
	char arg[TEXT_FIELD_MAX];

	pam_syslog(pamh, LOG_ERR, "%s module argument \"%s\"",
		   args->unknown ? "unknown" : "duplicate",
		   text_escape(arg, sizeof(arg), bad));
	return config_failure(pamh, args, pw, who);
}

/* Looks up the session's user; logs and returns NULL if there is none. */
static const struct passwd *session_user(pam_handle_t *pamh, struct who *who)
{
	const void *item = NULL;
	const struct passwd *pw;

	if (pam_get_item(pamh, PAM_USER, &item) != PAM_SUCCESS || !item ||
	    !*(const char *)item) {
		pam_syslog(pamh, LOG_ERR, "no user name in the PAM handle");
		return NULL;
	}
	who->name = item;
	text_escape(who->log, sizeof(who->log), who->name);
	pw = pam_modutil_getpwnam(pamh, who->name);
	if (!pw)
		pam_syslog(pamh, LOG_ERR,
			   "unknown user %s: refusing the session", who->log);
	return pw;
}

static const char *get_item(pam_handle_t *pamh, int type)
{
	const void *item = NULL;

	if (pam_get_item(pamh, type, &item) != PAM_SUCCESS)
		return NULL;
	return item;
}

/* Decides with the policy; -1 (logged) if a group lookup failed. */
static int decide(pam_handle_t *pamh, const struct policy *policy,
		  const struct passwd *pw, const struct who *who,
		  struct policy_decision *decision)
{
	struct policy_login login = {
	    .user = pw->pw_name,
	    .uid = pw->pw_uid,
	    .gid = pw->pw_gid,
	    .service = get_item(pamh, PAM_SERVICE),
	    .rhost = get_item(pamh, PAM_RHOST),
	    .tty = get_item(pamh, PAM_TTY),
	};
	char why[512], what[512];

	if (policy_decide(policy, &login, &policy_nss_lookup, decision) == 0)
		return 0;
	policy_failure_text(decision, errno, why, sizeof(why));
	pam_syslog(pamh, LOG_ERR, "cannot look up the groups of %s: %s",
		   who->log, text_escape(what, sizeof(what), why));
	return -1;
}

/* "FILE:LINE" of the deciding rule, or what decided instead. */
static const char *rule_name(const struct policy *policy,
			     const struct policy_decision *d, char *buf,
			     size_t size)
{
	char file[TEXT_FIELD_MAX];

	if (!d->rule)
		return "none-matched";
	snprintf(buf, size, "%s:%u",
		 text_escape(file, sizeof(file), policy->file), d->rule->line);
	return buf;
}

/*
 * uplink=NAME of a private rule: the session's link, its lease naming the
 * record that @ident (filled here) will be written under.
 */
static int open_uplink(pam_handle_t *pamh, const struct who *who,
		       const char *uplink, struct isolated *how,
		       struct session_facts *facts, struct record *ident)
{
	if (record_identify(ident) < 0) {
		pam_syslog(pamh, LOG_ERR,
			   "cannot identify the session of %s: %m", who->log);
		return -1;
	}
	if (uplink_session_open(pamh, who, uplink, ident->id, how->ipv6 == 1,
				&how->lease) < 0)
		return -1;
	how->uplink = facts->uplink = uplink;
	facts->lease = how->lease;
	facts->record_id = ident->id;
	return 0;
}

/* Carries out an isolating decision; PAM_SUCCESS or PAM_SESSION_ERR. */
static int apply(pam_handle_t *pamh, const struct module_args *args,
		 const struct passwd *pw, const struct who *who,
		 const struct policy *policy, const struct policy_decision *d,
		 const char *rule)
{
	unsigned int options = d->options | args->options;
	bool ipv6 = options & POLICY_OPT_IPV6;
	struct isolated how = {.rule = rule};
	struct mount_plan plan = {
	    .options = options,
	    .join_name = d->action == POLICY_JOIN ? d->rule->join_name : NULL,
	    .rule_masks = d->rule->mask_paths,
	    .nrule_masks = d->rule->nmask_paths,
	    .arg_masks = args->mask,
	};
	struct session_facts facts = {
	    .user = pw->pw_name,
	    .uid = pw->pw_uid,
	    .rule = rule,
	    .policy_hash = policy->hash,
	};
	struct record ident;
	char hardening[64];
	int ret = -1;

	if (args->debug)
		pam_syslog(pamh, LOG_DEBUG,
			   "isolating the session of %s by "
			   "rule %s",
			   who->log, rule);
	if (check_threads(pamh, who, options & POLICY_OPT_SINGLE_THREAD) < 0)
		return PAM_SESSION_ERR;
	switch (d->action) {
	case POLICY_PRIVATE:
		ret = isolate_private(pamh, who, ipv6, &how);
		if (ret == 0 && d->rule->uplink)
			ret = open_uplink(pamh, who, d->rule->uplink, &how,
					  &facts, &ident);
		break;
	case POLICY_SHARED:
		ret = isolate_shared(pamh, who, pw->pw_name, ipv6, &how);
		break;
	case POLICY_JOIN:
		ret = isolate_join(pamh, who, d->rule->join_name, &how);
		break;
	case POLICY_NONE: break;
	}
	how.hardening =
	    policy_options_text(options & ~(unsigned int)POLICY_OPT_IPV6,
				hardening, sizeof(hardening));
	facts.mode = how.mode;
	facts.name = how.name[0] ? how.name : NULL;
	/* "isolated" is logged last: only once nothing can refuse any more. */
	if (ret == 0 && (session_mounts(pamh, who, &plan) < 0 ||
			 harden_session(pamh, who, options) < 0 ||
			 record_session(pamh, who, &facts) < 0 ||
			 isolate_log(pamh, who, &how) < 0)) {
		record_session_close(pamh);
		uplink_session_close(pamh);
		isolate_shared_close(pamh); /* uncount a shared session */
		ret = -1;
	}
	return ret == 0 ? PAM_SUCCESS : PAM_SESSION_ERR;
}

/*
 * A login the policy leaves alone is recorded when some rule may isolate
 * the user (for other logins): the audit then knows its processes are
 * meant to have the host's network.  Nothing is looked up for that (a rule
 * naming a group counts as one that may): the decision was made, and a
 * slow or failing directory must not delay or refuse the login now.  A
 * failure here refuses nothing.
 */
static void record_unisolated(pam_handle_t *pamh, const struct passwd *pw,
			      const struct who *who,
			      const struct policy *policy, const char *rule)
{
	struct policy_login login = {
	    .user = pw->pw_name, .uid = pw->pw_uid, .gid = pw->pw_gid};
	struct session_facts facts = {.user = pw->pw_name,
				      .uid = pw->pw_uid,
				      .mode = "none",
				      .rule = rule,
				      .policy_hash = policy->hash};
	const struct policy_rule **rules = NULL;
	bool audited = false;
	size_t n = 0;

	if (policy_rules_for_user(policy, &login, NULL, &rules, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++)
		audited |= rules[i]->action != POLICY_NONE;
	free(rules);
	if (audited)
		(void)record_session(pamh, who, &facts);
}

/* The decision for one login, with the policy loaded. */
static int open_with_policy(pam_handle_t *pamh, const struct module_args *args,
			    const struct passwd *pw, const struct who *who,
			    const struct policy *policy)
{
	struct policy_decision d;
	char buf[TEXT_FIELD_MAX + 16];
	const char *rule;

	if (decide(pamh, policy, pw, who, &d) < 0)
		return config_failure(pamh, args, pw, who);
	rule = rule_name(policy, &d, buf, sizeof(buf));
	if (d.action == POLICY_NONE) {
		pam_syslog(pamh, LOG_INFO,
			   "not isolating the session of %s: "
			   "rule=%s",
			   who->log, rule);
		record_unisolated(pamh, pw, who, policy, rule);
		return PAM_IGNORE;
	}
	return apply(pamh, args, pw, who, policy, &d, rule);
}

/*
 * PAM_IGNORE when the policy leaves the login alone (or lets root or a
 * break-glass user through an unusable policy); PAM_SUCCESS once the
 * session is in its namespace; PAM_SESSION_ERR on an unknown user, an
 * unusable policy, and any failure after deciding to isolate.
 */
NONET_EXPORT int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc,
				     const char **argv)
{
	struct policy_diag diag = {.fn = log_diag, .data = pamh};
	struct policy *policy = NULL;
	struct module_args args;
	const struct passwd *pw;
	struct who who = {NULL, ""};
	int ret;

	parse_args(argc, argv, &args);
	pw = session_user(pamh, &who);
	if (!pw) {
		ret = PAM_SESSION_ERR;
	} else if (args.unknown || args.duplicate) {
		ret = bad_argument(pamh, &args, pw, &who);
	} else if (args.invalid) {
		char arg[TEXT_FIELD_MAX];

		pam_syslog(pamh, LOG_ERR, "module argument \"%s\": %s",
			   text_escape(arg, sizeof(arg), args.invalid),
			   args.why);
		ret = config_failure(pamh, &args, pw, &who);
	} else if (policy_load(args.conf, &diag, &policy) < 0) {
		if (diag.errors == 0)
			pam_syslog(pamh, LOG_ERR, "cannot load the policy: %m");
		ret = config_failure(pamh, &args, pw, &who);
	} else {
		ret = open_with_policy(pamh, &args, pw, &who, policy);
	}
	policy_free(policy);
	if (ret == PAM_SESSION_ERR)
		tell_user(pamh, flags);
	return ret;
}

/*
 * A private namespace goes with its last process: nothing to undo but its
 * uplink link and lease, if it has one.  A shared one is uncounted, and
 * unpinned after its last session.  Always
 * PAM_SUCCESS: a session that ends cannot be refused.
 */
NONET_EXPORT int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc,
				      const char **argv)
{
	record_session_close(pamh);
	uplink_session_close(pamh);
	isolate_shared_close(pamh);
	(void)flags;
	(void)argc;
	(void)argv;
	return PAM_SUCCESS;
}
