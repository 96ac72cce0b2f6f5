/*
 * validate.c: cross-checks of the loading stage (see validate.h).
 * Single-key checks live in meta.c and per-cell checks in series.c;
 * what is here needs several keys, the data, or the Markdown body.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "md.h"
#include "util.h"
#include "validate.h"

static void
check_charts(const char *body, const char *file, unsigned line,
    const struct service *svc)
{
	struct chart_spec *specs = NULL;
	size_t		 n = 0;

	if (md_charts(body, file, line, svc, &specs, &n) == 0)
		md_chart_specs_free(specs, n);
}

/* Metric columns are distinct and do not shadow the built-in measures
 * demand, capacity and backlog (SPEC 3.4 "metric"). */
static void
check_metrics(const struct service *svc)
{
	static const char *const builtin[] = { "demand", "capacity",
	    "backlog" };
	const struct metric_def *m, *o;
	size_t		 i, j;

	for (i = 0; i < svc->nmetrics; i++) {
		m = &svc->metrics[i];
		if (m->column == NULL)
			continue;
		for (j = 0; j < i; j++) {
			o = &svc->metrics[j];
			if (o->column != NULL &&
			    strcmp(o->column, m->column) == 0) {
				diag_error(m->pos.file, m->pos.line, m->pos.col,
				    "metric column \"%s\" is listed twice "
				    "(first on line %u)", m->column,
				    o->pos.line);
				break;
			}
		}
		if (!svc->has_demand)
			continue;
		for (j = 0; j < 3; j++)
			if (strcmp(m->column, builtin[j]) == 0)
				diag_error(m->pos.file, m->pos.line, m->pos.col,
				    "metric column \"%s\" clashes with the "
				    "built-in measure \"%s\"", m->column,
				    builtin[j]);
	}
}

/* Warns about rebase dates that cannot start a phase: before the
 * second point or after the last one. */
static void
check_rebase(const struct service *svc)
{
	const struct series	*s = svc->series;
	const struct metric_def	*m;
	char			 d[32], a[32], b[32];
	size_t			 i, j;

	if (s == NULL || s->n == 0)
		return;
	util_date_format(a, sizeof(a), svc->period, s->key[0]);
	util_date_format(b, sizeof(b), svc->period, s->key[s->n - 1]);
	for (i = 0; i < svc->nmetrics; i++) {
		m = &svc->metrics[i];
		for (j = 0; j < m->nrebase; j++) {
			if (m->rebase[j] > s->key[0] &&
			    m->rebase[j] <= s->key[s->n - 1])
				continue;
			util_date_format(d, sizeof(d), svc->period,
			    m->rebase[j]);
			diag_warning(m->pos.file, m->pos.line, m->pos.col,
			    "rebase date %s of \"%s\" is not inside the data "
			    "(%s to %s); ignored", d, m->column, a, b);
		}
	}
}

static void
check_scenarios(const struct service *svc)
{
	const struct scenario_def *sc;
	size_t		 i, j;

	for (i = 0; i < svc->nscenarios; i++) {
		sc = &svc->scenarios[i];
		if (sc->name == NULL)
			continue;
		if (strcmp(sc->name, "baseline") == 0)
			diag_error(sc->pos.file, sc->pos.line, sc->pos.col,
			    "scenario name \"baseline\" is reserved");
		for (j = 0; j < i; j++)
			if (svc->scenarios[j].name != NULL &&
			    strcmp(svc->scenarios[j].name, sc->name) == 0) {
				diag_error(sc->pos.file, sc->pos.line,
				    sc->pos.col, "duplicate scenario name "
				    "\"%s\" (first on line %u)", sc->name,
				    svc->scenarios[j].pos.line);
				break;
			}
	}
	if (svc->nscenarios > 0 && !(svc->has_demand && svc->has_capacity))
		diag_warning(svc->scenarios[0].pos.file,
		    svc->scenarios[0].pos.line, svc->scenarios[0].pos.col,
		    "\"scenarios\" have no effect without \"demand\" and "
		    "\"capacity\"");
}

int
validate_service(const struct service *svc, bool charts)
{
	size_t	 before = diag_errors();

	check_metrics(svc);
	check_scenarios(svc);
	check_rebase(svc);
	if (charts && svc->body != NULL)
		check_charts(svc->body, svc->path, svc->body_line, svc);
	return diag_errors() > before ? -1 : 0;
}

int
validate_pack(const struct pack *p)
{
	size_t	 before = diag_errors();

	if (p->index_body != NULL && p->index_body[0] != '\0')
		check_charts(p->index_body, p->index_path, p->index_line,
		    NULL);
	return diag_errors() > before ? -1 : 0;
}
