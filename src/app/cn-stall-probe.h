/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A measuring aid for the Delegations section (issue 8): with CAUNOI_STALL_PROBE set in the
 * environment, a 10 ms timer on the main loop records the longest gap between its ticks
 * and the CPU time spent, step by step; each step is written to stderr as one JSON line.
 * Without the variable every call does nothing. */

gboolean cn_stall_probe_enabled (void);
void     cn_stall_probe_begin   (const char *step);
void     cn_stall_probe_note    (const char *event);
void     cn_stall_probe_end     (void);

G_END_DECLS
