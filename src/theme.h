/*
 * theme.h: themes/<name>/ (style.css and the chart colours of theme.yml).
 */
#ifndef THEME_H
#define THEME_H

#include "chart.h"

/* Checks that thdir/theme is a theme (a safe name with a style.css) and
 * loads its chart colours into pal (defaults where theme.yml says
 * nothing), each checked for contrast.  Errors are reported against
 * who (the file or "boardpack" that named the theme).  0 or -1. */
int	 theme_palette(const char *thdir, const char *theme, const char *who,
	    struct chart_palette *pal);

#endif /* !THEME_H */
