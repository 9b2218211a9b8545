// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iface_edit: the few changes nonet makes to a namespace besides lo (an
 * uplink's veth pair, its addresses and routes), as rtnetlink requests
 * over nl_transact().
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "iface.h"
#include "nl.h"

/*
 * Big enough for any one request here.  Each buffer starts zeroed: the
 * libmnl of Debian 12 (1.0.4) leaves the padding after an attribute (a
 * name, a u8) as it finds it, and the kernel would be sent stack bytes
 * (valgrind's t-exam sessions showed it).
 */
#define EDIT_BUFSIZE 512

/* A request header of @type with @flags besides REQUEST and ACK. */
static struct nlmsghdr *put_request(char *buf, struct nl_sock *sock,
				    uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = nl_next_seq(sock);
	return nlh;
}

static int transact(struct nl_sock *sock, const struct nlmsghdr *nlh)
{
	return nl_transact(sock, nlh, nlh->nlmsg_len, 1, NULL, NULL);
}

static size_t addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

int iface_veth_create(struct nl_sock *sock, const char *name, const char *peer,
		      int peer_netns_fd)
{
	char buf[EDIT_BUFSIZE] = {0};
	struct nlmsghdr *nlh =
	    put_request(buf, sock, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	struct nlattr *info, *data, *peer_nest;

	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer_nest = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/* The peer's own ifinfomsg, then its attributes. */
	memset(mnl_nlmsg_get_payload_tail(nlh), 0, sizeof(struct ifinfomsg));
	nlh->nlmsg_len += MNL_ALIGN(sizeof(struct ifinfomsg));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)peer_netns_fd);
	mnl_attr_nest_end(nlh, peer_nest);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return transact(sock, nlh);
}

struct index_ctx {
	int ifindex;
};

static int take_index(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct index_ctx *ctx = data;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi))) {
		errno = EPROTO;
		return -1;
	}
	ctx->ifindex = ifi->ifi_index;
	return 0;
}

int iface_index(struct nl_sock *sock, const char *name, int *ifindex)
{
	char buf[EDIT_BUFSIZE] = {0};
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	struct index_ctx ctx = {0};

	nlh->nlmsg_type = RTM_GETLINK;
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	if (nl_request(sock, nlh, take_index, &ctx) < 0)
		return -1;
	if (ctx.ifindex <= 0) {
		errno = ENODEV;
		return -1;
	}
	*ifindex = ctx.ifindex;
	return 0;
}

int iface_link_up(struct nl_sock *sock, int ifindex)
{
	char buf[EDIT_BUFSIZE] = {0};
	struct nlmsghdr *nlh = put_request(buf, sock, RTM_NEWLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	return transact(sock, nlh);
}

int iface_link_no_ipv6_ll(struct nl_sock *sock, int ifindex)
{
	char buf[EDIT_BUFSIZE] = {0};
	struct nlmsghdr *nlh = put_request(buf, sock, RTM_NEWLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	struct nlattr *spec, *inet6;

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	spec = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	inet6 = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
	mnl_attr_nest_end(nlh, inet6);
	mnl_attr_nest_end(nlh, spec);
	return transact(sock, nlh);
}

int iface_addr_add(struct nl_sock *sock, int ifindex, int family,
		   const void *local, unsigned int prefixlen)
{
	char buf[EDIT_BUFSIZE] = {0};
	struct nlmsghdr *nlh =
	    put_request(buf, sock, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	uint32_t flags = IFA_F_PERMANENT;

	if (family == AF_INET6)
		flags |= IFA_F_NODAD;
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = (uint8_t)prefixlen;
	ifa->ifa_flags = (uint8_t)flags;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (uint32_t)ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, addr_len(family), local);
	mnl_attr_put(nlh, IFA_ADDRESS, addr_len(family), local);
	mnl_attr_put_u32(nlh, IFA_FLAGS, flags);
	return transact(sock, nlh);
}

int iface_route_add(struct nl_sock *sock, int family, const void *dst,
		    unsigned int dst_len, const void *gateway, int oif)
{
	char buf[EDIT_BUFSIZE] = {0};
	struct nlmsghdr *nlh =
	    put_request(buf, sock, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));

	rtm->rtm_family = (uint8_t)family;
	rtm->rtm_dst_len = (uint8_t)dst_len;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put(nlh, RTA_DST, addr_len(family), dst);
	mnl_attr_put(nlh, RTA_GATEWAY, addr_len(family), gateway);
	mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)oif);
	return transact(sock, nlh);
}
