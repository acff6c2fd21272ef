/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cn-record-list.h"
#include "cn-store.h"
#include "cn-sync-client.h"

G_BEGIN_DECLS

/* What the Articles and Documents sections share. */

void        cn_reading_adopt_context     (GtkWidget     *section,
                                          GCallback      retry);
void        cn_reading_show_error        (GtkWidget     *widget,
                                          const char    *message,
                                          GCallback      retry);
const char *cn_reading_dropdown_string   (GtkDropDown   *dropdown);
void        cn_reading_fill_dropdown     (GtkDropDown   *dropdown,
                                          const char    *all_label,
                                          GHashTable    *values,
                                          gboolean       descending);
void        cn_reading_show_list_page    (GtkStack      *stack,
                                          GListModel    *list,
                                          gboolean       narrowed);
void        cn_reading_reselect          (GtkSingleSelection *selection,
                                          CnRecordList  *list,
                                          CnRecord      *shown);

G_END_DECLS
