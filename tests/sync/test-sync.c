/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * End-to-end sync: a real caunoi-server on a loopback port, two clients with their own
 * databases, driven through the C API (the app's way) and through caunoi-cli.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>

#include "cn-credentials.h"
#include "cn-error.h"
#include "cn-search.h"
#include "cn-store-private.h"
#include "cn-sync-files.h"
#include "sync-test-util.h"

#define PASSWORD_AN "an-mat-khau-1"
#define PASSWORD_BINH "binh-mat-khau-2"
#define PASSWORD_CHI "chi-mat-khau-3"

typedef struct
{
  TestServer *server;
  TestClient *a;
  TestClient *b;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = test_server_new ();
  test_server_add_user (fixture->server, "an", "admin", NULL, PASSWORD_AN);
  test_server_add_user (fixture->server, "binh", "admin", NULL, PASSWORD_BINH);
  test_server_start (fixture->server);
  fixture->a = test_client_new ();
  fixture->b = test_client_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->a, test_client_free);
  g_clear_pointer (&fixture->b, test_client_free);
  g_clear_pointer (&fixture->server, test_server_free);
}

static void
log_in_both (Fixture *fixture)
{
  test_client_login (fixture->a, fixture->server->url, "an", PASSWORD_AN);
  test_client_login (fixture->b, fixture->server->url, "binh", PASSWORD_BINH);
}

static CnSyncSummary *
sync_ok (TestClient *client)
{
  g_autoptr(GError) error = NULL;
  CnSyncSummary *summary = test_client_sync (client, &error);

  g_assert_no_error (error);
  g_assert_nonnull (summary);
  return summary;
}

/* What the search box finds for the text typed: one record, with that title (and that id
 * unless NULL). */
static void
assert_found_once (TestClient *client,
                   const char *text,
                   const char *title,
                   const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = cn_store_search (client->store, text, NULL, 20, NULL, NULL,
                                               &error);

  g_assert_no_error (error);
  g_assert_nonnull (hits);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((CnSearchHit *) g_ptr_array_index (hits, 0))->title, ==, title);
  if (id != NULL)
    g_assert_cmpstr (((CnSearchHit *) g_ptr_array_index (hits, 0))->id, ==, id);
}

static void
assert_string_field (TestClient *client,
                     const char *id,
                     const char *field,
                     const char *expected)
{
  g_autoptr(CnRecord) record = test_client_get (client, id);

  g_assert_nonnull (record);
  g_assert_cmpstr (cn_record_get_string (record, field), ==, expected);
}

static void
assert_deleted (TestClient *client,
                const char *id)
{
  g_autoptr(CnRecord) record = test_client_get (client, id);

  /* Either a tombstone or gone: never a live record. */
  g_assert_true (record == NULL || cn_record_get_deleted (record));
}

/* A record both clients have, at the same revision. */
static char *
shared_person (Fixture    *fixture,
               const char *json)
{
  g_autoptr(CnRecord) record = test_client_put (fixture->a, "person", NULL, json);
  g_autoptr(CnSyncSummary) a1 = sync_ok (fixture->a);
  g_autoptr(CnSyncSummary) b1 = sync_ok (fixture->b);

  g_autoptr(CnRecord) on_b = NULL;

  g_assert_cmpuint (a1->pushed, ==, 1);
  g_assert_cmpuint (b1->pulled, >=, 1);
  on_b = test_client_get (fixture->b, cn_record_get_id (record));
  g_assert_nonnull (on_b);
  g_assert_cmpint (cn_record_get_rev (on_b), ==, cn_record_get_rev (record) + 1);
  return g_strdup (cn_record_get_id (record));
}

/* ---------- offline work ---------- */

static void
test_sync_offline_edits (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(CnRecord) kept = NULL;
  g_autoptr(CnRecord) edited = NULL;
  g_autoptr(CnRecord) dropped = NULL;
  g_autoptr(CnRecord) patched = NULL;
  g_autoptr(CnSyncSummary) a1 = NULL;
  g_autoptr(CnSyncSummary) b1 = NULL;
  g_autoptr(CnSyncSummary) a2 = NULL;
  g_autoptr(CnSyncSummary) b2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shared = NULL;

  /* Written before this computer ever saw the server. */
  kept = test_client_put (fixture->a, "person", NULL,
                          "{\"full_name\":\"Trần Quý\",\"position\":\"Chủ nhiệm\"}");
  edited = test_client_put (fixture->a, "person", NULL, "{\"full_name\":\"Bùi Huy Cường\"}");
  dropped = test_client_put (fixture->a, "person", NULL, "{\"full_name\":\"Nhầm lẫn\"}");
  patched = test_client_patch (fixture->a, cn_record_get_id (edited),
                               "{\"position\":\"Phó Chủ tịch UBND huyện\"}");
  g_assert_true (cn_store_delete (fixture->a->store, cn_record_get_id (dropped), &error));
  g_assert_no_error (error);
  cn_sync_client_refresh_counts (fixture->a->sync);
  g_assert_cmpuint (cn_sync_client_get_pending_count (fixture->a->sync), ==, 5);

  log_in_both (fixture);
  a1 = sync_ok (fixture->a);
  g_assert_cmpuint (a1->pushed, ==, 5);
  g_assert_cmpuint (a1->conflicts, ==, 0);
  g_assert_cmpuint (a1->rejected, ==, 0);
  g_assert_cmpuint (cn_sync_client_get_pending_count (fixture->a->sync), ==, 0);
  g_assert_nonnull (cn_sync_client_get_last_sync (fixture->a->sync));
  g_assert_null (cn_sync_client_get_last_error (fixture->a->sync));

  b1 = sync_ok (fixture->b);
  g_assert_cmpuint (test_client_count (fixture->b, "person"), ==, 2);
  assert_string_field (fixture->b, cn_record_get_id (kept), "position", "Chủ nhiệm");
  assert_string_field (fixture->b, cn_record_get_id (edited), "position",
                       "Phó Chủ tịch UBND huyện");
  assert_deleted (fixture->b, cn_record_get_id (dropped));

  /* Offline again on B: edit and delete records that the server has. */
  shared = g_strdup (cn_record_get_id (kept));
  g_object_unref (test_client_patch (fixture->b, shared, "{\"phone\":\"0239 3840 123\"}"));
  g_assert_true (cn_store_delete (fixture->b->store, cn_record_get_id (edited), &error));
  g_assert_no_error (error);
  b2 = sync_ok (fixture->b);
  g_assert_cmpuint (b2->pushed, ==, 2);
  a2 = sync_ok (fixture->a);
  assert_string_field (fixture->a, shared, "phone", "0239 3840 123");
  assert_deleted (fixture->a, cn_record_get_id (edited));
  g_assert_cmpuint (test_client_count (fixture->a, "person"), ==, 1);
  g_assert_cmpuint (test_client_count (fixture->b, "person"), ==, 1);
}

/* ---------- merges and conflicts ---------- */

static void
test_sync_disjoint_merge (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(CnSyncSummary) a2 = NULL;
  g_autoptr(CnSyncSummary) b2 = NULL;
  g_autoptr(CnSyncSummary) a3 = NULL;

  log_in_both (fixture);
  id = shared_person (fixture, "{\"full_name\":\"Trần Quý\",\"position\":\"P\",\"phone\":\"1\"}");

  g_object_unref (test_client_patch (fixture->a, id, "{\"position\":\"Chủ nhiệm UBKT\"}"));
  g_object_unref (test_client_patch (fixture->b, id, "{\"phone\":\"0912 345 678\"}"));

  a2 = sync_ok (fixture->a);
  g_assert_cmpuint (a2->pushed, ==, 1);
  b2 = sync_ok (fixture->b);
  /* B's push met A's newer version: merged by itself, sent again, no conflict. */
  g_assert_cmpuint (b2->merged, ==, 1);
  g_assert_cmpuint (b2->pushed, ==, 1);
  g_assert_cmpuint (b2->conflicts, ==, 0);
  a3 = sync_ok (fixture->a);

  for (guint i = 0; i < 2; i++)
    {
      TestClient *client = i == 0 ? fixture->a : fixture->b;
      g_autoptr(CnRecord) record = test_client_get (client, id);

      assert_string_field (client, id, "position", "Chủ nhiệm UBKT");
      assert_string_field (client, id, "phone", "0912 345 678");
      g_assert_cmpint (cn_record_get_rev (record), ==, 3);
      g_assert_false (cn_store_has_local_changes (client->store, id));
    }
}

