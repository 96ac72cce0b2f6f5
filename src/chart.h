/*
 * chart.h: the device-independent chart model (render stage).  A chart
 * is a width x height box in abstract units (1 unit = 1 SVG user unit =
 * 1 PDF point at scale 1), y growing downwards, holding drawing
 * primitives already laid out: polylines and filled areas (NAN in y
 * breaks them into segments), point markers and text.  Scales, nice
 * 1-2-5 ticks, date ticks, legend and panel layout are done here once,
 * so the SVG renderer (svg.c) and the PDF renderer draw the same thing
 * without knowing what a chart means.  Each chart also carries its title,
 * a description for screen readers and the data table behind it.
 * The Making Data Count charts (SPC, profile, icons) are built in
 * spcchart.c from the building blocks at the end of this header.
 * Pure: never prints, never touches files.
 */
#ifndef CHART_H
#define CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "md.h"
#include "model.h"

/* What a primitive shows; the theme gives each role a colour. */
enum chart_role {
	CHART_ROLE_TEXT,	/* labels, titles */
	CHART_ROLE_AXIS,	/* axis lines, tick marks */
	CHART_ROLE_GRID,	/* gridlines */
	CHART_ROLE_DEMAND,
	CHART_ROLE_CAPACITY,
	CHART_ROLE_BACKLOG,
	CHART_ROLE_OBSERVED,	/* observed waiting list */
	CHART_ROLE_MEAN,	/* SPC (later issues) */
	CHART_ROLE_LIMIT,
	CHART_ROLE_TARGET,
	CHART_ROLE_COMMON,
	CHART_ROLE_IMPROVEMENT,
	CHART_ROLE_CONCERN,
	CHART_ROLE_NEUTRAL,
	CHART_ROLE_N
};

enum chart_dash {
	CHART_DASH_SOLID,
	CHART_DASH_DASHED,
	CHART_DASH_DOTTED,
	CHART_DASH_DASHDOT
};

enum chart_marker {
	CHART_MARKER_NONE,
	CHART_MARKER_CIRCLE,
	CHART_MARKER_SQUARE,
	CHART_MARKER_TRIANGLE,
	CHART_MARKER_DIAMOND
};

enum chart_mark_kind {
	CHART_MARK_LINE,	/* polyline through (x, y) */
	CHART_MARK_AREA,	/* filled between y and base */
	CHART_MARK_POINTS	/* a marker at each (x, y) */
};

enum chart_anchor {
	CHART_ANCHOR_START,
	CHART_ANCHOR_MIDDLE,
	CHART_ANCHOR_END
};

/* One drawing primitive, in box coordinates. */
struct chart_mark {
	enum chart_mark_kind kind;
	enum chart_role	 role;
	enum chart_dash	 dash;
	enum chart_marker marker;	/* POINTS */
	double		 width;		/* stroke width; marker size */
	double		 opacity;	/* AREA fill opacity, 0..1 */
	double		 base;		/* AREA: y of the baseline */
	bool		 data;		/* a data series (not axis/grid) */
	double		*x, *y;		/* n points; NAN y = gap */
	size_t		 n;
	double		*ylo;		/* AREA: NULL, or the lower edge of
					 * each point instead of base (a
					 * band; NAN breaks it too) */
};

/* A text item; (x, y) is the baseline point at the anchor. */
struct chart_text {
	double		 x, y;
	double		 size;
	enum chart_anchor anchor;
	enum chart_role	 role;
	bool		 bold;
	bool		 vertical;	/* rotated 90 degrees anticlockwise */
	char		*s;
};

/* A legend entry (also drawn as marks and text in the box). */
struct chart_legend {
	enum chart_mark_kind kind;
	enum chart_role	 role;
	enum chart_dash	 dash;
	enum chart_marker marker;
	char		*label;
	double		 opacity;	/* AREA swatch; 0 = default 0.3 */
};

/* The data behind a chart as a table: ncols headers (units included),
 * nrows rows of ncols cells, row-major; column 0 is the row header. */
struct chart_table {
	char		*caption;
	char		**head;
	size_t		 ncols;
	char		**cells;
	size_t		 nrows;
	char		*note;		/* NULL, or a sentence shown under
					 * the table (what a "–" means) */
	void		*pool;		/* NULL, or blocks holding cells made
					 * by chart_table_str/num (freed with
					 * the chart, never one by one) */
};

struct chart {
	double		 width, height;
	char		*title;
	char		*desc;		/* for screen readers */
	struct chart_mark *marks;
	size_t		 nmarks;
	struct chart_text *texts;
	size_t		 ntexts;
	struct chart_legend *legend;
	size_t		 nlegend;
	struct chart_table table;
};

