/*
 * serve.c: the live preview (see serve.h).  Three parts:
 *   - pure helpers: URL decoding, path sanitising, content types, the
 *     status JSON and the error banner (unit-tested);
 *   - the builder: runs this binary as a child, "build DIR -o OUT -q",
 *     so that a crash in a build never takes the server down, and keeps
 *     its stderr as the error report;
 *   - the server: libmicrohttpd with its own polling thread serves only
 *     regular files inside OUT (GET and HEAD), while the main thread
 *     polls the inputs' mtimes and sizes every 500 ms and rebuilds.
 * SIGINT and SIGTERM stop it cleanly (exit 0).
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "esc.h"
#include "serve.h"
#include "util.h"

enum { SERVE_OK = 0, SERVE_IO = 1, SERVE_USAGE = 2 };

#define STATUS_URL	"/_boardpack/status"
#define POLL_NS		500000000L	/* 500 ms between scans */
#define MAX_CAPTURE	(256 * 1024)	/* build stderr kept, bytes */
#define MAX_DEPTH	16		/* directory depth scanned */

static const char serve_usage[] =
"usage: boardpack serve [DIR] [--port N] [--host ADDR] [-o OUT]\n"
"Builds DIR (default content) into OUT (default out), serves OUT on\n"
"http://127.0.0.1:8000/ and rebuilds when a file in DIR, templates/ or\n"
"themes/ changes.  --port 0 picks a free port.  --host other than a\n"
"loopback address exposes the unpublished pack to the network.\n";

struct server {
	const char	*dir;
	const char	*out;
	const char	*host;
	long		 port;
	char		*exe;		/* this binary, for the child builds */
	char		*datadir;	/* holds templates/ and themes/ */
	pthread_mutex_t	 lock;		/* guards the fields below */
	bool		 ok;		/* the last build succeeded */
	unsigned	 builds;
	unsigned	 failures;
	char		*errors;	/* stderr of the last failed build */
};

static volatile sig_atomic_t serve_stop;

/* ---- pure helpers ---------------------------------------------------- */

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t
serve_url_decode(char *s)
{
	char	*r = s, *w = s;
	int	 hi, lo;

	while (*r != '\0') {
		if (r[0] == '%' && (hi = hexval(r[1])) >= 0 &&
		    (lo = hexval(r[2])) >= 0 && (hi | lo) != 0) {
			*w++ = (char)(hi * 16 + lo);
			r += 3;
		} else
			*w++ = *r++;
	}
	*w = '\0';
	return (size_t)(w - s);
}

