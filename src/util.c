/*
 * util.c: allocators, buffers, files, numbers, ISO dates, percentiles and
 * a small thread pool.  See util.h.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static void
oom(void)
{
	fputs("boardpack: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void	*p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void	*p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n ? n : 1)) == NULL)
		oom();
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t sz)
{
	if (sz && n > SIZE_MAX / sz)
		oom();
	return xrealloc(p, n * sz);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	struct buf	 b;
	va_list		 ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return buf_release(&b);
}

void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

void
buf_clear(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_reserve_grow(struct buf *b, size_t extra)
{
	size_t	 need;

	if (extra > SIZE_MAX - b->len - 1)
		oom();
	need = b->len + extra + 1;
	if (need > b->cap) {
		if (b->cap < 64)
			b->cap = 64;
		while (b->cap < need)
			b->cap = b->cap > SIZE_MAX / 2 ? need : b->cap * 2;
		b->data = xrealloc(b->data, b->cap);
		b->data[b->len] = '\0';
	}
}

/* The external definitions of util.h's inline functions. */
extern inline char *buf_reserve(struct buf *, size_t);
extern inline void buf_put(struct buf *, const void *, size_t);
extern inline void buf_puts(struct buf *, const char *);
extern inline void buf_putc(struct buf *, char);

/* Formats into the spare capacity first; only output longer than that
 * is formatted a second time, after growing. */
void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 cp;
	size_t	 room;
	int	 n;

	if (b->cap - b->len < 64)
		buf_reserve(b, 63);	/* a new buffer: 64 bytes, as before */
	room = b->cap - b->len;
	va_copy(cp, ap);
	n = vsnprintf(b->data + b->len, room, fmt, cp);
	va_end(cp);
	if (n < 0) {
		b->data[b->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		buf_reserve(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *
buf_release(struct buf *b)
{
	char	*p = b->data;

	if (p == NULL)
		p = xstrdup("");
	buf_init(b);
	return p;
}

char *
util_path_join(const char *a, const char *b)
{
	size_t	 la = strlen(a);

	if (b[0] == '/' || la == 0)
		return xstrdup(b);
	if (a[la - 1] == '/')
		return xasprintf("%s%s", a, b);
	return xasprintf("%s/%s", a, b);
}

char *
util_dirname(const char *p)
{
	const char	*s = strrchr(p, '/');

	if (s == NULL)
		return xstrdup(".");
	if (s == p)
		return xstrdup("/");
	return xstrndup(p, (size_t)(s - p));
}

bool
util_is_dir(const char *p)
{
	struct stat	 st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

bool
util_is_file(const char *p)
{
	struct stat	 st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

char *
util_file_read(const char *path, size_t *len)
{
	struct buf	 b;
	struct stat	 st;
	size_t		 want;
	ssize_t		 n;
	int		 fd, saved;

	if ((fd = open(path, O_RDONLY)) == -1)
		return NULL;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EISDIR;
		return NULL;
	}
	/* Read straight into a buffer of the file's size (one more byte
	 * to see the end at once); a file that grows meanwhile still
	 * reads to its end. */
	buf_init(&b);
	want = (size_t)st.st_size + 1;
	for (;;) {
		buf_reserve(&b, want);
		if ((n = read(fd, b.data + b.len, want)) == 0)
			break;
		if (n == -1) {
			if (errno == EINTR)
				continue;
			saved = errno;
			buf_clear(&b);
			close(fd);
			errno = saved;
			return NULL;
		}
		buf_commit(&b, (size_t)n);
		want = b.cap - b.len - 1 > 65536 ? b.cap - b.len - 1 : 65536;
	}
	close(fd);
	if (len != NULL)
		*len = b.len;
	return buf_release(&b);
}

int
util_mkdirs(const char *path)
{
	char	*p = xstrdup(path), *s;
	int	 rc = 0;

	for (s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) == -1 && errno != EEXIST) {
			rc = -1;
			break;
		}
		*s = '/';
	}
	if (rc == 0 && mkdir(p, 0777) == -1 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

int
util_file_write(const char *path, const void *data, size_t len)
{
	const char	*p = data;
	char		*dir;
	ssize_t		 n;
	int		 fd, saved;

	/* The directory is made only when missing: a mkdir per path
	 * component of every file cost more than writing small pages. */
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666)) == -1) {
		if (errno != ENOENT)
			return -1;
		dir = util_dirname(path);
		if (util_mkdirs(dir) == -1) {
			free(dir);
			return -1;
		}
		free(dir);
		if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666)) == -1)
			return -1;
	}
	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return close(fd);
}

