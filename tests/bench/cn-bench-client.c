/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-bench"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cn-fts.h"
#include "cn-id.h"
#include "cn-record-list.h"
#include "cn-search.h"
#include "cn-store.h"
#include "cn-sync-client.h"

/*
 * cn-bench-client: the client-side figures of issue 8, one per command, each printed as one
 * JSON object on standard output.
 *
 *   sync         initial sync through CnSyncClient from a GMainLoop, with what a window
 *                does meanwhile (a CnRecordList of the articles, its first rows read again on
 *                every change) and a 10 ms timer that records the longest main-loop gap;
 *                peak RSS (VmHWM) at the end                           (#1, #5 peak, #8)
 *   bulkload     the reference of #1: the same rows, read from the synced store, inserted
 *                with bare prepared statements into a fresh store of the same schema, FTS
 *                included, 500 rows per transaction like a pull page   (#1 reference)
 *   incremental  10 records changed on the server by another user, then one sync (#2)
 *   search       a fixed mix of 50 queries through cn_store_search()   (#3)
 *   jump         a CnRecordList of every article, newest first, read 30 rows at random
 *                positions, as a list view does after a jump          (#9)
 *   frame        runs a GTK program with the first-frame probe preloaded and reports the
 *                time from spawn to the first painted frame and the RSS then (#4, #5)
 */

/* ---------- helpers ---------- */

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted array. */
static double
percentile (GArray *sorted, double p)
{
  guint rank;

  if (sorted->len == 0)
    return 0;
  rank = (guint) ceil (p / 100.0 * sorted->len);
  rank = CLAMP (rank, 1, sorted->len);
  return g_array_index (sorted, double, rank - 1);
}

static void
print_stats (JsonBuilder *b, const char *prefix, GArray *values)
{
  g_autofree char *median = g_strconcat (prefix, "_median", NULL);
  g_autofree char *p95 = g_strconcat (prefix, "_p95", NULL);
  g_autofree char *max = g_strconcat (prefix, "_max", NULL);

  g_array_sort (values, compare_double);
  json_builder_set_member_name (b, median);
  json_builder_add_double_value (b, percentile (values, 50));
  json_builder_set_member_name (b, p95);
  json_builder_add_double_value (b, percentile (values, 95));
  json_builder_set_member_name (b, max);
  json_builder_add_double_value (b, values->len ? g_array_index (values, double, values->len - 1) : 0);
}

static void
print_json (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = json_to_string (root, FALSE);

  g_print ("%s\n", text);
}

/* VmHWM or VmRSS of this process, in KiB. */
static guint64
proc_status_kb (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, key);
  if (line == NULL)
    return 0;
  return g_ascii_strtoull (line + strlen (key) + 1, NULL, 10);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* CPU time of this process (all threads), in ms: on a busy machine the figures are also given
 * in CPU time, which other processes do not stretch. */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* CPU time of another process (the server), in ms; 0 when unknown. */
static int server_pid;

static double
server_cpu_ms (void)
{
  g_autofree char *path = NULL;
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (server_pid <= 0)
    return 0;
  path = g_strdup_printf ("/proc/%d/stat", server_pid);
  if (!g_file_get_contents (path, &stat, NULL, NULL) || (after_name = strrchr (stat, ')')) == NULL)
    return 0;
  fields = g_strsplit (after_name + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return 0;
  /* utime and stime are fields 14 and 15 of the line, 12 and 13 after the name. */
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) * 1000.0 /
         sysconf (_SC_CLK_TCK);
}

static CnStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  CnStore *store = cn_store_open (path, &error);

  if (store == NULL)
    g_error ("%s: %s", path, error->message);
  return store;
}

static CnRecordList *
articles_list (CnStore *store)
{
  g_autoptr(CnQuery) query = cn_query_new ("article");

  /* What the Articles section shows. */
  cn_query_set_sort (query, "published_at", TRUE);
  return cn_record_list_new (store, query);
}

/* What a list row binds: the title and the date. */
static void
read_rows (GListModel *model, guint from, guint n)
{
  guint count = g_list_model_get_n_items (model);

  for (guint i = from; i < MIN (count, from + n); i++)
    {
      g_autoptr(CnRecord) record = g_list_model_get_item (model, i);

      if (record == NULL || cn_record_get_title (record) == NULL)
        g_error ("row %u of %u could not be read", i, count);
      (void) cn_record_get_string (record, "published_at");
    }
}

