/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The reliability campaign (issue 9): SIGKILLs of a client and of the server at random
 * moments of a sync, a full disk and a read-only database during a sync, a server whose
 * answers are cut short, replaced with garbage or delayed past the timeout, many clients
 * syncing at once, and no secret in any log. Real caunoi-server and caunoi-cli processes,
 * real SQLite files, real libsoup.
 *
 * The suite runs a short version of each; CAUNOI_CAMPAIGN=full (build-aux/campaign) runs the
 * full scale: 100 + 100 kills, 200 clients for a minute, the 60 s timeout. Figures are
 * printed as TAP comments ("# campaign: …"). */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caunoi-core.h"
#include "sync-test-util.h"
#include "../cn-test-child.h"

#define PASSWORD_AN    "an-mat-khau-Kh0ng-L0-1"
#define PASSWORD_BINH  "binh-mat-khau-Kh0ng-L0-2"

static gboolean
full_scale (void)
{
  return g_strcmp0 (g_getenv ("CAUNOI_CAMPAIGN"), "full") == 0;
}

static guint
scaled (guint short_value,
        guint full_value)
{
  return full_scale () ? full_value : short_value;
}

/* ---------- checks ---------- */

static void
assert_integrity (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *uri = g_strdup_printf ("file:%s?mode=ro", path);

  g_assert_cmpint (sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL),
                   ==, SQLITE_OK);
  /* A killed writer's log is recovered by the first connection to read it, and a sync
   * client's worker may still be ending its transaction: wait for them, as the app does. */
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static guint
pending_of (TestClient *client)
{
  g_autoptr(GError) error = NULL;
  CnStoreCounts counts = { 0 };

  g_assert_true (cn_store_get_counts (client->store, &counts, &error));
  g_assert_no_error (error);
  return counts.pending;
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

/* What the clients wrote: id → the phone value its last edit gave, and whether it was
 * created once and never edited again (then its server revision must be exactly 1: a
 * create applied twice would be revision 2 or a conflict). */
typedef struct {
  GHashTable *expected;   /* id → phone */
  GHashTable *created;    /* ids put once */
} Ledger;

static void
ledger_init (Ledger *ledger)
{
  ledger->expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ledger->created = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
ledger_clear (Ledger *ledger)
{
  g_clear_pointer (&ledger->expected, g_hash_table_unref);
  g_clear_pointer (&ledger->created, g_hash_table_unref);
}

static void
put_people (TestClient *client,
            Ledger     *ledger,
            guint       n,
            const char *tag)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cn_store_begin (client->store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *phone = g_strdup_printf ("%s-%u", tag, i);
      g_autofree char *json = g_strdup_printf ("{\"full_name\":\"Người số %u của %s\","
                                               "\"position\":\"Thành viên\","
                                               "\"phone\":\"%s\"}", i, tag, phone);
      g_autoptr(CnRecord) record = test_client_put (client, "person", NULL, json);

      g_hash_table_insert (ledger->expected, g_strdup (cn_record_get_id (record)),
                           g_steal_pointer (&phone));
      g_hash_table_add (ledger->created, g_strdup (cn_record_get_id (record)));
    }
  g_assert_true (cn_store_commit (client->store, &error));
  g_assert_no_error (error);
}

static void
patch_phone (TestClient *client,
             Ledger     *ledger,
             const char *id,
             const char *phone)
{
  g_autofree char *json = g_strdup_printf ("{\"phone\":\"%s\"}", phone);
  g_autoptr(CnRecord) record = test_client_patch (client, id, json);

  g_assert_nonnull (record);
  g_hash_table_insert (ledger->expected, g_strdup (id), g_strdup (phone));
  g_hash_table_remove (ledger->created, id);
}

/* A fresh client pulls everything: every edit is there, once. */
static void
assert_server_holds (const char *url,
                     Ledger     *ledger)
{
  g_autoptr(TestClient) checker = test_client_new ();
  g_autoptr(CnSyncSummary) summary = NULL;
  GHashTableIter iter;
  gpointer id, phone;

  test_client_login (checker, url, "binh", PASSWORD_BINH);
  summary = sync_ok (checker);
  g_assert_cmpuint (test_client_count (checker, "person"), ==,
                    g_hash_table_size (ledger->expected));
  g_hash_table_iter_init (&iter, ledger->expected);
  while (g_hash_table_iter_next (&iter, &id, &phone))
    {
      g_autoptr(CnRecord) record = test_client_get (checker, id);

      g_assert_nonnull (record);
      g_assert_false (cn_record_get_deleted (record));
      g_assert_cmpstr (cn_record_get_string (record, "phone"), ==, phone);
      if (g_hash_table_contains (ledger->created, id))
        g_assert_cmpint (cn_record_get_rev (record), ==, 1);
    }
}

/* ---------- a server with its log in a file ---------- */

static char *
build_path (const char *relative)
{
  return g_build_filename (g_getenv ("CAUNOI_BUILD_DIR"), relative, NULL);
}

/* As test_server_start(), with the server's messages (G_MESSAGES_DEBUG=all) kept in
 * @log_path and ASan's quarantine off, so that its memory figures mean something. */
static void
start_server_logged (TestServer *server,
                     const char *log_path)
{
  g_autofree char *binary = build_path ("src/server/caunoi-server");
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", server->port);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  const char *prefix = "listening on http://127.0.0.1:";

  cn_test_launcher_die_with_parent (launcher);
  g_subprocess_launcher_setenv (launcher, "CAUNOI_SERVER_FAST_KDF", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS",
                                g_getenv ("CAUNOI_SERVER_ASAN_OPTIONS") != NULL
                                ? g_getenv ("CAUNOI_SERVER_ASAN_OPTIONS")
                                : "detect_leaks=0:abort_on_error=1:quarantine_size_mb=0", TRUE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  server->process = g_subprocess_launcher_spawn (launcher, &error, binary, "serve",
                                                 "--db", server->db_path, "--listen", listen,
                                                 NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));
  server->port = (guint16) g_ascii_strtoull (line + strlen (prefix), NULL, 10);
  g_free (server->url);
  server->url = g_strdup_printf ("http://127.0.0.1:%u/", server->port);
}

static TestServer *
new_server (void)
{
  TestServer *server = test_server_new ();

  test_server_add_user (server, "an", "admin", NULL, PASSWORD_AN);
  test_server_add_user (server, "binh", "admin", NULL, PASSWORD_BINH);
  return server;
}

/* ---------- SIGKILL of the client at random moments of a sync ---------- */

static void
test_client_kills (void)
{
  g_autoptr(TestServer) server = new_server ();
  g_autoptr(TestClient) a = test_client_new ();
  g_autoptr(CnRecord) counter = NULL;
  g_autoptr(CnSyncSummary) last = NULL;
  g_autoptr(GRand) rand = g_rand_new ();
  guint kills = scaled (10, 100);
  guint landed = 0;
  gint64 window_us;
  gint64 start;
  Ledger ledger;

  ledger_init (&ledger);
  test_server_start (server);
  test_client_login (a, server->url, "an", PASSWORD_AN);
  counter = test_client_put (a, "person", NULL,
                             "{\"full_name\":\"Bộ đếm\",\"phone\":\"0\"}");
  g_hash_table_insert (ledger.expected, g_strdup (cn_record_get_id (counter)), g_strdup ("0"));

  /* How long a caunoi-cli sync of one round's edits takes here, once the first (which also
   * pulls and sets up) is done: the window kills fall in, its first three quarters so that
   * a sync quicker than the one measured still meets most of them. */
  put_people (a, &ledger, 150, "warm");
  g_assert_cmpint (test_client_cli (a, NULL, NULL, NULL, "sync", NULL), ==, 0);
  put_people (a, &ledger, 150, "warm2");
  start = g_get_monotonic_time ();
  g_assert_cmpint (test_client_cli (a, NULL, NULL, NULL, "sync", NULL), ==, 0);
  g_test_message ("campaign: one sync of 150 edits by caunoi-cli takes %.0f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  window_us = MAX ((g_get_monotonic_time () - start) * 3 / 4, 5000);

  for (guint k = 0; k < kills; k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) process = NULL;
      g_autofree char *round = g_strdup_printf ("k%u", k);
      g_autofree char *phone = g_strdup_printf ("%u", k + 1);

      put_people (a, &ledger, 150, round);
      patch_phone (a, &ledger, cn_record_get_id (counter), phone);
      process = test_client_cli_spawn (a, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                          G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                       &error, "sync", NULL);
      g_assert_no_error (error);
      g_usleep ((gulong) g_rand_int_range (rand, 0, (gint32) window_us));
      g_subprocess_send_signal (process, SIGKILL);
      test_wait_process (process);
      if (g_subprocess_get_if_signaled (process))
        landed++;
      else
        g_assert_true (g_subprocess_get_successful (process));
      assert_integrity (a->db_path);
    }
  g_test_message ("campaign: client SIGKILLs: %u sent, %u landed during a sync", kills, landed);
  /* Random moments: most kills must have met a running sync, or this tested nothing. */
  g_assert_cmpuint (landed, >=, kills / 2);

  last = sync_ok (a);
  g_assert_cmpuint (pending_of (a), ==, 0);
  assert_integrity (a->db_path);
  assert_server_holds (server->url, &ledger);
  assert_integrity (server->db_path);
  ledger_clear (&ledger);
}

/* ---------- SIGKILL of the server at random moments of a push ---------- */

typedef struct {
  TestServer *server;
  gboolean    killed;
} KillLater;

static gboolean
kill_server_cb (gpointer user_data)
{
  KillLater *later = user_data;

  if (later->server->process != NULL)
    {
      g_subprocess_send_signal (later->server->process, SIGKILL);
      later->killed = TRUE;
    }
  return G_SOURCE_REMOVE;
}

typedef struct {
  GMainLoop     *loop;
  CnSyncSummary *summary;
  GError        *error;
} SyncWait;

static void
sync_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncWait *wait = user_data;

  wait->summary = cn_sync_client_sync_finish (CN_SYNC_CLIENT (object), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

static void
test_server_kills (void)
{
  g_autoptr(TestServer) server = new_server ();
  g_autoptr(TestClient) a = test_client_new ();
  g_autoptr(GRand) rand = g_rand_new ();
  guint kills = scaled (10, 100);
  guint mid_push = 0;
  gint64 window_us;
  gint64 start;
  Ledger ledger;

  ledger_init (&ledger);
  test_server_start (server);
  test_client_login (a, server->url, "an", PASSWORD_AN);
  put_people (a, &ledger, 250, "warm");
  start = g_get_monotonic_time ();
  cn_sync_summary_free (sync_ok (a));
  window_us = MAX (g_get_monotonic_time () - start, 20000);
  g_test_message ("campaign: one push of 250 edits takes %.0f ms", window_us / 1000.0);

  for (guint k = 0; k < kills; k++)
    {
      g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
      g_autofree char *round = g_strdup_printf ("s%u", k);
      SyncWait wait = { loop, NULL, NULL };
      KillLater later = { server, FALSE };
      guint before;

      put_people (a, &ledger, 250, round);
      before = pending_of (a);
      g_timeout_add_full (G_PRIORITY_HIGH,
                          (guint) g_rand_int_range (rand, 0, (gint32) (window_us / 1000) + 1),
                          kill_server_cb, &later, NULL);
      cn_sync_client_sync_async (a->sync, NULL, sync_done_cb, &wait);
      g_main_loop_run (loop);
      /* The kill may come after the sync; make sure it has happened before looking. */
      while (!later.killed)
        g_main_context_iteration (NULL, TRUE);
      test_server_kill (server);
      if (wait.error != NULL)
        {
          g_assert_true (wait.error->domain == CN_ERROR);
          if (pending_of (a) < before)
            mid_push++;   /* some batches went through, then the server died */
        }
      g_clear_error (&wait.error);
      g_clear_pointer (&wait.summary, cn_sync_summary_free);
      assert_integrity (server->db_path);
      assert_integrity (a->db_path);
      test_server_start (server);
    }
  g_test_message ("campaign: server SIGKILLs: %u, %u of them between two batches of a push",
                  kills, mid_push);

  cn_sync_summary_free (sync_ok (a));
  g_assert_cmpuint (pending_of (a), ==, 0);
  assert_server_holds (server->url, &ledger);
  ledger_clear (&ledger);
}

/* ---------- a server that misbehaves: a proxy that spoils answers ---------- */

typedef enum {
  FAULT_NONE,
  FAULT_CUT,        /* the answer's length announced, half of it sent, then closed */
  FAULT_GARBAGE,    /* 200 with bytes that are not JSON */
  FAULT_NOT_HTTP,   /* no HTTP at all */
  FAULT_CLOSE,      /* closed without a word */
  FAULT_DELAY,      /* the answer held past the client's timeout */
  FAULT_DEEP,       /* 200 with JSON nested a million levels deep (2 MB) */
} Fault;

typedef struct {
  GThreadedSocketService *service;
  char                   *upstream;
  char                   *url;
  GMutex                  lock;
  Fault                   fault;
  char                   *fault_method;
  char                   *fault_path;
  guint                   faults_injected;
} BadProxy;

static GBytes *
read_request (GInputStream  *in,
              GString      **head_out)
{
  GString *head = g_string_new (NULL);
  char c;
  gsize length = 0;
  const char *cl;

  while (!g_str_has_suffix (head->str, "\r\n\r\n"))
    {
      if (g_input_stream_read (in, &c, 1, NULL, NULL) != 1)
        {
          g_string_free (head, TRUE);
          return NULL;
        }
      g_string_append_c (head, c);
    }
  cl = strstr (head->str, "Content-Length: ");
  if (cl == NULL)
    cl = strstr (head->str, "content-length: ");
  if (cl != NULL)
    length = g_ascii_strtoull (cl + 16, NULL, 10);
  {
    guint8 *body = g_malloc (length + 1);
    gsize got = 0;

    if (length > 0 && !g_input_stream_read_all (in, body, length, &got, NULL, NULL))
      {
        g_free (body);
        g_string_free (head, TRUE);
        return NULL;
      }
    *head_out = head;
    return g_bytes_new_take (body, got);
  }
}

static gboolean
proxy_run_cb (GThreadedSocketService *service,
              GSocketConnection      *connection,
              GObject                *source_object,
              gpointer                user_data)
{
  BadProxy *proxy = user_data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GString) head = NULL;
  g_autoptr(GBytes) body = read_request (in, &head);
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) request_line = NULL;
  g_autofree char *target = NULL;
  g_autofree char *reply_head = NULL;
  Fault fault = FAULT_NONE;
  const char *content_type;
  gsize size;
  const char *data;

  if (body == NULL)
    return TRUE;
  lines = g_strsplit (head->str, "\r\n", -1);
  request_line = g_strsplit (lines[0], " ", 3);
  if (g_strv_length (request_line) < 2)
    return TRUE;

  g_mutex_lock (&proxy->lock);
  if (proxy->fault != FAULT_NONE && g_str_equal (request_line[0], proxy->fault_method) &&
      g_str_has_prefix (request_line[1], proxy->fault_path))
    {
      fault = proxy->fault;
      proxy->faults_injected++;
    }
  g_mutex_unlock (&proxy->lock);

  if (fault == FAULT_CLOSE)
    return TRUE;
  if (fault == FAULT_NOT_HTTP)
    {
      g_output_stream_write_all (out, "ceci n'est pas HTTP\r\n\r\n", 23, NULL, NULL, NULL);
      return TRUE;
    }

  /* Forward to the real server. */
  target = g_strconcat (proxy->upstream, request_line[1] + 1, NULL);
  session = soup_session_new ();
  msg = soup_message_new (request_line[0], target);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      char *colon = strchr (lines[i], ':');

      if (colon == NULL)
        continue;
      *colon = '\0';
      if (g_ascii_strcasecmp (lines[i], "Authorization") == 0 ||
          g_ascii_strcasecmp (lines[i], "Range") == 0 ||
          g_ascii_strcasecmp (lines[i], "Content-Type") == 0)
        soup_message_headers_replace (soup_message_get_request_headers (msg), lines[i],
                                      g_strstrip (colon + 1));
    }
  if (g_bytes_get_size (body) > 0)
    soup_message_set_request_body_from_bytes (msg, NULL, body);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  if (answer == NULL)
    return TRUE;

  if (fault == FAULT_DELAY)
    g_usleep (70 * G_USEC_PER_SEC);   /* the client gives up after 60 s */
  if (fault == FAULT_DEEP)
    {
      const gsize depth = 1000000;
      GString *deep = g_string_sized_new (2 * depth + 64);

      g_string_append (deep, "{\"changes\":");
      for (gsize i = 0; i < depth; i++)
        g_string_append_c (deep, '[');
      for (gsize i = 0; i < depth; i++)
        g_string_append_c (deep, ']');
      g_string_append (deep, ",\"next\":1,\"more\":false}");
      g_clear_pointer (&answer, g_bytes_unref);
      answer = g_string_free_to_bytes (deep);
    }
  if (fault == FAULT_GARBAGE)
    {
      g_autoptr(GRand) rand = g_rand_new ();
      guint8 junk[777];

      for (gsize i = 0; i < sizeof junk; i++)
        junk[i] = (guint8) g_rand_int_range (rand, 0, 256);
      junk[0] = '{';
      g_clear_pointer (&answer, g_bytes_unref);
      answer = g_bytes_new (junk, sizeof junk);
    }
  data = g_bytes_get_data (answer, &size);
  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                        NULL);
  reply_head = g_strdup_printf ("HTTP/1.1 %u %s\r\nContent-Type: %s\r\n"
                                "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                                soup_message_get_status (msg),
                                soup_message_get_reason_phrase (msg),
                                content_type ? content_type : "application/octet-stream", size);
  g_output_stream_write_all (out, reply_head, strlen (reply_head), NULL, NULL, NULL);
  g_output_stream_write_all (out, data, fault == FAULT_CUT ? size / 2 : size, NULL, NULL,
                             NULL);
  return TRUE;
}

