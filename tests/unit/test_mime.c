/*
 * test_mime.c: the MIME parts of the e-mail stage (mime.c): base64
 * (RFC 4648 vectors), quoted-printable, address checks, RFC 2047
 * headers (folding, round trips, injection attempts), Date, Message-ID
 * and whole messages (structure, line lengths, determinism).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mime.h"
#include "util.h"

static void
check_b64(const char *in, size_t len, size_t wrap, const char *want)
{
	struct buf	 b;

	buf_init(&b);
	buf_puts(&b, "");
	mime_base64(&b, in, len, wrap);
	assert_string_equal(b.data, want);
	buf_clear(&b);
}

/* RFC 4648 section 10. */
static void
test_base64_vectors(void **state)
{
	(void)state;
	check_b64("", 0, 0, "");
	check_b64("f", 1, 0, "Zg==");
	check_b64("fo", 2, 0, "Zm8=");
	check_b64("foo", 3, 0, "Zm9v");
	check_b64("foob", 4, 0, "Zm9vYg==");
	check_b64("fooba", 5, 0, "Zm9vYmE=");
	check_b64("foobar", 6, 0, "Zm9vYmFy");
	check_b64("foobar", 6, 76, "Zm9vYmFy\r\n");
	check_b64("", 0, 76, "");
	check_b64("\0\xff\xfe", 3, 0, "AP/+");
}

/* 76-character lines, CRLF after each and after the last. */
static void
test_base64_wrap(void **state)
{
	unsigned char	 in[200];
	struct buf	 b;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 7);
	buf_init(&b);
	mime_base64(&b, in, 57, 76);		/* exactly one line */
	assert_int_equal(b.len, 78);
	assert_memory_equal(b.data + 76, "\r\n", 2);
	buf_clear(&b);
	mime_base64(&b, in, sizeof(in), 76);	/* 268 characters */
	assert_int_equal(b.len, 268 + 4 * 2);
	assert_memory_equal(b.data + 76, "\r\n", 2);
	assert_memory_equal(b.data + 154, "\r\n", 2);
	assert_memory_equal(b.data + 232, "\r\n", 2);
	assert_memory_equal(b.data + b.len - 2, "\r\n", 2);
	buf_clear(&b);
}

static void
check_qp(const char *in, const char *want)
{
	struct buf	 b;

	buf_init(&b);
	buf_puts(&b, "");
	mime_qp(&b, in, strlen(in));
	assert_string_equal(b.data, want);
	buf_clear(&b);
}

static void
test_qp(void **state)
{
	struct buf	 b;
	char		 in[301], *line, *end;

	(void)state;
	check_qp("plain text", "plain text");
	check_qp("a=b", "a=3Db");
	check_qp("one\ntwo\r\nthree", "one\r\ntwo\r\nthree");
	check_qp("trailing \nspace\t", "trailing=20\r\nspace=09");
	check_qp("\xc3\xb7 \xe2\x80\x93", "=C3=B7 =E2=80=93");
	check_qp(".dot\nFrom me", "=2Edot\r\n=46rom me");
	check_qp("lone\rcr", "lone=0Dcr");
	/* Long lines break softly at 76 characters with "=". */
	memset(in, 'x', 300);
	in[300] = '\0';
	buf_init(&b);
	mime_qp(&b, in, 300);
	for (line = b.data; (end = strstr(line, "\r\n")) != NULL;
	    line = end + 2) {
		assert_true(end - line <= 76);
		assert_int_equal(end[-1], '=');
	}
	assert_true(strlen(line) <= 76);
	buf_clear(&b);
}

