/* SPDX-License-Identifier: GPL-2.0-or-later */
/* uplink_file: the one way the uplink code writes a file (private). */
#ifndef NONET_UPLINK_FILE_H
#define NONET_UPLINK_FILE_H

#include <stdio.h>

/*
 * Creates @path (0600, O_EXCL: it must not exist) and fills it with
 * @put(f, @data), which returns 0 or -1 with errno.  On failure nothing is
 * left at @path.  Returns 0, or -1 with errno.
 */
int uplink_file_write(const char *path, int (*put)(FILE *f, const void *data),
		      const void *data);

#endif
