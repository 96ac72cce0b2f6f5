/*
 * test_spcchart.c: the Making Data Count charts (spcchart.c): XmR SPC
 * charts with phases, trial limits and a window, profile charts and the
 * variation and assurance icons, from hand-built services.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chart.h"
#include "spc.h"
#include "spcchart.h"
#include "util.h"

#include "chart_fixture.h"

/* ---- SPC chart ---- */

#define SN 30

/* 30 days from 1 Mar 2024, rebased on day 16: an improvement (80) in
 * the first phase, a missing day, a concern (30) in the second. */
static const double spc_v[SN] = {
	50, 52, 49, 51, 50, 48, 51, 50, 52, 49, 80, 50, 51, NAN, 49,
	60, 61, 59, 62, 60, 58, 61, 60, 62, 59, 61, 60, 30, 60, 61
};

struct spcfix {
	struct service		 svc;
	struct series		 se;
	struct metric_def	 md;
	struct spc		 sp;
	int64_t			 key[SN];
	int64_t			 rebase[1];
};

static struct spcfix *
spcfix_new(size_t n, bool target)
{
	struct spcfix	*f = xcalloc(1, sizeof(*f));
	size_t		 i;

	f->svc.id = "kpi";
	f->svc.title = "KPI";
	f->svc.period = PERIOD_DAY;
	for (i = 0; i < SN; i++)
		f->key[i] = util_days_from_civil(2024, 3, 1) + (int64_t)i;
	f->rebase[0] = f->key[15];
	f->se.n = n;
	f->se.key = f->key;
	f->md.column = "kpi";
	f->md.label = "Share seen";
	f->md.unit = "%";
	f->md.improvement = IMPROVE_INCREASE;
	f->md.has_target = target;
	f->md.target = 55;
	f->md.rebase = f->rebase;
	f->md.nrebase = 1;
	f->svc.metrics = &f->md;
	f->svc.nmetrics = 1;
	f->svc.series = &f->se;
	assert_int_equal(spc_compute(&f->sp, spc_v, f->key, n,
	    IMPROVE_INCREASE, target, 55, f->rebase, 1, 0, true), 0);
	f->sp.metric = xstrdup("kpi");
	f->sp.label = xstrdup("Share seen");
	f->sp.unit = xstrdup("%");
	return f;
}

static void
spcfix_free(struct spcfix *f)
{
	spc_clear(&f->sp);
	free(f);
}

/* Marks of a kind and role (and marker, unless NONE is given). */
static size_t
count_marks(const struct chart *c, enum chart_mark_kind kind,
    enum chart_role role, enum chart_marker mk, size_t *npts)
{
	size_t	 i, k = 0;

	if (npts != NULL)
		*npts = 0;
	for (i = 0; i < c->nmarks; i++)
		if (c->marks[i].kind == kind && c->marks[i].role == role &&
		    c->marks[i].data && (mk == CHART_MARKER_NONE ||
		    c->marks[i].marker == mk)) {
			k++;
			if (npts != NULL)
				*npts += c->marks[i].n;
		}
	return k;
}

