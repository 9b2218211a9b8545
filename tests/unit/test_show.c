// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_show: show_print() on canned RTM_NEWLINK / RTM_NEWADDR messages,
 * built with libmnl and decoded by iface_table_add(), against the bytes
 * iproute2 6.1 printed for the very namespace the messages describe.
 *
 * The links and addresses below are a namespace built with `ip` (veth
 * pairs, a bridge, tun/tap, vxlan, a peer in another namespace, hostile
 * names, labels, secondaries, peers, IPv6 flags, lifetimes), copied from
 * its dump; the expected strings are `ip [-j [-p]] {addr|link} show dev X`
 * of the same moment, concatenated.  The one intended difference: ip's
 * JSON carries the raw control byte of "c\x01d", ours \u0001.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "iface.h"
#include "output.h"
#include "show.h"
#include "unit.h"

/* One link as the kernel reports it; -1 in link / netnsid: absent. */
struct lspec {
	int index;
	unsigned int flags;
	unsigned short type;
	const char *name;
	uint32_t mtu;
	const char *qdisc;
	uint32_t master;
	int link;
	int netnsid;
	uint8_t operstate;
	uint32_t group;
	uint32_t txqlen;
	uint8_t proto_down;
	const char *addr; /* "aa:bb:..", or NULL: no IFLA_ADDRESS */
	const char *brd;
	const char *altname;
};

/* One address; NULL: attribute absent.  IPv6 has only IFA_ADDRESS. */
struct aspec {
	int index;
	uint8_t family, prefixlen, scope;
	uint32_t flags;
	const char *local, *address, *brd, *label;
	uint32_t valid, pref;
};

static const struct lspec links[] = {
    {.index = 1,
     .flags = 0x10049,
     .type = 772,
     .name = "lo",
     .mtu = 65536,
     .qdisc = "noqueue",
     .master = 0,
     .link = -1,
     .netnsid = -1,
     .operstate = 0,
     .group = 0,
     .txqlen = 1000,
     .proto_down = 0,
     .addr = "00:00:00:00:00:00",
     .brd = "00:00:00:00:00:00"},
    {.index = 2,
     .flags = 0x1002,
     .type = 1,
     .name = "v1",
     .mtu = 1500,
     .qdisc = "noop",
     .master = 9,
     .link = 3,
     .netnsid = -1,
     .operstate = 2,
     .group = 0,
     .txqlen = 1000,
     .proto_down = 0,
     .addr = "66:7c:52:5c:cc:d4",
     .brd = "ff:ff:ff:ff:ff:ff"},
    {.index = 3,
     .flags = 0x1003,
     .type = 1,
     .name = "v0",
     .mtu = 1500,
     .qdisc = "noqueue",
     .master = 0,
     .link = 2,
     .netnsid = -1,
     .operstate = 3,
     .group = 0,
     .txqlen = 1000,
     .proto_down = 0,
     .addr = "ae:48:12:bd:e2:97",
     .brd = "ff:ff:ff:ff:ff:ff",
     .altname = "longaltname0"},
    {.index = 4,
     .flags = 0x1002,
     .type = 1,
     .name = "\xc3"
	     "\xa9"
	     "\xe2"
	     "\x82"
	     "\xac"
	     "x",
     .mtu = 1500,
     .qdisc = "noop",
     .master = 0,
     .link = 5,
     .netnsid = -1,
     .operstate = 2,
     .group = 0,
     .txqlen = 1000,
     .proto_down = 0,
     .addr = "e6:3c:ef:71:22:9f",
     .brd = "ff:ff:ff:ff:ff:ff"},
    {.index = 5,
     .flags = 0x1002,
     .type = 1,
     .name = "a\"b'c\\d",
     .mtu = 1500,
     .qdisc = "noop",
     .master = 0,
     .link = 4,
     .netnsid = -1,
     .operstate = 2,
     .group = 0,
     .txqlen = 1000,
     .proto_down = 0,
     .addr = "32:88:81:5f:81:fc",
     .brd = "ff:ff:ff:ff:ff:ff"},
    {.index = 6,
     .flags = 0x82,
     .type = 1,
     .name = "c\x01"
	     "d",
     .mtu = 1500,
     .qdisc = "noop",
     .master = 0,
     .link = -1,
     .netnsid = -1,
     .operstate = 2,
     .group = 0,
     .txqlen = 32,
     .proto_down = 0,
     .addr = "c2:b0:5e:9e:86:ba",
     .brd = "ff:ff:ff:ff:ff:ff"},
    {.index = 7,
     .flags = 0x82,
     .type = 1,
     .name = "e\x7f"
	     "z",
     .mtu = 1500,
     .qdisc = "noop",
     .master = 0,
     .link = -1,
     .netnsid = -1,
     .operstate = 2,
     .group = 0,
     .txqlen = 32,
     .proto_down = 0,
     .addr = "32:8d:d2:07:c6:ee",
     .brd = "ff:ff:ff:ff:ff:ff"},
    {.index = 8,
     .flags = 0x82,
     .type = 1,
     .name = "h\xff"
	     "i",
     .mtu = 1500,
     .qdisc = "noop",
     .master = 0,
     .link = -1,
     .netnsid = -1,
     .operstate = 2,
     .group = 0,
     .txqlen = 32,
     .proto_down = 0,
     .addr = "be:ce:50:4f:64:b3",
     .brd = "ff:ff:ff:ff:ff:ff"},
    {.index = 9,
     .flags = 0x1003,
     .type = 1,
     .name = "br0",
     .mtu = 1500,
     .qdisc = "noqueue",
     .master = 0,
     .link = -1,
     .netnsid = -1,
     .operstate = 2,
     .group = 0,
     .txqlen = 1000,
     .proto_down = 0,
     .addr = "66:7c:52:5c:cc:d4",
     .brd = "ff:ff:ff:ff:ff:ff"},
    {.index = 10,
     .flags = 0x1091,
     .type = 65534,
     .name = "tun0",
     .mtu = 1500,
     .qdisc = "pfifo_fast",
     .master = 0,
     .link = -1,
     .netnsid = -1,
     .operstate = 2,
     .group = 0,
     .txqlen = 500,
     .proto_down = 0,
     .addr = NULL,
     .brd = NULL},
    {.index = 11,
     .flags = 0x8382,
     .type = 1,
     .name = "tap0",
     .mtu = 9000,
     .qdisc = "noop",
     .master = 0,
     .link = -1,
     .netnsid = -1,
     .operstate = 2,
     .group = 0,
     .txqlen = 0,
     .proto_down = 0,
     .addr = "a2:e6:7d:7b:c3:cc",
     .brd = "ff:ff:ff:ff:ff:ff"},
    {.index = 12,
     .flags = 0x1002,
     .type = 1,
     .name = "vx0",
     .mtu = 1450,
     .qdisc = "noop",
     .master = 0,
     .link = -1,
     .netnsid = -1,
     .operstate = 2,
     .group = 0,
     .txqlen = 1000,
     .proto_down = 1,
     .addr = "c6:ae:f4:ec:26:13",
     .brd = "ff:ff:ff:ff:ff:ff"},
    {.index = 13,
     .flags = 0x1002,
     .type = 1,
     .name = "p0",
     .mtu = 1500,
     .qdisc = "noop",
     .master = 0,
     .link = 2,
     .netnsid = 0,
     .operstate = 2,
     .group = 5,
     .txqlen = 1000,
     .proto_down = 0,
     .addr = "3a:b6:70:56:ea:5a",
     .brd = "ff:ff:ff:ff:ff:ff"},
    {.index = 14,
     .flags = 0x1003,
     .type = 1,
     .name = "q0",
     .mtu = 1500,
     .qdisc = "noqueue",
     .master = 0,
     .link = 2,
     .netnsid = 1,
     .operstate = 3,
     .group = 0,
     .txqlen = 1000,
     .proto_down = 0,
     .addr = "56:3e:d7:6a:14:11",
     .brd = "ff:ff:ff:ff:ff:ff"},
};

