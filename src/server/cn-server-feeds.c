/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "cn-error.h"
#include "cn-server-feeds.h"

static SoupSession *
feed_session (void)
{
  return soup_session_new_with_options ("user-agent", "caunoi-server/" PACKAGE_VERSION,
                                        "timeout", 60, NULL);
}

static GBytes *
check_feed_answer (SoupMessage  *msg,
                   const char   *url,
                   GBytes       *body,
                   GError      **error)
{
  guint status = soup_message_get_status (msg);

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_NETWORK, _("Fetching %s failed: HTTP %u %s"),
                   url, status, soup_message_get_reason_phrase (msg)
                                ? soup_message_get_reason_phrase (msg) : "");
      return NULL;
    }
  if (g_bytes_get_size (body) > CN_RSS_MAX_FEED_SIZE)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_FEED, _("The feed at %s is too large"), url);
      return NULL;
    }
  return g_bytes_ref (body);
}

static SoupMessage *
feed_message (const char  *url,
              GError     **error)
{
  SoupMessage *msg;

  if (!g_str_has_prefix (url, "http://") && !g_str_has_prefix (url, "https://"))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("“%s” is not an http:// or https:// address"), url);
      return NULL;
    }
  msg = soup_message_new (SOUP_METHOD_GET, url);
  if (msg == NULL)
    g_set_error (error, CN_ERROR, CN_ERROR_INVALID, _("“%s” is not a valid address"), url);
  return msg;
}

GBytes *
cn_server_fetch_feed (const char    *url,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(SoupSession) session = feed_session ();
  g_autoptr(SoupMessage) msg = feed_message (url, error);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) local_error = NULL;

  if (msg == NULL)
    return NULL;
  body = soup_session_send_and_read (session, msg, cancellable, &local_error);
  if (body == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_NETWORK, _("Fetching %s failed: %s"), url,
                   local_error->message);
      return NULL;
    }
  return check_feed_answer (msg, url, body, error);
}

static void
fetch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  const char *url = g_object_get_data (G_OBJECT (task), "url");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  GBytes *checked;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_new_error (task, CN_ERROR, CN_ERROR_NETWORK, _("Fetching %s failed: %s"),
                               url, error->message);
      return;
    }
  checked = check_feed_answer (msg, url, body, &error);
  if (checked == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, checked, (GDestroyNotify) g_bytes_unref);
}

void
cn_server_fetch_feed_async (const char          *url,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(SoupSession) session = feed_session ();
  g_autoptr(GError) error = NULL;
  SoupMessage *msg;

  g_task_set_source_tag (task, cn_server_fetch_feed_async);
  msg = feed_message (url, &error);
  if (msg == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, msg, g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "url", g_strdup (url), g_free);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, cancellable, fetch_cb,
                                    g_steal_pointer (&task));
}

GBytes *
cn_server_fetch_feed_finish (GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Scheduled feeds ------------------------------------------------------------------------- */

typedef struct {
  CnServerFeeds *owner;
  char          *url;
  CnFeedKind     kind;
  guint          interval_minutes;
  guint          timeout_id;
  gboolean       busy;
} Feed;

struct _CnServerFeeds
{
  CnServerDb   *db;   /* not owned */
  GPtrArray    *feeds;
  GCancellable *cancellable;
};

static void
feed_free (Feed *feed)
{
  g_clear_handle_id (&feed->timeout_id, g_source_remove);
  g_free (feed->url);
  g_free (feed);
}

CnServerFeeds *
cn_server_feeds_new (CnServerDb *db)
{
  CnServerFeeds *self = g_new0 (CnServerFeeds, 1);

  self->db = db;
  self->feeds = g_ptr_array_new_with_free_func ((GDestroyNotify) feed_free);
  self->cancellable = g_cancellable_new ();
  return self;
}

void
cn_server_feeds_add (CnServerFeeds *self,
                     const char    *url,
                     CnFeedKind     kind,
                     guint          interval_minutes)
{
  Feed *feed = g_new0 (Feed, 1);

  feed->owner = self;
  feed->url = g_strdup (url);
  feed->kind = kind;
  feed->interval_minutes = MAX (interval_minutes, 1);
  g_ptr_array_add (self->feeds, feed);
}

static void
feed_fetched_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Feed *feed = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = cn_server_fetch_feed_finish (result, &error);
  CnServerImportStats stats = { 0 };

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* shutting down: @feed may be gone */
  feed->busy = FALSE;

  /* A feed that fails is reported and tried again at the next interval; it never stops the
   * server. */
  if (body == NULL)
    {
      g_message ("feed %s: %s", feed->url, error->message);
      return;
    }
  if (!cn_server_import_feed (feed->owner->db, g_bytes_get_data (body, NULL),
                              g_bytes_get_size (body), feed->kind, &stats, &error))
    {
      g_message ("feed %s: %s", feed->url, error->message);
      return;
    }
  g_message ("feed %s: %u new, %u updated, %u unchanged, %u kept as edited", feed->url,
             stats.added, stats.updated, stats.unchanged, stats.kept);
}

static gboolean
feed_tick_cb (gpointer user_data)
{
  Feed *feed = user_data;

  if (!feed->busy)
    {
      feed->busy = TRUE;
      cn_server_fetch_feed_async (feed->url, feed->owner->cancellable, feed_fetched_cb, feed);
    }
  return G_SOURCE_CONTINUE;
}

void
cn_server_feeds_start (CnServerFeeds *self)
{
  for (guint i = 0; i < self->feeds->len; i++)
    {
      Feed *feed = g_ptr_array_index (self->feeds, i);

      if (feed->timeout_id != 0)
        continue;
      feed_tick_cb (feed);
      feed->timeout_id = g_timeout_add_seconds (feed->interval_minutes * 60, feed_tick_cb, feed);
    }
}

void
cn_server_feeds_free (CnServerFeeds *self)
{
  if (self == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_ptr_array_unref (self->feeds);
  g_free (self);
}
