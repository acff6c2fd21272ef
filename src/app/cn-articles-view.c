/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi"

#include "config.h"

#include <glib/gi18n.h>

#include "cn-article-reader.h"
#include "cn-article-row.h"
#include "cn-articles-view.h"
#include "cn-format.h"
#include "cn-reading.h"
#include "cn-record-list.h"
#include "cn-time.h"
#include "cn-widget-util.h"
#include "cn-window.h"

/* Categories and tags offered by the filters come from this many newest articles. */
#define FILTER_SCAN_LIMIT 2000

enum {
  PERIOD_ANY,
  PERIOD_WEEK,
  PERIOD_MONTH,
  PERIOD_YEAR,
  PERIOD_FIRST_YEAR,  /* then one entry per calendar year, newest first */
};

struct _CnArticlesView
{
  AdwBin              parent_instance;

  CnStore            *store;
  CnSyncClient       *sync_client;
  char               *files_dir;
  CnRecordList       *list;
  GtkSingleSelection *selection;
  GPtrArray          *rows;          /* CnArticleRow, bound or not (weak) */
  char               *search;
  GArray             *years;         /* int, newest first, for PERIOD_FIRST_YEAR + i */
  gboolean            updating_filters;
  guint               filter_values_id;

  AdwLeaflet         *leaflet;
  GtkSearchEntry     *search_entry;
  GtkMenuButton      *filter_button;
  GtkDropDown        *category_dropdown;
  GtkDropDown        *tag_dropdown;
  GtkDropDown        *period_dropdown;
  GtkStack           *list_stack;
  GtkGridView        *list_view;     /* one column: see cn-articles-view.ui */
  CnArticleReader    *reader;
};

G_DEFINE_FINAL_TYPE (CnArticlesView, cn_articles_view, ADW_TYPE_BIN)

static void root_changed_cb (CnArticlesView *self);
static void list_activate_cb (CnArticlesView *self,
                              guint position);
static void retry_cb        (CnArticlesView *self);

enum {
  PROP_0,
  PROP_STORE,
  PROP_SYNC_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
vietnam_year_start (int year)
{
  g_autoptr(GDateTime) local = g_date_time_new (cn_format_get_time_zone (), year, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) utc = g_date_time_to_utc (local);

  return cn_time_format_rfc3339 (utc);
}

static gboolean
filters_active (CnArticlesView *self)
{
  return cn_reading_dropdown_string (self->category_dropdown) != NULL ||
         cn_reading_dropdown_string (self->tag_dropdown) != NULL ||
         gtk_drop_down_get_selected (self->period_dropdown) != PERIOD_ANY;
}

static CnQuery *
build_query (CnArticlesView *self)
{
  CnQuery *query = cn_query_new ("article");
  const char *category = cn_reading_dropdown_string (self->category_dropdown);
  const char *tag = cn_reading_dropdown_string (self->tag_dropdown);
  guint period = gtk_drop_down_get_selected (self->period_dropdown);

  cn_query_set_sort (query, "published_at", TRUE);
  if (category != NULL)
    cn_query_add_filter (query, "category", CN_QUERY_EQ, category);
  if (tag != NULL)
    cn_query_add_filter (query, "tags", CN_QUERY_CONTAINS, tag);

  if (period == PERIOD_WEEK || period == PERIOD_MONTH || period == PERIOD_YEAR)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) since = g_date_time_add_days (now, period == PERIOD_WEEK ? -7 :
                                                              period == PERIOD_MONTH ? -30 : -365);
      g_autofree char *text = cn_time_format_rfc3339 (since);

      cn_query_add_filter (query, "published_at", CN_QUERY_GE, text);
    }
  else if (period >= PERIOD_FIRST_YEAR && period - PERIOD_FIRST_YEAR < self->years->len)
    {
      int year = g_array_index (self->years, int, period - PERIOD_FIRST_YEAR);
      g_autofree char *start = vietnam_year_start (year);
      g_autofree char *end = vietnam_year_start (year + 1);

      cn_query_add_filter (query, "published_at", CN_QUERY_GE, start);
      cn_query_add_filter (query, "published_at", CN_QUERY_LT, end);
    }

  if (self->search != NULL && *self->search != '\0')
    cn_query_set_search (query, self->search);

  return query;
}

static void
update_list_page (CnArticlesView *self)
{
  cn_reading_show_list_page (self->list_stack, G_LIST_MODEL (self->list),
                             (self->search != NULL && *self->search != '\0') || filters_active (self));
}

