/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-delegations"

#include "config.h"

#include <glib/gi18n.h>

#include "cn-application.h"
#include "cn-commune-page.h"
#include "cn-conflicts-view.h"
#include "cn-delegations-view.h"
#include "cn-district-overview.h"
#include "cn-error.h"
#include "cn-format.h"
#include "cn-id.h"
#include "cn-record-editor.h"
#include "cn-report-print.h"
#include "cn-schema.h"
#include "cn-stall-probe.h"
#include "cn-task-board.h"
#include "cn-time.h"
#include "cn-widget-util.h"
#include "cn-workflow-reader.h"

/* The Delegations section: the district overview (and a commune's page), the task board and
 * the sync issues. It owns what the workflow widgets share: the store, the forms, deleting
 * with undo, moving a task, permissions, and the report export. */

struct _CnDelegationsView
{
  AdwBin              parent_instance;

  GtkStack           *pages;
  GtkStack           *district_stack;
  CnDistrictOverview *overview;
  CnCommunePage      *commune_page;
  CnTaskBoard        *task_board;
  CnConflictsView    *conflicts_view;
  GtkLabel           *permission_label;

  CnStore            *store;
  CnSyncClient       *sync_client;
  char               *role;           /* NULL: local-only mode, everything allowed */
  char               *scope_unit_id;
  guint               reload_id;
  guint               dirty;          /* Part flags: what changed and is not read again yet */
  GHashTable         *within_scope;   /* unit id → GINT_TO_POINTER (1 or 2): in or out */
  gboolean            store_failed;
  guint               probe_id;
  guint               probe_step;
};

G_DEFINE_FINAL_TYPE (CnDelegationsView, cn_delegations_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SYNC_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers shared by the workflow widgets */

/**
 * cn_delegations_list:
 * @store: the store
 * @collection: a collection
 * @field: (nullable): a field to filter on
 * @value: (nullable): the value it must have (with CN_QUERY_CONTAINS for array fields)
 * @sort: (nullable): the field to sort by
 * @descending: the order
 *
 * Returns: (transfer full) (element-type CnRecord): the matching live records; empty when the
 *   store cannot be read (the error is logged)
 */
GPtrArray *
cn_delegations_list (CnStore    *store,
                     const char *collection,
                     const char *field,
                     const char *value,
                     const char *sort,
                     gboolean    descending)
{
  g_autoptr(CnQuery) query = cn_query_new (collection);
  g_autoptr(GError) error = NULL;
  GPtrArray *records;

  if (store == NULL)
    return g_ptr_array_new_with_free_func (g_object_unref);

  if (field != NULL)
    {
      const CnCollection *coll = cn_schema_lookup (collection);
      const CnField *f = coll != NULL ? cn_collection_lookup_field (coll, field) : NULL;
      gboolean array = f != NULL && (f->type == CN_FIELD_UUID_ARRAY || f->type == CN_FIELD_STRING_ARRAY);

      cn_query_add_filter (query, field, array ? CN_QUERY_CONTAINS : CN_QUERY_EQ, value);
    }
  if (sort != NULL)
    cn_query_set_sort (query, sort, descending);

  records = cn_store_query (store, query, 0, G_MAXINT, &error);
  if (records == NULL)
    {
      g_warning ("Could not read %s: %s", collection, error->message);
      return g_ptr_array_new_with_free_func (g_object_unref);
    }
  return records;
}

/**
 * cn_delegations_title_of:
 * @store: the store
 * @id: (nullable): a record id
 *
 * Returns: (transfer full): the record's display title, or an empty string
 */
char *
cn_delegations_title_of (CnStore    *store,
                         const char *id)
{
  g_autoptr(CnRecord) record = NULL;

  if (store == NULL || id == NULL)
    return g_strdup ("");
  record = cn_store_get (store, id, NULL);
  if (record == NULL || cn_record_get_deleted (record))
    return g_strdup ("");
  return g_strdup (cn_record_get_title (record));
}

static char *
store_title_cb (gpointer    user_data,
                const char *id)
{
  return cn_delegations_title_of (user_data, id);
}

/**
 * cn_delegations_names_of:
 * @store: the store
 * @record: a record
 * @field: a UUID-array field ("led_by", "member_ids")
 *
 * Returns: (transfer full): the titles of the records the field points to, joined by ", "
 */
char *
cn_delegations_names_of (CnStore    *store,
                         CnRecord   *record,
                         const char *field)
{
  g_auto(GStrv) ids = cn_record_dup_strv (record, field);

  return cn_join_titles ((const char * const *) ids, store_title_cb, store);
}

/**
 * cn_delegations_format_date:
 * @iso: (nullable): "YYYY-MM-DD"
 *
 * Returns: (transfer full): the date as the office writes it, or an empty string
 */
char *
cn_delegations_format_date (const char *iso)
{
  char *text;

  if (iso == NULL || iso[0] == '\0')
    return g_strdup ("");
  text = cn_format_date_iso (iso);
  return text != NULL ? text : g_strdup (iso);
}

/**
 * cn_delegations_display_title:
 * @title: a record title from the schema ("2015-06-06 — Topic")
 *
 * Returns: (transfer full): the title with a leading ISO date written the office's way
 */
char *
cn_delegations_display_title (const char *title)
{
  g_autofree char *day = NULL;

  if (title == NULL)
    return g_strdup ("");
  if (strlen (title) < 10)
    return g_strdup (title);
  day = g_strndup (title, 10);
  if (!cn_time_parse_date (day, NULL, NULL, NULL))
    return g_strdup (title);
  {
    g_autofree char *shown = cn_delegations_format_date (day);
    return g_strconcat (shown, title + 10, NULL);
  }
}

/**
 * cn_delegations_status_label:
 *
 * Returns: (transfer none): the translated label of an enumeration value
 */
const char *
cn_delegations_status_label (const char *collection,
                             const char *field,
                             const char *value)
{
  const CnCollection *coll = cn_schema_lookup (collection);
  const CnField *f = coll != NULL ? cn_collection_lookup_field (coll, field) : NULL;
  const char *label = f != NULL && value != NULL ? cn_schema_enum_label (f, value) : NULL;

  return label != NULL ? label : (value != NULL ? value : "");
}

/**
 * cn_delegations_task_is_overdue:
 * @task: a task record
 * @today: today as "YYYY-MM-DD"
 *
 * Returns: whether the task is past its due date and neither done nor dropped
 */
gboolean
cn_delegations_task_is_overdue (CnRecord   *task,
                                const char *today)
{
  const char *due = cn_record_get_string (task, "due_on");
  const char *status = cn_record_get_string (task, "status");

  if (due == NULL || g_strcmp0 (status, "done") == 0 || g_strcmp0 (status, "dropped") == 0)
    return FALSE;
  return strcmp (due, today) < 0;
}

static void
toggle_activated_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  GtkCheckButton *check = GTK_CHECK_BUTTON (user_data);

  /* A radio button is only ever switched on, as a click does. */
  if (gtk_check_button_get_active (check) && g_object_get_data (G_OBJECT (check), "radio") != NULL)
    return;
  gtk_check_button_set_active (check, !gtk_check_button_get_active (check));
}

