/*
 * simchart.h: the simulation's charts and sentences (render stage, SPEC
 * 4.4, issue 6).  From the Monte Carlo results of a service
 * (svc->an->sim, filled by sim.c) it builds, in chart.c's
 * device-independent model, the fan chart of the simulated backlog and
 * the scenario comparison (risk against cost), each with its data
 * table, and the plain-English sentences a board reads beside them.
 * Pure: never prints, never touches files; the caller frees what it
 * gets (chart_free, free).
 */
#ifndef SIMCHART_H
#define SIMCHART_H

#include "chart.h"
#include "md.h"
#include "model.h"

/* Fan chart of the baseline backlog in minutes: 5th-95th and 25th-75th
 * percentile bands, the median, the target-wait level (dashed) and the
 * last weeks of history before the horizon.  spec may be NULL (caption
 * honoured).  NULL when the service has no simulation. */
struct chart	*simchart_fan(const struct service *,
		    const struct chart_spec *);

/* Scenario comparison: one numbered point per scenario (baseline
 * first) at its cost over the horizon (x, pounds) and its chance that
 * the wait exceeds the target at the end (y, per cent), with a table
 * of every reported figure.  NULL when the service has no simulation,
 * no scenario besides the baseline or no target wait. */
struct chart	*simchart_scenarios(const struct service *,
		    const struct chart_spec *);

/* The target-wait level in backlog minutes: target_wait_days x the
 * mean capacity minutes per day over the history (SPEC 4.4).  NAN
 * without flow or target. */
double		 simchart_target_minutes(const struct service *);

/* "On current staffing there is a 31 % chance that waits exceed 28
 * days by 30 June 2025." from the baseline; NULL without a simulation
 * or a target.  The caller frees it. */
char		*simchart_risk_sentence(const struct service *);

/* The best-value option in words ("Of the options, ... removes the
 * most risk per pound: £910 per percentage point ..."), or why none
 * does; NULL without scenarios.  The caller frees it. */
char		*simchart_value_sentence(const struct service *);

/* A probability in words for sentences: "31 %", "less than 1 %",
 * "more than 99 %", "0 %", "100 %" (no-break space before %); NAN
 * gives "not available". */
void		 simchart_fmt_pct(char *, size_t, double p);

#endif /* !SIMCHART_H */
