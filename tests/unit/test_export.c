/*
 * test_export.c: a tiny pack built in memory (a flow service and a KPI
 * page), analysed and exported: SPEC 4.5 key names and values, null for
 * undefined numbers, the per-service CSV of SPEC 5, determinism across
 * jobs, the spc/profiles layout written from struct spc/profile, and the
 * streaming writer: one-line arrays, numbers byte for byte as jansson's
 * dump wrote them, string escaping, service texts that splice.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "analysis.h"
#include "export.h"
#include "util.h"
#include "splitmix.h"

static double	 demand[] = { 10, 3, 9, 12, 8 };
static double	 idvas[] = { 2, 2, 2, 0, 2 };
static double	 waiting[] = { NAN, NAN, 3, 4, NAN };
static double	 pct[] = { 81, 85, NAN, 90, 88 };
static struct column	 flowcols[] = { { "referrals", demand },
			    { "idvas", idvas }, { "waiting", waiting } };
static struct column	 kpicols[] = { { "pct", pct } };
static struct metric_def kpimetric = { .column = "pct",
			    .label = "Contacted in 48h", .unit = "%",
			    .improvement = IMPROVE_INCREASE,
			    .has_target = true, .target = 90,
			    .screen_outliers = true };
static int64_t		 keys[5];
static struct series	 s_flow, s_kpi;
static struct service	 svcs[2];
static struct pack	 pack;

static void
near(double got, double want)
{
	if (!(fabs(got - want) <= 1e-9 * (fabs(want) > 1 ? fabs(want) : 1)))
		fail_msg("got %.12g, want %.12g", got, want);
}

static void
build_pack(void)
{
	size_t	 i;

	for (i = 0; i < 5; i++)
		keys[i] = 19723 + (int64_t)i;	/* 2024-01-01 .. 05 */
	s_flow.n = s_kpi.n = 5;
	s_flow.key = s_kpi.key = keys;
	s_flow.cols = flowcols;
	s_flow.ncols = 3;
	s_kpi.cols = kpicols;
	s_kpi.ncols = 1;

	memset(svcs, 0, sizeof(svcs));
	svcs[0].id = "idva";
	svcs[0].title = "IDVA";
	svcs[0].period = PERIOD_DAY;
	svcs[0].has_demand = svcs[0].has_capacity = true;
	svcs[0].demand_column = "referrals";
	svcs[0].capacity_column = "idvas";
	svcs[0].backlog_column = "waiting";
	svcs[0].minutes_per_case = 60;
	svcs[0].minutes_per_resource = 240;
	svcs[0].backlog_start = 2;
	svcs[0].has_target_wait = true;
	svcs[0].target_wait_days = 28;
	svcs[0].queue_factor = 4;
	svcs[0].series = &s_flow;

	svcs[1].id = "kpi";
	svcs[1].title = "Contacts, \"48h\"";
	svcs[1].period = PERIOD_DAY;
	svcs[1].queue_factor = 4;
	svcs[1].series = &s_kpi;
	svcs[1].metrics = &kpimetric;
	svcs[1].nmetrics = 1;

	memset(&pack, 0, sizeof(pack));
	pack.title = "Test pack";
	pack.date = "2024-12-31";
	pack.period_label = "December 2024";
	pack.services = svcs;
	pack.nservices = 2;
}

static void
free_pack(void)
{
	size_t	 i;

	for (i = 0; i < pack.nservices; i++) {
		analysis_free(pack.services[i].an);
		pack.services[i].an = NULL;
	}
}

static double
num(json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	if (!json_is_number(v))
		fail_msg("\"%s\" is not a number", key);
	return json_number_value(v);
}

