/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <gtk/gtk.h>

#include "cn-choice-picker.h"
#include "cn-record-editor.h"
#include "cn-store.h"
#include "cn-test-store.h"

/* A form's choice of people among thousands (a working session's "led by"): the people
 * chosen show at once as removable names; "Add…" opens a search over a list that builds a
 * row only for the people it shows; the search ignores tone marks and case; what the user
 * ticks and removes is what the form saves. */

#define N_PEOPLE 3000
#define MAX_ROWS (N_PEOPLE / 10)
#define VISIT_0606 "62d8c998-7d84-57ef-89be-116178b3c764"
#define TRAN_QUY "6fc91e4c-34d1-549a-ae4c-49813f0dd97e"
#define BUI_HUY_CUONG "8f7463b4-7e7a-514b-a733-ddf4ab673af3"

typedef struct
{
  char    *dir;
  char    *path;
  CnStore *store;
  char    *other_tran_quy;   /* a generated "Trần Quý Long" */
} Fixture;

static const char * const families[] = { "Nguyễn", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Trần" };
static const char * const middles[] = { "Văn", "Thị", "Hữu", "Đức", "Minh" };
static const char * const givens[] = { "An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Khánh",
                                       "Long", "Nam", "Quế", "Sơn", "Tâm" };

static char *
put_person (CnStore    *store,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) data = json_object_new ();
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(CnRecord) record = NULL;

  json_object_set_string_member (data, "full_name", name);
  record = cn_store_put (store, "person", id, data, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&id);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->store = cn_test_store_new_sample ("editor", &f->dir, &f->path);
  g_assert_true (cn_store_begin (f->store, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < N_PEOPLE; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s %s %s %04u",
                                               families[i % G_N_ELEMENTS (families)],
                                               middles[(i / 7) % G_N_ELEMENTS (middles)],
                                               givens[(i / 3) % G_N_ELEMENTS (givens)], i);
      g_free (put_person (f->store, name));
    }
  f->other_tran_quy = put_person (f->store, "TRẦN QUÝ LONG");
  g_assert_true (cn_store_commit (f->store, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->store);
  cn_test_store_remove (f->dir, f->path);
  g_free (f->path);
  g_free (f->dir);
  g_free (f->other_tran_quy);
}

#define wait_until cn_test_wait_until

static void
settle (void)
{
  /* Let the frame clock lay the popover and its list out. */
  for (guint i = 0; i < 20; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
    }
}

/* With CAUNOI_SCREENSHOTS=DIR, keeps a picture of the screen (Xvfb) as DIR/NAME.png. */
static void
screenshot (const char *name)
{
  const char *dir = g_getenv ("CAUNOI_SCREENSHOTS");
  g_autofree char *file = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "import", "-window", "root", NULL, NULL };

  if (dir == NULL)
    return;
  settle ();
  g_mkdir_with_parents (dir, 0755);
  file = g_strdup_printf ("%s/%s.png", dir, name);
  argv[3] = file;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, NULL, &error))
    g_test_message ("no screenshot %s: %s", file, error->message);
}

static void
collect_type (GtkWidget *widget,
              GType      type,
              GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_type (c, type, out);
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect_type (root, type, found);
  return found->len > 0 ? g_ptr_array_index (found, 0) : NULL;
}

static guint
count_type (GtkWidget *root,
            GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect_type (root, type, found);
  return found->len;
}

/* The picker of a field, by the row's name (the field's). */
static CnChoicePicker *
find_picker (CnRecordEditor *editor,
             const char     *field)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_type (GTK_WIDGET (editor), GTK_TYPE_LIST_BOX_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (rows, i)), field) == 0)
      return CN_CHOICE_PICKER (find_type (g_ptr_array_index (rows, i), CN_TYPE_CHOICE_PICKER));
  return NULL;
}

/* The names shown as chosen, in order, as "A|B". */
static char *
chip_names (CnChoicePicker *picker)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(GString) names = g_string_new (NULL);

  collect_type (GTK_WIDGET (picker), GTK_TYPE_BOX, items);
  for (guint i = 0; i < items->len; i++)
    {
      GtkWidget *box = g_ptr_array_index (items, i);

      if (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (box)) != GTK_ACCESSIBLE_ROLE_LIST_ITEM
          || !gtk_widget_get_visible (box))
        continue;
      if (names->len > 0)
        g_string_append_c (names, '|');
      g_string_append (names, gtk_label_get_text (GTK_LABEL (gtk_widget_get_first_child (box))));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* The chip's remove button of a chosen name. */
static GtkWidget *
remove_button_of (CnChoicePicker *picker,
                  const char     *name)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_type (GTK_WIDGET (picker), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);
      GtkWidget *next = gtk_widget_get_next_sibling (label);

      if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), name) == 0 && GTK_IS_BUTTON (next))
        return next;
    }
  return NULL;
}

/* The rows the list shows: their check buttons, by label. */
static GtkCheckButton *
shown_row (GtkWidget  *list,
           const char *name)
{
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();

  collect_type (list, GTK_TYPE_CHECK_BUTTON, checks);
  for (guint i = 0; i < checks->len; i++)
    if (g_strcmp0 (gtk_check_button_get_label (g_ptr_array_index (checks, i)), name) == 0)
      return g_ptr_array_index (checks, i);
  return NULL;
}

