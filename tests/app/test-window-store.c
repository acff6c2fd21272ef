/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The application's one store: when it cannot be opened at start, the section that shows
 * the error opens it with Retry — through the application, so that every section, made
 * then or later, and the sync client work on that same store. Needs a display (Xvfb). */
#define G_LOG_DOMAIN "test-window-store"

#include "config.h"

#include <glib/gstdio.h>

#include "cn-application.h"
#include "cn-test-app.h"
#include "cn-window.h"

static CnApplication *app;
/* A file where the store's directory should be: opening the store fails until it goes. */
static char *blocker;

#define iterate cn_test_app_iterate

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static CnStore *
section_store (CnWindow   *window,
               const char *section)
{
  CnStore *store = NULL;

  g_object_get (cn_window_get_section (window, section), "store", &store, NULL);
  if (store != NULL)
    g_object_unref (store);  /* the section keeps it */
  return store;
}

static void
test_store_opened_by_retry (void)
{
  GAction *load_sample = g_action_map_lookup_action (G_ACTION_MAP (app), "load-sample");
  CnWindow *window;
  GtkWidget *retry;
  CnStore *store;
  g_autoptr(CnSyncClient) articles_client = NULL;

  g_assert_null (cn_application_get_store (app));
  g_assert_null (cn_application_get_sync_client (app));
  g_assert_false (g_action_get_enabled (load_sample));

  window = cn_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  iterate ();
  g_assert_null (section_store (window, "articles"));
  /* The Articles section says why, with a way to try again. */
  retry = find_button (GTK_WIDGET (window), "_Retry");
  g_assert_nonnull (retry);

  g_assert_cmpint (g_remove (blocker), ==, 0);
  g_signal_emit_by_name (retry, "clicked");
  iterate ();

  store = cn_application_get_store (app);
  g_assert_nonnull (store);
  g_assert_nonnull (cn_application_get_sync_client (app));
  g_assert_true (cn_sync_client_get_store (cn_application_get_sync_client (app)) == store);
  g_assert_true (g_action_get_enabled (load_sample));
  g_assert_true (cn_application_ensure_store (app, NULL) == store);

  g_assert_true (section_store (window, "articles") == store);
  g_object_get (cn_window_get_section (window, "articles"), "sync-client", &articles_client, NULL);
  g_assert_true (articles_client == cn_application_get_sync_client (app));
  /* Sections made afterwards get the same store. */
  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "documents" : "delegations";

      g_assert_false (cn_window_has_section (window, name));
      cn_window_set_visible_section (window, name);
      iterate ();
      g_assert_true (section_store (window, name) == store);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = cn_test_app_init (&argc, &argv, "test-window-store");
  g_autoptr(GError) error = NULL;
  int status;

  blocker = g_build_filename (home, "caunoi", NULL);
  g_file_set_contents (blocker, "not a directory", -1, &error);
  g_assert_no_error (error);
  app = cn_test_app_new ();

  g_test_add_func ("/window/store-opened-by-retry", test_store_opened_by_retry);

  status = g_test_run ();

  g_object_unref (app);
  g_free (blocker);
  cn_test_app_remove_home (home);
  return status;
}
