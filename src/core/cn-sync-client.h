/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cn-store.h"

G_BEGIN_DECLS

/*
 * CnSyncClient: talks to caunoi-server for one client store (DESIGN.md, "Sync protocol").
 *
 * One SoupSession. A sync runs in a worker thread on its own CnStore connection to the same
 * database (the window never waits for the network or for SQLite); progress comes back to
 * the main context the client was created in, as property notifications:
 *
 *   phase ........... CnSyncPhase: idle, pushing, pulling, files
 *   done, total ..... counts inside the phase (total 0 when unknown)
 *   syncing ......... a sync is running (a second one is refused, never run alongside)
 *   last-error ...... the message of the last failed sync, NULL after a good one
 *   last-sync ....... GDateTime of the last sync that finished, NULL before the first
 *   pending-count ... outbox entries not yet on the server
 *   conflict-count .. conflicts waiting for the user
 *   rejected-count .. edits the server refused (kept, with the server's reason)
 *   signed-in, server-url, username
 *   download-ahead .. also fetch the attachments of pulled records (read/write)
 *   presented-certificate  SHA-256 fingerprint of the last certificate that was refused
 *
 * A sync pushes the outbox in order, in batches (retries are idempotent by mutation_id):
 * "applied" updates rev and drops the base copy; "conflict" merges three ways against the
 * base copy (one-side fields merge by themselves and are pushed again on the new rev;
 * fields changed on both sides become a stored conflict); "rejected" stays in the outbox,
 * marked with the server's reason, and is not sent again until the user retries it. Then it
 * pulls the change feed page by page, each page and its cursor in one transaction; a 410
 * answer starts a full resync that keeps every unsent edit.
 *
 * What waits for the user lives in the store: cn_store_list_conflicts() (settle with
 * cn_sync_client_resolve_conflict()), and the refused edits in
 * cn_store_list_outbox (store, TRUE, 0) with state CN_OUTBOX_REJECTED and the server's
 * reason (send again with cn_store_retry_rejected(), drop with
 * cn_store_discard_local_changes()). The counts follow every store change by themselves.
 *
 * HTTPS is checked against the system trust store. A certificate it does not trust fails
 * with CN_ERROR_CERTIFICATE and the property presented-certificate holds its fingerprint;
 * once the user confirmed it, pass it to cn_sync_client_login_async() (or
 * cn_sync_client_trust_certificate()): it is pinned in the store and only that certificate
 * is accepted for that server.
 */

typedef enum {
  CN_SYNC_PHASE_IDLE,
  CN_SYNC_PHASE_PUSHING,
  CN_SYNC_PHASE_PULLING,
  CN_SYNC_PHASE_FILES,
  CN_SYNC_PHASE_INDEXING,  /* full-text indexing of what a big pull brought */
} CnSyncPhase;

#define CN_TYPE_SYNC_PHASE (cn_sync_phase_get_type ())
GType cn_sync_phase_get_type (void) G_GNUC_CONST;

/* Meta keys of the sync client, beside those of cn-store.h. */
#define CN_SYNC_META_PINNED_CERTIFICATE "pinned_certificate"  /* SHA-256, AA:BB:… */
#define CN_SYNC_META_TOKEN_BACKEND      "token_backend"       /* set while signed in */

typedef struct {
  guint    pulled;            /* records received from the server */
  guint    pushed;            /* local edits the server applied */
  guint    merged;            /* edits merged with a newer server version and sent again */
  guint    conflicts;         /* conflicts waiting for the user after this sync */
  guint    rejected;          /* edits the server refused, kept with its reason */
  guint    files_uploaded;
  guint    files_downloaded;
  gboolean full_resync;       /* the server had purged history (410) */
} CnSyncSummary;

#define CN_TYPE_SYNC_SUMMARY (cn_sync_summary_get_type ())
GType          cn_sync_summary_get_type (void) G_GNUC_CONST;
CnSyncSummary *cn_sync_summary_copy     (const CnSyncSummary *summary);
void           cn_sync_summary_free     (CnSyncSummary       *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CnSyncSummary, cn_sync_summary_free)

#define CN_TYPE_SYNC_CLIENT (cn_sync_client_get_type ())
G_DECLARE_FINAL_TYPE (CnSyncClient, cn_sync_client, CN, SYNC_CLIENT, GObject)

