/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cn-store.h"
#include "cn-sync-client.h"

G_BEGIN_DECLS

#define CN_TYPE_ARTICLES_VIEW (cn_articles_view_get_type ())
G_DECLARE_FINAL_TYPE (CnArticlesView, cn_articles_view, CN, ARTICLES_VIEW, AdwBin)

/*
 * The Articles section: the list (newest first, grouped by day, searchable and filterable)
 * and the reader, side by side or, in a narrow window, one at a time.
 *
 * Without a store set it asks the application for its "store" and "sync-client"
 * properties when it is put in a window.
 */
void          cn_articles_view_set_store        (CnArticlesView *self,
                                                 CnStore        *store);
CnStore      *cn_articles_view_get_store        (CnArticlesView *self);
void          cn_articles_view_set_sync_client  (CnArticlesView *self,
                                                 CnSyncClient   *client);
void          cn_articles_view_set_search       (CnArticlesView *self,
                                                 const char     *text);
gboolean      cn_articles_view_show_article     (CnArticlesView *self,
                                                 const char     *id);
GListModel   *cn_articles_view_get_model        (CnArticlesView *self);

G_END_DECLS
