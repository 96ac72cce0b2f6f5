/*
 * ipr.c: the IPR table and its icon key (see ipr.h).
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipr.h"
#include "spcchart.h"
#include "svg.h"
#include "util.h"

#define IPR_ICON	40.0	/* icon box, drawn at 2.25rem by the CSS */
#define IPR_SPARK_W	96.0
#define IPR_SPARK_H	28.0

static const char *const ipr_variations[] = {
	"improvement_high", "improvement_low", "concern_high", "concern_low",
	"neutral_high", "neutral_low", "common_cause"
};

static const char *const ipr_assurances[] = {
	"consistent_pass", "inconsistent", "consistent_fail"
};

static void
ipr_set(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, json_string_nocheck(v != NULL ? v : ""));
}

/* The SVG of c (freed here) as a string member k; nothing if c NULL. */
static void
ipr_svg(json_t *o, const char *k, struct chart *c,
    const struct chart_palette *pal, const char *id)
{
	struct buf	 b;

	if (c == NULL)
		return;
	buf_init(&b);
	svg_chart(c, pal, id, &b);
	ipr_set(o, k, b.data);
	buf_clear(&b);
	chart_free(c);
}

bool
ipr_stale(enum period period, int64_t key, int64_t pack_day)
{
	int		 y;
	unsigned	 m, d;
	int64_t		 end;

	/* The last day the period covers, against the first of the pack's
	 * month (SPEC 3.1: the pack reports a period such as a month). */
	end = util_key_day(period, util_date_next(period, key)) - 1;
	if (period == PERIOD_HOUR)
		end = util_key_day(period, key);
	util_civil_from_days(pack_day, &y, &m, &d);
	return end < util_days_from_civil(y, m, 1);
}

/* Decimals for a measure's numbers, as on its chart. */
static int
ipr_dec(const struct spc *sp)
{
	return spcchart_decimals(sp->values, sp->n);
}

static void
ipr_num(json_t *o, const char *k, double v, int dec, const char *unit)
{
	char	 n[64], s[256];

	if (!isfinite(v)) {
		ipr_set(o, k, "–");
		return;
	}
	chart_fmt_number(n, sizeof(n), v, dec);
	if (unit == NULL || *unit == '\0')
		snprintf(s, sizeof(s), "%s", n);
	else if (strcmp(unit, "%") == 0)
		snprintf(s, sizeof(s), "%s%%", n);
	else
		snprintf(s, sizeof(s), "%s %s", n, unit);
	ipr_set(o, k, s);
}

static void
ipr_href(json_t *o, const struct ipr_opts *op, const struct service *svc)
{
	char	*h = xasprintf("%s%s.html", op->href_prefix, svc->id);

	ipr_set(o, "href", h);
	free(h);
}

/* One row of the table for measure sp of svc, all but its icons (see
 * ipr_row_icons): what a service's rows need of its analysis, so that
 * they can be made as soon as it is analysed (ipr_service_rows). */
static json_t *
ipr_row(const struct service *svc, const struct spc *sp,
    const struct ipr_opts *op)
{
	json_t		*o = json_object();
	const int64_t	*key = svc->series->key;
	char		 s[128];
	size_t		 j = sp->n;
	int		 dec = ipr_dec(sp);
	bool		 pct;

	ipr_set(o, "measure", sp->label);
	ipr_href(o, op, svc);
	if (op->show_service)
		ipr_set(o, "service", svc->title != NULL ? svc->title :
		    svc->id);
	ipr_set(o, "owner", svc->owner != NULL ? svc->owner : "");
	while (j > 0 && !isfinite(sp->values[j - 1]))
		j--;
	if (j == 0) {
		ipr_set(o, "latest", "No data");
		return o;
	}
	j--;
	chart_fmt_date(s, sizeof(s), svc->period, key[j]);
	ipr_set(o, "latest", s);
	if (op->has_day && ipr_stale(svc->period, key[j], op->pack_day))
		json_object_set_new(o, "stale", json_true());
	/* Only "%" goes beside the numbers, keeping the columns narrow;
	 * other units are in the measure's name or on its page. */
	pct = sp->unit != NULL && strcmp(sp->unit, "%") == 0;
	ipr_num(o, "value", sp->values[j], dec, pct ? "%" : NULL);
	if (sp->has_target)
		ipr_num(o, "target", sp->target, dec, pct ? "%" : NULL);
	else
		ipr_set(o, "target", "None");
	ipr_num(o, "mean", sp->mean[j], dec, NULL);
	ipr_num(o, "lpl", sp->lpl[j], dec, NULL);
	ipr_num(o, "upl", sp->upl[j], dec, NULL);
	if (sp->trial_limits)
		json_object_set_new(o, "trial", json_true());
	/* The icons' names, for ipr_row_icons (the template ignores them). */
	ipr_set(o, "variation", sp->variation);
	if (sp->assurance != NULL)
		ipr_set(o, "assurance", sp->assurance);
	ipr_set(o, "variation_text", spcchart_variation_text(sp->variation));
	ipr_set(o, "assurance_text", spcchart_assurance_text(sp->assurance));
	/* Decorative: the numbers are in the row. */
	ipr_svg(o, "spark_svg", chart_sparkline(sp->values, sp->n,
	    CHART_ROLE_COMMON, IPR_SPARK_W, IPR_SPARK_H), op->pal, NULL);
	return o;
}

