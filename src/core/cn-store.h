/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cn-query.h"
#include "cn-record.h"

G_BEGIN_DECLS

/*
 * CnStore: the client's SQLite database, $XDG_DATA_HOME/caunoi/caunoi.db (created 0600 in a
 * 0700 directory; WAL; schema version in PRAGMA user_version, forward-only migrations run by
 * cn_store_open()). It holds the records, the outbox of unsent edits, the base copies those
 * edits started from, the server versions pulled while local edits were pending ("theirs"),
 * conflicts, a key-value meta table and the full-text index.
 *
 * Threads: a CnStore is ONE SQLite connection (opened SQLITE_OPEN_FULLMUTEX, so a call from
 * another thread is serialized, never unsafe), but it is meant to be used by one thread.
 * Heavy work (a sync page, an import) opens its own CnStore on the same path in its worker
 * thread: WAL lets the main thread keep reading while the worker writes, and each write is
 * one short transaction (busy timeout 10 s). Every CnStore open on a file — in any thread —
 * hears about every commit: "changed" is emitted in the main context that was the thread
 * default when that CnStore was opened.
 *
 * Local edits (cn_store_put/patch/delete) write the record, its outbox entry and (for a
 * record the server has) the base copy in ONE transaction.
 *
 * Sample data (cn_store_load_sample) is marked sample=1: it never enters the outbox, and
 * edits of sample records stay local, so sample records can never reach a server as if the
 * user wrote them. A record pulled from a server with the same id replaces the sample copy
 * and is an ordinary record from then on. cn_store_remove_sample() drops what is left.
 */

#define CN_TYPE_STORE (cn_store_get_type ())

G_DECLARE_FINAL_TYPE (CnStore, cn_store, CN, STORE, GObject)

#define CN_STORE_SCHEMA_VERSION 2

/* Meta keys. */
#define CN_STORE_META_SERVER_URL "server_url"
#define CN_STORE_META_USER       "user"        /* user name, written as updated_by */
#define CN_STORE_META_USER_ROLE  "user_role"   /* admin, editor, staff or viewer */
#define CN_STORE_META_USER_UNIT  "user_unit_id" /* the unit the user's rights cover */
#define CN_STORE_META_LAST_SYNC  "last_sync"   /* RFC 3339 UTC */
#define CN_STORE_META_CLIENT_ID  "client_id"   /* a UUID made at creation */
#define CN_STORE_META_CURSOR     "cursor"      /* the change feed's `next` */

typedef enum {
  CN_OUTBOX_PENDING,
  CN_OUTBOX_REJECTED,
} CnOutboxState;

#define CN_TYPE_OUTBOX_ENTRY (cn_outbox_entry_get_type ())

typedef struct {
  gint64         seq;          /* order of the edits */
  char          *mutation_id;  /* UUID */
  char          *collection;
  char          *id;
  gint64         base_rev;
  char          *op;           /* "put" or "delete" */
  JsonObject    *data;         /* whole data after the edit; NULL for "delete" */
  char          *created_at;
  CnOutboxState  state;
  char          *reason;       /* the server's reason when rejected */
} CnOutboxEntry;

GType          cn_outbox_entry_get_type (void) G_GNUC_CONST;
CnOutboxEntry *cn_outbox_entry_copy     (const CnOutboxEntry *entry);
void           cn_outbox_entry_free     (CnOutboxEntry       *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CnOutboxEntry, cn_outbox_entry_free)

#define CN_TYPE_CONFLICT (cn_conflict_get_type ())

typedef struct {
  char        *id;
  char        *collection;
  char       **fields;        /* fields changed on both sides; empty for delete vs edit */
  JsonObject  *mine;          /* the local data; NULL when deleted here */
  CnRecord    *theirs;        /* the server's version (may be a tombstone) */
  JsonObject  *base;          /* the version both started from; NULL if unknown */
  char        *created_at;
} CnConflict;

GType       cn_conflict_get_type (void) G_GNUC_CONST;
CnConflict *cn_conflict_copy     (const CnConflict *conflict);
void        cn_conflict_free     (CnConflict       *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CnConflict, cn_conflict_free)

