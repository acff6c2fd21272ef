/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cn-store.h"
#include "cn-sync-client.h"

G_BEGIN_DECLS

/* What the Articles and Documents sections share. */

gboolean    cn_reading_find_context      (GtkWidget     *section,
                                          CnStore      **store,
                                          CnSyncClient **client,
                                          GError       **error);
void        cn_reading_add_toast         (GtkWidget     *widget,
                                          AdwToast      *toast);
void        cn_reading_show_error        (GtkWidget     *widget,
                                          const char    *message,
                                          GCallback      retry);
const char *cn_reading_dropdown_string   (GtkDropDown   *dropdown);
void        cn_reading_name_dropdown     (GtkDropDown   *dropdown,
                                          const char    *name);
void        cn_reading_fill_dropdown     (GtkDropDown   *dropdown,
                                          const char    *all_label,
                                          GHashTable    *values,
                                          gboolean       descending);

G_END_DECLS
