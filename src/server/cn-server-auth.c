/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "cn-error.h"
#include "cn-schema.h"
#include "cn-server-auth.h"
#include "cn-server-import.h"
#include "cn-time.h"

#define TOKEN_BYTES 32
#define PASSWORD_MIN_CHARS 8
#define PASSWORD_MAX_BYTES 1024

static const char * const role_names[] = { "admin", "editor", "staff", "viewer" };

gboolean
cn_role_from_string (const char *name,
                     CnRole     *role)
{
  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    {
      if (g_strcmp0 (name, role_names[i]) == 0)
        {
          *role = (CnRole) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
cn_role_to_string (CnRole role)
{
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_names), "viewer");
  return role_names[role];
}

void
cn_server_user_free (CnServerUser *user)
{
  if (user == NULL)
    return;
  g_free (user->name);
  g_free (user->unit_id);
  g_free (user->created_at);
  g_free (user);
}

gboolean
cn_server_user_name_is_valid (const char *name)
{
  glong n_chars;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return FALSE;
  n_chars = g_utf8_strlen (name, -1);
  if (n_chars < 1 || n_chars > 64)
    return FALSE;
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isspace (c) || g_unichar_iscntrl (c) || c == ':' || c == '/')
        return FALSE;
    }
  return TRUE;
}

static void
kdf_limits (unsigned long long *opslimit,
            size_t             *memlimit)
{
  if (g_strcmp0 (g_getenv ("CAUNOI_SERVER_FAST_KDF"), "1") == 0)
    {
      *opslimit = crypto_pwhash_OPSLIMIT_MIN;
      *memlimit = crypto_pwhash_MEMLIMIT_MIN;
    }
  else
    {
      *opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
      *memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    }
}

gboolean
cn_server_password_is_acceptable (const char  *password,
                                  GError     **error)
{
  if (password == NULL || !g_utf8_validate (password, -1, NULL))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID, _("The password is not valid UTF-8 text"));
      return FALSE;
    }
  if (g_utf8_strlen (password, -1) < PASSWORD_MIN_CHARS)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("The password is too short: use at least %d characters"),
                   PASSWORD_MIN_CHARS);
      return FALSE;
    }
  if (strlen (password) > PASSWORD_MAX_BYTES)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID, _("The password is too long"));
      return FALSE;
    }
  return TRUE;
}

char *
cn_server_password_hash (const char  *password,
                         GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];
  unsigned long long opslimit;
  size_t memlimit;

  kdf_limits (&opslimit, &memlimit);
  if (crypto_pwhash_str (hash, password, strlen (password), opslimit, memlimit) != 0)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_FAILED,
                   _("Could not hash the password: out of memory"));
      return NULL;
    }
  return g_strdup (hash);
}

gboolean
cn_server_password_verify (const char *hash,
                           const char *password)
{
  if (hash == NULL || password == NULL || strlen (password) > PASSWORD_MAX_BYTES)
    return FALSE;
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

static gboolean
unit_exists (CnServerDb  *db,
             const char  *unit_id,
             GError     **error)
{
  g_autoptr(CnServerStmt) stmt = NULL;

  stmt = cn_server_db_prepare (db,
                               "SELECT 1 FROM records "
                               "WHERE collection = 'unit' AND id = ? AND deleted = 0", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, unit_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return TRUE;
  g_set_error (error, CN_ERROR, CN_ERROR_NOT_FOUND,
               _("There is no unit with the id %s; load the units first (for example with "
                 "“caunoi-server load-sample”)"), unit_id);
  return FALSE;
}

gboolean
cn_server_user_add (CnServerDb  *db,
                    const char  *name,
                    CnRole       role,
                    const char  *unit_id,
                    const char  *password,
                    GError     **error)
{
  g_autoptr(CnServerStmt) stmt = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *now = cn_time_now_rfc3339 ();
  int rc;

  if (!cn_server_user_name_is_valid (name))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("“%s” is not a valid user name: use 1 to 64 characters without spaces, "
                     "“:” or “/”"), name);
      return FALSE;
    }
  if (g_str_equal (name, CN_SERVER_IMPORT_USER) || g_str_equal (name, CN_SERVER_SAMPLE_USER))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("“%s” is reserved for records the server writes itself"), name);
      return FALSE;
    }
  if ((role == CN_ROLE_STAFF || role == CN_ROLE_VIEWER) && unit_id == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("A %s user needs a scope unit: pass --unit UNIT_ID"),
                   cn_role_to_string (role));
      return FALSE;
    }
  if (unit_id != NULL && !unit_exists (db, unit_id, error))
    return FALSE;
  if (!cn_server_password_is_acceptable (password, error))
    return FALSE;

  hash = cn_server_password_hash (password, error);
  if (hash == NULL)
    return FALSE;

  stmt = cn_server_db_prepare (db,
                               "INSERT INTO users (name, role, unit_id, hash, created_at) "
                               "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, cn_role_to_string (role), -1, SQLITE_STATIC);
  if (unit_id != NULL)
    sqlite3_bind_text (stmt, 3, unit_id, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 3);
  sqlite3_bind_text (stmt, 4, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  sodium_memzero (hash, strlen (hash));
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("A user named “%s” already exists"), name);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return cn_server_db_set_error (db, error);
  return TRUE;
}