/* ---------- sync (#1, #5, #8) ---------- */

typedef struct {
  GMainLoop     *loop;
  CnSyncClient  *client;
  GError        *error;
  CnSyncSummary *summary;
  gint64         last_tick;
  gint64         max_gap;
  guint          stalls_50;
  guint          ticks;
  guint          list_updates;
  gboolean       measuring;
} SyncRun;

static gboolean
tick_cb (gpointer user_data)
{
  SyncRun *run = user_data;
  gint64 now = g_get_monotonic_time ();

  if (run->measuring && run->last_tick > 0)
    {
      gint64 gap = now - run->last_tick;

      run->max_gap = MAX (run->max_gap, gap);
      if (gap > 50 * 1000)
        run->stalls_50++;
      run->ticks++;
    }
  run->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
list_changed_cb (GListModel *model, guint position, guint removed, guint added, SyncRun *run)
{
  run->list_updates++;
  /* A list view redraws the rows it shows. */
  read_rows (model, 0, 30);
}

static void
login_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SyncRun *run = user_data;

  cn_sync_client_login_finish (CN_SYNC_CLIENT (source), result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
sync_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SyncRun *run = user_data;

  run->summary = cn_sync_client_sync_finish (CN_SYNC_CLIENT (source), result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
login (SyncRun *run, const char *url, const char *user, const char *password)
{
  cn_sync_client_login_async (run->client, url, user, password, NULL, NULL, login_done_cb, run);
  g_main_loop_run (run->loop);
  if (run->error != NULL)
    g_error ("login: %s", run->error->message);
}

static double
sync_once (SyncRun *run)
{
  gint64 start = g_get_monotonic_time ();

  g_clear_pointer (&run->summary, cn_sync_summary_free);
  cn_sync_client_sync_async (run->client, NULL, sync_done_cb, run);
  g_main_loop_run (run->loop);
  if (run->error != NULL)
    g_error ("sync: %s", run->error->message);
  return ms_since (start);
}

static int
cmd_sync (const char *db, const char *url, const char *user, const char *password)
{
  g_autoptr(CnStore) store = open_store (db);
  g_autoptr(CnRecordList) list = articles_list (store);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  SyncRun run = { 0 };
  guint tick_id;
  double ms, client_cpu, server_cpu;
  guint64 rss_before = proc_status_kb ("VmHWM:");

  run.loop = g_main_loop_new (NULL, FALSE);
  run.client = cn_sync_client_new (store);
  read_rows (G_LIST_MODEL (list), 0, 30);
  g_signal_connect (list, "items-changed", G_CALLBACK (list_changed_cb), &run);
  login (&run, url, user, password);

  tick_id = g_timeout_add (10, tick_cb, &run);
  run.measuring = TRUE;
  client_cpu = cpu_ms ();
  server_cpu = server_cpu_ms ();
  ms = sync_once (&run);
  client_cpu = cpu_ms () - client_cpu;
  server_cpu = server_cpu_ms () - server_cpu;
  run.measuring = FALSE;
  g_source_remove (tick_id);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "records");
  json_builder_add_int_value (b, run.summary->pulled);
  json_builder_set_member_name (b, "ms");
  json_builder_add_double_value (b, ms);
  json_builder_set_member_name (b, "records_per_s");
  json_builder_add_double_value (b, run.summary->pulled / (ms / 1000.0));
  json_builder_set_member_name (b, "client_cpu_ms");
  json_builder_add_double_value (b, client_cpu);
  json_builder_set_member_name (b, "server_cpu_ms");
  json_builder_add_double_value (b, server_cpu);
  json_builder_set_member_name (b, "cpu_records_per_s");
  json_builder_add_double_value (b, run.summary->pulled / ((client_cpu + server_cpu) / 1000.0));
  json_builder_set_member_name (b, "peak_rss_mb");
  json_builder_add_double_value (b, proc_status_kb ("VmHWM:") / 1024.0);
  json_builder_set_member_name (b, "rss_before_mb");
  json_builder_add_double_value (b, rss_before / 1024.0);
  json_builder_set_member_name (b, "max_gap_ms");
  json_builder_add_double_value (b, run.max_gap / 1000.0);
  json_builder_set_member_name (b, "stalls_over_50ms");
  json_builder_add_int_value (b, run.stalls_50);
  json_builder_set_member_name (b, "ticks");
  json_builder_add_int_value (b, run.ticks);
  json_builder_set_member_name (b, "list_updates");
  json_builder_add_int_value (b, run.list_updates);
  json_builder_set_member_name (b, "articles_listed");
  json_builder_add_int_value (b, g_list_model_get_n_items (G_LIST_MODEL (list)));
  json_builder_end_object (b);
  print_json (b);

  g_clear_pointer (&run.summary, cn_sync_summary_free);
  g_clear_object (&run.client);
  g_main_loop_unref (run.loop);
  return 0;
}

/* ---------- bulkload (#1 reference) ---------- */

static void
check_sql (sqlite3 *db, int rc, const char *what)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("%s: %s", what, sqlite3_errmsg (db));
}

static void
exec_or_die (sqlite3 *db, const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

typedef struct {
  char   *values[17];
  int     types[17];
  gint64  ints[17];
} BulkRow;

static void
bulk_row_clear (BulkRow *row)
{
  for (guint i = 0; i < G_N_ELEMENTS (row->values); i++)
    g_free (row->values[i]);
}

static void
bind_row (sqlite3_stmt *stmt, BulkRow *row, int param, int column)
{
  if (row->types[column] == SQLITE_INTEGER)
    sqlite3_bind_int64 (stmt, param, row->ints[column]);
  else if (row->types[column] == SQLITE_NULL)
    sqlite3_bind_null (stmt, param);
  else
    sqlite3_bind_text (stmt, param, row->values[column], -1, SQLITE_STATIC);
}

static int
cmd_bulkload (const char *src, const char *dst)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  sqlite3 *in = NULL, *out = NULL;
  sqlite3_stmt *select = NULL, *ins_record = NULL, *ins_data = NULL, *ins_search = NULL;
  gint64 insert_us = 0;
  double insert_cpu = 0;
  guint n = 0;
  gboolean done = FALSE;

  /* The schema, made by the store itself. */
  g_object_unref (open_store (dst));

  check_sql (in, sqlite3_open_v2 (src, &in, SQLITE_OPEN_READONLY, NULL), "open src");
  if (!cn_fts_register (in, &error))
    g_error ("%s", error->message);
  check_sql (out, sqlite3_open_v2 (dst, &out, SQLITE_OPEN_READWRITE, NULL), "open dst");
  if (!cn_fts_register (out, &error))
    g_error ("%s", error->message);
  /* The store's own settings. */
  exec_or_die (out, "PRAGMA journal_mode = WAL");
  exec_or_die (out, "PRAGMA synchronous = FULL");

  check_sql (in, sqlite3_prepare_v2 (in,
    "SELECT r.id, r.collection, r.rev, r.deleted, r.updated_at, r.updated_by, r.title, "
    "       r.title_key, r.sort_date, r.k1, r.k2, r.k3, r.local, r.sample, d.data, "
    "       s.body, s.kind "
    "FROM records r JOIN record_data d ON d.n = r.n LEFT JOIN search s ON s.rowid = r.n "
    "ORDER BY r.n", -1, &select, NULL), "select");
  check_sql (out, sqlite3_prepare_v2 (out,
    "INSERT INTO records (id, collection, rev, deleted, updated_at, updated_by, title, "
    "                     title_key, sort_date, k1, k2, k3, local, sample) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING n",
    -1, &ins_record, NULL), "insert records");
  check_sql (out, sqlite3_prepare_v2 (out, "INSERT INTO record_data (n, data) VALUES (?1, ?2)",
                                      -1, &ins_data, NULL), "insert data");
  check_sql (out, sqlite3_prepare_v2 (out,
    "INSERT INTO search (rowid, title, body, kind) VALUES (?1, ?2, ?3, ?4)",
    -1, &ins_search, NULL), "insert search");

  /* Read a page of rows (not timed), then insert it in one transaction (timed). */
  while (!done)
    {
      g_autoptr(GArray) page = g_array_new (FALSE, TRUE, sizeof (BulkRow));
      gint64 start;

      g_array_set_clear_func (page, (GDestroyNotify) bulk_row_clear);
      while (page->len < 500)
        {
          int rc = sqlite3_step (select);
          BulkRow row = { 0 };

          if (rc == SQLITE_DONE)
            {
              done = TRUE;
              break;
            }
          check_sql (in, rc, "step");
          for (int c = 0; c < 17; c++)
            {
              row.types[c] = sqlite3_column_type (select, c);
              if (row.types[c] == SQLITE_INTEGER)
                row.ints[c] = sqlite3_column_int64 (select, c);
              else if (row.types[c] != SQLITE_NULL)
                row.values[c] = g_strdup ((const char *) sqlite3_column_text (select, c));
            }
          g_array_append_val (page, row);
        }

      start = g_get_monotonic_time ();
      insert_cpu -= cpu_ms ();
      exec_or_die (out, "BEGIN IMMEDIATE");
      for (guint i = 0; i < page->len; i++)
        {
          BulkRow *row = &g_array_index (page, BulkRow, i);
          gint64 rowid;

          for (int c = 0; c < 14; c++)
            bind_row (ins_record, row, c + 1, c);
          check_sql (out, sqlite3_step (ins_record), "records");
          rowid = sqlite3_column_int64 (ins_record, 0);
          sqlite3_reset (ins_record);

          sqlite3_bind_int64 (ins_data, 1, rowid);
          bind_row (ins_data, row, 2, 14);
          check_sql (out, sqlite3_step (ins_data), "record_data");
          sqlite3_reset (ins_data);
          row->ints[0] = rowid;
          n++;
        }
      /* The full-text rows last, one after the other: a statement with a statement journal
       * between two of them (the inserts above) makes FTS5 flush its pending terms into a
       * segment of its own, one segment a row. */
      for (guint i = 0; i < page->len; i++)
        {
          BulkRow *row = &g_array_index (page, BulkRow, i);

          if (row->types[16] != SQLITE_NULL)
            {
              sqlite3_bind_int64 (ins_search, 1, row->ints[0]);
              bind_row (ins_search, row, 2, 6);
              bind_row (ins_search, row, 3, 15);
              bind_row (ins_search, row, 4, 16);
              check_sql (out, sqlite3_step (ins_search), "search");
              sqlite3_reset (ins_search);
            }
        }
      exec_or_die (out, "COMMIT");
      insert_us += g_get_monotonic_time () - start;
      insert_cpu += cpu_ms ();
    }

  sqlite3_finalize (select);
  sqlite3_finalize (ins_record);
  sqlite3_finalize (ins_data);
  sqlite3_finalize (ins_search);
  sqlite3_close (in);
  sqlite3_close (out);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "records");
  json_builder_add_int_value (b, n);
  json_builder_set_member_name (b, "ms");
  json_builder_add_double_value (b, insert_us / 1000.0);
  json_builder_set_member_name (b, "records_per_s");
  json_builder_add_double_value (b, n / (insert_us / 1e6));
  json_builder_set_member_name (b, "cpu_ms");
  json_builder_add_double_value (b, insert_cpu);
  json_builder_set_member_name (b, "cpu_records_per_s");
  json_builder_add_double_value (b, n / (insert_cpu / 1000.0));
  json_builder_end_object (b);
  print_json (b);
  return 0;
}

