/*
 * layout.h: the typesetting decisions of the PDF briefings (render
 * stage, SPEC 5), without libharu: Markdown text runs (md_text) split
 * into measured words, broken greedily into lines and justified;
 * widow and orphan control when a paragraph meets the foot of a page;
 * table column widths, row heights and how much of a table must stay
 * together; tables of plain strings; heading sizes and how many
 * contents entries a page holds.  Widths come from the caller through
 * struct layout_measure (pdf.c measures with the embedded font), so
 * this module is pure: it never prints and never touches files.
 * Units are PDF points; y grows upwards, as on a PDF page.
 */
#ifndef LAYOUT_H
#define LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "md.h"

enum layout_align {
	LAYOUT_LEFT,
	LAYOUT_CENTER,
	LAYOUT_RIGHT,
	LAYOUT_JUSTIFY
};

/* How wide s[0..len) is at size points in the regular or bold face. */
struct layout_measure {
	double		(*width)(void *arg, bool bold, const char *s,
			    size_t len, double size);
	void		*arg;
};

/* One word piece in one style, and where lines break. */
struct layout_atom {
	const char	*s;
	size_t		 len;
	unsigned	 style;		/* MD_RUN_* */
	const char	*url;
	double		 w;
	bool		 sp;		/* a space before it */
	bool		 nl;		/* a hard break before it */
};

struct layout_line {
	size_t		 a0, a1;	/* atoms [a0, a1) */
	double		 w;
	bool		 last;		/* not justified */
};

/* A paragraph: its words (borrowing the md_text's strings) and, after
 * layout_text_break, its lines. */
struct layout_text {
	struct layout_atom *v;
	size_t		 n;
	double		 size, lead, spw;
	bool		 bold;		/* base face */
	unsigned	 rgb;		/* colour, for the renderer */
	struct layout_line *lines;
	size_t		 nlines;
	double		 maxw;		/* widest word */
	double		 natw;		/* width on one line */
};

/* Splits mt's runs into words measured with m (strings borrowed from
 * mt, which must outlive t).  Free with layout_text_clear. */
void	 layout_text_init(struct layout_text *t, const struct md_text *mt,
	    double size, double lead, bool bold, unsigned rgb,
	    const struct layout_measure *m);
void	 layout_text_clear(struct layout_text *t);
/* Breaks t into lines of at most width (greedy, a word never split). */
void	 layout_text_break(struct layout_text *t, double width);
/* Baseline of a line of t whose box starts at top. */
double	 layout_baseline(const struct layout_text *t, double top);
/* Where line k of t starts in the box [x, x + width] set with align,
 * and in *extra the space added at each gap between words (justified
 * lines only; else 0). */
double	 layout_line_start(const struct layout_text *t, size_t k, double x,
	    double width, enum layout_align align, double *extra);
/* How many of the left lines still to set (k set already) go on this
 * page when the cursor is at y on a page from top down to bottom:
 * widow and orphan control keeps two lines on each side of a break
 * when it can.  0 means: start a new page first. */
size_t	 layout_fit(double y, double top, double bottom, double lead,
	    size_t k, size_t left);

/* A table of md_text cells, row-major. */
struct layout_table {
	size_t		 ncols, nrows;
	const struct md_text *cells;
	const enum md_align *align;	/* may be NULL */
	bool		 head;		/* row 0 repeats on new pages */
	bool		 col0_bold;
	double		 size;
};

/* A table laid out at a width: every cell's lines, column alignments,
 * widths (cw[ncols] is the total), row heights, the padding of a cell
 * and the height that must fit before the table starts. */
struct layout_plan {
	struct layout_text *tx;		/* ncols x nrows */
	enum layout_align *al;
	double		*cw, *rh;
	double		 pad, need;
};

/* Lays tb out at width: natural column widths when they fit, else as
 * browsers do; columns of numbers right-aligned.  Short tables stay
 * whole, long ones need the header and a row.  Returns false (plan
 * empty) for an empty table; else free with layout_plan_clear. */
bool	 layout_table_plan(struct layout_plan *pl,
	    const struct layout_table *tb, double width, unsigned ink,
	    const struct layout_measure *m);
void	 layout_plan_clear(struct layout_plan *pl, size_t ncells);

/* Cells from plain strings: a table builder for our own tables. */
struct layout_grid {
	struct md_text	*cells;
	size_t		 ncols, n;
};

/* Appends a copy of s (NULL = "") as the next cell of g. */
void	 layout_grid_cell(struct layout_grid *g, const char *s);
/* Frees g's cells and zeroes g. */
void	 layout_grid_clear(struct layout_grid *g);

/* Size of a heading of level (1 = largest). */
double	 layout_heading_size(int level);
/* Contents entries of lead points from first down to bottom. */
size_t	 layout_toc_per_page(double first, double bottom, double lead);

#endif /* !LAYOUT_H */
