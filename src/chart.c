/*
 * chart.c: analysis -> device-independent chart model (see chart.h).
 * Layout is in abstract units; text widths are estimated with Arial-like
 * metrics, which is what both the NHS and GOV.UK themes fall back to.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "spcchart.h"
#include "util.h"

#define CHART_TICK_GAP	10.0	/* minimum space between x labels */

static const char *const chart_role_names[CHART_ROLE_N] = {
	"text", "axis", "grid", "demand", "capacity", "backlog", "observed",
	"mean", "limit", "target", "common", "improvement", "concern",
	"neutral"
};

/* NHS.UK colours, all >= 3:1 on white (board-papers.md); the MDC grey and
 * blue are replaced by darker variants. */
static const char *const chart_default_colours[CHART_ROLE_N] = {
	"#212b32", "#4c6272", "#d8dde0", "#005eb8", "#007f3b", "#4c6272",
	"#330072", "#212b32", "#768692", "#d5281b", "#6b6b6b", "#0072a3",
	"#c55a00", "#490092"
};

static const char *const chart_months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

struct chart *
chart_new(double w, double h)
{
	struct chart	*c;

	c = xcalloc(1, sizeof(*c));
	c->width = w;
	c->height = h;
	return c;
}

struct chart_mark *
chart_add_mark(struct chart *c, enum chart_mark_kind kind,
    enum chart_role role, size_t n)
{
	struct chart_mark	*m;

	c->marks = xreallocarray(c->marks, c->nmarks + 1, sizeof(*c->marks));
	m = &c->marks[c->nmarks++];
	memset(m, 0, sizeof(*m));
	m->kind = kind;
	m->role = role;
	m->width = 1;
	m->opacity = 1;
	m->n = n;
	m->x = xcalloc(n ? n : 1, sizeof(double));
	m->y = xcalloc(n ? n : 1, sizeof(double));
	return m;
}

void
chart_add_segment(struct chart *c, enum chart_role role, double width,
    enum chart_dash dash, double x0, double y0, double x1, double y1)
{
	struct chart_mark	*m;

	m = chart_add_mark(c, CHART_MARK_LINE, role, 2);
	m->width = width;
	m->dash = dash;
	m->x[0] = x0;
	m->y[0] = y0;
	m->x[1] = x1;
	m->y[1] = y1;
}

struct chart_text *
chart_add_text(struct chart *c, double x, double y, enum chart_anchor anchor,
    const char *fmt, ...)
{
	struct chart_text	*t;
	struct buf		 b;
	va_list			 ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	c->texts = xreallocarray(c->texts, c->ntexts + 1, sizeof(*c->texts));
	t = &c->texts[c->ntexts++];
	memset(t, 0, sizeof(*t));
	t->x = x;
	t->y = y;
	t->size = CHART_FS;
	t->anchor = anchor;
	t->role = CHART_ROLE_TEXT;
	t->s = b.data ? buf_release(&b) : xstrdup("");
	return t;
}

/* A block of a table's cell pool; blocks never move, so cells keep
 * their addresses. */
struct chart_pool {
	struct chart_pool *next;
	size_t		 used, cap;
	char		 data[];
};

/* Room for n bytes in pool *pp: a pointer to them. */
static char *
chart_pool_alloc(void **pp, size_t n)
{
	struct chart_pool	*p = *pp, *q;
	size_t			 cap;

	if (p == NULL || p->cap - p->used < n) {
		cap = p != NULL && p->cap < 65536 ? 2 * p->cap : 4096;
		if (cap < n)
			cap = n;
		q = xmalloc(sizeof(*q) + cap);
		q->next = p;
		q->used = 0;
		q->cap = cap;
		*pp = p = q;
	}
	p->used += n;
	return p->data + p->used - n;
}

/* Whether s lies in one of pool's blocks (cells outside it are the
 * table's own allocations). */
static bool
chart_pool_owns(const void *pool, const char *s)
{
	const struct chart_pool	*p;
	uintptr_t		 a = (uintptr_t)s;

	for (p = pool; s != NULL && p != NULL; p = p->next)
		if (a >= (uintptr_t)p->data && a < (uintptr_t)p->data + p->cap)
			return true;
	return false;
}

static void
chart_pool_free(void *pool)
{
	struct chart_pool	*p = pool, *next;

	for (; p != NULL; p = next) {
		next = p->next;
		free(p);
	}
}

char *
chart_table_str(struct chart_table *t, const char *s, size_t len)
{
	char	*d = chart_pool_alloc(&t->pool, len + 1);

	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

void
chart_free(struct chart *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nmarks; i++) {
		free(c->marks[i].x);
		free(c->marks[i].y);
		free(c->marks[i].ylo);
	}
	free(c->marks);
	for (i = 0; i < c->ntexts; i++)
		free(c->texts[i].s);
	free(c->texts);
	for (i = 0; i < c->nlegend; i++)
		free(c->legend[i].label);
	free(c->legend);
	free(c->title);
	free(c->desc);
	free(c->table.caption);
	free(c->table.note);
	for (i = 0; i < c->table.ncols; i++)
		free(c->table.head[i]);
	free(c->table.head);
	for (i = 0; i < c->table.ncols * c->table.nrows; i++)
		if (!chart_pool_owns(c->table.pool, c->table.cells[i]))
			free(c->table.cells[i]);
	free(c->table.cells);
	chart_pool_free(c->table.pool);
	free(c);
}

int
chart_ticks_nice(double lo, double hi, int target, double *step,
    double *t0, double *t1)
{
	double	 raw, mag, norm, s;
	int	 dec;

	if (!isfinite(lo) || !isfinite(hi)) {
		lo = 0;
		hi = 1;
	}
	if (hi < lo) {
		s = lo;
		lo = hi;
		hi = s;
	}
	if (hi == lo) {
		/* A flat series: give it a unit of room above. */
		hi = lo + (lo == 0 ? 1 : fabs(lo) * 0.5);
	}
	if (target < 2)
		target = 2;
	/* The smallest nice step giving at most target intervals. */
	raw = (hi - lo) / target;
	mag = pow(10, floor(log10(raw)));
	norm = raw / mag;
	if (norm <= 1)
		s = 1;
	else if (norm <= 2)
		s = 2;
	else if (norm <= 5)
		s = 5;
	else
		s = 10;
	s *= mag;
	*step = s;
	/* Small epsilons keep 3.0000000001 from adding a whole step. */
	*t0 = floor(lo / s + 1e-9) * s;
	*t1 = ceil(hi / s - 1e-9) * s;
	dec = s >= 1 ? 0 : (int)ceil(-log10(s) - 1e-9);
	return dec;
}

