// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_uplink_evidence: what `nonet audit` makes of the uplinks' counters
 * (audit_uplink.c), on canned sessions: the -J array and summary, and the
 * metric nonet_uplink_blocked_packets summed per user and uplink, escaped,
 * checked byte for byte; and blocked_get() on sessions it must not count.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_priv.h"
#include "blocked.h"
#include "output.h"
#include "unit.h"

static struct record rec(const char *id, const char *user, const char *up,
			 int lease)
{
	struct record r = {.lease = lease};

	snprintf(r.id, sizeof(r.id), "%s", id);
	snprintf(r.user, sizeof(r.user), "%s", user);
	snprintf(r.uplink, sizeof(r.uplink), "%s", up);
	return r;
}

/* Runs @fn on @a into a string (free() it). */
static char *capture(void (*fn)(FILE *, const struct audit *),
		     const struct audit *a)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	fn(f, a);
	fclose(f);
	return buf;
}

static void json_of(FILE *f, const struct audit *a)
{
	struct out o;

	out_init(&o, f, true, false);
	out_obj_open(&o, NULL);
	audit_uplinks_report(a, &o);
	out_obj_close(&o);
	out_end(&o);
}

static void text_of(FILE *f, const struct audit *a)
{
	struct out o;

	out_init(&o, f, false, false);
	audit_uplinks_report(a, &o);
	out_end(&o);
}

static void test_report(void)
{
	struct record r[] = {
	    rec("1-2-a", "carol", "exam", 0),
	    rec("3-4-b", "dave", "exam", 1),
	    rec("5-6-c", "carol", "exam", 2),
	    rec("7-8-d", "ev\"il\\", "lab", 0),
	    rec("9-9-e", "carol", "lab", 3),
	};
	struct audit_uplink u[] = {
	    {&r[0], false, 1, 7}, {&r[1], false, 1, 0},	 {&r[2], true, 1, 5},
	    {&r[3], false, 1, 2}, {&r[4], false, -1, 0},
	};
	struct audit a = {.uplinks = u, .nuplinks = 5};
	char *got;

	got = capture(audit_uplinks_prom, &a);
	unit_streq(
	    "metric: summed per user and uplink (stale sessions "
	    "included), label values escaped, unknown counts left out",
	    "# HELP nonet_uplink_blocked_packets Packets the uplinks "
	    "dropped from the links of the recorded sessions, by user "
	    "and uplink.\n"
	    "# TYPE nonet_uplink_blocked_packets gauge\n"
	    "nonet_uplink_blocked_packets{user=\"carol\",uplink=\"exam\"}"
	    " 12\n"
	    "nonet_uplink_blocked_packets{user=\"dave\",uplink=\"exam\"}"
	    " 0\n"
	    "nonet_uplink_blocked_packets{user=\"ev\\\"il\\\\\","
	    "uplink=\"lab\"} 2\n",
	    got);
	free(got);
	got = capture(json_of, &a);
	unit_streq(
	    "-J: one object per session, null when not known",
	    "{\"uplinks\":["
	    "{\"session\":\"1-2-a\",\"user\":\"carol\",\"uplink\":"
	    "\"exam\",\"lease\":0,\"stale\":false,\"blocked\":7},"
	    "{\"session\":\"3-4-b\",\"user\":\"dave\",\"uplink\":"
	    "\"exam\",\"lease\":1,\"stale\":false,\"blocked\":0},"
	    "{\"session\":\"5-6-c\",\"user\":\"carol\",\"uplink\":"
	    "\"exam\",\"lease\":2,\"stale\":true,\"blocked\":5},"
	    "{\"session\":\"7-8-d\",\"user\":\"ev\\\"il\\\\\",\"uplink\":"
	    "\"lab\",\"lease\":0,\"stale\":false,\"blocked\":2},"
	    "{\"session\":\"9-9-e\",\"user\":\"carol\",\"uplink\":"
	    "\"lab\",\"lease\":3,\"stale\":false,\"blocked\":null}]}\n",
	    got);
	free(got);
	got = capture(text_of, &a);
	unit_streq("summary: the total of the counted sessions",
		   "; 14 packet(s) blocked on 5 uplink session(s)", got);
	free(got);
	a.nuplinks = 0;
	got = capture(text_of, &a);
	unit_streq("summary: nothing without uplink sessions", "", got);
	free(got);
	got = capture(audit_uplinks_prom, &a);
	unit_ok(got && !strstr(got, "nonet_uplink_blocked_packets{"),
		"metric: HELP and TYPE only, without uplink sessions");
	free(got);
}

static void test_blocked_get(void)
{
	struct blocked b = {0};
	struct record none = rec("1-1-a", "carol", "", -1);
	struct record bad = rec("1-1-b", "carol", "../etc", 0);
	struct record down = rec("1-1-c", "carol", "zz9down", 0);
	uint64_t n = 99;
	int ret;

	unit_ok(blocked_get(&b, &none, &n) == 0 && n == 99,
		"blocked_get: a session without an uplink: 0, nothing read");
	errno = 0;
	ret = blocked_get(&b, &bad, &n);
	unit_ok(
	    ret == -1 && errno == ENOENT && b.count == 0,
	    "blocked_get: a name no uplink can have: ENOENT, not looked up");
	errno = 0;
	ret = blocked_get(&b, &down, &n);
	unit_ok(ret == -1 && errno == ENOENT,
		"blocked_get: an uplink that is not up: ENOENT (got %d, %s)",
		ret, strerror(errno));
	blocked_free(&b);
}

int main(void)
{
	unit_start("test_uplink_evidence", 8);
	test_report();
	test_blocked_get();
	return unit_done();
}
