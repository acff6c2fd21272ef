/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cn-store.h"
#include "cn-sync-client.h"

G_BEGIN_DECLS

#define CN_TYPE_DOCUMENT_DETAIL (cn_document_detail_get_type ())
G_DECLARE_FINAL_TYPE (CnDocumentDetail, cn_document_detail, CN, DOCUMENT_DETAIL, GtkBox)

/*
 * Every field of a document; the documents it amends and those amending it (activating one
 * emits "show-document"); its attachments with their size and whether they are available
 * offline, opened with the desktop's default app (downloaded first when needed) or saved
 * elsewhere; and the criteria sets it issued.
 */
GtkWidget *cn_document_detail_new             (void);
void       cn_document_detail_set_context     (CnDocumentDetail *self,
                                               CnStore          *store,
                                               CnSyncClient     *client);
void       cn_document_detail_set_document    (CnDocumentDetail *self,
                                               CnRecord         *document);
CnRecord  *cn_document_detail_get_document    (CnDocumentDetail *self);
void       cn_document_detail_set_back_visible (CnDocumentDetail *self,
                                               gboolean          visible);

G_END_DECLS
