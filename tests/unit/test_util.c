/*
 * test_util.c: the lead's util.c helpers: ISO dates and period keys,
 * R type-7 percentiles (values worked out by hand and checked against
 * R's quantile()), strict number parsing and formatting (util_fmt_g
 * checked byte for byte against snprintf), buffers,
 * edit distance and the parallel-for.
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

#include "util.h"
#include "splitmix.h"

static void
near(double got, double want)
{
	if (!(fabs(got - want) <= 1e-9 * (fabs(want) > 1 ? fabs(want) : 1)))
		fail_msg("got %.12g, want %.12g", got, want);
}

static void
test_civil(void **state)
{
	int64_t		 z;
	int		 y;
	unsigned	 m, d;

	(void)state;
	assert_int_equal(util_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(util_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(util_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(util_days_from_civil(2024, 1, 1), 19723);
	assert_int_equal(util_days_from_civil(2024, 2, 29), 19782);
	assert_int_equal(util_days_from_civil(2024, 3, 1), 19783);
	assert_int_equal(util_days_from_civil(2023, 3, 1) -
	    util_days_from_civil(2023, 2, 28), 1);
	assert_int_equal(util_days_from_civil(2001, 1, 1) -
	    util_days_from_civil(2000, 1, 1), 366);
	assert_int_equal(util_days_from_civil(1901, 1, 1) -
	    util_days_from_civil(1900, 1, 1), 365);
	for (z = -800000; z <= 800000; z += 97) {
		util_civil_from_days(z, &y, &m, &d);
		assert_int_equal(util_days_from_civil(y, m, d), z);
	}
	util_civil_from_days(19782, &y, &m, &d);
	assert_int_equal(y, 2024);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
}

static void
test_weekday(void **state)
{
	(void)state;
	assert_int_equal(util_weekday(0), 3);		/* Thu 1970-01-01 */
	assert_int_equal(util_weekday(19723), 0);	/* Mon 2024-01-01 */
	assert_int_equal(util_weekday(util_days_from_civil(2024, 12, 31)),
	    1);						/* Tuesday */
	assert_int_equal(util_weekday(-4), 6);		/* Sun 1969-12-28 */
	assert_int_equal(util_weekday(-3), 0);		/* Mon 1969-12-29 */
}

static void
test_day_parse(void **state)
{
	int64_t	 k;

	(void)state;
	assert_true(util_day_parse("2024-02-29", &k));
	assert_int_equal(k, 19782);
	assert_false(util_day_parse("2023-02-29", &k));
	assert_true(util_day_parse("2000-02-29", &k));
	assert_false(util_day_parse("1900-02-29", &k));
	assert_false(util_day_parse("2024-04-31", &k));
	assert_false(util_day_parse("2024-13-01", &k));
	assert_false(util_day_parse("2024-00-10", &k));
	assert_false(util_day_parse("2024-01-00", &k));
	assert_false(util_day_parse("2024-1-01", &k));
	assert_false(util_day_parse("2024-01-01x", &k));
	assert_false(util_day_parse("2024/01/01", &k));
	assert_false(util_day_parse("", &k));
	assert_true(util_date_parse("2024-12-31", PERIOD_DAY, &k));
	assert_int_equal(k, util_days_from_civil(2024, 12, 31));
}

static void
test_month_keys(void **state)
{
	int64_t	 k, k2;
	char	 s[32];

	(void)state;
	assert_true(util_date_parse("2024-03", PERIOD_MONTH, &k));
	assert_int_equal(k, util_days_from_civil(2024, 3, 1));
	assert_true(util_date_parse("2024-03-01", PERIOD_MONTH, &k2));
	assert_int_equal(k, k2);
	assert_false(util_date_parse("2024-03-02", PERIOD_MONTH, &k));
	assert_false(util_date_parse("2024-13", PERIOD_MONTH, &k));
	assert_false(util_date_parse("2024-3", PERIOD_MONTH, &k));
	util_date_format(s, sizeof(s), PERIOD_MONTH, k2);
	assert_string_equal(s, "2024-03");
	k = util_date_next(PERIOD_MONTH, util_days_from_civil(2024, 12, 1));
	assert_int_equal(k, util_days_from_civil(2025, 1, 1));
	k = util_date_next(PERIOD_MONTH, util_days_from_civil(2024, 1, 1));
	assert_int_equal(k, util_days_from_civil(2024, 2, 1));
	util_date_format(s, sizeof(s), PERIOD_MONTH, k);
	assert_string_equal(s, "2024-02");
	assert_int_equal(util_key_day(PERIOD_MONTH, k), k);
}

