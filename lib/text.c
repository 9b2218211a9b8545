// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <string.h>

#include "text.h"

static size_t escaped_len(unsigned char c)
{
	return (c < 0x20 || c >= 0x7f || c == '\\') ? 4 : 1;
}

char *text_escape(char *dst, size_t size, const char *src)
{
	size_t out = 0, total = 0;

	if (!src)
		src = "(null)";
	for (const char *s = src; *s; s++)
		total += escaped_len((unsigned char)*s);
	for (; *src; src++) {
		unsigned char c = (unsigned char)*src;
		size_t need = escaped_len(c);

		/* Cut only what does not fit, keeping room for "...". */
		if (total + 1 > size && out + need + 4 > size) {
			memcpy(dst + out, "...", 4);
			return dst;
		}
		if (need == 4)
			snprintf(dst + out, 5, "\\x%02x", c);
		else
			dst[out] = (char)c;
		out += need;
	}
	dst[out] = '\0';
	return dst;
}
