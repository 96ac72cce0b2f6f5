/*
 * sim.c: SPEC 4.4 Monte Carlo block bootstrap (see sim.h).
 *
 * Layout of the work: the horizon is cut into blocks (one per horizon
 * calendar week, day or period); block b of path p draws history unit
 * rng_draw_below(seed, p, b, units), so a draw depends only on (seed,
 * path, block).  The draws are made once (work items of CHUNK_PATHS
 * paths) into a [block][path] table of history rows; then each
 * scenario is one work item that walks the horizon a period at a time
 * over all its paths, so the backlogs of one period sit in one
 * contiguous array (paths doubles, in L2) when their percentiles are
 * taken (bucket counts, then selection in the few buckets that matter)
 * and nothing but per-path state is held.  All scenarios walk the same
 * draws (common random numbers).  Work items write disjoint memory, so
 * jobs never changes a result.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "sim.h"
#include "util.h"

/* SPEC 4.4 fan-chart levels, in this order. */
const int sim_pct_levels[SIM_PCT_N] = {5, 25, 50, 75, 95};

#define CHUNK_PATHS	1024		/* paths per draw work item */

/* One scenario's transformed history and per-path state. */
struct scen {
	double		*dm;		/* demand minutes, n */
	double		*cm;		/* capacity minutes, n */
	unsigned char	*surge;		/* capacity > 0, demand >= 2 x */
	double		 cap_day;	/* mean capacity minutes per day */
	double		*backlog;	/* per path: current backlog */
	double		*peak;		/* per path: highest backlog */
	unsigned char	*surged;	/* per path: surge seen */
};

struct ctx {
	const struct sim_input *in;
	size_t		 nunits;
	size_t		*ustart;	/* history row of each unit's pos 0 */
	size_t		 nblk;		/* horizon blocks */
	uint32_t	*draw;		/* [block][path]: row of unit pos 0 */
	size_t		*hblk;		/* horizon period -> block */
	unsigned	*hpos;		/* horizon period -> position */
	uint32_t	*bmask;		/* per block: bits of its positions */
	struct scen	*sc;
	size_t		 nsc;
	struct sim	*sim;
};

/* SPEC 4.4 resampling unit of a key: its id (the Monday of a day's
 * week, the day of an hour, else the key) and its position in it. */
static void
unit_of(enum period p, int64_t key, int64_t *id, unsigned *pos)
{
	int64_t	 day;

	switch (p) {
	case PERIOD_HOUR:
		day = util_key_day(p, key);
		*id = day;
		*pos = (unsigned)(key - day * 24);
		break;
	case PERIOD_DAY:
		*pos = util_weekday(key);
		*id = key - *pos;
		break;
	default:
		*id = key;
		*pos = 0;
		break;
	}
}

static unsigned
unit_len(enum period p)
{
	return p == PERIOD_HOUR ? 24 : p == PERIOD_DAY ? 7 : 1;
}

/* Finds the complete units of the history: all positions 0..len-1
 * present in order, with finite demand and capacity.  Stores the first
 * row of each in start (if non-NULL); returns the count. */
static size_t
find_units(const struct sim_input *in, size_t *start)
{
	size_t		 i = 0, j, cnt = 0, len = unit_len(in->period);
	int64_t		 id, id2;
	unsigned	 pos;
	int		 ok;

	while (i < in->n) {
		unit_of(in->period, in->key[i], &id, &pos);
		ok = 1;
		for (j = i; j < in->n; j++) {
			unit_of(in->period, in->key[j], &id2, &pos);
			if (id2 != id)
				break;
			if (pos != j - i || !isfinite(in->demand_minutes[j]) ||
			    !isfinite(in->capacity_resources[j]))
				ok = 0;
		}
		if (ok && j - i == len) {
			if (start != NULL)
				start[cnt] = i;
			cnt++;
		}
		i = j;
	}
	return cnt;
}

