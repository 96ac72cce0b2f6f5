/*
 * md.c: commentary Markdown to HTML with cmark-gfm (tables,
 * strikethrough, autolink) in safe mode, and the ```chart blocks of
 * SPEC 3.4: each block's body is parsed with libyaml into a struct
 * chart_spec and validated against its service.  While rendering, each
 * chart block is swapped for a cmark custom block whose literal HTML is
 * what the caller's chart_fn wrote, so charts keep their place (even
 * inside lists or quotes) and nothing else is emitted unescaped.  A
 * struct md_doc is one parse shared by everything a build makes of a
 * body: its chart specs and its blocks are made with the tree, so that
 * only the HTML (rendered once) still touches it.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <yaml.h>

#include "diag.h"
#include "esc.h"
#include "md.h"
#include "util.h"

static const char *const chart_types[] = {
	"dcb", "spc", "profile", "fan", "scenarios", "ipr", NULL
};

static const char *const chart_keys[] = {
	"type", "metric", "from", "caption", NULL
};

/* Where a chart block sits and what it is checked against. */
struct mdctx {
	const char		*file;
	unsigned		 line;	/* file line of md's first line */
	const struct service	*svc;
	bool			 quiet;	/* no messages (they were given) */
	int			 errors;
};

/*
 * One parse of a body (md.h).  specs and blocks are made with the tree
 * and only read afterwards, so threads may share a doc; the tree itself
 * is rendered (and changed) by md_doc_html alone, then let go: cmark's
 * getters write into the tree (cmark_chunk_to_cstr), so nothing else
 * may read it once the doc is handed out.
 */
struct md_doc {
	cmark_parser		*parser;	/* its extensions, for the HTML */
	cmark_node		*root;		/* NULL once rendered */
	cmark_node		**charts;	/* chart blocks, document order */
	struct chart_spec	*specs;		/* of charts[i] ... */
	bool			*valid;		/* ... when it parsed and checked */
	size_t			 ncharts;
	int			 errors;	/* reported (or not, quiet) */
	struct md_block		*blocks;	/* headings unshifted */
	size_t			 nblocks;
};

/* One key: value pair of a block body, with file positions. */
struct kv {
	char		*val;
	unsigned	 kline, kcol, vline, vcol;
	bool		 set;
};

static pthread_once_t	 ext_once = PTHREAD_ONCE_INIT;

