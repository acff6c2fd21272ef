/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "cn-choice-picker.h"
#include "cn-error.h"
#include "cn-record-editor.h"
#include "cn-schema.h"
#include "cn-sync-files.h"
#include "cn-time.h"
#include "cn-workflow-reader.h"

/* One form for every workflow collection, built from the schema's field table: a row per
 * field with the widget its type calls for, and the error of that field right under it.
 * Each field is checked on its own with cn_schema_validate (partial), so the message sits
 * where the mistake is; the whole record is checked again before it is saved. */

typedef struct
{
  CnRecordEditor *editor;
  const CnField  *field;
  GtkWidget      *row;
  GtkWidget      *input;        /* AdwEntryRow, GtkTextView, GtkSwitch, AdwComboRow or
                                   CnChoicePicker */
  GtkWidget      *error_row;
  GtkLabel       *error_label;
  GPtrArray      *choice_ids;   /* UUID: ids in combo order (NULL for "none") */
  gboolean        choices_pending;  /* being read: only the current value is offered */
  CnChoicePicker *picker;       /* UUID_ARRAY: the chosen ids and the list to add from */
  JsonNode       *passthrough;  /* OBJECT_ARRAY: kept as loaded (attachments: as edited) */
  GPtrArray      *file_rows;    /* attachments: one AdwActionRow per file */
  GtkWidget      *add_button;   /* attachments: "Add Attachment…" */
  gboolean        hidden;
} FieldRow;

struct _CnRecordEditor
{
  AdwWindow               parent_instance;

  AdwWindowTitle         *window_title;
  GtkWidget              *cancel_button;
  GtkWidget              *save_button;
  GtkLabel               *read_only_label;
  GtkLabel               *error_label;
  GtkListBox             *list_box;

  CnStore                *store;     /* where attached files are imported */
  GCancellable           *choices_cancellable;
  GtkFileChooserNative   *chooser;
  const CnCollection     *collection;
  CnRecord               *record;
  JsonObject             *initial;   /* the data as loaded, for fields the form lacks */
  GPtrArray              *rows;      /* of FieldRow */
  gboolean                modified;
  gboolean                loading;
  gboolean                read_only;
  gboolean                closing;
  gboolean                disposed;

  CnRecordEditorSaveFunc  save_func;
  gpointer                save_data;
  GDestroyNotify          save_destroy;
};

G_DEFINE_FINAL_TYPE (CnRecordEditor, cn_record_editor, ADW_TYPE_WINDOW)

static void
field_row_free (gpointer data)
{
  FieldRow *fr = data;

  g_clear_pointer (&fr->choice_ids, g_ptr_array_unref);
  g_clear_pointer (&fr->passthrough, json_node_unref);
  g_clear_pointer (&fr->file_rows, g_ptr_array_unref);
  g_free (fr);
}

static FieldRow *
find_row (CnRecordEditor *self,
          const char     *name)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *fr = g_ptr_array_index (self->rows, i);

      if (g_strcmp0 (fr->field->name, name) == 0)
        return fr;
    }
  return NULL;
}

/**
 * cn_record_editor_parse_date:
 * @text: a date as a Vietnamese clerk types it: "6/6/2015", "06/06/2015" or "2015-06-06"
 *
 * Returns: (transfer full) (nullable): the date as "YYYY-MM-DD", or %NULL if it is not a day
 */
char *
cn_record_editor_parse_date (const char *text)
{
  g_autofree char *iso = NULL;
  int y = 0, m = 0, d = 0;
  char tail = 0;

  if (text == NULL)
    return NULL;
  while (g_ascii_isspace (*text))
    text++;
  if (sscanf (text, "%2d/%2d/%4d %c", &d, &m, &y, &tail) == 3
      || sscanf (text, "%2d-%2d-%4d %c", &d, &m, &y, &tail) == 3
      || sscanf (text, "%2d.%2d.%4d %c", &d, &m, &y, &tail) == 3)
    iso = g_strdup_printf ("%04d-%02d-%02d", y, m, d);
  else if (sscanf (text, "%4d-%2d-%2d %c", &y, &m, &d, &tail) == 3)
    iso = g_strdup_printf ("%04d-%02d-%02d", y, m, d);
  else
    return NULL;

  if (y < 1000 || !cn_time_parse_date (iso, NULL, NULL, NULL))
    return NULL;
  return g_steal_pointer (&iso);
}

/**
 * cn_record_editor_format_date:
 * @iso: (nullable): "YYYY-MM-DD"
 *
 * Returns: (transfer full): the date as dd/mm/yyyy, or a copy of @iso if it is not a date
 */
char *
cn_record_editor_format_date (const char *iso)
{
  int y, m, d;

  if (iso == NULL)
    return g_strdup ("");
  if (!cn_time_parse_date (iso, &y, &m, &d))
    return g_strdup (iso);
  return g_strdup_printf ("%02d/%02d/%04d", d, m, y);
}

static char *
parse_month (const char *text)
{
  int y = 0, m = 0;
  char tail = 0;
  g_autofree char *iso = NULL;

  if (sscanf (text, "%2d/%4d %c", &m, &y, &tail) == 2
      || sscanf (text, "%4d-%2d %c", &y, &m, &tail) == 2)
    iso = g_strdup_printf ("%04d-%02d", y, m);
  if (iso == NULL || y < 1000 || !cn_time_parse_month (iso, NULL, NULL))
    return NULL;
  return g_steal_pointer (&iso);
}

static void
mark_modified (CnRecordEditor *self)
{
  if (!self->loading)
    self->modified = TRUE;
}

