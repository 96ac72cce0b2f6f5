/*
 * series.c: CSV -> struct series (SPEC 3.3) with libcsv.
 *
 * The text is fed to libcsv one physical line at a time, so that the
 * callbacks always know the line being read: a record starts on the
 * first non-blank line after the previous record, and field i > 0 starts
 * on the line where field i-1 ended (the comma is there).  This keeps
 * cell positions exact even when quoted fields hold newlines.
 *
 * series_load streams the file through a 64 KB read buffer (only a line
 * that spans two reads is copied), cells reuse their buffers from row to
 * row, and only the referenced columns are kept, as doubles: memory is
 * about 12 + 8 x (referenced columns) bytes a row, whatever the width of
 * the file.  Limits (README "Limits"): SERIES_MAX_BYTES a file,
 * SERIES_MAX_LINE a physical line or a field, SERIES_MAX_ROWS rows.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <csv.h>

#include "diag.h"
#include "series.h"
#include "util.h"

/* One field of the record being read. */
struct cell {
	char		*text;		/* NUL-terminated; reused row to row */
	size_t		 cap;		/* bytes allocated at text */
	unsigned	 line;		/* physical line the field starts on */
};

/* A loaded column's checks: the strictest of the roles referencing it. */
struct colinfo {
	const char	*name;
	bool		 required;	/* missing values are errors */
	bool		 nonneg;	/* negative values are errors */
};

struct parse {
	const char		*file;
	enum period		 period;
	const struct series_req	*reqs;
	size_t			 nreqs;
	struct series		*s;
	size_t			 cap;		/* rows allocated in s */
	struct colinfo		*cols;		/* s->ncols of them */
	size_t			 datefield;	/* header index of dates */
	long			*fieldmap;	/* header index -> col, or -1 */
	double			*v;		/* values of the row being read */

	char			**header;
	size_t			 nheader;
	bool			 header_done;
	bool			 fatal;		/* header unusable: skip rows */

	struct cell		*rec;		/* fields of this record */
	size_t			 nf, recap;
	unsigned		 line;		/* line being fed */
	unsigned		 rec_start;	/* 0 = no record begun */
	unsigned		 prev_end;	/* line where field nf-1 ended */

	bool			 have_prev;
	int64_t			 prev_key;
	unsigned		 prev_line;

	size_t			 errors;
	bool			 stopped;	/* error cap reached */
};