static void
test_spc(void **state)
{
	struct spcfix	*f = spcfix_new(SN, true);
	struct chart	*c;
	size_t		 i, j, n, ni, nc, breaks = 0;

	(void)state;
	assert_string_equal(f->sp.point_type[10], "special_cause_improvement");
	assert_string_equal(f->sp.point_type[27], "special_cause_concern");
	c = spcchart_xmr(&f->svc, &f->sp, NULL);
	assert_non_null(c);
	assert_string_equal(c->title, "Share seen: SPC chart");
	assert_non_null(strstr(c->desc, "in 2 phases (new limits from "
	    "16 Mar 2024)"));
	assert_non_null(strstr(c->desc, "Latest 61% on 30 Mar 2024"));
	assert_non_null(strstr(c->desc, "target 55%"));
	/* Special causes: colour and shape, one marker per point of the
	 * type (phase 1 also has a run below its mean: concern). */
	for (i = 0, ni = nc = 0; i < SN; i++)
		if (f->sp.point_type[i] != NULL) {
			ni += strcmp(f->sp.point_type[i],
			    "special_cause_improvement") == 0;
			nc += strcmp(f->sp.point_type[i],
			    "special_cause_concern") == 0;
		}
	assert_int_equal(ni, 1);
	assert_int_equal(nc, 11);
	assert_int_equal(count_marks(c, CHART_MARK_POINTS,
	    CHART_ROLE_IMPROVEMENT, CHART_MARKER_TRIANGLE, &n), 1);
	assert_int_equal(n, ni);
	assert_int_equal(count_marks(c, CHART_MARK_POINTS, CHART_ROLE_CONCERN,
	    CHART_MARKER_SQUARE, &n), 1);
	assert_int_equal(n, nc);
	assert_int_equal(count_marks(c, CHART_MARK_POINTS, CHART_ROLE_NEUTRAL,
	    CHART_MARKER_NONE, NULL), 0);
	/* Common cause: circles for the rest of the 29 values. */
	assert_int_equal(count_marks(c, CHART_MARK_POINTS, CHART_ROLE_COMMON,
	    CHART_MARKER_CIRCLE, &n), 1);
	assert_int_equal(n, 29 - ni - nc);
	/* Mean and both limits per phase; one target line. */
	assert_int_equal(count_marks(c, CHART_MARK_LINE, CHART_ROLE_MEAN,
	    CHART_MARKER_NONE, NULL), 2);
	assert_int_equal(count_marks(c, CHART_MARK_LINE, CHART_ROLE_LIMIT,
	    CHART_MARKER_NONE, NULL), 4);
	assert_int_equal(count_marks(c, CHART_MARK_LINE, CHART_ROLE_TARGET,
	    CHART_MARKER_NONE, NULL), 1);
	for (i = 0; i < c->nmarks; i++) {
		const struct chart_mark *m = &c->marks[i];

		if (m->role == CHART_ROLE_LIMIT || m->role == CHART_ROLE_MEAN)
			assert_int_equal(m->dash, m->role == CHART_ROLE_LIMIT ?
			    CHART_DASH_DASHED : CHART_DASH_SOLID);
		if (m->role == CHART_ROLE_TARGET)
			assert_int_equal(m->dash, CHART_DASH_DASHDOT);
		if (m->kind == CHART_MARK_LINE && m->role == CHART_ROLE_AXIS &&
		    m->dash == CHART_DASH_DOTTED && m->x[0] == m->x[1])
			breaks++;
		/* The values line keeps the gap of the missing day. */
		if (m->kind == CHART_MARK_LINE && m->data &&
		    m->role == CHART_ROLE_COMMON) {
			assert_int_equal(m->n, SN);
			assert_true(isnan(m->y[13]));
			assert_true(isfinite(m->y[12]));
		}
		for (j = 0; j < m->n; j++) {
			assert_true(m->x[j] >= 0 && m->x[j] <= c->width);
			if (isfinite(m->y[j]))
				assert_true(m->y[j] >= 0 &&
				    m->y[j] <= c->height);
		}
	}
	assert_int_equal(breaks, 1);
	assert_true(has_text(c, "Rebased"));
	assert_true(has_text(c, "Per cent"));
	/* Legend: value, mean, limits, target, improvement, concern. */
	assert_int_equal(c->nlegend, 6);
	assert_int_equal(c->legend[5].marker, CHART_MARKER_SQUARE);
	/* The data table. */
	assert_int_equal(c->table.ncols, 6);
	assert_int_equal(c->table.nrows, SN);
	assert_string_equal(c->table.head[1], "Value (%)");
	assert_string_equal(c->table.cells[6 * 10 + 1], "80");
	assert_string_equal(c->table.cells[6 * 10 + 5],
	    "Special cause of improvement");
	assert_string_equal(c->table.cells[6 * 13 + 1], "–");
	assert_string_equal(c->table.cells[6 * 13 + 5], "No data");
	assert_string_equal(c->table.cells[6 * 27 + 5],
	    "Special cause of concern");
	assert_string_equal(c->table.cells[6 * 16 + 5], "Common cause");
	chart_free(c);
	spcfix_free(f);
}

