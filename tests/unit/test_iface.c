// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_iface: iface_parse_link / iface_parse_addr / iface_table_add on
 * canned RTM_NEWLINK and RTM_NEWADDR messages built with libmnl, field by
 * field, and on malformed ones (EINVAL) and foreign ones (ENOMSG).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <net/if_arp.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "iface.h"
#include "unit.h"

/* IF_OPER_UP and LOWER_UP of <linux/if.h>, which clashes with <net/if.h>. */
#define OPER_UP 6
#define LOWER_UP 0x10000

/* One message at a time; big enough for the largest canned one. */
static union {
	struct nlmsghdr align;
	char bytes[8192];
} msg;

static struct nlmsghdr *link_msg(uint16_t type, int ifindex, unsigned int flags,
				 unsigned short arphrd)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	memset(&msg, 0, sizeof(msg));
	nlh = mnl_nlmsg_put_header(msg.bytes);
	nlh->nlmsg_type = type;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = flags;
	ifi->ifi_type = arphrd;
	return nlh;
}

static struct nlmsghdr *addr_msg(uint16_t type, uint8_t family, int ifindex,
				 uint8_t prefixlen, uint8_t scope,
				 uint8_t ifa_flags)
{
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	memset(&msg, 0, sizeof(msg));
	nlh = mnl_nlmsg_put_header(msg.bytes);
	nlh->nlmsg_type = type;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = family;
	ifa->ifa_prefixlen = prefixlen;
	ifa->ifa_scope = scope;
	ifa->ifa_flags = ifa_flags;
	ifa->ifa_index = (uint32_t)ifindex;
	return nlh;
}

/* errno right after the last call through the wrappers below. */
static int last_errno;

/* Expects the last call to have failed with @want_errno. */
static void expect_error(int ret, int want_errno, const char *desc)
{
	int err = last_errno;

	if (!unit_ok(ret == -1 && err == want_errno, "%s", desc))
		printf("#   ret %d errno %d (%s), want -1 errno %d (%s)\n", ret,
		       err, strerror(err), want_errno, strerror(want_errno));
}

static int parse_link(const struct nlmsghdr *nlh, struct iface_link *out)
{
	int ret;

	errno = 0;
	ret = iface_parse_link(nlh, out);
	last_errno = errno;
	return ret;
}

static int parse_addr(const struct nlmsghdr *nlh, struct iface_addr *out)
{
	int ret;

	errno = 0;
	ret = iface_parse_addr(nlh, out);
	last_errno = errno;
	return ret;
}

static const uint8_t mac[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
static const uint8_t perm[6] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};
static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

/* A veth-like link carrying every attribute iface_link keeps. */
static struct nlmsghdr *full_link(void)
{
	struct nlmsghdr *nlh = link_msg(
	    RTM_NEWLINK, 7, IFF_UP | IFF_BROADCAST | IFF_MULTICAST | LOWER_UP,
	    ARPHRD_ETHER);
	struct nlattr *nest;

