/*
 * test_esc.c: the escapers of esc.h, one context at a time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "esc.h"
#include "util.h"

typedef void (*escfn)(struct buf *, const char *, size_t);

/* Runs fn over in[0..len) and checks the result is want. */
static void
check_len(escfn fn, const char *in, size_t len, const char *want)
{
	struct buf	 b;

	buf_init(&b);
	fn(&b, in, len);
	buf_putc(&b, '\0');
	assert_string_equal(b.data, want);
	buf_clear(&b);
}

static void
check(escfn fn, const char *in, const char *want)
{
	check_len(fn, in, strlen(in), want);
}

static void
test_html(void **state)
{
	(void)state;
	check(esc_html, "", "");
	check(esc_html, "plain text", "plain text");
	check(esc_html, "<script>alert(\"x\")</script>",
	    "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
	check(esc_html, "Tom & Jerry's", "Tom &amp; Jerry&#39;s");
	check(esc_html, "&amp;", "&amp;amp;");
	/* Multi-byte UTF-8 passes through: pound, en dash, >=, emoji. */
	check(esc_html, "\xc2\xa3" "5 \xe2\x80\x93 \xe2\x89\xa5 \xf0\x9f\x98\x80",
	    "\xc2\xa3" "5 \xe2\x80\x93 \xe2\x89\xa5 \xf0\x9f\x98\x80");
	/* Tab, LF, CR kept; other C0 controls and DEL dropped. */
	check(esc_html, "a\tb\nc\rd", "a\tb\nc\rd");
	check(esc_html, "a\x01" "b\x1f" "c\x7f" "d", "abcd");
	check_len(esc_html, "a\0b", 3, "ab");
}

static void
test_html_bad_utf8(void **state)
{
	(void)state;
	/* Lone continuation, truncated sequence, overlong, surrogate. */
	check(esc_html, "a\x80" "b", "a\xef\xbf\xbd" "b");
	check(esc_html, "a\xe2\x82", "a\xef\xbf\xbd\xef\xbf\xbd");
	check(esc_html, "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");
	check(esc_html, "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	check(esc_html, "\xf5\x80\x80\x80" "<",
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd&lt;");
	check(esc_html, "\xff", "\xef\xbf\xbd");
}

static void
test_attr(void **state)
{
	(void)state;
	check(esc_attr, "\" onmouseover=\"alert(1)",
	    "&quot; onmouseover=&quot;alert(1)");
	check(esc_attr, "it's <b>", "it&#39;s &lt;b&gt;");
	check(esc_attr, "caf\xc3\xa9", "caf\xc3\xa9");
}

static void
test_url_allowed(void **state)
{
	(void)state;
	check(esc_url, "https://example.org/a?b=1&c=2#top",
	    "https://example.org/a?b=1&amp;c=2#top");
	check(esc_url, "HTTP://EXAMPLE.ORG/", "HTTP://EXAMPLE.ORG/");
	check(esc_url, "mailto:insight@example.org",
	    "mailto:insight@example.org");
	check(esc_url, "services/idva.html", "services/idva.html");
	check(esc_url, "../index.html#ipr", "../index.html#ipr");
	check(esc_url, "#top", "#top");
	check(esc_url, "/a:b", "/a:b");
	check(esc_url, "?q=a:b", "?q=a:b");
	check(esc_url, "//example.org/x", "//example.org/x");
	check(esc_url, "", "");
}

static void
test_url_encoding(void **state)
{
	(void)state;
	check(esc_url, "a b\"c<d>", "a%20b%22c%3Cd%3E");
	check(esc_url, "it's", "it&#39;s");
	check(esc_url, "100%25", "100%25");
	check(esc_url, "100%", "100%25");
	check(esc_url, "%zz", "%25zz");
	check(esc_url, "caf\xc3\xa9.html", "caf%C3%A9.html");
	check(esc_url, "a\\b{c}|^`", "a%5Cb%7Bc%7D%7C%5E%60");
	check(esc_url, "  https://x.org/", "https://x.org/");
}

static void
test_url_rejected(void **state)
{
	(void)state;
	check(esc_url, "javascript:alert(1)", "#");
	check(esc_url, "JavaScript:alert(1)", "#");
	check(esc_url, "  javascript:alert(1)", "#");
	check(esc_url, "\x01\x02javascript:alert(1)", "#");
	check(esc_url, "java\tscript:alert(1)", "#");
	check(esc_url, "java\nscript:alert(1)", "#");
	check(esc_url, "data:text/html;base64,PHNjcmlwdD4=", "#");
	check(esc_url, "vbscript:msgbox", "#");
	check(esc_url, "file:///etc/passwd", "#");
	check(esc_url, "ftp://example.org/", "#");
	check(esc_url, "https\x01://x", "#");
}

static void
test_xml(void **state)
{
	(void)state;
	check(esc_xml, "<text x=\"1\">A & B's</text>",
	    "&lt;text x=&quot;1&quot;&gt;A &amp; B&apos;s&lt;/text&gt;");
	check(esc_xml, "a\x01" "b\x0b" "c\x0c" "d\te\nf\rg",
	    "abcd\te\nf\rg");
	check_len(esc_xml, "x\0y", 3, "xy");
	check(esc_xml, "\xc2\xa3\xe2\x89\xa5", "\xc2\xa3\xe2\x89\xa5");
	check(esc_xml, "\xef\xbf\xbf" "a", "a");
	check(esc_xml, "a\xfe" "b", "a\xef\xbf\xbd" "b");
}

static void
test_csv(void **state)
{
	(void)state;
	check(esc_csv, "", "");
	check(esc_csv, "12.5", "12.5");
	check(esc_csv, "a,b", "\"a,b\"");
	check(esc_csv, "say \"hi\"", "\"say \"\"hi\"\"\"");
	check(esc_csv, "two\nlines", "\"two\nlines\"");
	check(esc_csv, "cr\r", "\"cr\r\"");
	check(esc_csv, " padded", "\" padded\"");
	check(esc_csv, "\xc2\xa3" "5", "\xc2\xa3" "5");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_html_bad_utf8),
		cmocka_unit_test(test_attr),
		cmocka_unit_test(test_url_allowed),
		cmocka_unit_test(test_url_encoding),
		cmocka_unit_test(test_url_rejected),
		cmocka_unit_test(test_xml),
		cmocka_unit_test(test_csv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
