/*
 * content.h: loading stage.  Walks the content directory (sorted), reads
 * boardpack.yml, index.md and services/<id>.md (YAML front matter via meta.c),
 * loads each service's CSV (series.c) and validates the whole pack
 * (validate.c), reporting every error through diag.  Owns struct pack.
 */
#ifndef CONTENT_H
#define CONTENT_H

#include "model.h"

/* boardpack.yml and .md pages larger than this are an error (README
 * "Limits"). */
#define CONTENT_MAX_BYTES	(16 << 20)

/* Loads and validates the pack in dir.  Returns the pack (caller frees
 * with pack_free) even when errors were reported, so that every error of
 * the run is found; the caller checks diag_errors().  Returns NULL only
 * when nothing could be loaded (the reason was reported). */
struct pack	*content_load(const char *dir);
/* As content_load, the services read and checked on up to jobs
 * threads (diagnostics still in name order). */
struct pack	*content_load_jobs(const char *dir, int jobs);

/* As content_load_jobs, with the build cache of the previous build
 * (cache.h; NULL: none): a service whose page and data file are the
 * bytes that build loaded gets a stub series instead of its data, and
 * the diagnostics that build printed loading it. */
struct cache;
struct pack	*content_load_cached(const char *dir, int jobs,
		    struct cache *);
/* Loads svc's data file whole in place of its stub series, printing
 * nothing unless it fails (it changed since it was hashed): 0, or -1
 * (reported). */
int		 content_service_reload(struct service *);

/* Frees the pack and everything it owns (series, analyses).  NULL ok. */
void		 pack_free(struct pack *);

/* The service with this id, or NULL. */
const struct service *content_service(const struct pack *, const char *id);

#endif /* !CONTENT_H */
