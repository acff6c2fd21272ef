/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>
#include <gtk/gtk.h>

#include "cn-csv.h"
#include "cn-delegations-view.h"
#include "cn-error.h"
#include "cn-district-overview.h"
#include "cn-record-editor.h"
#include "cn-schema.h"
#include "cn-store.h"
#include "cn-test-store.h"
#include "cn-task-board.h"
#include "cn-time.h"

/* The Delegations section on a store big enough for its lazy parts to matter: a few
 * thousand tasks, working sessions and assessments over the sample district's communes.
 * The overview's counts (summed in SQL in a worker thread) and the task board's columns
 * (lazy lists) must show what walking every record says, also after a filter and a move.
 * The report's PDF and the board's CSV exports are read and saved in a worker thread: the
 * files hold what walking every record says, and appear only through the main loop. */

#define N_TASKS 3000
#define N_VISITS 600
#define N_FORM_VISITS 3000   /* sessions a task's form offers as its source */
#define TIEN_LOC "69b5ec52-f2ae-5031-b61a-c092a3fed82a"

static const char * const statuses[] = { "proposed", "open", "in_progress", "done", "dropped" };

typedef struct
{
  char              *dir;
  char              *path;
  CnStore           *store;
  GtkWidget         *window;
  CnDelegationsView *view;
  GPtrArray         *communes;   /* CnRecord */
} Fixture;

static GPtrArray *
list_all (CnStore    *store,
          const char *collection,
          const char *sort)
{
  g_autoptr(CnQuery) query = cn_query_new (collection);
  g_autoptr(GError) error = NULL;
  GPtrArray *records;

  if (sort != NULL)
    cn_query_set_sort (query, sort, FALSE);
  records = cn_store_query (store, query, 0, 0, &error);
  g_assert_no_error (error);
  return records;
}

static void
put (CnStore    *store,
     const char *collection,
     JsonObject *data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(CnRecord) record = cn_store_put (store, collection, id, data, &error);

  g_assert_no_error (error);
  g_assert_nonnull (record);
}

/* Tasks of every status, some overdue, some with no due date or owner; sessions; two
 * assessments of every criterion of most communes, the later one deciding. */
static void
generate (Fixture *f)
{
  g_autoptr(GPtrArray) people = list_all (f->store, "person", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sets = list_all (f->store, "criteria_set", NULL);
  const char *set_id = cn_record_get_id (g_ptr_array_index (sets, 0));

  g_assert_true (cn_store_begin (f->store, &error));
  for (guint i = 0; i < N_TASKS; i++)
    {
      g_autoptr(JsonObject) data = json_object_new ();
      CnRecord *commune = g_ptr_array_index (f->communes, (i * 7) % f->communes->len);
      g_autofree char *title = g_strdup_printf ("Nhiệm vụ thử số %04u", i);

      json_object_set_string_member (data, "title", title);
      json_object_set_string_member (data, "commune_id", cn_record_get_id (commune));
      json_object_set_string_member (data, "status", statuses[i % G_N_ELEMENTS (statuses)]);
      if (i % 4 != 3)
        {
          /* Half of them long past, half far ahead. */
          g_autofree char *due = g_strdup_printf ("%04u-%02u-%02u", i % 2 ? 2016 : 2090,
                                                  1 + i % 12, 1 + i % 28);
          json_object_set_string_member (data, "due_on", due);
        }
      if (i % 3 == 0)
        json_object_set_string_member (data, "owner_id",
                                       cn_record_get_id (g_ptr_array_index (people, i % people->len)));
      put (f->store, "task", data);
    }
  for (guint i = 0; i < N_VISITS; i++)
    {
      g_autoptr(JsonObject) data = json_object_new ();
      CnRecord *commune = g_ptr_array_index (f->communes, (i * 5) % f->communes->len);
      g_autofree char *date = g_strdup_printf ("%04u-%02u-%02u", 2010 + i % 9, 1 + i % 12, 1 + i % 28);

      g_autofree char *conclusions = g_strdup_printf ("Kết luận thử số %04u", i);

      json_object_set_string_member (data, "commune_id", cn_record_get_id (commune));
      json_object_set_string_member (data, "date", date);
      json_object_set_string_member (data, "conclusions", conclusions);
      put (f->store, "visit", data);
    }
  for (guint c = 0; c + 2 < f->communes->len; c++)
    for (guint code = 1; code <= 19; code++)
      for (guint round = 0; round < 2; round++)
        {
          g_autoptr(JsonObject) data = json_object_new ();
          g_autofree char *criterion = g_strdup_printf ("%u", code);
          static const char * const values[] = { "met", "in_progress", "not_met" };

          json_object_set_string_member (data, "commune_id",
                                         cn_record_get_id (g_ptr_array_index (f->communes, c)));
          json_object_set_string_member (data, "criteria_set_id", set_id);
          json_object_set_string_member (data, "criterion_code", criterion);
          json_object_set_string_member (data, "status", values[(c + code + round) % 3]);
          json_object_set_string_member (data, "assessed_on", round ? "2019-06-01" : "2018-06-01");
          put (f->store, "assessment", data);
        }
  g_assert_true (cn_store_commit (f->store, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) units = NULL;

  f->store = cn_test_store_new_sample ("scale", &f->dir, &f->path);

  units = list_all (f->store, "unit", "title");
  f->communes = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < units->len; i++)
    {
      const char *kind = cn_record_get_string (g_ptr_array_index (units, i), "kind");

      if (g_strcmp0 (kind, "commune") == 0 || g_strcmp0 (kind, "town") == 0)
        g_ptr_array_add (f->communes, g_object_ref (g_ptr_array_index (units, i)));
    }
  g_assert_cmpuint (f->communes->len, >, 10);
  generate (f);

  f->view = g_object_new (CN_TYPE_DELEGATIONS_VIEW, "store", f->store, NULL);
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 700);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_pointer (&f->communes, g_ptr_array_unref);
  g_clear_object (&f->store);
  cn_test_store_remove (f->dir, f->path);
  g_free (f->path);
  g_free (f->dir);
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type,
           guint      nth)
{
  g_autoptr(GQueue) queue = g_queue_new ();
  guint seen = 0;

  g_queue_push_tail (queue, widget);
  while (!g_queue_is_empty (queue))
    {
      GtkWidget *w = g_queue_pop_head (queue);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && seen++ == nth)
        return w;
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_queue_push_tail (queue, c);
    }
  return NULL;
}

