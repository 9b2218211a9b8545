// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_loopback: loopback_judge() on hand-made iface tables (the ideal
 * namespace and each way it can differ), with the exact reason texts; and
 * text_escape(), which puts those names into log lines, on hostile input
 * and small buffers.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include "iface.h"
#include "loopback.h"
#include "text.h"
#include "unit.h"

/* IFF_LOWER_UP of <linux/if.h>, which clashes with <net/if.h>. */
#define LOWER_UP 0x10000
#define LO_UP (IFF_UP | IFF_LOOPBACK | IFF_RUNNING | LOWER_UP)

/* A table under construction: up to 8 links and 8 addresses. */
struct fixture {
	struct iface_link links[8];
	struct iface_addr addrs[8];
	struct iface_table table;
};

static void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->table.links = f->links;
	f->table.addrs = f->addrs;
}

static void add_link(struct fixture *f, int ifindex, const char *name,
		     unsigned int flags)
{
	struct iface_link *l = &f->links[f->table.nlinks++];

	l->ifindex = ifindex;
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->flags = flags;
	l->mtu = 65536;
}

/* @ip is text; IPv6 gets IFA_ADDRESS only, as the kernel sends it. */
static void add_addr(struct fixture *f, int ifindex, const char *ip,
		     uint8_t prefixlen)
{
	struct iface_addr *a = &f->addrs[f->table.naddrs++];

	a->ifindex = ifindex;
	a->prefixlen = prefixlen;
	a->scope = RT_SCOPE_HOST;
	if (inet_pton(AF_INET, ip, a->local) == 1) {
		a->family = AF_INET;
		a->has_local = true;
		memcpy(a->address, a->local, 4);
		a->has_address = true;
	} else if (inet_pton(AF_INET6, ip, a->address) == 1) {
		a->family = AF_INET6;
		a->has_address = true;
	} else {
		abort();
	}
}

/* The ideal: lo UP with 127.0.0.1/8 and nothing else. */
static void ideal(struct fixture *f)
{
	fixture_init(f);
	add_link(f, 1, "lo", LO_UP);
	add_addr(f, 1, "127.0.0.1", 8);
}

/* The reasons, one per line, as the callback got them. */
struct reasons {
	char text[1024];
	int calls;
};

static void collect(void *data, const char *reason)
{
	struct reasons *r = data;
	size_t used = strlen(r->text);

	snprintf(r->text + used, sizeof(r->text) - used, "%s%s",
		 used ? "\n" : "", reason);
	r->calls++;
}

static const char *const ipv6_name[] = {
    [LOOPBACK_IPV6_ANY] = "any",
    [LOOPBACK_IPV6_NONE] = "none",
    [LOOPBACK_IPV6_LOOPBACK] = "::1",
};

/* Judges @f and expects exactly the reasons @want ("" for none). */
static void judge(const char *desc, const struct fixture *f,
		  enum loopback_ipv6 ipv6, bool strict, const char *want)
{
	struct reasons r = {"", 0};
	int n = loopback_judge(&f->table, ipv6, strict, collect, NULL, &r);
	int lines = *want ? 1 : 0;
	char label[256];

	for (const char *p = want; *p; p++)
		lines += *p == '\n';
	snprintf(label, sizeof(label), "%s (ipv6=%s, %s): %d reason%s", desc,
		 ipv6_name[ipv6], strict ? "strict" : "lenient", lines,
		 lines == 1 ? "" : "s");
	if (!unit_ok(n == lines && r.calls == lines &&
			 strcmp(r.text, want) == 0,
		     "%s", label)) {
		printf("#   returned %d, %d callbacks\n", n, r.calls);
		unit_diag("want: ", want);
		unit_diag("got:  ", r.text);
	}
}

/* Every ipv6 expectation and both strictnesses. */
static void judge_all(const char *desc, const struct fixture *f,
		      const char *want_any, const char *want_none,
		      const char *want_lo)
{
	for (int strict = 0; strict <= 1; strict++) {
		judge(desc, f, LOOPBACK_IPV6_ANY, strict, want_any);
		judge(desc, f, LOOPBACK_IPV6_NONE, strict, want_none);
		judge(desc, f, LOOPBACK_IPV6_LOOPBACK, strict, want_lo);
	}
}

