/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-tasks"

#include "config.h"

#include <glib/gi18n.h>

#include "cn-csv.h"
#include "cn-delegations-view.h"
#include "cn-error.h"
#include "cn-record-list.h"
#include "cn-schema.h"
#include "cn-stall-probe.h"
#include "cn-task-board.h"
#include "cn-time.h"
#include "cn-widget-util.h"
#include "cn-workflow-reader.h"

/* Tasks in one column per status. A card's "Move" button asks for the new status and a
 * comment; the move writes the task and its task_event together. Overdue cards stand out.
 * Filters by commune, owner and delegation; the tasks shown and the working sessions can be
 * saved as CSV.
 *
 * A province has tens of thousands of tasks: each column is a one-column GtkGridView (GTK
 * 4.8 makes about 30 of its cells at a time, a GtkListView up to 200) over a CnRecordList,
 * which reads the column's records page by page and follows the store's changes by itself.
 * The filters' names are read in a worker thread (cn-workflow-reader.h); they also give
 * the cards the names of their communes and owners. */

static const char * const statuses[] = { "proposed", "open", "in_progress", "done", "dropped" };

#define N_COLUMNS G_N_ELEMENTS (statuses)

/* The cells of a column get the look of a libadwaita 1.2 .boxed-list: one rounded card,
 * rows parted by a line. */
static const char card_css[] =
  "gridview.task-cards { background: none; padding: 0 1px 2px; }"
  "gridview.task-cards > child { padding: 0; background-color: @card_bg_color;"
  "  border-bottom: 1px solid alpha(currentColor, 0.08);"
  "  box-shadow: 1px 0 0 alpha(black, 0.06), -1px 0 0 alpha(black, 0.06); }"
  "gridview.task-cards > child:first-child { border-top-left-radius: 12px;"
  "  border-top-right-radius: 12px; box-shadow: 0 -1px 0 alpha(black, 0.06),"
  "  1px 0 0 alpha(black, 0.06), -1px 0 0 alpha(black, 0.06); }"
  "gridview.task-cards > child:last-child { border-bottom-left-radius: 12px;"
  "  border-bottom-right-radius: 12px; border-bottom: none;"
  "  box-shadow: 0 1px 0 alpha(black, 0.06), 1px 0 0 alpha(black, 0.06), -1px 0 0 alpha(black, 0.06); }"
  "gridview.task-cards > child:hover { background-image: image(alpha(currentColor, 0.03)); }"
  ".task-card { min-height: 50px; padding: 6px 12px; }"
  ".task-card .subtitle { font-size: smaller; opacity: 0.55; }";

typedef struct
{
  GtkWidget           *heading;
  GtkWidget           *scroller;
  GtkWidget           *empty;
  GtkGridView         *view;
  CnRecordList        *records;   /* the column's tasks, by due date */
  GtkFilterListModel  *filtered;  /* … of the delegation's communes */
  GtkSelectionModel   *selection; /* … for the view, given one column a frame */
} Column;

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
  GHashTable  *titles;         /* id → title of the communes and people, for the cards */
  GStrv        delegation_communes;  /* the selected delegation's, or NULL */
  GtkFilter   *delegation_filter_func;
  Column       columns[N_COLUMNS];
  CnStore     *store;          /* the columns' store */
  guint        attach_id;      /* the tick giving the views their models */
  GCancellable *cancellable;   /* the filters being read */
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
fill_filter (CnTaskBoard *self,
             GtkDropDown *dropdown,
             GPtrArray  **ids,
             GPtrArray   *items,
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
  for (guint i = 0; i < items->len; i++)
    {
      CnIdTitle *item = g_ptr_array_index (items, i);

      if (g_strcmp0 (item->id, keep) == 0)
        selected = (*ids)->len;
      gtk_string_list_append (labels, item->title);
      g_ptr_array_add (*ids, g_strdup (item->id));
      if (self->titles != NULL)
        g_hash_table_replace (self->titles, g_strdup (item->id), g_strdup (item->title));
    }
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (dropdown, selected);
}

