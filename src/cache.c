/*
 * cache.c: the build cache in OUT/.cache (see cache.h, issue 10).
 *
 * OUT/.cache/index  a magic line, then a line per service: its key and
 *                   its inputs' hash (32 hex digits each), where its
 *                   JSON text (as export_json_service writes it) lies in
 *                   OUT/analysis.json, where its simulation lies in
 *                   sims and where its record lies in recs (offset,
 *                   length and hash of each), and its id
 * OUT/.cache/sims   the simulations, field by field (no padding)
 * OUT/.cache/recs   per service, what loading and analysing it printed,
 *                   its stub series and analysis (the rows and values
 *                   the pack PDF's table reads) and its IPR rows; the
 *                   records and simulations are stub.c's
 *
 * Three files in all, not one per service: on ext4 creating an inode
 * costs more than writing a page, and the JSON texts are not written
 * twice (analysis.json is the only copy).
 * The files are written into the new tree by every build, so they are
 * as deterministic as the rest of OUT, and they are swapped into place
 * with it: a key never outlives the outputs it describes.  The key is
 * not cryptographic: two 64-bit lanes of a multiply-xorshift mix (the
 * MurmurHash3 finaliser) over length-framed items, to notice edits,
 * not to resist forgery.  Every piece read back is checked against the
 * hash .cache/index keeps of it; the records and simulations are also
 * parsed with bounds checks, so a damaged cache is a miss.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/fs.h>
#include <sys/ioctl.h>
#endif

#include "analysis.h"
#include "cache.h"
#include "content.h"
#include "diag.h"
#include "series.h"
#include "sim.h"
#include "stub.h"
#include "util.h"

#ifndef BOARDPACK_VERSION
#define BOARDPACK_VERSION "unknown"
#endif

#define CACHE_KEY_LEN	32

struct cache_hash {
	uint64_t	 a, b;
};


/* One line of the previous .cache/index. */
struct cache_ent {
	char		 key[CACHE_KEY_LEN + 2];	/* "hex\n" */
	char		 kin[CACHE_KEY_LEN + 2];	/* the inputs' */
	uint64_t	 json_off, json_len, json_hash;	/* analysis.json */
	uint64_t	 sim_off, sim_len, sim_hash;	/* .cache/sims */
	uint64_t	 rec_off, rec_len, rec_hash;	/* .cache/recs */
	const char	*id;
	/* Checked yet?  0: no, 1: whole, 2: damaged.  Each entry is
	 * only ever checked by the thread that handles its service. */
	signed char	 rec_ok, sim_ok;
};

/* A loading slot: a page of services/, by the id it loads. */
struct cache_slot {
	char		*id;		/* NULL: no service (or not probed) */
	char		 kin[CACHE_KEY_LEN + 2];	/* "" when unknown */
	struct cache_ent *ent;		/* its loaded stub came from */
	struct buf	 diag;		/* what loading it printed */
};

struct cache {
	const char	*out;		/* the previous out */
	bool		 ok;		/* the previous cache may be used */
	struct cache_hash exe;		/* the binary's bytes */
	char		*idx;			/* the previous files */
	char		*sims, *recs;		/* mapped */
	size_t		 simslen, recslen;
	int		 simsfd, recsfd;	/* or -1 */
	/* Files whose size and stamp (cache_stamp) say they are as the
	 * previous build wrote them: their pieces need no hashing. */
	bool		 trust_json, trust_sims, trust_recs;
	int		 jsonfd;		/* analysis.json, or -1 */
	struct cache_ent *ents;		/* sorted by id */
	size_t		 nents;
	char		*json;		/* the previous analysis.json, mapped */
	size_t		 jsonlen;
	struct cache_slot *slots;
	size_t		 nslots;
	/* per service of the pack, once keyed */
	size_t		 n;
	char		(*keys)[CACHE_KEY_LEN + 2];	/* "hex\n" */
	struct cache_slot **slot;	/* its loading slot, or NULL */
	struct cache_ent **ent;		/* hits: the previous entry */
	bool		*hit, *stub;
	bool		*reused;	/* its record and simulation are
					 * copied from the previous files */
	struct sim	**simv;
	size_t		 nhits;
	struct stub_pool pool;		/* strings the stubs borrow */
};


static uint64_t
cache_mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static void
cache_word(struct cache_hash *h, uint64_t w)
{
	h->a = cache_mix(h->a ^ w);
	h->b = cache_mix(h->b + w + 0x9e3779b97f4a7c15ULL) ^ (h->a >> 7);
}

/* An xxHash64 round: one lane of cache_put's bulk loop. */
static inline uint64_t
cache_round(uint64_t acc, uint64_t w)
{
	acc += w * 0xc2b2ae3d27d4eb4fULL;
	acc = (acc << 31) | (acc >> 33);
	return acc * 0x9e3779b185ebca87ULL;
}

/*
 * An item: its tag, its length, then its bytes: 32-byte blocks on four
 * independent lanes (xxHash64's rounds, so large inputs such as data
 * files and JSON texts hash at memory speed), folded in, then the
 * rest in 8-byte words.  cache_put hashes bytes in memory,
 * cache_data_file a file read in pieces, both through these.
 */
