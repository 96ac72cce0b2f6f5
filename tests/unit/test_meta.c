/*
 * test_meta.c: YAML tree positions, typed getters, the SPEC 3.1 and 3.2
 * schemas (meta_pack, meta_service), and content_load on a small pack
 * written to a temporary directory (ordering, bodies, pack_free).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "content.h"
#include "diag.h"
#include "meta.h"
#include "util.h"

static struct meta_node *
parse(const char *y)
{
	return meta_parse(y, strlen(y), "t.md", 2);
}

static void
test_positions(void **state)
{
	struct meta_node	*r;
	const struct meta_node	*v, *k;

	(void)state;
	diag_reset();
	r = parse("a: 1\n# comment\nb:\n  c: x y\n  d: [1, \"2\"]\n");
	assert_non_null(r);
	assert_int_equal(r->kind, META_MAP);
	assert_int_equal(r->n, 2);
	v = meta_get(r, "a", &k);
	assert_int_equal(k->line, 2);
	assert_int_equal(k->col, 1);
	assert_int_equal(v->line, 2);
	assert_int_equal(v->col, 4);
	v = meta_get(meta_get(r, "b", NULL), "c", &k);
	assert_string_equal(v->str, "x y");
	assert_int_equal(k->line, 5);
	assert_int_equal(k->col, 3);
	v = meta_get(meta_get(r, "b", NULL), "d", NULL);
	assert_int_equal(v->kind, META_SEQ);
	assert_int_equal(v->n, 2);
	assert_false(v->items[1].plain);
	assert_null(meta_get(r, "zz", NULL));
	meta_free(r);
	/* Empty front matter: an empty map. */
	r = parse("");
	assert_non_null(r);
	assert_int_equal(r->n, 0);
	meta_free(r);
	assert_int_equal(diag_errors(), 0);
}

static void
test_rejects(void **state)
{
	struct meta_node	*r;

	(void)state;
	diag_reset();
	assert_null(parse("a: [1, 2\n"));
	assert_int_equal(diag_errors(), 1);
	diag_reset();
	assert_null(parse("a: &x 1\nb: *x\n"));
	assert_int_equal(diag_errors(), 2);
	diag_reset();
	assert_null(parse("- 1\n- 2\n"));
	assert_int_equal(diag_errors(), 1);
	/* Duplicate keys are reported, the first value kept. */
	diag_reset();
	r = parse("a: 1\na: 2\nb: 3\n");
	assert_non_null(r);
	assert_int_equal(diag_errors(), 1);
	assert_int_equal(r->n, 2);
	assert_string_equal(meta_get(r, "a", NULL)->str, "1");
	meta_free(r);
}

static void
test_getters(void **state)
{
	static const char *const allowed[] = { "num", "list", "nan", "inf",
	    "int", "frac", "yes", "bad", "str", "nul", NULL };
	struct meta_node	*r;
	double			 d;
	long			 l;
	bool			 b;
	char			*s;

	(void)state;
	diag_reset();
	r = parse("num: 1.5e2\nlist: [1]\nnan: .nan\ninf: -.Inf\nint: 42\n"
	    "frac: 1.5\nyes: Yes\nbad: maybe\nstr: 7\nnul: ~\nnmu: 1\n");
	assert_non_null(r);
	assert_true(meta_number(meta_get(r, "num", NULL), "t", "num", &d));
	assert_true(d == 150);
	assert_false(meta_number(meta_get(r, "list", NULL), "t", "list", &d));
	assert_false(meta_number(meta_get(r, "nan", NULL), "t", "nan", &d));
	assert_false(meta_number(meta_get(r, "inf", NULL), "t", "inf", &d));
	assert_true(meta_integer(meta_get(r, "int", NULL), "t", "int", &l));
	assert_int_equal(l, 42);
	assert_false(meta_integer(meta_get(r, "frac", NULL), "t", "f", &l));
	assert_true(meta_bool(meta_get(r, "yes", NULL), "t", "yes", &b));
	assert_true(b);
	assert_false(meta_bool(meta_get(r, "bad", NULL), "t", "bad", &b));
	assert_true(meta_string(meta_get(r, "str", NULL), "t", "str", &s));
	assert_string_equal(s, "7");
	free(s);
	assert_true(meta_is_null(meta_get(r, "nul", NULL)));
	assert_false(meta_string(meta_get(r, "nul", NULL), "t", "nul", &s));
	assert_int_equal(diag_errors(), 6);
	assert_int_equal(meta_check_keys(r, "t", allowed), 1);	/* nmu */
	meta_free(r);
}