/* ---------- incremental (#2) ---------- */

static JsonNode *
load_json (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_file (parser, path, &error))
    g_error ("%s: %s", path, error->message);
  return json_node_copy (json_parser_get_root (parser));
}

static char *
http_login (SoupSession *session, const char *url, const char *user, const char *password)
{
  g_autofree char *uri = g_strconcat (url, "api/v1/session", NULL);
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", user,
                                           password);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  gsize len = strlen (body);

  soup_message_set_request_body_from_bytes (msg, "application/json",
                                            g_bytes_new_take (g_steal_pointer (&body), len));
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  if (reply == NULL || soup_message_get_status (msg) != 200)
    g_error ("login %s: %s", user, error ? error->message : "refused");
  if (!json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL),
                                   (gssize) g_bytes_get_size (reply), &error))
    g_error ("login: %s", error->message);
  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                  "token"));
}

static int
cmd_incremental (const char *db, const char *url, const char *user, const char *password,
                 const char *admin, const char *admin_password, const char *manifest_path,
                 int rounds)
{
  g_autoptr(CnStore) store = open_store (db);
  g_autoptr(CnRecordList) list = articles_list (store);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) manifest = load_json (manifest_path);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *token = http_login (session, url, admin, admin_password);
  g_autofree char *changes_uri = g_strconcat (url, "api/v1/changes", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  JsonArray *tasks = json_object_get_array_member (json_node_get_object (manifest), "tasks");
  SyncRun run = { 0 };
  guint next_task = 0, pulled_total = 0;
  double cpu_total = 0;

  run.loop = g_main_loop_new (NULL, FALSE);
  run.client = cn_sync_client_new (store);
  read_rows (G_LIST_MODEL (list), 0, 30);
  /* Still signed in from the initial sync: signing in again would start a full resync. */
  if (!cn_sync_client_get_signed_in (run.client))
    login (&run, url, user, password);
  sync_once (&run);  /* whatever is left from before */
  if (run.summary->pulled > 100)
    g_error ("the store was not up to date: %u records pulled", run.summary->pulled);

  for (int r = 0; r < rounds; r++)
    {
      g_autoptr(JsonBuilder) push = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", changes_uri);
      g_autoptr(GBytes) reply = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *body = NULL;
      g_autofree char *client_id = g_strdup_printf ("bench-incremental-%d", getpid ());
      gsize body_len;

      json_builder_begin_object (push);
      json_builder_set_member_name (push, "client_id");
      json_builder_add_string_value (push, client_id);
      json_builder_set_member_name (push, "mutations");
      json_builder_begin_array (push);
      for (int k = 0; k < 10; k++)
        {
          JsonArray *pair = json_array_get_array_element (tasks,
                                                          next_task++ % json_array_get_length (tasks));
          const char *id = json_array_get_string_element (pair, 0);
          g_autoptr(CnRecord) current = cn_store_get (store, id, &error);
          g_autofree char *mutation_id = cn_id_new ();
          g_autofree char *title = NULL;

          if (current == NULL)
            g_error ("task %s: %s", id, error->message);
          title = g_strdup_printf ("Rà soát tiêu chí giao thông, lần %d", r);
          json_builder_begin_object (push);
          json_builder_set_member_name (push, "mutation_id");
          json_builder_add_string_value (push, mutation_id);
          json_builder_set_member_name (push, "collection");
          json_builder_add_string_value (push, "task");
          json_builder_set_member_name (push, "id");
          json_builder_add_string_value (push, id);
          json_builder_set_member_name (push, "base_rev");
          json_builder_add_int_value (push, cn_record_get_rev (current));
          json_builder_set_member_name (push, "op");
          json_builder_add_string_value (push, "put");
          json_builder_set_member_name (push, "data");
          json_builder_begin_object (push);
          json_builder_set_member_name (push, "title");
          json_builder_add_string_value (push, title);
          json_builder_set_member_name (push, "commune_id");
          json_builder_add_string_value (push, json_array_get_string_element (pair, 1));
          json_builder_set_member_name (push, "status");
          json_builder_add_string_value (push, "in_progress");
          json_builder_end_object (push);
          json_builder_end_object (push);
        }
      json_builder_end_array (push);
      json_builder_end_object (push);
      root = json_builder_get_root (push);
      body = json_to_string (root, FALSE);
      body_len = strlen (body);
      soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", auth);
      soup_message_set_request_body_from_bytes (msg, "application/json",
                                                g_bytes_new_take (g_steal_pointer (&body),
                                                                  body_len));
      reply = soup_session_send_and_read (session, msg, NULL, &error);
      if (reply == NULL || soup_message_get_status (msg) != 200 ||
          strstr (g_bytes_get_data (reply, NULL), "\"conflict\"") != NULL ||
          strstr (g_bytes_get_data (reply, NULL), "\"rejected\"") != NULL)
        g_error ("push of 10 changes failed: %s %.*s", error ? error->message : "",
                 reply ? (int) g_bytes_get_size (reply) : 0,
                 reply ? (const char *) g_bytes_get_data (reply, NULL) : "");

      {
        double ms;

        cpu_total -= cpu_ms () + server_cpu_ms ();
        ms = sync_once (&run);
        cpu_total += cpu_ms () + server_cpu_ms ();

        g_array_append_val (times, ms);
        pulled_total += run.summary->pulled;
        if (run.summary->pulled != 10)
          g_error ("round %d pulled %u records, not 10", r, run.summary->pulled);
      }
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rounds");
  json_builder_add_int_value (b, rounds);
  json_builder_set_member_name (b, "pulled");
  json_builder_add_int_value (b, pulled_total);
  json_builder_set_member_name (b, "cpu_ms_mean");
  json_builder_add_double_value (b, cpu_total / MAX (rounds, 1));
  print_stats (b, "ms", times);
  json_builder_end_object (b);
  print_json (b);

  g_clear_pointer (&run.summary, cn_sync_summary_free);
  g_clear_object (&run.client);
  g_main_loop_unref (run.loop);
  return 0;
}

/* ---------- search (#3) ---------- */

/* The fixed mix: common syllables, 2-letter prefixes (search as you type), phrases, rare
 * words, names; document numbers come from the manifest. */
static const char * const fixed_queries[] = {
  /* common syllables and words */
  "nguoi", "nong thon", "người dân", "xa", "huyen", "cong tac", "nông thôn mới", "tieu chi",
  "doan cong tac", "chuong trinh", "phat trien", "ban thuong vu",
  /* 2-letter prefixes */
  "ng", "th", "ch", "tr", "nh", "ph",
  /* being typed */
  "nong th", "giai ph", "san xu", "xay dung nong thon m",
  /* phrases */
  "giai phong mat bang", "ve dich nong thon moi", "khu dân cư kiểu mẫu",
  "thu nhap binh quan dau nguoi", "NÔNG THÔN MỚI NÂNG CAO", "duong giao thong nong thon",
  "ho ngheo", "dồn điền đổi thửa",
  /* places, names, products */
  "Can Lộc", "Thạch Hà", "Kỳ Anh", "Hương Khê", "bưởi Phúc Trạch", "OCOP",
  /* rare words */
  "linh chi", "Israel", "Kim Lũ", "nhung huou", "cu do", "nha mang",
};

/* The reference: plain FTS5, ranked by bm25 over every match. */
static double
plain_fts_ms (sqlite3 *db, const char *match)
{
  sqlite3_stmt *stmt = NULL;
  gint64 start;
  double ms = 0;

  check_sql (db, sqlite3_prepare_v2 (db, "SELECT rowid, snippet (search, 1, '<b>', '</b>', '…', 12) "
                                         "FROM search WHERE search MATCH ?1 ORDER BY rank LIMIT 20",
                                     -1, &stmt, NULL), "prepare");
  for (int pass = 0; pass < 2; pass++)
    {
      start = g_get_monotonic_time ();
      sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        ;
      sqlite3_reset (stmt);
      ms = ms_since (start);
    }
  sqlite3_finalize (stmt);
  return ms;
}

static int
cmd_search (const char *db, const char *manifest_path)
{
  g_autoptr(CnStore) store = open_store (db);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) manifest = load_json (manifest_path);
  g_autoptr(GPtrArray) queries = g_ptr_array_new ();
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_times = g_array_new (FALSE, FALSE, sizeof (double));
  JsonArray *numbers = json_object_get_array_member (json_node_get_object (manifest),
                                                     "document_numbers");
  double worst = 0;
  const char *worst_query = NULL;
  guint empty = 0;

  for (guint i = 0; i < G_N_ELEMENTS (fixed_queries); i++)
    g_ptr_array_add (queries, (gpointer) fixed_queries[i]);
  for (guint i = 0; queries->len < 50 && i < json_array_get_length (numbers); i += 7)
    g_ptr_array_add (queries, (gpointer) json_array_get_string_element (numbers, i));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "queries");
  json_builder_begin_array (b);
  /* One pass to warm the page cache, one measured. */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < queries->len; i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) hits = NULL;
        gint64 start = g_get_monotonic_time ();
        double cpu_start = cpu_ms ();
        double ms, cpu;

        hits = cn_store_search (store, g_ptr_array_index (queries, i), NULL, 20, "<b>", "</b>",
                                &error);
        ms = ms_since (start);
        cpu = cpu_ms () - cpu_start;
        if (hits == NULL)
          g_error ("search “%s”: %s", (char *) g_ptr_array_index (queries, i), error->message);
        if (pass == 0)
          continue;
        g_array_append_val (times, ms);
        g_array_append_val (cpu_times, cpu);
        empty += hits->len == 0;
        if (ms > worst)
          {
            worst = ms;
            worst_query = g_ptr_array_index (queries, i);
          }
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "q");
        json_builder_add_string_value (b, g_ptr_array_index (queries, i));
        json_builder_set_member_name (b, "ms");
        json_builder_add_double_value (b, ms);
        json_builder_set_member_name (b, "cpu_ms");
        json_builder_add_double_value (b, cpu);
        json_builder_set_member_name (b, "hits");
        json_builder_add_int_value (b, hits->len);
        json_builder_end_object (b);
      }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "n");
  json_builder_add_int_value (b, times->len);
  json_builder_set_member_name (b, "empty");
  json_builder_add_int_value (b, empty);
  json_builder_set_member_name (b, "slowest");
  json_builder_add_string_value (b, worst_query);
  {
    sqlite3 *raw = NULL;
    g_autoptr(GError) error = NULL;

    check_sql (raw, sqlite3_open_v2 (db, &raw, SQLITE_OPEN_READONLY, NULL), "open");
    if (!cn_fts_register (raw, &error))
      g_error ("%s", error->message);
    json_builder_set_member_name (b, "ref_common_ms");
    json_builder_add_double_value (b, plain_fts_ms (raw, "nguoi"));
    json_builder_set_member_name (b, "ref_prefix_ms");
    json_builder_add_double_value (b, plain_fts_ms (raw, "ng*"));
    sqlite3_close (raw);
  }
  print_stats (b, "ms", times);
  print_stats (b, "cpu_ms", cpu_times);
  json_builder_end_object (b);
  print_json (b);
  return 0;
}