/* chart_fmt_number() into out (room for 64 bytes); returns the length.
 * The digits come from util_fmt_f (at most UTIL_FMT_G_SIZE - 1 bytes),
 * so sign and separators always fit. */
static size_t
chart_fmt_number64(char *out, double v, int decimals)
{
	char	 tmp[UTIL_FMT_G_SIZE];
	size_t	 n, ilen, k, o = 0;
	bool	 neg = false;

	out[0] = '\0';
	if (!isfinite(v))
		return 0;
	if (decimals < 0) {
		n = util_fmt_f(tmp, fabs(v), 1);
		if (n >= 2 && tmp[n - 2] == '.' && tmp[n - 1] == '0')
			n -= 2;		/* ".0" trimmed */
	} else
		n = util_fmt_f(tmp, fabs(v), decimals > 10 ? 10 : decimals);
	/* No "-0": negative only if some digit is not zero. */
	for (k = 0; v < 0 && k < n; k++)
		if (tmp[k] != '0' && tmp[k] != '.')
			neg = true;
	for (ilen = 0; ilen < n && tmp[ilen] != '.'; ilen++)
		;
	if (neg)
		out[o++] = '-';
	for (k = 0; k < n; k++) {
		if (k < ilen && k > 0 && (ilen - k) % 3 == 0)
			out[o++] = ',';
		out[o++] = tmp[k];
	}
	out[o] = '\0';
	return o;
}

void
chart_fmt_number(char *out, size_t sz, double v, int decimals)
{
	char	 tmp[UTIL_FMT_G_SIZE];
	char	 s[64];
	char	*p, *dot;
	size_t	 ilen, k, o;
	bool	 neg;

	if (sz >= sizeof(s)) {
		chart_fmt_number64(out, v, decimals);
		return;
	}
	if (sz == 0)
		return;
	/* What fits is the same bytes; only truncation needs the loop. */
	if ((ilen = chart_fmt_number64(s, v, decimals)) < sz) {
		memcpy(out, s, ilen + 1);
		return;
	}
	out[0] = '\0';
	if (!isfinite(v))
		return;
	if (decimals < 0) {
		util_fmt_f(tmp, fabs(v), 1);
		if ((dot = strchr(tmp, '.')) != NULL && strcmp(dot, ".0") == 0)
			*dot = '\0';
	} else
		util_fmt_f(tmp, fabs(v), decimals > 10 ? 10 : decimals);
	/* No "-0": negative only if some digit is not zero. */
	neg = v < 0 && strspn(tmp, "0.") != strlen(tmp);
	dot = strchr(tmp, '.');
	ilen = dot ? (size_t)(dot - tmp) : strlen(tmp);
	o = 0;
	if (neg && o + 1 < sz)
		out[o++] = '-';
	for (k = 0, p = tmp; *p != '\0' && o + 1 < sz; p++, k++) {
		if (k < ilen && k > 0 && (ilen - k) % 3 == 0 && o + 2 < sz)
			out[o++] = ',';
		out[o++] = *p;
	}
	out[o] = '\0';
}


void
chart_fmt_date(char *out, size_t sz, enum period period, int64_t key)
{
	int		 y;
	unsigned	 m, d;
	int64_t		 day;

	day = util_key_day(period, key);
	util_civil_from_days(day, &y, &m, &d);
	if (sz >= 32) {
		/* The formats below without printf (24 bytes at most). */
		char	*p = out;
		int	 h = period == PERIOD_HOUR ? (int)(key - day * 24) : 0;

		if (period != PERIOD_MONTH) {
			if (d >= 10)
				*p++ = (char)('0' + d / 10);
			*p++ = (char)('0' + d % 10);
			*p++ = ' ';
		}
		memcpy(p, chart_months[m - 1], 3);
		p += 3;
		*p++ = ' ';
		p += util_fmt_ll(p, y);
		if (period == PERIOD_HOUR && h >= 0 && h <= 99) {
			*p++ = ' ';
			*p++ = (char)('0' + h / 10);
			*p++ = (char)('0' + h % 10);
			memcpy(p, ":00", 3);
			p += 3;
		}
		if (period != PERIOD_HOUR || (h >= 0 && h <= 99)) {
			*p = '\0';
			return;
		}
	}
	switch (period) {
	case PERIOD_MONTH:
		snprintf(out, sz, "%s %d", chart_months[m - 1], y);
		break;
	case PERIOD_HOUR:
		snprintf(out, sz, "%u %s %d %02d:00", d, chart_months[m - 1], y,
		    (int)(key - day * 24));
		break;
	default:
		snprintf(out, sz, "%u %s %d", d, chart_months[m - 1], y);
		break;
	}
}

size_t
chart_dash_pattern(enum chart_dash dash, double pat[4])
{
	switch (dash) {
	case CHART_DASH_DASHED:
		pat[0] = 7;
		pat[1] = 4;
		return 2;
	case CHART_DASH_DOTTED:
		pat[0] = 2;
		pat[1] = 3;
		return 2;
	case CHART_DASH_DASHDOT:
		pat[0] = 8;
		pat[1] = 3;
		pat[2] = 2;
		pat[3] = 3;
		return 4;
	default:
		return 0;
	}
}

double
chart_text_width(const char *s, double size)
{
	double		 w;
	unsigned char	 ch;

	/* Arial advance widths, roughly, in ems. */
	for (w = 0; *s != '\0'; s++) {
		ch = (unsigned char)*s;
		if ((ch & 0xc0) == 0x80)
			continue;	/* UTF-8 continuation byte */
		if (strchr("ijl.,:;'|!", ch) != NULL)
			w += 0.26;
		else if (strchr("frtI() -", ch) != NULL)
			w += 0.34;
		else if (strchr("mwMW", ch) != NULL)
			w += 0.85;
		else if (ch >= 'A' && ch <= 'Z')
			w += 0.68;
		else
			w += 0.56;
	}
	return w * size;
}