	mnl_attr_put_strz(nlh, IFLA_IFNAME, "veth-a");
	mnl_attr_put_u32(nlh, IFLA_TXQLEN, 1000);
	mnl_attr_put_u8(nlh, IFLA_OPERSTATE, OPER_UP);
	mnl_attr_put_u8(nlh, IFLA_LINKMODE, 1);
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	mnl_attr_put_u32(nlh, IFLA_GROUP, 42);
	mnl_attr_put_u8(nlh, IFLA_PROTO_DOWN, 1);
	mnl_attr_put_strz(nlh, IFLA_QDISC, "noqueue");
	mnl_attr_put_u32(nlh, IFLA_MASTER, 3);
	mnl_attr_put_u32(nlh, IFLA_LINK, 8);
	mnl_attr_put_u32(nlh, IFLA_LINK_NETNSID, (uint32_t)-1);
	mnl_attr_put(nlh, IFLA_ADDRESS, sizeof(mac), mac);
	mnl_attr_put(nlh, IFLA_BROADCAST, sizeof(bcast), bcast);
	mnl_attr_put(nlh, IFLA_PERM_ADDRESS, sizeof(perm), perm);
	/* Attributes we know but do not keep, and one newer than our headers.
	 */
	mnl_attr_put_u32(nlh, IFLA_NUM_TX_QUEUES, 4);
	mnl_attr_put_u32(nlh, IFLA_MAX + 7, 0xdeadbeef);
	nest = mnl_attr_nest_start(nlh, IFLA_PROP_LIST);
	mnl_attr_put_strz(nlh, IFLA_ALT_IFNAME, "veth-a-alternative");
	mnl_attr_put_u32(nlh, IFLA_MAX + 3, 1); /* not an altname: skipped */
	mnl_attr_put_strz(nlh, IFLA_ALT_IFNAME, "second");
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static void test_link_fields(void)
{
	struct iface_link l;
	int ret;

	memset(&l, 0x5a, sizeof(l)); /* no field may keep stale bytes */
	ret = parse_link(full_link(), &l);
	if (!unit_ok(ret == 0, "a full RTM_NEWLINK parses")) {
		printf("#   errno %d (%s)\n", last_errno, strerror(last_errno));
		return;
	}
	unit_ok(l.ifindex == 7, "link: ifindex (%d)", l.ifindex);
	unit_ok(l.flags == (IFF_UP | IFF_BROADCAST | IFF_MULTICAST | LOWER_UP),
		"link: flags (%#x)", l.flags);
	unit_ok(l.type == ARPHRD_ETHER, "link: type (%u)", l.type);
	unit_streq("link: name", "veth-a", l.name);
	unit_ok(l.mtu == 1500, "link: mtu (%u)", l.mtu);
	unit_streq("link: qdisc", "noqueue", l.qdisc);
	unit_ok(l.master == 3, "link: master (%d)", l.master);
	unit_ok(l.has_link && l.link == 8, "link: IFLA_LINK (%d)", l.link);
	unit_ok(l.has_link_netnsid && l.link_netnsid == -1,
		"link: link netnsid, signed (%d)", l.link_netnsid);
	unit_ok(l.has_operstate && l.operstate == OPER_UP,
		"link: operstate (%u)", l.operstate);
	unit_ok(l.linkmode == 1, "link: linkmode (%u)", l.linkmode);
	unit_ok(l.has_group && l.group == 42, "link: group (%u)", l.group);
	unit_ok(l.has_txqlen && l.txqlen == 1000, "link: txqlen (%u)",
		l.txqlen);
	unit_ok(l.has_proto_down && l.proto_down == 1, "link: proto_down");
	unit_ok(l.address_len == 6 && memcmp(l.address, mac, 6) == 0,
		"link: address (%zu bytes)", l.address_len);
	unit_ok(l.broadcast_len == 6 && memcmp(l.broadcast, bcast, 6) == 0,
		"link: broadcast (%zu bytes)", l.broadcast_len);
	unit_ok(l.perm_address_len == 6 && memcmp(l.perm_address, perm, 6) == 0,
		"link: permanent address (%zu bytes)", l.perm_address_len);
	unit_ok(l.naltnames == 2,
		"link: two altnames, the other nested "
		"attribute skipped (%zu)",
		l.naltnames);
	unit_streq("link: first altname", "veth-a-alternative", l.altnames[0]);
	unit_streq("link: second altname", "second", l.altnames[1]);
	iface_link_free(&l);
}

/* What a link without the optional attributes decodes to. */
static void test_link_minimal(void)
{
	struct nlmsghdr *nlh =
	    link_msg(RTM_NEWLINK, 1, IFF_LOOPBACK | IFF_UP, ARPHRD_LOOPBACK);
	struct iface_link l;

	mnl_attr_put_strz(nlh, IFLA_IFNAME, "lo");
	memset(&l, 0x5a, sizeof(l));
	if (!unit_ok(parse_link(nlh, &l) == 0, "a link with only a "
					       "name parses"))
		return;
	unit_ok(!l.has_link && !l.has_link_netnsid && !l.has_operstate &&
		    !l.has_group && !l.has_txqlen && !l.has_proto_down,
		"minimal link: no optional attribute marked present");
	unit_ok(l.mtu == 0 && l.master == 0 && l.qdisc[0] == '\0' &&
		    l.address_len == 0 && l.broadcast_len == 0 &&
		    l.perm_address_len == 0 && l.naltnames == 0,
		"minimal link: the rest is zero");
	unit_ok(l.type == ARPHRD_LOOPBACK && l.ifindex == 1,
		"minimal link: header fields");
}

static void test_link_limits(void)
{
	uint8_t hw[IFACE_HWADDR_MAX + 1];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct iface_link l;
	char name[64];

	for (size_t i = 0; i < sizeof(hw); i++)
		hw[i] = (uint8_t)i;

	/* The longest name the kernel allows: IFNAMSIZ - 1. */
	nlh = link_msg(RTM_NEWLINK, 2, 0, ARPHRD_ETHER);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "fifteen-chars-x");
	unit_ok(parse_link(nlh, &l) == 0 &&
		    strcmp(l.name, "fifteen-chars-x") == 0,
		"a 15-byte name fits");