static void
show_field_error (FieldRow   *fr,
                  const char *message)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (fr->input);

  if (message != NULL)
    {
      gtk_label_set_text (fr->error_label, message);
      gtk_widget_set_visible (fr->error_row, TRUE);
      gtk_widget_add_css_class (fr->row, "error");
      gtk_accessible_update_state (accessible, GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
      gtk_accessible_update_property (accessible, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
    }
  else
    {
      gtk_widget_set_visible (fr->error_row, FALSE);
      gtk_widget_remove_css_class (fr->row, "error");
      gtk_accessible_reset_state (accessible, GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_property (accessible, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

static char *
dup_text_input (FieldRow *fr)
{
  g_autofree char *text = NULL;

  if (GTK_IS_TEXT_VIEW (fr->input))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (fr->input));
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    }
  else
    text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (fr->input)));

  return g_strdup (g_strstrip (text));
}

/* Reads one field. Returns FALSE with *message set when the input cannot be read (a date
 * that is no date); *value is NULL when the field is left empty. */
static gboolean
read_field (FieldRow  *fr,
            JsonNode **value,
            char     **message)
{
  const CnField *field = fr->field;
  g_autofree char *text = NULL;

  *value = NULL;
  *message = NULL;

  switch (field->type)
    {
    case CN_FIELD_STRING:
    case CN_FIELD_TEXT:
    case CN_FIELD_HTML:
    case CN_FIELD_URL:
    case CN_FIELD_SHA256:
    case CN_FIELD_DATETIME:
      text = dup_text_input (fr);
      if (text[0] != '\0')
        *value = json_node_init_string (json_node_alloc (), text);
      return TRUE;

    case CN_FIELD_DATE:
      text = dup_text_input (fr);
      if (text[0] == '\0')
        return TRUE;
      {
        g_autofree char *iso = cn_record_editor_parse_date (text);

        if (iso == NULL)
          {
            *message = g_strdup (_("Enter a real date as day/month/year, for example 06/06/2015."));
            return FALSE;
          }
        *value = json_node_init_string (json_node_alloc (), iso);
      }
      return TRUE;

    case CN_FIELD_MONTH:
      text = dup_text_input (fr);
      if (text[0] == '\0')
        return TRUE;
      {
        g_autofree char *iso = parse_month (text);

        if (iso == NULL)
          {
            *message = g_strdup (_("Enter a month as month/year, for example 06/2015."));
            return FALSE;
          }
        *value = json_node_init_string (json_node_alloc (), iso);
      }
      return TRUE;

    case CN_FIELD_INT:
      text = dup_text_input (fr);
      if (text[0] == '\0')
        return TRUE;
      {
        guint64 n = 0;

        if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &n, NULL))
          {
            *message = g_strdup (_("Enter a whole number, for example 12."));
            return FALSE;
          }
        *value = json_node_init_int (json_node_alloc (), (gint64) n);
      }
      return TRUE;

    case CN_FIELD_BOOL:
      *value = json_node_init_boolean (json_node_alloc (),
                                       gtk_switch_get_active (GTK_SWITCH (fr->input)));
      return TRUE;

    case CN_FIELD_ENUM:
      {
        guint i = adw_combo_row_get_selected (ADW_COMBO_ROW (fr->input));
        guint offset = (field->flags & CN_FIELD_FLAG_REQUIRED) ? 0 : 1;

        if (i == GTK_INVALID_LIST_POSITION || i < offset)
          return TRUE;
        *value = json_node_init_string (json_node_alloc (), field->values[i - offset].value);
      }
      return TRUE;

    case CN_FIELD_UUID:
      {
        guint i = adw_combo_row_get_selected (ADW_COMBO_ROW (fr->input));
        const char *id;

        if (fr->choice_ids == NULL || i >= fr->choice_ids->len)
          return TRUE;
        id = g_ptr_array_index (fr->choice_ids, i);
        if (id != NULL)
          *value = json_node_init_string (json_node_alloc (), id);
      }
      return TRUE;

    case CN_FIELD_UUID_ARRAY:
      {
        JsonArray *array = json_array_new ();
        GPtrArray *chosen = cn_choice_picker_get_chosen (fr->picker);

        for (guint i = 0; i < chosen->len; i++)
          json_array_add_string_element (array, g_ptr_array_index (chosen, i));
        *value = json_node_init_array (json_node_alloc (), array);
        json_array_unref (array);
      }
      return TRUE;

    case CN_FIELD_STRING_ARRAY:
      text = dup_text_input (fr);
      {
        g_auto(GStrv) parts = g_strsplit_set (text, ";\n", -1);
        JsonArray *array = json_array_new ();

        for (guint i = 0; parts[i] != NULL; i++)
          {
            g_strstrip (parts[i]);
            if (parts[i][0] != '\0')
              json_array_add_string_element (array, parts[i]);
          }
        *value = json_node_init_array (json_node_alloc (), array);
        json_array_unref (array);
      }
      return TRUE;

    case CN_FIELD_OBJECT_ARRAY:
      if (fr->passthrough != NULL)
        *value = json_node_copy (fr->passthrough);
      return TRUE;

    default:
      g_return_val_if_reached (FALSE);
    }
}

/* Checks one field on its own and shows the result under it. */
static gboolean
check_field (CnRecordEditor *self,
             FieldRow       *fr,
             JsonObject     *out)
{
  g_autoptr(JsonNode) value = NULL;
  g_autofree char *message = NULL;
  g_autoptr(JsonObject) single = NULL;
  g_autoptr(GError) error = NULL;

  if (fr->hidden && fr->field->type != CN_FIELD_OBJECT_ARRAY)
    {
      /* A field the form does not show keeps the value it came with. */
      if (out != NULL && self->initial != NULL && json_object_has_member (self->initial, fr->field->name))
        json_object_set_member (out, fr->field->name,
                                json_node_copy (json_object_get_member (self->initial, fr->field->name)));
      return TRUE;
    }

  if (!read_field (fr, &value, &message))
    {
      show_field_error (fr, message);
      return FALSE;
    }

  if (value == NULL || (JSON_NODE_HOLDS_ARRAY (value) && json_array_get_length (json_node_get_array (value)) == 0
                        && (fr->field->flags & CN_FIELD_FLAG_REQUIRED)))
    {
      if (fr->field->flags & CN_FIELD_FLAG_REQUIRED)
        {
          g_autofree char *required = g_strdup_printf (_("“%s” is required."),
                                                       cn_field_get_label (fr->field));
          show_field_error (fr, required);
          return FALSE;
        }
      if (value == NULL)
        {
          show_field_error (fr, NULL);
          return TRUE;
        }
    }

  single = json_object_new ();
  json_object_set_member (single, fr->field->name, json_node_copy (value));
  if (!cn_schema_validate (self->collection->name, single, TRUE, &error))
    {
      show_field_error (fr, error->message);
      return FALSE;
    }

  show_field_error (fr, NULL);
  if (out != NULL)
    json_object_set_member (out, fr->field->name, g_steal_pointer (&value));
  return TRUE;
}

static void
input_changed_cb (FieldRow *fr)
{
  CnRecordEditor *self = fr->editor;

  mark_modified (self);
  /* Once a field shows an error, it is checked again as the user corrects it. */
  if (!self->loading && gtk_widget_get_visible (fr->error_row))
    check_field (self, fr, NULL);
}

static void
text_buffer_changed_cb (GtkTextBuffer *buffer,
                        FieldRow      *fr)
{
  input_changed_cb (fr);
}

static void
focus_leave_cb (GtkEventControllerFocus *controller,
                FieldRow                *fr)
{
  CnRecordEditor *self = fr->editor;

  if (!self->loading && !self->closing && self->modified)
    check_field (self, fr, NULL);
}

static GtkWidget *
make_error_row (FieldRow *fr)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_add_css_class (label, "error");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_visible (row, FALSE);
  fr->error_label = GTK_LABEL (label);
  return row;
}

static const char *
field_hint (const CnField *field)
{
  switch (field->type)
    {
    case CN_FIELD_DATE:
      return _("day/month/year");
    case CN_FIELD_MONTH:
      return _("month/year");
    case CN_FIELD_STRING_ARRAY:
      return _("separate items with “;”");
    case CN_FIELD_STRING:
    case CN_FIELD_TEXT:
    case CN_FIELD_HTML:
    case CN_FIELD_ENUM:
    case CN_FIELD_UUID:
    case CN_FIELD_UUID_ARRAY:
    case CN_FIELD_DATETIME:
    case CN_FIELD_BOOL:
    case CN_FIELD_INT:
    case CN_FIELD_SHA256:
    case CN_FIELD_URL:
    case CN_FIELD_OBJECT_ARRAY:
    default:
      return NULL;
    }
}