/**
 * cn_delegations_expose_toggle:
 * @check: a check or radio button
 *
 * GTK 4.8 gives check buttons no accessible action, so screen readers and other assistive
 * technology cannot tick them; a "check.toggle" action on the button itself is listed as its
 * AT-SPI action and does what a click does.
 */
void
cn_delegations_expose_toggle (GtkCheckButton *check)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) action = g_simple_action_new ("toggle", NULL);

  g_signal_connect_object (action, "activate", G_CALLBACK (toggle_activated_cb), check, 0);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
  gtk_widget_insert_action_group (GTK_WIDGET (check), "check", G_ACTION_GROUP (group));
}

static gboolean
tooltip_on_demand_cb (GtkWidget  *widget,
                      int         x,
                      int         y,
                      gboolean    keyboard_mode,
                      GtkTooltip *tooltip)
{
  const char *text = g_object_get_data (G_OBJECT (widget), "cn-tooltip");

  if (text == NULL || text[0] == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/**
 * cn_delegations_set_tooltip:
 * @widget: a widget
 * @text: (nullable): its tooltip, or %NULL for none
 *
 * Like gtk_widget_set_tooltip_text(), but the text is asked for on hover:
 * gtk_widget_set_tooltip_text() on a shown widget asks the display server where the pointer
 * is, a round trip each time, which a board binding hundreds of cards cannot afford.
 */
void
cn_delegations_set_tooltip (GtkWidget  *widget,
                            const char *text)
{
  if (g_object_get_data (G_OBJECT (widget), "cn-tooltip-connected") == NULL)
    {
      g_signal_connect (widget, "query-tooltip", G_CALLBACK (tooltip_on_demand_cb), NULL);
      g_object_set_data (G_OBJECT (widget), "cn-tooltip-connected", GINT_TO_POINTER (TRUE));
    }
  g_object_set_data_full (G_OBJECT (widget), "cn-tooltip", g_strdup (text), g_free);
  gtk_widget_set_has_tooltip (widget, text != NULL && text[0] != '\0');
}

CnDelegationsView *
cn_delegations_view_from_widget (GtkWidget *widget)
{
  GtkWidget *ancestor = gtk_widget_get_ancestor (widget, CN_TYPE_DELEGATIONS_VIEW);

  return ancestor != NULL ? CN_DELEGATIONS_VIEW (ancestor) : NULL;
}

/* Store and reloads
 *
 * A change marks the parts that show its collection; a part is read again only when it is
 * shown (the commune's page, the task board) and in an idle, so that a sync writing page
 * after page is answered by one reload of what is on screen. The task board's columns
 * follow their tasks by themselves (CnRecordList); the overview reads in a worker thread. */

typedef enum {
  PART_OVERVIEW = 1 << 0,
  PART_COMMUNE  = 1 << 1,
  PART_BOARD    = 1 << 2,   /* the board's filters and names */
  PART_SYNC     = 1 << 3,
  PART_ALL      = PART_OVERVIEW | PART_COMMUNE | PART_BOARD | PART_SYNC,
} Part;

static guint
parts_showing (const char *collection)
{
  static const struct { const char *collection; guint parts; } map[] = {
    { "unit",         PART_OVERVIEW | PART_COMMUNE | PART_BOARD },
    { "person",       PART_OVERVIEW | PART_COMMUNE | PART_BOARD },
    { "delegation",   PART_OVERVIEW | PART_COMMUNE | PART_BOARD },
    { "assignment",   PART_OVERVIEW | PART_COMMUNE },
    { "visit",        PART_OVERVIEW | PART_COMMUNE },
    { "task",         PART_OVERVIEW | PART_COMMUNE },
    { "assessment",   PART_OVERVIEW | PART_COMMUNE },
    { "report",       PART_COMMUNE },
    { "criteria_set", PART_COMMUNE },
    { "attendance",   PART_COMMUNE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_strcmp0 (collection, map[i].collection) == 0)
      return map[i].parts | PART_SYNC;
  /* Articles, documents, task events: only the sync issues may list them. */
  return PART_SYNC;
}

static guint
parts_shown (CnDelegationsView *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->pages);
  const char *district = gtk_stack_get_visible_child_name (self->district_stack);
  guint parts = PART_SYNC;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return 0;
  /* The overview is read even under a commune's page: going back shows it at once. */
  if (g_strcmp0 (page, "district") == 0)
    parts |= PART_OVERVIEW | (g_strcmp0 (district, "commune") == 0 ? PART_COMMUNE : 0);
  else if (g_strcmp0 (page, "tasks") == 0)
    parts |= PART_BOARD;
  return parts;
}

static gboolean
reload_idle_cb (gpointer user_data)
{
  CnDelegationsView *self = CN_DELEGATIONS_VIEW (user_data);
  guint parts = self->dirty & parts_shown (self);

  self->reload_id = 0;
  self->dirty &= ~parts;
  if (parts & PART_OVERVIEW)
    cn_district_overview_reload (self->overview);
  if (parts & PART_COMMUNE)
    cn_commune_page_reload (self->commune_page);
  if (parts & PART_BOARD)
    cn_task_board_reload (self->task_board);
  if (parts & PART_SYNC)
    cn_conflicts_view_reload (self->conflicts_view);
  return G_SOURCE_REMOVE;
}

static void
queue_reload_parts (CnDelegationsView *self,
                    guint              parts)
{
  self->dirty |= parts;
  if (self->reload_id == 0 && (self->dirty & parts_shown (self)) != 0)
    self->reload_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, reload_idle_cb, self, NULL);
}

static void
queue_reload (CnDelegationsView *self)
{
  queue_reload_parts (self, PART_ALL);
}

/* A page shown: read what changed while it was hidden. */
static void
page_shown_cb (CnDelegationsView *self)
{
  queue_reload_parts (self, 0);
}

static void load_user (CnDelegationsView *self);

static void
signed_in_changed_cb (CnDelegationsView *self)
{
  load_user (self);
}

static void
store_changed_cb (CnStore           *store,
                  const char        *collection,
                  GArray            *rowids,
                  CnDelegationsView *self)
{
  if (g_strcmp0 (collection, "unit") == 0)
    g_hash_table_remove_all (self->within_scope);
  queue_reload_parts (self, parts_showing (collection));
}

CnStore *
cn_delegations_view_get_store (CnDelegationsView *self)
{
  g_return_val_if_fail (CN_IS_DELEGATIONS_VIEW (self), NULL);

  return self->store;
}

void
cn_delegations_view_set_store (CnDelegationsView *self,
                               CnStore           *store)
{
  g_return_if_fail (CN_IS_DELEGATIONS_VIEW (self));
  g_return_if_fail (store == NULL || CN_IS_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, store_changed_cb, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self, 0);
  g_hash_table_remove_all (self->within_scope);
  load_user (self);
  queue_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

CnSyncClient *
cn_delegations_view_get_sync_client (CnDelegationsView *self)
{
  g_return_val_if_fail (CN_IS_DELEGATIONS_VIEW (self), NULL);

  return self->sync_client;
}

void
cn_delegations_view_set_sync_client (CnDelegationsView *self,
                                     CnSyncClient      *client)
{
  g_return_if_fail (CN_IS_DELEGATIONS_VIEW (self));
  g_return_if_fail (client == NULL || CN_IS_SYNC_CLIENT (client));

  if (self->sync_client == client)
    return;
  if (self->sync_client != NULL)
    g_signal_handlers_disconnect_by_func (self->sync_client, signed_in_changed_cb, self);
  g_set_object (&self->sync_client, client);
  if (client != NULL)
    g_signal_connect_object (client, "notify::signed-in", G_CALLBACK (signed_in_changed_cb), self,
                             G_CONNECT_SWAPPED);
  if (client != NULL && self->store == NULL)
    cn_delegations_view_set_store (self, cn_sync_client_get_store (client));
  load_user (self);
  queue_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_CLIENT]);
}

