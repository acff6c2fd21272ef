/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sessions, the failed-login limiter, idempotent pushes, conflicts and the 410 path, against
 * a real caunoi-server. */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "cn-test-server.h"

typedef struct {
  CnTestServer *server;
  CnTestWorld   world;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = cn_test_server_new ();
  cn_test_world_setup (f->server, &f->world);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  cn_test_world_clear (&f->world);
  cn_test_server_free (f->server);
}

static guint
login_status (CnTestServer        *server,
              const char          *name,
              const char          *password,
              JsonNode           **answer,
              SoupMessageHeaders **headers)
{
  g_autofree char *body = g_strdup_printf ("{\"username\": \"%s\", \"password\": \"%s\"}",
                                           name, password);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  return cn_test_request (server, "POST", "/api/v1/session", NULL, NULL, bytes, answer, NULL,
                          headers);
}

static const char *
error_code (JsonNode *answer)
{
  g_assert_nonnull (answer);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (answer));
  g_assert_nonnull (json_object_get_string_member (json_node_get_object (answer), "message"));
  return json_object_get_string_member (json_node_get_object (answer), "error");
}

static guint
session_status (CnTestServer *server,
                const char   *token)
{
  g_autoptr(JsonNode) answer = NULL;

  return cn_test_request_json (server, "GET", "/api/v1/changes?since=0&limit=1", token, NULL,
                               &answer);
}

static void
sql_on_server_db (CnTestServer *server,
                  const char   *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (server->db_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_login_and_sessions (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autofree char *token = NULL;
  g_autofree char *second = NULL;
  g_autofree char *log = NULL;
  JsonObject *object, *user;
  guint status;

  /* A good login: a token, an expiry, the user with role and scope. */
  status = login_status (f->server, "staff_a", "staff_a-password", &answer, NULL);
  g_assert_cmpuint (status, ==, 200);
  object = json_node_get_object (answer);
  token = g_strdup (json_object_get_string_member (object, "token"));
  g_assert_cmpuint (strlen (token), ==, 64);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "expires_at"), "Z"));
  user = json_object_get_object_member (object, "user");
  g_assert_cmpstr (json_object_get_string_member (user, "name"), ==, "staff_a");
  g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, "staff");
  g_assert_cmpstr (json_object_get_string_member (user, "unit_id"), ==, f->world.district_a);
  g_clear_pointer (&answer, json_node_unref);

  /* GET /session tells who the token belongs to. */
  status = cn_test_request_json (f->server, "GET", "/api/v1/session", token, NULL, &answer);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_node_get_object (answer), "user"),
                     "name"), ==, "staff_a");
  g_clear_pointer (&answer, json_node_unref);

  /* Wrong password, unknown user: the same 401. */
  g_assert_cmpuint (login_status (f->server, "staff_a", "wrong-password", &answer, NULL), ==, 401);
  g_assert_cmpstr (error_code (answer), ==, "invalid_credentials");
  g_clear_pointer (&answer, json_node_unref);
  g_assert_cmpuint (login_status (f->server, "nobody", "staff_a-password", &answer, NULL), ==, 401);
  g_assert_cmpstr (error_code (answer), ==, "invalid_credentials");
  g_clear_pointer (&answer, json_node_unref);

  /* No token, a garbage token, a well-formed unknown token. */
  status = cn_test_request (f->server, "GET", "/api/v1/changes", NULL, NULL, NULL, &answer, NULL,
                            &headers);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpstr (error_code (answer), ==, "unauthorized");
  g_assert_nonnull (soup_message_headers_get_one (headers, "WWW-Authenticate"));
  g_clear_pointer (&answer, json_node_unref);
  g_assert_cmpuint (session_status (f->server, "garbage'; DROP TABLE sessions;--"), ==, 401);
  g_assert_cmpuint (session_status (f->server, "0000000000000000000000000000000000000000000000000000000000000000"), ==, 401);
  g_assert_cmpuint (session_status (f->server, token), ==, 200);

  /* Logout revokes this token only. */
  second = cn_test_login (f->server, "staff_a", "staff_a-password");
  status = cn_test_request_json (f->server, "DELETE", "/api/v1/session", token, NULL, &answer);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&answer, json_node_unref);
  g_assert_cmpuint (session_status (f->server, token), ==, 401);
  g_assert_cmpuint (session_status (f->server, second), ==, 200);

  /* An expired session is refused (expire it in the database, as time would). */
  sql_on_server_db (f->server, "UPDATE sessions SET expires_at = 1");
  g_assert_cmpuint (session_status (f->server, second), ==, 401);

  /* Disabling a user ends their sessions and their logins. */
  {
    g_autofree char *third = cn_test_login (f->server, "staff_b", "staff_b-password");
    g_assert_cmpuint (session_status (f->server, third), ==, 200);
    g_assert_cmpint (cn_test_run_command (NULL, NULL, NULL, "user", "disable", "staff_b", "--db",
                                          f->server->db_path, NULL), ==, 0);
    g_assert_cmpuint (session_status (f->server, third), ==, 401);
    g_assert_cmpuint (login_status (f->server, "staff_b", "staff_b-password", NULL, NULL), ==, 401);
  }

  /* The request log names user and status, never a password or a token. */
  g_assert_true (g_file_get_contents (f->server->log_path, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "POST /api/v1/session 200"));
  g_assert_nonnull (strstr (log, "user=staff_a"));
  g_assert_null (strstr (log, "staff_a-password"));
  g_assert_null (strstr (log, "wrong-password"));
  g_assert_null (strstr (log, token));
  g_assert_null (strstr (log, second));
}

