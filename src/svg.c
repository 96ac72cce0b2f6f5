/*
 * svg.c: chart model -> SVG (see svg.h).  The model is already laid
 * out; this file only writes primitives.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "esc.h"
#include "svg.h"

/* Tenths below this are written from the integer: t / 10 is then
 * within 2^-6 of the decimal t/10, which "%.1f" would print. */
#define SVG_FAST_TENTHS	1e15

/* "00" "01" .. "99". */
static const char svg_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930"
	"31323334353637383940414243444546474849505152535455565758596061"
	"6263646566676869707172737475767778798081828384858687888990919293"
	"949596979899";

/* Room svg_num_text() needs. */
#define SVG_NUM_SIZE	64

/* The text of svg_num() at p (SVG_NUM_SIZE bytes of room); returns its
 * length (no NUL). */
static size_t
svg_num_text(char *p, double v)
{
	static const uint64_t pow10[] = { 1, 10, 100, 1000, 10000, 100000,
	    1000000, 10000000, 100000000, 1000000000, 10000000000,
	    100000000000, 1000000000000, 10000000000000, 100000000000000 };
	char		 s[SVG_NUM_SIZE], *q;
	uint64_t	 u, ip;
	size_t		 n, nd;
	double		 t;

	if (!isfinite(v))
		v = 0;
	t = round(v * 10);		/* tenths, half away from zero */
	if (fabs(t) < SVG_FAST_TENTHS) {
		u = (uint64_t)fabs(t);
		ip = u / 10;		/* < 10^14 */
		if (ip < 1000)		/* chart units: the usual case */
			nd = 1 + (ip >= 10) + (ip >= 100);
		else
			for (nd = 4; nd < 15 && ip >= pow10[nd]; nd++)
				;
		/* t == -0 is not negative: no "-0". */
		n = (t < 0) + nd + (u % 10 != 0 ? 2 : 0);
		q = p + n;
		if (u % 10 != 0) {
			*--q = (char)('0' + u % 10);
			*--q = '.';
		}
		for (; ip >= 100; ip /= 100) {
			q -= 2;
			memcpy(q, svg_pairs + 2 * (ip % 100), 2);
		}
		if (ip >= 10) {
			q -= 2;
			memcpy(q, svg_pairs + 2 * ip, 2);
		} else
			*--q = (char)('0' + ip);
		if (t < 0)
			*--q = '-';
		return n;
	}
	v = t / 10;
	snprintf(s, sizeof(s), "%.1f", v);
	n = strlen(s);
	if (n >= 2 && strcmp(s + n - 2, ".0") == 0)
		s[n -= 2] = '\0';
	memcpy(p, s, n);
	return n;
}

void
svg_num(struct buf *out, double v)
{
	buf_commit(out, svg_num_text(buf_reserve(out, SVG_NUM_SIZE), v));
}

/* cmd, x, ' ', y. */
static void
svg_xy(struct buf *out, char cmd, double x, double y)
{
	char	*p = buf_reserve(out, 2 * SVG_NUM_SIZE + 2), *q = p;

	*q++ = cmd;
	q += svg_num_text(q, x);
	*q++ = ' ';
	q += svg_num_text(q, y);
	buf_commit(out, (size_t)(q - p));
}

static const char *
svg_colour(const struct chart_palette *p, enum chart_role r)
{
	return (unsigned)r < CHART_ROLE_N ? p->colour[r] : "#000000";
}

static void
svg_stroke(struct buf *out, const struct chart_palette *p,
    const struct chart_mark *m)
{
	double	 pat[4];
	size_t	 n, i;

	buf_printf(out, " stroke=\"%s\" stroke-width=\"", svg_colour(p, m->role));
	svg_num(out, m->width);
	buf_putc(out, '"');
	if ((n = chart_dash_pattern(m->dash, pat)) > 0) {
		buf_puts(out, " stroke-dasharray=\"");
		for (i = 0; i < n; i++) {
			if (i > 0)
				buf_putc(out, ' ');
			svg_num(out, pat[i]);
		}
		buf_putc(out, '"');
	}
}

