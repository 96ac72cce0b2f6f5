/*
 * simpct.c: exact percentiles of the simulated backlogs (see simpct.h).
 *
 * Every percentile is R type 7 from order statistics found by
 * selection (Hoare's FIND), never by a full sort: simpct_select ranks a
 * whole array; the bucketed path (simpct_plan, simpct_copy,
 * simpct_finish) ranks only the values of the few buckets that hold a
 * needed rank.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "simpct.h"

/* Four 32-bit words (two bucket entries) as one vector (GCC vector
 * extensions: SSE2 on any x86-64). */
typedef uint32_t v4w __attribute__((vector_size(16)));

static void
swap_d(double *a, size_t i, size_t j)
{
	double	 t = a[i];

	a[i] = a[j];
	a[j] = t;
}

/*
 * Moves the k-th smallest of a[0..n) to a[k], smaller-or-equal values
 * before it and greater-or-equal after (Hoare's FIND, CACM 4(7), 1961,
 * with median-of-three pivots whose outer two serve as sentinels).
 * Equal keys stop both scans, so runs of equal backlogs (often 0) split
 * evenly.
 */
static void
select_rank(double *a, size_t n, size_t k)
{
	size_t	 lo = 0, hi = n - 1, i, j, mid;
	double	 piv;

	for (;;) {
		if (hi <= lo + 1) {
			if (hi == lo + 1 && a[hi] < a[lo])
				swap_d(a, lo, hi);
			return;
		}
		mid = lo + (hi - lo) / 2;
		swap_d(a, mid, lo + 1);
		if (a[lo] > a[hi])
			swap_d(a, lo, hi);
		if (a[lo + 1] > a[hi])
			swap_d(a, lo + 1, hi);
		if (a[lo] > a[lo + 1])
			swap_d(a, lo, lo + 1);
		piv = a[lo + 1];
		i = lo + 1;
		j = hi;
		for (;;) {
			do
				i++;
			while (a[i] < piv);
			do
				j--;
			while (a[j] > piv);
			if (j < i)
				break;
			swap_d(a, i, j);
		}
		a[lo + 1] = a[j];
		a[j] = piv;
		if (j >= k)
			hi = j - 1;
		if (j <= k)
			lo = i;
	}
}

/* The order statistics (0-based ranks) R type 7 reads for the
 * SIM_PCT_N levels over n > 0 values, increasing and distinct: floor(h)
 * and the next for h = (n - 1) p / 100, as util_pct_sorted.  Returns
 * the count. */
static size_t
pct_ranks(size_t n, size_t rank[2 * SIM_PCT_N])
{
	size_t	 nr = 0, i, j, r, m;
	double	 h;

	for (i = 0; i < SIM_PCT_N; i++) {
		h = (double)(n - 1) * (sim_pct_levels[i] / 100.0);
		r = (size_t)floor(h);
		if (r > n - 1)
			r = n - 1;
		rank[nr++] = r;
		rank[nr++] = r + 1 < n ? r + 1 : n - 1;
	}
	for (i = 1; i < nr; i++)	/* insertion sort, 10 items */
		for (j = i; j > 0 && rank[j - 1] > rank[j]; j--) {
			r = rank[j];
			rank[j] = rank[j - 1];
			rank[j - 1] = r;
		}
	for (i = m = 0; i < nr; i++)
		if (m == 0 || rank[i] != rank[m - 1])
			rank[m++] = rank[i];
	return m;
}

/* The value of order statistic r, given val[] of rank[0..nr). */
static double
rank_val(size_t r, const size_t *rank, const double *val, size_t nr)
{
	size_t	 i;

	for (i = 0; i + 1 < nr && rank[i] != r; i++)
		continue;
	return val[i];
}

/* R type 7 at the SIM_PCT_N levels from the order statistics, with
 * util_pct_sorted's arithmetic, so the result equals a full sort's. */
static void
pct_type7(size_t n, const size_t *rank, const double *val, size_t nr,
    double out[SIM_PCT_N])
{
	size_t	 l, i;
	double	 h, lo, x0, x1;

	for (l = 0; l < SIM_PCT_N; l++) {
		h = (double)(n - 1) * (sim_pct_levels[l] / 100.0);
		lo = floor(h);
		i = (size_t)lo;
		if (i + 1 >= n) {
			out[l] = rank_val(n - 1, rank, val, nr);
			continue;
		}
		x0 = rank_val(i, rank, val, nr);
		x1 = rank_val(i + 1, rank, val, nr);
		out[l] = x0 + (h - lo) * (x1 - x0);
	}
}