static void
ext_register(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

static void
report(struct mdctx *c, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
report(struct mdctx *c, unsigned line, unsigned col, const char *fmt, ...)
{
	struct buf	 b;
	va_list		 ap;

	c->errors++;
	if (c->quiet)
		return;
	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	diag_error(c->file, line, col, "%s", b.data);
	buf_clear(&b);
}

/* A parser with the GFM extensions we use; free with
 * cmark_parser_free. */
static cmark_parser *
parser_new(void)
{
	static const char *const exts[] = {
		"table", "strikethrough", "autolink"
	};
	cmark_parser		*p;
	cmark_syntax_extension	*e;
	size_t			 i;

	pthread_once(&ext_once, ext_register);
	p = cmark_parser_new(CMARK_OPT_VALIDATE_UTF8);
	if (p == NULL)
		abort();
	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if ((e = cmark_find_syntax_extension(exts[i])) != NULL)
			cmark_parser_attach_syntax_extension(p, e);
	return p;
}

static cmark_node *
md_parse(cmark_parser *p, const char *md)
{
	cmark_node	*doc;

	cmark_parser_feed(p, md, strlen(md));
	if ((doc = cmark_parser_finish(p)) == NULL)
		abort();
	return doc;
}

/* Reports (once) a node nested deeper than MD_MAX_DEPTH: lists, quotes
 * and emphasis that deep are no commentary, and the PDF text path walks
 * the tree recursively.  Returns false then. */
static bool
depth_ok(struct mdctx *c, cmark_node *doc)
{
	cmark_iter	*it;
	cmark_event_type ev;
	cmark_node	*nd;
	unsigned	 depth = 0;
	bool		 ok = true;

	it = cmark_iter_new(doc);
	while (ok && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		nd = cmark_iter_get_node(it);
		if (cmark_node_first_child(nd) == NULL)
			continue;	/* a leaf or empty: no EXIT to match */
		if (ev == CMARK_EVENT_EXIT) {
			depth--;
			continue;
		}
		if (++depth > MD_MAX_DEPTH) {
			report(c, c->line - 1 +
			    (unsigned)cmark_node_get_start_line(nd), 0,
			    "Markdown nested too deeply (more than %d levels "
			    "of lists, quotes or emphasis)", MD_MAX_DEPTH);
			ok = false;
		}
	}
	cmark_iter_free(it);
	return ok;
}

static bool
is_chart(cmark_node *n)
{
	const char	*info;
	int		 len, off;
	char		 ch;

	if (cmark_node_get_type(n) != CMARK_NODE_CODE_BLOCK ||
	    !cmark_node_get_fenced(n, &len, &off, &ch))
		return false;
	info = cmark_node_get_fence_info(n);
	return info != NULL && strcmp(info, "chart") == 0;
}

/* Chart blocks of doc in document order; *n gets the count. */
static cmark_node **
chart_nodes(cmark_node *doc, size_t *n)
{
	cmark_iter	*it;
	cmark_node	**v = NULL, *nd;

	*n = 0;
	it = cmark_iter_new(doc);
	while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
		nd = cmark_iter_get_node(it);
		if (cmark_iter_get_event_type(it) == CMARK_EVENT_ENTER &&
		    is_chart(nd)) {
			v = xreallocarray(v, *n + 1, sizeof(*v));
			v[(*n)++] = nd;
		}
	}
	cmark_iter_free(it);
	return v;
}

static int
type_index(const char *s)
{
	int	 i;

	for (i = 0; chart_types[i] != NULL; i++)
		if (strcmp(s, chart_types[i]) == 0)
			return i;
	return -1;
}

/* Appends ' (did you mean "x"?)' when a candidate is close. */
static void
suggest(struct buf *b, const char *word, const char *const *cands)
{
	const char	*s;

	if ((s = diag_suggest(word, cands)) != NULL)
		buf_printf(b, " (did you mean \"%s\"?)", s);
}

/*
 * Reads body (YAML "key: value" lines) into kv[] (indexed as
 * chart_keys).  fline/fcol: file position of the body's first line and
 * of its column 1.  Returns -1 if the body is not such a mapping.
 */
static int
body_read(struct mdctx *c, const char *body, unsigned fline, unsigned fcol,
    struct kv *kv)
{
	yaml_parser_t	 p;
	yaml_event_t	 ev;
	struct buf	 msg;
	char		*key = NULL;
	unsigned	 kline = 0, kcol = 0;
	int		 depth = 0, rc = 0, k;
	bool		 done = false;

	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)body,
	    strlen(body));
	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			report(c, fline + (unsigned)p.problem_mark.line,
			    fcol + (unsigned)p.problem_mark.column,
			    "chart block: %s", p.problem ? p.problem :
			    "malformed YAML");
			rc = -1;
			break;
		}
		unsigned	 line = fline + (unsigned)ev.start_mark.line;
		unsigned	 col = fcol + (unsigned)ev.start_mark.column;

		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (depth == 0 && ev.type == YAML_MAPPING_START_EVENT) {
				depth++;
				break;
			}
			if (depth == 0) {
				report(c, line, col, "chart block must be "
				    "\"key: value\" lines");
				rc = -1;
				done = true;
				break;
			}
			report(c, line, col, "value of \"%s\" must be a "
			    "single value", key ? key : "?");
			rc = -1;
			done = true;
			break;
		case YAML_SCALAR_EVENT:
			if (depth == 0) {
				report(c, line, col, "chart block must be "
				    "\"key: value\" lines");
				rc = -1;
				done = true;
				break;
			}
			if (key == NULL) {
				key = xstrdup((const char *)ev.data.scalar.value);
				kline = line;
				kcol = col;
				break;
			}
			for (k = 0; chart_keys[k] != NULL; k++)
				if (strcmp(key, chart_keys[k]) == 0)
					break;
			if (chart_keys[k] == NULL) {
				buf_init(&msg);
				buf_printf(&msg, "unknown key \"%s\"", key);
				suggest(&msg, key, chart_keys);
				report(c, kline, kcol, "%s", msg.data);
				buf_clear(&msg);
				rc = -1;
			} else if (kv[k].set) {
				report(c, kline, kcol, "duplicate key \"%s\"",
				    key);
				rc = -1;
			} else if (ev.data.scalar.length == 0) {
				report(c, kline, kcol, "missing value for "
				    "\"%s\"", key);
				rc = -1;
			} else {
				kv[k].set = true;
				kv[k].val = xstrndup(
				    (const char *)ev.data.scalar.value,
				    ev.data.scalar.length);
				kv[k].kline = kline;
				kv[k].kcol = kcol;
				kv[k].vline = line;
				kv[k].vcol = col;
			}
			free(key);
			key = NULL;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	free(key);
	yaml_parser_delete(&p);
	return rc;
}

