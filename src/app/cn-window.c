/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi"

#include "config.h"

#include <glib/gi18n.h>

#include "cn-articles-view.h"
#include "cn-delegations-view.h"
#include "cn-documents-view.h"
#include "cn-window.h"
#include "cn-widget-util.h"

/* The main window: a header bar with the section switcher, the sync button and the primary
 * menu over an AdwViewStack holding one page per section. Each page holds the section's own
 * widget (CnArticlesView, CnDocumentsView, CnDelegationsView), each in its own file, made
 * with its store and sync client when the page is first shown: a section not looked at
 * costs nothing at start-up (the Documents table alone was a tenth of it). */
struct _CnWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *stack;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  GtkButton            *sync_button;
  AdwBin               *articles_page;
  AdwBin               *documents_page;
  AdwBin               *delegations_page;
  /* Set at the end of init: the stack shows its first page while the template is built,
   * before the settings say which section to show. */
  gboolean              sections_ready;

  CnSyncClient         *sync_client;
  GCancellable         *cancellable;
};

#define HELP_OVERLAY_RESOURCE "/vn/gov/hatinh/nongthonmoi/CauNoi/help-overlay.ui"

G_DEFINE_FINAL_TYPE (CnWindow, cn_window, ADW_TYPE_APPLICATION_WINDOW)

static const char * const section_names[] = { "articles", "documents", "delegations" };

static gboolean
is_section_name (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (section_names); i++)
    if (g_strcmp0 (name, section_names[i]) == 0)
      return TRUE;
  return FALSE;
}

static AdwBin *
section_page (CnWindow   *self,
              const char *section)
{
  if (g_str_equal (section, "articles"))
    return self->articles_page;
  if (g_str_equal (section, "documents"))
    return self->documents_page;
  return self->delegations_page;
}

static GType
section_type (const char *section)
{
  if (g_str_equal (section, "articles"))
    return CN_TYPE_ARTICLES_VIEW;
  if (g_str_equal (section, "documents"))
    return CN_TYPE_DOCUMENTS_VIEW;
  return CN_TYPE_DELEGATIONS_VIEW;
}

/* The window's application, or while it has none yet (it is set after construction) the
 * running one. */
static CnApplication *
find_application (CnWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GApplication *running = g_application_get_default ();

  if (CN_IS_APPLICATION (app))
    return CN_APPLICATION (app);
  return CN_IS_APPLICATION (running) ? CN_APPLICATION (running) : NULL;
}

static void give_section_data (GtkWidget     *section,
                               CnApplication *app);

/* Makes the section the first time it is asked for, with its data before it is in the
 * window, so that it reads its records once. */
static GtkWidget *
ensure_section (CnWindow   *self,
                const char *section)
{
  AdwBin *page = section_page (self, section);
  CnApplication *app;
  GtkWidget *widget;

  widget = adw_bin_get_child (page);
  if (widget != NULL)
    return widget;
  widget = g_object_new (section_type (section), NULL);
  app = find_application (self);
  if (app != NULL)
    give_section_data (widget, app);
  adw_bin_set_child (page, widget);
  return widget;
}

const char *
cn_window_get_visible_section (CnWindow *self)
{
  g_return_val_if_fail (CN_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->stack);
}

void
cn_window_set_visible_section (CnWindow   *self,
                               const char *section)
{
  g_return_if_fail (CN_IS_WINDOW (self));
  g_return_if_fail (is_section_name (section));

  adw_view_stack_set_visible_child_name (self->stack, section);
}

/* Returns the widget of a section ("articles", "documents" or "delegations"), owned by the
 * window; a section not shown yet is made now. */
GtkWidget *
cn_window_get_section (CnWindow   *self,
                       const char *section)
{
  g_return_val_if_fail (CN_IS_WINDOW (self), NULL);
  g_return_val_if_fail (is_section_name (section), NULL);

  return ensure_section (self, section);
}

