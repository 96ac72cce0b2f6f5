/*
 * mime.c: the pure MIME parts of the e-mail stage (SPEC 6), used by
 * mail.c: base64 (RFC 4648), quoted-printable (RFC 2045), RFC 2047
 * encoded-word headers folded to 78 columns, address checks, the
 * deterministic Date and Message-ID, and the whole message.  Nothing
 * here prints or touches a file.  Header text never carries a control
 * character, so nothing from the content or the command line can start
 * a header of its own.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime.h"
#include "util.h"

/* RFC 5322 2.1.1: lines SHOULD be at most 78 characters. */
#define MIME_LINE	78
/* RFC 2047 2: an encoded-word is at most 75 characters. */
#define MIME_EW_MAX	75
/* "=?UTF-8?B?" and "?=" */
#define MIME_EW_OVER	12

static const char mime_b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* ---- encodings ---- */

void
mime_base64(struct buf *out, const void *data, size_t len, size_t wrap)
{
	const unsigned char	*p = data;
	char			 q[4];
	size_t			 i, col = 0, k;
	uint32_t		 v;

	for (i = 0; i < len; i += 3) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		q[0] = mime_b64[(v >> 18) & 63];
		q[1] = mime_b64[(v >> 12) & 63];
		q[2] = i + 1 < len ? mime_b64[(v >> 6) & 63] : '=';
		q[3] = i + 2 < len ? mime_b64[v & 63] : '=';
		for (k = 0; k < 4; k++) {
			if (wrap > 0 && col == wrap) {
				buf_put(out, "\r\n", 2);
				col = 0;
			}
			buf_putc(out, q[k]);
			col++;
		}
	}
	if (wrap > 0 && col > 0)
		buf_put(out, "\r\n", 2);
}

/* Appends one quoted-printable token, breaking the line softly first
 * if it would pass 75 characters (76 with the "="). */
static void
mime_qp_token(struct buf *out, const char *t, size_t n, size_t *col)
{
	if (*col + n > 75) {
		buf_put(out, "=\r\n", 3);
		*col = 0;
	}
	buf_put(out, t, n);
	*col += n;
}

void
mime_qp(struct buf *out, const char *s, size_t len)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 i, col = 0;
	unsigned char		 c;
	char			 t[3];
	bool			 eol;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '\n' || (c == '\r' && i + 1 < len &&
		    s[i + 1] == '\n')) {
			if (c == '\r')
				i++;
			buf_put(out, "\r\n", 2);
			col = 0;
			continue;
		}
		/* Whitespace before a line end must be encoded (6.7 (3));
		 * a dot or "F" opening a line too, for SMTP and mbox. */
		eol = i + 1 == len || s[i + 1] == '\n' || (s[i + 1] == '\r' &&
		    i + 2 < len && s[i + 2] == '\n');
		if ((c >= 33 && c <= 126 && c != '=' &&
		    !(col == 0 && (c == '.' || c == 'F'))) ||
		    ((c == ' ' || c == '\t') && !eol)) {
			t[0] = (char)c;
			mime_qp_token(out, t, 1, &col);
		} else {
			t[0] = '=';
			t[1] = hex[c >> 4];
			t[2] = hex[c & 15];
			mime_qp_token(out, t, 3, &col);
		}
	}
}

/* ---- addresses ---- */

/* RFC 5322 atext, the characters of a dot-atom, less the ones that are
 * legal but that no real mailbox needs and that confuse parsers. */