/* Polyline, NAN y starting a new subpath; a lone point gets no line. */
static void
svg_line(struct buf *out, const struct chart_palette *p,
    const struct chart_mark *m)
{
	size_t	 i;
	bool	 pen = false, any = false;

	for (i = 0; i < m->n; i++)
		if (isfinite(m->y[i]) && i + 1 < m->n && isfinite(m->y[i + 1]))
			any = true;
	if (!any)
		return;
	buf_puts(out, "<path d=\"");
	for (i = 0; i < m->n; i++) {
		if (!isfinite(m->y[i])) {
			pen = false;
			continue;
		}
		if (!pen && !(i + 1 < m->n && isfinite(m->y[i + 1])))
			continue;	/* isolated point: nothing to draw */
		svg_xy(out, pen ? 'L' : 'M', m->x[i], m->y[i]);
		pen = true;
	}
	buf_puts(out, "\" fill=\"none\"");
	svg_stroke(out, p, m);
	buf_puts(out, " stroke-linejoin=\"round\"/>\n");
}

/* Area between y and base, one closed subpath per run of finite y. */
static void
svg_area(struct buf *out, const struct chart_palette *p,
    const struct chart_mark *m)
{
	size_t	 i, j;
	bool	 any = false;

	for (i = 0; i < m->n; i++)
		if (isfinite(m->y[i]))
			any = true;
	if (!any)
		return;
	buf_puts(out, "<path d=\"");
	for (i = 0; i < m->n; i = j) {
		if (!isfinite(m->y[i])) {
			j = i + 1;
			continue;
		}
		for (j = i; j < m->n && isfinite(m->y[j]); j++)
			;
		if (m->ylo != NULL) {
			/* A band: along y, back along ylo. */
			for (size_t k = i; k < j; k++)
				svg_xy(out, k == i ? 'M' : 'L', m->x[k],
				    m->y[k]);
			for (size_t k = j; k > i; k--)
				svg_xy(out, 'L', m->x[k - 1],
				    isfinite(m->ylo[k - 1]) ? m->ylo[k - 1] :
				    m->y[k - 1]);
			buf_putc(out, 'Z');
			continue;
		}
		svg_xy(out, 'M', m->x[i], m->base);
		for (size_t k = i; k < j; k++)
			svg_xy(out, 'L', m->x[k], m->y[k]);
		svg_xy(out, 'L', m->x[j - 1], m->base);
		buf_putc(out, 'Z');
	}
	buf_printf(out, "\" fill=\"%s\" fill-opacity=\"",
	    svg_colour(p, m->role));
	svg_num(out, m->opacity);
	buf_puts(out, "\" stroke=\"none\"/>\n");
}

static void
svg_points(struct buf *out, const struct chart_palette *p,
    const struct chart_mark *m)
{
	double	 r = m->width, x, y;
	char	 rs[SVG_NUM_SIZE];
	size_t	 i, rn = 0;

	buf_printf(out, "<g fill=\"%s\">", svg_colour(p, m->role));
	for (i = 0; i < m->n; i++) {
		if (!isfinite(m->y[i]))
			continue;
		x = m->x[i];
		y = m->y[i];
		switch (m->marker) {
		case CHART_MARKER_SQUARE:
			buf_puts(out, "<rect x=\"");
			svg_num(out, x - r);
			buf_puts(out, "\" y=\"");
			svg_num(out, y - r);
			buf_puts(out, "\" width=\"");
			svg_num(out, 2 * r);
			buf_puts(out, "\" height=\"");
			svg_num(out, 2 * r);
			buf_puts(out, "\"/>");
			break;
		case CHART_MARKER_TRIANGLE:
			buf_puts(out, "<path d=\"");
			svg_xy(out, 'M', x, y - 1.2 * r);
			svg_xy(out, 'L', x + 1.1 * r, y + 0.8 * r);
			svg_xy(out, 'L', x - 1.1 * r, y + 0.8 * r);
			buf_puts(out, "Z\"/>");
			break;
		case CHART_MARKER_DIAMOND:
			buf_puts(out, "<path d=\"");
			svg_xy(out, 'M', x, y - 1.3 * r);
			svg_xy(out, 'L', x + 1.3 * r, y);
			svg_xy(out, 'L', x, y + 1.3 * r);
			svg_xy(out, 'L', x - 1.3 * r, y);
			buf_puts(out, "Z\"/>");
			break;
		default:
			/* r is the same for every point: its text once. */
			if (rn == 0)
				rn = svg_num_text(rs, r);
			buf_puts(out, "<circle cx=\"");
			svg_num(out, x);
			buf_puts(out, "\" cy=\"");
			svg_num(out, y);
			buf_puts(out, "\" r=\"");
			buf_put(out, rs, rn);
			buf_puts(out, "\"/>");
			break;
		}
	}
	buf_puts(out, "</g>\n");
}