static void
make_same_field_conflict (Fixture    *fixture,
                          const char *id)
{
  g_autoptr(CnSyncSummary) a2 = NULL;
  g_autoptr(CnSyncSummary) b2 = NULL;

  g_object_unref (test_client_patch (fixture->a, id,
                                     "{\"position\":\"A's title\",\"phone\":\"111\"}"));
  g_object_unref (test_client_patch (fixture->b, id,
                                     "{\"position\":\"B's title\",\"organization\":\"UBND\"}"));
  a2 = sync_ok (fixture->a);
  b2 = sync_ok (fixture->b);
  /* The sync succeeds and reports the conflict. */
  g_assert_cmpuint (b2->conflicts, ==, 1);
  g_assert_cmpuint (cn_sync_client_get_conflict_count (fixture->b->sync), ==, 1);
  /* B still sees its own value, with A's one-sided change not yet applied. */
  assert_string_field (fixture->b, id, "position", "B's title");
}

static void
test_sync_same_field_conflict (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CnSyncSummary) b3 = NULL;
  g_autoptr(CnSyncSummary) a3 = NULL;
  g_autoptr(CnSyncSummary) again = NULL;
  CnConflict *conflict;

  log_in_both (fixture);
  id = shared_person (fixture, "{\"full_name\":\"Trần Quý\",\"position\":\"P\"}");
  make_same_field_conflict (fixture, id);

  conflicts = cn_store_list_conflicts (fixture->b->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (conflict->id, ==, id);
  g_assert_cmpstrv (conflict->fields, ((const char *[]) { "position", NULL }));
  g_assert_cmpstr (json_object_get_string_member (conflict->mine, "position"), ==, "B's title");
  g_assert_cmpstr (cn_record_get_string (conflict->theirs, "position"), ==, "A's title");
  g_assert_cmpstr (json_object_get_string_member (conflict->base, "position"), ==, "P");

  /* Kept until settled: another sync neither loses nor sends it. */
  again = sync_ok (fixture->b);
  g_assert_cmpuint (again->pushed, ==, 0);
  g_assert_cmpuint (again->conflicts, ==, 1);

  /* Settle with mine: the conflicting field takes B's value, A's one-sided phone stays. */
  g_assert_true (cn_sync_client_resolve_conflict (fixture->b->sync, id, "mine", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cn_sync_client_get_conflict_count (fixture->b->sync), ==, 0);
  b3 = sync_ok (fixture->b);
  g_assert_cmpuint (b3->pushed, ==, 1);
  g_assert_cmpuint (b3->conflicts, ==, 0);
  a3 = sync_ok (fixture->a);
  for (guint i = 0; i < 2; i++)
    {
      TestClient *client = i == 0 ? fixture->a : fixture->b;

      assert_string_field (client, id, "position", "B's title");
      assert_string_field (client, id, "phone", "111");
      assert_string_field (client, id, "organization", "UBND");
    }
}

static void
test_sync_conflict_take_theirs_and_by_field (Fixture       *fixture,
                                             gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *id2 = NULL;
  g_autoptr(GHashTable) choices = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(CnSyncSummary) b3 = NULL;
  g_autoptr(CnSyncSummary) a3 = NULL;
  g_autoptr(CnSyncSummary) a4 = NULL;
  g_autoptr(CnSyncSummary) b4 = NULL;
  g_autoptr(CnSyncSummary) b5 = NULL;
  g_autoptr(CnSyncSummary) a5 = NULL;

  log_in_both (fixture);
  id = shared_person (fixture, "{\"full_name\":\"Trần Quý\",\"position\":\"P\"}");
  make_same_field_conflict (fixture, id);

  g_assert_true (cn_sync_client_resolve_conflict (fixture->b->sync, id, "theirs", NULL, &error));
  g_assert_no_error (error);
  assert_string_field (fixture->b, id, "position", "A's title");
  b3 = sync_ok (fixture->b);
  /* B's one-sided organization still had to reach the server. */
  g_assert_cmpuint (b3->pushed, ==, 1);
  a3 = sync_ok (fixture->a);
  assert_string_field (fixture->a, id, "position", "A's title");
  assert_string_field (fixture->a, id, "organization", "UBND");
  assert_string_field (fixture->b, id, "phone", "111");

  /* Field by field: two fields in conflict, one from each side. */
  id2 = shared_person (fixture, "{\"full_name\":\"Bùi Huy Cường\",\"position\":\"P\",\"phone\":\"0\"}");
  g_object_unref (test_client_patch (fixture->a, id2, "{\"position\":\"PA\",\"phone\":\"A\"}"));
  g_object_unref (test_client_patch (fixture->b, id2, "{\"position\":\"PB\",\"phone\":\"B\"}"));
  a4 = sync_ok (fixture->a);
  b4 = sync_ok (fixture->b);
  g_assert_cmpuint (b4->conflicts, ==, 1);
  g_hash_table_insert (choices, "phone", "theirs");
  g_assert_true (cn_sync_client_resolve_conflict (fixture->b->sync, id2, "mine", choices, &error));
  g_assert_no_error (error);
  b5 = sync_ok (fixture->b);
  a5 = sync_ok (fixture->a);
  assert_string_field (fixture->a, id2, "position", "PB");
  assert_string_field (fixture->a, id2, "phone", "A");

  /* A bad side is refused with a clear error, and the conflict stays. */
  g_assert_false (cn_sync_client_resolve_conflict (fixture->b->sync, id2, "both", NULL, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_INVALID);
}

static void
test_sync_delete_against_edit (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *id2 = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CnSyncSummary) a2 = NULL;
  g_autoptr(CnSyncSummary) b2 = NULL;
  g_autoptr(CnSyncSummary) b3 = NULL;
  g_autoptr(CnSyncSummary) a3 = NULL;
  g_autoptr(CnSyncSummary) a4 = NULL;
  g_autoptr(CnSyncSummary) b4 = NULL;
  g_autoptr(CnSyncSummary) a5 = NULL;
  g_autoptr(CnSyncSummary) b5 = NULL;
  CnConflict *conflict;

  log_in_both (fixture);
  id = shared_person (fixture, "{\"full_name\":\"Trần Quý\",\"position\":\"P\"}");

  /* A deletes, B edits; A first. */
  g_assert_true (cn_store_delete (fixture->a->store, id, &error));
  g_assert_no_error (error);
  g_object_unref (test_client_patch (fixture->b, id, "{\"position\":\"still here\"}"));
  a2 = sync_ok (fixture->a);
  b2 = sync_ok (fixture->b);
  g_assert_cmpuint (b2->conflicts, ==, 1);
  conflicts = cn_store_list_conflicts (fixture->b->store, &error);
  g_assert_no_error (error);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_true (cn_record_get_deleted (conflict->theirs));
  g_assert_cmpstr (json_object_get_string_member (conflict->mine, "position"), ==, "still here");
  /* Nothing is lost meanwhile: B still has its edit. */
  assert_string_field (fixture->b, id, "position", "still here");

  /* B keeps its edit: the record comes back for everyone. */
  g_assert_true (cn_sync_client_resolve_conflict (fixture->b->sync, id, "mine", NULL, &error));
  g_assert_no_error (error);
  b3 = sync_ok (fixture->b);
  g_assert_cmpuint (b3->pushed, ==, 1);
  a3 = sync_ok (fixture->a);
  assert_string_field (fixture->a, id, "position", "still here");

  /* The other way round: B deletes, A edits and syncs first; B accepts A's edit. */
  id2 = shared_person (fixture, "{\"full_name\":\"Bùi Huy Cường\"}");
  g_object_unref (test_client_patch (fixture->a, id2, "{\"phone\":\"0239\"}"));
  g_assert_true (cn_store_delete (fixture->b->store, id2, &error));
  g_assert_no_error (error);
  a4 = sync_ok (fixture->a);
  b4 = sync_ok (fixture->b);
  g_assert_cmpuint (b4->conflicts, ==, 1);
  g_assert_true (cn_sync_client_resolve_conflict (fixture->b->sync, id2, "theirs", NULL, &error));
  g_assert_no_error (error);
  assert_string_field (fixture->b, id2, "phone", "0239");
  b5 = sync_ok (fixture->b);
  g_assert_cmpuint (b5->conflicts, ==, 0);
  a5 = sync_ok (fixture->a);
  assert_string_field (fixture->a, id2, "phone", "0239");

  /* Once more, and B insists on its deletion: it reaches A. */
  {
    g_autoptr(CnSyncSummary) a6 = NULL;
    g_autoptr(CnSyncSummary) b6 = NULL;
    g_autoptr(CnSyncSummary) b7 = NULL;
    g_autoptr(CnSyncSummary) a7 = NULL;

    g_object_unref (test_client_patch (fixture->a, id2, "{\"phone\":\"0240\"}"));
    g_assert_true (cn_store_delete (fixture->b->store, id2, &error));
    g_assert_no_error (error);
    a6 = sync_ok (fixture->a);
    b6 = sync_ok (fixture->b);
    g_assert_cmpuint (b6->conflicts, ==, 1);
    g_assert_true (cn_sync_client_resolve_conflict (fixture->b->sync, id2, "mine", NULL, &error));
    g_assert_no_error (error);
    b7 = sync_ok (fixture->b);
    g_assert_cmpuint (b7->pushed, ==, 1);
    a7 = sync_ok (fixture->a);
    assert_deleted (fixture->a, id2);
    assert_deleted (fixture->b, id2);
  }
}

/* ---------- rejection ---------- */

static void
test_sync_rejected (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CnRecord) record = NULL;
  g_autoptr(CnSyncSummary) first = NULL;
  g_autoptr(CnSyncSummary) second = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GError) error = NULL;
  CnOutboxEntry *entry;

  g_autoptr(CnRecord) unit = NULL;
  g_autoptr(CnSyncSummary) admin = NULL;

  /* A viewer's scope unit must exist on the server before the account. */
  test_client_login (fixture->b, fixture->server->url, "binh", PASSWORD_BINH);
  unit = test_client_put (fixture->b, "unit", NULL,
                          "{\"name\":\"Can Lộc\",\"kind\":\"district\"}");
  admin = sync_ok (fixture->b);
  g_assert_cmpuint (admin->pushed, ==, 1);
  test_server_add_user (fixture->server, "chi", "viewer", cn_record_get_id (unit), PASSWORD_CHI);

  test_client_login (fixture->a, fixture->server->url, "chi", PASSWORD_CHI);
  /* The app reads the role and scope from here to offer only what the server allows. */
  {
    g_autofree char *role = cn_store_dup_meta (fixture->a->store, CN_STORE_META_USER_ROLE);
    g_autofree char *scope = cn_store_dup_meta (fixture->a->store, CN_STORE_META_USER_UNIT);

    g_assert_cmpstr (role, ==, "viewer");
    g_assert_cmpstr (scope, ==, cn_record_get_id (unit));
  }
  record = test_client_put (fixture->a, "person", NULL, "{\"full_name\":\"Viewer's edit\"}");
  first = sync_ok (fixture->a);
  g_assert_cmpuint (first->pushed, ==, 0);
  g_assert_cmpuint (first->rejected, ==, 1);
  g_assert_cmpuint (cn_sync_client_get_rejected_count (fixture->a->sync), ==, 1);

  /* Kept with the server's reason, the record still here. */
  outbox = cn_store_list_outbox (fixture->a->store, TRUE, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 1);
  entry = g_ptr_array_index (outbox, 0);
  g_assert_cmpint (entry->state, ==, CN_OUTBOX_REJECTED);
  g_assert_nonnull (strstr (entry->reason, "may read but not change"));
  assert_string_field (fixture->a, cn_record_get_id (record), "full_name", "Viewer's edit");

  /* Not retried blindly. */
  second = sync_ok (fixture->a);
  g_assert_cmpuint (second->pushed, ==, 0);
  g_assert_cmpuint (second->rejected, ==, 1);

  /* Shown with its reason in caunoi-cli. */
  {
    g_autofree char *out = NULL;
    g_autoptr(JsonNode) list = NULL;
    JsonObject *shown;

    g_assert_cmpint (test_client_cli (fixture->a, NULL, &out, NULL, "rejected", "--json", NULL), ==, 0);
    list = test_parse_json (out);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
    shown = json_array_get_object_element (json_node_get_array (list), 0);
    g_assert_cmpstr (json_object_get_string_member (shown, "id"), ==, cn_record_get_id (record));
    g_assert_cmpstr (json_object_get_string_member (shown, "mutation_id"), ==, entry->mutation_id);
    g_assert_nonnull (strstr (json_object_get_string_member (shown, "reason"),
                              "may read but not change"));
  }
}