static char *tmpdir;

static void
put(const char *rel, const char *text)
{
	char	*p = util_path_join(tmpdir, rel);

	assert_int_equal(util_file_write(p, text, strlen(text)), 0);
	free(p);
}

static int
setup(void **state)
{
	char	 tmpl[] = "/tmp/bp-test-meta-XXXXXX";

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	tmpdir = xstrdup(tmpl);
	put("boardpack.yml", "title: Pack\ndate: 2024-12-31\n"
	    "key_issues: [one, two]\nmail:\n  from: a@b.org\n");
	put("index.md", "# Summary\n\nText.\n");
	put("data/x.csv", "date,referrals,staff,waiting,pct\n"
	    "2024-01-01,10,2,5,80\n2024-01-02,11,2,,81\n"
	    "2024-01-03,12,2,7,\n");
	put("services/b.md", "---\ntitle: B\norder: 2\ndata: ../data/x.csv\n"
	    "period: day\ndemand:\n  column: referrals\n"
	    "  minutes_per_case: 60\ncapacity:\n  resources: 2\n"
	    "  minutes_per_resource: 240\nbacklog:\n  column: waiting\n"
	    "  start: 20\ntarget_wait_days: 28\nqueue:\n  factor: 3\n"
	    "metrics:\n  - column: pct\n    improvement: decrease\n"
	    "    target: 90\n    rebase: [2024-01-02]\n    fix_after: 12\n"
	    "    screen_outliers: false\nscenarios:\n  - name: More\n"
	    "    capacity_add: 1\n    cost_per_period: 180\n"
	    "simulation:\n  horizon: 10\n  paths: 100\n  seed: 0\n---\n"
	    "Body of b.\n");
	put("services/a.md", "---\ntitle: A\n---\nBody of a.\n");
	put("services/c.md", "---\ntitle: C\norder: 1\n---\n");
	put("services/notes.txt", "ignored\n");
	return 0;
}

