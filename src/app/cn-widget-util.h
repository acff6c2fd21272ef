/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* What every section's widgets share: toasts in the window, names for drop-downs, links. */

void cn_widget_add_toast     (GtkWidget   *widget,
                              AdwToast    *toast);
void cn_widget_toast         (GtkWidget   *widget,
                              const char  *message);
AdwToast *cn_widget_toast_new (const char *message);
void cn_widget_name_dropdown (GtkDropDown *dropdown,
                              const char  *name);
void cn_widget_open_link     (GtkWidget   *widget,
                              const char  *url);

G_END_DECLS