/* ---------- errors ---------- */

static void
test_sync_errors (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnSyncSummary) none = NULL;
  g_autoptr(CnSyncSummary) offline = NULL;
  g_autoptr(CnRecord) record = NULL;
  g_autofree char *token_file = NULL;

  /* Not signed in. */
  none = test_client_sync (fixture->a, &error);
  g_assert_null (none);
  g_assert_error (error, CN_ERROR, CN_ERROR_AUTH);
  g_clear_error (&error);

  /* Wrong password: a clear message, and nothing saved. */
  g_assert_false (test_client_try_login (fixture->a, fixture->server->url, "an", "wrong", &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_AUTH);
  g_assert_cmpstr (error->message, ==, "Wrong user name or password");
  g_clear_error (&error);
  g_assert_false (cn_sync_client_get_signed_in (fixture->a->sync));

  /* Not a server address. */
  g_assert_false (test_client_try_login (fixture->a, "ftp://x", "an", "x", &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_INVALID);
  g_clear_error (&error);

  /* Signed in, then the server goes away: a network error, the edit kept. */
  test_client_login (fixture->a, fixture->server->url, "an", PASSWORD_AN);
  token_file = g_build_filename (fixture->a->dir, "caunoi", "sync-token", NULL);
  g_assert_true (g_file_test (token_file, G_FILE_TEST_IS_REGULAR));
  record = test_client_put (fixture->a, "person", NULL, "{\"full_name\":\"Offline\"}");
  test_server_kill (fixture->server);
  offline = test_client_sync (fixture->a, &error);
  g_assert_null (offline);
  g_assert_error (error, CN_ERROR, CN_ERROR_NETWORK);
  g_assert_cmpstr (cn_sync_client_get_last_error (fixture->a->sync), ==, error->message);
  cn_sync_client_refresh_counts (fixture->a->sync);
  g_assert_cmpuint (cn_sync_client_get_pending_count (fixture->a->sync), ==, 1);
}


/* ---------- 410: history purged on the server ---------- */

static void
test_sync_gone_full_resync (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *kept = NULL;
  g_autofree char *doomed = NULL;
  g_autoptr(CnRecord) later = NULL;
  g_autoptr(CnSyncSummary) a2 = NULL;
  g_autoptr(CnSyncSummary) b2 = NULL;
  g_autoptr(CnSyncSummary) b3 = NULL;
  g_autoptr(CnSyncSummary) b4 = NULL;
  g_autoptr(CnSyncSummary) a3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor_before = NULL;
  g_autofree char *cursor_after = NULL;

  log_in_both (fixture);
  kept = shared_person (fixture, "{\"full_name\":\"Trần Quý\",\"position\":\"P\"}");
  doomed = shared_person (fixture, "{\"full_name\":\"Sẽ bị xoá\"}");

  /* B has an unsent edit that waits for the user (a conflict) during all of this. */
  g_object_unref (test_client_patch (fixture->a, kept, "{\"position\":\"A\"}"));
  g_object_unref (test_client_patch (fixture->b, kept, "{\"position\":\"B\"}"));
  g_assert_true (cn_store_delete (fixture->a->store, doomed, &error));
  g_assert_no_error (error);
  later = test_client_put (fixture->a, "person", NULL, "{\"full_name\":\"Mới\"}");
  a2 = sync_ok (fixture->a);
  g_assert_cmpuint (a2->pushed, ==, 3);

  /* The server forgets every tombstone: B's cursor is now older than the purge. */
  test_server_run_command (fixture->server, "purge", "--older-than", "0", NULL);
  cursor_before = cn_store_dup_meta (fixture->b->store, CN_STORE_META_CURSOR);

  b2 = sync_ok (fixture->b);
  g_assert_true (b2->full_resync);
  g_assert_cmpuint (b2->conflicts, ==, 1);
  cursor_after = cn_store_dup_meta (fixture->b->store, CN_STORE_META_CURSOR);
  g_assert_cmpint (g_ascii_strtoll (cursor_after, NULL, 10), >, g_ascii_strtoll (cursor_before, NULL, 10));
  /* The deletion B never heard of still reaches it: the record is gone. */
  assert_deleted (fixture->b, doomed);
  assert_string_field (fixture->b, cn_record_get_id (later), "full_name", "Mới");
  /* The resync's records are searchable as soon as it ends. */
  assert_found_once (fixture->b, "moi", "Mới", cn_record_get_id (later));
  /* The unsent edit survived the resync. */
  assert_string_field (fixture->b, kept, "position", "B");
  g_assert_cmpuint (test_client_count (fixture->b, "person"), ==, 2);

  /* A further sync is an ordinary one. */
  b3 = sync_ok (fixture->b);
  g_assert_false (b3->full_resync);
  g_assert_true (cn_sync_client_resolve_conflict (fixture->b->sync, kept, "mine", NULL, &error));
  g_assert_no_error (error);
  b4 = sync_ok (fixture->b);
  g_assert_cmpuint (b4->pushed, ==, 1);
  a3 = sync_ok (fixture->a);
  assert_string_field (fixture->a, kept, "position", "B");
}

/* ---------- attachments ---------- */

static char *
write_temp_file (TestClient *client,
                 const char *name,
                 gsize       size)
{
  g_autofree char *path = g_build_filename (client->dir, name, NULL);
  g_autofree guint8 *bytes = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    bytes[i] = (guint8) ((i * 7 + i / 251) & 0xff);
  g_assert_true (g_file_set_contents (path, (const char *) bytes, (gssize) size, NULL));
  return g_steal_pointer (&path);
}

static GBytes *
file_bytes (const char *path)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, NULL);

  g_assert_nonnull (mapped);
  return g_mapped_file_get_bytes (mapped);
}

