/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "cn-criteria-chart.h"
#include "cn-delegations-view.h"
#include "cn-error.h"
#include "cn-record-editor.h"
#include "cn-store.h"
#include "cn-test-store.h"
#include "cn-workflow-reader.h"

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
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->store = cn_test_store_new_sample ("workflow", &f->dir, &f->path);
  f->view = g_object_ref_sink (g_object_new (CN_TYPE_DELEGATIONS_VIEW, "store", f->store, NULL));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->view);
  g_clear_object (&f->store);
  cn_test_store_remove (f->dir, f->path);
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

/* The task's events, read back through a second connection. */
static GPtrArray *
events_of (Fixture    *f,
           const char *task_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnStore) other = cn_store_open (f->path, &error);
  g_autoptr(CnQuery) query = cn_query_new ("task_event");
  GPtrArray *events;

  g_assert_no_error (error);
  cn_query_add_filter (query, "task_id", CN_QUERY_EQ, task_id);
  events = cn_store_query (other, query, 0, 1000, &error);
  g_assert_no_error (error);
  return events;
}

static guint
count_events (Fixture    *f,
              const char *task_id)
{
  g_autoptr(GPtrArray) events = events_of (f, task_id);

  return events->len;
}

/* The status the task's move to @to_status says it came from. */
static char *
moved_from (Fixture    *f,
            const char *task_id,
            const char *to_status)
{
  g_autoptr(GPtrArray) events = events_of (f, task_id);

  for (guint i = 0; i < events->len; i++)
    {
      CnRecord *event = g_ptr_array_index (events, i);

      if (g_strcmp0 (cn_record_get_string (event, "to_status"), to_status) == 0)
        return g_strdup (cn_record_get_string (event, "from_status"));
    }
  g_assert_not_reached ();
}

static void
test_move_task (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnRecord) task = cn_store_get (f->store, TASK, &error);
  g_autoptr(CnRecord) moved = NULL;
  g_autoptr(CnRecord) done = NULL;
  g_autofree char *from = NULL;
  guint before = count_events (f, TASK);

  g_assert_no_error (error);
  g_assert_cmpstr (cn_record_get_string (task, "status"), ==, "open");

  g_assert_true (cn_delegations_view_move_task (f->view, task, "in_progress", "Bắt đầu", &error));
  g_assert_no_error (error);
  moved = read_back (f, TASK);
  g_assert_cmpstr (cn_record_get_string (moved, "status"), ==, "in_progress");
  g_assert_cmpuint (count_events (f, TASK), ==, before + 1);

  /* Moved again from the card as it was before the first move (a board a moment behind):
   * the event says where the task really came from. */
  g_assert_true (cn_delegations_view_move_task (f->view, task, "done", NULL, &error));
  g_assert_no_error (error);
  done = read_back (f, TASK);
  g_assert_cmpstr (cn_record_get_string (done, "status"), ==, "done");
  g_assert_cmpuint (count_events (f, TASK), ==, before + 2);
  from = moved_from (f, TASK, "done");
  g_assert_cmpstr (from, ==, "in_progress");

  /* Moving it where it already is records nothing. */
  g_assert_true (cn_delegations_view_move_task (f->view, moved, "done", NULL, &error));
  g_assert_no_error (error);
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

/* Attachments: a file added to a working session's form lands in the file cache and in the
 * saved record (and so in the outbox, for the sync to upload); removing it saves too. */

static void
attach_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GError **error = user_data;

  if (!cn_record_editor_add_attachment_finish (CN_RECORD_EDITOR (source), result, error))
    g_assert_nonnull (*error);
  else
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NONE, "done");
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static JsonObject *
outbox_data (Fixture    *f,
             const char *id,
             guint      *n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = cn_store_list_outbox (f->store, FALSE, 1000, &error);
  JsonObject *data = NULL;

  g_assert_no_error (error);
  *n = 0;
  for (guint i = 0; i < entries->len; i++)
    {
      CnOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (g_strcmp0 (entry->id, id) == 0)
        {
          (*n)++;
          g_clear_pointer (&data, json_object_unref);
          data = entry->data != NULL ? json_object_ref (entry->data) : NULL;
        }
    }
  return data;
}

