/*
 * test_simpct.c: the simulation's exact percentiles.  Both ways
 * (selection on an array; value buckets, planned, copied and finished)
 * must give the same bits as a full sort read by util_pct_sorted (R
 * type 7) at the sim_pct_levels, for sizes 1, 2, 3, 10 and 1001 and
 * values with no ties, many ties, mostly zeros and all equal; the
 * buckets in both layouts the simulation uses (one list per bucket,
 * every value bucketed; two lists, zeros counted only), two lanes side
 * by side as in a pass.  Test data from splitmix.h, never rand().
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "simpct.h"
#include "splitmix.h"
#include "util.h"

#define NLANE	2

static const size_t sizes[] = { 1, 2, 3, 10, 1001 };

enum kind {
	KIND_DISTINCT,		/* continuous, no ties */
	KIND_TIES,		/* 5 distinct values */
	KIND_ZEROS,		/* 90 % zeros, the rest 1..3 */
	KIND_EQUAL,		/* every value 7.25 */
	KIND_NEAR		/* 2 clusters narrower than a bucket */
};
#define KIND_N	5

/* The next value of a test array of kind kd, >= 0. */
static double
value(enum kind kd, uint64_t *st)
{
	uint64_t	 r = mix_next(st);
	double		 u = (double)(r >> 11) * 0x1p-53;

	switch (kd) {
	case KIND_DISTINCT:
		return 1000 * u;
	case KIND_TIES:
		return 2.5 * (double)(r % 5);
	case KIND_ZEROS:
		return r % 10 != 0 ? 0 : (double)(1 + r % 3);
	case KIND_EQUAL:
		return 7.25;
	default:
		return (r & 1 ? 100 : 200) + 1e-9 * u;
	}
}

/* The reference: a full sort, read by util_pct_sorted. */
static void
reference(const double *v, size_t n, double out[SIM_PCT_N], double *mn,
    double *mx)
{
	double	*s;
	size_t	 l;

	s = malloc(n * sizeof(double));
	assert_non_null(s);
	memcpy(s, v, n * sizeof(double));
	util_sort_doubles(s, n);
	for (l = 0; l < SIM_PCT_N; l++)
		out[l] = util_pct_sorted(s, n, sim_pct_levels[l]);
	*mn = s[0];
	*mx = s[n - 1];
	free(s);
}

static void
same_bits(const double *got, const double *want, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (memcmp(&got[i], &want[i], sizeof(double)) != 0)
			fail_msg("value %zu: got %.17g, want %.17g", i, got[i],
			    want[i]);
}

static void
test_select(void **state)
{
	uint64_t	 st = 42;
	size_t		 z, n, kd, i;
	double		*a, *b, out[SIM_PCT_N], ref[SIM_PCT_N], mn, mx;

	(void)state;
	for (z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++)
		for (kd = 0; kd < KIND_N; kd++) {
			n = sizes[z];
			a = malloc(n * sizeof(double));
			b = malloc(n * sizeof(double));
			assert_non_null(a);
			assert_non_null(b);
			for (i = 0; i < n; i++)
				a[i] = b[i] = value((enum kind)kd, &st);
			reference(b, n, ref, &mn, &mx);
			simpct_select(a, n, out);
			same_bits(out, ref, SIM_PCT_N);

			/* Only reordered. */
			util_sort_doubles(a, n);
			util_sort_doubles(b, n);
			same_bits(a, b, n);
			free(a);
			free(b);
		}
}

/* Hand-worked: 1..10 gives 1.45, 3.25, 5.5, 7.75, 9.55 (R quantile). */
static void
test_select_by_hand(void **state)
{
	double	 a[] = { 10, 3, 7, 1, 9, 2, 8, 5, 4, 6 };
	double	 want[SIM_PCT_N] = { 1.45, 3.25, 5.5, 7.75, 9.55 };
	double	 out[SIM_PCT_N];
	size_t	 l;

	(void)state;
	simpct_select(a, 10, out);
	for (l = 0; l < SIM_PCT_N; l++)
		assert_true(fabs(out[l] - want[l]) < 1e-12);
}

/*
 * Buckets the n values of lane a of val (stride NLANE) over [lo, hi]
 * as the simulation's passes do: with lists == 1 every value, bucket 0
 * if it equals lo, else floor((v - lo) x sc + 1); with lists == 2
 * (lo 0) only the values above lo, in bucket 1 + floor((v - lo) x sc),
 * list k & 1, bucket 0 counted only.
 */
