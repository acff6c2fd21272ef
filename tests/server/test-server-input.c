/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every kind of bad input gets a 4xx with a JSON {error, message}; afterwards the server
 * still answers /healthz and still works. */
#include "config.h"

#include <string.h>

#include "cn-test-server.h"

#define MAX_BODY "1048576"

typedef struct {
  CnTestServer *server;
  CnTestWorld   world;
  char         *expired;
  char         *revoked;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonNode) answer = NULL;

  f->server = cn_test_server_new ();
  cn_test_server_add_user (f->server, "admin", "admin", NULL, "admin-password");
  cn_test_server_start (f->server, "--max-body", MAX_BODY, NULL);
  f->world.admin = cn_test_login (f->server, "admin", "admin-password");
  f->revoked = cn_test_login (f->server, "admin", "admin-password");
  g_assert_cmpuint (cn_test_request_json (f->server, "DELETE", "/api/v1/session", f->revoked,
                                          NULL, &answer), ==, 200);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->revoked);
  cn_test_world_clear (&f->world);
  cn_test_server_free (f->server);
}

typedef struct {
  const char *what;
  const char *method;
  const char *path;
  gboolean    with_token;
  const char *body;       /* NULL: none */
  gssize      body_len;   /* -1: strlen */
  guint       status;     /* 0: any 4xx */
  const char *error;
} BadInput;

#define M(fields) "{\"mutations\": [{" fields "}]}"
#define UUID1 "\"id\": \"0b5f2c1e-1d2a-4c3b-9a8b-7c6d5e4f3a2b\""

