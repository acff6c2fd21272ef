/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cn-criteria-view.h"
#include "cn-document-detail.h"
#include "cn-format.h"
#include "cn-reading.h"
#include "cn-widget-util.h"

typedef struct
{
  CnDocumentDetail *self;      /* weak: the detail outlives no attachment */
  char             *name;
  char             *sha256;
  gint64            size;
  GtkWidget        *row;
  GtkWidget        *spinner;
  char             *save_to;   /* a file chosen to save a copy, or NULL to open */
} Attachment;

struct _CnDocumentDetail
{
  GtkBox          parent_instance;

  CnStore        *store;
  CnSyncClient   *sync_client;
  CnRecord       *document;
  char           *files_dir;
  GPtrArray      *attachments;   /* Attachment */
  GCancellable   *cancellable;

  GtkButton      *back_button;
  GtkButton      *website_button;
  GtkStack       *stack;
  GtkScrolledWindow *scroller;
  GtkLabel       *number_label;
  GtkLabel       *sample_label;
  GtkLabel       *title_label;
  GtkBox         *groups;
};

G_DEFINE_FINAL_TYPE (CnDocumentDetail, cn_document_detail, GTK_TYPE_BOX)

enum {
  SHOW_DOCUMENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void fetch_and_use (Attachment *attachment);

static void
attachment_free (gpointer data)
{
  Attachment *attachment = data;

  if (attachment->row != NULL)
    {
      g_object_set_data (G_OBJECT (attachment->row), "cn-attachment", NULL);
      g_object_remove_weak_pointer (G_OBJECT (attachment->row), (gpointer *) &attachment->row);
    }
  g_free (attachment->name);
  g_free (attachment->sha256);
  g_free (attachment->save_to);
  g_free (attachment);
}

static void
retry_clicked_cb (GtkWidget *row)
{
  Attachment *attachment = g_object_get_data (G_OBJECT (row), "cn-attachment");

  if (attachment != NULL)
    fetch_and_use (attachment);
}

static void
show_attachment_error (Attachment *attachment,
                       const char *message)
{
  AdwToast *toast = cn_widget_toast_new (message);

  adw_toast_set_button_label (toast, _("_Retry"));
  adw_toast_set_timeout (toast, 0);
  /* The toast lives in the window; the row's attachment lives as long as this document is
   * shown, so the retry is dropped with it. */
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (retry_clicked_cb),
                           attachment->row, G_CONNECT_SWAPPED);
  cn_widget_add_toast (GTK_WIDGET (attachment->self), toast);
}

static char *
cached_path (CnDocumentDetail *self,
             const char       *sha256)
{
  g_autofree char *path = NULL;

  if (self->files_dir == NULL)
    return NULL;
  path = g_build_filename (self->files_dir, sha256, NULL);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR) ? g_steal_pointer (&path) : NULL;
}

static void
update_attachment_row (Attachment *attachment)
{
  g_autofree char *path = cached_path (attachment->self, attachment->sha256);
  g_autofree char *size = cn_format_size (attachment->size);
  g_autofree char *subtitle = NULL;

  /* Translators: an attachment's size and whether it can be opened without a network. */
  subtitle = g_strdup_printf (_("%s · %s"), size,
                              path != NULL ? _("Available offline") : _("Not downloaded yet"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (attachment->row), subtitle);
}

static void
launch_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GtkWidget) row = user_data;
  Attachment *attachment = g_object_get_data (G_OBJECT (row), "cn-attachment");
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error) && attachment != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not open “%s”: %s"),
                                                  attachment->name, error->message);
      show_attachment_error (attachment, message);
    }
}

/* Opens a copy named as the document's file, in the cache: viewers show the name, and the
 * content-addressed original stays untouched. */
static void
open_cached (Attachment *attachment,
             const char *path)
{
  CnDocumentDetail *self = attachment->self;
  g_autofree char *safe_name = g_strdelimit (g_strdup (attachment->name), "/\\", '_');
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "caunoi", "open",
                                           attachment->sha256, NULL);
  g_autofree char *target = g_build_filename (dir, *safe_name != '\0' ? safe_name : attachment->sha256, NULL);
  g_autoptr(GFile) source = g_file_new_for_path (path);
  g_autoptr(GFile) copy = g_file_new_for_path (target);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkAppLaunchContext) context = NULL;
  g_autofree char *uri = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      (!g_file_test (target, G_FILE_TEST_EXISTS) &&
       !g_file_copy (source, copy, G_FILE_COPY_NONE, NULL, NULL, NULL, &error)))
    {
      g_autofree char *message = g_strdup_printf (_("Could not open “%s”: %s"), attachment->name,
                                                  error != NULL ? error->message : g_strerror (errno));
      show_attachment_error (attachment, message);
      return;
    }

  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));
  uri = g_file_get_uri (copy);
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL, launch_cb,
                                           g_object_ref (attachment->row));
}

