/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "cn-criteria-chart.h"
#include "cn-delegations-view.h"
#include "cn-error.h"
#include "cn-record-editor.h"
#include "cn-store.h"

/* The workflow's writes, through the widgets' own entry points, against a real store file:
 * a form saves a working session; a task moves and leaves a task_event; all of it durable
 * (read back through a second connection, as another process would). */

#define TIEN_LOC "69b5ec52-f2ae-5031-b61a-c092a3fed82a"
#define TASK "cbf6c46d-31e7-5aad-824b-3d412b10b081"
#define THUONG_LOC "64cae3b7-bd9d-5bc3-9576-bcf7fbd541ab"
#define CAN_LOC "658abefd-6717-54bf-88f9-704df92b00ff"

typedef struct
{
  char              *dir;
  char              *path;
  CnStore           *store;
  CnDelegationsView *view;
} Fixture;

static void
load_sample (CnStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (g_getenv ("CAUNOI_SOURCE_DIR"), "data", "sample",
                                            "caunoi-sample.json", NULL);
  g_autofree char *json = NULL;
  gsize len = 0;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) records = NULL;

  g_assert_true (g_file_get_contents (file, &json, &len, &error));
  node = cn_json_parse_checked (json, len, &error);
  g_assert_no_error (error);
  records = cn_record_array_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_true (cn_store_load_sample (store, records, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("caunoi-workflow-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "caunoi.db", NULL);
  f->store = cn_store_open (f->path, &error);
  g_assert_no_error (error);
  load_sample (f->store);
  f->view = g_object_ref_sink (g_object_new (CN_TYPE_DELEGATIONS_VIEW, "store", f->store, NULL));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  g_clear_object (&f->view);
  g_clear_object (&f->store);
  g_remove (f->path);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* What another process sees. */
static CnRecord *
read_back (Fixture    *f,
           const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnStore) other = cn_store_open (f->path, &error);
  CnRecord *record;

  g_assert_no_error (error);
  record = cn_store_get (other, id, &error);
  g_assert_no_error (error);
  return record;
}

static guint
count_events (Fixture    *f,
              const char *task_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnStore) other = cn_store_open (f->path, &error);
  g_autoptr(CnQuery) query = cn_query_new ("task_event");
  g_autoptr(GPtrArray) events = NULL;

  g_assert_no_error (error);
  cn_query_add_filter (query, "task_id", CN_QUERY_EQ, task_id);
  events = cn_store_query (other, query, 0, 1000, &error);
  g_assert_no_error (error);
  return events->len;
}

static void
test_move_task (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnRecord) task = cn_store_get (f->store, TASK, &error);
  g_autoptr(CnRecord) moved = NULL;
  g_autoptr(CnRecord) done = NULL;
  guint before = count_events (f, TASK);

  g_assert_no_error (error);
  g_assert_cmpstr (cn_record_get_string (task, "status"), ==, "open");

  g_assert_true (cn_delegations_view_move_task (f->view, task, "in_progress", "Bắt đầu", &error));
  g_assert_no_error (error);
  moved = read_back (f, TASK);
  g_assert_cmpstr (cn_record_get_string (moved, "status"), ==, "in_progress");
  g_assert_cmpuint (count_events (f, TASK), ==, before + 1);

  g_assert_true (cn_delegations_view_move_task (f->view, moved, "done", NULL, &error));
  g_assert_no_error (error);
  done = read_back (f, TASK);
  g_assert_cmpstr (cn_record_get_string (done, "status"), ==, "done");
  g_assert_cmpuint (count_events (f, TASK), ==, before + 2);

  /* A viewer may not move it. */
  cn_delegations_view_set_user (f->view, "viewer", NULL);
  g_assert_false (cn_delegations_view_move_task (f->view, done, "open", NULL, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_FORBIDDEN);
  g_clear_object (&done);
  done = read_back (f, TASK);
  g_assert_cmpstr (cn_record_get_string (done, "status"), ==, "done");
}

static gboolean
save_visit_cb (CnRecordEditor  *editor,
               CnRecord        *record,
               JsonObject      *data,
               gpointer         user_data,
               GError         **error)
{
  Fixture *f = user_data;
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(CnRecord) saved = cn_store_put (f->store, "visit", id, data, error);

  if (saved == NULL)
    return FALSE;
  g_object_set_data_full (G_OBJECT (editor), "saved-id", g_strdup (id), g_free);
  return TRUE;
}

static void
test_form_then_move (Fixture       *f,
                     gconstpointer  data)
{
  CnRecordEditor *editor = cn_record_editor_new ("visit", NULL);
  g_autoptr(JsonNode) commune = json_node_init_string (json_node_alloc (), TIEN_LOC);
  g_autoptr(JsonNode) date = json_node_init_string (json_node_alloc (), "2015-07-02");
  g_autoptr(GError) error = NULL;
  g_autoptr(CnRecord) task = NULL;
  g_autoptr(CnRecord) moved = NULL;
  g_autoptr(CnRecord) visit = NULL;
  g_autofree char *visit_id = NULL;

  g_autoptr(GListStore) communes = g_list_store_new (CN_TYPE_RECORD);
  g_autoptr(CnRecord) tien_loc = cn_store_get (f->store, TIEN_LOC, NULL);

  g_object_ref_sink (editor);
  g_list_store_append (communes, tien_loc);
  cn_record_editor_set_choices (editor, "commune_id", G_LIST_MODEL (communes));
  cn_record_editor_set_value (editor, "commune_id", commune);
  cn_record_editor_set_value (editor, "date", date);
  cn_record_editor_set_save_func (editor, save_visit_cb, f, NULL);
  g_assert_true (cn_record_editor_save (editor));
  visit_id = g_strdup (g_object_get_data (G_OBJECT (editor), "saved-id"));
  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);

  visit = read_back (f, visit_id);
  g_assert_nonnull (visit);
  g_assert_cmpstr (cn_record_get_string (visit, "date"), ==, "2015-07-02");

  task = cn_store_get (f->store, TASK, &error);
  g_assert_true (cn_delegations_view_move_task (f->view, task, "in_progress", NULL, &error));
  g_assert_no_error (error);
  moved = read_back (f, TASK);
  g_assert_cmpstr (cn_record_get_string (moved, "status"), ==, "in_progress");
}

