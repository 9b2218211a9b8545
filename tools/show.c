// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * show: `ip link show` / `ip addr show` (iproute2 6.15, no -d, no -s) from a
 * decoded table.  Each function mirrors one piece of iproute2's
 * ip/ipaddress.c (print_linkinfo, print_addrinfo and their helpers), in the
 * same order, because the order of the words is the output format.
 * iproute2 6.1 prints the same but for the address protocol (IFA_PROTO,
 * printed since 6.4): see show_addr_proto().
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>
#include <net/if.h>
#include <net/if_arp.h>

#include "output.h"
#include "show.h"

/* linux/if.h has these, but clashes with glibc's net/if.h (iface.h's). */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#define IFF_DORMANT 0x20000
#define IFF_ECHO 0x40000
#endif
/* linux/if_arp.h's, missing from glibc's net/if_arp.h. */
#ifndef ARPHRD_IP6GRE
#define ARPHRD_IEEE802154_MONITOR 805
#define ARPHRD_PHONET 820
#define ARPHRD_PHONET_PIPE 821
#define ARPHRD_CAIF 822
#define ARPHRD_IP6GRE 823
#define ARPHRD_NETLINK 824
#define ARPHRD_6LOWPAN 825
#endif
/* The lifetime the kernel reports for "forever" (include/net/addrconf.h). */
#define SHOW_FOREVER 0xFFFFFFFFU

/* iproute2's SPRINT_BUF: its truncation of long addresses is its format. */
#define SHOW_BUF 64

struct show_ctx {
	struct out *out;
	const struct iface_table *table;
	bool link_only;
};

/* ll_index_to_name(): the name, "if%u" for a link not in the table. */
static const char *link_name(const struct iface_table *table, int ifindex,
			     char *buf, size_t size)
{
	const struct iface_link *link = iface_find_link(table, ifindex);

	if (link)
		return link->name;
	snprintf(buf, size, "if%u", (unsigned int)ifindex);
	return buf;
}

/* print_name_and_link(): "name@peer"; true when the peer is not up. */
static bool show_name(struct show_ctx *ctx, const struct iface_link *link)
{
	char peer[SHOW_BUF];
	const char *target = NULL;
	bool mdown = false;

	if (link->has_link && link->link == 0) {
		out_null(ctx->out, "link", NULL);
		target = "NONE";
	} else if (link->has_link && link->has_link_netnsid) {
		/* The index belongs to another namespace: no name for it. */
		out_int(ctx->out, "link_index", NULL, link->link);
		snprintf(peer, sizeof(peer), "if%u", (unsigned int)link->link);
		target = peer;
	} else if (link->has_link) {
		const struct iface_link *lower =
		    iface_find_link(ctx->table, link->link);

		target = link_name(ctx->table, link->link, peer, sizeof(peer));
		out_string(ctx->out, "link", NULL, target);
		mdown = !lower || !(lower->flags & IFF_UP);
	}
	if (target && !out_is_json(ctx->out))
		out_textf(ctx->out, "%s@%s: ", link->name, target);
	else
		out_string(ctx->out, "ifname", "%s: ", link->name);
	return mdown;
}

/* One flag word, followed by a comma in text when more are to come. */
static void show_flag(struct show_ctx *ctx, const char *word, bool more)
{
	out_string(ctx->out, NULL, more ? "%s," : "%s", word);
}

