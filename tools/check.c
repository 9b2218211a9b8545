// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nonet check: the verdict on the caller's network namespace, by itself.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "check.h"
#include "iface.h"
#include "loopback.h"
#include "netns.h"
#include "nl.h"
#include "output.h"
#include "tool.h"

#define CHECK_REASONS_MAX 64

struct reasons {
	size_t count;
	char *text[CHECK_REASONS_MAX];
	bool nomem;
};

static void add_reason(void *data, const char *reason)
{
	struct reasons *r = data;
	char *copy;

	if (r->count >= CHECK_REASONS_MAX)
		return; /* the verdict stands; the list is long enough */
	copy = strdup(reason);
	if (!copy) {
		r->nomem = true;
		return;
	}
	r->text[r->count++] = copy;
}

static void free_reasons(struct reasons *r)
{
	for (size_t i = 0; i < r->count; i++)
		free(r->text[i]);
}

/* Collects why the caller's namespace is not isolated; -1 on error. */
static int judge(struct reasons *r)
{
	struct iface_table table;
	struct nl_sock *sock = NULL;
	bool initial = false;

	if (netns_is_initial(&initial, NULL) < 0) {
		tool_error("cannot tell whether this is the host's network "
			   "namespace: %m");
		return -1;
	}
	if (initial)
		add_reason(r, "this is the host's network namespace "
			      "(the initial one)");
	if (nl_open(&sock) < 0 || iface_table_read(sock, &table) < 0) {
		tool_error("cannot read the network interfaces: %m");
		nl_close(sock);
		return -1;
	}
	nl_close(sock);
	loopback_judge(&table, LOOPBACK_IPV6_ANY, false, add_reason, r);
	iface_table_free(&table);
	if (r->nomem) {
		errno = ENOMEM;
		tool_error("%m");
		return -1;
	}
	return 0;
}

static void print(const struct reasons *r, bool json, ino_t ino)
{
	struct out o;

	out_init(&o, stdout, json, false);
	out_obj_open(&o, NULL);
	out_bool(&o, "isolated", NULL, r->count == 0);
	out_uint(&o, "netns", NULL, ino);
	out_arr_open(&o, "reasons");
	if (r->count == 0)
		out_textf(&o, "isolated\n");
	for (size_t i = 0; i < r->count; i++)
		out_string(&o, NULL, "%s\n", r->text[i]);
	out_arr_close(&o);
	out_obj_close(&o);
	out_end(&o);
}

int check_run(const struct check_opts *opts)
{
	struct reasons r = { 0 };
	ino_t ino = 0;
	int status = TOOL_ERROR;

	if (netns_self_inode(&ino) < 0) {
		tool_error("cannot read this process's network namespace: %m");
		return TOOL_ERROR;
	}
	if (judge(&r) == 0) {
		print(&r, opts->json, ino);
		status = r.count ? TOOL_NOT_ISOLATED : TOOL_OK;
	}
	free_reasons(&r);
	return status;
}
