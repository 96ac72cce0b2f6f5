/*
 * simpct.h: exact percentiles of the simulated backlogs (SPEC 4.4 fan
 * chart), internal to the simulation (sim.c); part of the analysis
 * stage.  Each period's percentiles are R type 7 at the sim_pct_levels,
 * the same bits as a full sort (util_pct_sorted): either by selection
 * on an array (simpct_select) or from value buckets that the
 * simulation's step fills (simpct_plan, simpct_copy, simpct_finish).
 * Pure: never prints, never touches files, allocates nothing; the
 * caller owns every buffer.
 */
#ifndef SIMPCT_H
#define SIMPCT_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

/*
 * Percentiles by bucketing.  Over a range [lo, hi] that holds every
 * value, value v goes to bucket 0 if it equals lo, else to bucket 1 +
 * floor((v - lo) x SIMPCT_BUCKETS / (hi - lo)), at most SIMPCT_BUCKETS
 * + 1 (sim.c's pass_period says where the +1 is added, and where copies
 * of lo > 0 are put in bucket 1 instead): a mapping that never
 * decreases as v grows (each operation rounds monotonically), so
 * counting buckets finds the bucket of every needed rank.  Bucket 0
 * holds copies of lo only (often the many paths with no backlog), so
 * its ranks need no look; the values of the few other needed buckets
 * are copied to scratch (walking the bucket's lists of paths) and
 * ranked there by selection.  Exact whatever the rounding of the bucket
 * numbers, as long as they never decrease.
 */
#define SIMPCT_BUCKETS	512
#define SIMPCT_NB	(SIMPCT_BUCKETS + 2)

/*
 * The buckets of one lane: 1 or 2 lists of paths per bucket, list l of
 * bucket b an entry of two words at 2 (l SIMPCT_LANE_NB + b): the count
 * of the list and the last path put in it.  Two lists where backlogs
 * are mostly 0 (the sparse pass; paths put in them alternately, or by
 * the parity of k), so that runs of paths put in one bucket (copies of
 * a value) wait less on each other's stores and the walks of the lists
 * overlap; one where every backlog is bucketed, for a smaller table.
 */
#define SIMPCT_LANE_NB	(SIMPCT_NB + 2)

/*
 * One scenario's buckets of one period: from ent, each bucket b > 0 has
 * lists (1 or 2) entries, the count of a list and the last path put in
 * it; bucket 0 has only its count, cnt0 (the paths not in another).
 * Path k's backlog is val[k x stride + lane], and nx[k] is the path put
 * in its list before it.  All borrowed.
 */
struct simpct_hist {
	const uint32_t	*ent;
	size_t		 lists;		/* per bucket, 1 or 2 */
	size_t		 cnt0;
	const uint32_t	*nx;
	const double	*val;
	size_t		 stride;	/* lanes: 2 w */
	size_t		 lane;
};

/* The needed buckets of simpct_finish, each a region of the lane's
 * part of scratch, and their total size. */
struct simpct_regions {
	size_t		 n;
	size_t		 b[2 * SIM_PCT_N + 2];		/* bucket */
	size_t		 at[2 * SIM_PCT_N + 2];		/* its values */
	size_t		 done[2 * SIM_PCT_N + 2];	/* ranked below */
	size_t		 size;
};

/*
 * The plan of simpct_finish for one lane: the buckets of the needed
 * ranks (the ranks' buckets rb, their ranks inside them rr and their
 * regions reg) and of the extremes (bmin, bmax: the first and last
 * non-empty buckets, their regions rmin and rmax); the regions start
 * at base, which the caller sets (rg.size doubles) before simpct_copy.
 */
struct simpct_plan {
	struct simpct_regions rg;
	double		*base;
	size_t		 nr;
	size_t		 rank[2 * SIM_PCT_N];
	size_t		 rb[2 * SIM_PCT_N];
	size_t		 rr[2 * SIM_PCT_N];
	size_t		 reg[2 * SIM_PCT_N];
	size_t		 bmin, bmax, rmin, rmax;
};

/* Backlog of path k in lh. */
static inline double
simpct_val(const struct simpct_hist *lh, size_t k)
{
	return lh->val[k * lh->stride + lh->lane];
}

/* The percentiles of a[0..n), n > 0, at the sim_pct_levels into out,
 * by selecting each needed rank (reorders a). */
void	 simpct_select(double *a, size_t n, double out[SIM_PCT_N]);

/* First step of the percentiles of the n > 0 backlogs bucketed in lh:
 * finds the needed buckets and gives each a region of pl's scratch
 * (pl->rg.size doubles in all). */
void	 simpct_plan(const struct simpct_hist *lh, size_t n,
	    struct simpct_plan *pl);

/* Second step: copies the backlogs of the regions of the plans
 * pl[0..nlh) of lanes lh[] (all of one stride) to pl[].base. */
void	 simpct_copy(const struct simpct_hist *lh,
	    const struct simpct_plan *pl, size_t nlh);

/* Last step: the percentiles of the n backlogs of lh, bucketed from lo,
 * into out, and their least and greatest into *mn and *mx; reorders
 * the plan's scratch. */
void	 simpct_finish(const struct simpct_hist *lh, size_t n, double lo,
	    struct simpct_plan *pl, double out[SIM_PCT_N], double *mn,
	    double *mx);

#endif /* !SIMPCT_H */