char *
util_data_dir(void)
{
	const char	*env = getenv("BOARDPACK_DATADIR");
	char		 exe[4096], *dir, *t;
	ssize_t		 n;

	if (env != NULL && env[0] != '\0')
		return xstrdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		dir = util_dirname(exe);
		t = util_path_join(dir, "templates");
		if (util_is_dir(t)) {
			free(t);
			return dir;
		}
		free(t);
		free(dir);
	}
	return xstrdup(".");
}

/* The powers of ten a double holds exactly (10^22 = 2^22 * 5^22, and
 * 5^22 < 2^53). */
static const double util_pow10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/* The common case of util_parse_double without strtod: [+-]digits
 * [.digits], 15 digits at most, then blanks.  The digits m < 10^15 <
 * 2^53 and 10^k (k <= 15) are exact, so m / 10^k is one correctly
 * rounded division: the double strtod gives.  false: not this form. */
static bool
util_parse_simple(const char *s, double *out)
{
	uint64_t	 m = 0;
	int		 nd = 0, k = -1;
	bool		 neg = false;
	double		 v;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (;; s++) {
		if (*s >= '0' && *s <= '9') {
			if (++nd > 15)
				return false;
			m = m * 10 + (uint64_t)(*s - '0');
			if (k >= 0)
				k++;
		} else if (*s == '.' && k < 0)
			k = 0;
		else
			break;
	}
	if (nd == 0)
		return false;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s != '\0')
		return false;
	v = k > 0 ? (double)m / util_pow10[k] : (double)m;
	*out = neg ? -v : v;
	return true;
}

bool
util_parse_double(const char *s, double *out)
{
	char	*end;
	double	 v;

	while (*s == ' ' || *s == '\t')
		s++;
	if (util_parse_simple(s, out))
		return true;
	/* Only plain decimal numbers: no hex, inf, nan. */
	if (!(isdigit((unsigned char)*s) || *s == '-' || *s == '+' || *s == '.'))
		return false;
	if (strpbrk(s, "xXnNiI") != NULL)
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno == ERANGE || !isfinite(v))
		return false;
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end != '\0')
		return false;
	*out = v;
	return true;
}

bool
util_parse_long(const char *s, long *out)
{
	char	*end;
	long	 v;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!(isdigit((unsigned char)*s) || *s == '-' || *s == '+'))
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || errno == ERANGE)
		return false;
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end != '\0')
		return false;
	*out = v;
	return true;
}

/* The fast path of util_fmt_g: the sig digits of |v| correctly rounded
 * into *digits (10^(sig-1) <= *digits < 10^sig) and the decimal
 * exponent of the first into *exp10, or false when it cannot prove them
 * and snprintf must decide.  d = |v| * 10^s is computed with a single
 * rounding (10^|s| is exact for |s| <= 22, and * and / round
 * correctly), so it is within half an ulp of the exact product t.
 * With sig <= 15, d < 10^15 < 2^50, so its fraction is held exactly and
 * every k + 1/2 is a double; rounding is monotonic, so d can only reach
 * the other side of k + 1/2 from t by landing on it.  Values within an
 * ulp of a tie (a margin beyond that proof) go to snprintf, which knows
 * the exact binary value and breaks true ties as glibc does. */
