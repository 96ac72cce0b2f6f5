/*
 * cache.c: the build cache in OUT/.cache (see cache.h, issue 10).
 *
 * OUT/.cache/index  a magic line, then a line per service: its key
 *                   (32 hex digits), where its JSON text (as
 *                   export_json_service writes it) lies in
 *                   OUT/analysis.json and its hash, where its
 *                   simulation lies in sims, and its id
 * OUT/.cache/sims   the simulations, field by field (no padding)
 *
 * Two files in all, not one per service: on ext4 creating an inode
 * costs more than writing a page, and the JSON texts are not written
 * twice (analysis.json is the only copy).
 * The files are written into the new tree by every build, so they are
 * as deterministic as the rest of OUT, and they are swapped into place
 * with it: a key never outlives the outputs it describes.  The key is
 * not cryptographic: two 64-bit lanes of a multiply-xorshift mix (the
 * MurmurHash3 finaliser) over length-framed items, to notice edits,
 * not to resist forgery.
 */
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
#include <unistd.h>

#ifdef __linux__
#include <linux/fs.h>
#include <sys/ioctl.h>
#endif

#include "cache.h"
#include "diag.h"
#include "sim.h"
#include "util.h"

#ifndef BOARDPACK_VERSION
#define BOARDPACK_VERSION "unknown"
#endif

#define CACHE_SIM_MAGIC	0x316d697370626bULL	/* "bkpsim1" */
#define CACHE_KEY_LEN	32

struct cache {
	const char	*out;		/* the previous out */
	size_t		 n;
	char		(*keys)[CACHE_KEY_LEN + 2];	/* "hex\n" */
	bool		*hit;
	struct sim	**sims;
	uint64_t	*json_off;	/* hits: their text in the previous */
	uint64_t	*json_len;	/* analysis.json, and its hash */
	uint64_t	*json_hash;
	size_t		 nhits;
};

struct cache_hash {
	uint64_t	 a, b;
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

/* An item: its tag, its length, then its bytes: 32-byte blocks on four
 * independent lanes (xxHash64's rounds, so large inputs such as data
 * files and JSON texts hash at memory speed), folded in, then the
 * rest in 8-byte words. */
static void
cache_put(struct cache_hash *h, uint64_t tag, const void *p, size_t len)
{
	const unsigned char	*s = p;
	uint64_t		 w[4], l[4];
	size_t			 k;

	cache_word(h, tag);
	cache_word(h, (uint64_t)len);
	if (len >= 32) {
		l[0] = h->a + 0x60ea27eeadc0b5d6ULL;
		l[1] = h->b + 0xc2b2ae3d27d4eb4fULL;
		l[2] = h->a;
		l[3] = h->b - 0x9e3779b185ebca87ULL;
		for (; len >= 32; s += 32, len -= 32) {
			memcpy(w, s, 32);
			for (k = 0; k < 4; k++)
				l[k] = cache_round(l[k], w[k]);
		}
		for (k = 0; k < 4; k++)
			cache_word(h, l[k]);
	}
	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w[0], s, 8);
		cache_word(h, w[0]);
	}
	if (len > 0) {
		w[0] = 0;
		memcpy(&w[0], s, len);
		cache_word(h, w[0]);
	}
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

/* What every service shares: the binary (a rebuilt boardpack may
 * render differently under the same version), the options, the
 * templates, the theme, boardpack.yml and the pack date (resolved by
 * content_load: date:, else SOURCE_DATE_EPOCH, else the last data date). */
static struct cache_hash
cache_pack_hash(const struct pack *p, const struct site_opts *o,
    bool *ok)
{
	struct cache_hash	 h = { 0x6a09e667f3bcc908ULL,
				    0xbb67ae8584caa73bULL };
	const char		*theme, *tdir, *thdir;
	char			*dir, *exe;
	size_t			 len;

	*ok = true;
	if ((exe = util_file_read("/proc/self/exe", &len)) == NULL)
		*ok = false;	/* cannot tell binaries apart: no hits */
	else {
		cache_put(&h, 1, exe, len);
		free(exe);
	}
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
	return h;
}

/* Service i's key: the pack's, its page and data bytes, and the ids
 * and titles of the neighbours its page links. */
