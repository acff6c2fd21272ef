/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "cn-test-server.h"
#include "../cn-test-child.h"

static char *
server_binary (void)
{
  const char *build_dir = g_getenv ("CAUNOI_BUILD_DIR");

  g_assert_nonnull (build_dir);
  return g_build_filename (build_dir, "src", "server", "caunoi-server", NULL);
}

static GSubprocessLauncher *
launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  cn_test_launcher_die_with_parent (launcher);
  /* Argon2id at its minimum cost: the test-only switch of cn-server-auth.c. */
  g_subprocess_launcher_setenv (launcher, "CAUNOI_SERVER_FAST_KDF", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  return launcher;
}

static int
run_argv (const char  *input,
          char       **out,
          char       **err,
          GPtrArray   *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;

  launcher = launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                           G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_ptr_array_add (args, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input ? input : "", NULL, &stdout_text, &stderr_text,
                                 &error);
  g_assert_no_error (error);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  else if (stderr_text != NULL && *stderr_text)
    g_test_message ("caunoi-server said: %s", stderr_text);
  if (!g_subprocess_get_if_exited (process))
    return -1;
  return g_subprocess_get_exit_status (process);
}

int
cn_test_run_command (const char  *input,
                     char       **out,
                     char       **err,
                     const char  *first_arg,
                     ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  va_list ap;

  g_ptr_array_add (args, server_binary ());
  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);
  return run_argv (input, out, err, args);
}

CnTestServer *
cn_test_server_new (void)
{
  g_autoptr(GError) error = NULL;
  CnTestServer *server = g_new0 (CnTestServer, 1);
  int status;

  server->dir = g_dir_make_tmp ("caunoi-server-test-XXXXXX", &error);
  g_assert_no_error (error);
  server->db_path = g_build_filename (server->dir, "caunoi.db", NULL);
  server->files_dir = g_build_filename (server->dir, "files", NULL);
  server->log_path = g_build_filename (server->dir, "server.log", NULL);
  server->session = soup_session_new ();

  status = cn_test_run_command (NULL, NULL, NULL, "init", "--db", server->db_path, NULL);
  g_assert_cmpint (status, ==, 0);
  return server;
}

void
cn_test_server_start (CnTestServer *server,
                      const char   *first_option,
                      ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  va_list ap;

  g_assert_null (server->process);
  g_ptr_array_add (args, server_binary ());
  g_ptr_array_add (args, g_strdup ("serve"));
  g_ptr_array_add (args, g_strdup ("--db"));
  g_ptr_array_add (args, g_strdup (server->db_path));
  g_ptr_array_add (args, g_strdup ("--listen"));
  g_ptr_array_add (args, g_strdup ("127.0.0.1:0"));
  va_start (ap, first_option);
  for (const char *arg = first_option; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (args, NULL);

  /* The request log goes to a file the tests read; stdout carries the one "listening" line. */
  launcher = launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, server->log_path);
  server->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata,
                                                  &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:") ||
                 g_str_has_prefix (line, "listening on https://127.0.0.1:"));
  g_clear_pointer (&server->url, g_free);
  server->url = g_strdup (line + strlen ("listening on "));
  g_assert_true (g_str_has_suffix (server->url, "/"));
}

