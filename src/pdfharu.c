/*
 * pdfharu.c: the PDF renderer's dealings with libharu's insides (render
 * stage, SPEC 5; internal to the renderer, see pdfint.h).  This is the
 * one place that depends on libharu 2.3.0's internals rather than its
 * API: it includes hpdf_utils.h (HPDF_FToA), calls what only its
 * internal headers declare (HPDF_Page_CheckState, HPDF_MemStream_*,
 * HPDF_TTFontDef_*, HPDF_Dict_*, HPDF_Xref_Add, HPDF_CMapEncoder_*),
 * and reads and writes the fields of its structs: the attr of pages,
 * fonts, font definitions, encoders and streams; a dictionary's
 * stream, filter and write_fn; a document's stream, fontdef_list and
 * ttfont_tag.  pdf.c and pdfdraw.c use hpdf.h's API and the functions
 * here.  When libharu changes (a Debian release past 2.3.0), read this
 * file against its sources and run tests/unit/test_pdf.c, which is
 * what would catch it: test_service_deterministic (a briefing made
 * with a new document object and again with a kept one, pdf_doc_get:
 * the same bytes), test_pack, test_wide_chars (pdf_font_map and
 * pdf_font_fix past U+2600), test_font_subsets (subsets made here by
 * pdf_font_ready the same bytes as libharu's) and test_threads (the
 * kept streams and document objects shared between threads); then
 * tests/pdf.sh (qpdf --check, fonts embedded) and the golden PDFs.
 *
 * Where libharu 2.3 is slow this file works around it, each time within
 * what its headers expose and with the same text on the page: words
 * are measured from width tables built once per process (fonts), fonts
 * are made with nearly no characters mapped and their widths and maps
 * filled in when the document is done (pdf_font_map, pdf_font_fix),
 * document objects are kept from one document to the next with their
 * faces and encoder (pdf_doc_get), text and the text state operators
 * are written here (pdf_show_text, pdf_op), memory streams are copied
 * with memcpy (pdf_mem_*), the font files are read once per process
 * (pdf_font_load), font subsets are made and deflated once per
 * process and page contents deflated at a faster level (compression).
 * Paths are formatted, and chart lines framed, by pdfdraw.c
 * (pdf_path_*, pdf_frame_*) and written into the page here
 * (pdf_page_write).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <fontconfig/fontconfig.h>
#include <hpdf.h>
#include <hpdf_utils.h>
#include <zlib.h>

#include "diag.h"
#include "pdfint.h"
#include "util.h"

static void	 pdf_docs_free(void);
/* ---- compression ---- */

/*
 * libharu deflates every stream itself, as it writes the document, at
 * zlib's default level 6.  pdfharu.c takes the streams over through a hook
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
#define PDF_DOC_CHUNK	(64 * 1024)	/* pdf_doc_save */
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

/*
 * Deflates dict's stream at level in place of libharu (which would use
 * level 6 again on every document): if keep, a stream deflated before
 * with the same bytes takes that copy (pdf_zfind) and a new one is kept
 * for later documents (pdf_zkeep).  Streams without the flate filter
 * are left to libharu.
 */
static HPDF_STATUS
pdf_deflate(HPDF_Dict dict, int level, bool keep)
{
	const struct pdf_zkept *k;
	unsigned char	*z;
	size_t		 nz;
	HPDF_STATUS	 rc;

	if (dict->stream == NULL ||
	    !(dict->filter & HPDF_STREAM_FILTER_FLATE_DECODE))
		return HPDF_OK;
	if (keep && (k = pdf_zfind(dict->stream)) != NULL)
		return pdf_zput(dict, k->z, k->nz);
	if (!pdf_zip(dict->stream, level, &z, &nz))
		return HPDF_SetError(dict->error, HPDF_ZLIB_ERROR, 0);
	if (keep)
		pdf_zkeep(dict->stream, z, nz);
	rc = pdf_zput(dict, z, nz);
	free(z);
	return rc;
}

/* write_fn of a font's streams: deflated once per process, kept. */
static HPDF_STATUS
pdf_deflate_kept(HPDF_Dict dict, HPDF_Stream unused)
{
	(void)unused;
	return pdf_deflate(dict, Z_DEFAULT_COMPRESSION, true);
}

