/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi"

#include "config.h"

#include "cn-html-image.h"

struct _CnHtmlImage
{
  GObject     parent_instance;

  GdkTexture *texture;
  int         width;
  int         height;
};

static void cn_html_image_paintable_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CnHtmlImage, cn_html_image, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      cn_html_image_paintable_init))

static void
cn_html_image_snapshot (GdkPaintable *paintable,
                        GdkSnapshot  *snapshot,
                        double        width,
                        double        height)
{
  CnHtmlImage *self = CN_HTML_IMAGE (paintable);

  gdk_paintable_snapshot (GDK_PAINTABLE (self->texture), snapshot, width, height);
}

static int
cn_html_image_get_intrinsic_width (GdkPaintable *paintable)
{
  return CN_HTML_IMAGE (paintable)->width;
}

static int
cn_html_image_get_intrinsic_height (GdkPaintable *paintable)
{
  return CN_HTML_IMAGE (paintable)->height;
}

static GdkPaintableFlags
cn_html_image_get_flags (GdkPaintable *paintable)
{
  return GDK_PAINTABLE_STATIC_CONTENTS;
}

static void
cn_html_image_paintable_init (GdkPaintableInterface *iface)
{
  iface->snapshot = cn_html_image_snapshot;
  iface->get_intrinsic_width = cn_html_image_get_intrinsic_width;
  iface->get_intrinsic_height = cn_html_image_get_intrinsic_height;
  iface->get_flags = cn_html_image_get_flags;
}

static void
cn_html_image_finalize (GObject *object)
{
  CnHtmlImage *self = CN_HTML_IMAGE (object);

  g_clear_object (&self->texture);

  G_OBJECT_CLASS (cn_html_image_parent_class)->finalize (object);
}

static void
cn_html_image_class_init (CnHtmlImageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cn_html_image_finalize;
}

static void
cn_html_image_init (CnHtmlImage *self)
{
}

CnHtmlImage *
cn_html_image_new (GdkTexture *texture)
{
  CnHtmlImage *self;

  g_return_val_if_fail (GDK_IS_TEXTURE (texture), NULL);

  self = g_object_new (CN_TYPE_HTML_IMAGE, NULL);
  self->texture = g_object_ref (texture);
  self->width = gdk_texture_get_width (texture);
  self->height = gdk_texture_get_height (texture);

  return self;
}

GdkTexture *
cn_html_image_get_texture (CnHtmlImage *self)
{
  g_return_val_if_fail (CN_IS_HTML_IMAGE (self), NULL);

  return self->texture;
}

/* Never scales up: a small image stays sharp at its own size. */
void
cn_html_image_fit_width (CnHtmlImage *self,
                         int          max_width)
{
  int tex_width;
  int tex_height;
  int width;
  int height;

  g_return_if_fail (CN_IS_HTML_IMAGE (self));

  tex_width = gdk_texture_get_width (self->texture);
  tex_height = gdk_texture_get_height (self->texture);
  width = MIN (tex_width, MAX (max_width, 16));
  height = MAX (1, (int) ((double) tex_height * width / MAX (tex_width, 1) + 0.5));

  if (width == self->width && height == self->height)
    return;

  self->width = width;
  self->height = height;
  gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
}

int
cn_html_image_get_width (CnHtmlImage *self)
{
  g_return_val_if_fail (CN_IS_HTML_IMAGE (self), 0);

  return self->width;
}

int
cn_html_image_get_height (CnHtmlImage *self)
{
  g_return_val_if_fail (CN_IS_HTML_IMAGE (self), 0);

  return self->height;
}
