/*
 * validate.h: last step of the loading stage.  Cross-checks that need
 * more than one key or file (distinct metric columns, unique scenario
 * names, rebase dates against the data range) and the ```chart blocks
 * of every body (through md_charts).  Reports through diag; never
 * changes the pack.
 */
#ifndef VALIDATE_H
#define VALIDATE_H

#include <stdbool.h>

#include "model.h"

/* Checks one loaded service; its chart blocks only when charts is true
 * (false after front-matter errors, which would make them misleading).
 * Returns 0, or -1 if any error was reported. */
int	 validate_service(const struct service *, bool charts);

/* Checks what spans the pack: index.md's chart blocks.  0 or -1. */
int	 validate_pack(const struct pack *);

#endif /* !VALIDATE_H */
