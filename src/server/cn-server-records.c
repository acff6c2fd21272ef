/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cn-error.h"
#include "cn-record.h"
#include "cn-schema.h"
#include "cn-server-records.h"
#include "cn-server-scope.h"
#include "cn-time.h"

/* The latest state of one record as the server stores it. */
typedef struct {
  gint64    rev;
  gint64    seq;
  gboolean  deleted;
  char     *updated_at;
  char     *updated_by;
  char     *data;
  char     *owner_unit;
} StoredRecord;

static void
stored_record_free (StoredRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->updated_at);
  g_free (record->updated_by);
  g_free (record->data);
  g_free (record->owner_unit);
  g_free (record);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StoredRecord, stored_record_free)

void
cn_server_mutation_free (CnServerMutation *mutation)
{
  if (mutation == NULL)
    return;
  g_free (mutation->mutation_id);
  g_free (mutation->collection);
  g_free (mutation->id);
  g_clear_pointer (&mutation->data, json_object_unref);
  g_free (mutation->data_text);
  g_free (mutation->invalid_code);
  g_free (mutation->invalid_message);
  g_free (mutation);
}

static JsonNode *
parse_stored_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  /* Stored texts were written by us, so they parse; an empty object keeps a damaged row
   * from taking the feed down. */
  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, json_object_new ());
      return node;
    }
  return json_node_copy (json_parser_get_root (parser));
}

/* Data built in C (an importer, load-sample) can hold any bytes; stored, such a record
 * would be served as an empty object and stop every client's sync on it. */
static gboolean
data_is_utf8 (JsonObject *data)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, data);
  return cn_json_node_is_valid_utf8 (node);
}

static char *
object_to_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

/* Whether a put's data fit its collection; if not, the error code and message of the
 * rejection. */
static gboolean
check_data (const CnServerMutation  *m,
            char                   **code,
            char                   **message)
{
  g_autoptr(GError) error = NULL;

  if (!data_is_utf8 (m->data))
    {
      *code = g_strdup ("invalid");
      *message = g_strdup (_("The record holds text that is not valid UTF-8"));
      return FALSE;
    }
  if (!cn_schema_validate (m->collection, m->data, FALSE, &error))
    {
      *code = g_strdup (g_error_matches (error, CN_ERROR, CN_ERROR_UNKNOWN_FIELD)
                        ? "unknown_field" : "invalid");
      *message = g_strdup (error->message);
      return FALSE;
    }
  return TRUE;
}

void
cn_server_mutation_check (CnServerMutation *mutation)
{
  g_return_if_fail (mutation != NULL && !mutation->checked);

  if (!mutation->is_delete &&
      check_data (mutation, &mutation->invalid_code, &mutation->invalid_message))
    mutation->data_text = object_to_text (mutation->data);
  mutation->checked = TRUE;
}

/* A JSON string as json-glib writes it (UTF-8 kept, control characters escaped). */
static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
          break;
        }
    }
  g_string_append_c (out, '"');
}

/* The wire form of a record from a row (seq, collection, id, rev, deleted, updated_at,
 * updated_by, data, in that column order from @first), appended as JSON text as json-glib
 * would write it. The stored data are spliced in as they are: the server wrote them itself,
 * after validating them, with the same generator; parsing and writing them again for every
 * page was most of the cost of a GET /changes. A row whose text is not a whole object of
 * valid UTF-8 (damaged) goes the old way, which makes it an empty object. */
static void
append_record_text (GString      *out,
                    sqlite3_stmt *stmt,
                    int           first)
{
  const char *data = (const char *) sqlite3_column_text (stmt, first + 7);
  int data_len = sqlite3_column_bytes (stmt, first + 7);

  g_string_append_printf (out, "{\"seq\":%" G_GINT64_FORMAT ",\"collection\":",
                          (gint64) sqlite3_column_int64 (stmt, first));
  append_json_string (out, (const char *) sqlite3_column_text (stmt, first + 1));
  g_string_append (out, ",\"id\":");
  append_json_string (out, (const char *) sqlite3_column_text (stmt, first + 2));
  g_string_append_printf (out, ",\"rev\":%" G_GINT64_FORMAT ",\"deleted\":%s,\"updated_at\":",
                          (gint64) sqlite3_column_int64 (stmt, first + 3),
                          sqlite3_column_int (stmt, first + 4) != 0 ? "true" : "false");
  append_json_string (out, (const char *) sqlite3_column_text (stmt, first + 5));
  g_string_append (out, ",\"updated_by\":");
  append_json_string (out, (const char *) sqlite3_column_text (stmt, first + 6));
  g_string_append (out, ",\"data\":");
  if (data != NULL && data_len >= 2 && data[0] == '{' && data[data_len - 1] == '}' &&
      g_utf8_validate (data, data_len, NULL))
    g_string_append_len (out, data, data_len);
  else
    {
      g_autoptr(JsonNode) node = parse_stored_json (data);
      g_autofree char *text = json_to_string (node, FALSE);

      g_string_append (out, text);
    }
  g_string_append_c (out, '}');
}

