/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-server"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cn-error.h"
#include "cn-server-db.h"
#include "cn-time.h"

/* A value derived from the database (a session's user, a scope, a page of the feed). */
typedef struct {
  gpointer       value;
  gsize          size;
  GDestroyNotify destroy;
} CacheEntry;

struct _CnServerDb
{
  sqlite3      *db;
  char         *path;

  /* The sequence numbers of the write transaction opened by cn_server_db_begin(): read
   * once, handed out from memory, written back by cn_server_db_commit(). */
  gboolean      in_begin;
  gboolean      in_read;    /* cn_server_db_begin_read() */
  gint64        seq;        /* the last one handed out; -1: not read yet */
  gboolean      seq_dirty;
  sqlite3_int64 changes_at_begin;

  /* The cache: emptied whenever the database may have changed, through this connection
   * (sqlite3_total_changes64()) or any other, in this process or another one (PRAGMA
   * data_version). */
  GHashTable   *cache;      /* key → CacheEntry */
  GHashTable   *texts;      /* seq → CnServerRecordText */
  gsize         texts_size;

  /* Scopes (unit → the set of units below it), kept while no unit changes: a push's own
   * commit empties the cache above, but only a change of a unit changes a scope. */
  GHashTable   *scopes;     /* unit id → GHashTable */

  /* unit_numbers as read or written (unit id → number); emptied when a transaction is
   * rolled back, which may take back numbers written in it (rollback_hook ()). */
  GHashTable   *unit_numbers;
  guint64       units_version;
  gint64        units_data_version;

  /* Checkpoints in a thread of their own (cn_server_db_start_checkpointer()). */
  GThread      *checkpointer;
  GMutex        checkpoint_lock;
  GCond         checkpoint_cond;
  gboolean      checkpoint_wanted;  /* under the lock */
  gboolean      wal_written;        /* a commit since the last checkpoint; under the lock */
  gboolean      checkpoint_stop;    /* under the lock */
  int           wal_pages;          /* the WAL's length after the last commit */
  gsize         cache_size;
  guint64       generation;
  gint64        data_version;
  sqlite3_int64 total_changes;
};

#define CACHE_MAX_ENTRIES 4096
#define TEXTS_MAX_BYTES (64 * 1024 * 1024)
#define CACHE_MAX_BYTES (48 * 1024 * 1024)

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

/* Idle prepared statements of each open connection: sqlite3 * → (SQL text → statement).
 * A statement in use is out of its table, so the same SQL used twice at once gets two. */
#define MAX_IDLE_STATEMENTS 64
static GMutex stmt_lock;
static GHashTable *stmt_caches;

/* Our SQL texts are long and many begin alike: hashing all of every one for each statement
 * (g_str_hash) was 5 % of a push. The length and the last bytes tell them apart well enough;
 * g_str_equal() settles the rest. */
static guint
sql_hash (gconstpointer key)
{
  const char *sql = key;
  gsize len = strlen (sql);
  guint hash = (guint) len;
  gsize from = len > 48 ? len - 48 : 0;

  for (gsize i = from; i < len; i++)
    hash = hash * 31 + (guchar) sql[i];
  return hash;
}

/* Version 1 of the schema. Later versions append migrations; never edit this one. */
static const char schema_v1[] =
  "CREATE TABLE meta ("
  "  key   TEXT PRIMARY KEY,"
  "  value INTEGER NOT NULL"
  ");"
  "INSERT INTO meta (key, value) VALUES ('seq', 0), ('purged_seq', 0);"
  /* The latest state of each record; seq is the global sequence of its last change. */
  "CREATE TABLE records ("
  "  collection   TEXT NOT NULL,"
  "  id           TEXT NOT NULL,"
  "  rev          INTEGER NOT NULL,"
  "  seq          INTEGER NOT NULL UNIQUE,"
  "  deleted      INTEGER NOT NULL DEFAULT 0,"
  "  updated_at   TEXT NOT NULL,"
  "  updated_by   TEXT NOT NULL,"
  "  data         TEXT NOT NULL,"
  "  is_reference INTEGER NOT NULL,"
  "  owner_unit   TEXT,"
  "  PRIMARY KEY (collection, id)"
  ");"
  "CREATE INDEX records_deleted ON records (deleted, updated_at) WHERE deleted = 1;"
  "CREATE TABLE users ("
  "  name       TEXT PRIMARY KEY,"
  "  role       TEXT NOT NULL,"
  "  unit_id    TEXT,"
  "  hash       TEXT NOT NULL,"
  "  disabled   INTEGER NOT NULL DEFAULT 0,"
  "  created_at TEXT NOT NULL"
  ");"
  "CREATE TABLE sessions ("
  "  token_hash TEXT PRIMARY KEY,"
  "  user_name  TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  revoked    INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX sessions_user ON sessions (user_name);"
  /* The first answer to each mutation, so that a retried push never applies twice. */
  "CREATE TABLE mutations ("
  "  user_name   TEXT NOT NULL,"
  "  client_id   TEXT NOT NULL,"
  "  mutation_id TEXT NOT NULL,"
  "  result      TEXT NOT NULL,"
  "  created_at  INTEGER NOT NULL,"
  "  PRIMARY KEY (user_name, client_id, mutation_id)"
  ");"
  /* Imported feed items (the record id is derived from the site and the guid), with a hash
   * of what was imported last time so that an unchanged item is not written again. */
  "CREATE TABLE feed_items ("
  "  collection TEXT NOT NULL,"
  "  id         TEXT NOT NULL,"
  "  guid       TEXT NOT NULL,"
  "  item_hash  TEXT NOT NULL,"
  "  PRIMARY KEY (collection, id)"
  ");";

