/*
 * chart_fixture.h: a hand-built 21-day service with flow filled in, and
 * a text lookup, shared by the chart unit tests (test_chart.c,
 * test_spcchart.c).  Static: each test program gets its own copy.
 */
#ifndef CHART_FIXTURE_H
#define CHART_FIXTURE_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "chart.h"
#include "model.h"
#include "util.h"

#define N 21

/* A 21-day service, 2024-01-01 .. 2024-01-21, with flow filled in. */
struct fixture {
	struct service	 svc;
	struct series	 se;
	struct analysis	 an;
	int64_t		 key[N];
	double		 dc[N], dm[N], cr[N], cm[N], bm[N], bc[N], ow[N];
};

static struct fixture *
fixture_new(bool observed)
{
	struct fixture	*f = xcalloc(1, sizeof(*f));
	double		 b = 120;
	size_t		 i;

	f->svc.id = "helpline";
	f->svc.title = "Helpline";
	f->svc.period = PERIOD_DAY;
	f->svc.minutes_per_case = 30;
	f->se.n = N;
	f->se.key = f->key;
	for (i = 0; i < N; i++) {
		f->key[i] = util_days_from_civil(2024, 1, 1) + (int64_t)i;
		f->dc[i] = 8 + (double)(i % 5);
		f->dm[i] = f->dc[i] * 30;
		f->cr[i] = 2;
		f->cm[i] = 240;
		b = fmax(0, b + f->dm[i] - f->cm[i]);
		f->bm[i] = b;
		f->bc[i] = b / 30;
		f->ow[i] = i % 7 == 0 ? (double)i : NAN;
	}
	f->dm[10] = NAN;	/* a gap in the demand line */
	f->an.has_flow = true;
	f->an.flow.demand_cases = f->dc;
	f->an.flow.demand_minutes = f->dm;
	f->an.flow.capacity_resources = f->cr;
	f->an.flow.capacity_minutes = f->cm;
	f->an.flow.backlog_minutes = f->bm;
	f->an.flow.backlog_cases = f->bc;
	f->an.flow.observed_waiting = observed ? f->ow : NULL;
	f->an.flow.load = 1.2;
	f->svc.series = &f->se;
	f->svc.an = &f->an;
	return f;
}

static bool
has_text(const struct chart *c, const char *s)
{
	size_t	 i;

	for (i = 0; i < c->ntexts; i++)
		if (strcmp(c->texts[i].s, s) == 0)
			return true;
	return false;
}

#endif /* !CHART_FIXTURE_H */