void
chart_palette_default(struct chart_palette *p)
{
	size_t	 i;

	for (i = 0; i < CHART_ROLE_N; i++)
		memcpy(p->colour[i], chart_default_colours[i], 8);
}

const char *
chart_role_name(enum chart_role r)
{
	return (unsigned)r < CHART_ROLE_N ? chart_role_names[r] : "text";
}

bool
chart_role_parse(const char *s, enum chart_role *r)
{
	size_t	 i;

	for (i = 0; i < CHART_ROLE_N; i++)
		if (strcmp(s, chart_role_names[i]) == 0) {
			*r = (enum chart_role)i;
			return true;
		}
	return false;
}

bool
chart_colour_parse(const char *s, unsigned *rgb)
{
	unsigned	 v, i, d;
	char		 ch;

	if (s[0] != '#' || strlen(s) != 7)
		return false;
	for (v = 0, i = 1; i < 7; i++) {
		ch = s[i];
		if (ch >= '0' && ch <= '9')
			d = (unsigned)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			d = (unsigned)(ch - 'a' + 10);
		else if (ch >= 'A' && ch <= 'F')
			d = (unsigned)(ch - 'A' + 10);
		else
			return false;
		v = v * 16 + d;
	}
	*rgb = v;
	return true;
}

static double
chart_linear(unsigned c8)
{
	double	 c = c8 / 255.0;

	/* WCAG 2.2 relative luminance. */
	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double
chart_contrast_white(unsigned rgb)
{
	double	 l;

	l = 0.2126 * chart_linear((rgb >> 16) & 0xff) +
	    0.7152 * chart_linear((rgb >> 8) & 0xff) +
	    0.0722 * chart_linear(rgb & 0xff);
	return 1.05 / (l + 0.05);
}

/* ---- date axis ---- */

struct chart_xcand {
	int	 unit;		/* 0 day, 1 month, 2 year */
	int	 step;
};

static const struct chart_xcand chart_xcands[] = {
	{ 0, 1 }, { 0, 2 }, { 0, 7 }, { 0, 14 },
	{ 1, 1 }, { 1, 2 }, { 1, 3 }, { 1, 6 },
	{ 2, 1 }, { 2, 2 }, { 2, 5 }, { 2, 10 }, { 2, 20 }, { 2, 50 }
};

void
chart_xticks_free(struct chart_xtick *t, size_t n)
{
	size_t	 i;

	for (i = 0; t != NULL && i < n; i++)
		free(t[i].label);
	free(t);
}

/* Sets tick t at day with its label; the year goes on the first label
 * and wherever it changes. */
static void
chart_xtick_label(struct chart_xtick *t, double day, int unit, int *lasty)
{
	char		 s[48], *p = s;
	int		 y;
	unsigned	 m, d;

	util_civil_from_days((int64_t)day, &y, &m, &d);
	t->day = day;
	if (unit == 0) {		/* "%u %s" */
		if (d >= 10)
			*p++ = (char)('0' + d / 10);
		*p++ = (char)('0' + d % 10);
		*p++ = ' ';
	}
	if (unit != 2) {
		memcpy(p, chart_months[m - 1], 3);
		p += 3;
	}
	if (unit == 2 || y != *lasty) {	/* " %d" */
		if (unit != 2)
			*p++ = ' ';
		p += util_fmt_ll(p, y);
	}
	t->label = xstrndup(s, (size_t)(p - s));
	*lasty = y;
}

/* More ticks than chart_xticks() ever takes (it wants 16 at most). */
#define CHART_XTICKS_MAX	16

/* Ticks of one candidate within [lo, hi] (days): their count, or
 * CHART_XTICKS_MAX + 1 (and no ticks) when there are more than
 * CHART_XTICKS_MAX, since the caller rejects those anyway; 0 when
 * the step is far too fine (more than 400). */
static size_t
chart_xticks_gen(const struct chart_xcand *cd, double lo, double hi,
    struct chart_xtick **out)
{
	struct chart_xtick	*t;
	double			 days[CHART_XTICKS_MAX + 1];
	size_t			 n = 0, i;
	int64_t			 d, first;
	int			 y, lasty = -99999;
	unsigned		 m, dd;
	long			 mi;

	*out = NULL;
	first = (int64_t)ceil(lo - 1e-9);
	if (cd->unit == 0) {
		if ((hi - lo) / cd->step > 400)
			return 0;
		for (d = first; d <= hi + 1e-9 && n <= CHART_XTICKS_MAX; d++) {
			if (cd->step >= 7) {
				/* Weekly ticks fall on Mondays (day 4 was one). */
				if (util_weekday(d) != 0 ||
				    ((d - 4) / 7) % (cd->step / 7) != 0)
					continue;
			} else if (d % cd->step != 0)
				continue;
			days[n++] = (double)d;
		}
	} else {
		util_civil_from_days(first, &y, &m, &dd);
		if ((hi - lo) / (cd->unit == 1 ? 30.0 * cd->step :
		    365.0 * cd->step) > 400)
			return 0;
		mi = (long)y * 12 + (long)(m - 1);
		if (dd != 1)
			mi++;
		for (; n <= CHART_XTICKS_MAX; mi++) {
			y = (int)(mi >= 0 ? mi / 12 : (mi - 11) / 12);
			m = (unsigned)(mi - (long)y * 12) + 1;
			d = util_days_from_civil(y, m, 1);
			if ((double)d > hi + 1e-9)
				break;
			if (cd->unit == 1 && mi % cd->step != 0)
				continue;
			if (cd->unit == 2 && (m != 1 || y % cd->step != 0))
				continue;
			days[n++] = (double)d;
		}
	}
	if (n == 0 || n > CHART_XTICKS_MAX)
		return n;
	t = xcalloc(n, sizeof(*t));
	for (i = 0; i < n; i++)
		chart_xtick_label(&t[i], days[i], cd->unit, &lasty);
	*out = t;
	return n;
}

/*
 * Chooses the finest candidate whose labels do not collide and stay in
 * the box; prefers two or more ticks.  px maps a day to x.
 */
size_t
chart_xticks(enum period period, double lo, double hi, double left,
    double right, double boxw, struct chart_xtick **out)
{
	const struct chart_xcand *cd;
	struct chart_xtick	*t, *best = NULL;
	size_t			 n, bestn = 0, i, k;
	double			 sc, w;
	bool			 ok;

	sc = hi > lo ? (right - left) / (hi - lo) : 0;
	for (k = 0; k < sizeof(chart_xcands) / sizeof(chart_xcands[0]); k++) {
		cd = &chart_xcands[k];
		/* No ticks finer than the data's period. */
		if ((period == PERIOD_MONTH && cd->unit == 0) ||
		    (period == PERIOD_WEEK && cd->unit == 0 && cd->step < 7))
			continue;
		t = NULL;
		n = chart_xticks_gen(cd, lo, hi, &t);
		ok = n > 0 && n <= 16;
		for (i = 0; ok && i < n; i++) {
			w = chart_text_width(t[i].label, CHART_FS);
			t[i].lx = left + (t[i].day - lo) * sc;
			if (t[i].lx - w / 2 < 1)
				t[i].lx = 1 + w / 2;
			if (t[i].lx + w / 2 > boxw - 1)
				t[i].lx = boxw - 1 - w / 2;
			if (i > 0 && t[i].lx - t[i - 1].lx < (w +
			    chart_text_width(t[i - 1].label, CHART_FS)) / 2 +
			    CHART_TICK_GAP)
				ok = false;
		}
		if (ok && (n >= 2 || best == NULL)) {
			chart_xticks_free(best, bestn);
			best = t;
			bestn = n;
			if (n >= 2)
				break;
			continue;
		}
		chart_xticks_free(t, n);
	}
	*out = best;
	return bestn;
}

/* ---- y axis ---- */

double
chart_ymap(const struct chart_yaxis *a, double v)
{
	return a->top + a->h - (v - a->t0) / (a->t1 - a->t0) * a->h;
}

double
chart_ylabels_width(const struct chart_yaxis *a)
{
	char	 s[64];
	double	 v, w, maxw = 0;

	for (v = a->t0; v <= a->t1 + a->step * 1e-6; v += a->step) {
		chart_fmt_number(s, sizeof(s), v, a->dec);
		w = chart_text_width(s, CHART_FS);
		if (w > maxw)
			maxw = w;
	}
	return maxw;
}

void
chart_draw_yaxis(struct chart *c, const struct chart_yaxis *a, double left,
    double right)
{
	char	 s[64];
	double	 v, y;
	size_t	 i, nt;

	nt = (size_t)floor((a->t1 - a->t0) / a->step + 0.5);
	for (i = 0; i <= nt; i++) {
		v = a->t0 + (double)i * a->step;
		y = chart_ymap(a, v);
		chart_add_segment(c, i == 0 ? CHART_ROLE_AXIS : CHART_ROLE_GRID,
		    1, CHART_DASH_SOLID, left, y, right, y);
		chart_fmt_number(s, sizeof(s), v, a->dec);
		chart_add_text(c, left - 6, y + CHART_FS * 0.35,
		    CHART_ANCHOR_END, "%s", s);
	}
}

double
chart_max_finite(const double *v, size_t n, double scale, double m)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (isfinite(v[i]) && v[i] * scale > m)
			m = v[i] * scale;
	return m;
}

