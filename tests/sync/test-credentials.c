/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "cn-credentials.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("caunoi-credentials-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = cn_credentials_file_path (fixture->dir);

  g_unlink (path);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static void
test_credentials_file (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = cn_credentials_file_path (fixture->dir);
  g_autofree char *token = NULL;
  g_autofree char *other_user = NULL;
  g_autofree char *after = NULL;
  CnCredentialsBackend backend = CN_CREDENTIALS_NONE;
  GStatBuf st;

  g_setenv ("CAUNOI_CREDENTIALS", "file", TRUE);

  g_assert_null (cn_credentials_load (fixture->dir, "https://a.example/", "lan", &error));
  g_assert_no_error (error);

  g_assert_true (cn_credentials_save (fixture->dir, "https://a.example/", "lan",
                                      "tok-123", &backend, &error));
  g_assert_no_error (error);
  g_assert_cmpint (backend, ==, CN_CREDENTIALS_FILE);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  token = cn_credentials_load (fixture->dir, "https://a.example/", "lan", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "tok-123");

  /* Another user or server does not get this token. */
  other_user = cn_credentials_load (fixture->dir, "https://a.example/", "minh", &error);
  g_assert_no_error (error);
  g_assert_null (other_user);

  g_assert_true (cn_credentials_forget (fixture->dir, "https://a.example/", "lan", &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  after = cn_credentials_load (fixture->dir, "https://a.example/", "lan", &error);
  g_assert_no_error (error);
  g_assert_null (after);

  /* Forgetting twice is fine. */
  g_assert_true (cn_credentials_forget (fixture->dir, "https://a.example/", "lan", &error));
  g_assert_no_error (error);
}

static void
test_credentials_unreadable_file (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = cn_credentials_file_path (fixture->dir);
  g_autofree char *token = NULL;

  g_setenv ("CAUNOI_CREDENTIALS", "file", TRUE);
  g_assert_true (g_file_set_contents (path, "\xff not a key file [", -1, NULL));
  token = cn_credentials_load (fixture->dir, "https://a.example/", "lan", &error);
  g_assert_null (token);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, path));
}

static void
test_credentials_default_backend (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *server = g_strdup_printf ("https://test.invalid/%s/", fixture->dir);
  g_autofree char *token = NULL;
  g_autofree char *after = NULL;
  CnCredentialsBackend backend = CN_CREDENTIALS_NONE;

  /* Whatever this session offers (a keyring or none), the token comes back and goes. */
  g_unsetenv ("CAUNOI_CREDENTIALS");
  g_assert_true (cn_credentials_save (fixture->dir, server, "lan", "tok-456", &backend, &error));
  g_assert_no_error (error);
  g_assert_cmpint (backend, !=, CN_CREDENTIALS_NONE);
  token = cn_credentials_load (fixture->dir, server, "lan", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "tok-456");
  g_assert_true (cn_credentials_forget (fixture->dir, server, "lan", &error));
  g_assert_no_error (error);
  after = cn_credentials_load (fixture->dir, server, "lan", &error);
  g_assert_no_error (error);
  g_assert_null (after);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sync/credentials/file", Fixture, NULL,
              fixture_set_up, test_credentials_file, fixture_tear_down);
  g_test_add ("/sync/credentials/unreadable-file", Fixture, NULL,
              fixture_set_up, test_credentials_unreadable_file, fixture_tear_down);
  g_test_add ("/sync/credentials/default-backend", Fixture, NULL,
              fixture_set_up, test_credentials_default_backend, fixture_tear_down);
  return g_test_run ();
}