static guint
shown_position (GListModel *model,
                const char *id)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), id) == 0)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static gboolean
choices_read (gpointer data)
{
  return !cn_record_editor_get_choices_pending (CN_RECORD_EDITOR (data));
}

static gboolean
mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
save_visit_cb (CnRecordEditor  *editor,
               CnRecord        *record,
               JsonObject      *data,
               gpointer         user_data,
               GError         **error)
{
  Fixture *f = user_data;
  g_autoptr(CnRecord) saved = cn_store_put (f->store, "visit", cn_record_get_id (record), data, error);

  return saved != NULL;
}

static void
test_led_by_picker (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnRecord) visit = cn_store_get (f->store, VISIT_0606, &error);
  g_autoptr(CnRecord) saved = NULL;
  g_autoptr(GPtrArray) people = NULL;
  g_autofree char *names = NULL;
  CnRecordEditor *editor;
  CnChoicePicker *picker;
  GtkWidget *list, *entry, *popover;
  GListModel *model;
  JsonArray *led_by;
  guint n_people = 0, expected = 0, rows;

  g_assert_no_error (error);
  {
    g_autoptr(CnQuery) query = cn_query_new ("person");

    people = cn_store_query (f->store, query, 0, 0, &error);
    g_assert_no_error (error);
    n_people = people->len;
  }
  g_assert_cmpuint (n_people, >, N_PEOPLE);

  editor = g_object_ref_sink (cn_record_editor_new ("visit", visit));
  cn_record_editor_set_store (editor, f->store);
  cn_record_editor_set_save_func (editor, save_visit_cb, f, NULL);
  cn_record_editor_load_choices (editor);
  gtk_window_present (GTK_WINDOW (editor));

  /* At once, before the list is read: who led the session, by name. */
  picker = find_picker (editor, "led_by");
  g_assert_nonnull (picker);
  g_assert_true (cn_record_editor_get_choices_pending (editor));
  names = chip_names (picker);
  g_assert_cmpstr (names, ==, "Trần Quý|Bùi Huy Cường");
  g_clear_pointer (&names, g_free);
  g_assert_false (cn_record_editor_get_modified (editor));

  wait_until (mapped, editor, "showing the form");
  wait_until (choices_read, editor, "reading the form's choices");
  settle ();
  names = chip_names (picker);
  g_assert_cmpstr (names, ==, "Trần Quý|Bùi Huy Cường");
  g_clear_pointer (&names, g_free);
  g_assert_false (cn_record_editor_get_modified (editor));
  screenshot ("record-editor-1-form");
  /* Thousands of choices, and not a row built for them while the list is closed. */
  g_assert_cmpuint (count_type (GTK_WIDGET (editor), GTK_TYPE_CHECK_BUTTON), ==, 0);

  /* "Add…": the whole list, but rows only for what shows. */
  list = find_type (GTK_WIDGET (picker), GTK_TYPE_LIST_VIEW);
  entry = find_type (GTK_WIDGET (picker), GTK_TYPE_SEARCH_ENTRY);
  popover = find_type (GTK_WIDGET (picker), GTK_TYPE_POPOVER);
  g_assert_nonnull (list);
  g_assert_nonnull (entry);
  g_assert_nonnull (popover);
  /* The first button of the field is its "Add…". */
  g_signal_emit_by_name (find_type (GTK_WIDGET (picker), GTK_TYPE_BUTTON), "clicked");
  wait_until (mapped, list, "showing the list of people");
  settle ();
  model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list)));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_people);
  rows = count_type (list, GTK_TYPE_CHECK_BUTTON);
  g_test_message ("%u people, %u rows built", n_people, rows);
  g_assert_cmpuint (rows, >, 0);
  /* GTK 4.8's list keeps up to 200 rows around the ones that show, whatever the model. */
  g_assert_cmpuint (rows, <=, MAX_ROWS);
  g_assert_true (gtk_widget_has_focus (entry) || gtk_widget_is_focus (entry)
                 || gtk_widget_get_focus_child (entry) != NULL);

  /* Typed without tone marks: every person whose name has those words. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "TRAN");
  settle ();
  for (guint i = 0; i < people->len; i++)
    if (g_str_match_string ("tran", cn_record_get_title (g_ptr_array_index (people, i)), TRUE))
      expected++;
  g_assert_cmpuint (expected, >, N_PEOPLE / 10);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected);
  g_assert_cmpuint (count_type (list, GTK_TYPE_CHECK_BUTTON), <=, MAX_ROWS);
  expected = 0;
  gtk_editable_set_text (GTK_EDITABLE (entry), "tran quy");
  wait_until (mapped, list, "the filtered list");
  settle ();
  for (guint i = 0; i < people->len; i++)
    if (g_str_match_string ("tran quy", cn_record_get_title (g_ptr_array_index (people, i)), TRUE))
      expected++;
  g_assert_cmpuint (expected, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected);
  g_assert_nonnull (shown_row (list, "Trần Quý"));
  g_assert_nonnull (shown_row (list, "TRẦN QUÝ LONG"));
  g_assert_true (gtk_check_button_get_active (shown_row (list, "Trần Quý")));
  screenshot ("record-editor-2-tran-quy");
  g_assert_false (gtk_check_button_get_active (shown_row (list, "TRẦN QUÝ LONG")));

  /* Ticking a row (Space or Enter on it, or a click) adds the person. */
  g_assert_true (gtk_widget_activate_action (list, "list.activate-item", "u",
                                             shown_position (model, f->other_tran_quy)));
  g_assert_true (gtk_check_button_get_active (shown_row (list, "TRẦN QUÝ LONG")));
  g_assert_true (cn_record_editor_get_modified (editor));
  names = chip_names (picker);
  g_assert_cmpstr (names, ==, "Trần Quý|Bùi Huy Cường|TRẦN QUÝ LONG");
  g_clear_pointer (&names, g_free);

  /* Ticking it again takes it back out. */
  g_assert_true (gtk_widget_activate_action (list, "list.activate-item", "u",
                                             shown_position (model, f->other_tran_quy)));
  g_assert_false (gtk_check_button_get_active (shown_row (list, "TRẦN QUÝ LONG")));
  names = chip_names (picker);
  g_assert_cmpstr (names, ==, "Trần Quý|Bùi Huy Cường");
  g_clear_pointer (&names, g_free);

  /* A search nothing matches says so. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "khong co ai ten nay");
  settle ();
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_false (gtk_widget_get_visible (list));

  /* Enter in the search chooses the first match: the 8th generated person. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "nguyen thi chau 0007");
  settle ();
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_signal_emit_by_name (entry, "activate");
  names = chip_names (picker);
  g_assert_true (g_str_has_prefix (names, "Trần Quý|Bùi Huy Cường|"));
  g_assert_true (g_str_has_suffix (names, "|Nguyễn Thị Châu 0007"));
  g_clear_pointer (&names, g_free);
  gtk_editable_set_text (GTK_EDITABLE (entry), "tran quy long");
  settle ();
  g_assert_true (gtk_widget_activate_action (list, "list.activate-item", "u", 0));
  cn_choice_picker_popdown (picker);
  settle ();
  g_assert_false (gtk_widget_get_visible (popover));

  /* Removing Bùi Huy Cường from the chips. */
  g_assert_nonnull (remove_button_of (picker, "Bùi Huy Cường"));
  g_signal_emit_by_name (remove_button_of (picker, "Bùi Huy Cường"), "clicked");
  g_assert_null (remove_button_of (picker, "Bùi Huy Cường"));

  /* Saved: the ids in the order chosen. */
  g_assert_true (cn_record_editor_save (editor));
  saved = cn_store_get (f->store, VISIT_0606, &error);
  g_assert_no_error (error);
  led_by = json_object_get_array_member (cn_record_get_data (saved), "led_by");
  g_assert_cmpuint (json_array_get_length (led_by), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (led_by, 0), ==, TRAN_QUY);
  {
    g_autoptr(CnRecord) third = cn_store_get (f->store, json_array_get_string_element (led_by, 1), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (cn_record_get_title (third), ==, "Nguyễn Thị Châu 0007");
  }
  g_assert_cmpstr (json_array_get_string_element (led_by, 2), ==, f->other_tran_quy);

  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);
}

