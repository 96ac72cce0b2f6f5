/*
 * bench_sim.c: times sim_run (SPEC 4.4) on one synthetic daily service,
 * for `make bench` (tests/bench.sh).  Not a test: prints figures, never
 * asserts on time.
 *
 * usage: bench_sim [PATHS] [HORIZON] [JOBS] [REPEATS] [STAFF]
 *
 * The history is 3 years of daily demand and staff shaped like
 * tests/tools/gen_bench.py's (load near 1, weekends lighter), with the
 * bench pack's three scenarios, so all four scenarios run.  STAFF (13)
 * is the usual number on duty against a weekday demand of 100 hours: 13
 * leaves most paths at no backlog, 12 or fewer make a queue that grows
 * (the other way through sim.c).  Prints one
 * line: best-of-REPEATS wall time, paths per second (paths x scenarios
 * per second is the "simulation paths/s" of the bench table) and
 * nanoseconds per path-period.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model.h"
#include "sim.h"
#include "util.h"
#include "unit/splitmix.h"

#define BENCH_DAYS	1095

static double
bench_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}


static double
bench_unif(uint64_t *s)
{
	return (double)(mix_next(s) >> 11) / 9007199254740992.0;
}

static long
bench_arg(int argc, char *argv[], int i, long def)
{
	long	 v;

	if (argc > i && util_parse_long(argv[i], &v) && v > 0)
		return v;
	return def;
}

int
main(int argc, char *argv[])
{
	struct sim_input	 in;
	struct scenario_def	 sd[3];
	struct sim		*sim;
	int64_t			*key;
	double			*dm, *cr, best = INFINITY, t, u1, u2, g;
	uint64_t		 st = 20241231;
	size_t			 i, nsc;
	long			 paths, horizon, jobs, reps, r;
	double			 base = 100, res;

	paths = bench_arg(argc, argv, 1, 10000);
	horizon = bench_arg(argc, argv, 2, 182);
	jobs = bench_arg(argc, argv, 3, 1);
	reps = bench_arg(argc, argv, 4, 3);
	res = (double)bench_arg(argc, argv, 5, 13);

	key = xreallocarray(NULL, BENCH_DAYS, sizeof(*key));
	dm = xreallocarray(NULL, BENCH_DAYS, sizeof(*dm));
	cr = xreallocarray(NULL, BENCH_DAYS, sizeof(*cr));
	for (i = 0; i < BENCH_DAYS; i++) {
		key[i] = util_days_from_civil(2022, 1, 3) + (int64_t)i;
		u1 = bench_unif(&st);
		u2 = bench_unif(&st);
		g = sqrt(-2 * log(1 - u1)) * cos(2 * M_PI * u2);
		g = base * (util_weekday(key[i]) >= 5 ? 0.7 : 1.0) +
		    sqrt(base) * g;
		dm[i] = 60 * (g > 0 ? floor(g) : 0);
		cr[i] = bench_unif(&st) > 0.05 ? res : res - 1;
	}
	memset(sd, 0, sizeof(sd));
	sd[0].name = "Add one";
	sd[0].capacity_add = 1;
	sd[0].capacity_factor = sd[0].demand_factor = 1;
	sd[1].name = "Agency";
	sd[1].capacity_factor = 1.1;
	sd[1].demand_factor = 1;
	sd[2].name = "Channel shift";
	sd[2].capacity_factor = 1;
	sd[2].demand_factor = 0.9;

	memset(&in, 0, sizeof(in));
	in.period = PERIOD_DAY;
	in.n = BENCH_DAYS;
	in.key = key;
	in.demand_minutes = dm;
	in.capacity_resources = cr;
	in.minutes_per_resource = 480;
	in.start_minutes = 1200;
	in.target_wait_days = 28;
	in.scenarios = sd;
	in.nscenarios = 3;
	in.paths = (size_t)paths;
	in.horizon = (size_t)horizon;
	in.seed = 1;
	nsc = in.nscenarios + 1;

	for (r = 0; r < reps; r++) {
		t = bench_now();
		sim = sim_run(&in, (int)jobs);
		t = bench_now() - t;
		if (sim == NULL) {
			fputs("bench_sim: no simulation\n", stderr);
			return 1;
		}
		sim_free(sim);
		best = t < best ? t : best;
	}
	printf("{\"paths\": %ld, \"horizon\": %ld, \"scenarios\": %zu, "
	    "\"jobs\": %ld, \"seconds\": %.6f, \"paths_per_s\": %.0f, "
	    "\"scenario_paths_per_s\": %.0f, \"ns_per_path_period\": %.2f}\n",
	    paths, horizon, nsc, jobs, best, (double)paths / best,
	    (double)paths * (double)nsc / best,
	    best * 1e9 / ((double)paths * (double)horizon * (double)nsc));
	free(key);
	free(dm);
	free(cr);
	return 0;
}