static CnRecordEditor *
find_editor (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (CN_IS_RECORD_EDITOR (window))
        return CN_RECORD_EDITOR (window);
    }
  return NULL;
}

static void
test_permissions (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  g_autoptr(CnDelegationsView) scoped = NULL;
  g_autoptr(CnRecord) visit = NULL;
  g_autoptr(GPtrArray) visits = NULL;
  CnRecordEditor *editor;

  /* Nobody signed in: local-only mode, everything allowed. */
  g_assert_true (cn_delegations_view_can_write (f->view, "visit", TIEN_LOC, &why));
  g_assert_null (why);

  /* Staff of the district may work in its communes. */
  cn_delegations_view_set_user (f->view, "staff", CAN_LOC);
  g_assert_true (cn_delegations_view_can_write (f->view, "visit", TIEN_LOC, NULL));

  /* Staff of another commune may read Tiến Lộc but not change it, and is told why. The
   * rights come from the store, where the sync client records them at login. */
  g_assert_true (cn_store_set_meta (f->store, CN_DELEGATIONS_META_ROLE, "staff", &error));
  g_assert_true (cn_store_set_meta (f->store, CN_DELEGATIONS_META_SCOPE_UNIT, THUONG_LOC, &error));
  g_assert_no_error (error);
  scoped = g_object_ref_sink (g_object_new (CN_TYPE_DELEGATIONS_VIEW, "store", f->store, NULL));
  g_assert_false (cn_delegations_view_can_write (scoped, "visit", TIEN_LOC, &why));
  g_assert_nonnull (why);
  g_assert_nonnull (strstr (why, "Tiến Lộc"));
  g_assert_nonnull (strstr (why, "Thượng Lộc"));
  g_clear_pointer (&why, g_free);
  g_assert_true (cn_delegations_view_can_write (scoped, "visit", THUONG_LOC, NULL));

  /* Staff may not write reference collections such as units. */
  g_assert_false (cn_delegations_view_can_write (scoped, "unit", THUONG_LOC, &why));
  g_assert_nonnull (why);
  g_clear_pointer (&why, g_free);

  /* A viewer gets read-only forms with the reason. */
  cn_delegations_view_set_user (f->view, "viewer", CAN_LOC);
  g_assert_false (cn_delegations_view_can_write (f->view, "visit", TIEN_LOC, &why));
  g_assert_nonnull (why);
  visits = cn_delegations_list (f->store, "visit", "commune_id", TIEN_LOC, "date", FALSE);
  g_assert_cmpuint (visits->len, >, 0);
  visit = g_object_ref (g_ptr_array_index (visits, 0));
  cn_delegations_view_edit (f->view, "visit", visit, NULL);
  editor = find_editor ();
  g_assert_nonnull (editor);
  g_assert_true (cn_record_editor_get_read_only (editor));
  g_assert_false (cn_record_editor_save (editor));
  gtk_window_destroy (GTK_WINDOW (editor));
}