void
cn_test_server_stop (CnTestServer *server)
{
  g_autoptr(GError) error = NULL;

  if (server->process == NULL)
    return;
  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  /* A graceful shutdown: exit status 0, not killed by the signal. */
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
  g_clear_object (&server->process);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

void
cn_test_server_free (CnTestServer *server)
{
  if (server == NULL)
    return;
  cn_test_server_stop (server);
  g_clear_object (&server->session);
  remove_tree (server->dir);
  g_free (server->dir);
  g_free (server->db_path);
  g_free (server->files_dir);
  g_free (server->log_path);
  g_free (server->url);
  g_free (server);
}

void
cn_test_server_add_user (CnTestServer *server,
                         const char   *name,
                         const char   *role,
                         const char   *unit_id,
                         const char   *password)
{
  g_autofree char *input = g_strconcat (password, "\n", NULL);
  g_autofree char *err = NULL;
  int status;

  if (unit_id != NULL)
    status = cn_test_run_command (input, NULL, &err, "user", "add", name, "--role", role,
                                  "--unit", unit_id, "--db", server->db_path, NULL);
  else
    status = cn_test_run_command (input, NULL, &err, "user", "add", name, "--role", role,
                                  "--db", server->db_path, NULL);
  if (status != 0)
    g_test_message ("user add %s: %s", name, err);
  g_assert_cmpint (status, ==, 0);
}

guint
cn_test_request (CnTestServer        *server,
                 const char          *method,
                 const char          *path,
                 const char          *token,
                 const char          *content_type,
                 GBytes              *body,
                 JsonNode           **answer,
                 GBytes             **raw,
                 SoupMessageHeaders **response_headers)
{
  g_autofree char *url = g_strconcat (server->url, path[0] == '/' ? path + 1 : path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *type;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    value);
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type ? content_type
                                                                : "application/json", body);

  bytes = soup_session_send_and_read (server->session, msg, NULL, &error);
  g_assert_no_error (error);

  type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  if (answer != NULL)
    {
      *answer = NULL;
      if (g_strcmp0 (type, "application/json") == 0)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), &error);
          g_assert_no_error (error);
          *answer = json_node_copy (json_parser_get_root (parser));
        }
    }
  if (raw != NULL)
    *raw = g_bytes_ref (bytes);
  if (response_headers != NULL)
    *response_headers = g_boxed_copy (SOUP_TYPE_MESSAGE_HEADERS,
                                      soup_message_get_response_headers (msg));
  return soup_message_get_status (msg);
}

guint
cn_test_request_json (CnTestServer  *server,
                      const char    *method,
                      const char    *path,
                      const char    *token,
                      const char    *json,
                      JsonNode     **answer)
{
  g_autoptr(GBytes) body = json ? g_bytes_new (json, strlen (json)) : NULL;

  return cn_test_request (server, method, path, token, NULL, body, answer, NULL, NULL);
}

char *
cn_test_login (CnTestServer *server,
               const char   *name,
               const char   *password)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *text = NULL;
  guint status;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);
  text = json_to_string (request, FALSE);

  status = cn_test_request_json (server, "POST", "/api/v1/session", NULL, text, &answer);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (answer);
  return g_strdup (json_object_get_string_member (json_node_get_object (answer), "token"));
}

char *
cn_test_uuid (void)
{
  return g_uuid_string_random ();
}

JsonObject *
cn_test_push_one (CnTestServer  *server,
                  const char    *token,
                  const char    *collection,
                  const char    *id,
                  gint64         base_rev,
                  const char    *op,
                  const char    *data_json,
                  JsonNode     **holder)
{
  g_autofree char *mutation_id = cn_test_uuid ();
  g_autofree char *body = NULL;
  JsonArray *results;
  guint status;

  body = g_strdup_printf ("{\"client_id\": \"test-client\", \"mutations\": [{"
                          "\"mutation_id\": \"%s\", \"collection\": \"%s\", \"id\": \"%s\", "
                          "\"base_rev\": %" G_GINT64_FORMAT ", \"op\": \"%s\"%s%s}]}",
                          mutation_id, collection, id, base_rev, op,
                          data_json ? ", \"data\": " : "", data_json ? data_json : "");
  status = cn_test_request_json (server, "POST", "/api/v1/changes", token, body, holder);
  g_assert_cmpuint (status, ==, 200);
  results = json_object_get_array_member (json_node_get_object (*holder), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  return json_array_get_object_element (results, 0);
}

JsonArray *
cn_test_pull_all (CnTestServer  *server,
                  const char    *token,
                  gint64         since,
                  gint64        *next,
                  JsonNode     **holder)
{
  JsonArray *all = json_array_new ();
  gboolean more = TRUE;

  *holder = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (*holder, all);

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT
                                               "&limit=1000", since);
      g_autoptr(JsonNode) answer = NULL;
      JsonObject *page;
      JsonArray *changes;
      guint status;

      status = cn_test_request_json (server, "GET", path, token, NULL, &answer);
      g_assert_cmpuint (status, ==, 200);
      page = json_node_get_object (answer);
      changes = json_object_get_array_member (page, "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        json_array_add_element (all, json_node_copy (json_array_get_element (changes, i)));
      g_assert_cmpint (json_object_get_int_member (page, "next"), >=, since);
      since = json_object_get_int_member (page, "next");
      more = json_object_get_boolean_member (page, "more");
    }
  if (next != NULL)
    *next = since;
  return all;
}

