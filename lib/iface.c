// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iface: decode RTM_NEWLINK / RTM_NEWADDR messages into iface_link and
 * iface_addr, and read a whole namespace's table through nl_dump().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "iface.h"
#include "nl.h"

/*
 * mnl_attr_parse() stops quietly at an attribute that does not fit: walk
 * again and require that the attributes fill the message to its end.
 */
static int attrs_complete(const struct nlmsghdr *nlh, size_t offset)
{
	const char *tail = mnl_nlmsg_get_payload_tail(nlh);
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, offset);
	if ((const char *)attr < tail) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* Copies a NUL-terminated string attribute that must fit @size. */
static int attr_str(const struct nlattr *attr, char *dst, size_t size)
{
	size_t len;

	if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
		return -1;
	len = strlen(mnl_attr_get_str(attr));
	if (len >= size) {
		errno = EINVAL;
		return -1;
	}
	memcpy(dst, mnl_attr_get_str(attr), len + 1);
	return 0;
}

static int attr_u32(const struct nlattr *attr, uint32_t *dst)
{
	if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
		return -1;
	*dst = mnl_attr_get_u32(attr);
	return 0;
}

static int attr_u8(const struct nlattr *attr, uint8_t *dst)
{
	if (mnl_attr_validate(attr, MNL_TYPE_U8) < 0)
		return -1;
	*dst = mnl_attr_get_u8(attr);
	return 0;
}

/* A hardware address: any length up to the buffer. */
static int attr_hwaddr(const struct nlattr *attr, uint8_t *dst, size_t *len)
{
	size_t n = mnl_attr_get_payload_len(attr);

	if (n > IFACE_HWADDR_MAX) {
		errno = EINVAL;
		return -1;
	}
	memcpy(dst, mnl_attr_get_payload(attr), n);
	*len = n;
	return 0;
}

/*
 * IFLA_PROP_LIST: all the altnames, however many (the kernel bounds the
 * list at 64 KiB, some thousands of short names), in one allocation.
 */
static int parse_altnames(const struct nlattr *nest, struct iface_link *link)
{
	const struct nlattr *attr;
	size_t n = 0, bytes = 0;
	char *strings;

	mnl_attr_for_each_nested(attr, nest)
	{
		if (mnl_attr_get_type(attr) != IFLA_ALT_IFNAME)
			continue;
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			return -1;
		if (strlen(mnl_attr_get_str(attr)) >= IFACE_ALTNAME_LEN) {
			errno = EINVAL;
			return -1;
		}
		n++;
		bytes += strlen(mnl_attr_get_str(attr)) + 1;
	}
	if (n == 0 || link->altnames) /* none, or a second list: ignored */
		return 0;
	link->altnames = malloc(n * sizeof(char *) + bytes);
	if (!link->altnames)
		return -1;
	strings = (char *)(link->altnames + n);
	mnl_attr_for_each_nested(attr, nest)
	{
		if (mnl_attr_get_type(attr) != IFLA_ALT_IFNAME)
			continue;
		link->altnames[link->naltnames++] = strings;
		strings = stpcpy(strings, mnl_attr_get_str(attr)) + 1;
	}
	return 0;
}

/* IFLA_LINKINFO: only the kind (what made the link) is kept. */
static int linkinfo_attr(const struct nlattr *attr, void *data)
{
	struct iface_link *link = data;

	if (mnl_attr_get_type(attr) != IFLA_INFO_KIND)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_ERROR;
	/* A kind longer than any the kernel has is no fallback tunnel. */
	size_t len = strlen(mnl_attr_get_str(attr));

	if (len < sizeof(link->kind))
		memcpy(link->kind, mnl_attr_get_str(attr), len + 1);
	return MNL_CB_OK;
}

static int link_attr_u32(const struct nlattr *attr, struct iface_link *link)
{
	uint32_t v = 0;

	if (attr_u32(attr, &v) < 0)
		return -1;
	switch (mnl_attr_get_type(attr)) {
	case IFLA_MTU: link->mtu = v; break;
	case IFLA_MASTER: link->master = (int)v; break;
	case IFLA_LINK:
		link->has_link = true;
		link->link = (int)v;
		break;
	case IFLA_LINK_NETNSID:
		link->has_link_netnsid = true;
		link->link_netnsid = (int32_t)v;
		break;
	case IFLA_GROUP:
		link->has_group = true;
		link->group = v;
		break;
	case IFLA_TXQLEN:
		link->has_txqlen = true;
		link->txqlen = v;
		break;
	}
	return 0;
}

