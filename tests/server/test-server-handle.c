/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cn_server_handle() without sockets: the entry point a fuzz target uses. Checks that it
 * answers every request on its own (no network, no main loop) and the Range forms. */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cn-server.h"
#include "cn-server-auth.h"
#include "cn-server-files.h"
#include "cn-server-records.h"
#include "cn-error.h"

typedef struct {
  char     *dir;
  CnServer *server;
  CnServerDb *db;     /* the server's */
  char     *token;
  char     *auth;
  char     *sha256;
  GBytes   *contents;
} Fixture;

static JsonObject *
answer_object (CnServerResponse *response,
               JsonNode        **holder)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (response->content_type, ==, "application/json");
  json_parser_load_from_data (parser, g_bytes_get_data (response->body, NULL),
                              (gssize) g_bytes_get_size (response->body), &error);
  g_assert_no_error (error);
  *holder = json_node_copy (json_parser_get_root (parser));
  return json_node_get_object (*holder);
}

static CnServerResponse *
handle (Fixture    *f,
        const char *method,
        const char *path,
        const char *query,
        const char *range,
        const char *body)
{
  g_autoptr(GBytes) bytes = body ? g_bytes_new (body, strlen (body)) : NULL;
  CnServerRequest request = {
    .method = method,
    .path = path,
    .query = query,
    .authorization = f->auth,
    .range = range,
    .remote_address = "192.0.2.1",
    .body = bytes,
  };

  return cn_server_handle (f->server, &request);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *files = NULL;
  g_autoptr(CnServerResponse) login = NULL;
  g_autoptr(JsonNode) holder = NULL;
  CnServerDb *db;

  g_setenv ("CAUNOI_SERVER_FAST_KDF", "1", TRUE);
  f->dir = g_dir_make_tmp ("caunoi-handle-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (f->dir, "server.db", NULL);
  files = g_build_filename (f->dir, "files", NULL);
  db = cn_server_db_open (db_path, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (cn_server_user_add (db, "editor", CN_ROLE_EDITOR, NULL, "editor-password",
                                     &error));
  g_assert_no_error (error);
  f->server = cn_server_new (db, files);
  f->db = db;

  login = handle (f, "POST", "/api/v1/session", NULL, NULL,
                  "{\"username\": \"editor\", \"password\": \"editor-password\"}");
  g_assert_cmpuint (login->status, ==, 200);
  f->token = g_strdup (json_object_get_string_member (answer_object (login, &holder), "token"));
  f->auth = g_strconcat ("Bearer ", f->token, NULL);

  f->contents = g_bytes_new_static ("0123456789", 10);
  f->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, f->contents);
  g_assert_true (cn_server_files_store (files, f->sha256, f->contents, NULL, &error));
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->server);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->token);
  g_free (f->auth);
  g_free (f->sha256);
  g_bytes_unref (f->contents);
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CnServerResponse) health = handle (f, "GET", "/healthz", NULL, NULL, NULL);
  g_autoptr(CnServerResponse) push = NULL;
  g_autoptr(CnServerResponse) pull = NULL;
  g_autoptr(JsonNode) h1 = NULL, h2 = NULL;
  JsonArray *changes;

  g_assert_cmpuint (health->status, ==, 200);

  push = handle (f, "POST", "/api/v1/changes", NULL, NULL,
                 "{\"mutations\": [{\"mutation_id\": \"m1\", \"collection\": \"article\", "
                 "\"id\": \"0b5f2c1e-1d2a-4c3b-9a8b-7c6d5e4f3a2b\", \"base_rev\": 0, "
                 "\"op\": \"put\", \"data\": {\"title\": \"Tin\"}}]}");
  g_assert_cmpuint (push->status, ==, 200);
  g_assert_cmpstr (push->user, ==, "editor");
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (
                       answer_object (push, &h1), "results"), 0), "status"), ==, "applied");

  pull = handle (f, "GET", "/api/v1/changes", "since=0&limit=5", NULL, NULL);
  g_assert_cmpuint (pull->status, ==, 200);
  changes = json_object_get_array_member (answer_object (pull, &h2), "changes");
  g_assert_cmpuint (json_array_get_length (changes), ==, 1);
}

