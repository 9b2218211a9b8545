// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * table: columns chosen by name, drawn by libsmartcols (see table.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libsmartcols/libsmartcols.h>

#include "output.h"
#include "table.h"
#include "tool.h"

static int column_id(const struct table_info *infos, size_t n, const char *name,
		     size_t len)
{
	for (size_t i = 0; i < n; i++) {
		if (strlen(infos[i].name) == len &&
		    strncasecmp(infos[i].name, name, len) == 0)
			return (int)i;
	}
	return -1;
}

static int add_id(struct table *t, int id)
{
	if (t->ncols >= TABLE_COLUMNS_MAX) {
		tool_error("too many output columns");
		return -1;
	}
	t->ids[t->ncols++] = id;
	return 0;
}

/* -o NAME,NAME,...: each name must be one of infos[]. */
static int parse_output(struct table *t, const char *list)
{
	while (*list) {
		size_t len = strcspn(list, ",");
		int id = column_id(t->infos, t->ninfos, list, len);

		if (len && id < 0) {
			tool_error("unknown column: %.*s (see --help)",
				   (int)len, list);
			return -1;
		}
		if (len && add_id(t, id) < 0)
			return -1;
		list += len + (list[len] == ',');
	}
	return 0;
}

static int choose_columns(struct table *t, const int *defaults,
			  size_t ndefaults, const struct table_opts *opts)
{
	const char *output = opts->output;

	if (opts->output_all) {
		for (size_t i = 0; i < t->ninfos; i++)
			if (add_id(t, (int)i) < 0)
				return -1;
		return 0;
	}
	/* As lsns: "+LIST" extends the defaults, "LIST" replaces them. */
	if (!output || *output == '+') {
		for (size_t i = 0; i < ndefaults; i++)
			if (add_id(t, defaults[i]) < 0)
				return -1;
		if (output)
			output++;
	}
	if (output && parse_output(t, output) < 0)
		return -1;
	if (t->ncols == 0) {
		tool_error("no output column chosen");
		return -1;
	}
	return 0;
}

static int new_columns(struct table *t)
{
	for (size_t i = 0; i < t->ncols; i++) {
		const struct table_info *info = &t->infos[t->ids[i]];
		struct libscols_column *c;

		c = scols_table_new_column(t->tb, info->name, info->whint,
					   info->flags);
		if (!c || scols_column_set_json_type(c, info->json_type) < 0)
			return -1;
	}
	return 0;
}

int table_init(struct table *t, const struct table_info *infos, size_t ninfos,
	       const int *defaults, size_t ndefaults,
	       const struct table_opts *opts, const char *name)
{
	memset(t, 0, sizeof(*t));
	t->infos = infos;
	t->ninfos = ninfos;
	if (choose_columns(t, defaults, ndefaults, opts) < 0)
		return -1;
	t->tb = scols_new_table();
	if (!t->tb || scols_table_set_name(t->tb, name) < 0 ||
	    new_columns(t) < 0) {
		tool_error("cannot create the output table: %m");
		table_free(t);
		return -1;
	}
	scols_table_enable_json(t->tb, opts->json);
	scols_table_enable_raw(t->tb, opts->raw);
	scols_table_enable_noheadings(t->tb, opts->noheadings);
	return 0;
}

int table_add_row(struct table *t, table_cell_fn cell, const void *row)
{
	struct libscols_line *line = scols_table_new_line(t->tb, NULL);
	char buf[1024];

	if (!line) {
		errno = ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < t->ncols; i++) {
		const char *text = cell(row, t->ids[i], buf, sizeof(buf));

		/* An empty cell stays unset: JSON null (false if boolean). */
		if (text && *text && scols_line_set_data(line, i, text) < 0) {
			errno = ENOMEM;
			return -1;
		}
	}
	return 0;
}

bool table_has_rows(const struct table *t)
{
	return scols_table_get_nlines(t->tb) > 0;
}

int table_print(struct table *t, FILE *fp)
{
	if (scols_table_set_stream(t->tb, fp) < 0 ||
	    scols_print_table(t->tb) < 0)
		return -1;
	return ferror(fp) ? -1 : 0;
}

/* One cell as libsmartcols' JSON writer would type it. */
static void json_cell(struct out *o, const char *key, int type,
		      const char *data)
{
	char *end;
	long long n;

	if (type == SCOLS_JSON_BOOLEAN) {
		out_bool(o, key, NULL,
			 data && *data && *data != '0' && *data != 'N' &&
			     *data != 'n');
		return;
	}
	if (!data || !*data) {
		out_null(o, key, NULL);
		return;
	}
	if (type == SCOLS_JSON_NUMBER) {
		errno = 0;
		n = strtoll(data, &end, 10);
		if (!*end && !errno) {
			out_int(o, key, NULL, n);
			return;
		}
	}
	out_string(o, key, NULL, data);
}

void table_json_rows(struct table *t, struct out *o)
{
	char keys[TABLE_COLUMNS_MAX][32];
	size_t nlines = scols_table_get_nlines(t->tb);

	for (size_t i = 0; i < t->ncols; i++) {
		const char *name = t->infos[t->ids[i]].name;
		size_t k = 0;

		for (; k < sizeof(keys[i]) - 1 && name[k]; k++)
			keys[i][k] = (char)tolower((unsigned char)name[k]);
		keys[i][k] = '\0';
	}
	out_arr_open(o, scols_table_get_name(t->tb));
	for (size_t l = 0; l < nlines; l++) {
		struct libscols_line *line = scols_table_get_line(t->tb, l);

		out_obj_open(o, NULL);
		for (size_t i = 0; i < t->ncols; i++) {
			struct libscols_cell *c = scols_line_get_cell(line, i);

			json_cell(o, keys[i], t->infos[t->ids[i]].json_type,
				  c ? scols_cell_get_data(c) : NULL);
		}
		out_obj_close(o);
	}
	out_arr_close(o);
}

void table_free(struct table *t)
{
	scols_unref_table(t->tb);
	t->tb = NULL;
}

void table_print_help(FILE *fp, const struct table_info *infos, size_t n)
{
	fputs("\nAvailable output columns:\n", fp);
	for (size_t i = 0; i < n; i++)
		fprintf(fp, " %12s  %s\n", infos[i].name, infos[i].help);
}