/* Without a store given by the window, the section takes the application's (opened now if
 * it could not be at start-up). */
static void
ensure_store (CnDelegationsView *self)
{
  GApplication *app = g_application_get_default ();
  CnStore *store;
  g_autoptr(GError) error = NULL;

  if (self->store != NULL || self->store_failed || !CN_IS_APPLICATION (app))
    return;

  store = cn_application_ensure_store (CN_APPLICATION (app), &error);
  if (store == NULL)
    {
      self->store_failed = TRUE;
      cn_delegations_view_toast (self, error->message);
      return;
    }
  if (self->sync_client == NULL)
    cn_delegations_view_set_sync_client (self, cn_application_get_sync_client (CN_APPLICATION (app)));
  cn_delegations_view_set_store (self, store);
}

/* Permissions */

static gboolean
unit_is_within (CnStore    *store,
                const char *unit_id,
                const char *scope_unit_id)
{
  g_autofree char *current = g_strdup (unit_id);

  /* Walk up the parent chain; a bounded walk guards against a cycle in bad data. */
  for (int depth = 0; current != NULL && depth < 16; depth++)
    {
      g_autoptr(CnRecord) unit = NULL;

      if (g_strcmp0 (current, scope_unit_id) == 0)
        return TRUE;
      unit = cn_store_get (store, current, NULL);
      g_free (current);
      current = unit != NULL ? cn_record_dup_string (unit, "parent_id") : NULL;
    }
  return FALSE;
}

/* Every card of the task board asks: the answers are kept until a unit or the user
 * changes. */
static gboolean
unit_is_within_scope (CnDelegationsView *self,
                      const char        *unit_id)
{
  gpointer known = g_hash_table_lookup (self->within_scope, unit_id);
  gboolean within;

  if (known != NULL)
    return GPOINTER_TO_INT (known) == 1;
  within = unit_is_within (self->store, unit_id, self->scope_unit_id);
  g_hash_table_insert (self->within_scope, g_strdup (unit_id), GINT_TO_POINTER (within ? 1 : 2));
  return within;
}

/* The signed-in user's role and scope unit, as the sync client keeps them in the store's
 * meta table at login. Nobody signed in (or an older login that did not record them):
 * local-only mode, where everything is allowed; the server checks every edit anyway. */
static void
load_user (CnDelegationsView *self)
{
  g_autofree char *role = NULL;
  g_autofree char *scope = NULL;

  if (self->store != NULL
      && (self->sync_client == NULL || cn_sync_client_get_signed_in (self->sync_client)))
    {
      role = cn_store_dup_meta (self->store, CN_DELEGATIONS_META_ROLE);
      scope = cn_store_dup_meta (self->store, CN_DELEGATIONS_META_SCOPE_UNIT);
    }
  cn_delegations_view_set_user (self, role, scope);
}

/**
 * cn_delegations_view_set_user:
 * @self: a #CnDelegationsView
 * @role: (nullable): the signed-in user's role (admin, editor, staff, viewer); %NULL when
 *   nobody is signed in (local-only mode: everything is allowed)
 * @scope_unit_id: (nullable): the unit the user's rights cover
 */
void
cn_delegations_view_set_user (CnDelegationsView *self,
                              const char        *role,
                              const char        *scope_unit_id)
{
  g_autofree char *why = NULL;

  g_return_if_fail (CN_IS_DELEGATIONS_VIEW (self));

  g_free (self->role);
  self->role = g_strdup (role);
  g_free (self->scope_unit_id);
  self->scope_unit_id = g_strdup (scope_unit_id);
  g_hash_table_remove_all (self->within_scope);

  if (!cn_delegations_view_can_write (self, "visit", NULL, &why))
    gtk_label_set_text (self->permission_label, why);
  gtk_widget_set_visible (GTK_WIDGET (self->permission_label), why != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "delegations.new-visit", why == NULL);
  queue_reload (self);
}

/**
 * cn_delegations_view_can_write:
 * @self: a #CnDelegationsView
 * @collection: the collection of the record
 * @unit_id: (nullable): the unit (commune, district) the record belongs to
 * @explanation: (out) (optional) (transfer full): why not, for the user
 *
 * Returns: whether the user may create or change such a record
 */
