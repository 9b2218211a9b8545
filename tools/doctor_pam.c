// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * doctor_pam: pam-stack, how each PAM service's session phase reaches
 * pam_nonet.  The service's session lines are flattened as Linux-PAM
 * expands them (@include, include and substack inline), then judged:
 * required or requisite closes; optional, sufficient, a `-` line (a
 * missing module is skipped), or a line before it that may end the stack
 * (sufficient, done) or jump past it ([...=N]) is open; a service that
 * never reaches it is open for every user the policy isolates through it.
 * pam_nonet's own arguments (mask=, nomask) are kept for the mask checks.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "doctor.h"

#define PAM_LINES_MAX 512
#define PAM_DEPTH_MAX 16

struct pam_line {
	char where[96]; /* FILE:LINE */
	char control[128];
	char module[64]; /* its base name */
	bool dash;	 /* -session: skipped when missing */
	char args[1024]; /* the arguments, pam_nonet's lines only */
};

struct pam_stack {
	struct pam_line lines[PAM_LINES_MAX];
	size_t count;
	char error[160]; /* why it could not be read, or "" */
};

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static void flatten(const char *dir, const char *name, struct pam_stack *s,
		    int depth);

/*
 * One line of @file (@no); appends its session entries to @s.  Recursive
 * with flatten() for @include and substack, bounded by @depth.
 */
// NOLINTNEXTLINE(misc-no-recursion): @include nests at most 16 deep
static void parse_line(const char *dir, const char *file, unsigned int no,
		       char *line, struct pam_stack *s, int depth)
{
	char *save = NULL, *type, *control, *module;
	struct pam_line *l;

	line[strcspn(line, "#\n")] = '\0';
	type = strtok_r(line, " \t", &save);
	if (!type)
		return;
	if (strcmp(type, "@include") == 0) {
		module = strtok_r(NULL, " \t", &save);
		if (module)
			flatten(dir, module, s, depth + 1);
		return;
	}
	if (strcmp(type[0] == '-' ? type + 1 : type, "session") != 0)
		return;
	/* A bracketed control may hold blanks: it ends at ']'. */
	control = save + strspn(save, " \t");
	if (*control == '[') {
		char *end = strchr(control, ']');

		if (!end)
			return;
		*++end = '\0';
		save = end + 1;
	} else {
		control = strtok_r(NULL, " \t", &save);
	}
	module = strtok_r(NULL, " \t", &save);
	if (!control || !module)
		return;
	if (strcmp(control, "include") == 0 ||
	    strcmp(control, "substack") == 0) {
		flatten(dir, module, s, depth + 1);
		return;
	}
	if (s->count == PAM_LINES_MAX)
		return;
	l = &s->lines[s->count++];
	snprintf(l->where, sizeof(l->where), "%.80s:%u", file, no);
	snprintf(l->control, sizeof(l->control), "%s", control);
	snprintf(l->module, sizeof(l->module), "%s", base_name(module));
	l->dash = type[0] == '-';
	if (strcmp(l->module, "pam_nonet.so") == 0)
		snprintf(l->args, sizeof(l->args), "%s",
			 save + strspn(save, " \t"));
}

// NOLINTNEXTLINE(misc-no-recursion): @include nests at most 16 deep
static void flatten(const char *dir, const char *name, struct pam_stack *s,
		    int depth)
{
	char path[4096], line[1024];
	unsigned int no = 0;
	FILE *f;

	if (depth > PAM_DEPTH_MAX) {
		snprintf(s->error, sizeof(s->error),
			 "includes nest deeper "
			 "than %d at %s",
			 PAM_DEPTH_MAX, name);
		return;
	}
	if (name[0] == '/')
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "re");
	if (!f) {
		snprintf(s->error, sizeof(s->error), "cannot read %.100s: %s",
			 path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f))
		parse_line(dir, base_name(path), ++no, line, s, depth);
	fclose(f);
}

/* Whether the control of line @i may end the stack or jump past @k. */
static bool passes(const struct pam_stack *s, size_t i, size_t k)
{
	const char *c = s->lines[i].control, *eq;

	if (strcmp(c, "sufficient") == 0)
		return true;
	if (c[0] != '[')
		return false;
	for (eq = strchr(c, '='); eq; eq = strchr(eq + 1, '=')) {
		char *end;
		long n = strtol(eq + 1, &end, 10);

		if (strncmp(eq + 1, "done", 4) == 0)
			return true;
		if (end != eq + 1 && n > 0 && i + (size_t)n >= k)
			return true;
	}
	return false;
}

/* Whether the control of pam_nonet's line makes its failure the stack's. */
static bool closes(const char *control)
{
	if (strcmp(control, "required") == 0 ||
	    strcmp(control, "requisite") == 0)
		return true;
	return control[0] == '[' && (strstr(control, "default=bad") ||
				     strstr(control, "default=die"));
}

static enum doctor_status judge(const struct pam_stack *s, char *how,
				size_t size)
{
	size_t k = 0;

	while (k < s->count && strcmp(s->lines[k].module, "pam_nonet.so") != 0)
		k++;
	if (s->error[0]) {
		snprintf(how, size, "%s", s->error);
		return DOC_UNKNOWN;
	}
	if (k == s->count) {
		snprintf(how, size, "never reaches pam_nonet");
		return s->count ? DOC_OPEN : DOC_NA;
	}
	for (size_t i = 0; i < k; i++) {
		if (passes(s, i, k)) {
			snprintf(how, size,
				 "%s %s at %s may end the stack or "
				 "jump past pam_nonet (%s)",
				 s->lines[i].control, s->lines[i].module,
				 s->lines[i].where, s->lines[k].where);
			return DOC_OPEN;
		}
	}
	snprintf(how, size, "%s%s at %s", s->lines[k].dash ? "-" : "",
		 s->lines[k].control, s->lines[k].where);
	if (s->lines[k].dash)
		return DOC_OPEN; /* a missing module is skipped: fails open */
	return closes(s->lines[k].control) ? DOC_CLOSED : DOC_OPEN;
}

