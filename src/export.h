/*
 * export.h: the analysis as data.  SPEC 4.5 JSON (with jansson) for
 * `analyse --json` and out/analysis.json, and the per-service CSV of
 * out/data/<id>.csv (dates, flow series, SPC).  Pure: builds in memory.
 */
#ifndef EXPORT_H
#define EXPORT_H

#include <jansson.h>

#include "model.h"
#include "util.h"

/* SPEC 4.5 object for the pack, or for one service when only != NULL
 * (then "services" holds just that one).  Caller json_decref()s. */
json_t	*export_json(const struct pack *, const char *only);
/* The same, serialised deterministically (sorted as built, 2-space
 * indent, trailing newline).  Caller frees. */
char	*export_json_string(const struct pack *, const char *only);
/* Appends out/data/<id>.csv for one analysed service to b. */
void	 export_csv(const struct pack *, const struct service *,
	    struct buf *b);

#endif /* !EXPORT_H */