static void
update_actions (CnArticlesView *self)
{
  guint selected = gtk_single_selection_get_selected (self->selection);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  CnRecord *article = cn_article_reader_get_article (self->reader);
  const char *url = article != NULL ? cn_record_get_string (article, "source_url") : NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "articles.newer",
                                 selected != GTK_INVALID_LIST_POSITION && selected > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "articles.older",
                                 selected != GTK_INVALID_LIST_POSITION && selected + 1 < n);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "articles.toggle-read", article != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "articles.copy-link",
                                 url != NULL && *url != '\0');
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "articles.open-website",
                                 url != NULL && *url != '\0');
}

static void
refresh_row_read_state (CnArticlesView *self,
                        const char     *id,
                        gboolean        read)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      CnArticleRow *row = g_ptr_array_index (self->rows, i);
      CnRecord *article = cn_article_row_get_article (row);

      if (article != NULL && g_strcmp0 (cn_record_get_id (article), id) == 0)
        cn_article_row_set_unread (row, !read);
    }
}

static void
set_read (CnArticlesView *self,
          CnRecord       *article,
          gboolean        read)
{
  g_autoptr(GError) error = NULL;

  if (!cn_store_set_read (self->store, cn_record_get_id (article), read, &error))
    {
      cn_reading_show_error (GTK_WIDGET (self), error->message, G_CALLBACK (retry_cb));
      return;
    }
  refresh_row_read_state (self, cn_record_get_id (article), read);
  cn_article_reader_set_read (self->reader, read);
}

static void
selection_changed_cb (CnArticlesView *self)
{
  CnRecord *article = gtk_single_selection_get_selected_item (self->selection);
  CnRecord *shown = cn_article_reader_get_article (self->reader);

  if (article != NULL && shown != NULL &&
      g_strcmp0 (cn_record_get_id (article), cn_record_get_id (shown)) == 0 &&
      g_strcmp0 (cn_record_get_updated_at (article), cn_record_get_updated_at (shown)) == 0)
    {
      update_actions (self);
      return;
    }

  if (article == NULL)
    {
      /* Keep reading what is open when a search hides it from the list. */
      update_actions (self);
      return;
    }

  cn_article_reader_set_article (self->reader, article,
                                 cn_store_is_sample (self->store, cn_record_get_id (article)),
                                 self->files_dir);
  /* Opening an article reads it. */
  if (!cn_store_get_read (self->store, cn_record_get_id (article)))
    set_read (self, article, TRUE);
  else
    cn_article_reader_set_read (self->reader, TRUE);
  update_actions (self);
}

/* A changed row (its read mark, a newer version) or another query drops the selection:
 * select the article being read again wherever it now is. */
static void
restore_selection (CnArticlesView *self)
{
  cn_reading_reselect (self->selection, self->list, cn_article_reader_get_article (self->reader));
}

static void
items_changed_cb (CnArticlesView *self)
{
  const GError *error = self->list != NULL ? cn_record_list_get_error (self->list) : NULL;

  if (error != NULL)
    cn_reading_show_error (GTK_WIDGET (self), error->message, G_CALLBACK (retry_cb));
  restore_selection (self);
  update_list_page (self);
  update_actions (self);
}

static void
apply_query (CnArticlesView *self)
{
  g_autoptr(CnQuery) query = NULL;

  if (self->list == NULL)
    {
      update_list_page (self);
      return;
    }
  query = build_query (self);
  cn_record_list_set_query (self->list, query);
  items_changed_cb (self);
}