/* In the kernel's dump order: IPv4 of every link, then IPv6. */
static const struct aspec addrs[] = {
    {.index = 1,
     .family = AF_INET,
     .prefixlen = 8,
     .scope = 254,
     .flags = 0x80,
     .local = "127.0.0.1",
     .address = "127.0.0.1",
     .label = "lo",
     .valid = 4294967295,
     .pref = 4294967295},
    {.index = 3,
     .family = AF_INET,
     .prefixlen = 24,
     .scope = 0,
     .flags = 0x80,
     .local = "10.0.0.1",
     .address = "10.0.0.1",
     .label = "v0",
     .valid = 4294967295,
     .pref = 4294967295},
    {.index = 3,
     .family = AF_INET,
     .prefixlen = 24,
     .scope = 0,
     .flags = 0x80,
     .local = "10.1.0.1",
     .address = "10.1.0.1",
     .brd = "10.1.0.255",
     .label = "v0:foo",
     .valid = 4294967295,
     .pref = 4294967295},
    {.index = 3,
     .family = AF_INET,
     .prefixlen = 32,
     .scope = 0,
     .flags = 0x80,
     .local = "10.0.0.5",
     .address = "10.0.0.6",
     .label = "v0",
     .valid = 4294967295,
     .pref = 4294967295},
    {.index = 3,
     .family = AF_INET,
     .prefixlen = 24,
     .scope = 0,
     .flags = 0x81,
     .local = "10.1.0.2",
     .address = "10.1.0.2",
     .label = "v0",
     .valid = 4294967295,
     .pref = 4294967295},
    {.index = 11,
     .family = AF_INET,
     .prefixlen = 24,
     .scope = 253,
     .flags = 0x80,
     .local = "10.7.0.1",
     .address = "10.7.0.1",
     .label = "tap0",
     .valid = 4294967295,
     .pref = 4294967295},
    {.index = 1,
     .family = AF_INET6,
     .prefixlen = 128,
     .scope = 254,
     .flags = 0x80,
     .local = NULL,
     .address = "::1",
     .valid = 4294967295,
     .pref = 4294967295},
    {.index = 3,
     .family = AF_INET6,
     .prefixlen = 64,
     .scope = 0,
     .flags = 0x40,
     .local = NULL,
     .address = "2001:db8:1::1",
     .valid = 2860,
     .pref = 1860},
    {.index = 3,
     .family = AF_INET6,
     .prefixlen = 64,
     .scope = 0,
     .flags = 0x282,
     .local = NULL,
     .address = "2001:db8::1",
     .valid = 4294967295,
     .pref = 4294967295},
    {.index = 11,
     .family = AF_INET6,
     .prefixlen = 64,
     .scope = 0,
     .flags = 0x22,
     .local = NULL,
     .address = "2001:db8:2::1",
     .valid = 98,
     .pref = 0},
    {.index = 11,
     .family = AF_INET6,
     .prefixlen = 64,
     .scope = 253,
     .flags = 0x190,
     .local = NULL,
     .address = "fe80::1",
     .valid = 4294967295,
     .pref = 4294967295},
};

static const char lo_addr_txt[] =
    "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN"
    " group default qlen 1000\n"
    "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
    "    inet 127.0.0.1/8 scope host lo\n"
    "       valid_lft forever preferred_lft forever\n"
    "    inet6 ::1/128 scope host \n"
    "       valid_lft forever preferred_lft forever\n";

static const char lo_addr_json[] =
    "[{\"ifindex\":1,\"ifname\":\"lo\",\"flags\":[\"LOOPBACK\",\"UP\",\""
    "LOWER_UP\"],\"mtu\":65536,\"qdisc\":\"noqueue\",\"operstate\":\"UNK"
    "NOWN\",\"group\":\"default\",\"txqlen\":1000,\"link_type\":\"loopba"
    "ck\",\"address\":\"00:00:00:00:00:00\",\"broadcast\":\"00:00:00:00:"
    "00:00\",\"addr_info\":[{\"family\":\"inet\",\"local\":\"127.0.0.1\""
    ",\"prefixlen\":8,\"scope\":\"host\",\"label\":\"lo\",\"valid_life_t"
    "ime\":4294967295,\"preferred_life_time\":4294967295},{\"family\":\""
    "inet6\",\"local\":\"::1\",\"prefixlen\":128,\"scope\":\"host\",\"va"
    "lid_life_time\":4294967295,\"preferred_life_time\":4294967295}]}]\n";

static const char lo_addr_pjson[] =
    "[ {\n"
    "        \"ifindex\": 1,\n"
    "        \"ifname\": \"lo\",\n"
    "        \"flags\": [ \"LOOPBACK\",\"UP\",\"LOWER_UP\" ],\n"
    "        \"mtu\": 65536,\n"
    "        \"qdisc\": \"noqueue\",\n"
    "        \"operstate\": \"UNKNOWN\",\n"
    "        \"group\": \"default\",\n"
    "        \"txqlen\": 1000,\n"
    "        \"link_type\": \"loopback\",\n"
    "        \"address\": \"00:00:00:00:00:00\",\n"
    "        \"broadcast\": \"00:00:00:00:00:00\",\n"
    "        \"addr_info\": [ {\n"
    "                \"family\": \"inet\",\n"
    "                \"local\": \"127.0.0.1\",\n"
    "                \"prefixlen\": 8,\n"
    "                \"scope\": \"host\",\n"
    "                \"label\": \"lo\",\n"
    "                \"valid_life_time\": 4294967295,\n"
    "                \"preferred_life_time\": 4294967295\n"
    "            },{\n"
    "                \"family\": \"inet6\",\n"
    "                \"local\": \"::1\",\n"
    "                \"prefixlen\": 128,\n"
    "                \"scope\": \"host\",\n"
    "                \"valid_life_time\": 4294967295,\n"
    "                \"preferred_life_time\": 4294967295\n"
    "            } ]\n"
    "    } ]\n";

static const char lo_link_txt[] =
    "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN"
    " mode DEFAULT group default qlen 1000\n"
    "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n";

static const char lo_link_json[] =
    "[{\"ifindex\":1,\"ifname\":\"lo\",\"flags\":[\"LOOPBACK\",\"UP\",\""
    "LOWER_UP\"],\"mtu\":65536,\"qdisc\":\"noqueue\",\"operstate\":\"UNK"
    "NOWN\",\"linkmode\":\"DEFAULT\",\"group\":\"default\",\"txqlen\":10"
    "00,\"link_type\":\"loopback\",\"address\":\"00:00:00:00:00:00\",\"b"
    "roadcast\":\"00:00:00:00:00:00\"}]\n";

static const char lo_link_pjson[] =
    "[ {\n"
    "        \"ifindex\": 1,\n"
    "        \"ifname\": \"lo\",\n"
    "        \"flags\": [ \"LOOPBACK\",\"UP\",\"LOWER_UP\" ],\n"
    "        \"mtu\": 65536,\n"
    "        \"qdisc\": \"noqueue\",\n"
    "        \"operstate\": \"UNKNOWN\",\n"
    "        \"linkmode\": \"DEFAULT\",\n"
    "        \"group\": \"default\",\n"
    "        \"txqlen\": 1000,\n"
    "        \"link_type\": \"loopback\",\n"
    "        \"address\": \"00:00:00:00:00:00\",\n"
    "        \"broadcast\": \"00:00:00:00:00:00\"\n"
    "    } ]\n";

