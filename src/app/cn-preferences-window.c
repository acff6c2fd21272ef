/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi"

#include "config.h"

#include <glib/gi18n.h>

#include "cn-error.h"
#include "cn-preferences-window.h"
#include "cn-widget-util.h"

/* Preferences: a Server page (address, signing in and out, sync interval, downloading
 * ahead) and a General page (style). Settings are saved as they change, except the server
 * address, which is checked and saved when applied. */
struct _CnPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  CnSyncClient         *sync_client;
  GCancellable         *cancellable;

  AdwEntryRow          *server_url_row;
  AdwActionRow         *sync_interval_row;
  GtkSpinButton        *sync_interval_spin;
  AdwActionRow         *download_ahead_row;
  GtkSwitch            *download_ahead_switch;
  AdwPreferencesGroup  *account_group;
  GtkButton            *sign_in_button;
  GtkButton            *sign_out_button;
  AdwEntryRow          *username_row;
  AdwPasswordEntryRow  *password_row;
  AdwActionRow         *signed_in_row;
  AdwComboRow          *style_row;
};

G_DEFINE_FINAL_TYPE (CnPreferencesWindow, cn_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The order of the style row's items. */
static const char * const color_schemes[] = { "default", "light", "dark" };

/* Checks what the user typed as the server's address. Returns it in normal form (scheme and
 * host in lower case, a path that ends with "/"), "" for an empty text (no server: the local
 * store only), or NULL with a translated CN_ERROR_INVALID error. */
char *
cn_preferences_parse_server_url (const char  *text,
                                 GError     **error)
{
  g_autofree char *stripped = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) normal = NULL;
  g_autofree char *path = NULL;
  const char *scheme;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stripped = g_strstrip (g_strdup (text));
  if (*stripped == '\0')
    return g_strdup ("");

  uri = g_uri_parse (stripped, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL
      || (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
      || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || g_uri_get_userinfo (uri) != NULL
      || g_uri_get_query (uri) != NULL
      || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("“%s” is not a server address. Type the address the office gave you, "
                     "starting with https://, for example https://caunoi.example.vn/"),
                   stripped);
      return NULL;
    }

  path = g_str_has_suffix (g_uri_get_path (uri), "/")
    ? g_strdup (g_uri_get_path (uri))
    : g_strconcat (g_uri_get_path (uri), "/", NULL);
  {
    g_autofree char *lower_scheme = g_ascii_strdown (scheme, -1);
    g_autofree char *lower_host = g_ascii_strdown (g_uri_get_host (uri), -1);

    normal = g_uri_build (G_URI_FLAGS_NONE, lower_scheme, NULL, lower_host,
                          g_uri_get_port (uri), path, NULL, NULL);
  }
  return g_uri_to_string (normal);
}

static void
server_url_apply_cb (CnPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  url = cn_preferences_parse_server_url (gtk_editable_get_text (GTK_EDITABLE (self->server_url_row)),
                                         &error);
  if (url == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->server_url_row), "error");
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        cn_widget_toast_new (error->message));
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->server_url_row), "error");
  gtk_editable_set_text (GTK_EDITABLE (self->server_url_row), url);
  g_settings_set_string (self->settings, "server-url", url);
}

static void
server_url_changed_cb (CnPreferencesWindow *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->server_url_row), "error");
}

/* Shows the sign-in fields or who is signed in, and which button applies. */
static void
update_account (CnPreferencesWindow *self)
{
  gboolean signed_in;
  gboolean busy = self->cancellable != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->account_group), self->sync_client != NULL);
  if (self->sync_client == NULL)
    return;

  signed_in = cn_sync_client_get_signed_in (self->sync_client);
  gtk_widget_set_visible (GTK_WIDGET (self->username_row), !signed_in);
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), !signed_in);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_button), !signed_in);
  gtk_widget_set_visible (GTK_WIDGET (self->signed_in_row), signed_in);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_out_button), signed_in);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_out_button), !busy);

  if (signed_in)
    {
      g_autofree char *username = cn_sync_client_dup_username (self->sync_client);
      g_autofree char *url = cn_sync_client_dup_server_url (self->sync_client);
      g_autofree char *title = g_strdup_printf (_("Signed in as %s"), username);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->signed_in_row), title);
      adw_action_row_set_subtitle (self->signed_in_row, url);
    }
}