static void
cache_key(const struct pack *p, size_t i, struct cache_hash h,
    char *key)
{
	const struct service	*svc = &p->services[i], *nb;

	cache_str(&h, 50, svc->id);
	cache_file(&h, 51, svc->path);
	cache_file(&h, 52, svc->data_path);
	nb = i > 0 ? &p->services[i - 1] : NULL;
	cache_str(&h, 53, nb ? nb->id : NULL);
	cache_str(&h, 54, nb ? nb->title : NULL);
	nb = i + 1 < p->nservices ? &p->services[i + 1] : NULL;
	cache_str(&h, 55, nb ? nb->id : NULL);
	cache_str(&h, 56, nb ? nb->title : NULL);
	snprintf(key, CACHE_KEY_LEN + 2, "%016llx%016llx\n",
	    (unsigned long long)h.a, (unsigned long long)cache_mix(h.b));
}

/* ---- the simulation, field by field ---- */

static void
cache_u64(struct buf *b, uint64_t v)
{
	buf_put(b, &v, sizeof(v));
}

static void
cache_dbl(struct buf *b, const double *v, size_t n)
{
	buf_put(b, v, n * sizeof(*v));
}

void
cache_sim_record(const struct sim *sim, struct buf *b)
{
	const struct sim_scenario *ss;
	size_t	 s, l;

	cache_u64(b, CACHE_SIM_MAGIC);
	cache_u64(b, sim->paths);
	cache_u64(b, sim->horizon);
	cache_u64(b, sim->seed);
	cache_u64(b, sim->nscenarios);
	buf_put(b, sim->keys, sim->horizon * sizeof(*sim->keys));
	for (s = 0; s < sim->nscenarios; s++) {
		ss = &sim->scenarios[s];
		/* The name's length + 1 (0: no name), then its bytes. */
		cache_u64(b, ss->name != NULL ? strlen(ss->name) + 1 : 0);
		if (ss->name != NULL)
			buf_puts(b, ss->name);
		cache_dbl(b, &ss->cost, 1);
		cache_dbl(b, &ss->p_wait_over_target_end, 1);
		cache_dbl(b, &ss->p_wait_over_target_any, 1);
		cache_dbl(b, &ss->p_demand_2x_capacity, 1);
		cache_dbl(b, &ss->cost_per_point_risk_removed, 1);
		for (l = 0; l < SIM_PCT_N; l++)
			cache_dbl(b, ss->backlog_pct[l], sim->horizon);
	}
}

/* A cursor over a simulation record: reads fail once past its end. */
struct cache_rd {
	const char	*p;
	size_t		 left;
	bool		 bad;
};

static void
cache_rd(struct cache_rd *r, void *v, size_t n)
{
	if (r->bad || n > r->left) {
		r->bad = true;
		memset(v, 0, n);
		return;
	}
	memcpy(v, r->p, n);
	r->p += n;
	r->left -= n;
}

static uint64_t
cache_rd_u64(struct cache_rd *r)
{
	uint64_t	 v;

	cache_rd(r, &v, sizeof(v));
	return v;
}

/* An array of n items of size sz, or NULL (r->bad) when the file is
 * too short for it. */
static void *
cache_rd_arr(struct cache_rd *r, uint64_t n, size_t sz)
{
	void	*v;

	if (r->bad || n > r->left / sz) {
		r->bad = true;
		return NULL;
	}
	v = xcalloc(n ? n : 1, sz);
	cache_rd(r, v, n * sz);
	return v;
}

/* Parses a simulation record into a struct sim (sim_free()); NULL
 * when it is not one (a miss, never an error). */
static struct sim *
cache_sim_read(const char *data, size_t len)
{
	struct cache_rd	 r = { data, len, false };
	struct sim	*sim;
	struct sim_scenario *ss;
	uint64_t	 k;
	size_t		 s, l;

	if (cache_rd_u64(&r) != CACHE_SIM_MAGIC)
		return NULL;
	sim = xcalloc(1, sizeof(*sim));
	sim->paths = cache_rd_u64(&r);
	sim->horizon = cache_rd_u64(&r);
	sim->seed = cache_rd_u64(&r);
	k = cache_rd_u64(&r);
	sim->keys = cache_rd_arr(&r, sim->horizon, sizeof(*sim->keys));
	/* Each scenario takes at least 8 bytes: bounds the allocation. */
	if (!r.bad && k <= r.left / 8) {
		sim->scenarios = xcalloc(k ? k : 1, sizeof(*sim->scenarios));
		sim->nscenarios = k;
	} else
		r.bad = true;
	for (s = 0; !r.bad && s < sim->nscenarios; s++) {
		ss = &sim->scenarios[s];
		if ((k = cache_rd_u64(&r)) > 0 && k - 1 <= r.left) {
			ss->name = xmalloc(k);
			cache_rd(&r, ss->name, k - 1);
			ss->name[k - 1] = '\0';
		} else if (k > 0)
			r.bad = true;
		cache_rd(&r, &ss->cost, sizeof(double));
		cache_rd(&r, &ss->p_wait_over_target_end, sizeof(double));
		cache_rd(&r, &ss->p_wait_over_target_any, sizeof(double));
		cache_rd(&r, &ss->p_demand_2x_capacity, sizeof(double));
		cache_rd(&r, &ss->cost_per_point_risk_removed, sizeof(double));
		for (l = 0; l < SIM_PCT_N; l++)
			ss->backlog_pct[l] = cache_rd_arr(&r, sim->horizon,
			    sizeof(double));
	}
	if (r.bad || r.left != 0) {
		sim_free(sim);
		return NULL;
	}
	return sim;
}

