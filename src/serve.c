/*
 * serve.c: the live preview: boardpack serve (libmicrohttpd, loopback by default) rebuilds on change and serves out/.  Not yet implemented.
 */
#include <stdio.h>

#include "serve.h"

int
serve_main(int argc, char *argv[])
{
	(void)argc;
	fprintf(stderr, "boardpack: \"%s\" is not yet available in this "
	    "version\n", argv[0]);
	return 2;
}
