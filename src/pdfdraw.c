/*
 * pdfdraw.c: the drawing primitives of the PDF renderer's pages (render
 * stage, SPEC 5; internal to the renderer, see pdfint.h): a document's
 * set-up and its pages (pdf_open, pdf_new_page, pdf_close), colours
 * and the line state, paths and frames (pdf_path_*, pdf_frame_*), text
 * placed and lines drawn as layout.c decided them (pdf_put, pdf_show,
 * pdf_say, pdf_flow), tables and charts (pdf_table_draw,
 * pdf_grid_draw, pdf_chart_draw, pdf_mark).  Text is measured with
 * pdfharu.c's width tables (pdf_width), and operators, text and paths
 * go into the page through pdfharu.c; libharu itself only through
 * hpdf.h's API.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#include "chart.h"
#include "diag.h"
#include "layout.h"
#include "md.h"
#include "pdfint.h"
#include "util.h"

static const char *const pdf_months[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

/* ---- document ---- */

static unsigned
pdf_rgb(const char *s, unsigned dflt)
{
	unsigned	 v;

	return s != NULL && chart_colour_parse(s, &v) ? v : dflt;
}

/*
 * The graphics state setters below write an operator only when the
 * page's state (libharu keeps it, through q and Q) differs: a colour,
 * font or width set again is bytes to write and to compress.  The
 * operators are written by pdfharu.c (pdf_rgb_set, pdf_font).
 */
static HPDF_RGBColor
pdf_colour(unsigned rgb)
{
	HPDF_RGBColor	 c;

	c.r = (float)((rgb >> 16) & 255) / 255.0f;
	c.g = (float)((rgb >> 8) & 255) / 255.0f;
	c.b = (float)(rgb & 255) / 255.0f;
	return c;
}

static bool
pdf_colour_eq(HPDF_RGBColor a, HPDF_RGBColor b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b;
}

static void
pdf_fill(struct pdf *p, unsigned rgb)
{
	HPDF_RGBColor	 c = pdf_colour(rgb);

	if (HPDF_Page_GetFillingColorSpace(p->page) != HPDF_CS_DEVICE_RGB ||
	    !pdf_colour_eq(HPDF_Page_GetRGBFill(p->page), c))
		pdf_rgb_set(p, c, false);
}

static void
pdf_stroke(struct pdf *p, unsigned rgb)
{
	HPDF_RGBColor	 c = pdf_colour(rgb);

	if (HPDF_Page_GetStrokingColorSpace(p->page) != HPDF_CS_DEVICE_RGB ||
	    !pdf_colour_eq(HPDF_Page_GetRGBStroke(p->page), c))
		pdf_rgb_set(p, c, true);
}

static void
pdf_line_width(struct pdf *p, double w)
{
	if (HPDF_Page_GetLineWidth(p->page) != (float)w)
		HPDF_Page_SetLineWidth(p->page, (float)w);
}

/*
 * Paths.  A daily chart line has 1,095 points, and libharu 2.3 spends
 * more on each HPDF_Page_LineTo (it clears a 512-byte buffer a byte at
 * a time, then converts two floats) than the rest of the page costs.
 * So paths are formatted here, into p->path, and written with their
 * painting operator into the page's content stream in one write
 * (pdfharu.c, pdf_page_write): begun and painted within the one write, a path
 * leaves libharu's graphics mode and state as they were.  Coordinates
 * are whole hundredths of a point, far below what a printer or screen
 * shows, and a lineto that only carries a straight segment on in the
 * same direction (a run of zeros, a flat target) is merged into the
 * next: the path draws the same.
 */
static long long
pdf_path_round(const struct pdf *p, double v, int axis)
{
	long long	 n;

	if (p->framed) {
		/* Whole frame units, written as n * 100 hundredths. */
		v = isfinite(v) ? (v - p->org[axis]) * PDF_FRAME_K : 0;
		v = v > 32767 ? 32767 : v < -32767 ? -32767 : v;
	} else {
		/* libharu's limits for a real (HPDF_LIMIT_MAX_REAL). */
		v = isfinite(v) ? v : 0;
		v = v > 32767 ? 32767 : v < -32767 ? -32767 : v;
		v *= 100;
	}
	/* Half away from zero, as llround, which is a call: a chart line
	 * has thousands of points. */
	n = v < 0 ? -(long long)(0.5 - v) : (long long)(v + 0.5);
	return p->framed ? n * 100 : n;
}

/* Writes n hundredths and a space at s (room for 24 bytes); the
 * length.  Straight into place, two digits at a time: a chart line is
 * thousands of them. */
