/*
 * pdf.c: A4 briefings with libharu (see pdf.h, SPEC 5).  A small
 * typesetter: Markdown blocks (md_blocks) are broken into lines with the
 * embedded font's own metrics, justified, and flowed onto pages with
 * keep-with-next for headings, widow and orphan control for paragraphs,
 * repeated header rows for tables and unbroken charts.  The decisions
 * (lines, fits, column widths) are layout.c's and the words and table
 * rows briefing.c's; this file measures, places and draws.  Footers
 * ("Page X of Y") are drawn last, when the page count is known; the
 * pack's contents pages are reserved first and filled in at the end.
 * libharu errors go to a handler that records the first one; the
 * document is then dropped and the error reported once, naming the file.
 * Where libharu 2.3 is slow this file works around it, each time within
 * what its headers expose and with the same text on the page: words
 * are measured from width tables built once per process (fonts), fonts
 * are made with nearly no characters mapped and their widths and maps
 * filled in when the document is done (pdf_font_map, pdf_font_fix),
 * document objects are kept from one document to the next with their
 * faces and encoder (pdf_doc_get), paths are formatted here
 * (pdf_path_*) and chart lines in a frame of coarser units
 * (pdf_frame_*), text and the text state operators are written here
 * (pdf_show_text, pdf_op), memory streams are copied with memcpy
 * (pdf_mem_*), the font files are read once per process
 * (pdf_font_load), font subsets are made and deflated once per
 * process and page contents deflated at a faster level (compression).
 */
#include <sys/stat.h>

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>
#include <hpdf.h>
#include <hpdf_utils.h>
#include <zlib.h>

#include "briefing.h"
#include "chart.h"
#include "diag.h"
#include "layout.h"
#include "md.h"
#include "pdf.h"
#include "simchart.h"
#include "util.h"

/* A4 portrait in points; 18 mm margins. */
#define PDF_PW		595.276
#define PDF_PH		841.89
#define PDF_M		51.02
#define PDF_TOP		(PDF_PH - PDF_M)
#define PDF_BOTTOM	(PDF_M + 6)
#define PDF_CW		(PDF_PW - 2 * PDF_M)
#define PDF_BODY	10.0		/* body text size */
#define PDF_LEAD	14.0		/* body leading */
#define PDF_SKEW	0.2		/* oblique for italics (one face less) */
#define PDF_CHART_W	(PDF_CW * 0.86)	/* chart width: two fit a page */
#define PDF_CHART_FS	0.7		/* chart text, relative to the model */
#define PDF_CHART_LW	0.5		/* chart strokes: thinner on paper */
#define PDF_FRAME_K	20		/* frame units a point: 0.05 pt */
#define PDF_FRAME_MIN	16		/* points of a mark worth a frame */

enum pdf_face {
	PDF_REG,
	PDF_BOLD
};

/* A contents entry of the pack. */
struct pdf_toc {
	char		*title;
	size_t		 page;		/* 0-based page index */
	int		 level;
};

/* A libharu document object, kept between documents (pdf_doc_get). */
struct pdf_doc {
	HPDF_Doc	 doc;
	const char	*face[2];	/* the faces' names */
};

/* One document being written. */
struct pdf {
	HPDF_Doc	 doc;
	struct pdf_doc	 kept;		/* doc with its faces (pdf_doc_get) */
	HPDF_STATUS	 err, detail;	/* first libharu error */
	HPDF_Font	 font[2];
	const struct pack *pack;
	const struct chart_palette *pal;
	unsigned	 ink, muted, accent, rule, tint;
	HPDF_Page	 page;
	HPDF_Page	*pages;
	char		**foot;		/* left footer of each page */
	size_t		 npages;
	double		 y;		/* top of the next block */
	char		*foot_now;
	HPDF_ExtGState	 gs[11];	/* fill opacity 0, 0.1 .. 1, as used */
	struct buf	 tmp;
	struct buf	 path;		/* pdf_path_* */
	struct buf	 hex;		/* pdf_show_text */
	long long	 last[2];	/* the path's last point written */
	long long	 pend[2];	/* a lineto held back, when held */
	bool		 held, open;	/* open: a line can go on */
	bool		 framed;	/* in pdf_frame_open's frame */
	double		 org[2];	/* the frame's origin, in points */
	size_t		 frame_len;	/* p->path.len with the frame open */
	size_t		 nfig;
	int64_t		 day;		/* pack date, INT64_MIN = none */
	char		 date_label[64];
	struct pdf_toc	*toc;
	size_t		 ntoc;
	struct layout_measure measure;	/* pdf_measure with this p */
	const struct chart_spec *pre_spec; /* pdf_block_min built ... */
	struct chart	*pre[3];	/* ... these charts for it */
	size_t		 npre;
	unsigned	 top;		/* highest character drawn */
	uint8_t		 used[2][65536 / 8]; /* characters drawn, per face */
};

static double	 pdf_measure(void *, bool, const char *, size_t, double);
static void	 pdf_docs_free(void);

static const char *const pdf_months[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

/* ---- compression ---- */

/*
 * libharu deflates every stream itself, as it writes the document, at
 * zlib's default level 6.  pdf.c takes the streams over through a hook
 * on the stream's dictionary (write_fn, which libharu calls once the
 * dictionary's keys, /Filter [/FlateDecode] among them, are written,
 * and before the data): the hook replaces the data with the deflated
 * bytes and clears the dictionary's filter, so that libharu copies
 * them as they are.  pdf_zip deflates with zlib, libharu's own
 * compressor, which we link to choose the level.
 *
 * Pages.  The content streams (pdf_deflate_page) are nearly all of
 * what a briefing deflates that is new: about 160 KB, two thirds of it
 * chart lines.  They are deflated at PDF_ZLEVEL.  Measured on the
 * content streams of the 100-service bench pack (16.4 MB): level 6
 * takes 446 ms for 4.26 MB; level 3 182 ms for 4.80 MB; level 2
 * 132 ms for 4.94 MB; level 1 117 ms for 5.14 MB (Z_FILTERED gives
 * the same bytes at levels 1 to 3; Z_RLE is 103 ms for 7.98 MB;
 * memLevel 6 or 9, or a 16 KB window, is no faster).  Level 1 makes
 * a briefing about 9 KB (8%) larger than level 6 did.
 *
 * Fonts.  Documents that draw the same characters embed the same font
 * subsets, to the byte, and all of them the same CIDToGIDMap and
 * ToUnicode streams: pdf_deflate_kept deflates each such stream once
 * per process, at the default level, and keeps it, up to PDF_ZKEEP of
 * them, for the next document in any thread; subsets are kept by the
 * glyphs they hold, and then not even made again (pdf_font_ready).  A
 * stream is taken from there only when its bytes, or a subset's
 * glyphs, are those kept, so the output does not depend on what was
 * kept before.  Entries never change once added (under pdf_zlock) and
 * are freed at exit.
 */
#define PDF_ZKEEP	64
#define PDF_DOC_CHUNK	(64 * 1024)	/* pdf_finish */
#define PDF_ZLEVEL	1

struct pdf_zkept {
	unsigned char	*raw, *z;
	size_t		 nraw, nz;
	/* A font subset (raw NULL): its fontdef's name and glyphs. */
	char		*font;
	unsigned char	*glyphs;
	size_t		 nglyphs;
	unsigned	 length1;
};

static pthread_mutex_t	 pdf_zlock = PTHREAD_MUTEX_INITIALIZER;
static struct pdf_zkept	 pdf_zkept[PDF_ZKEEP];
static size_t		 pdf_nzkept;

static void
pdf_zkept_free(void)
{
	while (pdf_nzkept > 0) {
		pdf_nzkept--;
		free(pdf_zkept[pdf_nzkept].raw);
		free(pdf_zkept[pdf_nzkept].z);
		free(pdf_zkept[pdf_nzkept].font);
		free(pdf_zkept[pdf_nzkept].glyphs);
	}
}

/* Copies the bytes of memory stream st into b[0..n). */
static void
pdf_zcopy(HPDF_Stream st, unsigned char *b, size_t n)
{
	HPDF_UINT	 i, nb = HPDF_MemStream_GetBufCount(st), len;
	HPDF_BYTE	*chunk;
	size_t		 off = 0;

	for (i = 0; i < nb && off < n; i++) {
		len = 0;
		chunk = HPDF_MemStream_GetBufPtr(st, i, &len);
		if (len > n - off)
			len = (HPDF_UINT)(n - off);
		memcpy(b + off, chunk, len);
		off += len;
	}
}

/* Whether memory stream st holds the bytes raw[0..n). */
static bool
pdf_zsame(HPDF_Stream st, const unsigned char *raw, size_t n)
{
	HPDF_UINT	 i, nb = HPDF_MemStream_GetBufCount(st), len;
	HPDF_BYTE	*chunk;
	size_t		 off = 0;

	if (st->size != n)
		return false;
	for (i = 0; i < nb; i++) {
		len = 0;
		chunk = HPDF_MemStream_GetBufPtr(st, i, &len);
		if (len > n - off || memcmp(raw + off, chunk, len) != 0)
			return false;
		off += len;
	}
	return off == n;
}

/* The kept entry holding the bytes of st, or NULL. */
static const struct pdf_zkept *
pdf_zfind(HPDF_Stream st)
{
	const struct pdf_zkept *k = NULL;
	size_t		 i;

	pthread_mutex_lock(&pdf_zlock);
	for (i = 0; k == NULL && i < pdf_nzkept; i++)
		if (pdf_zkept[i].raw != NULL &&
		    pdf_zsame(st, pdf_zkept[i].raw, pdf_zkept[i].nraw))
			k = &pdf_zkept[i];
	pthread_mutex_unlock(&pdf_zlock);
	return k;
}

/* Keeps the bytes of st and z[0..nz) (copied), if there is room and
 * another thread has not kept them meanwhile. */
static void
pdf_zkeep(HPDF_Stream st, const unsigned char *z, size_t nz)
{
	struct pdf_zkept *k;

	if (pdf_zfind(st) != NULL)
		return;
	pthread_mutex_lock(&pdf_zlock);
	if (pdf_nzkept < PDF_ZKEEP) {
		k = &pdf_zkept[pdf_nzkept];
		k->nraw = st->size;
		k->raw = xmalloc(k->nraw ? k->nraw : 1);
		pdf_zcopy(st, k->raw, k->nraw);
		k->nz = nz;
		k->z = xmalloc(nz ? nz : 1);
		memcpy(k->z, z, nz);
		pdf_nzkept++;
	}
	pthread_mutex_unlock(&pdf_zlock);
}

/* Deflates the bytes of memory stream st with zlib at level into *out
 * (malloc'd; caller frees) and *nout; false on an error. */
static bool
pdf_zip(HPDF_Stream st, int level, unsigned char **out, size_t *nout)
{
	z_stream	 z;
	HPDF_UINT	 i, nb = HPDF_MemStream_GetBufCount(st), len;
	HPDF_BYTE	*chunk;
	size_t		 left = st->size;
	uLong		 cap;
	int		 rc = Z_OK;

	memset(&z, 0, sizeof(z));
	if (deflateInit(&z, level) != Z_OK)
		return false;
	/* Room for all of it: one call per chunk, none to flush. */
	cap = deflateBound(&z, (uLong)left);
	*out = xmalloc(cap);
	z.next_out = *out;
	z.avail_out = (uInt)cap;
	for (i = 0; rc == Z_OK && i < nb && left > 0; i++) {
		len = 0;
		chunk = HPDF_MemStream_GetBufPtr(st, i, &len);
		if (len > left)
			len = (HPDF_UINT)left;
		left -= len;
		z.next_in = chunk;
		z.avail_in = len;
		rc = deflate(&z, Z_NO_FLUSH);
	}
	if (rc == Z_OK && left == 0)
		rc = deflate(&z, Z_FINISH);
	*nout = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(*out);
		*out = NULL;
		return false;
	}
	return true;
}

/*
 * Memory streams.  libharu copies bytes into and out of its memory
 * streams a byte at a time (HPDF_MemCpy), and a briefing passes about
 * half a megabyte through them: the page contents as they are drawn,
 * their deflated bytes, and the whole document as it is written.
 * pdf_mem_write and pdf_mem_read are HPDF_MemStream_WriteFunc and
 * HPDF_MemStream_ReadFunc (hpdf_streams.c) with memcpy, the same
 * chunks in the same order; pdf_mem_fast puts them on a stream.
 */
static HPDF_STATUS
pdf_mem_write(HPDF_Stream st, const HPDF_BYTE *ptr, HPDF_UINT siz)
{
	HPDF_MemStreamAttr a = st->attr;
	HPDF_UINT	 room, n;

	if (HPDF_Error_GetCode(st->error) != 0)
		return HPDF_THIS_FUNC_WAS_SKIPPED;
	while (siz > 0) {
		room = a->buf_siz - a->w_pos;
		if (room == 0) {
			a->w_ptr = HPDF_GetMem(st->mmgr, a->buf_siz);
			if (a->w_ptr == NULL)
				return HPDF_Error_GetCode(st->error);
			if (HPDF_List_Add(a->buf, a->w_ptr) != HPDF_OK) {
				HPDF_FreeMem(st->mmgr, a->w_ptr);
				a->w_ptr = NULL;
				return HPDF_Error_GetCode(st->error);
			}
			a->w_pos = 0;
			continue;
		}
		n = siz < room ? siz : room;
		memcpy(a->w_ptr, ptr, n);
		a->w_ptr += n;
		a->w_pos += n;
		ptr += n;
		siz -= n;
	}
	return HPDF_OK;
}

static HPDF_STATUS
pdf_mem_read(HPDF_Stream st, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
	HPDF_MemStreamAttr a = st->attr;
	HPDF_UINT	 want = *siz, n, last;

	*siz = 0;
	while (want > 0) {
		if (a->buf->count == 0)
			return HPDF_STREAM_EOF;
		last = a->buf->count - 1;
		if (a->r_ptr_idx < last)
			n = a->buf_siz - a->r_pos;
		else if (a->r_ptr_idx == last)
			n = a->w_pos - a->r_pos;
		else
			return HPDF_STREAM_EOF;
		if (a->r_ptr == NULL)
			a->r_ptr = HPDF_List_ItemAt(a->buf, a->r_ptr_idx);
		if (n >= want) {
			memcpy(ptr, a->r_ptr, want);
			a->r_pos += want;
			a->r_ptr += want;
			*siz += want;
			return HPDF_OK;
		}
		memcpy(ptr, a->r_ptr, n);
		ptr += n;
		want -= n;
		*siz += n;
		if (a->r_ptr_idx == last) {
			a->r_ptr += n;
			a->r_pos += n;
			return HPDF_STREAM_EOF;
		}
		a->r_ptr_idx++;
		a->r_pos = 0;
		a->r_ptr = HPDF_List_ItemAt(a->buf, a->r_ptr_idx);
	}
	return HPDF_OK;
}

/* Reads and writes memory stream st with memcpy. */
static void
pdf_mem_fast(HPDF_Stream st)
{
	if (st != NULL && st->type == HPDF_STREAM_MEMORY) {
		st->write_fn = pdf_mem_write;
		st->read_fn = pdf_mem_read;
	}
}

/* Replaces the data of dict's stream with z[0..nz), deflated, and
 * stops libharu deflating it again. */
