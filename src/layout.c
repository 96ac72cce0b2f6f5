/*
 * layout.c: the typesetting decisions of the PDF briefings (see
 * layout.h): words, lines, justification, widow and orphan control,
 * table columns.  pdf.c draws what is decided here.
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "md.h"
#include "util.h"

/* ---- text ---- */

void
layout_text_clear(struct layout_text *t)
{
	free(t->v);
	free(t->lines);
	memset(t, 0, sizeof(*t));
}

static void
layout_atom_add(struct layout_text *t, const char *s, size_t len,
    const struct md_run *r, bool sp, bool nl, const struct layout_measure *m)
{
	struct layout_atom *a;

	t->v = xreallocarray(t->v, t->n + 1, sizeof(*t->v));
	a = &t->v[t->n++];
	a->s = s;
	a->len = len;
	a->style = r->style;
	a->url = r->url;
	a->sp = sp;
	a->nl = nl;
	a->w = m->width(m->arg, t->bold || (r->style & MD_RUN_BOLD), s, len,
	    t->size);
}

void
layout_text_init(struct layout_text *t, const struct md_text *mt,
    double size, double lead, bool bold, unsigned rgb,
    const struct layout_measure *m)
{
	const struct md_run *r;
	const char	*s, *e;
	size_t		 i;
	bool		 sp = false, nl = false;
	double		 ww = 0;

	memset(t, 0, sizeof(*t));
	t->size = size;
	t->lead = lead;
	t->bold = bold;
	t->rgb = rgb;
	t->spw = m->width(m->arg, bold, " ", 1, size);
	for (i = 0; i < mt->nruns; i++) {
		r = &mt->runs[i];
		if (strcmp(r->text, "\n") == 0) {
			nl = true;
			sp = false;
			continue;
		}
		for (s = r->text; *s != '\0'; s = e) {
			if (*s == ' ' || *s == '\t' || *s == '\n') {
				sp = true;
				e = s + 1;
				continue;
			}
			for (e = s; *e != '\0' && *e != ' ' && *e != '\t' &&
			    *e != '\n'; e++)
				;
			layout_atom_add(t, s, (size_t)(e - s), r,
			    sp && t->n > 0 && !nl, nl, m);
			sp = nl = false;
		}
	}
	/* Widest word, and the width on one line. */
	for (i = 0; i < t->n; i++) {
		if (t->v[i].sp || t->v[i].nl || i == 0)
			ww = 0;
		ww += t->v[i].w;
		if (ww > t->maxw)
			t->maxw = ww;
		t->natw += t->v[i].w + (t->v[i].sp ? t->spw : 0);
	}
}

void
layout_text_break(struct layout_text *t, double width)
{
	struct layout_line *ln = NULL;
	size_t		 i, j;
	double		 ww;

	free(t->lines);
	t->lines = NULL;
	t->nlines = 0;
	for (i = 0; i < t->n; i = j) {
		ww = 0;
		for (j = i; j < t->n && (j == i || (!t->v[j].sp &&
		    !t->v[j].nl)); j++)
			ww += t->v[j].w;
		if (ln != NULL && !t->v[i].nl &&
		    ln->w + t->spw + ww <= width + 0.01) {
			ln->w += (t->v[i].sp ? t->spw : 0) + ww;
			ln->a1 = j;
			continue;
		}
		if (ln != NULL)
			ln->last = t->v[i].nl;
		t->lines = xreallocarray(t->lines, t->nlines + 1,
		    sizeof(*t->lines));
		ln = &t->lines[t->nlines++];
		ln->a0 = i;
		ln->a1 = j;
		ln->w = ww;
		ln->last = false;
	}
	if (ln != NULL)
		ln->last = true;
}

double
layout_baseline(const struct layout_text *t, double top)
{
	return top - (t->lead + t->size) / 2 + t->size * 0.18;
}