/* print_link_flags(): its order, its NO-CARRIER and M-DOWN. */
static void show_link_flags(struct show_ctx *ctx, unsigned int flags,
			    bool mdown)
{
	static const struct {
		unsigned int bit;
		const char *name;
	} names[] = {
	    {IFF_LOOPBACK, "LOOPBACK"},
	    {IFF_BROADCAST, "BROADCAST"},
	    {IFF_POINTOPOINT, "POINTOPOINT"},
	    {IFF_MULTICAST, "MULTICAST"},
	    {IFF_NOARP, "NOARP"},
	    {IFF_ALLMULTI, "ALLMULTI"},
	    {IFF_PROMISC, "PROMISC"},
	    {IFF_MASTER, "MASTER"},
	    {IFF_SLAVE, "SLAVE"},
	    {IFF_DEBUG, "DEBUG"},
	    {IFF_DYNAMIC, "DYNAMIC"},
	    {IFF_AUTOMEDIA, "AUTOMEDIA"},
	    {IFF_PORTSEL, "PORTSEL"},
	    {IFF_NOTRAILERS, "NOTRAILERS"},
	    {IFF_UP, "UP"},
	    {IFF_LOWER_UP, "LOWER_UP"},
	    {IFF_DORMANT, "DORMANT"},
	    {IFF_ECHO, "ECHO"},
	};
	char hex[SHOW_BUF];

	out_arr_open(ctx->out, "flags");
	out_textf(ctx->out, "<");
	if ((flags & IFF_UP) && !(flags & IFF_RUNNING))
		show_flag(ctx, "NO-CARRIER", flags != 0);
	flags &= ~IFF_RUNNING;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(flags & names[i].bit))
			continue;
		flags &= ~names[i].bit;
		show_flag(ctx, names[i].name, flags != 0);
	}
	if (flags) {
		snprintf(hex, sizeof(hex), "%x", flags);
		out_string(ctx->out, NULL, "%s", hex);
	}
	if (mdown)
		out_string(ctx->out, NULL, ",%s", "M-DOWN");
	out_arr_close(ctx->out);
	out_textf(ctx->out, "> ");
}

/* print_operstate() and print_linkmode(), with their unknown values. */
static void show_states(struct show_ctx *ctx, const struct iface_link *link)
{
	static const char *const oper[] = {
	    "UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN",
	    "TESTING", "DORMANT",    "UP",
	};
	static const char *const modes[] = {"DEFAULT", "DORMANT"};

	if (link->has_operstate && link->operstate < 7)
		out_string(ctx->out, "operstate", "state %s ",
			   oper[link->operstate]);
	else if (link->has_operstate && out_is_json(ctx->out))
		out_uint(ctx->out, "operstate_index", NULL, link->operstate);
	else if (link->has_operstate)
		out_textf(ctx->out, "state %#x", link->operstate);
	if (!ctx->link_only)
		return;
	if (link->linkmode < 2)
		out_string(ctx->out, "linkmode", "mode %s ",
			   modes[link->linkmode]);
	else
		out_int(ctx->out, "linkmode_index", "mode %" PRId64 " ",
			link->linkmode);
}

/* The first line after the flags: mtu, qdisc, master, state, group, qlen. */
static void show_link_params(struct show_ctx *ctx,
			     const struct iface_link *link)
{
	char buf[SHOW_BUF];

	out_int(ctx->out, "mtu", "mtu %" PRId64 " ", (int32_t)link->mtu);
	if (link->qdisc[0])
		out_string(ctx->out, "qdisc", "qdisc %s ", link->qdisc);
	if (link->master)
		out_string(
		    ctx->out, "master", "master %s ",
		    link_name(ctx->table, link->master, buf, sizeof(buf)));
	show_states(ctx, link);
	if (link->has_group) {
		/* /etc/iproute2/group names only 0; others print as numbers. */
		if (link->group == 0)
			snprintf(buf, sizeof(buf), "default");
		else
			snprintf(buf, sizeof(buf), "%d", (int)link->group);
		out_string(ctx->out, "group", "group %s ", buf);
	}
	if (link->has_txqlen && link->txqlen)
		out_int(ctx->out, "txqlen", "qlen %" PRId64,
			(int32_t)link->txqlen);
}