static void
cache_lanes_start(const struct cache_hash *h, uint64_t l[4])
{
	l[0] = h->a + 0x60ea27eeadc0b5d6ULL;
	l[1] = h->b + 0xc2b2ae3d27d4eb4fULL;
	l[2] = h->a;
	l[3] = h->b - 0x9e3779b185ebca87ULL;
}

static void
cache_lanes_run(uint64_t l[4], const unsigned char *s, size_t nblocks)
{
	uint64_t	 w[4];
	size_t		 k;

	for (; nblocks > 0; s += 32, nblocks--) {
		memcpy(w, s, 32);
		for (k = 0; k < 4; k++)
			l[k] = cache_round(l[k], w[k]);
	}
}

static void
cache_lanes_end(struct cache_hash *h, const uint64_t l[4])
{
	size_t	 k;

	for (k = 0; k < 4; k++)
		cache_word(h, l[k]);
}

/* The bytes after the last whole block (fewer than 32). */
static void
cache_tail(struct cache_hash *h, const unsigned char *s, size_t len)
{
	uint64_t	 w;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		cache_word(h, w);
	}
	if (len > 0) {
		w = 0;
		memcpy(&w, s, len);
		cache_word(h, w);
	}
}

static void
cache_put(struct cache_hash *h, uint64_t tag, const void *p, size_t len)
{
	const unsigned char	*s = p;
	uint64_t		 l[4];

	cache_word(h, tag);
	cache_word(h, (uint64_t)len);
	if (len >= 32) {
		cache_lanes_start(h, l);
		cache_lanes_run(l, s, len / 32);
		cache_lanes_end(h, l);
	}
	cache_tail(h, s + len - len % 32, len % 32);
}

static void
cache_str(struct cache_hash *h, uint64_t tag, const char *s)
{
	if (s == NULL)
		cache_word(h, tag ^ 0xdeadULL);	/* absent, unlike "" */
	else
		cache_put(h, tag, s, strlen(s));
}

/* A file's bytes; a missing or unreadable file hashes as absent (its
 * absence is then part of the key, and the build reports it). */
static void
cache_file(struct cache_hash *h, uint64_t tag, const char *path)
{
	char	*s;
	size_t	 len;

	if (path == NULL || (s = util_file_read(path, &len)) == NULL) {
		cache_str(h, tag, NULL);
		return;
	}
	cache_put(h, tag, s, len);
	free(s);
}

/*
 * A data file's bytes, as cache_put would hash them, read a megabyte at
 * a time (it may be up to SERIES_MAX_BYTES).  false when it is not a
 * regular file that can be read whole, or is over the limit: the
 * service is then loaded (and the loader reports why).
 */
static bool
cache_data_file(struct cache_hash *h, uint64_t tag, const char *path)
{
	enum { CHUNK = 1 << 20 };
	struct stat	 st;
	unsigned char	*b;
	uint64_t	 l[4] = { 0, 0, 0, 0 };
	size_t		 len, got = 0, have = 0, off, room;
	ssize_t		 r;
	int		 fd;
	bool		 ok = true;

	/* O_NONBLOCK: a FIFO put in its place must not hang the build. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK)) == -1)
		return false;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > SERIES_MAX_BYTES) {
		close(fd);
		return false;
	}
	len = (size_t)st.st_size;
	cache_word(h, tag);
	cache_word(h, (uint64_t)len);
	if (len >= 32)
		cache_lanes_start(h, l);
	b = xmalloc(CHUNK + 32);
	/* The blocks of 32 bytes before the last 32 of the file go
	 * through the lanes; the rest as cache_put's tail. */
	for (;;) {
		r = read(fd, b + have, CHUNK);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || (r == 0 && got != len) ||
		    got + (size_t)r > len) {
			ok = false;
			break;
		}
		got += (size_t)r;
		have += (size_t)r;
		/* b[0] is at got - have in the file, a multiple of 32
		 * no further than len - len % 32. */
		room = (len - len % 32 - (got - have)) / 32;
		off = 32 * (have / 32 < room ? have / 32 : room);
		cache_lanes_run(l, b, off / 32);
		memmove(b, b + off, have - off);
		have -= off;
		if (r == 0 || got == len)
			break;
	}
	close(fd);
	if (ok && len >= 32)
		cache_lanes_end(h, l);
	if (ok)
		cache_tail(h, b, have);
	free(b);
	return ok;
}

static int
cache_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of dir (not below), sorted: name and bytes. */
static void
cache_dir(struct cache_hash *h, uint64_t tag, const char *dir)
{
	DIR		*d;
	struct dirent	*e;
	char		**names = NULL, *p;
	size_t		 n = 0, i;

	cache_str(h, tag, "dir");
	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cache_name_cmp);
	for (i = 0; i < n; i++) {
		p = util_path_join(dir, names[i]);
		if (util_is_file(p)) {
			cache_str(h, tag + 1, names[i]);
			cache_file(h, tag + 2, p);
		}
		free(p);
		free(names[i]);
	}
	free(names);
}

/* What every service shares: the options, the templates, the theme,
 * boardpack.yml and the pack date (resolved by content_load: date:,
 * else SOURCE_DATE_EPOCH, else the last data date); the binary is in
 * each service's inputs' hash. */
