/*
 * spcchart.h: the Making Data Count charts of the chart model (render
 * stage): XmR statistical process control charts, profile charts
 * (hour, weekday, month) and the variation and assurance icons, with
 * the words that stand for them in tables and text.  Built from the
 * layout helpers of chart.h into the same struct chart, so svg.c and
 * pdf.c draw them like any other chart.  Pure: never prints, never
 * touches files; every chart returned is freed with chart_free.
 */
#ifndef SPCCHART_H
#define SPCCHART_H

#include <stddef.h>

#include "chart.h"
#include "model.h"

/* XmR chart of sp (one of svc->an->spc) in the Making Data Count
 * style: values with point markers, mean (solid) and process limits
 * (dashed) drawn per phase with a marked break at each rebase, the
 * target (dash-dot), special-cause points coloured by type and told
 * apart by marker (circle common cause, triangle improvement, square
 * concern, diamond neutral), missing values as gaps.  spec may be
 * NULL (from and caption honoured).  NULL when nothing is in the
 * window.  Free with chart_free. */
struct chart	*spcchart_xmr(const struct service *, const struct spc *,
		    const struct chart_spec *);

/* Profile chart: per bucket, the 10th to 90th percentile as a shaded
 * range bar and the mean as a line with markers, in cases per period
 * (or the first metric's unit on a KPI page).  spec may be NULL
 * (caption honoured).  NULL if the profile is NULL or empty.  Free
 * with chart_free. */
struct chart	*spcchart_profile(const struct service *,
		    const struct profile *, enum chart_profile_kind,
		    const struct chart_spec *);

/* The Making Data Count variation icon of an icon stem
 * (common_cause, improvement_high, ..., neutral_low; see SPEC 4.5) as
 * vector marks in a size x size box: a ring in the type's colour, the
 * last points as dots (rising or falling) and H or L.  title and desc
 * hold the text equivalent.  NULL for an unknown stem. */
struct chart	*spcchart_variation_icon(const char *variation, double size);
/* The assurance icon (consistent_pass, consistent_fail, inconsistent):
 * a ring with P, F or ? over a target line.  NULL for NULL or an
 * unknown name. */
struct chart	*spcchart_assurance_icon(const char *assurance, double size);
/* Decimals for the numbers of a measure with values v: 0 from 1,000,
 * up to 1 (-1, see chart_fmt_number) from 10, else 2. */
int		 spcchart_decimals(const double *v, size_t n);
/* Text equivalents of the icons ("Special cause of concern (low)",
 * "Hit and miss target subject to random variation"); static strings.
 * NULL or unknown: "No target" / "Not available". */
const char	*spcchart_variation_text(const char *variation);
const char	*spcchart_assurance_text(const char *assurance);
/* A point type in words for tables: "Common cause", "Special cause of
 * improvement", ...; NULL (missing point): "No data". */
const char	*spcchart_point_type_text(const char *point_type);

#endif /* !SPCCHART_H */
