/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "cn-store.h"
#include "cn-sync-client.h"

G_BEGIN_DECLS

/* Inside libcaunoi-core only: the pieces a sync is made of. */

/* The server's largest page (CN_SERVER_MAX_PAGE): fewer requests and transactions. */
#define CN_SYNC_PULL_PAGE 1000
#define CN_SYNC_PUSH_BATCH 100

/* What a worker thread needs to talk to the server. Built on the main thread; the session
 * is configured there and only used to send messages from the worker (libsoup ≥ 3.2). */
typedef struct _CnSyncHttp CnSyncHttp;

CnSyncHttp  *cn_sync_http_new              (SoupSession   *session,
                                            const char    *server_url,
                                            const char    *pinned_certificate);
void         cn_sync_http_free             (CnSyncHttp    *http);
void         cn_sync_http_set_token        (CnSyncHttp    *http,
                                            const char    *token);
const char  *cn_sync_http_get_server_url   (CnSyncHttp    *http);
guint        cn_sync_http_get_last_status  (CnSyncHttp    *http);
/* The fingerprint of a certificate refused during the last request, or NULL. */
char        *cn_sync_http_dup_presented_certificate (CnSyncHttp *http);

/* Sends a JSON request (body may be NULL) and returns the JSON answer of a 2xx status.
 * Any other status becomes a translated GError: 401 CN_ERROR_AUTH, 403 CN_ERROR_FORBIDDEN,
 * 410 CN_ERROR_GONE, others CN_ERROR_SERVER with the server's message; a transport
 * failure CN_ERROR_NETWORK; a refused certificate CN_ERROR_CERTIFICATE. */
JsonNode    *cn_sync_http_call_json        (CnSyncHttp    *http,
                                            const char    *method,
                                            const char    *path,
                                            JsonNode      *body,
                                            GCancellable  *cancellable,
                                            GError       **error);
/* PUT of a file's bytes at /api/v1/files/<sha256>. */
gboolean     cn_sync_http_put_file         (CnSyncHttp    *http,
                                            const char    *sha256,
                                            const char    *path,
                                            GCancellable  *cancellable,
                                            GError       **error);
/* GET /api/v1/files/<sha256> into dir/<sha256>, resuming dir/<sha256>.part with Range,
 * checking the hash before the file takes its final name. @progress (may be NULL) is
 * called in this thread with the bytes the file has so far and its size (0 when the
 * server does not say). */
gboolean     cn_sync_http_get_file         (CnSyncHttp            *http,
                                            const char            *sha256,
                                            const char            *dir,
                                            GFileProgressCallback  progress,
                                            gpointer               progress_data,
                                            GCancellable          *cancellable,
                                            GError               **error);

char        *cn_sync_certificate_fingerprint (GTlsCertificate *certificate);
/* Lower-case hex without separators, or NULL when not a SHA-256 fingerprint. */
char        *cn_sync_normalize_fingerprint (const char   *fingerprint);
char        *cn_sync_normalize_server_url  (const char    *url,
                                            GError       **error);

/* Progress from the worker, delivered to the client in its main context. */
typedef void (*CnSyncProgressFunc) (CnSyncPhase phase,
                                    guint       done,
                                    guint       total,
                                    gpointer    user_data);

typedef struct {
  CnSyncHttp         *http;
  char               *db_path;
  /* The worker's own connection to db_path, kept by the client between syncs (opening one
   * and preparing its statements again cost more than a small sync). NULL: cn_sync_run()
   * opens it and leaves it here. Only the thread running the job uses it. */
  CnStore            *store;
  char               *username;
  gboolean            download_ahead;
  CnSyncProgressFunc  progress;
  gpointer            progress_data;
} CnSyncJob;

/* The whole sync, blocking: run it in a worker thread. */
CnSyncSummary *cn_sync_run                 (CnSyncJob     *job,
                                            GCancellable  *cancellable,
                                            GError       **error);

/* Reads the answer to GET /changes?since=SINCE: the page's records, each validated, its
 * `next` cursor (never before @since) and `more` (never TRUE without moving forward).
 * NULL and a CN_ERROR_SERVER error when the page is malformed. */
GPtrArray   *cn_sync_parse_changes_page    (JsonNode      *answer,
                                            gint64         since,
                                            gint64        *next,
                                            gboolean      *more,
                                            GError       **error);

/* Settles a stored conflict (see cn_sync_client_resolve_conflict()). */
gboolean     cn_sync_resolve_conflict      (CnStore       *store,
                                            const char    *id,
                                            const char    *take,
                                            GHashTable    *choices,
                                            GError       **error);

/* Attachment references (objects with a "sha256" member) anywhere inside data. */
void         cn_sync_collect_file_refs     (JsonNode      *node,
                                            GHashTable    *set);
gboolean     cn_sync_is_sha256             (const char    *text);

G_END_DECLS