static const char veth_addr_txt[] =
    "2: v1@v0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop master br0 stat"
    "e DOWN group default qlen 1000\n"
    "    link/ether 66:7c:52:5c:cc:d4 brd ff:ff:ff:ff:ff:ff\n"
    "3: v0@v1: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc"
    " noqueue state LOWERLAYERDOWN group default qlen 1000\n"
    "    link/ether ae:48:12:bd:e2:97 brd ff:ff:ff:ff:ff:ff\n"
    "    altname longaltname0\n"
    "    inet 10.0.0.1/24 scope global v0\n"
    "       valid_lft forever preferred_lft forever\n"
    "    inet 10.1.0.1/24 brd 10.1.0.255 scope global v0:foo\n"
    "       valid_lft forever preferred_lft forever\n"
    "    inet 10.0.0.5 peer 10.0.0.6/32 scope global v0\n"
    "       valid_lft forever preferred_lft forever\n"
    "    inet 10.1.0.2/24 scope global secondary v0\n"
    "       valid_lft forever preferred_lft forever\n"
    "    inet6 2001:db8:1::1/64 scope global tentative dynamic \n"
    "       valid_lft 2860sec preferred_lft 1860sec\n"
    "    inet6 2001:db8::1/64 scope global nodad noprefixroute \n"
    "       valid_lft forever preferred_lft forever\n"
    "9: br0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue "
    "state DOWN group default qlen 1000\n"
    "    link/ether 66:7c:52:5c:cc:d4 brd ff:ff:ff:ff:ff:ff\n";

static const char veth_addr_json[] =
    "[{\"ifindex\":2,\"link\":\"v0\",\"ifname\":\"v1\",\"flags\":[\"BROA"
    "DCAST\",\"MULTICAST\"],\"mtu\":1500,\"qdisc\":\"noop\",\"master\":\""
    "br0\",\"operstate\":\"DOWN\",\"group\":\"default\",\"txqlen\":1000,"
    "\"link_type\":\"ether\",\"address\":\"66:7c:52:5c:cc:d4\",\"broadca"
    "st\":\"ff:ff:ff:ff:ff:ff\",\"addr_info\":[]},{\"ifindex\":3,\"link\""
    ":\"v1\",\"ifname\":\"v0\",\"flags\":[\"NO-CARRIER\",\"BROADCAST\",\""
    "MULTICAST\",\"UP\",\"M-DOWN\"],\"mtu\":1500,\"qdisc\":\"noqueue\",\""
    "operstate\":\"LOWERLAYERDOWN\",\"group\":\"default\",\"txqlen\":100"
    "0,\"link_type\":\"ether\",\"address\":\"ae:48:12:bd:e2:97\",\"broad"
    "cast\":\"ff:ff:ff:ff:ff:ff\",\"altnames\":[\"longaltname0\"],\"addr"
    "_info\":[{\"family\":\"inet\",\"local\":\"10.0.0.1\",\"prefixlen\":"
    "24,\"scope\":\"global\",\"label\":\"v0\",\"valid_life_time\":429496"
    "7295,\"preferred_life_time\":4294967295},{\"family\":\"inet\",\"loc"
    "al\":\"10.1.0.1\",\"prefixlen\":24,\"broadcast\":\"10.1.0.255\",\"s"
    "cope\":\"global\",\"label\":\"v0:foo\",\"valid_life_time\":42949672"
    "95,\"preferred_life_time\":4294967295},{\"family\":\"inet\",\"local"
    "\":\"10.0.0.5\",\"address\":\"10.0.0.6\",\"prefixlen\":32,\"scope\""
    ":\"global\",\"label\":\"v0\",\"valid_life_time\":4294967295,\"prefe"
    "rred_life_time\":4294967295},{\"family\":\"inet\",\"local\":\"10.1."
    "0.2\",\"prefixlen\":24,\"scope\":\"global\",\"secondary\":true,\"la"
    "bel\":\"v0\",\"valid_life_time\":4294967295,\"preferred_life_time\""
    ":4294967295},{\"family\":\"inet6\",\"local\":\"2001:db8:1::1\",\"pr"
    "efixlen\":64,\"scope\":\"global\",\"tentative\":true,\"dynamic\":tr"
    "ue,\"valid_life_time\":2860,\"preferred_life_time\":1860},{\"family"
    "\":\"inet6\",\"local\":\"2001:db8::1\",\"prefixlen\":64,\"scope\":\""
    "global\",\"nodad\":true,\"noprefixroute\":true,\"valid_life_time\":"
    "4294967295,\"preferred_life_time\":4294967295}]},{\"ifindex\":9,\"i"
    "fname\":\"br0\",\"flags\":[\"NO-CARRIER\",\"BROADCAST\",\"MULTICAST"
    "\",\"UP\"],\"mtu\":1500,\"qdisc\":\"noqueue\",\"operstate\":\"DOWN\""
    ",\"group\":\"default\",\"txqlen\":1000,\"link_type\":\"ether\",\"ad"
    "dress\":\"66:7c:52:5c:cc:d4\",\"broadcast\":\"ff:ff:ff:ff:ff:ff\",\""
    "addr_info\":[]}]\n";

