// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * loopback: set up and judge the loopback-only network namespace.
 *
 * The addresses are added explicitly before lo goes up (as systemd and
 * bubblewrap do) rather than left to the kernel's NETDEV_UP handler, so the
 * result does not depend on that asynchrony; EEXIST is success.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <net/if.h>
#include <linux/rtnetlink.h>

#include "iface.h"
#include "loopback.h"
#include "nl.h"
#include "text.h"

/* RTM_NEWADDR (@add) or RTM_DELADDR of @ip/@prefixlen on lo. */
static void put_addr(struct mnl_nlmsg_batch *batch, struct nl_sock *sock,
		     bool add, int family, const void *ip, uint8_t prefixlen)
{
	struct nlmsghdr *nlh =
	    mnl_nlmsg_put_header(mnl_nlmsg_batch_current(batch));
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	size_t len = family == AF_INET ? 4 : 16;

	nlh->nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	if (add)
		nlh->nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
	nlh->nlmsg_seq = nl_next_seq(sock);
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = prefixlen;
	ifa->ifa_flags = IFA_F_PERMANENT;
	ifa->ifa_scope = RT_SCOPE_HOST;
	ifa->ifa_index = LOOPBACK_IFINDEX;
	mnl_attr_put(nlh, IFA_LOCAL, len, ip);
	mnl_attr_put(nlh, IFA_ADDRESS, len, ip);
	mnl_nlmsg_batch_next(batch);
}

static void put_link_up(struct mnl_nlmsg_batch *batch, struct nl_sock *sock)
{
	struct nlmsghdr *nlh =
	    mnl_nlmsg_put_header(mnl_nlmsg_batch_current(batch));
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = nl_next_seq(sock);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = LOOPBACK_IFINDEX;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	mnl_nlmsg_batch_next(batch);
}

int loopback_setup(struct nl_sock *sock, enum loopback_inet6 inet6,
		   enum loopback_step *failed)
{
	static const enum loopback_step steps[] = {
	    LOOPBACK_ADD_INET, LOOPBACK_LINK_UP, LOOPBACK_INET6};
	/* Removing: ::1 already gone (no IPv6 on lo) is EADDRNOTAVAIL. */
	const int tolerate[] = {
	    EEXIST, 0, inet6 == LOOPBACK_INET6_ADD ? EEXIST : EADDRNOTAVAIL};
	const struct in_addr inet = {htonl(INADDR_LOOPBACK)};
	char buf[512];
	struct mnl_nlmsg_batch *batch = mnl_nlmsg_batch_start(buf, sizeof(buf));
	unsigned int count = inet6 == LOOPBACK_INET6_LEAVE ? 2 : 3, index = 0;
	int ret;

	if (!batch)
		return -1;
	put_addr(batch, sock, true, AF_INET, &inet, 8);
	put_link_up(batch, sock);
	/* The kernel adds ::1 in lo's NETDEV_UP, before our next message. */
	if (inet6 != LOOPBACK_INET6_LEAVE)
		put_addr(batch, sock, inet6 == LOOPBACK_INET6_ADD, AF_INET6,
			 &in6addr_loopback, 128);
	ret = nl_transact(sock, mnl_nlmsg_batch_head(batch),
			  mnl_nlmsg_batch_size(batch), count, tolerate, &index);
	mnl_nlmsg_batch_stop(batch);
	if (ret < 0 && failed)
		*failed = steps[index < count ? index : 0];
	return ret;
}

struct judge {
	const struct loopback_link *link; /* expected besides lo, or NULL */
	int link_ifindex;		  /* 0: not found */
	bool link_named;		  /* a link has its name */
	loopback_reason_fn fn;
	loopback_reason_fn inert;
	void *data;
	int count;
};

/*
 * The fallback devices, by kind and name, as the tunnel modules create them
 * in each namespace (ip_tunnel_init_net() for ipip, gre, gretap, erspan,
 * vti; sit.c, ip6_tunnel.c, ip6_gre.c, ip6_vti.c for the IPv6 ones).  A
 * fallback device's dellink does nothing and it is netns-local.
 */
