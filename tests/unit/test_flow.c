/*
 * test_flow.c: SPEC 4.1 recursion (seed example, hand-worked backlogs),
 * SPEC 4.2 queue formulas against the NHSRwaitinglist test vectors
 * (shared reference queue.md, relative tolerance 1e-6) and SPEC 4.3
 * percentile capacity.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "flow.h"
#include "util.h"

/* |got - want| <= 1e-6 |want| (absolute 1e-12 near 0). */
static void
near(double got, double want)
{
	double	 tol = fabs(want) * 1e-6;

	if (tol < 1e-12)
		tol = 1e-12;
	if (!(fabs(got - want) <= tol))
		fail_msg("got %.12g, want %.12g", got, want);
}

static void
near_v(const double *got, const double *want, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		near(got[i], want[i]);
}

static void
test_seed_example(void **state)
{
	double			 demand[] = { 12 };
	struct flow_input	 in;
	struct flow		 f;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.n = 1;
	in.demand = demand;
	in.resources_const = 2;
	in.minutes_per_case = 60;
	in.minutes_per_resource = 240;
	in.backlog_start = 20;
	in.days_per_period = 1;
	flow_compute(&in, &f);
	near(f.demand_minutes[0], 720);
	near(f.capacity_minutes[0], 480);
	near(f.capacity_resources[0], 2);
	/* backlog[-1] = 20 x 60 = 1200; 1200 + 720 - 480 = 1440. */
	near(f.backlog_minutes[0], 1440);
	near(f.backlog_cases[0], 24);
	near(f.served_minutes[0], 480);
	near(f.utilisation[0], 1);
	near(f.wait_days[0], 3);
	near(f.load, 1.5);
	assert_null(f.observed_waiting);
	flow_clear(&f);
	assert_null(f.demand_minutes);
}

/* Five days: backlog falls to 0, then rises. */
static void
test_backlog_recursion(void **state)
{
	double			 demand[] = { 10, 3, 9, 12, 8 };
	double			 dm[] = { 600, 180, 540, 720, 480 };
	double			 bm[] = { 240, 0, 60, 300, 300 };
	double			 bc[] = { 4, 0, 1, 5, 5 };
	double			 sv[] = { 480, 420, 480, 480, 480 };
	double			 ut[] = { 1, 0.875, 1, 1, 1 };
	double			 wd[] = { 0.5, 0, 0.125, 0.625, 0.625 };
	struct flow_input	 in;
	struct flow		 f;
	double			 pc[PCTCAP_N];
	double			 pcw[PCTCAP_N] = { 540, 624, 648, 672, 696 };

	(void)state;
	memset(&in, 0, sizeof(in));
	in.n = 5;
	in.demand = demand;
	in.resources_const = 2;
	in.minutes_per_case = 60;
	in.minutes_per_resource = 240;
	in.backlog_start = 2;
	in.days_per_period = 1;
	flow_compute(&in, &f);
	near_v(f.demand_minutes, dm, 5);
	near_v(f.backlog_minutes, bm, 5);
	near_v(f.backlog_cases, bc, 5);
	near_v(f.served_minutes, sv, 5);
	near_v(f.utilisation, ut, 5);
	near_v(f.wait_days, wd, 5);
	near(f.load, 2520.0 / 2400.0);

	/* Sorted 180 480 540 600 720: h = 4p. */
	flow_pctcap(f.demand_minutes, 5, pc);
	near_v(pc, pcw, PCTCAP_N);
	assert_int_equal(pctcap_levels[0], 50);
	assert_int_equal(pctcap_levels[4], 95);
	flow_clear(&f);
}

