/*
 * cache.h: the build cache in OUT/.cache (issue 10), between loading
 * and the write stage.  Each service gets a key: a 128-bit hash of
 * everything its outputs depend on (its page and data bytes, the
 * neighbours its page links, boardpack.yml, the templates, the theme,
 * the pack date's inputs, the options and the boardpack binary itself).
 * When the previous OUT/.cache/index holds the same key, the
 * service's simulation is read back instead of run, its page, CSV and
 * PDF are linked from the previous OUT and its JSON text read from the
 * previous analysis.json instead of being rendered.  The cache only saves work: deleting it gives a full build
 * with the same bytes.  Owns the keys and the simulations read back.
 */
#ifndef CACHE_H
#define CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"
#include "site.h"
#include "util.h"

struct cache;

/* Keys every service of a loaded pack for a build with opts and reads
 * back the simulations of the services whose key is unchanged in
 * opts->out.  Never fails: anything unreadable is a miss.  Free with
 * cache_free(). */
struct cache	*cache_new(const struct pack *, const struct site_opts *);
void		 cache_free(struct cache *);		/* NULL ok */
/* One slot per service for site_write (site_opts.sims, then
 * analysis_service): the simulations read back (NULL elsewhere).  The
 * analysis takes the ones it uses. */
struct sim	**cache_sims(struct cache *);
/* true when service i's outputs may be linked from the previous out. */
bool		 cache_hit(const struct cache *, size_t i);
/* How many services hit. */
size_t		 cache_hits(const struct cache *);
/* Copies rel (e.g. "services/idva.html") from the previous out into
 * dir (whose subdirectories exist): a hard link (no build writes into
 * an existing file, so the trees may share unchanged files), else a
 * reflink where the file system can, else a copy.
 * 0, or -1 with nothing reported (the caller renders instead). */
int		 cache_copy(const struct cache *, const char *dir,
		    const char *rel);
/* A JSON text of a service in the analysis.json being written. */
struct cache_text {
	uint64_t	 off, len, hash;	/* len 0: none */
};

/* The hash .cache/index keeps of a JSON text (not cryptographic). */
uint64_t	 cache_text_hash(const char *, size_t);
/* Service i's JSON text when it hit: its bytes in the previous
 * OUT/analysis.json, when they still hash as recorded; else NULL (the
 * caller renders it).  Caller frees; *len its length. */
char		*cache_json(const struct cache *, size_t i, size_t *len);
/* Appends simulation sim to b as .cache/sims holds it. */
void		 cache_sim_record(const struct sim *sim, struct buf *b);
/* Writes .cache/index and .cache/sims of the pack into dir (.cache
 * exists): every service's key, its JSON text t[i] in
 * dir/analysis.json and its simulation simrec[i] (cache_sim_record;
 * empty: none).  0, or -1 (reported). */
int		 cache_save(const struct cache *, const struct pack *,
		    const char *dir, const struct cache_text *t,
		    const struct buf *simrec);

#endif /* !CACHE_H */
