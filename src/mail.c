/*
 * mail.c: the e-mail stage (SPEC 6).  "boardpack mail" loads and
 * analyses the pack as build does, renders one service's PDF briefing
 * (pdf_service_buf, with the theme's chart colours, so the bytes equal
 * out/pdf/<id>.pdf), wraps it in a MIME message with a text and HTML
 * summary (the service's IPR rows and headline figures) and writes it
 * to --eml FILE (temporary file + rename) or sends it with libcurl to
 * --smtp smtp://host:port (STARTTLS when offered) or smtps://.
 *
 * The pure MIME parts (base64, quoted-printable, RFC 2047 headers,
 * address checks, Date, Message-ID, the message) are in mime.c; this
 * file loads the pack, writes the summaries and does the I/O.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>

#include <curl/curl.h>
#include <jansson.h>
#include <yaml.h>

#include "analysis.h"
#include "chart.h"
#include "content.h"
#include "diag.h"
#include "esc.h"
#include "ipr.h"
#include "mail.h"
#include "mime.h"
#include "pdf.h"
#include "tmpl.h"
#include "theme.h"
#include "util.h"

static const char mail_default_subject[] =
    "{{service.title}}: {{pack.period_label}} briefing";

/* ---- the summary: IPR rows and headline figures ---- */

/* One measure of the IPR table, as strings borrowed from its JSON. */
struct mail_row {
	const char	*measure, *latest, *value, *target, *variation,
			*assurance;
};