/* Progress went from @from to @size, never backwards, with the size known. */
static void
assert_progress (TestProgress *progress,
                 goffset       from,
                 goffset       size)
{
  g_assert_true (progress->destroyed);
  g_assert_cmpuint (progress->steps->len, >=, 2);
  for (guint i = 0; i < progress->steps->len; i++)
    {
      TestProgressStep *step = &g_array_index (progress->steps, TestProgressStep, i);

      g_assert_cmpint (step->total, ==, size);
      if (i == 0)
        g_assert_cmpint (step->current, ==, from);
      else
        g_assert_cmpint (step->current, >, g_array_index (progress->steps, TestProgressStep, i - 1).current);
    }
  g_assert_cmpint (g_array_index (progress->steps, TestProgressStep, progress->steps->len - 1).current, ==, size);
}

static void
test_sync_files (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(TestProxy) proxy = test_proxy_new (fixture->server->url);
  g_autoptr(TestClient) c = test_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *source = write_temp_file (fixture->a, "4414-UBND-NL5.pdf", 300000);
  g_autofree char *sha256 = NULL;
  g_autofree char *json = NULL;
  g_autofree char *on_b = NULL;
  g_autofree char *again = NULL;
  g_autofree char *part = NULL;
  g_autofree char *files_b = NULL;
  g_autofree char *on_c = NULL;
  g_autoptr(GBytes) original = file_bytes (source);
  g_autoptr(GBytes) fetched = NULL;
  g_autoptr(CnRecord) document = NULL;
  g_autoptr(CnSyncSummary) a1 = NULL;
  g_autoptr(CnSyncSummary) b1 = NULL;
  g_autoptr(CnSyncSummary) c1 = NULL;
  goffset size = 0;
  TestProgress progress = { NULL, FALSE };

  test_client_login (fixture->a, fixture->server->url, "an", PASSWORD_AN);
  test_client_login (fixture->b, test_proxy_get_url (proxy), "binh", PASSWORD_BINH);

  sha256 = cn_sync_import_file (fixture->a->store, source, &size, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (size, ==, 300000);
  json = g_strdup_printf ("{\"number\":\"4414/UBND-NL5\",\"title\":\"Về việc xây dựng NTM\","
                          "\"attachments\":[{\"name\":\"4414.pdf\",\"sha256\":\"%s\","
                          "\"size\":300000,\"mime\":\"application/pdf\"}]}", sha256);
  document = test_client_put (fixture->a, "document", NULL, json);
  a1 = sync_ok (fixture->a);
  g_assert_cmpuint (a1->files_uploaded, ==, 1);
  g_assert_cmpuint (a1->pushed, ==, 1);

  /* B reads the record; the file comes on demand. */
  b1 = sync_ok (fixture->b);
  g_assert_cmpuint (b1->files_downloaded, ==, 0);
  g_assert_null (cn_sync_dup_file_path (fixture->b->store, sha256));
  on_b = test_client_fetch_file_progress (fixture->b, sha256, &progress, &error);
  g_assert_no_error (error);
  /* Its progress came from nothing to the whole, in order, the size known throughout. */
  assert_progress (&progress, 0, 300000);
  fetched = file_bytes (on_b);
  g_assert_true (g_bytes_equal (fetched, original));
  g_clear_pointer (&fetched, g_bytes_unref);

  /* An interrupted download resumes where it stopped (Range), and is checked. */
  files_b = cn_store_dup_files_dir (fixture->b->store);
  part = g_strconcat (on_b, ".part", NULL);
  g_assert_true (g_file_set_contents (part, g_bytes_get_data (original, NULL), 120000, NULL));
  g_unlink (on_b);
  again = test_client_fetch_file_progress (fixture->b, sha256, &progress, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (test_proxy_last_range (proxy), ==, "bytes=120000-");
  assert_progress (&progress, 120000, 300000);
  fetched = file_bytes (again);
  g_assert_true (g_bytes_equal (fetched, original));
  g_clear_pointer (&fetched, g_bytes_unref);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));

  /* A damaged partial file is caught by the hash, thrown away, and fetched whole again. */
  g_unlink (again);
  g_assert_true (g_file_set_contents (part, "not the start of that file", -1, NULL));
  g_clear_pointer (&again, g_free);
  again = test_client_fetch_file (fixture->b, sha256, &error);
  g_assert_null (again);
  g_assert_error (error, CN_ERROR, CN_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, sha256));
  g_clear_error (&error);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  g_assert_null (cn_sync_dup_file_path (fixture->b->store, sha256));
  again = test_client_fetch_file (fixture->b, sha256, &error);
  g_assert_no_error (error);
  fetched = file_bytes (again);
  g_assert_true (g_bytes_equal (fetched, original));

  /* A client set to download ahead has the file after its sync, for offline reading. */
  test_client_login (c, fixture->server->url, "an", PASSWORD_AN);
  cn_sync_client_set_download_ahead (c->sync, TRUE);
  c1 = sync_ok (c);
  g_assert_cmpuint (c1->files_downloaded, ==, 1);
  on_c = cn_sync_dup_file_path (c->store, sha256);
  g_assert_nonnull (on_c);

  /* Not a file id: an error, and the progress data let go all the same. */
  g_assert_null (test_client_fetch_file_progress (fixture->b, "../../etc/passwd", &progress, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_INVALID);
  g_assert_cmpuint (progress.steps->len, ==, 0);
  g_array_unref (progress.steps);
}

/* ---------- progress, a big sync, and a server restart in the middle ---------- */

static void
put_many (TestClient *client,
          guint       n)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cn_store_begin (client->store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"full_name\":\"Người số %u\","
                                               "\"position\":\"Thành viên\"}", i);
      g_autoptr(CnRecord) record = test_client_put (client, "person", NULL, json);

      g_assert_nonnull (record);
    }
  g_assert_true (cn_store_commit (client->store, &error));
  g_assert_no_error (error);
  cn_sync_client_refresh_counts (client->sync);
}

typedef struct
{
  GThread *main_thread;
  guint    pushing;
  guint    pulling;
  guint    max_pushed;
  guint    max_pulled;
} ProgressSeen;

static void
progress_cb (CnSyncClient *client,
             GParamSpec   *pspec,
             ProgressSeen *seen)
{
  /* Delivered on the main loop while the work runs in a thread: the window can draw. */
  g_assert_true (g_thread_self () == seen->main_thread);
  if (!cn_sync_client_get_syncing (client))
    return;
  switch (cn_sync_client_get_phase (client))
    {
    case CN_SYNC_PHASE_PUSHING:
      seen->pushing++;
      seen->max_pushed = MAX (seen->max_pushed, cn_sync_client_get_done (client));
      g_assert_cmpuint (cn_sync_client_get_done (client), <=, cn_sync_client_get_total (client));
      break;
    case CN_SYNC_PHASE_PULLING:
      seen->pulling++;
      seen->max_pulled = MAX (seen->max_pulled, cn_sync_client_get_done (client));
      break;
    case CN_SYNC_PHASE_IDLE:
    case CN_SYNC_PHASE_FILES:
    default:
      break;
    }
}

