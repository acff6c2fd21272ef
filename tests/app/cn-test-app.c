/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cn-test-app"

#include "config.h"

#include "cn-i18n.h"
#include "cn-test-app.h"

char *
cn_test_app_init (int          *argc,
                  char       ***argv,
                  const char   *name)
{
  const char *build_dir = g_getenv ("CAUNOI_BUILD_DIR");
  g_autofree char *schema_dir = NULL;
  g_autofree char *locale_dir = NULL;
  g_autofree char *template = g_strdup_printf ("caunoi-%s-XXXXXX", name);
  g_autoptr(GError) error = NULL;
  char *home;

  g_assert_nonnull (build_dir);
  schema_dir = g_build_filename (build_dir, "data", NULL);
  locale_dir = g_build_filename (build_dir, "po", NULL);
  home = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  g_setenv ("GSETTINGS_SCHEMA_DIR", schema_dir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("CAUNOI_LOCALEDIR", locale_dir, TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  g_setenv ("LANGUAGE", "en", TRUE);
  g_setenv ("LC_ALL", "en_US.UTF-8", TRUE);
  /* No accessibility bus: these tests read widgets directly (the AT-SPI tests run the real
   * program on a bus of their own), and another test's bus may be gone while the display
   * still names it, which GTK reports as a critical. */
  g_setenv ("GTK_A11Y", "none", TRUE);

  cn_i18n_init ();
  gtk_test_init (argc, argv, NULL);
  return home;
}

CnApplication *
cn_test_app_new (void)
{
  CnApplication *app = cn_application_new ();
  g_autoptr(GError) error = NULL;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  return app;
}

void
cn_test_app_remove_home (const char *home)
{
  g_autofree char *quoted = g_shell_quote (home);
  g_autofree char *command = g_strconcat ("rm -rf ", quoted, NULL);

  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
}

void
cn_test_app_iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

GtkWidget *
cn_test_app_find_actionable (GtkWidget  *root,
                             const char *action_name)
{
  if (GTK_IS_ACTIONABLE (root)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action_name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cn_test_app_find_actionable (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
cn_test_app_find_widget (GtkWidget  *root,
                         GType       type,
                         const char *title_or_label)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    {
      const char *text = NULL;

      if (ADW_IS_PREFERENCES_ROW (root))
        text = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root));
      else if (GTK_IS_BUTTON (root))
        text = gtk_button_get_label (GTK_BUTTON (root));
      if (title_or_label == NULL || g_strcmp0 (text, title_or_label) == 0)
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cn_test_app_find_widget (child, type, title_or_label);

      if (found != NULL)
        return found;
    }
  return NULL;
}
