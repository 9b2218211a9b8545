// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * uplink: a private session's link to an uplink, made after its namespace
 * (lo) is built.  Each step is logged when it fails, and what the steps
 * before it made is removed again: the session is refused with nothing
 * left behind (no link, no nftables element, no lease).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/socket.h>
#include <security/pam_ext.h>

#include "iface.h"
#include "who.h"
#include "loopback.h"
#include "netns.h"
#include "nl.h"
#include "uplink.h"
#include "../lib/uplink.h"

/* The PAM data under which open tells close what to remove. */
#define UPLINK_DATA "pam_nonet_uplink"

/* What one session holds of its uplink. */
struct held {
	char name[UPLINK_NAME_MAX + 1];
	char record[64]; /* the session's record id, in the lease file */
	struct uplink_lease lease;
	bool link; /* this session made the veth pair */
	bool nft;  /* its nftables elements were added */
};

/* One step of the open, for the log line of its failure. */
struct step {
	pam_handle_t *pamh;
	const struct who *who;
	const struct held *held;
};

static void step_failed(const struct step *s, const char *what,
			struct nl_sock *sock)
{
	const char *ext = sock ? nl_ext_ack(sock) : "";

	pam_syslog(s->pamh, LOG_ERR,
		   "cannot %s for %s (uplink %s, lease %u): %m%s%s", what,
		   s->who->log, s->held->name, s->held->lease.index,
		   *ext ? ": " : "", ext);
}

/*
 * In the uplink's namespace: deletes the link (deleting the host end
 * deletes the pair) if this session made it, and the nftables elements.
 * Returns 0 if both are gone, -1 after logging what is left.
 */
static int release_inside(pam_handle_t *pamh, const struct held *h)
{
	int ret = 0;

	if (h->link && uplink_link_delete(h->lease.host_if) < 0) {
		pam_syslog(pamh, LOG_ERR,
			   "cannot delete link %s of uplink %s: %m",
			   h->lease.host_if, h->name);
		ret = -1;
	}
	if (h->nft && uplink_nft_remove_session(h->name, &h->lease) < 0) {
		pam_syslog(pamh, LOG_ERR,
			   "cannot remove the nftables elements of link %s of "
			   "uplink %s: %m",
			   h->lease.host_if, h->name);
		ret = -1;
	}
	return ret;
}

/*
 * Removes what @h holds: the link, the nftables elements, then the lease.
 * Only while the lease file still names this session: after `uplink down
 * --force` and a new up, lease K and link nNAME-K may be another
 * session's.  A lease whose link or elements could not be removed is kept
 * for `nonet prune`, which reclaims it once this session's caller is gone.
 */
static void release(pam_handle_t *pamh, const struct held *h)
{
	struct uplink_lease_owner o;
	int saved = -1, left = 0;

	if (uplink_lease_read(h->name, h->lease.index, &o) < 0) {
		/* Down --force or prune took it, with its link and elements. */
		if (errno != ENOENT)
			pam_syslog(pamh, LOG_ERR,
				   "cannot read lease %u of uplink %s: %m",
				   h->lease.index, h->name);
		return;
	}
	if (strcmp(o.record, h->record) != 0) {
		pam_syslog(pamh, LOG_NOTICE,
			   "lease %u of uplink %s is another session's now: "
			   "left alone",
			   h->lease.index, h->name);
		return;
	}
	if (uplink_enter(h->name, &saved) < 0) {
		if (errno != ENOENT) {
			pam_syslog(pamh, LOG_ERR,
				   "cannot enter the namespace of uplink %s "
				   "to remove link %s: %m",
				   h->name, h->lease.host_if);
			left = -1;
		}
	} else {
		left = release_inside(pamh, h);
		if (uplink_leave(saved) < 0) {
			pam_syslog(pamh, LOG_ERR,
				   "cannot leave the namespace of uplink %s: "
				   "%m",
				   h->name);
			left = -1;
		}
	}
	if (left == 0 && uplink_lease_release(h->name, h->lease.index) < 0)
		pam_syslog(pamh, LOG_ERR,
			   "cannot release lease %u of uplink %s: %m",
			   h->lease.index, h->name);
}

/*
 * pam_end() with the lease still held: a later module of the stack
 * refused the session, so no close will come.  PAM_DATA_REPLACE is our
 * own close; PAM_DATA_SILENT a forked child letting go of its copy.
 */
static void free_data(pam_handle_t *pamh, void *data, int status)
{
	if (!(status & (PAM_DATA_REPLACE | PAM_DATA_SILENT)))
		release(pamh, data);
	free(data);
}

/* The network part of an address with @len prefix bits, into @out. */
static void masked(const uint8_t *addr, int family, unsigned int len,
		   uint8_t *out)
{
	size_t bytes = family == AF_INET ? 4 : 16;

	memset(out, 0, 16);
	for (size_t i = 0; i < bytes; i++) {
		unsigned int bits = len >= 8 * (i + 1) ? 8
				    : len > 8 * i ? len - 8 * (unsigned int)i
						  : 0;

		out[i] = (uint8_t)(addr[i] & (0xff00u >> bits));
	}
}

