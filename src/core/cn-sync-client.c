/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cn-credentials.h"
#include "cn-error.h"
#include "cn-merge.h"
#include "cn-store-private.h"
#include "cn-sync-private.h"
#include "cn-time.h"

struct _CnSyncClient
{
  GObject       parent_instance;

  CnStore      *store;
  SoupSession  *session;
  GMainContext *context;
  GCancellable *cancellable;      /* of the running sync */
  CnStore      *worker_store;     /* the sync worker's connection, kept between syncs */
  guint         refresh_id;       /* idle that re-reads the counts */

  CnSyncPhase   phase;
  guint         done;
  guint         total;
  gboolean      syncing;
  char         *last_error;
  GDateTime    *last_sync;
  guint         pending_count;
  guint         conflict_count;
  guint         rejected_count;
  gboolean      download_ahead;
  char         *presented_certificate;
};

G_DEFINE_FINAL_TYPE (CnSyncClient, cn_sync_client, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (CnSyncPhase, cn_sync_phase,
  G_DEFINE_ENUM_VALUE (CN_SYNC_PHASE_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (CN_SYNC_PHASE_PUSHING, "pushing"),
  G_DEFINE_ENUM_VALUE (CN_SYNC_PHASE_PULLING, "pulling"),
  G_DEFINE_ENUM_VALUE (CN_SYNC_PHASE_FILES, "files"),
  G_DEFINE_ENUM_VALUE (CN_SYNC_PHASE_INDEXING, "indexing"))

G_DEFINE_BOXED_TYPE (CnSyncSummary, cn_sync_summary, cn_sync_summary_copy, cn_sync_summary_free)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SIGNED_IN,
  PROP_SERVER_URL,
  PROP_USERNAME,
  PROP_PHASE,
  PROP_DONE,
  PROP_TOTAL,
  PROP_SYNCING,
  PROP_LAST_ERROR,
  PROP_LAST_SYNC,
  PROP_PENDING_COUNT,
  PROP_CONFLICT_COUNT,
  PROP_REJECTED_COUNT,
  PROP_DOWNLOAD_AHEAD,
  PROP_PRESENTED_CERTIFICATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

CnSyncSummary *
cn_sync_summary_copy (const CnSyncSummary *summary)
{
  return g_memdup2 (summary, sizeof *summary);
}

void
cn_sync_summary_free (CnSyncSummary *summary)
{
  g_free (summary);
}

/* Data directory of the store: the token file lives beside the database. */
static char *
dup_data_dir (CnStore *store)
{
  return g_path_get_dirname (cn_store_get_path (store));
}

static void
set_phase (CnSyncClient *self,
           CnSyncPhase   phase,
           guint         done,
           guint         total)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->phase != phase)
    {
      self->phase = phase;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
    }
  if (self->done != done)
    {
      self->done = done;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DONE]);
    }
  if (self->total != total)
    {
      self->total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_string (CnSyncClient  *self,
            char         **field,
            const char    *value,
            guint          prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_count (CnSyncClient *self,
           guint        *field,
           guint         value,
           guint         prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* Only the three small counts the UI shows: cn_store_get_counts() also counts every
 * record, a scan of the whole table that the main thread must not repeat during a sync. */
static gboolean
read_counts (CnSyncClient  *self,
             guint         *pending,
             guint         *rejected,
             guint         *conflicts,
             GError       **error)
{
  return cn_store_count_unsent (self->store, pending, rejected, conflicts, error);
}

void
cn_sync_client_refresh_counts (CnSyncClient *self)
{
  g_autoptr(GError) error = NULL;
  guint pending = 0, rejected = 0, conflicts = 0;

  g_return_if_fail (CN_IS_SYNC_CLIENT (self));

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (!read_counts (self, &pending, &rejected, &conflicts, &error))
    {
      g_warning ("Could not count the unsent edits: %s", error->message);
      return;
    }
  g_object_freeze_notify (G_OBJECT (self));
  set_count (self, &self->pending_count, pending, PROP_PENDING_COUNT);
  set_count (self, &self->conflict_count, conflicts, PROP_CONFLICT_COUNT);
  set_count (self, &self->rejected_count, rejected, PROP_REJECTED_COUNT);
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
refresh_counts_idle (gpointer user_data)
{
  CnSyncClient *self = user_data;

  self->refresh_id = 0;
  cn_sync_client_refresh_counts (self);
  return G_SOURCE_REMOVE;
}

static void
reload_last_sync (CnSyncClient *self)
{
  g_autofree char *text = cn_store_dup_meta (self->store, CN_STORE_META_LAST_SYNC);
  g_autoptr(GDateTime) when = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  if (when == NULL && self->last_sync == NULL)
    return;
  if (when != NULL && self->last_sync != NULL && g_date_time_equal (when, self->last_sync))
    return;
  g_clear_pointer (&self->last_sync, g_date_time_unref);
  self->last_sync = g_steal_pointer (&when);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
}

static void
store_changed_cb (CnSyncClient *self,
                  const char   *collection,
                  GArray       *rowids,
                  CnStore      *store)
{
  /* A sync commits page after page: count once per burst, not once per commit. */
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add_full (G_PRIORITY_LOW, refresh_counts_idle, self, NULL);
}

/* ---------- progress from the worker thread ---------- */

typedef struct
{
  CnSyncClient *self;
  CnSyncPhase   phase;
  guint         done;
  guint         total;
} Progress;

static gboolean
deliver_progress (gpointer data)
{
  Progress *progress = data;

  /* A late report after the sync finished must not overwrite "idle". */
  if (progress->self->syncing)
    set_phase (progress->self, progress->phase, progress->done, progress->total);
  return G_SOURCE_REMOVE;
}

static void
free_progress (gpointer data)
{
  Progress *progress = data;

  g_object_unref (progress->self);
  g_free (progress);
}

static void
report_progress (CnSyncPhase phase,
                 guint       done,
                 guint       total,
                 gpointer    user_data)
{
  CnSyncClient *self = user_data;
  Progress *progress = g_new0 (Progress, 1);

  progress->self = g_object_ref (self);
  progress->phase = phase;
  progress->done = done;
  progress->total = total;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, deliver_progress,
                              progress, free_progress);
}

/* ---------- jobs ---------- */

static void
cn_sync_job_free (CnSyncJob *job)
{
  g_clear_pointer (&job->http, cn_sync_http_free);
  g_clear_object (&job->store);
  g_free (job->db_path);
  g_free (job->username);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CnSyncJob, cn_sync_job_free)

static CnSyncJob *
new_job (CnSyncClient  *self,
         GError       **error)
{
  g_autofree char *server_url = cn_store_dup_meta (self->store, CN_STORE_META_SERVER_URL);
  g_autofree char *pinned = cn_store_dup_meta (self->store, CN_SYNC_META_PINNED_CERTIFICATE);
  CnSyncJob *job;

  if (server_url == NULL || !cn_sync_client_get_signed_in (self))
    {
      g_set_error_literal (error, CN_ERROR, CN_ERROR_AUTH,
                           _("This computer is not signed in to a Cầu Nối server. "
                             "Sign in first."));
      return NULL;
    }
  job = g_new0 (CnSyncJob, 1);
  job->http = cn_sync_http_new (self->session, server_url, pinned);
  job->db_path = g_strdup (cn_store_get_path (self->store));
  /* Lent to the worker: no other sync runs meanwhile (self->syncing), and the main thread
   * never uses it. */
  job->store = self->worker_store != NULL ? g_object_ref (self->worker_store) : NULL;
  job->username = cn_store_dup_meta (self->store, CN_STORE_META_USER);
  job->download_ahead = self->download_ahead;
  job->progress = report_progress;
  job->progress_data = self;
  return job;
}

/* Runs in a worker thread: the keyring may block. */
static gboolean
load_token (CnSyncJob     *job,
            GError       **error)
{
  g_autofree char *data_dir = g_path_get_dirname (job->db_path);
  g_autofree char *token = NULL;
  GError *local_error = NULL;

  token = cn_credentials_load (data_dir, cn_sync_http_get_server_url (job->http), job->username,
                               &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (token == NULL)
    {
      g_set_error_literal (error, CN_ERROR, CN_ERROR_AUTH,
                           _("The saved sign-in is missing. Sign in again."));
      return FALSE;
    }
  cn_sync_http_set_token (job->http, token);
  memset (token, 0, strlen (token));
  return TRUE;
}

/* ---------- sync ---------- */

static void
sync_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  CnSyncJob *job = task_data;
  GError *error = NULL;
  CnSyncSummary *summary;

  if (!load_token (job, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  summary = cn_sync_run (job, cancellable, &error);
  if (summary == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, summary, (GDestroyNotify) cn_sync_summary_free);
}

static void
sync_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CnSyncClient *self = CN_SYNC_CLIENT (object);
  g_autoptr(GTask) outer = user_data;
  CnSyncJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(CnSyncSummary) summary = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *presented = cn_sync_http_dup_presented_certificate (job->http);

  /* The worker's connection serves the next sync too, unless this one failed: then the
   * next starts afresh. Not kept once disposed. */
  if (summary != NULL && self->store != NULL)
    g_set_object (&self->worker_store, job->store);
  else
    g_clear_object (&self->worker_store);

  g_object_freeze_notify (G_OBJECT (self));
  self->syncing = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCING]);
  set_phase (self, CN_SYNC_PHASE_IDLE, 0, 0);
  set_string (self, &self->last_error, error != NULL ? error->message : NULL, PROP_LAST_ERROR);
  if (presented != NULL)
    set_string (self, &self->presented_certificate, presented, PROP_PRESENTED_CERTIFICATE);
  reload_last_sync (self);
  cn_sync_client_refresh_counts (self);
  g_clear_object (&self->cancellable);
  g_object_thaw_notify (G_OBJECT (self));

  g_signal_emit (self, signals[FINISHED], 0, summary, error);

  if (summary == NULL)
    g_task_return_error (outer, g_steal_pointer (&error));
  else
    g_task_return_pointer (outer, g_steal_pointer (&summary), (GDestroyNotify) cn_sync_summary_free);
}

static void
forward_cancel_cb (GCancellable *cancellable,
                   GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

void
cn_sync_client_sync_async (CnSyncClient        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  g_autoptr(CnSyncJob) job = NULL;
  GError *error = NULL;

  g_return_if_fail (CN_IS_SYNC_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, cn_sync_client_sync_async);

  if (self->syncing)
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("A sync is already running"));
      return;
    }
  job = new_job (self, &error);
  if (job == NULL)
    {
      set_string (self, &self->last_error, error->message, PROP_LAST_ERROR);
      g_task_return_error (outer, error);
      return;
    }

  self->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (forward_cancel_cb),
                           g_object_ref (self->cancellable), g_object_unref);

  self->syncing = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCING]);
  set_phase (self, CN_SYNC_PHASE_PUSHING, 0, self->pending_count);

  inner = g_task_new (self, self->cancellable, sync_done_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (inner, sync_thread);
  g_task_set_task_data (inner, g_steal_pointer (&job), (GDestroyNotify) cn_sync_job_free);
  g_task_run_in_thread (inner, sync_thread);
}

