/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-workflow"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

#include "cn-error.h"
#include "cn-store-private.h"
#include "cn-workflow-reader.h"

/* The SQL reads the store's narrow columns (see index_map in cn-store.c): for a task
 * sort_date = due_on, k1 = commune_id, k3 = status; for a working session sort_date = date,
 * k1 = commune_id; for an assignment sort_date = since, k1 = commune_id, k2 = person_id,
 * k3 = role; for an assessment sort_date = assessed_on, k1 = commune_id, k3 =
 * criterion_code; for a unit k1 = kind. sort_date is '' when the field is absent. The
 * orders are the ones cn_store_query() gives: a sort field, then the row number. */

struct _CnWorkflowReader
{
  sqlite3      *db;
  char         *path;
  sqlite3_stmt *title_stmt;  /* cn_workflow_reader_dup_title(), prepared once */
  GHashTable   *titles;      /* id → title read by it: an export names the same communes,
                              * people and delegations on row after row */
};

void
cn_commune_summary_free (CnCommuneSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->id);
  g_free (summary->name);
  g_free (summary->region);
  g_free (summary->delegation);
  g_free (summary->member);
  g_free (summary->sponsor);
  g_free (summary->last_visit);
  g_free (summary);
}

void
cn_id_title_free (CnIdTitle *item)
{
  if (item == NULL)
    return;
  g_free (item->id);
  g_free (item->title);
  g_free (item);
}

static void
set_sql_error (CnWorkflowReader  *self,
               GError           **error)
{
  g_set_error (error, CN_ERROR, CN_ERROR_STORE,
               /* Translators: %s is a file name, the second %s SQLite's reason */
               _("Could not read the local database %s: %s"), self->path, sqlite3_errmsg (self->db));
}

/**
 * cn_workflow_reader_open:
 * @path: the store's file, already opened (and migrated) by a #CnStore
 *
 * Returns: (transfer full) (nullable): a reader, or %NULL with @error set
 */
CnWorkflowReader *
cn_workflow_reader_open (const char  *path,
                         GError     **error)
{
  g_autoptr(CnWorkflowReader) self = g_new0 (CnWorkflowReader, 1);
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  self->path = g_strdup (path);
  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                   _("Could not open the local database %s: %s"), path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  /* A sync may be writing: wait for its transaction rather than fail. */
  sqlite3_busy_timeout (self->db, 10000);
  return g_steal_pointer (&self);
}

void
cn_workflow_reader_free (CnWorkflowReader *self)
{
  if (self == NULL)
    return;
  sqlite3_finalize (self->title_stmt);
  g_clear_pointer (&self->titles, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);
  g_free (self);
}

static sqlite3_stmt *
prepare (CnWorkflowReader  *self,
         const char        *sql,
         GError           **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sql_error (self, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup (text) : NULL;
}

static gboolean
step_done (CnWorkflowReader  *self,
           sqlite3_stmt      *stmt,
           int                rc,
           GError           **error)
{
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sql_error (self, error);
      return FALSE;
    }
  return TRUE;
}

static CnCommuneSummary *
lookup (GHashTable   *by_id,
        sqlite3_stmt *stmt,
        int           column)
{
  const char *id = (const char *) sqlite3_column_text (stmt, column);

  return id != NULL ? g_hash_table_lookup (by_id, id) : NULL;
}

