/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cn-store.h"
#include "cn-sync-client.h"

G_BEGIN_DECLS

#define CN_TYPE_DOCUMENTS_VIEW (cn_documents_view_get_type ())
G_DECLARE_FINAL_TYPE (CnDocumentsView, cn_documents_view, CN, DOCUMENTS_VIEW, AdwBin)

/*
 * The Documents section: a table of documents (number, type, issuer, signed date, title),
 * sorted by any column in the store's query, filtered by field, type, issuer and year and
 * searched; and the detail of the chosen document.
 *
 * Without a store set it asks the application for its "store" and "sync-client"
 * properties when it is put in a window.
 */
void        cn_documents_view_set_store        (CnDocumentsView *self,
                                                CnStore         *store);
void        cn_documents_view_set_sync_client  (CnDocumentsView *self,
                                                CnSyncClient    *client);
gboolean    cn_documents_view_show_document    (CnDocumentsView *self,
                                                const char      *id);
GListModel *cn_documents_view_get_model        (CnDocumentsView *self);
void        cn_documents_view_sort_by          (CnDocumentsView *self,
                                                const char      *field,
                                                gboolean         descending);

G_END_DECLS
