/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The content-addressed file store: uploads verified against their SHA-256, downloads
 * resumed with Range, on a real caunoi-server. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cn-test-server.h"

typedef struct {
  CnTestServer *server;
  CnTestWorld   world;
  GBytes       *contents;
  char         *sha256;
  char         *path;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  GByteArray *bytes = g_byte_array_new ();

  f->server = cn_test_server_new ();
  cn_test_server_add_user (f->server, "admin", "admin", NULL, "admin-password");
  cn_test_server_start (f->server, "--max-file", "200000", NULL);
  f->world.admin = cn_test_login (f->server, "admin", "admin-password");

  /* 100 000 bytes that are not all alike, so that a wrong slice would show. */
  for (guint i = 0; i < 100000; i++)
    {
      guint8 b = (guint8) ((i * 7919u) >> 3);
      g_byte_array_append (bytes, &b, 1);
    }
  f->contents = g_byte_array_free_to_bytes (bytes);
  f->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, f->contents);
  f->path = g_strconcat ("/api/v1/files/", f->sha256, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_bytes_unref (f->contents);
  g_free (f->sha256);
  g_free (f->path);
  cn_test_world_clear (&f->world);
  cn_test_server_free (f->server);
}

static guint
put_file (Fixture     *f,
          const char  *path,
          const char  *token,
          GBytes      *contents,
          JsonNode   **answer)
{
  return cn_test_request (f->server, "PUT", path, token, "application/octet-stream", contents,
                          answer, NULL, NULL);
}

static guint
get_range (Fixture             *f,
           const char          *range,
           GBytes             **body,
           SoupMessageHeaders **headers)
{
  g_autofree char *url = g_strconcat (f->server->url, f->path + 1, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *auth = g_strconcat ("Bearer ", f->world.admin, NULL);
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (range != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Range", range);
  *body = soup_session_send_and_read (f->server->session, msg, NULL, &error);
  g_assert_no_error (error);
  if (headers != NULL)
    *headers = g_boxed_copy (SOUP_TYPE_MESSAGE_HEADERS, soup_message_get_response_headers (msg));
  return soup_message_get_status (msg);
}

static void
assert_slice (GBytes *whole,
              GBytes *part,
              gsize   start,
              gsize   len)
{
  g_autoptr(GBytes) expected = g_bytes_new_from_bytes (whole, start, len);
  g_assert_true (g_bytes_equal (expected, part));
}

static void
test_upload_and_download (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *etag = NULL;
  GStatBuf st;
  char prefix[3] = { f->sha256[0], f->sha256[1], 0 };

  g_assert_cmpuint (put_file (f, f->path, f->world.admin, f->contents, &answer), ==, 201);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "sha256"), ==,
                   f->sha256);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (answer), "size"), ==, 100000);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (answer), "created"));

  /* Uploading the same file again is harmless. */
  g_assert_cmpuint (put_file (f, f->path, f->world.admin, f->contents, &again), ==, 200);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (again), "created"));

  /* Stored by hash, readable by the server's user only. */
  stored = g_build_filename (f->server->files_dir, prefix, f->sha256, NULL);
  g_assert_cmpint (g_stat (stored, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_cmpuint (get_range (f, NULL, &body, &headers), ==, 200);
  g_assert_true (g_bytes_equal (body, f->contents));
  etag = g_strdup_printf ("\"%s\"", f->sha256);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "ETag"), ==, etag);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Accept-Ranges"), ==, "bytes");
}

static void
test_range (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) rest = NULL;
  g_autoptr(GBytes) tail = NULL;
  g_autoptr(GBytes) past = NULL;
  g_autoptr(GBytes) mid = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(SoupMessageHeaders) past_headers = NULL;
  g_autoptr(GByteArray) resumed = g_byte_array_new ();
  g_autoptr(GBytes) resumed_bytes = NULL;
  g_autofree char *hash = NULL;

  g_assert_cmpuint (put_file (f, f->path, f->world.admin, f->contents, &answer), ==, 201);

  g_assert_cmpuint (get_range (f, "bytes=1000-1999", &mid, &headers), ==, 206);
  assert_slice (f->contents, mid, 1000, 1000);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Range"), ==,
                   "bytes 1000-1999/100000");

  /* A download cut after 40 000 bytes resumes from there; the result hashes right. */
  g_assert_cmpuint (get_range (f, "bytes=0-39999", &first, NULL), ==, 206);
  g_assert_cmpuint (get_range (f, "bytes=40000-", &rest, NULL), ==, 206);
  g_byte_array_append (resumed, g_bytes_get_data (first, NULL), (guint) g_bytes_get_size (first));
  g_byte_array_append (resumed, g_bytes_get_data (rest, NULL), (guint) g_bytes_get_size (rest));
  resumed_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&resumed));
  hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, resumed_bytes);
  g_assert_cmpstr (hash, ==, f->sha256);

  /* The last 10 bytes. */
  g_assert_cmpuint (get_range (f, "bytes=-10", &tail, NULL), ==, 206);
  assert_slice (f->contents, tail, 99990, 10);

  /* Past the end. */
  g_assert_cmpuint (get_range (f, "bytes=100000-", &past, &past_headers), ==, 416);
  g_assert_cmpstr (soup_message_headers_get_one (past_headers, "Content-Range"), ==,
                   "bytes */100000");
}