/* A horizontal line at v from x0 to x1 (a short tick when x0 == x1). */
void
chart_hline(struct chart *c, enum chart_role role, enum chart_dash dash,
    const struct chart_yaxis *a, double v, double x0, double x1)
{
	double	 y;

	if (!isfinite(v))
		return;
	y = chart_ymap(a, v);
	if (x1 - x0 < 4) {
		x0 -= 3;
		x1 += 3;
	}
	chart_add_segment(c, role, 1.5, dash, x0, y, x1, y);
	c->marks[c->nmarks - 1].data = true;
}

/* ---- legend ---- */

void
chart_legend_add(struct chart *c, enum chart_mark_kind kind,
    enum chart_role role, enum chart_dash dash, const char *label)
{
	struct chart_legend	*l;

	c->legend = xreallocarray(c->legend, c->nlegend + 1,
	    sizeof(*c->legend));
	l = &c->legend[c->nlegend++];
	memset(l, 0, sizeof(*l));
	l->kind = kind;
	l->role = role;
	l->dash = dash;
	l->label = xstrdup(label);
}

/* Lays the legend out in rows from y; returns the y below it. */
double
chart_legend_draw(struct chart *c, double y)
{
	struct chart_mark	*m;
	const struct chart_legend *l;
	double			 x = CHART_PAD, w, rowy = y;
	size_t			 i;

	for (i = 0; i < c->nlegend; i++) {
		l = &c->legend[i];
		w = 30 + 6 + chart_text_width(l->label, CHART_FS) + 18;
		if (x > CHART_PAD && x + w > c->width - CHART_PAD) {
			x = CHART_PAD;
			rowy += 20;
		}
		if (l->kind == CHART_MARK_AREA) {
			m = chart_add_mark(c, CHART_MARK_AREA, l->role, 2);
			m->x[0] = x;
			m->x[1] = x + 30;
			m->y[0] = m->y[1] = rowy + 2;
			m->base = rowy + 14;
			m->opacity = l->opacity > 0 ? l->opacity : 0.3;
			chart_add_segment(c, l->role, 2, l->dash, x, rowy + 2,
			    x + 30, rowy + 2);
		} else if (l->kind == CHART_MARK_LINE)
			chart_add_segment(c, l->role, 2.5, l->dash, x, rowy + 8,
			    x + 30, rowy + 8);
		if (l->marker != CHART_MARKER_NONE) {
			m = chart_add_mark(c, CHART_MARK_POINTS, l->role, 1);
			m->marker = l->marker;
			m->width = 3.5;
			m->x[0] = x + 15;
			m->y[0] = rowy + 8;
		}
		chart_add_text(c, x + 36, rowy + 13, CHART_ANCHOR_START, "%s",
		    l->label);
		x += w;
	}
	return rowy + 20;
}

/* ---- series ---- */

