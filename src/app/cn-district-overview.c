/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-overview"

#include "config.h"

#include <glib/gi18n.h>

#include "cn-criteria-chart.h"
#include "cn-delegations-view.h"
#include "cn-district-overview.h"
#include "cn-row-feeder.h"
#include "cn-stall-probe.h"
#include "cn-time.h"
#include "cn-widget-util.h"
#include "cn-workflow-reader.h"

/* The district at a glance: every commune with its delegation, member in charge, sponsoring
 * department, last working session, open and overdue tasks and criteria met, grouped by
 * region, sortable and filterable; and the chart of criteria met by commune. */

#define N_CRITERIA 19

/* A commune as the overview shows it: its counts (read in a worker thread, see
 * cn-workflow-reader.h) and the folded text the filter looks in. */
typedef struct
{
  CnCommuneSummary *c;
  char             *folded;
} Summary;

typedef enum {
  SORT_REGION,
  SORT_NAME,
  SORT_CRITERIA,
  SORT_OPEN_TASKS,
  SORT_LAST_VISIT,
} SortKey;

struct _CnDistrictOverview
{
  AdwBin           parent_instance;

  GtkSearchEntry  *search_entry;
  GtkDropDown     *sort_dropdown;
  GtkListBox      *list_box;
  CnCriteriaChart *chart;
  GtkWidget       *empty_page;
  GtkWidget       *list_page;
  GtkStack        *stack;

  GPtrArray       *summaries;
  char            *filter;
  GCancellable    *cancellable;  /* the reload running in a worker thread */
  CnRowFeeder     *feeder;
  GHashTable      *rows;         /* commune id → its row (owned by the list or the feeder) */
  GPtrArray       *shown_ids;    /* the rows' communes in their order */
  gboolean         reload_again; /* a change came while a reload was reading */
};

G_DEFINE_FINAL_TYPE (CnDistrictOverview, cn_district_overview, ADW_TYPE_BIN)

static void
summary_free (gpointer data)
{
  Summary *s = data;

  cn_commune_summary_free (s->c);
  g_free (s->folded);
  g_free (s);
}

static char *
fold (const char *text)
{
  g_autofree char *nfd = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  g_autoptr(GString) out = g_string_new (NULL);

  /* Case and tone marks do not matter to the filter: "tien loc" finds "Tiến Lộc". */
  for (const char *p = nfd; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c))
        continue;
      if (c == 0x0111 || c == 0x0110)
        c = 'd';
      g_string_append_unichar (out, g_unichar_tolower (c));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static int
compare_summaries (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  const Summary *x = *(Summary **) a;
  const Summary *y = *(Summary **) b;
  SortKey key = GPOINTER_TO_INT (user_data);
  int r = 0;

  switch (key)
    {
    case SORT_REGION:
      /* Regions in the order of their delegations (số 1, số 2…), as the district lists them. */
      r = g_utf8_collate (x->c->delegation ? x->c->delegation : "\xf4\x8f\xbf\xbf",
                          y->c->delegation ? y->c->delegation : "\xf4\x8f\xbf\xbf");
      if (r == 0)
        r = g_utf8_collate (x->c->region ? x->c->region : "", y->c->region ? y->c->region : "");
      break;
    case SORT_CRITERIA:
      r = (int) y->c->met - (int) x->c->met;
      break;
    case SORT_OPEN_TASKS:
      r = (int) (y->c->overdue_tasks * 1000 + y->c->open_tasks) - (int) (x->c->overdue_tasks * 1000 + x->c->open_tasks);
      break;
    case SORT_LAST_VISIT:
      r = -g_strcmp0 (x->c->last_visit, y->c->last_visit);
      break;
    case SORT_NAME:
    default:
      break;
    }
  return r != 0 ? r : g_utf8_collate (x->c->name, y->c->name);
}