static struct cache_hash
cache_pack_hash(const struct pack *p, const struct site_opts *o)
{
	struct cache_hash	 h = { 0x6a09e667f3bcc908ULL,
				    0xbb67ae8584caa73bULL };
	const char		*theme, *tdir, *thdir;
	char			*dir;

	cache_str(&h, 2, BOARDPACK_VERSION);
	cache_word(&h, o->no_pdf ? 3 : 4);
	tdir = o->templates ? o->templates : "templates";
	thdir = o->themes ? o->themes : "themes";
	theme = o->theme ? o->theme : p->theme ? p->theme : "nhs";
	cache_str(&h, 5, theme);
	cache_dir(&h, 10, tdir);
	dir = util_path_join(thdir, theme);
	cache_dir(&h, 20, dir);
	free(dir);
	cache_dir(&h, 30, thdir);	/* base.css, search.js */
	cache_file(&h, 40, p->config_path);
	cache_str(&h, 41, p->date);
	cache_word(&h, (uint64_t)p->nservices);
	cache_word(&h, (uint64_t)p->pack_pdf_services);
	return h;
}

static void
cache_hex(const struct cache_hash *h, char *key)
{
	snprintf(key, CACHE_KEY_LEN + 2, "%016llx%016llx\n",
	    (unsigned long long)h->a, (unsigned long long)cache_mix(h->b));
}

/* Service i's key: the pack's, its inputs' hash (kin), and the ids
 * and titles of the neighbours its page links. */
static void
cache_key(const struct pack *p, size_t i, struct cache_hash h,
    const char *kin, char *key)
{
	const struct service	*svc = &p->services[i], *nb;

	cache_str(&h, 50, svc->id);
	cache_put(&h, 51, kin, CACHE_KEY_LEN);
	nb = i > 0 ? &p->services[i - 1] : NULL;
	cache_str(&h, 53, nb ? nb->id : NULL);
	cache_str(&h, 54, nb ? nb->title : NULL);
	nb = i + 1 < p->nservices ? &p->services[i + 1] : NULL;
	cache_str(&h, 55, nb ? nb->id : NULL);
	cache_str(&h, 56, nb ? nb->title : NULL);
	cache_hex(&h, key);
}

void
cache_record(const struct cache *c, const struct pack *p, size_t i,
    const struct buf *andiag, json_t *rows, struct buf *b)
{
	const struct cache_slot	*sl = i < c->n ? c->slot[i] : NULL;

	stub_put(b, &p->services[i], sl != NULL ? &sl->diag : NULL, andiag,
	    rows);
}

/* A cursor over the record of entry e, when it is whole and hashes as
 * recorded (checked once); false otherwise. */
static bool
cache_rec_open(const struct cache *c, struct cache_ent *e,
    struct stub_rd *r)
{
	if (c->recs == NULL || e->rec_ok == 2 || e->rec_len < 8 ||
	    e->rec_off > c->recslen || e->rec_len > c->recslen - e->rec_off)
		return false;
	if (e->rec_ok == 0)
		e->rec_ok = c->trust_recs || cache_text_hash(c->recs +
		    e->rec_off, e->rec_len) == e->rec_hash ? 1 : 2;
	if (e->rec_ok != 1)
		return false;
	return stub_open(r, c->recs + e->rec_off, (size_t)e->rec_len);
}

/* Entry e's simulation record is whole (checked once). */
static bool
cache_sim_ok(const struct cache *c, struct cache_ent *e)
{
	if (e->sim_len == 0)
		return true;
	if (e->sim_ok == 0)
		e->sim_ok = c->sims != NULL && e->sim_off <= c->simslen &&
		    e->sim_len <= c->simslen - e->sim_off && (c->trust_sims ||
		    cache_text_hash(c->sims + e->sim_off, e->sim_len) ==
		    e->sim_hash) ? 1 : 2;
	return e->sim_ok == 1;
}

/* ---- the cache ---- */

#define CACHE_MAGIC	"boardpack-cache 3\n"

static int
cache_ent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cache_ent *)a)->id,
	    ((const struct cache_ent *)b)->id);
}

uint64_t
cache_text_hash(const char *s, size_t len)
{
	struct cache_hash	 h = { 0x3c6ef372fe94f82bULL,
				    0xa54ff53a5f1d36f1ULL };

	cache_put(&h, 60, s, len);
	return h.a ^ cache_mix(h.b);
}

/*
 * The stamp of a file the cache reads pieces of (analysis.json, sims,
 * recs): the nanoseconds of its modification time, set when it is
 * written to a number drawn from the hash of the lines of .cache/index
 * that describe it.  A file whose size and stamp still agree with
 * .cache/index has not been written since (any write sets the time
 * anew), nor has the index, so its pieces are trusted without being
 * hashed; otherwise each piece is checked against its hash.  A file
 * system that keeps no nanoseconds never agrees (the slow path).
 */
static long
cache_stamp(uint64_t bodyhash, uint64_t tag)
{
	return (long)(cache_mix(bodyhash ^ (tag * 0x9e3779b97f4a7c15ULL)) %
	    999999999ULL) + 1;
}

/* Is the file open on fd (the one mapped, not whatever the path names
 * now) of that size and stamp? */
static bool
cache_stamped(int fd, uint64_t size, long stamp)
{
	struct stat	 st;

	return fd != -1 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size == size && st.st_mtim.tv_nsec == stamp;
}

/* Sets the stamp of dir/rel (its seconds now); failing is no error (the
 * next build checks every piece). */
