/*
 * mail.h: the e-mail stage: boardpack mail (SPEC 6): builds a service's briefing and sends it as MIME over SMTP (libcurl) or writes it to an .eml file.
 */
#ifndef MAIL_H
#define MAIL_H

/* Runs "boardpack mail" with argv[0] = "mail"; returns the exit status
 * (0 success, 1 content/data/I-O error, 2 usage error). */
int	 mail_main(int argc, char *argv[]);

#endif
