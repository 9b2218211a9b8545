// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nonet uplink show: what each uplink is (namespace, allow-list, pools,
 * nat) and who uses it (per lease: user, link, addresses, blocked
 * packets), as text or JSON.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "record.h"
#include "tool.h"
#include "uplink.h"
#include "uplink_cmd.h"

/* "ADDR/LEN", or "" for none. */
static void format_net(int family, const uint8_t *addr, unsigned int len,
		       char *buf, size_t size)
{
	char text[INET6_ADDRSTRLEN] = "";

	inet_ntop(family, addr, text, sizeof(text));
	snprintf(buf, size, "%s/%u", text, len);
}

static void show_addr(struct out *o, const char *key, const char *fmt,
		      int family, const uint8_t *addr, bool present)
{
	char text[INET6_ADDRSTRLEN] = "";

	if (!present) {
		out_null(o, key, NULL);
		return;
	}
	inet_ntop(family, addr, text, sizeof(text));
	out_string(o, key, fmt, text);
}

/* The user of lease @owner: its session record's, or "" if none. */
static void lease_user(const struct uplink_lease_owner *owner, char *user,
		       size_t size)
{
	char path[sizeof(RECORD_DIR) + sizeof(owner->record) + 1];
	struct record r;

	user[0] = '\0';
	if (!owner->record[0] || strchr(owner->record, '/'))
		return;
	snprintf(path, sizeof(path), "%s/%s", RECORD_DIR, owner->record);
	if (record_read(path, &r) == 0)
		snprintf(user, size, "%s", r.user);
}

static void show_lease(struct out *o, const struct uplink_conf *conf,
		       const struct uplink_lease_owner *owner, bool inside)
{
	struct uplink_lease l;
	char user[RECORD_FIELD];
	uint64_t blocked = 0;
	bool known;

	if (uplink_lease_compute(conf, owner->index, &l) < 0)
		return; /* not of this pool: a damaged directory */
	known = inside && uplink_nft_blocked(conf->name, &l, &blocked) == 0;
	lease_user(owner, user, sizeof(user));
	out_obj_open(o, NULL);
	out_uint(o, "index", "  lease %" PRIu64 ":", owner->index);
	out_string(o, "user", " user %s,", user[0] ? user : "-");
	out_string(o, "link", " link %s,", l.host_if);
	show_addr(o, "host", " %s", AF_INET, l.host4, true);
	show_addr(o, "address", " - %s", AF_INET, l.inside4, true);
	show_addr(o, "host6", ", %s", AF_INET6, l.host6, l.has6);
	show_addr(o, "address6", " - %s", AF_INET6, l.inside6, l.has6);
	out_int(o, "pid", ", process %" PRId64, owner->pid);
	out_string(o, "session", NULL, owner->record);
	if (known)
		out_uint(o, "blocked", ", blocked %" PRIu64 "\n", blocked);
	else
		out_null(o, "blocked", ", blocked ?\n");
	out_obj_close(o);
}

static void show_allow(struct out *o, const struct uplink_conf *conf)
{
	out_arr_open(o, "allow");
	out_textf(o, "  allow");
	for (size_t i = 0; i < conf->nallow; i++) {
		char word[96];

		if (uplink_allow_format(&conf->allow[i], word, sizeof(word)) ==
		    0)
			out_string(o, NULL, " %s", word);
	}
	out_textf(o, "\n");
	out_arr_close(o);
}

static void show_pools(struct out *o, const struct uplink_conf *conf)
{
	char net[INET6_ADDRSTRLEN + 8];

	format_net(AF_INET, conf->pool4, conf->pool4_len, net, sizeof(net));
	out_string(o, "pool", "  pool %s", net);
	if (conf->has_pool6) {
		format_net(AF_INET6, conf->pool6, conf->pool6_len, net,
			   sizeof(net));
		out_string(o, "pool6", ", pool6 %s", net);
	} else {
		out_null(o, "pool6", NULL);
	}
	out_bool(o, "nat", ", nat %s", conf->nat);
	out_int(o, "forward_was", "; forwarding before up: IPv4 %" PRId64,
		conf->forward_was);
	if (conf->forward6_was >= 0)
		out_int(o, "forward6_was", ", IPv6 %" PRId64,
			conf->forward6_was);
	else
		out_null(o, "forward6_was", NULL);
	out_textf(o, "\n");
}

/* One uplink; -1 after a message when it is not up or unreadable. */
static int show_one(struct out *o, const char *name)
{
	struct uplink_lease_owner *owners = NULL;
	struct uplink_conf conf;
	size_t count = 0;
	int saved = -1;
	bool pinned;
	char ns[48];

	if (uplink_conf_read(name, &conf) < 0) {
		if (errno == ENOENT)
			tool_error("uplink show: uplink %s is not up", name);
		else
			tool_error("uplink show: %s/%s/conf: %m", UPLINK_DIR,
				   name);
		return -1;
	}
	if (uplink_lease_list(name, &owners, &count) < 0)
		tool_error("uplink show: %s/%s/leases: %m", UPLINK_DIR, name);
	snprintf(ns, sizeof(ns), "net:[%" PRIu64 "]", conf.netns_ino);
	out_obj_open(o, NULL);
	out_string(o, "name", "uplink %s:", name);
	out_string(o, "netns", " namespace %s,", ns);
	out_uint(o, "leases_used", " leases %" PRIu64, count);
	out_uint(o, "leases_max", " of %" PRIu64 "\n", uplink_lease_max(&conf));
	/* A pin made in another mount namespace (a PrivateTmp= unit's). */
	pinned = !uplink_pin_gone(name);
	out_bool(o, "pinned_here", NULL, pinned);
	if (!pinned)
		out_textf(o,
			  "  no namespace on its pin in this mount namespace "
			  "(pinned in another one): logins started here "
			  "are refused\n");
	show_allow(o, &conf);
	show_pools(o, &conf);
	/* The counters live in the uplink's namespace. */
	if (count && uplink_enter(name, &saved) < 0)
		saved = -1;
	out_arr_open(o, "leases");
	for (size_t i = 0; i < count; i++)
		show_lease(o, &conf, &owners[i], saved >= 0);
	out_arr_close(o);
	if (saved >= 0)
		tool_uplink_leave(saved, "uplink show");
	out_obj_close(o);
	free(owners);
	uplink_conf_free(&conf);
	return 0;
}

int uplink_cmd_show(char **names, size_t count, bool json)
{
	char **all = NULL;
	size_t nall = 0;
	int status = TOOL_OK;
	struct out o;

	if (count == 0) {
		if (uplink_names(&all, &nall) < 0) {
			tool_error("uplink show: cannot read %s: %m",
				   UPLINK_DIR);
			return TOOL_ERROR;
		}
		names = all;
		count = nall;
	}
	out_init(&o, stdout, json, false);
	out_obj_open(&o, NULL);
	out_arr_open(&o, "uplinks");
	for (size_t i = 0; i < count; i++)
		if (show_one(&o, names[i]) < 0)
			status = TOOL_ERROR;
	out_arr_close(&o);
	out_obj_close(&o);
	if (out_end(&o) < 0)
		status = TOOL_ERROR;
	uplink_names_free(all, nall);
	return status;
}
