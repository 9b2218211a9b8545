/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * loopback: give a fresh network namespace Docker's --network none
 * loopback (lo UP with 127.0.0.1/8, optionally ::1/128), and judge whether
 * a namespace looks like that.
 */
#ifndef NONET_LOOPBACK_H
#define NONET_LOOPBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nl_sock;
struct iface_table;
struct iface_link;

/* lo is ifindex 1 in every network namespace (LOOPBACK_IFINDEX). */
#define LOOPBACK_IFINDEX 1

enum loopback_step {
	LOOPBACK_ADD_INET, /* adding 127.0.0.1/8 */
	LOOPBACK_LINK_UP,  /* setting lo up */
	LOOPBACK_INET6,	   /* adding or removing ::1/128 */
};

/* What loopback_setup() does about ::1 once lo is up. */
enum loopback_inet6 {
	LOOPBACK_INET6_LEAVE, /* nothing: disable_ipv6 decided already */
	LOOPBACK_INET6_ADD,   /* add ::1/128 (fine if the kernel did) */
	/*
	 * Remove the ::1/128 the kernel added when lo went up: IPv6 off where
	 * disable_ipv6 cannot be written (a read-only /proc/sys).  Only lo
	 * going up again brings it back, which needs CAP_NET_ADMIN.
	 */
	LOOPBACK_INET6_REMOVE,
};

/*
 * Adds 127.0.0.1/8 (scope host) to lo, sets lo up, and does @inet6 about
 * ::1/128, in one round trip; an address already there (or, to remove,
 * already gone) is fine.  On failure returns -1 with errno and stores the
 * failed step in *@failed.
 */
int loopback_setup(struct nl_sock *sock, enum loopback_inet6 inet6,
		   enum loopback_step *failed);

/* What a judgement expects of IPv6 on lo. */
enum loopback_ipv6 {
	LOOPBACK_IPV6_ANY,	/* ::1 may or may not be there */
	LOOPBACK_IPV6_NONE,	/* no IPv6 address at all */
	LOOPBACK_IPV6_LOOPBACK, /* ::1/128 must be there */
};

/* Called once per reason a namespace is not an isolated loopback. */
typedef void (*loopback_reason_fn)(void *data, const char *reason);

/*
 * Judges @table: lo is the only link, it is UP, it carries 127.0.0.1/8, and
 * IPv6 is as @ipv6 says.  With @strict, no address but the expected ones
 * may exist.  Calls @fn for each reason it is not; returns their number.
 *
 * The kernel's fallback tunnel devices (tunl0, sit0, gre0, ... which the
 * ipip, sit, gre, vti and ip6 tunnel modules add to every new namespace
 * while net.core.fb_tunnels_only_for_init_net is 0) are no reason while
 * they are inert (see loopback_inert_fallback()): @inert, if not NULL, is
 * called once for each, and they do not count.
 */
int loopback_judge(const struct iface_table *table, enum loopback_ipv6 ipv6,
		   bool strict, loopback_reason_fn fn, loopback_reason_fn inert,
		   void *data);

/*
 * The one link besides lo an uplink session has (lib/uplink.h): its name,
 * its kind, and exactly these addresses (family, address, prefix).
 */
#define LOOPBACK_LINK_ADDRS 2
struct loopback_link {
	const char *name; /* UPLINK_INSIDE_IF */
	const char *kind; /* "veth" */
	size_t naddrs;
	struct {
		int family;
		uint8_t addr[16];
		unsigned int prefixlen;
	} addrs[LOOPBACK_LINK_ADDRS];
};

/*
 * loopback_judge(), and with @link not NULL one more link is no reason:
 * the link named @link->name, of kind @link->kind, with exactly
 * @link->addrs (whatever @ipv6 and @strict say of the others).  Its
 * absence, another kind, a missing or any other address on it are.
 */
int loopback_judge_link(const struct iface_table *table,
			enum loopback_ipv6 ipv6, bool strict,
			const struct loopback_link *link, loopback_reason_fn fn,
			loopback_reason_fn inert, void *data);

/*
 * Whether @link of @table is a fallback tunnel device that cannot carry
 * anything: its kind and name are a fallback pair (kind "sit" named
 * "sit0", ...), it is down, and no address is on it.  Nobody in a session
 * can change that: raising it or adding an address needs CAP_NET_ADMIN
 * over the namespace, and the kernel refuses to delete or move it.
 */
bool loopback_inert_fallback(const struct iface_table *table,
			     const struct iface_link *link);

#endif