static void
test_json_flow(void **state)
{
	json_t	*root, *p, *svc, *f, *q, *pc, *a;

	(void)state;
	build_pack();
	analysis_run(&pack, 2);
	root = export_json(&pack, NULL);
	assert_true(json_is_string(json_object_get(root, "boardpack")));
	assert_true(strlen(json_string_value(json_object_get(root,
	    "boardpack"))) > 0);
	p = json_object_get(root, "pack");
	assert_string_equal(json_string_value(json_object_get(p, "title")),
	    "Test pack");
	assert_string_equal(json_string_value(json_object_get(p, "date")),
	    "2024-12-31");
	assert_true(json_is_null(json_object_get(p, "organisation")));
	assert_string_equal(json_string_value(json_object_get(p,
	    "period_label")), "December 2024");
	assert_int_equal(json_array_size(json_object_get(root, "services")), 2);

	svc = json_array_get(json_object_get(root, "services"), 0);
	assert_string_equal(json_string_value(json_object_get(svc, "id")),
	    "idva");
	assert_string_equal(json_string_value(json_object_get(svc, "period")),
	    "day");
	near(num(svc, "n"), 5);
	a = json_object_get(svc, "dates");
	assert_int_equal(json_array_size(a), 5);
	assert_string_equal(json_string_value(json_array_get(a, 0)),
	    "2024-01-01");
	assert_string_equal(json_string_value(json_array_get(a, 4)),
	    "2024-01-05");

	/* Backlog 240 0 60 780 780; capacity 0 on day 4. */
	f = json_object_get(svc, "flow");
	assert_true(json_is_object(f));
	near(json_number_value(json_array_get(json_object_get(f,
	    "demand_minutes"), 3)), 720);
	near(json_number_value(json_array_get(json_object_get(f,
	    "capacity_minutes"), 0)), 480);
	near(json_number_value(json_array_get(json_object_get(f,
	    "backlog_minutes"), 3)), 780);
	near(json_number_value(json_array_get(json_object_get(f,
	    "backlog_cases"), 3)), 13);
	near(json_number_value(json_array_get(json_object_get(f,
	    "served_minutes"), 1)), 420);
	near(json_number_value(json_array_get(json_object_get(f,
	    "utilisation"), 1)), 0.875);
	assert_true(json_is_null(json_array_get(json_object_get(f,
	    "utilisation"), 3)));
	near(json_number_value(json_array_get(json_object_get(f,
	    "wait_days"), 4)), 780.0 / 384);
	near(json_number_value(json_array_get(json_object_get(f,
	    "capacity_resources"), 3)), 0);
	assert_int_equal(json_array_size(json_object_get(f, "demand_cases")),
	    5);
	assert_true(json_is_null(json_array_get(json_object_get(f,
	    "observed_waiting"), 0)));
	near(json_number_value(json_array_get(json_object_get(f,
	    "observed_waiting"), 3)), 4);
	near(num(f, "load"), 2520.0 / 1920);

	q = json_object_get(svc, "queue");
	near(num(q, "mean_demand"), 8.4);
	near(num(q, "mean_capacity"), 6.4);
	near(num(q, "target_wait"), 28);
	near(num(q, "factor"), 4);
	near(num(q, "current_queue"), 4);
	near(num(q, "target_mean_wait"), 7);
	near(num(q, "target_queue_size"), 58.8);
	near(num(q, "mean_wait"), 4 / 8.4);
	near(num(q, "queue_load"), 8.4 / 6.4);
	near(num(q, "relief_capacity"), 8.4 + (4 - 58.8) / 182);
	assert_true(json_is_number(json_object_get(q, "cv_demand")));
	assert_true(json_is_number(json_object_get(q, "cv_capacity")));
	assert_true(json_is_number(json_object_get(q, "target_capacity")));
	assert_true(json_is_number(json_object_get(q, "pressure")));

	pc = json_object_get(svc, "percentile_capacity");
	near(num(pc, "50"), 540);
	near(num(pc, "80"), 624);
	near(num(pc, "85"), 648);
	near(num(pc, "90"), 672);
	near(num(pc, "95"), 696);

	/* A KPI page: no flow, no queue, no percentile capacity. */
	svc = json_array_get(json_object_get(root, "services"), 1);
	assert_string_equal(json_string_value(json_object_get(svc, "id")),
	    "kpi");
	assert_true(json_is_null(json_object_get(svc, "flow")));
	assert_true(json_is_null(json_object_get(svc, "queue")));
	assert_true(json_is_null(json_object_get(svc,
	    "percentile_capacity")));
	assert_int_equal(json_array_size(json_object_get(svc, "dates")), 5);
	json_decref(root);

	root = export_json(&pack, "kpi");
	a = json_object_get(root, "services");
	assert_int_equal(json_array_size(a), 1);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(a, 0), "id")), "kpi");
	json_decref(root);
	root = export_json(&pack, "nosuch");
	assert_int_equal(json_array_size(json_object_get(root, "services")),
	    0);
	json_decref(root);
	free_pack();
}

