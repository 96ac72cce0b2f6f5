/*
 * model.h: the shared types of boardpack, and nothing else.
 *
 * The pipeline (main.c) is: content_load -> series_load -> validate ->
 * analysis_run -> chart -> render -> site_write.  struct pack owns all of
 * it; later stages borrow const pointers.  pack_free() (content.c)
 * releases everything, including each service's analysis.
 *
 * Conventions: NAN marks a missing or undefined number in every double
 * array; JSON writers turn it into null.  Strings are NUL-terminated and
 * heap-owned by the struct that holds them unless noted.
 */
#ifndef MODEL_H
#define MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct md_doc;		/* a parsed body (md.h) */

/* SPEC 3.2 "period"; days per period in util_period_days(). */
enum period {
	PERIOD_HOUR,
	PERIOD_DAY,
	PERIOD_WEEK,
	PERIOD_MONTH
};

enum improvement {
	IMPROVE_NEUTRAL,
	IMPROVE_INCREASE,
	IMPROVE_DECREASE
};

/* A place in a source file, for diagnostics.  file is borrowed from
 * the owning service/pack (never freed through srcpos). */
struct srcpos {
	const char	*file;
	unsigned	 line;	/* 1-based; 0 = unknown */
	unsigned	 col;	/* 1-based; 0 = unknown */
};

/* One entry of front matter "metrics:" (SPEC 3.2). */
struct metric_def {
	char		*column;
	char		*label;		/* defaults to column */
	char		*unit;		/* may be NULL */
	enum improvement improvement;	/* default neutral */
	bool		 has_target;
	double		 target;
	int64_t		*rebase;	/* period keys (see struct series) */
	size_t		 nrebase;
	size_t		 fix_after;	/* 0 = not fixed; else >= 12 */
	bool		 screen_outliers; /* default true */
	struct srcpos	 pos;		/* of the "- column:" entry */
};

/* One entry of front matter "scenarios:" (SPEC 3.2, 4.4). */
struct scenario_def {
	char		*name;
	double		 capacity_add;		/* default 0 */
	double		 capacity_factor;	/* default 1 */
	double		 demand_factor;		/* default 1 */
	double		 cost_per_period;	/* default 0 */
	struct srcpos	 pos;
};

/*
 * Loaded CSV data of one service: only the columns the front matter
 * references are kept.  key[] is the period key of each row:
 *   hour:  hours since 1970-01-01T00
 *   day, week: days since 1970-01-01 (the date as written)
 *   month: days since 1970-01-01 of the first of the month
 * Rows are strictly increasing and regular (validated by series_load).
 */
struct column {
	char		*name;
	double		*v;		/* n values; NAN = missing */
};

struct series {
	size_t		 n;
	int64_t		*key;
	unsigned	*line;		/* physical CSV line of each row */
	struct column	*cols;
	size_t		 ncols;
};

/* SPEC 4.1 per-period flow, all arrays of length series.n. */
struct flow {
	double		*demand_cases;
	double		*demand_minutes;
	double		*capacity_resources;
	double		*capacity_minutes;
	double		*backlog_minutes;
	double		*backlog_cases;
	double		*served_minutes;
	double		*utilisation;	/* NAN where capacity is 0 */
	double		*wait_days;
	double		*observed_waiting; /* NULL without backlog.column */
	double		 load;
};

/* SPEC 4.2, in cases and periods. */
struct queue {
	double		 mean_demand;
	double		 mean_capacity;
	double		 target_wait;	/* periods */
	double		 factor;
	double		 cv_demand;
	double		 cv_capacity;
	double		 current_queue;
	double		 target_mean_wait;
	double		 target_queue_size;
	double		 target_capacity;
	double		 relief_capacity;
	double		 mean_wait;
	double		 pressure;
	double		 queue_load;
};

/* SPEC 4.3 percentile capacity levels, in this order. */
#define PCTCAP_N 5
extern const int pctcap_levels[PCTCAP_N];	/* 50 80 85 90 95 (flow.c) */

/* SPEC 4.3 SPC result for one measure (filled by spc.c, issue 4). */
struct spc {
	char		*metric;
	char		*label;
	char		*unit;		/* may be NULL */
	enum improvement improvement;
	bool		 has_target;
	double		 target;
	size_t		 n;
	double		*values;	/* NAN = missing */
	double		*mean, *lpl, *upl; /* NAN = undefined */
	const char	**point_type;	/* static strings */
	bool		 trial_limits;
	const char	*variation_type;
	const char	*variation;
	const char	*assurance;	/* NULL = none */
	size_t		 anhoej_n_useful, anhoej_longest_run,
			 anhoej_longest_run_max, anhoej_n_crossings,
			 anhoej_n_crossings_min;
	bool		 anhoej_signal;
};