static void test_judge(void)
{
	struct fixture f;

	ideal(&f);
	judge_all("ideal: lo UP, 127.0.0.1/8", &f, "", "",
		  "lo does not carry ::1/128");

	ideal(&f);
	add_addr(&f, 1, "::1", 128);
	judge_all("lo with ::1/128", &f, "", "unexpected address ::1/128", "");

	/* ::1 given as IFA_LOCAL too (what loopback_setup sends). */
	ideal(&f);
	add_addr(&f, 1, "::1", 128);
	memcpy(f.addrs[1].local, f.addrs[1].address, 16);
	f.addrs[1].has_local = true;
	judge("::1 with IFA_LOCAL", &f, LOOPBACK_IPV6_LOOPBACK, true, "");

	ideal(&f);
	f.links[0].flags = IFF_LOOPBACK;
	judge_all("lo down", &f, "lo is down", "lo is down",
		  "lo is down\nlo does not carry ::1/128");

	ideal(&f);
	f.table.naddrs = 0;
	judge_all("lo without addresses", &f, "lo does not carry 127.0.0.1/8",
		  "lo does not carry 127.0.0.1/8",
		  "lo does not carry 127.0.0.1/8\nlo does not carry ::1/128");

	fixture_init(&f);
	judge("an empty table", &f, LOOPBACK_IPV6_NONE, true,
	      "there is no loopback interface\nlo does not carry 127.0.0.1/8");

	ideal(&f);
	add_link(&f, 2, "eth0", IFF_UP | IFF_BROADCAST | LOWER_UP);
	add_link(&f, 5, "veth9", 0);
	judge_all("two links besides lo", &f,
		  "interface eth0 exists besides lo\n"
		  "interface veth9 exists besides lo",
		  "interface eth0 exists besides lo\n"
		  "interface veth9 exists besides lo",
		  "interface eth0 exists besides lo\n"
		  "interface veth9 exists besides lo\n"
		  "lo does not carry ::1/128");

	/* lo's index is what counts, not its name. */
	fixture_init(&f);
	add_link(&f, 2, "lo", LO_UP);
	add_addr(&f, 2, "127.0.0.1", 8);
	judge("a link named lo at index 2", &f, LOOPBACK_IPV6_ANY, false,
	      "interface lo exists besides lo\n"
	      "there is no loopback interface\n"
	      "lo does not carry 127.0.0.1/8");

	/* 127.0.0.1 with another prefix is not the address. */
	fixture_init(&f);
	add_link(&f, 1, "lo", LO_UP);
	add_addr(&f, 1, "127.0.0.1", 16);
	judge("127.0.0.1/16 only", &f, LOOPBACK_IPV6_ANY, true,
	      "unexpected address 127.0.0.1/16\n"
	      "lo does not carry 127.0.0.1/8");
	judge("127.0.0.1/16 only", &f, LOOPBACK_IPV6_ANY, false,
	      "lo does not carry 127.0.0.1/8");

	/* 127.0.0.1/8 on another link does not count for lo. */
	ideal(&f);
	add_link(&f, 2, "veth0", IFF_UP);
	f.addrs[0].ifindex = 2;
	judge("127.0.0.1/8 on veth0, not lo", &f, LOOPBACK_IPV6_ANY, true,
	      "interface veth0 exists besides lo\n"
	      "unexpected address 127.0.0.1/8\n"
	      "lo does not carry 127.0.0.1/8");

	/* An extra address on lo: strict flags it, lenient does not. */
	ideal(&f);
	add_addr(&f, 1, "10.1.2.3", 32);
	judge("an extra IPv4 address on lo", &f, LOOPBACK_IPV6_ANY, false, "");
	judge("an extra IPv4 address on lo", &f, LOOPBACK_IPV6_NONE, false, "");
	judge("an extra IPv4 address on lo", &f, LOOPBACK_IPV6_ANY, true,
	      "unexpected address 10.1.2.3/32");
	judge("an extra IPv4 address on lo", &f, LOOPBACK_IPV6_NONE, true,
	      "unexpected address 10.1.2.3/32");
	judge("an extra IPv4 address on lo", &f, LOOPBACK_IPV6_LOOPBACK, true,
	      "unexpected address 10.1.2.3/32\nlo does not carry ::1/128");

	/* An IPv6 address other than ::1 on lo. */
	ideal(&f);
	add_addr(&f, 1, "fe80::1", 64);
	judge("fe80::1/64 on lo", &f, LOOPBACK_IPV6_ANY, false, "");
	judge("fe80::1/64 on lo", &f, LOOPBACK_IPV6_ANY, true,
	      "unexpected address fe80::1/64");
	judge("fe80::1/64 on lo", &f, LOOPBACK_IPV6_NONE, false,
	      "unexpected address fe80::1/64");
	judge("fe80::1/64 on lo", &f, LOOPBACK_IPV6_LOOPBACK, true,
	      "unexpected address fe80::1/64\nlo does not carry ::1/128");

	/* ::1 with the wrong prefix is not ::1/128. */
	ideal(&f);
	add_addr(&f, 1, "::1", 64);
	judge("::1/64 on lo", &f, LOOPBACK_IPV6_LOOPBACK, true,
	      "unexpected address ::1/64\nlo does not carry ::1/128");

	/* The count without a callback. */
	ideal(&f);
	f.links[0].flags = 0;
	f.table.naddrs = 0;
	unit_ok(loopback_judge(&f.table, LOOPBACK_IPV6_LOOPBACK, true, NULL,
			       NULL, NULL) == 3,
		"loopback_judge without a callback still counts (3)");

	/* The longest name the kernel allows reaches the reason whole. */
	ideal(&f);
	add_link(&f, 2, "fifteen-chars-x", 0);
	judge("a link with a 15-byte name", &f, LOOPBACK_IPV6_ANY, false,
	      "interface fifteen-chars-x exists besides lo");
}

