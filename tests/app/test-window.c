/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window, driven through its actions as the keyboard shortcuts and the menus do:
 * sections, title, translations from the build tree, settings kept across windows, the sync
 * button, preferences, accessible names and the narrowest width. Needs a display (Xvfb). */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "cn-application.h"
#include "cn-articles-view.h"
#include "cn-district-overview.h"
#include "cn-documents-view.h"
#include "cn-error.h"
#include "cn-i18n.h"
#include "cn-test-app.h"
#include "cn-preferences-window.h"
#include "cn-window.h"

static CnApplication *app;

static const struct {
  const char *name;
  const char *english;
  const char *vietnamese;
  const char *accel;
} sections[] = {
  { "articles", "Articles", "Tin bài", "<Alt>1" },
  { "documents", "Documents", "Văn bản", "<Alt>2" },
  { "delegations", "Delegations", "Đoàn công tác", "<Alt>3" },
};

#define iterate cn_test_app_iterate

static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (CN_SETTINGS_SCHEMA_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
}

/* Switches the language the way LANGUAGE and LC_ALL do at start-up. */
static void
use_language (const char *language,
              const char *locale)
{
  g_setenv ("LANGUAGE", language, TRUE);
  g_assert_nonnull (setlocale (LC_ALL, locale));
}

static CnWindow *
open_window (void)
{
  CnWindow *window = cn_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  iterate ();
  return window;
}

static void
close_window (CnWindow *window)
{
  gtk_window_close (GTK_WINDOW (window));
  iterate ();
}

static void
close_all_windows (void)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (GTK_WINDOW (windows->data));
  iterate ();
}

/* The title of the stack page holding @section (the section is made when first shown, in
 * a page of its own). */
static const char *
page_title (CnWindow   *window,
            const char *section)
{
  GtkWidget *child = cn_window_get_section (window, section);
  AdwViewStack *stack = ADW_VIEW_STACK (gtk_widget_get_ancestor (child, ADW_TYPE_VIEW_STACK));
  AdwViewStackPage *page = adw_view_stack_get_page (stack,
                                                    adw_view_stack_get_child_by_name (stack, section));

  g_assert_true (gtk_widget_is_ancestor (child, adw_view_stack_page_get_child (page)));
  return adw_view_stack_page_get_title (page);
}

static void
test_window_sections (void)
{
  CnWindow *window;
  GAction *action;

  reset_settings ();
  use_language ("en", "en_US.UTF-8");
  window = open_window ();

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Cầu Nối");
  g_assert_cmpstr (cn_window_get_visible_section (window), ==, "articles");

  action = g_action_map_lookup_action (G_ACTION_MAP (window), "show-section");
  g_assert_nonnull (action);
  for (gsize i = G_N_ELEMENTS (sections); i-- > 0;)
    {
      g_autoptr(GVariant) state = NULL;
      GtkWidget *child = cn_window_get_section (window, sections[i].name);

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s",
                                                 sections[i].name));
      iterate ();
      g_assert_cmpstr (cn_window_get_visible_section (window), ==, sections[i].name);
      g_assert_true (gtk_widget_get_mapped (child));
      state = g_action_get_state (action);
      g_assert_cmpstr (g_variant_get_string (state, NULL), ==, sections[i].name);
      g_assert_cmpstr (page_title (window, sections[i].name), ==, sections[i].english);
    }

  /* A name that is no section changes nothing. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "reports");
  iterate ();
  g_assert_cmpstr (cn_window_get_visible_section (window), ==, "articles");

  close_window (window);
}

static void
test_window_accels (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      g_autofree char *detailed = g_strconcat ("win.show-section::", sections[i].name, NULL);
      g_auto(GStrv) actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (app),
                                                                     sections[i].accel);

      g_assert_true (g_strv_contains ((const char * const *) actions, detailed));
    }

  {
    static const char *expected[][2] = {
      { "<Control>r", "win.sync" },
      { "<Control>comma", "app.preferences" },
      { "<Control>question", "win.show-help-overlay" },
      { "<Control>q", "app.quit" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
      {
        g_auto(GStrv) actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (app),
                                                                       expected[i][0]);
        g_assert_true (g_strv_contains ((const char * const *) actions, expected[i][1]));
      }
  }
}

/* The catalog meson builds in <builddir>/po is the one that is used. */
static void
test_window_vietnamese (void)
{
  CnWindow *window;

  g_assert_cmpstr (cn_i18n_get_localedir (), ==, g_getenv ("CAUNOI_LOCALEDIR"));

  reset_settings ();
  use_language ("vi", "vi_VN.UTF-8");
  g_assert_cmpstr (_("Articles"), ==, "Tin bài");

  window = open_window ();
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Cầu Nối");
  for (gsize i = 0; i < G_N_ELEMENTS (sections); i++)
    g_assert_cmpstr (page_title (window, sections[i].name), ==, sections[i].vietnamese);
  close_window (window);

  use_language ("en", "en_US.UTF-8");
  g_assert_cmpstr (_("Articles"), ==, "Articles");
}