static void
row_activated_cb (CnDistrictOverview *self,
                  GtkListBoxRow      *row)
{
  CnDelegationsView *view = cn_delegations_view_from_widget (GTK_WIDGET (self));
  const char *id = g_object_get_data (G_OBJECT (row), "commune-id");

  if (view != NULL && id != NULL)
    cn_delegations_view_show_commune (view, id);
}

/* A count's text, and the width it asks for: ten characters at least (a text in two lines
 * of its own, its longer line), all of it at most. */
static void
set_count_text (GtkWidget  *label,
                const char *text,
                const char *tooltip)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  int longest = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    longest = MAX (longest, (int) g_utf8_strlen (lines[i], -1));
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_label_set_width_chars (GTK_LABEL (label), lines[0] != NULL && lines[1] != NULL ? longest : MIN (longest, 10));
  gtk_label_set_max_width_chars (GTK_LABEL (label), longest);
  cn_delegations_set_tooltip (label, tooltip != NULL ? tooltip : text);
}

static GtkWidget *
make_count_label (const char *text,
                  const char *tooltip,
                  const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  /* On a narrow window the counts give way (the tooltip and the commune's page keep them):
   * first onto a second line, then cut ("Last session" sits over its date, which is never
   * cut). Asking for ten characters keeps them whole on a wide one, where the wrapping
   * subtitle beside them would otherwise take the room first. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (label), 2);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  set_count_text (label, text, tooltip);
  gtk_widget_add_css_class (label, "caption");
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
open_clicked_cb (GtkButton *button,
                 gpointer   user_data)
{
  CnDelegationsView *view = cn_delegations_view_from_widget (GTK_WIDGET (button));
  const char *id = g_object_get_data (G_OBJECT (button), "commune-id");

  if (view != NULL)
    cn_delegations_view_show_commune (view, id);
}

/* The row's last session, tasks and criteria: made with the row, changed in place when only
 * they change (a sync writing tasks page after page). */
static void
set_counts (GtkWidget     *row,
            const Summary *s)
{
  g_autofree char *criteria = g_strdup_printf (C_("criteria count", "%u/%u"), s->c->met, N_CRITERIA);
  g_autofree char *criteria_tip = g_strdup_printf (_("%u of %u criteria met"), s->c->met, N_CRITERIA);
  g_autofree char *last = NULL;
  g_autofree char *tasks = NULL;
  GtkWidget *last_label = g_object_get_data (G_OBJECT (row), "last-label");
  GtkWidget *tasks_label = g_object_get_data (G_OBJECT (row), "tasks-label");
  GtkWidget *criteria_label = g_object_get_data (G_OBJECT (row), "criteria-label");

  if (s->c->last_visit != NULL)
    {
      g_autofree char *date = cn_delegations_format_date (s->c->last_visit);
      /* Translators: the date of the last working session in a commune, shown in a row's
       * corner: keep the line break, the date goes on the second line */
      last = g_strdup_printf (_("Last session\n%s"), date);
    }
  else
    last = g_strdup (_("No session yet"));
  if (s->c->overdue_tasks > 0)
    /* Translators: tasks of a commune: "3 open, 1 overdue" */
    tasks = g_strdup_printf (_("%u open, %u overdue"), s->c->open_tasks, s->c->overdue_tasks);
  else
    tasks = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u open task", "%u open tasks", s->c->open_tasks),
                             s->c->open_tasks);

  if (last_label == NULL)
    {
      last_label = make_count_label (last, NULL, "dim-label");
      tasks_label = make_count_label (tasks, NULL, NULL);
      criteria_label = make_count_label (criteria, criteria_tip, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), last_label);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), tasks_label);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), criteria_label);
      g_object_set_data (G_OBJECT (row), "last-label", last_label);
      g_object_set_data (G_OBJECT (row), "tasks-label", tasks_label);
      g_object_set_data (G_OBJECT (row), "criteria-label", criteria_label);
    }
  else
    {
      if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (last_label)), last) != 0)
        set_count_text (last_label, last, NULL);
      if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (tasks_label)), tasks) != 0)
        set_count_text (tasks_label, tasks, NULL);
      if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (criteria_label)), criteria) != 0)
        set_count_text (criteria_label, criteria, criteria_tip);
    }
  if (s->c->overdue_tasks > 0)
    gtk_widget_add_css_class (tasks_label, "error");
  else
    gtk_widget_remove_css_class (tasks_label, "error");
}

