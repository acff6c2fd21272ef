/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "sync-test-util.h"
#include "../cn-test-child.h"

static char *
build_path (const char *relative)
{
  const char *build_dir = g_getenv ("CAUNOI_BUILD_DIR");

  g_assert_nonnull (build_dir);
  return g_build_filename (build_dir, relative, NULL);
}

void
test_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      test_rm_rf (child);
    }
  g_rmdir (path);
}

void
test_wait_process (GSubprocess *process)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
}

JsonNode *
test_parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  if (node == NULL)
    g_error ("not JSON (%s): %s", error->message, text);
  return node;
}

JsonObject *
test_object (const char *json)
{
  g_autoptr(JsonNode) node = test_parse_json (json);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* ---------- server ---------- */

static GSubprocessLauncher *
server_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  cn_test_launcher_die_with_parent (launcher);
  g_subprocess_launcher_setenv (launcher, "CAUNOI_SERVER_FAST_KDF", "1", TRUE);
  return launcher;
}

static void
run_server_argv (const char * const *argv,
                 const char         *stdin_text)
{
  g_autoptr(GSubprocessLauncher) launcher =
    server_launcher (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                     G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, stdin_text, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("%s %s failed: %s%s", argv[0], argv[1], out, err);
}

TestServer *
test_server_new (void)
{
  TestServer *server = g_new0 (TestServer, 1);
  g_autoptr(GError) error = NULL;

  server->dir = g_dir_make_tmp ("caunoi-sync-server-XXXXXX", &error);
  g_assert_no_error (error);
  server->db_path = g_build_filename (server->dir, "server.db", NULL);
  test_server_run_command (server, "init", NULL);
  return server;
}

void
test_server_run_command (TestServer *server,
                         const char *first_arg,
                         ...)
{
  g_autofree char *binary = build_path ("src/server/caunoi-server");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (argv, binary);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, server->db_path);
  g_ptr_array_add (argv, NULL);
  run_server_argv ((const char * const *) argv->pdata, NULL);
}

void
test_server_add_user (TestServer *server,
                      const char *name,
                      const char *role,
                      const char *unit,
                      const char *password)
{
  g_autofree char *binary = build_path ("src/server/caunoi-server");
  g_autofree char *input = g_strconcat (password, "\n", NULL);
  const char *argv[] = { binary, "user", "add", name, "--role", role, "--db", server->db_path,
                         unit != NULL ? "--unit" : NULL, unit, NULL };

  run_server_argv (argv, input);
}

void
test_server_start (TestServer *server)
{
  g_autofree char *binary = build_path ("src/server/caunoi-server");
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", server->port);
  g_autoptr(GSubprocessLauncher) launcher = server_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                             G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  const char *scheme = server->tls_cert != NULL ? "https" : "http";
  g_autofree char *prefix = g_strdup_printf ("listening on %s://127.0.0.1:", scheme);

  g_assert_null (server->process);
  if (server->tls_cert != NULL)
    server->process = g_subprocess_launcher_spawn (launcher, &error, binary, "serve",
                                                   "--db", server->db_path, "--listen", listen,
                                                   "--tls-cert", server->tls_cert,
                                                   "--tls-key", server->tls_key, NULL);
  else
    server->process = g_subprocess_launcher_spawn (launcher, &error, binary, "serve",
                                                   "--db", server->db_path,
                                                   "--listen", listen, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));
  server->port = (guint16) g_ascii_strtoull (line + strlen (prefix), NULL, 10);
  g_assert_cmpuint (server->port, >, 0);
  g_free (server->url);
  server->url = g_strdup_printf ("%s://127.0.0.1:%u/", scheme, server->port);
}

void
test_server_kill (TestServer *server)
{
  if (server->process == NULL)
    return;
  g_subprocess_force_exit (server->process);
  test_wait_process (server->process);
  g_clear_object (&server->process);
}

void
test_server_free (TestServer *server)
{
  test_server_kill (server);
  test_rm_rf (server->dir);
  g_free (server->dir);
  g_free (server->db_path);
  g_free (server->url);
  g_free (server->tls_cert);
  g_free (server->tls_key);
  g_free (server);
}

/* ---------- client ---------- */

TestClient *
test_client_new (void)
{
  TestClient *client = g_new0 (TestClient, 1);
  g_autoptr(GError) error = NULL;

  client->dir = g_dir_make_tmp ("caunoi-sync-client-XXXXXX", &error);
  g_assert_no_error (error);
  client->db_path = g_build_filename (client->dir, "caunoi", "caunoi.db", NULL);
  client->store = cn_store_open (client->db_path, &error);
  g_assert_no_error (error);
  client->sync = cn_sync_client_new (client->store);
  return client;
}

