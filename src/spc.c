/*
 * spc.c: XmR charts as NHSRplotthedots computes them, and the Anhoej
 * runs analysis of qicharts2 (SPEC 4.3).  The upstream code this ports
 * is summarised, with its quirks, in shared/reference/spc-rules.md;
 * comments below cite the upstream function they follow.
 */
#include <math.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spc.h"
#include "util.h"

/* NHSRplotthedots ptd_spc_standard: limit <- 2.66; limitclose <-
 * 2 * (limit / 3); screening at 3.267 * amr. */
#define SPC_LIMIT	2.66
#define SPC_SCREEN	3.267
#define SPC_RUN		7	/* NHSRplotthedots: run and trend of 7 */
#define SPC_TRIAL	12	/* SPEC 4.3: trial limits below 12 points */

static const char SCT_ABOVE[] = "Above UCL";
static const char SCT_BELOW[] = "Below LCL";
static const char SCT_INC[] = "7 Point Trend (Increasing)";
static const char SCT_DEC[] = "7 Point Trend (Decreasing)";
static const char SCT_TWO_ABOVE[] = "2 in 3 Above CL";
static const char SCT_TWO_BELOW[] = "2 in 3 Below CL";
static const char SCT_RUN_ABOVE[] = "7 Points Above CL";
static const char SCT_RUN_BELOW[] = "7 Points Below CL";
static const char SCT_COMMON[] = "Common Cause";

static const char PT_COMMON[] = "common_cause";
static const char PT_IMPROVE[] = "special_cause_improvement";
static const char PT_CONCERN[] = "special_cause_concern";
static const char PT_HIGH[] = "special_cause_neutral_high";
static const char PT_LOW[] = "special_cause_neutral_low";

/* calloc that returns NULL for zero items (xcalloc(0) need not). */
static void *
alloc_n(size_t n, size_t size)
{
	return n ? xcalloc(n, size) : NULL;
}

static int
sign_of(double d)
{
	return (d > 0) - (d < 0);
}

double
spc_mean(const double *v, size_t n)
{
	long double s = 0, t = 0;
	size_t i, k = 0;

	/* R summary.c real_mean: long double sum, then one pass adding
	 * the mean residual. */
	for (i = 0; i < n; i++)
		if (!isnan(v[i])) {
			s += v[i];
			k++;
		}
	if (k == 0)
		return NAN;
	s /= (long double)k;
	if (isfinite((double)s)) {
		for (i = 0; i < n; i++)
			if (!isnan(v[i]))
				t += (long double)v[i] - s;
		s += t / (long double)k;
	}
	return (double)s;
}

static void
swap_d(double *a, double *b)
{
	double t = *a;

	*a = *b;
	*b = t;
}

/* Moves the k-th least of s[0..n) (k < n, no NAN) to s[k], with no
 * greater value before it and no smaller one after it (Hoare's
 * selection, median-of-three pivots; a sort past too many rounds). */
static void
select_kth(double *s, size_t n, size_t kk)
{
	ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, i, j, mid;
	ptrdiff_t k = (ptrdiff_t)kk;
	int rounds = 0;
	double p;

	while (hi > lo) {
		if (++rounds > 64) {
			util_sort_doubles(s + lo, (size_t)(hi - lo + 1));
			return;
		}
		mid = lo + (hi - lo) / 2;
		if (s[mid] < s[lo])
			swap_d(&s[mid], &s[lo]);
		if (s[hi] < s[lo])
			swap_d(&s[hi], &s[lo]);
		if (s[hi] < s[mid])
			swap_d(&s[hi], &s[mid]);
		p = s[mid];
		i = lo;
		j = hi;
		while (i <= j) {
			while (s[i] < p)
				i++;
			while (p < s[j])
				j--;
			if (i <= j) {
				swap_d(&s[i], &s[j]);
				i++;
				j--;
			}
		}
		/* s[lo..j] <= p <= s[i..hi], and s(j..i) == p. */
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return;
	}
}