static HPDF_STATUS
pdf_zput(HPDF_Dict dict, const unsigned char *z, size_t nz)
{
	HPDF_MemStream_FreeData(dict->stream);
	pdf_mem_fast(dict->stream);
	dict->filter = HPDF_STREAM_FILTER_NONE;
	return HPDF_Stream_Write(dict->stream, z, (HPDF_UINT)nz);
}

/* write_fn of a font's streams: deflated through pdf_zkept. */
static HPDF_STATUS
pdf_deflate_kept(HPDF_Dict dict, HPDF_Stream unused)
{
	const struct pdf_zkept *k;
	unsigned char	*z;
	size_t		 nz;
	HPDF_STATUS	 rc;

	(void)unused;
	if (dict->stream == NULL ||
	    !(dict->filter & HPDF_STREAM_FILTER_FLATE_DECODE))
		return HPDF_OK;
	if ((k = pdf_zfind(dict->stream)) != NULL)
		return pdf_zput(dict, k->z, k->nz);
	if (!pdf_zip(dict->stream, Z_DEFAULT_COMPRESSION, &z, &nz))
		return HPDF_SetError(dict->error, HPDF_ZLIB_ERROR, 0);
	pdf_zkeep(dict->stream, z, nz);
	rc = pdf_zput(dict, z, nz);
	free(z);
	return rc;
}

/* write_fn of a page's content stream: deflated at PDF_ZLEVEL. */
static HPDF_STATUS
pdf_deflate_page(HPDF_Dict dict, HPDF_Stream unused)
{
	unsigned char	*z;
	size_t		 nz;
	HPDF_STATUS	 rc;

	(void)unused;
	if (dict->stream == NULL ||
	    !(dict->filter & HPDF_STREAM_FILTER_FLATE_DECODE))
		return HPDF_OK;
	if (!pdf_zip(dict->stream, PDF_ZLEVEL, &z, &nz))
		return HPDF_SetError(dict->error, HPDF_ZLIB_ERROR, 0);
	rc = pdf_zput(dict, z, nz);
	free(z);
	return rc;
}

/* The kept subset of the font that def would embed, or NULL; the
 * caller holds pdf_zlock. */
static struct pdf_zkept *
pdf_font_kept(HPDF_FontDef def)
{
	HPDF_TTFontDefAttr da = (HPDF_TTFontDefAttr)def->attr;
	size_t		 i;

	for (i = 0; i < pdf_nzkept; i++)
		if (pdf_zkept[i].font != NULL &&
		    strcmp(pdf_zkept[i].font, da->base_font) == 0 &&
		    pdf_zkept[i].nglyphs == da->num_glyphs &&
		    memcmp(pdf_zkept[i].glyphs, da->glyph_tbl.flgs,
		    da->num_glyphs) == 0)
			return &pdf_zkept[i];
	return NULL;
}

/* The kept subset of the font that def would embed, or NULL. */
static struct pdf_zkept *
pdf_font_find(HPDF_FontDef def)
{
	struct pdf_zkept *k;

	pthread_mutex_lock(&pdf_zlock);
	k = pdf_font_kept(def);
	pthread_mutex_unlock(&pdf_zlock);
	return k;
}

/* Keeps the subset that def has embedded into st, deflated, if there
 * is room; the entry, or NULL. */
static struct pdf_zkept *
pdf_font_keep(HPDF_FontDef def, HPDF_Stream st)
{
	HPDF_TTFontDefAttr da = (HPDF_TTFontDefAttr)def->attr;
	struct pdf_zkept *k;
	unsigned char	*z;
	size_t		 nz;

	if ((k = pdf_font_find(def)) != NULL)
		return k;
	if (!pdf_zip(st, Z_DEFAULT_COMPRESSION, &z, &nz))
		return NULL;
	pthread_mutex_lock(&pdf_zlock);
	/* Another thread may have kept it meanwhile. */
	if ((k = pdf_font_kept(def)) == NULL && pdf_nzkept < PDF_ZKEEP) {
		k = &pdf_zkept[pdf_nzkept];
		memset(k, 0, sizeof(*k));
		k->z = z;
		k->nz = nz;
		k->font = xstrdup(da->base_font);
		k->nglyphs = da->num_glyphs;
		k->glyphs = xmalloc(k->nglyphs ? k->nglyphs : 1);
		memcpy(k->glyphs, da->glyph_tbl.flgs, k->nglyphs);
		k->length1 = da->length1;
		pdf_nzkept++;
		z = NULL;
	}
	pthread_mutex_unlock(&pdf_zlock);
	free(z);
	return k;
}

/* write_fn of a FontFile2 stream whose attr is its kept entry. */
static HPDF_STATUS
pdf_font_put(HPDF_Dict dict, HPDF_Stream unused)
{
	const struct pdf_zkept *k = dict->attr;

	(void)unused;
	dict->attr = NULL;
	return pdf_zput(dict, k->z, k->nz);
}

/* A Type0 font's after_write_fn: its FontFile2 stream, when libharu
 * made it as the font was written (CIDFontType2_BeforeWrite_Func), is
 * kept by its glyphs for pdf_font_ready and written, later, deflated
 * from there (or through pdf_deflate_kept when there is no room). */
static HPDF_STATUS
pdf_font_written(HPDF_Dict font)
{
	HPDF_FontAttr	 fa = (HPDF_FontAttr)font->attr;
	HPDF_Dict	 ff;

	if (fa->fontdef->descriptor == NULL || (ff = HPDF_Dict_GetItem(
	    fa->fontdef->descriptor, "FontFile2", HPDF_OCLASS_DICT)) == NULL ||
	    ff->write_fn != NULL)
		return HPDF_OK;
	if ((ff->attr = pdf_font_keep(fa->fontdef, ff->stream)) != NULL)
		ff->write_fn = pdf_font_put;
	else
		ff->write_fn = pdf_deflate_kept;
	return HPDF_OK;
}

/*
 * Font subsets.  libharu makes a font's subset as it writes the font
 * (HPDF_TTFontDef_SaveFontData: the glyphs drawn, read from the font
 * file four bytes at a time), which costs as much again as deflating
 * it.  The subset depends only on the face, its tag and the glyphs
 * drawn, so when a subset with those is kept, pdf_font_ready makes
 * the font's descriptor here, as CIDFontType2_BeforeWrite_Func would
 * (same keys in the same order, and the same objects added in the
 * same order, so the same object numbers), with the kept bytes; libharu
 * then finds the descriptor made and goes on.  Objects made while the
 * document is written take the next numbers, font by font, so a font's
 * descriptor is made here only when those of the fonts before it are:
 * the document is the same whatever was kept.  1 when the descriptor
 * is made, 0 when libharu is to make it, -1 on an error.
 */
static int
pdf_font_ready(HPDF_Font f)
{
	HPDF_FontAttr	 fa;
	HPDF_FontDef	 def;
	HPDF_TTFontDefAttr da;
	struct pdf_zkept *k;
	HPDF_Dict	 desc, ff;
	HPDF_STATUS	 ret = HPDF_OK;

	if (f == NULL)
		return 0;
	fa = (HPDF_FontAttr)f->attr;
	def = fa->fontdef;
	da = (HPDF_TTFontDefAttr)def->attr;
	if (def->descriptor != NULL)
		return 1;
	if (def->type != HPDF_FONTDEF_TYPE_TRUETYPE || !da->embedding ||
	    (k = pdf_font_find(def)) == NULL)
		return 0;
	if ((desc = HPDF_Dict_New(f->mmgr)) == NULL)
		return -1;
	if ((ff = HPDF_DictStream_New(f->mmgr, fa->xref)) == NULL) {
		HPDF_Dict_Free(desc);
		return -1;
	}
	da->length1 = k->length1;
	ret += HPDF_Dict_Add(desc, "FontFile2", ff);
	ret += HPDF_Dict_AddNumber(ff, "Length1", (HPDF_INT32)k->length1);
	ret += HPDF_Dict_AddNumber(ff, "Length2", 0);
	ret += HPDF_Dict_AddNumber(ff, "Length3", 0);
	ff->filter = f->filter;
	ff->attr = k;
	ff->write_fn = pdf_font_put;
	ret += HPDF_Xref_Add(fa->xref, desc);
	ret += HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
	ret += HPDF_Dict_AddNumber(desc, "Ascent", def->ascent);
	ret += HPDF_Dict_AddNumber(desc, "Descent", def->descent);
	ret += HPDF_Dict_AddNumber(desc, "Flags", (HPDF_INT32)def->flags);
	ret += HPDF_Dict_Add(desc, "FontBBox", HPDF_Box_Array_New(f->mmgr,
	    def->font_bbox));
	ret += HPDF_Dict_AddName(desc, "FontName", da->base_font);
	ret += HPDF_Dict_AddNumber(desc, "ItalicAngle", def->italic_angle);
	ret += HPDF_Dict_AddNumber(desc, "StemV", def->stemv);
	ret += HPDF_Dict_AddNumber(desc, "XHeight", def->x_height);
	def->descriptor = desc;
	return ret == HPDF_OK ? 1 : -1;
}

/* Sends the streams of font f through pdf_deflate_kept. */
static void
pdf_font_deflate(HPDF_Font f)
{
	HPDF_FontAttr	 fa = (HPDF_FontAttr)f->attr;

	if (fa->map_stream != NULL)
		fa->map_stream->write_fn = pdf_deflate_kept;
	if (fa->cmap_stream != NULL)
		fa->cmap_stream->write_fn = pdf_deflate_kept;
	f->after_write_fn = pdf_font_written;
}

/* ---- fonts ---- */

/*
 * What a face draws, per UTF-16 code unit: the advance in 1/1000 em as
 * libharu measures it (HPDF_TTFontDef_GetCharWidth) and the glyph
 * (HPDF_TTFontDef_GetGlyphid, 0 when the face has none).  Built once
 * per process by pdf_font_init and only read after that, from any
 * thread: libharu finds a character's glyph
 * by a linear search of the cmap, which measuring every word with
 * HPDF_Font_TextWidth repeated thousands of times per document.
 */
struct pdf_metrics {
	uint16_t	 w[65536];
	uint16_t	 gid[65536];	/* glyph, 0: none */
};

/* A document's CIDToGIDMap covers the codes below this, or when it
 * draws one at or above it, those below 0xffff (pdf_font_fix). */
#define PDF_NARROW	0x2600

static pthread_once_t	 pdf_font_once = PTHREAD_ONCE_INIT;
static char		*pdf_font_path[2];
static char		*pdf_font_file[2];	/* the files' bytes */
static size_t		 pdf_font_size[2];
static struct pdf_metrics pdf_metrics[2];
static unsigned char	 pdf_gidmap[2][2 * PDF_NARROW]; /* pdf_font_fix */