/* Same bytes for any jobs; fixed key order; trailing newline. */
static void
test_json_string(void **state)
{
	char	*a, *b;
	size_t	 len;

	(void)state;
	build_pack();
	analysis_run(&pack, 1);
	a = export_json_string(&pack, NULL);
	analysis_run(&pack, 8);	/* replaces the earlier analyses */
	b = export_json_string(&pack, NULL);
	assert_string_equal(a, b);
	len = strlen(a);
	assert_true(len > 2 && a[len - 1] == '\n' && a[len - 2] == '}');
	assert_true(strncmp(a, "{\n  \"boardpack\": \"", 18) == 0);
	/* Arrays of numbers and strings on one line, objects indented. */
	assert_non_null(strstr(a, "\n      \"dates\": [\"2024-01-01\", "
	    "\"2024-01-02\", \"2024-01-03\", \"2024-01-04\", "
	    "\"2024-01-05\"],\n"));
	assert_non_null(strstr(a, "\n        \"utilisation\": "
	    "[1, 0.875, 1, null, 1],\n"));
	assert_non_null(strstr(a, "\n        \"load\": 1.3125\n      },\n"));
	assert_non_null(strstr(a, "\n      \"title\": \"Contacts, \\\"48h\\\"\",\n"));
	assert_non_null(strstr(a, "\"anhoej\": {\n"));
	assert_null(strstr(a, "nan"));
	assert_null(strstr(a, "inf"));
	/* Key order as SPEC 4.5 lists it. */
	assert_true(strstr(a, "\"pack\"") < strstr(a, "\"services\""));
	assert_true(strstr(a, "\"dates\"") < strstr(a, "\"flow\""));
	assert_true(strstr(a, "\"flow\"") < strstr(a, "\"queue\""));
	assert_true(strstr(a, "\"queue\"") < strstr(a,
	    "\"percentile_capacity\""));
	free(a);
	free(b);
	free_pack();
}

/* Each line of b starts with want[i] followed by ',' or '\n'. */
static void
csv_prefixes(const char *b, const char *const *want, size_t n)
{
	size_t	 i, len;

	for (i = 0; i < n; i++) {
		len = strlen(want[i]);
		if (strncmp(b, want[i], len) != 0 ||
		    (b[len] != ',' && b[len] != '\n'))
			fail_msg("line %zu: want \"%s\"", i + 1, want[i]);
		b = strchr(b, '\n');
		assert_non_null(b);
		b++;
	}
	assert_string_equal(b, "");
}

static void
test_csv_flow(void **state)
{
	static const char *const flow[] = {
		"date,demand_cases,demand_minutes,capacity_resources,"
		"capacity_minutes,backlog_minutes,backlog_cases,"
		"served_minutes,utilisation,wait_days,observed_waiting",
		"2024-01-01,10,600,2,480,240,4,480,1,0.625,",
		"2024-01-02,3,180,2,480,0,0,420,0.875,0,",
		"2024-01-03,9,540,2,480,60,1,480,1,0.15625,3",
		"2024-01-04,12,720,0,0,780,13,0,,2.03125,4",
		"2024-01-05,8,480,2,480,780,13,480,1,2.03125,",
	};
	static const char *const kpi[] = {
		"date,pct,pct_mean,pct_lpl,pct_upl,pct_point_type",
		"2024-01-01,81,86", "2024-01-02,85,86", "2024-01-03,,,,,",
		"2024-01-04,90,86", "2024-01-05,88,86",
	};
	struct buf	 b;

	(void)state;
	build_pack();
	analysis_run(&pack, 1);
	buf_init(&b);
	export_csv(&pack, &svcs[0], &b);
	csv_prefixes(b.data, flow, 6);
	/* SPC of demand, capacity, backlog follow the flow columns. */
	assert_non_null(strstr(b.data, ",observed_waiting,demand,demand_mean,"
	    "demand_lpl,demand_upl,demand_point_type,capacity,"));
	assert_non_null(strstr(b.data, ",backlog_upl,backlog_point_type\n"));
	buf_clear(&b);

	buf_init(&b);
	export_csv(&pack, &svcs[1], &b);
	csv_prefixes(b.data, kpi, 6);
	buf_clear(&b);
	free_pack();
}

