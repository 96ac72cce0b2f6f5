/*
 * spcchart.c: the Making Data Count charts of the chart model (see
 * spcchart.h): XmR SPC charts, profile charts and the variation and
 * assurance icons, built from chart.c's layout helpers.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "spcchart.h"
#include "util.h"

/* ---- SPC (XmR) chart ---- */

/* Point types of spc.c (SPEC 4.5). */
static const char SPCCHART_PT_IMPROVE[] = "special_cause_improvement";
static const char SPCCHART_PT_CONCERN[] = "special_cause_concern";
static const char SPCCHART_PT_NEUTRAL[] = "special_cause_neutral";

/* The role and marker of a point type: the MDC colours, and a shape
 * each so that type does not rest on colour alone (WCAG 1.4.1). */
static enum chart_role
spcchart_pt_role(const char *pt, enum chart_marker *mk)
{
	if (pt != NULL && strcmp(pt, SPCCHART_PT_IMPROVE) == 0) {
		*mk = CHART_MARKER_TRIANGLE;
		return CHART_ROLE_IMPROVEMENT;
	}
	if (pt != NULL && strcmp(pt, SPCCHART_PT_CONCERN) == 0) {
		*mk = CHART_MARKER_SQUARE;
		return CHART_ROLE_CONCERN;
	}
	if (pt != NULL && strncmp(pt, SPCCHART_PT_NEUTRAL,
	    sizeof(SPCCHART_PT_NEUTRAL) - 1) == 0) {
		*mk = CHART_MARKER_DIAMOND;
		return CHART_ROLE_NEUTRAL;
	}
	*mk = CHART_MARKER_CIRCLE;
	return CHART_ROLE_COMMON;
}

const char *
spcchart_point_type_text(const char *pt)
{
	if (pt == NULL)
		return "No data";
	if (strcmp(pt, SPCCHART_PT_IMPROVE) == 0)
		return "Special cause of improvement";
	if (strcmp(pt, SPCCHART_PT_CONCERN) == 0)
		return "Special cause of concern";
	if (strcmp(pt, "special_cause_neutral_high") == 0)
		return "Special cause, neither improvement nor concern (high)";
	if (strcmp(pt, "special_cause_neutral_low") == 0)
		return "Special cause, neither improvement nor concern (low)";
	return "Common cause";
}

static const struct {
	const char	*stem;
	const char	*text;
} spcchart_variation_texts[] = {
	{ "common_cause", "Common cause variation: no significant change" },
	{ "improvement_high", "Special cause of improvement (high)" },
	{ "improvement_low", "Special cause of improvement (low)" },
	{ "concern_high", "Special cause of concern (high)" },
	{ "concern_low", "Special cause of concern (low)" },
	{ "neutral_high", "Special cause, neither improvement nor concern "
	    "(high)" },
	{ "neutral_low", "Special cause, neither improvement nor concern "
	    "(low)" }
}, spcchart_assurance_texts[] = {
	{ "consistent_pass", "Will consistently pass the target" },
	{ "consistent_fail", "Will consistently fail the target" },
	{ "inconsistent", "Hit and miss target subject to random variation" }
};

const char *
spcchart_variation_text(const char *v)
{
	size_t	 i;

	for (i = 0; v != NULL && i < sizeof(spcchart_variation_texts) /
	    sizeof(spcchart_variation_texts[0]); i++)
		if (strcmp(v, spcchart_variation_texts[i].stem) == 0)
			return spcchart_variation_texts[i].text;
	return "Not available";
}

const char *
spcchart_assurance_text(const char *a)
{
	size_t	 i;

	for (i = 0; a != NULL && i < sizeof(spcchart_assurance_texts) /
	    sizeof(spcchart_assurance_texts[0]); i++)
		if (strcmp(a, spcchart_assurance_texts[i].stem) == 0)
			return spcchart_assurance_texts[i].text;
	return "No target";
}

/* The metric_def behind sp, or NULL (demand, capacity, backlog). */
static const struct metric_def *
spcchart_def(const struct service *svc, const struct spc *sp)
{
	size_t	 i;

	for (i = 0; i < svc->nmetrics; i++)
		if (strcmp(svc->metrics[i].column, sp->metric) == 0)
			return &svc->metrics[i];
	return NULL;
}

/* true if row i (> 0) starts a phase: spc.c's rule, a rebase key equal
 * to a row key after the first. */
static bool
spcchart_break(const struct metric_def *md, const int64_t *key, size_t i)
{
	size_t	 k;

	if (md == NULL || i == 0)
		return false;
	for (k = 0; k < md->nrebase; k++)
		if (md->rebase[k] == key[i])
			return true;
	return false;
}

int
spcchart_decimals(const double *v, size_t n)
{
	double	 m = 0;
	size_t	 i;

	for (i = 0; i < n; i++)
		if (isfinite(v[i]) && fabs(v[i]) > m)
			m = fabs(v[i]);
	return m >= 1000 ? 0 : m >= 10 ? -1 : 2;
}