/* Whether metric m names an spc measure of svc (SPEC 3.4). */
static bool
metric_ok(const struct service *svc, const char *m)
{
	size_t	 i;

	if (svc->has_demand && (strcmp(m, "demand") == 0 ||
	    strcmp(m, "capacity") == 0 || strcmp(m, "backlog") == 0))
		return true;
	for (i = 0; i < svc->nmetrics; i++)
		if (svc->metrics[i].column != NULL &&
		    strcmp(svc->metrics[i].column, m) == 0)
			return true;
	return false;
}

static void
metric_bad(struct mdctx *c, const struct kv *kv)
{
	const struct service	*svc = c->svc;
	const char		**cands;
	struct buf		 msg;
	size_t			 i, n = 0;

	cands = xcalloc(svc->nmetrics + 4, sizeof(*cands));
	if (svc->has_demand) {
		cands[n++] = "demand";
		cands[n++] = "capacity";
		cands[n++] = "backlog";
	}
	for (i = 0; i < svc->nmetrics; i++)
		if (svc->metrics[i].column != NULL)
			cands[n++] = svc->metrics[i].column;
	buf_init(&msg);
	buf_printf(&msg, "unknown metric \"%s\"", kv->val);
	if (!svc->has_demand && (strcmp(kv->val, "demand") == 0 ||
	    strcmp(kv->val, "capacity") == 0 ||
	    strcmp(kv->val, "backlog") == 0))
		buf_puts(&msg, ": the service has no demand and capacity");
	else
		suggest(&msg, kv->val, cands);
	report(c, kv->vline, kv->vcol, "%s", msg.data);
	buf_clear(&msg);
	free(cands);
}

/*
 * Parses and validates the chart block node into *spec (zeroed first).
 * Returns 0, or -1 after reporting every problem (spec then holds
 * nothing to free).
 */
static int
chart_parse(struct mdctx *c, cmark_node *nd, struct chart_spec *spec)
{
	struct kv	 kv[4];
	struct buf	 msg;
	const char	*body;
	unsigned	 fline, fcol;
	int		 t = -1, before = c->errors;
	size_t		 i;
	enum period	 per;

	memset(spec, 0, sizeof(*spec));
	memset(kv, 0, sizeof(kv));
	fline = c->line + (unsigned)cmark_node_get_start_line(nd) - 1;
	fcol = (unsigned)cmark_node_get_start_column(nd);
	spec->line = fline;
	body = cmark_node_get_literal(nd);
	if (body == NULL)
		body = "";
	body_read(c, body, fline + 1, fcol, kv);

	if (!kv[0].set) {
		if (c->errors == before)
			report(c, fline, fcol, "chart block has no \"type\"");
	} else if ((t = type_index(kv[0].val)) < 0) {
		buf_init(&msg);
		buf_printf(&msg, "unknown chart type \"%s\"", kv[0].val);
		suggest(&msg, kv[0].val, chart_types);
		report(c, kv[0].vline, kv[0].vcol, "%s", msg.data);
		buf_clear(&msg);
	} else if (c->svc == NULL && t != CHART_IPR)
		report(c, kv[0].vline, kv[0].vcol, "chart type \"%s\" needs "
		    "a service; only \"ipr\" is allowed here", kv[0].val);
	else if (c->svc != NULL && !c->svc->has_demand &&
	    (t == CHART_DCB || t == CHART_FAN || t == CHART_SCENARIOS))
		report(c, kv[0].vline, kv[0].vcol, "chart type \"%s\" needs "
		    "demand and capacity in the front matter", kv[0].val);

	if (t == CHART_SPC && !kv[1].set && kv[0].set)
		report(c, kv[0].kline, kv[0].kcol,
		    "spc chart needs a \"metric\"");
	if (kv[1].set && t >= 0 && t != CHART_SPC)
		report(c, kv[1].kline, kv[1].kcol,
		    "\"metric\" applies only to spc charts");
	else if (kv[1].set && t == CHART_SPC && c->svc != NULL &&
	    !metric_ok(c->svc, kv[1].val))
		metric_bad(c, &kv[1]);

	if (kv[2].set) {
		per = c->svc != NULL ? c->svc->period : PERIOD_DAY;
		if (util_date_parse(kv[2].val, per, &spec->from))
			spec->has_from = true;
		else
			report(c, kv[2].vline, kv[2].vcol, "\"%s\" is not a "
			    "valid date for period \"%s\"", kv[2].val,
			    util_period_name(per));
	}

	if (c->errors == before && t >= 0) {
		spec->type = (enum chart_type)t;
		spec->metric = kv[1].val;
		kv[1].val = NULL;
		spec->caption = kv[3].val;
		kv[3].val = NULL;
	}
	for (i = 0; i < 4; i++)
		free(kv[i].val);
	return c->errors == before ? 0 : -1;
}