/* SPC computed by analysis_run (spc.c): metrics, then demand, capacity
 * and backlog in minutes. */
static void
test_json_spc(void **state)
{
	json_t	*root, *svcj, *spc, *sp;

	(void)state;
	build_pack();
	analysis_run(&pack, 2);
	root = export_json(&pack, NULL);
	svcj = json_array_get(json_object_get(root, "services"), 0);
	spc = json_object_get(svcj, "spc");
	assert_int_equal(json_array_size(spc), 3);
	sp = json_array_get(spc, 0);
	assert_string_equal(json_string_value(json_object_get(sp, "metric")),
	    "demand");
	assert_string_equal(json_string_value(json_object_get(sp,
	    "improvement")), "neutral");
	near(json_number_value(json_array_get(json_object_get(sp, "mean"), 0)),
	    504);
	assert_true(json_is_null(json_object_get(sp, "assurance")));
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(spc, 2), "metric")), "backlog");
	near(json_number_value(json_array_get(json_object_get(
	    json_array_get(spc, 2), "values"), 3)), 780);

	/* Profiles (profile.c) of demand in cases: Monday 2024-01-01 is
	 * 10, no weekend data, under 364 days: no month profile. */
	spc = json_object_get(svcj, "profiles");
	assert_true(json_is_object(spc));
	assert_true(json_is_null(json_object_get(spc, "month")));
	assert_true(json_is_null(json_object_get(spc, "hour")));
	sp = json_object_get(json_object_get(spc, "weekday"), "mean");
	assert_int_equal(json_array_size(sp), 7);
	near(json_number_value(json_array_get(sp, 0)), 10);
	near(json_number_value(json_array_get(sp, 4)), 8);
	assert_true(json_is_null(json_array_get(sp, 5)));

	svcj = json_array_get(json_object_get(root, "services"), 1);
	spc = json_object_get(svcj, "spc");
	assert_int_equal(json_array_size(spc), 1);
	sp = json_array_get(spc, 0);
	assert_string_equal(json_string_value(json_object_get(sp, "metric")),
	    "pct");
	assert_string_equal(json_string_value(json_object_get(sp, "label")),
	    "Contacted in 48h");
	assert_string_equal(json_string_value(json_object_get(sp, "unit")),
	    "%");
	near(num(sp, "target"), 90);
	assert_true(json_is_null(json_array_get(json_object_get(sp, "values"),
	    2)));
	assert_true(json_is_null(json_array_get(json_object_get(sp, "mean"),
	    2)));
	assert_true(json_is_null(json_array_get(json_object_get(sp,
	    "point_type"), 2)));
	near(json_number_value(json_array_get(json_object_get(sp, "mean"), 4)),
	    86);
	assert_true(json_is_true(json_object_get(sp, "trial_limits")));
	assert_true(json_is_object(json_object_get(sp, "anhoej")));
	json_decref(root);
	free_pack();
}

static char *
dupstr(const char *s)
{
	return xstrdup(s);
}

/* An analysis laid out as spc.c/profile.c will fill it (model.h);
 * analysis_free() must release all of it. */