#define RECORD_COLUMNS "seq, collection, id, rev, deleted, updated_at, updated_by, data"

/* The seqs of a feed's page: records in seq order, those of reference collections and
 * those owned by the user's scope unit or a unit below it (every one for an admin).
 *
 * A district's user sees one workflow record in thirteen. Walking the feed in seq order and
 * testing each record's unit read a dozen index entries (or, before, table rows) for every
 * one kept. For a small scope, each unit's records are read in seq order from their own
 * range of records_owner instead, the reference records from records_reference, and SQLite
 * merges these ordered arms lazily (a compound SELECT with ORDER BY and LIMIT): about one
 * step per record kept, plus one seek per arm. A large scope (a province's 200 units) sees
 * most of the feed anyway: a merge that deep costs more than the walk, which it takes. */
#define MERGE_MAX_UNITS 32

static CnServerStmt *
changes_statement (CnServerDb    *db,
                   CnServerUser  *user,
                   gint64         since,
                   guint          limit,
                   GError       **error)
{
  g_autoptr(GHashTable) units = NULL;
  g_autoptr(GString) sql = NULL;
  g_autoptr(GArray) numbers = NULL;
  CnServerStmt *stmt;
  GHashTableIter iter;
  gpointer unit;
  guint n, i;

  if (user->role == CN_ROLE_ADMIN)
    {
      stmt = cn_server_db_prepare (db, "SELECT seq FROM records WHERE seq > ?1 "
                                   "ORDER BY seq LIMIT ?2", error);
      if (stmt != NULL)
        {
          sqlite3_bind_int64 (stmt, 1, since);
          sqlite3_bind_int64 (stmt, 2, (gint64) limit + 1);
        }
      return stmt;
    }

  units = cn_server_scope_units (db, user, error);
  if (units == NULL)
    return NULL;
  n = g_hash_table_size (units);
  if (n > MERGE_MAX_UNITS)
    {
      g_autoptr(GString) list = g_string_sized_new (40 * n);

      g_string_append_c (list, '[');
      i = 0;
      g_hash_table_iter_init (&iter, units);
      while (g_hash_table_iter_next (&iter, &unit, NULL))
        {
          if (i++ > 0)
            g_string_append_c (list, ',');
          append_json_string (list, unit);
        }
      g_string_append_c (list, ']');
      stmt = cn_server_db_prepare (db, "SELECT seq FROM records WHERE seq > ?1 "
                                   "AND (is_reference = 1 OR owner_unit IN "
                                   "     (SELECT value FROM json_each (?3))) "
                                   "ORDER BY seq LIMIT ?2", error);
      if (stmt != NULL)
        {
          sqlite3_bind_int64 (stmt, 1, since);
          sqlite3_bind_int64 (stmt, 2, (gint64) limit + 1);
          sqlite3_bind_text (stmt, 3, list->str, (int) list->len, SQLITE_TRANSIENT);
        }
      return stmt;
    }

  /* The numbers of the units (records_owner is by number); a unit without one owns no
   * record and has no arm. */
  numbers = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  g_hash_table_iter_init (&iter, units);
  while (g_hash_table_iter_next (&iter, &unit, NULL))
    {
      gint64 no = cn_server_db_unit_number (db, unit, FALSE, error);

      if (no < 0)
        return NULL;
      if (no > 0)
        g_array_append_val (numbers, no);
    }

  sql = g_string_sized_new (128 * (numbers->len + 1));
  g_string_append (sql, "SELECT seq FROM records INDEXED BY records_reference "
                        "WHERE is_reference = 1 AND seq > ?1");
  for (i = 0; i < numbers->len; i++)
    g_string_append_printf (sql, " UNION ALL SELECT seq FROM records INDEXED BY records_owner "
                                 "WHERE owner_no = ?%u AND is_reference = 0 AND seq > ?1",
                            i + 3);
  g_string_append (sql, " ORDER BY 1 LIMIT ?2");
  stmt = cn_server_db_prepare (db, sql->str, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, (gint64) limit + 1);
  for (i = 0; i < numbers->len; i++)
    sqlite3_bind_int64 (stmt, (int) i + 3, g_array_index (numbers, gint64, i));
  return stmt;
}

/* The wire text of the record with this seq: made once, then kept by seq (see
 * cn_server_db_record_text_lookup()). */
static const CnServerRecordText *
record_text (CnServerDb  *db,
             gint64       seq,
             GString     *scratch,
             GError     **error)
{
  g_autoptr(CnServerStmt) stmt = NULL;
  const CnServerRecordText *text = cn_server_db_record_text_lookup (db, seq);

  if (text != NULL)
    return text;
  stmt = cn_server_db_prepare (db, "SELECT " RECORD_COLUMNS " FROM records WHERE seq = ?",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, seq);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      cn_server_db_set_error (db, error);
      return NULL;
    }
  g_string_truncate (scratch, 0);
  append_record_text (scratch, stmt, 0);
  return cn_server_db_record_text_insert (db, seq, scratch->str, scratch->len);
}