/* Reads the units, then adds what each query says about them. */
static gboolean
read_summaries (CnWorkflowReader  *self,
                const char        *today,
                GPtrArray         *summaries,
                GHashTable        *by_id,
                GError           **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self,
                  "SELECT r.id, r.title, json_extract (d.data, '$.region')"
                  " FROM records r JOIN record_data d ON d.n = r.n"
                  " WHERE r.collection = 'unit' AND r.deleted = 0"
                  "   AND r.k1 IN ('commune', 'town', 'ward')"
                  " ORDER BY r.title_key, r.n", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CnCommuneSummary *s = g_new0 (CnCommuneSummary, 1);

      s->id = dup_column (stmt, 0);
      s->name = dup_column (stmt, 1);
      s->region = dup_column (stmt, 2);
      g_ptr_array_add (summaries, s);
      g_hash_table_insert (by_id, s->id, s);
    }
  if (!step_done (self, stmt, rc, error))
    return FALSE;

  /* The first delegation by title that lists the commune. */
  stmt = prepare (self,
                  "SELECT j.value, r.title, json_extract (d.data, '$.region')"
                  " FROM records r JOIN record_data d ON d.n = r.n,"
                  "      json_each (d.data, '$.commune_ids') j"
                  " WHERE r.collection = 'delegation' AND r.deleted = 0"
                  " ORDER BY r.title_key, r.n, j.id", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CnCommuneSummary *s = lookup (by_id, stmt, 0);

      if (s == NULL || s->delegation != NULL)
        continue;
      s->delegation = dup_column (stmt, 1);
      if (s->region == NULL)
        s->region = dup_column (stmt, 2);
    }
  if (!step_done (self, stmt, rc, error))
    return FALSE;

  /* Current assignments, latest first: the first of each role counts. A person who is no
   * longer in the store leaves an empty name, as a row of the commune's page does. */
  stmt = prepare (self,
                  "SELECT r.k1, r.k3, r.k2, json_extract (d.data, '$.organization'),"
                  "       (SELECT p.title FROM records p WHERE p.id = r.k2 AND p.deleted = 0)"
                  " FROM records r JOIN record_data d ON d.n = r.n"
                  " WHERE r.collection = 'assignment' AND r.deleted = 0"
                  "   AND json_extract (d.data, '$.until') IS NULL"
                  " ORDER BY r.sort_date DESC, r.n DESC", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CnCommuneSummary *s = lookup (by_id, stmt, 0);
      const char *role = (const char *) sqlite3_column_text (stmt, 1);
      const char *organization = (const char *) sqlite3_column_text (stmt, 3);
      const char *who;

      if (s == NULL || role == NULL)
        continue;
      if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
        who = sqlite3_column_type (stmt, 4) != SQLITE_NULL ? (const char *) sqlite3_column_text (stmt, 4) : "";
      else
        who = organization;
      if (strcmp (role, "member_in_charge") == 0 && s->member == NULL)
        s->member = g_strdup (who);
      else if (strcmp (role, "sponsoring_department") == 0 && s->sponsor == NULL)
        s->sponsor = g_strdup (organization != NULL ? organization : who);
    }
  if (!step_done (self, stmt, rc, error))
    return FALSE;

  stmt = prepare (self,
                  "SELECT r.k1, max (NULLIF (r.sort_date, ''))"
                  " FROM records r WHERE r.collection = 'visit' AND r.deleted = 0"
                  " GROUP BY r.k1", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CnCommuneSummary *s = lookup (by_id, stmt, 0);

      if (s != NULL)
        s->last_visit = dup_column (stmt, 1);
    }
  if (!step_done (self, stmt, rc, error))
    return FALSE;

  stmt = prepare (self,
                  "SELECT r.k1, count (*), total (r.sort_date <> '' AND r.sort_date < ?1)"
                  " FROM records r WHERE r.collection = 'task' AND r.deleted = 0"
                  "   AND (r.k3 IS NULL OR r.k3 NOT IN ('done', 'dropped'))"
                  " GROUP BY r.k1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, today, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CnCommuneSummary *s = lookup (by_id, stmt, 0);

      if (s == NULL)
        continue;
      s->open_tasks = (guint) sqlite3_column_int64 (stmt, 1);
      s->overdue_tasks = (guint) sqlite3_column_int64 (stmt, 2);
    }
  if (!step_done (self, stmt, rc, error))
    return FALSE;

  /* The latest assessment of each criterion counts. */
  stmt = prepare (self,
                  "SELECT l.k1, count (*) FROM"
                  " (SELECT r.k1 AS k1, r.n AS n,"
                  "         row_number () OVER (PARTITION BY r.k1, r.k3"
                  "                             ORDER BY r.sort_date DESC, r.n DESC) AS latest"
                  "  FROM records r WHERE r.collection = 'assessment' AND r.deleted = 0) l"
                  " JOIN record_data d ON d.n = l.n"
                  " WHERE l.latest = 1 AND json_extract (d.data, '$.status') = 'met'"
                  " GROUP BY l.k1", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CnCommuneSummary *s = lookup (by_id, stmt, 0);

      if (s != NULL)
        s->met = (guint) sqlite3_column_int64 (stmt, 1);
    }
  return step_done (self, stmt, rc, error);
}