static const char *
mail_js(const json_t *o, const char *k)
{
	const char	*s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

/* A headline figure: label, value and what it means. */
struct mail_fig {
	char	 label[64], value[96], note[192];
};

/* The headline figures of a flow service (as on its page, SPEC 4.1);
 * returns the count (0 for a KPI page). */
static size_t
mail_figures(const struct service *svc, struct mail_fig fig[4])
{
	const struct flow	*f;
	size_t			 n, k, nf = 0;
	char			 x[64], y[64];

	if (svc->an == NULL || !svc->an->has_flow || svc->series == NULL ||
	    svc->series->n == 0)
		return 0;
	f = &svc->an->flow;
	n = svc->series->n;
	chart_fmt_number(x, sizeof(x), f->load, 2);
	snprintf(fig[nf].label, sizeof(fig[nf].label),
	    "Load (demand \xc3\xb7 capacity)");
	snprintf(fig[nf].value, sizeof(fig[nf].value), "%s",
	    isfinite(f->load) ? x : "\xe2\x80\x93");
	chart_fmt_number(y, sizeof(y), f->load * 100, 0);
	if (isfinite(f->load))
		snprintf(fig[nf].note, sizeof(fig[nf].note), "Demand was "
		    "%s%% of capacity over the whole period", y);
	else
		snprintf(fig[nf].note, sizeof(fig[nf].note),
		    "No capacity was recorded");
	nf++;
	chart_fmt_number(x, sizeof(x), f->backlog_cases[n - 1], -1);
	chart_fmt_number(y, sizeof(y), f->backlog_minutes[n - 1], -1);
	snprintf(fig[nf].label, sizeof(fig[nf].label), "Backlog");
	snprintf(fig[nf].value, sizeof(fig[nf].value), "%s cases", x);
	snprintf(fig[nf].note, sizeof(fig[nf].note), "%s minutes of work "
	    "waiting (computed)", y);
	nf++;
	if (f->observed_waiting != NULL) {
		for (k = n; k > 0 && !isfinite(f->observed_waiting[k - 1]);
		    k--)
			continue;
		if (k > 0) {
			chart_fmt_number(x, sizeof(x),
			    f->observed_waiting[k - 1], -1);
			chart_fmt_date(y, sizeof(y), svc->period,
			    svc->series->key[k - 1]);
			snprintf(fig[nf].label, sizeof(fig[nf].label),
			    "Observed waiting list");
			snprintf(fig[nf].value, sizeof(fig[nf].value),
			    "%s cases", x);
			snprintf(fig[nf].note, sizeof(fig[nf].note),
			    "As recorded, %s", y);
			nf++;
		}
	}
	chart_fmt_number(x, sizeof(x), f->wait_days[n - 1], 1);
	chart_fmt_number(y, sizeof(y), svc->target_wait_days, -1);
	snprintf(fig[nf].label, sizeof(fig[nf].label), "Estimated wait");
	snprintf(fig[nf].value, sizeof(fig[nf].value), "%s days", x);
	snprintf(fig[nf].note, sizeof(fig[nf].note), "For a case arriving "
	    "now: backlog \xc3\xb7 mean capacity per day (target %s days)", y);
	nf++;
	return nf;
}

static void
mail_html_text(struct buf *b, const char *s)
{
	esc_html(b, s, strlen(s));
}

/* Inline styles: mail clients drop <style> and external sheets. */
#define MAIL_TH "padding:8px 10px;border-bottom:2px solid #d8dde0;" \
	"text-align:left;font-size:14px;vertical-align:bottom"
#define MAIL_TD "padding:8px 10px;border-bottom:1px solid #d8dde0;" \
	"vertical-align:top;font-size:15px"
#define MAIL_H2 "margin:28px 0 8px;font-size:19px;line-height:1.3"

/* The text/plain and text/html summaries of svc (index i of p). */
static void
mail_summary(const struct pack *p, const struct service *svc,
    const struct chart_palette *pal, const char *subject,
    const char *filename, bool has_day, int64_t day, struct buf *text,
    struct buf *html)
{
	struct ipr_opts	 io;
	struct mail_fig	 fig[4];
	struct mail_row	 r;
	json_t		*ipr, *g, *rows, *row;
	size_t		 nf, i, gi, ri, nrows = 0;
	const char	*title = svc->title ? svc->title : svc->id;
	const char	*period = p->period_label ? p->period_label : "";
	const char	*head = pal->colour[CHART_ROLE_DEMAND];
	const char	*ink = pal->colour[CHART_ROLE_TEXT];

	memset(&io, 0, sizeof(io));
	io.pal = pal;
	io.href_prefix = "";
	io.id_prefix = "mail";
	io.has_day = has_day;
	io.pack_day = day;
	io.caption = "Measures";
	ipr = ipr_json(p, (size_t)(svc - p->services), 1, &io, NULL);
	nf = mail_figures(svc, fig);

	/* text/plain */
	buf_printf(text, "%s\n", title);
	if (*period != '\0')
		buf_printf(text, "%s briefing\n", period);
	if (p->title)
		buf_printf(text, "%s\n", p->title);
	if (p->organisation)
		buf_printf(text, "%s\n", p->organisation);
	buf_printf(text, "\nThe briefing for %s%s%s is attached as %s. "
	    "This message summarises its measures.\n", title,
	    *period ? ", " : "", period, filename);
	if (nf > 0) {
		buf_puts(text, "\nHeadline figures\n\n");
		for (i = 0; i < nf; i++)
			buf_printf(text, "- %s: %s\n  %s\n", fig[i].label,
			    fig[i].value, fig[i].note);
	}
	buf_puts(text, "\nMeasures\n");

	/* text/html */
	buf_puts(html, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n<title>");
	mail_html_text(html, subject);
	buf_puts(html, "</title>\n</head>\n");
	buf_puts(html, "<body style=\"margin:0;padding:0;background:#f0f4f5\">"
	    "\n<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" "
	    "cellspacing=\"0\" style=\"border-collapse:collapse;"
	    "background:#f0f4f5\">\n<tr><td align=\"center\" "
	    "style=\"padding:24px 12px\">\n");
	buf_printf(html, "<table role=\"presentation\" width=\"640\" "
	    "cellpadding=\"0\" cellspacing=\"0\" style=\"border-collapse:"
	    "collapse;width:100%%;max-width:640px;background:#ffffff;"
	    "font-family:Arial,Helvetica,sans-serif;color:%s\">\n", ink);
	buf_printf(html, "<tr><td style=\"background:%s;color:#ffffff;"
	    "padding:20px 24px\">\n", head);
	if (p->organisation) {
		buf_puts(html, "<p style=\"margin:0;font-size:14px\">");
		mail_html_text(html, p->organisation);
		buf_puts(html, "</p>\n");
	}
	buf_puts(html, "<h1 style=\"margin:6px 0 0;font-size:26px;"
	    "line-height:1.25\">");
	mail_html_text(html, title);
	buf_puts(html, "</h1>\n");
	if (*period != '\0') {
		buf_puts(html, "<p style=\"margin:6px 0 0;font-size:17px\">");
		mail_html_text(html, period);
		buf_puts(html, " briefing</p>\n");
	}
	buf_puts(html, "</td></tr>\n<tr><td style=\"padding:20px 24px 28px;"
	    "font-size:16px;line-height:1.5\">\n<p style=\"margin:0\">"
	    "The briefing for <strong>");
	mail_html_text(html, title);
	buf_puts(html, "</strong>");
	if (*period != '\0') {
		buf_puts(html, ", ");
		mail_html_text(html, period);
	}
	buf_puts(html, ", is attached as <strong>");
	mail_html_text(html, filename);
	buf_puts(html, "</strong>. This message summarises its "
	    "measures.</p>\n");
	if (nf > 0) {
		buf_puts(html, "<h2 style=\"" MAIL_H2 "\">Headline figures"
		    "</h2>\n<table cellpadding=\"0\" cellspacing=\"0\" "
		    "style=\"border-collapse:collapse;width:100%\">\n");
		for (i = 0; i < nf; i++) {
			buf_puts(html, "<tr><th scope=\"row\" style=\""
			    MAIL_TD ";text-align:left;font-weight:bold\">");
			mail_html_text(html, fig[i].label);
			buf_puts(html, "</th><td style=\"" MAIL_TD ";"
			    "text-align:right;white-space:nowrap;"
			    "font-weight:bold\">");
			mail_html_text(html, fig[i].value);
			buf_puts(html, "</td><td style=\"" MAIL_TD ";"
			    "font-size:14px;color:#4c6272\">");
			mail_html_text(html, fig[i].note);
			buf_puts(html, "</td></tr>\n");
		}
		buf_puts(html, "</table>\n");
	}
	buf_puts(html, "<h2 style=\"" MAIL_H2 "\">Measures</h2>\n"
	    "<table cellpadding=\"0\" cellspacing=\"0\" style=\""
	    "border-collapse:collapse;width:100%\">\n<thead><tr>"
	    "<th scope=\"col\" style=\"" MAIL_TH "\">Measure</th>"
	    "<th scope=\"col\" style=\"" MAIL_TH ";text-align:right\">"
	    "Latest</th>"
	    "<th scope=\"col\" style=\"" MAIL_TH ";text-align:right\">"
	    "Target</th>"
	    "<th scope=\"col\" style=\"" MAIL_TH "\">Variation</th>"
	    "<th scope=\"col\" style=\"" MAIL_TH "\">Assurance</th>"
	    "</tr></thead>\n<tbody>\n");

	json_array_foreach(json_object_get(ipr, "groups"), gi, g) {
		rows = json_object_get(g, "rows");
		json_array_foreach(rows, ri, row) {
			r.measure = mail_js(row, "measure");
			r.latest = mail_js(row, "latest");
			r.value = mail_js(row, "value");
			r.target = mail_js(row, "target");
			r.variation = mail_js(row, "variation_text");
			r.assurance = mail_js(row, "assurance_text");
			nrows++;
			buf_printf(text, "\n- %s\n  Latest (%s): %s; target: "
			    "%s\n", r.measure, r.latest, *r.value ? r.value :
			    "\xe2\x80\x93", *r.target ? r.target : "None");
			if (*r.variation)
				buf_printf(text, "  Variation: %s\n",
				    r.variation);
			if (*r.assurance)
				buf_printf(text, "  Assurance: %s\n",
				    r.assurance);
			buf_puts(html, "<tr><th scope=\"row\" style=\""
			    MAIL_TD ";text-align:left\">");
			mail_html_text(html, r.measure);
			buf_puts(html, "<br><span style=\"font-weight:normal;"
			    "font-size:13px;color:#4c6272\">");
			mail_html_text(html, r.latest);
			buf_puts(html, "</span></th><td style=\"" MAIL_TD
			    ";text-align:right;white-space:nowrap;"
			    "font-weight:bold\">");
			mail_html_text(html, *r.value ? r.value :
			    "\xe2\x80\x93");
			buf_puts(html, "</td><td style=\"" MAIL_TD
			    ";text-align:right;white-space:nowrap\">");
			mail_html_text(html, *r.target ? r.target : "None");
			buf_puts(html, "</td><td style=\"" MAIL_TD
			    ";font-size:14px\">");
			mail_html_text(html, r.variation);
			buf_puts(html, "</td><td style=\"" MAIL_TD
			    ";font-size:14px\">");
			mail_html_text(html, r.assurance);
			buf_puts(html, "</td></tr>\n");
		}
	}
	if (nrows == 0) {
		buf_puts(text, "\nNo measures.\n");
		buf_puts(html, "<tr><td colspan=\"5\" style=\"" MAIL_TD "\">"
		    "No measures.</td></tr>\n");
	}
	buf_puts(html, "</tbody>\n</table>\n");
	buf_puts(html, "<p style=\"margin:12px 0 0;font-size:13px;"
	    "color:#4c6272\">Variation and assurance follow NHS England's "
	    "Making Data Count: the latest point of each measure's "
	    "statistical process control chart.</p>\n</td></tr>\n");
	buf_puts(text, "\nVariation and assurance follow NHS England's Making "
	    "Data Count: the latest point of each measure's statistical "
	    "process control chart.\n");
	buf_puts(html, "<tr><td style=\"padding:16px 24px;border-top:1px "
	    "solid #d8dde0;font-size:13px;line-height:1.5;color:#4c6272\">");
	if (p->title)
		mail_html_text(html, p->title);
	if (p->author || p->contact) {
		buf_puts(text, "\n-- \n");
		buf_puts(html, "<br>");
		if (p->author) {
			buf_puts(text, p->author);
			mail_html_text(html, p->author);
		}
		if (p->author && p->contact) {
			buf_puts(text, ", ");
			buf_puts(html, ", ");
		}
		if (p->contact) {
			buf_puts(text, p->contact);
			mail_html_text(html, p->contact);
		}
		buf_puts(text, "\n");
	}
	buf_puts(html, "</td></tr>\n</table>\n</td></tr>\n</table>\n"
	    "</body>\n</html>\n");
	json_decref(ipr);
}

/* ---- the subject ---- */

/* The subject from the mail.subject template (SPEC 3.1), rendered with
 * {service: {id, title, owner, domain}, pack: {title, organisation,
 * period_label, date}}.  Plain text, so {{x}} is taken as {{& x}}.
 * NULL after reporting a template error.  Caller frees. */
static char *
mail_subject(const struct pack *p, const struct service *svc,
    const char *date)
{
	const char	*src = p->mail_subject ? p->mail_subject :
			    mail_default_subject, *s;
	struct tmpl_set	*set;
	struct buf	 t, out;
	json_t		*ctx, *o;
	char		*r = NULL;

	buf_init(&t);
	for (s = src; *s != '\0'; s++) {
		if (s[0] == '{' && s[1] == '{') {
			/* "{{" opens a tag: a plain variable becomes raw;
			 * "{{{", sections, partials and the rest stay. */
			buf_puts(&t, "{{");
			if (s[2] != '\0' && strchr("{&#^/!>=", s[2]) == NULL)
				buf_putc(&t, '&');
			s++;
		} else
			buf_putc(&t, *s);
	}
	ctx = json_object();
	o = json_object();
	json_object_set_new(o, "id", json_string(svc->id));
	json_object_set_new(o, "title", json_string(svc->title ? svc->title :
	    svc->id));
	json_object_set_new(o, "owner", json_string(svc->owner ? svc->owner :
	    ""));
	json_object_set_new(o, "domain", json_string(svc->domain ?
	    svc->domain : ""));
	json_object_set_new(ctx, "service", o);
	o = json_object();
	json_object_set_new(o, "title", json_string(p->title ? p->title :
	    ""));
	json_object_set_new(o, "organisation", json_string(p->organisation ?
	    p->organisation : ""));
	json_object_set_new(o, "period_label", json_string(p->period_label ?
	    p->period_label : ""));
	json_object_set_new(o, "date", json_string(date));
	json_object_set_new(ctx, "pack", o);

	set = tmpl_set_new();
	buf_init(&out);
	if (tmpl_set_add(set, "subject", t.data, p->config_path) == 0 &&
	    tmpl_render(set, "subject", ctx, &out) == 0)
		r = xstrdup(out.data ? out.data : "");
	buf_clear(&out);
	tmpl_set_free(set);
	json_decref(ctx);
	buf_clear(&t);
	return r;
}

/* ---- the theme's chart colours and the pack date ---- */


/* The theme's chart colours, read as build reads them (theme.c), so that
 * the attached PDF is the one build writes.  0, or -1 (reported). */
static int
mail_palette(const struct pack *p, struct chart_palette *pal)
{
	char	*dd = util_data_dir(), *thdir;
	int	 rc;

	thdir = util_path_join(dd, "themes");
	rc = theme_palette(thdir, p->theme ? p->theme : "nhs",
	    p->config_path, pal);
	free(thdir);
	free(dd);
	return rc;
}


/* ---- I/O: the .eml file and SMTP ---- */

/* Writes data to path through a temporary file in the same directory
 * that is renamed into place.  0, or -1 (reported). */
static int
mail_write_eml(const char *path, const char *data, size_t len)
{
	char	*tmp = xasprintf("%s.tmp.XXXXXX", path);
	int	 fd, err = 0;
	size_t	 off = 0;
	ssize_t	 w;

	if ((fd = mkstemp(tmp)) == -1) {
		fprintf(stderr, "boardpack: cannot write %s: %s\n", path,
		    strerror(errno));
		free(tmp);
		return -1;
	}
	while (off < len && err == 0) {
		w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			err = w < 0 ? errno : EIO;
		else
			off += (size_t)w;
	}
	if (err == 0 && fchmod(fd, 0644) == -1)
		err = errno;
	if (close(fd) == -1 && err == 0)
		err = errno;
	if (err == 0 && rename(tmp, path) == -1)
		err = errno;
	if (err != 0) {
		fprintf(stderr, "boardpack: cannot write %s: %s\n", path,
		    strerror(err));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

/* The SMTP session as far as it got, from libcurl's debug callback. */
struct mail_smtp {
	const char	*data;
	size_t		 len, pos;
	char		 step[160];	/* the last command, "connecting" */
	char		 reply[200];	/* the server's last reply line */
	char		 fail_step[160]; /* step and reply of the first */
	char		 fail_reply[200]; /* 4xx or 5xx reply, "" = none */
	bool		 data_sent;	/* the message body went out */
};

static size_t
mail_read_cb(char *ptr, size_t size, size_t nitems, void *arg)
{
	struct mail_smtp	*s = arg;
	size_t			 n = size * nitems;

	if (n > s->len - s->pos)
		n = s->len - s->pos;
	memcpy(ptr, s->data + s->pos, n);
	s->pos += n;
	return n;
}

/* Copies the first line of p[0..n) into dst as printable ASCII. */
static void
mail_line(char *dst, size_t size, const char *p, size_t n)
{
	size_t	 i, k = 0;

	for (i = 0; i < n && p[i] != '\r' && p[i] != '\n' && k + 1 < size;
	    i++)
		dst[k++] = (p[i] >= 0x20 && p[i] < 0x7f) ? p[i] : '?';
	dst[k] = '\0';
}

/* Records the last SMTP command and reply, never a credential: only
 * known command words are kept; what follows AUTH stays "AUTH". */
static int
mail_debug_cb(CURL *c, curl_infotype type, char *p, size_t n, void *arg)
{
	static const char *const cmds[] = { "EHLO", "HELO", "STARTTLS",
	    "MAIL FROM", "RCPT TO", "DATA", NULL };
	struct mail_smtp	*s = arg;
	size_t			 i;

	(void)c;
	if (type == CURLINFO_HEADER_IN) {
		mail_line(s->reply, sizeof(s->reply), p, n);
		if ((s->reply[0] == '4' || s->reply[0] == '5') &&
		    s->fail_reply[0] == '\0') {
			memcpy(s->fail_step, s->step, sizeof(s->step));
			memcpy(s->fail_reply, s->reply, sizeof(s->reply));
		}
	} else if (type == CURLINFO_HEADER_OUT) {
		if (n >= 4 && strncmp(p, "AUTH", 4) == 0) {
			snprintf(s->step, sizeof(s->step), "AUTH");
			return 0;
		}
		for (i = 0; cmds[i] != NULL; i++)
			if (n >= strlen(cmds[i]) &&
			    strncmp(p, cmds[i], strlen(cmds[i])) == 0) {
				mail_line(s->step, sizeof(s->step), p, n);
				break;
			}
	} else if (type == CURLINFO_DATA_OUT && !s->data_sent) {
		s->data_sent = true;
		snprintf(s->step, sizeof(s->step), "sending the message");
	}
	return 0;
}

/* Sends msg[0..len) with libcurl to url: envelope from and to[0..n).
 * 0 on a 250 for the whole message; -1 with the failing step, curl's
 * message and the server's last reply reported. */
static int
mail_smtp_send(const char *url, const char *from, const char *const *to,
    size_t n, const char *msg, size_t len, const char *what)
{
	struct mail_smtp	 s;
	struct curl_slist	*rcpt = NULL;
	char			 err[CURL_ERROR_SIZE], *env_from, *a;
	const char		*user = getenv("BOARDPACK_SMTP_USER");
	const char		*pass = getenv("BOARDPACK_SMTP_PASSWORD");
	CURL			*c;
	CURLcode		 rc;
	size_t			 i;
	long			 code = 0;

	if ((c = curl_easy_init()) == NULL) {
		fprintf(stderr, "boardpack: cannot start libcurl\n");
		return -1;
	}
	memset(&s, 0, sizeof(s));
	s.data = msg;
	s.len = len;
	snprintf(s.step, sizeof(s.step), "connecting");
	err[0] = '\0';
	env_from = xasprintf("<%s>", from);
	for (i = 0; i < n; i++) {
		a = xasprintf("<%s>", to[i]);
		rcpt = curl_slist_append(rcpt, a);
		free(a);
		if (rcpt == NULL) {
			fprintf(stderr, "boardpack: out of memory\n");
			abort();
		}
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	/* STARTTLS when the server offers it; required (never a password
	 * in clear) when credentials are given.  smtps:// is TLS anyway. */
	curl_easy_setopt(c, CURLOPT_USE_SSL, (user != NULL && *user != '\0') ?
	    (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
	if (user != NULL && *user != '\0') {
		curl_easy_setopt(c, CURLOPT_USERNAME, user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, pass ? pass : "");
	}
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, env_from);
	/* CURLOPT_MAIL_RCPT_ALLOWFAILS is not set: one refused recipient
	 * fails the whole send. */
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, mail_read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &s);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, mail_debug_cb);
	curl_easy_setopt(c, CURLOPT_DEBUGDATA, &s);
	curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(c);
	curl_slist_free_all(rcpt);
	free(env_from);
	if (rc == CURLE_OK && code == 250)
		return 0;
	if (rc == CURLE_OK)
		snprintf(err, sizeof(err), "unexpected reply %ld", code);
	/* The first refusal names the step; else where the session was. */
	fprintf(stderr, "boardpack: mail: sending %s to %s failed at %s: "
	    "%s\n", what, url, s.fail_reply[0] ? s.fail_step : s.step,
	    err[0] ? err : curl_easy_strerror(rc));
	if (s.fail_reply[0] != '\0' || s.reply[0] != '\0')
		fprintf(stderr, "boardpack: mail: the server %s: %s\n",
		    s.fail_reply[0] ? "refused" : "last replied",
		    s.fail_reply[0] ? s.fail_reply : s.reply);
	fprintf(stderr, "boardpack: mail: %s\n", s.data_sent ?
	    "the message may not have been delivered to anyone" :
	    "the message was not sent");
	return -1;
}

/* ---- the command ---- */

static const char mail_usage_text[] =
"usage: boardpack mail [DIR] --service ID --to ADDR [--to ADDR...]\n"
"                      [--from ADDR] (--smtp URL | --eml FILE)\n"
"\n"
"Builds the service's PDF briefing and e-mails it: --eml writes the\n"
"message to FILE, --smtp sends it to smtp://host:port (STARTTLS when\n"
"offered) or smtps://host:port.  SMTP credentials come only from the\n"
"environment: BOARDPACK_SMTP_USER and BOARDPACK_SMTP_PASSWORD.\n";

static int
mail_usage(const char *fmt, const char *arg)
{
	fputs("boardpack: mail: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n", stderr);
	fputs(mail_usage_text, stderr);
	return 2;
}

/* Shows an address in a message without its control characters. */
static const char *
mail_shown(char *dst, size_t size, const char *s)
{
	size_t	 i, k = 0;

	for (i = 0; s[i] != '\0' && k + 5 < size; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
			k += (size_t)snprintf(dst + k, size - k, "\\x%02x",
			    (unsigned char)s[i]);
		} else
			dst[k++] = s[i];
	}
	dst[k] = '\0';
	return dst;
}

/* true if url is smtp:// or smtps:// with a host, printable ASCII
 * without spaces, and no user information (credentials come only
 * from the environment). */
static bool
mail_url_ok(const char *url, bool *userinfo)
{
	const char	*p, *h;
	size_t		 hl;

	*userinfo = false;
	for (p = url; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return false;
	if (strncasecmp(url, "smtp://", 7) == 0)
		h = url + 7;
	else if (strncasecmp(url, "smtps://", 8) == 0)
		h = url + 8;
	else
		return false;
	hl = strcspn(h, "/?#");
	if (hl == 0)
		return false;
	if (memchr(h, '@', hl) != NULL) {
		*userinfo = true;
		return false;
	}
	return true;
}

/* Parsed options of "boardpack mail". */
struct mail_opts {
	const char	*dir, *service, *from, *smtp, *eml;
	const char	**to;
	size_t		 nto;
};

/* Parses argv into o; returns -1 (usage reported, o->to to free),
 * 0, or 1 for --help. */
static int
mail_args(int argc, char *argv[], struct mail_opts *o)
{
	char		 shown[128];
	const char	*a, *v;
	bool		 has_dir = false, ui;
	int		 i;

	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			return 1;
		if (strcmp(a, "--service") == 0 || strcmp(a, "--to") == 0 ||
		    strcmp(a, "--from") == 0 || strcmp(a, "--smtp") == 0 ||
		    strcmp(a, "--eml") == 0) {
			if (i + 1 >= argc) {
				mail_usage("option %s needs a value", a);
				return -1;
			}
			v = argv[++i];
			if (strcmp(a, "--to") == 0) {
				if (!mime_addr_ok(v)) {
					mail_usage("\"%s\" is not an e-mail "
					    "address boardpack accepts "
					    "(local@domain.example)",
					    mail_shown(shown, sizeof(shown),
					    v));
					return -1;
				}
				o->to = xreallocarray(o->to, o->nto + 1,
				    sizeof(*o->to));
				o->to[o->nto++] = v;
				continue;
			}
			if ((strcmp(a, "--service") == 0 && o->service) ||
			    (strcmp(a, "--from") == 0 && o->from) ||
			    (strcmp(a, "--smtp") == 0 && o->smtp) ||
			    (strcmp(a, "--eml") == 0 && o->eml)) {
				mail_usage("option %s given twice", a);
				return -1;
			}
			if (strcmp(a, "--service") == 0)
				o->service = v;
			else if (strcmp(a, "--from") == 0) {
				if (!mime_addr_ok(v)) {
					mail_usage("--from \"%s\" is not an "
					    "e-mail address boardpack accepts",
					    mail_shown(shown, sizeof(shown),
					    v));
					return -1;
				}
				o->from = v;
			} else if (strcmp(a, "--smtp") == 0) {
				if (!mail_url_ok(v, &ui)) {
					mail_usage(ui ? "--smtp %s: give "
					    "credentials in BOARDPACK_SMTP_USER "
					    "and BOARDPACK_SMTP_PASSWORD, not "
					    "in the URL" : "--smtp needs "
					    "smtp://host[:port] or "
					    "smtps://host[:port], not \"%s\"",
					    ui ? "" : mail_shown(shown,
					    sizeof(shown), v));
					return -1;
				}
				o->smtp = v;
			} else if (strcmp(a, "--eml") == 0)
				o->eml = v;
		} else if (a[0] == '-' && a[1] != '\0') {
			mail_usage("unknown option \"%s\"", mail_shown(shown,
			    sizeof(shown), a));
			return -1;
		} else if (!has_dir) {
			o->dir = a;
			has_dir = true;
		} else {
			mail_usage("unexpected argument \"%s\"",
			    mail_shown(shown, sizeof(shown), a));
			return -1;
		}
	}
	if (o->service == NULL)
		return mail_usage("%s", "--service ID is required"), -1;
	if (o->nto == 0)
		return mail_usage("%s", "at least one --to ADDR is required"),
		    -1;
	if ((o->smtp == NULL) == (o->eml == NULL))
		return mail_usage("%s", "give exactly one of --smtp URL and "
		    "--eml FILE"), -1;
	return 0;
}

/* Loads, analyses and renders; builds the message into msg.  Returns
 * 0, 1 (content, data or I/O error) or 2 (usage). */
static int
mail_make(const struct mail_opts *o, struct buf *msg, char **fname,
    char **from_out)
{
	struct pack		*pack;
	const struct service	*svc;
	struct chart_palette	 pal;
	struct mime_msg		 m;
	struct buf		 pdf, text, html;
	char			 date[64], iso[16], msgid[400], *subject = NULL;
	const char		*from;
	int64_t			 day = 0;
	bool			 has_day;
	int			 rc = 1;

	pack = content_load(o->dir);
	if (pack == NULL)
		return 1;
	if (diag_errors() > 0) {
		pack_free(pack);
		return 1;
	}
	if ((svc = content_service(pack, o->service)) == NULL) {
		fprintf(stderr, "boardpack: no service \"%s\" in %s\n",
		    o->service, o->dir);
		pack_free(pack);
		return 2;
	}
	from = o->from ? o->from : pack->mail_from;
	if (from == NULL) {
		pack_free(pack);
		return mail_usage("%s", "no sender: give --from ADDR or set "
		    "mail: from: in boardpack.yml");
	}
	if (!mime_addr_ok(from)) {
		diag_error(pack->config_path, 0, 0, "mail.from is not an "
		    "e-mail address boardpack accepts");
		pack_free(pack);
		return 1;
	}
	if (mail_palette(pack, &pal) == -1) {
		pack_free(pack);
		return 1;
	}
	analysis_run(pack, 1);
	has_day = pack->date != NULL && util_day_parse(pack->date, &day);
	util_date_format(iso, sizeof(iso), PERIOD_DAY, day);
	mime_date(date, sizeof(date), day);
	mime_message_id(msgid, sizeof(msgid), pack->title, svc->id, iso, from);
	*fname = xasprintf("%s.pdf", svc->id);
	buf_init(&pdf);
	buf_init(&text);
	buf_init(&html);
	if (pdf_service_buf(pack, svc, &pal, *fname, &pdf) == -1 ||
	    diag_errors() > 0)
		goto done;
	if ((subject = mail_subject(pack, svc, iso)) == NULL)
		goto done;
	mail_summary(pack, svc, &pal, subject, *fname, has_day, day, &text,
	    &html);
	memset(&m, 0, sizeof(m));
	m.from = from;
	m.from_name = pack->author ? pack->author : pack->organisation;
	m.to = o->to;
	m.nto = o->nto;
	m.subject = subject;
	m.date = date;
	m.message_id = msgid;
	m.text = text.data;
	m.html = html.data;
	m.filename = *fname;
	m.attach = pdf.data;
	m.attachlen = pdf.len;
	if (mime_build(&m, msg) == -1) {
		fprintf(stderr, "boardpack: mail: cannot build the message\n");
		goto done;
	}
	*from_out = xstrdup(from);
	rc = 0;
done:
	free(subject);
	buf_clear(&pdf);
	buf_clear(&text);
	buf_clear(&html);
	pack_free(pack);
	return rc;
}

int
mail_main(int argc, char *argv[])
{
	struct mail_opts	 o;
	struct buf		 msg;
	char			*fname = NULL, *from = NULL;
	int			 rc;

	memset(&o, 0, sizeof(o));
	o.dir = "content";
	rc = mail_args(argc, argv, &o);
	if (rc != 0) {
		free(o.to);
		if (rc == 1) {
			fputs(mail_usage_text, stdout);
			return 0;
		}
		return 2;
	}
	buf_init(&msg);
	rc = mail_make(&o, &msg, &fname, &from);
	if (rc == 0 && o.eml != NULL) {
		if (mail_write_eml(o.eml, msg.data, msg.len) == -1)
			rc = 1;
		else
			fprintf(stderr, "wrote %s (%s to %zu recipient%s)\n",
			    o.eml, fname, o.nto, o.nto == 1 ? "" : "s");
	} else if (rc == 0) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			fprintf(stderr, "boardpack: cannot start libcurl\n");
			rc = 1;
		} else {
			if (mail_smtp_send(o.smtp, from, o.to, o.nto,
			    msg.data, msg.len, fname) == -1)
				rc = 1;
			curl_global_cleanup();
		}
		if (rc == 0)
			fprintf(stderr, "sent %s to %zu recipient%s\n", fname,
			    o.nto, o.nto == 1 ? "" : "s");
	}
	buf_clear(&msg);
	free(fname);
	free(from);
	free(o.to);
	return rc;
}
