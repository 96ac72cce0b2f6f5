/*
 * site.c: analysis per service, render and write stage (see site.h,
 * SPEC 5).  A temporary directory "<out>.tmp.XXXXXX" is made beside
 * out/ first; each service is analysed, its page, CSV and PDF rendered
 * and written into it as soon as they are made, its JSON text handed to
 * the thread that streams analysis.json in pack order, and its analysis
 * then reduced to what the pack-wide outputs read, on -j threads; then
 * the index and search pages and the pack PDF, side by side.  Memory
 * therefore holds a few services' analyses, not the pack's.  The
 * directory replaces out/ only when every file was written; any failure
 * removes it.  Unchanged services are hard-linked from the previous
 * out/ and their JSON texts copied from the previous analysis.json
 * (cache.h); when the pack PDF carries no briefings they are not
 * analysed either (cache_stub): their IPR rows and the stub analysis
 * the pack PDF's table reads come from the cache.  When only a few
 * services are built (a rebuild), their pages, CSVs and PDFs are
 * rendered beside the index and the pack PDF rather than before them.
 * Template contexts are jansson objects built here;
 * every string in them is escaped by the template engine ({{x}}) except
 * HTML built here ({{{x}}}).
 */
#define _XOPEN_SOURCE 700	/* nftw */

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <yaml.h>

#include "analysis.h"
#include "cache.h"
#include "chart.h"
#include "content.h"
#include "diag.h"
#include "esc.h"
#include "export.h"
#include "ipr.h"
#include "md.h"
#include "pdf.h"
#include "search.h"
#include "sim.h"
#include "simchart.h"
#include "site.h"
#include "stub.h"
#include "svg.h"
#include "theme.h"
#include "tmpl.h"
#include "util.h"

