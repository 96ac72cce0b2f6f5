/*
 * meta.c: libyaml events -> struct meta_node tree with positions, typed
 * getters, and the SPEC 3.1 (boardpack.yml) and 3.2 (front matter)
 * schemas.  libyaml marks are 0-based; the tree stores 1-based positions
 * in the file (line0 is the file line of the YAML's first line).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <yaml.h>

#include "diag.h"
#include "meta.h"
#include "util.h"

struct yctx {
	yaml_parser_t	 parser;
	const char	*file;
	const char	*text;
	size_t		 len;
	unsigned	 line0;
	bool		 syntax;	/* a syntax error stopped parsing */
	bool		 failed;	/* an error that spoils the tree */
	size_t		 errors;	/* anchors, aliases, duplicate keys */
	size_t		 depth;		/* open sequences and mappings */
};

/* Reports an anchor, alias or duplicate key; past META_MAX_ERRORS of
 * them (an alias bomb) gives up on the file.  Returns false then. */
static bool
yerror(struct yctx *y, const struct meta_node *n, const char *fmt,
    const char *arg)
{
	if (y->errors == META_MAX_ERRORS) {
		diag_error(y->file, n->line, n->col, "too many errors in this "
		    "YAML; giving up");
		y->errors++;
		y->failed = true;
		return false;
	}
	if (y->errors > META_MAX_ERRORS)
		return false;
	y->errors++;
	diag_error(y->file, n->line, n->col, fmt, arg);
	return true;
}

static void
node_clear(struct meta_node *n)
{
	size_t	 i;

	if (n->kind == META_MAP)
		for (i = 0; i < n->n; i++)
			node_clear(&n->keys[i]);
	if (n->kind != META_SCALAR)
		for (i = 0; i < n->n; i++)
			node_clear(&n->items[i]);
	free(n->keys);
	free(n->items);
	free(n->str);
	memset(n, 0, sizeof(*n));
}

void
meta_free(struct meta_node *n)
{
	if (n == NULL)
		return;
	node_clear(n);
	free(n);
}

static void
syntax_error(struct yctx *y)
{
	yaml_parser_t	*p = &y->parser;
	unsigned	 line, col;
	size_t		 i;

	y->syntax = y->failed = true;
	if (p->error == YAML_READER_ERROR) {
		/* Reader errors carry a byte offset, not a mark. */
		line = y->line0;
		col = 1;
		for (i = 0; i < p->problem_offset && i < y->len; i++) {
			if (y->text[i] == '\n') {
				line++;
				col = 1;
			} else
				col++;
		}
	} else {
		line = (unsigned)p->problem_mark.line + y->line0;
		col = (unsigned)p->problem_mark.column + 1;
	}
	diag_error(y->file, line, col, "%s",
	    p->problem != NULL ? p->problem : "invalid YAML");
}

static bool
next(struct yctx *y, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&y->parser, ev)) {
		syntax_error(y);
		return false;
	}
	return true;
}

static void
setpos(struct yctx *y, struct meta_node *n, const yaml_mark_t *m)
{
	n->line = (unsigned)m->line + y->line0;
	n->col = (unsigned)m->column + 1;
}

static bool build(struct yctx *, yaml_event_t *, struct meta_node *);

/* Builds the children of a sequence or mapping until its end event. */
static bool
build_children(struct yctx *y, struct meta_node *n)
{
	yaml_event_t	 ev;
	struct meta_node key, val;
	yaml_event_type_t end = n->kind == META_MAP ?
	    YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
	size_t		 i;
	bool		 dup;

	for (;;) {
		if (!next(y, &ev))
			return false;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			return true;
		}
		memset(&key, 0, sizeof(key));
		if (!build(y, &ev, &key)) {
			node_clear(&key);
			return false;
		}
		if (n->kind == META_SEQ) {
			n->items = xreallocarray(n->items, n->n + 1,
			    sizeof(*n->items));
			n->items[n->n++] = key;
			continue;
		}
		if (!next(y, &ev)) {
			node_clear(&key);
			return false;
		}
		memset(&val, 0, sizeof(val));
		if (!build(y, &ev, &val)) {
			node_clear(&key);
			node_clear(&val);
			return false;
		}
		dup = false;
		if (key.kind != META_SCALAR) {
			diag_error(y->file, key.line, key.col,
			    "keys must be plain strings");
			y->failed = true;
			dup = true;
		}
		for (i = 0; !dup && i < n->n; i++)
			if (strcmp(n->keys[i].str, key.str) == 0) {
				dup = true;
				if (!yerror(y, &key, "duplicate key \"%s\"",
				    key.str)) {
					node_clear(&key);
					node_clear(&val);
					return false;
				}
			}
		if (dup) {
			node_clear(&key);
			node_clear(&val);
			continue;
		}
		n->keys = xreallocarray(n->keys, n->n + 1, sizeof(*n->keys));
		n->items = xreallocarray(n->items, n->n + 1,
		    sizeof(*n->items));
		n->keys[n->n] = key;
		n->items[n->n++] = val;
	}
}

