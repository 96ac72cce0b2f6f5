/*
 * sim.c: SPEC 4.4 Monte Carlo block bootstrap (see sim.h).
 *
 * Layout of the work: the horizon is cut into blocks (one per horizon
 * calendar week, day or period); block b of path p draws history unit
 * rng_draw_below(seed, p, b, units), so a draw depends only on (seed,
 * path, block).  The draws are made once (work items of CHUNK_PATHS
 * paths) into a [block][path] table of drawn units (times 8, the
 * doubles of a unit's row in a pass's table, so that the AVX2 pass
 * indexes the table with no arithmetic).  Then the scenarios run in
 * passes of LANES (or 2, to give more threads work), each pass one work
 * item that walks the horizon a period at a time over all paths; every
 * pass reads the same draws (common random numbers).  A pass keeps per
 * path the backlogs of its scenarios side by side, two to a vector (GCC
 * vector extensions: SSE2 on x86-64), and per horizon position and unit
 * their demand and capacity the same way, so one row load serves every
 * scenario and the SPEC 4.1 step is a few vector operations.
 *
 * Percentiles are exact order statistics of each period's backlogs
 * (type 7).  The bounds of the new backlogs are known before the step
 * (step_bounds), so the step itself puts each backlog in one of
 * SIMPCT_NB value buckets, counting it and linking the path into the
 * bucket's list (pass_period); then only the few buckets that hold a
 * needed rank are walked (the lists of every scenario of the pass side
 * by side), copied out and ranked by selection (simpct.c).  The least and
 * greatest backlogs, for the next bounds, come from the first and last
 * non-empty buckets.  Bucket 0 holds the copies of the lower bound,
 * often 0 for most paths: where most backlogs were 0 the period before,
 * the step only gathers bit masks of the paths above 0 and buckets
 * those alone.  "Over target in any period" is marked per path
 * only in periods whose bound could be over.  Histories with values so
 * large that a backlog could overflow take a plain scalar path
 * (run_generic) instead.  Work items write disjoint memory, so jobs
 * never changes a result.  Where the CPU has AVX2, passes of 4
 * scenarios and the draws run as AVX2 code chosen at run time, with the
 * same operations in the same order, so the results are the same bits
 * on every x86-64 (BOARDPACK_NO_AVX2=1 forces the plain code, to test
 * it).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "sim.h"
#include "simpct.h"
#include "util.h"

/* SPEC 4.4 fan-chart levels, in this order. */
const int sim_pct_levels[SIM_PCT_N] = {5, 25, 50, 75, 95};

#define CHUNK_PATHS	1024		/* paths per draw work item */
#define LANES		4		/* scenarios per pass, at most */
#define SURGE_LANES	8		/* scenarios per surge pass (bits) */
#define DRAW_SHIFT	3		/* draws: unit << 3, at its row */

/*
 * Two doubles (two scenarios of one path) as one vector (GCC vector
 * extensions: SSE2 on any x86-64), and the same width of integers for
 * masks (a comparison gives all ones or all zeros per lane); v4w, four
 * 32-bit words (draws).
 */
typedef double v2d __attribute__((vector_size(16)));
typedef int64_t v2l __attribute__((vector_size(16)));
typedef uint64_t v2u __attribute__((vector_size(16)));
typedef uint32_t v4w __attribute__((vector_size(16)));

/*
 * The passes need every backlog finite: with the history and the start
 * within +-SIM_BIG, a backlog stays below SIM_BIG + horizon x 2 SIM_BIG
 * < 2^994 for any horizon below 2^32, and so do the bounds and their
 * differences.
 */
#define SIM_BIG		0x1p960

/* One scenario's transformed history and path counts. */
struct scen {
	double		*dm;		/* demand minutes, n */
	double		*cm;		/* capacity minutes, n */
	unsigned char	*surge;		/* capacity > 0, demand >= 2 x */
	double		 cap_day;	/* mean capacity minutes per day */
	size_t		 n_end;		/* paths over target at the end */
	size_t		 n_any;		/* ... in any period */
	size_t		 n_surge;	/* paths with a surge */
};

struct ctx {
	const struct sim_input *in;
	size_t		 nunits;
	size_t		*ustart;	/* history row of each unit's pos 0 */
	size_t		 nblk;		/* horizon blocks */
	uint32_t	*draw;		/* [block][path]: unit << dsh */
	unsigned	 dsh;		/* DRAW_SHIFT if it fits, else 0 */
	size_t		*hblk;		/* horizon period -> block */
	unsigned	*hpos;		/* horizon period -> position */
	uint32_t	*bmask;		/* per block: bits of its positions */
	struct scen	*sc;
	size_t		 nsc;
	int		 fast;		/* every value within SIM_BIG */
	size_t		 lanes;		/* scenarios per pass: 2 or LANES */
	int		 avx2;		/* sim_avx2() */
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
	size_t	 i, n = in->n;
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
	sc->n_end = sc->n_any = sc->n_surge = 0;
}

static void
scen_clear(struct scen *sc)
{
	free(sc->dm);
	free(sc->cm);
	free(sc->surge);
}

/* SPEC 4.4: the estimated wait of backlog v is strictly over the
 * target.  Never decreases as v >= 0 grows (cap_day >= 0). */
static int
over_target(double v, const struct scen *sc, double target)
{
	return v / sc->cap_day > target;
}

