/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi"

#include "config.h"

#include <glib/gi18n.h>

#include "cn-error.h"
#include "cn-preferences-window.h"

/* Preferences: a Server page (address, sync interval, downloading ahead; the account group
 * is for logging in and out) and a General page (style). Settings are saved as they change,
 * except the server address, which is checked and saved when applied. */
struct _CnPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  AdwEntryRow          *server_url_row;
  AdwActionRow         *sync_interval_row;
  GtkSpinButton        *sync_interval_spin;
  AdwActionRow         *download_ahead_row;
  GtkSwitch            *download_ahead_switch;
  AdwPreferencesGroup  *account_group;
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
                                        adw_toast_new (error->message));
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
  gtk_widget_class_bind_template_child (widget_class, CnPreferencesWindow, style_row);
  gtk_widget_class_bind_template_callback (widget_class, server_url_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, server_url_changed_cb);
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

CnPreferencesWindow *
cn_preferences_window_new (void)
{
  return g_object_new (CN_TYPE_PREFERENCES_WINDOW, NULL);
}
