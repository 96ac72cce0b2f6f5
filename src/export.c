/*
 * export.c: SPEC 4.5 analysis JSON (jansson) and the SPEC 5 per-service
 * CSV out/data/<id>.csv.  Keys are inserted in a fixed order and dumped
 * with JSON_PRESERVE_ORDER, so output is deterministic.  NAN and
 * infinities become null (JSON) or empty cells (CSV).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "export.h"
#include "util.h"

#ifndef BOARDPACK_VERSION
#define BOARDPACK_VERSION "unknown"
#endif

/* Largest integer a double holds exactly (2^53). */
#define EXACT_INT 9007199254740992.0

/* A number, null when not finite; integral values as JSON integers. */
static json_t *
jnum(double v)
{
	if (!isfinite(v))
		return json_null();
	if (v == floor(v) && fabs(v) < EXACT_INT)
		return json_integer((json_int_t)v);
	return json_real(v);
}

static json_t *
jstr(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* Array of n numbers, or null when v is NULL. */
static json_t *
jarr(const double *v, size_t n)
{
	json_t	*a;
	size_t	 i;

	if (v == NULL)
		return json_null();
	a = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(a, jnum(v[i]));
	return a;
}

static void
set(json_t *o, const char *key, json_t *v)
{
	json_object_set_new(o, key, v);
}

static const char *
improvement_name(enum improvement im)
{
	switch (im) {
	case IMPROVE_INCREASE:
		return "increase";
	case IMPROVE_DECREASE:
		return "decrease";
	default:
		return "neutral";
	}
}

static json_t *
flow_json(const struct flow *f, size_t n)
{
	json_t	*o = json_object();

	set(o, "demand_cases", jarr(f->demand_cases, n));
	set(o, "demand_minutes", jarr(f->demand_minutes, n));
	set(o, "capacity_resources", jarr(f->capacity_resources, n));
	set(o, "capacity_minutes", jarr(f->capacity_minutes, n));
	set(o, "backlog_minutes", jarr(f->backlog_minutes, n));
	set(o, "backlog_cases", jarr(f->backlog_cases, n));
	set(o, "served_minutes", jarr(f->served_minutes, n));
	set(o, "utilisation", jarr(f->utilisation, n));
	set(o, "wait_days", jarr(f->wait_days, n));
	set(o, "observed_waiting", jarr(f->observed_waiting, n));
	set(o, "load", jnum(f->load));
	return o;
}

static json_t *
queue_json(const struct queue *q)
{
	json_t	*o = json_object();

	set(o, "mean_demand", jnum(q->mean_demand));
	set(o, "mean_capacity", jnum(q->mean_capacity));
	set(o, "target_wait", jnum(q->target_wait));
	set(o, "factor", jnum(q->factor));
	set(o, "cv_demand", jnum(q->cv_demand));
	set(o, "cv_capacity", jnum(q->cv_capacity));
	set(o, "current_queue", jnum(q->current_queue));
	set(o, "target_mean_wait", jnum(q->target_mean_wait));
	set(o, "target_queue_size", jnum(q->target_queue_size));
	set(o, "target_capacity", jnum(q->target_capacity));
	set(o, "relief_capacity", jnum(q->relief_capacity));
	set(o, "mean_wait", jnum(q->mean_wait));
	set(o, "pressure", jnum(q->pressure));
	set(o, "queue_load", jnum(q->queue_load));
	return o;
}

static json_t *
pctcap_json(const double *pc)
{
	json_t	*o = json_object();
	char	 key[16];
	size_t	 i;

	for (i = 0; i < PCTCAP_N; i++) {
		snprintf(key, sizeof(key), "%d", pctcap_levels[i]);
		set(o, key, jnum(pc[i]));
	}
	return o;
}

static json_t *
spc_json(const struct spc *s)
{
	json_t	*o = json_object(), *pt, *an;
	size_t	 i;

	set(o, "metric", jstr(s->metric));
	set(o, "label", jstr(s->label));
	set(o, "unit", jstr(s->unit));
	set(o, "improvement", json_string(improvement_name(s->improvement)));
	set(o, "target", s->has_target ? jnum(s->target) : json_null());
	set(o, "values", jarr(s->values, s->n));
	set(o, "mean", jarr(s->mean, s->n));
	set(o, "lpl", jarr(s->lpl, s->n));
	set(o, "upl", jarr(s->upl, s->n));
	if (s->point_type != NULL) {
		pt = json_array();
		for (i = 0; i < s->n; i++)
			json_array_append_new(pt, jstr(s->point_type[i]));
	} else
		pt = json_null();
	set(o, "point_type", pt);
	set(o, "trial_limits", json_boolean(s->trial_limits));
	set(o, "variation_type", jstr(s->variation_type));
	set(o, "variation", jstr(s->variation));
	set(o, "assurance", jstr(s->assurance));
	an = json_object();
	set(an, "n_useful", json_integer((json_int_t)s->anhoej_n_useful));
	set(an, "longest_run", json_integer((json_int_t)s->anhoej_longest_run));
	set(an, "longest_run_max",
	    json_integer((json_int_t)s->anhoej_longest_run_max));
	set(an, "n_crossings", json_integer((json_int_t)s->anhoej_n_crossings));
	set(an, "n_crossings_min",
	    json_integer((json_int_t)s->anhoej_n_crossings_min));
	set(an, "signal", json_boolean(s->anhoej_signal));
	set(o, "anhoej", an);
	return o;
}

static json_t *
profile_json(const struct profile *p)
{
	json_t	*o;

	if (p == NULL)
		return json_null();
	o = json_object();
	set(o, "mean", jarr(p->mean, p->n));
	set(o, "p10", jarr(p->p10, p->n));
	set(o, "p90", jarr(p->p90, p->n));
	return o;
}

/* SPEC 4.5 "simulation" (sim.c, issue 6): null when there is none.
 * "dates" (the horizon periods) is an extra key, aligned with the
 * percentile arrays. */
static json_t *
sim_json(const struct sim *sim, enum period period)
{
	const struct sim_scenario *ss;
	json_t	*o, *a, *sc, *pct;
	size_t	 i, l;
	char	 key[32];

	if (sim == NULL)
		return json_null();
	o = json_object();
	set(o, "paths", json_integer((json_int_t)sim->paths));
	set(o, "horizon", json_integer((json_int_t)sim->horizon));
	set(o, "seed", json_integer((json_int_t)sim->seed));
	a = json_array();
	for (i = 0; i < sim->horizon; i++) {
		util_date_format(key, sizeof(key), period, sim->keys[i]);
		json_array_append_new(a, json_string(key));
	}
	set(o, "dates", a);
	a = json_array();
	for (i = 0; i < sim->nscenarios; i++) {
		ss = &sim->scenarios[i];
		sc = json_object();
		set(sc, "name", jstr(ss->name));
		set(sc, "cost", jnum(ss->cost));
		set(sc, "p_wait_over_target_end",
		    jnum(ss->p_wait_over_target_end));
		set(sc, "p_wait_over_target_any",
		    jnum(ss->p_wait_over_target_any));
		set(sc, "p_demand_2x_capacity", jnum(ss->p_demand_2x_capacity));
		pct = json_object();
		for (l = 0; l < SIM_PCT_N; l++) {
			snprintf(key, sizeof(key), "%d", sim_pct_levels[l]);
			set(pct, key, jarr(ss->backlog_pct[l], sim->horizon));
		}
		set(sc, "backlog_minutes_pct", pct);
		set(sc, "cost_per_point_risk_removed",
		    jnum(ss->cost_per_point_risk_removed));
		json_array_append_new(a, sc);
	}
	set(o, "scenarios", a);
	return o;
}

static json_t *
service_json(const struct service *svc)
{
	const struct analysis	*an = svc->an;
	const struct series	*s = svc->series;
	json_t			*o = json_object(), *dates, *spc;
	size_t			 i, n = s != NULL ? s->n : 0;
	char			 d[32];

	set(o, "id", jstr(svc->id));
	set(o, "title", jstr(svc->title));
	set(o, "period", json_string(util_period_name(svc->period)));
	set(o, "n", json_integer((json_int_t)n));
	dates = json_array();
	for (i = 0; i < n; i++) {
		util_date_format(d, sizeof(d), svc->period, s->key[i]);
		json_array_append_new(dates, json_string(d));
	}
	set(o, "dates", dates);

	if (an != NULL && an->has_flow) {
		set(o, "flow", flow_json(&an->flow, n));
		set(o, "queue", queue_json(&an->queue));
		set(o, "percentile_capacity", pctcap_json(an->pctcap));
	} else {
		set(o, "flow", json_null());
		set(o, "queue", json_null());
		set(o, "percentile_capacity", json_null());
	}
	if (an != NULL) {
		spc = json_array();
		for (i = 0; i < an->nspc; i++)
			json_array_append_new(spc, spc_json(&an->spc[i]));
		set(o, "spc", spc);
	}
	if (an != NULL && (an->weekday != NULL || an->month != NULL ||
	    an->hour != NULL)) {
		spc = json_object();
		set(spc, "weekday", profile_json(an->weekday));
		set(spc, "month", profile_json(an->month));
		set(spc, "hour", profile_json(an->hour));
		set(o, "profiles", spc);
	}
	if (an != NULL)
		set(o, "simulation", sim_json(an->sim, svc->period));
	return o;
}

/* The "boardpack" and "pack" members of the SPEC 4.5 object. */
static json_t *
root_json(const struct pack *pack)
{
	json_t	*root = json_object(), *p = json_object();

	set(root, "boardpack", json_string(BOARDPACK_VERSION));
	set(p, "title", jstr(pack->title));
	set(p, "date", jstr(pack->date));
	set(p, "organisation", jstr(pack->organisation));
	set(p, "period_label", jstr(pack->period_label));
	set(root, "pack", p);
	return root;
}

static bool
wanted(const struct service *svc, const char *only)
{
	return only == NULL || (svc->id != NULL && strcmp(svc->id, only) == 0);
}

/* SPEC 4.5 object (all services, or only the one with id only; none if
 * no such service).  Caller json_decref()s. */
json_t *
export_json(const struct pack *pack, const char *only)
{
	json_t	*root = root_json(pack), *svcs;
	size_t	 i;

	svcs = json_array();
	for (i = 0; i < pack->nservices; i++)
		if (wanted(&pack->services[i], only))
			json_array_append_new(svcs,
			    service_json(&pack->services[i]));
	set(root, "services", svcs);
	return root;
}

/* The dump flags of every JSON text: 2-space indent, keys in insertion
 * order, 12 significant digits. */
#define DUMP_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | \
	JSON_REAL_PRECISION(12))

