/*
 * stub.c: what the build cache keeps of a service in place of its
 * analysis (see stub.h, cache.h): its simulation, field by field, and
 * its record: what loading and analysing it printed, a stub series (the
 * rows the pack PDF's table reads), a stub analysis over them and its
 * IPR rows.  Native byte order and no padding: a record is only read
 * back by the binary that wrote it (the binary is in every key).  Every
 * read is bounds-checked: a damaged record is rejected, never trusted.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "series.h"
#include "sim.h"
#include "stub.h"
#include "util.h"

#define STUB_SIM_MAGIC	0x316d697370626bULL	/* "bkpsim1" */
#define STUB_REC_MAGIC	0x31636572706b62ULL	/* "bkprec1" */

/* ---- a simulation, field by field ---- */

static void
stub_u64(struct buf *b, uint64_t v)
{
	buf_put(b, &v, sizeof(v));
}

static void
stub_dbl(struct buf *b, const double *v, size_t n)
{
	buf_put(b, v, n * sizeof(*v));
}

void
stub_sim_put(const struct sim *sim, struct buf *b)
{
	const struct sim_scenario *ss;
	size_t	 s, l;

	stub_u64(b, STUB_SIM_MAGIC);
	stub_u64(b, sim->paths);
	stub_u64(b, sim->horizon);
	stub_u64(b, sim->seed);
	stub_u64(b, sim->nscenarios);
	buf_put(b, sim->keys, sim->horizon * sizeof(*sim->keys));
	for (s = 0; s < sim->nscenarios; s++) {
		ss = &sim->scenarios[s];
		/* The name's length + 1 (0: no name), then its bytes. */
		stub_u64(b, ss->name != NULL ? strlen(ss->name) + 1 : 0);
		if (ss->name != NULL)
			buf_puts(b, ss->name);
		stub_dbl(b, &ss->cost, 1);
		stub_dbl(b, &ss->p_wait_over_target_end, 1);
		stub_dbl(b, &ss->p_wait_over_target_any, 1);
		stub_dbl(b, &ss->p_demand_2x_capacity, 1);
		stub_dbl(b, &ss->cost_per_point_risk_removed, 1);
		for (l = 0; l < SIM_PCT_N; l++)
			stub_dbl(b, ss->backlog_pct[l], sim->horizon);
	}
}


static void
stub_read(struct stub_rd *r, void *v, size_t n)
{
	if (r->bad || n > r->left) {
		r->bad = true;
		memset(v, 0, n);
		return;
	}
	memcpy(v, r->p, n);
	r->p += n;
	r->left -= n;
}

static uint64_t
stub_read_u64(struct stub_rd *r)
{
	uint64_t	 v;

	stub_read(r, &v, sizeof(v));
	return v;
}

/* An array of n items of size sz, or NULL (r->bad) when the file is
 * too short for it. */
static void *
stub_read_arr(struct stub_rd *r, uint64_t n, size_t sz)
{
	void	*v;

	if (r->bad || n > r->left / sz) {
		r->bad = true;
		return NULL;
	}
	v = xcalloc(n ? n : 1, sz);
	stub_read(r, v, n * sz);
	return v;
}

/* Parses a simulation record into a struct sim (sim_free()); NULL
 * when it is not one (a miss, never an error). */
struct sim *
stub_sim_get(const char *data, size_t len)
{
	struct stub_rd	 r = { data, len, false };
	struct sim	*sim;
	struct sim_scenario *ss;
	uint64_t	 k;
	size_t		 s, l;

	if (stub_read_u64(&r) != STUB_SIM_MAGIC)
		return NULL;
	sim = xcalloc(1, sizeof(*sim));
	sim->paths = stub_read_u64(&r);
	sim->horizon = stub_read_u64(&r);
	sim->seed = stub_read_u64(&r);
	k = stub_read_u64(&r);
	sim->keys = stub_read_arr(&r, sim->horizon, sizeof(*sim->keys));
	/* Each scenario takes at least 8 bytes: bounds the allocation. */
	if (!r.bad && k <= r.left / 8) {
		sim->scenarios = xcalloc(k ? k : 1, sizeof(*sim->scenarios));
		sim->nscenarios = k;
	} else
		r.bad = true;
	for (s = 0; !r.bad && s < sim->nscenarios; s++) {
		ss = &sim->scenarios[s];
		if ((k = stub_read_u64(&r)) > 0 && k - 1 <= r.left) {
			ss->name = xmalloc(k);
			stub_read(&r, ss->name, k - 1);
			ss->name[k - 1] = '\0';
		} else if (k > 0)
			r.bad = true;
		stub_read(&r, &ss->cost, sizeof(double));
		stub_read(&r, &ss->p_wait_over_target_end, sizeof(double));
		stub_read(&r, &ss->p_wait_over_target_any, sizeof(double));
		stub_read(&r, &ss->p_demand_2x_capacity, sizeof(double));
		stub_read(&r, &ss->cost_per_point_risk_removed, sizeof(double));
		for (l = 0; l < SIM_PCT_N; l++)
			ss->backlog_pct[l] = stub_read_arr(&r, sim->horizon,
			    sizeof(double));
	}
	if (r.bad || r.left != 0) {
		sim_free(sim);
		return NULL;
	}
	return sim;
}

