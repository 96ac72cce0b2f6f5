/*
 * flow.c: SPEC 4.1 demand/capacity/backlog, SPEC 4.2 queue targets
 * (Fong and Walton 2022; NHSRwaitinglist R/calc_*.R), SPEC 4.3
 * percentile capacity.  Pure.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "series.h"
#include "util.h"

/* SPEC 4.3: the capacity levels, in this order. */
const int pctcap_levels[PCTCAP_N] = {50, 80, 85, 90, 95};

/* a / b, or NAN when b is 0 or either is not finite. */
static double
ratio(double a, double b)
{
	if (!isfinite(a) || !isfinite(b) || b == 0)
		return NAN;
	return a / b;
}

/* Fills in from a service and its series; 0 or -1 (see flow.h). */
int
flow_input_service(const struct service *svc, struct flow_input *in)
{
	const struct series	*s = svc->series;

	memset(in, 0, sizeof(*in));
	if (!svc->has_demand || !svc->has_capacity || s == NULL)
		return -1;
	in->n = s->n;
	if ((in->demand = series_column(s, svc->demand_column)) == NULL)
		return -1;
	if (svc->capacity_column != NULL) {
		in->resources = series_column(s, svc->capacity_column);
		if (in->resources == NULL)
			return -1;
	}
	in->resources_const = svc->resources;
	if (svc->backlog_column != NULL) {
		in->observed = series_column(s, svc->backlog_column);
		if (in->observed == NULL)
			return -1;
	}
	in->minutes_per_case = svc->minutes_per_case;
	in->minutes_per_resource = svc->minutes_per_resource;
	in->backlog_start = svc->backlog_start;
	in->days_per_period = util_period_days(svc->period);
	return 0;
}

static double *
dup_array(const double *v, size_t n)
{
	double	*p = xreallocarray(NULL, n, sizeof(*p));

	memcpy(p, v, n * sizeof(*p));
	return p;
}

/* SPEC 4.1 for in->n periods into f; free with flow_clear(). */
void
flow_compute(const struct flow_input *in, struct flow *f)
{
	size_t	 i, n = in->n;
	double	 prev, avail, mean_cap_day, sum_d = 0, sum_c = 0;

	memset(f, 0, sizeof(*f));
	f->load = NAN;
	if (n == 0)
		return;
	f->demand_cases = dup_array(in->demand, n);
	f->demand_minutes = xreallocarray(NULL, n, sizeof(double));
	f->capacity_resources = xreallocarray(NULL, n, sizeof(double));
	f->capacity_minutes = xreallocarray(NULL, n, sizeof(double));
	f->backlog_minutes = xreallocarray(NULL, n, sizeof(double));
	f->backlog_cases = xreallocarray(NULL, n, sizeof(double));
	f->served_minutes = xreallocarray(NULL, n, sizeof(double));
	f->utilisation = xreallocarray(NULL, n, sizeof(double));
	f->wait_days = xreallocarray(NULL, n, sizeof(double));
	if (in->observed != NULL)
		f->observed_waiting = dup_array(in->observed, n);

	/* backlog_minutes[-1] = start x minutes_per_case (SPEC 4.1). */
	prev = in->backlog_start * in->minutes_per_case;
	for (i = 0; i < n; i++) {
		f->demand_minutes[i] = in->demand[i] * in->minutes_per_case;
		f->capacity_resources[i] = in->resources != NULL ?
		    in->resources[i] : in->resources_const;
		f->capacity_minutes[i] = f->capacity_resources[i] *
		    in->minutes_per_resource;
		avail = prev + f->demand_minutes[i];
		f->backlog_minutes[i] = avail - f->capacity_minutes[i];
		if (f->backlog_minutes[i] < 0)
			f->backlog_minutes[i] = 0;
		f->served_minutes[i] = f->capacity_minutes[i] < avail ?
		    f->capacity_minutes[i] : avail;
		f->utilisation[i] = ratio(f->served_minutes[i],
		    f->capacity_minutes[i]);
		f->backlog_cases[i] = ratio(f->backlog_minutes[i],
		    in->minutes_per_case);
		sum_d += f->demand_minutes[i];
		sum_c += f->capacity_minutes[i];
		prev = f->backlog_minutes[i];
	}
	f->load = ratio(sum_d, sum_c);

	/* Little's law on the critical resource: mean capacity per day. */
	mean_cap_day = ratio(util_mean(f->capacity_minutes, n),
	    in->days_per_period);
	for (i = 0; i < n; i++)
		f->wait_days[i] = ratio(f->backlog_minutes[i], mean_cap_day);
}