static void
spec_clear(struct chart_spec *s)
{
	free(s->metric);
	free(s->caption);
}

static void
spec_copy(struct chart_spec *to, const struct chart_spec *from)
{
	*to = *from;
	to->metric = from->metric != NULL ? xstrdup(from->metric) : NULL;
	to->caption = from->caption != NULL ? xstrdup(from->caption) : NULL;
}

/* The spec of chart block nd of d, or NULL when it was bad. */
static const struct chart_spec *
doc_spec(const struct md_doc *d, cmark_node *nd)
{
	size_t	 i;

	for (i = 0; i < d->ncharts; i++)
		if (d->charts[i] == nd)
			return d->valid[i] ? &d->specs[i] : NULL;
	return NULL;
}

/* Frees specs[0..n) and the array. */
void
md_chart_specs_free(struct chart_spec *specs, size_t n)
{
	size_t	 i;

	if (specs == NULL)
		return;
	for (i = 0; i < n; i++)
		spec_clear(&specs[i]);
	free(specs);
}

/* Shifts headings, drops raw HTML (safe mode would leave a "raw HTML
 * omitted" comment), and turns links and images whose scheme esc_url
 * rejects into "#" (stricter than cmark's own safe-mode list). */
static void
tree_fix(cmark_node *doc, int shift)
{
	cmark_iter	*it;
	cmark_node	*nd, **drop = NULL;
	cmark_node_type	 t;
	const char	*url;
	struct buf	 b;
	size_t		 ndrop = 0, i;
	int		 lvl;

	buf_init(&b);
	it = cmark_iter_new(doc);
	while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
		if (cmark_iter_get_event_type(it) != CMARK_EVENT_ENTER)
			continue;
		nd = cmark_iter_get_node(it);
		t = cmark_node_get_type(nd);
		if (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE) {
			drop = xreallocarray(drop, ndrop + 1, sizeof(*drop));
			drop[ndrop++] = nd;
		} else if (t == CMARK_NODE_HEADING && shift != 0) {
			lvl = cmark_node_get_heading_level(nd) + shift;
			cmark_node_set_heading_level(nd,
			    lvl > 6 ? 6 : lvl < 1 ? 1 : lvl);
		} else if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) {
			url = cmark_node_get_url(nd);
			if (url == NULL)
				continue;
			b.len = 0;
			esc_url(&b, url, strlen(url));
			if (b.len == 1 && b.data[0] == '#')
				cmark_node_set_url(nd, "#");
		}
	}
	cmark_iter_free(it);
	buf_clear(&b);
	for (i = 0; i < ndrop; i++)
		cmark_node_free(drop[i]);
	free(drop);
}

/* ---- neutral blocks for the PDF renderer ---- */

/* State of one blocks walk (doc_parse). */
struct mdblk {
	const struct md_doc *doc;	/* its chart specs */
	struct md_block	*v;
	size_t		 n;
	unsigned	 depth, quote;
	unsigned	 level;		/* recursion guard of blocks_walk */
	bool		 tight;
	bool		 item;		/* next block starts a list item */
	bool		 ordered;
	int		 number;
};