/* The file of family:style if fontconfig has it as a TrueType file. */
static char *
pdf_font_match(const char *family, const char *style)
{
	FcPattern	*pat, *m;
	FcResult	 res;
	FcChar8		*file = NULL, *fam = NULL;
	char		*out = NULL;
	size_t		 n;

	pat = FcPatternCreate();
	FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
	FcPatternAddString(pat, FC_STYLE, (const FcChar8 *)style);
	FcConfigSubstitute(NULL, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	m = FcFontMatch(NULL, pat, &res);
	FcPatternDestroy(pat);
	if (m == NULL)
		return NULL;
	if (FcPatternGetString(m, FC_FAMILY, 0, &fam) == FcResultMatch &&
	    FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch &&
	    strcmp((const char *)fam, family) == 0 &&
	    (n = strlen((const char *)file)) > 4 &&
	    strcmp((const char *)file + n - 4, ".ttf") == 0)
		out = xstrdup((const char *)file);
	FcPatternDestroy(m);
	return out;
}

/* Fills pdf_metrics from the two fonts through libharu itself, so
 * that widths are exactly those it writes; false if it cannot. */
static bool
pdf_font_metrics(void)
{
	HPDF_Doc	 doc;
	HPDF_FontDef	 fd;
	const char	*fn;
	struct pdf_metrics *m;
	unsigned	 u, gid;
	int		 i;
	bool		 ok = true;

	if ((doc = HPDF_New(NULL, NULL)) == NULL)
		return false;
	for (i = 0; ok && i < 2; i++) {
		m = &pdf_metrics[i];
		fn = HPDF_LoadTTFontFromFile(doc, pdf_font_path[i],
		    HPDF_FALSE);
		if (fn == NULL || (fd = HPDF_GetFontDef(doc, fn)) == NULL) {
			ok = false;
			break;
		}
		for (u = 0; u < 65536; u++) {
			gid = HPDF_TTFontDef_GetGlyphid(fd, (HPDF_UINT16)u);
			m->w[u] = (uint16_t)HPDF_TTFontDef_GetGidWidth(fd,
			    (HPDF_UINT16)gid);
			m->gid[u] = (uint16_t)gid;
		}
		for (u = 5; u < PDF_NARROW; u++) {
			pdf_gidmap[i][2 * u] = (unsigned char)(m->gid[u] >> 8);
			pdf_gidmap[i][2 * u + 1] = (unsigned char)m->gid[u];
		}
	}
	HPDF_Free(doc);
	return ok;
}

static void
pdf_font_file_free(void)
{
	free(pdf_font_file[PDF_REG]);
	free(pdf_font_file[PDF_BOLD]);
	pdf_font_file[PDF_REG] = pdf_font_file[PDF_BOLD] = NULL;
}

/*
 * A face from memory.  HPDF_LoadTTFontFromFile opens the font file for
 * every document and reads its tables, and later the glyphs it embeds,
 * a few bytes at a time through stdio.  pdf_font_load reads the same
 * bytes from pdf_font_file, read once per process, through a stream
 * that behaves as libharu's file reader does (a short read is
 * HPDF_STREAM_EOF with the rest of the buffer cleared; a seek past the
 * end is allowed), and registers the face in the document as
 * LoadTTFontFromStream (hpdf_doc.c) does.
 */
struct pdf_fstream {
	const unsigned char *data;
	size_t		 size, pos;
};

static HPDF_STATUS
pdf_fstream_read(HPDF_Stream st, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
	struct pdf_fstream *f = st->attr;
	size_t		 n = f->pos < f->size ? f->size - f->pos : 0;

	if (n > *siz)
		n = *siz;
	if (n > 0)
		memcpy(ptr, f->data + f->pos, n);
	f->pos += n;
	if (n < *siz) {
		memset(ptr + n, 0, *siz - n);
		*siz = (HPDF_UINT)n;
		return HPDF_STREAM_EOF;
	}
	return HPDF_OK;
}

static HPDF_STATUS
pdf_fstream_seek(HPDF_Stream st, HPDF_INT pos, HPDF_WhenceMode mode)
{
	struct pdf_fstream *f = st->attr;
	long long	 at = pos;

	if (mode == HPDF_SEEK_CUR)
		at += (long long)f->pos;
	else if (mode == HPDF_SEEK_END)
		at += (long long)f->size;
	if (at < 0)
		return HPDF_SetError(st->error, HPDF_FILE_IO_ERROR, 0);
	f->pos = (size_t)at;
	return HPDF_OK;
}

static HPDF_INT32
pdf_fstream_tell(HPDF_Stream st)
{
	return (HPDF_INT32)((struct pdf_fstream *)st->attr)->pos;
}

static HPDF_UINT32
pdf_fstream_size(HPDF_Stream st)
{
	return (HPDF_UINT32)((struct pdf_fstream *)st->attr)->size;
}

static void
pdf_fstream_free(HPDF_Stream st)
{
	HPDF_FreeMem(st->mmgr, st->attr);
	st->attr = NULL;
}

/* pdf_font_load's result: NULL after raising libharu's error. */
static const char *
pdf_font_loaded(HPDF_Doc doc, const char *name)
{
	if (name == NULL)
		HPDF_CheckError(&doc->error);
	return name;
}

/* Loads face i into doc, embedded, as HPDF_LoadTTFontFromFile does;
 * its name, or NULL (reported to the error handler). */
static const char *
pdf_font_load(HPDF_Doc doc, int i)
{
	HPDF_Stream	 st;
	struct pdf_fstream *f;
	HPDF_FontDef	 def, dup;
	int		 k;

	if (pdf_font_file[i] == NULL)
		return HPDF_LoadTTFontFromFile(doc, pdf_font_path[i],
		    HPDF_TRUE);
	st = HPDF_GetMem(doc->mmgr, sizeof(*st));
	f = HPDF_GetMem(doc->mmgr, sizeof(*f));
	if (st == NULL || f == NULL) {
		if (st != NULL)
			HPDF_FreeMem(doc->mmgr, st);
		if (f != NULL)
			HPDF_FreeMem(doc->mmgr, f);
		return pdf_font_loaded(doc, NULL);
	}
	f->data = (const unsigned char *)pdf_font_file[i];
	f->size = pdf_font_size[i];
	f->pos = 0;
	memset(st, 0, sizeof(*st));
	st->sig_bytes = HPDF_STREAM_SIG_BYTES;
	st->type = HPDF_STREAM_FILE;
	st->error = doc->mmgr->error;
	st->mmgr = doc->mmgr;
	st->read_fn = pdf_fstream_read;
	st->seek_fn = pdf_fstream_seek;
	st->tell_fn = pdf_fstream_tell;
	st->size_fn = pdf_fstream_size;
	st->free_fn = pdf_fstream_free;
	st->attr = f;
	/* From here on, as LoadTTFontFromStream. */
	if ((def = HPDF_TTFontDef_Load(doc->mmgr, st, HPDF_TRUE)) == NULL)
		return pdf_font_loaded(doc, NULL);
	if ((dup = HPDF_Doc_FindFontDef(doc, def->base_font)) != NULL) {
		HPDF_FontDef_Free(def);
		return dup->base_font;
	}
	if (HPDF_List_Add(doc->fontdef_list, def) != HPDF_OK) {
		HPDF_FontDef_Free(def);
		return pdf_font_loaded(doc, NULL);
	}
	if (doc->ttfont_tag[0] == 0)
		memcpy(doc->ttfont_tag, "HPDFAA", 6);
	else
		for (k = 5; k >= 0; k--) {
			doc->ttfont_tag[k] += 1;
			if (doc->ttfont_tag[k] > 'Z')
				doc->ttfont_tag[k] = 'A';
			else
				break;
		}
	HPDF_TTFontDef_SetTagName(def, (char *)doc->ttfont_tag);
	return def->base_font;
}

static void
pdf_font_init(void)
{
	static const char *const fams[] = { "Liberation Sans", "DejaVu Sans" };
	size_t	 i;

	if (!FcInit())
		return;
	/* Releases fontconfig's caches at exit, so leak checkers see
	 * only our own memory. */
	atexit(FcFini);
	atexit(pdf_zkept_free);
	atexit(pdf_docs_free);
	atexit(pdf_font_file_free);
	for (i = 0; i < 2; i++) {
		pdf_font_path[PDF_REG] = pdf_font_match(fams[i], "Regular");
		pdf_font_path[PDF_BOLD] = pdf_font_match(fams[i], "Bold");
		if (pdf_font_path[PDF_REG] && pdf_font_path[PDF_BOLD] &&
		    pdf_font_metrics()) {
			pdf_font_file[PDF_REG] = util_file_read(
			    pdf_font_path[PDF_REG], &pdf_font_size[PDF_REG]);
			pdf_font_file[PDF_BOLD] = util_file_read(
			    pdf_font_path[PDF_BOLD], &pdf_font_size[PDF_BOLD]);
			return;
		}
		free(pdf_font_path[PDF_REG]);
		free(pdf_font_path[PDF_BOLD]);
		pdf_font_path[PDF_REG] = pdf_font_path[PDF_BOLD] = NULL;
		memset(pdf_metrics, 0, sizeof(pdf_metrics));
	}
}

/*
 * The next character of s[*i..len) as libharu's UTF-8 encoder reads it
 * (hpdf_encoder_utf.c): a byte that cannot start a character is
 * skipped, continuation bytes are not checked, a character past U+FFFF
 * is a space.  -1 at the end.
 */
static long
pdf_utf8_next(const char *s, size_t len, size_t *i)
{
	const unsigned char *b = (const unsigned char *)s;
	unsigned long	 v;
	size_t		 k, n;

	for (; *i < len; (*i)++) {
		if (b[*i] < 0x80)
			return b[(*i)++];
		if ((b[*i] & 0xf8) == 0xf0)
			n = 3;
		else if ((b[*i] & 0xf0) == 0xe0)
			n = 2;
		else if ((b[*i] & 0xe0) == 0xc0)
			n = 1;
		else
			continue;
		if (len - *i <= n) {
			*i = len;	/* cut short: no character */
			return -1;
		}
		k = *i;
		*i += n + 1;
		switch (n) {
		case 3:
			/* libharu leaves the second byte unmasked. */
			v = ((unsigned long)(b[k] & 0x7) << 18) +
			    ((unsigned long)b[k + 1] << 12) +
			    ((unsigned long)(b[k + 2] & 0x3f) << 6) +
			    (b[k + 3] & 0x3f);
			break;
		case 2:
			v = ((unsigned long)(b[k] & 0xf) << 12) +
			    ((unsigned long)(b[k + 1] & 0x3f) << 6) +
			    (b[k + 2] & 0x3f);
			break;
		default:
			v = ((unsigned long)(b[k] & 0x1f) << 6) +
			    (b[k + 1] & 0x3f);
			break;
		}
		return v > 0xffff ? 0x20 : (long)v;
	}
	return -1;
}

/* Width of s[0..len) in 1/1000 em in face, as HPDF_Font_TextWidth
 * gives it. */
static unsigned long
pdf_font_width(int face, const char *s, size_t len)
{
	const uint16_t	*w = pdf_metrics[face].w;
	unsigned long	 sum = 0;
	size_t		 i = 0;
	long		 c;

	while ((c = pdf_utf8_next(s, len, &i)) >= 0)
		sum += w[c];
	return sum;
}

/*
 * libharu 2.3 writes a TrueType Type0 font's widths (W) and its
 * CIDToGIDMap when the font is made (CIDFontType2_New), before any
 * text is drawn.  With the UTF-8 encoder it looks every one of the
 * 65,536 codes up in the cmap and writes a 128 KB map and the widths
 * of every character the face has, for each font of each document.
 * When the encoder's to_unicode_fn is HPDF_CMapEncoder_ToUnicode it
 * maps only the codes in its cid_map instead.  So, for the
 * HPDF_GetFont calls only, the UTF-8 encoder lists there one code (5,
 * a control character no font has) as itself, and the font is made
 * with nearly nothing; the caller then puts back the function
 * returned.  pdf_font_fix fills both in when the document is done.
 * CIDs stay the UTF-16 codes (CID = code = Unicode), so neither the
 * text nor the ToUnicode CMap changes.  The encoder keeps its parsing
 * state in cid_map[0][0..4], control codes that stay unlisted and
 * are cleared here: it is kept from one document to the next.
 */
static HPDF_Encoder_ToUnicode_Func
pdf_font_map(HPDF_Encoder enc)
{
	HPDF_Encoder_ToUnicode_Func utf8 = enc->to_unicode_fn;
	HPDF_CMapEncoderAttr a = enc->attr;

	enc->to_unicode_fn = HPDF_CMapEncoder_ToUnicode;
	memset(a->cid_map[0], 0, 5 * sizeof(a->cid_map[0][0]));
	a->cid_map[0][5] = 5;
	a->unicode_map[0][5] = 5;
	return utf8;
}

/* Notes the characters of s[0..len), as drawn in face, for
 * pdf_font_fix. */
static void
pdf_font_use(struct pdf *p, int face, const char *s, size_t len)
{
	size_t	 i = 0;
	long	 c;

	while ((c = pdf_utf8_next(s, len, &i)) >= 0) {
		p->used[face][c / 8] |= (uint8_t)(1u << (c % 8));
		if ((unsigned)c > p->top)
			p->top = (unsigned)c;
	}
}

/*
 * Fills in the widths and the CIDToGIDMap of face's font, made with
 * nearly nothing (pdf_font_map), as CIDFontType2_New would have made
 * them with every character below limit mapped: the map is the same
 * bytes (the code's glyph, 0 for codes below 5 and those the face
 * lacks), so its deflated form is kept from one document to the next
 * (pdf_deflate_kept); W, in the same runs, lists the characters the
 * document draws, the only CIDs its text shows: a character it does
 * not draw is drawn nowhere, and DW covers it.  0, or -1 on a libharu
 * error.
 */
static int
pdf_font_fix(struct pdf *p, int face, unsigned limit)
{
	HPDF_FontAttr	 fa = (HPDF_FontAttr)p->font[face]->attr;
	const struct pdf_metrics *m = &pdf_metrics[face];
	const uint8_t	*used = p->used[face];
	HPDF_Array	 w, run = NULL;
	HPDF_Stream	 st;
	HPDF_STATUS	 ret = HPDF_OK;
	unsigned	 u;
	int		 dw = fa->fontdef->missing_width;
	unsigned char	 be[2];

	if (fa->descendant_font == NULL || fa->map_stream == NULL ||
	    (w = HPDF_Dict_GetItem(fa->descendant_font, "W",
	    HPDF_OCLASS_ARRAY)) == NULL)
		return -1;
	HPDF_Array_Clear(w);
	for (u = 0; u < limit && ret == HPDF_OK; u++) {
		if (used[u / 8] == 0 && u % 8 == 0 && u + 8 <= limit) {
			u += 7;
			run = NULL;
			continue;
		}
		if (!((used[u / 8] >> (u % 8)) & 1) || m->w[u] == dw) {
			run = NULL;
			continue;
		}
		if (run == NULL) {
			ret += HPDF_Array_AddNumber(w, (HPDF_INT32)u);
			if ((run = HPDF_Array_New(w->mmgr)) == NULL ||
			    HPDF_Array_Add(w, run) != HPDF_OK)
				return -1;
		}
		ret += HPDF_Array_AddNumber(run, m->w[u]);
	}
	if (ret != HPDF_OK)
		return -1;
	st = fa->map_stream->stream;
	HPDF_MemStream_FreeData(st);
	pdf_mem_fast(st);
	if (limit == PDF_NARROW)
		return HPDF_Stream_Write(st, pdf_gidmap[face],
		    sizeof(pdf_gidmap[face])) == HPDF_OK ? 0 : -1;
	for (u = 0; u < limit && ret == HPDF_OK; u++) {
		be[0] = u < 5 ? 0 : (unsigned char)(m->gid[u] >> 8);
		be[1] = u < 5 ? 0 : (unsigned char)m->gid[u];
		ret = HPDF_Stream_Write(st, be, 2);
	}
	return ret == HPDF_OK ? 0 : -1;
}

/*
 * Documents.  A libharu document object outlives the documents made
 * with it: HPDF_NewDoc (after HPDF_FreeDoc) starts a new one and keeps
 * its encoders and font definitions.  Making them is a tenth of the
 * cost of a briefing: the UTF-8 encoder clears and fills 256 KB of
 * tables a byte at a time, and the faces' tables are parsed.  So a
 * document object, with its faces loaded and its encoder made, is
 * kept when a document is done (pdf_doc_put) and taken for the next
 * one (pdf_doc_get) in any thread, one for each document being made
 * at once.  Nothing else is kept: HPDF_FreeDoc
 * frees every object of the document, clears the faces' glyphs used
 * and their descriptors, and the faces keep the subset tags they were
 * given when loaded, so a document is the same made either way.  An
 * object whose document failed is not kept.  Freed at exit.
 */
#define PDF_DOCS	16

static struct pdf_doc	 pdf_docs[PDF_DOCS];
static size_t		 pdf_ndocs;

static void
pdf_docs_free(void)
{
	while (pdf_ndocs > 0)
		HPDF_Free(pdf_docs[--pdf_ndocs].doc);
}

/* A kept document object into *d, started afresh with its errors
 * going to p; false when none is kept. */
static bool
pdf_doc_get(struct pdf *p, struct pdf_doc *d)
{
	bool	 found = false;

	pthread_mutex_lock(&pdf_zlock);
	if (pdf_ndocs > 0) {
		*d = pdf_docs[--pdf_ndocs];
		found = true;
	}
	pthread_mutex_unlock(&pdf_zlock);
	if (!found)
		return false;
	d->doc->error.user_data = p;
	if (HPDF_NewDoc(d->doc) != HPDF_OK) {
		HPDF_Free(d->doc);
		return false;
	}
	return true;
}

/* Keeps d's document object for the next document, else frees it. */
static void
pdf_doc_put(const struct pdf_doc *d)
{
	bool	 kept = false;

	HPDF_FreeDoc(d->doc);
	pthread_mutex_lock(&pdf_zlock);
	if (pdf_ndocs < PDF_DOCS) {
		pdf_docs[pdf_ndocs++] = *d;
		kept = true;
	}
	pthread_mutex_unlock(&pdf_zlock);
	if (!kept)
		HPDF_Free(d->doc);
}

/* ---- document ---- */

static void
pdf_on_error(HPDF_STATUS err, HPDF_STATUS detail, void *arg)
{
	struct pdf	*p = arg;

	if (p->err == 0) {
		p->err = err;
		p->detail = detail;
	}
}

static unsigned
pdf_rgb(const char *s, unsigned dflt)
{
	unsigned	 v;

	return s != NULL && chart_colour_parse(s, &v) ? v : dflt;
}

/*
 * The graphics state setters below write an operator only when the
 * page's state (libharu keeps it, through q and Q) differs: a colour,
 * font or width set again is bytes to write and to compress.
 *
 * The operators set most often, a text object's colour, font and
 * matrix, are written as libharu writes them (hpdf_page_operator.c),
 * the same bytes and the same state kept, without what costs most
 * there: each call clears a 512-byte buffer a byte at a time first.
 * pdf_op writes numbers v[0..n) and operator op when the page is in
 * one of the graphics modes in modes (else libharu's error); 0, or -1.
 */
static int
pdf_op(struct pdf *p, HPDF_UINT16 modes, const HPDF_REAL *v, size_t n,
    const char *op)
{
	HPDF_PageAttr	 pa;
	char		 b[160], *s = b, *e = b + sizeof(b) - 1;
	size_t		 i, k = strlen(op);

	if (HPDF_Page_CheckState(p->page, modes) != HPDF_OK)
		return -1;
	pa = (HPDF_PageAttr)p->page->attr;
	for (i = 0; i < n && e - s > 24; i++) {
		s = HPDF_FToA(s, v[i], e);
		*s++ = ' ';
	}
	if ((size_t)(e - s) < k + 1)
		return -1;
	memcpy(s, op, k);
	s[k] = '\n';
	if (HPDF_Stream_Write(pa->stream, (const HPDF_BYTE *)b,
	    (HPDF_UINT)(s + k + 1 - b)) != HPDF_OK) {
		HPDF_CheckError(p->page->error);
		return -1;
	}
	return 0;
}

/* HPDF_Page_SetRGBFill (stroke false) or HPDF_Page_SetRGBStroke. */
static void
pdf_rgb_set(struct pdf *p, HPDF_RGBColor c, bool stroke)
{
	HPDF_GState	 gs;
	HPDF_REAL	 v[3] = { c.r, c.g, c.b };

	if (pdf_op(p, HPDF_GMODE_TEXT_OBJECT | HPDF_GMODE_PAGE_DESCRIPTION,
	    v, 3, stroke ? "RG" : "rg") == -1)
		return;
	gs = ((HPDF_PageAttr)p->page->attr)->gstate;
	if (stroke) {
		gs->rgb_stroke = c;
		gs->cs_stroke = HPDF_CS_DEVICE_RGB;
	} else {
		gs->rgb_fill = c;
		gs->cs_fill = HPDF_CS_DEVICE_RGB;
	}
}

/* HPDF_Page_SetTextMatrix. */
static void
pdf_text_matrix(struct pdf *p, HPDF_REAL a, HPDF_REAL b, HPDF_REAL c,
    HPDF_REAL d, HPDF_REAL x, HPDF_REAL y)
{
	HPDF_PageAttr	 pa;
	HPDF_REAL	 v[6] = { a, b, c, d, x, y };

	if (pdf_op(p, HPDF_GMODE_TEXT_OBJECT, v, 6, "Tm") == -1)
		return;
	pa = (HPDF_PageAttr)p->page->attr;
	pa->text_matrix.a = a;
	pa->text_matrix.b = b;
	pa->text_matrix.c = c;
	pa->text_matrix.d = d;
	pa->text_matrix.x = x;
	pa->text_matrix.y = y;
	pa->text_pos.x = x;
	pa->text_pos.y = y;
}

/* HPDF_Page_MoveTextPos. */
static void
pdf_text_move(struct pdf *p, HPDF_REAL x, HPDF_REAL y)
{
	HPDF_PageAttr	 pa;
	HPDF_REAL	 v[2] = { x, y };

	if (pdf_op(p, HPDF_GMODE_TEXT_OBJECT, v, 2, "Td") == -1)
		return;
	pa = (HPDF_PageAttr)p->page->attr;
	pa->text_matrix.x += x * pa->text_matrix.a + y * pa->text_matrix.c;
	pa->text_matrix.y += y * pa->text_matrix.d + x * pa->text_matrix.b;
	pa->text_pos.x = pa->text_matrix.x;
	pa->text_pos.y = pa->text_matrix.y;
}

static HPDF_RGBColor
pdf_colour(unsigned rgb)
{
	HPDF_RGBColor	 c;

	c.r = (float)((rgb >> 16) & 255) / 255.0f;
	c.g = (float)((rgb >> 8) & 255) / 255.0f;
	c.b = (float)(rgb & 255) / 255.0f;
	return c;
}

static bool
pdf_colour_eq(HPDF_RGBColor a, HPDF_RGBColor b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b;
}

static void
pdf_fill(struct pdf *p, unsigned rgb)
{
	HPDF_RGBColor	 c = pdf_colour(rgb);

	if (HPDF_Page_GetFillingColorSpace(p->page) != HPDF_CS_DEVICE_RGB ||
	    !pdf_colour_eq(HPDF_Page_GetRGBFill(p->page), c))
		pdf_rgb_set(p, c, false);
}

static void
pdf_stroke(struct pdf *p, unsigned rgb)
{
	HPDF_RGBColor	 c = pdf_colour(rgb);

	if (HPDF_Page_GetStrokingColorSpace(p->page) != HPDF_CS_DEVICE_RGB ||
	    !pdf_colour_eq(HPDF_Page_GetRGBStroke(p->page), c))
		pdf_rgb_set(p, c, true);
}

static void
pdf_line_width(struct pdf *p, double w)
{
	if (HPDF_Page_GetLineWidth(p->page) != (float)w)
		HPDF_Page_SetLineWidth(p->page, (float)w);
}

/*
 * Paths.  A daily chart line has 1,095 points, and libharu 2.3 spends
 * more on each HPDF_Page_LineTo (it clears a 512-byte buffer a byte at
 * a time, then converts two floats) than the rest of the page costs.
 * So paths are formatted here, into p->path, and written with their
 * painting operator into the page's content stream in one
 * HPDF_Stream_Write: begun and painted within the one write, a path
 * leaves libharu's graphics mode and state as they were.  Coordinates
 * are whole hundredths of a point, far below what a printer or screen
 * shows, and a lineto that only carries a straight segment on in the
 * same direction (a run of zeros, a flat target) is merged into the
 * next: the path draws the same.
 */
static long long
pdf_path_round(const struct pdf *p, double v, int axis)
{
	long long	 n;

	if (p->framed) {
		/* Whole frame units, written as n * 100 hundredths. */
		v = isfinite(v) ? (v - p->org[axis]) * PDF_FRAME_K : 0;
		v = v > 32767 ? 32767 : v < -32767 ? -32767 : v;
	} else {
		/* libharu's limits for a real (HPDF_LIMIT_MAX_REAL). */
		v = isfinite(v) ? v : 0;
		v = v > 32767 ? 32767 : v < -32767 ? -32767 : v;
		v *= 100;
	}
	/* Half away from zero, as llround, which is a call: a chart line
	 * has thousands of points. */
	n = v < 0 ? -(long long)(0.5 - v) : (long long)(v + 0.5);
	return p->framed ? n * 100 : n;
}

/* Writes n hundredths and a space at s (room for 24 bytes); the
 * length.  Straight into place, two digits at a time: a chart line is
 * thousands of them. */
static size_t
pdf_path_fmt(char *s, long long n)
{
	static const char pairs[] =
	    "00010203040506070809101112131415161718192021222324"
	    "25262728293031323334353637383940414243444546474849"
	    "50515253545556575859606162636465666768697071727374"
	    "75767778798081828384858687888990919293949596979899";
	unsigned long long u, v;
	unsigned	 f;
	size_t		 len;
	char		*t;

	u = n < 0 ? (unsigned long long)-n : (unsigned long long)n;
	f = (unsigned)(u % 100);
	u /= 100;
	len = (n < 0) + 1 + (f == 0 ? 0 : f % 10 == 0 ? 2 : 3) + 1;
	for (v = u; v >= 10; v /= 10)
		len++;
	t = s + len;
	*--t = ' ';
	if (f != 0) {
		if (f % 10 != 0)
			*--t = pairs[2 * f + 1];
		*--t = pairs[2 * f];
		*--t = '.';
	}
	while (u >= 100) {
		f = (unsigned)(u % 100);
		u /= 100;
		*--t = pairs[2 * f + 1];
		*--t = pairs[2 * f];
	}
	if (u >= 10) {
		*--t = pairs[2 * u + 1];
		*--t = pairs[2 * u];
	} else
		*--t = (char)('0' + u);
	if (n < 0)
		*--t = '-';
	return len;
}

/* Appends n hundredths and a space to p->path. */
static void
pdf_path_put(struct pdf *p, long long n)
{
	buf_commit(&p->path, pdf_path_fmt(buf_reserve(&p->path, 24), n));
}

/* Appends the point q and the operator op (at most 2 bytes) to
 * p->path. */
static void
pdf_path_op(struct pdf *p, const long long q[2], const char *op)
{
	char	*s = buf_reserve(&p->path, 64);
	size_t	 k;

	k = pdf_path_fmt(s, q[0]);
	k += pdf_path_fmt(s + k, q[1]);
	s[k++] = op[0];
	if (op[1] != '\0')
		s[k++] = op[1];
	s[k++] = '\n';
	buf_commit(&p->path, k);
}

/* Writes the lineto held back by pdf_path_pt, if any. */
static void
pdf_path_flush(struct pdf *p)
{
	if (!p->held)
		return;
	p->held = false;
	pdf_path_op(p, p->pend, "l");
	p->last[0] = p->pend[0];
	p->last[1] = p->pend[1];
}

/* Appends the number v (an operand of "re" or "c") to p->path. */
static void
pdf_path_num(struct pdf *p, double v)
{
	pdf_path_flush(p);
	pdf_path_put(p, pdf_path_round(p, v, 0));
}

/* Appends the point (x, y) and the operator op ("m", "l", "re", "c")
 * to p->path.  A lineto is held back until the next point shows
 * whether it bends the line. */
static void
pdf_path_pt(struct pdf *p, double x, double y, const char *op)
{
	long long	 q[2] = { pdf_path_round(p, x, 0),
			    pdf_path_round(p, y, 1) };
	long long	 ax, ay, bx, by;
	bool		 line = strcmp(op, "l") == 0;

	if (line && p->open) {
		if (p->held) {
			ax = p->pend[0] - p->last[0];
			ay = p->pend[1] - p->last[1];
			bx = q[0] - p->pend[0];
			by = q[1] - p->pend[1];
			/* Straight on: no turn and no way back. */
			if (ax * by == ay * bx && ax * bx + ay * by >= 0) {
				p->pend[0] = q[0];
				p->pend[1] = q[1];
				return;
			}
			pdf_path_flush(p);
		}
		p->pend[0] = q[0];
		p->pend[1] = q[1];
		p->held = true;
		return;
	}
	pdf_path_flush(p);
	pdf_path_op(p, q, op);
	p->open = line || strcmp(op, "m") == 0;
	p->last[0] = q[0];
	p->last[1] = q[1];
}

/* Closes the subpath in p->path. */
static void
pdf_path_close(struct pdf *p)
{
	pdf_path_flush(p);
	buf_puts(&p->path, "h\n");
	p->open = false;
}

/* Paints p->path with op ("S", "f") into the page, and empties it. */
static void
pdf_path_paint(struct pdf *p, const char *op)
{
	HPDF_PageAttr	 pa = (HPDF_PageAttr)p->page->attr;
	HPDF_STATUS	 st;

	pdf_path_flush(p);
	p->open = false;
	if (p->framed) {
		p->framed = false;
		/* Nothing drawn: the frame's q .. cm, and no Q. */
		if (p->path.len == p->frame_len) {
			p->path.len = 0;
			return;
		}
		buf_puts(&p->path, op);
		buf_puts(&p->path, "\nQ\n");
	} else {
		if (p->path.len == 0)
			return;
		buf_puts(&p->path, op);
		buf_putc(&p->path, '\n');
	}
	if (HPDF_Page_GetGMode(p->page) != HPDF_GMODE_PAGE_DESCRIPTION)
		st = HPDF_INVALID_OPERATION;
	else
		st = HPDF_Stream_Write(pa->stream,
		    (const HPDF_BYTE *)p->path.data, (HPDF_UINT)p->path.len);
	if (st != HPDF_OK && p->err == 0)
		p->err = st;
	p->path.len = 0;
}

/* Appends a circle as libharu draws one (HPDF_Page_Circle): four
 * Bezier quarters, from the left. */
static void
pdf_path_circle(struct pdf *p, double x, double y, double r)
{
	const double	 k = 0.552 * r;

	pdf_path_pt(p, x - r, y, "m");
	pdf_path_num(p, x - r);
	pdf_path_num(p, y + k);
	pdf_path_num(p, x - k);
	pdf_path_num(p, y + r);
	pdf_path_pt(p, x, y + r, "c");
	pdf_path_num(p, x + k);
	pdf_path_num(p, y + r);
	pdf_path_num(p, x + r);
	pdf_path_num(p, y + k);
	pdf_path_pt(p, x + r, y, "c");
	pdf_path_num(p, x + r);
	pdf_path_num(p, y - k);
	pdf_path_num(p, x + k);
	pdf_path_num(p, y - r);
	pdf_path_pt(p, x, y - r, "c");
	pdf_path_num(p, x - k);
	pdf_path_num(p, y - r);
	pdf_path_num(p, x - r);
	pdf_path_num(p, y - k);
	pdf_path_pt(p, x - r, y, "c");
}

static void
pdf_dash_none(struct pdf *p)
{
	if (HPDF_Page_GetDash(p->page).num_ptn != 0)
		HPDF_Page_SetDash(p->page, NULL, 0, 0);
}

static void
pdf_hline(struct pdf *p, double x0, double x1, double y, double w,
    unsigned rgb)
{
	pdf_stroke(p, rgb);
	pdf_line_width(p, w);
	pdf_dash_none(p);
	pdf_path_pt(p, x0, y, "m");
	pdf_path_pt(p, x1, y, "l");
	pdf_path_paint(p, "S");
}

static void
pdf_rect(struct pdf *p, double x, double y, double w, double h,
    unsigned rgb)
{
	pdf_fill(p, rgb);
	pdf_path_num(p, x);
	pdf_path_num(p, y);
	pdf_path_pt(p, w, h, "re");
	pdf_path_paint(p, "f");
}

static void
pdf_new_page(struct pdf *p)
{
	p->page = HPDF_AddPage(p->doc);
	if (p->page != NULL) {
		((HPDF_PageAttr)p->page->attr)->contents->write_fn =
		    pdf_deflate_page;
		pdf_mem_fast(((HPDF_PageAttr)p->page->attr)->stream);
	}
	HPDF_Page_SetWidth(p->page, (float)PDF_PW);
	HPDF_Page_SetHeight(p->page, (float)PDF_PH);
	p->pages = xreallocarray(p->pages, p->npages + 1, sizeof(*p->pages));
	p->foot = xreallocarray(p->foot, p->npages + 1, sizeof(*p->foot));
	p->pages[p->npages] = p->page;
	p->foot[p->npages] = xstrdup(p->foot_now ? p->foot_now : "");
	p->npages++;
	p->y = PDF_TOP;
}

/* Starts a new page unless h points fit below the cursor (or the
 * cursor is at the top already). */
static void
pdf_need(struct pdf *p, double h)
{
	if (p->y - h < PDF_BOTTOM && p->y < PDF_TOP - 1)
		pdf_new_page(p);
}

static void
pdf_set_foot(struct pdf *p, const char *s)
{
	free(p->foot_now);
	p->foot_now = xstrdup(s);
}

/* Sets up p and its document; -1 (reported) if fonts are missing. */
static int
pdf_open(struct pdf *p, const struct pack *pack,
    const struct chart_palette *pal, const char *name)
{
	HPDF_Encoder	 enc;
	HPDF_Encoder_ToUnicode_Func utf8 = NULL;
	const char	*fn;
	int		 i;
	int		 y;
	unsigned	 mo, d;

	memset(p, 0, sizeof(*p));
	p->pack = pack;
	p->pal = pal;
	buf_init(&p->tmp);
	buf_init(&p->path);
	buf_init(&p->hex);
	pthread_once(&pdf_font_once, pdf_font_init);
	if (pdf_font_path[PDF_REG] == NULL) {
		diag_error(name, 0, 0, "no TrueType font found: install "
		    "fonts-liberation or fonts-dejavu-core");
		return -1;
	}
	p->ink = pdf_rgb(pal->colour[CHART_ROLE_TEXT], 0x212b32);
	p->muted = pdf_rgb(pal->colour[CHART_ROLE_AXIS], 0x4c6272);
	p->accent = pdf_rgb(pal->colour[CHART_ROLE_DEMAND], 0x005eb8);
	p->rule = pdf_rgb(pal->colour[CHART_ROLE_GRID], 0xd8dde0);
	p->tint = 0xf0f4f5;
	if (pdf_doc_get(p, &p->kept))
		p->doc = p->kept.doc;
	else {
		p->doc = HPDF_NewEx(pdf_on_error, NULL, NULL, 0, p);
		if (p->doc == NULL) {
			diag_error(name, 0, 0, "cannot start a PDF document");
			return -1;
		}
		p->kept.doc = p->doc;
		HPDF_UseUTFEncodings(p->doc);
		for (i = 0; i < 2; i++)
			p->kept.face[i] = pdf_font_load(p->doc, i);
	}
	HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL);
	HPDF_SetCurrentEncoder(p->doc, "UTF-8");
	if ((enc = HPDF_GetEncoder(p->doc, "UTF-8")) != NULL)
		utf8 = pdf_font_map(enc);
	for (i = 0; i < 2; i++) {
		fn = p->kept.face[i];
		p->font[i] = fn ? HPDF_GetFont(p->doc, fn, "UTF-8") : NULL;
		if (p->font[i] != NULL)
			pdf_font_deflate(p->font[i]);
	}
	if (enc != NULL)
		enc->to_unicode_fn = utf8;
	p->measure.width = pdf_measure;
	p->measure.arg = p;
	p->day = INT64_MIN;
	if (pack->date != NULL && util_day_parse(pack->date, &p->day)) {
		util_civil_from_days(p->day, &y, &mo, &d);
		snprintf(p->date_label, sizeof(p->date_label), "%u %s %d", d,
		    pdf_months[mo - 1], y);
	}
	return p->err ? -1 : 0;
}