static BadProxy *
bad_proxy_new (const char *upstream)
{
  BadProxy *proxy = g_new0 (BadProxy, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_mutex_init (&proxy->lock);
  proxy->upstream = g_strdup (upstream);
  proxy->service = G_THREADED_SOCKET_SERVICE (g_threaded_socket_service_new (8));
  g_socket_listener_add_address (G_SOCKET_LISTENER (proxy->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &bound,
                                 &error);
  g_assert_no_error (error);
  g_signal_connect (proxy->service, "run", G_CALLBACK (proxy_run_cb), proxy);
  g_socket_service_start (G_SOCKET_SERVICE (proxy->service));
  proxy->url = g_strdup_printf ("http://127.0.0.1:%u/",
                                g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  return proxy;
}

static void
bad_proxy_set_fault (BadProxy   *proxy,
                     Fault       fault,
                     const char *method,
                     const char *path)
{
  g_mutex_lock (&proxy->lock);
  proxy->fault = fault;
  g_free (proxy->fault_method);
  proxy->fault_method = g_strdup (method);
  g_free (proxy->fault_path);
  proxy->fault_path = g_strdup (path);
  g_mutex_unlock (&proxy->lock);
}

static void
bad_proxy_free (BadProxy *proxy)
{
  g_socket_service_stop (G_SOCKET_SERVICE (proxy->service));
  g_socket_listener_close (G_SOCKET_LISTENER (proxy->service));
  g_clear_object (&proxy->service);
  g_free (proxy->upstream);
  g_free (proxy->url);
  g_free (proxy->fault_method);
  g_free (proxy->fault_path);
  g_mutex_clear (&proxy->lock);
  g_free (proxy);
}

static void
test_bad_answers (void)
{
  g_autoptr(TestServer) server = new_server ();
  g_autoptr(TestClient) a = test_client_new ();
  BadProxy *proxy;
  Fault faults[] = { FAULT_CUT, FAULT_GARBAGE, FAULT_NOT_HTTP, FAULT_CLOSE, FAULT_DELAY };
  const char *names[] = { "cut short", "garbage", "not HTTP", "closed", "delayed past the timeout" };
  struct { const char *method; const char *path; } where[] = {
    { "POST", "/api/v1/changes" },   /* the push: applied by the server, the answer lost */
    { "GET", "/api/v1/changes" },    /* the pull */
  };
  guint injected = 0;
  Ledger ledger;

  ledger_init (&ledger);
  test_server_start (server);
  proxy = bad_proxy_new (server->url);
  test_client_login (a, proxy->url, "an", PASSWORD_AN);

  for (guint f = 0; f < G_N_ELEMENTS (faults); f++)
    for (guint w = 0; w < G_N_ELEMENTS (where); w++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(CnSyncSummary) failed = NULL;
        g_autoptr(CnSyncSummary) recovered = NULL;
        g_autofree char *round = g_strdup_printf ("f%u-%u", f, w);
        guint before;

        if (faults[f] == FAULT_DELAY && !full_scale ())
          continue;  /* 70 s: only in the full campaign */
        put_people (a, &ledger, 30, round);
        before = pending_of (a);
        bad_proxy_set_fault (proxy, faults[f], where[w].method, where[w].path);
        failed = test_client_sync (a, &error);
        /* The error is reported, plainly, and nothing unsent is forgotten. */
        g_assert_null (failed);
        g_assert_nonnull (error);
        g_assert_true (error->domain == CN_ERROR);
        g_test_message ("campaign: %s %s answer %s: “%s”", where[w].method, where[w].path,
                        names[f], error->message);
        if (w == 0)
          g_assert_cmpuint (pending_of (a), ==, before);
        assert_integrity (a->db_path);

        bad_proxy_set_fault (proxy, FAULT_NONE, "", "");
        recovered = sync_ok (a);
        g_assert_cmpuint (pending_of (a), ==, 0);
        injected++;
      }
  g_test_message ("campaign: %u bad answers injected (%u requests spoiled), each "
                  "recovered by the next sync", injected, proxy->faults_injected);
  assert_server_holds (server->url, &ledger);
  bad_proxy_free (proxy);
  ledger_clear (&ledger);
}

/* An answer nested deeper than any the server sends (a broken or hostile server, or a
 * tampered plain-HTTP link): an error, not a crash of the client. */
static void
test_deep_answer (void)
{
  g_autoptr(TestServer) server = new_server ();
  g_autoptr(TestClient) a = test_client_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CnSyncSummary) failed = NULL;
  BadProxy *proxy;
  Ledger ledger;

  ledger_init (&ledger);
  test_server_start (server);
  proxy = bad_proxy_new (server->url);
  test_client_login (a, proxy->url, "an", PASSWORD_AN);
  put_people (a, &ledger, 5, "deep");
  bad_proxy_set_fault (proxy, FAULT_DEEP, "GET", "/api/v1/changes");
  failed = test_client_sync (a, &error);
  g_assert_null (failed);
  g_assert_error (error, CN_ERROR, CN_ERROR_SERVER);
  g_test_message ("campaign: an answer nested a million deep: “%s”", error->message);
  bad_proxy_set_fault (proxy, FAULT_NONE, "", "");
  cn_sync_summary_free (sync_ok (a));
  g_assert_cmpuint (pending_of (a), ==, 0);
  assert_server_holds (server->url, &ledger);
  bad_proxy_free (proxy);
  ledger_clear (&ledger);
}

/* ---------- many clients at once ---------- */

typedef struct {
  TestClient *client;
  Ledger     *ledger;
  gint64      deadline;
  guint       syncs;
  guint       errors;
  gboolean    busy;
  guint      *running;
  GString    *first_error;
} Loader;

static void load_next (Loader *loader);

static void
load_sync_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Loader *loader = user_data;
  g_autoptr(GError) error = NULL;
  CnSyncSummary *summary = cn_sync_client_sync_finish (CN_SYNC_CLIENT (object), result, &error);

  if (summary == NULL)
    {
      loader->errors++;
      if (loader->first_error->len == 0)
        g_string_assign (loader->first_error, error->message);
    }
  g_clear_pointer (&summary, cn_sync_summary_free);
  loader->syncs++;
  load_next (loader);
}

static void
load_next (Loader *loader)
{
  if (g_get_monotonic_time () >= loader->deadline)
    {
      (*loader->running)--;
      return;
    }
  {
    g_autofree char *tag = g_strdup_printf ("%p-%u", (void *) loader, loader->syncs);

    put_people (loader->client, loader->ledger, 2, tag);
  }
  cn_sync_client_sync_async (loader->client->sync, NULL, load_sync_done_cb, loader);
}

static gint64
vm_rss_kb (GSubprocess *process)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (process));
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  line = strstr (status, "VmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + 6, NULL, 10);
}