CnSyncClient  *cn_sync_client_new                   (CnStore              *store);
CnStore       *cn_sync_client_get_store             (CnSyncClient         *self);

gboolean       cn_sync_client_get_signed_in         (CnSyncClient         *self);
char          *cn_sync_client_dup_server_url        (CnSyncClient         *self);
char          *cn_sync_client_dup_username          (CnSyncClient         *self);
CnSyncPhase    cn_sync_client_get_phase             (CnSyncClient         *self);
guint          cn_sync_client_get_done              (CnSyncClient         *self);
guint          cn_sync_client_get_total             (CnSyncClient         *self);
gboolean       cn_sync_client_get_syncing           (CnSyncClient         *self);
const char    *cn_sync_client_get_last_error        (CnSyncClient         *self);
GDateTime     *cn_sync_client_get_last_sync         (CnSyncClient         *self);
guint          cn_sync_client_get_pending_count     (CnSyncClient         *self);
guint          cn_sync_client_get_conflict_count    (CnSyncClient         *self);
guint          cn_sync_client_get_rejected_count    (CnSyncClient         *self);
gboolean       cn_sync_client_get_download_ahead    (CnSyncClient         *self);
void           cn_sync_client_set_download_ahead    (CnSyncClient         *self,
                                                     gboolean              download_ahead);
const char    *cn_sync_client_get_presented_certificate (CnSyncClient     *self);

/* Re-reads the counts from the store (after local edits) and notifies what changed. */
void           cn_sync_client_refresh_counts        (CnSyncClient         *self);

/* Signs in: POST /session, keeps the token (cn-credentials.h), remembers server and user.
 * `accept_certificate` is the SHA-256 fingerprint the user confirmed for a server whose
 * certificate the system does not trust, or NULL. */
void           cn_sync_client_login_async           (CnSyncClient         *self,
                                                     const char           *server_url,
                                                     const char           *username,
                                                     const char           *password,
                                                     const char           *accept_certificate,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean       cn_sync_client_login_finish          (CnSyncClient         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* Signs out: revokes the token on the server when it can be reached and always forgets it
 * here. Unsent edits stay in the outbox. */
void           cn_sync_client_logout_async          (CnSyncClient         *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean       cn_sync_client_logout_finish         (CnSyncClient         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* Pins a fingerprint the user confirmed for the current server. */
gboolean       cn_sync_client_trust_certificate     (CnSyncClient         *self,
                                                     const char           *fingerprint,
                                                     GError              **error);

/* One sync: upload pending files, push, pull, then download files ahead when asked.
 * Fails with G_IO_ERROR_PENDING while another sync runs; cancelled by `cancellable` or
 * cn_sync_client_cancel(). */
void           cn_sync_client_sync_async            (CnSyncClient         *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
CnSyncSummary *cn_sync_client_sync_finish           (CnSyncClient         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void           cn_sync_client_cancel                (CnSyncClient         *self);

/* Settles a stored conflict: take "mine" or "theirs" for every conflicting field, except
 * the fields named in `choices` (field name → "mine" or "theirs"; may be NULL). The result
 * goes to the outbox for the next sync (or, when it equals the server's version, simply
 * replaces the local copy). */
gboolean       cn_sync_client_resolve_conflict      (CnSyncClient         *self,
                                                     const char           *id,
                                                     const char           *take,
                                                     GHashTable           *choices,
                                                     GError              **error);

/* The local copy of an attachment ($XDG_DATA_HOME/caunoi/files/<sha256>), downloaded
 * first when missing (resumed with Range, hash-checked). Returns the file's path.
 * @progress (may be NULL) is called in the caller's main context with the bytes received
 * and the file's size (0 when unknown), at most once each thousandth of the file;
 * @progress_destroy frees @progress_data after its last call. */
void           cn_sync_client_fetch_file_async      (CnSyncClient         *self,
                                                     const char           *sha256,
                                                     GFileProgressCallback progress,
                                                     gpointer              progress_data,
                                                     GDestroyNotify        progress_destroy,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
char          *cn_sync_client_fetch_file_finish     (CnSyncClient         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

G_END_DECLS