static struct analysis *
fake_analysis(void)
{
	static const char	*types[] = { "common_cause",
				    "special_cause_improvement" };
	struct analysis		*an = xcalloc(1, sizeof(*an));
	struct spc		*s;
	size_t			 i;

	an->flow.load = NAN;
	an->nspc = 1;
	an->spc = xcalloc(1, sizeof(*an->spc));
	s = &an->spc[0];
	s->metric = dupstr("pct, done");
	s->label = dupstr("Percent done");
	s->unit = dupstr("%");
	s->improvement = IMPROVE_INCREASE;
	s->n = 5;
	s->values = xcalloc(5, sizeof(double));
	s->mean = xcalloc(5, sizeof(double));
	s->lpl = xcalloc(5, sizeof(double));
	s->upl = xcalloc(5, sizeof(double));
	s->point_type = xcalloc(5, sizeof(*s->point_type));
	for (i = 0; i < 5; i++) {
		s->values[i] = pct[i];
		s->mean[i] = 86;
		s->lpl[i] = i == 0 ? NAN : 76.5;
		s->upl[i] = 95.5;
		s->point_type[i] = i == 2 ? NULL : types[i == 3];
	}
	s->variation_type = "common_cause";
	s->variation = "common_cause";
	s->anhoej_n_useful = 4;
	s->anhoej_longest_run = 2;
	s->anhoej_longest_run_max = 5;
	s->anhoej_n_crossings = 2;
	s->anhoej_n_crossings_min = 1;
	an->weekday = xcalloc(1, sizeof(*an->weekday));
	an->weekday->n = 7;
	an->weekday->mean = xcalloc(7, sizeof(double));
	an->weekday->p10 = xcalloc(7, sizeof(double));
	an->weekday->p90 = xcalloc(7, sizeof(double));
	for (i = 0; i < 7; i++) {
		an->weekday->mean[i] = (double)i + 0.5;
		an->weekday->p10[i] = i == 6 ? NAN : (double)i;
		an->weekday->p90[i] = (double)i + 1;
	}
	return an;
}

static void
test_spc_profiles(void **state)
{
	json_t		*root, *svc, *sp, *an, *pr, *a;
	struct buf	 b;

	(void)state;
	build_pack();
	svcs[1].an = fake_analysis();
	root = export_json(&pack, "kpi");
	svc = json_array_get(json_object_get(root, "services"), 0);
	assert_true(json_is_null(json_object_get(svc, "flow")));
	assert_int_equal(json_array_size(json_object_get(svc, "spc")), 1);
	sp = json_array_get(json_object_get(svc, "spc"), 0);
	assert_string_equal(json_string_value(json_object_get(sp, "metric")),
	    "pct, done");
	assert_string_equal(json_string_value(json_object_get(sp, "label")),
	    "Percent done");
	assert_string_equal(json_string_value(json_object_get(sp,
	    "improvement")), "increase");
	assert_true(json_is_null(json_object_get(sp, "target")));
	a = json_object_get(sp, "values");
	near(json_number_value(json_array_get(a, 0)), 81);
	assert_true(json_is_null(json_array_get(a, 2)));
	assert_true(json_is_null(json_array_get(json_object_get(sp, "lpl"),
	    0)));
	near(json_number_value(json_array_get(json_object_get(sp, "upl"), 1)),
	    95.5);
	near(json_number_value(json_array_get(json_object_get(sp, "mean"), 1)),
	    86);
	a = json_object_get(sp, "point_type");
	assert_string_equal(json_string_value(json_array_get(a, 3)),
	    "special_cause_improvement");
	assert_true(json_is_null(json_array_get(a, 2)));
	assert_true(json_is_false(json_object_get(sp, "trial_limits")));
	assert_string_equal(json_string_value(json_object_get(sp,
	    "variation_type")), "common_cause");
	assert_string_equal(json_string_value(json_object_get(sp,
	    "variation")), "common_cause");
	assert_true(json_is_null(json_object_get(sp, "assurance")));
	an = json_object_get(sp, "anhoej");
	near(num(an, "n_useful"), 4);
	near(num(an, "longest_run"), 2);
	near(num(an, "longest_run_max"), 5);
	near(num(an, "n_crossings"), 2);
	near(num(an, "n_crossings_min"), 1);
	assert_true(json_is_false(json_object_get(an, "signal")));

	pr = json_object_get(svc, "profiles");
	assert_true(json_is_object(pr));
	assert_true(json_is_null(json_object_get(pr, "month")));
	assert_true(json_is_null(json_object_get(pr, "hour")));
	a = json_object_get(json_object_get(pr, "weekday"), "mean");
	assert_int_equal(json_array_size(a), 7);
	near(json_number_value(json_array_get(a, 0)), 0.5);
	assert_true(json_is_null(json_array_get(json_object_get(
	    json_object_get(pr, "weekday"), "p10"), 6)));
	json_decref(root);

	/* No profiles key without profiles; spc always an array. */
	analysis_run(&pack, 1);
	analysis_free(svcs[1].an);	/* analysis_run replaced the fake */
	svcs[1].an = fake_analysis();
	root = export_json(&pack, "idva");
	svc = json_array_get(json_object_get(root, "services"), 0);
	assert_true(json_is_array(json_object_get(svc, "spc")));
	if (svcs[0].an->weekday == NULL)
		assert_null(json_object_get(svc, "profiles"));
	json_decref(root);

	buf_init(&b);
	export_csv(&pack, &svcs[1], &b);
	assert_string_equal(b.data,
	    "date,\"pct, done\",\"pct, done_mean\",\"pct, done_lpl\","
	    "\"pct, done_upl\",\"pct, done_point_type\"\n"
	    "2024-01-01,81,86,,95.5,common_cause\n"
	    "2024-01-02,85,86,76.5,95.5,common_cause\n"
	    "2024-01-03,,86,76.5,95.5,\n"
	    "2024-01-04,90,86,76.5,95.5,special_cause_improvement\n"
	    "2024-01-05,88,86,76.5,95.5,common_cause\n");
	buf_clear(&b);
	free_pack();
}