static void
cache_stamp_set(const char *dir, const char *rel, long stamp)
{
	char		*path = util_path_join(dir, rel);
	struct timespec	 ts[2];

	clock_gettime(CLOCK_REALTIME, &ts[1]);
	ts[1].tv_nsec = stamp;
	ts[0].tv_sec = 0;
	ts[0].tv_nsec = UTIME_OMIT;
	utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW);
	free(path);
}

/*
 * Parses .cache/index (text, NUL-terminated in s, modified): the magic
 * line, "files JSON_SIZE SIMS_SIZE RECS_SIZE" (sz[]; the hash of the
 * rest in *bodyhash), then one line per service, "KEY KIN JSON_OFF
 * JSON_LEN JSON_HASH SIM_OFF SIM_LEN SIM_HASH REC_OFF REC_LEN REC_HASH
 * ID" (the hashes in hex).  Lines that do not parse are skipped
 * (misses).  Returns the entries sorted by id, *n their count.
 */
static struct cache_ent *
cache_index_parse(char *s, size_t *n, uint64_t *sz, uint64_t *bodyhash)
{
	struct cache_ent	*e = NULL, *x;
	char			*line, *nl, *p, *end;
	uint64_t		 v[9];
	size_t			 k, m = 0;

	*n = 0;
	if (strncmp(s, CACHE_MAGIC, sizeof(CACHE_MAGIC) - 1) != 0)
		return NULL;
	line = s + sizeof(CACHE_MAGIC) - 1;
	if (strncmp(line, "files ", 6) != 0 ||
	    (nl = strchr(line, '\n')) == NULL)
		return NULL;
	*nl++ = '\0';
	p = line + 6;
	for (k = 0; k < 3; k++) {
		errno = 0;
		sz[k] = strtoull(p, &end, 10);
		if (end == p || (*end != ' ' && *end != '\0') || errno != 0)
			return NULL;
		p = *end == ' ' ? end + 1 : end;
	}
	*bodyhash = cache_text_hash(nl, strlen(nl));
	for (line = nl; *line != '\0'; line = nl) {
		if ((nl = strchr(line, '\n')) == NULL)
			break;
		*nl++ = '\0';
		if (strlen(line) < 2 * CACHE_KEY_LEN + 3 ||
		    line[CACHE_KEY_LEN] != ' ' ||
		    line[2 * CACHE_KEY_LEN + 1] != ' ')
			continue;
		p = line + 2 * CACHE_KEY_LEN + 2;
		for (k = 0; k < 9; k++) {
			errno = 0;
			v[k] = strtoull(p, &end, k % 3 == 2 ? 16 : 10);
			if (end == p || *end != ' ' || errno != 0)
				break;
			p = end + 1;
		}
		if (k < 9 || *p == '\0')
			continue;
		e = xreallocarray(e, m + 1, sizeof(*e));
		x = &e[m++];
		memcpy(x->key, line, CACHE_KEY_LEN);
		x->key[CACHE_KEY_LEN] = '\n';
		x->key[CACHE_KEY_LEN + 1] = '\0';
		memcpy(x->kin, line + CACHE_KEY_LEN + 1, CACHE_KEY_LEN);
		x->kin[CACHE_KEY_LEN] = '\n';
		x->kin[CACHE_KEY_LEN + 1] = '\0';
		x->json_off = v[0];
		x->json_len = v[1];
		x->json_hash = v[2];
		x->sim_off = v[3];
		x->sim_len = v[4];
		x->sim_hash = v[5];
		x->rec_off = v[6];
		x->rec_len = v[7];
		x->rec_hash = v[8];
		x->id = p;
		x->rec_ok = x->sim_ok = 0;
	}
	if (m > 1)
		qsort(e, m, sizeof(*e), cache_ent_cmp);
	*n = m;
	return e;
}

static struct cache_ent *
cache_find(const struct cache *c, const char *id)
{
	struct cache_ent	 want;

	if (c->nents == 0 || id == NULL)
		return NULL;
	want.id = id;
	return bsearch(&want, c->ents, c->nents, sizeof(*c->ents),
	    cache_ent_cmp);
}

/* Maps dir/rel read-only; NULL (*fd -1) when it is not a non-empty
 * regular file. */
static char *
cache_map(const char *dir, const char *rel, size_t *len, int *fd)
{
	char		*path = util_path_join(dir, rel);
	struct stat	 st;
	void		*m = MAP_FAILED;

	*len = 0;
	if ((*fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)) != -1) {
		if (fstat(*fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_size > 0 && (uint64_t)st.st_size <= SIZE_MAX)
			m = mmap(NULL, (size_t)st.st_size, PROT_READ,
			    MAP_SHARED, *fd, 0);
		if (m == MAP_FAILED) {
			close(*fd);
			*fd = -1;
		} else
			*len = (size_t)st.st_size;
	}
	free(path);
	return m != MAP_FAILED ? m : NULL;
}

