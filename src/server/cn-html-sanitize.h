/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <libxml/HTMLparser.h>

G_BEGIN_DECLS

/* HTML from the web, made safe to store and render: only an allow-list of tags and
 * attributes survives (p, br, h1–h6, b, strong, i, em, u, sub, sup, hr, ul, ol, li, table,
 * thead, tbody, tr, td, th, a[href], img[src, alt], figure, figcaption, blockquote, div,
 * span); scripts, styles, frames, forms and their content are dropped; other tags are
 * unwrapped (their text kept); event handlers, styles, classes and every URL that is not
 * http(s) (or mailto for links) are removed. Relative URLs are resolved against base_url
 * (may be NULL: then they are dropped). Never fetches anything. Never returns NULL. */
char      *cn_html_sanitize     (const char *html,
                                 gssize      len,
                                 const char *base_url);

/* The text of an HTML fragment: tags dropped, entities decoded, white space collapsed,
 * <br> and block ends become "\n". Never returns NULL. */
char      *cn_html_to_text      (const char *html,
                                 gssize      len);

/* url made absolute against base_url (may be NULL) if it is safe to follow: http(s), or
 * mailto when allow_mailto; NULL otherwise (javascript:, data:, …). */
char      *cn_html_resolve_url  (const char *url,
                                 const char *base_url,
                                 gboolean    allow_mailto);

/* libxml2 2.9 checks a tag's attributes for repeats in quadratic time, so markup with a
 * tag of more attributes than this is refused before it reaches libxml2. */
#define CN_MARKUP_MAX_ATTRIBUTES 64

/* The most attributes one start tag of data has (counted generously: tokens after white
 * space), counting stops past CN_MARKUP_MAX_ATTRIBUTES. With xml, CDATA sections and
 * processing instructions are skipped as the XML parser does. */
guint      cn_markup_max_attributes (const char *data,
                                     gsize       len,
                                     gboolean    xml);

/* Lower level, for callers that edit the tree before sanitizing it. NULL when the HTML
 * has a tag of more than CN_MARKUP_MAX_ATTRIBUTES attributes (then cn_html_sanitize() and
 * cn_html_to_text() give ""). */
htmlDocPtr cn_html_parse        (const char *html,
                                 gssize      len);
char      *cn_html_sanitize_doc (htmlDocPtr  doc,
                                 const char *base_url);
char      *cn_html_doc_to_text  (htmlDocPtr  doc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

G_END_DECLS
