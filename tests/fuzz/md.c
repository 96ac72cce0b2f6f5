/*
 * tests/fuzz/md.c: libFuzzer harness for the Markdown paths: chart
 * blocks (md_charts), HTML (md_html) and the PDF text runs (md_blocks),
 * for a service page and for the index (svc NULL).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "md.h"
#include "util.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
chart(const struct chart_spec *spec, size_t i, struct buf *out, void *arg)
{
	(void)arg;
	buf_printf(out, "<chart %zu %d>", i, (int)spec->type);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct metric_def m = { .column = "pct" };
	struct service	 svc;
	struct chart_spec *specs = NULL;
	struct md_block	*blocks;
	struct buf	 out;
	const struct service *sp;
	char		*text;
	size_t		 n = 0;

	if (len > 0 && memchr(data, '\0', len) != NULL)
		return 0;
	memset(&svc, 0, sizeof(svc));
	svc.has_demand = svc.has_capacity = true;
	svc.period = PERIOD_DAY;
	svc.metrics = &m;
	svc.nmetrics = 1;
	sp = len > 0 && (data[0] & 1) ? &svc : NULL;
	text = xstrndup((const char *)data, len);
	if (md_charts(text, "fuzz.md", 1, sp, &specs, &n) == 0)
		md_chart_specs_free(specs, n);
	buf_init(&out);
	md_html(text, "fuzz.md", 1, sp, 1, chart, NULL, &out);
	buf_clear(&out);
	blocks = md_blocks(text, "fuzz.md", 1, sp, 1, &n);
	md_blocks_free(blocks, n);
	free(text);
	return 0;
}