/* A commune's or owner's name: from the filters' lists, else from the store (a unit that is
 * not a commune, a record written since). */
static const char *
title_of (CnTaskBoard *self,
          const char  *id)
{
  const char *title;
  char *found;

  if (id == NULL)
    return "";
  title = g_hash_table_lookup (self->titles, id);
  if (title != NULL)
    return title;
  found = cn_delegations_title_of (self->store, id);
  g_hash_table_insert (self->titles, g_strdup (id), found);
  return found;
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
card_activated_cb (GtkGridView *view,
                   guint        position,
                   gpointer     user_data)
{
  CnDelegationsView *delegations = cn_delegations_view_from_widget (GTK_WIDGET (view));
  g_autoptr(CnRecord) task = g_list_model_get_item (G_LIST_MODEL (gtk_grid_view_get_model (view)), position);

  if (delegations != NULL && task != NULL)
    cn_delegations_view_edit (delegations, "task", task, NULL);
}

static void
move_button_clicked_cb (GtkButton   *button,
                        GtkListItem *item)
{
  CnRecord *task = gtk_list_item_get_item (item);

  if (task != NULL)
    move_clicked_cb (button, task);
}

/* A card: the task's title; its commune, owner, due date; a warning when overdue; the move
 * button. Made once per cell and filled for each task the cell shows. The texts are
 * GtkInscriptions: their size does not depend on their text, so a column of cards is laid
 * out without shaping every title at every width a label would be measured at (which took
 * seconds for a screenful of columns). Two lines each, a longer text ends in "…" and shows
 * whole in its tooltip. */
static void
card_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *move = gtk_button_new_from_icon_name ("go-next-symbolic");
  GtkWidget *title = gtk_inscription_new (NULL);
  GtkWidget *subtitle = gtk_inscription_new (NULL);

  gtk_widget_add_css_class (card, "task-card");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Overdue"), -1);
  gtk_widget_add_css_class (icon, "error");
  gtk_widget_set_visible (icon, FALSE);
  gtk_box_append (GTK_BOX (card), icon);

  for (guint i = 0; i < 2; i++)
    {
      GtkInscription *text = GTK_INSCRIPTION (i == 0 ? title : subtitle);

      gtk_inscription_set_min_lines (text, 2);
      gtk_inscription_set_nat_lines (text, 2);
      gtk_inscription_set_wrap_mode (text, PANGO_WRAP_WORD_CHAR);
      gtk_inscription_set_text_overflow (text, GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
      gtk_inscription_set_xalign (text, 0);
      gtk_box_append (GTK_BOX (texts), GTK_WIDGET (text));
    }
  gtk_widget_add_css_class (subtitle, "subtitle");
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (card), texts);

  gtk_widget_add_css_class (move, "flat");
  gtk_widget_set_valign (move, GTK_ALIGN_CENTER);
  g_signal_connect (move, "clicked", G_CALLBACK (move_button_clicked_cb), item);
  gtk_box_append (GTK_BOX (card), move);
  g_object_set_data (G_OBJECT (card), "icon", icon);
  g_object_set_data (G_OBJECT (card), "move", move);
  g_object_set_data (G_OBJECT (card), "title", title);
  g_object_set_data (G_OBJECT (card), "subtitle", subtitle);
  gtk_list_item_set_child (item, card);
}