static const char *pam_dir(const struct doctor *d)
{
	return d->opts->pam_dir ? d->opts->pam_dir : "/etc/pam.d";
}

/*
 * pam-stack's verdict on @service into @how; with @args, pam_nonet's
 * arguments in it (NULL when the stack never reaches it).
 */
static enum doctor_status service_verdict(const struct doctor *d,
					  const char *service, char *how,
					  size_t size, char **args)
{
	struct pam_stack *s = calloc(1, sizeof(*s));
	char path[4096];
	enum doctor_status status;
	size_t k = 0;

	if (args)
		*args = NULL;
	snprintf(path, sizeof(path), "%s/%s", pam_dir(d), service);
	if (access(path, F_OK) < 0) {
		free(s);
		snprintf(how, size, "no %s", path);
		return errno == ENOENT ? DOC_NA : DOC_UNKNOWN;
	}
	if (!s) {
		snprintf(how, size, "%s", strerror(ENOMEM));
		return DOC_UNKNOWN;
	}
	flatten(pam_dir(d), service, s, 0);
	status = judge(s, how, size);
	while (k < s->count && strcmp(s->lines[k].module, "pam_nonet.so") != 0)
		k++;
	if (args && k < s->count && !(*args = strdup(s->lines[k].args)))
		status = DOC_UNKNOWN;
	free(s);
	return status;
}

enum doctor_status doctor_pam_service(const struct doctor *d,
				      const char *service, char *how,
				      size_t size)
{
	return service_verdict(d, service, how, size, NULL);
}

/*
 * The masking of @u's sessions through @service from pam_nonet's
 * arguments @args (taken): nomask and the first mask= (the module
 * refuses every session when mask= is given twice).
 */
static void add_masking(struct doctor *d, struct doctor_user *u,
			const char *service, const struct policy_rule *rule,
			char *args)
{
	struct doctor_masking *grown, *m;
	char *save = NULL, *word;

	grown = reallocarray(u->maskings, u->nmaskings + 1, sizeof(*grown));
	if (!grown) {
		free(args);
		d->nomem = true;
		return;
	}
	u->maskings = grown;
	m = &grown[u->nmaskings++];
	*m = (struct doctor_masking){.rule = rule};
	snprintf(m->service, sizeof(m->service), "%s", service);
	for (word = strtok_r(args, " \t\n", &save); word;
	     word = strtok_r(NULL, " \t\n", &save)) {
		if (policy_option_bit(word) & POLICY_OPT_NOMASK)
			m->arg_nomask = true;
		else if (strncmp(word, "mask=", 5) == 0 && !m->arg_masks &&
			 !(m->arg_masks = strdup(word + 5)))
			d->nomem = true;
	}
	free(args);
}

/* The services: every file of the directory but Debian's common-*. */
static int service_names(const char *dir, char ***names, size_t *n)
{
	struct dirent **list;
	int count = scandir(dir, &list, NULL, alphasort);

	*names = NULL;
	*n = 0;
	if (count < 0)
		return -1;
	*names = calloc((size_t)count + 1, sizeof(**names));
	for (int i = 0; i < count; i++) {
		const char *e = list[i]->d_name;

		if (*names && e[0] != '.' && strncmp(e, "common-", 7) != 0 &&
		    list[i]->d_type != DT_DIR)
			(*names)[(*n)++] = strdup(e);
		free(list[i]);
	}
	free(list);
	return *names ? 0 : -1;
}

static void user_services(struct doctor *d, struct doctor_user *u, char **names,
			  size_t n)
{
	char how[512], closed[1024] = "";
	unsigned int nclosed = 0, open = 0;

	for (size_t i = 0; i < n; i++) {
		const struct policy_rule *rule;
		enum doctor_status s;
		char *args;

		if (!names[i] || doctor_rule_for(d, u, names[i], &rule) < 0 ||
		    !rule)
			continue; /* the policy leaves it un-isolated */
		s = service_verdict(d, names[i], how, sizeof(how), &args);
		if (args)
			add_masking(d, u, names[i], rule, args);
		if (s == DOC_CLOSED) {
			nclosed++;
			snprintf(closed + strlen(closed),
				 sizeof(closed) - strlen(closed), "%s%s",
				 nclosed > 1 ? ", " : "", names[i]);
		} else if (s != DOC_NA) {
			open++;
			doctor_add(d, u, "pam-stack", s,
				   "a `session required pam_nonet.so` line "
				   "in the service (or the common-session "
				   "files it includes)",
				   "%s: %s", names[i], how);
		}
	}
	if (!open)
		doctor_add(d, u, "pam-stack", nclosed ? DOC_CLOSED : DOC_NA,
			   NULL,
			   "%u service(s) reach pam_nonet as required%s%s",
			   nclosed, nclosed ? ": " : "", closed);
}

void doctor_pam(struct doctor *d)
{
	char **names;
	size_t n;

	if (service_names(pam_dir(d), &names, &n) < 0) {
		for (size_t i = 0; i < d->nusers; i++)
			doctor_add(d, &d->users[i], "pam-stack", DOC_UNKNOWN,
				   NULL, "cannot read %s: %s", pam_dir(d),
				   strerror(errno));
		return;
	}
	for (size_t i = 0; i < d->nusers; i++)
		if (d->users[i].rule || d->users[i].njoins)
			user_services(d, &d->users[i], names, n);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