double
chart_key_x(enum period p, int64_t key)
{
	return p == PERIOD_HOUR ? key / 24.0 : (double)key;
}

void
chart_day_span(enum period p, double *lo, double *hi)
{
	if (*hi <= *lo) {
		*lo -= util_period_days(p) / 2;
		*hi += util_period_days(p) / 2;
	}
}

const char *
chart_date_head(enum period p)
{
	return p == PERIOD_MONTH ? "Month" : p == PERIOD_WEEK ?
	    "Week starting" : "Date";
}

void
chart_date_axis(struct chart *c, enum period p, double lo, double hi,
    double x0, double sc, double left, double right, double bottom,
    double upper, const char *title)
{
	struct chart_xtick	*xt;
	size_t			 i, nxt;
	double			 x;

	nxt = chart_xticks(p, lo, hi, left, right, c->width, &xt);
	for (i = 0; i < nxt; i++) {
		x = x0 + (xt[i].day - lo) * sc;
		if (upper >= 0)
			chart_add_segment(c, CHART_ROLE_AXIS, 1,
			    CHART_DASH_SOLID, x, upper, x, upper + 5);
		chart_add_segment(c, CHART_ROLE_AXIS, 1, CHART_DASH_SOLID, x,
		    bottom, x, bottom + 5);
		chart_add_text(c, xt[i].lx, bottom + 19, CHART_ANCHOR_MIDDLE,
		    "%s", xt[i].label);
	}
	chart_xticks_free(xt, nxt);
	chart_add_text(c, (left + right) / 2, bottom + 38, CHART_ANCHOR_MIDDLE,
	    "%s", title);
}

/* A data line (or area) of v[i0..i0+m) * scale on axis a. */
struct chart_mark *
chart_series(struct chart *c, enum chart_mark_kind kind, enum chart_role role,
    enum chart_dash dash, const double *xs, const double *v, size_t m,
    double scale, const struct chart_yaxis *a)
{
	struct chart_mark	*mk;
	size_t			 i;

	mk = chart_add_mark(c, kind, role, m);
	mk->dash = dash;
	mk->width = 2;
	mk->data = true;
	for (i = 0; i < m; i++) {
		mk->x[i] = xs[i];
		mk->y[i] = isfinite(v[i]) ? chart_ymap(a, v[i] * scale) : NAN;
	}
	if (kind == CHART_MARK_AREA) {
		mk->base = chart_ymap(a, a->t0);
		mk->opacity = 0.3;
	}
	return mk;
}

char *
chart_table_num(struct chart_table *t, double v, int dec)
{
	char	 s[64];
	size_t	 n;

	if ((n = chart_fmt_number64(s, v, dec)) == 0)
		return chart_table_str(t, "–", strlen("–"));
	return chart_table_str(t, s, n);
}

char *
chart_cell(double v, int dec)
{
	char	 s[64];
	size_t	 n;

	if ((n = chart_fmt_number64(s, v, dec)) == 0)
		return xstrdup("–");
	return xstrndup(s, n);
}

/*
 * SPEC 5 "a data table behind every chart": a table of every point is
 * the chart's data while it stays readable; past CHART_TABLE_ROWS daily
 * or hourly points (3 years of days: 1,095 rows, and as many again per
 * measure, made pages of 1.3 MB) the table gives the same series by
 * week (or day for hourly data; month when weeks are still too many),
 * and a note points to the data file, which keeps every point.
 */
#define CHART_TABLE_ROWS	400

/* Whether the table of m points of period p is a summary. */
bool
chart_table_grouped(enum period p, size_t m)
{
	return m > CHART_TABLE_ROWS && (p == PERIOD_DAY || p == PERIOD_HOUR);
}

/* Cuts rows [i0, i0 + m) into groups (calendar weeks, days or months);
 * returns the count, group g being rows [gs[g], gs[g + 1]) (gs has
 * count + 1 entries; caller frees *gs).  *grain names the group. */
size_t
chart_table_groups(const struct service *svc, size_t i0, size_t m,
    size_t **gs, const char **grain)
{
	const int64_t	*key = svc->series->key;
	enum period	 p = svc->period;
	size_t		 i, ng = 0;
	int64_t		 g, prev = 0, day;
	int		 y;
	unsigned	 mo, d;
	bool		 month = p == PERIOD_DAY && m > 7 * CHART_TABLE_ROWS;

	*grain = p == PERIOD_HOUR ? "day" : month ? "month" : "week";
	*gs = xcalloc(m + 1, sizeof(size_t));
	for (i = 0; i < m; i++) {
		day = util_key_day(p, key[i0 + i]);
		if (p == PERIOD_HOUR)
			g = day;
		else if (month) {
			util_civil_from_days(day, &y, &mo, &d);
			g = (int64_t)y * 12 + mo;
		} else
			g = day - util_weekday(day);
		if (i == 0 || g != prev)
			(*gs)[ng++] = i0 + i;
		prev = g;
	}
	(*gs)[ng] = i0 + m;
	return ng;
}

/* The first column of group rows [a, b): the week's Monday, the day or
 * the month (from the first row; a partial first week starts later). */
static void
chart_group_text(char d[64], const struct service *svc, const char *grain,
    size_t a)
{
	int64_t	 day = util_key_day(svc->period, svc->series->key[a]);

	if (strcmp(grain, "week") == 0)
		day -= util_weekday(day);
	chart_fmt_date(d, 64, strcmp(grain, "month") == 0 ?
	    PERIOD_MONTH : PERIOD_DAY, day);
}

char *
chart_group_label(const struct service *svc, const char *grain, size_t a)
{
	char	 d[64];

	chart_group_text(d, svc, grain, a);
	return xstrdup(d);
}

char *
chart_table_group_label(struct chart_table *t, const struct service *svc,
    const char *grain, size_t a)
{
	char	 d[64];

	chart_group_text(d, svc, grain, a);
	return chart_table_str(t, d, strlen(d));
}

/* Mean of the finite v[a..b), NAN if none. */
double
chart_group_mean(const double *v, size_t a, size_t b)
{
	double	 s = 0;
	size_t	 i, k = 0;

	for (i = a; i < b; i++)
		if (isfinite(v[i])) {
			s += v[i];
			k++;
		}
	return k > 0 ? s / (double)k : NAN;
}