/* Number of complete resampling units in the history. */
size_t
sim_complete_units(const struct sim_input *in)
{
	return find_units(in, NULL);
}

/* The unit name, for the "no complete unit" warning. */
const char *
sim_unit_name(enum period p)
{
	switch (p) {
	case PERIOD_HOUR:
		return "calendar day of 24 hours";
	case PERIOD_DAY:
		return "calendar week (Monday to Sunday)";
	default:
		return "period";
	}
}

/* SPEC 4.4: 182 days in periods, rounded (hour 4368, day 182, week 26,
 * month 6). */
size_t
sim_default_horizon(enum period p)
{
	return (size_t)lround(182.0 / util_period_days(p));
}

/* Fills in from svc and its flow f (see sim.h); 0 or -1. */
int
sim_input_service(const struct service *svc, const struct flow *f,
    struct sim_input *in)
{
	const struct series	*s = svc->series;
	size_t			 i;

	memset(in, 0, sizeof(*in));
	if (s == NULL || s->n == 0 || f->demand_minutes == NULL ||
	    f->capacity_resources == NULL || f->backlog_minutes == NULL)
		return -1;
	in->period = svc->period;
	in->n = s->n;
	in->key = s->key;
	in->demand_minutes = f->demand_minutes;
	in->capacity_resources = f->capacity_resources;
	in->minutes_per_resource = svc->minutes_per_resource;

	/* SPEC 4.4: the last non-missing observed waiting list x minutes
	 * per case, else the last computed backlog. */
	in->start_minutes = NAN;
	if (f->observed_waiting != NULL)
		for (i = s->n; i > 0; i--)
			if (isfinite(f->observed_waiting[i - 1])) {
				in->start_minutes = f->observed_waiting[i - 1] *
				    svc->minutes_per_case;
				break;
			}
	if (isnan(in->start_minutes))
		in->start_minutes = f->backlog_minutes[s->n - 1];

	in->target_wait_days = svc->has_target_wait ? svc->target_wait_days :
	    NAN;
	in->scenarios = svc->scenarios;
	in->nscenarios = svc->nscenarios;
	in->paths = svc->sim_paths > 0 ? (size_t)svc->sim_paths :
	    SIM_DEFAULT_PATHS;
	in->horizon = svc->sim_horizon > 0 ? (size_t)svc->sim_horizon :
	    sim_default_horizon(svc->period);
	in->seed = svc->sim_seed;
	return 0;
}

/*
 * SPEC 4.4 scenario transform of the history: resources + capacity_add
 * (a negative count of resources has no meaning, so it stops at 0),
 * then capacity x capacity_factor and demand x demand_factor.  The
 * baseline is add 0, factors 1, which reproduces the SPEC 4.1 minutes.
 */
static void
scen_init(struct scen *sc, const struct sim_input *in, double add,
    double cf, double df)
{
	size_t	 i, n = in->n, paths = in->paths;
	double	 r;

	sc->dm = xreallocarray(NULL, n, sizeof(double));
	sc->cm = xreallocarray(NULL, n, sizeof(double));
	sc->surge = xcalloc(n, 1);
	for (i = 0; i < n; i++) {
		r = in->capacity_resources[i] + add;
		if (r < 0)
			r = 0;
		sc->cm[i] = r * in->minutes_per_resource * cf;
		sc->dm[i] = in->demand_minutes[i] * df;
		sc->surge[i] = sc->cm[i] > 0 && sc->dm[i] >= 2 * sc->cm[i];
	}
	sc->cap_day = util_mean(sc->cm, n) / util_period_days(in->period);
	sc->backlog = xreallocarray(NULL, paths, sizeof(double));
	for (i = 0; i < paths; i++)
		sc->backlog[i] = in->start_minutes;
	sc->peak = xcalloc(paths, sizeof(double));
	sc->surged = xcalloc(paths, 1);
}

