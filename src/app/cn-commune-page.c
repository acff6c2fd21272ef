/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-commune"

#include "config.h"

#include <glib/gi18n.h>

#include "cn-commune-page.h"
#include "cn-delegations-view.h"
#include "cn-row-feeder.h"
#include "cn-schema.h"
#include "cn-stall-probe.h"
#include "cn-time.h"

/* One commune: its assignments, the timeline of working sessions, the reports of its
 * delegation, its tasks, the 19 criteria with their latest assessment, and the monthly
 * attendance of the people in charge. Each group has its "Add" button; rows open the form. */

struct _CnCommunePage
{
  AdwBin     parent_instance;

  GtkLabel  *title_label;
  GtkLabel  *subtitle_label;
  GtkBox    *groups_box;

  char      *commune_id;
  CnRowFeeder *feeder;   /* a commune has a hundred tasks and sessions: rows come a few a frame */
};

G_DEFINE_FINAL_TYPE (CnCommunePage, cn_commune_page, ADW_TYPE_BIN)

static CnDelegationsView *
get_view (CnCommunePage *self)
{
  return cn_delegations_view_from_widget (GTK_WIDGET (self));
}

static void
back_clicked_cb (CnCommunePage *self)
{
  CnDelegationsView *view = get_view (self);

  if (view != NULL)
    cn_delegations_view_show_overview (view);
}

/* A row that opens its record's form; the record rides on the row. */
static void
record_row_activated_cb (AdwActionRow *row,
                         gpointer      user_data)
{
  CnDelegationsView *view = cn_delegations_view_from_widget (GTK_WIDGET (row));
  CnRecord *record = g_object_get_data (G_OBJECT (row), "record");
  JsonObject *defaults = g_object_get_data (G_OBJECT (row), "defaults");
  const char *collection = g_object_get_data (G_OBJECT (row), "collection");

  if (view != NULL)
    cn_delegations_view_edit (view, collection, record, defaults);
}

static void
delete_clicked_cb (GtkButton *button,
                   CnRecord  *record)
{
  CnDelegationsView *view = cn_delegations_view_from_widget (GTK_WIDGET (button));

  if (view != NULL)
    cn_delegations_view_delete (view, record);
}

static void
export_clicked_cb (GtkButton *button,
                   CnRecord  *record)
{
  CnDelegationsView *view = cn_delegations_view_from_widget (GTK_WIDGET (button));

  if (view != NULL)
    cn_delegations_view_export_report (view, record);
}

static void
print_clicked_cb (GtkButton *button,
                  CnRecord  *record)
{
  CnDelegationsView *view = cn_delegations_view_from_widget (GTK_WIDGET (button));

  if (view != NULL)
    cn_delegations_view_print_report (view, record);
}

/* What a row shows; the row itself is made when the feeder gets to it. */
typedef enum {
  EXTRA_NONE,
  EXTRA_REPORT,    /* "Save as PDF…" and print buttons */
  EXTRA_OVERDUE,   /* a warning before the title */
  EXTRA_MET,       /* a tick before the title */
} RowExtra;

typedef struct
{
  char       *collection;
  CnRecord   *record;
  JsonObject *defaults;
  char       *title;
  char       *subtitle;
  gboolean    deletable;
  RowExtra    extra;
  char       *print_label;
} RowSpec;

static void
row_spec_free (gpointer data)
{
  RowSpec *spec = data;

  g_free (spec->collection);
  g_clear_object (&spec->record);
  g_clear_pointer (&spec->defaults, json_object_unref);
  g_free (spec->title);
  g_free (spec->subtitle);
  g_free (spec->print_label);
  g_free (spec);
}

