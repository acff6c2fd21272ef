/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cn-server-db.h"

G_BEGIN_DECLS

/* One HTTP request, as the network adapter (or a fuzz target) hands it over. */
typedef struct {
  const char *method;
  const char *path;            /* decoded path, e.g. "/api/v1/changes" */
  const char *query;           /* raw query without '?', or NULL */
  const char *authorization;   /* the Authorization header, or NULL */
  const char *range;           /* the Range header, or NULL */
  const char *remote_address;  /* for the failed-login limiter; NULL counts as "unknown" */
  GBytes     *body;            /* NULL when there is none */
  gboolean    body_too_large;  /* the adapter stopped reading past the size cap */
} CnServerRequest;

typedef struct {
  guint      status;
  char      *content_type;     /* NULL when there is no body */
  GBytes    *body;             /* NULL when there is no body */
  GPtrArray *headers;          /* extra headers: name, value, name, value… */
  char      *user;             /* the authenticated user, for the request log */
  gboolean   last;             /* the client's exchange ends here: close the connection */
} CnServerResponse;

void cn_server_response_free (CnServerResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CnServerResponse, cn_server_response_free)

#define CN_TYPE_SERVER (cn_server_get_type ())
G_DECLARE_FINAL_TYPE (CnServer, cn_server, CN, SERVER, GObject)

#define CN_SERVER_DEFAULT_MAX_BODY          (8 * 1024 * 1024)
#define CN_SERVER_DEFAULT_MAX_FILE          (64 * 1024 * 1024)
#define CN_SERVER_DEFAULT_SESSION_HOURS     (24 * 14)
#define CN_SERVER_DEFAULT_LOGIN_ATTEMPTS    5
#define CN_SERVER_DEFAULT_LOGIN_WINDOW      (15 * 60)
#define CN_SERVER_DEFAULT_TOMBSTONE_DAYS    90
#define CN_SERVER_DEFAULT_IDLE_TIMEOUT      30

/* Takes ownership of @db. */
CnServer         *cn_server_new                (CnServerDb        *db,
                                                const char        *files_dir);
CnServerDb       *cn_server_get_db             (CnServer          *self);
void              cn_server_set_max_body       (CnServer          *self,
                                                gsize              max_body);
void              cn_server_set_max_file       (CnServer          *self,
                                                gsize              max_file);
void              cn_server_set_session_lifetime (CnServer        *self,
                                                GTimeSpan          lifetime);
void              cn_server_set_login_limits   (CnServer          *self,
                                                guint              attempts,
                                                guint              window_seconds);
/* Seconds a kept-alive connection may stay idle before the server closes it; 0 closes
 * every connection after its answer. Before cn_server_listen(). */
void              cn_server_set_idle_timeout   (CnServer          *self,
                                                guint              seconds);
/* Connections the server holds open (kept alive, busy or being closed). */
guint             cn_server_get_open_connections (CnServer        *self);

/* The whole API without sockets: what the SoupServer callback and the fuzz target call. */
CnServerResponse *cn_server_handle             (CnServer          *self,
                                                const CnServerRequest *request);

/* Listens on HOST:PORT (port 0: any free port); returns the URL it listens on. */
char             *cn_server_listen             (CnServer          *self,
                                                const char        *listen,
                                                GTlsCertificate   *certificate,
                                                GError           **error);
void              cn_server_disconnect         (CnServer          *self);

G_END_DECLS