static void
scen_clear(struct scen *sc)
{
	free(sc->dm);
	free(sc->cm);
	free(sc->surge);
	free(sc->backlog);
	free(sc->peak);
	free(sc->surged);
}

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
static void
pct_select(double *a, size_t n, double out[SIM_PCT_N])
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

/*
 * Percentiles by bucketing.  Over a range [lo, hi] that holds every
 * value, value v goes to bucket 0 if v == lo, else to 1 + floor((v -
 * lo) x PCT_BUCKETS / (hi - lo)), at most PCT_BUCKETS + 1: a mapping
 * that never decreases as v grows, so counting buckets finds the bucket
 * of every needed rank.  Bucket 0 holds copies of lo only (often the
 * many paths with no backlog), so its ranks need no look; the values of
 * the few other needed buckets are copied to scratch and ranked there
 * with select_rank.  Exact, and about two cheap passes instead of
 * several partitions of all n (SPEC 4.4 speed).
 */
#define PCT_BUCKETS	1024
#define PCT_NB		(PCT_BUCKETS + 2)

static int
all_equal(const double *a, size_t n)
{
	size_t	 i;

	for (i = 1; i < n; i++)
		if (a[i] != a[0])
			return 0;
	return 1;
}

/* The bucket of v over [lo, lo + PCT_BUCKETS / scale], without a
 * branch (v == lo is random across paths) and through a signed
 * conversion (an unsigned one costs a test of 2^63). */
static inline size_t
pct_bucket(double v, double lo, double scale)
{
	return (size_t)(v != lo) * (size_t)(1 + (int)((v - lo) * scale));
}

/* Counts the buckets of a[0..n) into cnt, their numbers into bk. */
static void
pct_hist(const double *a, size_t n, double lo, double scale, uint16_t *bk,
    uint32_t cnt[PCT_NB])
{
	uint32_t	 sub[4][PCT_NB];
	size_t		 i, r, b;

	memset(sub, 0, sizeof(sub));
	for (i = 0; i + 4 <= n; i += 4)
		for (r = 0; r < 4; r++) {
			b = pct_bucket(a[i + r], lo, scale);
			bk[i + r] = (uint16_t)b;
			sub[r][b]++;
		}
	for (; i < n; i++) {
		b = pct_bucket(a[i], lo, scale);
		bk[i] = (uint16_t)b;
		sub[0][b]++;
	}
	for (b = 0; b < PCT_NB; b++)
		cnt[b] = sub[0][b] + sub[1][b] + sub[2][b] + sub[3][b];
}

/* Registers bucket b as a region of scratch (see pct_from_hist). */
static void
pct_region(size_t b, const uint32_t cnt[PCT_NB], int16_t slot[PCT_NB],
    size_t *start, size_t *nreg, size_t *off)
{
	if (b == 0 || slot[b] >= 0)
		return;
	slot[b] = (int16_t)*nreg;
	start[*nreg] = *off;
	*off += cnt[b];
	(*nreg)++;
}

/*
 * The percentiles of a[0..n) from its bucket counts cnt and numbers bk
 * over a range from lo (see PCT_BUCKETS); scratch holds n doubles.
 * Also finds the least and the greatest value (in the first and last
 * non-empty buckets) into *mn and *mx.
 */