/* Judges @f with the uplink link @l expected; exactly the reasons @want. */
static void judge_link(const char *desc, const struct fixture *f,
		       enum loopback_ipv6 ipv6, const struct loopback_link *l,
		       const char *want)
{
	struct reasons r = {"", 0};
	int n =
	    loopback_judge_link(&f->table, ipv6, true, l, collect, NULL, &r);
	int lines = *want ? 1 : 0;

	for (const char *p = want; *p; p++)
		lines += *p == '\n';
	if (!unit_ok(n == lines && strcmp(r.text, want) == 0, "uplink link: %s",
		     desc)) {
		printf("#   returned %d\n", n);
		unit_diag("want: ", want);
		unit_diag("got:  ", r.text);
	}
}

/* lo plus eth0 (veth) with 100.127.0.3/31 and fd00::3/127. */
static void uplink_session(struct fixture *f, struct loopback_link *l)
{
	ideal(f);
	add_link(f, 2, "eth0", IFF_UP);
	snprintf(f->links[1].kind, sizeof(f->links[1].kind), "veth");
	add_addr(f, 2, "100.127.0.3", 31);
	add_addr(f, 2, "fd00::3", 127);
	memset(l, 0, sizeof(*l));
	l->name = "eth0";
	l->kind = "veth";
	l->naddrs = 2;
	l->addrs[0].family = AF_INET;
	inet_pton(AF_INET, "100.127.0.3", l->addrs[0].addr);
	l->addrs[0].prefixlen = 31;
	l->addrs[1].family = AF_INET6;
	inet_pton(AF_INET6, "fd00::3", l->addrs[1].addr);
	l->addrs[1].prefixlen = 127;
}

static void test_link(void)
{
	struct loopback_link l;
	struct fixture f;

	uplink_session(&f, &l);
	judge_link("lo and eth0 with the lease's addresses", &f,
		   LOOPBACK_IPV6_NONE, &l, "");
	judge("... is not isolated without the expected link", &f,
	      LOOPBACK_IPV6_ANY, false, "interface eth0 exists besides lo");
	uplink_session(&f, &l);
	add_addr(&f, 2, "fe80::1", 64);
	judge_link("a link-local address on eth0", &f, LOOPBACK_IPV6_ANY, &l,
		   "unexpected address fe80::1/64 on eth0");
	uplink_session(&f, &l);
	f.table.naddrs = 2;
	judge_link("eth0 without its IPv6 address", &f, LOOPBACK_IPV6_ANY, &l,
		   "eth0 does not carry fd00::3/127");
	uplink_session(&f, &l);
	snprintf(f.links[1].kind, sizeof(f.links[1].kind), "vxlan");
	judge_link("eth0 of another kind", &f, LOOPBACK_IPV6_ANY, &l,
		   "interface eth0 is of kind vxlan, not veth\n"
		   "unexpected address 100.127.0.3/31\n"
		   "unexpected address fd00::3/127");
	uplink_session(&f, &l);
	snprintf(f.links[1].name, sizeof(f.links[1].name), "eth1");
	judge_link("another name", &f, LOOPBACK_IPV6_ANY, &l,
		   "interface eth1 exists besides lo\n"
		   "there is no interface eth0 (the uplink's link)\n"
		   "unexpected address 100.127.0.3/31\n"
		   "unexpected address fd00::3/127");
	uplink_session(&f, &l);
	add_link(&f, 3, "eth1", IFF_UP);
	judge_link("a second link besides eth0", &f, LOOPBACK_IPV6_ANY, &l,
		   "interface eth1 exists besides lo");
}

static void escape_is(const char *desc, size_t size, const char *src,
		      const char *want)
{
	char buf[512];

	memset(buf, 0x7e, sizeof(buf));
	unit_streq(desc, want, text_escape(buf, size, src));
}

/* The escaped form of @src, unbounded. */
static void escape_full(char *dst, const char *src)
{
	for (; *src; src++) {
		unsigned char c = (unsigned char)*src;

		if (c < 0x20 || c >= 0x7f || c == '\\')
			dst += sprintf(dst, "\\x%02x", c);
		else
			*dst++ = (char)c;
	}
	*dst = '\0';
}