double
spc_median(const double *v, size_t n)
{
	double *s, m, two[2];
	size_t i, k = 0;

	s = alloc_n(n, sizeof(*s));
	for (i = 0; i < n; i++)
		if (!isnan(v[i]))
			s[k++] = v[i];
	if (k == 0) {
		free(s);
		return NAN;
	}
	/* The middle order statistics, without sorting: the median is the
	 * same value a sort gives (only the sign of a zero could differ,
	 * and the runs analysis cannot tell them apart). */
	select_kth(s, k, k / 2);
	if (k % 2)
		m = s[k / 2];
	else {
		/* R median(): mean() of the two middle values; the lower is
		 * the greatest below position k / 2. */
		two[0] = s[0];
		for (i = 1; i < k / 2; i++)
			if (s[i] > two[0])
				two[0] = s[i];
		two[1] = s[k / 2];
		m = spc_mean(two, 2);
	}
	free(s);
	return m;
}

void
spc_seven_point_one_side_mean(const int *rel, size_t n, int *out)
{
	size_t i, j;

	/* ptd_seven_point_one_side_mean: zero-padded in front, so a point
	 * on the mean (0) never starts or continues a run. */
	for (i = 0; i < n; i++) {
		out[i] = rel[i] != 0 && i + 1 >= SPC_RUN;
		for (j = 1; out[i] && j < SPC_RUN; j++)
			if (rel[i - j] != rel[i])
				out[i] = 0;
	}
}

void
spc_part_of_seven_trend(const int *v, size_t n, int *out)
{
	size_t i, next = SIZE_MAX;

	/* ptd_part_of_seven_trend: any(abs(v[i + 0:6]) == 1), from the
	 * end with the nearest such index at or after i. */
	for (i = n; i-- > 0;) {
		if (abs(v[i]) == 1)
			next = i;
		out[i] = next != SIZE_MAX && next - i < SPC_RUN;
	}
}

void
spc_seven_point_trend(const double *y, size_t n, int *out)
{
	size_t i, up = 0, down = 0;
	int s;

	/* ptd_seven_point_trend: 6 diffs all > 0 or all < 0; a tie (0)
	 * breaks the trend; fewer than 7 points have none.  up and down
	 * count the rising and falling diffs ending at i. */
	for (i = 0; i < n; i++) {
		out[i] = 0;
		if (i == 0)
			continue;
		s = sign_of(y[i] - y[i - 1]);
		up = s == 1 ? up + 1 : 0;
		down = s == -1 ? down + 1 : 0;
		if (i + 1 < SPC_RUN)
			continue;
		out[i] = up >= SPC_RUN - 1 ? 1 : down >= SPC_RUN - 1 ? -1 : 0;
	}
}

/* v[i + off], or 0 outside [0, n): upstream's zero padding. */
static int
padded(const int *v, size_t n, size_t i, int off)
{
	long long j = (long long)i + off;

	return j < 0 || j >= (long long)n ? 0 : v[j];
}

void
spc_two_in_three(const int *close, const int *rel, size_t n, int *out)
{
	size_t i;
	int k, c, r, hit[3];

	/* ptd_two_in_three: the three 3-point windows holding point i,
	 * zero-padded; >= 2 close and |sum(rel)| == 3 (PTD issue #143).
	 * hit[] holds the verdicts of the windows starting at i - 2,
	 * i - 1 and i, each found once. */
	for (i = 0; i < n + 2; i++) {
		/* The window starting at i - 2 (padded at both ends). */
		c = r = 0;
		for (k = -2; k <= 0; k++) {
			c += padded(close, n, i, k) != 0;
			r += padded(rel, n, i, k);
		}
		hit[i % 3] = c >= 2 && abs(r) == 3;
		if (i < 2)
			continue;
		/* Point i - 2 sits in the windows starting at i - 4, i - 3
		 * and i - 2, found at this round and the two before. */
		out[i - 2] = hit[(i - 2) % 3] || hit[(i - 1) % 3] ||
		    hit[i % 3];
	}
}