struct cache *
cache_open(const struct site_opts *o)
{
	struct cache	*c = xcalloc(1, sizeof(*c));
	char		*path, *exe;
	size_t		 len;
	uint64_t	 sz[3], bh = 0;

	c->out = o->out ? o->out : "out";
	c->jsonfd = c->simsfd = c->recsfd = -1;
	c->exe.a = 0x510e527fade682d1ULL;
	c->exe.b = 0x9b05688c2b3e6c1fULL;
	cache_str(&c->exe, 1, BOARDPACK_VERSION);
	/* A rebuilt boardpack may load and render differently under the
	 * same version: when it cannot be read, nothing hits. */
	if ((exe = util_file_read("/proc/self/exe", &len)) == NULL)
		return c;
	cache_put(&c->exe, 2, exe, len);
	free(exe);
	path = util_path_join(c->out, ".boardpack");
	c->ok = util_is_file(path);	/* else not our out: refused later */
	free(path);
	if (!c->ok)
		return c;
	path = util_path_join(c->out, ".cache/index");
	if ((c->idx = util_file_read(path, &len)) != NULL)
		c->ents = cache_index_parse(c->idx, &c->nents, sz, &bh);
	free(path);
	if (c->nents == 0)
		return c;

	/* The files are mapped: the hits' pieces are checked and copied
	 * from the page cache, never read into memory whole.  No build
	 * writes into a file of a finished tree, so they cannot shrink
	 * under the mapping (a concurrent build may only unlink them). */
	c->sims = cache_map(c->out, ".cache/sims", &c->simslen, &c->simsfd);
	c->recs = cache_map(c->out, ".cache/recs", &c->recslen, &c->recsfd);
	c->json = cache_map(c->out, "analysis.json", &c->jsonlen,
	    &c->jsonfd);
	c->trust_json = cache_stamped(c->jsonfd, sz[0], cache_stamp(bh, 1));
	c->trust_sims = cache_stamped(c->simsfd, sz[1], cache_stamp(bh, 2));
	c->trust_recs = cache_stamped(c->recsfd, sz[2], cache_stamp(bh, 3));
	return c;
}

void
cache_load_begin(struct cache *c, size_t n)
{
	if (c == NULL)
		return;
	c->slots = xcalloc(n ? n : 1, sizeof(*c->slots));
	c->nslots = n;
	for (size_t k = 0; k < n; k++)
		buf_init(&c->slots[k].diag);
}

bool
cache_load_service(struct cache *c, size_t k, struct service *svc,
    const char *md, size_t mdlen, struct buf *diag)
{
	struct cache_slot	*sl;
	struct cache_ent	*e;
	struct cache_hash	 h;
	struct stub_rd		 r;
	struct series		*s;
	const char		*d, *ld;
	size_t			 dlen, ldlen;
	bool			 had;

	if (c == NULL || k >= c->nslots)
		return false;
	sl = &c->slots[k];
	sl->id = xstrdup(svc->id);
	h = c->exe;
	cache_str(&h, 3, svc->path);
	cache_put(&h, 4, md, mdlen);
	cache_str(&h, 5, svc->data_path);
	/* Where the data file resolves only matters to the check that it
	 * stays inside the content directory, which the front matter's
	 * loading (never cached) makes on every build. */
	if (svc->data_path != NULL &&
	    !cache_data_file(&h, 7, svc->data_path))
		return false;	/* the loader reports it */
	cache_hex(&h, sl->kin);
	if (!c->ok || (e = cache_find(c, svc->id)) == NULL ||
	    memcmp(e->kin, sl->kin, CACHE_KEY_LEN) != 0 ||
	    !cache_rec_open(c, e, &r) || !stub_skip(&r, &ld, &ldlen))
		return false;
	/* What loading has printed so far (its front matter) opens what
	 * it printed then, or the files are not what they were. */
	if (diag->len > ldlen || (diag->len > 0 &&
	    memcmp(diag->data, ld, diag->len) != 0) ||
	    !stub_skip(&r, &d, &dlen))
		return false;
	s = stub_series(&r, &had);
	if (r.bad)
		return false;
	/* Hit: the stub series, and loading's diagnostics as then. */
	buf_clear(diag);
	buf_put(diag, ld, ldlen);
	series_free(svc->series);
	svc->series = s;
	sl->ent = e;
	return true;
}

void
cache_load_diag(struct cache *c, size_t k, const struct buf *diag)
{
	if (c == NULL || k >= c->nslots)
		return;
	buf_clear(&c->slots[k].diag);
	buf_put(&c->slots[k].diag, diag->data ? diag->data : "", diag->len);
}

static int
cache_slot_cmp(const void *a, const void *b)
{
	const struct cache_slot *x = a, *y = b;

	if (x->id == NULL || y->id == NULL)
		return (x->id == NULL) - (y->id == NULL);
	return strcmp(x->id, y->id);
}

/* Loads the data files the load stage did not parse of the services
 * that need them after all. */
struct cache_reload {
	struct pack	*p;
	size_t		*todo;
	int		*failed;
};

static void
cache_reload_one(size_t k, void *arg)
{
	struct cache_reload	*a = arg;

	a->failed[k] = content_service_reload(&a->p->services[a->todo[k]]);
}

