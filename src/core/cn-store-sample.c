/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cn-error.h"
#include "cn-record.h"
#include "cn-schema.h"
#include "cn-store-sample.h"

#define SAMPLE_FILE "caunoi-sample.json"

char *
cn_sample_find_dir (GError **error)
{
  const char *source_dir = g_getenv ("CAUNOI_SOURCE_DIR");
  g_autofree char *from_env = NULL;
  g_autofree char *installed = g_build_filename (PKGDATADIR, "sample", NULL);
  g_autofree char *source = g_build_filename (SOURCE_DATADIR, "sample", NULL);
  const char *candidates[3];
  guint n = 0;

  if (source_dir != NULL && *source_dir != '\0')
    candidates[n++] = from_env = g_build_filename (source_dir, "data", "sample", NULL);
  candidates[n++] = installed;
  candidates[n++] = source;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *file = g_build_filename (candidates[i], SAMPLE_FILE, NULL);

      if (g_file_test (file, G_FILE_TEST_IS_REGULAR))
        return g_strdup (candidates[i]);
    }

  g_set_error (error, CN_ERROR, CN_ERROR_NOT_FOUND,
               _("The sample data (%s) is not installed: looked in %s"), SAMPLE_FILE, installed);
  return NULL;
}

static gboolean
copy_sample_files (const char  *source_dir,
                   const char  *files_dir,
                   guint       *n_files,
                   GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;

  dir = g_dir_open (source_dir, 0, &local_error);
  if (dir == NULL)
    {
      /* A sample without files is fine: nothing to copy. */
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (g_mkdir_with_parents (files_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, CN_ERROR, CN_ERROR_STORE, _("Could not create the folder %s: %s"),
                   files_dir, g_strerror (saved));
      return FALSE;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *from = g_build_filename (source_dir, name, NULL);
      g_autofree char *to = g_build_filename (files_dir, name, NULL);
      g_autofree char *contents = NULL;
      g_autofree char *sha256 = NULL;
      gsize length = 0;

      if (!cn_schema_is_valid_sha256 (name))
        continue;
      if (g_file_test (to, G_FILE_TEST_IS_REGULAR))
        {
          (*n_files)++;
          continue;
        }
      if (!g_file_get_contents (from, &contents, &length, error))
        return FALSE;
      sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
      if (g_strcmp0 (sha256, name) != 0)
        {
          g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                       _("The sample file %s does not match its SHA-256 name"), from);
          return FALSE;
        }
      if (!g_file_set_contents_full (to, contents, (gssize) length,
                                     G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
        return FALSE;
      (*n_files)++;
    }
  return TRUE;
}

gboolean
cn_store_load_sample_dir (CnStore     *store,
                          const char  *sample_dir,
                          guint       *n_records,
                          guint       *n_files,
                          GError     **error)
{
  g_autofree char *found_dir = NULL;
  g_autofree char *json_path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *files_source = NULL;
  g_autofree char *files_dir = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) records = NULL;
  gsize length = 0;
  guint files = 0;

  g_return_val_if_fail (CN_IS_STORE (store), FALSE);

  if (sample_dir == NULL)
    {
      sample_dir = found_dir = cn_sample_find_dir (error);
      if (sample_dir == NULL)
        return FALSE;
    }

  json_path = g_build_filename (sample_dir, SAMPLE_FILE, NULL);
  if (!g_file_get_contents (json_path, &contents, &length, error))
    return FALSE;
  root = cn_json_parse_checked (contents, (gssize) length, error);
  if (root == NULL)
    {
      g_prefix_error (error, "%s: ", json_path);
      return FALSE;
    }
  records = cn_record_array_from_json (root, error);
  if (records == NULL)
    {
      g_prefix_error (error, "%s: ", json_path);
      return FALSE;
    }

  /* Files first: a record naming an image must find it when it shows. */
  files_source = g_build_filename (sample_dir, "files", NULL);
  files_dir = cn_store_dup_files_dir (store);
  if (!copy_sample_files (files_source, files_dir, &files, error))
    return FALSE;

  if (!cn_store_load_sample (store, records, error))
    return FALSE;

  if (n_records != NULL)
    *n_records = records->len;
  if (n_files != NULL)
    *n_files = files;
  return TRUE;
}