#define wait_until cn_test_wait_until

static gboolean
view_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
overview_ready (gpointer data)
{
  return !cn_district_overview_is_loading (CN_DISTRICT_OVERVIEW (data));
}

static gboolean
board_ready (gpointer data)
{
  return !cn_task_board_is_loading (CN_TASK_BOARD (data));
}

/* What walking every task says: open (neither done nor dropped) and overdue tasks of a
 * commune, or of all when commune is NULL; by status when status is given. */
static guint
count_tasks (Fixture    *f,
             const char *commune,
             const char *status,
             gboolean    overdue_only)
{
  g_autoptr(GPtrArray) tasks = list_all (f->store, "task", NULL);
  g_autofree char *today = cn_time_today ();
  guint n = 0;

  for (guint i = 0; i < tasks->len; i++)
    {
      CnRecord *task = g_ptr_array_index (tasks, i);
      const char *s = cn_record_get_string (task, "status");

      if (commune != NULL && g_strcmp0 (cn_record_get_string (task, "commune_id"), commune) != 0)
        continue;
      if (status != NULL ? g_strcmp0 (s, status) != 0
                         : (g_strcmp0 (s, "done") == 0 || g_strcmp0 (s, "dropped") == 0))
        continue;
      if (overdue_only && !cn_delegations_task_is_overdue (task, today))
        continue;
      n++;
    }
  return n;
}

/* Criteria whose latest assessment says "met". */
static guint
count_met (Fixture    *f,
           const char *commune)
{
  g_autoptr(GPtrArray) assessments = list_all (f->store, "assessment", "assessed_on");
  g_autoptr(GHashTable) latest = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  for (guint i = 0; i < assessments->len; i++)
    {
      CnRecord *a = g_ptr_array_index (assessments, i);

      if (g_strcmp0 (cn_record_get_string (a, "commune_id"), commune) == 0)
        g_hash_table_replace (latest, g_strdup (cn_record_get_string (a, "criterion_code")),
                              (gpointer) cn_record_get_string (a, "status"));
    }
  g_hash_table_iter_init (&iter, latest);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    n += g_strcmp0 (value, "met") == 0;
  return n;
}

/* The texts of a commune's overview row, as a user reads them. */
static GString *
row_texts (GtkWidget  *overview,
           const char *commune_id)
{
  GtkWidget *list = find_type (overview, GTK_TYPE_LIST_BOX, 0);
  GString *texts = g_string_new ("|");

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      g_autoptr(GQueue) queue = g_queue_new ();

      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "commune-id"), commune_id) != 0)
        continue;
      g_queue_push_tail (queue, row);
      while (!g_queue_is_empty (queue))
        {
          GtkWidget *w = g_queue_pop_head (queue);

          if (GTK_IS_LABEL (w))
            g_string_append_printf (texts, "%s|", gtk_label_get_text (GTK_LABEL (w)));
          for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
            g_queue_push_tail (queue, c);
        }
      return texts;
    }
  g_string_free (texts, TRUE);
  return NULL;
}

static void
assert_overview_row (Fixture    *f,
                     GtkWidget  *overview,
                     CnRecord   *commune)
{
  const char *id = cn_record_get_id (commune);
  guint open = count_tasks (f, id, NULL, FALSE);
  guint overdue = count_tasks (f, id, NULL, TRUE);
  g_autoptr(GString) texts = row_texts (overview, id);
  g_autofree char *tasks = overdue > 0 ? g_strdup_printf ("|%u open, %u overdue|", open, overdue)
                                       : g_strdup_printf (open == 1 ? "|%u open task|" : "|%u open tasks|", open);
  g_autofree char *met = g_strdup_printf ("|%u/19|", count_met (f, id));

  g_assert_nonnull (texts);
  if (strstr (texts->str, tasks) == NULL || strstr (texts->str, met) == NULL)
    g_error ("%s: expected %s and %s in %s", cn_record_get_title (commune), tasks, met, texts->str);
}

