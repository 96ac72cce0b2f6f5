/*
 * briefing.c: what the PDF briefings say (see briefing.h): figures in
 * words, the rows of their tables and the charts of a chart block.
 * pdf.c lays these out and draws them.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "briefing.h"
#include "chart.h"
#include "layout.h"
#include "sim.h"
#include "simchart.h"
#include "spcchart.h"
#include "util.h"

/* ---- figures ---- */

void
briefing_num(char *s, size_t sz, double v, int dec)
{
	if (!isfinite(v))
		snprintf(s, sz, "not available");
	else
		chart_fmt_number(s, sz, v, dec);
}

void
briefing_value_unit(char *s, size_t sz, double v, const char *unit)
{
	char	 n[64];

	briefing_num(n, sizeof(n), v, -1);
	if (unit == NULL || !isfinite(v))
		snprintf(s, sz, "%s", n);
	else if (strcmp(unit, "%") == 0)
		snprintf(s, sz, "%s %%", n);
	else if (strcmp(unit, "£") == 0)
		snprintf(s, sz, "£%s", n);
	else
		snprintf(s, sz, "%s %s", n, unit);
}

static size_t
briefing_last_finite(const double *v, size_t n)
{
	while (n > 0 && !isfinite(v[n - 1]))
		n--;
	return n;	/* index + 1, 0 = none */
}

const struct spc *
briefing_spc(const struct service *svc, const char *metric)
{
	size_t	 i;

	if (svc->an == NULL)
		return NULL;
	for (i = 0; i < svc->an->nspc; i++)
		if (svc->an->spc[i].metric != NULL &&
		    strcmp(svc->an->spc[i].metric, metric) == 0)
			return &svc->an->spc[i];
	return NULL;
}

/* ---- tables ---- */

void
briefing_metric_rows(const struct service *svc, struct layout_grid *g,
    const char *title, bool named)
{
	const struct metric_def	*md;
	const struct spc	*sp;
	const double		*v = NULL;
	char			 s[128], d[64], cell[200];
	size_t			 i, k, c;

	for (i = 0; i < svc->nmetrics; i++) {
		md = &svc->metrics[i];
		v = NULL;
		for (c = 0; svc->series && c < svc->series->ncols; c++)
			if (strcmp(svc->series->cols[c].name, md->column) == 0)
				v = svc->series->cols[c].v;
		k = v ? briefing_last_finite(v, svc->series->n) : 0;
		if (title != NULL)
			layout_grid_cell(g, named || i > 0 ? "" : title);
		layout_grid_cell(g, md->label ? md->label : md->column);
		if (k > 0) {
			briefing_value_unit(s, sizeof(s), v[k - 1], md->unit);
			chart_fmt_date(d, sizeof(d), svc->period,
			    svc->series->key[k - 1]);
			snprintf(cell, sizeof(cell), "%s (%s)", s, d);
		} else
			snprintf(cell, sizeof(cell), "no data");
		layout_grid_cell(g, cell);
		if (md->has_target)
			briefing_value_unit(s, sizeof(s), md->target, md->unit);
		else
			snprintf(s, sizeof(s), "none set");
		layout_grid_cell(g, s);
		sp = briefing_spc(svc, md->column);
		layout_grid_cell(g, sp ?
		    spcchart_variation_text(sp->variation) : "–");
		layout_grid_cell(g, sp ?
		    spcchart_assurance_text(sp->assurance) : "–");
	}
}

void
briefing_measures(const struct service *svc, struct layout_grid *g)
{
	g->ncols = 5;
	layout_grid_cell(g, "Measure");
	layout_grid_cell(g, "Latest");
	layout_grid_cell(g, "Target");
	layout_grid_cell(g, "Variation");
	layout_grid_cell(g, "Assurance");
	briefing_metric_rows(svc, g, NULL, false);
}

static void
briefing_row3(struct layout_grid *g, const char *a, const char *b,
    const char *c)
{
	layout_grid_cell(g, a);
	layout_grid_cell(g, b);
	layout_grid_cell(g, c);
}