static char *
field_title (const CnField *field)
{
  const char *hint = field_hint (field);
  const char *label = cn_field_get_label (field);

  if ((field->flags & CN_FIELD_FLAG_REQUIRED) && hint != NULL)
    /* Translators: a form field: label, a required mark and a hint, "Date * (day/month/year)" */
    return g_strdup_printf (_("%s * (%s)"), label, hint);
  if (field->flags & CN_FIELD_FLAG_REQUIRED)
    /* Translators: a required form field */
    return g_strdup_printf (_("%s *"), label);
  if (hint != NULL)
    return g_strdup_printf ("%s (%s)", label, hint);
  return g_strdup (label);
}

static GtkWidget *
make_entry_row (FieldRow   *fr,
                const char *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (input_changed_cb), fr);
  fr->input = row;
  return row;
}

static GtkWidget *
make_text_row (FieldRow   *fr,
               const char *title)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *view = gtk_text_view_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_widget_set_size_request (view, -1, 72);
  gtk_frame_set_child (GTK_FRAME (frame), view);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), frame);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  label, NULL, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_signal_connect (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "changed",
                    G_CALLBACK (text_buffer_changed_cb), fr);
  fr->input = view;
  return row;
}

static GtkWidget *
make_combo_row (FieldRow   *fr,
                const char *title)
{
  GtkWidget *row = adw_combo_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_signal_connect_swapped (row, "notify::selected", G_CALLBACK (input_changed_cb), fr);
  fr->input = row;
  return row;
}

static GtkWidget *
make_enum_row (FieldRow   *fr,
               const char *title)
{
  GtkWidget *row = make_combo_row (fr, title);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  if (!(fr->field->flags & CN_FIELD_FLAG_REQUIRED))
    gtk_string_list_append (labels, C_("no value", "None"));
  for (guint i = 0; fr->field->values[i].value != NULL; i++)
    gtk_string_list_append (labels, cn_schema_enum_label (fr->field, fr->field->values[i].value));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (labels));
  return row;
}

static GtkWidget *
make_switch_row (FieldRow   *fr,
                 const char *title)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *sw = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  g_signal_connect_swapped (sw, "notify::active", G_CALLBACK (input_changed_cb), fr);
  fr->input = sw;
  return row;
}

/* A choice of several among thousands (the people who led a session): the chosen ones
 * as chips, the others added from a searchable list built only as it shows. */
static GtkWidget *
make_picker_row (FieldRow   *fr,
                 const char *title)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *picker = cn_choice_picker_new (title);

  gtk_widget_set_margin_start (picker, 12);
  gtk_widget_set_margin_end (picker, 12);
  gtk_widget_set_margin_top (picker, 8);
  gtk_widget_set_margin_bottom (picker, 10);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), picker);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  g_signal_connect_swapped (picker, "changed", G_CALLBACK (input_changed_cb), fr);
  fr->picker = CN_CHOICE_PICKER (picker);
  fr->input = picker;
  return row;
}

/* An object array of files ({name, sha256, size, mime}): the form lists them and lets the
 * user add and remove some; other object arrays are kept as loaded. */
static gboolean
is_attachments_field (const CnField *field)
{
  return field->type == CN_FIELD_OBJECT_ARRAY
         && cn_field_lookup_subfield (field, "sha256") != NULL
         && cn_field_lookup_subfield (field, "name") != NULL;
}

static void add_attachment_clicked_cb (FieldRow *fr);

static GtkWidget *
make_attachments_row (FieldRow   *fr,
                      const char *title)
{
  GtkWidget *row;

  if (!is_attachments_field (fr->field))
    {
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      fr->input = row;
      return row;
    }

  row = adw_expander_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  fr->add_button = gtk_button_new_with_mnemonic (_("_Add Attachment…"));
  gtk_widget_set_valign (fr->add_button, GTK_ALIGN_CENTER);
  gtk_widget_set_name (fr->add_button, "add-attachment");
  gtk_widget_set_tooltip_text (fr->add_button, _("Attach files or photos to this record"));
  g_signal_connect_swapped (fr->add_button, "clicked", G_CALLBACK (add_attachment_clicked_cb), fr);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), fr->add_button);
  fr->file_rows = g_ptr_array_new ();
  fr->input = row;
  return row;
}

static JsonArray *
attachments_array (FieldRow *fr)
{
  if (fr->passthrough != NULL && JSON_NODE_HOLDS_ARRAY (fr->passthrough))
    return json_node_get_array (fr->passthrough);
  return NULL;
}

/* The loaded array is shared with the record's data: an edit makes a new one. */
static JsonArray *
copy_attachments (FieldRow *fr,
                  gint      skip)
{
  JsonArray *old = attachments_array (fr);
  JsonArray *array = json_array_new ();

  for (guint i = 0; old != NULL && i < json_array_get_length (old); i++)
    if ((gint) i != skip)
      json_array_add_element (array, json_node_copy (json_array_get_element (old, i)));
  return array;
}

static void
set_attachments (FieldRow  *fr,
                 JsonArray *array)
{
  g_clear_pointer (&fr->passthrough, json_node_unref);
  fr->passthrough = json_node_init_array (json_node_alloc (), array);
}

static void update_attachments_row (FieldRow *fr);

static void
remove_attachment_clicked_cb (GtkButton *button,
                              FieldRow  *fr)
{
  CnRecordEditor *self = fr->editor;
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));
  JsonArray *old = attachments_array (fr);
  g_autoptr(JsonArray) array = NULL;

  if (self->read_only || old == NULL || index >= json_array_get_length (old))
    return;
  array = copy_attachments (fr, (gint) index);
  set_attachments (fr, array);
  update_attachments_row (fr);
  mark_modified (self);
}

static void
update_attachments_row (FieldRow *fr)
{
  JsonArray *array = attachments_array (fr);
  guint n = array != NULL ? json_array_get_length (array) : 0;
  g_autofree char *subtitle = NULL;

  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file", "%u files", n), n);
  if (fr->file_rows == NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (fr->row), subtitle);
      return;
    }
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (fr->row), subtitle);

  for (guint i = 0; i < fr->file_rows->len; i++)
    adw_expander_row_remove (ADW_EXPANDER_ROW (fr->row), g_ptr_array_index (fr->file_rows, i));
  g_ptr_array_set_size (fr->file_rows, 0);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *file = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *name = file != NULL ? json_object_get_string_member_with_default (file, "name", "") : "";
      gint64 size = file != NULL ? json_object_get_int_member_with_default (file, "size", 0) : 0;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *title = g_markup_escape_text (name, -1);
      g_autofree char *size_text = g_format_size ((guint64) MAX (size, 0));
      /* Translators: accessible label of the button removing an attachment, %s is its name */
      g_autofree char *remove_label = g_strdup_printf (_("Remove “%s”"), name);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), size_text);
      gtk_widget_set_name (remove, "remove-attachment");
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (remove, _("Remove"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      remove_label, -1);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_sensitive (remove, !fr->editor->read_only);
      g_object_set_data (G_OBJECT (remove), "index", GUINT_TO_POINTER (i));
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_attachment_clicked_cb), fr);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (fr->row), row);
      g_ptr_array_add (fr->file_rows, row);
    }
}

