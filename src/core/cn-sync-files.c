/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-sync"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cn-error.h"
#include "cn-sync-files.h"
#include "cn-sync-private.h"

char *
cn_sync_dup_file_path (CnStore    *store,
                       const char *sha256)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (CN_IS_STORE (store), NULL);

  if (!cn_sync_is_sha256 (sha256))
    return NULL;
  dir = cn_store_dup_files_dir (store);
  path = g_build_filename (dir, sha256, NULL);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR) ? g_steal_pointer (&path) : NULL;
}

char *
cn_sync_import_file (CnStore       *store,
                     const char    *path,
                     goffset       *size,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *final = NULL;
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) temp = NULL;
  g_autoptr(GFileIOStream) temp_stream = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *sha256 = NULL;
  GOutputStream *out;
  guint8 buffer[65536];
  goffset total = 0;

  g_return_val_if_fail (CN_IS_STORE (store), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  dir = cn_store_dup_files_dir (store);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  source = g_file_new_for_path (path);
  in = g_file_read (source, cancellable, &local_error);
  if (in == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_NOT_FOUND,
                   _("Could not read “%s”: %s"), path, local_error->message);
      return NULL;
    }
  /* Hashed while copied into a temporary file beside the store, then renamed: the store
   * never holds a half-written file under a real name. */
  {
    g_autofree char *template = g_build_filename (dir, ".import-XXXXXX", NULL);
    int fd = g_mkstemp_full (template, O_RDWR, 0600);

    if (fd < 0)
      {
        int saved_errno = errno;

        g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                     _("Could not write into “%s”: %s"), dir, g_strerror (saved_errno));
        return NULL;
      }
    close (fd);
    temp = g_file_new_for_path (template);
  }
  temp_stream = g_file_open_readwrite (temp, cancellable, &local_error);
  if (temp_stream == NULL)
    goto fail;
  out = g_io_stream_get_output_stream (G_IO_STREAM (temp_stream));
  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (in), buffer, sizeof buffer,
                                      cancellable, &local_error);

      if (n < 0)
        goto fail;
      if (n == 0)
        break;
      g_checksum_update (checksum, buffer, (gsize) n);
      if (!g_output_stream_write_all (out, buffer, (gsize) n, NULL, cancellable, &local_error))
        goto fail;
      total += n;
    }
  if (!g_io_stream_close (G_IO_STREAM (temp_stream), cancellable, &local_error))
    goto fail;

  sha256 = g_strdup (g_checksum_get_string (checksum));
  final = g_build_filename (dir, sha256, NULL);
  if (g_rename (g_file_peek_path (temp), final) != 0)
    {
      int saved_errno = errno;

      g_file_delete (temp, NULL, NULL);
      g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                   _("Could not store the file %s: %s"), final, g_strerror (saved_errno));
      return NULL;
    }
  if (size != NULL)
    *size = total;
  return g_steal_pointer (&sha256);

fail:
  g_file_delete (temp, NULL, NULL);
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                 _("Could not copy “%s” into the local files: %s"), path, local_error->message);
  return NULL;
}
