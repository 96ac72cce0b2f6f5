/*
 * test_pdf.c: PDF briefings (SPEC 5) from a tiny pack built in memory
 * (a flow service with Markdown commentary, a table, a list, a chart
 * block and non-ASCII text, and a KPI page): the output is a PDF, the
 * same bytes every time, written through a temporary file; the pack PDF
 * and its file name; a write that cannot succeed returns -1 with a
 * message naming the file and leaves nothing behind; characters past
 * the fonts' first map (U+2600 on) and briefings made in several
 * threads at once give the same bytes every time too, as do briefings
 * whose bold subset was kept by an earlier one and regular subset not.
 * Each of these is made with document objects kept from the ones
 * before (pdfharu.c, pdf_doc_get); the first test's first briefing is made
 * with a new one, and its second must be the same bytes.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "analysis.h"
#include "chart.h"
#include "diag.h"
#include "pdf.h"
#include "util.h"

static double	 demand[] = { 10, 3, 9, 12, 8, 11, 7, 10, 9, 12, 8, 11, 10, 9 };
static double	 idvas[] = { 2, 2, 2, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2 };
static double	 pct[] = { 81, 85, NAN, 90, 88, 84, 86, 89, 91, 87, 85, 90,
		    92, 88 };
static struct column	 flowcols[] = { { "referrals", demand },
			    { "idvas", idvas } };
static struct column	 kpicols[] = { { "pct", pct } };
static struct metric_def kpimetric = { .column = "pct",
			    .label = "Contacted in 48h", .unit = "%",
			    .improvement = IMPROVE_INCREASE,
			    .has_target = true, .target = 90,
			    .screen_outliers = true };
static int64_t		 keys[14];
static struct series	 s_flow, s_kpi;
static struct service	 svcs[2];
static struct pack	 pack;
static struct chart_palette pal;
static char		 dir[] = "/tmp/test_pdf.XXXXXX";

static const char body[] =
    "# Summary\n\nReferrals cost **£180 a day** – waits are *rising* "
    "(≥ 28 days, café).\n\n"
    "- one\n- two\n\n1. first\n2. second\n\n"
    "| Action | Cost |\n|---|--:|\n| Transfer | £180 |\n| Agency | £320 |\n\n"
    "```chart\ntype: dcb\ncaption: Flow\n```\n";

static int
setup(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < 14; i++)
		keys[i] = 19723 + (int64_t)i;	/* 2024-01-01 .. 14 */
	s_flow.n = s_kpi.n = 14;
	s_flow.key = s_kpi.key = keys;
	s_flow.cols = flowcols;
	s_flow.ncols = 2;
	s_kpi.cols = kpicols;
	s_kpi.ncols = 1;

	memset(svcs, 0, sizeof(svcs));
	svcs[0].id = "idva";
	svcs[0].path = "services/idva.md";
	svcs[0].title = "Independent Domestic Violence Advisers";
	svcs[0].owner = "Head of Victim Services";
	svcs[0].period = PERIOD_DAY;
	svcs[0].has_demand = svcs[0].has_capacity = true;
	svcs[0].demand_column = "referrals";
	svcs[0].capacity_column = "idvas";
	svcs[0].minutes_per_case = 60;
	svcs[0].minutes_per_resource = 240;
	svcs[0].backlog_start = 2;
	svcs[0].has_target_wait = true;
	svcs[0].target_wait_days = 28;
	svcs[0].queue_factor = 4;
	svcs[0].series = &s_flow;
	svcs[0].body = (char *)body;
	svcs[0].body_line = 20;

	svcs[1].id = "kpi";
	svcs[1].path = "services/kpi.md";
	svcs[1].title = "Contacts – 48 hours";
	svcs[1].period = PERIOD_DAY;
	svcs[1].queue_factor = 4;
	svcs[1].series = &s_kpi;
	svcs[1].metrics = &kpimetric;
	svcs[1].nmetrics = 1;
	svcs[1].body = "Short page.\n";

	memset(&pack, 0, sizeof(pack));
	pack.title = "Test Pack: Victim Services";
	pack.organisation = "Example PCC";
	pack.author = "Insight";
	pack.date = "2024-12-31";
	pack.period_label = "December 2024";
	pack.meeting = "Public Board";
	pack.recommendation = "The Board is asked to note the report.";
	pack.index_body = "# Executive summary\n\nAll well.\n\n"
	    "```chart\ntype: ipr\n```\n";
	pack.index_path = "index.md";
	pack.services = svcs;
	pack.nservices = 2;
	analysis_run(&pack, 1);
	chart_palette_default(&pal);
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int
teardown(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < pack.nservices; i++)
		analysis_free(pack.services[i].an);
	rmdir(dir);
	return 0;
}