/* lib/ll_types.c's names of ARPHRD_* (iproute2 6.1: 0 is "netrom"). */
static const struct {
	unsigned short type;
	const char *name;
} link_types[] = {
    {ARPHRD_NETROM, "netrom"},
    {ARPHRD_ETHER, "ether"},
    {ARPHRD_EETHER, "eether"},
    {ARPHRD_AX25, "ax25"},
    {ARPHRD_PRONET, "pronet"},
    {ARPHRD_CHAOS, "chaos"},
    {ARPHRD_IEEE802, "ieee802"},
    {ARPHRD_ARCNET, "arcnet"},
    {ARPHRD_APPLETLK, "atalk"},
    {ARPHRD_DLCI, "dlci"},
    {ARPHRD_ATM, "atm"},
    {ARPHRD_METRICOM, "metricom"},
    {ARPHRD_IEEE1394, "ieee1394"},
    {ARPHRD_INFINIBAND, "infiniband"},
    {ARPHRD_SLIP, "slip"},
    {ARPHRD_CSLIP, "cslip"},
    {ARPHRD_SLIP6, "slip6"},
    {ARPHRD_CSLIP6, "cslip6"},
    {ARPHRD_RSRVD, "rsrvd"},
    {ARPHRD_ADAPT, "adapt"},
    {ARPHRD_ROSE, "rose"},
    {ARPHRD_X25, "x25"},
    {ARPHRD_HWX25, "hwx25"},
    {ARPHRD_CAN, "can"},
    {ARPHRD_PPP, "ppp"},
    {ARPHRD_HDLC, "hdlc"},
    {ARPHRD_LAPB, "lapb"},
    {ARPHRD_DDCMP, "ddcmp"},
    {ARPHRD_RAWHDLC, "rawhdlc"},
    {ARPHRD_TUNNEL, "ipip"},
    {ARPHRD_TUNNEL6, "tunnel6"},
    {ARPHRD_FRAD, "frad"},
    {ARPHRD_SKIP, "skip"},
    {ARPHRD_LOOPBACK, "loopback"},
    {ARPHRD_LOCALTLK, "ltalk"},
    {ARPHRD_FDDI, "fddi"},
    {ARPHRD_BIF, "bif"},
    {ARPHRD_SIT, "sit"},
    {ARPHRD_IPDDP, "ip/ddp"},
    {ARPHRD_IPGRE, "gre"},
    {ARPHRD_PIMREG, "pimreg"},
    {ARPHRD_HIPPI, "hippi"},
    {ARPHRD_ASH, "ash"},
    {ARPHRD_ECONET, "econet"},
    {ARPHRD_IRDA, "irda"},
    {ARPHRD_FCPP, "fcpp"},
    {ARPHRD_FCAL, "fcal"},
    {ARPHRD_FCPL, "fcpl"},
    {ARPHRD_FCFABRIC, "fcfb0"},
    {ARPHRD_IEEE802_TR, "tr"},
    {ARPHRD_IEEE80211, "ieee802.11"},
    {ARPHRD_IEEE80211_PRISM, "ieee802.11/prism"},
    {ARPHRD_IEEE80211_RADIOTAP, "ieee802.11/radiotap"},
    {ARPHRD_IEEE802154, "ieee802.15.4"},
    {ARPHRD_IEEE802154_MONITOR, "ieee802.15.4/monitor"},
    {ARPHRD_PHONET, "phonet"},
    {ARPHRD_PHONET_PIPE, "phonet_pipe"},
    {ARPHRD_CAIF, "caif"},
    {ARPHRD_IP6GRE, "gre6"},
    {ARPHRD_NETLINK, "netlink"},
    {ARPHRD_6LOWPAN, "6lowpan"},
    {ARPHRD_NONE, "none"},
    {ARPHRD_VOID, "void"},
};

/* ll_type_n2a(): lib/ll_types.c's names, "[N]" for the others. */
static const char *link_type_name(unsigned short type, char *buf, size_t size)
{
	for (size_t i = 0; i < sizeof(link_types) / sizeof(link_types[0]);
	     i++) {
		if (link_types[i].type == type)
			return link_types[i].name;
	}
	/* fcfb1 .. fcfb12 follow fcfb0 */
	if (type > ARPHRD_FCFABRIC && type <= ARPHRD_FCFABRIC + 12)
		snprintf(buf, size, "fcfb%d", type - ARPHRD_FCFABRIC);
	else
		snprintf(buf, size, "[%d]", type);
	return buf;
}