/**
 * cn_workflow_reader_commune_summaries:
 * @self: a reader
 * @today: today as "YYYY-MM-DD", for the overdue tasks
 *
 * Everything the district overview shows of each commune, town and ward, read in one
 * transaction.
 *
 * Returns: (transfer full) (element-type CnCommuneSummary) (nullable): the units by title,
 *   or %NULL with @error set
 */
GPtrArray *
cn_workflow_reader_commune_summaries (CnWorkflowReader  *self,
                                      const char        *today,
                                      GError           **error)
{
  g_autoptr(GPtrArray) summaries = g_ptr_array_new_with_free_func ((GDestroyNotify) cn_commune_summary_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean ok;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (today != NULL, NULL);

  /* One read transaction: the counts agree with each other even while a sync writes. */
  if (!cn_workflow_reader_begin (self, error))
    return NULL;
  ok = read_summaries (self, today, summaries, by_id, error);
  cn_workflow_reader_end (self);
  return ok ? g_steal_pointer (&summaries) : NULL;
}

/* Reads the ids and titles @stmt gives, keeping with @kinds only the rows whose third
 * column is one of them; finalizes @stmt. */
static GPtrArray *
step_titles (CnWorkflowReader   *self,
             sqlite3_stmt       *stmt,
             const char * const *kinds,
             GError            **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) cn_id_title_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *kind = kinds != NULL ? (const char *) sqlite3_column_text (stmt, 2) : NULL;
      CnIdTitle *item;

      if (kinds != NULL && (kind == NULL || !g_strv_contains (kinds, kind)))
        continue;
      item = g_new0 (CnIdTitle, 1);
      item->id = dup_column (stmt, 0);
      item->title = dup_column (stmt, 1);
      g_ptr_array_add (items, item);
    }
  if (!step_done (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&items);
}

/**
 * cn_workflow_reader_titles:
 * @self: a reader
 * @collection: a collection
 * @communes_only: for units: only communes, towns and wards
 *
 * Returns: (transfer full) (element-type CnIdTitle) (nullable): the live records' ids and
 *   titles in title order, or %NULL with @error set
 */
GPtrArray *
cn_workflow_reader_titles (CnWorkflowReader  *self,
                           const char        *collection,
                           gboolean           communes_only,
                           GError           **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (collection != NULL, NULL);

  stmt = prepare (self,
                  communes_only
                  ? "SELECT r.id, r.title FROM records r"
                    " WHERE r.collection = ?1 AND r.deleted = 0 AND r.k1 IN ('commune', 'town', 'ward')"
                    " ORDER BY r.title_key, r.n"
                  : "SELECT r.id, r.title FROM records r"
                    " WHERE r.collection = ?1 AND r.deleted = 0"
                    " ORDER BY r.title_key, r.n", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_TRANSIENT);
  return step_titles (self, stmt, NULL, error);
}

/**
 * cn_workflow_reader_unit_titles:
 * @self: a reader
 * @kinds: (array zero-terminated=1): the kinds of unit wanted ("district", "commune"…)
 *
 * Returns: (transfer full) (element-type CnIdTitle) (nullable): the live units of those
 *   kinds, ids and titles in title order, or %NULL with @error set
 */
GPtrArray *
cn_workflow_reader_unit_titles (CnWorkflowReader  *self,
                                const char *const *kinds,
                                GError           **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (kinds != NULL, NULL);

  /* Units are a few hundred: their kinds are picked here rather than bound one by one. */
  stmt = prepare (self,
                  "SELECT r.id, r.title, r.k1 FROM records r"
                  " WHERE r.collection = 'unit' AND r.deleted = 0"
                  " ORDER BY r.title_key, r.n", error);
  if (stmt == NULL)
    return NULL;
  return step_titles (self, stmt, kinds, error);
}

