/*
 * test_series.c: CSV loading (SPEC 3.3): keys, values, missing cells,
 * BOM and CRLF, physical line numbers across quoted newlines, and the
 * errors that make series_parse return NULL.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "diag.h"
#include "series.h"
#include "util.h"

static const struct series_req reqs[] = {
	{ "date", SERIES_DATE, { "x.md", 3, 7 } },
	{ "referrals", SERIES_DEMAND, { "x.md", 6, 11 } },
	{ "staff", SERIES_CAPACITY, { "x.md", 9, 11 } },
	{ "pct", SERIES_METRIC, { "x.md", 14, 13 } },
};
#define NREQS (sizeof(reqs) / sizeof(reqs[0]))

static struct series *
parse(const char *csv, enum period p)
{
	return series_parse(csv, strlen(csv), "x.csv", p, reqs, NREQS);
}

static void
test_daily(void **state)
{
	struct series	*s;
	const double	*v;

	(void)state;
	diag_reset();
	s = parse("date,note,referrals,staff,pct\n"
	    "2024-01-01,a,12,2,90.5\n"
	    "2024-01-02,b,10,2,NA\n"
	    "2024-01-03,c,0,3,\n"
	    "2024-01-04,d,7,2,.\n", PERIOD_DAY);
	assert_non_null(s);
	assert_int_equal(diag_errors(), 0);
	assert_int_equal(s->n, 4);
	assert_int_equal(s->ncols, 3);
	assert_int_equal(s->key[0], util_days_from_civil(2024, 1, 1));
	assert_int_equal(s->key[3], s->key[0] + 3);
	assert_int_equal(s->line[0], 2);
	assert_int_equal(s->line[3], 5);
	v = series_column(s, "referrals");
	assert_non_null(v);
	assert_true(v[0] == 12 && v[2] == 0);
	v = series_column(s, "pct");
	assert_true(v[0] == 90.5);
	assert_true(isnan(v[1]) && isnan(v[2]) && isnan(v[3]));
	assert_null(series_column(s, "note"));
	assert_null(series_column(s, "date"));
	series_free(s);
}

static void
test_bom_crlf_quotes(void **state)
{
	struct series	*s;

	(void)state;
	diag_reset();
	/* The quoted note spans lines 3-4, so the next row is on line 5. */
	s = parse("\xef\xbb\xbf" "date,referrals,\"staff\",pct,note\r\n"
	    "2024-01-01,1,2,3,x\r\n"
	    "2024-01-02,\" 4 \",2,3,\"two\r\nlines, \"\"quoted\"\"\"\r\n"
	    "\r\n"
	    "2024-01-03,5,2,3,y\r\n", PERIOD_DAY);
	assert_non_null(s);
	assert_int_equal(s->n, 3);
	assert_int_equal(s->line[1], 3);
	assert_int_equal(s->line[2], 6);
	assert_true(series_column(s, "referrals")[1] == 4);
	series_free(s);
}

static void
test_periods(void **state)
{
	struct series	*s;

	(void)state;
	diag_reset();
	s = parse("date,referrals,staff,pct\n2023-12,1,1,1\n2024-01-01,1,1,1\n"
	    "2024-02,1,1,1\n", PERIOD_MONTH);
	assert_non_null(s);
	assert_int_equal(s->key[1], util_days_from_civil(2024, 1, 1));
	assert_int_equal(s->key[2], util_days_from_civil(2024, 2, 1));
	series_free(s);
	s = parse("date,referrals,staff,pct\n2024-03-31T23,1,1,1\n"
	    "2024-04-01T00,1,1,1\n", PERIOD_HOUR);
	assert_non_null(s);
	assert_int_equal(s->key[1], s->key[0] + 1);
	assert_int_equal(s->key[1], util_days_from_civil(2024, 4, 1) * 24);
	series_free(s);
	s = parse("date,referrals,staff,pct\n2024-01-03,1,1,1\n"
	    "2024-01-10,1,1,1\n", PERIOD_WEEK);
	assert_non_null(s);
	series_free(s);
	assert_int_equal(diag_errors(), 0);
}