static void
test_ranges (Fixture       *f,
             gconstpointer  data)
{
  const struct {
    const char *range;
    guint       status;
    const char *body;           /* expected body, NULL: a JSON error */
    const char *content_range;  /* expected Content-Range, NULL: none */
  } cases[] = {
    { NULL, 200, "0123456789", NULL },
    { "bytes=0-0", 206, "0", "bytes 0-0/10" },
    { "bytes=2-5", 206, "2345", "bytes 2-5/10" },
    { "bytes=7-", 206, "789", "bytes 7-9/10" },
    { "bytes=7-100", 206, "789", "bytes 7-9/10" },
    { "bytes=-3", 206, "789", "bytes 7-9/10" },
    { "bytes=-30", 206, "0123456789", "bytes 0-9/10" },
    { "bytes=10-", 416, NULL, "bytes */10" },
    /* Not one simple range: the whole file. */
    { "bytes=5-2", 200, "0123456789", NULL },
    { "bytes=a-b", 200, "0123456789", NULL },
    { "bytes=-", 200, "0123456789", NULL },
    { "bytes=0-1,4-5", 200, "0123456789", NULL },
    { "items=0-1", 200, "0123456789", NULL },
    { "bytes=-0", 200, "0123456789", NULL },
    { "bytes=99999999999999999999999-", 200, "0123456789", NULL },
  };
  g_autofree char *path = g_strconcat ("/api/v1/files/", f->sha256, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CnServerResponse) response = handle (f, "GET", path, NULL, cases[i].range, NULL);
      const char *content_range = NULL;

      g_test_message ("Range: %s", cases[i].range ? cases[i].range : "(none)");
      g_assert_cmpuint (response->status, ==, cases[i].status);
      for (guint h = 0; h + 1 < response->headers->len; h += 2)
        if (g_str_equal (g_ptr_array_index (response->headers, h), "Content-Range"))
          content_range = g_ptr_array_index (response->headers, h + 1);
      g_assert_cmpstr (content_range, ==, cases[i].content_range);
      if (cases[i].body != NULL)
        {
          g_autoptr(GBytes) expected = g_bytes_new_static (cases[i].body, strlen (cases[i].body));
          g_assert_true (g_bytes_equal (response->body, expected));
        }
      else
        g_assert_cmpstr (response->content_type, ==, "application/json");
    }
}

static void
test_odd_requests (Fixture       *f,
                   gconstpointer  data)
{
  const struct {
    const char *method;
    const char *path;
    guint       status;
  } cases[] = {
    { "GET", NULL, 400 },               /* a path that did not decode */
    { "GET", "", 404 },
    { "GET", "/", 404 },
    { "BREW", "/healthz", 405 },
    { "GET", "/api/v1/", 404 },
    { "GET", "/api/v1/files/", 400 },
    { "GET", "/api/v1/sessionx", 404 },
    { "GET", "/api/v1/files/\xe1\xba\xa1", 400 },
    { "GET", "/api/v1/\xff", 400 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CnServerResponse) response = handle (f, cases[i].method, cases[i].path, NULL, NULL,
                                                     NULL);
      g_autoptr(JsonNode) holder = NULL;

      g_autofree char *shown = g_strescape (cases[i].path ? cases[i].path : "(null)", NULL);

      g_test_message ("%s %s", cases[i].method, shown);
      g_assert_cmpuint (response->status, ==, cases[i].status);
      g_assert_true (json_object_has_member (answer_object (response, &holder), "error"));
    }
}

