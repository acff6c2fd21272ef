/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-conflicts"

#include "config.h"

#include <glib/gi18n.h>

#include "cn-conflicts-view.h"
#include "cn-delegations-view.h"
#include "cn-schema.h"
#include "cn-sync-client.h"

/* Sync issues: each conflict with mine and the server's value side by side, field by field,
 * to settle all at once (keep mine, take the server's) or one field at a time; and the edits
 * the server rejected, with its reason, to retry or discard. */

struct _CnConflictsView
{
  AdwBin     parent_instance;

  GtkStack  *stack;
  GtkWidget *empty_page;
  GtkWidget *list_page;
  GtkBox    *groups_box;
};

G_DEFINE_FINAL_TYPE (CnConflictsView, cn_conflicts_view, ADW_TYPE_BIN)

static CnDelegationsView *
get_view (CnConflictsView *self)
{
  return cn_delegations_view_from_widget (GTK_WIDGET (self));
}

static char *
format_value (CnStore       *store,
              const CnField *field,
              JsonNode      *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup (_("(empty)"));

  if (field != NULL)
    switch (field->type)
      {
      case CN_FIELD_DATE:
        return cn_delegations_format_date (json_node_get_string (node));
      case CN_FIELD_ENUM:
        return g_strdup (cn_schema_enum_label (field, json_node_get_string (node)));
      case CN_FIELD_UUID:
        return cn_delegations_title_of (store, json_node_get_string (node));
      case CN_FIELD_BOOL:
        return g_strdup (json_node_get_boolean (node) ? _("Yes") : _("No"));
      case CN_FIELD_UUID_ARRAY:
      case CN_FIELD_STRING_ARRAY:
        if (JSON_NODE_HOLDS_ARRAY (node))
          {
            JsonArray *array = json_node_get_array (node);
            g_autoptr(GString) text = g_string_new (NULL);

            for (guint i = 0; i < json_array_get_length (array); i++)
              {
                const char *item = json_array_get_string_element (array, i);
                g_autofree char *shown = field->type == CN_FIELD_UUID_ARRAY
                                         ? cn_delegations_title_of (store, item) : g_strdup (item);

                if (text->len > 0)
                  g_string_append (text, "; ");
                g_string_append (text, shown);
              }
            return g_string_free (g_steal_pointer (&text), FALSE);
          }
        break;
      case CN_FIELD_STRING:
      case CN_FIELD_TEXT:
      case CN_FIELD_HTML:
      case CN_FIELD_DATETIME:
      case CN_FIELD_MONTH:
      case CN_FIELD_INT:
      case CN_FIELD_SHA256:
      case CN_FIELD_URL:
      case CN_FIELD_OBJECT_ARRAY:
      default:
        break;
      }

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return json_to_string (node, FALSE);
}

static JsonNode *
member_or_null (JsonObject *object,
                const char *name)
{
  return object != NULL && json_object_has_member (object, name)
         ? json_object_get_member (object, name) : NULL;
}

static gboolean
resolve (CnConflictsView  *self,
         const char       *id,
         const char       *take,
         GHashTable       *choices,
         GError          **error)
{
  CnDelegationsView *view = get_view (self);
  CnSyncClient *client = cn_delegations_view_get_sync_client (view);
  g_autoptr(CnSyncClient) local_client = NULL;

  /* The sync client settles conflicts (it knows how to merge); without one in the window, a
   * client on the same store does the same locally. */
  if (client == NULL)
    client = local_client = cn_sync_client_new (cn_delegations_view_get_store (view));
  if (!cn_sync_client_resolve_conflict (client, id, take, choices, error))
    return FALSE;
  cn_sync_client_refresh_counts (client);
  return TRUE;
}