static void
test_addr(void **state)
{
	static const char *const good[] = { "a@b.c", "insight@example.org",
	    "first.last+tag@sub.example.co.uk", "x@localhost",
	    "o'neill@example.org", "a-b_c@x-1.example", "A@B.C", NULL };
	static const char *const bad[] = { "", "a", "@b.c", "a@", "a@@b.c",
	    "a@b@c", "a b@c.d", "a@b c.d", "a\r\n@b.c", "a@b.c\r\nBcc: x@y.z",
	    "<a@b.c>", "a,b@c.d", "a@b.c,d@e.f", "\"a\"@b.c", "a@-b.c",
	    "a@b-.c", "a@b..c", "a@.b.c", "a@b.c.", ".a@b.c", "a.@b.c",
	    "a..b@c.d", "a@b_c.d", "a@[127.0.0.1]", "a\\b@c.d", "a(b)@c.d",
	    "a@b.c\n", "a\t@b.c", "\xc3\xa9@b.c", "a;b@c.d", "a:b@c.d",
	    NULL };
	char	 s[400];
	size_t	 i;

	(void)state;
	for (i = 0; good[i] != NULL; i++)
		assert_true(mime_addr_ok(good[i]));
	for (i = 0; bad[i] != NULL; i++)
		assert_false(mime_addr_ok(bad[i]));
	assert_false(mime_addr_ok(NULL));
	/* Local part: 64 octets at most. */
	memset(s, 'a', 64);
	memcpy(s + 64, "@b.c", 5);
	assert_true(mime_addr_ok(s));
	memset(s, 'a', 65);
	memcpy(s + 65, "@b.c", 5);
	assert_false(mime_addr_ok(s));
	/* A label: 63 octets at most. */
	memcpy(s, "a@", 2);
	memset(s + 2, 'b', 63);
	memcpy(s + 65, ".c", 3);
	assert_true(mime_addr_ok(s));
	memset(s + 2, 'b', 64);
	memcpy(s + 66, ".c", 3);
	assert_false(mime_addr_ok(s));
	/* The whole address: 254 octets at most. */
	memcpy(s, "a@", 2);
	for (i = 2; i + 10 <= 254; i += 10)
		memcpy(s + i, "bbbbbbbbb.", 10);
	memcpy(s + i, "cc", 2);
	s[i + 2] = '\0';
	assert_true(strlen(s) <= 254);
	assert_true(mime_addr_ok(s));
	memcpy(s + i, "ccccccc", 8);
	assert_true(strlen(s) > 254);
	assert_false(mime_addr_ok(s));
}

/* Decodes base64 s[0..n) (no padding errors expected) into out. */
static void
b64_decode(const char *s, size_t n, struct buf *out)
{
	static const char	 tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t		 v = 0;
	size_t			 i, k = 0;
	const char		*p;
	char			 c;

	for (i = 0; i < n && s[i] != '='; i++) {
		p = strchr(tab, s[i]);
		assert_non_null(p);
		v = (v << 6) | (uint32_t)(p - tab);
		if (++k == 4) {
			c = (char)(v >> 16);
			buf_putc(out, c);
			c = (char)(v >> 8);
			buf_putc(out, c);
			c = (char)v;
			buf_putc(out, c);
			v = 0;
			k = 0;
		}
	}
	if (k == 2)
		buf_putc(out, (char)(v >> 4));
	else if (k == 3) {
		buf_putc(out, (char)(v >> 10));
		buf_putc(out, (char)(v >> 2));
	}
}

/* Checks a header's physical lines (each <= 78, the last ends the
 * header with its only bare CRLF) and returns its unfolded value with
 * encoded-words decoded.  Caller frees. */