static void
test_week_keys(void **state)
{
	int64_t	 k;
	char	 s[32];

	(void)state;
	/* Weeks may start on any weekday: a Sunday here. */
	assert_true(util_date_parse("2024-01-07", PERIOD_WEEK, &k));
	assert_int_equal(k, 19729);
	assert_int_equal(util_weekday(k), 6);
	k = util_date_next(PERIOD_WEEK, k);
	assert_int_equal(k, 19736);
	util_date_format(s, sizeof(s), PERIOD_WEEK, k);
	assert_string_equal(s, "2024-01-14");
	/* Across a year end. */
	k = util_date_next(PERIOD_WEEK, util_days_from_civil(2024, 12, 29));
	util_date_format(s, sizeof(s), PERIOD_WEEK, k);
	assert_string_equal(s, "2025-01-05");
	assert_false(util_date_parse("2024-01", PERIOD_WEEK, &k));
}

static void
test_hour_keys(void **state)
{
	int64_t	 k;
	char	 s[32];

	(void)state;
	assert_true(util_date_parse("2024-01-01T05", PERIOD_HOUR, &k));
	assert_int_equal(k, 19723 * 24 + 5);
	util_date_format(s, sizeof(s), PERIOD_HOUR, k);
	assert_string_equal(s, "2024-01-01T05");
	assert_int_equal(util_key_day(PERIOD_HOUR, k), 19723);
	assert_false(util_date_parse("2024-01-01T24", PERIOD_HOUR, &k));
	assert_false(util_date_parse("2024-01-01", PERIOD_HOUR, &k));
	assert_false(util_date_parse("2024-01-01 05", PERIOD_HOUR, &k));
	assert_false(util_date_parse("2024-01-01T5", PERIOD_HOUR, &k));
	assert_true(util_date_parse("2024-02-29T23", PERIOD_HOUR, &k));
	k = util_date_next(PERIOD_HOUR, k);
	util_date_format(s, sizeof(s), PERIOD_HOUR, k);
	assert_string_equal(s, "2024-03-01T00");
	/* Before 1970: floor division. */
	assert_true(util_date_parse("1969-12-31T23", PERIOD_HOUR, &k));
	assert_int_equal(k, -1);
	assert_int_equal(util_key_day(PERIOD_HOUR, k), -1);
	util_date_format(s, sizeof(s), PERIOD_HOUR, k);
	assert_string_equal(s, "1969-12-31T23");
	/* Daily: next is the next day, across Feb 29. */
	k = util_date_next(PERIOD_DAY, 19782);
	util_date_format(s, sizeof(s), PERIOD_DAY, k);
	assert_string_equal(s, "2024-03-01");
}

static void
test_periods(void **state)
{
	(void)state;
	near(util_period_days(PERIOD_HOUR), 1.0 / 24);
	near(util_period_days(PERIOD_DAY), 1);
	near(util_period_days(PERIOD_WEEK), 7);
	near(util_period_days(PERIOD_MONTH), 30.4375);
	assert_string_equal(util_period_name(PERIOD_HOUR), "hour");
	assert_string_equal(util_period_name(PERIOD_DAY), "day");
	assert_string_equal(util_period_name(PERIOD_WEEK), "week");
	assert_string_equal(util_period_name(PERIOD_MONTH), "month");
}

