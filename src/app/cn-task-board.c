/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-tasks"

#include "config.h"

#include <glib/gi18n.h>

#include "cn-csv.h"
#include "cn-delegations-view.h"
#include "cn-schema.h"
#include "cn-task-board.h"
#include "cn-time.h"
#include "cn-widget-util.h"

/* Tasks in one column per status. A card's "Move" button asks for the new status and a
 * comment; the move writes the task and its task_event together. Overdue cards stand out.
 * Filters by commune, owner and delegation; the tasks shown and the working sessions can be
 * saved as CSV. */

static const char * const statuses[] = { "proposed", "open", "in_progress", "done", "dropped" };

struct _CnTaskBoard
{
  AdwBin       parent_instance;

  GtkDropDown *commune_filter;
  GtkDropDown *owner_filter;
  GtkDropDown *delegation_filter;
  GtkBox      *columns_box;

  /* ids in the filters' order; index 0 is "all" (NULL) */
  GPtrArray   *commune_ids;
  GPtrArray   *owner_ids;
  GPtrArray   *delegation_ids;
  GPtrArray   *shown;       /* the tasks on the board, for the export */
  gboolean     filling;
};

G_DEFINE_FINAL_TYPE (CnTaskBoard, cn_task_board, ADW_TYPE_BIN)

static CnStore *
get_store (CnTaskBoard *self)
{
  CnDelegationsView *view = cn_delegations_view_from_widget (GTK_WIDGET (self));

  return view != NULL ? cn_delegations_view_get_store (view) : NULL;
}

static const char *
selected_id (GtkDropDown *dropdown,
             GPtrArray   *ids)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  return ids != NULL && i < ids->len ? g_ptr_array_index (ids, i) : NULL;
}

static void
fill_filter (GtkDropDown *dropdown,
             GPtrArray  **ids,
             GPtrArray   *records,
             const char  *all_label)
{
  const char *previous = selected_id (dropdown, *ids);
  g_autofree char *keep = g_strdup (previous);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint selected = 0;

  g_clear_pointer (ids, g_ptr_array_unref);
  *ids = g_ptr_array_new_with_free_func (g_free);
  gtk_string_list_append (labels, all_label);
  g_ptr_array_add (*ids, NULL);
  for (guint i = 0; i < records->len; i++)
    {
      CnRecord *record = g_ptr_array_index (records, i);

      if (g_strcmp0 (cn_record_get_id (record), keep) == 0)
        selected = (*ids)->len;
      gtk_string_list_append (labels, cn_record_get_title (record));
      g_ptr_array_add (*ids, g_strdup (cn_record_get_id (record)));
    }
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (dropdown, selected);
}

/* Moving a card */

typedef struct
{
  CnTaskBoard *self;
  CnRecord    *task;
  GtkWidget   *comment;
} MoveData;

static void
move_data_free (MoveData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->task);
  g_free (data);
}

static void
move_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  MoveData         *data)
{
  CnDelegationsView *view = cn_delegations_view_from_widget (GTK_WIDGET (data->self));
  g_autoptr(GError) error = NULL;
  const char *comment = gtk_editable_get_text (GTK_EDITABLE (data->comment));

  if (view != NULL && g_strcmp0 (response, "cancel") != 0
      && !cn_delegations_view_move_task (view, data->task, response, comment, &error))
    cn_delegations_view_toast (view, error->message);
  move_data_free (data);
}

static void
move_clicked_cb (GtkButton *button,
                 CnRecord  *task)
{
  CnTaskBoard *self = CN_TASK_BOARD (gtk_widget_get_ancestor (GTK_WIDGET (button), CN_TYPE_TASK_BOARD));
  const char *current = cn_record_get_string (task, "status");
  GtkWidget *dialog;
  GtkWidget *entry;
  MoveData *data;

  /* Translators: the title of the dialog moving a task, %s is the task's title */
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (button))),
                                   _("Move Task"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog), _("Move “%s” to:"),
                                  cn_record_get_string (task, "title"));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"));
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      if (g_strcmp0 (statuses[i], current) == 0)
        continue;
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), statuses[i],
                                       cn_delegations_status_label ("task", "status", statuses[i]));
    }
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Comment (optional)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Comment"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);

  data = g_new0 (MoveData, 1);
  data->self = g_object_ref (self);
  data->task = g_object_ref (task);
  data->comment = entry;
  g_signal_connect (dialog, "response", G_CALLBACK (move_response_cb), data);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
card_activated_cb (GtkListBox    *list,
                   GtkListBoxRow *row,
                   gpointer       user_data)
{
  CnDelegationsView *view = cn_delegations_view_from_widget (GTK_WIDGET (list));
  CnRecord *task = g_object_get_data (G_OBJECT (row), "record");

  if (view != NULL && task != NULL)
    cn_delegations_view_edit (view, "task", task, NULL);
}