static GtkWidget *
make_row (const Summary *s)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *open_button;
  g_autofree char *open_label = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *name = NULL;
  g_autofree char *escaped = NULL;

  if (s->c->delegation != NULL)
    g_string_append (subtitle, s->c->delegation);
  if (s->c->member != NULL)
    /* Translators: in a commune's summary line */
    g_string_append_printf (subtitle, "%s%s %s", subtitle->len ? " · " : "", _("In charge:"), s->c->member);
  if (s->c->sponsor != NULL)
    g_string_append_printf (subtitle, "%s%s %s", subtitle->len ? " · " : "", _("Sponsor:"), s->c->sponsor);

  /* Row titles are Pango markup; a commune's name is plain text. */
  name = g_markup_escape_text (s->c->name, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  escaped = g_markup_escape_text (subtitle->str, -1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  set_counts (row, s);
  /* The row opens on a click or Enter; the button gives the same to assistive technology. */
  open_button = gtk_button_new_from_icon_name ("go-next-symbolic");
  /* Translators: accessible name of the button opening a commune's page */
  open_label = g_strdup_printf (_("Open %s"), s->c->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (open_button), GTK_ACCESSIBLE_PROPERTY_LABEL, open_label, -1);
  gtk_widget_set_tooltip_text (open_button, open_label);
  gtk_widget_set_valign (open_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (open_button, "flat");
  g_object_set_data_full (G_OBJECT (open_button), "commune-id", g_strdup (s->c->id), g_free);
  g_signal_connect (open_button, "clicked", G_CALLBACK (open_clicked_cb), NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), open_button);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "commune-id", g_strdup (s->c->id), g_free);
  return row;
}

static void
region_header_cb (GtkListBoxRow *row,
                  GtkListBoxRow *before,
                  gpointer       user_data)
{
  CnDistrictOverview *self = CN_DISTRICT_OVERVIEW (user_data);
  const char *region = g_object_get_data (G_OBJECT (row), "region");
  const char *previous = before != NULL ? g_object_get_data (G_OBJECT (before), "region") : NULL;
  g_autofree char *title = NULL;
  GtkWidget *header;

  if (gtk_drop_down_get_selected (self->sort_dropdown) != SORT_REGION
      || (before != NULL && g_strcmp0 (region, previous) == 0))
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  if (region != NULL && region[0] != '\0')
    {
      /* Regions are written in lower case in the article ("vùng thượng"); a heading starts
       * with a capital. */
      gunichar first = g_unichar_totitle (g_utf8_get_char (region));
      char buf[8] = { 0 };

      g_unichar_to_utf8 (first, buf);
      title = g_strconcat (buf, g_utf8_next_char (region), NULL);
    }
  header = gtk_label_new (title != NULL ? title : _("No region"));
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_add_css_class (header, "heading");
  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_top (header, 12);
  gtk_widget_set_margin_bottom (header, 6);
  gtk_list_box_row_set_header (row, header);
}

/* A row is made when the feeder adds it, from the summary of that moment (a reload may
 * have brought new counts meanwhile). */
typedef struct
{
  CnDistrictOverview *self;  /* the feeder, which holds this, goes before the overview */
  char               *id;
} LazyRow;

static void
lazy_row_free (gpointer data)
{
  LazyRow *lazy = data;

  g_free (lazy->id);
  g_free (lazy);
}