typedef enum {
  CN_TAKE_MINE,
  CN_TAKE_THEIRS,
  CN_TAKE_MERGED,  /* the caller passes the settled data (cn_merge_settle) */
} CnConflictChoice;

typedef struct {
  guint applied;      /* records written */
  guint kept_local;   /* records with unsent local edits: stored as "theirs" */
  guint skipped;      /* not newer than what we have */
} CnPullStats;

typedef struct {
  guint pending;      /* outbox entries waiting to be pushed */
  guint rejected;
  guint conflicts;
  guint records;      /* live (not deleted) records */
  guint sample;       /* live sample records */
} CnStoreCounts;

/* Opening */
char          *cn_store_dup_default_path      (void);
char          *cn_store_dup_files_dir         (CnStore        *self);
CnStore       *cn_store_open                  (const char     *path,
                                               GError        **error);
const char    *cn_store_get_path              (CnStore        *self);
int            cn_store_get_schema_version    (CnStore        *self);

/* Reading */
CnRecord      *cn_store_get                   (CnStore        *self,
                                               const char     *id,
                                               GError        **error);
gboolean       cn_store_has_local_changes     (CnStore        *self,
                                               const char     *id);
gboolean       cn_store_is_sample             (CnStore        *self,
                                               const char     *id);
GPtrArray     *cn_store_query                 (CnStore        *self,
                                               const CnQuery  *query,
                                               guint           offset,
                                               guint           limit,
                                               GError        **error);
gboolean       cn_store_count                 (CnStore        *self,
                                               const CnQuery  *query,
                                               guint          *n_out,
                                               GError        **error);
const char * const *cn_store_indexed_fields   (const char     *collection);

/* Local edits (validated; one transaction each, with the outbox entry) */
CnRecord      *cn_store_put                   (CnStore        *self,
                                               const char     *collection,
                                               const char     *id,
                                               JsonObject     *data,
                                               GError        **error);
CnRecord      *cn_store_patch                 (CnStore        *self,
                                               const char     *id,
                                               JsonObject     *fields,
                                               GError        **error);
gboolean       cn_store_delete                (CnStore        *self,
                                               const char     *id,
                                               GError        **error);
gboolean       cn_store_discard_local_changes (CnStore        *self,
                                               const char     *id,
                                               GError        **error);

/* Local-only state, never synced: the unread mark of articles and documents. */
gboolean       cn_store_get_read              (CnStore        *self,
                                               const char     *id);
gboolean       cn_store_set_read              (CnStore        *self,
                                               const char     *id,
                                               gboolean        read,
                                               GError        **error);

/* Batches: wrap many calls in one transaction (nestable, savepoints inside). */
gboolean       cn_store_begin                 (CnStore        *self,
                                               GError        **error);
gboolean       cn_store_commit                (CnStore        *self,
                                               GError        **error);
void           cn_store_rollback              (CnStore        *self);

/* Meta */
char          *cn_store_dup_meta              (CnStore        *self,
                                               const char     *key);
gboolean       cn_store_set_meta              (CnStore        *self,
                                               const char     *key,
                                               const char     *value,
                                               GError        **error);
gboolean       cn_store_get_counts            (CnStore        *self,
                                               CnStoreCounts  *counts,
                                               GError        **error);

/* Sample data */
gboolean       cn_store_load_sample           (CnStore        *self,
                                               GPtrArray      *records,
                                               GError        **error);
gboolean       cn_store_remove_sample         (CnStore        *self,
                                               GError        **error);