static char *
header_value(const char *h, const char *name)
{
	struct buf	 v;
	const char	*p, *end, *w, *q;
	size_t		 nl = 0;
	bool		 prev_ew = false;

	assert_int_equal(strncmp(h, name, strlen(name)), 0);
	assert_int_equal(h[strlen(name)], ':');
	for (p = h; (end = strstr(p, "\r\n")) != NULL; p = end + 2) {
		assert_true(end - p <= 78);
		nl++;
		if (end[2] != '\0')
			assert_true(end[2] == ' ' || end[2] == '\t');
	}
	assert_string_equal(p, "");
	assert_true(nl >= 1);
	/* No bare CR or LF. */
	for (p = h; *p != '\0'; p++) {
		if (*p == '\r')
			assert_int_equal(p[1], '\n');
		if (*p == '\n')
			assert_true(p > h && p[-1] == '\r');
	}
	buf_init(&v);
	buf_puts(&v, "");
	/* Unfold, then decode the words. */
	p = h + strlen(name) + 1;
	while (*p != '\0') {
		while (*p == ' ' || *p == '\r' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		for (w = p; *w != '\0' && *w != ' ' && *w != '\r'; w++)
			continue;
		if (strncmp(p, "=?UTF-8?B?", 10) == 0) {
			q = strstr(p + 10, "?=");
			assert_non_null(q);
			assert_true(q + 2 == w);
			assert_true(w - p <= 75);
			b64_decode(p + 10, (size_t)(q - p - 10), &v);
			prev_ew = true;
		} else {
			if (v.len > 0 || prev_ew)
				buf_putc(&v, ' ');
			buf_put(&v, p, (size_t)(w - p));
			prev_ew = false;
		}
		p = w;
	}
	return buf_release(&v);
}

static char *
one_header(const char *name, const char *value)
{
	struct buf	 b;

	buf_init(&b);
	mime_header(&b, name, value);
	return buf_release(&b);
}

static void
test_header_plain(void **state)
{
	char	*h, *v, in[400];
	size_t	 i;

	(void)state;
	h = one_header("Subject", "IDVA: December 2024 briefing");
	assert_string_equal(h,
	    "Subject: IDVA: December 2024 briefing\r\n");
	free(h);
	/* Long ASCII folds at spaces and unfolds to the same words. */
	in[0] = '\0';
	for (i = 0; i < 30; i++)
		snprintf(in + strlen(in), sizeof(in) - strlen(in), "%sword%zu",
		    i ? " " : "", i);
	h = one_header("Subject", in);
	assert_non_null(strstr(h, "\r\n "));
	assert_null(strstr(h, "=?"));
	v = header_value(h, "Subject");
	assert_string_equal(v, in);
	free(v);
	free(h);
	/* "=?" in plain text would look like an encoded-word. */
	h = one_header("Subject", "a =?x?= b");
	assert_non_null(strstr(h, "=?UTF-8?B?"));
	v = header_value(h, "Subject");
	assert_string_equal(v, "a =?x?= b");
	free(v);
	free(h);
	/* A word longer than a line is encoded (it can then be split). */
	memset(in, 'w', 120);
	in[120] = '\0';
	h = one_header("Subject", in);
	v = header_value(h, "Subject");
	assert_string_equal(v, in);
	free(v);
	free(h);
}

/* Non-ASCII text: B encoded-words of whole UTF-8 characters, <= 75
 * characters each, lines <= 78, decoding back to the input. */
static void
test_header_encoded(void **state)
{
	static const char *const in[] = {
	    "Services d\xe2\x80\x99" "aide aux victimes \xe2\x80\x93 "
	    "caf\xc3\xa9",
	    "\xc2\xa3\x35\x30 \xe2\x89\xa5 90 % \xe2\x80\x93 \xf0\x9f\x93\x88",
	    "\xe2\x80\x93\xe2\x80\x93\xe2\x80\x93\xe2\x80\x93\xe2\x80\x93"
	    "\xe2\x80\x93\xe2\x80\x93\xe2\x80\x93\xe2\x80\x93\xe2\x80\x93"
	    "\xe2\x80\x93\xe2\x80\x93\xe2\x80\x93\xe2\x80\x93\xe2\x80\x93"
	    "\xe2\x80\x93\xe2\x80\x93\xe2\x80\x93\xe2\x80\x93\xe2\x80\x93"
	    "\xe2\x80\x93\xe2\x80\x93\xe2\x80\x93\xe2\x80\x93\xe2\x80\x93"
	    "\xe2\x80\x93\xe2\x80\x93\xe2\x80\x93\xe2\x80\x93\xe2\x80\x93",
	    NULL };
	struct buf	 dec;
	const char	*p, *q;
	char		*h, *v;
	size_t		 i;

	(void)state;
	for (i = 0; in[i] != NULL; i++) {
		h = one_header("Subject", in[i]);
		assert_non_null(strstr(h, "=?UTF-8?B?"));
		v = header_value(h, "Subject");
		assert_string_equal(v, in[i]);
		free(v);
		/* Every word decodes to whole characters on its own. */
		for (p = h; (p = strstr(p, "=?UTF-8?B?")) != NULL; p = q) {
			q = strstr(p + 10, "?=");
			buf_init(&dec);
			buf_puts(&dec, "");
			b64_decode(p + 10, (size_t)(q - p - 10), &dec);
			assert_true(dec.len > 0);
			assert_int_not_equal((unsigned char)dec.data[0] & 0xc0,
			    0x80);
			buf_clear(&dec);
		}
		free(h);
	}
	/* Invalid UTF-8 becomes U+FFFD, never raw bytes. */
	h = one_header("Subject", "bad \xff byte");
	v = header_value(h, "Subject");
	assert_string_equal(v, "bad \xef\xbf\xbd byte");
	free(v);
	free(h);
}

/* Control characters cannot start a header: they become spaces. */
static void
test_header_injection(void **state)
{
	static const char *const in[] = { "Title\r\nBcc: evil@x",
	    "Title\nBcc: evil@x", "Title\rBcc: evil@x",
	    "T\xc3\xaftle\r\nBcc: evil@x", "Title\r\n\r\nbody",
	    "Title\x01\x1b\x7f" "end", NULL };
	char	*h;
	size_t	 i, n;
	const char *p;

	(void)state;
	for (i = 0; in[i] != NULL; i++) {
		h = one_header("Subject", in[i]);
		/* Only folding CRLFs (followed by a space) and the last. */
		for (n = 0, p = h; (p = strstr(p, "\r\n")) != NULL; p += 2) {
			n++;
			assert_true(p[2] == '\0' || p[2] == ' ');
		}
		assert_true(n >= 1);
		assert_null(strstr(h, "\r\nBcc"));
		assert_null(strstr(h, "\nBcc"));
		free(h);
	}
	h = one_header("Subject", "Title\r\nBcc: evil@x");
	assert_string_equal(h, "Subject: Title Bcc: evil@x\r\n");
	free(h);
}

static void
test_header_addrs(void **state)
{
	static const char *const one[] = { "insight@example.org" };
	static const char *const bad[] = { "a@b.c", "a@b.c\r\nBcc: x@y.z" };
	const char	*many[12];
	char		 names[12][40], *h, *v;
	struct buf	 b;
	const char	*p, *end;
	size_t		 i;

	(void)state;
	buf_init(&b);
	assert_int_equal(mime_header_addrs(&b, "From", "Insight Team", one,
	    1), 0);
	assert_string_equal(b.data,
	    "From: \"Insight Team\" <insight@example.org>\r\n");
	buf_clear(&b);
	/* A name with CR/LF is cleaned; a non-ASCII one encoded. */
	assert_int_equal(mime_header_addrs(&b, "From", "Team\r\nBcc: x@y.z",
	    one, 1), 0);
	assert_string_equal(b.data,
	    "From: \"Team Bcc: x@y.z\" <insight@example.org>\r\n");
	buf_clear(&b);
	assert_int_equal(mime_header_addrs(&b, "From", "\xc3\x89quipe \"A\"",
	    one, 1), 0);
	assert_non_null(strstr(b.data, "=?UTF-8?B?"));
	assert_non_null(strstr(b.data, " <insight@example.org>\r\n"));
	buf_clear(&b);
	/* A bad address anywhere: -1 and nothing appended. */
	buf_puts(&b, "x");
	assert_int_equal(mime_header_addrs(&b, "To", NULL, bad, 2), -1);
	assert_string_equal(b.data, "x");
	buf_clear(&b);
	/* Many addresses fold between addresses. */
	for (i = 0; i < 12; i++) {
		snprintf(names[i], sizeof(names[i]),
		    "commissioner%zu@example.org", i);
		many[i] = names[i];
	}
	assert_int_equal(mime_header_addrs(&b, "To", NULL, many, 12), 0);
	for (p = b.data; (end = strstr(p, "\r\n")) != NULL; p = end + 2)
		assert_true(end - p <= 78);
	h = buf_release(&b);
	v = header_value(h, "To");
	assert_non_null(strstr(v, "<commissioner0@example.org>, "
	    "<commissioner1@example.org>"));
	assert_non_null(strstr(v, "<commissioner11@example.org>"));
	free(v);
	free(h);
}

static void
test_date_msgid(void **state)
{
	char	 s[128], t[128];

	(void)state;
	mime_date(s, sizeof(s), util_days_from_civil(2024, 12, 31));
	assert_string_equal(s, "Tue, 31 Dec 2024 09:00:00 +0000");
	mime_date(s, sizeof(s), 0);
	assert_string_equal(s, "Thu, 01 Jan 1970 09:00:00 +0000");
	mime_date(s, sizeof(s), util_days_from_civil(2024, 2, 29));
	assert_string_equal(s, "Thu, 29 Feb 2024 09:00:00 +0000");
	mime_message_id(s, sizeof(s), "Pack", "idva", "2024-12-31",
	    "insight@example.org");
	mime_message_id(t, sizeof(t), "Pack", "idva", "2024-12-31",
	    "other@example.org");
	assert_string_equal(s, t);
	assert_int_equal(strncmp(s, "<boardpack.idva.", 16), 0);
	assert_non_null(strstr(s, "@example.org>"));
	assert_int_equal(strlen(s), strlen("<boardpack.idva.") + 16 +
	    strlen("@example.org>"));
	mime_message_id(t, sizeof(t), "Pack", "ae", "2024-12-31",
	    "insight@example.org");
	assert_string_not_equal(s, t);
	mime_message_id(t, sizeof(t), "Pack", "idva", "2025-01-31",
	    "insight@example.org");
	assert_string_not_equal(s, t);
	mime_message_id(t, sizeof(t), "Pack 2", "idva", "2024-12-31",
	    "insight@example.org");
	assert_string_not_equal(s, t);
}

/* A small message over made-up parts. */
static int
build(struct buf *b, const char *subject, const char *const *to,
    size_t nto)
{
	static unsigned char	 pdf[3000];
	struct mime_msg		 m;
	size_t			 i;

	for (i = 0; i < sizeof(pdf); i++)
		pdf[i] = (unsigned char)(i * 31 + 7);
	memset(&m, 0, sizeof(m));
	m.from = "insight@example.org";
	m.from_name = "Performance and Insight Team";
	m.to = to;
	m.nto = nto;
	m.subject = subject;
	m.date = "Tue, 31 Dec 2024 09:00:00 +0000";
	m.message_id = "<boardpack.idva.0123456789abcdef@example.org>";
	m.text = "Summary \xe2\x80\x93 text\nsecond line =\n";
	m.html = "<p>Summary \xe2\x80\x93 <b>html</b></p>\n";
	m.filename = "idva.pdf";
	m.attach = pdf;
	m.attachlen = sizeof(pdf);
	return mime_build(&m, b);
}

static void
test_build(void **state)
{
	static const char *const to[] = { "a@example.org", "b@example.net" };
	static const char *const bad[] = { "a@example.org", "x y@z.org" };
	static const char head[] = "Date: Tue, 31 Dec 2024 09:00:00 "
	    "+0000\r\nFrom: \"Performance and Insight Team\" "
	    "<insight@example.org>\r\nTo: <a@example.org>, <b@example.net>"
	    "\r\nSubject: IDVA: December 2024 briefing\r\nMessage-ID: "
	    "<boardpack.idva.0123456789abcdef@example.org>\r\n"
	    "MIME-Version: 1.0\r\nContent-Type: multipart/mixed;\r\n";
	struct buf	 a, b;
	const char	*p, *end, *hend;
	size_t		 n;

	(void)state;
	buf_init(&a);
	buf_init(&b);
	assert_int_equal(build(&a, "IDVA: December 2024 briefing", to, 2), 0);
	assert_int_equal(build(&b, "IDVA: December 2024 briefing", to, 2), 0);
	/* Deterministic: byte-identical. */
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	/* CRLF everywhere, no line over 78. */
	for (p = a.data; *p != '\0'; p++)
		if (*p == '\n')
			assert_true(p > a.data && p[-1] == '\r');
	for (p = a.data; (end = strstr(p, "\r\n")) != NULL; p = end + 2)
		assert_true(end - p <= 78);
	hend = strstr(a.data, "\r\n\r\n");
	assert_non_null(hend);
	assert_int_equal(strncmp(a.data, head, strlen(head)), 0);
	assert_non_null(strstr(a.data, "Content-Type: multipart/alternative;"));
	assert_non_null(strstr(a.data, "Content-Type: text/plain; "
	    "charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable"));
	assert_non_null(strstr(a.data, "Content-Type: text/html; "
	    "charset=UTF-8\r\n"));
	assert_non_null(strstr(a.data, "Summary =E2=80=93 text\r\nsecond "
	    "line =3D\r\n"));
	assert_non_null(strstr(a.data, "Content-Type: application/pdf; "
	    "name=\"idva.pdf\"\r\nContent-Disposition: attachment; "
	    "filename=\"idva.pdf\"\r\nContent-Transfer-Encoding: base64"
	    "\r\n\r\n"));
	/* Closing delimiters of both multiparts. */
	assert_non_null(strstr(a.data, "--\r\n\r\n--=_bp_mixed_"));
	n = strlen(a.data);
	assert_true(n > 20);
	assert_non_null(strstr(a.data + n - 40, "--=_bp_mixed_"));
	assert_memory_equal(a.data + n - 4, "--\r\n", 4);
	/* A different subject changes the message. */
	buf_clear(&b);
	assert_int_equal(build(&b, "Other", to, 2), 0);
	assert_true(a.len != b.len || memcmp(a.data, b.data, a.len) != 0);
	buf_clear(&b);
	/* Injection through the subject: still one header block, no Bcc. */
	assert_int_equal(build(&b, "IDVA\r\nBcc: evil@x\r\n\r\nbody", to, 2),
	    0);
	hend = strstr(b.data, "\r\n\r\n");
	assert_null(strstr(b.data, "\r\nBcc:"));
	assert_true(strstr(b.data, "Subject: IDVA Bcc: evil@x body\r\n") <
	    hend);
	assert_non_null(strstr(b.data, "Subject: IDVA Bcc: evil@x body\r\n"));
	buf_clear(&b);
	/* A bad recipient or none: -1, nothing appended. */
	assert_int_equal(build(&b, "x", bad, 2), -1);
	assert_int_equal(build(&b, "x", to, 0), -1);
	assert_int_equal(b.len, 0);
	buf_clear(&a);
	buf_clear(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base64_vectors),
		cmocka_unit_test(test_base64_wrap),
		cmocka_unit_test(test_qp),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_header_plain),
		cmocka_unit_test(test_header_encoded),
		cmocka_unit_test(test_header_injection),
		cmocka_unit_test(test_header_addrs),
		cmocka_unit_test(test_date_msgid),
		cmocka_unit_test(test_build),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
