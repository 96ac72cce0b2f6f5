/*
 * tests/fuzz/csv.c: libFuzzer harness for the CSV stage (series_parse).
 * The first byte picks the period and whether the metric column "c" is
 * referenced; the rest is the file.  Columns: date, a (demand),
 * b (capacity), c (metric), d (backlog).
 */
#include <stddef.h>
#include <stdint.h>

#include "series.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct series_req	 reqs[5];
	struct series		*s;
	size_t			 n = 0;
	unsigned		 sel = 0;

	if (len > 0) {
		sel = data[0];
		data++;
		len--;
	}
	reqs[n].column = "date";
	reqs[n++].role = SERIES_DATE;
	reqs[n].column = "a";
	reqs[n++].role = SERIES_DEMAND;
	reqs[n].column = "b";
	reqs[n++].role = SERIES_CAPACITY;
	if (sel & 4) {
		reqs[n].column = "c";
		reqs[n++].role = SERIES_METRIC;
	}
	if (sel & 8) {
		reqs[n].column = "d";
		reqs[n++].role = SERIES_BACKLOG;
	}
	for (size_t i = 0; i < n; i++) {
		reqs[i].pos.file = "fuzz.md";
		reqs[i].pos.line = (unsigned)i + 2;
		reqs[i].pos.col = 1;
	}
	s = series_parse((const char *)data, len, "fuzz.csv",
	    (enum period)(sel & 3), reqs, n);
	series_free(s);
	return 0;
}
