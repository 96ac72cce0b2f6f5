/*
 * test_serve.c: the pure helpers of the preview server (serve.h): URL
 * decoding, path sanitising against traversal, content types, the
 * root-containment check, the status JSON and the error banner.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "serve.h"

/* Decodes a copy of in and checks the result and its length. */
static void
check_decode(const char *in, const char *want)
{
	char	 s[256];
	size_t	 n;

	assert_true(strlen(in) < sizeof(s));
	memcpy(s, in, strlen(in) + 1);
	n = serve_url_decode(s);
	assert_string_equal(s, want);
	assert_int_equal(n, strlen(want));
}

static void
test_decode(void **state)
{
	(void)state;
	check_decode("", "");
	check_decode("/index.html", "/index.html");
	check_decode("/a%20b", "/a b");
	check_decode("/%2e%2e/%2E%2E/etc", "/../../etc");
	check_decode("/%2fetc", "//etc");
	check_decode("/caf%C3%A9", "/caf\xc3\xa9");
	check_decode("/100%", "/100%");		/* malformed: kept */
	check_decode("/%zz%4", "/%zz%4");
	check_decode("/a%00b", "/a%00b");	/* never a NUL */
	check_decode("/a+b", "/a+b");		/* '+' is not a space */
	check_decode("%252e", "%2e");		/* decoded once only */
}

/* Cleans url and checks the result (NULL = refused). */
static void
check_clean(const char *url, const char *want)
{
	char	*got = serve_clean_path(url);

	if (want == NULL) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
test_clean_ok(void **state)
{
	(void)state;
	check_clean("/", "");
	check_clean("/index.html", "index.html");
	check_clean("/services/idva.html", "services/idva.html");
	check_clean("//services///idva.html", "services/idva.html");
	check_clean("/services/", "services");
	check_clean("/a b/caf\xc3\xa9.csv", "a b/caf\xc3\xa9.csv");
	check_clean("/v1.2/x..y", "v1.2/x..y");	/* dots inside: fine */
}

static void
test_clean_traversal(void **state)
{
	(void)state;
	check_clean(NULL, NULL);
	check_clean("", NULL);
	check_clean("index.html", NULL);		/* not absolute */
	check_clean("/..", NULL);
	check_clean("/../etc/passwd", NULL);
	check_clean("/services/../../etc/passwd", NULL);
	check_clean("/services/..", NULL);
	check_clean("/./index.html", NULL);
	check_clean("/.boardpack", NULL);		/* hidden files */
	check_clean("/services/.hidden/x", NULL);
	check_clean("/..\\..\\etc", NULL);		/* backslash */
	check_clean("/a\nb", NULL);			/* control chars */
	check_clean("/a\x7f", NULL);
}

static void
test_clean_after_decode(void **state)
{
	char	 s[] = "/%2e%2e/%2e%2e/etc/passwd";

	(void)state;
	serve_url_decode(s);
	check_clean(s, NULL);
}

static void
test_content_type(void **state)
{
	(void)state;
	assert_string_equal(serve_content_type("index.html"),
	    "text/html; charset=utf-8");
	assert_string_equal(serve_content_type("/x/INDEX.HTM"),
	    "text/html; charset=utf-8");
	assert_string_equal(serve_content_type("assets/style.css"),
	    "text/css; charset=utf-8");
	assert_string_equal(serve_content_type("a.svg"), "image/svg+xml");
	assert_string_equal(serve_content_type("analysis.json"),
	    "application/json");
	assert_string_equal(serve_content_type("data/idva.csv"),
	    "text/csv; charset=utf-8");
	assert_string_equal(serve_content_type("pdf/idva.pdf"),
	    "application/pdf");
	assert_string_equal(serve_content_type("i.png"), "image/png");
	assert_string_equal(serve_content_type("search.js"),
	    "text/javascript; charset=utf-8");
	assert_string_equal(serve_content_type("README"),
	    "application/octet-stream");
	assert_string_equal(serve_content_type("v1.2/README"),
	    "application/octet-stream");
	assert_string_equal(serve_content_type("x.html.bak"),
	    "application/octet-stream");
}

static void
test_inside(void **state)
{
	(void)state;
	assert_true(serve_inside("/srv/out", "/srv/out"));
	assert_true(serve_inside("/srv/out", "/srv/out/index.html"));
	assert_true(serve_inside("/srv/out/", "/srv/out/a/b.css"));
	assert_false(serve_inside("/srv/out", "/srv/output/x"));
	assert_false(serve_inside("/srv/out", "/srv/ou"));
	assert_false(serve_inside("/srv/out", "/etc/passwd"));
	assert_true(serve_inside("/", "/etc/passwd"));
}

static void
test_status_json(void **state)
{
	char	*j;

	(void)state;
	j = serve_status_json(true, 1, 0, NULL);
	assert_string_equal(j, "{\"ok\": true, \"builds\": 1, \"failures\": 0, "
	    "\"errors\": \"\"}\n");
	free(j);
	j = serve_status_json(false, 3, 2,
	    "a.yml:2:1: error: \"x\" \\ bad\n\t\xff\xc3\xa9");
	assert_string_equal(j, "{\"ok\": false, \"builds\": 3, "
	    "\"failures\": 2, \"errors\": \"a.yml:2:1: error: \\\"x\\\" "
	    "\\\\ bad\\n\\u0009\\ufffd\xc3\xa9\"}\n");
	free(j);
}

static void
test_banner(void **state)
{
	const char	*html = "<html><body class=\"x\"><h1>T</h1></body>";
	char		*out;
	size_t		 n;

	(void)state;
	out = serve_banner(html, strlen(html), "f.md:1:1: error: <b>", &n);
	assert_int_equal(n, strlen(out));
	assert_memory_equal(out, "<html><body class=\"x\"><div role=\"alert\"",
	    38);
	assert_non_null(strstr(out, "f.md:1:1: error: &lt;b&gt;"));
	assert_non_null(strstr(out, "</div><h1>T</h1></body>"));
	free(out);
	/* No <body>: the banner goes first; <bodyx> is not a body tag. */
	out = serve_banner("<bodyx>hi", 9, NULL, &n);
	assert_memory_equal(out, "<div role=\"alert\"", 17);
	assert_non_null(strstr(out, "</div><bodyx>hi"));
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_clean_ok),
		cmocka_unit_test(test_clean_traversal),
		cmocka_unit_test(test_clean_after_decode),
		cmocka_unit_test(test_content_type),
		cmocka_unit_test(test_inside),
		cmocka_unit_test(test_status_json),
		cmocka_unit_test(test_banner),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
