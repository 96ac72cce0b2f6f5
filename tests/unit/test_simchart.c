/*
 * test_simchart.c: the simulation's charts and sentences (simchart.c)
 * on a hand-built service and simulation: band order, the target-wait
 * level, table shapes, scenario points and labels, and the wording of
 * the sentences at 0 %, 31 %, 100 % and when no option removes risk.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chart.h"
#include "simchart.h"
#include "svg.h"
#include "util.h"

#define N	14	/* history days, 2024-12-18 .. 2024-12-31 */
#define H	10	/* horizon days, 2025-01-01 .. 2025-01-10 */
#define NS	3	/* baseline and two options */

struct fixture {
	struct service	 svc;
	struct series	 se;
	struct analysis	 an;
	struct sim	 sim;
	struct sim_scenario sc[NS];
	int64_t		 key[N], hkey[H];
	double		 dm[N], cr[N], cm[N], bm[N], bc[N];
	double		 pct[NS][SIM_PCT_N][H];
};

static struct fixture *
fixture_new(void)
{
	static const char *const names[NS] = { "baseline",
	    "Transfer an IDVA", "Agency IDVA <b>&</b>" };
	struct fixture	*f = xcalloc(1, sizeof(*f));
	size_t		 i, s, l, h;

	f->svc.id = "idva";
	f->svc.title = "IDVA";
	f->svc.period = PERIOD_DAY;
	f->svc.minutes_per_case = 60;
	f->svc.has_target_wait = true;
	f->svc.target_wait_days = 28;
	f->svc.nscenarios = NS - 1;
	f->se.n = N;
	f->se.key = f->key;
	for (i = 0; i < N; i++) {
		f->key[i] = util_days_from_civil(2024, 12, 18) + (int64_t)i;
		f->dm[i] = 720;
		/* Capacity 240 or 480 minutes: mean 360 a day. */
		f->cr[i] = i % 2 == 0 ? 1 : 2;
		f->cm[i] = f->cr[i] * 240;
		f->bm[i] = 1000 + 100 * (double)i;
		f->bc[i] = f->bm[i] / 60;
	}
	f->an.has_flow = true;
	f->an.flow.demand_minutes = f->dm;
	f->an.flow.capacity_resources = f->cr;
	f->an.flow.capacity_minutes = f->cm;
	f->an.flow.backlog_minutes = f->bm;
	f->an.flow.backlog_cases = f->bc;
	for (h = 0; h < H; h++)
		f->hkey[h] = util_days_from_civil(2025, 1, 1) + (int64_t)h;
	for (s = 0; s < NS; s++) {
		f->sc[s].name = (char *)names[s];
		f->sc[s].cost = 1000 * (double)s * (double)H;
		f->sc[s].cost_per_point_risk_removed = NAN;
		for (l = 0; l < SIM_PCT_N; l++) {
			for (h = 0; h < H; h++)
				f->pct[s][l][h] = 2000 + 400 * (double)h +
				    500 * (double)l - 300 * (double)s;
			f->sc[s].backlog_pct[l] = f->pct[s][l];
		}
	}
	f->sim.paths = 10000;
	f->sim.horizon = H;
	f->sim.seed = 1;
	f->sim.keys = f->hkey;
	f->sim.scenarios = f->sc;
	f->sim.nscenarios = NS;
	f->an.sim = &f->sim;
	f->svc.series = &f->se;
	f->svc.an = &f->an;
	return f;
}

/* Baseline risk p, options p1 and p2, with cost per point as sim.c. */
static void
set_risk(struct fixture *f, double p, double p1, double p2)
{
	double	 ps[NS] = { p, p1, p2 }, d;
	size_t	 s;

	for (s = 0; s < NS; s++) {
		f->sc[s].p_wait_over_target_end = ps[s];
		f->sc[s].p_wait_over_target_any = ps[s];
		f->sc[s].p_demand_2x_capacity = 0.5;
		d = 100 * (p - ps[s]);
		f->sc[s].cost_per_point_risk_removed = s > 0 && d > 0 ?
		    f->sc[s].cost / d : NAN;
	}
}

static bool
has_text(const struct chart *c, const char *s)
{
	size_t	 i;

	for (i = 0; i < c->ntexts; i++)
		if (strcmp(c->texts[i].s, s) == 0)
			return true;
	return false;
}

