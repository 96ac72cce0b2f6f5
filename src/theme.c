/*
 * theme.c: themes (SPEC 5): the folders under themes/ that hold a
 * style.css, and the chart colours of their theme.yml, each checked for
 * contrast against white (WCAG 2.2 SC 1.4.11: 3:1 for graphics, 4.5:1
 * for text).  Shared by the site and the mail summary so that both draw
 * the same PDF.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "chart.h"
#include "diag.h"
#include "theme.h"
#include "util.h"

static int
theme_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "govuk, nhs": the theme folders (with a style.css) under dir. */
static char *
theme_list(const char *dir)
{
	DIR		*d;
	struct dirent	*e;
	char		**names = NULL, *p;
	size_t		 n = 0, i;
	struct buf	 b;

	buf_init(&b);
	if ((d = opendir(dir)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			p = xasprintf("%s/%s/style.css", dir, e->d_name);
			if (util_is_file(p)) {
				names = xreallocarray(names, n + 1,
				    sizeof(*names));
				names[n++] = xstrdup(e->d_name);
			}
			free(p);
		}
		closedir(d);
	}
	if (n > 1)
		qsort(names, n, sizeof(*names), theme_name_cmp);
	for (i = 0; i < n; i++) {
		buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
		free(names[i]);
	}
	free(names);
	if (n == 0)
		buf_puts(&b, "none");
	return buf_release(&b);
}

static bool
theme_name_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return false;
	return true;
}

/* One "role: colour" pair of theme.yml's chart: mapping. */
static int
theme_colour(const char *path, const yaml_event_t *kev,
    const char *key, const char *val, struct chart_palette *pal)
{
	enum chart_role	 r;
	unsigned	 rgb;
	double		 cr, need;
	unsigned	 line = (unsigned)kev->start_mark.line + 1;
	unsigned	 col = (unsigned)kev->start_mark.column + 1;

	if (!chart_role_parse(key, &r)) {
		diag_error(path, line, col, "unknown chart colour \"%s\"", key);
		return -1;
	}
	if (!chart_colour_parse(val, &rgb)) {
		diag_error(path, line, col,
		    "\"%s\" is not a colour (use \"#rrggbb\", quoted)", val);
		return -1;
	}
	/* WCAG 2.2: 1.4.11 non-text contrast 3:1, 1.4.3 text 4.5:1;
	 * gridlines are not needed to read the chart. */
	need = r == CHART_ROLE_TEXT ? 4.5 : r == CHART_ROLE_GRID ? 1 : 3;
	cr = chart_contrast_white(rgb);
	if (cr < need) {
		diag_error(path, line, col, "chart colour %s for \"%s\" has "
		    "contrast %.2f:1 on white; at least %.1f:1 is needed",
		    val, key, cr, need);
		return -1;
	}
	memcpy(pal->colour[r], val, 8);
	return 0;
}

/* Reads themes/<name>/theme.yml: name: ..., chart: {role: "#rrggbb"}.
 * A missing file leaves the default palette. */
static int
theme_load(const char *path, struct chart_palette *pal)
{
	yaml_parser_t	 parser;
	yaml_event_t	 ev, kev;
	FILE		*f;
	int		 rc = 0, depth = 0, done = 0;
	char		*key = NULL, *section = NULL;
	bool		 have_key = false;

	chart_palette_default(pal);
	if ((f = fopen(path, "rb")) == NULL)
		return errno == ENOENT ? 0 : (diag_error(path, 0, 0,
		    "cannot read: %s", strerror(errno)), -1);
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	memset(&kev, 0, sizeof(kev));
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&parser, &ev)) {
			diag_error(path, (unsigned)parser.problem_mark.line + 1,
			    (unsigned)parser.problem_mark.column + 1, "%s",
			    parser.problem ? parser.problem : "YAML error");
			rc = -1;
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_MAPPING_START_EVENT:
			depth++;
			if (depth == 2 && (section == NULL ||
			    strcmp(section, "chart") != 0))
				rc = -1;
			if (depth > 2)
				rc = -1;
			if (rc)
				diag_error(path, (unsigned)ev.start_mark.line + 1,
				    (unsigned)ev.start_mark.column + 1,
				    "unexpected mapping");
			have_key = false;
			break;
		case YAML_MAPPING_END_EVENT:
			depth--;
			free(section);
			section = NULL;
			have_key = false;
			break;
		case YAML_SEQUENCE_START_EVENT:
			diag_error(path, (unsigned)ev.start_mark.line + 1,
			    (unsigned)ev.start_mark.column + 1,
			    "unexpected list");
			rc = -1;
			break;
		case YAML_SCALAR_EVENT: {
			const char *v = (const char *)ev.data.scalar.value;

			if (!have_key) {
				free(key);
				key = xstrdup(v);
				kev = ev;
				have_key = true;
				if (depth == 1 && strcmp(v, "chart") == 0) {
					free(section);
					section = xstrdup(v);
					have_key = false;
				} else if (depth == 1 && strcmp(v, "name") != 0) {
					diag_error(path,
					    (unsigned)ev.start_mark.line + 1,
					    (unsigned)ev.start_mark.column + 1,
					    "unknown key \"%s\" (expected name "
					    "or chart)", v);
					rc = -1;
				}
				break;
			}
			have_key = false;
			if (depth == 2)
				rc = theme_colour(path, &kev, key, v, pal);
			break;
		}
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	free(key);
	free(section);
	yaml_parser_delete(&parser);
	fclose(f);
	return rc;
}

int
theme_palette(const char *thdir, const char *theme, const char *who,
    struct chart_palette *pal)
{
	char	*dir, *css, *yml, *list;
	int	 rc = -1;

	dir = util_path_join(thdir, theme);
	css = util_path_join(dir, "style.css");
	yml = util_path_join(dir, "theme.yml");
	if (!theme_name_ok(theme) || !util_is_file(css)) {
		list = theme_list(thdir);
		diag_error(who, 0, 0, "unknown theme \"%s\" (available: %s)",
		    theme, list);
		free(list);
	} else
		rc = theme_load(yml, pal);
	free(yml);
	free(css);
	free(dir);
	return rc;
}
