/*
 * esc.c: one escaper per output context (see esc.h).  Pure: no I/O.
 *
 * The HTML and XML escapers read UTF-8: well-formed sequences pass
 * through, each byte that does not start or belong to one becomes
 * U+FFFD, and C0 control characters other than tab, LF and CR are
 * dropped (HTML parse errors; not allowed in XML 1.0).
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "esc.h"

#define REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */

/*
 * Length of the well-formed UTF-8 sequence at s[0..len) (RFC 3629:
 * no overlongs, no surrogates, nothing above U+10FFFF), or 0 if the
 * bytes there do not start one.  *cp gets the code point.
 */
static size_t
utf8_seq(const unsigned char *s, size_t len, unsigned long *cp)
{
	unsigned char	 c = s[0];
	size_t		 n, i;
	unsigned long	 v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		v = c & 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		v = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		v = c & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/* Shared body of esc_html, esc_attr and esc_xml. */
static void
esc_markup(struct buf *b, const char *s, size_t len, bool xml)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;
	unsigned long		 cp;

	while (i < len) {
		/* Runs of printable ASCII that need no escape, at once. */
		for (n = i; n < len && p[n] >= 0x20 && p[n] < 0x7f &&
		    p[n] != '&' && p[n] != '<' && p[n] != '>' && p[n] != '"' &&
		    p[n] != '\''; n++)
			;
		if (n > i) {
			buf_put(b, p + i, n - i);
			i = n;
			continue;
		}
		n = utf8_seq(p + i, len - i, &cp);
		if (n == 0) {
			buf_puts(b, REPLACEMENT);
			i++;
			continue;
		}
		if (n > 1) {
			/* XML 1.0 Char excludes U+FFFE and U+FFFF. */
			if (!(xml && (cp == 0xfffe || cp == 0xffff)))
				buf_put(b, p + i, n);
			i += n;
			continue;
		}
		switch (p[i]) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		case '\'':
			buf_puts(b, xml ? "&apos;" : "&#39;");
			break;
		case '\t':
		case '\n':
		case '\r':
			buf_putc(b, (char)p[i]);
			break;
		default:
			if (p[i] >= 0x20 && p[i] != 0x7f)
				buf_putc(b, (char)p[i]);
			else if (p[i] == 0x7f && xml)
				buf_putc(b, (char)p[i]);
			break;
		}
		i++;
	}
}

/* Appends s[0..len) escaped for HTML text content. */
void
esc_html(struct buf *b, const char *s, size_t len)
{
	esc_markup(b, s, len, false);
}

/* Appends s[0..len) escaped for a double-quoted HTML attribute value. */
void
esc_attr(struct buf *b, const char *s, size_t len)
{
	esc_markup(b, s, len, false);
}

/* Appends s[0..len) escaped for XML/SVG text or attribute values. */
void
esc_xml(struct buf *b, const char *s, size_t len)
{
	esc_markup(b, s, len, true);
}

/* RFC 3986 unreserved and reserved characters, kept as they are. */
static bool
url_keep(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("-._~:/?#[]@!$&'()*+,;=", c) != NULL;
}

static bool
is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/*
 * Whether the URL u[0..len) (leading blanks stripped, tab/LF/CR
 * already removed as browsers do) is a relative reference or uses an
 * allowed scheme.  Anything with a colon before the first / ? # has a
 * scheme (RFC 3986 forbids a colon in a relative ref's first segment).
 */
static bool
url_allowed(const char *u, size_t len)
{
	static const char *const ok[] = { "http", "https", "mailto" };
	size_t	 i, k, slen;

	for (i = 0; i < len; i++) {
		if (u[i] == '/' || u[i] == '?' || u[i] == '#')
			return true;
		if (u[i] == ':')
			break;
	}
	if (i == len)
		return true;
	slen = i;
	for (k = 0; k < sizeof(ok) / sizeof(ok[0]); k++) {
		if (strlen(ok[k]) != slen)
			continue;
		for (i = 0; i < slen; i++) {
			char	 c = u[i];

			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c != ok[k][i])
				break;
		}
		if (i == slen)
			return true;
	}
	return false;
}

/*
 * Appends the URL s[0..len) for use in a double-quoted attribute:
 * leading blanks and control characters are dropped, tab/LF/CR removed,
 * then a disallowed scheme gives "#"; otherwise bytes outside RFC 3986
 * are percent-encoded and the result is attribute-escaped.
 */
void
esc_url(struct buf *b, const char *s, size_t len)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p = (const unsigned char *)s;
	struct buf		 u;
	size_t			 i = 0;

	while (i < len && p[i] <= 0x20)
		i++;
	buf_init(&u);
	for (; i < len; i++)
		if (p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
			buf_putc(&u, (char)p[i]);
	if (u.len > 0 && !url_allowed(u.data, u.len)) {
		buf_putc(b, '#');
		buf_clear(&u);
		return;
	}
	p = (const unsigned char *)u.data;
	for (i = 0; i < u.len; i++) {
		if (p[i] == '&')
			buf_puts(b, "&amp;");
		else if (p[i] == '\'')
			buf_puts(b, "&#39;");
		else if (p[i] == '%' && i + 2 < u.len &&
		    is_hex(p[i + 1]) && is_hex(p[i + 2]))
			buf_putc(b, '%');
		else if (p[i] != '%' && url_keep(p[i]))
			buf_putc(b, (char)p[i]);
		else {
			buf_putc(b, '%');
			buf_putc(b, hex[p[i] >> 4]);
			buf_putc(b, hex[p[i] & 0xf]);
		}
	}
	buf_clear(&u);
}

/*
 * Appends s[0..len) as an RFC 4180 field: quoted (with quotes doubled)
 * when it contains a comma, quote, CR or LF, or starts or ends with a
 * space; as is otherwise.
 */
void
esc_csv(struct buf *b, const char *s, size_t len)
{
	size_t	 i;
	bool	 quote = false;

	for (i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' ||
		    s[i] == '\n')
			quote = true;
	if (len > 0 && (s[0] == ' ' || s[len - 1] == ' '))
		quote = true;
	if (!quote) {
		buf_put(b, s, len);
		return;
	}
	buf_putc(b, '"');
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			buf_putc(b, '"');
		buf_putc(b, s[i]);
	}
	buf_putc(b, '"');
}