static bool
mime_atext(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

bool
mime_addr_ok(const char *s)
{
	const char	*at, *p, *label;
	size_t		 len, n;

	if (s == NULL || (len = strlen(s)) == 0 || len > MIME_ADDR_MAX)
		return false;
	if ((at = strchr(s, '@')) == NULL || strchr(at + 1, '@') != NULL)
		return false;
	/* Local part: dot-atom, 1-64 octets, no leading, trailing or
	 * double dot. */
	n = (size_t)(at - s);
	if (n == 0 || n > 64 || s[0] == '.' || at[-1] == '.')
		return false;
	for (p = s; p < at; p++) {
		if (*p == '.') {
			if (p[1] == '.')
				return false;
		} else if (!mime_atext((unsigned char)*p))
			return false;
	}
	/* Domain: labels of [A-Za-z0-9-], 1-63 octets each, no hyphen at
	 * either end, at most 253 octets. */
	p = at + 1;
	if (strlen(p) == 0 || strlen(p) > 253)
		return false;
	label = p;
	for (;; p++) {
		if (*p == '.' || *p == '\0') {
			n = (size_t)(p - label);
			if (n == 0 || n > 63 || label[0] == '-' ||
			    p[-1] == '-')
				return false;
			if (*p == '\0')
				break;
			label = p + 1;
		} else if (!((*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-'))
			return false;
	}
	return true;
}

/* ---- headers ---- */

/* Length of the valid UTF-8 sequence at s (of at most n bytes), or 0
 * if it is not one (RFC 3629: no overlongs, surrogates, > U+10FFFF). */
static size_t
mime_utf8_len(const unsigned char *s, size_t n)
{
	size_t	 k, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < k)
		return 0;
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((k == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (k == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return k;
}

/* Header text: control characters (C0, DEL) become spaces, runs of
 * spaces one space, invalid UTF-8 U+FFFD; trimmed.  Caller frees. */
static char *
mime_clean(const char *s)
{
	const unsigned char	*p = (const unsigned char *)(s ? s : "");
	size_t			 n = strlen((const char *)p), i, k;
	struct buf		 b;

	buf_init(&b);
	buf_puts(&b, "");
	for (i = 0; i < n; i += k) {
		if (p[i] < 0x20 || p[i] == 0x7f) {
			k = 1;
			if (b.len > 0 && b.data[b.len - 1] != ' ')
				buf_putc(&b, ' ');
		} else if (p[i] == ' ') {
			k = 1;
			if (b.len > 0 && b.data[b.len - 1] != ' ')
				buf_putc(&b, ' ');
		} else if ((k = mime_utf8_len(p + i, n - i)) == 0) {
			k = 1;
			buf_puts(&b, "\xef\xbf\xbd");
		} else
			buf_put(&b, p + i, k);
	}
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	return buf_release(&b);
}

/* Appends s[0..len) as B encoded-words of UTF-8, each preceded by a
 * space (folding first when the line is full); *col is the column. */
static void
mime_ew(struct buf *out, const char *s, size_t len, size_t *col)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, room, max, take, k;

	while (i < len) {
		/* Room for an encoded word of at least one 4-byte
		 * character (8 base64 characters). */
		if (*col + 1 + MIME_EW_OVER + 8 > MIME_LINE) {
			buf_put(out, "\r\n", 2);
			*col = 0;
		}
		room = MIME_LINE - *col - 1;
		if (room > MIME_EW_MAX)
			room = MIME_EW_MAX;
		max = (room - MIME_EW_OVER) / 4 * 3;
		for (take = 0; i + take < len; take += k) {
			k = mime_utf8_len(p + i + take, len - i - take);
			if (k == 0)
				k = 1;
			if (take + k > max)
				break;
		}
		buf_puts(out, " =?UTF-8?B?");
		mime_base64(out, p + i, take, 0);
		buf_puts(out, "?=");
		*col += 1 + MIME_EW_OVER + (take + 2) / 3 * 4;
		i += take;
	}
}

/* true if clean text t can go into a header as it is: printable ASCII,
 * no "=?", and every word fits on a line after col0. */
static bool
mime_plain_ok(const char *t, size_t col0)
{
	const char	*p, *w;

	if (strstr(t, "=?") != NULL)
		return false;
	for (p = t; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			return false;
	for (p = t; *p != '\0'; p = w) {
		for (w = p; *w != '\0' && *w != ' '; w++)
			continue;
		if ((p == t ? col0 : 0) + 1 + (size_t)(w - p) > MIME_LINE)
			return false;
		while (*w == ' ')
			w++;
	}
	return true;
}

/* Appends clean printable ASCII t word by word, folding at spaces. */
static void
mime_words(struct buf *out, const char *t, size_t *col)
{
	const char	*p = t, *w;
	size_t		 n;

	if (*p == '\0') {
		buf_putc(out, ' ');
		(*col)++;
	}
	while (*p != '\0') {
		for (w = p; *w != '\0' && *w != ' '; w++)
			continue;
		n = (size_t)(w - p);
		if (*col + 1 + n > MIME_LINE) {
			buf_put(out, "\r\n", 2);
			*col = 0;
		}
		buf_putc(out, ' ');
		buf_put(out, p, n);
		*col += 1 + n;
		p = w;
		while (*p == ' ')
			p++;
	}
}

void
mime_header(struct buf *out, const char *name, const char *value)
{
	char	*t = mime_clean(value);
	size_t	 col;

	buf_printf(out, "%s:", name);
	col = strlen(name) + 1;
	if (mime_plain_ok(t, col))
		mime_words(out, t, &col);
	else
		mime_ew(out, t, strlen(t), &col);
	buf_put(out, "\r\n", 2);
	free(t);
}

int
mime_header_addrs(struct buf *out, const char *name, const char *display,
    const char *const *addrs, size_t n)
{
	char	*t;
	size_t	 col, i, len;
	bool	 quoted;

	for (i = 0; i < n; i++)
		if (!mime_addr_ok(addrs[i]))
			return -1;
	buf_printf(out, "%s:", name);
	col = strlen(name) + 1;
	for (i = 0; i < n; i++) {
		len = strlen(addrs[i]) + 2;
		if (i == 0 && display != NULL && *display != '\0') {
			/* A quoted-string when it is plain and fits on the
			 * line, else encoded-words (RFC 2047 5 (3)). */
			t = mime_clean(display);
			quoted = mime_plain_ok(t, 0) &&
			    strpbrk(t, "\"\\") == NULL &&
			    col + 3 + strlen(t) <= MIME_LINE;
			if (quoted) {
				buf_printf(out, " \"%s\"", t);
				col += 3 + strlen(t);
			} else
				mime_ew(out, t, strlen(t), &col);
			free(t);
		}
		if (col + 1 + len + (i + 1 < n) > MIME_LINE && col > 0 &&
		    (i > 0 || col > strlen(name) + 1)) {
			buf_put(out, "\r\n", 2);
			col = 0;
		}
		buf_printf(out, " <%s>%s", addrs[i], i + 1 < n ? "," : "");
		col += 1 + len + (i + 1 < n);
	}
	buf_put(out, "\r\n", 2);
	return 0;
}

void
mime_date(char *s, size_t size, int64_t day)
{
	static const char *const wd[] = { "Mon", "Tue", "Wed", "Thu", "Fri",
	    "Sat", "Sun" };
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int		 y;
	unsigned	 m, d;

	util_civil_from_days(day, &y, &m, &d);
	snprintf(s, size, "%s, %02u %s %04d 09:00:00 +0000",
	    wd[util_weekday(day)], d, mon[(m - 1) % 12], y);
}

/* 64-bit FNV-1a over s and its NUL, continuing from h. */
static uint64_t
mime_fnv(uint64_t h, const void *s, size_t n)
{
	const unsigned char	*p = s;
	size_t			 i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

#define MIME_FNV_INIT	UINT64_C(0xcbf29ce484222325)

void
mime_message_id(char *s, size_t size, const char *title, const char *id,
    const char *date, const char *from)
{
	const char	*dom = from ? strchr(from, '@') : NULL;
	uint64_t	 h = MIME_FNV_INIT;
	char		 safe[64];
	size_t		 i, k = 0;

	title = title ? title : "";
	id = id ? id : "";
	date = date ? date : "";
	h = mime_fnv(h, title, strlen(title) + 1);
	h = mime_fnv(h, id, strlen(id) + 1);
	h = mime_fnv(h, date, strlen(date) + 1);
	/* The id is [a-z0-9-] (SPEC 3); keep only such characters. */
	for (i = 0; id[i] != '\0' && k + 1 < sizeof(safe); i++)
		if ((id[i] >= 'a' && id[i] <= 'z') ||
		    (id[i] >= 'A' && id[i] <= 'Z') ||
		    (id[i] >= '0' && id[i] <= '9') || id[i] == '-')
			safe[k++] = id[i];
	safe[k] = '\0';
	snprintf(s, size, "<boardpack.%s%s%016" PRIx64 "@%s>", safe,
	    k > 0 ? "." : "", h, dom != NULL ? dom + 1 : "localhost");
}

/* true if s is a safe MIME parameter token (a file name like
 * "idva.pdf") or a msg-id made of printable ASCII without spaces. */
static bool
mime_token_ok(const char *s, bool msgid)
{
	const char	*p;

	if (s == NULL || *s == '\0' || strlen(s) > 200)
		return false;
	for (p = s; *p != '\0'; p++) {
		if (msgid) {
			if ((unsigned char)*p <= 0x20 ||
			    (unsigned char)*p >= 0x7f)
				return false;
		} else if (!((*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.'))
			return false;
	}
	return true;
}

/* true if s is printable ASCII (spaces allowed), as a Date. */
static bool
mime_printable(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 200)
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

/* Appends body as a quoted-printable part of type ctype, then CRLF if
 * the encoding did not end with one. */
static void
mime_qp_part(struct buf *out, const char *boundary, const char *ctype,
    const char *body)
{
	buf_printf(out, "--%s\r\n", boundary);
	buf_printf(out, "Content-Type: %s; charset=UTF-8\r\n", ctype);
	buf_puts(out, "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	mime_qp(out, body ? body : "", body ? strlen(body) : 0);
	if (out->len < 2 || out->data[out->len - 1] != '\n')
		buf_put(out, "\r\n", 2);
}

int
mime_build(const struct mime_msg *m, struct buf *out)
{
	struct buf	 b;
	uint64_t	 h = MIME_FNV_INIT;
	char		 mixed[48], alt[48];
	const char	*t = m->text ? m->text : "", *x = m->html ? m->html :
			    "";

	if (m->nto == 0 || !mime_addr_ok(m->from) ||
	    !mime_token_ok(m->filename, false) ||
	    !mime_token_ok(m->message_id, true) || !mime_printable(m->date))
		return -1;
	/* Boundaries cannot occur in quoted-printable or base64 text:
	 * both hold "=" only before hex digits, CRLF or the end. */
	h = mime_fnv(h, t, strlen(t));
	h = mime_fnv(h, x, strlen(x));
	h = mime_fnv(h, m->attach, m->attachlen);
	snprintf(mixed, sizeof(mixed), "=_bp_mixed_%016" PRIx64, h);
	snprintf(alt, sizeof(alt), "=_bp_alt_%016" PRIx64, h);

	buf_init(&b);
	buf_printf(&b, "Date: %s\r\n", m->date);
	if (mime_header_addrs(&b, "From", m->from_name, &m->from, 1) == -1 ||
	    mime_header_addrs(&b, "To", NULL, m->to, m->nto) == -1) {
		buf_clear(&b);
		return -1;
	}
	mime_header(&b, "Subject", m->subject);
	buf_printf(&b, "Message-ID: %s\r\n", m->message_id);
	buf_puts(&b, "MIME-Version: 1.0\r\n");
	buf_printf(&b, "Content-Type: multipart/mixed;\r\n"
	    " boundary=\"%s\"\r\n\r\n", mixed);
	buf_puts(&b, "This is a message in MIME format.\r\n\r\n");
	buf_printf(&b, "--%s\r\n", mixed);
	buf_printf(&b, "Content-Type: multipart/alternative;\r\n"
	    " boundary=\"%s\"\r\n\r\n", alt);
	mime_qp_part(&b, alt, "text/plain", t);
	mime_qp_part(&b, alt, "text/html", x);
	buf_printf(&b, "--%s--\r\n\r\n", alt);
	buf_printf(&b, "--%s\r\n", mixed);
	buf_printf(&b, "Content-Type: application/pdf; name=\"%s\"\r\n",
	    m->filename);
	buf_printf(&b, "Content-Disposition: attachment; filename=\"%s\"\r\n",
	    m->filename);
	buf_puts(&b, "Content-Transfer-Encoding: base64\r\n\r\n");
	mime_base64(&b, m->attach, m->attachlen, 76);
	buf_printf(&b, "--%s--\r\n", mixed);
	buf_put(out, b.data, b.len);
	buf_clear(&b);
	return 0;
}