static void
text_add(struct md_text *t, const char *s, size_t len, unsigned style,
    const char *url)
{
	struct md_run	*r;

	if (len == 0)
		return;
	if (t->nruns > 0) {
		r = &t->runs[t->nruns - 1];
		if (r->style == style && strcmp(r->text, "\n") != 0 &&
		    !(len == 1 && s[0] == '\n') &&
		    ((r->url == NULL && url == NULL) || (r->url != NULL &&
		    url != NULL && strcmp(r->url, url) == 0))) {
			size_t	 ol = strlen(r->text);

			r->text = xrealloc(r->text, ol + len + 1);
			memcpy(r->text + ol, s, len);
			r->text[ol + len] = '\0';
			return;
		}
	}
	t->runs = xreallocarray(t->runs, t->nruns + 1, sizeof(*t->runs));
	r = &t->runs[t->nruns++];
	r->text = xstrndup(s, len);
	r->style = style;
	r->url = url != NULL ? xstrdup(url) : NULL;
}

static bool
node_is(cmark_node *nd, const char *name)
{
	const char	*t = cmark_node_get_type_string(nd);

	return t != NULL && strcmp(t, name) == 0;
}

/* Appends the inline content of nd (and its children) to t. */
static void
inlines(cmark_node *nd, unsigned style, const char *url, struct md_text *t)
{
	static _Thread_local unsigned level;	/* recursion guard */
	cmark_node	*ch;
	const char	*s;
	struct buf	 b;

	if (level > MD_MAX_DEPTH)
		return;		/* md_charts reports this nesting */

	switch (cmark_node_get_type(nd)) {
	case CMARK_NODE_TEXT:
		s = cmark_node_get_literal(nd);
		if (s != NULL)
			text_add(t, s, strlen(s), style, url);
		return;
	case CMARK_NODE_CODE:
		s = cmark_node_get_literal(nd);
		if (s != NULL)
			text_add(t, s, strlen(s), style | MD_RUN_CODE, url);
		return;
	case CMARK_NODE_SOFTBREAK:
		text_add(t, " ", 1, style, url);
		return;
	case CMARK_NODE_LINEBREAK:
		text_add(t, "\n", 1, style, url);
		return;
	case CMARK_NODE_HTML_INLINE:
		return;
	case CMARK_NODE_EMPH:
		style |= MD_RUN_ITALIC;
		break;
	case CMARK_NODE_STRONG:
		style |= MD_RUN_BOLD;
		break;
	case CMARK_NODE_LINK:
		s = cmark_node_get_url(nd);
		style |= MD_RUN_LINK;
		url = NULL;
		if (s != NULL) {
			buf_init(&b);
			esc_url(&b, s, strlen(s));
			if (!(b.len == 1 && b.data[0] == '#'))
				url = s;
			buf_clear(&b);
		}
		break;
	default:
		if (node_is(nd, "strikethrough"))
			style |= MD_RUN_STRIKE;
		break;
	}
	level++;
	for (ch = cmark_node_first_child(nd); ch; ch = cmark_node_next(ch))
		inlines(ch, style, url, t);
	level--;
}