void
spc_part_of_two_in_three(const int *v, const int *close, size_t n,
    int *out)
{
	size_t i;

	/* ptd_part_of_two_in_three: only the close points are flagged. */
	for (i = 0; i < n; i++)
		out[i] = v[i] == 1 && abs(close[i]) == 1;
}

/* ptd_special_cause_type, also returning the part-of flags of the
 * run, trend and 2-in-3 rules (any may be NULL). */
static void
special_cause(const double *y, const int *rel, const int *close,
    const int *outside, size_t n, const char **label, int *prun,
    int *ptrend, int *ptwo)
{
	int *tmp, *run, *trend, *two;
	size_t i;
	int s;

	if (n == 0)
		return;
	tmp = xcalloc(4 * n, sizeof(*tmp));
	run = prun ? prun : tmp + n;
	trend = ptrend ? ptrend : tmp + 2 * n;
	two = ptwo ? ptwo : tmp + 3 * n;

	spc_seven_point_trend(y, n, tmp);
	spc_part_of_seven_trend(tmp, n, trend);
	spc_two_in_three(close, rel, n, tmp);
	spc_part_of_two_in_three(tmp, close, n, two);
	spc_seven_point_one_side_mean(rel, n, tmp);
	spc_part_of_seven_trend(tmp, n, run);

	for (i = 0; i < n; i++) {
		if (outside[i])
			label[i] = rel[i] == 1 ? SCT_ABOVE : SCT_BELOW;
		else if (trend[i]) {
			/* Upstream quirk: a point whose successor is also in
			 * a trend takes the next diff, else the previous one;
			 * only +1 is "Increasing". */
			if (i + 1 < n && trend[i + 1])
				s = sign_of(y[i + 1] - y[i]);
			else
				s = i > 0 ? sign_of(y[i] - y[i - 1]) : 0;
			label[i] = s == 1 ? SCT_INC : SCT_DEC;
		} else if (two[i])
			label[i] = rel[i] > 0 ? SCT_TWO_ABOVE : SCT_TWO_BELOW;
		else if (run[i])
			label[i] = rel[i] > 0 ? SCT_RUN_ABOVE : SCT_RUN_BELOW;
		else
			label[i] = SCT_COMMON;
	}
	free(tmp);
}

void
spc_special_cause_type(const double *y, const int *rel, const int *close,
    const int *outside, size_t n, const char **out)
{
	special_cause(y, rel, close, outside, n, out, NULL, NULL, NULL);
}

const char *
spc_point_type(const char *sct, enum improvement imp)
{
	int v = 0;

	if (sct == NULL)
		return NULL;
	/* ptd_point_type: "Above|Increasing" -> 1, "Below|Decreasing" -> -1
	 * (spc.c's own labels known without searching them). */
	if (sct == SCT_COMMON)
		v = 0;
	else if (sct == SCT_ABOVE || sct == SCT_INC || sct == SCT_TWO_ABOVE ||
	    sct == SCT_RUN_ABOVE)
		v = 1;
	else if (sct == SCT_BELOW || sct == SCT_DEC || sct == SCT_TWO_BELOW ||
	    sct == SCT_RUN_BELOW)
		v = -1;
	else if (strstr(sct, "Above") || strstr(sct, "Increasing"))
		v = 1;
	else if (strstr(sct, "Below") || strstr(sct, "Decreasing"))
		v = -1;
	if (imp == IMPROVE_NEUTRAL)
		return v > 0 ? PT_HIGH : v < 0 ? PT_LOW : PT_COMMON;
	if (imp == IMPROVE_DECREASE)
		v = -v;
	return v > 0 ? PT_IMPROVE : v < 0 ? PT_CONCERN : PT_COMMON;
}