/* Weekly data with a capacity column and a week of zero capacity. */
static void
test_zero_capacity(void **state)
{
	double			 demand[] = { 1, 2, 3 };
	double			 res[] = { 2, 0, 1 };
	double			 obs[] = { 0, NAN, 4 };
	struct flow_input	 in;
	struct flow		 f;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.n = 3;
	in.demand = demand;
	in.resources = res;
	in.resources_const = 99;	/* ignored: column given */
	in.observed = obs;
	in.minutes_per_case = 50;
	in.minutes_per_resource = 100;
	in.days_per_period = 7;
	flow_compute(&in, &f);
	near(f.capacity_minutes[1], 0);
	near(f.backlog_minutes[0], 0);
	near(f.backlog_minutes[1], 100);
	near(f.backlog_minutes[2], 150);
	near(f.served_minutes[0], 50);
	near(f.served_minutes[1], 0);
	near(f.served_minutes[2], 100);
	near(f.utilisation[0], 0.25);
	assert_true(isnan(f.utilisation[1]));
	near(f.utilisation[2], 1);
	/* Mean capacity 100 min/week = 100/7 per day. */
	near(f.wait_days[1], 7);
	near(f.wait_days[2], 10.5);
	near(f.load, 1);
	assert_non_null(f.observed_waiting);
	assert_true(isnan(f.observed_waiting[1]));
	near(f.observed_waiting[2], 4);
	flow_clear(&f);
}

static void
test_no_capacity(void **state)
{
	double			 demand[] = { 1, 2 };
	struct flow_input	 in;
	struct flow		 f;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.n = 2;
	in.demand = demand;
	in.minutes_per_case = 10;
	in.minutes_per_resource = 100;
	in.days_per_period = 1;
	flow_compute(&in, &f);
	assert_true(isnan(f.load));
	assert_true(isnan(f.utilisation[0]));
	assert_true(isnan(f.wait_days[1]));
	near(f.backlog_minutes[1], 30);
	flow_clear(&f);

	in.n = 0;
	flow_compute(&in, &f);
	assert_null(f.demand_cases);
	assert_true(isnan(f.load));
	flow_clear(&f);
}

/* NHSRwaitinglist tests/testthat vectors (reference/queue.md); the
 * pressure pairs are (W, T) = (42, 24) and (55, 50). */
static void
test_upstream_vectors(void **state)
{
	double	 lD[] = { 35, 30, 52 }, lC[] = { 27, 25, 42 };
	double	 lw[] = { 1.2962963, 1.2, 1.23809524 };
	double	 mT[] = { 35, 30, 52 }, mF[] = { 4, 4, 6 };
	double	 mw[] = { 8.75, 7.5, 8.6666667 };
	double	 cD[] = { 30, 42, 35 }, cT[] = { 52, 65, 50 };
	double	 cF[] = { 3, 2, 1 }, cd[] = { 1.1, 1.2, 1.3 };
	double	 cc[] = { 1.4, 1.5, 1.6 };
	double	 cw[] = { 30.0914423, 42.0567692, 35.0425 };
	double	 rD[] = { 30, 33, 35 }, rQ[] = { 1200, 800, 250 };
	double	 rQt[] = { 390, 200, 100 }, rt[] = { 26, 30, 15 };
	double	 rw[] = { 61.153846, 53, 45 };
	double	 pW[] = { 42, 55 }, pT[] = { 24, 50 }, pw[] = { 3.5, 2.2 };
	size_t	 i;

	(void)state;
	near(flow_queue_load(30, 27), 1.11111111);
	for (i = 0; i < 3; i++)
		near(flow_queue_load(lD[i], lC[i]), lw[i]);
	near(flow_target_mean_wait(52, 4), 13);
	for (i = 0; i < 3; i++)
		near(flow_target_mean_wait(mT[i], mF[i]), mw[i]);
	near(flow_target_queue_size(30, 52, 4), 390);
	near(flow_target_queue_size(30, 50, 4), 375);
	near(flow_target_queue_size(30, 50, 6), 250);
	near(flow_target_capacity(30, 52, 3, 1.1, 1.2), 30.076442);
	for (i = 0; i < 3; i++)
		near(flow_target_capacity(cD[i], cT[i], cF[i], cd[i], cc[i]),
		    cw[i]);
	near(flow_relief_capacity(30, 1200, 390, 26), 61.153846);
	for (i = 0; i < 3; i++)
		near(flow_relief_capacity(rD[i], rQ[i], rQt[i], rt[i]), rw[i]);
	near(flow_pressure(63, 52), 2.42307692);
	for (i = 0; i < 2; i++)
		near(flow_pressure(pW[i], pT[i]), pw[i]);

	/* Zero denominators are undefined, not infinite. */
	assert_true(isnan(flow_queue_load(1, 0)));
	assert_true(isnan(flow_mean_wait(5, 0)));
	assert_true(isnan(flow_target_capacity(1, 0, 4, 0.1, 0.1)));
	near(flow_mean_wait(20, 12), 20.0 / 12.0);
}

