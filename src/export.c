/*
 * export.c: SPEC 4.5 analysis JSON and the SPEC 5 per-service CSV
 * out/data/<id>.csv.  The JSON is written straight into a buffer by a
 * small streaming writer (no DOM: a 100-service pack holds millions of
 * numbers), keys in a fixed order, so output is deterministic.  Objects
 * are indented two spaces a level as jansson's JSON_INDENT(2) would;
 * arrays of numbers or strings sit on one line.  Numbers are written as
 * jansson wrote them (integers in full, reals "%.12g" with ".0" or a
 * bare exponent), by util_fmt_g rather than printf.  NAN and infinities
 * become null (JSON) or empty cells (CSV).  Parsing stays with jansson.
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

/* Significant digits of a real: jansson's JSON_REAL_PRECISION(12), as
 * the JSON was written before. */
#define REAL_DIGITS 12

/* Deepest nesting the writer tracks; the document needs 6. */
#define JW_DEPTH 12

/* A JSON text being written into b.  depth counts the open objects and
 * arrays; any[d] says whether the container at depth d has a member
 * yet (its next one needs a comma; it closes on a line of its own). */
struct jw {
	struct buf	*b;
	int		 depth;
	bool		 any[JW_DEPTH];
};

/* Appends v in decimal (jansson's "%lld" for integers). */
static void
jw_int(struct buf *b, long long v)
{
	char			 s[24], *p = s + sizeof(s);
	unsigned long long	 u = v < 0 ? 0ULL - (unsigned long long)v :
				    (unsigned long long)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	buf_put(b, p, (size_t)(s + sizeof(s) - p));
}

/* The text of a number as jansson dumped it into s (room for
 * UTIL_FMT_G_SIZE + 2 bytes): null when not finite, an integral value
 * below 2^53 as an integer, else "%.12g" made to read as a real
 * (jansson's jsonp_dtostr: ".0" when there is neither '.' nor 'e', no
 * '+' and no leading zeros in the exponent).  Returns the length. */
static size_t
jw_num_text(char *s, double v)
{
	char		*e, *start, *end;
	size_t		 n;

	if (!isfinite(v)) {
		memcpy(s, "null", 4);
		return 4;
	}
	/* jw_int's digits: |v| < 2^53 is exact as an integer. */
	if (v == floor(v) && fabs(v) < EXACT_INT)
		return util_fmt_ll(s, (long long)v);
	n = util_fmt_g(s, v, REAL_DIGITS);
	if ((e = memchr(s, 'e', n)) == NULL) {
		if (memchr(s, '.', n) == NULL) {
			s[n++] = '.';
			s[n++] = '0';
		}
	} else {
		start = e + 1;
		end = start + 1;
		if (*start == '-')
			start++;
		while (*end == '0')
			end++;
		memmove(start, end, n - (size_t)(end - s));
		n -= (size_t)(end - start);
	}
	return n;
}

/* The last number formatted in a column or array, and its text: means
 * and limits repeat over a phase, so most are written once. */
struct numtxt {
	uint64_t	 bits;
	size_t		 len;		/* 0: none yet */
	char		 s[UTIL_FMT_G_SIZE + 2];
};

static void
jw_num(struct buf *b, double v)
{
	char	 s[UTIL_FMT_G_SIZE + 2];

	buf_put(b, s, jw_num_text(s, v));
}

/* jw_num through the memo m. */
static void
jw_num_memo(struct buf *b, struct numtxt *m, double v)
{
	uint64_t	 bits;

	memcpy(&bits, &v, sizeof(bits));
	if (m->len == 0 || bits != m->bits) {
		m->len = jw_num_text(m->s, v);
		m->bits = bits;
	}
	/* All of m->s (a fixed size copies inline), only len counted. */
	memcpy(buf_reserve(b, sizeof(m->s)), m->s, sizeof(m->s));
	buf_commit(b, m->len);
}

/* Appends s as a JSON string, null for NULL.  Printable ASCII without
 * '"' or '\\' (ids, dates, point types: nearly every string) is copied
 * as is; anything else is escaped by jansson, which also rejects
 * invalid UTF-8 (written as null, since it cannot be a JSON string). */