const char *
spc_icon(const char *pt, enum improvement imp)
{
	/* ptd_get_icons (geom_ptd_icon.R). */
	if (pt == NULL)
		return NULL;
	if (strcmp(pt, PT_HIGH) == 0)
		return "neutral_high";
	if (strcmp(pt, PT_LOW) == 0)
		return "neutral_low";
	if (strcmp(pt, PT_IMPROVE) == 0)
		return imp == IMPROVE_INCREASE ? "improvement_high" :
		    "improvement_low";
	if (strcmp(pt, PT_CONCERN) == 0)
		return imp == IMPROVE_INCREASE ? "concern_low" :
		    "concern_high";
	return "common_cause";
}

const char *
spc_assurance(double lpl, double upl, bool has_target, double target,
    enum improvement imp)
{
	/* ptd_calculate_assurance_type; NAN limits fall to inconsistent. */
	if (!has_target || imp == IMPROVE_NEUTRAL)
		return NULL;
	if (target > upl)
		return imp == IMPROVE_INCREASE ? "consistent_fail" :
		    "consistent_pass";
	if (target < lpl)
		return imp == IMPROVE_INCREASE ? "consistent_pass" :
		    "consistent_fail";
	return "inconsistent";
}

size_t
spc_longest_run_max(size_t n)
{
	if (n == 0)
		return 0;
	/* qicharts2 runs.analysis: round(log2(n.useful)) + 3. */
	return (size_t)nearbyint(log2((double)n)) + 3;
}

/* spc_crossings_min() by n below SPC_CMIN_MEMO, shared by the render
 * jobs (value + 1; 0 = not yet known): the sum costs n/2 expl and
 * logl, and a pack's series have few distinct lengths.  Jobs racing
 * on an entry store the same value. */
#define SPC_CMIN_MEMO 8192
static _Atomic uint32_t spc_cmin_memo[SPC_CMIN_MEMO];

static size_t
crossings_min(size_t n)
{
	long double lp, cdf = 0;
	size_t m, k;

	/* qicharts2: qbinom(0.05, n.useful - 1, 0.5), the smallest k with
	 * P(X <= k) >= 0.05, summing the pmf in log space. */
	m = n - 1;
	lp = -(long double)m * logl(2.0L);
	for (k = 0; k < m; k++) {
		cdf += expl(lp);
		if (cdf >= 0.05L)
			return k;
		lp += logl((long double)(m - k) / (long double)(k + 1));
	}
	return m;
}

size_t
spc_crossings_min(size_t n)
{
	uint32_t v;

	if (n == 0)
		return 0;
	if (n >= SPC_CMIN_MEMO)
		return crossings_min(n);
	v = atomic_load_explicit(&spc_cmin_memo[n], memory_order_relaxed);
	if (v == 0) {
		v = (uint32_t)crossings_min(n) + 1;	/* < n + 1 */
		atomic_store_explicit(&spc_cmin_memo[n], v,
		    memory_order_relaxed);
	}
	return v - 1;
}

void
spc_anhoej(struct spc *out, const double *v, size_t n, double centre)
{
	size_t i, useful = 0, run = 0, longest = 0, runs = 0;
	int s, prev = 0;

	/* qicharts2 runs.analysis: signs about the centre, dropping NAs
	 * and points on the centre. */
	for (i = 0; i < n; i++) {
		if (isnan(v[i]) || isnan(centre))
			continue;
		s = sign_of(v[i] - centre);
		if (s == 0)
			continue;
		useful++;
		if (s == prev)
			run++;
		else {
			run = 1;
			runs++;
			prev = s;
		}
		if (run > longest)
			longest = run;
	}
	out->anhoej_n_useful = useful;
	out->anhoej_longest_run = longest;
	out->anhoej_n_crossings = runs ? runs - 1 : 0;
	out->anhoej_longest_run_max = spc_longest_run_max(useful);
	out->anhoej_n_crossings_min = spc_crossings_min(useful);
	/* crsignal(method = "anhoej"): both comparisons strict. */
	out->anhoej_signal = useful > 0 &&
	    (longest > out->anhoej_longest_run_max ||
	    out->anhoej_n_crossings < out->anhoej_n_crossings_min);
}