/* ---- a record: stub series and analysis, IPR rows ---- */

static void
stub_put_str(struct buf *b, const char *s)
{
	stub_u64(b, s != NULL ? strlen(s) + 1 : 0);
	if (s != NULL)
		buf_puts(b, s);
}

static void
stub_put_mem(struct buf *b, const char *s, size_t len)
{
	stub_u64(b, len + 1);
	buf_put(b, s, len);
}

/* jansson values, by type: every one the IPR rows hold survives (reals
 * bit for bit, members in order). */
enum { CJ_NULL, CJ_TRUE, CJ_FALSE, CJ_INT, CJ_REAL, CJ_STR, CJ_ARR,
    CJ_OBJ };

static void
stub_json_put(struct buf *b, json_t *v)
{
	const char	*k;
	json_t		*x;
	size_t		 i;
	double		 d;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		stub_u64(b, CJ_OBJ);
		stub_u64(b, json_object_size(v));
		json_object_foreach(v, k, x) {
			stub_put_str(b, k);
			stub_json_put(b, x);
		}
		break;
	case JSON_ARRAY:
		stub_u64(b, CJ_ARR);
		stub_u64(b, json_array_size(v));
		json_array_foreach(v, i, x)
			stub_json_put(b, x);
		break;
	case JSON_STRING:
		stub_u64(b, CJ_STR);
		stub_put_mem(b, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		stub_u64(b, CJ_INT);
		stub_u64(b, (uint64_t)json_integer_value(v));
		break;
	case JSON_REAL:
		stub_u64(b, CJ_REAL);
		d = json_real_value(v);
		stub_dbl(b, &d, 1);
		break;
	case JSON_TRUE:
		stub_u64(b, CJ_TRUE);
		break;
	case JSON_FALSE:
		stub_u64(b, CJ_FALSE);
		break;
	default:
		stub_u64(b, CJ_NULL);
		break;
	}
}

/* A string of a record: NULL (and *had false) for "none"; r->bad when
 * it does not fit. */
static char *
stub_read_str(struct stub_rd *r, bool *had)
{
	uint64_t	 k = stub_read_u64(r);
	char		*s;

	*had = k > 0;
	if (r->bad || k == 0)
		return NULL;
	if (k - 1 > r->left) {
		r->bad = true;
		return NULL;
	}
	s = xmalloc(k);
	stub_read(r, s, k - 1);
	s[k - 1] = '\0';
	return s;
}

static json_t *
stub_json_get(struct stub_rd *r, int depth)
{
	json_t		*v = NULL, *x;
	uint64_t	 t, n, i;
	char		*k;
	bool		 had;
	double		 d;

	if (depth > 64)
		r->bad = true;
	t = stub_read_u64(r);
	if (r->bad)
		return NULL;
	switch (t) {
	case CJ_OBJ:
	case CJ_ARR:
		n = stub_read_u64(r);
		v = t == CJ_OBJ ? json_object() : json_array();
		for (i = 0; !r->bad && i < n; i++) {
			k = NULL;
			if (t == CJ_OBJ && (k = stub_read_str(r, &had)) == NULL)
				r->bad = true;
			if (r->bad || (x = stub_json_get(r, depth + 1)) ==
			    NULL) {
				free(k);
				r->bad = true;
				break;
			}
			if (t == CJ_OBJ)
				json_object_set_new(v, k, x);
			else
				json_array_append_new(v, x);
			free(k);
		}
		break;
	case CJ_STR:
		n = stub_read_u64(r);
		if (n == 0 || n - 1 > r->left) {
			r->bad = true;
			break;
		}
		v = json_stringn(r->p, n - 1);
		r->p += n - 1;
		r->left -= n - 1;
		break;
	case CJ_INT:
		v = json_integer((json_int_t)stub_read_u64(r));
		break;
	case CJ_REAL:
		stub_read(r, &d, sizeof(d));
		v = json_real(d);
		break;
	case CJ_TRUE:
		v = json_true();
		break;
	case CJ_FALSE:
		v = json_false();
		break;
	case CJ_NULL:
		v = json_null();
		break;
	default:
		r->bad = true;
	}
	if (r->bad || v == NULL) {
		json_decref(v);
		r->bad = true;
		return NULL;
	}
	return v;
}

