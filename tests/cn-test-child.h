/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Processes a test starts (caunoi-server, caunoi-cli) die with the test. A failed assertion
 * aborts the test at once: no cleanup runs, and without this a `serve` would stay behind,
 * holding its port and its temporary directory, until someone kills it by hand.
 *
 * The kernel sends PR_SET_PDEATHSIG's signal when the *thread* that forked the child ends,
 * not the process; so spawn from the test's main thread (cn_test_launcher_die_with_parent()
 * asserts it). GSubprocess forks in the calling thread, without GLib's intermediate child
 * (it always spawns with G_SPAWN_DO_NOT_REAP_CHILD), so the spawned program's parent is the
 * test itself. Tested by tests/sync/test-util-child.c. */

#include <gio/gio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

/* A GSpawnChildSetupFunc: runs in the child between fork and exec, so only async-signal-safe
 * calls. @user_data is the parent's pid, GINT_TO_POINTER (getpid ()) taken before the fork:
 * if the parent died before prctl() took effect, the child is already someone else's and no
 * signal would ever come, so it leaves at once. */
static inline void
cn_test_child_setup_die_with_parent (gpointer user_data)
{
  pid_t parent = (pid_t) GPOINTER_TO_INT (user_data);

  if (prctl (PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid () != parent)
    _exit (127);
}

/* Sets cn_test_child_setup_die_with_parent() as @launcher's child setup. A test that needs
 * its own child setup calls cn_test_child_setup_die_with_parent() first in it. */
static inline void
cn_test_launcher_die_with_parent (GSubprocessLauncher *launcher)
{
  /* The main thread of a Linux process is the one whose thread id is the process id. */
  g_assert_cmpint (gettid (), ==, getpid ());
  g_subprocess_launcher_set_child_setup (launcher, cn_test_child_setup_die_with_parent,
                                         GINT_TO_POINTER (getpid ()), NULL);
}
