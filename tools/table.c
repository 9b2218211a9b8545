// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * table: columns chosen by name, drawn by libsmartcols (see table.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libsmartcols/libsmartcols.h>

#include "table.h"
#include "tool.h"

static int column_id(const struct table_info *infos, size_t n,
		     const char *name, size_t len)
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

/*
 * libsmartcols writes {"NAME": [...]} and nothing else: the members of
 * @extra go in before its closing brace, so that one JSON object carries
 * the rows and what the command says about them as a whole.
 */
static int print_json_with(struct table *t, FILE *fp, const char *extra)
{
	const char *open = strchr(extra, '{'), *close = strrchr(extra, '}');
	char *text = NULL, *end;
	int ret = -1;

	if (scols_print_table_to_string(t->tb, &text) < 0 || !text)
		return -1;
	end = strrchr(text, '}');
	if (!end || !open || !close || close < open) {
		errno = EINVAL;
		goto out;
	}
	*end = '\0';
	while (end > text && end[-1] == '\n')
		*--end = '\0';
	if (close - open > 1)
		fprintf(fp, "%s,\n   %.*s\n}\n", text, (int)(close - open - 1),
			open + 1);
	else
		fprintf(fp, "%s\n}\n", text);
	ret = ferror(fp) ? -1 : 0;
out:
	free(text);
	return ret;
}

int table_print(struct table *t, FILE *fp, const char *extra)
{
	if (scols_table_is_json(t->tb) && extra)
		return print_json_with(t, fp, extra);
	if (scols_table_set_stream(t->tb, fp) < 0 ||
	    scols_print_table(t->tb) < 0)
		return -1;
	return ferror(fp) ? -1 : 0;
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