	nlh = link_msg(RTM_NEWLINK, 2, 0, ARPHRD_ETHER);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "sixteen-chars-xy");
	expect_error(parse_link(nlh, &l), EINVAL,
		     "a 16-byte name (no room for the NUL): EINVAL");

	nlh = link_msg(RTM_NEWLINK, 2, 0, ARPHRD_INFINIBAND);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "ib0");
	mnl_attr_put(nlh, IFLA_ADDRESS, IFACE_HWADDR_MAX, hw);
	unit_ok(parse_link(nlh, &l) == 0 && l.address_len == IFACE_HWADDR_MAX &&
		    memcmp(l.address, hw, IFACE_HWADDR_MAX) == 0,
		"a %d-byte hardware address fits", IFACE_HWADDR_MAX);

	nlh = link_msg(RTM_NEWLINK, 2, 0, ARPHRD_ETHER);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	mnl_attr_put(nlh, IFLA_ADDRESS, IFACE_HWADDR_MAX + 1, hw);
	expect_error(parse_link(nlh, &l), EINVAL,
		     "a 33-byte IFLA_ADDRESS: EINVAL");

	nlh = link_msg(RTM_NEWLINK, 2, 0, ARPHRD_ETHER);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	mnl_attr_put(nlh, IFLA_BROADCAST, IFACE_HWADDR_MAX + 1, hw);
	expect_error(parse_link(nlh, &l), EINVAL,
		     "a 33-byte IFLA_BROADCAST: EINVAL");

	nlh = link_msg(RTM_NEWLINK, 2, 0, ARPHRD_ETHER);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	mnl_attr_put(nlh, IFLA_PERM_ADDRESS, IFACE_HWADDR_MAX + 1, hw);
	expect_error(parse_link(nlh, &l), EINVAL,
		     "a 33-byte IFLA_PERM_ADDRESS: EINVAL");

	/* Many altnames (ip shows them all): every one, in order. */
	nlh = link_msg(RTM_NEWLINK, 2, 0, ARPHRD_ETHER);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	nest = mnl_attr_nest_start(nlh, IFLA_PROP_LIST);
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "alt%d", i);
		mnl_attr_put_strz(nlh, IFLA_ALT_IFNAME, name);
	}
	mnl_attr_nest_end(nlh, nest);
	unit_ok(parse_link(nlh, &l) == 0 && l.naltnames == 300 &&
		    strcmp(l.altnames[0], "alt0") == 0 &&
		    strcmp(l.altnames[8], "alt8") == 0 &&
		    strcmp(l.altnames[299], "alt299") == 0,
		"300 altnames: all kept, in order (%zu)", l.naltnames);
	iface_link_free(&l);

	/* An altname of 127 bytes fits, 128 does not. */
	{
		char alt[IFACE_ALTNAME_LEN + 1];

		memset(alt, 'a', sizeof(alt));
		alt[IFACE_ALTNAME_LEN - 1] = '\0';
		nlh = link_msg(RTM_NEWLINK, 2, 0, ARPHRD_ETHER);
		mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
		nest = mnl_attr_nest_start(nlh, IFLA_PROP_LIST);
		mnl_attr_put_strz(nlh, IFLA_ALT_IFNAME, alt);
		mnl_attr_nest_end(nlh, nest);
		unit_ok(parse_link(nlh, &l) == 0 &&
			    strlen(l.altnames[0]) == IFACE_ALTNAME_LEN - 1,
			"a %d-byte altname fits", IFACE_ALTNAME_LEN - 1);
		iface_link_free(&l);

		alt[IFACE_ALTNAME_LEN - 1] = 'a';
		alt[IFACE_ALTNAME_LEN] = '\0';
		nlh = link_msg(RTM_NEWLINK, 2, 0, ARPHRD_ETHER);
		mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
		nest = mnl_attr_nest_start(nlh, IFLA_PROP_LIST);
		mnl_attr_put_strz(nlh, IFLA_ALT_IFNAME, alt);
		mnl_attr_nest_end(nlh, nest);
		expect_error(parse_link(nlh, &l), EINVAL,
			     "a 128-byte altname: EINVAL");
	}
}