/* The number as the jansson DOM writer held it: null when not
 * finite, integral values below 2^53 as integers, else a real. */
static json_t *
dom_num(double v)
{
	if (!isfinite(v))
		return json_null();
	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		return json_integer((json_int_t)v);
	return json_real(v);
}

/* Every number is written with the bytes jansson's dump wrote
 * (JSON_REAL_PRECISION(12): "2.0", "1e-7", "1e20"), and jansson reads
 * the one-line array back. */
static void
test_numbers_as_jansson(void **state)
{
	static const double fixed[] = {
		0, -0.0, 1, -1, 0.5, 2.5, 0.1 + 0.2, 1.0000000005,
		2.0000000000001, 1e-7, 1.5e-5, 1e-5, 0.0001, 1e15 + 0.5,
		9007199254740992.0, 1e16, 1e20, 1.5e300, -2.5e-300,
		123456789012345, 999999999999.5, 1.0 / 3, NAN, INFINITY,
		-INFINITY, 4.9406564584124654e-324,
	};
	enum { N = 4000 };
	struct analysis	*an;
	struct profile	*pr;
	json_t		*dom, *root, *a;
	char		*doc, *want, *p;
	uint64_t	 st = 7, r;
	double		 v;
	size_t		 i, nf = sizeof(fixed) / sizeof(fixed[0]);

	(void)state;
	build_pack();
	svcs[1].an = an = fake_analysis();
	pr = an->weekday;
	free(pr->mean);
	pr->n = N;
	pr->mean = xcalloc(N, sizeof(double));
	pr->p10 = xreallocarray(pr->p10, N, sizeof(double));
	pr->p90 = xreallocarray(pr->p90, N, sizeof(double));
	dom = json_array();
	for (i = 0; i < N; i++) {
		r = mix_next(&st);
		if (i < nf)
			v = fixed[i];
		else if (i % 4 == 0)
			memcpy(&v, &r, sizeof(v));	/* any double */
		else if (i % 4 == 1)
			v = (double)(r % 10000000) / 1000;
		else if (i % 4 == 2)
			v = (double)(r % 100000) / (double)(1 + r % 997);
		else
			v = ((double)(r >> 11) * 0x1p-53 - 0.5) * 1e6;
		pr->mean[i] = pr->p10[i] = pr->p90[i] = v;
		json_array_append_new(dom, dom_num(v));
	}
	p = json_dumps(dom, JSON_REAL_PRECISION(12));
	want = xasprintf("\"mean\": %s,\n", p);
	free(p);
	doc = export_json_string(&pack, "kpi");
	assert_non_null(strstr(doc, want));
	free(doc);
	free(want);

	root = export_json(&pack, "kpi");
	a = json_object_get(json_object_get(json_object_get(json_array_get(
	    json_object_get(root, "services"), 0), "profiles"), "weekday"),
	    "p90");
	assert_int_equal(json_array_size(a), N);
	for (i = 0; i < N; i++) {
		v = pr->p90[i];
		if (!isfinite(v))
			assert_true(json_is_null(json_array_get(a, i)));
		else
			near(json_number_value(json_array_get(a, i)), v);
	}
	json_decref(root);
	json_decref(dom);
	free_pack();
}