/* Whether allow entry @i routes where an earlier one does already. */
static bool routed_before(const struct uplink_conf *conf, size_t i)
{
	uint8_t a[16], b[16];

	for (size_t k = 0; k < i; k++) {
		const struct uplink_allow *x = &conf->allow[k],
					  *y = &conf->allow[i];

		if (x->family != y->family || x->prefixlen != y->prefixlen)
			continue;
		masked(x->addr, x->family, x->prefixlen, a);
		masked(y->addr, y->family, y->prefixlen, b);
		if (memcmp(a, b, 16) == 0)
			return true;
	}
	return false;
}

/* One route per allowed network, via the host end; no default route. */
static int add_routes(const struct step *s, struct nl_sock *sock,
		      const struct uplink_conf *conf, int ifindex)
{
	const struct uplink_lease *l = &s->held->lease;

	for (size_t i = 0; i < conf->nallow; i++) {
		const struct uplink_allow *a = &conf->allow[i];
		uint8_t dst[16];

		if (routed_before(conf, i) ||
		    (a->family == AF_INET6 && !l->has6))
			continue;
		masked(a->addr, a->family, a->prefixlen, dst);
		if (iface_route_add(sock, a->family, dst, a->prefixlen,
				    a->family == AF_INET ? l->host4 : l->host6,
				    ifindex) < 0) {
			step_failed(s, "add a route to the allow-list", sock);
			return -1;
		}
	}
	return 0;
}

/* The session's end: addresses, no link-local, up. */
static int setup_inside(const struct step *s, struct held *h,
			struct nl_sock *sock, int pin, int *ifindex)
{
	const struct uplink_lease *l = &h->lease;
	bool v6 = false;

	if (iface_veth_create(sock, UPLINK_INSIDE_IF, l->host_if, pin) < 0) {
		step_failed(s, "create the veth pair", sock);
		return -1;
	}
	h->link = true;
	if (iface_index(sock, UPLINK_INSIDE_IF, ifindex) < 0) {
		step_failed(s, "find the session's link", sock);
		return -1;
	}
	if (netns_ipv6_present(&v6) < 0 ||
	    (v6 && iface_link_no_ipv6_ll(sock, *ifindex) < 0)) {
		step_failed(s, "turn off IPv6 link-local addresses", sock);
		return -1;
	}
	if (l->has6 && netns_enable_link_ipv6(UPLINK_INSIDE_IF) < 0) {
		step_failed(s, "enable IPv6 on the session's link", NULL);
		return -1;
	}
	if (iface_addr_add(sock, *ifindex, AF_INET, l->inside4, 31) < 0 ||
	    (l->has6 &&
	     iface_addr_add(sock, *ifindex, AF_INET6, l->inside6, 127) < 0)) {
		step_failed(s, "address the session's link", sock);
		return -1;
	}
	if (iface_link_up(sock, *ifindex) < 0) {
		step_failed(s, "bring the session's link up", sock);
		return -1;
	}
	return 0;
}

/* The host end, in the uplink's namespace (entered by the caller). */
static int setup_host(const struct step *s, struct held *h)
{
	const struct uplink_lease *l = &h->lease;
	struct nl_sock *sock = NULL;
	int ifindex = 0, ret = -1;

	if (nl_open(&sock) < 0) {
		step_failed(
		    s, "open a netlink socket in the uplink's namespace", NULL);
		return -1;
	}
	if (iface_index(sock, l->host_if, &ifindex) < 0)
		step_failed(s, "find the host end of the link", sock);
	else if (iface_addr_add(sock, ifindex, AF_INET, l->host4, 31) < 0 ||
		 (l->has6 &&
		  iface_addr_add(sock, ifindex, AF_INET6, l->host6, 127) < 0))
		step_failed(s, "address the host end of the link", sock);
	/* Filtered before it carries a packet: the set matches by name. */
	else if (uplink_nft_add_session(h->name, l) < 0)
		step_failed(s, "add the link to the uplink's nftables table",
			    NULL);
	else {
		h->nft = true;
		if (iface_link_up(sock, ifindex) < 0)
			step_failed(s, "bring the host end of the link up",
				    sock);
		else
			ret = 0;
	}
	nl_close(sock);
	return ret;
}

static void log_reason(void *data, const char *reason)
{
	const struct step *s = data;

	pam_syslog(s->pamh, LOG_ERR,
		   "the network namespace for %s is not isolated: %s",
		   s->who->log, reason);
}

/* lo as built, plus exactly the lease's link. */
static int verify(const struct step *s, struct nl_sock *sock, bool ipv6)
{
	const struct uplink_lease *l = &s->held->lease;
	struct loopback_link want = {.name = UPLINK_INSIDE_IF, .kind = "veth"};
	struct iface_table table;
	int bad;

	want.addrs[0].family = AF_INET;
	memcpy(want.addrs[0].addr, l->inside4, 4);
	want.addrs[0].prefixlen = 31;
	want.naddrs = 1;
	if (l->has6) {
		want.addrs[1].family = AF_INET6;
		memcpy(want.addrs[1].addr, l->inside6, 16);
		want.addrs[1].prefixlen = 127;
		want.naddrs = 2;
	}
	if (iface_table_read(sock, &table) < 0) {
		step_failed(s, "read back the session's namespace", sock);
		return -1;
	}
	bad = loopback_judge_link(
	    &table, ipv6 ? LOOPBACK_IPV6_LOOPBACK : LOOPBACK_IPV6_NONE, true,
	    &want, log_reason, NULL, (void *)s);
	iface_table_free(&table);
	return bad ? -1 : 0;
}