static GtkWidget *
make_record_row (gpointer data)
{
  RowSpec *spec = data;
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *escaped_title = g_markup_escape_text (spec->title != NULL ? spec->title : "", -1);
  g_autofree char *escaped_subtitle = g_markup_escape_text (spec->subtitle != NULL ? spec->subtitle : "", -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  if (spec->subtitle != NULL && spec->subtitle[0] != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "collection", g_strdup (spec->collection), g_free);
  if (spec->record != NULL)
    g_object_set_data_full (G_OBJECT (row), "record", g_object_ref (spec->record), g_object_unref);
  if (spec->defaults != NULL)
    g_object_set_data_full (G_OBJECT (row), "defaults", json_object_ref (spec->defaults),
                            (GDestroyNotify) json_object_unref);
  g_signal_connect (row, "activated", G_CALLBACK (record_row_activated_cb), NULL);

  if (spec->extra == EXTRA_REPORT)
    {
      GtkWidget *button = gtk_button_new_with_label (_("Save as PDF…"));
      GtkWidget *print = gtk_button_new_from_icon_name ("document-print-symbolic");

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_signal_connect_data (button, "clicked", G_CALLBACK (export_clicked_cb),
                             g_object_ref (spec->record), (GClosureNotify) (void (*) (void)) g_object_unref, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_widget_set_valign (print, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (print, "flat");
      gtk_widget_set_tooltip_text (print, spec->print_label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (print), GTK_ACCESSIBLE_PROPERTY_LABEL, spec->print_label, -1);
      g_signal_connect_data (print, "clicked", G_CALLBACK (print_clicked_cb),
                             g_object_ref (spec->record), (GClosureNotify) (void (*) (void)) g_object_unref, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), print);
    }
  else if (spec->extra == EXTRA_OVERDUE)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Overdue"), -1);
      gtk_widget_set_tooltip_text (icon, _("Overdue"));
      gtk_widget_add_css_class (icon, "error");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }
  else if (spec->extra == EXTRA_MET)
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("emblem-ok-symbolic"));

  if (spec->deletable && spec->record != NULL)
    {
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
      /* Translators: accessible name of a delete button, %s is the record's title */
      g_autofree char *label = g_strdup_printf (_("Delete “%s”"), spec->title);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_signal_connect_data (button, "clicked", G_CALLBACK (delete_clicked_cb),
                             g_object_ref (spec->record), (GClosureNotify) (void (*) (void)) g_object_unref, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  return row;
}

/* Queues a record's row; the spec returned can still be given an extra. */
static RowSpec *
add_record_row (AdwPreferencesGroup *group,
                const char          *collection,
                CnRecord            *record,
                JsonObject          *defaults,
                const char          *title,
                const char          *subtitle,
                gboolean             deletable)
{
  RowSpec *spec = g_new0 (RowSpec, 1);

  spec->collection = g_strdup (collection);
  spec->record = record != NULL ? g_object_ref (record) : NULL;
  spec->defaults = defaults != NULL ? json_object_ref (defaults) : NULL;
  spec->title = g_strdup (title);
  spec->subtitle = g_strdup (subtitle);
  spec->deletable = deletable;
  cn_row_feeder_add_lazy (g_object_get_data (G_OBJECT (group), "feeder"), GTK_WIDGET (group),
                          make_record_row, spec, row_spec_free);
  return spec;
}

static void
add_clicked_cb (GtkButton *button,
                gpointer   user_data)
{
  CnDelegationsView *view = cn_delegations_view_from_widget (GTK_WIDGET (button));
  const char *collection = g_object_get_data (G_OBJECT (button), "collection");
  JsonObject *defaults = g_object_get_data (G_OBJECT (button), "defaults");

  if (view != NULL)
    cn_delegations_view_edit (view, collection, NULL, defaults);
}

static AdwPreferencesGroup *
add_group (CnCommunePage *self,
           const char    *title,
           const char    *collection,
           JsonObject    *defaults,
           const char    *add_label)
{
  GtkWidget *group = adw_preferences_group_new ();
  CnDelegationsView *view = get_view (self);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  g_object_set_data (G_OBJECT (group), "feeder", self->feeder);
  if (collection != NULL)
    {
      GtkWidget *button = gtk_button_new ();
      GtkWidget *content = adw_button_content_new ();
      g_autofree char *why = NULL;

      adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), "list-add-symbolic");
      adw_button_content_set_label (ADW_BUTTON_CONTENT (content), add_label);
      adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), TRUE);
      gtk_button_set_child (GTK_BUTTON (button), content);
      gtk_widget_add_css_class (button, "flat");
      g_object_set_data_full (G_OBJECT (button), "collection", g_strdup (collection), g_free);
      if (defaults != NULL)
        g_object_set_data_full (G_OBJECT (button), "defaults", json_object_ref (defaults),
                                (GDestroyNotify) json_object_unref);
      g_signal_connect (button, "clicked", G_CALLBACK (add_clicked_cb), NULL);
      if (view != NULL && !cn_delegations_view_can_write (view, collection, self->commune_id, &why))
        {
          gtk_widget_set_sensitive (button, FALSE);
          gtk_widget_set_tooltip_text (button, why);
        }
      adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), button);
    }
  gtk_box_append (self->groups_box, group);
  return ADW_PREFERENCES_GROUP (group);
}

