/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cn-error.h"
#include "cn-record.h"
#include "cn-schema.h"
#include "cn-server-feeds.h"
#include "cn-server-files.h"
#include "cn-server-import.h"
#include "cn-server-records.h"

static char *
item_hash (CnRssItem *item)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  g_autofree char *keyed = NULL;

  json_node_set_object (node, item->data);
  text = json_to_string (node, FALSE);
  keyed = g_strconcat (item->guid, "\n", text, NULL);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, keyed, -1);
}

/* FALSE with no error: not imported before. */
static gboolean
lookup_feed_item (CnServerDb  *db,
                  CnRssItem   *item,
                  char       **hash,
                  char       **updated_by,
                  GError     **error)
{
  g_autoptr(CnServerStmt) stmt = NULL;
  int rc;

  stmt = cn_server_db_prepare_keyed (db,
                                     "SELECT f.item_hash, r.updated_by FROM feed_items f "
                                     "LEFT JOIN records r ON r.collection = f.collection "
                                     "                   AND r.id = f.id "
                                     "WHERE f.collection = ? AND f.id = ?",
                                     item->collection, item->id, error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *hash = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      *updated_by = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    cn_server_db_set_error (db, error);
  return FALSE;
}

static gboolean
remember_feed_item (CnServerDb  *db,
                    CnRssItem   *item,
                    const char  *hash,
                    GError     **error)
{
  g_autoptr(CnServerStmt) stmt = NULL;

  stmt = cn_server_db_prepare_keyed (db,
                                     "INSERT INTO feed_items (collection, id, guid, item_hash) "
                                     "VALUES (?, ?, ?, ?) ON CONFLICT (collection, id) "
                                     "DO UPDATE SET guid = excluded.guid, "
                                     "              item_hash = excluded.item_hash",
                                     item->collection, item->id, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 3, item->guid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, hash, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return cn_server_db_set_error (db, error);
  return TRUE;
}

/* Downloads an article's thumbnail into the store and lists it in images[]. */
static gboolean
attach_image (CnRssItem   *item,
              const char  *files_dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) picture = NULL;
  g_autofree char *type = NULL;
  g_autofree char *sha256 = NULL;
  JsonObject *image;
  JsonArray *images;

  if (json_object_has_member (item->data, "images"))
    return FALSE;
  picture = cn_server_fetch (item->image_url, CN_SERVER_MAX_IMAGE_SIZE, &type, NULL, &error);
  if (picture != NULL && (type == NULL || !g_str_has_prefix (type, "image/")))
    g_set_error (&error, CN_ERROR, CN_ERROR_FEED, _("%s is not a picture (%s)"),
                 item->image_url, type ? type : "?");
  if (error == NULL)
    {
      sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, picture);
      cn_server_files_store (files_dir, sha256, picture, NULL, &error);
    }
  if (error != NULL)
    {
      g_message ("feed item %s: picture left out: %s", item->guid, error->message);
      return FALSE;
    }

  image = json_object_new ();
  json_object_set_string_member (image, "sha256", sha256);
  images = json_array_new ();
  json_array_add_object_element (images, image);
  json_object_set_array_member (item->data, "images", images);
  return TRUE;
}

/* Whether @item must be written, and how it counts; FALSE with @error on a store error. */
typedef enum { ITEM_NEW, ITEM_CHANGED, ITEM_UNCHANGED, ITEM_EDITED } ItemState;

static gboolean
classify_item (CnServerDb  *db,
               CnRssItem   *item,
               const char  *hash,
               ItemState   *state,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *old_hash = NULL;
  g_autofree char *updated_by = NULL;

  if (!lookup_feed_item (db, item, &old_hash, &updated_by, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      *state = ITEM_NEW;
    }
  else if (g_strcmp0 (old_hash, hash) == 0)
    *state = ITEM_UNCHANGED;
  else if (updated_by != NULL && !g_str_equal (updated_by, CN_SERVER_IMPORT_USER))
    *state = ITEM_EDITED;  /* an editor changed (or deleted) the record: their version wins */
  else
    *state = ITEM_CHANGED;
  return TRUE;
}

gboolean
cn_server_import_feed (CnServerDb           *db,
                       const char           *files_dir,
                       const char           *data,
                       gsize                 len,
                       CnFeedKind            kind,
                       CnServerImportStats  *stats,
                       GError              **error)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  CnServerImportStats counts = { 0 };

  if (!cn_rss_parse (data, len, kind, &items, error))
    return FALSE;

  /* The hash is of the item as the site publishes it, before a picture is added. */
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (hashes, item_hash (g_ptr_array_index (items, i)));

  /* Pictures are fetched before the transaction, and only for items that will be written,
   * so that the database is never locked while a website answers slowly. */
  if (files_dir != NULL)
    {
      for (guint i = 0; i < items->len; i++)
        {
          CnRssItem *item = g_ptr_array_index (items, i);
          ItemState state;

          if (item->image_url == NULL)
            continue;
          if (!classify_item (db, item, g_ptr_array_index (hashes, i), &state, error))
            return FALSE;
          if ((state == ITEM_NEW || state == ITEM_CHANGED) && attach_image (item, files_dir))
            counts.images++;
        }
    }

  if (!cn_server_db_begin (db, error))
    return FALSE;

  for (guint i = 0; i < items->len; i++)
    {
      CnRssItem *item = g_ptr_array_index (items, i);
      const char *hash = g_ptr_array_index (hashes, i);
      g_autoptr(GError) local_error = NULL;
      ItemState state;

      if (!classify_item (db, item, hash, &state, error))
        goto fail;

      switch (state)
        {
        case ITEM_UNCHANGED:
          counts.unchanged++;
          continue;
        case ITEM_EDITED:
          counts.kept++;
          if (!remember_feed_item (db, item, hash, error))
            goto fail;
          continue;
        case ITEM_NEW:
        case ITEM_CHANGED:
        default:
          break;
        }

      if (!cn_server_records_upsert (db, item->collection, item->id, item->data, FALSE,
                                     CN_SERVER_IMPORT_USER, NULL, &local_error))
        {
          g_set_error (error, CN_ERROR, CN_ERROR_FEED,
                       _("The feed item “%s” cannot be imported: %s"), item->guid,
                       local_error->message);
          goto fail;
        }
      if (!remember_feed_item (db, item, hash, error))
        goto fail;
      if (state == ITEM_CHANGED)
        counts.updated++;
      else
        counts.added++;
    }

  if (!cn_server_db_commit (db, error))
    return FALSE;
  if (stats != NULL)
    *stats = counts;
  return TRUE;

fail:
  cn_server_db_rollback (db);
  return FALSE;
}