static void
copy_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GtkWidget) row = user_data;
  Attachment *attachment = g_object_get_data (G_OBJECT (row), "cn-attachment");
  g_autoptr(GError) error = NULL;

  if (!g_file_copy_finish (G_FILE (object), result, &error))
    {
      if (attachment != NULL)
        {
          g_autofree char *message = g_strdup_printf (_("Could not save “%s”: %s"),
                                                      attachment->name, error->message);
          show_attachment_error (attachment, message);
        }
      return;
    }
  if (attachment != NULL)
    cn_widget_toast (GTK_WIDGET (attachment->self), _("Copy saved"));
}

static void
use_cached (Attachment *attachment,
            const char *path)
{
  if (attachment->save_to != NULL)
    {
      g_autoptr(GFile) source = g_file_new_for_path (path);
      g_autoptr(GFile) dest = g_file_new_for_path (attachment->save_to);

      g_file_copy_async (source, dest, G_FILE_COPY_OVERWRITE, G_PRIORITY_DEFAULT, NULL,
                         NULL, NULL, copy_done_cb, g_object_ref (attachment->row));
      g_clear_pointer (&attachment->save_to, g_free);
    }
  else
    open_cached (attachment, path);
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GtkWidget) row = user_data;
  Attachment *attachment = g_object_get_data (G_OBJECT (row), "cn-attachment");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  path = cn_sync_client_fetch_file_finish (CN_SYNC_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || attachment == NULL)
    return;

  gtk_spinner_stop (GTK_SPINNER (attachment->spinner));
  gtk_widget_set_visible (attachment->spinner, FALSE);
  update_attachment_row (attachment);
  if (path == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not download “%s”: %s"),
                                                  attachment->name, error->message);
      show_attachment_error (attachment, message);
      return;
    }
  use_cached (attachment, path);
}

/* How far the download is, in the row's subtitle (which assistive technology reads too). */
static void
fetch_progress_cb (goffset  current,
                   goffset  total,
                   gpointer user_data)
{
  GtkWidget *row = user_data;
  Attachment *attachment = g_object_get_data (G_OBJECT (row), "cn-attachment");
  g_autofree char *received = cn_format_size (current);
  g_autofree char *subtitle = NULL;

  /* Done, failed or gone: the finish callback has said so already. */
  if (attachment == NULL || !gtk_widget_get_visible (attachment->spinner))
    return;
  if (total > 0)
    {
      g_autofree char *size = cn_format_size (total);

      /* Translators: an attachment being downloaded: "Downloading… 45 % — 1.2 MB of 3.4 MB";
       * %% is the percent sign */
      subtitle = g_strdup_printf (_("Downloading… %d %% — %s of %s"),
                                  (int) (current * 100 / total), received, size);
    }
  else
    /* Translators: an attachment being downloaded, its size unknown: "Downloading… 1.2 MB" */
    subtitle = g_strdup_printf (_("Downloading… %s"), received);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (attachment->row), subtitle);
}

static void
fetch_and_use (Attachment *attachment)
{
  CnDocumentDetail *self = attachment->self;
  g_autofree char *path = cached_path (self, attachment->sha256);

  if (path != NULL)
    {
      use_cached (attachment, path);
      return;
    }

  if (self->sync_client == NULL || !cn_sync_client_get_signed_in (self->sync_client))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not downloaded yet. Connect to the office’s server to download it."),
                                                  attachment->name);
      AdwToast *toast = cn_widget_toast_new (message);

      adw_toast_set_timeout (toast, 6);
      cn_widget_add_toast (GTK_WIDGET (self), toast);
      g_clear_pointer (&attachment->save_to, g_free);
      return;
    }

  gtk_widget_set_visible (attachment->spinner, TRUE);
  gtk_spinner_start (GTK_SPINNER (attachment->spinner));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (attachment->row), _("Downloading…"));
  g_object_set_data (G_OBJECT (attachment->row), "cn-attachment", attachment);
  cn_sync_client_fetch_file_async (self->sync_client, attachment->sha256,
                                   fetch_progress_cb, g_object_ref (attachment->row), g_object_unref,
                                   self->cancellable, fetch_cb, g_object_ref (attachment->row));
}

