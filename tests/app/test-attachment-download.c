/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A document's attachment opened while signed in to a real caunoi-server (on a loopback
 * port), not downloaded yet: its row says how far the download is, then that the file is
 * available offline. Needs a display (Xvfb). */
#define G_LOG_DOMAIN "test-attachment-download"

#include "config.h"

#include <glib/gstdio.h>

#include "cn-application.h"
#include "cn-document-detail.h"
#include "cn-documents-view.h"
#include "cn-test-app.h"
#include "cn-test-server.h"
#include "cn-window.h"

/* The sample's letter on the OCOP program, with 4414-UBND-NL5.pdf attached. */
#define OCOP_LETTER "f9e60bbc-33bc-5e1c-8161-444aa8dd8df8"
#define ATTACHMENT "4414-UBND-NL5.pdf"

static CnApplication *app;
/* Where the test's PDF viewer writes the path it was asked to open. */
static char *opened_path;

#define iterate cn_test_app_iterate
#define find_widget cn_test_app_find_widget

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

/* The default application for PDF files in the test's home: a script noting the file it
 * was given (a real viewer would stay open, and ImageMagick's, found on build machines,
 * outlives the test holding its output). */
static void
install_pdf_viewer (const char *home)
{
  g_autofree char *script = g_build_filename (home, "cn-test-viewer.sh", NULL);
  g_autofree char *applications = g_build_filename (home, "applications", NULL);
  g_autofree char *desktop = g_build_filename (applications, "cn-test-viewer.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (home, "mimeapps.list", NULL);
  g_autofree char *script_text = NULL;
  g_autofree char *desktop_text = NULL;
  g_autoptr(GError) error = NULL;

  opened_path = g_build_filename (home, "opened", NULL);
  script_text = g_strdup_printf ("#!/bin/sh\nprintf '%%s' \"$1\" > '%s.part' && mv '%s.part' '%s'\n",
                                 opened_path, opened_path, opened_path);
  desktop_text = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test viewer\n"
                                  "Exec=%s %%f\nMimeType=application/pdf;\n", script);
  g_assert_cmpint (g_mkdir_with_parents (applications, 0700), ==, 0);
  g_file_set_contents (script, script_text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (script, 0700), ==, 0);
  g_file_set_contents (desktop, desktop_text, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (mimeapps, "[Default Applications]\napplication/pdf=cn-test-viewer.desktop\n", -1, &error);
  g_assert_no_error (error);
}

/* An icon button, by its tooltip. */
static GtkWidget *
find_button (GtkWidget  *root,
             const char *tooltip)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_widget_get_tooltip_text (root), tooltip) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, tooltip);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
record_subtitle_cb (GObject    *row,
                    GParamSpec *pspec,
                    GPtrArray  *subtitles)
{
  g_ptr_array_add (subtitles, g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (row))));
}

static gboolean
has_prefix (GPtrArray  *texts,
            const char *prefix)
{
  for (guint i = 0; i < texts->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (texts, i), prefix))
      return TRUE;
  return FALSE;
}

static void
test_download_progress (void)
{
  g_autoptr(CnTestServer) server = cn_test_server_new ();
  g_autoptr(GSettings) settings = g_settings_new (CN_SETTINGS_SCHEMA_ID);
  g_autoptr(GPtrArray) subtitles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GAsyncResult) login = NULL;
  g_autoptr(GAsyncResult) sync = NULL;
  g_autoptr(CnSyncSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *size = g_format_size (29011);
  g_autofree char *downloading = NULL;
  CnSyncClient *client;
  CnWindow *window;
  GtkWidget *section;
  GtkWidget *row;
  GtkWidget *open;
  int status;

  status = cn_test_run_command (NULL, NULL, NULL, "load-sample", "--db", server->db_path,
                                "--files", server->files_dir, NULL);
  g_assert_cmpint (status, ==, 0);
  cn_test_server_add_user (server, "clerk", "editor", NULL, "correct horse battery");
  cn_test_server_start (server, "--files", server->files_dir, NULL);

  /* Signed in and synced, the files left on the server until asked for. */
  g_settings_set_boolean (settings, "download-attachments-ahead", FALSE);
  client = cn_application_get_sync_client (app);
  cn_sync_client_login_async (client, server->url, "clerk", "correct horse battery", NULL,
                              NULL, done_cb, &login);
  g_assert_true (cn_sync_client_login_finish (client, wait_for_result (&login), &error));
  g_assert_no_error (error);
  cn_sync_client_sync_async (client, NULL, done_cb, &sync);
  summary = cn_sync_client_sync_finish (client, wait_for_result (&sync), &error);
  g_assert_no_error (error);
  g_assert_nonnull (summary);
  g_assert_cmpuint (summary->files_downloaded, ==, 0);

  window = cn_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "documents");
  iterate ();
  section = cn_window_get_section (window, "documents");
  g_assert_true (cn_documents_view_show_document (CN_DOCUMENTS_VIEW (section), OCOP_LETTER));
  iterate ();

  row = find_widget (section, ADW_TYPE_ACTION_ROW, ATTACHMENT);
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Not downloaded yet"));

  /* Opened: downloaded first, the row telling how far it is, then available offline, and
   * the file given to the PDF viewer. */
  g_signal_connect (row, "notify::subtitle", G_CALLBACK (record_subtitle_cb), subtitles);
  open = find_button (row, "Open");
  g_assert_nonnull (open);
  g_signal_emit_by_name (open, "clicked");
  while (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Available offline") == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handlers_disconnect_by_func (row, record_subtitle_cb, subtitles);

  for (guint i = 0; i < subtitles->len; i++)
    g_test_message ("subtitle: %s", (char *) g_ptr_array_index (subtitles, i));
  g_assert_true (has_prefix (subtitles, "Downloading…"));
  /* The whole file, said with its size. */
  downloading = g_strdup_printf ("Downloading… 100 %% — %s of %s", size, size);
  g_assert_true (has_prefix (subtitles, downloading));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), size));
  while (!g_file_test (opened_path, G_FILE_TEST_EXISTS))
    g_main_context_iteration (NULL, TRUE);
  {
    g_autofree char *opened = NULL;
    g_autofree char *copy = NULL;
    gsize length = 0;

    g_assert_true (g_file_get_contents (opened_path, &opened, NULL, NULL));
    g_test_message ("the viewer opened %s", opened);
    g_assert_true (g_str_has_suffix (opened, "/" ATTACHMENT));
    g_assert_true (g_file_get_contents (opened, &copy, &length, NULL));
    g_assert_cmpuint (length, ==, 29011);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
  g_settings_reset (settings, "download-attachments-ahead");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = cn_test_app_init (&argc, &argv, "test-attachment-download");
  int status;

  install_pdf_viewer (home);
  app = cn_test_app_new ();
  g_test_add_func ("/documents/attachment-download-progress", test_download_progress);
  status = g_test_run ();
  g_object_unref (app);
  cn_test_app_remove_home (home);
  g_free (opened_path);
  return status;
}