static GtkWidget *
make_card (CnTaskBoard *self,
           CnStore     *store,
           CnRecord    *task,
           const char  *today)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *move = gtk_button_new_from_icon_name ("go-next-symbolic");
  g_autofree char *commune = cn_delegations_title_of (store, cn_record_get_string (task, "commune_id"));
  g_autofree char *owner = cn_delegations_title_of (store, cn_record_get_string (task, "owner_id"));
  g_autofree char *due = cn_delegations_format_date (cn_record_get_string (task, "due_on"));
  g_autoptr(GString) subtitle = g_string_new (commune);
  g_autofree char *title = g_markup_escape_text (cn_record_get_string (task, "title") ? cn_record_get_string (task, "title") : "", -1);
  g_autofree char *escaped = NULL;
  g_autofree char *move_label = NULL;
  gboolean overdue = cn_delegations_task_is_overdue (task, today);

  if (owner[0] != '\0')
    g_string_append_printf (subtitle, "%s%s", subtitle->len ? " · " : "", owner);
  if (due[0] != '\0')
    g_string_append_printf (subtitle, "%s%s %s", subtitle->len ? " · " : "", _("due"), due);
  if (overdue)
    g_string_append_printf (subtitle, " · %s", _("overdue"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  escaped = g_markup_escape_text (subtitle->str, -1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  if (overdue)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Overdue"), -1);
      gtk_widget_add_css_class (icon, "error");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_widget_add_css_class (row, "overdue");
    }

  /* Translators: accessible name of a task card's move button, %s is the task's title */
  move_label = g_strdup_printf (_("Move “%s”"), cn_record_get_string (task, "title"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (move), GTK_ACCESSIBLE_PROPERTY_LABEL, move_label, -1);
  gtk_widget_set_tooltip_text (move, _("Move to another status…"));
  gtk_widget_add_css_class (move, "flat");
  gtk_widget_set_valign (move, GTK_ALIGN_CENTER);
  g_signal_connect_data (move, "clicked", G_CALLBACK (move_clicked_cb),
                         g_object_ref (task), (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  {
    CnDelegationsView *view = cn_delegations_view_from_widget (GTK_WIDGET (self));
    g_autofree char *why = NULL;

    if (view != NULL && !cn_delegations_view_can_write (view, "task", cn_record_get_string (task, "commune_id"), &why))
      {
        gtk_widget_set_sensitive (move, FALSE);
        gtk_widget_set_tooltip_text (move, why);
      }
  }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), move);
  g_object_set_data_full (G_OBJECT (row), "record", g_object_ref (task), g_object_unref);
  return row;
}

static gboolean
task_passes (CnTaskBoard *self,
             CnRecord    *task,
             char       **delegation_communes)
{
  const char *commune = selected_id (self->commune_filter, self->commune_ids);
  const char *owner = selected_id (self->owner_filter, self->owner_ids);

  if (commune != NULL && g_strcmp0 (cn_record_get_string (task, "commune_id"), commune) != 0)
    return FALSE;
  if (owner != NULL && g_strcmp0 (cn_record_get_string (task, "owner_id"), owner) != 0)
    return FALSE;
  if (delegation_communes != NULL
      && !g_strv_contains ((const char * const *) delegation_communes,
                           cn_record_get_string (task, "commune_id") ? cn_record_get_string (task, "commune_id") : ""))
    return FALSE;
  return TRUE;
}

static void
fill_columns (CnTaskBoard *self)
{
  CnStore *store = get_store (self);
  g_autoptr(GPtrArray) tasks = NULL;
  g_autofree char *today = cn_time_today ();
  g_auto(GStrv) delegation_communes = NULL;
  const char *delegation = selected_id (self->delegation_filter, self->delegation_ids);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->columns_box))) != NULL)
    gtk_box_remove (self->columns_box, child);
  g_ptr_array_set_size (self->shown, 0);
  if (store == NULL)
    return;

  if (delegation != NULL)
    {
      g_autoptr(CnRecord) record = cn_store_get (store, delegation, NULL);

      delegation_communes = record != NULL ? cn_record_dup_strv (record, "commune_ids") : NULL;
      if (delegation_communes == NULL)
        delegation_communes = g_new0 (char *, 1);
    }

  tasks = cn_delegations_list (store, "task", NULL, NULL, "due_on", FALSE);
  for (guint s = 0; s < G_N_ELEMENTS (statuses); s++)
    {
      GtkWidget *column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *heading = gtk_label_new (NULL);
      GtkWidget *list = gtk_list_box_new ();
      guint n = 0;
      g_autofree char *text = NULL;

      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (list, "boxed-list");
      gtk_widget_set_valign (list, GTK_ALIGN_START);
      gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      cn_delegations_status_label ("task", "status", statuses[s]), -1);
      g_signal_connect (list, "row-activated", G_CALLBACK (card_activated_cb), NULL);

      for (guint i = 0; i < tasks->len; i++)
        {
          CnRecord *task = g_ptr_array_index (tasks, i);

          if (g_strcmp0 (cn_record_get_string (task, "status"), statuses[s]) != 0
              || !task_passes (self, task, delegation_communes))
            continue;
          gtk_list_box_append (GTK_LIST_BOX (list), make_card (self, store, task, today));
          g_ptr_array_add (self->shown, g_object_ref (task));
          n++;
        }

      /* Translators: a task board column: "In progress (3)" */
      text = g_strdup_printf (_("%s (%u)"), cn_delegations_status_label ("task", "status", statuses[s]), n);
      gtk_label_set_text (GTK_LABEL (heading), text);
      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_widget_add_css_class (heading, "heading");
      gtk_box_append (GTK_BOX (column), heading);
      if (n > 0)
        gtk_box_append (GTK_BOX (column), list);
      else
        {
          GtkWidget *empty = gtk_label_new (_("No task"));

          g_object_ref_sink (list);
          g_object_unref (list);
          gtk_widget_add_css_class (empty, "dim-label");
          gtk_label_set_xalign (GTK_LABEL (empty), 0);
          gtk_box_append (GTK_BOX (column), empty);
        }
      gtk_box_append (self->columns_box, column);
    }
}