static size_t
pdf_path_fmt(char *s, long long n)
{
	static const char pairs[] =
	    "00010203040506070809101112131415161718192021222324"
	    "25262728293031323334353637383940414243444546474849"
	    "50515253545556575859606162636465666768697071727374"
	    "75767778798081828384858687888990919293949596979899";
	unsigned long long u, v;
	unsigned	 f;
	size_t		 len;
	char		*t;

	u = n < 0 ? (unsigned long long)-n : (unsigned long long)n;
	f = (unsigned)(u % 100);
	u /= 100;
	len = (n < 0) + 1 + (f == 0 ? 0 : f % 10 == 0 ? 2 : 3) + 1;
	for (v = u; v >= 10; v /= 10)
		len++;
	t = s + len;
	*--t = ' ';
	if (f != 0) {
		if (f % 10 != 0)
			*--t = pairs[2 * f + 1];
		*--t = pairs[2 * f];
		*--t = '.';
	}
	while (u >= 100) {
		f = (unsigned)(u % 100);
		u /= 100;
		*--t = pairs[2 * f + 1];
		*--t = pairs[2 * f];
	}
	if (u >= 10) {
		*--t = pairs[2 * u + 1];
		*--t = pairs[2 * u];
	} else
		*--t = (char)('0' + u);
	if (n < 0)
		*--t = '-';
	return len;
}

/* Appends n hundredths and a space to p->path. */
static void
pdf_path_put(struct pdf *p, long long n)
{
	buf_commit(&p->path, pdf_path_fmt(buf_reserve(&p->path, 24), n));
}

/* Appends the point q and the operator op (at most 2 bytes) to
 * p->path. */
static void
pdf_path_op(struct pdf *p, const long long q[2], const char *op)
{
	char	*s = buf_reserve(&p->path, 64);
	size_t	 k;

	k = pdf_path_fmt(s, q[0]);
	k += pdf_path_fmt(s + k, q[1]);
	s[k++] = op[0];
	if (op[1] != '\0')
		s[k++] = op[1];
	s[k++] = '\n';
	buf_commit(&p->path, k);
}

/* Writes the lineto held back by pdf_path_pt, if any. */
static void
pdf_path_flush(struct pdf *p)
{
	if (!p->held)
		return;
	p->held = false;
	pdf_path_op(p, p->pend, "l");
	p->last[0] = p->pend[0];
	p->last[1] = p->pend[1];
}

/* Appends the number v (an operand of "re" or "c") to p->path. */
static void
pdf_path_num(struct pdf *p, double v)
{
	pdf_path_flush(p);
	pdf_path_put(p, pdf_path_round(p, v, 0));
}

/* Appends the point (x, y) and the operator op ("m", "l", "re", "c")
 * to p->path.  A lineto is held back until the next point shows
 * whether it bends the line. */
static void
pdf_path_pt(struct pdf *p, double x, double y, const char *op)
{
	long long	 q[2] = { pdf_path_round(p, x, 0),
			    pdf_path_round(p, y, 1) };
	long long	 ax, ay, bx, by;
	bool		 line = strcmp(op, "l") == 0;

	if (line && p->open) {
		if (p->held) {
			ax = p->pend[0] - p->last[0];
			ay = p->pend[1] - p->last[1];
			bx = q[0] - p->pend[0];
			by = q[1] - p->pend[1];
			/* Straight on: no turn and no way back. */
			if (ax * by == ay * bx && ax * bx + ay * by >= 0) {
				p->pend[0] = q[0];
				p->pend[1] = q[1];
				return;
			}
			pdf_path_flush(p);
		}
		p->pend[0] = q[0];
		p->pend[1] = q[1];
		p->held = true;
		return;
	}
	pdf_path_flush(p);
	pdf_path_op(p, q, op);
	p->open = line || strcmp(op, "m") == 0;
	p->last[0] = q[0];
	p->last[1] = q[1];
}

/* Closes the subpath in p->path. */
static void
pdf_path_close(struct pdf *p)
{
	pdf_path_flush(p);
	buf_puts(&p->path, "h\n");
	p->open = false;
}

/* Paints p->path with op ("S", "f") into the page, and empties it. */
static void
pdf_path_paint(struct pdf *p, const char *op)
{
	HPDF_STATUS	 st;

	pdf_path_flush(p);
	p->open = false;
	if (p->framed) {
		p->framed = false;
		/* Nothing drawn: the frame's q .. cm, and no Q. */
		if (p->path.len == p->frame_len) {
			p->path.len = 0;
			return;
		}
		buf_puts(&p->path, op);
		buf_puts(&p->path, "\nQ\n");
	} else {
		if (p->path.len == 0)
			return;
		buf_puts(&p->path, op);
		buf_putc(&p->path, '\n');
	}
	st = pdf_page_write(p, p->path.data, p->path.len);
	if (st != HPDF_OK && p->err == 0)
		p->err = st;
	p->path.len = 0;
}

