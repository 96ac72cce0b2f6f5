/*
 * main.c: the command line (SPEC 2) and the pipeline, one call a stage:
 *   cache_open -> content_load_cached -> cache_keys -> site_write
 *                                   (build: site_write analyses each
 *                                   service the cache does not hold)
 *   content_load                                  (check)
 *   content_load -> analysis_run -> export_json   (analyse)
 * The only file that decides the exit status: 0 success, 1 content, data
 * or I/O error, 2 usage error.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "cache.h"
#include "content.h"
#include "diag.h"
#include "export.h"
#include "mail.h"
#include "scaffold.h"
#include "serve.h"
#include "site.h"
#include "util.h"

#ifndef BOARDPACK_VERSION
#define BOARDPACK_VERSION "0.0.0"
#endif

enum { EXIT_OK = 0, EXIT_DATA = 1, EXIT_USAGE = 2 };

struct opts {
	const char	*verb;
	const char	*dir;
	const char	*out;
	const char	*theme;
	const char	*service;
	bool		 no_pdf;
	bool		 quiet;
	bool		 json;
	int		 jobs;
};

static const char usage_text[] =
"usage: boardpack build   [DIR] [-o OUT] [--theme NAME] [--no-pdf] [-j N] [-q]\n"
"       boardpack check   [DIR]\n"
"       boardpack analyse [DIR] [--service ID] [-j N] --json\n"
"       boardpack new     DIR\n"
"       boardpack serve   [DIR] [--port N] [--host ADDR] [-o OUT]\n"
"       boardpack mail    [DIR] --service ID --to ADDR [--to ADDR...]\n"
"                         [--from ADDR] [--smtp URL] [--eml FILE]\n"
"       boardpack --help | --version\n"
"\n"
"DIR defaults to content, OUT to out.  Exit status: 0 success; 1 content,\n"
"data or I/O error; 2 usage error.\n";

static int
usage_error(const char *fmt, const char *arg)
{
	fputs("boardpack: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n", stderr);
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}


static bool
parse_jobs(const char *s, int *jobs)
{
	long	 v;

	if (!util_parse_long(s, &v) || v < 1 || v > 256)
		return false;
	*jobs = (int)v;
	return true;
}

/* Parses argv after the verb into o; returns -1 on a usage error
 * (reported). */
static int
parse_args(int argc, char *argv[], struct opts *o)
{
	int	 i;
	bool	 has_dir = false;

	for (i = 2; i < argc; i++) {
		const char	*a = argv[i];
		const char	*val = NULL;

		if (strcmp(a, "-o") == 0 || strcmp(a, "--theme") == 0 ||
		    strcmp(a, "-j") == 0 || strcmp(a, "--service") == 0) {
			if (i + 1 >= argc) {
				usage_error("option %s needs a value", a);
				return -1;
			}
			val = argv[++i];
		} else if (strncmp(a, "-j", 2) == 0 && a[2] != '\0') {
			val = a + 2;
			a = "-j";
		}
		if (strcmp(a, "-o") == 0 && strcmp(o->verb, "build") == 0)
			o->out = val;
		else if (strcmp(a, "--theme") == 0 &&
		    strcmp(o->verb, "build") == 0)
			o->theme = val;
		else if (strcmp(a, "--service") == 0 &&
		    strcmp(o->verb, "analyse") == 0)
			o->service = val;
		else if (strcmp(a, "-j") == 0 &&
		    strcmp(o->verb, "check") != 0) {
			if (!parse_jobs(val, &o->jobs)) {
				usage_error("-j needs a number from 1 to "
				    "256, not \"%s\"", val);
				return -1;
			}
		} else if (strcmp(a, "--no-pdf") == 0 &&
		    strcmp(o->verb, "build") == 0)
			o->no_pdf = true;
		else if (strcmp(a, "-q") == 0 && strcmp(o->verb, "build") == 0)
			o->quiet = true;
		else if (strcmp(a, "--json") == 0 &&
		    strcmp(o->verb, "analyse") == 0)
			o->json = true;
		else if (a[0] == '-' && a[1] != '\0') {
			usage_error("unknown option \"%s\"", a);
			return -1;
		} else if (!has_dir) {
			o->dir = a;
			has_dir = true;
		} else {
			usage_error("unexpected argument \"%s\"", a);
			return -1;
		}
	}
	return 0;
}

/* -j's default: the processors online (1 if unknown, at most 64), as
 * a national pack wants them all and the output does not depend on it. */
