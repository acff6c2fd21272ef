/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CN_TYPE_HTML_IMAGE (cn_html_image_get_type ())
G_DECLARE_FINAL_TYPE (CnHtmlImage, cn_html_image, CN, HTML_IMAGE, GObject)

/* A paintable that draws a texture at a size chosen by its owner (the HTML view fits each
 * image to the width of the text), so that a GtkPicture showing it asks for exactly that. */
CnHtmlImage *cn_html_image_new             (GdkTexture  *texture);
GdkTexture  *cn_html_image_get_texture     (CnHtmlImage *self);
void         cn_html_image_fit_width       (CnHtmlImage *self,
                                            int          max_width);
int          cn_html_image_get_width       (CnHtmlImage *self);
int          cn_html_image_get_height      (CnHtmlImage *self);

G_END_DECLS
