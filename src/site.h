/*
 * site.h: render and write stage.  Builds the whole out/ tree (SPEC 5)
 * in a temporary directory beside out/, writing each file as it is
 * rendered, and renames it into place only when everything succeeded;
 * out/ is marked with .boardpack.  Services whose build-cache key is
 * unchanged (cache.h) are copied from the previous out/.
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
};

/* Writes the site for an analysed pack.  0, or -1 (reported through
 * diag; the previous out/ is left as it was). */
int	 site_write(const struct pack *, const struct site_opts *);

#endif /* !SITE_H */