/* Version 2: the change feed finds the units below a user's scope unit by their parent_id
 * (a recursive query, one step per level); without this index every step read and parsed
 * the data of every unit, about 2 ms of each GET /changes of a scoped user. */
static const char schema_v2[] =
  "CREATE INDEX records_unit_parent ON records (json_extract (data, '$.parent_id')) "
  "WHERE collection = 'unit';";

/* Version 3: the change feed walks the records in seq order and keeps those the user may
 * see. With only the UNIQUE (seq) index each step read the whole row (its data included)
 * from the table to test is_reference and owner_unit: a district user's page of 50 read
 * some 650 rows. This index answers the test by itself; only the rows kept are read. */
static const char schema_v3[] =
  "CREATE INDEX records_feed ON records (seq, is_reference, owner_unit);";

/* Version 4: for a small scope the feed reads each unit's records in seq order and merges
 * them (cn-server-records.c), from an index by owner unit, and the reference records from
 * one of their own; records_feed is no longer used. */
static const char schema_v4[] =
  "DROP INDEX records_feed;"
  "CREATE INDEX records_owner ON records (owner_unit, seq) WHERE is_reference = 0;"
  "CREATE INDEX records_reference ON records (seq) WHERE is_reference = 1;";

/* Version 5: records_owner by a unit number instead of the unit's 36-character id. A push of
 * new tasks adds entries in the ranges of a dozen communes, each entry splitting a leaf of
 * the index every few pushes: with text keys that index was 60 % of the pages a push wrote
 * (41 of 68); keyed by a small integer it holds four times as many entries a page (20).
 * owner_no is derived from owner_unit (which every scope test still reads) and written with
 * it; unit_numbers never changes nor loses a row, so a number once committed is for good. */
static const char schema_v5[] =
  "CREATE TABLE unit_numbers ("
  "  no INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE"
  ");"
  "INSERT INTO unit_numbers (id) SELECT DISTINCT owner_unit FROM records "
  "  WHERE owner_unit IS NOT NULL ORDER BY 1;"
  "ALTER TABLE records ADD COLUMN owner_no INTEGER;"
  "UPDATE records SET owner_no = (SELECT no FROM unit_numbers WHERE id = owner_unit) "
  "  WHERE owner_unit IS NOT NULL;"
  "DROP INDEX records_owner;"
  "CREATE INDEX records_owner ON records (owner_no, seq) WHERE is_reference = 0;";

gboolean
cn_server_db_set_error (CnServerDb  *self,
                        GError     **error)
{
  g_set_error (error, CN_ERROR, CN_ERROR_STORE,
               _("The server database failed: %s"), sqlite3_errmsg (self->db));
  return FALSE;
}

CnServerStmt *
cn_server_db_prepare (CnServerDb  *self,
                      const char  *sql,
                      GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  GHashTable *idle;

  g_mutex_lock (&stmt_lock);
  idle = stmt_caches != NULL ? g_hash_table_lookup (stmt_caches, self->db) : NULL;
  if (idle != NULL && (stmt = g_hash_table_lookup (idle, sql)) != NULL)
    g_hash_table_steal (idle, sql);
  g_mutex_unlock (&stmt_lock);
  if (stmt != NULL)
    return stmt;

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      cn_server_db_set_error (self, error);
      return NULL;
    }
  return stmt;
}