double
layout_line_start(const struct layout_text *t, size_t k, double x,
    double width, enum layout_align align, double *extra)
{
	const struct layout_line *ln = &t->lines[k];
	size_t		 i, gaps = 0;

	*extra = 0;
	for (i = ln->a0 + 1; i < ln->a1; i++)
		gaps += t->v[i].sp;
	if (align == LAYOUT_JUSTIFY && !ln->last && gaps > 0 &&
	    (width - ln->w) / (double)gaps < 2.5 * t->spw)
		*extra = (width - ln->w) / (double)gaps;
	else if (align == LAYOUT_RIGHT)
		x += width - ln->w;
	else if (align == LAYOUT_CENTER)
		x += (width - ln->w) / 2;
	return x;
}

size_t
layout_fit(double y, double top, double bottom, double lead, size_t k,
    size_t left)
{
	size_t	 fit;

	/* Below the margin (a caller's gap) nothing fits; the cast of a
	 * negative would wrap. */
	fit = y > bottom ? (size_t)floor((y - bottom) / lead + 1e-6) : 0;
	if (fit >= left)
		return left;
	if (fit < 2 || (k == 0 && left <= 3 && fit < left))
		fit = 0;
	else if (left - fit < 2)
		fit = left - 2;
	if (fit == 0 && y >= top - 1)
		fit = left;	/* never fits */
	return fit;
}

/* ---- tables ---- */

/* Right-aligns columns whose body cells all look like numbers. */
static bool
layout_numeric_col(const struct layout_table *tb, size_t k)
{
	const struct md_text	*c;
	const char		*s;
	size_t			 r, any = 0;

	for (r = tb->head ? 1 : 0; r < tb->nrows; r++) {
		c = &tb->cells[r * tb->ncols + k];
		if (c->nruns == 0)
			continue;
		s = c->runs[0].text;
		if (!((*s >= '0' && *s <= '9') || *s == '-' || *s == '+' ||
		    strncmp(s, "£", 2) == 0 || strncmp(s, "−", 3) == 0 ||
		    strcmp(s, "–") == 0) ||
		    strlen(s) > 14)
			return false;
		any++;
	}
	return any > 0;
}

/* Column widths cw[0..n) for natural widths nat and minimum widths mn
 * at width; cw[n] is their sum. */
static void
layout_columns(const double *nat, const double *mn, size_t n, double width,
    double *cw)
{
	double	 sn = 0;
	size_t	 k;

	for (k = 0; k < n; k++)
		sn += nat[k];
	/* Natural widths when they fit, stretched to the full width.
	 * Else, as browsers do: columns narrower than a fair share keep
	 * their natural width, the others share the rest from their
	 * minimum (longest word) up. */
	if (sn <= width) {
		for (k = 0; k < n; k++)
			cw[k] = nat[k] + (width - sn) * nat[k] / sn;
	} else {
		bool	*fixed = xcalloc(n, sizeof(bool));
		double	 left = width, fair, rn, rm;
		size_t	 nleft = n;
		bool	 again = true;

		while (again && nleft > 0) {
			again = false;
			fair = left / (double)nleft;
			for (k = 0; k < n; k++)
				if (!fixed[k] && nat[k] <= fair) {
					fixed[k] = true;
					cw[k] = nat[k];
					left -= nat[k];
					nleft--;
					again = true;
				}
		}
		rn = rm = 0;
		for (k = 0; k < n; k++)
			if (!fixed[k]) {
				rn += nat[k];
				rm += mn[k];
			}
		for (k = 0; k < n; k++) {
			if (fixed[k])
				continue;
			if (rm < left)
				cw[k] = mn[k] + (left - rm) * (nat[k] - mn[k]) /
				    (rn - rm > 0 ? rn - rm : 1);
			else
				cw[k] = mn[k] * left / rm;
		}
		free(fixed);
	}
	for (k = 0; k < n; k++)
		cw[n] += cw[k];
}

