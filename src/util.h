/*
 * util.h: allocators that abort on out-of-memory (so callers never check),
 * a growable byte buffer, paths and files, number and ISO-date parsing,
 * R type-7 percentiles, and a tiny parallel-for over pthreads.
 * Pure helpers: nothing here prints except the OOM abort.
 */
#ifndef UTIL_H
#define UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "model.h"

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...)
	    __attribute__((format(printf, 1, 2)));

/* Growable buffer; data is always NUL-terminated (when non-NULL). */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	 buf_init(struct buf *);
void	 buf_clear(struct buf *);	/* frees */
/* Grows b to hold len + extra bytes and the NUL (buf_reserve's slow
 * path); data stays NUL-terminated. */
void	 buf_reserve_grow(struct buf *, size_t extra);
/* Makes room for extra more bytes and the NUL (data stays valid and
 * NUL-terminated; len is unchanged).  Returns data + len, where up to
 * extra bytes may be written before buf_commit(). */
inline char *
buf_reserve(struct buf *b, size_t extra)
{
	if (b->cap - b->len <= extra)
		buf_reserve_grow(b, extra);
	return b->data + b->len;
}
/* Counts n bytes written at data + len after buf_reserve() (n no more
 * than reserved) and NUL-terminates. */
static inline void
buf_commit(struct buf *b, size_t n)
{
	b->len += n;
	b->data[b->len] = '\0';
}
/* The appenders are inline (they run per number and per character of
 * the pages); util.c holds their external definitions. */
inline void
buf_put(struct buf *b, const void *p, size_t n)
{
	if (b->cap - b->len <= n)
		buf_reserve_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}
inline void
buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}
inline void
buf_putc(struct buf *b, char c)
{
	if (b->cap - b->len <= 1)
		buf_reserve_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_vprintf(struct buf *, const char *, va_list);
char	*buf_release(struct buf *);	/* caller frees; buf is reset */

/* Paths and files. */
char	*util_path_join(const char *, const char *);	/* caller frees */
char	*util_dirname(const char *);			/* caller frees */
bool	 util_is_dir(const char *);
bool	 util_is_file(const char *);
/* Reads a whole file; returns NULL with errno set on failure.  The
 * result is NUL-terminated; *len (if non-NULL) excludes the NUL. */
char	*util_file_read(const char *, size_t *len);
/* Writes a whole file, creating parent directories; 0 or -1 (errno). */
int	 util_file_write(const char *, const void *, size_t);
int	 util_mkdirs(const char *);
/* Directory holding templates/ and themes/: $BOARDPACK_DATADIR, else the
 * running executable's directory when it has templates/, else ".".
 * Caller frees. */
char	*util_data_dir(void);

/* Numbers: the whole string must be a finite decimal number (leading and
 * trailing spaces allowed).  Returns true on success. */
bool	 util_parse_double(const char *, double *);
bool	 util_parse_long(const char *, long *);
/* Formats a double compactly and deterministically: the bytes of
 * "%.10g", but "0" for -0 and "" for NAN and infinities. */
void	 util_fmt_num(char *, size_t, double);
/* The bytes snprintf "%.*g" writes for v with sig (1..17, clamped)
 * significant digits, "-0", "nan" and "inf" included, but without
 * printf's cost for the common range.  out holds UTIL_FMT_G_SIZE bytes;
 * returns the length (NUL not counted). */
#define UTIL_FMT_G_SIZE	32
size_t	 util_fmt_g(char *out, double v, int sig);
/* As snprintf "%.*f" with dec (0..10) decimals, into UTIL_FMT_G_SIZE
 * bytes, the same bytes; values too large for that are cut to "" and
 * length 0. */
size_t	 util_fmt_f(char *out, double v, int dec);
/* The decimal digits of v (a leading '-' when negative) into out
 * (room for 20 bytes), no NUL; returns the length. */
size_t	 util_fmt_ll(char *out, long long v);

/* Dates.  Days are days since 1970-01-01 (proleptic Gregorian). */
int64_t	 util_days_from_civil(int y, unsigned m, unsigned d);
void	 util_civil_from_days(int64_t, int *y, unsigned *m, unsigned *d);
unsigned util_weekday(int64_t day);		/* 0 = Monday .. 6 = Sunday */
/* Parses a date for a period into its key (see struct series); accepts
 * YYYY-MM-DDTHH (hour), YYYY-MM-DD (day, week), YYYY-MM or YYYY-MM-01
 * (month).  Returns false if malformed or not a real date. */
bool	 util_date_parse(const char *, enum period, int64_t *key);
/* Plain ISO day YYYY-MM-DD into days. */
bool	 util_day_parse(const char *, int64_t *day);
/* Formats a key as ISO (YYYY-MM-DDTHH, YYYY-MM-DD, or YYYY-MM). */
void	 util_date_format(char *, size_t, enum period, int64_t key);
/* The key after key (next regular period). */
int64_t	 util_date_next(enum period, int64_t key);
/* Day number of a key (hourly: the day it falls in). */
int64_t	 util_key_day(enum period, int64_t key);
double	 util_period_days(enum period);		/* SPEC 4: 1/24, 1, 7, 30.4375 */
const char *util_period_name(enum period);

/* Percentile of sorted[0..n-1], R type 7 (p in 0..100); NAN if n == 0. */
double	 util_pct_sorted(const double *sorted, size_t n, double p);
/* Sorts a copy of v (NANs dropped) into out, returns the count. */
size_t	 util_sorted_finite(const double *v, size_t n, double *out);
/* Sorts v[0..n) (no NAN) ascending, stably: the order qsort() with a
 * (x > y) - (x < y) comparator gives with glibc's merge sort, -0 and
 * 0 (equal) kept in their order. */
void	 util_sort_doubles(double *v, size_t n);
/* Mean and sample standard deviation of finite values; NAN if none. */
double	 util_mean(const double *, size_t);
double	 util_sd(const double *, size_t);

/* Levenshtein distance, for "did you mean" suggestions. */
size_t	 util_edit_distance(const char *, const char *);

/* Runs fn(i, arg) for i in [0, n) on up to jobs threads.  Work items
 * must be independent; results must not depend on the schedule. */
void	 util_parallel_for(size_t n, int jobs, void (*fn)(size_t, void *),
	    void *arg);

#endif /* !UTIL_H */