int
cache_keys(struct cache *c, struct pack *p, const struct site_opts *o)
{
	struct cache_hash	 h;
	struct cache_slot	 want, *sl;
	struct cache_ent	*e;
	struct cache_reload	 rl;
	struct stub_rd		 r;
	struct service		*svc;
	const char		*d;
	size_t			 i, n = p->nservices, ntodo = 0, dlen;
	bool			 slim, had;
	int			 rc = 0;

	c->n = n;
	c->keys = xcalloc(n ? n : 1, sizeof(*c->keys));
	c->slot = xcalloc(n ? n : 1, sizeof(*c->slot));
	c->ent = xcalloc(n ? n : 1, sizeof(*c->ent));
	c->hit = xcalloc(n ? n : 1, sizeof(*c->hit));
	c->stub = xcalloc(n ? n : 1, sizeof(*c->stub));
	c->reused = xcalloc(n ? n : 1, sizeof(*c->reused));
	c->simv = xcalloc(n ? n : 1, sizeof(*c->simv));
	if (c->nslots > 1)
		qsort(c->slots, c->nslots, sizeof(*c->slots), cache_slot_cmp);
	h = cache_pack_hash(p, o);
	/* Without briefings in the pack PDF, no pack-wide output needs a
	 * hit's full analysis (site.c). */
	slim = o->no_pdf || n > (size_t)p->pack_pdf_services;
	rl.p = p;
	rl.todo = xcalloc(n ? n : 1, sizeof(*rl.todo));
	for (i = 0; i < n; i++) {
		svc = &p->services[i];
		want.id = svc->id;
		sl = c->nslots > 0 && svc->id != NULL ? bsearch(&want,
		    c->slots, c->nslots, sizeof(*c->slots),
		    cache_slot_cmp) : NULL;
		c->slot[i] = sl;
		if (sl == NULL || sl->kin[0] == '\0') {
			memset(c->keys[i], '0', CACHE_KEY_LEN);
			c->keys[i][CACHE_KEY_LEN] = '\n';
			continue;	/* never hits, never saved */
		}
		cache_key(p, i, h, sl->kin, c->keys[i]);
		e = cache_find(c, svc->id);
		if (c->ok && e != NULL && sl->ent == e &&
		    memcmp(e->key, c->keys[i], CACHE_KEY_LEN) == 0 &&
		    e->json_len > 0 && cache_sim_ok(c, e)) {
			c->ent[i] = e;
			c->hit[i] = true;
			c->nhits++;
		}
		if (c->hit[i] && slim) {
			/* The stub analysis over the stub series. */
			cache_rec_open(c, e, &r);
			stub_skip(&r, &d, &dlen);
			stub_skip(&r, &d, &dlen);
			series_free(stub_series(&r, &had));
			svc->an = stub_analysis(&r, svc->series ?
			    svc->series->n : 0, &c->pool);
			c->stub[i] = !r.bad;
		}
		if (sl->ent != NULL && !c->stub[i])
			rl.todo[ntodo++] = i;	/* a stub series */
		if (c->hit[i] && !c->stub[i] && e->sim_len > 0)
			c->simv[i] = stub_sim_get(c->sims + e->sim_off,
			    e->sim_len);
	}
	/* The stub series that must be whole after all. */
	rl.failed = xcalloc(ntodo ? ntodo : 1, sizeof(*rl.failed));
	util_parallel_for(ntodo, o->jobs > 0 ? o->jobs : 1, cache_reload_one,
	    &rl);
	for (i = 0; i < ntodo; i++)
		if (rl.failed[i])
			rc = -1;
	free(rl.failed);
	free(rl.todo);
	return rc;
}

void
cache_free(struct cache *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		sim_free(c->simv[i]);
	for (i = 0; i < c->nslots; i++) {
		free(c->slots[i].id);
		buf_clear(&c->slots[i].diag);
	}
	stub_pool_clear(&c->pool);
	if (c->json != NULL)
		munmap(c->json, c->jsonlen);
	if (c->sims != NULL)
		munmap(c->sims, c->simslen);
	if (c->recs != NULL)
		munmap(c->recs, c->recslen);
	if (c->jsonfd != -1)
		close(c->jsonfd);
	if (c->simsfd != -1)
		close(c->simsfd);
	if (c->recsfd != -1)
		close(c->recsfd);
	free(c->reused);
	free(c->slots);
	free(c->simv);
	free(c->hit);
	free(c->stub);
	free(c->keys);
	free(c->slot);
	free(c->ent);
	free(c->ents);
	free(c->idx);
	free(c);
}

struct sim **
cache_sims(struct cache *c)
{
	return c->simv;
}

bool
cache_hit(const struct cache *c, size_t i)
{
	return c != NULL && i < c->n && c->hit[i];
}

bool
cache_stub(const struct cache *c, size_t i)
{
	return c != NULL && i < c->n && c->stub[i];
}

size_t
cache_hits(const struct cache *c)
{
	return c != NULL ? c->nhits : 0;
}

const char *
cache_json(const struct cache *c, size_t i, size_t *len, uint64_t *hash)
{
	struct cache_ent	*e;

	if (!cache_hit(c, i) || (e = c->ent[i]) == NULL || c->json == NULL ||
	    e->json_off > c->jsonlen || e->json_len > c->jsonlen - e->json_off)
		return NULL;
	if (!c->trust_json && cache_text_hash(c->json + e->json_off,
	    (size_t)e->json_len) != e->json_hash)
		return NULL;
	*len = (size_t)e->json_len;
	*hash = e->json_hash;
	return c->json + e->json_off;
}