static CnServerUser *
user_from_row (sqlite3_stmt *stmt,
               int           first)
{
  CnServerUser *user = g_new0 (CnServerUser, 1);

  user->name = g_strdup ((const char *) sqlite3_column_text (stmt, first));
  if (!cn_role_from_string ((const char *) sqlite3_column_text (stmt, first + 1), &user->role))
    user->role = CN_ROLE_VIEWER;  /* an unknown role in the database grants nothing */
  user->unit_id = g_strdup ((const char *) sqlite3_column_text (stmt, first + 2));
  user->disabled = sqlite3_column_int (stmt, first + 3) != 0;
  user->created_at = g_strdup ((const char *) sqlite3_column_text (stmt, first + 4));
  return user;
}

CnServerUser *
cn_server_user_lookup (CnServerDb  *db,
                       const char  *name,
                       char       **hash,
                       GError     **error)
{
  g_autoptr(CnServerStmt) stmt = NULL;
  int rc;

  stmt = cn_server_db_prepare (db,
                               "SELECT name, role, unit_id, disabled, created_at, hash "
                               "FROM users WHERE name = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (hash != NULL)
        *hash = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      return user_from_row (stmt, 0);
    }
  if (rc != SQLITE_DONE)
    {
      cn_server_db_set_error (db, error);
      return NULL;
    }
  g_set_error (error, CN_ERROR, CN_ERROR_NOT_FOUND, _("There is no user named “%s”"), name);
  return NULL;
}

GPtrArray *
cn_server_user_list (CnServerDb  *db,
                     GError     **error)
{
  g_autoptr(CnServerStmt) stmt = NULL;
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) cn_server_user_free);
  int rc;

  stmt = cn_server_db_prepare (db,
                               "SELECT name, role, unit_id, disabled, created_at "
                               "FROM users ORDER BY name", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (users, user_from_row (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      cn_server_db_set_error (db, error);
      return NULL;
    }
  return g_steal_pointer (&users);
}

static gboolean
revoke_user_sessions (CnServerDb  *db,
                      const char  *name,
                      GError     **error)
{
  g_autoptr(CnServerStmt) stmt = NULL;

  stmt = cn_server_db_prepare (db, "UPDATE sessions SET revoked = 1 WHERE user_name = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return cn_server_db_set_error (db, error);
  return TRUE;
}

static gboolean
update_user (CnServerDb  *db,
             const char  *sql,
             const char  *name,
             const char  *text_value,
             int          int_value,
             GError     **error)
{
  g_autoptr(CnServerStmt) stmt = NULL;

  if (!cn_server_db_begin (db, error))
    return FALSE;

  stmt = cn_server_db_prepare (db, sql, error);
  if (stmt == NULL)
    goto fail;
  if (text_value != NULL)
    sqlite3_bind_text (stmt, 1, text_value, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int (stmt, 1, int_value);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      cn_server_db_set_error (db, error);
      goto fail;
    }
  if (sqlite3_changes (cn_server_db_get_handle (db)) == 0)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_NOT_FOUND, _("There is no user named “%s”"), name);
      goto fail;
    }
  /* A new password or a disabled account ends every session of the user. */
  if (!revoke_user_sessions (db, name, error))
    goto fail;
  return cn_server_db_commit (db, error);

fail:
  cn_server_db_rollback (db);
  return FALSE;
}