void
briefing_headline(const struct service *svc, struct layout_grid *g)
{
	const struct flow	*f = &svc->an->flow;
	const struct queue	*q = &svc->an->queue;
	const char		*pn = util_period_name(svc->period);
	double			 pd = util_period_days(svc->period), tr;
	size_t			 n = svc->series->n, k;
	char			 v[128], note[256], x[64], y[64];

	g->ncols = 3;
	briefing_row3(g, "Measure", "Value", "What it means");
	briefing_num(x, sizeof(x), f->load, 2);
	briefing_num(y, sizeof(y), f->load * 100, 0);
	snprintf(note, sizeof(note), "Demand was %s %% of capacity over the "
	    "whole period", y);
	briefing_row3(g, "Load (demand ÷ capacity)", x, note);
	briefing_num(x, sizeof(x), f->backlog_cases[n - 1], -1);
	snprintf(v, sizeof(v), "%s cases", x);
	briefing_num(x, sizeof(x), f->backlog_minutes[n - 1], -1);
	snprintf(note, sizeof(note), "%s minutes of work waiting (computed)",
	    x);
	briefing_row3(g, "Backlog", v, note);
	if (f->observed_waiting &&
	    (k = briefing_last_finite(f->observed_waiting, n)) > 0) {
		briefing_num(x, sizeof(x), f->observed_waiting[k - 1], -1);
		snprintf(v, sizeof(v), "%s cases", x);
		chart_fmt_date(y, sizeof(y), svc->period,
		    svc->series->key[k - 1]);
		snprintf(note, sizeof(note), "As recorded, %s", y);
		briefing_row3(g, "Observed waiting list", v, note);
	}
	briefing_num(x, sizeof(x), f->wait_days[n - 1], 1);
	snprintf(v, sizeof(v), "%s days", x);
	briefing_num(y, sizeof(y), svc->target_wait_days, -1);
	snprintf(note, sizeof(note), "For a case arriving now: backlog ÷ mean "
	    "capacity per day (target %s days)", y);
	briefing_row3(g, "Estimated wait", v, note);
	if (svc->an->sim != NULL && svc->an->sim->nscenarios > 0 &&
	    svc->an->sim->horizon > 0 && isfinite(
	    svc->an->sim->scenarios[0].p_wait_over_target_end)) {
		const struct sim *sim = svc->an->sim;
		char		 d[32], pa[32];

		/* SPEC 4.4, the baseline, as on the site. */
		simchart_fmt_pct(x, sizeof(x),
		    sim->scenarios[0].p_wait_over_target_end);
		chart_fmt_date(d, sizeof(d), svc->period,
		    sim->keys[sim->horizon - 1]);
		briefing_num(pa, sizeof(pa), (double)sim->paths, 0);
		snprintf(note, sizeof(note), "Chance that the wait exceeds "
		    "the target (%s days) by %s on current staffing (%s "
		    "simulated paths)", y, d, pa);
		briefing_row3(g, "Risk of a wait over target", x, note);
	}
	briefing_num(x, sizeof(x), q->target_queue_size, 1);
	snprintf(v, sizeof(v), "%s cases", x);
	briefing_row3(g, "Target queue size", v, "The waiting list that meets "
	    "the target wait reliably");
	briefing_num(x, sizeof(x), q->target_capacity, 1);
	snprintf(v, sizeof(v), "%s cases per %s", x, pn);
	briefing_num(y, sizeof(y), q->mean_demand, 1);
	snprintf(note, sizeof(note), "To hold the queue at its target size "
	    "(mean demand %s per %s)", y, pn);
	briefing_row3(g, "Target capacity", v, note);
	tr = svc->has_relief_periods ? svc->relief_periods : 182.0 / pd;
	briefing_num(x, sizeof(x), q->relief_capacity, 1);
	snprintf(v, sizeof(v), "%s cases per %s", x, pn);
	briefing_num(y, sizeof(y), tr * pd, 0);
	snprintf(note, sizeof(note), "To bring the queue to its target size "
	    "within %s days", y);
	briefing_row3(g, "Relief capacity", v, note);
	briefing_num(x, sizeof(x), q->pressure, 2);
	briefing_row3(g, "Waiting list pressure", x, "2 × mean wait ÷ target "
	    "wait: above 1, the target wait is not being met");
}

void
briefing_services(const struct pack *pk, struct layout_grid *g, bool files)
{
	const struct service	*svc;
	const struct spc	*sp;
	char			 v[128], x[64], *t;
	size_t			 i, n, before;
	bool			 flow;

	g->ncols = 6;
	layout_grid_cell(g, "Service");
	layout_grid_cell(g, "Measure");
	layout_grid_cell(g, "Latest");
	layout_grid_cell(g, "Target");
	layout_grid_cell(g, "Variation");
	layout_grid_cell(g, "Assurance");
	for (i = 0; i < pk->nservices; i++) {
		svc = &pk->services[i];
		n = svc->series ? svc->series->n : 0;
		flow = svc->an != NULL && svc->an->has_flow && n > 0;
		/* An analysed service has its own briefing (site.c). */
		if (files && svc->an != NULL)
			t = xasprintf("%s (%s.pdf)", svc->title ? svc->title :
			    svc->id, svc->id);
		else
			t = xstrdup(svc->title ? svc->title : svc->id);
		before = g->n;
		if (flow) {
			layout_grid_cell(g, t);
			layout_grid_cell(g, "Estimated wait");
			briefing_num(x, sizeof(x),
			    svc->an->flow.wait_days[n - 1], 1);
			snprintf(v, sizeof(v), "%s days", x);
			layout_grid_cell(g, v);
			briefing_num(x, sizeof(x), svc->target_wait_days, -1);
			snprintf(v, sizeof(v), "%s days", x);
			layout_grid_cell(g, v);
			sp = briefing_spc(svc, "backlog");
			layout_grid_cell(g, sp ?
			    spcchart_variation_text(sp->variation) : "–");
			layout_grid_cell(g, "–");
			layout_grid_cell(g, "");
			layout_grid_cell(g, "Load (demand ÷ capacity)");
			briefing_num(x, sizeof(x), svc->an->flow.load, 2);
			layout_grid_cell(g, x);
			layout_grid_cell(g, "below 1");
			sp = briefing_spc(svc, "demand");
			layout_grid_cell(g, sp ?
			    spcchart_variation_text(sp->variation) : "–");
			layout_grid_cell(g, "–");
		}
		briefing_metric_rows(svc, g, t, flow);
		/* Listing files, every service gets a row. */
		if (files && g->n == before) {
			layout_grid_cell(g, t);
			for (n = 1; n < g->ncols; n++)
				layout_grid_cell(g, "–");
		}
		free(t);
	}
}