/* Strings from content are escaped as JSON; invalid UTF-8 (no JSON
 * string can hold it) is null, and the document still parses. */
static void
test_strings(void **state)
{
	json_t	*root, *svc, *sp;
	char	*doc;

	(void)state;
	build_pack();
	svcs[1].an = fake_analysis();
	svcs[1].title = "Tab\there \"q\" back\\slash\nnew \x01 \xc2\xa3 \xe2\x89\xa5 /";
	free(svcs[1].an->spc[0].label);
	svcs[1].an->spc[0].label = xstrdup("bad \xff byte");
	doc = export_json_string(&pack, "kpi");
	assert_non_null(strstr(doc, "\"title\": \"Tab\\there \\\"q\\\" "
	    "back\\\\slash\\nnew \\u0001 \xc2\xa3 \xe2\x89\xa5 /\",\n"));
	assert_non_null(strstr(doc, "\"label\": null,\n"));
	free(doc);
	root = export_json(&pack, "kpi");
	svc = json_array_get(json_object_get(root, "services"), 0);
	assert_string_equal(json_string_value(json_object_get(svc, "title")),
	    svcs[1].title);
	sp = json_array_get(json_object_get(svc, "spc"), 0);
	assert_true(json_is_null(json_object_get(sp, "label")));
	assert_string_equal(json_string_value(json_object_get(sp, "metric")),
	    "pct, done");
	json_decref(root);
	svcs[1].title = "Contacts, \"48h\"";
	free_pack();
}

/* The document is its head, each service's text and its tail, so texts
 * cached by site.c splice back byte for byte. */
static void
test_service_text(void **state)
{
	static const char	 head[] = "    {\n      \"id\": \"idva\",\n";
	char			*doc, *t0, *t1, *want;
	size_t			 l0, l1;

	(void)state;
	build_pack();
	analysis_run(&pack, 1);
	doc = export_json_string(&pack, NULL);
	t0 = export_json_service(&svcs[0], &l0);
	t1 = export_json_service(&svcs[1], &l1);
	assert_int_equal(strlen(t0), l0);
	assert_true(strncmp(t0, head, strlen(head)) == 0);
	assert_true(l1 > 6 && strcmp(t1 + l1 - 6, "\n    }") == 0);
	want = xasprintf("\"services\": [\n%s,\n%s\n  ]\n}\n", t0, t1);
	assert_non_null(strstr(doc, want));
	free(want);
	free(doc);
	doc = export_json_string(&pack, "nosuch");
	assert_non_null(strstr(doc, "\n  },\n  \"services\": []\n}\n"));
	free(doc);
	free(t0);
	free(t1);
	free_pack();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_flow),
		cmocka_unit_test(test_json_string),
		cmocka_unit_test(test_csv_flow),
		cmocka_unit_test(test_json_spc),
		cmocka_unit_test(test_spc_profiles),
		cmocka_unit_test(test_numbers_as_jansson),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_service_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
