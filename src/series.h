/*
 * series.h: CSV stage of loading (SPEC 3.3).  Parses a service's data
 * file with libcsv (strict RFC 4180, BOM, LF or CRLF) into a struct
 * series holding only the columns the front matter references, checking
 * dates (valid, strictly increasing, regular for the period) and cells
 * (numbers, missing values, signs).  Every problem is reported through
 * diag as file:line:field, with the physical line of the cell.
 */
#ifndef SERIES_H
#define SERIES_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

/* What a referenced column is used for: decides which cells are valid. */
enum series_role {
	SERIES_DATE,		/* the date column */
	SERIES_DEMAND,		/* no missing, >= 0 */
	SERIES_CAPACITY,	/* no missing, >= 0 */
	SERIES_BACKLOG,		/* missing ok, >= 0 */
	SERIES_METRIC		/* missing ok, any sign */
};

/* One column the front matter references; pos is where (in the .md
 * file) it is referenced, for "column not found" errors.  column and
 * pos.file are borrowed. */
struct series_req {
	const char	*column;
	enum series_role role;
	struct srcpos	 pos;
};

/* Maximum errors reported for one file before giving up on it. */
#define SERIES_MAX_ERRORS 50

/* Limits (README "Limits"): a data file's size, one physical line (or
 * one field), and data rows in one file.  A file past a limit gives one
 * error naming it.  SERIES_CHUNK is the read size of series_load. */
#define SERIES_MAX_BYTES	(512 << 20)
#define SERIES_MAX_LINE		(1 << 20)
#define SERIES_MAX_ROWS		10000000
#define SERIES_CHUNK		65536

/* Parses CSV text data[0..len) named file (for messages) for the given
 * period.  reqs must hold exactly one SERIES_DATE entry.  Returns the
 * series (free with series_free), or NULL when any error was reported. */
struct series	*series_parse(const char *data, size_t len, const char *file,
		    enum period, const struct series_req *reqs, size_t nreqs);

/* Streams path through series_parse's checks without reading it whole;
 * an unreadable file is reported at the front-matter position pos, a
 * file over SERIES_MAX_BYTES at the file.  NULL on any error. */
struct series	*series_load(const char *path, struct srcpos pos,
		    enum period, const struct series_req *reqs, size_t nreqs);

/* Frees a series and its columns.  NULL ok. */
void		 series_free(struct series *);

/* The values of the named column, or NULL if it was not loaded. */
const double	*series_column(const struct series *, const char *name);

#endif /* !SERIES_H */