bool
layout_table_plan(struct layout_plan *pl, const struct layout_table *tb,
    double width, unsigned ink, const struct layout_measure *m)
{
	double		*nat, *mn, sn, lead;
	size_t		 r, k, n = tb->nrows * tb->ncols;

	memset(pl, 0, sizeof(*pl));
	if (n == 0)
		return false;
	pl->pad = 5;
	lead = tb->size * 1.3;
	pl->tx = xcalloc(n, sizeof(*pl->tx));
	nat = xcalloc(tb->ncols, sizeof(double));
	mn = xcalloc(tb->ncols, sizeof(double));
	pl->cw = xcalloc(tb->ncols + 1, sizeof(double));
	pl->rh = xcalloc(tb->nrows, sizeof(double));
	pl->al = xcalloc(tb->ncols, sizeof(*pl->al));
	for (r = 0; r < tb->nrows; r++)
		for (k = 0; k < tb->ncols; k++) {
			struct layout_text *t = &pl->tx[r * tb->ncols + k];

			layout_text_init(t, &tb->cells[r * tb->ncols + k],
			    tb->size, lead, (tb->head && r == 0) ||
			    (tb->col0_bold && k == 0), ink, m);
			if (t->natw + 2 * pl->pad > nat[k])
				nat[k] = t->natw + 2 * pl->pad;
			if (t->maxw + 2 * pl->pad > mn[k])
				mn[k] = t->maxw + 2 * pl->pad;
		}
	for (k = 0; k < tb->ncols; k++) {
		enum md_align a = tb->align ? tb->align[k] : MD_ALIGN_NONE;

		pl->al[k] = a == MD_ALIGN_RIGHT ? LAYOUT_RIGHT :
		    a == MD_ALIGN_CENTER ? LAYOUT_CENTER :
		    a == MD_ALIGN_LEFT ? LAYOUT_LEFT :
		    layout_numeric_col(tb, k) ? LAYOUT_RIGHT : LAYOUT_LEFT;
	}
	layout_columns(nat, mn, tb->ncols, width, pl->cw);
	for (r = 0; r < tb->nrows; r++) {
		for (k = 0; k < tb->ncols; k++) {
			struct layout_text *t = &pl->tx[r * tb->ncols + k];

			layout_text_break(t, pl->cw[k] - 2 * pl->pad);
			if ((double)t->nlines * lead + 7 > pl->rh[r])
				pl->rh[r] = (double)t->nlines * lead + 7;
		}
	}
	/* Short tables stay whole; long ones need the header and a row. */
	for (r = 0, sn = 0; r < tb->nrows; r++)
		sn += pl->rh[r];
	pl->need = sn < 220 ? sn : pl->rh[0] + (tb->nrows > 1 ? pl->rh[1] :
	    0);
	free(nat);
	free(mn);
	return true;
}

void
layout_plan_clear(struct layout_plan *pl, size_t ncells)
{
	size_t	 k;

	for (k = 0; pl->tx != NULL && k < ncells; k++)
		layout_text_clear(&pl->tx[k]);
	free(pl->tx);
	free(pl->cw);
	free(pl->rh);
	free(pl->al);
	memset(pl, 0, sizeof(*pl));
}

void
layout_grid_cell(struct layout_grid *g, const char *s)
{
	struct md_text	*c;

	g->cells = xreallocarray(g->cells, g->n + 1, sizeof(*g->cells));
	c = &g->cells[g->n++];
	c->runs = xcalloc(1, sizeof(*c->runs));
	c->nruns = 1;
	c->runs[0].text = xstrdup(s != NULL ? s : "");
}

void
layout_grid_clear(struct layout_grid *g)
{
	size_t	 i;

	for (i = 0; i < g->n; i++)
		md_text_clear(&g->cells[i]);
	free(g->cells);
	memset(g, 0, sizeof(*g));
}

/* ---- headings and contents ---- */

double
layout_heading_size(int level)
{
	return level <= 1 ? 18 : level == 2 ? 13.5 : level == 3 ? 11.5 : 10;
}

size_t
layout_toc_per_page(double first, double bottom, double lead)
{
	return (size_t)((first - bottom) / lead);
}