static void
test_window_remembers_state (void)
{
  g_autoptr(GSettings) settings = g_settings_new (CN_SETTINGS_SCHEMA_ID);
  CnWindow *window;
  int width, height;

  reset_settings ();
  window = open_window ();
  gtk_window_set_default_size (GTK_WINDOW (window), 812, 604);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "delegations");
  iterate ();
  close_window (window);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 812);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 604);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  g_assert_cmpstr (g_settings_get_string (settings, "last-section"), ==, "delegations");

  /* The next window opens as the last one was left. */
  window = open_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 812);
  g_assert_cmpint (height, ==, 604);
  g_assert_cmpstr (cn_window_get_visible_section (window), ==, "delegations");
  close_window (window);
}

/* Every widget a user can operate must tell a screen reader what it does: its own label, a
 * label inside it, a tooltip, or the row it belongs to. GTK 4.8 cannot read back accessible
 * properties, so this checks the sources they come from; the AT-SPI test reads the names. */
static gboolean
widget_is_interactive (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) || GTK_IS_SWITCH (widget)
         || GTK_IS_SPIN_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget)
         || GTK_IS_DROP_DOWN (widget) || GTK_IS_SCALE (widget) || GTK_IS_ENTRY (widget)
         || GTK_IS_SEARCH_ENTRY (widget) || GTK_IS_TEXT_VIEW (widget);
}

static gboolean
has_visible_label (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && *gtk_label_get_text (GTK_LABEL (child)) != '\0'
          && gtk_widget_get_visible (child))
        return TRUE;
      if (has_visible_label (child))
        return TRUE;
    }
  return FALSE;
}

static gboolean
has_accessible_name (GtkWidget *widget)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);
  GtkWidget *row;

  if (tooltip != NULL && *tooltip != '\0')
    return TRUE;
  if (has_visible_label (widget))
    return TRUE;
  /* GTK names the minimize, maximize and close buttons itself. */
  if (gtk_widget_get_ancestor (widget, GTK_TYPE_WINDOW_CONTROLS) != NULL)
    return TRUE;
  /* A GtkMenuButton's inner toggle button takes the menu button's name. */
  if (GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget)))
    return has_accessible_name (gtk_widget_get_parent (widget));
  /* An AdwEntryRow's text field is named by the row's title. */
  row = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_ROW);
  if (row != NULL && *adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)) != '\0')
    return TRUE;
  return FALSE;
}