static const BadInput bad_inputs[] = {
  { "malformed JSON", "POST", "/api/v1/changes", TRUE, "{\"mutations\": [", -1, 400, "invalid_json" },
  { "trailing garbage", "POST", "/api/v1/changes", TRUE, "{\"mutations\": []} xx", -1, 400, "invalid_json" },
  { "invalid UTF-8", "POST", "/api/v1/changes", TRUE, "{\"client_id\": \"\xff\xfe\x80\", \"mutations\": []}", -1, 400, "invalid_utf8" },
  { "overlong UTF-8", "POST", "/api/v1/changes", TRUE, "{\"client_id\": \"\xc0\xaf\", \"mutations\": []}", -1, 400, "invalid_utf8" },
  { "NUL byte", "POST", "/api/v1/changes", TRUE, "{\"mutations\": []}\0", 18, 400, NULL },
  { "empty body", "POST", "/api/v1/changes", TRUE, "", 0, 400, "invalid_json" },
  { "array root", "POST", "/api/v1/changes", TRUE, "[]", -1, 400, "invalid_json" },
  { "string root", "POST", "/api/v1/session", FALSE, "\"admin\"", -1, 400, "invalid_json" },
  { "unknown top-level field", "POST", "/api/v1/changes", TRUE, "{\"mutations\": [], \"sudo\": true}", -1, 400, "unknown_field" },
  { "mutations not an array", "POST", "/api/v1/changes", TRUE, "{\"mutations\": {}}", -1, 400, "invalid" },
  { "mutations missing", "POST", "/api/v1/changes", TRUE, "{\"client_id\": \"c\"}", -1, 400, "invalid" },
  { "client_id a number", "POST", "/api/v1/changes", TRUE, "{\"client_id\": 7, \"mutations\": []}", -1, 400, "invalid" },
  { "mutation not an object", "POST", "/api/v1/changes", TRUE, "{\"mutations\": [42]}", -1, 400, "invalid" },
  { "unknown collection", "POST", "/api/v1/changes", TRUE,
    M("\"mutation_id\": \"m\", \"collection\": \"users\", " UUID1 ", \"base_rev\": 0, \"op\": \"put\", \"data\": {}"), -1, 400, "unknown_collection" },
  { "unknown mutation field", "POST", "/api/v1/changes", TRUE,
    M("\"mutation_id\": \"m\", \"collection\": \"article\", " UUID1 ", \"base_rev\": 0, \"op\": \"put\", \"data\": {\"title\": \"t\"}, \"rev\": 9"), -1, 400, "unknown_field" },
  { "base_rev a string", "POST", "/api/v1/changes", TRUE,
    M("\"mutation_id\": \"m\", \"collection\": \"article\", " UUID1 ", \"base_rev\": \"0\", \"op\": \"put\", \"data\": {\"title\": \"t\"}"), -1, 400, "invalid" },
  { "base_rev negative", "POST", "/api/v1/changes", TRUE,
    M("\"mutation_id\": \"m\", \"collection\": \"article\", " UUID1 ", \"base_rev\": -1, \"op\": \"put\", \"data\": {\"title\": \"t\"}"), -1, 400, "invalid" },
  { "base_rev a float", "POST", "/api/v1/changes", TRUE,
    M("\"mutation_id\": \"m\", \"collection\": \"article\", " UUID1 ", \"base_rev\": 1.5, \"op\": \"put\", \"data\": {\"title\": \"t\"}"), -1, 400, "invalid" },
  { "unknown op", "POST", "/api/v1/changes", TRUE,
    M("\"mutation_id\": \"m\", \"collection\": \"article\", " UUID1 ", \"base_rev\": 0, \"op\": \"merge\", \"data\": {\"title\": \"t\"}"), -1, 400, "invalid" },
  { "id not a UUID", "POST", "/api/v1/changes", TRUE,
    M("\"mutation_id\": \"m\", \"collection\": \"article\", \"id\": \"../../etc\", \"base_rev\": 0, \"op\": \"put\", \"data\": {\"title\": \"t\"}"), -1, 400, "invalid" },
  { "data not an object", "POST", "/api/v1/changes", TRUE,
    M("\"mutation_id\": \"m\", \"collection\": \"article\", " UUID1 ", \"base_rev\": 0, \"op\": \"put\", \"data\": [1]"), -1, 400, "invalid" },
  { "mutation_id missing", "POST", "/api/v1/changes", TRUE,
    M("\"collection\": \"article\", " UUID1 ", \"base_rev\": 0, \"op\": \"put\", \"data\": {\"title\": \"t\"}"), -1, 400, "invalid" },
  { "login: username a number", "POST", "/api/v1/session", FALSE, "{\"username\": 5, \"password\": \"x\"}", -1, 400, "invalid" },
  { "login: unknown field", "POST", "/api/v1/session", FALSE, "{\"username\": \"admin\", \"password\": \"admin-password\", \"role\": \"admin\"}", -1, 400, "unknown_field" },
  { "login: no password", "POST", "/api/v1/session", FALSE, "{\"username\": \"admin\"}", -1, 400, "invalid" },
  { "limit negative", "GET", "/api/v1/changes?since=0&limit=-1", TRUE, NULL, 0, 400, "invalid_limit" },
  { "limit zero", "GET", "/api/v1/changes?limit=0", TRUE, NULL, 0, 400, "invalid_limit" },
  { "limit too large", "GET", "/api/v1/changes?limit=1001", TRUE, NULL, 0, 400, "invalid_limit" },
  { "limit huge", "GET", "/api/v1/changes?limit=99999999999999999999999", TRUE, NULL, 0, 400, "invalid_limit" },
  { "limit not a number", "GET", "/api/v1/changes?limit=ten", TRUE, NULL, 0, 400, "invalid_limit" },
  { "limit with spaces", "GET", "/api/v1/changes?limit=%2010", TRUE, NULL, 0, 400, "invalid_limit" },
  { "since negative", "GET", "/api/v1/changes?since=-5", TRUE, NULL, 0, 400, "invalid_cursor" },
  { "since SQL", "GET", "/api/v1/changes?since=0%20OR%201=1", TRUE, NULL, 0, 400, "invalid_cursor" },
  { "unknown parameter", "GET", "/api/v1/changes?since=0&all=1", TRUE, NULL, 0, 400, "invalid_query" },
  { "file: traversal, encoded", "GET", "/api/v1/files/..%2F..%2F..%2Fetc%2Fpasswd", TRUE, NULL, 0, 400, "invalid_path" },
  { "file: encoded NUL", "GET", "/api/v1/files/e3b0%00", TRUE, NULL, 0, 400, "invalid_path" },
  /* Dot segments are resolved by URI normalization: whatever path results, a 4xx. */
  { "file: dots", "GET", "/api/v1/files/%2e%2e", TRUE, NULL, 0, 0, NULL },
  { "file: upper-case hash", "GET", "/api/v1/files/E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", TRUE, NULL, 0, 400, "invalid_name" },
  { "file: short hash", "GET", "/api/v1/files/e3b0c44298fc1c149afbf4c8996fb924", TRUE, NULL, 0, 400, "invalid_name" },
  { "file: hash and an encoded suffix", "GET", "/api/v1/files/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855%2Fx", TRUE, NULL, 0, 400, "invalid_path" },
  { "file: hash and a suffix", "GET", "/api/v1/files/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855/x", TRUE, NULL, 0, 400, "invalid_name" },
  { "file: missing", "GET", "/api/v1/files/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", TRUE, NULL, 0, 404, "not_found" },
  { "no token", "GET", "/api/v1/changes", FALSE, NULL, 0, 401, "unauthorized" },
  { "no token on files", "GET", "/api/v1/files/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", FALSE, NULL, 0, 401, "unauthorized" },
  { "wrong method", "PATCH", "/api/v1/changes", TRUE, NULL, 0, 405, "method_not_allowed" },
  { "unknown path", "GET", "/api/v2/changes", TRUE, NULL, 0, 404, "not_found" },
};