/* ll_addr_n2a(): IP for tunnels, else colon hex cut at iproute2's buffer. */
static const char *hwaddr_str(const uint8_t *addr, size_t len,
			      unsigned short type, char *buf)
{
	size_t l;

	if (len == 4 && (type == ARPHRD_TUNNEL || type == ARPHRD_SIT ||
			 type == ARPHRD_IPGRE))
		return inet_ntop(AF_INET, addr, buf, SHOW_BUF);
	if (len == 16 && (type == ARPHRD_TUNNEL6 || type == ARPHRD_IP6GRE))
		return inet_ntop(AF_INET6, addr, buf, SHOW_BUF);
	snprintf(buf, SHOW_BUF, "%02x", len ? addr[0] : 0);
	l = 2;
	for (size_t i = 1; i < len && l < SHOW_BUF; i++, l += 3)
		snprintf(buf + l, SHOW_BUF - l, ":%02x", addr[i]);
	return buf;
}

/* "link/TYPE ADDR brd ADDR permaddr ADDR": the second line's start. */
static void show_link_hw(struct show_ctx *ctx, const struct iface_link *link)
{
	char buf[SHOW_BUF];

	out_textf(ctx->out, "\n");
	out_string(ctx->out, "link_type", "    link/%s ",
		   link_type_name(link->type, buf, sizeof(buf)));
	if (link->address_len)
		out_string(ctx->out, "address", "%s",
			   hwaddr_str(link->address, link->address_len,
				      link->type, buf));
	if (link->broadcast_len) {
		if (link->flags & IFF_POINTOPOINT) {
			out_textf(ctx->out, " peer ");
			out_bool(ctx->out, "link_pointtopoint", NULL, true);
		} else {
			out_textf(ctx->out, " brd ");
		}
		out_string(ctx->out, "broadcast", "%s",
			   hwaddr_str(link->broadcast, link->broadcast_len,
				      link->type, buf));
	}
	if (link->perm_address_len &&
	    (link->perm_address_len != link->address_len ||
	     memcmp(link->perm_address, link->address, link->address_len) !=
		 0)) {
		out_textf(ctx->out, " permaddr ");
		out_string(ctx->out, "permaddr", "%s",
			   hwaddr_str(link->perm_address,
				      link->perm_address_len, link->type, buf));
	}
}

/* The rest of the link: peer namespace, protodown, altnames. */
static void show_link_tail(struct show_ctx *ctx, const struct iface_link *link)
{
	if (link->has_link_netnsid) {
		/*
		 * ip prints "link-netns NAME" when a file in /run/netns has
		 * that id; the table carries no such names, so the id it is.
		 */
		if (out_is_json(ctx->out))
			out_int(ctx->out, "link_netnsid", NULL,
				link->link_netnsid);
		else if (link->link_netnsid >= 0)
			out_textf(ctx->out, " link-netnsid %d",
				  link->link_netnsid);
		else
			out_textf(ctx->out, " link-netnsid %s", "unknown");
	}
	if (link->has_proto_down && link->proto_down)
		out_bool(ctx->out, "proto_down", " protodown on ", true);
	if (link->naltnames) {
		out_arr_open(ctx->out, "altnames");
		for (size_t i = 0; i < link->naltnames; i++) {
			out_textf(ctx->out, "\n    altname ");
			out_string(ctx->out, NULL, "%s", link->altnames[i]);
		}
		out_arr_close(ctx->out);
	}
}

/* print_linkinfo(): the link's two lines (more with altnames). */
static void show_link(struct show_ctx *ctx, const struct iface_link *link)
{
	bool mdown;

	out_int(ctx->out, "ifindex", "%" PRId64 ": ", link->ifindex);
	mdown = show_name(ctx, link);
	show_link_flags(ctx, link->flags, mdown);
	show_link_params(ctx, link);
	show_link_hw(ctx, link);
	show_link_tail(ctx, link);
	out_textf(ctx->out, "\n");
}