/* Appends a circle as libharu draws one (HPDF_Page_Circle): four
 * Bezier quarters, from the left. */
static void
pdf_path_circle(struct pdf *p, double x, double y, double r)
{
	const double	 k = 0.552 * r;

	pdf_path_pt(p, x - r, y, "m");
	pdf_path_num(p, x - r);
	pdf_path_num(p, y + k);
	pdf_path_num(p, x - k);
	pdf_path_num(p, y + r);
	pdf_path_pt(p, x, y + r, "c");
	pdf_path_num(p, x + k);
	pdf_path_num(p, y + r);
	pdf_path_num(p, x + r);
	pdf_path_num(p, y + k);
	pdf_path_pt(p, x + r, y, "c");
	pdf_path_num(p, x + r);
	pdf_path_num(p, y - k);
	pdf_path_num(p, x + k);
	pdf_path_num(p, y - r);
	pdf_path_pt(p, x, y - r, "c");
	pdf_path_num(p, x - k);
	pdf_path_num(p, y - r);
	pdf_path_num(p, x - r);
	pdf_path_num(p, y - k);
	pdf_path_pt(p, x - r, y, "c");
}

static void
pdf_dash_none(struct pdf *p)
{
	if (HPDF_Page_GetDash(p->page).num_ptn != 0)
		HPDF_Page_SetDash(p->page, NULL, 0, 0);
}

/* A horizontal rule from x0 to x1 at y, w points wide, in rgb. */
void
pdf_hline(struct pdf *p, double x0, double x1, double y, double w,
    unsigned rgb)
{
	pdf_stroke(p, rgb);
	pdf_line_width(p, w);
	pdf_dash_none(p);
	pdf_path_pt(p, x0, y, "m");
	pdf_path_pt(p, x1, y, "l");
	pdf_path_paint(p, "S");
}

/* A rectangle filled with rgb, its bottom left at (x, y). */
void
pdf_rect(struct pdf *p, double x, double y, double w, double h,
    unsigned rgb)
{
	pdf_fill(p, rgb);
	pdf_path_num(p, x);
	pdf_path_num(p, y);
	pdf_path_pt(p, w, h, "re");
	pdf_path_paint(p, "f");
}

/* Starts a page, with the current left footer; the cursor at its
 * top. */
void
pdf_new_page(struct pdf *p)
{
	p->page = HPDF_AddPage(p->doc);
	pdf_page_deflate(p->page);
	HPDF_Page_SetWidth(p->page, (float)PDF_PW);
	HPDF_Page_SetHeight(p->page, (float)PDF_PH);
	p->pages = xreallocarray(p->pages, p->npages + 1, sizeof(*p->pages));
	p->foot = xreallocarray(p->foot, p->npages + 1, sizeof(*p->foot));
	p->pages[p->npages] = p->page;
	p->foot[p->npages] = xstrdup(p->foot_now ? p->foot_now : "");
	p->npages++;
	p->y = PDF_TOP;
}

/* Starts a new page unless h points fit below the cursor (or the
 * cursor is at the top already). */
void
pdf_need(struct pdf *p, double h)
{
	if (p->y - h < PDF_BOTTOM && p->y < PDF_TOP - 1)
		pdf_new_page(p);
}

/* The left footer of the pages started from now on (copied). */
void
pdf_set_foot(struct pdf *p, const char *s)
{
	free(p->foot_now);
	p->foot_now = xstrdup(s);
}

/* Sets up p and its document; -1 (reported) if fonts are missing. */
int
pdf_open(struct pdf *p, const struct pack *pack,
    const struct chart_palette *pal, const char *name)
{
	int		 y;
	unsigned	 mo, d;

	memset(p, 0, sizeof(*p));
	p->pack = pack;
	p->pal = pal;
	buf_init(&p->tmp);
	buf_init(&p->path);
	buf_init(&p->hex);
	if (!pdf_font_found()) {
		diag_error(name, 0, 0, "no TrueType font found: install "
		    "fonts-liberation or fonts-dejavu-core");
		return -1;
	}
	p->ink = pdf_rgb(pal->colour[CHART_ROLE_TEXT], 0x212b32);
	p->muted = pdf_rgb(pal->colour[CHART_ROLE_AXIS], 0x4c6272);
	p->accent = pdf_rgb(pal->colour[CHART_ROLE_DEMAND], 0x005eb8);
	p->rule = pdf_rgb(pal->colour[CHART_ROLE_GRID], 0xd8dde0);
	p->tint = 0xf0f4f5;
	if (pdf_doc_open(p) == -1) {
		diag_error(name, 0, 0, "cannot start a PDF document");
		return -1;
	}
	p->measure.width = pdf_measure;
	p->measure.arg = p;
	p->day = INT64_MIN;
	if (pack->date != NULL && util_day_parse(pack->date, &p->day)) {
		util_civil_from_days(p->day, &y, &mo, &d);
		snprintf(p->date_label, sizeof(p->date_label), "%u %s %d", d,
		    pdf_months[mo - 1], y);
	}
	return p->err ? -1 : 0;
}