gboolean
cn_delegations_view_can_write (CnDelegationsView  *self,
                               const char         *collection,
                               const char         *unit_id,
                               char              **explanation)
{
  g_return_val_if_fail (CN_IS_DELEGATIONS_VIEW (self), FALSE);

  if (explanation != NULL)
    *explanation = NULL;
  if (self->role == NULL)
    return TRUE;

  if (g_strcmp0 (self->role, "viewer") == 0)
    {
      if (explanation != NULL)
        *explanation = g_strdup (_("You are signed in as a viewer: you can read the records "
                                   "but not change them."));
      return FALSE;
    }
  if (!cn_schema_can_write (collection, self->role))
    {
      if (explanation != NULL)
        *explanation = g_strdup_printf (_("Your role (%s) does not allow changing %s."),
                                        self->role,
                                        cn_collection_get_plural_label (cn_schema_lookup (collection)));
      return FALSE;
    }
  if (unit_id != NULL && self->scope_unit_id != NULL && self->store != NULL
      && !unit_is_within_scope (self, unit_id))
    {
      if (explanation != NULL)
        {
          g_autofree char *scope = cn_delegations_title_of (self->store, self->scope_unit_id);
          g_autofree char *unit = cn_delegations_title_of (self->store, unit_id);

          *explanation = g_strdup_printf (_("%s is outside your area (%s): you can read its "
                                            "records but not change them."),
                                          unit, scope);
        }
      return FALSE;
    }
  return TRUE;
}

/* Forms */

static const char *
record_unit (CnRecord *record)
{
  const char *unit = cn_record_get_string (record, "commune_id");

  return unit != NULL ? unit : cn_record_get_string (record, "unit_id");
}

static gboolean
editor_save_cb (CnRecordEditor  *editor,
                CnRecord        *record,
                JsonObject      *data,
                gpointer         user_data,
                GError         **error)
{
  CnDelegationsView *self = CN_DELEGATIONS_VIEW (user_data);
  const char *collection = cn_record_editor_get_collection (editor);
  g_autofree char *id = NULL;
  g_autoptr(CnRecord) saved = NULL;
  g_autofree char *why = NULL;
  const char *unit = json_object_get_string_member_with_default (data, "commune_id",
                       json_object_get_string_member_with_default (data, "unit_id", NULL));

  if (!cn_delegations_view_can_write (self, collection, unit, &why))
    {
      g_set_error_literal (error, CN_ERROR, CN_ERROR_FORBIDDEN, why);
      return FALSE;
    }
  if (self->store == NULL)
    {
      g_set_error_literal (error, CN_ERROR, CN_ERROR_STORE,
                           _("The local database is not open, so nothing can be saved."));
      return FALSE;
    }

  id = record != NULL ? g_strdup (cn_record_get_id (record)) : cn_id_new ();
  saved = cn_store_put (self->store, collection, id, data, error);
  if (saved == NULL)
    return FALSE;

  if (self->sync_client != NULL)
    cn_sync_client_refresh_counts (self->sync_client);
  /* Translators: %s is the kind of record ("Working session") */
  {
    g_autofree char *message = g_strdup_printf (_("%s saved"),
                                                cn_collection_get_label (cn_schema_lookup (collection)));
    cn_delegations_view_toast (self, message);
  }
  return TRUE;
}

/**
 * cn_delegations_view_edit:
 * @self: a #CnDelegationsView
 * @collection: the record's collection
 * @record: (nullable): the record to edit, %NULL to create one
 * @defaults: (nullable): values for a new record (the commune of the page, today…)
 *
 * Opens the form; it is read-only, with the reason, when the user may not change the record.
 */
void
cn_delegations_view_edit (CnDelegationsView *self,
                          const char        *collection,
                          CnRecord          *record,
                          JsonObject        *defaults)
{
  CnRecordEditor *editor;
  g_autofree char *why = NULL;
  const char *unit = NULL;

  g_return_if_fail (CN_IS_DELEGATIONS_VIEW (self));

  ensure_store (self);
  editor = cn_record_editor_new (collection, record);
  cn_record_editor_set_store (editor, self->store);
  /* The choices (every session, unit, person…) are read in a thread; the form shows its
   * current values at once. */
  cn_record_editor_load_choices (editor);

  if (defaults != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, defaults);
      while (json_object_iter_next (&iter, &name, &value))
        cn_record_editor_set_value (editor, name, value);
      unit = json_object_get_string_member_with_default (defaults, "commune_id", NULL);
    }
  if (record != NULL)
    unit = record_unit (record);

  if (!cn_delegations_view_can_write (self, collection, unit, &why))
    cn_record_editor_set_read_only (editor, TRUE, why);

  cn_record_editor_set_save_func (editor, editor_save_cb, self, NULL);
  gtk_window_set_transient_for (GTK_WINDOW (editor),
                                GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_present (GTK_WINDOW (editor));
}

/* Deleting, with undo from the toast */

void
cn_delegations_view_toast (CnDelegationsView *self,
                           const char        *message)
{
  g_return_if_fail (CN_IS_DELEGATIONS_VIEW (self));

  cn_widget_toast (GTK_WIDGET (self), message);
}

typedef struct
{
  CnDelegationsView *self;
  char              *collection;
  char              *id;
  JsonObject        *data;
} UndoDelete;

static void
undo_delete_free (gpointer data)
{
  UndoDelete *undo = data;

  g_object_unref (undo->self);
  g_free (undo->collection);
  g_free (undo->id);
  json_object_unref (undo->data);
  g_free (undo);
}

static void
undo_delete_cb (AdwToast   *toast,
                UndoDelete *undo)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnRecord) restored = NULL;

  if (undo->self->store == NULL)
    return;
  restored = cn_store_put (undo->self->store, undo->collection, undo->id, undo->data, &error);
  if (restored == NULL)
    cn_delegations_view_toast (undo->self, error->message);
}

void
cn_delegations_view_delete (CnDelegationsView *self,
                            CnRecord          *record)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  g_autofree char *title = NULL;
  UndoDelete *undo;
  AdwToast *toast;

  g_return_if_fail (CN_IS_DELEGATIONS_VIEW (self));
  g_return_if_fail (CN_IS_RECORD (record));

  if (!cn_delegations_view_can_write (self, cn_record_get_collection (record),
                                      record_unit (record), &why))
    {
      cn_delegations_view_toast (self, why);
      return;
    }

  undo = g_new0 (UndoDelete, 1);
  undo->self = g_object_ref (self);
  undo->collection = g_strdup (cn_record_get_collection (record));
  undo->id = g_strdup (cn_record_get_id (record));
  undo->data = json_object_ref (cn_record_get_data (record));
  {
    g_autofree char *shown = cn_delegations_display_title (cn_record_get_title (record));
    title = g_markup_escape_text (shown, -1);
  }

  if (!cn_store_delete (self->store, undo->id, &error))
    {
      undo_delete_free (undo);
      cn_delegations_view_toast (self, error->message);
      return;
    }

  /* Translators: a toast after deleting, %s is the record's title */
  toast = adw_toast_new_format (_("“%s” deleted"), title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  /* Time to notice a slip of the hand. */
  adw_toast_set_timeout (toast, 10);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (undo_delete_cb), undo,
                         (GClosureNotify) (void (*) (void)) undo_delete_free, 0);
  cn_widget_add_toast (GTK_WIDGET (self), toast);
}