/* Sockets the server holds open: the clients it serves at this moment. */
static gboolean
sample_sockets_cb (gpointer user_data)
{
  GSubprocess *process = g_object_get_data (user_data, "process");
  guint *max = g_object_get_data (user_data, "max");
  g_autofree char *dir_path = g_strdup_printf ("/proc/%s/fd",
                                               g_subprocess_get_identifier (process));
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);

      if (target != NULL && g_str_has_prefix (target, "socket:"))
        n++;
    }
  *max = MAX (*max, n);
  g_array_append_val (g_object_get_data (user_data, "rss"), (gint64) { vm_rss_kb (process) });
  return G_SOURCE_CONTINUE;
}

static guint
count_lines (const char *path)
{
  g_autofree char *text = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  for (const char *p = text; (p = strstr (p, " user=")) != NULL; p++)
    n++;
  return n;
}

static void
test_load (void)
{
  g_autoptr(TestServer) server = new_server ();
  g_autofree char *log_path = NULL;
  guint n_clients = scaled (20, 200);
  guint seconds = scaled (5, 60);
  g_autofree Loader *loaders = g_new0 (Loader, n_clients);
  g_autoptr(GString) first_error = g_string_new (NULL);
  guint running = n_clients;
  guint syncs = 0, errors = 0;
  g_autoptr(GObject) sampler = g_object_new (G_TYPE_OBJECT, NULL);
  guint max_sockets = 0;
  guint sampler_id;
  gint64 rss_start, rss_end;
  gint64 start;
  Ledger ledger;

  ledger_init (&ledger);
  log_path = g_build_filename (server->dir, "server.log", NULL);
  start_server_logged (server, log_path);
  for (guint i = 0; i < n_clients; i++)
    {
      loaders[i].client = test_client_new ();
      loaders[i].ledger = &ledger;
      loaders[i].running = &running;
      loaders[i].first_error = first_error;
      test_client_login (loaders[i].client, server->url, "an", PASSWORD_AN);
    }
  rss_start = vm_rss_kb (server->process);
  g_object_set_data (G_OBJECT (sampler), "process", server->process);
  g_object_set_data (G_OBJECT (sampler), "max", &max_sockets);
  g_object_set_data_full (G_OBJECT (sampler), "rss", g_array_new (FALSE, FALSE, sizeof (gint64)),
                          (GDestroyNotify) g_array_unref);
  sampler_id = g_timeout_add (100, sample_sockets_cb, sampler);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n_clients; i++)
    {
      loaders[i].deadline = start + (gint64) seconds * G_USEC_PER_SEC;
      load_next (&loaders[i]);
    }
  while (running > 0)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (sampler_id);
  rss_end = vm_rss_kb (server->process);

  for (guint i = 0; i < n_clients; i++)
    {
      syncs += loaders[i].syncs;
      errors += loaders[i].errors;
    }
  g_test_message ("campaign: %u clients for %u s: %u syncs, %u failed%s%s; %u requests "
                  "served; %u records created; up to %u sockets open on the server at once; server "
                  "VmRSS %" G_GINT64_FORMAT " kB → %" G_GINT64_FORMAT " kB", n_clients, seconds,
                  syncs, errors, errors ? ", first: " : "", first_error->str,
                  count_lines (log_path), g_hash_table_size (ledger.expected), max_sockets,
                  rss_start, rss_end);
  {
    GArray *rss = g_object_get_data (G_OBJECT (sampler), "rss");

    if (rss->len >= 4)
      g_test_message ("campaign: server VmRSS at each quarter of the run: %" G_GINT64_FORMAT
                      ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT " kB",
                      g_array_index (rss, gint64, rss->len / 4),
                      g_array_index (rss, gint64, rss->len / 2),
                      g_array_index (rss, gint64, 3 * rss->len / 4),
                      g_array_index (rss, gint64, rss->len - 1));
  }
  g_assert_cmpuint (errors, ==, 0);
  g_assert_cmpuint (syncs, >=, n_clients);

  /* Every client ends with nothing unsent, and the server holds every edit once. */
  for (guint i = 0; i < n_clients; i++)
    {
      cn_sync_summary_free (sync_ok (loaders[i].client));
      g_assert_cmpuint (pending_of (loaders[i].client), ==, 0);
    }
  assert_server_holds (server->url, &ledger);
  for (guint i = 0; i < n_clients; i++)
    test_client_free (loaders[i].client);

  /* And it stops cleanly when asked (under LeakSanitizer, with
   * CAUNOI_SERVER_ASAN_OPTIONS=detect_leaks=1, leaking nothing). */
  g_subprocess_send_signal (server->process, SIGTERM);
  test_wait_process (server->process);
  if (!g_subprocess_get_successful (server->process))
    {
      g_autofree char *log = NULL;

      g_file_get_contents (log_path, &log, NULL, NULL);
      g_error ("the server did not stop cleanly after the load:\n%s",
               log ? strstr (log, "==") ? strstr (log, "==") : "" : "");
    }
  g_clear_object (&server->process);
  ledger_clear (&ledger);
}

