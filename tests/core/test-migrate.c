/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sqlite3.h>

#include "caunoi-core.h"
#include "store-test-util.h"

#define ARTICLE_ID  "0b5f3c1e-6d2a-4f7b-9c1d-2e3f4a5b6c7d"
#define DOCUMENT_ID "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"
#define TASK_ID     "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"

typedef struct {
  char *dir;
  char *path;
} MigrateFixture;

static void
run_sql_file (const char *db_path,
              const char *sql_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;
  char *message = NULL;

  g_file_get_contents (sql_path, &sql, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql_path, message);
  sqlite3_close (db);
}

static void
migrate_set_up (MigrateFixture *fixture,
                gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *fixture_sql = g_build_filename (g_getenv ("CAUNOI_SOURCE_DIR"), "tests",
                                                   "core", "store-v1.sql", NULL);

  g_assert_nonnull (g_getenv ("CAUNOI_SOURCE_DIR"));
  fixture->dir = g_dir_make_tmp ("caunoi-migrate-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "caunoi.db", NULL);
  run_sql_file (fixture->path, fixture_sql);
}

static void
migrate_tear_down (MigrateFixture *fixture,
                   gconstpointer   data)
{
  rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static void
test_from_v1 (MigrateFixture *fixture,
              gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnStore) store = cn_store_open (fixture->path, &error);
  g_autoptr(CnRecord) article = NULL;
  g_autoptr(CnRecord) task = NULL;
  g_autoptr(CnRecord) base = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(CnQuery) query = cn_query_new ("document");
  g_autofree char *client_id = NULL;
  g_autofree char *cursor = NULL;
  CnOutboxEntry *entry;

  g_assert_no_error (error);
  g_assert_cmpint (cn_store_get_schema_version (store), ==, CN_STORE_SCHEMA_VERSION);

  /* The data is intact… */
  article = cn_store_get (store, ARTICLE_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cn_record_get_rev (article), ==, 4);
  g_assert_cmpstr (cn_record_get_string (article, "author"), ==, "Mạnh Hà");
  g_assert_cmpstr (cn_record_get_updated_by (article), ==, "editor");
  client_id = cn_store_dup_meta (store, CN_STORE_META_CLIENT_ID);
  g_assert_cmpstr (client_id, ==, "7d0c1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f");
  cursor = cn_store_dup_meta (store, CN_STORE_META_CURSOR);
  g_assert_cmpstr (cursor, ==, "120");

  /* …the unsent edit and its base copy too… */
  outbox = cn_store_list_outbox (store, FALSE, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 1);
  entry = g_ptr_array_index (outbox, 0);
  g_assert_cmpstr (entry->mutation_id, ==, "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b");
  g_assert_cmpint (entry->base_rev, ==, 7);
  g_assert_cmpstr (json_object_get_string_member (entry->data, "status"), ==, "in_progress");
  task = cn_store_get (store, TASK_ID, &error);
  g_assert_true (cn_store_has_local_changes (store, TASK_ID));
  base = cn_store_get_base (store, TASK_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cn_record_get_string (base, "status"), ==, "open");

  /* …and what version 2 added works on it: search and the indexed list columns. */
  hits = cn_store_search (store, "nong thon moi", NULL, 10, "[", "]", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((CnSearchHit *) g_ptr_array_index (hits, 0))->id, ==, ARTICLE_ID);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = cn_store_search (store, "duong", NULL, 10, "[", "]", &error);
  g_assert_cmpuint (hits->len, ==, 1);

  cn_query_add_filter (query, "field", CN_QUERY_EQ, "OCOP");
  documents = cn_store_query (store, query, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (documents->len, ==, 1);
  g_assert_cmpstr (cn_record_get_id (g_ptr_array_index (documents, 0)), ==, DOCUMENT_ID);

  /* A migrated store keeps working: an edit goes through the whole path. */
  {
    g_autoptr(CnRecord) edited = patch_json (store, ARTICLE_ID, "{\"category\": \"OCOP\"}",
                                             &error);
    g_autoptr(CnRecord) article_base = NULL;

    g_assert_no_error (error);
    g_assert_nonnull (edited);
    article_base = cn_store_get_base (store, ARTICLE_ID, &error);
    g_assert_no_error (error);
    g_assert_cmpint (cn_record_get_rev (article_base), ==, 4);
  }
}

static void
test_reopen_is_stable (MigrateFixture *fixture,
                       gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnStore) first = cn_store_open (fixture->path, &error);
  g_autoptr(CnStore) second = NULL;
  g_autoptr(GPtrArray) hits = NULL;

  g_assert_no_error (error);
  g_clear_object (&first);
  second = cn_store_open (fixture->path, &error);
  g_assert_no_error (error);
  hits = cn_store_search (second, "cau noi", NULL, 10, "", "", &error);
  g_assert_no_error (error);
  /* Migrating once only: the index holds the article once. */
  g_assert_cmpuint (hits->len, ==, 1);
}

static void
test_newer_schema_refused (MigrateFixture *fixture,
                           gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnStore) store = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);

  store = cn_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, CN_ERROR, CN_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, "newer"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/migrate/from-v1", MigrateFixture, NULL, migrate_set_up, test_from_v1,
              migrate_tear_down);
  g_test_add ("/migrate/reopen-is-stable", MigrateFixture, NULL, migrate_set_up,
              test_reopen_is_stable, migrate_tear_down);
  g_test_add ("/migrate/newer-schema-refused", MigrateFixture, NULL, migrate_set_up,
              test_newer_schema_refused, migrate_tear_down);

  return g_test_run ();
}