static const char veth_addr_pjson[] =
    "[ {\n"
    "        \"ifindex\": 2,\n"
    "        \"link\": \"v0\",\n"
    "        \"ifname\": \"v1\",\n"
    "        \"flags\": [ \"BROADCAST\",\"MULTICAST\" ],\n"
    "        \"mtu\": 1500,\n"
    "        \"qdisc\": \"noop\",\n"
    "        \"master\": \"br0\",\n"
    "        \"operstate\": \"DOWN\",\n"
    "        \"group\": \"default\",\n"
    "        \"txqlen\": 1000,\n"
    "        \"link_type\": \"ether\",\n"
    "        \"address\": \"66:7c:52:5c:cc:d4\",\n"
    "        \"broadcast\": \"ff:ff:ff:ff:ff:ff\",\n"
    "        \"addr_info\": [ ]\n"
    "    },{\n"
    "        \"ifindex\": 3,\n"
    "        \"link\": \"v1\",\n"
    "        \"ifname\": \"v0\",\n"
    "        \"flags\": [ \"NO-CARRIER\",\"BROADCAST\",\"MULTICAST\",\"U"
    "P\",\"M-DOWN\" ],\n"
    "        \"mtu\": 1500,\n"
    "        \"qdisc\": \"noqueue\",\n"
    "        \"operstate\": \"LOWERLAYERDOWN\",\n"
    "        \"group\": \"default\",\n"
    "        \"txqlen\": 1000,\n"
    "        \"link_type\": \"ether\",\n"
    "        \"address\": \"ae:48:12:bd:e2:97\",\n"
    "        \"broadcast\": \"ff:ff:ff:ff:ff:ff\",\n"
    "        \"altnames\": [ \"longaltname0\" ],\n"
    "        \"addr_info\": [ {\n"
    "                \"family\": \"inet\",\n"
    "                \"local\": \"10.0.0.1\",\n"
    "                \"prefixlen\": 24,\n"
    "                \"scope\": \"global\",\n"
    "                \"label\": \"v0\",\n"
    "                \"valid_life_time\": 4294967295,\n"
    "                \"preferred_life_time\": 4294967295\n"
    "            },{\n"
    "                \"family\": \"inet\",\n"
    "                \"local\": \"10.1.0.1\",\n"
    "                \"prefixlen\": 24,\n"
    "                \"broadcast\": \"10.1.0.255\",\n"
    "                \"scope\": \"global\",\n"
    "                \"label\": \"v0:foo\",\n"
    "                \"valid_life_time\": 4294967295,\n"
    "                \"preferred_life_time\": 4294967295\n"
    "            },{\n"
    "                \"family\": \"inet\",\n"
    "                \"local\": \"10.0.0.5\",\n"
    "                \"address\": \"10.0.0.6\",\n"
    "                \"prefixlen\": 32,\n"
    "                \"scope\": \"global\",\n"
    "                \"label\": \"v0\",\n"
    "                \"valid_life_time\": 4294967295,\n"
    "                \"preferred_life_time\": 4294967295\n"
    "            },{\n"
    "                \"family\": \"inet\",\n"
    "                \"local\": \"10.1.0.2\",\n"
    "                \"prefixlen\": 24,\n"
    "                \"scope\": \"global\",\n"
    "                \"secondary\": true,\n"
    "                \"label\": \"v0\",\n"
    "                \"valid_life_time\": 4294967295,\n"
    "                \"preferred_life_time\": 4294967295\n"
    "            },{\n"
    "                \"family\": \"inet6\",\n"
    "                \"local\": \"2001:db8:1::1\",\n"
    "                \"prefixlen\": 64,\n"
    "                \"scope\": \"global\",\n"
    "                \"tentative\": true,\n"
    "                \"dynamic\": true,\n"
    "                \"valid_life_time\": 2860,\n"
    "                \"preferred_life_time\": 1860\n"
    "            },{\n"
    "                \"family\": \"inet6\",\n"
    "                \"local\": \"2001:db8::1\",\n"
    "                \"prefixlen\": 64,\n"
    "                \"scope\": \"global\",\n"
    "                \"nodad\": true,\n"
    "                \"noprefixroute\": true,\n"
    "                \"valid_life_time\": 4294967295,\n"
    "                \"preferred_life_time\": 4294967295\n"
    "            } ]\n"
    "    },{\n"
    "        \"ifindex\": 9,\n"
    "        \"ifname\": \"br0\",\n"
    "        \"flags\": [ \"NO-CARRIER\",\"BROADCAST\",\"MULTICAST\",\"U"
    "P\" ],\n"
    "        \"mtu\": 1500,\n"
    "        \"qdisc\": \"noqueue\",\n"
    "        \"operstate\": \"DOWN\",\n"
    "        \"group\": \"default\",\n"
    "        \"txqlen\": 1000,\n"
    "        \"link_type\": \"ether\",\n"
    "        \"address\": \"66:7c:52:5c:cc:d4\",\n"
    "        \"broadcast\": \"ff:ff:ff:ff:ff:ff\",\n"
    "        \"addr_info\": [ ]\n"
    "    } ]\n";

static const char veth_link_txt[] =
    "2: v1@v0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop master br0 stat"
    "e DOWN mode DEFAULT group default qlen 1000\n"
    "    link/ether 66:7c:52:5c:cc:d4 brd ff:ff:ff:ff:ff:ff\n"
    "3: v0@v1: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc"
    " noqueue state LOWERLAYERDOWN mode DEFAULT group default qlen 1000\n"
    "    link/ether ae:48:12:bd:e2:97 brd ff:ff:ff:ff:ff:ff\n"
    "    altname longaltname0\n"
    "9: br0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue "
    "state DOWN mode DEFAULT group default qlen 1000\n"
    "    link/ether 66:7c:52:5c:cc:d4 brd ff:ff:ff:ff:ff:ff\n";

static const char veth_link_json[] =
    "[{\"ifindex\":2,\"link\":\"v0\",\"ifname\":\"v1\",\"flags\":[\"BROA"
    "DCAST\",\"MULTICAST\"],\"mtu\":1500,\"qdisc\":\"noop\",\"master\":\""
    "br0\",\"operstate\":\"DOWN\",\"linkmode\":\"DEFAULT\",\"group\":\"d"
    "efault\",\"txqlen\":1000,\"link_type\":\"ether\",\"address\":\"66:7"
    "c:52:5c:cc:d4\",\"broadcast\":\"ff:ff:ff:ff:ff:ff\"},{\"ifindex\":3"
    ",\"link\":\"v1\",\"ifname\":\"v0\",\"flags\":[\"NO-CARRIER\",\"BROA"
    "DCAST\",\"MULTICAST\",\"UP\",\"M-DOWN\"],\"mtu\":1500,\"qdisc\":\"n"
    "oqueue\",\"operstate\":\"LOWERLAYERDOWN\",\"linkmode\":\"DEFAULT\","
    "\"group\":\"default\",\"txqlen\":1000,\"link_type\":\"ether\",\"add"
    "ress\":\"ae:48:12:bd:e2:97\",\"broadcast\":\"ff:ff:ff:ff:ff:ff\",\""
    "altnames\":[\"longaltname0\"]},{\"ifindex\":9,\"ifname\":\"br0\",\""
    "flags\":[\"NO-CARRIER\",\"BROADCAST\",\"MULTICAST\",\"UP\"],\"mtu\""
    ":1500,\"qdisc\":\"noqueue\",\"operstate\":\"DOWN\",\"linkmode\":\"D"
    "EFAULT\",\"group\":\"default\",\"txqlen\":1000,\"link_type\":\"ethe"
    "r\",\"address\":\"66:7c:52:5c:cc:d4\",\"broadcast\":\"ff:ff:ff:ff:f"
    "f:ff\"}]\n";

static const char names_addr_txt[] =
    "4: \xc3\xa9\xe2\x82\xacx@a\"b'c\\d: <BROADCAST,MULTICAST,M-DOWN> mt"
    "u 1500 qdisc noop state DOWN group default qlen 1000\n"
    "    link/ether e6:3c:ef:71:22:9f brd ff:ff:ff:ff:ff:ff\n"
    "5: a\"b'c\\d@\xc3\xa9\xe2\x82\xacx: <BROADCAST,MULTICAST,M-DOWN> mt"
    "u 1500 qdisc noop state DOWN group default qlen 1000\n"
    "    link/ether 32:88:81:5f:81:fc brd ff:ff:ff:ff:ff:ff\n"
    "6: c\x01"
    "d: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group"
    " default qlen 32\n"
    "    link/ether c2:b0:5e:9e:86:ba brd ff:ff:ff:ff:ff:ff\n"
    "7: e\x7fz: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group d"
    "efault qlen 32\n"
    "    link/ether 32:8d:d2:07:c6:ee brd ff:ff:ff:ff:ff:ff\n"
    "8: h\xffi: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group d"
    "efault qlen 32\n"
    "    link/ether be:ce:50:4f:64:b3 brd ff:ff:ff:ff:ff:ff\n";