static void
test_hash_checked (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) missing = NULL;
  g_autoptr(GBytes) tampered = NULL;
  g_autoptr(GByteArray) copy = g_byte_array_new ();

  /* One byte changed: refused, and nothing stored under that name. */
  g_byte_array_append (copy, g_bytes_get_data (f->contents, NULL),
                       (guint) g_bytes_get_size (f->contents));
  copy->data[500] ^= 0x01;
  tampered = g_byte_array_free_to_bytes (g_steal_pointer (&copy));
  g_assert_cmpuint (put_file (f, f->path, f->world.admin, tampered, &answer), ==, 400);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "error"), ==,
                   "hash_mismatch");
  g_assert_cmpuint (cn_test_request_json (f->server, "GET", f->path, f->world.admin, NULL,
                                          &missing), ==, 404);
}

static void
test_permissions_and_limits (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(JsonNode) a1 = NULL, a2 = NULL, a3 = NULL, a4 = NULL;
  g_autofree char *viewer = NULL;
  g_autofree char *big_hash = NULL;
  g_autofree char *big_path = NULL;
  g_autofree char *big_data = g_malloc0 (300000);
  g_autoptr(GBytes) big = g_bytes_new_static (big_data, 300000);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autofree char *empty_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, empty);
  g_autofree char *empty_path = g_strconcat ("/api/v1/files/", empty_hash, NULL);
  g_autofree char *unit = cn_test_uuid ();

  /* A viewer may download but not upload. */
  {
    g_autoptr(JsonNode) holder = NULL;
    JsonObject *result = cn_test_push_one (f->server, f->world.admin, "unit", unit, 0, "put",
                                           "{\"name\": \"Hà Tĩnh\", \"kind\": \"province\"}",
                                           &holder);
    g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
  }
  cn_test_server_add_user (f->server, "viewer", "viewer", unit, "viewer-password");
  viewer = cn_test_login (f->server, "viewer", "viewer-password");
  g_assert_cmpuint (put_file (f, f->path, viewer, f->contents, &a1), ==, 403);
  g_assert_cmpuint (put_file (f, f->path, NULL, f->contents, &a2), ==, 401);

  /* Over --max-file: 413. */
  big_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, big);
  big_path = g_strconcat ("/api/v1/files/", big_hash, NULL);
  g_assert_cmpuint (put_file (f, big_path, f->world.admin, big, &a3), ==, 413);

  /* The empty file is a file like any other. */
  g_assert_cmpuint (put_file (f, empty_path, f->world.admin, empty, &a4), ==, 201);
  {
    g_autoptr(GBytes) body = NULL;
    g_autoptr(JsonNode) none = NULL;
    g_assert_cmpuint (cn_test_request (f->server, "GET", empty_path, viewer, NULL, NULL, &none,
                                       &body, NULL), ==, 200);
    g_assert_cmpuint (g_bytes_get_size (body), ==, 0);
  }
  g_assert_true (cn_test_healthy (f->server));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/server/files/upload-and-download", Fixture, NULL, fixture_setup,
              test_upload_and_download, fixture_teardown);
  g_test_add ("/server/files/range", Fixture, NULL, fixture_setup, test_range, fixture_teardown);
  g_test_add ("/server/files/hash-checked", Fixture, NULL, fixture_setup, test_hash_checked,
              fixture_teardown);
  g_test_add ("/server/files/permissions-and-limits", Fixture, NULL, fixture_setup,
              test_permissions_and_limits, fixture_teardown);
  return g_test_run ();
}