static void
test_target_minutes(void **state)
{
	struct fixture	*f = fixture_new();

	(void)state;
	/* 28 days x mean capacity 360 minutes a day (SPEC 4.4). */
	assert_float_equal(simchart_target_minutes(&f->svc), 10080, 1e-9);
	f->svc.has_target_wait = false;
	assert_true(isnan(simchart_target_minutes(&f->svc)));
	free(f);
}

static void
test_fan(void **state)
{
	struct fixture		*f = fixture_new();
	struct chart		*c;
	const struct chart_mark	*m, *band[2] = { NULL, NULL }, *med = NULL;
	const struct chart_mark	*tgt = NULL;
	size_t			 i, k, nb = 0;
	double			 a, b;

	(void)state;
	set_risk(f, 0.31, 0.2, 0.1);
	c = simchart_fan(&f->svc, NULL);
	assert_non_null(c);
	assert_string_equal(c->title, "Simulated backlog over the next 10 "
	    "days, minutes of work waiting");
	assert_non_null(strstr(c->desc, "31\xc2\xa0%"));
	for (i = 0; i < c->nmarks; i++) {
		m = &c->marks[i];
		if (!m->data)
			continue;
		if (m->kind == CHART_MARK_AREA && m->ylo != NULL &&
		    m->n == H && nb < 2)
			band[nb++] = m;
		else if (m->kind == CHART_MARK_LINE &&
		    m->role == CHART_ROLE_DEMAND && m->n == H)
			med = m;
		else if (m->kind == CHART_MARK_LINE &&
		    m->role == CHART_ROLE_TARGET)
			tgt = m;
	}
	assert_int_equal(nb, 2);
	assert_non_null(med);
	assert_non_null(tgt);
	/* Outer band 5-95 lighter than inner 25-75; each band's top above
	 * its bottom (y grows down); inner inside outer; median inside. */
	assert_true(band[0]->opacity < band[1]->opacity);
	for (k = 0; k < H; k++) {
		assert_true(band[0]->y[k] < band[0]->ylo[k]);
		assert_true(band[1]->y[k] < band[1]->ylo[k]);
		assert_true(band[0]->y[k] < band[1]->y[k]);
		assert_true(band[1]->ylo[k] < band[0]->ylo[k]);
		assert_true(med->y[k] > band[1]->y[k]);
		assert_true(med->y[k] < band[1]->ylo[k]);
	}
	/* The target line at 10,080 minutes on the median's scale. */
	b = (med->y[1] - med->y[0]) / (f->pct[0][2][1] - f->pct[0][2][0]);
	a = med->y[0] - b * f->pct[0][2][0];
	assert_float_equal(tgt->y[0], a + b * 10080, 1e-6);
	assert_float_equal(tgt->y[1], tgt->y[0], 1e-9);
	assert_true(has_text(c, "28-day wait: 10,080 minutes"));
	assert_true(has_text(c, "Simulated"));
	/* The table: one row per horizon period, date then 5 percentiles. */
	assert_int_equal(c->table.nrows, H);
	assert_int_equal(c->table.ncols, 6);
	assert_string_equal(c->table.cells[0], "1 Jan 2025");
	assert_string_equal(c->table.cells[1], "2,000");
	assert_string_equal(c->table.cells[3], "3,000");
	assert_string_equal(c->table.cells[(H - 1) * 6], "10 Jan 2025");
	assert_string_equal(c->table.head[3], "Median (minutes)");
	assert_non_null(c->table.note);
	{
		struct chart_palette	 pal;
		struct buf		 o;

		/* Bands are closed paths at two opacities in the SVG. */
		chart_palette_default(&pal);
		buf_init(&o);
		svg_chart(c, &pal, "fan", &o);
		assert_non_null(strstr(o.data, "fill-opacity=\"0.2\""));
		assert_non_null(strstr(o.data, "fill-opacity=\"0.4\""));
		assert_non_null(strstr(o.data, "<title id=\"fan-title\">"));
		buf_clear(&o);
	}
	chart_free(c);

	/* No simulation: no chart. */
	f->an.sim = NULL;
	assert_null(simchart_fan(&f->svc, NULL));
	assert_null(simchart_risk_sentence(&f->svc));
	assert_null(simchart_value_sentence(&f->svc));
	assert_null(simchart_scenarios(&f->svc, NULL));
	f->an.sim = &f->sim;
	f->an.has_flow = false;
	assert_null(simchart_fan(&f->svc, NULL));
	free(f);
}

