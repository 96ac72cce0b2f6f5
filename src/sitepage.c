/*
 * sitepage.c: the site writer's pages (write stage, SPEC 5; internal to
 * the writer, see siteint.h): renders the HTML of a service page, the
 * index page and search.html from the analysed pack into buffers, with
 * the chart blocks (SPEC 3.4) drawn as figures with their data tables,
 * and touches no file; site.c writes what it makes.  Template contexts
 * are jansson objects built here; every string in them is escaped by
 * the template engine ({{x}}) except HTML built here ({{{x}}}).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "chart.h"
#include "esc.h"
#include "ipr.h"
#include "md.h"
#include "search.h"
#include "sim.h"
#include "simchart.h"
#include "siteint.h"
#include "svg.h"
#include "tmpl.h"
#include "util.h"

/* Per page: numbers the charts so that SVG ids are unique. */
struct site_page {
	const struct site	*site;
	const struct service	*svc;
	size_t			 ncharts;
	size_t			 nipr;		/* IPR tables on the page */
	json_t			*toc;		/* [{href, label}] of its charts */
	int			 failed;	/* a template failed */
};

static json_t *
site_str(const char *s)
{
	/* The engine escapes and repairs bad UTF-8 when it renders. */
	return json_string_nocheck(s != NULL ? s : "");
}

static void
site_set(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, site_str(v));
}

