/*
 * site.c: analysis per service, render and write stage (see site.h,
 * SPEC 5).  A temporary directory "<out>.tmp.XXXXXX" is made beside
 * out/ first; each service is analysed, its page, CSV and PDF rendered
 * and written into it as soon as they are made, its JSON text handed to
 * the thread that streams analysis.json in pack order, and its analysis
 * then reduced to what the pack-wide outputs read, on -j threads; then
 * the index and search pages and the pack PDF, side by side.  Memory
 * therefore holds a few services' analyses, not the pack's.  The
 * directory replaces out/ only when every file was written; any failure
 * removes it.  Unchanged services are hard-linked from the previous
 * out/ and their JSON texts copied from the previous analysis.json
 * (cache.h); when the pack PDF carries no briefings they are not
 * analysed either (cache_stub): their IPR rows and the stub analysis
 * the pack PDF's table reads come from the cache.  When only a few
 * services are built (a rebuild), their pages, CSVs and PDFs are
 * rendered beside the index and the pack PDF rather than before them.
 * This file runs the build; the pages' HTML is rendered by sitepage.c
 * and the files are put on disk by siteout.c (siteint.h).
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "analysis.h"
#include "cache.h"
#include "content.h"
#include "diag.h"
#include "export.h"
#include "ipr.h"
#include "md.h"
#include "pdf.h"
#include "search.h"
#include "site.h"
#include "siteint.h"
#include "stub.h"
#include "theme.h"
#include "tmpl.h"
#include "util.h"

static const char *const site_month_names[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

/*
 * The services' JSON texts on their way to analysis.json: the jobs put
 * each service's text (or say it is unchanged, or failed) in its slot;
 * one writer thread takes them in pack order and streams them to the
 * file, so a text is written once and only the few finished out of
 * order wait in memory.  Guarded by mu.
 */
enum site_jstate {
	SITE_J_WAIT,		/* not done yet */
	SITE_J_TEXT,		/* text[i] is ready */
	SITE_J_FAILED		/* its job failed (reported) */
};

struct site_jq {
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	unsigned char		*state;		/* enum site_jstate */
	char			**text;
	size_t			*len;
	const char		**src;		/* unchanged: the text in the
						 * previous analysis.json */
	uint64_t		*hash;		/* and its hash */
	struct cache_text	*out;		/* where each went */
	uint64_t		 written;	/* bytes of analysis.json */
	const char		*pending;	/* the text being put */
	const char		*pending_src;	/* its bytes, when copied */
	size_t			 pending_i;
	bool			 closed;	/* the writer has stopped */
};

static void
site_date_long(char *s, size_t sz, int64_t day)
{
	int		 y;
	unsigned	 m, d;

	util_civil_from_days(day, &y, &m, &d);
	snprintf(s, sz, "%u %s %d", d, site_month_names[m - 1], y);
}

/* The pack date (resolved by content_load, SPEC 2) as ISO text and its
 * day; NULL when the pack has none. */
static char *
site_pack_date(const struct pack *p, int64_t *day)
{
	if (p->date != NULL && util_day_parse(p->date, day))
		return xstrdup(p->date);
	return NULL;
}

static struct site_jq *
site_jq_new(size_t n)
{
	struct site_jq	*q = xcalloc(1, sizeof(*q));

	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	q->state = xcalloc(n ? n : 1, sizeof(*q->state));
	q->text = xcalloc(n ? n : 1, sizeof(*q->text));
	q->len = xcalloc(n ? n : 1, sizeof(*q->len));
	q->src = xcalloc(n ? n : 1, sizeof(*q->src));
	q->hash = xcalloc(n ? n : 1, sizeof(*q->hash));
	q->out = xcalloc(n ? n : 1, sizeof(*q->out));
	return q;
}

/* Frees q and any text it still holds (a failed build). */
static void
site_jq_free(struct site_jq *q, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(q->text[i]);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
	free(q->state);
	free(q->text);
	free(q->len);
	free(q->src);
	free(q->hash);
	free(q->out);
	free(q);
}