/* ---------- connections closed by clients ---------- */

/* The child setup: 128 descriptors, and death with the test (user_data: the test's pid). */
static void
limit_descriptors (gpointer user_data)
{
  struct rlimit limit = { 128, 128 };

  cn_test_child_setup_die_with_parent (user_data);
  setrlimit (RLIMIT_NOFILE, &limit);
}

/* Clients come and go: each keeps its connection open after a sync, then closes it (the
 * sync client's idle timeout, a laptop lid). The server must let go of each socket, or it
 * runs out of descriptors and answers no one. With 128 descriptors, 400 clients. */
static void
test_server_connections (void)
{
  g_autoptr(TestServer) server = test_server_new ();
  g_autofree char *binary = build_path ("src/server/caunoi-server");
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *url = NULL;
  const char *prefix = "listening on ";
  guint answered = 0;

  g_assert_cmpint (gettid (), ==, getpid ());  /* see cn-test-child.h */
  g_subprocess_launcher_set_child_setup (launcher, limit_descriptors,
                                         GINT_TO_POINTER (getpid ()), NULL);
  server->process = g_subprocess_launcher_spawn (launcher, &error, binary, "serve", "--db",
                                                 server->db_path, "--listen", "127.0.0.1:0",
                                                 NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, prefix));
  url = g_strconcat (line + strlen (prefix), "healthz", NULL);

  for (guint i = 0; i < 400; i++)
    {
      g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 5, NULL);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);

      if (body == NULL || soup_message_get_status (msg) != SOUP_STATUS_OK)
        break;  /* the server has stopped answering */
      answered++;
      /* The client closes its kept-alive connection (a session let go closes it only from
       * its main context, which this loop does not run). */
      soup_session_abort (session);
    }
  g_test_message ("campaign: %u of 400 clients answered by a server with 128 descriptors",
                  answered);
  g_assert_cmpuint (answered, ==, 400);

  /* A burst: more connections at once than the server has descriptors (libsoup's listener
   * stops for good when accept() fails). The longest idle give way, and it answers still. */
  {
    g_autoptr(GSocketClient) client = g_socket_client_new ();
    g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
    g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 10, NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(GBytes) body = NULL;

    g_socket_client_set_timeout (client, 10);
    for (guint i = 0; i < 300; i++)
      {
        GSocketConnection *connection = g_socket_client_connect_to_uri (client, url, 0, NULL, &error);

        g_assert_no_error (error);
        g_ptr_array_add (held, connection);
      }
    body = soup_session_send_and_read (session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  }
}