void
cn_server_stmt_release (CnServerStmt *stmt)
{
  GHashTable *idle;

  if (stmt == NULL)
    return;
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  g_mutex_lock (&stmt_lock);
  idle = stmt_caches != NULL ? g_hash_table_lookup (stmt_caches, sqlite3_db_handle (stmt)) : NULL;
  if (idle != NULL && g_hash_table_size (idle) < MAX_IDLE_STATEMENTS &&
      !g_hash_table_contains (idle, sqlite3_sql (stmt)))
    {
      g_hash_table_insert (idle, (gpointer) sqlite3_sql (stmt), stmt);
      stmt = NULL;
    }
  g_mutex_unlock (&stmt_lock);
  sqlite3_finalize (stmt);  /* NULL: kept */
}

CnServerStmt *
cn_server_db_prepare_keyed (CnServerDb  *self,
                            const char  *sql,
                            const char  *collection,
                            const char  *id,
                            GError     **error)
{
  CnServerStmt *stmt = cn_server_db_prepare (self, sql, error);

  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
    }
  return stmt;
}

gboolean
cn_server_db_exec (CnServerDb  *self,
                   const char  *sql,
                   GError     **error)
{
  char *errmsg = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &errmsg) != SQLITE_OK)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                   _("The server database failed: %s"), errmsg ? errmsg : "?");
      sqlite3_free (errmsg);
      return FALSE;
    }
  return TRUE;
}

static int
get_user_version (CnServerDb *self)
{
  g_autoptr(CnServerStmt) stmt = cn_server_db_prepare (self, "PRAGMA user_version", NULL);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int (stmt, 0);
}

static gboolean
migrate (CnServerDb  *self,
         GError     **error)
{
  int version = get_user_version (self);

  if (version < 0)
    return cn_server_db_set_error (self, error);

  if (version > CN_SERVER_DB_VERSION)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                   _("The database %s was made by a newer caunoi-server (schema %d); "
                     "upgrade caunoi-server to open it"), self->path, version);
      return FALSE;
    }

  if (version == CN_SERVER_DB_VERSION)
    return TRUE;

  if (!cn_server_db_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (version < 1 && !cn_server_db_exec (self, schema_v1, error))
    goto fail;
  if (version < 2 && !cn_server_db_exec (self, schema_v2, error))
    goto fail;
  if (version < 3 && !cn_server_db_exec (self, schema_v3, error))
    goto fail;
  if (version < 4 && !cn_server_db_exec (self, schema_v4, error))
    goto fail;
  if (version < 5 && !cn_server_db_exec (self, schema_v5, error))
    goto fail;

  if (!cn_server_db_exec (self, "PRAGMA user_version = " G_STRINGIFY (CN_SERVER_DB_VERSION),
                          error))
    goto fail;

  return cn_server_db_exec (self, "COMMIT", error);

fail:
  cn_server_db_rollback (self);
  return FALSE;
}

static void
cache_entry_free (gpointer data)
{
  CacheEntry *entry = data;

  if (entry->destroy != NULL)
    entry->destroy (entry->value);
  g_free (entry);
}

static void
rollback_hook (void *data)
{
  CnServerDb *self = data;

  if (self->unit_numbers != NULL)
    g_hash_table_remove_all (self->unit_numbers);
}

CnServerDb *
cn_server_db_open (const char  *path,
                   gboolean     create,
                   GError     **error)
{
  g_autoptr(CnServerDb) self = g_new0 (CnServerDb, 1);
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  gboolean exists;

  g_return_val_if_fail (path != NULL, NULL);

  self->path = g_strdup (path);
  exists = g_file_test (path, G_FILE_TEST_EXISTS);

  if (!exists && !create)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_NOT_FOUND,
                   _("The database %s does not exist; create it with “caunoi-server init”"),
                   path);
      return NULL;
    }

  if (!exists)
    {
      /* Create the file 0600 ourselves: it holds password hashes and session hashes. */
      int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

      if (fd < 0)
        {
          int saved_errno = errno;
          g_set_error (error, CN_ERROR, CN_ERROR_STORE, _("Could not create %s: %s"),
                       path, g_strerror (saved_errno));
          return NULL;
        }
      close (fd);
    }

  if (sqlite3_open_v2 (path, &self->db, flags, NULL) != SQLITE_OK)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_STORE, _("Could not open the database %s: %s"),
                   path, self->db ? sqlite3_errmsg (self->db) : g_strerror (ENOMEM));
      return NULL;
    }

  g_mutex_lock (&stmt_lock);
  if (stmt_caches == NULL)
    stmt_caches = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                         (GDestroyNotify) g_hash_table_unref);
  g_hash_table_insert (stmt_caches, self->db,
                       g_hash_table_new_full (sql_hash, g_str_equal, NULL, finalize_stmt));
  g_mutex_unlock (&stmt_lock);

  sqlite3_busy_timeout (self->db, 10000);
  sqlite3_extended_result_codes (self->db, 1);

  /* synchronous = NORMAL with WAL: a commit is in the WAL file (the kernel's page cache)
   * before the answer goes out, so a killed or crashed server loses nothing it
   * acknowledged; only a power cut or a kernel crash can take back the last commits, which
   * FULL (an fsync per push) would keep. See README.md, "Durability". A 64 MiB page cache
   * and the file mapped: the change feed reads the same pages again and again, and with
   * the default 2 MiB cache a third of a GET /changes went to copying them in with pread. */
  if (!cn_server_db_exec (self, "PRAGMA journal_mode = WAL", error) ||
      !cn_server_db_exec (self, "PRAGMA synchronous = NORMAL", error) ||
      !cn_server_db_exec (self, "PRAGMA foreign_keys = ON", error) ||
      !cn_server_db_exec (self, "PRAGMA secure_delete = ON", error) ||
      !cn_server_db_exec (self, "PRAGMA cache_size = -65536", error) ||
      !cn_server_db_exec (self, "PRAGMA mmap_size = 1073741824", error))
    return NULL;
  self->seq = -1;
  self->generation = 1;
  self->data_version = -1;
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cache_entry_free);
  self->texts = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  self->scopes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_hash_table_unref);
  self->units_version = 1;
  self->units_data_version = -1;
  self->unit_numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_rollback_hook (self->db, rollback_hook, self);

  if (!migrate (self, error))
    return NULL;

  /* The WAL and shm files inherit nothing from the main file's mode. */
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_chmod (wal, 0600);
    g_chmod (shm, 0600);
  }

  return g_steal_pointer (&self);
}