static bool
util_fmt_digits(double a, int sig, uint64_t *digits, int *exp10)
{
	uint64_t	 bits, u;
	double		 d, f;
	int		 e, s, tries;

	memcpy(&bits, &a, sizeof(bits));
	if ((e = (int)(bits >> 52 & 0x7ff)) == 0)
		return false;			/* subnormal */
	/* 2^(e-1023) <= a < 2^(e-1022), so floor((e-1023) * 1233/4096)
	 * (1233/4096 ~ log10(2)) is floor(log10(a)) give or take one;
	 * the loop below settles it. */
	e = (e - 1023) * 1233;
	s = sig - 1 - (e >= 0 ? e / 4096 : -((4095 - e) / 4096));
	for (tries = 0; ; tries++) {
		if (tries == 3 || s > 22 || s < -22)
			return false;
		d = s >= 0 ? a * util_pow10[s] : a / util_pow10[-s];
		if (d < util_pow10[sig - 1])
			s++;
		else if (d >= util_pow10[sig])
			s--;
		else
			break;
	}
	u = (uint64_t)d;			/* floor: 0 < d < 2^53 */
	f = d - (double)u;			/* exact */
	if (fabs(f - 0.5) <= d * 0x1p-52)
		return false;			/* too near a tie to call */
	if (f > 0.5 && ++u == (uint64_t)util_pow10[sig]) {
		u /= 10;			/* 9.99.. rounded up to 10.0.. */
		s--;
	}
	*digits = u;
	*exp10 = sig - 1 - s;
	return true;
}

/* "00" "01" .. "99". */
static const char util_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930"
	"31323334353637383940414243444546474849505152535455565758596061"
	"6263646566676869707172737475767778798081828384858687888990919293"
	"949596979899";

/* Formats v exactly as snprintf(out, UTIL_FMT_G_SIZE, "%.*g", sig, v)
 * would (sig clamped to 1..17): the digits come from integer arithmetic
 * when util_fmt_digits can prove them, else from snprintf itself.
 * Returns the length; out is NUL-terminated. */
size_t
util_fmt_g(char *out, double v, int sig)
{
	char		 dg[24], *p = out;
	uint64_t	 u;
	int		 x, i, nd, ax;

	if (sig < 1)
		sig = 1;
	else if (sig > 17)
		sig = 17;
	if (v == 0) {
		if (signbit(v))
			*p++ = '-';
		*p++ = '0';
		*p = '\0';
		return (size_t)(p - out);
	}
	if (sig > 15 || !isfinite(v) ||
	    !util_fmt_digits(fabs(v), sig, &u, &x)) {
		i = snprintf(out, UTIL_FMT_G_SIZE, "%.*g", sig, v);
		return i > 0 ? (size_t)i : 0;
	}
	for (i = sig; i >= 2; i -= 2) {		/* two digits a step */
		memcpy(dg + i - 2, util_pairs + 2 * (u % 100), 2);
		u /= 100;
	}
	if (i == 1)
		dg[0] = (char)('0' + u);
	for (nd = sig; nd > 1 && dg[nd - 1] == '0'; nd--)
		;			/* %g drops trailing zeros */
	if (v < 0)
		*p++ = '-';
	if (x < -4 || x >= sig) {	/* %e style: d.ddde+XX */
		*p++ = dg[0];
		if (nd > 1) {
			*p++ = '.';
			memcpy(p, dg + 1, (size_t)nd - 1);
			p += nd - 1;
		}
		*p++ = 'e';
		*p++ = x < 0 ? '-' : '+';
		ax = x < 0 ? -x : x;
		if (ax >= 100)
			*p++ = (char)('0' + ax / 100);
		*p++ = (char)('0' + ax / 10 % 10);
		*p++ = (char)('0' + ax % 10);
	} else if (x >= 0) {		/* ddd.ddd */
		memcpy(p, dg, (size_t)x + 1);
		p += x + 1;
		if (nd > x + 1) {
			*p++ = '.';
			memcpy(p, dg + x + 1, (size_t)(nd - x - 1));
			p += nd - x - 1;
		}
	} else {			/* 0.000ddd */
		*p++ = '0';
		*p++ = '.';
		for (i = x + 1; i < 0; i++)
			*p++ = '0';
		memcpy(p, dg, (size_t)nd);
		p += nd;
	}
	*p = '\0';
	return (size_t)(p - out);
}