/* ---------- a full disk, a read-only database ---------- */

/* A client whose data lives on a small file system of its own. NULL (and the test skipped)
 * when this is not root or mounting is not allowed here. */
static TestClient *
client_on_tmpfs (const char *size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *options = g_strdup_printf ("size=%s,mode=0700", size);
  TestClient *client;
  char *dir = g_dir_make_tmp ("caunoi-rel-tmpfs-XXXXXX", &error);

  g_assert_no_error (error);
  if (geteuid () != 0 || mount ("tmpfs", dir, "tmpfs", 0, options) != 0)
    {
      g_test_skip ("mounting a small tmpfs needs root (CAP_SYS_ADMIN)");
      g_rmdir (dir);
      g_free (dir);
      return NULL;
    }
  client = g_new0 (TestClient, 1);
  client->dir = dir;
  client->db_path = g_build_filename (dir, "caunoi", "caunoi.db", NULL);
  client->store = cn_store_open (client->db_path, &error);
  g_assert_no_error (error);
  client->sync = cn_sync_client_new (client->store);
  return client;
}

static void
free_tmpfs_client (TestClient *client)
{
  g_autofree char *dir = g_strdup (client->dir);

  g_clear_object (&client->sync);
  g_clear_object (&client->store);
  umount2 (dir, MNT_DETACH);
  test_client_free (client);
}

