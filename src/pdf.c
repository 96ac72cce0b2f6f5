/*
 * pdf.c: A4 briefings with libharu (see pdf.h, SPEC 5): what makes the
 * documents.  A small typesetter: Markdown blocks (md_blocks) are
 * broken into lines with the embedded font's own metrics, justified,
 * and flowed onto pages with keep-with-next for headings, widow and
 * orphan control for paragraphs, repeated header rows for tables and
 * unbroken charts.  The decisions (lines, fits, column widths) are
 * layout.c's and the words and table rows briefing.c's; this file puts
 * the blocks of a service's pages and of the pack in order, pdfdraw.c
 * measures, places and draws them, and pdfharu.c deals with libharu's
 * internals (pdfint.h is what the three share).  Footers ("Page X of
 * Y") are drawn last, when the page count is known; the pack's
 * contents pages are reserved first and filled in at the end.
 * libharu errors go to a handler that records the first one; the
 * document is then dropped and the error reported once, naming the file.
 */
#include <sys/stat.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf.h>

#include "briefing.h"
#include "chart.h"
#include "diag.h"
#include "layout.h"
#include "md.h"
#include "pdf.h"
#include "pdfint.h"
#include "simchart.h"
#include "util.h"

/* ---- chart blocks ---- */

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

/* Footers, then the document into out (pdf_doc_save); 0, or -1
 * (reported) on any error. */
static int
pdf_finish(struct pdf *p, const char *name, struct buf *out)
{
	pdf_footers(p);
	return pdf_doc_save(p, name, out);
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