static const char names_addr_json[] =
    "[{\"ifindex\":4,\"link\":\"a\\\"b'c\\\\d\",\"ifname\":\"\xc3\xa9\xe2"
    "\x82\xacx\",\"flags\":[\"BROADCAST\",\"MULTICAST\",\"M-DOWN\"],\"mt"
    "u\":1500,\"qdisc\":\"noop\",\"operstate\":\"DOWN\",\"group\":\"defa"
    "ult\",\"txqlen\":1000,\"link_type\":\"ether\",\"address\":\"e6:3c:e"
    "f:71:22:9f\",\"broadcast\":\"ff:ff:ff:ff:ff:ff\",\"addr_info\":[]},"
    "{\"ifindex\":5,\"link\":\"\xc3\xa9\xe2\x82\xacx\",\"ifname\":\"a\\\""
    "b'c\\\\d\",\"flags\":[\"BROADCAST\",\"MULTICAST\",\"M-DOWN\"],\"mtu"
    "\":1500,\"qdisc\":\"noop\",\"operstate\":\"DOWN\",\"group\":\"defau"
    "lt\",\"txqlen\":1000,\"link_type\":\"ether\",\"address\":\"32:88:81"
    ":5f:81:fc\",\"broadcast\":\"ff:ff:ff:ff:ff:ff\",\"addr_info\":[]},{"
    "\"ifindex\":6,\"ifname\":\"c\\u0001d\",\"flags\":[\"BROADCAST\",\"N"
    "OARP\"],\"mtu\":1500,\"qdisc\":\"noop\",\"operstate\":\"DOWN\",\"gr"
    "oup\":\"default\",\"txqlen\":32,\"link_type\":\"ether\",\"address\""
    ":\"c2:b0:5e:9e:86:ba\",\"broadcast\":\"ff:ff:ff:ff:ff:ff\",\"addr_i"
    "nfo\":[]},{\"ifindex\":7,\"ifname\":\"e\x7fz\",\"flags\":[\"BROADCA"
    "ST\",\"NOARP\"],\"mtu\":1500,\"qdisc\":\"noop\",\"operstate\":\"DOW"
    "N\",\"group\":\"default\",\"txqlen\":32,\"link_type\":\"ether\",\"a"
    "ddress\":\"32:8d:d2:07:c6:ee\",\"broadcast\":\"ff:ff:ff:ff:ff:ff\","
    "\"addr_info\":[]},{\"ifindex\":8,\"ifname\":\"h\xffi\",\"flags\":[\""
    "BROADCAST\",\"NOARP\"],\"mtu\":1500,\"qdisc\":\"noop\",\"operstate\""
    ":\"DOWN\",\"group\":\"default\",\"txqlen\":32,\"link_type\":\"ether"
    "\",\"address\":\"be:ce:50:4f:64:b3\",\"broadcast\":\"ff:ff:ff:ff:ff"
    ":ff\",\"addr_info\":[]}]\n";

static const char names_link_txt[] =
    "4: \xc3\xa9\xe2\x82\xacx@a\"b'c\\d: <BROADCAST,MULTICAST,M-DOWN> mt"
    "u 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n"
    "    link/ether e6:3c:ef:71:22:9f brd ff:ff:ff:ff:ff:ff\n"
    "5: a\"b'c\\d@\xc3\xa9\xe2\x82\xacx: <BROADCAST,MULTICAST,M-DOWN> mt"
    "u 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n"
    "    link/ether 32:88:81:5f:81:fc brd ff:ff:ff:ff:ff:ff\n"
    "6: c\x01"
    "d: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN mode "
    "DEFAULT group default qlen 32\n"
    "    link/ether c2:b0:5e:9e:86:ba brd ff:ff:ff:ff:ff:ff\n"
    "7: e\x7fz: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN mode DE"
    "FAULT group default qlen 32\n"
    "    link/ether 32:8d:d2:07:c6:ee brd ff:ff:ff:ff:ff:ff\n"
    "8: h\xffi: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN mode DE"
    "FAULT group default qlen 32\n"
    "    link/ether be:ce:50:4f:64:b3 brd ff:ff:ff:ff:ff:ff\n";

static const char names_link_json[] =
    "[{\"ifindex\":4,\"link\":\"a\\\"b'c\\\\d\",\"ifname\":\"\xc3\xa9\xe2"
    "\x82\xacx\",\"flags\":[\"BROADCAST\",\"MULTICAST\",\"M-DOWN\"],\"mt"
    "u\":1500,\"qdisc\":\"noop\",\"operstate\":\"DOWN\",\"linkmode\":\"D"
    "EFAULT\",\"group\":\"default\",\"txqlen\":1000,\"link_type\":\"ethe"
    "r\",\"address\":\"e6:3c:ef:71:22:9f\",\"broadcast\":\"ff:ff:ff:ff:f"
    "f:ff\"},{\"ifindex\":5,\"link\":\"\xc3\xa9\xe2\x82\xacx\",\"ifname\""
    ":\"a\\\"b'c\\\\d\",\"flags\":[\"BROADCAST\",\"MULTICAST\",\"M-DOWN\""
    "],\"mtu\":1500,\"qdisc\":\"noop\",\"operstate\":\"DOWN\",\"linkmode"
    "\":\"DEFAULT\",\"group\":\"default\",\"txqlen\":1000,\"link_type\":"
    "\"ether\",\"address\":\"32:88:81:5f:81:fc\",\"broadcast\":\"ff:ff:f"
    "f:ff:ff:ff\"},{\"ifindex\":6,\"ifname\":\"c\\u0001d\",\"flags\":[\""
    "BROADCAST\",\"NOARP\"],\"mtu\":1500,\"qdisc\":\"noop\",\"operstate\""
    ":\"DOWN\",\"linkmode\":\"DEFAULT\",\"group\":\"default\",\"txqlen\""
    ":32,\"link_type\":\"ether\",\"address\":\"c2:b0:5e:9e:86:ba\",\"bro"
    "adcast\":\"ff:ff:ff:ff:ff:ff\"},{\"ifindex\":7,\"ifname\":\"e\x7fz\""
    ",\"flags\":[\"BROADCAST\",\"NOARP\"],\"mtu\":1500,\"qdisc\":\"noop\""
    ",\"operstate\":\"DOWN\",\"linkmode\":\"DEFAULT\",\"group\":\"defaul"
    "t\",\"txqlen\":32,\"link_type\":\"ether\",\"address\":\"32:8d:d2:07"
    ":c6:ee\",\"broadcast\":\"ff:ff:ff:ff:ff:ff\"},{\"ifindex\":8,\"ifna"
    "me\":\"h\xffi\",\"flags\":[\"BROADCAST\",\"NOARP\"],\"mtu\":1500,\""
    "qdisc\":\"noop\",\"operstate\":\"DOWN\",\"linkmode\":\"DEFAULT\",\""
    "group\":\"default\",\"txqlen\":32,\"link_type\":\"ether\",\"address"
    "\":\"be:ce:50:4f:64:b3\",\"broadcast\":\"ff:ff:ff:ff:ff:ff\"}]\n";

static const char misc_addr_txt[] =
    "10: tun0: <NO-CARRIER,POINTOPOINT,MULTICAST,NOARP,UP> mtu 1500 qdis"
    "c pfifo_fast state DOWN group default qlen 500\n"
    "    link/none \n"
    "11: tap0: <BROADCAST,NOARP,ALLMULTI,PROMISC,DYNAMIC> mtu 9000 qdisc"
    " noop state DOWN group default \n"
    "    link/ether a2:e6:7d:7b:c3:cc brd ff:ff:ff:ff:ff:ff\n"
    "    inet 10.7.0.1/24 scope link tap0\n"
    "       valid_lft forever preferred_lft forever\n"
    "    inet6 2001:db8:2::1/64 scope global nodad deprecated dynamic \n"
    "       valid_lft 98sec preferred_lft 0sec\n"
    "    inet6 fe80::1/64 scope link home mngtmpaddr \n"
    "       valid_lft forever preferred_lft forever\n"
    "12: vx0: <BROADCAST,MULTICAST> mtu 1450 qdisc noop state DOWN group"
    " default qlen 1000\n"
    "    link/ether c6:ae:f4:ec:26:13 brd ff:ff:ff:ff:ff:ff protodown on"
    " \n"
    "14: q0@if2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqu"
    "eue state LOWERLAYERDOWN group default qlen 1000\n"
    "    link/ether 56:3e:d7:6a:14:11 brd ff:ff:ff:ff:ff:ff link-netnsid"
    " 1\n";

