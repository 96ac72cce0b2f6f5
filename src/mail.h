/*
 * mail.h: the e-mail stage (SPEC 6): "boardpack mail" builds a service's
 * PDF briefing and a MIME message around it (multipart/mixed holding a
 * multipart/alternative text and HTML summary of the service's IPR rows
 * and headline figures, and the PDF as a base64 attachment), then writes
 * it to an .eml file or sends it over SMTP with libcurl.
 *
 * The pure MIME pieces (encodings, headers, addresses, Date,
 * Message-ID, the message itself) are in mime.h.
 */
#ifndef MAIL_H
#define MAIL_H

/* Runs "boardpack mail" with argv[0] = "mail"; returns the exit status
 * (0 success, 1 content/data/I-O or SMTP error, 2 usage error). */
int	 mail_main(int argc, char *argv[]);

#endif /* !MAIL_H */