gboolean
cn_server_user_set_password (CnServerDb  *db,
                             const char  *name,
                             const char  *password,
                             GError     **error)
{
  g_autofree char *hash = NULL;
  gboolean ret;

  if (!cn_server_password_is_acceptable (password, error))
    return FALSE;
  hash = cn_server_password_hash (password, error);
  if (hash == NULL)
    return FALSE;
  ret = update_user (db, "UPDATE users SET hash = ? WHERE name = ?", name, hash, 0, error);
  sodium_memzero (hash, strlen (hash));
  return ret;
}

gboolean
cn_server_user_set_disabled (CnServerDb  *db,
                             const char  *name,
                             gboolean     disabled,
                             GError     **error)
{
  return update_user (db, "UPDATE users SET disabled = ? WHERE name = ?", name, NULL,
                      disabled ? 1 : 0, error);
}

static char *
hash_token (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

static gboolean
token_is_well_formed (const char *token)
{
  if (token == NULL || strlen (token) != TOKEN_BYTES * 2)
    return FALSE;
  for (const char *p = token; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

char *
cn_server_session_create (CnServerDb  *db,
                          const char  *user_name,
                          GTimeSpan    lifetime,
                          gint64      *expires_at,
                          GError     **error)
{
  unsigned char raw[TOKEN_BYTES];
  char token[TOKEN_BYTES * 2 + 1];
  g_autofree char *token_hash = NULL;
  g_autoptr(CnServerStmt) stmt = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 expires = now + lifetime / G_USEC_PER_SEC;

  randombytes_buf (raw, sizeof raw);
  sodium_bin2hex (token, sizeof token, raw, sizeof raw);
  sodium_memzero (raw, sizeof raw);
  token_hash = hash_token (token);

  stmt = cn_server_db_prepare (db,
                               "INSERT INTO sessions (token_hash, user_name, created_at, "
                               "expires_at) VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, user_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, expires);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      cn_server_db_set_error (db, error);
      return NULL;
    }
  if (expires_at != NULL)
    *expires_at = expires;
  return g_strdup (token);
}

/* A valid session as the cache keeps it. */
typedef struct {
  CnServerUser *user;
  gint64        expires_at;
} CachedSession;

static void
cached_session_free (CachedSession *session)
{
  cn_server_user_free (session->user);
  g_free (session);
}

static CnServerUser *
user_copy (const CnServerUser *user)
{
  CnServerUser *copy = g_new0 (CnServerUser, 1);

  copy->name = g_strdup (user->name);
  copy->role = user->role;
  copy->unit_id = g_strdup (user->unit_id);
  copy->disabled = user->disabled;
  copy->created_at = g_strdup (user->created_at);
  return copy;
}

CnServerUser *
cn_server_session_lookup (CnServerDb  *db,
                          const char  *token,
                          gint64      *expires_at,
                          GError     **error)
{
  g_autoptr(CnServerStmt) stmt = NULL;
  g_autofree char *token_hash = NULL;
  g_autofree char *key = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  CachedSession *cached;
  guint64 generation;
  int rc;

  if (!token_is_well_formed (token))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_AUTH, _("The session token is not valid"));
      return NULL;
    }

  /* Every request but a login carries its token: the user of a valid session is kept in
   * the database's cache, which any change of a session or a user (a log-out, a disabled
   * account, a new password — here or from the command line) empties at once. */
  token_hash = hash_token (token);
  key = g_strconcat ("session:", token_hash, NULL);
  cached = cn_server_db_cache_lookup (db, key);
  if (cached != NULL && cached->expires_at > now)
    {
      if (expires_at != NULL)
        *expires_at = cached->expires_at;
      return user_copy (cached->user);
    }

  generation = cn_server_db_generation (db);
  stmt = cn_server_db_prepare (db,
                               "SELECT u.name, u.role, u.unit_id, u.disabled, u.created_at, "
                               "       s.expires_at, s.revoked "
                               "FROM sessions s JOIN users u ON u.name = s.user_name "
                               "WHERE s.token_hash = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_autoptr(CnServerUser) user = user_from_row (stmt, 0);
      gint64 expires = sqlite3_column_int64 (stmt, 5);
      gboolean revoked = sqlite3_column_int (stmt, 6) != 0;

      cn_server_stmt_release (g_steal_pointer (&stmt));
      if (revoked)
        {
          g_set_error (error, CN_ERROR, CN_ERROR_AUTH,
                       _("The session was ended; log in again"));
          return NULL;
        }
      if (expires <= now)
        {
          g_set_error (error, CN_ERROR, CN_ERROR_AUTH,
                       _("The session has expired; log in again"));
          return NULL;
        }
      if (user->disabled)
        {
          g_set_error (error, CN_ERROR, CN_ERROR_AUTH, _("The account is disabled"));
          return NULL;
        }
      cached = g_new0 (CachedSession, 1);
      cached->user = user_copy (user);
      cached->expires_at = expires;
      cn_server_db_cache_insert (db, generation, key, cached, sizeof *cached + 256,
                                 (GDestroyNotify) cached_session_free);
      if (expires_at != NULL)
        *expires_at = expires;
      return g_steal_pointer (&user);
    }
  if (rc != SQLITE_DONE)
    {
      cn_server_db_set_error (db, error);
      return NULL;
    }
  g_set_error (error, CN_ERROR, CN_ERROR_AUTH, _("The session token is not valid"));
  return NULL;
}

gboolean
cn_server_session_revoke (CnServerDb  *db,
                          const char  *token,
                          GError     **error)
{
  g_autoptr(CnServerStmt) stmt = NULL;
  g_autofree char *token_hash = NULL;

  if (!token_is_well_formed (token))
    return TRUE;
  token_hash = hash_token (token);
  stmt = cn_server_db_prepare (db, "UPDATE sessions SET revoked = 1 WHERE token_hash = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return cn_server_db_set_error (db, error);
  return TRUE;
}

/* Login limiter ------------------------------------------------------------------------ */

struct _CnLoginLimiter
{
  GHashTable *failures;  /* key → GArray of gint64 failure times, oldest first */
  guint       max_failures;
  guint       window;
};

CnLoginLimiter *
cn_login_limiter_new (guint max_failures,
                      guint window_seconds)
{
  CnLoginLimiter *self = g_new0 (CnLoginLimiter, 1);

  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_array_unref);
  self->max_failures = MAX (max_failures, 1);
  self->window = MAX (window_seconds, 1);
  return self;
}

void
cn_login_limiter_free (CnLoginLimiter *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->failures);
  g_free (self);
}

