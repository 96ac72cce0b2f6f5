/*
 * test_chart.c: the chart model (chart.c): nice ticks, number and date
 * formats, contrast, and the dcb chart of a hand-built service.
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
#include "util.h"

#include "chart_fixture.h"

static void
test_ticks(void **state)
{
	double	 step, t0, t1;
	int	 dec;

	(void)state;
	dec = chart_ticks_nice(0, 420, 5, &step, &t0, &t1);
	assert_int_equal(dec, 0);
	assert_float_equal(step, 100, 1e-9);
	assert_float_equal(t0, 0, 1e-9);
	assert_float_equal(t1, 500, 1e-9);
	chart_ticks_nice(0, 1380, 4, &step, &t0, &t1);
	assert_float_equal(step, 500, 1e-9);
	assert_float_equal(t1, 1500, 1e-9);
	chart_ticks_nice(0, 100000, 4, &step, &t0, &t1);
	assert_float_equal(step, 50000, 1e-9);
	assert_float_equal(t1, 100000, 1e-9);
	dec = chart_ticks_nice(0, 0.37, 5, &step, &t0, &t1);
	assert_int_equal(dec, 1);
	assert_float_equal(step, 0.1, 1e-12);
	assert_float_equal(t1, 0.4, 1e-12);
	/* Flat and empty ranges still give an axis. */
	chart_ticks_nice(0, 0, 5, &step, &t0, &t1);
	assert_true(t1 > t0);
	chart_ticks_nice(NAN, NAN, 5, &step, &t0, &t1);
	assert_true(t1 > t0);
}

static void
test_fmt_number(void **state)
{
	char	 s[64];

	(void)state;
	chart_fmt_number(s, sizeof(s), 1234567, 0);
	assert_string_equal(s, "1,234,567");
	chart_fmt_number(s, sizeof(s), -1234.5, -1);
	assert_string_equal(s, "-1,234.5");
	chart_fmt_number(s, sizeof(s), 12.0, -1);
	assert_string_equal(s, "12");
	chart_fmt_number(s, sizeof(s), 999.96, -1);
	assert_string_equal(s, "1,000");
	chart_fmt_number(s, sizeof(s), -0.04, 1);
	assert_string_equal(s, "0.0");
	chart_fmt_number(s, sizeof(s), 0.119, 2);
	assert_string_equal(s, "0.12");
	chart_fmt_number(s, sizeof(s), 100, 0);
	assert_string_equal(s, "100");
	chart_fmt_number(s, sizeof(s), NAN, 0);
	assert_string_equal(s, "");
	chart_fmt_number(s, 4, 1234567, 0);	/* truncates, stays a string */
	assert_int_equal(strlen(s), 3);
	chart_fmt_number(s, 7, 1234567, 0);	/* no comma as last byte */
	assert_string_equal(s, "1,2345");
	chart_fmt_number(s, 10, 1234567, 0);	/* fits: as with room */
	assert_string_equal(s, "1,234,567");
	chart_fmt_number(s, 9, 1234567, 0);
	assert_string_equal(s, "1,234,56");
}

/* Cells in a table's pool, mixed with cells of their own, all freed by
 * chart_free (ASan and valgrind check the freeing). */
static void
test_table_pool(void **state)
{
	struct chart	*c = chart_new(100, 100);
	struct chart_table *t = &c->table;
	char		 want[64];
	size_t		 i;

	(void)state;
	t->ncols = 2;
	t->nrows = 3000;
	t->head = xcalloc(t->ncols, sizeof(char *));
	t->cells = xcalloc(t->ncols * t->nrows, sizeof(char *));
	for (i = 0; i < t->nrows; i++) {
		t->cells[2 * i] = i % 7 == 0 ? chart_cell((double)i, 0) :
		    chart_table_num(t, (double)i * 1000.5, -1);
		if (i % 5 != 0)
			t->cells[2 * i + 1] = chart_table_str(t, "abc",
			    i % 4);
	}
	for (i = 0; i < t->nrows; i++) {
		chart_fmt_number(want, sizeof(want), i % 7 == 0 ? (double)i :
		    (double)i * 1000.5, i % 7 == 0 ? 0 : -1);
		assert_string_equal(t->cells[2 * i], want);
		if (i % 5 != 0)
			assert_int_equal(strlen(t->cells[2 * i + 1]), i % 4);
		else
			assert_null(t->cells[2 * i + 1]);
	}
	assert_string_equal(chart_table_num(t, NAN, 0), "–");
	chart_free(c);
}

