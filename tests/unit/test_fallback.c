// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_fallback: the kernel's fallback tunnel devices (tunl0, sit0, gre0,
 * ...) in a new namespace, from canned RTM_NEWLINK / RTM_NEWADDR messages
 * shaped as a kernel with the ipip, sit, ip6_tunnel, gre and vti modules
 * sends them (net.core.fb_tunnels_only_for_init_net=0): while down and
 * without addresses they are inert, named in `nonet check`'s text and
 * JSON, and not a reason; a device that only looks like one (the name
 * without the kind, the kind under another name, up, or with an address)
 * is a reason.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <net/if_arp.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "check.h"
#include "iface.h"
#include "loopback.h"
#include "unit.h"

/* IFF_LOWER_UP, OPER_DOWN and ARPHRD_IP6GRE of <linux/if*.h>, which
 * clash with <net/if.h>. */
#define LOWER_UP 0x10000
#define OPER_DOWN 2
#define ARPHRD_IP6GRE 823
#define LO_UP (IFF_UP | IFF_LOOPBACK | IFF_RUNNING | LOWER_UP)

/* A link as the kernel dumps it; @kind NULL: no IFLA_LINKINFO. */
static void add_link(struct iface_table *t, int index, const char *name,
		     const char *kind, unsigned int flags, unsigned short type)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	struct nlattr *info;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = index;
	ifi->ifi_flags = flags;
	ifi->ifi_type = type;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_MTU, index == 1 ? 65536 : 1480);
	mnl_attr_put_u8(nlh, IFLA_OPERSTATE, OPER_DOWN);
	if (kind) {
		info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kind);
		mnl_attr_nest_end(nlh, info);
	}
	if (iface_table_add(t, nlh) < 0)
		abort();
}

static void add_addr(struct iface_table *t, int index, const char *ip,
		     uint8_t prefixlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	uint8_t addr[16];
	int family = strchr(ip, ':') ? AF_INET6 : AF_INET;

	if (inet_pton(family, ip, addr) != 1)
		abort();
	nlh->nlmsg_type = RTM_NEWADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = prefixlen;
	ifa->ifa_scope = index == 1 ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (uint32_t)index;
	mnl_attr_put(nlh, IFA_ADDRESS, family == AF_INET ? 4 : 16, addr);
	if (family == AF_INET)
		mnl_attr_put(nlh, IFA_LOCAL, 4, addr);
	if (iface_table_add(t, nlh) < 0)
		abort();
}

/* Every fallback device, as a kernel with all the tunnel modules has. */
static const struct {
	const char *name, *kind;
	unsigned short type;
} fallbacks[] = {
    {"tunl0", "ipip", ARPHRD_TUNNEL},	   {"gre0", "gre", ARPHRD_IPGRE},
    {"gretap0", "gretap", ARPHRD_ETHER},   {"erspan0", "erspan", ARPHRD_ETHER},
    {"ip_vti0", "vti", ARPHRD_TUNNEL},	   {"sit0", "sit", ARPHRD_SIT},
    {"ip6tnl0", "ip6tnl", ARPHRD_TUNNEL6}, {"ip6gre0", "ip6gre", ARPHRD_IP6GRE},
    {"ip6_vti0", "vti6", ARPHRD_TUNNEL6},
};
#define NFALLBACKS (sizeof(fallbacks) / sizeof(*fallbacks))

/* An isolated session's namespace on such a kernel. */
static void session_netns(struct iface_table *t)
{
	memset(t, 0, sizeof(*t));
	add_link(t, 1, "lo", NULL, LO_UP, ARPHRD_LOOPBACK);
	for (size_t i = 0; i < NFALLBACKS; i++)
		add_link(t, (int)i + 2, fallbacks[i].name, fallbacks[i].kind,
			 IFF_NOARP, fallbacks[i].type);
	add_addr(t, 1, "127.0.0.1", 8);
}

/* `nonet check` on @t: the text and JSON it prints. */
static void check_output(const struct iface_table *t, bool json, char **out,
			 struct check_reasons *r)
{
	size_t size;
	FILE *fp = open_memstream(out, &size);

	memset(r, 0, sizeof(*r));
	check_judge_table(t, r);
	check_print(fp, r, json, 4026532000);
	fclose(fp);
}

static void test_inert(void)
{
	struct iface_table t;
	struct check_reasons r;
	char *text, *json, want[256];
	bool all = true;

	session_netns(&t);
	unit_ok(
	    loopback_judge(&t, LOOPBACK_IPV6_NONE, true, NULL, NULL, NULL) == 0,
	    "lo and the %zu fallback devices, down, no address: isolated "
	    "(strict, no IPv6)",
	    NFALLBACKS);
	check_output(&t, false, &text, &r);
	for (size_t i = 0; i < NFALLBACKS; i++) {
		snprintf(want, sizeof(want),
			 "inert: %s is the %s module's "
			 "fallback tunnel device: down, no address, inert\n",
			 fallbacks[i].name, fallbacks[i].kind);
		all &= strstr(text, want) != NULL;
	}
	unit_ok(r.count == 0 && r.ninert == NFALLBACKS && all &&
		    strncmp(text, "isolated\n", 9) == 0,
		"nonet check: isolated, each device named as inert");
	if (!all)
		unit_diag("got: ", text);
	check_free_reasons(&r);
	check_output(&t, true, &json, &r);
	unit_ok(strstr(json, "\"isolated\":true") &&
		    strstr(json, "\"reasons\":[]") &&
		    strstr(json, "\"inert\":[\"tunl0 is the ipip module's "
				 "fallback tunnel device: down, no address, "
				 "inert\",\"gre0 is"),
		"nonet check -j: isolated, reasons empty, inert lists them");
	if (!strstr(json, "\"inert\":[\"tunl0"))
		unit_diag("got: ", json);
	check_free_reasons(&r);
	free(text);
	free(json);
	iface_table_free(&t);
}

/* One device that only looks like a fallback: one reason, none inert. */
static void not_inert(const char *desc, const char *name, const char *kind,
		      unsigned int flags, const char *addr)
{
	struct iface_table t;
	struct check_reasons r;
	char *text, want[128];

	memset(&t, 0, sizeof(t));
	add_link(&t, 1, "lo", NULL, LO_UP, ARPHRD_LOOPBACK);
	add_link(&t, 2, name, kind, flags, ARPHRD_IPGRE);
	add_addr(&t, 1, "127.0.0.1", 8);
	if (addr)
		add_addr(&t, 2, addr, 24);
	check_output(&t, false, &text, &r);
	snprintf(want, sizeof(want), "interface %s exists besides lo\n", name);
	unit_ok(r.count >= 1 && r.ninert == 0 && strstr(text, want),
		"%s: a reason, not inert", desc);
	if (!strstr(text, want))
		unit_diag("got: ", text);
	check_free_reasons(&r);
	free(text);
	iface_table_free(&t);
}

int main(void)
{
	unit_start("test_fallback", 9);
	test_inert();
	not_inert("gre0 of kind gre, up", "gre0", "gre",
		  IFF_UP | IFF_NOARP | IFF_RUNNING, NULL);
	not_inert("gre0 of kind gre, down, with 10.9.8.7/24", "gre0", "gre",
		  IFF_NOARP, "10.9.8.7");
	not_inert("a veth named gre0", "gre0", "veth", 0, NULL);
	not_inert("a device named gre0 without a kind", "gre0", NULL, 0, NULL);
	not_inert("a gre tunnel named gre1", "gre1", "gre", 0, NULL);
	not_inert("sit0 of kind gre", "sit0", "gre", 0, NULL);
	return unit_done();
}
