/*
 * scaffold.h: boardpack new DIR: writes a small working example pack to start from.
 */
#ifndef SCAFFOLD_H
#define SCAFFOLD_H

/* Runs "boardpack new" with argv[0] = "new"; returns the exit status
 * (0 success, 1 content/data/I-O error, 2 usage error). */
int	 scaffold_main(int argc, char *argv[]);

#endif