/* Mean and AMR of one phase y[0..m-1] (ptd_spc_standard); mr and
 * in_amr receive every moving range of the phase and whether it
 * counts in the AMR (inside the fixed window and not screened). */
static void
phase_limits(const double *y, size_t m, size_t fix_after, bool screen,
    double *mean, double *amr, double *mr, bool *in_amr)
{
	double a, *kept;
	size_t i, nf;

	/* fix_y: only the first fix_after points set mean and MRs. */
	nf = fix_after == 0 || fix_after > m ? m : fix_after;
	*mean = spc_mean(y, nf);
	kept = xcalloc(m, sizeof(*kept));
	for (i = 0; i < m; i++) {
		mr[i] = i > 0 ? fabs(y[i] - y[i - 1]) : NAN;
		kept[i] = i < nf ? mr[i] : NAN;
	}
	a = spc_mean(kept, m);
	/* NHSRplotthedots: keep mr only if mr < 3.267 * amr (strict), then
	 * recompute the AMR once; the mean is not screened. */
	if (screen)
		for (i = 0; i < m; i++)
			if (!(kept[i] < SPC_SCREEN * a))
				kept[i] = NAN;
	for (i = 0; i < m; i++)
		in_amr[i] = !isnan(kept[i]);
	*amr = spc_mean(kept, m);
	free(kept);
}

static void
detail_alloc(struct spc_detail *d, size_t n)
{
	memset(d, 0, sizeof(*d));
	d->n = n;
	d->phase = alloc_n(n, sizeof(*d->phase));
	d->mr = alloc_n(n, sizeof(*d->mr));
	d->mr_in_amr = alloc_n(n, sizeof(*d->mr_in_amr));
	d->amr = alloc_n(n, sizeof(*d->amr));
	d->nlpl = alloc_n(n, sizeof(*d->nlpl));
	d->nupl = alloc_n(n, sizeof(*d->nupl));
	d->relative_to_mean = alloc_n(n, sizeof(*d->relative_to_mean));
	d->outside = alloc_n(n, sizeof(*d->outside));
	d->close = alloc_n(n, sizeof(*d->close));
	d->sc_outside = alloc_n(n, sizeof(*d->sc_outside));
	d->sc_run = alloc_n(n, sizeof(*d->sc_run));
	d->sc_trend = alloc_n(n, sizeof(*d->sc_trend));
	d->sc_two_in_three = alloc_n(n, sizeof(*d->sc_two_in_three));
	d->special_cause_type = alloc_n(n, sizeof(*d->special_cause_type));
}

void
spc_detail_clear(struct spc_detail *d)
{
	free(d->phase);
	free(d->mr);
	free(d->mr_in_amr);
	free(d->amr);
	free(d->nlpl);
	free(d->nupl);
	free(d->relative_to_mean);
	free(d->outside);
	free(d->close);
	free(d->sc_outside);
	free(d->sc_run);
	free(d->sc_trend);
	free(d->sc_two_in_three);
	free(d->special_cause_type);
	memset(d, 0, sizeof(*d));
}

void
spc_clear(struct spc *s)
{
	free(s->metric);
	free(s->label);
	free(s->unit);
	free(s->values);
	free(s->mean);
	free(s->lpl);
	free(s->upl);
	free(s->point_type);
	memset(s, 0, sizeof(*s));
}

/* Whether key k is one of the rebase keys. */
static bool
is_rebase(int64_t k, const int64_t *rebase, size_t nrebase)
{
	size_t i;

	for (i = 0; i < nrebase; i++)
		if (rebase[i] == k)
			return true;
	return false;
}

/* Working columns over the m present points (missing ones removed). */
struct work {
	size_t	 m;
	size_t	*row;		/* original row of each present point */
	size_t	*phase;
	double	*y, *mean, *lpl, *upl, *nlpl, *nupl, *amr, *mr;
	bool	*in_amr;
	int	*rel, *close, *outside, *run, *trend, *two;
	const char **sct;
};