static void
card_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              CnTaskBoard              *self)
{
  CnRecord *task = gtk_list_item_get_item (item);
  GtkWidget *card = gtk_list_item_get_child (item);
  GtkWidget *icon = g_object_get_data (G_OBJECT (card), "icon");
  GtkWidget *move = g_object_get_data (G_OBJECT (card), "move");
  GtkWidget *title = g_object_get_data (G_OBJECT (card), "title");
  GtkWidget *subtitle_text = g_object_get_data (G_OBJECT (card), "subtitle");
  CnDelegationsView *view = cn_delegations_view_from_widget (GTK_WIDGET (self));
  g_autofree char *today = cn_time_today ();
  const char *task_title = cn_record_get_string (task, "title");
  const char *owner = title_of (self, cn_record_get_string (task, "owner_id"));
  g_autofree char *due = cn_delegations_format_date (cn_record_get_string (task, "due_on"));
  g_autoptr(GString) subtitle = g_string_new (title_of (self, cn_record_get_string (task, "commune_id")));
  g_autofree char *move_label = NULL;
  g_autofree char *why = NULL;
  gboolean overdue = cn_delegations_task_is_overdue (task, today);

  if (owner[0] != '\0')
    g_string_append_printf (subtitle, "%s%s", subtitle->len ? " · " : "", owner);
  if (due[0] != '\0')
    g_string_append_printf (subtitle, "%s%s %s", subtitle->len ? " · " : "", _("due"), due);
  if (overdue)
    g_string_append_printf (subtitle, " · %s", _("overdue"));

  gtk_inscription_set_text (GTK_INSCRIPTION (title), task_title);
  gtk_inscription_set_text (GTK_INSCRIPTION (subtitle_text), subtitle->str);
  /* Cut texts are read whole by assistive technology and shown whole in a tooltip. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (title), GTK_ACCESSIBLE_PROPERTY_LABEL, task_title, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (subtitle_text), GTK_ACCESSIBLE_PROPERTY_LABEL, subtitle->str, -1);
  cn_delegations_set_tooltip (title, task_title);
  cn_delegations_set_tooltip (subtitle_text, subtitle->str);
  gtk_widget_set_visible (icon, overdue);
  if (overdue)
    gtk_widget_add_css_class (card, "overdue");
  else
    gtk_widget_remove_css_class (card, "overdue");

  /* Translators: accessible name of a task card's move button, %s is the task's title */
  move_label = g_strdup_printf (_("Move “%s”"), task_title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (move), GTK_ACCESSIBLE_PROPERTY_LABEL, move_label, -1);
  if (view != NULL && !cn_delegations_view_can_write (view, "task", cn_record_get_string (task, "commune_id"), &why))
    {
      gtk_widget_set_sensitive (move, FALSE);
      cn_delegations_set_tooltip (move, why);
    }
  else
    {
      gtk_widget_set_sensitive (move, TRUE);
      cn_delegations_set_tooltip (move, _("Move to another status…"));
    }
}

static gboolean
in_delegation_cb (gpointer item,
                  gpointer user_data)
{
  CnTaskBoard *self = CN_TASK_BOARD (user_data);
  const char *commune = cn_record_get_string (CN_RECORD (item), "commune_id");

  return self->delegation_communes == NULL
         || g_strv_contains ((const char * const *) self->delegation_communes, commune ? commune : "");
}

static void
update_heading (Column     *column,
                const char *status)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (column->filtered));
  g_autofree char *text = NULL;

  /* Translators: a task board column: "In progress (3)" */
  text = g_strdup_printf (_("%s (%u)"), cn_delegations_status_label ("task", "status", status), n);
  gtk_label_set_text (GTK_LABEL (column->heading), text);
  gtk_widget_set_visible (column->scroller, n > 0);
  gtk_widget_set_visible (column->empty, n == 0);
}

static void
column_changed_cb (GListModel  *model,
                   guint        position,
                   guint        removed,
                   guint        added,
                   CnTaskBoard *self)
{
  for (guint s = 0; s < N_COLUMNS; s++)
    if (G_LIST_MODEL (self->columns[s].filtered) == model)
      update_heading (&self->columns[s], statuses[s]);
  if (added > 0)
    cn_stall_probe_note ("rows");
}

static CnQuery *
column_query (CnTaskBoard *self,
              guint        s)
{
  CnQuery *query = cn_query_new ("task");
  const char *commune = selected_id (self->commune_filter, self->commune_ids);
  const char *owner = selected_id (self->owner_filter, self->owner_ids);

  cn_query_add_filter (query, "status", CN_QUERY_EQ, statuses[s]);
  if (commune != NULL)
    cn_query_add_filter (query, "commune_id", CN_QUERY_EQ, commune);
  if (owner != NULL)
    cn_query_add_filter (query, "owner_id", CN_QUERY_EQ, owner);
  cn_query_set_sort (query, "due_on", FALSE);
  return query;
}