char *
cn_server_find_sample (GError **error)
{
  const char *source_dir = g_getenv ("CAUNOI_SOURCE_DIR");
  g_autofree char *from_env = NULL;
  g_autofree char *installed = g_build_filename (PKGDATADIR, "sample", "caunoi-sample.json", NULL);
  g_autofree char *from_source = g_build_filename (SOURCE_DATADIR, "sample", "caunoi-sample.json",
                                                   NULL);

  if (source_dir != NULL && *source_dir != '\0')
    {
      from_env = g_build_filename (source_dir, "data", "sample", "caunoi-sample.json", NULL);
      if (g_file_test (from_env, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&from_env);
    }
  if (g_file_test (installed, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&installed);
  if (g_file_test (from_source, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&from_source);

  g_set_error (error, CN_ERROR, CN_ERROR_NOT_FOUND,
               _("The sample data (caunoi-sample.json) is not installed: looked in %s and %s"),
               installed, from_source);
  return NULL;
}

static gboolean
import_sample_files (const char  *files_dir,
                     const char  *sample_dir,
                     guint       *n_files,
                     GError     **error)
{
  g_autofree char *dir_path = g_build_filename (sample_dir, "files", NULL);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (dir_path, G_FILE_TEST_IS_DIR))
    return TRUE;
  dir = g_dir_open (dir_path, 0, error);
  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *sha256 = NULL;

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) || name[0] == '.')
        continue;
      sha256 = cn_server_files_import (files_dir, path, error);
      if (sha256 == NULL)
        return FALSE;
      (*n_files)++;
    }
  return TRUE;
}

gboolean
cn_server_load_sample (CnServerDb   *db,
                       const char   *files_dir,
                       const char   *sample_path,
                       guint        *n_records,
                       guint        *n_files,
                       GError      **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *sample_dir = g_path_get_dirname (sample_path);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) records = NULL;
  JsonNode *list;
  gsize len;

  *n_records = 0;
  *n_files = 0;

  if (!g_file_get_contents (sample_path, &contents, &len, &local_error))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_NOT_FOUND, _("Could not read %s: %s"),
                   sample_path, local_error->message);
      return FALSE;
    }
  root = cn_json_parse_checked (contents, (gssize) len, &local_error);
  if (root == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID, _("%s is not valid JSON: %s"),
                   sample_path, local_error->message);
      return FALSE;
    }
  /* Either an array of records or an object holding one in "records". */
  list = root;
  if (JSON_NODE_HOLDS_OBJECT (root) &&
      json_object_has_member (json_node_get_object (root), "records"))
    list = json_object_get_member (json_node_get_object (root), "records");
  records = cn_record_array_from_json (list, &local_error);
  if (records == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID, _("%s holds an invalid record: %s"),
                   sample_path, local_error->message);
      return FALSE;
    }

  /* Files first: a record never points at a file the store does not have. */
  if (!import_sample_files (files_dir, sample_dir, n_files, error))
    return FALSE;

  if (!cn_server_db_begin (db, error))
    return FALSE;

  /* Collection by collection in schema order (units, people, … delegations before their
   * reports, tasks before their events), so that every record finds the one that places it
   * in a unit. */
  for (const char * const *collection = cn_schema_collections (); *collection; collection++)
    {
      for (guint i = 0; i < records->len; i++)
        {
          CnRecord *record = g_ptr_array_index (records, i);
          gboolean changed = FALSE;

          if (!g_str_equal (cn_record_get_collection (record), *collection))
            continue;
          if (!cn_server_records_upsert (db, cn_record_get_collection (record),
                                         cn_record_get_id (record), cn_record_get_data (record),
                                         cn_record_get_deleted (record), CN_SERVER_SAMPLE_USER,
                                         &changed, &local_error))
            {
              g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                           _("The sample record %s/%s cannot be loaded: %s"),
                           cn_record_get_collection (record), cn_record_get_id (record),
                           local_error->message);
              cn_server_db_rollback (db);
              return FALSE;
            }
          if (changed)
            (*n_records)++;
        }
    }

  return cn_server_db_commit (db, error);
}