static void
test_attachments (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) defaults = json_object_new ();
  g_autofree char *source = g_build_filename (f->dir, "biên bản họp.pdf", NULL);
  const char content[] = "%PDF-1.4\nBiên bản làm việc tại xã Tiến Lộc\n%%EOF\n";
  g_autofree char *expected_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, content, -1);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) missing = NULL;
  g_autofree char *files_dir = cn_store_dup_files_dir (f->store);
  g_autofree char *cached = NULL;
  g_autofree char *cached_bytes = NULL;
  gsize cached_len = 0;
  g_autoptr(CnRecord) visit = NULL;
  g_autoptr(CnRecord) after = NULL;
  g_autoptr(JsonObject) queued = NULL;
  g_autofree char *id = NULL;
  CnRecordEditor *editor;
  GError *result = NULL;
  JsonArray *attachments;
  JsonObject *attachment;
  GtkWidget *remove_button;
  guint n = 0;

  g_assert_true (g_file_set_contents (source, content, -1, &error));
  g_assert_no_error (error);
  file = g_file_new_for_path (source);

  json_object_set_string_member (defaults, "commune_id", TIEN_LOC);
  json_object_set_string_member (defaults, "date", "2015-07-02");
  cn_delegations_view_edit (f->view, "visit", NULL, defaults);
  editor = find_editor ();
  g_assert_nonnull (editor);
  g_assert_nonnull (find_named (GTK_WIDGET (editor), "add-attachment"));

  /* A file that is not there: the form says so and keeps nothing. */
  missing = g_file_new_for_path ("/nonexistent/caunoi/ảnh.jpg");
  cn_record_editor_add_attachment_async (editor, missing, NULL, attach_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (result, CN_ERROR, CN_ERROR_NOT_FOUND);
  g_clear_error (&result);
  g_assert_null (find_named (GTK_WIDGET (editor), "remove-attachment"));

  cn_record_editor_add_attachment_async (editor, file, NULL, attach_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (result, G_IO_ERROR, G_IO_ERROR_NONE);
  g_clear_error (&result);
  g_assert_true (cn_record_editor_get_modified (editor));
  g_assert_nonnull (find_named (GTK_WIDGET (editor), "remove-attachment"));

  g_assert_true (cn_record_editor_save (editor));
  g_assert_null (find_editor ());

  /* The file is in the cache, under its SHA-256, with the same bytes. */
  cached = g_build_filename (files_dir, expected_sha, NULL);
  g_assert_true (g_file_get_contents (cached, &cached_bytes, &cached_len, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (cached_bytes, cached_len, content, strlen (content));

  /* The record holds it, and the outbox has the edit for the sync. */
  {
    g_autoptr(GPtrArray) entries = cn_store_list_outbox (f->store, FALSE, 1000, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < entries->len; i++)
      {
        CnOutboxEntry *entry = g_ptr_array_index (entries, i);

        if (g_strcmp0 (entry->collection, "visit") == 0)
          id = g_strdup (entry->id);
      }
  }
  g_assert_nonnull (id);
  visit = read_back (f, id);
  attachments = json_object_get_array_member (cn_record_get_data (visit), "attachments");
  g_assert_cmpuint (json_array_get_length (attachments), ==, 1);
  attachment = json_array_get_object_element (attachments, 0);
  g_assert_cmpstr (json_object_get_string_member (attachment, "name"), ==, "biên bản họp.pdf");
  g_assert_cmpstr (json_object_get_string_member (attachment, "sha256"), ==, expected_sha);
  g_assert_cmpint (json_object_get_int_member (attachment, "size"), ==, (gint64) strlen (content));
  g_assert_cmpstr (json_object_get_string_member (attachment, "mime"), ==, "application/pdf");
  queued = outbox_data (f, id, &n);
  g_assert_cmpuint (n, >=, 1);
  g_assert_nonnull (queued);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (queued, "attachments")), ==, 1);
  g_clear_pointer (&queued, json_object_unref);

  /* Removing it: the edited record no longer lists it. */
  cn_delegations_view_edit (f->view, "visit", visit, NULL);
  editor = find_editor ();
  g_assert_nonnull (editor);
  remove_button = find_named (GTK_WIDGET (editor), "remove-attachment");
  g_assert_nonnull (remove_button);
  g_signal_emit_by_name (remove_button, "clicked");
  g_assert_null (find_named (GTK_WIDGET (editor), "remove-attachment"));
  g_assert_true (cn_record_editor_get_modified (editor));
  g_assert_true (cn_record_editor_save (editor));
  after = read_back (f, id);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cn_record_get_data (after),
                                                                         "attachments")), ==, 0);
  queued = outbox_data (f, id, &n);
  g_assert_nonnull (queued);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (queued, "attachments")), ==, 0);
  /* The record it was loaded from is not changed behind its back. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cn_record_get_data (visit),
                                                                         "attachments")), ==, 1);

  g_remove (cached);
  g_rmdir (files_dir);
  g_remove (source);
}

/* The same records, in the same order. */
static void
assert_same_records (GPtrArray *read,
                     GPtrArray *expected)
{
  g_assert_nonnull (read);
  g_assert_cmpuint (read->len, ==, expected->len);
  for (guint i = 0; i < read->len; i++)
    g_assert_cmpstr (cn_record_get_id (g_ptr_array_index (read, i)), ==,
                     cn_record_get_id (g_ptr_array_index (expected, i)));
}

static GPtrArray *
query_tasks (Fixture    *f,
             const char *field,
             const char *value)
{
  g_autoptr(CnQuery) query = cn_query_new ("task");
  g_autoptr(GError) error = NULL;
  GPtrArray *records;

  cn_query_add_filter (query, field, CN_QUERY_EQ, value);
  cn_query_set_sort (query, "due_on", FALSE);
  records = cn_store_query (f->store, query, 0, 0, &error);
  g_assert_no_error (error);
  return records;
}

