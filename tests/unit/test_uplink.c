// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_uplink: the ALLOW syntax (each accepted word in its canonical form,
 * each refused one with its reason), uplink names, the lease arithmetic,
 * and, as root in a network namespace of its own, the nftables table:
 * created, refused twice, a session's elements added, its counter read,
 * removed (twice: missing ones are no error), the table deleted.
 */
#include <errno.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uplink.h"
#include "unit.h"

/* @text parses, and formats back as @want. */
static void accepted(const char *text, const char *want, int family,
		     unsigned int prefixlen, unsigned int port, int proto)
{
	struct uplink_allow a;
	const char *why = NULL;
	char back[96] = "";

	if (!unit_ok(uplink_allow_parse(text, &a, &why) == 0,
		     "'%s' is accepted", text)) {
		unit_diag("why: ", why);
		unit_skip("its fields and canonical form", "not parsed");
		return;
	}
	unit_ok(a.family == family && a.prefixlen == prefixlen &&
		    a.port == port && a.proto == proto &&
		    uplink_allow_format(&a, back, sizeof(back)) == 0 &&
		    strcmp(back, want) == 0,
		"'%s': family, prefix /%u, port %u, proto %d; written '%s'",
		text, prefixlen, port, proto, want);
}

/* @text is refused (EINVAL) and the reason names @why. */
static void refused(const char *text, const char *want)
{
	struct uplink_allow a;
	const char *why = NULL;
	int ret;

	errno = 0;
	ret = uplink_allow_parse(text, &a, &why);
	if (!unit_ok(ret < 0 && errno == EINVAL && why &&
			 strcmp(why, want) == 0,
		     "'%s' is refused: %s", text, want))
		unit_diag("got: ", why);
}

static void test_allow(void)
{
	accepted("198.18.0.2", "198.18.0.2", AF_INET, 32, 0, 0);
	accepted("198.18.0.2:8080", "198.18.0.2:8080", AF_INET, 32, 8080, 0);
	accepted("198.18.0.2:8080/tcp", "198.18.0.2:8080/tcp", AF_INET, 32,
		 8080, IPPROTO_TCP);
	accepted("10.0.0.0/8:53/udp", "10.0.0.0/8:53/udp", AF_INET, 8, 53,
		 IPPROTO_UDP);
	accepted("10.1.0.0/16/tcp", "10.1.0.0/16/tcp", AF_INET, 16, 0,
		 IPPROTO_TCP);
	accepted("198.18.0.2/32", "198.18.0.2", AF_INET, 32, 0, 0);
	accepted("2001:db8::1", "2001:db8::1", AF_INET6, 128, 0, 0);
	accepted("2001:DB8:0::/64", "2001:db8::/64", AF_INET6, 64, 0, 0);
	accepted("[2001:db8::1]:443", "[2001:db8::1]:443", AF_INET6, 128, 443,
		 0);
	accepted("[2001:db8::/48]:443/tcp", "[2001:db8::/48]:443/tcp", AF_INET6,
		 48, 443, IPPROTO_TCP);
	accepted("[2001:db8::1]", "2001:db8::1", AF_INET6, 128, 0, 0);
	accepted("2001:db8::1/udp", "2001:db8::1/udp", AF_INET6, 128, 0,
		 IPPROTO_UDP);

	refused("", "empty");
	refused("exam.example.org:443", "not an IPv4 address");
	refused("198.18.0.256", "not an IPv4 address");
	refused("198.18.0.2:0", "the port is not 1 to 65535");
	refused("198.18.0.2:65536", "the port is not 1 to 65535");
	refused("198.18.0.2:http", "the port is not 1 to 65535");
	refused("198.18.0.2/33", "the prefix is not 0 to 32");
	refused("198.18.0.2/24", "the address has bits set past its prefix");
	refused("0.0.0.0/0", "a /0 prefix allows every address");
	refused("::/0", "a /0 prefix allows every address");
	refused("2001:db8::/129", "the prefix is not 0 to 128");
	refused("[2001:db8::1:443", "a '[' without its ']'");
	refused("[198.18.0.2]:443", "not an IPv6 address");
	refused("[2001:db8::1]443", "the port is not 1 to 65535");
	refused("198.18.0.2:80/sctp", "only /tcp or /udp may end it");
	refused("198.18.0.2:80:81", "not an IPv6 address");
}