static int
teardown(void **state)
{
	char	*cmd;

	(void)state;
	cmd = xasprintf("rm -rf '%s'", tmpdir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(tmpdir);
	return 0;
}

static void
test_content_load(void **state)
{
	struct pack		*p;
	const struct service	*s;
	const double		*v;

	(void)state;
	diag_reset();
	p = content_load(tmpdir);
	assert_non_null(p);
	assert_int_equal(diag_errors(), 0);
	assert_string_equal(p->title, "Pack");
	assert_string_equal(p->theme, "nhs");
	assert_string_equal(p->date, "2024-12-31");
	assert_int_equal(p->nkey_issues, 2);
	assert_string_equal(p->mail_from, "a@b.org");
	assert_null(p->mail_subject);
	assert_string_equal(p->index_body, "# Summary\n\nText.\n");
	assert_int_equal(p->index_line, 1);

	/* order 1, order 2, then no order. */
	assert_int_equal(p->nservices, 3);
	assert_string_equal(p->services[0].id, "c");
	assert_string_equal(p->services[1].id, "b");
	assert_string_equal(p->services[2].id, "a");
	assert_string_equal(p->services[0].body, "");
	assert_int_equal(p->services[2].body_line, 4);
	assert_null(p->services[2].series);

	s = content_service(p, "b");
	assert_non_null(s);
	assert_null(content_service(p, "zz"));
	assert_int_equal(s->body_line, 34);
	assert_string_equal(s->body, "Body of b.\n");
	assert_true(s->has_order && s->order == 2);
	assert_true(s->has_demand && s->has_capacity);
	assert_null(s->capacity_column);
	assert_true(s->resources == 2 && s->minutes_per_resource == 240);
	assert_string_equal(s->backlog_column, "waiting");
	assert_true(s->backlog_start == 20 && s->queue_factor == 3);
	assert_false(s->has_relief_periods);
	assert_string_equal(s->date_column, "date");
	assert_int_equal(s->nmetrics, 1);
	assert_string_equal(s->metrics[0].label, "pct");
	assert_int_equal(s->metrics[0].improvement, IMPROVE_DECREASE);
	assert_int_equal(s->metrics[0].nrebase, 1);
	assert_int_equal(s->metrics[0].rebase[0],
	    util_days_from_civil(2024, 1, 2));
	assert_int_equal(s->metrics[0].fix_after, 12);
	assert_false(s->metrics[0].screen_outliers);
	assert_int_equal(s->metrics[0].pos.line, 19);
	assert_int_equal(s->nscenarios, 1);
	assert_true(s->scenarios[0].capacity_factor == 1 &&
	    s->scenarios[0].demand_factor == 1 &&
	    s->scenarios[0].capacity_add == 1);
	assert_true(s->has_simulation && s->sim_horizon == 10 &&
	    s->sim_paths == 100 && s->sim_seed == 0);

	assert_non_null(s->series);
	assert_int_equal(s->series->n, 3);
	assert_int_equal(s->series->ncols, 3);
	v = series_column(s->series, "waiting");
	assert_true(isnan(v[1]) && v[2] == 7);
	pack_free(p);
	pack_free(NULL);
}

static void
test_content_errors(void **state)
{
	struct pack	*p;
	char		*dir;

	(void)state;
	diag_reset();
	assert_null(content_load("/nonexistent/boardpack"));
	assert_int_equal(diag_errors(), 1);

	put("services/b.md", "---\ntitle: B\ndata: ../data/x.csv\n"
	    "metrics:\n  - column: pcnt\n---\n");
	put("services/Bad.md", "---\ntitle: Bad\n---\n");
	diag_reset();
	p = content_load(tmpdir);
	assert_non_null(p);
	/* "pcnt" not found; bad id. */
	assert_int_equal(diag_errors(), 2);
	assert_int_equal(p->nservices, 3);
	pack_free(p);

	dir = util_path_join(tmpdir, "empty");
	assert_int_equal(util_mkdirs(dir), 0);
	put("empty/boardpack.yml", "date: tomorrow\n");
	diag_reset();
	p = content_load(dir);
	assert_non_null(p);
	/* no title, bad date, no services */
	assert_int_equal(diag_errors(), 3);
	pack_free(p);
	free(dir);
}

/* Nesting past META_MAX_DEPTH and alias bombs: errors, no tree, and a
 * bounded number of messages. */
static void
test_limits(void **state)
{
	struct meta_node *n;
	struct buf	 b;
	int		 i, j;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "a: ");
	for (i = 0; i < 10000; i++)
		buf_putc(&b, '[');
	for (i = 0; i < 10000; i++)
		buf_putc(&b, ']');
	diag_reset();
	assert_null(meta_parse(b.data, b.len, "t.md", 2));
	assert_int_equal(diag_errors(), 1);

	b.len = 0;
	buf_puts(&b, "a: ");
	for (i = 0; i < META_MAX_DEPTH - 1; i++)
		buf_putc(&b, '[');
	for (i = 0; i < META_MAX_DEPTH - 1; i++)
		buf_putc(&b, ']');
	diag_reset();
	n = meta_parse(b.data, b.len, "t.md", 2);
	assert_non_null(n);
	assert_int_equal(diag_errors(), 0);
	meta_free(n);

	/* billion laughs: 9 anchors, 72 aliases, never expanded */
	b.len = 0;
	buf_puts(&b, "l0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
	for (i = 1; i < 9; i++) {
		buf_printf(&b, "l%d: &a%d [", i, i);
		for (j = 0; j < 9; j++)
			buf_printf(&b, "%s*a%d", j ? ", " : "", i - 1);
		buf_puts(&b, "]\n");
	}
	diag_reset();
	assert_null(meta_parse(b.data, b.len, "t.md", 2));
	assert_int_equal(diag_errors(), META_MAX_ERRORS + 1);
	buf_clear(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_getters),
		cmocka_unit_test(test_content_load),
		cmocka_unit_test(test_content_errors),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