/* A table's icons when they are drawn once, as symbols (ipr_opts
 * sprite): the charts made so far, by ipr_variations then
 * ipr_assurances order. */
#define IPR_NV	(sizeof(ipr_variations) / sizeof(ipr_variations[0]))
#define IPR_NA	(sizeof(ipr_assurances) / sizeof(ipr_assurances[0]))

struct ipr_icons {
	struct chart	*c[IPR_NV + IPR_NA];
};

/* The icon of name (a variation, or an assurance when assurance) into
 * member k of o, labelled by ids from id: a use of its symbol with
 * op->sprite (unless the key has no such icon), else drawn whole. */
static void
ipr_icon(json_t *o, const char *k, const struct ipr_opts *op,
    struct ipr_icons *ic, const char *name, bool assurance,
    const char *id)
{
	const char *const	*names = assurance ? ipr_assurances :
				    ipr_variations;
	size_t			 i, n = assurance ? IPR_NA : IPR_NV;
	size_t			 slot;
	struct buf		 b;
	char			*sym;

	for (i = 0; i < n && strcmp(names[i], name) != 0; i++)
		continue;
	if (!op->sprite || i == n) {
		ipr_svg(o, k, assurance ? spcchart_assurance_icon(name,
		    IPR_ICON) : spcchart_variation_icon(name, IPR_ICON),
		    op->pal, id);
		return;
	}
	slot = assurance ? IPR_NV + i : i;
	if (ic->c[slot] == NULL)
		ic->c[slot] = assurance ? spcchart_assurance_icon(name,
		    IPR_ICON) : spcchart_variation_icon(name, IPR_ICON);
	if (ic->c[slot] == NULL)
		return;
	sym = xasprintf("%s-i-%s", op->id_prefix, name);
	buf_init(&b);
	svg_use(ic->c[slot], id, sym, &b);
	ipr_set(o, k, b.data);
	buf_clear(&b);
	free(sym);
}

/* Adds row o's icons, numbered rowno in its table (their SVG ids). */
static void
ipr_row_icons(json_t *o, const struct ipr_opts *op, size_t rowno,
    struct ipr_icons *ic)
{
	const char	*v, *a;
	char		 id[96];

	if ((v = json_string_value(json_object_get(o, "variation"))) ==
	    NULL)
		return;			/* "No data" */
	a = json_string_value(json_object_get(o, "assurance"));
	snprintf(id, sizeof(id), "%s-%zu-v", op->id_prefix, rowno);
	ipr_icon(o, "variation_svg", op, ic, v, false, id);
	if (a == NULL)
		return;
	snprintf(id, sizeof(id), "%s-%zu-a", op->id_prefix, rowno);
	ipr_icon(o, "assurance_svg", op, ic, a, true, id);
}

/* The hidden <svg> of the symbols ic's rows use, as member sprite_svg
 * of o; frees ic's charts. */
static void
ipr_sprite(json_t *o, const struct ipr_opts *op, struct ipr_icons *ic)
{
	struct buf	 b;
	char		*sym;
	size_t		 i;
	bool		 any = false;

	buf_init(&b);
	buf_puts(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"mdc-sprite\" width=\"0\" height=\"0\" "
	    "aria-hidden=\"true\" focusable=\"false\">\n");
	for (i = 0; i < IPR_NV + IPR_NA; i++) {
		if (ic->c[i] == NULL)
			continue;
		sym = xasprintf("%s-i-%s", op->id_prefix, i < IPR_NV ?
		    ipr_variations[i] : ipr_assurances[i - IPR_NV]);
		svg_symbol(ic->c[i], op->pal, sym, &b);
		free(sym);
		chart_free(ic->c[i]);
		ic->c[i] = NULL;
		any = true;
	}
	buf_puts(&b, "</svg>\n");
	if (any)
		ipr_set(o, "sprite_svg", b.data);
	buf_clear(&b);
}

json_t *
ipr_service_rows(const struct service *svc, const struct ipr_opts *op)
{
	json_t			*rows = json_array(), *r;
	const struct spc	*sp;
	size_t			 k;

	if (svc->an == NULL || svc->series == NULL || svc->an->nspc == 0) {
		r = json_object();
		ipr_set(r, "measure", svc->title ? svc->title : svc->id);
		ipr_set(r, "service", "");
		ipr_href(r, op, svc);
		ipr_set(r, "owner", svc->owner);
		ipr_set(r, "latest", "No data");
		json_array_append_new(rows, r);
		return rows;
	}
	for (k = 0; k < svc->an->nspc; k++) {
		sp = &svc->an->spc[k];
		/* Capacity is an input the service sets, not a measure of
		 * performance; it stays on the page. */
		if (strcmp(sp->metric, "capacity") == 0)
			continue;
		json_array_append_new(rows, ipr_row(svc, sp, op));
	}
	return rows;
}