/* rtnl_rtscope_n2a() with the names of /etc/iproute2/rt_scopes. */
static const char *scope_name(uint8_t scope, char *buf, size_t size)
{
	switch (scope) {
	case 0: return "global";
	case 200: return "site";
	case 253: return "link";
	case 254: return "host";
	case 255: return "nowhere";
	}
	snprintf(buf, size, "%d", scope);
	return buf;
}

/* print_ifa_flags(): its table order; PERMANENT missing is "dynamic". */
static void show_addr_flags(struct show_ctx *ctx, const struct iface_addr *a)
{
	static const struct {
		uint32_t mask;
		const char *name;
	} f[] = {
	    {IFA_F_SECONDARY, "secondary"},
	    {IFA_F_NODAD, "nodad"},
	    {IFA_F_OPTIMISTIC, "optimistic"},
	    {IFA_F_DADFAILED, "dadfailed"},
	    {IFA_F_HOMEADDRESS, "home"},
	    {IFA_F_DEPRECATED, "deprecated"},
	    {IFA_F_TENTATIVE, "tentative"},
	    {IFA_F_PERMANENT, NULL},
	    {IFA_F_MANAGETEMPADDR, "mngtmpaddr"},
	    {IFA_F_NOPREFIXROUTE, "noprefixroute"},
	    {IFA_F_MCAUTOJOIN, "autojoin"},
	    {IFA_F_STABLE_PRIVACY, "stable-privacy"},
	};
	uint32_t flags = a->flags;
	char buf[SHOW_BUF];

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		const char *name = f[i].name;

		if (!name && !(flags & f[i].mask))
			out_bool(ctx->out, "dynamic", "dynamic ", true);
		if (name && (flags & f[i].mask)) {
			if (f[i].mask == IFA_F_SECONDARY &&
			    a->family == AF_INET6)
				name = "temporary";
			out_textf(ctx->out, "%s ", name);
			out_bool(ctx->out, name, NULL, true);
		}
		flags &= ~f[i].mask;
	}
	if (flags) {
		snprintf(buf, sizeof(buf), "%02x", flags);
		out_string(ctx->out, "ifa_flags", "flags %s ", buf);
	}
}

/*
 * print_addrinfo()'s IFA_PROTO (iproute2 6.4 and later): "proto kernel_lo "
 * in text unless 0, "protocol" always in JSON; rtnl_addrprot_n2a()'s names
 * (without /etc/iproute2/rt_addrprotos), else the number in "%#x".
 */
static void show_addr_proto(struct show_ctx *ctx, const struct iface_addr *a)
{
	static const char *const names[] = {
	    [IFAPROT_UNSPEC] = "unspec",
	    [IFAPROT_KERNEL_LO] = "kernel_lo",
	    [IFAPROT_KERNEL_RA] = "kernel_ra",
	    [IFAPROT_KERNEL_LL] = "kernel_ll",
	};
	const char *name;
	char buf[8];

	if (!a->has_proto)
		return;
	if (a->proto < sizeof(names) / sizeof(names[0])) {
		name = names[a->proto];
	} else {
		snprintf(buf, sizeof(buf), "%#x", a->proto);
		name = buf;
	}
	out_string(ctx->out, "protocol", a->proto ? "proto %s " : NULL, name);
}

