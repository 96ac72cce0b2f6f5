/*
 * test_sim.c: SPEC 4.4 simulation.  Probabilities that can be worked
 * out by hand (a known share k/N of history units holds a surge, so at
 * least one surge in W drawn units has probability 1 - (1 - k/N)^W, as
 * in shared reference queue.md "Useful facts"), checked within 5
 * standard errors sqrt(p (1 - p) / paths); deterministic histories whose
 * backlogs follow the SPEC 4.1 recursion by hand; an independent replay
 * of the documented draw scheme with full sorting for the percentiles;
 * common random numbers, cost, determinism across jobs, partial weeks,
 * and no complete unit.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rng.h"
#include "sim.h"
#include "util.h"

#define MAXN	512

/* One test history: n regular periods from key0. */
struct hist {
	enum period	 period;
	size_t		 n;
	int64_t		 key[MAXN];
	double		 dm[MAXN];	/* demand minutes */
	double		 cr[MAXN];	/* capacity resources */
};

static void
hist_init(struct hist *h, enum period p, int64_t key0, size_t n,
    double dm, double cr)
{
	size_t	 i;

	assert_true(n <= MAXN);
	memset(h, 0, sizeof(*h));
	h->period = p;
	h->n = n;
	for (i = 0; i < n; i++) {
		h->key[i] = i == 0 ? key0 : util_date_next(p, h->key[i - 1]);
		h->dm[i] = dm;
		h->cr[i] = cr;
	}
}

/* 100 minutes per resource, empty start, no target, seed 1. */
static void
input_init(struct sim_input *in, const struct hist *h, size_t paths,
    size_t horizon)
{
	memset(in, 0, sizeof(*in));
	in->period = h->period;
	in->n = h->n;
	in->key = h->key;
	in->demand_minutes = h->dm;
	in->capacity_resources = h->cr;
	in->minutes_per_resource = 100;
	in->start_minutes = 0;
	in->target_wait_days = NAN;
	in->paths = paths;
	in->horizon = horizon;
	in->seed = 1;
}

static int64_t
day(int y, unsigned m, unsigned d)
{
	return util_days_from_civil(y, m, d);
}

/* |got - p| within 5 standard errors of a proportion over paths. */
static void
near_p(double got, double p, size_t paths)
{
	double	 se = sqrt(p * (1 - p) / (double)paths);

	if (!(fabs(got - p) <= 5 * se))
		fail_msg("got %.6g, want %.6g +- %.6g", got, p, 5 * se);
}

static void
near(double got, double want)
{
	double	 tol = fabs(want) * 1e-9;

	if (tol < 1e-9)
		tol = 1e-9;
	if (!(fabs(got - want) <= tol))
		fail_msg("got %.12g, want %.12g", got, want);
}

/* Every percentile of scenario s at period t equals want. */
static void
all_pct(const struct sim *sim, size_t s, size_t t, double want)
{
	size_t	 l;

	for (l = 0; l < SIM_PCT_N; l++)
		near(sim->scenarios[s].backlog_pct[l][t], want);
}

static void
test_defaults(void **state)
{
	(void)state;
	assert_int_equal(sim_default_horizon(PERIOD_DAY), 182);
	assert_int_equal(sim_default_horizon(PERIOD_HOUR), 4368);
	assert_int_equal(sim_default_horizon(PERIOD_WEEK), 26);
	assert_int_equal(sim_default_horizon(PERIOD_MONTH), 6);	/* 5.98 */
	assert_int_equal(sim_pct_levels[0], 5);
	assert_int_equal(sim_pct_levels[4], 95);
}

/*
 * Daily: 3 days Fri-Sun, 10 complete weeks from Monday 2024-01-01 of
 * which k = 3 hold a surge Saturday (200 demand vs 100 capacity), then
 * Mon-Wed.  The partial weeks are all surge and must never be drawn.
 * The horizon starts Thursday 2024-03-14: Thu-Sun, then whole weeks, so
 * horizon 9 (Thu-Sun, Mon-Fri) meets 1 Saturday, 10 meets 2 and 21
 * (Thu-Sun, 2 weeks, Mon-Wed) meets 3: p = 1 - 0.7^W.
 */
