/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "../cn-test-child.h"

#define SEED_ARTICLE_TITLE "Cầu nối giữa cấp ủy huyện và cơ sở"

typedef struct {
  char               *dir;
  const char * const *env;  /* NAME, VALUE, …, NULL: set for caunoi-cli; usually NULL */
} CliFixture;

typedef struct {
  int       status;
  char     *out;
  char     *err;
  JsonNode *json;
} CliResult;

static void
cli_result_free (CliResult *result)
{
  g_free (result->out);
  g_free (result->err);
  g_clear_pointer (&result->json, json_node_unref);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliResult, cli_result_free)

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        rm_rf (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
cli_set_up (CliFixture    *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("caunoi-cli-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
cli_tear_down (CliFixture    *fixture,
               gconstpointer  data)
{
  rm_rf (fixture->dir);
  g_free (fixture->dir);
}

/* Runs caunoi-cli with the arguments (NULL-terminated), stdin_text on its standard input;
 * parses stdout as JSON when --json is among the arguments and the command succeeded. */
static CliResult *
run_cli (CliFixture *fixture,
         const char *stdin_text,
         ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *data_home = g_build_filename (fixture->dir, "data", NULL);
  g_autofree char *config_home = g_build_filename (fixture->dir, "config", NULL);
  const char *build_dir = g_getenv ("CAUNOI_BUILD_DIR");
  CliResult *result = g_new0 (CliResult, 1);
  gboolean json = FALSE;
  const char *arg;
  va_list args;

  g_assert_nonnull (build_dir);
  g_ptr_array_add (argv, g_build_filename (build_dir, "src", "cli", "caunoi-cli", NULL));
  va_start (args, stdin_text);
  while ((arg = va_arg (args, const char *)) != NULL)
    {
      json |= g_str_equal (arg, "--json");
      g_ptr_array_add (argv, g_strdup (arg));
    }
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  cn_test_launcher_die_with_parent (launcher);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config_home, TRUE);
  for (guint i = 0; fixture->env != NULL && fixture->env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, fixture->env[i], fixture->env[i + 1], TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, stdin_text ? stdin_text : "", NULL, &result->out,
                                 &result->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);

  if (json && result->status == 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      json_parser_load_from_data (parser, result->out, -1, &error);
      g_assert_no_error (error);
      result->json = json_node_copy (json_parser_get_root (parser));
    }
  return result;
}

static void
assert_ok (CliResult *result)
{
  if (result->status != 0)
    g_error ("caunoi-cli failed (%d): %s", result->status, result->err);
  g_assert_cmpstr (result->err, ==, "");
}

/* A failure is a non-zero status and exactly one clear line on stderr. */
static void
assert_fails (CliResult  *result,
              int         status,
              const char *needle)
{
  const char *newline;

  g_assert_cmpint (result->status, ==, status);
  g_assert_true (g_str_has_prefix (result->err, "caunoi-cli"));
  newline = strchr (result->err, '\n');
  g_assert_nonnull (newline);
  g_assert_cmpstr (newline, ==, "\n");
  if (needle != NULL)
    g_assert_nonnull (strstr (result->err, needle));
}

static JsonObject *
find_by_title (JsonArray  *array,
               const char *collection,
               const char *title)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_str_equal (json_object_get_string_member (object, "collection"), collection) &&
          g_str_equal (json_object_get_string_member (object, "title"), title))
        return object;
    }
  return NULL;
}