static int link_attr(const struct nlattr *attr, void *data)
{
	struct iface_link *link = data;
	int ret = 0;

	if (mnl_attr_type_valid(attr, IFLA_MAX) < 0)
		return MNL_CB_OK; /* newer than our headers: not ours to show */
	switch (mnl_attr_get_type(attr)) {
	case IFLA_IFNAME:
		ret = attr_str(attr, link->name, sizeof(link->name));
		break;
	case IFLA_QDISC:
		ret = attr_str(attr, link->qdisc, sizeof(link->qdisc));
		break;
	case IFLA_MTU:
	case IFLA_MASTER:
	case IFLA_LINK:
	case IFLA_LINK_NETNSID:
	case IFLA_GROUP:
	case IFLA_TXQLEN: ret = link_attr_u32(attr, link); break;
	case IFLA_OPERSTATE:
		link->has_operstate = true;
		ret = attr_u8(attr, &link->operstate);
		break;
	case IFLA_LINKMODE: ret = attr_u8(attr, &link->linkmode); break;
	case IFLA_PROTO_DOWN:
		link->has_proto_down = true;
		ret = attr_u8(attr, &link->proto_down);
		break;
	case IFLA_ADDRESS:
		ret = attr_hwaddr(attr, link->address, &link->address_len);
		break;
	case IFLA_BROADCAST:
		ret = attr_hwaddr(attr, link->broadcast, &link->broadcast_len);
		break;
	case IFLA_PERM_ADDRESS:
		ret = attr_hwaddr(attr, link->perm_address,
				  &link->perm_address_len);
		break;
	case IFLA_PROP_LIST:
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
			return MNL_CB_ERROR;
		ret = parse_altnames(attr, link);
		break;
	case IFLA_LINKINFO:
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
			return MNL_CB_ERROR;
		return mnl_attr_parse_nested(attr, linkinfo_attr, link);
	}
	return ret < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

int iface_parse_link(const struct nlmsghdr *nlh, struct iface_link *out)
{
	const struct ifinfomsg *ifi;

	if (nlh->nlmsg_type != RTM_NEWLINK) {
		errno = ENOMSG;
		return -1;
	}
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi))) {
		errno = EINVAL;
		return -1;
	}
	ifi = mnl_nlmsg_get_payload(nlh);
	memset(out, 0, sizeof(*out));
	out->ifindex = ifi->ifi_index;
	out->flags = ifi->ifi_flags;
	out->type = ifi->ifi_type;
	if (attrs_complete(nlh, sizeof(*ifi)) < 0 ||
	    mnl_attr_parse(nlh, sizeof(*ifi), link_attr, out) < MNL_CB_OK) {
		int saved = errno == ENOMEM ? ENOMEM : EINVAL;

		iface_link_free(out);
		errno = saved;
		return -1;
	}
	if (out->name[0] == '\0') {
		iface_link_free(out);
		errno = EINVAL; /* every link has a name */
		return -1;
	}
	return 0;
}

void iface_link_free(struct iface_link *link)
{
	free(link->altnames);
	link->altnames = NULL;
	link->naltnames = 0;
}

/* An IP address attribute must be exactly as long as the family says. */
static int attr_ip(const struct nlattr *attr, uint8_t family, uint8_t *dst,
		   bool *has)
{
	size_t want = family == AF_INET ? 4 : 16;

	if (mnl_attr_validate2(attr, MNL_TYPE_BINARY, want) < 0)
		return -1;
	memcpy(dst, mnl_attr_get_payload(attr), want);
	*has = true;
	return 0;
}

