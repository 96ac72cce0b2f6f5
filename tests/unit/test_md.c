/*
 * test_md.c: Markdown to HTML (GFM tables, safety, heading shift) and
 * the ```chart blocks of SPEC 3.4 (parsing, validation messages with
 * exact positions, replacement by the callback's output in order), and
 * struct md_doc, one parse giving what md_charts, md_html and md_blocks
 * give.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "diag.h"
#include "md.h"
#include "util.h"

#include "capture.h"

/* A daily service with flow and two metrics (fields borrowed). */
static struct metric_def	 metrics[2];
static struct service		 flowsvc, kpisvc;

static int
setup(void **state)
{
	(void)state;
	memset(metrics, 0, sizeof(metrics));
	metrics[0].column = "contacted_48h_pct";
	metrics[1].column = "satisfaction";
	memset(&flowsvc, 0, sizeof(flowsvc));
	flowsvc.id = "idva";
	flowsvc.period = PERIOD_DAY;
	flowsvc.has_demand = true;
	flowsvc.has_capacity = true;
	flowsvc.metrics = metrics;
	flowsvc.nmetrics = 2;
	memset(&kpisvc, 0, sizeof(kpisvc));
	kpisvc.id = "kpi";
	kpisvc.period = PERIOD_MONTH;
	kpisvc.metrics = metrics;
	kpisvc.nmetrics = 2;
	return 0;
}

static char *
html(const char *md, int shift, md_chart_fn fn, void *arg)
{
	struct buf	 b;

	buf_init(&b);
	md_html(md, "x.md", 1, &flowsvc, shift, fn, arg, &b);
	buf_putc(&b, '\0');
	return buf_release(&b);
}

static void
test_table(void **state)
{
	char	*h;

	(void)state;
	h = html("| Service | Wait |\n|---|--:|\n| IDVA | 12 |\n", 0, NULL,
	    NULL);
	assert_non_null(strstr(h, "<table>"));
	assert_non_null(strstr(h, "<th>Service</th>"));
	assert_non_null(strstr(h, "<td align=\"right\">12</td>"));
	free(h);

	h = html("~~old~~ and www.example.org\n", 0, NULL, NULL);
	assert_non_null(strstr(h, "<del>old</del>"));
	assert_non_null(strstr(h, "<a href=\"http://www.example.org\">"));
	free(h);
}

static void
test_safety(void **state)
{
	char	*h;

	(void)state;
	h = html("before\n\n<script>alert(1)</script>\n\nafter "
	    "<img src=x onerror=alert(1)> <b>bold</b>\n", 0, NULL, NULL);
	assert_null(strstr(h, "<script"));
	assert_null(strstr(h, "<img"));
	assert_null(strstr(h, "<b>"));
	assert_null(strstr(h, "onerror"));
	assert_non_null(strstr(h, "<p>before</p>"));
	assert_non_null(strstr(h, "after  bold"));
	free(h);

	h = html("[a](javascript:alert(1)) [b](JavaScript:x) "
	    "[c](data:text/html,x) [d](vbscript:x) ![e](javascript:x) "
	    "[f](https://ok.example/) [g](mailto:a@b.org) [h](other.html)\n",
	    0, NULL, NULL);
	assert_null(strstr(h, "script:"));
	assert_null(strstr(h, "data:"));
	assert_non_null(strstr(h, "<a href=\"#\">a</a>"));
	assert_non_null(strstr(h, "<a href=\"#\">b</a>"));
	assert_non_null(strstr(h, "<a href=\"#\">c</a>"));
	assert_non_null(strstr(h, "<a href=\"#\">d</a>"));
	assert_non_null(strstr(h, "<img src=\"#\" alt=\"e\" />"));
	assert_non_null(strstr(h, "<a href=\"https://ok.example/\">f</a>"));
	assert_non_null(strstr(h, "<a href=\"mailto:a@b.org\">g</a>"));
	assert_non_null(strstr(h, "<a href=\"other.html\">h</a>"));
	free(h);

	h = html("a < b & \"c\"\n", 0, NULL, NULL);
	assert_string_equal(h, "<p>a &lt; b &amp; &quot;c&quot;</p>\n");
	free(h);
}

