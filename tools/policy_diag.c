// SPDX-License-Identifier: GPL-2.0-or-later
/* policy_diag: the policy's diagnostics as the tool prints them. */
#include <stdio.h>

#include "policy_diag.h"

void tool_policy_diag(void *data, enum policy_severity severity,
		      const char *file, unsigned int line, const char *message)
{
	const struct tool_diag *d = data;
	const char *kind = severity == POLICY_ERROR ? "error" : "warning";

	if (d->errors_only && severity != POLICY_ERROR)
		return;
	if (line)
		fprintf(d->fp, "%s:%u: %s: %s\n", file, line, kind, message);
	else
		fprintf(d->fp, "%s: %s: %s\n", file, kind, message);
}
