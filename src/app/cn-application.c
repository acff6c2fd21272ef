/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi"

#include "config.h"

#include <glib/gi18n.h>

#include "cn-application.h"
#include "cn-preferences-window.h"
#include "cn-store-sample.h"
#include "cn-window.h"
#include "cn-widget-util.h"

/* The application owns the one client store of the user ($XDG_DATA_HOME/caunoi/) and the
 * sync client on it; windows hand both to their sections, and nothing else opens the file
 * for the window (a sample load and the sync worker use connections of their own). It also
 * runs the periodic sync. */
struct _CnApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  CnStore        *store;
  CnSyncClient   *sync_client;
  guint           sync_timeout_id;
  /* At most one preferences window; a weak pointer, the window owns itself. */
  GtkWindow      *preferences;
};

G_DEFINE_FINAL_TYPE (CnApplication, cn_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SYNC_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* NULL when the database could not be opened: the sections then say why. */
CnStore *
cn_application_get_store (CnApplication *self)
{
  g_return_val_if_fail (CN_IS_APPLICATION (self), NULL);

  return self->store;
}

CnSyncClient *
cn_application_get_sync_client (CnApplication *self)
{
  g_return_val_if_fail (CN_IS_APPLICATION (self), NULL);

  return self->sync_client;
}

static void
periodic_sync_done_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(CnSyncSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  /* A failure is kept by the client as its last-error, which the sync button shows. */
  summary = cn_sync_client_sync_finish (CN_SYNC_CLIENT (source), result, &error);
  if (summary == NULL)
    g_debug ("Periodic sync failed: %s", error->message);
}

static gboolean
periodic_sync_cb (gpointer user_data)
{
  CnApplication *self = CN_APPLICATION (user_data);

  if (self->sync_client != NULL && cn_sync_client_get_signed_in (self->sync_client)
      && !cn_sync_client_get_syncing (self->sync_client))
    cn_sync_client_sync_async (self->sync_client, NULL, periodic_sync_done_cb, NULL);
  return G_SOURCE_CONTINUE;
}

static void
sync_interval_changed_cb (CnApplication *self)
{
  guint minutes = g_settings_get_uint (self->settings, "sync-interval");

  g_clear_handle_id (&self->sync_timeout_id, g_source_remove);
  if (self->sync_client != NULL)
    self->sync_timeout_id = g_timeout_add_seconds (minutes * 60, periodic_sync_cb, self);
}

static gboolean
open_store (CnApplication  *self,
            GError        **error)
{
  g_autofree char *path = cn_store_dup_default_path ();

  self->store = cn_store_open (path, error);
  if (self->store == NULL)
    return FALSE;
  self->sync_client = cn_sync_client_new (self->store);
  g_settings_bind (self->settings, "download-attachments-ahead",
                   self->sync_client, "download-ahead", G_SETTINGS_BIND_GET);
  g_signal_connect_swapped (self->settings, "changed::sync-interval",
                            G_CALLBACK (sync_interval_changed_cb), self);
  sync_interval_changed_cb (self);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                            "load-sample")),
                               TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_CLIENT]);
  return TRUE;
}

/**
 * cn_application_ensure_store:
 * @error: why the store could not be opened
 *
 * The user's store, opened now if it could not be at start-up (a section's Retry), with its
 * sync client.
 *
 * Returns: (transfer none) (nullable): the store, or %NULL with @error set
 */
CnStore *
cn_application_ensure_store (CnApplication  *self,
                             GError        **error)
{
  g_return_val_if_fail (CN_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  /* Started: the settings the sync client follows are there. */
  g_return_val_if_fail (self->settings != NULL, NULL);

  if (self->store == NULL)
    open_store (self, error);
  return self->store;
}

typedef struct {
  guint n_records;
  guint n_files;
} SampleLoaded;

/* In a worker thread, on its own connection: every connection to the file hears of the
 * change, so the sections show the records when it is done. */
static void
load_sample_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(CnStore) store = NULL;
  g_autoptr(GError) error = NULL;
  SampleLoaded *loaded = g_new0 (SampleLoaded, 1);

  store = cn_store_open (path, &error);
  if (store == NULL
      || !cn_store_load_sample_dir (store, NULL, &loaded->n_records, &loaded->n_files, &error))
    {
      g_free (loaded);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, loaded, g_free);
}

