/*
 * scaffold.c: boardpack new DIR: writes a small working example pack to start from.  Not yet implemented.
 */
#include <stdio.h>

#include "scaffold.h"

int
scaffold_main(int argc, char *argv[])
{
	(void)argc;
	fprintf(stderr, "boardpack: \"%s\" is not yet available in this "
	    "version\n", argv[0]);
	return 2;
}