static void
make_columns (CnTaskBoard *self)
{
  for (guint s = 0; s < N_COLUMNS; s++)
    {
      Column *column = &self->columns[s];
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

      column->heading = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (column->heading), 0);
      gtk_widget_add_css_class (column->heading, "heading");
      gtk_box_append (GTK_BOX (box), column->heading);

      /* No filter (every task passes, none is read) until a delegation is chosen. */
      column->filtered = gtk_filter_list_model_new (NULL, NULL);
      gtk_filter_list_model_set_incremental (column->filtered, TRUE);
      g_signal_connect (column->filtered, "items-changed", G_CALLBACK (column_changed_cb), self);

      g_signal_connect (factory, "setup", G_CALLBACK (card_setup_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (card_bind_cb), self);
      column->view = GTK_GRID_VIEW (g_object_new (GTK_TYPE_GRID_VIEW,
                                                  "accessible-role", GTK_ACCESSIBLE_ROLE_LIST,
                                                  "max-columns", 1,
                                                  "single-click-activate", TRUE,
                                                  "factory", factory,
                                                  NULL));
      column->selection = GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (column->filtered))));
      gtk_widget_add_css_class (GTK_WIDGET (column->view), "task-cards");
      gtk_accessible_update_property (GTK_ACCESSIBLE (column->view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      cn_delegations_status_label ("task", "status", statuses[s]), -1);
      g_signal_connect (column->view, "activate", G_CALLBACK (card_activated_cb), NULL);

      column->scroller = gtk_scrolled_window_new ();
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (column->scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (column->scroller), GTK_WIDGET (column->view));
      gtk_widget_set_vexpand (column->scroller, TRUE);
      gtk_box_append (GTK_BOX (box), column->scroller);

      column->empty = gtk_label_new (_("No task"));
      gtk_widget_add_css_class (column->empty, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (column->empty), 0);
      gtk_widget_set_valign (column->empty, GTK_ALIGN_START);
      gtk_box_append (GTK_BOX (box), column->empty);

      gtk_box_append (self->columns_box, box);
      update_heading (column, statuses[s]);
    }
}

/* The first cards of a column take a frame to make and lay out: one column a frame. */
static gboolean
attach_next_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  CnTaskBoard *self = CN_TASK_BOARD (widget);

  for (guint s = 0; s < N_COLUMNS; s++)
    if (gtk_grid_view_get_model (self->columns[s].view) == NULL)
      {
        gtk_grid_view_set_model (self->columns[s].view, self->columns[s].selection);
        return G_SOURCE_CONTINUE;
      }
  self->attach_id = 0;
  return G_SOURCE_REMOVE;
}

/* Gives the columns the filters' tasks: a new query for the commune and the owner, the
 * delegation's communes to the filter. */
static void
fill_columns (CnTaskBoard *self)
{
  CnStore *store = get_store (self);
  const char *delegation = selected_id (self->delegation_filter, self->delegation_ids);

  if (store != self->store)
    {
      g_set_object (&self->store, store);
      for (guint s = 0; s < N_COLUMNS; s++)
        {
          g_autoptr(CnQuery) query = column_query (self, s);

          g_clear_object (&self->columns[s].records);
          if (store != NULL)
            self->columns[s].records = cn_record_list_new (store, query);
          gtk_filter_list_model_set_model (self->columns[s].filtered, G_LIST_MODEL (self->columns[s].records));
        }
      if (self->attach_id == 0)
        self->attach_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), attach_next_cb, NULL, NULL);
    }
  if (store == NULL)
    return;

  g_clear_pointer (&self->delegation_communes, g_strfreev);
  if (delegation != NULL)
    {
      g_autoptr(CnRecord) record = cn_store_get (store, delegation, NULL);

      self->delegation_communes = record != NULL ? cn_record_dup_strv (record, "commune_ids") : NULL;
      if (self->delegation_communes == NULL)
        self->delegation_communes = g_new0 (char *, 1);
    }
  for (guint s = 0; s < N_COLUMNS; s++)
    {
      g_autoptr(CnQuery) query = column_query (self, s);
      GtkFilterListModel *filtered = self->columns[s].filtered;
      GtkFilter *filter = self->delegation_communes != NULL ? self->delegation_filter_func : NULL;

      cn_record_list_set_query (self->columns[s].records, query);
      if (gtk_filter_list_model_get_filter (filtered) != filter)
        gtk_filter_list_model_set_filter (filtered, filter);
      else if (filter != NULL)
        gtk_filter_changed (filter, GTK_FILTER_CHANGE_DIFFERENT);
    }
}