static void
test_overview (Fixture       *f,
               gconstpointer  data)
{
  GtkWidget *overview = find_type (GTK_WIDGET (f->view), CN_TYPE_DISTRICT_OVERVIEW, 0);
  GtkWidget *list = find_type (overview, GTK_TYPE_LIST_BOX, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tien_loc_tasks = NULL;
  guint rows = 0;

  /* Shown, the section reads its overview. */
  wait_until (view_mapped, f->view, "the window");
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  wait_until (overview_ready, overview, "the overview's first reading");
  /* Region headings are children of the list too. */
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    rows += GTK_IS_LIST_BOX_ROW (row);
  g_assert_cmpuint (rows, ==, f->communes->len);
  for (guint i = 0; i < f->communes->len; i++)
    assert_overview_row (f, overview, g_ptr_array_index (f->communes, i));

  /* A move: the overview reads again and counts one open task less. */
  {
    g_autoptr(CnQuery) query = cn_query_new ("task");

    cn_query_add_filter (query, "commune_id", CN_QUERY_EQ, TIEN_LOC);
    cn_query_add_filter (query, "status", CN_QUERY_EQ, "open");
    tien_loc_tasks = cn_store_query (f->store, query, 0, 1, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (tien_loc_tasks->len, ==, 1);
  }
  {
    guint before = count_tasks (f, TIEN_LOC, NULL, FALSE);

    g_assert_true (cn_delegations_view_move_task (f->view, g_ptr_array_index (tien_loc_tasks, 0),
                                                  "done", NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (count_tasks (f, TIEN_LOC, NULL, FALSE), ==, before - 1);
    /* The change reaches the view in an idle, then the reading runs in a thread. */
    while (g_main_context_pending (NULL))
      g_main_context_iteration (NULL, FALSE);
    wait_until (overview_ready, overview, "the overview's reading after a move");
    for (guint i = 0; i < f->communes->len; i++)
      if (g_strcmp0 (cn_record_get_id (g_ptr_array_index (f->communes, i)), TIEN_LOC) == 0)
        assert_overview_row (f, overview, g_ptr_array_index (f->communes, i));
  }
}

static void
assert_board (Fixture     *f,
              CnTaskBoard *board,
              const char  *commune)
{
  for (guint s = 0; s < G_N_ELEMENTS (statuses); s++)
    g_assert_cmpuint (cn_task_board_get_n_shown (board, statuses[s]), ==,
                      count_tasks (f, commune, statuses[s], FALSE));
}

static void
select_title (GtkDropDown *dropdown,
              const char  *title)
{
  GListModel *labels = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (labels); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (labels), i), title) == 0)
      {
        gtk_drop_down_set_selected (dropdown, i);
        return;
      }
  g_error ("no “%s” in the filter", title);
}

typedef struct
{
  Fixture     *f;
  CnTaskBoard *board;
  guint        dropped;
} Moved;

static gboolean
dropped_shown (gpointer data)
{
  Moved *moved = data;

  return cn_task_board_get_n_shown (moved->board, "dropped") == moved->dropped;
}

static void
test_board (Fixture       *f,
            gconstpointer  data)
{
  CnTaskBoard *board = CN_TASK_BOARD (find_type (GTK_WIDGET (f->view), CN_TYPE_TASK_BOARD, 0));
  GtkDropDown *commune_filter = GTK_DROP_DOWN (find_type (GTK_WIDGET (board), GTK_TYPE_DROP_DOWN, 0));
  GtkDropDown *delegation_filter = GTK_DROP_DOWN (find_type (GTK_WIDGET (board), GTK_TYPE_DROP_DOWN, 2));
  g_autoptr(GPtrArray) delegations = list_all (f->store, "delegation", "title");
  g_autoptr(GPtrArray) open_tasks = NULL;
  g_autoptr(GError) error = NULL;
  CnRecord *delegation = g_ptr_array_index (delegations, 0);
  Moved moved;
  g_auto(GStrv) communes = cn_record_dup_strv (delegation, "commune_ids");
  guint n_delegation = 0;

  cn_task_board_reload (board);
  wait_until (board_ready, board, "the task board's filters");
  assert_board (f, board, NULL);
  g_assert_cmpuint (cn_task_board_get_n_shown (board, "open"), >, 500);

  /* One commune. */
  select_title (commune_filter, "Tiến Lộc");
  wait_until (board_ready, board, "the commune's tasks");
  assert_board (f, board, TIEN_LOC);

  /* A delegation's communes, filtered as the rows are read. */
  select_title (commune_filter, gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (commune_filter)), 0));
  select_title (delegation_filter, cn_record_get_title (delegation));
  wait_until (board_ready, board, "the delegation's tasks");
  for (guint i = 0; communes[i] != NULL; i++)
    n_delegation += count_tasks (f, communes[i], "in_progress", FALSE);
  g_assert_cmpuint (n_delegation, >, 0);
  g_assert_cmpuint (cn_task_board_get_n_shown (board, "in_progress"), ==, n_delegation);

  /* A move leaves one column for the other, by itself. */
  select_title (delegation_filter, gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (delegation_filter)), 0));
  wait_until (board_ready, board, "all tasks again");
  {
    g_autoptr(CnQuery) query = cn_query_new ("task");

    cn_query_add_filter (query, "status", CN_QUERY_EQ, "proposed");
    open_tasks = cn_store_query (f->store, query, 0, 1, &error);
    g_assert_no_error (error);
  }
  g_assert_true (cn_delegations_view_move_task (f->view, g_ptr_array_index (open_tasks, 0), "dropped",
                                                "thử", &error));
  g_assert_no_error (error);
  moved.f = f;
  moved.board = board;
  moved.dropped = count_tasks (f, NULL, "dropped", FALSE);
  wait_until (dropped_shown, &moved, "the moved task in the Dropped column");
  assert_board (f, board, NULL);
}

/* On the default window width a commune's counts ("Last session …", "3 open, 2 overdue",
 * "15/19") are read whole, not cut to "La…" by the subtitle beside them; and with every row
 * made, the section still fits a 360 px wide window (the counts give way there). */