static void
fill_disk (const char *dir,
           char      **filler)
{
  g_autofree char *path = g_build_filename (dir, "filler", NULL);
  g_autofree char *block = g_malloc0 (4096);
  FILE *file = fopen (path, "w");

  g_assert_nonnull (file);
  while (fwrite (block, 1, 4096, file) == 4096 && fflush (file) == 0)
    ;
  fclose (file);
  *filler = g_steal_pointer (&path);
}

static void
test_disk_full (void)
{
  g_autoptr(TestServer) server = new_server ();
  g_autoptr(TestClient) writer = test_client_new ();
  TestClient *a = client_on_tmpfs ("8m");
  g_autoptr(GError) error = NULL;
  g_autoptr(CnSyncSummary) failed = NULL;
  g_autofree char *filler = NULL;
  Ledger ledger;
  guint before;

  if (a == NULL)
    return;
  ledger_init (&ledger);
  test_server_start (server);
  test_client_login (a, server->url, "an", PASSWORD_AN);
  test_client_login (writer, server->url, "binh", PASSWORD_BINH);
  /* Much to pull: more than the disk will hold. */
  put_people (writer, &ledger, 300, "server-side");
  cn_sync_summary_free (sync_ok (writer));
  /* Local work waiting to be sent, then the disk fills up. */
  put_people (a, &ledger, 20, "offline");
  before = pending_of (a);
  fill_disk (a->dir, &filler);

  failed = test_client_sync (a, &error);
  g_assert_null (failed);
  g_assert_nonnull (error);
  g_assert_true (error->domain == CN_ERROR);
  g_test_message ("campaign: disk full during a sync: “%s”", error->message);
  assert_integrity (a->db_path);
  /* What could not be sent or confirmed is still waiting. */
  g_assert_cmpuint (pending_of (a), <=, before);

  /* Space again: the next sync finishes the job. */
  g_assert_cmpint (g_unlink (filler), ==, 0);
  cn_sync_summary_free (sync_ok (a));
  g_assert_cmpuint (pending_of (a), ==, 0);
  g_assert_cmpuint (test_client_count (a, "person"), ==, g_hash_table_size (ledger.expected));
  assert_integrity (a->db_path);
  assert_server_holds (server->url, &ledger);
  free_tmpfs_client (a);
  ledger_clear (&ledger);
}

