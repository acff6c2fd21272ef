/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's sync button against a real caunoi-server on a loopback port: what it says
 * before and after signing in, that clicking it syncs, and what it says when the server is
 * gone. Needs a display (Xvfb). */
#define G_LOG_DOMAIN "test-window-sync"

#include "config.h"


#include "cn-application.h"
#include "cn-test-app.h"
#include "cn-preferences-window.h"
#include "cn-test-server.h"
#include "cn-window.h"

/* One application for the program: a GApplication stays exported on the bus. */
static CnApplication *app;

#define iterate cn_test_app_iterate

#define find_widget cn_test_app_find_widget

static void
wait_for_signed_in (CnSyncClient *client,
                    gboolean      signed_in)
{
  while (cn_sync_client_get_signed_in (client) != signed_in)
    g_main_context_iteration (NULL, TRUE);
  iterate ();
}

/* Signing in and out from Preferences, as a clerk does. */
static void
test_preferences_sign_in (void)
{
  g_autoptr(CnTestServer) server = cn_test_server_new ();
  g_autoptr(GSettings) settings = g_settings_new (CN_SETTINGS_SCHEMA_ID);
  CnPreferencesWindow *preferences;
  CnSyncClient *client;
  GtkWidget *username, *password, *sign_in, *sign_out, *account;

  cn_test_server_add_user (server, "clerk", "editor", NULL, "correct horse battery");
  cn_test_server_start (server, NULL, NULL);

  client = cn_application_get_sync_client (app);
  g_assert_false (cn_sync_client_get_signed_in (client));

  preferences = cn_preferences_window_new (client);
  gtk_window_present (GTK_WINDOW (preferences));
  iterate ();
  username = find_widget (GTK_WIDGET (preferences), ADW_TYPE_ENTRY_ROW, "User Name");
  password = find_widget (GTK_WIDGET (preferences), ADW_TYPE_PASSWORD_ENTRY_ROW, NULL);
  sign_in = find_widget (GTK_WIDGET (preferences), GTK_TYPE_BUTTON, "Sign In");
  sign_out = find_widget (GTK_WIDGET (preferences), GTK_TYPE_BUTTON, "Sign Out");
  g_assert_nonnull (username);
  g_assert_nonnull (password);
  g_assert_nonnull (sign_in);
  g_assert_nonnull (sign_out);
  account = gtk_widget_get_ancestor (username, ADW_TYPE_PREFERENCES_GROUP);
  g_assert_true (gtk_widget_get_mapped (account));
  g_assert_true (gtk_widget_get_mapped (sign_in));
  g_assert_false (gtk_widget_get_mapped (sign_out));

  /* No server address yet: nothing is sent, the user is told what to do first. */
  g_settings_set_string (settings, "server-url", "");
  gtk_editable_set_text (GTK_EDITABLE (username), "clerk");
  gtk_editable_set_text (GTK_EDITABLE (password), "correct horse battery");
  g_signal_emit_by_name (sign_in, "clicked");
  iterate ();
  g_assert_false (cn_sync_client_get_signed_in (client));
  g_assert_true (gtk_widget_get_sensitive (sign_in));

  g_settings_set_string (settings, "server-url", server->url);
  g_signal_emit_by_name (sign_in, "clicked");
  wait_for_signed_in (client, TRUE);
  g_assert_false (gtk_widget_get_mapped (sign_in));
  g_assert_true (gtk_widget_get_mapped (sign_out));
  g_assert_false (gtk_widget_get_mapped (password));
  /* The password does not stay in the window. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (password)), ==, "");
  g_assert_nonnull (find_widget (GTK_WIDGET (preferences), ADW_TYPE_ACTION_ROW,
                                 "Signed in as clerk"));

  g_signal_emit_by_name (sign_out, "clicked");
  wait_for_signed_in (client, FALSE);
  g_assert_true (gtk_widget_get_mapped (sign_in));
  g_assert_false (gtk_widget_get_mapped (sign_out));

  gtk_window_destroy (GTK_WINDOW (preferences));
  iterate ();
  g_settings_reset (settings, "server-url");
}

static void
login_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GError **error = user_data;

  cn_sync_client_login_finish (CN_SYNC_CLIENT (source), result, error);
}

/* Waits for the sync the button started to end (no timer: meson's timeout ends a hang). */
static void
wait_for_sync (CnSyncClient *client)
{
  while (!cn_sync_client_get_syncing (client))
    g_main_context_iteration (NULL, TRUE);
  while (cn_sync_client_get_syncing (client))
    g_main_context_iteration (NULL, TRUE);
  iterate ();
}

static void
record_tooltip_cb (GtkWidget  *button,
                   GParamSpec *pspec,
                   GPtrArray  *tooltips)
{
  g_ptr_array_add (tooltips, g_strdup (gtk_widget_get_tooltip_text (button)));
}

static void
test_sync_button (void)
{
  g_autoptr(CnTestServer) server = cn_test_server_new ();
  g_autoptr(GError) login_error = NULL;
  g_autoptr(GPtrArray) tooltips = g_ptr_array_new_with_free_func (g_free);
  CnSyncClient *client;
  CnWindow *window;
  GtkWidget *button;

  cn_test_server_add_user (server, "clerk", "editor", NULL, "correct horse battery");
  cn_test_server_start (server, NULL, NULL);

  client = cn_application_get_sync_client (app);
  g_assert_nonnull (client);

  window = cn_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  iterate ();
  button = cn_test_app_find_actionable (GTK_WIDGET (window), "win.sync");
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Not connected to a server");
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (button)), ==, "network-offline-symbolic");

  /* Signed in, not synced yet. */
  cn_sync_client_login_async (client, server->url, "clerk", "correct horse battery", NULL,
                              NULL, login_done_cb, &login_error);
  while (!cn_sync_client_get_signed_in (client) && login_error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (login_error);
  iterate ();
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Not synced yet");
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (button)), ==,
                   "emblem-synchronizing-symbolic");

  /* Clicking it syncs, and while it runs the button says what the sync is doing. */
  g_signal_connect (button, "notify::tooltip-text", G_CALLBACK (record_tooltip_cb), tooltips);
  g_signal_emit_by_name (button, "clicked");
  wait_for_sync (client);
  g_signal_handlers_disconnect_by_func (button, record_tooltip_cb, tooltips);
  g_assert_true (g_ptr_array_find_with_equal_func (tooltips, "Syncing: receiving changes…",
                                                   g_str_equal, NULL));
  g_assert_null (cn_sync_client_get_last_error (client));
  g_assert_nonnull (cn_sync_client_get_last_sync (client));
  g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (button), "Last synced "));

  /* The server is gone: the button says the sync failed, and why. */
  cn_test_server_stop (server);
  g_signal_emit_by_name (button, "clicked");
  wait_for_sync (client);
  g_assert_nonnull (cn_sync_client_get_last_error (client));
  g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (button), "Sync failed: "));
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (button)), ==, "network-error-symbolic");

  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = cn_test_app_init (&argc, &argv, "test-window-sync");
  int status;

  app = cn_test_app_new ();

  /* Signing in and out first: the sync-button test leaves the client signed in. */
  g_test_add_func ("/preferences/sign-in", test_preferences_sign_in);
  g_test_add_func ("/window/sync-button", test_sync_button);
  status = g_test_run ();
  g_object_unref (app);
  /* What the tests left there: the store, the saved sign-in. */
  cn_test_app_remove_home (home);
  return status;
}
