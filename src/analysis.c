/*
 * analysis.c: the analysis stage (SPEC 4).  One work item per service,
 * spread over threads with util_parallel_for; each item writes only its
 * own service's analysis, so the results do not depend on jobs.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "diag.h"
#include "flow.h"
#include "profile.h"
#include "series.h"
#include "sim.h"
#include "spc.h"
#include "util.h"

/* Appends the XmR chart of v (n values) to an->spc; metric, label and
 * unit are copied. */
static void
add_spc(struct analysis *an, const struct series *s, const double *v,
    const char *metric, const char *label, const char *unit,
    const struct metric_def *m)
{
	struct spc	*sp;
	int		 rc;

	an->spc = xreallocarray(an->spc, an->nspc + 1, sizeof(*an->spc));
	sp = &an->spc[an->nspc];
	memset(sp, 0, sizeof(*sp));
	if (m != NULL)
		rc = spc_compute(sp, v, s->key, s->n, m->improvement,
		    m->has_target, m->target, m->rebase, m->nrebase,
		    m->fix_after, m->screen_outliers);
	else
		rc = spc_compute(sp, v, s->key, s->n, IMPROVE_NEUTRAL, false,
		    NAN, NULL, 0, 0, true);
	if (rc != 0) {
		spc_clear(sp);	/* fix_after 1..11: validate.c reports it */
		return;
	}
	sp->metric = xstrdup(metric);
	sp->label = xstrdup(label != NULL ? label : metric);
	sp->unit = unit != NULL ? xstrdup(unit) : NULL;
	an->nspc++;
}

/* SPEC 4.3: SPC on every metric, then on the 4.1 minute series of
 * demand, capacity and the computed backlog (neutral direction). */
static void
analyse_spc(const struct service *svc, struct analysis *an)
{
	const struct series	*s = svc->series;
	const struct metric_def	*m;
	const double		*v;
	size_t			 i;

	if (s == NULL)
		return;
	for (i = 0; i < svc->nmetrics; i++) {
		m = &svc->metrics[i];
		if ((v = series_column(s, m->column)) != NULL)
			add_spc(an, s, v, m->column, m->label, m->unit, m);
	}
	if (!an->has_flow)
		return;
	add_spc(an, s, an->flow.demand_minutes, "demand",
	    "Demand (minutes)", "minutes", NULL);
	add_spc(an, s, an->flow.capacity_minutes, "capacity",
	    "Capacity (minutes)", "minutes", NULL);
	add_spc(an, s, an->flow.backlog_minutes, "backlog",
	    "Backlog (minutes)", "minutes", NULL);
}

/* SPEC 4.3: profiles of the per-period demand in cases, or on a KPI
 * page of its first metric. */
static void
analyse_profiles(const struct service *svc, struct analysis *an)
{
	const struct series	*s = svc->series;
	const double		*v = NULL;

	if (s == NULL)
		return;
	if (an->has_flow)
		v = an->flow.demand_cases;
	else if (svc->nmetrics > 0)
		v = series_column(s, svc->metrics[0].column);
	if (v == NULL || s->n == 0)
		return;
	an->hour = profile_hour(v, s->key, s->n, svc->period);
	an->weekday = profile_weekday(v, s->key, s->n, svc->period);
	an->month = profile_month(v, s->key, s->n, svc->period);
}

/* SPEC 4.4: the Monte Carlo simulation, on sim_jobs threads; without a
 * complete resampling unit there is none, and a warning says why. */
static void
analyse_sim(const struct service *svc, struct analysis *an, int sim_jobs)
{
	struct sim_input	 in;

	if (sim_input_service(svc, &an->flow, &in) != 0)
		return;
	an->sim = sim_run(&in, sim_jobs);
	if (an->sim == NULL && sim_complete_units(&in) == 0)
		diag_warning(svc->path, 0, 0, "no simulation: the data has "
		    "no complete %s to resample",
		    sim_unit_name(svc->period));
}

/* Work item argument: the pack and the threads each simulation may
 * use (analysis_sim_jobs). */
