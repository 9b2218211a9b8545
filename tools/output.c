// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * output: text or JSON through one set of calls.  The JSON layout follows
 * iproute2's lib/json_writer.c step by step (separator, end of line and
 * indent), because `nonet show -j -p` must match `ip -j -p` byte for byte.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>

#include "output.h"

void out_init(struct out *o, FILE *fp, bool json, bool pretty)
{
	*o = (struct out){.fp = fp, .json = json, .pretty = pretty};
}

bool out_is_json(const struct out *o)
{
	return o->json;
}

/* The separator owed before the next value, if any. */
static void json_eor(struct out *o)
{
	if (o->sep != '\0')
		putc(o->sep, o->fp);
	o->sep = ',';
	o->any = true;
}

/* Pretty only: a new line, indented four spaces per open level. */
static void json_eol(struct out *o)
{
	if (!o->pretty)
		return;
	putc('\n', o->fp);
	for (unsigned int i = 0; i < o->depth; i++)
		fputs("    ", o->fp);
}

static void json_puts(struct out *o, const char *s)
{
	putc('"', o->fp);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", o->fp); break;
		case '\\': fputs("\\\\", o->fp); break;
		case '\b': fputs("\\b", o->fp); break;
		case '\f': fputs("\\f", o->fp); break;
		case '\n': fputs("\\n", o->fp); break;
		case '\r': fputs("\\r", o->fp); break;
		case '\t': fputs("\\t", o->fp); break;
		default:
			/* iproute2 copies other control bytes raw: not JSON. */
			if (*p < 0x20)
				fprintf(o->fp, "\\u%04x", *p);
			else
				putc(*p, o->fp);
		}
	}
	putc('"', o->fp);
}

/* Starts a value: "key": in an object, or just the separator in an array. */
static void json_key(struct out *o, const char *key)
{
	if (!key)
		return; /* an array element: the value writes the separator */
	json_eor(o);
	json_eol(o);
	o->sep = '\0'; /* the value follows without a comma */
	json_puts(o, key);
	putc(':', o->fp);
	if (o->pretty)
		putc(' ', o->fp);
}

static void json_begin(struct out *o, const char *key, int c)
{
	json_key(o, key);
	json_eor(o);
	putc(c, o->fp);
	o->depth++;
	o->sep = '\0';
}

static void json_end(struct out *o, int c)
{
	if (o->depth > 0)
		o->depth--;
	if (o->sep != '\0')
		json_eol(o);
	putc(c, o->fp);
	o->sep = ',';
}

void out_obj_open(struct out *o, const char *key)
{
	if (o->json)
		json_begin(o, key, '{');
}

void out_obj_close(struct out *o)
{
	if (o->json)
		json_end(o, '}');
}

void out_arr_open(struct out *o, const char *key)
{
	if (!o->json)
		return;
	json_begin(o, key, '[');
	if (o->pretty)
		putc(' ', o->fp);
}

void out_arr_close(struct out *o)
{
	if (!o->json)
		return;
	if (o->pretty && o->sep != '\0')
		putc(' ', o->fp);
	o->sep = '\0'; /* no line break before "]": "[ "a","b" ]" */
	json_end(o, ']');
}

void out_string(struct out *o, const char *key, const char *fmt,
		const char *value)
{
	if (o->json) {
		json_key(o, key);
		json_eor(o);
		json_puts(o, value);
	} else if (fmt) {
		fprintf(o->fp, fmt, value);
	}
}

void out_uint(struct out *o, const char *key, const char *fmt, uint64_t value)
{
	if (o->json) {
		json_key(o, key);
		json_eor(o);
		fprintf(o->fp, "%" PRIu64, value);
	} else if (fmt) {
		fprintf(o->fp, fmt, value);
	}
}

void out_int(struct out *o, const char *key, const char *fmt, int64_t value)
{
	if (o->json) {
		json_key(o, key);
		json_eor(o);
		fprintf(o->fp, "%" PRId64, value);
	} else if (fmt) {
		fprintf(o->fp, fmt, value);
	}
}

void out_bool(struct out *o, const char *key, const char *fmt, bool value)
{
	const char *word = value ? "true" : "false";

	if (o->json) {
		json_key(o, key);
		json_eor(o);
		fputs(word, o->fp);
	} else if (fmt) {
		fprintf(o->fp, fmt, word);
	}
}

void out_null(struct out *o, const char *key, const char *fmt)
{
	if (o->json) {
		json_key(o, key);
		json_eor(o);
		fputs("null", o->fp);
	} else if (fmt) {
		fputs(fmt, o->fp);
	}
}

void out_textf(struct out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->json)
		return;
	va_start(ap, fmt);
	vfprintf(o->fp, fmt, ap);
	va_end(ap);
}

int out_end(struct out *o)
{
	if (o->json && o->any)
		putc('\n', o->fp);
	errno = 0;
	if (fflush(o->fp) == EOF || ferror(o->fp)) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}