static void
test_read_only_database (void)
{
  g_autoptr(TestServer) server = new_server ();
  g_autoptr(TestClient) writer = test_client_new ();
  TestClient *a = client_on_tmpfs ("64m");
  g_autoptr(GError) error = NULL;
  g_autoptr(CnSyncSummary) failed = NULL;
  Ledger ledger;

  if (a == NULL)
    return;
  ledger_init (&ledger);
  test_server_start (server);
  test_client_login (a, server->url, "an", PASSWORD_AN);
  test_client_login (writer, server->url, "binh", PASSWORD_BINH);
  put_people (writer, &ledger, 50, "server-side");
  cn_sync_summary_free (sync_ok (writer));
  put_people (a, &ledger, 20, "offline");

  /* A read-only view of the data directory over it: the sync, which opens the database
   * afresh, finds it read-only (as on read-only media, or a file system remounted so). */
  g_assert_cmpint (mount (a->dir, a->dir, NULL, MS_BIND, NULL), ==, 0);
  g_assert_cmpint (mount (NULL, a->dir, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL), ==, 0);
  failed = test_client_sync (a, &error);
  g_assert_null (failed);
  g_assert_nonnull (error);
  g_assert_true (error->domain == CN_ERROR);
  g_test_message ("campaign: read-only database during a sync: “%s”", error->message);
  /* Lazily: the sync client keeps its worker's connection between syncs, opened on the
   * read-only view; it must let go of it and open the database again. */
  g_assert_cmpint (umount2 (a->dir, MNT_DETACH), ==, 0);

  assert_integrity (a->db_path);
  g_assert_cmpuint (pending_of (a), ==, 20);
  cn_sync_summary_free (sync_ok (a));
  g_assert_cmpuint (pending_of (a), ==, 0);
  assert_server_holds (server->url, &ledger);
  free_tmpfs_client (a);
  ledger_clear (&ledger);
}