void
cn_task_board_reload (CnTaskBoard *self)
{
  CnStore *store;

  g_return_if_fail (CN_IS_TASK_BOARD (self));

  store = get_store (self);
  self->filling = TRUE;
  if (store != NULL)
    {
      g_autoptr(GPtrArray) communes = cn_delegations_list (store, "unit", NULL, NULL, "title", FALSE);
      g_autoptr(GPtrArray) people = cn_delegations_list (store, "person", NULL, NULL, "title", FALSE);
      g_autoptr(GPtrArray) delegations = cn_delegations_list (store, "delegation", NULL, NULL, "title", FALSE);

      for (guint i = communes->len; i > 0; i--)
        {
          const char *kind = cn_record_get_string (g_ptr_array_index (communes, i - 1), "kind");

          if (g_strcmp0 (kind, "commune") != 0 && g_strcmp0 (kind, "town") != 0 && g_strcmp0 (kind, "ward") != 0)
            g_ptr_array_remove_index (communes, i - 1);
        }
      fill_filter (self->commune_filter, &self->commune_ids, communes, _("All communes"));
      fill_filter (self->owner_filter, &self->owner_ids, people, _("All owners"));
      fill_filter (self->delegation_filter, &self->delegation_ids, delegations, _("All delegations"));
    }
  self->filling = FALSE;
  fill_columns (self);
}

static void
filter_changed_cb (CnTaskBoard *self)
{
  if (!self->filling)
    fill_columns (self);
}

/* CSV export */

typedef enum {
  EXPORT_TASKS,
  EXPORT_VISITS,
} ExportKind;

static GString *
tasks_csv (CnTaskBoard *self,
           CnStore     *store)
{
  GString *csv = cn_csv_new ();
  g_autofree char *today = cn_time_today ();
  const char *header[] = { _("Task"), _("Commune"), _("Owner"), _("Due date"), _("Status"),
                           _("Overdue"), _("Description") };

  cn_csv_append_row (csv, header, G_N_ELEMENTS (header));
  for (guint i = 0; i < self->shown->len; i++)
    {
      CnRecord *task = g_ptr_array_index (self->shown, i);
      g_autofree char *commune = cn_delegations_title_of (store, cn_record_get_string (task, "commune_id"));
      g_autofree char *owner = cn_delegations_title_of (store, cn_record_get_string (task, "owner_id"));
      g_autofree char *due = cn_delegations_format_date (cn_record_get_string (task, "due_on"));
      const char *row[] = {
        cn_record_get_string (task, "title"), commune, owner, due,
        cn_delegations_status_label ("task", "status", cn_record_get_string (task, "status")),
        cn_delegations_task_is_overdue (task, today) ? _("yes") : "",
        cn_record_get_string (task, "description"),
      };

      cn_csv_append_row (csv, row, G_N_ELEMENTS (row));
    }
  return csv;
}