static void
test_counts_readable (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *overview = find_type (GTK_WIDGET (f->view), CN_TYPE_DISTRICT_OVERVIEW, 0);
  g_autoptr(GQueue) queue = g_queue_new ();
  guint counts = 0;
  int minimum = 0;

  wait_until (view_mapped, f->view, "the window");
  wait_until (overview_ready, overview, "the overview's first reading");
  /* Laid out at the window's width. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->view)), >=, 1000);

  g_queue_push_tail (queue, overview);
  while (!g_queue_is_empty (queue))
    {
      GtkWidget *w = g_queue_pop_head (queue);

      if (GTK_IS_LABEL (w) && gtk_widget_has_css_class (w, "caption") && gtk_widget_get_mapped (w) &&
          gtk_widget_get_ancestor (w, ADW_TYPE_ACTION_ROW) != NULL)
        {
          counts++;
          if (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (w))))
            g_error ("the count “%s” is cut at %d px", gtk_label_get_text (GTK_LABEL (w)),
                     gtk_widget_get_width (w));
        }
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_queue_push_tail (queue, c);
    }
  /* Three counts a commune row, at least the rows on screen. */
  g_assert_cmpuint (counts, >=, 3 * 5);

  gtk_widget_measure (GTK_WIDGET (f->view), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("minimum width with every row made: %d", minimum);
  g_assert_cmpint (minimum, <=, 360);
}

/* The form's reference row of @field, found by its label as the user reads it. */
static AdwComboRow *
find_combo (CnRecordEditor *editor,
            const char     *collection,
            const char     *field)
{
  const CnField *f = cn_collection_lookup_field (cn_schema_lookup (collection), field);
  const char *label = cn_field_get_label (f);

  for (guint i = 0;; i++)
    {
      GtkWidget *row = find_type (GTK_WIDGET (editor), ADW_TYPE_COMBO_ROW, i);

      g_assert_nonnull (row);
      if (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), label))
        return ADW_COMBO_ROW (row);
    }
}

static const char *
selected_title (AdwComboRow *combo)
{
  GtkStringObject *item = adw_combo_row_get_selected_item (combo);

  g_assert_nonnull (item);
  return gtk_string_object_get_string (item);
}

static gboolean
choices_read (gpointer data)
{
  return !cn_record_editor_get_choices_pending (CN_RECORD_EDITOR (data));
}

