/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The caunoi-server commands: init, user, backup, purge (in test-server-api), load-sample,
 * import-rss, serve with TLS, and their errors. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cn-test-server.h"

static guint
login_status (CnTestServer *server,
              const char   *name,
              const char   *password)
{
  g_autofree char *body = g_strdup_printf ("{\"username\": \"%s\", \"password\": \"%s\"}",
                                           name, password);
  g_autoptr(JsonNode) answer = NULL;

  return cn_test_request_json (server, "POST", "/api/v1/session", NULL, body, &answer);
}

static guint
count_collection (JsonArray  *changes,
                  const char *collection)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (changes); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (changes, i),
                                                    "collection"), collection))
      n++;
  return n;
}

static void
test_init_and_usage (void)
{
  g_autoptr(CnTestServer) server = cn_test_server_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  GStatBuf st;

  g_assert_cmpint (g_stat (server->db_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* init again keeps what is there. */
  cn_test_server_add_user (server, "admin", "admin", NULL, "admin-password");
  g_assert_cmpint (cn_test_run_command (NULL, NULL, NULL, "init", "--db", server->db_path, NULL), ==, 0);
  g_assert_cmpint (cn_test_run_command (NULL, &out, NULL, "user", "list", "--db", server->db_path,
                                        NULL), ==, 0);
  g_assert_nonnull (strstr (out, "admin\tadmin"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (cn_test_run_command (NULL, &out, NULL, "--version", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "caunoi-server "));
  g_assert_cmpint (cn_test_run_command (NULL, NULL, &err, "frobnicate", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "frobnicate"));
  g_clear_pointer (&err, g_free);

  /* A missing database is an error naming the fix, not a new empty database. */
  {
    g_autofree char *nowhere = g_build_filename (server->dir, "missing.db", NULL);
    g_assert_cmpint (cn_test_run_command (NULL, NULL, &err, "user", "list", "--db", nowhere,
                                          NULL), ==, 1);
    g_assert_nonnull (strstr (err, "init"));
    g_assert_false (g_file_test (nowhere, G_FILE_TEST_EXISTS));
  }
}

static void
test_user_commands (void)
{
  g_autoptr(CnTestServer) server = cn_test_server_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *token = NULL;
  g_autofree char *admin = NULL;
  JsonArray *users;

  cn_test_server_add_user (server, "admin", "admin", NULL, "admin-password");
  cn_test_server_start (server, NULL, NULL);
  admin = cn_test_login (server, "admin", "admin-password");
  unit = cn_test_uuid ();
  {
    g_autoptr(JsonNode) holder = NULL;
    JsonObject *result = cn_test_push_one (server, admin, "unit", unit, 0, "put",
                                           "{\"name\": \"Can Lộc\", \"kind\": \"district\"}",
                                           &holder);
    g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
  }

  /* Refusals, each with a reason. */
  g_assert_cmpint (cn_test_run_command ("some-password\n", NULL, &err, "user", "add", "lan",
                                        "--db", server->db_path, NULL), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cn_test_run_command ("some-password\n", NULL, &err, "user", "add", "lan",
                                        "--role", "root", "--db", server->db_path, NULL), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cn_test_run_command ("some-password\n", NULL, &err, "user", "add", "lan",
                                        "--role", "staff", "--db", server->db_path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "--unit"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cn_test_run_command ("some-password\n", NULL, &err, "user", "add", "lan",
                                        "--role", "staff", "--unit",
                                        "00000000-0000-4000-8000-000000000000", "--db",
                                        server->db_path, NULL), ==, 1);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cn_test_run_command ("short\n", NULL, &err, "user", "add", "lan", "--role",
                                        "staff", "--unit", unit, "--db", server->db_path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "short"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cn_test_run_command ("", NULL, &err, "user", "add", "lan", "--role",
                                        "staff", "--unit", unit, "--db", server->db_path, NULL), ==, 1);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cn_test_run_command ("some-password\n", NULL, &err, "user", "add", "bad name",
                                        "--role", "editor", "--db", server->db_path, NULL), ==, 1);
  g_clear_pointer (&err, g_free);
  /* The names the server itself writes records under. */
  g_assert_cmpint (cn_test_run_command ("some-password\n", NULL, &err, "user", "add", "rss-import",
                                        "--role", "editor", "--db", server->db_path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "reserved"));
  g_clear_pointer (&err, g_free);

  /* A user added while the server runs can log in at once. */
  cn_test_server_add_user (server, "lan", "staff", unit, "lan-password-1");
  g_assert_cmpint (cn_test_run_command ("other-password\n", NULL, &err, "user", "add", "lan",
                                        "--role", "viewer", "--unit", unit, "--db",
                                        server->db_path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "already exists"));
  g_clear_pointer (&err, g_free);
  token = cn_test_login (server, "lan", "lan-password-1");

  /* The list shows names, roles, units and state, and never a password hash. */
  g_assert_cmpint (cn_test_run_command (NULL, &out, NULL, "user", "list", "--json", "--db",
                                        server->db_path, NULL), ==, 0);
  g_assert_null (strstr (out, "argon2"));
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  users = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (users), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (users, 1), "name"),
                   ==, "lan");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (users, 1), "role"),
                   ==, "staff");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (users, 1),
                                                  "unit_id"), ==, unit);
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (users, 1),
                                                  "disabled"));

  /* passwd: the old password and the old sessions stop working. */
  g_assert_cmpint (cn_test_run_command ("lan-password-2\n", NULL, NULL, "user", "passwd", "lan",
                                        "--db", server->db_path, NULL), ==, 0);
  g_assert_cmpuint (login_status (server, "lan", "lan-password-1"), ==, 401);
  g_assert_cmpuint (login_status (server, "lan", "lan-password-2"), ==, 200);
  {
    g_autoptr(JsonNode) answer = NULL;
    g_assert_cmpuint (cn_test_request_json (server, "GET", "/api/v1/session", token, NULL,
                                            &answer), ==, 401);
  }
  g_assert_cmpint (cn_test_run_command ("whatever-pass\n", NULL, NULL, "user", "passwd", "nobody",
                                        "--db", server->db_path, NULL), ==, 1);

  /* disable, enable. */
  g_assert_cmpint (cn_test_run_command (NULL, NULL, NULL, "user", "disable", "lan", "--db",
                                        server->db_path, NULL), ==, 0);
  g_assert_cmpuint (login_status (server, "lan", "lan-password-2"), ==, 401);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cn_test_run_command (NULL, &out, NULL, "user", "list", "--db", server->db_path,
                                        NULL), ==, 0);
  g_assert_nonnull (strstr (out, "lan\tstaff"));
  g_assert_nonnull (strstr (out, "disabled"));
  g_assert_cmpint (cn_test_run_command (NULL, NULL, NULL, "user", "enable", "lan", "--db",
                                        server->db_path, NULL), ==, 0);
  g_assert_cmpuint (login_status (server, "lan", "lan-password-2"), ==, 200);
}

