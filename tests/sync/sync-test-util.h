/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cn-store.h"
#include "cn-sync-client.h"

G_BEGIN_DECLS

/* A real caunoi-server on a loopback port, with its own temporary database. */
typedef struct
{
  char        *dir;
  char        *db_path;
  GSubprocess *process;
  guint16      port;
  char        *url;
  char        *tls_cert;     /* serve HTTPS with these when set */
  char        *tls_key;
} TestServer;

TestServer    *test_server_new            (void);
void           test_server_add_user       (TestServer  *server,
                                           const char  *name,
                                           const char  *role,
                                           const char  *unit,
                                           const char  *password);
void           test_server_start          (TestServer  *server);
void           test_server_kill           (TestServer  *server);
void           test_server_free           (TestServer  *server);
/* Runs `caunoi-server ARGS… --db DB` to completion and asserts it succeeded. */
void           test_server_run_command    (TestServer  *server,
                                           const char  *first_arg,
                                           ...) G_GNUC_NULL_TERMINATED;

/* A client: its own XDG data directory, store and sync client. */
typedef struct
{
  char         *dir;          /* XDG_DATA_HOME of this client */
  char         *db_path;
  CnStore      *store;
  CnSyncClient *sync;
  gboolean      debug_log;    /* its CLI runs with every debug message on */
} TestClient;

TestClient    *test_client_new            (void);
void           test_client_free           (TestClient  *client);
void           test_client_login          (TestClient  *client,
                                           const char  *url,
                                           const char  *user,
                                           const char  *password);
gboolean       test_client_try_login      (TestClient  *client,
                                           const char  *url,
                                           const char  *user,
                                           const char  *password,
                                           GError     **error);
/* One sync through the C API; NULL and *error on failure. */
CnSyncSummary *test_client_sync           (TestClient  *client,
                                           GError     **error);
char          *test_client_fetch_file     (TestClient  *client,
                                           const char  *sha256,
                                           GError     **error);

/* A download's progress as the caller's main context saw it. */
typedef struct
{
  goffset current;
  goffset total;
} TestProgressStep;

typedef struct
{
  GArray   *steps;       /* TestProgressStep; the caller frees it */
  gboolean  destroyed;   /* the progress data was let go */
} TestProgress;

char          *test_client_fetch_file_progress (TestClient    *client,
                                                const char    *sha256,
                                                TestProgress  *progress,
                                                GError       **error);
CnRecord      *test_client_put            (TestClient  *client,
                                           const char  *collection,
                                           const char  *id,
                                           const char  *json);
CnRecord      *test_client_patch          (TestClient  *client,
                                           const char  *id,
                                           const char  *json);
CnRecord      *test_client_get            (TestClient  *client,
                                           const char  *id);
guint          test_client_count          (TestClient  *client,
                                           const char  *collection);

/* Runs caunoi-cli for this client (its XDG_DATA_HOME) with stdin; returns the exit status
 * and the outputs. */
int            test_client_cli            (TestClient  *client,
                                           const char  *stdin_text,
                                           char       **stdout_text,
                                           char       **stderr_text,
                                           const char  *first_arg,
                                           ...) G_GNUC_NULL_TERMINATED;
GSubprocess   *test_client_cli_spawn      (TestClient  *client,
                                           GSubprocessFlags flags,
                                           GError     **error,
                                           const char  *first_arg,
                                           ...) G_GNUC_NULL_TERMINATED;
JsonNode      *test_parse_json            (const char  *text);
JsonObject    *test_object                (const char  *json);
void           test_rm_rf                 (const char  *path);
void           test_wait_process          (GSubprocess *process);

/* An HTTP proxy in this process in front of the server that can hold one request: the
 * n-th request whose method and path start match, is held (optionally after the server
 * already answered it) until the test releases or drops it. */
typedef struct _TestProxy TestProxy;

TestProxy     *test_proxy_new             (const char  *upstream_url);
const char    *test_proxy_get_url         (TestProxy   *proxy);
void           test_proxy_hold            (TestProxy   *proxy,
                                           const char  *method,
                                           const char  *path_prefix,
                                           guint        nth,
                                           gboolean     forward_first);
/* Runs the main loop until the held request arrived (and, with forward_first, the server
 * answered it). */
void           test_proxy_wait_held       (TestProxy   *proxy);
/* Closes the held request's connection without an answer. */
void           test_proxy_drop_held       (TestProxy   *proxy);
/* Requests seen whose "PATH?QUERY" starts with path_prefix. */
guint          test_proxy_count           (TestProxy   *proxy,
                                           const char  *method,
                                           const char  *path_prefix);
const char    *test_proxy_last_range      (TestProxy   *proxy);
void           test_proxy_free            (TestProxy   *proxy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestServer, test_server_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestClient, test_client_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestProxy, test_proxy_free)

G_END_DECLS
