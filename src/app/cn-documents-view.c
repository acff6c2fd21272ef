/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi"

#include "config.h"

#include <glib/gi18n.h>

#include "cn-document-detail.h"
#include "cn-documents-view.h"
#include "cn-format.h"
#include "cn-reading.h"
#include "cn-record-list.h"
#include "cn-widget-util.h"
#include "cn-window.h"

/* Fields, types, issuers and years offered by the filters come from this many documents. */
#define FILTER_SCAN_LIMIT 5000

typedef struct
{
  const char *field;     /* the record field, also the query's sort field */
  const char *title;
  int         width;     /* fixed width in pixels, or -1 to take the rest */
} Column;

static const Column columns[] = {
  { "number", N_("Number"), 145 },
  { "doc_type", N_("Type"), 90 },
  { "issuer", N_("Issuer"), 150 },
  { "signed_on", N_("Signed"), 120 },
  { "title", N_("Title"), -1 },
};

struct _CnDocumentsView
{
  AdwBin              parent_instance;

  CnStore            *store;
  CnSyncClient       *sync_client;
  CnRecordList       *list;
  GtkSingleSelection *selection;
  char               *search;
  char               *sort_field;
  gboolean            sort_descending;
  const char         *probe_field;     /* set while probing the column view's sorter */
  gboolean            updating_filters;
  guint               filter_values_id;

  AdwLeaflet         *leaflet;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *field_dropdown;
  GtkDropDown        *type_dropdown;
  GtkDropDown        *issuer_dropdown;
  GtkDropDown        *year_dropdown;
  GtkStack           *list_stack;
  GtkColumnView      *column_view;
  CnDocumentDetail   *detail;
};

G_DEFINE_FINAL_TYPE (CnDocumentsView, cn_documents_view, ADW_TYPE_BIN)

static void root_changed_cb (CnDocumentsView *self);
static void column_activate_cb (CnDocumentsView *self,
                              guint position);
static void retry_cb        (CnDocumentsView *self);

