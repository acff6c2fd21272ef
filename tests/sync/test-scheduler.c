/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "cn-credentials.h"
#include "cn-error.h"
#include "cn-store.h"
#include "cn-sync-scheduler.h"

/* A network monitor the test switches on and off, installed as GIO's default. */
#define TEST_TYPE_NETWORK_MONITOR (test_network_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TestNetworkMonitor, test_network_monitor, TEST, NETWORK_MONITOR, GObject)

struct _TestNetworkMonitor
{
  GObject  parent_instance;
  gboolean available;
};

static void test_network_monitor_iface_init (GNetworkMonitorInterface *iface);

static gboolean
test_network_monitor_initable_init (GInitable     *initable,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  return TRUE;
}

static void
test_network_monitor_initable_iface_init (GInitableIface *iface)
{
  iface->init = test_network_monitor_initable_init;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestNetworkMonitor, test_network_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      test_network_monitor_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                      test_network_monitor_iface_init))

enum { PROP_MONITOR_0, PROP_AVAILABLE, PROP_METERED, PROP_CONNECTIVITY };

static void
test_network_monitor_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TestNetworkMonitor *self = TEST_NETWORK_MONITOR (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
test_network_monitor_can_reach (GNetworkMonitor     *monitor,
                                GSocketConnectable  *connectable,
                                GCancellable        *cancellable,
                                GError             **error)
{
  return TEST_NETWORK_MONITOR (monitor)->available;
}

static void
test_network_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = test_network_monitor_can_reach;
}

static void
test_network_monitor_class_init (TestNetworkMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_network_monitor_get_property;
  g_object_class_override_property (object_class, PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, PROP_CONNECTIVITY, "connectivity");
}

static void
test_network_monitor_init (TestNetworkMonitor *self)
{
  self->available = TRUE;
}

static void
set_network (gboolean available)
{
  TestNetworkMonitor *monitor = TEST_NETWORK_MONITOR (g_network_monitor_get_default ());

  monitor->available = available;
  g_signal_emit_by_name (monitor, "network-changed", available);
}

static void
test_backoff_bounds (void)
{
  guint previous_max = 0;

  for (guint failures = 1; failures <= 40; failures++)
    {
      guint low = cn_sync_backoff_delay (failures, 0.0);
      guint high = cn_sync_backoff_delay (failures, 0.999999);
      guint mid = cn_sync_backoff_delay (failures, 0.5);

      /* Jitter stays inside [d/2, d]; the wait never shrinks and never passes the cap. */
      g_assert_cmpuint (low, <=, mid);
      g_assert_cmpuint (mid, <=, high);
      g_assert_cmpuint (high, <=, CN_SYNC_BACKOFF_MAX_SECONDS);
      g_assert_cmpuint (low, >=, CN_SYNC_BACKOFF_BASE_SECONDS / 2);
      g_assert_cmpuint (high, >=, previous_max);
      g_assert_cmpuint (high, <=, 2 * low + 1);
      previous_max = high;
    }
  g_assert_cmpuint (cn_sync_backoff_delay (1, 0.0), ==, CN_SYNC_BACKOFF_BASE_SECONDS / 2);
  g_assert_cmpuint (cn_sync_backoff_delay (2, 0.999999), <=, 2 * CN_SYNC_BACKOFF_BASE_SECONDS);
  g_assert_cmpuint (cn_sync_backoff_delay (2, 0.999999), >, CN_SYNC_BACKOFF_BASE_SECONDS);
  g_assert_cmpuint (cn_sync_backoff_delay (40, 0.999999), ==, CN_SYNC_BACKOFF_MAX_SECONDS);
  /* Two clients failing together mostly wait different times. */
  g_assert_cmpuint (cn_sync_backoff_delay (6, 0.1), !=, cn_sync_backoff_delay (6, 0.9));
}

static void
count_any_cb (CnSyncClient  *client,
              CnSyncSummary *summary,
              GError        *error,
              guint         *count)
{
  (*count)++;
}

static void
count_finished_cb (CnSyncClient  *client,
                   CnSyncSummary *summary,
                   GError        *error,
                   guint         *failed)
{
  g_assert_true (summary == NULL && error != NULL);
  (*failed)++;
}

/* A client whose server is unreachable: the scheduler syncs on start, fails, and plans the
 * next try with backoff instead of the interval. */
