/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "cn-record.h"
#include "cn-test-store.h"

static void
load_sample (CnStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (g_getenv ("CAUNOI_SOURCE_DIR"), "data", "sample",
                                            "caunoi-sample.json", NULL);
  g_autofree char *json = NULL;
  gsize len = 0;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) records = NULL;

  g_assert_true (g_file_get_contents (file, &json, &len, &error));
  node = cn_json_parse_checked (json, len, &error);
  g_assert_no_error (error);
  records = cn_record_array_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_true (cn_store_load_sample (store, records, &error));
  g_assert_no_error (error);
}

CnStore *
cn_test_store_new_sample (const char  *name,
                          char       **dir,
                          char       **path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("caunoi-%s-XXXXXX", name);
  CnStore *store;

  *dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  *path = g_build_filename (*dir, "caunoi.db", NULL);
  store = cn_store_open (*path, &error);
  g_assert_no_error (error);
  load_sample (store);
  return store;
}

void
cn_test_store_remove (const char *dir,
                      const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_remove (path);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (dir);
}

static gboolean
timed_out_cb (gpointer user_data)
{
  g_error ("%s did not happen within a minute", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

void
cn_test_wait_until (gboolean   (*check) (gpointer),
                    gpointer     data,
                    const char  *what)
{
  guint guard = g_timeout_add_seconds (60, timed_out_cb, (gpointer) what);

  while (!check (data))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
}