static GArray *
limiter_prune (CnLoginLimiter *self,
               const char     *key,
               gint64          now)
{
  GArray *times = g_hash_table_lookup (self->failures, key);
  guint drop = 0;

  if (times == NULL)
    return NULL;
  while (drop < times->len && g_array_index (times, gint64, drop) + self->window <= now)
    drop++;
  if (drop > 0)
    g_array_remove_range (times, 0, drop);
  if (times->len == 0)
    {
      g_hash_table_remove (self->failures, key);
      return NULL;
    }
  return times;
}

guint
cn_login_limiter_retry_after (CnLoginLimiter *self,
                              const char     *key,
                              gint64          now)
{
  GArray *times = limiter_prune (self, key, now);
  gint64 oldest;

  if (times == NULL || times->len < self->max_failures)
    return 0;
  /* Blocked until enough failures leave the window. */
  oldest = g_array_index (times, gint64, times->len - self->max_failures);
  return (guint) MAX (1, oldest + self->window - now);
}

void
cn_login_limiter_add_failure (CnLoginLimiter *self,
                              const char     *key,
                              gint64          now)
{
  GArray *times = limiter_prune (self, key, now);

  if (times == NULL)
    {
      times = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (self->failures, g_strdup (key), times);
    }
  g_array_append_val (times, now);
  /* Keep memory bounded whatever an attacker sends. */
  if (times->len > self->max_failures * 2)
    g_array_remove_range (times, 0, times->len - self->max_failures * 2);

  /* Forget stale keys now and then so that many distinct names cannot fill memory. */
  if (g_hash_table_size (self->failures) > 10000)
    {
      GHashTableIter iter;
      GArray *value;

      g_hash_table_iter_init (&iter, self->failures);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &value))
        if (g_array_index (value, gint64, value->len - 1) + self->window <= now)
          g_hash_table_iter_remove (&iter);
    }
}

void
cn_login_limiter_reset (CnLoginLimiter *self,
                        const char     *key)
{
  g_hash_table_remove (self->failures, key);
}

void
cn_login_limiter_forgive (CnLoginLimiter *self,
                          const char     *key)
{
  GArray *times = g_hash_table_lookup (self->failures, key);

  if (times == NULL)
    return;
  g_array_remove_index (times, times->len - 1);
  if (times->len == 0)
    g_hash_table_remove (self->failures, key);
}