/* Formats v as snprintf(out, UTIL_FMT_G_SIZE, "%.*f", dec, v) would
 * (dec clamped to 0..10): for |v| * 10^dec < 2^50 the digits come from
 * one correctly rounded product, as in util_fmt_digits (same proof,
 * same margin around ties); otherwise, or near a tie, from snprintf.
 * Returns the length; out is NUL-terminated. */
size_t
util_fmt_ll(char *out, long long v)
{
	char			 t[24], *p = t + sizeof(t);
	unsigned long long	 u;
	size_t			 n;

	u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	n = (size_t)(t + sizeof(t) - p);
	memcpy(out, p, n);
	return n;
}

size_t
util_fmt_f(char *out, double v, int dec)
{
	char		 dg[24];
	double		 a = fabs(v), d, f;
	uint64_t	 u;
	int		 i, n;
	char		*p = out;

	if (dec < 0)
		dec = 0;
	else if (dec > 10)
		dec = 10;
	if (!isfinite(v) || (d = a * util_pow10[dec]) >= 0x1p50)
		goto slow;
	u = (uint64_t)d;			/* floor: 0 <= d < 2^50 */
	f = d - (double)u;			/* exact */
	if (fabs(f - 0.5) <= (d > 1 ? d : 1) * 0x1p-52)
		goto slow;			/* too near a tie to call */
	if (f > 0.5)
		u++;
	for (n = 0; n == 0 || u > 0 || n <= dec; n++) {
		dg[n] = (char)('0' + u % 10);	/* reversed */
		u /= 10;
	}
	if (signbit(v))
		*p++ = '-';			/* printf keeps "-0.0" */
	for (i = n - 1; i >= 0; i--) {
		*p++ = dg[i];
		if (i == dec && dec > 0)
			*p++ = '.';
	}
	*p = '\0';
	return (size_t)(p - out);
slow:
	i = snprintf(out, UTIL_FMT_G_SIZE, "%.*f", dec, v);
	if (i > 0 && i < UTIL_FMT_G_SIZE)
		return (size_t)i;
	out[0] = '\0';
	return 0;
}

void
util_fmt_num(char *out, size_t sz, double v)
{
	char	 s[UTIL_FMT_G_SIZE];
	size_t	 n;

	if (sz == 0)
		return;
	if (!isfinite(v)) {
		out[0] = '\0';
		return;
	}
	if (v == 0)
		v = 0;	/* no "-0" */
	n = util_fmt_g(s, v, 10);
	if (n >= sz)
		n = sz - 1;	/* truncated, as snprintf would */
	memcpy(out, s, n);
	out[n] = '\0';
}

/* Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms". */
int64_t
util_days_from_civil(int y, unsigned m, unsigned d)
{
	int64_t		 yy = y - (m <= 2);
	int64_t		 era = (yy >= 0 ? yy : yy - 399) / 400;
	unsigned	 yoe = (unsigned)(yy - era * 400);
	unsigned	 doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned	 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (int64_t)doe - 719468;
}

void
util_civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t		 era, yy;
	unsigned	 doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

