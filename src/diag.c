/*
 * diag.c: GCC-style diagnostics with error and warning counts.
 * One lock keeps lines whole when analysis runs on several threads.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "util.h"

static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;
static size_t		 nerrors, nwarnings;
static _Thread_local struct buf *capture;

void
diag_capture(struct buf *b)
{
	capture = b;
}

void
diag_print(const struct buf *b)
{
	if (b->len == 0)
		return;
	pthread_mutex_lock(&lock);
	fwrite(b->data, 1, b->len, stderr);
	fflush(stderr);
	pthread_mutex_unlock(&lock);
}

static void
vdiag(const char *kind, const char *file, unsigned line, unsigned col,
    const char *fmt, va_list ap)
{
	struct buf	 b;

	buf_init(&b);
	if (file != NULL) {
		buf_puts(&b, file);
		if (line > 0) {
			buf_printf(&b, ":%u", line);
			if (col > 0)
				buf_printf(&b, ":%u", col);
		}
		buf_puts(&b, ": ");
	} else
		buf_puts(&b, "boardpack: ");
	buf_printf(&b, "%s: ", kind);
	buf_vprintf(&b, fmt, ap);
	buf_putc(&b, '\n');
	pthread_mutex_lock(&lock);
	if (capture != NULL)
		buf_put(capture, b.data, b.len);
	else {
		fwrite(b.data, 1, b.len, stderr);
		fflush(stderr);
	}
	if (kind[0] == 'e')
		nerrors++;
	else
		nwarnings++;
	pthread_mutex_unlock(&lock);
	buf_clear(&b);
}

void
diag_error(const char *file, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vdiag("error", file, line, col, fmt, ap);
	va_end(ap);
}

void
diag_warning(const char *file, unsigned line, unsigned col,
    const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vdiag("warning", file, line, col, fmt, ap);
	va_end(ap);
}

size_t
diag_errors(void)
{
	size_t	 n;

	pthread_mutex_lock(&lock);
	n = nerrors;
	pthread_mutex_unlock(&lock);
	return n;
}

size_t
diag_warnings(void)
{
	size_t	 n;

	pthread_mutex_lock(&lock);
	n = nwarnings;
	pthread_mutex_unlock(&lock);
	return n;
}

void
diag_reset(void)
{
	pthread_mutex_lock(&lock);
	nerrors = nwarnings = 0;
	pthread_mutex_unlock(&lock);
}

const char *
diag_suggest(const char *word, const char *const *cands)
{
	const char	*best = NULL;
	size_t		 bestd = (size_t)-1, d, limit;

	limit = strlen(word) / 3;
	if (limit < 2)
		limit = 2;
	for (; *cands != NULL; cands++) {
		d = util_edit_distance(word, *cands);
		if (d < bestd) {
			bestd = d;
			best = *cands;
		}
	}
	return bestd <= limit ? best : NULL;
}