/* Frees what p holds, and lets go of its document. */
void
pdf_close(struct pdf *p)
{
	size_t	 i;

	pdf_doc_close(p);
	for (i = 0; i < p->npages; i++)
		free(p->foot[i]);
	free(p->foot);
	free(p->pages);
	free(p->foot_now);
	while (p->npre > 0)
		chart_free(p->pre[--p->npre]);
	for (i = 0; i < p->ntoc; i++)
		free(p->toc[i].title);
	free(p->toc);
	buf_clear(&p->tmp);
	buf_clear(&p->path);
	buf_clear(&p->hex);
}

/* ---- text ---- */

/*
 * Shows p->tmp inside a text object, its baseline starting at (x, y);
 * with *tx (the start of the string before, NAN: none) a move from it
 * rather than a new text matrix.  Notes the highest character drawn
 * for pdf_font_fix (pdfharu.c).
 */
static void
pdf_put(struct pdf *p, double x, double y, bool bold, bool italic,
    double size, unsigned rgb, double *tx)
{
	if (p->tmp.len == 0)
		return;
	pdf_font(p, bold, size);
	pdf_fill(p, rgb);
	if (tx != NULL && !isnan(*tx))
		pdf_text_move(p, (float)(x - *tx), 0);
	else
		pdf_text_matrix(p, 1, 0,
		    italic ? (float)PDF_SKEW : 0, 1, (float)x, (float)y);
	if (tx != NULL)
		*tx = x;
	pdf_show_text(p, bold ? PDF_BOLD : PDF_REG, p->tmp.data);
}

/* Draws s (len bytes) with its baseline start at (x, y). */
void
pdf_show(struct pdf *p, double x, double y, const char *s, size_t len,
    bool bold, bool italic, double size, unsigned rgb)
{
	p->tmp.len = 0;
	buf_put(&p->tmp, s, len);
	if (p->tmp.data == NULL || p->tmp.len == 0)
		return;
	HPDF_Page_BeginText(p->page);
	pdf_put(p, x, y, bold, italic, size, rgb, NULL);
	HPDF_Page_EndText(p->page);
}

/* One line of plain text, anchored at x by align (left/center/right). */
double
pdf_say(struct pdf *p, double x, double y, const char *s, bool bold,
    double size, unsigned rgb, enum layout_align align)
{
	double	 w = pdf_width(p, bold, s, strlen(s), size);

	if (align == LAYOUT_RIGHT)
		x -= w;
	else if (align == LAYOUT_CENTER)
		x -= w / 2;
	pdf_show(p, x, y, s, strlen(s), bold, false, size, rgb);
	return w;
}

/* Splits mt into measured words (layout_text_init with p's fonts). */
void
pdf_text_init(struct pdf *p, struct layout_text *t, const struct md_text *mt,
    double size, double lead, bool bold, unsigned rgb)
{
	layout_text_init(t, mt, size, lead, bold, rgb, &p->measure);
}

/* Whether atom b, after a on a line whose gaps are widened by extra,
 * goes into a's string: same face, slant and colour, and either
 * straight after a or after a space as wide as the one the font draws
 * (not widened, in the paragraph's face). */
static bool
pdf_atom_joins(const struct layout_text *t, const struct layout_atom *a,
    const struct layout_atom *b, double extra)
{
	unsigned	 look = MD_RUN_BOLD | MD_RUN_ITALIC | MD_RUN_LINK;

	if ((a->style & look) != (b->style & look))
		return false;
	return !b->sp || (extra == 0 && (t->bold ||
	    (b->style & MD_RUN_BOLD) == 0));
}

/*
 * Draws line k of t in the box [x, x + width] starting at top: the
 * shading of code, then the words in one text object (a string for
 * each run of words pdf_atom_joins), then the rules of links and
 * struck words, and the links.
 */