/* ---------- jump (#9) ---------- */

static int
cmd_jump (const char *db, int jumps)
{
  g_autoptr(CnStore) store = open_store (db);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GRand) rand = g_rand_new_with_seed (8);
  g_autoptr(CnRecordList) list = NULL;
  gint64 start = g_get_monotonic_time ();
  double open_ms;
  guint n;

  list = articles_list (store);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  read_rows (G_LIST_MODEL (list), 0, 30);
  open_ms = ms_since (start);
  if (n == 0)
    g_error ("no articles");

  for (int j = 0; j < jumps; j++)
    {
      guint position = (guint) g_rand_int_range (rand, 0, (gint32) n);

      double cpu_start = cpu_ms ();

      start = g_get_monotonic_time ();
      read_rows (G_LIST_MODEL (list), position, 30);
      {
        double ms = ms_since (start);
        double cpu = cpu_ms () - cpu_start;

        g_array_append_val (times, ms);
        g_array_append_val (cpu_times, cpu);
      }
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "items");
  json_builder_add_int_value (b, n);
  json_builder_set_member_name (b, "open_ms");
  json_builder_add_double_value (b, open_ms);
  json_builder_set_member_name (b, "jumps");
  json_builder_add_int_value (b, jumps);
  print_stats (b, "ms", times);
  print_stats (b, "cpu_ms", cpu_times);
  json_builder_end_object (b);
  print_json (b);
  return 0;
}

