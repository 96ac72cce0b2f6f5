/*
 * siteout.c: the site writer's dealings with the file system (write
 * stage, SPEC 5; internal to the writer, see siteint.h): writes files
 * into the tree being built, reads the theme's assets, marks trees as
 * boardpack's (.boardpack), swaps a finished tree into the place of
 * out/ atomically, removes the trees that killed builds left, and
 * locks out/'s directory for the build.  It renders nothing.
 */
#define _XOPEN_SOURCE 700	/* nftw */

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "siteint.h"
#include "util.h"

/* The marker goes last, just before its directory: a build killed while
 * removing a tree leaves it recognisably ours (site_clean_stale). */
static int
site_rm_cb(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	char	*m;

	(void)sb;
	if (ftw->level == 1 && strcmp(path + ftw->base, ".boardpack") == 0)
		return 0;
	if (ftw->level == 0 && flag == FTW_DP) {
		m = util_path_join(path, ".boardpack");
		unlink(m);
		free(m);
	}
	return remove(path);
}

/* Removes a tree this build created (no symlinks followed). */
int
site_rmtree(const char *path)
{
	return nftw(path, site_rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

/* Writes data[0..len) to dir/rel; 0 or -1 (reported). */
int
site_put(const char *dir, const char *rel, const void *data, size_t len)
{
	char	*p = util_path_join(dir, rel);
	int	 rc = 0;

	if (util_file_write(p, data, len) == -1) {
		diag_error(p, 0, 0, "cannot write: %s", strerror(errno));
		rc = -1;
	}
	free(p);
	return rc;
}

/* Writes b (rendered into the tree at rel) and empties it. */
int
site_put_buf(const struct site *st, const char *rel, struct buf *b)
{
	int	 rc;

	rc = site_put(st->tmp, rel, b->data ? b->data : "", b->len);
	buf_clear(b);
	return rc;
}

/* Writes b into the tree as rel with the first SITE_IPR_MARK replaced
 * by ins (b unchanged without one); frees both.  0 or -1 (reported). */
int
site_put_splice(const struct site *st, const char *rel, struct buf *b,
    struct buf *ins)
{
	const char	*mark = SITE_IPR_MARK, *at = NULL;
	char		*path;
	size_t		 ml = strlen(mark), head;
	FILE		*f;
	int		 rc = 0;

	/* memmem is not POSIX: the mark opens with a control character. */
	for (at = ins->len > 0 ? b->data : NULL; at != NULL; at++) {
		at = memchr(at, mark[0], b->len - (size_t)(at - b->data));
		if (at == NULL || (size_t)(b->data + b->len - at) < ml ||
		    memcmp(at, mark, ml) == 0)
			break;
	}
	if (at != NULL && (size_t)(b->data + b->len - at) < ml)
		at = NULL;
	if (at == NULL) {
		buf_clear(ins);
		return site_put_buf(st, rel, b);
	}
	head = (size_t)(at - b->data);
	path = util_path_join(st->tmp, rel);
	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(b->data, 1, head, f) != head ||
	    fwrite(ins->data, 1, ins->len, f) != ins->len ||
	    fwrite(at + ml, 1, b->len - head - ml, f) != b->len - head - ml)
		rc = -1;
	if (f != NULL && fclose(f) == EOF)
		rc = -1;
	if (rc == -1)
		diag_error(path, 0, 0, "cannot write: %s", strerror(errno));
	free(path);
	buf_clear(b);
	buf_clear(ins);
	return rc;
}

/* true if out may be replaced: absent, or a directory with .boardpack. */
bool
site_out_ours(const char *out, bool *exists)
{
	struct stat	 sb;
	char		*m;
	bool		 ok;

	if (lstat(out, &sb) == -1) {
		*exists = false;
		return errno == ENOENT;
	}
	*exists = true;
	if (!S_ISDIR(sb.st_mode))
		return false;
	m = util_path_join(out, ".boardpack");
	ok = util_is_file(m);
	free(m);
	return ok;
}

/* Reads dir/name whole; NULL (reported) on error. */
char *
site_asset(const char *dir, const char *name, size_t *len)
{
	char	*path = util_path_join(dir, name), *s;

	if ((s = util_file_read(path, len)) == NULL)
		diag_error(path, 0, 0, "cannot read: %s", strerror(errno));
	free(path);
	return s;
}

/* out/assets/style.css: themes/base.css (the rules every theme
 * shares), then the theme's style.css (its custom properties and any
 * rules of its own, which win).  NULL (reported) on error. */
char *
site_css(const char *thdir, const char *themedir, size_t *len)
{
	struct buf	 b;
	char		*base, *theme;
	size_t		 nb, nt;

	if ((base = site_asset(thdir, "base.css", &nb)) == NULL)
		return NULL;
	if ((theme = site_asset(themedir, "style.css", &nt)) == NULL) {
		free(base);
		return NULL;
	}
	buf_init(&b);
	buf_put(&b, base, nb);
	buf_put(&b, theme, nt);
	free(base);
	free(theme);
	*len = b.len;
	return buf_release(&b);
}

/* Renames tmp into place of out, keeping the old tree until then.  On
 * Linux the two trees are exchanged in one atomic renameat2(2)
 * RENAME_EXCHANGE, so out is never missing, even for an instant; tmp
 * then holds the previous tree and is removed.  Elsewhere, or on a file
 * system without it, out goes to out.old.XXXXXX first. */
int
site_swap(const char *out, const char *tmp, bool exists)
{
	char	*old;
	int	 rc = 0;

#ifdef SYS_renameat2
	if (exists) {
		if (syscall(SYS_renameat2, AT_FDCWD, tmp, AT_FDCWD, out,
		    2 /* RENAME_EXCHANGE, linux/fs.h */) == 0) {
			if (site_rmtree(tmp) == -1)
				diag_warning(tmp, 0, 0, "cannot remove the "
				    "previous output: %s", strerror(errno));
			return 0;
		}
		if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
			diag_error(out, 0, 0, "cannot replace: %s",
			    strerror(errno));
			return -1;
		}
	}
#endif
	if (!exists) {
		if (rename(tmp, out) == -1) {
			diag_error(out, 0, 0, "cannot create: %s",
			    strerror(errno));
			return -1;
		}
		return 0;
	}
	old = xasprintf("%s.old.XXXXXX", out);
	if (mkdtemp(old) == NULL || rename(out, old) == -1) {
		diag_error(out, 0, 0, "cannot replace: %s", strerror(errno));
		rmdir(old);
		free(old);
		return -1;
	}
	if (rename(tmp, out) == -1) {
		diag_error(out, 0, 0, "cannot replace: %s", strerror(errno));
		if (rename(old, out) == -1)
			diag_error(old, 0, 0, "previous output left here: %s",
			    strerror(errno));
		rc = -1;
	} else if (site_rmtree(old) == -1)
		diag_warning(old, 0, 0, "cannot remove the previous output: %s",
		    strerror(errno));
	free(old);
	return rc;
}