static void
pdf_line_draw(struct pdf *p, const struct layout_text *t, size_t k, double x,
    double top, double width, enum layout_align align)
{
	const struct layout_line *ln = &t->lines[k];
	const struct layout_atom *a, *b;
	double		 extra, base = layout_baseline(t, top), x0, ax, w;
	double		 tx = NAN;
	size_t		 i, j;
	unsigned	 rgb;
	bool		 italic, slant = false;

	x0 = layout_line_start(t, k, x, width, align, &extra);
	for (x = x0, i = ln->a0; i < ln->a1; i++) {
		a = &t->v[i];
		if (i > ln->a0 && a->sp)
			x += t->spw + extra;
		if (a->style & MD_RUN_CODE)
			pdf_rect(p, x - 1, base - t->size * 0.25, a->w + 2,
			    t->size * 1.15, p->tint);
		x += a->w;
	}
	HPDF_Page_BeginText(p->page);
	for (x = x0, i = ln->a0; i < ln->a1; i = j) {
		a = &t->v[i];
		if (i > ln->a0 && a->sp)
			x += t->spw + extra;
		p->tmp.len = 0;
		buf_put(&p->tmp, a->s, a->len);
		w = a->w;
		for (j = i + 1; j < ln->a1 &&
		    pdf_atom_joins(t, a, &t->v[j], extra); j++) {
			b = &t->v[j];
			if (b->sp) {
				buf_putc(&p->tmp, ' ');
				w += t->spw;
			}
			buf_put(&p->tmp, b->s, b->len);
			w += b->w;
		}
		italic = (a->style & MD_RUN_ITALIC) != 0;
		if (italic != slant)
			tx = NAN;
		slant = italic;
		pdf_put(p, x, base, t->bold || (a->style & MD_RUN_BOLD), italic,
		    t->size, a->style & MD_RUN_LINK ? p->accent : t->rgb,
		    &tx);
		x += w;
	}
	HPDF_Page_EndText(p->page);
	for (x = x0, i = ln->a0; i < ln->a1; i++) {
		a = &t->v[i];
		if (i > ln->a0 && a->sp)
			x += t->spw + extra;
		rgb = a->style & MD_RUN_LINK ? p->accent : t->rgb;
		ax = x;
		x += a->w;
		if (a->style & MD_RUN_STRIKE)
			pdf_hline(p, ax, x, base + t->size * 0.3, 0.6, rgb);
		if (a->style & MD_RUN_LINK) {
			pdf_hline(p, ax, x + (i + 1 < ln->a1 &&
			    t->v[i + 1].sp && (t->v[i + 1].style &
			    MD_RUN_LINK) ? t->spw + extra : 0),
			    base - t->size * 0.15, 0.5, rgb);
			if (a->url != NULL) {
				HPDF_Rect	 rc = { (float)ax,
				    (float)(base - t->size * 0.25), (float)x,
				    (float)(base + t->size * 0.9) };
				HPDF_Annotation	 an;

				an = HPDF_Page_CreateURILinkAnnot(p->page, rc,
				    a->url);
				HPDF_LinkAnnot_SetBorderStyle(an, 0, 0, 0);
			}
		}
	}
}

/*
 * Flows a paragraph from the cursor: lines at [x, x + width], page
 * breaks with at least two lines on each side when it can (widow and
 * orphan control).  marker (may be NULL) is drawn right-aligned before
 * the first line; bar draws a quote rule at bar_x beside every line.
 */
void
pdf_flow(struct pdf *p, struct layout_text *t, double x, double width,
    enum layout_align align, const char *marker, double bar_x, bool bar)
{
	size_t	 k = 0, fit;

	layout_text_break(t, width);
	while (k < t->nlines) {
		fit = layout_fit(p->y, PDF_TOP, PDF_BOTTOM, t->lead, k,
		    t->nlines - k);
		if (fit == 0) {
			pdf_new_page(p);
			continue;
		}
		for (; fit > 0; fit--, k++) {
			if (bar)
				pdf_rect(p, bar_x, p->y - t->lead, 2.5,
				    t->lead, p->rule);
			if (k == 0 && marker != NULL)
				pdf_say(p, x - 5, layout_baseline(t, p->y),
				    marker, false, t->size, t->rgb,
				    LAYOUT_RIGHT);
			pdf_line_draw(p, t, k, x, p->y, width, align);
			p->y -= t->lead;
		}
		if (k < t->nlines)
			pdf_new_page(p);
	}
}

/* A paragraph of plain text s (one style) from the cursor. */
void
pdf_plain(struct pdf *p, const char *s, unsigned style, double x,
    double width, double size, double lead, bool bold, unsigned rgb,
    enum layout_align align)
{
	struct md_run	 r = { (char *)s, style, NULL };
	struct md_text	 mt = { &r, 1 };
	struct layout_text	 t;

