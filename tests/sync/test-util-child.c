/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The servers that the test helpers start die with the test, even when it aborts on a failed
 * assertion and no cleanup runs (tests/cn-test-child.h). A test process started here as a
 * trap subprocess starts a server through each helper — cn_test_server_start() of the server
 * tests and test_server_start() of the sync and reliability tests — writes down their pids
 * and fails an assertion. This process, their subreaper, then waits for the two servers:
 * each must have been killed by SIGKILL, the signal the kernel sends them when the test
 * that spawned them dies. */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "../server/cn-test-server.h"
#include "sync-test-util.h"

/* How long a SIGKILLed process may take to be reaped before the test calls it a survivor:
 * far above what the kernel needs, only there so that a failure has a message, not a
 * timeout of the test runner. */
#define SURVIVOR_SECONDS 30

static void
start_servers_and_abort (const char *report_path)
{
  CnTestServer *server = cn_test_server_new ();
  TestServer *sync_server = test_server_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;

  cn_test_server_start (server, NULL, NULL);
  test_server_start (sync_server);
  report = g_strdup_printf ("%s %s\n%s %s\n",
                            g_subprocess_get_identifier (server->process), server->dir,
                            g_subprocess_get_identifier (sync_server->process), sync_server->dir);
  g_file_set_contents (report_path, report, -1, &error);
  g_assert_no_error (error);

  /* A test that fails here, with both servers running: abort(), nothing is freed. */
  g_assert_cmpstr ("the answer a test expected", ==, "the answer it got");
}

/* Waits for @pid, a child of this process since it became the subreaper; returns its wait
 * status, or -1 if it is still running after @deadline (then it is killed here). */
static int
wait_orphan (pid_t  pid,
             gint64 deadline)
{
  int status = 0;

  for (;;)
    {
      pid_t done = waitpid (pid, &status, WNOHANG);

      if (done == pid)
        return status;
      g_assert_cmpint (done, ==, 0);  /* not an error: it is our child, still running */
      if (g_get_monotonic_time () > deadline)
        {
          kill (pid, SIGKILL);
          waitpid (pid, &status, 0);
          return -1;
        }
      g_usleep (10 * 1000);
    }
}

static void
test_servers_die_with_aborted_test (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *report_path = NULL;
  g_autofree char *report = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) survivors = g_string_new (NULL);
  gint64 deadline;
  guint n = 0;

  if (g_test_subprocess ())
    {
      start_servers_and_abort (g_getenv ("CN_TEST_CHILD_REPORT"));
      return;
    }

  /* The servers are orphaned when the trap subprocess dies: this process adopts them, so
   * that it can wait for them and read how they ended. */
  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 1), ==, 0);
  dir = g_dir_make_tmp ("caunoi-child-test-XXXXXX", &error);
  g_assert_no_error (error);
  report_path = g_build_filename (dir, "servers", NULL);
  g_setenv ("CN_TEST_CHILD_REPORT", report_path, TRUE);

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*the answer a test expected*");

  deadline = g_get_monotonic_time () + SURVIVOR_SECONDS * G_USEC_PER_SEC;
  g_file_get_contents (report_path, &report, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (report, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], " ", 2);
      pid_t pid = (pid_t) g_ascii_strtoll (fields[0], NULL, 10);
      int status;

      g_assert_cmpint (pid, >, 1);
      g_assert_nonnull (fields[1]);
      /* Every server is waited for (and killed if it lives on) before any assertion. */
      status = wait_orphan (pid, deadline);
      if (status == -1 || !WIFSIGNALED (status) || WTERMSIG (status) != SIGKILL)
        g_string_append_printf (survivors, "caunoi-server %d (%s) %s\n", (int) pid, fields[1],
                                status == -1 ? "outlived the test that started it"
                                             : "ended but was not killed by SIGKILL");
      test_rm_rf (fields[1]);
      n++;
    }
  test_rm_rf (dir);
  g_assert_cmpstr (survivors->str, ==, "");
  g_assert_cmpuint (n, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/child/servers-die-with-aborted-test", test_servers_die_with_aborted_test);
  return g_test_run ();
}