static void
work_alloc(struct work *w, size_t m)
{
	w->m = m;
	w->row = alloc_n(m, sizeof(*w->row));
	w->phase = alloc_n(m, sizeof(*w->phase));
	w->y = alloc_n(m, sizeof(double));
	w->mean = alloc_n(m, sizeof(double));
	w->lpl = alloc_n(m, sizeof(double));
	w->upl = alloc_n(m, sizeof(double));
	w->nlpl = alloc_n(m, sizeof(double));
	w->nupl = alloc_n(m, sizeof(double));
	w->amr = alloc_n(m, sizeof(double));
	w->mr = alloc_n(m, sizeof(double));
	w->in_amr = alloc_n(m, sizeof(bool));
	w->rel = alloc_n(m, sizeof(int));
	w->close = alloc_n(m, sizeof(int));
	w->outside = alloc_n(m, sizeof(int));
	w->run = alloc_n(m, sizeof(int));
	w->trend = alloc_n(m, sizeof(int));
	w->two = alloc_n(m, sizeof(int));
	w->sct = alloc_n(m, sizeof(*w->sct));
}

static void
work_free(struct work *w)
{
	free(w->row);
	free(w->phase);
	free(w->y);
	free(w->mean);
	free(w->lpl);
	free(w->upl);
	free(w->nlpl);
	free(w->nupl);
	free(w->amr);
	free(w->mr);
	free(w->in_amr);
	free(w->rel);
	free(w->close);
	free(w->outside);
	free(w->run);
	free(w->trend);
	free(w->two);
	free(w->sct);
}

/* ptd_spc_standard and ptd_calculate_point_type on one phase
 * [s, e) of the present points. */
static void
phase_compute(struct work *w, size_t s, size_t e, size_t fix_after,
    bool screen)
{
	double mean, amr, lpl, upl, nlpl, nupl, y;
	size_t i, m = e - s;

	phase_limits(w->y + s, m, fix_after, screen, &mean, &amr,
	    w->mr + s, w->in_amr + s);
	/* Each product is one binary64 multiplication, as in R. */
	lpl = mean - SPC_LIMIT * amr;
	upl = mean + SPC_LIMIT * amr;
	nlpl = mean - 2 * (SPC_LIMIT / 3) * amr;
	nupl = mean + 2 * (SPC_LIMIT / 3) * amr;
	for (i = s; i < e; i++) {
		y = w->y[i];
		w->mean[i] = mean;
		w->amr[i] = amr;
		w->lpl[i] = lpl;
		w->upl[i] = upl;
		w->nlpl[i] = nlpl;
		w->nupl[i] = nupl;
		/* Strict comparisons: a point on the UPL is only close;
		 * NAN limits make neither flag true (R's NA). */
		w->outside[i] = y > upl || y < lpl;
		w->rel[i] = sign_of(y - mean);
		w->close[i] = !w->outside[i] && (y < nlpl || y > nupl);
	}
	special_cause(w->y + s, w->rel + s, w->close + s, w->outside + s, m,
	    w->sct + s, w->run + s, w->trend + s, w->two + s);
}