static void
fill(struct simpct_hist *lh, uint32_t *ent, uint32_t *nx,
    const double *val, size_t n, size_t a, size_t lists, double lo,
    double hi)
{
	double		 sc = SIMPCT_BUCKETS / (hi - lo), v;
	size_t		 k, b, above = 0;
	uint32_t	*e;

	memset(ent, 0, 4 * SIMPCT_LANE_NB * sizeof(uint32_t));
	for (k = 0; k < n; k++) {
		v = val[k * NLANE + a];
		if (lists == 1) {
			b = v != lo ? (size_t)(int64_t)((v - lo) * sc + 1) : 0;
			e = ent + 2 * b;
		} else {
			if (v == lo)
				continue;
			above++;
			b = 1 + (size_t)(int64_t)((v - lo) * sc);
			e = ent + 2 * SIMPCT_LANE_NB * (k & 1) + 2 * b;
		}
		assert_true(b < SIMPCT_NB);
		e[0]++;
		nx[k] = e[1];
		e[1] = (uint32_t)k;
	}
	lh->ent = ent;
	lh->lists = lists;
	lh->cnt0 = lists == 2 ? n - above : ent[0];
	lh->nx = nx;
	lh->val = val;
	lh->stride = NLANE;
	lh->lane = a;
}

/* Both lanes of val by the buckets, against the reference. */
static void
check_buckets(const double *val, size_t n, size_t lists, double hi)
{
	struct simpct_hist	 lh[NLANE];
	struct simpct_plan	 pl[NLANE];
	uint32_t		*ent, *nx;
	double			*lane, *scratch, out[SIM_PCT_N];
	double			 ref[SIM_PCT_N], mn, mx, rmn, rmx;
	size_t			 a, k, r;

	ent = malloc(NLANE * 4 * SIMPCT_LANE_NB * sizeof(uint32_t));
	nx = malloc(NLANE * n * sizeof(uint32_t));
	lane = malloc(n * sizeof(double));
	assert_non_null(ent);
	assert_non_null(nx);
	assert_non_null(lane);
	for (a = 0, r = 0; a < NLANE; a++) {
		fill(&lh[a], ent + a * 4 * SIMPCT_LANE_NB, nx + a * n, val, n,
		    a, lists, 0, hi);
		for (k = 0; k < n; k++)
			assert_true(simpct_val(&lh[a], k) == val[k * NLANE + a]);
		simpct_plan(&lh[a], n, &pl[a]);
		r += pl[a].rg.size;
	}
	scratch = malloc((r > 0 ? r : 1) * sizeof(double));
	assert_non_null(scratch);
	for (a = 0, r = 0; a < NLANE; a++) {
		pl[a].base = scratch + r;
		r += pl[a].rg.size;
	}
	simpct_copy(lh, pl, NLANE);
	for (a = 0; a < NLANE; a++) {
		simpct_finish(&lh[a], n, 0, &pl[a], out, &mn, &mx);
		for (k = 0; k < n; k++)
			lane[k] = val[k * NLANE + a];
		reference(lane, n, ref, &rmn, &rmx);
		same_bits(out, ref, SIM_PCT_N);
		same_bits(&mn, &rmn, 1);
		same_bits(&mx, &rmx, 1);
	}
	free(scratch);
	free(lane);
	free(nx);
	free(ent);
}

static void
test_buckets(void **state)
{
	uint64_t	 st = 7;
	size_t		 z, n, kd, k, lists;
	double		*val, hi;

	(void)state;
	for (z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++)
		for (kd = 0; kd < KIND_N; kd++)
			for (lists = 1; lists <= 2; lists++) {
				n = sizes[z];
				val = malloc(NLANE * n * sizeof(double));
				assert_non_null(val);
				for (k = 0; k < NLANE * n; k++)
					val[k] = value((enum kind)kd, &st);
				/* A bound, as the passes have: the greatest
				 * value exactly, or well above it. */
				for (hi = 0, k = 0; k < NLANE * n; k++)
					hi = val[k] > hi ? val[k] : hi;
				if (hi == 0)	/* all 0: any range */
					hi = 1;
				check_buckets(val, n, lists, hi);
				check_buckets(val, n, lists, 3 * hi);
				free(val);
			}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_select_by_hand),
		cmocka_unit_test(test_buckets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