/**
 * cn_workflow_reader_begin:
 * @self: a reader
 *
 * Starts a read transaction: the reads until cn_workflow_reader_end() see one state of the
 * store, even while a sync writes (an export's sessions, tasks and names agree). Not around
 * cn_workflow_reader_commune_summaries(), which has its own.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
cn_workflow_reader_begin (CnWorkflowReader  *self,
                          GError           **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (sqlite3_exec (self->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    {
      set_sql_error (self, error);
      return FALSE;
    }
  return TRUE;
}

/**
 * cn_workflow_reader_end:
 * @self: a reader
 *
 * Ends the read transaction cn_workflow_reader_begin() started.
 */
void
cn_workflow_reader_end (CnWorkflowReader *self)
{
  g_return_if_fail (self != NULL);

  /* A read transaction has nothing to commit: this only lets writers checkpoint past it. */
  sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
}

/* The records @stmt gives as (id, collection, data), in its order; finalizes @stmt. Only
 * what the exports read is kept: the record's id, collection and data. */
static GPtrArray *
step_records (CnWorkflowReader  *self,
              sqlite3_stmt      *stmt,
              GError           **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonObject) data = cn_store_parse_object ((const char *) sqlite3_column_text (stmt, 2));

      g_ptr_array_add (records, cn_record_new ((const char *) sqlite3_column_text (stmt, 1),
                                               (const char *) sqlite3_column_text (stmt, 0),
                                               0, FALSE, NULL, NULL, data));
    }
  if (!step_done (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&records);
}

/**
 * cn_workflow_reader_get:
 * @self: a reader
 * @id: a record id
 *
 * Returns: (transfer full) (nullable): the live record (its id, collection and data), or
 *   %NULL when there is none (@error unset) or it could not be read (@error set)
 */
CnRecord *
cn_workflow_reader_get (CnWorkflowReader  *self,
                        const char        *id,
                        GError           **error)
{
  g_autoptr(GPtrArray) records = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, NULL);

  if (id == NULL)
    return NULL;
  stmt = prepare (self,
                  "SELECT r.id, r.collection, d.data FROM records r JOIN record_data d ON d.n = r.n"
                  " WHERE r.id = ?1 AND r.deleted = 0", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  records = step_records (self, stmt, error);
  return records != NULL && records->len > 0 ? g_object_ref (g_ptr_array_index (records, 0)) : NULL;
}

/**
 * cn_workflow_reader_dup_title:
 * @self: a reader
 * @id: (nullable): a record id
 *
 * Returns: (transfer full): the live record's display title, or an empty string (also when
 *   it cannot be read: a name left out of an export, not a failed export)
 */
char *
cn_workflow_reader_dup_title (CnWorkflowReader *self,
                              const char       *id)
{
  char *title = NULL;
  const char *known;

  g_return_val_if_fail (self != NULL, NULL);

  if (id == NULL)
    return g_strdup ("");
  if (self->titles == NULL)
    self->titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  known = g_hash_table_lookup (self->titles, id);
  if (known != NULL)
    return g_strdup (known);
  if (self->title_stmt == NULL)
    self->title_stmt = prepare (self, "SELECT title FROM records WHERE id = ?1 AND deleted = 0", NULL);
  if (self->title_stmt == NULL)
    return g_strdup ("");
  sqlite3_bind_text (self->title_stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (self->title_stmt) == SQLITE_ROW)
    title = dup_column (self->title_stmt, 0);
  sqlite3_reset (self->title_stmt);
  if (title == NULL)
    title = g_strdup ("");
  g_hash_table_insert (self->titles, g_strdup (id), g_strdup (title));
  return title;
}

/**
 * cn_join_titles:
 * @ids: (nullable) (array zero-terminated=1): record ids
 * @title_of: gives the title of an id, "" for none
 * @user_data: for @title_of
 *
 * Returns: (transfer full): the titles of @ids in their order, those with none left out,
 *   joined by ", " ("Trần Quý, Bùi Huy Cường")
 */