static void
sync_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_sync_progress_and_restart (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(TestProxy) proxy = test_proxy_new (fixture->server->url);
  g_autoptr(GError) error = NULL;
  g_autoptr(CnSyncSummary) failed = NULL;
  g_autoptr(CnSyncSummary) a2 = NULL;
  g_autoptr(CnSyncSummary) b1 = NULL;
  ProgressSeen seen_a = { g_thread_self (), 0, 0, 0, 0 };
  ProgressSeen seen_b = { g_thread_self (), 0, 0, 0, 0 };
  GAsyncResult *result = NULL;

  test_client_login (fixture->a, test_proxy_get_url (proxy), "an", PASSWORD_AN);
  test_client_login (fixture->b, fixture->server->url, "binh", PASSWORD_BINH);
  put_many (fixture->a, 1050);
  g_assert_cmpuint (cn_sync_client_get_pending_count (fixture->a->sync), ==, 1050);
  g_signal_connect (fixture->a->sync, "notify::done", G_CALLBACK (progress_cb), &seen_a);
  g_signal_connect (fixture->b->sync, "notify::done", G_CALLBACK (progress_cb), &seen_b);

  /* The server applies the third batch, and dies before the client hears of it. */
  test_proxy_hold (proxy, "POST", "/api/v1/changes", 3, TRUE);
  cn_sync_client_sync_async (fixture->a->sync, NULL, sync_done_cb, &result);
  test_proxy_wait_held (proxy);
  g_assert_true (cn_sync_client_get_syncing (fixture->a->sync));
  test_server_kill (fixture->server);
  test_proxy_drop_held (proxy);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  failed = cn_sync_client_sync_finish (fixture->a->sync, result, &error);
  g_clear_object (&result);
  g_assert_null (failed);
  g_assert_error (error, CN_ERROR, CN_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_cmpuint (seen_a.max_pushed, ==, 200);
  /* Two batches confirmed, the rest (with the third, applied unseen) still queued. */
  g_assert_cmpuint (cn_sync_client_get_pending_count (fixture->a->sync), ==, 850);

  /* The server comes back on the same address; the next sync finishes, nothing twice. */
  test_server_start (fixture->server);
  a2 = sync_ok (fixture->a);
  g_assert_cmpuint (a2->pushed, ==, 850);
  g_assert_cmpuint (cn_sync_client_get_pending_count (fixture->a->sync), ==, 0);
  g_assert_cmpuint (seen_a.pushing, >=, 11);

  b1 = sync_ok (fixture->b);
  g_assert_cmpuint (b1->pulled, ==, 1050);
  g_assert_cmpuint (test_client_count (fixture->b, "person"), ==, 1050);
  g_assert_cmpuint (test_client_count (fixture->a, "person"), ==, 1050);
  /* Pages of 1000: progress came page by page (1000, then 1050). */
  g_assert_cmpuint (seen_b.pulling, >=, 2);
  g_assert_cmpuint (seen_b.max_pulled, ==, 1050);
}



/* Client a (straight to the server) sends n people; b pulls them through the proxy. */
static void
pushed_for_pull (Fixture   *fixture,
                 TestProxy *proxy,
                 guint      n)
{
  g_autoptr(CnSyncSummary) a1 = NULL;

  test_client_login (fixture->a, fixture->server->url, "an", PASSWORD_AN);
  test_client_login (fixture->b, test_proxy_get_url (proxy), "binh", PASSWORD_BINH);
  put_many (fixture->a, n);
  a1 = sync_ok (fixture->a);
  g_assert_cmpuint (a1->pushed, ==, n);
}

/* The user cancels the sync started with sync_done_cb (result): it ends cancelled. */
static void
cancel_sync (TestClient    *client,
             GAsyncResult **result)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnSyncSummary) cancelled = NULL;

  cn_sync_client_cancel (client->sync);
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  cancelled = cn_sync_client_sync_finish (client->sync, *result, &error);
  g_clear_object (result);
  g_assert_null (cancelled);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (cn_sync_client_get_syncing (client->sync));
}

static void
test_sync_cancel (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(TestProxy) proxy = test_proxy_new (fixture->server->url);
  g_autoptr(GError) error = NULL;
  g_autoptr(CnSyncSummary) busy = NULL;
  g_autoptr(CnSyncSummary) finished = NULL;
  GAsyncResult *result = NULL;
  GAsyncResult *second = NULL;

  test_client_login (fixture->a, test_proxy_get_url (proxy), "an", PASSWORD_AN);
  put_many (fixture->a, 250);

  /* Stuck on the second batch: the user cancels. */
  test_proxy_hold (proxy, "POST", "/api/v1/changes", 2, FALSE);
  cn_sync_client_sync_async (fixture->a->sync, NULL, sync_done_cb, &result);
  test_proxy_wait_held (proxy);
  g_assert_true (cn_sync_client_get_syncing (fixture->a->sync));
  g_assert_cmpint (cn_sync_client_get_phase (fixture->a->sync), ==, CN_SYNC_PHASE_PUSHING);

  /* Never two at once. */
  cn_sync_client_sync_async (fixture->a->sync, NULL, sync_done_cb, &second);
  while (second == NULL)
    g_main_context_iteration (NULL, TRUE);
  busy = cn_sync_client_sync_finish (fixture->a->sync, second, &error);
  g_assert_null (busy);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);
  g_clear_object (&second);

  cancel_sync (fixture->a, &result);
  g_assert_cmpint (cn_sync_client_get_phase (fixture->a->sync), ==, CN_SYNC_PHASE_IDLE);
  g_assert_cmpuint (cn_sync_client_get_pending_count (fixture->a->sync), ==, 150);

  test_proxy_drop_held (proxy);
  finished = sync_ok (fixture->a);
  g_assert_cmpuint (finished->pushed, ==, 150);
  g_assert_cmpuint (cn_sync_client_get_pending_count (fixture->a->sync), ==, 0);
}


/* The pull fetches the next page while it writes one: cancelled with a page asked for
 * ahead, it stops at once, keeps the pages written, and the next sync goes on from there,
 * every record once and searchable. */
static void
test_sync_cancel_pull (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(TestProxy) proxy = test_proxy_new (fixture->server->url);
  g_autoptr(CnSyncSummary) finished = NULL;
  g_autofree char *cursor = NULL;
  GAsyncResult *result = NULL;

  pushed_for_pull (fixture, proxy, 2500);

  /* The third page (of 1000) never comes: the user cancels once two are written. */
  test_proxy_hold (proxy, "GET", "/api/v1/changes", 3, FALSE);
  cn_sync_client_sync_async (fixture->b->sync, NULL, sync_done_cb, &result);
  test_proxy_wait_held (proxy);
  while (test_client_count (fixture->b, "person") < 2000)
    g_main_context_iteration (NULL, FALSE);
  cancel_sync (fixture->b, &result);
  g_assert_cmpuint (test_client_count (fixture->b, "person"), ==, 2000);
  cursor = cn_store_dup_meta (fixture->b->store, CN_STORE_META_CURSOR);
  g_assert_nonnull (cursor);
  assert_found_once (fixture->b, "nguoi so 1999", "Người số 1999", NULL);

  test_proxy_drop_held (proxy);
  finished = sync_ok (fixture->b);
  g_assert_cmpuint (finished->pulled, ==, 500);
  g_assert_cmpuint (test_client_count (fixture->b, "person"), ==, 2500);
  assert_found_once (fixture->b, "Người số 2499", "Người số 2499", NULL);
  assert_found_once (fixture->b, "nguoi so 777", "Người số 777", NULL);
}

/* Each side's edit is valid, their merge is not (an assignment names a person or an
 * organization): the user decides, the sync does not get stuck. */