static void
test_rate_limit (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  const char *retry_after;
  guint64 seconds;

  /* Five failures for one name (the default), then even the right password waits. */
  for (int i = 0; i < 5; i++)
    g_assert_cmpuint (login_status (f->server, "staff_a", "guess-guess", NULL, NULL), ==, 401);
  g_assert_cmpuint (login_status (f->server, "staff_a", "staff_a-password", &answer, &headers),
                    ==, 429);
  g_assert_cmpstr (error_code (answer), ==, "rate_limited");
  retry_after = soup_message_headers_get_one (headers, "Retry-After");
  g_assert_nonnull (retry_after);
  g_assert_true (g_ascii_string_to_unsigned (retry_after, 10, 1, 900, &seconds, NULL));

  /* Another user is not blocked by staff_a's failures… */
  g_assert_cmpuint (login_status (f->server, "staff_b", "staff_b-password", NULL, NULL), ==, 200);

  /* …but one address trying many names is: 4 × 5 failures in all from 127.0.0.1. */
  for (int i = 0; i < 15; i++)
    {
      g_autofree char *name = g_strdup_printf ("ghost%d", i);
      g_assert_cmpuint (login_status (f->server, name, "guess-guess", NULL, NULL), ==, 401);
    }
  g_assert_cmpuint (login_status (f->server, "staff_b", "staff_b-password", NULL, NULL), ==, 429);
  g_assert_true (cn_test_healthy (f->server));
}

static char *
push_body (const char *client_id,
           const char *mutation_id,
           const char *collection,
           const char *id,
           gint64      base_rev,
           const char *op,
           const char *data)
{
  return g_strdup_printf ("{\"client_id\": \"%s\", \"mutations\": [{\"mutation_id\": \"%s\", "
                          "\"collection\": \"%s\", \"id\": \"%s\", \"base_rev\": %"
                          G_GINT64_FORMAT ", \"op\": \"%s\"%s%s}]}",
                          client_id, mutation_id, collection, id, base_rev, op,
                          data ? ", \"data\": " : "", data ? data : "");
}

static JsonObject *
first_result (JsonNode *answer)
{
  return json_array_get_object_element (json_object_get_array_member (json_node_get_object (answer),
                                                                      "results"), 0);
}

static JsonObject *
find_change (JsonArray  *changes,
             const char *id)
{
  JsonObject *found = NULL;

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      if (g_str_equal (json_object_get_string_member (change, "id"), id))
        {
          g_assert_null (found);  /* each record once */
          found = change;
        }
    }
  return found;
}

static void
test_idempotent_push (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = cn_test_uuid ();
  g_autofree char *mutation = cn_test_uuid ();
  g_autofree char *task = g_strdup_printf ("{\"title\": \"Nạo vét kênh\", \"commune_id\": \"%s\", "
                                           "\"status\": \"open\"}", f->world.commune_a);
  g_autofree char *body = push_body ("laptop-1", mutation, "task", id, 0, "put", task);
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) holder = NULL;
  g_autofree char *first_text = NULL;
  g_autofree char *second_text = NULL;
  JsonObject *change;
  gint64 seq;

  g_assert_cmpuint (cn_test_request_json (f->server, "POST", "/api/v1/changes", f->world.staff_a,
                                          body, &first), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (first_result (first), "status"), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (first_result (first), "rev"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (first_result (first), "updated_by"), ==,
                   "staff_a");
  seq = json_object_get_int_member (first_result (first), "seq");

  /* The same push again (the answer was lost): the first answer, nothing applied twice. */
  g_assert_cmpuint (cn_test_request_json (f->server, "POST", "/api/v1/changes", f->world.staff_a,
                                          body, &second), ==, 200);
  first_text = json_to_string (first, FALSE);
  second_text = json_to_string (second, FALSE);
  g_assert_cmpstr (first_text, ==, second_text);

  change = find_change (cn_test_pull_all (f->server, f->world.admin, 0, NULL, &holder), id);
  g_assert_nonnull (change);
  g_assert_cmpint (json_object_get_int_member (change, "rev"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (change, "seq"), ==, seq);
  g_assert_cmpstr (json_object_get_string_member (change, "updated_by"), ==, "staff_a");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (change, "updated_at"), "Z"));
}