void
cn_server_db_free (CnServerDb *self)
{
  if (self == NULL)
    return;
  if (self->checkpointer != NULL)
    {
      g_mutex_lock (&self->checkpoint_lock);
      self->checkpoint_stop = TRUE;
      g_cond_signal (&self->checkpoint_cond);
      g_mutex_unlock (&self->checkpoint_lock);
      g_thread_join (self->checkpointer);
      g_mutex_clear (&self->checkpoint_lock);
      g_cond_clear (&self->checkpoint_cond);
    }
  if (self->db != NULL)
    {
      g_mutex_lock (&stmt_lock);
      if (stmt_caches != NULL)
        g_hash_table_remove (stmt_caches, self->db);  /* finalizes the idle statements */
      g_mutex_unlock (&stmt_lock);
      sqlite3_close_v2 (self->db);
    }
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_clear_pointer (&self->texts, g_hash_table_unref);
  g_clear_pointer (&self->scopes, g_hash_table_unref);
  g_clear_pointer (&self->unit_numbers, g_hash_table_unref);
  g_free (self->path);
  g_free (self);
}

/* Checkpoints ------------------------------------------------------------------------------
 *
 * SQLite copies the WAL back into the database file (a checkpoint, with its fsyncs) in the
 * commit that takes the WAL past 1000 pages: a push every few seconds paid for everybody's
 * writes, a quarter of the CPU time of pushes, on the thread that answers requests. The
 * server's connection leaves that to a thread with a connection of its own, woken when the
 * WAL grows past CHECKPOINT_PAGES (64 MiB: the pages every push touches, near the end of
 * the tables and at the top of the indexes, are copied once for many pushes; 4 times fewer
 * checkpoints took 5 % off a push's CPU time); a PASSIVE checkpoint never blocks readers or
 * the writer. Should the thread fall far behind, the writer checkpoints itself past 4 times
 * as much. journal_size_limit gives the space back once the WAL starts over.
 *
 * With synchronous = NORMAL, a commit is in the WAL file but not yet on the disk: a power cut
 * (not a crash of the server) could take back what the last checkpoint did not sync. So the
 * thread also checkpoints CHECKPOINT_SECONDS after any commit: acknowledged pushes are on
 * the disk within seconds, however quiet the server. */
#define CHECKPOINT_PAGES 16000
#define CHECKPOINT_SECONDS 5

