/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi"

#include "config.h"

#include <glib/gi18n.h>

#include "cn-application.h"

struct _CnApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (CnApplication, cn_application, ADW_TYPE_APPLICATION)

#define CN_TYPE_WINDOW (cn_window_get_type ())
G_DECLARE_FINAL_TYPE (CnWindow, cn_window, CN, WINDOW, AdwApplicationWindow)

struct _CnWindow
{
  AdwApplicationWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (CnWindow, cn_window, ADW_TYPE_APPLICATION_WINDOW)

static void
cn_window_class_init (CnWindowClass *klass)
{
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               "/vn/gov/hatinh/nongthonmoi/CauNoi/cn-window.ui");
}

static void
cn_window_init (CnWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
cn_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = g_object_new (CN_TYPE_WINDOW, "application", app, NULL);
  gtk_window_present (window);
}

static void
cn_application_class_init (CnApplicationClass *klass)
{
  G_APPLICATION_CLASS (klass)->activate = cn_application_activate;
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