static void
jw_str(struct buf *b, const char *s)
{
	const unsigned char	*p;
	json_t			*j;
	char			*t;

	if (s == NULL) {
		buf_put(b, "null", 4);
		return;
	}
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e || *p == '"' || *p == '\\')
			break;
	if (*p == '\0') {
		buf_putc(b, '"');
		buf_put(b, s, (size_t)(p - (const unsigned char *)s));
		buf_putc(b, '"');
		return;
	}
	if ((j = json_string(s)) == NULL) {
		buf_put(b, "null", 4);
		return;
	}
	if ((t = json_dumps(j, JSON_ENCODE_ANY)) == NULL)
		abort();	/* jansson fails only when out of memory */
	json_decref(j);
	buf_puts(b, t);
	free(t);
}

static void
jw_indent(struct buf *b, int level)
{
	static const char	 sp[] = "                        ";
	size_t			 n = 2 * (size_t)level;

	while (n > sizeof(sp) - 1) {
		buf_put(b, sp, sizeof(sp) - 1);
		n -= sizeof(sp) - 1;
	}
	buf_put(b, sp, n);
}

/* Starts the next member of the open container on a line of its own:
 * "key": when key != NULL (an object), else an element of an array of
 * objects.  The value follows. */
static void
jw_item(struct jw *w, const char *key)
{
	if (w->any[w->depth])
		buf_put(w->b, ",\n", 2);
	else
		buf_putc(w->b, '\n');
	w->any[w->depth] = true;
	jw_indent(w->b, w->depth);
	if (key != NULL) {
		buf_putc(w->b, '"');
		buf_puts(w->b, key);	/* fixed names: nothing to escape */
		buf_put(w->b, "\": ", 3);
	}
}

/* Opens an object ('{') or an array of objects ('['). */
static void
jw_open(struct jw *w, char c)
{
	if (w->depth + 1 >= JW_DEPTH)
		abort();	/* the document's shape is fixed */
	buf_putc(w->b, c);
	w->any[++w->depth] = false;
}

/* Closes it: "{}" or "[]" when empty, else on its own line. */
static void
jw_close(struct jw *w, char c)
{
	if (w->any[w->depth]) {
		buf_putc(w->b, '\n');
		jw_indent(w->b, w->depth - 1);
	}
	buf_putc(w->b, c);
	w->depth--;
}

static void
kv_num(struct jw *w, const char *key, double v)
{
	jw_item(w, key);
	jw_num(w->b, v);
}

static void
kv_int(struct jw *w, const char *key, long long v)
{
	jw_item(w, key);
	jw_int(w->b, v);
}

static void
kv_str(struct jw *w, const char *key, const char *s)
{
	jw_item(w, key);
	jw_str(w->b, s);
}

static void
kv_bool(struct jw *w, const char *key, bool v)
{
	jw_item(w, key);
	buf_puts(w->b, v ? "true" : "false");
}

static void
kv_null(struct jw *w, const char *key)
{
	jw_item(w, key);
	buf_put(w->b, "null", 4);
}

/* "key": [n numbers] on one line, or null when v is NULL. */
static void
kv_nums(struct jw *w, const char *key, const double *v, size_t n)
{
	struct numtxt	 m;
	size_t		 i;

	jw_item(w, key);
	if (v == NULL) {
		buf_put(w->b, "null", 4);
		return;
	}
	buf_putc(w->b, '[');
	memset(&m, 0, sizeof(m));
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_put(w->b, ", ", 2);
		jw_num_memo(w->b, &m, v[i]);
	}
	buf_putc(w->b, ']');
}

/* "key": [n strings] on one line (NULL elements null), or null. */
static void
kv_strs(struct jw *w, const char *key, const char *const *v, size_t n)
{
	struct buf	*b = w->b;
	const char	*prev = NULL;
	size_t		 i, off = 0, len = 0;

	jw_item(w, key);
	if (v == NULL) {
		buf_put(b, "null", 4);
		return;
	}
	buf_putc(b, '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_put(b, ", ", 2);
		if (v[i] != NULL && v[i] == prev) {
			/* The same string as the last (point types are a
			 * few static ones): its text again. */
			buf_reserve(b, len);
			memcpy(b->data + b->len, b->data + off, len);
			buf_commit(b, len);
			continue;
		}
		off = b->len;
		jw_str(b, v[i]);
		len = b->len - off;
		prev = v[i];
	}
	buf_putc(b, ']');
}