/* v with the measure's unit: "88.2%", "724 minutes". */
static void
spcchart_fmt_unit(char *out, size_t sz, double v, int dec, const char *unit)
{
	char	 n[64];

	chart_fmt_number(n, sizeof(n), v, dec);
	if (unit == NULL || *unit == '\0')
		snprintf(out, sz, "%s", n);
	else if (strcmp(unit, "%") == 0)
		snprintf(out, sz, "%s%%", n);
	else
		snprintf(out, sz, "%s %s", n, unit);
}

/* The y-axis heading: the unit in words. */
static char *
spcchart_ytitle(const struct service *svc, const struct spc *sp)
{
	const char	*pn = util_period_name(svc->period);

	if (strcmp(sp->metric, "demand") == 0 ||
	    strcmp(sp->metric, "capacity") == 0)
		return xasprintf("Minutes per %s", pn);
	if (strcmp(sp->metric, "backlog") == 0)
		return xstrdup("Minutes of work waiting");
	if (sp->unit == NULL || *sp->unit == '\0')
		return xstrdup(sp->label);
	if (strcmp(sp->unit, "%") == 0)
		return xstrdup("Per cent");
	return xasprintf("%c%s", sp->unit[0] >= 'a' && sp->unit[0] <= 'z' ?
	    sp->unit[0] - 'a' + 'A' : sp->unit[0], sp->unit + 1);
}

/* The last cell made for a column: means and limits repeat down a
 * phase, so their text is made once and the cells share it (cells in
 * the table's pool are never freed one by one). */
struct spcchart_memo {
	uint64_t	 bits;
	char		*s;
};

static char *
spcchart_cell(struct chart_table *t, struct spcchart_memo *m, double v,
    int dec)
{
	uint64_t	 bits;

	memcpy(&bits, &v, sizeof(bits));
	if (m->s == NULL || bits != m->bits) {
		m->s = chart_table_num(t, v, dec);
		m->bits = bits;
	}
	return m->s;
}

/* spcchart_table() past CHART_TABLE_ROWS: per group the mean, least
 * and greatest value, the mean and limits at the group's end, and how
 * many points were special causes. */
static void
spcchart_table_grouped(struct chart *c, const struct service *svc,
    const struct spc *sp, size_t i0, int dec)
{
	struct chart_table	*t = &c->table;
	const char		*grain;
	char			 u[64];
	size_t			*gs, ng, g, col, i, k, m = sp->n - i0;
	const char		*prev = NULL;
	bool			 special = false;
	struct spcchart_memo	 memo[4];

	memset(memo, 0, sizeof(memo));
	ng = chart_table_groups(svc, i0, m, &gs, &grain);
	t->caption = xasprintf("Data for the chart by %s: %s", grain,
	    c->title);
	t->ncols = 8;
	t->head = xcalloc(t->ncols, sizeof(char *));
	t->head[0] = xstrdup(strcmp(grain, "week") == 0 ? "Week starting" :
	    strcmp(grain, "month") == 0 ? "Month" : "Date");
	if (sp->unit != NULL && *sp->unit != '\0')
		snprintf(u, sizeof(u), " (%s)", sp->unit);
	else
		u[0] = '\0';
	t->head[1] = xasprintf("Mean value%s", u);
	t->head[2] = xasprintf("Lowest%s", u);
	t->head[3] = xasprintf("Highest%s", u);
	t->head[4] = xasprintf("Mean line at the end%s", u);
	t->head[5] = xasprintf("Lower process limit at the end%s", u);
	t->head[6] = xasprintf("Upper process limit at the end%s", u);
	t->head[7] = xstrdup("Special-cause points");
	t->nrows = ng;
	t->cells = xcalloc(t->ncols * (ng ? ng : 1), sizeof(char *));
	for (g = 0; g < ng; g++) {
		col = g * t->ncols;
		t->cells[col] = chart_table_group_label(t, svc, grain, gs[g]);
		t->cells[col + 1] = chart_table_num(t, chart_group_mean(
		    sp->values, gs[g], gs[g + 1]), dec);
		t->cells[col + 2] = chart_table_num(t, chart_group_ext(
		    sp->values, gs[g], gs[g + 1], false), dec);
		t->cells[col + 3] = chart_table_num(t, chart_group_ext(
		    sp->values, gs[g], gs[g + 1], true), dec);
		t->cells[col + 4] = spcchart_cell(t, &memo[0],
		    chart_group_last(sp->mean, gs[g], gs[g + 1]), dec);
		t->cells[col + 5] = spcchart_cell(t, &memo[1],
		    chart_group_last(sp->lpl, gs[g], gs[g + 1]), dec);
		t->cells[col + 6] = spcchart_cell(t, &memo[2],
		    chart_group_last(sp->upl, gs[g], gs[g + 1]), dec);
		for (k = 0, i = gs[g]; sp->point_type != NULL &&
		    i < gs[g + 1]; i++) {
			const char *pt = sp->point_type[i];

			if (pt == NULL)
				continue;
			if (pt != prev) {	/* a few static strings */
				special = strncmp(pt, "special_cause", 13) == 0;
				prev = pt;
			}
			k += special;
		}
		t->cells[col + 7] = spcchart_cell(t, &memo[3], (double)k, 0);
	}
	t->note = chart_group_note(svc, m, grain, "the mean, lowest and "
	    "highest value; the mean line and limits at the end");
	free(gs);
}