static void
pdf_close(struct pdf *p)
{
	size_t	 i;

	/* Kept only when all went well: libharu's state is then known. */
	if (p->doc != NULL && p->err == 0 && p->font[PDF_REG] != NULL &&
	    p->font[PDF_BOLD] != NULL)
		pdf_doc_put(&p->kept);
	else if (p->doc != NULL)
		HPDF_Free(p->doc);
	for (i = 0; i < p->npages; i++)
		free(p->foot[i]);
	free(p->foot);
	free(p->pages);
	free(p->foot_now);
	while (p->npre > 0)
		chart_free(p->pre[--p->npre]);
	for (i = 0; i < p->ntoc; i++)
		free(p->toc[i].title);
	free(p->toc);
	buf_clear(&p->tmp);
	buf_clear(&p->path);
	buf_clear(&p->hex);
}

/* ---- text ---- */

static HPDF_Font
pdf_face(const struct pdf *p, bool bold)
{
	return p->font[bold ? PDF_BOLD : PDF_REG];
}

static double
pdf_width(struct pdf *p, bool bold, const char *s, size_t len, double size)
{
	(void)p;
	return (double)pdf_font_width(bold ? PDF_BOLD : PDF_REG, s, len) *
	    size / 1000.0;
}

/* pdf_width for layout.h: arg is the struct pdf. */
static double
pdf_measure(void *arg, bool bold, const char *s, size_t len, double size)
{
	return pdf_width(arg, bold, s, len, size);
}

