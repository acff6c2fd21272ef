/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include "caunoi-core.h"
#include "store-test-util.h"

#define ARTICLE_ID "0b5f3c1e-6d2a-4f7b-9c1d-2e3f4a5b6c7d"
#define TASK_ID    "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"

static CnRecord *
server_record (const char *collection,
               const char *id,
               gint64      rev,
               const char *json)
{
  g_autoptr(JsonObject) data = json_object_from (json);

  return cn_record_new (collection, id, rev, FALSE, "2015-07-01T16:20:00Z", "editor", data);
}

static GPtrArray *
one_record (CnRecord *record)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (array, record);
  return array;
}

static CnStoreCounts
counts (CnStore *store)
{
  g_autoptr(GError) error = NULL;
  CnStoreCounts c = { 0 };

  g_assert_true (cn_store_get_counts (store, &c, &error));
  g_assert_no_error (error);
  return c;
}

static char *
sql_text (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return result;
}

static void
test_open (StoreFixture  *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnStore) again = NULL;
  g_autofree char *client_id = cn_store_dup_meta (fixture->store, CN_STORE_META_CLIENT_ID);
  g_autofree char *client_id2 = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  GStatBuf st;

  g_assert_cmpint (cn_store_get_schema_version (fixture->store), ==, CN_STORE_SCHEMA_VERSION);
  g_assert_true (cn_schema_is_valid_uuid (client_id));

  /* Private: the database holds the user's unsent work. */
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  mode = sql_text (fixture->path, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");

  again = cn_store_open (fixture->path, &error);
  g_assert_no_error (error);
  client_id2 = cn_store_dup_meta (again, CN_STORE_META_CLIENT_ID);
  g_assert_cmpstr (client_id, ==, client_id2);
}

static void
test_open_default_path (void)
{
  g_autofree char *path = cn_store_dup_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "caunoi", "caunoi.db",
                                                NULL);

  g_assert_cmpstr (path, ==, expected);
}

static void
test_open_bad_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("caunoi-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "caunoi.db", NULL);
  g_autoptr(CnStore) store = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, "this is not a database, just some text padding "
                                      "it to more than a header's length of one hundred "
                                      "bytes so SQLite reads it.", -1, NULL));
  store = cn_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, CN_ERROR, CN_ERROR_STORE);
  rm_rf (dir);
}

static gpointer
open_in_thread (gpointer path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnStore) store = cn_store_open (path, &error);

  g_assert_no_error (error);
  return cn_store_dup_meta (store, CN_STORE_META_CLIENT_ID);
}

