/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * output: one call prints a value either as text or as a JSON member, in
 * the spirit of iproute2's print_string(PRINT_ANY, key, fmt, value), but
 * with the state in a context the caller passes (no globals).
 *
 * Text mode: each value call prints @fmt (a printf format taking exactly
 * that value) when @fmt is not NULL; the open/close calls print nothing.
 * JSON mode: each value call adds a member "key": value to the enclosing
 * object, or an element to the enclosing array when @key is NULL; @fmt is
 * ignored.  The layout is iproute2's json_writer's, byte for byte: compact
 * ("[{"a":1,"b":[]}]") or, with @pretty, `ip -j -p`'s ("[ {", four spaces
 * per level, "[ "x","y" ]", "[ ]").
 *
 * Strings are escaped for JSON here and only here: '"' and '\\', \b \f \n
 * \r \t, other control bytes as \u00XX; other bytes (UTF-8 or not) are
 * copied as they are.
 *
 * Write errors: the functions return nothing; out_end() reports whether
 * any write failed (the stream's error flag) and flushes.
 */
#ifndef NONET_OUTPUT_H
#define NONET_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct out {
	FILE *fp;
	bool json;
	bool pretty;
	unsigned int depth; /* open objects and arrays */
	char sep;	    /* json_writer's: ',' once a value is out */
	bool any;	    /* some JSON was written (for out_end's newline) */
};

/* Prepares @o to print to @fp, as text or (@json) JSON, @pretty or not. */
void out_init(struct out *o, FILE *fp, bool json, bool pretty);

/* True in JSON mode: for output that has no JSON twin (or no text twin). */
bool out_is_json(const struct out *o);

/*
 * Opens an object / array: the member @key of the enclosing object, or an
 * element of the enclosing array (or the top-level value) when @key is
 * NULL.  JSON only; text mode prints nothing.  Close in reverse order.
 */
void out_obj_open(struct out *o, const char *key);
void out_obj_close(struct out *o);
void out_arr_open(struct out *o, const char *key);
void out_arr_close(struct out *o);

/* A string: text fprintf(@fmt, @value); JSON "key": "escaped value". */
void out_string(struct out *o, const char *key, const char *fmt,
		const char *value);

/* Numbers: text fprintf(@fmt, @value) (use PRIu64 / PRId64); JSON decimal. */
void out_uint(struct out *o, const char *key, const char *fmt, uint64_t value);
void out_int(struct out *o, const char *key, const char *fmt, int64_t value);

/* A bool: text fprintf(@fmt, "true" or "false"); JSON true / false. */
void out_bool(struct out *o, const char *key, const char *fmt, bool value);

/* A null: text fputs(@fmt) (no conversion); JSON null. */
void out_null(struct out *o, const char *key, const char *fmt);

/* Text only, printf-like; nothing in JSON mode. */
void out_textf(struct out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Ends the output: in JSON mode, the newline after the top-level value (as
 * iproute2 prints it).  Then flushes.  Returns 0, or -1 with errno if any
 * write to the stream failed (EIO when the stream lost the real errno).
 */
int out_end(struct out *o);

#endif