static void
pct_from_hist(const double *a, size_t n, double lo, const uint16_t *bk,
    const uint32_t cnt[PCT_NB], double *scratch, double out[SIM_PCT_N],
    double *mn, double *mx)
{
	int16_t		 slot[PCT_NB];
	size_t		 rank[2 * SIM_PCT_N], nr, i, b, cum, r, bmin, bmax;
	size_t		 rb[2 * SIM_PCT_N], rr[2 * SIM_PCT_N];
	size_t		 start[2 * SIM_PCT_N + 2], fill[2 * SIM_PCT_N + 2];
	size_t		 done[2 * SIM_PCT_N + 2], nreg = 0, off = 0, reg;
	double		 val[2 * SIM_PCT_N], *rg;

	for (bmin = 0; cnt[bmin] == 0; bmin++)
		continue;
	for (bmax = PCT_NB - 1; cnt[bmax] == 0; bmax--)
		continue;
	memset(slot, 0xff, sizeof(slot));	/* -1: not needed */
	pct_region(bmin, cnt, slot, start, &nreg, &off);

	/* Bucket of each rank and its rank inside the bucket. */
	nr = pct_ranks(n, rank);
	for (i = 0, b = 0, cum = 0; i < nr; i++) {
		while (cum + cnt[b] <= rank[i])
			cum += cnt[b++];
		rb[i] = b;
		rr[i] = rank[i] - cum;
		pct_region(b, cnt, slot, start, &nreg, &off);
	}
	pct_region(bmax, cnt, slot, start, &nreg, &off);
	for (i = 0; i < nreg; i++) {
		fill[i] = start[i];
		done[i] = 0;
	}
	if (nreg > 0)
		for (i = 0; i < n; i++)
			if (slot[bk[i]] >= 0) {
				reg = (size_t)slot[bk[i]];
				scratch[fill[reg]++] = a[i];
			}

	/* The extremes, before selection reorders their buckets. */
	*mn = *mx = lo;
	if (bmin > 0) {
		rg = scratch + start[slot[bmin]];
		for (*mn = rg[0], i = 1; i < cnt[bmin]; i++)
			*mn = rg[i] < *mn ? rg[i] : *mn;
	}
	if (bmax > 0) {
		rg = scratch + start[slot[bmax]];
		for (*mx = rg[0], i = 1; i < cnt[bmax]; i++)
			*mx = rg[i] > *mx ? rg[i] : *mx;
	}

	/* Ranks in a bucket come in increasing order: select each above
	 * the previous one. */
	for (i = 0; i < nr; i++) {
		if (rb[i] == 0) {
			val[i] = lo;
			continue;
		}
		reg = (size_t)slot[rb[i]];
		r = rr[i];
		if (done[reg] == 0 && all_equal(scratch + start[reg],
		    cnt[rb[i]]))
			done[reg] = cnt[rb[i]];	/* a bucket of ties */
		if (r < done[reg]) {
			val[i] = scratch[start[reg] + r];
			continue;
		}
		select_rank(scratch + start[reg] + done[reg],
		    cnt[rb[i]] - done[reg], r - done[reg]);
		done[reg] = r + 1;
		val[i] = scratch[start[reg] + r];
	}
	pct_type7(n, rank, val, nr, out);
}

/* Percentiles of a[0..n) (n > 0, finite) with minimum mn and maximum mx;
 * bk holds n bucket numbers, scratch n doubles. */
static void
pct_range(const double *a, size_t n, double mn, double mx, double *scratch,
    uint16_t *bk, double out[SIM_PCT_N])
{
	uint32_t	 cnt[PCT_NB];
	double		 scale;
	size_t		 l;

	if (mn == mx) {
		for (l = 0; l < SIM_PCT_N; l++)
			out[l] = mn;
		return;
	}
	scale = PCT_BUCKETS / (mx - mn);
	if (!isfinite(scale) || !isfinite(mx - mn)) {
		memcpy(scratch, a, n * sizeof(double));
		pct_select(scratch, n, out);
		return;
	}
	pct_hist(a, n, mn, scale, bk, cnt);
	pct_from_hist(a, n, mn, bk, cnt, scratch, out, &mn, &mx);
}

/* Work item: the draws of paths [c x CHUNK_PATHS, ...) for every
 * horizon block, as history rows of the drawn units' position 0. */
static void
draw_chunk(size_t c, void *arg)
{
	struct ctx		*x = arg;
	const struct sim_input	*in = x->in;
	size_t			 p0 = c * CHUNK_PATHS, p1, p, b;
	uint32_t		*row;

	p1 = in->paths - p0 < CHUNK_PATHS ? in->paths : p0 + CHUNK_PATHS;
	for (b = 0; b < x->nblk; b++) {
		row = x->draw + b * in->paths;
		rng_draw_below_streams(in->seed, p0, p1 - p0, (uint32_t)b,
		    (uint32_t)x->nunits, row + p0);
		for (p = p0; p < p1; p++)
			row[p] = (uint32_t)x->ustart[row[p]];
	}
}