/*
 * Removes the out.tmp.XXXXXX and out.old.XXXXXX directories that killed
 * builds left beside out: only names of exactly that form (mkdtemp's six
 * characters), only directories, and only those that carry the
 * .boardpack marker (every build writes it first) or are empty, so that
 * nothing boardpack did not create is touched.  The caller holds the
 * lock of site_lock, so no other build is writing them.
 */
void
site_clean_stale(const char *out)
{
	struct stat	 sb;
	struct dirent	*e;
	DIR		*d;
	char		*dir, *path, *m;
	const char	*base, *s;
	size_t		 bl;

	dir = util_dirname(out);
	base = strrchr(out, '/') != NULL ? strrchr(out, '/') + 1 : out;
	bl = strlen(base);
	if (bl == 0 || (d = opendir(dir)) == NULL) {
		free(dir);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		s = e->d_name;
		if (strncmp(s, base, bl) != 0 || (strncmp(s + bl, ".tmp.", 5)
		    != 0 && strncmp(s + bl, ".old.", 5) != 0) ||
		    strlen(s + bl + 5) != 6)
			continue;
		path = util_path_join(dir, s);
		m = util_path_join(path, ".boardpack");
		if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			if (util_is_file(m))
				site_rmtree(path);
			else
				rmdir(path);	/* fails unless empty */
		}
		free(m);
		free(path);
	}
	closedir(d);
	free(dir);
}

/* Takes an exclusive flock(2) on out's parent directory (no file is
 * created; waits while another build writes there), so that two builds
 * into the same out do not remove each other's temporary directories.
 * Returns the descriptor to close, -2 when the directory cannot be
 * opened (mkdtemp reports it), or -1 after reporting a failed lock. */
int
site_lock(const char *out)
{
	char	*dir = util_dirname(out);
	int	 fd;

	if (util_mkdirs(dir) != 0 ||
	    (fd = open(dir, O_RDONLY | O_DIRECTORY)) == -1) {
		free(dir);
		return -2;	/* reported later by mkdtemp */
	}
	free(dir);
	while (flock(fd, LOCK_EX) == -1) {
		if (errno == EINTR)
			continue;
		diag_error(out, 0, 0, "cannot lock the directory of %s: %s",
		    out, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}
