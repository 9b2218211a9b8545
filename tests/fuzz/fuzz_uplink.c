// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_uplink: libFuzzer target for the ALLOW syntax of `nonet uplink up`.
 * The input, cut at its first NUL, is parsed; a refusal must be EINVAL
 * with a reason, an accepted word must format back into a word that
 * parses to the same entry and formats the same (the canonical form is a
 * fixed point), with no bit set past the prefix.  The corpus,
 * tests/fuzz/corpus/uplink, holds each form the man page names.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "uplink.h"

static void check_canonical(const struct uplink_allow *a)
{
	struct uplink_allow again;
	char text[128], text2[128];
	const char *why;

	if (uplink_allow_format(a, text, sizeof(text)) < 0 ||
	    uplink_allow_parse(text, &again, &why) < 0 ||
	    again.family != a->family ||
	    memcmp(again.addr, a->addr, sizeof(a->addr)) != 0 ||
	    again.prefixlen != a->prefixlen || again.port != a->port ||
	    again.proto != a->proto ||
	    uplink_allow_format(&again, text2, sizeof(text2)) < 0 ||
	    strcmp(text, text2) != 0)
		abort();
	for (unsigned int bit = a->prefixlen; bit < 128; bit++)
		if (a->addr[bit / 8] & (0x80 >> (bit % 8)))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uplink_allow a;
	const char *why = NULL;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&a, 0, sizeof(a));
	errno = 0;
	if (uplink_allow_parse(text, &a, &why) == 0)
		check_canonical(&a);
	else if (errno != EINVAL || !why || !*why)
		abort();
	free(text);
	return 0;
}