static void
toast (CnApplication *self,
       const char    *message)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (CN_IS_WINDOW (window))
    cn_window_add_toast (CN_WINDOW (window), cn_widget_toast_new (message));
}

static void
load_sample_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CnApplication *self = CN_APPLICATION (source);
  g_autofree SampleLoaded *loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  loaded = g_task_propagate_pointer (G_TASK (result), &error);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                            "load-sample")),
                               TRUE);
  if (loaded == NULL)
    message = g_strdup_printf (_("Could not load the sample data: %s"), error->message);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Sample data loaded: %u record",
                                            "Sample data loaded: %u records",
                                            loaded->n_records),
                               loaded->n_records);
  toast (self, message);
}

/* The sample data of data/sample (marked as sample: never sent to a server), for a first
 * look without a server. */
static void
load_sample_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  CnApplication *self = CN_APPLICATION (user_data);
  g_autoptr(GTask) task = NULL;

  if (self->store == NULL)
    return;
  g_simple_action_set_enabled (action, FALSE);
  task = g_task_new (self, NULL, load_sample_done_cb, NULL);
  g_task_set_source_tag (task, load_sample_action_cb);
  g_task_set_task_data (task, g_strdup (cn_store_get_path (self->store)), g_free);
  g_task_run_in_thread (task, load_sample_thread);
}

static const struct {
  const char *action;
  const char *accels[3];
} app_accels[] = {
  { "app.preferences", { "<Control>comma", NULL } },
  { "app.quit", { "<Control>q", NULL } },
  { "window.close", { "<Control>w", NULL } },
  { "win.show-help-overlay", { "<Control>question", NULL } },
  { "win.show-section::articles", { "<Alt>1", NULL } },
  { "win.show-section::documents", { "<Alt>2", NULL } },
  { "win.show-section::delegations", { "<Alt>3", NULL } },
  { "win.sync", { "<Control>r", NULL } },
};

/* The "color-scheme" setting holds default, light or dark. */
static gboolean
color_scheme_from_setting (GValue   *value,
                           GVariant *variant,
                           gpointer  user_data)
{
  const char *scheme = g_variant_get_string (variant, NULL);

  if (g_strcmp0 (scheme, "light") == 0)
    g_value_set_enum (value, ADW_COLOR_SCHEME_FORCE_LIGHT);
  else if (g_strcmp0 (scheme, "dark") == 0)
    g_value_set_enum (value, ADW_COLOR_SCHEME_FORCE_DARK);
  else
    g_value_set_enum (value, ADW_COLOR_SCHEME_DEFAULT);
  return TRUE;
}

void
cn_application_show_preferences (CnApplication *self,
                                 const char    *page_name)
{
  GtkWindow *parent;

  g_return_if_fail (CN_IS_APPLICATION (self));

  parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (self->preferences == NULL)
    {
      self->preferences = GTK_WINDOW (cn_preferences_window_new (self->sync_client));
      g_object_add_weak_pointer (G_OBJECT (self->preferences), (gpointer *) &self->preferences);
      gtk_window_set_application (self->preferences, GTK_APPLICATION (self));
    }
  if (parent != NULL && parent != self->preferences)
    gtk_window_set_transient_for (self->preferences, parent);
  if (page_name != NULL)
    adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (self->preferences),
                                                  page_name);
  gtk_window_present (self->preferences);
}

static void
preferences_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  cn_application_show_preferences (CN_APPLICATION (user_data), NULL);
}