	pdf_text_init(p, &t, &mt, size, lead, bold, rgb);
	pdf_flow(p, &t, x, width, align, NULL, 0, false);
	layout_text_clear(&t);
}

/* ---- tables ---- */

static void
pdf_row_draw(struct pdf *p, const struct layout_table *tb,
    const struct layout_plan *pl, size_t r, double x)
{
	const double		*cw = pl->cw;
	const enum layout_align	*al = pl->al;
	size_t			 k, i;
	double			 cx = x, top = p->y - 3.5, h = pl->rh[r];
	double			 pad = pl->pad;
	bool			 head = tb->head && r == 0;

	if (head)
		pdf_rect(p, x, p->y - h, cw[tb->ncols], h, p->tint);
	for (k = 0; k < tb->ncols; k++) {
		const struct layout_text *t = &pl->tx[r * tb->ncols + k];

		for (i = 0; i < t->nlines; i++)
			pdf_line_draw(p, t, i, cx + pad, top - (double)i *
			    t->lead, cw[k] - 2 * pad, head && al[k] !=
			    LAYOUT_RIGHT ? LAYOUT_LEFT : al[k]);
		cx += cw[k];
	}
	p->y -= h;
	pdf_hline(p, x, x + cw[tb->ncols], p->y, head ? 0.9 : 0.4,
	    head ? p->ink : p->rule);
}

/* Lays out and flows a table at [x, x + width] from the cursor. */
void
pdf_table_draw(struct pdf *p, const struct layout_table *tb, double x,
    double width)
{
	struct layout_plan	 pl;
	size_t			 r;

	if (!layout_table_plan(&pl, tb, width, p->ink, &p->measure))
		return;
	pdf_need(p, pl.need);
	for (r = 0; r < tb->nrows; r++) {
		if (p->y - pl.rh[r] < PDF_BOTTOM && p->y < PDF_TOP - 1) {
			pdf_new_page(p);
			if (tb->head && r > 0)
				pdf_row_draw(p, tb, &pl, 0, x);
		}
		pdf_row_draw(p, tb, &pl, r, x);
	}
	layout_plan_clear(&pl, tb->nrows * tb->ncols);
}

/* Draws grid g, header row first, as a table across the text width,
 * and clears it. */
void
pdf_grid_draw(struct pdf *p, struct layout_grid *g, bool col0_bold,
    double size)
{
	struct layout_table tb;

	memset(&tb, 0, sizeof(tb));
	tb.ncols = g->ncols;
	tb.nrows = g->n / g->ncols;
	tb.cells = g->cells;
	tb.head = true;
	tb.col0_bold = col0_bold;
	tb.size = size;
	pdf_table_draw(p, &tb, PDF_M, PDF_CW);
	layout_grid_clear(g);
}

/* ---- charts ---- */

static void
pdf_dash(struct pdf *p, enum chart_dash d, double s)
{
	double		 pat[4];
	HPDF_UINT16	 ip[4];
	HPDF_DashMode	 now = HPDF_Page_GetDash(p->page);
	size_t		 n, i;

	n = chart_dash_pattern(d, pat);
	for (i = 0; i < n; i++) {
		long	 v = lround(pat[i] * s);

		ip[i] = (HPDF_UINT16)(v < 1 ? 1 : v > 100 ? 100 : v);
	}
	if (now.num_ptn == n && now.phase == 0) {
		for (i = 0; i < n && now.ptn[i] == ip[i]; i++)
			;
		if (i == n)
			return;
	}
	HPDF_Page_SetDash(p->page, n ? ip : NULL, (HPDF_UINT)n, 0);
}

/*
 * Frames.  The points of a chart's lines and areas are most of a
 * briefing's bytes, and deflating them most of its cost.  A mark of
 * many points is drawn in a frame: "q", a "cm" that puts the origin
 * at the chart's bottom left and makes a unit 1/PDF_FRAME_K point,
 * the path in whole units ("7656 3412 l", 12 bytes rather than 16
 * for "433.82 459.51 l"), its painting operator and "Q".  A unit of
 * 0.05 pt is a fifth of a dot at 600 dpi and half the step the SVG of
 * the same chart is written in (tenths of its units, about 0.1 pt
 * here).  Line width and dash scale with the frame, so a stroked
 * mark sets its width inside it, in frame units, and a solid dash
 * (pdf_frame_pen); the frame's Q then restores libharu's state as it
 * was.  Dashed lines are not framed: along a jagged line the rounding
 * changes the length, and the dashes would drift by a fraction of a
 * point towards its end.  Only "m", "l" and "h" go into a frame
 * (pdf_path_pt, pdf_path_close).
 */