/* Layout constants of the model, in units. */
#define CHART_W		420.0	/* width of a full chart */
#define CHART_PAD	6.0	/* margin inside the box */
#define CHART_FS	13.0	/* text size */

/* Chart colours by role, "#rrggbb". */
struct chart_palette {
	char		 colour[CHART_ROLE_N][8];
};

/* Demand and capacity (minutes per period, lines) and the computed
 * backlog (minutes, area; the observed waiting list too when given) in
 * two panels sharing the date axis.  spec may be NULL; its from and
 * caption are honoured.  NULL when the service has no flow or no period
 * in the window.  Free with chart_free. */
struct chart	*chart_dcb(const struct service *, const struct chart_spec *);
/* A small line of v[0..n) in a w x h box, no axes or text; the last
 * finite point is marked.  NULL if no value is finite. */
struct chart	*chart_sparkline(const double *v, size_t n,
		    enum chart_role, double w, double h);
void		 chart_free(struct chart *);	/* NULL ok */

/* Which profile of struct analysis a profile chart shows. */
enum chart_profile_kind {
	CHART_PROFILE_HOUR,	/* 24 buckets, 00 first */
	CHART_PROFILE_WEEKDAY,	/* 7 buckets, Monday first */
	CHART_PROFILE_MONTH	/* 12 buckets, January first */
};

/* The SPC and profile charts live in spcchart.c (spcchart_xmr,
 * spcchart_profile); these two forward to them and stay for sitepage.c. */
struct chart	*chart_spc(const struct service *, const struct spc *,
		    const struct chart_spec *);
struct chart	*chart_profile(const struct service *,
		    const struct profile *, enum chart_profile_kind,
		    const struct chart_spec *);

/* Nice 1-2-5 ticks covering [lo, hi] with about target ticks: sets
 * *step and the first and last tick (*t0 <= lo, *t1 >= hi).  Returns the
 * number of decimals the labels need. */
int		 chart_ticks_nice(double lo, double hi, int target,
		    double *step, double *t0, double *t1);
/* Formats v with decimals places and thousands separators ("12,000",
 * "-3.5"); decimals < 0 means up to 1 place, trailing zero trimmed.
 * NAN gives "". */
void		 chart_fmt_number(char *, size_t, double v, int decimals);
/* Formats a period key for readers: "3 Jan 2024", "Jan 2024" (month),
 * "3 Jan 2024 14:00" (hour). */
void		 chart_fmt_date(char *, size_t, enum period, int64_t key);
/* Dash pattern of a style in units (on, off, ...); returns the count
 * (0 = solid).  pat needs room for 4. */
size_t		 chart_dash_pattern(enum chart_dash, double pat[4]);
/* Approximate advance width of s at size (Arial-like metrics). */
double		 chart_text_width(const char *s, double size);

/* The default (NHS) palette. */
void		 chart_palette_default(struct chart_palette *);
/* Theme key of a role ("demand", "grid", ...). */
const char	*chart_role_name(enum chart_role);
/* Sets *role from its theme key; false if unknown. */
bool		 chart_role_parse(const char *, enum chart_role *);
/* Parses "#rrggbb" (case-insensitive); false if malformed. */
bool		 chart_colour_parse(const char *, unsigned *rgb);
/* WCAG 2.2 contrast ratio of rgb against white (1..21). */
double		 chart_contrast_white(unsigned rgb);

/*
 * Building blocks for chart builders in other modules (simchart.c,
 * spcchart.c): the same layout helpers chart_dcb uses.
 */

/* A new empty chart of w x h units (h may grow later); free with
 * chart_free. */
struct chart	*chart_new(double w, double h);
/* Appends a mark of n points (x and y zeroed, width 1, opacity 1) and
 * returns it; the pointer is valid until the next mark is added. */
struct chart_mark *chart_add_mark(struct chart *, enum chart_mark_kind,
		    enum chart_role, size_t n);
/* Appends a two-point line from (x0, y0) to (x1, y1). */
void		 chart_add_segment(struct chart *, enum chart_role,
		    double width, enum chart_dash, double x0, double y0,
		    double x1, double y1);
/* Appends a text item (printf format) at the default size and text
 * role; returns it, valid until the next text is added. */
struct chart_text *chart_add_text(struct chart *, double x, double y,
		    enum chart_anchor, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));
/* Appends a legend entry (drawn by chart_legend_draw). */
void		 chart_legend_add(struct chart *, enum chart_mark_kind,
		    enum chart_role, enum chart_dash, const char *label);
/* Lays the legend out in rows from y; returns the y below it. */
double		 chart_legend_draw(struct chart *, double y);