/* R: quantile(x, p, type = 7); h = (n - 1) p, 0-based. */
static void
test_pct_type7(void **state)
{
	double	 a[] = { 1, 2, 3, 4 };
	double	 b[] = { 15, 20, 35, 40, 50 };
	double	 one[] = { 7 };
	double	 raw[] = { 3, NAN, 1, INFINITY, 2, -INFINITY };
	double	 out[6];

	(void)state;
	near(util_pct_sorted(a, 4, 50), 2.5);
	near(util_pct_sorted(a, 4, 25), 1.75);
	near(util_pct_sorted(a, 4, 90), 3.7);
	near(util_pct_sorted(a, 4, 0), 1);
	near(util_pct_sorted(a, 4, 100), 4);
	near(util_pct_sorted(b, 5, 40), 29);
	near(util_pct_sorted(b, 5, 10), 17);
	near(util_pct_sorted(b, 5, 95), 48);
	near(util_pct_sorted(one, 1, 90), 7);
	assert_true(isnan(util_pct_sorted(a, 0, 50)));
	assert_int_equal(util_sorted_finite(raw, 6, out), 3);
	near(out[0], 1);
	near(out[1], 2);
	near(out[2], 3);
}

static void
test_mean_sd(void **state)
{
	double	 v[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	double	 m[] = { 1, NAN, 3 };
	double	 one[] = { 5 };

	(void)state;
	near(util_mean(v, 8), 5);
	near(util_sd(v, 8), sqrt(32.0 / 7));
	near(util_mean(m, 3), 2);
	near(util_sd(m, 3), sqrt(2.0));
	assert_true(isnan(util_sd(one, 1)));
	assert_true(isnan(util_mean(v, 0)));
}

static void
test_parse_double(void **state)
{
	double	 v = 0;
	long	 l = 0;

	(void)state;
	assert_false(util_parse_double("12a", &v));
	assert_false(util_parse_double("", &v));
	assert_false(util_parse_double("  ", &v));
	assert_false(util_parse_double("nan", &v));
	assert_false(util_parse_double("NaN", &v));
	assert_false(util_parse_double("inf", &v));
	assert_false(util_parse_double("-inf", &v));
	assert_false(util_parse_double("1e999", &v));
	assert_false(util_parse_double("0x10", &v));
	assert_false(util_parse_double("-", &v));
	assert_false(util_parse_double("1,5", &v));
	assert_true(util_parse_double(" 3.5 ", &v));
	near(v, 3.5);
	assert_true(util_parse_double("1e3", &v));
	near(v, 1000);
	assert_true(util_parse_double("-2", &v));
	near(v, -2);
	assert_true(util_parse_double("+.5", &v));
	near(v, 0.5);
	assert_true(util_parse_long("42", &l));
	assert_int_equal(l, 42);
	assert_false(util_parse_long("4.2", &l));
	assert_false(util_parse_long("", &l));
	assert_false(util_parse_long("99999999999999999999999", &l));
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The strtod-free path of util_parse_double gives strtod's bits. */
static void
test_parse_double_fast(void **state)
{
	uint64_t	 st = 7;
	char		 s[40];
	double		 v, w;
	int		 i, k, a, b, p;

	(void)state;
	assert_true(util_parse_double("-0", &v));
	assert_true(v == 0 && signbit(v));
	assert_true(util_parse_double("5.", &v));
	near(v, 5);
	assert_false(util_parse_double(".", &v));
	assert_false(util_parse_double("1.2.3", &v));
	assert_true(util_parse_double("0.1", &v));
	assert_true(v == 0.1);
	for (i = 0; i < 200000; i++) {
		p = 0;
		a = (int)(mix_next(&st) % 12);
		b = (int)(mix_next(&st) % 12);
		if (mix_next(&st) & 1)
			s[p++] = '-';
		for (k = 0; k < a; k++)
			s[p++] = (char)('0' + mix_next(&st) % 10);
		if (b > 0)
			s[p++] = '.';
		for (k = 0; k < b; k++)
			s[p++] = (char)('0' + mix_next(&st) % 10);
		s[p] = '\0';
		if (a + b == 0)
			continue;
		assert_true(util_parse_double(s, &v));
		w = strtod(s, NULL);
		if (memcmp(&v, &w, sizeof(v)) != 0)
			fail_msg("%s: %.17g, strtod %.17g", s, v, w);
	}
}

/* util_sort_doubles: the order of a stable sort, -0 and 0 kept as
 * they came (glibc's qsort is a stable merge sort). */
static void
test_sort_doubles(void **state)
{
	uint64_t	 st = 11;
	double		*a, *b;
	size_t		 n, i, it;

	(void)state;
	a = xcalloc(3000, sizeof(double));
	b = xcalloc(3000, sizeof(double));
	for (it = 0; it < 300; it++) {
		n = (size_t)(mix_next(&st) % (it % 10 == 0 ? 3000 : 40));
		for (i = 0; i < n; i++) {
			a[i] = (double)(mix_next(&st) % 7) - 3;
			if (a[i] == 0 && (mix_next(&st) & 1))
				a[i] = -0.0;
			if (it & 1)
				a[i] += (double)(mix_next(&st) % 1000) / 8;
		}
		memcpy(b, a, n * sizeof(double));
		qsort(b, n, sizeof(double), cmp_double);
		util_sort_doubles(a, n);
		assert_memory_equal(a, b, n * sizeof(double));
	}
	free(a);
	free(b);
}

static void
test_fmt_num(void **state)
{
	char	 s[64];

	(void)state;
	util_fmt_num(s, sizeof(s), 720);
	assert_string_equal(s, "720");
	util_fmt_num(s, sizeof(s), 0.1);
	assert_string_equal(s, "0.1");
	util_fmt_num(s, sizeof(s), -0.0);
	assert_string_equal(s, "0");
	util_fmt_num(s, sizeof(s), 1.0 / 3);
	assert_string_equal(s, "0.3333333333");
	util_fmt_num(s, sizeof(s), -2.5);
	assert_string_equal(s, "-2.5");
	util_fmt_num(s, sizeof(s), NAN);
	assert_string_equal(s, "");
	util_fmt_num(s, sizeof(s), INFINITY);
	assert_string_equal(s, "");
}

/* util_fmt_g(v, sig) against snprintf "%.*g" for sig 1..17. */
static void
fmt_g_check(double v)
{
	char	 got[UTIL_FMT_G_SIZE], want[64];
	size_t	 n;
	int	 sig;

	for (sig = 1; sig <= 17; sig++) {
		n = util_fmt_g(got, v, sig);
		snprintf(want, sizeof(want), "%.*g", sig, v);
		if (strcmp(got, want) != 0 || n != strlen(want))
			fail_msg("%%.%dg of %a: got \"%s\", want \"%s\"", sig,
			    v, got, want);
	}
}

/* util_fmt_f(v, dec) against snprintf "%.*f" for dec 0..10 (values
 * whose text would not fit UTIL_FMT_G_SIZE give ""). */
static void
fmt_f_check(double v)
{
	char	 got[UTIL_FMT_G_SIZE], want[400];
	size_t	 n;
	int	 dec, w;

	for (dec = 0; dec <= 10; dec++) {
		n = util_fmt_f(got, v, dec);
		w = snprintf(want, sizeof(want), "%.*f", dec, v);
		if (w >= UTIL_FMT_G_SIZE)
			want[0] = '\0';
		if (strcmp(got, want) != 0 || n != strlen(want))
			fail_msg("%%.%df of %a: got \"%s\", want \"%s\"", dec,
			    v, got, want);
	}
}

static void
test_fmt_f(void **state)
{
	static const double fixed[] = {
		0, -0.0, 0.5, 1.5, 2.5, 0.05, 0.15, 0.25, 0.35, 0.045, 1.005,
		2.675, 0.1 + 0.2, 9.95, 99.95, 999.95, 0.0049999, 1e-11,
		5e-11, 1e14, 1e15, 1e16, 1e20, 1e300, 123456.789, 58.8,
		1125899906842624.0, 1125899906842623.5, 8.4 / 6.4, 1.0 / 3,
	};
	uint64_t	 st = 20251123, r;
	double		 v, m;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		fmt_f_check(fixed[i]);
		fmt_f_check(-fixed[i]);
	}
	fmt_f_check(NAN);
	fmt_f_check(INFINITY);
	for (i = 0; i < 30000; i++) {
		/* Integers and halves, then data-like short decimals. */
		fmt_f_check((double)i + (i & 1 ? 0.5 : 0));
		v = (double)(mix_next(&st) % 100000000) /
		    pow(10, (double)(mix_next(&st) % 12));
		fmt_f_check(i & 2 ? -v : v);
		/* Log-uniform over 1e-12 .. 1e17. */
		m = (double)(mix_next(&st) >> 11) * 0x1p-53;
		fmt_f_check(pow(10, -12 + 29 * m));
		r = mix_next(&st);
		memcpy(&v, &r, sizeof(v));
		if (isfinite(v))
			fmt_f_check(v);
	}
}

static void
test_fmt_g(void **state)
{
	static const double fixed[] = {
		0.5, 1.5, 2.5, 3.5, -0.5, -2.5, 0.25, 0.125, 0.375, 1e-5,
		1e-4, 1e-3, 0.1, 0.2, 0.3, 0.1 + 0.2, 1.0000000005,
		1.00000000005, 1.000000000005, 2.0000000000001, 9.5, 99.5,
		999.5, 9.9999999999995, 99999.99999995, 999999999999.5,
		0.99999999999995, 9.999999999995e-5, 1e15, 1e16, 1e17, 1e22,
		1e23, 1e300, 1e-300, 4.9406564584124654e-324, 1.7976931348623157e308,
		2.2250738585072014e-308, 9007199254740992.0, 9007199254740993.0,
		123456789012345.0, 1234567890123456.0, 0.000123456789012345,
		1.0 / 3, 2.0 / 3, 720, 58.8, 8.4 / 6.4, 780.0 / 384, -0.0, 0.0,
		1.25e-5, 9.5e-5, 0.00001, 0.0001, 5e-5, 5.5e-5,
	};
	uint64_t	 st = 20241231, r;
	double		 v, m;
	size_t		 i;
	int		 k;
	char		 s[UTIL_FMT_G_SIZE];

	(void)state;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		fmt_g_check(fixed[i]);
		fmt_g_check(-fixed[i]);
	}
	fmt_g_check(NAN);
	fmt_g_check(INFINITY);
	fmt_g_check(-INFINITY);
	/* Powers of ten and their neighbours, 1e-5 .. 1e16. */
	for (k = -5, v = 1e-5; k <= 16; k++, v *= 10) {
		m = k < 0 ? 1 / pow(10, -k) : pow(10, k);
		fmt_g_check(m);
		fmt_g_check(nextafter(m, 0));
		fmt_g_check(nextafter(m, INFINITY));
		fmt_g_check(-m);
		fmt_g_check(v);
	}
	/* Integers, halves and quarters. */
	for (i = 0; i < 20000; i++) {
		fmt_g_check((double)i);
		fmt_g_check((double)i + 0.5);
		fmt_g_check(-((double)i + 0.25));
		fmt_g_check((double)(mix_next(&st) >> (mix_next(&st) % 64)));
	}
	for (i = 0; i < 40000; i++) {
		r = mix_next(&st);
		/* Any finite double, every exponent alike. */
		memcpy(&v, &r, sizeof(v));
		if (isfinite(v))
			fmt_g_check(v);
		/* Log-uniform over 1e-7 .. 1e18, either sign. */
		m = (double)(mix_next(&st) >> 11) * 0x1p-53;
		v = pow(10, -7 + 25 * m);
		fmt_g_check(r & 1 ? -v : v);
		/* Short decimals: n / 10^k, as data looks (ties at sig). */
		v = (double)(mix_next(&st) % 100000000) /
		    pow(10, (double)(mix_next(&st) % 12));
		fmt_g_check(v);
		/* Ratios of small integers (utilisation, means). */
		v = (double)(mix_next(&st) % 100000) /
		    (double)(1 + mix_next(&st) % 1000);
		fmt_g_check(v);
	}
	/* sig is clamped to 1..17. */
	util_fmt_g(s, 2.5, 0);
	assert_string_equal(s, "2");
	util_fmt_g(s, 0.1, 40);
	assert_string_equal(s, "0.10000000000000001");
}

