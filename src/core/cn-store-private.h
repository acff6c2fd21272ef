/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "cn-fts.h"
#include "cn-store.h"

G_BEGIN_DECLS

/* For the list model and search, inside libcaunoi-core only. */

typedef sqlite3_stmt CnStmtReset;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CnStmtReset, sqlite3_reset)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

sqlite3       *cn_store_get_db          (CnStore        *self);
sqlite3_stmt  *cn_store_cached_stmt     (CnStore        *self,
                                         const char     *sql,
                                         GError        **error);
void           cn_store_set_sql_error   (CnStore        *self,
                                         GError        **error);
GArray        *cn_store_query_rowids    (CnStore        *self,
                                         const CnQuery  *query,
                                         GError        **error);
GPtrArray     *cn_store_get_by_rowids   (CnStore        *self,
                                         const gint64   *rowids,
                                         guint           n_rowids,
                                         GError        **error);
JsonObject    *cn_store_parse_object    (const char     *json);
/* The counts of unsent work, without cn_store_get_counts()'s scan of every record. */
gboolean       cn_store_count_unsent    (CnStore        *self,
                                         guint          *pending,
                                         guint          *rejected,
                                         guint          *conflicts,
                                         GError        **error);
char          *cn_store_build_match     (const char     *text,
                                         CnFtsPrefix     prefix);

/* A page of pulled records with what writing them derives from their data (list columns,
 * JSON text, search text), made without touching a database: the sync's fetcher thread
 * prepares a page while the worker writes the one before. cn_store_apply_pull_page() is
 * cn_prepared_page_new() then cn_store_apply_prepared_page(). */
typedef struct _CnPreparedPage CnPreparedPage;

CnPreparedPage *cn_prepared_page_new          (GPtrArray       *records);
void            cn_prepared_page_free         (CnPreparedPage  *page);
GPtrArray      *cn_prepared_page_get_records  (CnPreparedPage  *page);
gboolean        cn_store_apply_prepared_page  (CnStore         *self,
                                               CnPreparedPage  *page,
                                               const char      *next_cursor,
                                               CnPullStats     *stats,
                                               GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CnPreparedPage, cn_prepared_page_free)

/* Settings of this connection for writing a lot at once (a pull): a bigger page cache,
 * synchronous = NORMAL (a power cut may undo the last transactions, never half of one) and
 * fewer checkpoints; FALSE returns to the store's defaults. Only for data that can be
 * fetched again, such as pulled pages written with their cursor. */
gboolean       cn_store_set_bulk_writes (CnStore        *self,
                                         gboolean        bulk,
                                         GError        **error);

G_END_DECLS