/* Last finite v[a..b), NAN if none. */
double
chart_group_last(const double *v, size_t a, size_t b)
{
	while (b > a && !isfinite(v[b - 1]))
		b--;
	return b > a ? v[b - 1] : NAN;
}

/* Least (hi false) or greatest finite v[a..b), NAN if none. */
double
chart_group_ext(const double *v, size_t a, size_t b, bool hi)
{
	double	 r = NAN;
	size_t	 i;

	for (i = a; i < b; i++)
		if (isfinite(v[i]) && (isnan(r) || (hi ? v[i] > r : v[i] < r)))
			r = v[i];
	return r;
}

/* The note under a summary table. */
char *
chart_group_note(const struct service *svc, size_t m, const char *grain,
    const char *how)
{
	char	 n[64];

	chart_fmt_number(n, sizeof(n), (double)m, 0);
	return xasprintf("The chart has %s %s points; this table gives them "
	    "by %s (%s). Every %s value is in the data file %s.csv linked "
	    "on this page.", n, svc->period == PERIOD_HOUR ? "hourly" :
	    "daily", grain, how, svc->period == PERIOD_HOUR ? "hourly" :
	    "daily", svc->id);
}

/* chart_dcb_table() past CHART_TABLE_ROWS: per group the mean demand
 * and capacity per period and the backlog at the group's end. */
static void
chart_dcb_table_grouped(struct chart *c, const struct service *svc,
    size_t i0, size_t m)
{
	const struct flow	*f = &svc->an->flow;
	struct chart_table	*t = &c->table;
	const char		*pn = util_period_name(svc->period), *grain;
	size_t			*gs, ng, g, col, a, b;

	ng = chart_table_groups(svc, i0, m, &gs, &grain);
	t->caption = xasprintf("Data for the chart by %s: %s", grain,
	    c->title);
	t->ncols = f->observed_waiting ? 6 : 5;
	t->head = xcalloc(t->ncols, sizeof(char *));
	t->head[0] = xstrdup(strcmp(grain, "week") == 0 ? "Week starting" :
	    strcmp(grain, "month") == 0 ? "Month" : "Date");
	t->head[1] = xasprintf("Demand (mean minutes per %s)", pn);
	t->head[2] = xasprintf("Capacity (mean minutes per %s)", pn);
	t->head[3] = xasprintf("Backlog at the end of the %s (minutes)",
	    grain);
	t->head[4] = xasprintf("Backlog at the end of the %s (cases)", grain);
	if (f->observed_waiting)
		t->head[5] = xasprintf("Observed waiting list at the end of "
		    "the %s (cases)", grain);
	t->nrows = ng;
	t->cells = xcalloc(t->ncols * ng, sizeof(char *));
	for (g = 0; g < ng; g++) {
		a = gs[g];
		b = gs[g + 1];
		col = g * t->ncols;
		t->cells[col] = chart_table_group_label(t, svc, grain, a);
		t->cells[col + 1] = chart_table_num(t, chart_group_mean(
		    f->demand_minutes, a, b), 0);
		t->cells[col + 2] = chart_table_num(t, chart_group_mean(
		    f->capacity_minutes, a, b), 0);
		t->cells[col + 3] = chart_table_num(t, chart_group_last(
		    f->backlog_minutes, a, b), -1);
		t->cells[col + 4] = chart_table_num(t, chart_group_last(
		    f->backlog_cases, a, b), -1);
		if (f->observed_waiting)
			t->cells[col + 5] = chart_table_num(t,
			    chart_group_last(f->observed_waiting, a, b), -1);
	}
	t->note = chart_group_note(svc, m, grain, "means of demand and "
	    "capacity, the backlog at the end");
	free(gs);
}

static void
chart_dcb_table(struct chart *c, const struct service *svc, size_t i0,
    size_t m)
{
	const struct flow	*f = &svc->an->flow;
	struct chart_table	*t = &c->table;
	const char		*pn = util_period_name(svc->period);
	char			 d[64];
	size_t			 i, k, col;

	if (chart_table_grouped(svc->period, m)) {
		chart_dcb_table_grouped(c, svc, i0, m);
		return;
	}

	t->caption = xasprintf("Data for the chart: %s", c->title);
	t->ncols = f->observed_waiting ? 6 : 5;
	t->head = xcalloc(t->ncols, sizeof(char *));
	t->head[0] = xstrdup(chart_date_head(svc->period));
	t->head[1] = xasprintf("Demand (minutes per %s)", pn);
	t->head[2] = xasprintf("Capacity (minutes per %s)", pn);
	t->head[3] = xstrdup("Backlog (minutes)");
	t->head[4] = xstrdup("Backlog (cases)");
	if (f->observed_waiting)
		t->head[5] = xstrdup("Observed waiting list (cases)");
	t->nrows = m;
	t->cells = xcalloc(t->ncols * m, sizeof(char *));
	for (k = 0; k < m; k++) {
		i = i0 + k;
		col = k * t->ncols;
		chart_fmt_date(d, sizeof(d), svc->period, svc->series->key[i]);
		t->cells[col] = chart_table_str(t, d, strlen(d));
		t->cells[col + 1] = chart_table_num(t, f->demand_minutes[i],
		    -1);
		t->cells[col + 2] = chart_table_num(t, f->capacity_minutes[i],
		    -1);
		t->cells[col + 3] = chart_table_num(t, f->backlog_minutes[i],
		    -1);
		t->cells[col + 4] = chart_table_num(t, f->backlog_cases[i], -1);
		if (f->observed_waiting)
			t->cells[col + 5] = chart_table_num(t,
			    f->observed_waiting[i], -1);
	}
}