static void
surge_daily(struct hist *h)
{
	size_t	 i;

	hist_init(h, PERIOD_DAY, day(2023, 12, 29), 76, 50, 1);
	assert_int_equal(util_weekday(h->key[3]), 0);
	for (i = 0; i < 3; i++)
		h->dm[i] = h->dm[73 + i] = 300;
	h->dm[3 + 0 * 7 + 5] = 200;	/* Saturdays of weeks 0, 4, 8 */
	h->dm[3 + 4 * 7 + 5] = 200;
	h->dm[3 + 8 * 7 + 5] = 200;
}

static void
test_surge_daily(void **state)
{
	struct hist	 h;
	struct sim_input in;
	struct sim	*sim;
	static const size_t horizon[] = { 9, 10, 21 };
	static const int sats[] = { 1, 2, 3 };
	size_t		 i, paths = 20000;
	char		 d[16];

	(void)state;
	surge_daily(&h);
	input_init(&in, &h, paths, 0);
	assert_int_equal(sim_complete_units(&in), 10);
	for (i = 0; i < 3; i++) {
		in.horizon = horizon[i];
		sim = sim_run(&in, 2);
		assert_non_null(sim);
		assert_int_equal(sim->paths, paths);
		assert_int_equal(sim->horizon, horizon[i]);
		assert_int_equal(sim->nscenarios, 1);
		assert_string_equal(sim->scenarios[0].name, "baseline");
		near_p(sim->scenarios[0].p_demand_2x_capacity,
		    1 - pow(0.7, sats[i]), paths);
		assert_true(isnan(sim->scenarios[0].p_wait_over_target_end));
		assert_true(isnan(sim->scenarios[0].p_wait_over_target_any));
		util_date_format(d, sizeof(d), PERIOD_DAY, sim->keys[0]);
		assert_string_equal(d, "2024-03-14");
		util_date_format(d, sizeof(d), PERIOD_DAY,
		    sim->keys[horizon[i] - 1]);
		if (i == 2)
			assert_string_equal(d, "2024-04-03");
		sim_free(sim);
	}
}

/*
 * Hourly: 8 complete days from 2024-01-01T00, hour 13 a surge on days
 * 0 and 5 (k/N = 1/4), then 2024-01-09T00..10 (partial, all surge).
 * Horizon 66 = 11..23, two days, 00..04: three blocks hold hour 13.
 */
static void
test_surge_hourly(void **state)
{
	struct hist	 h;
	struct sim_input in;
	struct sim	*sim;
	size_t		 i, paths = 20000;
	char		 d[32];

	(void)state;
	hist_init(&h, PERIOD_HOUR, day(2024, 1, 1) * 24, 8 * 24 + 11, 50, 1);
	for (i = 8 * 24; i < h.n; i++)
		h.dm[i] = 500;
	h.dm[13] = h.dm[5 * 24 + 13] = 250;
	input_init(&in, &h, paths, 66);
	assert_int_equal(sim_complete_units(&in), 8);
	sim = sim_run(&in, 1);
	assert_non_null(sim);
	near_p(sim->scenarios[0].p_demand_2x_capacity, 1 - pow(0.75, 3),
	    paths);
	util_date_format(d, sizeof(d), PERIOD_HOUR, sim->keys[0]);
	assert_string_equal(d, "2024-01-09T11");
	util_date_format(d, sizeof(d), PERIOD_HOUR, sim->keys[65]);
	assert_string_equal(d, "2024-01-12T04");
	sim_free(sim);
}

/* Weekly and monthly: the unit is one period (k = 2 of 10 weeks over
 * 5 weeks; k = 3 of 12 months over 6 months). */
static void
test_surge_week_month(void **state)
{
	struct hist	 h;
	struct sim_input in;
	struct sim	*sim;
	size_t		 paths = 20000;
	char		 d[16];

	(void)state;
	hist_init(&h, PERIOD_WEEK, day(2024, 1, 1), 10, 50, 1);
	h.dm[2] = h.dm[7] = 300;
	input_init(&in, &h, paths, 5);
	assert_int_equal(sim_complete_units(&in), 10);
	sim = sim_run(&in, 3);
	near_p(sim->scenarios[0].p_demand_2x_capacity, 1 - pow(0.8, 5),
	    paths);
	util_date_format(d, sizeof(d), PERIOD_WEEK, sim->keys[0]);
	assert_string_equal(d, "2024-03-11");
	sim_free(sim);

	hist_init(&h, PERIOD_MONTH, day(2023, 1, 1), 12, 50, 1);
	h.dm[0] = h.dm[4] = h.dm[11] = 200;
	input_init(&in, &h, paths, 6);
	assert_int_equal(sim_complete_units(&in), 12);
	sim = sim_run(&in, 1);
	near_p(sim->scenarios[0].p_demand_2x_capacity, 1 - pow(0.75, 6),
	    paths);
	util_date_format(d, sizeof(d), PERIOD_MONTH, sim->keys[0]);
	assert_string_equal(d, "2024-01");
	util_date_format(d, sizeof(d), PERIOD_MONTH, sim->keys[5]);
	assert_string_equal(d, "2024-06");
	sim_free(sim);
}