static void
check_error_answer (JsonNode   *answer,
                    const char *expected_error)
{
  JsonObject *object;

  g_assert_nonnull (answer);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (answer));
  object = json_node_get_object (answer);
  g_assert_true (json_object_has_member (object, "error"));
  g_assert_true (json_object_has_member (object, "message"));
  g_assert_cmpuint (strlen (json_object_get_string_member (object, "message")), >, 0);
  if (expected_error != NULL)
    g_assert_cmpstr (json_object_get_string_member (object, "error"), ==, expected_error);
}

static void
test_table (Fixture       *f,
            gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      const BadInput *bad = &bad_inputs[i];
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonNode) answer = NULL;
      guint status;

      g_test_message ("bad input: %s", bad->what);
      if (bad->body != NULL)
        body = g_bytes_new (bad->body, bad->body_len < 0 ? strlen (bad->body) : (gsize) bad->body_len);
      status = cn_test_request (f->server, bad->method, bad->path,
                                bad->with_token ? f->world.admin : NULL, NULL, body, &answer,
                                NULL, NULL);
      if (bad->status != 0)
        g_assert_cmpuint (status, ==, bad->status);
      else
        g_assert_true (status >= 400 && status < 500);
      check_error_answer (answer, bad->error);
    }
  g_assert_true (cn_test_healthy (f->server));
}

static GBytes *
deep_json (guint depth)
{
  GString *text = g_string_new ("{\"mutations\": [{\"mutation_id\": \"m\", \"collection\": "
                                "\"article\", " UUID1 ", \"base_rev\": 0, \"op\": \"put\", "
                                "\"data\": {\"title\": \"t\", \"tags\": ");
  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, ']');
  g_string_append (text, "}}]}");
  return g_string_free_to_bytes (text);
}

static void
test_deep_nesting (Fixture       *f,
                   gconstpointer  data)
{
  const guint depths[] = { 40, 1000, 100000 };

  for (guint i = 0; i < G_N_ELEMENTS (depths); i++)
    {
      g_autoptr(GBytes) body = deep_json (depths[i]);
      g_autoptr(JsonNode) answer = NULL;

      g_assert_cmpuint (cn_test_request (f->server, "POST", "/api/v1/changes", f->world.admin, NULL,
                                         body, &answer, NULL, NULL), ==, 400);
      check_error_answer (answer, "invalid_json");
    }
  g_assert_true (cn_test_healthy (f->server));
}

static void
test_oversized_body (Fixture       *f,
                     gconstpointer  data)
{
  gsize size = 2 * 1024 * 1024;
  g_autofree char *big = g_malloc (size);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *auth = NULL;

  /* A (syntactically fine) JSON text of 2 MiB against a 1 MiB cap. */
  memset (big, ' ', size);
  memcpy (big, "{\"mutations\": []}", 17);
  body = g_bytes_new (big, size);
  g_assert_cmpuint (cn_test_request (f->server, "POST", "/api/v1/changes", f->world.admin, NULL,
                                     body, &answer, NULL, NULL), ==, 413);
  check_error_answer (answer, "too_large");

  /* The same without a Content-Length (chunked): the cap holds while streaming. */
  url = g_strconcat (f->server->url, "api/v1/changes", NULL);
  msg = soup_message_new ("POST", url);
  auth = g_strconcat ("Bearer ", f->world.admin, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  stream = g_memory_input_stream_new_from_bytes (body);
  soup_message_set_request_body (msg, "application/json", stream, -1);
  reply = soup_session_send_and_read (f->server->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 413);

  /* Just under the cap is fine. */
  {
    g_autoptr(GBytes) fits = g_bytes_new (big, 1024 * 1024);
    g_autoptr(JsonNode) ok = NULL;
    g_assert_cmpuint (cn_test_request (f->server, "POST", "/api/v1/changes", f->world.admin, NULL,
                                       fits, &ok, NULL, NULL), ==, 200);
  }
  g_assert_true (cn_test_healthy (f->server));
}

static void
test_too_many_mutations (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("{\"mutations\": [");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) answer = NULL;

  for (guint i = 0; i < 1001; i++)
    g_string_append_printf (text, "%s{\"mutation_id\": \"m%u\", \"collection\": \"article\", "
                            UUID1 ", \"base_rev\": 0, \"op\": \"delete\"}", i ? "," : "", i);
  g_string_append (text, "]}");
  body = g_bytes_new (text->str, text->len);
  g_assert_cmpuint (cn_test_request (f->server, "POST", "/api/v1/changes", f->world.admin, NULL,
                                     body, &answer, NULL, NULL), ==, 413);
  check_error_answer (answer, "too_many");
}

