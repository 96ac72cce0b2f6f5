/*
 * test_profile.c: hour, weekday and month profiles of profile.c with
 * hand-worked numbers (R type 7: p-th percentile of sorted x[0..k-1] is
 * x[h] + frac(h) (x[h+1] - x[h]), h = (k - 1) p / 100).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "profile.h"
#include "util.h"

static void
near(double got, double want)
{
	if (isnan(want) && isnan(got))
		return;
	if (isnan(want) || isnan(got) || fabs(got - want) > 1e-12)
		fail_msg("got %.17g, want %.17g", got, want);
}

static void
bucket(const struct profile *p, size_t b, double mean, double p10,
    double p90)
{
	near(p->mean[b], mean);
	near(p->p10[b], p10);
	near(p->p90[b], p90);
}

/* 14 days from Monday 2024-01-01, values 1..14, Tuesday 2 missing:
 * Monday {1, 8}: mean 4.5, p10 1 + 0.1 * 7 = 1.7, p90 7.3. */
static void
test_weekday_daily(void **state)
{
	double v[14];
	int64_t k[14], d0 = util_days_from_civil(2024, 1, 1);
	struct profile *p;
	size_t i;

	(void)state;
	for (i = 0; i < 14; i++) {
		v[i] = (double)(i + 1);
		k[i] = d0 + (int64_t)i;
	}
	v[1] = NAN;
	p = profile_weekday(v, k, 14, PERIOD_DAY);
	assert_non_null(p);
	assert_int_equal(p->n, 7);
	bucket(p, 0, 4.5, 1.7, 7.3);
	bucket(p, 1, 9, 9, 9);		/* Tuesday: only 9 */
	bucket(p, 6, 10.5, 7.7, 13.3);	/* Sunday {7, 14} */
	profile_free(p);
	assert_null(profile_hour(v, k, 14, PERIOD_DAY));
	assert_null(profile_month(v, k, 14, PERIOD_DAY));
	assert_null(profile_weekday(v, k, 0, PERIOD_DAY));
	assert_null(profile_weekday(v, k, 14, PERIOD_WEEK));
	assert_null(profile_weekday(v, k, 14, PERIOD_MONTH));
}

/* 48 hours from 2024-01-01T00, value = hour index: hour 5 {5, 29}:
 * mean 17, p10 5 + 0.1 * 24 = 7.4, p90 26.6; Monday 0..23: mean 11.5,
 * p10 2.3, p90 20.7 (per hour, no day totals: see profile.c). */
static void
test_hourly(void **state)
{
	double v[48];
	int64_t k[48], h0 = util_days_from_civil(2024, 1, 1) * 24;
	struct profile *p;
	size_t i;

	(void)state;
	for (i = 0; i < 48; i++) {
		v[i] = (double)i;
		k[i] = h0 + (int64_t)i;
	}
	p = profile_hour(v, k, 48, PERIOD_HOUR);
	assert_non_null(p);
	assert_int_equal(p->n, 24);
	bucket(p, 5, 17, 7.4, 26.6);
	bucket(p, 0, 12, 2.4, 21.6);
	bucket(p, 23, 35, 25.4, 44.6);
	profile_free(p);

	p = profile_weekday(v, k, 48, PERIOD_HOUR);
	assert_non_null(p);
	bucket(p, 0, 11.5, 2.3, 20.7);
	bucket(p, 1, 35.5, 26.3, 44.7);
	for (i = 2; i < 7; i++)
		bucket(p, i, NAN, NAN, NAN);
	profile_free(p);
	assert_null(profile_month(v, k, 48, PERIOD_HOUR));

	/* Before 1970: hour -1 is 1969-12-31T23, a Wednesday. */
	v[0] = 4;
	k[0] = -1;
	p = profile_hour(v, k, 1, PERIOD_HOUR);
	bucket(p, 23, 4, 4, 4);
	profile_free(p);
	p = profile_weekday(v, k, 1, PERIOD_HOUR);
	bucket(p, 2, 4, 4, 4);
	profile_free(p);
}

/* Month profile: only when the periods cover >= 364 days. */
static void
test_month(void **state)
{
	double v[400];
	int64_t k[400], d0 = util_days_from_civil(2023, 1, 1);
	struct profile *p;
	int y;
	unsigned m, d;
	size_t i;

	(void)state;
	for (i = 0; i < 400; i++) {
		k[i] = d0 + (int64_t)i;
		util_civil_from_days(k[i], &y, &m, &d);
		v[i] = m;
	}
	/* 2023-01-01 .. 2023-12-30: 364 days. */
	near(profile_span_days(k, 364, PERIOD_DAY), 364);
	assert_null(profile_month(v, k, 363, PERIOD_DAY));
	p = profile_month(v, k, 364, PERIOD_DAY);
	assert_non_null(p);
	assert_int_equal(p->n, 12);
	for (i = 0; i < 12; i++)
		bucket(p, i, (double)(i + 1), (double)(i + 1),
		    (double)(i + 1));
	profile_free(p);

	/* Weekly: 52 weeks cover 364 days, 51 do not. */
	for (i = 0; i < 52; i++) {
		k[i] = d0 + 7 * (int64_t)i;
		v[i] = 1;
	}
	assert_null(profile_month(v, k, 51, PERIOD_WEEK));
	p = profile_month(v, k, 52, PERIOD_WEEK);
	assert_non_null(p);
	bucket(p, 11, 1, 1, 1);
	profile_free(p);

	/* Monthly, 2022-01 .. 2023-12, value 1 + index: January {1, 13}:
	 * mean 7, p10 1 + 0.1 * 12 = 2.2, p90 11.8.  Eleven months
	 * (334 days) are not enough; twelve (365) are. */
	for (i = 0; i < 24; i++) {
		k[i] = util_days_from_civil(2022 + (int)(i / 12),
		    (unsigned)(i % 12) + 1, 1);
		v[i] = (double)(i + 1);
	}
	assert_null(profile_month(v, k, 11, PERIOD_MONTH));
	p = profile_month(v, k, 12, PERIOD_MONTH);
	assert_non_null(p);
	profile_free(p);
	p = profile_month(v, k, 24, PERIOD_MONTH);
	bucket(p, 0, 7, 2.2, 11.8);
	bucket(p, 11, 18, 13.2, 22.8);
	profile_free(p);

	/* Hourly: 364 * 24 hours cover 364 days. */
	near(profile_span_days((const int64_t[]){0, 364 * 24 - 1}, 2,
	    PERIOD_HOUR), 364);
	assert_int_equal(profile_span_days(k, 0, PERIOD_DAY), 0);
	profile_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weekday_daily),
		cmocka_unit_test(test_hourly),
		cmocka_unit_test(test_month),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