/* Whether the section has been made: it is when first shown or asked for. */
gboolean
cn_window_has_section (CnWindow   *self,
                       const char *section)
{
  g_return_val_if_fail (CN_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (is_section_name (section), FALSE);

  return adw_bin_get_child (section_page (self, section)) != NULL;
}

void
cn_window_add_toast (CnWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (CN_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_section_change_state_cb (GSimpleAction *action,
                              GVariant      *state,
                              gpointer       user_data)
{
  CnWindow *self = CN_WINDOW (user_data);
  const char *name = g_variant_get_string (state, NULL);

  if (!is_section_name (name))
    {
      g_debug ("No section named “%s”", name);
      return;
    }
  /* The action's state follows the stack, see visible_child_changed_cb. */
  adw_view_stack_set_visible_child_name (self->stack, name);
}

static void
sync_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CnWindow) self = user_data;
  g_autoptr(CnSyncSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  summary = cn_sync_client_sync_finish (CN_SYNC_CLIENT (source), result, &error);
  /* Cancelled, or finished just as the window went away. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->toast_overlay == NULL)
    return;
  if (summary == NULL)
    message = g_strdup_printf (_("Sync failed: %s"), error->message);
  else if (summary->conflicts > 0)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Synced; %u conflict waits for you",
                                            "Synced; %u conflicts wait for you",
                                            summary->conflicts),
                               summary->conflicts);
  else
    message = g_strdup (_("Synced"));
  cn_window_add_toast (self, cn_widget_toast_new (message));
}

/* Signed in: sync now. Not signed in: the honest thing the sync button can do is to lead
 * to the place where a server is set up. */
static void
sync_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  CnWindow *self = CN_WINDOW (user_data);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (self->sync_client != NULL && cn_sync_client_get_signed_in (self->sync_client))
    {
      if (!cn_sync_client_get_syncing (self->sync_client))
        cn_sync_client_sync_async (self->sync_client, self->cancellable, sync_done_cb,
                                   g_object_ref (self));
      return;
    }
  if (app != NULL)
    cn_application_show_preferences (CN_APPLICATION (app), "server");
}

/* The keyboard shortcuts window, built the first time it is asked for (GtkApplication
 * builds one with every window when it is named gtk/help-overlay.ui). The window keeps it
 * (hidden when closed) and shows the accelerators of its actions in it. */
static void
show_help_overlay_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (user_data);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (HELP_OVERLAY_RESOURCE);

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, overlay);
    }
  gtk_window_present (GTK_WINDOW (overlay));
}

static const GActionEntry win_actions[] = {
  { .name = "show-section", .parameter_type = "s", .state = "'articles'",
    .change_state = show_section_change_state_cb },
  { .name = "sync", .activate = sync_action_cb },
  { .name = "show-help-overlay", .activate = show_help_overlay_cb },
};

static void
visible_child_changed_cb (CnWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->stack);
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "show-section");

  if (self->sections_ready && is_section_name (name))
    ensure_section (self, name);
  if (name != NULL && action != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (name));
}

/* What a running sync is doing, with its counts where it knows them. */
static char *
describe_sync_progress (CnSyncClient *client)
{
  guint done = cn_sync_client_get_done (client);
  guint total = cn_sync_client_get_total (client);

  switch (cn_sync_client_get_phase (client))
    {
    case CN_SYNC_PHASE_PUSHING:
      if (total > 0)
        /* Translators: edits sent so far, of all edits to send */
        return g_strdup_printf (_("Syncing: sending edits, %u of %u"), done, total);
      return g_strdup (_("Syncing: sending edits…"));
    case CN_SYNC_PHASE_PULLING:
      if (done > 0)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Syncing: %u change received",
                                             "Syncing: %u changes received",
                                             done),
                                done);
      return g_strdup (_("Syncing: receiving changes…"));
    case CN_SYNC_PHASE_FILES:
      if (total > 0)
        return g_strdup_printf (_("Syncing: files, %u of %u"), done, total);
      return g_strdup (_("Syncing: files…"));
    case CN_SYNC_PHASE_INDEXING:
      if (total > 0)
        return g_strdup_printf (_("Syncing: preparing search, %u of %u"), done, total);
      return g_strdup (_("Syncing: preparing search…"));
    case CN_SYNC_PHASE_IDLE:
    default:
      return g_strdup (_("Syncing…"));
    }
}