static void
collect_unnamed (GtkWidget *widget,
                 GPtrArray *unnamed)
{
  /* What is not on screen (another section, a closed search bar) is not operable. */
  if (!gtk_widget_get_mapped (widget))
    return;
  if (widget_is_interactive (widget) && !has_accessible_name (widget))
    g_ptr_array_add (unnamed, g_strdup_printf ("%s (%s)", G_OBJECT_TYPE_NAME (widget),
                                               gtk_widget_get_name (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_unnamed (child, unnamed);
}

static void
assert_all_named (GtkWidget *root)
{
  g_autoptr(GPtrArray) unnamed = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (gtk_widget_get_mapped (root));
  collect_unnamed (root, unnamed);
  for (guint i = 0; i < unnamed->len; i++)
    g_test_message ("no accessible name: %s", (char *) unnamed->pdata[i]);
  g_assert_cmpuint (unnamed->len, ==, 0);
}

static void
test_window_accessible_names (void)
{
  CnWindow *window;

  reset_settings ();
  window = open_window ();
  for (gsize i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      cn_window_set_visible_section (window, sections[i].name);
      iterate ();
      assert_all_named (GTK_WIDGET (window));
    }
  close_window (window);
}

/* One store for the whole application: every section that shows records gets it, and the
 * sync client works on it. */
static void
test_window_sections_share_store (void)
{
  CnStore *store = cn_application_get_store (app);
  CnSyncClient *client = cn_application_get_sync_client (app);
  CnWindow *window;

  g_assert_nonnull (store);
  g_assert_nonnull (client);
  g_assert_true (cn_sync_client_get_store (client) == store);
  g_assert_false (cn_sync_client_get_signed_in (client));

  reset_settings ();
  window = open_window ();
  for (gsize i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      GtkWidget *section = cn_window_get_section (window, sections[i].name);
      g_autoptr(CnStore) section_store = NULL;

      if (g_object_class_find_property (G_OBJECT_GET_CLASS (section), "store") == NULL)
        continue;
      g_object_get (section, "store", &section_store, NULL);
      if (section_store != store)
        g_test_message ("the %s section has another store", sections[i].name);
      g_assert_true (section_store == store);
    }
  close_window (window);

  /* The download-ahead preference reaches the sync client. */
  {
    g_autoptr(GSettings) settings = g_settings_new (CN_SETTINGS_SCHEMA_ID);

    g_settings_set_boolean (settings, "download-attachments-ahead", FALSE);
    g_assert_false (cn_sync_client_get_download_ahead (client));
    g_settings_set_boolean (settings, "download-attachments-ahead", TRUE);
    g_assert_true (cn_sync_client_get_download_ahead (client));
  }
}

/* The first widget of @type in @widget's tree, depth first. */
static GtkWidget *
find_of_type (GtkWidget *widget,
              GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_of_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A section is made when it is first shown, with the application's store: at start only
 * the articles are read, and switching to Documents then shows the documents. */
static void
test_window_sections_made_when_shown (void)
{
  CnStore *store = cn_application_get_store (app);
  g_autoptr(CnQuery) query = cn_query_new ("document");
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CnStore) section_store = NULL;
  CnWindow *window;
  GtkWidget *section;
  GListModel *model;

  /* The sample data of /window/load-sample holds documents. */
  documents = cn_store_query (store, query, 0, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (documents->len, >, 0);

  reset_settings ();
  window = open_window ();
  g_assert_cmpstr (cn_window_get_visible_section (window), ==, "articles");
  g_assert_true (cn_window_has_section (window, "articles"));
  g_assert_false (cn_window_has_section (window, "documents"));
  g_assert_false (cn_window_has_section (window, "delegations"));
  model = cn_articles_view_get_model (CN_ARTICLES_VIEW (cn_window_get_section (window, "articles")));
  g_assert_nonnull (model);
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 0);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "documents");
  iterate ();
  g_assert_true (cn_window_has_section (window, "documents"));
  g_assert_false (cn_window_has_section (window, "delegations"));
  section = cn_window_get_section (window, "documents");
  g_assert_true (gtk_widget_get_mapped (section));
  g_object_get (section, "store", &section_store, NULL);
  g_assert_true (section_store == store);
  model = cn_documents_view_get_model (CN_DOCUMENTS_VIEW (section));
  g_assert_nonnull (model);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, documents->len);
  /* Every document of the store is in the list the table shows. */
  for (guint i = 0; i < documents->len; i++)
    {
      const char *id = cn_record_get_id (g_ptr_array_index (documents, i));
      gboolean found = FALSE;

      for (guint j = 0; j < g_list_model_get_n_items (model) && !found; j++)
        {
          g_autoptr(CnRecord) shown = g_list_model_get_item (model, j);

          found = g_strcmp0 (cn_record_get_id (shown), id) == 0;
        }
      g_assert_true (found);
    }
  /* At the window's default width the whole table shows, titles included: no column runs
   * past the right edge. */
  {
    GtkWidget *table = find_of_type (section, GTK_TYPE_COLUMN_VIEW);
    int minimum = 0;

    g_assert_nonnull (table);
    /* Laid out when the next frame is drawn. */
    for (guint i = 0; i < 50 && gtk_widget_get_width (gtk_widget_get_parent (table)) == 0; i++)
      {
        gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
        iterate ();
      }
    gtk_widget_measure (table, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
    g_assert_cmpint (gtk_widget_get_width (gtk_widget_get_parent (table)), >=, 600);
    g_assert_cmpint (minimum, <=, gtk_widget_get_width (gtk_widget_get_parent (table)));
  }
  close_window (window);

  /* The section last shown is the one made in the next window. */
  window = open_window ();
  g_assert_cmpstr (cn_window_get_visible_section (window), ==, "documents");
  g_assert_true (cn_window_has_section (window, "documents"));
  g_assert_false (cn_window_has_section (window, "articles"));
  close_window (window);
  reset_settings ();
}

/* In Vietnamese, a commune's counts in the Delegations section ("Làm việc gần nhất" over
 * the date of its last session, "3 chưa xong, 2 quá hạn") are read whole at the window's
 * default width, not cut to "Buổi làm việc gần nhất 06/…". */
static void
test_window_vietnamese_counts (void)
{
  g_autoptr(GQueue) queue = g_queue_new ();
  CnWindow *window;
  GtkWidget *overview;
  guint counts = 0;
  guint dated = 0;

  reset_settings ();
  use_language ("vi", "vi_VN.UTF-8");
  window = open_window ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "delegations");
  iterate ();
  overview = find_of_type (cn_window_get_section (window, "delegations"), CN_TYPE_DISTRICT_OVERVIEW);
  g_assert_nonnull (overview);
  while (cn_district_overview_is_loading (CN_DISTRICT_OVERVIEW (overview)))
    g_main_context_iteration (NULL, TRUE);
  /* The rows are added a few a frame, then laid out. */
  for (guint i = 0; i < 30; i++)
    {
      gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
      iterate ();
    }

  g_queue_push_tail (queue, overview);
  while (!g_queue_is_empty (queue))
    {
      GtkWidget *w = g_queue_pop_head (queue);

      if (GTK_IS_LABEL (w) && gtk_widget_has_css_class (w, "caption") && gtk_widget_get_mapped (w) &&
          gtk_widget_get_ancestor (w, ADW_TYPE_ACTION_ROW) != NULL)
        {
          const char *text = gtk_label_get_text (GTK_LABEL (w));

          counts++;
          if (g_str_has_prefix (text, "Làm việc gần nhất\n"))
            dated++;
          if (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (w))))
            g_error ("the count “%s” is cut at %d px", text, gtk_widget_get_width (w));
        }
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_queue_push_tail (queue, c);
    }
  /* Three counts a commune row, at least the rows on screen; Tiến Lộc has had a session. */
  g_assert_cmpuint (counts, >=, 3 * 5);
  g_assert_cmpuint (dated, >=, 1);

  close_window (window);
  use_language ("en", "en_US.UTF-8");
  reset_settings ();
}