/*
 * The least backlog v >= 0 over target (over_target), +inf if none: as
 * over_target never decreases in v, v is over iff v >= it.  A binary
 * search on the bits of v, which order as the values do for v >= +0.
 */
static double
over_from(const struct scen *sc, double target)
{
	uint64_t	 lo = 0, hi, mid;
	double		 v = INFINITY;

	memcpy(&hi, &v, sizeof(hi));
	if (!over_target(v, sc, target))
		return INFINITY;
	while (lo < hi) {			/* over at hi, not below lo */
		mid = lo + (hi - lo) / 2;
		memcpy(&v, &mid, sizeof(v));
		if (over_target(v, sc, target))
			hi = mid;
		else
			lo = mid + 1;
	}
	memcpy(&v, &hi, sizeof(v));
	return v;
}

/* cnt elements of size sz at a 64-byte boundary (vectors, cache lines),
 * from xreallocarray: free *base. */
static void *
alloc_aligned(size_t cnt, size_t sz, void **base)
{
	uintptr_t	 p;

	*base = xreallocarray(NULL, cnt + 64 / sz + 1, sz);
	p = ((uintptr_t)*base + 63) & ~(uintptr_t)63;
	return (void *)p;
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
	const unsigned		 dsh = x->dsh;
	v4w			 v;

	p1 = in->paths - p0 < CHUNK_PATHS ? in->paths : p0 + CHUNK_PATHS;
	for (b = 0; b < x->nblk; b++) {
		row = x->draw + b * in->paths;
		rng_draw_below_streams_simd(in->seed, p0, p1 - p0, (uint32_t)b,
		    (uint32_t)x->nunits, row + p0, x->avx2);
		if (dsh == 0)
			continue;
		for (p = p0; p + 4 <= p1; p += 4) {	/* 4 at a time */
			memcpy(&v, row + p, sizeof(v));
			v <<= DRAW_SHIFT;
			memcpy(row + p, &v, sizeof(v));
		}
		for (; p < p1; p++)
			row[p] <<= DRAW_SHIFT;
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

/* Puts path k in the list of entry e (its count and last path),
 * linking it at *nx. */
static inline void
bucket_put(uint32_t *restrict e, uint32_t *restrict nx, uint32_t k)
{
	e[0]++;
	*nx = e[1];
	e[1] = k;
}

/*
 * The SPEC 4.1 step of one vector (lanes 2 j and 2 j + 1) of path k
 * (see pass_period), returning the new backlogs; *pos gets the mask of
 * the lanes above 0.  max(0, b) is b > 0 ? b : +0 by a mask, which equals
 * step() for every finite b (and backlogs are finite here).  If track,
 * also marks the lanes at or over thr (over target: see run_pass) in ov.
 * Masks only, no selects (GCC 12 fails on some vector selects here).
 */
static inline __attribute__((always_inline)) v2d
pass_step(size_t k, size_t w, size_t j, int track, const v2d *restrict t,
    double *restrict bl, v2l *restrict ov, v2d thr, v2l *pos)
{
	const v2d	 zero = { 0, 0 };
	v2d		 b;

	memcpy(&b, bl + (k * w + j) * 2, sizeof(b));
	b = b + t[j] - t[w + j];
	*pos = (v2l)(b > zero);
	b = (v2d)((v2l)b & *pos);
	memcpy(bl + (k * w + j) * 2, &b, sizeof(b));
	if (track)
		ov[k * w + j] |= (v2l)(b >= thr);
	return b;
}

/*
 * Bounds of the backlogs after a step from backlogs in [mn[a], mx[a]]
 * of each lane a: step() never decreases in the backlog, so every new
 * backlog lies between the least step from mn and the greatest from mx
 * over the complete units (a superset of the drawn ones).  Exact in
 * floating point (pass_step steps finite backlogs as step() does), so
 * the buckets of the step can be counted as it runs.  All 2 w lanes at
 * once, from the pass's table at the step's position (tp: nunits rows
 * of 2 w vectors), with step()'s operations lane by lane; min and max
 * by masks (see pass_step).
 */
static void
step_bounds(const v2d *tp, size_t nunits, size_t w, const double *mn,
    const double *mx, double *lo, double *hi)
{
	const v2l	 mag = { INT64_MAX, INT64_MAX };
	const v2d	 half = { 0.5, 0.5 };
	const v2d	*t;
	v2d		 vmn[2], vmx[2], vlo[2], vhi[2], a, b;
	v2l		 m;
	size_t		 u, j;

	for (j = 0; j < w; j++) {
		vmn[j] = (v2d){ mn[2 * j], mn[2 * j + 1] };
		vmx[j] = (v2d){ mx[2 * j], mx[2 * j + 1] };
		vlo[j] = (v2d){ INFINITY, INFINITY };
		vhi[j] = (v2d){ -INFINITY, -INFINITY };
	}
	for (u = 0; u < nunits; u++) {
		t = tp + u * 2 * w;
		for (j = 0; j < w; j++) {
			a = vmn[j] + t[j] - t[w + j];
			a = (a + (v2d)((v2l)a & mag)) * half;
			b = vmx[j] + t[j] - t[w + j];
			b = (b + (v2d)((v2l)b & mag)) * half;
			m = (v2l)(a < vlo[j]);
			vlo[j] = (v2d)(((v2l)a & m) | ((v2l)vlo[j] & ~m));
			m = (v2l)(b > vhi[j]);
			vhi[j] = (v2d)(((v2l)b & m) | ((v2l)vhi[j] & ~m));
		}
	}
	for (j = 0; j < 2 * w; j++) {
		lo[j] = vlo[j / 2][j % 2];
		hi[j] = vhi[j / 2][j % 2];
	}
}

/*
 * One period of a pass over paths [0, n): its inputs and outputs.  tp
 * is the pass's history table at this period's position (per unit,
 * demand vectors, then capacity vectors, 2 w), row[k] >> dsh the unit
 * drawn by path k; bl the backlogs (2 w per path), ov their over-target
 * marks (w vectors per path, lanes at or over thr, if track); lo and sc
 * each lane's bucket origin and scale, ent its buckets (lane a at a x
 * SIMPCT_LANE_NB x 4 words), nx[lane x n + k] its links; nl lanes of
 * the 2 w are used (the others are spare).
 */
struct pass_io {
	size_t		 n;
	size_t		 nl;
	const uint32_t	*row;
	const v2d	*tp;
	double		*bl;
	v2l		*ov;
	unsigned char	*ovb;		/* AVX2 passes' ov: bit per lane */
	v2d		 thr[2];
	v2d		 lo[2];
	v2d		 sc[2];
	uint32_t	*ent;
	uint32_t	*nx;
	int		 sparse[2];	/* per vector: see pass_period */
	unsigned	 dsh;		/* row[k] >> dsh: drawn unit */
	int		 track;		/* mark ov too */
	size_t		 above[4];	/* sparse: bucketed per lane */
};

/*
 * Puts the backlogs b of one vector (lanes 2 j and 2 j + 1, the second
 * only if used) of path k in their buckets, one list each (see
 * pass_period): bucket 0 if b equals lo, else floor((b - lo) x sc + 1).
 */
static inline __attribute__((always_inline)) void
dense_put(size_t k, size_t n, size_t j, int used, v2d b, v2d lo, v2d sc,
    uint32_t *restrict ent, uint32_t *restrict nx)
{
	const v2d	 one = { 1, 1 };
	v2d		 u;

	u = (b - lo) * sc + one;
	u = (v2d)((v2l)u & (v2l)(b != lo));
	bucket_put(ent + 2 * j * 4 * SIMPCT_LANE_NB +
	    2 * (size_t)(int64_t)u[0], nx + 2 * j * n + k, (uint32_t)k);
	if (used)
		bucket_put(ent + (2 * j + 1) * 4 * SIMPCT_LANE_NB +
		    2 * (size_t)(int64_t)u[1], nx + (2 * j + 1) * n + k,
		    (uint32_t)k);
}

/*
 * One period of a pass: w vectors (2 w scenarios) per path, marks in ov
 * only if io->track.  A vector j of io->sparse[j] == 0 (backlogs mostly
 * not at lo) puts each backlog in its bucket as it comes (dense_put:
 * bucket 0 for copies of lo, one list per bucket).  For one of backlogs
 * mostly at 0 = lo (bucket 0, which then needs no entry: its count is
 * the rest) paths go in groups of 64, whose "above 0" bits (the masks
 * of the cut at 0) are gathered per lane in a word with vector masks;
 * then only the set bits of the used lanes are bucketed, at floor((b -
 * lo) x sc) + 1, in two lists per bucket, and counted in above[lane].
 * Where lo > 0, every backlog is above 0 and bucketed so; copies of lo
 * then share bucket 1 with others, which is still exact.  Inlined with
 * constant w and io->sparse[] (sp0, sp1), so each combination is its
 * own loop (pass_fns).
 */
static inline __attribute__((always_inline)) void
pass_period(struct pass_io *io, size_t w, int sp0, int sp1)
{
	const uint32_t	*restrict row = io->row;
	const v2d	*restrict tp = io->tp, *t;
	double		*restrict bl = io->bl;
	v2l		*restrict ov = io->ov;
	const v2d	 thr0 = io->thr[0], thr1 = io->thr[1];
	uint32_t	*restrict ent = io->ent, *restrict nx = io->nx, *el;
	const v2d	 lo0 = io->lo[0], lo1 = io->lo[1];
	const v2d	 sc0 = io->sc[0], sc1 = io->sc[1];
	const int	 track = io->track;
	const int	 used1 = io->nl > 1, used3 = io->nl > 3;
	const unsigned	 dsh = io->dsh;
	v2d		 b;
	v2l		 pos;
	v2u		 acc[2], bit;
	uint64_t	 bits;
	size_t		 k, k0, k1, lane, e, cnt, n = io->n;
	double		 l, s;

	for (lane = 0; lane < 2 * w; lane++)
		io->above[lane] = 0;
	for (k0 = 0; k0 < n; k0 = k1) {
		k1 = n - k0 < 64 ? n : k0 + 64;
		acc[0] = acc[1] = (v2u){ 0, 0 };
		bit = (v2u){ 1, 1 };
		for (k = k0; k < k1; k++) {
			t = tp + (size_t)(row[k] >> dsh) * 2 * w;
			b = pass_step(k, w, 0, track, t, bl, ov, thr0, &pos);
			if (sp0)
				acc[0] |= (v2u)pos & bit;
			else
				dense_put(k, n, 0, used1, b, lo0, sc0, ent,
				    nx);
			if (w == 2) {
				b = pass_step(k, w, 1, track, t, bl, ov, thr1,
				    &pos);
				if (sp1)
					acc[1] |= (v2u)pos & bit;
				else
					dense_put(k, n, 1, used3, b, lo1, sc1,
					    ent, nx);
			}
			bit <<= 1;
		}
		for (lane = 0; lane < io->nl; lane++) {
			if (!io->sparse[lane / 2])
				continue;
			bits = acc[lane / 2][lane % 2];
			el = ent + lane * 4 * SIMPCT_LANE_NB + 2; /* bucket 1 */
			l = io->lo[lane / 2][lane % 2];
			s = io->sc[lane / 2][lane % 2];
			for (cnt = 0; bits != 0; cnt++) {
				k = k0 + (unsigned)__builtin_ctzll(bits);
				bits &= bits - 1;
				e = k * 2 * w + lane;
				bucket_put(el + 2 * SIMPCT_LANE_NB * (k & 1) +
				    2 * (size_t)(int64_t)((bl[e] - l) * s),
				    nx + lane * n + k, (uint32_t)k);
			}
			io->above[lane] += cnt;
		}
	}
}

/* Each combination of w and sparse[] of pass_period as its own
 * function, [w - 1][sparse[0]][sparse[1]], so that each loop is
 * compiled on its own. */
static void
pass_1d(struct pass_io *io)
{
	pass_period(io, 1, 0, 0);
}

static void
pass_1s(struct pass_io *io)
{
	pass_period(io, 1, 1, 0);
}

static void
pass_2dd(struct pass_io *io)
{
	pass_period(io, 2, 0, 0);
}

static void
pass_2ds(struct pass_io *io)
{
	pass_period(io, 2, 0, 1);
}

static void
pass_2sd(struct pass_io *io)
{
	pass_period(io, 2, 1, 0);
}

static void
pass_2ss(struct pass_io *io)
{
	pass_period(io, 2, 1, 1);
}

static void (*const pass_fns[2][2][2])(struct pass_io *) = {
	{ { pass_1d, pass_1d }, { pass_1s, pass_1s } },
	{ { pass_2dd, pass_2ds }, { pass_2sd, pass_2ss } },
};

#if defined(__x86_64__) && defined(__GNUC__) && !defined(SIM_NO_AVX2)
#define SIM_AVX2	1
#include <immintrin.h>

/*
 * The passes of 4 used lanes (w = 2, nl = 4) again for AVX2, chosen at
 * run time (sim_avx2): the same operations in the same order on the
 * same values, one 4-wide vector where pass_period has two of 2, so the
 * results are identical (no FMA: target "avx2" does not enable it, and
 * C11 mode does not contract).  The bucket numbers, at most
 * SIMPCT_BUCKETS + 1, are converted to 32 bits 4 at a time, which
 * truncates as the 64-bit conversion does.  The over-target marks are
 * one byte per path (ovb, bit a for lane a) instead of ov's 32, a
 * smaller stream to read and write each period.  A draw, unit <<
 * DRAW_SHIFT, is the offset of the unit's row in doubles, so the row
 * needs no arithmetic; each combination of track and sparse[] is its
 * own loop (pass4_fns).  The lists of a sparse lane's buckets get their
 * paths alternately (sparse_puts), not by parity as pass_period's: the
 * order of a bucket's values differs, its set does not, and neither do
 * the selected ranks.
 */
typedef double v4d __attribute__((vector_size(32)));
typedef int64_t v4l __attribute__((vector_size(32)));
typedef uint64_t v4u __attribute__((vector_size(32)));
typedef int32_t v4i __attribute__((vector_size(16)));

/*
 * Puts the paths k0 + j of the set bits j of bits in their buckets (of
 * the sparse numbering: floor((b - lo) x sc) from bucket 1), from their
 * backlogs at bl[4 j] and links at nx[j]: in the lists of entries *e,
 * then *e ^ sw (the other list of the bucket), alternately, so that
 * runs of paths put in one bucket wait less on each other's stores.
 */
static inline __attribute__((always_inline, target("avx2"))) void
sparse_puts(uint64_t bits, const double *restrict bl, uint32_t *restrict nx,
    uint32_t k0, double lo, double sc, uint32_t **e, uintptr_t sw)
{
	uint32_t	*restrict c = *e, *p;
	uint32_t	 j;

	while (bits != 0) {
		j = (uint32_t)__builtin_ctzll(bits);
		bits &= bits - 1;
		p = c + 2 * (size_t)(int64_t)((bl[(size_t)j * 4] - lo) * sc);
		bucket_put(p, nx + j, k0 + j);
		c = (uint32_t *)((uintptr_t)c ^ sw);
	}
	*e = c;
}

static inline __attribute__((always_inline, target("avx2"))) void
pass4_period(struct pass_io *io, int track, int sp0, int sp1)
{
	const uint32_t	*restrict row = io->row;
	const double	*restrict tp = (const double *)io->tp, *t;
	double		*restrict bl = io->bl;
	unsigned char	*restrict ovb = io->ovb;
	uint32_t	*restrict ent = io->ent, *restrict nx = io->nx, *el[4];
	uintptr_t	 sw[4];
	const v4d	 thr = { io->thr[0][0], io->thr[0][1], io->thr[1][0],
			    io->thr[1][1] };
	const v4d	 lo = { io->lo[0][0], io->lo[0][1], io->lo[1][0],
			    io->lo[1][1] };
	const v4d	 sc = { io->sc[0][0], io->sc[0][1], io->sc[1][0],
			    io->sc[1][1] };
	const v4d	 zero = { 0, 0, 0, 0 }, one = { 1, 1, 1, 1 };
	v4d		 b, dm, cm, u;
	v4l		 pos;
	v4u		 acc, bit;
	v4i		 iu;
	uint64_t	 bits;
	size_t		 k, k0, k1, lane, n = io->n;

	for (lane = 0; lane < 4; lane++) {
		io->above[lane] = 0;
		el[lane] = ent + lane * 4 * SIMPCT_LANE_NB + 2; /* bucket 1 */
		sw[lane] = (uintptr_t)el[lane] ^
		    (uintptr_t)(el[lane] + 2 * SIMPCT_LANE_NB);
	}
	for (k0 = 0; k0 < n; k0 = k1) {
		k1 = n - k0 < 64 ? n : k0 + 64;
		acc = (v4u){ 0, 0, 0, 0 };
		bit = (v4u){ 1, 1, 1, 1 };
		for (k = k0; k < k1; k++) {
			t = tp + row[k];
			memcpy(&b, bl + k * 4, sizeof(b));
			memcpy(&dm, t, sizeof(dm));
			memcpy(&cm, t + 4, sizeof(cm));
			b = b + dm - cm;
			pos = (v4l)(b > zero);
			b = (v4d)((v4l)b & pos);
			memcpy(bl + k * 4, &b, sizeof(b));
			if (track)
				ovb[k] |= (unsigned char)_mm256_movemask_pd(
				    (__m256d)(b >= thr));
			if (sp0 || sp1)
				acc |= (v4u)pos & bit;
			if (!sp0 || !sp1) {
				u = (b - lo) * sc + one;
				u = (v4d)((v4l)u & (v4l)(b != lo));
				iu = __builtin_convertvector(u, v4i);
				if (!sp0) {
					bucket_put(ent + 2 * (size_t)(uint32_t)
					    iu[0], nx + k, (uint32_t)k);
					bucket_put(ent + 4 * SIMPCT_LANE_NB +
					    2 * (size_t)(uint32_t)iu[1],
					    nx + n + k, (uint32_t)k);
				}
				if (!sp1) {
					bucket_put(ent + 8 * SIMPCT_LANE_NB +
					    2 * (size_t)(uint32_t)iu[2],
					    nx + 2 * n + k, (uint32_t)k);
					bucket_put(ent + 12 * SIMPCT_LANE_NB +
					    2 * (size_t)(uint32_t)iu[3],
					    nx + 3 * n + k, (uint32_t)k);
				}
			}
			bit <<= 1;
		}
		for (lane = 0; lane < 4; lane++) {
			if (!(lane < 2 ? sp0 : sp1))
				continue;
			bits = acc[lane];
			io->above[lane] += (size_t)__builtin_popcountll(bits);
			sparse_puts(bits, bl + k0 * 4 + lane,
			    nx + lane * n + k0, (uint32_t)k0,
			    io->lo[lane / 2][lane % 2],
			    io->sc[lane / 2][lane % 2], &el[lane], sw[lane]);
		}
	}
}

#define PASS4(name, tr, sp0, sp1)					\
static __attribute__((target("avx2"))) void				\
name(struct pass_io *io)						\
{									\
	pass4_period(io, tr, sp0, sp1);					\
}
PASS4(pass4_dd, 0, 0, 0)
PASS4(pass4_ds, 0, 0, 1)
PASS4(pass4_sd, 0, 1, 0)
PASS4(pass4_ss, 0, 1, 1)
PASS4(pass4_tdd, 1, 0, 0)
PASS4(pass4_tds, 1, 0, 1)
PASS4(pass4_tsd, 1, 1, 0)
PASS4(pass4_tss, 1, 1, 1)

/* [track][sparse[0]][sparse[1]] */
static void (*const pass4_fns[2][2][2])(struct pass_io *) = {
	{ { pass4_dd, pass4_ds }, { pass4_sd, pass4_ss } },
	{ { pass4_tdd, pass4_tds }, { pass4_tsd, pass4_tss } },
};
#endif

/*
 * Whether the passes (and the draws) may use AVX2: the CPU and the
 * operating system support it, and BOARDPACK_NO_AVX2 is not set (to test
 * the plain x86-64 code on any machine).  Results are the same either
 * way.
 */
static int
sim_avx2(void)
{
#ifdef SIM_AVX2
	const char	*e = getenv("BOARDPACK_NO_AVX2");

	if (e != NULL && *e != '\0')
		return 0;
	return __builtin_cpu_supports("avx2") != 0;
#else
	return 0;
#endif
}

/* Lane modes of one period. */
enum lane_mode {
	LANE_EQUAL,		/* every backlog equals lo */
	LANE_BUCKETS,		/* percentiles from the buckets */
	LANE_SELECT		/* range too narrow to scale: select */
};

/*
 * Work item: pass g, scenarios g x lanes ... (at most lanes), over the
 * whole horizon, all paths a period at a time (pass_fns), then each
 * scenario's percentiles of the period from its buckets.  A pass of 1
 * or 2 scenarios runs 2 lanes, of 3 or 4 runs 4; a spare lane repeats
 * the last scenario and is ignored.
 */
static void
run_pass(size_t g, void *arg)
{
	struct ctx		*x = arg;
	const struct sim_input	*in = x->in;
	size_t			 s0 = g * x->lanes, n = in->paths, w, nlane;
	size_t			 h, k, a, l, i, r, len, nab, nb, above[2 * 2];
	struct scen		*sc[2 * 2];
	enum lane_mode		 mode[2 * 2];
	struct simpct_hist	 lh[2 * 2], bh[2 * 2];
	struct simpct_plan	 pl[2 * 2];
	struct pass_io		 io;
	double			 mn[2 * 2], mx[2 * 2], lo[2 * 2], hi[2 * 2];
	double			 scale[2 * 2], v[SIM_PCT_N], *scratch, *d;
	size_t			 nscratch;
	v2d			*tab;
	void			*tab0, *bl0, *ov0;
	double			 thr[2 * 2];
	int			 track, four;
	unsigned		 pos;

	memset(&io, 0, sizeof(io));
	io.n = n;
	io.nl = x->nsc - s0 < x->lanes ? x->nsc - s0 : x->lanes;
	w = io.nl > 2 ? 2 : 1;
	nlane = 2 * w;
	for (a = 0; a < nlane; a++)
		sc[a] = &x->sc[s0 + (a < io.nl ? a : io.nl - 1)];

	/* History table: per position and unit, demand of the lanes, then
	 * capacity; with 4 lanes, a unit's 8 doubles start at unit << 3. */
	len = unit_len(in->period);
	tab = alloc_aligned(len * x->nunits * 2 * w, sizeof(v2d), &tab0);
	for (i = 0; i < len * x->nunits; i++)
		for (a = 0; a < nlane; a++) {
			r = x->ustart[i % x->nunits] + i / x->nunits;
			tab[i * 2 * w + a / 2][a % 2] = sc[a]->dm[r];
			tab[i * 2 * w + w + a / 2][a % 2] = sc[a]->cm[r];
		}
	io.bl = alloc_aligned(n * nlane, sizeof(double), &bl0);
	four = x->avx2 && io.nl == 4 && x->dsh == DRAW_SHIFT;
	io.dsh = x->dsh;
	io.ov = alloc_aligned(four ? 1 : n * w, sizeof(v2l), &ov0);
	io.ovb = xcalloc(four ? n : 1, 1);
	for (k = 0; k < n * nlane; k++)
		io.bl[k] = in->start_minutes;
	for (k = 0; !four && k < n * w; k++)
		io.ov[k] = (v2l){ 0, 0 };
	for (a = 0; a < nlane; a++)
		thr[a] = over_from(sc[a], in->target_wait_days);
	io.thr[0] = (v2d){ thr[0], thr[1] };
	io.thr[1] = (v2d){ thr[nlane - 2], thr[nlane - 1] };
	io.ent = xreallocarray(NULL, nlane * SIMPCT_LANE_NB * 4,
	    sizeof(uint32_t));
	io.nx = xreallocarray(NULL, n * nlane, sizeof(uint32_t));
	scratch = NULL;
	nscratch = 0;
	for (a = 0; a < nlane; a++) {
		mn[a] = mx[a] = in->start_minutes;
		above[a] = n;
	}

	for (h = 0; h < in->horizon; h++) {
		io.row = x->draw + x->hblk[h] * n;
		pos = x->hpos[h];
		io.tp = tab + pos * x->nunits * 2 * w;
		track = 0;
		step_bounds(io.tp, x->nunits, w, mn, mx, lo, hi);
		for (a = 0; a < nlane; a++) {
			if (a >= io.nl) {		/* spare */
				lo[a] = lo[io.nl - 1];
				scale[a] = scale[io.nl - 1];
				continue;
			}
			scale[a] = SIMPCT_BUCKETS / (hi[a] - lo[a]);
			if (!(hi[a] > lo[a]))
				mode[a] = LANE_EQUAL;
			else if (!isfinite(scale[a]))
				mode[a] = LANE_SELECT;
			else
				mode[a] = LANE_BUCKETS;
			if (mode[a] != LANE_BUCKETS)
				scale[a] = 0;
			/* Marks matter only where a backlog can be over. */
			if (over_target(hi[a], sc[a], in->target_wait_days))
				track = 1;
		}
		io.lo[0] = (v2d){ lo[0], lo[1] };
		io.sc[0] = (v2d){ scale[0], scale[1] };
		io.lo[1] = (v2d){ lo[nlane - 2], lo[nlane - 1] };
		io.sc[1] = (v2d){ scale[nlane - 2], scale[nlane - 1] };

		/* At most 80 % of the backlogs of a vector above lo last
		 * period: the sparse loop for the vector (its two lists a
		 * bucket wait less on each other than the dense loop's one
		 * where runs of paths fall in one bucket). */
		for (a = 0; a < w; a++) {
			nab = above[2 * a] + (2 * a + 1 < io.nl ?
			    above[2 * a + 1] : above[2 * a]);
			io.sparse[a] = nab * 5 <= 4 * n * 2;
			for (i = 2 * a; i < 2 * a + 2; i++)
				memset(io.ent + i * 4 * SIMPCT_LANE_NB, 0,
				    SIMPCT_LANE_NB * (io.sparse[a] ? 4 : 2) *
				    sizeof(uint32_t));
		}
		io.track = track;
		if (w == 1)
			io.sparse[1] = 0;
#ifdef SIM_AVX2
		if (four)
			pass4_fns[track][io.sparse[0]][io.sparse[1]](&io);
		else
#endif
			pass_fns[w - 1][io.sparse[0]][io.sparse[1]](&io);

		/* The buckets' regions of every lane, then their copies
		 * all at once, then the percentiles. */
		for (a = nb = 0; a < io.nl; a++) {
			lh[a].ent = io.ent + a * SIMPCT_LANE_NB * 4;
			lh[a].lists = io.sparse[a / 2] ? 2 : 1;
			lh[a].cnt0 = io.sparse[a / 2] ? n - io.above[a] :
			    lh[a].ent[0];
			lh[a].nx = io.nx + a * n;
			lh[a].val = io.bl;
			lh[a].stride = nlane;
			lh[a].lane = a;
			above[a] = n - lh[a].cnt0;
			if (mode[a] == LANE_BUCKETS) {
				simpct_plan(&lh[a], n, &pl[nb]);
				bh[nb++] = lh[a];
			}
		}
		/* Scratch: the regions (few values, mostly), then n for
		 * a lane of LANE_SELECT; grown as needed. */
		for (i = r = 0; i < nb; i++)
			r += pl[i].rg.size;
		for (a = 0; a < io.nl; a++)
			if (mode[a] == LANE_SELECT)
				r += n;
		if (r > nscratch) {
			nscratch = r > 2 * nscratch ? r : 2 * nscratch;
			free(scratch);
			scratch = xreallocarray(NULL, nscratch,
			    sizeof(double));
		}
		for (i = r = 0; i < nb; i++) {
			pl[i].base = scratch + r;
			r += pl[i].rg.size;
		}
		simpct_copy(bh, pl, nb);
		for (a = nb = 0; a < io.nl; a++) {
			switch (mode[a]) {
			case LANE_EQUAL:
				for (l = 0; l < SIM_PCT_N; l++)
					v[l] = lo[a];
				mn[a] = mx[a] = lo[a];
				break;
			case LANE_BUCKETS:
				simpct_finish(&lh[a], n, lo[a], &pl[nb++], v,
				    &mn[a], &mx[a]);
				break;
			case LANE_SELECT:
				d = scratch + r;	/* after regions */
				for (k = 0; k < n; k++)
					d[k] = simpct_val(&lh[a], k);
				mn[a] = mx[a] = d[0];
				for (k = 1; k < n; k++) {
					mn[a] = d[k] < mn[a] ? d[k] : mn[a];
					mx[a] = d[k] > mx[a] ? d[k] : mx[a];
				}
				simpct_select(d, n, v);
				break;
			}
			for (l = 0; l < SIM_PCT_N; l++)
				x->sim->scenarios[s0 + a].backlog_pct[l][h] =
				    v[l];
		}
	}

	/* Paths over target at the end and in any period: marks were
	 * made wherever a backlog could be over. */
	for (a = 0; a < io.nl; a++)
		for (k = 0; k < n; k++) {
			sc[a]->n_end += over_target(io.bl[k * nlane + a], sc[a],
			    in->target_wait_days);
			sc[a]->n_any += four ? (io.ovb[k] >> a) & 1 :
			    io.ov[k * w + a / 2][a % 2] != 0;
		}
	free(scratch);
	free(io.nx);
	free(io.ent);
	free(io.ovb);
	free(ov0);
	free(bl0);
	free(tab0);
}

/*
 * Work item: scenario s over the whole horizon with scalar steps, for
 * histories whose values could overflow a backlog (not x->fast): each
 * period's percentiles by selection on a copy of the backlogs.
 */
static void
run_generic(size_t s, void *arg)
{
	struct ctx		*x = arg;
	const struct sim_input	*in = x->in;
	struct scen		*sc = &x->sc[s];
	size_t			 n = in->paths, h, k, i, l;
	const uint32_t		*row;
	double			*bl, *pk, *scratch, b, mn, mx, v[SIM_PCT_N];
	unsigned		 pos;

	bl = xreallocarray(NULL, n, sizeof(double));
	pk = xcalloc(n, sizeof(double));
	scratch = xreallocarray(NULL, n, sizeof(double));
	for (k = 0; k < n; k++)
		bl[k] = in->start_minutes;
	for (h = 0; h < in->horizon; h++) {
		row = x->draw + x->hblk[h] * n;
		pos = x->hpos[h];
		mn = INFINITY;
		mx = -INFINITY;
		for (k = 0; k < n; k++) {
			i = x->ustart[row[k] >> x->dsh] + pos;
			b = step(bl[k], sc->dm[i], sc->cm[i]);
			bl[k] = b;
			pk[k] = b > pk[k] ? b : pk[k];
			mn = b < mn ? b : mn;
			mx = b > mx ? b : mx;
		}
		if (mn == mx)
			for (l = 0; l < SIM_PCT_N; l++)
				v[l] = mn;
		else {
			memcpy(scratch, bl, n * sizeof(double));
			simpct_select(scratch, n, v);
		}
		for (l = 0; l < SIM_PCT_N; l++)
			x->sim->scenarios[s].backlog_pct[l][h] = v[l];
	}
	for (k = 0; k < n; k++) {
		sc->n_end += over_target(bl[k], sc, in->target_wait_days);
		sc->n_any += over_target(pk[k], sc, in->target_wait_days);
	}
	free(scratch);
	free(pk);
	free(bl);
}

/*
 * Paths with a surge (SPEC 4.4): these depend on the draws only, not on
 * backlogs.  For SURGE_LANES scenarios at a time, each block gives every
 * unit a bit per scenario that has a surge at one of the block's
 * positions; a path ORs the bits of its drawn units.
 */
static void
count_surges(struct ctx *x)
{
	const struct sim_input	*in = x->in;
	size_t			 n = in->paths, s0, nl, j, u, b, k, i, r;
	uint32_t		*smask, *row;
	unsigned char		*bits, *sg;
	unsigned		 pos, len = unit_len(in->period);
	const unsigned		 dsh = x->dsh;

	smask = xreallocarray(NULL, x->nunits * SURGE_LANES,
	    sizeof(uint32_t));
	bits = xcalloc(x->nunits, 1);
	sg = xreallocarray(NULL, n, 1);
	for (s0 = 0; s0 < x->nsc; s0 += SURGE_LANES) {
		nl = x->nsc - s0 < SURGE_LANES ? x->nsc - s0 : SURGE_LANES;
		for (j = 0; j < nl; j++)
			for (u = 0; u < x->nunits; u++) {
				smask[u * SURGE_LANES + j] = 0;
				for (pos = 0; pos < len; pos++)
					if (x->sc[s0 + j].surge[x->ustart[u] +
					    pos])
						smask[u * SURGE_LANES + j] |=
						    (uint32_t)1 << pos;
			}
		memset(sg, 0, n);
		for (b = 0; b < x->nblk; b++) {
			for (u = 0; u < x->nunits; u++) {
				r = 0;
				for (j = 0; j < nl; j++)
					if (smask[u * SURGE_LANES + j] &
					    x->bmask[b])
						r |= (size_t)1 << j;
				bits[u] = (unsigned char)r;
			}
			row = x->draw + b * n;
			if (dsh == DRAW_SHIFT)	/* a constant shift */
				for (k = 0; k < n; k++)
					sg[k] |= bits[row[k] >> DRAW_SHIFT];
			else
				for (k = 0; k < n; k++)
					sg[k] |= bits[row[k]];
		}
		for (j = 0; j < nl; j++) {
			for (i = k = 0; k < n; k++)
				i += (sg[k] >> j) & 1;
			x->sc[s0 + j].n_surge = i;
		}
	}
	free(sg);
	free(bits);
	free(smask);
}

/* Whether every start, demand and capacity value a pass reads is within
 * +-SIM_BIG (see run_pass). */
static int
all_small(const struct ctx *x)
{
	const struct sim_input	*in = x->in;
	size_t			 s, u, i, len = unit_len(in->period);

	if (!(fabs(in->start_minutes) <= SIM_BIG))
		return 0;
	for (s = 0; s < x->nsc; s++)
		for (u = 0; u < x->nunits; u++)
			for (i = x->ustart[u]; i < x->ustart[u] + len; i++)
				if (!(fabs(x->sc[s].dm[i]) <= SIM_BIG) ||
				    !(fabs(x->sc[s].cm[i]) <= SIM_BIG))
					return 0;
	return 1;
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
	size_t			 s, l, p, nchunk;
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
	x.fast = all_small(&x);
	x.avx2 = sim_avx2();

	/* Passes of LANES scenarios are the fastest on one thread; of 2 if
	 * that gives idle threads work (results never depend on it). */
	x.lanes = LANES;
	if (jobs > 1 && (x.nsc + LANES - 1) / LANES < (size_t)jobs)
		x.lanes = 2;

	/* The draws once, then the scenarios over the whole horizon. */
	x.nblk = x.hblk[in->horizon - 1] + 1;
	x.draw = xreallocarray(NULL, x.nblk * in->paths, sizeof(uint32_t));
	x.dsh = x.nunits <= UINT32_MAX >> DRAW_SHIFT ? DRAW_SHIFT : 0;
	x.bmask = xcalloc(x.nblk, sizeof(uint32_t));
	for (p = 0; p < in->horizon; p++)
		x.bmask[x.hblk[p]] |= (uint32_t)1 << x.hpos[p];
	nchunk = (in->paths + CHUNK_PATHS - 1) / CHUNK_PATHS;
	util_parallel_for(nchunk, jobs, draw_chunk, &x);
	if (x.fast)
		util_parallel_for((x.nsc + x.lanes - 1) / x.lanes, jobs,
		    run_pass, &x);
	else
		util_parallel_for(x.nsc, jobs, run_generic, &x);
	count_surges(&x);

	/* Probabilities over paths; counts, so the order is immaterial. */
	for (s = 0; s < x.nsc; s++) {
		ss = &sim->scenarios[s];
		if (isnan(target)) {
			ss->p_wait_over_target_end = NAN;
			ss->p_wait_over_target_any = NAN;
		} else {
			ss->p_wait_over_target_end = (double)x.sc[s].n_end /
			    (double)in->paths;
			ss->p_wait_over_target_any = (double)x.sc[s].n_any /
			    (double)in->paths;
		}
		ss->p_demand_2x_capacity = (double)x.sc[s].n_surge /
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