static void
spcchart_table(struct chart *c, const struct service *svc,
    const struct spc *sp, size_t i0, int dec)
{
	struct chart_table	*t = &c->table;
	char			 d[64], u[64];
	const char		*pt;
	size_t			 k, i, col, m = sp->n - i0;
	struct spcchart_memo	 memo[3];

	if (chart_table_grouped(svc->period, m)) {
		spcchart_table_grouped(c, svc, sp, i0, dec);
		return;
	}
	memset(memo, 0, sizeof(memo));
	t->caption = xasprintf("Data for the chart: %s", c->title);
	t->ncols = 6;
	t->head = xcalloc(t->ncols, sizeof(char *));
	t->head[0] = xstrdup(chart_date_head(svc->period));
	if (sp->unit != NULL && *sp->unit != '\0')
		snprintf(u, sizeof(u), " (%s)", sp->unit);
	else
		u[0] = '\0';
	t->head[1] = xasprintf("Value%s", u);
	t->head[2] = xasprintf("Mean%s", u);
	t->head[3] = xasprintf("Lower process limit%s", u);
	t->head[4] = xasprintf("Upper process limit%s", u);
	t->head[5] = xstrdup("Variation");
	t->nrows = m;
	t->cells = xcalloc(t->ncols * (m ? m : 1), sizeof(char *));
	for (k = 0; k < m; k++) {
		i = i0 + k;
		col = k * t->ncols;
		chart_fmt_date(d, sizeof(d), svc->period, svc->series->key[i]);
		t->cells[col] = chart_table_str(t, d, strlen(d));
		t->cells[col + 1] = chart_table_num(t, sp->values[i], dec);
		t->cells[col + 2] = spcchart_cell(t, &memo[0], sp->mean[i], dec);
		t->cells[col + 3] = spcchart_cell(t, &memo[1], sp->lpl[i], dec);
		t->cells[col + 4] = spcchart_cell(t, &memo[2], sp->upl[i], dec);
		pt = spcchart_point_type_text(sp->point_type[i]);
		t->cells[col + 5] = chart_table_str(t, pt, strlen(pt));
	}
}

/* "Latest 88.2% on 31 Dec 2024; mean 91%, limits 84.9 to 97.1; ..." */
static char *
spcchart_desc(const struct service *svc, const struct spc *sp, size_t i0,
    int dec, size_t nphase, const char *firstbreak)
{
	const int64_t	*key = svc->series->key;
	const char	*pn = util_period_name(svc->period);
	char		 a[64], b[64], v[256], x[64], y[64];
	struct buf	 o;
	size_t		 last = sp->n;

	while (last > i0 && !isfinite(sp->values[last - 1]))
		last--;
	chart_fmt_date(a, sizeof(a), svc->period, key[i0]);
	chart_fmt_date(b, sizeof(b), svc->period, key[sp->n - 1]);
	buf_init(&o);
	buf_printf(&o, "XmR statistical process control chart of %s, one "
	    "point per %s from %s to %s", sp->label, pn, a, b);
	if (nphase > 1)
		buf_printf(&o, ", in %zu phases (new limits from %s)", nphase,
		    firstbreak);
	buf_puts(&o, ". ");
	if (last > i0) {
		size_t	 j = last - 1;

		chart_fmt_date(b, sizeof(b), svc->period, key[j]);
		spcchart_fmt_unit(v, sizeof(v), sp->values[j], dec, sp->unit);
		buf_printf(&o, "Latest %s on %s", v, b);
		if (isfinite(sp->mean[j])) {
			spcchart_fmt_unit(v, sizeof(v), sp->mean[j], dec,
			    sp->unit);
			buf_printf(&o, "; mean %s", v);
		}
		if (isfinite(sp->lpl[j]) && isfinite(sp->upl[j])) {
			chart_fmt_number(x, sizeof(x), sp->lpl[j], dec);
			chart_fmt_number(y, sizeof(y), sp->upl[j], dec);
			buf_printf(&o, ", limits %s to %s", x, y);
		} else
			buf_puts(&o, ", limits not defined");
		if (sp->has_target) {
			spcchart_fmt_unit(v, sizeof(v), sp->target, dec,
			    sp->unit);
			buf_printf(&o, "; target %s", v);
		}
		buf_printf(&o, "; %s", spcchart_variation_text(sp->variation));
		if (sp->assurance != NULL)
			buf_printf(&o, "; %s", spcchart_assurance_text(
			    sp->assurance));
		buf_puts(&o, ". ");
	} else
		buf_puts(&o, "No values in this window. ");
	if (sp->trial_limits)
		buf_puts(&o, "Trial limits: the last phase has fewer than 12 "
		    "points, so its limits may change. ");
	buf_puts(&o, "Special-cause points are marked with triangles "
	    "(improvement), squares (concern) or diamonds (neither); ");
	buf_puts(&o, chart_table_grouped(svc->period, sp->n - i0) ? "the "
	    "table below summarises the values; the data file has every "
	    "value." : "the table below gives every value.");
	return buf_release(&o);
}