static void test_link_malformed(void)
{
	static const char noterm[4] = {'e', 't', 'h', '0'};
	struct nlmsghdr *nlh;
	struct iface_link l;

	nlh = link_msg(RTM_NEWLINK, 2, 0, ARPHRD_ETHER);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + sizeof(struct ifinfomsg) - 1;
	expect_error(parse_link(nlh, &l), EINVAL,
		     "a header shorter than ifinfomsg: EINVAL");

	nlh = link_msg(RTM_NEWLINK, 2, 0, ARPHRD_ETHER);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN;
	expect_error(parse_link(nlh, &l), EINVAL, "a bare nlmsghdr: EINVAL");

	nlh = link_msg(RTM_NEWLINK, 2, 0, ARPHRD_ETHER);
	mnl_attr_put(nlh, IFLA_IFNAME, sizeof(noterm), noterm);
	expect_error(parse_link(nlh, &l), EINVAL,
		     "IFLA_IFNAME without its NUL: EINVAL");

	nlh = link_msg(RTM_NEWLINK, 2, 0, ARPHRD_ETHER);
	mnl_attr_put(nlh, IFLA_IFNAME, 0, NULL);
	expect_error(parse_link(nlh, &l), EINVAL,
		     "an empty IFLA_IFNAME: EINVAL");

	nlh = link_msg(RTM_NEWLINK, 2, 0, ARPHRD_ETHER);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "");
	expect_error(parse_link(nlh, &l), EINVAL, "IFLA_IFNAME \"\": EINVAL");

	nlh = link_msg(RTM_NEWLINK, 2, 0, ARPHRD_ETHER);
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	expect_error(parse_link(nlh, &l), EINVAL,
		     "a link without a name: EINVAL");

	nlh = link_msg(RTM_NEWLINK, 2, 0, ARPHRD_ETHER);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	mnl_attr_put_u16(nlh, IFLA_MTU, 1500);
	expect_error(parse_link(nlh, &l), EINVAL, "a 2-byte IFLA_MTU: EINVAL");

	nlh = link_msg(RTM_NEWLINK, 2, 0, ARPHRD_ETHER);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	mnl_attr_put_u64(nlh, IFLA_LINK_NETNSID, 1);
	expect_error(parse_link(nlh, &l), EINVAL,
		     "an 8-byte IFLA_LINK_NETNSID: EINVAL");

	nlh = link_msg(RTM_NEWLINK, 2, 0, ARPHRD_ETHER);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	mnl_attr_put(nlh, IFLA_OPERSTATE, 0, NULL);
	expect_error(parse_link(nlh, &l), EINVAL,
		     "an empty IFLA_OPERSTATE: EINVAL");

	nlh = link_msg(RTM_NEWLINK, 2, 0, ARPHRD_ETHER);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	mnl_attr_put(nlh, IFLA_QDISC, sizeof(noterm), noterm);
	expect_error(parse_link(nlh, &l), EINVAL,
		     "IFLA_QDISC without its NUL: EINVAL");

	nlh = link_msg(RTM_NEWLINK, 2, 0, ARPHRD_ETHER);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	mnl_attr_put(nlh, IFLA_PROP_LIST, 2, "ab");
	expect_error(parse_link(nlh, &l), EINVAL,
		     "an IFLA_PROP_LIST too short to nest: EINVAL");

	nlh = link_msg(RTM_NEWLINK, 2, 0, ARPHRD_ETHER);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	{
		struct nlattr *nest = mnl_attr_nest_start(nlh, IFLA_PROP_LIST);

		mnl_attr_put(nlh, IFLA_ALT_IFNAME, sizeof(noterm), noterm);
		mnl_attr_nest_end(nlh, nest);
	}
	expect_error(parse_link(nlh, &l), EINVAL,
		     "an altname without its NUL: EINVAL");

	/* The name attribute claims more bytes than the message holds. */
	nlh = link_msg(RTM_NEWLINK, 2, 0, ARPHRD_ETHER);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0-long-name");
	nlh->nlmsg_len -= 8;
	expect_error(parse_link(nlh, &l), EINVAL,
		     "an IFLA_IFNAME running past the message: EINVAL");
}