static int
default_jobs(void)
{
	long	 n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

static double
now_seconds(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Loads and validates; NULL (and errors reported) if the pack is bad. */
static struct pack *
load(const char *dir, int jobs)
{
	struct pack	*pack;

	pack = content_load_jobs(dir, jobs);
	if (pack != NULL && diag_errors() > 0) {
		pack_free(pack);
		pack = NULL;
	}
	return pack;
}

static int
cmd_check(const struct opts *o)
{
	struct pack	*pack;

	if ((pack = load(o->dir, o->jobs)) == NULL)
		return EXIT_DATA;
	pack_free(pack);
	return EXIT_OK;
}

static int
cmd_analyse(const struct opts *o)
{
	struct pack	*pack;
	int		 rc;

	if (!o->json)
		return usage_error("%s", "analyse needs --json (the only "
		    "output format)");
	if ((pack = load(o->dir, o->jobs)) == NULL)
		return EXIT_DATA;
	if (o->service != NULL && content_service(pack, o->service) == NULL) {
		fprintf(stderr, "boardpack: no service \"%s\" in %s\n",
		    o->service, o->dir);
		pack_free(pack);
		return EXIT_USAGE;
	}
	analysis_run(pack, o->jobs);
	/* Streamed a service at a time: the document can be a gigabyte. */
	rc = export_json_write(stdout, pack, o->service);
	pack_free(pack);
	if (rc == -1 || fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "boardpack: cannot write output: %s\n",
		    strerror(errno));
		return EXIT_DATA;
	}
	return EXIT_OK;
}

static int
cmd_build(const struct opts *o)
{
	struct site_opts so;
	struct pack	*pack;
	struct cache	*cache;
	char		*dd, *tdir, *thdir;
	double		 t0 = now_seconds();
	int		 rc;
	size_t		 n, hits;
	bool		 timing;

	timing = getenv("BOARDPACK_TIMING") != NULL;
	dd = util_data_dir();
	tdir = util_path_join(dd, "templates");
	thdir = util_path_join(dd, "themes");
	memset(&so, 0, sizeof(so));
	so.out = o->out;
	so.theme = o->theme;
	so.templates = tdir;
	so.themes = thdir;
	so.no_pdf = o->no_pdf;
	so.jobs = o->jobs;
	/* The build cache: services whose inputs are the bytes the
	 * previous build loaded are not parsed again, and unchanged ones
	 * are linked from the previous out rather than rendered. */
	cache = cache_open(&so);
	pack = content_load_cached(o->dir, o->jobs, cache);
	if (pack != NULL && diag_errors() > 0) {
		pack_free(pack);
		pack = NULL;
	}
	if (timing)
		fprintf(stderr, "timing: load %.3f s\n", now_seconds() - t0);
	if (pack == NULL || cache_keys(cache, pack, &so) == -1) {
		pack_free(pack);
		cache_free(cache);
		free(tdir);
		free(thdir);
		free(dd);
		return EXIT_DATA;
	}
	so.cache = cache;
	hits = cache_hits(cache);
	if (!o->quiet && isatty(STDERR_FILENO))
		fprintf(stderr, "analysing %zu services (%zu unchanged)\n",
		    pack->nservices, hits);
	if (timing)
		fprintf(stderr, "timing: cache keys %.3f s\n",
		    now_seconds() - t0);
	so.sims = cache_sims(cache);
	rc = site_write(pack, &so);
	if (timing)
		fprintf(stderr, "timing: write %.3f s\n", now_seconds() - t0);
	n = pack->nservices;
	/* The pack first: its stub analyses borrow the cache's strings. */
	pack_free(pack);
	cache_free(cache);
	free(tdir);
	free(thdir);
	free(dd);
	if (rc == -1 || diag_errors() > 0)
		return EXIT_DATA;
	/* Pages: index.html, search.html and one per service. */
	fprintf(stderr, "built %zu service%s", n, n == 1 ? "" : "s");
	if (hits > 0)
		fprintf(stderr, " (%zu unchanged)", hits);
	fprintf(stderr, ", %zu pages, %zu PDFs in %.2f s\n", n + 2,
	    o->no_pdf ? 0 : n + 1, now_seconds() - t0);
	return EXIT_OK;
}

int
main(int argc, char *argv[])
{
	struct opts	 o;

	memset(&o, 0, sizeof(o));
	o.dir = "content";
	o.out = "out";
	o.jobs = default_jobs();
	if (argc < 2)
		return usage_error("%s", "no command given");
	o.verb = argv[1];
	if (strcmp(o.verb, "--help") == 0 || strcmp(o.verb, "-h") == 0 ||
	    strcmp(o.verb, "help") == 0) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	if (strcmp(o.verb, "--version") == 0) {
		puts("boardpack " BOARDPACK_VERSION);
		return EXIT_OK;
	}
	/* These verbs parse their own options (argv[0] is the verb). */
	if (strcmp(o.verb, "new") == 0)
		return scaffold_main(argc - 1, argv + 1);
	if (strcmp(o.verb, "serve") == 0)
		return serve_main(argc - 1, argv + 1);
	if (strcmp(o.verb, "mail") == 0)
		return mail_main(argc - 1, argv + 1);
	if (strcmp(o.verb, "build") != 0 && strcmp(o.verb, "check") != 0 &&
	    strcmp(o.verb, "analyse") != 0)
		return usage_error("unknown command \"%s\"", o.verb);
	if (parse_args(argc, argv, &o) == -1)
		return EXIT_USAGE;
	if (strcmp(o.verb, "check") == 0)
		return cmd_check(&o);
	if (strcmp(o.verb, "analyse") == 0)
		return cmd_analyse(&o);
	return cmd_build(&o);
}