static void
briefing_kv(struct layout_grid *g, const char *k, const char *v)
{
	if (v == NULL || *v == '\0')
		return;
	layout_grid_cell(g, k);
	layout_grid_cell(g, v);
}

void
briefing_cover(const struct pack *pk, const char *date_label,
    struct layout_grid *g)
{
	g->ncols = 2;
	briefing_kv(g, "Meeting", pk->meeting);
	briefing_kv(g, "Date", date_label);
	briefing_kv(g, "Agenda item", pk->agenda_item);
	briefing_kv(g, "Purpose", pk->purpose);
	briefing_kv(g, "Presenter", pk->presenter);
	briefing_kv(g, "Author", pk->author);
	briefing_kv(g, "Contact", pk->contact);
	briefing_kv(g, "Previously considered", pk->previously_considered);
}

/* ---- charts ---- */

static const char *
briefing_chart_type_name(enum chart_type t)
{
	static const char *const names[] = {
		"demand, capacity and backlog", "statistical process control",
		"profile", "fan", "scenarios", "integrated performance report"
	};

	return (unsigned)t < sizeof(names) / sizeof(names[0]) ?
	    names[t] : "requested";
}

size_t
briefing_charts(const struct service *svc, const struct chart_spec *spec,
    struct chart **cs)
{
	const struct spc *sp;
	struct chart_spec s;
	size_t		 n = 0;

	if (svc == NULL)
		return 0;
	/* The PDF draws the data table of the scenarios only. */
	s = *spec;
	s.no_table = spec->type != CHART_SCENARIOS;
	spec = &s;
	switch (spec->type) {
	case CHART_DCB:
		cs[n] = chart_dcb(svc, spec);
		n += cs[n] != NULL;
		break;
	case CHART_SPC:
		if (spec->metric != NULL &&
		    (sp = briefing_spc(svc, spec->metric)) != NULL) {
			cs[n] = spcchart_xmr(svc, sp, spec);
			n += cs[n] != NULL;
		}
		break;
	case CHART_PROFILE:
		if (svc->an == NULL)
			break;
		cs[n] = spcchart_profile(svc, svc->an->hour, CHART_PROFILE_HOUR,
		    spec);
		n += cs[n] != NULL;
		cs[n] = spcchart_profile(svc, svc->an->weekday,
		    CHART_PROFILE_WEEKDAY, spec);
		n += cs[n] != NULL;
		cs[n] = spcchart_profile(svc, svc->an->month,
		    CHART_PROFILE_MONTH, spec);
		n += cs[n] != NULL;
		break;
	case CHART_FAN:
		cs[n] = simchart_fan(svc, spec);
		n += cs[n] != NULL;
		break;
	case CHART_SCENARIOS:
		cs[n] = simchart_scenarios(svc, spec);
		n += cs[n] != NULL;
		break;
	default:
		break;
	}
	return n;
}

/* Why a service has no fan or scenarios chart, as a sentence. */
static void
briefing_sim_note(const struct service *svc, enum chart_type t, char *note,
    size_t sz)
{
	const char	*what = briefing_chart_type_name(t);

	if (svc->an == NULL || !svc->an->has_flow)
		snprintf(note, sz, "The %s chart is not available: this page "
		    "has no demand and capacity data to simulate.", what);
	else if (svc->an->sim == NULL)
		snprintf(note, sz, "The %s chart is not available: the history "
		    "has no complete %s to resample.", what,
		    sim_unit_name(svc->period));
	else if (svc->nscenarios == 0)
		snprintf(note, sz, "The %s chart is not available: this page "
		    "lists no contingency scenarios.", what);
	else
		snprintf(note, sz, "The %s chart is not available: this page "
		    "has no target wait.", what);
}

void
briefing_chart_note(const struct service *svc, enum chart_type t,
    char *note, size_t sz)
{
	if (t == CHART_FAN || t == CHART_SCENARIOS)
		briefing_sim_note(svc, t, note, sz);
	else
		snprintf(note, sz, "The %s chart is not available yet%s.",
		    briefing_chart_type_name(t), t == CHART_DCB ? ": this "
		    "page has no demand and capacity data in the period "
		    "asked for" : "");
}