enum {
  PROP_0,
  PROP_STORE,
  PROP_SYNC_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
filters_active (CnDocumentsView *self)
{
  return cn_reading_dropdown_string (self->field_dropdown) != NULL ||
         cn_reading_dropdown_string (self->type_dropdown) != NULL ||
         cn_reading_dropdown_string (self->issuer_dropdown) != NULL ||
         cn_reading_dropdown_string (self->year_dropdown) != NULL;
}

static CnQuery *
build_query (CnDocumentsView *self)
{
  CnQuery *query = cn_query_new ("document");
  const char *value;

  cn_query_set_sort (query, self->sort_field, self->sort_descending);
  if ((value = cn_reading_dropdown_string (self->field_dropdown)) != NULL)
    cn_query_add_filter (query, "field", CN_QUERY_EQ, value);
  if ((value = cn_reading_dropdown_string (self->type_dropdown)) != NULL)
    cn_query_add_filter (query, "doc_type", CN_QUERY_EQ, value);
  if ((value = cn_reading_dropdown_string (self->issuer_dropdown)) != NULL)
    cn_query_add_filter (query, "issuer", CN_QUERY_EQ, value);
  if ((value = cn_reading_dropdown_string (self->year_dropdown)) != NULL)
    cn_query_add_filter (query, "signed_on", CN_QUERY_PREFIX, value);
  if (self->search != NULL && *self->search != '\0')
    cn_query_set_search (query, self->search);
  return query;
}

static void
update_list_page (CnDocumentsView *self)
{
  cn_reading_show_list_page (self->list_stack, G_LIST_MODEL (self->list),
                             (self->search != NULL && *self->search != '\0') || filters_active (self));
}

/* Another query or a changed row drops the selection: select the document shown again. */
static void
restore_selection (CnDocumentsView *self)
{
  cn_reading_reselect (self->selection, self->list, cn_document_detail_get_document (self->detail));
}

static void
items_changed_cb (CnDocumentsView *self)
{
  const GError *error = self->list != NULL ? cn_record_list_get_error (self->list) : NULL;

  if (error != NULL)
    cn_reading_show_error (GTK_WIDGET (self), error->message, G_CALLBACK (retry_cb));
  restore_selection (self);
  update_list_page (self);
}

static void
apply_query (CnDocumentsView *self)
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

static void
load_filter_values (CnDocumentsView *self)
{
  g_autoptr(CnQuery) query = cn_query_new ("document");
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) issuers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) years = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;

  if (self->store != NULL)
    {
      cn_query_set_sort (query, "signed_on", TRUE);
      records = cn_store_query (self->store, query, 0, FILTER_SCAN_LIMIT, &error);
      if (records == NULL)
        cn_reading_show_error (GTK_WIDGET (self), error->message, G_CALLBACK (retry_cb));
    }

  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      CnRecord *record = g_ptr_array_index (records, i);
      const char *value;

      if ((value = cn_record_get_string (record, "field")) != NULL && *value != '\0')
        g_hash_table_add (fields, g_strdup (value));
      if ((value = cn_record_get_string (record, "doc_type")) != NULL && *value != '\0')
        g_hash_table_add (types, g_strdup (value));
      if ((value = cn_record_get_string (record, "issuer")) != NULL && *value != '\0')
        g_hash_table_add (issuers, g_strdup (value));
      if ((value = cn_record_get_string (record, "signed_on")) != NULL && strlen (value) >= 4)
        g_hash_table_add (years, g_strndup (value, 4));
    }

  self->updating_filters = TRUE;
  cn_reading_fill_dropdown (self->field_dropdown, _("All fields"), fields, FALSE);
  cn_reading_fill_dropdown (self->type_dropdown, _("All types"), types, FALSE);
  cn_reading_fill_dropdown (self->issuer_dropdown, _("All issuers"), issuers, FALSE);
  cn_reading_fill_dropdown (self->year_dropdown, _("All years"), years, TRUE);
  self->updating_filters = FALSE;
}

static void
filters_changed_cb (CnDocumentsView *self)
{
  if (!self->updating_filters)
    apply_query (self);
}

static void
search_changed_cb (CnDocumentsView *self)
{
  g_free (self->search);
  self->search = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  apply_query (self);
}

/* Enter in the search opens the first match. */
static void
search_activate_cb (CnDocumentsView *self)
{
  if (self->list != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->list)) > 0)
    column_activate_cb (self, 0);
}

