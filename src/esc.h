/*
 * esc.h: one escaper per output context (STYLE).  Each appends the
 * escaped form of s[0..len) to b.  Pure.
 *   esc_html: text content (& < > " ')
 *   esc_attr: a double-quoted attribute value (same set, plus none else)
 *   esc_url:  a URL in an attribute: percent-encodes bytes outside the
 *             RFC 3986 set, then attr-escapes; rejects (writes "#")
 *             schemes other than http, https, mailto, and relative refs
 *   esc_xml:  SVG/XML text and attributes (& < > " '), and drops bytes
 *             that XML 1.0 does not allow (C0 controls but tab/LF/CR)
 *   esc_csv:  an RFC 4180 field (quoted when it needs to be)
 */
#ifndef ESC_H
#define ESC_H

#include <stddef.h>

#include "util.h"

void	 esc_html(struct buf *, const char *s, size_t len);
void	 esc_attr(struct buf *, const char *s, size_t len);
void	 esc_url(struct buf *, const char *s, size_t len);
void	 esc_xml(struct buf *, const char *s, size_t len);
void	 esc_csv(struct buf *, const char *s, size_t len);

#endif /* !ESC_H */