static void
test_heading_shift(void **state)
{
	char	*h;

	(void)state;
	h = html("# One\n\n## Two\n\n##### Five\n\n###### Six\n", 1, NULL,
	    NULL);
	assert_string_equal(h, "<h2>One</h2>\n<h3>Two</h3>\n<h6>Five</h6>\n"
	    "<h6>Six</h6>\n");
	free(h);
	h = html("# One\n", 0, NULL, NULL);
	assert_string_equal(h, "<h1>One</h1>\n");
	free(h);
}

/* Chart callback: records the order and writes a marker. */
static void
chart_cb(const struct chart_spec *s, size_t i, struct buf *out, void *arg)
{
	static const char *const names[] = {
		"dcb", "spc", "profile", "fan", "scenarios", "ipr"
	};
	size_t	*calls = arg;

	assert_int_equal(i, *calls);
	(*calls)++;
	buf_printf(out, "<figure data-i=\"%zu\">%s %s %s</figure>", i,
	    names[s->type], s->metric ? s->metric : "-",
	    s->caption ? s->caption : "-");
}

static const char charts_md[] =
    "# Commentary\n"				/* 1 */
    "\n"
    "Intro.\n"
    "\n"
    "```chart\n"				/* 5 */
    "type: dcb            # comment\n"
    "caption: Demand, capacity and backlog\n"
    "```\n"
    "\n"
    "- a list item\n"				/* 10 */
    "\n"
    "  ```chart\n"
    "  type: spc\n"
    "  metric: contacted_48h_pct\n"
    "  from: 2024-01-01\n"			/* 15 */
    "  ```\n"
    "\n"
    "```python\n"
    "type: not a chart\n"
    "```\n"					/* 20 */
    "\n"
    "```chart\n"
    "type: fan\n"
    "```\n"
    "\n"
    "Done.\n";

static void
test_chart_replace(void **state)
{
	char	*h;
	size_t	 calls = 0;
	char	*a, *b, *c;

	(void)state;
	h = html(charts_md, 1, chart_cb, &calls);
	assert_int_equal(calls, 3);
	a = strstr(h, "<figure data-i=\"0\">dcb - Demand, capacity and "
	    "backlog</figure>");
	b = strstr(h, "<figure data-i=\"1\">spc contacted_48h_pct -</figure>");
	c = strstr(h, "<figure data-i=\"2\">fan - -</figure>");
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_true(a < b && b < c);
	assert_non_null(strstr(h, "<li>"));
	assert_true(strstr(h, "<li>") < b);
	assert_non_null(strstr(h, "<code class=\"language-python\">"
	    "type: not a chart"));
	assert_null(strstr(h, "language-chart"));
	assert_non_null(strstr(h, "<h2>Commentary</h2>"));
	assert_non_null(strstr(h, "<p>Done.</p>"));
	free(h);

	/* Without a callback the blocks are dropped. */
	h = html(charts_md, 0, NULL, NULL);
	assert_null(strstr(h, "type: dcb"));
	assert_null(strstr(h, "figure"));
	assert_non_null(strstr(h, "<p>Intro.</p>"));
	free(h);
}

