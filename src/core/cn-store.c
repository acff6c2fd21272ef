/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cn-error.h"
#include "cn-fold.h"
#include "cn-fts.h"
#include "cn-id.h"
#include "cn-query-private.h"
#include "cn-schema.h"
#include "cn-store-private.h"
#include "cn-time.h"

/*
 * Schema (version 2):
 *
 *   records      one narrow row per record: what lists sort and filter on (title, main
 *                date, three key fields k1..k3 per collection, see index_map) and the sync
 *                state (rev, deleted, local = has unsent edits, sample). Indexed per list.
 *   record_data  the JSON data, by the same row number n: bodies stay out of the b-tree
 *                lists scan.
 *   outbox       unsent local edits in order (pending or rejected with the server's reason).
 *   base         the server version a pending edit started from (records with rev > 0).
 *   theirs       a newer server version pulled while local edits were pending.
 *   conflicts    fields changed on both sides, with the server version, until settled.
 *   search       FTS5 (title, body, kind) over the original text, tokenized by cn_fold.
 *   search_pending  rows written while indexing was deferred, not in `search` yet.
 *   meta         key-value: server_url, user, last_sync, client_id, cursor.
 */

/* A store keeps this many changed row numbers per collection for "changed"; beyond, it
 * reports "many" (NULL) and lists reload everything. */
#define CN_STORE_MAX_CHANGED_ROWS 1024

typedef struct {
  const char *collection;
  const char *sort_date;
  const char *k1;
  const char *k2;
  const char *k3;
} CnIndexMap;

/* The fields lists need, per collection, kept in narrow indexed columns. Changing this
 * table needs a migration that recomputes the columns (see migrate_to_2). */
static const CnIndexMap index_map[] = {
  { "unit",         NULL,           "kind",          "parent_id",       "code" },
  { "person",       NULL,           "unit_id",       "organization",    "position" },
  { "article",      "published_at", "category",      "author",          "source" },
  { "document",     "signed_on",    "number",        "field",           "doc_type" },
  { "criteria_set", NULL,           "level",         "variant",         "document_id" },
  { "delegation",   NULL,           "unit_id",       "region",          "term" },
  { "assignment",   "since",        "commune_id",    "person_id",       "role" },
  { "visit",        "date",         "commune_id",    "delegation_id",   NULL },
  { "report",       "meeting_date", "delegation_id", "status",          "period" },
  { "task",         "due_on",       "commune_id",    "owner_id",        "status" },
  { "task_event",   "at",           "task_id",       "to_status",       NULL },
  { "assessment",   "assessed_on",  "commune_id",    "criteria_set_id", "criterion_code" },
  { "attendance",   "month",        "person_id",     NULL,              NULL },
};

/* Change notification between all CnStores open on one file, in any thread. */
typedef struct {
  gboolean  many;
  GArray   *rowids;  /* gint64 */
} CnPendingChange;

typedef struct {
  gatomicrefcount  ref_count;
  GWeakRef         store;
  GMainContext    *context;
  char            *path;
  GHashTable      *pending;    /* collection → CnPendingChange; under watch_lock */
  gboolean         scheduled;  /* an idle is queued on context; under watch_lock */
} CnStoreWatch;

static GMutex watch_lock;
static GPtrArray *watches;  /* CnStoreWatch, under watch_lock */

struct _CnStore
{
  GObject        parent_instance;

  sqlite3       *db;
  char          *path;
  GHashTable    *stmts;       /* SQL text → sqlite3_stmt */
  guint          tx_depth;
  GHashTable    *tx_changes;  /* collection → CnPendingChange, published on commit */
  gboolean       defer_indexing;
  GArray        *search_queue; /* CnSearchRow: the index rows of a pull page, see below */
  CnStoreWatch  *watch;
};

G_DEFINE_FINAL_TYPE (CnStore, cn_store, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_BOXED_TYPE (CnOutboxEntry, cn_outbox_entry, cn_outbox_entry_copy, cn_outbox_entry_free)
G_DEFINE_BOXED_TYPE (CnConflict, cn_conflict, cn_conflict_copy, cn_conflict_free)

/* Boxed types */

CnOutboxEntry *
cn_outbox_entry_copy (const CnOutboxEntry *entry)
{
  CnOutboxEntry *copy = g_new0 (CnOutboxEntry, 1);

  copy->seq = entry->seq;
  copy->mutation_id = g_strdup (entry->mutation_id);
  copy->collection = g_strdup (entry->collection);
  copy->id = g_strdup (entry->id);
  copy->base_rev = entry->base_rev;
  copy->op = g_strdup (entry->op);
  copy->data = entry->data != NULL ? json_object_ref (entry->data) : NULL;
  copy->created_at = g_strdup (entry->created_at);
  copy->state = entry->state;
  copy->reason = g_strdup (entry->reason);
  return copy;
}

void
cn_outbox_entry_free (CnOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->mutation_id);
  g_free (entry->collection);
  g_free (entry->id);
  g_free (entry->op);
  g_clear_pointer (&entry->data, json_object_unref);
  g_free (entry->created_at);
  g_free (entry->reason);
  g_free (entry);
}

CnConflict *
cn_conflict_copy (const CnConflict *conflict)
{
  CnConflict *copy = g_new0 (CnConflict, 1);

  copy->id = g_strdup (conflict->id);
  copy->collection = g_strdup (conflict->collection);
  copy->fields = g_strdupv (conflict->fields);
  copy->mine = conflict->mine != NULL ? json_object_ref (conflict->mine) : NULL;
  copy->theirs = conflict->theirs != NULL ? g_object_ref (conflict->theirs) : NULL;
  copy->base = conflict->base != NULL ? json_object_ref (conflict->base) : NULL;
  copy->created_at = g_strdup (conflict->created_at);
  return copy;
}

void
cn_conflict_free (CnConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->id);
  g_free (conflict->collection);
  g_strfreev (conflict->fields);
  g_clear_pointer (&conflict->mine, json_object_unref);
  g_clear_object (&conflict->theirs);
  g_clear_pointer (&conflict->base, json_object_unref);
  g_free (conflict->created_at);
  g_free (conflict);
}

/* Change notification */

static void
pending_change_free (gpointer data)
{
  CnPendingChange *change = data;

  g_clear_pointer (&change->rowids, g_array_unref);
  g_free (change);
}

static GHashTable *
pending_table_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, pending_change_free);
}

static void
pending_add (GHashTable *table,
             const char *collection,
             gboolean    many,
             const gint64 *rowids,
             guint       n_rowids)
{
  CnPendingChange *change = g_hash_table_lookup (table, collection);

  if (change == NULL)
    {
      change = g_new0 (CnPendingChange, 1);
      change->rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (table, g_strdup (collection), change);
    }
  if (change->many)
    return;
  if (many || change->rowids->len + n_rowids > CN_STORE_MAX_CHANGED_ROWS)
    {
      change->many = TRUE;
      g_array_set_size (change->rowids, 0);
      return;
    }
  g_array_append_vals (change->rowids, rowids, n_rowids);
}

static void
pending_merge (GHashTable *into,
               GHashTable *from)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, from);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      CnPendingChange *change = value;

      pending_add (into, key, change->many, (const gint64 *) change->rowids->data,
                   change->rowids->len);
    }
}

static CnStoreWatch *
watch_ref (CnStoreWatch *watch)
{
  g_atomic_ref_count_inc (&watch->ref_count);
  return watch;
}

static void
watch_unref (CnStoreWatch *watch)
{
  if (!g_atomic_ref_count_dec (&watch->ref_count))
    return;
  g_weak_ref_clear (&watch->store);
  g_main_context_unref (watch->context);
  g_free (watch->path);
  g_hash_table_unref (watch->pending);
  g_free (watch);
}

static gboolean
watch_dispatch (gpointer user_data)
{
  CnStoreWatch *watch = user_data;
  g_autoptr(CnStore) store = NULL;
  g_autoptr(GHashTable) pending = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_mutex_lock (&watch_lock);
  pending = g_steal_pointer (&watch->pending);
  watch->pending = pending_table_new ();
  watch->scheduled = FALSE;
  g_mutex_unlock (&watch_lock);

  store = g_weak_ref_get (&watch->store);
  if (store == NULL)
    return G_SOURCE_REMOVE;

  g_hash_table_iter_init (&iter, pending);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      CnPendingChange *change = value;

      g_signal_emit (store, signals[CHANGED], g_quark_from_string (key), key,
                     change->many ? NULL : change->rowids);
    }

  return G_SOURCE_REMOVE;
}

static void
publish_changes (CnStore    *self,
                 GHashTable *changes)
{
  if (g_hash_table_size (changes) == 0)
    return;

  g_mutex_lock (&watch_lock);
  for (guint i = 0; watches != NULL && i < watches->len; i++)
    {
      CnStoreWatch *watch = g_ptr_array_index (watches, i);

      if (strcmp (watch->path, self->path) != 0)
        continue;
      pending_merge (watch->pending, changes);
      if (!watch->scheduled)
        {
          GSource *source = g_idle_source_new ();

          watch->scheduled = TRUE;
          g_source_set_priority (source, G_PRIORITY_DEFAULT);
          g_source_set_callback (source, watch_dispatch, watch_ref (watch),
                                 (GDestroyNotify) watch_unref);
          g_source_set_static_name (source, "[caunoi] store changed");
          g_source_attach (source, watch->context);
          g_source_unref (source);
        }
    }
  g_mutex_unlock (&watch_lock);
}

static void
note_change (CnStore    *self,
             const char *collection,
             gint64      rowid)
{
  pending_add (self->tx_changes, collection, rowid < 0, &rowid, rowid < 0 ? 0 : 1);
}

static void
note_all_changed (CnStore *self)
{
  for (const char * const *c = cn_schema_collections (); *c != NULL; c++)
    note_change (self, *c, -1);
}

/* SQL helpers */

void
cn_store_set_sql_error (CnStore  *self,
                        GError  **error)
{
  int code = sqlite3_errcode (self->db);

  if (code == SQLITE_FULL)
    g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                 _("The disk is full: the local database could not be written"));
  else if (code == SQLITE_READONLY || code == SQLITE_PERM || code == SQLITE_CANTOPEN)
    g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                 _("The local database %s cannot be written: %s"),
                 self->path, sqlite3_errmsg (self->db));
  else if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
    g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                 _("The local database %s is damaged: %s"),
                 self->path, sqlite3_errmsg (self->db));
  else
    g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                 _("The local database failed: %s"), sqlite3_errmsg (self->db));
}

sqlite3 *
cn_store_get_db (CnStore *self)
{
  g_return_val_if_fail (CN_IS_STORE (self), NULL);
  return self->db;
}

/* A statement prepared once per connection; reset and unbound on every fetch. Use it as
 * g_autoptr(CnStmtReset) so it is reset (ending its read) when the scope ends. */
sqlite3_stmt *
cn_store_cached_stmt (CnStore     *self,
                      const char  *sql,
                      GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->stmts, sql);

  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
        {
          cn_store_set_sql_error (self, error);
          sqlite3_finalize (stmt);
          return NULL;
        }
      g_hash_table_insert (self->stmts, g_strdup (sql), stmt);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

static gboolean
exec_sql (CnStore     *self,
          const char  *sql,
          GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                   _("The local database failed: %s"), message ? message : "?");
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/* Runs a cached statement that returns no rows. */
static gboolean
step_done (CnStore       *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      cn_store_set_sql_error (self, error);
      return FALSE;
    }
  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

JsonObject *
cn_store_parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

/* Transactions. Nested calls become savepoints, so an internal write inside a caller's
 * batch can fail alone without breaking the batch. */

gboolean
cn_store_begin (CnStore  *self,
                GError  **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (CN_IS_STORE (self), FALSE);

  if (self->tx_depth == 0)
    {
      if (!exec_sql (self, "BEGIN IMMEDIATE", error))
        return FALSE;
    }
  else
    {
      sql = g_strdup_printf ("SAVEPOINT cn_%u", self->tx_depth);
      if (!exec_sql (self, sql, error))
        return FALSE;
    }
  self->tx_depth++;
  return TRUE;
}