/* The sync button tells the sync state as its icon, its tooltip and its accessible
 * description. */
static void
update_sync_button (CnWindow *self)
{
  CnSyncClient *client = self->sync_client;
  g_autofree char *status = NULL;
  const char *icon_name;

  if (client == NULL || !cn_sync_client_get_signed_in (client))
    {
      icon_name = "network-offline-symbolic";
      status = g_strdup (_("Not connected to a server"));
    }
  else if (cn_sync_client_get_syncing (client))
    {
      icon_name = "emblem-synchronizing-symbolic";
      status = describe_sync_progress (client);
    }
  else if (!g_network_monitor_get_network_available (g_network_monitor_get_default ()))
    {
      guint pending = cn_sync_client_get_pending_count (client);

      icon_name = "network-offline-symbolic";
      if (pending > 0)
        status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Offline: %u edit is kept and will be sent "
                                               "when the network returns",
                                               "Offline: %u edits are kept and will be sent "
                                               "when the network returns",
                                               pending),
                                  pending);
      else
        status = g_strdup (_("Offline: the next sync starts when the network returns"));
    }
  else
    {
      GDateTime *last = cn_sync_client_get_last_sync (client);
      guint pending = cn_sync_client_get_pending_count (client);
      g_autofree char *when = NULL;
      g_autofree char *state = NULL;

      if (cn_sync_client_get_last_error (client) != NULL)
        {
          icon_name = "network-error-symbolic";
          state = g_strdup_printf (_("Sync failed: %s"), cn_sync_client_get_last_error (client));
        }
      else if (last != NULL)
        {
          g_autoptr(GDateTime) local = g_date_time_to_local (last);

          icon_name = "emblem-synchronizing-symbolic";
          /* Translators: the time of the last sync, as in "15:20, 06/06/2015" */
          when = g_date_time_format (local, _("%H:%M, %d/%m/%Y"));
          state = g_strdup_printf (_("Last synced %s"), when);
        }
      else
        {
          icon_name = "emblem-synchronizing-symbolic";
          state = g_strdup (_("Not synced yet"));
        }
      if (pending > 0)
        status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%s\n%u edit waiting to be sent",
                                               "%s\n%u edits waiting to be sent",
                                               pending),
                                  state, pending);
      else
        status = g_steal_pointer (&state);
    }

  if (g_strcmp0 (gtk_button_get_icon_name (self->sync_button), icon_name) != 0)
    gtk_button_set_icon_name (self->sync_button, icon_name);
  /* Only when it changes: setting a tooltip asks the display server where the pointer is,
   * and the sync client notifies often. */
  if (g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (self->sync_button)), status) == 0)
    return;
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_button), status);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sync_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, status,
                                  -1);
}

/* Each section gets the application's store and sync client through its "store" and
 * "sync-client" properties, if it has them. */
static void
give_section_data (GtkWidget     *section,
                   CnApplication *app)
{
  GObjectClass *klass = G_OBJECT_GET_CLASS (section);
  CnStore *store = cn_application_get_store (app);
  CnSyncClient *client = cn_application_get_sync_client (app);

  if (store != NULL && g_object_class_find_property (klass, "store") != NULL)
    g_object_set (section, "store", store, NULL);
  if (client != NULL && g_object_class_find_property (klass, "sync-client") != NULL)
    g_object_set (section, "sync-client", client, NULL);
}

