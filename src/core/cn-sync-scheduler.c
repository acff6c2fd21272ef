/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-sync"

#include "config.h"

#include "cn-error.h"
#include "cn-sync-scheduler.h"

struct _CnSyncScheduler
{
  GObject          parent_instance;

  CnSyncClient    *client;
  GNetworkMonitor *monitor;
  gulong           network_handler;
  gulong           finished_handler;
  guint            interval;       /* minutes */
  guint            failures;
  guint            timeout_id;
  guint            next_delay;     /* seconds, of the planned timeout */
  gboolean         started;
  gboolean         network_available;
};

G_DEFINE_FINAL_TYPE (CnSyncScheduler, cn_sync_scheduler, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_INTERVAL,
  PROP_FAILURES,
  PROP_NEXT_DELAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void trigger (CnSyncScheduler *self);

guint
cn_sync_backoff_delay (guint  failures,
                       double random01)
{
  guint delay = CN_SYNC_BACKOFF_BASE_SECONDS;
  guint half;

  for (guint i = 1; i < failures && delay < CN_SYNC_BACKOFF_MAX_SECONDS; i++)
    delay *= 2;
  delay = MIN (delay, CN_SYNC_BACKOFF_MAX_SECONDS);
  random01 = CLAMP (random01, 0.0, 1.0);

  /* "Equal jitter": half fixed, so the wait still grows; half random, so clients spread. */
  half = delay / 2;
  return half + (guint) (random01 * (delay - half) + 0.5);
}

static gboolean
timeout_cb (gpointer user_data)
{
  CnSyncScheduler *self = user_data;

  self->timeout_id = 0;
  self->next_delay = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_DELAY]);
  trigger (self);
  return G_SOURCE_REMOVE;
}

static void
plan (CnSyncScheduler *self,
      guint            seconds)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->next_delay = seconds;
  if (seconds > 0 && self->started)
    self->timeout_id = g_timeout_add_seconds_full (G_PRIORITY_LOW, seconds, timeout_cb, self, NULL);
  else
    self->next_delay = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_DELAY]);
}

static void
plan_regular (CnSyncScheduler *self)
{
  plan (self, self->interval * 60);
}

static void
set_failures (CnSyncScheduler *self,
              guint            failures)
{
  if (self->failures == failures)
    return;
  self->failures = failures;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILURES]);
}

static void
sync_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CnSyncScheduler) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CnSyncSummary) summary = cn_sync_client_sync_finish (CN_SYNC_CLIENT (object),
                                                                 result, &error);

  if (!self->started)
    return;
  if (summary != NULL)
    {
      set_failures (self, 0);
      plan_regular (self);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
    return;  /* the running sync plans the next one when it ends */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, CN_ERROR, CN_ERROR_AUTH) ||
      g_error_matches (error, CN_ERROR, CN_ERROR_CERTIFICATE))
    {
      /* Only the user can fix these; keep the regular rhythm, do not hammer the server. */
      plan_regular (self);
      return;
    }
  set_failures (self, self->failures + 1);
  plan (self, cn_sync_backoff_delay (self->failures, g_random_double ()));
}

/* A sync started elsewhere (the header's button) that went well also resets the rhythm. */
static void
client_finished_cb (CnSyncClient    *client,
                    CnSyncSummary   *summary,
                    GError          *error,
                    CnSyncScheduler *self)
{
  if (summary == NULL || !self->started)
    return;
  set_failures (self, 0);
  plan_regular (self);
}

static void
trigger (CnSyncScheduler *self)
{
  if (!self->started)
    return;
  if (cn_sync_client_get_syncing (self->client) || !cn_sync_client_get_signed_in (self->client))
    {
      plan_regular (self);
      return;
    }
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  cn_sync_client_sync_async (self->client, NULL, sync_done_cb, g_object_ref (self));
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    CnSyncScheduler *self)
{
  gboolean was_available = self->network_available;

  self->network_available = available;
  /* Back in the office: sync now, whatever the backoff said. */
  if (available && !was_available && self->started)
    {
      set_failures (self, 0);
      trigger (self);
    }
}