static void
stop_search_cb (CnDocumentsView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
selection_changed_cb (CnDocumentsView *self)
{
  CnRecord *document = gtk_single_selection_get_selected_item (self->selection);
  CnRecord *shown = cn_document_detail_get_document (self->detail);

  if (document == NULL)
    return;
  if (shown != NULL && g_strcmp0 (cn_record_get_id (document), cn_record_get_id (shown)) == 0 &&
      g_strcmp0 (cn_record_get_updated_at (document), cn_record_get_updated_at (shown)) == 0)
    return;
  cn_document_detail_set_document (self->detail, document);
}

static void
column_activate_cb (CnDocumentsView *self,
                    guint            position)
{
  gtk_single_selection_set_selected (self->selection, position);
  selection_changed_cb (self);
  adw_leaflet_set_visible_child_name (self->leaflet, "detail");
}

static void
folded_changed_cb (CnDocumentsView *self)
{
  cn_document_detail_set_back_visible (self->detail, adw_leaflet_get_folded (self->leaflet));
}

gboolean
cn_documents_view_show_document (CnDocumentsView *self,
                                 const char      *id)
{
  guint position;
  g_autoptr(CnRecord) document = NULL;

  g_return_val_if_fail (CN_IS_DOCUMENTS_VIEW (self), FALSE);

  if (self->list == NULL)
    return FALSE;
  position = cn_record_list_find (self->list, id);
  if (position != GTK_INVALID_LIST_POSITION &&
      position < g_list_model_get_n_items (G_LIST_MODEL (self->list)))
    {
      column_activate_cb (self, position);
      gtk_widget_activate_action (GTK_WIDGET (self->column_view), "list.scroll-to-item", "u", position);
      return TRUE;
    }

  /* Filtered out of the table: show it all the same. */
  document = cn_store_get (self->store, id, NULL);
  if (document == NULL)
    return FALSE;
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  cn_document_detail_set_document (self->detail, document);
  adw_leaflet_set_visible_child_name (self->leaflet, "detail");
  return TRUE;
}

static void
show_document_cb (CnDocumentsView *self,
                  const char      *id)
{
  cn_documents_view_show_document (self, id);
}

/* GTK 4.8 has no accessor for the column a GtkColumnViewSorter sorts by: compare two probe
 * records that differ in every field and note which column's sorter is asked first (the
 * primary one) and in which direction the view turned its answer. */
static int
column_compare (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const char *field = user_data;
  CnDocumentsView *self = g_object_get_data (G_OBJECT (a), "cn-view");

  if (self != NULL && self->probe_field == NULL)
    self->probe_field = field;
  return g_strcmp0 (cn_record_get_string ((CnRecord *) a, field),
                    cn_record_get_string ((CnRecord *) b, field));
}

static CnRecord *
probe_record (const char *value)
{
  g_autoptr(JsonObject) data = json_object_new ();

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    json_object_set_string_member (data, columns[i].field, value);
  return cn_record_new_local ("document", data);
}

static void
view_sorter_changed_cb (CnDocumentsView *self)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);
  g_autoptr(CnRecord) a = probe_record ("a");
  g_autoptr(CnRecord) b = probe_record ("b");
  GtkOrdering order;

  g_object_set_data (G_OBJECT (a), "cn-view", self);
  self->probe_field = NULL;
  order = gtk_sorter_compare (sorter, a, b);
  if (self->probe_field == NULL || order == GTK_ORDERING_EQUAL)
    {
      /* No column chosen: the newest documents first. */
      g_free (self->sort_field);
      self->sort_field = g_strdup ("signed_on");
      self->sort_descending = TRUE;
    }
  else
    {
      g_free (self->sort_field);
      self->sort_field = g_strdup (self->probe_field);
      self->sort_descending = order == GTK_ORDERING_LARGER;
    }
  self->probe_field = NULL;
  apply_query (self);
}

/* Sorts as a click on the column's header would. */
void
cn_documents_view_sort_by (CnDocumentsView *self,
                           const char      *field,
                           gboolean         descending)
{
  GListModel *view_columns;

  g_return_if_fail (CN_IS_DOCUMENTS_VIEW (self));

  view_columns = gtk_column_view_get_columns (self->column_view);
  for (guint i = 0; i < g_list_model_get_n_items (view_columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (view_columns, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (column), "cn-field"), field) == 0)
        gtk_column_view_sort_by_column (self->column_view, column,
                                        descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
    }
}

/* The whole value of a cell, which may be cut short. Asked for on hover: a tooltip set on
 * every bound cell made each ask the display server where the pointer is (which
 * gtk_widget_set_tooltip_text() does), a thousand round trips for the table's rows. */
static gboolean
cell_query_tooltip_cb (GtkWidget  *label,
                       int         x,
                       int         y,
                       gboolean    keyboard_mode,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  const char *text = gtk_label_get_label (GTK_LABEL (label));

  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  const Column *column = user_data;
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (column->width < 0)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_lines (GTK_LABEL (label), 2);
      gtk_label_set_width_chars (GTK_LABEL (label), 16);
    }
  else
    gtk_label_set_max_width_chars (GTK_LABEL (label), 22);
  gtk_widget_set_has_tooltip (label, TRUE);
  g_signal_connect (label, "query-tooltip", G_CALLBACK (cell_query_tooltip_cb), NULL);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  const Column *column = user_data;
  CnRecord *document = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  const char *value = cn_record_get_string (document, column->field);
  g_autofree char *date = NULL;

  if (g_str_equal (column->field, "signed_on"))
    value = date = cn_format_date_iso (value);
  gtk_label_set_label (label, value != NULL ? value : "");
}