static GBytes *
build_changes_page (CnServerDb    *db,
                    CnServerUser  *user,
                    gint64         since,
                    guint          limit,
                    GError       **error)
{
  g_autoptr(CnServerStmt) stmt = NULL;
  g_autoptr(GString) out = NULL;
  g_autoptr(GString) scratch = NULL;
  g_autoptr(GArray) seqs = NULL;
  gint64 purged_seq, current_seq, last_seq = since;
  gboolean more = FALSE;
  int rc;

  purged_seq = cn_server_db_get_meta_int (db, "purged_seq", 0);
  current_seq = cn_server_db_get_meta_int (db, "seq", 0);

  if (since > 0 && since < purged_seq)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_GONE,
                   _("Deleted records older than your last sync were purged from the server; "
                     "a full sync is needed"));
      return NULL;
    }
  if (since > current_seq)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_GONE,
                   _("Your sync position is ahead of the server (was the server restored from "
                     "a backup?); a full sync is needed"));
      return NULL;
    }

  stmt = changes_statement (db, user, since, limit, error);
  if (stmt == NULL)
    return NULL;

  seqs = g_array_sized_new (FALSE, FALSE, sizeof (gint64), MIN (limit + 1, 128));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);

      if (seqs->len == limit)
        {
          more = TRUE;
          break;
        }
      g_array_append_val (seqs, seq);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      cn_server_db_set_error (db, error);
      return NULL;
    }
  cn_server_stmt_release (g_steal_pointer (&stmt));

  out = g_string_sized_new (MIN (limit, 100) * 1024);
  scratch = g_string_sized_new (4096);
  g_string_append (out, "{\"changes\":[");
  for (guint i = 0; i < seqs->len; i++)
    {
      const CnServerRecordText *text = record_text (db, g_array_index (seqs, gint64, i),
                                                    scratch, error);

      if (text == NULL)
        return NULL;
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_len (out, text->text, (gssize) text->len);
      last_seq = text->seq;
    }
  /* On the last page the cursor moves to the server's sequence, past the changes this user
   * may not see, so that a client never asks for them again. */
  g_string_append_printf (out, "],\"next\":%" G_GINT64_FORMAT ",\"more\":%s}",
                          more ? last_seq : MAX (current_seq, since), more ? "true" : "false");
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
cn_server_changes_page_bytes (CnServerDb    *db,
                              CnServerUser  *user,
                              gint64         since,
                              guint          limit,
                              GError       **error)
{
  g_autofree char *key = NULL;
  GBytes *page;
  guint64 generation;
  gboolean own;

  g_return_val_if_fail (limit >= 1 && limit <= CN_SERVER_MAX_PAGE, NULL);

  /* What a page holds depends on the user only through the scope unit and being admin.
   * Clients polling at the head of the feed, and those pulling a backlog page by page from
   * the same cursors, get the bytes made for the first of them until anything changes. */
  key = g_strdup_printf ("changes:%d:%s:%" G_GINT64_FORMAT ":%u", user->role == CN_ROLE_ADMIN,
                         user->unit_id != NULL ? user->unit_id : "", since, limit);
  page = cn_server_db_cache_lookup (db, key);
  if (page != NULL)
    return g_bytes_ref (page);

  /* One read transaction (the caller's, if it has one open): the page, the cursor and the
   * purge mark from the same snapshot. */
  own = sqlite3_get_autocommit (cn_server_db_get_handle (db));
  if (own && !cn_server_db_begin_read (db, error))
    return NULL;
  generation = cn_server_db_generation (db);
  page = build_changes_page (db, user, since, limit, error);
  if (page != NULL)
    cn_server_db_cache_insert (db, generation, key, g_bytes_ref (page),
                               g_bytes_get_size (page), (GDestroyNotify) g_bytes_unref);
  if (own)
    cn_server_db_commit (db, NULL);
  return page;
}

/* An answer made as text, parsed (for the callers that want a tree). */
static JsonNode *
parse_answer (GBytes  *bytes,
              GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize len;
  const char *text = g_bytes_get_data (bytes, &len);

  if (!json_parser_load_from_data (parser, text, (gssize) len, error))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

JsonNode *
cn_server_changes_page (CnServerDb    *db,
                        CnServerUser  *user,
                        gint64         since,
                        guint          limit,
                        GError       **error)
{
  g_autoptr(GBytes) bytes = cn_server_changes_page_bytes (db, user, since, limit, error);

  return bytes != NULL ? parse_answer (bytes, error) : NULL;
}

#define STORED_COLUMNS "rev, seq, deleted, updated_at, updated_by, data, owner_unit"

static StoredRecord *
stored_record_from_row (sqlite3_stmt *stmt,
                        int           first)
{
  StoredRecord *record = g_new0 (StoredRecord, 1);

  record->rev = sqlite3_column_int64 (stmt, first);
  record->seq = sqlite3_column_int64 (stmt, first + 1);
  record->deleted = sqlite3_column_int (stmt, first + 2) != 0;
  record->updated_at = g_strdup ((const char *) sqlite3_column_text (stmt, first + 3));
  record->updated_by = g_strdup ((const char *) sqlite3_column_text (stmt, first + 4));
  record->data = g_strdup ((const char *) sqlite3_column_text (stmt, first + 5));
  record->owner_unit = g_strdup ((const char *) sqlite3_column_text (stmt, first + 6));
  return record;
}

static StoredRecord *
load_record (CnServerDb  *db,
             const char  *collection,
             const char  *id,
             GError     **error)
{
  g_autoptr(CnServerStmt) stmt = NULL;
  int rc;

  stmt = cn_server_db_prepare_keyed (db,
                                     "SELECT " STORED_COLUMNS " FROM records "
                                     "WHERE collection = ? AND id = ?",
                                     collection, id, error);
  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      cn_server_db_set_error (db, error);
      return NULL;
    }
  return stored_record_from_row (stmt, 0);
}

