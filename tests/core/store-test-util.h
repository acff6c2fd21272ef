/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Small helpers shared by the store tests: a temporary data directory and JSON objects. */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cn-record.h"
#include "cn-store.h"

typedef struct {
  char    *dir;
  char    *path;
  CnStore *store;
} StoreFixture;

static inline void
rm_rf (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL &&
         (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        rm_rf (child);
      else
        g_unlink (child);
      g_object_unref (info);
    }
  g_rmdir (path);
}

static inline void
store_fixture_set_up (StoreFixture  *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("caunoi-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "caunoi", "caunoi.db", NULL);
  fixture->store = cn_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
}

static inline void
store_fixture_tear_down (StoreFixture  *fixture,
                         gconstpointer  data)
{
  g_clear_object (&fixture->store);
  rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static inline JsonObject *
json_object_from (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static inline void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static inline CnRecord *
put_json (CnStore     *store,
          const char  *collection,
          const char  *id,
          const char  *json,
          GError     **error)
{
  g_autoptr(JsonObject) data = json_object_from (json);

  return cn_store_put (store, collection, id, data, error);
}

static inline CnRecord *
patch_json (CnStore     *store,
            const char  *id,
            const char  *json,
            GError     **error)
{
  g_autoptr(JsonObject) fields = json_object_from (json);

  return cn_store_patch (store, id, fields, error);
}