/* "key": [the ISO dates of n period keys] on one line. */
static void
kv_dates(struct jw *w, const char *key, enum period period,
    const int64_t *keys, size_t n)
{
	char	 d[32];
	size_t	 i;

	jw_item(w, key);
	buf_putc(w->b, '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_put(w->b, ", ", 2);
		util_date_format(d, sizeof(d), period, keys[i]);
		buf_putc(w->b, '"');
		buf_puts(w->b, d);	/* digits and '-', 'T' */
		buf_putc(w->b, '"');
	}
	buf_putc(w->b, ']');
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

static void
flow_write(struct jw *w, const struct flow *f, size_t n)
{
	jw_open(w, '{');
	kv_nums(w, "demand_cases", f->demand_cases, n);
	kv_nums(w, "demand_minutes", f->demand_minutes, n);
	kv_nums(w, "capacity_resources", f->capacity_resources, n);
	kv_nums(w, "capacity_minutes", f->capacity_minutes, n);
	kv_nums(w, "backlog_minutes", f->backlog_minutes, n);
	kv_nums(w, "backlog_cases", f->backlog_cases, n);
	kv_nums(w, "served_minutes", f->served_minutes, n);
	kv_nums(w, "utilisation", f->utilisation, n);
	kv_nums(w, "wait_days", f->wait_days, n);
	kv_nums(w, "observed_waiting", f->observed_waiting, n);
	kv_num(w, "load", f->load);
	jw_close(w, '}');
}

static void
queue_write(struct jw *w, const struct queue *q)
{
	jw_open(w, '{');
	kv_num(w, "mean_demand", q->mean_demand);
	kv_num(w, "mean_capacity", q->mean_capacity);
	kv_num(w, "target_wait", q->target_wait);
	kv_num(w, "factor", q->factor);
	kv_num(w, "cv_demand", q->cv_demand);
	kv_num(w, "cv_capacity", q->cv_capacity);
	kv_num(w, "current_queue", q->current_queue);
	kv_num(w, "target_mean_wait", q->target_mean_wait);
	kv_num(w, "target_queue_size", q->target_queue_size);
	kv_num(w, "target_capacity", q->target_capacity);
	kv_num(w, "relief_capacity", q->relief_capacity);
	kv_num(w, "mean_wait", q->mean_wait);
	kv_num(w, "pressure", q->pressure);
	kv_num(w, "queue_load", q->queue_load);
	jw_close(w, '}');
}

static void
pctcap_write(struct jw *w, const double *pc)
{
	char	 key[16];
	size_t	 i;

	jw_open(w, '{');
	for (i = 0; i < PCTCAP_N; i++) {
		snprintf(key, sizeof(key), "%d", pctcap_levels[i]);
		kv_num(w, key, pc[i]);
	}
	jw_close(w, '}');
}

static void
spc_write(struct jw *w, const struct spc *s)
{
	jw_open(w, '{');
	kv_str(w, "metric", s->metric);
	kv_str(w, "label", s->label);
	kv_str(w, "unit", s->unit);
	kv_str(w, "improvement", improvement_name(s->improvement));
	if (s->has_target)
		kv_num(w, "target", s->target);
	else
		kv_null(w, "target");
	kv_nums(w, "values", s->values, s->n);
	kv_nums(w, "mean", s->mean, s->n);
	kv_nums(w, "lpl", s->lpl, s->n);
	kv_nums(w, "upl", s->upl, s->n);
	kv_strs(w, "point_type", s->point_type, s->n);
	kv_bool(w, "trial_limits", s->trial_limits);
	kv_str(w, "variation_type", s->variation_type);
	kv_str(w, "variation", s->variation);
	kv_str(w, "assurance", s->assurance);
	jw_item(w, "anhoej");
	jw_open(w, '{');
	kv_int(w, "n_useful", (long long)s->anhoej_n_useful);
	kv_int(w, "longest_run", (long long)s->anhoej_longest_run);
	kv_int(w, "longest_run_max", (long long)s->anhoej_longest_run_max);
	kv_int(w, "n_crossings", (long long)s->anhoej_n_crossings);
	kv_int(w, "n_crossings_min", (long long)s->anhoej_n_crossings_min);
	kv_bool(w, "signal", s->anhoej_signal);
	jw_close(w, '}');
	jw_close(w, '}');
}

static void
profile_write(struct jw *w, const char *key, const struct profile *p)
{
	if (p == NULL) {
		kv_null(w, key);
		return;
	}
	jw_item(w, key);
	jw_open(w, '{');
	kv_nums(w, "mean", p->mean, p->n);
	kv_nums(w, "p10", p->p10, p->n);
	kv_nums(w, "p90", p->p90, p->n);
	jw_close(w, '}');
}

/* SPEC 4.5 "simulation" (sim.c, issue 6): null when there is none.
 * "dates" (the horizon periods) is an extra key, aligned with the
 * percentile arrays. */
static void
sim_write(struct jw *w, const struct sim *sim, enum period period)
{
	const struct sim_scenario *ss;
	size_t	 i, l;
	char	 key[32];

	if (sim == NULL) {
		kv_null(w, "simulation");
		return;
	}
	jw_item(w, "simulation");
	jw_open(w, '{');
	kv_int(w, "paths", (long long)sim->paths);
	kv_int(w, "horizon", (long long)sim->horizon);
	kv_int(w, "seed", (long long)sim->seed);
	kv_dates(w, "dates", period, sim->keys, sim->horizon);
	jw_item(w, "scenarios");
	jw_open(w, '[');
	for (i = 0; i < sim->nscenarios; i++) {
		ss = &sim->scenarios[i];
		jw_item(w, NULL);
		jw_open(w, '{');
		kv_str(w, "name", ss->name);
		kv_num(w, "cost", ss->cost);
		kv_num(w, "p_wait_over_target_end", ss->p_wait_over_target_end);
		kv_num(w, "p_wait_over_target_any", ss->p_wait_over_target_any);
		kv_num(w, "p_demand_2x_capacity", ss->p_demand_2x_capacity);
		jw_item(w, "backlog_minutes_pct");
		jw_open(w, '{');
		for (l = 0; l < SIM_PCT_N; l++) {
			snprintf(key, sizeof(key), "%d", sim_pct_levels[l]);
			kv_nums(w, key, ss->backlog_pct[l], sim->horizon);
		}
		jw_close(w, '}');
		kv_num(w, "cost_per_point_risk_removed",
		    ss->cost_per_point_risk_removed);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_close(w, '}');
}

/* One service object, from its '{' to its '}'. */
static void
service_write(struct jw *w, const struct service *svc)
{
	const struct analysis	*an = svc->an;
	const struct series	*s = svc->series;
	size_t			 i, n = s != NULL ? s->n : 0;

	jw_open(w, '{');
	kv_str(w, "id", svc->id);
	kv_str(w, "title", svc->title);
	kv_str(w, "period", util_period_name(svc->period));
	kv_int(w, "n", (long long)n);
	kv_dates(w, "dates", svc->period, s != NULL ? s->key : NULL, n);
	if (an != NULL && an->has_flow) {
		jw_item(w, "flow");
		flow_write(w, &an->flow, n);
		jw_item(w, "queue");
		queue_write(w, &an->queue);
		jw_item(w, "percentile_capacity");
		pctcap_write(w, an->pctcap);
	} else {
		kv_null(w, "flow");
		kv_null(w, "queue");
		kv_null(w, "percentile_capacity");
	}
	if (an != NULL) {
		jw_item(w, "spc");
		jw_open(w, '[');
		for (i = 0; i < an->nspc; i++) {
			jw_item(w, NULL);
			spc_write(w, &an->spc[i]);
		}
		jw_close(w, ']');
	}
	if (an != NULL && (an->weekday != NULL || an->month != NULL ||
	    an->hour != NULL)) {
		jw_item(w, "profiles");
		jw_open(w, '{');
		profile_write(w, "weekday", an->weekday);
		profile_write(w, "month", an->month);
		profile_write(w, "hour", an->hour);
		jw_close(w, '}');
	}
	if (an != NULL)
		sim_write(w, an->sim, svc->period);
	jw_close(w, '}');
}

static bool
wanted(const struct service *svc, const char *only)
{
	return only == NULL || (svc->id != NULL && strcmp(svc->id, only) == 0);
}

/* SPEC 4.5 object (all services, or only the one with id only; none if
 * no such service), parsed back from export_json_string().  Caller
 * json_decref()s. */
json_t *
export_json(const struct pack *pack, const char *only)
{
	json_error_t	 err;
	json_t		*root;
	char		*s = export_json_string(pack, only);

	root = json_loads(s, 0, &err);
	free(s);
	if (root == NULL)
		abort();	/* the writer produced invalid JSON: a bug */
	return root;
}

/* One service as it sits inside the document's "services" array:
 * indented for depth 2, no separator, no trailing newline.  Caller
 * frees; *len its length. */
char *
export_json_service(const struct service *svc, size_t *len)
{
	struct buf	 b;
	struct jw	 w;

	buf_init(&b);
	w.b = &b;
	w.depth = 2;		/* the root object, its "services" array */
	jw_indent(&b, w.depth);
	service_write(&w, svc);
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
	struct buf	 b;
	struct jw	 w;
	char		*s;
	size_t		 i, len, k = 0;
	int		 rc;

	if (text == NULL)
		text = own_text;
	/* The root object up to its last member before "services". */
	buf_init(&b);
	w.b = &b;
	w.depth = 0;
	jw_open(&w, '{');
	kv_str(&w, "boardpack", BOARDPACK_VERSION);
	jw_item(&w, "pack");
	jw_open(&w, '{');
	kv_str(&w, "title", pack->title);
	kv_str(&w, "date", pack->date);
	kv_str(&w, "organisation", pack->organisation);
	kv_str(&w, "period_label", pack->period_label);
	jw_close(&w, '}');
	rc = put(b.data, b.len, arg);
	buf_clear(&b);
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

/* The SPEC 4.5 document: 2-space indent, arrays of numbers or strings
 * on one line, keys in a fixed order, 12 significant digits, trailing
 * newline.  Caller frees. */
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

/* The text util_fmt_num() gives a finite v (no "-0") into s (room for
 * UTIL_FMT_G_SIZE bytes); returns its length.  Integers below 10^10
 * are their digits, as "%.10g" writes them. */
static size_t
csv_num_text(char *s, double v)
{
	if (v == 0)
		v = 0;	/* no "-0" */
	if (v == floor(v) && fabs(v) < 1e10)
		return util_fmt_ll(s, (long long)v);
	return util_fmt_g(s, v, 10);
}

/* ",v[i]" (just "," when missing or not finite), through the memo m
 * of the column. */
static void
csv_num(struct buf *b, struct numtxt *m, const double *v, size_t i,
    size_t n)
{
	char		*p;
	uint64_t	 bits;

	p = buf_reserve(b, sizeof(m->s) + 1);
	*p++ = ',';
	if (v == NULL || i >= n || !isfinite(v[i])) {
		buf_commit(b, 1);
		return;
	}
	memcpy(&bits, &v[i], sizeof(bits));
	if (m->len == 0 || bits != m->bits) {
		m->len = csv_num_text(m->s, v[i]);
		m->bits = bits;
	}
	memcpy(p, m->s, sizeof(m->s));	/* fixed size: inline */
	buf_commit(b, m->len + 1);
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
	struct numtxt		*memo;
	const char		**ptp;
	size_t			*ptl;
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

	memo = xcalloc(10 + 4 * nspc, sizeof(*memo));
	ptp = xcalloc(nspc + 1, sizeof(*ptp));
	ptl = xcalloc(nspc + 1, sizeof(*ptl));
	for (i = 0; i < n; i++) {
		util_date_format(d, sizeof(d), svc->period, s->key[i]);
		buf_puts(b, d);
		if (f != NULL) {
			csv_num(b, &memo[0], f->demand_cases, i, n);
			csv_num(b, &memo[1], f->demand_minutes, i, n);
			csv_num(b, &memo[2], f->capacity_resources, i, n);
			csv_num(b, &memo[3], f->capacity_minutes, i, n);
			csv_num(b, &memo[4], f->backlog_minutes, i, n);
			csv_num(b, &memo[5], f->backlog_cases, i, n);
			csv_num(b, &memo[6], f->served_minutes, i, n);
			csv_num(b, &memo[7], f->utilisation, i, n);
			csv_num(b, &memo[8], f->wait_days, i, n);
			if (f->observed_waiting != NULL)
				csv_num(b, &memo[9], f->observed_waiting, i, n);
		}
		for (j = 0; j < nspc; j++) {
			sp = &an->spc[j];
			csv_num(b, &memo[10 + 4 * j], sp->values, i, sp->n);
			csv_num(b, &memo[11 + 4 * j], sp->mean, i, sp->n);
			csv_num(b, &memo[12 + 4 * j], sp->lpl, i, sp->n);
			csv_num(b, &memo[13 + 4 * j], sp->upl, i, sp->n);
			buf_putc(b, ',');
			if (sp->point_type != NULL && i < sp->n &&
			    sp->point_type[i] != NULL) {
				/* A few static strings: their length once. */
				if (sp->point_type[i] != ptp[j]) {
					ptp[j] = sp->point_type[i];
					ptl[j] = strlen(ptp[j]);
				}
				buf_put(b, ptp[j], ptl[j]);
			}
		}
		buf_putc(b, '\n');
	}
	free(memo);
	free(ptp);
	free(ptl);
}