/* ---------- frame (#4, #5) ---------- */

static int
cmd_frame (const char *report, const char *preload, char **argv)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;
  gint64 start;
  int status;
  pid_t pid;

  unlink (report);
  g_setenv ("CAUNOI_BENCH_FRAME_REPORT", report, TRUE);
  start = g_get_monotonic_time ();
  pid = fork ();
  if (pid < 0)
    g_error ("fork: %s", g_strerror (errno));
  if (pid == 0)
    {
      if (preload != NULL)
        g_setenv ("LD_PRELOAD", preload, TRUE);
      execvp (argv[0], argv);
      _exit (127);
    }
  if (waitpid (pid, &status, 0) < 0)
    g_error ("waitpid: %s", g_strerror (errno));
  if (!g_file_get_contents (report, &contents, NULL, NULL))
    g_error ("%s never painted a frame (exit status %d)", argv[0], status);
  fields = g_strsplit (g_strstrip (contents), " ", -1);
  if (g_strv_length (fields) < 2)
    g_error ("bad report: %s", contents);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "first_frame_ms");
  json_builder_add_double_value (b, (g_ascii_strtoll (fields[0], NULL, 10) - start) / 1000.0);
  json_builder_set_member_name (b, "rss_mb");
  json_builder_add_double_value (b, g_ascii_strtoull (fields[1], NULL, 10) / 1024.0);
  if (fields[2] != NULL)
    {
      json_builder_set_member_name (b, "cpu_ms");
      json_builder_add_double_value (b, g_ascii_strtoll (fields[2], NULL, 10) / 1000.0);
    }
  json_builder_end_object (b);
  print_json (b);
  return 0;
}