static void
settle_clicked_cb (GtkButton       *button,
                   CnConflictsView *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "conflict-id");
  const char *take = g_object_get_data (G_OBJECT (button), "take");
  GPtrArray *radios = g_object_get_data (G_OBJECT (button), "radios");
  g_autoptr(GHashTable) choices = NULL;
  g_autoptr(GError) error = NULL;
  CnDelegationsView *view = get_view (self);

  if (radios != NULL)
    {
      choices = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < radios->len; i++)
        {
          GtkCheckButton *theirs = g_ptr_array_index (radios, i);

          g_hash_table_insert (choices, g_object_get_data (G_OBJECT (theirs), "field"),
                               gtk_check_button_get_active (theirs) ? "theirs" : "mine");
        }
      take = "mine";
    }

  if (!resolve (self, id, take, choices, &error))
    cn_delegations_view_toast (view, error->message);
  else
    cn_delegations_view_toast (view, _("Conflict settled; the result is sent with the next sync"));
  cn_conflicts_view_reload (self);
}

static GtkWidget *
make_settle_button (CnConflictsView *self,
                    const char      *label,
                    const char      *id,
                    const char      *take,
                    GPtrArray       *radios)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  g_object_set_data_full (G_OBJECT (button), "conflict-id", g_strdup (id), g_free);
  g_object_set_data (G_OBJECT (button), "take", (gpointer) take);
  if (radios != NULL)
    g_object_set_data_full (G_OBJECT (button), "radios", g_ptr_array_ref (radios),
                            (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect (button, "clicked", G_CALLBACK (settle_clicked_cb), self);
  return button;
}

static GtkWidget *
grid_label (const char *text,
            gboolean    heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), !heading);
  gtk_widget_set_hexpand (label, TRUE);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  return label;
}

