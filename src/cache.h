/*
 * cache.h: the build cache in OUT/.cache (issue 10), between loading
 * and the write stage.  Each service gets a key: a 128-bit hash of
 * everything its outputs depend on (its page and data bytes, the
 * neighbours its page links, boardpack.yml, the templates, the theme,
 * the pack date's inputs, the options and the boardpack binary itself).
 * When the previous OUT/.cache/<id>.key holds the same key, the
 * service's simulation is read back instead of run, and its page, CSV,
 * PDF and JSON text are copied from the previous OUT instead of being
 * rendered.  The cache only saves work: deleting it gives a full build
 * with the same bytes.  Owns the keys and the simulations read back.
 */
#ifndef CACHE_H
#define CACHE_H

#include <stdbool.h>

#include "model.h"
#include "site.h"

struct cache;

/* Keys every service of a loaded pack for a build with opts and reads
 * back the simulations of the services whose key is unchanged in
 * opts->out.  Never fails: anything unreadable is a miss.  Free with
 * cache_free(). */
struct cache	*cache_new(const struct pack *, const struct site_opts *);
void		 cache_free(struct cache *);		/* NULL ok */
/* One slot per service for analysis_run_cached(): the simulations read
 * back (NULL elsewhere).  The analysis takes the ones it uses. */
struct sim	**cache_sims(struct cache *);
/* true when service i's outputs may be copied from the previous out. */
bool		 cache_hit(const struct cache *, size_t i);
/* How many services hit. */
size_t		 cache_hits(const struct cache *);
/* Copies rel (e.g. "services/idva.html") from the previous out into
 * dir (whose subdirectories exist), by reflink where the file system
 * can, else by copying (never a hard link: the trees share nothing).
 * 0, or -1 with nothing reported (the caller renders instead). */
int		 cache_copy(const struct cache *, const char *dir,
		    const char *rel);
/* Writes .cache/<id>.key and .cache/<id>.sim of service i into dir
 * (.cache exists).  0, or -1 (reported through diag). */
int		 cache_store(const struct cache *, const struct pack *,
		    size_t i, const char *dir);

#endif /* !CACHE_H */