static void
pdf_font(struct pdf *p, bool bold, double size)
{
	HPDF_Font	 f = pdf_face(p, bold);
	HPDF_PageAttr	 pa;
	HPDF_REAL	 v = (float)size;
	const char	*name;

	if (HPDF_Page_GetCurrentFont(p->page) == f &&
	    HPDF_Page_GetCurrentFontSize(p->page) == v)
		return;
	/* HPDF_Page_SetFontAndSize, as pdf_op. */
	if (HPDF_Page_CheckState(p->page, HPDF_GMODE_PAGE_DESCRIPTION |
	    HPDF_GMODE_TEXT_OBJECT) != HPDF_OK)
		return;
	pa = (HPDF_PageAttr)p->page->attr;
	if (f == NULL || (name = HPDF_Page_GetLocalFontName(p->page, f)) ==
	    NULL) {
		if (p->err == 0)
			p->err = HPDF_PAGE_INVALID_FONT;
		return;
	}
	if (HPDF_Stream_WriteEscapeName(pa->stream, name) != HPDF_OK ||
	    HPDF_Stream_Write(pa->stream, (const HPDF_BYTE *)" ", 1) !=
	    HPDF_OK) {
		HPDF_CheckError(p->page->error);
		return;
	}
	if (pdf_op(p, HPDF_GMODE_PAGE_DESCRIPTION | HPDF_GMODE_TEXT_OBJECT,
	    &v, 1, "Tf") == -1)
		return;
	pa->gstate->font = f;
	pa->gstate->font_size = v;
	pa->gstate->writing_mode = ((HPDF_FontAttr)f->attr)->writing_mode;
}

/*
 * HPDF_Page_ShowText of s, a string in face (the current font), as
 * libharu shows it (the same bytes and state), at a tenth of the cost:
 * libharu measures the string through the encoder a byte at a time and
 * finds each glyph by a linear search of the cmap, then encodes it
 * again.  Here the UTF-16 codes (pdf_utf8_next) give the width and the
 * glyphs from pdf_metrics, and go out as hex; a glyph the document has
 * not drawn yet is still measured by libharu (HPDF_TTFontDef_GetCharWidth),
 * which marks it, and the glyphs of a composite one, for the subset.
 * The characters are noted for pdf_font_fix.
 */
static void
pdf_show_text(struct pdf *p, int face, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	HPDF_PageAttr	 pa;
	const struct pdf_metrics *m = &pdf_metrics[face];
	HPDF_FontDef	 def;
	HPDF_BYTE	*flgs;
	HPDF_REAL	 tw;
	size_t		 len = strlen(s), i = 0;
	unsigned long	 width = 0;
	unsigned	 gid;
	char		*o;
	long		 c;

	if (HPDF_Page_CheckState(p->page, HPDF_GMODE_TEXT_OBJECT) != HPDF_OK)
		return;
	pa = (HPDF_PageAttr)p->page->attr;
	/* Anything else as libharu does it. */
	if (len == 0 || len > HPDF_LIMIT_MAX_STRING_LEN ||
	    p->font[face] == NULL || pa->gstate->font != p->font[face] ||
	    pa->gstate->word_space != 0 || pa->gstate->char_space != 0) {
		HPDF_Page_ShowText(p->page, s);
		return;
	}
	def = ((HPDF_FontAttr)p->font[face]->attr)->fontdef;
	flgs = ((HPDF_TTFontDefAttr)def->attr)->glyph_tbl.flgs;
	pdf_font_use(p, face, s, len);
	p->hex.len = 0;
	buf_reserve(&p->hex, 4 * len + 8);
	o = p->hex.data;
	*o++ = '<';
	while ((c = pdf_utf8_next(s, len, &i)) >= 0) {
		width += m->w[c];
		gid = m->gid[c];
		if (!flgs[gid])
			HPDF_TTFontDef_GetCharWidth(def, (HPDF_UINT16)c);
		o[0] = hex[(c >> 12) & 15];
		o[1] = hex[(c >> 8) & 15];
		o[2] = hex[(c >> 4) & 15];
		o[3] = hex[c & 15];
		o += 4;
	}
	/* HPDF_Page_TextWidth; libharu shows nothing of no width. */
	tw = width * pa->gstate->font_size / 1000;
	if (tw == 0)
		return;
	memcpy(o, "> Tj\n", 5);
	o += 5;
	if (HPDF_Stream_Write(pa->stream, (const HPDF_BYTE *)p->hex.data,
	    (HPDF_UINT)(o - p->hex.data)) != HPDF_OK) {
		HPDF_CheckError(p->page->error);
		return;
	}
	pa->text_pos.x += tw * pa->text_matrix.a;
	pa->text_pos.y += tw * pa->text_matrix.b;
}

/*
 * Shows p->tmp inside a text object, its baseline starting at (x, y);
 * with *tx (the start of the string before, NAN: none) a move from it
 * rather than a new text matrix.  Notes the highest character drawn
 * for pdf_finish.
 */
static void
pdf_put(struct pdf *p, double x, double y, bool bold, bool italic,
    double size, unsigned rgb, double *tx)
{
	if (p->tmp.len == 0)
		return;
	pdf_font(p, bold, size);
	pdf_fill(p, rgb);
	if (tx != NULL && !isnan(*tx))
		pdf_text_move(p, (float)(x - *tx), 0);
	else
		pdf_text_matrix(p, 1, 0,
		    italic ? (float)PDF_SKEW : 0, 1, (float)x, (float)y);
	if (tx != NULL)
		*tx = x;
	pdf_show_text(p, bold ? PDF_BOLD : PDF_REG, p->tmp.data);
}

/* Draws s (len bytes) with its baseline start at (x, y). */
static void
pdf_show(struct pdf *p, double x, double y, const char *s, size_t len,
    bool bold, bool italic, double size, unsigned rgb)
{
	p->tmp.len = 0;
	buf_put(&p->tmp, s, len);
	if (p->tmp.data == NULL || p->tmp.len == 0)
		return;
	HPDF_Page_BeginText(p->page);
	pdf_put(p, x, y, bold, italic, size, rgb, NULL);
	HPDF_Page_EndText(p->page);
}

/* One line of plain text, anchored at x by align (left/center/right). */
static double
pdf_say(struct pdf *p, double x, double y, const char *s, bool bold,
    double size, unsigned rgb, enum layout_align align)
{
	double	 w = pdf_width(p, bold, s, strlen(s), size);

	if (align == LAYOUT_RIGHT)
		x -= w;
	else if (align == LAYOUT_CENTER)
		x -= w / 2;
	pdf_show(p, x, y, s, strlen(s), bold, false, size, rgb);
	return w;
}

/* Splits mt into measured words (layout_text_init with p's fonts). */
static void
pdf_text_init(struct pdf *p, struct layout_text *t, const struct md_text *mt,
    double size, double lead, bool bold, unsigned rgb)
{
	layout_text_init(t, mt, size, lead, bold, rgb, &p->measure);
}

/* Whether atom b, after a on a line whose gaps are widened by extra,
 * goes into a's string: same face, slant and colour, and either
 * straight after a or after a space as wide as the one the font draws
 * (not widened, in the paragraph's face). */
static bool
pdf_atom_joins(const struct layout_text *t, const struct layout_atom *a,
    const struct layout_atom *b, double extra)
{
	unsigned	 look = MD_RUN_BOLD | MD_RUN_ITALIC | MD_RUN_LINK;

	if ((a->style & look) != (b->style & look))
		return false;
	return !b->sp || (extra == 0 && (t->bold ||
	    (b->style & MD_RUN_BOLD) == 0));
}

/*
 * Draws line k of t in the box [x, x + width] starting at top: the
 * shading of code, then the words in one text object (a string for
 * each run of words pdf_atom_joins), then the rules of links and
 * struck words, and the links.
 */
static void
pdf_line_draw(struct pdf *p, const struct layout_text *t, size_t k, double x,
    double top, double width, enum layout_align align)
{
	const struct layout_line *ln = &t->lines[k];
	const struct layout_atom *a, *b;
	double		 extra, base = layout_baseline(t, top), x0, ax, w;
	double		 tx = NAN;
	size_t		 i, j;
	unsigned	 rgb;
	bool		 italic, slant = false;

	x0 = layout_line_start(t, k, x, width, align, &extra);
	for (x = x0, i = ln->a0; i < ln->a1; i++) {
		a = &t->v[i];
		if (i > ln->a0 && a->sp)
			x += t->spw + extra;
		if (a->style & MD_RUN_CODE)
			pdf_rect(p, x - 1, base - t->size * 0.25, a->w + 2,
			    t->size * 1.15, p->tint);
		x += a->w;
	}
	HPDF_Page_BeginText(p->page);
	for (x = x0, i = ln->a0; i < ln->a1; i = j) {
		a = &t->v[i];
		if (i > ln->a0 && a->sp)
			x += t->spw + extra;
		p->tmp.len = 0;
		buf_put(&p->tmp, a->s, a->len);
		w = a->w;
		for (j = i + 1; j < ln->a1 &&
		    pdf_atom_joins(t, a, &t->v[j], extra); j++) {
			b = &t->v[j];
			if (b->sp) {
				buf_putc(&p->tmp, ' ');
				w += t->spw;
			}
			buf_put(&p->tmp, b->s, b->len);
			w += b->w;
		}
		italic = (a->style & MD_RUN_ITALIC) != 0;
		if (italic != slant)
			tx = NAN;
		slant = italic;
		pdf_put(p, x, base, t->bold || (a->style & MD_RUN_BOLD), italic,
		    t->size, a->style & MD_RUN_LINK ? p->accent : t->rgb,
		    &tx);
		x += w;
	}
	HPDF_Page_EndText(p->page);
	for (x = x0, i = ln->a0; i < ln->a1; i++) {
		a = &t->v[i];
		if (i > ln->a0 && a->sp)
			x += t->spw + extra;
		rgb = a->style & MD_RUN_LINK ? p->accent : t->rgb;
		ax = x;
		x += a->w;
		if (a->style & MD_RUN_STRIKE)
			pdf_hline(p, ax, x, base + t->size * 0.3, 0.6, rgb);
		if (a->style & MD_RUN_LINK) {
			pdf_hline(p, ax, x + (i + 1 < ln->a1 &&
			    t->v[i + 1].sp && (t->v[i + 1].style &
			    MD_RUN_LINK) ? t->spw + extra : 0),
			    base - t->size * 0.15, 0.5, rgb);
			if (a->url != NULL) {
				HPDF_Rect	 rc = { (float)ax,
				    (float)(base - t->size * 0.25), (float)x,
				    (float)(base + t->size * 0.9) };
				HPDF_Annotation	 an;

				an = HPDF_Page_CreateURILinkAnnot(p->page, rc,
				    a->url);
				HPDF_LinkAnnot_SetBorderStyle(an, 0, 0, 0);
			}
		}
	}
}

/*
 * Flows a paragraph from the cursor: lines at [x, x + width], page
 * breaks with at least two lines on each side when it can (widow and
 * orphan control).  marker (may be NULL) is drawn right-aligned before
 * the first line; bar draws a quote rule at bar_x beside every line.
 */
static void
pdf_flow(struct pdf *p, struct layout_text *t, double x, double width,
    enum layout_align align, const char *marker, double bar_x, bool bar)
{
	size_t	 k = 0, fit;

	layout_text_break(t, width);
	while (k < t->nlines) {
		fit = layout_fit(p->y, PDF_TOP, PDF_BOTTOM, t->lead, k,
		    t->nlines - k);
		if (fit == 0) {
			pdf_new_page(p);
			continue;
		}
		for (; fit > 0; fit--, k++) {
			if (bar)
				pdf_rect(p, bar_x, p->y - t->lead, 2.5,
				    t->lead, p->rule);
			if (k == 0 && marker != NULL)
				pdf_say(p, x - 5, layout_baseline(t, p->y),
				    marker, false, t->size, t->rgb,
				    LAYOUT_RIGHT);
			pdf_line_draw(p, t, k, x, p->y, width, align);
			p->y -= t->lead;
		}
		if (k < t->nlines)
			pdf_new_page(p);
	}
}