/* A form that may not be changed shows the people but offers no way to change them. */
static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnRecord) visit = cn_store_get (f->store, VISIT_0606, &error);
  g_autofree char *names = NULL;
  CnRecordEditor *editor;
  CnChoicePicker *picker;
  GtkWidget *remove;

  g_assert_no_error (error);
  editor = g_object_ref_sink (cn_record_editor_new ("visit", visit));
  cn_record_editor_set_store (editor, f->store);
  cn_record_editor_load_choices (editor);
  cn_record_editor_set_read_only (editor, TRUE, "Chỉ xem");
  wait_until (choices_read, editor, "reading the form's choices");

  picker = find_picker (editor, "led_by");
  names = chip_names (picker);
  g_assert_cmpstr (names, ==, "Trần Quý|Bùi Huy Cường");
  remove = remove_button_of (picker, "Trần Quý");
  g_assert_nonnull (remove);
  g_assert_false (gtk_widget_get_visible (remove));
  cn_choice_picker_toggle (picker, BUI_HUY_CUONG);
  g_assert_true (cn_choice_picker_is_chosen (picker, BUI_HUY_CUONG));
  g_assert_false (cn_record_editor_get_modified (editor));

  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);
}

int
main (int argc, char **argv)
{
  /* Forms open windows; this test needs no accessibility bus (the AT-SPI test does). */
  g_setenv ("GTK_A11Y", "none", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/record-editor/led-by-picker", Fixture, NULL, fixture_set_up, test_led_by_picker,
              fixture_tear_down);
  g_test_add ("/record-editor/read-only", Fixture, NULL, fixture_set_up, test_read_only,
              fixture_tear_down);
  return g_test_run ();
}
