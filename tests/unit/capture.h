/*
 * capture.h: captures what a test's code writes to stderr, so that
 * diagnostics can be compared exactly.  Include after <cmocka.h>.
 * Static: each test program gets its own copy.
 */
#ifndef CAPTURE_H
#define CAPTURE_H

#include <stdio.h>
#include <unistd.h>

#include "util.h"

/* stderr capture, so diagnostics can be compared. */
static int	 saved_fd = -1;
static FILE	*cap;

static void
capture_start(void)
{
	fflush(stderr);
	cap = tmpfile();
	assert_non_null(cap);
	saved_fd = dup(2);
	assert_true(saved_fd >= 0);
	assert_true(dup2(fileno(cap), 2) >= 0);
}

/* Returns what went to stderr since capture_start; caller frees. */
static char *
capture_end(void)
{
	struct buf	 b;
	char		 chunk[512];
	size_t		 n;

	fflush(stderr);
	assert_true(dup2(saved_fd, 2) >= 0);
	close(saved_fd);
	rewind(cap);
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), cap)) > 0)
		buf_put(&b, chunk, n);
	fclose(cap);
	buf_putc(&b, '\0');
	return buf_release(&b);
}

#endif /* !CAPTURE_H */
