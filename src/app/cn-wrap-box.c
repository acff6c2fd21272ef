/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-wrap-box"

#include "config.h"

#include "cn-wrap-box.h"

/* Children side by side at their natural width, wrapping to a new line when the next one
 * does not fit (chips of names). GTK 4.8 has no such box: GtkFlowBox lines children up in
 * columns and adds a focus stop per child. Tab order is the children's order. */

#define SPACING 6

struct _CnWrapBox
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (CnWrapBox, cn_wrap_box, GTK_TYPE_WIDGET)

/* Lays the children out in @width; returns the height they take. With @allocate, places
 * them too. */
static int
layout (CnWrapBox *self,
        int        width,
        gboolean   allocate)
{
  int x = 0, y = 0, line_height = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int min_w, nat_w, min_h, nat_h, w;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, NULL, NULL);
      w = MIN (nat_w, MAX (width, min_w));
      if (x > 0 && x + w > width)
        {
          x = 0;
          y += line_height + SPACING;
          line_height = 0;
        }
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, w, &min_h, &nat_h, NULL, NULL);
      if (allocate)
        gtk_widget_size_allocate (child, &(GtkAllocation) { x, y, w, nat_h }, -1);
      x += w + SPACING;
      line_height = MAX (line_height, nat_h);
    }
  return y + line_height;
}

static GtkSizeRequestMode
cn_wrap_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
cn_wrap_box_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  CnWrapBox *self = CN_WRAP_BOX (widget);

  *minimum = *natural = 0;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* At least the widest child; at best all of them on one line. */
      int n = 0;

      for (GtkWidget *child = gtk_widget_get_first_child (widget);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          int min_w, nat_w;

          if (!gtk_widget_should_layout (child))
            continue;
          gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, NULL, NULL);
          *minimum = MAX (*minimum, min_w);
          *natural += nat_w + (n++ > 0 ? SPACING : 0);
        }
    }
  else
    {
      int height;

      if (for_size < 0)
        {
          int min_w, nat_w;

          cn_wrap_box_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, NULL, NULL);
          for_size = min_w;
        }
      height = layout (self, for_size, FALSE);
      *minimum = *natural = height;
    }
}

static void
cn_wrap_box_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  layout (CN_WRAP_BOX (widget), width, TRUE);
}

static void
cn_wrap_box_dispose (GObject *object)
{
  cn_wrap_box_remove_all (CN_WRAP_BOX (object));

  G_OBJECT_CLASS (cn_wrap_box_parent_class)->dispose (object);
}

static void
cn_wrap_box_class_init (CnWrapBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cn_wrap_box_dispose;
  widget_class->get_request_mode = cn_wrap_box_get_request_mode;
  widget_class->measure = cn_wrap_box_measure;
  widget_class->size_allocate = cn_wrap_box_size_allocate;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LIST);
}

static void
cn_wrap_box_init (CnWrapBox *self)
{
}

GtkWidget *
cn_wrap_box_new (void)
{
  return g_object_new (CN_TYPE_WRAP_BOX, NULL);
}

void
cn_wrap_box_append (CnWrapBox *self,
                    GtkWidget *child)
{
  g_return_if_fail (CN_IS_WRAP_BOX (self));
  g_return_if_fail (GTK_IS_WIDGET (child));
  g_return_if_fail (gtk_widget_get_parent (child) == NULL);

  gtk_widget_insert_before (child, GTK_WIDGET (self), NULL);
}

void
cn_wrap_box_remove (CnWrapBox *self,
                    GtkWidget *child)
{
  g_return_if_fail (CN_IS_WRAP_BOX (self));
  g_return_if_fail (gtk_widget_get_parent (child) == GTK_WIDGET (self));

  gtk_widget_unparent (child);
}

void
cn_wrap_box_remove_all (CnWrapBox *self)
{
  GtkWidget *child;

  g_return_if_fail (CN_IS_WRAP_BOX (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
}