static void
build_rows (CnRecordEditor *self)
{
  for (const CnField *field = self->collection->fields; field->name != NULL; field++)
    {
      FieldRow *fr = g_new0 (FieldRow, 1);
      g_autofree char *title = field_title (field);
      GtkEventController *focus;

      fr->editor = self;
      fr->field = field;
      switch (field->type)
        {
        case CN_FIELD_TEXT:
        case CN_FIELD_HTML:
          fr->row = make_text_row (fr, title);
          break;
        case CN_FIELD_ENUM:
          fr->row = make_enum_row (fr, title);
          break;
        case CN_FIELD_UUID:
          fr->row = make_combo_row (fr, title);
          break;
        case CN_FIELD_UUID_ARRAY:
          fr->row = make_picker_row (fr, title);
          break;
        case CN_FIELD_BOOL:
          fr->row = make_switch_row (fr, title);
          break;
        case CN_FIELD_OBJECT_ARRAY:
          fr->row = make_attachments_row (fr, title);
          break;
        case CN_FIELD_STRING:
        case CN_FIELD_DATE:
        case CN_FIELD_DATETIME:
        case CN_FIELD_MONTH:
        case CN_FIELD_INT:
        case CN_FIELD_SHA256:
        case CN_FIELD_URL:
        case CN_FIELD_STRING_ARRAY:
        default:
          fr->row = make_entry_row (fr, title);
          break;
        }
      fr->error_row = make_error_row (fr);
      gtk_widget_set_name (fr->row, field->name);

      focus = gtk_event_controller_focus_new ();
      g_signal_connect (focus, "leave", G_CALLBACK (focus_leave_cb), fr);
      gtk_widget_add_controller (fr->row, focus);

      gtk_list_box_append (self->list_box, fr->row);
      gtk_list_box_append (self->list_box, fr->error_row);
      g_ptr_array_add (self->rows, fr);
    }
}

static void offer_current_value (FieldRow *fr,
                                 JsonNode *node);

static void
load_value (FieldRow *fr,
            JsonNode *node)
{
  const CnField *field = fr->field;
  gboolean null = node == NULL || JSON_NODE_HOLDS_NULL (node);

  switch (field->type)
    {
    case CN_FIELD_TEXT:
    case CN_FIELD_HTML:
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (fr->input)),
                                null ? "" : json_node_get_string (node), -1);
      break;

    case CN_FIELD_DATE:
      {
        g_autofree char *text = cn_record_editor_format_date (null ? NULL : json_node_get_string (node));
        gtk_editable_set_text (GTK_EDITABLE (fr->input), text);
      }
      break;

    case CN_FIELD_MONTH:
      {
        const char *iso = null ? NULL : json_node_get_string (node);
        int y, m;
        g_autofree char *text = NULL;

        if (iso != NULL && cn_time_parse_month (iso, &y, &m))
          text = g_strdup_printf ("%02d/%04d", m, y);
        gtk_editable_set_text (GTK_EDITABLE (fr->input), text != NULL ? text : (iso != NULL ? iso : ""));
      }
      break;

    case CN_FIELD_INT:
      {
        g_autofree char *text = null ? g_strdup ("") : g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
        gtk_editable_set_text (GTK_EDITABLE (fr->input), text);
      }
      break;

    case CN_FIELD_BOOL:
      gtk_switch_set_active (GTK_SWITCH (fr->input), !null && json_node_get_boolean (node));
      break;

    case CN_FIELD_ENUM:
      {
        guint offset = (field->flags & CN_FIELD_FLAG_REQUIRED) ? 0 : 1;
        guint selected = 0;

        for (guint i = 0; !null && field->values[i].value != NULL; i++)
          if (g_strcmp0 (field->values[i].value, json_node_get_string (node)) == 0)
            selected = i + offset;
        adw_combo_row_set_selected (ADW_COMBO_ROW (fr->input), selected);
      }
      break;

    case CN_FIELD_UUID:
      if (fr->choices_pending)
        offer_current_value (fr, null ? NULL : node);
      for (guint i = 0; fr->choice_ids != NULL && i < fr->choice_ids->len; i++)
        if (g_strcmp0 (g_ptr_array_index (fr->choice_ids, i), null ? NULL : json_node_get_string (node)) == 0)
          adw_combo_row_set_selected (ADW_COMBO_ROW (fr->input), i);
      break;

    case CN_FIELD_UUID_ARRAY:
      if (fr->choices_pending)
        offer_current_value (fr, null ? NULL : node);
      {
        g_autoptr(GPtrArray) ids = g_ptr_array_new ();

        if (!null && JSON_NODE_HOLDS_ARRAY (node))
          {
            JsonArray *array = json_node_get_array (node);

            for (guint j = 0; j < json_array_get_length (array); j++)
              {
                JsonNode *element = json_array_get_element (array, j);

                if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
                  g_ptr_array_add (ids, (gpointer) json_node_get_string (element));
              }
          }
        g_ptr_array_add (ids, NULL);
        cn_choice_picker_set_chosen (fr->picker, (const char * const *) ids->pdata);
      }
      break;

    case CN_FIELD_STRING_ARRAY:
      {
        g_autoptr(GString) text = g_string_new (NULL);

        if (!null && JSON_NODE_HOLDS_ARRAY (node))
          {
            JsonArray *array = json_node_get_array (node);

            for (guint j = 0; j < json_array_get_length (array); j++)
              {
                if (j > 0)
                  g_string_append (text, "; ");
                g_string_append (text, json_array_get_string_element (array, j));
              }
          }
        gtk_editable_set_text (GTK_EDITABLE (fr->input), text->str);
      }
      break;

    case CN_FIELD_OBJECT_ARRAY:
      g_clear_pointer (&fr->passthrough, json_node_unref);
      if (!null)
        fr->passthrough = json_node_copy (node);
      update_attachments_row (fr);
      break;

    case CN_FIELD_STRING:
    case CN_FIELD_DATETIME:
    case CN_FIELD_SHA256:
    case CN_FIELD_URL:
    default:
      gtk_editable_set_text (GTK_EDITABLE (fr->input),
                             null || !JSON_NODE_HOLDS_VALUE (node) ? "" : json_node_get_string (node));
      break;
    }
}

static JsonNode *
initial_value (CnRecordEditor *self,
               const char     *name)
{
  if (self->initial == NULL || !json_object_has_member (self->initial, name))
    return NULL;
  return json_object_get_member (self->initial, name);
}

