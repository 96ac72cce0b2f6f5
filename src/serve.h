/*
 * serve.h: the live preview, "boardpack serve [DIR] [--port N] [--host
 * ADDR] [-o OUT]".  Builds DIR into OUT by running this same binary as a
 * child ("build DIR -o OUT -q"), serves OUT over HTTP with libmicrohttpd
 * on 127.0.0.1 by default, polls DIR, templates/ and themes/ every
 * 500 ms and rebuilds on change.  A failed build keeps the previous
 * output and shows the errors (stderr, a banner on every page, and
 * /_boardpack/status).  The pure helpers below (URL decoding, path
 * sanitising, content types, status JSON, banner) are unit-tested.
 */
#ifndef SERVE_H
#define SERVE_H

#include <stdbool.h>
#include <stddef.h>

/* Runs "boardpack serve" with argv[0] = "serve"; returns the exit status
 * (0 success, 1 content/data/I-O error, 2 usage error). */
int	 serve_main(int argc, char *argv[]);

/* Decodes %HH escapes in place; malformed escapes and %00 are left as
 * they are.  Returns the new length. */
size_t	 serve_url_decode(char *s);

/* The decoded URL path as a path relative to the served root ("" for
 * the root, no leading or doubled '/'), or NULL if it must be refused:
 * not starting with '/', a "." or ".." segment or any segment starting
 * with '.', a backslash or a control character.  Caller frees. */
char	*serve_clean_path(const char *url);

/* The Content-Type for a file name, from its extension (case
 * insensitive); "application/octet-stream" when unknown. */
const char *serve_content_type(const char *path);

/* true if path equals root or lies under it (both absolute, already
 * resolved by realpath). */
bool	 serve_inside(const char *root, const char *path);

/* The /_boardpack/status document: {"ok": .., "builds": .., "failures":
 * .., "errors": ".."}; errors may be NULL.  Caller frees. */
char	*serve_status_json(bool ok, unsigned builds, unsigned failures,
	    const char *errors);

/* html with an error banner (the escaped errors) inserted just after
 * the opening <body> tag (or at the start if there is none); *outlen
 * gets the length.  Caller frees. */
char	*serve_banner(const char *html, size_t len, const char *errors,
	    size_t *outlen);

#endif /* !SERVE_H */