/* Every step after the lease, in the session's namespace. */
static int build(const struct step *s, struct held *h,
		 const struct uplink_conf *conf, bool ipv6)
{
	struct nl_sock *sock = NULL;
	int pin = -1, saved = -1, ifindex = 0, ret = -1;

	if (uplink_open_netns(h->name, &pin) < 0) {
		step_failed(s, "open the uplink's namespace", NULL);
		return -1;
	}
	if (nl_open(&sock) < 0) {
		step_failed(s, "open a netlink socket", NULL);
		goto out;
	}
	if (setup_inside(s, h, sock, pin, &ifindex) < 0)
		goto out;
	if (uplink_enter(h->name, &saved) < 0) {
		step_failed(s, "enter the uplink's namespace", NULL);
		goto out;
	}
	ret = setup_host(s, h);
	if (uplink_leave(saved) < 0) {
		/* The thread may be in the uplink's namespace: never succeed.
		 */
		step_failed(s, "go back to the session's namespace", NULL);
		ret = -1;
	}
	if (ret == 0)
		ret = add_routes(s, sock, conf, ifindex) < 0 ||
			      verify(s, sock, ipv6) < 0
			  ? -1
			  : 0;
out:
	nl_close(sock);
	close(pin);
	return ret;
}

/* Reads the uplink's conf and takes a lease; logs why not. */
static int take_lease(pam_handle_t *pamh, const struct who *who, struct held *h,
		      const char *record_id, struct uplink_conf *conf)
{
	if (uplink_conf_read(h->name, conf) < 0) {
		if (errno == ENOENT)
			pam_syslog(pamh, LOG_ERR,
				   "refusing the session of %s: uplink %s is "
				   "not up",
				   who->log, h->name);
		else
			pam_syslog(pamh, LOG_ERR,
				   "cannot read the configuration of uplink "
				   "%s (session of %s): %m",
				   h->name, who->log);
		return -1;
	}
	if (uplink_lease_take(conf, record_id, &h->lease) == 0)
		return 0;
	if (errno == ENOSPC)
		pam_syslog(pamh, LOG_ERR,
			   "refusing the session of %s: the address pool of "
			   "uplink %s is exhausted",
			   who->log, h->name);
	else
		pam_syslog(pamh, LOG_ERR,
			   "cannot take a lease of uplink %s for %s: %m",
			   h->name, who->log);
	uplink_conf_free(conf);
	return -1;
}

int uplink_session_open(pam_handle_t *pamh, const struct who *who,
			const char *name, const char *record_id, bool ipv6,
			int *lease)
{
	struct held *h = calloc(1, sizeof(*h));
	struct step s = {pamh, who, h};
	struct uplink_conf conf;
	int ret, lock = -1;

	if (!h) {
		pam_syslog(pamh, LOG_ERR, "cannot open uplink %s for %s: %m",
			   name, who->log);
		return -1;
	}
	snprintf(h->name, sizeof(h->name), "%s", name);
	snprintf(h->record, sizeof(h->record), "%s",
		 record_id ? record_id : "");
	/* Not up (ENOENT): take_lease() says so. */
	if (uplink_lock(name, false, &lock) < 0 && errno != ENOENT) {
		pam_syslog(pamh, LOG_ERR, "cannot lock uplink %s for %s: %m",
			   name, who->log);
		free(h);
		return -1;
	}
	if (take_lease(pamh, who, h, record_id, &conf) < 0) {
		if (lock >= 0)
			close(lock);
		free(h);
		return -1;
	}
	ret = build(&s, h, &conf, ipv6);
	uplink_conf_free(&conf);
	/* A second open on one handle: the first one's link goes. */
	uplink_session_close(pamh);
	if (ret == 0 &&
	    pam_set_data(pamh, UPLINK_DATA, h, free_data) != PAM_SUCCESS) {
		pam_syslog(pamh, LOG_ERR,
			   "cannot remember lease %u of uplink %s for %s",
			   h->lease.index, h->name, who->log);
		ret = -1;
	}
	if (ret < 0)
		release(pamh, h);
	if (lock >= 0)
		close(lock);
	if (ret < 0) {
		free(h);
		return -1;
	}
	*lease = (int)h->lease.index;
	return 0;
}

void uplink_session_close(pam_handle_t *pamh)
{
	const void *data = NULL;

	if (!pamh || pam_get_data(pamh, UPLINK_DATA, &data) != PAM_SUCCESS ||
	    !data)
		return;
	release(pamh, data);
	(void)pam_set_data(pamh, UPLINK_DATA, NULL, NULL);
}
