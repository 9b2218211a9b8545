// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nonet check: the verdict on the caller's network namespace, by itself,
 * or on another (-p, -n); -u is check_user.c's.
 */
#include <stdbool.h>
#include <sys/capability.h>

#include "check.h"
#include "netns.h"
#include "target.h"
#include "target_opts.h"
#include "tool.h"

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
			check_add_reason(r, need[i].text);
	}
}

int check_run(const struct check_opts *opts)
{
	struct check_reasons r = {0};
	struct target_list list;
	char what[300];
	int status = TOOL_ERROR;

	if (opts->target.user)
		return check_user(opts);
	if (tool_targets(&opts->target, &list, what, sizeof(what)) < 0)
		return TOOL_ERROR;
	if (check_judge(&list.items[0], what, &r) == 0 &&
	    (!opts->target.pid ||
	     check_sockets(opts->target.pid, "the process ", NULL,
			   &list.items[0], &r) == 0)) {
		if (r.count)
			add_setup_reasons(&r);
		check_print(stdout, &r, opts->json, list.items[0].ino);
		status = r.count ? TOOL_NOT_ISOLATED : TOOL_OK;
	} else {
		check_print_error(&r);
	}
	check_free_reasons(&r);
	target_list_free(&list);
	return status;
}
