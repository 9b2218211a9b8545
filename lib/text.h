/* SPDX-License-Identifier: GPL-2.0-or-later */
/* text: make untrusted strings safe to put in a log line or a message. */
#ifndef NONET_TEXT_H
#define NONET_TEXT_H

#include <stddef.h>

/* Enough for a log field: longer input is cut and ends in "...". */
#define TEXT_FIELD_MAX 256

/*
 * Copies @src into @dst (of @size bytes, at least 8), escaping backslash,
 * control bytes, DEL and bytes >= 0x80 as \xNN, so a name cannot forge or
 * break a log line.  A NULL @src gives "(null)".  Returns @dst.
 */
char *text_escape(char *dst, size_t size, const char *src);

#endif
