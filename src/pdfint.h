/*
 * pdfint.h: internal to the PDF renderer (render stage, SPEC 5): not for
 * other modules, which use pdf.h.  The renderer is three files with one
 * job each: pdf.c makes the documents (Markdown blocks, service pages,
 * the pack, finishing), pdfdraw.c draws on their pages (set-up, colours,
 * paths, text, tables, charts) and pdfharu.c deals with libharu 2.3.0's
 * internals (compression, fonts, document objects, the text operators).
 * This header holds what they share: the page geometry, the document
 * being written (struct pdf) and the functions one calls in another.
 * With those three files, it is the only place that includes hpdf.h.
 * The functions called per point or per character (pdf_path_*,
 * pdf_utf8_next, pdf_font_width) stay static beside their callers.
 */
#ifndef PDFINT_H
#define PDFINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "chart.h"
#include "layout.h"
#include "model.h"
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

/* pdfharu.c: libharu's internals. */

/* Whether the two faces were found (fontconfig, once per process). */
bool	 pdf_font_found(void);
/* A document object for p with its two fonts; -1 when none can be
 * made, else 0 (a libharu error is then in p->err). */
int	 pdf_doc_open(struct pdf *);
/* Keeps p's document object for the next document, or frees it. */
void	 pdf_doc_close(struct pdf *);
/* The fonts' widths and maps, then the document into out; 0, or -1
 * (reported, naming name). */
int	 pdf_doc_save(struct pdf *, const char *name, struct buf *out);
/* Sends a new page's content stream through pdfharu.c's deflate. */
void	 pdf_page_deflate(HPDF_Page);
/* Writes a path, begun and painted, into the page; HPDF_OK or the
 * error. */
HPDF_STATUS pdf_page_write(struct pdf *, const char *, size_t);
/* Width in points of s[0..len) at size; pdf_measure is it for
 * layout.h (arg: the struct pdf). */
double	 pdf_width(struct pdf *, bool bold, const char *s, size_t len,
	    double size);
double	 pdf_measure(void *, bool, const char *, size_t, double);
/* The text state operators, written as libharu writes them. */
void	 pdf_rgb_set(struct pdf *, HPDF_RGBColor, bool stroke);
void	 pdf_text_matrix(struct pdf *, HPDF_REAL, HPDF_REAL, HPDF_REAL,
	    HPDF_REAL, HPDF_REAL, HPDF_REAL);
void	 pdf_text_move(struct pdf *, HPDF_REAL, HPDF_REAL);
void	 pdf_font(struct pdf *, bool bold, double size);
/* HPDF_Page_ShowText of s in face (the current font). */
void	 pdf_show_text(struct pdf *, int face, const char *s);

/* pdfdraw.c: pages and what is drawn on them. */

/* Sets up p and its document; -1 (reported) if fonts are missing. */
int	 pdf_open(struct pdf *, const struct pack *,
	    const struct chart_palette *, const char *name);
void	 pdf_close(struct pdf *);
void	 pdf_new_page(struct pdf *);
void	 pdf_need(struct pdf *, double h);
void	 pdf_set_foot(struct pdf *, const char *);
void	 pdf_hline(struct pdf *, double x0, double x1, double y, double w,
	    unsigned rgb);
void	 pdf_rect(struct pdf *, double x, double y, double w, double h,
	    unsigned rgb);
void	 pdf_show(struct pdf *, double x, double y, const char *s,
	    size_t len, bool bold, bool italic, double size, unsigned rgb);
double	 pdf_say(struct pdf *, double x, double y, const char *s, bool bold,
	    double size, unsigned rgb, enum layout_align);
void	 pdf_text_init(struct pdf *, struct layout_text *,
	    const struct md_text *, double size, double lead, bool bold,
	    unsigned rgb);
void	 pdf_flow(struct pdf *, struct layout_text *, double x,
	    double width, enum layout_align, const char *marker, double bar_x,
	    bool bar);
void	 pdf_plain(struct pdf *, const char *s, unsigned style, double x,
	    double width, double size, double lead, bool bold, unsigned rgb,
	    enum layout_align);
void	 pdf_table_draw(struct pdf *, const struct layout_table *,
	    double x, double width);
void	 pdf_grid_draw(struct pdf *, struct layout_grid *, bool col0_bold,
	    double size);
void	 pdf_chart_draw(struct pdf *, const struct chart *, double x,
	    double width);

#endif /* !PDFINT_H */