static void test_link_foreign(void)
{
	struct nlmsghdr *nlh;
	struct iface_link l;

	nlh = link_msg(RTM_DELLINK, 2, 0, ARPHRD_ETHER);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	expect_error(parse_link(nlh, &l), ENOMSG,
		     "iface_parse_link on RTM_DELLINK: ENOMSG");

	nlh = addr_msg(RTM_NEWADDR, AF_INET, 1, 8, RT_SCOPE_HOST, 0);
	expect_error(parse_link(nlh, &l), ENOMSG,
		     "iface_parse_link on RTM_NEWADDR: ENOMSG");

	nlh = link_msg(NLMSG_DONE, 0, 0, 0);
	expect_error(parse_link(nlh, &l), ENOMSG,
		     "iface_parse_link on NLMSG_DONE: ENOMSG");
}

static const uint8_t ip_local[4] = {10, 0, 0, 1};
static const uint8_t ip_peer[4] = {10, 0, 0, 2};
static const uint8_t ip_bcast[4] = {10, 0, 0, 255};

static void test_addr_fields(void)
{
	const struct ifa_cacheinfo ci = {.ifa_prefered = 100,
					 .ifa_valid = 200,
					 .cstamp = 300,
					 .tstamp = 400};
	struct nlmsghdr *nlh;
	struct iface_addr a;
	int ret;

	nlh = addr_msg(RTM_NEWADDR, AF_INET, 5, 24, RT_SCOPE_UNIVERSE,
		       IFA_F_SECONDARY);
	mnl_attr_put(nlh, IFA_ADDRESS, 4, ip_peer);
	mnl_attr_put(nlh, IFA_LOCAL, 4, ip_local);
	mnl_attr_put(nlh, IFA_BROADCAST, 4, ip_bcast);
	mnl_attr_put_strz(nlh, IFA_LABEL, "eth0:web");
	mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_PERMANENT | IFA_F_NOPREFIXROUTE);
	mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
	mnl_attr_put_u8(nlh, IFA_PROTO, 3);
	mnl_attr_put_u32(nlh, IFA_MAX + 4, 1); /* newer than our headers */
	memset(&a, 0x5a, sizeof(a));
	if (!unit_ok(parse_addr(nlh, &a) == 0,
		     "a full IPv4 RTM_NEWADDR parses")) {
		printf("#   errno %d (%s)\n", last_errno, strerror(last_errno));
		return;
	}
	unit_ok(a.ifindex == 5, "addr: ifindex (%d)", a.ifindex);
	unit_ok(a.family == AF_INET, "addr: family (%u)", a.family);
	unit_ok(a.prefixlen == 24, "addr: prefixlen (%u)", a.prefixlen);
	unit_ok(a.scope == RT_SCOPE_UNIVERSE, "addr: scope (%u)", a.scope);
	unit_ok(a.flags == (IFA_F_PERMANENT | IFA_F_NOPREFIXROUTE),
		"addr: IFA_FLAGS overrides ifa_flags (%#x)", a.flags);
	unit_ok(a.has_local && memcmp(a.local, ip_local, 4) == 0,
		"addr: IFA_LOCAL");
	unit_ok(a.has_address && memcmp(a.address, ip_peer, 4) == 0,
		"addr: IFA_ADDRESS (the peer)");
	unit_ok(a.has_broadcast && memcmp(a.broadcast, ip_bcast, 4) == 0,
		"addr: IFA_BROADCAST");
	unit_ok(a.has_label && strcmp(a.label, "eth0:web") == 0,
		"addr: label (%s)", a.has_label ? a.label : "-");
	unit_ok(a.has_cacheinfo && a.cacheinfo.ifa_prefered == 100 &&
		    a.cacheinfo.ifa_valid == 200 && a.cacheinfo.cstamp == 300 &&
		    a.cacheinfo.tstamp == 400,
		"addr: cacheinfo");
	unit_ok(a.has_proto && a.proto == 3, "addr: IFA_PROTO");

	/* Without IFA_FLAGS the header's 8-bit flags stand. */
	nlh = addr_msg(RTM_NEWADDR, AF_INET, 1, 8, RT_SCOPE_HOST,
		       IFA_F_PERMANENT | IFA_F_SECONDARY);
	mnl_attr_put(nlh, IFA_LOCAL, 4, ip_local);
	memset(&a, 0x5a, sizeof(a));
	ret = parse_addr(nlh, &a);
	unit_ok(ret == 0 && a.flags == (IFA_F_PERMANENT | IFA_F_SECONDARY) &&
		    a.scope == RT_SCOPE_HOST,
		"addr: without IFA_FLAGS, ifa_flags (%#x)", a.flags);
	unit_ok(!a.has_address && !a.has_broadcast && !a.has_label &&
		    !a.has_cacheinfo && !a.has_proto,
		"addr: absent attributes are not marked present");

	/* IPv6 as the kernel sends ::1: IFA_ADDRESS only. */
	nlh = addr_msg(RTM_NEWADDR, AF_INET6, 1, 128, RT_SCOPE_HOST,
		       IFA_F_PERMANENT);
	mnl_attr_put(nlh, IFA_ADDRESS, 16, &in6addr_loopback);
	mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_PERMANENT | IFA_F_NODAD);
	memset(&a, 0x5a, sizeof(a));
	unit_ok(parse_addr(nlh, &a) == 0 && a.family == AF_INET6 &&
		    a.prefixlen == 128 && !a.has_local && a.has_address &&
		    memcmp(a.address, &in6addr_loopback, 16) == 0 &&
		    a.flags == (IFA_F_PERMANENT | IFA_F_NODAD),
		"addr: IPv6 ::1/128 with IFA_ADDRESS only");
}

