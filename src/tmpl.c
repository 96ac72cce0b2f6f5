/*
 * tmpl.c: the Mustache subset of tmpl.h.  Each template is parsed once
 * into a tree of nodes (text, variable, raw variable, section, inverted
 * section, partial; comments are dropped) and rendered many times over
 * jansson values.  Standalone section, inverted, close, partial and
 * comment tags (alone on their line but for blanks) remove their line,
 * as in the Mustache spec; partial indentation is not re-applied.
 */
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "esc.h"
#include "tmpl.h"
#include "util.h"

#define PARTIAL_DEPTH	32	/* nested partials before we give up */
#define CTX_DEPTH	256	/* nested section contexts */

enum tnode_type {
	TN_TEXT,
	TN_VAR,
	TN_RAW,
	TN_SECTION,
	TN_INVERTED,
	TN_PARTIAL
};

struct tnode {
	enum tnode_type	 type;
	char		*text;		/* TN_TEXT: literal; else the name */
	size_t		 len;
	char		**path;		/* dotted name; npath 0 = "." */
	size_t		 npath;
	struct tnode	*kids;		/* section body */
	size_t		 nkids;
	unsigned	 line, col;	/* of the tag */
};

struct tmpl {
	char		*name;
	char		*file;
	struct tnode	*nodes;
	size_t		 nnodes;
};

struct tmpl_set {
	struct tmpl	*t;		/* sorted by name */
	size_t		 n;
};

/* Parser state: one open section per level. */
struct tparse {
	const char	*file;
	const char	*s;
	size_t		 len;
	size_t		 pos;
	unsigned	 line;		/* of s[pos] */
	size_t		 bol;		/* offset of the start of that line */
	unsigned	 nest;		/* open sections */
};

struct tlist {
	struct tnode	*v;
	size_t		 n, cap;
};

static void
tnodes_free(struct tnode *v, size_t n)
{
	size_t	 i, k;

	for (i = 0; i < n; i++) {
		free(v[i].text);
		for (k = 0; k < v[i].npath; k++)
			free(v[i].path[k]);
		free(v[i].path);
		tnodes_free(v[i].kids, v[i].nkids);
	}
	free(v);
}

static struct tnode *
tlist_push(struct tlist *l, enum tnode_type type)
{
	struct tnode	*nd;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	nd = &l->v[l->n++];
	memset(nd, 0, sizeof(*nd));
	nd->type = type;
	return nd;
}

/* Moves the parser to offset to, keeping line and line start. */
static void
tp_advance(struct tparse *p, size_t to)
{
	for (; p->pos < to; p->pos++)
		if (p->s[p->pos] == '\n') {
			p->line++;
			p->bol = p->pos + 1;
		}
}

static unsigned
tp_col(const struct tparse *p, size_t off)
{
	return (unsigned)(off - p->bol + 1);
}

static void
text_add(struct tlist *l, const char *s, size_t len)
{
	struct tnode	*nd;

	if (len == 0)
		return;
	nd = tlist_push(l, TN_TEXT);
	nd->text = xstrndup(s, len);
	nd->len = len;
}

