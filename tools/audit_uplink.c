// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * audit_uplink: what the uplinks dropped from the sessions' links, as
 * `nonet audit` reports it: per session in -J (member "uplinks"), in the
 * summary line, and per user and uplink in the metrics
 * (nonet_uplink_blocked_packets).  Stale sessions count too: their
 * attempts are evidence until `nonet prune` reclaims their leases.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "audit_priv.h"
#include "blocked.h"
#include "output.h"
#include "prom.h"
#include "tool.h"

void audit_uplinks_collect(struct audit *a)
{
	struct blocked b = {0};

	a->uplinks = calloc(a->s.count + 1, sizeof(*a->uplinks));
	if (!a->uplinks) {
		tool_error("audit: %m");
		a->error = true;
		return;
	}
	for (size_t i = 0; i < a->s.count; i++) {
		const struct record *r = &a->s.records[i];
		struct audit_uplink *u = &a->uplinks[a->nuplinks];

		u->counted = blocked_get(&b, r, &u->blocked);
		if (u->counted == 0)
			continue; /* no uplink */
		u->r = r;
		u->stale = a->s.stale[i];
		a->nuplinks++;
		/* Nothing left to count is no error; an unreadable counter
		 * of a live session is. */
		if (u->counted < 0 && errno != ENOENT && !u->stale) {
			tool_error("audit: cannot read the blocked packets of "
				   "session %s (uplink %s, lease %d): %m",
				   r->id, r->uplink, r->lease);
			a->error = true;
		}
	}
	blocked_free(&b);
}

static uint64_t total(const struct audit *a)
{
	uint64_t n = 0;

	for (size_t i = 0; i < a->nuplinks; i++)
		if (a->uplinks[i].counted == 1)
			n += a->uplinks[i].blocked;
	return n;
}

void audit_uplinks_report(const struct audit *a, struct out *o)
{
	out_arr_open(o, "uplinks");
	for (size_t i = 0; i < a->nuplinks; i++) {
		const struct audit_uplink *u = &a->uplinks[i];

		out_obj_open(o, NULL);
		out_string(o, "session", NULL, u->r->id);
		out_string(o, "user", NULL, u->r->user);
		out_string(o, "uplink", NULL, u->r->uplink);
		out_int(o, "lease", NULL, u->r->lease);
		out_bool(o, "stale", NULL, u->stale);
		if (u->counted == 1)
			out_uint(o, "blocked", NULL, u->blocked);
		else
			out_null(o, "blocked", NULL);
		out_obj_close(o);
	}
	out_arr_close(o);
	if (a->nuplinks)
		out_textf(o,
			  "; %" PRIu64 " packet(s) blocked on %zu uplink "
			  "session(s)",
			  total(a), a->nuplinks);
}

/* Whether @u was counted and has @r's user and uplink. */
static bool same_series(const struct audit_uplink *u, const struct record *r)
{
	return u->counted == 1 && strcmp(u->r->user, r->user) == 0 &&
	       strcmp(u->r->uplink, r->uplink) == 0;
}

/* Whether an earlier session than @i is in @i's series. */
static bool seen_before(const struct audit *a, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (same_series(&a->uplinks[j], a->uplinks[i].r))
			return true;
	return false;
}

void audit_uplinks_prom(FILE *f, const struct audit *a)
{
	prom_family(f, "nonet_uplink_blocked_packets",
		    "Packets the uplinks dropped from the links of the "
		    "recorded sessions, by user and uplink.");
	for (size_t i = 0; i < a->nuplinks; i++) {
		const struct record *r = a->uplinks[i].r;
		uint64_t n = 0;

		if (a->uplinks[i].counted != 1 || seen_before(a, i))
			continue;
		for (size_t j = i; j < a->nuplinks; j++)
			if (same_series(&a->uplinks[j], r))
				n += a->uplinks[j].blocked;
		fputs("nonet_uplink_blocked_packets{user=\"", f);
		prom_label_value(f, r->user);
		fputs("\",uplink=\"", f);
		prom_label_value(f, r->uplink);
		fprintf(f, "\"} %" PRIu64 "\n", n);
	}
}
