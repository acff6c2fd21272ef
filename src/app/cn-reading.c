/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi"

#include "config.h"

#include <glib/gi18n.h>

#include "cn-reading.h"
#include "cn-window.h"

/*
 * The store and sync client for a section put in a window: the application's "store" and
 * "sync-client" properties when it has them, else — in a CnWindow of an application that
 * hands out none — the user's own database (local-only mode; several connections to one
 * file all hear of every change). Returns FALSE with @error only when opening that fails;
 * TRUE with *@store NULL when there is nothing to use yet.
 */
gboolean
cn_reading_find_context (GtkWidget     *section,
                         CnStore      **store,
                         CnSyncClient **client,
                         GError       **error)
{
  GApplication *app = g_application_get_default ();
  GtkRoot *root = gtk_widget_get_root (section);

  *store = NULL;
  *client = NULL;
  if (root == NULL)
    return TRUE;

  if (app != NULL && g_object_class_find_property (G_OBJECT_GET_CLASS (app), "store") != NULL)
    g_object_get (app, "store", store, NULL);
  if (app != NULL && g_object_class_find_property (G_OBJECT_GET_CLASS (app), "sync-client") != NULL)
    g_object_get (app, "sync-client", client, NULL);
  if (*store == NULL && *client != NULL)
    *store = g_object_ref (cn_sync_client_get_store (*client));

  if (*store == NULL && CN_IS_WINDOW (root))
    {
      g_autofree char *path = cn_store_dup_default_path ();

      *store = cn_store_open (path, error);
      if (*store == NULL)
        {
          g_clear_object (client);
          return FALSE;
        }
    }
  return TRUE;
}

/* In the window's overlay; dropped when the widget is not in a CnWindow. */
void
cn_reading_add_toast (GtkWidget *widget,
                      AdwToast  *toast)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  if (CN_IS_WINDOW (root))
    cn_window_add_toast (CN_WINDOW (root), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

/* An error that stays until dismissed, with a Retry button calling @retry (widget) — a
 * signal, since the toast lives in the window, outside the widget's own actions. */
void
cn_reading_show_error (GtkWidget  *widget,
                       const char *message,
                       GCallback   retry)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_button_label (toast, _("_Retry"));
  g_signal_connect_object (toast, "button-clicked", retry, widget, G_CONNECT_SWAPPED);
  adw_toast_set_timeout (toast, 0);
  cn_reading_add_toast (widget, toast);
}

/* The filter's value, or NULL for its first entry ("All …"). */
const char *
cn_reading_dropdown_string (GtkDropDown *dropdown)
{
  GObject *item;

  if (gtk_drop_down_get_selected (dropdown) == 0 ||
      gtk_drop_down_get_selected (dropdown) == GTK_INVALID_LIST_POSITION)
    return NULL;
  item = gtk_drop_down_get_selected_item (dropdown);
  return item != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;
}

/* GTK 4.8 gives the button inside a GtkDropDown no name of its own: a screen reader would
 * say "toggle button". Name both after the filter. */
void
cn_reading_name_dropdown (GtkDropDown *dropdown,
                          const char  *name)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  name, -1);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (dropdown)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_utf8_collate (*(const char **) a, *(const char **) b);
}

/* Offers "All …" then the set @values, sorted; keeps the choice when it is still there. */
void
cn_reading_fill_dropdown (GtkDropDown *dropdown,
                          const char  *all_label,
                          GHashTable  *values,
                          gboolean     descending)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  g_autofree char *keep = g_strdup (cn_reading_dropdown_string (dropdown));
  guint selected = 0;
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (list, key);
  g_ptr_array_sort (list, compare_strings);

  gtk_string_list_append (model, all_label);
  for (guint i = 0; i < list->len; i++)
    {
      const char *value = g_ptr_array_index (list, descending ? list->len - 1 - i : i);

      gtk_string_list_append (model, value);
      if (g_strcmp0 (keep, value) == 0)
        selected = i + 1;
    }
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (model));
  gtk_drop_down_set_selected (dropdown, selected);
}