static const char misc_addr_json[] =
    "[{\"ifindex\":10,\"ifname\":\"tun0\",\"flags\":[\"NO-CARRIER\",\"PO"
    "INTOPOINT\",\"MULTICAST\",\"NOARP\",\"UP\"],\"mtu\":1500,\"qdisc\":"
    "\"pfifo_fast\",\"operstate\":\"DOWN\",\"group\":\"default\",\"txqle"
    "n\":500,\"link_type\":\"none\",\"addr_info\":[]},{\"ifindex\":11,\""
    "ifname\":\"tap0\",\"flags\":[\"BROADCAST\",\"NOARP\",\"ALLMULTI\",\""
    "PROMISC\",\"DYNAMIC\"],\"mtu\":9000,\"qdisc\":\"noop\",\"operstate\""
    ":\"DOWN\",\"group\":\"default\",\"link_type\":\"ether\",\"address\""
    ":\"a2:e6:7d:7b:c3:cc\",\"broadcast\":\"ff:ff:ff:ff:ff:ff\",\"addr_i"
    "nfo\":[{\"family\":\"inet\",\"local\":\"10.7.0.1\",\"prefixlen\":24"
    ",\"scope\":\"link\",\"label\":\"tap0\",\"valid_life_time\":42949672"
    "95,\"preferred_life_time\":4294967295},{\"family\":\"inet6\",\"loca"
    "l\":\"2001:db8:2::1\",\"prefixlen\":64,\"scope\":\"global\",\"nodad"
    "\":true,\"deprecated\":true,\"dynamic\":true,\"valid_life_time\":98"
    ",\"preferred_life_time\":0},{\"family\":\"inet6\",\"local\":\"fe80:"
    ":1\",\"prefixlen\":64,\"scope\":\"link\",\"home\":true,\"mngtmpaddr"
    "\":true,\"valid_life_time\":4294967295,\"preferred_life_time\":4294"
    "967295}]},{\"ifindex\":12,\"ifname\":\"vx0\",\"flags\":[\"BROADCAST"
    "\",\"MULTICAST\"],\"mtu\":1450,\"qdisc\":\"noop\",\"operstate\":\"D"
    "OWN\",\"group\":\"default\",\"txqlen\":1000,\"link_type\":\"ether\""
    ",\"address\":\"c6:ae:f4:ec:26:13\",\"broadcast\":\"ff:ff:ff:ff:ff:f"
    "f\",\"proto_down\":true,\"addr_info\":[]},{\"ifindex\":14,\"link_in"
    "dex\":2,\"ifname\":\"q0\",\"flags\":[\"NO-CARRIER\",\"BROADCAST\",\""
    "MULTICAST\",\"UP\"],\"mtu\":1500,\"qdisc\":\"noqueue\",\"operstate\""
    ":\"LOWERLAYERDOWN\",\"group\":\"default\",\"txqlen\":1000,\"link_ty"
    "pe\":\"ether\",\"address\":\"56:3e:d7:6a:14:11\",\"broadcast\":\"ff"
    ":ff:ff:ff:ff:ff\",\"link_netnsid\":1,\"addr_info\":[]}]\n";

static const char misc_link_txt[] =
    "10: tun0: <NO-CARRIER,POINTOPOINT,MULTICAST,NOARP,UP> mtu 1500 qdis"
    "c pfifo_fast state DOWN mode DEFAULT group default qlen 500\n"
    "    link/none \n"
    "11: tap0: <BROADCAST,NOARP,ALLMULTI,PROMISC,DYNAMIC> mtu 9000 qdisc"
    " noop state DOWN mode DEFAULT group default \n"
    "    link/ether a2:e6:7d:7b:c3:cc brd ff:ff:ff:ff:ff:ff\n"
    "12: vx0: <BROADCAST,MULTICAST> mtu 1450 qdisc noop state DOWN mode "
    "DEFAULT group default qlen 1000\n"
    "    link/ether c6:ae:f4:ec:26:13 brd ff:ff:ff:ff:ff:ff protodown on"
    " \n"
    "14: q0@if2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqu"
    "eue state LOWERLAYERDOWN mode DEFAULT group default qlen 1000\n"
    "    link/ether 56:3e:d7:6a:14:11 brd ff:ff:ff:ff:ff:ff link-netnsid"
    " 1\n";

static const char misc_link_json[] =
    "[{\"ifindex\":10,\"ifname\":\"tun0\",\"flags\":[\"NO-CARRIER\",\"PO"
    "INTOPOINT\",\"MULTICAST\",\"NOARP\",\"UP\"],\"mtu\":1500,\"qdisc\":"
    "\"pfifo_fast\",\"operstate\":\"DOWN\",\"linkmode\":\"DEFAULT\",\"gr"
    "oup\":\"default\",\"txqlen\":500,\"link_type\":\"none\"},{\"ifindex"
    "\":11,\"ifname\":\"tap0\",\"flags\":[\"BROADCAST\",\"NOARP\",\"ALLM"
    "ULTI\",\"PROMISC\",\"DYNAMIC\"],\"mtu\":9000,\"qdisc\":\"noop\",\"o"
    "perstate\":\"DOWN\",\"linkmode\":\"DEFAULT\",\"group\":\"default\","
    "\"link_type\":\"ether\",\"address\":\"a2:e6:7d:7b:c3:cc\",\"broadca"
    "st\":\"ff:ff:ff:ff:ff:ff\"},{\"ifindex\":1"
    "2,\"ifname\":\"vx0\",\"flags\":[\"BROADCAST\",\"MULTICAST\"],\"mtu\""
    ":1450,\"qdisc\":\"noop\",\"operstate\":\"DOWN\",\"linkmode\":\"DEFA"
    "ULT\",\"group\":\"default\",\"txqlen\":1000,\"link_type\":\"ether\""
    ",\"address\":\"c6:ae:f4:ec:26:13\",\"broadcast\":\"ff:ff:ff:ff:ff:f"
    "f\",\"proto_down\":true},{\"ifindex\":14,\"link_index\":2,\"ifname\""
    ":\"q0\",\"flags\":[\"NO-CARRIER\",\"BROADCAST\",\"MULTICAST\",\"UP\""
    "],\"mtu\":1500,\"qdisc\":\"noqueue\",\"operstate\":\"LOWERLAYERDOWN"
    "\",\"linkmode\":\"DEFAULT\",\"group\":\"default\",\"txqlen\":1000,\""
    "link_type\":\"ether\",\"address\":\"56:3e:d7:6a:14:11\",\"broadcast"
    "\":\"ff:ff:ff:ff:ff:ff\",\"link_netnsid\":1}]\n";

/* A hardware address attribute from "aa:bb:cc" text. */
static void put_hwaddr(struct nlmsghdr *nlh, uint16_t type, const char *text)
{
	uint8_t buf[IFACE_HWADDR_MAX];
	size_t n = 0;

	for (const char *p = text; n < sizeof(buf); p += 3) {
		buf[n++] = (uint8_t)strtoul(p, NULL, 16);
		if (p[2] != ':')
			break;
	}
	mnl_attr_put(nlh, type, n, buf);
}