static void
perr(struct parse *p, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
perr(struct parse *p, unsigned line, unsigned col, const char *fmt, ...)
{
	struct buf	 b;
	va_list		 ap;

	if (p->stopped)
		return;
	if (p->errors == SERIES_MAX_ERRORS) {
		diag_error(p->file, line, 0, "too many errors in this file");
		p->stopped = true;
		return;
	}
	p->errors++;
	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	diag_error(p->file, line, col, "%s", b.data);
	buf_clear(&b);
}

/* Reports a problem that makes the rest of the file unreadable (a line
 * too long, binary data, a limit) and stops reading it. */
static void
halt(struct parse *p, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
halt(struct parse *p, unsigned line, unsigned col, const char *fmt, ...)
{
	struct buf	 b;
	va_list		 ap;

	if (p->stopped)
		return;
	p->errors++;
	p->stopped = true;
	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	diag_error(p->file, line, col, "%s", b.data);
	buf_clear(&b);
}

/* A cell's text as a message shows it: at most SHOW_MAX bytes (cut on
 * a UTF-8 boundary, then "..."), control bytes as \xNN, so that a huge
 * or binary cell gives a one-line message. */
#define SHOW_MAX 40
static const char *
shown(const char *s, char *out, size_t sz)
{
	size_t	 i, o = 0;
	unsigned char c;

	for (i = 0; s[i] != '\0' && o + 8 < sz; i++) {
		c = (unsigned char)s[i];
		if (i >= SHOW_MAX && (c & 0xc0) != 0x80) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(out + o, sz - o, "\\x%02x", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
	return out;
}

/* NaN, Inf, 1e999: numbers, but not finite ones (SPEC 3.2). */
static bool
non_finite(const char *s)
{
	char	*end;
	double	 d;

	while (*s == ' ' || *s == '\t' || *s == '+' || *s == '-')
		s++;
	if (strncasecmp(s, "nan", 3) == 0 || strncasecmp(s, "inf", 3) == 0)
		return strcasecmp(s, "nan") == 0 || strcasecmp(s, "inf") == 0 ||
		    strcasecmp(s, "infinity") == 0;
	if (!isdigit((unsigned char)*s) && *s != '.')
		return false;
	errno = 0;
	d = strtod(s, &end);
	return end != s && *end == '\0' && errno == ERANGE && d != 0;
}

static const char *
date_form(enum period per)
{
	switch (per) {
	case PERIOD_HOUR:
		return "YYYY-MM-DDTHH";
	case PERIOD_MONTH:
		return "YYYY-MM or YYYY-MM-01";
	default:
		return "YYYY-MM-DD";
	}
}

static bool
is_missing(const char *s)
{
	return s[0] == '\0' || strcmp(s, "NA") == 0 || strcmp(s, ".") == 0;
}

static void
rec_reset(struct parse *p)
{
	p->nf = 0;
	p->rec_start = 0;
}

/* Header complete: map every referenced column to its header field. */
static void
header_map(struct parse *p)
{
	const char	**names;
	const char	*sugg;
	size_t		 i, j, k;
	bool		 found;

	names = xcalloc(p->nheader + 1, sizeof(*names));
	for (i = 0; i < p->nheader; i++)
		names[i] = p->header[i];
	p->fieldmap = xcalloc(p->nheader ? p->nheader : 1,
	    sizeof(*p->fieldmap));
	for (i = 0; i < p->nheader; i++)
		p->fieldmap[i] = -1;
	p->datefield = (size_t)-1;

	for (i = 0; i < p->nreqs; i++) {
		const struct series_req *r = &p->reqs[i];

		found = false;
		for (j = 0; j < p->nheader; j++) {
			if (strcmp(p->header[j], r->column) != 0)
				continue;
			if (found) {
				perr(p, 1, (unsigned)j + 1, "column \"%s\" "
				    "appears more than once in the header",
				    r->column);
				p->fatal = true;
				break;
			}
			found = true;
			if (r->role == SERIES_DATE) {
				p->datefield = j;
				continue;
			}
			for (k = 0; k < p->s->ncols; k++)
				if (strcmp(p->cols[k].name, r->column) == 0)
					break;
			if (k == p->s->ncols) {
				p->s->ncols++;
				p->cols = xreallocarray(p->cols, p->s->ncols,
				    sizeof(*p->cols));
				p->s->cols = xreallocarray(p->s->cols,
				    p->s->ncols, sizeof(*p->s->cols));
				p->cols[k].name = r->column;
				p->cols[k].required = false;
				p->cols[k].nonneg = false;
				p->s->cols[k].name = xstrdup(r->column);
				p->s->cols[k].v = NULL;
			}
			if (r->role == SERIES_DEMAND ||
			    r->role == SERIES_CAPACITY)
				p->cols[k].required = true;
			if (r->role != SERIES_METRIC)
				p->cols[k].nonneg = true;
			p->fieldmap[j] = (long)k;
		}
		if (found)
			continue;
		p->fatal = true;
		sugg = diag_suggest(r->column, names);
		if (p->stopped)
			continue;
		if (sugg != NULL)
			diag_error(r->pos.file, r->pos.line, r->pos.col,
			    "column \"%s\" not found in %s "
			    "(did you mean \"%s\"?)", r->column, p->file, sugg);
		else
			diag_error(r->pos.file, r->pos.line, r->pos.col,
			    "column \"%s\" not found in %s",
			    r->column, p->file);
		p->errors++;
	}
	free(names);
	p->v = xcalloc(p->s->ncols ? p->s->ncols : 1, sizeof(*p->v));
}

static void
row_append(struct parse *p, int64_t key, unsigned line, const double *v)
{
	struct series	*s = p->s;
	size_t		 k;

	if (s->n == p->cap) {
		/* x1.5, and trimmed at the end: little slack at any size */
		p->cap = p->cap ? p->cap + p->cap / 2 : 64;
		s->key = xreallocarray(s->key, p->cap, sizeof(*s->key));
		s->line = xreallocarray(s->line, p->cap, sizeof(*s->line));
		for (k = 0; k < s->ncols; k++)
			s->cols[k].v = xreallocarray(s->cols[k].v, p->cap,
			    sizeof(double));
	}
	s->key[s->n] = key;
	s->line[s->n] = line;
	for (k = 0; k < s->ncols; k++)
		s->cols[k].v[s->n] = v[k];
	s->n++;
}

/* Checks the date of a row against the previous one (SPEC 3.3: strictly
 * increasing and regular).  Returns false if the row must be dropped. */
static bool
date_order(struct parse *p, int64_t key, const struct cell *c, unsigned col)
{
	char		 a[32], b[32];
	int64_t		 next;

	if (!p->have_prev)
		return true;
	util_date_format(a, sizeof(a), p->period, key);
	util_date_format(b, sizeof(b), p->period, p->prev_key);
	if (key == p->prev_key) {
		perr(p, c->line, col, "duplicate date %s (also on line %u)",
		    a, p->prev_line);
		return false;
	}
	if (key < p->prev_key) {
		perr(p, c->line, col, "date %s is not after the previous "
		    "date %s (dates must be increasing)", a, b);
		return false;
	}
	next = util_date_next(p->period, p->prev_key);
	if (key == next)
		return true;
	if (p->period == PERIOD_WEEK && (key - p->prev_key) % 7 != 0) {
		perr(p, c->line, col, "date %s is not a whole number of weeks "
		    "after %s (weekly dates must be 7 days apart)", a, b);
		return true;
	}
	util_date_format(a, sizeof(a), p->period, next);
	perr(p, c->line, col, "gap in the series: %s is missing", a);
	return true;
}

/* A data record is complete: check it and append it. */
static void
data_row(struct parse *p)
{
	double		*v = p->v;
	size_t		 i;
	long		 k;
	int64_t		 key = 0;
	bool		 keyok = false;
	unsigned	 line = p->rec_start;
	char		 sh[SHOW_MAX * 4 + 16];

	if (p->nf != p->nheader) {
		perr(p, line, 0, "row has %zu field%s, the header has %zu",
		    p->nf, p->nf == 1 ? "" : "s", p->nheader);
		p->have_prev = false;	/* no gap error for a dropped row */
		return;
	}
	if (p->s->n == SERIES_MAX_ROWS) {
		halt(p, line, 0, "more than %d data rows (the limit for one "
		    "file)", SERIES_MAX_ROWS);
		return;
	}
	for (i = 0; i < p->nf; i++) {
		const struct cell *c = &p->rec[i];

		if (i == p->datefield) {
			if (util_date_parse(c->text, p->period, &key))
				keyok = true;
			else {
				perr(p, c->line, (unsigned)i + 1, "\"%s\" is not "
				    "a valid date (column \"%s\", expected %s)",
				    shown(c->text, sh, sizeof(sh)), p->header[i],
				    date_form(p->period));
				p->have_prev = false;
			}
			if (keyok && !date_order(p, key, c, (unsigned)i + 1))
				keyok = false;
			continue;
		}
		if ((k = p->fieldmap[i]) < 0)
			continue;
		v[k] = NAN;
		if (is_missing(c->text)) {
			if (p->cols[k].required)
				perr(p, c->line, (unsigned)i + 1, "missing value "
				    "in column \"%s\"", p->header[i]);
			continue;
		}
		if (!util_parse_double(c->text, &v[k])) {
			v[k] = NAN;
			perr(p, c->line, (unsigned)i + 1, "\"%s\" is not a "
			    "%snumber (column \"%s\")",
			    shown(c->text, sh, sizeof(sh)),
			    non_finite(c->text) ? "finite " : "", p->header[i]);
			continue;
		}
		if (p->cols[k].nonneg && v[k] < 0) {
			perr(p, c->line, (unsigned)i + 1, "value \"%s\" must be "
			    ">= 0 (column \"%s\")", shown(c->text, sh,
			    sizeof(sh)), p->header[i]);
			v[k] = NAN;
		}
	}
	if (keyok) {
		row_append(p, key, line, v);
		p->have_prev = true;
		p->prev_key = key;
		p->prev_line = line;
	}
}

static void
on_field(void *s, size_t len, void *arg)
{
	struct parse	*p = arg;
	struct cell	*c;

	size_t		 old = p->recap;

	if (p->nf == p->recap) {
		p->recap = p->recap ? p->recap * 2 : 16;
		p->rec = xreallocarray(p->rec, p->recap, sizeof(*p->rec));
		memset(p->rec + old, 0, (p->recap - old) * sizeof(*p->rec));
	}
	c = &p->rec[p->nf++];
	if (s == NULL)
		len = 0;
	if (len > SERIES_MAX_LINE) {
		halt(p, p->line, 0, "a field longer than %d MB (the limit)",
		    SERIES_MAX_LINE >> 20);
		len = 0;
	}
	if (c->cap < len + 1) {
		c->cap = len + 1 > 32 ? len + 1 : 32;
		c->text = xrealloc(c->text, c->cap);
	}
	if (len > 0)
		memcpy(c->text, s, len);
	c->text[len] = '\0';
	c->line = p->nf == 1 ? p->rec_start : p->prev_end;
	if (c->line == 0)
		c->line = p->line;
	p->prev_end = p->line;
}

static void
on_record(int term, void *arg)
{
	struct parse	*p = arg;
	size_t		 i;

	(void)term;
	if (!p->header_done) {
		p->nheader = p->nf;
		p->header = xcalloc(p->nf ? p->nf : 1, sizeof(*p->header));
		for (i = 0; i < p->nf; i++) {
			p->header[i] = p->rec[i].text;
			p->rec[i].text = NULL;
			p->rec[i].cap = 0;
		}
		p->header_done = true;
		header_map(p);
	} else if (!p->fatal && !p->stopped)
		data_row(p);
	rec_reset(p);
}

static void
parser_init(struct csv_parser *cp)
{
	if (csv_init(cp, CSV_STRICT | CSV_APPEND_NULL | CSV_STRICT_FINI) != 0)
		abort();
	csv_set_realloc_func(cp, xrealloc);
	csv_set_free_func(cp, free);
}

static bool
blank_line(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
		    s[i] != '\n')
			return false;
	return true;
}

static void
parse_free(struct parse *p)
{
	size_t	 i;

	for (i = 0; i < p->recap; i++)
		free(p->rec[i].text);
	free(p->rec);
	for (i = 0; i < p->nheader; i++)
		free(p->header[i]);
	free(p->header);
	free(p->fieldmap);
	free(p->cols);
	free(p->v);
}

static void
parse_begin(struct parse *p, struct csv_parser *cp, const char *file,
    enum period period, const struct series_req *reqs, size_t nreqs)
{
	memset(p, 0, sizeof(*p));
	p->file = file;
	p->period = period;
	p->reqs = reqs;
	p->nreqs = nreqs;
	p->s = xcalloc(1, sizeof(*p->s));
	p->datefield = (size_t)-1;
	parser_init(cp);
}

/* Feeds one physical line s[0..n) (with its newline, if any). */
static void
parse_line(struct parse *p, struct csv_parser *cp, const char *s, size_t n)
{
	const char	*z;

	if (p->stopped)
		return;
	p->line++;
	if (p->line == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		s += 3;		/* SPEC 3.3: a BOM is accepted */
		n -= 3;
	}
	if (n > SERIES_MAX_LINE) {
		halt(p, p->line, 0, "line is longer than %d MB (the limit for "
		    "one line)", SERIES_MAX_LINE >> 20);
		return;
	}
	if ((z = memchr(s, '\0', n)) != NULL) {
		halt(p, p->line, (unsigned)(z - s) + 1, "binary data (a NUL "
		    "byte): this is not a CSV text file");
		return;
	}
	if (p->rec_start == 0 && !blank_line(s, n))
		p->rec_start = p->line;
	if (csv_parse(cp, s, n, on_field, on_record, p) != n) {
		perr(p, p->line, (unsigned)p->nf + 1, "malformed "
		    "quoted field (quote the whole field and double "
		    "any quote inside it)");
		csv_free(cp);
		rec_reset(p);
		p->have_prev = false;
		parser_init(cp);
	}
}

/* Ends the parse: the series, or NULL when any error was reported. */
static struct series *
parse_end(struct parse *p, struct csv_parser *cp)
{
	struct series	*s = p->s;
	size_t		 k;

	if (!p->stopped && csv_fini(cp, on_field, on_record, p) != 0)
		perr(p, p->nf == 0 ? p->rec_start : p->prev_end,
		    (unsigned)p->nf + 1, "unterminated quoted field");
	csv_free(cp);

	if (!p->header_done && p->errors == 0)
		perr(p, 0, 0, "empty file (a header row is required)");
	else if (p->header_done && !p->fatal && p->errors == 0 && s->n == 0)
		perr(p, 0, 0, "no data rows after the header");
	parse_free(p);
	if (p->errors > 0 || p->stopped) {
		series_free(s);
		return NULL;
	}
	if (s->n < p->cap) {
		s->key = xreallocarray(s->key, s->n, sizeof(*s->key));
		s->line = xreallocarray(s->line, s->n, sizeof(*s->line));
		for (k = 0; k < s->ncols; k++)
			s->cols[k].v = xreallocarray(s->cols[k].v, s->n,
			    sizeof(double));
	}
	return s;
}

struct series *
series_parse(const char *data, size_t len, const char *file,
    enum period period, const struct series_req *reqs, size_t nreqs)
{
	struct csv_parser	 cp;
	struct parse		 p;
	const char		*s = data, *end = data + len, *nl;
	size_t			 n;

	parse_begin(&p, &cp, file, period, reqs, nreqs);
	while (s < end && !p.stopped) {
		nl = memchr(s, '\n', (size_t)(end - s));
		n = nl == NULL ? (size_t)(end - s) : (size_t)(nl - s) + 1;
		parse_line(&p, &cp, s, n);
		s += n;
	}
	return parse_end(&p, &cp);
}

struct series *
series_load(const char *path, struct srcpos pos, enum period period,
    const struct series_req *reqs, size_t nreqs)
{
	struct csv_parser	 cp;
	struct parse		 p;
	struct stat		 st;
	struct buf		 carry;
	char			*chunk;
	const char		*s, *end, *nl;
	ssize_t			 got;
	int			 fd;

	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &st) == -1) {
		diag_error(pos.file, pos.line, pos.col,
		    "cannot read data file \"%s\": %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_error(pos.file, pos.line, pos.col, "data file \"%s\" is "
		    "not a regular file", path);
		close(fd);
		return NULL;
	}
	if (st.st_size > SERIES_MAX_BYTES) {
		diag_error(path, 0, 0, "data file is larger than the %d MB "
		    "limit (%lld MB)", SERIES_MAX_BYTES >> 20,
		    (long long)(st.st_size >> 20));
		close(fd);
		return NULL;
	}
	parse_begin(&p, &cp, path, period, reqs, nreqs);
	chunk = xmalloc(SERIES_CHUNK);
	buf_init(&carry);
	while (!p.stopped) {
		if ((got = read(fd, chunk, SERIES_CHUNK)) == 0)
			break;
		if (got == -1) {
			if (errno == EINTR)
				continue;
			halt(&p, 0, 0, "cannot read: %s", strerror(errno));
			break;
		}
		for (s = chunk, end = chunk + got; s < end && !p.stopped; ) {
			nl = memchr(s, '\n', (size_t)(end - s));
			if (nl == NULL) {
				/* the line goes on in the next read */
				if (carry.len + (size_t)(end - s) >
				    SERIES_MAX_LINE + 3)
					halt(&p, p.line + 1, 0, "line is longer "
					    "than %d MB (the limit for one "
					    "line)", SERIES_MAX_LINE >> 20);
				else
					buf_put(&carry, s, (size_t)(end - s));
				break;
			}
			nl++;
			if (carry.len > 0) {
				buf_put(&carry, s, (size_t)(nl - s));
				parse_line(&p, &cp, carry.data, carry.len);
				carry.len = 0;
			} else
				parse_line(&p, &cp, s, (size_t)(nl - s));
			s = nl;
		}
	}
	if (carry.len > 0)
		parse_line(&p, &cp, carry.data, carry.len);
	buf_clear(&carry);
	free(chunk);
	close(fd);
	return parse_end(&p, &cp);
}

void
series_free(struct series *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	for (i = 0; i < s->ncols; i++) {
		free(s->cols[i].name);
		free(s->cols[i].v);
	}
	free(s->cols);
	free(s->key);
	free(s->line);
	free(s);
}

const double *
series_column(const struct series *s, const char *name)
{
	size_t	 i;

	if (s == NULL || name == NULL)
		return NULL;
	for (i = 0; i < s->ncols; i++)
		if (strcmp(s->cols[i].name, name) == 0)
			return s->cols[i].v;
	return NULL;
}