static void
name_split(struct tnode *nd)
{
	const char	*s = nd->text, *dot;

	if (strcmp(s, ".") == 0)
		return;
	for (;;) {
		dot = strchr(s, '.');
		nd->path = xreallocarray(nd->path, nd->npath + 1,
		    sizeof(*nd->path));
		if (dot == NULL) {
			nd->path[nd->npath++] = xstrdup(s);
			return;
		}
		nd->path[nd->npath++] = xstrndup(s, (size_t)(dot - s));
		s = dot + 1;
	}
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Parses from p->pos into l until a closing tag or the end.  open is
 * the section node being filled (NULL at top level).  Returns 0 when
 * the section closed correctly (or the end was reached at top level),
 * -1 after reporting an error.
 */
static int
tp_parse(struct tparse *p, struct tlist *l, const struct tnode *open)
{
	const char	*s = p->s;
	size_t		 text_start = p->pos, tag, end, inner, ilen;
	size_t		 lstart, after;
	unsigned	 tline, tcol;
	char		 sigil;
	bool		 triple, standalone;
	struct tnode	*nd;
	struct tlist	 kids;
	int		 rc;

	for (;;) {
		const char	*hit;

		hit = NULL;
		if (p->pos < p->len)
			hit = strstr(s + p->pos, "{{");
		if (hit == NULL || (size_t)(hit - s) >= p->len) {
			text_add(l, s + text_start, p->len - text_start);
			tp_advance(p, p->len);
			if (open != NULL) {
				diag_error(p->file, open->line, open->col,
				    "unclosed section \"%s\"", open->text);
				return -1;
			}
			return 0;
		}
		tag = (size_t)(hit - s);
		tp_advance(p, tag);
		tline = p->line;
		tcol = tp_col(p, tag);
		triple = tag + 2 < p->len && s[tag + 2] == '{';
		inner = tag + (triple ? 3 : 2);
		hit = strstr(s + inner, triple ? "}}}" : "}}");
		if (hit == NULL) {
			diag_error(p->file, tline, tcol, "unclosed tag");
			return -1;
		}
		end = (size_t)(hit - s) + (triple ? 3 : 2);
		ilen = (size_t)(hit - s) - inner;
		sigil = triple ? '&' : s[inner];
		if (!triple && strchr("#^/>&!=", sigil) != NULL) {
			inner++;
			ilen--;
		} else if (!triple)
			sigil = '\0';
		if (sigil == '=') {
			diag_error(p->file, tline, tcol,
			    "changing delimiters is not supported");
			return -1;
		}
		while (ilen > 0 && is_blank(s[inner]))
			inner++, ilen--;
		while (ilen > 0 && is_blank(s[inner + ilen - 1]))
			ilen--;
		if (sigil != '!' && ilen == 0) {
			diag_error(p->file, tline, tcol, "empty tag");
			return -1;
		}

		/* Standalone: only blanks around the tag on its line. */
		standalone = false;
		lstart = tag;
		after = end;
		if (sigil != '\0' && sigil != '&') {
			while (lstart > text_start && is_blank(s[lstart - 1]))
				lstart--;
			while (after < p->len && is_blank(s[after]))
				after++;
			if ((lstart == 0 || s[lstart - 1] == '\n') &&
			    (after == p->len || s[after] == '\n' ||
			    (s[after] == '\r' && after + 1 < p->len &&
			    s[after + 1] == '\n'))) {
				standalone = lstart == p->bol;
				if (after < p->len)
					after += s[after] == '\r' ? 2 : 1;
			}
		}
		if (standalone)
			text_add(l, s + text_start, lstart - text_start);
		else {
			text_add(l, s + text_start, tag - text_start);
			after = end;
		}
		tp_advance(p, after);
		text_start = after;

		switch (sigil) {
		case '!':
			continue;
		case '/':
			if (open == NULL) {
				diag_error(p->file, tline, tcol,
				    "closing tag \"%.*s\" without an open "
				    "section", (int)ilen, s + inner);
				return -1;
			}
			if (strlen(open->text) != ilen ||
			    memcmp(open->text, s + inner, ilen) != 0) {
				diag_error(p->file, tline, tcol,
				    "closing tag \"%.*s\" does not match "
				    "section \"%s\" opened at %u:%u",
				    (int)ilen, s + inner, open->text,
				    open->line, open->col);
				return -1;
			}
			return 0;
		default:
			break;
		}

		nd = tlist_push(l, sigil == '#' ? TN_SECTION :
		    sigil == '^' ? TN_INVERTED : sigil == '>' ? TN_PARTIAL :
		    sigil == '&' ? TN_RAW : TN_VAR);
		nd->text = xstrndup(s + inner, ilen);
		nd->len = ilen;
		nd->line = tline;
		nd->col = tcol;
		if (nd->type != TN_PARTIAL)
			name_split(nd);
		if (nd->type == TN_SECTION || nd->type == TN_INVERTED) {
			if (p->nest == CTX_DEPTH - 1) {
				diag_error(p->file, tline, tcol,
				    "sections nested too deeply (limit %d)",
				    CTX_DEPTH - 1);
				return -1;
			}
			memset(&kids, 0, sizeof(kids));
			p->nest++;
			rc = tp_parse(p, &kids, nd);
			p->nest--;
			nd->kids = kids.v;
			nd->nkids = kids.n;
			if (rc < 0)
				return -1;
			text_start = p->pos;
		}
	}
}

static void
tmpl_clear(struct tmpl *t)
{
	free(t->name);
	free(t->file);
	tnodes_free(t->nodes, t->nnodes);
}

static int
tmpl_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tmpl *)a)->name,
	    ((const struct tmpl *)b)->name);
}

