/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi"

#include "config.h"

#include "cn-widget-util.h"

/**
 * cn_widget_add_toast:
 * @widget: a widget in a window with an #AdwToastOverlay
 * @toast: (transfer full): the toast
 *
 * Shows @toast in the overlay around @widget. Outside one (a test) the title still reaches
 * the log and the toast is dropped.
 */
void
cn_widget_add_toast (GtkWidget *widget,
                     AdwToast  *toast)
{
  GtkWidget *overlay;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (ADW_IS_TOAST (toast));

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    {
      g_message ("%s", adw_toast_get_title (toast));
      g_object_unref (g_object_ref_sink (toast));
    }
}

/**
 * cn_widget_toast_new:
 * @message: plain text (an error message, a file name…)
 *
 * Toast titles are Pango markup: a message holding "&" or "<" would show nothing and warn.
 *
 * Returns: (transfer full): a toast showing @message as it is
 */
AdwToast *
cn_widget_toast_new (const char *message)
{
  g_autofree char *escaped = g_markup_escape_text (message != NULL ? message : "", -1);

  return adw_toast_new (escaped);
}

/* A plain-text message in a toast around @widget. */
void
cn_widget_toast (GtkWidget  *widget,
                 const char *message)
{
  cn_widget_add_toast (widget, cn_widget_toast_new (message));
}

/* GTK 4.8 gives the button inside a GtkDropDown no name of its own: a screen reader would
 * say "toggle button". Name both after what the drop-down chooses. */
void
cn_widget_name_dropdown (GtkDropDown *dropdown,
                         const char  *name)
{
  g_return_if_fail (GTK_IS_DROP_DOWN (dropdown));

  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  name, -1);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (dropdown)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
}

/* Opens @url (a record's source_url) in the browser; nothing when it is unset or empty. */
void
cn_widget_open_link (GtkWidget  *widget,
                     const char *url)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  if (url == NULL || *url == '\0')
    return;
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, url, GDK_CURRENT_TIME);
}