int
cache_json_copy(const struct cache *c, const char *src, size_t len, int out)
{
	size_t	 done = 0;
	ssize_t	 n;
#ifdef SYS_copy_file_range
	int64_t	 off = (int64_t)(src - c->json);

	while (c->jsonfd != -1 && done < len) {
		n = syscall(SYS_copy_file_range, c->jsonfd, &off, out, NULL,
		    len - done, 0u);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;	/* not here: the rest through memory */
		done += (size_t)n;
	}
#endif
	while (done < len) {
		if ((n = write(out, src + done, len - done)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

json_t *
cache_reuse(const struct cache *c, size_t i)
{
	struct cache_ent	*e;
	struct stub_rd		 r;
	struct series		*s;
	const char		*d;
	size_t			 dlen;
	bool			 had;
	json_t			*rows;

	if (!cache_hit(c, i) || (e = c->ent[i]) == NULL ||
	    !cache_rec_open(c, e, &r) || !cache_sim_ok(c, e))
		return NULL;
	stub_skip(&r, &d, &dlen);
	stub_skip(&r, &d, &dlen);
	s = stub_series(&r, &had);
	/* The analysis: parsed again only to find the rows after it. */
	analysis_free(stub_analysis(&r, s != NULL ? s->n : 0, NULL));
	series_free(s);
	if (r.bad || (rows = stub_rows(&r)) == NULL)
		return NULL;
	c->reused[i] = true;
	return rows;
}

const char *
cache_an_diag(const struct cache *c, size_t i, size_t *len)
{
	struct stub_rd	 r;
	const char	*d;

	*len = 0;
	if (!cache_hit(c, i) || c->ent[i] == NULL ||
	    !cache_rec_open(c, c->ent[i], &r) ||
	    !stub_skip(&r, &d, len) || !stub_skip(&r, &d, len)) {
		*len = 0;
		return NULL;
	}
	return d;
}

/* Copies in to out: a reflink (FICLONE) where the file system shares
 * extents, else copy_file_range(2) (in the kernel), else read/write. */
static int
cache_copy_fd(int in, int out)
{
	char	 b[65536];
	ssize_t	 n, w;
	size_t	 off;

#ifdef FICLONE
	if (ioctl(out, FICLONE, in) == 0)
		return 0;
#endif
#ifdef SYS_copy_file_range
	for (;;) {
		n = syscall(SYS_copy_file_range, in, NULL, out, NULL,
		    (size_t)1 << 30, 0u);
		if (n == 0)
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
	}
	/* Not supported here (or failed part-way): start again. */
	if (lseek(in, 0, SEEK_SET) == -1 || lseek(out, 0, SEEK_SET) == -1 ||
	    ftruncate(out, 0) == -1)
		return -1;
#endif
	while ((n = read(in, b, sizeof(b))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		for (off = 0; off < (size_t)n; off += (size_t)w)
			if ((w = write(out, b + off, (size_t)n - off)) < 0) {
				if (errno != EINTR)
					return -1;
				w = 0;
			}
	}
	return 0;
}

int
cache_copy(const struct cache *c, const char *dir, const char *rel)
{
	char		*from = util_path_join(c->out, rel);
	char		*to = util_path_join(dir, rel);
	int		 in, out = -1, rc = -1;
	struct stat	 st;

	/*
	 * A hard link first: no data and no new inode (creating inodes is
	 * most of an unchanged service's cost on ext4).  Safe because no
	 * build ever writes into an existing file: every output is a new
	 * file in a new tree, so the previous out never changes under a
	 * link.  Only a regular file is linked (linkat does not follow a
	 * symbolic link planted in out, and lstat refuses one).
	 */
	if (lstat(from, &st) == 0 && S_ISREG(st.st_mode) &&
	    linkat(AT_FDCWD, from, AT_FDCWD, to, 0) == 0) {
		free(from);
		free(to);
		return 0;
	}
	/* O_NOFOLLOW: a symbolic link planted in out is not followed. */
	if ((in = open(from, O_RDONLY | O_NOFOLLOW)) != -1 &&
	    util_is_file(from) &&
	    (out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0666)) != -1)
		rc = cache_copy_fd(in, out);
	if (out != -1 && close(out) == -1)
		rc = -1;
	if (in != -1)
		close(in);
	free(from);
	free(to);
	return rc;
}

/* Does service i get a line in .cache/index?  Only what a later build
 * can check: its inputs' hash and a record (it was analysed in this
 * build, or its record is carried over). */
static bool
cache_saved(const struct cache *c, const struct pack *p, size_t i,
    const struct cache_text *t, const struct buf *rec)
{
	return p->services[i].id != NULL && t[i].len > 0 &&
	    c->slot[i] != NULL && c->slot[i]->kin[0] != '\0' &&
	    (rec[i].len > 0 || c->reused[i]);
}

/* A file being written: bytes, or runs of a previous file copied in
 * the kernel where it can (consecutive runs as one). */
struct cache_out {
	int		 fd;
	const char	*src;		/* the previous file, mapped */
	int		 srcfd;
	uint64_t	 s, e;		/* the run pending */
	int		 err;
};

static int
cache_out_write(struct cache_out *o, const char *p, size_t n)
{
	ssize_t	 w;

	while (n > 0 && o->err == 0) {
		if ((w = write(o->fd, p, n)) < 0) {
			if (errno != EINTR)
				o->err = errno;
			continue;
		}
		p += w;
		n -= (size_t)w;
	}
	return o->err == 0 ? 0 : -1;
}

static int
cache_out_flush(struct cache_out *o)
{
	size_t	 done = 0, len = (size_t)(o->e - o->s);
	ssize_t	 n;
#ifdef SYS_copy_file_range
	int64_t	 off = (int64_t)o->s;

	while (o->srcfd != -1 && done < len && o->err == 0) {
		n = syscall(SYS_copy_file_range, o->srcfd, &off, o->fd, NULL,
		    len - done, 0u);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
#endif
	if (done < len)
		cache_out_write(o, o->src + o->s + done, len - done);
	o->s = o->e = 0;
	return o->err == 0 ? 0 : -1;
}

static void
cache_out_copy(struct cache_out *o, uint64_t off, uint64_t len)
{
	if (len == 0)
		return;
	if (o->e > o->s && o->e == off) {
		o->e += len;
		return;
	}
	if (o->e > o->s)
		cache_out_flush(o);
	o->s = off;
	o->e = off + len;
}

/* Writes .cache/sims (recs false) or .cache/recs of the services with
 * a line in .cache/index, one after the other, into dir. */
static int
cache_save_file(const char *dir, bool recs, const struct pack *p,
    const struct cache *c, const struct cache_text *t, const struct buf *rec,
    const struct buf *simrec)
{
	const char		*rel = recs ? ".cache/recs" : ".cache/sims";
	char			*path = util_path_join(dir, rel);
	struct cache_out	 o;
	const struct buf	*b;
	const struct cache_ent	*e;
	size_t			 i;

	memset(&o, 0, sizeof(o));
	o.src = recs ? c->recs : c->sims;
	o.srcfd = recs ? c->recsfd : c->simsfd;
	if ((o.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666)) == -1)
		o.err = errno;
	for (i = 0; o.err == 0 && i < p->nservices; i++) {
		if (!cache_saved(c, p, i, t, rec))
			continue;
		if (c->reused[i]) {
			e = c->ent[i];
			cache_out_copy(&o, recs ? e->rec_off : e->sim_off,
			    recs ? e->rec_len : e->sim_len);
			continue;
		}
		b = recs ? &rec[i] : &simrec[i];
		if (o.e > o.s)
			cache_out_flush(&o);
		if (b->len > 0)
			cache_out_write(&o, b->data, b->len);
	}
	if (o.err == 0 && o.e > o.s)
		cache_out_flush(&o);
	if (o.fd != -1 && close(o.fd) == -1 && o.err == 0)
		o.err = errno;
	if (o.err != 0)
		diag_error(path, 0, 0, "cannot write: %s", strerror(o.err));
	free(path);
	return o.err != 0 ? -1 : 0;
}

int
cache_save(const struct cache *c, const struct pack *p, const char *dir,
    uint64_t jsonlen, const struct cache_text *t, const struct buf *simrec,
    const struct buf *rec)
{
	const struct cache_ent	*e;
	struct buf		 idx, body;
	uint64_t		 simoff = 0, recoff = 0, bh, sl, rl, sh, rh;
	size_t			 i;
	char			*path;
	int			 rc = 0;

	buf_init(&idx);
	buf_init(&body);
	for (i = 0; i < p->nservices; i++) {
		if (!cache_saved(c, p, i, t, rec))
			continue;
		if (c->reused[i]) {
			/* As checked (cache_reuse): hashed only when
			 * they were not trusted. */
			e = c->ent[i];
			sl = e->sim_len;
			sh = e->sim_len > 0 ? e->sim_hash : 0;
			rl = e->rec_len;
			rh = e->rec_hash;
		} else {
			sl = simrec[i].len;
			sh = sl > 0 ? cache_text_hash(simrec[i].data, sl) : 0;
			rl = rec[i].len;
			rh = cache_text_hash(rec[i].data, rl);
		}
		buf_put(&body, c->keys[i], CACHE_KEY_LEN);
		buf_putc(&body, ' ');
		buf_put(&body, c->slot[i]->kin, CACHE_KEY_LEN);
		buf_printf(&body, " %llu %llu %016llx %llu %llu %016llx "
		    "%llu %llu %016llx %s\n",
		    (unsigned long long)t[i].off, (unsigned long long)t[i].len,
		    (unsigned long long)t[i].hash, (unsigned long long)simoff,
		    (unsigned long long)sl, (unsigned long long)sh,
		    (unsigned long long)recoff, (unsigned long long)rl,
		    (unsigned long long)rh, p->services[i].id);
		simoff += sl;
		recoff += rl;
	}
	if (cache_save_file(dir, false, p, c, t, rec, simrec) == -1 ||
	    cache_save_file(dir, true, p, c, t, rec, simrec) == -1)
		rc = -1;
	buf_puts(&idx, CACHE_MAGIC);
	buf_printf(&idx, "files %llu %llu %llu\n", (unsigned long long)jsonlen,
	    (unsigned long long)simoff, (unsigned long long)recoff);
	bh = cache_text_hash(body.data ? body.data : "", body.len);
	buf_put(&idx, body.data ? body.data : "", body.len);
	buf_clear(&body);
	cache_stamp_set(dir, "analysis.json", cache_stamp(bh, 1));
	cache_stamp_set(dir, ".cache/sims", cache_stamp(bh, 2));
	cache_stamp_set(dir, ".cache/recs", cache_stamp(bh, 3));
	path = util_path_join(dir, ".cache/index");
	if (rc == 0 && util_file_write(path, idx.data, idx.len) == -1) {
		diag_error(path, 0, 0, "cannot write: %s", strerror(errno));
		rc = -1;
	}
	free(path);
	buf_clear(&idx);
	return rc;
}