void
cn_sync_scheduler_start (CnSyncScheduler *self)
{
  g_return_if_fail (CN_IS_SYNC_SCHEDULER (self));

  if (self->started)
    return;
  self->started = TRUE;
  self->finished_handler = g_signal_connect (self->client, "finished",
                                             G_CALLBACK (client_finished_cb), self);
  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->network_available = g_network_monitor_get_network_available (self->monitor);
  self->network_handler = g_signal_connect (self->monitor, "network-changed",
                                            G_CALLBACK (network_changed_cb), self);
  trigger (self);
}

void
cn_sync_scheduler_stop (CnSyncScheduler *self)
{
  g_return_if_fail (CN_IS_SYNC_SCHEDULER (self));

  self->started = FALSE;
  plan (self, 0);
  if (self->client != NULL)
    g_clear_signal_handler (&self->finished_handler, self->client);
  if (self->monitor != NULL)
    g_clear_signal_handler (&self->network_handler, self->monitor);
  g_clear_object (&self->monitor);
}

void
cn_sync_scheduler_sync_now (CnSyncScheduler *self)
{
  g_return_if_fail (CN_IS_SYNC_SCHEDULER (self));

  if (!self->started)
    {
      /* On demand works even without automatic syncing. */
      if (!cn_sync_client_get_syncing (self->client))
        cn_sync_client_sync_async (self->client, NULL, NULL, NULL);
      return;
    }
  trigger (self);
}

CnSyncClient *
cn_sync_scheduler_get_client (CnSyncScheduler *self)
{
  g_return_val_if_fail (CN_IS_SYNC_SCHEDULER (self), NULL);
  return self->client;
}

guint
cn_sync_scheduler_get_interval (CnSyncScheduler *self)
{
  g_return_val_if_fail (CN_IS_SYNC_SCHEDULER (self), 0);
  return self->interval;
}

void
cn_sync_scheduler_set_interval (CnSyncScheduler *self,
                                guint            minutes)
{
  g_return_if_fail (CN_IS_SYNC_SCHEDULER (self));

  if (self->interval == minutes)
    return;
  self->interval = minutes;
  if (self->started && self->failures == 0 && !cn_sync_client_get_syncing (self->client))
    plan_regular (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

guint
cn_sync_scheduler_get_failures (CnSyncScheduler *self)
{
  g_return_val_if_fail (CN_IS_SYNC_SCHEDULER (self), 0);
  return self->failures;
}

guint
cn_sync_scheduler_get_next_delay (CnSyncScheduler *self)
{
  g_return_val_if_fail (CN_IS_SYNC_SCHEDULER (self), 0);
  return self->next_delay;
}

CnSyncScheduler *
cn_sync_scheduler_new (CnSyncClient *client)
{
  g_return_val_if_fail (CN_IS_SYNC_CLIENT (client), NULL);

  return g_object_new (CN_TYPE_SYNC_SCHEDULER, "client", client, NULL);
}

static void
cn_sync_scheduler_dispose (GObject *object)
{
  CnSyncScheduler *self = CN_SYNC_SCHEDULER (object);

  cn_sync_scheduler_stop (self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (cn_sync_scheduler_parent_class)->dispose (object);
}

static void
cn_sync_scheduler_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CnSyncScheduler *self = CN_SYNC_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;
    case PROP_FAILURES:
      g_value_set_uint (value, self->failures);
      break;
    case PROP_NEXT_DELAY:
      g_value_set_uint (value, self->next_delay);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cn_sync_scheduler_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CnSyncScheduler *self = CN_SYNC_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_INTERVAL:
      cn_sync_scheduler_set_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cn_sync_scheduler_class_init (CnSyncSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cn_sync_scheduler_dispose;
  object_class->get_property = cn_sync_scheduler_get_property;
  object_class->set_property = cn_sync_scheduler_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, CN_TYPE_SYNC_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 0, 24 * 60, 15,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FAILURES] =
    g_param_spec_uint ("failures", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEXT_DELAY] =
    g_param_spec_uint ("next-delay", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cn_sync_scheduler_init (CnSyncScheduler *self)
{
  self->interval = 15;
}
