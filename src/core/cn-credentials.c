/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-core"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#ifdef HAVE_LIBSECRET
#include <libsecret/secret.h>
#endif

#include "cn-credentials.h"
#include "cn-error.h"

#define FILE_NAME "sync-token"
#define GROUP "session"

char *
cn_credentials_file_path (const char *data_dir)
{
  g_return_val_if_fail (data_dir != NULL, NULL);

  return g_build_filename (data_dir, FILE_NAME, NULL);
}

#ifdef HAVE_LIBSECRET
static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "vn.gov.hatinh.nongthonmoi.CauNoi.SyncToken", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

/* Without a session bus GDBus would try to autolaunch one; a headless PC has no keyring. */
static gboolean
secret_service_possible (void)
{
  g_autofree char *bus = NULL;

  if (g_strcmp0 (g_getenv ("CAUNOI_CREDENTIALS"), "file") == 0)
    return FALSE;
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    return TRUE;
  bus = g_build_filename (g_get_user_runtime_dir (), "bus", NULL);
  return g_file_test (bus, G_FILE_TEST_EXISTS);
}
#endif

static GKeyFile *
read_token_file (const char  *path,
                 GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return NULL;
      g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                   _("Could not read the saved sign-in at “%s”: %s"),
                   path, local_error->message);
      return NULL;
    }
  return g_steal_pointer (&file);
}

static gboolean
save_to_file (const char  *data_dir,
              const char  *server_url,
              const char  *username,
              const char  *token,
              GError     **error)
{
  g_autofree char *path = cn_credentials_file_path (data_dir);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                   _("Could not create the folder “%s”: %s"),
                   data_dir, g_strerror (saved_errno));
      return FALSE;
    }

  g_key_file_set_string (file, GROUP, "server", server_url);
  g_key_file_set_string (file, GROUP, "user", username);
  g_key_file_set_string (file, GROUP, "token", token);
  contents = g_key_file_to_data (file, &length, NULL);

  /* Written to a temporary file created 0600, then renamed: the token is never readable
   * by others, not even for a moment. */
  if (!g_file_set_contents_full (path, contents, (gssize) length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                   _("Could not save the sign-in to “%s”: %s"),
                   path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static char *
load_from_file (const char  *data_dir,
                const char  *server_url,
                const char  *username,
                GError     **error)
{
  g_autofree char *path = cn_credentials_file_path (data_dir);
  g_autoptr(GKeyFile) file = NULL;
  g_autofree char *server = NULL;
  g_autofree char *user = NULL;
  GError *local_error = NULL;

  file = read_token_file (path, &local_error);
  if (file == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      return NULL;
    }
  server = g_key_file_get_string (file, GROUP, "server", NULL);
  user = g_key_file_get_string (file, GROUP, "user", NULL);
  if (g_strcmp0 (server, server_url) != 0 || g_strcmp0 (user, username) != 0)
    return NULL;
  return g_key_file_get_string (file, GROUP, "token", NULL);
}

static gboolean
forget_file (const char  *data_dir,
             GError     **error)
{
  g_autofree char *path = cn_credentials_file_path (data_dir);

  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                   _("Could not remove the saved sign-in “%s”: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

gboolean
cn_credentials_save (const char            *data_dir,
                     const char            *server_url,
                     const char            *username,
                     const char            *token,
                     CnCredentialsBackend  *used_backend,
                     GError               **error)
{
  g_return_val_if_fail (data_dir != NULL, FALSE);
  g_return_val_if_fail (server_url != NULL, FALSE);
  g_return_val_if_fail (username != NULL, FALSE);
  g_return_val_if_fail (token != NULL, FALSE);

  if (used_backend != NULL)
    *used_backend = CN_CREDENTIALS_NONE;

#ifdef HAVE_LIBSECRET
  if (secret_service_possible ())
    {
      g_autoptr(GError) secret_error = NULL;
      g_autofree char *label = g_strdup_printf (_("Cầu Nối sign-in for %s at %s"),
                                                username, server_url);

      if (secret_password_store_sync (token_schema (), SECRET_COLLECTION_DEFAULT, label,
                                      token, NULL, &secret_error,
                                      "server", server_url, "user", username, NULL))
        {
          /* A stale file from an earlier keyring-less run must not outlive this token. */
          if (!forget_file (data_dir, error))
            return FALSE;
          if (used_backend != NULL)
            *used_backend = CN_CREDENTIALS_SECRET_SERVICE;
          return TRUE;
        }
      g_debug ("Secret Service not usable, keeping the token in a private file: %s",
               secret_error->message);
    }
#endif

  if (!save_to_file (data_dir, server_url, username, token, error))
    return FALSE;
  if (used_backend != NULL)
    *used_backend = CN_CREDENTIALS_FILE;
  return TRUE;
}

char *
cn_credentials_load (const char  *data_dir,
                     const char  *server_url,
                     const char  *username,
                     GError     **error)
{
  g_return_val_if_fail (data_dir != NULL, NULL);

  if (server_url == NULL || username == NULL)
    return NULL;

#ifdef HAVE_LIBSECRET
  if (secret_service_possible ())
    {
      g_autoptr(GError) secret_error = NULL;
      char *token = secret_password_lookup_sync (token_schema (), NULL, &secret_error,
                                                 "server", server_url,
                                                 "user", username, NULL);

      if (token != NULL)
        {
          char *copy = g_strdup (token);

          secret_password_free (token);
          return copy;
        }
      if (secret_error != NULL)
        g_debug ("Secret Service not usable, looking for a private file: %s",
                 secret_error->message);
    }
#endif

  return load_from_file (data_dir, server_url, username, error);
}

gboolean
cn_credentials_forget (const char  *data_dir,
                       const char  *server_url,
                       const char  *username,
                       GError     **error)
{
  g_return_val_if_fail (data_dir != NULL, FALSE);

#ifdef HAVE_LIBSECRET
  if (server_url != NULL && username != NULL && secret_service_possible ())
    {
      g_autoptr(GError) secret_error = NULL;

      if (!secret_password_clear_sync (token_schema (), NULL, &secret_error,
                                       "server", server_url, "user", username, NULL) &&
          secret_error != NULL)
        g_debug ("Secret Service not usable while signing out: %s", secret_error->message);
    }
#endif

  return forget_file (data_dir, error);
}