/* SPEC 4.1 step from backlog x on history row i: max(0, x + demand -
 * capacity), as (b + |b|) / 2, which is exact (b + b = 2b), gives +0
 * and has no branch to mispredict when backlogs hover at 0.  It never
 * decreases as x grows (rounding is monotonic). */
static inline double
step(double x, double dm, double cm)
{
	double	 b = x + dm - cm;

	return (b + fabs(b)) * 0.5;
}

/*
 * Bounds of the backlogs after a step at position pos from backlogs in
 * [mn, mx]: step() never decreases in the backlog, so every new backlog
 * lies between the least step from mn and the greatest from mx over
 * the complete units (a superset of the drawn ones).  Exact in floating
 * point, so the buckets of the step can be counted as it runs.
 */
static void
step_bounds(const struct ctx *x, const struct scen *sc, unsigned pos,
    double mn, double mx, double *lo, double *hi)
{
	size_t	 u, i;
	double	 a, b;

	*lo = INFINITY;
	*hi = -INFINITY;
	for (u = 0; u < x->nunits; u++) {
		i = x->ustart[u] + pos;
		a = step(mn, sc->dm[i], sc->cm[i]);
		b = step(mx, sc->dm[i], sc->cm[i]);
		*lo = a < *lo ? a : *lo;
		*hi = b > *hi ? b : *hi;
	}
}

/*
 * Work item: scenario s over the whole horizon, all paths a period at
 * a time with the SPEC 4.1 recursion, counting the buckets of the new
 * backlogs over their bounds as they come; then that period's
 * percentiles from the counts and the contiguous array of backlogs.
 */
static void
run_scen(size_t s, void *arg)
{
	struct ctx		*x = arg;
	const struct sim_input	*in = x->in;
	const struct scen	*sc = &x->sc[s];
	struct sim_scenario	*ss = &x->sim->scenarios[s];
	size_t			 n = in->paths, h, k, i, l, bn;
	const uint32_t		*restrict row;
	const double		*restrict dm = sc->dm, *restrict cm = sc->cm;
	const unsigned char	*restrict surge = sc->surge;
	double			*restrict bl = sc->backlog;
	double			*restrict pk = sc->peak;
	unsigned char		*restrict sg = sc->surged;
	double			 b, mn, mx, lo, hi, scale, v[SIM_PCT_N];
	double			*scratch;
	uint32_t		 cnt[PCT_NB], (*sub)[PCT_NB];
	uint16_t		*restrict bk;
	uint32_t		*smask;
	unsigned		 pos;

	scratch = xreallocarray(NULL, n, sizeof(double));
	bk = xreallocarray(NULL, n, sizeof(uint16_t));
	sub = xreallocarray(NULL, 4, sizeof(*sub));
	mn = mx = in->start_minutes;
	for (h = 0; h < in->horizon; h++) {
		row = x->draw + x->hblk[h] * n;
		pos = x->hpos[h];
		step_bounds(x, sc, pos, mn, mx, &lo, &hi);
		scale = PCT_BUCKETS / (hi - lo);
		mn = INFINITY;
		mx = -INFINITY;
		if (!(hi > lo) || !isfinite(scale) || !isfinite(hi - lo)) {
			for (k = 0; k < n; k++) {
				i = row[k] + pos;
				b = step(bl[k], dm[i], cm[i]);
				bl[k] = b;
				pk[k] = b > pk[k] ? b : pk[k];
				mn = b < mn ? b : mn;
				mx = b > mx ? b : mx;
			}
			pct_range(bl, n, mn, mx, scratch, bk, v);
		} else {
			memset(sub, 0, 4 * sizeof(*sub));
			for (k = 0; k < n; k++) {
				i = row[k] + pos;
				b = step(bl[k], dm[i], cm[i]);
				bl[k] = b;
				pk[k] = b > pk[k] ? b : pk[k];
				bn = pct_bucket(b, lo, scale);
				bk[k] = (uint16_t)bn;
				sub[k & 3][bn]++;
			}
			for (l = 0; l < PCT_NB; l++)
				cnt[l] = sub[0][l] + sub[1][l] + sub[2][l] +
				    sub[3][l];
			pct_from_hist(bl, n, lo, bk, cnt, scratch, v, &mn, &mx);
		}
		for (l = 0; l < SIM_PCT_N; l++)
			ss->backlog_pct[l][h] = v[l];
	}

	/* Surges depend on the draws only, not on backlogs: a unit's
	 * surge positions as bits, against each block's positions. */
	smask = xcalloc(in->n, sizeof(uint32_t));
	for (l = 0; l < x->nunits; l++)
		for (pos = 0; pos < unit_len(in->period); pos++)
			if (surge[x->ustart[l] + pos])
				smask[x->ustart[l]] |= (uint32_t)1 << pos;
	for (h = 0; h < x->nblk; h++) {
		row = x->draw + h * n;
		for (k = 0; k < n; k++)
			sg[k] |= (smask[row[k]] & x->bmask[h]) != 0;
	}
	free(smask);
	free(sub);
	free(bk);
	free(scratch);
}

