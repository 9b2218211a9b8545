// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nonet policy: check nonet.conf as the module would read it, and explain
 * the decision for one login.
 */
#include <errno.h>
#include <stdarg.h>
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "policy.h"
#include "policy_cmd.h"
#include "policy_diag.h"
#include "tool.h"

static void warn_rule(struct policy_diag *diag, const char *file,
		      const struct policy_rule *r, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void warn_rule(struct policy_diag *diag, const char *file,
		      const struct policy_rule *r, const char *fmt, ...)
{
	char message[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	diag->warnings++;
	tool_policy_diag(diag->data, POLICY_WARNING, file, r->line, message);
}

/* Names in WHO that NSS does not know: probably typos. */
static void warn_unknown_names(struct policy_diag *diag, const char *file,
			       const struct policy_rule *r)
{
	for (size_t i = 0; i < r->nwho; i++) {
		const struct policy_who *w = &r->who[i];

		if (!w->name)
			continue;
		errno = 0;
		if (w->group && getgrnam(w->name))
			continue;
		/* An errno is a failed lookup (ENOENT too), not "no such". */
		if (w->group && errno)
			warn_rule(diag, file, r,
				  "cannot look up group %s: %s "
				  "(a login that reaches this rule is refused)",
				  w->name, strerror(errno));
		else if (w->group)
			warn_rule(diag, file, r, "group %s does not exist",
				  w->name);
		else if (!w->group && !getpwnam(w->name))
			warn_rule(diag, file, r, "user %s does not exist%s%s",
				  w->name, errno ? ": " : "",
				  errno ? strerror(errno) : "");
	}
}

static bool same_who(const struct policy_rule *a, const struct policy_rule *b)
{
	if (a->nwho != b->nwho)
		return false;
	for (size_t i = 0; i < a->nwho; i++) {
		const struct policy_who *x = &a->who[i], *y = &b->who[i];

		if (x->group != y->group || x->exclude != y->exclude ||
		    !x->name != !y->name ||
		    (x->name && strcmp(x->name, y->name) != 0))
			return false;
	}
	return true;
}

/* Does some isolating rule for the same WHO cover @service? */
static bool covered(const struct policy *p, const struct policy_rule *r,
		    const char *service)
{
	for (size_t i = 0; i < p->nrules; i++) {
		const struct policy_rule *o = &p->rules[i];

		if (o->action == POLICY_NONE || !same_who(r, o))
			continue;
		if (!o->services)
			return true;
		for (size_t s = 0; s < o->nservices; s++) {
			if (strcmp(o->services[s], service) == 0)
				return true;
		}
	}
	return false;
}

/* Jobs of cron, atd and systemd --user escape a service-limited rule. */
static void warn_background(struct policy_diag *diag, const struct policy *p,
			    const struct policy_rule *r)
{
	static const char *const background[] = {"cron", "atd", "systemd-user"};

	if (r->action == POLICY_NONE || !r->services)
		return;
	for (size_t i = 0; i < 3; i++) {
		if (!covered(p, r, background[i]))
			warn_rule(diag, p->file, r,
				  "these users are isolated "
				  "for some services but not for %s: its "
				  "jobs would run with the host's network",
				  background[i]);
	}
}

static int run_check(const struct policy_cmd_opts *o)
{
	struct tool_diag out = {stdout, false};
	struct policy_diag diag = {.fn = tool_policy_diag, .data = &out};
	struct policy *p = NULL;

	if (policy_load(o->conf, &diag, &p) == 0) {
		for (size_t i = 0; i < p->nrules; i++) {
			warn_unknown_names(&diag, p->file, &p->rules[i]);
			warn_background(&diag, p, &p->rules[i]);
		}
	} else if (diag.errors == 0) {
		tool_error("cannot load the policy: %m");
		return TOOL_ERROR;
	}
	policy_free(p);
	printf("%s: %u error%s, %u warning%s\n",
	       o->conf ? o->conf : POLICY_DEFAULT_PATH, diag.errors,
	       diag.errors == 1 ? "" : "s", diag.warnings,
	       diag.warnings == 1 ? "" : "s");
	return diag.errors ? 1 : 0;
}

static void print_options(struct out *o, unsigned int options)
{
	char text[64];

	out_textf(o, "options:  %s\n",
		  policy_options_text(options, text, sizeof(text)));
	out_arr_open(o, "options");
	for (char *save = NULL, *w = strtok_r(text, " ", &save); w;
	     w = strtok_r(NULL, " ", &save))
		out_string(o, NULL, NULL, w);
	out_arr_close(o);
}

/* The decision, as text or JSON. */
static void print_decision(const struct policy *p, const struct policy_login *l,
			   const struct policy_decision *d, bool json)
{
	const struct policy_rule *r = d->rule;
	struct out o;

	out_init(&o, stdout, json, false);
	out_obj_open(&o, NULL);
	out_string(&o, "user", "user:     %s", l->user);
	out_uint(&o, "uid", " (uid %" PRIu64 ")\n", l->uid);
	out_string(&o, "service", "service:  %s\n",
		   l->service ? l->service : "");
	out_string(&o, "from", "from:     %s\n",
		   l->rhost && *l->rhost ? l->rhost : "LOCAL");
	out_string(&o, "tty", "tty:      %s\n", l->tty ? l->tty : "");
	out_string(&o, "action", "action:   %s", policy_action_name(d->action));
	if (r && r->join_name)
		out_string(&o, "join", "=%s", r->join_name);
	if (r && r->uplink)
		out_string(&o, "uplink", " uplink=%s", r->uplink);
	out_textf(&o, "\n");
	print_options(&o, d->options);
	if (!r) {
		out_null(&o, "rule", "rule:     no rule matched: none\n");
	} else {
		out_textf(&o, "rule:     %s:%u: %s\n", p->file, r->line,
			  r->text);
		out_obj_open(&o, "rule");
		out_string(&o, "file", NULL, p->file);
		out_uint(&o, "line", NULL, r->line);
		out_string(&o, "text", NULL, r->text);
		out_obj_close(&o);
	}
	out_obj_close(&o);
	out_end(&o);
}

static int run_decide(const struct policy_cmd_opts *o)
{
	struct tool_diag err = {stderr, false};
	struct policy_diag diag = {.fn = tool_policy_diag, .data = &err};
	struct policy_decision d;
	struct policy *p = NULL;
	struct passwd *pw;
	struct policy_login login = {
	    .service = o->service,
	    .rhost = o->rhost,
	    .tty = o->tty,
	};

	errno = 0;
	pw = getpwnam(o->user);
	if (!pw) {
		if (errno)
			tool_error("policy: cannot look up user %s: %m",
				   o->user);
		else
			tool_error("policy: unknown user %s", o->user);
		return TOOL_ERROR;
	}
	login.user = pw->pw_name;
	login.uid = pw->pw_uid;
	login.gid = pw->pw_gid;
	if (policy_load(o->conf, &diag, &p) < 0) {
		tool_error("policy: the policy cannot be used%s%s",
			   diag.errors ? "" : ": ",
			   diag.errors ? "" : strerror(errno));
		return TOOL_ERROR;
	}
	if (policy_decide(p, &login, &policy_nss_lookup, &d) < 0) {
		char why[512];

		tool_error("policy: cannot look up the groups of %s: %s",
			   login.user,
			   policy_failure_text(&d, errno, why, sizeof(why)));
		policy_free(p);
		return TOOL_ERROR;
	}
	print_decision(p, &login, &d, o->json);
	policy_free(p);
	return TOOL_OK;
}

int policy_cmd_run(const struct policy_cmd_opts *o)
{
	return o->check ? run_check(o) : run_decide(o);
}