/* Frees the arrays of f and zeroes it. */
void
flow_clear(struct flow *f)
{
	if (f == NULL)
		return;
	free(f->demand_cases);
	free(f->demand_minutes);
	free(f->capacity_resources);
	free(f->capacity_minutes);
	free(f->backlog_minutes);
	free(f->backlog_cases);
	free(f->served_minutes);
	free(f->utilisation);
	free(f->wait_days);
	free(f->observed_waiting);
	memset(f, 0, sizeof(*f));
	f->load = NAN;
}

/* NHSRwaitinglist calc_queue_load: D / C. */
double
flow_queue_load(double D, double C)
{
	return ratio(D, C);
}

/* NHSRwaitinglist calc_target_mean_wait: T / F. */
double
flow_target_mean_wait(double T, double F)
{
	return ratio(T, F);
}

/* NHSRwaitinglist calc_target_queue_size: D x T / F. */
double
flow_target_queue_size(double D, double T, double F)
{
	return ratio(D * T, F);
}

/* NHSRwaitinglist calc_target_capacity. */
double
flow_target_capacity(double D, double T, double F, double cvd, double cvc)
{
	return D + ((cvd * cvd + cvc * cvc) / 2) * ratio(F, T);
}

/* NHSRwaitinglist calc_relief_capacity. */
double
flow_relief_capacity(double D, double Q, double Qt, double t_r)
{
	return D + ratio(Q - Qt, t_r);
}

/* Mean wait in periods: Q / D (Little's law). */
double
flow_mean_wait(double Q, double D)
{
	return ratio(Q, D);
}

/* NHSRwaitinglist calc_queue_pressure: 2 W / T. */
double
flow_pressure(double W, double T)
{
	return ratio(2 * W, T);
}

/* Coefficient of variation of the finite values of v (NAN if fewer
 * than two or a zero mean). */
double
flow_cv(const double *v, size_t n)
{
	return ratio(util_sd(v, n), util_mean(v, n));
}

/* SPEC 4.2 queue targets into q. */
void
flow_queue(const struct service *svc, const struct flow_input *in,
    const struct flow *f, struct queue *q)
{
	size_t	 i, n = in->n;
	double	*cap_cases, dpp = in->days_per_period, t_r, Q = NAN;

	memset(q, 0, sizeof(*q));
	q->mean_demand = util_mean(f->demand_cases, n);
	q->mean_capacity = ratio(util_mean(f->capacity_minutes, n),
	    in->minutes_per_case);
	q->target_wait = svc->has_target_wait ?
	    ratio(svc->target_wait_days, dpp) : NAN;
	q->factor = svc->queue_factor;

	if (svc->has_cv_demand)
		q->cv_demand = svc->cv_demand;
	else
		q->cv_demand = flow_cv(f->demand_cases, n);
	if (svc->has_cv_capacity)
		q->cv_capacity = svc->cv_capacity;
	else {
		cap_cases = xreallocarray(NULL, n ? n : 1, sizeof(double));
		for (i = 0; i < n; i++)
			cap_cases[i] = ratio(f->capacity_minutes[i],
			    in->minutes_per_case);
		q->cv_capacity = flow_cv(cap_cases, n);
		free(cap_cases);
	}

	/* Q: last non-missing observed waiting list, else last backlog. */
	if (f->observed_waiting != NULL)
		for (i = n; i > 0; i--)
			if (isfinite(f->observed_waiting[i - 1])) {
				Q = f->observed_waiting[i - 1];
				break;
			}
	if (isnan(Q) && n > 0)
		Q = f->backlog_cases[n - 1];
	q->current_queue = Q;

	t_r = svc->has_relief_periods ? svc->relief_periods :
	    ratio(182, dpp);
	q->target_mean_wait = flow_target_mean_wait(q->target_wait, q->factor);
	q->target_queue_size = flow_target_queue_size(q->mean_demand,
	    q->target_wait, q->factor);
	q->target_capacity = flow_target_capacity(q->mean_demand,
	    q->target_wait, q->factor, q->cv_demand, q->cv_capacity);
	q->relief_capacity = flow_relief_capacity(q->mean_demand, Q,
	    q->target_queue_size, t_r);
	q->mean_wait = flow_mean_wait(Q, q->mean_demand);
	q->pressure = flow_pressure(q->mean_wait, q->target_wait);
	q->queue_load = flow_queue_load(q->mean_demand, q->mean_capacity);
}

/* SPEC 4.3 percentile capacity, R type 7. */
void
flow_pctcap(const double *demand_minutes, size_t n, double out[PCTCAP_N])
{
	double	*sorted;
	size_t	 i, m;

	sorted = xreallocarray(NULL, n ? n : 1, sizeof(double));
	m = util_sorted_finite(demand_minutes, n, sorted);
	for (i = 0; i < PCTCAP_N; i++)
		out[i] = m > 0 ? util_pct_sorted(sorted, m, pctcap_levels[i]) :
		    NAN;
	free(sorted);
}