static void test_names(void)
{
	unit_ok(uplink_name_valid("exam") && uplink_name_valid("a1234567") &&
		    uplink_name_valid("x"),
		"exam, a1234567 and x are uplink names");
	unit_ok(!uplink_name_valid("") && !uplink_name_valid("a12345678") &&
		    !uplink_name_valid("1exam") && !uplink_name_valid("Exam") &&
		    !uplink_name_valid("ex-am") && !uplink_name_valid("../x"),
		"'', 9 letters, a leading digit, capitals, '-', '/' are not");
}

static void test_leases(void)
{
	struct uplink_conf conf = {
	    .name = "exam", .pool4 = {100, 127, 0, 0}, .pool4_len = 16};
	struct uplink_lease l;

	unit_ok(uplink_lease_max(&conf) == 32768, "a /16 holds 32768 leases");
	unit_ok(uplink_lease_compute(&conf, 200, &l) == 0 &&
		    strcmp(l.host_if, "nexam-200") == 0 && l.host4[2] == 1 &&
		    l.host4[3] == 144 && l.inside4[3] == 145 && !l.has6,
		"lease 200: nexam-200, 100.127.1.144 and .145, no IPv6");
	conf.has_pool6 = true;
	conf.pool6[0] = 0xfd;
	conf.pool6_len = 64;
	conf.pool4_len = 30;
	unit_ok(uplink_lease_max(&conf) == 2 &&
		    uplink_lease_compute(&conf, 1, &l) == 0 && l.has6 &&
		    l.host6[15] == 2 && l.inside6[15] == 3 &&
		    uplink_lease_compute(&conf, 2, &l) < 0 && errno == ERANGE,
		"a /30 holds 2 leases; lease 1's IPv6 ends in 2 and 3; 2 is "
		"out of range");
	conf.pool4_len = 8;
	conf.pool6_len = 120;
	unit_ok(uplink_lease_max(&conf) == 128,
		"the smaller pool decides: a /120 holds 128");
	conf.pool6_len = 64;
	unit_ok(uplink_lease_max(&conf) == 65536,
		"at most 65536 leases (the link name's length)");
}

static void test_nft(void)
{
	struct uplink_allow allow[2];
	struct uplink_conf conf = {.name = "unit",
				   .allow = allow,
				   .nallow = 2,
				   .pool4 = {100, 127, 0, 0},
				   .pool4_len = 16,
				   .nat = true,
				   .forward_was = 0,
				   .forward6_was = -1};
	struct uplink_lease l;
	uint64_t packets = 1;
	const char *why;

	if (geteuid() != 0 || unshare(CLONE_NEWNET) < 0) {
		for (int i = 0; i < 5; i++)
			unit_skip("the nftables table", "needs root");
		return;
	}
	uplink_allow_parse("198.18.0.2:8080/tcp", &allow[0], &why);
	uplink_allow_parse("[2001:db8::/64]:53", &allow[1], &why);
	uplink_lease_compute(&conf, 3, &l);
	if (!unit_ok(uplink_nft_create(&conf) == 0, "the table is created"))
		unit_diag("error: ", strerror(errno));
	unit_ok(uplink_nft_create(&conf) < 0 && errno == EEXIST,
		"a second create is refused with EEXIST");
	unit_ok(uplink_nft_add_session("unit", &l) == 0 &&
		    uplink_nft_blocked("unit", &l, &packets) == 0 &&
		    packets == 0,
		"a session's elements are added, its counter reads 0");
	unit_ok(uplink_nft_remove_session("unit", &l) == 0 &&
		    uplink_nft_remove_session("unit", &l) == 0 &&
		    uplink_nft_blocked("unit", &l, &packets) < 0 &&
		    errno == ENOENT,
		"removed twice without error; the counter is gone (ENOENT)");
	unit_ok(uplink_nft_delete("unit") == 0 &&
		    uplink_nft_delete("unit") == 0,
		"the table is deleted; a missing one is no error");
}

int main(void)
{
	unit_start("test_uplink", 2 * 12 + 16 + 2 + 5 + 5);
	test_allow();
	test_names();
	test_leases();
	test_nft();
	return unit_done();
}