struct profile {
	size_t		 n;		/* 24, 7 or 12 */
	double		*mean, *p10, *p90;
};

/* SPEC 4.4: one scenario's Monte Carlo results (sim.c, issue 6). */
#define SIM_PCT_N 5
extern const int sim_pct_levels[SIM_PCT_N];	/* 5 25 50 75 95 (sim.c) */

struct sim_scenario {
	char		*name;		/* "baseline" first */
	double		 cost;		/* cost_per_period x horizon */
	double		 p_wait_over_target_end;
	double		 p_wait_over_target_any;
	double		 p_demand_2x_capacity;
	double		*backlog_pct[SIM_PCT_N]; /* horizon values each */
	double		 cost_per_point_risk_removed; /* NAN = null */
};

struct sim {
	size_t		 paths;
	size_t		 horizon;
	uint64_t	 seed;
	int64_t		*keys;		/* period key of each horizon period */
	struct sim_scenario *scenarios;
	size_t		 nscenarios;
};

/* Everything analysis_run() derives for one service. */
struct analysis {
	bool		 has_flow;	/* demand and capacity given */
	struct flow	 flow;
	struct queue	 queue;
	double		 pctcap[PCTCAP_N];
	struct spc	*spc;		/* issue 4 */
	size_t		 nspc;
	struct profile	*weekday, *month, *hour; /* issue 4; NULL = none */
	struct sim	*sim;		/* issue 6; NULL = none */
};

struct service {
	char		*id;		/* file stem */
	char		*path;		/* content/services/<id>.md */
	char		*title;
	char		*owner;
	char		*domain;
	bool		 has_order;
	long		 order;

	char		*data;		/* "data:" as written */
	char		*data_path;	/* resolved against the .md dir */
	struct srcpos	 data_pos;
	char		*date_column;	/* default "date" */
	enum period	 period;	/* default day */

	bool		 has_demand;
	char		*demand_column;
	double		 minutes_per_case;
	bool		 has_capacity;
	char		*capacity_column; /* NULL: constant resources */
	double		 resources;
	double		 minutes_per_resource;
	char		*backlog_column; /* NULL = none */
	double		 backlog_start;
	bool		 has_target_wait;
	double		 target_wait_days;

	double		 queue_factor;	/* default 4 */
	bool		 has_relief_periods;
	double		 relief_periods;
	bool		 has_cv_demand, has_cv_capacity;
	double		 cv_demand, cv_capacity;

	struct metric_def *metrics;
	size_t		 nmetrics;
	struct scenario_def *scenarios;
	size_t		 nscenarios;

	bool		 has_simulation;
	long		 sim_horizon;	/* 0 = default */
	long		 sim_paths;	/* 0 = default */
	uint64_t	 sim_seed;	/* default 1 */

	char		*body;		/* Markdown after the front matter */
	unsigned	 body_line;	/* line of body[0] in the .md file */

	struct series	*series;	/* NULL until loaded */
	struct analysis	*an;		/* NULL until analysed */
	struct md_doc	*doc;		/* body parsed once for its page,
					 * PDF and search text: set and
					 * freed by site.c, else NULL */
};

struct pack {
	char		*dir;		/* content directory as given */
	char		*config_path;	/* <dir>/boardpack.yml */
	char		*title;
	char		*organisation;
	char		*date;		/* ISO YYYY-MM-DD or NULL */
	char		*period_label;
	char		*theme;		/* default "nhs" */
	char		*author;
	char		*contact;
	char		*meeting;
	char		*agenda_item;
	char		*purpose;
	char		*presenter;
	char		*recommendation;
	char		**key_issues;
	size_t		 nkey_issues;
	char		*previously_considered;
	char		*mail_from;
	char		*mail_subject;
	long		 pack_pdf_services; /* full briefings in the pack
					       PDF at most (default 50) */

	char		*index_path;	/* <dir>/index.md */
	char		*index_body;	/* Markdown of index.md, "" if none */
	unsigned	 index_line;
	struct md_doc	*index_doc;	/* as service.doc */

	struct service	*services;	/* sorted: order, then id */
	size_t		 nservices;
};

#endif /* !MODEL_H */