static double
spcchart_first_finite(const double *v, size_t a, size_t b)
{
	for (; a < b; a++)
		if (isfinite(v[a]))
			return v[a];
	return NAN;
}

struct chart *
spcchart_xmr(const struct service *svc, const struct spc *sp,
    const struct chart_spec *spec)
{
	static const char *const ptnames[3] = { SPCCHART_PT_IMPROVE,
	    SPCCHART_PT_CONCERN, SPCCHART_PT_NEUTRAL };
	static const char *const ptlabels[3] = { "Special cause: improvement",
	    "Special cause: concern", "Special cause: neither" };
	const struct series	*s = svc->series;
	const struct metric_def	*md;
	struct chart		*c;
	struct chart_yaxis	 ya;
	struct chart_mark	*mk;
	enum chart_marker	 mtype;
	enum chart_role		 role;
	char			 firstbreak[64] = "";
	double			*xs, lo = INFINITY, hi = -INFINITY, left, right;
	double			 top, bottom, sc, gap, r, x, w;
	const double		*arrs[4];
	size_t			 n, i0 = 0, m, i, k, j, a, nphase, cnt;
	bool			 seen[3] = { false, false, false };
	int			 dec;
	char			*yt;
	const char		*prev;
	unsigned char		*cls, pc;

	if (s == NULL || sp == NULL || sp->n != s->n || s->n == 0)
		return NULL;
	n = s->n;
	if (spec != NULL && spec->has_from)
		while (i0 < n && s->key[i0] < spec->from)
			i0++;
	if (i0 >= n)
		return NULL;
	m = n - i0;
	md = spcchart_def(svc, sp);
	dec = spcchart_decimals(sp->values + i0, n - i0);

	/* The y range covers values, mean, limits and target. */
	arrs[0] = sp->values;
	arrs[1] = sp->mean;
	arrs[2] = sp->lpl;
	arrs[3] = sp->upl;
	/* fmin and fmax as libm's minsd and maxsd give them (the second
	 * operand when equal), inline. */
	for (k = 0; k < 4; k++)
		for (i = i0; i < n; i++)
			if (isfinite(arrs[k][i])) {
				lo = lo < arrs[k][i] ? lo : arrs[k][i];
				hi = hi > arrs[k][i] ? hi : arrs[k][i];
			}
	if (sp->has_target && isfinite(sp->target)) {
		lo = fmin(lo, sp->target);
		hi = fmax(hi, sp->target);
	}
	if (!isfinite(lo))
		return NULL;
	for (i = i0, nphase = 1; i < n; i++)
		if (i > i0 && spcchart_break(md, s->key, i)) {
			if (nphase++ == 1)
				chart_fmt_date(firstbreak, sizeof(firstbreak),
				    svc->period, s->key[i]);
		}
	/* Which of the four prefixes each point type has (bit 0 common
	 * cause, bits 1..3 ptnames[]); the types are a few static strings,
	 * so a run of the same pointer is matched once. */
	cls = xcalloc(m, 1);
	for (i = i0, prev = NULL, pc = 0; i < n; i++) {
		const char *pt = sp->point_type[i];

		if (pt == NULL)
			continue;
		if (pt != prev) {
			pc = strncmp(pt, "common_cause", 12) == 0;
			for (k = 0; k < 3; k++)
				if (strncmp(pt, ptnames[k],
				    strlen(ptnames[k])) == 0)
					pc |= (unsigned char)(2U << k);
			prev = pt;
		}
		cls[i - i0] = pc;
		for (k = 0; k < 3; k++)
			if (pc & (2U << k))
				seen[k] = true;
	}

	c = chart_new(CHART_W, 0);
	c->title = spec != NULL && spec->caption != NULL ?
	    xstrdup(spec->caption) : xasprintf("%s: SPC chart%s", sp->label,
	    sp->trial_limits ? " (trial limits)" : "");
	c->desc = spcchart_desc(svc, sp, i0, dec, nphase, firstbreak);

	chart_legend_add(c, CHART_MARK_LINE, CHART_ROLE_COMMON,
	    CHART_DASH_SOLID, "Value");
	c->legend[c->nlegend - 1].marker = CHART_MARKER_CIRCLE;
	chart_legend_add(c, CHART_MARK_LINE, CHART_ROLE_MEAN, CHART_DASH_SOLID,
	    "Mean");
	chart_legend_add(c, CHART_MARK_LINE, CHART_ROLE_LIMIT,
	    CHART_DASH_DASHED, sp->trial_limits ? "Process limits (trial)" :
	    "Process limits");
	if (sp->has_target)
		chart_legend_add(c, CHART_MARK_LINE, CHART_ROLE_TARGET,
		    CHART_DASH_DASHDOT, "Target");
	for (k = 0; k < 3; k++)
		if (seen[k]) {
			role = spcchart_pt_role(ptnames[k], &mtype);
			chart_legend_add(c, CHART_MARK_POINTS, role,
			    CHART_DASH_SOLID, ptlabels[k]);
			c->legend[c->nlegend - 1].marker = mtype;
		}
	top = chart_legend_draw(c, CHART_PAD);

	/* Room so that markers on the extremes are not cut by the axis. */
	w = (hi - lo) * 0.04;
	ya.dec = chart_ticks_nice(lo >= 0 && lo - w < 0 ? 0 : lo - w, hi + w,
	    5, &ya.step, &ya.t0, &ya.t1);
	w = chart_ylabels_width(&ya);
	left = CHART_PAD + w + 8;
	right = c->width - 16;
	yt = spcchart_ytitle(svc, sp);
	chart_add_text(c, CHART_PAD, top + 14, CHART_ANCHOR_START, "%s",
	    yt)->bold = true;
	free(yt);
	ya.top = top + 30;
	ya.h = 170;
	bottom = ya.top + ya.h;
	c->height = bottom + 44;
	chart_draw_yaxis(c, &ya, left, right);

	/* x: days, half a period of room at each end for the markers. */
	lo = chart_key_x(svc->period, s->key[i0]);
	hi = chart_key_x(svc->period, s->key[n - 1]);
	chart_day_span(svc->period, &lo, &hi);
	sc = (right - left - 8) / (hi - lo);
	xs = xcalloc(m, sizeof(double));
	for (i = 0; i < m; i++)
		xs[i] = left + 4 + (chart_key_x(svc->period, s->key[i0 + i]) -
		    lo) * sc;
	gap = m > 1 ? (xs[m - 1] - xs[0]) / (double)(m - 1) : 20;
	chart_date_axis(c, svc->period, lo, hi, left + 4, sc, left + 4,
	    right - 4, bottom, -1, chart_date_head(svc->period));

	/* Each phase: its own mean and limits, a break line between. */
	for (a = 0; a < m; a = j) {
		for (j = a + 1; j < m && !spcchart_break(md, s->key, i0 + j);
		    j++)
			;
		if (a > 0) {
			x = (xs[a - 1] + xs[a]) / 2;
			chart_add_segment(c, CHART_ROLE_AXIS, 1.5,
			    CHART_DASH_DOTTED, x, ya.top - 8, x, bottom);
			chart_add_text(c, x > right - 50 ? x - 3 : x + 3,
			    ya.top - 2, x > right - 50 ? CHART_ANCHOR_END :
			    CHART_ANCHOR_START, "Rebased")->size = 11;
		}
		chart_hline(c, CHART_ROLE_LIMIT, CHART_DASH_DASHED, &ya,
		    spcchart_first_finite(sp->lpl, i0 + a, i0 + j), xs[a],
		    xs[j - 1]);
		chart_hline(c, CHART_ROLE_LIMIT, CHART_DASH_DASHED, &ya,
		    spcchart_first_finite(sp->upl, i0 + a, i0 + j), xs[a],
		    xs[j - 1]);
		chart_hline(c, CHART_ROLE_MEAN, CHART_DASH_SOLID, &ya,
		    spcchart_first_finite(sp->mean, i0 + a, i0 + j), xs[a],
		    xs[j - 1]);
	}
	if (sp->has_target)
		chart_hline(c, CHART_ROLE_TARGET, CHART_DASH_DASHDOT, &ya,
		    sp->target, left, right);

	/* The values: a grey line, a marker per point when they fit. */
	mk = chart_series(c, CHART_MARK_LINE, CHART_ROLE_COMMON,
	    CHART_DASH_SOLID, xs, sp->values + i0, m, 1, &ya);
	mk->width = gap >= 4 ? 1.5 : 1;
	r = gap >= 9 ? 3 : gap >= 5 ? 2.2 : 1.5;
	for (k = 0; k < 4; k++) {
		const char *want = k == 0 ? "common_cause" : ptnames[k - 1];
		double *px, *py;

		if (k == 0 && gap < 3.5)
			continue;	/* the line shows common cause */
		px = xcalloc(m, sizeof(double));
		py = xcalloc(m, sizeof(double));
		for (i = 0, cnt = 0; i < m; i++) {
			if (!(cls[i] & (1U << k)) ||
			    !isfinite(sp->values[i0 + i]))
				continue;
			px[cnt] = xs[i];
			py[cnt++] = sp->values[i0 + i];
		}
		if (cnt > 0 || (k == 0 && m == 1)) {
			role = spcchart_pt_role(want, &mtype);
			mk = chart_series(c, CHART_MARK_POINTS, role,
			    CHART_DASH_SOLID, px, py, cnt, 1, &ya);
			mk->marker = mtype;
			mk->width = k == 0 ? r : fmax(r + 0.6, 2.6);
		}
		free(px);
		free(py);
	}
	free(xs);
	free(cls);
	if (spec == NULL || !spec->no_table)
		spcchart_table(c, svc, sp, i0, dec);
	return c;
}