static JsonObject *
object_from_json (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

#define BAD_ID "7d0c1a52-1f0e-4c3e-9a55-0b1f4d6c2e01"
#define PUSHED_BAD_ID "7d0c1a52-1f0e-4c3e-9a55-0b1f4d6c2e02"
#define GOOD_ID "7d0c1a52-1f0e-4c3e-9a55-0b1f4d6c2e03"

/* Text that is not UTF-8 never reaches the change feed: refused on the server's own write
 * path, rejected as "invalid" in a push (the other edits of the push applied). */
static void
test_invalid_utf8 (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) bad = json_object_new ();
  g_autoptr(JsonObject) bad_name = json_object_new ();
  g_autoptr(CnServerResponse) refused = NULL;
  g_autoptr(CnServerUser) user = NULL;
  g_autoptr(GPtrArray) mutations = NULL;
  CnServerMutation *m;
  g_autoptr(CnServerResponse) page = NULL;
  g_autoptr(JsonNode) pushed_holder = NULL;
  g_autoptr(JsonNode) page_holder = NULL;
  g_autofree char *body = NULL;
  JsonArray *results;
  JsonArray *changes;
  gboolean changed = TRUE;

  json_object_set_string_member (bad, "title", "X\xe2y d\xffng n\xf4ng th\xf4n");
  json_object_set_string_member (bad_name, "title", "Đường giao thông");
  json_object_set_string_member (bad_name, "t\xc3", "?");
  g_assert_true (cn_server_db_begin (f->db, &error));
  g_assert_false (cn_server_records_upsert (f->db, "article", BAD_ID, bad, FALSE, "import",
                                            &changed, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_INVALID);
  g_assert_false (changed);
  g_clear_error (&error);
  g_assert_false (cn_server_records_upsert (f->db, "article", BAD_ID, bad_name, FALSE, "import",
                                            &changed, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (cn_server_db_commit (f->db, &error));
  g_assert_no_error (error);

  /* Over HTTP a body that is not UTF-8 is refused whole, before any mutation is read. */
  body = g_strdup ("{\"client_id\": \"c1\", \"mutations\": ["
                   "{\"mutation_id\": \"3f1e2d4c-5b6a-4978-8a9b-0c1d2e3f4a50\", "
                   "\"collection\": \"article\", \"id\": \"" PUSHED_BAD_ID "\", \"base_rev\": 0, "
                   "\"op\": \"put\", \"data\": {\"title\": \"N\xf4ng th\xf4n m\xe1i\"}}]}");
  refused = handle (f, "POST", "/api/v1/changes", NULL, NULL, body);
  g_assert_cmpuint (refused->status, ==, 400);

  /* A push that reaches the server otherwise (built in C): that mutation is rejected as
   * invalid, the one beside it, with quotes, a backslash, control characters and
   * Vietnamese the feed must carry exactly, is applied. */
  user = cn_server_user_lookup (f->db, "editor", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (user);
  mutations = g_ptr_array_new_with_free_func ((GDestroyNotify) cn_server_mutation_free);
  m = g_new0 (CnServerMutation, 1);
  m->mutation_id = g_strdup ("3f1e2d4c-5b6a-4978-8a9b-0c1d2e3f4a51");
  m->collection = g_strdup ("article");
  m->id = g_strdup (PUSHED_BAD_ID);
  m->data = json_object_ref (bad);
  g_ptr_array_add (mutations, m);
  m = g_new0 (CnServerMutation, 1);
  m->mutation_id = g_strdup ("3f1e2d4c-5b6a-4978-8a9b-0c1d2e3f4a52");
  m->collection = g_strdup ("article");
  m->id = g_strdup (GOOD_ID);
  m->data = object_from_json ("{\"title\": \"Nông thôn mới \\\"kiểu mẫu\\\" \\\\ A\\tB\\nC\\u0001 </b>\", "
                            "\"tags\": [\"OCOP\", \"đường\"]}");
  g_ptr_array_add (mutations, m);
  pushed_holder = cn_server_apply_mutations (f->db, user, "c1", mutations, &error);
  g_assert_no_error (error);
  results = json_node_get_array (pushed_holder);
  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0),
                                                  "status"), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0),
                                                  "error"), ==, "invalid");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 1),
                                                  "status"), ==, "applied");

  /* The feed holds the valid record only, its text whole, in json-glib's own form. */
  page = handle (f, "GET", "/api/v1/changes", "since=0&limit=100", NULL, NULL);
  g_assert_cmpuint (page->status, ==, 200);
  changes = json_object_get_array_member (answer_object (page, &page_holder), "changes");
  g_assert_cmpuint (json_array_get_length (changes), ==, 1);
  {
    JsonObject *change = json_array_get_object_element (changes, 0);
    JsonObject *record = json_object_get_object_member (change, "data");
    g_autofree char *again = json_to_string (page_holder, FALSE);
    g_autofree char *sent = g_strndup (g_bytes_get_data (page->body, NULL),
                                       g_bytes_get_size (page->body));

    g_assert_cmpstr (json_object_get_string_member (change, "id"), ==, GOOD_ID);
    g_assert_cmpstr (json_object_get_string_member (record, "title"), ==,
                     "Nông thôn mới \"kiểu mẫu\" \\ A\tB\nC\001 </b>");
    g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (record, "tags"), 1),
                     ==, "đường");
    g_assert_cmpstr (sent, ==, again);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/server/handle/round-trip", Fixture, NULL, fixture_setup, test_round_trip,
              fixture_teardown);
  g_test_add ("/server/handle/ranges", Fixture, NULL, fixture_setup, test_ranges,
              fixture_teardown);
  g_test_add ("/server/handle/odd-requests", Fixture, NULL, fixture_setup, test_odd_requests,
              fixture_teardown);
  g_test_add ("/server/handle/invalid-utf8", Fixture, NULL, fixture_setup, test_invalid_utf8,
              fixture_teardown);
  return g_test_run ();
}
