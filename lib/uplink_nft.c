// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * uplink_nft: the nftables table of an uplink, through libnftables.
 *
 * table inet nonet_NAME {
 *   set links     the host ends of the sessions' links
 *   map blocked   link -> its lease's drop counter
 *   chain forward (hook forward): a session's packets go to from_session;
 *         nothing reaches a session but replies; with forwarding off
 *         before `up`, every other forwarded packet is dropped, so that
 *         turning it on routes nothing but the sessions
 *   chain from_session: replies and the allow-list pass, the rest is
 *         counted on the lease's counter and dropped (another session's
 *         link included)
 *   chain input / output: a session reaches nothing on the host and the
 *         host opens nothing to a session, but IPv6 neighbour discovery;
 *         a session's attempts are counted (not the router solicitations
 *         and multicast listener reports its kernel sends by itself)
 *   chain postrouting (unless no NAT): masquerade what leaves the links
 * }
 *
 * Each command runs in a context created and freed here, so its netlink
 * socket is opened in the namespace of the calling thread.  Messages go to
 * libnftables' buffers, never to stdout or stderr.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <nftables/libnftables.h>

#include "uplink.h"

/*
 * libnftables reports the kernel's error as text: the errno it names, or
 * EINVAL (a command it could not parse or evaluate).
 */
static int error_errno(const char *text)
{
	static const int known[] = {EEXIST,	ENOENT, EPERM, ENOMEM,
				    EOPNOTSUPP, EBUSY,	ENOSPC};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (text && strstr(text, strerror(known[i])))
			return known[i];
	return EINVAL;
}

/*
 * Runs @cmd in the calling thread's namespace; on success and with @out,
 * *@out is a copy of what the command printed (free() it).
 */
static int nft_run(const char *cmd, char **out)
{
	struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	int ret = -1, err = ENOMEM;

	if (!ctx) {
		errno = ENOMEM;
		return -1;
	}
	if (nft_ctx_buffer_output(ctx) < 0 || nft_ctx_buffer_error(ctx) < 0)
		goto out;
	if (nft_run_cmd_from_buffer(ctx, cmd) != 0) {
		err = error_errno(nft_ctx_get_error_buffer(ctx));
		goto out;
	}
	if (out && !(*out = strdup(nft_ctx_get_output_buffer(ctx))))
		goto out;
	ret = 0;
out:
	nft_ctx_free(ctx);
	if (ret < 0)
		errno = err;
	return ret;
}

/* "ip daddr 198.18.0.2 tcp dport 8080" and the like for @a. */
static void put_match(FILE *f, const struct uplink_allow *a)
{
	const char *proto = a->proto == IPPROTO_TCP ? "tcp" : "udp";
	char addr[INET6_ADDRSTRLEN];

	inet_ntop(a->family, a->addr, addr, sizeof(addr));
	fprintf(f, "%s daddr %s", a->family == AF_INET ? "ip" : "ip6", addr);
	if (a->prefixlen != (a->family == AF_INET ? 32U : 128U))
		fprintf(f, "/%u", a->prefixlen);
	if (a->port && a->proto)
		fprintf(f, " %s dport %u", proto, a->port);
	else if (a->port)
		fprintf(f, " meta l4proto { tcp, udp } th dport %u", a->port);
	else if (a->proto)
		fprintf(f, " meta l4proto %s", proto);
}

#define ND "icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert }"
#define COUNT_DROP "counter name iifname map @blocked drop"
/* What a session's kernel sends by itself: dropped, but no attempt. */
#define NOISE                                                                  \
	"icmpv6 type { nd-router-solicit, mld-listener-report, "               \
	"mld2-listener-report }"

/* The guard for the families whose forwarding was off before up. */
static const char *guard(const struct uplink_conf *conf)
{
	bool g4 = conf->forward_was == 0, g6 = conf->forward6_was == 0;

	return g4 && g6 ? "drop"
	       : g4	? "meta nfproto ipv4 drop"
	       : g6	? "meta nfproto ipv6 drop"
			: "";
}