/* Percentiles of a[0..n) by selecting each needed rank in increasing
 * order within the part above the previous one (reorders a). */
void
simpct_select(double *a, size_t n, double out[SIM_PCT_N])
{
	size_t	 rank[2 * SIM_PCT_N], nr, i, off = 0;
	double	 val[2 * SIM_PCT_N];

	nr = pct_ranks(n, rank);
	for (i = 0; i < nr; i++) {
		select_rank(a + off, n - off, rank[i] - off);
		off = rank[i] + 1;
		val[i] = a[rank[i]];
	}
	pct_type7(n, rank, val, nr, out);
}

static size_t
bucket_cnt(const struct simpct_hist *lh, size_t b)
{
	if (b == 0)
		return lh->cnt0;
	if (lh->lists == 1)
		return lh->ent[2 * b];
	return (size_t)lh->ent[2 * b] + lh->ent[2 * SIMPCT_LANE_NB + 2 * b];
}

/*
 * The last non-empty bucket of lh (there is one: the counts sum to n >
 * 0).  Buckets above the backlogs are often many (the range is a
 * bound), so 8 at a time while all are empty: their entries' counts
 * ORed, two entries (count, last path) to a vector.
 */
static size_t
last_bucket(const struct simpct_hist *lh)
{
	const v4w	 cm = { UINT32_MAX, 0, UINT32_MAX, 0 };
	const uint32_t	*e0 = lh->ent, *e1 = lh->ent + 2 * SIMPCT_LANE_NB;
	v4w		 o, q;
	size_t		 b = SIMPCT_NB, i;

	for (; b >= 9; b -= 8) {		/* buckets b - 8 .. b - 1 */
		o = (v4w){ 0, 0, 0, 0 };
		for (i = 2; i <= 8; i += 2) {
			memcpy(&q, e0 + 2 * (b - i), sizeof(q));
			o |= q;
			if (lh->lists == 2) {
				memcpy(&q, e1 + 2 * (b - i), sizeof(q));
				o |= q;
			}
		}
		o &= cm;
		if ((o[0] | o[2]) != 0)
			break;
	}
	for (b--; bucket_cnt(lh, b) == 0; b--)
		continue;
	return b;
}

static int
all_equal(const double *a, size_t n)
{
	size_t	 i;

	for (i = 1; i < n; i++)
		if (a[i] != a[0])
			return 0;
	return 1;
}

/* The region of bucket b > 0, added at the end if new. */
static size_t
pct_region(struct simpct_regions *rg, const struct simpct_hist *lh,
    size_t b)
{
	size_t	 i;

	for (i = 0; i < rg->n; i++)
		if (rg->b[i] == b)
			return i;
	rg->b[i] = b;
	rg->at[i] = rg->size;
	rg->done[i] = 0;
	rg->size += bucket_cnt(lh, b);
	rg->n++;
	return i;
}

/*
 * First part of the percentiles of the n backlogs of lh, bucketed over
 * a range from lo (see SIMPCT_BUCKETS): finds the needed buckets and
 * gives each a region (pl->rg.size doubles in all), for simpct_copy.
 */
void
simpct_plan(const struct simpct_hist *lh, size_t n,
    struct simpct_plan *pl)
{
	struct simpct_regions *rg = &pl->rg;
	size_t		 i, b, cum;

	for (pl->bmin = 0; bucket_cnt(lh, pl->bmin) == 0; pl->bmin++)
		continue;
	pl->bmax = last_bucket(lh);
	rg->n = rg->size = 0;
	pl->rmin = pl->rmax = 0;
	if (pl->bmin > 0)
		pl->rmin = pct_region(rg, lh, pl->bmin);

