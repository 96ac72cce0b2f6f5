/*
 * test_svg.c: chart model -> SVG (svg.c): numbers (byte for byte as the
 * snprintf "%.1f" version wrote them), accessibility
 * attributes, escaping, gaps, dashes and markers.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chart.h"
#include "spcchart.h"
#include "svg.h"
#include "util.h"
#include "splitmix.h"

static char *
num(double v)
{
	struct buf	 b;

	buf_init(&b);
	svg_num(&b, v);
	return buf_release(&b);
}

static void
test_num(void **state)
{
	static const struct {
		double		 v;
		const char	*s;
	} cases[] = {
		{ 2.0, "2" }, { 1.25, "1.3" }, { -0.04, "0" }, { -0.0, "0" },
		{ 1234.56, "1234.6" }, { -3.5, "-3.5" }, { 0.95, "1" },
		{ 480, "480" }, { NAN, "0" }
	};
	size_t	 i;
	char	*s;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = num(cases[i].v);
		assert_string_equal(s, cases[i].s);
		free(s);
	}
}

/* svg_num as it was written with snprintf: the reference its integer
 * path must match byte for byte. */
static void
num_ref(char *s, size_t sz, double v)
{
	size_t	 n;

	if (!isfinite(v))
		v = 0;
	v = round(v * 10) / 10;
	if (v == 0)
		v = 0;
	snprintf(s, sz, "%.1f", v);
	n = strlen(s);
	if (n >= 2 && strcmp(s + n - 2, ".0") == 0)
		s[n - 2] = '\0';
}

static void
num_check(double v)
{
	char	 want[64], *got;	/* svg_num's buffer: huge values truncate */

	num_ref(want, sizeof(want), v);
	got = num(v);
	if (strcmp(got, want) != 0)
		fail_msg("svg_num(%a): got \"%s\", want \"%s\"", v, got, want);
	free(got);
}

/* Same bytes as the snprintf version: coordinates, halves of tenths,
 * negatives, and magnitudes past the integer path. */
static void
test_num_ref(void **state)
{
	static const double fixed[] = {
		0.05, 0.15, 0.25, -0.05, -0.15, 0.049999999999999996,
		99999999999999.9, 99999999999999.95, 1e14, 1e15, 1e16, 1e300,
		1.7976931348623157e308, -1.7976931348623157e308, INFINITY,
		-INFINITY, 4.9406564584124654e-324,
	};
	uint64_t	 st = 42, r;
	double		 v;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		num_check(fixed[i]);
		num_check(-fixed[i]);
	}
	for (i = 0; i < 20000; i++) {
		num_check((double)i / 100 - 100);
		num_check((double)i / 20 + 0.05);
	}
	for (i = 0; i < 100000; i++) {
		r = mix_next(&st);
		v = ((double)(r >> 11) * 0x1p-53 - 0.5) * 2000;
		num_check(v);
		num_check(v * 1e12);
		memcpy(&v, &r, sizeof(v));
		num_check(v);
	}
}

/* A hand-built 100 x 50 chart: a dashed line with a gap, an area,
 * diamonds and a text that needs escaping. */
static struct chart *
small_chart(void)
{
	struct chart	*c = xcalloc(1, sizeof(*c));
	struct chart_mark *m;
	size_t		 i;

	c->width = 100;
	c->height = 50;
	c->title = xstrdup("A & B");
	c->desc = xstrdup("Demand <rising>");
	c->nmarks = 3;
	c->marks = xcalloc(3, sizeof(*c->marks));
	for (i = 0; i < 3; i++) {
		m = &c->marks[i];
		m->n = 4;
		m->x = xcalloc(4, sizeof(double));
		m->y = xcalloc(4, sizeof(double));
		m->x[0] = 0;
		m->x[1] = 10;
		m->x[2] = 20;
		m->x[3] = 30;
		m->y[0] = 5;
		m->y[1] = 6.25;
		m->y[2] = NAN;
		m->y[3] = 8;
		m->width = 2;
		m->opacity = 0.3;
		m->base = 40;
		m->data = true;
	}
	c->marks[0].kind = CHART_MARK_LINE;
	c->marks[0].role = CHART_ROLE_CAPACITY;
	c->marks[0].dash = CHART_DASH_DASHED;
	c->marks[1].kind = CHART_MARK_AREA;
	c->marks[1].role = CHART_ROLE_BACKLOG;
	c->marks[2].kind = CHART_MARK_POINTS;
	c->marks[2].role = CHART_ROLE_OBSERVED;
	c->marks[2].marker = CHART_MARKER_DIAMOND;
	c->ntexts = 1;
	c->texts = xcalloc(1, sizeof(*c->texts));
	c->texts[0].x = 50;
	c->texts[0].y = 45;
	c->texts[0].size = 13;
	c->texts[0].anchor = CHART_ANCHOR_MIDDLE;
	c->texts[0].s = xstrdup("Q1 <& Q2>");
	return c;
}