/* The stored state of the records a push names, read with one query a collection instead of
 * one a mutation (see existing_record ()): id → StoredRecord, or NULL for none. */
typedef struct {
  GHashTable *collections;  /* collection → GHashTable of id → StoredRecord or NULL */
  gboolean    valid;        /* FALSE once a write may have changed other records */
} Prefetch;

static void
prefetch_clear (Prefetch *prefetch)
{
  g_clear_pointer (&prefetch->collections, g_hash_table_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Prefetch, prefetch_clear)

static gboolean
prefetch_records (CnServerDb  *db,
                  GPtrArray   *mutations,
                  Prefetch    *prefetch,
                  GError     **error)
{
  g_autoptr(GHashTable) lists = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                       (GDestroyNotify) g_ptr_array_unref);
  GHashTableIter iter;
  gpointer key, value;

  prefetch->valid = TRUE;
  prefetch->collections = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                 (GDestroyNotify) g_hash_table_unref);
  /* Only the collections of the schema: their names, from the schema, outlive the push. */
  for (guint i = 0; i < mutations->len; i++)
    {
      const CnServerMutation *m = g_ptr_array_index (mutations, i);
      const CnCollection *info = m->collection != NULL ? cn_schema_lookup (m->collection) : NULL;
      GPtrArray *ids;

      if (info == NULL || m->id == NULL)
        continue;
      ids = g_hash_table_lookup (lists, info->name);
      if (ids == NULL)
        {
          ids = g_ptr_array_new ();
          g_hash_table_insert (lists, (gpointer) info->name, ids);
        }
      g_ptr_array_add (ids, m->id);
    }

  g_hash_table_iter_init (&iter, lists);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *ids = value;
      g_autoptr(CnServerStmt) stmt = NULL;
      g_autoptr(GString) list = g_string_sized_new (48 * ids->len + 2);
      GHashTable *found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) stored_record_free);
      int rc;

      g_hash_table_insert (prefetch->collections, key, found);
      g_string_append_c (list, '[');
      for (guint i = 0; i < ids->len; i++)
        {
          if (i > 0)
            g_string_append_c (list, ',');
          append_json_string (list, g_ptr_array_index (ids, i));
          g_hash_table_replace (found, g_strdup (g_ptr_array_index (ids, i)), NULL);
        }
      g_string_append_c (list, ']');

      stmt = cn_server_db_prepare (db, "SELECT " STORED_COLUMNS ", id FROM records "
                                   "WHERE collection = ?1 AND id IN "
                                   "  (SELECT value FROM json_each (?2))", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, list->str, (int) list->len, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_hash_table_replace (found, g_strdup ((const char *) sqlite3_column_text (stmt, 7)),
                              stored_record_from_row (stmt, 0));
      if (rc != SQLITE_DONE)
        return cn_server_db_set_error (db, error);
    }
  return TRUE;
}

/* The stored state of the record a mutation names: from the prefetch while nothing written
 * since may have changed it, from the database otherwise. Each prefetched state is handed
 * out once: a second mutation of the same record in the push reads what the first left. */
static StoredRecord *
existing_record (CnServerDb              *db,
                 Prefetch                *prefetch,
                 const CnServerMutation  *m,
                 GError                 **error)
{
  GHashTable *found = NULL;
  gpointer key, value;

  if (prefetch != NULL && prefetch->valid && prefetch->collections != NULL &&
      m->collection != NULL && m->id != NULL)
    found = g_hash_table_lookup (prefetch->collections, m->collection);
  if (found != NULL && g_hash_table_steal_extended (found, m->id, &key, &value))
    {
      g_free (key);
      return value;
    }
  return load_record (db, m->collection, m->id, error);
}