static void
test_chart_specs(void **state)
{
	struct chart_spec	*specs;
	size_t			 n;
	int64_t			 day;

	(void)state;
	assert_int_equal(md_charts(charts_md, "idva.md", 20, &flowsvc, &specs,
	    &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(specs[0].type, CHART_DCB);
	assert_int_equal(specs[0].line, 24);
	assert_null(specs[0].metric);
	assert_false(specs[0].has_from);
	assert_string_equal(specs[0].caption,
	    "Demand, capacity and backlog");
	assert_int_equal(specs[1].type, CHART_SPC);
	assert_int_equal(specs[1].line, 31);
	assert_string_equal(specs[1].metric, "contacted_48h_pct");
	assert_true(specs[1].has_from);
	assert_true(util_day_parse("2024-01-01", &day));
	assert_int_equal(specs[1].from, day);
	assert_null(specs[1].caption);
	assert_int_equal(specs[2].type, CHART_FAN);
	assert_int_equal(specs[2].line, 41);
	md_chart_specs_free(specs, n);

	/* No chart blocks: success with none. */
	assert_int_equal(md_charts("Just text.\n", "a.md", 1, &flowsvc,
	    &specs, &n), 0);
	assert_int_equal(n, 0);
	md_chart_specs_free(specs, n);

	/* index.md: ipr only. */
	assert_int_equal(md_charts("```chart\ntype: ipr\n```\n", "index.md",
	    1, NULL, &specs, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(specs[0].type, CHART_IPR);
	md_chart_specs_free(specs, n);

	/* spc on flow measures. */
	assert_int_equal(md_charts("```chart\ntype: spc\nmetric: backlog\n```\n",
	    "a.md", 1, &flowsvc, &specs, &n), 0);
	assert_string_equal(specs[0].metric, "backlog");
	md_chart_specs_free(specs, n);
}

/* md_charts over md must fail with exactly the messages want. */
static void
check_errors(const char *md, const struct service *svc, const char *want)
{
	struct chart_spec	*specs = NULL;
	size_t			 n = 99;
	char			*err;
	int			 rc;

	capture_start();
	rc = md_charts(md, "content/services/idva.md", 8, svc, &specs, &n);
	err = capture_end();
	assert_int_equal(rc, -1);
	assert_null(specs);
	assert_int_equal(n, 0);
	assert_string_equal(err, want);
	free(err);
}

#define F "content/services/idva.md"

static void
test_chart_errors(void **state)
{
	(void)state;
	/* Body starts at md line 3 = file line 10. */
	check_errors("Text.\n```chart\ntype: dcbb\n```\n", &flowsvc,
	    F ":10:7: error: unknown chart type \"dcbb\" "
	    "(did you mean \"dcb\"?)\n");
	check_errors("```chart\ntype: spc\nmetrc: satisfaction\n```\n",
	    &flowsvc,
	    F ":10:1: error: unknown key \"metrc\" (did you mean \"metric\"?)\n"
	    F ":9:1: error: spc chart needs a \"metric\"\n");
	check_errors("```chart\ntype: spc\nmetric: satisfactoin\n```\n",
	    &flowsvc,
	    F ":10:9: error: unknown metric \"satisfactoin\" "
	    "(did you mean \"satisfaction\"?)\n");
	check_errors("```chart\ntype: spc\nmetric: demand\n```\n", &kpisvc,
	    F ":10:9: error: unknown metric \"demand\": the service has no "
	    "demand and capacity\n");
	check_errors("```chart\ntype: dcb\n```\n\n```chart\ntype: fan\n```\n"
	    "```chart\ntype: scenarios\n```\n", &kpisvc,
	    F ":9:7: error: chart type \"dcb\" needs demand and capacity in "
	    "the front matter\n"
	    F ":13:7: error: chart type \"fan\" needs demand and capacity in "
	    "the front matter\n"
	    F ":16:7: error: chart type \"scenarios\" needs demand and "
	    "capacity in the front matter\n");
	check_errors("```chart\ntype: profile\n```\n", NULL,
	    F ":9:7: error: chart type \"profile\" needs a service; only "
	    "\"ipr\" is allowed here\n");
	check_errors("```chart\ntype: dcb\nfrom: 2024-13-01\n```\n", &flowsvc,
	    F ":10:7: error: \"2024-13-01\" is not a valid date for period "
	    "\"day\"\n");
	check_errors("```chart\ntype: profile\nmetric: satisfaction\n```\n",
	    &flowsvc,
	    F ":10:1: error: \"metric\" applies only to spc charts\n");
	check_errors("```chart\ncaption: x\n```\n", &flowsvc,
	    F ":8:1: error: chart block has no \"type\"\n");
	check_errors("```chart\n```\n", &flowsvc,
	    F ":8:1: error: chart block has no \"type\"\n");
	check_errors("```chart\ntype: dcb\ntype: fan\n```\n", &flowsvc,
	    F ":10:1: error: duplicate key \"type\"\n");
	check_errors("```chart\ntype: [dcb, fan]\n```\n", &flowsvc,
	    F ":9:7: error: value of \"type\" must be a single value\n");
	check_errors("```chart\njust words\n```\n", &flowsvc,
	    F ":9:1: error: chart block must be \"key: value\" lines\n");
	/* Indented inside a list item: columns follow the file. */
	check_errors("- item\n\n  ```chart\n  type: nope\n  ```\n", &flowsvc,
	    F ":11:9: error: unknown chart type \"nope\"\n");
	/* A good block does not hide a bad one later. */
	check_errors("```chart\ntype: dcb\n```\n\n```chart\ntype: spc\n```\n",
	    &flowsvc, F ":13:1: error: spc chart needs a \"metric\"\n");
}

/* md_blocks: containers flattened, inline styles as runs, GFM tables
 * with alignments, chart blocks with their spec, raw HTML dropped. */
static void
test_blocks(void **state)
{
	struct md_block	*v;
	size_t		 n;

	(void)state;
	v = md_blocks("# Title\n\nSome *it* and **bold** `code` "
	    "[link](https://example.org) ~~x~~.\n\n"
	    "- one\n- two\n  1. nested\n\n"
	    "> quoted £5\n\n<div>raw</div>\n\n"
	    "| A | B |\n|---|--:|\n| a | 1 |\n\n"
	    "```chart\ntype: dcb\ncaption: Flow\n```\n\n"
	    "```\nliteral\n```\n\n---\n", "x.md", 1, &flowsvc, 1, &n);
	assert_int_equal(n, 10);
	assert_int_equal(v[0].kind, MD_BLOCK_HEADING);
	assert_int_equal(v[0].level, 2);
	assert_string_equal(v[0].text.runs[0].text, "Title");

	assert_int_equal(v[1].kind, MD_BLOCK_PARA);
	assert_int_equal(v[1].text.nruns, 11);
	assert_string_equal(v[1].text.runs[0].text, "Some ");
	assert_int_equal(v[1].text.runs[1].style, MD_RUN_ITALIC);
	assert_string_equal(v[1].text.runs[3].text, "bold");
	assert_int_equal(v[1].text.runs[3].style, MD_RUN_BOLD);
	assert_int_equal(v[1].text.runs[5].style, MD_RUN_CODE);
	assert_int_equal(v[1].text.runs[7].style, MD_RUN_LINK);
	assert_string_equal(v[1].text.runs[7].url, "https://example.org");
	assert_int_equal(v[1].text.runs[9].style, MD_RUN_STRIKE);

	assert_true(v[2].item && !v[2].ordered && v[2].depth == 1);
	assert_string_equal(v[2].text.runs[0].text, "one");
	assert_true(v[3].item && v[3].depth == 1);
	assert_true(v[4].item && v[4].ordered && v[4].number == 1 &&
	    v[4].depth == 2);
	assert_int_equal(v[5].quote, 1);
	assert_string_equal(v[5].text.runs[0].text, "quoted £5");

	assert_int_equal(v[6].kind, MD_BLOCK_TABLE);
	assert_int_equal(v[6].ncols, 2);
	assert_int_equal(v[6].nrows, 2);
	assert_int_equal(v[6].align[1], MD_ALIGN_RIGHT);
	assert_string_equal(v[6].cells[3].runs[0].text, "1");

	assert_int_equal(v[7].kind, MD_BLOCK_CHART);
	assert_int_equal(v[7].chart.type, CHART_DCB);
	assert_string_equal(v[7].chart.caption, "Flow");
	assert_int_equal(v[8].kind, MD_BLOCK_CODE);
	assert_string_equal(v[8].text.runs[0].text, "literal\n");
	assert_int_equal(v[9].kind, MD_BLOCK_RULE);
	md_blocks_free(v, n);

	v = md_blocks("", "x.md", 1, NULL, 0, &n);
	assert_int_equal(n, 0);
	md_blocks_free(v, n);
}

static void
text_equal(const struct md_text *a, const struct md_text *b)
{
	size_t	 r;

	assert_int_equal(a->nruns, b->nruns);
	for (r = 0; r < a->nruns; r++) {
		assert_string_equal(a->runs[r].text, b->runs[r].text);
		assert_int_equal(a->runs[r].style, b->runs[r].style);
		assert_true((a->runs[r].url == NULL) ==
		    (b->runs[r].url == NULL));
		if (a->runs[r].url != NULL)
			assert_string_equal(a->runs[r].url, b->runs[r].url);
	}
}

static void
str_equal(const char *a, const char *b)
{
	assert_true((a == NULL) == (b == NULL));
	if (a != NULL)
		assert_string_equal(a, b);
}

/* a[0..n) and b[0..n) are the same blocks, field by field. */
static void
blocks_equal(const struct md_block *a, const struct md_block *b, size_t n)
{
	size_t	 i, k;

	for (i = 0; i < n; i++) {
		assert_int_equal(a[i].kind, b[i].kind);
		assert_int_equal(a[i].level, b[i].level);
		assert_int_equal(a[i].depth, b[i].depth);
		assert_int_equal(a[i].quote, b[i].quote);
		assert_int_equal(a[i].item, b[i].item);
		assert_int_equal(a[i].ordered, b[i].ordered);
		assert_int_equal(a[i].number, b[i].number);
		assert_int_equal(a[i].tight, b[i].tight);
		text_equal(&a[i].text, &b[i].text);
		assert_int_equal(a[i].ncols, b[i].ncols);
		assert_int_equal(a[i].nrows, b[i].nrows);
		for (k = 0; k < a[i].ncols * a[i].nrows; k++)
			text_equal(&a[i].cells[k], &b[i].cells[k]);
		for (k = 0; a[i].align != NULL && k < a[i].ncols; k++)
			assert_int_equal(a[i].align[k], b[i].align[k]);
		assert_int_equal(a[i].chart.type, b[i].chart.type);
		assert_int_equal(a[i].chart.line, b[i].chart.line);
		assert_int_equal(a[i].chart.has_from, b[i].chart.has_from);
		assert_int_equal(a[i].chart.from, b[i].chart.from);
		str_equal(a[i].chart.metric, b[i].chart.metric);
		str_equal(a[i].chart.caption, b[i].chart.caption);
	}
}

/* md_doc_blocks(d, shift) is md_blocks(md, ..., shift). */
static void
check_doc_blocks(const struct md_doc *d, const char *md, int shift)
{
	struct md_block	*a, *b;
	size_t		 na, nb;

	a = md_doc_blocks(d, shift, &na);
	b = md_blocks(md, "x.md", 1, &flowsvc, shift, &nb);
	assert_int_equal(na, nb);
	blocks_equal(a, b, na);
	md_blocks_free(a, na);
	md_blocks_free(b, nb);
}

/* Chart callback for any order: writes the index. */
static void
any_cb(const struct chart_spec *s, size_t i, struct buf *out, void *arg)
{
	(void)s;
	(void)arg;
	buf_printf(out, "<figure data-i=\"%zu\"></figure>", i);
}

/* A body with a little of everything the three outputs treat apart. */
static const char doc_md[] =
    "# Commentary\n\n###### Six\n\nSome *it* [bad](javascript:x) "
    "[good](https://example.org) <b>raw</b> ~~x~~.\n\n"
    "<div>raw block</div>\n\n"
    "- one\n\n  ```chart\n  type: spc\n  metric: satisfaction\n  ```\n"
    "- <span>only html</span>\n\n"
    "| A | B |\n|---|--:|\n| a | 1 |\n\n"
    "```chart\ntype: dcb\ncaption: Flow\n```\n```chart\ntype: fan\n```\n"
    "> quoted\n";

/* md_doc: one parse gives what md_charts, md_html and md_blocks give
 * (blocks before and after the HTML), and reports as md_charts does. */
static void
test_doc(void **state)
{
	static const char bad[] = "Text.\n```chart\ntype: dcbb\n```\n\n"
	    "```chart\ntype: fan\n```\n";
	struct md_doc		*d;
	const struct chart_spec	*ds;
	struct chart_spec	*specs;
	struct buf		 b;
	size_t			 n, dn, calls = 0, dcalls = 0, i;
	char			*h, *err, *want;

	(void)state;
	d = md_doc_parse(doc_md, "x.md", 1, &flowsvc, false);
	assert_true(md_doc_ok(d));
	ds = md_doc_charts(d, &dn);
	assert_int_equal(md_charts(doc_md, "x.md", 1, &flowsvc, &specs, &n),
	    0);
	assert_int_equal(dn, 3);
	assert_int_equal(n, dn);
	for (i = 0; i < n; i++) {
		assert_int_equal(ds[i].type, specs[i].type);
		assert_int_equal(ds[i].line, specs[i].line);
		str_equal(ds[i].metric, specs[i].metric);
		str_equal(ds[i].caption, specs[i].caption);
	}
	md_chart_specs_free(specs, n);
	check_doc_blocks(d, doc_md, 0);
	check_doc_blocks(d, doc_md, 1);
	buf_init(&b);
	md_doc_html(d, 1, chart_cb, &dcalls, &b);
	buf_putc(&b, '\0');
	h = html(doc_md, 1, chart_cb, &calls);
	assert_int_equal(dcalls, 3);
	assert_int_equal(calls, 3);
	assert_string_equal(b.data, h);
	free(h);
	buf_clear(&b);
	check_doc_blocks(d, doc_md, 1);	/* the tree has gone: still there */
	md_doc_free(d);

	/* Bad blocks: the same messages, once; dropped from the HTML. */
	capture_start();
	assert_int_equal(md_charts(bad, F, 8, &flowsvc, &specs, &n), -1);
	want = capture_end();
	assert_non_null(strstr(want, "unknown chart type"));
	capture_start();
	d = md_doc_parse(bad, F, 8, &flowsvc, false);
	err = capture_end();
	assert_string_equal(err, want);
	free(err);
	assert_false(md_doc_ok(d));
	assert_null(md_doc_charts(d, &n));
	assert_int_equal(n, 0);
	buf_init(&b);
	md_doc_html(d, 0, any_cb, &dcalls, &b);
	buf_putc(&b, '\0');
	h = b.data;
	buf_init(&b);
	md_html(bad, F, 8, &flowsvc, 0, any_cb, &calls, &b);
	buf_putc(&b, '\0');
	assert_string_equal(h, b.data);
	assert_non_null(strstr(h, "<figure data-i=\"1\">"));
	assert_null(strstr(h, "dcbb"));
	free(h);
	buf_clear(&b);
	md_doc_free(d);
	capture_start();
	d = md_doc_parse(bad, F, 8, &flowsvc, true);
	err = capture_end();
	assert_string_equal(err, "");
	free(err);
	assert_false(md_doc_ok(d));
	md_doc_free(d);
	free(want);

	md_doc_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_safety),
		cmocka_unit_test(test_heading_shift),
		cmocka_unit_test(test_chart_replace),
		cmocka_unit_test(test_chart_specs),
		cmocka_unit_test(test_chart_errors),
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_doc),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