/* The last index of v[0..n) holding a finite number, or n. */
static size_t
stub_last_finite(const double *v, size_t n)
{
	size_t	 k;

	for (k = n; k > 0; k--)
		if (isfinite(v[k - 1]))
			return k - 1;
	return n;
}

static int
stub_size_cmp(const void *a, const void *b)
{
	size_t	 x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The rows of a stub series: the last one, and the last with a finite
 * value of each column, in order.  What the pack PDF's table reads of a
 * service (its latest values and their dates, the estimated wait of its
 * last period) is the same over these rows as over all of them.
 */
static size_t *
stub_rows_of(const struct series *s, size_t *nrows)
{
	size_t	*rows, n = 0, k, c;

	rows = xcalloc(s->ncols + 1, sizeof(*rows));
	if (s->n > 0)
		rows[n++] = s->n - 1;
	for (c = 0; c < s->ncols && s->n > 0; c++)
		if ((k = stub_last_finite(s->cols[c].v, s->n)) < s->n)
			rows[n++] = k;
	qsort(rows, n, sizeof(*rows), stub_size_cmp);
	for (k = c = 0; k < n; k++)
		if (c == 0 || rows[c - 1] != rows[k])
			rows[c++] = rows[k];
	*nrows = c;
	return rows;
}

void
stub_put(struct buf *b, const struct service *svc, const struct buf *ld,
    const struct buf *andiag, json_t *rows)
{
	const struct series	*s = svc->series;
	const struct analysis	*an = svc->an;
	const struct spc	*sp;
	size_t			*r = NULL, nr = 0, k, j;
	double			 v;

	stub_u64(b, STUB_REC_MAGIC);
	stub_put_mem(b, ld != NULL && ld->data ? ld->data : "",
	    ld != NULL ? ld->len : 0);
	stub_put_mem(b, andiag->data ? andiag->data : "", andiag->len);
	stub_u64(b, s != NULL);
	if (s != NULL) {
		r = stub_rows_of(s, &nr);
		stub_u64(b, nr);
		stub_u64(b, s->ncols);
		for (k = 0; k < nr; k++)
			stub_u64(b, (uint64_t)s->key[r[k]]);
		for (j = 0; j < s->ncols; j++) {
			stub_put_str(b, s->cols[j].name);
			for (k = 0; k < nr; k++)
				stub_dbl(b, &s->cols[j].v[r[k]], 1);
		}
	}
	stub_u64(b, an != NULL);
	if (an != NULL) {
		stub_u64(b, an->has_flow);
		stub_dbl(b, &an->flow.load, 1);
		stub_u64(b, an->flow.wait_days != NULL && s != NULL);
		for (k = 0; an->flow.wait_days != NULL && s != NULL && k < nr;
		    k++)
			stub_dbl(b, &an->flow.wait_days[r[k]], 1);
		buf_put(b, &an->queue, sizeof(an->queue));
		stub_dbl(b, an->pctcap, PCTCAP_N);
		stub_u64(b, an->nspc);
		for (k = 0; k < an->nspc; k++) {
			sp = &an->spc[k];
			stub_put_str(b, sp->metric);
			stub_put_str(b, sp->label);
			stub_put_str(b, sp->unit);
			stub_u64(b, (uint64_t)sp->improvement);
			stub_u64(b, sp->has_target);
			v = sp->target;
			stub_dbl(b, &v, 1);
			stub_u64(b, sp->trial_limits);
			stub_put_str(b, sp->variation_type);
			stub_put_str(b, sp->variation);
			stub_put_str(b, sp->assurance);
			stub_u64(b, sp->anhoej_n_useful);
			stub_u64(b, sp->anhoej_longest_run);
			stub_u64(b, sp->anhoej_longest_run_max);
			stub_u64(b, sp->anhoej_n_crossings);
			stub_u64(b, sp->anhoej_n_crossings_min);
			stub_u64(b, sp->anhoej_signal);
		}
	}
	stub_json_put(b, rows);
	free(r);
}

/* Skips a string of a record; its bytes in *s and *len. */
bool
stub_skip(struct stub_rd *r, const char **s, size_t *len)
{
	uint64_t	 k = stub_read_u64(r);

	if (r->bad || k == 0 || k - 1 > r->left) {
		r->bad = true;
		return false;
	}
	*s = r->p;
	*len = (size_t)(k - 1);
	r->p += k - 1;
	r->left -= k - 1;
	return true;
}

/* Reads a stub series (after the two diagnostics); *nr its rows.  NULL
 * with *had false for a service without one; r->bad when damaged. */
struct series *
stub_series(struct stub_rd *r, bool *had)
{
	struct series	*s;
	uint64_t	 n, nc, k;
	bool		 h;

	*had = stub_read_u64(r) != 0;
	if (r->bad || !*had)
		return NULL;
	n = stub_read_u64(r);
	nc = stub_read_u64(r);
	if (r->bad || n > r->left / 8 || nc > r->left / 8) {
		r->bad = true;
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->n = n;
	s->key = stub_read_arr(r, n, sizeof(*s->key));
	s->line = xcalloc(n ? n : 1, sizeof(*s->line));
	s->cols = xcalloc(nc ? nc : 1, sizeof(*s->cols));
	for (k = 0; !r->bad && k < nc; k++) {
		s->cols[k].name = stub_read_str(r, &h);
		s->ncols = k + 1;
		if (s->cols[k].name == NULL)
			r->bad = true;
		s->cols[k].v = stub_read_arr(r, n, sizeof(double));
	}
	if (r->bad) {
		series_free(s);
		return NULL;
	}
	return s;
}

/* A static-like string the stub analyses borrow (spc.c's variation and
 * assurance names are static): owned by pool, or dropped without one. */
static const char *
stub_pool_add(struct stub_pool *pool, char *s)
{
	size_t	 i;

	if (pool == NULL)
		free(s);	/* only parsed past */
	if (s == NULL || pool == NULL)
		return NULL;
	for (i = 0; i < pool->n; i++)
		if (strcmp(pool->s[i], s) == 0) {
			free(s);
			return pool->s[i];
		}
	pool->s = xreallocarray(pool->s, pool->n + 1, sizeof(*pool->s));
	pool->s[pool->n++] = s;
	return s;
}

void
stub_pool_clear(struct stub_pool *pool)
{
	size_t	 i;

	for (i = 0; i < pool->n; i++)
		free(pool->s[i]);
	free(pool->s);
	pool->s = NULL;
	pool->n = 0;
}

/* Reads the stub analysis of a record over nr stub rows. */
struct analysis *
stub_analysis(struct stub_rd *r, size_t nr, struct stub_pool *pool)
{
	struct analysis	*an;
	struct spc	*sp;
	uint64_t	 k, n;
	bool		 h;

	if (stub_read_u64(r) == 0 || r->bad)
		return NULL;
	an = xcalloc(1, sizeof(*an));
	an->has_flow = stub_read_u64(r) != 0;
	stub_read(r, &an->flow.load, sizeof(double));
	if (stub_read_u64(r) != 0)
		an->flow.wait_days = stub_read_arr(r, nr, sizeof(double));
	stub_read(r, &an->queue, sizeof(an->queue));
	stub_read(r, an->pctcap, sizeof(an->pctcap));
	n = stub_read_u64(r);
	if (!r->bad && n <= r->left / 8) {
		an->spc = xcalloc(n ? n : 1, sizeof(*an->spc));
		an->nspc = n;
	} else
		r->bad = true;
	for (k = 0; !r->bad && k < an->nspc; k++) {
		sp = &an->spc[k];
		sp->metric = stub_read_str(r, &h);
		if (!h)
			r->bad = true;
		sp->label = stub_read_str(r, &h);
		sp->unit = stub_read_str(r, &h);
		sp->improvement = (enum improvement)stub_read_u64(r);
		sp->has_target = stub_read_u64(r) != 0;
		stub_read(r, &sp->target, sizeof(double));
		sp->trial_limits = stub_read_u64(r) != 0;
		sp->variation_type = stub_pool_add(pool, stub_read_str(r, &h));
		sp->variation = stub_pool_add(pool, stub_read_str(r, &h));
		sp->assurance = stub_pool_add(pool, stub_read_str(r, &h));
		sp->anhoej_n_useful = stub_read_u64(r);
		sp->anhoej_longest_run = stub_read_u64(r);
		sp->anhoej_longest_run_max = stub_read_u64(r);
		sp->anhoej_n_crossings = stub_read_u64(r);
		sp->anhoej_n_crossings_min = stub_read_u64(r);
		sp->anhoej_signal = stub_read_u64(r) != 0;
	}
	if (r->bad) {
		analysis_free(an);
		return NULL;
	}
	return an;
}

bool
stub_open(struct stub_rd *r, const char *p, size_t len)
{
	r->p = p;
	r->left = len;
	r->bad = false;
	return stub_read_u64(r) == STUB_REC_MAGIC && !r->bad;
}

json_t *
stub_rows(struct stub_rd *r)
{
	json_t	*rows = stub_json_get(r, 0);

	if (rows != NULL && r->left != 0) {
		json_decref(rows);
		rows = NULL;
	}
	return rows;
}
