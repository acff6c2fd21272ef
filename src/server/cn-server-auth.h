/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "cn-server-db.h"

G_BEGIN_DECLS

typedef enum {
  CN_ROLE_ADMIN,
  CN_ROLE_EDITOR,
  CN_ROLE_STAFF,
  CN_ROLE_VIEWER,
} CnRole;

gboolean     cn_role_from_string (const char *name,
                                  CnRole     *role);
const char  *cn_role_to_string   (CnRole      role);

typedef struct {
  char     *name;
  CnRole    role;
  char     *unit_id;   /* scope unit; NULL: no workflow records (admins see everything) */
  gboolean  disabled;
  char     *created_at;
} CnServerUser;

void          cn_server_user_free            (CnServerUser  *user);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CnServerUser, cn_server_user_free)

gboolean      cn_server_user_name_is_valid   (const char    *name);

/* Passwords: libsodium argon2id (crypto_pwhash_str), INTERACTIVE limits; the environment
 * variable CAUNOI_SERVER_FAST_KDF=1 selects the minimum limits, for tests only. */
char         *cn_server_password_hash        (const char    *password,
                                              GError       **error);
gboolean      cn_server_password_verify      (const char    *hash,
                                              const char    *password);
gboolean      cn_server_password_is_acceptable (const char  *password,
                                              GError       **error);

gboolean      cn_server_user_add             (CnServerDb    *db,
                                              const char    *name,
                                              CnRole         role,
                                              const char    *unit_id,
                                              const char    *password,
                                              GError       **error);
CnServerUser *cn_server_user_lookup          (CnServerDb    *db,
                                              const char    *name,
                                              char         **hash,
                                              GError       **error);
GPtrArray    *cn_server_user_list            (CnServerDb    *db,
                                              GError       **error);
gboolean      cn_server_user_set_password    (CnServerDb    *db,
                                              const char    *name,
                                              const char    *password,
                                              GError       **error);
gboolean      cn_server_user_set_disabled    (CnServerDb    *db,
                                              const char    *name,
                                              gboolean       disabled,
                                              GError       **error);

/* Sessions: a random 32-byte token (64 hex digits) handed to the client once; the
 * database keeps only its SHA-256. */
char         *cn_server_session_create       (CnServerDb    *db,
                                              const char    *user_name,
                                              GTimeSpan      lifetime,
                                              gint64        *expires_at,
                                              GError       **error);
CnServerUser *cn_server_session_lookup       (CnServerDb    *db,
                                              const char    *token,
                                              gint64        *expires_at,
                                              GError       **error);
gboolean      cn_server_session_revoke       (CnServerDb    *db,
                                              const char    *token,
                                              GError       **error);

/* Failed-login limiter: at most max_failures failures per key inside window seconds. */
typedef struct _CnLoginLimiter CnLoginLimiter;

CnLoginLimiter *cn_login_limiter_new         (guint          max_failures,
                                              guint          window_seconds);
void          cn_login_limiter_free          (CnLoginLimiter *self);
guint         cn_login_limiter_retry_after   (CnLoginLimiter *self,
                                              const char    *key,
                                              gint64         now_seconds);
void          cn_login_limiter_add_failure   (CnLoginLimiter *self,
                                              const char    *key,
                                              gint64         now_seconds);
void          cn_login_limiter_reset         (CnLoginLimiter *self,
                                              const char    *key);
/* Takes back the latest failure of @key (a login counted as failed until it succeeded). */
void          cn_login_limiter_forgive       (CnLoginLimiter *self,
                                              const char    *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CnLoginLimiter, cn_login_limiter_free)

G_END_DECLS