/* A paragraph of plain text s (one style) from the cursor. */
static void
pdf_plain(struct pdf *p, const char *s, unsigned style, double x,
    double width, double size, double lead, bool bold, unsigned rgb,
    enum layout_align align)
{
	struct md_run	 r = { (char *)s, style, NULL };
	struct md_text	 mt = { &r, 1 };
	struct layout_text	 t;

	pdf_text_init(p, &t, &mt, size, lead, bold, rgb);
	pdf_flow(p, &t, x, width, align, NULL, 0, false);
	layout_text_clear(&t);
}

/* ---- tables ---- */

static void
pdf_row_draw(struct pdf *p, const struct layout_table *tb,
    const struct layout_plan *pl, size_t r, double x)
{
	const double		*cw = pl->cw;
	const enum layout_align	*al = pl->al;
	size_t			 k, i;
	double			 cx = x, top = p->y - 3.5, h = pl->rh[r];
	double			 pad = pl->pad;
	bool			 head = tb->head && r == 0;

	if (head)
		pdf_rect(p, x, p->y - h, cw[tb->ncols], h, p->tint);
	for (k = 0; k < tb->ncols; k++) {
		const struct layout_text *t = &pl->tx[r * tb->ncols + k];

		for (i = 0; i < t->nlines; i++)
			pdf_line_draw(p, t, i, cx + pad, top - (double)i *
			    t->lead, cw[k] - 2 * pad, head && al[k] !=
			    LAYOUT_RIGHT ? LAYOUT_LEFT : al[k]);
		cx += cw[k];
	}
	p->y -= h;
	pdf_hline(p, x, x + cw[tb->ncols], p->y, head ? 0.9 : 0.4,
	    head ? p->ink : p->rule);
}

/* Lays out and flows a table at [x, x + width] from the cursor. */
static void
pdf_table_draw(struct pdf *p, const struct layout_table *tb, double x,
    double width)
{
	struct layout_plan	 pl;
	size_t			 r;

	if (!layout_table_plan(&pl, tb, width, p->ink, &p->measure))
		return;
	pdf_need(p, pl.need);
	for (r = 0; r < tb->nrows; r++) {
		if (p->y - pl.rh[r] < PDF_BOTTOM && p->y < PDF_TOP - 1) {
			pdf_new_page(p);
			if (tb->head && r > 0)
				pdf_row_draw(p, tb, &pl, 0, x);
		}
		pdf_row_draw(p, tb, &pl, r, x);
	}
	layout_plan_clear(&pl, tb->nrows * tb->ncols);
}

static void
pdf_grid_draw(struct pdf *p, struct layout_grid *g, bool col0_bold,
    double size)
{
	struct layout_table tb;

	memset(&tb, 0, sizeof(tb));
	tb.ncols = g->ncols;
	tb.nrows = g->n / g->ncols;
	tb.cells = g->cells;
	tb.head = true;
	tb.col0_bold = col0_bold;
	tb.size = size;
	pdf_table_draw(p, &tb, PDF_M, PDF_CW);
	layout_grid_clear(g);
}

/* ---- charts ---- */

static void
pdf_dash(struct pdf *p, enum chart_dash d, double s)
{
	double		 pat[4];
	HPDF_UINT16	 ip[4];
	HPDF_DashMode	 now = HPDF_Page_GetDash(p->page);
	size_t		 n, i;

	n = chart_dash_pattern(d, pat);
	for (i = 0; i < n; i++) {
		long	 v = lround(pat[i] * s);

		ip[i] = (HPDF_UINT16)(v < 1 ? 1 : v > 100 ? 100 : v);
	}
	if (now.num_ptn == n && now.phase == 0) {
		for (i = 0; i < n && now.ptn[i] == ip[i]; i++)
			;
		if (i == n)
			return;
	}
	HPDF_Page_SetDash(p->page, n ? ip : NULL, (HPDF_UINT)n, 0);
}

/*
 * Frames.  The points of a chart's lines and areas are most of a
 * briefing's bytes, and deflating them most of its cost.  A mark of
 * many points is drawn in a frame: "q", a "cm" that puts the origin
 * at the chart's bottom left and makes a unit 1/PDF_FRAME_K point,
 * the path in whole units ("7656 3412 l", 12 bytes rather than 16
 * for "433.82 459.51 l"), its painting operator and "Q".  A unit of
 * 0.05 pt is a fifth of a dot at 600 dpi and half the step the SVG of
 * the same chart is written in (tenths of its units, about 0.1 pt
 * here).  Line width and dash scale with the frame, so a stroked
 * mark sets its width inside it, in frame units, and a solid dash
 * (pdf_frame_pen); the frame's Q then restores libharu's state as it
 * was.  Dashed lines are not framed: along a jagged line the rounding
 * changes the length, and the dashes would drift by a fraction of a
 * point towards its end.  Only "m", "l" and "h" go into a frame
 * (pdf_path_pt, pdf_path_close).
 */
static void
pdf_frame_open(struct pdf *p, double x, double y)
{
	long long	 o[2];

	o[0] = pdf_path_round(p, x, 0);
	o[1] = pdf_path_round(p, y, 1);
	buf_puts(&p->path, "q\n");
	pdf_path_put(p, 100 / PDF_FRAME_K);
	buf_puts(&p->path, "0 0 ");
	pdf_path_put(p, 100 / PDF_FRAME_K);
	pdf_path_put(p, o[0]);
	pdf_path_put(p, o[1]);
	buf_puts(&p->path, "cm\n");
	p->org[0] = (double)o[0] / 100;
	p->org[1] = (double)o[1] / 100;
	p->framed = true;
	p->frame_len = p->path.len;
}

/* Sets line width w (points) and a solid line in the frame. */
static void
pdf_frame_pen(struct pdf *p, double w)
{
	pdf_path_put(p, llround(w * PDF_FRAME_K * 100));
	buf_puts(&p->path, "w\n");
	if (HPDF_Page_GetDash(p->page).num_ptn != 0)
		buf_puts(&p->path, "[] 0 d\n");
	p->frame_len = p->path.len;
}

static unsigned
pdf_role(const struct pdf *p, enum chart_role r)
{
	return (unsigned)r < CHART_ROLE_N ?
	    pdf_rgb(p->pal->colour[r], 0) : 0;
}

/* Draws mark m of a chart whose top left is (x0, y0) and bottom yb,
 * at scale s. */
static void
pdf_mark(struct pdf *p, const struct chart_mark *m, double x0, double y0,
    double yb, double s)
{
	HPDF_Page	 pg = p->page;
	double		 r = m->width * s, x, y;
	size_t		 i, j, k;
	bool		 pen = false;

#define PX(v)	(x0 + (v) * s)
#define PY(v)	(y0 - (v) * s)
	switch (m->kind) {
	case CHART_MARK_LINE:
		pdf_stroke(p, pdf_role(p, m->role));
		if (HPDF_Page_GetLineJoin(pg) != HPDF_ROUND_JOIN)
			HPDF_Page_SetLineJoin(pg, HPDF_ROUND_JOIN);
		if (m->n >= PDF_FRAME_MIN && m->dash == CHART_DASH_SOLID) {
			pdf_frame_open(p, x0, yb);
			pdf_frame_pen(p, m->width * s * PDF_CHART_LW);
		} else {
			pdf_line_width(p, m->width * s * PDF_CHART_LW);
			pdf_dash(p, m->dash, s * PDF_CHART_LW);
		}
		for (i = 0; i < m->n; i++) {
			if (!isfinite(m->y[i])) {
				pen = false;
				continue;
			}
			if (!pen && !(i + 1 < m->n && isfinite(m->y[i + 1])))
				continue;
			pdf_path_pt(p, PX(m->x[i]), PY(m->y[i]), pen ? "l" :
			    "m");
			pen = true;
		}
		pdf_path_paint(p, "S");
		break;
	case CHART_MARK_AREA:
		k = (size_t)lround((m->opacity < 0 ? 0 : m->opacity > 1 ? 1 :
		    m->opacity) * 10);
		HPDF_Page_GSave(pg);
		if (p->gs[k] == NULL) {
			p->gs[k] = HPDF_CreateExtGState(p->doc);
			HPDF_ExtGState_SetAlphaFill(p->gs[k], (float)k / 10.0f);
		}
		HPDF_Page_SetExtGState(pg, p->gs[k]);
		pdf_fill(p, pdf_role(p, m->role));
		if (m->n >= PDF_FRAME_MIN)
			pdf_frame_open(p, x0, yb);
		for (i = 0; i < m->n; i = j) {
			if (!isfinite(m->y[i])) {
				j = i + 1;
				continue;
			}
			for (j = i; j < m->n && isfinite(m->y[j]); j++)
				;
			if (m->ylo != NULL) {
				/* A band: along y, back along ylo. */
				pdf_path_pt(p, PX(m->x[i]), PY(m->y[i]), "m");
				for (k = i + 1; k < j; k++)
					pdf_path_pt(p, PX(m->x[k]),
					    PY(m->y[k]), "l");
				for (k = j; k > i; k--)
					pdf_path_pt(p, PX(m->x[k - 1]),
					    PY(isfinite(m->ylo[k - 1]) ?
					    m->ylo[k - 1] : m->y[k - 1]), "l");
				pdf_path_close(p);
				continue;
			}
			pdf_path_pt(p, PX(m->x[i]), PY(m->base), "m");
			for (k = i; k < j; k++)
				pdf_path_pt(p, PX(m->x[k]), PY(m->y[k]), "l");
			pdf_path_pt(p, PX(m->x[j - 1]), PY(m->base), "l");
			pdf_path_close(p);
		}
		pdf_path_paint(p, "f");
		HPDF_Page_GRestore(pg);
		break;
	case CHART_MARK_POINTS:
		pdf_fill(p, pdf_role(p, m->role));
		for (i = 0; i < m->n; i++) {
			if (!isfinite(m->y[i]))
				continue;
			x = PX(m->x[i]);
			y = PY(m->y[i]);
			switch (m->marker) {
			case CHART_MARKER_SQUARE:
				pdf_path_num(p, x - r);
				pdf_path_num(p, y - r);
				pdf_path_pt(p, 2 * r, 2 * r, "re");
				break;
			case CHART_MARKER_TRIANGLE:
				pdf_path_pt(p, x, y + 1.2 * r, "m");
				pdf_path_pt(p, x + 1.1 * r, y - 0.8 * r, "l");
				pdf_path_pt(p, x - 1.1 * r, y - 0.8 * r, "l");
				pdf_path_close(p);
				break;
			case CHART_MARKER_DIAMOND:
				pdf_path_pt(p, x, y + 1.3 * r, "m");
				pdf_path_pt(p, x + 1.3 * r, y, "l");
				pdf_path_pt(p, x, y - 1.3 * r, "l");
				pdf_path_pt(p, x - 1.3 * r, y, "l");
				pdf_path_close(p);
				break;
			default:
				pdf_path_circle(p, x, y, r);
				break;
			}
		}
		pdf_path_paint(p, "f");
		break;
	}
#undef PX
#undef PY
}

/* Shows a chart's text inside a text object. */
static void
pdf_chart_text(struct pdf *p, const struct chart_text *t, double x0,
    double y0, double s)
{
	double	 size = t->size * s * PDF_CHART_FS, w, x, y;
	size_t	 len = strlen(t->s);

	if (len == 0)
		return;
	w = pdf_width(p, t->bold, t->s, len, size);
	if (t->anchor == CHART_ANCHOR_MIDDLE)
		w /= 2;
	else if (t->anchor == CHART_ANCHOR_START)
		w = 0;
	x = x0 + t->x * s;
	y = y0 - t->y * s;
	p->tmp.len = 0;
	buf_put(&p->tmp, t->s, len);
	if (!t->vertical) {
		pdf_put(p, x - w, y, t->bold, false, size,
		    pdf_role(p, t->role), NULL);
		return;
	}
	pdf_font(p, t->bold, size);
	pdf_fill(p, pdf_role(p, t->role));
	pdf_text_matrix(p, 0, 1, -1, 0, (float)x,
	    (float)(y - w));
	pdf_show_text(p, t->bold ? PDF_BOLD : PDF_REG, p->tmp.data);
}

/* Draws a chart and its caption, kept together on one page. */
static void
pdf_chart_draw(struct pdf *p, const struct chart *c, double x, double width)
{
	struct layout_text	 t;
	struct md_run	 r[2];
	struct md_text	 mt = { r, 2 };
	char		 fig[32];
	double		 s, h, y0;
	size_t		 i;

	if (c->width <= 0)
		return;
	s = width / c->width;
	h = c->height * s;
	p->nfig++;
	snprintf(fig, sizeof(fig), "Figure %zu. ", p->nfig);
	memset(r, 0, sizeof(r));
	r[0].text = fig;
	r[0].style = MD_RUN_BOLD;
	r[1].text = c->title ? c->title : "";
	pdf_text_init(p, &t, &mt, 9.5, 13, false, p->ink);
	layout_text_break(&t, width);
	pdf_need(p, (double)t.nlines * t.lead + 4 + h + 6);
	pdf_flow(p, &t, x, width, LAYOUT_LEFT, NULL, 0, false);
	layout_text_clear(&t);
	p->y -= 4;
	y0 = p->y;
	for (i = 0; i < c->nmarks; i++)
		pdf_mark(p, &c->marks[i], x, y0, y0 - h, s);
	if (c->ntexts > 0) {
		HPDF_Page_BeginText(p->page);
		for (i = 0; i < c->ntexts; i++)
			pdf_chart_text(p, &c->texts[i], x, y0, s);
		HPDF_Page_EndText(p->page);
	}
	p->y -= h + 10;
}

static void pdf_services_table(struct pdf *, bool);

/* A sentence of the simulation in body text (s is freed; NULL ok). */
static void
pdf_sim_sentence(struct pdf *p, char *s, double x, double width)
{
	if (s == NULL)
		return;
	pdf_plain(p, s, 0, x, width, PDF_BODY, PDF_LEAD, false, p->ink,
	    LAYOUT_LEFT);
	p->y -= 6;
	free(s);
}

/* A chart's data table, and its note, below the chart. */
static void
pdf_chart_table(struct pdf *p, const struct chart_table *t)
{
	struct layout_grid	 g;
	size_t		 i;

	if (t->ncols == 0 || t->nrows == 0)
		return;
	memset(&g, 0, sizeof(g));
	g.ncols = t->ncols;
	for (i = 0; i < t->ncols; i++)
		layout_grid_cell(&g, t->head[i]);
	for (i = 0; i < t->ncols * t->nrows; i++)
		layout_grid_cell(&g, t->cells[i]);
	pdf_grid_draw(p, &g, true, 8.5);
	if (t->note != NULL) {
		/* pdf_flow needs the cursor above the bottom margin. */
		pdf_need(p, 4 + 2 * 11.5);
		p->y -= 4;
		pdf_plain(p, t->note, 0, PDF_M, PDF_CW, 8.5, 11.5, false,
		    p->muted, LAYOUT_LEFT);
	}
	p->y -= 10;
}

/* The charts of spec into cs, which the caller frees: those
 * pdf_block_min built for it, else new ones (briefing_charts). */
static size_t
pdf_charts(struct pdf *p, const struct service *svc,
    const struct chart_spec *spec, struct chart **cs)
{
	size_t	 n;

	if (p->pre_spec != spec) {
		while (p->npre > 0)
			chart_free(p->pre[--p->npre]);
		p->pre_spec = NULL;
		return briefing_charts(svc, spec, cs);
	}
	for (n = 0; n < p->npre; n++)
		cs[n] = p->pre[n];
	p->npre = 0;
	p->pre_spec = NULL;
	return n;
}