/* ---- the cache ---- */

#define CACHE_MAGIC	"boardpack-cache 2\n"

/* One line of the previous .cache/index. */
struct cache_ent {
	char		 key[CACHE_KEY_LEN + 2];	/* "hex\n" */
	uint64_t	 json_off, json_len;	/* in analysis.json */
	uint64_t	 json_hash;
	uint64_t	 sim_off, sim_len;	/* in .cache/sims */
	const char	*id;
};

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
 * Parses .cache/index (text, NUL-terminated in s, modified): the magic
 * line, then one line per service, "KEY JSON_OFF JSON_LEN JSON_HASH
 * SIM_OFF SIM_LEN ID" (the hash in hex).  Lines that do not parse are
 * skipped (misses).  Returns the entries sorted by id, *n their count.
 */
static struct cache_ent *
cache_index_parse(char *s, size_t *n)
{
	struct cache_ent	*e = NULL, *x;
	char			*line, *nl, *p, *end;
	uint64_t		 v[5];
	size_t			 k, m = 0;

	*n = 0;
	if (strncmp(s, CACHE_MAGIC, sizeof(CACHE_MAGIC) - 1) != 0)
		return NULL;
	for (line = s + sizeof(CACHE_MAGIC) - 1; *line != '\0'; line = nl) {
		if ((nl = strchr(line, '\n')) == NULL)
			break;
		*nl++ = '\0';
		if (strlen(line) < CACHE_KEY_LEN + 2 ||
		    line[CACHE_KEY_LEN] != ' ')
			continue;
		p = line + CACHE_KEY_LEN + 1;
		for (k = 0; k < 5; k++) {
			errno = 0;
			v[k] = strtoull(p, &end, k == 2 ? 16 : 10);
			if (end == p || *end != ' ' || errno != 0)
				break;
			p = end + 1;
		}
		if (k < 5 || *p == '\0')
			continue;
		e = xreallocarray(e, m + 1, sizeof(*e));
		x = &e[m++];
		memcpy(x->key, line, CACHE_KEY_LEN);
		x->key[CACHE_KEY_LEN] = '\n';
		x->key[CACHE_KEY_LEN + 1] = '\0';
		x->json_off = v[0];
		x->json_len = v[1];
		x->json_hash = v[2];
		x->sim_off = v[3];
		x->sim_len = v[4];
		x->id = p;
	}
	if (m > 1)
		qsort(e, m, sizeof(*e), cache_ent_cmp);
	*n = m;
	return e;
}

/* Keys every service and reads back what the previous out has for
 * the unchanged ones (see cache.h). */