/* write_fn of a page's content stream: deflated at PDF_ZLEVEL. */
static HPDF_STATUS
pdf_deflate_page(HPDF_Dict dict, HPDF_Stream unused)
{
	(void)unused;
	return pdf_deflate(dict, PDF_ZLEVEL, false);
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

/* Sends the content stream of page pg (NULL: none) through
 * pdf_deflate_page, read and written with memcpy (pdf_mem_fast). */
void
pdf_page_deflate(HPDF_Page pg)
{
	if (pg != NULL) {
		((HPDF_PageAttr)pg->attr)->contents->write_fn =
		    pdf_deflate_page;
		pdf_mem_fast(((HPDF_PageAttr)pg->attr)->stream);
	}
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

/* Whether the two faces were found, looked for once per process
 * (pdf_font_init). */
bool
pdf_font_found(void)
{
	pthread_once(&pdf_font_once, pdf_font_init);
	return pdf_font_path[PDF_REG] != NULL;
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

/* Width in points of s[0..len) at size in p's bold or regular face. */
double
pdf_width(struct pdf *p, bool bold, const char *s, size_t len, double size)
{
	(void)p;
	return (double)pdf_font_width(bold ? PDF_BOLD : PDF_REG, s, len) *
	    size / 1000.0;
}

/* pdf_width for layout.h: arg is the struct pdf. */
double
pdf_measure(void *arg, bool bold, const char *s, size_t len, double size)
{
	return pdf_width(arg, bold, s, len, size);
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

/* ---- documents ---- */

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

/* libharu's error handler: keeps the first error in the struct pdf. */
static void
pdf_on_error(HPDF_STATUS err, HPDF_STATUS detail, void *arg)
{
	struct pdf	*p = arg;

	if (p->err == 0) {
		p->err = err;
		p->detail = detail;
	}
}

/* A document for p: a kept document object (pdf_doc_get), else a new
 * one with its faces loaded and its errors going to p; then its two
 * fonts, made with nearly nothing mapped (pdf_font_map) and their
 * streams deflated through pdf_zkept (pdf_font_deflate).  -1 when no
 * document object can be made, else 0 (libharu's error in p->err). */
int
pdf_doc_open(struct pdf *p)
{
	HPDF_Encoder	 enc;
	HPDF_Encoder_ToUnicode_Func utf8 = NULL;
	const char	*fn;
	int		 i;

	if (pdf_doc_get(p, &p->kept))
		p->doc = p->kept.doc;
	else {
		p->doc = HPDF_NewEx(pdf_on_error, NULL, NULL, 0, p);
		if (p->doc == NULL)
			return -1;
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
	return 0;
}

/* Lets go of p's document object (NULL: none). */
void
pdf_doc_close(struct pdf *p)
{
	/* Kept only when all went well: libharu's state is then known. */
	if (p->doc != NULL && p->err == 0 && p->font[PDF_REG] != NULL &&
	    p->font[PDF_BOLD] != NULL)
		pdf_doc_put(&p->kept);
	else if (p->doc != NULL)
		HPDF_Free(p->doc);
}

/* The fonts' widths and maps (pdf_font_fix) and subsets
 * (pdf_font_ready), then the document into out; 0, or -1 (reported,
 * naming name) on any error, libharu's since pdf_doc_open among them. */
int
pdf_doc_save(struct pdf *p, const char *name, struct buf *out)
{
	HPDF_Stream	 doc;
	HPDF_UINT32	 size, left;
	HPDF_UINT	 nb, k, len;
	HPDF_BYTE	*chunk;
	HPDF_STATUS	 st;
	int		 i, rc = 1;

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

/* ---- operators ---- */

/*
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
void
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
void
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
void
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

static HPDF_Font
pdf_face(const struct pdf *p, bool bold)
{
	return p->font[bold ? PDF_BOLD : PDF_REG];
}

/* HPDF_Page_SetFontAndSize of p's bold or regular face, unless the
 * page has that font and size already. */
void
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
void
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

/* Writes the path b[0..n), begun and painted (pdfdraw.c,
 * pdf_path_paint), into the page's content stream in one write, when
 * the page is in page description mode: it leaves libharu's graphics
 * mode and state as they were.  HPDF_OK or the error. */
HPDF_STATUS
pdf_page_write(struct pdf *p, const char *b, size_t n)
{
	HPDF_PageAttr	 pa = (HPDF_PageAttr)p->page->attr;

	if (HPDF_Page_GetGMode(p->page) != HPDF_GMODE_PAGE_DESCRIPTION)
		return HPDF_INVALID_OPERATION;
	return HPDF_Stream_Write(pa->stream, (const HPDF_BYTE *)b,
	    (HPDF_UINT)n);
}
