/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cn-record.h"

G_BEGIN_DECLS

#define CN_TYPE_ARTICLE_ROW (cn_article_row_get_type ())
G_DECLARE_FINAL_TYPE (CnArticleRow, cn_article_row, CN, ARTICLE_ROW, GtkBox)

/* One article in the list: the day's header when the day changes, an unread mark, the
 * title, date and category, and one line of the lead, with the search's matches marked. */
GtkWidget  *cn_article_row_new          (void);
void        cn_article_row_set_article  (CnArticleRow *self,
                                         CnRecord     *article,
                                         const char   *day_header,
                                         const char   *search);
void        cn_article_row_set_search   (CnArticleRow *self,
                                         const char   *search);
CnRecord   *cn_article_row_get_article  (CnArticleRow *self);
void        cn_article_row_set_unread   (CnArticleRow *self,
                                         gboolean      unread);

G_END_DECLS
