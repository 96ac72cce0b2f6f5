/*
 * site.h: render and write stage.  Builds the whole out/ tree (SPEC 5)
 * in a temporary directory beside out/, writing each file as it is
 * rendered, and renames it into place only when everything succeeded;
 * out/ is marked with .boardpack.  Services whose build-cache key is
 * unchanged (cache.h) are hard-linked from the previous out/, and,
 * when the pack PDF carries no briefings, not analysed either: what the
 * index and the pack PDF read of them comes from the cache.
 */
#ifndef SITE_H
#define SITE_H

#include <stdbool.h>

#include "model.h"

struct cache;

struct site_opts {
	const char	*out;		/* default "out" */
	const char	*theme;		/* --theme; NULL = pack's */
	const char	*templates;	/* directory of templates/ */
	const char	*themes;	/* directory of themes/ */
	bool		 no_pdf;
	int		 jobs;
	const struct cache *cache;	/* unchanged services; NULL: none */
	struct sim	**sims;		/* cache_sims(cache), or NULL */
};

/* Analyses the pack's services (taking simulations from sims) and
 * writes the site: each service is analysed, rendered, written and
 * then (past pack_pdf_services) let go, so memory holds a few services'
 * analyses, not the pack's (a rebuild of a few services renders their
 * files beside the index and the pack PDF).  0, or -1 (reported
 * through diag; the previous out/ is left as it was). */
int	 site_write(struct pack *, const struct site_opts *);

#endif /* !SITE_H */
