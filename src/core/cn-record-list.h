/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cn-query.h"
#include "cn-store.h"

G_BEGIN_DECLS

/*
 * CnRecordList: a GListModel of CnRecord over a CnQuery, read lazily from the store.
 *
 * It keeps the ordered row numbers of the matching records (8 bytes a row: 800 KB for 100k
 * articles, read from a narrow index) and builds CnRecord objects only for the pages of
 * CN_RECORD_LIST_PAGE_SIZE rows that are asked for, keeping the CN_RECORD_LIST_MAX_PAGES
 * most recently used. When the store changes (any CnStore on the same file, see
 * CnStore::changed) it reloads the row numbers and emits the smallest items-changed it can:
 * inserted/removed/moved rows as one range, and rows whose content changed one by one.
 *
 * Reloading the row numbers of 100k rows takes tens of milliseconds: in a list of more than
 * 5000 rows, a reload waits until ten times the cost of the last one has passed (changes
 * are gathered meanwhile), so a sync writing page after page leaves the main thread free.
 *
 * Use it on the thread whose main context was the default when the store was opened.
 */

#define CN_RECORD_LIST_PAGE_SIZE 64
#define CN_RECORD_LIST_MAX_PAGES 8

#define CN_TYPE_RECORD_LIST (cn_record_list_get_type ())

G_DECLARE_FINAL_TYPE (CnRecordList, cn_record_list, CN, RECORD_LIST, GObject)

CnRecordList  *cn_record_list_new         (CnStore        *store,
                                           const CnQuery  *query);
CnStore       *cn_record_list_get_store   (CnRecordList   *self);
const CnQuery *cn_record_list_get_query   (CnRecordList   *self);
void           cn_record_list_set_query   (CnRecordList   *self,
                                           const CnQuery  *query);
gboolean       cn_record_list_reload      (CnRecordList   *self,
                                           GError        **error);
const GError  *cn_record_list_get_error   (CnRecordList   *self);
guint          cn_record_list_find        (CnRecordList   *self,
                                           const char     *id);
guint          cn_record_list_get_n_cached (CnRecordList  *self);

G_END_DECLS
