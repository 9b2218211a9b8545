// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_judge: the verdict on one network namespace, and on the sockets
 * of one process, as a list of reasons (none: isolated).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/types.h>

#include "check_judge.h"
#include "check_uplink.h"
#include "iface.h"
#include "loopback.h"
#include "netns.h"
#include "sockns.h"
#include "target.h"
#include "target_opts.h"

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

/* Says in @r->error why the judge failed; %m works, errno is kept. */
static void fail(struct check_reasons *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void fail(struct check_reasons *r, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
	errno = saved;
}

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
 * -1 with @r->error saying why it cannot tell.
 */
static int foreign_owner(const struct target *t, const char *what,
			 struct check_reasons *r)
{
	int fd = open(t->path, O_RDONLY | O_CLOEXEC), initial;

	if (fd < 0) {
		tool_target_error_text(r->error, sizeof(r->error), what, errno);
		return -1;
	}
	initial = sockns_owner_initial(fd);
	close(fd);
	if (initial < 0) {
		fail(r, "cannot tell which user namespace owns %s: %m", what);
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
		fail(r,
		     "cannot tell whether %s is the host's network "
		     "namespace: %m",
		     what);
		return -1;
	}
	if (initial)
		add_reason(r, "this is the host's network namespace "
			      "(the initial one)");
	foreign = initial ? 0 : foreign_owner(t, what, r);
	if (foreign < 0)
		return -1;
	if (foreign)
		add_reason(r, check_foreign_reason);
	if (target_read_table(t, &table) < 0) {
		tool_target_error_text(r->error, sizeof(r->error), what, errno);
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
		fail(r, "%m");
		return -1;
	}
	return 0;
}

int check_sockns_isolated(void *data, const struct sockns *ns,
			  struct check_reasons *outer)
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
	if (ret < 0)
		memcpy(outer->error, r.error, sizeof(r.error));
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
		fail(r,
		     "cannot tell which network namespace the sockets "
		     "of process %d are in: %m",
		     (int)pid);
		return -1;
	}
	if (netns_initial_identity(&hdev, &hino) < 0)
		hino = 0; /* then "not isolated", which is true all the same */
	for (size_t i = 0; i < l.count && ret == 0; i++) {
		const struct sockns *ns = &l.items[i];
		int ok =
		    (harmless ? harmless : check_sockns_isolated)(data, ns, r);

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
		fail(r, "%m");
		ret = -1;
	}
	return ret;
}