/* ---------- no secret in any log; files 0600 ---------- */

static void
assert_no_secret (const char *what,
                  const char *text,
                  const char *secret)
{
  g_assert_nonnull (secret);
  if (text != NULL && strstr (text, secret) != NULL)
    g_error ("%s holds a secret (one %" G_GSIZE_FORMAT " characters long)", what,
             strlen (secret));
}

static void
find_files (const char *dir,
            GPtrArray  *found)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          find_files (path, found);
          g_free (path);
        }
      else
        g_ptr_array_add (found, path);
    }
}

static void
test_secrets (void)
{
  g_autoptr(TestServer) server = test_server_new ();
  g_autoptr(TestClient) a = test_client_new ();
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) outputs = g_string_new (NULL);
  g_autofree char *log_path = NULL;
  g_autofree char *log = NULL;
  g_autofree char *token = NULL;
  const char *wrong = "sai-mat-khau-Bi-Mat-9";
  struct stat st;

  /* Every debug message on in the CLI and the server (not in this process: its output is
   * the TAP stream, and setenv() is not safe once threads run). */
  a->debug_log = TRUE;
  test_server_add_user (server, "an", "admin", NULL, PASSWORD_AN);
  log_path = g_build_filename (server->dir, "server.log", NULL);
  start_server_logged (server, log_path);

  /* Every command that touches a secret, with every debug message on. */
  {
    g_autofree char *line = g_strconcat (wrong, "\n", NULL);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (test_client_cli (a, line, &out, &err, "login", server->url, "an", NULL),
                     !=, 0);
    g_string_append_printf (outputs, "%s%s", out, err);
  }
  {
    g_autofree char *line = g_strconcat (PASSWORD_AN, "\n", NULL);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (test_client_cli (a, line, &out, &err, "login", server->url, "an", NULL),
                     ==, 0);
    g_string_append_printf (outputs, "%s%s", out, err);
  }
  /* The token, from where the client keeps it (CAUNOI_CREDENTIALS=file: a file). */
  find_files (a->dir, files);
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *contents = NULL;

      g_assert_cmpint (g_stat (path, &st), ==, 0);
      if (strstr (path, ".db") != NULL || strstr (path, "token") != NULL ||
          strstr (path, "credential") != NULL)
        {
          g_test_message ("%s is %o", path, st.st_mode & 0777);
          g_assert_cmpint (st.st_mode & 0077, ==, 0);
        }
      if (strstr (path, "token") != NULL && g_file_get_contents (path, &contents, NULL, NULL))
        token = g_strdup (g_strstrip (contents));
    }
  g_assert_nonnull (token);
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (test_client_cli (a, NULL, &out, &err, "sync", NULL), ==, 0);
    g_string_append_printf (outputs, "%s%s", out, err);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (test_client_cli (a, NULL, &out, &err, "status", NULL), ==, 0);
    g_string_append_printf (outputs, "%s%s", out, err);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (test_client_cli (a, NULL, &out, &err, "logout", NULL), ==, 0);
    g_string_append_printf (outputs, "%s%s", out, err);
  }
  test_server_kill (server);

  g_assert_true (g_file_get_contents (log_path, &log, NULL, NULL));
  /* The log did log the requests: the check looked at something. */
  g_assert_nonnull (strstr (log, "/api/v1/session"));
  g_assert_nonnull (strstr (log, "/api/v1/changes"));
  assert_no_secret ("the server's log", log, PASSWORD_AN);
  assert_no_secret ("the server's log", log, wrong);
  assert_no_secret ("the server's log", log, token);
  assert_no_secret ("caunoi-cli's output", outputs->str, PASSWORD_AN);
  assert_no_secret ("caunoi-cli's output", outputs->str, wrong);
  assert_no_secret ("caunoi-cli's output", outputs->str, token);

  /* The server's database is 0600 too, with its WAL. */
  g_assert_cmpint (g_stat (server->db_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reliability/client-kills", test_client_kills);
  g_test_add_func ("/reliability/server-kills", test_server_kills);
  g_test_add_func ("/reliability/bad-answers", test_bad_answers);
  g_test_add_func ("/reliability/deep-answer", test_deep_answer);
  g_test_add_func ("/reliability/load", test_load);
  g_test_add_func ("/reliability/server-connections", test_server_connections);
  g_test_add_func ("/reliability/disk-full", test_disk_full);
  g_test_add_func ("/reliability/read-only-database", test_read_only_database);
  g_test_add_func ("/reliability/secrets", test_secrets);
  return g_test_run ();
}
