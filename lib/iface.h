/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * iface: the links and addresses of a network namespace, decoded from
 * rtnetlink messages into plain structs.  No printing, no policy.
 */
#ifndef NONET_IFACE_H
#define NONET_IFACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>

struct nl_sock;

#define IFACE_HWADDR_MAX 32
#define IFACE_ALTNAME_LEN 128 /* ALTIFNAMSIZ */

struct iface_link {
	int ifindex;
	unsigned int flags;  /* IFF_* as the kernel reports them */
	unsigned short type; /* ARPHRD_* */
	char name[IFNAMSIZ];
	char kind[32]; /* IFLA_INFO_KIND ("veth", "sit"), or "" */
	uint32_t mtu;
	char qdisc[32]; /* "" when the kernel sent none */
	int master;	/* 0: none */
	bool has_link;	/* IFLA_LINK: the peer or lower device */
	int link;
	bool has_link_netnsid;
	int32_t link_netnsid;
	bool has_operstate;
	uint8_t operstate; /* IF_OPER_* */
	uint8_t linkmode;
	bool has_group;
	uint32_t group;
	bool has_txqlen;
	uint32_t txqlen;
	bool has_proto_down;
	uint8_t proto_down;
	size_t address_len;
	uint8_t address[IFACE_HWADDR_MAX];
	size_t broadcast_len;
	uint8_t broadcast[IFACE_HWADDR_MAX];
	size_t perm_address_len;
	uint8_t perm_address[IFACE_HWADDR_MAX];
	/*
	 * Every alternative name, in the kernel's order: one allocation (the
	 * pointers, then the strings), freed by iface_link_free().
	 */
	size_t naltnames;
	char **altnames;
};

struct iface_addr {
	int ifindex;
	uint8_t family; /* AF_INET or AF_INET6 */
	uint8_t prefixlen;
	uint8_t scope;	/* RT_SCOPE_* */
	uint32_t flags; /* IFA_F_*, from IFA_FLAGS when present */
	bool has_local;
	uint8_t local[16];
	bool has_address; /* IFA_ADDRESS: the peer on point-to-point */
	uint8_t address[16];
	bool has_broadcast;
	uint8_t broadcast[4];
	bool has_label;
	char label[IFNAMSIZ];
	bool has_cacheinfo;
	struct ifa_cacheinfo cacheinfo;
	bool has_proto;
	uint8_t proto;
};

/* A namespace's links and addresses, each in the kernel's dump order. */
struct iface_table {
	struct iface_link *links;
	size_t nlinks;
	struct iface_addr *addrs;
	size_t naddrs;
};

/*
 * Decode one RTM_NEWLINK / RTM_NEWADDR message.  Every attribute is
 * validated before it is stored; a malformed message gives -1 with EINVAL.
 * A message of another type, or an address of a family other than inet and
 * inet6, gives -1 with ENOMSG (callers skip it).  A link parsed without
 * error holds memory: iface_link_free() it (a table does that itself).
 */
int iface_parse_link(const struct nlmsghdr *nlh, struct iface_link *out);
void iface_link_free(struct iface_link *link);
int iface_parse_addr(const struct nlmsghdr *nlh, struct iface_addr *out);

/* Appends the message to the table; messages of other types are skipped. */
int iface_table_add(struct iface_table *table, const struct nlmsghdr *nlh);

/* Dumps links, then addresses, of the socket's namespace into @table. */
int iface_table_read(struct nl_sock *sock, struct iface_table *table);
void iface_table_free(struct iface_table *table);

/* The link with that index, or NULL. */
const struct iface_link *iface_find_link(const struct iface_table *table,
					 int ifindex);

/*
 * Changing a namespace (lib/iface_edit.c): one request each, in the
 * namespace of @sock.  Each returns 0, or -1 with errno (the kernel's
 * error; nl_ext_ack() has its explanation).
 */

/*
 * A veth pair: @name here, its peer @peer created directly in the network
 * namespace open at @peer_netns_fd (so no other namespace ever sees it).
 */
int iface_veth_create(struct nl_sock *sock, const char *name, const char *peer,
		      int peer_netns_fd);

/* The index of link @name; ENODEV if there is none. */
int iface_index(struct nl_sock *sock, const char *name, int *ifindex);

/* Sets link @ifindex up. */
int iface_link_up(struct nl_sock *sock, int ifindex);

/*
 * No IPv6 address of the kernel's own making on @ifindex (addr_gen_mode
 * none: no link-local address when it goes up).
 */
int iface_link_no_ipv6_ll(struct nl_sock *sock, int ifindex);

/*
 * Adds @local/@prefixlen (@family AF_INET or AF_INET6) to @ifindex,
 * permanent, global scope; IPv6 without duplicate address detection (the
 * other end of a point-to-point pair is ours).
 */
int iface_addr_add(struct nl_sock *sock, int ifindex, int family,
		   const void *local, unsigned int prefixlen);

/*
 * Adds a unicast route to @dst/@dst_len via @gateway on @oif, in the main
 * table.
 */
int iface_route_add(struct nl_sock *sock, int family, const void *dst,
		    unsigned int dst_len, const void *gateway, int oif);

#endif