static void sign_in (CnPreferencesWindow *self,
                     const char          *accept_certificate);

static void
certificate_response_cb (AdwMessageDialog    *dialog,
                         const char          *response,
                         CnPreferencesWindow *self)
{
  g_autofree char *fingerprint = g_strdup (g_object_get_data (G_OBJECT (dialog), "fingerprint"));

  if (g_strcmp0 (response, "trust") == 0)
    sign_in (self, fingerprint);
}

/* A certificate the system does not trust: the user may accept it, once the office has
 * confirmed its fingerprint. */
static void
ask_about_certificate (CnPreferencesWindow *self,
                       const char          *message)
{
  const char *fingerprint = cn_sync_client_get_presented_certificate (self->sync_client);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Trust This Server?"), message));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "trust", _("_Trust and Sign In"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "trust", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "fingerprint", g_strdup (fingerprint), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (certificate_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sign_in_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CnPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  cn_sync_client_login_finish (CN_SYNC_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  if (g_error_matches (error, CN_ERROR, CN_ERROR_CERTIFICATE)
      && cn_sync_client_get_presented_certificate (self->sync_client) != NULL)
    ask_about_certificate (self, error->message);
  else if (error != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                      cn_widget_toast_new (error->message));
  else
    gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  update_account (self);
}

static void
sign_in (CnPreferencesWindow *self,
         const char          *accept_certificate)
{
  g_autofree char *url = g_settings_get_string (self->settings, "server-url");
  const char *username = gtk_editable_get_text (GTK_EDITABLE (self->username_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  if (self->sync_client == NULL || self->cancellable != NULL)
    return;
  if (*url == '\0')
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        cn_widget_toast_new (_("Enter the server address first, then sign in.")));
      gtk_widget_grab_focus (GTK_WIDGET (self->server_url_row));
      return;
    }
  self->cancellable = g_cancellable_new ();
  cn_sync_client_login_async (self->sync_client, url, username, password, accept_certificate,
                              self->cancellable, sign_in_done_cb, g_object_ref (self));
  update_account (self);
}

static void
sign_in_clicked_cb (CnPreferencesWindow *self)
{
  sign_in (self, NULL);
}

static void
sign_out_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CnPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The sign-in is forgotten here even when the server could not be told. */
  cn_sync_client_logout_finish (CN_SYNC_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  if (error != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                      cn_widget_toast_new (error->message));
  update_account (self);
}

static void
sign_out_clicked_cb (CnPreferencesWindow *self)
{
  if (self->sync_client == NULL || self->cancellable != NULL)
    return;
  self->cancellable = g_cancellable_new ();
  cn_sync_client_logout_async (self->sync_client, self->cancellable, sign_out_done_cb,
                               g_object_ref (self));
  update_account (self);
}

/* GTK 4.8 names an icon-only button "GtkImage" for screen readers; libadwaita's own "show
 * text" button in the password row is one. Name such buttons after their tooltips. */
static void
name_icon_buttons (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *tooltip = gtk_widget_get_tooltip_text (child);

      if (GTK_IS_BUTTON (child) && gtk_button_get_label (GTK_BUTTON (child)) == NULL
          && tooltip != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                        -1);
      name_icon_buttons (child);
    }
}

static gboolean
style_index_from_setting (GValue   *value,
                          GVariant *variant,
                          gpointer  user_data)
{
  const char *scheme = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (color_schemes); i++)
    if (g_strcmp0 (scheme, color_schemes[i]) == 0)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