CnSyncSummary *
cn_sync_client_sync_finish (CnSyncClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (CN_IS_SYNC_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cn_sync_client_sync_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cn_sync_client_cancel (CnSyncClient *self)
{
  g_return_if_fail (CN_IS_SYNC_CLIENT (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* ---------- login / logout ---------- */

typedef struct
{
  CnSyncHttp           *http;
  char                 *data_dir;
  char                 *username;
  char                 *password;
  char                 *accept_certificate;
  CnCredentialsBackend  backend;
  char                 *role;     /* from the answer's user: what the UI may offer */
  char                 *unit_id;
} LoginJob;

static void
login_job_free (LoginJob *job)
{
  g_clear_pointer (&job->http, cn_sync_http_free);
  g_free (job->data_dir);
  g_free (job->username);
  if (job->password != NULL)
    memset (job->password, 0, strlen (job->password));
  g_free (job->password);
  g_free (job->accept_certificate);
  g_free (job->role);
  g_free (job->unit_id);
  g_free (job);
}

static void
login_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  LoginJob *job = task_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  const char *token = NULL;
  GError *error = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, job->username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, job->password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  answer = cn_sync_http_call_json (job->http, "POST", "api/v1/session", body, cancellable, &error);
  /* The request body held the password: wipe it now. */
  if (JSON_NODE_HOLDS_OBJECT (body))
    json_object_remove_member (json_node_get_object (body), "password");
  if (answer == NULL)
    {
      if (cn_sync_http_get_last_status (job->http) == SOUP_STATUS_UNAUTHORIZED)
        {
          g_clear_error (&error);
          g_set_error_literal (&error, CN_ERROR, CN_ERROR_AUTH,
                               _("Wrong user name or password"));
        }
      g_task_return_error (task, error);
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (answer) &&
      json_object_has_member (json_node_get_object (answer), "token") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (json_node_get_object (answer), "token")))
    token = json_object_get_string_member (json_node_get_object (answer), "token");
  if (token == NULL || *token == '\0')
    {
      g_task_return_new_error (task, CN_ERROR, CN_ERROR_SERVER,
                               _("The server’s answer to the sign-in has no token"));
      return;
    }
  {
    JsonObject *user = json_object_get_object_member (json_node_get_object (answer), "user");
    JsonNode *unit = user != NULL ? json_object_get_member (user, "unit_id") : NULL;

    if (user != NULL && json_object_has_member (user, "role") &&
        JSON_NODE_HOLDS_VALUE (json_object_get_member (user, "role")))
      job->role = g_strdup (json_object_get_string_member (user, "role"));
    if (unit != NULL && JSON_NODE_HOLDS_VALUE (unit) &&
        json_node_get_value_type (unit) == G_TYPE_STRING)
      job->unit_id = g_strdup (json_node_get_string (unit));
  }
  if (!cn_credentials_save (job->data_dir, cn_sync_http_get_server_url (job->http),
                            job->username, token, &job->backend, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
login_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CnSyncClient *self = CN_SYNC_CLIENT (object);
  g_autoptr(GTask) outer = user_data;
  LoginJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *old_server = NULL;
  g_autofree char *old_user = NULL;
  g_autofree char *presented = cn_sync_http_dup_presented_certificate (job->http);
  const char *server_url = cn_sync_http_get_server_url (job->http);

  if (presented != NULL)
    set_string (self, &self->presented_certificate, presented, PROP_PRESENTED_CERTIFICATE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }

  old_server = cn_store_dup_meta (self->store, CN_STORE_META_SERVER_URL);
  old_user = cn_store_dup_meta (self->store, CN_STORE_META_USER);

  /* Another server (or another person's view of it): read it from the start. Unsent edits
   * stay in the outbox. */
  if ((old_server != NULL && g_strcmp0 (old_server, server_url) != 0) ||
      (old_user != NULL && g_strcmp0 (old_user, job->username) != 0))
    {
      if (!cn_store_reset_for_resync (self->store, &error))
        {
          g_task_return_error (outer, g_steal_pointer (&error));
          return;
        }
    }

  if (!cn_store_set_meta (self->store, CN_STORE_META_SERVER_URL, server_url, &error) ||
      !cn_store_set_meta (self->store, CN_STORE_META_USER, job->username, &error) ||
      !cn_store_set_meta (self->store, CN_STORE_META_USER_ROLE, job->role, &error) ||
      !cn_store_set_meta (self->store, CN_STORE_META_USER_UNIT, job->unit_id, &error) ||
      !cn_store_set_meta (self->store, CN_SYNC_META_PINNED_CERTIFICATE,
                          job->accept_certificate, &error) ||
      !cn_store_set_meta (self->store, CN_SYNC_META_TOKEN_BACKEND,
                          job->backend == CN_CREDENTIALS_SECRET_SERVICE ? "secret-service" : "file",
                          &error))
    {
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
  set_string (self, &self->presented_certificate, NULL, PROP_PRESENTED_CERTIFICATE);
  set_string (self, &self->last_error, NULL, PROP_LAST_ERROR);
  g_object_thaw_notify (G_OBJECT (self));

  g_task_return_boolean (outer, TRUE);
}

void
cn_sync_client_login_async (CnSyncClient        *self,
                            const char          *server_url,
                            const char          *username,
                            const char          *password,
                            const char          *accept_certificate,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *pin = NULL;
  LoginJob *job;
  GError *error = NULL;

  g_return_if_fail (CN_IS_SYNC_CLIENT (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, cn_sync_client_login_async);

  normalized = cn_sync_normalize_server_url (server_url, &error);
  if (normalized == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  if (*username == '\0')
    {
      g_task_return_new_error (outer, CN_ERROR, CN_ERROR_INVALID, _("Enter a user name"));
      return;
    }
  if (accept_certificate != NULL)
    {
      pin = cn_sync_normalize_fingerprint (accept_certificate);
      if (pin == NULL)
        {
          g_task_return_new_error (outer, CN_ERROR, CN_ERROR_INVALID,
                                   _("“%s” is not a SHA-256 certificate fingerprint"),
                                   accept_certificate);
          return;
        }
    }
  else
    {
      /* The pin confirmed earlier for this same server still holds. */
      g_autofree char *old_server = cn_store_dup_meta (self->store, CN_STORE_META_SERVER_URL);

      if (g_strcmp0 (old_server, normalized) == 0)
        pin = cn_store_dup_meta (self->store, CN_SYNC_META_PINNED_CERTIFICATE);
    }

  job = g_new0 (LoginJob, 1);
  job->http = cn_sync_http_new (self->session, normalized, pin);
  job->data_dir = dup_data_dir (self->store);
  job->username = g_strdup (username);
  job->password = g_strdup (password);
  job->accept_certificate = g_steal_pointer (&pin);

  inner = g_task_new (self, cancellable, login_done_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (inner, login_thread);
  g_task_set_task_data (inner, job, (GDestroyNotify) login_job_free);
  g_task_run_in_thread (inner, login_thread);
}

gboolean
cn_sync_client_login_finish (CnSyncClient  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cn_sync_client_login_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  CnSyncHttp *http;
  char       *data_dir;
  char       *username;
} LogoutJob;

static void
logout_job_free (LogoutJob *job)
{
  g_clear_pointer (&job->http, cn_sync_http_free);
  g_free (job->data_dir);
  g_free (job->username);
  g_free (job);
}

static void
logout_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LogoutJob *job = task_data;
  const char *server_url = cn_sync_http_get_server_url (job->http);
  g_autofree char *token = NULL;
  g_autoptr(GError) revoke_error = NULL;
  GError *error = NULL;

  token = cn_credentials_load (job->data_dir, server_url, job->username, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (token != NULL)
    {
      g_autoptr(JsonNode) answer = NULL;

      cn_sync_http_set_token (job->http, token);
      answer = cn_sync_http_call_json (job->http, "DELETE", "api/v1/session", NULL,
                                       cancellable, &revoke_error);
      /* Offline or already expired: the token is forgotten here all the same, and the
       * server lets it expire. */
      if (answer == NULL)
        g_debug ("Could not revoke the session on the server: %s", revoke_error->message);
      memset (token, 0, strlen (token));
    }
  if (!cn_credentials_forget (job->data_dir, server_url, job->username, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
logout_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CnSyncClient *self = CN_SYNC_CLIENT (object);
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) ||
      !cn_store_set_meta (self->store, CN_SYNC_META_TOKEN_BACKEND, NULL, &error) ||
      !cn_store_set_meta (self->store, CN_STORE_META_USER_ROLE, NULL, &error) ||
      !cn_store_set_meta (self->store, CN_STORE_META_USER_UNIT, NULL, &error))
    {
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
  g_task_return_boolean (outer, TRUE);
}

void
cn_sync_client_logout_async (CnSyncClient        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *pinned = NULL;
  LogoutJob *job;

  g_return_if_fail (CN_IS_SYNC_CLIENT (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, cn_sync_client_logout_async);

  server_url = cn_store_dup_meta (self->store, CN_STORE_META_SERVER_URL);
  if (server_url == NULL)
    {
      g_task_return_boolean (outer, TRUE);
      return;
    }
  pinned = cn_store_dup_meta (self->store, CN_SYNC_META_PINNED_CERTIFICATE);
  job = g_new0 (LogoutJob, 1);
  job->http = cn_sync_http_new (self->session, server_url, pinned);
  job->data_dir = dup_data_dir (self->store);
  job->username = cn_store_dup_meta (self->store, CN_STORE_META_USER);

  inner = g_task_new (self, cancellable, logout_done_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (inner, logout_thread);
  g_task_set_task_data (inner, job, (GDestroyNotify) logout_job_free);
  g_task_run_in_thread (inner, logout_thread);
}

gboolean
cn_sync_client_logout_finish (CnSyncClient  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cn_sync_client_logout_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
cn_sync_client_trust_certificate (CnSyncClient  *self,
                                  const char    *fingerprint,
                                  GError       **error)
{
  g_autofree char *pin = NULL;

  g_return_val_if_fail (CN_IS_SYNC_CLIENT (self), FALSE);

  pin = cn_sync_normalize_fingerprint (fingerprint);
  if (pin == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("“%s” is not a SHA-256 certificate fingerprint"),
                   fingerprint != NULL ? fingerprint : "");
      return FALSE;
    }
  if (!cn_store_set_meta (self->store, CN_SYNC_META_PINNED_CERTIFICATE, pin, error))
    return FALSE;
  set_string (self, &self->presented_certificate, NULL, PROP_PRESENTED_CERTIFICATE);
  return TRUE;
}

/* ---------- files on demand ---------- */

/* Where a download's progress goes: shared (reference counted) by the job and the
 * messages on their way to the caller's context, so that each finds it alive. */
typedef struct
{
  GFileProgressCallback  callback;
  gpointer               data;
  GDestroyNotify         destroy;
} ProgressSink;

static void
progress_sink_clear (ProgressSink *sink)
{
  if (sink->destroy != NULL)
    sink->destroy (sink->data);
}

static void
progress_sink_unref (ProgressSink *sink)
{
  g_rc_box_release_full (sink, (GDestroyNotify) progress_sink_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ProgressSink, progress_sink_unref)

typedef struct
{
  ProgressSink *sink;
  goffset       current;
  goffset       total;
} ProgressMessage;

static void
progress_message_free (ProgressMessage *message)
{
  progress_sink_unref (message->sink);
  g_free (message);
}

static gboolean
progress_message_cb (gpointer user_data)
{
  ProgressMessage *message = user_data;

  message->sink->callback (message->current, message->total, message->sink->data);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  CnSyncJob    *job;
  char         *sha256;
  char         *dir;
  ProgressSink *sink;        /* NULL: nobody asked */
  GMainContext *context;     /* the caller's */
  int           sent;        /* the last thousandth sent, -1 before the first */
} FetchJob;

static gboolean
nothing_cb (gpointer user_data)
{
  return G_SOURCE_REMOVE;
}

static void
fetch_job_free (FetchJob *fetch)
{
  g_clear_pointer (&fetch->job, cn_sync_job_free);
  /* The job may end in the download thread: the progress data (a widget, say) is let go
   * in the caller's context, after the messages on their way there. */
  if (fetch->sink != NULL)
    g_main_context_invoke_full (fetch->context, G_PRIORITY_DEFAULT, nothing_cb,
                                g_steal_pointer (&fetch->sink), (GDestroyNotify) progress_sink_unref);
  g_clear_pointer (&fetch->context, g_main_context_unref);
  g_free (fetch->sha256);
  g_free (fetch->dir);
  g_free (fetch);
}

/* In the download thread: passes the progress on to the caller's context, a thousandth at
 * a time (a byte count when the size is unknown would flood it: then every 256 KiB). */
static void
fetch_progress_cb (goffset  current,
                   goffset  total,
                   gpointer user_data)
{
  FetchJob *fetch = user_data;
  int step = total > 0 ? (int) (current * 1000 / total) : (int) (current >> 18);
  ProgressMessage *message;

  if (step == fetch->sent && current != total)
    return;
  fetch->sent = step;
  message = g_new0 (ProgressMessage, 1);
  message->sink = g_rc_box_acquire (fetch->sink);
  message->current = current;
  message->total = total;
  g_main_context_invoke_full (fetch->context, G_PRIORITY_DEFAULT, progress_message_cb, message,
                              (GDestroyNotify) progress_message_free);
}

static void
fetch_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  FetchJob *fetch = task_data;
  GError *error = NULL;

  if (!load_token (fetch->job, &error) ||
      !cn_sync_http_get_file (fetch->job->http, fetch->sha256, fetch->dir,
                              fetch->sink != NULL ? fetch_progress_cb : NULL, fetch,
                              cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_build_filename (fetch->dir, fetch->sha256, NULL), g_free);
}

void
cn_sync_client_fetch_file_async (CnSyncClient          *self,
                                 const char            *sha256,
                                 GFileProgressCallback  progress,
                                 gpointer               progress_data,
                                 GDestroyNotify         progress_destroy,
                                 GCancellable          *cancellable,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data)
{
  g_autoptr(ProgressSink) sink = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  FetchJob *fetch;
  GError *error = NULL;

  g_return_if_fail (CN_IS_SYNC_CLIENT (self));

  /* Freed (progress_destroy called) on every way out, or with the download's job. */
  if (progress != NULL)
    {
      sink = g_rc_box_new0 (ProgressSink);
      sink->callback = progress;
      sink->data = progress_data;
      sink->destroy = progress_destroy;
    }
  else if (progress_destroy != NULL)
    progress_destroy (progress_data);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cn_sync_client_fetch_file_async);

  if (!cn_sync_is_sha256 (sha256))
    {
      g_task_return_new_error (task, CN_ERROR, CN_ERROR_INVALID,
                               _("“%s” is not the SHA-256 of a file"), sha256 != NULL ? sha256 : "");
      return;
    }
  dir = cn_store_dup_files_dir (self->store);
  path = g_build_filename (dir, sha256, NULL);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_task_return_pointer (task, g_steal_pointer (&path), g_free);
      return;
    }

  fetch = g_new0 (FetchJob, 1);
  fetch->job = new_job (self, &error);
  if (fetch->job == NULL)
    {
      fetch_job_free (fetch);
      g_task_return_error (task, error);
      return;
    }
  fetch->sha256 = g_strdup (sha256);
  fetch->dir = g_steal_pointer (&dir);
  fetch->sent = -1;
  fetch->context = g_main_context_ref_thread_default ();
  fetch->sink = g_steal_pointer (&sink);
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_job_free);
  g_task_run_in_thread (task, fetch_thread);
}

char *
cn_sync_client_fetch_file_finish (CnSyncClient  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------- conflicts ---------- */

gboolean
cn_sync_client_resolve_conflict (CnSyncClient  *self,
                                 const char    *id,
                                 const char    *take,
                                 GHashTable    *choices,
                                 GError       **error)
{
  gboolean ok;

  g_return_val_if_fail (CN_IS_SYNC_CLIENT (self), FALSE);

  ok = cn_sync_resolve_conflict (self->store, id, take, choices, error);
  cn_sync_client_refresh_counts (self);
  return ok;
}

/* ---------- accessors ---------- */

CnStore *
cn_sync_client_get_store (CnSyncClient *self)
{
  g_return_val_if_fail (CN_IS_SYNC_CLIENT (self), NULL);
  return self->store;
}

gboolean
cn_sync_client_get_signed_in (CnSyncClient *self)
{
  g_autofree char *backend = NULL;

  g_return_val_if_fail (CN_IS_SYNC_CLIENT (self), FALSE);

  backend = cn_store_dup_meta (self->store, CN_SYNC_META_TOKEN_BACKEND);
  return backend != NULL && *backend != '\0';
}

char *
cn_sync_client_dup_server_url (CnSyncClient *self)
{
  g_return_val_if_fail (CN_IS_SYNC_CLIENT (self), NULL);
  return cn_store_dup_meta (self->store, CN_STORE_META_SERVER_URL);
}

char *
cn_sync_client_dup_username (CnSyncClient *self)
{
  g_return_val_if_fail (CN_IS_SYNC_CLIENT (self), NULL);
  return cn_store_dup_meta (self->store, CN_STORE_META_USER);
}

CnSyncPhase
cn_sync_client_get_phase (CnSyncClient *self)
{
  g_return_val_if_fail (CN_IS_SYNC_CLIENT (self), CN_SYNC_PHASE_IDLE);
  return self->phase;
}

guint
cn_sync_client_get_done (CnSyncClient *self)
{
  g_return_val_if_fail (CN_IS_SYNC_CLIENT (self), 0);
  return self->done;
}

guint
cn_sync_client_get_total (CnSyncClient *self)
{
  g_return_val_if_fail (CN_IS_SYNC_CLIENT (self), 0);
  return self->total;
}

gboolean
cn_sync_client_get_syncing (CnSyncClient *self)
{
  g_return_val_if_fail (CN_IS_SYNC_CLIENT (self), FALSE);
  return self->syncing;
}

const char *
cn_sync_client_get_last_error (CnSyncClient *self)
{
  g_return_val_if_fail (CN_IS_SYNC_CLIENT (self), NULL);
  return self->last_error;
}

GDateTime *
cn_sync_client_get_last_sync (CnSyncClient *self)
{
  g_return_val_if_fail (CN_IS_SYNC_CLIENT (self), NULL);
  return self->last_sync;
}

guint
cn_sync_client_get_pending_count (CnSyncClient *self)
{
  g_return_val_if_fail (CN_IS_SYNC_CLIENT (self), 0);
  return self->pending_count;
}

guint
cn_sync_client_get_conflict_count (CnSyncClient *self)
{
  g_return_val_if_fail (CN_IS_SYNC_CLIENT (self), 0);
  return self->conflict_count;
}

guint
cn_sync_client_get_rejected_count (CnSyncClient *self)
{
  g_return_val_if_fail (CN_IS_SYNC_CLIENT (self), 0);
  return self->rejected_count;
}

gboolean
cn_sync_client_get_download_ahead (CnSyncClient *self)
{
  g_return_val_if_fail (CN_IS_SYNC_CLIENT (self), FALSE);
  return self->download_ahead;
}

void
cn_sync_client_set_download_ahead (CnSyncClient *self,
                                   gboolean      download_ahead)
{
  g_return_if_fail (CN_IS_SYNC_CLIENT (self));

  download_ahead = !!download_ahead;
  if (self->download_ahead == download_ahead)
    return;
  self->download_ahead = download_ahead;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOAD_AHEAD]);
}

const char *
cn_sync_client_get_presented_certificate (CnSyncClient *self)
{
  g_return_val_if_fail (CN_IS_SYNC_CLIENT (self), NULL);
  return self->presented_certificate;
}

CnSyncClient *
cn_sync_client_new (CnStore *store)
{
  g_return_val_if_fail (CN_IS_STORE (store), NULL);

  return g_object_new (CN_TYPE_SYNC_CLIENT, "store", store, NULL);
}

/* ---------- GObject ---------- */

static void
cn_sync_client_constructed (GObject *object)
{
  CnSyncClient *self = CN_SYNC_CLIENT (object);

  G_OBJECT_CLASS (cn_sync_client_parent_class)->constructed (object);

  g_assert (CN_IS_STORE (self->store));
  g_signal_connect_object (self->store, "changed", G_CALLBACK (store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  reload_last_sync (self);
  cn_sync_client_refresh_counts (self);
}

static void
cn_sync_client_dispose (GObject *object)
{
  CnSyncClient *self = CN_SYNC_CLIENT (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker_store);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cn_sync_client_parent_class)->dispose (object);
}

static void
cn_sync_client_finalize (GObject *object)
{
  CnSyncClient *self = CN_SYNC_CLIENT (object);

  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->last_sync, g_date_time_unref);
  g_free (self->last_error);
  g_free (self->presented_certificate);

  G_OBJECT_CLASS (cn_sync_client_parent_class)->finalize (object);
}

static void
cn_sync_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CnSyncClient *self = CN_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, cn_sync_client_get_signed_in (self));
      break;
    case PROP_SERVER_URL:
      g_value_take_string (value, cn_sync_client_dup_server_url (self));
      break;
    case PROP_USERNAME:
      g_value_take_string (value, cn_sync_client_dup_username (self));
      break;
    case PROP_PHASE:
      g_value_set_enum (value, self->phase);
      break;
    case PROP_DONE:
      g_value_set_uint (value, self->done);
      break;
    case PROP_TOTAL:
      g_value_set_uint (value, self->total);
      break;
    case PROP_SYNCING:
      g_value_set_boolean (value, self->syncing);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_LAST_SYNC:
      g_value_set_boxed (value, self->last_sync);
      break;
    case PROP_PENDING_COUNT:
      g_value_set_uint (value, self->pending_count);
      break;
    case PROP_CONFLICT_COUNT:
      g_value_set_uint (value, self->conflict_count);
      break;
    case PROP_REJECTED_COUNT:
      g_value_set_uint (value, self->rejected_count);
      break;
    case PROP_DOWNLOAD_AHEAD:
      g_value_set_boolean (value, self->download_ahead);
      break;
    case PROP_PRESENTED_CERTIFICATE:
      g_value_set_string (value, self->presented_certificate);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cn_sync_client_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CnSyncClient *self = CN_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_DOWNLOAD_AHEAD:
      cn_sync_client_set_download_ahead (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cn_sync_client_class_init (CnSyncClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = cn_sync_client_constructed;
  object_class->dispose = cn_sync_client_dispose;
  object_class->finalize = cn_sync_client_finalize;
  object_class->get_property = cn_sync_client_get_property;
  object_class->set_property = cn_sync_client_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CN_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIGNED_IN] = g_param_spec_boolean ("signed-in", NULL, NULL, FALSE, ro);
  properties[PROP_SERVER_URL] = g_param_spec_string ("server-url", NULL, NULL, NULL, ro);
  properties[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, NULL, ro);
  properties[PROP_PHASE] =
    g_param_spec_enum ("phase", NULL, NULL, CN_TYPE_SYNC_PHASE, CN_SYNC_PHASE_IDLE, ro);
  properties[PROP_DONE] = g_param_spec_uint ("done", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_TOTAL] = g_param_spec_uint ("total", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_SYNCING] = g_param_spec_boolean ("syncing", NULL, NULL, FALSE, ro);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  properties[PROP_LAST_SYNC] =
    g_param_spec_boxed ("last-sync", NULL, NULL, G_TYPE_DATE_TIME, ro);
  properties[PROP_PENDING_COUNT] =
    g_param_spec_uint ("pending-count", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_CONFLICT_COUNT] =
    g_param_spec_uint ("conflict-count", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_REJECTED_COUNT] =
    g_param_spec_uint ("rejected-count", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_DOWNLOAD_AHEAD] =
    g_param_spec_boolean ("download-ahead", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRESENTED_CERTIFICATE] =
    g_param_spec_string ("presented-certificate", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CnSyncClient::finished:
   * @summary: (nullable): what the sync did, or %NULL when it failed
   * @error: (nullable): why it failed
   *
   * Emitted in the client's main context after every sync, whoever started it.
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, CN_TYPE_SYNC_SUMMARY, G_TYPE_ERROR);
}

static void
cn_sync_client_init (CnSyncClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("caunoi/%s", PACKAGE_VERSION);

  self->context = g_main_context_ref_thread_default ();
  /* The system trust store checks HTTPS (the default GTlsDatabase); timeouts keep a dead
   * network from holding a sync forever. */
  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "timeout", 60,
                                                 "idle-timeout", 60,
                                                 NULL);
}
