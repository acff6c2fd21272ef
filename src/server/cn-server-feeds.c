/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "cn-error.h"
#include "cn-server-db.h"
#include "cn-server-feeds.h"
#include "cn-server-import.h"

GBytes *
cn_server_fetch (const char    *url,
                 gsize          max_size,
                 char         **content_type,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) local_error = NULL;
  guint status;

  if (!g_str_has_prefix (url, "http://") && !g_str_has_prefix (url, "https://"))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("“%s” is not an http:// or https:// address"), url);
      return NULL;
    }
  msg = soup_message_new (SOUP_METHOD_GET, url);
  if (msg == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID, _("“%s” is not a valid address"), url);
      return NULL;
    }

  session = soup_session_new_with_options ("user-agent", "caunoi-server/" PACKAGE_VERSION,
                                           "timeout", 60, NULL);
  body = soup_session_send_and_read (session, msg, cancellable, &local_error);
  if (body == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, CN_ERROR, CN_ERROR_NETWORK, _("Fetching %s failed: %s"), url,
                     local_error->message);
      return NULL;
    }

  status = soup_message_get_status (msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_NETWORK, _("Fetching %s failed: HTTP %u %s"),
                   url, status, soup_message_get_reason_phrase (msg)
                                ? soup_message_get_reason_phrase (msg) : "");
      return NULL;
    }
  if (g_bytes_get_size (body) > max_size)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_NETWORK, _("The answer from %s is too large"), url);
      return NULL;
    }
  if (content_type != NULL)
    *content_type = g_strdup (soup_message_headers_get_content_type (
                                soup_message_get_response_headers (msg), NULL));
  return g_steal_pointer (&body);
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
  char         *db_path;
  char         *files_dir;
  GPtrArray    *feeds;
  GCancellable *cancellable;
};

/* What a worker thread needs: copies, so that it never touches a Feed freed meanwhile. */
typedef struct {
  char       *url;
  CnFeedKind  kind;
  char       *db_path;
  char       *files_dir;
} Job;

static void
job_free (Job *job)
{
  g_free (job->url);
  g_free (job->db_path);
  g_free (job->files_dir);
  g_free (job);
}

static void
feed_free (Feed *feed)
{
  g_clear_handle_id (&feed->timeout_id, g_source_remove);
  g_free (feed->url);
  g_free (feed);
}

CnServerFeeds *
cn_server_feeds_new (const char *db_path,
                     const char *files_dir)
{
  CnServerFeeds *self = g_new0 (CnServerFeeds, 1);

  self->db_path = g_strdup (db_path);
  self->files_dir = g_strdup (files_dir);
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
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(CnServerDb) db = NULL;
  CnServerImportStats *stats = g_new0 (CnServerImportStats, 1);

  body = cn_server_fetch (job->url, CN_RSS_MAX_FEED_SIZE, NULL, cancellable, &error);
  if (body != NULL)
    db = cn_server_db_open (job->db_path, FALSE, &error);
  if (db == NULL ||
      !cn_server_import_feed (db, job->files_dir, g_bytes_get_data (body, NULL),
                              g_bytes_get_size (body), job->kind, stats, &error))
    {
      g_free (stats);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, stats, g_free);
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Feed *feed = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree CnServerImportStats *stats = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* shutting down: @feed may be gone */
  feed->busy = FALSE;

  /* A feed that fails is reported and tried again at the next interval; it never stops the
   * server. */
  if (stats == NULL)
    g_message ("feed %s: %s", feed->url, error->message);
  else
    g_message ("feed %s: %u new, %u updated, %u unchanged, %u kept as edited", feed->url,
               stats->added, stats->updated, stats->unchanged, stats->kept);
}

static gboolean
feed_tick_cb (gpointer user_data)
{
  Feed *feed = user_data;
  g_autoptr(GTask) task = NULL;
  Job *job;

  if (feed->busy)
    return G_SOURCE_CONTINUE;
  feed->busy = TRUE;

  job = g_new0 (Job, 1);
  job->url = g_strdup (feed->url);
  job->kind = feed->kind;
  job->db_path = g_strdup (feed->owner->db_path);
  job->files_dir = g_strdup (feed->owner->files_dir);

  task = g_task_new (NULL, feed->owner->cancellable, import_done_cb, feed);
  g_task_set_source_tag (task, feed_tick_cb);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, import_thread);
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
  g_free (self->db_path);
  g_free (self->files_dir);
  g_free (self);
}