/* Horizon keys, blocks and positions (SPEC 4.4: the horizon starts the
 * period after the last date; daily data is cut into calendar weeks,
 * hourly into calendar days, so the first and last may be partial). */
static void
horizon_init(struct ctx *x, struct sim *sim)
{
	const struct sim_input	*in = x->in;
	size_t			 h, blk = 0;
	int64_t			 key = in->key[in->n - 1], id, prev = 0;
	unsigned		 pos;

	sim->keys = xreallocarray(NULL, in->horizon, sizeof(int64_t));
	x->hblk = xreallocarray(NULL, in->horizon, sizeof(size_t));
	x->hpos = xreallocarray(NULL, in->horizon, sizeof(unsigned));
	for (h = 0; h < in->horizon; h++) {
		key = util_date_next(in->period, key);
		unit_of(in->period, key, &id, &pos);
		if (h > 0 && id != prev)
			blk++;
		prev = id;
		sim->keys[h] = key;
		x->hblk[h] = blk;
		x->hpos[h] = pos;
	}
}

/* Runs SPEC 4.4 for in on up to jobs threads; NULL when there is no
 * complete unit to resample (or nothing to simulate).  sim_free(). */
struct sim *
sim_run(const struct sim_input *in, int jobs)
{
	struct ctx		 x;
	struct sim		*sim;
	struct sim_scenario	*ss;
	const struct scenario_def *sd;
	size_t			 s, l, p, nchunk, cnt_end, cnt_any, cnt_surge;
	double			 target = in->target_wait_days, pbase = NAN, d;

	if (in->n == 0 || in->paths == 0 || in->horizon == 0 ||
	    in->paths > UINT32_MAX || in->horizon > UINT32_MAX ||
	    in->n > UINT32_MAX)
		return NULL;
	memset(&x, 0, sizeof(x));
	x.in = in;
	if ((x.nunits = find_units(in, NULL)) == 0 || x.nunits > UINT32_MAX)
		return NULL;
	x.ustart = xreallocarray(NULL, x.nunits, sizeof(size_t));
	find_units(in, x.ustart);

	sim = xcalloc(1, sizeof(*sim));
	sim->paths = in->paths;
	sim->horizon = in->horizon;
	sim->seed = in->seed;
	horizon_init(&x, sim);

	/* Baseline first (SPEC 4.4), then the front-matter scenarios. */
	x.nsc = in->nscenarios + 1;
	x.sc = xcalloc(x.nsc, sizeof(*x.sc));
	sim->nscenarios = x.nsc;
	sim->scenarios = xcalloc(x.nsc, sizeof(*sim->scenarios));
	for (s = 0; s < x.nsc; s++) {
		ss = &sim->scenarios[s];
		if (s == 0) {
			scen_init(&x.sc[s], in, 0, 1, 1);
			ss->name = xstrdup("baseline");
			ss->cost = 0;
		} else {
			sd = &in->scenarios[s - 1];
			scen_init(&x.sc[s], in, sd->capacity_add,
			    sd->capacity_factor, sd->demand_factor);
			ss->name = xstrdup(sd->name != NULL ? sd->name : "");
			ss->cost = sd->cost_per_period * (double)in->horizon;
		}
		for (l = 0; l < SIM_PCT_N; l++)
			ss->backlog_pct[l] = xreallocarray(NULL, in->horizon,
			    sizeof(double));
	}
	x.sim = sim;

	/* The draws once, then each scenario over the whole horizon. */
	x.nblk = x.hblk[in->horizon - 1] + 1;
	x.draw = xreallocarray(NULL, x.nblk * in->paths, sizeof(uint32_t));
	x.bmask = xcalloc(x.nblk, sizeof(uint32_t));
	for (p = 0; p < in->horizon; p++)
		x.bmask[x.hblk[p]] |= (uint32_t)1 << x.hpos[p];
	nchunk = (in->paths + CHUNK_PATHS - 1) / CHUNK_PATHS;
	util_parallel_for(nchunk, jobs, draw_chunk, &x);
	util_parallel_for(x.nsc, jobs, run_scen, &x);

	/* Probabilities over paths; counts, so the order is immaterial. */
	for (s = 0; s < x.nsc; s++) {
		ss = &sim->scenarios[s];
		cnt_end = cnt_any = cnt_surge = 0;
		for (p = 0; p < in->paths; p++) {
			/* SPEC 4.4: wait = backlog / mean capacity per
			 * day, strictly over the target.  x / c never
			 * decreases as x grows, so some period is over iff
			 * the peak is. */
			if (x.sc[s].backlog[p] / x.sc[s].cap_day > target)
				cnt_end++;
			if (x.sc[s].peak[p] / x.sc[s].cap_day > target)
				cnt_any++;
			cnt_surge += x.sc[s].surged[p];
		}
		if (isnan(target)) {
			ss->p_wait_over_target_end = NAN;
			ss->p_wait_over_target_any = NAN;
		} else {
			ss->p_wait_over_target_end = (double)cnt_end /
			    (double)in->paths;
			ss->p_wait_over_target_any = (double)cnt_any /
			    (double)in->paths;
		}
		ss->p_demand_2x_capacity = (double)cnt_surge /
		    (double)in->paths;

		/* SPEC 4.4: pounds per percentage point of risk removed
		 * versus baseline; null where none is removed. */
		if (s == 0)
			pbase = ss->p_wait_over_target_end;
		d = 100 * (pbase - ss->p_wait_over_target_end);
		ss->cost_per_point_risk_removed = s > 0 && d > 0 ?
		    ss->cost / d : NAN;
	}

	for (s = 0; s < x.nsc; s++)
		scen_clear(&x.sc[s]);
	free(x.sc);
	free(x.draw);
	free(x.bmask);
	free(x.ustart);
	free(x.hblk);
	free(x.hpos);
	return sim;
}

/* Frees sim and everything it owns.  NULL ok. */
void
sim_free(struct sim *sim)
{
	size_t	 s, l;

	if (sim == NULL)
		return;
	for (s = 0; s < sim->nscenarios; s++) {
		free(sim->scenarios[s].name);
		for (l = 0; l < SIM_PCT_N; l++)
			free(sim->scenarios[s].backlog_pct[l]);
	}
	free(sim->scenarios);
	free(sim->keys);
	free(sim);
}