static void
test_fan_caption(void **state)
{
	struct fixture		*f = fixture_new();
	struct chart_spec	 spec;
	struct chart		*c;

	(void)state;
	set_risk(f, 0.5, 0.5, 0.5);
	memset(&spec, 0, sizeof(spec));
	spec.type = CHART_FAN;
	spec.caption = "Backlog risk";
	c = simchart_fan(&f->svc, &spec);
	assert_string_equal(c->title, "Backlog risk");
	chart_free(c);
	free(f);
}

static void
test_scenarios(void **state)
{
	struct fixture		*f = fixture_new();
	struct chart		*c;
	const struct chart_mark	*m;
	size_t			 i, npts = 0;
	bool			 tri = false, sq = false;

	(void)state;
	set_risk(f, 0.31, 0.31, 0.05);
	c = simchart_scenarios(&f->svc, NULL);
	assert_non_null(c);
	for (i = 0; i < c->nmarks; i++) {
		m = &c->marks[i];
		if (m->kind != CHART_MARK_POINTS || !m->data)
			continue;
		npts += m->n;
		if (m->marker == CHART_MARKER_TRIANGLE)
			tri = true;
		if (m->marker == CHART_MARKER_SQUARE)
			sq = true;
	}
	assert_int_equal(npts, NS);
	assert_true(sq);	/* the baseline */
	assert_true(tri);	/* the best value */
	assert_true(has_text(c, "1"));
	assert_true(has_text(c, "2"));
	assert_true(has_text(c, "3"));
	assert_true(has_text(c, "Current staffing (baseline)"));
	/* Names go to the model raw; svg.c and pdf.c escape them. */
	assert_true(has_text(c, "Agency IDVA <b>&</b> (best value)"));
	assert_true(has_text(c, "£20,000"));
	assert_int_equal(c->table.nrows, NS);
	assert_int_equal(c->table.ncols, 6);
	assert_string_equal(c->table.cells[0], "1. Current staffing (baseline)");
	assert_string_equal(c->table.cells[1], "0");
	assert_string_equal(c->table.cells[2], "31");
	assert_string_equal(c->table.cells[5], "–");	/* baseline */
	assert_string_equal(c->table.cells[6 + 5], "–");	/* no gain */
	assert_string_equal(c->table.cells[12 + 1], "20,000");
	assert_string_equal(c->table.cells[12 + 2], "5");
	/* £20,000 / 26 points = £769.23... */
	assert_string_equal(c->table.cells[12 + 5], "769");
	assert_non_null(c->table.note);
	assert_non_null(strstr(c->table.note, "\u2013"));
	{
		struct chart_palette	 pal;
		struct buf		 b;

		/* Option names are escaped for SVG. */
		chart_palette_default(&pal);
		buf_init(&b);
		svg_chart(c, &pal, "sc", &b);
		assert_non_null(strstr(b.data, "Agency IDVA &lt;b&gt;&amp;"));
		assert_null(strstr(b.data, "<b>"));
		buf_clear(&b);
	}
	chart_free(c);

	/* Only the baseline: nothing to compare. */
	f->sim.nscenarios = 1;
	assert_null(simchart_scenarios(&f->svc, NULL));
	assert_null(simchart_value_sentence(&f->svc));
	free(f);
}

