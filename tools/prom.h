/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * prom: node_exporter textfile metrics (text exposition format 0.0.4),
 * written atomically, for `nonet audit --prometheus` and `nonet doctor
 * --prometheus`.
 */
#ifndef NONET_PROM_H
#define NONET_PROM_H

#include <stdio.h>

/* A label value: backslash, double quote and newline are escaped. */
void prom_label_value(FILE *f, const char *value);

/* "# HELP NAME HELP" and "# TYPE NAME gauge". */
void prom_family(FILE *f, const char *name, const char *help);

/*
 * Writes @path whole: @metrics(@f, @data) into a temporary file in the same
 * directory (a dot name not ending in .prom, which the collector skips),
 * renamed into place.  Returns 0, or -1 after saying why ("@cmd: cannot
 * write PATH: ...").
 */
int prom_write(const char *path, const char *cmd,
	       void (*metrics)(FILE *f, const void *data), const void *data);

#endif
