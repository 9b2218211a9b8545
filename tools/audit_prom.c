// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * audit_prom: `nonet audit --prometheus FILE`, metrics for node_exporter's
 * textfile collector in the text exposition format (version 0.0.4).  The
 * collector may read the file at any moment, so it is written whole under
 * a temporary name in the same directory and renamed into place; the
 * temporary name starts with a dot and does not end in .prom, so the
 * collector never picks it up.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "audit_priv.h"
#include "tool.h"

/* A label value: backslash, double quote and newline are escaped. */
static void label_value(FILE *f, const char *value)
{
	for (const char *c = value; *c; c++) {
		if (*c == '\\' || *c == '"')
			fprintf(f, "\\%c", *c);
		else if (*c == '\n')
			fputs("\\n", f);
		else
			fputc(*c, f);
	}
}

static void family(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void sessions(FILE *f, const struct audit *a)
{
	static const char *const modes[] = { "none", "private", "shared",
					     "join" };

	family(f, "nonet_sessions",
	       "Live recorded login sessions, by isolation mode.");
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
		fprintf(f, "nonet_sessions{mode=\"%s\"} %u\n", modes[m],
			audit_live_sessions(a, modes[m]));
}

static void escapes(FILE *f, const struct audit *a)
{
	family(f, "nonet_escaped_processes",
	       "Processes of isolated users outside their sessions' "
	       "namespaces, by user.");
	for (size_t i = 0; i < a->nusers; i++) {
		const struct audit_user *u = &a->users[i];

		if (!audit_user_reported(u))
			continue;
		fputs("nonet_escaped_processes{user=\"", f);
		label_value(f, u->name);
		fprintf(f, "\"} %u\n", u->escapes);
	}
}

static void metrics(FILE *f, const struct audit *a)
{
	sessions(f, a);
	escapes(f, a);
	family(f, "nonet_stale_records",
	       "Session records whose calling process is gone.");
	fprintf(f, "nonet_stale_records %u\n", audit_stale_records(a));
	family(f, "nonet_policy_errors",
	       "Errors that make the policy file unusable (0: it is fine).");
	fprintf(f, "nonet_policy_errors %u\n", a->s.policy_errors);
	family(f, "nonet_audit_timestamp_seconds",
	       "When the audit ran, in seconds since the epoch.");
	fprintf(f, "nonet_audit_timestamp_seconds %lld.%03ld\n",
		(long long)a->when.tv_sec, a->when.tv_nsec / 1000000);
}

/* Writes the metrics to the new file @fd (closed here); -1 with errno. */
static int write_file(int fd, const struct audit *a)
{
	FILE *f;

	/* The collector runs as another user: the file must be readable. */
	if (fchmod(fd, 0644) < 0 || !(f = fdopen(fd, "w"))) {
		close(fd);
		return -1;
	}
	metrics(f, a);
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) < 0) {
		int saved = errno ? errno : EIO;

		fclose(f);
		errno = saved;
		return -1;
	}
	return fclose(f) == 0 ? 0 : -1;
}

int audit_prometheus(const struct audit *a, const char *path)
{
	char *dir_copy = strdup(path), *base_copy = strdup(path), *tmp = NULL;
	int fd = -1, ret = -1;

	if (!dir_copy || !base_copy ||
	    asprintf(&tmp, "%s/.%s.XXXXXX", dirname(dir_copy),
		     basename(base_copy)) < 0) {
		tmp = NULL;
		goto out;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		goto out;
	if (write_file(fd, a) < 0 || rename(tmp, path) < 0) {
		int saved = errno;

		unlink(tmp);
		errno = saved;
		goto out;
	}
	ret = 0;
out:
	if (ret < 0)
		tool_error("audit: cannot write %s: %m", path);
	free(tmp);
	free(dir_copy);
	free(base_copy);
	return ret;
}