static GtkWidget *
make_lazy_row (gpointer data)
{
  LazyRow *lazy = data;
  CnDistrictOverview *self = lazy->self;
  GtkWidget *row;

  for (guint i = 0; i < self->summaries->len; i++)
    {
      Summary *s = g_ptr_array_index (self->summaries, i);

      if (g_strcmp0 (s->c->id, lazy->id) != 0)
        continue;
      row = make_row (s);
      g_object_set_data_full (G_OBJECT (row), "region", g_strdup (s->c->region), g_free);
      g_hash_table_insert (self->rows, g_strdup (s->c->id), row);
      return row;
    }
  /* Not reached: the summaries change only with the same communes (update_in_place) or
   * with a rebuild, which drops the rows not made yet. */
  g_return_val_if_reached (gtk_list_box_row_new ());
}

static void
rebuild (CnDistrictOverview *self)
{
  SortKey key = gtk_drop_down_get_selected (self->sort_dropdown);
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  GtkWidget *child;

  cn_row_feeder_clear (self->feeder);
  g_hash_table_remove_all (self->rows);
  g_ptr_array_set_size (self->shown_ids, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);

  for (guint i = 0; i < self->summaries->len; i++)
    {
      Summary *s = g_ptr_array_index (self->summaries, i);

      if (self->filter != NULL && self->filter[0] != '\0' && strstr (s->folded, self->filter) == NULL)
        continue;
      g_ptr_array_add (shown, s);
    }
  g_ptr_array_sort_with_data (shown, compare_summaries, GINT_TO_POINTER (key));

  cn_criteria_chart_clear (self->chart);
  for (guint i = 0; i < shown->len; i++)
    {
      Summary *s = g_ptr_array_index (shown, i);
      LazyRow *lazy = g_new0 (LazyRow, 1);

      lazy->self = self;
      lazy->id = g_strdup (s->c->id);
      g_ptr_array_add (self->shown_ids, g_strdup (s->c->id));
      cn_row_feeder_add_lazy (self->feeder, GTK_WIDGET (self->list_box), make_lazy_row, lazy, lazy_row_free);
      cn_criteria_chart_add_commune (self->chart, s->c->name, s->c->met, N_CRITERIA);
    }
  gtk_stack_set_visible_child (self->stack, shown->len > 0 || self->summaries->len > 0
                                           ? self->list_page : self->empty_page);
  gtk_list_box_invalidate_headers (self->list_box);
  if (shown->len > 0)
    cn_stall_probe_note ("rows");
}

/* The ids of the first two communes of the district, for the stall probe's tour. */
void
cn_district_overview_dup_commune_ids (CnDistrictOverview  *self,
                                      char               **first,
                                      char               **second)
{
  g_return_if_fail (CN_IS_DISTRICT_OVERVIEW (self));

  *first = self->summaries->len > 0 ? g_strdup (((Summary *) g_ptr_array_index (self->summaries, 0))->c->id) : NULL;
  *second = self->summaries->len > 1 ? g_strdup (((Summary *) g_ptr_array_index (self->summaries, 1))->c->id) : NULL;
}

typedef struct
{
  char *path;
  char *today;
} ReloadData;

static void
reload_data_free (gpointer data)
{
  ReloadData *d = data;

  g_free (d->path);
  g_free (d->today);
  g_free (d);
}

/* In a worker thread: the summaries, on a connection of the thread's own. */
static void
reload_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ReloadData *d = task_data;
  g_autoptr(CnWorkflowReader) reader = NULL;
  g_autoptr(GPtrArray) communes = NULL;
  g_autoptr(GPtrArray) summaries = NULL;
  GError *error = NULL;

  reader = cn_workflow_reader_open (d->path, &error);
  if (reader != NULL)
    communes = cn_workflow_reader_commune_summaries (reader, d->today, &error);
  if (communes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  summaries = g_ptr_array_new_full (communes->len, summary_free);
  for (guint i = 0; i < communes->len; i++)
    {
      Summary *s = g_new0 (Summary, 1);
      g_autofree char *all = NULL;

      s->c = g_steal_pointer (&g_ptr_array_index (communes, i));
      all = g_strjoin (" ", s->c->name, s->c->region ? s->c->region : "",
                       s->c->delegation ? s->c->delegation : "",
                       s->c->member ? s->c->member : "", s->c->sponsor ? s->c->sponsor : "",
                       NULL);
      s->folded = fold (all);
      g_ptr_array_add (summaries, s);
    }
  g_task_return_pointer (task, g_steal_pointer (&summaries), (GDestroyNotify) g_ptr_array_unref);
}

