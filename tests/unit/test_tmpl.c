/*
 * test_tmpl.c: the Mustache subset of tmpl.h: variables and escaping,
 * sections, inverted sections, partials, dotted names, context lookup,
 * standalone lines and error positions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "diag.h"
#include "tmpl.h"
#include "util.h"

#include "capture.h"

/* Renders template text with the JSON context json; checks want. */
static void
check(const char *text, const char *json, const char *want)
{
	struct tmpl_set	*set;
	json_t		*ctx;
	json_error_t	 jerr;
	struct buf	 out;

	set = tmpl_set_new();
	assert_int_equal(tmpl_set_add(set, "t", text, "t.html"), 0);
	ctx = json_loads(json, JSON_DECODE_ANY, &jerr);
	assert_non_null(ctx);
	buf_init(&out);
	assert_int_equal(tmpl_render(set, "t", ctx, &out), 0);
	buf_putc(&out, '\0');
	assert_string_equal(out.data, want);
	buf_clear(&out);
	json_decref(ctx);
	tmpl_set_free(set);
}

/* Parsing text must fail with exactly the message want on stderr. */
static void
check_parse_error(const char *text, const char *want)
{
	struct tmpl_set	*set;
	char		*err;
	int		 rc;

	set = tmpl_set_new();
	capture_start();
	rc = tmpl_set_add(set, "t", text, "templates/t.html");
	err = capture_end();
	assert_int_equal(rc, -1);
	assert_string_equal(err, want);
	free(err);
	tmpl_set_free(set);
}

static void
test_vars(void **state)
{
	(void)state;
	check("Hello, {{name}}!", "{\"name\":\"Board\"}", "Hello, Board!");
	check("{{ name }}", "{\"name\":\"x\"}", "x");
	check("[{{missing}}]", "{}", "[]");
	check("[{{n}}]", "{\"n\":null}", "[]");
	check("{{i}} {{r}} {{z}}", "{\"i\":42,\"r\":2.5,\"z\":0}", "42 2.5 0");
	check("{{big}}", "{\"big\":-9007199254740993}", "-9007199254740993");
	check("{{t}} {{f}}", "{\"t\":true,\"f\":false}", "true false");
	check("{{r}}", "{\"r\":0.1}", "0.1");
	check("no tags", "{}", "no tags");
	check("", "{}", "");
	check("{{! a comment }}x{{!another}}", "{}", "x");
	check("a { b } {c} }}", "{}", "a { b } {c} }}");
}

