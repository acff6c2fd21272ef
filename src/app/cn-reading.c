/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi"

#include "config.h"

#include <glib/gi18n.h>

#include "cn-application.h"
#include "cn-reading.h"
#include "cn-widget-util.h"

/*
 * The store and sync client for a section put in a window: the application's one store
 * (opened now if it could not be at start-up) and its sync client. Returns FALSE with
 * @error only when opening the store fails; TRUE with *@store NULL when there is nothing
 * to use (no window yet, or no Cầu Nối application, as in a test).
 */
static gboolean
find_context (GtkWidget     *section,
              CnStore      **store,
              CnSyncClient **client,
              GError       **error)
{
  GApplication *app = g_application_get_default ();
  CnStore *found;

  *store = NULL;
  *client = NULL;
  if (gtk_widget_get_root (section) == NULL || !CN_IS_APPLICATION (app))
    return TRUE;

  found = cn_application_ensure_store (CN_APPLICATION (app), error);
  if (found == NULL)
    return FALSE;
  *store = g_object_ref (found);
  g_set_object (client, cn_application_get_sync_client (CN_APPLICATION (app)));
  return TRUE;
}

/*
 * Until the window hands over a store, a section put in a window takes the application's,
 * or the user's own, through its "store" and "sync-client" properties. A store that cannot
 * be opened is shown with a Retry button calling @retry (section).
 */
void
cn_reading_adopt_context (GtkWidget *section,
                          GCallback  retry)
{
  g_autoptr(CnStore) current = NULL;
  g_autoptr(CnStore) store = NULL;
  g_autoptr(CnSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;

  g_object_get (section, "store", &current, NULL);
  if (current != NULL)
    return;
  if (!find_context (section, &store, &client, &error))
    {
      cn_reading_show_error (section, error->message, retry);
      return;
    }
  if (client != NULL)
    g_object_set (section, "sync-client", client, NULL);
  if (store != NULL)
    g_object_set (section, "store", store, NULL);
}

/* An error that stays until dismissed, with a Retry button calling @retry (widget) — a
 * signal, since the toast lives in the window, outside the widget's own actions. */
void
cn_reading_show_error (GtkWidget  *widget,
                       const char *message,
                       GCallback   retry)
{
  AdwToast *toast = cn_widget_toast_new (message);

  adw_toast_set_button_label (toast, _("_Retry"));
  g_signal_connect_object (toast, "button-clicked", retry, widget, G_CONNECT_SWAPPED);
  adw_toast_set_timeout (toast, 0);
  cn_widget_add_toast (widget, toast);
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

/* The list, or why it is empty: nothing matches the search or filters, or nothing yet. */
void
cn_reading_show_list_page (GtkStack   *stack,
                           GListModel *list,
                           gboolean    narrowed)
{
  guint n = list != NULL ? g_list_model_get_n_items (list) : 0;

  gtk_stack_set_visible_child_name (stack, n > 0 ? "list" : narrowed ? "no-results" : "empty");
}

/* Another query or a changed row drops the selection: select the record @shown (the one
 * being read) again wherever it now is. */
void
cn_reading_reselect (GtkSingleSelection *selection,
                     CnRecordList       *list,
                     CnRecord           *shown)
{
  guint position;

  if (shown == NULL || list == NULL ||
      gtk_single_selection_get_selected (selection) != GTK_INVALID_LIST_POSITION)
    return;
  position = cn_record_list_find (list, cn_record_get_id (shown));
  if (position < g_list_model_get_n_items (G_LIST_MODEL (list)))
    gtk_single_selection_set_selected (selection, position);
}