static void put_table(FILE *f, const struct uplink_conf *conf)
{
	fprintf(f,
		"table inet nonet_%s {\n"
		"set links { type ifname; }\n"
		"map blocked { type ifname : counter; }\n"
		"chain from_session {\n"
		"ct state established,related accept\n"
		"oifname @links " COUNT_DROP "\n",
		conf->name);
	for (size_t i = 0; i < conf->nallow; i++) {
		put_match(f, &conf->allow[i]);
		fputs(" accept\n", f);
	}
	fprintf(f,
		COUNT_DROP
		"\n}\n"
		"chain forward {\n"
		"type filter hook forward priority filter; policy "
		"accept;\n"
		"iifname @links jump from_session\n"
		"oifname @links ct state established,related accept\n"
		"oifname @links drop\n"
		"%s\n}\n"
		"chain input {\n"
		"type filter hook input priority filter; policy "
		"accept;\n"
		"iifname @links " ND " accept\n"
		"iifname @links " NOISE " drop\n"
		"iifname @links " COUNT_DROP "\n}\n"
		"chain output {\n"
		"type filter hook output priority filter; policy "
		"accept;\n"
		"oifname @links ct state established,related accept\n"
		"oifname @links " ND " accept\n"
		"oifname @links drop\n}\n",
		guard(conf));
	if (conf->nat)
		fputs("chain postrouting {\n"
		      "type nat hook postrouting priority srcnat; policy "
		      "accept;\n"
		      "iifname @links oifname != @links masquerade\n}\n",
		      f);
	fputs("}\n", f);
}

int uplink_nft_create(const struct uplink_conf *conf)
{
	char *text = NULL, head[64];
	size_t size = 0;
	FILE *f;
	int ret;

	if (!uplink_name_valid(conf->name)) {
		errno = EINVAL;
		return -1;
	}
	/* "create" fails with EEXIST where "add" would merge. */
	snprintf(head, sizeof(head), "create table inet nonet_%s\n",
		 conf->name);
	f = open_memstream(&text, &size);
	if (!f)
		return -1;
	fputs(head, f);
	put_table(f, conf);
	if (fclose(f) != 0) {
		free(text);
		errno = ENOMEM;
		return -1;
	}
	ret = nft_run(text, NULL);
	free(text);
	return ret;
}

int uplink_nft_delete(const char *name)
{
	char cmd[64];

	if (!uplink_name_valid(name)) {
		errno = EINVAL;
		return -1;
	}
	snprintf(cmd, sizeof(cmd), "delete table inet nonet_%s", name);
	if (nft_run(cmd, NULL) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

/* One per-session command on lease @l's link of uplink @name. */
static int session_cmd(const char *name, const struct uplink_lease *l,
		       const char *fmt)
{
	char cmd[256];

	if (!uplink_name_valid(name) ||
	    strspn(l->host_if, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
		strlen(l->host_if) ||
	    !l->host_if[0]) {
		errno = EINVAL;
		return -1;
	}
	snprintf(cmd, sizeof(cmd), fmt, name, l->host_if);
	return nft_run(cmd, NULL);
}

int uplink_nft_add_session(const char *name, const struct uplink_lease *l)
{
	/* One transaction: all three or none. */
	return session_cmd(
	    name, l,
	    "add counter inet nonet_%1$s %2$s\n"
	    "add element inet nonet_%1$s blocked { \"%2$s\" : %2$s }\n"
	    "add element inet nonet_%1$s links { \"%2$s\" }\n");
}

int uplink_nft_remove_session(const char *name, const struct uplink_lease *l)
{
	static const char *const steps[] = {
	    "delete element inet nonet_%1$s links { \"%2$s\" }",
	    "delete element inet nonet_%1$s blocked { \"%2$s\" }",
	    "delete counter inet nonet_%1$s %2$s",
	};
	int ret = 0, err = 0;

	/* Each on its own: what a half-done add left goes too. */
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (session_cmd(name, l, steps[i]) < 0 && errno != ENOENT &&
		    !err) {
			err = errno;
			ret = -1;
		}
	}
	errno = err;
	return ret;
}

int uplink_nft_blocked(const char *name, const struct uplink_lease *l,
		       uint64_t *packets)
{
	char cmd[128], *out = NULL, *p;
	int ret = -1;

	snprintf(cmd, sizeof(cmd), "list counter inet nonet_%s %s", name,
		 l->host_if);
	if (!uplink_name_valid(name) ||
	    strspn(l->host_if, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
		strlen(l->host_if)) {
		errno = EINVAL;
		return -1;
	}
	if (nft_run(cmd, &out) < 0)
		return -1;
	p = strstr(out, "packets ");
	if (p && sscanf(p, "packets %" SCNu64, packets) == 1)
		ret = 0;
	else
		errno = EPROTO;
	free(out);
	return ret;
}
