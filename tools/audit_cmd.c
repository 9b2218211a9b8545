// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * audit_cmd: `nonet audit`, the command: the judgement (audit.c), then
 * --kill (audit_kill.c), the report (audit_report.c) and --prometheus
 * (audit_prom.c).  Each of those calls only down, into audit.c.
 */
#include "audit_priv.h"
#include "tool.h"

int audit_run(const struct audit_opts *opts)
{
	struct audit a = {.opts = opts};
	int status = TOOL_ERROR;

	if (audit_table_init(&a) < 0)
		return TOOL_ERROR;
	if (audit_collect(&a) < 0)
		goto out;
	if (opts->kill)
		audit_kill(&a);
	if (audit_report(&a) < 0)
		a.error = true;
	if (opts->prometheus && audit_prometheus(&a, opts->prometheus) < 0)
		a.error = true;
	status = a.error ? TOOL_ERROR : a.escapes ? TOOL_NOT_ISOLATED : TOOL_OK;
out:
	audit_free(&a);
	return status;
}
