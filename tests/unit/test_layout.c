/*
 * test_layout.c: the typesetting decisions of the PDF briefings
 * (layout.c) with a fixed-pitch measure (every byte 1 unit per point of
 * size, bold 1.5): words and hard breaks, greedy line breaking,
 * justification and alignment, widow and orphan control, table column
 * widths and alignment, plain-string grids.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "layout.h"
#include "md.h"
#include "util.h"

static double
fixed_width(void *arg, bool bold, const char *s, size_t len, double size)
{
	(void)arg;
	(void)s;
	return (double)len * size / 10.0 * (bold ? 1.5 : 1.0);
}

static const struct layout_measure fixed = { fixed_width, NULL };

static void
test_words(void **state)
{
	struct md_run		 r[3] = { { "one  two ", 0, NULL },
	    { "\n", 0, NULL }, { "three", MD_RUN_BOLD, NULL } };
	struct md_text		 mt = { r, 3 };
	struct layout_text	 t;

	(void)state;
	layout_text_init(&t, &mt, 10, 14, false, 0, &fixed);
	assert_int_equal(t.n, 3);
	assert_false(t.v[0].sp);
	assert_true(t.v[1].sp);
	assert_true(t.v[2].nl);
	assert_false(t.v[2].sp);
	assert_true(t.v[2].w == 7.5);
	assert_true(t.spw == 1);
	assert_true(t.maxw == 7.5);
	assert_true(t.natw == 3 + 1 + 3 + 7.5);
	layout_text_break(&t, 100);
	assert_int_equal(t.nlines, 2);	/* the hard break */
	assert_true(t.lines[0].last);
	layout_text_clear(&t);
}

static void
test_break_justify(void **state)
{
	struct md_run		 r = { "aaaa bb cccc dd eeee", 0, NULL };
	struct md_text		 mt = { &r, 1 };
	struct layout_text	 t;
	double			 x, extra;

	(void)state;
	layout_text_init(&t, &mt, 10, 14, false, 0, &fixed);
	layout_text_break(&t, 9);
	/* "aaaa bb" (7), "cccc dd" (7), "eeee" (4). */
	assert_int_equal(t.nlines, 3);
	assert_true(t.lines[0].w == 7);
	assert_false(t.lines[0].last);
	assert_true(t.lines[2].last);
	x = layout_line_start(&t, 0, 10, 9, LAYOUT_JUSTIFY, &extra);
	assert_true(x == 10 && extra == 2);
	x = layout_line_start(&t, 2, 10, 9, LAYOUT_JUSTIFY, &extra);
	assert_true(x == 10 && extra == 0);	/* the last line */
	x = layout_line_start(&t, 0, 10, 9, LAYOUT_RIGHT, &extra);
	assert_true(x == 12 && extra == 0);
	x = layout_line_start(&t, 0, 10, 9, LAYOUT_CENTER, &extra);
	assert_true(x == 11);
	/* Too loose (more than 2.5 spaces a gap): left as it is. */
	x = layout_line_start(&t, 0, 10, 20, LAYOUT_JUSTIFY, &extra);
	assert_true(x == 10 && extra == 0);
	assert_true(layout_baseline(&t, 100) == 100 - 12 + 1.8);
	layout_text_clear(&t);
}

static void
test_fit(void **state)
{
	(void)state;
	/* Everything fits. */
	assert_int_equal(layout_fit(100, 100, 0, 10, 0, 5), 5);
	/* 4 of 5 fit: keep two for the next page. */
	assert_int_equal(layout_fit(40, 100, 0, 10, 0, 5), 3);
	/* One line would be an orphan: a new page first. */
	assert_int_equal(layout_fit(15, 100, 0, 10, 0, 5), 0);
	/* A three-line paragraph is never split. */
	assert_int_equal(layout_fit(25, 100, 0, 10, 0, 3), 0);
	/* Below the margin nothing fits; at the top all goes. */
	assert_int_equal(layout_fit(-5, 100, 0, 10, 2, 3), 0);
	assert_int_equal(layout_fit(100, 100, 90, 10, 0, 30), 30);
}

static void
test_table(void **state)
{
	struct layout_grid	 g;
	struct layout_table	 tb;
	struct layout_plan	 pl;

	(void)state;
	memset(&g, 0, sizeof(g));
	g.ncols = 2;
	layout_grid_cell(&g, "Name");
	layout_grid_cell(&g, "Value");
	layout_grid_cell(&g, "alpha");
	layout_grid_cell(&g, "12");
	layout_grid_cell(&g, NULL);
	layout_grid_cell(&g, "–");
	assert_int_equal(g.n, 6);
	memset(&tb, 0, sizeof(tb));
	tb.ncols = 2;
	tb.nrows = 3;
	tb.cells = g.cells;
	tb.head = true;
	tb.size = 10;
	assert_true(layout_table_plan(&pl, &tb, 100, 0, &fixed));
	assert_int_equal(pl.al[0], LAYOUT_LEFT);
	assert_int_equal(pl.al[1], LAYOUT_RIGHT);	/* numbers */
	assert_true(pl.cw[0] + pl.cw[1] == pl.cw[2]);
	assert_true(pl.cw[2] > 99.99 && pl.cw[2] < 100.01);
	assert_true(pl.rh[0] == 13 + 7);
	assert_true(pl.need == 3 * 20);
	layout_plan_clear(&pl, 6);
	/* Too narrow: columns share the width from their longest word. */
	assert_true(layout_table_plan(&pl, &tb, 15, 0, &fixed));
	assert_true(pl.cw[2] > 14.99 && pl.cw[2] < 15.01);
	layout_plan_clear(&pl, 6);
	tb.nrows = 0;
	assert_false(layout_table_plan(&pl, &tb, 100, 0, &fixed));
	layout_grid_clear(&g);
	assert_null(g.cells);
	assert_int_equal(g.n, 0);
}

static void
test_sizes(void **state)
{
	(void)state;
	assert_true(layout_heading_size(1) == 18);
	assert_true(layout_heading_size(4) == 10);
	assert_int_equal(layout_toc_per_page(700, 57, 20), 32);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_break_justify),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
