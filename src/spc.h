/*
 * spc.h: statistical process control for one measure (SPEC 4.3), a pure
 * module of the analysis stage.  spc_compute() fills a struct spc
 * (model.h) with an XmR chart computed exactly as NHSRplotthedots
 * (Making Data Count) does: rebase phases, fixed limits, moving-range
 * screening, the four special-cause rules, point types, the variation
 * icon and assurance of the last point; and, beside it, the Anhoej runs
 * analysis (qicharts2) of the whole series about its median.
 * The per-rule helpers are exposed so the upstream test vectors can be
 * checked one by one (see shared/reference/spc-rules.md).
 * Nothing here prints or touches files.
 */
#ifndef SPC_H
#define SPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* Per-point working columns of spc_compute_detail(), aligned with the
 * input (length n).  At a missing point the doubles are NAN, the flags
 * false/0 and special_cause_type NULL; phase is still set. */
struct spc_detail {
	size_t		 n;
	size_t		*phase;		/* rebase group, 0-based */
	double		*mr;		/* |y - previous y| in the phase */
	bool		*mr_in_amr;	/* fixed window, not screened */
	double		*amr;		/* of the point's phase */
	double		*nlpl, *nupl;	/* near limits, 2/3 of the way */
	int		*relative_to_mean; /* -1, 0, 1 */
	bool		*outside, *close;
	/* Points that are part of each pattern (before precedence). */
	bool		*sc_outside, *sc_run, *sc_trend, *sc_two_in_three;
	const char	**special_cause_type; /* upstream labels, static */
};

/*
 * XmR chart and Anhoej runs of values[0..n-1] (NAN = missing: removed,
 * reported NAN/NULL at that point; moving ranges span the gap).  keys
 * are the period keys of the rows (NULL: 0..n-1); a rebase key equal to
 * a row key after the first starts a new phase there (others are
 * ignored).  fix_after: 0, or >= 12 points per phase for the limits.
 * Allocates out's arrays and sets every field except metric, label and
 * unit, which it leaves alone.  Returns 0, or -1 (nothing allocated,
 * n = 0) if fix_after is 1..11.  Release with spc_clear().
 */
int	 spc_compute(struct spc *out, const double *values,
	    const int64_t *keys, size_t n, enum improvement improvement,
	    bool has_target, double target, const int64_t *rebase,
	    size_t nrebase, size_t fix_after, bool screen_outliers);
/* spc_compute() that also fills *detail (if non-NULL); release it with
 * spc_detail_clear(). */
int	 spc_compute_detail(struct spc *out, struct spc_detail *detail,
	    const double *values, const int64_t *keys, size_t n,
	    enum improvement improvement, bool has_target, double target,
	    const int64_t *rebase, size_t nrebase, size_t fix_after,
	    bool screen_outliers);
/* Frees what spc_compute() allocated and metric, label and unit; zeroes
 * the struct.  Safe on a zeroed struct. */
void	 spc_clear(struct spc *);
/* Frees the arrays of a struct spc_detail and zeroes it. */
void	 spc_detail_clear(struct spc_detail *);

/* Mean as R computes it (long double sum, one correction pass) of the
 * non-NAN values; NAN if there are none. */
double	 spc_mean(const double *, size_t);
/* Median of the non-NAN values (mean of the middle two); NAN if none. */
double	 spc_median(const double *, size_t);

/*
 * The NHSRplotthedots rule helpers (ptd_calculate_point_type.R), on
 * int vectors of length n written to out[0..n-1]:
 *   one_side_mean: 1 at the 7th+ point of 7 equal non-zero signs;
 *   part_of_seven_trend: 1 if any of v[i..i+6] is +-1;
 *   seven_point_trend: +1/-1 at the last point of 7 rising/falling;
 *   two_in_three: 1 where a 3-window has >= 2 close, all 3 one side;
 *   part_of_two_in_three: v == 1 and close.
 */
void	 spc_seven_point_one_side_mean(const int *rel, size_t n, int *out);
void	 spc_part_of_seven_trend(const int *v, size_t n, int *out);
void	 spc_seven_point_trend(const double *y, size_t n, int *out);
void	 spc_two_in_three(const int *close, const int *rel, size_t n,
	    int *out);
void	 spc_part_of_two_in_three(const int *v, const int *close, size_t n,
	    int *out);
/* ptd_special_cause_type for one phase: the upstream label of each
 * point ("Above UCL", "7 Point Trend (Increasing)", ..., "Common
 * Cause"), static strings, with upstream's trend direction quirk. */
void	 spc_special_cause_type(const double *y, const int *rel,
	    const int *close, const int *outside, size_t n, const char **out);
/* ptd_point_type: "common_cause", "special_cause_improvement", ... */
const char *spc_point_type(const char *special_cause_type,
	    enum improvement);
/* ptd_get_icons: icon stem of a point type ("improvement_high", ...). */
const char *spc_icon(const char *point_type, enum improvement);
/* ptd_calculate_assurance_type on the last point's limits:
 * "consistent_pass", "consistent_fail", "inconsistent", or NULL
 * without a target or with a neutral direction. */
const char *spc_assurance(double lpl, double upl, bool has_target,
	    double target, enum improvement);

/* Anhoej critical values for n useful points (qicharts2): round(log2(n))
 * + 3 and qbinom(0.05, n - 1, 0.5), computed exactly; 0 if n == 0. */
size_t	 spc_longest_run_max(size_t n_useful);
size_t	 spc_crossings_min(size_t n_useful);
/* qicharts2 runs.analysis of v[0..n-1] about centre (NANs dropped,
 * points on the centre not useful); fills out's anhoej_* fields. */
void	 spc_anhoej(struct spc *out, const double *v, size_t n,
	    double centre);

#endif /* !SPC_H */