/* The keyboard shortcuts window is built when first asked for, then shown again. */
static void
test_window_help_overlay (void)
{
  CnWindow *window;
  GtkShortcutsWindow *overlay;

  reset_settings ();
  window = open_window ();
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  iterate ();
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (overlay);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (overlay)) == GTK_WINDOW (window));

  gtk_window_close (GTK_WINDOW (overlay));
  iterate ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  iterate ();
  g_assert_true (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)) == overlay);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));

  close_window (window);
}

/* The sample data, from the primary menu, lands in the application's store as sample. */
static void
test_window_load_sample (void)
{
  CnStore *store = cn_application_get_store (app);
  CnStoreCounts before = { 0 }, after = { 0 };
  g_autoptr(GError) error = NULL;
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (app), "load-sample");

  g_assert_true (cn_store_get_counts (store, &before, &error));
  g_assert_no_error (error);
  g_assert_true (g_action_get_enabled (action));

  g_action_group_activate_action (G_ACTION_GROUP (app), "load-sample", NULL);
  g_assert_false (g_action_get_enabled (action));
  while (!g_action_get_enabled (action))
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (cn_store_get_counts (store, &after, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (after.sample, >, before.sample);
  g_assert_cmpuint (after.records, ==, before.records + (after.sample - before.sample));
  /* Sample data is never sent to a server. */
  g_assert_cmpuint (after.pending, ==, before.pending);
}

/* Not connected: the sync button says so and leads to where the server is set up. */
static void
test_window_sync_without_server (void)
{
  CnPreferencesWindow *preferences = NULL;
  CnWindow *window;
  GtkWidget *sync_button;

  reset_settings ();
  window = open_window ();
  sync_button = cn_test_app_find_actionable (GTK_WIDGET (window), "win.sync");
  g_assert_nonnull (sync_button);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (sync_button), ==, "Not connected to a server");

  g_signal_emit_by_name (sync_button, "clicked");
  iterate ();
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (CN_IS_PREFERENCES_WINDOW (l->data))
      preferences = l->data;
  g_assert_nonnull (preferences);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (preferences)));
  g_assert_cmpstr (adw_preferences_window_get_visible_page_name (ADW_PREFERENCES_WINDOW (preferences)),
                   ==, "server");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (preferences)) == GTK_WINDOW (window));
  assert_all_named (GTK_WIDGET (preferences));

  close_all_windows ();
}