static void
svg_text(struct buf *out, const struct chart_palette *p,
    const struct chart_text *t)
{
	static const char *const anchors[] = { "start", "middle", "end" };

	buf_puts(out, "<text x=\"");
	svg_num(out, t->x);
	buf_puts(out, "\" y=\"");
	svg_num(out, t->y);
	buf_puts(out, "\" font-size=\"");
	svg_num(out, t->size);
	buf_putc(out, '"');
	if (t->anchor != CHART_ANCHOR_START)
		buf_printf(out, " text-anchor=\"%s\"", anchors[t->anchor]);
	if (t->bold)
		buf_puts(out, " font-weight=\"bold\"");
	if (t->vertical) {
		buf_puts(out, " transform=\"rotate(-90 ");
		svg_num(out, t->x);
		buf_putc(out, ' ');
		svg_num(out, t->y);
		buf_puts(out, ")\"");
	}
	buf_printf(out, " fill=\"%s\">", svg_colour(p, t->role));
	esc_xml(out, t->s, strlen(t->s));
	buf_puts(out, "</text>\n");
}

/* The opening <svg> of c: decorative with id NULL, else labelled by a
 * <title> and <desc> whose ids id prefixes. */
static void
svg_head(const struct chart *c, const char *id, struct buf *out)
{
	buf_puts(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"chart-svg\" viewBox=\"0 0 ");
	svg_num(out, c->width);
	buf_putc(out, ' ');
	svg_num(out, c->height);
	buf_putc(out, '"');
	if (id == NULL) {
		buf_puts(out, " width=\"");
		svg_num(out, c->width);
		buf_puts(out, "\" height=\"");
		svg_num(out, c->height);
		buf_puts(out, "\" aria-hidden=\"true\" focusable=\"false\">\n");
		return;
	}
	buf_puts(out, " role=\"img\" aria-labelledby=\"");
	esc_xml(out, id, strlen(id));
	buf_puts(out, "-title ");
	esc_xml(out, id, strlen(id));
	buf_puts(out, "-desc\">\n<title id=\"");
	esc_xml(out, id, strlen(id));
	buf_puts(out, "-title\">");
	if (c->title != NULL)
		esc_xml(out, c->title, strlen(c->title));
	buf_puts(out, "</title>\n<desc id=\"");
	esc_xml(out, id, strlen(id));
	buf_puts(out, "-desc\">");
	if (c->desc != NULL)
		esc_xml(out, c->desc, strlen(c->desc));
	buf_puts(out, "</desc>\n");
}

/* The marks and texts of c. */
static void
svg_body(const struct chart *c, const struct chart_palette *p,
    struct buf *out)
{
	const struct chart_mark	*m;
	size_t			 i;

	for (i = 0; i < c->nmarks; i++) {
		m = &c->marks[i];
		switch (m->kind) {
		case CHART_MARK_LINE:
			svg_line(out, p, m);
			break;
		case CHART_MARK_AREA:
			svg_area(out, p, m);
			break;
		case CHART_MARK_POINTS:
			svg_points(out, p, m);
			break;
		}
	}
	for (i = 0; i < c->ntexts; i++)
		svg_text(out, p, &c->texts[i]);
}

void
svg_chart(const struct chart *c, const struct chart_palette *p,
    const char *id, struct buf *out)
{
	svg_head(c, id, out);
	svg_body(c, p, out);
	buf_puts(out, "</svg>\n");
}

void
svg_symbol(const struct chart *c, const struct chart_palette *p,
    const char *sym, struct buf *out)
{
	buf_puts(out, "<symbol id=\"");
	esc_xml(out, sym, strlen(sym));
	buf_puts(out, "\" viewBox=\"0 0 ");
	svg_num(out, c->width);
	buf_putc(out, ' ');
	svg_num(out, c->height);
	buf_puts(out, "\">\n");
	svg_body(c, p, out);
	buf_puts(out, "</symbol>\n");
}

void
svg_use(const struct chart *c, const char *id, const char *sym,
    struct buf *out)
{
	svg_head(c, id, out);
	buf_puts(out, "<use href=\"#");
	esc_xml(out, sym, strlen(sym));
	buf_puts(out, "\"/>\n</svg>\n");
}