/* Each input must be rejected with exactly nerr errors. */
static void
expect_errors(const char *csv, enum period p, size_t nerr)
{
	struct series	*s;

	diag_reset();
	s = parse(csv, p);
	assert_null(s);
	assert_int_equal(diag_errors(), nerr);
}

static void
test_errors(void **state)
{
	(void)state;
	/* gap, non-number, missing demand, negative capacity */
	expect_errors("date,referrals,staff,pct\n2024-01-01,1,1,1\n"
	    "2024-01-03,1,1,1\n", PERIOD_DAY, 1);
	expect_errors("date,referrals,staff,pct\n2024-01-01,12a,1,1\n",
	    PERIOD_DAY, 1);
	expect_errors("date,referrals,staff,pct\n2024-01-01,,1,1\n"
	    "2024-01-02,NA,-1,1\n", PERIOD_DAY, 3);
	/* duplicate, decreasing, bad date */
	expect_errors("date,referrals,staff,pct\n2024-01-02,1,1,1\n"
	    "2024-01-02,1,1,1\n2024-01-01,1,1,1\n2024-13-01,1,1,1\n",
	    PERIOD_DAY, 3);
	/* weekly and monthly gaps; hourly gap */
	expect_errors("date,referrals,staff,pct\n2024-01-01,1,1,1\n"
	    "2024-01-15,1,1,1\n", PERIOD_WEEK, 1);
	expect_errors("date,referrals,staff,pct\n2024-01,1,1,1\n"
	    "2024-03,1,1,1\n", PERIOD_MONTH, 1);
	expect_errors("date,referrals,staff,pct\n2024-01-01T01,1,1,1\n"
	    "2024-01-01T03,1,1,1\n", PERIOD_HOUR, 1);
	/* missing columns (two), ragged row, stray quote, open quote */
	expect_errors("date,referals,pct\n2024-01-01,1,1\n", PERIOD_DAY, 2);
	expect_errors("date,referrals,staff,pct\n2024-01-01,1,1\n",
	    PERIOD_DAY, 1);
	expect_errors("date,referrals,staff,pct\n2024-01-01,1\"x,1,1\n",
	    PERIOD_DAY, 1);
	expect_errors("date,referrals,staff,pct\n2024-01-01,1,1,\"1\n",
	    PERIOD_DAY, 1);
	/* empty file, header only */
	expect_errors("", PERIOD_DAY, 1);
	expect_errors("date,referrals,staff,pct\n", PERIOD_DAY, 1);
}

static void
test_error_cap(void **state)
{
	struct buf	 b;
	int		 i;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "date,referrals,staff,pct\n");
	for (i = 1; i <= 28; i++)
		buf_printf(&b, "2024-02-%02d,x,y,1\n", i);
	diag_reset();
	assert_null(parse(b.data, PERIOD_DAY));
	/* 50 errors, then one "too many errors" line. */
	assert_int_equal(diag_errors(), SERIES_MAX_ERRORS + 1);
	buf_clear(&b);
}

static void
test_shared_column(void **state)
{
	static const struct series_req r2[] = {
		{ "when", SERIES_DATE, { "x.md", 1, 1 } },
		{ "n", SERIES_DEMAND, { "x.md", 2, 1 } },
		{ "n", SERIES_METRIC, { "x.md", 3, 1 } },
	};
	struct series	*s;
	const char	*csv = "when,n\n2024-01-01,3\n";

	(void)state;
	diag_reset();
	s = series_parse(csv, strlen(csv), "y.csv", PERIOD_DAY, r2, 3);
	assert_non_null(s);
	assert_int_equal(s->ncols, 1);
	series_free(s);
	diag_reset();
	csv = "when,n\n2024-01-01,\n";
	assert_null(series_parse(csv, strlen(csv), "y.csv", PERIOD_DAY,
	    r2, 3));
	assert_int_equal(diag_errors(), 1);
	series_free(NULL);
}