static void
add_empty_row (AdwPreferencesGroup *group,
               const char          *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");
  adw_preferences_group_add (group, row);
}

static JsonObject *
commune_defaults (CnCommunePage *self)
{
  JsonObject *defaults = json_object_new ();

  json_object_set_string_member (defaults, "commune_id", self->commune_id);
  return defaults;
}

static void
fill_assignments (CnCommunePage *self,
                  CnStore       *store)
{
  g_autoptr(JsonObject) defaults = commune_defaults (self);
  AdwPreferencesGroup *group;
  g_autoptr(GPtrArray) assignments = NULL;

  json_object_set_string_member (defaults, "role", "member_in_charge");
  group = add_group (self, _("Assignments"), "assignment", defaults, _("_Assign"));
  assignments = cn_delegations_list (store, "assignment", "commune_id", self->commune_id, "since", TRUE);
  for (guint i = 0; i < assignments->len; i++)
    {
      CnRecord *a = g_ptr_array_index (assignments, i);
      g_autofree char *who = cn_record_get_string (a, "person_id") != NULL
                             ? cn_delegations_title_of (store, cn_record_get_string (a, "person_id"))
                             : cn_record_dup_string (a, "organization");
      const char *role = cn_delegations_status_label ("assignment", "role", cn_record_get_string (a, "role"));
      g_autofree char *since = cn_delegations_format_date (cn_record_get_string (a, "since"));
      g_autofree char *subtitle = since[0] != '\0'
                                  /* Translators: an assignment: "Member in charge, since 01/01/2015" */
                                  ? g_strdup_printf (_("%s, since %s"), role, since)
                                  : g_strdup (role);

      add_record_row (group, "assignment", a, NULL, who, subtitle, TRUE);
    }
  if (assignments->len == 0)
    add_empty_row (group, _("Nobody is assigned to this commune yet."));
}

static void
fill_visits (CnCommunePage *self,
             CnStore       *store,
             const char    *delegation_id)
{
  g_autoptr(JsonObject) defaults = commune_defaults (self);
  g_autofree char *today = cn_time_today ();
  AdwPreferencesGroup *group;
  g_autoptr(GPtrArray) visits = NULL;

  json_object_set_string_member (defaults, "date", today);
  if (delegation_id != NULL)
    json_object_set_string_member (defaults, "delegation_id", delegation_id);
  group = add_group (self, _("Working Sessions"), "visit", defaults, _("_Record Session"));
  visits = cn_delegations_list (store, "visit", "commune_id", self->commune_id, "date", TRUE);
  for (guint i = 0; i < visits->len; i++)
    {
      CnRecord *visit = g_ptr_array_index (visits, i);
      g_autofree char *date = cn_delegations_format_date (cn_record_get_string (visit, "date"));
      g_auto(GStrv) topics = cn_record_dup_strv (visit, "topics");
      g_autofree char *topic_text = topics != NULL ? g_strjoinv ("; ", topics) : g_strdup ("");
      g_autofree char *led_by = cn_delegations_names_of (store, visit, "led_by");
      g_autofree char *title = topic_text[0] != '\0' ? g_strdup_printf ("%s — %s", date, topic_text)
                                                     : g_strdup (date);
      g_autofree char *subtitle = NULL;
      const char *conclusions = cn_record_get_string (visit, "conclusions");

      if (led_by[0] != '\0')
        /* Translators: under a working session in a commune's timeline; %s lists the
         * people who led the session, "Nguyễn Văn A, Trần Thị B" */
        subtitle = g_strdup_printf (C_("working session", "Led by %s"), led_by);
      if (conclusions != NULL)
        {
          g_autofree char *first = g_strdup (subtitle);
          g_free (subtitle);
          subtitle = first != NULL ? g_strdup_printf ("%s\n%s", first, conclusions) : g_strdup (conclusions);
        }
      add_record_row (group, "visit", visit, NULL, title, subtitle, TRUE);
    }
  if (visits->len == 0)
    add_empty_row (group, _("No working session recorded yet."));
}