static void
test_conflicts (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *id = cn_test_uuid ();
  g_autofree char *v1 = g_strdup_printf ("{\"title\": \"Bê tông hóa\", \"commune_id\": \"%s\", "
                                         "\"status\": \"open\"}", f->world.commune_a);
  g_autofree char *v2 = g_strdup_printf ("{\"title\": \"Bê tông hóa\", \"commune_id\": \"%s\", "
                                         "\"status\": \"in_progress\"}", f->world.commune_a);
  g_autofree char *v3 = g_strdup_printf ("{\"title\": \"Bê tông hóa đường thôn\", "
                                         "\"commune_id\": \"%s\", \"status\": \"open\"}",
                                         f->world.commune_a);
  g_autoptr(JsonNode) h1 = NULL, h2 = NULL, h3 = NULL, h4 = NULL, h5 = NULL, h6 = NULL;
  JsonObject *result, *current;

  result = cn_test_push_one (f->server, f->world.staff_a, "task", id, 0, "put", v1, &h1);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");

  /* Admin moves the task to rev 2. */
  result = cn_test_push_one (f->server, f->world.admin, "task", id, 1, "put", v2, &h2);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (result, "rev"), ==, 2);

  /* staff_a still edits from rev 1: a conflict carrying the current record, not applied. */
  result = cn_test_push_one (f->server, f->world.staff_a, "task", id, 1, "put", v3, &h3);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "conflict");
  current = json_object_get_object_member (result, "current");
  g_assert_cmpint (json_object_get_int_member (current, "rev"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (current, "updated_by"), ==, "admin");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (current, "data"),
                                                  "status"), ==, "in_progress");

  /* Delete against an edit: the delete from rev 1 is a conflict too. */
  result = cn_test_push_one (f->server, f->world.staff_a, "task", id, 1, "delete", NULL, &h4);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "conflict");

  /* Deleted at rev 2, then an edit from rev 2 elsewhere: a conflict with the tombstone. */
  result = cn_test_push_one (f->server, f->world.staff_a, "task", id, 2, "delete", NULL, &h5);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (result, "rev"), ==, 3);
  result = cn_test_push_one (f->server, f->world.admin, "task", id, 2, "put", v3, &h6);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "conflict");
  current = json_object_get_object_member (result, "current");
  g_assert_true (json_object_get_boolean_member (current, "deleted"));
  g_assert_cmpint (json_object_get_int_member (current, "rev"), ==, 3);
}

static void
test_gone_after_purge (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *keep = cn_test_uuid ();
  g_autofree char *doomed = cn_test_uuid ();
  g_autoptr(JsonNode) h1 = NULL, h2 = NULL, h3 = NULL, answer = NULL, full = NULL;
  g_autofree char *out = NULL;
  g_autofree char *old_cursor = NULL;
  g_autofree char *new_cursor = NULL;
  gint64 cursor, next;
  JsonObject *result;
  JsonArray *changes;

  cn_test_push_one (f->server, f->world.editor, "article", keep, 0, "put",
                    "{\"title\": \"Giữ lại\"}", &h1);
  result = cn_test_push_one (f->server, f->world.editor, "article", doomed, 0, "put",
                             "{\"title\": \"Sẽ xóa\"}", &h2);
  cursor = json_object_get_int_member (result, "seq");
  result = cn_test_push_one (f->server, f->world.editor, "article", doomed, 1, "delete", NULL, &h3);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");

  /* Before the purge the old cursor works. */
  old_cursor = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=10", cursor);
  g_assert_cmpuint (cn_test_request_json (f->server, "GET", old_cursor, f->world.staff_a, NULL,
                                          &answer), ==, 200);
  g_clear_pointer (&answer, json_node_unref);

  /* Purge every tombstone while the server runs. */
  g_assert_cmpint (cn_test_run_command (NULL, &out, NULL, "purge", "--db", f->server->db_path,
                                        "--older-than", "0", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "1"));

  g_assert_cmpuint (cn_test_request_json (f->server, "GET", old_cursor, f->world.staff_a, NULL,
                                          &answer), ==, 410);
  g_assert_cmpstr (error_code (answer), ==, "gone");
  g_clear_pointer (&answer, json_node_unref);

  /* A full resync from 0 works and no longer has the purged record. */
  changes = cn_test_pull_all (f->server, f->world.staff_a, 0, &next, &full);
  g_assert_null (find_change (changes, doomed));
  g_assert_nonnull (find_change (changes, keep));
  new_cursor = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=10", next);
  g_assert_cmpuint (cn_test_request_json (f->server, "GET", new_cursor, f->world.staff_a, NULL,
                                          &answer), ==, 200);
  g_clear_pointer (&answer, json_node_unref);

  /* A cursor ahead of the server (a restored backup) is gone too. */
  g_assert_cmpuint (cn_test_request_json (f->server, "GET", "/api/v1/changes?since=999999",
                                          f->world.staff_a, NULL, &answer), ==, 410);
}