static gboolean
save_task_cb (CnRecordEditor  *editor,
              CnRecord        *record,
              JsonObject      *data,
              gpointer         user_data,
              GError         **error)
{
  Fixture *f = user_data;
  g_autoptr(CnRecord) saved = cn_store_put (f->store, "task", cn_record_get_id (record), data, error);

  return saved != NULL;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* A task's form on a store of thousands of working sessions: its source row offers every
 * session and report, shows the current one from the start (before the list is read),
 * and saves the one the user picks. */
static void
test_task_form_sessions (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) visits = NULL;
  g_autoptr(GPtrArray) reports = NULL;
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) task_data = json_object_new ();
  g_autoptr(CnRecord) task = NULL;
  g_autoptr(CnRecord) saved = NULL;
  g_autofree char *task_id = g_uuid_string_random ();
  g_autofree char *source_id = NULL;
  g_autofree char *source_title = NULL;
  g_autofree char *picked_id = NULL;
  CnRecordEditor *editor;
  AdwComboRow *source;
  GListModel *model;
  CnRecord *commune = g_ptr_array_index (f->communes, 3);
  guint picked = GTK_INVALID_LIST_POSITION;
  gint64 start;

  /* Sessions with a topic each, so that each has a title of its own. */
  g_assert_true (cn_store_begin (f->store, &error));
  for (guint i = N_VISITS; i < N_FORM_VISITS; i++)
    {
      g_autoptr(JsonObject) visit = json_object_new ();
      g_autoptr(JsonArray) topics = json_array_new ();
      g_autofree char *topic = g_strdup_printf ("Phiên họp thử số %04u", i);
      g_autofree char *date = g_strdup_printf ("%04u-%02u-%02u", 2010 + i % 9, 1 + i % 12, 1 + i % 28);

      json_array_add_string_element (topics, topic);
      json_object_set_string_member (visit, "commune_id",
                                     cn_record_get_id (g_ptr_array_index (f->communes, i % f->communes->len)));
      json_object_set_string_member (visit, "date", date);
      json_object_set_array_member (visit, "topics", g_steal_pointer (&topics));
      put (f->store, "visit", visit);
    }
  g_assert_true (cn_store_commit (f->store, &error));
  g_assert_no_error (error);

  visits = list_all (f->store, "visit", "title");
  reports = list_all (f->store, "report", "title");
  g_assert_cmpuint (visits->len, >=, N_FORM_VISITS);
  for (guint i = 0; i < visits->len; i++)
    g_ptr_array_add (expected, (gpointer) cn_record_get_title (g_ptr_array_index (visits, i)));
  for (guint i = 0; i < reports->len; i++)
    g_ptr_array_add (expected, (gpointer) cn_record_get_title (g_ptr_array_index (reports, i)));

  /* The task's source: a session in the middle of the list. */
  source_id = g_strdup (cn_record_get_id (g_ptr_array_index (visits, visits->len / 2)));
  source_title = g_strdup (cn_record_get_title (g_ptr_array_index (visits, visits->len / 2)));
  json_object_set_string_member (task_data, "title", "Nhiệm vụ có nguồn");
  json_object_set_string_member (task_data, "commune_id", cn_record_get_id (commune));
  json_object_set_string_member (task_data, "status", "open");
  json_object_set_string_member (task_data, "source_id", source_id);
  task = cn_store_put (f->store, "task", task_id, task_data, &error);
  g_assert_no_error (error);

  /* What opening the form used to cost on the main thread: every session and report read
   * whole. Only reported, to compare with what the form does now. */
  start = g_get_monotonic_time ();
  {
    g_autoptr(GPtrArray) all_visits = list_all (f->store, "visit", "title");
    g_autoptr(GPtrArray) all_reports = list_all (f->store, "report", "title");

    g_test_message ("reading %u sessions and %u reports whole: %.1f ms", all_visits->len,
                    all_reports->len, (g_get_monotonic_time () - start) / 1000.0);
  }

  editor = g_object_ref_sink (cn_record_editor_new ("task", task));
  cn_record_editor_set_store (editor, f->store);
  start = g_get_monotonic_time ();
  cn_record_editor_load_choices (editor);
  g_test_message ("opening the form's choices on the main thread: %.1f ms",
                  (g_get_monotonic_time () - start) / 1000.0);

  /* At once, before the list is read: the current values are shown and kept. */
  source = find_combo (editor, "task", "source_id");
  g_assert_true (cn_record_editor_get_choices_pending (editor));
  g_assert_cmpstr (selected_title (source), ==, source_title);
  g_assert_cmpstr (selected_title (find_combo (editor, "task", "commune_id")), ==,
                   cn_record_get_title (commune));
  g_assert_false (cn_record_editor_get_modified (editor));

  wait_until (choices_read, editor, "reading the form's choices");

  /* "None", then every session and report, the current one still selected. */
  model = adw_combo_row_get_model (source);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1 + expected->len);
  for (guint i = 1; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);
      const char *title = gtk_string_object_get_string (item);

      g_ptr_array_add (shown, g_strdup (title));
      if (g_str_has_suffix (title, "Phiên họp thử số 2999"))
        picked = i;
    }
  g_ptr_array_sort (shown, compare_strings);
  g_ptr_array_sort (expected, compare_strings);
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpstr (g_ptr_array_index (shown, i), ==, g_ptr_array_index (expected, i));
  g_assert_cmpstr (selected_title (source), ==, source_title);
  g_assert_cmpstr (selected_title (find_combo (editor, "task", "commune_id")), ==,
                   cn_record_get_title (commune));
  g_assert_false (cn_record_editor_get_modified (editor));

  /* A task's commune is "None" or one of the communes, towns and wards, no other unit. */
  {
    g_autoptr(GPtrArray) units = list_all (f->store, "unit", NULL);
    guint communes = 0;

    for (guint i = 0; i < units->len; i++)
      {
        const char *kind = cn_record_get_string (g_ptr_array_index (units, i), "kind");

        if (g_strcmp0 (kind, "commune") == 0 || g_strcmp0 (kind, "town") == 0
            || g_strcmp0 (kind, "ward") == 0)
          communes++;
      }
    g_assert_cmpuint (communes, <, units->len);
    g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (find_combo (editor, "task", "commune_id"))),
                      ==, 1 + communes);
  }

  /* The user picks another session; the form saves its id. */
  g_assert_cmpuint (picked, !=, GTK_INVALID_LIST_POSITION);
  for (guint i = 0; i < visits->len; i++)
    if (g_str_has_suffix (cn_record_get_title (g_ptr_array_index (visits, i)), "Phiên họp thử số 2999"))
      picked_id = g_strdup (cn_record_get_id (g_ptr_array_index (visits, i)));
  g_assert_nonnull (picked_id);
  adw_combo_row_set_selected (source, picked);
  g_assert_true (cn_record_editor_get_modified (editor));
  cn_record_editor_set_save_func (editor, save_task_cb, f, NULL);
  g_assert_true (cn_record_editor_save (editor));

  saved = cn_store_get (f->store, task_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cn_record_get_string (saved, "source_id"), ==, picked_id);
  g_assert_cmpstr (cn_record_get_string (saved, "commune_id"), ==, cn_record_get_id (commune));

  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);
}

/* Exports */

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Export;

static gboolean
export_done (gpointer data)
{
  return ((Export *) data)->done;
}

static void
report_saved_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Export *export = user_data;

  export->ok = cn_delegations_view_save_report_finish (CN_DELEGATIONS_VIEW (source), result, &export->error);
  export->done = TRUE;
}

static void
csv_saved_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Export *export = user_data;

  export->ok = cn_task_board_export_csv_finish (CN_TASK_BOARD (source), result, &export->error);
  export->done = TRUE;
}

typedef struct
{
  Fixture           *f;
  CnRecord          *report;
  CnTaskBoard       *board;
  CnTaskBoardExport  what;
} Target;

static void
start_export (Target *target,
              GFile  *file,
              Export *export)
{
  if (target->report != NULL)
    cn_delegations_view_save_report_async (target->f->view, target->report, file, NULL,
                                           report_saved_cb, export);
  else
    cn_task_board_export_csv_async (target->board, target->what, file, NULL, csv_saved_cb, export);
}

/* Saves what @target says at @path and waits for it. The work must not be done when the
 * call returns (the callback comes through the main loop, and reading thousands of records
 * in the worker outlasts the return by far). */