/* Moving a task: the new status and its task_event in one transaction */

/**
 * cn_delegations_view_move_task:
 * @self: a #CnDelegationsView
 * @task: a task record
 * @to_status: the new status
 * @comment: (nullable): why, as the user wrote it
 * @error: return location for a #GError
 *
 * Changes the task's status and records a task_event (when, from, to, comment; who is the
 * event's updated_by), both in one transaction so neither exists without the other.
 *
 * Returns: %TRUE on success
 */
gboolean
cn_delegations_view_move_task (CnDelegationsView  *self,
                               CnRecord           *task,
                               const char         *to_status,
                               const char         *comment,
                               GError            **error)
{
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(JsonObject) event = json_object_new ();
  g_autoptr(CnRecord) current = NULL;
  g_autoptr(CnRecord) patched = NULL;
  g_autoptr(CnRecord) logged = NULL;
  g_autofree char *why = NULL;
  g_autofree char *event_id = cn_id_new ();
  g_autofree char *now = cn_time_now_rfc3339 ();
  const char *from_status;

  g_return_val_if_fail (CN_IS_DELEGATIONS_VIEW (self), FALSE);
  g_return_val_if_fail (CN_IS_RECORD (task), FALSE);

  if (!cn_delegations_view_can_write (self, "task", cn_record_get_string (task, "commune_id"), &why))
    {
      g_set_error_literal (error, CN_ERROR, CN_ERROR_FORBIDDEN, why);
      return FALSE;
    }

  if (!cn_store_begin (self->store, error))
    return FALSE;

  /* The status the task has now, not the one the card showed: the card may be a moment
   * behind a move made an instant ago (here or by a sync), and the event must say where the
   * task really came from. */
  current = cn_store_get (self->store, cn_record_get_id (task), error);
  if (current == NULL)
    {
      cn_store_rollback (self->store);
      return FALSE;
    }
  from_status = cn_record_get_string (current, "status");
  if (g_strcmp0 (from_status, to_status) == 0)
    {
      cn_store_rollback (self->store);
      return TRUE;
    }

  json_object_set_string_member (patch, "status", to_status);
  json_object_set_string_member (event, "task_id", cn_record_get_id (task));
  json_object_set_string_member (event, "at", now);
  if (from_status != NULL)
    json_object_set_string_member (event, "from_status", from_status);
  json_object_set_string_member (event, "to_status", to_status);
  if (comment != NULL && comment[0] != '\0')
    json_object_set_string_member (event, "comment", comment);

  patched = cn_store_patch (self->store, cn_record_get_id (task), patch, error);
  if (patched != NULL)
    logged = cn_store_put (self->store, "task_event", event_id, event, error);
  if (logged == NULL || !cn_store_commit (self->store, error))
    {
      cn_store_rollback (self->store);
      return FALSE;
    }
  if (self->sync_client != NULL)
    cn_sync_client_refresh_counts (self->sync_client);
  return TRUE;
}

/* Navigation */

void
cn_delegations_view_show_commune (CnDelegationsView *self,
                                  const char        *commune_id)
{
  g_return_if_fail (CN_IS_DELEGATIONS_VIEW (self));

  cn_commune_page_set_commune_id (self->commune_page, commune_id);
  self->dirty &= ~PART_COMMUNE;
  gtk_stack_set_visible_child_name (self->pages, "district");
  gtk_stack_set_visible_child_name (self->district_stack, "commune");
}

void
cn_delegations_view_show_overview (CnDelegationsView *self)
{
  g_return_if_fail (CN_IS_DELEGATIONS_VIEW (self));

  gtk_stack_set_visible_child_name (self->district_stack, "overview");
}

/* The report for a standing-committee meeting. A province holds tens of thousands of
 * sessions and tasks: the delegation's are read (filtered in SQL, on the workflow reader's
 * connection), laid out and saved in a worker thread; the window only shows that the work
 * is going on and what came of it. */