static void
pdf_frame_open(struct pdf *p, double x, double y)
{
	long long	 o[2];

	o[0] = pdf_path_round(p, x, 0);
	o[1] = pdf_path_round(p, y, 1);
	buf_puts(&p->path, "q\n");
	pdf_path_put(p, 100 / PDF_FRAME_K);
	buf_puts(&p->path, "0 0 ");
	pdf_path_put(p, 100 / PDF_FRAME_K);
	pdf_path_put(p, o[0]);
	pdf_path_put(p, o[1]);
	buf_puts(&p->path, "cm\n");
	p->org[0] = (double)o[0] / 100;
	p->org[1] = (double)o[1] / 100;
	p->framed = true;
	p->frame_len = p->path.len;
}

/* Sets line width w (points) and a solid line in the frame. */
static void
pdf_frame_pen(struct pdf *p, double w)
{
	pdf_path_put(p, llround(w * PDF_FRAME_K * 100));
	buf_puts(&p->path, "w\n");
	if (HPDF_Page_GetDash(p->page).num_ptn != 0)
		buf_puts(&p->path, "[] 0 d\n");
	p->frame_len = p->path.len;
}

static unsigned
pdf_role(const struct pdf *p, enum chart_role r)
{
	return (unsigned)r < CHART_ROLE_N ?
	    pdf_rgb(p->pal->colour[r], 0) : 0;
}

/* Draws mark m of a chart whose top left is (x0, y0) and bottom yb,
 * at scale s. */
static void
pdf_mark(struct pdf *p, const struct chart_mark *m, double x0, double y0,
    double yb, double s)
{
	HPDF_Page	 pg = p->page;
	double		 r = m->width * s, x, y;
	size_t		 i, j, k;
	bool		 pen = false;

#define PX(v)	(x0 + (v) * s)
#define PY(v)	(y0 - (v) * s)
	switch (m->kind) {
	case CHART_MARK_LINE:
		pdf_stroke(p, pdf_role(p, m->role));
		if (HPDF_Page_GetLineJoin(pg) != HPDF_ROUND_JOIN)
			HPDF_Page_SetLineJoin(pg, HPDF_ROUND_JOIN);
		if (m->n >= PDF_FRAME_MIN && m->dash == CHART_DASH_SOLID) {
			pdf_frame_open(p, x0, yb);
			pdf_frame_pen(p, m->width * s * PDF_CHART_LW);
		} else {
			pdf_line_width(p, m->width * s * PDF_CHART_LW);
			pdf_dash(p, m->dash, s * PDF_CHART_LW);
		}
		for (i = 0; i < m->n; i++) {
			if (!isfinite(m->y[i])) {
				pen = false;
				continue;
			}
			if (!pen && !(i + 1 < m->n && isfinite(m->y[i + 1])))
				continue;
			pdf_path_pt(p, PX(m->x[i]), PY(m->y[i]), pen ? "l" :
			    "m");
			pen = true;
		}
		pdf_path_paint(p, "S");
		break;
	case CHART_MARK_AREA:
		k = (size_t)lround((m->opacity < 0 ? 0 : m->opacity > 1 ? 1 :
		    m->opacity) * 10);
		HPDF_Page_GSave(pg);
		if (p->gs[k] == NULL) {
			p->gs[k] = HPDF_CreateExtGState(p->doc);
			HPDF_ExtGState_SetAlphaFill(p->gs[k], (float)k / 10.0f);
		}
		HPDF_Page_SetExtGState(pg, p->gs[k]);
		pdf_fill(p, pdf_role(p, m->role));
		if (m->n >= PDF_FRAME_MIN)
			pdf_frame_open(p, x0, yb);
		for (i = 0; i < m->n; i = j) {
			if (!isfinite(m->y[i])) {
				j = i + 1;
				continue;
			}
			for (j = i; j < m->n && isfinite(m->y[j]); j++)
				;
			if (m->ylo != NULL) {
				/* A band: along y, back along ylo. */
				pdf_path_pt(p, PX(m->x[i]), PY(m->y[i]), "m");
				for (k = i + 1; k < j; k++)
					pdf_path_pt(p, PX(m->x[k]),
					    PY(m->y[k]), "l");
				for (k = j; k > i; k--)
					pdf_path_pt(p, PX(m->x[k - 1]),
					    PY(isfinite(m->ylo[k - 1]) ?
					    m->ylo[k - 1] : m->y[k - 1]), "l");
				pdf_path_close(p);
				continue;
			}
			pdf_path_pt(p, PX(m->x[i]), PY(m->base), "m");
			for (k = i; k < j; k++)
				pdf_path_pt(p, PX(m->x[k]), PY(m->y[k]), "l");
			pdf_path_pt(p, PX(m->x[j - 1]), PY(m->base), "l");
			pdf_path_close(p);
		}
		pdf_path_paint(p, "f");
		HPDF_Page_GRestore(pg);
		break;
	case CHART_MARK_POINTS:
		pdf_fill(p, pdf_role(p, m->role));
		for (i = 0; i < m->n; i++) {
			if (!isfinite(m->y[i]))
				continue;
			x = PX(m->x[i]);
			y = PY(m->y[i]);
			switch (m->marker) {
			case CHART_MARKER_SQUARE:
				pdf_path_num(p, x - r);
				pdf_path_num(p, y - r);
				pdf_path_pt(p, 2 * r, 2 * r, "re");
				break;
			case CHART_MARKER_TRIANGLE:
				pdf_path_pt(p, x, y + 1.2 * r, "m");
				pdf_path_pt(p, x + 1.1 * r, y - 0.8 * r, "l");
				pdf_path_pt(p, x - 1.1 * r, y - 0.8 * r, "l");
				pdf_path_close(p);
				break;
			case CHART_MARKER_DIAMOND:
				pdf_path_pt(p, x, y + 1.3 * r, "m");
				pdf_path_pt(p, x + 1.3 * r, y, "l");
				pdf_path_pt(p, x, y - 1.3 * r, "l");
				pdf_path_pt(p, x - 1.3 * r, y, "l");
				pdf_path_close(p);
				break;
			default:
				pdf_path_circle(p, x, y, r);
				break;
			}
		}
		pdf_path_paint(p, "f");
		break;
	}
#undef PX
#undef PY
}