/* The group of domain d in groups, appended if new. */
static json_t *
ipr_group(json_t *groups, const char *d)
{
	json_t	*g;
	size_t	 i;

	json_array_foreach(groups, i, g)
		if (strcmp(json_string_value(json_object_get(g, "domain")),
		    d) == 0)
			return json_object_get(g, "rows");
	g = json_object();
	ipr_set(g, "domain", d);
	json_object_set_new(g, "rows", json_array());
	json_array_append_new(groups, g);
	return json_object_get(g, "rows");
}

/* The key: {key_variation: [{svg, text}], key_assurance: [...]}
 * members of o; the icons are decorative, their words beside them. */
/*
 * The icon key is the same on every page drawn with one palette: it is
 * made once and shared (read-only; jansson's reference counts are
 * atomic), remade only when another palette asks.  It lives until exit.
 */
static pthread_mutex_t		 ipr_key_lock = PTHREAD_MUTEX_INITIALIZER;
static struct chart_palette	 ipr_key_pal;
static json_t			*ipr_key_var, *ipr_key_ass;

static void
ipr_key_make(const struct chart_palette *pal)
{
	json_t	*o;
	size_t	 i;

	json_decref(ipr_key_var);
	json_decref(ipr_key_ass);
	ipr_key_var = json_array();
	for (i = 0; i < sizeof(ipr_variations) / sizeof(ipr_variations[0]);
	    i++) {
		o = json_object();
		ipr_set(o, "text", spcchart_variation_text(ipr_variations[i]));
		ipr_svg(o, "svg", spcchart_variation_icon(ipr_variations[i],
		    IPR_ICON), pal, NULL);
		json_array_append_new(ipr_key_var, o);
	}
	ipr_key_ass = json_array();
	for (i = 0; i < sizeof(ipr_assurances) / sizeof(ipr_assurances[0]);
	    i++) {
		o = json_object();
		ipr_set(o, "text", spcchart_assurance_text(ipr_assurances[i]));
		ipr_svg(o, "svg", spcchart_assurance_icon(ipr_assurances[i],
		    IPR_ICON), pal, NULL);
		json_array_append_new(ipr_key_ass, o);
	}
	ipr_key_pal = *pal;
}

static void
ipr_key_json(json_t *out, const struct chart_palette *pal)
{
	pthread_mutex_lock(&ipr_key_lock);
	if (ipr_key_var == NULL ||
	    memcmp(&ipr_key_pal, pal, sizeof(*pal)) != 0)
		ipr_key_make(pal);
	json_object_set(out, "key_variation", ipr_key_var);
	json_object_set(out, "key_assurance", ipr_key_ass);
	pthread_mutex_unlock(&ipr_key_lock);
}

json_t *
ipr_json(const struct pack *p, size_t first, size_t n,
    const struct ipr_opts *op, json_t *const *made)
{
	json_t			*o = json_object(), *groups = json_array();
	json_t			*rows, *mine, *r;
	const struct service	*svc;
	struct ipr_icons	 ic;
	size_t			 i, k, nrows = 0;
	bool			 stale = false;

	memset(&ic, 0, sizeof(ic));

	for (i = first; i < first + n && i < p->nservices; i++) {
		svc = &p->services[i];
		rows = ipr_group(groups, svc->domain != NULL ? svc->domain :
		    "Other measures");
		mine = made != NULL && made[i] != NULL ? json_incref(made[i]) :
		    ipr_service_rows(svc, op);
		for (k = 0; k < json_array_size(mine); k++) {
			/* A copy: the made rows may serve another table. */
			r = json_copy(json_array_get(mine, k));
			ipr_row_icons(r, op, ++nrows, &ic);
			if (json_is_true(json_object_get(r, "stale")))
				stale = true;
			json_array_append_new(rows, r);
		}
		json_decref(mine);
	}
	ipr_sprite(o, op, &ic);
	ipr_set(o, "caption", op->caption);
	{
		char	*kid = xasprintf("%s-key", op->id_prefix);

		ipr_set(o, "key_id", kid);
		free(kid);
	}
	json_object_set_new(o, "has_rows", json_boolean(nrows > 0));
	json_object_set_new(o, "any_stale", json_boolean(stale));
	json_object_set_new(o, "key_collapsed",
	    json_boolean(op->key_collapsed));
	/* The key's own headings: under the page's h2 when it sits in a
	 * <details>, under its h3 "How to read the icons" otherwise. */
	ipr_set(o, "key_h", op->key_collapsed ? "3" : "4");
	json_object_set_new(o, "groups", groups);
	ipr_key_json(o, op->pal);
	return o;
}