static void
test_editor_dates (void)
{
  struct { const char *typed; const char *iso; } cases[] = {
    { "06/06/2015", "2015-06-06" },
    { "6/6/2015", "2015-06-06" },
    { " 29/02/2016 ", "2016-02-29" },
    { "2015-06-06", "2015-06-06" },
    { "06.06.2015", "2015-06-06" },
    { "31/02/2015", NULL },
    { "29/02/2015", NULL },
    { "06/06/15", NULL },
    { "06/13/2015", NULL },
    { "hôm nay", NULL },
    { "", NULL },
    { "06/06/2015 x", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *iso = cn_record_editor_parse_date (cases[i].typed);

      g_assert_cmpstr (iso, ==, cases[i].iso);
    }
  {
    g_autofree char *shown = cn_record_editor_format_date ("2015-06-06");
    g_assert_cmpstr (shown, ==, "06/06/2015");
  }
}

static void
test_editor_inline_errors (Fixture       *f,
                           gconstpointer  data)
{
  CnRecordEditor *editor = g_object_ref_sink (cn_record_editor_new ("visit", NULL));
  g_autoptr(JsonNode) bad_date = json_node_init_string (json_node_alloc (), "2015-02-31");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) collected = NULL;

  /* No commune (required) and a date that is no day: both refused, with the field named. */
  cn_record_editor_set_value (editor, "date", bad_date);
  collected = cn_record_editor_collect (editor, &error);
  g_assert_null (collected);
  g_assert_error (error, CN_ERROR, CN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Commune"));
  g_assert_false (cn_record_editor_save (editor));

  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);
}

static void
test_chart (void)
{
  CnCriteriaChart *chart = CN_CRITERIA_CHART (g_object_ref_sink (cn_criteria_chart_new ()));
  g_autofree char *empty = cn_criteria_chart_describe (chart);
  g_autofree char *described = NULL;
  int one = 0, three = 0;

  g_assert_cmpstr (empty, ==, "No criteria assessed yet");
  cn_criteria_chart_add_commune (chart, "Tiến Lộc", 15, 19);
  gtk_widget_measure (GTK_WIDGET (chart), GTK_ORIENTATION_VERTICAL, -1, &one, NULL, NULL, NULL);
  cn_criteria_chart_add_commune (chart, "Thượng Lộc", 0, 19);
  /* More met than exist is clamped: a bar never runs past its end. */
  cn_criteria_chart_add_commune (chart, "Kim Lộc", 25, 19);
  gtk_widget_measure (GTK_WIDGET (chart), GTK_ORIENTATION_VERTICAL, -1, &three, NULL, NULL, NULL);
  g_assert_cmpint (three, >, 2 * one);
  g_assert_cmpuint (cn_criteria_chart_get_n_bars (chart), ==, 3);

  described = cn_criteria_chart_describe (chart);
  g_assert_nonnull (strstr (described, "Tiến Lộc 15 of 19;"));
  g_assert_nonnull (strstr (described, "Thượng Lộc 0 of 19;"));
  g_assert_nonnull (strstr (described, "Kim Lộc 19 of 19;"));

  cn_criteria_chart_clear (chart);
  g_assert_cmpuint (cn_criteria_chart_get_n_bars (chart), ==, 0);
  g_object_unref (chart);
}

/* The window adapts down to 360 px wide: the section must not ask for more. */
static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  int minimum = 0;

  gtk_widget_measure (GTK_WIDGET (f->view), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("minimum width %d", minimum);
  g_assert_cmpint (minimum, <=, 360);
}

int
main (int argc, char **argv)
{
  /* Forms open windows; this test needs no accessibility bus (the AT-SPI test does). */
  g_setenv ("GTK_A11Y", "none", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/workflow/move-task", Fixture, NULL, fixture_set_up, test_move_task, fixture_tear_down);
  g_test_add ("/workflow/form-then-move", Fixture, NULL, fixture_set_up, test_form_then_move,
              fixture_tear_down);

  g_test_add ("/workflow/permissions", Fixture, NULL, fixture_set_up, test_permissions,
              fixture_tear_down);
  g_test_add ("/workflow/editor-inline-errors", Fixture, NULL, fixture_set_up,
              test_editor_inline_errors, fixture_tear_down);
  g_test_add ("/workflow/narrow", Fixture, NULL, fixture_set_up, test_narrow, fixture_tear_down);
  g_test_add_func ("/workflow/editor-dates", test_editor_dates);
  g_test_add_func ("/workflow/chart", test_chart);

  return g_test_run ();
}