static void test_addr_malformed(void)
{
	static const uint8_t sixteen[16] = {0xfe, 0x80};
	static const char noterm[4] = {'e', 't', 'h', '0'};
	struct nlmsghdr *nlh;
	struct iface_addr a;

	nlh = addr_msg(RTM_NEWADDR, AF_INET, 1, 8, 0, 0);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + sizeof(struct ifaddrmsg) - 1;
	expect_error(parse_addr(nlh, &a), EINVAL,
		     "an address header shorter than ifaddrmsg: EINVAL");

	nlh = addr_msg(RTM_NEWADDR, AF_INET, 1, 8, 0, 0);
	mnl_attr_put(nlh, IFA_LOCAL, 16, sixteen);
	expect_error(parse_addr(nlh, &a), EINVAL,
		     "a 16-byte IFA_LOCAL for AF_INET: EINVAL");

	nlh = addr_msg(RTM_NEWADDR, AF_INET6, 1, 64, 0, 0);
	mnl_attr_put(nlh, IFA_LOCAL, 4, ip_local);
	expect_error(parse_addr(nlh, &a), EINVAL,
		     "a 4-byte IFA_LOCAL for AF_INET6: EINVAL");

	nlh = addr_msg(RTM_NEWADDR, AF_INET, 1, 8, 0, 0);
	mnl_attr_put(nlh, IFA_LOCAL, 3, ip_local);
	expect_error(parse_addr(nlh, &a), EINVAL,
		     "a 3-byte IFA_LOCAL for AF_INET: EINVAL");

	nlh = addr_msg(RTM_NEWADDR, AF_INET6, 1, 64, 0, 0);
	mnl_attr_put(nlh, IFA_ADDRESS, 15, sixteen);
	expect_error(parse_addr(nlh, &a), EINVAL,
		     "a 15-byte IFA_ADDRESS for AF_INET6: EINVAL");

	nlh = addr_msg(RTM_NEWADDR, AF_INET, 1, 8, 0, 0);
	mnl_attr_put(nlh, IFA_BROADCAST, 16, sixteen);
	expect_error(parse_addr(nlh, &a), EINVAL,
		     "a 16-byte IFA_BROADCAST: EINVAL");

	nlh = addr_msg(RTM_NEWADDR, AF_INET, 1, 8, 0, 0);
	mnl_attr_put(nlh, IFA_LABEL, sizeof(noterm), noterm);
	expect_error(parse_addr(nlh, &a), EINVAL,
		     "IFA_LABEL without its NUL: EINVAL");

	nlh = addr_msg(RTM_NEWADDR, AF_INET, 1, 8, 0, 0);
	mnl_attr_put_strz(nlh, IFA_LABEL, "sixteen-chars-xy");
	expect_error(parse_addr(nlh, &a), EINVAL,
		     "a 16-byte IFA_LABEL: EINVAL");

	nlh = addr_msg(RTM_NEWADDR, AF_INET, 1, 8, 0, 0);
	mnl_attr_put_u16(nlh, IFA_FLAGS, 1);
	expect_error(parse_addr(nlh, &a), EINVAL, "a 2-byte IFA_FLAGS: EINVAL");

	nlh = addr_msg(RTM_NEWADDR, AF_INET, 1, 8, 0, 0);
	mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(struct ifa_cacheinfo) - 4,
		     sixteen);
	expect_error(parse_addr(nlh, &a), EINVAL,
		     "a short IFA_CACHEINFO: EINVAL");
}

