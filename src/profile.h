/*
 * profile.h: seasonal and weekly shape of a per-period series (SPEC 4.3),
 * a pure module of the analysis stage.  Each profile gives, per bucket
 * (hour of day, day of week Monday first, or calendar month January
 * first), the mean and the 10th and 90th percentiles (R type 7) of the
 * per-period values that fall in it; NAN values are skipped and an empty
 * bucket is NAN.  The caller owns the result (profile_free).
 */
#ifndef PROFILE_H
#define PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* By hour of day (24 buckets, 00 first): hourly data only, else NULL.
 * keys are the period keys of struct series.  Caller frees. */
struct profile *profile_hour(const double *v, const int64_t *keys,
	    size_t n, enum period);
/* By day of week (7 buckets, Monday first): daily and hourly data,
 * else NULL.  Caller frees. */
struct profile *profile_weekday(const double *v, const int64_t *keys,
	    size_t n, enum period);
/* By calendar month (12 buckets, January first) when the periods from
 * the first to the last cover at least 364 days, else NULL.  Caller
 * frees. */
struct profile *profile_month(const double *v, const int64_t *keys,
	    size_t n, enum period);
/* Days covered by the periods keys[0] .. keys[n - 1], end inclusive
 * (the last period counts whole); 0 if n == 0. */
double	 profile_span_days(const int64_t *keys, size_t n, enum period);
/* Frees a profile and its arrays; NULL is fine. */
void	 profile_free(struct profile *);

#endif /* !PROFILE_H */