static gpointer
checkpoint_thread (gpointer data)
{
  CnServerDb *self = data;
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
      SQLITE_OK)
    {
      g_warning ("checkpoints: cannot open %s: %s", self->path,
                 db ? sqlite3_errmsg (db) : g_strerror (ENOMEM));
      sqlite3_close_v2 (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 1000);
  sqlite3_exec (db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);

  g_mutex_lock (&self->checkpoint_lock);
  for (;;)
    {
      int rc;

      gint64 until = g_get_monotonic_time () + CHECKPOINT_SECONDS * G_TIME_SPAN_SECOND;

      /* Woken by a large WAL, or every few seconds if anything was committed. */
      while (!self->checkpoint_wanted && !self->checkpoint_stop &&
             (!self->wal_written || g_get_monotonic_time () < until))
        {
          if (!g_cond_wait_until (&self->checkpoint_cond, &self->checkpoint_lock, until))
            until = g_get_monotonic_time () + (self->wal_written ? 0
                                               : CHECKPOINT_SECONDS * G_TIME_SPAN_SECOND);
        }
      if (self->checkpoint_stop)
        break;
      self->checkpoint_wanted = FALSE;
      self->wal_written = FALSE;
      g_mutex_unlock (&self->checkpoint_lock);

      rc = sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
      if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        g_message ("checkpoint failed: %s", sqlite3_errmsg (db));

      g_mutex_lock (&self->checkpoint_lock);
    }
  g_mutex_unlock (&self->checkpoint_lock);
  sqlite3_close_v2 (db);
  return NULL;
}

