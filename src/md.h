/*
 * md.h: Markdown (cmark-gfm, CommonMark + GFM tables, strikethrough,
 * autolink) to HTML, and the ```chart blocks of SPEC 3.4.  Raw HTML in
 * the commentary is dropped and unsafe link schemes (javascript:, data:
 * ...) are neutralised, as cmark's safe mode does.  md_blocks() gives the
 * same Markdown as neutral blocks of styled text runs, for the PDF
 * renderer (pdf.c), which lays out text itself.
 */
#ifndef MD_H
#define MD_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"
#include "util.h"

enum chart_type {
	CHART_DCB,
	CHART_SPC,
	CHART_PROFILE,
	CHART_FAN,
	CHART_SCENARIOS,
	CHART_IPR
};

/* One parsed ```chart block. */
struct chart_spec {
	enum chart_type	 type;
	char		*metric;	/* spc: a metric column, or demand |
					 * capacity | backlog; else NULL */
	bool		 has_from;
	int64_t		 from;		/* period key (struct series) */
	char		*caption;	/* NULL = default caption */
	unsigned	 line;		/* line of the opening fence */
	bool		 no_table;	/* set by a caller that shows no
					 * data table (the PDF, but for
					 * the scenarios) */
};

/* Parses and validates every chart block of md (a service body when svc
 * != NULL, else index.md), reporting errors as file:line:col with line
 * numbers offset so that md's first line is line `line`.  On success
 * fills *specs and *n (free with md_chart_specs_free) and returns 0; -1 if any
 * block was bad. */
int	 md_charts(const char *md, const char *file, unsigned line,
	    const struct service *svc, struct chart_spec **specs, size_t *n);
void	 md_chart_specs_free(struct chart_spec *, size_t);

/* Called for the i-th chart block while rendering: appends the chart's
 * HTML (figure, SVG, table) to out. */
typedef void (*md_chart_fn)(const struct chart_spec *, size_t i,
	    struct buf *out, void *arg);

/* Renders md to HTML, appending to out.  Chart blocks are replaced by
 * what chart_fn writes (blocks are assumed valid: md_charts ran first;
 * with chart_fn NULL they are dropped).  Headings are shifted down by
 * heading_shift levels (e.g. 1 so that "#" becomes h2 under the page's
 * h1) and capped at h6. */
void	 md_html(const char *md, const char *file, unsigned line,
	    const struct service *svc, int heading_shift,
	    md_chart_fn chart_fn, void *arg, struct buf *out);

/* Style bits of a text run. */
/* Nesting of lists, quotes and emphasis beyond this is an error
 * (md_charts reports it; md_blocks drops what is deeper). */
#define MD_MAX_DEPTH	64

#define MD_RUN_BOLD	0x01u
#define MD_RUN_ITALIC	0x02u
#define MD_RUN_CODE	0x04u
#define MD_RUN_LINK	0x08u
#define MD_RUN_STRIKE	0x10u

/* A run of text in one style; text "\n" alone is a hard line break.
 * Soft line breaks are spaces. */
struct md_run {
	char		*text;		/* UTF-8 */
	unsigned	 style;		/* MD_RUN_* */
	char		*url;		/* links with a safe target, else NULL */
};

/* A paragraph, heading or table cell: runs in order. */
struct md_text {
	struct md_run	*runs;
	size_t		 nruns;
};

enum md_block_kind {
	MD_BLOCK_PARA,
	MD_BLOCK_HEADING,
	MD_BLOCK_CODE,		/* text: one run, literal with newlines */
	MD_BLOCK_RULE,
	MD_BLOCK_TABLE,
	MD_BLOCK_CHART
};

enum md_align {
	MD_ALIGN_NONE,
	MD_ALIGN_LEFT,
	MD_ALIGN_CENTER,
	MD_ALIGN_RIGHT
};

/*
 * One block of a flattened Markdown document.  Containers become
 * attributes: depth is the list nesting (0 = not in a list), quote the
 * block-quote nesting; the first block of a list item has item set
 * (with ordered and number for its marker).
 */
struct md_block {
	enum md_block_kind kind;
	int		 level;		/* HEADING: 1..6 after the shift */
	unsigned	 depth;
	unsigned	 quote;
	bool		 item;
	bool		 ordered;
	int		 number;	/* ordered items */
	bool		 tight;		/* in a tight list */
	struct md_text	 text;		/* PARA, HEADING, CODE */
	size_t		 ncols, nrows;	/* TABLE: row 0 is the header */
	struct md_text	*cells;		/* nrows x ncols, row-major */
	enum md_align	*align;		/* ncols */
	struct chart_spec chart;	/* CHART: owned */
};

/* Flattens md into blocks (in document order) and returns them with *n
 * set; free with md_blocks_free.  Headings are shifted as in md_html;
 * raw HTML is dropped; chart blocks become MD_BLOCK_CHART with their
 * spec (blocks are assumed valid: md_charts ran first; bad ones are
 * dropped silently).  file, line, svc as for md_charts. */
struct md_block	*md_blocks(const char *md, const char *file, unsigned line,
		    const struct service *svc, int heading_shift, size_t *n);
void		 md_blocks_free(struct md_block *, size_t);
/* Frees the runs of one text (not the struct itself). */
void		 md_text_clear(struct md_text *);

/*
 * One parse of a body for everything a build makes of it (md_charts,
 * md_html and md_blocks each parse md again): its chart blocks, its HTML
 * and its blocks.  Threads may share a doc (its charts and blocks are
 * made when it is parsed and only read after), but md_doc_html, which
 * renders the cmark tree and then lets it go, is called once.
 */
struct md_doc;

/* Parses md (file, line, svc as for md_charts) and checks its chart
 * blocks, reporting as md_charts does unless quiet.  Never NULL; free
 * with md_doc_free. */
struct md_doc	*md_doc_parse(const char *md, const char *file,
		    unsigned line, const struct service *svc, bool quiet);
void		 md_doc_free(struct md_doc *);	/* NULL ok */
/* false when a chart block was bad or the nesting too deep. */
bool		 md_doc_ok(const struct md_doc *);
/* The chart specs in document order (owned by the doc), as md_charts
 * gives them; NULL and *n 0 when !md_doc_ok. */
const struct chart_spec *md_doc_charts(const struct md_doc *, size_t *n);
/* As md_html, once per doc (it aborts if called again): bad chart
 * blocks are dropped. */
void		 md_doc_html(struct md_doc *, int heading_shift,
		    md_chart_fn chart_fn, void *arg, struct buf *out);
/* As md_blocks: a copy that the caller frees with md_blocks_free. */
struct md_block	*md_doc_blocks(const struct md_doc *, int heading_shift,
		    size_t *n);

#endif /* !MD_H */