int
spc_compute_detail(struct spc *out, struct spc_detail *d,
    const double *values, const int64_t *keys, size_t n,
    enum improvement imp, bool has_target, double target,
    const int64_t *rebase, size_t nrebase, size_t fix_after, bool screen)
{
	struct work w;
	size_t i, j, m = 0, phase = 0, s, last_len = 0;
	int64_t k;

	out->n = 0;
	out->values = out->mean = out->lpl = out->upl = NULL;
	out->point_type = NULL;
	out->improvement = imp;
	out->has_target = has_target;
	out->target = has_target ? target : NAN;
	out->trial_limits = false;
	out->variation_type = out->variation = out->assurance = NULL;
	spc_anhoej(out, NULL, 0, NAN);
	if (d != NULL)
		detail_alloc(d, 0);
	/* NHSRplotthedots ptd_spc_options rejects fix_after_n_points < 12. */
	if (fix_after > 0 && fix_after < SPC_TRIAL)
		return -1;

	out->n = n;
	out->values = alloc_n(n, sizeof(double));
	out->mean = alloc_n(n, sizeof(double));
	out->lpl = alloc_n(n, sizeof(double));
	out->upl = alloc_n(n, sizeof(double));
	out->point_type = alloc_n(n, sizeof(*out->point_type));
	if (d != NULL)
		detail_alloc(d, n);
	for (i = 0; i < n; i++)
		if (!isnan(values[i]))
			m++;
	work_alloc(&w, m);

	/* Phases: rebase_group = cumsum(rebase); a rebase on the first
	 * row or on a key not in the data has no effect (ptd_add_rebase_
	 * column).  A rebase on a missing row starts the phase at the
	 * next present point. */
	for (i = j = 0; i < n; i++) {
		k = keys ? keys[i] : (int64_t)i;
		if (i > 0 && is_rebase(k, rebase, nrebase))
			phase++;
		if (d != NULL)
			d->phase[i] = phase;
		out->values[i] = values[i];
		out->mean[i] = out->lpl[i] = out->upl[i] = NAN;
		out->point_type[i] = NULL;
		if (d != NULL)
			d->mr[i] = d->amr[i] = d->nlpl[i] = d->nupl[i] = NAN;
		if (isnan(values[i]))
			continue;
		w.row[j] = i;
		w.phase[j] = phase;
		w.y[j] = values[i];
		j++;
	}

	for (s = 0; s < m; s = j) {
		for (j = s + 1; j < m && w.phase[j] == w.phase[s]; j++)
			;
		phase_compute(&w, s, j, fix_after, screen);
		last_len = j - s;
	}

	for (j = 0; j < m; j++) {
		i = w.row[j];
		out->mean[i] = w.mean[j];
		out->lpl[i] = w.lpl[j];
		out->upl[i] = w.upl[j];
		out->point_type[i] = spc_point_type(w.sct[j], imp);
		if (d == NULL)
			continue;
		d->mr[i] = w.mr[j];
		d->mr_in_amr[i] = w.in_amr[j];
		d->amr[i] = w.amr[j];
		d->nlpl[i] = w.nlpl[j];
		d->nupl[i] = w.nupl[j];
		d->relative_to_mean[i] = w.rel[j];
		d->outside[i] = w.outside[j];
		d->close[i] = w.close[j];
		d->sc_outside[i] = w.outside[j];
		d->sc_run[i] = w.run[j];
		d->sc_trend[i] = w.trend[j];
		d->sc_two_in_three[i] = w.two[j];
		d->special_cause_type[i] = w.sct[j];
	}

	/* SPEC 4.3: trial limits when the last phase has < 12 points. */
	out->trial_limits = last_len < SPC_TRIAL;
	if (m > 0) {
		/* Variation and assurance: the last point, so the last
		 * phase (ptd_get_icons, ptd_calculate_assurance_type). */
		i = w.row[m - 1];
		out->variation_type = out->point_type[i];
		out->variation = spc_icon(out->variation_type, imp);
		out->assurance = spc_assurance(out->lpl[i], out->upl[i],
		    has_target, target, imp);
	} else
		out->assurance = spc_assurance(NAN, NAN, has_target, target,
		    imp);
	/* SPEC 4.3: Anhoej runs about the median of the whole series. */
	spc_anhoej(out, values, n, spc_median(values, n));
	work_free(&w);
	return 0;
}

int
spc_compute(struct spc *out, const double *values, const int64_t *keys,
    size_t n, enum improvement imp, bool has_target, double target,
    const int64_t *rebase, size_t nrebase, size_t fix_after, bool screen)
{
	return spc_compute_detail(out, NULL, values, keys, n, imp,
	    has_target, target, rebase, nrebase, fix_after, screen);
}