/* Offers the categories, tags and years of the newest articles. */
static void
load_filter_values (CnArticlesView *self)
{
  g_autoptr(CnQuery) query = cn_query_new ("article");
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GHashTable) categories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) years = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GtkStringList) periods = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key;

  self->updating_filters = TRUE;
  g_array_set_size (self->years, 0);

  if (self->store != NULL)
    {
      cn_query_set_sort (query, "published_at", TRUE);
      records = cn_store_query (self->store, query, 0, FILTER_SCAN_LIMIT, &error);
      if (records == NULL)
        cn_reading_show_error (GTK_WIDGET (self), error->message, G_CALLBACK (retry_cb));
    }

  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      CnRecord *record = g_ptr_array_index (records, i);
      const char *category = cn_record_get_string (record, "category");
      g_auto(GStrv) record_tags = cn_record_dup_strv (record, "tags");
      g_autoptr(GDateTime) published = cn_format_parse_timestamp (cn_record_get_string (record, "published_at"));

      if (category != NULL && *category != '\0')
        g_hash_table_add (categories, g_strdup (category));
      for (guint t = 0; record_tags != NULL && record_tags[t] != NULL; t++)
        if (*record_tags[t] != '\0')
          g_hash_table_add (tags, g_strdup (record_tags[t]));
      if (published != NULL)
        g_hash_table_add (years, GINT_TO_POINTER (g_date_time_get_year (published)));
    }

  cn_reading_fill_dropdown (self->category_dropdown, _("All categories"), categories, FALSE);
  cn_reading_fill_dropdown (self->tag_dropdown, _("All tags"), tags, FALSE);

  g_hash_table_iter_init (&iter, years);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      int year = GPOINTER_TO_INT (key);

      g_array_append_val (self->years, year);
    }
  for (guint i = 0; i < self->years->len; i++)
    for (guint j = i + 1; j < self->years->len; j++)
      if (g_array_index (self->years, int, j) > g_array_index (self->years, int, i))
        {
          int swap = g_array_index (self->years, int, i);

          g_array_index (self->years, int, i) = g_array_index (self->years, int, j);
          g_array_index (self->years, int, j) = swap;
        }

  periods = gtk_string_list_new (NULL);
  gtk_string_list_append (periods, _("Any time"));
  gtk_string_list_append (periods, _("Past week"));
  gtk_string_list_append (periods, _("Past month"));
  gtk_string_list_append (periods, _("Past year"));
  for (guint i = 0; i < self->years->len; i++)
    {
      g_autofree char *year = g_strdup_printf ("%d", g_array_index (self->years, int, i));

      gtk_string_list_append (periods, year);
    }
  gtk_drop_down_set_model (self->period_dropdown, G_LIST_MODEL (periods));
  gtk_drop_down_set_selected (self->period_dropdown, PERIOD_ANY);

  self->updating_filters = FALSE;
}

static void
filters_changed_cb (CnArticlesView *self)
{
  if (self->updating_filters)
    return;
  if (filters_active (self))
    gtk_widget_add_css_class (GTK_WIDGET (self->filter_button), "accent");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filter_button), "accent");
  apply_query (self);
}

static void
search_changed_cb (CnArticlesView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  g_free (self->search);
  self->search = g_strstrip (g_strdup (text));
  apply_query (self);
  /* Rows bound before the search changed show the old marks. */
  for (guint i = 0; i < self->rows->len; i++)
    cn_article_row_set_search (g_ptr_array_index (self->rows, i), self->search);
  gtk_widget_queue_resize (GTK_WIDGET (self->list_view));
}

/* Enter in the search opens the first match. */
static void
search_activate_cb (CnArticlesView *self)
{
  if (self->list != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->list)) > 0)
    list_activate_cb (self, 0);
}

static void
stop_search_cb (CnArticlesView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
list_activate_cb (CnArticlesView *self,
                  guint           position)
{
  gtk_single_selection_set_selected (self->selection, position);
  adw_leaflet_set_visible_child_name (self->leaflet, "reader");
}

static void
folded_changed_cb (CnArticlesView *self)
{
  cn_article_reader_set_back_visible (self->reader, adw_leaflet_get_folded (self->leaflet));
}

static void
row_finalized_cb (gpointer  data,
                  GObject  *row)
{
  CnArticlesView *self = data;

  g_ptr_array_remove_fast (self->rows, row);
}

/* The rows are followed to their end, not to the factory's teardown, which GTK 4.8 skips
 * when the list view itself goes away. */
static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              CnArticlesView           *self)
{
  GtkWidget *row = cn_article_row_new ();

  gtk_list_item_set_child (item, row);
  g_ptr_array_add (self->rows, row);
  g_object_weak_ref (G_OBJECT (row), row_finalized_cb, self);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             CnArticlesView           *self)
{
  CnArticleRow *row = CN_ARTICLE_ROW (gtk_list_item_get_child (item));
  CnRecord *article = gtk_list_item_get_item (item);
  guint position = gtk_list_item_get_position (item);
  g_autoptr(GDateTime) published = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *header = NULL;

  published = cn_format_parse_timestamp (cn_record_get_string (article, "published_at"));
  if (published != NULL)
    {
      g_autoptr(CnRecord) previous = NULL;
      g_autoptr(GDateTime) previous_published = NULL;

      if (position > 0)
        previous = g_list_model_get_item (G_LIST_MODEL (self->selection), position - 1);
      if (previous != NULL)
        previous_published = cn_format_parse_timestamp (cn_record_get_string (previous, "published_at"));
      /* A day header on the first article of each day, the nearest GTK 4.8 has to list
       * sections. */
      if (previous_published == NULL || !cn_format_same_day (previous_published, published))
        header = cn_format_day_header (published, now);
    }

  cn_article_row_set_article (row, article, header, self->search);
  cn_article_row_set_unread (row, !cn_store_get_read (self->store, cn_record_get_id (article)));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               CnArticlesView           *self)
{
  cn_article_row_set_article (CN_ARTICLE_ROW (gtk_list_item_get_child (item)), NULL, NULL, NULL);
}