static char *
dump(json_t *o)
{
	char	*s = json_dumps(o, DUMP_FLAGS);

	json_decref(o);
	if (s == NULL)
		abort();	/* jansson fails only when out of memory */
	return s;
}

/* One service serialised as json_dumps() would write it inside the
 * pack's "services" array: every line indented by four more spaces
 * (newlines inside strings are escaped, so each '\n' is a line break),
 * no separator, no trailing newline.  Caller frees; *len its length. */
char *
export_json_service(const struct service *svc, size_t *len)
{
	struct buf	 b;
	char		*s, *p, *nl;

	s = dump(service_json(svc));
	buf_init(&b);
	buf_puts(&b, "    ");
	for (p = s; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		buf_put(&b, p, (size_t)(nl - p) + 1);
		buf_puts(&b, "    ");
	}
	buf_puts(&b, p);
	free(s);
	*len = b.len;
	return buf_release(&b);
}

#define SERVICES_OPEN ",\n  \"services\": ["

/* The service text of export_json_stream()'s default source. */
static char *
own_text(const struct pack *pack, size_t i, size_t *len, void *arg)
{
	(void)arg;
	return export_json_service(&pack->services[i], len);
}

/* Streams the bytes of export_json_string() through put, one service
 * at a time: the head ("boardpack", "pack", then "services": [), each
 * wanted service's text from text (NULL: export_json_service; the
 * returned string is freed here, NULL fails), and the tail.  Memory
 * holds one service, never the whole document.  0, or -1 as soon as
 * put or text fails. */