static struct md_block *
block_new(struct mdblk *w, enum md_block_kind kind)
{
	struct md_block	*b;

	w->v = xreallocarray(w->v, w->n + 1, sizeof(*w->v));
	b = &w->v[w->n++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->depth = w->depth;
	b->quote = w->quote;
	b->tight = w->tight;
	if (w->item) {
		b->item = true;
		b->ordered = w->ordered;
		b->number = w->number;
		w->item = false;
	}
	return b;
}

static void
table_block(struct mdblk *w, cmark_node *nd)
{
	struct md_block	*b;
	cmark_node	*row, *cell;
	uint8_t		*al;
	size_t		 r, k, ncols;

	ncols = cmark_gfm_extensions_get_table_columns(nd);
	if (ncols == 0)
		return;
	b = block_new(w, MD_BLOCK_TABLE);
	b->ncols = ncols;
	b->align = xcalloc(ncols, sizeof(*b->align));
	al = cmark_gfm_extensions_get_table_alignments(nd);
	for (k = 0; al != NULL && k < ncols; k++)
		b->align[k] = al[k] == 'l' ? MD_ALIGN_LEFT : al[k] == 'c' ?
		    MD_ALIGN_CENTER : al[k] == 'r' ? MD_ALIGN_RIGHT :
		    MD_ALIGN_NONE;
	for (row = cmark_node_first_child(nd); row; row = cmark_node_next(row))
		b->nrows++;
	b->cells = xcalloc(b->nrows * ncols + 1, sizeof(*b->cells));
	r = 0;
	for (row = cmark_node_first_child(nd); row;
	    row = cmark_node_next(row), r++) {
		k = 0;
		for (cell = cmark_node_first_child(row); cell && k < ncols;
		    cell = cmark_node_next(cell), k++)
			inlines(cell, 0, NULL, &b->cells[r * ncols + k]);
	}
}

static void	blocks_node(struct mdblk *, cmark_node *);

/* blocks_node with a recursion guard: nesting past MD_MAX_DEPTH is
 * reported by md_charts and dropped here. */
static void
blocks_walk(struct mdblk *w, cmark_node *nd)
{
	if (w->level > MD_MAX_DEPTH)
		return;
	w->level++;
	blocks_node(w, nd);
	w->level--;
}

static void
blocks_node(struct mdblk *w, cmark_node *nd)
{
	struct md_block	*b;
	cmark_node	*ch;
	const char	*s;
	bool		 tight;
	int		 i;

	switch (cmark_node_get_type(nd)) {
	case CMARK_NODE_DOCUMENT:
		for (ch = cmark_node_first_child(nd); ch; ch = cmark_node_next(ch))
			blocks_walk(w, ch);
		return;
	case CMARK_NODE_BLOCK_QUOTE:
		w->quote++;
		for (ch = cmark_node_first_child(nd); ch; ch = cmark_node_next(ch))
			blocks_walk(w, ch);
		w->quote--;
		return;
	case CMARK_NODE_LIST:
		tight = w->tight;
		w->tight = cmark_node_get_list_tight(nd) != 0;
		w->depth++;
		i = cmark_node_get_list_start(nd);
		for (ch = cmark_node_first_child(nd); ch;
		    ch = cmark_node_next(ch), i++) {
			w->item = true;
			w->ordered = cmark_node_get_list_type(nd) ==
			    CMARK_ORDERED_LIST;
			w->number = i;
			blocks_walk(w, ch);
			if (w->item)	/* an empty item */
				block_new(w, MD_BLOCK_PARA);
		}
		w->depth--;
		w->tight = tight;
		return;
	case CMARK_NODE_ITEM:
		for (ch = cmark_node_first_child(nd); ch; ch = cmark_node_next(ch))
			blocks_walk(w, ch);
		return;
	case CMARK_NODE_PARAGRAPH:
		b = block_new(w, MD_BLOCK_PARA);
		for (ch = cmark_node_first_child(nd); ch; ch = cmark_node_next(ch))
			inlines(ch, 0, NULL, &b->text);
		return;
	case CMARK_NODE_HEADING:
		/* Unshifted: md_doc_blocks and md_blocks shift. */
		b = block_new(w, MD_BLOCK_HEADING);
		b->level = cmark_node_get_heading_level(nd);
		for (ch = cmark_node_first_child(nd); ch; ch = cmark_node_next(ch))
			inlines(ch, 0, NULL, &b->text);
		return;
	case CMARK_NODE_CODE_BLOCK:
		if (is_chart(nd)) {
			const struct chart_spec *spec = doc_spec(w->doc, nd);

			if (spec != NULL) {
				b = block_new(w, MD_BLOCK_CHART);
				spec_copy(&b->chart, spec);
			}
			return;
		}
		b = block_new(w, MD_BLOCK_CODE);
		s = cmark_node_get_literal(nd);
		if (s != NULL)
			text_add(&b->text, s, strlen(s), MD_RUN_CODE, NULL);
		return;
	case CMARK_NODE_THEMATIC_BREAK:
		block_new(w, MD_BLOCK_RULE);
		return;
	case CMARK_NODE_HTML_BLOCK:
		return;
	default:
		if (node_is(nd, "table")) {
			table_block(w, nd);
			return;
		}
		for (ch = cmark_node_first_child(nd); ch; ch = cmark_node_next(ch))
			blocks_walk(w, ch);
		return;
	}
}

/* Frees the runs of t; t itself is the caller's. */
void
md_text_clear(struct md_text *t)
{
	size_t	 i;

	for (i = 0; i < t->nruns; i++) {
		free(t->runs[i].text);
		free(t->runs[i].url);
	}
	free(t->runs);
	t->runs = NULL;
	t->nruns = 0;
}

/* Frees blocks[0..n) and the array (NULL ok). */
void
md_blocks_free(struct md_block *v, size_t n)
{
	size_t	 i, k;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++) {
		md_text_clear(&v[i].text);
		for (k = 0; k < v[i].nrows * v[i].ncols; k++)
			md_text_clear(&v[i].cells[k]);
		free(v[i].cells);
		free(v[i].align);
		if (v[i].kind == MD_BLOCK_CHART)
			spec_clear(&v[i].chart);
	}
	free(v);
}

