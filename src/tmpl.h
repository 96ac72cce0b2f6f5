/*
 * tmpl.h: a logic-less Mustache subset (SPEC 5): {{x}} HTML-escaped,
 * {{{x}}} and {{& x}} raw, {{#x}}...{{/x}} sections (arrays iterate,
 * objects push context, true/non-empty values render once),
 * {{^x}}...{{/x}} inverted sections, {{> name}} partials, {{! comments}},
 * dotted names (a.b.c) and {{.}} for the current item.  The context is a
 * jansson value.  Parse once, render many.
 */
#ifndef TMPL_H
#define TMPL_H

#include <jansson.h>

#include "util.h"

struct tmpl;
struct tmpl_set;

/* A set of named templates, loaded from the .html files of dir (name = file stem).
 * Parse errors are reported through diag as file:line:col and the
 * function returns NULL. */
struct tmpl_set	*tmpl_set_load(const char *dir);
/* An empty set, to fill with tmpl_set_add. */
struct tmpl_set	*tmpl_set_new(void);
/* Adds one template parsed from memory (file is used in messages);
 * 0 or -1 (reported). */
int		 tmpl_set_add(struct tmpl_set *, const char *name,
		    const char *text, const char *file);
void		 tmpl_set_free(struct tmpl_set *);
/* Renders template name with ctx, appending to out.  Partials come from
 * the same set.  0, or -1 if name is unknown (reported). */
int		 tmpl_render(const struct tmpl_set *, const char *name,
		    const json_t *ctx, struct buf *out);

#endif /* !TMPL_H */
