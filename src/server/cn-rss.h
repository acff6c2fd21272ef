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

/* Parses a NukeViet RSS 2.0 feed (news → "article" items, laws → "document" items) into a
 * new array of CnRssItem, in feed order. All or nothing: a feed that is not XML, not RSS,
 * larger than CN_RSS_MAX_FEED_SIZE or declares a DTD, or any item without a guid or a
 * title, with a date that does not parse, a link that is not http(s), a laws title
 * without "[number]", a repeated guid or data the schema refuses, is a CN_ERROR_FEED
 * naming the item (number, guid, line) and the problem; *items is then NULL.
 * Never fetches anything (no network, no external entities). Thread-safe. */
gboolean  cn_rss_parse             (const char  *data,
                                    gsize        len,
                                    CnFeedKind   kind,
                                    GPtrArray  **items,
                                    GError     **error);

/* The record id of a feed item: a name-based UUID (version 5, SHA-1) of the site and the
 * guid, so that importing the same item again — from another feed of the site, over http
 * or https, from a saved file — updates the same record. The site is the host of a URL
 * ("https://www.Example.vn/…" → "example.vn") or a host name as given; white space around
 * the guid does not count. */
char     *cn_rss_item_id           (const char  *feed_url_or_site,
                                    const char  *guid);

G_END_DECLS