static const struct {
	const char *kind;
	const char *name;
} fallbacks[] = {
    {"ipip", "tunl0"},	   {"gre", "gre0"},	  {"gretap", "gretap0"},
    {"erspan", "erspan0"}, {"vti", "ip_vti0"},	  {"sit", "sit0"},
    {"ip6tnl", "ip6tnl0"}, {"ip6gre", "ip6gre0"}, {"vti6", "ip6_vti0"},
};

static bool has_addr(const struct iface_table *t, int ifindex)
{
	for (size_t i = 0; i < t->naddrs; i++) {
		if (t->addrs[i].ifindex == ifindex)
			return true;
	}
	return false;
}

bool loopback_inert_fallback(const struct iface_table *table,
			     const struct iface_link *link)
{
	for (size_t i = 0; i < sizeof(fallbacks) / sizeof(*fallbacks); i++) {
		if (strcmp(link->kind, fallbacks[i].kind) == 0 &&
		    strcmp(link->name, fallbacks[i].name) == 0)
			return !(link->flags & IFF_UP) &&
			       !has_addr(table, link->ifindex);
	}
	return false;
}

static void reason(struct judge *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void reason(struct judge *j, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	j->count++;
	if (j->fn)
		j->fn(j->data, text);
}

/* Names an inert fallback device; it is no reason and does not count. */
static void note_inert(struct judge *j, const char *name, const char *kind)
{
	char text[256];

	snprintf(text, sizeof(text),
		 "%s is the %s module's fallback tunnel "
		 "device: down, no address, inert",
		 name, kind);
	j->inert(j->data, text);
}

static bool is_inet_loopback(const struct iface_addr *a)
{
	const uint8_t want[4] = {127, 0, 0, 1};

	return a->family == AF_INET && a->prefixlen == 8 && a->has_local &&
	       memcmp(a->local, want, 4) == 0;
}

static bool is_inet6_loopback(const struct iface_addr *a)
{
	const uint8_t *ip = a->has_local ? a->local : a->address;

	return a->family == AF_INET6 && a->prefixlen == 128 &&
	       (a->has_local || a->has_address) &&
	       memcmp(ip, &in6addr_loopback, 16) == 0;
}

/* The expected link by name: of the expected kind? */
static void judge_expected(struct judge *j, const struct iface_link *l,
			   const char *name)
{
	char kind[4 * sizeof(l->kind)];

	j->link_named = true;
	if (strcmp(l->kind, j->link->kind) == 0) {
		j->link_ifindex = l->ifindex;
		return;
	}
	reason(j, "interface %s is of kind %s, not %s", name,
	       *l->kind ? text_escape(kind, sizeof(kind), l->kind) : "none",
	       j->link->kind);
}

static void judge_links(const struct iface_table *t, struct judge *j)
{
	const struct iface_link *lo = iface_find_link(t, LOOPBACK_IFINDEX);

	for (size_t i = 0; i < t->nlinks; i++) {
		const struct iface_link *l = &t->links[i];
		char name[4 * IFNAMSIZ];

		if (l->ifindex == LOOPBACK_IFINDEX)
			continue;
		/* Names may hold any byte but '/': they reach logs and ttys. */
		text_escape(name, sizeof(name), l->name);
		if (j->link && strcmp(l->name, j->link->name) == 0) {
			judge_expected(j, l, name);
			continue;
		}
		if (!loopback_inert_fallback(t, l))
			reason(j, "interface %s exists besides lo", name);
		else if (j->inert)
			note_inert(j, name, l->kind);
	}
	if (j->link && !j->link_named)
		reason(j, "there is no interface %s (the uplink's link)",
		       j->link->name);
	if (!lo)
		reason(j, "there is no loopback interface");
	else if (!(lo->flags & IFF_UP))
		reason(j, "lo is down");
}

/* Whether @a is expected address @k of the link. */
static bool is_link_addr(const struct judge *j, const struct iface_addr *a,
			 size_t k)
{
	const uint8_t *ip = a->has_local ? a->local : a->address;

	return a->family == j->link->addrs[k].family &&
	       (a->has_local || a->has_address) &&
	       a->prefixlen == j->link->addrs[k].prefixlen &&
	       memcmp(ip, j->link->addrs[k].addr,
		      a->family == AF_INET ? 4 : 16) == 0;
}

/*
 * An address on the expected link: one of its own (marked in @seen), or
 * a reason.
 */
static void judge_link_addr(struct judge *j, const struct iface_addr *a,
			    bool *seen)
{
	char ip[INET6_ADDRSTRLEN] = "?";

	for (size_t k = 0; k < j->link->naddrs; k++) {
		if (is_link_addr(j, a, k)) {
			seen[k] = true;
			return;
		}
	}
	inet_ntop(a->family, a->has_local ? a->local : a->address, ip,
		  sizeof(ip));
	reason(j, "unexpected address %s/%u on %s", ip, a->prefixlen,
	       j->link->name);
}

static void judge_link_missing(struct judge *j, const bool *seen)
{
	for (size_t k = 0; j->link_ifindex && k < j->link->naddrs; k++) {
		char ip[INET6_ADDRSTRLEN] = "?";

		if (seen[k])
			continue;
		inet_ntop(j->link->addrs[k].family, j->link->addrs[k].addr, ip,
			  sizeof(ip));
		reason(j, "%s does not carry %s/%u", j->link->name, ip,
		       j->link->addrs[k].prefixlen);
	}
}

static void judge_addrs(const struct iface_table *t, enum loopback_ipv6 ipv6,
			bool strict, struct judge *j)
{
	bool inet = false, inet6 = false, seen[LOOPBACK_LINK_ADDRS] = {false};

	for (size_t i = 0; i < t->naddrs; i++) {
		const struct iface_addr *a = &t->addrs[i];
		char ip[INET6_ADDRSTRLEN] = "?";

		if (j->link_ifindex && a->ifindex == j->link_ifindex) {
			judge_link_addr(j, a, seen);
			continue;
		}
		if (a->ifindex == LOOPBACK_IFINDEX && is_inet_loopback(a)) {
			inet = true;
			continue;
		}
		if (a->ifindex == LOOPBACK_IFINDEX && is_inet6_loopback(a)) {
			inet6 = true;
			if (ipv6 != LOOPBACK_IPV6_NONE)
				continue;
		} else if (!strict && !(ipv6 == LOOPBACK_IPV6_NONE &&
					a->family == AF_INET6)) {
			continue;
		}
		inet_ntop(a->family, a->has_local ? a->local : a->address, ip,
			  sizeof(ip));
		reason(j, "unexpected address %s/%u", ip, a->prefixlen);
	}
	if (j->link)
		judge_link_missing(j, seen);
	if (!inet)
		reason(j, "lo does not carry 127.0.0.1/8");
	if (ipv6 == LOOPBACK_IPV6_LOOPBACK && !inet6)
		reason(j, "lo does not carry ::1/128");
}

int loopback_judge(const struct iface_table *table, enum loopback_ipv6 ipv6,
		   bool strict, loopback_reason_fn fn, loopback_reason_fn inert,
		   void *data)
{
	return loopback_judge_link(table, ipv6, strict, NULL, fn, inert, data);
}

int loopback_judge_link(const struct iface_table *table,
			enum loopback_ipv6 ipv6, bool strict,
			const struct loopback_link *link, loopback_reason_fn fn,
			loopback_reason_fn inert, void *data)
{
	struct judge j = {.link = link, .fn = fn, .inert = inert, .data = data};

	if (link && link->naddrs > LOOPBACK_LINK_ADDRS) {
		reason(&j, "too many expected addresses on %s", link->name);
		return j.count; /* a caller's error: not isolated */
	}

	judge_links(table, &j);
	judge_addrs(table, ipv6, strict, &j);
	return j.count;
}