/* ---- one parse for everything (struct md_doc) ---- */

/*
 * Parses md into a doc: the tree, its chart blocks parsed and checked
 * (reported unless quiet, as md_charts does) and, with blocks, its
 * neutral blocks.  Never NULL.
 */
static struct md_doc *
doc_parse(const char *md, const char *file, unsigned line,
    const struct service *svc, bool quiet, bool blocks)
{
	struct md_doc	*d = xcalloc(1, sizeof(*d));
	struct mdctx	 c;
	struct mdblk	 w;
	size_t		 i;

	memset(&c, 0, sizeof(c));
	c.file = file;
	c.line = line == 0 ? 1 : line;
	c.svc = svc;
	c.quiet = quiet;
	d->parser = parser_new();
	d->root = md_parse(d->parser, md != NULL ? md : "");
	depth_ok(&c, d->root);
	d->charts = chart_nodes(d->root, &d->ncharts);
	d->specs = xcalloc(d->ncharts ? d->ncharts : 1, sizeof(*d->specs));
	d->valid = xcalloc(d->ncharts ? d->ncharts : 1, sizeof(*d->valid));
	for (i = 0; i < d->ncharts; i++)
		d->valid[i] = chart_parse(&c, d->charts[i], &d->specs[i]) == 0;
	d->errors = c.errors;
	if (blocks) {
		memset(&w, 0, sizeof(w));
		w.doc = d;
		blocks_walk(&w, d->root);
		d->blocks = w.v;
		d->nblocks = w.n;
	}
	return d;
}

struct md_doc *
md_doc_parse(const char *md, const char *file, unsigned line,
    const struct service *svc, bool quiet)
{
	return doc_parse(md, file, line, svc, quiet, true);
}

bool
md_doc_ok(const struct md_doc *d)
{
	return d->errors == 0;
}

const struct chart_spec *
md_doc_charts(const struct md_doc *d, size_t *n)
{
	if (d->errors > 0) {
		*n = 0;
		return NULL;
	}
	*n = d->ncharts;
	return d->specs;
}

/* Lets the tree of d go (after its HTML). */
static void
doc_tree_free(struct md_doc *d)
{
	if (d->root != NULL)
		cmark_node_free(d->root);
	if (d->parser != NULL)
		cmark_parser_free(d->parser);
	d->root = NULL;
	d->parser = NULL;
	free(d->charts);	/* the nodes went with the tree */
	d->charts = NULL;
}

/* Renders d's HTML into out, charts replaced by chart_fn's output; see
 * md.h.  The tree is changed to render it, so this is its last use. */
void
md_doc_html(struct md_doc *d, int heading_shift, md_chart_fn chart_fn,
    void *arg, struct buf *out)
{
	cmark_node	*cb;
	struct buf	 b;
	char		*html;
	size_t		 i;

	if (d->root == NULL)
		abort();	/* rendered twice: a caller's bug */
	buf_init(&b);
	for (i = 0; i < d->ncharts; i++) {
		if (chart_fn != NULL && d->valid[i]) {
			b.len = 0;
			chart_fn(&d->specs[i], i, &b, arg);
			cb = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
			cmark_node_set_on_enter(cb, b.len ? b.data : "");
			cmark_node_set_on_exit(cb, "");
			if (!cmark_node_replace(d->charts[i], cb)) {
				cmark_node_free(cb);
				cmark_node_unlink(d->charts[i]);
			}
		} else
			cmark_node_unlink(d->charts[i]);
		cmark_node_free(d->charts[i]);
		d->charts[i] = NULL;
	}
	buf_clear(&b);
	tree_fix(d->root, heading_shift);
	html = cmark_render_html(d->root, CMARK_OPT_DEFAULT,
	    cmark_parser_get_syntax_extensions(d->parser));
	buf_puts(out, html);
	cmark_get_default_mem_allocator()->free(html);
	doc_tree_free(d);
}