static void
test_scheduler_backoff_after_failure (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("caunoi-scheduler-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "caunoi.db", NULL);
  g_autofree char *token = g_build_filename (dir, "sync-token", NULL);
  g_autoptr(CnStore) store = NULL;
  g_autoptr(CnSyncClient) client = NULL;
  g_autoptr(CnSyncScheduler) scheduler = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetSocketAddress) any = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  guint failed = 0;
  guint delay;

  g_assert_no_error (error);
  store = cn_store_open (db, &error);
  g_assert_no_error (error);

  /* A port nobody listens on: bound (so no one else takes it) but never listening. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  any = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new_from_string ("127.0.0.1", 0));
  g_assert_true (g_socket_bind (socket, G_SOCKET_ADDRESS (any), FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u/",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  /* As if signed in earlier: server, user and a saved token. */
  g_assert_true (cn_store_set_meta (store, CN_STORE_META_SERVER_URL, url, &error));
  g_assert_true (cn_store_set_meta (store, CN_STORE_META_USER, "an", &error));
  g_assert_true (cn_store_set_meta (store, CN_SYNC_META_TOKEN_BACKEND, "file", &error));
  g_assert_no_error (error);
  g_assert_true (cn_credentials_save (dir, url, "an", "not-a-real-token", NULL, &error));
  g_assert_no_error (error);

  client = cn_sync_client_new (store);
  g_signal_connect (client, "finished", G_CALLBACK (count_finished_cb), &failed);
  scheduler = cn_sync_scheduler_new (client);
  cn_sync_scheduler_set_interval (scheduler, 15);
  cn_sync_scheduler_start (scheduler);
  g_assert_true (cn_sync_client_get_syncing (client));

  /* A second sync while one runs is refused, never run alongside. */
  cn_sync_scheduler_sync_now (scheduler);

  while (failed == 0 || cn_sync_scheduler_get_failures (scheduler) == 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (failed, ==, 1);
  g_assert_false (cn_sync_client_get_syncing (client));
  g_assert_nonnull (cn_sync_client_get_last_error (client));
  delay = cn_sync_scheduler_get_next_delay (scheduler);
  g_assert_cmpuint (delay, >=, CN_SYNC_BACKOFF_BASE_SECONDS / 2);
  g_assert_cmpuint (delay, <=, CN_SYNC_BACKOFF_BASE_SECONDS);
  g_assert_cmpuint (delay, <, 15 * 60);

  cn_sync_scheduler_stop (scheduler);
  g_assert_cmpuint (cn_sync_scheduler_get_next_delay (scheduler), ==, 0);

  g_clear_object (&scheduler);
  g_clear_object (&client);
  g_clear_object (&store);
  wal = g_strconcat (db, "-wal", NULL);
  shm = g_strconcat (db, "-shm", NULL);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (db);
  g_unlink (token);
  g_rmdir (dir);
}


/* Back in the office: the network returns and a sync starts at once, whatever the plan. */
static void
test_scheduler_network_returns (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("caunoi-scheduler-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "caunoi.db", NULL);
  g_autoptr(CnStore) store = NULL;
  g_autoptr(CnSyncClient) client = NULL;
  g_autoptr(CnSyncScheduler) scheduler = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetSocketAddress) any = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;
  guint finished = 0;

  g_assert_true (TEST_IS_NETWORK_MONITOR (g_network_monitor_get_default ()));
  g_assert_no_error (error);
  store = cn_store_open (db, &error);
  g_assert_no_error (error);
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  any = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new_from_string ("127.0.0.1", 0));
  g_assert_true (g_socket_bind (socket, G_SOCKET_ADDRESS (any), FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u/",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_assert_true (cn_store_set_meta (store, CN_STORE_META_SERVER_URL, url, &error));
  g_assert_true (cn_store_set_meta (store, CN_STORE_META_USER, "an", &error));
  g_assert_true (cn_store_set_meta (store, CN_SYNC_META_TOKEN_BACKEND, "file", &error));
  g_assert_true (cn_credentials_save (dir, url, "an", "not-a-real-token", NULL, &error));
  g_assert_no_error (error);

  client = cn_sync_client_new (store);
  g_signal_connect (client, "finished", G_CALLBACK (count_any_cb), &finished);
  scheduler = cn_sync_scheduler_new (client);
  cn_sync_scheduler_set_interval (scheduler, 60);

  set_network (FALSE);
  cn_sync_scheduler_start (scheduler);
  /* Sync on start. */
  while (finished < 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (cn_sync_scheduler_get_failures (scheduler), ==, 1);
  g_assert_cmpuint (cn_sync_scheduler_get_next_delay (scheduler), >, 0);

  /* Still off: nothing new. On again: a sync right away, the backoff forgotten. */
  set_network (FALSE);
  g_assert_false (cn_sync_client_get_syncing (client));
  set_network (TRUE);
  g_assert_true (cn_sync_client_get_syncing (client));
  g_assert_cmpuint (cn_sync_scheduler_get_failures (scheduler), ==, 0);
  while (finished < 2)
    g_main_context_iteration (NULL, TRUE);

  cn_sync_scheduler_stop (scheduler);
  g_clear_object (&scheduler);
  g_clear_object (&client);
  g_clear_object (&store);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);
    g_autofree char *token = g_build_filename (dir, "sync-token", NULL);

    g_unlink (wal);
    g_unlink (shm);
    g_unlink (db);
    g_unlink (token);
    g_rmdir (dir);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Tokens in a private file: no keyring in a test session (set before any thread). */
  g_setenv ("CAUNOI_CREDENTIALS", "file", TRUE);
  /* Our switchable monitor becomes GIO's default one. */
  g_io_extension_point_set_required_type (
    g_io_extension_point_register (G_NETWORK_MONITOR_EXTENSION_POINT_NAME),
    G_TYPE_NETWORK_MONITOR);
  g_io_extension_point_implement (G_NETWORK_MONITOR_EXTENSION_POINT_NAME,
                                  TEST_TYPE_NETWORK_MONITOR, "caunoi-test", 10000);
  g_setenv ("GIO_USE_NETWORK_MONITOR", "caunoi-test", TRUE);
  g_test_add_func ("/sync/scheduler/backoff-bounds", test_backoff_bounds);
  g_test_add_func ("/sync/scheduler/backoff-after-failure", test_scheduler_backoff_after_failure);
  g_test_add_func ("/sync/scheduler/network-returns", test_scheduler_network_returns);
  return g_test_run ();
}