static const struct tmpl *
tmpl_find(const struct tmpl_set *set, const char *name)
{
	struct tmpl	 key;

	if (set->n == 0)
		return NULL;
	memset(&key, 0, sizeof(key));
	key.name = (char *)name;
	return bsearch(&key, set->t, set->n, sizeof(*set->t), tmpl_cmp);
}

/* Parses text as template name (file names it in messages) and adds it
 * to the set, replacing one of the same name.  0, or -1 (reported). */
int
tmpl_set_add(struct tmpl_set *set, const char *name, const char *text,
    const char *file)
{
	struct tparse	 p;
	struct tlist	 l;
	struct tmpl	 t, *old;

	memset(&p, 0, sizeof(p));
	p.file = file;
	p.s = text;
	p.len = strlen(text);
	p.line = 1;
	memset(&l, 0, sizeof(l));
	if (tp_parse(&p, &l, NULL) < 0) {
		tnodes_free(l.v, l.n);
		return -1;
	}
	t.name = xstrdup(name);
	t.file = xstrdup(file);
	t.nodes = l.v;
	t.nnodes = l.n;
	old = (struct tmpl *)tmpl_find(set, name);
	if (old != NULL) {
		tmpl_clear(old);
		*old = t;
		return 0;
	}
	set->t = xreallocarray(set->t, set->n + 1, sizeof(*set->t));
	set->t[set->n++] = t;
	qsort(set->t, set->n, sizeof(*set->t), tmpl_cmp);
	return 0;
}

/* An empty set; free with tmpl_set_free. */
struct tmpl_set *
tmpl_set_new(void)
{
	return xcalloc(1, sizeof(struct tmpl_set));
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads every "*.html" file of dir (sorted) as a template named by its stem.
 * Reports every error; NULL if the directory is unreadable or any
 * template is bad.  Free with tmpl_set_free. */
struct tmpl_set *
tmpl_set_load(const char *dir)
{
	struct tmpl_set	*set;
	DIR		*d;
	struct dirent	*de;
	char		**names = NULL, *path, *text, *stem;
	size_t		 n = 0, i, len;
	int		 bad = 0;

	if ((d = opendir(dir)) == NULL) {
		diag_error(dir, 0, 0, "cannot open template directory: %s",
		    strerror(errno));
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= 5 ||
		    strcmp(de->d_name + len - 5, ".html") != 0)
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), name_cmp);

	set = tmpl_set_new();
	for (i = 0; i < n; i++) {
		path = util_path_join(dir, names[i]);
		if ((text = util_file_read(path, NULL)) == NULL) {
			diag_error(path, 0, 0, "cannot read: %s",
			    strerror(errno));
			bad = 1;
		} else {
			stem = xstrndup(names[i], strlen(names[i]) - 5);
			if (tmpl_set_add(set, stem, text, path) < 0)
				bad = 1;
			free(stem);
			free(text);
		}
		free(path);
		free(names[i]);
	}
	free(names);
	if (bad) {
		tmpl_set_free(set);
		return NULL;
	}
	return set;
}

/* Frees a set and every template in it; NULL is fine. */
void
tmpl_set_free(struct tmpl_set *set)
{
	size_t	 i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		tmpl_clear(&set->t[i]);
	free(set->t);
	free(set);
}

/* Render state: the context stack, innermost last. */
struct trender {
	const struct tmpl_set	*set;
	const json_t		*stack[CTX_DEPTH];
	size_t			 depth;
	unsigned		 partials;
	struct buf		*out;
};

/* Mustache lookup: the first name part through the context stack, the
 * rest walked from there.  NULL if missing. */
static const json_t *
lookup(const struct trender *r, const struct tnode *nd)
{
	const json_t	*v = NULL;
	size_t		 i, k;

	if (nd->npath == 0)
		return r->stack[r->depth - 1];
	for (i = r->depth; i > 0; i--) {
		if (!json_is_object(r->stack[i - 1]))
			continue;
		v = json_object_get(r->stack[i - 1], nd->path[0]);
		if (v != NULL)
			break;
	}
	for (k = 1; v != NULL && k < nd->npath; k++)
		v = json_is_object(v) ? json_object_get(v, nd->path[k]) : NULL;
	return v;
}

