/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cn-criteria-view.h"

struct _CnCriteriaView
{
  GtkBox     parent_instance;

  GtkWidget *group;
  guint      n_criteria;
};

G_DEFINE_FINAL_TYPE (CnCriteriaView, cn_criteria_view, GTK_TYPE_BOX)

static const char *
level_name (const char *level)
{
  if (g_strcmp0 (level, "commune") == 0)
    return _("commune level");
  if (g_strcmp0 (level, "district") == 0)
    return _("district level");
  if (g_strcmp0 (level, "province") == 0)
    return _("province level");
  return level;
}

static const char *
variant_name (const char *variant)
{
  if (g_strcmp0 (variant, "standard") == 0)
    return _("standard");
  if (g_strcmp0 (variant, "advanced") == 0)
    return _("advanced");
  if (g_strcmp0 (variant, "model") == 0)
    return _("model");
  return variant;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return "";
  return json_node_get_string (node);
}

static GtkWidget *
indicator_row_new (JsonObject *indicator)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *target = gtk_label_new (member_string (indicator, "target"));
  g_autofree char *title = NULL;
  g_autofree char *escaped = NULL;

  title = g_strdup_printf ("%s  %s", member_string (indicator, "code"),
                           member_string (indicator, "text"));
  escaped = g_markup_escape_text (title, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (target, "heading");
  gtk_label_set_wrap (GTK_LABEL (target), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (target), 14);
  gtk_widget_set_tooltip_text (target, _("Target"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), target);
  return row;
}

void
cn_criteria_view_set_criteria_set (CnCriteriaView *self,
                                   CnRecord       *criteria_set)
{
  JsonObject *data;
  JsonArray *items = NULL;
  g_autofree char *group_title = NULL;
  g_autofree char *description = NULL;
  const char *level;
  const char *variant;

  g_return_if_fail (CN_IS_CRITERIA_VIEW (self));

  if (self->group != NULL)
    gtk_box_remove (GTK_BOX (self), self->group);
  self->group = NULL;
  self->n_criteria = 0;
  if (criteria_set == NULL)
    return;

  data = cn_record_get_data (criteria_set);
  level = cn_record_get_string (criteria_set, "level");
  variant = cn_record_get_string (criteria_set, "variant");
  if (data != NULL && json_object_has_member (data, "items") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (data, "items")))
    items = json_object_get_array_member (data, "items");

  self->group = adw_preferences_group_new ();
  /* Group titles and descriptions are Pango markup. */
  group_title = g_markup_escape_text (cn_record_get_title (criteria_set), -1);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->group), group_title);
  /* Translators: a criteria set's level and variant, e.g. "commune level, standard",
   * then the number of criteria. */
  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %s — %u criterion", "%s, %s — %u criteria",
                                              items != NULL ? json_array_get_length (items) : 0),
                                 level_name (level) ?: "", variant_name (variant) ?: "",
                                 items != NULL ? json_array_get_length (items) : 0);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group), description);

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *item;
      JsonArray *indicators = NULL;
      GtkWidget *row;
      g_autofree char *title = NULL;
      g_autofree char *escaped = NULL;
      g_autofree char *subtitle = NULL;
      guint n_indicators;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      item = json_node_get_object (node);
      if (json_object_has_member (item, "indicators") &&
          JSON_NODE_HOLDS_ARRAY (json_object_get_member (item, "indicators")))
        indicators = json_object_get_array_member (item, "indicators");
      n_indicators = indicators != NULL ? json_array_get_length (indicators) : 0;

      row = adw_expander_row_new ();
      /* Translators: a criterion's number and name, "2. Giao thông". */
      title = g_strdup_printf (_("%s. %s"), member_string (item, "code"), member_string (item, "name"));
      escaped = g_markup_escape_text (title, -1);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u indicator", "%u indicators", n_indicators),
                                  n_indicators);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);

      for (guint k = 0; k < n_indicators; k++)
        {
          JsonNode *indicator = json_array_get_element (indicators, k);

          if (JSON_NODE_HOLDS_OBJECT (indicator))
            adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                      indicator_row_new (json_node_get_object (indicator)));
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), row);
      self->n_criteria++;
    }

  gtk_box_append (GTK_BOX (self), self->group);
}

guint
cn_criteria_view_get_n_criteria (CnCriteriaView *self)
{
  g_return_val_if_fail (CN_IS_CRITERIA_VIEW (self), 0);

  return self->n_criteria;
}

static void
cn_criteria_view_class_init (CnCriteriaViewClass *klass)
{
}

static void
cn_criteria_view_init (CnCriteriaView *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
}

GtkWidget *
cn_criteria_view_new (void)
{
  return g_object_new (CN_TYPE_CRITERIA_VIEW, NULL);
}
