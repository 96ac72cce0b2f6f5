/*
 * tests/fuzz/meta.c: libFuzzer harness for front matter and the pack
 * config: meta_parse, then meta_service and meta_pack on the tree.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "content.h"
#include "meta.h"
#include "util.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct meta_node	*root;
	struct pack		*p;
	struct series_req	*reqs = NULL;
	size_t			 nreqs = 0;
	bool			 period_ok;

	if ((root = meta_parse((const char *)data, len, "fuzz.md", 2)) ==
	    NULL)
		return 0;
	p = xcalloc(1, sizeof(*p));
	p->config_path = xstrdup("fuzz.yml");
	meta_pack(p, root);
	p->services = xcalloc(1, sizeof(*p->services));
	p->nservices = 1;
	p->services[0].path = xstrdup("fuzz/services/x.md");
	meta_service(&p->services[0], root, &reqs, &nreqs, &period_ok);
	free(reqs);
	pack_free(p);
	meta_free(root);
	return 0;
}