/* What the exports read in their worker thread, on the workflow reader's own connection:
 * a commune's, an owner's, a status's tasks as the store's lists have them; a delegation's
 * sessions up to a date; names as the widgets give them. */
static void
test_reader_exports (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnWorkflowReader) reader = cn_workflow_reader_open (f->path, &error);
  g_autoptr(CnRecord) task = cn_store_get (f->store, TASK, &error);
  g_autoptr(CnRecord) delegation = NULL;
  g_autoptr(CnRecord) unknown = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GPtrArray) read = NULL;
  g_autoptr(GPtrArray) visits = NULL;
  g_auto(GStrv) communes = NULL;
  g_autofree char *names = NULL;
  g_autofree char *leaders = NULL;
  g_autofree char *nobody = NULL;
  const char *owner;
  CnTaskSelection by_commune = { .commune_id = TIEN_LOC };
  CnTaskSelection by_owner = { 0 };
  CnTaskSelection by_status = { .status = "open" };
  CnTaskSelection unknown_delegation = { .in_delegation = TRUE, .delegation_id = "không-có" };

  g_assert_no_error (error);
  owner = cn_record_get_string (task, "owner_id");
  g_assert_nonnull (owner);
  by_owner.owner_id = owner;

  expected = query_tasks (f, "commune_id", TIEN_LOC);
  g_assert_cmpuint (expected->len, >, 0);
  read = cn_workflow_reader_tasks (reader, &by_commune, &error);
  g_assert_no_error (error);
  assert_same_records (read, expected);
  g_clear_pointer (&expected, g_ptr_array_unref);
  g_clear_pointer (&read, g_ptr_array_unref);

  expected = query_tasks (f, "owner_id", owner);
  read = cn_workflow_reader_tasks (reader, &by_owner, &error);
  g_assert_no_error (error);
  assert_same_records (read, expected);
  g_assert_cmpstr (cn_record_get_string (g_ptr_array_index (read, 0), "owner_id"), ==, owner);
  g_clear_pointer (&expected, g_ptr_array_unref);
  g_clear_pointer (&read, g_ptr_array_unref);

  expected = query_tasks (f, "status", "open");
  read = cn_workflow_reader_tasks (reader, &by_status, &error);
  g_assert_no_error (error);
  assert_same_records (read, expected);
  g_clear_pointer (&read, g_ptr_array_unref);

  /* A delegation that is not there has no communes, hence no tasks. */
  read = cn_workflow_reader_tasks (reader, &unknown_delegation, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (read->len, ==, 0);

  /* The first delegation's sessions up to mid-2015: those naming it, and those in its
   * communes naming none, by date. */
  delegation = cn_workflow_reader_get (reader, "48867ac0-3334-53bc-9099-55420d0faed9", &error);
  g_assert_no_error (error);
  g_assert_nonnull (delegation);
  g_assert_cmpstr (cn_record_get_collection (delegation), ==, "delegation");
  communes = cn_record_dup_strv (delegation, "commune_ids");
  visits = cn_workflow_reader_sessions (reader, cn_record_get_id (delegation), "2015-06-30", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (visits->len, >, 0);
  for (guint i = 0; i < visits->len; i++)
    {
      CnRecord *visit = g_ptr_array_index (visits, i);
      const char *named = cn_record_get_string (visit, "delegation_id");

      g_assert_true (g_strcmp0 (named, cn_record_get_id (delegation)) == 0
                     || (named == NULL && g_strv_contains ((const char * const *) communes,
                                                           cn_record_get_string (visit, "commune_id"))));
      g_assert_cmpstr (cn_record_get_string (visit, "date"), <=, "2015-06-30");
      if (i > 0)
        g_assert_cmpstr (cn_record_get_string (g_ptr_array_index (visits, i - 1), "date"), <=,
                         cn_record_get_string (visit, "date"));
    }

  /* Names as the widgets give them; nothing for an unknown record. */
  leaders = cn_delegations_names_of (f->store, delegation, "leader_ids");
  names = cn_workflow_reader_dup_names (reader, delegation, "leader_ids");
  g_assert_cmpstr (names, !=, "");
  g_assert_cmpstr (names, ==, leaders);
  unknown = cn_workflow_reader_get (reader, "không-có", &error);
  g_assert_no_error (error);
  g_assert_null (unknown);
  nobody = cn_workflow_reader_dup_title (reader, "không-có");
  g_assert_cmpstr (nobody, ==, "");
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
  g_test_add ("/workflow/attachments", Fixture, NULL, fixture_set_up, test_attachments,
              fixture_tear_down);
  g_test_add ("/workflow/narrow", Fixture, NULL, fixture_set_up, test_narrow, fixture_tear_down);
  g_test_add ("/workflow/reader-exports", Fixture, NULL, fixture_set_up, test_reader_exports,
              fixture_tear_down);
  g_test_add_func ("/workflow/editor-dates", test_editor_dates);
  g_test_add_func ("/workflow/chart", test_chart);

  return g_test_run ();
}