static const char *const site_month_names[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

/*
 * The services' JSON texts on their way to analysis.json: the jobs put
 * each service's text (or say it is unchanged, or failed) in its slot;
 * one writer thread takes them in pack order and streams them to the
 * file, so a text is written once and only the few finished out of
 * order wait in memory.  Guarded by mu.
 */
enum site_jstate {
	SITE_J_WAIT,		/* not done yet */
	SITE_J_TEXT,		/* text[i] is ready */
	SITE_J_FAILED		/* its job failed (reported) */
};

struct site_jq {
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	unsigned char		*state;		/* enum site_jstate */
	char			**text;
	size_t			*len;
	const char		**src;		/* unchanged: the text in the
						 * previous analysis.json */
	uint64_t		*hash;		/* and its hash */
	struct cache_text	*out;		/* where each went */
	uint64_t		 written;	/* bytes of analysis.json */
	const char		*pending;	/* the text being put */
	const char		*pending_src;	/* its bytes, when copied */
	size_t			 pending_i;
	bool			 closed;	/* the writer has stopped */
};

/* Shared read-only state of one build; failed[] has one slot per work
 * item, written only by that item's job. */
struct site {
	const struct pack	*pack;
	struct pack		*apack;		/* the same, analysed here */
	struct sim		**sims;		/* from the cache, or NULL */
	int			 sim_jobs;	/* threads per simulation */
	bool			 slim;		/* analyses let go when written */
	struct ipr_opts		 index_op;	/* the index IPR's rows */
	json_t			**ipr_rows;	/* per service, for the index */
	struct buf		*simrec;	/* per service, for .cache/sims */
	struct buf		*rec;		/* per service, for .cache/recs */
	int			 tail_failed[3];
	long			*tail;		/* the tail's work items */
	bool			 defer;		/* render after analysing all */
	unsigned char		*deferred;	/* per service: its files wait
						 * for the tail (st->defer) */
	const char		*css;		/* assets/style.css */
	size_t			 csslen;
	struct tmpl_set		*tmpl;
	struct chart_palette	 pal;
	char			*date;		/* ISO, or NULL */
	char			*date_label;
	int64_t			 day;		/* of date, when non-NULL */
	char			*packpdf_name;	/* "<slug>.pdf"; NULL: --no-pdf */
	const char		*out;
	const char		*tmp;		/* the tree being written */
	const struct cache	*cache;		/* NULL: render everything */
	struct site_jq		*jq;		/* JSON texts, to the writer */
	char			**texts;	/* search_doc_text: [0] index.md,
						 * [1 + i] service i */
	int			*failed;
	char			*searchjs;	/* assets/search.js */
	size_t			 searchjslen;
};

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

static void
site_date_long(char *s, size_t sz, int64_t day)
{
	int		 y;
	unsigned	 m, d;

	util_civil_from_days(day, &y, &m, &d);
	snprintf(s, sz, "%u %s %d", d, site_month_names[m - 1], y);
}

/* The pack date (resolved by content_load, SPEC 2) as ISO text and its
 * day; NULL when the pack has none. */
static char *
site_pack_date(const struct pack *p, int64_t *day)
{
	if (p->date != NULL && util_day_parse(p->date, day))
		return xstrdup(p->date);
	return NULL;
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

/* Renders services/<id>.html of service i into out. */
static int
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

/* The index's IPR table is tens of megabytes at national scale: the
 * page is rendered with SITE_IPR_MARK in its place and the table,
 * left in *ipr, is spliced in as the file is written (site_put_splice),
 * so that the table is never copied into the context and the page. */
#define SITE_IPR_MARK	"\x02boardpack-ipr\x03"

static int
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
static int
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

/* ---- writing ---- */

/* The marker goes last, just before its directory: a build killed while
 * removing a tree leaves it recognisably ours (site_clean_stale). */
static int
site_rm_cb(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	char	*m;

	(void)sb;
	if (ftw->level == 1 && strcmp(path + ftw->base, ".boardpack") == 0)
		return 0;
	if (ftw->level == 0 && flag == FTW_DP) {
		m = util_path_join(path, ".boardpack");
		unlink(m);
		free(m);
	}
	return remove(path);
}

/* Removes a tree this build created (no symlinks followed). */
static int
site_rmtree(const char *path)
{
	return nftw(path, site_rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

static int
site_put(const char *dir, const char *rel, const void *data, size_t len)
{
	char	*p = util_path_join(dir, rel);
	int	 rc = 0;

	if (util_file_write(p, data, len) == -1) {
		diag_error(p, 0, 0, "cannot write: %s", strerror(errno));
		rc = -1;
	}
	free(p);
	return rc;
}

/* true if out may be replaced: absent, or a directory with .boardpack. */
static bool
site_out_ours(const char *out, bool *exists)
{
	struct stat	 sb;
	char		*m;
	bool		 ok;

	if (lstat(out, &sb) == -1) {
		*exists = false;
		return errno == ENOENT;
	}
	*exists = true;
	if (!S_ISDIR(sb.st_mode))
		return false;
	m = util_path_join(out, ".boardpack");
	ok = util_is_file(m);
	free(m);
	return ok;
}

/* Reads dir/name whole; NULL (reported) on error. */
static char *
site_asset(const char *dir, const char *name, size_t *len)
{
	char	*path = util_path_join(dir, name), *s;

	if ((s = util_file_read(path, len)) == NULL)
		diag_error(path, 0, 0, "cannot read: %s", strerror(errno));
	free(path);
	return s;
}

/* out/assets/style.css: themes/base.css (the rules every theme
 * shares), then the theme's style.css (its custom properties and any
 * rules of its own, which win).  NULL (reported) on error. */
static char *
site_css(const char *thdir, const char *themedir, size_t *len)
{
	struct buf	 b;
	char		*base, *theme;
	size_t		 nb, nt;

	if ((base = site_asset(thdir, "base.css", &nb)) == NULL)
		return NULL;
	if ((theme = site_asset(themedir, "style.css", &nt)) == NULL) {
		free(base);
		return NULL;
	}
	buf_init(&b);
	buf_put(&b, base, nb);
	buf_put(&b, theme, nt);
	free(base);
	free(theme);
	*len = b.len;
	return buf_release(&b);
}

/* Renames tmp into place of out, keeping the old tree until then.  On
 * Linux the two trees are exchanged in one atomic renameat2(2)
 * RENAME_EXCHANGE, so out is never missing, even for an instant; tmp
 * then holds the previous tree and is removed.  Elsewhere, or on a file
 * system without it, out goes to out.old.XXXXXX first. */
static int
site_swap(const char *out, const char *tmp, bool exists)
{
	char	*old;
	int	 rc = 0;

#ifdef SYS_renameat2
	if (exists) {
		if (syscall(SYS_renameat2, AT_FDCWD, tmp, AT_FDCWD, out,
		    2 /* RENAME_EXCHANGE, linux/fs.h */) == 0) {
			if (site_rmtree(tmp) == -1)
				diag_warning(tmp, 0, 0, "cannot remove the "
				    "previous output: %s", strerror(errno));
			return 0;
		}
		if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
			diag_error(out, 0, 0, "cannot replace: %s",
			    strerror(errno));
			return -1;
		}
	}
#endif
	if (!exists) {
		if (rename(tmp, out) == -1) {
			diag_error(out, 0, 0, "cannot create: %s",
			    strerror(errno));
			return -1;
		}
		return 0;
	}
	old = xasprintf("%s.old.XXXXXX", out);
	if (mkdtemp(old) == NULL || rename(out, old) == -1) {
		diag_error(out, 0, 0, "cannot replace: %s", strerror(errno));
		rmdir(old);
		free(old);
		return -1;
	}
	if (rename(tmp, out) == -1) {
		diag_error(out, 0, 0, "cannot replace: %s", strerror(errno));
		if (rename(old, out) == -1)
			diag_error(old, 0, 0, "previous output left here: %s",
			    strerror(errno));
		rc = -1;
	} else if (site_rmtree(old) == -1)
		diag_warning(old, 0, 0, "cannot remove the previous output: %s",
		    strerror(errno));
	free(old);
	return rc;
}

/*
 * Removes the out.tmp.XXXXXX and out.old.XXXXXX directories that killed
 * builds left beside out: only names of exactly that form (mkdtemp's six
 * characters), only directories, and only those that carry the
 * .boardpack marker (every build writes it first) or are empty, so that
 * nothing boardpack did not create is touched.  The caller holds the
 * lock of site_lock, so no other build is writing them.
 */
static void
site_clean_stale(const char *out)
{
	struct stat	 sb;
	struct dirent	*e;
	DIR		*d;
	char		*dir, *path, *m;
	const char	*base, *s;
	size_t		 bl;

	dir = util_dirname(out);
	base = strrchr(out, '/') != NULL ? strrchr(out, '/') + 1 : out;
	bl = strlen(base);
	if (bl == 0 || (d = opendir(dir)) == NULL) {
		free(dir);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		s = e->d_name;
		if (strncmp(s, base, bl) != 0 || (strncmp(s + bl, ".tmp.", 5)
		    != 0 && strncmp(s + bl, ".old.", 5) != 0) ||
		    strlen(s + bl + 5) != 6)
			continue;
		path = util_path_join(dir, s);
		m = util_path_join(path, ".boardpack");
		if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			if (util_is_file(m))
				site_rmtree(path);
			else
				rmdir(path);	/* fails unless empty */
		}
		free(m);
		free(path);
	}
	closedir(d);
	free(dir);
}

/* Takes an exclusive flock(2) on out's parent directory (no file is
 * created; waits while another build writes there), so that two builds
 * into the same out do not remove each other's temporary directories.
 * Returns the descriptor to close, -2 when the directory cannot be
 * opened (mkdtemp reports it), or -1 after reporting a failed lock. */
static int
site_lock(const char *out)
{
	char	*dir = util_dirname(out);
	int	 fd;

	if (util_mkdirs(dir) != 0 ||
	    (fd = open(dir, O_RDONLY | O_DIRECTORY)) == -1) {
		free(dir);
		return -2;	/* reported later by mkdtemp */
	}
	free(dir);
	while (flock(fd, LOCK_EX) == -1) {
		if (errno == EINTR)
			continue;
		diag_error(out, 0, 0, "cannot lock the directory of %s: %s",
		    out, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Writes b (rendered into the tree at rel) and empties it. */
static int
site_put_buf(const struct site *st, const char *rel, struct buf *b)
{
	int	 rc;

	rc = site_put(st->tmp, rel, b->data ? b->data : "", b->len);
	buf_clear(b);
	return rc;
}

/* Writes b into the tree as rel with the first SITE_IPR_MARK replaced
 * by ins (b unchanged without one); frees both.  0 or -1 (reported). */
static int
site_put_splice(const struct site *st, const char *rel, struct buf *b,
    struct buf *ins)
{
	const char	*mark = SITE_IPR_MARK, *at = NULL;
	char		*path;
	size_t		 ml = strlen(mark), head;
	FILE		*f;
	int		 rc = 0;

	/* memmem is not POSIX: the mark opens with a control character. */
	for (at = ins->len > 0 ? b->data : NULL; at != NULL; at++) {
		at = memchr(at, mark[0], b->len - (size_t)(at - b->data));
		if (at == NULL || (size_t)(b->data + b->len - at) < ml ||
		    memcmp(at, mark, ml) == 0)
			break;
	}
	if (at != NULL && (size_t)(b->data + b->len - at) < ml)
		at = NULL;
	if (at == NULL) {
		buf_clear(ins);
		return site_put_buf(st, rel, b);
	}
	head = (size_t)(at - b->data);
	path = util_path_join(st->tmp, rel);
	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(b->data, 1, head, f) != head ||
	    fwrite(ins->data, 1, ins->len, f) != ins->len ||
	    fwrite(at + ml, 1, b->len - head - ml, f) != b->len - head - ml)
		rc = -1;
	if (f != NULL && fclose(f) == EOF)
		rc = -1;
	if (rc == -1)
		diag_error(path, 0, 0, "cannot write: %s", strerror(errno));
	free(path);
	buf_clear(b);
	buf_clear(ins);
	return rc;
}

static struct site_jq *
site_jq_new(size_t n)
{
	struct site_jq	*q = xcalloc(1, sizeof(*q));

	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	q->state = xcalloc(n ? n : 1, sizeof(*q->state));
	q->text = xcalloc(n ? n : 1, sizeof(*q->text));
	q->len = xcalloc(n ? n : 1, sizeof(*q->len));
	q->src = xcalloc(n ? n : 1, sizeof(*q->src));
	q->hash = xcalloc(n ? n : 1, sizeof(*q->hash));
	q->out = xcalloc(n ? n : 1, sizeof(*q->out));
	return q;
}

/* Frees q and any text it still holds (a failed build). */
static void
site_jq_free(struct site_jq *q, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(q->text[i]);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
	free(q->state);
	free(q->text);
	free(q->len);
	free(q->src);
	free(q->hash);
	free(q->out);
	free(q);
}

/* Sets slot i of q (text, when given, is handed over) and wakes the
 * writer. */
static void
site_jq_set(struct site_jq *q, size_t i, enum site_jstate state,
    char *text, size_t len)
{
	pthread_mutex_lock(&q->mu);
	q->state[i] = (unsigned char)state;
	if (q->closed) {
		/* A failed write stopped the writer: nothing waits for it,
		 * so it is not held for the rest of the build. */
		free(text);
		text = NULL;
	}
	free(q->text[i]);	/* a failure after its text was handed */
	q->text[i] = text;
	q->len[i] = len;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

/* Slot i of q is the text src[0..len) of the previous analysis.json
 * (mapped; hash its hash): the writer copies it from there. */
static void
site_jq_copy(struct site_jq *q, size_t i, const char *src, size_t len,
    uint64_t hash)
{
	pthread_mutex_lock(&q->mu);
	q->state[i] = SITE_J_TEXT;
	q->src[i] = src;
	q->hash[i] = hash;
	q->len[i] = len;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

/* The files of service i that a hit links: rel[0..n), caller frees. */
static size_t
site_service_rels(const struct site *st, size_t i, char *rel[3])
{
	const struct service	*svc = &st->pack->services[i];
	size_t			 n = 0;

	rel[n++] = xasprintf("services/%s.html", svc->id);
	if (svc->an != NULL)
		rel[n++] = xasprintf("data/%s.csv", svc->id);
	if (svc->an != NULL && st->packpdf_name != NULL)
		rel[n++] = xasprintf("pdf/%s.pdf", svc->id);
	return n;
}

/* Removes the first m files of service i from the tree (links that
 * must go before it is rendered: a render never writes into a linked
 * file). */
static void
site_service_unlink(const struct site *st, size_t i, size_t m)
{
	char	*rel[3], *path;
	size_t	 k, n = site_service_rels(st, i, rel);

	for (k = 0; k < n; k++) {
		if (k < m) {
			path = util_path_join(st->tmp, rel[k]);
			unlink(path);
			free(path);
		}
		free(rel[k]);
	}
}

/* Copies service i's files from the previous out when its cache key
 * is unchanged; -1 when any is missing (it is then rendered, and none
 * is left linked). */
static int
site_service_copy(const struct site *st, size_t i)
{
	char	*rel[3];
	size_t	 k, n;
	int	 rc = 0;

	if (!cache_hit(st->cache, i))
		return -1;
	n = site_service_rels(st, i, rel);
	for (k = 0; k < n && rc == 0; k++)
		if (cache_copy(st->cache, st->tmp, rel[k]) == -1) {
			site_service_unlink(st, i, k);
			rc = -1;
		}
	for (k = 0; k < n; k++)
		free(rel[k]);
	return rc;
}

/*
 * A hit that is not analysed (cache_stub): its page, CSV and PDF
 * linked, its JSON text copied from the previous analysis.json, its
 * IPR rows, record and simulation taken from the cache and what its
 * analysis printed printed again.  0, or 1 when any of it is missing
 * or damaged (the service is then built).
 */
static int
site_service_reuse(struct site *st, size_t i)
{
	const char	*js, *d;
	size_t		 len, dlen;
	uint64_t	 hash;
	json_t		*rows;

	if ((js = cache_json(st->cache, i, &len, &hash)) == NULL ||
	    site_service_copy(st, i) == -1)
		return 1;
	if ((rows = cache_reuse(st->cache, i)) == NULL) {
		site_service_unlink(st, i, 3);
		return 1;
	}
	if ((d = cache_an_diag(st->cache, i, &dlen)) != NULL && dlen > 0) {
		struct buf	 b;

		buf_init(&b);
		buf_put(&b, d, dlen);
		diag_print(&b);
		buf_clear(&b);
	}
	st->ipr_rows[i] = rows;
	site_jq_copy(st->jq, i, js, len, hash);
	return 0;
}

/*
 * Parses service i's body once (svc->doc) for its page, its PDF, the
 * pack PDF's briefing and its search text, which is made here: the
 * search index is written in the tail, beside the services deferred.
 * quiet for a service not rendered (an earlier build made its page).
 */
static void
site_service_doc(struct site *st, size_t i, bool quiet)
{
	struct service	*svc = &st->apack->services[i];

	svc->doc = md_doc_parse(svc->body ? svc->body : "", svc->path,
	    svc->body_line, svc, quiet);
	st->texts[1 + i] = search_doc_text(svc->doc);
}

/* Lets service i's doc go once its files are made, unless the pack
 * PDF, which carries every briefing when the analyses are kept (not
 * st->slim), reads it later (site_docs_free). */
static void
site_service_doc_done(const struct site *st, size_t i)
{
	struct service	*svc = &st->apack->services[i];

	if (!st->slim)
		return;
	md_doc_free(svc->doc);
	svc->doc = NULL;
}

/* Renders and writes service i's page, CSV, PDF and JSON text (the
 * last handed to the writer of analysis.json), freeing each as soon as
 * it is written; or takes them from the previous out when unchanged.
 * 0 or -1 (reported). */
static int	site_service_render(const struct site *, size_t);

static int
site_service(struct site *st, size_t i)
{
	const struct service	*svc = &st->pack->services[i];
	struct buf		 andiag;
	char			*js;
	const char		*src;
	size_t			 len;
	uint64_t		 hash;
	int			 rc;
	bool			 stub = cache_stub(st->cache, i);

	if (stub) {
		if ((rc = site_service_reuse(st, i)) == 0) {
			site_service_doc(st, i, true);
			site_service_doc_done(st, i);
		}
		if (rc != 1)
			return rc;
		/* Built after all: its data, whole. */
		if (content_service_reload(&st->apack->services[i]) == -1)
			return -1;
	}

	/* The analysis (what it prints kept for the cache), then what the
	 * pack-wide outputs need of it. */
	buf_init(&andiag);
	diag_capture(&andiag);
	analysis_service(st->apack, i, st->sim_jobs,
	    st->sims != NULL ? &st->sims[i] : NULL);
	diag_capture(NULL);
	diag_print(&andiag);
	st->ipr_rows[i] = ipr_service_rows(svc, &st->index_op);
	if (st->cache != NULL)
		cache_record(st->cache, st->pack, i, &andiag,
		    st->ipr_rows[i], &st->rec[i]);
	buf_clear(&andiag);
	if (svc->an != NULL && svc->an->sim != NULL)
		stub_sim_put(svc->an->sim, &st->simrec[i]);

	if (!stub && site_service_copy(st, i) == 0) {
		/* Its text from the previous analysis.json, or anew when
		 * that no longer holds it. */
		if ((src = cache_json(st->cache, i, &len, &hash)) != NULL)
			site_jq_copy(st->jq, i, src, len, hash);
		else {
			js = export_json_service(svc, &len);
			site_jq_set(st->jq, i, SITE_J_TEXT, js, len);
		}
		site_service_doc(st, i, true);
		site_service_doc_done(st, i);
		return 0;
	}
	/* The JSON text first: the writer of analysis.json goes on with
	 * the services after this one while its files are rendered. */
	js = export_json_service(svc, &len);
	site_jq_set(st->jq, i, SITE_J_TEXT, js, len);
	site_service_doc(st, i, false);
	if (st->defer) {
		st->deferred[i] = 1;	/* rendered beside the tail */
		return 0;
	}
	rc = site_service_render(st, i);
	site_service_doc_done(st, i);
	return rc;
}

/* Renders and writes analysed service i's page, CSV and PDF.  0 or -1
 * (reported). */
static int
site_service_render(const struct site *st, size_t i)
{
	const struct service	*svc = &st->pack->services[i];
	struct buf		 b;
	char			*rel, *name;
	int			 rc;

	buf_init(&b);
	if (site_service_page(st, i, &b) == -1) {
		buf_clear(&b);
		return -1;
	}
	rel = xasprintf("services/%s.html", svc->id);
	rc = site_put_buf(st, rel, &b);
	free(rel);
	if (rc == 0 && svc->an != NULL) {
		export_csv(st->pack, svc, &b);
		rel = xasprintf("data/%s.csv", svc->id);
		rc = site_put_buf(st, rel, &b);
		free(rel);
	}
	if (rc == 0 && svc->an != NULL && st->packpdf_name != NULL) {
		name = xasprintf("%s/pdf/%s.pdf", st->out, svc->id);
		rc = pdf_service_buf(st->pack, svc, &st->pal, name, &b);
		free(name);
		rel = xasprintf("pdf/%s.pdf", svc->id);
		if (rc == 0)
			rc = site_put_buf(st, rel, &b);
		buf_clear(&b);
		free(rel);
	}
	return rc;
}

/* The pack PDF, rendered and written. */
static int
site_pack_pdf(const struct site *st)
{
	struct buf	 b;
	char		*name, *rel;
	int		 rc;

	buf_init(&b);
	name = xasprintf("%s/pdf/%s", st->out, st->packpdf_name);
	rc = pdf_pack_buf(st->pack, &st->pal, name, &b);
	free(name);
	rel = xasprintf("pdf/%s", st->packpdf_name);
	if (rc == 0)
		rc = site_put_buf(st, rel, &b);
	buf_clear(&b);
	free(rel);
	return rc;
}

/* Work item k: with PDFs, item 0 is the pack PDF (the longest, so it
 * starts first and overlaps the pages) and item k the service k - 1;
 * without, item k is service k. */
static void
site_job(size_t k, void *arg)
{
	struct site	*st = arg;
	size_t		 i;

	i = k;
	st->failed[k] = site_service(st, i) == -1;
	if (st->failed[k])
		site_jq_set(st->jq, i, SITE_J_FAILED, NULL, 0);
	if (st->slim && !st->deferred[i])
		analysis_slim(st->apack->services[i].an);
}

/* The index page, then search.html (work item 0 of the tail). */
static int
site_index_and_search(const struct site *st)
{
	struct buf	 b, ipr;

	buf_init(&b);
	buf_init(&ipr);
	if (site_index_page(st, &b, &ipr) == -1) {
		buf_clear(&b);
		buf_clear(&ipr);
		return -1;
	}
	if (site_put_splice(st, "index.html", &b, &ipr) == -1)
		return -1;
	if (site_search_page(st, &b) == -1 ||
	    site_put_buf(st, "search.html", &b) == -1)
		return -1;
	return 0;
}

/* The search index and the assets (work item 1 of the tail). */
static int
site_assets(const struct site *st)
{
	struct buf	 b;
	int		 rc;

	buf_init(&b);
	search_index_js(st->pack, st->texts, &b);
	rc = site_put_buf(st, "assets/search-index.js", &b);
	rc |= site_put(st->tmp, "assets/style.css", st->css, st->csslen);
	rc |= site_put(st->tmp, "assets/search.js", st->searchjs,
	    st->searchjslen);
	return rc ? -1 : 0;
}

/* Work item k of the tail: the pack PDF (the longest) first, then the
 * deferred services' files, the index and search pages, the search
 * index and assets (st->tail[k] says which: SITE_T_*, or a service). */
enum { SITE_T_PACKPDF = -1, SITE_T_INDEX = -2, SITE_T_ASSETS = -3 };

static void
site_tail_job(size_t k, void *arg)
{
	struct site	*st = arg;
	long		 t = st->tail[k];

	if (t == SITE_T_INDEX)
		st->tail_failed[0] = site_index_and_search(st) == -1;
	else if (t == SITE_T_ASSETS)
		st->tail_failed[1] = site_assets(st) == -1;
	else if (t == SITE_T_PACKPDF)
		st->tail_failed[2] = site_pack_pdf(st) == -1;
	else {
		if (site_service_render(st, (size_t)t) == -1)
			st->failed[t] = 1;
		site_service_doc_done(st, (size_t)t);
	}
}

/* analysis.json: export_json_stream's head and tail around the
 * services' texts as the jobs hand them over (site_jq), straight to
 * the file, on a thread of its own while the jobs run. */
struct site_json {
	const struct site	*st;
	int			 fd;
	struct buf		 wb;	/* bytes not yet written */
	char			*path;
	int			 err;	/* errno of a failed write */
	int			 rc;
};

/* Writes what sj->wb holds; -1 (sj->err set) on a failed write. */
static int
site_json_flush(struct site_json *sj)
{
	size_t	 off = 0;
	ssize_t	 w;

	while (off < sj->wb.len) {
		if ((w = write(sj->fd, sj->wb.data + off, sj->wb.len - off)) <
		    0) {
			if (errno == EINTR)
				continue;
			sj->err = errno;
			return -1;
		}
		off += (size_t)w;
	}
	sj->wb.len = 0;
	return 0;
}

static int
site_json_put(const void *p, size_t n, void *arg)
{
	struct site_json	*sj = arg;
	struct site_jq		*q = sj->st->jq;
	const char		*src = NULL;

	/* A service's text: note where it goes, for .cache/index; an
	 * unchanged one is copied from the previous analysis.json (in the
	 * kernel where it can). */
	if (q->pending != NULL && p == q->pending) {
		q->out[q->pending_i].off = q->written;
		q->out[q->pending_i].len = n;
		if ((src = q->pending_src) != NULL)
			q->out[q->pending_i].hash = q->hash[q->pending_i];
		else
			q->out[q->pending_i].hash = cache_text_hash(p, n);
		q->pending = NULL;
		q->pending_src = NULL;
	}
	q->written += n;
	if (src != NULL) {
		if (site_json_flush(sj) == -1)
			return -1;
		if (cache_json_copy(sj->st->cache, src, n, sj->fd) == 0)
			return 0;
		sj->err = errno;
		return -1;
	}
	buf_put(&sj->wb, p, n);
	if (sj->wb.len >= (1 << 20))
		return site_json_flush(sj);
	return 0;
}

/* Service i's text: waits for its job; NULL when that failed (the
 * stream stops). */
static char *
site_json_text(const struct pack *p, size_t i, size_t *len, void *arg)
{
	struct site_json	*sj = arg;
	struct site_jq		*q = sj->st->jq;
	enum site_jstate	 state;
	char			*s;

	pthread_mutex_lock(&q->mu);
	while (q->state[i] == SITE_J_WAIT)
		pthread_cond_wait(&q->cv, &q->mu);
	state = q->state[i];
	s = q->text[i];
	*len = q->len[i];
	q->text[i] = NULL;
	q->pending_src = q->src[i];
	pthread_mutex_unlock(&q->mu);
	(void)p;
	if (state == SITE_J_FAILED)
		return NULL;
	/* A copied text: a stand-in that site_json_put recognises. */
	if (q->pending_src != NULL)
		s = xmalloc(1);
	q->pending = s;
	q->pending_i = i;
	return s;
}

static void *
site_json_main(void *arg)
{
	struct site_json	*sj = arg;
	struct site_jq		*q = sj->st->jq;
	size_t			 i;

	sj->rc = export_json_stream(sj->st->pack, NULL, site_json_put,
	    site_json_text, sj);
	/* Let go of the texts that came early and will not be written. */
	pthread_mutex_lock(&q->mu);
	q->closed = true;
	for (i = 0; i < sj->st->pack->nservices; i++) {
		free(q->text[i]);
		q->text[i] = NULL;
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/* Starts the writer of analysis.json on its own thread; -1 (reported)
 * when it cannot. */
static int
site_json_start(struct site_json *sj, const struct site *st,
    pthread_t *th)
{
	memset(sj, 0, sizeof(*sj));
	sj->st = st;
	sj->path = util_path_join(st->tmp, "analysis.json");
	buf_init(&sj->wb);
	if ((sj->fd = open(sj->path, O_WRONLY | O_CREAT | O_TRUNC, 0666)) ==
	    -1) {
		diag_error(sj->path, 0, 0, "cannot write: %s",
		    strerror(errno));
		free(sj->path);
		return -1;
	}
	if (pthread_create(th, NULL, site_json_main, sj) != 0) {
		diag_error(sj->path, 0, 0, "cannot start a thread");
		close(sj->fd);
		free(sj->path);
		return -1;
	}
	return 0;
}

/* Waits for the writer; 0, or -1 (a failed job was reported by its
 * job, a failed write here). */
static int
site_json_finish(struct site_json *sj, pthread_t th)
{
	int	 rc;

	pthread_join(th, NULL);
	rc = sj->rc;
	if (sj->err == 0)
		site_json_flush(sj);
	buf_clear(&sj->wb);
	if (close(sj->fd) == -1 && sj->err == 0)
		sj->err = errno;
	if (sj->err != 0) {
		diag_error(sj->path, 0, 0, "cannot write: %s",
		    strerror(sj->err));
		rc = -1;
	}
	free(sj->path);
	return rc;
}

/* Creates the subdirectories the parallel jobs write into, only those
 * the tree will have files in (as util_file_write would). */
static int
site_subdirs(const struct site *st)
{
	const struct pack	*p = st->pack;
	const char		*sub[4];
	char			*path;
	size_t			 i, n = 0;
	bool			 an = false;
	int			 rc = 0;

	for (i = 0; i < p->nservices; i++)
		an = an || p->services[i].an != NULL;
	if (p->nservices > 0) {
		sub[n++] = "services";
		sub[n++] = ".cache";
	}
	if (an)
		sub[n++] = "data";
	if (st->packpdf_name != NULL)
		sub[n++] = "pdf";
	for (i = 0; i < n; i++) {
		path = util_path_join(st->tmp, sub[i]);
		if (util_mkdirs(path) == -1) {
			diag_error(path, 0, 0, "cannot create: %s",
			    strerror(errno));
			rc = -1;
		}
		free(path);
	}
	return rc;
}

/* With BOARDPACK_TIMING set, the seconds since the write stage began
 * at each step, on stderr (for make bench and profiling). */
static void
site_timing(const char *what)
{
	static double	 t0;
	struct timespec	 ts;
	double		 t;

	if (getenv("BOARDPACK_TIMING") == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	if (what == NULL)
		t0 = t;
	else
		fprintf(stderr, "timing:   write: %s %.3f s\n", what, t - t0);
}

/* Lets go the docs still held (those the pack PDF read, and any that a
 * failed build left) and the search texts. */
static void
site_docs_free(struct site *st)
{
	struct pack	*p = st->apack;
	size_t		 k;

	for (k = 0; k < p->nservices; k++) {
		md_doc_free(p->services[k].doc);
		p->services[k].doc = NULL;
	}
	md_doc_free(p->index_doc);
	p->index_doc = NULL;
	for (k = 0; k < p->nservices + 1; k++)
		free(st->texts[k]);
	free(st->texts);
}

/* Everything but the swap, into st->tmp.  0 or -1 (reported). */
static int
site_write_tree(struct site *st, const char *css, size_t csslen,
    int jobs)
{
	static const char	 marker[] = "boardpack output directory; "
				    "rebuilt on every build\n";
	const struct pack	*p = st->pack;
	struct site_json	 sj;
	pthread_t		 th;
	size_t			 k, n, nt;
	int			 rc;

	/* The marker first: a killed build's leftover is recognisably
	 * ours (site_clean_stale). */
	if (site_put(st->tmp, ".boardpack", marker, sizeof(marker) - 1) ==
	    -1 || site_subdirs(st) == -1)
		return -1;

	/* The services: each analysed, rendered and written, its JSON text
	 * handed to the writer of analysis.json, then let go (site_job). */
	n = p->nservices;
	st->failed = xcalloc(n ? n : 1, sizeof(int));
	if (site_json_start(&sj, st, &th) == -1)
		return -1;
	util_parallel_for(n, jobs > 0 ? jobs : 1, site_job, st);
	site_timing("services");
	for (k = 0, rc = 0; k < n; k++)
		if (st->failed[k])
			rc = -1;

	/* Then, while the writer finishes analysis.json, what takes every
	 * service (the pack PDF beside the index and search pages and the
	 * search index) beside the files of the services deferred. */
	st->tail_failed[0] = st->tail_failed[1] = st->tail_failed[2] = 0;
	st->css = css;
	st->csslen = csslen;
	st->tail = xcalloc(n + 3, sizeof(*st->tail));
	nt = 0;
	if (st->packpdf_name != NULL)
		st->tail[nt++] = SITE_T_PACKPDF;
	for (k = 0; k < n; k++)
		if (st->deferred[k])
			st->tail[nt++] = (long)k;
	st->tail[nt++] = SITE_T_INDEX;
	st->tail[nt++] = SITE_T_ASSETS;
	if (rc == 0) {
		/* index.md, parsed once for the index page, the pack PDF and
		 * the search index, which the tail makes side by side. */
		st->apack->index_doc = md_doc_parse(p->index_body ?
		    p->index_body : "", p->index_path, p->index_line, NULL,
		    false);
		st->texts[0] = search_doc_text(st->apack->index_doc);
		util_parallel_for(nt, jobs > 0 ? jobs : 1, site_tail_job, st);
	}
	site_timing("index, search, pack PDF");
	for (k = 0; k < n; k++) {
		if (st->failed[k])
			rc = -1;
		if (st->deferred[k] && st->slim)
			analysis_slim(st->apack->services[k].an);
	}
	if (site_json_finish(&sj, th) == -1)
		rc = -1;
	site_timing("analysis.json");
	if (rc == -1 || st->tail_failed[0] || st->tail_failed[1] ||
	    st->tail_failed[2])
		return -1;
	if (st->cache != NULL &&
	    cache_save(st->cache, p, st->tmp, st->jq->written, st->jq->out,
	    st->simrec, st->rec) == -1)
		return -1;
	return 0;
}

int
site_write(struct pack *p, const struct site_opts *opts)
{
	struct site	 st;
	const char	*theme, *tdir, *thdir;
	char		*out, *themedir = NULL, *css = NULL;
	char		*tmp = NULL;
	size_t		 csslen = 0, k, nan;
	int64_t		 day = 0;
	bool		 exists;
	int		 rc = -1, lockfd = -2;

	memset(&st, 0, sizeof(st));
	st.pack = p;
	st.apack = p;
	st.cache = opts->cache;
	st.sims = opts->sims;
	st.jq = site_jq_new(p->nservices);
	/* Threads per simulation by the services analysed here: after
	 * one edit, the one service rebuilt has every thread. */
	for (k = 0, nan = 0; k < p->nservices; k++)
		nan += !cache_stub(opts->cache, k);
	st.sim_jobs = analysis_sim_jobs(nan, opts->jobs);
	/* A few services to build (a rebuild): their files are rendered
	 * beside the index and the pack PDF, not before them, holding
	 * their whole analyses a little longer. */
	st.defer = nan <= 2 * (size_t)(opts->jobs > 0 ? opts->jobs : 1);
	st.deferred = xcalloc(p->nservices ? p->nservices : 1,
	    sizeof(*st.deferred));
	st.ipr_rows = xcalloc(p->nservices ? p->nservices : 1,
	    sizeof(*st.ipr_rows));
	st.simrec = xcalloc(p->nservices ? p->nservices : 1,
	    sizeof(*st.simrec));
	st.rec = xcalloc(p->nservices ? p->nservices : 1, sizeof(*st.rec));
	st.texts = xcalloc(p->nservices + 1, sizeof(*st.texts));
	out = xstrdup(opts->out ? opts->out : "out");
	for (k = strlen(out); k > 1 && out[k - 1] == '/'; k--)
		out[k - 1] = '\0';
	tdir = opts->templates ? opts->templates : "templates";
	thdir = opts->themes ? opts->themes : "themes";

	/* Theme: its CSS and chart colours. */
	theme = opts->theme ? opts->theme : p->theme ? p->theme : "nhs";
	if (theme_palette(thdir, theme, opts->theme ? "boardpack" :
	    p->config_path, &st.pal) == -1)
		goto done;
	themedir = util_path_join(thdir, theme);
	if ((css = site_css(thdir, themedir, &csslen)) == NULL ||
	    (st.searchjs = site_asset(thdir, "search.js",
	    &st.searchjslen)) == NULL)
		goto done;

	/* Refuse before any work if out is not ours. */
	if (!site_out_ours(out, &exists)) {
		diag_error(out, 0, 0, "refusing to replace %s: not created by "
		    "boardpack", out);
		goto done;
	}

	if ((st.tmpl = tmpl_set_load(tdir)) == NULL)
		goto done;
	st.date = site_pack_date(p, &day);
	st.day = day;
	if (st.date != NULL) {
		char s[64];

		site_date_long(s, sizeof(s), day);
		st.date_label = xstrdup(s);
	}

	if (!opts->no_pdf) {
		char	*slug = pdf_pack_name(p);

		st.packpdf_name = xasprintf("%s.pdf", slug);
		free(slug);
	}
	/* The index IPR's rows are made as each service is analysed; the
	 * analyses are let go once written unless the pack PDF carries
	 * every briefing (pack_pdf_services). */
	st.index_op.pal = &st.pal;
	st.index_op.href_prefix = "services/";
	st.index_op.show_service = true;
	st.index_op.has_day = st.date != NULL;
	st.index_op.pack_day = st.day;
	st.slim = st.packpdf_name == NULL ||
	    p->nservices > (size_t)p->pack_pdf_services;

	/* Render straight into a new tree beside out, then swap, holding
	 * the lock throughout. */
	if ((lockfd = site_lock(out)) == -1)
		goto done;
	site_clean_stale(out);
	tmp = util_dirname(out);
	k = (size_t)util_mkdirs(tmp);
	free(tmp);
	tmp = xasprintf("%s.tmp.XXXXXX", out);
	if (k != 0 || mkdtemp(tmp) == NULL) {
		diag_error(tmp, 0, 0, "cannot create: %s", strerror(errno));
		free(tmp);
		tmp = NULL;
		goto done;
	}
	chmod(tmp, 0755);
	st.out = out;
	st.tmp = tmp;
	site_timing(NULL);
	if (site_write_tree(&st, css, csslen, opts->jobs) == -1 ||
	    site_swap(out, tmp, exists) == -1) {
		site_rmtree(tmp);
		goto done;
	}
	site_timing("swapped");
	rc = 0;
done:
	site_docs_free(&st);
	site_jq_free(st.jq, p->nservices);
	for (k = 0; k < p->nservices; k++) {
		json_decref(st.ipr_rows[k]);
		buf_clear(&st.simrec[k]);
		buf_clear(&st.rec[k]);
	}
	free(st.ipr_rows);
	free(st.simrec);
	free(st.rec);
	free(st.deferred);
	free(st.tail);
	free(st.packpdf_name);
	free(st.failed);
	free(st.searchjs);
	if (st.tmpl != NULL)
		tmpl_set_free(st.tmpl);
	free(st.date);
	free(st.date_label);
	free(tmp);
	free(css);
	free(themedir);
	free(out);
	if (lockfd >= 0)
		close(lockfd);
	return rc;
}
