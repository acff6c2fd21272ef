/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-server"

#include "config.h"

#include "cn-schema.h"
#include "cn-server-scope.h"

static char *
owner_of_record (CnServerDb  *db,
                 const char  *collection,
                 const char  *id,
                 GError     **error)
{
  g_autoptr(CnServerStmt) stmt = NULL;
  int rc;

  stmt = cn_server_db_prepare_keyed (db,
                                     "SELECT owner_unit FROM records "
                                     "WHERE collection = ? AND id = ?", collection, id, error);
  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    cn_server_db_set_error (db, error);
  return NULL;
}

/* A string member, or NULL when it is missing or anything but a string (tombstones may
 * carry data that were never validated). */
static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

char *
cn_server_scope_owner_unit (CnServerDb  *db,
                            const char  *collection,
                            const char  *id,
                            JsonObject  *data,
                            GError     **error)
{
  const CnCollection *info = cn_schema_lookup (collection);
  const CnField *field;
  const char *value;

  if (info == NULL || data == NULL)
    return NULL;

  if (g_str_equal (collection, "unit"))
    return g_strdup (id);
  if (g_str_equal (collection, "person"))
    return g_strdup (string_member (data, "unit_id"));
  if (info->kind == CN_COLLECTION_REFERENCE || info->scope_field == NULL)
    return NULL;

  field = cn_collection_lookup_field (info, info->scope_field);
  value = string_member (data, info->scope_field);
  if (value == NULL && g_str_equal (collection, "task"))
    {
      /* A task without a commune belongs where the visit or report it came from does. */
      field = cn_collection_lookup_field (info, "source_id");
      value = string_member (data, "source_id");
    }
  if (field == NULL || value == NULL)
    return NULL;

  if (field->targets == NULL || field->targets[0] == NULL ||
      g_str_equal (field->targets[0], "unit"))
    return g_strdup (value);

  /* The record shares the unit of the record it points at. */
  for (guint i = 0; field->targets[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      char *owner = owner_of_record (db, field->targets[i], value, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (owner != NULL)
        return owner;
    }
  return NULL;
}

GHashTable *
cn_server_scope_units (CnServerDb    *db,
                       CnServerUser  *user,
                       GError       **error)
{
  g_autoptr(GHashTable) units = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) children = NULL;
  g_autoptr(CnServerStmt) stmt = NULL;
  g_autoptr(GQueue) queue = NULL;
  GHashTable *cached;
  guint64 version;
  int rc;

  if (user->unit_id == NULL || user->role == CN_ROLE_ADMIN)
    return g_steal_pointer (&units);

  /* Every push and every pull needs it; units change rarely (see cn-server-db.h). */
  cached = cn_server_db_scope_lookup (db, user->unit_id);
  if (cached != NULL)
    return g_hash_table_ref (cached);
  version = cn_server_db_units_version (db);

  children = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify) g_ptr_array_unref);
  stmt = cn_server_db_prepare (db,
                               "SELECT id, json_extract (data, '$.parent_id') FROM records "
                               "WHERE collection = 'unit' AND deleted = 0", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      const char *parent = (const char *) sqlite3_column_text (stmt, 1);
      GPtrArray *list;

      if (parent == NULL)
        continue;
      list = g_hash_table_lookup (children, parent);
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (children, g_strdup (parent), list);
        }
      g_ptr_array_add (list, g_strdup (id));
    }
  if (rc != SQLITE_DONE)
    {
      cn_server_db_set_error (db, error);
      return NULL;
    }

  /* Breadth first from the scope unit; the set also guards against a cycle of parents. */
  queue = g_queue_new ();
  g_hash_table_add (units, g_strdup (user->unit_id));
  g_queue_push_tail (queue, user->unit_id);
  while (!g_queue_is_empty (queue))
    {
      const char *unit = g_queue_pop_head (queue);
      GPtrArray *list = g_hash_table_lookup (children, unit);

      for (guint i = 0; list != NULL && i < list->len; i++)
        {
          const char *child = g_ptr_array_index (list, i);
          if (g_hash_table_add (units, g_strdup (child)))
            g_queue_push_tail (queue, (gpointer) child);
        }
    }
  cn_server_db_scope_insert (db, version, user->unit_id, units);
  return g_steal_pointer (&units);
}

gboolean
cn_server_scope_contains (CnServerUser *user,
                          GHashTable   *scope_units,
                          const char   *owner_unit)
{
  if (user->role == CN_ROLE_ADMIN)
    return TRUE;
  return owner_unit != NULL && g_hash_table_contains (scope_units, owner_unit);
}

gboolean
cn_server_scope_may_write (CnServerUser *user,
                           GHashTable   *scope_units,
                           const char   *collection,
                           const char   *owner_unit)
{
  if (user->disabled)
    return FALSE;
  if (!cn_schema_can_write (collection, cn_role_to_string (user->role)))
    return FALSE;
  if (user->role == CN_ROLE_ADMIN)
    return TRUE;
  /* Reference collections other than person are written province-wide by their writers;
   * people and workflow records only inside the writer's scope. */
  if (cn_schema_is_reference (collection) && !g_str_equal (collection, "person"))
    return TRUE;
  return cn_server_scope_contains (user, scope_units, owner_unit);
}