static int addr_attr(const struct nlattr *attr, void *data)
{
	struct iface_addr *addr = data;
	int ret = 0;

	if (mnl_attr_type_valid(attr, IFA_MAX) < 0)
		return MNL_CB_OK;
	switch (mnl_attr_get_type(attr)) {
	case IFA_LOCAL:
		ret =
		    attr_ip(attr, addr->family, addr->local, &addr->has_local);
		break;
	case IFA_ADDRESS:
		ret = attr_ip(attr, addr->family, addr->address,
			      &addr->has_address);
		break;
	case IFA_BROADCAST:
		ret = attr_ip(attr, AF_INET, addr->broadcast,
			      &addr->has_broadcast);
		break;
	case IFA_LABEL:
		addr->has_label = true;
		ret = attr_str(attr, addr->label, sizeof(addr->label));
		break;
	case IFA_FLAGS: ret = attr_u32(attr, &addr->flags); break;
	case IFA_CACHEINFO:
		ret = mnl_attr_validate2(attr, MNL_TYPE_BINARY,
					 sizeof(addr->cacheinfo));
		if (ret == 0) {
			memcpy(&addr->cacheinfo, mnl_attr_get_payload(attr),
			       sizeof(addr->cacheinfo));
			addr->has_cacheinfo = true;
		}
		break;
	case IFA_PROTO:
		addr->has_proto = true;
		ret = attr_u8(attr, &addr->proto);
		break;
	}
	return ret < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

int iface_parse_addr(const struct nlmsghdr *nlh, struct iface_addr *out)
{
	const struct ifaddrmsg *ifa;

	if (nlh->nlmsg_type != RTM_NEWADDR) {
		errno = ENOMSG;
		return -1;
	}
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifa))) {
		errno = EINVAL;
		return -1;
	}
	ifa = mnl_nlmsg_get_payload(nlh);
	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6) {
		errno = ENOMSG;
		return -1;
	}
	memset(out, 0, sizeof(*out));
	out->ifindex = (int)ifa->ifa_index;
	out->family = ifa->ifa_family;
	out->prefixlen = ifa->ifa_prefixlen;
	out->scope = ifa->ifa_scope;
	out->flags = ifa->ifa_flags; /* IFA_FLAGS, if present, overrides */
	if (attrs_complete(nlh, sizeof(*ifa)) < 0 ||
	    mnl_attr_parse(nlh, sizeof(*ifa), addr_attr, out) < MNL_CB_OK) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* Grows @array (of @size-byte elements) to hold one more than @n. */
static void *grow(void *array, size_t n, size_t size)
{
	/* The capacity runs 4, 8, 16, ...: grow when n reaches it. */
	if (n == 0)
		return reallocarray(array, 4, size);
	if (n < 4 || (n & (n - 1)) != 0)
		return array;
	return reallocarray(array, n * 2, size);
}

int iface_table_add(struct iface_table *table, const struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_type == RTM_NEWLINK) {
		struct iface_link *links =
		    grow(table->links, table->nlinks, sizeof(*links));
		if (!links)
			return -1;
		table->links = links;
		if (iface_parse_link(nlh, &links[table->nlinks]) < 0)
			return -1;
		table->nlinks++;
	} else if (nlh->nlmsg_type == RTM_NEWADDR) {
		struct iface_addr *addrs =
		    grow(table->addrs, table->naddrs, sizeof(*addrs));
		if (!addrs)
			return -1;
		table->addrs = addrs;
		if (iface_parse_addr(nlh, &addrs[table->naddrs]) < 0)
			return errno == ENOMSG ? 0 : -1;
		table->naddrs++;
	}
	return 0;
}

static int table_add_cb(const struct nlmsghdr *nlh, void *data)
{
	return iface_table_add(data, nlh);
}

int iface_table_read(struct nl_sock *sock, struct iface_table *table)
{
	/* A dump the kernel marks interrupted is retried a few times. */
	for (int attempt = 0; attempt < 3; attempt++) {
		memset(table, 0, sizeof(*table));
		if (nl_dump(sock, RTM_GETLINK, AF_UNSPEC, table_add_cb,
			    table) == 0 &&
		    nl_dump(sock, RTM_GETADDR, AF_UNSPEC, table_add_cb,
			    table) == 0)
			return 0;
		iface_table_free(table);
		if (errno != EAGAIN)
			break;
	}
	return -1;
}

void iface_table_free(struct iface_table *table)
{
	int saved = errno;

	for (size_t i = 0; i < table->nlinks; i++)
		iface_link_free(&table->links[i]);
	free(table->links);
	free(table->addrs);
	memset(table, 0, sizeof(*table));
	errno = saved;
}

const struct iface_link *iface_find_link(const struct iface_table *table,
					 int ifindex)
{
	for (size_t i = 0; i < table->nlinks; i++) {
		if (table->links[i].ifindex == ifindex)
			return &table->links[i];
	}
	return NULL;
}