/* Builds the node that ev starts into n; takes ownership of ev. */
static bool
build(struct yctx *y, yaml_event_t *ev, struct meta_node *n)
{
	bool		 anchor = false, ok;

	setpos(y, n, &ev->start_mark);
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		/* never expanded, so an alias bomb costs nothing */
		y->failed = true;
		n->kind = META_SCALAR;
		n->str = xstrdup("");
		yaml_event_delete(ev);
		return yerror(y, n, "aliases are not allowed%s", "");
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor != NULL;
		n->kind = META_SCALAR;
		n->str = xstrndup((const char *)ev->data.scalar.value,
		    ev->data.scalar.length);
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor != NULL;
		n->kind = META_SEQ;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor != NULL;
		n->kind = META_MAP;
		break;
	default:
		diag_error(y->file, n->line, n->col, "unexpected YAML event");
		y->failed = true;
		yaml_event_delete(ev);
		return false;
	}
	yaml_event_delete(ev);
	if (anchor && !yerror(y, n, "anchors are not allowed%s", ""))
		return false;
	if (n->kind == META_SCALAR)
		return true;
	if (y->depth == META_MAX_DEPTH) {
		diag_error(y->file, n->line, n->col, "YAML nested too deeply "
		    "(more than %d levels)", META_MAX_DEPTH);
		y->failed = true;
		return false;
	}
	y->depth++;
	ok = build_children(y, n);
	y->depth--;
	return ok;
}

struct meta_node *
meta_parse(const char *text, size_t len, const char *file, unsigned line0)
{
	struct yctx	 y;
	yaml_event_t	 ev;
	struct meta_node *root;
	bool		 ok = false;

	memset(&y, 0, sizeof(y));
	y.file = file;
	y.text = text;
	y.len = len;
	y.line0 = line0;
	root = xcalloc(1, sizeof(*root));
	root->kind = META_MAP;
	root->line = line0;
	root->col = 1;
	if (!yaml_parser_initialize(&y.parser))
		abort();
	yaml_parser_set_input_string(&y.parser, (const unsigned char *)text,
	    len);
	if (!next(&y, &ev))
		goto out;
	yaml_event_delete(&ev);		/* stream start */
	if (!next(&y, &ev))
		goto out;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		ok = true;
		goto out;
	}
	yaml_event_delete(&ev);		/* document start */
	if (!next(&y, &ev))
		goto out;
	if (!build(&y, &ev, root))
		goto out;
	if (root->kind == META_SCALAR && root->plain && root->str[0] == '\0') {
		/* A document holding only "~" or nothing: no keys. */
		node_clear(root);
		root->kind = META_MAP;
		root->line = line0;
		root->col = 1;
	} else if (root->kind != META_MAP) {
		diag_error(file, root->line, root->col, "expected a mapping "
		    "of keys (key: value), not a %s",
		    root->kind == META_SEQ ? "list" : "string");
		y.failed = true;
	}
	if (!next(&y, &ev))		/* document end */
		goto out;
	yaml_event_delete(&ev);
	if (!next(&y, &ev))
		goto out;
	if (ev.type != YAML_STREAM_END_EVENT) {
		diag_error(file, (unsigned)ev.start_mark.line + line0,
		    (unsigned)ev.start_mark.column + 1,
		    "only one YAML document is allowed");
		y.failed = true;
	}
	yaml_event_delete(&ev);
	ok = true;
out:
	yaml_parser_delete(&y.parser);
	if (!ok || y.failed) {
		meta_free(root);
		return NULL;
	}
	return root;
}