static void
fill_reports (CnCommunePage *self,
              CnStore       *store,
              const char    *delegation_id)
{
  g_autoptr(JsonObject) defaults = json_object_new ();
  AdwPreferencesGroup *group;
  g_autoptr(GPtrArray) reports = NULL;

  json_object_set_string_member (defaults, "status", "draft");
  if (delegation_id != NULL)
    json_object_set_string_member (defaults, "delegation_id", delegation_id);
  group = add_group (self, _("Reports to the Standing Committee"), "report", defaults, _("_Write Report"));
  if (delegation_id == NULL)
    {
      add_empty_row (group, _("No delegation is in charge of this commune."));
      return;
    }
  reports = cn_delegations_list (store, "report", "delegation_id", delegation_id, "meeting_date", TRUE);
  for (guint i = 0; i < reports->len; i++)
    {
      CnRecord *report = g_ptr_array_index (reports, i);
      g_autofree char *date = cn_delegations_format_date (cn_record_get_string (report, "meeting_date"));
      const char *status = cn_delegations_status_label ("report", "status", cn_record_get_string (report, "status"));
      /* Translators: a report: "Meeting of 15/06/2015" */
      g_autofree char *title = g_strdup_printf (_("Meeting of %s"), date);
      const char *period = cn_record_get_string (report, "period");
      g_autofree char *subtitle = period != NULL ? g_strdup_printf ("%s · %s", period, status) : g_strdup (status);
      RowSpec *spec = add_record_row (group, "report", report, NULL, title, subtitle, TRUE);

      spec->extra = EXTRA_REPORT;
      /* Translators: accessible name and tooltip of the button printing a report */
      spec->print_label = g_strdup_printf (_("Print the report of %s"), date);
    }
  if (reports->len == 0)
    add_empty_row (group, _("No report written yet."));
}

static void
fill_tasks (CnCommunePage *self,
            CnStore       *store)
{
  g_autoptr(JsonObject) defaults = commune_defaults (self);
  g_autofree char *today = cn_time_today ();
  AdwPreferencesGroup *group;
  g_autoptr(GPtrArray) tasks = NULL;

  json_object_set_string_member (defaults, "status", "open");
  group = add_group (self, _("Tasks"), "task", defaults, _("_Add Task"));
  tasks = cn_delegations_list (store, "task", "commune_id", self->commune_id, "due_on", FALSE);
  for (guint i = 0; i < tasks->len; i++)
    {
      CnRecord *task = g_ptr_array_index (tasks, i);
      const char *status = cn_delegations_status_label ("task", "status", cn_record_get_string (task, "status"));
      g_autofree char *owner = cn_delegations_title_of (store, cn_record_get_string (task, "owner_id"));
      g_autofree char *due = cn_delegations_format_date (cn_record_get_string (task, "due_on"));
      g_autoptr(GString) subtitle = g_string_new (status);
      RowSpec *spec;

      if (owner[0] != '\0')
        g_string_append_printf (subtitle, " · %s", owner);
      if (due[0] != '\0')
        /* Translators: a task's due date */
        g_string_append_printf (subtitle, " · %s %s", _("due"), due);
      if (cn_delegations_task_is_overdue (task, today))
        g_string_append_printf (subtitle, " · %s", _("overdue"));
      spec = add_record_row (group, "task", task, NULL, cn_record_get_string (task, "title"),
                             subtitle->str, TRUE);
      if (cn_delegations_task_is_overdue (task, today))
        spec->extra = EXTRA_OVERDUE;
    }
  if (tasks->len == 0)
    add_empty_row (group, _("No task for this commune."));
}