/* Shifts the heading levels of v[0..n) by shift, capped to 1..6. */
static void
blocks_shift(struct md_block *v, size_t n, int shift)
{
	size_t	 i;
	int	 lvl;

	for (i = 0; i < n; i++)
		if (v[i].kind == MD_BLOCK_HEADING) {
			lvl = v[i].level + shift;
			v[i].level = lvl > 6 ? 6 : lvl < 1 ? 1 : lvl;
		}
}

static void
text_copy(struct md_text *to, const struct md_text *from)
{
	size_t	 r;

	to->nruns = from->nruns;
	to->runs = from->nruns ? xcalloc(from->nruns, sizeof(*to->runs)) :
	    NULL;
	for (r = 0; r < from->nruns; r++) {
		to->runs[r].text = xstrdup(from->runs[r].text);
		to->runs[r].style = from->runs[r].style;
		to->runs[r].url = from->runs[r].url != NULL ?
		    xstrdup(from->runs[r].url) : NULL;
	}
}

/* A copy of d's blocks, headings shifted; see md.h. */
struct md_block *
md_doc_blocks(const struct md_doc *d, int heading_shift, size_t *n)
{
	const struct md_block	*f;
	struct md_block		*v, *t;
	size_t			 i, k, nc;

	*n = d->nblocks;
	if (d->nblocks == 0)
		return NULL;
	v = xcalloc(d->nblocks, sizeof(*v));
	for (i = 0; i < d->nblocks; i++) {
		f = &d->blocks[i];
		t = &v[i];
		*t = *f;
		text_copy(&t->text, &f->text);
		nc = f->nrows * f->ncols;
		if (f->cells != NULL) {
			t->cells = xcalloc(nc + 1, sizeof(*t->cells));
			for (k = 0; k < nc; k++)
				text_copy(&t->cells[k], &f->cells[k]);
		}
		if (f->align != NULL) {
			t->align = xcalloc(f->ncols, sizeof(*t->align));
			memcpy(t->align, f->align, f->ncols *
			    sizeof(*t->align));
		}
		if (f->kind == MD_BLOCK_CHART)
			spec_copy(&t->chart, &f->chart);
	}
	blocks_shift(v, d->nblocks, heading_shift);
	return v;
}

void
md_doc_free(struct md_doc *d)
{
	size_t	 i;

	if (d == NULL)
		return;
	doc_tree_free(d);
	for (i = 0; d->specs != NULL && i < d->ncharts; i++)
		spec_clear(&d->specs[i]);
	free(d->specs);
	free(d->valid);
	md_blocks_free(d->blocks, d->nblocks);
	free(d);
}

/* ---- one parse for one thing ---- */

/* Parses and validates every chart block of md; see md.h.  0 with
 * *specs and *n set (free with md_chart_specs_free), or -1 (reported). */
int
md_charts(const char *md, const char *file, unsigned line,
    const struct service *svc, struct chart_spec **specs, size_t *n)
{
	struct md_doc	*d = doc_parse(md, file, line, svc, false, false);
	int		 rc = -1;

	*specs = NULL;
	*n = 0;
	if (d->errors == 0) {
		*specs = d->specs;	/* handed over */
		*n = d->ncharts;
		d->specs = NULL;
		rc = 0;
	}
	md_doc_free(d);
	return rc;
}

/* Renders md to HTML into out, charts replaced by chart_fn's output;
 * see md.h. */
void
md_html(const char *md, const char *file, unsigned line,
    const struct service *svc, int heading_shift, md_chart_fn chart_fn,
    void *arg, struct buf *out)
{
	struct md_doc	*d = doc_parse(md, file, line, svc, true, false);

	md_doc_html(d, heading_shift, chart_fn, arg, out);
	md_doc_free(d);
}

/* Flattens md into neutral blocks; see md.h.  Caller frees with
 * md_blocks_free. */
struct md_block *
md_blocks(const char *md, const char *file, unsigned line,
    const struct service *svc, int heading_shift, size_t *n)
{
	struct md_doc	*d = doc_parse(md, file, line, svc, true, true);
	struct md_block	*v = d->blocks;	/* handed over */

	*n = d->nblocks;
	blocks_shift(v, d->nblocks, heading_shift);
	d->blocks = NULL;
	d->nblocks = 0;
	md_doc_free(d);
	return v;
}