static void
test_fmt_date(void **state)
{
	char	 s[64];
	int64_t	 d = util_days_from_civil(2024, 2, 29);

	(void)state;
	chart_fmt_date(s, sizeof(s), PERIOD_DAY, d);
	assert_string_equal(s, "29 Feb 2024");
	chart_fmt_date(s, sizeof(s), PERIOD_MONTH,
	    util_days_from_civil(2024, 12, 1));
	assert_string_equal(s, "Dec 2024");
	chart_fmt_date(s, sizeof(s), PERIOD_HOUR, d * 24 + 14);
	assert_string_equal(s, "29 Feb 2024 14:00");
}

static void
test_contrast(void **state)
{
	struct chart_palette	 p;
	unsigned		 rgb;
	size_t			 i;

	(void)state;
	assert_true(chart_colour_parse("#005EB8", &rgb));
	assert_int_equal(rgb, 0x005eb8);
	assert_false(chart_colour_parse("005eb8", &rgb));
	assert_false(chart_colour_parse("#05eb8", &rgb));
	assert_false(chart_colour_parse("#00zeb8", &rgb));
	/* board-papers.md table. */
	assert_float_equal(chart_contrast_white(0x005eb8), 6.38, 0.01);
	assert_float_equal(chart_contrast_white(0xa6a6a6), 2.43, 0.01);
	assert_float_equal(chart_contrast_white(0xe46c0a), 3.26, 0.01);
	assert_float_equal(chart_contrast_white(0xffffff), 1, 1e-9);
	assert_float_equal(chart_contrast_white(0x000000), 21, 1e-9);
	chart_palette_default(&p);
	for (i = 0; i < CHART_ROLE_N; i++) {
		enum chart_role r;

		assert_true(chart_role_parse(chart_role_name(i), &r));
		assert_int_equal(r, i);
		assert_true(chart_colour_parse(p.colour[i], &rgb));
		if (i != CHART_ROLE_GRID)
			assert_true(chart_contrast_white(rgb) >= 3);
	}
	assert_true(chart_contrast_white(0x212b32) >= 4.5);
}

static void
test_dcb(void **state)
{
	struct fixture	*f = fixture_new(true);
	struct chart	*c;
	size_t		 i, j, lines = 0;

	(void)state;
	c = chart_dcb(&f->svc, NULL);
	assert_non_null(c);
	assert_string_equal(c->title,
	    "Demand, capacity and backlog, minutes per day");
	assert_non_null(strstr(c->desc, "from 1 Jan 2024 to 21 Jan 2024"));
	assert_int_equal(c->nlegend, 4);
	assert_int_equal(c->legend[1].dash, CHART_DASH_DASHED);
	assert_int_equal(c->table.nrows, N);
	assert_int_equal(c->table.ncols, 6);
	assert_string_equal(c->table.cells[0], "1 Jan 2024");
	assert_string_equal(c->table.cells[1], "240");
	assert_string_equal(c->table.cells[5], "0");
	assert_string_equal(c->table.cells[6 * 10 + 1], "–");
	assert_string_equal(c->table.head[1], "Demand (minutes per day)");
	/* Weekly ticks on Mondays, year on the first. */
	assert_true(has_text(c, "1 Jan 2024"));
	assert_true(has_text(c, "8 Jan"));
	assert_true(has_text(c, "Date"));
	assert_true(has_text(c, "Demand and capacity, minutes per day"));
	/* Everything inside the box; the demand gap is kept. */
	for (i = 0; i < c->nmarks; i++) {
		const struct chart_mark *m = &c->marks[i];

		for (j = 0; j < m->n; j++) {
			assert_true(m->x[j] >= 0 && m->x[j] <= c->width);
			if (isfinite(m->y[j]))
				assert_true(m->y[j] >= 0 &&
				    m->y[j] <= c->height);
		}
		if (m->data && m->kind == CHART_MARK_LINE &&
		    m->role == CHART_ROLE_DEMAND) {
			assert_int_equal(m->n, N);
			assert_true(isnan(m->y[10]));
			lines++;
		}
	}
	assert_int_equal(lines, 1);
	chart_free(c);
	free(f);
}

