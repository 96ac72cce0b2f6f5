/*
 * simchart.c: the simulation's fan chart, scenario chart and sentences
 * (see simchart.h), laid out with chart.c's helpers so that the SVG and
 * PDF renderers draw them like every other chart.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "simchart.h"
#include "util.h"

#define SIMCHART_NBSP	"\xc2\xa0"	/* U+00A0: keeps "31 %" together */

static const char *const simchart_month_names[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

/* The simulation of svc when it can be drawn, else NULL. */
static const struct sim *
simchart_sim(const struct service *svc)
{
	const struct sim	*sim;

	if (svc == NULL || svc->an == NULL || !svc->an->has_flow ||
	    (sim = svc->an->sim) == NULL || sim->horizon == 0 ||
	    sim->nscenarios == 0 || sim->keys == NULL)
		return NULL;
	return sim;
}

double
simchart_target_minutes(const struct service *svc)
{
	const struct series	*s;
	double			 cap;

	if (svc == NULL || svc->an == NULL || !svc->an->has_flow ||
	    !svc->has_target_wait || (s = svc->series) == NULL || s->n == 0)
		return NAN;
	/* SPEC 4.4: the wait is backlog / mean capacity minutes per day
	 * over the history, so the target is this many minutes. */
	cap = util_mean(svc->an->flow.capacity_minutes, s->n) /
	    util_period_days(svc->period);
	return svc->target_wait_days * cap;
}

void
simchart_fmt_pct(char *out, size_t sz, double p)
{
	if (!isfinite(p))
		snprintf(out, sz, "not available");
	else if (p <= 0)
		snprintf(out, sz, "0" SIMCHART_NBSP "%%");
	else if (p >= 1)
		snprintf(out, sz, "100" SIMCHART_NBSP "%%");
	else if (p < 0.005)
		snprintf(out, sz, "less than 1" SIMCHART_NBSP "%%");
	else if (p > 0.995)
		snprintf(out, sz, "more than 99" SIMCHART_NBSP "%%");
	else
		snprintf(out, sz, "%.0f" SIMCHART_NBSP "%%", p * 100);
}

/* "by 30 June 2025", "by the end of June 2025", ... of the last
 * horizon period. */
static void
simchart_by(char *out, size_t sz, enum period period, int64_t key)
{
	int64_t		 day = util_key_day(period, key);
	int		 y;
	unsigned	 m, d;

	util_civil_from_days(day, &y, &m, &d);
	switch (period) {
	case PERIOD_MONTH:
		snprintf(out, sz, "by the end of %s %d",
		    simchart_month_names[m - 1], y);
		break;
	case PERIOD_WEEK:
		snprintf(out, sz, "by the week starting %u %s %d", d,
		    simchart_month_names[m - 1], y);
		break;
	case PERIOD_HOUR:
		snprintf(out, sz, "by %02d:00 on %u %s %d",
		    (int)(key - day * 24), d, simchart_month_names[m - 1], y);
		break;
	default:
		snprintf(out, sz, "by %u %s %d", d,
		    simchart_month_names[m - 1], y);
		break;
	}
}

/* "28 days", "1 day". */
static void
simchart_days(char *out, size_t sz, double days)
{
	char	 n[32];

	chart_fmt_number(n, sizeof(n), days, -1);
	snprintf(out, sz, "%s %s", n, days == 1 ? "day" : "days");
}

/* "182 days", "26 weeks", "1 month". */
static void
simchart_span(char *out, size_t sz, enum period period, size_t n)
{
	char	 s[32];

	chart_fmt_number(s, sizeof(s), (double)n, 0);
	snprintf(out, sz, "%s %s%s", s, util_period_name(period),
	    n == 1 ? "" : "s");
}

/* Pounds: whole pounds from £100, else pence. */
static void
simchart_money(char *out, size_t sz, double v)
{
	char	 s[32];

	chart_fmt_number(s, sizeof(s), v, fabs(v) >= 100 ||
	    v == floor(v) ? 0 : 2);
	snprintf(out, sz, "£%s", s);
}

/* The name of scenario i for readers. */
static const char *
simchart_name(const struct sim *sim, size_t i)
{
	return i == 0 ? "Current staffing (baseline)" :
	    sim->scenarios[i].name;
}

char *
simchart_risk_sentence(const struct service *svc)
{
	const struct sim	*sim;
	double			 p;
	char			 days[64], by[96], pct[64], paths[64];

	if ((sim = simchart_sim(svc)) == NULL || !svc->has_target_wait ||
	    !isfinite(p = sim->scenarios[0].p_wait_over_target_end))
		return NULL;
	simchart_days(days, sizeof(days), svc->target_wait_days);
	simchart_by(by, sizeof(by), svc->period, sim->keys[sim->horizon - 1]);
	chart_fmt_number(paths, sizeof(paths), (double)sim->paths, 0);
	if (p <= 0)
		return xasprintf("On current staffing it is very unlikely that "
		    "waits will exceed %s %s: none of the %s simulated paths "
		    "did.", days, by, paths);
	if (p >= 1)
		return xasprintf("On current staffing it is almost certain "
		    "that waits will exceed %s %s: every one of the %s "
		    "simulated paths did.", days, by, paths);
	if (p < 0.005)
		return xasprintf("On current staffing there is less than a "
		    "1" SIMCHART_NBSP "%% chance that waits exceed %s %s.",
		    days, by);
	if (p > 0.995)
		return xasprintf("On current staffing there is more than a "
		    "99" SIMCHART_NBSP "%% chance that waits exceed %s %s.",
		    days, by);
	simchart_fmt_pct(pct, sizeof(pct), p);
	return xasprintf("On current staffing there is a %s chance that "
	    "waits exceed %s %s.", pct, days, by);
}

/* The scenario (> 0) with the least cost per point of risk removed,
 * or 0 when no option removes risk. */
static size_t
simchart_best(const struct sim *sim)
{
	size_t	 i, best = 0;
	double	 v;

	for (i = 1; i < sim->nscenarios; i++) {
		v = sim->scenarios[i].cost_per_point_risk_removed;
		if (isfinite(v) && (best == 0 || v <
		    sim->scenarios[best].cost_per_point_risk_removed))
			best = i;
	}
	return best;
}

char *
simchart_value_sentence(const struct service *svc)
{
	const struct sim	*sim;
	const struct sim_scenario *b, *base;
	struct buf		 o;
	size_t			 i, best, low;
	double			 lo;
	char			 days[64], by[96], a[64], z[64], cost[64];
	char			 per[64], span[64];

	if ((sim = simchart_sim(svc)) == NULL || sim->nscenarios < 2 ||
	    !svc->has_target_wait)
		return NULL;
	base = &sim->scenarios[0];
	if (!isfinite(base->p_wait_over_target_end))
		return NULL;
	simchart_days(days, sizeof(days), svc->target_wait_days);
	simchart_by(by, sizeof(by), svc->period, sim->keys[sim->horizon - 1]);
	simchart_fmt_pct(a, sizeof(a), base->p_wait_over_target_end);
	if ((best = simchart_best(sim)) == 0) {
		if (base->p_wait_over_target_end <= 0)
			return xasprintf("No option can lower the risk further: "
			    "on current staffing it is already very unlikely "
			    "that waits exceed %s %s.", days, by);
		/* No option removed risk, so none is below the baseline. */
		lo = base->p_wait_over_target_end;
		for (i = 1; i < sim->nscenarios; i++)
			if (sim->scenarios[i].p_wait_over_target_end > lo)
				break;
		return xasprintf("None of the options lowers the chance that "
		    "waits exceed %s %s: it stays at %s%s on every option.",
		    days, by, a, i < sim->nscenarios &&
		    base->p_wait_over_target_end < 1 ? " or more" : "");
	}
	b = &sim->scenarios[best];
	simchart_fmt_pct(z, sizeof(z), b->p_wait_over_target_end);
	simchart_money(cost, sizeof(cost), b->cost);
	simchart_money(per, sizeof(per), b->cost_per_point_risk_removed);
	simchart_span(span, sizeof(span), svc->period, sim->horizon);
	buf_init(&o);
	if (b->cost <= 0)
		buf_printf(&o, "Of the options, \u201c%s\u201d removes the "
		    "most risk per pound: at no cost, it takes the chance that "
		    "waits exceed %s %s from %s to %s.", b->name, days, by, a,
		    z);
	else
		buf_printf(&o, "Of the options, \u201c%s\u201d removes the "
		    "most risk per pound: %s per percentage point. It takes the "
		    "chance that waits exceed %s %s from %s to %s, for %s over "
		    "%s.", b->name, per, days, by, a, z, cost, span);
	/* The best value may not be enough: name the option that lowers
	 * the risk most when it is another (ties: the cheaper). */
	for (i = 1, low = best; i < sim->nscenarios; i++) {
		const struct sim_scenario *o2 = &sim->scenarios[i];

		if (isfinite(o2->cost_per_point_risk_removed) &&
		    (o2->p_wait_over_target_end <
		    sim->scenarios[low].p_wait_over_target_end ||
		    (o2->p_wait_over_target_end ==
		    sim->scenarios[low].p_wait_over_target_end &&
		    o2->cost < sim->scenarios[low].cost)))
			low = i;
	}
	if (low != best && sim->scenarios[low].p_wait_over_target_end <
	    b->p_wait_over_target_end) {
		b = &sim->scenarios[low];
		simchart_fmt_pct(z, sizeof(z), b->p_wait_over_target_end);
		simchart_money(per, sizeof(per),
		    b->cost_per_point_risk_removed);
		buf_printf(&o, " \u201c%s\u201d lowers it furthest, to %s, at "
		    "%s per percentage point.", b->name, z, per);
	}
	return buf_release(&o);
}

/* ---- fan chart ---- */

/* History periods shown before the horizon: about eight weeks. */
static size_t
simchart_history_len(enum period p)
{
	switch (p) {
	case PERIOD_HOUR:
		return 7 * 24;
	case PERIOD_DAY:
		return 56;
	case PERIOD_WEEK:
		return 13;
	default:
		return 12;
	}
}

static const char *
simchart_date_head(enum period p)
{
	return p == PERIOD_MONTH ? "Month" : p == PERIOD_WEEK ?
	    "Week starting" : p == PERIOD_HOUR ? "Hour" : "Date";
}

static void
simchart_fan_table(struct chart *c, const struct service *svc,
    const struct sim *sim)
{
	static const char *const names[SIM_PCT_N] = { "5th percentile",
	    "25th percentile", "Median", "75th percentile",
	    "95th percentile" };
	const struct sim_scenario *s = &sim->scenarios[0];
	struct chart_table	*t = &c->table;
	char			 d[64], paths[32];
	size_t			 h, l, col;

	t->caption = xasprintf("Data for the chart: %s", c->title);
	t->ncols = 1 + SIM_PCT_N;
	t->head = xcalloc(t->ncols, sizeof(char *));
	t->head[0] = xstrdup(simchart_date_head(svc->period));
	for (l = 0; l < SIM_PCT_N; l++)
		t->head[l + 1] = xasprintf("%s (minutes)", names[l]);
	t->nrows = sim->horizon;
	t->cells = xcalloc(t->ncols * sim->horizon, sizeof(char *));
	for (h = 0; h < sim->horizon; h++) {
		col = h * t->ncols;
		chart_fmt_date(d, sizeof(d), svc->period, sim->keys[h]);
		t->cells[col] = chart_table_str(t, d, strlen(d));
		for (l = 0; l < SIM_PCT_N; l++)
			t->cells[col + 1 + l] = chart_table_num(t,
			    s->backlog_pct[l][h], 0);
	}
	chart_fmt_number(paths, sizeof(paths), (double)sim->paths, 0);
	t->note = xasprintf("Each row gives the backlog at the end of the "
	    "%s across %s simulated paths: 5%% of paths are below the 5th "
	    "percentile and half are below the median.",
	    util_period_name(svc->period), paths);
}

static char *
simchart_fan_desc(const struct service *svc, const struct sim *sim,
    double target, const char *hist)
{
	const struct sim_scenario *s = &sim->scenarios[0];
	size_t			 e = sim->horizon - 1;
	char			 a[64], b[64], md[64], p5[64], p95[64];
	char			 tg[64], days[64], paths[64];
	char			*risk;
	struct buf		 o;

	chart_fmt_date(a, sizeof(a), svc->period, sim->keys[0]);
	chart_fmt_date(b, sizeof(b), svc->period, sim->keys[e]);
	chart_fmt_number(md, sizeof(md), s->backlog_pct[2][e], 0);
	chart_fmt_number(p5, sizeof(p5), s->backlog_pct[0][e], 0);
	chart_fmt_number(p95, sizeof(p95), s->backlog_pct[4][e], 0);
	chart_fmt_number(paths, sizeof(paths), (double)sim->paths, 0);
	buf_init(&o);
	buf_printf(&o, "Fan chart of the backlog in minutes of work waiting, "
	    "simulated %s paths ahead from %s to %s on current staffing by "
	    "replaying randomly chosen periods of the history. The light "
	    "band holds the middle 90%% of paths (5th to 95th percentile), "
	    "the darker band the middle 50%% (25th to 75th), and the solid "
	    "line is the median. ", paths, a, b);
	if (hist != NULL)
		buf_printf(&o, "A dotted line on the left shows the %s before "
		    "the simulation starts. ", hist);
	buf_printf(&o, "On %s the median is %s minutes, and 90%% of paths "
	    "lie between %s and %s minutes. ", b, md, p5, p95);
	if (isfinite(target)) {
		chart_fmt_number(tg, sizeof(tg), target, 0);
		simchart_days(days, sizeof(days), svc->target_wait_days);
		buf_printf(&o, "The dashed line at %s minutes is a wait of "
		    "%s at the mean capacity of the history. ", tg, days);
	}
	if ((risk = simchart_risk_sentence(svc)) != NULL) {
		buf_puts(&o, risk);
		buf_putc(&o, ' ');
		free(risk);
	}
	buf_puts(&o, "The table below gives every value.");
	return buf_release(&o);
}

struct chart *
simchart_fan(const struct service *svc, const struct chart_spec *spec)
{
	const struct sim	*sim;
	const struct sim_scenario *s;
	const struct series	*se;
	const struct flow	*f;
	struct chart		*c;
	struct chart_yaxis	 ya;
	struct chart_mark	*mk;
	struct chart_text	*tx;
	double			*xs, *hx = NULL, *hy = NULL, lo, hi, left, right;
	double			 top, bottom, sc, target, w, x, y;
	size_t			 H, i, l, nh = 0, h0;
	const char		*hist = NULL;
	char			 tg[64], days[64] = "", span[64], label[160];
	bool			 obs = false;

	if ((sim = simchart_sim(svc)) == NULL || (se = svc->series) == NULL ||
	    se->n == 0)
		return NULL;
	s = &sim->scenarios[0];
	f = &svc->an->flow;
	H = sim->horizon;
	target = simchart_target_minutes(svc);

	/* History: the observed waiting list when recorded (the simulation
	 * starts from it), else the computed backlog. */
	l = simchart_history_len(svc->period);
	h0 = se->n > l ? se->n - l : 0;
	if (f->observed_waiting != NULL)
		for (i = h0; i < se->n; i++)
			if (isfinite(f->observed_waiting[i]))
				obs = true;
	hx = xcalloc(se->n - h0, sizeof(double));
	hy = xcalloc(se->n - h0, sizeof(double));
	for (i = h0; i < se->n; i++) {
		y = obs ? f->observed_waiting[i] * svc->minutes_per_case :
		    f->backlog_minutes[i];
		if (!isfinite(y))
			continue;
		hx[nh] = chart_key_x(svc->period, se->key[i]);
		hy[nh++] = y;
	}
	hist = nh == 0 ? NULL : obs ? "observed waiting list" :
	    "computed backlog";

	c = chart_new(CHART_W, 0);
	simchart_span(span, sizeof(span), svc->period, H);
	c->title = spec != NULL && spec->caption != NULL ?
	    xstrdup(spec->caption) : xasprintf("Simulated backlog over the "
	    "next %s, minutes of work waiting", span);
	c->desc = simchart_fan_desc(svc, sim, target, hist);

	chart_legend_add(c, CHART_MARK_AREA, CHART_ROLE_DEMAND,
	    CHART_DASH_SOLID, "5th to 95th percentile");
	c->legend[c->nlegend - 1].opacity = 0.2;
	chart_legend_add(c, CHART_MARK_AREA, CHART_ROLE_DEMAND,
	    CHART_DASH_SOLID, "25th to 75th percentile");
	c->legend[c->nlegend - 1].opacity = 0.4;
	chart_legend_add(c, CHART_MARK_LINE, CHART_ROLE_DEMAND,
	    CHART_DASH_SOLID, "Median");
	if (isfinite(target)) {
		simchart_days(days, sizeof(days), svc->target_wait_days);
		snprintf(label, sizeof(label), "Target wait (%s)", days);
		chart_legend_add(c, CHART_MARK_LINE, CHART_ROLE_TARGET,
		    CHART_DASH_DASHED, label);
	}
	if (hist != NULL) {
		snprintf(label, sizeof(label), "%c%s", obs ? 'O' : 'C',
		    obs ? "bserved waiting list" : "omputed backlog");
		chart_legend_add(c, CHART_MARK_LINE, obs ? CHART_ROLE_OBSERVED :
		    CHART_ROLE_BACKLOG, CHART_DASH_DOTTED, label);
		if (obs)
			c->legend[c->nlegend - 1].marker = CHART_MARKER_DIAMOND;
	}
	top = chart_legend_draw(c, CHART_PAD);

	hi = isfinite(target) ? target : 0;
	hi = chart_max_finite(s->backlog_pct[4], H, 1, hi);
	hi = chart_max_finite(hy, nh, 1, hi);
	ya.dec = chart_ticks_nice(0, hi, 5, &ya.step, &ya.t0, &ya.t1);
	w = chart_ylabels_width(&ya);
	left = CHART_PAD + w + 8;
	right = c->width - 16;
	chart_add_text(c, CHART_PAD, top + 14, CHART_ANCHOR_START,
	    "Backlog, minutes of work waiting")->bold = true;
	ya.top = top + 30;
	ya.h = 180;
	bottom = ya.top + ya.h;
	c->height = bottom + 44;
	chart_draw_yaxis(c, &ya, left, right);

	/* x in days from the first history point to the horizon's end. */
	lo = nh > 0 ? hx[0] : chart_key_x(svc->period, sim->keys[0]);
	hi = chart_key_x(svc->period, sim->keys[H - 1]);
	chart_day_span(svc->period, &lo, &hi);
	sc = (right - left) / (hi - lo);
	xs = xcalloc(H, sizeof(double));
	for (i = 0; i < H; i++)
		xs[i] = left + (chart_key_x(svc->period, sim->keys[i]) - lo) *
		    sc;
	for (i = 0; i < nh; i++)
		hx[i] = left + (hx[i] - lo) * sc;
	chart_date_axis(c, svc->period, lo, hi, left, sc, left, right, bottom,
	    -1, simchart_date_head(svc->period));

	/* Bands: 5-95 light, 25-75 darker, so that they read in grey. */
	for (l = 0; l < 2; l++) {
		const double *up = s->backlog_pct[4 - l];
		const double *dn = s->backlog_pct[l];

		mk = chart_add_mark(c, CHART_MARK_AREA, CHART_ROLE_DEMAND, H);
		mk->ylo = xcalloc(H, sizeof(double));
		mk->opacity = l == 0 ? 0.2 : 0.4;
		mk->data = true;
		for (i = 0; i < H; i++) {
			mk->x[i] = xs[i];
			mk->y[i] = isfinite(up[i]) && isfinite(dn[i]) ?
			    chart_ymap(&ya, up[i]) : NAN;
			mk->ylo[i] = isfinite(dn[i]) ? chart_ymap(&ya, dn[i]) :
			    NAN;
		}
	}
	mk = chart_add_mark(c, CHART_MARK_LINE, CHART_ROLE_DEMAND, H);
	mk->width = 2.5;
	mk->data = true;
	for (i = 0; i < H; i++) {
		mk->x[i] = xs[i];
		mk->y[i] = isfinite(s->backlog_pct[2][i]) ?
		    chart_ymap(&ya, s->backlog_pct[2][i]) : NAN;
	}
	if (H == 1) {
		mk = chart_add_mark(c, CHART_MARK_POINTS, CHART_ROLE_DEMAND, 1);
		mk->marker = CHART_MARKER_CIRCLE;
		mk->width = 4;
		mk->data = true;
		mk->x[0] = xs[0];
		mk->y[0] = chart_ymap(&ya, s->backlog_pct[2][0]);
	}

	/* History, and a divider where the simulation starts. */
	if (nh > 0) {
		enum chart_role role = obs ? CHART_ROLE_OBSERVED :
		    CHART_ROLE_BACKLOG;

		mk = chart_add_mark(c, CHART_MARK_LINE, role, nh);
		mk->dash = CHART_DASH_DOTTED;
		mk->width = 2.5;
		mk->data = true;
		for (i = 0; i < nh; i++) {
			mk->x[i] = hx[i];
			mk->y[i] = chart_ymap(&ya, hy[i]);
		}
		if (obs && nh <= 20) {	/* a sparse census: mark it */
			mk = chart_add_mark(c, CHART_MARK_POINTS, role, nh);
			mk->marker = CHART_MARKER_DIAMOND;
			mk->width = 3;
			mk->data = true;
			for (i = 0; i < nh; i++) {
				mk->x[i] = hx[i];
				mk->y[i] = chart_ymap(&ya, hy[i]);
			}
		}
		/* Half-way from the last period of history to the first
		 * simulated one. */
		x = left + ((chart_key_x(svc->period, se->key[se->n - 1]) +
		    chart_key_x(svc->period, sim->keys[0])) / 2 - lo) * sc;
		chart_add_segment(c, CHART_ROLE_AXIS, 1, CHART_DASH_SOLID, x,
		    ya.top - 4, x, bottom);
		/* The labels go at the top, or just under the target line
		 * when it runs along the top (then it is the highest
		 * value, so the data lie below it). */
		y = ya.top + 10;
		if (isfinite(target) && chart_ymap(&ya, target) < ya.top + 22)
			y = chart_ymap(&ya, target) + 15;
		tx = chart_add_text(c, x - 4, y, CHART_ANCHOR_END, "History");
		tx->size = 11;
		tx = chart_add_text(c, x + 4, y, CHART_ANCHOR_START,
		    "Simulated");
		tx->size = 11;
	}
	if (isfinite(target)) {
		chart_hline(c, CHART_ROLE_TARGET, CHART_DASH_DASHED, &ya,
		    target, left, right);
		c->marks[c->nmarks - 1].width = 2;
		chart_fmt_number(tg, sizeof(tg), target, 0);
		y = chart_ymap(&ya, target);
		chart_fmt_number(label, sizeof(label), svc->target_wait_days,
		    -1);
		tx = chart_add_text(c, right, y - 5, CHART_ANCHOR_END,
		    "%s-day wait: %s minutes", label, tg);
		tx->size = 11;
		tx->role = CHART_ROLE_TARGET;
		tx->bold = true;
	}
	free(xs);
	free(hx);
	free(hy);
	if (spec == NULL || !spec->no_table)
		simchart_fan_table(c, svc, sim);
	return c;
}

/* ---- scenario chart ---- */

/* A label box, to keep point labels apart. */
struct simchart_box {
	double	 x0, y0, x1, y1;
};

static bool
simchart_overlap(const struct simchart_box *a, const struct simchart_box *b)
{
	return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 &&
	    b->y0 < a->y1;
}

static void
simchart_scen_table(struct chart *c, const struct service *svc,
    const struct sim *sim)
{
	struct chart_table	*t = &c->table;
	const struct sim_scenario *s;
	const char		*pn = util_period_name(svc->period);
	char			 days[64], span[64], paths[32];
	size_t			 i, col;
	double			 v;

	simchart_days(days, sizeof(days), svc->target_wait_days);
	simchart_span(span, sizeof(span), svc->period, sim->horizon);
	t->caption = xasprintf("Data for the chart: %s", c->title);
	t->ncols = 6;
	t->head = xcalloc(t->ncols, sizeof(char *));
	t->head[0] = xstrdup("Option");
	t->head[1] = xasprintf("Cost over %s (£)", span);
	t->head[2] = xasprintf("Chance of a wait over %s at the end (%%)",
	    days);
	t->head[3] = xasprintf("Chance of a wait over %s at any time (%%)",
	    days);
	t->head[4] = xasprintf("Chance of %s %s with demand \u2265 2 \u00d7 "
	    "capacity (%%)", svc->period == PERIOD_HOUR ? "an" : "a", pn);
	t->head[5] = xstrdup("£ per percentage point of risk removed");
	t->nrows = sim->nscenarios;
	t->cells = xcalloc(t->ncols * t->nrows, sizeof(char *));
	for (i = 0; i < sim->nscenarios; i++) {
		s = &sim->scenarios[i];
		col = i * t->ncols;
		t->cells[col] = xasprintf("%zu. %s", i + 1,
		    simchart_name(sim, i));
		t->cells[col + 1] = chart_cell(s->cost, 0);
		t->cells[col + 2] = chart_cell(s->p_wait_over_target_end * 100,
		    -1);
		t->cells[col + 3] = chart_cell(s->p_wait_over_target_any * 100,
		    -1);
		t->cells[col + 4] = chart_cell(s->p_demand_2x_capacity * 100,
		    -1);
		v = s->cost_per_point_risk_removed;
		t->cells[col + 5] = chart_cell(v, isfinite(v) &&
		    (fabs(v) >= 100 || v == floor(v)) ? 0 : 2);
	}
	chart_fmt_number(paths, sizeof(paths), (double)sim->paths, 0);
	t->note = xasprintf("Costs are the cost per %s times %s. Chances are "
	    "shares of the %s simulated paths. \u201c\u2013\u201d in the "
	    "last column: the baseline, or an option that does not lower the "
	    "chance of a wait over %s at the end, so no cost per point can "
	    "be given.", pn, span, paths, days);
}

static char *
simchart_scen_desc(const struct service *svc, const struct sim *sim)
{
	struct buf	 o;
	char		 pct[64], cost[64];
	char		*v;
	size_t		 i;

	buf_init(&o);
	buf_puts(&o, "Scatter chart of the contingency options: each option "
	    "is a numbered point at its cost (across) and its chance that "
	    "the wait exceeds the target at the end of the simulation "
	    "(up). Lower is less risk, further left is cheaper. ");
	for (i = 0; i < sim->nscenarios; i++) {
		simchart_fmt_pct(pct, sizeof(pct),
		    sim->scenarios[i].p_wait_over_target_end);
		simchart_money(cost, sizeof(cost), sim->scenarios[i].cost);
		buf_printf(&o, "%zu, %s: %s, %s. ", i + 1,
		    simchart_name(sim, i), cost, pct);
	}
	if ((v = simchart_value_sentence(svc)) != NULL) {
		buf_puts(&o, v);
		buf_putc(&o, ' ');
		free(v);
	}
	buf_puts(&o, "The table below gives every figure.");
	return buf_release(&o);
}

/* Cuts s to fit width at size, ending it with an ellipsis. */
static char *
simchart_fit(const char *s, double width, double size)
{
	char	*t = xstrdup(s);
	size_t	 n = strlen(t);

	if (chart_text_width(t, size) <= width)
		return t;
	while (n > 0) {
		n--;
		while (n > 0 && ((unsigned char)t[n] & 0xc0) == 0x80)
			n--;	/* not inside a UTF-8 sequence */
		t[n] = '\0';
		if (chart_text_width(t, size) + size <= width)
			break;
	}
	free(t);
	t = xasprintf("%.*s\u2026", (int)n, s);
	return t;
}

struct chart *
simchart_scenarios(const struct service *svc, const struct chart_spec *spec)
{
	const struct sim	*sim;
	const struct sim_scenario *s;
	struct chart		*c;
	struct chart_yaxis	 ya;
	struct chart_mark	*mk;
	struct chart_text	*tx;
	struct simchart_box	*boxes, bx;
	double			*px, *py, lo, hi, step, t0, t1, left, right;
	double			 top, bottom, x, y, v, tw, maxcost = 0;
	size_t			 i, j, k, nb = 0, best, ntick;
	int			 dec, target;
	char			 days[64], span[64], by[96], num[32], lab[64];
	char			*name;
	bool			 fits;

	if ((sim = simchart_sim(svc)) == NULL || sim->nscenarios < 2 ||
	    !svc->has_target_wait ||
	    !isfinite(sim->scenarios[0].p_wait_over_target_end))
		return NULL;
	best = simchart_best(sim);
	simchart_days(days, sizeof(days), svc->target_wait_days);
	simchart_span(span, sizeof(span), svc->period, sim->horizon);
	simchart_by(by, sizeof(by), svc->period, sim->keys[sim->horizon - 1]);

	c = chart_new(CHART_W, 0);
	c->title = spec != NULL && spec->caption != NULL ?
	    xstrdup(spec->caption) : xasprintf("Contingency options: risk of "
	    "waits over %s against cost", days);
	c->desc = simchart_scen_desc(svc, sim);

	chart_legend_add(c, CHART_MARK_POINTS, CHART_ROLE_TEXT,
	    CHART_DASH_SOLID, "Current staffing");
	c->legend[c->nlegend - 1].marker = CHART_MARKER_SQUARE;
	if (sim->nscenarios > 1 + (best != 0)) {
		chart_legend_add(c, CHART_MARK_POINTS, CHART_ROLE_DEMAND,
		    CHART_DASH_SOLID, "Option");
		c->legend[c->nlegend - 1].marker = CHART_MARKER_CIRCLE;
	}
	if (best != 0) {
		chart_legend_add(c, CHART_MARK_POINTS, CHART_ROLE_IMPROVEMENT,
		    CHART_DASH_SOLID, "Best value");
		c->legend[c->nlegend - 1].marker = CHART_MARKER_TRIANGLE;
	}
	top = chart_legend_draw(c, CHART_PAD);

	ya.dec = chart_ticks_nice(0, 100, 5, &ya.step, &ya.t0, &ya.t1);
	left = CHART_PAD + chart_ylabels_width(&ya) + 8;
	right = c->width - 24;
	tx = chart_add_text(c, CHART_PAD, top + 14, CHART_ANCHOR_START,
	    "Chance the wait exceeds %s %s (%%)", days, by);
	tx->bold = true;
	if (chart_text_width(tx->s, CHART_FS) > c->width - 2 * CHART_PAD) {
		free(tx->s);
		tx->s = xasprintf("Chance of a wait over %s at the end (%%)",
		    days);
	}
	ya.top = top + 30;
	ya.h = 170;
	bottom = ya.top + ya.h;
	chart_draw_yaxis(c, &ya, left, right);

	/* x: pounds; the fewest ticks whose labels do not collide. */
	for (i = 0; i < sim->nscenarios; i++)
		if (isfinite(sim->scenarios[i].cost) &&
		    sim->scenarios[i].cost > maxcost)
			maxcost = sim->scenarios[i].cost;
	for (target = 5; ; target--) {
		dec = chart_ticks_nice(0, maxcost, target, &step, &t0, &t1);
		ntick = (size_t)floor((t1 - t0) / step + 0.5);
		chart_fmt_number(num, sizeof(num), t1, dec);
		snprintf(lab, sizeof(lab), "£%s", num);
		tw = chart_text_width(lab, CHART_FS) + 12;
		if (target <= 2 || (right - left - 16) / (double)ntick >= tw)
			break;
	}
	lo = t0;
	hi = t1;
#define SIMCHART_X(v)	(left + 8 + ((v) - lo) / (hi - lo) * \
			    (right - left - 16))
	for (k = 0; k <= ntick; k++) {
		v = t0 + (double)k * step;
		x = SIMCHART_X(v);
		chart_add_segment(c, CHART_ROLE_AXIS, 1, CHART_DASH_SOLID, x,
		    bottom, x, bottom + 5);
		chart_fmt_number(num, sizeof(num), v, dec);
		chart_add_text(c, x, bottom + 19, CHART_ANCHOR_MIDDLE, "£%s",
		    num);
	}
	chart_add_segment(c, CHART_ROLE_AXIS, 1, CHART_DASH_SOLID, left,
	    ya.top, left, bottom);
	chart_add_text(c, (left + right) / 2, bottom + 38, CHART_ANCHOR_MIDDLE,
	    "Cost over the %s (£)", span);

	/* Points: baseline square, options circles, best value triangle. */
	px = xcalloc(sim->nscenarios, sizeof(double));
	py = xcalloc(sim->nscenarios, sizeof(double));
	boxes = xcalloc(2 * sim->nscenarios, sizeof(*boxes));
	for (i = 0; i < sim->nscenarios; i++) {
		s = &sim->scenarios[i];
		px[i] = SIMCHART_X(isfinite(s->cost) ? s->cost : 0);
		py[i] = isfinite(s->p_wait_over_target_end) ?
		    chart_ymap(&ya, s->p_wait_over_target_end * 100) : NAN;
		if (isnan(py[i]))
			continue;
		mk = chart_add_mark(c, CHART_MARK_POINTS, i == 0 ?
		    CHART_ROLE_TEXT : i == best ? CHART_ROLE_IMPROVEMENT :
		    CHART_ROLE_DEMAND, 1);
		mk->marker = i == 0 ? CHART_MARKER_SQUARE : i == best ?
		    CHART_MARKER_TRIANGLE : CHART_MARKER_CIRCLE;
		mk->width = i == best && i != 0 ? 5 : 4.5;
		mk->data = true;
		mk->x[0] = px[i];
		mk->y[0] = py[i];
		/* The markers are obstacles for the labels. */
		boxes[nb].x0 = px[i] - 6;
		boxes[nb].x1 = px[i] + 6;
		boxes[nb].y0 = py[i] - 6;
		boxes[nb++].y1 = py[i] + 6;
	}
#undef SIMCHART_X
	/* Labels: the number, beside the point where it collides with no
	 * other label or marker; coinciding points share one label. */
	for (i = 0; i < sim->nscenarios; i++) {
		static const double off[6][3] = {
			{ 8, -6, 0 }, { 8, 15, 0 }, { -8, -6, 2 },
			{ -8, 15, 2 }, { 0, -10, 1 }, { 0, 22, 1 }
		};
		struct buf	 b;
		bool		 dup = false;

		if (isnan(py[i]))
			continue;
		for (j = 0; j < i; j++)
			if (fabs(px[j] - px[i]) < 1 && fabs(py[j] - py[i]) < 1)
				dup = true;
		if (dup)
			continue;
		buf_init(&b);
		buf_printf(&b, "%zu", i + 1);
		for (j = i + 1; j < sim->nscenarios; j++)
			if (fabs(px[j] - px[i]) < 1 && fabs(py[j] - py[i]) < 1)
				buf_printf(&b, ", %zu", j + 1);
		tw = chart_text_width(b.data, CHART_FS);
		for (k = 0; k < 6; k++) {
			x = px[i] + off[k][0];
			y = py[i] + off[k][1];
			bx.x0 = off[k][2] == 0 ? x : off[k][2] == 1 ?
			    x - tw / 2 : x - tw;
			bx.x1 = bx.x0 + tw;
			bx.y0 = y - CHART_FS * 0.8;
			bx.y1 = y + 2;
			fits = bx.x0 >= left + 1 && bx.x1 <= c->width - 2 &&
			    bx.y0 >= ya.top - 12 && bx.y1 <= bottom - 1;
			for (j = 0; fits && j < nb; j++)
				if (simchart_overlap(&bx, &boxes[j]))
					fits = false;
			if (fits)
				break;
		}
		if (k == 6)
			k = 0;	/* crowded: the first place after all */
		x = px[i] + off[k][0];
		y = py[i] + off[k][1];
		tx = chart_add_text(c, x, y, off[k][2] == 0 ?
		    CHART_ANCHOR_START : off[k][2] == 1 ? CHART_ANCHOR_MIDDLE :
		    CHART_ANCHOR_END, "%s", b.data);
		tx->bold = true;
		bx.x0 = off[k][2] == 0 ? x : off[k][2] == 1 ? x - tw / 2 :
		    x - tw;
		bx.x1 = bx.x0 + tw;
		bx.y0 = y - CHART_FS * 0.8;
		bx.y1 = y + 2;
		boxes[nb++] = bx;
		buf_clear(&b);
	}
	free(px);
	free(py);
	free(boxes);

	/* The key: number and name of each option. */
	y = bottom + 62;
	for (i = 0; i < sim->nscenarios; i++) {
		tx = chart_add_text(c, CHART_PAD + 18, y, CHART_ANCHOR_END,
		    "%zu", i + 1);
		tx->bold = true;
		name = simchart_fit(simchart_name(sim, i), c->width -
		    CHART_PAD * 2 - 26 - (i == best && i != 0 ?
		    chart_text_width(" (best value)", CHART_FS) : 0), CHART_FS);
		chart_add_text(c, CHART_PAD + 26, y, CHART_ANCHOR_START,
		    "%s%s", name, i == best && i != 0 ? " (best value)" : "");
		free(name);
		y += 17;
	}
	c->height = y;
	simchart_scen_table(c, svc, sim);
	return c;
}
