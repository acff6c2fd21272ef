/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the fuzz targets. */
#pragma once

#include <stdlib.h>

#include <glib.h>

/* A critical or a warning is a bug the fuzzer should stop on. GLib ends a fatal message
 * with SIGTRAP, which libFuzzer does not catch (no crash file is written): abort instead. */
static GLogWriterOutput
cn_fuzz_log_writer (GLogLevelFlags   log_level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  g_log_writer_default (log_level, fields, n_fields, user_data);
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return G_LOG_WRITER_HANDLED;
}

static inline void
cn_fuzz_init_logging (void)
{
  g_log_set_writer_func (cn_fuzz_log_writer, NULL, NULL);
}
