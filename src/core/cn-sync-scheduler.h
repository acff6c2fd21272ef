/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cn-sync-client.h"

G_BEGIN_DECLS

/*
 * CnSyncScheduler: when the app syncs. On start, every `interval` minutes (0: only on
 * demand and when the network returns), when GNetworkMonitor says the network came back,
 * and on demand. After a failure it waits with exponential backoff and jitter instead of
 * the interval; a sign-in or certificate problem waits for the user instead. Never starts
 * a sync while one runs.
 */

#define CN_TYPE_SYNC_SCHEDULER (cn_sync_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (CnSyncScheduler, cn_sync_scheduler, CN, SYNC_SCHEDULER, GObject)

CnSyncScheduler *cn_sync_scheduler_new          (CnSyncClient    *client);
CnSyncClient    *cn_sync_scheduler_get_client   (CnSyncScheduler *self);
guint            cn_sync_scheduler_get_interval (CnSyncScheduler *self);
void             cn_sync_scheduler_set_interval (CnSyncScheduler *self,
                                                 guint            minutes);
guint            cn_sync_scheduler_get_failures (CnSyncScheduler *self);
/* Seconds until the next automatic sync, 0 when none is planned. */
guint            cn_sync_scheduler_get_next_delay (CnSyncScheduler *self);

void             cn_sync_scheduler_start        (CnSyncScheduler *self);
void             cn_sync_scheduler_stop         (CnSyncScheduler *self);
void             cn_sync_scheduler_sync_now     (CnSyncScheduler *self);

/* The wait after `failures` failed syncs in a row (≥ 1), in seconds: 15 s doubled each
 * time, capped at 30 minutes, of which a random part (`random01` in [0, 1)) is jitter so
 * that the offices do not all come back at once. */
guint            cn_sync_backoff_delay          (guint            failures,
                                                 double           random01);

#define CN_SYNC_BACKOFF_BASE_SECONDS 15
#define CN_SYNC_BACKOFF_MAX_SECONDS  (30 * 60)

G_END_DECLS