static char *
chart_dcb_desc(const struct service *svc, size_t i0, size_t n)
{
	const struct flow	*f = &svc->an->flow;
	const int64_t		*key = svc->series->key;
	const char		*pn = util_period_name(svc->period);
	char			 a[64], b[64], dm[64], cm[64], bm[64], bc[64];
	struct buf		 o;

	chart_fmt_date(a, sizeof(a), svc->period, key[i0]);
	chart_fmt_date(b, sizeof(b), svc->period, key[n - 1]);
	chart_fmt_number(dm, sizeof(dm), f->demand_minutes[n - 1], -1);
	chart_fmt_number(cm, sizeof(cm), f->capacity_minutes[n - 1], -1);
	chart_fmt_number(bm, sizeof(bm), f->backlog_minutes[n - 1], -1);
	chart_fmt_number(bc, sizeof(bc), f->backlog_cases[n - 1], -1);
	buf_init(&o);
	buf_printf(&o, "Two panels sharing a time axis, one point per %s "
	    "from %s to %s. Top panel: demand (solid line) and capacity "
	    "(dashed line) in minutes per %s. Bottom panel: the backlog in "
	    "minutes (shaded area)", pn, a, b, pn);
	if (f->observed_waiting)
		buf_puts(&o, " and the observed waiting list converted to "
		    "minutes (dotted line)");
	buf_printf(&o, ". Latest, %s: demand %s minutes, capacity %s "
	    "minutes, backlog %s minutes (%s cases). %s", b, dm, cm, bm, bc,
	    chart_table_grouped(svc->period, n - i0) ? "The table below "
	    "summarises the values; the data file has every value." :
	    "The table below gives every value.");
	return buf_release(&o);
}

struct chart *
chart_dcb(const struct service *svc, const struct chart_spec *spec)
{
	const struct series	*s = svc->series;
	const struct flow	*f;
	struct chart		*c;
	struct chart_yaxis	 ya, yb;
	struct chart_mark	*mk;
	const char		*pn;
	double			*xs, *obs = NULL, lo, hi, left, right, y, w;
	double			 top, bottom, sc;
	size_t			 n, i0 = 0, m, i, k;

	if (s == NULL || svc->an == NULL || !svc->an->has_flow || s->n == 0)
		return NULL;
	f = &svc->an->flow;
	n = s->n;
	if (spec != NULL && spec->has_from)
		while (i0 < n && s->key[i0] < spec->from)
			i0++;
	if (i0 >= n)
		return NULL;
	m = n - i0;
	pn = util_period_name(svc->period);

	c = chart_new(CHART_W, 0);
	c->title = spec != NULL && spec->caption != NULL ?
	    xstrdup(spec->caption) :
	    xasprintf("Demand, capacity and backlog, minutes per %s", pn);
	c->desc = chart_dcb_desc(svc, i0, n);

	chart_legend_add(c, CHART_MARK_LINE, CHART_ROLE_DEMAND,
	    CHART_DASH_SOLID, "Demand");
	chart_legend_add(c, CHART_MARK_LINE, CHART_ROLE_CAPACITY,
	    CHART_DASH_DASHED, "Capacity");
	chart_legend_add(c, CHART_MARK_AREA, CHART_ROLE_BACKLOG,
	    CHART_DASH_SOLID, "Backlog");
	if (f->observed_waiting) {
		chart_legend_add(c, CHART_MARK_LINE, CHART_ROLE_OBSERVED,
		    CHART_DASH_DOTTED, "Observed waiting list");
		c->legend[c->nlegend - 1].marker = CHART_MARKER_DIAMOND;
	}
	top = chart_legend_draw(c, CHART_PAD);

	/* Two panels: flows (minutes per period) above the stock (minutes
	 * waiting); one shared axis would flatten demand under a large
	 * backlog, and a dual axis invites false comparisons. */
	hi = chart_max_finite(f->demand_minutes + i0, m, 1, 0);
	hi = chart_max_finite(f->capacity_minutes + i0, m, 1, hi);
	ya.dec = chart_ticks_nice(0, hi, 5, &ya.step, &ya.t0, &ya.t1);
	hi = chart_max_finite(f->backlog_minutes + i0, m, 1, 0);
	if (f->observed_waiting) {
		obs = xcalloc(m, sizeof(double));
		for (i = 0; i < m; i++)
			obs[i] = f->observed_waiting[i0 + i] *
			    svc->minutes_per_case;
		hi = chart_max_finite(obs, m, 1, hi);
	}
	yb.dec = chart_ticks_nice(0, hi, 4, &yb.step, &yb.t0, &yb.t1);

	w = chart_ylabels_width(&ya);
	if (chart_ylabels_width(&yb) > w)
		w = chart_ylabels_width(&yb);
	left = CHART_PAD + w + 8;
	right = c->width - 16;

	ya.top = top + 26;
	ya.h = 120;
	chart_add_text(c, CHART_PAD, top + 14, CHART_ANCHOR_START,
	    "Demand and capacity, minutes per %s", pn)->bold = true;
	y = ya.top + ya.h;
	chart_add_text(c, CHART_PAD, y + 32, CHART_ANCHOR_START,
	    "Backlog, minutes waiting at the end of each %s", pn)->bold = true;
	yb.top = y + 44;
	yb.h = 100;
	bottom = yb.top + yb.h;
	c->height = bottom + 44;

	chart_draw_yaxis(c, &ya, left, right);
	chart_draw_yaxis(c, &yb, left, right);

	/* x: days; one period of room when there is a single point. */
	lo = chart_key_x(svc->period, s->key[i0]);
	hi = chart_key_x(svc->period, s->key[n - 1]);
	chart_day_span(svc->period, &lo, &hi);
	sc = (right - left) / (hi - lo);
	xs = xcalloc(m, sizeof(double));
	for (i = 0; i < m; i++)
		xs[i] = left + (chart_key_x(svc->period, s->key[i0 + i]) - lo) *
		    sc;

	chart_date_axis(c, svc->period, lo, hi, left, sc, left, right, bottom,
	    ya.top + ya.h, chart_date_head(svc->period));

	mk = chart_series(c, CHART_MARK_AREA, CHART_ROLE_BACKLOG,
	    CHART_DASH_SOLID, xs, f->backlog_minutes + i0, m, 1, &yb);
	mk = chart_series(c, CHART_MARK_LINE, CHART_ROLE_BACKLOG,
	    CHART_DASH_SOLID, xs, f->backlog_minutes + i0, m, 1, &yb);
	if (obs != NULL) {
		double	*ox = xcalloc(m, sizeof(double));
		double	*oy = xcalloc(m, sizeof(double));

		/* Recorded counts are often sparse (weekly in daily data), so
		 * the line joins the recorded values; each is marked unless
		 * the marks would crowd the line. */
		for (i = 0, k = 0; i < m; i++)
			if (isfinite(obs[i])) {
				ox[k] = xs[i];
				oy[k++] = obs[i];
			}
		mk = chart_series(c, CHART_MARK_LINE, CHART_ROLE_OBSERVED,
		    CHART_DASH_DOTTED, ox, oy, k, 1, &yb);
		mk->width = 2.5;
		if (k > 0 && (right - left) / (double)k >= 12) {
			mk = chart_series(c, CHART_MARK_POINTS,
			    CHART_ROLE_OBSERVED, CHART_DASH_SOLID, ox, oy, k, 1,
			    &yb);
			mk->marker = CHART_MARKER_DIAMOND;
			mk->width = 3.5;
		}
		free(ox);
		free(oy);
	}
	chart_series(c, CHART_MARK_LINE, CHART_ROLE_CAPACITY,
	    CHART_DASH_DASHED, xs, f->capacity_minutes + i0, m, 1, &ya);
	chart_series(c, CHART_MARK_LINE, CHART_ROLE_DEMAND, CHART_DASH_SOLID,
	    xs, f->demand_minutes + i0, m, 1, &ya);
	if (m == 1) {
		/* A single period: a line needs two points, so mark it. */
		mk = chart_series(c, CHART_MARK_POINTS, CHART_ROLE_DEMAND,
		    CHART_DASH_SOLID, xs, f->demand_minutes + i0, 1, 1, &ya);
		mk->marker = CHART_MARKER_CIRCLE;
		mk->width = 4;
		mk = chart_series(c, CHART_MARK_POINTS, CHART_ROLE_CAPACITY,
		    CHART_DASH_SOLID, xs, f->capacity_minutes + i0, 1, 1, &ya);
		mk->marker = CHART_MARKER_SQUARE;
		mk->width = 4;
	}
	free(obs);
	free(xs);
	if (spec == NULL || !spec->no_table)
		chart_dcb_table(c, svc, i0, m);
	return c;
}