static CnReportPrint *
build_report (CnWorkflowReader  *reader,
              CnRecord          *report,
              GError           **error)
{
  const char *delegation_id = cn_record_get_string (report, "delegation_id");
  const char *meeting = cn_record_get_string (report, "meeting_date");
  g_autoptr(CnRecord) delegation = NULL;
  g_autofree char *title = NULL;
  g_autoptr(CnReportPrint) print = NULL;
  g_autoptr(GPtrArray) visits = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autofree char *today = cn_time_today ();
  const char *visit_headers[] = { _("Date"), _("Commune"), _("Led by"), _("Conclusions") };
  const double visit_widths[] = { 1.1, 1.1, 1.8, 4 };
  const char *task_headers[] = { _("Task"), _("Commune"), _("Owner"), _("Due date"), _("Status") };
  const double task_widths[] = { 3.2, 1.2, 1.6, 1.1, 1.2 };
  /* The tasks of the delegation's communes, and those the report itself gave. */
  CnTaskSelection selection = {
    .in_delegation = TRUE,
    .delegation_id = delegation_id,
    .source_id = cn_record_get_id (report),
  };

  delegation = cn_workflow_reader_get (reader, delegation_id, error);
  if (delegation == NULL && error != NULL && *error != NULL)
    return NULL;
  /* A session after the meeting is not reported to it. */
  visits = cn_workflow_reader_sessions (reader, delegation_id != NULL ? delegation_id : "", meeting, error);
  if (visits == NULL)
    return NULL;
  tasks = cn_workflow_reader_tasks (reader, &selection, error);
  if (tasks == NULL)
    return NULL;

  /* Translators: the title of the printed report, %s is the delegation's name */
  title = g_strdup_printf (_("Report of %s"),
                           delegation != NULL ? cn_record_get_title (delegation) : _("the delegation"));
  print = cn_report_print_new (title);
  if (meeting != NULL)
    {
      g_autofree char *date = cn_delegations_format_date (meeting);
      /* Translators: %s is a date */
      g_autofree char *line = g_strdup_printf (_("To the standing committee meeting of %s"), date);

      cn_report_print_add_subtitle (print, line);
    }
  if (delegation != NULL)
    {
      g_autofree char *leaders = cn_workflow_reader_dup_names (reader, delegation, "leader_ids");

      if (leaders[0] != '\0')
        {
          /* Translators: a subtitle of the printed report to the standing committee; %s
           * lists the delegation's leaders, "Nguyễn Văn A, Trần Thị B" */
          g_autofree char *line = g_strdup_printf (C_("report", "Led by %s"), leaders);
          cn_report_print_add_subtitle (print, line);
        }
    }

  cn_report_print_add_heading (print, _("Period"));
  cn_report_print_add_paragraph (print, cn_record_get_string (report, "period") != NULL
                                        ? cn_record_get_string (report, "period") : _("Not given"));

  cn_report_print_add_heading (print, _("Working sessions"));
  if (visits->len > 0)
    cn_report_print_add_table (print, visit_headers, visit_widths, G_N_ELEMENTS (visit_headers));
  for (guint i = 0; i < visits->len; i++)
    {
      CnRecord *visit = g_ptr_array_index (visits, i);
      g_autofree char *day = cn_delegations_format_date (cn_record_get_string (visit, "date"));
      g_autofree char *commune = cn_workflow_reader_dup_title (reader, cn_record_get_string (visit, "commune_id"));
      g_autofree char *led_by = cn_workflow_reader_dup_names (reader, visit, "led_by");
      const char *cells[] = { day, commune, led_by, cn_record_get_string (visit, "conclusions") };

      cn_report_print_add_row (print, cells);
    }
  if (visits->len == 0)
    cn_report_print_add_paragraph (print, _("No working session in this period."));

  cn_report_print_add_heading (print, _("Situation"));
  cn_report_print_add_paragraph (print, cn_record_get_string (report, "situation") != NULL
                                        ? cn_record_get_string (report, "situation") : _("Not given"));
  cn_report_print_add_heading (print, _("Proposals"));
  cn_report_print_add_paragraph (print, cn_record_get_string (report, "proposals") != NULL
                                        ? cn_record_get_string (report, "proposals") : _("Not given"));

  cn_report_print_add_heading (print, _("Task status"));
  if (tasks->len > 0)
    cn_report_print_add_table (print, task_headers, task_widths, G_N_ELEMENTS (task_headers));
  for (guint i = 0; i < tasks->len; i++)
    {
      CnRecord *task = g_ptr_array_index (tasks, i);
      g_autofree char *commune = cn_workflow_reader_dup_title (reader, cn_record_get_string (task, "commune_id"));
      g_autofree char *owner = cn_workflow_reader_dup_title (reader, cn_record_get_string (task, "owner_id"));
      g_autofree char *due = cn_delegations_format_date (cn_record_get_string (task, "due_on"));
      g_autofree char *status = g_strdup (cn_delegations_status_label ("task", "status",
                                                                       cn_record_get_string (task, "status")));
      const char *cells[5];

      if (cn_delegations_task_is_overdue (task, today))
        {
          g_autofree char *plain = g_steal_pointer (&status);
          /* Translators: a task status with the overdue mark, "In progress (overdue)" */
          status = g_strdup_printf (_("%s (overdue)"), plain);
        }
      cells[0] = cn_record_get_string (task, "title");
      cells[1] = commune;
      cells[2] = owner;
      cells[3] = due;
      cells[4] = status;
      cn_report_print_add_row (print, cells);
    }
  if (tasks->len == 0)
    cn_report_print_add_paragraph (print, _("No task for the communes of this delegation."));

  return g_steal_pointer (&print);
}

typedef struct
{
  char     *path;      /* the store's file */
  CnRecord *report;    /* a copy, the thread's own */
  char     *filename;  /* where to save the PDF; NULL to build the document only */
} ReportJob;

static void
report_job_free (ReportJob *job)
{
  g_free (job->path);
  g_clear_object (&job->report);
  g_free (job->filename);
  g_free (job);
}

static void
report_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ReportJob *job = task_data;
  g_autoptr(CnWorkflowReader) reader = NULL;
  g_autoptr(CnReportPrint) print = NULL;
  GError *error = NULL;

  /* One read transaction: the sessions, tasks and names agree even while a sync writes. */
  reader = cn_workflow_reader_open (job->path, &error);
  if (reader != NULL && cn_workflow_reader_begin (reader, &error))
    {
      print = build_report (reader, job->report, &error);
      cn_workflow_reader_end (reader);
    }
  /* The connection goes before the (slower) layout and writing. */
  g_clear_pointer (&reader, cn_workflow_reader_free);
  if (print != NULL && job->filename != NULL
      && !cn_report_print_export_pdf (print, job->filename, cancellable, &error))
    g_clear_object (&print);
  if (print == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&print), g_object_unref);
}

static void
run_report_job (CnDelegationsView   *self,
                CnRecord            *report,
                const char          *filename,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ReportJob *job = g_new0 (ReportJob, 1);

  job->report = cn_record_copy (report);
  job->filename = g_strdup (filename);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) report_job_free);
  if (self->store == NULL)
    {
      g_task_return_new_error (task, CN_ERROR, CN_ERROR_STORE, "%s",
                               _("The local database is not open: the report cannot be read."));
      return;
    }
  job->path = g_strdup (cn_store_get_path (self->store));
  g_task_run_in_thread (task, report_thread);
}

/**
 * cn_delegations_view_save_report_async:
 * @self: a #CnDelegationsView
 * @report: a report record
 * @file: a local file to save the PDF in
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on this thread's main context when the file is written or failed
 * @user_data: for @callback
 *
 * Reads the delegation's working sessions and tasks, lays the report out and saves it as
 * PDF, all in a worker thread. The file appears whole at @file or not at all.
 */
void
cn_delegations_view_save_report_async (CnDelegationsView   *self,
                                       CnRecord            *report,
                                       GFile               *file,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (CN_IS_DELEGATIONS_VIEW (self));
  g_return_if_fail (CN_IS_RECORD (report));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_task_report_new_error (self, callback, user_data, cn_delegations_view_save_report_async,
                               CN_ERROR, CN_ERROR_FAILED, "%s",
                               _("The report can only be saved in a local folder."));
      return;
    }
  run_report_job (self, report, path, cn_delegations_view_save_report_async, cancellable,
                  callback, user_data);
}