/* A chart block: its charts, the IPR table for an ipr block, or a
 * short note when it cannot be drawn. */
static void
pdf_chart_block(struct pdf *p, const struct service *svc,
    const struct chart_spec *spec, double x, double width)
{
	struct chart	*cs[3];
	char		 note[160];
	size_t		 n, i;

	if (spec->type == CHART_IPR && svc == NULL) {
		pdf_services_table(p, false);
		p->y -= 10;
		return;
	}
	n = pdf_charts(p, svc, spec, cs);
	if (n == 0) {
		briefing_chart_note(svc, spec->type, note, sizeof(note));
		pdf_plain(p, note, MD_RUN_ITALIC, x, width, 9.5, 13, false,
		    p->muted, LAYOUT_LEFT);
		p->y -= 6;
		return;
	}
	/* The simulation's sentence leads its chart, as on the site, and
	 * stays on the chart's page. */
	if (spec->type == CHART_FAN || spec->type == CHART_SCENARIOS)
		pdf_need(p, 3 * PDF_LEAD + 6 + 30 + cs[0]->height *
		    (width < PDF_CHART_W ? width : PDF_CHART_W) /
		    cs[0]->width);
	if (spec->type == CHART_FAN)
		pdf_sim_sentence(p, simchart_risk_sentence(svc), x, width);
	else if (spec->type == CHART_SCENARIOS)
		pdf_sim_sentence(p, simchart_value_sentence(svc), x, width);
	for (i = 0; i < n; i++) {
		pdf_chart_draw(p, cs[i], x, width < PDF_CHART_W ? width :
		    PDF_CHART_W);
		/* The scenario table is what the board decides on. */
		if (spec->type == CHART_SCENARIOS)
			pdf_chart_table(p, &cs[i]->table);
		chart_free(cs[i]);
	}
}

/* ---- Markdown blocks ---- */

/* The least height of block b that must follow a heading.  The charts
 * of a chart block are built here to know it, and kept for
 * pdf_chart_block, which draws b next. */
static double
pdf_block_min(struct pdf *p, const struct service *svc,
    const struct md_block *b)
{
	switch (b->kind) {
	case MD_BLOCK_CHART:
		while (p->npre > 0)
			chart_free(p->pre[--p->npre]);
		p->npre = briefing_charts(svc, &b->chart, p->pre);
		p->pre_spec = &b->chart;
		if (p->npre == 0)
			return b->chart.type == CHART_IPR ? 60 : 30;
		return p->pre[0]->height * PDF_CHART_W / p->pre[0]->width +
		    40;
	case MD_BLOCK_TABLE:
		return 60;
	case MD_BLOCK_HEADING:
		return 40;
	default:
		return 2 * PDF_LEAD + 2;
	}
}

static void
pdf_heading(struct pdf *p, const struct md_text *mt, int level,
    double need_after, double x, double width)
{
	struct layout_text	 t;
	double		 size = layout_heading_size(level);
	double		 before = level <= 2 ? 12 : 8;

	pdf_text_init(p, &t, mt, size, size * 1.25, true,
	    level <= 2 ? p->accent : p->ink);
	layout_text_break(&t, width);
	if (p->y < PDF_TOP - 1)
		p->y -= before;
	pdf_need(p, (double)t.nlines * t.lead + 4 + need_after);
	pdf_flow(p, &t, x, width, LAYOUT_LEFT, NULL, 0, false);
	layout_text_clear(&t);
	if (level <= 2)
		pdf_hline(p, x, x + width, p->y - 1, 0.6, p->rule);
	p->y -= 5;
}

/* Flows md's blocks from the cursor; charts are built for svc. */
static void
pdf_blocks(struct pdf *p, const struct service *svc,
    const struct md_block *v, size_t n)
{
	const struct md_block *b;
	struct layout_text	 t;
	struct layout_table tb;
	char		 mk[16];
	double		 x, w, gap;
	size_t		 i;

	for (i = 0; i < n; i++) {
		b = &v[i];
		x = PDF_M + 18.0 * b->depth + 14.0 * b->quote;
		w = PDF_CW - (x - PDF_M);
		gap = b->depth > 0 && b->tight ? 3 : 7;
		switch (b->kind) {
		case MD_BLOCK_HEADING:
			pdf_heading(p, &b->text, b->level, i + 1 < n ?
			    pdf_block_min(p, svc, &v[i + 1]) : 0, x, w);
			break;
		case MD_BLOCK_PARA:
		case MD_BLOCK_CODE:
			if (b->item) {
				if (b->ordered)
					snprintf(mk, sizeof(mk), "%d.",
					    b->number);
				else
					snprintf(mk, sizeof(mk), "%s",
					    b->depth % 2 ? "•" : "–");
			}
			if (b->kind == MD_BLOCK_CODE) {
				pdf_text_init(p, &t, &b->text, 8.5, 11.5,
				    false, p->ink);
				p->y -= 2;
			} else
				pdf_text_init(p, &t, &b->text, PDF_BODY,
				    PDF_LEAD, false, p->ink);
			pdf_flow(p, &t, x, w, b->kind == MD_BLOCK_CODE ?
			    LAYOUT_LEFT : LAYOUT_JUSTIFY, b->item ? mk : NULL,
			    PDF_M + 14.0 * (b->quote - 1) + 2, b->quote > 0);
			layout_text_clear(&t);
			p->y -= gap;
			break;
		case MD_BLOCK_RULE:
			pdf_need(p, 12);
			pdf_hline(p, x, x + w, p->y - 6, 0.6, p->rule);
			p->y -= 12;
			break;
		case MD_BLOCK_TABLE:
			memset(&tb, 0, sizeof(tb));
			tb.ncols = b->ncols;
			tb.nrows = b->nrows;
			tb.cells = b->cells;
			tb.align = b->align;
			tb.head = true;
			tb.size = 9;
			p->y -= 2;
			pdf_table_draw(p, &tb, x, w);
			p->y -= 10;
			break;
		case MD_BLOCK_CHART:
			p->y -= 4;
			pdf_chart_block(p, svc, &b->chart, x, w);
			break;
		}
	}
}

/* ---- service pages ---- */

/* Label and value pairs across the width, label above value. */
static void
pdf_facts(struct pdf *p, const char *const *kv, size_t n)
{
	double		 cw = PDF_CW / (double)n, h = 0, y0 = p->y, x;
	size_t		 i;

	for (i = 0; i < n; i++) {
		x = PDF_M + cw * (double)i;
		p->y = y0;
		pdf_say(p, x, y0 - 8, kv[2 * i], true, 7.5, p->muted,
		    LAYOUT_LEFT);
		p->y = y0 - 11;
		pdf_plain(p, kv[2 * i + 1], 0, x, cw - 10, 9.5, 12, false,
		    p->ink, LAYOUT_LEFT);
		if (y0 - p->y > h)
			h = y0 - p->y;
	}
	p->y = y0 - h;
}

/* Title block of a service: pack, service title, facts, rule. */
static void
pdf_title_block(struct pdf *p, const struct service *svc)
{
	const struct pack *pk = p->pack;
	const char	*kv[8];
	char		 latest[64];
	size_t		 n = 0;

	if (pk->title)
		pdf_plain(p, pk->title, 0, PDF_M, PDF_CW, 9, 12, true,
		    p->accent, LAYOUT_LEFT);
	if (pk->organisation)
		pdf_plain(p, pk->organisation, 0, PDF_M, PDF_CW, 9, 12, false,
		    p->muted, LAYOUT_LEFT);
	p->y -= 8;
	pdf_plain(p, svc->title ? svc->title : svc->id, 0, PDF_M, PDF_CW, 20,
	    24, true, p->ink, LAYOUT_LEFT);
	p->y -= 8;
	kv[n++] = "OWNER";
	kv[n++] = svc->owner ? svc->owner : "not set";
	if (pk->period_label) {
		kv[n++] = "REPORTING PERIOD";
		kv[n++] = pk->period_label;
	}
	kv[n++] = "DATA TO";
	if (svc->series != NULL && svc->series->n > 0)
		chart_fmt_date(latest, sizeof(latest), svc->period,
		    svc->series->key[svc->series->n - 1]);
	else
		snprintf(latest, sizeof(latest), "no data");
	kv[n++] = latest;
	if (p->date_label[0]) {
		kv[n++] = "PACK DATE";
		kv[n++] = p->date_label;
	}
	pdf_facts(p, kv, n / 2);
	p->y -= 6;
	pdf_hline(p, PDF_M, PDF_M + PDF_CW, p->y, 1.5, p->accent);
	p->y -= 8;
}

static void pdf_default_charts(struct pdf *, const struct service *, bool);

/* Key figures and measures of a service, then its commentary and
 * charts, from the cursor. */
static void
pdf_service_body(struct pdf *p, const struct service *svc)
{
	struct md_block	*bl;
	struct md_run	 r = { "Key figures", 0, NULL };
	struct md_text	 mt = { &r, 1 };
	struct layout_grid	 g;
	size_t		 nb, i, ncharts = 0;
	bool		 flow;

	flow = svc->an != NULL && svc->an->has_flow && svc->series != NULL &&
	    svc->series->n > 0;
	pdf_title_block(p, svc);
	if (flow) {
		pdf_heading(p, &mt, 2, 80, PDF_M, PDF_CW);
		memset(&g, 0, sizeof(g));
		briefing_headline(svc, &g);
		pdf_grid_draw(p, &g, true, 9);
		p->y -= 6;
	}
	if (svc->nmetrics > 0) {
		r.text = "Measures";
		pdf_heading(p, &mt, 2, 60, PDF_M, PDF_CW);
		memset(&g, 0, sizeof(g));
		briefing_measures(svc, &g);
		pdf_grid_draw(p, &g, false, 9);
		p->y -= 6;
	}
	bl = svc->doc != NULL ? md_doc_blocks(svc->doc, 1, &nb) :
	    md_blocks(svc->body, svc->path, svc->body_line, svc, 1, &nb);
	for (i = 0; i < nb; i++)
		ncharts += bl[i].kind == MD_BLOCK_CHART;
	pdf_blocks(p, svc, bl, nb);
	md_blocks_free(bl, nb);
	if (ncharts == 0)
		pdf_default_charts(p, svc, flow);
}

/* SPEC 3.4 default layout, after the commentary as on the site: dcb,
 * spc for every metric, the profiles, the fan chart and, when the page
 * lists scenarios, their comparison.  The heading keeps with the
 * first. */
static void
pdf_default_charts(struct pdf *p, const struct service *svc, bool flow)
{
	struct md_block	 b;
	struct md_run	 r = { "Charts", 0, NULL };
	struct md_text	 mt = { &r, 1 };
	size_t		 i;
	bool		 first = true;

	for (i = 0; i < svc->nmetrics + 4; i++) {
		memset(&b, 0, sizeof(b));
		b.kind = MD_BLOCK_CHART;
		if ((i == 0 || i > svc->nmetrics + 1) && !flow)
			continue;
		b.chart.type = i == 0 ? CHART_DCB : i <= svc->nmetrics ?
		    CHART_SPC : i == svc->nmetrics + 1 ? CHART_PROFILE :
		    i == svc->nmetrics + 2 ? CHART_FAN : CHART_SCENARIOS;
		/* Scenarios only when the page lists some. */
		if (b.chart.type == CHART_SCENARIOS && svc->nscenarios == 0)
			continue;
		if (b.chart.type == CHART_SPC) {
			b.chart.metric = svc->metrics[i - 1].column;
			if (briefing_spc(svc, b.chart.metric) == NULL)
				continue;
		}
		if (first)
			pdf_heading(p, &mt, 2, pdf_block_min(p, svc, &b),
			    PDF_M, PDF_CW);
		first = false;
		pdf_chart_block(p, svc, &b.chart, PDF_M, PDF_CW);
	}
}

/* ---- finishing ---- */

static void
pdf_footers(struct pdf *p)
{
	char	 s[64];
	size_t	 i;

	for (i = 0; i < p->npages; i++) {
		p->page = p->pages[i];
		pdf_hline(p, PDF_M, PDF_M + PDF_CW, PDF_M - 14, 0.5, p->rule);
		snprintf(s, sizeof(s), "Page %zu of %zu", i + 1, p->npages);
		pdf_say(p, PDF_M + PDF_CW, PDF_M - 25, s, false, 8, p->muted,
		    LAYOUT_RIGHT);
		if (p->foot[i][0] != '\0')
			pdf_say(p, PDF_M, PDF_M - 25, p->foot[i], false, 8,
			    p->muted, LAYOUT_LEFT);
	}
}

static void
pdf_meta(struct pdf *p, const char *title, const char *subject)
{
	const struct pack *pk = p->pack;
	HPDF_Date	 d;
	int		 y;
	unsigned	 m, dd;

	HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, title);
	if (pk->author || pk->organisation)
		HPDF_SetInfoAttr(p->doc, HPDF_INFO_AUTHOR, pk->author ?
		    pk->author : pk->organisation);
	if (subject != NULL)
		HPDF_SetInfoAttr(p->doc, HPDF_INFO_SUBJECT, subject);
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, "boardpack");
	if (p->day != INT64_MIN) {
		util_civil_from_days(p->day, &y, &m, &dd);
		memset(&d, 0, sizeof(d));
		d.year = y;
		d.month = (HPDF_INT)m;
		d.day = (HPDF_INT)dd;
		d.ind = 'Z';
		HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_CREATION_DATE, d);
		HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_MOD_DATE, d);
	}
}

/* Footers, the fonts' widths and maps (pdf_font_fix), then the
 * document into out; 0, or -1 (reported) on any error. */
static int
pdf_finish(struct pdf *p, const char *name, struct buf *out)
{
	HPDF_Stream	 doc;
	HPDF_UINT32	 size, left;
	HPDF_UINT	 nb, k, len;
	HPDF_BYTE	*chunk;
	HPDF_STATUS	 st;
	int		 i, rc = 1;

	pdf_footers(p);
	for (i = 0; i < 2 && p->err == 0; i++)
		if (p->font[i] == NULL || pdf_font_fix(p, i, p->top >=
		    PDF_NARROW ? 0xffff : PDF_NARROW) == -1)
			p->err = HPDF_FAILD_TO_ALLOC_MEM;
	for (i = 0; rc == 1 && i < 2 && p->err == 0; i++)
		if ((rc = pdf_font_ready(p->font[i])) < 0)
			p->err = HPDF_FAILD_TO_ALLOC_MEM;
	/* The document's stream, in large chunks written with memcpy. */
	if (p->err == 0 && p->doc->stream == NULL &&
	    (p->doc->stream = HPDF_MemStream_New(p->doc->mmgr,
	    PDF_DOC_CHUNK)) != NULL)
		pdf_mem_fast(p->doc->stream);
	/* A hook's error (compression) is only in the status. */
	if (p->err == 0 && (st = HPDF_SaveToStream(p->doc)) != HPDF_OK &&
	    p->err == 0)
		p->err = st;
	if (p->err != 0) {
		diag_error(name, 0, 0, "cannot make the PDF: libharu error "
		    "0x%04X (detail %u)", (unsigned)p->err,
		    (unsigned)p->detail);
		return -1;
	}
	/* The document's bytes, straight from libharu's buffers. */
	doc = p->doc->stream;
	size = HPDF_GetStreamSize(p->doc);
	if (doc == NULL || doc->type != HPDF_STREAM_MEMORY || size == 0) {
		diag_error(name, 0, 0, "cannot make the PDF: libharu error "
		    "reading the document");
		return -1;
	}
	nb = HPDF_MemStream_GetBufCount(doc);
	for (k = 0, left = size; k < nb && left > 0; k++) {
		len = 0;
		chunk = HPDF_MemStream_GetBufPtr(doc, k, &len);
		if (len > left)
			len = left;
		buf_put(out, chunk, len);
		left -= len;
	}
	if (left > 0) {
		diag_error(name, 0, 0, "cannot make the PDF: libharu error "
		    "reading the document");
		return -1;
	}
	return 0;
}