typedef struct
{
  GPtrArray *communes;
  GPtrArray *people;
  GPtrArray *delegations;
} Filters;

static void
filters_free (Filters *f)
{
  g_clear_pointer (&f->communes, g_ptr_array_unref);
  g_clear_pointer (&f->people, g_ptr_array_unref);
  g_clear_pointer (&f->delegations, g_ptr_array_unref);
  g_free (f);
}

static void
read_filters_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(CnWorkflowReader) reader = NULL;
  Filters *f = g_new0 (Filters, 1);
  GError *error = NULL;

  reader = cn_workflow_reader_open (path, &error);
  if (reader != NULL)
    f->communes = cn_workflow_reader_titles (reader, "unit", TRUE, &error);
  if (f->communes != NULL)
    f->people = cn_workflow_reader_titles (reader, "person", FALSE, &error);
  if (f->people != NULL)
    f->delegations = cn_workflow_reader_titles (reader, "delegation", FALSE, &error);
  if (f->delegations == NULL)
    {
      filters_free (f);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, f, (GDestroyNotify) filters_free);
}

static void
read_filters_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  CnTaskBoard *self = CN_TASK_BOARD (source);
  g_autoptr(GError) error = NULL;
  Filters *f = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  if (f == NULL)
    {
      CnDelegationsView *view = cn_delegations_view_from_widget (GTK_WIDGET (self));

      if (view != NULL)
        cn_delegations_view_toast (view, error->message);
      return;
    }
  g_hash_table_remove_all (self->titles);
  self->filling = TRUE;
  fill_filter (self, self->commune_filter, &self->commune_ids, f->communes, _("All communes"));
  fill_filter (self, self->owner_filter, &self->owner_ids, f->people, _("All owners"));
  fill_filter (self, self->delegation_filter, &self->delegation_ids, f->delegations, _("All delegations"));
  self->filling = FALSE;
  filters_free (f);
  fill_columns (self);
  /* The cards shown take the names just read (a unit or a person may have been renamed). */
  for (guint s = 0; s < N_COLUMNS; s++)
    {
      GtkGridView *view = self->columns[s].view;

      if (gtk_grid_view_get_model (view) == NULL)
        continue;
      gtk_grid_view_set_model (view, NULL);
      gtk_grid_view_set_model (view, self->columns[s].selection);
    }
}

/**
 * cn_task_board_reload:
 * @self: a #CnTaskBoard
 *
 * Reads the filters' communes, people and delegations again (in a worker thread), then
 * shows the tasks. The columns follow changes of the tasks by themselves: this is needed
 * when a unit, a person or a delegation changed, or the user's rights.
 */
void
cn_task_board_reload (CnTaskBoard *self)
{
  CnStore *store;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CN_IS_TASK_BOARD (self));

  store = get_store (self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (store == NULL)
    {
      fill_columns (self);
      return;
    }
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, read_filters_done_cb, NULL);
  g_task_set_source_tag (task, cn_task_board_reload);
  g_task_set_task_data (task, g_strdup (cn_store_get_path (store)), g_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, read_filters_thread);
}

