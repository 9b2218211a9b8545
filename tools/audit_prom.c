// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * audit_prom: `nonet audit --prometheus FILE`, metrics for node_exporter's
 * textfile collector in the text exposition format (version 0.0.4),
 * written atomically by prom.c.
 */
#include <stdio.h>

#include "audit_priv.h"
#include "prom.h"

static void sessions(FILE *f, const struct audit *a)
{
	prom_family(f, "nonet_sessions",
		    "Live recorded login sessions, by isolation mode.");
	for (size_t m = 0; m < AUDIT_NMODES; m++)
		fprintf(f, "nonet_sessions{mode=\"%s\"} %u\n", audit_modes[m],
			audit_live_sessions(a, audit_modes[m]));
}

static void escapes(FILE *f, const struct audit *a)
{
	prom_family(f, "nonet_escaped_processes",
		    "Processes of isolated users outside their sessions' "
		    "namespaces, by user.");
	for (size_t i = 0; i < a->nusers; i++) {
		const struct audit_user *u = &a->users[i];

		if (!audit_user_reported(u))
			continue;
		fputs("nonet_escaped_processes{user=\"", f);
		prom_label_value(f, u->name);
		fprintf(f, "\"} %u\n", u->escapes);
	}
}

static void metrics(FILE *f, const struct audit *a)
{
	sessions(f, a);
	escapes(f, a);
	audit_uplinks_prom(f, a);
	prom_family(f, "nonet_stale_records",
		    "Session records whose calling process is gone.");
	fprintf(f, "nonet_stale_records %u\n", audit_stale_records(a));
	prom_family(
	    f, "nonet_policy_errors",
	    "Errors that make the policy file unusable (0: it is fine).");
	fprintf(f, "nonet_policy_errors %u\n", a->s.policy_errors);
	prom_family(f, "nonet_audit_timestamp_seconds",
		    "When the audit ran, in seconds since the epoch.");
	fprintf(f, "nonet_audit_timestamp_seconds %lld.%03ld\n",
		(long long)a->when.tv_sec, a->when.tv_nsec / 1000000);
}

/* prom_write's callback. */
static void write_metrics(FILE *f, const void *data)
{
	metrics(f, data);
}

int audit_prometheus(const struct audit *a, const char *path)
{
	return prom_write(path, "audit", write_metrics, a);
}