/* Replaces the field's choices with @items (of CnIdTitle, in order); selects nothing yet. */
static void
set_choice_items (FieldRow  *fr,
                  GPtrArray *items)
{
  if (fr->field->type == CN_FIELD_UUID)
    {
      g_autoptr(GtkStringList) labels = NULL;
      g_autoptr(GPtrArray) titles = g_ptr_array_new_full (items->len + 2, NULL);

      g_clear_pointer (&fr->choice_ids, g_ptr_array_unref);
      fr->choice_ids = g_ptr_array_new_full (items->len + 1, g_free);
      if (!(fr->field->flags & CN_FIELD_FLAG_REQUIRED))
        {
          g_ptr_array_add (titles, (gpointer) C_("no value", "None"));
          g_ptr_array_add (fr->choice_ids, NULL);
        }
      for (guint i = 0; i < items->len; i++)
        {
          CnIdTitle *item = g_ptr_array_index (items, i);

          g_ptr_array_add (titles, item->title != NULL ? item->title : (char *) "");
          g_ptr_array_add (fr->choice_ids, g_strdup (item->id));
        }
      g_ptr_array_add (titles, NULL);
      /* Built whole before the row sees it: one model, no signal per choice. */
      labels = gtk_string_list_new ((const char * const *) titles->pdata);
      adw_combo_row_set_model (ADW_COMBO_ROW (fr->input), G_LIST_MODEL (labels));
      adw_combo_row_set_selected (ADW_COMBO_ROW (fr->input),
                                  (fr->field->flags & CN_FIELD_FLAG_REQUIRED) ? GTK_INVALID_LIST_POSITION : 0);
    }
  else
    {
      /* The picker builds a row only for the choices that show. */
      cn_choice_picker_set_choices (fr->picker, items);
      cn_choice_picker_set_pending (fr->picker, fr->choices_pending);
    }
}

static void
add_id_title (GPtrArray  *items,
              const char *id,
              const char *title)
{
  CnIdTitle *item = g_new0 (CnIdTitle, 1);

  item->id = g_strdup (id);
  item->title = g_strdup (title);
  g_ptr_array_add (items, item);
}

/* While the choices are read, the field offers only the records it points to, each read
 * on its own: the current value shows at once and is saved unchanged. */
static void
offer_current_value (FieldRow *fr,
                     JsonNode *node)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) cn_id_title_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    g_ptr_array_add (ids, (gpointer) json_node_get_string (node));
  else if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            g_ptr_array_add (ids, (gpointer) json_node_get_string (element));
        }
    }

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      g_autoptr(CnRecord) record = NULL;

      if (fr->editor->store != NULL)
        record = cn_store_get (fr->editor->store, id, NULL);
      /* A record not in the store keeps its id as title, as the full list would lack it. */
      add_id_title (items, id, record != NULL ? cn_record_get_title (record) : id);
    }
  set_choice_items (fr, items);
}

/**
 * cn_record_editor_set_choices:
 * @self: a #CnRecordEditor
 * @field: a UUID or UUID-array field
 * @records: a #GListModel of #CnRecord, the records the field may point to
 *
 * Fills the field's choices, titled by cn_record_get_title(), and selects the current value.
 */
void
cn_record_editor_set_choices (CnRecordEditor *self,
                              const char     *field,
                              GListModel     *records)
{
  g_autoptr(GPtrArray) items = NULL;
  FieldRow *fr;
  guint n;

  g_return_if_fail (CN_IS_RECORD_EDITOR (self));
  g_return_if_fail (G_IS_LIST_MODEL (records));

  fr = find_row (self, field);
  g_return_if_fail (fr != NULL);
  g_return_if_fail (fr->field->type == CN_FIELD_UUID || fr->field->type == CN_FIELD_UUID_ARRAY);

  n = g_list_model_get_n_items (records);
  items = g_ptr_array_new_full (n, (GDestroyNotify) cn_id_title_free);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CnRecord) record = g_list_model_get_item (records, i);

      add_id_title (items, cn_record_get_id (record), cn_record_get_title (record));
    }

  self->loading = TRUE;
  fr->choices_pending = FALSE;
  set_choice_items (fr, items);
  load_value (fr, initial_value (self, field));
  self->loading = FALSE;
}

/**
 * cn_record_editor_set_value:
 * @self: a #CnRecordEditor
 * @field: a field of the collection
 * @value: (nullable): its value, as on the wire
 *
 * Sets a field as if the record had it (a default such as the commune of the page the form
 * was opened from); it does not count as a change by the user.
 */
void
cn_record_editor_set_value (CnRecordEditor *self,
                            const char     *field,
                            JsonNode       *value)
{
  FieldRow *fr;

  g_return_if_fail (CN_IS_RECORD_EDITOR (self));

  fr = find_row (self, field);
  g_return_if_fail (fr != NULL);

  if (self->initial == NULL)
    self->initial = json_object_new ();
  if (value != NULL)
    json_object_set_member (self->initial, field, json_node_copy (value));
  else
    json_object_remove_member (self->initial, field);

  self->loading = TRUE;
  load_value (fr, value);
  self->loading = FALSE;
}

/**
 * cn_record_editor_hide_field:
 * @self: a #CnRecordEditor
 * @field: a field of the collection
 *
 * Leaves a field out of the form; it keeps the value the record or a default gave it.
 */
void
cn_record_editor_hide_field (CnRecordEditor *self,
                             const char     *field)
{
  FieldRow *fr;

  g_return_if_fail (CN_IS_RECORD_EDITOR (self));

  fr = find_row (self, field);
  g_return_if_fail (fr != NULL);

  fr->hidden = TRUE;
  gtk_widget_set_visible (fr->row, FALSE);
  gtk_widget_set_visible (fr->error_row, FALSE);
}

/**
 * cn_record_editor_set_read_only:
 * @self: a #CnRecordEditor
 * @read_only: whether the user may change the record
 * @explanation: (nullable): why not, shown above the form
 */