static void
test_open_concurrently (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("caunoi-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "caunoi.db", NULL);
  GThread *threads[4];
  char *ids[4];

  /* Four first runs at once: one migrates, the others wait and agree on the client id. */
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("open", open_in_thread, path);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    ids[i] = g_thread_join (threads[i]);
  for (guint i = 1; i < G_N_ELEMENTS (threads); i++)
    g_assert_cmpstr (ids[i], ==, ids[0]);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_free (ids[i]);
  rm_rf (dir);
}

static void
test_put_get (StoreFixture  *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = json_object_from (
    "{\"title\": \"Cầu nối giữa cấp ủy huyện và cơ sở\", \"author\": \"Mạnh Hà\"}");
  g_autoptr(CnRecord) record = NULL;
  g_autoptr(CnRecord) read = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  CnOutboxEntry *entry;

  cn_store_set_meta (fixture->store, CN_STORE_META_USER, "hoa", &error);
  g_assert_no_error (error);

  record = cn_store_put (fixture->store, "article", NULL, fields, &error);
  g_assert_no_error (error);
  g_assert_true (cn_schema_is_valid_uuid (cn_record_get_id (record)));
  g_assert_cmpint (cn_record_get_rev (record), ==, 0);
  g_assert_cmpstr (cn_record_get_updated_by (record), ==, "hoa");
  g_assert_true (cn_time_is_utc_rfc3339 (cn_record_get_updated_at (record)));

  read = cn_store_get (fixture->store, cn_record_get_id (record), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cn_record_get_string (read, "title"), ==, "Cầu nối giữa cấp ủy huyện và cơ sở");
  g_assert_cmpstr (cn_record_get_string (read, "author"), ==, "Mạnh Hà");
  g_assert_true (cn_store_has_local_changes (fixture->store, cn_record_get_id (record)));

  outbox = cn_store_list_outbox (fixture->store, FALSE, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 1);
  entry = g_ptr_array_index (outbox, 0);
  g_assert_cmpstr (entry->id, ==, cn_record_get_id (record));
  g_assert_cmpstr (entry->collection, ==, "article");
  g_assert_cmpstr (entry->op, ==, "put");
  g_assert_cmpint (entry->base_rev, ==, 0);
  g_assert_true (cn_schema_is_valid_uuid (entry->mutation_id));
  g_assert_cmpint (entry->state, ==, CN_OUTBOX_PENDING);
  g_assert_cmpstr (json_object_get_string_member (entry->data, "title"), ==,
                   "Cầu nối giữa cấp ủy huyện và cơ sở");

  /* A record made here has no server version to keep. */
  g_assert_null (cn_store_get_base (fixture->store, cn_record_get_id (record), &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_null (cn_store_get (fixture->store, ARTICLE_ID, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_NOT_FOUND);
}

static void
test_put_invalid (StoreFixture  *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) unknown = json_object_from ("{\"title\": \"x\", \"colour\": \"red\"}");
  g_autoptr(JsonObject) missing = json_object_from ("{\"lead\": \"no title\"}");
  g_autoptr(JsonObject) good = json_object_from ("{\"title\": \"x\"}");
  g_autoptr(CnRecord) task = NULL;

  g_assert_null (cn_store_put (fixture->store, "article", NULL, unknown, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_UNKNOWN_FIELD);
  g_assert_nonnull (strstr (error->message, "colour"));
  g_clear_error (&error);

  g_assert_null (cn_store_put (fixture->store, "article", NULL, missing, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_null (cn_store_put (fixture->store, "newspaper", NULL, good, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_null (cn_store_put (fixture->store, "article", "not-a-uuid", good, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_INVALID);
  g_clear_error (&error);

  /* An id of another collection is not silently turned into an article. */
  task = put_json (fixture->store, "task", TASK_ID, "{\"title\": \"t\", \"status\": \"open\"}",
                   &error);
  g_assert_no_error (error);
  g_assert_null (cn_store_put (fixture->store, "article", TASK_ID, good, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_INVALID);

  /* Nothing of the failed edits was written. */
  g_assert_cmpuint (counts (fixture->store).pending, ==, 1);
  g_assert_cmpuint (counts (fixture->store).records, ==, 1);
}

static void
test_patch (StoreFixture  *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnRecord) record = NULL;
  g_autoptr(CnRecord) patched = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(JsonObject) bad = NULL;
  const char *id;

  record = put_json (fixture->store, "article", NULL, "{\"title\": \"Cũ\", \"lead\": \"Sapo\", "
                                           "\"category\": \"NTM\"}", &error);
  g_assert_no_error (error);
  id = cn_record_get_id (record);

  fields = json_object_from ("{\"title\": \"Mới\", \"category\": null}");
  patched = cn_store_patch (fixture->store, id, fields, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cn_record_get_string (patched, "title"), ==, "Mới");
  g_assert_cmpstr (cn_record_get_string (patched, "lead"), ==, "Sapo");
  g_assert_false (json_object_has_member (cn_record_get_data (patched), "category"));
  g_assert_cmpuint (counts (fixture->store).pending, ==, 2);

  bad = json_object_from ("{\"colour\": \"red\"}");
  g_assert_null (cn_store_patch (fixture->store, id, bad, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_UNKNOWN_FIELD);
  g_clear_error (&error);
  g_assert_cmpuint (counts (fixture->store).pending, ==, 2);

  g_assert_null (cn_store_patch (fixture->store, ARTICLE_ID, fields, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_NOT_FOUND);
}

static void
test_delete (StoreFixture  *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnRecord) record = NULL;
  g_autoptr(CnRecord) tombstone = NULL;
  g_autoptr(CnQuery) query = cn_query_new ("article");
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  CnOutboxEntry *last;

  record = put_json (fixture->store, "article", NULL, "{\"title\": \"Bài sẽ xóa\"}", &error);
  g_assert_no_error (error);
  g_assert_true (cn_store_delete (fixture->store, cn_record_get_id (record), &error));
  g_assert_no_error (error);

  tombstone = cn_store_get (fixture->store, cn_record_get_id (record), &error);
  g_assert_no_error (error);
  g_assert_true (cn_record_get_deleted (tombstone));

  listed = cn_store_query (fixture->store, query, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 0);

  outbox = cn_store_list_outbox (fixture->store, FALSE, 0, &error);
  g_assert_cmpuint (outbox->len, ==, 2);
  last = g_ptr_array_index (outbox, 1);
  g_assert_cmpstr (last->op, ==, "delete");
  g_assert_null (last->data);

  g_assert_false (cn_store_delete (fixture->store, cn_record_get_id (record), &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_NOT_FOUND);
}

static void
test_pull_and_push (StoreFixture  *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(CnRecord) base = NULL;
  g_autoptr(CnRecord) current = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *first_mutation = NULL;
  g_autofree char *second_mutation = NULL;
  CnPullStats stats;
  CnOutboxEntry *entry;

  page = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (page, server_record ("article", ARTICLE_ID, 5, "{\"title\": \"Bản 5\"}"));
  g_ptr_array_add (page, server_record ("task", TASK_ID, 2,
                                        "{\"title\": \"Làm đường\", \"status\": \"open\"}"));
  g_assert_true (cn_store_apply_pull_page (fixture->store, page, "42", &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.applied, ==, 2);
  cursor = cn_store_dup_meta (fixture->store, CN_STORE_META_CURSOR);
  g_assert_cmpstr (cursor, ==, "42");
  g_assert_cmpuint (counts (fixture->store).pending, ==, 0);
  g_assert_false (cn_store_has_local_changes (fixture->store, ARTICLE_ID));

  /* The same page again changes nothing. */
  g_assert_true (cn_store_apply_pull_page (fixture->store, page, "42", &stats, &error));
  g_assert_cmpuint (stats.applied, ==, 0);
  g_assert_cmpuint (stats.skipped, ==, 2);

  /* Two edits: the base copy is the server's rev 5, both entries start from it. */
  g_clear_object (&current);
  current = patch_json (fixture->store, ARTICLE_ID, "{\"title\": \"Sửa 1\"}", &error);
  g_assert_no_error (error);
  g_clear_object (&current);
  current = patch_json (fixture->store, ARTICLE_ID, "{\"title\": \"Sửa 2\"}", &error);
  g_assert_no_error (error);

  base = cn_store_get_base (fixture->store, ARTICLE_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cn_record_get_rev (base), ==, 5);
  g_assert_cmpstr (cn_record_get_string (base, "title"), ==, "Bản 5");

  outbox = cn_store_list_outbox (fixture->store, FALSE, 0, &error);
  g_assert_cmpuint (outbox->len, ==, 2);
  entry = g_ptr_array_index (outbox, 0);
  g_assert_cmpint (entry->base_rev, ==, 5);
  first_mutation = g_strdup (entry->mutation_id);
  second_mutation = g_strdup (((CnOutboxEntry *) g_ptr_array_index (outbox, 1))->mutation_id);

  /* The server applies the first: the second now builds on rev 6. */
  g_assert_true (cn_store_mark_applied (fixture->store, first_mutation, 6, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&outbox, g_ptr_array_unref);
  outbox = cn_store_list_outbox (fixture->store, FALSE, 0, &error);
  g_assert_cmpuint (outbox->len, ==, 1);
  g_assert_cmpint (((CnOutboxEntry *) g_ptr_array_index (outbox, 0))->base_rev, ==, 6);
  g_clear_object (&base);
  base = cn_store_get_base (fixture->store, ARTICLE_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cn_record_get_rev (base), ==, 6);
  g_assert_cmpstr (cn_record_get_string (base, "title"), ==, "Sửa 1");

  /* Marking an unknown mutation is an error, not a silent success. */
  g_assert_false (cn_store_mark_applied (fixture->store, first_mutation, 6, NULL, NULL, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (cn_store_mark_applied (fixture->store, second_mutation, 7,
                                        "2026-01-01T00:00:00Z", "hoa", &error));
  g_assert_no_error (error);
  g_clear_object (&current);
  current = cn_store_get (fixture->store, ARTICLE_ID, &error);
  g_assert_cmpint (cn_record_get_rev (current), ==, 7);
  g_assert_cmpstr (cn_record_get_string (current, "title"), ==, "Sửa 2");
  g_assert_cmpstr (cn_record_get_updated_by (current), ==, "hoa");
  g_assert_false (cn_store_has_local_changes (fixture->store, ARTICLE_ID));
  g_assert_null (cn_store_get_base (fixture->store, ARTICLE_ID, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (counts (fixture->store).pending, ==, 0);

  /* A pull of our own change (rev 7) is not newer: skipped. */
  g_clear_pointer (&page, g_ptr_array_unref);
  page = one_record (server_record ("article", ARTICLE_ID, 7, "{\"title\": \"Sửa 2\"}"));
  g_assert_true (cn_store_apply_pull_page (fixture->store, page, "43", &stats, &error));
  g_assert_cmpuint (stats.skipped, ==, 1);
}

static void
prepare_conflict (CnStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(CnRecord) mine = NULL;
  g_autoptr(CnRecord) theirs = NULL;
  g_autoptr(CnRecord) kept = NULL;
  CnPullStats stats;
  const char * const fields[] = { "title", NULL };

  page = one_record (server_record ("article", ARTICLE_ID, 5,
                                    "{\"title\": \"Gốc\", \"lead\": \"Sapo\"}"));
  g_assert_true (cn_store_apply_pull_page (store, page, "1", NULL, &error));
  g_assert_no_error (error);
  mine = patch_json (store, ARTICLE_ID, "{\"title\": \"Của tôi\"}",
                         &error);
  g_assert_no_error (error);

  /* Someone else changed it meanwhile: the pull keeps my edit and stores theirs. */
  g_clear_pointer (&page, g_ptr_array_unref);
  page = one_record (server_record ("article", ARTICLE_ID, 6,
                                    "{\"title\": \"Của họ\", \"lead\": \"Sapo\"}"));
  g_assert_true (cn_store_apply_pull_page (store, page, "2", &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.kept_local, ==, 1);
  kept = cn_store_get (store, ARTICLE_ID, &error);
  g_assert_cmpstr (cn_record_get_string (kept, "title"), ==, "Của tôi");
  theirs = cn_store_get_theirs (store, ARTICLE_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cn_record_get_rev (theirs), ==, 6);
  g_assert_cmpstr (cn_record_get_string (theirs, "title"), ==, "Của họ");

  g_assert_true (cn_store_add_conflict (store, theirs, fields, &error));
  g_assert_no_error (error);
}

static void
test_conflict_take_mine (StoreFixture  *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(CnRecord) current = NULL;
  CnConflict *conflict;
  CnOutboxEntry *entry;

  prepare_conflict (fixture->store);

  conflicts = cn_store_list_conflicts (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (conflict->id, ==, ARTICLE_ID);
  g_assert_cmpstrv (conflict->fields, ((const char * const[]) { "title", NULL }));
  g_assert_cmpstr (json_object_get_string_member (conflict->mine, "title"), ==, "Của tôi");
  g_assert_cmpstr (cn_record_get_string (conflict->theirs, "title"), ==, "Của họ");
  g_assert_cmpstr (json_object_get_string_member (conflict->base, "title"), ==, "Gốc");
  g_assert_cmpuint (counts (fixture->store).conflicts, ==, 1);

  /* Edits of a record in conflict are held back from the push. */
  outbox = cn_store_list_outbox (fixture->store, FALSE, 0, &error);
  g_assert_cmpuint (outbox->len, ==, 0);

  g_assert_true (cn_store_resolve_conflict (fixture->store, ARTICLE_ID, CN_TAKE_MINE, NULL,
                                            &error));
  g_assert_no_error (error);
  g_clear_pointer (&outbox, g_ptr_array_unref);
  outbox = cn_store_list_outbox (fixture->store, FALSE, 0, &error);
  g_assert_cmpuint (outbox->len, ==, 1);
  entry = g_ptr_array_index (outbox, 0);
  g_assert_cmpint (entry->base_rev, ==, 6);
  g_assert_cmpstr (json_object_get_string_member (entry->data, "title"), ==, "Của tôi");
  current = cn_store_get (fixture->store, ARTICLE_ID, &error);
  g_assert_cmpint (cn_record_get_rev (current), ==, 6);
  g_assert_cmpstr (cn_record_get_string (current, "title"), ==, "Của tôi");
  g_assert_cmpuint (counts (fixture->store).conflicts, ==, 0);
}

static void
test_conflict_take_theirs (StoreFixture  *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnRecord) current = NULL;

  prepare_conflict (fixture->store);
  g_assert_true (cn_store_resolve_conflict (fixture->store, ARTICLE_ID, CN_TAKE_THEIRS, NULL,
                                            &error));
  g_assert_no_error (error);
  current = cn_store_get (fixture->store, ARTICLE_ID, &error);
  g_assert_cmpint (cn_record_get_rev (current), ==, 6);
  g_assert_cmpstr (cn_record_get_string (current, "title"), ==, "Của họ");
  g_assert_false (cn_store_has_local_changes (fixture->store, ARTICLE_ID));
  g_assert_cmpuint (counts (fixture->store).pending, ==, 0);
  g_assert_cmpuint (counts (fixture->store).conflicts, ==, 0);

  g_assert_false (cn_store_resolve_conflict (fixture->store, ARTICLE_ID, CN_TAKE_THEIRS, NULL,
                                             &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_NOT_FOUND);
}

static void
test_conflict_merged (StoreFixture  *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnRecord) current = NULL;
  g_autoptr(JsonObject) merged = json_object_from ("{\"title\": \"Của cả hai\", "
                                                   "\"lead\": \"Sapo\"}");
  g_autoptr(JsonObject) invalid = json_object_from ("{\"lead\": \"no title\"}");

  prepare_conflict (fixture->store);
  g_assert_false (cn_store_resolve_conflict (fixture->store, ARTICLE_ID, CN_TAKE_MERGED,
                                             invalid, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (counts (fixture->store).conflicts, ==, 1);

  g_assert_true (cn_store_resolve_conflict (fixture->store, ARTICLE_ID, CN_TAKE_MERGED,
                                            merged, &error));
  g_assert_no_error (error);
  current = cn_store_get (fixture->store, ARTICLE_ID, &error);
  g_assert_cmpstr (cn_record_get_string (current, "title"), ==, "Của cả hai");
  g_assert_cmpuint (counts (fixture->store).pending, ==, 1);
  g_assert_cmpuint (counts (fixture->store).conflicts, ==, 0);
}

static void
test_rejected (StoreFixture  *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(CnRecord) edited = NULL;
  g_autoptr(CnRecord) current = NULL;
  CnOutboxEntry *entry;

  page = one_record (server_record ("article", ARTICLE_ID, 3, "{\"title\": \"Máy chủ\"}"));
  g_assert_true (cn_store_apply_pull_page (fixture->store, page, "1", NULL, &error));
  edited = patch_json (fixture->store, ARTICLE_ID, "{\"title\": \"Sửa\"}",
                           &error);
  g_assert_no_error (error);
  outbox = cn_store_list_outbox (fixture->store, FALSE, 0, &error);
  entry = g_ptr_array_index (outbox, 0);

  g_assert_true (cn_store_mark_rejected (fixture->store, entry->mutation_id,
                                         "Bạn không có quyền sửa tin bài", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts (fixture->store).pending, ==, 0);
  g_assert_cmpuint (counts (fixture->store).rejected, ==, 1);
  all = cn_store_list_outbox (fixture->store, TRUE, 0, &error);
  g_assert_cmpuint (all->len, ==, 1);
  entry = g_ptr_array_index (all, 0);
  g_assert_cmpint (entry->state, ==, CN_OUTBOX_REJECTED);
  g_assert_cmpstr (entry->reason, ==, "Bạn không có quyền sửa tin bài");

  /* Kept until the user drops it: then the server's version is back. */
  g_assert_true (cn_store_discard_local_changes (fixture->store, ARTICLE_ID, &error));
  g_assert_no_error (error);
  current = cn_store_get (fixture->store, ARTICLE_ID, &error);
  g_assert_cmpstr (cn_record_get_string (current, "title"), ==, "Máy chủ");
  g_assert_cmpint (cn_record_get_rev (current), ==, 3);
  g_assert_cmpuint (counts (fixture->store).rejected, ==, 0);
  g_assert_false (cn_store_has_local_changes (fixture->store, ARTICLE_ID));
}

static void
test_resync_keeps_edits (StoreFixture  *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) sample = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CnRecord) mine = NULL;
  g_autoptr(CnRecord) created = NULL;
  g_autoptr(CnRecord) gone = NULL;
  g_autofree char *cursor = NULL;

  g_ptr_array_add (page, server_record ("article", ARTICLE_ID, 5, "{\"title\": \"Sẽ sửa\"}"));
  g_ptr_array_add (page, server_record ("task", TASK_ID, 2,
                                        "{\"title\": \"Không sửa\", \"status\": \"open\"}"));
  g_assert_true (cn_store_apply_pull_page (fixture->store, page, "99", NULL, &error));
  g_ptr_array_add (sample, server_record ("unit", "11111111-2222-4333-8444-555555555555", 0,
                                          "{\"name\": \"Can Lộc\", \"kind\": \"district\"}"));
  g_assert_true (cn_store_load_sample (fixture->store, sample, &error));
  g_assert_no_error (error);

  mine = patch_json (fixture->store, ARTICLE_ID, "{\"title\": \"Đã sửa\"}",
                         &error);
  created = put_json (fixture->store, "article", NULL, "{\"title\": \"Mới viết\"}", &error);
  g_assert_no_error (error);

  g_assert_true (cn_store_reset_for_resync (fixture->store, &error));
  g_assert_no_error (error);

  cursor = cn_store_dup_meta (fixture->store, CN_STORE_META_CURSOR);
  g_assert_null (cursor);
  gone = cn_store_get (fixture->store, TASK_ID, &error);
  g_assert_null (gone);
  g_assert_error (error, CN_ERROR, CN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&mine);
  mine = cn_store_get (fixture->store, ARTICLE_ID, &error);
  g_assert_cmpstr (cn_record_get_string (mine, "title"), ==, "Đã sửa");
  {
    g_autoptr(CnRecord) still = cn_store_get (fixture->store, cn_record_get_id (created), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (cn_record_get_string (still, "title"), ==, "Mới viết");
  }
  g_assert_cmpuint (counts (fixture->store).pending, ==, 2);
  g_assert_cmpuint (counts (fixture->store).sample, ==, 1);
}

static void
test_sample (StoreFixture  *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sample = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(CnRecord) edited = NULL;
  g_autoptr(CnRecord) current = NULL;

  g_ptr_array_add (sample, server_record ("article", ARTICLE_ID, 0, "{\"title\": \"Mẫu\"}"));
  g_assert_true (cn_store_load_sample (fixture->store, sample, &error));
  g_assert_no_error (error);
  g_assert_true (cn_store_is_sample (fixture->store, ARTICLE_ID));
  g_assert_cmpuint (counts (fixture->store).sample, ==, 1);

  /* Editing sample data never queues it for a server. */
  edited = patch_json (fixture->store, ARTICLE_ID, "{\"title\": \"Mẫu sửa\"}",
                           &error);
  g_assert_no_error (error);
  g_assert_cmpuint (counts (fixture->store).pending, ==, 0);
  g_assert_true (cn_store_is_sample (fixture->store, ARTICLE_ID));

  /* Loading again is harmless; a server copy of the same id replaces the sample. */
  g_assert_true (cn_store_load_sample (fixture->store, sample, &error));
  page = one_record (server_record ("article", ARTICLE_ID, 1, "{\"title\": \"Thật\"}"));
  g_assert_true (cn_store_apply_pull_page (fixture->store, page, "1", NULL, &error));
  g_assert_false (cn_store_is_sample (fixture->store, ARTICLE_ID));
  current = cn_store_get (fixture->store, ARTICLE_ID, &error);
  g_assert_cmpstr (cn_record_get_string (current, "title"), ==, "Thật");

  /* And loading the sample again does not overwrite real data. */
  g_assert_true (cn_store_load_sample (fixture->store, sample, &error));
  g_clear_object (&current);
  current = cn_store_get (fixture->store, ARTICLE_ID, &error);
  g_assert_cmpstr (cn_record_get_string (current, "title"), ==, "Thật");

  g_assert_true (cn_store_remove_sample (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts (fixture->store).records, ==, 1);
}

static void
put_document (CnStore    *store,
              const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnRecord) record = put_json (store, "document", NULL, json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (record);
}

static const char *
title_at (GPtrArray *records,
          guint      index)
{
  return cn_record_get_string (g_ptr_array_index (records, index), "number");
}

static void
test_query (StoreFixture  *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnQuery) query = cn_query_new ("document");
  g_autoptr(GPtrArray) records = NULL;
  guint n = 0;

  put_document (fixture->store, "{\"number\": \"4414/UBND-NL5\", \"title\": \"Về việc OCOP\", "
                "\"field\": \"OCOP\", \"issuer\": \"UBND tỉnh\", \"signed_on\": \"2015-06-10\"}");
  put_document (fixture->store, "{\"number\": \"1980/QĐ-TTg\", \"title\": \"Bộ tiêu chí\", "
                "\"field\": \"NTM\", \"issuer\": \"Thủ tướng\", \"signed_on\": \"2016-10-17\"}");
  put_document (fixture->store, "{\"number\": \"05/QĐ-UBND\", \"title\": \"Quy định\", "
                "\"field\": \"NTM\", \"issuer\": \"UBND tỉnh\", \"signed_on\": \"2017-01-03\"}");

  /* Default order: newest first. */
  records = cn_store_query (fixture->store, query, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 3);
  g_assert_cmpstr (title_at (records, 0), ==, "05/QĐ-UBND");
  g_assert_cmpstr (title_at (records, 2), ==, "4414/UBND-NL5");
  g_clear_pointer (&records, g_ptr_array_unref);

  cn_query_set_sort (query, "number", FALSE);
  records = cn_store_query (fixture->store, query, 1, 1, &error);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (title_at (records, 0), ==, "1980/QĐ-TTg");
  g_clear_pointer (&records, g_ptr_array_unref);

  /* Indexed field, a year prefix, and a field read from the JSON data. */
  cn_query_add_filter (query, "field", CN_QUERY_EQ, "NTM");
  g_assert_true (cn_store_count (fixture->store, query, &n, &error));
  g_assert_cmpuint (n, ==, 2);
  cn_query_add_filter (query, "signed_on", CN_QUERY_PREFIX, "2017");
  g_assert_true (cn_store_count (fixture->store, query, &n, &error));
  g_assert_cmpuint (n, ==, 1);
  cn_query_clear_filters (query);
  cn_query_add_filter (query, "issuer", CN_QUERY_EQ, "UBND tỉnh");
  records = cn_store_query (fixture->store, query, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 2);
  g_assert_cmpstr (title_at (records, 0), ==, "05/QĐ-UBND");
  g_clear_pointer (&records, g_ptr_array_unref);

  /* Search restricts the list too. */
  cn_query_clear_filters (query);
  cn_query_set_search (query, "tieu chi");
  g_assert_true (cn_store_count (fixture->store, query, &n, &error));
  g_assert_cmpuint (n, ==, 1);

  /* A field the collection lacks is an error that names it; no SQL from the caller. */
  cn_query_set_search (query, NULL);
  cn_query_add_filter (query, "number) OR 1=1 --", CN_QUERY_EQ, "x");
  g_assert_null (cn_store_query (fixture->store, query, 0, 0, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_UNKNOWN_FIELD);
}

static void
test_query_contains (StoreFixture  *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnQuery) query = cn_query_new ("article");
  g_autoptr(CnRecord) a = NULL;
  g_autoptr(CnRecord) b = NULL;
  guint n = 0;

  a = put_json (fixture->store, "article", NULL, "{\"title\": \"A\", \"tags\": [\"Can Lộc\", \"NTM\"]}",
                    &error);
  b = put_json (fixture->store, "article", NULL, "{\"title\": \"B\", \"tags\": [\"OCOP\"]}", &error);
  g_assert_no_error (error);

  cn_query_add_filter (query, "tags", CN_QUERY_CONTAINS, "Can Lộc");
  g_assert_true (cn_store_count (fixture->store, query, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
}

typedef struct {
  char  *path;
  guint  n;
} WorkerData;

static gpointer
worker_thread (gpointer user_data)
{
  WorkerData *worker = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(CnStore) store = NULL;

  /* The worker's own connection, in its own main context. */
  g_main_context_push_thread_default (context);
  store = cn_store_open (worker->path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < worker->n; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"title\": \"Từ luồng khác %u\"}", i);
      g_autoptr(CnRecord) record = put_json (store, "article", NULL, json, &error);

      g_assert_no_error (error);
      g_assert_nonnull (record);
    }
  g_clear_object (&store);
  g_main_context_pop_thread_default (context);
  return NULL;
}

static void
count_changed (CnStore    *store,
               const char *collection,
               GArray     *rowids,
               guint      *n_signals)
{
  g_assert_cmpstr (collection, ==, "article");
  (*n_signals)++;
}

static void
test_worker_thread (StoreFixture  *fixture,
                    gconstpointer  data)
{
  WorkerData worker = { fixture->path, 20 };
  g_autoptr(CnQuery) query = cn_query_new ("article");
  g_autoptr(GError) error = NULL;
  GThread *thread;
  guint n_signals = 0;
  guint n = 0;

  g_signal_connect (fixture->store, "changed::article", G_CALLBACK (count_changed), &n_signals);

  /* Reads on this connection while the worker writes on its own. */
  thread = g_thread_new ("store-worker", worker_thread, &worker);
  for (guint i = 0; i < 50; i++)
    g_assert_true (cn_store_count (fixture->store, query, &n, &error));
  g_thread_join (thread);

  g_assert_true (cn_store_count (fixture->store, query, &n, &error));
  g_assert_cmpuint (n, ==, 20);
  g_assert_cmpuint (counts (fixture->store).pending, ==, 20);

  /* Commits made elsewhere are announced here, coalesced, in this thread's main context. */
  g_assert_cmpuint (n_signals, ==, 0);
  drain_main_context ();
  g_assert_cmpuint (n_signals, >=, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/store/" name, StoreFixture, NULL, store_fixture_set_up, func, \
              store_fixture_tear_down)

  ADD ("open", test_open);
  g_test_add_func ("/store/open-default-path", test_open_default_path);
  g_test_add_func ("/store/open-bad-file", test_open_bad_file);
  g_test_add_func ("/store/open-concurrently", test_open_concurrently);
  ADD ("put-get", test_put_get);
  ADD ("put-invalid", test_put_invalid);
  ADD ("patch", test_patch);
  ADD ("delete", test_delete);
  ADD ("pull-and-push", test_pull_and_push);
  ADD ("conflict-take-mine", test_conflict_take_mine);
  ADD ("conflict-take-theirs", test_conflict_take_theirs);
  ADD ("conflict-merged", test_conflict_merged);
  ADD ("rejected", test_rejected);
  ADD ("resync-keeps-edits", test_resync_keeps_edits);
  ADD ("sample", test_sample);
  ADD ("query", test_query);
  ADD ("query-contains", test_query_contains);
  ADD ("worker-thread", test_worker_thread);

  return g_test_run ();
}