static void
test_load_sample_then_search (CliFixture    *fixture,
                              gconstpointer  data)
{
  g_autoptr(CliResult) loaded = run_cli (fixture, NULL, "load-sample", "--json", NULL);
  g_autoptr(CliResult) found = NULL;
  g_autoptr(CliResult) upper = NULL;
  g_autoptr(CliResult) number = NULL;
  g_autoptr(CliResult) nothing = NULL;
  g_autoptr(CliResult) status = NULL;
  g_autoptr(CliResult) shown = NULL;
  g_autofree char *db = g_build_filename (fixture->dir, "data", "caunoi", "caunoi.db", NULL);
  g_autofree char *image = g_build_filename (fixture->dir, "data", "caunoi", "files",
    "4669ec71135b0a5670edb1d4fa326d8a06d0f961e81e8e0ceb1f13020cf293dd", NULL);
  JsonObject *object;
  JsonObject *article;

  assert_ok (loaded);
  object = json_node_get_object (loaded->json);
  g_assert_cmpint (json_object_get_int_member (object, "records"), >, 100);
  g_assert_cmpint (json_object_get_int_member (object, "files"), ==, 2);
  g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (image, G_FILE_TEST_IS_REGULAR));

  found = run_cli (fixture, NULL, "search", "nong thon moi", "--json", NULL);
  assert_ok (found);
  article = find_by_title (json_node_get_array (found->json), "article", SEED_ARTICLE_TITLE);
  g_assert_nonnull (article);
  g_assert_nonnull (strstr (json_object_get_string_member (article, "snippet"),
                            "**nông** **thôn** **mới**"));
  g_assert_true (json_object_has_member (article, "id"));

  /* Shown as text: whole lines, the sample mark one of them (in English: no catalog). */
  {
    const char * const english[] = { "LC_ALL", "C.UTF-8", NULL };

    fixture->env = english;
    shown = run_cli (fixture, NULL, "show", json_object_get_string_member (article, "id"), NULL);
    fixture->env = NULL;
    assert_ok (shown);
    g_assert_true (g_str_has_prefix (shown->out, "article "));
    g_assert_nonnull (strstr (shown->out, "\nTitle: " SEED_ARTICLE_TITLE "\n"));
    g_assert_nonnull (strstr (shown->out, "\nThis record is sample data: it is never sent to a "
                                          "server.\n"));
    g_assert_null (strstr (shown->out, "deleted"));
  }

  upper = run_cli (fixture, NULL, "search", "NÔNG THÔN MỚI", "--collection", "article",
                   "--json", NULL);
  assert_ok (upper);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (upper->json)), ==, 1);

  number = run_cli (fixture, NULL, "search", "4414/UBND-NL5", "--json", NULL);
  assert_ok (number);
  object = json_array_get_object_element (json_node_get_array (number->json), 0);
  g_assert_cmpstr (json_object_get_string_member (object, "collection"), ==, "document");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "title"),
                                   "4414/UBND-NL5"));

  nothing = run_cli (fixture, NULL, "search", "xqzvkw", "--json", NULL);
  assert_ok (nothing);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (nothing->json)), ==, 0);

  /* Sample data is not waiting to be sent anywhere. */
  status = run_cli (fixture, NULL, "status", "--json", NULL);
  assert_ok (status);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (status->json), "pending"),
                   ==, 0);
}

