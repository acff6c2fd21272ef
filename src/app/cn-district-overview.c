/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-overview"

#include "config.h"

#include <glib/gi18n.h>

#include "cn-criteria-chart.h"
#include "cn-delegations-view.h"
#include "cn-district-overview.h"
#include "cn-time.h"
#include "cn-widget-util.h"

/* The district at a glance: every commune with its delegation, member in charge, sponsoring
 * department, last working session, open and overdue tasks and criteria met, grouped by
 * region, sortable and filterable; and the chart of criteria met by commune. */

#define N_CRITERIA 19

typedef struct
{
  char  *id;
  char  *name;
  char  *region;
  char  *delegation;
  char  *member;
  char  *sponsor;
  char  *last_visit;     /* YYYY-MM-DD */
  guint  open_tasks;
  guint  overdue_tasks;
  guint  met;
  char  *folded;         /* for the filter */
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
};

G_DEFINE_FINAL_TYPE (CnDistrictOverview, cn_district_overview, ADW_TYPE_BIN)

static void
summary_free (gpointer data)
{
  Summary *s = data;

  g_free (s->id);
  g_free (s->name);
  g_free (s->region);
  g_free (s->delegation);
  g_free (s->member);
  g_free (s->sponsor);
  g_free (s->last_visit);
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
      r = g_utf8_collate (x->delegation ? x->delegation : "\xf4\x8f\xbf\xbf",
                          y->delegation ? y->delegation : "\xf4\x8f\xbf\xbf");
      if (r == 0)
        r = g_utf8_collate (x->region ? x->region : "", y->region ? y->region : "");
      break;
    case SORT_CRITERIA:
      r = (int) y->met - (int) x->met;
      break;
    case SORT_OPEN_TASKS:
      r = (int) (y->overdue_tasks * 1000 + y->open_tasks) - (int) (x->overdue_tasks * 1000 + x->open_tasks);
      break;
    case SORT_LAST_VISIT:
      r = -g_strcmp0 (x->last_visit, y->last_visit);
      break;
    case SORT_NAME:
    default:
      break;
    }
  return r != 0 ? r : g_utf8_collate (x->name, y->name);
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

static GtkWidget *
make_count_label (const char *text,
                  const char *tooltip,
                  const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  /* On a narrow window the counts give way (the tooltip and the commune's page keep them). */
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_tooltip_text (label, tooltip != NULL ? tooltip : text);
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

static GtkWidget *
make_row (const Summary *s)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *open_button;
  g_autofree char *open_label = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *criteria = g_strdup_printf (C_("criteria count", "%u/%u"), s->met, N_CRITERIA);
  g_autofree char *criteria_tip = g_strdup_printf (_("%u of %u criteria met"), s->met, N_CRITERIA);
  g_autofree char *last = NULL;
  g_autofree char *tasks = NULL;
  g_autofree char *name = NULL;
  g_autofree char *escaped = NULL;

  if (s->delegation != NULL)
    g_string_append (subtitle, s->delegation);
  if (s->member != NULL)
    /* Translators: in a commune's summary line */
    g_string_append_printf (subtitle, "%s%s %s", subtitle->len ? " · " : "", _("In charge:"), s->member);
  if (s->sponsor != NULL)
    g_string_append_printf (subtitle, "%s%s %s", subtitle->len ? " · " : "", _("Sponsor:"), s->sponsor);
  if (s->last_visit != NULL)
    {
      g_autofree char *date = cn_delegations_format_date (s->last_visit);
      /* Translators: the date of the last working session in a commune */
      last = g_strdup_printf (_("Last session %s"), date);
    }
  else
    last = g_strdup (_("No session yet"));
  if (s->overdue_tasks > 0)
    /* Translators: tasks of a commune: "3 open, 1 overdue" */
    tasks = g_strdup_printf (_("%u open, %u overdue"), s->open_tasks, s->overdue_tasks);
  else
    tasks = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u open task", "%u open tasks", s->open_tasks),
                             s->open_tasks);

  /* Row titles are Pango markup; a commune's name is plain text. */
  name = g_markup_escape_text (s->name, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  escaped = g_markup_escape_text (subtitle->str, -1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), make_count_label (last, NULL, "dim-label"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             make_count_label (tasks, NULL, s->overdue_tasks > 0 ? "error" : NULL));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), make_count_label (criteria, criteria_tip, "numeric"));
  /* The row opens on a click or Enter; the button gives the same to assistive technology. */
  open_button = gtk_button_new_from_icon_name ("go-next-symbolic");
  /* Translators: accessible name of the button opening a commune's page */
  open_label = g_strdup_printf (_("Open %s"), s->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (open_button), GTK_ACCESSIBLE_PROPERTY_LABEL, open_label, -1);
  gtk_widget_set_tooltip_text (open_button, open_label);
  gtk_widget_set_valign (open_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (open_button, "flat");
  g_object_set_data_full (G_OBJECT (open_button), "commune-id", g_strdup (s->id), g_free);
  g_signal_connect (open_button, "clicked", G_CALLBACK (open_clicked_cb), NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), open_button);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "commune-id", g_strdup (s->id), g_free);
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