/* Limits and hostile bytes: each is one error and no series. */
static void
test_limits(void **state)
{
	struct buf	 b;
	size_t		 i;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "date,referrals,staff,pct\n2024-01-01,1,2,\"");
	for (i = 0; i <= SERIES_MAX_LINE; i++)
		buf_putc(&b, '7');
	buf_puts(&b, "\"\n");
	diag_reset();
	assert_null(series_parse(b.data, b.len, "x.csv", PERIOD_DAY, reqs,
	    NREQS));
	assert_int_equal(diag_errors(), 1);
	buf_clear(&b);

	diag_reset();
	assert_null(series_parse("date,referrals,staff,pct\n"
	    "2024-01-01,1\0,2,3\n", 39, "x.csv", PERIOD_DAY, reqs, NREQS));
	assert_int_equal(diag_errors(), 1);

	diag_reset();
	assert_null(parse("date,referrals,staff,pct\n2024-01-01,NaN,2,3\n"
	    "2024-01-02,1,inf,3\n2024-01-03,1,2,1e999\n"
	    "2024-01-04,1,2,-Infinity\n", PERIOD_DAY));
	assert_int_equal(diag_errors(), 4);
}

/* Writes text to a temporary file; returns its path (static). */
static const char *
tmpfile_with(const char *text, size_t len)
{
	static char	 path[] = "/tmp/test_series.XXXXXX";
	int		 fd;

	memcpy(path + sizeof(path) - 7, "XXXXXX", 6);
	fd = mkstemp(path);
	assert_true(fd != -1);
	assert_true(write(fd, text, len) == (ssize_t)len);
	close(fd);
	return path;
}

/* series_load streams the file in SERIES_CHUNK reads: lines that span
 * two reads, a BOM, CRLF and no final newline give what series_parse
 * gives on the whole text. */
static void
test_load_stream(void **state)
{
	struct series	*a, *b;
	struct srcpos	 pos = { "x.md", 3, 7 };
	struct buf	 t;
	const char	*path;
	int64_t		 day = util_days_from_civil(2000, 1, 1);
	char		 d[32];
	size_t		 i;

	(void)state;
	buf_init(&t);
	buf_puts(&t, "\xef\xbb\xbf" "date,note,referrals,staff,pct\r\n");
	for (i = 0; t.len < 3 * SERIES_CHUNK; i++) {
		util_date_format(d, sizeof(d), PERIOD_DAY, day + (int64_t)i);
		buf_printf(&t, "%s,\"note %zu\nsecond line\",%zu,%zu,%zu.5"
		    "%s", d, i, i % 9, 1 + i % 4, i % 100,
		    t.len < 3 * SERIES_CHUNK - 64 ? "\r\n" : "");
	}
	diag_reset();
	a = series_parse(t.data, t.len, "x.csv", PERIOD_DAY, reqs, NREQS);
	path = tmpfile_with(t.data, t.len);
	b = series_load(path, pos, PERIOD_DAY, reqs, NREQS);
	unlink(path);
	assert_int_equal(diag_errors(), 0);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->n, i);
	assert_int_equal(a->n, b->n);
	assert_int_equal(a->ncols, b->ncols);
	assert_memory_equal(a->key, b->key, a->n * sizeof(*a->key));
	assert_memory_equal(a->line, b->line, a->n * sizeof(*a->line));
	assert_int_equal(b->line[1], 4);	/* two lines a row */
	for (i = 0; i < a->ncols; i++)
		assert_memory_equal(a->cols[i].v, b->cols[i].v,
		    a->n * sizeof(double));
	series_free(a);
	series_free(b);

	/* A line over the limit, streamed: one error. */
	t.len = 0;
	buf_puts(&t, "date,referrals,staff,pct\n2024-01-01,1,2,3,");
	for (i = 0; i < 2 * SERIES_MAX_LINE; i++)
		buf_putc(&t, 'x');
	buf_puts(&t, "\n2024-01-02,1,2,3\n");
	path = tmpfile_with(t.data, t.len);
	diag_reset();
	assert_null(series_load(path, pos, PERIOD_DAY, reqs, NREQS));
	unlink(path);
	assert_int_equal(diag_errors(), 1);
	buf_clear(&t);

	/* Not a regular file. */
	diag_reset();
	assert_null(series_load("/tmp", pos, PERIOD_DAY, reqs, NREQS));
	assert_int_equal(diag_errors(), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_daily),
		cmocka_unit_test(test_bom_crlf_quotes),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_error_cap),
		cmocka_unit_test(test_shared_column),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_load_stream),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