void
cn_record_editor_set_read_only (CnRecordEditor *self,
                                gboolean        read_only,
                                const char     *explanation)
{
  g_return_if_fail (CN_IS_RECORD_EDITOR (self));

  self->read_only = read_only;
  gtk_widget_set_visible (self->save_button, !read_only);
  gtk_button_set_label (GTK_BUTTON (self->cancel_button), read_only ? _("_Close") : _("_Cancel"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->cancel_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  read_only ? _("Close") : _("Cancel"), -1);
  gtk_label_set_text (self->read_only_label, explanation != NULL ? explanation : "");
  gtk_widget_set_visible (GTK_WIDGET (self->read_only_label), read_only && explanation != NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *fr = g_ptr_array_index (self->rows, i);

      if (GTK_IS_EDITABLE (fr->input))
        gtk_editable_set_editable (GTK_EDITABLE (fr->input), !read_only);
      else if (GTK_IS_TEXT_VIEW (fr->input))
        gtk_text_view_set_editable (GTK_TEXT_VIEW (fr->input), !read_only);
      else if (fr->picker != NULL)
        cn_choice_picker_set_editable (fr->picker, !read_only);
      else if (fr->file_rows != NULL)
        {
          gtk_widget_set_sensitive (fr->add_button, !read_only);
          update_attachments_row (fr);
        }
      else
        gtk_widget_set_sensitive (fr->input, !read_only);
    }
}

void
cn_record_editor_set_save_func (CnRecordEditor         *self,
                                CnRecordEditorSaveFunc  func,
                                gpointer                user_data,
                                GDestroyNotify          destroy)
{
  g_return_if_fail (CN_IS_RECORD_EDITOR (self));

  if (self->save_destroy != NULL)
    self->save_destroy (self->save_data);
  self->save_func = func;
  self->save_data = user_data;
  self->save_destroy = destroy;
}

gboolean
cn_record_editor_get_read_only (CnRecordEditor *self)
{
  g_return_val_if_fail (CN_IS_RECORD_EDITOR (self), FALSE);

  return self->read_only;
}

gboolean
cn_record_editor_get_modified (CnRecordEditor *self)
{
  g_return_val_if_fail (CN_IS_RECORD_EDITOR (self), FALSE);

  return self->modified;
}

const char *
cn_record_editor_get_collection (CnRecordEditor *self)
{
  g_return_val_if_fail (CN_IS_RECORD_EDITOR (self), NULL);

  return self->collection->name;
}

/**
 * cn_record_editor_get_record:
 * @self: a #CnRecordEditor
 *
 * Returns: (transfer none) (nullable): the record being edited, %NULL for a new one
 */
CnRecord *
cn_record_editor_get_record (CnRecordEditor *self)
{
  g_return_val_if_fail (CN_IS_RECORD_EDITOR (self), NULL);

  return self->record;
}

/**
 * cn_record_editor_collect:
 * @self: a #CnRecordEditor
 * @error: return location for a #GError
 *
 * Reads and checks every field, showing each field's error under it, then checks the whole
 * record.
 *
 * Returns: (transfer full) (nullable): the record's data, or %NULL with @error set
 */
JsonObject *
cn_record_editor_collect (CnRecordEditor  *self,
                          GError         **error)
{
  g_autoptr(JsonObject) data = json_object_new ();
  FieldRow *first_bad = NULL;

  g_return_val_if_fail (CN_IS_RECORD_EDITOR (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *fr = g_ptr_array_index (self->rows, i);

      if (!check_field (self, fr, data) && first_bad == NULL)
        first_bad = fr;
    }

  if (first_bad != NULL)
    {
      gtk_widget_grab_focus (first_bad->input);
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   /* Translators: %s is the field's label */
                   _("Check “%s” and the other marked fields."),
                   cn_field_get_label (first_bad->field));
      return NULL;
    }

  if (!cn_schema_validate (self->collection->name, data, FALSE, error))
    return NULL;

  return g_steal_pointer (&data);
}

static void
show_form_error (CnRecordEditor *self,
                 const char     *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/**
 * cn_record_editor_save:
 * @self: a #CnRecordEditor
 *
 * Checks the form and hands the data to the save function; closes the form when it is saved.
 *
 * Returns: %TRUE when the record was saved
 */
gboolean
cn_record_editor_save (CnRecordEditor *self)
{
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (CN_IS_RECORD_EDITOR (self), FALSE);

  if (self->read_only)
    return FALSE;

  data = cn_record_editor_collect (self, &error);
  if (data == NULL)
    {
      show_form_error (self, error->message);
      return FALSE;
    }

  if (self->save_func != NULL
      && !self->save_func (self, self->record, data, self->save_data, &error))
    {
      show_form_error (self, error->message);
      return FALSE;
    }

  show_form_error (self, NULL);
  self->modified = FALSE;
  self->closing = TRUE;
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static void
save_clicked_cb (CnRecordEditor *self)
{
  cn_record_editor_save (self);
}

static void
cancel_clicked_cb (CnRecordEditor *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
discard_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     CnRecordEditor   *self)
{
  if (g_strcmp0 (response, "discard") == 0)
    {
      self->modified = FALSE;
      self->closing = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
  else if (g_strcmp0 (response, "save") == 0)
    cn_record_editor_save (self);
}

static gboolean
cn_record_editor_close_request (GtkWindow *window)
{
  CnRecordEditor *self = CN_RECORD_EDITOR (window);
  GtkWidget *dialog;

  if (self->read_only || !self->modified)
    {
      self->closing = TRUE;
      return GTK_WINDOW_CLASS (cn_record_editor_parent_class)->close_request (window);
    }

  dialog = adw_message_dialog_new (window, _("Discard Changes?"),
                                   _("The changes in this form have not been saved. "
                                     "If you close it now, they are lost."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* Attachments */

static FieldRow *
find_attachments_row (CnRecordEditor *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *fr = g_ptr_array_index (self->rows, i);

      if (fr->file_rows != NULL && !fr->hidden)
        return fr;
    }
  return NULL;
}

/**
 * cn_record_editor_set_store:
 * @self: a #CnRecordEditor
 * @store: (nullable): the store whose file cache takes the files the user attaches
 */
void
cn_record_editor_set_store (CnRecordEditor *self,
                            CnStore        *store)
{
  g_return_if_fail (CN_IS_RECORD_EDITOR (self));
  g_return_if_fail (store == NULL || CN_IS_STORE (store));

  g_set_object (&self->store, store);
}

static void show_form_error (CnRecordEditor *self,
                             const char     *message);

/* Reading the choices: the field names and, per field, its choices (CnIdTitle). */
typedef struct
{
  char      *path;
  GPtrArray *fields;    /* const CnField *, the schema's */
  GPtrArray *choices;   /* GPtrArray of CnIdTitle, one per field */
} ChoicesData;

static void
choices_data_free (gpointer data)
{
  ChoicesData *d = data;

  g_free (d->path);
  g_ptr_array_unref (d->fields);
  g_clear_pointer (&d->choices, g_ptr_array_unref);
  g_free (d);
}

/* The kinds of unit a field may point to: communes for a commune, districts for a
 * delegation's or a person's unit, any unit otherwise (a unit's parent). */
static const char * const *
unit_kinds (const CnField *field)
{
  static const char * const communes[] = { "commune", "town", "ward", NULL };
  static const char * const districts[] = { "district", NULL };

  if (g_strcmp0 (field->name, "commune_id") == 0 || g_strcmp0 (field->name, "commune_ids") == 0)
    return communes;
  if (g_strcmp0 (field->name, "unit_id") == 0)
    return districts;
  return NULL;
}

static void
read_choices_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  ChoicesData *d = task_data;
  g_autoptr(CnWorkflowReader) reader = NULL;
  g_autoptr(GPtrArray) choices = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GError *error = NULL;

  reader = cn_workflow_reader_open (d->path, &error);
  if (reader == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint f = 0; f < d->fields->len; f++)
    {
      const CnField *field = g_ptr_array_index (d->fields, f);
      GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) cn_id_title_free);

      g_ptr_array_add (choices, items);
      for (guint t = 0; field->targets[t] != NULL; t++)
        {
          g_autoptr(GPtrArray) some = NULL;

          if (g_cancellable_set_error_if_cancelled (cancellable, &error))
            {
              g_task_return_error (task, error);
              return;
            }
          if (g_strcmp0 (field->targets[t], "unit") == 0 && unit_kinds (field) != NULL)
            some = cn_workflow_reader_unit_titles (reader, unit_kinds (field), &error);
          else
            some = cn_workflow_reader_titles (reader, field->targets[t], FALSE, &error);
          if (some == NULL)
            {
              g_task_return_error (task, error);
              return;
            }
          g_ptr_array_extend_and_steal (items, g_steal_pointer (&some));
        }
    }
  d->choices = g_steal_pointer (&choices);
  g_task_return_boolean (task, TRUE);
}

static void
read_choices_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  CnRecordEditor *self = CN_RECORD_EDITOR (source);
  ChoicesData *d = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (self->disposed || g_task_get_cancellable (G_TASK (result)) != self->choices_cancellable)
    return;   /* closed, or read again since */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* The current values stay offered, so nothing the user sees is lost. */
      g_autofree char *message = g_strdup_printf (_("Could not read the choices: %s"),
                                                  error->message);

      for (guint i = 0; i < self->rows->len; i++)
        {
          FieldRow *fr = g_ptr_array_index (self->rows, i);

          fr->choices_pending = FALSE;
          if (fr->picker != NULL)
            cn_choice_picker_set_pending (fr->picker, FALSE);
        }
      show_form_error (self, message);
      return;
    }

  for (guint f = 0; f < d->fields->len; f++)
    {
      const CnField *field = g_ptr_array_index (d->fields, f);
      FieldRow *fr = find_row (self, field->name);
      g_autoptr(JsonNode) current = NULL;
      g_autofree char *message = NULL;
      gboolean was_loading = self->loading;

      if (fr == NULL || !fr->choices_pending)
        continue;   /* set by cn_record_editor_set_choices() meanwhile */
      /* What the field holds now, the user's choice included, stays chosen. */
      read_field (fr, &current, &message);
      self->loading = TRUE;
      fr->choices_pending = FALSE;
      set_choice_items (fr, g_ptr_array_index (d->choices, f));
      load_value (fr, current);
      self->loading = was_loading;
    }
}

/**
 * cn_record_editor_load_choices:
 * @self: a #CnRecordEditor with a store (cn_record_editor_set_store())
 *
 * Offers every reference field's choices from the store: the records the fields point to
 * at once, and all the records they may point to (ids and titles, read in a worker thread
 * without parsing any record) when read. A field given its choices by
 * cn_record_editor_set_choices() keeps those.
 */
void
cn_record_editor_load_choices (CnRecordEditor *self)
{
  g_autoptr(GTask) task = NULL;
  ChoicesData *d;

  g_return_if_fail (CN_IS_RECORD_EDITOR (self));
  g_return_if_fail (self->store != NULL);

  d = g_new0 (ChoicesData, 1);
  d->path = g_strdup (cn_store_get_path (self->store));
  d->fields = g_ptr_array_new ();

  self->loading = TRUE;
  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *fr = g_ptr_array_index (self->rows, i);

      if ((fr->field->type != CN_FIELD_UUID && fr->field->type != CN_FIELD_UUID_ARRAY)
          || fr->field->targets == NULL)
        continue;
      fr->choices_pending = TRUE;
      load_value (fr, initial_value (self, fr->field->name));
      g_ptr_array_add (d->fields, (gpointer) fr->field);
    }
  self->loading = FALSE;

  g_cancellable_cancel (self->choices_cancellable);
  g_clear_object (&self->choices_cancellable);
  self->choices_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->choices_cancellable, read_choices_done_cb, NULL);
  g_task_set_source_tag (task, cn_record_editor_load_choices);
  g_task_set_task_data (task, d, choices_data_free);
  g_task_run_in_thread (task, read_choices_thread);
}