static void
test_chart(void **state)
{
	struct chart_palette	 p;
	struct chart		*c = small_chart();
	struct buf		 a, b;

	(void)state;
	chart_palette_default(&p);
	buf_init(&a);
	buf_init(&b);
	svg_chart(c, &p, "chart-1", &a);
	svg_chart(c, &p, "chart-1", &b);
	assert_string_equal(a.data, b.data);	/* deterministic */
	assert_non_null(strstr(a.data, "viewBox=\"0 0 100 50\""));
	assert_non_null(strstr(a.data, "role=\"img\" "
	    "aria-labelledby=\"chart-1-title chart-1-desc\""));
	assert_non_null(strstr(a.data,
	    "<title id=\"chart-1-title\">A &amp; B</title>"));
	assert_non_null(strstr(a.data,
	    "<desc id=\"chart-1-desc\">Demand &lt;rising&gt;</desc>"));
	/* The line stops at the gap; the lone point after it is not drawn
	 * as a line. */
	assert_non_null(strstr(a.data, "<path d=\"M0 5L10 6.3\" fill=\"none\" "
	    "stroke=\"#007f3b\" stroke-width=\"2\" "
	    "stroke-dasharray=\"7 4\""));
	/* The area closes each run on its baseline. */
	assert_non_null(strstr(a.data, "<path d=\"M0 40L0 5L10 6.3L10 40Z"
	    "M30 40L30 8L30 40Z\" fill=\"#4c6272\" fill-opacity=\"0.3\""));
	/* Three diamonds, none for the gap. */
	assert_non_null(strstr(a.data, "<g fill=\"#330072\"><path d=\"M0 2.4"));
	assert_non_null(strstr(a.data, "text-anchor=\"middle\" "
	    "fill=\"#212b32\">Q1 &lt;&amp; Q2&gt;</text>"));
	assert_null(strstr(a.data, "font-family"));
	assert_null(strstr(a.data, "aria-hidden"));
	buf_clear(&b);
	svg_chart(c, &p, NULL, &b);
	assert_non_null(strstr(b.data, "aria-hidden=\"true\""));
	assert_null(strstr(b.data, "<title"));
	buf_clear(&a);
	buf_clear(&b);
	chart_free(c);
}

static void
test_dcb_svg(void **state)
{
	struct chart_palette	 p;
	struct service		 svc;
	struct series		 se;
	struct analysis		 an;
	int64_t			 key[3];
	double			 one[3] = { 1, 2, 3 };
	struct chart		*c;
	struct buf		 b;

	(void)state;
	memset(&svc, 0, sizeof(svc));
	memset(&se, 0, sizeof(se));
	memset(&an, 0, sizeof(an));
	key[0] = util_days_from_civil(2024, 1, 1);
	key[1] = util_days_from_civil(2024, 2, 1);
	key[2] = util_days_from_civil(2024, 3, 1);
	se.n = 3;
	se.key = key;
	svc.period = PERIOD_MONTH;
	svc.series = &se;
	svc.an = &an;
	an.has_flow = true;
	an.flow.demand_cases = an.flow.demand_minutes = one;
	an.flow.capacity_resources = an.flow.capacity_minutes = one;
	an.flow.backlog_minutes = an.flow.backlog_cases = one;
	c = chart_dcb(&svc, NULL);
	assert_non_null(c);
	chart_palette_default(&p);
	buf_init(&b);
	svg_chart(c, &p, "c1", &b);
	assert_non_null(strstr(b.data, ">Month</text>"));
	assert_non_null(strstr(b.data, "minutes per month</title>"));
	assert_non_null(strstr(b.data, ">Jan 2024</text>"));
	assert_non_null(strstr(b.data, "stroke-dasharray"));
	buf_clear(&b);
	chart_free(c);
}

/* The MDC icons: labelled images with the palette's colours; the same
 * icon decorative (aria-hidden) when its words are beside it. */
static void
test_icon_svg(void **state)
{
	struct chart_palette	 p;
	struct chart		*c;
	struct buf		 b;

	(void)state;
	chart_palette_default(&p);
	c = spcchart_variation_icon("concern_high", 40);
	assert_non_null(c);
	buf_init(&b);
	svg_chart(c, &p, "v1", &b);
	assert_non_null(strstr(b.data, "role=\"img\""));
	assert_non_null(strstr(b.data,
	    "<title id=\"v1-title\">Special cause of concern (high)</title>"));
	assert_non_null(strstr(b.data, "<desc id=\"v1-desc\">"));
	assert_non_null(strstr(b.data, p.colour[CHART_ROLE_CONCERN]));
	assert_non_null(strstr(b.data, "font-weight=\"bold\""));
	assert_non_null(strstr(b.data, ">H</text>"));
	assert_non_null(strstr(b.data, "<circle"));
	buf_clear(&b);
	svg_chart(c, &p, NULL, &b);
	assert_non_null(strstr(b.data, "aria-hidden=\"true\""));
	assert_null(strstr(b.data, "<title"));
	buf_clear(&b);
	chart_free(c);
	c = spcchart_assurance_icon("consistent_fail", 40);
	svg_chart(c, &p, "a1", &b);
	assert_non_null(strstr(b.data, ">F</text>"));
	assert_non_null(strstr(b.data, "Will consistently fail the target"));
	buf_clear(&b);
	chart_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_num),
		cmocka_unit_test(test_num_ref),
		cmocka_unit_test(test_chart),
		cmocka_unit_test(test_dcb_svg),
		cmocka_unit_test(test_icon_svg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
