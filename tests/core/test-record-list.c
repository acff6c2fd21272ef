/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "caunoi-core.h"
#include "store-test-util.h"

#define N_ARTICLES 700

typedef struct {
  guint position;
  guint removed;
  guint added;
} Change;

static void
record_change (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

static char *
put_article (CnStore *store,
             guint    day,
             const char *category)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) start = g_date_time_new_utc (2010, 1, 1, 8, 0, 0);
  g_autoptr(GDateTime) when = g_date_time_add_days (start, (int) day);
  g_autofree char *published = g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *json = g_strdup_printf ("{\"title\": \"Tin số %u\", \"category\": \"%s\", "
                                           "\"published_at\": \"%s\"}",
                                           day, category, published);
  g_autoptr(CnRecord) record = put_json (store, "article", NULL, json, &error);

  g_assert_no_error (error);
  return g_strdup (cn_record_get_id (record));
}

static const char *
title_at (GListModel *model,
          guint       position)
{
  g_autoptr(CnRecord) record = g_list_model_get_item (model, position);
  static char buf[64];

  g_assert_nonnull (record);
  g_strlcpy (buf, cn_record_get_string (record, "title"), sizeof buf);
  return buf;
}

static void
test_paging (StoreFixture  *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnQuery) query = cn_query_new ("article");
  g_autoptr(CnRecordList) list = NULL;
  GListModel *model;

  g_assert_true (cn_store_begin (fixture->store, &error));
  for (guint i = 0; i < N_ARTICLES; i++)
    g_free (put_article (fixture->store, i, i % 3 == 0 ? "NTM" : "OCOP"));
  g_assert_true (cn_store_commit (fixture->store, &error));

  list = cn_record_list_new (fixture->store, query);
  model = G_LIST_MODEL (list);
  g_assert_true (g_list_model_get_item_type (model) == CN_TYPE_RECORD);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_ARTICLES);

  /* Nothing is built before it is asked for. */
  g_assert_cmpuint (cn_record_list_get_n_cached (list), ==, 0);

  /* Newest first (by published_at, the collection's date). */
  g_assert_cmpstr (title_at (model, 0), ==, "Tin số 699");
  g_assert_cmpstr (title_at (model, N_ARTICLES - 1), ==, "Tin số 0");
  g_assert_cmpstr (title_at (model, 150), ==, "Tin số 549");
  g_assert_null (g_list_model_get_item (model, N_ARTICLES));

  /* Walking the whole list keeps only a few pages of objects. */
  for (guint i = 0; i < N_ARTICLES; i++)
    {
      g_autoptr(CnRecord) record = g_list_model_get_item (model, i);
      g_autofree char *expected = g_strdup_printf ("Tin số %u", N_ARTICLES - 1 - i);

      g_assert_cmpstr (cn_record_get_string (record, "title"), ==, expected);
    }
  g_assert_cmpuint (cn_record_list_get_n_cached (list), <=,
                    CN_RECORD_LIST_PAGE_SIZE * CN_RECORD_LIST_MAX_PAGES);
  g_assert_cmpuint (cn_record_list_get_n_cached (list), <, N_ARTICLES);
}

static void
test_filter_and_sort (StoreFixture  *fixture,
                      gconstpointer  data)
{
  g_autoptr(CnQuery) query = cn_query_new ("article");
  g_autoptr(CnRecordList) list = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autofree char *id = NULL;

  for (guint i = 0; i < 30; i++)
    g_free (put_article (fixture->store, i, i % 3 == 0 ? "NTM" : "OCOP"));
  id = put_article (fixture->store, 100, "NTM");
  drain_main_context ();

  cn_query_add_filter (query, "category", CN_QUERY_EQ, "NTM");
  list = cn_record_list_new (fixture->store, query);
  g_signal_connect (list, "items-changed", G_CALLBACK (record_change), changes);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 11);
  g_assert_cmpuint (cn_record_list_find (list, id), ==, 0);

  cn_query_set_sort (query, "title", FALSE);
  cn_record_list_set_query (list, query);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpstr (title_at (G_LIST_MODEL (list), 0), ==, "Tin số 0");

  cn_query_clear_filters (query);
  cn_query_set_search (query, "tin so 27");
  cn_record_list_set_query (list, query);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);

  /* The local unread mark filters too. */
  cn_query_set_search (query, NULL);
  cn_query_add_filter (query, "read", CN_QUERY_EQ, "0");
  cn_record_list_set_query (list, query);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 31);
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (cn_store_set_read (fixture->store, id, TRUE, &error));
    g_assert_no_error (error);
    g_assert_true (cn_store_get_read (fixture->store, id));
    drain_main_context ();
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 30);
    g_assert_cmpuint (cn_record_list_find (list, id), ==, G_MAXUINT);
  }
  cn_query_clear_filters (query);

  /* A bad query empties the list and says why. */
  cn_query_set_search (query, NULL);
  cn_query_add_filter (query, "colour", CN_QUERY_EQ, "red");
  cn_record_list_set_query (list, query);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_error ((GError *) cn_record_list_get_error (list), CN_ERROR, CN_ERROR_UNKNOWN_FIELD);
}