static void
test_put_show_list_delete (CliFixture    *fixture,
                           gconstpointer  data)
{
  g_autoptr(CliResult) created = NULL;
  g_autoptr(CliResult) shown = NULL;
  g_autoptr(CliResult) changed = NULL;
  g_autoptr(CliResult) listed = NULL;
  g_autoptr(CliResult) status = NULL;
  g_autoptr(CliResult) deleted = NULL;
  g_autoptr(CliResult) tombstone = NULL;
  g_autoptr(CliResult) after = NULL;
  g_autofree char *id = NULL;
  JsonObject *record;
  JsonObject *fields;

  created = run_cli (fixture, "{\"title\": \"Nạo vét kênh mương nội đồng\", "
                     "\"status\": \"open\", \"due_on\": \"2015-09-30\"}", "put", "task", NULL);
  assert_ok (created);
  id = g_strstrip (g_strdup (created->out));
  g_assert_cmpuint (strlen (id), ==, 36);

  shown = run_cli (fixture, NULL, "show", id, "--json", NULL);
  assert_ok (shown);
  record = json_node_get_object (shown->json);
  g_assert_cmpstr (json_object_get_string_member (record, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (record, "collection"), ==, "task");
  g_assert_cmpint (json_object_get_int_member (record, "rev"), ==, 0);
  g_assert_false (json_object_get_boolean_member (record, "deleted"));
  g_assert_true (json_object_has_member (record, "updated_at"));
  g_assert_true (json_object_has_member (record, "updated_by"));
  fields = json_object_get_object_member (record, "data");
  g_assert_cmpstr (json_object_get_string_member (fields, "title"), ==,
                   "Nạo vét kênh mương nội đồng");

  /* With --id only the fields given change. */
  changed = run_cli (fixture, "{\"status\": \"done\"}", "put", "task", "--id", id, "--json",
                     NULL);
  assert_ok (changed);
  fields = json_object_get_object_member (json_node_get_object (changed->json), "data");
  g_assert_cmpstr (json_object_get_string_member (fields, "status"), ==, "done");
  g_assert_cmpstr (json_object_get_string_member (fields, "title"), ==,
                   "Nạo vét kênh mương nội đồng");
  g_assert_cmpstr (json_object_get_string_member (fields, "due_on"), ==, "2015-09-30");

  listed = run_cli (fixture, NULL, "list", "task", "--json", NULL);
  assert_ok (listed);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (listed->json)), ==, 1);
  record = json_array_get_object_element (json_node_get_array (listed->json), 0);
  g_assert_cmpstr (json_object_get_string_member (record, "id"), ==, id);

  status = run_cli (fixture, NULL, "status", "--json", NULL);
  assert_ok (status);
  record = json_node_get_object (status->json);
  g_assert_cmpint (json_object_get_int_member (record, "pending"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (record, "conflicts"), ==, 0);
  g_assert_true (json_object_get_null_member (record, "server"));
  g_assert_true (json_object_get_null_member (record, "user"));
  g_assert_true (json_object_get_null_member (record, "last_sync"));

  deleted = run_cli (fixture, NULL, "delete", id, NULL);
  assert_ok (deleted);
  tombstone = run_cli (fixture, NULL, "show", id, "--json", NULL);
  assert_ok (tombstone);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (tombstone->json),
                                                 "deleted"));
  after = run_cli (fixture, NULL, "list", "task", "--json", NULL);
  assert_ok (after);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (after->json)), ==, 0);
  g_clear_pointer (&status, cli_result_free);
  status = run_cli (fixture, NULL, "status", "--json", NULL);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (status->json), "pending"),
                   ==, 3);
}

static void
test_errors (CliFixture    *fixture,
             gconstpointer  data)
{
  g_autoptr(CliResult) not_json = run_cli (fixture, "{title: ", "put", "task", NULL);
  g_autoptr(CliResult) unknown_field = run_cli (fixture, "{\"title\": \"x\", \"status\": "
                                                "\"open\", \"colour\": \"red\"}",
                                                "put", "task", NULL);
  g_autoptr(CliResult) bad_enum = run_cli (fixture, "{\"title\": \"x\", \"status\": \"later\"}",
                                           "put", "task", NULL);
  g_autoptr(CliResult) array = run_cli (fixture, "[1, 2]", "put", "task", NULL);
  g_autoptr(CliResult) no_collection = run_cli (fixture, "{}", "put", "newspaper", NULL);
  g_autoptr(CliResult) missing = run_cli (fixture, NULL, "show",
                                          "0b5f3c1e-6d2a-4f7b-9c1d-2e3f4a5b6c7d", NULL);
  g_autoptr(CliResult) unknown_command = run_cli (fixture, NULL, "frobnicate", NULL);
  g_autoptr(CliResult) no_query = run_cli (fixture, NULL, "search", NULL);
  g_autoptr(CliResult) bad_option = run_cli (fixture, NULL, "list", "task", "--colour", NULL);
  g_autoptr(CliResult) status = NULL;

  assert_fails (not_json, 1, "JSON");
  assert_fails (unknown_field, 1, "colour");
  assert_fails (bad_enum, 1, "status");
  assert_fails (array, 1, NULL);
  assert_fails (no_collection, 2, "newspaper");
  assert_fails (missing, 1, "0b5f3c1e-6d2a-4f7b-9c1d-2e3f4a5b6c7d");
  assert_fails (unknown_command, 2, "frobnicate");
  assert_fails (no_query, 2, NULL);
  assert_fails (bad_option, 2, "colour");

  /* None of it was stored. */
  status = run_cli (fixture, NULL, "status", "--json", NULL);
  assert_ok (status);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (status->json), "pending"),
                   ==, 0);
}

