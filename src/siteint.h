/*
 * siteint.h: internal to the site writer (write stage, SPEC 5): not for
 * other modules, which use site.h.  The writer is three files with one
 * job each: site.c runs the build (the jobs that analyse, render and
 * write each service, the tail, the analysis.json writer thread, the
 * build cache's reuse of unchanged services, site_write), sitepage.c
 * renders the pages' HTML into buffers (chart blocks, template
 * contexts, the service, index and search pages) and siteout.c deals
 * with the file system (the tree's files, the assets read, the
 * .boardpack marker, the atomic swap, stale trees, the lock).  This
 * header holds what they share: the state of one build (struct site)
 * and the functions one calls in another.
 */
#ifndef SITEINT_H
#define SITEINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "chart.h"
#include "ipr.h"
#include "model.h"
#include "tmpl.h"
#include "util.h"

struct cache;
struct site_jq;

/* Shared read-only state of one build; failed[] has one slot per work
 * item, written only by that item's job. */
struct site {
	const struct pack	*pack;
	struct pack		*apack;		/* the same, analysed here */
	struct sim		**sims;		/* from the cache, or NULL */
	int			 sim_jobs;	/* threads per simulation */
	bool			 slim;		/* analyses let go when written */
	struct ipr_opts		 index_op;	/* the index IPR's rows */
	json_t			**ipr_rows;	/* per service, for the index */
	struct buf		*simrec;	/* per service, for .cache/sims */
	struct buf		*rec;		/* per service, for .cache/recs */
	int			 tail_failed[3];
	long			*tail;		/* the tail's work items */
	bool			 defer;		/* render after analysing all */
	unsigned char		*deferred;	/* per service: its files wait
						 * for the tail (st->defer) */
	const char		*css;		/* assets/style.css */
	size_t			 csslen;
	struct tmpl_set		*tmpl;
	struct chart_palette	 pal;
	char			*date;		/* ISO, or NULL */
	char			*date_label;
	int64_t			 day;		/* of date, when non-NULL */
	char			*packpdf_name;	/* "<slug>.pdf"; NULL: --no-pdf */
	const char		*out;
	const char		*tmp;		/* the tree being written */
	const struct cache	*cache;		/* NULL: render everything */
	struct site_jq		*jq;		/* JSON texts, to the writer */
	char			**texts;	/* search_doc_text: [0] index.md,
						 * [1 + i] service i */
	int			*failed;
	char			*searchjs;	/* assets/search.js */
	size_t			 searchjslen;
};

/* The index's IPR table is tens of megabytes at national scale: the
 * page is rendered with SITE_IPR_MARK in its place and the table,
 * left in *ipr, is spliced in as the file is written (site_put_splice),
 * so that the table is never copied into the context and the page. */
#define SITE_IPR_MARK	"\x02boardpack-ipr\x03"

/* sitepage.c: the pages' HTML, rendered into out. */

/* services/<id>.html of service i; 0, or -1 (reported). */
int	 site_service_page(const struct site *, size_t i, struct buf *out);
/* index.html with SITE_IPR_MARK where its IPR table goes, the table
 * left in *ipr for site_put_splice; 0, or -1 (reported). */
int	 site_index_page(const struct site *, struct buf *out,
	    struct buf *ipr);
/* search.html; 0, or -1 (reported). */
int	 site_search_page(const struct site *, struct buf *out);

/* siteout.c: the file system.  0, or -1 reported through diag, unless
 * said otherwise. */

/* Removes a tree this build created (no symlinks followed); -1 is not
 * reported. */
int	 site_rmtree(const char *path);
/* Writes data[0..len) to dir/rel. */
int	 site_put(const char *dir, const char *rel, const void *data,
	    size_t len);
/* Writes b into st->tmp at rel, and empties it. */
int	 site_put_buf(const struct site *, const char *rel, struct buf *b);
/* The same with the first SITE_IPR_MARK of b replaced by ins; frees
 * both. */
int	 site_put_splice(const struct site *, const char *rel, struct buf *b,
	    struct buf *ins);
/* true if out may be replaced: absent, or a directory with .boardpack;
 * *exists says which. */
bool	 site_out_ours(const char *out, bool *exists);
/* dir/name read whole, and assets/style.css made from the themes'
 * files; NULL (reported) on error; the caller frees. */
char	*site_asset(const char *dir, const char *name, size_t *len);
char	*site_css(const char *thdir, const char *themedir, size_t *len);
/* Puts the tree tmp in the place of out (exists: whether out does),
 * atomically where the system can. */
int	 site_swap(const char *out, const char *tmp, bool exists);
/* Removes what killed builds left beside out; reports nothing. */
void	 site_clean_stale(const char *out);
/* Locks out's parent directory for the build: the descriptor to
 * close, -2 when the directory cannot be opened (not reported), or
 * -1 (reported). */
int	 site_lock(const char *out);

#endif /* !SITEINT_H */
