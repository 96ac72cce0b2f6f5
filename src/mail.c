/*
 * mail.c: the e-mail stage: boardpack mail (SPEC 6): builds a service's briefing and sends it as MIME over SMTP (libcurl) or writes it to an .eml file.  Not yet implemented.
 */
#include <stdio.h>

#include "mail.h"

int
mail_main(int argc, char *argv[])
{
	(void)argc;
	fprintf(stderr, "boardpack: \"%s\" is not yet available in this "
	    "version\n", argv[0]);
	return 2;
}