static gboolean
move_selection (CnArticlesView *self,
                int             delta)
{
  guint selected = gtk_single_selection_get_selected (self->selection);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  guint target;

  if (selected == GTK_INVALID_LIST_POSITION)
    return FALSE;
  if ((delta < 0 && selected == 0) || (delta > 0 && selected + 1 >= n))
    return FALSE;

  target = selected + delta;
  gtk_single_selection_set_selected (self->selection, target);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", target);
  return TRUE;
}

static void
newer_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  move_selection (CN_ARTICLES_VIEW (widget), -1);
}

static void
older_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  move_selection (CN_ARTICLES_VIEW (widget), 1);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CnArticlesView *self = CN_ARTICLES_VIEW (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "list");
}

static void
toggle_read_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CnArticlesView *self = CN_ARTICLES_VIEW (widget);
  CnRecord *article = cn_article_reader_get_article (self->reader);

  if (article == NULL || self->store == NULL)
    return;
  set_read (self, article, !cn_store_get_read (self->store, cn_record_get_id (article)));
}

static void
copy_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CnArticlesView *self = CN_ARTICLES_VIEW (widget);
  CnRecord *article = cn_article_reader_get_article (self->reader);
  const char *url = article != NULL ? cn_record_get_string (article, "source_url") : NULL;

  if (url == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), url);
  cn_widget_toast (GTK_WIDGET (self), _("Link copied"));
}

static void
open_website_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CnArticlesView *self = CN_ARTICLES_VIEW (widget);
  CnRecord *article = cn_article_reader_get_article (self->reader);

  if (article != NULL)
    cn_widget_open_link (widget, cn_record_get_string (article, "source_url"));
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CnArticlesView *self = CN_ARTICLES_VIEW (widget);

  self->updating_filters = TRUE;
  gtk_drop_down_set_selected (self->category_dropdown, 0);
  gtk_drop_down_set_selected (self->tag_dropdown, 0);
  gtk_drop_down_set_selected (self->period_dropdown, PERIOD_ANY);
  self->updating_filters = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  search_changed_cb (self);
  filters_changed_cb (self);
}

static void
filter_tag_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CnArticlesView *self = CN_ARTICLES_VIEW (widget);
  const char *tag = g_variant_get_string (parameter, NULL);
  GListModel *model = gtk_drop_down_get_model (self->tag_dropdown);

  for (guint i = 1; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), tag) == 0)
        {
          gtk_drop_down_set_selected (self->tag_dropdown, i);
          adw_leaflet_set_visible_child_name (self->leaflet, "list");
          return;
        }
    }
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CnArticlesView *self = CN_ARTICLES_VIEW (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CnArticlesView *self = CN_ARTICLES_VIEW (widget);
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    {
      /* The store could not be opened: try again. */
      root_changed_cb (self);
      return;
    }
  if (self->list != NULL && !cn_record_list_reload (self->list, &error))
    cn_reading_show_error (GTK_WIDGET (self), error->message, G_CALLBACK (retry_cb));
  load_filter_values (self);
  update_list_page (self);
}

static void
retry_cb (CnArticlesView *self)
{
  reload_action (GTK_WIDGET (self), NULL, NULL);
}

/* Shortcuts act on the section that is showing, wherever the focus is in the window. */
static gboolean
shortcut_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  const char *action = user_data;

  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  if (g_str_equal (action, "newer"))
    return move_selection (CN_ARTICLES_VIEW (widget), -1);
  if (g_str_equal (action, "older"))
    return move_selection (CN_ARTICLES_VIEW (widget), 1);
  search_action (widget, NULL, NULL);
  return TRUE;
}