gboolean
cn_store_commit (CnStore  *self,
                 GError  **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (CN_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  if (self->tx_depth == 1)
    {
      g_autoptr(GHashTable) changes = NULL;

      if (!exec_sql (self, "COMMIT", error))
        {
          cn_store_rollback (self);
          return FALSE;
        }
      self->tx_depth = 0;
      changes = g_steal_pointer (&self->tx_changes);
      self->tx_changes = pending_table_new ();
      publish_changes (self, changes);
      return TRUE;
    }

  sql = g_strdup_printf ("RELEASE cn_%u", self->tx_depth - 1);
  if (!exec_sql (self, sql, error))
    return FALSE;
  self->tx_depth--;
  return TRUE;
}

void
cn_store_rollback (CnStore *self)
{
  g_return_if_fail (CN_IS_STORE (self));
  g_return_if_fail (self->tx_depth > 0);

  if (self->tx_depth == 1)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      g_hash_table_remove_all (self->tx_changes);
    }
  else
    {
      g_autofree char *sql = g_strdup_printf ("ROLLBACK TO cn_%u; RELEASE cn_%u",
                                              self->tx_depth - 1, self->tx_depth - 1);

      /* Changes noted inside the savepoint stay noted: a spurious "changed" is harmless. */
      sqlite3_exec (self->db, sql, NULL, NULL, NULL);
    }
  self->tx_depth--;
}

/* Ends a write that began with cn_store_begin(): commits when ok, else rolls back. */
static gboolean
finish_tx (CnStore   *self,
           gboolean   ok,
           GError   **error)
{
  if (!ok)
    {
      cn_store_rollback (self);
      return FALSE;
    }
  return cn_store_commit (self, error);
}

/* Derived columns and the full-text row */

static const CnIndexMap *
lookup_index_map (const char *collection)
{
  for (guint i = 0; i < G_N_ELEMENTS (index_map); i++)
    if (strcmp (index_map[i].collection, collection) == 0)
      return &index_map[i];
  return NULL;
}

const char * const *
cn_store_indexed_fields (const char *collection)
{
  static GHashTable *cache;
  static GMutex lock;
  const char * const *fields;

  g_return_val_if_fail (collection != NULL, NULL);

  g_mutex_lock (&lock);
  if (cache == NULL)
    {
      cache = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < G_N_ELEMENTS (index_map); i++)
        {
          const CnIndexMap *map = &index_map[i];
          GPtrArray *list = g_ptr_array_new ();

          g_ptr_array_add (list, (gpointer) "title");
          g_ptr_array_add (list, (gpointer) "updated_at");
          if (map->sort_date)
            g_ptr_array_add (list, (gpointer) map->sort_date);
          if (map->k1)
            g_ptr_array_add (list, (gpointer) map->k1);
          if (map->k2)
            g_ptr_array_add (list, (gpointer) map->k2);
          if (map->k3)
            g_ptr_array_add (list, (gpointer) map->k3);
          g_ptr_array_add (list, NULL);
          /* Lives as long as the process, like the schema table it describes. */
          g_hash_table_insert (cache, (gpointer) map->collection,
                               g_ptr_array_free (list, FALSE));
        }
    }
  fields = g_hash_table_lookup (cache, collection);
  g_mutex_unlock (&lock);
  return fields;
}

static char *
dup_scalar (JsonObject *data,
            const char *field)
{
  JsonNode *node;

  if (field == NULL || data == NULL)
    return NULL;
  node = json_object_get_member (data, field);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "1" : "0");
    case G_TYPE_DOUBLE:
      return g_strdup_printf ("%g", json_node_get_double (node));
    default:
      return NULL;
    }
}

/* What a person typed as a MATCH expression; NULL when there is no word. */
char *
cn_store_build_match (const char  *text,
                      CnFtsPrefix  prefix)
{
  /* Not a column filter ("{title body} : …"): FTS5 then reads every position list to check
   * columns, two to three times slower. The kind column holds only a marker word
   * (CN_FTS_MARK) that typed text never matches. */
  return cn_fts_build_query_full (text, prefix);
}

/* The full-text "kind" column holds the collection as one marker word ("\001taskevent"), so
 * a search restricted to a collection is a cheap index lookup, and no typed word matches it. */
static char *
collection_kind_word (const char *collection)
{
  GString *word = g_string_new (CN_FTS_MARK);

  for (const char *p = collection; *p; p++)
    if (*p != '_')
      g_string_append_c (word, *p);
  return g_string_free (word, FALSE);
}

/* A full-text row held back until the end of a pull page. The statement savepoints of the
 * records and record_data upserts reach FTS5's savepoint, which flushes the terms it holds
 * in memory: with the full-text rows written between those upserts, FTS5 flushed at every
 * record (56 % of a bulk load's time in sqlite3VtabSavepoint). Written one after the other
 * at the end of the page, they are flushed once a page. */
typedef struct {
  gint64      n;
  char       *collection;
  gboolean    deleted;
  gboolean    fresh;  /* a row number just made: it has no full-text row to replace */
  JsonObject *data;
  char       *title;
  char       *body;   /* the search text when prepared ahead (CnPreparedPage), else NULL */
} CnSearchRow;

static void
search_row_clear (CnSearchRow *row)
{
  g_free (row->collection);
  g_clear_pointer (&row->data, json_object_unref);
  g_free (row->title);
  g_free (row->body);
}

static gboolean
write_search_row_full (CnStore     *self,
                       gint64       n,
                       const char  *collection,
                       gboolean     deleted,
                       gboolean     fresh,
                       JsonObject  *data,
                       const char  *title,
                       const char  *prepared_body,
                       GError     **error)
{
  g_autoptr(CnStmtReset) del = NULL;
  g_autoptr(CnStmtReset) ins = NULL;
  g_autofree char *body = NULL;
  g_autofree char *kind = NULL;

  if (self->search_queue != NULL)
    {
      CnSearchRow row = {
        .n = n,
        .collection = g_strdup (collection),
        .deleted = deleted,
        .data = data != NULL ? json_object_ref (data) : NULL,
        .title = g_strdup (title),
        .body = g_strdup (prepared_body),
      };

      g_array_append_val (self->search_queue, row);
      return TRUE;
    }

  /* A full-text delete reads the stored row back: skipped when there is none. */
  if (!fresh)
    {
      del = cn_store_cached_stmt (self, "DELETE FROM search WHERE rowid = ?1", error);
      if (del == NULL)
        return FALSE;
      sqlite3_bind_int64 (del, 1, n);
      if (!step_done (self, del, error))
        return FALSE;
    }

  if (deleted || data == NULL || self->defer_indexing)
    {
      g_autoptr(CnStmtReset) pending = cn_store_cached_stmt (self,
        (!deleted && data != NULL)
        ? "INSERT OR IGNORE INTO search_pending (n) VALUES (?1)"
        : "DELETE FROM search_pending WHERE n = ?1", error);

      if (pending == NULL)
        return FALSE;
      sqlite3_bind_int64 (pending, 1, n);
      return step_done (self, pending, error);
    }

  ins = cn_store_cached_stmt (self, "INSERT INTO search (rowid, title, body, kind) "
                                    "VALUES (?1, ?2, ?3, ?4)", error);
  if (ins == NULL)
    return FALSE;
  if (prepared_body == NULL)
    prepared_body = body = cn_schema_dup_search_text (collection, data);
  kind = collection_kind_word (collection);
  sqlite3_bind_int64 (ins, 1, n);
  bind_text (ins, 2, title);
  bind_text (ins, 3, prepared_body);
  bind_text (ins, 4, kind);
  return step_done (self, ins, error);
}

static gboolean
write_search_row (CnStore     *self,
                  gint64       n,
                  const char  *collection,
                  gboolean     deleted,
                  JsonObject  *data,
                  const char  *title,
                  GError     **error)
{
  return write_search_row_full (self, n, collection, deleted, FALSE, data, title, NULL, error);
}

/* What writing a record derives from its data. */
typedef struct {
  char *title;
  char *title_key;
  char *sort_date;
  char *k1;
  char *k2;
  char *k3;
  char *json;
  char *body;  /* the search text, or NULL: made when written */
} CnPreparedRow;

struct _CnPreparedPage {
  GPtrArray     *records;
  CnPreparedRow *rows;
};

typedef struct {
  const char *collection;
  const char *id;
  gint64      rev;
  gboolean    deleted;
  const char *updated_at;
  const char *updated_by;
  JsonObject *data;
  gboolean    local;
  gboolean    sample;
  const CnPreparedRow *prepared;  /* what write_row() derives from data, made ahead; or NULL */
} CnRow;

static void
row_from_record (CnRow    *row,
                 CnRecord *record)
{
  row->collection = cn_record_get_collection (record);
  row->id = cn_record_get_id (record);
  row->rev = cn_record_get_rev (record);
  row->deleted = cn_record_get_deleted (record);
  row->updated_at = cn_record_get_updated_at (record);
  row->updated_by = cn_record_get_updated_by (record);
  row->data = cn_record_get_data (record);
}

static void
prepare_row (CnPreparedRow *prepared,
             const char    *collection,
             gboolean       deleted,
             JsonObject    *data,
             gboolean       with_body)
{
  const CnIndexMap *map = lookup_index_map (collection);
  gboolean known = cn_schema_lookup (collection) != NULL;

  prepared->title = known ? cn_schema_dup_title (collection, data) : NULL;
  if (prepared->title == NULL)
    prepared->title = g_strdup ("");
  prepared->title_key = cn_fold (prepared->title, -1);
  if (map != NULL)
    {
      prepared->sort_date = dup_scalar (data, map->sort_date);
      prepared->k1 = dup_scalar (data, map->k1);
      prepared->k2 = dup_scalar (data, map->k2);
      prepared->k3 = dup_scalar (data, map->k3);
    }
  prepared->json = object_to_string (data);
  if (with_body && known && !deleted)
    prepared->body = cn_schema_dup_search_text (collection, data);
}

static void
prepared_row_clear (CnPreparedRow *prepared)
{
  g_free (prepared->title);
  g_free (prepared->title_key);
  g_free (prepared->sort_date);
  g_free (prepared->k1);
  g_free (prepared->k2);
  g_free (prepared->k3);
  g_free (prepared->json);
  g_free (prepared->body);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CnPreparedRow, prepared_row_clear)

/* Writes records + record_data + search for one record; returns its row number or -1. */
static gint64
write_row (CnStore      *self,
           const CnRow  *row,
           GError      **error)
{
  g_autoptr(CnStmtReset) upsert = NULL;
  g_autoptr(CnStmtReset) data_stmt = NULL;
  g_autoptr(JsonObject) empty = NULL;
  g_auto(CnPreparedRow) own = { 0 };
  const CnPreparedRow *prepared = row->prepared;
  JsonObject *data = row->data;
  gint64 n;

  if (data == NULL)
    data = empty = json_object_new ();
  if (prepared == NULL)
    {
      prepare_row (&own, row->collection, row->deleted, data, FALSE);
      prepared = &own;
    }

  upsert = cn_store_cached_stmt (self,
    "INSERT INTO records (id, collection, rev, deleted, updated_at, updated_by, title, "
    "                     title_key, sort_date, k1, k2, k3, local, sample) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
    "ON CONFLICT (id) DO UPDATE SET collection = ?2, rev = ?3, deleted = ?4, "
    "  updated_at = ?5, updated_by = ?6, title = ?7, title_key = ?8, sort_date = ?9, "
    "  k1 = ?10, k2 = ?11, k3 = ?12, local = ?13, sample = ?14 "
    "RETURNING n", error);
  if (upsert == NULL)
    return -1;
  bind_text (upsert, 1, row->id);
  bind_text (upsert, 2, row->collection);
  sqlite3_bind_int64 (upsert, 3, row->rev);
  sqlite3_bind_int (upsert, 4, row->deleted ? 1 : 0);
  bind_text (upsert, 5, row->updated_at ? row->updated_at : "");
  bind_text (upsert, 6, row->updated_by ? row->updated_by : "");
  bind_text (upsert, 7, prepared->title);
  bind_text (upsert, 8, prepared->title_key);
  bind_text (upsert, 9, prepared->sort_date ? prepared->sort_date : "");
  bind_text (upsert, 10, prepared->k1);
  bind_text (upsert, 11, prepared->k2);
  bind_text (upsert, 12, prepared->k3);
  sqlite3_bind_int (upsert, 13, row->local ? 1 : 0);
  sqlite3_bind_int (upsert, 14, row->sample ? 1 : 0);
  if (sqlite3_step (upsert) != SQLITE_ROW)
    {
      cn_store_set_sql_error (self, error);
      return -1;
    }
  n = sqlite3_column_int64 (upsert, 0);
  sqlite3_reset (upsert);

  data_stmt = cn_store_cached_stmt (self,
    "INSERT INTO record_data (n, data) VALUES (?1, ?2) "
    "ON CONFLICT (n) DO UPDATE SET data = ?2", error);
  if (data_stmt == NULL)
    return -1;
  sqlite3_bind_int64 (data_stmt, 1, n);
  bind_text (data_stmt, 2, prepared->json);
  if (!step_done (self, data_stmt, error))
    return -1;

  if (!write_search_row_full (self, n, row->collection, row->deleted, FALSE, data,
                              prepared->title, prepared->body, error))
    return -1;

  note_change (self, row->collection, n);
  return n;
}