static void
server_settings_action_cb (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  cn_application_show_preferences (CN_APPLICATION (user_data), "server");
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  CnApplication *self = CN_APPLICATION (user_data);
  AdwAboutWindow *about;

  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  g_object_set (about,
                "application-name", _("Cầu Nối"),
                "application-icon", APPLICATION_ID,
                "developer-name", _("New Rural Development Coordination Office, Hà Tĩnh"),
                "version", PACKAGE_VERSION,
                "comments", _("Articles, documents and working delegations of the National "
                              "Target Program on New Rural Development, online or offline."),
                "website", "https://nongthonmoi.hatinh.gov.vn/",
                "support-url", "mailto:nongthonmoitinhhatinh@gmail.com",
                "issue-url", "https://nongthonmoi.hatinh.gov.vn/caunoi/issues",
                "copyright", _("© 2026 New Rural Development Coordination Office, Hà Tĩnh"),
                "license-type", GTK_LICENSE_GPL_3_0,
                /* Translators: your names and e-mail addresses, one per line. */
                "translator-credits", _("translator-credits"),
                "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                "application", self,
                NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  CnApplication *self = CN_APPLICATION (user_data);
  GList *windows;

  /* Close the windows one by one, so that each saves its state. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (self))) != NULL)
    gtk_window_destroy (GTK_WINDOW (windows->data));
  g_application_quit (G_APPLICATION (self));
}

static const GActionEntry app_actions[] = {
  { .name = "preferences", .activate = preferences_action_cb },
  { .name = "server-settings", .activate = server_settings_action_cb },
  { .name = "about", .activate = about_action_cb },
  { .name = "quit", .activate = quit_action_cb },
  { .name = "load-sample", .activate = load_sample_action_cb },
};

static void
cn_application_startup (GApplication *app)
{
  CnApplication *self = CN_APPLICATION (app);
  AdwStyleManager *style_manager;
  g_autoptr(GError) error = NULL;

  G_APPLICATION_CLASS (cn_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (gsize i = 0; i < G_N_ELEMENTS (app_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), app_accels[i].action,
                                           app_accels[i].accels);

  self->settings = g_settings_new (CN_SETTINGS_SCHEMA_ID);
  style_manager = adw_style_manager_get_default ();
  g_settings_bind_with_mapping (self->settings, "color-scheme",
                                style_manager, "color-scheme",
                                G_SETTINGS_BIND_GET,
                                color_scheme_from_setting, NULL, NULL, NULL);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                            "load-sample")),
                               FALSE);
  if (!open_store (self, &error))
    /* The sections report it where the user looks for their data, with a Retry. */
    g_debug ("Could not open the store: %s", error->message);
}

static void
cn_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (cn_window_new (CN_APPLICATION (app)));
      /* Opening the window is when a clerk wants the latest: sync once, then on schedule. */
      periodic_sync_cb (app);
    }
  gtk_window_present (window);
}

static void
cn_application_dispose (GObject *object)
{
  CnApplication *self = CN_APPLICATION (object);

  if (self->preferences != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->preferences),
                                    (gpointer *) &self->preferences);
      self->preferences = NULL;
    }
  g_clear_handle_id (&self->sync_timeout_id, g_source_remove);
  g_clear_object (&self->sync_client);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cn_application_parent_class)->dispose (object);
}

static void
cn_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CnApplication *self = CN_APPLICATION (object);

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
cn_application_class_init (CnApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = cn_application_dispose;
  object_class->get_property = cn_application_get_property;
  app_class->startup = cn_application_startup;
  app_class->activate = cn_application_activate;

  /**
   * CnApplication:store: (nullable)
   *
   * The user's client store, opened at start-up; NULL if it could not be opened.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CN_TYPE_STORE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CnApplication:sync-client: (nullable)
   *
   * The sync client on #CnApplication:store.
   */
  properties[PROP_SYNC_CLIENT] =
    g_param_spec_object ("sync-client", NULL, NULL, CN_TYPE_SYNC_CLIENT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cn_application_init (CnApplication *self)
{
}

CnApplication *
cn_application_new (void)
{
  return g_object_new (CN_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/vn/gov/hatinh/nongthonmoi/CauNoi",
                       NULL);
}