/* One service's briefing into out, as pdf_finish. */
static int
pdf_service_make(const struct pack *pk, const struct service *svc,
    const struct chart_palette *pal, const char *name, struct buf *out)
{
	struct pdf	 p;
	char		*s, *t;
	int		 rc = -1;

	if (pdf_open(&p, pk, pal, name) == 0) {
		s = xasprintf("%s · %s", svc->title ? svc->title : svc->id,
		    pk->title ? pk->title : "Performance pack");
		pdf_set_foot(&p, s);
		free(s);
		pdf_new_page(&p);
		pdf_service_body(&p, svc);
		t = xasprintf("%s – %s", svc->title ? svc->title : svc->id,
		    pk->title ? pk->title : "Performance pack");
		s = xasprintf("%s briefing", pk->period_label ?
		    pk->period_label : "Performance");
		pdf_meta(&p, t, s);
		free(t);
		free(s);
		rc = pdf_finish(&p, name, out);
	}
	pdf_close(&p);
	return rc;
}

/* Renders one service's briefing into out; see pdf.h. */
int
pdf_service_buf(const struct pack *pk, const struct service *svc,
    const struct chart_palette *pal, const char *name, struct buf *out)
{
	return pdf_service_make(pk, svc, pal, name, out);
}

/* ---- the pack ---- */

static void
pdf_toc_add(struct pdf *p, const char *title, int level)
{
	p->toc = xreallocarray(p->toc, p->ntoc + 1, sizeof(*p->toc));
	p->toc[p->ntoc].title = xstrdup(title);
	p->toc[p->ntoc].page = p->npages - 1;
	p->toc[p->ntoc].level = level;
	p->ntoc++;
}

/* The cover: the cover-sheet fields of boardpack.yml that are set. */
static void
pdf_cover(struct pdf *p)
{
	const struct pack *pk = p->pack;
	struct layout_grid	 g;
	struct layout_table tb;
	struct layout_text	 t;
	struct md_run	 r = { NULL, 0, NULL };
	struct md_text	 mt = { &r, 1 };
	size_t		 i;

	pdf_rect(p, 0, PDF_PH - 14, PDF_PW, 14, p->accent);
	p->y = PDF_TOP - 30;
	if (pk->organisation)
		pdf_plain(p, pk->organisation, 0, PDF_M, PDF_CW, 12, 16, true,
		    p->muted, LAYOUT_LEFT);
	p->y -= 40;
	pdf_plain(p, pk->title ? pk->title : "Performance pack", 0, PDF_M,
	    PDF_CW, 28, 34, true, p->ink, LAYOUT_LEFT);
	p->y -= 6;
	if (pk->period_label)
		pdf_plain(p, pk->period_label, 0, PDF_M, PDF_CW, 16, 22,
		    false, p->accent, LAYOUT_LEFT);
	p->y -= 28;
	memset(&g, 0, sizeof(g));
	briefing_cover(pk, p->date_label, &g);
	if (g.n > 0) {
		pdf_hline(p, PDF_M, PDF_M + PDF_CW, p->y, 0.9, p->ink);
		memset(&tb, 0, sizeof(tb));
		tb.ncols = 2;
		tb.nrows = g.n / 2;
		tb.cells = g.cells;
		tb.col0_bold = true;
		tb.size = 10;
		pdf_table_draw(p, &tb, PDF_M, PDF_CW);
	}
	layout_grid_clear(&g);
	if (pk->recommendation) {
		r.text = "Recommendation";
		pdf_heading(p, &mt, 3, 30, PDF_M, PDF_CW);
		pdf_plain(p, pk->recommendation, 0, PDF_M, PDF_CW, 10.5, 15,
		    false, p->ink, LAYOUT_JUSTIFY);
		p->y -= 4;
	}
	if (pk->nkey_issues > 0) {
		r.text = "Key issues";
		pdf_heading(p, &mt, 3, 30, PDF_M, PDF_CW);
		for (i = 0; i < pk->nkey_issues; i++) {
			struct md_run	 ki = { pk->key_issues[i], 0, NULL };
			struct md_text	 kt = { &ki, 1 };

			pdf_text_init(p, &t, &kt, 10.5, 15, false, p->ink);
			pdf_flow(p, &t, PDF_M + 16, PDF_CW - 16, LAYOUT_JUSTIFY,
			    "•", 0, false);
			layout_text_clear(&t);
			p->y -= 4;
		}
	}
}

#define PDF_TOC_LEAD	20.0
#define PDF_TOC_FIRST	(PDF_TOP - 50)

static size_t
pdf_toc_per_page(void)
{
	return layout_toc_per_page(PDF_TOC_FIRST, PDF_BOTTOM, PDF_TOC_LEAD);
}

/* Fills the reserved contents pages [first, first + n) and makes the
 * outline, with links to every entry; note (NULL: none) is a paragraph
 * under the last entry. */
static void
pdf_contents(struct pdf *p, size_t first, size_t npg, const char *note)
{
	HPDF_Encoder	 enc = HPDF_GetEncoder(p->doc, "UTF-8");
	HPDF_Destination dst;
	HPDF_Outline	 ol;
	HPDF_Annotation	 an;
	HPDF_Rect	 rc;
	struct buf	 dots;
	char		 num[32];
	double		 y, x, dw, nw, tw, d0;
	size_t		 i, per = pdf_toc_per_page(), pg;

	for (i = 0; i < p->ntoc; i++) {
		dst = HPDF_Page_CreateDestination(p->pages[p->toc[i].page]);
		ol = HPDF_CreateOutline(p->doc, NULL, p->toc[i].title, enc);
		HPDF_Outline_SetDestination(ol, dst);
	}
	buf_init(&dots);
	dw = pdf_width(p, false, ". ", 2, 10);
	for (i = 0, pg = 0; i < p->ntoc; i++) {
		if (p->toc[i].page < first + npg)
			continue;	/* the cover and the contents */
		if (pg >= npg * per)
			break;
		p->page = p->pages[first + pg / per];
		if (pg % per == 0) {
			pdf_say(p, PDF_M, PDF_TOP - 22, "Contents", true, 18,
			    p->accent, LAYOUT_LEFT);
			pdf_hline(p, PDF_M, PDF_M + PDF_CW, PDF_TOP - 30, 0.6,
			    p->rule);
		}
		y = PDF_TOC_FIRST - (double)(pg % per) * PDF_TOC_LEAD;
		x = PDF_M + (p->toc[i].level > 1 ? 14 : 0);
		snprintf(num, sizeof(num), "%zu", p->toc[i].page + 1);
		tw = pdf_say(p, x, y, p->toc[i].title, p->toc[i].level <= 1,
		    10.5, p->ink, LAYOUT_LEFT);
		nw = pdf_say(p, PDF_M + PDF_CW, y, num, false, 10.5, p->ink,
		    LAYOUT_RIGHT);
		/* Dot leaders on a fixed grid, so that they line up: one
		 * string of ". " pairs, each dw wide. */
		d0 = PDF_M + ceil((x + tw + 6 - PDF_M) / dw) * dw;
		dots.len = 0;
		for (double d = d0; d + dw < PDF_M + PDF_CW - nw - 6; d += dw)
			buf_puts(&dots, dots.len > 0 ? " ." : ".");
		if (dots.len > 0)
			pdf_show(p, d0, y, dots.data, dots.len, false, false,
			    10, p->muted);
		rc.left = (float)x;
		rc.bottom = (float)(y - 5);
		rc.right = (float)(PDF_M + PDF_CW);
		rc.top = (float)(y + 12);
		an = HPDF_Page_CreateLinkAnnot(p->page, rc,
		    HPDF_Page_CreateDestination(p->pages[p->toc[i].page]));
		HPDF_LinkAnnot_SetBorderStyle(an, 0, 0, 0);
		pg++;
	}
	if (note != NULL && pg < npg * per) {
		p->page = p->pages[first + pg / per];
		p->y = PDF_TOC_FIRST - (double)(pg % per) * PDF_TOC_LEAD;
		pdf_plain(p, note, 0, PDF_M, PDF_CW, 10.5, 15, false, p->ink,
		    LAYOUT_LEFT);
	}
	buf_clear(&dots);
}

/* The pack's measures at a glance: one row per service measure; with
 * files, naming each service's own briefing. */
static void
pdf_services_table(struct pdf *p, bool files)
{
	struct layout_grid	 g;

	memset(&g, 0, sizeof(g));
	briefing_services(p->pack, &g, files);
	pdf_grid_draw(p, &g, false, 8.5);
}

/* The whole pack into out, as pdf_finish. */
static int
pdf_pack_make(const struct pack *pk, const struct chart_palette *pal,
    const char *name, struct buf *out)
{
	struct pdf	 p;
	struct md_block	*bl;
	struct md_run	 r = { NULL, 0, NULL };
	struct md_text	 mt = { &r, 1 };
	const char	*title = pk->title ? pk->title : "Performance pack";
	char		*note = NULL;
	size_t		 nb, i, first, npg, nent;
	bool		 full;
	int		 rc = -1;

	if (pdf_open(&p, pk, pal, name) == 0) {
		pdf_set_foot(&p, title);
		pdf_new_page(&p);
		pdf_toc_add(&p, "Cover", 1);
		pdf_cover(&p);
		/* Past pack_pdf_services the briefings are only files of
		 * their own (README "Content format"). */
		full = pk->nservices <= (size_t)pk->pack_pdf_services;
		nent = 2 + (full ? pk->nservices : 0) + (full ? 0 : 3);
		npg = (nent + pdf_toc_per_page() - 1) / pdf_toc_per_page();
		first = p.npages;
		for (i = 0; i < npg; i++) {
			pdf_new_page(&p);
			if (i == 0)
				pdf_toc_add(&p, "Contents", 1);
		}
		pdf_new_page(&p);
		pdf_toc_add(&p, "Executive summary", 1);
		bl = pk->index_doc != NULL ? md_doc_blocks(pk->index_doc, 0,
		    &nb) : md_blocks(pk->index_body, pk->index_path,
		    pk->index_line, NULL, 0, &nb);
		if (nb == 0 || bl[0].kind != MD_BLOCK_HEADING) {
			r.text = "Executive summary";
			pdf_heading(&p, &mt, 1, 40, PDF_M, PDF_CW);
		}
		pdf_blocks(&p, NULL, bl, nb);
		md_blocks_free(bl, nb);
		pdf_new_page(&p);
		pdf_toc_add(&p, "Measures at a glance", 1);
		r.text = "Measures at a glance";
		pdf_heading(&p, &mt, 1, 60, PDF_M, PDF_CW);
		pdf_services_table(&p, !full);
		for (i = 0; full && i < pk->nservices; i++) {
			const struct service *svc = &pk->services[i];

			pdf_set_foot(&p, svc->title ? svc->title : svc->id);
			pdf_new_page(&p);
			pdf_toc_add(&p, svc->title ? svc->title : svc->id, 2);
			pdf_service_body(&p, svc);
		}
		if (!full)
			note = xasprintf("This pack covers %zu services. Their "
			    "full briefings are not in this document: each is "
			    "a PDF of its own beside it, named after the "
			    "service in the measures at a glance table.",
			    pk->nservices);
		pdf_contents(&p, first, npg, note);
		free(note);
		HPDF_SetPageMode(p.doc, HPDF_PAGE_MODE_USE_OUTLINE);
		pdf_meta(&p, title, pk->period_label);
		rc = pdf_finish(&p, name, out);
	}
	pdf_close(&p);
	return rc;
}

/* Renders the whole pack into out; see pdf.h. */
int
pdf_pack_buf(const struct pack *pk, const struct chart_palette *pal,
    const char *name, struct buf *out)
{
	return pdf_pack_make(pk, pal, name, out);
}

/* Writes b to path through a temporary file renamed into place. */
static int
pdf_write_file(const char *path, const struct buf *b)
{
	char	*dir, *tmp;
	int	 fd, rc = -1, e = 0;
	size_t	 off = 0;
	ssize_t	 w;

	dir = util_dirname(path);
	if (util_mkdirs(dir) == -1) {
		e = errno;
		free(dir);
		diag_error(path, 0, 0, "cannot write: %s", strerror(e));
		return -1;
	}
	free(dir);
	tmp = xasprintf("%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		e = errno;
		diag_error(path, 0, 0, "cannot write: %s", strerror(e));
		free(tmp);
		return -1;
	}
	while (off < b->len) {
		if ((w = write(fd, b->data + off, b->len - off)) < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			break;
		}
		off += (size_t)w;
	}
	if (fchmod(fd, 0644) == -1 && e == 0)
		e = errno;
	if (close(fd) == -1 && e == 0)
		e = errno;
	if (e == 0 && rename(tmp, path) == -1)
		e = errno;
	if (e != 0) {
		unlink(tmp);
		diag_error(path, 0, 0, "cannot write: %s", strerror(e));
	} else
		rc = 0;
	free(tmp);
	return rc;
}

/* Renders and writes one service's briefing to path; see pdf.h. */
int
pdf_service(const struct pack *pk, const struct service *svc,
    const struct chart_palette *pal, const char *path)
{
	struct buf	 b;
	int		 rc;

	buf_init(&b);
	rc = pdf_service_buf(pk, svc, pal, path, &b);
	if (rc == 0)
		rc = pdf_write_file(path, &b);
	buf_clear(&b);
	return rc;
}

/* Renders and writes the pack's PDF to path; see pdf.h. */
int
pdf_pack(const struct pack *pk, const struct chart_palette *pal,
    const char *path)
{
	struct buf	 b;
	int		 rc;

	buf_init(&b);
	rc = pdf_pack_buf(pk, pal, path, &b);
	if (rc == 0)
		rc = pdf_write_file(path, &b);
	buf_clear(&b);
	return rc;
}

/* Slug of the pack title, "pack" when empty, "-pack" added while it
 * is a service id; caller frees. */
char *
pdf_pack_name(const struct pack *pk)
{
	struct buf	 b;
	const char	*s;
	size_t		 i;
	bool		 dash = false;

	buf_init(&b);
	for (s = pk->title ? pk->title : ""; *s != '\0' && b.len < 60; s++) {
		char	 c = *s;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && b.len > 0)
				buf_putc(&b, '-');
			buf_putc(&b, c);
			dash = false;
		} else
			dash = true;
	}
	if (b.len == 0)
		buf_puts(&b, "pack");
	/* Never the name of a service's own briefing. */
	for (i = 0; i < pk->nservices; i++)
		if (strcmp(b.data, pk->services[i].id) == 0) {
			buf_puts(&b, "-pack");
			i = 0;
		}
	return buf_release(&b);
}
