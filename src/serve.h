/*
 * serve.h: the live preview: boardpack serve (libmicrohttpd, loopback by default) rebuilds on change and serves out/.
 */
#ifndef SERVE_H
#define SERVE_H

/* Runs "boardpack serve" with argv[0] = "serve"; returns the exit status
 * (0 success, 1 content/data/I-O error, 2 usage error). */
int	 serve_main(int argc, char *argv[]);

#endif