static void
test_sync_invalid_merge (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *person = g_uuid_string_random ();
  g_autofree char *commune = g_uuid_string_random ();
  g_autofree char *json = g_strdup_printf ("{\"person_id\":\"%s\",\"organization\":\"Phòng NN\","
                                           "\"commune_id\":\"%s\",\"role\":\"member_in_charge\"}",
                                           person, commune);
  g_autoptr(CnRecord) record = NULL;
  g_autoptr(CnSyncSummary) a1 = NULL;
  g_autoptr(CnSyncSummary) b1 = NULL;
  g_autoptr(CnSyncSummary) a2 = NULL;
  g_autoptr(CnSyncSummary) b2 = NULL;
  g_autoptr(CnSyncSummary) b3 = NULL;
  g_autoptr(CnSyncSummary) a3 = NULL;
  g_autoptr(CnRecord) on_a = NULL;
  g_autoptr(GError) error = NULL;
  const char *id;

  log_in_both (fixture);
  record = test_client_put (fixture->a, "assignment", NULL, json);
  id = cn_record_get_id (record);
  a1 = sync_ok (fixture->a);
  b1 = sync_ok (fixture->b);

  g_object_unref (test_client_patch (fixture->a, id, "{\"person_id\":null}"));
  g_object_unref (test_client_patch (fixture->b, id, "{\"organization\":null}"));
  a2 = sync_ok (fixture->a);
  b2 = sync_ok (fixture->b);
  g_assert_cmpuint (b2->conflicts, ==, 1);

  /* Keeping mine would break the rule: refused with the reason, the conflict stays. */
  g_assert_false (cn_sync_client_resolve_conflict (fixture->b->sync, id, "mine", NULL, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (cn_sync_client_get_conflict_count (fixture->b->sync), ==, 1);

  g_assert_true (cn_sync_client_resolve_conflict (fixture->b->sync, id, "theirs", NULL, &error));
  g_assert_no_error (error);
  b3 = sync_ok (fixture->b);
  a3 = sync_ok (fixture->a);
  assert_string_field (fixture->b, id, "organization", "Phòng NN");
  on_a = test_client_get (fixture->a, id);
  g_assert_cmpstr (cn_record_get_string (on_a, "organization"), ==, "Phòng NN");
  g_assert_null (cn_record_get_string (on_a, "person_id"));
}

/* ---------- a server that answers nonsense ---------- */

static void
bogus_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  const char *body = user_data;

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                    strlen (body));
}

static void
sync_against_bogus (Fixture    *fixture,
                    const char *answer,
                    const char *expected_words)
{
  g_autoptr(SoupServer) bogus = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CnSyncSummary) summary = NULL;
  g_autofree char *url = NULL;
  g_autofree char *data_dir = g_path_get_dirname (fixture->a->db_path);
  GSList *uris;

  soup_server_add_handler (bogus, NULL, bogus_handler, (gpointer) answer, NULL);
  soup_server_listen_local (bogus, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (bogus);
  url = g_strdup_printf ("http://127.0.0.1:%d/", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_assert_true (cn_store_set_meta (fixture->a->store, CN_STORE_META_SERVER_URL, url, &error));
  g_assert_true (cn_credentials_save (data_dir, url, "an",
                                      "token", NULL, &error));
  g_assert_no_error (error);

  summary = test_client_sync (fixture->a, &error);
  g_assert_null (summary);
  g_assert_error (error, CN_ERROR, CN_ERROR_SERVER);
  if (strstr (error->message, expected_words) == NULL)
    g_error ("“%s” does not say “%s”", error->message, expected_words);
  cn_sync_client_refresh_counts (fixture->a->sync);
  g_assert_cmpuint (cn_sync_client_get_pending_count (fixture->a->sync), ==, 1);
  soup_server_disconnect (bogus);
}

static void
test_sync_malformed_answers (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(CnRecord) record = NULL;

  log_in_both (fixture);
  record = test_client_put (fixture->a, "person", NULL, "{\"full_name\":\"Chờ gửi\"}");

  sync_against_bogus (fixture, "{\"results\": [", "not valid JSON");
  sync_against_bogus (fixture, "{\"results\": []}", "not one result per edit");
  sync_against_bogus (fixture, "[1, 2, 3]", "no results");
}

/* ---------- caunoi-cli ---------- */

static JsonNode *
cli_json (TestClient *client,
          const char *command)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = test_client_cli (client, NULL, &out, &err, command, "--json", NULL);

  if (status != 0)
    g_error ("caunoi-cli %s failed (%d): %s", command, status, err);
  return test_parse_json (out);
}

static gint64
summary_value (JsonNode   *summary,
               const char *name)
{
  return json_object_get_int_member (json_node_get_object (summary), name);
}

static char *
cli_put (TestClient *client,
         const char *id,
         const char *json)
{
  g_autofree char *out = NULL;
  int status = id != NULL
               ? test_client_cli (client, json, &out, NULL, "put", "person", "--id", id, NULL)
               : test_client_cli (client, json, &out, NULL, "put", "person", NULL);

  g_assert_cmpint (status, ==, 0);
  return g_strstrip (g_steal_pointer (&out));
}

static void
test_sync_cli (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *password = g_strconcat (PASSWORD_AN, "\n", NULL);
  g_autofree char *err = NULL;
  g_autofree char *id = NULL;
  g_autofree char *token_file = g_build_filename (fixture->a->dir, "caunoi", "sync-token", NULL);
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) conflicted = NULL;
  g_autoptr(JsonNode) conflicts = NULL;
  g_autoptr(JsonNode) none = NULL;
  g_autoptr(JsonNode) settled = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) third = NULL;
  g_autoptr(CnSyncSummary) b1 = NULL;
  g_autoptr(CnSyncSummary) b2 = NULL;
  g_autoptr(CnSyncSummary) b3 = NULL;
  g_autoptr(CnSyncSummary) b4 = NULL;
  g_autofree char *ignored = NULL;
  JsonObject *conflict;
  char *token_contents = NULL;

  /* Wrong password: one clear line, exit 1, nothing saved. */
  g_assert_cmpint (test_client_cli (fixture->a, "wrong\n", NULL, &err, "login",
                                    fixture->server->url, "an", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "Wrong user name or password"));
  g_assert_false (g_file_test (token_file, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (test_client_cli (fixture->a, password, NULL, &err, "login",
                                    fixture->server->url, "an", NULL), ==, 0);
  /* The password is never kept; the token only in the private file. */
  g_assert_true (g_file_get_contents (token_file, &token_contents, NULL, NULL));
  g_assert_null (strstr (token_contents, PASSWORD_AN));
  g_free (token_contents);
  g_assert_null (strstr (err, PASSWORD_AN));
  test_client_login (fixture->b, fixture->server->url, "binh", PASSWORD_BINH);

  id = cli_put (fixture->a, NULL, "{\"full_name\":\"Trần Quý\",\"position\":\"P\"}");
  first = cli_json (fixture->a, "sync");
  g_assert_cmpint (summary_value (first, "pushed"), ==, 1);
  g_assert_cmpint (summary_value (first, "conflicts"), ==, 0);
  b1 = sync_ok (fixture->b);

  /* Same field on both sides: the sync succeeds (exit 0) and keeps the conflict. */
  g_object_unref (test_client_patch (fixture->b, id, "{\"position\":\"B\"}"));
  b2 = sync_ok (fixture->b);
  g_free (cli_put (fixture->a, id, "{\"position\":\"A\"}"));
  conflicted = cli_json (fixture->a, "sync");
  g_assert_cmpint (summary_value (conflicted, "conflicts"), ==, 1);
  g_assert_cmpint (summary_value (conflicted, "pushed"), ==, 0);

  conflicts = cli_json (fixture->a, "conflicts");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (conflicts)), ==, 1);
  conflict = json_array_get_object_element (json_node_get_array (conflicts), 0);
  g_assert_cmpstr (json_object_get_string_member (conflict, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (conflict, "collection"), ==, "person");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (conflict, "fields")), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (conflict, "fields"), 0),
                   ==, "position");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (conflict, "mine"),
                                                  "position"), ==, "A");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (conflict, "theirs"),
                                                  "position"), ==, "B");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (conflict, "base"),
                                                  "position"), ==, "P");

  /* Settled with theirs: A takes B's value. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (test_client_cli (fixture->a, NULL, NULL, &err, "resolve", id, "--take", "both",
                                    NULL), ==, 2);
  g_assert_cmpint (test_client_cli (fixture->a, NULL, NULL, NULL, "resolve", id, "--take", "theirs",
                                    NULL), ==, 0);
  none = cli_json (fixture->a, "conflicts");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (none)), ==, 0);
  settled = cli_json (fixture->a, "sync");
  g_assert_cmpint (summary_value (settled, "conflicts"), ==, 0);
  assert_string_field (fixture->a, id, "position", "B");

  /* Again, settled with mine: B gets A's value. */
  g_object_unref (test_client_patch (fixture->b, id, "{\"position\":\"B2\"}"));
  b3 = sync_ok (fixture->b);
  g_free (cli_put (fixture->a, id, "{\"position\":\"A2\"}"));
  second = cli_json (fixture->a, "sync");
  g_assert_cmpint (summary_value (second, "conflicts"), ==, 1);
  g_assert_cmpint (test_client_cli (fixture->a, NULL, NULL, NULL, "resolve", id, "--take", "mine",
                                    NULL), ==, 0);
  third = cli_json (fixture->a, "sync");
  g_assert_cmpint (summary_value (third, "pushed"), ==, 1);
  b4 = sync_ok (fixture->b);
  assert_string_field (fixture->b, id, "position", "A2");

  /* Logout forgets the token here and revokes it on the server; a sync then says what
   * to do. */
  {
    g_autoptr(GKeyFile) saved = g_key_file_new ();
    g_autofree char *token = NULL;
    g_autofree char *bearer = NULL;
    g_autofree char *changes = g_strconcat (fixture->server->url, "api/v1/changes?since=0", NULL);
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autoptr(SoupMessage) before = NULL;
    g_autoptr(SoupMessage) after = NULL;
    g_autoptr(GBytes) body_before = NULL;
    g_autoptr(GBytes) body_after = NULL;
    g_autoptr(GError) http_error = NULL;

    g_assert_true (g_key_file_load_from_file (saved, token_file, G_KEY_FILE_NONE, NULL));
    token = g_key_file_get_string (saved, "session", "token", NULL);
    g_assert_nonnull (token);
    bearer = g_strconcat ("Bearer ", token, NULL);
    before = soup_message_new ("GET", changes);
    soup_message_headers_replace (soup_message_get_request_headers (before), "Authorization", bearer);
    body_before = soup_session_send_and_read (session, before, NULL, &http_error);
    g_assert_no_error (http_error);
    g_assert_cmpuint (soup_message_get_status (before), ==, SOUP_STATUS_OK);

    g_assert_cmpint (test_client_cli (fixture->a, NULL, NULL, NULL, "logout", NULL), ==, 0);
    g_assert_false (g_file_test (token_file, G_FILE_TEST_EXISTS));

    after = soup_message_new ("GET", changes);
    soup_message_headers_replace (soup_message_get_request_headers (after), "Authorization", bearer);
    body_after = soup_session_send_and_read (session, after, NULL, &http_error);
    g_assert_no_error (http_error);
    g_assert_cmpuint (soup_message_get_status (after), ==, SOUP_STATUS_UNAUTHORIZED);
  }
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (test_client_cli (fixture->a, NULL, &ignored, &err, "sync", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "not signed in"));
}