static void
add_conflict (CnConflictsView *self,
              CnStore         *store,
              CnConflict      *conflict)
{
  const CnCollection *coll = cn_schema_lookup (conflict->collection);
  JsonObject *theirs = conflict->theirs != NULL && !cn_record_get_deleted (conflict->theirs)
                       ? cn_record_get_data (conflict->theirs) : NULL;
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_autoptr(GPtrArray) radios = g_ptr_array_new ();
  g_autofree char *title = NULL;
  g_autofree char *record_title = NULL;
  guint n_fields = conflict->fields != NULL ? g_strv_length (conflict->fields) : 0;
  int row = 1;

  {
    g_autofree char *raw = conflict->mine != NULL ? cn_schema_dup_title (conflict->collection, conflict->mine)
                           : theirs != NULL ? cn_schema_dup_title (conflict->collection, theirs)
                           : g_strdup (conflict->id);
    record_title = cn_delegations_display_title (raw);
  }
  /* Translators: a conflict's title: the kind of record, then its title,
   * "Working session: 06/06/2015 — Tiến Lộc" */
  title = g_strdup_printf (C_("record kind and title", "%s: %s"), coll != NULL ? cn_collection_get_label (coll) : conflict->collection,
                           record_title);
  {
    /* Group titles are Pango markup; a record's title is plain text. */
    g_autofree char *escaped = g_markup_escape_text (title, -1);

    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), escaped);
  }

  if (n_fields == 0)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                           conflict->mine == NULL
                                           ? _("You deleted this record while someone changed it on the server.")
                                           : _("You changed this record while someone deleted it on the server."));
  else
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                           _("Changed here and on the server. Choose, field by field, which "
                                             "version to keep."));

  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_widget_set_margin_start (grid, 12);
  gtk_widget_set_margin_end (grid, 12);
  gtk_widget_set_margin_top (grid, 10);
  gtk_widget_set_margin_bottom (grid, 10);
  gtk_grid_attach (GTK_GRID (grid), grid_label (_("Field"), TRUE), 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), grid_label (_("Mine"), TRUE), 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), grid_label (_("On the server"), TRUE), 2, 0, 1, 1);

  for (guint i = 0; i < n_fields; i++)
    {
      const char *name = conflict->fields[i];
      const CnField *field = coll != NULL ? cn_collection_lookup_field (coll, name) : NULL;
      const char *label = field != NULL ? cn_field_get_label (field) : name;
      g_autofree char *mine_text = format_value (store, field, member_or_null (conflict->mine, name));
      g_autofree char *theirs_text = format_value (store, field, member_or_null (theirs, name));
      GtkWidget *mine_radio = gtk_check_button_new_with_label (mine_text);
      GtkWidget *theirs_radio = gtk_check_button_new_with_label (theirs_text);
      /* Translators: accessible name of a conflict's choice for a field: the field's label,
       * then the value kept, "Keep mine for Notes: …" */
      g_autofree char *mine_name = g_strdup_printf (_("Keep mine for %s: %s"), label, mine_text);
      /* Translators: accessible name of a conflict's choice for a field: the field's label,
       * then the server's value, "Take the server’s for Notes: …" */
      g_autofree char *theirs_name = g_strdup_printf (_("Take the server’s for %s: %s"), label,
                                                      theirs_text);

      gtk_check_button_set_group (GTK_CHECK_BUTTON (theirs_radio), GTK_CHECK_BUTTON (mine_radio));
      g_object_set_data (G_OBJECT (mine_radio), "radio", GINT_TO_POINTER (TRUE));
      g_object_set_data (G_OBJECT (theirs_radio), "radio", GINT_TO_POINTER (TRUE));
      cn_delegations_expose_toggle (GTK_CHECK_BUTTON (mine_radio));
      cn_delegations_expose_toggle (GTK_CHECK_BUTTON (theirs_radio));
      gtk_check_button_set_active (GTK_CHECK_BUTTON (mine_radio), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (mine_radio), GTK_ACCESSIBLE_PROPERTY_LABEL, mine_name, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (theirs_radio), GTK_ACCESSIBLE_PROPERTY_LABEL, theirs_name, -1);
      g_object_set_data_full (G_OBJECT (theirs_radio), "field", g_strdup (name), g_free);
      gtk_widget_set_hexpand (mine_radio, TRUE);
      gtk_widget_set_hexpand (theirs_radio, TRUE);
      gtk_grid_attach (GTK_GRID (grid), grid_label (label, FALSE), 0, row, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), mine_radio, 1, row, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), theirs_radio, 2, row, 1, 1);
      g_ptr_array_add (radios, theirs_radio);
      row++;
    }

  if (n_fields > 0)
    {
      gtk_frame_set_child (GTK_FRAME (frame), grid);
      gtk_widget_add_css_class (frame, "view");
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), frame);
    }
  else
    {
      /* Never shown: drop the floating references. */
      g_object_ref_sink (grid);
      g_object_unref (grid);
      g_object_ref_sink (frame);
      g_object_unref (frame);
    }

  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_widget_set_margin_top (buttons, 6);
  gtk_box_append (GTK_BOX (buttons), make_settle_button (self, _("Keep Mine"), conflict->id, "mine", NULL));
  gtk_box_append (GTK_BOX (buttons), make_settle_button (self, _("Take the Server’s"), conflict->id, "theirs", NULL));
  if (n_fields > 0)
    {
      GtkWidget *apply = make_settle_button (self, _("Apply Choices"), conflict->id, NULL, radios);

      gtk_widget_add_css_class (apply, "suggested-action");
      gtk_box_append (GTK_BOX (buttons), apply);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), buttons);
  gtk_box_append (self->groups_box, group);
}

static void
rejected_clicked_cb (GtkButton       *button,
                     CnConflictsView *self)
{
  CnDelegationsView *view = get_view (self);
  CnStore *store = cn_delegations_view_get_store (view);
  const char *action = g_object_get_data (G_OBJECT (button), "action");
  const char *mutation_id = g_object_get_data (G_OBJECT (button), "mutation-id");
  const char *record_id = g_object_get_data (G_OBJECT (button), "record-id");
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_strcmp0 (action, "retry") == 0)
    ok = cn_store_retry_rejected (store, mutation_id, &error);
  else
    ok = cn_store_discard_local_changes (store, record_id, &error);
  if (!ok)
    cn_delegations_view_toast (view, error->message);
  else if (cn_delegations_view_get_sync_client (view) != NULL)
    cn_sync_client_refresh_counts (cn_delegations_view_get_sync_client (view));
  cn_conflicts_view_reload (self);
}

