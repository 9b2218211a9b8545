// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nonet check: the verdict on the caller's network namespace, by itself.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/types.h>

#include "check.h"
#include "iface.h"
#include "loopback.h"
#include "netns.h"
#include "nl.h"
#include "output.h"
#include "target.h"
#include "tool.h"

/* Appends a copy of @text to @list (of *@count); past the end, drops it. */
static void add_text(struct check_reasons *r, char **list, size_t *count,
		     const char *text)
{
	char *copy;

	if (*count >= CHECK_REASONS_MAX)
		return; /* the verdict stands; the list is long enough */
	copy = strdup(text);
	if (!copy) {
		r->nomem = true;
		return;
	}
	list[(*count)++] = copy;
}

static void add_reason(void *data, const char *reason)
{
	struct check_reasons *r = data;

	add_text(r, r->text, &r->count, reason);
}

static void add_inert(void *data, const char *note)
{
	struct check_reasons *r = data;

	add_text(r, r->inert, &r->ninert, note);
}

void check_free_reasons(struct check_reasons *r)
{
	for (size_t i = 0; i < r->count; i++)
		free(r->text[i]);
	for (size_t i = 0; i < r->ninert; i++)
		free(r->inert[i]);
}

void check_judge_table(const struct iface_table *table,
		       struct check_reasons *r)
{
	loopback_judge(table, LOOPBACK_IPV6_ANY, false, add_reason, add_inert,
		       r);
}

int check_judge(const struct target *t, const char *what,
		struct check_reasons *r)
{
	struct iface_table table;
	int initial = target_is_initial(t);

	if (initial < 0) {
		tool_error("cannot tell whether %s is the host's network "
			   "namespace: %m", what);
		return -1;
	}
	if (initial)
		add_reason(r, "this is the host's network namespace "
			      "(the initial one)");
	if (target_read_table(t, &table) < 0) {
		tool_target_error(what, errno);
		return -1;
	}
	check_judge_table(&table, r);
	iface_table_free(&table);
	if (r->nomem) {
		errno = ENOMEM;
		tool_error("%m");
		return -1;
	}
	return 0;
}

/*
 * Why nonet could not isolate a login started here, if it could not: a
 * capability the bounding set has lost (a container sharing the host's
 * network, an unprivileged container, a capability-bounded service).
 * Added only to a verdict that is already "not isolated".
 */
static void add_setup_reasons(struct check_reasons *r)
{
	static const struct {
		int cap;
		const char *text;
	} need[] = {
		{CAP_SYS_ADMIN, "isolation cannot be set up here: no process "
				"here can have CAP_SYS_ADMIN, needed to create "
				"a network namespace"},
		{CAP_NET_ADMIN, "isolation cannot be set up here: no process "
				"here can have CAP_NET_ADMIN, needed to set up "
				"lo (a container that shares the host's network, "
				"or a capability-bounded service)"},
	};
	bool possible;

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if (netns_cap_possible(need[i].cap, &possible) == 0 &&
		    !possible)
			add_reason(r, need[i].text);
	}
}


void check_print_inert(struct out *o, const struct check_reasons *r,
		       const char *indent)
{
	char fmt[32];

	snprintf(fmt, sizeof(fmt), "%sinert: %%s\n", indent);
	out_arr_open(o, "inert");
	for (size_t i = 0; i < r->ninert; i++)
		out_string(o, NULL, fmt, r->inert[i]);
	out_arr_close(o);
}

void check_print(FILE *fp, const struct check_reasons *r, bool json,
		 ino_t ino)
{
	struct out o;

	out_init(&o, fp, json, false);
	out_obj_open(&o, NULL);
	out_bool(&o, "isolated", NULL, r->count == 0);
	out_uint(&o, "netns", NULL, ino);
	out_arr_open(&o, "reasons");
	if (r->count == 0)
		out_textf(&o, "isolated\n");
	for (size_t i = 0; i < r->count; i++)
		out_string(&o, NULL, "%s\n", r->text[i]);
	out_arr_close(&o);
	check_print_inert(&o, r, "");
	out_obj_close(&o);
	out_end(&o);
}

int check_run(const struct check_opts *opts)
{
	struct check_reasons r = { 0 };
	struct target_list list;
	char what[300];
	int status = TOOL_ERROR;

	if (opts->target.user)
		return check_user(opts);
	if (tool_targets(&opts->target, &list, what, sizeof(what)) < 0)
		return TOOL_ERROR;
	if (check_judge(&list.items[0], what, &r) == 0) {
		if (r.count)
			add_setup_reasons(&r);
		check_print(stdout, &r, opts->json, list.items[0].ino);
		status = r.count ? TOOL_NOT_ISOLATED : TOOL_OK;
	}
	check_free_reasons(&r);
	target_list_free(&list);
	return status;
}