/* Shows a chart's text inside a text object. */
static void
pdf_chart_text(struct pdf *p, const struct chart_text *t, double x0,
    double y0, double s)
{
	double	 size = t->size * s * PDF_CHART_FS, w, x, y;
	size_t	 len = strlen(t->s);

	if (len == 0)
		return;
	w = pdf_width(p, t->bold, t->s, len, size);
	if (t->anchor == CHART_ANCHOR_MIDDLE)
		w /= 2;
	else if (t->anchor == CHART_ANCHOR_START)
		w = 0;
	x = x0 + t->x * s;
	y = y0 - t->y * s;
	p->tmp.len = 0;
	buf_put(&p->tmp, t->s, len);
	if (!t->vertical) {
		pdf_put(p, x - w, y, t->bold, false, size,
		    pdf_role(p, t->role), NULL);
		return;
	}
	pdf_font(p, t->bold, size);
	pdf_fill(p, pdf_role(p, t->role));
	pdf_text_matrix(p, 0, 1, -1, 0, (float)x,
	    (float)(y - w));
	pdf_show_text(p, t->bold ? PDF_BOLD : PDF_REG, p->tmp.data);
}

/* Draws a chart and its caption, kept together on one page. */
void
pdf_chart_draw(struct pdf *p, const struct chart *c, double x, double width)
{
	struct layout_text	 t;
	struct md_run	 r[2];
	struct md_text	 mt = { r, 2 };
	char		 fig[32];
	double		 s, h, y0;
	size_t		 i;

	if (c->width <= 0)
		return;
	s = width / c->width;
	h = c->height * s;
	p->nfig++;
	snprintf(fig, sizeof(fig), "Figure %zu. ", p->nfig);
	memset(r, 0, sizeof(r));
	r[0].text = fig;
	r[0].style = MD_RUN_BOLD;
	r[1].text = c->title ? c->title : "";
	pdf_text_init(p, &t, &mt, 9.5, 13, false, p->ink);
	layout_text_break(&t, width);
	pdf_need(p, (double)t.nlines * t.lead + 4 + h + 6);
	pdf_flow(p, &t, x, width, LAYOUT_LEFT, NULL, 0, false);
	layout_text_clear(&t);
	p->y -= 4;
	y0 = p->y;
	for (i = 0; i < c->nmarks; i++)
		pdf_mark(p, &c->marks[i], x, y0, y0 - h, s);
	if (c->ntexts > 0) {
		HPDF_Page_BeginText(p->page);
		for (i = 0; i < c->ntexts; i++)
			pdf_chart_text(p, &c->texts[i], x, y0, s);
		HPDF_Page_EndText(p->page);
	}
	p->y -= h + 10;
}