static void
test_risk_sentence(void **state)
{
	struct fixture	*f = fixture_new();
	char		*s;

	(void)state;
	set_risk(f, 0.31, 0.31, 0.31);
	s = simchart_risk_sentence(&f->svc);
	assert_string_equal(s, "On current staffing there is a 31\xc2\xa0% "
	    "chance that waits exceed 28 days by 10 January 2025.");
	free(s);

	set_risk(f, 0, 0, 0);
	s = simchart_risk_sentence(&f->svc);
	assert_string_equal(s, "On current staffing it is very unlikely that "
	    "waits will exceed 28 days by 10 January 2025: none of the "
	    "10,000 simulated paths did.");
	free(s);

	set_risk(f, 1, 1, 1);
	s = simchart_risk_sentence(&f->svc);
	assert_string_equal(s, "On current staffing it is almost certain "
	    "that waits will exceed 28 days by 10 January 2025: every one of "
	    "the 10,000 simulated paths did.");
	free(s);

	set_risk(f, 0.0004, 0, 0);
	s = simchart_risk_sentence(&f->svc);
	assert_non_null(strstr(s, "less than a 1\xc2\xa0% chance"));
	free(s);
	set_risk(f, 0.9996, 1, 1);
	s = simchart_risk_sentence(&f->svc);
	assert_non_null(strstr(s, "more than a 99\xc2\xa0% chance"));
	free(s);

	/* Monthly data: "by the end of" the month. */
	set_risk(f, 0.31, 0.31, 0.31);
	f->svc.period = PERIOD_MONTH;
	f->svc.target_wait_days = 1;
	s = simchart_risk_sentence(&f->svc);
	assert_non_null(strstr(s, "exceed 1 day by the end of January "
	    "2025."));
	free(s);
	free(f);
}

static void
test_value_sentence(void **state)
{
	struct fixture	*f = fixture_new();
	char		*s;

	(void)state;
	/* Option 2 removes 26 points for £20,000; option 1 none. */
	set_risk(f, 0.31, 0.31, 0.05);
	s = simchart_value_sentence(&f->svc);
	assert_string_equal(s, "Of the options, \u201cAgency IDVA <b>&</b>"
	    "\u201d removes the most risk per pound: £769 per percentage "
	    "point. It takes the chance that waits exceed 28 days by 10 "
	    "January 2025 from 31\xc2\xa0% to 5\xc2\xa0%, for £20,000 over 10 "
	    "days.");
	free(s);

	/* Both remove risk: the cheaper per point wins (option 1: £10,000
	 * for 30 points, £333; option 2: £20,000 for 31, £645). */
	set_risk(f, 0.31, 0.01, 0);
	s = simchart_value_sentence(&f->svc);
	assert_non_null(strstr(s, "\u201cTransfer an IDVA\u201d"));
	assert_non_null(strstr(s, "£333 per percentage point"));
	/* ... and the one that lowers the risk most is named too. */
	assert_non_null(strstr(s, " \u201cAgency IDVA <b>&</b>\u201d lowers "
	    "it furthest, to 0\xc2\xa0%, at £645 per percentage point."));
	free(s);

	/* No option removes risk: said plainly. */
	set_risk(f, 1, 1, 1);
	s = simchart_value_sentence(&f->svc);
	assert_string_equal(s, "None of the options lowers the chance that "
	    "waits exceed 28 days by 10 January 2025: it stays at "
	    "100\xc2\xa0% on every option.");
	free(s);
	set_risk(f, 0.31, 0.31, 0.4);
	s = simchart_value_sentence(&f->svc);
	assert_non_null(strstr(s, "it stays at 31\xc2\xa0% or more on every "
	    "option."));
	free(s);

	/* Nothing to remove. */
	set_risk(f, 0, 0, 0);
	s = simchart_value_sentence(&f->svc);
	assert_non_null(strstr(s, "already very unlikely"));
	free(s);
	free(f);
}

static void
test_fmt_pct(void **state)
{
	char	 s[64];

	(void)state;
	simchart_fmt_pct(s, sizeof(s), 0.314);
	assert_string_equal(s, "31\xc2\xa0%");
	simchart_fmt_pct(s, sizeof(s), 0);
	assert_string_equal(s, "0\xc2\xa0%");
	simchart_fmt_pct(s, sizeof(s), 1);
	assert_string_equal(s, "100\xc2\xa0%");
	simchart_fmt_pct(s, sizeof(s), 0.001);
	assert_string_equal(s, "less than 1\xc2\xa0%");
	simchart_fmt_pct(s, sizeof(s), 0.998);
	assert_string_equal(s, "more than 99\xc2\xa0%");
	simchart_fmt_pct(s, sizeof(s), NAN);
	assert_string_equal(s, "not available");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_target_minutes),
		cmocka_unit_test(test_fan),
		cmocka_unit_test(test_fan_caption),
		cmocka_unit_test(test_scenarios),
		cmocka_unit_test(test_risk_sentence),
		cmocka_unit_test(test_value_sentence),
		cmocka_unit_test(test_fmt_pct),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