static void
add_columns (CnDocumentsView *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;
      g_autoptr(GtkSorter) sorter = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), (gpointer) &columns[i]);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), (gpointer) &columns[i]);
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_expand (column, columns[i].width < 0);
      if (columns[i].width > 0)
        gtk_column_view_column_set_fixed_width (column, columns[i].width);
      gtk_column_view_column_set_resizable (column, TRUE);
      sorter = GTK_SORTER (gtk_custom_sorter_new (column_compare, (gpointer) columns[i].field, NULL));
      gtk_column_view_column_set_sorter (column, sorter);
      g_object_set_data (G_OBJECT (column), "cn-field", (gpointer) columns[i].field);
      gtk_column_view_append_column (self->column_view, column);
    }

  g_signal_connect_swapped (gtk_column_view_get_sorter (self->column_view), "changed",
                            G_CALLBACK (view_sorter_changed_cb), self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  adw_leaflet_set_visible_child_name (CN_DOCUMENTS_VIEW (widget)->leaflet, "list");
}

static void
open_website_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CnDocumentsView *self = CN_DOCUMENTS_VIEW (widget);
  CnRecord *document = cn_document_detail_get_document (self->detail);

  if (document != NULL)
    cn_widget_open_link (widget, cn_record_get_string (document, "source_url"));
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CnDocumentsView *self = CN_DOCUMENTS_VIEW (widget);

  self->updating_filters = TRUE;
  gtk_drop_down_set_selected (self->field_dropdown, 0);
  gtk_drop_down_set_selected (self->type_dropdown, 0);
  gtk_drop_down_set_selected (self->issuer_dropdown, 0);
  gtk_drop_down_set_selected (self->year_dropdown, 0);
  self->updating_filters = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  search_changed_cb (self);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CnDocumentsView *self = CN_DOCUMENTS_VIEW (widget);
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
retry_cb (CnDocumentsView *self)
{
  reload_action (GTK_WIDGET (self), NULL, NULL);
}

static gboolean
search_shortcut_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  CnDocumentsView *self = CN_DOCUMENTS_VIEW (widget);

  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  adw_leaflet_set_visible_child_name (self->leaflet, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return TRUE;
}

static gboolean
load_filter_values_idle_cb (gpointer user_data)
{
  CnDocumentsView *self = user_data;

  self->filter_values_id = 0;
  load_filter_values (self);
  return G_SOURCE_REMOVE;
}

