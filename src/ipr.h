/*
 * ipr.h: the integrated performance report (IPR) table of the render
 * stage (SPEC 5, board-papers.md "IPR anatomy"): one row per service
 * measure (every metric; demand and backlog of flow services) with its
 * latest value, target, mean and process limits of the last phase, the
 * Making Data Count variation and assurance icons as inline SVG, a
 * sparkline and the owner, grouped by domain in pack order; and the
 * "How to read the icons" key.  Builds jansson contexts for the ipr
 * template; pure (no files, no printing).
 */
#ifndef IPR_H
#define IPR_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "chart.h"
#include "model.h"

struct ipr_opts {
	const struct chart_palette *pal;
	const char	*href_prefix;	/* before "<id>.html" */
	const char	*id_prefix;	/* unique on the page, for SVG ids */
	bool		 has_day;	/* pack date known */
	int64_t		 pack_day;	/* days since 1970-01-01 */
	const char	*caption;	/* table caption */
	bool		 show_service;	/* service title under each measure */
	bool		 key_collapsed;	/* icon key in a closed <details> */
	bool		 sprite;	/* icons drawn once, as symbols the
					 * rows <use> (sprite_svg); not for
					 * email, whose readers lack <use> */
};

/* The IPR context of the services [first, first + n) of p: {caption,
 * has_rows, any_stale, groups: [{domain, rows: [...]}], key_variation,
 * key_assurance} (see templates/ipr.html).  made (NULL, or one slot per
 * service of p) holds rows from ipr_service_rows, used instead of the
 * analysis where set.  Caller json_decref()s it. */
json_t	*ipr_json(const struct pack *p, size_t first, size_t n,
	    const struct ipr_opts *, json_t *const *made);
/* Service svc's rows, all but their icons (numbered per table, so
 * ipr_json adds them): what the table needs of its analysis, made as
 * soon as it is analysed so that the analysis can be let go.  Only
 * href_prefix, show_service, pal, has_day and pack_day of the options
 * count.  Caller json_decref()s. */
json_t	*ipr_service_rows(const struct service *svc, const struct ipr_opts *);

/* true when the latest period (key, period) ends before the calendar
 * month of pack_day starts: the data are older than the pack period. */
bool	 ipr_stale(enum period, int64_t key, int64_t pack_day);

#endif /* !IPR_H */