static void
rebuild (CnDistrictOverview *self)
{
  SortKey key = gtk_drop_down_get_selected (self->sort_dropdown);
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  GtkWidget *child;

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
      GtkWidget *row = make_row (s);

      g_object_set_data_full (G_OBJECT (row), "region", g_strdup (s->region), g_free);
      gtk_list_box_append (self->list_box, row);
      cn_criteria_chart_add_commune (self->chart, s->name, s->met, N_CRITERIA);
    }
  gtk_stack_set_visible_child (self->stack, shown->len > 0 || self->summaries->len > 0
                                           ? self->list_page : self->empty_page);
  gtk_list_box_invalidate_headers (self->list_box);
}

static Summary *
find_summary (GHashTable *by_id,
              const char *id)
{
  return id != NULL ? g_hash_table_lookup (by_id, id) : NULL;
}

void
cn_district_overview_reload (CnDistrictOverview *self)
{
  CnDelegationsView *view = cn_delegations_view_from_widget (GTK_WIDGET (self));
  CnStore *store = view != NULL ? cn_delegations_view_get_store (view) : NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) latest = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) units = NULL;
  g_autoptr(GPtrArray) delegations = NULL;
  g_autoptr(GPtrArray) assignments = NULL;
  g_autoptr(GPtrArray) visits = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GPtrArray) assessments = NULL;
  g_autofree char *today = cn_time_today ();
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (CN_IS_DISTRICT_OVERVIEW (self));

  g_ptr_array_set_size (self->summaries, 0);
  if (store == NULL)
    {
      rebuild (self);
      return;
    }

  units = cn_delegations_list (store, "unit", NULL, NULL, "title", FALSE);
  for (guint i = 0; i < units->len; i++)
    {
      CnRecord *unit = g_ptr_array_index (units, i);
      const char *kind = cn_record_get_string (unit, "kind");
      Summary *s;

      if (g_strcmp0 (kind, "commune") != 0 && g_strcmp0 (kind, "town") != 0 && g_strcmp0 (kind, "ward") != 0)
        continue;
      s = g_new0 (Summary, 1);
      s->id = g_strdup (cn_record_get_id (unit));
      s->name = g_strdup (cn_record_get_title (unit));
      s->region = cn_record_dup_string (unit, "region");
      g_ptr_array_add (self->summaries, s);
      g_hash_table_insert (by_id, s->id, s);
    }

  delegations = cn_delegations_list (store, "delegation", NULL, NULL, "title", FALSE);
  for (guint i = 0; i < delegations->len; i++)
    {
      CnRecord *delegation = g_ptr_array_index (delegations, i);
      g_auto(GStrv) communes = cn_record_dup_strv (delegation, "commune_ids");

      for (guint j = 0; communes != NULL && communes[j] != NULL; j++)
        {
          Summary *s = find_summary (by_id, communes[j]);

          if (s == NULL || s->delegation != NULL)
            continue;
          s->delegation = g_strdup (cn_record_get_title (delegation));
          if (s->region == NULL)
            s->region = cn_record_dup_string (delegation, "region");
        }
    }

  assignments = cn_delegations_list (store, "assignment", NULL, NULL, "since", TRUE);
  for (guint i = 0; i < assignments->len; i++)
    {
      CnRecord *a = g_ptr_array_index (assignments, i);
      Summary *s = find_summary (by_id, cn_record_get_string (a, "commune_id"));
      const char *role = cn_record_get_string (a, "role");
      g_autofree char *who = NULL;

      if (s == NULL || cn_record_get_string (a, "until") != NULL)
        continue;
      who = cn_record_get_string (a, "person_id") != NULL
            ? cn_delegations_title_of (store, cn_record_get_string (a, "person_id"))
            : cn_record_dup_string (a, "organization");
      if (g_strcmp0 (role, "member_in_charge") == 0 && s->member == NULL)
        s->member = g_steal_pointer (&who);
      else if (g_strcmp0 (role, "sponsoring_department") == 0 && s->sponsor == NULL)
        s->sponsor = cn_record_get_string (a, "organization") != NULL
                     ? cn_record_dup_string (a, "organization") : g_steal_pointer (&who);
    }

  visits = cn_delegations_list (store, "visit", NULL, NULL, "date", TRUE);
  for (guint i = 0; i < visits->len; i++)
    {
      CnRecord *visit = g_ptr_array_index (visits, i);
      Summary *s = find_summary (by_id, cn_record_get_string (visit, "commune_id"));
      const char *date = cn_record_get_string (visit, "date");

      if (s != NULL && date != NULL && g_strcmp0 (date, s->last_visit) > 0)
        {
          g_free (s->last_visit);
          s->last_visit = g_strdup (date);
        }
    }

  tasks = cn_delegations_list (store, "task", NULL, NULL, NULL, FALSE);
  for (guint i = 0; i < tasks->len; i++)
    {
      CnRecord *task = g_ptr_array_index (tasks, i);
      Summary *s = find_summary (by_id, cn_record_get_string (task, "commune_id"));
      const char *status = cn_record_get_string (task, "status");

      if (s == NULL || g_strcmp0 (status, "done") == 0 || g_strcmp0 (status, "dropped") == 0)
        continue;
      s->open_tasks++;
      if (cn_delegations_task_is_overdue (task, today))
        s->overdue_tasks++;
    }

  /* The latest assessment of each criterion counts. */
  assessments = cn_delegations_list (store, "assessment", NULL, NULL, "assessed_on", FALSE);
  for (guint i = 0; i < assessments->len; i++)
    {
      CnRecord *a = g_ptr_array_index (assessments, i);
      char *k = g_strdup_printf ("%s|%s", cn_record_get_string (a, "commune_id"),
                                 cn_record_get_string (a, "criterion_code"));

      g_hash_table_replace (latest, k, g_strdup (cn_record_get_string (a, "status")));
    }
  g_hash_table_iter_init (&iter, latest);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_auto(GStrv) parts = g_strsplit (key, "|", 2);
      Summary *s = find_summary (by_id, parts[0]);

      if (s != NULL && g_strcmp0 (value, "met") == 0)
        s->met++;
    }

  for (guint i = 0; i < self->summaries->len; i++)
    {
      Summary *s = g_ptr_array_index (self->summaries, i);
      g_autofree char *all = g_strjoin (" ", s->name, s->region ? s->region : "",
                                        s->delegation ? s->delegation : "",
                                        s->member ? s->member : "", s->sponsor ? s->sponsor : "",
                                        NULL);
      s->folded = fold (all);
    }

  rebuild (self);
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
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CN_TYPE_DISTRICT_OVERVIEW);

  G_OBJECT_CLASS (cn_district_overview_parent_class)->dispose (object);
}

static void
cn_district_overview_finalize (GObject *object)
{
  CnDistrictOverview *self = CN_DISTRICT_OVERVIEW (object);

  g_clear_pointer (&self->summaries, g_ptr_array_unref);
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
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_header_func (self->list_box, region_header_cb, self, NULL);
  cn_widget_name_dropdown (self->sort_dropdown, _("Sort communes by"));
}