/* "valid_lft forever preferred_lft 20sec": the address's second line. */
static void show_addr_life(struct show_ctx *ctx, const struct iface_addr *a)
{
	const struct ifa_cacheinfo *ci = &a->cacheinfo;

	out_textf(ctx->out, "\n       valid_lft ");
	if (ci->ifa_valid == SHOW_FOREVER)
		out_textf(ctx->out, "forever");
	out_uint(ctx->out, "valid_life_time",
		 ci->ifa_valid == SHOW_FOREVER ? NULL : "%" PRIu64 "sec",
		 ci->ifa_valid);
	out_textf(ctx->out, " preferred_lft ");
	if (ci->ifa_prefered == SHOW_FOREVER) {
		out_textf(ctx->out, "forever");
		out_uint(ctx->out, "preferred_life_time", NULL,
			 ci->ifa_prefered);
	} else if (a->flags & IFA_F_DEPRECATED) {
		out_int(ctx->out, "preferred_life_time", "%" PRId64 "sec",
			(int32_t)ci->ifa_prefered);
	} else {
		out_uint(ctx->out, "preferred_life_time", "%" PRIu64 "sec",
			 ci->ifa_prefered);
	}
}

/* "10.0.0.1 peer 10.0.0.2/32 brd ...": the addresses of one line. */
static void show_addr_ips(struct show_ctx *ctx, const struct iface_addr *a)
{
	const uint8_t *local = a->has_local ? a->local : a->address;
	const uint8_t *peer = a->has_address ? a->address : local;
	char buf[INET6_ADDRSTRLEN];
	size_t len = a->family == AF_INET ? 4 : 16;

	if (a->has_local || a->has_address) {
		out_string(ctx->out, "local", "%s",
			   inet_ntop(a->family, local, buf, sizeof(buf)));
		if (memcmp(peer, local, len) != 0) {
			out_textf(ctx->out, " peer ");
			out_string(
			    ctx->out, "address", "%s",
			    inet_ntop(a->family, peer, buf, sizeof(buf)));
		}
		out_int(ctx->out, "prefixlen", "/%" PRId64 " ", a->prefixlen);
	}
	if (a->has_broadcast) {
		out_textf(ctx->out, "brd ");
		out_string(ctx->out, "broadcast", "%s ",
			   inet_ntop(AF_INET, a->broadcast, buf, sizeof(buf)));
	}
}

/* print_addrinfo(): one address, two lines. */
static void show_addr(struct show_ctx *ctx, const struct iface_addr *a)
{
	char buf[SHOW_BUF];

	out_obj_open(ctx->out, NULL);
	out_string(ctx->out, "family", "    %s ",
		   a->family == AF_INET ? "inet" : "inet6");
	show_addr_ips(ctx, a);
	out_string(ctx->out, "scope", "scope %s ",
		   scope_name(a->scope, buf, sizeof(buf)));
	show_addr_flags(ctx, a);
	show_addr_proto(ctx, a);
	if (a->has_label)
		out_string(ctx->out, "label", "%s", a->label);
	if (a->has_cacheinfo)
		show_addr_life(ctx, a);
	out_textf(ctx->out, "\n");
	out_obj_close(ctx->out);
}

/* print_selected_addrinfo(): the link's addresses, in dump order. */
static void show_addrs(struct show_ctx *ctx, int ifindex)
{
	out_arr_open(ctx->out, "addr_info");
	for (size_t i = 0; i < ctx->table->naddrs; i++) {
		if (ctx->table->addrs[i].ifindex == ifindex)
			show_addr(ctx, &ctx->table->addrs[i]);
	}
	out_arr_close(ctx->out);
}

/* The links array, as the value of @key (or a top-level value if NULL). */
void show_links(struct out *out, const char *key,
		const struct iface_table *table, bool link_only)
{
	struct show_ctx ctx = {
	    .out = out, .table = table, .link_only = link_only};

	out_arr_open(out, key);
	for (size_t i = 0; i < table->nlinks; i++) {
		out_obj_open(out, NULL);
		show_link(&ctx, &table->links[i]);
		if (!link_only)
			show_addrs(&ctx, table->links[i].ifindex);
		out_obj_close(out);
	}
	out_arr_close(out);
}

int show_print(FILE *fp, const struct iface_table *table,
	       const struct show_opts *opts)
{
	struct out out;

	out_init(&out, fp, opts->json, opts->json && opts->pretty);
	show_links(&out, NULL, table, opts->link_only);
	return out_end(&out);
}