static void test_addr_foreign(void)
{
	struct nlmsghdr *nlh;
	struct iface_addr a;

	nlh = addr_msg(RTM_NEWADDR, AF_PACKET, 1, 0, 0, 0);
	expect_error(parse_addr(nlh, &a), ENOMSG,
		     "an AF_PACKET address: ENOMSG");

	nlh = addr_msg(RTM_NEWADDR, AF_UNSPEC, 1, 0, 0, 0);
	expect_error(parse_addr(nlh, &a), ENOMSG,
		     "an AF_UNSPEC address: ENOMSG");

	nlh = addr_msg(RTM_DELADDR, AF_INET, 1, 8, 0, 0);
	mnl_attr_put(nlh, IFA_LOCAL, 4, ip_local);
	expect_error(parse_addr(nlh, &a), ENOMSG,
		     "iface_parse_addr on RTM_DELADDR: ENOMSG");

	nlh = link_msg(RTM_NEWLINK, 1, 0, ARPHRD_LOOPBACK);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "lo");
	expect_error(parse_addr(nlh, &a), ENOMSG,
		     "iface_parse_addr on RTM_NEWLINK: ENOMSG");
}

static int table_add(struct iface_table *t, const struct nlmsghdr *nlh)
{
	int ret;

	errno = 0;
	ret = iface_table_add(t, nlh);
	last_errno = errno;
	return ret;
}