static void
test_dcb_window(void **state)
{
	struct fixture		*f = fixture_new(false);
	struct chart_spec	 spec;
	struct chart		*c;

	(void)state;
	memset(&spec, 0, sizeof(spec));
	spec.type = CHART_DCB;
	spec.has_from = true;
	spec.from = util_days_from_civil(2024, 1, 8);
	spec.caption = "Since 8 January";
	c = chart_dcb(&f->svc, &spec);
	assert_non_null(c);
	assert_string_equal(c->title, "Since 8 January");
	assert_int_equal(c->table.nrows, 14);
	assert_int_equal(c->table.ncols, 5);
	assert_string_equal(c->table.cells[0], "8 Jan 2024");
	assert_int_equal(c->nlegend, 3);
	chart_free(c);

	/* A window after the data, a single period, and no flow. */
	spec.from = util_days_from_civil(2024, 2, 1);
	assert_null(chart_dcb(&f->svc, &spec));
	spec.from = util_days_from_civil(2024, 1, 21);
	c = chart_dcb(&f->svc, &spec);
	assert_non_null(c);
	assert_int_equal(c->table.nrows, 1);
	chart_free(c);
	f->an.has_flow = false;
	assert_null(chart_dcb(&f->svc, NULL));
	free(f);
}

static void
test_dcb_year(void **state)
{
	struct fixture	*f = fixture_new(false);
	struct chart	*c;
	int64_t		*key = xcalloc(366, sizeof(int64_t));
	double		*v = xcalloc(366, sizeof(double));
	size_t		 i;

	(void)state;
	for (i = 0; i < 366; i++) {
		key[i] = util_days_from_civil(2024, 1, 1) + (int64_t)i;
		v[i] = 100000.0 * (double)i / 365;
	}
	f->se.n = 366;
	f->se.key = key;
	f->an.flow.demand_minutes = v;
	f->an.flow.capacity_minutes = v;
	f->an.flow.backlog_minutes = v;
	f->an.flow.backlog_cases = v;
	f->an.flow.demand_cases = v;
	c = chart_dcb(&f->svc, NULL);
	assert_non_null(c);
	assert_true(has_text(c, "Jan 2024"));
	assert_true(has_text(c, "100,000"));
	assert_false(has_text(c, "1 Jan 2024"));
	chart_free(c);
	free(key);
	free(v);
	free(f);
}

static void
test_sparkline(void **state)
{
	double		 v[5] = { 1, NAN, 3, 2, NAN };
	double		 none[2] = { NAN, NAN };
	struct chart	*c;

	(void)state;
	assert_null(chart_sparkline(none, 2, CHART_ROLE_DEMAND, 80, 20));
	c = chart_sparkline(v, 5, CHART_ROLE_DEMAND, 80, 20);
	assert_non_null(c);
	assert_int_equal(c->nmarks, 2);
	assert_float_equal(c->marks[1].x[0], c->marks[0].x[3], 1e-9);
	assert_true(c->marks[0].y[2] < c->marks[0].y[0]);
	chart_free(c);
	chart_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ticks),
		cmocka_unit_test(test_fmt_number),
		cmocka_unit_test(test_table_pool),
		cmocka_unit_test(test_fmt_date),
		cmocka_unit_test(test_contrast),
		cmocka_unit_test(test_dcb),
		cmocka_unit_test(test_dcb_window),
		cmocka_unit_test(test_dcb_year),
		cmocka_unit_test(test_sparkline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
