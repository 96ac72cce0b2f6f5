/*
 * analysis.h: analysis stage.  For every service computes SPEC 4.1 flow,
 * 4.2 queue targets, 4.3 percentile capacity (flow.c), and, as they land,
 * SPC and profiles (spc.c, profile.c) and simulation (sim.c).  Services
 * are independent: work is spread over jobs threads, and the results do
 * not depend on jobs.  Pure: never prints, never touches files.
 */
#ifndef ANALYSIS_H
#define ANALYSIS_H

#include "model.h"

/* Fills svc->an for every service of a validated pack. */
void	 analysis_run(struct pack *, int jobs);
/* Threads per simulation when nservices services share jobs threads,
 * so that services x simulation threads stay near jobs. */
int	 analysis_sim_jobs(size_t nservices, int jobs);
/* Service i alone (replacing an earlier analysis), its simulation on
 * up to jobs threads, or taken from *sim (cache.h) when that is set: a
 * service with flow then owns it, and *sim becomes NULL. */
void	 analysis_service(struct pack *, size_t i, int jobs, struct sim **sim);
/*
 * Lets go of what only a service's own outputs need once they are
 * written: the flow series but the estimated wait (and the load), the
 * SPC series (n becomes 0; metric, label, unit, target, variation and
 * assurance stay), the profiles and the simulation.  What stays is what
 * the pack-wide outputs read (the pack PDF's table of services); the
 * IPR rows are made before (ipr_service_rows).
 */
void	 analysis_slim(struct analysis *);
void	 analysis_free(struct analysis *);	/* NULL ok */

#endif /* !ANALYSIS_H */
