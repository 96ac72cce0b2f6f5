/*
 * sim.h: Monte Carlo block bootstrap of a service's history (SPEC 4.4),
 * part of the analysis stage.  Resamples whole units of history (a
 * calendar week of days, a calendar day of hours, or one period of
 * weekly and monthly data), runs the SPEC 4.1 backlog recursion over
 * the horizon for every path and every contingency scenario on common
 * random numbers, and summarises risk (probabilities), the backlog fan
 * (percentiles per period) and cost.  Random numbers come from rng.c
 * keyed by (seed, path, block), so results never depend on jobs.  Pure:
 * never prints, never touches files; the caller owns the struct sim.
 */
#ifndef SIM_H
#define SIM_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* What one simulation needs; all pointers borrowed. */
struct sim_input {
	enum period	 period;
	size_t		 n;			/* history periods */
	const int64_t	*key;			/* n period keys */
	const double	*demand_minutes;	/* n values */
	const double	*capacity_resources;	/* n values */
	double		 minutes_per_resource;
	double		 start_minutes;		/* current backlog */
	double		 target_wait_days;	/* NAN: probabilities NAN */
	const struct scenario_def *scenarios;	/* besides the baseline */
	size_t		 nscenarios;
	size_t		 paths;
	size_t		 horizon;		/* periods */
	uint64_t	 seed;
};

/* SPEC 4.4 defaults. */
#define SIM_DEFAULT_PATHS	10000
#define SIM_DEFAULT_SEED	1

/* Default horizon: 182 days in periods, rounded (SPEC 4.4). */
size_t	 sim_default_horizon(enum period);

/* Fills in from a service and its computed flow f, applying the SPEC
 * 4.4 defaults and the current backlog (last non-missing observed
 * waiting list x minutes per case, else the last computed backlog).
 * Returns 0, or -1 when the service has no flow or no history. */
int	 sim_input_service(const struct service *, const struct flow *f,
	    struct sim_input *in);

/* The resampling unit of a period, in words, for messages ("calendar
 * week (Monday to Sunday)", ...). Static string. */
const char *sim_unit_name(enum period);

/* Number of complete resampling units in the history of in. */
size_t	 sim_complete_units(const struct sim_input *in);

/* Runs the simulation on up to jobs threads (results do not depend on
 * jobs).  Returns the results (free with sim_free), or NULL when the
 * history has no complete resampling unit or paths or horizon is 0. */
struct sim *sim_run(const struct sim_input *in, int jobs);

/* Frees a simulation and everything it owns.  NULL ok. */
void	 sim_free(struct sim *);

#endif /* !SIM_H */
