/*
 * mime.h: the pure MIME parts of the e-mail stage (SPEC 6), used by
 * mail.c to build the message around a service's PDF briefing:
 * base64 (RFC 4648), quoted-printable (RFC 2045), RFC 2047
 * encoded-word headers folded to 78 columns, address checks (RFC 5321
 * addr-spec, pragmatic), the deterministic Date and Message-ID, and
 * the whole message.  Nothing here prints or touches a file; output is
 * appended to a caller's struct buf.  Header text never carries a
 * control character: CR, LF and the like become spaces, so no title,
 * name or address can add a header.
 */
#ifndef MIME_H
#define MIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Longest address accepted (RFC 5321 4.5.3.1.3: a path of 256 octets
 * less the angle brackets). */
#define MIME_ADDR_MAX 254

/* Everything one message holds; strings are UTF-8, borrowed. */
struct mime_msg {
	const char	*from;		/* addr-spec (checked) */
	const char	*from_name;	/* display name; NULL or "" = none */
	const char *const *to;		/* addr-specs (checked) */
	size_t		 nto;
	const char	*subject;
	const char	*date;		/* RFC 5322 date-time (mime_date) */
	const char	*message_id;	/* "<...@...>" (mime_message_id) */
	const char	*text;		/* text/plain body, LF or CRLF lines */
	const char	*html;		/* text/html body */
	const char	*filename;	/* attachment name, e.g. "idva.pdf" */
	const void	*attach;	/* attachment bytes (application/pdf) */
	size_t		 attachlen;
};

/* Runs "boardpack mail" with argv[0] = "mail"; returns the exit status
 * (0 success, 1 content/data/I-O or SMTP error, 2 usage error). */
int	 mail_main(int argc, char *argv[]);

/* Appends the RFC 4648 base64 of data[0..len) to out; with wrap > 0 a
 * CRLF ends every wrap characters and the last line (wrap = 76 for
 * MIME bodies), with wrap = 0 nothing is added. */
void	 mime_base64(struct buf *out, const void *data, size_t len,
	    size_t wrap);

/* Appends s[0..len) quoted-printable (RFC 2045 6.7): lines of at most
 * 76 characters, CRLF line ends (LF or CRLF in s are hard breaks). */
void	 mime_qp(struct buf *out, const char *s, size_t len);

/* true if s is an address boardpack will put in a header and an SMTP
 * envelope: local@domain, a dot-atom local part of printable ASCII
 * without spaces, quotes, angle brackets, commas, brackets or
 * backslashes (at most 64 octets), a domain of dot-separated labels of
 * [A-Za-z0-9-] (1-63 octets, no leading or trailing hyphen, at most
 * 253 octets), at most MIME_ADDR_MAX octets in all. */
bool	 mime_addr_ok(const char *s);

/* Appends the header "name: value" with CRLF to out: control
 * characters in value become spaces; text that is not plain printable
 * ASCII (or holds "=?", or a word too long to fold) is sent as RFC 2047
 * B encoded-words of UTF-8, never splitting a character; lines are
 * folded at spaces to at most 78 characters. */
void	 mime_header(struct buf *out, const char *name, const char *value);

/* Appends "name: Display Name <a@b>, <c@d>" with CRLF, folded between
 * addresses; display (NULL or "" = none) is quoted or encoded as in
 * mime_header and applies to the first address only.  Returns 0, or -1
 * (out unchanged) if an address fails mime_addr_ok. */
int	 mime_header_addrs(struct buf *out, const char *name,
	    const char *display, const char *const *addrs, size_t n);

/* Writes the RFC 5322 date of day (days since 1970-01-01) at 09:00
 * UTC, "Tue, 31 Dec 2024 09:00:00 +0000", into s. */
void	 mime_date(char *s, size_t size, int64_t day);

/* Writes "<boardpack.ID.HASH@DOMAIN>" into s: HASH is 16 hex digits of
 * a 64-bit FNV-1a hash of title, id and date (each followed by NUL),
 * DOMAIN the domain of from (which must pass mime_addr_ok). */
void	 mime_message_id(char *s, size_t size, const char *title,
	    const char *id, const char *date, const char *from);

/* Appends the whole message (headers, then multipart/mixed with a
 * multipart/alternative of quoted-printable text and HTML, then the
 * base64 attachment) to out, CRLF throughout.  The same msg always
 * gives the same bytes.  Returns 0, or -1 (out unchanged) if an
 * address fails mime_addr_ok or there is no recipient. */
int	 mime_build(const struct mime_msg *msg, struct buf *out);

#endif /* !MIME_H */
