/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/*
 * The server's own SQLite database: records (latest state of each record, with the global
 * sequence of its last change), users, sessions, the mutation log and the RSS guid map.
 * WAL mode, schema version in PRAGMA user_version, file mode 0600, every value bound.
 */
typedef struct _CnServerDb CnServerDb;

/* An alias so that our cleanup function never clashes with one defined elsewhere.
 * cn_server_db_prepare() hands out statements from a cache of the connection, and
 * g_autoptr(CnServerStmt) gives them back reset: preparing the same SQL again for every
 * mutation was 40 % of the time of a push. */
typedef sqlite3_stmt CnServerStmt;
void          cn_server_stmt_release         (CnServerStmt  *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CnServerStmt, cn_server_stmt_release)

#define CN_SERVER_DB_VERSION 2

CnServerDb   *cn_server_db_open              (const char    *path,
                                              gboolean       create,
                                              GError       **error);
void          cn_server_db_free              (CnServerDb    *self);
sqlite3      *cn_server_db_get_handle        (CnServerDb    *self);
const char   *cn_server_db_get_path          (CnServerDb    *self);

CnServerStmt *cn_server_db_prepare           (CnServerDb    *self,
                                              const char    *sql,
                                              GError       **error);
/* Prepares @sql and binds its first two parameters to @collection and @id. */
CnServerStmt *cn_server_db_prepare_keyed     (CnServerDb    *self,
                                              const char    *sql,
                                              const char    *collection,
                                              const char    *id,
                                              GError       **error);
gboolean      cn_server_db_exec              (CnServerDb    *self,
                                              const char    *sql,
                                              GError       **error);
gboolean      cn_server_db_set_error         (CnServerDb    *self,
                                              GError       **error);

gboolean      cn_server_db_begin             (CnServerDb    *self,
                                              GError       **error);
gboolean      cn_server_db_commit            (CnServerDb    *self,
                                              GError       **error);
void          cn_server_db_rollback          (CnServerDb    *self);

gint64        cn_server_db_next_seq          (CnServerDb    *self,
                                              GError       **error);
gint64        cn_server_db_get_meta_int      (CnServerDb    *self,
                                              const char    *key,
                                              gint64         default_value);
gboolean      cn_server_db_set_meta_int      (CnServerDb    *self,
                                              const char    *key,
                                              gint64         value,
                                              GError       **error);

gboolean      cn_server_db_purge_tombstones  (CnServerDb    *self,
                                              GTimeSpan      older_than,
                                              guint         *n_purged,
                                              GError       **error);
gboolean      cn_server_db_backup            (CnServerDb    *self,
                                              const char    *destination,
                                              GError       **error);

char         *cn_server_default_files_dir    (const char    *db_path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CnServerDb, cn_server_db_free)

G_END_DECLS