/* ---------- token, fetch: helpers of build-aux/bench ---------- */

static int
cmd_token (const char *url, const char *user, const char *password)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *token = http_login (session, url, user, password);

  g_print ("%s\n", token);
  return 0;
}

/* GET of a path (with query) as a user; the body goes to standard output. */
static int
cmd_fetch (const char *url, const char *user, const char *password, const char *path)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *token = http_login (session, url, user, password);
  g_autofree char *uri = g_strconcat (url, path, NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", auth);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  if (reply == NULL || soup_message_get_status (msg) != 200)
    g_error ("GET %s: %u %s", path, soup_message_get_status (msg), error ? error->message : "");
  fwrite (g_bytes_get_data (reply, NULL), 1, g_bytes_get_size (reply), stdout);
  return 0;
}

/* ---------- main ---------- */

int
main (int argc, char **argv)
{
  g_autofree char *db = NULL, *src = NULL, *dst = NULL, *url = NULL, *user = NULL;
  g_autofree char *password = NULL, *admin = NULL, *admin_password = NULL;
  g_autofree char *manifest = NULL, *report = NULL, *preload = NULL, *path = NULL;
  int rounds = 30, jumps = 200;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Client store", "PATH" },
    { "src", 0, 0, G_OPTION_ARG_FILENAME, &src, "bulkload: synced store to copy", "PATH" },
    { "dst", 0, 0, G_OPTION_ARG_FILENAME, &dst, "bulkload: new store", "PATH" },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, "Server URL", "URL" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, "User", "NAME" },
    { "password", 0, 0, G_OPTION_ARG_STRING, &password, "Password", "TEXT" },
    { "admin", 0, 0, G_OPTION_ARG_STRING, &admin, "incremental: the other user", "NAME" },
    { "admin-password", 0, 0, G_OPTION_ARG_STRING, &admin_password, "its password", "TEXT" },
    { "manifest", 0, 0, G_OPTION_ARG_FILENAME, &manifest, "Generator manifest", "PATH" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "incremental: rounds", "N" },
    { "jumps", 0, 0, G_OPTION_ARG_INT, &jumps, "jump: jumps", "N" },
    { "report", 0, 0, G_OPTION_ARG_FILENAME, &report, "frame: report file", "PATH" },
    { "preload", 0, 0, G_OPTION_ARG_FILENAME, &preload, "frame: the probe to preload", "PATH" },
    { "path", 0, 0, G_OPTION_ARG_STRING, &path, "fetch: path and query", "PATH" },
    { "server-pid", 0, 0, G_OPTION_ARG_INT, &server_pid, "The server, for its CPU time", "PID" },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("sync|bulkload|incremental|search|jump|frame|token|fetch [-- PROGRAM…]");
  g_autoptr(GError) error = NULL;
  const char *command;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc < 2)
    {
      g_printerr ("%s\n", error ? error->message : "which command?");
      return 2;
    }
  command = argv[1];

  if (g_str_equal (command, "sync") && db && url && user && password)
    return cmd_sync (db, url, user, password);
  if (g_str_equal (command, "bulkload") && src && dst)
    return cmd_bulkload (src, dst);
  if (g_str_equal (command, "incremental") && db && url && user && password && admin &&
      admin_password && manifest)
    return cmd_incremental (db, url, user, password, admin, admin_password, manifest, rounds);
  if (g_str_equal (command, "search") && db && manifest)
    return cmd_search (db, manifest);
  if (g_str_equal (command, "jump") && db)
    return cmd_jump (db, jumps);
  if (g_str_equal (command, "frame") && report && argc > 2)
    return cmd_frame (report, preload, argv + 2);
  if (g_str_equal (command, "token") && url && user && password)
    return cmd_token (url, user, password);
  if (g_str_equal (command, "fetch") && url && user && password && path)
    return cmd_fetch (url, user, password, path);

  g_printerr ("%s: missing options for “%s”\n", g_get_prgname (), command);
  return 2;
}
