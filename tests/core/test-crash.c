/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caunoi-core.h"
#include "cn-store-private.h"
#include "store-test-util.h"

/*
 * A child process writes a 10k-edit batch (new tasks, and edits of earlier ones) and is
 * killed with SIGKILL in the middle. The database must pass integrity_check and hold whole
 * edits only: every record with its outbox entry, every outbox entry with its record, the
 * record equal to its latest outbox entry, the full-text index in step.
 */

#define N_EDITS    10000
#define BATCH_SIZE 500

static int
run_child (const char *path,
           const char *mode)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnStore) store = cn_store_open (path, &error);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  gboolean batched = g_str_equal (mode, "batch");

  if (store == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  for (guint i = 0; i < N_EDITS; i++)
    {
      g_autoptr(CnRecord) record = NULL;

      if (batched && i % BATCH_SIZE == 0 && !cn_store_begin (store, &error))
        break;

      if (i % 5 == 4)
        {
          g_autofree char *json = g_strdup_printf ("{\"title\": \"Sửa lần %u: nạo vét kênh "
                                                   "mương\", \"status\": \"in_progress\"}", i);

          record = patch_json (store, g_ptr_array_index (ids, i / 3), json, &error);
        }
      else
        {
          g_autofree char *json = g_strdup_printf ("{\"title\": \"Nhiệm vụ %u: làm đường "
                                                   "giao thông nông thôn\", \"status\": "
                                                   "\"open\", \"due_on\": \"2015-12-31\"}", i);

          record = put_json (store, "task", NULL, json, &error);
          if (record != NULL)
            g_ptr_array_add (ids, g_strdup (cn_record_get_id (record)));
        }
      if (record == NULL)
        break;

      if (batched)
        {
          if (i % BATCH_SIZE == BATCH_SIZE - 1)
            {
              if (!cn_store_commit (store, &error))
                break;
              printf ("%u\n", i + 1);
              fflush (stdout);
            }
        }
      else
        {
          printf ("%u\n", i + 1);
          fflush (stdout);
        }
    }

  if (error != NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  return 0;
}

static gint64
sql_int (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static void
kill_midway (const char *mode,
             guint       kill_after)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", &error);
  g_autofree char *dir = g_dir_make_tmp ("caunoi-crash-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "caunoi.db", NULL);
  g_autoptr(CnStore) store = NULL;
  const char *argv[] = { self_exe, "--crash-child", path, mode, NULL };
  char line[64];
  guint seen = 0;
  GPid pid;
  int out_fd;
  int status;
  FILE *out;
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  gint64 n_outbox;

  g_assert_no_error (error);

  /* Create the store first, so the child's SIGKILL cannot land in the first migration. */
  store = cn_store_open (path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  out = fdopen (out_fd, "r");
  g_assert_nonnull (out);
  while (seen < kill_after && fgets (line, sizeof line, out) != NULL)
    seen = (guint) g_ascii_strtoull (line, NULL, 10);
  g_assert_cmpuint (seen, >=, kill_after);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  fclose (out);
  g_spawn_close_pid (pid);
  /* It was killed in the middle, not finished. */
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);

  /* Everything the child reported done is there; not all 10k are. */
  n_outbox = sql_int (db, "SELECT count (*) FROM outbox");
  g_test_message ("%s: killed after %u reported edits, %" G_GINT64_FORMAT " in the outbox",
                  mode, seen, n_outbox);
  g_assert_cmpint (n_outbox, >=, seen);
  g_assert_cmpint (n_outbox, <, N_EDITS);
  if (g_str_equal (mode, "batch"))
    g_assert_cmpint (n_outbox % BATCH_SIZE, ==, 0);

  /* Whole edits only. */
  g_assert_cmpint (sql_int (db, "SELECT count (*) FROM records WHERE id NOT IN "
                                "(SELECT id FROM outbox)"), ==, 0);
  g_assert_cmpint (sql_int (db, "SELECT count (*) FROM outbox WHERE id NOT IN "
                                "(SELECT id FROM records)"), ==, 0);
  g_assert_cmpint (sql_int (db, "SELECT count (*) FROM records WHERE n NOT IN "
                                "(SELECT n FROM record_data)"), ==, 0);
  g_assert_cmpint (sql_int (db, "SELECT count (*) FROM records r JOIN record_data d "
                                "ON d.n = r.n WHERE d.data IS NOT (SELECT o.data FROM outbox o "
                                "WHERE o.id = r.id ORDER BY o.seq DESC LIMIT 1)"), ==, 0);
  g_assert_cmpint (sql_int (db, "SELECT count (*) FROM outbox WHERE op = 'put' AND "
                                "json_extract (data, '$.title') IS NULL"), ==, 0);
  g_assert_cmpint (sql_int (db, "SELECT count (*) FROM records WHERE local = 0"), ==, 0);
  sqlite3_close (db);

  /* The store opens it, and its full-text index agrees with the records. */
  store = cn_store_open (path, &error);
  g_assert_no_error (error);
  {
    sqlite3 *store_db = cn_store_get_db (store);
    g_autoptr(GPtrArray) hits = NULL;

    g_assert_cmpint (sqlite3_exec (store_db,
                                   "INSERT INTO search (search) VALUES ('integrity-check')",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sql_int (store_db, "SELECT count (*) FROM search"), ==,
                     sql_int (store_db, "SELECT count (*) FROM records"));
    hits = cn_store_search (store, "lam duong giao thong", "task", 5, "", "", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, >, 0);
  }
  g_clear_object (&store);
  rm_rf (dir);
}

static void
test_kill_single_edits (void)
{
  kill_midway ("single", 300);
}

static void
test_kill_batches (void)
{
  kill_midway ("batch", 1000);
}

int
main (int argc, char **argv)
{
  if (argc == 4 && g_str_equal (argv[1], "--crash-child"))
    return run_child (argv[2], argv[3]);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/crash/kill-single-edits", test_kill_single_edits);
  g_test_add_func ("/crash/kill-batches", test_kill_batches);
  return g_test_run ();
}
