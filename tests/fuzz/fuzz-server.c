/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the server's whole request handling, cn_server_handle(), on a real
 * server database in a temporary directory holding the sample data, with three users (admin,
 * staff and viewer of the district Can Lộc) signed in at start-up.
 *
 *   build-aux/fuzz --minutes 10 fuzz-server
 *
 * An input is a small HTTP-like text:
 *
 *   METHOD PATH[?QUERY]\n
 *   Header: value\n        (Authorization, Range; "$ADMIN", "$STAFF", "$VIEWER" in a value
 *   …                       stand for "Bearer <that user's token>")
 *   \n
 *   body (the rest, any bytes)
 *
 * Checks: no crash, sanitizer report or GLib critical; every answer has a status from 200
 * to 499 (a 5xx is a bug: bad input gets a 4xx); JSON answers are valid UTF-8 JSON objects;
 * an error answer carries {error, message}. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cn-server.h"
#include "cn-server-auth.h"
#include "cn-server-import.h"
#include "fuzz-common.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define CAN_LOC "658abefd-6717-54bf-88f9-704df92b00ff"  /* in the sample data */

static CnServer *server;
static char *server_dir;
static char *tokens[3];
static const char * const token_names[] = { "$ADMIN", "$STAFF", "$VIEWER" };

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
cleanup (void)
{
  g_clear_object (&server);
  if (server_dir != NULL)
    remove_tree (server_dir);
  g_clear_pointer (&server_dir, g_free);
}

static JsonObject *
parse_object (CnServerResponse *response,
              JsonNode        **holder)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *text;

  g_assert_nonnull (response->body);
  text = g_bytes_get_data (response->body, &size);
  g_assert_true (g_utf8_validate (text, (gssize) size, NULL));
  if (!json_parser_load_from_data (parser, text, (gssize) size, &error))
    g_error ("the server answered %u with JSON that does not parse: %s",
             response->status, error->message);
  *holder = json_node_copy (json_parser_get_root (parser));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*holder));
  return json_node_get_object (*holder);
}

static char *
sign_in (const char *name,
         const char *password)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}",
                                           name, password);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  CnServerRequest request = {
    .method = "POST", .path = "/api/v1/session", .remote_address = "192.0.2.1", .body = bytes,
  };
  g_autoptr(CnServerResponse) response = cn_server_handle (server, &request);
  g_autoptr(JsonNode) holder = NULL;

  g_assert_cmpuint (response->status, ==, 200);
  return g_strdup (json_object_get_string_member (parse_object (response, &holder), "token"));
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *files = NULL;
  g_autofree char *sample = NULL;
  guint n_records, n_files;
  CnServerDb *db;

  cn_fuzz_init_logging ();
  g_setenv ("CAUNOI_SERVER_FAST_KDF", "1", TRUE);
  server_dir = g_dir_make_tmp ("caunoi-fuzz-server-XXXXXX", &error);
  g_assert_no_error (error);
  atexit (cleanup);
  db_path = g_build_filename (server_dir, "server.db", NULL);
  files = g_build_filename (server_dir, "files", NULL);
  db = cn_server_db_open (db_path, TRUE, &error);
  g_assert_no_error (error);
  /* The sample data: a district (Can Lộc) for the staff user and workflow records in it. */
  sample = cn_server_find_sample (&error);
  g_assert_no_error (error);
  g_assert_true (cn_server_load_sample (db, files, sample, &n_records, &n_files, &error));
  g_assert_no_error (error);
  g_assert_true (cn_server_user_add (db, "admin", CN_ROLE_ADMIN, NULL, "admin-password", &error));
  g_assert_true (cn_server_user_add (db, "staff", CN_ROLE_STAFF,
                                     CAN_LOC, "staff-password",
                                     &error));
  g_assert_true (cn_server_user_add (db, "viewer", CN_ROLE_VIEWER, CAN_LOC, "viewer-password",
                                     &error));
  g_assert_no_error (error);
  server = cn_server_new (db, files);
  /* Small caps, so that the fuzzer reaches them; no lock-out, so that it keeps signing in. */
  cn_server_set_max_body (server, 64 * 1024);
  cn_server_set_max_file (server, 64 * 1024);
  cn_server_set_login_limits (server, G_MAXUINT, 1);
  tokens[0] = sign_in ("admin", "admin-password");
  tokens[1] = sign_in ("staff", "staff-password");
  tokens[2] = sign_in ("viewer", "viewer-password");
  return 0;
}

static char *
expand_tokens (const char *value)
{
  for (guint i = 0; i < G_N_ELEMENTS (token_names); i++)
    {
      const char *at = strstr (value, token_names[i]);

      if (at != NULL)
        return g_strdup_printf ("%.*sBearer %s%s", (int) (at - value), value, tokens[i],
                                at + strlen (token_names[i]));
    }
  return g_strdup (value);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  const char *end = text + size;
  const char *line_end;
  g_autofree char *request_line = NULL;
  g_autofree char *method = NULL;
  g_autofree char *path = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *range = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(CnServerResponse) response = NULL;
  char *space;
  char *query;
  CnServerRequest request = { 0 };

  line_end = memchr (text, '\n', size);
  if (line_end == NULL)
    line_end = end;
  request_line = g_strndup (text, (gsize) (line_end - text));
  space = strchr (request_line, ' ');
  if (space == NULL)
    return 0;
  method = g_strndup (request_line, (gsize) (space - request_line));
  path = g_strdup (space + 1);
  /* The network adapter hands over a decoded path: never one with a nul byte in it. */
  query = strchr (path, '?');
  if (query != NULL)
    *query++ = '\0';

  text = line_end < end ? line_end + 1 : end;
  while (text < end)
    {
      g_autofree char *header = NULL;
      char *colon;

      line_end = memchr (text, '\n', (gsize) (end - text));
      if (line_end == NULL)
        line_end = end;
      if (line_end == text)
        {
          text = line_end + 1;
          break;
        }
      header = g_strndup (text, (gsize) (line_end - text));
      text = line_end < end ? line_end + 1 : end;
      colon = strchr (header, ':');
      if (colon == NULL)
        continue;
      *colon++ = '\0';
      while (*colon == ' ')
        colon++;
      if (g_ascii_strcasecmp (header, "Authorization") == 0)
        g_free (authorization), authorization = expand_tokens (colon);
      else if (g_ascii_strcasecmp (header, "Range") == 0)
        g_free (range), range = g_strdup (colon);
    }
  if (text < end)
    body = g_bytes_new (text, (gsize) (end - text));

  request.method = method;
  request.path = path;
  request.query = query;
  request.authorization = authorization;
  request.range = range;
  request.remote_address = "192.0.2.7";
  request.body = body;
  response = cn_server_handle (server, &request);

  g_assert_nonnull (response);
  if (response->status < 200 || response->status >= 500)
    g_error ("%s %s answered %u", method, path, response->status);
  if (g_strcmp0 (response->content_type, "application/json") == 0)
    {
      g_autoptr(JsonNode) holder = NULL;
      JsonObject *object = parse_object (response, &holder);

      if (response->status >= 400)
        {
          g_assert_true (json_object_has_member (object, "error"));
          g_assert_true (json_object_has_member (object, "message"));
        }
    }
  return 0;
}
