/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A feed larger than this is refused before libxml2 sees it. */
#define CN_RSS_MAX_FEED_SIZE (20 * 1024 * 1024)

/* Which NukeViet module published the feed: news (→ articles) or laws (→ documents). */
typedef enum {
  CN_FEED_NEWS,
  CN_FEED_LAWS,
} CnFeedKind;

/* One feed item turned into a record's data. */
typedef struct {
  char       *id;          /* stable record id: cn_rss_item_id (site of the item's link, guid) */
  char       *guid;        /* white space trimmed, e.g. "news_1234" */
  char       *collection;  /* "article" or "document" */
  JsonObject *data;        /* the record's data; passes cn_schema_validate (collection, data, FALSE) */
  char       *image_url;   /* articles: the thumbnail of the description (absolute http(s) URL),
                              for the importer to fetch into images[]; NULL when there is none */
} CnRssItem;

void      cn_rss_item_free         (CnRssItem   *item);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CnRssItem, cn_rss_item_free)

gboolean  cn_feed_kind_from_string (const char  *name,
                                    CnFeedKind  *kind);
const char *cn_feed_kind_to_string (CnFeedKind   kind);

gboolean  cn_rss_parse             (const char  *data,
                                    gsize        len,
                                    CnFeedKind   kind,
                                    GPtrArray  **items,
                                    GError     **error);

char     *cn_rss_item_id           (const char  *feed_url_or_site,
                                    const char  *guid);

G_END_DECLS