/*
 * Constant history: demand 120, capacity 1 x 100 minutes a day, start
 * 500, so backlog[t] = 500 + 20 (t + 1) on every path (1060 at t = 27)
 * and the wait is backlog / 100 days: 10.6 at the end.  Target 10.6 is
 * not exceeded (strictly), 10.59 is.
 */
static void
test_constant(void **state)
{
	struct hist	 h;
	struct sim_input in;
	struct sim	*sim;
	size_t		 t;

	(void)state;
	hist_init(&h, PERIOD_DAY, day(2024, 1, 1), 28, 120, 1);
	input_init(&in, &h, 300, 28);
	in.start_minutes = 500;
	in.target_wait_days = 10.6;
	sim = sim_run(&in, 2);
	for (t = 0; t < 28; t++)
		all_pct(sim, 0, t, 500 + 20 * (double)(t + 1));
	near(sim->scenarios[0].p_wait_over_target_end, 0);
	near(sim->scenarios[0].p_wait_over_target_any, 0);
	near(sim->scenarios[0].p_demand_2x_capacity, 0);
	sim_free(sim);

	in.target_wait_days = 10.59;
	sim = sim_run(&in, 1);
	near(sim->scenarios[0].p_wait_over_target_end, 1);
	near(sim->scenarios[0].p_wait_over_target_any, 1);
	sim_free(sim);

	/* Demand 80: 480, 460, ... 0 from t = 24; 4.8 days > 4.7 only
	 * early on, so "any" but not "end". */
	hist_init(&h, PERIOD_DAY, day(2024, 1, 1), 14, 80, 1);
	in.target_wait_days = 4.7;
	sim = sim_run(&in, 1);
	for (t = 0; t < 28; t++)
		all_pct(sim, 0, t, t < 24 ? 480 - 20 * (double)t : 0);
	near(sim->scenarios[0].p_wait_over_target_end, 0);
	near(sim->scenarios[0].p_wait_over_target_any, 1);
	sim_free(sim);

	/* Demand exactly twice capacity is a surge; zero capacity never. */
	hist_init(&h, PERIOD_DAY, day(2024, 1, 1), 7, 200, 1);
	sim = sim_run(&in, 1);
	near(sim->scenarios[0].p_demand_2x_capacity, 1);
	sim_free(sim);
	hist_init(&h, PERIOD_DAY, day(2024, 1, 1), 7, 199.99, 1);
	sim = sim_run(&in, 1);
	near(sim->scenarios[0].p_demand_2x_capacity, 0);
	sim_free(sim);
	hist_init(&h, PERIOD_DAY, day(2024, 1, 1), 7, 0, 0);
	sim = sim_run(&in, 1);
	near(sim->scenarios[0].p_demand_2x_capacity, 0);
	all_pct(sim, 0, 27, 500);
	sim_free(sim);
}

/*
 * Scenario transforms and cost on the constant history (demand 120,
 * 1 resource x 100, start 500, target 3 days, horizon 28):
 * A: (1 + 1) x 100 x 0.75 = 150 capacity, 120 x 0.5 = 60 demand:
 *    backlog 500 - 90 (t + 1), 0 from t = 5; p_end 0 against 1 for
 *    the baseline: 280 pounds / 100 points = 2.8.
 * B: capacity_add -5 stops at 0 resources: backlog 500 + 120 (t + 1),
 *    nothing removed: null.
 * C: free and as good as A: 0 pounds per point.
 */