/* Whether n bytes of s occur in b[0..len). */
static const char *
has(const char *b, size_t len, const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(b + i, s, n) == 0)
			return b + i;
	return NULL;
}

static void
is_pdf(const struct buf *b)
{
	assert_true(b->len > 1000);
	assert_memory_equal(b->data, "%PDF-", 5);
	assert_non_null(has(b->data, b->len, "%%EOF", 5));
	/* The pack date, never the clock. */
	assert_non_null(has(b->data, b->len, "D:20241231", 10));
	assert_null(has(b->data, b->len, "/Subtype /Image", 15));
}

static void
test_service_deterministic(void **state)
{
	struct buf	 a, b;
	size_t		 i;

	(void)state;
	for (i = 0; i < pack.nservices; i++) {
		buf_init(&a);
		buf_init(&b);
		assert_int_equal(pdf_service_buf(&pack, &svcs[i], &pal, "x.pdf",
		    &a), 0);
		assert_int_equal(pdf_service_buf(&pack, &svcs[i], &pal, "x.pdf",
		    &b), 0);
		is_pdf(&a);
		assert_true(a.len < 150 * 1024);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.data, b.data, a.len);
		buf_clear(&a);
		buf_clear(&b);
	}
}

static void
test_pack(void **state)
{
	struct buf	 a, b;
	char		*name;

	(void)state;
	buf_init(&a);
	buf_init(&b);
	assert_int_equal(pdf_pack_buf(&pack, &pal, "p.pdf", &a), 0);
	assert_int_equal(pdf_pack_buf(&pack, &pal, "p.pdf", &b), 0);
	is_pdf(&a);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	/* Outline (bookmarks) for the contents. */
	assert_non_null(has(a.data, a.len, "/Outlines", 9));
	buf_clear(&a);
	buf_clear(&b);

	name = pdf_pack_name(&pack);
	assert_string_equal(name, "test-pack-victim-services");
	free(name);
	pack.title = " !! ";
	name = pdf_pack_name(&pack);
	assert_string_equal(name, "pack");
	free(name);
	pack.title = "KPI";		/* a service's id */
	name = pdf_pack_name(&pack);
	assert_string_equal(name, "kpi-pack");
	free(name);
	pack.title = "Test Pack: Victim Services";
}

/* Files in dir (the temporary file must not be left behind). */
static size_t
count_files(const char *d)
{
	DIR		*dp = opendir(d);
	struct dirent	*e;
	size_t		 n = 0;

	assert_non_null(dp);
	while ((e = readdir(dp)) != NULL)
		n += e->d_name[0] != '.';
	closedir(dp);
	return n;
}

static void
test_write(void **state)
{
	char		*path, *sub;
	char		*data;
	size_t		 len;
	struct buf	 mem;

	(void)state;
	path = xasprintf("%s/pdf/idva.pdf", dir);
	assert_int_equal(pdf_service(&pack, &svcs[0], &pal, path), 0);
	data = util_file_read(path, &len);
	assert_non_null(data);
	assert_memory_equal(data, "%PDF-", 5);
	buf_init(&mem);
	assert_int_equal(pdf_service_buf(&pack, &svcs[0], &pal, path, &mem),
	    0);
	assert_int_equal(len, mem.len);
	assert_memory_equal(data, mem.data, len);
	buf_clear(&mem);
	free(data);
	sub = xasprintf("%s/pdf", dir);
	assert_int_equal(count_files(sub), 1);
	unlink(path);
	rmdir(sub);
	free(sub);
	free(path);
}