static CnRecord *
find_commune_criteria_set (CnStore *store)
{
  g_autoptr(GPtrArray) sets = cn_delegations_list (store, "criteria_set", NULL, NULL, "title", FALSE);
  CnRecord *fallback = NULL;

  for (guint i = 0; i < sets->len; i++)
    {
      CnRecord *set = g_ptr_array_index (sets, i);

      if (g_strcmp0 (cn_record_get_string (set, "level"), "commune") == 0
          && g_strcmp0 (cn_record_get_string (set, "variant"), "standard") == 0)
        return g_object_ref (set);
      if (fallback == NULL && g_strcmp0 (cn_record_get_string (set, "level"), "commune") == 0)
        fallback = set;
    }
  return fallback != NULL ? g_object_ref (fallback) : NULL;
}

static void
fill_criteria (CnCommunePage *self,
               CnStore       *store)
{
  g_autoptr(CnRecord) set = find_commune_criteria_set (store);
  g_autoptr(GHashTable) latest = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_autoptr(GPtrArray) assessments = NULL;
  AdwPreferencesGroup *group;
  JsonObject *data;
  JsonArray *items;
  guint met = 0;
  g_autofree char *description = NULL;

  group = add_group (self, _("New-Rural Criteria"), NULL, NULL, NULL);
  if (set == NULL)
    {
      add_empty_row (group, _("No commune criteria set is available yet."));
      return;
    }

  assessments = cn_delegations_list (store, "assessment", "commune_id", self->commune_id,
                                     "assessed_on", FALSE);
  for (guint i = 0; i < assessments->len; i++)
    {
      CnRecord *a = g_ptr_array_index (assessments, i);

      if (g_strcmp0 (cn_record_get_string (a, "criteria_set_id"), cn_record_get_id (set)) != 0)
        continue;
      g_hash_table_replace (latest, cn_record_dup_string (a, "criterion_code"), g_object_ref (a));
    }

  data = cn_record_get_data (set);
  items = json_object_has_member (data, "items") ? json_object_get_array_member (data, "items") : NULL;
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *code = json_object_get_string_member_with_default (item, "code", "");
      const char *name = json_object_get_string_member_with_default (item, "name", "");
      CnRecord *a = g_hash_table_lookup (latest, code);
      g_autofree char *title = g_strdup_printf ("%s. %s", code, name);
      g_autoptr(GString) subtitle = g_string_new (NULL);
      g_autoptr(JsonObject) defaults = commune_defaults (self);
      RowSpec *spec;

      json_object_set_string_member (defaults, "criteria_set_id", cn_record_get_id (set));
      json_object_set_string_member (defaults, "criterion_code", code);
      if (a != NULL)
        {
          g_autofree char *date = cn_delegations_format_date (cn_record_get_string (a, "assessed_on"));
          const char *note = cn_record_get_string (a, "note");

          g_string_append (subtitle, cn_delegations_status_label ("assessment", "status",
                                                                  cn_record_get_string (a, "status")));
          if (date[0] != '\0')
            g_string_append_printf (subtitle, " · %s", date);
          if (note != NULL)
            g_string_append_printf (subtitle, " · %s", note);
          if (g_strcmp0 (cn_record_get_string (a, "status"), "met") == 0)
            met++;
        }
      else
        g_string_append (subtitle, _("Not assessed"));

      /* A row with no assessment opens a new one for that criterion. */
      spec = add_record_row (group, "assessment", a, a == NULL ? defaults : NULL, title, subtitle->str, FALSE);
      if (a != NULL && g_strcmp0 (cn_record_get_string (a, "status"), "met") == 0)
        spec->extra = EXTRA_MET;
    }

  /* Translators: criteria met out of the total, in the group's description */
  description = g_strdup_printf (_("%u of %u criteria met"), met,
                                 items != NULL ? json_array_get_length (items) : 0);
  adw_preferences_group_set_description (group, description);
}