void
test_client_free (TestClient *client)
{
  g_clear_object (&client->sync);
  g_clear_object (&client->store);
  test_rm_rf (client->dir);
  g_free (client->dir);
  g_free (client->db_path);
  g_free (client);
}

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

gboolean
test_client_try_login (TestClient  *client,
                       const char  *url,
                       const char  *user,
                       const char  *password,
                       GError     **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };
  gboolean ok;

  cn_sync_client_login_async (client->sync, url, user, password, NULL, NULL, wait_cb, &wait);
  g_main_loop_run (loop);
  ok = cn_sync_client_login_finish (client->sync, wait.result, error);
  g_clear_object (&wait.result);
  return ok;
}

void
test_client_login (TestClient *client,
                   const char *url,
                   const char *user,
                   const char *password)
{
  g_autoptr(GError) error = NULL;

  test_client_try_login (client, url, user, password, &error);
  g_assert_no_error (error);
  g_assert_true (cn_sync_client_get_signed_in (client->sync));
}

CnSyncSummary *
test_client_sync (TestClient  *client,
                  GError     **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };
  CnSyncSummary *summary;

  cn_sync_client_sync_async (client->sync, NULL, wait_cb, &wait);
  g_main_loop_run (loop);
  summary = cn_sync_client_sync_finish (client->sync, wait.result, error);
  g_clear_object (&wait.result);
  return summary;
}

static void
fetch_progress_cb (goffset  current,
                   goffset  total,
                   gpointer user_data)
{
  TestProgress *progress = user_data;
  TestProgressStep step = { current, total };

  g_assert_false (progress->destroyed);
  g_array_append_val (progress->steps, step);
}

static void
fetch_progress_destroy (gpointer user_data)
{
  TestProgress *progress = user_data;

  progress->destroyed = TRUE;
}

char *
test_client_fetch_file_progress (TestClient    *client,
                                 const char    *sha256,
                                 TestProgress  *progress,
                                 GError       **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };
  char *path;

  if (progress != NULL)
    {
      if (progress->steps == NULL)
        progress->steps = g_array_new (FALSE, FALSE, sizeof (TestProgressStep));
      g_array_set_size (progress->steps, 0);
      progress->destroyed = FALSE;
    }
  cn_sync_client_fetch_file_async (client->sync, sha256,
                                   progress != NULL ? fetch_progress_cb : NULL, progress,
                                   progress != NULL ? fetch_progress_destroy : NULL,
                                   NULL, wait_cb, &wait);
  g_main_loop_run (loop);
  path = cn_sync_client_fetch_file_finish (client->sync, wait.result, error);
  g_clear_object (&wait.result);
  /* The progress messages still on their way are delivered, then the data let go. */
  while (progress != NULL && !progress->destroyed)
    g_main_context_iteration (NULL, TRUE);
  return path;
}

char *
test_client_fetch_file (TestClient  *client,
                        const char  *sha256,
                        GError     **error)
{
  return test_client_fetch_file_progress (client, sha256, NULL, error);
}

CnRecord *
test_client_put (TestClient *client,
                 const char *collection,
                 const char *id,
                 const char *json)
{
  g_autoptr(JsonObject) data = test_object (json);
  g_autoptr(GError) error = NULL;
  CnRecord *record = cn_store_put (client->store, collection, id, data, &error);

  g_assert_no_error (error);
  return record;
}

CnRecord *
test_client_patch (TestClient *client,
                   const char *id,
                   const char *json)
{
  g_autoptr(JsonObject) data = test_object (json);
  g_autoptr(GError) error = NULL;
  CnRecord *record = cn_store_patch (client->store, id, data, &error);

  g_assert_no_error (error);
  return record;
}

CnRecord *
test_client_get (TestClient *client,
                 const char *id)
{
  return cn_store_get (client->store, id, NULL);
}

guint
test_client_count (TestClient *client,
                   const char *collection)
{
  g_autoptr(CnQuery) query = cn_query_new (collection);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_true (cn_store_count (client->store, query, &n, &error));
  g_assert_no_error (error);
  return n;
}

static GSubprocessLauncher *
cli_launcher (TestClient       *client,
              GSubprocessFlags  flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  g_autofree char *config = g_build_filename (client->dir, "config", NULL);

  cn_test_launcher_die_with_parent (launcher);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", client->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "CAUNOI_CREDENTIALS", "file", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  if (client->debug_log)
    g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  return launcher;
}