/*
 * Indices of v[0..n) a sparkline draws: all of them when there are no
 * more than two per column of width w px; else, per column, the first,
 * least, greatest and last finite value (in their order, "M4"
 * decimation), which draws the same line at that resolution in a
 * fraction of the bytes (three years of daily points in 96 px).  A
 * missing value keeps its gap.  Returns the count written to idx
 * (room for n).
 */
static size_t
chart_spark_pick(const double *v, size_t n, double w, size_t *idx)
{
	size_t	 i, k = 0, col, cur = SIZE_MAX, g[4], ng = 0, j, t;

	if ((double)n <= 2 * w) {
		for (i = 0; i < n; i++)
			idx[i] = i;
		return n;
	}
	for (i = 0; i <= n; i++) {
		col = i < n ? (size_t)(w * (double)i / (double)n) : SIZE_MAX;
		if (i == n || !isfinite(v[i]) || col != cur) {
			/* Flush the column's group, in index order. */
			for (j = 1; j < ng; j++)
				for (t = j; t > 0 && g[t - 1] > g[t]; t--) {
					size_t	 x = g[t];

					g[t] = g[t - 1];
					g[t - 1] = x;
				}
			for (j = 0; j < ng; j++)
				if (j == 0 || g[j] != g[j - 1])
					idx[k++] = g[j];
			ng = 0;
			cur = col;
		}
		if (i == n)
			break;
		if (!isfinite(v[i])) {
			if (k == 0 || isfinite(v[idx[k - 1]]))
				idx[k++] = i;	/* the gap */
			cur = SIZE_MAX;
			continue;
		}
		if (ng == 0) {
			g[0] = g[1] = g[2] = g[3] = i;
			ng = 4;
			continue;
		}
		if (v[i] < v[g[1]])
			g[1] = i;
		if (v[i] > v[g[2]])
			g[2] = i;
		g[3] = i;
	}
	return k;
}

struct chart *
chart_sparkline(const double *v, size_t n, enum chart_role role, double w,
    double h)
{
	struct chart		*c;
	struct chart_mark	*mk, *pt;
	double			 lo = INFINITY, hi = -INFINITY, pad = 3;
	size_t			 i, last = n, m, *idx;

	for (i = 0; i < n; i++)
		if (isfinite(v[i])) {
			if (v[i] < lo)
				lo = v[i];
			if (v[i] > hi)
				hi = v[i];
			last = i;
		}
	if (last == n)
		return NULL;
	if (hi == lo) {
		lo -= 1;
		hi += 1;
	}
	idx = xreallocarray(NULL, n, sizeof(*idx));
	m = chart_spark_pick(v, n, w - 2 * pad, idx);
	c = chart_new(w, h);
	mk = chart_add_mark(c, CHART_MARK_LINE, role, m);
	mk->width = 1.5;
	mk->data = true;
	for (i = 0; i < m; i++) {
		mk->x[i] = n > 1 ? pad + (w - 2 * pad) * (double)idx[i] /
		    (double)(n - 1) : w / 2;
		mk->y[i] = isfinite(v[idx[i]]) ? pad + (h - 2 * pad) *
		    (hi - v[idx[i]]) / (hi - lo) : NAN;
	}
	free(idx);
	pt = chart_add_mark(c, CHART_MARK_POINTS, role, 1);
	pt->marker = CHART_MARKER_CIRCLE;
	pt->width = 2.5;
	pt->data = true;
	pt->x[0] = n > 1 ? pad + (w - 2 * pad) * (double)last /
	    (double)(n - 1) : w / 2;
	pt->y[0] = pad + (h - 2 * pad) * (hi - v[last]) / (hi - lo);
	c->title = xstrdup("Sparkline");
	c->desc = xstrdup("Trend of the measure over the period shown");
	return c;
}

/* ---- forwarders kept for sitepage.c ---- */

struct chart *
chart_spc(const struct service *svc, const struct spc *sp,
    const struct chart_spec *spec)
{
	return spcchart_xmr(svc, sp, spec);
}

struct chart *
chart_profile(const struct service *svc, const struct profile *pr,
    enum chart_profile_kind kind, const struct chart_spec *spec)
{
	return spcchart_profile(svc, pr, kind, spec);
}