/* Sync support.
 *
 * apply_pull_page: one transaction for the page and its cursor (meta "cursor"). A record
 *   with unsent local edits is not touched: a newer server version goes to "theirs"
 *   (cn_store_get_theirs / list_theirs) for the sync client to merge. A record not newer
 *   than ours (rev <=) is skipped. Tombstones are kept as deleted records.
 * list_outbox: pending entries in edit order (rejected ones too if asked), leaving out the
 *   records in conflict until settled; limit 0 = all.
 * mark_applied: the server applied a mutation at new_rev: the entry goes; if it was the
 *   record's last unsent edit the record is synced (rev, updated_at/by from the server when
 *   given; base and older theirs dropped); otherwise the later entries are rebased on new_rev
 *   and the base copy becomes this applied version.
 * mark_rejected / retry_rejected: keep the entry with the server's reason / send it again.
 * accept_theirs: the server version wins: written as synced, every local edit of the record
 *   dropped (outbox, base, theirs, conflict).
 * rebase_local: a clean three-way merge: the record becomes `data` (or a deletion) on top
 *   of `theirs`, which becomes the base; the record's outbox entries are replaced by one
 *   edit with base_rev = theirs' rev.
 * add_conflict: keep `theirs` and the fields changed on both sides until someone settles
 *   it; the record keeps the local version meanwhile (mine = current record, base = base).
 * resolve_conflict: CN_TAKE_THEIRS = accept_theirs; CN_TAKE_MINE / CN_TAKE_MERGED =
 *   rebase_local with the local data / `merged` (validated).
 * reset_for_resync: after a 410: everything that came from the server goes (and the cursor),
 *   unsent edits, their base copies, conflicts and sample data stay.
 */
gboolean       cn_store_apply_pull_page       (CnStore        *self,
                                               GPtrArray      *records,
                                               const char     *next_cursor,
                                               CnPullStats    *stats,
                                               GError        **error);
GPtrArray     *cn_store_list_outbox           (CnStore        *self,
                                               gboolean        include_rejected,
                                               guint           limit,
                                               GError        **error);
gboolean       cn_store_mark_applied          (CnStore        *self,
                                               const char     *mutation_id,
                                               gint64          new_rev,
                                               const char     *updated_at,
                                               const char     *updated_by,
                                               GError        **error);
gboolean       cn_store_mark_rejected         (CnStore        *self,
                                               const char     *mutation_id,
                                               const char     *reason,
                                               GError        **error);
gboolean       cn_store_retry_rejected        (CnStore        *self,
                                               const char     *mutation_id,
                                               GError        **error);
CnRecord      *cn_store_get_base              (CnStore        *self,
                                               const char     *id,
                                               GError        **error);
CnRecord      *cn_store_get_theirs            (CnStore        *self,
                                               const char     *id,
                                               GError        **error);
GPtrArray     *cn_store_list_theirs           (CnStore        *self,
                                               GError        **error);
gboolean       cn_store_accept_theirs         (CnStore        *self,
                                               CnRecord       *theirs,
                                               GError        **error);
gboolean       cn_store_rebase_local          (CnStore        *self,
                                               CnRecord       *theirs,
                                               JsonObject     *data,
                                               gboolean        deleted,
                                               GError        **error);
gboolean       cn_store_add_conflict          (CnStore        *self,
                                               CnRecord       *theirs,
                                               const char * const *fields,
                                               GError        **error);
GPtrArray     *cn_store_list_conflicts        (CnStore        *self,
                                               GError        **error);
CnConflict    *cn_store_get_conflict          (CnStore        *self,
                                               const char     *id,
                                               GError        **error);
gboolean       cn_store_resolve_conflict      (CnStore        *self,
                                               const char     *id,
                                               CnConflictChoice choice,
                                               JsonObject     *merged,
                                               GError        **error);
gboolean       cn_store_reset_for_resync      (CnStore        *self,
                                               GError        **error);

/* Deferred full-text indexing, for bulk writes (the first sync of a big store): while on,
 * this connection queues written records for the index instead of indexing them (a record
 * changed or deleted leaves the index at once all the same, so search never shows stale
 * text; it may miss new text until indexed). cn_store_index_pending() then indexes up to
 * max_rows queued records (0: all), newest first, in one transaction, and tells how many
 * are left. Indexing is about 80% of the cost of writing a 3 KB article. */
void           cn_store_set_defer_indexing    (CnStore        *self,
                                               gboolean        defer);
gboolean       cn_store_index_pending         (CnStore        *self,
                                               guint           max_rows,
                                               guint          *n_left,
                                               GError        **error);

G_END_DECLS
