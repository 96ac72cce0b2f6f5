/*
 * pdf.h: A4 PDF briefings with libharu (render stage, SPEC 5): one per
 * service (out/pdf/<id>.pdf) and the whole pack (cover, contents,
 * executive summary, services table, and every service's briefing up
 * to pack_pdf_services services; past that the table names each
 * service's own file instead).  Text comes from
 * the Markdown through md_blocks(); charts are drawn as vectors from the
 * same chart model as the SVG (chart.h).  Fonts are TrueType faces found
 * with fontconfig (Liberation Sans, else DejaVu Sans) and embedded.
 * Only the renderer's own files (pdf.c, pdfdraw.c, pdfharu.c and
 * their private pdfint.h) include hpdf.h.  Output is deterministic:
 * the creation date is the pack date, never the clock.
 */
#ifndef PDF_H
#define PDF_H

#include "chart.h"
#include "model.h"
#include "util.h"

/* Renders the briefing of one analysed service into out (appended).
 * name is the file named in messages (e.g. "out/pdf/idva.pdf").
 * Returns 0, or -1 after reporting through diag (out is then left as
 * it was).  Safe to call from several threads at once. */
int	 pdf_service_buf(const struct pack *, const struct service *,
	    const struct chart_palette *, const char *name, struct buf *out);
/* Renders the whole pack's PDF into out; as pdf_service_buf. */
int	 pdf_pack_buf(const struct pack *, const struct chart_palette *,
	    const char *name, struct buf *out);
/* The same, written to path (parent directories created) through a
 * temporary file that is renamed into place, so that a failure never
 * leaves a half-written PDF.  0 or -1 (reported, naming path). */
int	 pdf_service(const struct pack *, const struct service *,
	    const struct chart_palette *, const char *path);
int	 pdf_pack(const struct pack *, const struct chart_palette *,
	    const char *path);
/* File stem of the pack PDF: the slug of the pack title ("victim-
 * services-performance-pack"), "pack" without a usable title.  Caller
 * frees. */
char	*pdf_pack_name(const struct pack *);

#endif /* !PDF_H */
