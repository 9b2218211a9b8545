/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * table: the column machinery `nonet list` and `nonet audit` share, in the
 * manner of util-linux's lsns: one array of column descriptions (the
 * command's infos[]) drives -o/--output, --output-all, -n/--noheadings,
 * -r/--raw and -J/--json, and libsmartcols draws the table or the JSON.
 */
#ifndef NONET_TABLE_H
#define NONET_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define TABLE_COLUMNS_MAX 32

/* One column a command knows. */
struct table_info {
	const char *name; /* the header; lower-cased, the JSON key */
	double whint;	  /* width hint, as libsmartcols takes it */
	int flags;	  /* SCOLS_FL_* */
	int json_type;	  /* SCOLS_JSON_* */
	const char *help; /* one line, for --help and the man page */
};

/* What the user asked for on the command line. */
struct table_opts {
	const char *output; /* -o LIST, "+LIST" appends to the defaults */
	bool output_all;
	bool noheadings;
	bool raw;
	bool json;
};

/*
 * Gives the text of column @id (an index into infos[]) for one row: either
 * a constant string or @buf (of @size) filled in; NULL or "" for nothing
 * (JSON null, or false for a boolean column).
 */
typedef const char *(*table_cell_fn)(const void *row, int id, char *buf,
				     size_t size);

struct table {
	const struct table_info *infos;
	size_t ninfos;
	int ids[TABLE_COLUMNS_MAX]; /* the chosen columns, in order */
	size_t ncols;
	struct libscols_table *tb;
};

/*
 * Chooses the columns (@defaults, @ndefaults unless -o or --output-all) and
 * creates the table named @name (the JSON array's key).  Returns 0, or -1
 * after saying why (an unknown column, too many, no memory).
 */
int table_init(struct table *t, const struct table_info *infos, size_t ninfos,
	       const int *defaults, size_t ndefaults,
	       const struct table_opts *opts, const char *name);

/* Adds one row, asking @cell for each chosen column.  0, or -1 (ENOMEM). */
int table_add_row(struct table *t, table_cell_fn cell, const void *row);

/* Whether the table has any row. */
bool table_has_rows(const struct table *t);

/*
 * Prints the table on @fp, as text or (--json) libsmartcols' JSON
 * document {"NAME": [rows]}.  Returns 0, or -1 with errno.
 */
int table_print(struct table *t, FILE *fp);

/*
 * For a JSON document with more than the rows: the rows as the member
 * NAME (the table's name) of @o's open object, one object per row keyed by
 * the lower-case column names, valued by the columns' JSON types as
 * libsmartcols prints them (an empty cell is null, false if boolean).
 * @o's errors show in out_end().
 */
struct out;
void table_json_rows(struct table *t, struct out *o);

void table_free(struct table *t);

/* "Available output columns:" and each column's help, for --help. */
void table_print_help(FILE *fp, const struct table_info *infos, size_t n);

#endif