struct analyse_arg {
	struct pack	*pack;
	int		 sim_jobs;
};

static void
analyse_service(struct service *svc, int sim_jobs, struct sim **cached)
{
	struct analysis		*an;
	struct flow_input	 in;
	size_t			 i;

	an = xcalloc(1, sizeof(*an));
	an->flow.load = NAN;
	for (i = 0; i < PCTCAP_N; i++)
		an->pctcap[i] = NAN;

	/* SPEC 4.1, 4.2, 4.3 percentile capacity. */
	if (flow_input_service(svc, &in) == 0) {
		an->has_flow = true;
		flow_compute(&in, &an->flow);
		flow_queue(svc, &in, &an->flow, &an->queue);
		flow_pctcap(an->flow.demand_minutes, in.n, an->pctcap);
	}

	/* SPEC 4.3 SPC (spc.c). */
	analyse_spc(svc, an);

	/* SPEC 4.3 profiles (profile.c). */
	analyse_profiles(svc, an);

	/* SPEC 4.4 simulation (sim.c, issue 6), or the cached one: the
	 * same inputs gave it, so it is the same bits. */
	if (an->has_flow && cached != NULL && *cached != NULL) {
		an->sim = *cached;
		*cached = NULL;
	} else if (an->has_flow)
		analyse_sim(svc, an, sim_jobs);

	svc->an = an;
}

static void
analyse_one(size_t i, void *arg)
{
	struct analyse_arg	*a = arg;

	analyse_service(&a->pack->services[i], a->sim_jobs, NULL);
}

void
analysis_service(struct pack *pack, size_t i, int jobs, struct sim **sim)
{
	analysis_free(pack->services[i].an);
	pack->services[i].an = NULL;
	analyse_service(&pack->services[i], jobs > 0 ? jobs : 1, sim);
}

void
analysis_slim(struct analysis *an)
{
	double	*wait;
	double	 load;
	size_t	 i;

	if (an == NULL)
		return;
	wait = an->flow.wait_days;
	load = an->flow.load;
	an->flow.wait_days = NULL;
	flow_clear(&an->flow);
	an->flow.wait_days = wait;
	an->flow.load = load;
	for (i = 0; i < an->nspc; i++) {
		free(an->spc[i].values);
		free(an->spc[i].mean);
		free(an->spc[i].lpl);
		free(an->spc[i].upl);
		free(an->spc[i].point_type);
		an->spc[i].values = an->spc[i].mean = NULL;
		an->spc[i].lpl = an->spc[i].upl = NULL;
		an->spc[i].point_type = NULL;
		an->spc[i].n = 0;
	}
	profile_free(an->weekday);
	profile_free(an->month);
	profile_free(an->hour);
	an->weekday = an->month = an->hour = NULL;
	sim_free(an->sim);
	an->sim = NULL;
}

int
analysis_sim_jobs(size_t nservices, int jobs)
{
	if (jobs > 0 && nservices > 0 && (size_t)jobs > nservices)
		return (int)(((size_t)jobs + nservices - 1) / nservices);
	return 1;
}

/* Fills svc->an for every service (replacing an earlier analysis). */
void
analysis_run(struct pack *pack, int jobs)
{
	struct analyse_arg	 a;
	size_t			 i;

	for (i = 0; i < pack->nservices; i++) {
		analysis_free(pack->services[i].an);
		pack->services[i].an = NULL;
	}
	a.pack = pack;
	a.sim_jobs = analysis_sim_jobs(pack->nservices, jobs);
	util_parallel_for(pack->nservices, jobs, analyse_one, &a);
}

/* Frees an analysis and everything it owns.  NULL ok. */
void
analysis_free(struct analysis *an)
{
	size_t	 i;

	if (an == NULL)
		return;
	flow_clear(&an->flow);
	for (i = 0; i < an->nspc; i++)
		spc_clear(&an->spc[i]);	/* strings, arrays; types static */
	free(an->spc);
	profile_free(an->weekday);
	profile_free(an->month);
	profile_free(an->hour);
	sim_free(an->sim);
	free(an);
}