int
export_json_stream(const struct pack *pack, const char *only,
    int (*put)(const void *, size_t, void *),
    char *(*text)(const struct pack *, size_t, size_t *, void *),
    void *arg)
{
	char	*s;
	size_t	 i, len, k = 0;
	int	 rc;

	if (text == NULL)
		text = own_text;
	s = dump(root_json(pack));
	/* "{\n  ...\n}": reopen the object after its last member. */
	len = strlen(s);
	if (len < 2 || s[len - 1] != '}' || s[len - 2] != '\n')
		abort();
	rc = put(s, len - 2, arg);
	free(s);
	if (rc == -1 || put(SERVICES_OPEN, sizeof(SERVICES_OPEN) - 1,
	    arg) == -1)
		return -1;
	for (i = 0; i < pack->nservices; i++) {
		if (!wanted(&pack->services[i], only))
			continue;
		if ((s = text(pack, i, &len, arg)) == NULL)
			return -1;
		rc = k == 0 ? put("\n", 1, arg) : put(",\n", 2, arg);
		k++;
		if (rc == 0)
			rc = put(s, len, arg);
		free(s);
		if (rc == -1)
			return -1;
	}
	return k == 0 ? put("]\n}\n", 4, arg) : put("\n  ]\n}\n", 7, arg);
}