/* util_date_format against the snprintf formats it replaces, for
 * every period, years 0000..9999 and beyond, and short buffers. */
static void
test_date_format(void **state)
{
	static const enum period ps[] = { PERIOD_HOUR, PERIOD_DAY,
				    PERIOD_WEEK, PERIOD_MONTH };
	char		 got[32], want[32];
	int64_t		 key, day;
	int		 y;
	unsigned	 m, d;
	size_t		 i, sz;

	(void)state;
	for (i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
		for (key = -800000; key < 3000000; key += 997) {
			day = ps[i] == PERIOD_HOUR ? (key >= 0 ? key / 24 :
			    (key - 23) / 24) : key;
			util_civil_from_days(day, &y, &m, &d);
			for (sz = 1; sz <= sizeof(got); sz += 5) {
				if (ps[i] == PERIOD_HOUR)
					snprintf(want, sz, "%04d-%02u-%02uT%02u",
					    y, m, d, (unsigned)(key - day * 24));
				else if (ps[i] == PERIOD_MONTH)
					snprintf(want, sz, "%04d-%02u", y, m);
				else
					snprintf(want, sz, "%04d-%02u-%02u", y,
					    m, d);
				memset(got, 'x', sizeof(got));
				util_date_format(got, sz, ps[i], key);
				assert_string_equal(got, want);
			}
		}
	}
}

