/*
 * meta.h: YAML of the loading stage.  Parses boardpack.yml and service
 * front matter with libyaml into a small tree that keeps the 1-based
 * line and column of every key and value (anchors, aliases and
 * duplicate keys are rejected), offers typed getters that report wrong
 * types, and applies the SPEC 3.1 and 3.2 schemas to struct pack and
 * struct service.  Every problem is reported through diag.
 */
#ifndef META_H
#define META_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "series.h"

enum meta_kind {
	META_SCALAR,
	META_SEQ,
	META_MAP
};

/* A YAML node.  A map has n keys (scalars) and n values; a sequence has
 * n items. */
struct meta_node {
	enum meta_kind	 kind;
	char		*str;		/* scalar text */
	bool		 plain;		/* unquoted scalar */
	unsigned	 line, col;	/* 1-based position in the file */
	struct meta_node *keys;		/* map keys */
	struct meta_node *items;	/* map values or sequence items */
	size_t		 n;
};

/* Limits of meta_parse: nesting of sequences and mappings (deeper is an
 * error), and errors (anchors, aliases, duplicate keys) reported before
 * giving up on the file. */
#define META_MAX_DEPTH	64
#define META_MAX_ERRORS	50

/* Parses len bytes of YAML from file, whose first line is line line0 of
 * the file.  An empty document gives an empty map.  Returns the root
 * (free with meta_free), or NULL after reporting a syntax error, an alias
 * or a root that is not a mapping.  Anchors and duplicate keys are
 * reported too, but the tree (without the duplicates) is still returned
 * so that its schema can be checked in the same run. */
struct meta_node *meta_parse(const char *text, size_t len, const char *file,
		    unsigned line0);
void		 meta_free(struct meta_node *);	/* NULL ok */

/* The value of key in map (NULL if absent or map is not a map); *key
 * gets the key node when k is non-NULL. */
const struct meta_node *meta_get(const struct meta_node *map,
		    const char *key, const struct meta_node **k);

/* True for a null scalar (empty, ~, null). */
bool		 meta_is_null(const struct meta_node *);

/* Reports every key of map not in allowed (NULL-terminated), with a
 * "did you mean" suggestion; returns how many were reported. */
size_t		 meta_check_keys(const struct meta_node *map, const char *file,
		    const char *const *allowed);

/* Typed getters: convert v (the value of key) or report why not (naming
 * key and the expected type) and return false.  Strings are copied
 * (caller frees); numbers must be finite. */
bool		 meta_string(const struct meta_node *v, const char *file,
		    const char *key, char **out);
bool		 meta_number(const struct meta_node *v, const char *file,
		    const char *key, double *out);
bool		 meta_integer(const struct meta_node *v, const char *file,
		    const char *key, long *out);
bool		 meta_bool(const struct meta_node *v, const char *file,
		    const char *key, bool *out);

/* Applies the SPEC 3.1 schema of boardpack.yml (already parsed into
 * root) to p, whose config_path names the file.  0, or -1 if any error
 * was reported. */
int		 meta_pack(struct pack *p, const struct meta_node *root);

/* Applies the SPEC 3.2 front matter schema of root to svc (svc->path
 * names the file; svc->id is set).  Resolves data: against the .md
 * file's directory and checks that it exists.  When the service needs
 * data, *reqs and *nreqs receive the columns to load (caller frees the
 * array; its strings are borrowed from svc), and *period_ok tells
 * whether the period could be trusted.  0, or -1 if any error was
 * reported. */
int		 meta_service(struct service *svc, const struct meta_node *root,
		    struct series_req **reqs, size_t *nreqs, bool *period_ok);

#endif /* !META_H */