static void
site_setf(json_t *o, const char *k, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
site_setf(json_t *o, const char *k, const char *fmt, ...)
{
	struct buf	 b;
	va_list		 ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	json_object_set_new(o, k, site_str(b.data));
	buf_clear(&b);
}

static void	 site_pair(json_t *, const char *, const char *,
		    const char *, const char *, const char *, const char *);

/* A number for readers: thousands separators, dec places (-1: up to
 * one, trimmed); "not available" when undefined. */
static const char *
site_num(char *s, size_t sz, double v, int dec)
{
	if (!isfinite(v))
		snprintf(s, sz, "not available");
	else
		chart_fmt_number(s, sz, v, dec);
	return s;
}

/* ---- charts ---- */

static void
site_table_html(const struct chart_table *t, struct buf *out)
{
	size_t	 r, k;
	const char *s;

	/* A region that may scroll sideways on a narrow screen: focusable
	 * so that it scrolls from the keyboard (WCAG 2.1.1), and named. */
	buf_puts(out, "<div class=\"table-wrap\" tabindex=\"0\" "
	    "role=\"region\" aria-label=\"");
	esc_attr(out, t->caption, strlen(t->caption));
	buf_puts(out, "\">\n<table>\n<caption>");
	esc_html(out, t->caption, strlen(t->caption));
	buf_puts(out, "</caption>\n<thead>\n<tr>");
	for (k = 0; k < t->ncols; k++) {
		buf_puts(out, "<th scope=\"col\">");
		esc_html(out, t->head[k], strlen(t->head[k]));
		buf_puts(out, "</th>");
	}
	buf_puts(out, "</tr>\n</thead>\n<tbody>\n");
	for (r = 0; r < t->nrows; r++) {
		buf_puts(out, "<tr>");
		for (k = 0; k < t->ncols; k++) {
			s = t->cells[r * t->ncols + k];
			buf_puts(out, k == 0 ? "<th scope=\"row\">" : "<td>");
			esc_html(out, s, strlen(s));
			buf_puts(out, k == 0 ? "</th>" : "</td>");
		}
		buf_puts(out, "</tr>\n");
	}
	buf_puts(out, "</tbody>\n</table>\n</div>\n");
}

static const char *
site_chart_type_name(enum chart_type t)
{
	static const char *const names[] = {
		"demand, capacity and backlog", "statistical process control",
		"profile", "fan", "scenarios", "integrated performance report"
	};

	return (unsigned)t < sizeof(names) / sizeof(names[0]) ?
	    names[t] : "requested";
}

/* A figure with the chart's SVG (c is freed here), and its data in a
 * <details>, open when the table is what a reader most needs (the
 * scenario comparison). */
static void
site_figure_open(struct site_page *pg, struct chart *c, bool open,
    struct buf *out)
{
	char	 id[32];

	pg->ncharts++;
	snprintf(id, sizeof(id), "chart-%zu", pg->ncharts);
	buf_printf(out, "<figure class=\"chart\" id=\"%s\">\n<figcaption>",
	    id);
	if (pg->toc != NULL) {
		char	 href[40];

		snprintf(href, sizeof(href), "#%s", id);
		site_pair(pg->toc, "href", href, "label", c->title, NULL, NULL);
	}
	esc_html(out, c->title, strlen(c->title));
	buf_puts(out, "</figcaption>\n");
	svg_chart(c, &pg->site->pal, id, out);
	buf_printf(out, "<details class=\"chart-data\"%s>\n<summary>Show the "
	    "data behind this chart</summary>\n", open ? " open" : "");
	site_table_html(&c->table, out);
	if (c->table.note != NULL) {
		buf_puts(out, "<p class=\"table-note\">");
		esc_html(out, c->table.note, strlen(c->table.note));
		buf_puts(out, "</p>\n");
	}
	buf_puts(out, "</details>\n</figure>\n");
	chart_free(c);
}

static void
site_figure(struct site_page *pg, struct chart *c, struct buf *out)
{
	site_figure_open(pg, c, false, out);
}

/* A sentence of the simulation (s is freed here; NULL: nothing). */
static void
site_sim_sentence(struct buf *out, char *s)
{
	if (s == NULL)
		return;
	buf_puts(out, "<p class=\"sim-sentence\">");
	esc_html(out, s, strlen(s));
	buf_puts(out, "</p>\n");
	free(s);
}

static void
site_chart_note(struct buf *out, const char *what, const char *why)
{
	buf_printf(out, "<p class=\"chart-note\">The %s chart is not "
	    "available", what);
	if (why != NULL)
		buf_printf(out, ": %s", why);
	buf_puts(out, ".</p>\n");
}

/* Why a service has no simulation, for the note. */
static void
site_sim_note(struct buf *out, const struct service *svc, enum chart_type t)
{
	char	 why[256];

	if (svc->an == NULL || !svc->an->has_flow)
		snprintf(why, sizeof(why), "this page has no demand and "
		    "capacity data to simulate");
	else if (svc->an->sim == NULL)
		snprintf(why, sizeof(why), "the history has no complete %s to "
		    "resample", sim_unit_name(svc->period));
	else if (svc->nscenarios == 0)
		snprintf(why, sizeof(why), "this page lists no contingency "
		    "scenarios");
	else
		snprintf(why, sizeof(why), "this page has no target wait");
	site_chart_note(out, site_chart_type_name(t), why);
}

/* The fan chart (SPEC 4.4) with the risk sentence before it; false
 * when there is no simulation. */
static bool
site_fan_html(struct site_page *pg, const struct chart_spec *spec,
    struct buf *out)
{
	struct chart	*c;

	if ((c = simchart_fan(pg->svc, spec)) == NULL)
		return false;
	site_sim_sentence(out, simchart_risk_sentence(pg->svc));
	site_figure(pg, c, out);
	return true;
}

/* The scenario comparison with the best-value sentence before it and
 * its table open; false when there is nothing to compare. */
static bool
site_scenarios_html(struct site_page *pg, const struct chart_spec *spec,
    struct buf *out)
{
	struct chart	*c;

	if ((c = simchart_scenarios(pg->svc, spec)) == NULL)
		return false;
	site_sim_sentence(out, simchart_value_sentence(pg->svc));
	site_figure_open(pg, c, true, out);
	return true;
}

static const struct spc *
site_find_spc(const struct service *svc, const char *metric)
{
	size_t	 i;

	if (svc == NULL || svc->an == NULL || svc->an->nspc == 0)
		return NULL;
	if (metric == NULL)
		return &svc->an->spc[0];
	for (i = 0; i < svc->an->nspc; i++)
		if (strcmp(svc->an->spc[i].metric, metric) == 0)
			return &svc->an->spc[i];
	return NULL;
}

/* Every profile the analysis has (hour, weekday, month); the number
 * of charts drawn. */
static size_t
site_profiles_html(struct site_page *pg, const struct chart_spec *spec,
    struct buf *out)
{
	const struct analysis	*an = pg->svc->an;
	const struct profile	*pr[3];
	struct chart		*c;
	size_t			 k, n = 0;

	if (an == NULL)
		return 0;
	pr[CHART_PROFILE_HOUR] = an->hour;
	pr[CHART_PROFILE_WEEKDAY] = an->weekday;
	pr[CHART_PROFILE_MONTH] = an->month;
	for (k = 0; k < 3; k++)
		if ((c = chart_profile(pg->svc, pr[k],
		    (enum chart_profile_kind)k, spec)) != NULL) {
			site_figure(pg, c, out);
			n++;
		}
	return n;
}

/* The IPR table (templates/ipr.html) of one service, or of the whole
 * pack when pg->svc is NULL. */
static void
site_ipr_html(struct site_page *pg, struct buf *out)
{
	const struct site	*st = pg->site;
	const struct pack	*p = st->pack;
	struct ipr_opts		 op;
	json_t			*o;
	char			 id[32];
	size_t			 first = 0, n = p->nservices;

	memset(&op, 0, sizeof(op));
	op.pal = &st->pal;
	pg->nipr++;
	snprintf(id, sizeof(id), "ipr-%zu", pg->nipr);
	op.id_prefix = id;
	op.has_day = st->date != NULL;
	op.pack_day = st->day;
	op.sprite = true;
	if (pg->svc != NULL) {
		first = (size_t)(pg->svc - p->services);
		n = 1;
		op.href_prefix = "";
		op.caption = "Latest position of each measure of this service";
		op.key_collapsed = true;
	} else {
		op.href_prefix = "services/";
		op.show_service = true;
		op.caption = "Integrated performance report: the latest "
		    "position of each measure, by domain";
	}
	o = ipr_json(p, first, n, &op, pg->svc == NULL ? st->ipr_rows : NULL);
	if (p->period_label != NULL && pg->svc == NULL) {
		char *cap = xasprintf("%s, %s", op.caption, p->period_label);

		json_object_set_new(o, "caption", json_string_nocheck(cap));
		free(cap);
	}
	if (tmpl_render(st->tmpl, "ipr", o, out) == -1)
		pg->failed = 1;
	json_decref(o);
}

/* One chart block (SPEC 3.4): its figure(s), or a short note when it
 * cannot be drawn. */
static void
site_chart_html(struct site_page *pg, const struct chart_spec *spec,
    struct buf *out)
{
	const struct service	*svc = pg->svc;
	const struct spc	*sp;
	struct chart		*c = NULL;

	switch (spec->type) {
	case CHART_IPR:
		site_ipr_html(pg, out);
		return;
	case CHART_DCB:
		if (svc != NULL && (c = chart_dcb(svc, spec)) == NULL)
			site_chart_note(out, site_chart_type_name(spec->type),
			    "this page has no demand and capacity data in the "
			    "period asked for");
		break;
	case CHART_SPC:
		sp = site_find_spc(svc, spec->metric);
		if (sp != NULL)
			c = chart_spc(svc, sp, spec);
		if (svc != NULL && c == NULL)
			site_chart_note(out, site_chart_type_name(spec->type),
			    "there are no values in the period asked for");
		break;
	case CHART_PROFILE:
		if (svc != NULL && site_profiles_html(pg, spec, out) == 0)
			site_chart_note(out, site_chart_type_name(spec->type),
			    "there is not enough data for a profile");
		return;
	case CHART_FAN:
		if (svc != NULL && !site_fan_html(pg, spec, out))
			site_sim_note(out, svc, spec->type);
		return;
	case CHART_SCENARIOS:
		if (svc != NULL && !site_scenarios_html(pg, spec, out))
			site_sim_note(out, svc, spec->type);
		return;
	default:
		buf_printf(out, "<p class=\"chart-note\">The %s chart is not "
		    "available yet.</p>\n", site_chart_type_name(spec->type));
		return;
	}
	if (c != NULL)
		site_figure(pg, c, out);
}

/* SPEC 3.4 default layout of a page without chart blocks: dcb, the
 * SPC chart of every metric and of demand, the profiles; the SPC
 * charts of capacity and backlog (inputs and a running total, rarely
 * read by a board) in a closed <details>; then the simulation's fan
 * chart and, when the page has scenarios, their comparison. */
static void
site_default_charts(struct site_page *pg, struct buf *out)
{
	const struct service	*svc = pg->svc;
	const struct analysis	*an = svc->an;
	struct chart_spec	 def;
	struct chart		*c;
	struct buf		 more;
	size_t			 k;
	bool			 flowm;

	if (an == NULL || svc->series == NULL || svc->series->n == 0)
		return;
	memset(&def, 0, sizeof(def));
	if (an->has_flow && (c = chart_dcb(svc, NULL)) != NULL)
		site_figure(pg, c, out);
	buf_init(&more);
	for (k = 0; k < an->nspc; k++) {
		const struct spc *sp = &an->spc[k];

		flowm = an->has_flow && (strcmp(sp->metric, "capacity") == 0 ||
		    strcmp(sp->metric, "backlog") == 0);
		if ((c = chart_spc(svc, sp, NULL)) != NULL)
			site_figure(pg, c, flowm ? &more : out);
	}
	site_profiles_html(pg, NULL, out);
	if (an->has_flow) {
		/* SPEC 3.4: fan and scenarios last; a short note when the
		 * history cannot be resampled. */
		if (!site_fan_html(pg, NULL, out))
			site_sim_note(out, svc, CHART_FAN);
		else if (svc->nscenarios > 0)
			site_scenarios_html(pg, NULL, out);
	}
	if (more.len > 0) {
		buf_puts(out, "<details class=\"more-charts\">\n<summary>More "
		    "variation charts: capacity and backlog</summary>\n");
		buf_put(out, more.data, more.len);
		buf_puts(out, "</details>\n");
	}
	buf_clear(&more);
}

static void
site_chart_cb(const struct chart_spec *spec, size_t i, struct buf *out,
    void *arg)
{
	(void)i;
	site_chart_html(arg, spec, out);
}

/* ---- contexts ---- */

static json_t *
site_pack_json(const struct site *st)
{
	const struct pack	*p = st->pack;
	json_t			*o = json_object();
	struct buf		 b;

	site_set(o, "title", p->title);
	if (p->organisation)
		site_set(o, "organisation", p->organisation);
	if (p->period_label)
		site_set(o, "period_label", p->period_label);
	if (p->author)
		site_set(o, "author", p->author);
	if (p->contact) {
		site_set(o, "contact", p->contact);
		if (strchr(p->contact, '@') != NULL &&
		    strchr(p->contact, ':') == NULL) {
			buf_init(&b);
			buf_puts(&b, "mailto:");
			buf_puts(&b, p->contact);
			struct buf u;
			buf_init(&u);
			esc_url(&u, b.data, b.len);
			site_set(o, "contact_href", u.data);
			buf_clear(&u);
			buf_clear(&b);
		}
	}
	if (st->date) {
		site_set(o, "date", st->date);
		site_set(o, "date_label", st->date_label);
	}
	return o;
}

static void
site_crumb(json_t *a, const char *label, const char *href)
{
	json_t	*o = json_object();

	site_set(o, "label", label);
	if (href != NULL)
		site_set(o, "href", href);
	json_array_append_new(a, o);
}

/* Wraps body in base.html; 0 or -1 (reported by tmpl).  The search
 * page loads the index and search.js and has no header search form. */
static int
site_base(const struct site *st, const char *title, const char *root,
    json_t *crumbs, const char *body, bool search, struct buf *out)
{
	json_t	*o = json_object(), *js;
	int	 rc;

	site_set(o, "page_title", title);
	site_set(o, "root", root);
	json_object_set_new(o, "pack", site_pack_json(st));
	json_object_set_new(o, "breadcrumb", crumbs);
	site_set(o, "body", body);
	if (search) {
		json_object_set_new(o, "is_search", json_true());
		js = json_array();
		json_array_append_new(js, site_str("assets/search-index.js"));
		json_array_append_new(js, site_str("assets/search.js"));
		json_object_set_new(o, "scripts", js);
	}
	rc = tmpl_render(st->tmpl, "base", o, out);
	json_decref(o);
	return rc;
}

static size_t
site_last_finite(const double *v, size_t n)
{
	while (n > 0 && !isfinite(v[n - 1]))
		n--;
	return n;	/* index + 1, 0 = none */
}

static void
site_pair(json_t *a, const char *k1, const char *v1, const char *k2,
    const char *v2, const char *k3, const char *v3)
{
	json_t	*o = json_object();

	site_set(o, k1, v1);
	site_set(o, k2, v2);
	if (k3 != NULL && v3 != NULL)
		site_set(o, k3, v3);
	json_array_append_new(a, o);
}

static json_t *
site_facts_json(const struct service *svc)
{
	static const char *const adj[] = { "Hourly", "Daily", "Weekly",
	    "Monthly" };
	json_t		*a = json_array();
	const char	*pn = util_period_name(svc->period);
	char		 s[256], x[48], y[48];

	if (svc->owner)
		site_pair(a, "term", "Owner", "value", svc->owner, NULL, NULL);
	if (svc->domain)
		site_pair(a, "term", "Domain", "value", svc->domain, NULL, NULL);
	if (svc->series != NULL && svc->series->n > 0) {
		chart_fmt_date(x, sizeof(x), svc->period, svc->series->key[0]);
		chart_fmt_date(y, sizeof(y), svc->period,
		    svc->series->key[svc->series->n - 1]);
		snprintf(s, sizeof(s), "%s, %s to %s", adj[svc->period], x, y);
	} else
		snprintf(s, sizeof(s), "%s", adj[svc->period]);
	site_pair(a, "term", "Period", "value", s, NULL, NULL);
	if (svc->data)
		site_pair(a, "term", "Data file", "value", svc->data, NULL,
		    NULL);
	if (svc->has_demand) {
		site_num(x, sizeof(x), svc->minutes_per_case, -1);
		snprintf(s, sizeof(s), "%s minutes of the critical resource",
		    x);
		site_pair(a, "term", "Minutes per case", "value", s, NULL,
		    NULL);
	}
	if (svc->has_capacity) {
		site_num(y, sizeof(y), svc->minutes_per_resource, -1);
		if (svc->capacity_column)
			snprintf(s, sizeof(s), "Column \"%s\" of the data, "
			    "%s minutes each per %s", svc->capacity_column, y,
			    pn);
		else {
			site_num(x, sizeof(x), svc->resources, -1);
			snprintf(s, sizeof(s), "%s, %s minutes each per %s", x,
			    y, pn);
		}
		site_pair(a, "term", "Resources", "value", s, NULL, NULL);
	}
	if (svc->has_target_wait) {
		site_num(x, sizeof(x), svc->target_wait_days, -1);
		snprintf(s, sizeof(s), "%s days", x);
		site_pair(a, "term", "Target wait", "value", s, NULL, NULL);
	}
	return a;
}

static json_t *
site_headline_json(const struct service *svc)
{
	const struct flow	*f = &svc->an->flow;
	size_t			 n = svc->series->n, k;
	json_t			*a = json_array();
	char			 s[256], t[256], x[48];

	site_num(x, sizeof(x), f->load * 100, 0);
	if (isfinite(f->load))
		snprintf(t, sizeof(t), "Demand was %s%% of capacity over the "
		    "whole period", x);
	else
		snprintf(t, sizeof(t), "No capacity was recorded");
	site_num(x, sizeof(x), f->load, 2);
	site_pair(a, "label", "Load (demand ÷ capacity)", "value", x, "note",
	    t);
	site_num(x, sizeof(x), f->backlog_cases[n - 1], -1);
	snprintf(s, sizeof(s), "%s cases", x);
	site_num(x, sizeof(x), f->backlog_minutes[n - 1], -1);
	snprintf(t, sizeof(t), "%s minutes of work waiting (computed)", x);
	site_pair(a, "label", "Backlog", "value", s, "note", t);
	if (f->observed_waiting &&
	    (k = site_last_finite(f->observed_waiting, n)) > 0) {
		site_num(x, sizeof(x), f->observed_waiting[k - 1], -1);
		snprintf(s, sizeof(s), "%s cases", x);
		chart_fmt_date(x, sizeof(x), svc->period,
		    svc->series->key[k - 1]);
		snprintf(t, sizeof(t), "as recorded, %s", x);
		site_pair(a, "label", "Observed waiting list", "value", s,
		    "note", t);
	}
	site_num(x, sizeof(x), f->wait_days[n - 1], 1);
	snprintf(s, sizeof(s), "%s days", x);
	site_pair(a, "label", "Estimated wait", "value", s, "note",
	    "for a case arriving now: backlog ÷ mean capacity per day");
	if (svc->an->sim != NULL && svc->an->sim->nscenarios > 0 &&
	    svc->an->sim->horizon > 0 && isfinite(
	    svc->an->sim->scenarios[0].p_wait_over_target_end)) {
		const struct sim *sim = svc->an->sim;
		char		 d[64], pa[48];

		/* SPEC 4.4, the baseline: what the fan chart shows. */
		simchart_fmt_pct(x, sizeof(x),
		    sim->scenarios[0].p_wait_over_target_end);
		site_num(pa, sizeof(pa), svc->target_wait_days, -1);
		snprintf(s, sizeof(s), "Chance of a wait over %s %s", pa,
		    svc->target_wait_days == 1 ? "day" : "days");
		chart_fmt_date(d, sizeof(d), svc->period,
		    sim->keys[sim->horizon - 1]);
		site_num(pa, sizeof(pa), (double)sim->paths, 0);
		snprintf(t, sizeof(t), "by %s on current staffing (%s "
		    "simulated paths)", d, pa);
		site_pair(a, "label", s, "value", x, "note", t);
	}
	return a;
}

static json_t *
site_queue_json(const struct service *svc)
{
	const struct queue	*q = &svc->an->queue;
	const char		*pn = util_period_name(svc->period);
	double			 pd = util_period_days(svc->period), tr;
	json_t			*a = json_array();
	char			 s[256], t[256], x[48], y[48];

	site_num(x, sizeof(x), q->mean_demand, 1);
	snprintf(s, sizeof(s), "%s cases per %s", x, pn);
	snprintf(t, sizeof(t), "Average cases arriving each %s", pn);
	site_pair(a, "label", "Mean demand", "value", s, "explain", t);
	site_num(x, sizeof(x), q->mean_capacity, 1);
	snprintf(s, sizeof(s), "%s cases per %s", x, pn);
	snprintf(t, sizeof(t), "Average cases the resources can see each %s",
	    pn);
	site_pair(a, "label", "Mean capacity", "value", s, "explain", t);
	site_num(x, sizeof(x), q->current_queue, -1);
	snprintf(s, sizeof(s), "%s cases", x);
	site_pair(a, "label", "Current queue", "value", s, "explain",
	    svc->backlog_column ? "The latest recorded waiting list" :
	    "The latest computed backlog");
	site_num(x, sizeof(x), q->target_queue_size, 1);
	snprintf(s, sizeof(s), "%s cases", x);
	site_num(y, sizeof(y), q->factor, -1);
	snprintf(t, sizeof(t), "The waiting list that meets the target wait "
	    "reliably: mean demand × target wait ÷ %s", y);
	site_pair(a, "label", "Target queue size", "value", s, "explain", t);
	site_num(x, sizeof(x), q->target_capacity, 1);
	snprintf(s, sizeof(s), "%s cases per %s", x, pn);
	site_pair(a, "label", "Target capacity", "value", s, "explain",
	    "Capacity needed to keep the queue at its target size, allowing "
	    "for variation in demand and capacity");
	tr = svc->has_relief_periods ? svc->relief_periods : 182.0 / pd;
	site_num(x, sizeof(x), q->relief_capacity, 1);
	snprintf(s, sizeof(s), "%s cases per %s", x, pn);
	site_num(y, sizeof(y), tr * pd, 0);
	snprintf(t, sizeof(t), "Capacity needed to bring the queue to its "
	    "target size within %s days", y);
	site_pair(a, "label", "Relief capacity", "value", s, "explain", t);
	site_num(x, sizeof(x), q->mean_wait * pd, 1);
	snprintf(s, sizeof(s), "%s days", x);
	site_pair(a, "label", "Mean wait", "value", s, "explain",
	    "Current queue ÷ mean demand");
	site_num(x, sizeof(x), q->pressure, 2);
	site_pair(a, "label", "Waiting list pressure", "value", x, "explain",
	    "2 × mean wait ÷ target wait: above 1, the target wait is not "
	    "being met");
	site_num(x, sizeof(x), q->queue_load, 2);
	site_pair(a, "label", "Queue load", "value", x, "explain",
	    "Mean demand ÷ mean capacity: above 1, the queue keeps growing");
	return a;
}

static void
site_nav_link(json_t *o, const char *k, const struct service *svc)
{
	json_t	*l = json_object();

	site_set(l, "title", svc->title ? svc->title : svc->id);
	site_setf(l, "href", "%s.html", svc->id);
	json_object_set_new(o, k, l);
}

/* The "On this page" list of a service page: its sections, with the
 * charts (charts[0..ncom) in the commentary, the rest under "Charts")
 * nested; shown only on pages long enough to need it. */
static void
site_toc(json_t *o, json_t *charts, size_t ncom, bool flow, bool ipr,
    bool com, bool more)
{
	json_t	*toc = json_array(), *e, *sub;
	size_t	 i, nsect;

	if (flow) {
		site_pair(toc, "href", "#headline-h", "label",
		    "Headline figures", NULL, NULL);
		site_pair(toc, "href", "#queue-h", "label", "Queue targets",
		    NULL, NULL);
	}
	if (ipr)
		site_pair(toc, "href", "#ipr-h", "label", "Measures at a glance",
		    NULL, NULL);
	for (i = 0; i < 2; i++) {
		if (i == 0 ? !com : !more)
			continue;
		e = json_object();
		site_set(e, "href", i == 0 ? "#commentary" : "#charts-h");
		site_set(e, "label", i == 0 ? "Commentary" : "Charts");
		sub = json_array();
		for (size_t k = i == 0 ? 0 : ncom; k < (i == 0 ? ncom :
		    json_array_size(charts)); k++)
			json_array_append(sub, json_array_get(charts, k));
		json_object_set_new(e, "has_sub",
		    json_boolean(json_array_size(sub) > 0));
		json_object_set_new(e, "sub", sub);
		json_array_append_new(toc, e);
	}
	site_pair(toc, "href", "#data-h", "label", "Data and downloads", NULL,
	    NULL);
	nsect = json_array_size(toc);
	json_object_set_new(o, "has_toc", json_boolean(nsect +
	    json_array_size(charts) >= 5));
	json_object_set_new(o, "toc", toc);
}

/* ---- pages ---- */

/* Renders services/<id>.html of service i into out. */
int
site_service_page(const struct site *st, size_t i, struct buf *out)
{
	const struct pack	*p = st->pack;
	const struct service	*svc = &p->services[i];
	struct site_page	 pg;
	struct buf		 com, charts, body;
	json_t			*o, *crumbs;
	char			 s[64];
	size_t			 nspecs = 0, ncom;
	bool			 flow;
	int			 rc = 0;

	flow = svc->an != NULL && svc->an->has_flow && svc->series != NULL &&
	    svc->series->n > 0;
	/* Bad chart blocks were reported when svc->doc was parsed. */
	if (!md_doc_ok(svc->doc))
		return -1;
	md_doc_charts(svc->doc, &nspecs);
	memset(&pg, 0, sizeof(pg));
	pg.site = st;
	pg.svc = svc;
	pg.toc = json_array();
	buf_init(&com);
	buf_init(&charts);
	buf_init(&body);
	md_doc_html(svc->doc, 1, site_chart_cb, &pg, &com);
	ncom = json_array_size(pg.toc);
	if (nspecs == 0)
		site_default_charts(&pg, &charts);

	o = json_object();
	json_object_set_new(o, "pack", site_pack_json(st));
	json_object_set_new(o, "service", json_object());
	site_set(json_object_get(o, "service"), "title",
	    svc->title ? svc->title : svc->id);
	site_set(json_object_get(o, "service"), "id", svc->id);
	json_object_set_new(o, "facts", site_facts_json(svc));
	if (flow) {
		chart_fmt_date(s, sizeof(s), svc->period,
		    svc->series->key[svc->series->n - 1]);
		site_set(o, "latest", s);
		json_object_set_new(o, "has_headline", json_true());
		json_object_set_new(o, "headline", site_headline_json(svc));
		json_object_set_new(o, "has_queue", json_true());
		json_object_set_new(o, "queue", site_queue_json(svc));
		site_num(s, sizeof(s), svc->target_wait_days, -1);
		site_setf(o, "target_wait", "%s days", s);
	}
	if (svc->an != NULL && svc->an->nspc > 0) {
		struct buf	 ib;

		buf_init(&ib);
		site_ipr_html(&pg, &ib);
		if (ib.len > 0)
			site_set(o, "ipr", ib.data);
		buf_clear(&ib);
	}
	if (pg.failed)
		rc = -1;
	if (com.len > 0) {
		site_set(o, "commentary", com.data);
		if (strncmp(com.data, "<h", 2) != 0)
			json_object_set_new(o, "commentary_heading",
			    json_true());
	}
	if (charts.len > 0)
		site_set(o, "charts", charts.data);
	/* The analysis CSV and the PDF exist only for analysed services. */
	if (svc->an != NULL) {
		site_setf(o, "csv_href", "../data/%s.csv", svc->id);
		if (st->packpdf_name != NULL)
			site_setf(o, "pdf_href", "../pdf/%s.pdf", svc->id);
	}
	if (st->packpdf_name != NULL)
		site_setf(o, "pack_pdf", "../pdf/%s", st->packpdf_name);
	if (svc->data)
		site_set(o, "data_file", svc->data);
	site_toc(o, pg.toc, ncom, flow, json_object_get(o, "ipr") != NULL,
	    com.len > 0, charts.len > 0);
	if (i > 0)
		site_nav_link(o, "prev", &p->services[i - 1]);
	if (i + 1 < p->nservices)
		site_nav_link(o, "next", &p->services[i + 1]);
	if (rc == 0 && tmpl_render(st->tmpl, "service", o, &body) == -1)
		rc = -1;
	json_decref(o);
	json_decref(pg.toc);
	buf_clear(&com);
	buf_clear(&charts);

	if (rc == 0) {
		char *title = xasprintf("%s – %s",
		    svc->title ? svc->title : svc->id, p->title ? p->title :
		    "Performance pack");

		crumbs = json_array();
		site_crumb(crumbs, p->title ? p->title : "Home",
		    "../index.html");
		site_crumb(crumbs, svc->title ? svc->title : svc->id, NULL);
		rc = site_base(st, title, "../", crumbs,
		    body.data ? body.data : "", false, out);
		free(title);
	}
	buf_clear(&body);
	return rc;
}

/* index.html, its IPR table left in *ipr (SITE_IPR_MARK, siteint.h). */
int
site_index_page(const struct site *st, struct buf *out, struct buf *ipr)
{
	const struct pack	*p = st->pack;
	const struct chart_spec	*specs;
	struct site_page	 pg;
	struct buf		 sum, body;
	json_t			*o, *crumbs;
	size_t			 nspecs = 0, i;
	bool			 inline_ipr = false;
	int			 rc = 0;

	/* Bad chart blocks were reported when p->index_doc was parsed. */
	if (!md_doc_ok(p->index_doc))
		return -1;
	specs = md_doc_charts(p->index_doc, &nspecs);
	for (i = 0; i < nspecs; i++)
		if (specs[i].type == CHART_IPR)
			inline_ipr = true;
	memset(&pg, 0, sizeof(pg));
	pg.site = st;
	buf_init(&sum);
	buf_init(&body);
	md_doc_html(p->index_doc, 1, site_chart_cb, &pg, &sum);
	o = json_object();
	json_object_set_new(o, "pack", site_pack_json(st));
	if (sum.len > 0) {
		site_set(o, "summary", sum.data);
		/* Our own heading only when the text does not open with one. */
		if (strncmp(sum.data, "<h", 2) != 0)
			json_object_set_new(o, "summary_heading", json_true());
	}
	/* The IPR table, unless index.md placed it with an ipr block. */
	if (!inline_ipr)
		site_ipr_html(&pg, ipr);
	if (ipr->len > 0)
		site_set(o, "ipr", SITE_IPR_MARK);
	json_object_set_new(o, "has_services", json_boolean(p->nservices > 0));
	json_object_set_new(o, "services", search_contents_json(p,
	    "services/"));
	if (st->packpdf_name != NULL)
		site_setf(o, "pack_pdf", "pdf/%s", st->packpdf_name);
	if (pg.failed || tmpl_render(st->tmpl, "index", o, &body) == -1)
		rc = -1;
	json_decref(o);
	buf_clear(&sum);
	if (rc == 0) {
		crumbs = json_array();
		site_crumb(crumbs, p->title ? p->title : "Home", NULL);
		rc = site_base(st, p->title ? p->title : "Performance pack", "",
		    crumbs, body.data ? body.data : "", false, out);
	}
	buf_clear(&body);
	return rc;
}

/* search.html: a search form over the prebuilt index and, for readers
 * without JavaScript, the list of every page. */
int
site_search_page(const struct site *st, struct buf *out)
{
	const struct pack	*p = st->pack;
	struct buf		 body;
	json_t			*o, *crumbs;
	char			*title;
	int			 rc;

	buf_init(&body);
	o = json_object();
	json_object_set_new(o, "pack", site_pack_json(st));
	json_object_set_new(o, "services", search_contents_json(p,
	    "services/"));
	rc = tmpl_render(st->tmpl, "search", o, &body);
	json_decref(o);
	if (rc == 0) {
		crumbs = json_array();
		site_crumb(crumbs, p->title ? p->title : "Home", "index.html");
		site_crumb(crumbs, "Search", NULL);
		title = xasprintf("Search – %s", p->title ? p->title :
		    "Performance pack");
		rc = site_base(st, title, "", crumbs, body.data ? body.data :
		    "", true, out);
		free(title);
	}
	buf_clear(&body);
	return rc;
}
