/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-store"

#include "config.h"

#include "cn-record-list.h"
#include "cn-record.h"
#include "cn-store-private.h"

typedef struct {
  guint      index;
  GPtrArray *items;  /* CnRecord or NULL (a row gone before the store told us) */
} CnPage;

struct _CnRecordList
{
  GObject     parent_instance;

  CnStore    *store;
  CnQuery    *query;
  gulong      changed_id;
  GArray     *rowids;    /* gint64, in list order */
  GHashTable *pages;     /* page index → CnPage */
  GQueue      lru;       /* CnPage, most recent first */
  GError     *error;

  /* Store changes not applied yet (a reload of a big list is being spaced out). */
  GArray     *pending_changed;  /* gint64 row numbers */
  gboolean    pending_many;
  guint       reload_source;
  gint64      last_reload_at;   /* monotonic µs */
  gint64      last_reload_cost; /* µs */
};

/* A list longer than this is not reloaded more often than every RELOAD_SPACING times the
 * cost of its last reload, so a sync writing page after page does not keep the main thread
 * busy reloading. Shorter lists reload at once. */
#define RELOAD_THROTTLE_ROWS 5000
#define RELOAD_SPACING 10

static void cn_record_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CnRecordList, cn_record_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      cn_record_list_model_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_QUERY,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
page_free (gpointer data)
{
  CnPage *page = data;

  g_ptr_array_unref (page->items);
  g_free (page);
}

static void
maybe_unref (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static void
drop_pages (CnRecordList *self)
{
  g_queue_clear (&self->lru);
  g_hash_table_remove_all (self->pages);
}

static CnPage *
load_page (CnRecordList *self,
           guint         index)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  guint start = index * CN_RECORD_LIST_PAGE_SIZE;
  guint n = MIN (CN_RECORD_LIST_PAGE_SIZE, self->rowids->len - start);
  const gint64 *rowids = &g_array_index (self->rowids, gint64, start);
  CnPage *page;

  records = cn_store_get_by_rowids (self->store, rowids, n, &error);
  if (records == NULL)
    {
      g_warning ("Could not read a page of %s: %s", cn_query_get_collection (self->query),
                 error->message);
      records = g_ptr_array_new_with_free_func (g_object_unref);
    }

  page = g_new0 (CnPage, 1);
  page->index = index;
  page->items = g_ptr_array_new_full (n, maybe_unref);
  if (records->len == n)
    {
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (page->items, g_object_ref (g_ptr_array_index (records, i)));
    }
  else
    {
      /* Some rows went away before the store told us: keep positions, leave holes. */
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GPtrArray) one = cn_store_get_by_rowids (self->store, &rowids[i], 1, NULL);

          g_ptr_array_add (page->items, (one != NULL && one->len == 1)
                                        ? g_object_ref (g_ptr_array_index (one, 0)) : NULL);
        }
    }

  g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
  g_queue_push_head (&self->lru, page);
  while (self->lru.length > CN_RECORD_LIST_MAX_PAGES)
    {
      CnPage *old = g_queue_pop_tail (&self->lru);

      g_hash_table_remove (self->pages, GUINT_TO_POINTER (old->index));
    }
  return page;
}

static GType
cn_record_list_get_item_type (GListModel *model)
{
  return CN_TYPE_RECORD;
}

static guint
cn_record_list_get_n_items (GListModel *model)
{
  CnRecordList *self = CN_RECORD_LIST (model);

  return self->rowids->len;
}

static gpointer
cn_record_list_get_item (GListModel *model,
                         guint       position)
{
  CnRecordList *self = CN_RECORD_LIST (model);
  guint index = position / CN_RECORD_LIST_PAGE_SIZE;
  CnPage *page;
  gpointer item;

  if (position >= self->rowids->len)
    return NULL;

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  if (page == NULL)
    page = load_page (self, index);
  else if (self->lru.head->data != page)
    {
      g_queue_remove (&self->lru, page);
      g_queue_push_head (&self->lru, page);
    }

  item = g_ptr_array_index (page->items, position % CN_RECORD_LIST_PAGE_SIZE);
  return item != NULL ? g_object_ref (item) : NULL;
}

static void
cn_record_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cn_record_list_get_item_type;
  iface->get_n_items = cn_record_list_get_n_items;
  iface->get_item = cn_record_list_get_item;
}