char *
serve_clean_path(const char *url)
{
	struct buf	 b;
	const char	*p, *seg;
	size_t		 n;

	if (url == NULL || url[0] != '/')
		return NULL;
	for (p = url; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return NULL;
	buf_init(&b);
	buf_puts(&b, "");
	for (p = url; *p != '\0'; p += n) {
		while (*p == '/')
			p++;
		seg = p;
		n = strcspn(seg, "/");
		if (n == 0)
			break;
		if (seg[0] == '.') {
			buf_clear(&b);
			return NULL;
		}
		if (b.len > 0)
			buf_putc(&b, '/');
		buf_put(&b, seg, n);
	}
	return buf_release(&b);
}

const char *
serve_content_type(const char *path)
{
	static const struct {
		const char	*ext;
		const char	*type;
	} types[] = {
		{ "html", "text/html; charset=utf-8" },
		{ "htm", "text/html; charset=utf-8" },
		{ "css", "text/css; charset=utf-8" },
		{ "js", "text/javascript; charset=utf-8" },
		{ "json", "application/json" },
		{ "csv", "text/csv; charset=utf-8" },
		{ "txt", "text/plain; charset=utf-8" },
		{ "svg", "image/svg+xml" },
		{ "png", "image/png" },
		{ "jpg", "image/jpeg" },
		{ "jpeg", "image/jpeg" },
		{ "gif", "image/gif" },
		{ "ico", "image/vnd.microsoft.icon" },
		{ "pdf", "application/pdf" },
		{ "woff", "font/woff" },
		{ "woff2", "font/woff2" },
		{ "ttf", "font/ttf" },
	};
	const char	*slash, *dot;
	size_t		 i;

	slash = strrchr(path, '/');
	dot = strrchr(slash != NULL ? slash : path, '.');
	if (dot != NULL)
		for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (strcasecmp(dot + 1, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

bool
serve_inside(const char *root, const char *path)
{
	size_t	 n = strlen(root);

	while (n > 1 && root[n - 1] == '/')
		n--;
	if (strncmp(root, path, n) != 0)
		return false;
	if (n == 1 && root[0] == '/')
		return path[0] == '/';
	return path[n] == '\0' || path[n] == '/';
}

/* Length of the valid UTF-8 sequence at s (0 if invalid). */
static size_t
utf8_len(const unsigned char *s, size_t avail)
{
	size_t	 n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (n > avail)
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* Appends s as a JSON string; invalid UTF-8 becomes U+FFFD. */
static void
json_str(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t		 len = strlen(s), i = 0, n;

	buf_putc(b, '"');
	while (i < len) {
		if (p[i] == '"' || p[i] == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, (char)p[i++]);
		} else if (p[i] == '\n') {
			buf_puts(b, "\\n");
			i++;
		} else if (p[i] < 0x20 || p[i] == 0x7f) {
			buf_printf(b, "\\u%04x", p[i++]);
		} else if ((n = utf8_len(p + i, len - i)) == 0) {
			buf_puts(b, "\\ufffd");
			i++;
		} else {
			buf_put(b, p + i, n);
			i += n;
		}
	}
	buf_putc(b, '"');
}

char *
serve_status_json(bool ok, unsigned builds, unsigned failures,
    const char *errors)
{
	struct buf	 b;

	buf_init(&b);
	buf_printf(&b, "{\"ok\": %s, \"builds\": %u, \"failures\": %u, "
	    "\"errors\": ", ok ? "true" : "false", builds, failures);
	json_str(&b, errors != NULL ? errors : "");
	buf_puts(&b, "}\n");
	return buf_release(&b);
}

char *
serve_banner(const char *html, size_t len, const char *errors,
    size_t *outlen)
{
	struct buf	 b;
	size_t		 at = 0, i;

	for (i = 0; i + 5 <= len; i++) {
		if (strncasecmp(html + i, "<body", 5) == 0 &&
		    (i + 5 == len || html[i + 5] == '>' ||
		    html[i + 5] == ' ' || html[i + 5] == '\t' ||
		    html[i + 5] == '\n')) {
			for (at = i + 5; at < len && html[at] != '>'; at++)
				;
			at = at < len ? at + 1 : 0;
			break;
		}
	}
	buf_init(&b);
	buf_put(&b, html, at);
	buf_puts(&b, "<div role=\"alert\" style=\"background:#fff;color:#000;"
	    "border:4px solid #d5281b;margin:0;padding:1em;"
	    "font:16px/1.4 sans-serif\"><strong>boardpack serve: the last "
	    "build failed.</strong> This is the previous good output; fix "
	    "the errors below and save to rebuild."
	    "<pre style=\"white-space:pre-wrap;margin:0.5em 0 0\">");
	if (errors != NULL)
		esc_html(&b, errors, strlen(errors));
	buf_puts(&b, "</pre></div>");
	buf_put(&b, html + at, len - at);
	*outlen = b.len;
	return buf_release(&b);
}

/* ---- the builder ----------------------------------------------------- */


/* Runs "exe build DIR -o OUT -q" and waits for it; its stderr goes to
 * *errs (caller frees).  Returns true if it exited with status 0. */
static bool
run_build(const struct server *s, char **errs)
{
	char		*argv[7];
	char		 chunk[4096];
	struct buf	 b;
	pid_t		 pid, w;
	ssize_t		 n;
	int		 fds[2], status = 0, devnull;

	buf_init(&b);
	buf_puts(&b, "");
	if (pipe(fds) == -1) {
		buf_printf(&b, "boardpack: cannot run a build: %s\n",
		    strerror(errno));
		*errs = buf_release(&b);
		return false;
	}
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	argv[0] = s->exe;
	argv[1] = (char *)"build";
	argv[2] = (char *)s->dir;
	argv[3] = (char *)"-o";
	argv[4] = (char *)s->out;
	argv[5] = (char *)"-q";
	argv[6] = NULL;
	if ((pid = fork()) == -1) {
		buf_printf(&b, "boardpack: cannot run a build: %s\n",
		    strerror(errno));
		close(fds[0]);
		close(fds[1]);
		*errs = buf_release(&b);
		return false;
	}
	if (pid == 0) {
		/* Child: only async-signal-safe calls until exec. */
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_DFL;
		sigaction(SIGPIPE, &sa, NULL);
		if ((devnull = open("/dev/null", O_RDWR)) != -1) {
			dup2(devnull, STDIN_FILENO);
			dup2(devnull, STDOUT_FILENO);
		}
		dup2(fds[1], STDERR_FILENO);
		execv(s->exe, argv);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		n = read(fds[0], chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (b.len + (size_t)n <= MAX_CAPTURE)
			buf_put(&b, chunk, (size_t)n);
	}
	close(fds[0]);
	while ((w = waitpid(pid, &status, 0)) == -1 && errno == EINTR)
		;
	if (w == -1)
		buf_printf(&b, "boardpack: lost the build: %s\n",
		    strerror(errno));
	else if (WIFSIGNALED(status))
		buf_printf(&b, "boardpack: the build crashed (signal %d)\n",
		    WTERMSIG(status));
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		buf_printf(&b, "boardpack: cannot run %s\n", s->exe);
	*errs = buf_release(&b);
	return w != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Builds once, records the result for the server, reports on stderr. */
static void
rebuild(struct server *s)
{
	char	*errs;
	bool	 ok;

	ok = run_build(s, &errs);
	fputs(errs, stderr);
	if (!ok)
		fputs("boardpack: build failed; still serving the previous "
		    "output\n", stderr);
	fflush(stderr);
	pthread_mutex_lock(&s->lock);
	s->builds++;
	s->ok = ok;
	free(s->errors);
	s->errors = NULL;
	if (!ok) {
		s->failures++;
		s->errors = errs;
		errs = NULL;
	}
	pthread_mutex_unlock(&s->lock);
	free(errs);
}

/* ---- change detection ------------------------------------------------ */

struct scan {
	uint64_t	 sum;		/* order-independent over files */
	uint64_t	 count;
	dev_t		 out_dev;	/* OUT itself, skipped if inside */
	ino_t		 out_ino;
	bool		 have_out;
	const char	*out_base;	/* OUT's name: skip its .tmp/.old */
};

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n-- > 0)
		h = (h ^ *c++) * 1099511628211ULL;
	return h;
}

/* true for names the scan ignores: hidden files, editor backups, and
 * OUT's temporary siblings ("<out>.tmp.*", "<out>.old.*", SPEC 5). */
static bool
skip_name(const struct scan *sc, const char *name)
{
	size_t	 n = strlen(name), k = strlen(sc->out_base);

	if (name[0] == '.' || (n > 0 && name[n - 1] == '~'))
		return true;
	return k > 0 && strncmp(name, sc->out_base, k) == 0 &&
	    (strncmp(name + k, ".tmp.", 5) == 0 ||
	    strncmp(name + k, ".old.", 5) == 0);
}

static void
scan_dir(struct scan *sc, const char *path, int depth)
{
	struct dirent	*e;
	struct stat	 st;
	DIR		*d;
	char		*p;
	uint64_t	 h;

	if (depth > MAX_DEPTH || (d = opendir(path)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (skip_name(sc, e->d_name))
			continue;
		p = util_path_join(path, e->d_name);
		if (stat(p, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				if (!(sc->have_out && st.st_dev == sc->out_dev &&
				    st.st_ino == sc->out_ino))
					scan_dir(sc, p, depth + 1);
			} else if (S_ISREG(st.st_mode)) {
				h = fnv(14695981039346656037ULL, p, strlen(p));
				h = fnv(h, &st.st_mtim.tv_sec,
				    sizeof(st.st_mtim.tv_sec));
				h = fnv(h, &st.st_mtim.tv_nsec,
				    sizeof(st.st_mtim.tv_nsec));
				h = fnv(h, &st.st_size, sizeof(st.st_size));
				h = fnv(h, &st.st_ino, sizeof(st.st_ino));
				sc->sum += h;
				sc->count++;
			}
		}
		free(p);
	}
	closedir(d);
}

/* A fingerprint of every input file's name, mtime and size. */
static uint64_t
fingerprint(const struct server *s)
{
	struct scan	 sc;
	struct stat	 st;
	const char	*base;
	char		*t;

	memset(&sc, 0, sizeof(sc));
	base = strrchr(s->out, '/');
	sc.out_base = base != NULL ? base + 1 : s->out;
	if (stat(s->out, &st) == 0) {
		sc.have_out = true;
		sc.out_dev = st.st_dev;
		sc.out_ino = st.st_ino;
	}
	scan_dir(&sc, s->dir, 0);
	t = util_path_join(s->datadir, "templates");
	scan_dir(&sc, t, 0);
	free(t);
	t = util_path_join(s->datadir, "themes");
	scan_dir(&sc, t, 0);
	free(t);
	return sc.sum ^ (sc.count * 0x9e3779b97f4a7c15ULL);
}

/* ---- the HTTP side --------------------------------------------------- */

static size_t
unescape_cb(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return serve_url_decode(s);
}

static enum MHD_Result
send_buf(struct MHD_Connection *c, unsigned code, const char *type,
    const char *data, size_t len)
{
	struct MHD_Response	*r;
	enum MHD_Result		 ret;

	r = MHD_create_response_from_buffer(len, (void *)data,
	    MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

/* A small HTML page for errors, with the build errors if the last build
 * failed. */
static enum MHD_Result
send_error(struct server *s, struct MHD_Connection *c, unsigned code,
    const char *msg)
{
	struct buf	 b;
	char		*page;
	size_t		 len;
	enum MHD_Result	 ret;

	buf_init(&b);
	buf_printf(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><title>%u %s</title></head><body>"
	    "<main><h1>%u %s</h1></main></body></html>\n", code, msg,
	    code, msg);
	pthread_mutex_lock(&s->lock);
	if (!s->ok) {
		page = serve_banner(b.data, b.len, s->errors, &len);
		buf_clear(&b);
		buf_init(&b);
		buf_put(&b, page, len);
		free(page);
	}
	pthread_mutex_unlock(&s->lock);
	ret = send_buf(c, code, "text/html; charset=utf-8", b.data, b.len);
	buf_clear(&b);
	return ret;
}

static enum MHD_Result
send_status(struct server *s, struct MHD_Connection *c)
{
	char		*json;
	enum MHD_Result	 ret;

	pthread_mutex_lock(&s->lock);
	json = serve_status_json(s->ok, s->builds, s->failures, s->errors);
	pthread_mutex_unlock(&s->lock);
	ret = send_buf(c, MHD_HTTP_OK, "application/json", json,
	    strlen(json));
	free(json);
	return ret;
}

/* Sends the regular file at path (already checked to be inside OUT),
 * with the error banner on HTML pages after a failed build. */
static enum MHD_Result
send_file(struct server *s, struct MHD_Connection *c, const char *path)
{
	struct MHD_Response	*r;
	struct stat		 st;
	const char		*type = serve_content_type(path);
	char			*data, *page;
	size_t			 len, plen;
	enum MHD_Result		 ret;
	bool			 banner;
	int			 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return send_error(s, c, MHD_HTTP_NOT_FOUND, "Not Found");
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return send_error(s, c, MHD_HTTP_NOT_FOUND, "Not Found");
	}
	pthread_mutex_lock(&s->lock);
	banner = !s->ok && strncmp(type, "text/html", 9) == 0;
	pthread_mutex_unlock(&s->lock);
	if (banner) {
		close(fd);
		if ((data = util_file_read(path, &len)) == NULL)
			return send_error(s, c, MHD_HTTP_NOT_FOUND,
			    "Not Found");
		pthread_mutex_lock(&s->lock);
		page = serve_banner(data, len, s->errors, &plen);
		pthread_mutex_unlock(&s->lock);
		free(data);
		ret = send_buf(c, MHD_HTTP_OK, type, page, plen);
		free(page);
		return ret;
	}
	r = MHD_create_response_from_fd((size_t)st.st_size, fd);
	if (r == NULL) {
		close(fd);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
send_redirect(struct MHD_Connection *c, const char *url)
{
	struct MHD_Response	*r;
	enum MHD_Result		 ret;
	char			*loc;

	r = MHD_create_response_from_buffer(0, (void *)"",
	    MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	loc = xasprintf("%s/", url);
	MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, loc);
	free(loc);
	ret = MHD_queue_response(c, MHD_HTTP_MOVED_PERMANENTLY, r);
	MHD_destroy_response(r);
	return ret;
}

/* The access handler: GET and HEAD of files inside OUT only. */
static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct server	*s = cls;
	struct stat	 st;
	char		*rel, *full, *t, root[PATH_MAX], real[PATH_MAX];
	enum MHD_Result	 ret;
	size_t		 n;

	(void)version;
	(void)upload;
	(void)upload_size;
	(void)con_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return send_buf(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "text/plain; charset=utf-8", "405 Method Not Allowed\n",
		    23);
	if (strcmp(url, STATUS_URL) == 0)
		return send_status(s, c);
	if ((rel = serve_clean_path(url)) == NULL)
		return send_error(s, c, MHD_HTTP_FORBIDDEN, "Forbidden");
	full = util_path_join(s->out, rel);
	free(rel);
	if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
		n = strlen(url);
		if (n == 0 || url[n - 1] != '/') {
			free(full);
			return send_redirect(c, url);
		}
		t = util_path_join(full, "index.html");
		free(full);
		full = t;
	}
	if (realpath(s->out, root) == NULL || realpath(full, real) == NULL) {
		free(full);
		return send_error(s, c, MHD_HTTP_NOT_FOUND, "Not Found");
	}
	free(full);
	if (!serve_inside(root, real))
		return send_error(s, c, MHD_HTTP_FORBIDDEN, "Forbidden");
	ret = send_file(s, c, real);
	return ret;
}

/* Starts the daemon on s->host:s->port; NULL (reported) on failure. */
static struct MHD_Daemon *
start_daemon(struct server *s)
{
	struct sockaddr_in	 in4;
	struct sockaddr_in6	 in6;
	struct sockaddr		*sa;
	struct MHD_Daemon	*d;
	unsigned		 flags = MHD_USE_AUTO_INTERNAL_THREAD |
				    MHD_USE_ERROR_LOG;

	memset(&in4, 0, sizeof(in4));
	memset(&in6, 0, sizeof(in6));
	if (inet_pton(AF_INET, s->host, &in4.sin_addr) == 1) {
		in4.sin_family = AF_INET;
		in4.sin_port = htons((uint16_t)s->port);
		sa = (struct sockaddr *)&in4;
	} else {
		inet_pton(AF_INET6, s->host, &in6.sin6_addr);
		in6.sin6_family = AF_INET6;
		in6.sin6_port = htons((uint16_t)s->port);
		sa = (struct sockaddr *)&in6;
		flags |= MHD_USE_IPv6;
	}
	d = MHD_start_daemon(flags, (uint16_t)s->port, NULL, NULL, handle, s,
	    MHD_OPTION_SOCK_ADDR, sa,
	    MHD_OPTION_UNESCAPE_CALLBACK, unescape_cb, NULL,
	    MHD_OPTION_CONNECTION_TIMEOUT, 30u,
	    MHD_OPTION_END);
	if (d == NULL)
		fprintf(stderr, "boardpack: cannot listen on %s port %ld "
		    "(in use?)\n", s->host, s->port);
	return d;
}

/* ---- main ------------------------------------------------------------ */

static void
on_signal(int sig)
{
	(void)sig;
	serve_stop = 1;
}

static bool
is_loopback(const char *host)
{
	struct in_addr	 a;

	if (inet_pton(AF_INET, host, &a) == 1)
		return (ntohl(a.s_addr) >> 24) == 127;
	return strcmp(host, "::1") == 0;
}

/* Parses argv (argv[0] = "serve"); -1 on a usage error (reported),
 * 1 for --help. */
static int
parse(int argc, char *argv[], struct server *s)
{
	struct in6_addr	 a6;
	struct in_addr	 a4;
	const char	*a;
	bool		 has_dir = false;
	int		 i;

	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
			return 1;
		if (strcmp(a, "--port") == 0 || strcmp(a, "--host") == 0 ||
		    strcmp(a, "-o") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "boardpack: option %s needs a "
				    "value\n", a);
				return -1;
			}
			if (strcmp(a, "-o") == 0)
				s->out = argv[++i];
			else if (strcmp(a, "--host") == 0)
				s->host = argv[++i];
			else if (!util_parse_long(argv[++i], &s->port) ||
			    s->port < 0 || s->port > 65535) {
				fprintf(stderr, "boardpack: --port needs a "
				    "number from 0 to 65535, not \"%s\"\n",
				    argv[i]);
				return -1;
			}
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "boardpack: unknown option \"%s\"\n",
			    a);
			return -1;
		} else if (!has_dir) {
			s->dir = a;
			has_dir = true;
		} else {
			fprintf(stderr, "boardpack: unexpected argument "
			    "\"%s\"\n", a);
			return -1;
		}
	}
	if (inet_pton(AF_INET, s->host, &a4) != 1 &&
	    inet_pton(AF_INET6, s->host, &a6) != 1) {
		fprintf(stderr, "boardpack: --host needs a numeric IPv4 or "
		    "IPv6 address, not \"%s\"\n", s->host);
		return -1;
	}
	if (s->out[0] == '\0' || s->dir[0] == '\0') {
		fprintf(stderr, "boardpack: empty directory name\n");
		return -1;
	}
	return 0;
}

/* Sleeps about ns nanoseconds unless a stop signal arrives. */
static void
nap(long ns)
{
	struct timespec	 ts;

	ts.tv_sec = 0;
	ts.tv_nsec = ns;
	if (!serve_stop)
		nanosleep(&ts, NULL);
}

int
serve_main(int argc, char *argv[])
{
	struct server		 s;
	struct sigaction	 sa;
	struct MHD_Daemon	*d;
	const union MHD_DaemonInfo *info;
	char			 exe[PATH_MAX];
	ssize_t			 n;
	uint64_t		 fp, now;
	int			 rc;

	memset(&s, 0, sizeof(s));
	s.dir = "content";
	s.out = "out";
	s.host = "127.0.0.1";
	s.port = 8000;
	if ((rc = parse(argc, argv, &s)) != 0) {
		fputs(serve_usage, rc == 1 ? stdout : stderr);
		return rc == 1 ? SERVE_OK : SERVE_USAGE;
	}
	if (!util_is_dir(s.dir)) {
		fprintf(stderr, "boardpack: %s: no such directory\n", s.dir);
		return SERVE_IO;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		fprintf(stderr, "boardpack: cannot find this program to run "
		    "builds: %s\n", strerror(errno));
		return SERVE_IO;
	}
	exe[n] = '\0';
	if (!is_loopback(s.host))
		fprintf(stderr, "boardpack: warning: serving on %s: anyone who "
		    "can reach this machine can read the pack\n", s.host);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: sleeps end early */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	s.exe = xstrdup(exe);
	s.datadir = util_data_dir();
	pthread_mutex_init(&s.lock, NULL);
	fp = fingerprint(&s);
	rebuild(&s);
	rc = SERVE_OK;
	if ((d = start_daemon(&s)) == NULL) {
		rc = SERVE_IO;
		goto done;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (info != NULL)
		s.port = info->port;
	fprintf(stderr, "previewing %s, built into %s\n"
	    "serving http://%s%s%s:%ld/ (Ctrl-C to stop)\n", s.dir, s.out,
	    strchr(s.host, ':') ? "[" : "", s.host,
	    strchr(s.host, ':') ? "]" : "", s.port);
	fflush(stderr);
	while (!serve_stop) {
		nap(POLL_NS);
		if (serve_stop)
			break;
		if ((now = fingerprint(&s)) != fp) {
			fp = now;
			/* Let an editor finish writing before building. */
			nap(POLL_NS / 5);
			if (serve_stop)
				break;
			fp = fingerprint(&s);
			fputs("change detected, rebuilding\n", stderr);
			rebuild(&s);
		}
	}
	MHD_stop_daemon(d);
	fputs("stopped\n", stderr);
done:
	pthread_mutex_destroy(&s.lock);
	free(s.errors);
	free(s.datadir);
	free(s.exe);
	return rc;
}