/**
 * cn_task_board_is_loading:
 * @self: a #CnTaskBoard
 *
 * Returns: whether the filters are still being read or a column still being filtered
 */
gboolean
cn_task_board_is_loading (CnTaskBoard *self)
{
  g_return_val_if_fail (CN_IS_TASK_BOARD (self), FALSE);

  if (self->cancellable != NULL)
    return TRUE;
  for (guint s = 0; s < N_COLUMNS; s++)
    if (gtk_filter_list_model_get_pending (self->columns[s].filtered) > 0)
      return TRUE;
  return FALSE;
}

/**
 * cn_task_board_get_n_shown:
 * @self: a #CnTaskBoard
 * @status: a task status
 *
 * Returns: how many tasks the status's column shows
 */
guint
cn_task_board_get_n_shown (CnTaskBoard *self,
                           const char  *status)
{
  g_return_val_if_fail (CN_IS_TASK_BOARD (self), 0);

  for (guint s = 0; s < N_COLUMNS; s++)
    if (g_strcmp0 (statuses[s], status) == 0)
      return g_list_model_get_n_items (G_LIST_MODEL (self->columns[s].filtered));
  return 0;
}

static void
filter_changed_cb (CnTaskBoard *self)
{
  if (!self->filling)
    fill_columns (self);
}

/* CSV export. A province's tasks and sessions run to tens of thousands: they are read
 * (filtered in SQL, on the workflow reader's connection), written as CSV and saved in a
 * worker thread; the export's button is insensitive meanwhile and a toast tells the end. */

typedef struct
{
  CnTaskBoardExport  what;
  char              *path;           /* the store's file */
  GFile             *file;
  /* The board's filters, for the tasks */
  char              *commune_id;
  char              *owner_id;
  char              *delegation_id;
} CsvJob;

static void
csv_job_free (CsvJob *job)
{
  g_free (job->path);
  g_clear_object (&job->file);
  g_free (job->commune_id);
  g_free (job->owner_id);
  g_free (job->delegation_id);
  g_free (job);
}

/* Every task the columns show, in their order. */
static gboolean
append_tasks (GString           *csv,
              CnWorkflowReader  *reader,
              const CsvJob      *job,
              GError           **error)
{
  g_autofree char *today = cn_time_today ();
  const char *header[] = { _("Task"), _("Commune"), _("Owner"), _("Due date"), _("Status"),
                           _("Overdue"), _("Description") };

  cn_csv_append_row (csv, header, G_N_ELEMENTS (header));
  for (guint s = 0; s < N_COLUMNS; s++)
    {
      CnTaskSelection selection = {
        .status = statuses[s],
        .commune_id = job->commune_id,
        .owner_id = job->owner_id,
        .in_delegation = job->delegation_id != NULL,
        .delegation_id = job->delegation_id,
      };
      g_autoptr(GPtrArray) tasks = cn_workflow_reader_tasks (reader, &selection, error);

      if (tasks == NULL)
        return FALSE;
      for (guint i = 0; i < tasks->len; i++)
        {
          CnRecord *task = g_ptr_array_index (tasks, i);
          g_autofree char *commune = cn_workflow_reader_dup_title (reader, cn_record_get_string (task, "commune_id"));
          g_autofree char *owner = cn_workflow_reader_dup_title (reader, cn_record_get_string (task, "owner_id"));
          g_autofree char *due = cn_delegations_format_date (cn_record_get_string (task, "due_on"));
          const char *row[] = {
            cn_record_get_string (task, "title"), commune, owner, due,
            cn_delegations_status_label ("task", "status", cn_record_get_string (task, "status")),
            cn_delegations_task_is_overdue (task, today) ? _("yes") : "",
            cn_record_get_string (task, "description"),
          };

          cn_csv_append_row (csv, row, G_N_ELEMENTS (row));
        }
    }
  return TRUE;
}