/**
 * cn_record_editor_get_choices_pending:
 * @self: a #CnRecordEditor
 *
 * Returns: whether some field's choices are still being read
 */
gboolean
cn_record_editor_get_choices_pending (CnRecordEditor *self)
{
  g_return_val_if_fail (CN_IS_RECORD_EDITOR (self), FALSE);

  for (guint i = 0; i < self->rows->len; i++)
    if (((FieldRow *) g_ptr_array_index (self->rows, i))->choices_pending)
      return TRUE;
  return FALSE;
}

typedef struct
{
  CnStore *store;
  char    *path;
  char    *name;
} ImportData;

static void
import_data_free (gpointer data)
{
  ImportData *import = data;

  g_clear_object (&import->store);
  g_free (import->path);
  g_free (import->name);
  g_free (import);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportData *import = task_data;
  GError *error = NULL;
  goffset size = 0;
  g_autofree char *sha256 = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *mime = NULL;
  JsonObject *file;

  sha256 = cn_sync_import_file (import->store, import->path, &size, cancellable, &error);
  if (sha256 == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Named by the user's file, confirmed by its first bytes (a photo without extension). */
  {
    guchar head[4096];
    gsize len = 0;
    g_autoptr(GFile) source = g_file_new_for_path (import->path);
    g_autoptr(GFileInputStream) in = g_file_read (source, cancellable, NULL);

    if (in == NULL
        || !g_input_stream_read_all (G_INPUT_STREAM (in), head, sizeof head, &len, cancellable, NULL))
      len = 0;
    content_type = g_content_type_guess (import->name, len > 0 ? head : NULL, len, NULL);
  }
  mime = content_type != NULL ? g_content_type_get_mime_type (content_type) : NULL;

  file = json_object_new ();
  json_object_set_string_member (file, "name", import->name);
  json_object_set_string_member (file, "sha256", sha256);
  json_object_set_int_member (file, "size", size);
  json_object_set_string_member (file, "mime", mime != NULL ? mime : "application/octet-stream");
  g_task_return_pointer (task, file, (GDestroyNotify) json_object_unref);
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CnRecordEditor *self = CN_RECORD_EDITOR (source);
  g_autoptr(GTask) outer = user_data;
  g_autoptr(JsonObject) file = NULL;
  g_autoptr(JsonArray) array = NULL;
  GError *error = NULL;
  FieldRow *fr;

  file = g_task_propagate_pointer (G_TASK (result), &error);
  if (file == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  if (self->disposed)
    {
      /* The form was closed meanwhile; the file stays in the cache, unreferenced. */
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                               _("The form was closed."));
      return;
    }

  fr = find_attachments_row (self);
  if (fr == NULL)
    {
      g_task_return_new_error (outer, CN_ERROR, CN_ERROR_INVALID, "%s",
                               _("This form has no place for attachments."));
      return;
    }
  array = copy_attachments (fr, -1);
  json_array_add_object_element (array, g_steal_pointer (&file));
  set_attachments (fr, array);
  update_attachments_row (fr);
  mark_modified (self);
  if (!self->loading && gtk_widget_get_visible (fr->error_row))
    check_field (self, fr, NULL);
  g_task_return_boolean (outer, TRUE);
}

/**
 * cn_record_editor_add_attachment_async:
 * @self: a #CnRecordEditor
 * @file: a local file to attach
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the file is in the file cache and in the form
 * @user_data: data for @callback
 *
 * Copies @file into the store's file cache (in a worker thread) and adds it to the form's
 * attachments; saving the form records it, and the next sync uploads it.
 */
void
cn_record_editor_add_attachment_async (CnRecordEditor      *self,
                                       GFile               *file,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  ImportData *import;
  g_autofree char *path = NULL;

  g_return_if_fail (CN_IS_RECORD_EDITOR (self));
  g_return_if_fail (G_IS_FILE (file));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, cn_record_editor_add_attachment_async);

  if (self->read_only)
    {
      g_task_return_new_error (outer, CN_ERROR, CN_ERROR_FORBIDDEN, "%s",
                               _("This record cannot be changed."));
      return;
    }
  if (find_attachments_row (self) == NULL)
    {
      g_task_return_new_error (outer, CN_ERROR, CN_ERROR_INVALID, "%s",
                               _("This form has no place for attachments."));
      return;
    }
  if (self->store == NULL)
    {
      g_task_return_new_error (outer, CN_ERROR, CN_ERROR_STORE, "%s",
                               _("The local database is not open, so no file can be attached."));
      return;
    }
  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_task_return_new_error (outer, CN_ERROR, CN_ERROR_INVALID, "%s",
                               _("Only files on this computer can be attached."));
      return;
    }

  import = g_new0 (ImportData, 1);
  import->store = g_object_ref (self->store);
  import->name = g_file_get_basename (file);
  import->path = g_steal_pointer (&path);

  inner = g_task_new (self, cancellable, import_done_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (inner, cn_record_editor_add_attachment_async);
  g_task_set_task_data (inner, import, import_data_free);
  g_task_run_in_thread (inner, import_thread);
}