static void
test_escaping(void **state)
{
	(void)state;
	check("{{x}}", "{\"x\":\"<script>alert('1')</script> & \\\"q\\\"\"}",
	    "&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
	check("{{{x}}}", "{\"x\":\"<b>bold</b>\"}", "<b>bold</b>");
	check("{{& x}}", "{\"x\":\"<b>bold</b>\"}", "<b>bold</b>");
	check("{{x}}", "{\"x\":\"\\u00a3 \\u2013\"}", "\xc2\xa3 \xe2\x80\x93");
}

static void
test_sections(void **state)
{
	(void)state;
	/* Arrays iterate, with {{.}} as the item. */
	check("{{#xs}}[{{.}}]{{/xs}}", "{\"xs\":[1,\"a\",2.5]}", "[1][a][2.5]");
	check("{{#xs}}<{{name}}>{{/xs}}",
	    "{\"xs\":[{\"name\":\"a\"},{\"name\":\"b\"}]}", "<a><b>");
	check("{{#xs}}x{{/xs}}", "{\"xs\":[]}", "");
	/* Objects push context. */
	check("{{#svc}}{{title}} ({{id}}){{/svc}}",
	    "{\"svc\":{\"title\":\"IDVA\",\"id\":\"idva\"}}", "IDVA (idva)");
	/* Booleans and scalars. */
	check("{{#t}}yes{{/t}}{{#f}}no{{/f}}", "{\"t\":true,\"f\":false}",
	    "yes");
	check("{{#s}}[{{.}}]{{/s}}{{#e}}E{{/e}}", "{\"s\":\"v\",\"e\":\"\"}",
	    "[v]");
	check("{{#z}}zero is truthy{{/z}}", "{\"z\":0}", "zero is truthy");
	check("{{#n}}x{{/n}}{{#m}}y{{/m}}", "{\"n\":null}", "");
	/* Nested arrays. */
	check("{{#rows}}{{#cells}}{{.}},{{/cells}};{{/rows}}",
	    "{\"rows\":[{\"cells\":[1,2]},{\"cells\":[3]}]}", "1,2,;3,;");
}

static void
test_inverted(void **state)
{
	(void)state;
	check("{{^x}}none{{/x}}", "{}", "none");
	check("{{^x}}none{{/x}}", "{\"x\":null}", "none");
	check("{{^x}}none{{/x}}", "{\"x\":false}", "none");
	check("{{^x}}none{{/x}}", "{\"x\":[]}", "none");
	check("{{^x}}none{{/x}}", "{\"x\":\"\"}", "none");
	check("{{^x}}none{{/x}}", "{\"x\":0}", "");
	check("{{^x}}none{{/x}}", "{\"x\":[1]}", "");
	check("{{^x}}none{{/x}}", "{\"x\":{}}", "");
	check("{{#xs}}{{.}}{{/xs}}{{^xs}}empty{{/xs}}", "{\"xs\":[]}",
	    "empty");
}

static void
test_dotted_and_parent(void **state)
{
	(void)state;
	check("{{pack.title}}", "{\"pack\":{\"title\":\"P\"}}", "P");
	check("{{a.b.c}}", "{\"a\":{\"b\":{\"c\":3}}}", "3");
	check("[{{a.x.c}}]", "{\"a\":{\"b\":{\"c\":3}}}", "[]");
	check("[{{a.b.c}}]", "{\"a\":{\"b\":5}}", "[]");
	check("{{#a.b}}{{c}}{{/a.b}}", "{\"a\":{\"b\":{\"c\":\"in\"}}}", "in");
	/* Not found in the item: looked up in the parents. */
	check("{{#services}}{{id}}@{{pack.title}};{{/services}}",
	    "{\"pack\":{\"title\":\"P\"},\"services\":[{\"id\":\"a\"},"
	    "{\"id\":\"b\"}]}", "a@P;b@P;");
	check("{{#outer}}{{#inner}}{{x}}{{y}}{{/inner}}{{/outer}}",
	    "{\"y\":\"top\",\"outer\":{\"x\":\"o\",\"inner\":{\"z\":1}}}",
	    "otop");
	/* The innermost binding wins. */
	check("{{#a}}{{x}}{{/a}}", "{\"x\":1,\"a\":{\"x\":2}}", "2");
	/* Dotted: the first part resolves through the stack, then strict. */
	check("{{#a}}[{{b.c}}]{{/a}}",
	    "{\"b\":{\"c\":\"top\"},\"a\":{\"b\":{}}}", "[]");
	check("{{.}}", "\"root\"", "root");
}

static void
test_standalone(void **state)
{
	(void)state;
	check("<ul>\n  {{#xs}}\n  <li>{{.}}</li>\n  {{/xs}}\n</ul>\n",
	    "{\"xs\":[1,2]}", "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n");
	check("a\n{{! note }}\nb\n", "{}", "a\nb\n");
	check("a\r\n{{#t}}\r\nb\r\n{{/t}}\r\n", "{\"t\":true}", "a\r\nb\r\n");
	/* Not standalone: other content on the line. */
	check("x {{#t}}y{{/t}} z\n", "{\"t\":true}", "x y z\n");
	check("{{#t}}\n{{v}}\n{{/t}}", "{\"t\":true,\"v\":1}", "1\n");
}

static void
test_partials(void **state)
{
	struct tmpl_set	*set;
	json_t		*ctx;
	struct buf	 out;

	(void)state;
	set = tmpl_set_new();
	assert_int_equal(tmpl_set_add(set, "page",
	    "<main>{{#items}}{{> item}}{{/items}}</main>{{> footer}}",
	    "page.html"), 0);
	assert_int_equal(tmpl_set_add(set, "item", "<p>{{name}} of {{org}}</p>",
	    "item.html"), 0);
	assert_int_equal(tmpl_set_add(set, "footer", "<footer>{{org}}</footer>",
	    "footer.html"), 0);
	ctx = json_pack("{s:s, s:[{s:s},{s:s}]}", "org", "Org",
	    "items", "name", "A", "name", "B");
	assert_non_null(ctx);
	buf_init(&out);
	assert_int_equal(tmpl_render(set, "page", ctx, &out), 0);
	assert_string_equal(out.data,
	    "<main><p>A of Org</p><p>B of Org</p></main><footer>Org</footer>");

	/* Rendering many times gives the same bytes; a replaced template
	 * takes effect. */
	out.len = 0;
	assert_int_equal(tmpl_set_add(set, "footer", "<f/>", "footer.html"),
	    0);
	assert_int_equal(tmpl_render(set, "page", ctx, &out), 0);
	assert_string_equal(out.data,
	    "<main><p>A of Org</p><p>B of Org</p></main><f/>");
	buf_clear(&out);
	json_decref(ctx);
	tmpl_set_free(set);
}

static void
test_parse_errors(void **state)
{
	(void)state;
	check_parse_error("line one\n  {{#items}}\n  x\n",
	    "templates/t.html:2:3: error: unclosed section \"items\"\n");
	check_parse_error("{{#a}}\n{{#b}}x{{/a}}\n",
	    "templates/t.html:2:8: error: closing tag \"a\" does not match "
	    "section \"b\" opened at 2:1\n");
	check_parse_error("ok\nbad {{/x}}",
	    "templates/t.html:2:5: error: closing tag \"x\" without an open "
	    "section\n");
	check_parse_error("a\nb {{name\n",
	    "templates/t.html:2:3: error: unclosed tag\n");
	check_parse_error("{{{raw}}\n",
	    "templates/t.html:1:1: error: unclosed tag\n");
	check_parse_error("x{{ }}",
	    "templates/t.html:1:2: error: empty tag\n");
	check_parse_error("{{=<% %>=}}",
	    "templates/t.html:1:1: error: changing delimiters is not "
	    "supported\n");
}

static void
test_render_errors(void **state)
{
	struct tmpl_set	*set;
	json_t		*ctx;
	struct buf	 out;
	char		*err;

	(void)state;
	set = tmpl_set_new();
	ctx = json_object();
	buf_init(&out);
	assert_int_equal(tmpl_set_add(set, "a", "x\n  {{> nope}}", "a.html"),
	    0);
	capture_start();
	assert_int_equal(tmpl_render(set, "a", ctx, &out), -1);
	err = capture_end();
	assert_string_equal(err,
	    "a.html:2:3: error: unknown partial \"nope\"\n");
	free(err);

	assert_int_equal(tmpl_set_add(set, "loop", "x{{> loop}}", "loop.html"),
	    0);
	capture_start();
	out.len = 0;
	assert_int_equal(tmpl_render(set, "loop", ctx, &out), -1);
	err = capture_end();
	assert_string_equal(err, "loop.html:1:2: error: partials nested "
	    "too deeply (limit 32)\n");
	free(err);

	capture_start();
	assert_int_equal(tmpl_render(set, "missing", ctx, &out), -1);
	err = capture_end();
	assert_non_null(strstr(err, "unknown template \"missing\""));
	free(err);

	buf_clear(&out);
	json_decref(ctx);
	tmpl_set_free(set);
}

static void
test_load(void **state)
{
	char		 dir[] = "/tmp/test_tmpl.XXXXXX";
	char		*p;
	struct tmpl_set	*set;
	json_t		*ctx;
	struct buf	 out;
	char		*err;

	(void)state;
	assert_non_null(mkdtemp(dir));
	p = util_path_join(dir, "page.html");
	assert_int_equal(util_file_write(p, "<h1>{{t}}</h1>{{> foot}}", 24), 0);
	free(p);
	p = util_path_join(dir, "foot.html");
	assert_int_equal(util_file_write(p, "<hr>", 4), 0);
	free(p);
	p = util_path_join(dir, "notes.txt");
	assert_int_equal(util_file_write(p, "{{#bad}}", 8), 0);
	free(p);

	set = tmpl_set_load(dir);
	assert_non_null(set);
	ctx = json_pack("{s:s}", "t", "T");
	buf_init(&out);
	assert_int_equal(tmpl_render(set, "page", ctx, &out), 0);
	assert_string_equal(out.data, "<h1>T</h1><hr>");
	buf_clear(&out);
	json_decref(ctx);
	tmpl_set_free(set);

	/* A bad template fails the whole load, with its position. */
	p = util_path_join(dir, "bad.html");
	assert_int_equal(util_file_write(p, "\n{{#x}}", 7), 0);
	capture_start();
	set = tmpl_set_load(dir);
	err = capture_end();
	assert_null(set);
	assert_non_null(strstr(err, "bad.html:2:1: error: unclosed section"));
	free(err);
	unlink(p);
	free(p);

	p = util_path_join(dir, "page.html");
	unlink(p);
	free(p);
	p = util_path_join(dir, "foot.html");
	unlink(p);
	free(p);
	p = util_path_join(dir, "notes.txt");
	unlink(p);
	free(p);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vars),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_inverted),
		cmocka_unit_test(test_dotted_and_parent),
		cmocka_unit_test(test_standalone),
		cmocka_unit_test(test_partials),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_render_errors),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