static int
put_buf(const void *p, size_t n, void *arg)
{
	buf_put(arg, p, n);
	return 0;
}

static int
put_file(const void *p, size_t n, void *arg)
{
	return fwrite(p, 1, n, arg) == n ? 0 : -1;
}

/* export_json() serialised: 2-space indent, keys in insertion order, 12
 * significant digits, trailing newline.  Caller frees. */
char *
export_json_string(const struct pack *pack, const char *only)
{
	struct buf	 b;

	buf_init(&b);
	export_json_stream(pack, only, put_buf, NULL, &b);
	return buf_release(&b);
}

/* The same bytes written to f, one service at a time.  0, or -1 on a
 * write error (errno set by stdio). */
int
export_json_write(FILE *f, const struct pack *pack, const char *only)
{
	return export_json_stream(pack, only, put_file, NULL, f);
}

static void
csv_name(struct buf *b, const char *name, const char *suffix)
{
	struct buf	 t;

	buf_init(&t);
	buf_puts(&t, name != NULL ? name : "");
	buf_puts(&t, suffix);
	buf_putc(b, ',');
	esc_csv(b, t.data, t.len);
	buf_clear(&t);
}

static void
csv_num(struct buf *b, const double *v, size_t i, size_t n)
{
	char	 s[64];

	buf_putc(b, ',');
	if (v == NULL || i >= n || !isfinite(v[i]))
		return;
	util_fmt_num(s, sizeof(s), v[i]);
	buf_puts(b, s);
}

/* Appends out/data/<id>.csv for one analysed service: date, the flow
 * series (flow services), then value, mean, lpl, upl, point_type of
 * every SPC measure; missing values are empty cells. */
void
export_csv(const struct pack *pack, const struct service *svc,
    struct buf *b)
{
	const struct analysis	*an = svc->an;
	const struct series	*s = svc->series;
	const struct flow	*f = NULL;
	const struct spc	*sp;
	size_t			 i, j, n = s != NULL ? s->n : 0;
	size_t			 nspc = an != NULL ? an->nspc : 0;
	char			 d[32];

	(void)pack;
	if (an != NULL && an->has_flow)
		f = &an->flow;

	buf_puts(b, "date");
	if (f != NULL) {
		buf_puts(b, ",demand_cases,demand_minutes,capacity_resources,"
		    "capacity_minutes,backlog_minutes,backlog_cases,"
		    "served_minutes,utilisation,wait_days");
		if (f->observed_waiting != NULL)
			buf_puts(b, ",observed_waiting");
	}
	for (j = 0; j < nspc; j++) {
		sp = &an->spc[j];
		csv_name(b, sp->metric, "");
		csv_name(b, sp->metric, "_mean");
		csv_name(b, sp->metric, "_lpl");
		csv_name(b, sp->metric, "_upl");
		csv_name(b, sp->metric, "_point_type");
	}
	buf_putc(b, '\n');

	for (i = 0; i < n; i++) {
		util_date_format(d, sizeof(d), svc->period, s->key[i]);
		buf_puts(b, d);
		if (f != NULL) {
			csv_num(b, f->demand_cases, i, n);
			csv_num(b, f->demand_minutes, i, n);
			csv_num(b, f->capacity_resources, i, n);
			csv_num(b, f->capacity_minutes, i, n);
			csv_num(b, f->backlog_minutes, i, n);
			csv_num(b, f->backlog_cases, i, n);
			csv_num(b, f->served_minutes, i, n);
			csv_num(b, f->utilisation, i, n);
			csv_num(b, f->wait_days, i, n);
			if (f->observed_waiting != NULL)
				csv_num(b, f->observed_waiting, i, n);
		}
		for (j = 0; j < nspc; j++) {
			sp = &an->spc[j];
			csv_num(b, sp->values, i, sp->n);
			csv_num(b, sp->mean, i, sp->n);
			csv_num(b, sp->lpl, i, sp->n);
			csv_num(b, sp->upl, i, sp->n);
			buf_putc(b, ',');
			if (sp->point_type != NULL && i < sp->n &&
			    sp->point_type[i] != NULL)
				buf_puts(b, sp->point_type[i]);
		}
		buf_putc(b, '\n');
	}
}