static void
test_backup_online (void)
{
  g_autoptr(CnTestServer) server = cn_test_server_new ();
  g_autoptr(CnTestServer) restored = NULL;
  g_autoptr(JsonNode) pulled = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *restored_token = NULL;
  JsonArray *changes;
  GStatBuf st;

  cn_test_server_add_user (server, "admin", "admin", NULL, "admin-password");
  cn_test_server_start (server, NULL, NULL);
  admin = cn_test_login (server, "admin", "admin-password");
  for (int i = 0; i < 20; i++)
    {
      g_autoptr(JsonNode) holder = NULL;
      g_autofree char *id = cn_test_uuid ();
      g_autofree char *data = g_strdup_printf ("{\"title\": \"Tin số %d\"}", i);
      JsonObject *result = cn_test_push_one (server, admin, "article", id, 0, "put", data, &holder);
      g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
    }

  /* Backed up while the server runs. */
  backup = g_build_filename (server->dir, "backup.db", NULL);
  g_assert_cmpint (cn_test_run_command (NULL, NULL, NULL, "backup", "--db", server->db_path,
                                        "--to", backup, NULL), ==, 0);
  g_assert_cmpint (g_stat (backup, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (cn_test_healthy (server));

  /* The backup is a working database: a server on it has the users and the records. */
  restored = cn_test_server_new ();
  g_assert_true (g_rename (backup, restored->db_path) == 0);
  cn_test_server_start (restored, NULL, NULL);
  restored_token = cn_test_login (restored, "admin", "admin-password");
  changes = cn_test_pull_all (restored, restored_token, 0, NULL, &pulled);
  g_assert_cmpuint (count_collection (changes, "article"), ==, 20);

  /* Missing option, unwritable target. */
  g_assert_cmpint (cn_test_run_command (NULL, NULL, NULL, "backup", "--db", server->db_path, NULL),
                   ==, 2);
  g_assert_cmpint (cn_test_run_command (NULL, NULL, NULL, "backup", "--db", server->db_path,
                                        "--to", "/nonexistent-dir/x.db", NULL), ==, 1);
}

static void
test_load_sample (void)
{
  g_autoptr(CnTestServer) server = cn_test_server_new ();
  g_autoptr(JsonNode) pulled = NULL;
  g_autofree char *out = NULL;
  g_autofree char *sample = g_build_filename (g_getenv ("CAUNOI_SOURCE_DIR"), "data", "sample",
                                              "caunoi-sample.json", NULL);
  g_autofree char *admin = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *changes, *expected;
  guint expected_files = 0;

  if (!g_file_test (sample, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("no data/sample/caunoi-sample.json in the source tree");
      return;
    }
  json_parser_load_from_file (parser, sample, &error);
  g_assert_no_error (error);
  expected = json_node_get_array (json_parser_get_root (parser));

  g_assert_cmpint (cn_test_run_command (NULL, &out, NULL, "load-sample", "--db", server->db_path,
                                        NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  /* Idempotent: a second load writes nothing. */
  g_assert_cmpint (cn_test_run_command (NULL, &out, NULL, "load-sample", "--db", server->db_path,
                                        NULL), ==, 0);
  g_assert_nonnull (strstr (out, " 0 records"));

  cn_test_server_add_user (server, "admin", "admin", NULL, "admin-password");
  cn_test_server_start (server, NULL, NULL);
  admin = cn_test_login (server, "admin", "admin-password");
  changes = cn_test_pull_all (server, admin, 0, NULL, &pulled);
  g_assert_cmpuint (json_array_get_length (changes), ==, json_array_get_length (expected));
  for (const char * const *c = (const char * const[]) { "unit", "article", "document",
                                                        "delegation", NULL }; *c; c++)
    g_assert_cmpuint (count_collection (changes, *c), ==, count_collection (expected, *c));

  /* Every file of the sample is in the store and downloadable. */
  {
    g_autofree char *files = g_build_filename (g_getenv ("CAUNOI_SOURCE_DIR"), "data", "sample",
                                               "files", NULL);
    g_autoptr(GDir) dir = g_dir_open (files, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (files, name, NULL);
        g_autofree char *contents = NULL;
        g_autofree char *hash = NULL;
        g_autofree char *url = NULL;
        g_autoptr(GBytes) body = NULL;
        g_autoptr(JsonNode) none = NULL;
        gsize len;

        g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
        hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) contents, len);
        url = g_strconcat ("/api/v1/files/", hash, NULL);
        g_assert_cmpuint (cn_test_request (server, "GET", url, admin, NULL, NULL, &none, &body,
                                           NULL), ==, 200);
        g_assert_cmpuint (g_bytes_get_size (body), ==, len);
        expected_files++;
      }
  }
  g_test_message ("%u sample files checked", expected_files);
}

static char *
feed_path (const char *name)
{
  return g_build_filename (g_getenv ("CAUNOI_SOURCE_DIR"), "tests", "server", "feeds", name, NULL);
}

/* The command wiring of import-rss (the parsing itself is tested by test-rss). */
static void
test_import_rss (void)
{
  g_autoptr(CnTestServer) server = cn_test_server_new ();
  g_autofree char *old_feed = feed_path ("news-old.xml");
  g_autofree char *new_feed = feed_path ("news-new.xml");
  g_autofree char *laws = feed_path ("laws.xml");
  g_autofree char *broken = feed_path ("broken-truncated.xml");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *admin = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  guint articles_old, articles_all;

  g_assert_cmpint (cn_test_run_command (NULL, &out, NULL, "import-rss", old_feed, "--kind", "news", "--no-images",
                                        "--db", server->db_path, NULL), ==, 0);
  g_assert_null (strstr (out, " 0 new"));
  g_clear_pointer (&out, g_free);

  cn_test_server_add_user (server, "admin", "admin", NULL, "admin-password");
  cn_test_server_start (server, NULL, NULL);
  admin = cn_test_login (server, "admin", "admin-password");
  articles_old = count_collection (cn_test_pull_all (server, admin, 0, NULL, &first), "article");
  g_assert_cmpuint (articles_old, >, 0);

  /* Again: nothing new, nothing rewritten. Then the newer feed: the archive grows. */
  g_assert_cmpint (cn_test_run_command (NULL, &out, NULL, "import-rss", old_feed, "--kind", "news", "--no-images",
                                        "--db", server->db_path, NULL), ==, 0);
  g_assert_nonnull (strstr (out, " 0 new, 0 updated"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cn_test_run_command (NULL, &out, NULL, "import-rss", new_feed, "--kind", "news", "--no-images",
                                        "--db", server->db_path, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  articles_all = count_collection (cn_test_pull_all (server, admin, 0, NULL, &second), "article");
  g_assert_cmpuint (articles_all, >, articles_old);

  /* A broken feed is an error naming the problem and imports nothing. */
  g_assert_cmpint (cn_test_run_command (NULL, NULL, &err, "import-rss", broken, "--kind", "laws", "--no-images",
                                        "--db", server->db_path, NULL), ==, 1);
  g_assert_cmpuint (strlen (err), >, 0);
  g_clear_pointer (&err, g_free);
  {
    g_autoptr(JsonNode) third = NULL;
    g_assert_cmpuint (count_collection (cn_test_pull_all (server, admin, 0, NULL, &third),
                                        "document"), ==, 0);
  }
  g_assert_cmpint (cn_test_run_command (NULL, NULL, NULL, "import-rss", laws, "--kind", "laws", "--no-images",
                                        "--db", server->db_path, NULL), ==, 0);
  {
    g_autoptr(JsonNode) fourth = NULL;
    g_assert_cmpuint (count_collection (cn_test_pull_all (server, admin, 0, NULL, &fourth),
                                        "document"), >, 0);
  }
  g_assert_cmpint (cn_test_run_command (NULL, NULL, NULL, "import-rss", laws, "--kind", "weather",
                                        "--db", server->db_path, NULL), ==, 2);
  g_assert_cmpint (cn_test_run_command (NULL, NULL, NULL, "import-rss", "/no/such/feed.xml",
                                        "--kind", "news", "--db", server->db_path, NULL), ==, 1);
}


/* A feed fetched over HTTP from "the office website" (a SoupServer in this test): the
 * articles arrive with their pictures in the file store. */
typedef struct {
  char   *feed;
  char   *new_feed;
  GBytes *picture;
  guint   picture_requests;
} Website;

static void
website_cb (SoupServer        *soup,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Website *site = user_data;

  if (g_str_equal (path, "/feed.xml"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/rss+xml", SOUP_MEMORY_COPY, site->feed,
                                        strlen (site->feed));
    }
  else if (g_str_equal (path, "/new.xml"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/rss+xml", SOUP_MEMORY_COPY,
                                        site->new_feed, strlen (site->new_feed));
    }
  else if (g_str_has_suffix (path, ".jpg"))
    {
      site->picture_requests++;
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "image/jpeg", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (site->picture, NULL),
                                        g_bytes_get_size (site->picture));
    }
  else
    soup_server_message_set_status (msg, 404, NULL);
}

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, NULL, NULL, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

static int
run_while_serving (const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static void
test_import_rss_url_with_pictures (void)
{
  g_autoptr(CnTestServer) server = cn_test_server_new ();
  g_autoptr(SoupServer) soup = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) hosts = NULL;
  g_autofree char *template = NULL;
  g_autofree char *old_feed = feed_path ("news-old.xml");
  g_autofree char *new_feed_path = feed_path ("news-new.xml");
  g_autofree char *new_template = NULL;
  g_autofree char *new_url = NULL;
  g_autofree char *base = NULL;
  g_autofree char *feed_url = NULL;
  g_autofree char *binary = g_build_filename (g_getenv ("CAUNOI_BUILD_DIR"), "src", "server",
                                              "caunoi-server", NULL);
  g_autofree char *picture_hash = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *admin = NULL;
  g_autoptr(JsonNode) pulled = NULL;
  Website site = { 0 };
  GSList *uris;
  JsonArray *changes;
  guint with_picture = 0;
  char prefix[3];

  static const char jpeg[] = "\xff\xd8\xff\xe0 a small JPEG of a village road";

  site.picture = g_bytes_new_static (jpeg, sizeof jpeg - 1);
  picture_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, site.picture);

  soup_server_add_handler (soup, NULL, website_cb, &site, NULL);
  soup_server_listen_local (soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (soup);
  base = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  base[strlen (base) - 1] = '\0';  /* no trailing slash */

  /* The fixture feed, with the website moved to this test's server. */
  g_assert_true (g_file_get_contents (old_feed, &template, NULL, NULL));
  hosts = g_regex_new ("https://nongthonmoi\\.hatinh\\.gov\\.vn", 0, 0, &error);
  g_assert_no_error (error);
  site.feed = g_regex_replace_literal (hosts, template, -1, 0, base, 0, &error);
  g_assert_no_error (error);
  feed_url = g_strconcat (base, "/feed.xml", NULL);
  g_assert_true (g_file_get_contents (new_feed_path, &new_template, NULL, NULL));
  site.new_feed = g_regex_replace_literal (hosts, new_template, -1, 0, base, 0, &error);
  g_assert_no_error (error);
  new_url = g_strconcat (base, "/new.xml", NULL);

  {
    const char *argv[] = { binary, "import-rss", feed_url, "--kind", "news", "--db",
                           server->db_path, NULL };
    g_assert_cmpint (run_while_serving (argv), ==, 0);
    g_assert_cmpuint (site.picture_requests, >, 0);
    /* Again: nothing changed, no picture fetched again. */
    site.picture_requests = 0;
    g_assert_cmpint (run_while_serving (argv), ==, 0);
    g_assert_cmpuint (site.picture_requests, ==, 0);
  }

  prefix[0] = picture_hash[0];
  prefix[1] = picture_hash[1];
  prefix[2] = '\0';
  stored = g_build_filename (server->files_dir, prefix, picture_hash, NULL);
  g_assert_true (g_file_test (stored, G_FILE_TEST_IS_REGULAR));

  /* serve --feed imports the newer feed on its own, right after starting, in the
   * background: the server answers meanwhile. */
  cn_test_server_add_user (server, "admin", "admin", NULL, "admin-password");
  cn_test_server_start (server, "--feed", new_url, "--feed-kind", "news", "--feed-interval", "60",
                        NULL);
  admin = cn_test_login (server, "admin", "admin-password");
  {
    guint before = 0, now = 0;
    g_autoptr(JsonNode) first = NULL;

    before = json_array_get_length (cn_test_pull_all (server, admin, 0, NULL, &first));
    g_assert_cmpuint (before, >, 0);
    /* Wait (bounded) for the import: this process serves the website meanwhile. */
    for (guint i = 0; i < 600 && now <= before; i++)
      {
        g_autoptr(JsonNode) again = NULL;
        while (g_main_context_iteration (NULL, FALSE))
          ;
        g_usleep (G_USEC_PER_SEC / 20);
        now = json_array_get_length (cn_test_pull_all (server, admin, 0, NULL, &again));
      }
    g_assert_cmpuint (now, >, before);
  }
  changes = cn_test_pull_all (server, admin, 0, NULL, &pulled);
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *record = json_object_get_object_member (json_array_get_object_element (changes, i),
                                                          "data");
      if (json_object_has_member (record, "images"))
        {
          JsonArray *images = json_object_get_array_member (record, "images");
          g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (images, 0),
                                                          "sha256"), ==, picture_hash);
          with_picture++;
        }
    }
  g_assert_cmpuint (with_picture, >, 0);
  g_bytes_unref (site.picture);
  g_free (site.feed);
  g_free (site.new_feed);
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  /* Only the certificate the test made: a self-signed one is accepted when it is that one. */
  return g_tls_certificate_is_same (certificate, user_data);
}

static void
test_serve_tls (void)
{
  g_autoptr(CnTestServer) server = cn_test_server_new ();
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *cert = g_build_filename (server->dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (server->dir, "key.pem", NULL);
  g_autofree char *err = NULL;
  g_autoptr(GTlsCertificate) ours = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;

  /* Bad certificate files: an error, no server. */
  g_assert_cmpint (cn_test_run_command (NULL, NULL, &err, "serve", "--db", server->db_path,
                                        "--listen", "127.0.0.1:0", "--tls-cert", cert,
                                        "--tls-key", key, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "certificate"));
  g_assert_cmpint (cn_test_run_command (NULL, NULL, NULL, "serve", "--db", server->db_path,
                                        "--listen", "127.0.0.1:0", "--tls-cert", cert, NULL), ==, 2);

  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed to make a test certificate");
      return;
    }
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  process = g_subprocess_launcher_spawn (launcher, &error, openssl, "req", "-x509", "-newkey",
                                         "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                         "-nodes", "-subj", "/CN=127.0.0.1", "-days", "2",
                                         "-keyout", key, "-out", cert, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&process);
  ours = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);

  cn_test_server_start (server, "--tls-cert", cert, "--tls-key", key, NULL);
  /* The URL the server prints says https. */
  g_assert_true (g_str_has_prefix (server->url, "https://127.0.0.1:"));
  url = g_strconcat (server->url, "healthz", NULL);
  msg = soup_message_new ("GET", url);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), ours);
  body = soup_session_send_and_read (server->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_true (g_tls_certificate_is_same (soup_message_get_tls_peer_certificate (msg), ours));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/commands/init-and-usage", test_init_and_usage);
  g_test_add_func ("/server/commands/user", test_user_commands);
  g_test_add_func ("/server/commands/backup-online", test_backup_online);
  g_test_add_func ("/server/commands/load-sample", test_load_sample);
  g_test_add_func ("/server/commands/import-rss", test_import_rss);
  g_test_add_func ("/server/commands/import-rss-url-with-pictures",
                   test_import_rss_url_with_pictures);
  g_test_add_func ("/server/commands/serve-tls", test_serve_tls);
  return g_test_run ();
}
