/*
 * diag.h: GCC-style diagnostics on stderr ("file:line:col: error: msg"),
 * counted so that main.c can decide the exit status.  Thread-safe.
 * With line 0 the position is left out ("file: error: msg"); with col 0
 * only the line is given ("file:line: error: msg").
 */
#ifndef DIAG_H
#define DIAG_H

#include <stddef.h>

void	 diag_error(const char *file, unsigned line, unsigned col,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	 diag_warning(const char *file, unsigned line, unsigned col,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Until called again with NULL, this thread's diagnostics are appended
 * to b (still counted) instead of printed: work done in parallel then
 * prints them in its own order, so the output does not depend on the
 * schedule.  b is a struct buf (util.h). */
struct buf;
void	 diag_capture(struct buf *b);
/* Prints what a capture collected (already counted). */
void	 diag_print(const struct buf *b);
size_t	 diag_errors(void);
size_t	 diag_warnings(void);
void	 diag_reset(void);
/* "did you mean": returns the closest candidate within distance 2 (or a
 * third of the word), else NULL.  cands is NULL-terminated. */
const char *diag_suggest(const char *word, const char *const *cands);

#endif /* !DIAG_H */
