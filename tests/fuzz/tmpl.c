/*
 * tests/fuzz/tmpl.c: libFuzzer harness for the Mustache subset: the
 * input, split at the first NUL, is two templates "page" and "part"
 * (so partials, including recursive ones, are reachable), rendered
 * over a fixed context.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tmpl.h"
#include "util.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static json_t	*ctx;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct tmpl_set	*set;
	struct buf	 out;
	const char	*nul;
	char		*page, *part;

	if (ctx == NULL)
		ctx = json_loads("{\"title\": \"<b>&\\\"'\", \"n\": 3, "
		    "\"x\": 1.5, \"yes\": true, \"no\": false, \"nil\": null, "
		    "\"items\": [{\"a\": 1, \"b\": [1, 2]}, {\"a\": \"two\"}], "
		    "\"empty\": [], \"obj\": {\"title\": \"inner\", "
		    "\"items\": [{}]}}", 0, NULL);
	nul = memchr(data, '\0', len);
	page = xstrndup((const char *)data, nul != NULL ?
	    (size_t)(nul - (const char *)data) : len);
	part = nul != NULL ? xstrndup(nul + 1,
	    len - (size_t)(nul - (const char *)data) - 1) : xstrdup("{{>page}}");
	set = tmpl_set_new();
	if (tmpl_set_add(set, "page", page, "page.html") == 0 &&
	    tmpl_set_add(set, "part", part, "part.html") == 0) {
		buf_init(&out);
		tmpl_render(set, "page", ctx, &out);
		buf_clear(&out);
	}
	tmpl_set_free(set);
	free(page);
	free(part);
	return 0;
}