style_index_to_setting (const GValue       *value,
                        const GVariantType *expected_type,
                        gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  if (i >= G_N_ELEMENTS (color_schemes))
    return NULL;
  return g_variant_new_string (color_schemes[i]);
}

static void
cn_preferences_window_dispose (GObject *object)
{
  CnPreferencesWindow *self = CN_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->sync_client != NULL)
    g_signal_handlers_disconnect_by_func (self->sync_client, update_account, self);
  g_clear_object (&self->sync_client);
  gtk_widget_dispose_template (GTK_WIDGET (self), CN_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cn_preferences_window_parent_class)->dispose (object);
}

static void
cn_preferences_window_class_init (CnPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cn_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/hatinh/nongthonmoi/CauNoi/cn-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CnPreferencesWindow, server_url_row);
  gtk_widget_class_bind_template_child (widget_class, CnPreferencesWindow, sync_interval_row);
  gtk_widget_class_bind_template_child (widget_class, CnPreferencesWindow, sync_interval_spin);
  gtk_widget_class_bind_template_child (widget_class, CnPreferencesWindow, download_ahead_row);
  gtk_widget_class_bind_template_child (widget_class, CnPreferencesWindow, download_ahead_switch);
  gtk_widget_class_bind_template_child (widget_class, CnPreferencesWindow, account_group);
  gtk_widget_class_bind_template_child (widget_class, CnPreferencesWindow, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, CnPreferencesWindow, sign_out_button);
  gtk_widget_class_bind_template_child (widget_class, CnPreferencesWindow, username_row);
  gtk_widget_class_bind_template_child (widget_class, CnPreferencesWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, CnPreferencesWindow, signed_in_row);
  gtk_widget_class_bind_template_child (widget_class, CnPreferencesWindow, style_row);
  gtk_widget_class_bind_template_callback (widget_class, server_url_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, server_url_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_out_clicked_cb);
}

static void
cn_preferences_window_init (CnPreferencesWindow *self)
{
  g_autofree char *url = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* GTK 4.8 does not name a widget after the row that labels it: screen readers would say
   * "GtkSwitch". */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sync_interval_spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->sync_interval_row)),
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->download_ahead_switch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->download_ahead_row)),
                                  -1);

  name_icon_buttons (GTK_WIDGET (self->password_row));

  self->settings = g_settings_new (CN_SETTINGS_SCHEMA_ID);

  url = g_settings_get_string (self->settings, "server-url");
  gtk_editable_set_text (GTK_EDITABLE (self->server_url_row), url);
  /* Setting the text shows the apply button; nothing is to be applied yet. */
  server_url_changed_cb (self);

  g_settings_bind (self->settings, "sync-interval",
                   gtk_spin_button_get_adjustment (self->sync_interval_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "download-attachments-ahead",
                   self->download_ahead_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "color-scheme",
                                self->style_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                style_index_from_setting, style_index_to_setting,
                                NULL, NULL);
}

/* @sync_client (nullable): signs in and out through it; without one the account group is
 * hidden. */
CnPreferencesWindow *
cn_preferences_window_new (CnSyncClient *sync_client)
{
  CnPreferencesWindow *self;

  g_return_val_if_fail (sync_client == NULL || CN_IS_SYNC_CLIENT (sync_client), NULL);

  self = g_object_new (CN_TYPE_PREFERENCES_WINDOW, NULL);
  if (sync_client != NULL)
    {
      self->sync_client = g_object_ref (sync_client);
      g_signal_connect_object (sync_client, "notify::signed-in", G_CALLBACK (update_account),
                               self, G_CONNECT_SWAPPED);
      if (gtk_editable_get_text (GTK_EDITABLE (self->username_row))[0] == '\0')
        {
          g_autofree char *username = cn_sync_client_dup_username (sync_client);

          gtk_editable_set_text (GTK_EDITABLE (self->username_row), username ? username : "");
        }
    }
  update_account (self);
  return self;
}