static gboolean
gint64_in (GHashTable *set,
           gint64      value)
{
  return g_hash_table_contains (set, &value);
}

/* Replaces the row numbers and tells the views what moved: one range for rows that came,
 * went or moved, and single rows whose content changed (those in `changed`; NULL: all). */
static void
update_rowids (CnRecordList *self,
               GArray       *rowids,
               GArray       *changed)
{
  g_autoptr(GArray) old = self->rowids;
  g_autoptr(GHashTable) changed_set = NULL;
  const gint64 *a = (const gint64 *) old->data;
  const gint64 *b = (const gint64 *) rowids->data;
  guint prefix = 0;
  guint suffix = 0;
  guint min_len = MIN (old->len, rowids->len);
  guint removed;
  guint added;

  self->rowids = g_array_ref (rowids);
  drop_pages (self);

  if (changed == NULL)
    {
      if (old->len > 0 || rowids->len > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, old->len, rowids->len);
      if (old->len != rowids->len)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
      return;
    }

  while (prefix < min_len && a[prefix] == b[prefix])
    prefix++;
  while (suffix < min_len - prefix &&
         a[old->len - 1 - suffix] == b[rowids->len - 1 - suffix])
    suffix++;
  removed = old->len - prefix - suffix;
  added = rowids->len - prefix - suffix;

  changed_set = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < changed->len; i++)
    g_hash_table_add (changed_set, &g_array_index (changed, gint64, i));

  /* Content changes outside the moved range, from the end so positions stay valid. */
  for (guint i = rowids->len; i > rowids->len - suffix; i--)
    if (gint64_in (changed_set, b[i - 1]))
      g_list_model_items_changed (G_LIST_MODEL (self), i - 1, 1, 1);
  if (removed > 0 || added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, removed, added);
  for (guint i = prefix; i > 0; i--)
    if (gint64_in (changed_set, b[i - 1]))
      g_list_model_items_changed (G_LIST_MODEL (self), i - 1, 1, 1);

  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
apply_pending_changes (CnRecordList *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) fresh = NULL;
  gint64 start = g_get_monotonic_time ();

  fresh = cn_store_query_rowids (self->store, self->query, &error);
  self->last_reload_at = g_get_monotonic_time ();
  self->last_reload_cost = self->last_reload_at - start;
  if (fresh == NULL)
    {
      g_warning ("Could not reload the list of %s: %s", cn_query_get_collection (self->query),
                 error->message);
      return;
    }
  update_rowids (self, fresh, self->pending_many ? NULL : self->pending_changed);
  g_array_set_size (self->pending_changed, 0);
  self->pending_many = FALSE;
}

static gboolean
reload_timeout_cb (gpointer user_data)
{
  CnRecordList *self = user_data;

  self->reload_source = 0;
  apply_pending_changes (self);
  return G_SOURCE_REMOVE;
}

static void
on_store_changed (CnStore      *store,
                  const char   *collection,
                  GArray       *rowids,
                  CnRecordList *self)
{
  gint64 spacing;
  gint64 since;

  if (rowids == NULL)
    self->pending_many = TRUE;
  else if (!self->pending_many)
    g_array_append_vals (self->pending_changed, rowids->data, rowids->len);

  if (self->reload_source != 0)
    return;

  spacing = self->last_reload_cost * RELOAD_SPACING;
  since = g_get_monotonic_time () - self->last_reload_at;
  if (self->rowids->len > RELOAD_THROTTLE_ROWS && since < spacing)
    {
      self->reload_source = g_timeout_add ((guint) ((spacing - since) / 1000) + 1,
                                           reload_timeout_cb, self);
      g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->reload_source),
                                "[caunoi] record list reload");
      return;
    }
  apply_pending_changes (self);
}

static void
connect_store (CnRecordList *self)
{
  g_autofree char *signal = NULL;

  g_clear_signal_handler (&self->changed_id, self->store);
  signal = g_strconcat ("changed::", cn_query_get_collection (self->query), NULL);
  self->changed_id = g_signal_connect_object (self->store, signal,
                                              G_CALLBACK (on_store_changed), self, 0);
}