/* Every working session, by date. */
static gboolean
append_sessions (GString           *csv,
                 CnWorkflowReader  *reader,
                 GError           **error)
{
  g_autoptr(GPtrArray) visits = cn_workflow_reader_sessions (reader, NULL, NULL, error);
  const char *header[] = { _("Date"), _("Commune"), _("Delegation"), _("Led by"), _("Participants"),
                           _("Topics"), _("Notes"), _("Conclusions") };

  if (visits == NULL)
    return FALSE;
  cn_csv_append_row (csv, header, G_N_ELEMENTS (header));
  for (guint i = 0; i < visits->len; i++)
    {
      CnRecord *visit = g_ptr_array_index (visits, i);
      g_autofree char *date = cn_delegations_format_date (cn_record_get_string (visit, "date"));
      g_autofree char *commune = cn_workflow_reader_dup_title (reader, cn_record_get_string (visit, "commune_id"));
      g_autofree char *delegation = cn_workflow_reader_dup_title (reader, cn_record_get_string (visit, "delegation_id"));
      g_autofree char *led_by = cn_workflow_reader_dup_names (reader, visit, "led_by");
      g_auto(GStrv) topics = cn_record_dup_strv (visit, "topics");
      g_autofree char *topic_text = topics != NULL ? g_strjoinv ("; ", topics) : NULL;
      const char *row[] = {
        date, commune, delegation, led_by, cn_record_get_string (visit, "participants"), topic_text,
        cn_record_get_string (visit, "notes"), cn_record_get_string (visit, "conclusions"),
      };

      cn_csv_append_row (csv, row, G_N_ELEMENTS (row));
    }
  return TRUE;
}

static void
export_csv_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  CsvJob *job = task_data;
  g_autoptr(CnWorkflowReader) reader = NULL;
  g_autoptr(GString) csv = cn_csv_new ();
  GError *error = NULL;
  gboolean ok;

  /* One read transaction: the five columns agree even while a sync moves tasks. */
  reader = cn_workflow_reader_open (job->path, &error);
  ok = reader != NULL && cn_workflow_reader_begin (reader, &error);
  if (ok)
    {
      ok = job->what == CN_TASK_BOARD_EXPORT_TASKS ? append_tasks (csv, reader, job, &error)
                                                   : append_sessions (csv, reader, &error);
      cn_workflow_reader_end (reader);
    }
  g_clear_pointer (&reader, cn_workflow_reader_free);
  if (ok)
    ok = cn_csv_write_file (csv, job->file, cancellable, &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * cn_task_board_export_csv_async:
 * @self: a #CnTaskBoard
 * @what: the tasks the board's filters show, or every working session
 * @file: where to save the CSV
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on this thread's main context when the file is written or failed
 * @user_data: for @callback
 *
 * Reads, writes and saves the CSV in a worker thread. The file appears whole at @file, or
 * not at all.
 */
void
cn_task_board_export_csv_async (CnTaskBoard         *self,
                                CnTaskBoardExport    what,
                                GFile               *file,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CnStore *store;
  CsvJob *job;

  g_return_if_fail (CN_IS_TASK_BOARD (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cn_task_board_export_csv_async);
  store = get_store (self);
  if (store == NULL)
    {
      g_task_return_new_error (task, CN_ERROR, CN_ERROR_STORE, "%s",
                               _("The local database is not open: nothing can be exported."));
      return;
    }
  job = g_new0 (CsvJob, 1);
  job->what = what;
  job->path = g_strdup (cn_store_get_path (store));
  job->file = g_object_ref (file);
  job->commune_id = g_strdup (selected_id (self->commune_filter, self->commune_ids));
  job->owner_id = g_strdup (selected_id (self->owner_filter, self->owner_ids));
  job->delegation_id = g_strdup (selected_id (self->delegation_filter, self->delegation_ids));
  g_task_set_task_data (task, job, (GDestroyNotify) csv_job_free);
  g_task_run_in_thread (task, export_csv_thread);
}

/**
 * cn_task_board_export_csv_finish:
 * @self: a #CnTaskBoard
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the file was saved
 */
gboolean
cn_task_board_export_csv_finish (CnTaskBoard   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
exported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CnTaskBoard *self = CN_TASK_BOARD (source);
  g_autoptr(GtkWidget) button = user_data;
  CnDelegationsView *view = cn_delegations_view_from_widget (GTK_WIDGET (self));
  CsvJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  gtk_widget_set_sensitive (button, TRUE);
  if (!cn_task_board_export_csv_finish (self, result, &error))
    message = g_strdup (error->message);
  else
    {
      g_autofree char *name = g_file_get_basename (job->file);
      /* Translators: %s is a file name */
      message = g_strdup_printf (_("Saved as “%s”"), name);
    }
  if (view != NULL)
    cn_delegations_view_toast (view, message);
  else
    cn_widget_toast (GTK_WIDGET (self), message);
}

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    gpointer         user_data)
{
  CnTaskBoard *self = CN_TASK_BOARD (user_data);
  CnTaskBoardExport what = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "what"));
  GtkWidget *button = g_object_get_data (G_OBJECT (chooser), "button");

  if (response == GTK_RESPONSE_ACCEPT && get_store (self) != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      /* One export of a kind at a time: its button waits for the file. */
      gtk_widget_set_sensitive (button, FALSE);
      cn_task_board_export_csv_async (self, what, file, NULL, exported_cb, g_object_ref (button));
    }
  g_object_unref (self);
  g_object_unref (chooser);
}