static void
test_scenarios(void **state)
{
	struct hist		 h;
	struct sim_input	 in;
	struct sim		*sim;
	struct scenario_def	 sd[3];
	size_t			 t;

	(void)state;
	memset(sd, 0, sizeof(sd));
	sd[0].name = "A";
	sd[0].capacity_add = 1;
	sd[0].capacity_factor = 0.75;
	sd[0].demand_factor = 0.5;
	sd[0].cost_per_period = 10;
	sd[1].name = "B";
	sd[1].capacity_add = -5;
	sd[1].capacity_factor = 1;
	sd[1].demand_factor = 1;
	sd[1].cost_per_period = 3;
	sd[2] = sd[0];
	sd[2].name = "C";
	sd[2].cost_per_period = 0;
	hist_init(&h, PERIOD_DAY, day(2024, 1, 1), 21, 120, 1);
	input_init(&in, &h, 100, 28);
	in.start_minutes = 500;
	in.target_wait_days = 3;
	in.scenarios = sd;
	in.nscenarios = 3;
	sim = sim_run(&in, 2);
	assert_int_equal(sim->nscenarios, 4);
	assert_string_equal(sim->scenarios[0].name, "baseline");
	assert_string_equal(sim->scenarios[1].name, "A");
	assert_string_equal(sim->scenarios[3].name, "C");
	for (t = 0; t < 28; t++) {
		all_pct(sim, 0, t, 500 + 20 * (double)(t + 1));
		all_pct(sim, 1, t, t < 5 ? 500 - 90 * (double)(t + 1) : 0);
		all_pct(sim, 2, t, 500 + 120 * (double)(t + 1));
	}
	near(sim->scenarios[0].cost, 0);
	near(sim->scenarios[1].cost, 280);
	near(sim->scenarios[2].cost, 84);
	near(sim->scenarios[0].p_wait_over_target_end, 1);
	/* A's wait is backlog / 150 a day: 410 / 150 = 2.7 < 3 at t = 0. */
	near(sim->scenarios[1].p_wait_over_target_end, 0);
	near(sim->scenarios[1].p_wait_over_target_any, 0);
	/* B: no capacity at all, so any backlog is an infinite wait. */
	near(sim->scenarios[2].p_wait_over_target_end, 1);
	assert_true(isnan(sim->scenarios[0].cost_per_point_risk_removed));
	near(sim->scenarios[1].cost_per_point_risk_removed, 2.8);
	assert_true(isnan(sim->scenarios[2].cost_per_point_risk_removed));
	near(sim->scenarios[3].cost_per_point_risk_removed, 0);
	sim_free(sim);
}

/* A daily history with varied demand and staffing starting on a
 * Wednesday (partial first and last weeks). */
static void
random_daily(struct hist *h, size_t n)
{
	struct rng	 r;
	size_t		 i;

	hist_init(h, PERIOD_DAY, day(2024, 1, 3), n, 0, 0);
	rng_init(&r, 99, 0, 0);
	for (i = 0; i < n; i++) {
		h->dm[i] = floor(rng_unit(&r) * 400);
		h->cr[i] = (double)rng_below(&r, 4);
	}
}