/* In Vietnamese, the help's summaries start in one column, whatever the bytes the translated
 * parameters take ("search TỪ_KHÓA": 14 columns, 18 bytes). */
static void
test_help_columns (CliFixture    *fixture,
                   gconstpointer  data)
{
  const char *build_dir = g_getenv ("CAUNOI_BUILD_DIR");
  g_autofree char *localedir = g_build_filename (build_dir, "po", NULL);
  g_autofree char *catalog = g_build_filename (localedir, "vi", "LC_MESSAGES", "caunoi.mo",
                                               NULL);
  const char * const env[] = { "LC_ALL", "vi_VN.UTF-8", "LANGUAGE", "vi",
                               "CAUNOI_LOCALEDIR", localedir, NULL };
  /* Commands whose summary the test finds in the output, translated by the test itself. */
  const char * const summaries[] = {
    "Load the sample data (marked as sample, never sent to a server)",
    "Search every collection, with or without tone marks",
    "List the records of a collection",
    "Log in to a server (password on stdin)",
    "Settle a conflict",
    "Send a rejected edit again",
  };
  g_autoptr(CliResult) help = NULL;
  g_auto(GStrv) lines = NULL;
  long column = -1;
  guint found = 0;

  if (!g_file_test (catalog, G_FILE_TEST_EXISTS) ||
      setlocale (LC_MESSAGES, "vi_VN.UTF-8") == NULL)
    {
      g_test_skip ("no Vietnamese catalog or vi_VN.UTF-8 locale");
      return;
    }
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  fixture->env = env;
  help = run_cli (fixture, NULL, "--help", NULL);
  assert_ok (help);
  lines = g_strsplit (help->out, "\n", -1);
  for (guint s = 0; s < G_N_ELEMENTS (summaries); s++)
    {
      const char *translated = g_dgettext (GETTEXT_PACKAGE, summaries[s]);

      g_assert_cmpstr (translated, !=, summaries[s]);
      for (guint l = 0; lines[l] != NULL; l++)
        {
          const char *at = strstr (lines[l], translated);
          g_autofree char *before = NULL;
          g_autofree char *composed = NULL;
          long width;

          if (at == NULL)
            continue;
          before = g_strndup (lines[l], (gsize) (at - lines[l]));
          composed = g_utf8_normalize (before, -1, G_NORMALIZE_NFC);
          width = g_utf8_strlen (composed, -1);
          if (column == -1)
            column = width;
          g_assert_cmpint (width, ==, column);
          found++;
        }
    }
  g_assert_cmpuint (found, ==, G_N_ELEMENTS (summaries));
  /* No gettext header where a command takes no parameters. */
  g_assert_null (strstr (help->out, "Project-Id-Version"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/load-sample-then-search", CliFixture, NULL, cli_set_up,
              test_load_sample_then_search, cli_tear_down);
  g_test_add ("/cli/put-show-list-delete", CliFixture, NULL, cli_set_up,
              test_put_show_list_delete, cli_tear_down);
  g_test_add ("/cli/errors", CliFixture, NULL, cli_set_up, test_errors, cli_tear_down);
  g_test_add ("/cli/help-columns", CliFixture, NULL, cli_set_up, test_help_columns,
              cli_tear_down);

  return g_test_run ();
}