static struct nlmsghdr *build_link(char *buf, const struct lspec *l)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = l->index;
	ifi->ifi_flags = l->flags;
	ifi->ifi_type = l->type;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, l->name);
	mnl_attr_put_u32(nlh, IFLA_TXQLEN, l->txqlen);
	mnl_attr_put_u8(nlh, IFLA_OPERSTATE, l->operstate);
	mnl_attr_put_u8(nlh, IFLA_LINKMODE, 0);
	mnl_attr_put_u32(nlh, IFLA_MTU, l->mtu);
	mnl_attr_put_u32(nlh, IFLA_GROUP, l->group);
	if (l->link >= 0)
		mnl_attr_put_u32(nlh, IFLA_LINK, (uint32_t)l->link);
	if (l->master)
		mnl_attr_put_u32(nlh, IFLA_MASTER, l->master);
	mnl_attr_put_strz(nlh, IFLA_QDISC, l->qdisc);
	mnl_attr_put_u8(nlh, IFLA_PROTO_DOWN, l->proto_down);
	if (l->addr) {
		put_hwaddr(nlh, IFLA_ADDRESS, l->addr);
		put_hwaddr(nlh, IFLA_BROADCAST, l->brd);
	}
	if (l->netnsid >= 0)
		mnl_attr_put_u32(nlh, IFLA_LINK_NETNSID, (uint32_t)l->netnsid);
	if (l->altname) {
		struct nlattr *nest = mnl_attr_nest_start(nlh, IFLA_PROP_LIST);

		mnl_attr_put_strz(nlh, IFLA_ALT_IFNAME, l->altname);
		mnl_attr_nest_end(nlh, nest);
	}
	return nlh;
}

static void put_ip(struct nlmsghdr *nlh, uint16_t type, int family,
		   const char *text)
{
	uint8_t ip[16];

	if (inet_pton(family, text, ip) != 1)
		abort(); /* a typo in the table above */
	mnl_attr_put(nlh, type, family == AF_INET ? 4 : 16, ip);
}

static struct nlmsghdr *build_addr(char *buf, const struct aspec *a)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifa_cacheinfo ci = {.ifa_valid = a->valid,
				   .ifa_prefered = a->pref};
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = RTM_NEWADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = a->family;
	ifa->ifa_prefixlen = a->prefixlen;
	ifa->ifa_flags = (uint8_t)a->flags;
	ifa->ifa_scope = a->scope;
	ifa->ifa_index = (uint32_t)a->index;
	if (a->address)
		put_ip(nlh, IFA_ADDRESS, a->family, a->address);
	if (a->local)
		put_ip(nlh, IFA_LOCAL, a->family, a->local);
	if (a->brd)
		put_ip(nlh, IFA_BROADCAST, a->family, a->brd);
	if (a->label)
		mnl_attr_put_strz(nlh, IFA_LABEL, a->label);
	mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
	mnl_attr_put_u32(nlh, IFA_FLAGS, a->flags);
	return nlh;
}

static bool in_set(int index, const int *set, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (set[i] == index)
			return true;
	}
	return false;
}

/* The table of the links in @set (and their addresses), in dump order. */
static int build_table(struct iface_table *t, const int *set, size_t n)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		if (in_set(links[i].index, set, n) &&
		    iface_table_add(t, build_link(buf, &links[i])) < 0)
			return -1;
	}
	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		if (in_set(addrs[i].index, set, n) &&
		    iface_table_add(t, build_addr(buf, &addrs[i])) < 0)
			return -1;
	}
	return 0;
}

/* show_print() into a fresh string (caller frees), or NULL. */
static char *render(const struct iface_table *t, bool link_only, bool json,
		    bool pretty)
{
	struct show_opts opts = {link_only, json, pretty};
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	int ret;

	if (!fp)
		return NULL;
	ret = show_print(fp, t, &opts);
	if (fclose(fp) != 0 || ret != 0) {
		free(text);
		return NULL;
	}
	return text;
}

struct expect {
	bool link_only, json, pretty;
	const char *want; /* NULL: not checked */
};

static void check_group(const char *group, const int *set, size_t n,
			const struct expect *cases, size_t ncases)
{
	struct iface_table t;

	if (!unit_ok(build_table(&t, set, n) == 0, "%s: table built", group)) {
		iface_table_free(&t);
		return;
	}
	for (size_t i = 0; i < ncases; i++) {
		const struct expect *e = &cases[i];
		char desc[128];
		char *got = render(&t, e->link_only, e->json, e->pretty);

		snprintf(desc, sizeof(desc), "%s: ip %s%s show", group,
			 e->json ? (e->pretty ? "-j -p " : "-j ") : "",
			 e->link_only ? "link" : "addr");
		unit_streq(desc, e->want, got);
		free(got);
	}
	iface_table_free(&t);
}

static void test_ip_output(void)
{
	static const int lo[] = {1}, veth[] = {2, 3, 9},
			 names[] = {4, 5, 6, 7, 8}, misc[] = {10, 11, 12, 14};
	const struct expect lo_cases[] = {
	    {false, false, false, lo_addr_txt},
	    {true, false, false, lo_link_txt},
	    {false, true, false, lo_addr_json},
	    {true, true, false, lo_link_json},
	    {false, true, true, lo_addr_pjson},
	    {true, true, true, lo_link_pjson},
	};
	const struct expect veth_cases[] = {
	    {false, false, false, veth_addr_txt},
	    {true, false, false, veth_link_txt},
	    {false, true, false, veth_addr_json},
	    {true, true, false, veth_link_json},
	    {false, true, true, veth_addr_pjson},
	};
	const struct expect names_cases[] = {
	    {false, false, false, names_addr_txt},
	    {true, false, false, names_link_txt},
	    {false, true, false, names_addr_json},
	    {true, true, false, names_link_json},
	};
	const struct expect misc_cases[] = {
	    {false, false, false, misc_addr_txt},
	    {true, false, false, misc_link_txt},
	    {false, true, false, misc_addr_json},
	    {true, true, false, misc_link_json},
	};

	check_group("lo", lo, 1, lo_cases, 6);
	check_group("veth+bridge", veth, 3, veth_cases, 5);
	check_group("hostile names", names, 5, names_cases, 4);
	check_group("tun/tap/vxlan/netns peer", misc, 4, misc_cases, 4);
}

/* The output context on its own: escaping, nesting, pretty layout. */
static void test_output(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	struct out o;

	if (!unit_ok(fp != NULL, "output: memstream"))
		return;
	out_init(&o, fp, true, false);
	out_obj_open(&o, NULL);
	out_string(&o, "s", "%s", "q\"b\\s/\b\f\n\r\t\x01\x1f\x7f\xc3\xa9");
	out_bool(&o, "t", NULL, true);
	out_bool(&o, "f", NULL, false);
	out_null(&o, "n", NULL);
	out_uint(&o, "u", NULL, UINT64_MAX);
	out_int(&o, "i", NULL, INT64_MIN);
	out_arr_open(&o, "a");
	out_string(&o, NULL, NULL, "x");
	out_int(&o, NULL, NULL, -1);
	out_arr_close(&o);
	out_arr_open(&o, "e");
	out_arr_close(&o);
	out_obj_open(&o, "o");
	out_obj_close(&o);
	out_textf(&o, "text only %d", 1);
	out_obj_close(&o);
	unit_ok(out_end(&o) == 0, "output: out_end succeeds");
	fclose(fp);
	unit_streq("output: compact JSON, escaped",
		   "{\"s\":\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\x7f"
		   "\xc3\xa9\",\"t\":true,\"f\":false,\"n\":null,"
		   "\"u\":18446744073709551615,\"i\":-9223372036854775808,"
		   "\"a\":[\"x\",-1],\"e\":[],\"o\":{}}\n",
		   text);
	free(text);
}