static void
test_spc_trial_window(void **state)
{
	struct spcfix		*f = spcfix_new(20, false);
	struct chart_spec	 spec;
	struct chart		*c;

	(void)state;
	/* The second phase has 5 points: trial limits. */
	assert_true(f->sp.trial_limits);
	c = spcchart_xmr(&f->svc, &f->sp, NULL);
	assert_non_null(c);
	assert_string_equal(c->title, "Share seen: SPC chart (trial limits)");
	assert_non_null(strstr(c->desc, "Trial limits"));
	assert_int_equal(count_marks(c, CHART_MARK_LINE, CHART_ROLE_TARGET,
	    CHART_MARKER_NONE, NULL), 0);
	chart_free(c);
	/* A window after the rebase: one phase, no break. */
	memset(&spec, 0, sizeof(spec));
	spec.type = CHART_SPC;
	spec.has_from = true;
	spec.from = f->key[16];
	spec.caption = "Since the change";
	c = spcchart_xmr(&f->svc, &f->sp, &spec);
	assert_non_null(c);
	assert_string_equal(c->title, "Since the change");
	assert_int_equal(c->table.nrows, 4);
	assert_false(has_text(c, "Rebased"));
	assert_int_equal(count_marks(c, CHART_MARK_LINE, CHART_ROLE_MEAN,
	    CHART_MARKER_NONE, NULL), 1);
	chart_free(c);
	spec.from = f->key[19] + 1;
	assert_null(spcchart_xmr(&f->svc, &f->sp, &spec));
	spcfix_free(f);
}

/* ---- profile chart ---- */

static void
test_profile(void **state)
{
	double		 mean[7] = { 16, 14, 11, 11, 11, 10, NAN };
	double		 p10[7] = { 11, 9, 6, 6, 7, 6, NAN };
	double		 p90[7] = { 21, 20, 16, 17, 16, 15, NAN };
	struct profile	 pr = { 7, mean, p10, p90 };
	struct fixture	*f = fixture_new(false);
	struct chart	*c;
	size_t		 n;

	(void)state;
	assert_null(spcchart_profile(&f->svc, NULL, CHART_PROFILE_WEEKDAY,
	    NULL));
	c = spcchart_profile(&f->svc, &pr, CHART_PROFILE_WEEKDAY, NULL);
	assert_non_null(c);
	assert_string_equal(c->title,
	    "Demand by day of the week, cases per day");
	assert_non_null(strstr(c->desc, "Highest mean: Monday, 16"));
	assert_non_null(strstr(c->desc, "lowest: Saturday, 10"));
	/* A range bar per day with data, the mean as line and dots. */
	assert_int_equal(count_marks(c, CHART_MARK_AREA, CHART_ROLE_DEMAND,
	    CHART_MARKER_NONE, NULL), 6);
	assert_int_equal(count_marks(c, CHART_MARK_LINE, CHART_ROLE_MEAN,
	    CHART_MARKER_NONE, &n), 1);
	assert_int_equal(n, 7);
	assert_int_equal(count_marks(c, CHART_MARK_POINTS, CHART_ROLE_MEAN,
	    CHART_MARKER_CIRCLE, NULL), 1);
	assert_true(has_text(c, "Mon"));
	assert_true(has_text(c, "Sun"));
	assert_true(has_text(c, "Cases per day"));
	assert_int_equal(c->table.nrows, 7);
	assert_string_equal(c->table.cells[0], "Monday");
	assert_string_equal(c->table.cells[3], "21");
	assert_string_equal(c->table.cells[4 * 6 + 1], "–");
	assert_string_equal(c->table.head[1], "Mean (Cases per day)");
	chart_free(c);
	free(f);
}