const struct meta_node *
meta_get(const struct meta_node *map, const char *key,
    const struct meta_node **k)
{
	size_t	 i;

	if (k != NULL)
		*k = NULL;
	if (map == NULL || map->kind != META_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (strcmp(map->keys[i].str, key) == 0) {
			if (k != NULL)
				*k = &map->keys[i];
			return &map->items[i];
		}
	return NULL;
}

bool
meta_is_null(const struct meta_node *v)
{
	return v->kind == META_SCALAR && v->plain &&
	    (v->str[0] == '\0' || strcmp(v->str, "~") == 0 ||
	    strcmp(v->str, "null") == 0 || strcmp(v->str, "Null") == 0 ||
	    strcmp(v->str, "NULL") == 0);
}

size_t
meta_check_keys(const struct meta_node *map, const char *file,
    const char *const *allowed)
{
	const struct meta_node *k;
	const char	*s;
	size_t		 i, j, bad = 0;

	if (map == NULL || map->kind != META_MAP)
		return 0;
	for (i = 0; i < map->n; i++) {
		k = &map->keys[i];
		for (j = 0; allowed[j] != NULL; j++)
			if (strcmp(allowed[j], k->str) == 0)
				break;
		if (allowed[j] != NULL)
			continue;
		bad++;
		if ((s = diag_suggest(k->str, allowed)) != NULL)
			diag_error(file, k->line, k->col, "unknown key \"%s\" "
			    "(did you mean \"%s\"?)", k->str, s);
		else
			diag_error(file, k->line, k->col, "unknown key \"%s\"",
			    k->str);
	}
	return bad;
}

static const char *
kind_name(const struct meta_node *v)
{
	switch (v->kind) {
	case META_SEQ:
		return "a list";
	case META_MAP:
		return "a mapping";
	default:
		return "a string";
	}
}

/* Reports v unless it is a non-null scalar. */
static bool
need_scalar(const struct meta_node *v, const char *file, const char *key,
    const char *type)
{
	if (v->kind != META_SCALAR) {
		diag_error(file, v->line, v->col,
		    "key \"%s\" must be %s, not %s", key, type, kind_name(v));
		return false;
	}
	if (meta_is_null(v)) {
		diag_error(file, v->line, v->col,
		    "key \"%s\" needs a value (%s)", key, type);
		return false;
	}
	return true;
}

bool
meta_string(const struct meta_node *v, const char *file, const char *key,
    char **out)
{
	if (!need_scalar(v, file, key, "a string"))
		return false;
	*out = xstrdup(v->str);
	return true;
}

/* NaN, .inf, Infinity, or a number too large to be finite (1e999). */
static bool
non_finite(const char *s)
{
	char	*end;
	double	 d;

	while (*s == '+' || *s == '-' || *s == '.')
		s++;
	if (strcasecmp(s, "nan") == 0 || strcasecmp(s, "inf") == 0 ||
	    strcasecmp(s, "infinity") == 0)
		return true;
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	d = strtod(s, &end);
	return *end == '\0' && errno == ERANGE && d != 0;
}

bool
meta_number(const struct meta_node *v, const char *file, const char *key,
    double *out)
{
	if (!need_scalar(v, file, key, "a number"))
		return false;
	if (util_parse_double(v->str, out))
		return true;
	if (non_finite(v->str))
		diag_error(file, v->line, v->col, "\"%s\" is not a finite "
		    "number (key \"%s\")", v->str, key);
	else
		diag_error(file, v->line, v->col, "\"%s\" is not a number "
		    "(key \"%s\")", v->str, key);
	return false;
}

bool
meta_integer(const struct meta_node *v, const char *file, const char *key,
    long *out)
{
	double	 d;

	if (!need_scalar(v, file, key, "an integer"))
		return false;
	if (util_parse_long(v->str, out))
		return true;
	if (util_parse_double(v->str, &d) && d == floor(d))
		diag_error(file, v->line, v->col, "\"%s\" is too large (key "
		    "\"%s\")", v->str, key);
	else if (util_parse_double(v->str, &d))
		diag_error(file, v->line, v->col, "\"%s\" is not an integer "
		    "(key \"%s\")", v->str, key);
	else
		diag_error(file, v->line, v->col, "\"%s\" is not a number "
		    "(key \"%s\")", v->str, key);
	return false;
}

bool
meta_bool(const struct meta_node *v, const char *file, const char *key,
    bool *out)
{
	static const char *const yes[] = { "true", "yes", "on", NULL };
	static const char *const no[] = { "false", "no", "off", NULL };
	size_t	 i;

	if (!need_scalar(v, file, key, "true or false"))
		return false;
	for (i = 0; yes[i] != NULL; i++)
		if (strcasecmp(v->str, yes[i]) == 0) {
			*out = true;
			return true;
		}
	for (i = 0; no[i] != NULL; i++)
		if (strcasecmp(v->str, no[i]) == 0) {
			*out = false;
			return true;
		}
	diag_error(file, v->line, v->col, "\"%s\" is not true or false "
	    "(key \"%s\")", v->str, key);
	return false;
}

/* ---- schema helpers: each returns 1 if set, 0 if absent, -1 on error */

enum bound {
	B_ANY,
	B_GE0,		/* >= 0 */
	B_GT0		/* > 0 */
};

static int
get_str(const char *file, const struct meta_node *map, const char *key,
    char **out)
{
	const struct meta_node *v = meta_get(map, key, NULL);
	char	*s;

	if (v == NULL)
		return 0;
	if (!meta_string(v, file, key, &s))
		return -1;
	free(*out);
	*out = s;
	return 1;
}

static bool
check_bound(const struct meta_node *v, const char *file, const char *key,
    double d, enum bound b)
{
	if (b == B_GE0 && !(d >= 0)) {
		diag_error(file, v->line, v->col, "\"%s\" must be >= 0", key);
		return false;
	}
	if (b == B_GT0 && !(d > 0)) {
		diag_error(file, v->line, v->col, "\"%s\" must be > 0", key);
		return false;
	}
	return true;
}

static int
get_num(const char *file, const struct meta_node *map, const char *key,
    double *out, enum bound b)
{
	const struct meta_node *v = meta_get(map, key, NULL);
	double	 d;

	if (v == NULL)
		return 0;
	if (!meta_number(v, file, key, &d) || !check_bound(v, file, key, d, b))
		return -1;
	*out = d;
	return 1;
}

static int
get_int(const char *file, const struct meta_node *map, const char *key,
    long *out, enum bound b, long max)
{
	const struct meta_node *v = meta_get(map, key, NULL);
	long	 l;

	if (v == NULL)
		return 0;
	if (!meta_integer(v, file, key, &l) ||
	    !check_bound(v, file, key, (double)l, b))
		return -1;
	if (max > 0 && l > max) {
		diag_error(file, v->line, v->col, "\"%s\" must be <= %ld",
		    key, max);
		return -1;
	}
	*out = l;
	return 1;
}

/* Value of key if it is a mapping; reports other kinds.  *k gets the
 * key node. */
static const struct meta_node *
get_map(const char *file, const struct meta_node *map, const char *key,
    const struct meta_node **k, bool *bad)
{
	const struct meta_node *v = meta_get(map, key, k);

	if (v == NULL)
		return NULL;
	if (v->kind != META_MAP) {
		diag_error(file, v->line, v->col,
		    "key \"%s\" must be a mapping, not %s", key, kind_name(v));
		*bad = true;
		return NULL;
	}
	return v;
}

static void
missing(const char *file, const struct meta_node *at, const char *key,
    const char *in)
{
	if (in != NULL)
		diag_error(file, at->line, at->col,
		    "missing required key \"%s\" in \"%s\"", key, in);
	else
		diag_error(file, at->line, at->col,
		    "missing required key \"%s\"", key);
}

/* Matches a scalar against a fixed set of words; reports otherwise. */
static int
get_enum(const char *file, const struct meta_node *map, const char *key,
    const char *const *words, const char *expect)
{
	const struct meta_node *v = meta_get(map, key, NULL);
	const char	*s;
	size_t		 i;

	if (v == NULL)
		return -2;
	if (!need_scalar(v, file, key, "a string"))
		return -1;
	for (i = 0; words[i] != NULL; i++)
		if (strcmp(words[i], v->str) == 0)
			return (int)i;
	if ((s = diag_suggest(v->str, words)) != NULL)
		diag_error(file, v->line, v->col, "\"%s\" is not a valid %s "
		    "(did you mean \"%s\"?)", v->str, key, s);
	else
		diag_error(file, v->line, v->col, "\"%s\" is not a valid %s "
		    "(expected %s)", v->str, key, expect);
	return -1;
}

/* ---- SPEC 3.1 boardpack.yml */

int
meta_pack(struct pack *p, const struct meta_node *root)
{
	static const char *const keys[] = { "title", "organisation", "date",
	    "period_label", "theme", "author", "contact", "meeting",
	    "agenda_item", "purpose", "presenter", "recommendation",
	    "key_issues", "previously_considered", "mail",
	    "pack_pdf_services", NULL };
	static const char *const mailkeys[] = { "from", "subject", NULL };
	static const char *const purposes[] = { "Assurance", "Information",
	    "Discussion", "Decision", NULL };
	const char	*f = p->config_path;
	const struct meta_node *v, *m;
	size_t		 before = diag_errors(), i;
	int64_t		 day;
	bool		 bad = false;

	meta_check_keys(root, f, keys);
	if (get_str(f, root, "title", &p->title) == 0)
		missing(f, root, "title", NULL);
	get_str(f, root, "organisation", &p->organisation);
	if (get_str(f, root, "date", &p->date) == 1 &&
	    !util_day_parse(p->date, &day)) {
		v = meta_get(root, "date", NULL);
		diag_error(f, v->line, v->col, "\"%s\" is not a valid date "
		    "(key \"date\", expected YYYY-MM-DD)", p->date);
		free(p->date);
		p->date = NULL;
	}
	get_str(f, root, "period_label", &p->period_label);
	if (get_str(f, root, "theme", &p->theme) == 1 &&
	    (p->theme[0] == '\0' || p->theme[0] == '.' ||
	    strspn(p->theme, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != strlen(p->theme))) {
		v = meta_get(root, "theme", NULL);
		diag_error(f, v->line, v->col, "\"%s\" is not a valid theme "
		    "name (letters, digits, '.', '_' and '-')", p->theme);
	}
	if (p->theme == NULL)
		p->theme = xstrdup("nhs");
	get_str(f, root, "author", &p->author);
	get_str(f, root, "contact", &p->contact);
	get_str(f, root, "meeting", &p->meeting);
	get_str(f, root, "agenda_item", &p->agenda_item);
	if (get_enum(f, root, "purpose", purposes,
	    "Assurance, Information, Discussion or Decision") >= 0)
		get_str(f, root, "purpose", &p->purpose);
	get_str(f, root, "presenter", &p->presenter);
	get_str(f, root, "recommendation", &p->recommendation);
	get_str(f, root, "previously_considered", &p->previously_considered);
	p->pack_pdf_services = 50;
	get_int(f, root, "pack_pdf_services", &p->pack_pdf_services, B_GE0,
	    0);

	if ((v = meta_get(root, "key_issues", NULL)) != NULL) {
		if (v->kind != META_SEQ)
			diag_error(f, v->line, v->col, "key \"key_issues\" "
			    "must be a list, not %s", kind_name(v));
		else if (v->n > 5)
			diag_error(f, v->items[5].line, v->items[5].col,
			    "\"key_issues\" has %zu items; at most 5 fit on "
			    "the cover", v->n);
		else {
			p->key_issues = xcalloc(v->n ? v->n : 1,
			    sizeof(*p->key_issues));
			for (i = 0; i < v->n; i++)
				if (meta_string(&v->items[i], f, "key_issues",
				    &p->key_issues[p->nkey_issues]))
					p->nkey_issues++;
		}
	}
	if ((m = get_map(f, root, "mail", NULL, &bad)) != NULL) {
		meta_check_keys(m, f, mailkeys);
		get_str(f, m, "from", &p->mail_from);
		get_str(f, m, "subject", &p->mail_subject);
	}
	return diag_errors() > before ? -1 : 0;
}

/* ---- SPEC 3.2 front matter */

/* Removes "." and "dir/.." components lexically, so that messages name
 * content/data/x.csv rather than content/services/../data/x.csv. */
static char *
path_clean(const char *path)
{
	char	*copy = xstrdup(path), *s, *save, **parts;
	size_t	 n = 0, i;
	bool	 abs = path[0] == '/';
	struct buf b;

	parts = xcalloc(strlen(path) + 1, sizeof(*parts));
	for (s = copy; s != NULL; s = save) {
		save = strchr(s, '/');
		if (save != NULL)
			*save++ = '\0';
		if (s[0] == '\0' || strcmp(s, ".") == 0)
			continue;
		if (strcmp(s, "..") == 0 && n > 0 &&
		    strcmp(parts[n - 1], "..") != 0) {
			n--;
			continue;
		}
		if (strcmp(s, "..") == 0 && n == 0 && abs)
			continue;
		parts[n++] = s;
	}
	buf_init(&b);
	if (abs)
		buf_putc(&b, '/');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(&b, '/');
		buf_puts(&b, parts[i]);
	}
	if (b.len == 0)
		buf_putc(&b, '.');
	free(parts);
	free(copy);
	return buf_release(&b);
}

/* Is the clean relative or absolute path p at or under the clean
 * directory root?  Lexical: no file system access. */
static bool
path_under(const char *root, const char *p)
{
	size_t	 n = strlen(root);

	if (strcmp(root, ".") == 0)
		return p[0] != '/' && strcmp(p, "..") != 0 &&
		    strncmp(p, "../", 3) != 0;
	return strncmp(p, root, n) == 0 && (p[n] == '/' || p[n] == '\0');
}

/* Is no component of the clean path p below the clean directory root
 * (p lexically under root) a symbolic link?  Then p resolves to root's
 * real path plus the rest, inside root, with an lstat per component
 * instead of two realpath calls (a getcwd and a readlink per component
 * each): most data files are plain files in a plain data/. */
static bool
no_links_below(const char *root, const char *p)
{
	struct stat	 st;
	char		 buf[PATH_MAX];
	size_t		 i, n = strlen(p);

	if (n >= sizeof(buf))
		return false;
	memcpy(buf, p, n + 1);
	i = strcmp(root, ".") == 0 ? 0 : strlen(root) + 1;
	for (; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (lstat(buf, &st) == -1 || S_ISLNK(st.st_mode))
			return false;
		buf[i] = p[i];
	}
	return true;
}

/* Does the existing file p, lexically under root, resolve (through
 * symbolic links) to a place inside the directory root?  True when
 * either cannot be resolved: the caller reports a missing file
 * itself. */
static bool
real_under(const char *root, const char *p)
{
	char	 rroot[PATH_MAX], rp[PATH_MAX];

	if (no_links_below(root, p))
		return true;
	if (realpath(root, rroot) == NULL || realpath(p, rp) == NULL)
		return true;
	if (strcmp(rroot, "/") == 0)
		return true;
	return path_under(rroot, rp);
}

static void
req_add(struct series_req **reqs, size_t *n, const char *col,
    enum series_role role, const char *file, const struct meta_node *at)
{
	*reqs = xreallocarray(*reqs, *n + 1, sizeof(**reqs));
	(*reqs)[*n].column = col;
	(*reqs)[*n].role = role;
	(*reqs)[*n].pos.file = file;
	(*reqs)[*n].pos.line = at->line;
	(*reqs)[*n].pos.col = at->col;
	(*n)++;
}

static void
parse_rebase(struct service *svc, struct metric_def *md,
    const struct meta_node *v, bool period_ok)
{
	const char	*f = svc->path;
	const struct meta_node *d;
	size_t		 i, cnt;
	char		 form[32];

	if (v->kind == META_MAP) {
		diag_error(f, v->line, v->col, "key \"rebase\" must be a list "
		    "of dates, not a mapping");
		return;
	}
	cnt = v->kind == META_SEQ ? v->n : 1;
	md->rebase = xcalloc(cnt ? cnt : 1, sizeof(*md->rebase));
	for (i = 0; i < cnt; i++) {
		d = v->kind == META_SEQ ? &v->items[i] : v;
		if (!need_scalar(d, f, "rebase", "a date"))
			continue;
		if (!period_ok)
			continue;
		if (!util_date_parse(d->str, svc->period,
		    &md->rebase[md->nrebase])) {
			util_date_format(form, sizeof(form), svc->period, 0);
			diag_error(f, d->line, d->col, "\"%s\" is not a valid "
			    "date for period \"%s\" (key \"rebase\", like %s)",
			    d->str, util_period_name(svc->period), form);
			continue;
		}
		md->nrebase++;
	}
}

static void
parse_metrics(struct service *svc, const struct meta_node *v, bool period_ok,
    struct series_req **reqs, size_t *nreqs)
{
	static const char *const keys[] = { "column", "label", "unit",
	    "improvement", "target", "rebase", "fix_after", "screen_outliers",
	    NULL };
	static const char *const dirs[] = { "neutral", "increase", "decrease",
	    NULL };
	const char	*f = svc->path;
	const struct meta_node *m, *c, *ck, *r;
	struct metric_def *md;
	size_t		 i;
	long		 l;
	int		 e;

	if (v->kind != META_SEQ) {
		diag_error(f, v->line, v->col, "key \"metrics\" must be a list, "
		    "not %s", kind_name(v));
		return;
	}
	svc->metrics = xcalloc(v->n ? v->n : 1, sizeof(*svc->metrics));
	for (i = 0; i < v->n; i++) {
		m = &v->items[i];
		if (m->kind != META_MAP) {
			diag_error(f, m->line, m->col, "each \"metrics\" entry "
			    "must be a mapping (column: ...), not %s",
			    kind_name(m));
			continue;
		}
		md = &svc->metrics[svc->nmetrics++];
		md->screen_outliers = true;
		md->pos.file = f;
		md->pos.line = m->line;
		md->pos.col = m->col;
		meta_check_keys(m, f, keys);
		c = meta_get(m, "column", &ck);
		if (c == NULL)
			missing(f, m, "column", "metrics");
		else if (meta_string(c, f, "column", &md->column)) {
			md->pos.line = ck->line;
			md->pos.col = ck->col;
			req_add(reqs, nreqs, md->column, SERIES_METRIC, f, c);
		}
		get_str(f, m, "label", &md->label);
		if (md->label == NULL && md->column != NULL)
			md->label = xstrdup(md->column);
		get_str(f, m, "unit", &md->unit);
		if ((e = get_enum(f, m, "improvement", dirs,
		    "increase, decrease or neutral")) >= 0)
			md->improvement = e == 1 ? IMPROVE_INCREASE :
			    e == 2 ? IMPROVE_DECREASE : IMPROVE_NEUTRAL;
		if (get_num(f, m, "target", &md->target, B_ANY) == 1)
			md->has_target = true;
		if ((r = meta_get(m, "rebase", NULL)) != NULL)
			parse_rebase(svc, md, r, period_ok);
		if (get_int(f, m, "fix_after", &l, B_ANY, 0) == 1) {
			if (l < 12) {
				r = meta_get(m, "fix_after", NULL);
				diag_error(f, r->line, r->col,
				    "\"fix_after\" must be >= 12");
			} else
				md->fix_after = (size_t)l;
		}
		if ((r = meta_get(m, "screen_outliers", NULL)) != NULL)
			meta_bool(r, f, "screen_outliers", &md->screen_outliers);
	}
}

static void
parse_scenarios(struct service *svc, const struct meta_node *v)
{
	static const char *const keys[] = { "name", "capacity_add",
	    "capacity_factor", "demand_factor", "cost_per_period", NULL };
	const char	*f = svc->path;
	const struct meta_node *m;
	struct scenario_def *sd;
	size_t		 i;

	if (v->kind != META_SEQ) {
		diag_error(f, v->line, v->col, "key \"scenarios\" must be a "
		    "list, not %s", kind_name(v));
		return;
	}
	svc->scenarios = xcalloc(v->n ? v->n : 1, sizeof(*svc->scenarios));
	for (i = 0; i < v->n; i++) {
		m = &v->items[i];
		if (m->kind != META_MAP) {
			diag_error(f, m->line, m->col, "each \"scenarios\" "
			    "entry must be a mapping (name: ...), not %s",
			    kind_name(m));
			continue;
		}
		sd = &svc->scenarios[svc->nscenarios++];
		sd->capacity_factor = 1;
		sd->demand_factor = 1;
		sd->pos.file = f;
		sd->pos.line = m->line;
		sd->pos.col = m->col;
		meta_check_keys(m, f, keys);
		if (get_str(f, m, "name", &sd->name) == 0)
			missing(f, m, "name", "scenarios");
		get_num(f, m, "capacity_add", &sd->capacity_add, B_ANY);
		get_num(f, m, "capacity_factor", &sd->capacity_factor, B_GE0);
		get_num(f, m, "demand_factor", &sd->demand_factor, B_GE0);
		get_num(f, m, "cost_per_period", &sd->cost_per_period, B_GE0);
	}
}

/* demand:, capacity:, backlog:, target_wait_days and queue:. */
static void
parse_flow(struct service *svc, const struct meta_node *root,
    struct series_req **reqs, size_t *nreqs)
{
	static const char *const dkeys[] = { "column", "minutes_per_case",
	    NULL };
	static const char *const ckeys[] = { "column", "resources",
	    "minutes_per_resource", NULL };
	static const char *const bkeys[] = { "column", "start", NULL };
	static const char *const qkeys[] = { "factor", "relief_periods",
	    "cv_demand", "cv_capacity", NULL };
	const char	*f = svc->path;
	const struct meta_node *d, *c, *b, *q, *dk, *ck, *bk, *v, *k;
	bool		 bad = false;

	d = get_map(f, root, "demand", &dk, &bad);
	c = get_map(f, root, "capacity", &ck, &bad);
	b = get_map(f, root, "backlog", &bk, &bad);
	svc->has_demand = d != NULL;
	svc->has_capacity = c != NULL;

	if (d != NULL) {
		meta_check_keys(d, f, dkeys);
		if ((v = meta_get(d, "column", NULL)) == NULL)
			missing(f, dk, "column", "demand");
		else if (meta_string(v, f, "column", &svc->demand_column))
			req_add(reqs, nreqs, svc->demand_column,
			    SERIES_DEMAND, f, v);
		if (get_num(f, d, "minutes_per_case", &svc->minutes_per_case,
		    B_GE0) == 0)
			missing(f, dk, "minutes_per_case", "demand");
		if (meta_get(root, "target_wait_days", NULL) == NULL)
			diag_error(f, dk->line, dk->col, "missing required key "
			    "\"target_wait_days\" (required with \"demand\")");
		if (c == NULL && meta_get(root, "capacity", NULL) == NULL)
			diag_error(f, dk->line, dk->col, "\"demand\" needs "
			    "\"capacity\" too");
	}
	if (c != NULL) {
		meta_check_keys(c, f, ckeys);
		v = meta_get(c, "column", NULL);
		if (v != NULL && (q = meta_get(c, "resources", &k)) != NULL)
			diag_error(f, k->line, k->col, "\"capacity\" takes "
			    "exactly one of \"column\" and \"resources\"");
		else if (v != NULL) {
			if (meta_string(v, f, "column", &svc->capacity_column))
				req_add(reqs, nreqs, svc->capacity_column,
				    SERIES_CAPACITY, f, v);
		} else if (get_num(f, c, "resources", &svc->resources,
		    B_GE0) == 0)
			diag_error(f, ck->line, ck->col, "\"capacity\" takes "
			    "exactly one of \"column\" and \"resources\"");
		if (get_num(f, c, "minutes_per_resource",
		    &svc->minutes_per_resource, B_GE0) == 0)
			missing(f, ck, "minutes_per_resource", "capacity");
		if (d == NULL && meta_get(root, "demand", NULL) == NULL)
			diag_error(f, ck->line, ck->col, "\"capacity\" needs "
			    "\"demand\" too");
	}
	if (b != NULL) {
		meta_check_keys(b, f, bkeys);
		if (meta_get(root, "demand", NULL) == NULL ||
		    meta_get(root, "capacity", NULL) == NULL)
			diag_error(f, bk->line, bk->col, "\"backlog\" needs "
			    "\"demand\" and \"capacity\"");
		if ((v = meta_get(b, "column", NULL)) != NULL &&
		    meta_string(v, f, "column", &svc->backlog_column))
			req_add(reqs, nreqs, svc->backlog_column,
			    SERIES_BACKLOG, f, v);
		get_num(f, b, "start", &svc->backlog_start, B_GE0);
	}
	if (get_num(f, root, "target_wait_days", &svc->target_wait_days,
	    B_GT0) == 1)
		svc->has_target_wait = true;

	svc->queue_factor = 4;
	if ((q = get_map(f, root, "queue", NULL, &bad)) != NULL) {
		meta_check_keys(q, f, qkeys);
		get_num(f, q, "factor", &svc->queue_factor, B_GT0);
		if (get_num(f, q, "relief_periods", &svc->relief_periods,
		    B_GT0) == 1)
			svc->has_relief_periods = true;
		if (get_num(f, q, "cv_demand", &svc->cv_demand, B_GE0) == 1)
			svc->has_cv_demand = true;
		if (get_num(f, q, "cv_capacity", &svc->cv_capacity,
		    B_GE0) == 1)
			svc->has_cv_capacity = true;
	}
}

int
meta_service(struct service *svc, const struct meta_node *root,
    struct series_req **reqs, size_t *nreqs, bool *period_ok)
{
	static const char *const keys[] = { "title", "owner", "domain",
	    "order", "data", "date_column", "period", "demand", "capacity",
	    "backlog", "target_wait_days", "queue", "metrics", "scenarios",
	    "simulation", NULL };
	static const char *const periods[] = { "hour", "day", "week", "month",
	    NULL };
	static const char *const skeys[] = { "horizon", "paths", "seed",
	    NULL };
	const char	*f = svc->path;
	const struct meta_node *v, *s, *dc;
	size_t		 before = diag_errors();
	char		*dir, *joined, *top;
	long		 l;
	int		 e;
	bool		 bad = false, needs_data;

	*reqs = NULL;
	*nreqs = 0;
	*period_ok = true;
	meta_check_keys(root, f, keys);
	if (get_str(f, root, "title", &svc->title) == 0)
		missing(f, root, "title", NULL);
	get_str(f, root, "owner", &svc->owner);
	get_str(f, root, "domain", &svc->domain);
	if (get_int(f, root, "order", &svc->order, B_ANY, 0) == 1)
		svc->has_order = true;

	svc->period = PERIOD_DAY;
	e = get_enum(f, root, "period", periods, "hour, day, week or month");
	if (e >= 0)
		svc->period = (enum period)e;
	else if (e == -1)
		*period_ok = false;

	/* The date column goes first in reqs. */
	req_add(reqs, nreqs, "", SERIES_DATE, f, root);
	parse_flow(svc, root, reqs, nreqs);
	if ((v = meta_get(root, "metrics", NULL)) != NULL)
		parse_metrics(svc, v, *period_ok, reqs, nreqs);
	if ((v = meta_get(root, "scenarios", NULL)) != NULL)
		parse_scenarios(svc, v);
	if ((s = get_map(f, root, "simulation", NULL, &bad)) != NULL) {
		svc->has_simulation = true;
		meta_check_keys(s, f, skeys);
		get_int(f, s, "horizon", &svc->sim_horizon, B_GT0, 1000000);
		get_int(f, s, "paths", &svc->sim_paths, B_GT0, 1000000);
	}
	svc->sim_seed = 1;
	if (s != NULL && get_int(f, s, "seed", &l, B_GE0, 0) == 1)
		svc->sim_seed = (uint64_t)l;

	needs_data = meta_get(root, "demand", NULL) != NULL ||
	    meta_get(root, "capacity", NULL) != NULL ||
	    meta_get(root, "backlog", NULL) != NULL ||
	    meta_get(root, "metrics", NULL) != NULL;
	if (get_str(f, root, "date_column", &svc->date_column) == 1 &&
	    (dc = meta_get(root, "date_column", NULL)) != NULL) {
		(*reqs)[0].pos.line = dc->line;
		(*reqs)[0].pos.col = dc->col;
	}
	if (svc->date_column == NULL)
		svc->date_column = xstrdup("date");
	(*reqs)[0].column = svc->date_column;

	v = meta_get(root, "data", NULL);
	if (v != NULL && meta_string(v, f, "data", &svc->data)) {
		svc->data_pos.file = f;
		svc->data_pos.line = v->line;
		svc->data_pos.col = v->col;
		if (meta_get(root, "date_column", NULL) == NULL) {
			(*reqs)[0].pos.line = v->line;
			(*reqs)[0].pos.col = v->col;
		}
		dir = util_dirname(svc->path);
		joined = util_path_join(dir, svc->data);
		svc->data_path = path_clean(joined);
		free(joined);
		/* services/<id>.md: the content directory is two up */
		joined = util_dirname(dir);
		top = path_clean(joined);
		free(joined);
		free(dir);
		if (svc->data[0] == '/' ||
		    !path_under(top, svc->data_path)) {
			diag_error(f, v->line, v->col, "data path \"%s\" must "
			    "stay inside the content directory", svc->data);
			free(svc->data_path);
			svc->data_path = NULL;
		} else if (!util_is_file(svc->data_path)) {
			diag_error(f, v->line, v->col,
			    "data file \"%s\" not found", svc->data);
			free(svc->data_path);
			svc->data_path = NULL;
		} else if (!real_under(top, svc->data_path)) {
			diag_error(f, v->line, v->col, "data file \"%s\" leads "
			    "outside the content directory through a symbolic "
			    "link; data must stay inside the content directory",
			    svc->data);
			free(svc->data_path);
			svc->data_path = NULL;
		}
		free(top);
	} else if (v == NULL && needs_data)
		missing(f, root, "data", NULL);

	if (!needs_data || svc->data_path == NULL) {
		free(*reqs);
		*reqs = NULL;
		*nreqs = 0;
	}
	return diag_errors() > before ? -1 : 0;
}