/* Writes the new state of a record with the next sequence number. */
static gboolean
store_record (CnServerDb  *db,
              const char  *collection,
              const char  *id,
              gint64       rev,
              gboolean     deleted,
              const char  *updated_at,
              const char  *updated_by,
              const char  *data_text,
              const char  *owner_unit,
              gint64      *seq_out,
              GError     **error)
{
  g_autoptr(CnServerStmt) stmt = NULL;
  gint64 seq = cn_server_db_next_seq (db, error);
  gint64 owner_no = 0;

  if (seq < 0)
    return FALSE;
  if (g_str_equal (collection, "unit"))
    cn_server_db_units_changed (db);
  if (owner_unit != NULL && (owner_no = cn_server_db_unit_number (db, owner_unit, TRUE, error)) < 0)
    return FALSE;

  /* The texts are bound as they are (SQLITE_STATIC): the caller's, they outlive the statement,
   * which is reset when it goes back to the cache at the end of this function. */
  stmt = cn_server_db_prepare (db,
                               "INSERT INTO records (collection, id, rev, seq, deleted, "
                               "  updated_at, updated_by, data, is_reference, owner_unit, "
                               "  owner_no) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                               "ON CONFLICT (collection, id) DO UPDATE SET "
                               "  rev = excluded.rev, seq = excluded.seq, "
                               "  deleted = excluded.deleted, updated_at = excluded.updated_at, "
                               "  updated_by = excluded.updated_by, data = excluded.data, "
                               "  is_reference = excluded.is_reference, "
                               "  owner_unit = excluded.owner_unit, owner_no = excluded.owner_no",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, rev);
  sqlite3_bind_int64 (stmt, 4, seq);
  sqlite3_bind_int (stmt, 5, deleted ? 1 : 0);
  sqlite3_bind_text (stmt, 6, updated_at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, updated_by, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, data_text, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 9, cn_schema_is_reference (collection) ? 1 : 0);
  if (owner_unit != NULL)
    {
      sqlite3_bind_text (stmt, 10, owner_unit, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 11, owner_no);
    }
  else
    {
      sqlite3_bind_null (stmt, 10);
      sqlite3_bind_null (stmt, 11);
    }
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return cn_server_db_set_error (db, error);
  if (seq_out != NULL)
    *seq_out = seq;
  return TRUE;
}

/* Records placed in a unit through another record (a report through its delegation, a task
 * event through its task, attendance through the person, a task without a commune through
 * the visit or report it came from) follow it when it moves: their owning unit changes and
 * they get a new sequence number, so that the users who may now see them receive them. */