static void
export_csv (CnTaskBoard       *self,
            CnTaskBoardExport  what,
            GtkWidget         *button)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  gboolean tasks = what == CN_TASK_BOARD_EXPORT_TASKS;

  chooser = gtk_file_chooser_native_new (tasks ? _("Export Tasks") : _("Export Working Sessions"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("CSV spreadsheets"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  /* Translators: suggested file names of the CSV exports */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser),
                                     tasks ? _("tasks.csv") : _("working-sessions.csv"));
  g_object_set_data (G_OBJECT (chooser), "what", GINT_TO_POINTER (what));
  g_object_set_data_full (G_OBJECT (chooser), "button", g_object_ref (button), g_object_unref);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_tasks_clicked_cb (CnTaskBoard *self,
                         GtkButton   *button)
{
  export_csv (self, CN_TASK_BOARD_EXPORT_TASKS, GTK_WIDGET (button));
}

static void
export_visits_clicked_cb (CnTaskBoard *self,
                          GtkButton   *button)
{
  export_csv (self, CN_TASK_BOARD_EXPORT_SESSIONS, GTK_WIDGET (button));
}

static void
cn_task_board_dispose (GObject *object)
{
  CnTaskBoard *self = CN_TASK_BOARD (object);

  /* AdwBin unparents its child itself: drop it first, so that the template does not
   * unparent a bound child the bin still points to. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  for (guint s = 0; s < N_COLUMNS; s++)
    {
      if (self->columns[s].filtered != NULL)
        g_signal_handlers_disconnect_by_func (self->columns[s].filtered, column_changed_cb, self);
      g_clear_object (&self->columns[s].filtered);
      g_clear_object (&self->columns[s].selection);
      g_clear_object (&self->columns[s].records);
    }
  g_clear_object (&self->store);
  if (self->attach_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->attach_id);
  self->attach_id = 0;
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
  g_clear_pointer (&self->titles, g_hash_table_unref);
  g_clear_object (&self->delegation_filter_func);
  g_clear_pointer (&self->delegation_communes, g_strfreev);

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
  static gboolean styled;

  self->titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->delegation_filter_func = GTK_FILTER (gtk_custom_filter_new (in_delegation_cb, self, NULL));
  gtk_widget_init_template (GTK_WIDGET (self));
  if (!styled && gdk_display_get_default () != NULL)
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_data (provider, card_css, -1);
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      styled = TRUE;
    }
  make_columns (self);
  cn_widget_name_dropdown (self->commune_filter, _("Filter by commune"));
  cn_widget_name_dropdown (self->owner_filter, _("Filter by owner"));
  cn_widget_name_dropdown (self->delegation_filter, _("Filter by delegation"));
}