struct cache *
cache_new(const struct pack *p, const struct site_opts *o)
{
	struct cache		*c = xcalloc(1, sizeof(*c));
	struct cache_hash	 h;
	struct cache_ent	*ents = NULL, *e, want;
	char			*path, *idx = NULL, *sims = NULL;
	size_t			 i, nents = 0, idxlen, simslen = 0;
	bool			 ok;

	c->out = o->out ? o->out : "out";
	c->n = p->nservices;
	c->keys = xcalloc(c->n ? c->n : 1, sizeof(*c->keys));
	c->hit = xcalloc(c->n ? c->n : 1, sizeof(*c->hit));
	c->sims = xcalloc(c->n ? c->n : 1, sizeof(*c->sims));
	c->json_off = xcalloc(c->n ? c->n : 1, sizeof(*c->json_off));
	c->json_len = xcalloc(c->n ? c->n : 1, sizeof(*c->json_len));
	c->json_hash = xcalloc(c->n ? c->n : 1, sizeof(*c->json_hash));
	h = cache_pack_hash(p, o, &ok);
	path = util_path_join(c->out, ".boardpack");
	if (!util_is_file(path))
		ok = false;	/* not our out: site_write refuses it */
	free(path);
	if (ok) {
		path = util_path_join(c->out, ".cache/index");
		if ((idx = util_file_read(path, &idxlen)) != NULL)
			ents = cache_index_parse(idx, &nents);
		free(path);
		path = util_path_join(c->out, ".cache/sims");
		if (nents > 0)
			sims = util_file_read(path, &simslen);
		free(path);
	}
	for (i = 0; i < c->n; i++) {
		cache_key(p, i, h, c->keys[i]);
		if (nents == 0 || p->services[i].id == NULL)
			continue;
		want.id = p->services[i].id;
		e = bsearch(&want, ents, nents, sizeof(*ents), cache_ent_cmp);
		if (e == NULL || memcmp(e->key, c->keys[i],
		    CACHE_KEY_LEN + 1) != 0 || e->json_len == 0)
			continue;
		/* A service without a simulation has none in .cache/sims. */
		if (e->sim_len > 0) {
			if (sims == NULL || e->sim_off > simslen ||
			    e->sim_len > simslen - e->sim_off ||
			    (c->sims[i] = cache_sim_read(sims + e->sim_off,
			    e->sim_len)) == NULL)
				continue;
		}
		c->json_off[i] = e->json_off;
		c->json_len[i] = e->json_len;
		c->json_hash[i] = e->json_hash;
		c->hit[i] = true;
		c->nhits++;
	}
	free(ents);
	free(idx);
	free(sims);
	return c;
}

void
cache_free(struct cache *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		sim_free(c->sims[i]);
	free(c->sims);
	free(c->hit);
	free(c->keys);
	free(c->json_off);
	free(c->json_len);
	free(c->json_hash);
	free(c);
}

struct sim **
cache_sims(struct cache *c)
{
	return c->sims;
}

bool
cache_hit(const struct cache *c, size_t i)
{
	return c != NULL && i < c->n && c->hit[i];
}

size_t
cache_hits(const struct cache *c)
{
	return c != NULL ? c->nhits : 0;
}

char *
cache_json(const struct cache *c, size_t i, size_t *len)
{
	char	*path, *s;
	int	 fd;
	ssize_t	 r;
	size_t	 got = 0, n;

	if (!cache_hit(c, i) || c->json_len[i] > SIZE_MAX - 1)
		return NULL;
	n = (size_t)c->json_len[i];
	path = util_path_join(c->out, "analysis.json");
	fd = open(path, O_RDONLY | O_NOFOLLOW);
	free(path);
	if (fd == -1)
		return NULL;
	s = xmalloc(n + 1);
	while (got < n) {
		r = pread(fd, s + got, n - got, (off_t)(c->json_off[i] + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != n || cache_text_hash(s, n) != c->json_hash[i]) {
		free(s);
		return NULL;
	}
	s[n] = '\0';
	*len = n;
	return s;
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

int
cache_save(const struct cache *c, const struct pack *p, const char *dir,
    const struct cache_text *t, const struct buf *simrec)
{
	const struct service	*svc;
	struct buf		 idx, sims;
	size_t			 i, sim0;
	char			*path;
	int			 rc = 0;

	buf_init(&idx);
	buf_init(&sims);
	buf_puts(&idx, CACHE_MAGIC);
	for (i = 0; i < p->nservices; i++) {
		svc = &p->services[i];
		if (svc->id == NULL || t[i].len == 0)
			continue;
		sim0 = sims.len;
		buf_put(&sims, simrec[i].data, simrec[i].len);
		buf_put(&idx, c->keys[i], CACHE_KEY_LEN);
		buf_printf(&idx, " %llu %llu %016llx %zu %zu %s\n",
		    (unsigned long long)t[i].off, (unsigned long long)t[i].len,
		    (unsigned long long)t[i].hash, sim0, sims.len - sim0,
		    svc->id);
	}
	path = util_path_join(dir, ".cache/sims");
	if (util_file_write(path, sims.data != NULL ? sims.data : "",
	    sims.len) == -1) {
		diag_error(path, 0, 0, "cannot write: %s", strerror(errno));
		rc = -1;
	}
	free(path);
	path = util_path_join(dir, ".cache/index");
	if (rc == 0 && util_file_write(path, idx.data, idx.len) == -1) {
		diag_error(path, 0, 0, "cannot write: %s", strerror(errno));
		rc = -1;
	}
	free(path);
	buf_clear(&idx);
	buf_clear(&sims);
	return rc;
}