/* ---------- SIGKILL in the middle ---------- */

static void
kill_cli_when_held (TestClient *client,
                    TestProxy  *proxy)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process =
    test_client_cli_spawn (client, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                   G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                           &error, "sync", "--progress", NULL);

  g_assert_no_error (error);
  test_proxy_wait_held (proxy);
  g_subprocess_force_exit (process);
  test_wait_process (process);
  g_assert_true (g_subprocess_get_if_signaled (process));
  g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGKILL);
  test_proxy_drop_held (proxy);
}

static void
test_sync_kill_mid_push (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(TestProxy) proxy = test_proxy_new (fixture->server->url);
  g_autoptr(JsonNode) resumed = NULL;
  g_autoptr(CnSyncSummary) b1 = NULL;
  g_autoptr(GError) error = NULL;
  CnStoreCounts counts = { 0 };

  test_client_login (fixture->a, test_proxy_get_url (proxy), "an", PASSWORD_AN);
  test_client_login (fixture->b, fixture->server->url, "binh", PASSWORD_BINH);
  put_many (fixture->a, 450);

  /* Killed while the server has applied the third batch and the answer is on its way. */
  test_proxy_hold (proxy, "POST", "/api/v1/changes", 3, TRUE);
  kill_cli_when_held (fixture->a, proxy);
  g_assert_true (cn_store_get_counts (fixture->a->store, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.pending, ==, 250);
  g_assert_cmpuint (counts.records, ==, 450);

  resumed = cli_json (fixture->a, "sync");
  /* The third batch again: answered as the first time, applied once. */
  g_assert_cmpint (summary_value (resumed, "pushed"), ==, 250);
  g_assert_cmpint (summary_value (resumed, "merged"), ==, 0);
  g_assert_cmpint (summary_value (resumed, "conflicts"), ==, 0);
  g_assert_true (cn_store_get_counts (fixture->a->store, &counts, &error));
  g_assert_cmpuint (counts.pending, ==, 0);

  b1 = sync_ok (fixture->b);
  g_assert_cmpuint (b1->pulled, ==, 450);
  g_assert_cmpuint (test_client_count (fixture->b, "person"), ==, 450);
  g_assert_cmpuint (test_client_count (fixture->a, "person"), ==, 450);
}

static void
test_sync_kill_mid_pull (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(TestProxy) proxy = test_proxy_new (fixture->server->url);
  g_autoptr(JsonNode) resumed = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *resume_prefix = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  pushed_for_pull (fixture, proxy, 1500);

  /* Killed while waiting for the second page (pages of 1000), once the first is written:
   * the second is asked for while the first is being written. */
  test_proxy_hold (proxy, "GET", "/api/v1/changes", 2, FALSE);
  process = test_client_cli_spawn (fixture->b, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                               G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                   &error, "sync", NULL);
  g_assert_no_error (error);
  test_proxy_wait_held (proxy);
  while (test_client_count (fixture->b, "person") < 1000)
    g_usleep (10 * 1000);
  g_subprocess_force_exit (process);
  test_wait_process (process);
  g_assert_true (g_subprocess_get_if_signaled (process));
  test_proxy_drop_held (proxy);
  /* The first page and its cursor are there, whole. */
  g_assert_cmpuint (test_client_count (fixture->b, "person"), ==, 1000);
  cursor = cn_store_dup_meta (fixture->b->store, CN_STORE_META_CURSOR);
  g_assert_nonnull (cursor);

  resumed = cli_json (fixture->b, "sync");
  g_assert_cmpint (summary_value (resumed, "pulled"), ==, 500);
  g_assert_cmpuint (test_client_count (fixture->b, "person"), ==, 1500);
  /* A record of the page pulled before the kill is found, like one of the resumed page. */
  assert_found_once (fixture->b, "Người số 777", "Người số 777", NULL);
  assert_found_once (fixture->b, "nguoi so 1254", "Người số 1254", NULL);
  /* It went on from the stored cursor, not from the start: the only request from 0 was the
   * killed sync's first, and the stored cursor was asked twice (held, then resumed). */
  g_assert_cmpuint (test_proxy_count (proxy, "GET", "/api/v1/changes?since=0&"), ==, 1);
  resume_prefix = g_strdup_printf ("/api/v1/changes?since=%s&", cursor);
  g_assert_cmpuint (test_proxy_count (proxy, "GET", resume_prefix), ==, 2);
}

static void
assert_fts_setting (TestClient *client,
                    const char *key,
                    gint64      value)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (cn_store_get_db (client->store),
                                       "SELECT v FROM search_config WHERE k = ?1", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, value);
  sqlite3_finalize (stmt);
}

/* A first sync of more than a page (each page indexed as it is written): everything
 * pulled is searchable when it ends. */
static void
test_sync_initial_search (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(CnRecord) rare = NULL;
  g_autoptr(CnSyncSummary) a1 = NULL;
  g_autoptr(CnSyncSummary) b1 = NULL;
  g_autoptr(CnSyncSummary) b2 = NULL;
  g_autoptr(CnRecord) later = NULL;
  g_autoptr(CnSyncSummary) a2 = NULL;

  log_in_both (fixture);
  put_many (fixture->a, 2600);
  rare = test_client_put (fixture->a, "person", NULL,
                          "{\"full_name\":\"Phạm Thị Xuân Quỳnh\",\"position\":\"Cán bộ\"}");
  a1 = sync_ok (fixture->a);
  g_assert_cmpuint (a1->pushed, ==, 2601);

  b1 = sync_ok (fixture->b);
  g_assert_cmpuint (b1->pulled, ==, 2601);
  /* The pull's full-text setting (big in-memory segments) is FTS5's default again once
   * it is done: later small writes make small segments. */
  assert_fts_setting (fixture->b, "hashsize", 1048576);
  assert_found_once (fixture->b, "xuan quynh", "Phạm Thị Xuân Quỳnh", cn_record_get_id (rare));
  assert_found_once (fixture->b, "Người số 1999", "Người số 1999", NULL);
  assert_found_once (fixture->b, "NGƯỜI SỐ 2599", "Người số 2599", NULL);

  /* A later, small sync on the same client indexes as it goes. */
  later = test_client_put (fixture->a, "person", NULL,
                           "{\"full_name\":\"Đặng Văn Khiêm\",\"position\":\"Cán bộ\"}");
  a2 = sync_ok (fixture->a);
  b2 = sync_ok (fixture->b);
  g_assert_cmpuint (b2->pulled, ==, 1);
  assert_found_once (fixture->b, "dang van khiem", "Đặng Văn Khiêm", cn_record_get_id (later));
}

