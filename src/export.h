/*
 * export.h: the analysis as data.  SPEC 4.5 JSON for `analyse --json`
 * and out/analysis.json (streamed by a small writer, no DOM; objects
 * indented two spaces, arrays of numbers or strings on one line), and
 * the per-service CSV of out/data/<id>.csv (dates, flow series, SPC).
 * Pure: builds in memory.
 */
#ifndef EXPORT_H
#define EXPORT_H

#include <stdio.h>

#include <jansson.h>

#include "model.h"
#include "util.h"

/* SPEC 4.5 object for the pack, or for one service when only != NULL
 * (then "services" holds just that one), parsed back from
 * export_json_string() (reals as written: 12 significant digits).
 * Caller json_decref()s. */
json_t	*export_json(const struct pack *, const char *only);
/* The same, serialised deterministically (keys in a fixed order,
 * 2-space indent, arrays of numbers or strings on one line, trailing
 * newline).  Caller frees. */
char	*export_json_string(const struct pack *, const char *only);
/* The same bytes written to f one service at a time (memory holds one
 * service's text, not the document).  0, or -1 on a write error. */
int	 export_json_write(FILE *, const struct pack *, const char *only);
/* One service's JSON text exactly as it sits inside "services" of the
 * document (indented, no separator, no newline).  Caller frees. */
char	*export_json_service(const struct service *, size_t *len);
/* The document streamed through put(bytes, len, arg): the head, each
 * wanted service's text from text(pack, i, &len, arg) (NULL: from
 * export_json_service; freed here; NULL return fails), the tail.  0, or
 * -1 when put or text failed. */
int	 export_json_stream(const struct pack *, const char *only,
	    int (*put)(const void *, size_t, void *),
	    char *(*text)(const struct pack *, size_t, size_t *, void *),
	    void *arg);
/* Appends out/data/<id>.csv for one analysed service to b. */
void	 export_csv(const struct pack *, const struct service *,
	    struct buf *b);

#endif /* !EXPORT_H */
