/*
 * md.h: Markdown (cmark-gfm, CommonMark + GFM tables, strikethrough,
 * autolink) to HTML, and the ```chart blocks of SPEC 3.4.  Raw HTML in
 * the commentary is dropped and unsafe link schemes (javascript:, data:
 * ...) are neutralised, as cmark's safe mode does.
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

#endif /* !MD_H */
