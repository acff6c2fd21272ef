/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cn-id.h"
#include "cn-schema.h"

#define N_IDS 10000

static guint64
hex_value (const char *text,
           guint       n)
{
  g_autofree char *part = g_strndup (text, n);

  return g_ascii_strtoull (part, NULL, 16);
}

static void
test_id_format (void)
{
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *id = cn_id_new ();

      g_assert_cmpuint (strlen (id), ==, 36);
      g_assert_true (g_uuid_string_is_valid (id));
      g_assert_true (cn_schema_is_valid_uuid (id));
      for (const char *p = id; *p; p++)
        g_assert_false (g_ascii_isupper (*p));
      /* version 7 in the 13th hex digit, variant 10xx in the 17th */
      g_assert_cmpint (id[14], ==, '7');
      g_assert_nonnull (strchr ("89ab", id[19]));
    }
}

static void
test_id_timestamp (void)
{
  gint64 before = g_get_real_time () / 1000;
  g_autofree char *id = cn_id_new ();
  gint64 after = g_get_real_time () / 1000;
  /* "tttttttt-tttt-…": 48 bits of Unix milliseconds */
  guint64 ms = (hex_value (id, 8) << 16) | hex_value (id + 9, 4);

  /* an earlier id of this process may have run ahead of the clock by a millisecond or so */
  g_assert_cmpuint (ms, >=, (guint64) before);
  g_assert_cmpuint (ms, <=, (guint64) after + 1);
}

static void
test_id_ordered_unique (void)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < N_IDS; i++)
    g_ptr_array_add (ids, cn_id_new ());

  for (guint i = 0; i < N_IDS; i++)
    {
      const char *id = g_ptr_array_index (ids, i);

      if (i > 0)
        g_assert_cmpstr (g_ptr_array_index (ids, i - 1), <, id);
      g_assert_true (g_hash_table_add (seen, (gpointer) id));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, N_IDS);
}

typedef struct {
  GPtrArray *ids;
} ThreadData;

static gpointer
make_ids_thread (gpointer user_data)
{
  ThreadData *data = user_data;

  for (guint i = 0; i < N_IDS / 4; i++)
    g_ptr_array_add (data->ids, cn_id_new ());
  return NULL;
}

/* Ids made in several threads at once are all distinct, and each thread's are ordered. */
static void
test_id_threads (void)
{
  ThreadData data[4];
  GThread *threads[4];
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint t = 0; t < 4; t++)
    {
      data[t].ids = g_ptr_array_new_with_free_func (g_free);
      threads[t] = g_thread_new ("ids", make_ids_thread, &data[t]);
    }
  for (guint t = 0; t < 4; t++)
    g_thread_join (threads[t]);

  for (guint t = 0; t < 4; t++)
    {
      for (guint i = 0; i < data[t].ids->len; i++)
        {
          const char *id = g_ptr_array_index (data[t].ids, i);

          if (i > 0)
            g_assert_cmpstr (g_ptr_array_index (data[t].ids, i - 1), <, id);
          g_assert_true (g_hash_table_add (seen, (gpointer) id));
        }
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, N_IDS);

  for (guint t = 0; t < 4; t++)
    g_ptr_array_unref (data[t].ids);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/id/format", test_id_format);
  g_test_add_func ("/core/id/timestamp", test_id_timestamp);
  g_test_add_func ("/core/id/ordered-unique", test_id_ordered_unique);
  g_test_add_func ("/core/id/threads", test_id_threads);
  return g_test_run ();
}