char *
cn_join_titles (const char * const *ids,
                CnTitleFunc         title_of,
                gpointer            user_data)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      g_autofree char *name = title_of (user_data, ids[i]);

      if (name[0] == '\0')
        continue;
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, name);
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static char *
reader_title_cb (gpointer    user_data,
                 const char *id)
{
  return cn_workflow_reader_dup_title (user_data, id);
}

/**
 * cn_workflow_reader_dup_names:
 * @self: a reader
 * @record: a record
 * @field: a UUID-array field ("led_by", "leader_ids")
 *
 * Returns: (transfer full): the titles of the live records the field points to, as
 *   cn_join_titles() joins them
 */
char *
cn_workflow_reader_dup_names (CnWorkflowReader *self,
                              CnRecord         *record,
                              const char       *field)
{
  g_auto(GStrv) ids = cn_record_dup_strv (record, field);

  g_return_val_if_fail (self != NULL, NULL);

  return cn_join_titles ((const char * const *) ids, reader_title_cb, self);
}

/* The communes of the delegation ?N, for "r.k1 IN (…)". */
#define DELEGATION_COMMUNES(N) \
  "SELECT j.value FROM records g JOIN record_data gd ON gd.n = g.n," \
  "     json_each (gd.data, '$.commune_ids') j" \
  " WHERE g.id = ?" N " AND g.collection = 'delegation' AND g.deleted = 0"

/**
 * cn_workflow_reader_sessions:
 * @self: a reader
 * @delegation_id: (nullable): a delegation; %NULL for every session
 * @until: (nullable): the last date ("YYYY-MM-DD") wanted
 *
 * The working sessions of a delegation: those it is named in, and those in its communes
 * that name no delegation. Sessions with no date are kept.
 *
 * Returns: (transfer full) (element-type CnRecord) (nullable): the sessions by date, or
 *   %NULL with @error set
 */
GPtrArray *
cn_workflow_reader_sessions (CnWorkflowReader  *self,
                             const char        *delegation_id,
                             const char        *until,
                             GError           **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, NULL);

  /* visit: sort_date = date, k1 = commune_id, k2 = delegation_id */
  stmt = prepare (self,
                  "SELECT r.id, r.collection, d.data FROM records r JOIN record_data d ON d.n = r.n"
                  " WHERE r.collection = 'visit' AND r.deleted = 0"
                  "   AND (?1 IS NULL OR r.k2 = ?1"
                  "        OR (r.k2 IS NULL AND r.k1 IN (" DELEGATION_COMMUNES ("1") ")))"
                  "   AND (?2 IS NULL OR r.sort_date <= ?2)"
                  " ORDER BY r.sort_date, r.n", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, delegation_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, until, -1, SQLITE_TRANSIENT);
  return step_records (self, stmt, error);
}

/**
 * cn_workflow_reader_tasks:
 * @self: a reader
 * @selection: which tasks
 *
 * Returns: (transfer full) (element-type CnRecord) (nullable): the tasks by due date (those
 *   with none first), as a task board column orders them, or %NULL with @error set
 */
GPtrArray *
cn_workflow_reader_tasks (CnWorkflowReader       *self,
                          const CnTaskSelection  *selection,
                          GError                **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (selection != NULL, NULL);

  /* task: sort_date = due_on, k1 = commune_id, k2 = owner_id, k3 = status */
  stmt = prepare (self,
                  "SELECT r.id, r.collection, d.data FROM records r JOIN record_data d ON d.n = r.n"
                  " WHERE r.collection = 'task' AND r.deleted = 0"
                  "   AND (?1 IS NULL OR r.k3 = ?1)"
                  "   AND (?2 IS NULL OR r.k1 = ?2)"
                  "   AND (?3 IS NULL OR r.k2 = ?3)"
                  "   AND (?4 = 0 OR r.k1 IN (" DELEGATION_COMMUNES ("5") ")"
                  "        OR json_extract (d.data, '$.source_id') = ?6)"
                  " ORDER BY r.sort_date, r.n", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, selection->status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, selection->commune_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, selection->owner_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, selection->in_delegation ? 1 : 0);
  sqlite3_bind_text (stmt, 5, selection->delegation_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, selection->source_id, -1, SQLITE_TRANSIENT);
  return step_records (self, stmt, error);
}
