/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cn-rss.h"

G_BEGIN_DECLS

/* Largest picture the importer fetches for an article. */
#define CN_SERVER_MAX_IMAGE_SIZE (10 * 1024 * 1024)

/* Downloads an http(s) URL with libsoup (blocking: call it off the main loop in the server);
 * refuses answers other than 2xx and bodies over @max_size. @content_type gets the type of
 * the answer when not NULL. */
GBytes   *cn_server_fetch           (const char          *url,
                                     gsize                max_size,
                                     char               **content_type,
                                     GCancellable        *cancellable,
                                     GError             **error);

/* Feeds imported on a timer while the server runs, each import in a worker thread with its
 * own database connection, so that requests are never held up by a slow website. */
typedef struct _CnServerFeeds CnServerFeeds;

CnServerFeeds *cn_server_feeds_new  (const char          *db_path,
                                     const char          *files_dir);
void      cn_server_feeds_add       (CnServerFeeds       *self,
                                     const char          *url,
                                     CnFeedKind           kind,
                                     guint                interval_minutes);
void      cn_server_feeds_start     (CnServerFeeds       *self);
void      cn_server_feeds_free      (CnServerFeeds       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CnServerFeeds, cn_server_feeds_free)

G_END_DECLS