static gboolean
run_export (gpointer     data,
            const char  *path,
            GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  Export export = { 0 };
  gint64 start = g_get_monotonic_time ();

  start_export (data, file, &export);
  g_test_message ("starting the export on the main thread: %.2f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_false (export.done);
  g_assert_false (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  wait_until (export_done, &export, "the export");
  g_test_message ("the export done after %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  if (export.error != NULL)
    g_propagate_error (error, export.error);
  return export.ok;
}

/* Nothing but @expected (NULL-terminated names) in @dir: no file left half written. */
static void
assert_dir_holds (const char         *dir,
                  const char * const *expected)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      if (!g_strv_contains (expected, name))
        g_error ("“%s” was left in %s", name, dir);
      n++;
    }
  g_assert_cmpuint (n, ==, g_strv_length ((char **) expected));
}

/* Saving into a folder that does not exist, over a folder, and (when the system enforces
 * it: not for root) into a read-only folder fails with a message naming the file, and
 * leaves nothing behind. @save returns FALSE with the error. */
static void
assert_failed_saves (const char  *dir,
                     Target      *target)
{
  g_autofree char *missing = g_build_filename (dir, "không-có", "tệp.out", NULL);
  g_autofree char *folder = g_build_filename (dir, "thư mục", NULL);
  g_autofree char *locked = g_build_filename (dir, "chỉ đọc", NULL);
  g_autofree char *in_locked = g_build_filename (locked, "tệp.out", NULL);
  const char * const after[] = { "thư mục", "chỉ đọc", NULL };
  const char * const none[] = { NULL };
  g_autoptr(GError) error = NULL;

  g_assert_false (run_export (target, missing, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "tệp.out"));
  g_clear_error (&error);

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_false (run_export (target, folder, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  assert_dir_holds (folder, none);

  g_assert_cmpint (g_mkdir (locked, 0500), ==, 0);
  if (g_access (locked, W_OK) != 0)
    {
      g_assert_false (run_export (target, in_locked, &error));
      g_assert_error (error, CN_ERROR, CN_ERROR_FAILED);
      g_clear_error (&error);
    }
  else
    g_test_message ("running as root: a read-only folder cannot be tried");
  assert_dir_holds (locked, none);
  assert_dir_holds (dir, after);
  g_assert_cmpint (g_rmdir (locked), ==, 0);
  g_assert_cmpint (g_rmdir (folder), ==, 0);
}

/* Reads a PDF back as text, as a reader of the file would see it. */
static char *
pdf_to_text (const char *path)
{
  g_autofree char *quoted = g_shell_quote (path);
  g_autofree char *command = g_strdup_printf ("pdftotext -layout -enc UTF-8 %s -", quoted);
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_command_line_sync (command, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

/* @text holds each string of @expected that starts with @prefix (the test's own rows, one
 * line each), in that order, and @prefix no more often. */
static void
assert_rows_in_order (const char *text,
                      GPtrArray  *expected,
                      const char *prefix)
{
  const char *at = text;
  guint n_prefixed = 0, n_found = 0;

  for (guint i = 0; i < expected->len; i++)
    {
      const char *row = g_ptr_array_index (expected, i);
      const char *found;

      if (!g_str_has_prefix (row, prefix))
        continue;
      found = strstr (at, row);
      if (found == NULL)
        g_error ("“%s” is missing, or out of order", row);
      at = found + strlen (row);
      n_prefixed++;
    }
  for (const char *p = strstr (text, prefix); p != NULL; p = strstr (p + 1, prefix))
    n_found++;
  g_assert_cmpuint (n_found, ==, n_prefixed);
}

static CnRecord *
put_returning (CnStore    *store,
               const char *collection,
               JsonObject *data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_uuid_string_random ();
  CnRecord *record = cn_store_put (store, collection, id, data, &error);

  g_assert_no_error (error);
  return record;
}

/* The report to a standing-committee meeting of a delegation: the PDF lists exactly the
 * delegation's sessions up to the meeting (those naming it, and those in its communes that
 * name no delegation) and the tasks of its communes and of the report, in date order. */
static void
test_report_pdf (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) delegations = list_all (f->store, "delegation", "title");
  CnRecord *delegation = g_ptr_array_index (delegations, 0);
  CnRecord *other = g_ptr_array_index (delegations, 1);
  g_auto(GStrv) communes = cn_record_dup_strv (delegation, "commune_ids");
  const char *outside = NULL;
  const char *inside = communes[0];
  g_autoptr(JsonObject) report_data = json_object_new ();
  g_autoptr(CnRecord) report = NULL;
  g_autoptr(GPtrArray) visits = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GPtrArray) expected_visits = g_ptr_array_new ();
  g_autoptr(GPtrArray) expected_tasks = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("caunoi-report-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "báo cáo.pdf", NULL);
  g_autofree char *text = NULL;
  Target target = { 0 };
  gint64 start;

  g_assert_no_error (error);
  for (guint i = 0; i < f->communes->len && outside == NULL; i++)
    if (!g_strv_contains ((const char * const *) communes, cn_record_get_id (g_ptr_array_index (f->communes, i))))
      outside = cn_record_get_id (g_ptr_array_index (f->communes, i));
  g_assert_nonnull (outside);

  json_object_set_string_member (report_data, "delegation_id", cn_record_get_id (delegation));
  json_object_set_string_member (report_data, "meeting_date", "2016-06-30");
  json_object_set_string_member (report_data, "period", "Sáu tháng đầu năm 2016");
  json_object_set_string_member (report_data, "status", "draft");
  report = put_returning (f->store, "report", report_data);
  /* A session naming the delegation outside its communes counts; one in its communes
   * naming another delegation does not; a task the report gave counts wherever it is. */
  {
    g_autoptr(JsonObject) ours = json_object_new ();
    g_autoptr(JsonObject) theirs = json_object_new ();
    g_autoptr(JsonObject) task = json_object_new ();

    json_object_set_string_member (ours, "delegation_id", cn_record_get_id (delegation));
    json_object_set_string_member (ours, "commune_id", outside);
    json_object_set_string_member (ours, "date", "2015-01-02");
    json_object_set_string_member (ours, "conclusions", "Kết luận thử số riêng của đoàn");
    g_object_unref (put_returning (f->store, "visit", ours));
    json_object_set_string_member (theirs, "delegation_id", cn_record_get_id (other));
    json_object_set_string_member (theirs, "commune_id", inside);
    json_object_set_string_member (theirs, "date", "2015-01-03");
    json_object_set_string_member (theirs, "conclusions", "Kết luận thử số của đoàn khác");
    g_object_unref (put_returning (f->store, "visit", theirs));
    json_object_set_string_member (task, "title", "Nhiệm vụ thử số từ báo cáo");
    json_object_set_string_member (task, "commune_id", outside);
    json_object_set_string_member (task, "status", "open");
    json_object_set_string_member (task, "source_id", cn_record_get_id (report));
    g_object_unref (put_returning (f->store, "task", task));
  }

  /* What walking every record says, and what reading it all on the main thread took. */
  start = g_get_monotonic_time ();
  visits = list_all (f->store, "visit", "date");
  tasks = list_all (f->store, "task", "due_on");
  g_test_message ("reading all %u sessions and %u tasks whole (what the export did on the main "
                  "thread): %.1f ms", visits->len, tasks->len, (g_get_monotonic_time () - start) / 1000.0);
  for (guint i = 0; i < visits->len; i++)
    {
      CnRecord *visit = g_ptr_array_index (visits, i);
      const char *named = cn_record_get_string (visit, "delegation_id");
      const char *commune = cn_record_get_string (visit, "commune_id");

      if ((g_strcmp0 (named, cn_record_get_id (delegation)) == 0
           || (named == NULL && g_strv_contains ((const char * const *) communes, commune)))
          && strcmp (cn_record_get_string (visit, "date"), "2016-06-30") <= 0
          && cn_record_get_string (visit, "conclusions") != NULL)
        g_ptr_array_add (expected_visits, (gpointer) cn_record_get_string (visit, "conclusions"));
    }
  for (guint i = 0; i < tasks->len; i++)
    {
      CnRecord *task = g_ptr_array_index (tasks, i);
      const char *commune = cn_record_get_string (task, "commune_id");

      if (g_strv_contains ((const char * const *) communes, commune != NULL ? commune : "")
          || g_strcmp0 (cn_record_get_string (task, "source_id"), cn_record_get_id (report)) == 0)
        g_ptr_array_add (expected_tasks, (gpointer) cn_record_get_string (task, "title"));
    }
  g_assert_cmpuint (expected_visits->len, >, 20);
  g_assert_cmpuint (expected_tasks->len, >, 100);

  target.f = f;
  target.report = report;
  g_assert_true (run_export (&target, path, &error));
  g_assert_no_error (error);
  text = pdf_to_text (path);
  g_assert_nonnull (strstr (text, cn_record_get_title (delegation)));
  g_assert_nonnull (strstr (text, "Sáu tháng đầu năm 2016"));
  assert_rows_in_order (text, expected_visits, "Kết luận thử số ");
  g_assert_nonnull (strstr (text, "Kết luận thử số riêng của đoàn"));
  g_assert_null (strstr (text, "Kết luận thử số của đoàn khác"));
  assert_rows_in_order (text, expected_tasks, "Nhiệm vụ thử số ");
  g_assert_nonnull (strstr (text, "Nhiệm vụ thử số từ báo cáo"));

  /* Failed saves: an error, no crash, nothing half written; the saved file stays. */
  g_assert_cmpint (g_remove (path), ==, 0);
  assert_failed_saves (dir, &target);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* The board's CSV as it was written on the main thread: the columns' tasks, in their order,
 * of the delegation's communes; names from the store. */
static GString *
expected_tasks_csv (Fixture    *f,
                    const char *delegation_id)
{
  g_autoptr(CnRecord) delegation = cn_store_get (f->store, delegation_id, NULL);
  g_auto(GStrv) communes = cn_record_dup_strv (delegation, "commune_ids");
  g_autofree char *today = cn_time_today ();
  GString *csv = cn_csv_new ();
  const char *header[] = { "Task", "Commune", "Owner", "Due date", "Status", "Overdue", "Description" };

  cn_csv_append_row (csv, header, G_N_ELEMENTS (header));
  for (guint s = 0; s < G_N_ELEMENTS (statuses); s++)
    {
      g_autoptr(CnQuery) query = cn_query_new ("task");
      g_autoptr(GPtrArray) column = NULL;

      cn_query_add_filter (query, "status", CN_QUERY_EQ, statuses[s]);
      cn_query_set_sort (query, "due_on", FALSE);
      column = cn_store_query (f->store, query, 0, 0, NULL);
      for (guint i = 0; i < column->len; i++)
        {
          CnRecord *t = g_ptr_array_index (column, i);
          const char *commune_id = cn_record_get_string (t, "commune_id");
          g_autofree char *commune = cn_delegations_title_of (f->store, commune_id);
          g_autofree char *owner = cn_delegations_title_of (f->store, cn_record_get_string (t, "owner_id"));
          g_autofree char *due = cn_delegations_format_date (cn_record_get_string (t, "due_on"));
          const char *cells[7];

          if (!g_strv_contains ((const char * const *) communes, commune_id != NULL ? commune_id : ""))
            continue;
          cells[0] = cn_record_get_string (t, "title");
          cells[1] = commune;
          cells[2] = owner;
          cells[3] = due;
          cells[4] = cn_delegations_status_label ("task", "status", statuses[s]);
          cells[5] = cn_delegations_task_is_overdue (t, today) ? "yes" : "";
          cells[6] = cn_record_get_string (t, "description");
          cn_csv_append_row (csv, cells, G_N_ELEMENTS (cells));
        }
    }
  return csv;
}

/* Every session by date, as it was written on the main thread. */
static GString *
expected_sessions_csv (Fixture *f)
{
  g_autoptr(GPtrArray) visits = list_all (f->store, "visit", "date");
  GString *csv = cn_csv_new ();
  const char *header[] = { "Date", "Commune", "Delegation", "Led by", "Participants", "Topics",
                           "Notes", "Conclusions" };

  cn_csv_append_row (csv, header, G_N_ELEMENTS (header));
  for (guint i = 0; i < visits->len; i++)
    {
      CnRecord *v = g_ptr_array_index (visits, i);
      g_auto(GStrv) topics = cn_record_dup_strv (v, "topics");
      g_autofree char *topic_text = topics != NULL ? g_strjoinv ("; ", topics) : NULL;
      g_autofree char *date = cn_delegations_format_date (cn_record_get_string (v, "date"));
      g_autofree char *commune = cn_delegations_title_of (f->store, cn_record_get_string (v, "commune_id"));
      g_autofree char *delegation = cn_delegations_title_of (f->store, cn_record_get_string (v, "delegation_id"));
      g_autofree char *led_by = cn_delegations_names_of (f->store, v, "led_by");
      const char *row[] = { date, commune, delegation, led_by,
                            cn_record_get_string (v, "participants"), topic_text,
                            cn_record_get_string (v, "notes"), cn_record_get_string (v, "conclusions") };

      cn_csv_append_row (csv, row, G_N_ELEMENTS (row));
    }
  return csv;
}

static void
assert_file_is (const char *path,
                GString    *expected)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, expected->len);
  g_assert_cmpmem (contents, len, expected->str, expected->len);
}

/* The board's CSV exports: the tasks its delegation filter shows, every session; byte for
 * byte what the main thread used to write. */
static void
test_csv (Fixture       *f,
          gconstpointer  data)
{
  CnTaskBoard *board = CN_TASK_BOARD (find_type (GTK_WIDGET (f->view), CN_TYPE_TASK_BOARD, 0));
  GtkDropDown *delegation_filter = GTK_DROP_DOWN (find_type (GTK_WIDGET (board), GTK_TYPE_DROP_DOWN, 2));
  g_autoptr(GPtrArray) delegations = list_all (f->store, "delegation", "title");
  CnRecord *delegation = g_ptr_array_index (delegations, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("caunoi-csv-XXXXXX", &error);
  g_autofree char *tasks_path = g_build_filename (dir, "nhiệm vụ.csv", NULL);
  g_autofree char *sessions_path = g_build_filename (dir, "buổi làm việc.csv", NULL);
  g_autoptr(GString) tasks = NULL;
  g_autoptr(GString) sessions = NULL;
  Target target = { .f = f, .board = board };
  guint n_rows = 0;

  g_assert_no_error (error);
  cn_task_board_reload (board);
  wait_until (board_ready, board, "the task board's filters");
  select_title (delegation_filter, cn_record_get_title (delegation));
  wait_until (board_ready, board, "the delegation's tasks");

  tasks = expected_tasks_csv (f, cn_record_get_id (delegation));
  for (const char *p = strstr (tasks->str, "\r\n"); p != NULL; p = strstr (p + 2, "\r\n"))
    n_rows++;
  g_assert_cmpuint (n_rows, >, 100);
  target.what = CN_TASK_BOARD_EXPORT_TASKS;
  g_assert_true (run_export (&target, tasks_path, &error));
  g_assert_no_error (error);
  assert_file_is (tasks_path, tasks);

  sessions = expected_sessions_csv (f);
  target.what = CN_TASK_BOARD_EXPORT_SESSIONS;
  g_assert_true (run_export (&target, sessions_path, &error));
  g_assert_no_error (error);
  assert_file_is (sessions_path, sessions);

  g_assert_cmpint (g_remove (tasks_path), ==, 0);
  g_assert_cmpint (g_remove (sessions_path), ==, 0);
  target.what = CN_TASK_BOARD_EXPORT_TASKS;
  assert_failed_saves (dir, &target);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char **argv)
{
  g_setenv ("GTK_A11Y", "none", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/workflow-scale/overview", Fixture, NULL, fixture_set_up, test_overview, fixture_tear_down);
  g_test_add ("/workflow-scale/board", Fixture, NULL, fixture_set_up, test_board, fixture_tear_down);
  g_test_add ("/workflow-scale/task-form-sessions", Fixture, NULL, fixture_set_up, test_task_form_sessions,
              fixture_tear_down);
  g_test_add ("/workflow-scale/report-pdf", Fixture, NULL, fixture_set_up, test_report_pdf, fixture_tear_down);
  g_test_add ("/workflow-scale/csv", Fixture, NULL, fixture_set_up, test_csv, fixture_tear_down);
  g_test_add ("/workflow-scale/counts-readable", Fixture, NULL, fixture_set_up, test_counts_readable,
              fixture_tear_down);

  return g_test_run ();
}