static void
test_buf(void **state)
{
	struct buf	 b;
	char		*s;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "ab");
	buf_putc(&b, 'c');
	buf_printf(&b, "%d-%s", 12, "x");
	buf_put(&b, "yz", 1);
	assert_int_equal(b.len, 8);
	s = buf_release(&b);
	assert_string_equal(s, "abc12-xy");
	assert_null(b.data);
	free(s);
	s = xasprintf("%s/%u", "a", 3u);
	assert_string_equal(s, "a/3");
	free(s);
	s = util_path_join("content", "data/x.csv");
	assert_string_equal(s, "content/data/x.csv");
	free(s);
	/* Output longer than the spare room is formatted again. */
	buf_init(&b);
	buf_puts(&b, "a");
	buf_printf(&b, "%0200d|", 7);
	assert_int_equal(b.len, 202);
	assert_int_equal(b.data[200], '7');
	assert_string_equal(b.data + 201, "|");
	/* reserve, write, commit. */
	memcpy(buf_reserve(&b, 3), "xyz", 3);
	buf_commit(&b, 2);
	assert_int_equal(b.len, 204);
	assert_string_equal(b.data + 201, "|xy");
	buf_clear(&b);
}

static void
test_edit_distance(void **state)
{
	(void)state;
	assert_int_equal(util_edit_distance("kitten", "sitting"), 3);
	assert_int_equal(util_edit_distance("minutes_per_cse",
	    "minutes_per_case"), 1);
	assert_int_equal(util_edit_distance("", "abc"), 3);
	assert_int_equal(util_edit_distance("same", "same"), 0);
}

