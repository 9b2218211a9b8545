// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nonet check: the verdict on the caller's network namespace, by itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/capability.h>
#include <sys/types.h>

#include "check.h"
#include "check_uplink.h"
#include "iface.h"
#include "loopback.h"
#include "netns.h"
#include "nl.h"
#include "output.h"
#include "sockns.h"
#include "target.h"
#include "tool.h"

/*
 * Appends a copy of @text to the inert devices (@inert) or to the reasons
 * of @r; past the end, drops it.
 */
static void add_text(struct check_reasons *r, bool inert, const char *text)
{
	size_t count = inert ? r->ninert : r->count;
	char *copy;

	if (count >= CHECK_REASONS_MAX)
		return; /* the verdict stands; the list is long enough */
	copy = strdup(text);
	if (!copy)
		r->nomem = true;
	else if (inert)
		r->inert[r->ninert++] = copy;
	else
		r->text[r->count++] = copy;
	/* clang-analyzer 14 loses @copy in @r over two calls: a false leak. */
} // NOLINT(clang-analyzer-unix.Malloc)

void check_add_reason(struct check_reasons *r, const char *reason)
{
	add_text(r, false, reason);
}

/* loopback_judge's callbacks. */
static void add_reason(void *data, const char *reason)
{
	check_add_reason(data, reason);
}

static void add_inert(void *data, const char *note)
{
	struct check_reasons *r = data;

	add_text(r, true, note);
}

void check_free_reasons(struct check_reasons *r)
{
	for (size_t i = 0; i < r->count; i++)
		free(r->text[i]);
	for (size_t i = 0; i < r->ninert; i++)
		free(r->inert[i]);
}

void check_judge_table(const struct iface_table *table, struct check_reasons *r)
{
	loopback_judge(table, LOOPBACK_IPV6_ANY, false, add_reason, add_inert,
		       r);
}

/*
 * A namespace owned by another user namespace was made by a user (nonet
 * makes none): its owner may configure it.  1 when it is so, 0 when not,
 * -1 after saying why it cannot tell.
 */
static int foreign_owner(const struct target *t, const char *what)
{
	int fd = open(t->path, O_RDONLY | O_CLOEXEC), initial;

	if (fd < 0) {
		tool_target_error(what, errno);
		return -1;
	}
	initial = sockns_owner_initial(fd);
	close(fd);
	if (initial < 0) {
		tool_error("cannot tell which user namespace owns %s: %m",
			   what);
		return -1;
	}
	return !initial;
}

const char check_foreign_reason[] =
    "a user namespace other than the initial one owns it: a user made it "
    "(nonet makes none) and may configure it";

int check_judge(const struct target *t, const char *what,
		struct check_reasons *r)
{
	struct iface_table table;
	struct loopback_link link;
	int initial = target_is_initial(t), foreign;

	if (initial < 0) {
		tool_error("cannot tell whether %s is the host's network "
			   "namespace: %m",
			   what);
		return -1;
	}
	if (initial)
		add_reason(r, "this is the host's network namespace "
			      "(the initial one)");
	foreign = initial ? 0 : foreign_owner(t, what);
	if (foreign < 0)
		return -1;
	if (foreign)
		add_reason(r, check_foreign_reason);
	if (target_read_table(t, &table) < 0) {
		tool_target_error(what, errno);
		return -1;
	}
	/* An uplink session's namespace: its one link is no reason. */
	if (check_uplink_expect(t->dev, t->ino, &link, r->uplink,
				sizeof(r->uplink)))
		loopback_judge_link(&table, LOOPBACK_IPV6_ANY, false, &link,
				    add_reason, add_inert, r);
	else
		check_judge_table(&table, r);
	iface_table_free(&table);
	if (r->nomem) {
		errno = ENOMEM;
		tool_error("%m");
		return -1;
	}
	return 0;
}

int check_sockns_isolated(void *data, const struct sockns *ns)
{
	const struct target *own = data;
	struct check_reasons r = {0};
	struct target t = {.dev = ns->dev, .ino = ns->ino};
	char what[64];
	int ret;

	if (own && own->dev == ns->dev && own->ino == ns->ino)
		return 1;
	snprintf(t.path, sizeof(t.path), "/proc/self/fd/%d", ns->fd);
	snprintf(what, sizeof(what), "net:[%" PRIu64 "]", (uint64_t)ns->ino);
	ret = check_judge(&t, what, &r) < 0 ? -1 : r.count == 0;
	check_free_reasons(&r);
	return ret;
}

int check_sockets(pid_t pid, const char *prefix, check_sockns_fn harmless,
		  void *data, struct check_reasons *r)
{
	struct sockns_list l;
	dev_t hdev = 0;
	ino_t hino = 0;
	char text[160];
	int ret = 0;

	if (sockns_read(pid, &l) < 0) {
		if (errno == ESRCH)
			return 0; /* ended meanwhile: it holds nothing now */
		tool_error("cannot tell which network namespace the sockets "
			   "of process %d are in: %m",
			   (int)pid);
		return -1;
	}
	if (netns_initial_identity(&hdev, &hino) < 0)
		hino = 0; /* then "not isolated", which is true all the same */
	for (size_t i = 0; i < l.count && ret == 0; i++) {
		const struct sockns *ns = &l.items[i];
		int ok =
		    (harmless ? harmless : check_sockns_isolated)(data, ns);

		if (ok < 0)
			ret = -1;
		if (ok != 0)
			continue;
		snprintf(text, sizeof(text),
			 "%sholds a socket in net:[%" PRIu64 "] (%s)", prefix,
			 (uint64_t)ns->ino,
			 hino && ns->dev == hdev && ns->ino == hino
			     ? "the host's"
			     : "not isolated");
		add_reason(r, text);
	}
	sockns_free(&l);
	if (ret == 0 && r->nomem) {
		errno = ENOMEM;
		tool_error("%m");
		ret = -1;
	}
	return ret;
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

void check_print(FILE *fp, const struct check_reasons *r, bool json, ino_t ino)
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
	}
	check_free_reasons(&r);
	target_list_free(&list);
	return status;
}
