/*
 * flow.h: demand, capacity and backlog in critical-resource minutes
 * (SPEC 4.1), queue targets after Fong and Walton 2022 as implemented in
 * NHSRwaitinglist (SPEC 4.2), and percentile capacity (SPEC 4.3).
 * Part of the analysis stage (analysis.c calls it per service).  Pure:
 * never prints, never touches files.  Each queue formula is exposed on
 * its own so that the published test vectors can be checked directly;
 * the formulas return NAN where a denominator is 0 or an input is NAN.
 */
#ifndef FLOW_H
#define FLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

/* Inputs of the SPEC 4.1 recursion, borrowed (never freed here). */
struct flow_input {
	size_t		 n;
	const double	*demand;	/* cases per period, n values */
	const double	*resources;	/* n values, or NULL: constant */
	double		 resources_const;
	const double	*observed;	/* waiting list (cases), or NULL */
	double		 minutes_per_case;
	double		 minutes_per_resource;
	double		 backlog_start;	/* cases waiting before period 0 */
	double		 days_per_period;
};

/* Fills in from a service and its loaded series.  Returns 0, or -1 when
 * the service has no demand/capacity, no series, or a referenced column
 * is absent (then in is unspecified). */
int	 flow_input_service(const struct service *, struct flow_input *in);

/* Computes SPEC 4.1 into f (arrays allocated here; free with
 * flow_clear).  n == 0 gives NULL arrays and a NAN load. */
void	 flow_compute(const struct flow_input *, struct flow *f);
/* Frees the arrays of f and zeroes it. */
void	 flow_clear(struct flow *);

/* SPEC 4.2 for a service whose flow f (n periods) was computed from in:
 * uses svc's target_wait_days, queue_factor, relief_periods and cv
 * overrides. */
void	 flow_queue(const struct service *, const struct flow_input *in,
	    const struct flow *f, struct queue *q);

/* SPEC 4.3: R type-7 percentiles of demand_minutes[0..n) at
 * pctcap_levels, into out (NAN when there is no finite value). */
void	 flow_pctcap(const double *demand_minutes, size_t n,
	    double out[PCTCAP_N]);

/* The NHSRwaitinglist formulas, in cases and periods (SPEC 4.2). */
double	 flow_queue_load(double D, double C);		/* D / C */
double	 flow_target_mean_wait(double T, double F);	/* T / F */
double	 flow_target_queue_size(double D, double T, double F);
/* D + ((cvd^2 + cvc^2) / 2) * (F / T) */
double	 flow_target_capacity(double D, double T, double F, double cvd,
	    double cvc);
/* D + (Q - Qt) / t_r */
double	 flow_relief_capacity(double D, double Q, double Qt, double t_r);
double	 flow_mean_wait(double Q, double D);		/* Q / D */
double	 flow_pressure(double W, double T);		/* 2 W / T */
/* Sample standard deviation / mean of the finite values of v. */
double	 flow_cv(const double *v, size_t n);

#endif /* !FLOW_H */