static void
test_cv(void **state)
{
	double	 v[] = { 10, 3, 9, 12, 8 }, c[] = { 8, 8, 8 };
	double	 one[] = { 5 }, z[] = { 0, 0 }, m[] = { 1, NAN, 3 };

	(void)state;
	/* sd = sqrt(45.2 / 4), mean 8.4. */
	near(flow_cv(v, 5), sqrt(11.3) / 8.4);
	near(flow_cv(c, 3), 0);
	assert_true(isnan(flow_cv(one, 1)));
	assert_true(isnan(flow_cv(z, 2)));
	near(flow_cv(m, 3), sqrt(2.0) / 2.0);	/* NAN skipped */
}

static struct series *
mkseries(struct series *s, struct column *cols, size_t ncols, size_t n,
    int64_t *key)
{
	size_t	 i;

	memset(s, 0, sizeof(*s));
	s->n = n;
	s->key = key;
	for (i = 0; i < n; i++)
		key[i] = 19723 + (int64_t)i;	/* 2024-01-01 */
	s->cols = cols;
	s->ncols = ncols;
	return s;
}

/* Queue targets from a service: SPEC 4.2 defaults (cv from data,
 * Q = last computed backlog, t_r = 182 days). */
static void
test_queue_service(void **state)
{
	double			 demand[] = { 10, 3, 9, 12, 8 };
	struct column		 cols[] = { { "referrals", demand } };
	int64_t			 key[5];
	struct series		 s;
	struct service		 svc;
	struct flow_input	 in;
	struct flow		 f;
	struct queue		 q;
	double			 cvd = sqrt(11.3) / 8.4;

	(void)state;
	memset(&svc, 0, sizeof(svc));
	svc.period = PERIOD_DAY;
	svc.has_demand = svc.has_capacity = true;
	svc.demand_column = "referrals";
	svc.minutes_per_case = 60;
	svc.resources = 2;
	svc.minutes_per_resource = 240;
	svc.backlog_start = 2;
	svc.has_target_wait = true;
	svc.target_wait_days = 28;
	svc.queue_factor = 4;
	svc.series = mkseries(&s, cols, 1, 5, key);
	assert_int_equal(flow_input_service(&svc, &in), 0);
	flow_compute(&in, &f);
	flow_queue(&svc, &in, &f, &q);
	near(q.mean_demand, 8.4);
	near(q.mean_capacity, 8);
	near(q.target_wait, 28);
	near(q.factor, 4);
	near(q.cv_demand, cvd);
	near(q.cv_capacity, 0);
	near(q.current_queue, 5);
	near(q.target_mean_wait, 7);
	near(q.target_queue_size, 58.8);
	near(q.target_capacity, 8.4 + cvd * cvd / 2 * 4 / 28);
	near(q.relief_capacity, 8.4 + (5 - 58.8) / 182);
	near(q.mean_wait, 5 / 8.4);
	near(q.pressure, 2 * (5 / 8.4) / 28);
	near(q.queue_load, 1.05);
	flow_clear(&f);

	/* Missing column: no flow. */
	svc.capacity_column = "nope";
	assert_int_equal(flow_input_service(&svc, &in), -1);
	svc.capacity_column = NULL;
	svc.has_capacity = false;
	assert_int_equal(flow_input_service(&svc, &in), -1);
}

/* The SPEC 4.5 example: D 12, C 8, overrides cv 0.3 / 0.1, observed
 * queue 20 (last non-missing), relief over 26 periods. */