/* Month buckets: short names on the axis, long ones in the table. */
static void
test_profile_month(void **state)
{
	double		 v[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	struct profile	 pr = { 12, v, v, v };
	struct fixture	*f = fixture_new(false);
	struct chart	*c;

	(void)state;
	c = spcchart_profile(&f->svc, &pr, CHART_PROFILE_MONTH, NULL);
	assert_non_null(c);
	assert_true(has_text(c, "Jan"));
	assert_true(has_text(c, "Dec"));
	assert_string_equal(c->table.cells[0], "January");
	assert_string_equal(c->table.cells[4 * 8], "September");
	chart_free(c);
	free(f);
}

/* ---- icons ---- */

static size_t
icon_points(const struct chart *c, enum chart_role role)
{
	size_t	 i, n = 0;

	for (i = 0; i < c->nmarks; i++)
		if (c->marks[i].kind == CHART_MARK_POINTS &&
		    c->marks[i].role == role)
			n += c->marks[i].n;
	return n;
}

static void
test_icons(void **state)
{
	static const char *const stems[] = { "common_cause",
	    "improvement_high", "improvement_low", "concern_high",
	    "concern_low", "neutral_high", "neutral_low" };
	struct chart	*c;
	size_t		 i;

	(void)state;
	for (i = 0; i < 7; i++) {
		c = spcchart_variation_icon(stems[i], 40);
		assert_non_null(c);
		assert_float_equal(c->width, 40, 0);
		assert_string_equal(c->title,
		    spcchart_variation_text(stems[i]));
		assert_int_equal(c->marks[0].kind, CHART_MARK_LINE);
		chart_free(c);
	}
	c = spcchart_variation_icon("concern_low", 40);
	assert_string_equal(c->title, "Special cause of concern (low)");
	assert_int_equal(c->marks[0].role, CHART_ROLE_CONCERN);
	assert_int_equal(icon_points(c, CHART_ROLE_CONCERN), 3);
	assert_int_equal(icon_points(c, CHART_ROLE_COMMON), 4);
	assert_int_equal(c->ntexts, 1);
	assert_string_equal(c->texts[0].s, "L");
	assert_int_equal(c->texts[0].role, CHART_ROLE_CONCERN);
	/* Falling dots: the last is lower (larger y) than the first. */
	assert_true(c->marks[1].y[6] > c->marks[1].y[0]);
	chart_free(c);
	c = spcchart_variation_icon("improvement_high", 40);
	assert_string_equal(c->texts[0].s, "H");
	assert_int_equal(c->texts[0].role, CHART_ROLE_IMPROVEMENT);
	assert_true(c->marks[1].y[6] < c->marks[1].y[0]);
	chart_free(c);
	c = spcchart_variation_icon("common_cause", 40);
	assert_int_equal(c->ntexts, 0);
	assert_int_equal(icon_points(c, CHART_ROLE_COMMON), 7);
	chart_free(c);
	assert_null(spcchart_variation_icon("special_cause_concern", 40));
	assert_null(spcchart_variation_icon(NULL, 40));

	c = spcchart_assurance_icon("consistent_pass", 40);
	assert_string_equal(c->texts[0].s, "P");
	assert_int_equal(c->texts[0].role, CHART_ROLE_IMPROVEMENT);
	assert_string_equal(c->title, "Will consistently pass the target");
	chart_free(c);
	c = spcchart_assurance_icon("consistent_fail", 40);
	assert_string_equal(c->texts[0].s, "F");
	assert_int_equal(c->texts[0].role, CHART_ROLE_CONCERN);
	chart_free(c);
	c = spcchart_assurance_icon("inconsistent", 40);
	assert_string_equal(c->texts[0].s, "?");
	assert_string_equal(c->title,
	    "Hit and miss target subject to random variation");
	chart_free(c);
	assert_null(spcchart_assurance_icon(NULL, 40));
	assert_null(spcchart_assurance_icon("pass", 40));
	assert_string_equal(spcchart_assurance_text(NULL), "No target");
	assert_string_equal(spcchart_variation_text("x"), "Not available");
	assert_string_equal(spcchart_point_type_text(NULL), "No data");
	assert_string_equal(spcchart_point_type_text(
	    "special_cause_neutral_low"),
	    "Special cause, neither improvement nor concern (low)");
	assert_int_equal(spcchart_decimals(spc_v, SN), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spc),
		cmocka_unit_test(test_spc_trial_window),
		cmocka_unit_test(test_profile),
		cmocka_unit_test(test_profile_month),
		cmocka_unit_test(test_icons),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
