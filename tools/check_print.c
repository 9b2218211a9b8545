// SPDX-License-Identifier: GPL-2.0-or-later
/* check_print: `nonet check`'s verdicts, as text or JSON. */
#include <stdio.h>

#include "check.h"
#include "output.h"
#include "tool.h"

void check_print_inert(struct out *o, const struct check_reasons *r,
		       const char *indent)
{
	char fmt[32];

	snprintf(fmt, sizeof(fmt), "%sinert: %%s\n", indent);
	out_arr_open(o, "inert");
	for (size_t i = 0; i < r->ninert; i++)
		out_string(o, NULL, fmt, r->inert[i]);
	out_arr_close(o);
}

void check_print(FILE *fp, const struct check_reasons *r, bool json, ino_t ino)
{
	struct out o;

	out_init(&o, fp, json, false);
	out_obj_open(&o, NULL);
	out_bool(&o, "isolated", NULL, r->count == 0);
	out_uint(&o, "netns", NULL, ino);
	out_arr_open(&o, "reasons");
	if (r->count == 0)
		out_textf(&o, "isolated\n");
	for (size_t i = 0; i < r->count; i++)
		out_string(&o, NULL, "%s\n", r->text[i]);
	out_arr_close(&o);
	check_print_inert(&o, r, "");
	out_obj_close(&o);
	out_end(&o);
}

void check_print_error(struct check_reasons *r)
{
	if (r->error[0])
		tool_error("%s", r->error);
	r->error[0] = '\0';
}
