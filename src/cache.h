/*
 * cache.h: the build cache in OUT/.cache (issue 10), around loading and
 * the write stage.
 *
 * While the pack loads, each service's raw inputs (its page bytes, its
 * data file's bytes and where it resolves, the boardpack binary) are
 * hashed before its data file is parsed: when the previous build loaded
 * the same bytes, the file is not parsed again; the diagnostics that
 * loading printed are printed from the cache and the service gets a
 * stub series (the rows the pack-wide outputs read).  Then each service
 * gets its key: its inputs' hash, the neighbours its page links,
 * boardpack.yml, the templates, the theme, the pack date and the
 * options.  When the previous OUT/.cache/index holds the same key, the
 * service is a hit: its page, CSV and PDF are linked from the previous
 * OUT, its JSON text is copied from the previous analysis.json, and,
 * when no pack-wide output needs its full analysis (the pack PDF
 * carries no briefings), it is not analysed at all: its IPR rows and a
 * stub analysis come from the cache.  The cache only saves work:
 * anything missing, damaged or stale is a miss, and deleting it gives a
 * full build with the same bytes.
 */
#ifndef CACHE_H
#define CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "model.h"
#include "site.h"
#include "util.h"

struct cache;

/* Opens the previous build's cache in opts->out (default "out") for a
 * build with opts.  Never fails: anything unreadable is a miss.  Free
 * with cache_free() after the pack (stub analyses borrow its strings). */
struct cache	*cache_open(const struct site_opts *);
void		 cache_free(struct cache *);		/* NULL ok */

/* ---- the loading stage (content.c) ---- */

/* Before the services load: n slots, one per page. */
void		 cache_load_begin(struct cache *, size_t n);
/* Slot k, svc's front matter parsed (md[0..mdlen) its page): hashes
 * its raw inputs, and when the previous build loaded the same bytes
 * without error, gives svc a stub series, replaces *diag (what loading
 * it has printed so far) with all that loading it printed then, and
 * returns true: its data file need not be parsed.  Thread-safe across
 * slots. */
bool		 cache_load_service(struct cache *, size_t k,
		    struct service *svc, const char *md, size_t mdlen,
		    struct buf *diag);
/* Slot k after loading: what loading it printed (kept for the next
 * build). */
void		 cache_load_diag(struct cache *, size_t k, const struct buf *);

/* ---- after loading (main.c) ---- */

/* Keys every service of the loaded pack and finds the hits.  A hit
 * that needs no analysis gets a stub one; every other service whose
 * data file was not parsed is loaded now (content_service_reload).
 * 0, or -1 (reported) when such a load fails. */
int		 cache_keys(struct cache *, struct pack *,
		    const struct site_opts *);
/* One slot per service for site_write (site_opts.sims, then
 * analysis_service): the simulations read back (NULL elsewhere).  The
 * analysis takes the ones it uses. */
struct sim	**cache_sims(struct cache *);
/* true when service i's outputs may be taken from the previous out. */
bool		 cache_hit(const struct cache *, size_t i);
/* true when hit i is not analysed (it has a stub analysis). */
bool		 cache_stub(const struct cache *, size_t i);
/* How many services hit. */
size_t		 cache_hits(const struct cache *);

/* ---- the write stage (site.c) ---- */

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
/* Hit i's JSON text in the previous OUT/analysis.json (mapped, valid
 * until cache_free), when it still hashes as recorded; else NULL (the
 * service is built again).  *len its length, *hash its hash. */
const char	*cache_json(const struct cache *, size_t i, size_t *len,
		    uint64_t *hash);
/* Appends the text src[0..len) that cache_json gave to the file open
 * on out (in the kernel where it can).  0, or -1 (errno set). */
int		 cache_json_copy(const struct cache *, const char *src,
		    size_t len, int out);
/* Hit i's record (see cache_record) and simulation record from the
 * previous build, to be carried over by cache_save; the IPR rows the
 * record holds, or NULL when anything is damaged (the service is then
 * built again).  Thread-safe across services. */
json_t		*cache_reuse(const struct cache *, size_t i);
/* The diagnostics analysing hit i printed (replayed by the caller). */
const char	*cache_an_diag(const struct cache *, size_t i, size_t *len);
/* Appends analysed service i's record (stub.h) to b: what loading and
 * analysing it printed (andiag), its stub series and analysis and its
 * IPR rows. */
void		 cache_record(const struct cache *, const struct pack *,
		    size_t i, const struct buf *andiag, json_t *rows,
		    struct buf *b);
/* Writes .cache/index, .cache/sims and .cache/recs of the pack into
 * dir (.cache exists): every service's key, its JSON text t[i] in
 * dir/analysis.json (jsonlen bytes, written and closed), its simulation
 * simrec[i] (stub_sim_put; empty: none) and its record rec[i]
 * (empty: none), or those of the previous build (cache_reuse).
 * 0, or -1 (reported). */
int		 cache_save(const struct cache *, const struct pack *,
		    const char *dir, uint64_t jsonlen,
		    const struct cache_text *t, const struct buf *simrec,
		    const struct buf *rec);

#endif /* !CACHE_H */
