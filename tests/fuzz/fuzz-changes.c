/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: what the sync client does with the body of a GET /changes answer —
 * parse it as the client's HTTP layer does (cn-sync-http.c, parse_answer), check the
 * page's shape and decode its records with the client's cn_sync_parse_changes_page(), and
 * apply the page to a real store with cn_store_apply_pull_page().
 *
 *   build-aux/fuzz --minutes 10 fuzz-changes
 *
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
#include "cn-sync-private.h"
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

/* As parse_answer() in cn-sync-http.c (static there): through cn_json_parse_checked().
 * (Before, json-glib alone read the answer, and one nested a hundred thousand levels deep
 * overflowed the stack: tests/reliability, /reliability/deep-answer.) */
static JsonNode *
parse_answer (const char *data,
              gsize       size)
{
  if (size == 0)
    return NULL;
  return cn_json_parse_checked (data, (gssize) size, NULL);
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
  gboolean more = FALSE;
  gint64 since = 0;
  gint64 next = 0;

  if (answer == NULL)
    return 0;
  cursor = cn_store_dup_meta (store, CN_STORE_META_CURSOR);
  if (cursor != NULL)
    since = g_ascii_strtoll (cursor, NULL, 10);
  records = cn_sync_parse_changes_page (answer, since, &next, &more, &error);
  if (records == NULL)
    {
      g_assert_true (error != NULL && error->domain == CN_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert_cmpint (next, >=, since);

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