static GString *
visits_csv (CnStore *store)
{
  GString *csv = cn_csv_new ();
  g_autoptr(GPtrArray) visits = cn_delegations_list (store, "visit", NULL, NULL, "date", FALSE);
  const char *header[] = { _("Date"), _("Commune"), _("Delegation"), _("Led by"), _("Participants"),
                           _("Topics"), _("Notes"), _("Conclusions") };

  cn_csv_append_row (csv, header, G_N_ELEMENTS (header));
  for (guint i = 0; i < visits->len; i++)
    {
      CnRecord *visit = g_ptr_array_index (visits, i);
      g_autofree char *date = cn_delegations_format_date (cn_record_get_string (visit, "date"));
      g_autofree char *commune = cn_delegations_title_of (store, cn_record_get_string (visit, "commune_id"));
      g_autofree char *delegation = cn_delegations_title_of (store, cn_record_get_string (visit, "delegation_id"));
      g_autofree char *led_by = cn_delegations_names_of (store, visit, "led_by");
      g_auto(GStrv) topics = cn_record_dup_strv (visit, "topics");
      g_autofree char *topic_text = topics != NULL ? g_strjoinv ("; ", topics) : NULL;
      const char *row[] = {
        date, commune, delegation, led_by, cn_record_get_string (visit, "participants"), topic_text,
        cn_record_get_string (visit, "notes"), cn_record_get_string (visit, "conclusions"),
      };

      cn_csv_append_row (csv, row, G_N_ELEMENTS (row));
    }
  return csv;
}

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    gpointer         user_data)
{
  CnTaskBoard *self = CN_TASK_BOARD (user_data);
  ExportKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "kind"));
  CnDelegationsView *view = cn_delegations_view_from_widget (GTK_WIDGET (self));
  CnStore *store = get_store (self);

  if (response == GTK_RESPONSE_ACCEPT && store != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GString) csv = kind == EXPORT_TASKS ? tasks_csv (self, store) : visits_csv (store);
      g_autoptr(GError) error = NULL;

      if (!cn_csv_write_file (csv, file, NULL, &error))
        cn_delegations_view_toast (view, error->message);
      else
        {
          g_autofree char *name = g_file_get_basename (file);
          /* Translators: %s is a file name */
          g_autofree char *message = g_strdup_printf (_("Saved as “%s”"), name);
          cn_delegations_view_toast (view, message);
        }
    }
  g_object_unref (self);
  g_object_unref (chooser);
}

static void
export_csv (CnTaskBoard *self,
            ExportKind   kind)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (kind == EXPORT_TASKS ? _("Export Tasks") : _("Export Working Sessions"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("CSV spreadsheets"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  /* Translators: suggested file names of the CSV exports */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser),
                                     kind == EXPORT_TASKS ? _("tasks.csv") : _("working-sessions.csv"));
  g_object_set_data (G_OBJECT (chooser), "kind", GINT_TO_POINTER (kind));
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_tasks_clicked_cb (CnTaskBoard *self)
{
  export_csv (self, EXPORT_TASKS);
}

static void
export_visits_clicked_cb (CnTaskBoard *self)
{
  export_csv (self, EXPORT_VISITS);
}

static void
cn_task_board_dispose (GObject *object)
{
  CnTaskBoard *self = CN_TASK_BOARD (object);

  /* AdwBin unparents its child itself: drop it first, so that the template does not
   * unparent a bound child the bin still points to. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CN_TYPE_TASK_BOARD);

  G_OBJECT_CLASS (cn_task_board_parent_class)->dispose (object);
}

static void
cn_task_board_finalize (GObject *object)
{
  CnTaskBoard *self = CN_TASK_BOARD (object);

  g_clear_pointer (&self->commune_ids, g_ptr_array_unref);
  g_clear_pointer (&self->owner_ids, g_ptr_array_unref);
  g_clear_pointer (&self->delegation_ids, g_ptr_array_unref);
  g_clear_pointer (&self->shown, g_ptr_array_unref);

  G_OBJECT_CLASS (cn_task_board_parent_class)->finalize (object);
}

static void
cn_task_board_class_init (CnTaskBoardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cn_task_board_dispose;
  object_class->finalize = cn_task_board_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/hatinh/nongthonmoi/CauNoi/cn-task-board.ui");
  gtk_widget_class_bind_template_child (widget_class, CnTaskBoard, commune_filter);
  gtk_widget_class_bind_template_child (widget_class, CnTaskBoard, owner_filter);
  gtk_widget_class_bind_template_child (widget_class, CnTaskBoard, delegation_filter);
  gtk_widget_class_bind_template_child (widget_class, CnTaskBoard, columns_box);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_tasks_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_visits_clicked_cb);
}

static void
cn_task_board_init (CnTaskBoard *self)
{
  self->shown = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));
  cn_widget_name_dropdown (self->commune_filter, _("Filter by commune"));
  cn_widget_name_dropdown (self->owner_filter, _("Filter by owner"));
  cn_widget_name_dropdown (self->delegation_filter, _("Filter by delegation"));
}