	/* Bucket of each rank and its rank inside the bucket. */
	pl->nr = pct_ranks(n, pl->rank);
	for (i = 0, b = 0, cum = 0; i < pl->nr; i++) {
		while (cum + bucket_cnt(lh, b) <= pl->rank[i])
			cum += bucket_cnt(lh, b++);
		pl->rb[i] = b;
		pl->rr[i] = pl->rank[i] - cum;
		if (b > 0)
			pl->reg[i] = pct_region(rg, lh, b);
	}
	if (pl->bmax > 0)
		pl->rmax = pct_region(rg, lh, pl->bmax);
}

/* One list being copied by simpct_copy: path k is the next to copy, to
 * d[left - 1]. */
struct chain {
	const uint32_t	*nx;
	const double	*val;		/* lane's backlog of path 0 */
	double		*d;
	size_t		 k;
	size_t		 left;
};

/*
 * Copies the backlogs of the regions of the plans pl[0..nlh) of lanes
 * lh[] to their regions, walking all their lists side by side, so that
 * the loads of one list (each waits for the one before it) overlap
 * those of the others.
 */
void
simpct_copy(const struct simpct_hist *lh, const struct simpct_plan *pl,
    size_t nlh)
{
	struct chain	 ch[2 * 2 * 2 * (2 * SIM_PCT_N + 2)], *c; /* 2 lists */
	const uint32_t	*e;
	size_t		 a, j, l, nc = 0, i, stride = lh[0].stride;
	double		*d;

	for (a = 0; a < nlh; a++)
		for (j = 0; j < pl[a].rg.n; j++) {
			e = lh[a].ent + 2 * pl[a].rg.b[j];
			d = pl[a].base + pl[a].rg.at[j];
			for (l = 0; l < lh[a].lists; l++) {
				c = &ch[nc];
				c->nx = lh[a].nx;
				c->val = lh[a].val + lh[a].lane;
				c->d = d;
				c->left = e[2 * SIMPCT_LANE_NB * l];
				c->k = e[2 * SIMPCT_LANE_NB * l + 1];
				d += c->left;
				if (c->left > 0)
					nc++;
			}
		}
	while (nc > 0)
		for (i = 0; i < nc;) {
			c = &ch[i];
			c->d[--c->left] = c->val[c->k * stride];
			if (c->left > 0) {
				c->k = c->nx[c->k];
				i++;
			} else
				ch[i] = ch[--nc];
		}
}

/*
 * The percentiles of the n backlogs of lh from its plan, once its
 * regions are copied (simpct_copy).  Also finds the least and the
 * greatest backlog (in the first and last non-empty buckets) into *mn
 * and *mx.
 */
void
simpct_finish(const struct simpct_hist *lh, size_t n, double lo,
    struct simpct_plan *pl, double out[SIM_PCT_N], double *mn,
    double *mx)
{
	struct simpct_regions *rg = &pl->rg;
	size_t		 i, r, c, g;
	double		 val[2 * SIM_PCT_N], *d;

	/* The extremes, before selection reorders their buckets. */
	*mn = *mx = lo;
	if (pl->bmin > 0) {
		d = pl->base + rg->at[pl->rmin];
		c = bucket_cnt(lh, pl->bmin);
		for (*mn = d[0], i = 1; i < c; i++)
			*mn = d[i] < *mn ? d[i] : *mn;
	}
	if (pl->bmax > 0) {
		d = pl->base + rg->at[pl->rmax];
		c = bucket_cnt(lh, pl->bmax);
		for (*mx = d[0], i = 1; i < c; i++)
			*mx = d[i] > *mx ? d[i] : *mx;
	}

	/* Ranks in a bucket come in increasing order: select each above
	 * the previous one. */
	for (i = 0; i < pl->nr; i++) {
		if (pl->rb[i] == 0) {
			val[i] = lo;
			continue;
		}
		g = pl->reg[i];
		d = pl->base + rg->at[g];
		r = pl->rr[i];
		c = bucket_cnt(lh, pl->rb[i]);
		if (rg->done[g] == 0 && all_equal(d, c))
			rg->done[g] = c;	/* a bucket of ties */
		if (r >= rg->done[g]) {
			select_rank(d + rg->done[g], c - rg->done[g],
			    r - rg->done[g]);
			rg->done[g] = r + 1;
		}
		val[i] = d[r];
	}
	pct_type7(n, pl->rank, val, pl->nr, out);
}