/**
 * cn_record_editor_add_attachment_finish:
 * @self: a #CnRecordEditor
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the file was added to the form
 */
gboolean
cn_record_editor_add_attachment_finish (CnRecordEditor  *self,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  g_return_val_if_fail (CN_IS_RECORD_EDITOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void show_form_error (CnRecordEditor *self,
                             const char     *message);

static void
add_attachment_done_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  CnRecordEditor *self = CN_RECORD_EDITOR (source);
  g_autofree char *name = user_data;
  g_autoptr(GError) error = NULL;

  if (!cn_record_editor_add_attachment_finish (self, result, &error))
    {
      /* Translators: %s is a file name, then why it could not be attached */
      g_autofree char *message = g_strdup_printf (_("Could not attach “%s”: %s"), name, error->message);

      show_form_error (self, message);
    }
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     CnRecordEditor  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);

          cn_record_editor_add_attachment_async (self, file, NULL, add_attachment_done_cb,
                                                 g_file_get_basename (file));
        }
    }
  g_clear_object (&self->chooser);
}

static void
add_attachment_clicked_cb (FieldRow *fr)
{
  CnRecordEditor *self = fr->editor;

  if (self->read_only || self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Add Attachment"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Attach"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* A form's title for each collection: whole titles, not "Edit %s" around the collection's
 * label, so that each language words and capitalises them as titles ("Edit Working Session",
 * "Sửa buổi làm việc"); a collection missing here gets the generic one. */
typedef struct {
  const char *collection;
  const char *new_title;   /* English, NC_("form title", …) */
  const char *edit_title;
} CnFormTitles;

static const CnFormTitles form_titles[] = {
  /* Translators: the title of the form that creates (New) or edits (Edit) a record of
   * each kind; "form title" strings are window titles, with header capitalisation. */
  { "unit", NC_("form title", "New Unit"), NC_("form title", "Edit Unit") },
  { "person", NC_("form title", "New Person"), NC_("form title", "Edit Person") },
  { "article", NC_("form title", "New Article"), NC_("form title", "Edit Article") },
  { "document", NC_("form title", "New Document"), NC_("form title", "Edit Document") },
  { "criteria_set", NC_("form title", "New Criteria Set"),
    NC_("form title", "Edit Criteria Set") },
  { "delegation", NC_("form title", "New Delegation"), NC_("form title", "Edit Delegation") },
  { "assignment", NC_("form title", "New Assignment"), NC_("form title", "Edit Assignment") },
  { "visit", NC_("form title", "New Working Session"),
    NC_("form title", "Edit Working Session") },
  { "report", NC_("form title", "New Report"), NC_("form title", "Edit Report") },
  { "task", NC_("form title", "New Task"), NC_("form title", "Edit Task") },
  { "task_event", NC_("form title", "New Task Event"), NC_("form title", "Edit Task Event") },
  { "assessment", NC_("form title", "New Assessment"), NC_("form title", "Edit Assessment") },
  /* Translators: a record of one person's attendance at a party cell's monthly meeting */
  { "attendance", NC_("form title", "New Attendance Record"),
    NC_("form title", "Edit Attendance Record") },
};

static const char *
form_title (const char *collection,
            gboolean    editing)
{
  for (guint i = 0; i < G_N_ELEMENTS (form_titles); i++)
    if (g_str_equal (form_titles[i].collection, collection))
      return g_dpgettext2 (NULL, "form title",
                           editing ? form_titles[i].edit_title : form_titles[i].new_title);
  return editing ? C_("form title", "Edit Record") : C_("form title", "New Record");
}

/**
 * cn_record_editor_new:
 * @collection: a workflow collection of cn-schema.h ("visit", "task", …)
 * @record: (nullable): the record to edit, or %NULL to create one
 *
 * Returns: (transfer full): a new form; present it with gtk_window_present()
 */
CnRecordEditor *
cn_record_editor_new (const char *collection,
                      CnRecord   *record)
{
  const CnCollection *coll = cn_schema_lookup (collection);
  CnRecordEditor *self;
  const char *title;

  g_return_val_if_fail (coll != NULL, NULL);
  g_return_val_if_fail (record == NULL || CN_IS_RECORD (record), NULL);

  self = g_object_new (CN_TYPE_RECORD_EDITOR, NULL);
  self->collection = coll;
  /* Giving an enum row its labels selects the first: not a change by the user, and its
   * error row does not exist yet. */
  self->loading = TRUE;
  build_rows (self);

  if (record != NULL)
    {
      self->record = g_object_ref (record);
      self->initial = json_object_ref (cn_record_get_data (record));
      title = form_title (coll->name, TRUE);
      adw_window_title_set_subtitle (self->window_title, cn_record_get_title (record));
    }
  else
    title = form_title (coll->name, FALSE);
  adw_window_title_set_title (self->window_title, title);
  gtk_window_set_title (GTK_WINDOW (self), title);

  self->loading = TRUE;
  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *fr = g_ptr_array_index (self->rows, i);

      load_value (fr, initial_value (self, fr->field->name));
    }
  self->loading = FALSE;

  return self;
}

static void
cn_record_editor_dispose (GObject *object)
{
  CnRecordEditor *self = CN_RECORD_EDITOR (object);

  self->disposed = TRUE;
  cn_record_editor_set_save_func (self, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CN_TYPE_RECORD_EDITOR);
  g_clear_object (&self->record);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  g_clear_object (&self->store);
  g_cancellable_cancel (self->choices_cancellable);
  g_clear_object (&self->choices_cancellable);

  G_OBJECT_CLASS (cn_record_editor_parent_class)->dispose (object);
}

static void
cn_record_editor_finalize (GObject *object)
{
  CnRecordEditor *self = CN_RECORD_EDITOR (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->initial, json_object_unref);

  G_OBJECT_CLASS (cn_record_editor_parent_class)->finalize (object);
}

static void
cn_record_editor_class_init (CnRecordEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cn_record_editor_dispose;
  object_class->finalize = cn_record_editor_finalize;
  window_class->close_request = cn_record_editor_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/hatinh/nongthonmoi/CauNoi/cn-record-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CnRecordEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, CnRecordEditor, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CnRecordEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, CnRecordEditor, read_only_label);
  gtk_widget_class_bind_template_child (widget_class, CnRecordEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, CnRecordEditor, list_box);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cn_record_editor_init (CnRecordEditor *self)
{
  self->rows = g_ptr_array_new_with_free_func (field_row_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}
