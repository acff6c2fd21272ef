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

#define CN_SERVER_DB_VERSION 5

CnServerDb   *cn_server_db_open              (const char    *path,
                                              gboolean       create,
                                              GError       **error);
void          cn_server_db_free              (CnServerDb    *self);
sqlite3      *cn_server_db_get_handle        (CnServerDb    *self);
/* For a long-running server: WAL checkpoints in a thread of their own instead of in the
 * commit that crosses the threshold (see cn-server-db.c). Stopped by cn_server_db_free(). */
void          cn_server_db_start_checkpointer (CnServerDb   *self);
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
/* A read transaction (BEGIN), ended with cn_server_db_commit(). */
gboolean      cn_server_db_begin_read        (CnServerDb    *self,
                                              GError       **error);
gboolean      cn_server_db_commit            (CnServerDb    *self,
                                              GError       **error);
void          cn_server_db_rollback          (CnServerDb    *self);

/* The number of a unit in unit_numbers (records.owner_no, records_owner), made if @create
 * and the unit has none yet (inside a write transaction); 0 when it has none, -1 on error. */
gint64        cn_server_db_unit_number       (CnServerDb    *self,
                                              const char    *unit_id,
                                              gboolean       create,
                                              GError       **error);
gint64        cn_server_db_next_seq          (CnServerDb    *self,
                                              GError       **error);
/* A cache of values derived from the database (sessions, scopes, pages of the feed), kept
 * only while nothing in the database changes: any commit, by this connection or another
 * one in any process, empties it. Take the generation before reading what a value is made
 * of; the value is kept only if nothing changed since. Values are owned by the cache
 * (@destroy) and valid until the next call into the database. */
guint64       cn_server_db_generation        (CnServerDb    *self);
gpointer      cn_server_db_cache_lookup      (CnServerDb    *self,
                                              const char    *key);
void          cn_server_db_cache_insert      (CnServerDb    *self,
                                              guint64        generation,
                                              const char    *key,
                                              gpointer       value,
                                              gsize          size,
                                              GDestroyNotify destroy);

/* Scopes (a unit → the set of the units at and below it), kept while no unit changes.
 * Whoever writes a unit record calls cn_server_db_units_changed() first; a change by
 * another connection is seen through PRAGMA data_version. Take the version before reading
 * the units; a lookup's table is valid until the next call into the database. */
void          cn_server_db_units_changed     (CnServerDb    *self);
guint64       cn_server_db_units_version     (CnServerDb    *self);
GHashTable   *cn_server_db_scope_lookup      (CnServerDb    *self,
                                              const char    *unit_id);
void          cn_server_db_scope_insert      (CnServerDb    *self,
                                              guint64        version,
                                              const char    *unit_id,
                                              GHashTable    *units);

/* The wire text of a record's state by its seq. A seq names one state of one record for
 * good: every change of a record (its data, its deletion, its owner unit) gives it a new
 * seq, and seqs are never handed out twice; so these texts need no invalidation, only a
 * bound on their memory. Valid until the next insert. */
typedef struct {
  gint64 seq;
  gsize  len;
  char   text[];
} CnServerRecordText;

const CnServerRecordText *cn_server_db_record_text_lookup (CnServerDb *self,
                                                           gint64      seq);
const CnServerRecordText *cn_server_db_record_text_insert (CnServerDb *self,
                                                           gint64      seq,
                                                           const char *text,
                                                           gsize       len);

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