static int
cmp_d(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Independent replay of SPEC 4.4 as sim.h documents the draws: complete
 * weeks of the history in order; horizon block b of path p takes week
 * rng_draw_below(seed, p, b, weeks); SPEC 4.1 per path; percentiles by
 * full sort and util_pct_sorted.  Everything must agree exactly.
 */
static void
test_replay(void **state)
{
	struct hist		 h;
	struct sim_input	 in;
	struct sim		*sim;
	struct scenario_def	 sd;
	size_t			 paths = 257, H = 12, n = 60, first, nw;
	size_t			 p, t, s, l, blk, u, i, end, any, surge;
	double			 cm[2][MAXN], dmv[2][MAXN], capday[2];
	double			*b, *col, v;
	int			 seen_any, seen_surge;

	(void)state;
	random_daily(&h, n);
	memset(&sd, 0, sizeof(sd));
	sd.name = "half staff, less demand";
	sd.capacity_add = -1;
	sd.capacity_factor = 1.2;
	sd.demand_factor = 1.2;
	input_init(&in, &h, paths, H);
	in.start_minutes = 300;
	in.target_wait_days = 4;
	in.seed = 7;
	in.scenarios = &sd;
	in.nscenarios = 1;
	sim = sim_run(&in, 3);
	assert_non_null(sim);

	/* 2024-01-03 is a Wednesday: weeks start at row 5; 60 rows end on
	 * Saturday 2024-03-02, so 7 complete weeks; horizon from Sunday. */
	assert_int_equal(util_weekday(h.key[n - 1]), 5);
	first = 5;
	nw = (n - first) / 7;
	assert_int_equal(sim_complete_units(&in), nw);
	for (s = 0; s < 2; s++) {
		capday[s] = 0;
		for (i = 0; i < n; i++) {
			v = s == 0 ? h.cr[i] : fmax(0, h.cr[i] - 1);
			cm[s][i] = v * 100 * (s == 0 ? 1 : 1.2);
			dmv[s][i] = h.dm[i] * (s == 0 ? 1 : 1.2);
			capday[s] += cm[s][i];
		}
		capday[s] /= (double)n;
	}
	b = calloc(paths * H, sizeof(double));
	col = calloc(paths, sizeof(double));
	for (s = 0; s < 2; s++) {
		end = any = surge = 0;
		for (p = 0; p < paths; p++) {
			v = 300;
			seen_any = seen_surge = 0;
			for (t = 0; t < H; t++) {
				/* Sunday, then weeks from Monday. */
				blk = t < 1 ? 0 : 1 + (t - 1) / 7;
				u = rng_draw_below(7, p, (uint32_t)blk,
				    (uint32_t)nw);
				i = first + u * 7 + (t + 6) % 7;
				v = fmax(0, v + dmv[s][i] - cm[s][i]);
				b[t * paths + p] = v;
				seen_any |= v / capday[s] > 4;
				seen_surge |= cm[s][i] > 0 &&
				    dmv[s][i] >= 2 * cm[s][i];
			}
			end += v / capday[s] > 4;
			any += seen_any;
			surge += seen_surge;
		}
		/* A test of substance: no probability is 0 or 1. */
		assert_true(end > 0 && any > 0 && surge > 0);
		assert_true(end < paths && any < paths && surge < paths);
		near(sim->scenarios[s].p_wait_over_target_end,
		    (double)end / (double)paths);
		near(sim->scenarios[s].p_wait_over_target_any,
		    (double)any / (double)paths);
		near(sim->scenarios[s].p_demand_2x_capacity,
		    (double)surge / (double)paths);
		for (t = 0; t < H; t++) {
			memcpy(col, b + t * paths, paths * sizeof(double));
			qsort(col, paths, sizeof(double), cmp_d);
			for (l = 0; l < SIM_PCT_N; l++)
				near(sim->scenarios[s].backlog_pct[l][t],
				    util_pct_sorted(col, paths,
				    sim_pct_levels[l]));
		}
	}
	free(b);
	free(col);
	sim_free(sim);
}

static void
same_sim(const struct sim *a, const struct sim *b)
{
	size_t	 s, l;

	assert_int_equal(a->nscenarios, b->nscenarios);
	assert_int_equal(a->horizon, b->horizon);
	assert_memory_equal(a->keys, b->keys, a->horizon * sizeof(int64_t));
	for (s = 0; s < a->nscenarios; s++) {
		assert_true(a->scenarios[s].p_wait_over_target_end ==
		    b->scenarios[s].p_wait_over_target_end);
		assert_true(a->scenarios[s].p_wait_over_target_any ==
		    b->scenarios[s].p_wait_over_target_any);
		assert_true(a->scenarios[s].p_demand_2x_capacity ==
		    b->scenarios[s].p_demand_2x_capacity);
		for (l = 0; l < SIM_PCT_N; l++)
			assert_memory_equal(a->scenarios[s].backlog_pct[l],
			    b->scenarios[s].backlog_pct[l],
			    a->horizon * sizeof(double));
	}
}

/* Identical results for jobs 1, 2, 3, 8 and on a repeat; a scenario
 * that changes nothing equals the baseline (common random numbers);
 * another seed gives other results. */
static void
test_determinism_crn(void **state)
{
	struct hist		 h;
	struct sim_input	 in;
	struct sim		*a, *b;
	struct scenario_def	 sd;
	static const int	 jobs[] = { 2, 3, 8, 1 };
	size_t			 i, l;

	(void)state;
	random_daily(&h, 200);
	memset(&sd, 0, sizeof(sd));
	sd.name = "no change";
	sd.capacity_factor = 1;
	sd.demand_factor = 1;
	sd.cost_per_period = 50;
	input_init(&in, &h, 1000, 300);
	in.start_minutes = 100;
	in.target_wait_days = 1;
	in.scenarios = &sd;
	in.nscenarios = 1;
	a = sim_run(&in, 1);
	for (i = 0; i < 4; i++) {
		b = sim_run(&in, jobs[i]);
		same_sim(a, b);
		sim_free(b);
	}
	for (l = 0; l < SIM_PCT_N; l++)
		assert_memory_equal(a->scenarios[0].backlog_pct[l],
		    a->scenarios[1].backlog_pct[l], 300 * sizeof(double));
	assert_true(a->scenarios[0].p_wait_over_target_end ==
	    a->scenarios[1].p_wait_over_target_end);
	assert_true(a->scenarios[0].p_demand_2x_capacity ==
	    a->scenarios[1].p_demand_2x_capacity);
	assert_true(isnan(a->scenarios[1].cost_per_point_risk_removed));
	near(a->scenarios[1].cost, 15000);

	in.seed = 2;
	b = sim_run(&in, 1);
	assert_true(memcmp(a->scenarios[0].backlog_pct[2],
	    b->scenarios[0].backlog_pct[2], 300 * sizeof(double)) != 0);
	sim_free(b);
	sim_free(a);
}

/* Both NaN, or the same value. */
static void
same_double(double got, double want)
{
	if (!(got == want || (isnan(got) && isnan(want))))
		fail_msg("got %.17g, want %.17g", got, want);
}

/*
 * Independent replay of a daily simulation with any scenarios, as
 * test_replay but in general: complete weeks found by weekday, blocks
 * of the horizon by calendar week, SPEC 4.1 per path with fmax, wait
 * against util_mean of the capacity, percentiles by full sort.  The
 * results must be the same bits.
 */
static void
replay_daily(const struct sim_input *in, const struct sim *sim)
{
	size_t		 nw = 0, first, p, t, s, l, blk, u, i, n = in->n;
	size_t		 end, any, surge, paths = in->paths, H = in->horizon;
	size_t		 week[MAXN];
	double		*cm, *dm, *b, *col, v, capday, r, target;
	const struct scenario_def *sd;
	unsigned	 wd0;
	int		 seen_any, seen_surge;

	/* Complete weeks: Monday..Sunday rows (the test data have no gaps
	 * or missing values). */
	for (first = 0; util_weekday(in->key[first]) != 0; first++)
		continue;
	for (i = first; i + 7 <= n; i += 7)
		week[nw++] = i;
	assert_int_equal(sim_complete_units(in), nw);
	wd0 = util_weekday(in->key[n - 1]);
	cm = calloc(n, sizeof(double));
	dm = calloc(n, sizeof(double));
	b = calloc(paths * H, sizeof(double));
	col = calloc(paths, sizeof(double));
	target = in->target_wait_days;
	for (s = 0; s <= in->nscenarios; s++) {
		sd = s > 0 ? &in->scenarios[s - 1] : NULL;
		for (i = 0; i < n; i++) {
			r = in->capacity_resources[i] +
			    (sd ? sd->capacity_add : 0);
			if (r < 0)
				r = 0;
			cm[i] = r * in->minutes_per_resource *
			    (sd ? sd->capacity_factor : 1);
			dm[i] = in->demand_minutes[i] *
			    (sd ? sd->demand_factor : 1);
		}
		capday = util_mean(cm, n);
		end = any = surge = 0;
		for (p = 0; p < paths; p++) {
			v = in->start_minutes;
			seen_any = seen_surge = 0;
			for (t = blk = 0; t < H; t++) {
				if (t > 0 && (wd0 + 1 + t) % 7 == 0)
					blk++;
				u = rng_draw_below(in->seed, p, (uint32_t)blk,
				    (uint32_t)nw);
				i = week[u] + (wd0 + 1 + t) % 7;
				v = fmax(0, v + dm[i] - cm[i]);
				b[t * paths + p] = v;
				seen_any |= v / capday > target;
				seen_surge |= cm[i] > 0 && dm[i] >= 2 * cm[i];
			}
			end += v / capday > target;
			any += seen_any;
			surge += seen_surge;
		}
		if (isnan(target)) {
			same_double(sim->scenarios[s].p_wait_over_target_end,
			    NAN);
			same_double(sim->scenarios[s].p_wait_over_target_any,
			    NAN);
		} else {
			same_double(sim->scenarios[s].p_wait_over_target_end,
			    (double)end / (double)paths);
			same_double(sim->scenarios[s].p_wait_over_target_any,
			    (double)any / (double)paths);
		}
		same_double(sim->scenarios[s].p_demand_2x_capacity,
		    (double)surge / (double)paths);
		for (t = 0; t < H; t++) {
			memcpy(col, b + t * paths, paths * sizeof(double));
			qsort(col, paths, sizeof(double), cmp_d);
			for (l = 0; l < SIM_PCT_N; l++)
				same_double(sim->scenarios[s].backlog_pct[l][t],
				    util_pct_sorted(col, paths,
				    sim_pct_levels[l]));
		}
	}
	free(cm);
	free(dm);
	free(b);
	free(col);
}

/* Runs in on 1 and 3 threads, and without AVX2 (BOARDPACK_NO_AVX2:
 * the code every x86-64 runs), checks all against the replay. */
static void
check_replay(const struct sim_input *in)
{
	struct sim	*a, *b, *c;

	a = sim_run(in, 1);
	b = sim_run(in, 3);
	assert_int_equal(setenv("BOARDPACK_NO_AVX2", "1", 1), 0);
	c = sim_run(in, 1);
	assert_int_equal(unsetenv("BOARDPACK_NO_AVX2"), 0);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	same_sim(a, b);
	same_sim(a, c);
	replay_daily(in, a);
	sim_free(a);
	sim_free(b);
	sim_free(c);
}

/*
 * The replay on histories that take every way through sim.c: passes of
 * 4 and 2 scenarios (1 to 6 scenarios); backlogs mostly at 0 (a load
 * well below 1), mostly above it (over 1) and mixed within a pass;
 * whole and fractional minutes (copies of a value in a bucket, or not);
 * a target crossed in some periods only; ranges too narrow to scale
 * (values near the least subnormal) and values so large that the
 * scalar path takes over.
 */
static void
test_replay_ways(void **state)
{
	static struct hist	 h;
	struct sim_input	 in;
	struct scenario_def	 sd[5];
	struct rng		 r;
	size_t			 i, ns;
	int			 load, frac;

	(void)state;
	memset(sd, 0, sizeof(sd));
	for (i = 0; i < 5; i++) {
		sd[i].name = "s";
		sd[i].capacity_factor = sd[i].demand_factor = 1;
	}
	sd[0].capacity_add = 2;		/* well below load 1 */
	sd[1].capacity_factor = 0.8;	/* over it */
	sd[2].demand_factor = 0.9;
	sd[3].capacity_add = -1;
	sd[4].capacity_factor = 1.05;
	for (load = 0; load < 3; load++)
		for (frac = 0; frac < 2; frac++) {
			hist_init(&h, PERIOD_DAY, day(2024, 1, 3), 200, 0, 0);
			rng_init(&r, 5 + (uint64_t)load, 0, 0);
			for (i = 0; i < h.n; i++) {
				h.dm[i] = 60 * floor(rng_unit(&r) * 20);
				if (frac)
					h.dm[i] *= 1 + rng_unit(&r) / 7;
				h.cr[i] = load == 0 ? 8 : load == 1 ? 5 : 4;
				h.cr[i] += (double)rng_below(&r, 2);
			}
			for (ns = 0; ns <= 5; ns++) {
				input_init(&in, &h, 1000, 40);
				in.minutes_per_resource = 100;
				in.start_minutes = 600;
				in.target_wait_days = 3;
				in.seed = 3;
				in.scenarios = sd;
				in.nscenarios = ns;
				check_replay(&in);
			}
		}

	/* A pass whose first two scenarios mostly run above 0 and whose
	 * last two mostly sit at 0 (the history is the last of the loop). */
	sd[3].capacity_add = 5;
	sd[0].capacity_add = 6;
	input_init(&in, &h, 1000, 40);
	in.minutes_per_resource = 100;
	in.start_minutes = 600;
	in.target_wait_days = 3;
	in.scenarios = (const struct scenario_def[]){ sd[1], sd[0], sd[3] };
	in.nscenarios = 3;
	check_replay(&in);

	/* Narrow: capacities of 0 and the least subnormals of demand, so
	 * that the buckets do not fit in the range of a period. */
	hist_init(&h, PERIOD_DAY, day(2024, 1, 1), 28, 0, 0);
	for (i = 0; i < h.n; i++)
		h.dm[i] = 4.9406564584124654e-324 * (double)(i % 3);
	input_init(&in, &h, 300, 20);
	in.target_wait_days = 1;
	in.scenarios = sd;
	in.nscenarios = 3;		/* a pass of 4 (AVX2 where there is) */
	check_replay(&in);
	in.nscenarios = 2;
	check_replay(&in);

	/* Large: demand near 1e300, which could overflow a backlog. */
	for (i = 0; i < h.n; i++) {
		h.dm[i] = 1e300 * (double)(i % 4);
		h.cr[i] = 1;
	}
	in.minutes_per_resource = 1.5e300;
	in.start_minutes = 1e300;
	check_replay(&in);
}

/* No complete unit: no simulation. */
static void
test_no_unit(void **state)
{
	struct hist		 h;
	struct sim_input	 in;
	struct sim		*sim;

	(void)state;
	hist_init(&h, PERIOD_DAY, day(2024, 1, 1), 6, 10, 1);	/* Mon-Sat */
	input_init(&in, &h, 10, 5);
	assert_int_equal(sim_complete_units(&in), 0);
	assert_null(sim_run(&in, 1));
	hist_init(&h, PERIOD_DAY, day(2024, 1, 2), 7, 10, 1);	/* Tue-Mon */
	input_init(&in, &h, 10, 5);
	assert_int_equal(sim_complete_units(&in), 0);
	assert_null(sim_run(&in, 2));
	hist_init(&h, PERIOD_HOUR, day(2024, 1, 1) * 24 + 1, 24, 10, 1);
	input_init(&in, &h, 10, 5);
	assert_int_equal(sim_complete_units(&in), 0);
	assert_null(sim_run(&in, 1));
	hist_init(&h, PERIOD_HOUR, day(2024, 1, 1) * 24, 24, 10, 1);
	input_init(&in, &h, 10, 5);
	assert_int_equal(sim_complete_units(&in), 1);
	sim = sim_run(&in, 1);
	assert_non_null(sim);
	sim_free(sim);
	hist_init(&h, PERIOD_MONTH, day(2024, 1, 1), 1, 10, 1);
	input_init(&in, &h, 10, 5);
	assert_int_equal(sim_complete_units(&in), 1);
	sim = sim_run(&in, 1);
	assert_non_null(sim);
	sim_free(sim);
	in.n = 0;
	assert_null(sim_run(&in, 1));
	sim_free(NULL);
}

/* sim_input_service: defaults and the current backlog (SPEC 4.4). */
static void
test_input_service(void **state)
{
	struct service		 svc;
	struct series		 s;
	struct flow		 f;
	struct sim_input	 in;
	struct scenario_def	 sd;
	int64_t			 key[3] = { 10, 11, 12 };
	double			 dm[3] = { 60, 120, 180 };
	double			 cr[3] = { 1, 2, 3 };
	double			 bm[3] = { 5, 6, 7 };
	double			 ow[3] = { 4, 9, NAN };

	(void)state;
	memset(&svc, 0, sizeof(svc));
	memset(&s, 0, sizeof(s));
	memset(&f, 0, sizeof(f));
	memset(&sd, 0, sizeof(sd));
	s.n = 3;
	s.key = key;
	svc.series = &s;
	svc.period = PERIOD_WEEK;
	svc.minutes_per_case = 60;
	svc.minutes_per_resource = 240;
	svc.has_target_wait = true;
	svc.target_wait_days = 28;
	svc.scenarios = &sd;
	svc.nscenarios = 1;
	svc.sim_seed = 5;
	f.demand_minutes = dm;
	f.capacity_resources = cr;
	f.backlog_minutes = bm;
	f.observed_waiting = ow;
	assert_int_equal(sim_input_service(&svc, &f, &in), 0);
	near(in.start_minutes, 9 * 60);	/* last non-missing observed */
	assert_int_equal(in.paths, 10000);
	assert_int_equal(in.horizon, 26);
	assert_int_equal(in.seed, 5);
	near(in.target_wait_days, 28);
	near(in.minutes_per_resource, 240);
	assert_ptr_equal(in.scenarios, &sd);
	assert_int_equal(in.n, 3);

	f.observed_waiting = NULL;
	svc.sim_paths = 500;
	svc.sim_horizon = 9;
	assert_int_equal(sim_input_service(&svc, &f, &in), 0);
	near(in.start_minutes, 7);	/* last computed backlog */
	assert_int_equal(in.paths, 500);
	assert_int_equal(in.horizon, 9);

	svc.series = NULL;
	assert_int_equal(sim_input_service(&svc, &f, &in), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_surge_daily),
		cmocka_unit_test(test_surge_hourly),
		cmocka_unit_test(test_surge_week_month),
		cmocka_unit_test(test_constant),
		cmocka_unit_test(test_scenarios),
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_determinism_crn),
		cmocka_unit_test(test_replay_ways),
		cmocka_unit_test(test_no_unit),
		cmocka_unit_test(test_input_service),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
