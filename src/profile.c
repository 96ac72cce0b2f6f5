/*
 * profile.c: mean, p10 and p90 of a per-period series by hour of day,
 * day of week and calendar month (SPEC 4.3).
 *
 * SPEC 4.3 asks for profiles "of the per-period demand in cases": the
 * simplest faithful reading, used here, is the per-period values that
 * fall in each bucket, with no aggregation.  So for hourly data the
 * weekday and month profiles describe hours (the mean hourly demand on
 * Mondays), and for daily data the month profile describes days.  The
 * three profiles of one series then share one unit, the period.
 */
#include <math.h>
#include <stdlib.h>

#include "profile.h"
#include "util.h"

/* SPEC 4.3: a month profile needs at least 364 days of data. */
#define PROFILE_MIN_DAYS 364

/* Builds a profile of nb buckets; bucket(key) gives each value's. */
static struct profile *
build(const double *v, const int64_t *keys, size_t n, enum period p,
    size_t nb, size_t (*bucket)(enum period, int64_t))
{
	struct profile *pr;
	double *tmp, *sorted;
	size_t b, i, k, *which;

	pr = xcalloc(1, sizeof(*pr));
	pr->n = nb;
	pr->mean = xcalloc(nb, sizeof(double));
	pr->p10 = xcalloc(nb, sizeof(double));
	pr->p90 = xcalloc(nb, sizeof(double));
	tmp = xcalloc(n + 1, sizeof(double));
	sorted = xcalloc(n + 1, sizeof(double));
	which = xcalloc(n + 1, sizeof(size_t));
	for (i = 0; i < n; i++)
		which[i] = bucket(p, keys[i]);
	for (b = 0; b < nb; b++) {
		for (i = k = 0; i < n; i++)
			if (which[i] == b)
				tmp[k++] = v[i];
		/* NAN values are skipped (SPEC 3.3: missing points). */
		k = util_sorted_finite(tmp, k, sorted);
		pr->mean[b] = util_mean(sorted, k);
		/* SPEC 4.3: all percentiles are R type 7. */
		pr->p10[b] = util_pct_sorted(sorted, k, 10);
		pr->p90[b] = util_pct_sorted(sorted, k, 90);
	}
	free(tmp);
	free(sorted);
	free(which);
	return pr;
}

static size_t
hour_of(enum period p, int64_t key)
{
	return (size_t)(key - util_key_day(p, key) * 24);
}

static size_t
weekday_of(enum period p, int64_t key)
{
	return util_weekday(util_key_day(p, key));
}

static size_t
month_of(enum period p, int64_t key)
{
	int y;
	unsigned m, d;

	/* A week counts in the month of its date as written. */
	util_civil_from_days(util_key_day(p, key), &y, &m, &d);
	return m - 1;
}

struct profile *
profile_hour(const double *v, const int64_t *keys, size_t n, enum period p)
{
	if (p != PERIOD_HOUR || n == 0)
		return NULL;
	return build(v, keys, n, p, 24, hour_of);
}

struct profile *
profile_weekday(const double *v, const int64_t *keys, size_t n,
    enum period p)
{
	if ((p != PERIOD_HOUR && p != PERIOD_DAY) || n == 0)
		return NULL;
	return build(v, keys, n, p, 7, weekday_of);
}

double
profile_span_days(const int64_t *keys, size_t n, enum period p)
{
	if (n == 0)
		return 0;
	/* From the start of the first period to the end of the last. */
	if (p == PERIOD_HOUR)
		return (double)(keys[n - 1] + 1 - keys[0]) / 24.0;
	return (double)(util_date_next(p, keys[n - 1]) - keys[0]);
}

struct profile *
profile_month(const double *v, const int64_t *keys, size_t n,
    enum period p)
{
	if (n == 0 || profile_span_days(keys, n, p) < PROFILE_MIN_DAYS)
		return NULL;
	return build(v, keys, n, p, 12, month_of);
}

void
profile_free(struct profile *pr)
{
	if (pr == NULL)
		return;
	free(pr->mean);
	free(pr->p10);
	free(pr->p90);
	free(pr);
}