/* ---- profile chart ---- */

static const char *const spcchart_days[7] = {
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	"Sunday"
};

static const char *const spcchart_months[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

/* Short (axis) and long (table) name of bucket i. */
static void
spcchart_bucket(enum chart_profile_kind kind, size_t i, char *sh, size_t shsz,
    char *lg, size_t lgsz)
{
	switch (kind) {
	case CHART_PROFILE_HOUR:
		snprintf(sh, shsz, "%02zu", i);
		snprintf(lg, lgsz, "%02zu:00 to %02zu:59", i, i);
		break;
	case CHART_PROFILE_WEEKDAY:
		snprintf(sh, shsz, "%.3s", spcchart_days[i % 7]);
		snprintf(lg, lgsz, "%s", spcchart_days[i % 7]);
		break;
	default:
		snprintf(sh, shsz, "%.3s", spcchart_months[i % 12]);
		snprintf(lg, lgsz, "%s", spcchart_months[i % 12]);
		break;
	}
}

struct chart *
spcchart_profile(const struct service *svc, const struct profile *pr,
    enum chart_profile_kind kind, const struct chart_spec *spec)
{
	static const char *const by[3] = { "hour of the day",
	    "day of the week", "month of the year" };
	const struct metric_def	*md = NULL;
	struct chart		*c;
	struct chart_yaxis	 ya;
	struct chart_mark	*mk;
	struct chart_table	*t;
	const char		*pn = util_period_name(svc->period);
	char			 sh[32], lg[64], unit[128], what[256], x[64];
	char			 y[64];
	double			 lo = INFINITY, hi = -INFINITY, left, right;
	double			 bw, cx, top, bottom, w;
	size_t			 i, k, every, imax = 0, imin = 0, col;
	bool			 flow;
	int			 dec;

	if (pr == NULL || pr->n == 0 || svc->an == NULL)
		return NULL;
	flow = svc->an->has_flow;
	if (!flow && svc->nmetrics > 0)
		md = &svc->metrics[0];
	if (!flow && md == NULL)
		return NULL;
	for (i = 0; i < pr->n; i++) {
		if (isfinite(pr->p10[i]))
			lo = fmin(lo, pr->p10[i]);
		if (isfinite(pr->mean[i])) {
			lo = fmin(lo, pr->mean[i]);
			if (!isfinite(pr->mean[imax]) ||
			    pr->mean[i] > pr->mean[imax])
				imax = i;
			if (!isfinite(pr->mean[imin]) ||
			    pr->mean[i] < pr->mean[imin])
				imin = i;
		}
		if (isfinite(pr->p90[i]))
			hi = fmax(hi, pr->p90[i]);
		if (isfinite(pr->mean[i]))
			hi = fmax(hi, pr->mean[i]);
	}
	if (!isfinite(lo))
		return NULL;
	if (flow) {
		lo = 0;	/* counts: bars from zero read truthfully */
		snprintf(unit, sizeof(unit), "Cases per %s", pn);
		snprintf(what, sizeof(what), "Demand");
	} else {
		if (md->unit == NULL || *md->unit == '\0')
			snprintf(unit, sizeof(unit), "%s", md->label);
		else if (strcmp(md->unit, "%") == 0)
			snprintf(unit, sizeof(unit), "Per cent");
		else
			snprintf(unit, sizeof(unit), "%s", md->unit);
		snprintf(what, sizeof(what), "%s", md->label);
	}
	dec = hi < 10 ? 2 : -1;

	c = chart_new(CHART_W, 0);
	c->title = spec != NULL && spec->caption != NULL ?
	    xstrdup(spec->caption) : xasprintf("%s by %s%s%s", what,
	    by[kind], flow ? ", cases per " : "", flow ? pn : "");
	spcchart_bucket(kind, imax, sh, sizeof(sh), lg, sizeof(lg));
	chart_fmt_number(x, sizeof(x), pr->mean[imax], dec);
	{
		char	 lg2[64];

		spcchart_bucket(kind, imin, sh, sizeof(sh), lg2, sizeof(lg2));
		chart_fmt_number(y, sizeof(y), pr->mean[imin], dec);
		c->desc = xasprintf("Profile of %s by %s (%s): for each %s, "
		    "the mean as a line with dots and the range from the "
		    "10th to the 90th percentile as a shaded bar. Highest "
		    "mean: %s, %s; lowest: %s, %s. The table below gives "
		    "every value.", flow ? "demand" : what, by[kind], unit,
		    kind == CHART_PROFILE_HOUR ? "hour" :
		    kind == CHART_PROFILE_WEEKDAY ? "day" : "month", lg, x,
		    lg2, y);
	}

	chart_legend_add(c, CHART_MARK_LINE, CHART_ROLE_MEAN, CHART_DASH_SOLID,
	    "Mean");
	c->legend[c->nlegend - 1].marker = CHART_MARKER_CIRCLE;
	chart_legend_add(c, CHART_MARK_AREA, CHART_ROLE_DEMAND,
	    CHART_DASH_SOLID, "10th to 90th percentile");
	top = chart_legend_draw(c, CHART_PAD);

	ya.dec = chart_ticks_nice(lo, hi, 5, &ya.step, &ya.t0, &ya.t1);
	w = chart_ylabels_width(&ya);
	left = CHART_PAD + w + 8;
	right = c->width - 8;
	chart_add_text(c, CHART_PAD, top + 14, CHART_ANCHOR_START, "%s",
	    unit)->bold = true;
	ya.top = top + 30;
	ya.h = 150;
	bottom = ya.top + ya.h;
	c->height = bottom + 44;
	chart_draw_yaxis(c, &ya, left, right);

	bw = (right - left) / (double)pr->n;
	every = bw >= 26 ? 1 : bw >= 13 ? 2 : 3;
	/* Range bars (p10 to p90, edges drawn so they hold 3:1), then the
	 * mean as a line with dots on top. */
	for (i = 0; i < pr->n; i++) {
		double	 x0, x1, y0, y1;

		if (!isfinite(pr->p10[i]) || !isfinite(pr->p90[i]))
			continue;
		cx = left + bw * ((double)i + 0.5);
		x0 = cx - bw * 0.32;
		x1 = cx + bw * 0.32;
		y0 = chart_ymap(&ya, pr->p90[i]);
		y1 = chart_ymap(&ya, pr->p10[i]);
		mk = chart_add_mark(c, CHART_MARK_AREA, CHART_ROLE_DEMAND, 2);
		mk->x[0] = x0;
		mk->x[1] = x1;
		mk->y[0] = mk->y[1] = y0;
		mk->base = y1;
		mk->opacity = 0.25;
		mk->data = true;
		chart_add_segment(c, CHART_ROLE_DEMAND, 1.5, CHART_DASH_SOLID,
		    x0, y0, x1, y0);
		chart_add_segment(c, CHART_ROLE_DEMAND, 1.5, CHART_DASH_SOLID,
		    x0, y1, x1, y1);
	}
	for (k = 0; k < 2; k++) {
		mk = chart_add_mark(c, k == 0 ? CHART_MARK_LINE :
		    CHART_MARK_POINTS, CHART_ROLE_MEAN, pr->n);
		mk->width = k == 0 ? 2 : bw >= 13 ? 3 : 2.2;
		mk->marker = k == 0 ? CHART_MARKER_NONE : CHART_MARKER_CIRCLE;
		mk->data = true;
		for (i = 0; i < pr->n; i++) {
			mk->x[i] = left + bw * ((double)i + 0.5);
			mk->y[i] = isfinite(pr->mean[i]) ?
			    chart_ymap(&ya, pr->mean[i]) : NAN;
		}
	}
	for (i = 0; i < pr->n; i++) {
		cx = left + bw * ((double)i + 0.5);
		chart_add_segment(c, CHART_ROLE_AXIS, 1, CHART_DASH_SOLID, cx,
		    bottom, cx, bottom + 4);
		if (i % every != 0)
			continue;
		spcchart_bucket(kind, i, sh, sizeof(sh), lg, sizeof(lg));
		chart_add_text(c, cx, bottom + 19, CHART_ANCHOR_MIDDLE, "%s",
		    sh);
	}
	chart_add_text(c, (left + right) / 2, bottom + 38, CHART_ANCHOR_MIDDLE,
	    "%s", kind == CHART_PROFILE_HOUR ? "Hour of the day" :
	    kind == CHART_PROFILE_WEEKDAY ? "Day of the week" : "Month");

	t = &c->table;
	t->caption = xasprintf("Data for the chart: %s", c->title);
	t->ncols = 4;
	t->head = xcalloc(4, sizeof(char *));
	t->head[0] = xstrdup(kind == CHART_PROFILE_HOUR ? "Hour" :
	    kind == CHART_PROFILE_WEEKDAY ? "Day" : "Month");
	t->head[1] = xasprintf("Mean (%s)", unit);
	t->head[2] = xstrdup("10th percentile");
	t->head[3] = xstrdup("90th percentile");
	t->nrows = pr->n;
	t->cells = xcalloc(4 * pr->n, sizeof(char *));
	for (i = 0; i < pr->n; i++) {
		col = i * 4;
		spcchart_bucket(kind, i, sh, sizeof(sh), lg, sizeof(lg));
		t->cells[col] = xstrdup(lg);
		t->cells[col + 1] = chart_cell(pr->mean[i], dec);
		t->cells[col + 2] = chart_cell(pr->p10[i], dec);
		t->cells[col + 3] = chart_cell(pr->p90[i], dec);
	}
	return c;
}

/* ---- Making Data Count icons ---- */

/* A ring of radius r at (cx, cy) as a closed polyline. */
static void
spcchart_ring(struct chart *c, enum chart_role role, double cx, double cy,
    double r, double width)
{
	struct chart_mark	*m;
	size_t			 i, n = 49;

	m = chart_add_mark(c, CHART_MARK_LINE, role, n);
	m->width = width;
	for (i = 0; i < n; i++) {
		m->x[i] = cx + r * cos(2 * M_PI * (double)i / (double)(n - 1));
		m->y[i] = cy + r * sin(2 * M_PI * (double)i / (double)(n - 1));
	}
}

struct chart *
spcchart_variation_icon(const char *v, double size)
{
	static const double flat[7] = { 54, 46, 57, 48, 55, 45, 52 };
	static const double high[7] = { 72, 66, 73, 67, 60, 53, 46 };
	static const double low[7] = { 52, 58, 51, 57, 64, 70, 76 };
	struct chart		*c;
	struct chart_mark	*m;
	struct chart_text	*t;
	enum chart_role		 role;
	const double		*ys;
	const char		*text;
	double			 s = size / 100;
	size_t			 i, nsp;
	bool			 hi;

	if (v == NULL || strcmp((text = spcchart_variation_text(v)),
	    "Not available") == 0)
		return NULL;
	if (strncmp(v, "improvement", 11) == 0)
		role = CHART_ROLE_IMPROVEMENT;
	else if (strncmp(v, "concern", 7) == 0)
		role = CHART_ROLE_CONCERN;
	else if (strncmp(v, "neutral", 7) == 0)
		role = CHART_ROLE_NEUTRAL;
	else
		role = CHART_ROLE_COMMON;
	hi = strstr(v, "_high") != NULL;
	nsp = role == CHART_ROLE_COMMON ? 0 : 3;
	ys = nsp == 0 ? flat : hi ? high : low;

	c = chart_new(size, size);
	c->title = xstrdup(text);
	c->desc = xasprintf("Variation icon: %s.", text);
	spcchart_ring(c, role, 50 * s, 50 * s, 45 * s, 7 * s);
	/* The last points: grey before, the type's colour for the special
	 * cause, joined by a thin line as on the chart. */
	m = chart_add_mark(c, CHART_MARK_LINE, CHART_ROLE_COMMON, 7);
	m->width = 3 * s;
	for (i = 0; i < 7; i++) {
		m->x[i] = (24 + 8.7 * (double)i) * s;
		m->y[i] = ys[i] * s;
	}
	m = chart_add_mark(c, CHART_MARK_POINTS, CHART_ROLE_COMMON, 7 - nsp);
	m->marker = CHART_MARKER_CIRCLE;
	m->width = 5 * s;
	for (i = 0; i < 7 - nsp; i++) {
		m->x[i] = (24 + 8.7 * (double)i) * s;
		m->y[i] = ys[i] * s;
	}
	if (nsp > 0) {
		m = chart_add_mark(c, CHART_MARK_POINTS, role, nsp);
		m->marker = CHART_MARKER_CIRCLE;
		m->width = 6 * s;
		for (i = 0; i < nsp; i++) {
			m->x[i] = (24 + 8.7 * (double)(7 - nsp + i)) * s;
			m->y[i] = ys[7 - nsp + i] * s;
		}
		t = chart_add_text(c, 50 * s, (hi ? 40 : 42) * s,
		    CHART_ANCHOR_MIDDLE, "%s", hi ? "H" : "L");
		t->size = 32 * s;
		t->bold = true;
		t->role = role;
	}
	return c;
}

struct chart *
spcchart_assurance_icon(const char *a, double size)
{
	struct chart		*c;
	struct chart_text	*t;
	enum chart_role		 role;
	const char		*letter, *text;
	double			 s = size / 100;

	if (a == NULL)
		return NULL;
	if (strcmp(a, "consistent_pass") == 0) {
		role = CHART_ROLE_IMPROVEMENT;
		letter = "P";
	} else if (strcmp(a, "consistent_fail") == 0) {
		role = CHART_ROLE_CONCERN;
		letter = "F";
	} else if (strcmp(a, "inconsistent") == 0) {
		role = CHART_ROLE_COMMON;
		letter = "?";
	} else
		return NULL;
	text = spcchart_assurance_text(a);
	c = chart_new(size, size);
	c->title = xstrdup(text);
	c->desc = xasprintf("Assurance icon: %s.", text);
	spcchart_ring(c, role, 50 * s, 50 * s, 45 * s, 7 * s);
	t = chart_add_text(c, 50 * s, 60 * s, CHART_ANCHOR_MIDDLE, "%s",
	    letter);
	t->size = 48 * s;
	t->bold = true;
	t->role = role;
	/* The target line under the letter. */
	chart_add_segment(c, role, 5 * s, CHART_DASH_SOLID, 24 * s, 72 * s,
	    76 * s, 72 * s);
	return c;
}