static void
fill_attendance (CnCommunePage *self,
                 CnStore       *store)
{
  g_autoptr(GPtrArray) assignments = cn_delegations_list (store, "assignment", "commune_id",
                                                          self->commune_id, NULL, FALSE);
  g_autoptr(JsonObject) defaults = json_object_new ();
  AdwPreferencesGroup *group;
  guint shown = 0;

  for (guint i = 0; i < assignments->len; i++)
    {
      const char *person = cn_record_get_string (g_ptr_array_index (assignments, i), "person_id");

      if (person != NULL && !json_object_has_member (defaults, "person_id"))
        json_object_set_string_member (defaults, "person_id", person);
    }
  json_object_set_boolean_member (defaults, "attended", TRUE);
  group = add_group (self, _("Monthly Party-Cell Attendance"), "attendance", defaults, _("_Record Attendance"));

  for (guint i = 0; i < assignments->len; i++)
    {
      CnRecord *a = g_ptr_array_index (assignments, i);
      const char *person = cn_record_get_string (a, "person_id");
      g_autoptr(GPtrArray) months = NULL;
      g_autofree char *name = NULL;

      if (person == NULL)
        continue;
      name = cn_delegations_title_of (store, person);
      months = cn_delegations_list (store, "attendance", "person_id", person, "month", TRUE);
      for (guint j = 0; j < months->len; j++)
        {
          CnRecord *m = g_ptr_array_index (months, j);
          int year = 0, month = 0;
          g_autofree char *title = NULL;
          const char *note = cn_record_get_string (m, "note");

          cn_time_parse_month (cn_record_get_string (m, "month"), &year, &month);
          /* Translators: attendance of a person in a month: "Trần Quý — 06/2015" */
          title = g_strdup_printf (_("%s — %02d/%04d"), name, month, year);
          add_record_row (group, "attendance", m, NULL, title,
                          cn_record_get_bool (m, "attended")
                          ? (note != NULL ? note : _("Attended"))
                          : (note != NULL ? note : _("Absent")), TRUE);
          shown++;
        }
    }
  if (shown == 0)
    add_empty_row (group, _("No attendance recorded yet."));
}

static void
fill_delegation (CnCommunePage *self,
                 CnStore       *store,
                 CnRecord      *delegation)
{
  g_autoptr(JsonObject) defaults = json_object_new ();
  g_autoptr(JsonArray) communes = json_array_new ();
  g_autoptr(CnRecord) commune = cn_store_get (store, self->commune_id, NULL);
  AdwPreferencesGroup *group;

  /* A new delegation starts with this commune and its district. */
  json_array_add_string_element (communes, self->commune_id);
  json_object_set_array_member (defaults, "commune_ids", json_array_ref (communes));
  if (commune != NULL && cn_record_get_string (commune, "parent_id") != NULL)
    json_object_set_string_member (defaults, "unit_id", cn_record_get_string (commune, "parent_id"));
  group = add_group (self, _("Delegation"), "delegation", defaults, _("_New Delegation"));
  if (delegation == NULL)
    {
      add_empty_row (group, _("No delegation is in charge of this commune."));
      return;
    }
  {
    g_autofree char *leaders = cn_delegations_names_of (store, delegation, "leader_ids");
    g_autofree char *members = cn_delegations_names_of (store, delegation, "member_ids");
    g_autoptr(GString) subtitle = g_string_new (NULL);

    if (leaders[0] != '\0')
      /* Translators: the leaders of a delegation */
      g_string_append_printf (subtitle, _("Leaders: %s"), leaders);
    if (members[0] != '\0')
      /* Translators: the members of a delegation */
      {
        if (subtitle->len > 0)
          g_string_append_c (subtitle, '\n');
        g_string_append_printf (subtitle, _("Members: %s"), members);
      }
    add_record_row (group, "delegation", delegation, NULL, cn_record_get_title (delegation),
                    subtitle->str, FALSE);
  }
}