static void
add_shortcuts (CnArticlesView *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  static const struct { const char *accel; const char *action; } shortcuts[] = {
    { "<Control>f", "search" },
    { "<Alt>Left", "newer" },
    { "<Alt>Right", "older" },
  };

  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller),
                                     GTK_SHORTCUT_SCOPE_MANAGED);
  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_shortcut_trigger_parse_string (shortcuts[i].accel),
                                                            gtk_callback_action_new (shortcut_cb,
                                                                                     (gpointer) shortcuts[i].action,
                                                                                     NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static gboolean
load_filter_values_idle_cb (gpointer user_data)
{
  CnArticlesView *self = user_data;

  self->filter_values_id = 0;
  load_filter_values (self);
  return G_SOURCE_REMOVE;
}

/**
 * cn_articles_view_set_store:
 * @store: (nullable): the client store
 */
void
cn_articles_view_set_store (CnArticlesView *self,
                            CnStore        *store)
{
  g_autoptr(CnQuery) query = NULL;

  g_return_if_fail (CN_IS_ARTICLES_VIEW (self));
  g_return_if_fail (store == NULL || CN_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  if (self->list != NULL)
    g_signal_handlers_disconnect_by_func (self->list, items_changed_cb, self);
  g_clear_object (&self->list);
  g_clear_pointer (&self->files_dir, g_free);
  cn_article_reader_set_article (self->reader, NULL, FALSE, NULL);

  if (store != NULL)
    {
      self->files_dir = cn_store_dup_files_dir (store);
      /* After the first frame: the filter values come from the newest 2000 articles, whole
       * records read and parsed, which doubled the time to the window's first frame. */
      g_clear_handle_id (&self->filter_values_id, g_source_remove);
      self->filter_values_id = g_idle_add_full (G_PRIORITY_LOW, load_filter_values_idle_cb, self,
                                                NULL);
      query = build_query (self);
      self->list = cn_record_list_new (store, query);
      g_signal_connect_swapped (self->list, "items-changed", G_CALLBACK (items_changed_cb), self);
    }
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->list));
  items_changed_cb (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/**
 * cn_articles_view_get_store:
 *
 * Returns: (transfer none) (nullable): the store
 */
CnStore *
cn_articles_view_get_store (CnArticlesView *self)
{
  g_return_val_if_fail (CN_IS_ARTICLES_VIEW (self), NULL);

  return self->store;
}

void
cn_articles_view_set_sync_client (CnArticlesView *self,
                                  CnSyncClient   *client)
{
  g_return_if_fail (CN_IS_ARTICLES_VIEW (self));

  if (!g_set_object (&self->sync_client, client))
    return;
  cn_article_reader_set_sync_client (self->reader, client);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_CLIENT]);
}