static void test_escape(void)
{
	static const char *const inputs[] = {
	    "abcdefghijklmnopqrstuvwxyz0123456789",
	    "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b",
	    "a\\b\\c\\d\\e\\f\\g\\h",
	    "\xc3\xa9t\xc3\xa9 \xe2\x82\xac\xff\x80",
	    "user\n<13>Jan  1 00:00:00 forged: line",
	    "mixed\x1b[31m\\red\x7f",
	};
	char buf[512], prefix[512], full[2048];
	bool bounded = true, exact = true, whole = true, canary = true;
	char why[512] = "";

	escape_is("plain text is copied", 64, "nobody", "nobody");
	escape_is("the empty string", 8, "", "");
	escape_is("NULL gives (null)", 64, NULL, "(null)");
	escape_is("newline, tab, CR", 64, "a\nb\tc\rd", "a\\x0ab\\x09c\\x0dd");
	escape_is("escape sequences and DEL", 64, "\x1b[2J\x7f",
		  "\\x1b[2J\\x7f");
	escape_is("backslash is escaped (no ambiguity with \\xNN)", 64,
		  "a\\x41", "a\\x5cx41");
	escape_is("non-ASCII bytes", 64, "caf\xc3\xa9", "caf\\xc3\\xa9");
	escape_is("printable ASCII is kept", 128,
		  " !\"#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}~",
		  " !\"#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}~");
	escape_is("a long name is cut with ... in 16 bytes", 16,
		  "abcdefghijklmnopqrstuvwxyz", "abcdefghijkl...");
	escape_is("a cut never splits an escape", 16, "abcdefghi\x01\x02",
		  "abcdefghi...");
	escape_is("the smallest buffer (8)", 8, "abcdefghijkl", "abcd...");
	escape_is("the smallest buffer, escapes", 8, "\x01\x02\x03",
		  "\\x01...");
	escape_is("TEXT_FIELD_MAX holds a 252-byte name", TEXT_FIELD_MAX,
		  "012345678901234567890123456789012345678901234567890123456789"
		  "012345678901234567890123456789012345678901234567890123456789"
		  "012345678901234567890123456789012345678901234567890123456789"
		  "012345678901234567890123456789012345678901234567890123456789"
		  "012345678901",
		  "012345678901234567890123456789012345678901234567890123456789"
		  "012345678901234567890123456789012345678901234567890123456789"
		  "012345678901234567890123456789012345678901234567890123456789"
		  "012345678901234567890123456789012345678901234567890123456789"
		  "012345678901");

	/*
	 * Every input in every buffer size from 8 to 80: never a byte past
	 * the buffer, always NUL-terminated, either the whole escaped text or
	 * a whole-escape prefix of it followed by "...", and a long plain
	 * input fills the buffer to the last byte.
	 */
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		escape_full(full, inputs[i]);
		for (size_t size = 8; size <= 80; size++) {
			size_t len, k;

			memset(buf, 0x7e, sizeof(buf));
			text_escape(buf, size, inputs[i]);
			for (k = size; k < sizeof(buf); k++) {
				if ((unsigned char)buf[k] != 0x7e)
					canary = false;
			}
			len = strnlen(buf, size);
			if (len >= size) {
				bounded = false;
				snprintf(why, sizeof(why), "input %zu size %zu",
					 i, size);
				continue;
			}
			if (strcmp(buf, full) == 0)
				continue;
			/* Cut: the text before "..." escapes some prefix. */
			if (len < 3 || strcmp(buf + len - 3, "...") != 0) {
				whole = false;
				snprintf(why, sizeof(why),
					 "input %zu size %zu: "
					 "%s",
					 i, size, buf);
				continue;
			}
			for (k = 0; k <= strlen(inputs[i]); k++) {
				char part[512];

				memcpy(part, inputs[i], k);
				part[k] = '\0';
				escape_full(prefix, part);
				if (strlen(prefix) == len - 3 &&
				    strncmp(prefix, buf, len - 3) == 0)
					break;
			}
			if (k > strlen(inputs[i])) {
				whole = false;
				snprintf(why, sizeof(why),
					 "input %zu size %zu: "
					 "%s",
					 i, size, buf);
			}
			if (i == 0 && strlen(full) >= size && len != size - 1)
				exact = false;
		}
	}
	unit_ok(canary, "no size from 8 to 80 writes past the buffer");
	unit_ok(bounded, "every result is NUL-terminated inside the buffer %s",
		why);
	unit_ok(whole, "every cut result is whole escapes and \"...\" %s",
		whole ? "" : why);
	unit_ok(exact, "a long plain input fills the buffer to its last byte");
}

int main(void)
{
	unit_start("test_loopback", 72);
	test_judge();
	test_link();
	test_escape();
	return unit_done();
}
