/*
 * briefing.h: what the PDF briefings say (render stage, SPEC 5), apart
 * from how it is drawn: figures in words ("12.5 days", "not
 * available"), the rows of the cover, headline, measures and
 * measures-at-a-glance tables as plain-string grids (layout.h), the
 * charts a chart block shows and the sentence that stands in when
 * there are none.  pdf.c lays these out and draws them.  Pure: never
 * prints, never touches files; it reads the analysed pack it is given.
 */
#ifndef BRIEFING_H
#define BRIEFING_H

#include <stdbool.h>
#include <stddef.h>

#include "chart.h"
#include "layout.h"
#include "md.h"
#include "model.h"

/* Formats v with dec decimals as chart_fmt_number does; "not
 * available" when v is not finite. */
void	 briefing_num(char *s, size_t sz, double v, int dec);
/* v (up to one decimal) with its unit: "88.2 %", "£1,200", "12 cases";
 * no unit when unit is NULL or v is not finite. */
void	 briefing_value_unit(char *s, size_t sz, double v,
	    const char *unit);
/* The SPC result of metric in svc's analysis, or NULL. */
const struct spc *briefing_spc(const struct service *svc,
	    const char *metric);

/* Appends a row per measure of svc to g: (when title is non-NULL, a
 * first column with title on the first row unless named, else ""),
 * measure, latest value and
 * date, target, variation and assurance (from SPC when it ran). */
void	 briefing_metric_rows(const struct service *svc,
	    struct layout_grid *g, const char *title, bool named);
/* Fills empty g with the measures table of svc: a header row, then
 * briefing_metric_rows. */
void	 briefing_measures(const struct service *svc,
	    struct layout_grid *g);
/* Fills empty g with the headline figures of a flow service (SPEC 4.1,
 * 4.2; svc must have flow and at least one row): measure, value, what
 * it means, under a header row. */
void	 briefing_headline(const struct service *svc,
	    struct layout_grid *g);
/* Fills empty g with the pack's measures at a glance: one row per
 * service measure (wait and load first for flow services).  With files,
 * each analysed service's title names its own briefing ("IDVA
 * (idva.pdf)") and a service without measures still gets a row. */
void	 briefing_services(const struct pack *pk, struct layout_grid *g,
	    bool files);
/* Fills empty g with the cover sheet's label and value pairs that are
 * set; date_label is the pack date in words (may be ""). */
void	 briefing_cover(const struct pack *pk, const char *date_label,
	    struct layout_grid *g);

/* The charts a chart block of svc shows, into cs[0..3); returns the
 * count (0: none can be drawn, or svc is NULL).  A profile block shows
 * every profile the analysis made.  Free each with chart_free. */
size_t	 briefing_charts(const struct service *svc,
	    const struct chart_spec *spec, struct chart **cs);
/* Writes into note the sentence shown instead of a chart of type t
 * that svc cannot draw ("The fan chart is not available: ..."). */
void	 briefing_chart_note(const struct service *svc, enum chart_type t,
	    char *note, size_t sz);

#endif /* !BRIEFING_H */