/**
 * cn_delegations_view_save_report_finish:
 * @self: a #CnDelegationsView
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the PDF was saved
 */
gboolean
cn_delegations_view_save_report_finish (CnDelegationsView  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_autoptr(CnReportPrint) print = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  print = g_task_propagate_pointer (G_TASK (result), error);
  return print != NULL;
}

/* A toast that stays until the work it tells about is done. */
static AdwToast *
show_progress (CnDelegationsView *self,
               const char        *message)
{
  AdwToast *toast = cn_widget_toast_new (message);

  adw_toast_set_timeout (toast, 0);
  cn_widget_add_toast (GTK_WIDGET (self), g_object_ref (toast));
  return toast;
}

typedef struct
{
  GFile    *file;      /* the PDF being saved; NULL when printing */
  AdwToast *progress;
} ReportProgress;

static ReportProgress *
report_progress_new (CnDelegationsView *self,
                     GFile             *file,
                     const char        *message)
{
  ReportProgress *progress = g_new0 (ReportProgress, 1);

  progress->file = file != NULL ? g_object_ref (file) : NULL;
  progress->progress = show_progress (self, message);
  return progress;
}

static void
report_progress_free (ReportProgress *progress)
{
  adw_toast_dismiss (progress->progress);
  g_object_unref (progress->progress);
  g_clear_object (&progress->file);
  g_free (progress);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReportProgress, report_progress_free)

static void
report_saved_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CnDelegationsView *self = CN_DELEGATIONS_VIEW (source);
  g_autoptr(ReportProgress) progress = user_data;
  g_autoptr(GError) error = NULL;

  if (!cn_delegations_view_save_report_finish (self, result, &error))
    cn_delegations_view_toast (self, error->message);
  else
    {
      g_autofree char *name = g_file_get_basename (progress->file);
      /* Translators: %s is a file name */
      g_autofree char *message = g_strdup_printf (_("Report saved as “%s”"), name);
      cn_delegations_view_toast (self, message);
    }
}

typedef struct
{
  CnDelegationsView *self;
  CnRecord          *report;
} ExportData;

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    gpointer         user_data)
{
  ExportData *data = user_data;
  CnDelegationsView *self = data->self;

  /* No store: the section was disposed (its window closed) while the chooser was open. */
  if (response == GTK_RESPONSE_ACCEPT && self->store != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        cn_delegations_view_save_report_async (self, data->report, file, NULL, report_saved_cb,
                                               report_progress_new (self, file, _("Saving the report…")));
    }

  g_object_unref (data->self);
  g_object_unref (data->report);
  g_free (data);
  g_object_unref (chooser);
}
/**
 * cn_delegations_view_export_report:
 * @self: a #CnDelegationsView
 * @report: a report record
 *
 * Asks where to save the report, then saves it as PDF in a worker thread (see
 * cn_delegations_view_save_report_async()), with a toast while it is being saved and one
 * that tells how it ended.
 */
void
cn_delegations_view_export_report (CnDelegationsView *self,
                                   CnRecord          *report)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  ExportData *data;
  g_autofree char *name = NULL;
  const char *meeting;

  g_return_if_fail (CN_IS_DELEGATIONS_VIEW (self));
  g_return_if_fail (CN_IS_RECORD (report));

  chooser = gtk_file_chooser_native_new (_("Save Report as PDF"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  meeting = cn_record_get_string (report, "meeting_date");
  /* Translators: the suggested file name of a report, %s is the meeting date (YYYY-MM-DD) */
  name = g_strdup_printf (_("report-%s.pdf"), meeting != NULL ? meeting : "");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);

  data = g_new0 (ExportData, 1);
  data->self = g_object_ref (self);
  data->report = g_object_ref (report);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
report_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CnDelegationsView *self = CN_DELEGATIONS_VIEW (source);
  g_autoptr(ReportProgress) progress = user_data;
  g_autoptr(CnReportPrint) print = NULL;
  g_autoptr(GError) error = NULL;
  GtkRoot *root;

  print = g_task_propagate_pointer (G_TASK (result), &error);
  if (print == NULL)
    {
      cn_delegations_view_toast (self, error->message);
      return;
    }
  /* The window closed while the report was read: nothing to print from. */
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (root == NULL)
    return;
  g_clear_pointer (&progress, report_progress_free);
  if (!cn_report_print_run_dialog (print, GTK_WINDOW (root), &error))
    cn_delegations_view_toast (self, error->message);
}

/**
 * cn_delegations_view_print_report:
 * @self: a #CnDelegationsView
 * @report: a report record
 *
 * Reads the report's sessions and tasks in a worker thread, then prints the report through
 * the print dialog (which also offers printing to a file).
 */
void
cn_delegations_view_print_report (CnDelegationsView *self,
                                  CnRecord          *report)
{
  g_return_if_fail (CN_IS_DELEGATIONS_VIEW (self));
  g_return_if_fail (CN_IS_RECORD (report));

  run_report_job (self, report, NULL, cn_delegations_view_print_report, NULL, report_read_cb,
                  report_progress_new (self, NULL, _("Preparing the report…")));
}

/* Actions */

static void
new_visit_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CnDelegationsView *self = CN_DELEGATIONS_VIEW (widget);
  g_autoptr(JsonObject) defaults = json_object_new ();
  g_autofree char *today = cn_time_today ();
  const char *commune = cn_commune_page_get_commune_id (self->commune_page);

  json_object_set_string_member (defaults, "date", today);
  if (commune != NULL
      && g_strcmp0 (gtk_stack_get_visible_child_name (self->district_stack), "commune") == 0)
    {
      g_autoptr(GPtrArray) delegations = cn_delegations_list (self->store, "delegation",
                                                              "commune_ids", commune, NULL, FALSE);

      json_object_set_string_member (defaults, "commune_id", commune);
      if (delegations->len > 0)
        json_object_set_string_member (defaults, "delegation_id",
                                       cn_record_get_id (g_ptr_array_index (delegations, 0)));
    }
  cn_delegations_view_edit (self, "visit", NULL, defaults);
}

/* CAUNOI_STALL_PROBE (cn-stall-probe.h): opening the section, two communes, the overview,
 * the task board, each with a sync-like stream of changes, each step measured over the
 * seconds it is given, then the application quits. */

/* Like a sync's pull pages: 20 pages of 200 changed tasks, 100 ms apart, written by a
 * connection of another thread. (It changes the store it runs on: use a copy.) */
