/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A real caunoi-server in a temporary directory, on a loopback port. */
typedef struct {
  char        *dir;
  char        *db_path;
  char        *files_dir;
  char        *log_path;
  char        *url;         /* "http://127.0.0.1:PORT/" */
  GSubprocess *process;
  SoupSession *session;
} CnTestServer;

/* Runs caunoi-server ARGS… with @input on stdin; returns its exit status. */
int           cn_test_run_command       (const char     *input,
                                         char          **out,
                                         char          **err,
                                         const char     *first_arg,
                                         ...) G_GNUC_NULL_TERMINATED;

/* A database (init), no server yet. */
CnTestServer *cn_test_server_new        (void);
/* Starts `serve` with the extra options (NULL-terminated). */
void          cn_test_server_start      (CnTestServer   *server,
                                         const char     *first_option,
                                         ...) G_GNUC_NULL_TERMINATED;
/* SIGTERM, and checks that it exits cleanly. */
void          cn_test_server_stop       (CnTestServer   *server);
void          cn_test_server_free       (CnTestServer   *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CnTestServer, cn_test_server_free)

void          cn_test_server_add_user   (CnTestServer   *server,
                                         const char     *name,
                                         const char     *role,
                                         const char     *unit_id,
                                         const char     *password);

/* One HTTP request; @body may be NULL. Returns the status; the parsed JSON answer (if it
 * is JSON) in @answer, the raw bytes in @raw. */
guint         cn_test_request           (CnTestServer   *server,
                                         const char     *method,
                                         const char     *path,
                                         const char     *token,
                                         const char     *content_type,
                                         GBytes         *body,
                                         JsonNode      **answer,
                                         GBytes        **raw,
                                         SoupMessageHeaders **response_headers);
guint         cn_test_request_json      (CnTestServer   *server,
                                         const char     *method,
                                         const char     *path,
                                         const char     *token,
                                         const char     *json,
                                         JsonNode      **answer);
char         *cn_test_login             (CnTestServer   *server,
                                         const char     *name,
                                         const char     *password);

/* Pushes one put/delete; returns the single result object (owned by @holder). */
JsonObject   *cn_test_push_one          (CnTestServer   *server,
                                         const char     *token,
                                         const char     *collection,
                                         const char     *id,
                                         gint64          base_rev,
                                         const char     *op,
                                         const char     *data_json,
                                         JsonNode      **holder);
/* Pulls everything from @since; returns the changes array node (owned by @holder). */
JsonArray    *cn_test_pull_all          (CnTestServer   *server,
                                         const char     *token,
                                         gint64          since,
                                         gint64         *next,
                                         JsonNode      **holder);
gboolean      cn_test_healthy           (CnTestServer   *server);
char         *cn_test_uuid              (void);

G_END_DECLS

G_BEGIN_DECLS

/* A province with two districts (A and B), a commune in each, and users:
 * admin (no unit), editor (no unit), staff_a and viewer_a (district A), staff_b (district B).
 * Passwords are "<name>-password". The server is started. */
typedef struct {
  char *province;
  char *district_a;
  char *district_b;
  char *commune_a;
  char *commune_b;
  char *admin;     /* session tokens */
  char *editor;
  char *staff_a;
  char *staff_b;
  char *viewer_a;
} CnTestWorld;

void cn_test_world_setup (CnTestServer *server,
                          CnTestWorld  *world);
void cn_test_world_clear (CnTestWorld  *world);

G_END_DECLS