static void
test_write_error(void **state)
{
	char	*blocker, *path;
	size_t	 before;

	(void)state;
	/* A regular file where the directory should be. */
	blocker = xasprintf("%s/file", dir);
	assert_int_equal(util_file_write(blocker, "x", 1), 0);
	path = xasprintf("%s/file/idva.pdf", dir);
	before = diag_errors();
	fflush(stderr);
	assert_int_equal(pdf_service(&pack, &svcs[0], &pal, path), -1);
	assert_int_equal(diag_errors(), before + 1);
	assert_int_equal(pdf_pack(&pack, &pal, path), -1);
	assert_int_equal(diag_errors(), before + 2);
	assert_int_equal(count_files(dir), 1);
	unlink(blocker);
	free(blocker);
	free(path);
}

static void
test_wide_chars(void **state)
{
	struct buf	 a, b, c;

	(void)state;
	buf_init(&a);
	buf_init(&b);
	buf_init(&c);
	assert_int_equal(pdf_service_buf(&pack, &svcs[1], &pal, "k.pdf", &c),
	    0);
	/* A ligature and a card suit: past U+2600, so the fonts' maps
	 * cover every code (pdf_font_fix). */
	svcs[1].body = "Short page: \xef\xac\x81nal \xe2\x99\xa0.\n";
	assert_int_equal(pdf_service_buf(&pack, &svcs[1], &pal, "k.pdf", &a),
	    0);
	assert_int_equal(pdf_service_buf(&pack, &svcs[1], &pal, "k.pdf", &b),
	    0);
	svcs[1].body = "Short page.\n";
	is_pdf(&a);
	assert_true(a.len < 150 * 1024);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	assert_true(a.len != c.len || memcmp(a.data, c.data, a.len) != 0);
	buf_clear(&a);
	buf_clear(&b);
	buf_clear(&c);
}

/* Font subsets kept from earlier documents (pdfharu.c, pdf_font_ready)
 * give the same bytes as those libharu makes, also when only the
 * second font's (bold) subset is kept: a and b draw the same bold
 * glyphs and different regular ones, so the first b finds its bold
 * subset kept and its regular one not, the second finds both. */
static void
test_font_subsets(void **state)
{
	struct buf	 a, b1, b2;

	(void)state;
	buf_init(&a);
	buf_init(&b1);
	buf_init(&b2);
	svcs[1].body = "**Zebra** plain \xc3\x85\xc3\x86.\n";
	assert_int_equal(pdf_service_buf(&pack, &svcs[1], &pal, "s.pdf", &a),
	    0);
	svcs[1].body = "**Zebra** plain \xc3\x98\xc3\x9e.\n";
	assert_int_equal(pdf_service_buf(&pack, &svcs[1], &pal, "s.pdf",
	    &b1), 0);
	assert_int_equal(pdf_service_buf(&pack, &svcs[1], &pal, "s.pdf",
	    &b2), 0);
	svcs[1].body = "Short page.\n";
	is_pdf(&b1);
	assert_true(a.len != b1.len || memcmp(a.data, b1.data, a.len) != 0);
	assert_int_equal(b1.len, b2.len);
	assert_memory_equal(b1.data, b2.data, b1.len);
	buf_clear(&a);
	buf_clear(&b1);
	buf_clear(&b2);
}

static void *
render(void *arg)
{
	struct buf	*b = arg;

	if (pdf_service_buf(&pack, &svcs[0], &pal, "t.pdf", b) != 0)
		b->len = 0;
	return NULL;
}

static void
test_threads(void **state)
{
	pthread_t	 th[4];
	struct buf	 one, b[4];
	size_t		 i;

	(void)state;
	buf_init(&one);
	assert_int_equal(pdf_service_buf(&pack, &svcs[0], &pal, "t.pdf",
	    &one), 0);
	for (i = 0; i < 4; i++) {
		buf_init(&b[i]);
		assert_int_equal(pthread_create(&th[i], NULL, render, &b[i]),
		    0);
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(b[i].len, one.len);
		assert_memory_equal(b[i].data, one.data, one.len);
		buf_clear(&b[i]);
	}
	buf_clear(&one);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_service_deterministic),
		cmocka_unit_test(test_pack),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_wide_chars),
		cmocka_unit_test(test_font_subsets),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
