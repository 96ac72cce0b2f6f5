/*
 * stub.h: what the build cache (cache.h) keeps of a service in place of
 * its analysis.  A simulation record holds a struct sim field by field;
 * a service's record holds what loading it printed, what analysing it
 * printed, a stub series, a stub analysis and its IPR rows.  The stub
 * series has the service's last row and, for each column, the last row
 * with a finite value (its latest value and date); the stub analysis
 * has the flow's load and estimated wait over those rows, the queue,
 * the percentile capacities and every SPC result without its series
 * (as analysis_slim leaves it).  That is all the pack-wide outputs read
 * of a service whose pack PDF carries no briefing (briefing_services):
 * a stub stands in for a cached service that is not analysed.  Pure: no
 * files, no printing.
 */
#ifndef STUB_H
#define STUB_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "model.h"
#include "util.h"

/* A cursor over a record: reads fail (bad) once past its end. */
struct stub_rd {
	const char	*p;
	size_t		 left;
	bool		 bad;
};

/* Strings the stub analyses borrow (spc.c's variation and assurance
 * names are static strings, which analysis_free does not free). */
struct stub_pool {
	char		**s;
	size_t		 n;
};

/* Appends simulation sim to b. */
void		 stub_sim_put(const struct sim *, struct buf *b);
/* The simulation a record data[0..len) holds (sim_free()), or NULL
 * when it is not one. */
struct sim	*stub_sim_get(const char *data, size_t len);

/* Appends analysed service svc's record to b: what loading it printed
 * (ld; NULL: nothing), what analysing it printed (andiag), its stub
 * series and analysis and its IPR rows. */
void		 stub_put(struct buf *b, const struct service *svc,
		    const struct buf *ld, const struct buf *andiag,
		    json_t *rows);
/* Opens a cursor on the record p[0..len): false when it is not one.
 * Then, in order: stub_skip (what loading printed), stub_skip (what
 * analysing printed), stub_series, stub_analysis, stub_rows. */
bool		 stub_open(struct stub_rd *, const char *p, size_t len);
/* Steps over a string; its bytes in *s and *len.  false when damaged. */
bool		 stub_skip(struct stub_rd *, const char **s, size_t *len);
/* The stub series (series_free()); NULL with *had false for a service
 * without data, or with r->bad when damaged. */
struct series	*stub_series(struct stub_rd *, bool *had);
/* The stub analysis over nr stub rows (analysis_free() it before
 * clearing pool, which holds some of its strings; with a NULL pool they
 * are dropped: for a record only stepped over).  NULL when there is
 * none, or damaged (r->bad). */
struct analysis	*stub_analysis(struct stub_rd *, size_t nr,
		    struct stub_pool *pool);
void		 stub_pool_clear(struct stub_pool *);
/* The IPR rows that end the record, or NULL when damaged. */
json_t		*stub_rows(struct stub_rd *);

#endif /* !STUB_H */