void
cn_documents_view_set_store (CnDocumentsView *self,
                             CnStore         *store)
{
  g_autoptr(CnQuery) query = NULL;

  g_return_if_fail (CN_IS_DOCUMENTS_VIEW (self));
  g_return_if_fail (store == NULL || CN_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  if (self->list != NULL)
    g_signal_handlers_disconnect_by_func (self->list, items_changed_cb, self);
  g_clear_object (&self->list);
  cn_document_detail_set_context (self->detail, store, self->sync_client);
  cn_document_detail_set_document (self->detail, NULL);

  if (store != NULL)
    {
      /* After the first frame: the filter values come from the newest 5000 documents, whole
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

void
cn_documents_view_set_sync_client (CnDocumentsView *self,
                                   CnSyncClient    *client)
{
  g_return_if_fail (CN_IS_DOCUMENTS_VIEW (self));

  if (!g_set_object (&self->sync_client, client))
    return;
  cn_document_detail_set_context (self->detail, self->store, client);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_CLIENT]);
}

/**
 * cn_documents_view_get_model:
 *
 * Returns: (transfer none) (nullable): the documents shown, in the table's order
 */
GListModel *
cn_documents_view_get_model (CnDocumentsView *self)
{
  g_return_val_if_fail (CN_IS_DOCUMENTS_VIEW (self), NULL);

  return G_LIST_MODEL (self->list);
}

static void
root_changed_cb (CnDocumentsView *self)
{
  cn_reading_adopt_context (GTK_WIDGET (self), G_CALLBACK (retry_cb));
}

static void
cn_documents_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CnDocumentsView *self = CN_DOCUMENTS_VIEW (object);

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
cn_documents_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CnDocumentsView *self = CN_DOCUMENTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      cn_documents_view_set_store (self, g_value_get_object (value));
      break;
    case PROP_SYNC_CLIENT:
      cn_documents_view_set_sync_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cn_documents_view_dispose (GObject *object)
{
  CnDocumentsView *self = CN_DOCUMENTS_VIEW (object);

  g_clear_handle_id (&self->filter_values_id, g_source_remove);
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_func (self->list, items_changed_cb, self);
  if (self->column_view != NULL)
    {
      g_signal_handlers_disconnect_by_func (gtk_column_view_get_sorter (self->column_view),
                                            view_sorter_changed_cb, self);
      gtk_column_view_set_model (self->column_view, NULL);
    }
  /* AdwBin holds its child by itself: let go of it before the template does. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CN_TYPE_DOCUMENTS_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->list);
  g_clear_object (&self->store);
  g_clear_object (&self->sync_client);

  G_OBJECT_CLASS (cn_documents_view_parent_class)->dispose (object);
}

static void
cn_documents_view_finalize (GObject *object)
{
  CnDocumentsView *self = CN_DOCUMENTS_VIEW (object);

  g_free (self->search);
  g_free (self->sort_field);

  G_OBJECT_CLASS (cn_documents_view_parent_class)->finalize (object);
}

static void
cn_documents_view_class_init (CnDocumentsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = cn_documents_view_get_property;
  object_class->set_property = cn_documents_view_set_property;
  object_class->dispose = cn_documents_view_dispose;
  object_class->finalize = cn_documents_view_finalize;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CN_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNC_CLIENT] =
    g_param_spec_object ("sync-client", NULL, NULL, CN_TYPE_SYNC_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CN_TYPE_DOCUMENT_DETAIL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/hatinh/nongthonmoi/CauNoi/cn-documents-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CnDocumentsView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CnDocumentsView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CnDocumentsView, field_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CnDocumentsView, type_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CnDocumentsView, issuer_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CnDocumentsView, year_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CnDocumentsView, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CnDocumentsView, column_view);
  gtk_widget_class_bind_template_child (widget_class, CnDocumentsView, detail);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, filters_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, column_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, folded_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_document_cb);

  gtk_widget_class_install_action (widget_class, "documents.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "documents.open-website", NULL, open_website_action);
  gtk_widget_class_install_action (widget_class, "documents.clear-filters", NULL, clear_filters_action);
  gtk_widget_class_install_action (widget_class, "documents.reload", NULL, reload_action);
}

static void
cn_documents_view_init (CnDocumentsView *self)
{
  GtkEventController *shortcuts;

  self->sort_field = g_strdup ("signed_on");
  self->sort_descending = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (selection_changed_cb), self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  add_columns (self);

  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_MANAGED);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>f"),
                                                          gtk_callback_action_new (search_shortcut_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  cn_widget_name_dropdown (self->field_dropdown, C_("document", "Field"));
  cn_widget_name_dropdown (self->type_dropdown, _("Document type"));
  cn_widget_name_dropdown (self->issuer_dropdown, _("Issuer"));
  cn_widget_name_dropdown (self->year_dropdown, _("Year"));
  load_filter_values (self);
  folded_changed_cb (self);
  update_list_page (self);

  g_signal_connect (self, "notify::root", G_CALLBACK (root_changed_cb), NULL);
}