static void
test_sql_metacharacters_verbatim (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *id = cn_test_uuid ();
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) holder = NULL, pulled = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) data_node = NULL;
  JsonObject *result, *change;
  const char *expected = "Robert'); DROP TABLE records;-- \" %_ ? ' OR '1'='1";

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, expected);
  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "'; DELETE FROM users; --");
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  data_node = json_builder_get_root (builder);
  json = json_to_string (data_node, FALSE);

  result = cn_test_push_one (f->server, f->world.editor, "article", id, 0, "put", json, &holder);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");

  change = find_change (cn_test_pull_all (f->server, f->world.viewer_a, 0, NULL, &pulled), id);
  g_assert_nonnull (change);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (change, "data"),
                                                  "title"), ==, expected);
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (json_object_get_object_member (change, "data"),
                                                   "tags"), 0), ==, "'; DELETE FROM users; --");
  /* The users are all still there. */
  g_assert_cmpuint (login_status (f->server, "admin", "admin-password", NULL, NULL), ==, 200);
}

static void
test_batch_results_in_order (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *a = cn_test_uuid ();
  g_autofree char *b = cn_test_uuid ();
  g_autofree char *m1 = cn_test_uuid ();
  g_autofree char *m2 = cn_test_uuid ();
  g_autofree char *m3 = cn_test_uuid ();
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonArray *results;

  /* One create, one forbidden, one invalid: three results, in order; the good one applied. */
  body = g_strdup_printf ("{\"client_id\": \"c\", \"mutations\": ["
                          "{\"mutation_id\": \"%s\", \"collection\": \"visit\", \"id\": \"%s\", "
                          " \"base_rev\": 0, \"op\": \"put\", \"data\": {\"commune_id\": \"%s\", "
                          " \"date\": \"2025-07-01\"}},"
                          "{\"mutation_id\": \"%s\", \"collection\": \"article\", \"id\": \"%s\", "
                          " \"base_rev\": 0, \"op\": \"put\", \"data\": {\"title\": \"x\"}},"
                          "{\"mutation_id\": \"%s\", \"collection\": \"visit\", \"id\": \"%s\", "
                          " \"base_rev\": 0, \"op\": \"put\", \"data\": {\"commune_id\": \"%s\", "
                          " \"date\": \"2025-02-30\"}}]}",
                          m1, a, f->world.commune_a, m2, b, m3, b, f->world.commune_a);
  g_assert_cmpuint (cn_test_request_json (f->server, "POST", "/api/v1/changes", f->world.staff_a,
                                          body, &answer), ==, 200);
  results = json_object_get_array_member (json_node_get_object (answer), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0),
                                                  "mutation_id"), ==, m1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0),
                                                  "status"), ==, "applied");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 1),
                                                  "error"), ==, "forbidden");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 2),
                                                  "status"), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 2),
                                                  "error"), ==, "invalid");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/server/api/login-and-sessions", Fixture, NULL, fixture_setup,
              test_login_and_sessions, fixture_teardown);
  g_test_add ("/server/api/rate-limit", Fixture, NULL, fixture_setup, test_rate_limit,
              fixture_teardown);
  g_test_add ("/server/api/idempotent-push", Fixture, NULL, fixture_setup, test_idempotent_push,
              fixture_teardown);
  g_test_add ("/server/api/conflicts", Fixture, NULL, fixture_setup, test_conflicts,
              fixture_teardown);
  g_test_add ("/server/api/gone-after-purge", Fixture, NULL, fixture_setup,
              test_gone_after_purge, fixture_teardown);
  g_test_add ("/server/api/sql-metacharacters-verbatim", Fixture, NULL, fixture_setup,
              test_sql_metacharacters_verbatim, fixture_teardown);
  g_test_add ("/server/api/batch-results-in-order", Fixture, NULL, fixture_setup,
              test_batch_results_in_order, fixture_teardown);
  return g_test_run ();
}