static void
save_window_state (CnWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  /* A maximized window keeps the size it will return to. */
  if (!gtk_window_is_maximized (GTK_WINDOW (self)))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static gboolean
cn_window_close_request (GtkWindow *window)
{
  save_window_state (CN_WINDOW (window));

  return GTK_WINDOW_CLASS (cn_window_parent_class)->close_request (window);
}

/* "application" is no construct property: it is set after constructed(). */
static void
application_changed_cb (CnWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (self->sync_client != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->sync_client, update_sync_button, self);
      g_signal_handlers_disconnect_by_func (g_network_monitor_get_default (),
                                            update_sync_button, self);
      g_clear_object (&self->sync_client);
    }
  if (CN_IS_APPLICATION (app))
    {
      /* Sections not made yet get theirs when they are. */
      for (gsize i = 0; i < G_N_ELEMENTS (section_names); i++)
        {
          GtkWidget *section = adw_bin_get_child (section_page (self, section_names[i]));

          if (section != NULL)
            give_section_data (section, CN_APPLICATION (app));
        }

      self->sync_client = cn_application_get_sync_client (CN_APPLICATION (app));
      if (self->sync_client != NULL)
        {
          static const char * const watched[] = {
            "notify::signed-in", "notify::syncing", "notify::last-sync",
            "notify::last-error", "notify::pending-count",
            "notify::phase", "notify::done", "notify::total",
          };

          g_object_ref (self->sync_client);
          for (gsize i = 0; i < G_N_ELEMENTS (watched); i++)
            g_signal_connect_object (self->sync_client, watched[i],
                                     G_CALLBACK (update_sync_button), self,
                                     G_CONNECT_SWAPPED);
          g_signal_connect_object (g_network_monitor_get_default (), "network-changed",
                                   G_CALLBACK (update_sync_button), self, G_CONNECT_SWAPPED);
        }
    }
  update_sync_button (self);
}

static void
cn_window_dispose (GObject *object)
{
  CnWindow *self = CN_WINDOW (object);

  g_signal_handlers_disconnect_by_func (self, application_changed_cb, NULL);
  if (self->sync_client != NULL)
    g_signal_handlers_disconnect_by_func (self->sync_client, update_sync_button, self);
  g_cancellable_cancel (self->cancellable);

  /* Detach the switchers while the stack and its pages still exist: the template disposes
   * the stack before the bottom bar, which would otherwise follow a stack being torn down. */
  if (self->switcher_bar != NULL)
    adw_view_switcher_bar_set_stack (self->switcher_bar, NULL);
  if (self->switcher_title != NULL)
    adw_view_switcher_title_set_stack (self->switcher_title, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), CN_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->sync_client);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cn_window_parent_class)->dispose (object);
}

static void
cn_window_class_init (CnWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cn_window_dispose;
  window_class->close_request = cn_window_close_request;


  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/hatinh/nongthonmoi/CauNoi/cn-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CnWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CnWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CnWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, CnWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, CnWindow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, CnWindow, articles_page);
  gtk_widget_class_bind_template_child (widget_class, CnWindow, documents_page);
  gtk_widget_class_bind_template_child (widget_class, CnWindow, delegations_page);
  gtk_widget_class_bind_template_callback (widget_class, visible_child_changed_cb);
}

static void
cn_window_init (CnWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  g_signal_connect (self, "notify::application", G_CALLBACK (application_changed_cb), NULL);
  if (g_strcmp0 (PROFILE, "Devel") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions,
                                   G_N_ELEMENTS (win_actions), self);

  self->settings = g_settings_new (CN_SETTINGS_SCHEMA_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_settings_bind (self->settings, "last-section", self->stack, "visible-child-name",
                   G_SETTINGS_BIND_DEFAULT);
  self->sections_ready = TRUE;
  visible_child_changed_cb (self);
}

CnWindow *
cn_window_new (CnApplication *application)
{
  g_return_val_if_fail (CN_IS_APPLICATION (application), NULL);

  return g_object_new (CN_TYPE_WINDOW, "application", application, NULL);
}