static void
open_clicked_cb (Attachment *attachment)
{
  g_clear_pointer (&attachment->save_to, g_free);
  fetch_and_use (attachment);
}

static void
save_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  g_autoptr(GtkWidget) row = user_data;
  Attachment *attachment = g_object_get_data (G_OBJECT (row), "cn-attachment");

  if (response == GTK_RESPONSE_ACCEPT && attachment != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      g_free (attachment->save_to);
      attachment->save_to = g_file_get_path (file);
      fetch_and_use (attachment);
    }
  g_object_unref (dialog);
}

static void
save_clicked_cb (Attachment *attachment)
{
  GtkRoot *root = gtk_widget_get_root (attachment->row);
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Save a Copy"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), attachment->name);
  g_object_set_data (G_OBJECT (attachment->row), "cn-attachment", attachment);
  g_signal_connect (dialog, "response", G_CALLBACK (save_response_cb), g_object_ref (attachment->row));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static GtkWidget *
new_group (CnDocumentDetail *self,
           const char       *title)
{
  GtkWidget *group = adw_preferences_group_new ();

  if (title != NULL)
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  gtk_box_append (self->groups, group);
  return group;
}

static void
add_field_row (GtkWidget  *group,
               const char *title,
               const char *value)
{
  GtkWidget *row;
  GtkWidget *label;

  if (value == NULL || *value == '\0')
    return;
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  label = gtk_label_new (value);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
  /* Wide enough to wrap between words, not between letters. */
  gtk_label_set_width_chars (GTK_LABEL (label), MIN ((int) g_utf8_strlen (value, -1) + 2, 24));
  gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  /* Screen readers say the value with the field's name. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  value, -1);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
}

static void
add_date_row (GtkWidget  *group,
              const char *title,
              const char *iso)
{
  g_autofree char *formatted = cn_format_date_iso (iso);

  add_field_row (group, title, formatted != NULL ? formatted : iso);
}

static void
link_activated_cb (AdwActionRow     *row,
                   CnDocumentDetail *self)
{
  g_signal_emit (self, signals[SHOW_DOCUMENT], 0,
                 g_object_get_data (G_OBJECT (row), "cn-document-id"));
}

static void
add_link_row (GtkWidget        *group,
              CnDocumentDetail *self,
              CnRecord         *document)
{
  GtkWidget *row = adw_action_row_new ();
  const char *number = cn_record_get_string (document, "number");
  g_autofree char *title = g_markup_escape_text (cn_record_get_string (document, "title") ?: cn_record_get_title (document), -1);
  g_autofree char *subtitle = g_markup_escape_text (number != NULL ? number : "", -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "cn-document-id",
                          g_strdup (cn_record_get_id (document)), g_free);
  g_signal_connect (row, "activated", G_CALLBACK (link_activated_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
}

static void
add_amends (CnDocumentDetail *self)
{
  g_auto(GStrv) amends = cn_record_dup_strv (self->document, "amends");
  g_autoptr(CnQuery) query = cn_query_new ("document");
  g_autoptr(GPtrArray) amended_by = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *group = NULL;

  for (guint i = 0; amends != NULL && amends[i] != NULL; i++)
    {
      g_autoptr(CnRecord) target = cn_store_get (self->store, amends[i], NULL);

      if (target == NULL)
        continue;
      if (group == NULL)
        group = new_group (self, _("Amends"));
      add_link_row (group, self, target);
    }

  cn_query_add_filter (query, "amends", CN_QUERY_CONTAINS, cn_record_get_id (self->document));
  cn_query_set_sort (query, "signed_on", TRUE);
  amended_by = cn_store_query (self->store, query, 0, 100, &error);
  if (amended_by == NULL)
    {
      cn_widget_toast (GTK_WIDGET (self), error->message);
      return;
    }
  group = NULL;
  for (guint i = 0; i < amended_by->len; i++)
    {
      if (group == NULL)
        group = new_group (self, _("Amended By"));
      add_link_row (group, self, g_ptr_array_index (amended_by, i));
    }
}

static void
add_attachments (CnDocumentDetail *self)
{
  JsonObject *data = cn_record_get_data (self->document);
  JsonArray *list;
  GtkWidget *group = NULL;

  if (data == NULL || !json_object_has_member (data, "attachments") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (data, "attachments")))
    return;

  list = json_object_get_array_member (data, "attachments");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      JsonObject *object;
      Attachment *attachment;
      GtkWidget *button;
      g_autofree char *escaped = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);

      attachment = g_new0 (Attachment, 1);
      attachment->self = self;
      attachment->name = g_strdup (json_object_get_string_member_with_default (object, "name", ""));
      attachment->sha256 = g_strdup (json_object_get_string_member_with_default (object, "sha256", ""));
      attachment->size = json_object_get_int_member_with_default (object, "size", 0);
      g_ptr_array_add (self->attachments, attachment);

      if (group == NULL)
        group = new_group (self, _("Attachments"));

      attachment->row = adw_action_row_new ();
      g_object_add_weak_pointer (G_OBJECT (attachment->row), (gpointer *) &attachment->row);
      escaped = g_markup_escape_text (attachment->name, -1);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (attachment->row), escaped);
      adw_action_row_add_prefix (ADW_ACTION_ROW (attachment->row),
                                 gtk_image_new_from_icon_name ("x-office-document-symbolic"));
      g_object_set_data (G_OBJECT (attachment->row), "cn-attachment", attachment);

      attachment->spinner = gtk_spinner_new ();
      gtk_widget_set_visible (attachment->spinner, FALSE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (attachment->row), attachment->spinner);

      button = gtk_button_new_from_icon_name ("document-save-as-symbolic");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Save a Copy…"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Save a Copy…"), -1);
      g_signal_connect_swapped (button, "clicked", G_CALLBACK (save_clicked_cb), attachment);
      adw_action_row_add_suffix (ADW_ACTION_ROW (attachment->row), button);

      button = gtk_button_new_from_icon_name ("document-open-symbolic");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Open"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Open"), -1);
      g_signal_connect_swapped (button, "clicked", G_CALLBACK (open_clicked_cb), attachment);
      adw_action_row_add_suffix (ADW_ACTION_ROW (attachment->row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (attachment->row), button);

      update_attachment_row (attachment);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), attachment->row);
    }
}

static void
add_criteria_sets (CnDocumentDetail *self)
{
  g_autoptr(CnQuery) query = cn_query_new ("criteria_set");
  g_autoptr(GPtrArray) sets = NULL;
  g_autoptr(GError) error = NULL;

  cn_query_add_filter (query, "document_id", CN_QUERY_EQ, cn_record_get_id (self->document));
  sets = cn_store_query (self->store, query, 0, 20, &error);
  if (sets == NULL)
    {
      cn_widget_toast (GTK_WIDGET (self), error->message);
      return;
    }
  for (guint i = 0; i < sets->len; i++)
    {
      GtkWidget *view = cn_criteria_view_new ();

      cn_criteria_view_set_criteria_set (CN_CRITERIA_VIEW (view), g_ptr_array_index (sets, i));
      gtk_box_append (self->groups, view);
    }
}

static void
clear_groups (CnDocumentDetail *self)
{
  GtkWidget *child;

  g_ptr_array_set_size (self->attachments, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups))) != NULL)
    gtk_box_remove (self->groups, child);
}

void
cn_document_detail_set_context (CnDocumentDetail *self,
                                CnStore          *store,
                                CnSyncClient     *client)
{
  g_return_if_fail (CN_IS_DOCUMENT_DETAIL (self));

  g_set_object (&self->store, store);
  g_set_object (&self->sync_client, client);
  g_clear_pointer (&self->files_dir, g_free);
  if (store != NULL)
    self->files_dir = cn_store_dup_files_dir (store);
}

/**
 * cn_document_detail_set_document:
 * @document: (nullable): the document, or %NULL for the empty state
 */
void
cn_document_detail_set_document (CnDocumentDetail *self,
                                 CnRecord         *document)
{
  GtkWidget *group;
  const char *summary;
  const char *url;

  g_return_if_fail (CN_IS_DOCUMENT_DETAIL (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  clear_groups (self);
  g_set_object (&self->document, document);
  if (document == NULL || self->store == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      gtk_widget_set_sensitive (GTK_WIDGET (self->website_button), FALSE);
      return;
    }

  gtk_label_set_label (self->number_label, cn_record_get_string (document, "number") ?: "");
  gtk_label_set_label (self->title_label, cn_record_get_string (document, "title") ?: cn_record_get_title (document));
  gtk_widget_set_visible (GTK_WIDGET (self->sample_label),
                          cn_store_is_sample (self->store, cn_record_get_id (document)));
  url = cn_record_get_string (document, "source_url");
  gtk_widget_set_sensitive (GTK_WIDGET (self->website_button), url != NULL && *url != '\0');

  group = new_group (self, NULL);
  add_field_row (group, _("Number"), cn_record_get_string (document, "number"));
  add_field_row (group, _("Document type"), cn_record_get_string (document, "doc_type"));
  add_field_row (group, _("Issuer"), cn_record_get_string (document, "issuer"));
  /* Translators: a document's field of work (lĩnh vực), such as OCOP. */
  add_field_row (group, C_("document", "Field"), cn_record_get_string (document, "field"));
  add_date_row (group, _("Signed on"), cn_record_get_string (document, "signed_on"));
  add_date_row (group, _("Effective on"), cn_record_get_string (document, "effective_on"));
  add_date_row (group, _("Expires on"), cn_record_get_string (document, "expires_on"));
  add_field_row (group, _("Signer"), cn_record_get_string (document, "signer"));

  summary = cn_record_get_string (document, "summary");
  if (summary != NULL && *summary != '\0')
    {
      GtkWidget *label = gtk_label_new (summary);

      group = new_group (self, _("Summary"));
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), label);
    }

  add_attachments (self);
  add_amends (self);
  add_criteria_sets (self);

  gtk_stack_set_visible_child_name (self->stack, "document");
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

/**
 * cn_document_detail_get_document:
 *
 * Returns: (transfer none) (nullable): the document shown
 */
CnRecord *
cn_document_detail_get_document (CnDocumentDetail *self)
{
  g_return_val_if_fail (CN_IS_DOCUMENT_DETAIL (self), NULL);

  return self->document;
}

void
cn_document_detail_set_back_visible (CnDocumentDetail *self,
                                     gboolean          visible)
{
  g_return_if_fail (CN_IS_DOCUMENT_DETAIL (self));

  gtk_widget_set_visible (GTK_WIDGET (self->back_button), visible);
}

static void
cn_document_detail_dispose (GObject *object)
{
  CnDocumentDetail *self = CN_DOCUMENT_DETAIL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->attachments != NULL)
    g_ptr_array_set_size (self->attachments, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), CN_TYPE_DOCUMENT_DETAIL);
  g_clear_object (&self->document);
  g_clear_object (&self->store);
  g_clear_object (&self->sync_client);

  G_OBJECT_CLASS (cn_document_detail_parent_class)->dispose (object);
}

static void
cn_document_detail_finalize (GObject *object)
{
  CnDocumentDetail *self = CN_DOCUMENT_DETAIL (object);

  g_clear_pointer (&self->attachments, g_ptr_array_unref);
  g_free (self->files_dir);

  G_OBJECT_CLASS (cn_document_detail_parent_class)->finalize (object);
}

static void
cn_document_detail_class_init (CnDocumentDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cn_document_detail_dispose;
  object_class->finalize = cn_document_detail_finalize;

  /**
   * CnDocumentDetail::show-document:
   * @id: the document to show
   *
   * A document this one amends, or one amending it, was activated.
   */
  signals[SHOW_DOCUMENT] =
    g_signal_new ("show-document", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/hatinh/nongthonmoi/CauNoi/cn-document-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, CnDocumentDetail, back_button);
  gtk_widget_class_bind_template_child (widget_class, CnDocumentDetail, website_button);
  gtk_widget_class_bind_template_child (widget_class, CnDocumentDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, CnDocumentDetail, scroller);
  gtk_widget_class_bind_template_child (widget_class, CnDocumentDetail, number_label);
  gtk_widget_class_bind_template_child (widget_class, CnDocumentDetail, sample_label);
  gtk_widget_class_bind_template_child (widget_class, CnDocumentDetail, title_label);
  gtk_widget_class_bind_template_child (widget_class, CnDocumentDetail, groups);
}

static void
cn_document_detail_init (CnDocumentDetail *self)
{
  self->attachments = g_ptr_array_new_with_free_func (attachment_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->website_button), FALSE);
}

GtkWidget *
cn_document_detail_new (void)
{
  return g_object_new (CN_TYPE_DOCUMENT_DETAIL, NULL);
}
