/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-probe"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cn-stall-probe.h"

/* Between cn_stall_probe_begin() and _end(): the longest main-loop gap (the time between two
 * ticks of a 10 ms timer, less the 10 ms), how many gaps were over 50 ms, the process's CPU
 * time (all threads) and the main thread's; cn_stall_probe_note() records when something
 * first showed, in wall and main-thread CPU milliseconds since the step began. */

typedef struct
{
  char    *step;
  gint64   start_us;
  double   start_cpu_ms;
  double   start_main_cpu_ms;
  gint64   last_tick_us;
  gint64   longest_gap_us;
  double   last_tick_cpu_ms;
  double   longest_gap_cpu_ms;   /* main-thread CPU between two ticks: what load cannot stretch */
  guint    gaps_over_50;
  guint    ticks;
  GString *notes;
  guint    tick_id;
} Probe;

static Probe probe;

static double
cpu_ms (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

gboolean
cn_stall_probe_enabled (void)
{
  static int enabled = -1;

  if (enabled < 0)
    enabled = g_getenv ("CAUNOI_STALL_PROBE") != NULL;
  return enabled;
}

static gboolean
tick_cb (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 gap = now - probe.last_tick_us - 10000;
  double cpu = cpu_ms (CLOCK_THREAD_CPUTIME_ID);

  if (cpu - probe.last_tick_cpu_ms > probe.longest_gap_cpu_ms)
    probe.longest_gap_cpu_ms = cpu - probe.last_tick_cpu_ms;
  probe.last_tick_cpu_ms = cpu;

  if (gap > probe.longest_gap_us)
    probe.longest_gap_us = gap;
  if (gap > 50000)
    probe.gaps_over_50++;
  probe.last_tick_us = now;
  probe.ticks++;
  return G_SOURCE_CONTINUE;
}

void
cn_stall_probe_begin (const char *step)
{
  if (!cn_stall_probe_enabled ())
    return;
  cn_stall_probe_end ();
  probe.step = g_strdup (step);
  probe.start_us = probe.last_tick_us = g_get_monotonic_time ();
  probe.start_cpu_ms = cpu_ms (CLOCK_PROCESS_CPUTIME_ID);
  probe.start_main_cpu_ms = probe.last_tick_cpu_ms = cpu_ms (CLOCK_THREAD_CPUTIME_ID);
  probe.longest_gap_cpu_ms = 0;
  probe.longest_gap_us = 0;
  probe.gaps_over_50 = 0;
  probe.ticks = 0;
  probe.notes = g_string_new (NULL);
  probe.tick_id = g_timeout_add_full (G_PRIORITY_HIGH, 10, tick_cb, NULL, NULL);
}

/* The probe writes JSON: numbers with a decimal point whatever the user's locale. */
static locale_t
use_c_numbers (void)
{
  static locale_t c_numbers;

  if (c_numbers == (locale_t) 0)
    c_numbers = newlocale (LC_NUMERIC_MASK, "C", (locale_t) 0);
  return uselocale (c_numbers);
}

void
cn_stall_probe_note (const char *event)
{
  if (!cn_stall_probe_enabled () || probe.step == NULL)
    return;
  /* The first time only: "when did it first show". */
  if (strstr (probe.notes->str, event) != NULL)
    return;
  locale_t previous = use_c_numbers ();
  g_string_append_printf (probe.notes, ", \"%s_ms\": %.1f, \"%s_main_cpu_ms\": %.1f", event,
                          (g_get_monotonic_time () - probe.start_us) / 1000.0, event,
                          cpu_ms (CLOCK_THREAD_CPUTIME_ID) - probe.start_main_cpu_ms);
  uselocale (previous);
}

void
cn_stall_probe_end (void)
{
  if (!cn_stall_probe_enabled () || probe.step == NULL)
    return;
  /* The gap still running when the step ends counts too. */
  tick_cb (NULL);
  locale_t previous = use_c_numbers ();
  fprintf (stderr,
           "{\"probe\": \"%s\", \"wall_ms\": %.1f, \"cpu_ms\": %.1f, \"main_cpu_ms\": %.1f, "
           "\"longest_gap_ms\": %.1f, \"longest_gap_cpu_ms\": %.1f, \"gaps_over_50ms\": %u, \"ticks\": %u%s}\n",
           probe.step, (g_get_monotonic_time () - probe.start_us) / 1000.0,
           cpu_ms (CLOCK_PROCESS_CPUTIME_ID) - probe.start_cpu_ms,
           cpu_ms (CLOCK_THREAD_CPUTIME_ID) - probe.start_main_cpu_ms,
           probe.longest_gap_us / 1000.0, probe.longest_gap_cpu_ms, probe.gaps_over_50, probe.ticks, probe.notes->str);
  fflush (stderr);
  uselocale (previous);
  g_clear_handle_id (&probe.tick_id, g_source_remove);
  g_clear_pointer (&probe.step, g_free);
  g_string_free (probe.notes, TRUE);
  probe.notes = NULL;
}