static void test_table(void)
{
	struct iface_table t = {0};
	struct nlmsghdr *nlh;
	char name[IFNAMSIZ];
	bool all = true, order = true;
	int n = 20;

	/* Enough links and addresses to grow the arrays a few times. */
	for (int i = 1; i <= n; i++) {
		snprintf(name, sizeof(name), "if%d", i);
		nlh = link_msg(RTM_NEWLINK, i * 3, IFF_UP, ARPHRD_ETHER);
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
		mnl_attr_put_u32(nlh, IFLA_MTU, 1000 + (uint32_t)i);
		all &= table_add(&t, nlh) == 0;

		nlh = addr_msg(RTM_NEWADDR, AF_INET, i * 3, 24, 0, 0);
		{
			uint8_t ip[4] = {10, 0, (uint8_t)i, 1};

			mnl_attr_put(nlh, IFA_LOCAL, 4, ip);
		}
		all &= table_add(&t, nlh) == 0;
	}
	unit_ok(all && t.nlinks == (size_t)n && t.naddrs == (size_t)n,
		"table: %d links and %d addresses added (%zu, %zu)", n, n,
		t.nlinks, t.naddrs);
	for (size_t i = 0; i < t.nlinks && i < (size_t)n; i++) {
		snprintf(name, sizeof(name), "if%zu", i + 1);
		if (t.links[i].ifindex != (int)(i + 1) * 3 ||
		    strcmp(t.links[i].name, name) != 0 ||
		    t.links[i].mtu != 1001 + i || t.addrs[i].local[2] != i + 1)
			order = false;
	}
	unit_ok(order, "table: every entry decoded, in the order added");

	nlh = addr_msg(RTM_NEWADDR, AF_PACKET, 1, 0, 0, 0);
	unit_ok(table_add(&t, nlh) == 0 && t.naddrs == (size_t)n,
		"table: an address of another family is skipped");

	nlh = link_msg(RTM_NEWROUTE, 1, 0, 0);
	unit_ok(table_add(&t, nlh) == 0 && t.nlinks == (size_t)n &&
		    t.naddrs == (size_t)n,
		"table: a message of another type is skipped");

	nlh = link_msg(RTM_NEWLINK, 99, 0, ARPHRD_ETHER);
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	expect_error(table_add(&t, nlh), EINVAL,
		     "table: a link without a name fails with EINVAL");
	unit_ok(t.nlinks == (size_t)n, "table: ... and is not counted");

	nlh = addr_msg(RTM_NEWADDR, AF_INET, 1, 8, 0, 0);
	mnl_attr_put(nlh, IFA_LOCAL, 16, &in6addr_loopback);
	expect_error(table_add(&t, nlh), EINVAL,
		     "table: a malformed address fails with EINVAL");
	unit_ok(t.naddrs == (size_t)n, "table: ... and is not counted");

	unit_ok(iface_find_link(&t, 3 * 7) == &t.links[6],
		"iface_find_link finds ifindex 21");
	unit_ok(iface_find_link(&t, 4) == NULL,
		"iface_find_link: NULL for an index not there");

	errno = 1234;
	iface_table_free(&t);
	unit_ok(!t.links && !t.addrs && !t.nlinks && !t.naddrs,
		"iface_table_free empties the table");
	unit_ok(errno == 1234, "iface_table_free keeps errno");
	iface_table_free(&t); /* twice is harmless */
	unit_ok(iface_find_link(&t, 1) == NULL,
		"iface_find_link on an empty table: NULL");
}

int main(void)
{
	unit_start("test_iface", 92);
	test_link_fields();
	test_link_minimal();
	test_link_limits();
	test_link_malformed();
	test_link_foreign();
	test_addr_fields();
	test_addr_malformed();
	test_addr_foreign();
	test_table();
	return unit_done();
}
