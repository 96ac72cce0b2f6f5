/*
 * test_search.c: the offline search index and contents list (search.c):
 * the script is one assignment of valid JSON, and nothing in the
 * content can end a <script> element or a JavaScript string.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "search.h"
#include "util.h"

static const char prefix[] = "window.BOARDPACK_INDEX = ";

/* A two-service pack whose strings try to break out of the script. */
static void
pack_fill(struct pack *p, struct service *s, struct metric_def *m)
{
	memset(p, 0, sizeof(*p));
	memset(s, 0, 2 * sizeof(*s));
	memset(m, 0, sizeof(*m));
	p->title = "Pack </script><script>alert(1)</script>";
	p->index_body = "Summary with a \xe2\x80\xa8 line separator and "
	    "**bold** words.\n";
	p->index_path = "content/index.md";
	p->index_line = 1;
	s[0].id = "help";
	s[0].title = "Help & \"advice\" <!--";
	s[0].owner = "Head \xe2\x80\xa9 of help";
	s[0].has_demand = s[0].has_capacity = true;
	s[0].body = "One two three.\n";
	s[1].id = "survey";
	s[1].domain = "Caring";
	s[1].nmetrics = 1;
	s[1].metrics = m;
	m->column = "sat";
	m->label = "Clients satisfied";
	p->services = s;
	p->nservices = 2;
}

static void
test_index_script(void **state)
{
	struct pack		 p;
	struct service		 s[2];
	struct metric_def	 m;
	struct buf		 b;
	json_t			*j, *e;
	json_error_t		 err;
	char			*body, *end;

	(void)state;
	pack_fill(&p, s, &m);
	buf_init(&b);
	search_index_js(&p, NULL, &b);
	assert_non_null(b.data);
	assert_null(strstr(b.data, "</"));
	assert_null(strstr(b.data, "<!--"));
	assert_null(strstr(b.data, "\xe2\x80\xa8"));
	assert_null(strstr(b.data, "\xe2\x80\xa9"));
	body = strstr(b.data, prefix);
	assert_non_null(body);
	body += strlen(prefix);
	end = strrchr(body, ';');
	assert_non_null(end);
	*end = '\0';
	j = json_loads(body, 0, &err);
	assert_non_null(j);
	assert_int_equal(json_array_size(j), 3);
	e = json_array_get(j, 0);
	assert_string_equal(json_string_value(json_object_get(e, "title")),
	    "Pack </script><script>alert(1)</script>");
	assert_string_equal(json_string_value(json_object_get(e, "url")),
	    "index.html");
	assert_non_null(strstr(json_string_value(json_object_get(e, "text")),
	    "and bold words."));
	e = json_array_get(j, 1);
	assert_string_equal(json_string_value(json_object_get(e, "url")),
	    "services/help.html");
	assert_int_equal(json_array_size(json_object_get(e, "measures")), 3);
	assert_string_equal(json_string_value(json_object_get(e, "text")),
	    "One two three.");
	e = json_array_get(j, 2);
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(e, "measures"), 0)), "Clients satisfied");
	json_decref(j);
	buf_clear(&b);
}

static void
test_contents(void **state)
{
	struct pack		 p;
	struct service		 s[2];
	struct metric_def	 m;
	json_t			*a;

	(void)state;
	pack_fill(&p, s, &m);
	a = search_contents_json(&p, "services/");
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(a, 0), "href")), "services/help.html");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(a, 0), "measures")), "Demand; Capacity; Backlog");
	/* No title: the id stands in. */
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(a, 1), "title")), "survey");
	json_decref(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_script),
		cmocka_unit_test(test_contents),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
