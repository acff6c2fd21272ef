/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cn-rss.h"
#include "cn-server-db.h"
#include "cn-server-import.h"

G_BEGIN_DECLS

/* Downloads a feed (http or https) with libsoup; refuses bodies over CN_RSS_MAX_FEED_SIZE. */
GBytes   *cn_server_fetch_feed      (const char          *url,
                                     GCancellable        *cancellable,
                                     GError             **error);
void      cn_server_fetch_feed_async (const char         *url,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
GBytes   *cn_server_fetch_feed_finish (GAsyncResult      *result,
                                     GError             **error);

/* Feeds imported on a timer while the server runs. */
typedef struct _CnServerFeeds CnServerFeeds;

CnServerFeeds *cn_server_feeds_new  (CnServerDb          *db);
void      cn_server_feeds_add       (CnServerFeeds       *self,
                                     const char          *url,
                                     CnFeedKind           kind,
                                     guint                interval_minutes);
void      cn_server_feeds_start     (CnServerFeeds       *self);
void      cn_server_feeds_free      (CnServerFeeds       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CnServerFeeds, cn_server_feeds_free)

G_END_DECLS
