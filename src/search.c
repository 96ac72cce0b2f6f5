/*
 * search.c: the pack's contents and the offline search index (see
 * search.h).  The index is JSON built with jansson and wrapped in one
 * assignment so that a <script src> loads it from file://, where a
 * fetch() of a .json file is refused.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "md.h"
#include "search.h"

/* A JSON string of s; bytes that are not UTF-8 become '?' (jansson
 * refuses invalid UTF-8, and the index must never be lost for it). */
static json_t *
search_str(const char *s)
{
	json_t	*j;
	char	*c;
	size_t	 i;

	if (s == NULL)
		s = "";
	if ((j = json_string(s)) != NULL)
		return j;
	c = xstrdup(s);
	for (i = 0; c[i] != '\0'; i++)
		if ((unsigned char)c[i] >= 0x80)
			c[i] = '?';
	j = json_string(c);
	free(c);
	return j;
}

static void
search_set(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, search_str(v));
}

/* Appends the words of t (its runs joined as written, so that "**x**."
 * stays "x.") to b, single-spaced, until *left runs out. */
static void
search_words(const struct md_text *t, struct buf *b, size_t *left)
{
	struct buf	 all;
	const char	*s;
	size_t		 r, n;

	buf_init(&all);
	for (r = 0; r < t->nruns; r++)
		buf_puts(&all, t->runs[r].text);
	buf_putc(&all, ' ');
	for (s = all.data; *left > 0; (*left)--) {
		while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
			s++;
		if (*s == '\0')
			break;
		n = strcspn(s, " \n\t\r");
		if (b->len > 0)
			buf_putc(b, ' ');
		buf_put(b, s, n);
		s += n;
	}
	buf_clear(&all);
}

/* The first SEARCH_WORDS words of the paragraphs and headings among
 * bl[0..n), as a string to free. */
static char *
search_blocks_text(const struct md_block *bl, size_t n)
{
	struct buf	 b;
	size_t		 i, left = SEARCH_WORDS;

	buf_init(&b);
	for (i = 0; i < n && left > 0; i++)
		if (bl[i].kind == MD_BLOCK_PARA ||
		    bl[i].kind == MD_BLOCK_HEADING)
			search_words(&bl[i].text, &b, &left);
	buf_putc(&b, '\0');
	return buf_release(&b);
}

char *
search_doc_text(const struct md_doc *doc)
{
	struct md_block	*bl;
	size_t		 n;
	char		*s;

	bl = md_doc_blocks(doc, 1, &n);
	s = search_blocks_text(bl, n);
	md_blocks_free(bl, n);
	return s;
}

/* The index text of a page: text when made already (the build parses
 * each body once, search_doc_text), else made from md here. */
static json_t *
search_text(const char *text, const char *md, const char *file,
    unsigned line, const struct service *svc)
{
	struct md_block	*bl = NULL;
	size_t		 n = 0;
	char		*s;
	json_t		*j;

	if (text != NULL)
		return search_str(text);
	if (md != NULL && *md != '\0')
		bl = md_blocks(md, file, line, svc, 1, &n);
	s = search_blocks_text(bl, n);
	md_blocks_free(bl, n);
	j = search_str(s);
	free(s);
	return j;
}

/* Measure names of a service: its flow measures, then its metrics; as
 * a JSON array, or joined with "; " into b when b is not NULL. */
static json_t *
search_measures(const struct service *svc, struct buf *b)
{
	static const char *const flow[] = { "Demand", "Capacity", "Backlog" };
	json_t		*a = json_array();
	const char	*name;
	size_t		 i, nflow = svc->has_demand && svc->has_capacity ? 3 : 0;

	for (i = 0; i < nflow + svc->nmetrics; i++) {
		name = i < nflow ? flow[i] : svc->metrics[i - nflow].label ?
		    svc->metrics[i - nflow].label :
		    svc->metrics[i - nflow].column;
		json_array_append_new(a, search_str(name));
		if (b != NULL)
			buf_printf(b, "%s%s", i > 0 ? "; " : "", name);
	}
	return a;
}

json_t *
search_contents_json(const struct pack *p, const char *prefix)
{
	json_t		*a = json_array(), *o;
	struct buf	 b;
	size_t		 i;
	char		*href;

	for (i = 0; i < p->nservices; i++) {
		const struct service *svc = &p->services[i];

		o = json_object();
		search_set(o, "title", svc->title ? svc->title : svc->id);
		href = xasprintf("%s%s.html", prefix, svc->id);
		search_set(o, "href", href);
		free(href);
		if (svc->owner)
			search_set(o, "owner", svc->owner);
		if (svc->domain)
			search_set(o, "domain", svc->domain);
		buf_init(&b);
		json_decref(search_measures(svc, &b));
		if (b.len > 0)
			search_set(o, "measures", b.data);
		buf_clear(&b);
		json_array_append_new(a, o);
	}
	return a;
}

void
search_index_js(const struct pack *p, char *const *texts, struct buf *out)
{
	json_t		*a = json_array(), *o;
	char		*s, *c;
	size_t		 i;

	o = json_object();
	search_set(o, "title", p->title ? p->title : "Performance pack");
	search_set(o, "url", "index.html");
	json_object_set_new(o, "measures", json_array());
	json_object_set_new(o, "text", search_text(texts ? texts[0] : NULL,
	    p->index_body, p->index_path, p->index_line, NULL));
	json_array_append_new(a, o);
	for (i = 0; i < p->nservices; i++) {
		const struct service *svc = &p->services[i];

		o = json_object();
		search_set(o, "title", svc->title ? svc->title : svc->id);
		s = xasprintf("services/%s.html", svc->id);
		search_set(o, "url", s);
		free(s);
		search_set(o, "owner", svc->owner);
		search_set(o, "domain", svc->domain);
		json_object_set_new(o, "measures", search_measures(svc, NULL));
		json_object_set_new(o, "text", search_text(texts ?
		    texts[1 + i] : NULL, svc->body, svc->path,
		    svc->body_line, svc));
		json_array_append_new(a, o);
	}
	s = json_dumps(a, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(a);
	buf_puts(out, "/* boardpack search index: written by the build */\n"
	    "window.BOARDPACK_INDEX = ");
	/* Inside strings only: "<" (no "</script" or "<!--"), and the
	 * two line separators that end a JavaScript string before ES2019. */
	for (c = s; c != NULL && *c != '\0'; c++) {
		if (*c == '<')
			buf_puts(out, "\\u003c");
		else if ((unsigned char)c[0] == 0xe2 &&
		    (unsigned char)c[1] == 0x80 &&
		    ((unsigned char)c[2] == 0xa8 ||
		    (unsigned char)c[2] == 0xa9)) {
			buf_puts(out, (unsigned char)c[2] == 0xa8 ?
			    "\\u2028" : "\\u2029");
			c += 2;
		} else
			buf_putc(out, *c);
	}
	buf_puts(out, ";\n");
	free(s);
}