/* Sets slot i of q (text, when given, is handed over) and wakes the
 * writer. */
static void
site_jq_set(struct site_jq *q, size_t i, enum site_jstate state,
    char *text, size_t len)
{
	pthread_mutex_lock(&q->mu);
	q->state[i] = (unsigned char)state;
	if (q->closed) {
		/* A failed write stopped the writer: nothing waits for it,
		 * so it is not held for the rest of the build. */
		free(text);
		text = NULL;
	}
	free(q->text[i]);	/* a failure after its text was handed */
	q->text[i] = text;
	q->len[i] = len;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

/* Slot i of q is the text src[0..len) of the previous analysis.json
 * (mapped; hash its hash): the writer copies it from there. */
static void
site_jq_copy(struct site_jq *q, size_t i, const char *src, size_t len,
    uint64_t hash)
{
	pthread_mutex_lock(&q->mu);
	q->state[i] = SITE_J_TEXT;
	q->src[i] = src;
	q->hash[i] = hash;
	q->len[i] = len;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

/* The files of service i that a hit links: rel[0..n), caller frees. */
static size_t
site_service_rels(const struct site *st, size_t i, char *rel[3])
{
	const struct service	*svc = &st->pack->services[i];
	size_t			 n = 0;

	rel[n++] = xasprintf("services/%s.html", svc->id);
	if (svc->an != NULL)
		rel[n++] = xasprintf("data/%s.csv", svc->id);
	if (svc->an != NULL && st->packpdf_name != NULL)
		rel[n++] = xasprintf("pdf/%s.pdf", svc->id);
	return n;
}

/* Removes the first m files of service i from the tree (links that
 * must go before it is rendered: a render never writes into a linked
 * file). */
static void
site_service_unlink(const struct site *st, size_t i, size_t m)
{
	char	*rel[3], *path;
	size_t	 k, n = site_service_rels(st, i, rel);

	for (k = 0; k < n; k++) {
		if (k < m) {
			path = util_path_join(st->tmp, rel[k]);
			unlink(path);
			free(path);
		}
		free(rel[k]);
	}
}

/* Copies service i's files from the previous out when its cache key
 * is unchanged; -1 when any is missing (it is then rendered, and none
 * is left linked). */
static int
site_service_copy(const struct site *st, size_t i)
{
	char	*rel[3];
	size_t	 k, n;
	int	 rc = 0;

	if (!cache_hit(st->cache, i))
		return -1;
	n = site_service_rels(st, i, rel);
	for (k = 0; k < n && rc == 0; k++)
		if (cache_copy(st->cache, st->tmp, rel[k]) == -1) {
			site_service_unlink(st, i, k);
			rc = -1;
		}
	for (k = 0; k < n; k++)
		free(rel[k]);
	return rc;
}

/*
 * A hit that is not analysed (cache_stub): its page, CSV and PDF
 * linked, its JSON text copied from the previous analysis.json, its
 * IPR rows, record and simulation taken from the cache and what its
 * analysis printed printed again.  0, or 1 when any of it is missing
 * or damaged (the service is then built).
 */
static int
site_service_reuse(struct site *st, size_t i)
{
	const char	*js, *d;
	size_t		 len, dlen;
	uint64_t	 hash;
	json_t		*rows;

	if ((js = cache_json(st->cache, i, &len, &hash)) == NULL ||
	    site_service_copy(st, i) == -1)
		return 1;
	if ((rows = cache_reuse(st->cache, i)) == NULL) {
		site_service_unlink(st, i, 3);
		return 1;
	}
	if ((d = cache_an_diag(st->cache, i, &dlen)) != NULL && dlen > 0) {
		struct buf	 b;

		buf_init(&b);
		buf_put(&b, d, dlen);
		diag_print(&b);
		buf_clear(&b);
	}
	st->ipr_rows[i] = rows;
	site_jq_copy(st->jq, i, js, len, hash);
	return 0;
}

/*
 * Parses service i's body once (svc->doc) for its page, its PDF, the
 * pack PDF's briefing and its search text, which is made here: the
 * search index is written in the tail, beside the services deferred.
 * quiet for a service not rendered (an earlier build made its page).
 */
static void
site_service_doc(struct site *st, size_t i, bool quiet)
{
	struct service	*svc = &st->apack->services[i];

	svc->doc = md_doc_parse(svc->body ? svc->body : "", svc->path,
	    svc->body_line, svc, quiet);
	st->texts[1 + i] = search_doc_text(svc->doc);
}

/* Lets service i's doc go once its files are made, unless the pack
 * PDF, which carries every briefing when the analyses are kept (not
 * st->slim), reads it later (site_docs_free). */
static void
site_service_doc_done(const struct site *st, size_t i)
{
	struct service	*svc = &st->apack->services[i];

	if (!st->slim)
		return;
	md_doc_free(svc->doc);
	svc->doc = NULL;
}

/* Renders and writes service i's page, CSV, PDF and JSON text (the
 * last handed to the writer of analysis.json), freeing each as soon as
 * it is written; or takes them from the previous out when unchanged.
 * 0 or -1 (reported). */
static int	site_service_render(const struct site *, size_t);

static int
site_service(struct site *st, size_t i)
{
	const struct service	*svc = &st->pack->services[i];
	struct buf		 andiag;
	char			*js;
	const char		*src;
	size_t			 len;
	uint64_t		 hash;
	int			 rc;
	bool			 stub = cache_stub(st->cache, i);

	if (stub) {
		if ((rc = site_service_reuse(st, i)) == 0) {
			site_service_doc(st, i, true);
			site_service_doc_done(st, i);
		}
		if (rc != 1)
			return rc;
		/* Built after all: its data, whole. */
		if (content_service_reload(&st->apack->services[i]) == -1)
			return -1;
	}

	/* The analysis (what it prints kept for the cache), then what the
	 * pack-wide outputs need of it. */
	buf_init(&andiag);
	diag_capture(&andiag);
	analysis_service(st->apack, i, st->sim_jobs,
	    st->sims != NULL ? &st->sims[i] : NULL);
	diag_capture(NULL);
	diag_print(&andiag);
	st->ipr_rows[i] = ipr_service_rows(svc, &st->index_op);
	if (st->cache != NULL)
		cache_record(st->cache, st->pack, i, &andiag,
		    st->ipr_rows[i], &st->rec[i]);
	buf_clear(&andiag);
	if (svc->an != NULL && svc->an->sim != NULL)
		stub_sim_put(svc->an->sim, &st->simrec[i]);

	if (!stub && site_service_copy(st, i) == 0) {
		/* Its text from the previous analysis.json, or anew when
		 * that no longer holds it. */
		if ((src = cache_json(st->cache, i, &len, &hash)) != NULL)
			site_jq_copy(st->jq, i, src, len, hash);
		else {
			js = export_json_service(svc, &len);
			site_jq_set(st->jq, i, SITE_J_TEXT, js, len);
		}
		site_service_doc(st, i, true);
		site_service_doc_done(st, i);
		return 0;
	}
	/* The JSON text first: the writer of analysis.json goes on with
	 * the services after this one while its files are rendered. */
	js = export_json_service(svc, &len);
	site_jq_set(st->jq, i, SITE_J_TEXT, js, len);
	site_service_doc(st, i, false);
	if (st->defer) {
		st->deferred[i] = 1;	/* rendered beside the tail */
		return 0;
	}
	rc = site_service_render(st, i);
	site_service_doc_done(st, i);
	return rc;
}

/* Renders and writes analysed service i's page, CSV and PDF.  0 or -1
 * (reported). */
static int
site_service_render(const struct site *st, size_t i)
{
	const struct service	*svc = &st->pack->services[i];
	struct buf		 b;
	char			*rel, *name;
	int			 rc;

	buf_init(&b);
	if (site_service_page(st, i, &b) == -1) {
		buf_clear(&b);
		return -1;
	}
	rel = xasprintf("services/%s.html", svc->id);
	rc = site_put_buf(st, rel, &b);
	free(rel);
	if (rc == 0 && svc->an != NULL) {
		export_csv(st->pack, svc, &b);
		rel = xasprintf("data/%s.csv", svc->id);
		rc = site_put_buf(st, rel, &b);
		free(rel);
	}
	if (rc == 0 && svc->an != NULL && st->packpdf_name != NULL) {
		name = xasprintf("%s/pdf/%s.pdf", st->out, svc->id);
		rc = pdf_service_buf(st->pack, svc, &st->pal, name, &b);
		free(name);
		rel = xasprintf("pdf/%s.pdf", svc->id);
		if (rc == 0)
			rc = site_put_buf(st, rel, &b);
		buf_clear(&b);
		free(rel);
	}
	return rc;
}

/* The pack PDF, rendered and written. */
static int
site_pack_pdf(const struct site *st)
{
	struct buf	 b;
	char		*name, *rel;
	int		 rc;

	buf_init(&b);
	name = xasprintf("%s/pdf/%s", st->out, st->packpdf_name);
	rc = pdf_pack_buf(st->pack, &st->pal, name, &b);
	free(name);
	rel = xasprintf("pdf/%s", st->packpdf_name);
	if (rc == 0)
		rc = site_put_buf(st, rel, &b);
	buf_clear(&b);
	free(rel);
	return rc;
}

/* Work item k: with PDFs, item 0 is the pack PDF (the longest, so it
 * starts first and overlaps the pages) and item k the service k - 1;
 * without, item k is service k. */
static void
site_job(size_t k, void *arg)
{
	struct site	*st = arg;
	size_t		 i;

	i = k;
	st->failed[k] = site_service(st, i) == -1;
	if (st->failed[k])
		site_jq_set(st->jq, i, SITE_J_FAILED, NULL, 0);
	if (st->slim && !st->deferred[i])
		analysis_slim(st->apack->services[i].an);
}

/* The index page, then search.html (work item 0 of the tail). */
static int
site_index_and_search(const struct site *st)
{
	struct buf	 b, ipr;

	buf_init(&b);
	buf_init(&ipr);
	if (site_index_page(st, &b, &ipr) == -1) {
		buf_clear(&b);
		buf_clear(&ipr);
		return -1;
	}
	if (site_put_splice(st, "index.html", &b, &ipr) == -1)
		return -1;
	if (site_search_page(st, &b) == -1 ||
	    site_put_buf(st, "search.html", &b) == -1)
		return -1;
	return 0;
}

/* The search index and the assets (work item 1 of the tail). */
static int
site_assets(const struct site *st)
{
	struct buf	 b;
	int		 rc;

	buf_init(&b);
	search_index_js(st->pack, st->texts, &b);
	rc = site_put_buf(st, "assets/search-index.js", &b);
	rc |= site_put(st->tmp, "assets/style.css", st->css, st->csslen);
	rc |= site_put(st->tmp, "assets/search.js", st->searchjs,
	    st->searchjslen);
	return rc ? -1 : 0;
}

/* Work item k of the tail: the pack PDF (the longest) first, then the
 * deferred services' files, the index and search pages, the search
 * index and assets (st->tail[k] says which: SITE_T_*, or a service). */
enum { SITE_T_PACKPDF = -1, SITE_T_INDEX = -2, SITE_T_ASSETS = -3 };

static void
site_tail_job(size_t k, void *arg)
{
	struct site	*st = arg;
	long		 t = st->tail[k];

	if (t == SITE_T_INDEX)
		st->tail_failed[0] = site_index_and_search(st) == -1;
	else if (t == SITE_T_ASSETS)
		st->tail_failed[1] = site_assets(st) == -1;
	else if (t == SITE_T_PACKPDF)
		st->tail_failed[2] = site_pack_pdf(st) == -1;
	else {
		if (site_service_render(st, (size_t)t) == -1)
			st->failed[t] = 1;
		site_service_doc_done(st, (size_t)t);
	}
}

/* analysis.json: export_json_stream's head and tail around the
 * services' texts as the jobs hand them over (site_jq), straight to
 * the file, on a thread of its own while the jobs run. */
struct site_json {
	const struct site	*st;
	int			 fd;
	struct buf		 wb;	/* bytes not yet written */
	char			*path;
	int			 err;	/* errno of a failed write */
	int			 rc;
};

/* Writes what sj->wb holds; -1 (sj->err set) on a failed write. */
static int
site_json_flush(struct site_json *sj)
{
	size_t	 off = 0;
	ssize_t	 w;

	while (off < sj->wb.len) {
		if ((w = write(sj->fd, sj->wb.data + off, sj->wb.len - off)) <
		    0) {
			if (errno == EINTR)
				continue;
			sj->err = errno;
			return -1;
		}
		off += (size_t)w;
	}
	sj->wb.len = 0;
	return 0;
}

static int
site_json_put(const void *p, size_t n, void *arg)
{
	struct site_json	*sj = arg;
	struct site_jq		*q = sj->st->jq;
	const char		*src = NULL;

	/* A service's text: note where it goes, for .cache/index; an
	 * unchanged one is copied from the previous analysis.json (in the
	 * kernel where it can). */
	if (q->pending != NULL && p == q->pending) {
		q->out[q->pending_i].off = q->written;
		q->out[q->pending_i].len = n;
		if ((src = q->pending_src) != NULL)
			q->out[q->pending_i].hash = q->hash[q->pending_i];
		else
			q->out[q->pending_i].hash = cache_text_hash(p, n);
		q->pending = NULL;
		q->pending_src = NULL;
	}
	q->written += n;
	if (src != NULL) {
		if (site_json_flush(sj) == -1)
			return -1;
		if (cache_json_copy(sj->st->cache, src, n, sj->fd) == 0)
			return 0;
		sj->err = errno;
		return -1;
	}
	buf_put(&sj->wb, p, n);
	if (sj->wb.len >= (1 << 20))
		return site_json_flush(sj);
	return 0;
}

/* Service i's text: waits for its job; NULL when that failed (the
 * stream stops). */
static char *
site_json_text(const struct pack *p, size_t i, size_t *len, void *arg)
{
	struct site_json	*sj = arg;
	struct site_jq		*q = sj->st->jq;
	enum site_jstate	 state;
	char			*s;

	pthread_mutex_lock(&q->mu);
	while (q->state[i] == SITE_J_WAIT)
		pthread_cond_wait(&q->cv, &q->mu);
	state = q->state[i];
	s = q->text[i];
	*len = q->len[i];
	q->text[i] = NULL;
	q->pending_src = q->src[i];
	pthread_mutex_unlock(&q->mu);
	(void)p;
	if (state == SITE_J_FAILED)
		return NULL;
	/* A copied text: a stand-in that site_json_put recognises. */
	if (q->pending_src != NULL)
		s = xmalloc(1);
	q->pending = s;
	q->pending_i = i;
	return s;
}

static void *
site_json_main(void *arg)
{
	struct site_json	*sj = arg;
	struct site_jq		*q = sj->st->jq;
	size_t			 i;

	sj->rc = export_json_stream(sj->st->pack, NULL, site_json_put,
	    site_json_text, sj);
	/* Let go of the texts that came early and will not be written. */
	pthread_mutex_lock(&q->mu);
	q->closed = true;
	for (i = 0; i < sj->st->pack->nservices; i++) {
		free(q->text[i]);
		q->text[i] = NULL;
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/* Starts the writer of analysis.json on its own thread; -1 (reported)
 * when it cannot. */
static int
site_json_start(struct site_json *sj, const struct site *st,
    pthread_t *th)
{
	memset(sj, 0, sizeof(*sj));
	sj->st = st;
	sj->path = util_path_join(st->tmp, "analysis.json");
	buf_init(&sj->wb);
	if ((sj->fd = open(sj->path, O_WRONLY | O_CREAT | O_TRUNC, 0666)) ==
	    -1) {
		diag_error(sj->path, 0, 0, "cannot write: %s",
		    strerror(errno));
		free(sj->path);
		return -1;
	}
	if (pthread_create(th, NULL, site_json_main, sj) != 0) {
		diag_error(sj->path, 0, 0, "cannot start a thread");
		close(sj->fd);
		free(sj->path);
		return -1;
	}
	return 0;
}

/* Waits for the writer; 0, or -1 (a failed job was reported by its
 * job, a failed write here). */
static int
site_json_finish(struct site_json *sj, pthread_t th)
{
	int	 rc;

	pthread_join(th, NULL);
	rc = sj->rc;
	if (sj->err == 0)
		site_json_flush(sj);
	buf_clear(&sj->wb);
	if (close(sj->fd) == -1 && sj->err == 0)
		sj->err = errno;
	if (sj->err != 0) {
		diag_error(sj->path, 0, 0, "cannot write: %s",
		    strerror(sj->err));
		rc = -1;
	}
	free(sj->path);
	return rc;
}

/* Creates the subdirectories the parallel jobs write into, only those
 * the tree will have files in (as util_file_write would). */
static int
site_subdirs(const struct site *st)
{
	const struct pack	*p = st->pack;
	const char		*sub[4];
	char			*path;
	size_t			 i, n = 0;
	bool			 an = false;
	int			 rc = 0;

	for (i = 0; i < p->nservices; i++)
		an = an || p->services[i].an != NULL;
	if (p->nservices > 0) {
		sub[n++] = "services";
		sub[n++] = ".cache";
	}
	if (an)
		sub[n++] = "data";
	if (st->packpdf_name != NULL)
		sub[n++] = "pdf";
	for (i = 0; i < n; i++) {
		path = util_path_join(st->tmp, sub[i]);
		if (util_mkdirs(path) == -1) {
			diag_error(path, 0, 0, "cannot create: %s",
			    strerror(errno));
			rc = -1;
		}
		free(path);
	}
	return rc;
}

/* With BOARDPACK_TIMING set, the seconds since the write stage began
 * at each step, on stderr (for make bench and profiling). */
static void
site_timing(const char *what)
{
	static double	 t0;
	struct timespec	 ts;
	double		 t;

	if (getenv("BOARDPACK_TIMING") == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	if (what == NULL)
		t0 = t;
	else
		fprintf(stderr, "timing:   write: %s %.3f s\n", what, t - t0);
}

/* Lets go the docs still held (those the pack PDF read, and any that a
 * failed build left) and the search texts. */
static void
site_docs_free(struct site *st)
{
	struct pack	*p = st->apack;
	size_t		 k;

	for (k = 0; k < p->nservices; k++) {
		md_doc_free(p->services[k].doc);
		p->services[k].doc = NULL;
	}
	md_doc_free(p->index_doc);
	p->index_doc = NULL;
	for (k = 0; k < p->nservices + 1; k++)
		free(st->texts[k]);
	free(st->texts);
}

/* Everything but the swap, into st->tmp.  0 or -1 (reported). */
static int
site_write_tree(struct site *st, const char *css, size_t csslen,
    int jobs)
{
	static const char	 marker[] = "boardpack output directory; "
				    "rebuilt on every build\n";
	const struct pack	*p = st->pack;
	struct site_json	 sj;
	pthread_t		 th;
	size_t			 k, n, nt;
	int			 rc;

	/* The marker first: a killed build's leftover is recognisably
	 * ours (site_clean_stale). */
	if (site_put(st->tmp, ".boardpack", marker, sizeof(marker) - 1) ==
	    -1 || site_subdirs(st) == -1)
		return -1;

	/* The services: each analysed, rendered and written, its JSON text
	 * handed to the writer of analysis.json, then let go (site_job). */
	n = p->nservices;
	st->failed = xcalloc(n ? n : 1, sizeof(int));
	if (site_json_start(&sj, st, &th) == -1)
		return -1;
	util_parallel_for(n, jobs > 0 ? jobs : 1, site_job, st);
	site_timing("services");
	for (k = 0, rc = 0; k < n; k++)
		if (st->failed[k])
			rc = -1;

	/* Then, while the writer finishes analysis.json, what takes every
	 * service (the pack PDF beside the index and search pages and the
	 * search index) beside the files of the services deferred. */
	st->tail_failed[0] = st->tail_failed[1] = st->tail_failed[2] = 0;
	st->css = css;
	st->csslen = csslen;
	st->tail = xcalloc(n + 3, sizeof(*st->tail));
	nt = 0;
	if (st->packpdf_name != NULL)
		st->tail[nt++] = SITE_T_PACKPDF;
	for (k = 0; k < n; k++)
		if (st->deferred[k])
			st->tail[nt++] = (long)k;
	st->tail[nt++] = SITE_T_INDEX;
	st->tail[nt++] = SITE_T_ASSETS;
	if (rc == 0) {
		/* index.md, parsed once for the index page, the pack PDF and
		 * the search index, which the tail makes side by side. */
		st->apack->index_doc = md_doc_parse(p->index_body ?
		    p->index_body : "", p->index_path, p->index_line, NULL,
		    false);
		st->texts[0] = search_doc_text(st->apack->index_doc);
		util_parallel_for(nt, jobs > 0 ? jobs : 1, site_tail_job, st);
	}
	site_timing("index, search, pack PDF");
	for (k = 0; k < n; k++) {
		if (st->failed[k])
			rc = -1;
		if (st->deferred[k] && st->slim)
			analysis_slim(st->apack->services[k].an);
	}
	if (site_json_finish(&sj, th) == -1)
		rc = -1;
	site_timing("analysis.json");
	if (rc == -1 || st->tail_failed[0] || st->tail_failed[1] ||
	    st->tail_failed[2])
		return -1;
	if (st->cache != NULL &&
	    cache_save(st->cache, p, st->tmp, st->jq->written, st->jq->out,
	    st->simrec, st->rec) == -1)
		return -1;
	return 0;
}

int
site_write(struct pack *p, const struct site_opts *opts)
{
	struct site	 st;
	const char	*theme, *tdir, *thdir;
	char		*out, *themedir = NULL, *css = NULL;
	char		*tmp = NULL;
	size_t		 csslen = 0, k, nan;
	int64_t		 day = 0;
	bool		 exists;
	int		 rc = -1, lockfd = -2;

	memset(&st, 0, sizeof(st));
	st.pack = p;
	st.apack = p;
	st.cache = opts->cache;
	st.sims = opts->sims;
	st.jq = site_jq_new(p->nservices);
	/* Threads per simulation by the services analysed here: after
	 * one edit, the one service rebuilt has every thread. */
	for (k = 0, nan = 0; k < p->nservices; k++)
		nan += !cache_stub(opts->cache, k);
	st.sim_jobs = analysis_sim_jobs(nan, opts->jobs);
	/* A few services to build (a rebuild): their files are rendered
	 * beside the index and the pack PDF, not before them, holding
	 * their whole analyses a little longer. */
	st.defer = nan <= 2 * (size_t)(opts->jobs > 0 ? opts->jobs : 1);
	st.deferred = xcalloc(p->nservices ? p->nservices : 1,
	    sizeof(*st.deferred));
	st.ipr_rows = xcalloc(p->nservices ? p->nservices : 1,
	    sizeof(*st.ipr_rows));
	st.simrec = xcalloc(p->nservices ? p->nservices : 1,
	    sizeof(*st.simrec));
	st.rec = xcalloc(p->nservices ? p->nservices : 1, sizeof(*st.rec));
	st.texts = xcalloc(p->nservices + 1, sizeof(*st.texts));
	out = xstrdup(opts->out ? opts->out : "out");
	for (k = strlen(out); k > 1 && out[k - 1] == '/'; k--)
		out[k - 1] = '\0';
	tdir = opts->templates ? opts->templates : "templates";
	thdir = opts->themes ? opts->themes : "themes";

	/* Theme: its CSS and chart colours. */
	theme = opts->theme ? opts->theme : p->theme ? p->theme : "nhs";
	if (theme_palette(thdir, theme, opts->theme ? "boardpack" :
	    p->config_path, &st.pal) == -1)
		goto done;
	themedir = util_path_join(thdir, theme);
	if ((css = site_css(thdir, themedir, &csslen)) == NULL ||
	    (st.searchjs = site_asset(thdir, "search.js",
	    &st.searchjslen)) == NULL)
		goto done;

	/* Refuse before any work if out is not ours. */
	if (!site_out_ours(out, &exists)) {
		diag_error(out, 0, 0, "refusing to replace %s: not created by "
		    "boardpack", out);
		goto done;
	}

	if ((st.tmpl = tmpl_set_load(tdir)) == NULL)
		goto done;
	st.date = site_pack_date(p, &day);
	st.day = day;
	if (st.date != NULL) {
		char s[64];

		site_date_long(s, sizeof(s), day);
		st.date_label = xstrdup(s);
	}

	if (!opts->no_pdf) {
		char	*slug = pdf_pack_name(p);

		st.packpdf_name = xasprintf("%s.pdf", slug);
		free(slug);
	}
	/* The index IPR's rows are made as each service is analysed; the
	 * analyses are let go once written unless the pack PDF carries
	 * every briefing (pack_pdf_services). */
	st.index_op.pal = &st.pal;
	st.index_op.href_prefix = "services/";
	st.index_op.show_service = true;
	st.index_op.has_day = st.date != NULL;
	st.index_op.pack_day = st.day;
	st.slim = st.packpdf_name == NULL ||
	    p->nservices > (size_t)p->pack_pdf_services;

	/* Render straight into a new tree beside out, then swap, holding
	 * the lock throughout. */
	if ((lockfd = site_lock(out)) == -1)
		goto done;
	site_clean_stale(out);
	tmp = util_dirname(out);
	k = (size_t)util_mkdirs(tmp);
	free(tmp);
	tmp = xasprintf("%s.tmp.XXXXXX", out);
	if (k != 0 || mkdtemp(tmp) == NULL) {
		diag_error(tmp, 0, 0, "cannot create: %s", strerror(errno));
		free(tmp);
		tmp = NULL;
		goto done;
	}
	chmod(tmp, 0755);
	st.out = out;
	st.tmp = tmp;
	site_timing(NULL);
	if (site_write_tree(&st, css, csslen, opts->jobs) == -1 ||
	    site_swap(out, tmp, exists) == -1) {
		site_rmtree(tmp);
		goto done;
	}
	site_timing("swapped");
	rc = 0;
done:
	site_docs_free(&st);
	site_jq_free(st.jq, p->nservices);
	for (k = 0; k < p->nservices; k++) {
		json_decref(st.ipr_rows[k]);
		buf_clear(&st.simrec[k]);
		buf_clear(&st.rec[k]);
	}
	free(st.ipr_rows);
	free(st.simrec);
	free(st.rec);
	free(st.deferred);
	free(st.tail);
	free(st.packpdf_name);
	free(st.failed);
	free(st.searchjs);
	if (st.tmpl != NULL)
		tmpl_set_free(st.tmpl);
	free(st.date);
	free(st.date_label);
	free(tmp);
	free(css);
	free(themedir);
	free(out);
	if (lockfd >= 0)
		close(lockfd);
	return rc;
}