void
cn_articles_view_set_search (CnArticlesView *self,
                             const char     *text)
{
  g_return_if_fail (CN_IS_ARTICLES_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  /* Now, not after the entry's typing delay. */
  search_changed_cb (self);
}

/* Selects and opens the article @id when the list shows it. */
gboolean
cn_articles_view_show_article (CnArticlesView *self,
                               const char     *id)
{
  guint position;

  g_return_val_if_fail (CN_IS_ARTICLES_VIEW (self), FALSE);

  if (self->list == NULL)
    return FALSE;
  position = cn_record_list_find (self->list, id);
  if (position == GTK_INVALID_LIST_POSITION || position >= g_list_model_get_n_items (G_LIST_MODEL (self->list)))
    return FALSE;
  list_activate_cb (self, position);
  return TRUE;
}

/**
 * cn_articles_view_get_model:
 *
 * Returns: (transfer none) (nullable): the list of articles shown
 */
GListModel *
cn_articles_view_get_model (CnArticlesView *self)
{
  g_return_val_if_fail (CN_IS_ARTICLES_VIEW (self), NULL);

  return G_LIST_MODEL (self->list);
}

/* Until the window hands over a store, take the application's, or the user's own. */
static void
root_changed_cb (CnArticlesView *self)
{
  cn_reading_adopt_context (GTK_WIDGET (self), G_CALLBACK (retry_cb));
}

static void
cn_articles_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CnArticlesView *self = CN_ARTICLES_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SYNC_CLIENT:
      g_value_set_object (value, self->sync_client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cn_articles_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CnArticlesView *self = CN_ARTICLES_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      cn_articles_view_set_store (self, g_value_get_object (value));
      break;
    case PROP_SYNC_CLIENT:
      cn_articles_view_set_sync_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cn_articles_view_dispose (GObject *object)
{
  CnArticlesView *self = CN_ARTICLES_VIEW (object);

  g_clear_handle_id (&self->filter_values_id, g_source_remove);
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_func (self->list, items_changed_cb, self);
  if (self->selection != NULL)
    gtk_grid_view_set_model (self->list_view, NULL);
  for (guint i = 0; self->rows != NULL && i < self->rows->len; i++)
    g_object_weak_unref (g_ptr_array_index (self->rows, i), row_finalized_cb, self);
  if (self->rows != NULL)
    g_ptr_array_set_size (self->rows, 0);
  /* AdwBin holds its child by itself: let go of it before the template does. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CN_TYPE_ARTICLES_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->list);
  g_clear_object (&self->store);
  g_clear_object (&self->sync_client);

  G_OBJECT_CLASS (cn_articles_view_parent_class)->dispose (object);
}

static void
cn_articles_view_finalize (GObject *object)
{
  CnArticlesView *self = CN_ARTICLES_VIEW (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->years, g_array_unref);
  g_free (self->search);
  g_free (self->files_dir);

  G_OBJECT_CLASS (cn_articles_view_parent_class)->finalize (object);
}

static void
cn_articles_view_class_init (CnArticlesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = cn_articles_view_get_property;
  object_class->set_property = cn_articles_view_set_property;
  object_class->dispose = cn_articles_view_dispose;
  object_class->finalize = cn_articles_view_finalize;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CN_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNC_CLIENT] =
    g_param_spec_object ("sync-client", NULL, NULL, CN_TYPE_SYNC_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CN_TYPE_ARTICLE_READER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/hatinh/nongthonmoi/CauNoi/cn-articles-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CnArticlesView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CnArticlesView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CnArticlesView, filter_button);
  gtk_widget_class_bind_template_child (widget_class, CnArticlesView, category_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CnArticlesView, tag_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CnArticlesView, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CnArticlesView, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CnArticlesView, list_view);
  gtk_widget_class_bind_template_child (widget_class, CnArticlesView, reader);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, filters_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, folded_changed_cb);

  gtk_widget_class_install_action (widget_class, "articles.newer", NULL, newer_action);
  gtk_widget_class_install_action (widget_class, "articles.older", NULL, older_action);
  gtk_widget_class_install_action (widget_class, "articles.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "articles.toggle-read", NULL, toggle_read_action);
  gtk_widget_class_install_action (widget_class, "articles.copy-link", NULL, copy_link_action);
  gtk_widget_class_install_action (widget_class, "articles.open-website", NULL, open_website_action);
  gtk_widget_class_install_action (widget_class, "articles.clear-filters", NULL, clear_filters_action);
  gtk_widget_class_install_action (widget_class, "articles.filter-tag", "s", filter_tag_action);
  gtk_widget_class_install_action (widget_class, "articles.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "articles.reload", NULL, reload_action);
}

/* The look of a navigation sidebar's rows for the cells of the list, once per display. */
static void
add_list_style (GdkDisplay *display)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL || g_object_get_data (G_OBJECT (display), "cn-articles-view-style") != NULL)
    return;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider,
                                       "/vn/gov/hatinh/nongthonmoi/CauNoi/cn-articles-view.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "cn-articles-view-style",
                          g_steal_pointer (&provider), g_object_unref);
}

static void
cn_articles_view_init (CnArticlesView *self)
{
  GtkListItemFactory *factory;

  self->rows = g_ptr_array_new ();
  self->years = g_array_new (FALSE, FALSE, sizeof (int));

  gtk_widget_init_template (GTK_WIDGET (self));
  add_list_style (gtk_widget_get_display (GTK_WIDGET (self)));

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (selection_changed_cb), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_grid_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_grid_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  cn_widget_name_dropdown (self->category_dropdown, C_("field", "Category"));
  cn_widget_name_dropdown (self->tag_dropdown, C_("field", "Tags"));
  cn_widget_name_dropdown (self->period_dropdown, _("Date"));
  load_filter_values (self);
  folded_changed_cb (self);
  add_shortcuts (self);
  update_list_page (self);
  update_actions (self);

  g_signal_connect (self, "notify::root", G_CALLBACK (root_changed_cb), NULL);
}
