/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cn-application.h"

G_BEGIN_DECLS

#define CN_TYPE_WINDOW (cn_window_get_type ())
G_DECLARE_FINAL_TYPE (CnWindow, cn_window, CN, WINDOW, AdwApplicationWindow)

CnWindow   *cn_window_new                 (CnApplication *application);
const char *cn_window_get_visible_section (CnWindow      *self);
void        cn_window_set_visible_section (CnWindow      *self,
                                           const char    *section);
GtkWidget  *cn_window_get_section         (CnWindow      *self,
                                           const char    *section);
gboolean    cn_window_has_section         (CnWindow      *self,
                                           const char    *section);
void        cn_window_add_toast           (CnWindow      *self,
                                           AdwToast      *toast);

G_END_DECLS
