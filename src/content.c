/*
 * content.c: the loading stage (SPEC 3).  Reads boardpack.yml, index.md
 * and services/<id>.md in sorted order, splits front matter from the body
 * (keeping line numbers), hands the YAML to meta.c and the CSV to
 * series.c, then runs validate.c.  Owns struct pack and frees it all.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "cache.h"
#include "content.h"
#include "diag.h"
#include "meta.h"
#include "series.h"
#include "util.h"
#include "validate.h"

/*
 * Reads the text file path (boardpack.yml, a .md page): NULL after
 * reporting a file that cannot be read, is over CONTENT_MAX_BYTES, or
 * holds a NUL byte (binary data would be cut short silently).
 */
static char *
read_text(const char *path, size_t *lenp)
{
	struct stat	 st;
	char		*text, *z;
	size_t		 len;
	unsigned	 line = 1;

	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size > CONTENT_MAX_BYTES) {
		diag_error(path, 0, 0, "file is larger than the %d MB limit "
		    "(%lld MB)", CONTENT_MAX_BYTES >> 20,
		    (long long)(st.st_size >> 20));
		return NULL;
	}
	if ((text = util_file_read(path, &len)) == NULL) {
		diag_error(path, 0, 0, "cannot read: %s", strerror(errno));
		return NULL;
	}
	if ((z = memchr(text, '\0', len)) != NULL) {
		for (char *c = text; c < z; c++)
			if (*c == '\n')
				line++;
		diag_error(path, line, 0, "binary data (a NUL byte): this is "
		    "not a text file");
		free(text);
		return NULL;
	}
	if (lenp != NULL)
		*lenp = len;
	return text;
}

/* Does path resolve, through any symbolic links, to a place inside the
 * directory whose real path is rd (NULL: unknown)?  True when either
 * cannot be resolved. */
static bool
real_inside_rd(const char *rd, const char *path)
{
	char	 rp[PATH_MAX];
	size_t	 n;

	if (rd == NULL || realpath(path, rp) == NULL)
		return true;
	n = strlen(rd);
	if (n == 1)
		return true;	/* the content directory is "/" */
	return strncmp(rp, rd, n) == 0 && rp[n] == '/';
}

static bool
real_inside(const char *dir, const char *path)
{
	char	 rd[PATH_MAX];

	return real_inside_rd(realpath(dir, rd), path);
}

