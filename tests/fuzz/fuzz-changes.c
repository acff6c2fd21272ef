/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: what the sync client does with the body of a GET /changes answer —
 * parse it as the client's HTTP layer does (cn-sync-http.c, parse_answer), check the
 * page's shape as pull_changes() in cn-sync-run.c does, decode the
 * records with cn_record_array_from_json() and apply the page to a real store with
 * cn_store_apply_pull_page().
 *
 *   build-aux/fuzz --minutes 10 fuzz-changes
 *
 * The page checks are a copy of the few lines in pull_changes(), which are static there
 * (see /work/team/reliability-patches/02-changes-page-parser.patch, which moves them into
 * cn_sync_parse_changes_page() so that this target can call the client's own code).
 * Checks: no crash, sanitizer report or GLib critical; an applied page moves the cursor to
 * its `next`; every record of it is then in the store at least at its revision. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "cn-error.h"
#include "cn-record.h"
#include "cn-store.h"
#include "fuzz-common.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static CnStore *store;
static char *store_dir;

static void
remove_store (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&store);
  if (store_dir == NULL)
    return;
  dir = g_dir_open (store_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (store_dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (store_dir);
  g_clear_pointer (&store_dir, g_free);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  cn_fuzz_init_logging ();
  store_dir = g_dir_make_tmp ("caunoi-fuzz-changes-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (store_dir, "caunoi.db", NULL);
  store = cn_store_open (path, &error);
  g_assert_no_error (error);
  atexit (remove_store);
  return 0;
}

/* As parse_answer() in cn-sync-http.c once reliability-patches/01-deep-answer.patch is in:
 * through cn_json_parse_checked(). (Before it, json-glib alone read the answer, and one
 * nested a hundred thousand levels deep overflowed the stack: tests/reliability,
 * /reliability/deep-answer.) */
static JsonNode *
parse_answer (const char *data,
              gsize       size)
{
  if (size == 0)
    return NULL;
  return cn_json_parse_checked (data, (gssize) size, NULL);
}

/* As member_int() in cn-sync-run.c. */
static gboolean
member_int (JsonObject *object,
            const char *name,
            gint64     *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) answer = parse_answer ((const char *) data, size);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *next_text = NULL;
  g_autofree char *stored_cursor = NULL;
  CnPullStats stats = { 0 };
  JsonObject *page;
  JsonNode *changes;
  JsonNode *more_node;
  gint64 since = 0;
  gint64 next;

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    return 0;
  page = json_node_get_object (answer);
  changes = json_object_get_member (page, "changes");
  more_node = json_object_get_member (page, "more");
  cursor = cn_store_dup_meta (store, CN_STORE_META_CURSOR);
  if (cursor != NULL)
    since = g_ascii_strtoll (cursor, NULL, 10);
  if (changes == NULL || !JSON_NODE_HOLDS_ARRAY (changes))
    return 0;
  if (!member_int (page, "next", &next) || next < since)
    return 0;
  if (more_node == NULL || !JSON_NODE_HOLDS_VALUE (more_node) ||
      json_node_get_value_type (more_node) != G_TYPE_BOOLEAN)
    return 0;
  if (json_node_get_boolean (more_node) && next == since)
    return 0;

  records = cn_record_array_from_json (changes, &error);
  if (records == NULL)
    {
      g_assert_true (error != NULL && error->domain == CN_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  next_text = g_strdup_printf ("%" G_GINT64_FORMAT, next);
  if (!cn_store_apply_pull_page (store, records, next_text, &stats, &error))
    {
      /* A refusal must be an error the user can read, and leave the cursor alone. */
      g_assert_true (error != NULL && error->domain == CN_ERROR);
      stored_cursor = cn_store_dup_meta (store, CN_STORE_META_CURSOR);
      g_assert_cmpstr (stored_cursor, ==, cursor);
      return 0;
    }
  stored_cursor = cn_store_dup_meta (store, CN_STORE_META_CURSOR);
  g_assert_cmpstr (stored_cursor, ==, next_text);
  for (guint i = 0; i < records->len; i++)
    {
      CnRecord *sent = g_ptr_array_index (records, i);
      g_autoptr(CnRecord) kept = cn_store_get (store, cn_record_get_id (sent), NULL);

      if (kept == NULL)
        {
          /* Only a tombstone of a record never seen may leave nothing behind. */
          g_assert_true (cn_record_get_deleted (sent));
          continue;
        }
      g_assert_cmpint (cn_record_get_rev (kept), >=, cn_record_get_rev (sent));
    }
  return 0;
}