static void
test_items_changed (StoreFixture  *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnQuery) query = cn_query_new ("article");
  g_autoptr(CnRecordList) list = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(CnRecord) edited = NULL;
  g_autofree char *middle = NULL;
  g_autofree char *newest = NULL;
  GListModel *model;
  Change *change;

  for (guint i = 0; i < 100; i++)
    {
      char *id = put_article (fixture->store, i, "NTM");

      if (i == 50)
        middle = id;
      else
        g_free (id);
    }
  drain_main_context ();

  list = cn_record_list_new (fixture->store, query);
  model = G_LIST_MODEL (list);
  g_signal_connect (list, "items-changed", G_CALLBACK (record_change), changes);
  g_assert_cmpstr (title_at (model, 49), ==, "Tin số 50");

  /* A new newest article: inserted at the top, after the main loop ran. */
  newest = put_article (fixture->store, 200, "NTM");
  g_assert_cmpuint (changes->len, ==, 0);
  drain_main_context ();
  g_assert_cmpuint (changes->len, ==, 1);
  change = &g_array_index (changes, Change, 0);
  g_assert_cmpuint (change->position, ==, 0);
  g_assert_cmpuint (change->removed, ==, 0);
  g_assert_cmpuint (change->added, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 101);
  g_assert_cmpstr (title_at (model, 0), ==, "Tin số 200");
  g_array_set_size (changes, 0);

  /* An edit that keeps the order: only that row changes, and shows the new title. */
  edited = patch_json (fixture->store, middle, "{\"title\": \"Tin đã sửa\"}", &error);
  g_assert_no_error (error);
  drain_main_context ();
  g_assert_cmpuint (changes->len, ==, 1);
  change = &g_array_index (changes, Change, 0);
  g_assert_cmpuint (change->position, ==, 50);
  g_assert_cmpuint (change->removed, ==, 1);
  g_assert_cmpuint (change->added, ==, 1);
  g_assert_cmpstr (title_at (model, 50), ==, "Tin đã sửa");
  g_array_set_size (changes, 0);

  /* A delete removes the row. */
  g_assert_true (cn_store_delete (fixture->store, middle, &error));
  drain_main_context ();
  g_assert_cmpuint (changes->len, ==, 1);
  change = &g_array_index (changes, Change, 0);
  g_assert_cmpuint (change->position, ==, 50);
  g_assert_cmpuint (change->removed, ==, 1);
  g_assert_cmpuint (change->added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 100);
  g_array_set_size (changes, 0);

  /* Another collection's change does not touch the list. */
  {
    g_autoptr(CnRecord) task = put_json (fixture->store, "task", NULL,
                                         "{\"title\": \"x\", \"status\": \"open\"}", &error);

    g_assert_no_error (error);
    g_assert_nonnull (task);
    drain_main_context ();
    g_assert_cmpuint (changes->len, ==, 0);
  }
}

static void
quit_when_grown (GListModel *model,
                 guint       position,
                 guint       removed,
                 guint       added,
                 GMainLoop  *loop)
{
  if (added > removed)
    g_main_loop_quit (loop);
}

static gboolean
give_up (gpointer user_data)
{
  g_error ("The long list never showed the new article");
  return G_SOURCE_REMOVE;
}

static void
test_long_list_follows (StoreFixture  *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnQuery) query = cn_query_new ("task");
  g_autoptr(CnRecordList) list = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  guint n = 6000;
  guint timeout;

  /* Longer than the list reloads at once: the change may come a little later. */
  g_assert_true (cn_store_begin (fixture->store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CnRecord) task = put_json (fixture->store, "task", NULL,
                                           "{\"title\": \"Việc\", \"status\": \"open\", "
                                           "\"due_on\": \"2015-01-01\"}", &error);

      g_assert_no_error (error);
      g_assert_nonnull (task);
    }
  g_assert_true (cn_store_commit (fixture->store, &error));
  drain_main_context ();

  list = cn_record_list_new (fixture->store, query);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);
  g_signal_connect (list, "items-changed", G_CALLBACK (quit_when_grown), loop);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(CnRecord) task = put_json (fixture->store, "task", NULL,
                                           "{\"title\": \"Việc mới\", \"status\": \"open\", "
                                           "\"due_on\": \"2016-01-01\"}", &error);

      g_assert_no_error (error);
      g_assert_nonnull (task);
      timeout = g_timeout_add_seconds (30, give_up, NULL);
      g_main_loop_run (loop);
      g_source_remove (timeout);
      drain_main_context ();
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n + i + 1);
      g_assert_cmpstr (title_at (G_LIST_MODEL (list), 0), ==, "Việc mới");
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/record-list/" name, StoreFixture, NULL, store_fixture_set_up, func, \
              store_fixture_tear_down)

  ADD ("paging", test_paging);
  ADD ("filter-and-sort", test_filter_and_sort);
  ADD ("items-changed", test_items_changed);
  ADD ("long-list-follows", test_long_list_follows);

  return g_test_run ();
}
