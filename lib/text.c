// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <string.h>

#include "text.h"

char *text_escape(char *dst, size_t size, const char *src)
{
	size_t out = 0;

	if (!src)
		src = "(null)";
	for (; *src; src++) {
		unsigned char c = (unsigned char)*src;
		int need = (c < 0x20 || c >= 0x7f || c == '\\') ? 4 : 1;

		/* Keep room for "..." and the NUL. */
		if (out + need + 4 > size) {
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