static void
test_queue_spec_example(void **state)
{
	double			 demand[] = { 12, 12, 12, 12 };
	double			 idvas[] = { 2, 2, 2, 2 };
	double			 waiting[] = { 18, 19, 20, NAN };
	struct column		 cols[] = { { "date", NULL },
				    { "referrals", demand },
				    { "idvas", idvas }, { "waiting", waiting } };
	int64_t			 key[4];
	struct series		 s;
	struct service		 svc;
	struct flow_input	 in;
	struct flow		 f;
	struct queue		 q;

	(void)state;
	memset(&svc, 0, sizeof(svc));
	svc.period = PERIOD_DAY;
	svc.has_demand = svc.has_capacity = true;
	svc.demand_column = "referrals";
	svc.capacity_column = "idvas";
	svc.backlog_column = "waiting";
	svc.minutes_per_case = 60;
	svc.minutes_per_resource = 240;
	svc.backlog_start = 20;
	svc.has_target_wait = true;
	svc.target_wait_days = 28;
	svc.queue_factor = 4;
	svc.has_cv_demand = svc.has_cv_capacity = true;
	svc.cv_demand = 0.3;
	svc.cv_capacity = 0.1;
	svc.has_relief_periods = true;
	svc.relief_periods = 26;
	svc.series = mkseries(&s, cols, 4, 4, key);
	assert_int_equal(flow_input_service(&svc, &in), 0);
	flow_compute(&in, &f);
	flow_queue(&svc, &in, &f, &q);
	near(q.mean_demand, 12);
	near(q.mean_capacity, 8);
	near(q.cv_demand, 0.3);
	near(q.cv_capacity, 0.1);
	near(q.current_queue, 20);
	near(q.target_mean_wait, 7);
	near(q.target_queue_size, 84);
	near(q.target_capacity, 12.0071428571);
	near(q.relief_capacity, 9.53846153846);
	near(q.mean_wait, 1.66666666667);
	near(q.pressure, 0.119047619048);
	near(q.queue_load, 1.5);
	flow_clear(&f);
}

/* Monthly: T and the default t_r are in months (30.4375 days). */
static void
test_queue_monthly(void **state)
{
	double			 demand[] = { 100, 120, 80 };
	struct column		 cols[] = { { "refs", demand } };
	int64_t			 key[3];
	struct series		 s;
	struct service		 svc;
	struct flow_input	 in;
	struct flow		 f;
	struct queue		 q;
	double			 T = 126 / 30.4375, tr = 182 / 30.4375;

	(void)state;
	memset(&svc, 0, sizeof(svc));
	svc.period = PERIOD_MONTH;
	svc.has_demand = svc.has_capacity = true;
	svc.demand_column = "refs";
	svc.minutes_per_case = 30;
	svc.resources = 10;
	svc.minutes_per_resource = 300;
	svc.backlog_start = 50;
	svc.has_target_wait = true;
	svc.target_wait_days = 126;
	svc.queue_factor = 4;
	svc.series = mkseries(&s, cols, 1, 3, key);
	assert_int_equal(flow_input_service(&svc, &in), 0);
	flow_compute(&in, &f);
	flow_queue(&svc, &in, &f, &q);
	/* backlog: 1500 + 3000 - 3000 = 1500; + 3600 - 3000 = 2100;
	 * + 2400 - 3000 = 1500 -> 50 cases. */
	near(f.backlog_minutes[2], 1500);
	near(f.wait_days[2], 1500 / (3000 / 30.4375));
	near(q.target_wait, T);
	near(q.current_queue, 50);
	near(q.target_queue_size, 100 * T / 4);
	near(q.relief_capacity, 100 + (50 - 100 * T / 4) / tr);
	near(q.pressure, 2 * 0.5 / T);
	flow_clear(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_example),
		cmocka_unit_test(test_backlog_recursion),
		cmocka_unit_test(test_zero_capacity),
		cmocka_unit_test(test_no_capacity),
		cmocka_unit_test(test_upstream_vectors),
		cmocka_unit_test(test_cv),
		cmocka_unit_test(test_queue_service),
		cmocka_unit_test(test_queue_spec_example),
		cmocka_unit_test(test_queue_monthly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