/* Is the line s[0..n) (without its newline) a "---" fence? */
static bool
is_fence(const char *s, size_t n)
{
	size_t	 i;

	if (n < 3 || memcmp(s, "---", 3) != 0)
		return false;
	for (i = 3; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/*
 * Splits text into front matter (*fm, *fmlen; NULL when the file has
 * none) and body (*body, starting on line *body_line).  Returns -1 after
 * reporting an unterminated front matter, or a missing one when
 * required.
 */
static int
split_front(const char *file, const char *text, bool required,
    const char **fm, size_t *fmlen, const char **body, unsigned *body_line)
{
	const char	*s = text, *nl;
	unsigned	 line = 1;

	if (strncmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	*fm = NULL;
	*fmlen = 0;
	*body = s;
	*body_line = 1;
	nl = strchr(s, '\n');
	if (!is_fence(s, nl != NULL ? (size_t)(nl - s) : strlen(s))) {
		if (!required)
			return 0;
		diag_error(file, 1, 1, "missing front matter (the file must "
		    "start with a \"---\" line)");
		return -1;
	}
	if (nl == NULL) {
		diag_error(file, 1, 1, "unterminated front matter (no "
		    "closing \"---\" line)");
		return -1;
	}
	*fm = nl + 1;
	for (s = nl + 1; *s != '\0'; s = nl + 1) {
		line++;
		nl = strchr(s, '\n');
		if (is_fence(s, nl != NULL ? (size_t)(nl - s) : strlen(s))) {
			*fmlen = (size_t)(s - *fm);
			*body = nl != NULL ? nl + 1 : s + strlen(s);
			*body_line = line + 1;
			return 0;
		}
		if (nl == NULL)
			break;
	}
	*fm = NULL;
	diag_error(file, 1, 1, "unterminated front matter (no closing "
	    "\"---\" line)");
	return -1;
}

static bool
valid_id(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') ||
	    (s[0] >= '0' && s[0] <= '9')))
		return false;
	for (i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

static int
md_filter(const struct dirent *d)
{
	size_t	 n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 3 &&
	    strcmp(d->d_name + n - 3, ".md") == 0;
}

static void
service_clear(struct service *svc)
{
	size_t	 i;

	free(svc->id);
	free(svc->path);
	free(svc->title);
	free(svc->owner);
	free(svc->domain);
	free(svc->data);
	free(svc->data_path);
	free(svc->date_column);
	free(svc->demand_column);
	free(svc->capacity_column);
	free(svc->backlog_column);
	for (i = 0; i < svc->nmetrics; i++) {
		free(svc->metrics[i].column);
		free(svc->metrics[i].label);
		free(svc->metrics[i].unit);
		free(svc->metrics[i].rebase);
	}
	free(svc->metrics);
	for (i = 0; i < svc->nscenarios; i++)
		free(svc->scenarios[i].name);
	free(svc->scenarios);
	free(svc->body);
	series_free(svc->series);
	analysis_free(svc->an);
}

/*
 * Loads services/<name> into svc: front matter, body and CSV.  With a
 * build cache (slot k, diag capturing what it prints), a service whose
 * raw inputs the previous build loaded gets a stub series and that
 * load's diagnostics instead (cache_load_service): its data file is not
 * parsed, nor checked again.
 */
static void
load_service(struct service *svc, const char *dir, const char *name,
    struct cache *cache, size_t k, struct buf *diag)
{
	struct meta_node	*root;
	struct series_req	*reqs = NULL;
	const char		*fm, *body;
	char			*text;
	size_t			 fmlen, nreqs = 0, stem = strlen(name) - 3;
	size_t			 len = 0;
	bool			 period_ok = false, ok = false;

	svc->path = util_path_join(dir, name);
	svc->id = xstrndup(name, stem);
	svc->period = PERIOD_DAY;
	svc->queue_factor = 4;
	svc->sim_seed = 1;
	if ((text = read_text(svc->path, &len)) == NULL) {
		svc->body = xstrdup("");
		return;
	}
	if (split_front(svc->path, text, true, &fm, &fmlen, &body,
	    &svc->body_line) == 0) {
		svc->body = xstrdup(body);
		if ((root = meta_parse(fm, fmlen, svc->path, 2)) != NULL) {
			ok = meta_service(svc, root, &reqs, &nreqs,
			    &period_ok) == 0;
			meta_free(root);
		}
	} else
		svc->body = xstrdup("");
	if (cache != NULL && ok && diag != NULL &&
	    cache_load_service(cache, k, svc, text, len, diag)) {
		free(text);
		free(reqs);
		return;
	}
	free(text);
	if (nreqs > 0 && period_ok)
		svc->series = series_load(svc->data_path, svc->data_pos,
		    svc->period, reqs, nreqs);
	free(reqs);
	validate_service(svc, ok);
}

int
content_service_reload(struct service *svc)
{
	struct service	 tmp;
	struct buf	 diag;
	char		*dir, *name;
	int		 rc = 0;

	memset(&tmp, 0, sizeof(tmp));
	dir = util_dirname(svc->path);
	name = xstrdup(svc->path + strlen(dir) + (strcmp(dir, "/") != 0));
	buf_init(&diag);
	diag_capture(&diag);
	load_service(&tmp, dir, name, NULL, 0, NULL);
	diag_capture(NULL);
	/* Its diagnostics were printed from the cache: only a file that
	 * changed since then can make it fail. */
	if ((diag.data != NULL && strstr(diag.data, ": error: ") != NULL) ||
	    tmp.id == NULL ||
	    strcmp(tmp.id, svc->id) != 0 || (tmp.series == NULL) !=
	    (svc->series == NULL)) {
		diag_print(&diag);
		diag_error(svc->path, 0, 0, "changed while it was being "
		    "built");
		rc = -1;
	} else {
		series_free(svc->series);
		svc->series = tmp.series;
		tmp.series = NULL;
	}
	service_clear(&tmp);
	buf_clear(&diag);
	free(name);
	free(dir);
	return rc;
}

static int
service_cmp(const void *a, const void *b)
{
	const struct service *x = a, *y = b;

	if (x->has_order != y->has_order)
		return x->has_order ? -1 : 1;
	if (x->has_order && x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* The services/ entries of load_services: each one's diagnostics are
 * captured while they load in parallel, then printed in name order. */
struct load_slot {
	char		*name;		/* NULL: not a service */
	size_t		 svc;		/* its index in pack->services */
	struct buf	 diag;
};

struct load_arg {
	struct pack	*p;
	struct cache	*cache;
	struct load_slot *slot;
	size_t		*todo;		/* slots to load */
	const char	*dir;
};

static void
load_one(size_t k, void *arg)
{
	struct load_arg		*a = arg;
	struct load_slot	*sl = &a->slot[a->todo[k]];

	diag_capture(&sl->diag);
	load_service(&a->p->services[sl->svc], a->dir, sl->name, a->cache,
	    sl->svc, &sl->diag);
	diag_capture(NULL);
	cache_load_diag(a->cache, sl->svc, &sl->diag);
}

/* Loads services/<id>.md (and their data) on up to jobs threads. */
static void
load_services(struct pack *p, int jobs, struct cache *cache)
{
	struct dirent		**names = NULL;
	struct load_slot	*slot;
	struct load_arg		 a;
	struct stat		 st;
	char			*dir, *path, rd[PATH_MAX], *rdp;
	int			 n, i;
	size_t			 len, ntodo = 0;
	bool			 dirin, inside;

	dir = util_path_join(p->dir, "services");
	n = scandir(dir, &names, md_filter, alphasort);
	if (n <= 0) {
		diag_error(dir, 0, 0, "no services found (add "
		    "services/<id>.md)");
		if (n == 0)
			free(names);
		free(dir);
		return;
	}
	rdp = realpath(p->dir, rd);
	dirin = rdp != NULL && real_inside_rd(rdp, dir) &&
	    lstat(dir, &st) == 0 && S_ISDIR(st.st_mode);
	p->services = xcalloc((size_t)n, sizeof(*p->services));
	slot = xcalloc((size_t)n, sizeof(*slot));
	a.todo = xcalloc((size_t)n, sizeof(*a.todo));
	for (i = 0; i < n; i++) {
		len = strlen(names[i]->d_name) - 3;
		path = util_path_join(dir, names[i]->d_name);
		/* A file, not a link, in a services/ inside the content
		 * directory is inside it: no realpath for each page. */
		inside = dirin && lstat(path, &st) == 0 && S_ISREG(st.st_mode);
		buf_init(&slot[i].diag);
		diag_capture(&slot[i].diag);
		if (!inside && !util_is_file(path)) {
			/* not a regular file: ignored */
		} else if (!inside && !real_inside_rd(rdp, path))
			diag_error(path, 0, 0, "leads outside the content "
			    "directory through a symbolic link; pages must "
			    "stay inside the content directory");
		else if (!valid_id(names[i]->d_name, len))
			diag_error(path, 0, 0, "service id \"%.*s\" must match "
			    "[a-z0-9][a-z0-9-]* (lower-case letters, digits "
			    "and '-')", (int)len, names[i]->d_name);
		else {
			slot[i].name = names[i]->d_name;
			slot[i].svc = p->nservices++;
			a.todo[ntodo++] = (size_t)i;
		}
		diag_capture(NULL);
		free(path);
	}
	a.p = p;
	a.cache = cache;
	a.slot = slot;
	a.dir = dir;
	cache_load_begin(cache, p->nservices);
	util_parallel_for(ntodo, jobs > 0 ? jobs : 1, load_one, &a);
	for (i = 0; i < n; i++) {
		diag_print(&slot[i].diag);
		buf_clear(&slot[i].diag);
		free(names[i]);
	}
	free(a.todo);
	free(slot);
	free(names);
	free(dir);
	if (p->nservices == 0 && diag_errors() == 0)
		diag_error(p->dir, 0, 0, "no services found (add "
		    "services/<id>.md)");
	qsort(p->services, p->nservices, sizeof(*p->services), service_cmp);
}

static void
load_index(struct pack *p)
{
	static const char *const keys[] = { "title", NULL };
	struct meta_node *root;
	const char	*fm, *body;
	char		*text;
	size_t		 fmlen;

	p->index_path = util_path_join(p->dir, "index.md");
	p->index_line = 1;
	if (!util_is_file(p->index_path))
		text = NULL;
	else if (!real_inside(p->dir, p->index_path)) {
		diag_error(p->index_path, 0, 0, "leads outside the content "
		    "directory through a symbolic link; pages must stay "
		    "inside the content directory");
		text = NULL;
	} else
		text = read_text(p->index_path, NULL);
	if (text == NULL) {
		p->index_body = xstrdup("");
		return;
	}
	if (split_front(p->index_path, text, false, &fm, &fmlen, &body,
	    &p->index_line) == 0) {
		p->index_body = xstrdup(body);
		if (fm != NULL && (root = meta_parse(fm, fmlen, p->index_path,
		    2)) != NULL) {
			meta_check_keys(root, p->index_path, keys);
			meta_free(root);
		}
	} else
		p->index_body = xstrdup("");
	free(text);
}

/* SPEC 2: the pack date is date: from boardpack.yml, else
 * SOURCE_DATE_EPOCH, else the last data date of any service.  Resolved
 * once here so that pages, PDFs, mail and the build cache agree; left
 * NULL when there is none. */
static void
resolve_date(struct pack *p)
{
	const char	*env;
	char		 s[32];
	long		 epoch;
	int64_t		 best = INT64_MIN, d;
	size_t		 i;

	if (p->date != NULL)
		return;
	env = getenv("SOURCE_DATE_EPOCH");
	if (env != NULL && util_parse_long(env, &epoch) && epoch >= 0)
		best = epoch / 86400;
	else
		for (i = 0; i < p->nservices; i++) {
			const struct series *se = p->services[i].series;

			if (se == NULL || se->n == 0)
				continue;
			d = util_key_day(p->services[i].period,
			    se->key[se->n - 1]);
			if (d > best)
				best = d;
		}
	if (best == INT64_MIN)
		return;
	util_date_format(s, sizeof(s), PERIOD_DAY, best);
	p->date = xstrdup(s);
}

struct pack *
content_load(const char *dir)
{
	return content_load_jobs(dir, 1);
}

struct pack *
content_load_jobs(const char *dir, int jobs)
{
	return content_load_cached(dir, jobs, NULL);
}

struct pack *
content_load_cached(const char *dir, int jobs, struct cache *cache)
{
	struct pack	*p;
	struct meta_node *root;
	char		*text;
	size_t		 len;

	p = xcalloc(1, sizeof(*p));
	p->dir = xstrdup(dir);
	p->config_path = util_path_join(dir, "boardpack.yml");
	if ((text = read_text(p->config_path, &len)) == NULL) {
		pack_free(p);
		return NULL;
	}
	if ((root = meta_parse(text, len, p->config_path, 1)) != NULL) {
		meta_pack(p, root);
		meta_free(root);
	}
	free(text);
	if (p->theme == NULL)
		p->theme = xstrdup("nhs");
	if (p->title == NULL)
		p->title = xstrdup("");
	load_index(p);
	load_services(p, jobs, cache);
	validate_pack(p);
	resolve_date(p);
	return p;
}

void
pack_free(struct pack *p)
{
	size_t	 i;

	if (p == NULL)
		return;
	free(p->dir);
	free(p->config_path);
	free(p->title);
	free(p->organisation);
	free(p->date);
	free(p->period_label);
	free(p->theme);
	free(p->author);
	free(p->contact);
	free(p->meeting);
	free(p->agenda_item);
	free(p->purpose);
	free(p->presenter);
	free(p->recommendation);
	for (i = 0; i < p->nkey_issues; i++)
		free(p->key_issues[i]);
	free(p->key_issues);
	free(p->previously_considered);
	free(p->mail_from);
	free(p->mail_subject);
	free(p->index_path);
	free(p->index_body);
	for (i = 0; i < p->nservices; i++)
		service_clear(&p->services[i]);
	free(p->services);
	free(p);
}

const struct service *
content_service(const struct pack *p, const char *id)
{
	size_t	 i;

	for (i = 0; p != NULL && i < p->nservices; i++)
		if (strcmp(p->services[i].id, id) == 0)
			return &p->services[i];
	return NULL;
}