gboolean
cn_test_healthy (CnTestServer *server)
{
  g_autoptr(JsonNode) answer = NULL;
  guint status = cn_test_request_json (server, "GET", "/healthz", NULL, NULL, &answer);

  return status == 200 && answer != NULL &&
         g_strcmp0 (json_object_get_string_member (json_node_get_object (answer), "status"),
                    "ok") == 0;
}

static char *
create_unit (CnTestServer *server,
             const char   *token,
             const char   *name,
             const char   *kind,
             const char   *parent)
{
  g_autoptr(JsonNode) holder = NULL;
  g_autofree char *data = NULL;
  char *id = cn_test_uuid ();
  JsonObject *result;

  if (parent != NULL)
    data = g_strdup_printf ("{\"name\": \"%s\", \"kind\": \"%s\", \"parent_id\": \"%s\"}",
                            name, kind, parent);
  else
    data = g_strdup_printf ("{\"name\": \"%s\", \"kind\": \"%s\"}", name, kind);
  result = cn_test_push_one (server, token, "unit", id, 0, "put", data, &holder);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
  return id;
}

void
cn_test_world_setup (CnTestServer *server,
                     CnTestWorld  *world)
{
  cn_test_server_add_user (server, "admin", "admin", NULL, "admin-password");
  cn_test_server_start (server, NULL, NULL);
  world->admin = cn_test_login (server, "admin", "admin-password");

  world->province = create_unit (server, world->admin, "Hà Tĩnh", "province", NULL);
  world->district_a = create_unit (server, world->admin, "Cẩm Xuyên", "district", world->province);
  world->district_b = create_unit (server, world->admin, "Kỳ Anh", "district", world->province);
  world->commune_a = create_unit (server, world->admin, "Cẩm Bình", "commune", world->district_a);
  world->commune_b = create_unit (server, world->admin, "Kỳ Tân", "commune", world->district_b);

  cn_test_server_add_user (server, "editor", "editor", NULL, "editor-password");
  cn_test_server_add_user (server, "staff_a", "staff", world->district_a, "staff_a-password");
  cn_test_server_add_user (server, "staff_b", "staff", world->district_b, "staff_b-password");
  cn_test_server_add_user (server, "viewer_a", "viewer", world->district_a, "viewer_a-password");
  world->editor = cn_test_login (server, "editor", "editor-password");
  world->staff_a = cn_test_login (server, "staff_a", "staff_a-password");
  world->staff_b = cn_test_login (server, "staff_b", "staff_b-password");
  world->viewer_a = cn_test_login (server, "viewer_a", "viewer_a-password");
}

void
cn_test_world_clear (CnTestWorld *world)
{
  g_free (world->province);
  g_free (world->district_a);
  g_free (world->district_b);
  g_free (world->commune_a);
  g_free (world->commune_b);
  g_free (world->admin);
  g_free (world->editor);
  g_free (world->staff_a);
  g_free (world->staff_b);
  g_free (world->viewer_a);
}
