/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-chart"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cn-criteria-chart.h"

/* Horizontal bars, one per commune: its name, the share of criteria met and "x/19".
 * Colours come from the style (libadwaita's named colours), so the chart follows the light
 * and dark styles and high contrast. */

#define ROW_HEIGHT 24
#define BAR_HEIGHT 10
#define ROW_GAP 4
#define LABEL_GAP 10
#define RADIUS 4.f

typedef struct
{
  char  *commune;
  guint  met;
  guint  total;
} CnChartBar;

struct _CnCriteriaChart
{
  GtkWidget  parent_instance;

  GArray    *bars;  /* of CnChartBar */
};

G_DEFINE_FINAL_TYPE (CnCriteriaChart, cn_criteria_chart, GTK_TYPE_WIDGET)

static void
cn_chart_bar_clear (gpointer data)
{
  CnChartBar *bar = data;

  g_clear_pointer (&bar->commune, g_free);
}

static void
lookup_color (GtkWidget  *widget,
              const char *name,
              GdkRGBA    *color,
              const char *fallback)
{
  GtkStyleContext *context;

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  context = gtk_widget_get_style_context (widget);
  if (!gtk_style_context_lookup_color (context, name, color))
    gdk_rgba_parse (color, fallback);
G_GNUC_END_IGNORE_DEPRECATIONS
}

static PangoLayout *
create_layout (CnCriteriaChart *self,
               const char      *text)
{
  return gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
}

static char *
format_count (guint met,
              guint total)
{
  /* Translators: criteria met out of the total, e.g. "15/19" */
  return g_strdup_printf (C_("criteria count", "%u/%u"), met, total);
}

static int
label_column_width (CnCriteriaChart *self)
{
  int widest = 0;

  for (guint i = 0; i < self->bars->len; i++)
    {
      CnChartBar *bar = &g_array_index (self->bars, CnChartBar, i);
      g_autoptr(PangoLayout) layout = create_layout (self, bar->commune);
      int w;

      pango_layout_get_pixel_size (layout, &w, NULL);
      widest = MAX (widest, w);
    }
  return MIN (widest, 160);
}

static int
count_column_width (CnCriteriaChart *self)
{
  g_autofree char *text = format_count (19, 19);
  g_autoptr(PangoLayout) layout = create_layout (self, text);
  int w;

  pango_layout_get_pixel_size (layout, &w, NULL);
  return w;
}

static void
cn_criteria_chart_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  CnCriteriaChart *self = CN_CRITERIA_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int labels = label_column_width (self) + count_column_width (self) + 2 * LABEL_GAP;

      *minimum = labels + 60;
      *natural = labels + 160;
    }
  else
    {
      guint n = MAX (self->bars->len, 1);

      *minimum = *natural = n * ROW_HEIGHT + (n - 1) * ROW_GAP;
    }
}

static void
append_rounded_rect (GtkSnapshot           *snapshot,
                     const graphene_rect_t *rect,
                     const GdkRGBA         *color)
{
  GskRoundedRect rounded;
  float radius = MIN (RADIUS, rect->size.height / 2);

  gsk_rounded_rect_init_from_rect (&rounded, rect, radius);
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, color, rect);
  gtk_snapshot_pop (snapshot);
}

static void
cn_criteria_chart_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  CnCriteriaChart *self = CN_CRITERIA_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int label_w = label_column_width (self);
  int count_w = count_column_width (self);
  int bar_x = label_w + LABEL_GAP;
  int bar_w = MAX (width - bar_x - LABEL_GAP - count_w, 10);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  GdkRGBA fg, trough, fill, done;

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
G_GNUC_END_IGNORE_DEPRECATIONS
  trough = fg;
  trough.alpha = 0.12f;
  lookup_color (widget, "accent_bg_color", &fill, "#3584e4");
  lookup_color (widget, "success_bg_color", &done, "#26a269");

  for (guint i = 0; i < self->bars->len; i++)
    {
      CnChartBar *bar = &g_array_index (self->bars, CnChartBar, i);
      float y = i * (ROW_HEIGHT + ROW_GAP);
      float bar_y = y + (ROW_HEIGHT - BAR_HEIGHT) / 2.f;
      double share = bar->total > 0 ? (double) MIN (bar->met, bar->total) / bar->total : 0;
      g_autoptr(PangoLayout) name = create_layout (self, bar->commune);
      g_autofree char *count_text = format_count (bar->met, bar->total);
      g_autoptr(PangoLayout) count = create_layout (self, count_text);
      graphene_rect_t trough_rect, fill_rect;
      int name_h, count_w_i, count_h;
      float name_x, count_x, fill_x;

      pango_layout_set_width (name, label_w * PANGO_SCALE);
      pango_layout_set_ellipsize (name, PANGO_ELLIPSIZE_END);
      pango_layout_get_pixel_size (name, NULL, &name_h);
      pango_layout_get_pixel_size (count, &count_w_i, &count_h);

      name_x = rtl ? width - label_w : 0;
      count_x = rtl ? 0 : width - count_w;
      fill_x = rtl ? width - bar_x - bar_w * share : bar_x;

      graphene_rect_init (&trough_rect, rtl ? width - bar_x - bar_w : bar_x, bar_y, bar_w, BAR_HEIGHT);
      graphene_rect_init (&fill_rect, fill_x, bar_y, bar_w * share, BAR_HEIGHT);
      append_rounded_rect (snapshot, &trough_rect, &trough);
      if (share > 0)
        append_rounded_rect (snapshot, &fill_rect, bar->met >= bar->total ? &done : &fill);

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (name_x, y + (ROW_HEIGHT - name_h) / 2.f));
      gtk_snapshot_append_layout (snapshot, name, &fg);
      gtk_snapshot_restore (snapshot);

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (count_x + (rtl ? 0 : count_w - count_w_i),
                                                    y + (ROW_HEIGHT - count_h) / 2.f));
      gtk_snapshot_append_layout (snapshot, count, &fg);
      gtk_snapshot_restore (snapshot);
    }
}