/* Removes a record entirely (a local record that never reached a server). */
static gboolean
remove_row (CnStore     *self,
            const char  *id,
            GError     **error)
{
  static const char * const delete_sql[] = {
    "DELETE FROM search WHERE rowid = ?1",
    "DELETE FROM search_pending WHERE n = ?1",
    "DELETE FROM record_data WHERE n = ?1",
    "DELETE FROM records WHERE n = ?1",
  };
  g_autoptr(CnStmtReset) find = NULL;
  g_autofree char *collection = NULL;
  gint64 n;

  find = cn_store_cached_stmt (self, "SELECT n, collection FROM records WHERE id = ?1", error);
  if (find == NULL)
    return FALSE;
  bind_text (find, 1, id);
  if (sqlite3_step (find) != SQLITE_ROW)
    return TRUE;
  n = sqlite3_column_int64 (find, 0);
  collection = g_strdup (column_text (find, 1));
  sqlite3_reset (find);

  /* The full-text row, its pending entry, the data, then the list row. */
  for (gsize i = 0; i < G_N_ELEMENTS (delete_sql); i++)
    {
      g_autoptr(CnStmtReset) del = cn_store_cached_stmt (self, delete_sql[i], error);

      if (del == NULL)
        return FALSE;
      sqlite3_bind_int64 (del, 1, n);
      if (!step_done (self, del, error))
        return FALSE;
    }

  note_change (self, collection, n);
  return TRUE;
}

/* Migrations: forward only, each in one transaction that also sets user_version. A
 * released migration never changes; a change of schema is a new one. */

static const char migration_1_sql[] =
  "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT) WITHOUT ROWID;"
  "CREATE TABLE records ("
  "  n INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  collection TEXT NOT NULL,"
  "  rev INTEGER NOT NULL DEFAULT 0,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  updated_at TEXT NOT NULL DEFAULT '',"
  "  updated_by TEXT NOT NULL DEFAULT '',"
  "  title TEXT NOT NULL DEFAULT '',"
  "  sort_date TEXT NOT NULL DEFAULT '',"
  "  local INTEGER NOT NULL DEFAULT 0,"
  "  sample INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX records_by_date ON records (collection, deleted, sort_date);"
  "CREATE TABLE record_data (n INTEGER PRIMARY KEY, data TEXT NOT NULL);"
  "CREATE TABLE outbox ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  mutation_id TEXT NOT NULL UNIQUE,"
  "  collection TEXT NOT NULL,"
  "  id TEXT NOT NULL,"
  "  base_rev INTEGER NOT NULL DEFAULT 0,"
  "  op TEXT NOT NULL CHECK (op IN ('put', 'delete')),"
  "  data TEXT,"
  "  created_at TEXT NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'rejected')),"
  "  reason TEXT);"
  "CREATE INDEX outbox_by_id ON outbox (id);"
  "CREATE TABLE base ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  collection TEXT NOT NULL,"
  "  rev INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  updated_at TEXT NOT NULL DEFAULT '',"
  "  updated_by TEXT NOT NULL DEFAULT '',"
  "  data TEXT NOT NULL) WITHOUT ROWID;";

static gboolean
migrate_to_1 (CnStore  *self,
              GError  **error)
{
  return exec_sql (self, migration_1_sql, error);
}

static const char migration_2_sql[] =
  "ALTER TABLE records ADD COLUMN title_key TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE records ADD COLUMN k1 TEXT;"
  "ALTER TABLE records ADD COLUMN k2 TEXT;"
  "ALTER TABLE records ADD COLUMN k3 TEXT;"
  "ALTER TABLE records ADD COLUMN is_read INTEGER NOT NULL DEFAULT 0;"
  "CREATE INDEX records_by_title ON records (collection, deleted, title_key);"
  "CREATE INDEX records_by_k1 ON records (collection, deleted, k1, sort_date);"
  "CREATE INDEX records_by_k2 ON records (collection, deleted, k2, sort_date);"
  "CREATE INDEX records_by_k3 ON records (collection, deleted, k3, sort_date);"
  "CREATE INDEX records_local ON records (local) WHERE local = 1;"
  "CREATE INDEX records_sample ON records (sample) WHERE sample = 1;"
  "CREATE INDEX outbox_by_state ON outbox (state, seq);"
  "CREATE TABLE theirs ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  collection TEXT NOT NULL,"
  "  rev INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  updated_at TEXT NOT NULL DEFAULT '',"
  "  updated_by TEXT NOT NULL DEFAULT '',"
  "  data TEXT NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE conflicts ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  collection TEXT NOT NULL,"
  "  fields TEXT NOT NULL,"
  "  theirs TEXT NOT NULL,"
  "  created_at TEXT NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE search_pending (n INTEGER PRIMARY KEY);"
  "CREATE VIRTUAL TABLE search USING fts5 (title, body, kind,"
  "  tokenize = '" CN_FTS_TOKENIZER "', prefix = '2 3');";

/* Version 2: narrow list columns, theirs, conflicts and full-text search; the derived
 * columns and the index are computed from the data already there. */
static gboolean
migrate_to_2 (CnStore  *self,
              GError  **error)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  int rc;

  if (!exec_sql (self, migration_2_sql, error))
    return FALSE;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT r.id, r.collection, r.rev, r.deleted, r.updated_at, "
                          "       r.updated_by, r.local, r.sample, d.data "
                          "FROM records r JOIN record_data d ON d.n = r.n",
                          -1, &select, NULL) != SQLITE_OK)
    {
      cn_store_set_sql_error (self, error);
      return FALSE;
    }

  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      g_autoptr(JsonObject) data = cn_store_parse_object (column_text (select, 8));
      CnRow row = {
        .id = column_text (select, 0),
        .collection = column_text (select, 1),
        .rev = sqlite3_column_int64 (select, 2),
        .deleted = sqlite3_column_int (select, 3),
        .updated_at = column_text (select, 4),
        .updated_by = column_text (select, 5),
        .local = sqlite3_column_int (select, 6),
        .sample = sqlite3_column_int (select, 7),
        .data = data,
      };

      if (data == NULL)
        {
          g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                       _("The local database is damaged: record %s has no readable data"),
                       row.id);
          return FALSE;
        }
      if (write_row (self, &row, error) < 0)
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      cn_store_set_sql_error (self, error);
      return FALSE;
    }
  return TRUE;
}

typedef gboolean (*CnMigration) (CnStore *self, GError **error);

static const CnMigration migrations[] = {
  migrate_to_1,
  migrate_to_2,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == CN_STORE_SCHEMA_VERSION);

static int
read_user_version (CnStore *self)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static gboolean
check_version (CnStore  *self,
               int       version,
               GError  **error)
{
  if (version < 0)
    {
      cn_store_set_sql_error (self, error);
      return FALSE;
    }
  if (version > CN_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                   _("The local database %s was written by a newer version of Cầu Nối "
                     "(schema %d; this version knows %d). Update Cầu Nối to open it."),
                   self->path, version, CN_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  return TRUE;
}

static gboolean
migrate (CnStore  *self,
         GError  **error)
{
  int version = read_user_version (self);

  if (!check_version (self, version, error))
    return FALSE;

  while (version < CN_STORE_SCHEMA_VERSION)
    {
      g_autofree char *pragma = NULL;
      gboolean ok;

      if (!cn_store_begin (self, error))
        return FALSE;
      /* Read again under the write lock: another connection may have just migrated. */
      version = read_user_version (self);
      ok = check_version (self, version, error);
      if (ok && version < CN_STORE_SCHEMA_VERSION)
        {
          ok = migrations[version] (self, error);
          if (ok)
            {
              pragma = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
              ok = exec_sql (self, pragma, error);
            }
          if (ok)
            version++;
        }
      if (!finish_tx (self, ok, error))
        {
          g_prefix_error (error, _("Could not update the local database to schema %d: "),
                          version + 1);
          return FALSE;
        }
      g_debug ("%s is at schema %d", self->path, version);
    }
  return TRUE;
}

/* Opening */

char *
cn_store_dup_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "caunoi", "caunoi.db", NULL);
}

char *
cn_store_dup_files_dir (CnStore *self)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (CN_IS_STORE (self), NULL);

  dir = g_path_get_dirname (self->path);
  return g_build_filename (dir, "files", NULL);
}

