/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-server"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cn-error.h"
#include "cn-server-files.h"

gboolean
cn_server_files_name_is_valid (const char *name)
{
  if (name == NULL || strlen (name) != 64)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
      return FALSE;
  return TRUE;
}

char *
cn_server_files_path (const char *dir,
                      const char *sha256)
{
  char prefix[3] = { sha256[0], sha256[1], '\0' };

  g_return_val_if_fail (cn_server_files_name_is_valid (sha256), NULL);
  return g_build_filename (dir, prefix, sha256, NULL);
}

gboolean
cn_server_files_exists (const char *dir,
                        const char *sha256)
{
  g_autofree char *path = NULL;

  if (!cn_server_files_name_is_valid (sha256))
    return FALSE;
  path = cn_server_files_path (dir, sha256);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

GBytes *
cn_server_files_read (const char  *dir,
                      const char  *sha256,
                      GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!cn_server_files_name_is_valid (sha256))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("A file name must be its SHA-256: 64 lower-case hexadecimal digits"));
      return NULL;
    }
  path = cn_server_files_path (dir, sha256);
  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, CN_ERROR, CN_ERROR_NOT_FOUND, _("The server has no such file"));
      else
        g_set_error (error, CN_ERROR, CN_ERROR_STORE, _("Could not read the file: %s"),
                     local_error->message);
      return NULL;
    }
  return g_mapped_file_get_bytes (mapped);
}

static char *
sha256_of_bytes (GBytes *contents)
{
  gsize len;
  const guchar *data = g_bytes_get_data (contents, &len);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data ? data : (const guchar *) "",
                                      len);
}

gboolean
cn_server_files_store (const char  *dir,
                       const char  *sha256,
                       GBytes      *contents,
                       gboolean    *created,
                       GError     **error)
{
  g_autofree char *actual = NULL;
  g_autofree char *path = NULL;
  g_autofree char *subdir = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len;
  const char *data;

  if (created != NULL)
    *created = FALSE;

  if (!cn_server_files_name_is_valid (sha256))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("A file name must be its SHA-256: 64 lower-case hexadecimal digits"));
      return FALSE;
    }

  actual = sha256_of_bytes (contents);
  if (!g_str_equal (actual, sha256))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_CONFLICT,
                   _("The file’s contents do not match its SHA-256 (received %s)"), actual);
      return FALSE;
    }

  path = cn_server_files_path (dir, sha256);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return TRUE;

  subdir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (subdir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, CN_ERROR, CN_ERROR_STORE, _("Could not create %s: %s"),
                   subdir, g_strerror (saved_errno));
      return FALSE;
    }

  data = g_bytes_get_data (contents, &len);
  if (!g_file_set_contents_full (path, data ? data : "", (gssize) len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_STORE, _("Could not store the file: %s"),
                   local_error->message);
      return FALSE;
    }
  if (created != NULL)
    *created = TRUE;
  return TRUE;
}

char *
cn_server_files_import (const char  *dir,
                        const char  *path,
                        GError     **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *sha256 = NULL;

  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_STORE, _("Could not read %s: %s"), path,
                   local_error->message);
      return NULL;
    }
  contents = g_mapped_file_get_bytes (mapped);
  sha256 = sha256_of_bytes (contents);
  if (!cn_server_files_store (dir, sha256, contents, NULL, error))
    return NULL;
  return g_steal_pointer (&sha256);
}
