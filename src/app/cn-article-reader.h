/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cn-html-view.h"
#include "cn-record.h"
#include "cn-sync-client.h"

G_BEGIN_DECLS

#define CN_TYPE_ARTICLE_READER (cn_article_reader_get_type ())
G_DECLARE_FINAL_TYPE (CnArticleReader, cn_article_reader, CN, ARTICLE_READER, GtkBox)

/* The reading pane: the article's title, date, author and source, lead, body, images and
 * tags, under a toolbar whose buttons activate the "articles." actions of CnArticlesView. */
GtkWidget  *cn_article_reader_new             (void);
void        cn_article_reader_set_article     (CnArticleReader *self,
                                               CnRecord        *article,
                                               gboolean         sample,
                                               const char      *files_dir);
CnRecord   *cn_article_reader_get_article     (CnArticleReader *self);
void        cn_article_reader_set_read        (CnArticleReader *self,
                                               gboolean         read);
void        cn_article_reader_set_sync_client (CnArticleReader *self,
                                               CnSyncClient    *client);
void        cn_article_reader_set_back_visible (CnArticleReader *self,
                                               gboolean         visible);
CnHtmlView *cn_article_reader_get_body        (CnArticleReader *self);

G_END_DECLS