/* A date-axis tick: day number, label centre and label. */
struct chart_xtick {
	double	 day;
	double	 lx;		/* label centre, kept inside the box */
	char	*label;
};

/* Date ticks over days [lo, hi] mapped to [left, right] in a box boxw
 * wide: the finest 1-2-5 day, month or year step whose labels fit.
 * Returns the count; free *out with chart_xticks_free. */
size_t		 chart_xticks(enum period, double lo, double hi, double left,
		    double right, double boxw, struct chart_xtick **out);
void		 chart_xticks_free(struct chart_xtick *, size_t);
/* x (in days, fractional for hours) of a period key. */
double		 chart_key_x(enum period, int64_t key);
/* Widens a single-point x range [lo, hi] (days) by half a period on
 * each side so that the point has room; a real range is left alone. */
void		 chart_day_span(enum period, double *lo, double *hi);
/* The heading of a date column or axis: "Month", "Week starting" or
 * "Date". */
const char	*chart_date_head(enum period);
/* Draws a date axis under a plot: at each chart_xticks tick of days
 * [lo, hi] over [left, right], a tick mark at x = x0 + (day - lo) * sc
 * below y = bottom (and below y = upper too when upper >= 0, for a
 * second panel) with its label, then title centred under them. */
void		 chart_date_axis(struct chart *, enum period, double lo,
		    double hi, double x0, double sc, double left,
		    double right, double bottom, double upper,
		    const char *title);

/* A numeric y axis: ticks t0..t1 by step, drawn over rows
 * [top, top + h] of the box. */
struct chart_yaxis {
	double	 t0, t1, step;
	int	 dec;
	double	 top, h;	/* plot rows in the box */
};

/* Box y of value v on axis a. */
double		 chart_ymap(const struct chart_yaxis *a, double v);
/* Width of the widest tick label of a. */
double		 chart_ylabels_width(const struct chart_yaxis *a);
/* Gridlines and tick labels of a between x = left and right. */
void		 chart_draw_yaxis(struct chart *, const struct chart_yaxis *a,
		    double left, double right);
/* The largest finite v[i] x scale, or m if larger. */
double		 chart_max_finite(const double *v, size_t n, double scale,
		    double m);
/* A horizontal data line at v from x0 to x1 (nothing if v is NAN). */
void		 chart_hline(struct chart *, enum chart_role, enum chart_dash,
		    const struct chart_yaxis *a, double v, double x0, double x1);
/* A table cell: v formatted as chart_fmt_number, "–" when undefined.
 * The caller frees it. */
char		*chart_cell(double v, int dec);
/* The same, and a copy of s[0..len), for cells of t: kept in t's pool
 * (one allocation per few thousand cells, not one per cell); the
 * pointer stays valid until chart_free, which frees it. */
char		*chart_table_num(struct chart_table *t, double v, int dec);
char		*chart_table_str(struct chart_table *t, const char *s,
		    size_t len);

/* A data line (or area) through xs[i], v[i] x scale on axis a (NAN
 * = gap), width 2, marked as data; an area is 0.3 opaque down to the
 * axis minimum.  Returns the mark, valid until the next is added. */
struct chart_mark *chart_series(struct chart *, enum chart_mark_kind,
		    enum chart_role, enum chart_dash, const double *xs,
		    const double *v, size_t m, double scale,
		    const struct chart_yaxis *a);

/* SPEC 5 tables past 400 daily or hourly points give the series by
 * week, day or month.  chart_table_grouped: whether m points of
 * period p are summarised.  chart_table_groups: cuts rows [i0, i0 + m)
 * into groups, group g being rows [gs[g], gs[g + 1]); returns the
 * count (caller frees *gs); *grain is "week", "day" or "month". */
bool		 chart_table_grouped(enum period p, size_t m);
size_t		 chart_table_groups(const struct service *, size_t i0,
		    size_t m, size_t **gs, const char **grain);
/* The first cell of a group starting at row a (its week's Monday, day
 * or month); the caller frees it. */
char		*chart_group_label(const struct service *, const char *grain,
		    size_t a);
/* The same as a cell of t (in its pool; see chart_table_str). */
char		*chart_table_group_label(struct chart_table *t,
		    const struct service *, const char *grain, size_t a);
/* Mean, last, and least (hi false) or greatest finite v[a..b); NAN
 * if none. */
double		 chart_group_mean(const double *v, size_t a, size_t b);
double		 chart_group_last(const double *v, size_t a, size_t b);
double		 chart_group_ext(const double *v, size_t a, size_t b,
		    bool hi);
/* The note under a summary table of m points by grain; how says what
 * each row gives.  The caller frees it. */
char		*chart_group_note(const struct service *, size_t m,
		    const char *grain, const char *how);

#endif /* !CHART_H */