static gboolean
propagate_owner (CnServerDb  *db,
                 const char  *collection,
                 const char  *id,
                 const char  *owner,
                 guint        depth,
                 GError     **error)
{
  if (depth > 4)
    return TRUE;  /* the schema nests three deep; never loop on odd data */

  for (const char * const *name = cn_schema_collections (); *name != NULL; name++)
    {
      const CnCollection *info = cn_schema_lookup (*name);
      const char *fields[] = { info->scope_field, NULL, NULL };

      if (info->kind != CN_COLLECTION_WORKFLOW || info->scope_field == NULL)
        continue;
      if (g_str_equal (*name, "task"))
        fields[1] = "source_id";

      for (guint f = 0; fields[f] != NULL; f++)
        {
          const CnField *field = cn_collection_lookup_field (info, fields[f]);
          g_autoptr(CnServerStmt) stmt = NULL;
          g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
          g_autofree char *path = g_strconcat ("$.", fields[f], NULL);
          int rc;

          if (field == NULL || field->targets == NULL ||
              !g_strv_contains (field->targets, collection))
            continue;

          /* source_id places a task only when it names no commune. */
          stmt = cn_server_db_prepare (db,
                                       "SELECT id FROM records WHERE collection = ? "
                                       "AND json_extract (data, ?) = ? "
                                       "AND (? = 0 OR json_extract (data, '$.commune_id') IS NULL) "
                                       "AND owner_unit IS NOT ?", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, *name, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, path, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 3, id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int (stmt, 4, f == 1);
          if (owner != NULL)
            sqlite3_bind_text (stmt, 5, owner, -1, SQLITE_TRANSIENT);
          else
            sqlite3_bind_null (stmt, 5);
          while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
            g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
          if (rc != SQLITE_DONE)
            return cn_server_db_set_error (db, error);

          for (guint i = 0; i < ids->len; i++)
            {
              const char *dependent = g_ptr_array_index (ids, i);
              g_autoptr(CnServerStmt) update = NULL;
              gint64 seq = cn_server_db_next_seq (db, error);
              gint64 owner_no = 0;

              if (seq < 0)
                return FALSE;
              if (owner != NULL &&
                  (owner_no = cn_server_db_unit_number (db, owner, TRUE, error)) < 0)
                return FALSE;
              update = cn_server_db_prepare_keyed (db,
                                                   "UPDATE records SET owner_unit = ?3, seq = ?4, "
                                                   "  owner_no = ?5 "
                                                   "WHERE collection = ?1 AND id = ?2",
                                                   *name, dependent, error);
              if (update == NULL)
                return FALSE;
              if (owner != NULL)
                {
                  sqlite3_bind_text (update, 3, owner, -1, SQLITE_TRANSIENT);
                  sqlite3_bind_int64 (update, 5, owner_no);
                }
              else
                {
                  sqlite3_bind_null (update, 3);
                  sqlite3_bind_null (update, 5);
                }
              sqlite3_bind_int64 (update, 4, seq);
              if (sqlite3_step (update) != SQLITE_DONE)
                return cn_server_db_set_error (db, error);
              if (!propagate_owner (db, *name, dependent, owner, depth + 1, error))
                return FALSE;
            }
        }
    }
  return TRUE;
}

/* The answer to one mutation, written as text as json-glib would write it: kept in the
 * mutation log as it is, and spliced into the push's answer (building JSON objects and
 * writing them twice, for the log and for the answer, was a tenth of a push). */
static GString *
result_begin (const CnServerMutation *mutation,
              const char             *status)
{
  GString *out = g_string_sized_new (160);

  g_string_append (out, "{\"mutation_id\":");
  append_json_string (out, mutation->mutation_id);
  g_string_append_printf (out, ",\"status\":\"%s\"", status);
  return out;
}

static char *
rejected_new (const CnServerMutation *mutation,
              const char             *code,
              const char             *message)
{
  GString *out = result_begin (mutation, "rejected");

  g_string_append (out, ",\"error\":");
  append_json_string (out, code);
  g_string_append (out, ",\"message\":");
  append_json_string (out, message);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static char *
applied_new (const CnServerMutation *mutation,
             gint64                  rev,
             gint64                  seq,
             const char             *updated_at,
             const char             *updated_by)
{
  GString *out = result_begin (mutation, "applied");

  g_string_append_printf (out, ",\"rev\":%" G_GINT64_FORMAT ",\"seq\":%" G_GINT64_FORMAT
                          ",\"updated_at\":", rev, seq);
  append_json_string (out, updated_at);
  g_string_append (out, ",\"updated_by\":");
  append_json_string (out, updated_by);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/* A conflict: the record as it is now, as the change feed has it. */
static char *
conflict_new (CnServerDb              *db,
              const CnServerMutation  *mutation,
              GError                 **error)
{
  g_autoptr(CnServerStmt) stmt = NULL;
  g_autoptr(GString) out = NULL;

  stmt = cn_server_db_prepare_keyed (db, "SELECT " RECORD_COLUMNS " FROM records "
                                     "WHERE collection = ? AND id = ?",
                                     mutation->collection, mutation->id, error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      cn_server_db_set_error (db, error);
      return NULL;
    }
  out = result_begin (mutation, "conflict");
  g_string_append (out, ",\"current\":");
  append_record_text (out, stmt, 0);
  g_string_append_c (out, '}');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
stored_data_equals (const char *stored,
                    JsonObject *data)
{
  g_autoptr(JsonNode) old_node = parse_stored_json (stored);
  g_autoptr(JsonNode) new_node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (new_node, data);
  return json_node_equal (old_node, new_node);
}

/* Decides and applies one mutation; returns its answer. NULL only on a store error. */
static char *
apply_one (CnServerDb             *db,
           CnServerUser           *user,
           GHashTable             *scope_units,
           Prefetch               *prefetch,
           const CnServerMutation *m,
           const char             *now,
           GError                **error)
{
  g_autoptr(StoredRecord) existing = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *data_text = NULL;
  gint64 seq = 0;

  existing = existing_record (db, prefetch, m, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!m->is_delete)
    {
      g_autofree char *code = NULL;
      g_autofree char *message = NULL;

      if (m->checked && m->invalid_code != NULL)
        return rejected_new (m, m->invalid_code, m->invalid_message);
      if (!m->checked && !check_data (m, &code, &message))
        return rejected_new (m, code, message);
      owner = cn_server_scope_owner_unit (db, m->collection, m->id, m->data, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  else if (existing != NULL)
    {
      owner = g_strdup (existing->owner_unit);
    }

  /* Permission before anything else, so that a record outside the user's scope is never
   * revealed, not even by a conflict. */
  if (!cn_schema_can_write (m->collection, cn_role_to_string (user->role)))
    return rejected_new (m, "forbidden",
                         user->role == CN_ROLE_VIEWER
                         ? _("Your account may read but not change records")
                         : _("Your role may not change records of this collection"));
  if ((!m->is_delete || existing != NULL) &&
      !cn_server_scope_may_write (user, scope_units, m->collection, owner))
    return rejected_new (m, "forbidden",
                         _("You may not change this record: it belongs to no unit inside your "
                           "scope"));
  if (existing != NULL &&
      !cn_server_scope_may_write (user, scope_units, m->collection, existing->owner_unit))
    return rejected_new (m, "forbidden",
                         _("You may not change this record: it belongs to a unit outside your "
                           "scope"));

  if (existing == NULL)
    {
      if (m->is_delete)
        return rejected_new (m, "not_found", _("There is no such record to delete"));
      if (m->base_rev != 0)
        return rejected_new (m, "not_found",
                             _("The record no longer exists on the server: it was deleted and "
                               "its history purged"));
    }
  else if (g_str_equal (m->collection, "task_event") && user->role != CN_ROLE_ADMIN)
    {
      /* Task events are append-only: the same event sent again is accepted as it is, any
       * change of one is refused. */
      if (!m->is_delete && !existing->deleted && stored_data_equals (existing->data, m->data))
        return applied_new (m, existing->rev, existing->seq, existing->updated_at,
                            existing->updated_by);
      return rejected_new (m, "append_only", _("Task events cannot be changed or deleted"));
    }
  else if (m->base_rev != existing->rev)
    {
      return conflict_new (db, m, error);
    }
  else if (m->is_delete && existing->deleted)
    {
      /* Deleting a tombstone changes nothing. */
      return applied_new (m, existing->rev, existing->seq, existing->updated_at,
                          existing->updated_by);
    }

  if (m->is_delete)
    data_text = g_strdup (existing->data);  /* the tombstone keeps the last data */
  else
    data_text = m->data_text != NULL ? g_strdup (m->data_text) : object_to_text (m->data);

  if (!store_record (db, m->collection, m->id, existing != NULL ? existing->rev + 1 : 1,
                     m->is_delete, now, user->name, data_text, owner, &seq, error))
    return NULL;
  if (existing != NULL && g_strcmp0 (existing->owner_unit, owner) != 0)
    {
      /* Records that follow it change too: what was read before is no longer sure. */
      prefetch->valid = FALSE;
      if (!propagate_owner (db, m->collection, m->id, owner, 0, error))
        return NULL;
    }

  return applied_new (m, existing != NULL ? existing->rev + 1 : 1, seq, now, user->name);
}

/* The answers already given to the mutations of this push (a retried push), by
 * mutation_id: one query for the whole push rather than one a mutation. */
static GHashTable *
lookup_logged_results (CnServerDb    *db,
                       CnServerUser  *user,
                       const char    *client_id,
                       GPtrArray     *mutations,
                       GError       **error)
{
  g_autoptr(CnServerStmt) stmt = NULL;
  g_autoptr(GHashTable) logged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GString) ids = g_string_sized_new (64 * mutations->len + 2);
  int rc;

  g_string_append_c (ids, '[');
  for (guint i = 0; i < mutations->len; i++)
    {
      const CnServerMutation *m = g_ptr_array_index (mutations, i);

      if (i > 0)
        g_string_append_c (ids, ',');
      append_json_string (ids, m->mutation_id);
    }
  g_string_append_c (ids, ']');

  stmt = cn_server_db_prepare (db,
                               "SELECT mutation_id, result FROM mutations "
                               "WHERE user_name = ?1 AND client_id = ?2 AND mutation_id IN "
                               "  (SELECT value FROM json_each (?3))", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, user->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, client_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, ids->str, (int) ids->len, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 1);
      int len = sqlite3_column_bytes (stmt, 1);
      char *result;

      /* Written by us; a damaged one is answered as the empty object parsing made of it. */
      if (text != NULL && len >= 2 && text[0] == '{' && text[len - 1] == '}' &&
          g_utf8_validate (text, len, NULL))
        result = g_strndup (text, (gsize) len);
      else
        {
          g_autoptr(JsonNode) node = parse_stored_json (text);
          result = json_to_string (node, FALSE);
        }
      g_hash_table_insert (logged, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                           result);
    }
  if (rc != SQLITE_DONE)
    {
      cn_server_db_set_error (db, error);
      return NULL;
    }
  return g_steal_pointer (&logged);
}

static gboolean
log_result (CnServerDb    *db,
            CnServerUser  *user,
            const char    *client_id,
            const char    *mutation_id,
            const char    *result,
            GError       **error)
{
  g_autoptr(CnServerStmt) stmt = NULL;

  stmt = cn_server_db_prepare (db,
                               "INSERT INTO mutations (user_name, client_id, mutation_id, "
                               "result, created_at) VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, user->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, client_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, mutation_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, result, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return cn_server_db_set_error (db, error);
  return TRUE;
}

/* Applies a push inside the caller's transaction; NULL (and the transaction to roll back)
 * when the database fails. */
static GBytes *
apply_push (CnServerDb    *db,
            CnServerUser  *user,
            const char    *client_id,
            GPtrArray     *mutations,
            GError       **error)
{
  g_autoptr(GHashTable) scope_units = NULL;
  g_autoptr(GHashTable) logged = NULL;
  g_auto(Prefetch) prefetch = { 0 };
  g_autoptr(GString) answer = g_string_sized_new (128 * mutations->len + 16);
  g_autofree char *now = cn_time_now_rfc3339 ();  /* one time for the whole push */

  scope_units = cn_server_scope_units (db, user, error);
  if (scope_units == NULL)
    return NULL;
  logged = lookup_logged_results (db, user, client_id, mutations, error);
  if (logged == NULL)
    return NULL;
  if (!prefetch_records (db, mutations, &prefetch, error))
    return NULL;

  g_string_append (answer, "{\"results\":[");
  for (guint i = 0; i < mutations->len; i++)
    {
      const CnServerMutation *m = g_ptr_array_index (mutations, i);
      const char *previous = g_hash_table_lookup (logged, m->mutation_id);
      char *result;

      if (i > 0)
        g_string_append_c (answer, ',');
      /* Seen before, in an earlier push or earlier in this one: its first answer. */
      if (previous != NULL)
        {
          g_string_append (answer, previous);
          continue;
        }
      result = apply_one (db, user, scope_units, &prefetch, m, now, error);
      if (result == NULL)
        return NULL;
      if (!log_result (db, user, client_id, m->mutation_id, result, error))
        {
          g_free (result);
          return NULL;
        }
      g_string_append (answer, result);
      g_hash_table_insert (logged, g_strdup (m->mutation_id), result);
    }
  g_string_append (answer, "]}");
  return g_string_free_to_bytes (g_steal_pointer (&answer));
}

GBytes *
cn_server_apply_mutations_bytes (CnServerDb    *db,
                                 CnServerUser  *user,
                                 const char    *client_id,
                                 GPtrArray     *mutations,
                                 GError       **error)
{
  g_autoptr(GBytes) answer = NULL;

  if (!cn_server_db_begin (db, error))
    return NULL;
  answer = apply_push (db, user, client_id, mutations, error);
  if (answer == NULL)
    {
      cn_server_db_rollback (db);
      return NULL;
    }
  if (!cn_server_db_commit (db, error))
    return NULL;
  return g_steal_pointer (&answer);
}

void
cn_server_apply_pushes (CnServerDb   *db,
                        CnServerPush *pushes,
                        guint         n_pushes)
{
  g_autoptr(GError) error = NULL;
  guint i;

  for (i = 0; i < n_pushes; i++)
    {
      g_clear_pointer (&pushes[i].answer, g_bytes_unref);
      g_clear_error (&pushes[i].error);
    }

  /* Together: one transaction, one commit, the pages they share written once. */
  if (n_pushes > 1 && cn_server_db_begin (db, NULL))
    {
      for (i = 0; i < n_pushes; i++)
        {
          pushes[i].answer = apply_push (db, pushes[i].user, pushes[i].client_id,
                                         pushes[i].mutations, &error);
          if (pushes[i].answer == NULL)
            break;
        }
      if (i == n_pushes && cn_server_db_commit (db, &error))
        {
          g_debug ("%u pushes applied in one transaction", n_pushes);
          return;
        }
      cn_server_db_rollback (db);
      g_message ("%u pushes applied together failed (%s): applying them one by one",
                 n_pushes, error != NULL ? error->message : "?");
      for (i = 0; i < n_pushes; i++)
        g_clear_pointer (&pushes[i].answer, g_bytes_unref);
    }

  /* One by one, each in its own transaction: a push that fails fails alone. */
  for (i = 0; i < n_pushes; i++)
    pushes[i].answer = cn_server_apply_mutations_bytes (db, pushes[i].user, pushes[i].client_id,
                                                        pushes[i].mutations, &pushes[i].error);
}

JsonNode *
cn_server_apply_mutations (CnServerDb    *db,
                           CnServerUser  *user,
                           const char    *client_id,
                           GPtrArray     *mutations,
                           GError       **error)
{
  g_autoptr(GBytes) bytes = cn_server_apply_mutations_bytes (db, user, client_id, mutations,
                                                             error);
  g_autoptr(JsonNode) answer = bytes != NULL ? parse_answer (bytes, error) : NULL;

  if (answer == NULL)
    return NULL;
  return json_node_copy (json_object_get_member (json_node_get_object (answer), "results"));
}

gboolean
cn_server_records_upsert (CnServerDb  *db,
                          const char  *collection,
                          const char  *id,
                          JsonObject  *data,
                          gboolean     deleted,
                          const char  *updated_by,
                          gboolean    *changed,
                          GError     **error)
{
  g_autoptr(StoredRecord) existing = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *now = NULL;
  g_autofree char *text = NULL;

  if (changed != NULL)
    *changed = FALSE;

  if (data != NULL && !data_is_utf8 (data))
    {
      g_set_error_literal (error, CN_ERROR, CN_ERROR_INVALID,
                           _("The record holds text that is not valid UTF-8"));
      return FALSE;
    }
  if (!deleted && !cn_schema_validate (collection, data, FALSE, error))
    return FALSE;

  existing = load_record (db, collection, id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (existing != NULL && existing->deleted == deleted &&
      stored_data_equals (existing->data, data))
    return TRUE;

  owner = cn_server_scope_owner_unit (db, collection, id, data, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  now = cn_time_now_rfc3339 ();
  text = object_to_text (data);
  if (!store_record (db, collection, id, existing != NULL ? existing->rev + 1 : 1, deleted,
                     now, updated_by, text, owner, NULL, error))
    return FALSE;
  if (existing != NULL && g_strcmp0 (existing->owner_unit, owner) != 0 &&
      !propagate_owner (db, collection, id, owner, 0, error))
    return FALSE;
  if (changed != NULL)
    *changed = TRUE;
  return TRUE;
}
