/*
 * search.h: the pack's contents for navigation and offline search
 * (render stage, issue 7).  One list of pages (the home page and every
 * service: title, address, owner, domain, measure names, the first
 * words of the commentary) feeds the home page's contents list, the
 * search page's no-JavaScript link list and assets/search-index.js,
 * which search.js filters in the browser with no server and no network.
 * Pure: never prints, never touches files.
 */
#ifndef SEARCH_H
#define SEARCH_H

#include <jansson.h>

#include "model.h"
#include "util.h"

/* Words of commentary kept in the index for each page. */
#define SEARCH_WORDS	40

/* The services in pack order as a JSON array of {title, href, owner,
 * domain, measures: "A; B"}; href is "<prefix><id>.html".
 * Strings are not escaped (the template engine does that).  Caller
 * json_decrefs. */
json_t	*search_contents_json(const struct pack *, const char *prefix);

/* The words of doc kept in the index: the first SEARCH_WORDS of its
 * paragraphs and headings, single-spaced.  Caller frees. */
char	*search_doc_text(const struct md_doc *);

/* Appends the script "window.BOARDPACK_INDEX = [...];\n" (JSON through
 * jansson, "<", U+2028 and U+2029 escaped so that it is safe in and out
 * of a <script> element) to out: the home page, then every service.
 * texts[0] is the home page's search_doc_text, texts[1 + i] service
 * i's; those NULL (or all, texts NULL) are made from the Markdown. */
void	 search_index_js(const struct pack *, char *const *texts,
	    struct buf *out);

#endif /* !SEARCH_H */