/* The sync worker keeps its connection to the database between syncs: later syncs on it,
 * with news and without, see everything; the client lets it go when it goes (a store left
 * open would be a leak that the sanitizer build reports). */
static void
test_sync_worker_connection (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(CnSyncSummary) a1 = NULL;
  g_autoptr(CnSyncSummary) b1 = NULL;
  g_autoptr(CnSyncSummary) b2 = NULL;
  g_autoptr(CnSyncSummary) b3 = NULL;
  g_autoptr(CnRecord) first = NULL;
  g_autoptr(CnRecord) second = NULL;
  CnSyncClient *gone;

  log_in_both (fixture);
  first = test_client_put (fixture->a, "person", NULL, "{\"full_name\":\"Lê Văn Tám\"}");
  a1 = sync_ok (fixture->a);
  b1 = sync_ok (fixture->b);
  g_assert_cmpuint (b1->pulled, ==, 1);

  /* Later syncs, one with news, one without. */
  second = test_client_put (fixture->a, "person", NULL, "{\"full_name\":\"Võ Thị Sáu\"}");
  g_clear_pointer (&a1, cn_sync_summary_free);
  a1 = sync_ok (fixture->a);
  b2 = sync_ok (fixture->b);
  g_assert_cmpuint (b2->pulled, ==, 1);
  assert_string_field (fixture->b, cn_record_get_id (second), "full_name", "Võ Thị Sáu");
  assert_found_once (fixture->b, "vo thi sau", "Võ Thị Sáu", cn_record_get_id (second));
  b3 = sync_ok (fixture->b);
  g_assert_cmpuint (b3->pulled, ==, 0);
  assert_found_once (fixture->b, "le van tam", "Lê Văn Tám", cn_record_get_id (first));

  /* The worker thread lets go of the last sync's task (and its hold on the client) a
   * moment after the sync finished. */
  gone = fixture->b->sync;
  g_object_add_weak_pointer (G_OBJECT (gone), (gpointer *) &gone);
  g_clear_object (&fixture->b->sync);
  for (guint i = 0; gone != NULL && i < 10000; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (gone != NULL)
        g_usleep (1000);
    }
  g_assert_null (gone);
}


/* ---------- a self-signed certificate, accepted only once confirmed ---------- */

static char *
fingerprint_of (const char *cert_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_file (cert_path, &error);
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *hex = NULL;
  GString *pretty = g_string_new (NULL);

  g_assert_no_error (error);
  g_object_get (certificate, "certificate", &der, NULL);
  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  for (guint i = 0; hex[i] != '\0'; i += 2)
    g_string_append_printf (pretty, "%s%c%c", i > 0 ? ":" : "",
                            g_ascii_toupper (hex[i]), g_ascii_toupper (hex[i + 1]));
  return g_string_free (pretty, FALSE);
}

static void
test_sync_self_signed_certificate (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *password = g_strconcat (PASSWORD_AN, "\n", NULL);
  g_autofree char *err = NULL;
  g_autofree char *pinned = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CnRecord) record = NULL;
  g_autoptr(CnSyncSummary) synced = NULL;
  g_autoptr(JsonNode) cli_synced = NULL;
  const char *wrong = "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
                      "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";

  if (openssl == NULL)
    {
      g_test_skip ("openssl is needed to make a self-signed certificate");
      return;
    }
  cert = g_build_filename (fixture->server->dir, "cert.pem", NULL);
  key = g_build_filename (fixture->server->dir, "key.pem", NULL);
  {
    g_autoptr(GSubprocess) make = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                    G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                                    openssl, "req", "-x509", "-newkey", "rsa:2048",
                                                    "-nodes", "-keyout", key, "-out", cert,
                                                    "-days", "2", "-subj", "/CN=127.0.0.1",
                                                    "-addext", "subjectAltName=IP:127.0.0.1",
                                                    NULL);
    g_assert_no_error (error);
    test_wait_process (make);
    g_assert_true (g_subprocess_get_successful (make));
  }
  fingerprint = fingerprint_of (cert);
  test_server_kill (fixture->server);
  fixture->server->tls_cert = g_strdup (cert);
  fixture->server->tls_key = g_strdup (key);
  fixture->server->port = 0;
  test_server_start (fixture->server);
  g_assert_true (g_str_has_prefix (fixture->server->url, "https://"));

  /* Never silently: refused, and the fingerprint shown so that someone can check it. */
  g_assert_false (test_client_try_login (fixture->a, fixture->server->url, "an", PASSWORD_AN,
                                         &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_CERTIFICATE);
  g_assert_nonnull (strstr (error->message, fingerprint));
  g_clear_error (&error);
  g_assert_cmpstr (cn_sync_client_get_presented_certificate (fixture->a->sync), ==, fingerprint);
  g_assert_false (cn_sync_client_get_signed_in (fixture->a->sync));

  /* Another fingerprint than the presented one is no confirmation. */
  {
    GAsyncResult *result = NULL;

    cn_sync_client_login_async (fixture->a->sync, fixture->server->url, "an", PASSWORD_AN,
                                wrong, NULL, sync_done_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (cn_sync_client_login_finish (fixture->a->sync, result, &error));
    g_assert_error (error, CN_ERROR, CN_ERROR_CERTIFICATE);
    g_clear_error (&error);
    g_clear_object (&result);

    /* The confirmed one is pinned and works for sign-in and sync. */
    cn_sync_client_login_async (fixture->a->sync, fixture->server->url, "an", PASSWORD_AN,
                                fingerprint, NULL, sync_done_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (cn_sync_client_login_finish (fixture->a->sync, result, &error));
    g_assert_no_error (error);
    g_clear_object (&result);
  }
  pinned = cn_store_dup_meta (fixture->a->store, CN_SYNC_META_PINNED_CERTIFICATE);
  g_assert_nonnull (pinned);
  record = test_client_put (fixture->a, "person", NULL, "{\"full_name\":\"Qua HTTPS\"}");
  synced = sync_ok (fixture->a);
  g_assert_cmpuint (synced->pushed, ==, 1);

  /* caunoi-cli says what to do, and takes the confirmed fingerprint. */
  g_assert_cmpint (test_client_cli (fixture->b, password, NULL, &err, "login",
                                    fixture->server->url, "an", NULL), ==, 1);
  g_assert_nonnull (strstr (err, fingerprint));
  g_assert_nonnull (strstr (err, "--accept-certificate"));
  g_assert_cmpint (test_client_cli (fixture->b, password, NULL, NULL, "login",
                                    fixture->server->url, "an", "--accept-certificate",
                                    fingerprint, NULL), ==, 0);
  cli_synced = cli_json (fixture->b, "sync");
  g_assert_cmpint (summary_value (cli_synced, "pulled"), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Tokens in a private file: no keyring in a test session (set before any thread). */
  g_setenv ("CAUNOI_CREDENTIALS", "file", TRUE);

#define ADD(path, func) \
  g_test_add ("/sync/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("offline-edits", test_sync_offline_edits);
  ADD ("disjoint-merge", test_sync_disjoint_merge);
  ADD ("same-field-conflict", test_sync_same_field_conflict);
  ADD ("conflict-theirs-and-by-field", test_sync_conflict_take_theirs_and_by_field);
  ADD ("delete-against-edit", test_sync_delete_against_edit);
  ADD ("rejected", test_sync_rejected);
  ADD ("errors", test_sync_errors);
  ADD ("gone-full-resync", test_sync_gone_full_resync);
  ADD ("files", test_sync_files);
  ADD ("progress-and-server-restart", test_sync_progress_and_restart);
  ADD ("cancel", test_sync_cancel);
  ADD ("cancel-pull", test_sync_cancel_pull);
  ADD ("invalid-merge", test_sync_invalid_merge);
  ADD ("malformed-answers", test_sync_malformed_answers);
  ADD ("cli", test_sync_cli);
  ADD ("kill-mid-push", test_sync_kill_mid_push);
  ADD ("kill-mid-pull", test_sync_kill_mid_pull);
  ADD ("initial-search", test_sync_initial_search);
  ADD ("worker-connection", test_sync_worker_connection);
  ADD ("self-signed-certificate", test_sync_self_signed_certificate);
#undef ADD

  return g_test_run ();
}