static GPtrArray *
cli_argv (const char *first_arg,
          va_list     args)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, build_path ("src/cli/caunoi-cli"));
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  g_ptr_array_add (argv, NULL);
  return argv;
}

int
test_client_cli (TestClient  *client,
                 const char  *stdin_text,
                 char       **stdout_text,
                 char       **stderr_text,
                 const char  *first_arg,
                 ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    cli_launcher (client, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                          G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  va_list args;

  va_start (args, first_arg);
  argv = cli_argv (first_arg, args);
  va_end (args);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  /* The main loop runs meanwhile: a test proxy in this process must keep answering. */
  {
    g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
    Wait wait = { loop, NULL };

    g_subprocess_communicate_utf8_async (process, stdin_text, NULL, wait_cb, &wait);
    g_main_loop_run (loop);
    g_subprocess_communicate_utf8_finish (process, wait.result, &out, &err, &error);
    g_clear_object (&wait.result);
    g_assert_no_error (error);
    test_wait_process (process);
  }
  if (stdout_text != NULL)
    *stdout_text = g_steal_pointer (&out);
  if (stderr_text != NULL)
    *stderr_text = g_steal_pointer (&err);
  else if (err != NULL && *err != '\0')
    g_test_message ("caunoi-cli %s: %s", first_arg, err);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

GSubprocess *
test_client_cli_spawn (TestClient        *client,
                       GSubprocessFlags   flags,
                       GError           **error,
                       const char        *first_arg,
                       ...)
{
  g_autoptr(GSubprocessLauncher) launcher = cli_launcher (client, flags);
  g_autoptr(GPtrArray) argv = NULL;
  va_list args;

  va_start (args, first_arg);
  argv = cli_argv (first_arg, args);
  va_end (args);
  return g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
}

/* ---------- proxy ---------- */

struct _TestProxy
{
  SoupServer  *server;
  SoupSession *session;
  char        *upstream;
  char        *url;
  GHashTable  *counts;          /* "METHOD path" → count */
  char        *hold_method;
  char        *hold_prefix;
  guint        hold_nth;
  guint        hold_seen;
  gboolean     hold_forward_first;
  gboolean     held;            /* the held request is there (and answered upstream) */
  GIOStream   *held_stream;
  char        *last_range;
};

typedef struct
{
  TestProxy         *proxy;
  SoupServerMessage *msg;
  gboolean           hold;
} Forward;

static void
hold_now (TestProxy         *proxy,
          SoupServerMessage *msg)
{
  /* Take the connection away from the server: the client waits for an answer that will
   * never come (until the test drops it or kills the client). */
  proxy->held_stream = soup_server_message_steal_connection (msg);
  proxy->held = TRUE;
}

static void
forward_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Forward *forward = user_data;
  SoupMessage *upstream_msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);

  if (forward->hold)
    hold_now (forward->proxy, forward->msg);
  else
    {
      if (body == NULL)
        soup_server_message_set_status (forward->msg, SOUP_STATUS_BAD_GATEWAY, NULL);
      else
        {
          SoupMessageHeaders *in = soup_message_get_response_headers (upstream_msg);
          SoupMessageHeaders *out = soup_server_message_get_response_headers (forward->msg);
          const char *type = soup_message_headers_get_content_type (in, NULL);
          const char *content_range = soup_message_headers_get_one (in, "Content-Range");
          gsize size;
          const char *data = g_bytes_get_data (body, &size);

          soup_server_message_set_status (forward->msg, soup_message_get_status (upstream_msg),
                                          NULL);
          if (content_range != NULL)
            soup_message_headers_replace (out, "Content-Range", content_range);
          soup_server_message_set_response (forward->msg, type, SOUP_MEMORY_COPY, data, size);
        }
      soup_server_message_unpause (forward->msg);
    }
  g_object_unref (forward->msg);
  g_free (forward);
}

static void
copy_header (SoupMessageHeaders *from,
             SoupMessageHeaders *to,
             const char         *name)
{
  const char *value = soup_message_headers_get_one (from, name);

  if (value != NULL)
    soup_message_headers_replace (to, name, value);
}