static void
square(size_t i, void *arg)
{
	long	*out = arg;

	out[i] = (long)(i * i);
}

static void
test_parallel_for(void **state)
{
	long	 out[100];
	int	 jobs[] = { 1, 3, 8, 200 };
	size_t	 i, j;

	(void)state;
	for (j = 0; j < sizeof(jobs) / sizeof(jobs[0]); j++) {
		memset(out, 0xff, sizeof(out));
		util_parallel_for(100, jobs[j], square, out);
		for (i = 0; i < 100; i++)
			assert_int_equal(out[i], (long)(i * i));
	}
	util_parallel_for(0, 4, square, out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_civil),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_day_parse),
		cmocka_unit_test(test_month_keys),
		cmocka_unit_test(test_week_keys),
		cmocka_unit_test(test_hour_keys),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_pct_type7),
		cmocka_unit_test(test_mean_sd),
		cmocka_unit_test(test_parse_double),
		cmocka_unit_test(test_parse_double_fast),
		cmocka_unit_test(test_sort_doubles),
		cmocka_unit_test(test_fmt_num),
		cmocka_unit_test(test_fmt_g),
		cmocka_unit_test(test_fmt_f),
		cmocka_unit_test(test_date_format),
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_edit_distance),
		cmocka_unit_test(test_parallel_for),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