static void
test_bad_tokens (Fixture       *f,
                 gconstpointer  data)
{
  const char *tokens[] = {
    "garbage",
    "' OR 1=1 --",
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF",
    f->revoked,
  };

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      g_autoptr(JsonNode) answer = NULL;

      g_assert_cmpuint (cn_test_request_json (f->server, "GET", "/api/v1/changes", tokens[i], NULL,
                                              &answer), ==, 401);
      check_error_answer (answer, "unauthorized");
    }
  g_assert_true (cn_test_healthy (f->server));
}

/* Data that parse but do not fit the schema: the push is answered, the mutation rejected with
 * the reason, nothing stored. */
static void
test_invalid_data_rejected (Fixture       *f,
                            gconstpointer  data)
{
  const struct {
    const char *data;
    const char *error;
  } cases[] = {
    { "{\"title\": 5}", "invalid" },
    { "{\"title\": \"t\", \"author_password\": \"x\"}", "unknown_field" },
    { "{}", "invalid" },
    { "{\"title\": \"t\", \"published_at\": \"yesterday\"}", "invalid" },
    { "{\"title\": \"t\", \"tags\": \"not an array\"}", "invalid" },
  };
  g_autoptr(JsonNode) pulled = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) holder = NULL;
      g_autofree char *id = cn_test_uuid ();
      JsonObject *result = cn_test_push_one (f->server, f->world.admin, "article", id, 0, "put",
                                             cases[i].data, &holder);

      g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "rejected");
      g_assert_cmpstr (json_object_get_string_member (result, "error"), ==, cases[i].error);
      g_assert_nonnull (json_object_get_string_member (result, "message"));
    }
  g_assert_cmpuint (json_array_get_length (cn_test_pull_all (f->server, f->world.admin, 0, NULL,
                                                             &pulled)), ==, 0);
}

static char *
raw_request (CnTestServer *server,
             const char   *request,
             gsize         len)
{
  g_autoptr(GUri) uri = g_uri_parse (server->url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) reply = g_byte_array_new ();
  GOutputStream *out;
  GInputStream *in;
  char buffer[4096];
  gssize n;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) g_uri_get_port (uri),
                                                NULL, &error);
  g_assert_no_error (error);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (out, request, len, NULL, NULL, &error);
  g_assert_no_error (error);
  while ((n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL)) > 0)
    g_byte_array_append (reply, (guint8 *) buffer, (guint) n);
  g_byte_array_append (reply, (guint8 *) "", 1);
  return g_strndup ((char *) reply->data, reply->len);
}

static void
test_raw_requests (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *traversal = g_strdup_printf ("GET /api/v1/files/../../../../etc/passwd HTTP/1.1\r\n"
                                                "Host: localhost\r\nAuthorization: Bearer %s\r\n"
                                                "Connection: close\r\n\r\n", f->world.admin);
  g_autofree char *reply = raw_request (f->server, traversal, strlen (traversal));
  g_autofree char *garbage_reply = NULL;
  static const char garbage[] = "\x01\x02 NOT HTTP AT ALL \xff\r\n\r\n";

  g_test_message ("traversal reply: %.60s", reply);
  g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 4"));
  g_assert_null (strstr (reply, "root:"));

  garbage_reply = raw_request (f->server, garbage, sizeof garbage - 1);
  /* Not even HTTP: libsoup answers 400 itself (no JSON possible: no request was read). */
  g_assert_true (garbage_reply[0] == '\0' || g_str_has_prefix (garbage_reply, "HTTP/1.0 4") ||
                 g_str_has_prefix (garbage_reply, "HTTP/1.1 4"));
  g_assert_true (cn_test_healthy (f->server));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/server/input/table", Fixture, NULL, fixture_setup, test_table, fixture_teardown);
  g_test_add ("/server/input/deep-nesting", Fixture, NULL, fixture_setup, test_deep_nesting,
              fixture_teardown);
  g_test_add ("/server/input/oversized-body", Fixture, NULL, fixture_setup, test_oversized_body,
              fixture_teardown);
  g_test_add ("/server/input/too-many-mutations", Fixture, NULL, fixture_setup,
              test_too_many_mutations, fixture_teardown);
  g_test_add ("/server/input/bad-tokens", Fixture, NULL, fixture_setup, test_bad_tokens,
              fixture_teardown);
  g_test_add ("/server/input/invalid-data-rejected", Fixture, NULL, fixture_setup,
              test_invalid_data_rejected, fixture_teardown);
  g_test_add ("/server/input/raw-requests", Fixture, NULL, fixture_setup, test_raw_requests,
              fixture_teardown);
  return g_test_run ();
}