gboolean
cn_record_list_reload (CnRecordList  *self,
                       GError       **error)
{
  g_autoptr(GArray) fresh = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (CN_IS_RECORD_LIST (self), FALSE);

  g_clear_error (&self->error);
  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_array_set_size (self->pending_changed, 0);
  self->pending_many = FALSE;
  fresh = cn_store_query_rowids (self->store, self->query, &local_error);
  if (fresh == NULL)
    {
      self->error = g_error_copy (local_error);
      fresh = g_array_new (FALSE, FALSE, sizeof (gint64));
      update_rowids (self, fresh, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  update_rowids (self, fresh, NULL);
  return TRUE;
}

CnRecordList *
cn_record_list_new (CnStore       *store,
                    const CnQuery *query)
{
  g_return_val_if_fail (CN_IS_STORE (store), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  return g_object_new (CN_TYPE_RECORD_LIST, "store", store, "query", query, NULL);
}

CnStore *
cn_record_list_get_store (CnRecordList *self)
{
  g_return_val_if_fail (CN_IS_RECORD_LIST (self), NULL);
  return self->store;
}

const CnQuery *
cn_record_list_get_query (CnRecordList *self)
{
  g_return_val_if_fail (CN_IS_RECORD_LIST (self), NULL);
  return self->query;
}

void
cn_record_list_set_query (CnRecordList  *self,
                          const CnQuery *query)
{
  g_return_if_fail (CN_IS_RECORD_LIST (self));
  g_return_if_fail (query != NULL);

  if (self->query != NULL && cn_query_equal (self->query, query))
    return;

  g_clear_pointer (&self->query, cn_query_free);
  self->query = cn_query_copy (query);
  if (self->store != NULL)
    {
      connect_store (self);
      if (!cn_record_list_reload (self, NULL))
        g_debug ("Query on %s failed: %s", cn_query_get_collection (query), self->error->message);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
}

const GError *
cn_record_list_get_error (CnRecordList *self)
{
  g_return_val_if_fail (CN_IS_RECORD_LIST (self), NULL);
  return self->error;
}

guint
cn_record_list_find (CnRecordList *self,
                     const char   *id)
{
  g_autoptr(CnStmtReset) stmt = NULL;
  gint64 n;

  g_return_val_if_fail (CN_IS_RECORD_LIST (self), G_MAXUINT);
  g_return_val_if_fail (id != NULL, G_MAXUINT);

  stmt = cn_store_cached_stmt (self->store, "SELECT n FROM records WHERE id = ?1", NULL);
  if (stmt == NULL)
    return G_MAXUINT;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return G_MAXUINT;
  n = sqlite3_column_int64 (stmt, 0);
  for (guint i = 0; i < self->rowids->len; i++)
    if (g_array_index (self->rowids, gint64, i) == n)
      return i;
  return G_MAXUINT;
}

guint
cn_record_list_get_n_cached (CnRecordList *self)
{
  guint n = 0;

  g_return_val_if_fail (CN_IS_RECORD_LIST (self), 0);

  for (GList *l = self->lru.head; l != NULL; l = l->next)
    n += ((CnPage *) l->data)->items->len;
  return n;
}

static void
cn_record_list_dispose (GObject *object)
{
  CnRecordList *self = (CnRecordList *) object;

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_clear_handle_id (&self->reload_source, g_source_remove);
  drop_pages (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cn_record_list_parent_class)->dispose (object);
}

static void
cn_record_list_finalize (GObject *object)
{
  CnRecordList *self = (CnRecordList *) object;

  g_clear_pointer (&self->query, cn_query_free);
  g_clear_pointer (&self->rowids, g_array_unref);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->pending_changed, g_array_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (cn_record_list_parent_class)->finalize (object);
}

static void
cn_record_list_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CnRecordList *self = CN_RECORD_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_QUERY:
      g_value_set_boxed (value, self->query);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->rowids->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cn_record_list_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CnRecordList *self = CN_RECORD_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      if (self->query != NULL)
        {
          connect_store (self);
          cn_record_list_reload (self, NULL);
        }
      break;
    case PROP_QUERY:
      if (g_value_get_boxed (value) != NULL)
        cn_record_list_set_query (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cn_record_list_class_init (CnRecordListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cn_record_list_dispose;
  object_class->finalize = cn_record_list_finalize;
  object_class->get_property = cn_record_list_get_property;
  object_class->set_property = cn_record_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CN_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUERY] =
    g_param_spec_boxed ("query", NULL, NULL, CN_TYPE_QUERY,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cn_record_list_init (CnRecordList *self)
{
  self->rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, page_free);
  self->pending_changed = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_queue_init (&self->lru);
}