/* Falsey: missing, null, false, empty array, "" (0 is truthy). */
static bool
truthy(const json_t *v)
{
	if (v == NULL || json_is_null(v) || json_is_false(v))
		return false;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	if (json_is_string(v))
		return json_string_length(v) > 0;
	return true;
}

static void
put_value(struct buf *out, const json_t *v, bool raw)
{
	char	 num[64];

	if (json_is_string(v)) {
		if (raw)
			buf_put(out, json_string_value(v),
			    json_string_length(v));
		else
			esc_html(out, json_string_value(v),
			    json_string_length(v));
	} else if (json_is_integer(v))
		buf_printf(out, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v)) {
		util_fmt_num(num, sizeof(num), json_real_value(v));
		buf_puts(out, num);
	} else if (json_is_true(v))
		buf_puts(out, "true");
	else if (json_is_false(v))
		buf_puts(out, "false");
}

static int	render_nodes(struct trender *, const struct tmpl *,
		    const struct tnode *, size_t);

static int
render_section(struct trender *r, const struct tmpl *t,
    const struct tnode *nd, const json_t *v)
{
	size_t	 i;
	int	 rc = 0;

	if (r->depth == CTX_DEPTH) {
		diag_error(t->file, nd->line, nd->col,
		    "sections nested too deeply (limit %d)", CTX_DEPTH);
		return -1;
	}
	if (json_is_array(v)) {
		for (i = 0; rc == 0 && i < json_array_size(v); i++) {
			r->stack[r->depth++] = json_array_get(v, i);
			rc = render_nodes(r, t, nd->kids, nd->nkids);
			r->depth--;
		}
		return rc;
	}
	r->stack[r->depth++] = v;
	rc = render_nodes(r, t, nd->kids, nd->nkids);
	r->depth--;
	return rc;
}

static int
render_nodes(struct trender *r, const struct tmpl *t,
    const struct tnode *nodes, size_t n)
{
	const struct tmpl	*pt;
	const json_t		*v;
	size_t			 i;
	int			 rc;

	for (i = 0; i < n; i++) {
		const struct tnode *nd = &nodes[i];

		switch (nd->type) {
		case TN_TEXT:
			buf_put(r->out, nd->text, nd->len);
			break;
		case TN_VAR:
		case TN_RAW:
			if ((v = lookup(r, nd)) != NULL)
				put_value(r->out, v, nd->type == TN_RAW);
			break;
		case TN_SECTION:
			v = lookup(r, nd);
			if (truthy(v) && render_section(r, t, nd, v) < 0)
				return -1;
			break;
		case TN_INVERTED:
			if (!truthy(lookup(r, nd)) &&
			    render_nodes(r, t, nd->kids, nd->nkids) < 0)
				return -1;
			break;
		case TN_PARTIAL:
			if ((pt = tmpl_find(r->set, nd->text)) == NULL) {
				diag_error(t->file, nd->line, nd->col,
				    "unknown partial \"%s\"", nd->text);
				return -1;
			}
			if (r->partials == PARTIAL_DEPTH) {
				diag_error(t->file, nd->line, nd->col,
				    "partials nested too deeply (limit %d)",
				    PARTIAL_DEPTH);
				return -1;
			}
			r->partials++;
			rc = render_nodes(r, pt, pt->nodes, pt->nnodes);
			r->partials--;
			if (rc < 0)
				return -1;
			break;
		}
	}
	return 0;
}

/* Renders template name with ctx, appending to out.  0, or -1 if name
 * is unknown or a partial fails (reported; out may hold part). */
int
tmpl_render(const struct tmpl_set *set, const char *name,
    const json_t *ctx, struct buf *out)
{
	const struct tmpl	*t;
	struct trender		 r;

	if ((t = tmpl_find(set, name)) == NULL) {
		diag_error("templates", 0, 0, "unknown template \"%s\"",
		    name);
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.set = set;
	r.out = out;
	r.stack[r.depth++] = ctx;
	return render_nodes(&r, t, t->nodes, t->nnodes);
}
