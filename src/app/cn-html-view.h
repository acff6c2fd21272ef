/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CN_TYPE_HTML_VIEW (cn_html_view_get_type ())
G_DECLARE_FINAL_TYPE (CnHtmlView, cn_html_view, CN, HTML_VIEW, GtkTextView)

/*
 * Finds an image of the body in the local file cache.
 *
 * @src is the image's address as written in the HTML, made absolute against the base
 * URI. Returns the path of the cached file, or %NULL while it is not downloaded (the view
 * then shows a placeholder). May set *@caption (newly allocated) to a caption to use when
 * the HTML itself gives none.
 */
typedef char *(*CnHtmlImageResolver) (const char  *src,
                                      char       **caption,
                                      gpointer     user_data);

/*
 * A read-only text view that renders an article's HTML body natively with libxml2's
 * HTML parser: paragraphs, headings, bold, italic, underline, lists, tables, links (the
 * "activate-link" signal; by default opened in the browser) and images with captions.
 * Scripts, styles, frames and forms are never rendered nor run.
 */
GtkWidget  *cn_html_view_new                 (void);
void        cn_html_view_set_html            (CnHtmlView          *self,
                                              const char          *html,
                                              const char          *base_uri);
void        cn_html_view_set_image_resolver  (CnHtmlView          *self,
                                              CnHtmlImageResolver  resolver,
                                              gpointer             user_data,
                                              GDestroyNotify       destroy);
void        cn_html_view_reload_images       (CnHtmlView          *self);
const char *cn_html_view_get_link_at_offset  (CnHtmlView          *self,
                                              int                  offset);
guint       cn_html_view_get_n_images        (CnHtmlView          *self);
GtkWidget  *cn_html_view_get_image_widget    (CnHtmlView          *self,
                                              guint                index);
gboolean    cn_html_view_image_is_cached     (CnHtmlView          *self,
                                              guint                index);
guint       cn_html_view_get_n_tables        (CnHtmlView          *self);
GtkWidget  *cn_html_view_get_table           (CnHtmlView          *self,
                                              guint                index);
char       *cn_html_view_get_text            (CnHtmlView          *self);

G_END_DECLS