static void
proxy_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  TestProxy *proxy = user_data;
  const char *method = soup_server_message_get_method (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeaders *in = soup_server_message_get_request_headers (msg);
  g_autofree char *key = g_strdup_printf ("%s %s%s%s", method, path,
                                          g_uri_get_query (uri) != NULL ? "?" : "",
                                          g_uri_get_query (uri) != NULL ? g_uri_get_query (uri) : "");
  g_autofree char *target = NULL;
  g_autoptr(SoupMessage) upstream_msg = NULL;
  g_autoptr(GBytes) body = NULL;
  gboolean matches;
  gboolean hold = FALSE;
  Forward *forward;

  g_hash_table_insert (proxy->counts, g_strdup (key),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (proxy->counts, key)) + 1));
  if (soup_message_headers_get_one (in, "Range") != NULL)
    {
      g_free (proxy->last_range);
      proxy->last_range = g_strdup (soup_message_headers_get_one (in, "Range"));
    }

  matches = proxy->hold_method != NULL && g_str_equal (method, proxy->hold_method) &&
            g_str_has_prefix (path, proxy->hold_prefix);
  if (matches && ++proxy->hold_seen == proxy->hold_nth)
    {
      hold = TRUE;
      if (!proxy->hold_forward_first)
        {
          hold_now (proxy, msg);
          return;
        }
    }

  target = g_strdup_printf ("%s%s%s%s", proxy->upstream, path + 1,
                            g_uri_get_query (uri) != NULL ? "?" : "",
                            g_uri_get_query (uri) != NULL ? g_uri_get_query (uri) : "");
  upstream_msg = soup_message_new (method, target);
  g_assert_nonnull (upstream_msg);
  copy_header (in, soup_message_get_request_headers (upstream_msg), "Authorization");
  copy_header (in, soup_message_get_request_headers (upstream_msg), "Range");
  copy_header (in, soup_message_get_request_headers (upstream_msg), "Accept");
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_bytes_get_size (body) > 0)
    soup_message_set_request_body_from_bytes (upstream_msg,
                                              soup_message_headers_get_content_type (in, NULL),
                                              body);
  soup_server_message_pause (msg);
  forward = g_new0 (Forward, 1);
  forward->proxy = proxy;
  forward->msg = g_object_ref (msg);
  forward->hold = hold;
  soup_session_send_and_read_async (proxy->session, upstream_msg, G_PRIORITY_DEFAULT, NULL,
                                    forward_done_cb, forward);
}

TestProxy *
test_proxy_new (const char *upstream_url)
{
  TestProxy *proxy = g_new0 (TestProxy, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  proxy->upstream = g_strdup (upstream_url);
  proxy->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  proxy->session = soup_session_new ();
  proxy->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (proxy->server, NULL, proxy_handler, proxy, NULL);
  soup_server_listen_local (proxy->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (proxy->server);
  g_assert_nonnull (uris);
  proxy->url = g_strdup_printf ("http://127.0.0.1:%d/", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return proxy;
}

const char *
test_proxy_get_url (TestProxy *proxy)
{
  return proxy->url;
}

void
test_proxy_hold (TestProxy  *proxy,
                 const char *method,
                 const char *path_prefix,
                 guint       nth,
                 gboolean    forward_first)
{
  g_free (proxy->hold_method);
  g_free (proxy->hold_prefix);
  proxy->hold_method = g_strdup (method);
  proxy->hold_prefix = g_strdup (path_prefix);
  proxy->hold_nth = nth;
  proxy->hold_seen = 0;
  proxy->hold_forward_first = forward_first;
  proxy->held = FALSE;
}

void
test_proxy_wait_held (TestProxy *proxy)
{
  while (!proxy->held)
    g_main_context_iteration (NULL, TRUE);
}

void
test_proxy_drop_held (TestProxy *proxy)
{
  if (proxy->held_stream != NULL)
    g_io_stream_close (proxy->held_stream, NULL, NULL);
  g_clear_object (&proxy->held_stream);
  g_clear_pointer (&proxy->hold_method, g_free);
}

guint
test_proxy_count (TestProxy  *proxy,
                  const char *method,
                  const char *path_prefix)
{
  GHashTableIter iter;
  gpointer key, value;
  g_autofree char *prefix = g_strdup_printf ("%s %s", method, path_prefix);
  guint n = 0;

  g_hash_table_iter_init (&iter, proxy->counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_has_prefix (key, prefix))
      n += GPOINTER_TO_UINT (value);
  return n;
}

const char *
test_proxy_last_range (TestProxy *proxy)
{
  return proxy->last_range;
}

void
test_proxy_free (TestProxy *proxy)
{
  test_proxy_drop_held (proxy);
  soup_server_disconnect (proxy->server);
  g_clear_object (&proxy->server);
  g_clear_object (&proxy->session);
  g_hash_table_unref (proxy->counts);
  g_free (proxy->upstream);
  g_free (proxy->url);
  g_free (proxy->hold_prefix);
  g_free (proxy->last_range);
  g_free (proxy);
}