/* When the communes and what orders and groups them are the same, only counts changed:
 * the rows take their new counts, and no row is made again. */
static gboolean
update_in_place (CnDistrictOverview *self,
                 GPtrArray          *summaries)
{
  SortKey key = gtk_drop_down_get_selected (self->sort_dropdown);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean chart_changed = FALSE;

  if (summaries->len != self->summaries->len || self->summaries->len == 0)
    return FALSE;
  for (guint i = 0; i < summaries->len; i++)
    {
      const CnCommuneSummary *a = ((Summary *) g_ptr_array_index (self->summaries, i))->c;
      const CnCommuneSummary *b = ((Summary *) g_ptr_array_index (summaries, i))->c;

      if (g_strcmp0 (a->id, b->id) != 0 || g_strcmp0 (a->name, b->name) != 0
          || g_strcmp0 (a->region, b->region) != 0 || g_strcmp0 (a->delegation, b->delegation) != 0
          || g_strcmp0 (a->member, b->member) != 0 || g_strcmp0 (a->sponsor, b->sponsor) != 0)
        return FALSE;
      if ((key == SORT_CRITERIA && a->met != b->met)
          || (key == SORT_OPEN_TASKS && (a->open_tasks != b->open_tasks || a->overdue_tasks != b->overdue_tasks))
          || (key == SORT_LAST_VISIT && g_strcmp0 (a->last_visit, b->last_visit) != 0))
        return FALSE;
      chart_changed |= a->met != b->met;
    }

  for (guint i = 0; i < summaries->len; i++)
    {
      Summary *s = g_ptr_array_index (summaries, i);
      GtkWidget *row = g_hash_table_lookup (self->rows, s->c->id);

      g_hash_table_insert (by_id, s->c->id, s);
      if (row != NULL)
        set_counts (row, s);
    }
  if (chart_changed)
    {
      cn_criteria_chart_clear (self->chart);
      for (guint i = 0; i < self->shown_ids->len; i++)
        {
          Summary *s = g_hash_table_lookup (by_id, g_ptr_array_index (self->shown_ids, i));

          cn_criteria_chart_add_commune (self->chart, s->c->name, s->c->met, N_CRITERIA);
        }
    }
  g_ptr_array_unref (self->summaries);
  self->summaries = g_ptr_array_ref (summaries);
  return TRUE;
}

static void
reload_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CnDistrictOverview *self = CN_DISTRICT_OVERVIEW (source);
  g_autoptr(GPtrArray) summaries = NULL;
  g_autoptr(GError) error = NULL;

  summaries = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  if (summaries == NULL)
    {
      /* The list stays as it was; the section's other parts say what is wrong with the
       * store when they read it. */
      g_warning ("Could not read the communes: %s", error->message);
      return;
    }
  if (!update_in_place (self, summaries))
    {
      g_clear_pointer (&self->summaries, g_ptr_array_unref);
      self->summaries = g_steal_pointer (&summaries);
      rebuild (self);
    }
  if (self->reload_again)
    {
      self->reload_again = FALSE;
      cn_district_overview_reload (self);
    }
}

/**
 * cn_district_overview_reload:
 * @self: a #CnDistrictOverview
 *
 * Reads the communes' summaries again, in a worker thread; the list and the chart change
 * when they are read. Asked while a reading runs, it reads once more after it.
 */
