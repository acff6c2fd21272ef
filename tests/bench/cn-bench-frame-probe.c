/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-bench"

#include <dlfcn.h>
#include <gtk/gtk.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * The first-frame probe, preloaded (LD_PRELOAD) into a GTK program by `cn-bench-client
 * frame`: it wraps gtk_window_present(), and after the first frame the window's frame clock
 * has painted it writes "MONOTONIC_MICROSECONDS VMRSS_KIB CPU_MICROSECONDS" to $CAUNOI_BENCH_FRAME_REPORT and
 * ends the process. The program itself needs no hook.
 */

void gtk_window_present (GtkWindow *window);

static gboolean hooked;

static guint64
vm_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmRSS:");
  return line != NULL ? g_ascii_strtoull (line + 6, NULL, 10) : 0;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  gint64 now = g_get_monotonic_time ();
  const char *path = g_getenv ("CAUNOI_BENCH_FRAME_REPORT");
  struct timespec cpu;
  g_autofree char *line = NULL;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu);
  line = g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                          now, vm_rss_kb (),
                          (gint64) cpu.tv_sec * G_USEC_PER_SEC + cpu.tv_nsec / 1000);

  if (path != NULL)
    g_file_set_contents (path, line, -1, NULL);
  _exit (0);
}

void
gtk_window_present (GtkWindow *window)
{
  static void (*real) (GtkWindow *) = NULL;
  GdkFrameClock *clock;

  if (real == NULL)
    real = (void (*) (GtkWindow *)) dlsym (RTLD_NEXT, "gtk_window_present");
  real (window);

  if (hooked)
    return;
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  if (clock == NULL)
    return;
  hooked = TRUE;
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
}
