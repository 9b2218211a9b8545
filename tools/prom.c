// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * prom: node_exporter textfile metrics.  The collector may read the file
 * at any moment, so it is written whole under a temporary name in the same
 * directory and renamed into place; the temporary name starts with a dot
 * and does not end in .prom, so the collector never picks it up.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "prom.h"
#include "tool.h"

void prom_label_value(FILE *f, const char *value)
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

void prom_family(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* Writes the metrics to the new file @fd (closed here); -1 with errno. */
static int write_file(int fd, void (*metrics)(FILE *f, const void *data),
		      const void *data)
{
	FILE *f;

	/* The collector runs as another user: the file must be readable. */
	if (fchmod(fd, 0644) < 0 || !(f = fdopen(fd, "w"))) {
		close(fd);
		return -1;
	}
	metrics(f, data);
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) < 0) {
		int saved = errno ? errno : EIO;

		fclose(f);
		errno = saved;
		return -1;
	}
	return fclose(f) == 0 ? 0 : -1;
}

int prom_write(const char *path, const char *cmd,
	       void (*metrics)(FILE *f, const void *data), const void *data)
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
	if (write_file(fd, metrics, data) < 0 || rename(tmp, path) < 0) {
		int saved = errno;

		unlink(tmp);
		errno = saved;
		goto out;
	}
	ret = 0;
out:
	if (ret < 0)
		tool_error("%s: cannot write %s: %m", cmd, path);
	free(tmp);
	free(dir_copy);
	free(base_copy);
	return ret;
}