void
cn_district_overview_reload (CnDistrictOverview *self)
{
  CnDelegationsView *view = cn_delegations_view_from_widget (GTK_WIDGET (self));
  CnStore *store = view != NULL ? cn_delegations_view_get_store (view) : NULL;
  g_autoptr(GTask) task = NULL;
  ReloadData *d;

  g_return_if_fail (CN_IS_DISTRICT_OVERVIEW (self));

  /* One reading at a time: changes that come meanwhile are read by one more. */
  if (self->cancellable != NULL && store != NULL)
    {
      self->reload_again = TRUE;
      return;
    }
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (store == NULL)
    {
      g_ptr_array_set_size (self->summaries, 0);
      rebuild (self);
      return;
    }

  self->cancellable = g_cancellable_new ();
  d = g_new0 (ReloadData, 1);
  d->path = g_strdup (cn_store_get_path (store));
  d->today = cn_time_today ();
  task = g_task_new (self, self->cancellable, reload_done_cb, NULL);
  g_task_set_source_tag (task, cn_district_overview_reload);
  g_task_set_task_data (task, d, reload_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, reload_thread);
}

/**
 * cn_district_overview_is_loading:
 * @self: a #CnDistrictOverview
 *
 * Returns: whether a reload is still reading, or its rows still being added
 */
gboolean
cn_district_overview_is_loading (CnDistrictOverview *self)
{
  g_return_val_if_fail (CN_IS_DISTRICT_OVERVIEW (self), FALSE);

  return self->cancellable != NULL || cn_row_feeder_is_busy (self->feeder);
}

void
cn_district_overview_set_filter (CnDistrictOverview *self,
                                 const char         *text)
{
  g_return_if_fail (CN_IS_DISTRICT_OVERVIEW (self));

  g_free (self->filter);
  self->filter = text != NULL ? fold (text) : NULL;
  rebuild (self);
}

static void
search_changed_cb (CnDistrictOverview *self)
{
  cn_district_overview_set_filter (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
sort_changed_cb (CnDistrictOverview *self)
{
  rebuild (self);
}

static void
cn_district_overview_dispose (GObject *object)
{
  CnDistrictOverview *self = CN_DISTRICT_OVERVIEW (object);

  /* AdwBin unparents its child itself: drop it first, so that the template does not
   * unparent a bound child the bin still points to. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->feeder);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CN_TYPE_DISTRICT_OVERVIEW);

  G_OBJECT_CLASS (cn_district_overview_parent_class)->dispose (object);
}

static void
cn_district_overview_finalize (GObject *object)
{
  CnDistrictOverview *self = CN_DISTRICT_OVERVIEW (object);

  g_clear_pointer (&self->summaries, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->shown_ids, g_ptr_array_unref);
  g_free (self->filter);

  G_OBJECT_CLASS (cn_district_overview_parent_class)->finalize (object);
}

static void
cn_district_overview_class_init (CnDistrictOverviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cn_district_overview_dispose;
  object_class->finalize = cn_district_overview_finalize;

  g_type_ensure (CN_TYPE_CRITERIA_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/hatinh/nongthonmoi/CauNoi/cn-district-overview.ui");
  gtk_widget_class_bind_template_child (widget_class, CnDistrictOverview, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CnDistrictOverview, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CnDistrictOverview, list_box);
  gtk_widget_class_bind_template_child (widget_class, CnDistrictOverview, chart);
  gtk_widget_class_bind_template_child (widget_class, CnDistrictOverview, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CnDistrictOverview, list_page);
  gtk_widget_class_bind_template_child (widget_class, CnDistrictOverview, stack);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sort_changed_cb);
}

static void
cn_district_overview_init (CnDistrictOverview *self)
{
  self->summaries = g_ptr_array_new_with_free_func (summary_free);
  self->feeder = cn_row_feeder_new ();
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->shown_ids = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_header_func (self->list_box, region_header_cb, self, NULL);
  cn_widget_name_dropdown (self->sort_dropdown, _("Sort communes by"));
}
