// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_netlink: libFuzzer target for the rtnetlink decoder and the printer
 * that trusts it.  The input is read three ways into one iface_table:
 *
 *  - as a stream of netlink messages (what one recv() of a dump holds),
 *    walked with mnl_nlmsg_ok / mnl_nlmsg_next;
 *  - as the payload of one RTM_NEWLINK, behind a header written here;
 *  - as the payload of one RTM_NEWADDR, likewise (and once more with the
 *    family forced to inet6, so that random bytes reach the attributes).
 *
 * Then the table is printed as `ip link` and `ip addr`, text, JSON and
 * pretty JSON, into /dev/null.  Besides ASan and UBSan, the table's own
 * promises are checked (names NUL-terminated and non-empty, lengths within
 * their arrays, families inet/inet6, errors EINVAL/ENOMEM).  The corpus,
 * tests/fuzz/corpus/netlink, holds real messages of a namespace with veth,
 * bridge, tun/tap, vxlan and a peer in another namespace.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "iface.h"
#include "show.h"

/* Inputs larger than this are cut: a dump buffer's worth is plenty. */
#define FUZZ_MAX (64 * 1024)

static FILE *devnull;

static void add(struct iface_table *table, const struct nlmsghdr *nlh)
{
	size_t links = table->nlinks, addrs = table->naddrs;

	errno = 0;
	if (iface_table_add(table, nlh) < 0) {
		if (errno != EINVAL && errno != ENOMEM)
			abort();
		if (table->nlinks != links || table->naddrs != addrs)
			abort(); /* a refused message must not be counted */
	}
}

static void add_stream(struct iface_table *table, const uint8_t *data,
		       size_t size)
{
	/* A copy: the decoder may assume the alignment recv() gives. */
	uint8_t *buf = malloc(size ? size : 1);
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	int len = (int)size;

	if (!buf)
		return;
	memcpy(buf, data, size);
	/*
	 * libmnl 1.0.4's mnl_nlmsg_ok() compares (int)nlmsg_len <= len, so
	 * a length of 2^31 or more passes it and mnl_nlmsg_next() then jumps
	 * out of the buffer.  The kernel never sends one (nl_dump's input);
	 * here the length is also checked unsigned.
	 */
	while (mnl_nlmsg_ok(nlh, len) && nlh->nlmsg_len <= (uint32_t)len) {
		add(table, nlh);
		nlh = mnl_nlmsg_next(nlh, &len);
	}
	free(buf);
}

/* The bytes as the payload of one message of @type. */
static void add_wrapped(struct iface_table *table, uint16_t type,
			int force_family, const uint8_t *data, size_t size)
{
	size_t len = MNL_NLMSG_HDRLEN + size;
	uint8_t *buf = calloc(1, MNL_ALIGN(len));
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

	if (!buf)
		return;
	nlh->nlmsg_len = (uint32_t)len;
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_MULTI;
	memcpy(buf + MNL_NLMSG_HDRLEN, data, size);
	if (force_family && size >= sizeof(struct ifaddrmsg))
		((struct ifaddrmsg *)mnl_nlmsg_get_payload(nlh))->ifa_family =
		    (uint8_t)force_family;
	add(table, nlh);
	free(buf);
}

static void check_table(const struct iface_table *table)
{
	for (size_t i = 0; i < table->nlinks; i++) {
		const struct iface_link *l = &table->links[i];

		if (l->name[0] == '\0' ||
		    strnlen(l->name, IFNAMSIZ) >= IFNAMSIZ)
			abort();
		if (strnlen(l->qdisc, sizeof(l->qdisc)) >= sizeof(l->qdisc))
			abort();
		if (l->address_len > IFACE_HWADDR_MAX ||
		    l->broadcast_len > IFACE_HWADDR_MAX ||
		    l->perm_address_len > IFACE_HWADDR_MAX ||
		    (l->naltnames && !l->altnames))
			abort();
		for (size_t j = 0; j < l->naltnames; j++) {
			if (strnlen(l->altnames[j], IFACE_ALTNAME_LEN) >=
			    IFACE_ALTNAME_LEN)
				abort();
		}
		if (!iface_find_link(table, l->ifindex))
			abort();
	}
	for (size_t i = 0; i < table->naddrs; i++) {
		const struct iface_addr *a = &table->addrs[i];

		if (a->family != AF_INET && a->family != AF_INET6)
			abort();
		if (a->has_label &&
		    strnlen(a->label, sizeof(a->label)) >= sizeof(a->label))
			abort();
	}
}

static void print_all(const struct iface_table *table)
{
	static const struct show_opts opts[] = {
	    {false, false, false}, {true, false, false}, {false, true, false},
	    {true, true, false},   {false, true, true},	 {true, true, true},
	};

	for (size_t i = 0; i < sizeof(opts) / sizeof(*opts); i++) {
		clearerr(devnull);
		if (show_print(devnull, table, &opts[i]) != 0)
			abort(); /* /dev/null takes every write */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iface_table table = {0};

	if (!devnull) {
		devnull = fopen("/dev/null", "w");
		if (!devnull)
			abort();
	}
	if (size > FUZZ_MAX)
		size = FUZZ_MAX;
	add_stream(&table, data, size);
	add_wrapped(&table, RTM_NEWLINK, 0, data, size);
	add_wrapped(&table, RTM_NEWADDR, 0, data, size);
	add_wrapped(&table, RTM_NEWADDR, AF_INET6, data, size);
	check_table(&table);
	print_all(&table);
	iface_table_free(&table);
	if (table.links || table.addrs || table.nlinks || table.naddrs)
		abort();
	return 0;
}