static void
test_preferences_parse_server_url (void)
{
  static const struct {
    const char *text;
    const char *expected;
  } good[] = {
    { "", "" },
    { "   ", "" },
    { "https://caunoi.example.vn", "https://caunoi.example.vn/" },
    { "  HTTPS://CauNoi.Example.VN/  ", "https://caunoi.example.vn/" },
    { "http://10.0.0.5:8080/caunoi", "http://10.0.0.5:8080/caunoi/" },
  };
  static const char *bad[] = {
    "caunoi.example.vn", "ftp://caunoi.example.vn/", "https://", "https://user:pw@x.vn/",
    "https://x.vn/?a=1", "nông thôn mới",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = cn_preferences_parse_server_url (good[i].text, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (url, ==, good[i].expected);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = cn_preferences_parse_server_url (bad[i], &error);

      g_assert_null (url);
      g_assert_error (error, CN_ERROR, CN_ERROR_INVALID);
      /* The message names what was typed. */
      g_assert_nonnull (strstr (error->message, bad[i]));
    }
}

/* The address is saved only when applied and only when it is one. */
static void
test_preferences_server_url_row (void)
{
  g_autoptr(GSettings) settings = g_settings_new (CN_SETTINGS_SCHEMA_ID);
  CnPreferencesWindow *preferences;
  AdwEntryRow *row;

  reset_settings ();
  preferences = cn_preferences_window_new (NULL);
  gtk_window_present (GTK_WINDOW (preferences));
  iterate ();
  row = ADW_ENTRY_ROW (find_of_type (GTK_WIDGET (preferences), ADW_TYPE_ENTRY_ROW));
  g_assert_nonnull (row);

  gtk_editable_set_text (GTK_EDITABLE (row), "caunoi.example.vn");
  g_signal_emit_by_name (row, "apply");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
  g_assert_cmpstr (g_settings_get_string (settings, "server-url"), ==, "");

  gtk_editable_set_text (GTK_EDITABLE (row), "https://CauNoi.example.vn");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
  g_signal_emit_by_name (row, "apply");
  g_assert_cmpstr (g_settings_get_string (settings, "server-url"), ==, "https://caunoi.example.vn/");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "https://caunoi.example.vn/");

  gtk_window_destroy (GTK_WINDOW (preferences));
  iterate ();

  /* A new window shows what was saved. */
  preferences = cn_preferences_window_new (NULL);
  row = ADW_ENTRY_ROW (find_of_type (GTK_WIDGET (preferences), ADW_TYPE_ENTRY_ROW));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "https://caunoi.example.vn/");
  gtk_window_destroy (GTK_WINDOW (preferences));
  iterate ();
}

/* The window fits a 360 px wide phone-sized screen: the switcher moves to the bottom bar. */
static void
test_window_narrow (void)
{
  CnWindow *window;
  int minimum, natural;

  reset_settings ();
  window = open_window ();
  /* The content, without the shadow client-side decorations draw around it. */
  for (gsize i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      gtk_widget_measure (cn_window_get_section (window, sections[i].name),
                          GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
      if (minimum > 360)
        g_test_message ("the %s section needs %d px", sections[i].name, minimum);
    }
  gtk_widget_measure (adw_application_window_get_content (ADW_APPLICATION_WINDOW (window)),
                      GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = cn_test_app_init (&argc, &argv, "test-window");
  int status;

  app = cn_test_app_new ();

  g_test_add_func ("/window/sections", test_window_sections);
  g_test_add_func ("/window/accels", test_window_accels);
  g_test_add_func ("/window/vietnamese", test_window_vietnamese);
  g_test_add_func ("/window/remembers-state", test_window_remembers_state);
  g_test_add_func ("/window/accessible-names", test_window_accessible_names);
  g_test_add_func ("/window/sections-share-store", test_window_sections_share_store);
  g_test_add_func ("/window/sync-without-server", test_window_sync_without_server);
  g_test_add_func ("/window/load-sample", test_window_load_sample);
  g_test_add_func ("/window/sections-made-when-shown", test_window_sections_made_when_shown);
  g_test_add_func ("/window/vietnamese-counts", test_window_vietnamese_counts);
  g_test_add_func ("/window/help-overlay", test_window_help_overlay);
  g_test_add_func ("/preferences/parse-server-url", test_preferences_parse_server_url);
  g_test_add_func ("/preferences/server-url-row", test_preferences_server_url_row);
  /* Last: it fails while a section is too wide, which does not stop the others. */
  g_test_add_func ("/layout/narrow", test_window_narrow);

  status = g_test_run ();

  close_all_windows ();
  g_object_unref (app);
  cn_test_app_remove_home (home);
  return status;
}