static gboolean
create_private_file (const char  *path,
                     GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                   _("Could not create the folder %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  /* Created 0600 before SQLite sees it: the file holds unsent work and the user's data.
   * SQLite gives its -wal and -shm files the same permissions.
   * Only ever create it (O_EXCL): closing a descriptor of a database that this process
   * already has open drops every POSIX lock the process holds on it, SQLite's included,
   * and the next connection to close anywhere then deletes the -wal under the others
   * (losing what they wrote). */
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  fd = g_open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno == EEXIST)
    return TRUE;
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                   _("Could not open the local database %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static gboolean
ensure_client_id (CnStore  *self,
                  GError  **error)
{
  g_autoptr(CnStmtReset) stmt = NULL;
  g_autofree char *uuid = g_uuid_string_random ();

  /* Made once, whichever connection gets there first. */
  stmt = cn_store_cached_stmt (self, "INSERT OR IGNORE INTO meta (key, value) VALUES (?1, ?2)",
                               error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, CN_STORE_META_CLIENT_ID);
  bind_text (stmt, 2, uuid);
  return step_done (self, stmt, error);
}

/* Before SQLite's first use in the process: no global memory statistics. Keeping them
 * takes one process-wide mutex around every allocation of every connection, which the
 * window's connection then waits on while a sync writes. (Too late when something else
 * used SQLite first: then it is simply left on.) */
static void
configure_sqlite_once (void)
{
  static gsize done;

  if (g_once_init_enter (&done))
    {
      if (!sqlite3_threadsafe ())
        g_warning ("SQLite was built without thread safety");
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
      g_once_init_leave (&done, 1);
    }
}

CnStore *
cn_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(CnStore) self = NULL;
  g_autofree char *default_path = NULL;
  int rc;

  configure_sqlite_once ();
  if (path == NULL)
    path = default_path = cn_store_dup_default_path ();

  if (!create_private_file (path, error))
    return NULL;

  self = g_object_new (CN_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                   _("Could not open the local database %s: %s"), path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 0);
  sqlite3_busy_timeout (self->db, 10000);

  if (!cn_fts_register (self->db, error))
    return NULL;

  /* WAL: readers (the window) never wait for the writer (a sync); synchronous FULL: a
   * committed edit survives a power cut, not only a crash, since it may be the only copy. */
  if (!exec_sql (self, "PRAGMA journal_mode = WAL", error) ||
      !exec_sql (self, "PRAGMA synchronous = FULL", error) ||
      !exec_sql (self, "PRAGMA foreign_keys = OFF", error))
    {
      g_prefix_error (error, _("Could not open the local database %s: "), path);
      return NULL;
    }

  if (!migrate (self, error))
    return NULL;
  if (!ensure_client_id (self, error))
    return NULL;

  self->watch = g_new0 (CnStoreWatch, 1);
  g_atomic_ref_count_init (&self->watch->ref_count);
  g_weak_ref_init (&self->watch->store, self);
  self->watch->context = g_main_context_ref_thread_default ();
  self->watch->path = g_strdup (path);
  self->watch->pending = pending_table_new ();

  g_mutex_lock (&watch_lock);
  if (watches == NULL)
    watches = g_ptr_array_new ();
  g_ptr_array_add (watches, watch_ref (self->watch));
  g_mutex_unlock (&watch_lock);

  return g_steal_pointer (&self);
}

const char *
cn_store_get_path (CnStore *self)
{
  g_return_val_if_fail (CN_IS_STORE (self), NULL);
  return self->path;
}

int
cn_store_get_schema_version (CnStore *self)
{
  g_return_val_if_fail (CN_IS_STORE (self), -1);
  return read_user_version (self);
}

/* Reading */

static CnRecord *
record_from_columns (sqlite3_stmt *stmt,
                     int           first)
{
  g_autoptr(JsonObject) data = cn_store_parse_object (column_text (stmt, first + 6));
  const char *updated_by = column_text (stmt, first + 5);

  if (data == NULL)
    data = json_object_new ();
  return cn_record_new (column_text (stmt, first + 1),
                        column_text (stmt, first + 0),
                        sqlite3_column_int64 (stmt, first + 2),
                        sqlite3_column_int (stmt, first + 3) != 0,
                        column_text (stmt, first + 4),
                        (updated_by != NULL && *updated_by != '\0') ? updated_by : NULL,
                        data);
}

#define RECORD_COLUMNS "r.id, r.collection, r.rev, r.deleted, r.updated_at, r.updated_by, d.data"

CnRecord *
cn_store_get (CnStore     *self,
              const char  *id,
              GError     **error)
{
  g_autoptr(CnStmtReset) stmt = NULL;
  int rc;

  g_return_val_if_fail (CN_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  stmt = cn_store_cached_stmt (self,
    "SELECT " RECORD_COLUMNS " FROM records r JOIN record_data d ON d.n = r.n "
    "WHERE r.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return record_from_columns (stmt, 0);
  if (rc == SQLITE_DONE)
    g_set_error (error, CN_ERROR, CN_ERROR_NOT_FOUND, _("There is no record with the id %s"), id);
  else
    cn_store_set_sql_error (self, error);
  return NULL;
}

static gboolean
row_flag (CnStore    *self,
          const char *sql,
          const char *id)
{
  g_autoptr(CnStmtReset) stmt = cn_store_cached_stmt (self, sql, NULL);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  return sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
}

gboolean
cn_store_has_local_changes (CnStore    *self,
                            const char *id)
{
  g_return_val_if_fail (CN_IS_STORE (self), FALSE);
  return row_flag (self, "SELECT local FROM records WHERE id = ?1", id);
}

gboolean
cn_store_is_sample (CnStore    *self,
                    const char *id)
{
  g_return_val_if_fail (CN_IS_STORE (self), FALSE);
  return row_flag (self, "SELECT sample FROM records WHERE id = ?1", id);
}

gboolean
cn_store_get_read (CnStore    *self,
                   const char *id)
{
  g_return_val_if_fail (CN_IS_STORE (self), FALSE);
  return row_flag (self, "SELECT is_read FROM records WHERE id = ?1", id);
}

gboolean
cn_store_set_read (CnStore     *self,
                   const char  *id,
                   gboolean     read,
                   GError     **error)
{
  g_autoptr(CnStmtReset) stmt = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (CN_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!cn_store_begin (self, error))
    return FALSE;
  stmt = cn_store_cached_stmt (self,
    "UPDATE records SET is_read = ?2 WHERE id = ?1 RETURNING n, collection", error);
  if (stmt != NULL)
    {
      bind_text (stmt, 1, id);
      sqlite3_bind_int (stmt, 2, read ? 1 : 0);
      switch (sqlite3_step (stmt))
        {
        case SQLITE_ROW:
          note_change (self, column_text (stmt, 1), sqlite3_column_int64 (stmt, 0));
          ok = TRUE;
          break;
        case SQLITE_DONE:
          g_set_error (error, CN_ERROR, CN_ERROR_NOT_FOUND,
                       _("There is no record with the id %s"), id);
          break;
        default:
          cn_store_set_sql_error (self, error);
          break;
        }
      sqlite3_reset (stmt);
    }
  return finish_tx (self, ok, error);
}

/* Queries */

static gboolean
is_identifier (const char *name)
{
  if (name == NULL || !g_ascii_islower (*name))
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

/* The SQL expression for a field; columns come from fixed tables, never from the caller.
 * Anything else reads the JSON data with the path bound as a parameter. */
static const char *
field_column (const CnIndexMap *map,
              const char       *field,
              gboolean          for_sort)
{
  if (strcmp (field, "title") == 0)
    return for_sort ? "r.title_key" : "r.title";
  if (strcmp (field, "id") == 0)
    return "r.id";
  if (strcmp (field, "rev") == 0)
    return "r.rev";
  if (strcmp (field, "updated_at") == 0)
    return "r.updated_at";
  if (strcmp (field, "updated_by") == 0)
    return "r.updated_by";
  if (strcmp (field, "read") == 0)
    return "r.is_read";
  if (map == NULL)
    return NULL;
  if (map->sort_date && strcmp (field, map->sort_date) == 0)
    return "NULLIF (r.sort_date, '')";
  if (map->k1 && strcmp (field, map->k1) == 0)
    return "r.k1";
  if (map->k2 && strcmp (field, map->k2) == 0)
    return "r.k2";
  if (map->k3 && strcmp (field, map->k3) == 0)
    return "r.k3";
  return NULL;
}

typedef struct {
  GString   *sql;
  GPtrArray *params;  /* char*, bound in order as ?1, ?2, … */
  gboolean   needs_data;
} CnSqlBuilder;

static void
builder_param (CnSqlBuilder *b,
               const char   *value)
{
  g_ptr_array_add (b->params, g_strdup (value));
  g_string_append_printf (b->sql, "?%u", b->params->len);
}

/* Appends the expression of `field`; returns FALSE for a field the collection lacks. */
static gboolean
builder_field (CnSqlBuilder       *b,
               const CnCollection *collection,
               const CnIndexMap   *map,
               const char         *field,
               gboolean            for_sort,
               GError            **error)
{
  const char *column = field_column (map, field, for_sort);
  g_autofree char *path = NULL;

  if (column != NULL)
    {
      /* sort_date is stored as '' when absent; sorting keeps it, filters see NULL. */
      if (for_sort && g_str_has_prefix (column, "NULLIF"))
        column = "r.sort_date";
      g_string_append (b->sql, column);
      return TRUE;
    }
  if (!is_identifier (field) || cn_collection_lookup_field (collection, field) == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_UNKNOWN_FIELD,
                   _("The collection “%s” has no field “%s”"), collection->name, field);
      return FALSE;
    }
  path = g_strconcat ("$.", field, NULL);
  b->needs_data = TRUE;
  g_string_append (b->sql, "json_extract (d.data, ");
  builder_param (b, path);
  g_string_append (b->sql, ")");
  return TRUE;
}

static gboolean
builder_filter (CnSqlBuilder        *b,
                const CnCollection  *collection,
                const CnIndexMap    *map,
                const CnQueryFilter *filter,
                GError             **error)
{
  static const char * const ops[] = { "=", "<>", "<", "<=", ">", ">=" };

  g_string_append (b->sql, " AND ");

  if (filter->op == CN_QUERY_CONTAINS)
    {
      g_autofree char *path = NULL;

      if (!is_identifier (filter->field) ||
          cn_collection_lookup_field (collection, filter->field) == NULL)
        {
          g_set_error (error, CN_ERROR, CN_ERROR_UNKNOWN_FIELD,
                       _("The collection “%s” has no field “%s”"), collection->name,
                       filter->field);
          return FALSE;
        }
      path = g_strconcat ("$.", filter->field, NULL);
      b->needs_data = TRUE;
      g_string_append (b->sql, "EXISTS (SELECT 1 FROM json_each (d.data, ");
      builder_param (b, path);
      g_string_append (b->sql, ") WHERE value = ");
      builder_param (b, filter->value);
      g_string_append (b->sql, ")");
      return TRUE;
    }

  g_string_append (b->sql, "(");
  if (!builder_field (b, collection, map, filter->field, FALSE, error))
    return FALSE;

  switch (filter->op)
    {
    case CN_QUERY_IS_NULL:
      g_string_append (b->sql, " IS NULL");
      break;
    case CN_QUERY_PREFIX:
      {
        g_autofree char *upper = g_strconcat (filter->value, "\xf4\x8f\xbf\xbf", NULL);

        g_string_append (b->sql, " >= ");
        builder_param (b, filter->value);
        g_string_append (b->sql, " AND ");
        if (!builder_field (b, collection, map, filter->field, FALSE, error))
          return FALSE;
        g_string_append (b->sql, " < ");
        builder_param (b, upper);
      }
      break;
    case CN_QUERY_EQ:
    case CN_QUERY_NE:
    case CN_QUERY_LT:
    case CN_QUERY_LE:
    case CN_QUERY_GT:
    case CN_QUERY_GE:
      g_string_append_printf (b->sql, " %s ", ops[filter->op]);
      builder_param (b, filter->value);
      break;
    case CN_QUERY_CONTAINS:
    default:
      g_assert_not_reached ();
    }
  g_string_append (b->sql, ")");
  return TRUE;
}

/* SELECT <columns> FROM records r [JOIN record_data d] WHERE … ORDER BY … */
static gboolean
build_query_sql (const CnQuery  *query,
                 const char     *columns,
                 gboolean        with_data,
                 gboolean        ordered,
                 CnSqlBuilder   *b,
                 GError        **error)
{
  const CnCollection *collection = cn_schema_lookup (query->collection);
  const CnIndexMap *map = lookup_index_map (query->collection);
  const char *sort_field = query->sort_field;
  gboolean descending = query->descending;

  if (collection == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("There is no collection named “%s”"), query->collection);
      return FALSE;
    }

  /* WHERE and ORDER BY are built first into b->sql, then wrapped. */
  b->sql = g_string_new (NULL);
  b->params = g_ptr_array_new_with_free_func (g_free);
  b->needs_data = with_data;

  g_string_append (b->sql, " WHERE r.collection = ");
  builder_param (b, query->collection);
  if (!query->include_deleted)
    g_string_append (b->sql, " AND r.deleted = 0");
  for (guint i = 0; i < query->filters->len; i++)
    if (!builder_filter (b, collection, map, g_ptr_array_index (query->filters, i), error))
      return FALSE;
  if (query->search != NULL)
    {
      /* Lists need every match: keep to prefixes the index holds (see cn-fts.h). */
      g_autofree char *match = cn_store_build_match (query->search, CN_FTS_PREFIX_SHORT);

      if (match == NULL)
        g_string_append (b->sql, " AND 0");
      else
        {
          g_string_append (b->sql, " AND r.n IN (SELECT rowid FROM search WHERE search MATCH ");
          builder_param (b, match);
          g_string_append (b->sql, ")");
        }
    }

  if (ordered)
    {
      if (sort_field == NULL)
        {
          sort_field = (map != NULL && map->sort_date != NULL) ? map->sort_date : "title";
          descending = map != NULL && map->sort_date != NULL;
        }
      g_string_append (b->sql, " ORDER BY ");
      if (!builder_field (b, collection, map, sort_field, TRUE, error))
        return FALSE;
      g_string_append_printf (b->sql, " %s, r.n %s",
                              descending ? "DESC" : "ASC", descending ? "DESC" : "ASC");
    }

  g_string_prepend (b->sql, b->needs_data
                    ? " FROM records r JOIN record_data d ON d.n = r.n"
                    : " FROM records r");
  g_string_prepend (b->sql, columns);
  g_string_prepend (b->sql, "SELECT ");
  return TRUE;
}

static void
builder_clear (CnSqlBuilder *b)
{
  if (b->sql != NULL)
    g_string_free (b->sql, TRUE);
  g_clear_pointer (&b->params, g_ptr_array_unref);
}

static sqlite3_stmt *
builder_prepare (CnStore       *self,
                 CnSqlBuilder  *b,
                 GError       **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, b->sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      cn_store_set_sql_error (self, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  for (guint i = 0; i < b->params->len; i++)
    bind_text (stmt, (int) i + 1, g_ptr_array_index (b->params, i));
  return stmt;
}

GPtrArray *
cn_store_query (CnStore        *self,
                const CnQuery  *query,
                guint           offset,
                guint           limit,
                GError        **error)
{
  CnSqlBuilder b = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) records = NULL;
  int rc;

  g_return_val_if_fail (CN_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (!build_query_sql (query, RECORD_COLUMNS, TRUE, TRUE, &b, error))
    {
      builder_clear (&b);
      return NULL;
    }
  g_string_append_printf (b.sql, " LIMIT %u OFFSET %u", limit == 0 ? G_MAXINT : limit, offset);
  stmt = builder_prepare (self, &b, error);
  builder_clear (&b);
  if (stmt == NULL)
    return NULL;

  records = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (records, record_from_columns (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      cn_store_set_sql_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&records);
}

gboolean
cn_store_count (CnStore        *self,
                const CnQuery  *query,
                guint          *n_out,
                GError        **error)
{
  CnSqlBuilder b = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CN_IS_STORE (self), FALSE);
  g_return_val_if_fail (query != NULL, FALSE);

  if (!build_query_sql (query, "count (*)", FALSE, FALSE, &b, error))
    {
      builder_clear (&b);
      return FALSE;
    }
  stmt = builder_prepare (self, &b, error);
  builder_clear (&b);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      cn_store_set_sql_error (self, error);
      return FALSE;
    }
  if (n_out != NULL)
    *n_out = (guint) sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

GArray *
cn_store_query_rowids (CnStore        *self,
                       const CnQuery  *query,
                       GError        **error)
{
  CnSqlBuilder b = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) rowids = NULL;
  int rc;

  if (!build_query_sql (query, "r.n", FALSE, TRUE, &b, error))
    {
      builder_clear (&b);
      return NULL;
    }
  stmt = builder_prepare (self, &b, error);
  builder_clear (&b);
  if (stmt == NULL)
    return NULL;

  rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 n = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (rowids, n);
    }
  if (rc != SQLITE_DONE)
    {
      cn_store_set_sql_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&rowids);
}

/* Records for row numbers, in the order given; a row gone meanwhile is left out. */
GPtrArray *
cn_store_get_by_rowids (CnStore       *self,
                        const gint64  *rowids,
                        guint          n_rowids,
                        GError       **error)
{
  g_autoptr(CnStmtReset) stmt = NULL;
  g_autoptr(GHashTable) by_rowid = NULL;
  g_autoptr(GString) list = g_string_new ("[");
  GPtrArray *records;
  int rc;

  for (guint i = 0; i < n_rowids; i++)
    g_string_append_printf (list, "%s%" G_GINT64_FORMAT, i ? "," : "", rowids[i]);
  g_string_append_c (list, ']');

  stmt = cn_store_cached_stmt (self,
    "SELECT r.n, " RECORD_COLUMNS " FROM records r JOIN record_data d ON d.n = r.n "
    "WHERE r.n IN (SELECT value FROM json_each (?1))", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, list->str);

  by_rowid = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (by_rowid, g_memdup2 (&(gint64) { sqlite3_column_int64 (stmt, 0) },
                                              sizeof (gint64)),
                         record_from_columns (stmt, 1));
  if (rc != SQLITE_DONE)
    {
      cn_store_set_sql_error (self, error);
      return NULL;
    }

  records = g_ptr_array_new_full (n_rowids, g_object_unref);
  for (guint i = 0; i < n_rowids; i++)
    {
      CnRecord *record = g_hash_table_lookup (by_rowid, &rowids[i]);

      if (record != NULL)
        g_ptr_array_add (records, g_object_ref (record));
    }
  return records;
}

/* Meta */

char *
cn_store_dup_meta (CnStore    *self,
                   const char *key)
{
  g_autoptr(CnStmtReset) stmt = NULL;

  g_return_val_if_fail (CN_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = cn_store_cached_stmt (self, "SELECT value FROM meta WHERE key = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup (column_text (stmt, 0));
}

static gboolean
write_meta (CnStore     *self,
            const char  *key,
            const char  *value,
            GError     **error)
{
  g_autoptr(CnStmtReset) stmt = NULL;

  if (value == NULL)
    stmt = cn_store_cached_stmt (self, "DELETE FROM meta WHERE key = ?1", error);
  else
    stmt = cn_store_cached_stmt (self,
      "INSERT INTO meta (key, value) VALUES (?1, ?2) "
      "ON CONFLICT (key) DO UPDATE SET value = ?2", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  if (value != NULL)
    bind_text (stmt, 2, value);
  return step_done (self, stmt, error);
}

gboolean
cn_store_set_meta (CnStore     *self,
                   const char  *key,
                   const char  *value,
                   GError     **error)
{
  g_return_val_if_fail (CN_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (!cn_store_begin (self, error))
    return FALSE;
  return finish_tx (self, write_meta (self, key, value, error), error);
}

static gboolean
count_rows (CnStore     *self,
            const char  *sql,
            guint       *out,
            GError     **error)
{
  g_autoptr(CnStmtReset) stmt = cn_store_cached_stmt (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      cn_store_set_sql_error (self, error);
      return FALSE;
    }
  *out = (guint) sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

gboolean
cn_store_get_counts (CnStore        *self,
                     CnStoreCounts  *counts,
                     GError        **error)
{
  g_return_val_if_fail (CN_IS_STORE (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  return count_rows (self, "SELECT count (*) FROM outbox WHERE state = 'pending'",
                     &counts->pending, error) &&
         count_rows (self, "SELECT count (*) FROM outbox WHERE state = 'rejected'",
                     &counts->rejected, error) &&
         count_rows (self, "SELECT count (*) FROM conflicts", &counts->conflicts, error) &&
         count_rows (self, "SELECT count (*) FROM records WHERE deleted = 0",
                     &counts->records, error) &&
         count_rows (self, "SELECT count (*) FROM records WHERE sample = 1 AND deleted = 0",
                     &counts->sample, error);
}

gboolean
cn_store_count_unsent (CnStore  *self,
                       guint    *pending,
                       guint    *rejected,
                       guint    *conflicts,
                       GError  **error)
{
  g_autoptr(CnStmtReset) stmt = cn_store_cached_stmt (self,
    "SELECT (SELECT count (*) FROM outbox WHERE state = 'pending'), "
    "       (SELECT count (*) FROM outbox WHERE state = 'rejected'), "
    "       (SELECT count (*) FROM conflicts)", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      cn_store_set_sql_error (self, error);
      return FALSE;
    }
  *pending = (guint) sqlite3_column_int64 (stmt, 0);
  *rejected = (guint) sqlite3_column_int64 (stmt, 1);
  *conflicts = (guint) sqlite3_column_int64 (stmt, 2);
  return TRUE;
}

/* Local edits */

typedef struct {
  gboolean  exists;
  gint64    n;
  char     *collection;
  gint64    rev;
  gboolean  deleted;
  gboolean  local;
  gboolean  sample;
} CnRowState;

static void
row_state_clear (CnRowState *state)
{
  g_clear_pointer (&state->collection, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CnRowState, row_state_clear)

static gboolean
read_row_state (CnStore     *self,
                const char  *id,
                CnRowState  *state,
                GError     **error)
{
  g_autoptr(CnStmtReset) stmt = NULL;
  int rc;

  stmt = cn_store_cached_stmt (self,
    "SELECT n, collection, rev, deleted, local, sample FROM records WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      state->exists = FALSE;
      return TRUE;
    }
  if (rc != SQLITE_ROW)
    {
      cn_store_set_sql_error (self, error);
      return FALSE;
    }
  state->exists = TRUE;
  state->n = sqlite3_column_int64 (stmt, 0);
  state->collection = g_strdup (column_text (stmt, 1));
  state->rev = sqlite3_column_int64 (stmt, 2);
  state->deleted = sqlite3_column_int (stmt, 3) != 0;
  state->local = sqlite3_column_int (stmt, 4) != 0;
  state->sample = sqlite3_column_int (stmt, 5) != 0;
  return TRUE;
}

/* Copies the current row into `table` (base or theirs) unless `keep` and a row is there. */
static gboolean
copy_row_into (CnStore     *self,
               const char  *table_sql,
               const char  *id,
               GError     **error)
{
  g_autoptr(CnStmtReset) stmt = cn_store_cached_stmt (self, table_sql, error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  return step_done (self, stmt, error);
}

static gboolean
write_side_record (CnStore     *self,
                   const char  *sql,
                   CnRecord    *record,
                   JsonObject  *data_override,
                   gboolean     use_override,
                   GError     **error)
{
  g_autoptr(CnStmtReset) stmt = cn_store_cached_stmt (self, sql, error);
  g_autofree char *json = NULL;
  JsonObject *data = use_override ? data_override : cn_record_get_data (record);
  g_autoptr(JsonObject) empty = NULL;

  if (stmt == NULL)
    return FALSE;
  if (data == NULL)
    data = empty = json_object_new ();
  json = object_to_string (data);
  bind_text (stmt, 1, cn_record_get_id (record));
  bind_text (stmt, 2, cn_record_get_collection (record));
  sqlite3_bind_int64 (stmt, 3, cn_record_get_rev (record));
  sqlite3_bind_int (stmt, 4, cn_record_get_deleted (record) ? 1 : 0);
  bind_text (stmt, 5, cn_record_get_updated_at (record) ? cn_record_get_updated_at (record) : "");
  bind_text (stmt, 6, cn_record_get_updated_by (record) ? cn_record_get_updated_by (record) : "");
  bind_text (stmt, 7, json);
  return step_done (self, stmt, error);
}

#define UPSERT_SIDE(table) \
  "INSERT INTO " table " (id, collection, rev, deleted, updated_at, updated_by, data) " \
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO UPDATE SET collection = ?2, " \
  "rev = ?3, deleted = ?4, updated_at = ?5, updated_by = ?6, data = ?7"

static gboolean
delete_by_id (CnStore     *self,
              const char  *sql,
              const char  *id,
              GError     **error)
{
  g_autoptr(CnStmtReset) stmt = cn_store_cached_stmt (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  return step_done (self, stmt, error);
}

static gboolean
append_outbox (CnStore     *self,
               const char  *collection,
               const char  *id,
               gint64       base_rev,
               gboolean     deleted,
               JsonObject  *data,
               const char  *created_at,
               GError     **error)
{
  g_autoptr(CnStmtReset) stmt = NULL;
  g_autofree char *mutation_id = cn_id_new ();
  g_autofree char *json = NULL;

  stmt = cn_store_cached_stmt (self,
    "INSERT INTO outbox (mutation_id, collection, id, base_rev, op, data, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  if (stmt == NULL)
    return FALSE;
  if (!deleted && data != NULL)
    json = object_to_string (data);
  bind_text (stmt, 1, mutation_id);
  bind_text (stmt, 2, collection);
  bind_text (stmt, 3, id);
  sqlite3_bind_int64 (stmt, 4, base_rev);
  bind_text (stmt, 5, deleted ? "delete" : "put");
  bind_text (stmt, 6, json);
  bind_text (stmt, 7, created_at);
  return step_done (self, stmt, error);
}

/* One local edit: the record, the base copy (first edit of a record the server has) and the
 * outbox entry, inside the caller's transaction. Sample records change in place only. */
static gboolean
local_write (CnStore           *self,
             const CnRowState  *state,
             const char        *collection,
             const char        *id,
             JsonObject        *data,
             gboolean           deleted,
             GError           **error)
{
  g_autofree char *now = cn_time_now_rfc3339 ();
  g_autofree char *user = cn_store_dup_meta (self, CN_STORE_META_USER);
  CnRow row = {
    .collection = collection,
    .id = id,
    .rev = state->exists ? state->rev : 0,
    .deleted = deleted,
    .updated_at = now,
    .updated_by = user,
    .data = data,
    .local = !state->sample,
    .sample = state->sample,
  };

  if (state->sample)
    return write_row (self, &row, error) >= 0;

  if (state->exists && !state->local && state->rev > 0 &&
      !copy_row_into (self,
                      "INSERT OR IGNORE INTO base (id, collection, rev, deleted, updated_at, "
                      "                            updated_by, data) "
                      "SELECT r.id, r.collection, r.rev, r.deleted, r.updated_at, "
                      "       r.updated_by, d.data "
                      "FROM records r JOIN record_data d ON d.n = r.n WHERE r.id = ?1",
                      id, error))
    return FALSE;

  return write_row (self, &row, error) >= 0 &&
         append_outbox (self, collection, id, row.rev, deleted, data, now, error);
}

CnRecord *
cn_store_put (CnStore     *self,
              const char  *collection,
              const char  *id,
              JsonObject  *data,
              GError     **error)
{
  g_auto(CnRowState) state = { 0 };
  g_autofree char *new_id = NULL;
  gboolean ok;

  g_return_val_if_fail (CN_IS_STORE (self), NULL);
  g_return_val_if_fail (collection != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  if (cn_schema_lookup (collection) == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("There is no collection named “%s”"), collection);
      return NULL;
    }
  if (id == NULL)
    id = new_id = cn_id_new ();
  else if (!cn_schema_is_valid_uuid (id))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("“%s” is not a valid record id (a UUID)"), id);
      return NULL;
    }
  if (!cn_schema_validate (collection, data, FALSE, error))
    return NULL;

  if (!cn_store_begin (self, error))
    return NULL;
  ok = read_row_state (self, id, &state, error);
  if (ok && state.exists && g_strcmp0 (state.collection, collection) != 0)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("The record %s is a %s, not a %s"), id, state.collection, collection);
      ok = FALSE;
    }
  ok = ok && local_write (self, &state, collection, id, data, FALSE, error);
  if (!finish_tx (self, ok, error))
    return NULL;
  return cn_store_get (self, id, error);
}

CnRecord *
cn_store_patch (CnStore     *self,
                const char  *id,
                JsonObject  *fields,
                GError     **error)
{
  g_autoptr(CnRecord) current = NULL;
  g_autoptr(JsonObject) merged = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  g_return_val_if_fail (CN_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (fields != NULL, NULL);

  current = cn_store_get (self, id, error);
  if (current == NULL)
    return NULL;
  if (cn_record_get_deleted (current))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_NOT_FOUND,
                   _("The record %s was deleted"), id);
      return NULL;
    }
  if (!cn_schema_validate (cn_record_get_collection (current), fields, TRUE, error))
    return NULL;

  merged = json_object_new ();
  json_object_iter_init (&iter, cn_record_get_data (current));
  while (json_object_iter_next (&iter, &name, &node))
    json_object_set_member (merged, name, json_node_copy (node));
  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (JSON_NODE_HOLDS_NULL (node))
        json_object_remove_member (merged, name);
      else
        json_object_set_member (merged, name, json_node_copy (node));
    }

  return cn_store_put (self, cn_record_get_collection (current), id, merged, error);
}

gboolean
cn_store_delete (CnStore     *self,
                 const char  *id,
                 GError     **error)
{
  g_auto(CnRowState) state = { 0 };
  g_autoptr(CnRecord) current = NULL;
  gboolean ok;

  g_return_val_if_fail (CN_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!cn_store_begin (self, error))
    return FALSE;
  current = cn_store_get (self, id, error);
  ok = current != NULL;
  if (ok && cn_record_get_deleted (current))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_NOT_FOUND, _("The record %s was deleted"), id);
      ok = FALSE;
    }
  ok = ok && read_row_state (self, id, &state, error);
  /* The tombstone keeps the data, so a delete against an edit can be shown and undone. */
  ok = ok && local_write (self, &state, cn_record_get_collection (current), id,
                          cn_record_get_data (current), TRUE, error);
  return finish_tx (self, ok, error);
}

static gboolean
drop_sync_state (CnStore     *self,
                 const char  *id,
                 GError     **error)
{
  return delete_by_id (self, "DELETE FROM outbox WHERE id = ?1", id, error) &&
         delete_by_id (self, "DELETE FROM base WHERE id = ?1", id, error) &&
         delete_by_id (self, "DELETE FROM theirs WHERE id = ?1", id, error) &&
         delete_by_id (self, "DELETE FROM conflicts WHERE id = ?1", id, error);
}

static CnRecord *
read_side_record (CnStore     *self,
                  const char  *sql,
                  const char  *id,
                  GError     **error)
{
  g_autoptr(CnStmtReset) stmt = cn_store_cached_stmt (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return record_from_columns (stmt, 0);
  if (rc == SQLITE_DONE)
    g_set_error (error, CN_ERROR, CN_ERROR_NOT_FOUND, _("There is no record with the id %s"), id);
  else
    cn_store_set_sql_error (self, error);
  return NULL;
}

#define SIDE_COLUMNS "id, collection, rev, deleted, updated_at, updated_by, data"

CnRecord *
cn_store_get_base (CnStore     *self,
                   const char  *id,
                   GError     **error)
{
  g_return_val_if_fail (CN_IS_STORE (self), NULL);
  return read_side_record (self, "SELECT " SIDE_COLUMNS " FROM base WHERE id = ?1", id, error);
}

CnRecord *
cn_store_get_theirs (CnStore     *self,
                     const char  *id,
                     GError     **error)
{
  g_return_val_if_fail (CN_IS_STORE (self), NULL);
  return read_side_record (self, "SELECT " SIDE_COLUMNS " FROM theirs WHERE id = ?1", id, error);
}

GPtrArray *
cn_store_list_theirs (CnStore  *self,
                      GError  **error)
{
  g_autoptr(CnStmtReset) stmt = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  g_return_val_if_fail (CN_IS_STORE (self), NULL);

  stmt = cn_store_cached_stmt (self, "SELECT " SIDE_COLUMNS " FROM theirs ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (records, record_from_columns (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      cn_store_set_sql_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&records);
}

gboolean
cn_store_discard_local_changes (CnStore     *self,
                                const char  *id,
                                GError     **error)
{
  g_autoptr(CnRecord) base = NULL;
  g_autoptr(CnRecord) theirs = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (CN_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!cn_store_begin (self, error))
    return FALSE;

  /* The newest server version known wins: theirs, else the base copy; a record that never
   * reached the server goes away. */
  theirs = cn_store_get_theirs (self, id, &local_error);
  if (theirs == NULL && g_error_matches (local_error, CN_ERROR, CN_ERROR_NOT_FOUND))
    {
      g_clear_error (&local_error);
      base = cn_store_get_base (self, id, &local_error);
    }
  if (local_error != NULL && !g_error_matches (local_error, CN_ERROR, CN_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      ok = FALSE;
    }

  if (ok && (theirs != NULL || base != NULL))
    {
      CnRow row = { 0 };

      row_from_record (&row, theirs != NULL ? theirs : base);
      ok = write_row (self, &row, error) >= 0;
    }
  else if (ok)
    {
      g_auto(CnRowState) state = { 0 };

      ok = read_row_state (self, id, &state, error);
      if (ok && state.exists && state.sample)
        ok = TRUE;  /* sample edits have no server copy to return to: keep them */
      else if (ok)
        ok = remove_row (self, id, error);
    }
  ok = ok && drop_sync_state (self, id, error);
  return finish_tx (self, ok, error);
}

/* Sample data */

gboolean
cn_store_load_sample (CnStore    *self,
                      GPtrArray  *records,
                      GError    **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (CN_IS_STORE (self), FALSE);
  g_return_val_if_fail (records != NULL, FALSE);

  if (!cn_store_begin (self, error))
    return FALSE;
  for (guint i = 0; ok && i < records->len; i++)
    {
      CnRecord *record = g_ptr_array_index (records, i);
      g_auto(CnRowState) state = { 0 };
      CnRow row = { 0 };

      ok = read_row_state (self, cn_record_get_id (record), &state, error);
      /* Never overwrite real data (from a server or typed here) with the sample. */
      if (!ok || (state.exists && !state.sample))
        continue;
      row_from_record (&row, record);
      row.sample = TRUE;
      ok = write_row (self, &row, error) >= 0;
    }
  return finish_tx (self, ok, error);
}

gboolean
cn_store_remove_sample (CnStore  *self,
                        GError  **error)
{
  gboolean ok;

  g_return_val_if_fail (CN_IS_STORE (self), FALSE);

  if (!cn_store_begin (self, error))
    return FALSE;
  ok = exec_sql (self,
                 "DELETE FROM search WHERE rowid IN (SELECT n FROM records WHERE sample = 1);"
                 "DELETE FROM search_pending WHERE n IN (SELECT n FROM records WHERE sample = 1);"
                 "DELETE FROM record_data WHERE n IN (SELECT n FROM records WHERE sample = 1);"
                 "DELETE FROM records WHERE sample = 1;", error);
  if (ok)
    note_all_changed (self);
  return finish_tx (self, ok, error);
}

/* Sync support */

CnPreparedPage *
cn_prepared_page_new (GPtrArray *records)
{
  CnPreparedPage *page;

  g_return_val_if_fail (records != NULL, NULL);

  page = g_new0 (CnPreparedPage, 1);
  page->records = g_ptr_array_ref (records);
  page->rows = g_new0 (CnPreparedRow, MAX (records->len, 1));
  for (guint i = 0; i < records->len; i++)
    {
      CnRecord *record = g_ptr_array_index (records, i);
      g_autoptr(JsonObject) empty = NULL;
      JsonObject *data = cn_record_get_data (record);

      if (data == NULL)
        data = empty = json_object_new ();
      prepare_row (&page->rows[i], cn_record_get_collection (record),
                   cn_record_get_deleted (record), data, TRUE);
    }
  return page;
}

void
cn_prepared_page_free (CnPreparedPage *page)
{
  if (page == NULL)
    return;
  for (guint i = 0; i < page->records->len; i++)
    prepared_row_clear (&page->rows[i]);
  g_free (page->rows);
  g_ptr_array_unref (page->records);
  g_free (page);
}

GPtrArray *
cn_prepared_page_get_records (CnPreparedPage *page)
{
  g_return_val_if_fail (page != NULL, NULL);
  return page->records;
}

gboolean
cn_store_apply_pull_page (CnStore      *self,
                          GPtrArray    *records,
                          const char   *next_cursor,
                          CnPullStats  *stats,
                          GError      **error)
{
  g_autoptr(CnPreparedPage) page = NULL;

  g_return_val_if_fail (CN_IS_STORE (self), FALSE);
  g_return_val_if_fail (records != NULL, FALSE);

  page = cn_prepared_page_new (records);
  return cn_store_apply_prepared_page (self, page, next_cursor, stats, error);
}

gboolean
cn_store_apply_prepared_page (CnStore         *self,
                              CnPreparedPage  *page,
                              const char      *next_cursor,
                              CnPullStats     *stats,
                              GError         **error)
{
  CnPullStats counts = { 0 };
  GPtrArray *records;
  GArray *queue;
  gboolean ok = TRUE;

  g_return_val_if_fail (CN_IS_STORE (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);
  g_return_val_if_fail (self->search_queue == NULL, FALSE);

  records = page->records;

  if (!cn_store_begin (self, error))
    return FALSE;

  queue = self->search_queue = g_array_new (FALSE, FALSE, sizeof (CnSearchRow));
  g_array_set_clear_func (queue, (GDestroyNotify) search_row_clear);

  for (guint i = 0; ok && i < records->len; i++)
    {
      CnRecord *record = g_ptr_array_index (records, i);
      g_auto(CnRowState) state = { 0 };
      gint64 rev = cn_record_get_rev (record);

      ok = read_row_state (self, cn_record_get_id (record), &state, error);
      if (!ok)
        break;

      if (state.exists && state.local)
        {
          /* Unsent edits here: keep them, and keep the server's version beside them. */
          if (rev > state.rev)
            {
              ok = write_side_record (self, UPSERT_SIDE ("theirs"), record, NULL, FALSE, error);
              counts.kept_local++;
              note_change (self, state.collection, state.n);
            }
          else
            counts.skipped++;
        }
      else if (state.exists && !state.sample && rev <= state.rev)
        counts.skipped++;
      else
        {
          CnRow row = { 0 };

          CnSearchRow *queued;
          gint64 n;

          row_from_record (&row, record);
          row.prepared = &page->rows[i];
          n = write_row (self, &row, error);
          ok = n >= 0;
          /* A record new here has a new row number, with no full-text row yet. */
          queued = queue->len > 0 ? &g_array_index (queue, CnSearchRow, queue->len - 1) : NULL;
          if (ok && !state.exists && queued != NULL && queued->n == n)
            queued->fresh = TRUE;
          counts.applied++;
        }
    }

  self->search_queue = NULL;
  for (guint i = 0; ok && i < queue->len; i++)
    {
      CnSearchRow *row = &g_array_index (queue, CnSearchRow, i);

      ok = write_search_row_full (self, row->n, row->collection, row->deleted, row->fresh,
                                  row->data, row->title, row->body, error);
    }
  g_array_unref (queue);

  if (ok && next_cursor != NULL)
    ok = write_meta (self, CN_STORE_META_CURSOR, next_cursor, error);

  if (!finish_tx (self, ok, error))
    return FALSE;
  if (stats != NULL)
    *stats = counts;
  return TRUE;
}

static CnOutboxEntry *
outbox_entry_from_columns (sqlite3_stmt *stmt)
{
  CnOutboxEntry *entry = g_new0 (CnOutboxEntry, 1);
  const char *data = column_text (stmt, 6);

  entry->seq = sqlite3_column_int64 (stmt, 0);
  entry->mutation_id = g_strdup (column_text (stmt, 1));
  entry->collection = g_strdup (column_text (stmt, 2));
  entry->id = g_strdup (column_text (stmt, 3));
  entry->base_rev = sqlite3_column_int64 (stmt, 4);
  entry->op = g_strdup (column_text (stmt, 5));
  entry->data = data != NULL ? cn_store_parse_object (data) : NULL;
  entry->created_at = g_strdup (column_text (stmt, 7));
  entry->state = g_strcmp0 (column_text (stmt, 8), "rejected") == 0
                 ? CN_OUTBOX_REJECTED : CN_OUTBOX_PENDING;
  entry->reason = g_strdup (column_text (stmt, 9));
  return entry;
}

#define OUTBOX_COLUMNS \
  "seq, mutation_id, collection, id, base_rev, op, data, created_at, state, reason"

GPtrArray *
cn_store_list_outbox (CnStore   *self,
                      gboolean   include_rejected,
                      guint      limit,
                      GError   **error)
{
  g_autoptr(CnStmtReset) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  int rc;

  g_return_val_if_fail (CN_IS_STORE (self), NULL);

  /* Edits of a record in conflict wait until the user settles it. */
  stmt = cn_store_cached_stmt (self,
    "SELECT " OUTBOX_COLUMNS " FROM outbox "
    "WHERE (state = 'pending' OR ?1) AND id NOT IN (SELECT id FROM conflicts) "
    "ORDER BY seq LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, include_rejected ? 1 : 0);
  sqlite3_bind_int64 (stmt, 2, limit == 0 ? G_MAXINT64 : (gint64) limit);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cn_outbox_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, outbox_entry_from_columns (stmt));
  if (rc != SQLITE_DONE)
    {
      cn_store_set_sql_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

static CnOutboxEntry *
find_outbox_entry (CnStore     *self,
                   const char  *mutation_id,
                   GError     **error)
{
  g_autoptr(CnStmtReset) stmt = NULL;
  int rc;

  stmt = cn_store_cached_stmt (self,
    "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE mutation_id = ?1", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, mutation_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return outbox_entry_from_columns (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, CN_ERROR, CN_ERROR_NOT_FOUND,
                 _("There is no unsent edit %s"), mutation_id);
  else
    cn_store_set_sql_error (self, error);
  return NULL;
}

static gboolean
count_for_id (CnStore     *self,
              const char  *sql,
              const char  *id,
              guint       *out,
              GError     **error)
{
  g_autoptr(CnStmtReset) stmt = cn_store_cached_stmt (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      cn_store_set_sql_error (self, error);
      return FALSE;
    }
  *out = (guint) sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

gboolean
cn_store_mark_applied (CnStore     *self,
                       const char  *mutation_id,
                       gint64       new_rev,
                       const char  *updated_at,
                       const char  *updated_by,
                       GError     **error)
{
  g_autoptr(CnOutboxEntry) entry = NULL;
  g_auto(CnRowState) state = { 0 };
  guint remaining = 0;
  guint conflicts = 0;
  gboolean ok;

  g_return_val_if_fail (CN_IS_STORE (self), FALSE);
  g_return_val_if_fail (mutation_id != NULL, FALSE);

  if (!cn_store_begin (self, error))
    return FALSE;

  entry = find_outbox_entry (self, mutation_id, error);
  ok = entry != NULL &&
       delete_by_id (self, "DELETE FROM outbox WHERE mutation_id = ?1", mutation_id, error) &&
       count_for_id (self, "SELECT count (*) FROM outbox WHERE id = ?1", entry->id,
                     &remaining, error) &&
       count_for_id (self, "SELECT count (*) FROM conflicts WHERE id = ?1", entry->id,
                     &conflicts, error) &&
       read_row_state (self, entry->id, &state, error);

  if (ok && state.exists && remaining == 0 && conflicts == 0)
    {
      /* The record now is what the server has. */
      g_autoptr(CnStmtReset) stmt = cn_store_cached_stmt (self,
        "UPDATE records SET rev = ?2, local = 0, updated_at = coalesce (?3, updated_at), "
        "  updated_by = coalesce (?4, updated_by) WHERE id = ?1", error);

      ok = stmt != NULL;
      if (ok)
        {
          bind_text (stmt, 1, entry->id);
          sqlite3_bind_int64 (stmt, 2, new_rev);
          bind_text (stmt, 3, updated_at);
          bind_text (stmt, 4, updated_by);
          ok = step_done (self, stmt, error);
        }
      ok = ok && delete_by_id (self, "DELETE FROM base WHERE id = ?1", entry->id, error);
      if (ok)
        {
          g_autoptr(CnStmtReset) drop = cn_store_cached_stmt (self,
            "DELETE FROM theirs WHERE id = ?1 AND rev <= ?2", error);

          ok = drop != NULL;
          if (ok)
            {
              bind_text (drop, 1, entry->id);
              sqlite3_bind_int64 (drop, 2, new_rev);
              ok = step_done (self, drop, error);
            }
        }
    }
  else if (ok && state.exists)
    {
      /* Later edits of the record build on this one: it is their base now. */
      g_autoptr(CnStmtReset) stmt = cn_store_cached_stmt (self,
        "UPDATE records SET rev = ?2 WHERE id = ?1", error);
      g_autoptr(CnRecord) base = NULL;
      g_autoptr(JsonObject) empty = json_object_new ();

      ok = stmt != NULL;
      if (ok)
        {
          bind_text (stmt, 1, entry->id);
          sqlite3_bind_int64 (stmt, 2, new_rev);
          ok = step_done (self, stmt, error);
        }
      if (ok)
        {
          g_autoptr(CnStmtReset) rebase = cn_store_cached_stmt (self,
            "UPDATE outbox SET base_rev = ?2 WHERE id = ?1", error);

          ok = rebase != NULL;
          if (ok)
            {
              bind_text (rebase, 1, entry->id);
              sqlite3_bind_int64 (rebase, 2, new_rev);
              ok = step_done (self, rebase, error);
            }
        }
      if (ok)
        {
          base = cn_record_new (entry->collection, entry->id, new_rev,
                                g_strcmp0 (entry->op, "delete") == 0,
                                updated_at ? updated_at : entry->created_at,
                                updated_by,
                                entry->data != NULL ? entry->data : empty);
          ok = write_side_record (self, UPSERT_SIDE ("base"), base, NULL, FALSE, error);
        }
    }

  if (ok && state.exists)
    note_change (self, state.collection, state.n);
  return finish_tx (self, ok, error);
}

static gboolean
set_outbox_state (CnStore     *self,
                  const char  *mutation_id,
                  const char  *state_name,
                  const char  *reason,
                  GError     **error)
{
  g_autoptr(CnStmtReset) stmt = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (CN_IS_STORE (self), FALSE);
  g_return_val_if_fail (mutation_id != NULL, FALSE);

  if (!cn_store_begin (self, error))
    return FALSE;
  stmt = cn_store_cached_stmt (self,
    "UPDATE outbox SET state = ?2, reason = ?3 WHERE mutation_id = ?1 "
    "RETURNING collection, (SELECT n FROM records WHERE records.id = outbox.id)", error);
  if (stmt != NULL)
    {
      bind_text (stmt, 1, mutation_id);
      bind_text (stmt, 2, state_name);
      bind_text (stmt, 3, reason);
      switch (sqlite3_step (stmt))
        {
        case SQLITE_ROW:
          note_change (self, column_text (stmt, 0),
                       sqlite3_column_type (stmt, 1) == SQLITE_NULL
                       ? -1 : sqlite3_column_int64 (stmt, 1));
          ok = TRUE;
          break;
        case SQLITE_DONE:
          g_set_error (error, CN_ERROR, CN_ERROR_NOT_FOUND,
                       _("There is no unsent edit %s"), mutation_id);
          break;
        default:
          cn_store_set_sql_error (self, error);
          break;
        }
      sqlite3_reset (stmt);
    }
  return finish_tx (self, ok, error);
}

gboolean
cn_store_mark_rejected (CnStore     *self,
                        const char  *mutation_id,
                        const char  *reason,
                        GError     **error)
{
  return set_outbox_state (self, mutation_id, "rejected",
                           reason != NULL ? reason : "", error);
}

gboolean
cn_store_retry_rejected (CnStore     *self,
                         const char  *mutation_id,
                         GError     **error)
{
  return set_outbox_state (self, mutation_id, "pending", NULL, error);
}

gboolean
cn_store_accept_theirs (CnStore     *self,
                        CnRecord    *theirs,
                        GError     **error)
{
  CnRow row = { 0 };
  gboolean ok;

  g_return_val_if_fail (CN_IS_STORE (self), FALSE);
  g_return_val_if_fail (CN_IS_RECORD (theirs), FALSE);

  if (!cn_store_begin (self, error))
    return FALSE;
  row_from_record (&row, theirs);
  ok = write_row (self, &row, error) >= 0 &&
       drop_sync_state (self, cn_record_get_id (theirs), error);
  return finish_tx (self, ok, error);
}

gboolean
cn_store_rebase_local (CnStore     *self,
                       CnRecord    *theirs,
                       JsonObject  *data,
                       gboolean     deleted,
                       GError     **error)
{
  g_autofree char *now = NULL;
  g_autofree char *user = NULL;
  g_autoptr(CnRecord) mine = NULL;
  const char *id;
  CnRow row = { 0 };
  gboolean ok;

  g_return_val_if_fail (CN_IS_STORE (self), FALSE);
  g_return_val_if_fail (CN_IS_RECORD (theirs), FALSE);

  id = cn_record_get_id (theirs);
  if (!deleted && data == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID, _("The merged record %s has no data"), id);
      return FALSE;
    }
  if (!deleted && !cn_schema_validate (cn_record_get_collection (theirs), data, FALSE, error))
    return FALSE;

  if (!cn_store_begin (self, error))
    return FALSE;

  /* A deletion keeps the local data in the tombstone, as cn_store_delete() does. */
  if (deleted && data == NULL)
    {
      mine = cn_store_get (self, id, NULL);
      data = mine != NULL ? cn_record_get_data (mine) : cn_record_get_data (theirs);
    }

  now = cn_time_now_rfc3339 ();
  user = cn_store_dup_meta (self, CN_STORE_META_USER);
  row.collection = cn_record_get_collection (theirs);
  row.id = id;
  row.rev = cn_record_get_rev (theirs);
  row.deleted = deleted;
  row.updated_at = now;
  row.updated_by = user;
  row.data = data;
  row.local = TRUE;

  ok = drop_sync_state (self, id, error) &&
       write_side_record (self, UPSERT_SIDE ("base"), theirs, NULL, FALSE, error) &&
       write_row (self, &row, error) >= 0 &&
       append_outbox (self, row.collection, id, row.rev, deleted, data, now, error);
  return finish_tx (self, ok, error);
}

gboolean
cn_store_add_conflict (CnStore             *self,
                       CnRecord            *theirs,
                       const char * const  *fields,
                       GError             **error)
{
  g_autoptr(CnStmtReset) stmt = NULL;
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) array_node = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *fields_json = NULL;
  g_autofree char *theirs_json = NULL;
  g_autofree char *now = cn_time_now_rfc3339 ();
  g_auto(CnRowState) state = { 0 };
  gboolean ok;

  g_return_val_if_fail (CN_IS_STORE (self), FALSE);
  g_return_val_if_fail (CN_IS_RECORD (theirs), FALSE);

  for (guint i = 0; fields != NULL && fields[i] != NULL; i++)
    json_array_add_string_element (array, fields[i]);
  json_node_set_array (array_node, array);
  fields_json = json_to_string (array_node, FALSE);
  theirs_json = cn_record_to_string (theirs);

  if (!cn_store_begin (self, error))
    return FALSE;
  ok = read_row_state (self, cn_record_get_id (theirs), &state, error);
  if (ok && !state.exists)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_NOT_FOUND, _("There is no record with the id %s"),
                   cn_record_get_id (theirs));
      ok = FALSE;
    }
  if (ok)
    {
      stmt = cn_store_cached_stmt (self,
        "INSERT INTO conflicts (id, collection, fields, theirs, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO UPDATE SET collection = ?2, "
        "fields = ?3, theirs = ?4, created_at = ?5", error);
      ok = stmt != NULL;
    }
  if (ok)
    {
      bind_text (stmt, 1, cn_record_get_id (theirs));
      bind_text (stmt, 2, cn_record_get_collection (theirs));
      bind_text (stmt, 3, fields_json);
      bind_text (stmt, 4, theirs_json);
      bind_text (stmt, 5, now);
      ok = step_done (self, stmt, error);
    }
  /* The conflict holds the server version now; a record in conflict stays local. */
  ok = ok && delete_by_id (self, "DELETE FROM theirs WHERE id = ?1", cn_record_get_id (theirs),
                           error);
  if (ok)
    {
      g_autoptr(CnStmtReset) mark = cn_store_cached_stmt (self,
        "UPDATE records SET local = 1 WHERE id = ?1", error);

      ok = mark != NULL;
      if (ok)
        {
          bind_text (mark, 1, cn_record_get_id (theirs));
          ok = step_done (self, mark, error);
        }
      note_change (self, state.collection, state.n);
    }
  return finish_tx (self, ok, error);
}

static CnConflict *
conflict_from_columns (CnStore       *self,
                       sqlite3_stmt  *stmt,
                       GError       **error)
{
  g_autoptr(CnConflict) conflict = g_new0 (CnConflict, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(CnRecord) mine = NULL;
  g_autoptr(CnRecord) base = NULL;
  g_autoptr(GStrvBuilder) fields = g_strv_builder_new ();
  JsonNode *root;

  conflict->id = g_strdup (column_text (stmt, 0));
  conflict->collection = g_strdup (column_text (stmt, 1));
  conflict->created_at = g_strdup (column_text (stmt, 4));
  if (json_parser_load_from_data (parser, column_text (stmt, 2), -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *field = json_array_get_string_element (array, i);

          if (field != NULL)
            g_strv_builder_add (fields, field);
        }
    }
  conflict->fields = g_strv_builder_end (fields);
  conflict->theirs = cn_record_from_string (column_text (stmt, 3), -1, error);
  if (conflict->theirs == NULL)
    {
      g_prefix_error (error, _("The conflict on record %s cannot be read: "), conflict->id);
      return NULL;
    }

  mine = cn_store_get (self, conflict->id, NULL);
  if (mine != NULL && !cn_record_get_deleted (mine))
    conflict->mine = json_object_ref (cn_record_get_data (mine));
  base = cn_store_get_base (self, conflict->id, NULL);
  if (base != NULL)
    conflict->base = json_object_ref (cn_record_get_data (base));
  return g_steal_pointer (&conflict);
}

GPtrArray *
cn_store_list_conflicts (CnStore  *self,
                         GError  **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) conflicts = NULL;

  g_return_val_if_fail (CN_IS_STORE (self), NULL);

  /* Ids first, so that no statement is active while each conflict reads the store. */
  {
    g_autoptr(CnStmtReset) stmt = cn_store_cached_stmt (self,
      "SELECT id FROM conflicts ORDER BY created_at, id", error);
    int rc;

    if (stmt == NULL)
      return NULL;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_ptr_array_add (rows, g_strdup (column_text (stmt, 0)));
    if (rc != SQLITE_DONE)
      {
        cn_store_set_sql_error (self, error);
        return NULL;
      }
  }

  conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) cn_conflict_free);
  for (guint i = 0; i < rows->len; i++)
    {
      CnConflict *conflict = cn_store_get_conflict (self, g_ptr_array_index (rows, i), error);

      if (conflict == NULL)
        return NULL;
      g_ptr_array_add (conflicts, conflict);
    }
  return g_steal_pointer (&conflicts);
}

CnConflict *
cn_store_get_conflict (CnStore     *self,
                       const char  *id,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CN_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  /* Not cached: conflict_from_columns() runs other cached statements meanwhile. */
  if (sqlite3_prepare_v2 (self->db,
                          "SELECT id, collection, fields, theirs, created_at FROM conflicts "
                          "WHERE id = ?1", -1, &stmt, NULL) != SQLITE_OK)
    {
      cn_store_set_sql_error (self, error);
      return NULL;
    }
  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return conflict_from_columns (self, stmt, error);
  if (rc == SQLITE_DONE)
    g_set_error (error, CN_ERROR, CN_ERROR_NOT_FOUND, _("The record %s has no conflict"), id);
  else
    cn_store_set_sql_error (self, error);
  return NULL;
}

gboolean
cn_store_resolve_conflict (CnStore           *self,
                           const char        *id,
                           CnConflictChoice   choice,
                           JsonObject        *merged,
                           GError           **error)
{
  g_autoptr(CnConflict) conflict = NULL;
  gboolean ok;

  g_return_val_if_fail (CN_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (choice != CN_TAKE_MERGED || merged != NULL, FALSE);

  if (!cn_store_begin (self, error))
    return FALSE;
  conflict = cn_store_get_conflict (self, id, error);
  ok = conflict != NULL;
  if (ok)
    switch (choice)
      {
      case CN_TAKE_THEIRS:
        ok = cn_store_accept_theirs (self, conflict->theirs, error);
        break;
      case CN_TAKE_MINE:
        ok = cn_store_rebase_local (self, conflict->theirs, conflict->mine,
                                    conflict->mine == NULL, error);
        break;
      case CN_TAKE_MERGED:
        ok = cn_store_rebase_local (self, conflict->theirs, merged, FALSE, error);
        break;
      default:
        g_assert_not_reached ();
      }
  return finish_tx (self, ok, error);
}

gboolean
cn_store_reset_for_resync (CnStore  *self,
                           GError  **error)
{
  gboolean ok;

  g_return_val_if_fail (CN_IS_STORE (self), FALSE);

  /* Everything the server will send again goes; unsent edits, their base copies and
   * conflicts stay, and so does sample data (it never came from the server). */
  if (!cn_store_begin (self, error))
    return FALSE;
  ok = exec_sql (self,
                 "DELETE FROM search WHERE rowid IN "
                 "  (SELECT n FROM records WHERE local = 0 AND sample = 0);"
                 "DELETE FROM search_pending WHERE n IN "
                 "  (SELECT n FROM records WHERE local = 0 AND sample = 0);"
                 "DELETE FROM record_data WHERE n IN "
                 "  (SELECT n FROM records WHERE local = 0 AND sample = 0);"
                 "DELETE FROM records WHERE local = 0 AND sample = 0;"
                 "DELETE FROM theirs;", error) &&
       write_meta (self, CN_STORE_META_CURSOR, NULL, error);
  if (ok)
    note_all_changed (self);
  return finish_tx (self, ok, error);
}

/* The full-text setting for a big pull: terms held in memory up to 64 MB before they are
 * written as a segment (FTS5's default is 1 MB), so that a page of 1000 articles becomes
 * one segment instead of a dozen, merged up the levels as usual. Back to the default
 * after: a small write then makes a small segment. (Merging by eight instead of four during
 * the pull saved more while it ran, but left levels that the first small writes after it
 * merged all at once, a stall of over a second in a later sync.) Stored in the table's
 * configuration: a sync killed meanwhile leaves it until the next big pull ends. */
#define FTS_BULK_SQL \
  "INSERT INTO search (search, rank) VALUES ('hashsize', 67108864);"
#define FTS_DEFAULT_SQL \
  "INSERT INTO search (search, rank) VALUES ('hashsize', 1048576);"

gboolean
cn_store_set_bulk_writes (CnStore   *self,
                          gboolean   bulk,
                          GError   **error)
{
  g_return_val_if_fail (CN_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth == 0, FALSE);

  /* A bigger page cache: the b-trees and full-text segments a pull writes are not read
   * back from the file again and again (the default is about 2 MB). synchronous = NORMAL:
   * in WAL mode a commit is still atomic and survives a crash of the program; a power cut
   * may take back the last pages written, and the cursor written with them, so they are
   * pulled again. Fewer checkpoints: pages written again and again (b-tree interiors, the
   * full-text structure) reach the database file once per 64 MB of log, not per 4 MB. */
  gboolean ok;

  if (!exec_sql (self,
                 bulk ? "PRAGMA cache_size = -65536;"
                        "PRAGMA synchronous = NORMAL;"
                        "PRAGMA wal_autocheckpoint = 16384;"
                      : "PRAGMA cache_size = -2000;"
                        "PRAGMA synchronous = FULL;"
                        "PRAGMA wal_autocheckpoint = 1000;", error))
    return FALSE;
  /* The full-text settings in one transaction. */
  if (!cn_store_begin (self, error))
    return FALSE;
  ok = exec_sql (self, bulk ? FTS_BULK_SQL : FTS_DEFAULT_SQL, error);
  return finish_tx (self, ok, error);
}

/* Deferred indexing */

void
cn_store_set_defer_indexing (CnStore  *self,
                             gboolean  defer)
{
  g_return_if_fail (CN_IS_STORE (self));
  self->defer_indexing = !!defer;
}

gboolean
cn_store_index_pending (CnStore  *self,
                        guint     max_rows,
                        guint    *n_left,
                        GError  **error)
{
  gint64 lowest = G_MAXINT64;
  gboolean ok = TRUE;

  g_return_val_if_fail (CN_IS_STORE (self), FALSE);

  if (!cn_store_begin (self, error))
    return FALSE;

  {
    g_autoptr(sqlite3_stmt) select = NULL;
    int rc;

    /* Not cached: write_search_row() runs cached statements while this one steps. The
     * newest rows are picked, then indexed in rising order: FTS5 flushes its in-memory
     * terms to a new segment whenever a row number is lower than the one before it. */
    if (sqlite3_prepare_v2 (self->db,
                            "SELECT p.n, r.collection, r.title, r.deleted, d.data "
                            "FROM (SELECT n FROM search_pending ORDER BY n DESC LIMIT ?1) p "
                            "LEFT JOIN records r ON r.n = p.n "
                            "LEFT JOIN record_data d ON d.n = p.n "
                            "ORDER BY p.n", -1, &select, NULL) != SQLITE_OK)
      {
        cn_store_set_sql_error (self, error);
        ok = FALSE;
      }
    else
      sqlite3_bind_int64 (select, 1, max_rows == 0 ? G_MAXINT64 : (gint64) max_rows);

    while (ok && (rc = sqlite3_step (select)) == SQLITE_ROW)
      {
        gint64 n = sqlite3_column_int64 (select, 0);
        const char *collection = column_text (select, 1);
        g_autoptr(JsonObject) data = cn_store_parse_object (column_text (select, 4));
        gboolean indexable = collection != NULL && data != NULL &&
                             sqlite3_column_int (select, 3) == 0;

        lowest = MIN (lowest, n);
        if (indexable)
          {
            gboolean defer = self->defer_indexing;

            /* Rewritten since it was queued, it may have its row already: replaced. */
            self->defer_indexing = FALSE;
            ok = write_search_row (self, n, collection, FALSE, data, column_text (select, 2),
                                   error);
            self->defer_indexing = defer;
          }
      }
    if (ok && rc != SQLITE_DONE)
      {
        cn_store_set_sql_error (self, error);
        ok = FALSE;
      }
  }

  /* The rows done are the newest queued: every queued row from the lowest of them on. */
  if (ok && lowest != G_MAXINT64)
    {
      g_autoptr(CnStmtReset) del = cn_store_cached_stmt (self,
        "DELETE FROM search_pending WHERE n >= ?1", error);

      ok = del != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (del, 1, lowest);
          ok = step_done (self, del, error);
        }
    }
  if (ok && n_left != NULL)
    ok = count_rows (self, "SELECT count (*) FROM search_pending", n_left, error);

  return finish_tx (self, ok, error);
}

/* GObject */

static void
cn_store_finalize (GObject *object)
{
  CnStore *self = (CnStore *) object;

  if (self->watch != NULL)
    {
      g_mutex_lock (&watch_lock);
      g_ptr_array_remove (watches, self->watch);
      g_mutex_unlock (&watch_lock);
      watch_unref (self->watch);
      watch_unref (self->watch);  /* the registry's reference */
    }
  if (self->tx_depth > 0 && self->db != NULL)
    {
      g_warning ("A store transaction on %s was never finished; rolling it back", self->path);
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
    }
  g_clear_pointer (&self->stmts, g_hash_table_unref);
  g_clear_pointer (&self->tx_changes, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);

  G_OBJECT_CLASS (cn_store_parent_class)->finalize (object);
}

static void
cn_store_class_init (CnStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cn_store_finalize;

  /**
   * CnStore::changed:
   * @collection: the collection that changed
   * @rowids: (nullable) (element-type gint64): the store row numbers that changed, or
   *   %NULL when too many did to list them
   *
   * Emitted, detailed by collection, after a transaction committed by any CnStore open on
   * the same file, in the main context that was the thread default when this store was
   * opened. Changes are coalesced until that context runs.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ARRAY);
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
cn_store_init (CnStore *self)
{
  self->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);
  self->tx_changes = pending_table_new ();
}