static int
wal_hook (void       *data,
          sqlite3    *db,
          const char *name,
          int         pages)
{
  CnServerDb *self = data;

  /* A WAL that starts over after a checkpoint holds only this commit's pages. */
  g_debug ("WAL: a commit wrote %d pages",
           pages > self->wal_pages ? pages - self->wal_pages : pages);
  self->wal_pages = pages;

  if (pages >= 4 * CHECKPOINT_PAGES)
    {
      sqlite3_wal_checkpoint_v2 (db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
      return SQLITE_OK;
    }
  g_mutex_lock (&self->checkpoint_lock);
  self->wal_written = TRUE;
  if (pages >= CHECKPOINT_PAGES)
    {
      self->checkpoint_wanted = TRUE;
      g_cond_signal (&self->checkpoint_cond);
    }
  g_mutex_unlock (&self->checkpoint_lock);
  return SQLITE_OK;
}

void
cn_server_db_start_checkpointer (CnServerDb *self)
{
  g_return_if_fail (self->checkpointer == NULL);

  g_mutex_init (&self->checkpoint_lock);
  g_cond_init (&self->checkpoint_cond);
  {
    g_autoptr(GError) error = NULL;

    if (!cn_server_db_exec (self, "PRAGMA journal_size_limit = 67108864", &error))
      g_message ("the WAL keeps its size: %s", error->message);
  }
  self->checkpointer = g_thread_new ("checkpoints", checkpoint_thread, self);
  /* Replaces the automatic checkpoint (sqlite3_wal_autocheckpoint() is a WAL hook too). */
  sqlite3_wal_hook (self->db, wal_hook, self);
}

sqlite3 *
cn_server_db_get_handle (CnServerDb *self)
{
  return self->db;
}

const char *
cn_server_db_get_path (CnServerDb *self)
{
  return self->path;
}

/* BEGIN and COMMIT from the statement cache: sqlite3_exec() prepares them every time. */
static gboolean
exec_cached (CnServerDb  *self,
             const char  *sql,
             GError     **error)
{
  g_autoptr(CnServerStmt) stmt = cn_server_db_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return cn_server_db_set_error (self, error);
  return TRUE;
}

gboolean
cn_server_db_begin (CnServerDb  *self,
                    GError     **error)
{
  if (!exec_cached (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  self->in_begin = TRUE;
  self->seq = -1;
  self->seq_dirty = FALSE;
  self->changes_at_begin = sqlite3_total_changes64 (self->db);
  return TRUE;
}

gboolean
cn_server_db_begin_read (CnServerDb  *self,
                         GError     **error)
{
  if (!exec_cached (self, "BEGIN", error))
    return FALSE;
  self->in_read = TRUE;
  self->changes_at_begin = sqlite3_total_changes64 (self->db);
  return TRUE;
}

static void
end_transaction (CnServerDb *self)
{
  self->in_begin = FALSE;
  self->in_read = FALSE;
  self->seq = -1;
  self->seq_dirty = FALSE;
}

gboolean
cn_server_db_commit (CnServerDb  *self,
                     GError     **error)
{
  if (self->in_begin && self->seq_dirty)
    {
      g_autoptr(CnServerStmt) stmt = NULL;

      stmt = cn_server_db_prepare (self, "UPDATE meta SET value = ? WHERE key = 'seq'", error);
      if (stmt == NULL)
        {
          cn_server_db_rollback (self);
          return FALSE;
        }
      sqlite3_bind_int64 (stmt, 1, self->seq);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          cn_server_db_set_error (self, error);
          cn_server_db_rollback (self);
          return FALSE;
        }
    }
  end_transaction (self);
  if (!exec_cached (self, "COMMIT", error))
    {
      cn_server_db_rollback (self);
      return FALSE;
    }
  return TRUE;
}

void
cn_server_db_rollback (CnServerDb *self)
{
  end_transaction (self);
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

gint64
cn_server_db_next_seq (CnServerDb  *self,
                       GError     **error)
{
  g_autoptr(CnServerStmt) stmt = NULL;

  /* Inside cn_server_db_begin() … cn_server_db_commit(): from memory. A write transaction
   * is the only writer of the database, so nobody else takes a number meanwhile; one
   * UPDATE … RETURNING for each record was 15 % of a push. */
  if (self->in_begin && !sqlite3_get_autocommit (self->db))
    {
      if (self->seq < 0)
        {
          stmt = cn_server_db_prepare (self, "SELECT value FROM meta WHERE key = 'seq'", error);
          if (stmt == NULL)
            return -1;
          if (sqlite3_step (stmt) != SQLITE_ROW)
            {
              cn_server_db_set_error (self, error);
              return -1;
            }
          self->seq = sqlite3_column_int64 (stmt, 0);
        }
      self->seq_dirty = TRUE;
      return ++self->seq;
    }

  stmt = cn_server_db_prepare (self,
                               "UPDATE meta SET value = value + 1 WHERE key = 'seq' "
                               "RETURNING value", error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      cn_server_db_set_error (self, error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

/* The cache ------------------------------------------------------------------------------ */

guint64
cn_server_db_generation (CnServerDb *self)
{
  g_autoptr(CnServerStmt) stmt = cn_server_db_prepare (self, "PRAGMA data_version", NULL);
  sqlite3_int64 changes = sqlite3_total_changes64 (self->db);
  gint64 version = -1;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  /* An unreadable version (-1) never matches: nothing is cached then. */
  if (version < 0 || version != self->data_version || changes != self->total_changes)
    {
      self->generation++;
      self->data_version = version;
      self->total_changes = changes;
      if (g_hash_table_size (self->cache) > 0)
        g_hash_table_remove_all (self->cache);
      self->cache_size = 0;
    }
  return self->generation;
}

gpointer
cn_server_db_cache_lookup (CnServerDb *self,
                           const char *key)
{
  CacheEntry *entry;

  cn_server_db_generation (self);
  entry = g_hash_table_lookup (self->cache, key);
  return entry != NULL ? entry->value : NULL;
}

void
cn_server_db_cache_insert (CnServerDb     *self,
                           guint64         generation,
                           const char     *key,
                           gpointer        value,
                           gsize           size,
                           GDestroyNotify  destroy)
{
  CacheEntry *entry;

  /* Not when anything changed since @generation was taken (the value may be older than
   * the change), nor when this connection changed anything in its open transaction (the
   * value may be of data that are rolled back). */
  if (cn_server_db_generation (self) != generation || self->data_version < 0 ||
      (!sqlite3_get_autocommit (self->db) &&
       ((!self->in_begin && !self->in_read) ||
        sqlite3_total_changes64 (self->db) != self->changes_at_begin)))
    {
      if (destroy != NULL)
        destroy (value);
      return;
    }
  if (g_hash_table_size (self->cache) >= CACHE_MAX_ENTRIES ||
      self->cache_size + size > CACHE_MAX_BYTES)
    {
      g_hash_table_remove_all (self->cache);
      self->cache_size = 0;
    }
  entry = g_new (CacheEntry, 1);
  entry->value = value;
  entry->size = size;
  entry->destroy = destroy;
  g_hash_table_replace (self->cache, g_strdup (key), entry);
  self->cache_size += size;
}

void
cn_server_db_units_changed (CnServerDb *self)
{
  self->units_version++;
  g_hash_table_remove_all (self->scopes);
}

guint64
cn_server_db_units_version (CnServerDb *self)
{
  g_autoptr(CnServerStmt) stmt = cn_server_db_prepare (self, "PRAGMA data_version", NULL);
  gint64 version = -1;

  /* Another connection (another process) may have changed a unit: start again. */
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  if (version < 0 || version != self->units_data_version)
    {
      cn_server_db_units_changed (self);
      self->units_data_version = version;
    }
  return self->units_version;
}

GHashTable *
cn_server_db_scope_lookup (CnServerDb *self,
                           const char *unit_id)
{
  cn_server_db_units_version (self);
  return g_hash_table_lookup (self->scopes, unit_id);
}

void
cn_server_db_scope_insert (CnServerDb *self,
                           guint64     version,
                           const char *unit_id,
                           GHashTable *units)
{
  /* As for the cache above: not after a change, nor from uncommitted changes. */
  if (cn_server_db_units_version (self) != version || self->units_data_version < 0 ||
      (!sqlite3_get_autocommit (self->db) &&
       ((!self->in_begin && !self->in_read) ||
        sqlite3_total_changes64 (self->db) != self->changes_at_begin)))
    return;
  if (g_hash_table_size (self->scopes) >= 1024)
    g_hash_table_remove_all (self->scopes);
  g_hash_table_replace (self->scopes, g_strdup (unit_id), g_hash_table_ref (units));
}

gint64
cn_server_db_unit_number (CnServerDb  *self,
                          const char  *unit_id,
                          gboolean     create,
                          GError     **error)
{
  g_autoptr(CnServerStmt) stmt = NULL;
  gpointer value;
  gint64 no;
  int rc;

  g_return_val_if_fail (unit_id != NULL, -1);

  if (g_hash_table_lookup_extended (self->unit_numbers, unit_id, NULL, &value))
    return GPOINTER_TO_SIZE (value);

  stmt = cn_server_db_prepare (self, "SELECT no FROM unit_numbers WHERE id = ?", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, unit_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE && create)
    {
      cn_server_stmt_release (g_steal_pointer (&stmt));
      stmt = cn_server_db_prepare (self, "INSERT INTO unit_numbers (id) VALUES (?) RETURNING no",
                                   error);
      if (stmt == NULL)
        return -1;
      sqlite3_bind_text (stmt, 1, unit_id, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
    }
  if (rc == SQLITE_DONE)
    return 0;  /* not numbered: the unit owns no record */
  if (rc != SQLITE_ROW)
    {
      cn_server_db_set_error (self, error);
      return -1;
    }
  no = sqlite3_column_int64 (stmt, 0);
  /* A number of a transaction still open: kept, as the rollback hook forgets it if need be.
   * Numbers count up from 1 and stay far below G_MAXSIZE. */
  if (no > 0 && g_hash_table_size (self->unit_numbers) < 65536)
    g_hash_table_insert (self->unit_numbers, g_strdup (unit_id), GSIZE_TO_POINTER ((gsize) no));
  return no;
}

const CnServerRecordText *
cn_server_db_record_text_lookup (CnServerDb *self,
                                 gint64      seq)
{
  return g_hash_table_lookup (self->texts, &seq);
}

const CnServerRecordText *
cn_server_db_record_text_insert (CnServerDb *self,
                                 gint64      seq,
                                 const char *text,
                                 gsize       len)
{
  CnServerRecordText *entry;

  if (self->texts_size + len > TEXTS_MAX_BYTES)
    {
      g_hash_table_remove_all (self->texts);
      self->texts_size = 0;
    }
  entry = g_malloc (sizeof (CnServerRecordText) + len + 1);
  entry->seq = seq;
  entry->len = len;
  memcpy (entry->text, text, len);
  entry->text[len] = '\0';
  g_hash_table_replace (self->texts, &entry->seq, entry);
  self->texts_size += len;
  return entry;
}

gint64
cn_server_db_get_meta_int (CnServerDb *self,
                           const char *key,
                           gint64      default_value)
{
  g_autoptr(CnServerStmt) stmt = NULL;

  stmt = cn_server_db_prepare (self, "SELECT value FROM meta WHERE key = ?", NULL);
  if (stmt == NULL)
    return default_value;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return default_value;
  return sqlite3_column_int64 (stmt, 0);
}

gboolean
cn_server_db_set_meta_int (CnServerDb  *self,
                           const char  *key,
                           gint64       value,
                           GError     **error)
{
  g_autoptr(CnServerStmt) stmt = NULL;

  stmt = cn_server_db_prepare (self,
                               "INSERT INTO meta (key, value) VALUES (?, ?) "
                               "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, value);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return cn_server_db_set_error (self, error);
  return TRUE;
}

gboolean
cn_server_db_purge_tombstones (CnServerDb  *self,
                               GTimeSpan    older_than,
                               guint       *n_purged,
                               GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) cutoff = g_date_time_add (now, -older_than);
  g_autofree char *cutoff_text = cn_time_format_rfc3339 (cutoff);
  g_autoptr(CnServerStmt) max_stmt = NULL;
  g_autoptr(CnServerStmt) del_stmt = NULL;
  gint64 max_seq = 0;
  gint64 purged_seq;

  if (n_purged != NULL)
    *n_purged = 0;

  if (!cn_server_db_begin (self, error))
    return FALSE;

  max_stmt = cn_server_db_prepare (self,
                                   "SELECT COALESCE (MAX (seq), 0) FROM records "
                                   "WHERE deleted = 1 AND updated_at <= ?", error);
  if (max_stmt == NULL)
    goto fail;
  sqlite3_bind_text (max_stmt, 1, cutoff_text, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (max_stmt) != SQLITE_ROW)
    {
      cn_server_db_set_error (self, error);
      goto fail;
    }
  max_seq = sqlite3_column_int64 (max_stmt, 0);

  del_stmt = cn_server_db_prepare (self,
                                   "DELETE FROM records WHERE deleted = 1 AND updated_at <= ?",
                                   error);
  if (del_stmt == NULL)
    goto fail;
  sqlite3_bind_text (del_stmt, 1, cutoff_text, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (del_stmt) != SQLITE_DONE)
    {
      cn_server_db_set_error (self, error);
      goto fail;
    }
  if (n_purged != NULL)
    *n_purged = (guint) sqlite3_changes (self->db);
  cn_server_db_units_changed (self);

  purged_seq = cn_server_db_get_meta_int (self, "purged_seq", 0);
  if (max_seq > purged_seq && !cn_server_db_set_meta_int (self, "purged_seq", max_seq, error))
    goto fail;

  /* The answers kept for retried pushes, and sessions long expired: a client does not retry
   * a push after a month, and an expired token is refused anyway. */
  {
    gint64 now_s = g_get_real_time () / G_USEC_PER_SEC;
    gint64 keep_s = MAX (older_than / G_USEC_PER_SEC, (gint64) 30 * 24 * 3600);
    g_autoptr(CnServerStmt) mutations = NULL;
    g_autoptr(CnServerStmt) sessions = NULL;

    /* The log grows in rowid order, which is time order: what is older than the first entry
     * young enough to keep goes. That reads only the rows it deletes, where a test of
     * created_at read the whole log (seconds of the main loop, every hour, on a big
     * server). Should the clock have gone back, an old entry after a young one is kept
     * a little longer; a young one never goes. */
    mutations = cn_server_db_prepare (self,
                                      "DELETE FROM mutations WHERE rowid < COALESCE ("
                                      "  (SELECT rowid FROM mutations WHERE created_at >= ?1 "
                                      "   ORDER BY rowid LIMIT 1),"
                                      "  (SELECT max (rowid) FROM mutations) + 1)", error);
    if (mutations == NULL)
      goto fail;
    sqlite3_bind_int64 (mutations, 1, now_s - keep_s);
    sessions = cn_server_db_prepare (self, "DELETE FROM sessions WHERE expires_at < ?", error);
    if (sessions == NULL)
      goto fail;
    sqlite3_bind_int64 (sessions, 1, now_s - 24 * 3600);
    if (sqlite3_step (mutations) != SQLITE_DONE || sqlite3_step (sessions) != SQLITE_DONE)
      {
        cn_server_db_set_error (self, error);
        goto fail;
      }
  }

  return cn_server_db_commit (self, error);

fail:
  cn_server_db_rollback (self);
  return FALSE;
}

gboolean
cn_server_db_backup (CnServerDb  *self,
                     const char  *destination,
                     GError     **error)
{
  g_autofree char *tmp = g_strconcat (destination, ".part", NULL);
  sqlite3 *dest = NULL;
  sqlite3_backup *backup;
  int fd;
  int rc;

  /* Write to a 0600 temporary file, then rename: a half-written backup never has the name
   * of a good one. */
  g_unlink (tmp);
  fd = g_open (tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, CN_ERROR, CN_ERROR_STORE, _("Could not create %s: %s"),
                   tmp, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  if (sqlite3_open_v2 (tmp, &dest, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_STORE, _("Could not open %s: %s"),
                   tmp, dest ? sqlite3_errmsg (dest) : g_strerror (ENOMEM));
      goto fail;
    }

  backup = sqlite3_backup_init (dest, "main", self->db, "main");
  if (backup == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_STORE, _("Could not start the backup: %s"),
                   sqlite3_errmsg (dest));
      goto fail;
    }

  /* Copy in steps so that writers are not held up for the whole copy; a write between
   * steps makes SQLite restart the copy, which keeps the result consistent. */
  do
    {
      rc = sqlite3_backup_step (backup, 256);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep (50);
    }
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);

  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_STORE, _("The backup failed: %s"),
                   sqlite3_errstr (rc));
      goto fail;
    }

  /* The copy keeps the WAL journal mode of the source; make it a single self-contained
   * file. */
  sqlite3_exec (dest, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
  sqlite3_close_v2 (dest);
  dest = NULL;

  if (g_rename (tmp, destination) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, CN_ERROR, CN_ERROR_STORE, _("Could not write %s: %s"),
                   destination, g_strerror (saved_errno));
      goto fail;
    }
  return TRUE;

fail:
  if (dest != NULL)
    sqlite3_close_v2 (dest);
  g_unlink (tmp);
  return FALSE;
}

char *
cn_server_default_files_dir (const char *db_path)
{
  g_autofree char *dir = g_path_get_dirname (db_path);

  return g_build_filename (dir, "files", NULL);
}