void
cn_commune_page_reload (CnCommunePage *self)
{
  CnDelegationsView *view = get_view (self);
  CnStore *store = view != NULL ? cn_delegations_view_get_store (view) : NULL;
  g_autoptr(CnRecord) commune = NULL;
  g_autoptr(GPtrArray) delegations = NULL;
  const char *delegation_id = NULL;
  GtkWidget *child;

  g_return_if_fail (CN_IS_COMMUNE_PAGE (self));

  cn_row_feeder_clear (self->feeder);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups_box))) != NULL)
    {
      cn_row_feeder_retire (self->feeder, g_object_ref (child));
      gtk_box_remove (self->groups_box, child);
    }

  if (store == NULL || self->commune_id == NULL)
    return;

  commune = cn_store_get (store, self->commune_id, NULL);
  gtk_label_set_text (self->title_label, commune != NULL ? cn_record_get_title (commune) : "");

  delegations = cn_delegations_list (store, "delegation", "commune_ids", self->commune_id, NULL, FALSE);
  if (delegations->len > 0)
    {
      CnRecord *delegation = g_ptr_array_index (delegations, 0);
      g_autofree char *leaders = cn_delegations_names_of (store, delegation, "leader_ids");
      g_autofree char *subtitle = leaders[0] != '\0'
                                  /* Translators: a delegation and its leaders */
                                  ? g_strdup_printf (_("%s, led by %s"), cn_record_get_title (delegation), leaders)
                                  : g_strdup (cn_record_get_title (delegation));

      delegation_id = cn_record_get_id (delegation);
      gtk_label_set_text (self->subtitle_label, subtitle);
    }
  else
    gtk_label_set_text (self->subtitle_label, _("No delegation is in charge of this commune."));

  fill_delegation (self, store, delegations->len > 0 ? g_ptr_array_index (delegations, 0) : NULL);
  fill_visits (self, store, delegation_id);
  fill_tasks (self, store);
  fill_criteria (self, store);
  fill_assignments (self, store);
  fill_reports (self, store, delegation_id);
  fill_attendance (self, store);
  cn_stall_probe_note ("rows");
}

void
cn_commune_page_set_commune_id (CnCommunePage *self,
                                const char    *commune_id)
{
  g_return_if_fail (CN_IS_COMMUNE_PAGE (self));

  g_free (self->commune_id);
  self->commune_id = g_strdup (commune_id);
  cn_commune_page_reload (self);
}

const char *
cn_commune_page_get_commune_id (CnCommunePage *self)
{
  g_return_val_if_fail (CN_IS_COMMUNE_PAGE (self), NULL);

  return self->commune_id;
}

static void
cn_commune_page_dispose (GObject *object)
{
  CnCommunePage *self = CN_COMMUNE_PAGE (object);

  /* AdwBin unparents its child itself: drop it first, so that the template does not
   * unparent a bound child the bin still points to. */
  g_clear_object (&self->feeder);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CN_TYPE_COMMUNE_PAGE);

  G_OBJECT_CLASS (cn_commune_page_parent_class)->dispose (object);
}

static void
cn_commune_page_finalize (GObject *object)
{
  CnCommunePage *self = CN_COMMUNE_PAGE (object);

  g_free (self->commune_id);

  G_OBJECT_CLASS (cn_commune_page_parent_class)->finalize (object);
}

static void
cn_commune_page_class_init (CnCommunePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cn_commune_page_dispose;
  object_class->finalize = cn_commune_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/hatinh/nongthonmoi/CauNoi/cn-commune-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CnCommunePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, CnCommunePage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, CnCommunePage, groups_box);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
}

static void
cn_commune_page_init (CnCommunePage *self)
{
  self->feeder = cn_row_feeder_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
