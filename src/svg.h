/*
 * svg.h: chart model (chart.h) -> inline SVG (render stage).  The SVG is
 * self-contained markup for an HTML page: role="img" labelled by its
 * <title> and <desc>, a viewBox so it scales with the page, colours from
 * the theme's chart palette, dash patterns so series stay apart in
 * greyscale, and text that inherits the page's font.  Numbers are
 * written with at most one decimal (trailing zeros trimmed), so output
 * is byte-stable for golden tests.  Pure: builds in memory.
 */
#ifndef SVG_H
#define SVG_H

#include "chart.h"
#include "util.h"

/* Appends the SVG of c to out.  id prefixes the ids of <title> and
 * <desc> and must be unique on the page; with id NULL the SVG is
 * decorative (aria-hidden, no title or desc), e.g. a sparkline beside
 * its number. */
void	 svg_chart(const struct chart *c, const struct chart_palette *,
	    const char *id, struct buf *out);
/* The same drawing as a <symbol> with id sym (inside a hidden <svg> of
 * the page), and an SVG like svg_chart's that draws it by <use>: a
 * drawing repeated on a page (the IPR's icons) is written once. */
void	 svg_symbol(const struct chart *c, const struct chart_palette *,
	    const char *sym, struct buf *out);
void	 svg_use(const struct chart *c, const char *id, const char *sym,
	    struct buf *out);
/* Appends v as an SVG number: one decimal, trailing ".0" and "-0"
 * dropped ("12", "3.5"). */
void	 svg_num(struct buf *out, double v);

#endif /* !SVG_H */