static void
cn_criteria_chart_css_changed (GtkWidget         *widget,
                               GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (cn_criteria_chart_parent_class)->css_changed (widget, change);
  /* The dark style or a new font changes colours and sizes. */
  gtk_widget_queue_resize (widget);
}

/**
 * cn_criteria_chart_describe:
 * @self: a #CnCriteriaChart
 *
 * Returns: (transfer full): the chart in words, as screen readers get it
 */
char *
cn_criteria_chart_describe (CnCriteriaChart *self)
{
  GString *text;

  g_return_val_if_fail (CN_IS_CRITERIA_CHART (self), NULL);

  if (self->bars->len == 0)
    return g_strdup (_("No criteria assessed yet"));

  text = g_string_new (_("Criteria met by commune:"));
  for (guint i = 0; i < self->bars->len; i++)
    {
      CnChartBar *bar = &g_array_index (self->bars, CnChartBar, i);

      g_string_append_c (text, ' ');
      /* Translators: one commune in the chart's description: "Tiến Lộc 15 of 19;" */
      g_string_append_printf (text, _("%s %u of %u;"), bar->commune, bar->met, bar->total);
    }
  return g_string_free (text, FALSE);
}

static void
update_accessible (CnCriteriaChart *self)
{
  g_autofree char *description = cn_criteria_chart_describe (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/**
 * cn_criteria_chart_clear:
 * @self: a #CnCriteriaChart
 *
 * Removes every bar.
 */
void
cn_criteria_chart_clear (CnCriteriaChart *self)
{
  g_return_if_fail (CN_IS_CRITERIA_CHART (self));

  g_array_set_size (self->bars, 0);
  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/**
 * cn_criteria_chart_add_commune:
 * @self: a #CnCriteriaChart
 * @commune: the commune's name
 * @met: how many criteria it meets
 * @total: how many there are (19 for the commune set)
 *
 * Adds one bar at the end.
 */
void
cn_criteria_chart_add_commune (CnCriteriaChart *self,
                               const char      *commune,
                               guint            met,
                               guint            total)
{
  CnChartBar bar;

  g_return_if_fail (CN_IS_CRITERIA_CHART (self));
  g_return_if_fail (commune != NULL);

  bar.commune = g_strdup (commune);
  bar.met = MIN (met, total);
  bar.total = total;
  g_array_append_val (self->bars, bar);
  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
cn_criteria_chart_get_n_bars (CnCriteriaChart *self)
{
  g_return_val_if_fail (CN_IS_CRITERIA_CHART (self), 0);

  return self->bars->len;
}

GtkWidget *
cn_criteria_chart_new (void)
{
  return g_object_new (CN_TYPE_CRITERIA_CHART, NULL);
}

static void
cn_criteria_chart_finalize (GObject *object)
{
  CnCriteriaChart *self = CN_CRITERIA_CHART (object);

  g_clear_pointer (&self->bars, g_array_unref);

  G_OBJECT_CLASS (cn_criteria_chart_parent_class)->finalize (object);
}

static void
cn_criteria_chart_class_init (CnCriteriaChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cn_criteria_chart_finalize;

  widget_class->measure = cn_criteria_chart_measure;
  widget_class->snapshot = cn_criteria_chart_snapshot;
  widget_class->css_changed = cn_criteria_chart_css_changed;

  gtk_widget_class_set_css_name (widget_class, "criteria-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cn_criteria_chart_init (CnCriteriaChart *self)
{
  self->bars = g_array_new (FALSE, TRUE, sizeof (CnChartBar));
  g_array_set_clear_func (self->bars, cn_chart_bar_clear);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Criteria progress by commune"),
                                  -1);
  update_accessible (self);
}