unsigned
util_weekday(int64_t day)
{
	/* 1970-01-01 was a Thursday (3 with Monday = 0). */
	int64_t	 w = (day + 3) % 7;

	return (unsigned)(w < 0 ? w + 7 : w);
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned
month_days(int y, unsigned m)
{
	static const unsigned char md[] =
	    { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : md[m - 1];
}

/* Reads exactly n digits at s into *v. */
static bool
digits(const char *s, int n, int *v)
{
	int	 i, x = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return true;
}

bool
util_date_parse(const char *s, enum period p, int64_t *key)
{
	size_t	 len = strlen(s);
	int	 y, m, d = 1, h = 0;

	if (len < 7 || !digits(s, 4, &y) || s[4] != '-' ||
	    !digits(s + 5, 2, &m) || m < 1 || m > 12)
		return false;
	if (p == PERIOD_MONTH) {
		if (len == 7) {
			*key = util_days_from_civil(y, (unsigned)m, 1);
			return true;
		}
		if (len != 10 || strcmp(s + 7, "-01") != 0)
			return false;
		*key = util_days_from_civil(y, (unsigned)m, 1);
		return true;
	}
	if (len < 10 || s[7] != '-' || !digits(s + 8, 2, &d) || d < 1 ||
	    (unsigned)d > month_days(y, (unsigned)m))
		return false;
	if (p == PERIOD_HOUR) {
		if (len != 13 || s[10] != 'T' || !digits(s + 11, 2, &h) ||
		    h > 23)
			return false;
		*key = util_days_from_civil(y, (unsigned)m, (unsigned)d) * 24 + h;
		return true;
	}
	if (len != 10)
		return false;
	*key = util_days_from_civil(y, (unsigned)m, (unsigned)d);
	return true;
}

bool
util_day_parse(const char *s, int64_t *day)
{
	return util_date_parse(s, PERIOD_DAY, day);
}

static int64_t
floordiv(int64_t a, int64_t b)
{
	int64_t	 q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Writes the n-digit decimal of v (leading zeros) at s. */
static void
util_digits(char *s, unsigned v, int n)
{
	while (n-- > 0) {
		s[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

void
util_date_format(char *out, size_t sz, enum period p, int64_t key)
{
	char		 s[16];
	int		 y;
	unsigned	 m, d;
	size_t		 n;
	int64_t		 day = util_key_day(p, key);

	util_civil_from_days(day, &y, &m, &d);
	if (y >= 0 && y <= 9999 && sz > 0) {
		/* The snprintf formats below, without printf. */
		util_digits(s, (unsigned)y, 4);
		s[4] = '-';
		util_digits(s + 5, m, 2);
		n = 7;
		if (p != PERIOD_MONTH) {
			s[7] = '-';
			util_digits(s + 8, d, 2);
			n = 10;
		}
		if (p == PERIOD_HOUR) {
			s[10] = 'T';
			util_digits(s + 11, (unsigned)(key - day * 24), 2);
			n = 13;
		}
		if (n >= sz)
			n = sz - 1;
		memcpy(out, s, n);
		out[n] = '\0';
		return;
	}
	switch (p) {
	case PERIOD_HOUR:
		snprintf(out, sz, "%04d-%02u-%02uT%02u", y, m, d,
		    (unsigned)(key - day * 24));
		break;
	case PERIOD_MONTH:
		snprintf(out, sz, "%04d-%02u", y, m);
		break;
	default:
		snprintf(out, sz, "%04d-%02u-%02u", y, m, d);
		break;
	}
}

int64_t
util_date_next(enum period p, int64_t key)
{
	int		 y;
	unsigned	 m, d;

	switch (p) {
	case PERIOD_HOUR:
	case PERIOD_DAY:
		return key + 1;
	case PERIOD_WEEK:
		return key + 7;
	case PERIOD_MONTH:
		util_civil_from_days(key, &y, &m, &d);
		return m == 12 ? util_days_from_civil(y + 1, 1, 1) :
		    util_days_from_civil(y, m + 1, 1);
	}
	return key + 1;
}

int64_t
util_key_day(enum period p, int64_t key)
{
	return p == PERIOD_HOUR ? floordiv(key, 24) : key;
}

double
util_period_days(enum period p)
{
	switch (p) {
	case PERIOD_HOUR:
		return 1.0 / 24.0;
	case PERIOD_DAY:
		return 1.0;
	case PERIOD_WEEK:
		return 7.0;
	case PERIOD_MONTH:
		return 30.4375;
	}
	return 1.0;
}

const char *
util_period_name(enum period p)
{
	static const char *const names[] = { "hour", "day", "week", "month" };

	return names[p];
}

double
util_pct_sorted(const double *x, size_t n, double p)
{
	double	 h, lo;
	size_t	 i;

	if (n == 0)
		return NAN;
	/* R type 7: h = (n - 1) p + 1, 1-based. */
	h = (double)(n - 1) * (p / 100.0);
	lo = floor(h);
	i = (size_t)lo;
	if (i + 1 >= n)
		return x[n - 1];
	return x[i] + (h - lo) * (x[i + 1] - x[i]);
}

/* Stable insertion sort of v[0..n). */
static void
sort_insertion(double *v, size_t n)
{
	size_t	 i, j;
	double	 x;

	for (i = 1; i < n; i++) {
		x = v[i];
		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

#define SORT_RUN	16

void
util_sort_doubles(double *v, size_t n)
{
	double	*tmp, *src, *dst, *t;
	size_t	 w, lo, mid, hi, i, j, k;

	for (lo = 0; lo < n; lo += SORT_RUN)
		sort_insertion(v + lo, n - lo < SORT_RUN ? n - lo : SORT_RUN);
	if (n <= SORT_RUN)
		return;
	/* Bottom-up merges of runs, left first on ties (stable). */
	tmp = xreallocarray(NULL, n, sizeof(*tmp));
	src = v;
	dst = tmp;
	for (w = SORT_RUN; w < n; w *= 2) {
		for (lo = 0; lo < n; lo += 2 * w) {
			mid = lo + w < n ? lo + w : n;
			hi = lo + 2 * w < n ? lo + 2 * w : n;
			i = lo;
			j = mid;
			k = lo;
			while (i < mid && j < hi)
				dst[k++] = src[j] < src[i] ? src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		t = src;
		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
	free(tmp);
}

size_t
util_sorted_finite(const double *v, size_t n, double *out)
{
	size_t	 i, k = 0;

	for (i = 0; i < n; i++)
		if (isfinite(v[i]))
			out[k++] = v[i];
	util_sort_doubles(out, k);
	return k;
}

double
util_mean(const double *v, size_t n)
{
	long double	 s = 0;
	size_t		 i, k = 0;

	for (i = 0; i < n; i++)
		if (isfinite(v[i])) {
			s += v[i];
			k++;
		}
	return k ? (double)(s / k) : NAN;
}

double
util_sd(const double *v, size_t n)
{
	long double	 s = 0, d;
	double		 m = util_mean(v, n);
	size_t		 i, k = 0;

	for (i = 0; i < n; i++)
		if (isfinite(v[i])) {
			d = v[i] - m;
			s += d * d;
			k++;
		}
	return k > 1 ? (double)sqrtl(s / (k - 1)) : NAN;
}

size_t
util_edit_distance(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), i, j, *row, prev, tmp, best;

	row = xcalloc(lb + 1, sizeof(size_t));
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	best = row[lb];
	free(row);
	return best;
}

struct pfor {
	size_t		 n;
	atomic_size_t	 next;
	void		(*fn)(size_t, void *);
	void		*arg;
};

static void *
pfor_worker(void *p)
{
	struct pfor	*pf = p;
	size_t		 i;

	while ((i = atomic_fetch_add(&pf->next, 1)) < pf->n)
		pf->fn(i, pf->arg);
	return NULL;
}

void
util_parallel_for(size_t n, int jobs, void (*fn)(size_t, void *), void *arg)
{
	struct pfor	 pf;
	pthread_t	*th;
	size_t		 i, nth;

	if (jobs < 1)
		jobs = 1;
	nth = (size_t)jobs < n ? (size_t)jobs : n;
	if (nth <= 1) {
		for (i = 0; i < n; i++)
			fn(i, arg);
		return;
	}
	pf.n = n;
	atomic_init(&pf.next, 0);
	pf.fn = fn;
	pf.arg = arg;
	th = xcalloc(nth - 1, sizeof(pthread_t));
	for (i = 0; i + 1 < nth; i++)
		if (pthread_create(&th[i], NULL, pfor_worker, &pf) != 0)
			break;
	nth = i;
	pfor_worker(&pf);
	for (i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	free(th);
}