static void
probe_write_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnStore) store = cn_store_open (task_data, &error);
  g_autoptr(CnQuery) query = cn_query_new ("task");
  g_autoptr(GPtrArray) tasks = NULL;
  static guint round;

  g_autofree char *cursor = NULL;

  if (store != NULL)
    tasks = cn_store_query (store, query, 0, 4000, &error);
  if (tasks != NULL)
    cursor = cn_store_dup_meta (store, "cursor");
  /* Through the sync's own write path: newer server versions, the cursor kept. */
  for (guint page = 0; tasks != NULL && page < 20; page++, round++)
    {
      g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = page * 200; i < (page + 1) * 200 && i < tasks->len; i++)
        {
          CnRecord *current = g_ptr_array_index (tasks, i);
          CnRecord *newer = cn_record_copy (current);

          json_object_set_string_member (cn_record_get_data (newer), "status",
                                         round % 2 ? "open" : "in_progress");
          cn_record_set_rev (newer, cn_record_get_rev (current) + 1 + round);
          g_ptr_array_add (records, newer);
        }
      if (!cn_store_apply_pull_page (store, records, cursor, NULL, &error))
        break;
      g_usleep (100000);
    }
  if (error != NULL)
    g_printerr ("probe: could not write: %s\n", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
probe_write (CnDelegationsView *self)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  g_task_set_task_data (task, g_strdup (cn_store_get_path (self->store)), g_free);
  g_task_run_in_thread (task, probe_write_thread);
}

static gboolean
probe_step_cb (gpointer user_data)
{
  CnDelegationsView *self = CN_DELEGATIONS_VIEW (user_data);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  cn_stall_probe_end ();
  cn_district_overview_dup_commune_ids (self->overview, &first, &second);
  switch (self->probe_step++)
    {
    case 0:
      cn_stall_probe_begin ("commune");
      if (first != NULL)
        cn_delegations_view_show_commune (self, first);
      break;
    case 1:
      cn_stall_probe_begin ("other-commune");
      if (second != NULL)
        cn_delegations_view_show_commune (self, second);
      break;
    case 2:
      cn_stall_probe_begin ("overview");
      cn_delegations_view_show_overview (self);
      break;
    case 3:
      cn_stall_probe_begin ("overview-during-sync");
      probe_write (self);
      break;
    case 4:
      cn_stall_probe_begin ("task-board");
      gtk_stack_set_visible_child_name (self->pages, "tasks");
      break;
    case 5:
      cn_stall_probe_begin ("task-board-during-sync");
      probe_write (self);
      break;
    default:
      self->probe_id = 0;
      g_application_quit (g_application_get_default ());
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
cn_delegations_view_map (GtkWidget *widget)
{
  CnDelegationsView *self = CN_DELEGATIONS_VIEW (widget);

  if (cn_stall_probe_enabled () && self->probe_id == 0 && self->probe_step == 0)
    {
      cn_stall_probe_begin ("open");
      self->probe_id = g_timeout_add_seconds (6, probe_step_cb, self);
    }
  GTK_WIDGET_CLASS (cn_delegations_view_parent_class)->map (widget);
  ensure_store (self);
  queue_reload_parts (self, 0);
}

static void
cn_delegations_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CnDelegationsView *self = CN_DELEGATIONS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SYNC_CLIENT:
      g_value_set_object (value, self->sync_client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cn_delegations_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CnDelegationsView *self = CN_DELEGATIONS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      cn_delegations_view_set_store (self, g_value_get_object (value));
      break;
    case PROP_SYNC_CLIENT:
      cn_delegations_view_set_sync_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cn_delegations_view_dispose (GObject *object)
{
  CnDelegationsView *self = CN_DELEGATIONS_VIEW (object);

  /* A view kept alive past dispose (by an undo toast, a file chooser) must not hear the
   * store or the client any more: the reload it would queue runs on a freed view. */
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, store_changed_cb, self);
  if (self->sync_client != NULL)
    g_signal_handlers_disconnect_by_func (self->sync_client, signed_in_changed_cb, self);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_handle_id (&self->probe_id, g_source_remove);
  /* AdwBin unparents its child itself: drop it first, so that the template does not
   * unparent a bound child the bin still points to. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CN_TYPE_DELEGATIONS_VIEW);
  g_clear_object (&self->sync_client);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cn_delegations_view_parent_class)->dispose (object);
}

static void
cn_delegations_view_finalize (GObject *object)
{
  CnDelegationsView *self = CN_DELEGATIONS_VIEW (object);

  g_free (self->role);
  g_free (self->scope_unit_id);
  g_clear_pointer (&self->within_scope, g_hash_table_unref);

  G_OBJECT_CLASS (cn_delegations_view_parent_class)->finalize (object);
}

static void
cn_delegations_view_class_init (CnDelegationsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = cn_delegations_view_get_property;
  object_class->set_property = cn_delegations_view_set_property;
  object_class->dispose = cn_delegations_view_dispose;
  object_class->finalize = cn_delegations_view_finalize;
  widget_class->map = cn_delegations_view_map;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CN_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNC_CLIENT] =
    g_param_spec_object ("sync-client", NULL, NULL, CN_TYPE_SYNC_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CN_TYPE_DISTRICT_OVERVIEW);
  g_type_ensure (CN_TYPE_COMMUNE_PAGE);
  g_type_ensure (CN_TYPE_TASK_BOARD);
  g_type_ensure (CN_TYPE_CONFLICTS_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/hatinh/nongthonmoi/CauNoi/cn-delegations-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CnDelegationsView, pages);
  gtk_widget_class_bind_template_child (widget_class, CnDelegationsView, district_stack);
  gtk_widget_class_bind_template_child (widget_class, CnDelegationsView, overview);
  gtk_widget_class_bind_template_child (widget_class, CnDelegationsView, commune_page);
  gtk_widget_class_bind_template_child (widget_class, CnDelegationsView, task_board);
  gtk_widget_class_bind_template_child (widget_class, CnDelegationsView, conflicts_view);
  gtk_widget_class_bind_template_child (widget_class, CnDelegationsView, permission_label);

  gtk_widget_class_install_action (widget_class, "delegations.new-visit", NULL, new_visit_cb);
}

static void
cn_delegations_view_init (CnDelegationsView *self)
{
  self->within_scope = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->pages, "notify::visible-child", G_CALLBACK (page_shown_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->district_stack, "notify::visible-child", G_CALLBACK (page_shown_cb),
                           self, G_CONNECT_SWAPPED);
}