static void test_output_pretty_and_text(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	struct out o;

	if (!unit_ok(fp != NULL, "output: memstream"))
		return;
	out_init(&o, fp, true, true);
	out_obj_open(&o, NULL);
	out_bool(&o, "ok", NULL, true);
	out_arr_open(&o, "list");
	out_string(&o, NULL, NULL, "a");
	out_string(&o, NULL, NULL, "b");
	out_arr_close(&o);
	out_arr_open(&o, "none");
	out_arr_close(&o);
	out_obj_close(&o);
	out_end(&o);
	fclose(fp);
	unit_streq("output: pretty JSON as ip -j -p lays it out",
		   "{\n    \"ok\": true,\n    \"list\": [ \"a\",\"b\" ],\n"
		   "    \"none\": [ ]\n}\n",
		   text);
	free(text);

	text = NULL;
	fp = open_memstream(&text, &len);
	if (!unit_ok(fp != NULL, "output: memstream"))
		return;
	out_init(&o, fp, false, false);
	out_obj_open(&o, NULL);
	out_string(&o, "k", "name %s ", "x\x01");
	out_uint(&o, "u", "u %" PRIu64 " ", 7);
	out_int(&o, "i", "i %" PRId64 " ", -7);
	out_bool(&o, "b", "b %s ", false);
	out_null(&o, "n", "null ");
	out_string(&o, "j", NULL, "json only");
	out_textf(&o, "%s\n", "end");
	out_obj_close(&o);
	unit_ok(out_end(&o) == 0, "output: text out_end succeeds");
	fclose(fp);
	unit_streq("output: text mode uses the formats, raw bytes",
		   "name x\x01 u 7 i -7 b false null end\n", text);
	free(text);
}

/* A write error must come back from show_print(), not vanish. */
static void test_write_error(void)
{
	FILE *fp = fopen("/dev/full", "w");
	static const int set[] = {1};
	struct show_opts opts = {false, false, false};
	struct iface_table t;
	int ret;

	if (!fp) {
		unit_skip_strict("show_print reports a write error (ENOSPC)",
				 "no /dev/full");
		return;
	}
	build_table(&t, set, 1);
	ret = show_print(fp, &t, &opts);
	unit_ok(ret == -1 && errno == ENOSPC,
		"show_print reports a write error (ENOSPC)");
	fclose(fp);
	iface_table_free(&t);
}

/* An empty table: what ip prints for a namespace with no links. */
static void test_empty(void)
{
	struct iface_table t = {0};
	char *got;

	got = render(&t, false, true, false);
	unit_streq("empty table: -j", "[]\n", got);
	free(got);
	got = render(&t, false, true, true);
	unit_streq("empty table: -j -p", "[ ]\n", got);
	free(got);
	got = render(&t, false, false, false);
	unit_streq("empty table: text", "", got);
	free(got);
}

/*
 * IFA_PROTO as iproute2 6.15's print_addrinfo() prints it: "proto NAME "
 * after the flags, none in text for 0; JSON "protocol" always, names from
 * rtnl_addrprot_n2a(), other numbers in %#x.  The kernel sends
 * IFAPROT_KERNEL_LO with the ::1 it adds when lo goes up.
 */
static void test_addr_proto(void)
{
	static const struct {
		const char *ip;
		int family;
		uint8_t prefixlen, scope;
		int proto; /* -1: no IFA_PROTO */
	} a[] = {
	    {"127.0.0.1", AF_INET, 8, RT_SCOPE_HOST, IFAPROT_KERNEL_LO},
	    {"10.0.0.1", AF_INET, 8, RT_SCOPE_UNIVERSE, -1},
	    {"10.0.0.2", AF_INET, 8, RT_SCOPE_UNIVERSE, IFAPROT_UNSPEC},
	    {"::1", AF_INET6, 128, RT_SCOPE_HOST, IFAPROT_KERNEL_LO},
	    {"2001:db8::1", AF_INET6, 64, RT_SCOPE_UNIVERSE, IFAPROT_KERNEL_RA},
	    {"fe80::1", AF_INET6, 64, RT_SCOPE_LINK, IFAPROT_KERNEL_LL},
	    {"2001:db8::2", AF_INET6, 64, RT_SCOPE_UNIVERSE, 0x12},
	};
	static const char want_txt[] =
	    "    inet 127.0.0.1/8 scope host proto kernel_lo \n"
	    "       valid_lft forever preferred_lft forever\n"
	    "    inet 10.0.0.1/8 scope global \n"
	    "       valid_lft forever preferred_lft forever\n"
	    "    inet 10.0.0.2/8 scope global \n"
	    "       valid_lft forever preferred_lft forever\n"
	    "    inet6 ::1/128 scope host proto kernel_lo \n"
	    "       valid_lft forever preferred_lft forever\n"
	    "    inet6 2001:db8::1/64 scope global proto kernel_ra \n"
	    "       valid_lft forever preferred_lft forever\n"
	    "    inet6 fe80::1/64 scope link proto kernel_ll \n"
	    "       valid_lft forever preferred_lft forever\n"
	    "    inet6 2001:db8::2/64 scope global proto 0x12 \n"
	    "       valid_lft forever preferred_lft forever\n";
	static const char *const want_json[] = {
	    "\"scope\":\"host\",\"protocol\":\"kernel_lo\",\"valid_life_time\"",
	    "\"scope\":\"global\",\"valid_life_time\"",
	    "\"scope\":\"global\",\"protocol\":\"unspec\",\"valid_life_time\"",
	    "\"scope\":\"host\",\"protocol\":\"kernel_lo\",\"valid_life_time\"",
	    "\"scope\":\"global\",\"protocol\":\"kernel_ra\",\"valid_life_"
	    "time\"",
	    "\"scope\":\"link\",\"protocol\":\"kernel_ll\",\"valid_life_time\"",
	    "\"scope\":\"global\",\"protocol\":\"0x12\",\"valid_life_time\"",
	};
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct iface_table t = {0};
	const char *at;
	char *got;
	bool built = iface_table_add(&t, build_link(buf, &links[0])) == 0;

	for (size_t i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
		struct aspec spec = {.index = 1,
				     .family = (uint8_t)a[i].family,
				     .prefixlen = a[i].prefixlen,
				     .scope = a[i].scope,
				     .flags = 0x80,
				     .address = a[i].ip,
				     .valid = UINT32_MAX,
				     .pref = UINT32_MAX};
		struct nlmsghdr *nlh = build_addr(buf, &spec);

		if (a[i].proto >= 0)
			mnl_attr_put_u8(nlh, IFA_PROTO, (uint8_t)a[i].proto);
		built = built && iface_table_add(&t, nlh) == 0;
	}
	unit_ok(built, "proto: addresses with IFA_PROTO decoded");
	got = render(&t, false, false, false);
	at = got ? strstr(got, "    inet ") : NULL; /* after lo's two lines */
	unit_streq("proto: text as iproute2 6.15 prints it", want_txt, at);
	free(got);
	got = render(&t, false, true, false);
	at = got;
	for (size_t i = 0; i < sizeof(want_json) / sizeof(want_json[0]); i++) {
		const char *hit = at ? strstr(at, want_json[i]) : NULL;

		unit_ok(hit != NULL, "proto: JSON of address %zu: %s", i + 1,
			want_json[i]);
		at = hit ? hit + 1 : NULL;
	}
	free(got);
	iface_table_free(&t);
}

int main(void)
{
	unit_start("test_show", 44);
	test_ip_output();
	test_output();
	test_output_pretty_and_text();
	test_write_error();
	test_empty();
	test_addr_proto();
	return unit_done();
}