static GtkWidget *
make_rejected_button (CnConflictsView     *self,
                      const char          *label,
                      const char          *action,
                      const CnOutboxEntry *entry)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (button), "action", (gpointer) action);
  g_object_set_data_full (G_OBJECT (button), "mutation-id", g_strdup (entry->mutation_id), g_free);
  g_object_set_data_full (G_OBJECT (button), "record-id", g_strdup (entry->id), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (rejected_clicked_cb), self);
  return button;
}

static guint
add_rejected (CnConflictsView *self,
              CnStore         *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = cn_store_list_outbox (store, TRUE, G_MAXINT, &error);
  GtkWidget *group = NULL;
  guint n = 0;

  if (entries == NULL)
    {
      g_warning ("Could not read the outbox: %s", error->message);
      return 0;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      const CnOutboxEntry *entry = g_ptr_array_index (entries, i);
      const CnCollection *coll = cn_schema_lookup (entry->collection);
      GtkWidget *row;
      g_autofree char *record_title = NULL;
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;

      if (entry->state != CN_OUTBOX_REJECTED)
        continue;
      if (group == NULL)
        {
          group = adw_preferences_group_new ();
          adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Refused by the Server"));
          adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                                 _("These edits are kept here and not sent again until you "
                                                   "retry them."));
        }
      {
        g_autofree char *raw = entry->data != NULL ? cn_schema_dup_title (entry->collection, entry->data)
                                                   : cn_delegations_title_of (store, entry->id);
        record_title = cn_delegations_display_title (raw);
      }
      /* Translators: a refused edit's title: the kind of record, then its title,
       * "Working session: 06/06/2015 — Tiến Lộc" */
      title = g_strdup_printf (C_("record kind and title", "%s: %s"),
                               coll != NULL ? cn_collection_get_label (coll) : entry->collection,
                               record_title);
      /* Translators: the server's reason for refusing an edit */
      subtitle = g_strdup_printf (_("Reason: %s"), entry->reason != NULL ? entry->reason : _("not given"));
      row = adw_action_row_new ();
      {
        g_autofree char *t = g_markup_escape_text (title, -1);
        g_autofree char *s = g_markup_escape_text (subtitle, -1);

        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), t);
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), s);
      }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), make_rejected_button (self, _("Retry"), "retry", entry));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), make_rejected_button (self, _("Discard"), "discard", entry));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      n++;
    }
  if (group != NULL)
    gtk_box_append (self->groups_box, group);
  return n;
}

void
cn_conflicts_view_reload (CnConflictsView *self)
{
  CnDelegationsView *view;
  CnStore *store;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  guint n = 0;

  g_return_if_fail (CN_IS_CONFLICTS_VIEW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups_box))) != NULL)
    gtk_box_remove (self->groups_box, child);

  view = get_view (self);
  store = view != NULL ? cn_delegations_view_get_store (view) : NULL;
  if (store != NULL)
    {
      conflicts = cn_store_list_conflicts (store, &error);
      if (conflicts == NULL)
        g_warning ("Could not read the conflicts: %s", error->message);
      for (guint i = 0; conflicts != NULL && i < conflicts->len; i++)
        add_conflict (self, store, g_ptr_array_index (conflicts, i));
      n = (conflicts != NULL ? conflicts->len : 0) + add_rejected (self, store);
    }
  gtk_stack_set_visible_child (self->stack, n > 0 ? self->list_page : self->empty_page);
}

static void
cn_conflicts_view_dispose (GObject *object)
{
  /* AdwBin unparents its child itself: drop it first, so that the template does not
   * unparent a bound child the bin still points to. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), CN_TYPE_CONFLICTS_VIEW);

  G_OBJECT_CLASS (cn_conflicts_view_parent_class)->dispose (object);
}

static void
cn_conflicts_view_class_init (CnConflictsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cn_conflicts_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/hatinh/nongthonmoi/CauNoi/cn-conflicts-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CnConflictsView, stack);
  gtk_widget_class_bind_template_child (widget_class, CnConflictsView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CnConflictsView, list_page);
  gtk_widget_class_bind_template_child (widget_class, CnConflictsView, groups_box);
}

static void
cn_conflicts_view_init (CnConflictsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
