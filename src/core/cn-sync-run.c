/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cn-error.h"
#include "cn-merge.h"
#include "cn-schema.h"
#include "cn-store-private.h"
#include "cn-sync-private.h"
#include "cn-time.h"

/* A record merged and sent again this many times in one sync waits for the next one: a
 * server that keeps moving must not hold the sync in a loop. */
#define MAX_MERGES_PER_RECORD 3

/* Records indexed for search in one transaction after a pull that deferred indexing. */
#define INDEX_CHUNK 2000

typedef struct
{
  CnSyncJob     *job;
  CnStore       *store;
  GCancellable  *cancellable;
  CnSyncSummary *summary;
  char          *client_id;
  char          *files_dir;
  GHashTable    *merges;       /* record id → times merged in this sync */
  GHashTable    *to_download;  /* sha256 set (download ahead) */
  GHashTable    *uploaded;     /* sha256 set: sent once per sync, whatever refers to it */
  guint          done;
  guint          total;
  gboolean       bulk_writes;  /* the store is in cn_store_set_bulk_writes() mode */
} Run;

static void
run_clear (Run *run)
{
  g_clear_object (&run->store);
  g_clear_pointer (&run->summary, cn_sync_summary_free);
  g_free (run->client_id);
  g_free (run->files_dir);
  g_clear_pointer (&run->merges, g_hash_table_unref);
  g_clear_pointer (&run->to_download, g_hash_table_unref);
  g_clear_pointer (&run->uploaded, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
progress (Run         *run,
          CnSyncPhase  phase)
{
  if (run->job->progress != NULL)
    run->job->progress (phase, run->done, run->total, run->job->progress_data);
}

static void
malformed (GError     **error,
           const char  *what)
{
  g_set_error (error, CN_ERROR, CN_ERROR_SERVER,
               _("The server sent a malformed answer: %s"), what);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
member_int (JsonObject *object,
            const char *name,
            gint64     *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

/* ---------- files ---------- */

static gboolean
upload_files_of (Run        *run,
                 GPtrArray  *entries,
                 GError    **error)
{
  g_autoptr(GHashTable) refs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer sha256;

  for (guint i = 0; i < entries->len; i++)
    {
      CnOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (entry->data != NULL)
        {
          g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), entry->data);

          cn_sync_collect_file_refs (node, refs);
        }
    }

  g_hash_table_iter_init (&iter, refs);
  while (g_hash_table_iter_next (&iter, &sha256, NULL))
    {
      g_autofree char *path = g_build_filename (run->files_dir, sha256, NULL);

      /* A file only referenced here (an edit made elsewhere and pulled) is the server's. */
      if (g_hash_table_contains (run->uploaded, sha256) ||
          !g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      if (!cn_sync_http_put_file (run->job->http, sha256, path, run->cancellable, error))
        return FALSE;
      g_hash_table_add (run->uploaded, g_strdup (sha256));
      run->summary->files_uploaded++;
    }
  return TRUE;
}

static gboolean
download_files_ahead (Run     *run,
                      GError **error)
{
  GHashTableIter iter;
  gpointer sha256;

  run->done = 0;
  run->total = g_hash_table_size (run->to_download);
  progress (run, CN_SYNC_PHASE_FILES);

  g_hash_table_iter_init (&iter, run->to_download);
  while (g_hash_table_iter_next (&iter, &sha256, NULL))
    {
      g_autofree char *path = g_build_filename (run->files_dir, sha256, NULL);

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          if (!cn_sync_http_get_file (run->job->http, sha256, run->files_dir, NULL, NULL,
                                      run->cancellable, error))
            return FALSE;
          run->summary->files_downloaded++;
        }
      run->done++;
      progress (run, CN_SYNC_PHASE_FILES);
    }
  return TRUE;
}

/* ---------- conflicts ---------- */

static gboolean
same_data (JsonObject *a,
           JsonObject *b)
{
  g_autoptr(GPtrArray) changed = cn_merge_changed_fields (a, b);

  return changed->len == 0;
}

/*
 * The server has `theirs`, newer than the version our local edit started from. Merge the
 * local record (all its unsent edits) three ways against the base copy.
 */
static gboolean
merge_with_server (Run       *run,
                   CnRecord  *theirs,
                   GError   **error)
{
  const char *id = cn_record_get_id (theirs);
  g_autoptr(CnRecord) local = NULL;
  g_autoptr(CnRecord) base = NULL;
  g_autoptr(CnMerge) merge = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean theirs_deleted = cn_record_get_deleted (theirs);
  gboolean mine_deleted;

  local = cn_store_get (run->store, id, &local_error);
  if (local == NULL)
    {
      if (!g_error_matches (local_error, CN_ERROR, CN_ERROR_NOT_FOUND))
        return (g_propagate_error (error, g_steal_pointer (&local_error)), FALSE);
      /* Nothing local any more: the server's version is all there is. */
      return cn_store_accept_theirs (run->store, theirs, error);
    }
  base = cn_store_get_base (run->store, id, &local_error);
  if (base == NULL && local_error != NULL &&
      !g_error_matches (local_error, CN_ERROR, CN_ERROR_NOT_FOUND))
    return (g_propagate_error (error, g_steal_pointer (&local_error)), FALSE);
  g_clear_error (&local_error);

  mine_deleted = cn_record_get_deleted (local);
  merge = cn_merge_three_way (base != NULL ? cn_record_get_data (base) : NULL,
                              mine_deleted ? NULL : cn_record_get_data (local), mine_deleted,
                              theirs_deleted ? NULL : cn_record_get_data (theirs),
                              theirs_deleted);

  /* Two valid versions can merge into an invalid one (an "either field" rule broken by
   * one side each): then it is for the user to decide, like a conflict. */
  if (!cn_merge_has_conflict (merge) && !merge->deleted &&
      !cn_schema_validate (cn_record_get_collection (theirs), merge->data, FALSE, NULL))
    {
      g_autoptr(GPtrArray) changed = cn_merge_changed_fields (merge->data,
                                                              cn_record_get_data (theirs));

      for (guint i = 0; i < changed->len; i++)
        g_ptr_array_add (merge->conflicts, g_strdup (g_ptr_array_index (changed, i)));
    }

  if (cn_merge_has_conflict (merge))
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) fields = NULL;

      /* Delete against edit lists no fields: the whole record is the question. */
      if (!merge->delete_conflict)
        for (guint i = 0; i < merge->conflicts->len; i++)
          g_strv_builder_add (builder, g_ptr_array_index (merge->conflicts, i));
      fields = g_strv_builder_end (builder);
      return cn_store_add_conflict (run->store, theirs, (const char * const *) fields, error);
    }

  if ((merge->deleted && theirs_deleted) ||
      (!merge->deleted && !theirs_deleted && same_data (merge->data, cn_record_get_data (theirs))))
    return cn_store_accept_theirs (run->store, theirs, error);

  run->summary->merged++;
  g_hash_table_insert (run->merges, g_strdup (id),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (run->merges, id)) + 1));
  return cn_store_rebase_local (run->store, theirs, merge->data, merge->deleted, error);
}

/* ---------- push ---------- */

static JsonNode *
build_push (Run       *run,
            GPtrArray *batch)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, run->client_id);
  json_builder_set_member_name (builder, "mutations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < batch->len; i++)
    {
      CnOutboxEntry *entry = g_ptr_array_index (batch, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "mutation_id");
      json_builder_add_string_value (builder, entry->mutation_id);
      json_builder_set_member_name (builder, "collection");
      json_builder_add_string_value (builder, entry->collection);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, entry->id);
      json_builder_set_member_name (builder, "base_rev");
      json_builder_add_int_value (builder, entry->base_rev);
      json_builder_set_member_name (builder, "op");
      json_builder_add_string_value (builder, entry->op);
      if (entry->data != NULL && g_strcmp0 (entry->op, "delete") != 0)
        {
          json_builder_set_member_name (builder, "data");
          json_builder_add_value (builder,
                                  json_node_init_object (json_node_alloc (), entry->data));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
apply_result (Run            *run,
              CnOutboxEntry  *entry,
              JsonObject     *result,
              GError        **error)
{
  const char *status = member_string (result, "status");

  if (g_strcmp0 (status, "applied") == 0)
    {
      gint64 rev;

      if (!member_int (result, "rev", &rev) || rev <= 0)
        return (malformed (error, _("an applied edit without its new revision")), FALSE);
      if (!cn_store_mark_applied (run->store, entry->mutation_id, rev,
                                  member_string (result, "updated_at"),
                                  member_string (result, "updated_by"), error))
        return FALSE;
      run->summary->pushed++;
      return TRUE;
    }
  if (g_strcmp0 (status, "conflict") == 0)
    {
      JsonNode *current = json_object_get_member (result, "current");
      g_autoptr(CnRecord) theirs = NULL;
      g_autoptr(GError) local_error = NULL;

      if (current == NULL || !JSON_NODE_HOLDS_OBJECT (current))
        return (malformed (error, _("a conflict without the server’s version")), FALSE);
      theirs = cn_record_from_json (current, &local_error);
      if (theirs == NULL)
        {
          g_set_error (error, CN_ERROR, CN_ERROR_SERVER,
                       _("The server sent a malformed answer: %s"), local_error->message);
          return FALSE;
        }
      if (g_strcmp0 (cn_record_get_id (theirs), entry->id) != 0)
        return (malformed (error, _("a conflict about another record")), FALSE);
      return merge_with_server (run, theirs, error);
    }
  if (g_strcmp0 (status, "rejected") == 0)
    {
      const char *code = member_string (result, "error");
      const char *message = member_string (result, "message");
      g_autofree char *reason = NULL;

      if (message == NULL && code == NULL)
        return (malformed (error, _("a rejected edit without a reason")), FALSE);
      reason = g_strdup (message != NULL ? message : code);
      if (!cn_store_mark_rejected (run->store, entry->mutation_id, reason, error))
        return FALSE;
      run->summary->rejected++;
      return TRUE;
    }
  malformed (error, _("an edit with an unknown result"));
  return FALSE;
}

static gboolean
push_batch (Run        *run,
            GPtrArray  *batch,
            GError    **error)
{
  g_autoptr(JsonNode) body = build_push (run, batch);
  g_autoptr(JsonNode) answer = NULL;
  JsonArray *results;

  if (!upload_files_of (run, batch, error))
    return FALSE;

  answer = cn_sync_http_call_json (run->job->http, "POST", "api/v1/changes", body,
                                   run->cancellable, error);
  if (answer == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (answer) ||
      json_object_get_member (json_node_get_object (answer), "results") == NULL ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (answer), "results")))
    return (malformed (error, _("no results for the edits sent")), FALSE);
  results = json_object_get_array_member (json_node_get_object (answer), "results");
  if (json_array_get_length (results) != batch->len)
    return (malformed (error, _("not one result per edit sent")), FALSE);

  /* One transaction for the whole batch: killed here, the batch is simply sent again and
   * the server answers each mutation_id as the first time. */
  if (!cn_store_begin (run->store, error))
    return FALSE;
  for (guint i = 0; i < batch->len; i++)
    {
      CnOutboxEntry *entry = g_ptr_array_index (batch, i);
      JsonNode *node = json_array_get_element (results, i);
      JsonObject *result;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          cn_store_rollback (run->store);
          return (malformed (error, _("a result that is not an object")), FALSE);
        }
      result = json_node_get_object (node);
      if (g_strcmp0 (member_string (result, "mutation_id"), entry->mutation_id) != 0)
        {
          cn_store_rollback (run->store);
          return (malformed (error, _("results out of order")), FALSE);
        }
      if (!apply_result (run, entry, result, error))
        {
          cn_store_rollback (run->store);
          return FALSE;
        }
    }
  if (!cn_store_commit (run->store, error))
    return FALSE;

  run->done += batch->len;
  progress (run, CN_SYNC_PHASE_PUSHING);
  return TRUE;
}

static gboolean
push_outbox (Run     *run,
             GError **error)
{
  g_autoptr(GHashTable) sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint pending, rejected, conflicts;

  /* Not cn_store_get_counts(): it counts every record too, a scan of the whole table. */
  if (!cn_store_count_unsent (run->store, &pending, &rejected, &conflicts, error))
    return FALSE;
  run->done = 0;
  run->total = pending;
  progress (run, CN_SYNC_PHASE_PUSHING);

  for (;;)
    {
      g_autoptr(GPtrArray) entries = NULL;
      g_autoptr(GPtrArray) batch = g_ptr_array_new ();
      g_autoptr(GHashTable) records = g_hash_table_new (g_str_hash, g_str_equal);

      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;
      /* A window a few batches long, not the whole outbox: ten thousand waiting edits must
       * not be read again for every batch. */
      entries = cn_store_list_outbox (run->store, FALSE, CN_SYNC_PUSH_BATCH * 5, error);
      if (entries == NULL)
        return FALSE;

      /* In order; one edit per record per request, since a second edit of the same record
       * starts from the revision the first one gets. */
      for (guint i = 0; i < entries->len && batch->len < CN_SYNC_PUSH_BATCH; i++)
        {
          CnOutboxEntry *entry = g_ptr_array_index (entries, i);

          if (g_hash_table_contains (records, entry->id))
            continue;
          g_hash_table_add (records, entry->id);
          if (g_hash_table_contains (sent, entry->mutation_id) ||
              GPOINTER_TO_UINT (g_hash_table_lookup (run->merges, entry->id)) >= MAX_MERGES_PER_RECORD)
            continue;
          g_ptr_array_add (batch, entry);
        }
      if (batch->len == 0)
        break;
      for (guint i = 0; i < batch->len; i++)
        g_hash_table_add (sent, g_strdup (((CnOutboxEntry *) g_ptr_array_index (batch, i))->mutation_id));
      if (run->done + batch->len > run->total)
        run->total = run->done + batch->len;
      if (!push_batch (run, batch, error))
        return FALSE;
    }
  return TRUE;
}

/* ---------- pull ---------- */

GPtrArray *
cn_sync_parse_changes_page (JsonNode  *answer,
                            gint64     since,
                            gint64    *next,
                            gboolean  *more,
                            GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  GPtrArray *records;
  JsonObject *page;
  JsonNode *changes;
  JsonNode *more_node;

  if (!JSON_NODE_HOLDS_OBJECT (answer))
    return (malformed (error, _("a change page that is not an object")), NULL);
  page = json_node_get_object (answer);
  changes = json_object_get_member (page, "changes");
  more_node = json_object_get_member (page, "more");
  if (changes == NULL || !JSON_NODE_HOLDS_ARRAY (changes))
    return (malformed (error, _("a change page without its changes")), NULL);
  if (!member_int (page, "next", next) || *next < since)
    return (malformed (error, _("a change page without a valid next cursor")), NULL);
  if (more_node == NULL || !JSON_NODE_HOLDS_VALUE (more_node) ||
      json_node_get_value_type (more_node) != G_TYPE_BOOLEAN)
    return (malformed (error, _("a change page without “more”")), NULL);
  *more = json_node_get_boolean (more_node);
  if (*more && *next == since)
    return (malformed (error, _("a change page that does not move forward")), NULL);

  /* The page's tree is dropped once read: its records keep their data without a copy. */
  records = cn_record_array_from_json_shared (changes, &local_error);
  if (records == NULL)
    g_set_error (error, CN_ERROR, CN_ERROR_SERVER,
                 _("The server sent a malformed answer: %s"), local_error->message);
  return records;
}

/* The pull is a pipeline of two threads: a fetcher asks for the next page and parses and
 * validates it while this worker writes the page before it. Each page is written with its
 * own `next` cursor in one transaction, so a pull killed anywhere resumes after the last
 * page written, nothing lost and nothing twice; a page fetched ahead and not written is
 * simply asked for again. */

/* Pages fetched ahead of the one being written: bounds the memory a pull holds (a page of
 * 1000 articles is about 25 MB parsed). Writing is the slower side: one is enough. */
#define PAGES_AHEAD 1

typedef struct {
  CnPreparedPage *prepared;  /* the records, ready to write; NULL with error set */
  gint64          since;
  gint64          next;
  gboolean        more;
  GError         *error;
} PulledPage;

static void
pulled_page_free (PulledPage *page)
{
  g_clear_pointer (&page->prepared, cn_prepared_page_free);
  g_clear_error (&page->error);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PulledPage, pulled_page_free)

typedef struct {
  CnSyncHttp   *http;
  GCancellable *cancellable;   /* own, cancelled by the sync's and by fetcher_stop() */
  GCancellable *outer;         /* the sync's, or NULL */
  gulong        outer_handler;
  GAsyncQueue  *pages;         /* PulledPage, in order */
  GMutex        lock;
  GCond         room;
  guint         ahead;         /* pages queued and not taken yet; under lock */
  gboolean      stop;          /* under lock */
  gint64        since;
  GThread      *thread;
} Fetcher;

static PulledPage *
fetch_page (CnSyncHttp   *http,
            gint64        since,
            GCancellable *cancellable)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GPtrArray) records = NULL;
  PulledPage *page = g_new0 (PulledPage, 1);

  page->since = since;
  path = g_strdup_printf ("api/v1/changes?since=%" G_GINT64_FORMAT "&limit=%d",
                          since, CN_SYNC_PULL_PAGE);
  answer = cn_sync_http_call_json (http, "GET", path, NULL, cancellable, &page->error);
  if (answer != NULL)
    records = cn_sync_parse_changes_page (answer, since, &page->next, &page->more,
                                          &page->error);
  if (records != NULL)
    page->prepared = cn_prepared_page_new (records);
  return page;
}

static gpointer
fetcher_thread (gpointer user_data)
{
  Fetcher *fetcher = user_data;
  gint64 since = fetcher->since;


  for (;;)
    {
      PulledPage *page;
      gboolean last;

      g_mutex_lock (&fetcher->lock);
      while (fetcher->ahead >= PAGES_AHEAD && !fetcher->stop)
        g_cond_wait (&fetcher->room, &fetcher->lock);
      if (fetcher->stop)
        {
          g_mutex_unlock (&fetcher->lock);
          break;
        }
      g_mutex_unlock (&fetcher->lock);

      page = fetch_page (fetcher->http, since, fetcher->cancellable);
      last = page->prepared == NULL || !page->more;
      since = page->next;

      g_mutex_lock (&fetcher->lock);
      fetcher->ahead++;
      g_mutex_unlock (&fetcher->lock);
      g_async_queue_push (fetcher->pages, page);
      if (last)
        break;
    }
  return NULL;
}

static void
cancel_fetcher_cb (GCancellable *outer,
                   GCancellable *own)
{
  g_cancellable_cancel (own);
}

static Fetcher *
fetcher_start (Run    *run,
               gint64  since)
{
  Fetcher *fetcher = g_new0 (Fetcher, 1);

  fetcher->http = run->job->http;
  fetcher->cancellable = g_cancellable_new ();
  if (run->cancellable != NULL)
    {
      fetcher->outer = g_object_ref (run->cancellable);
      fetcher->outer_handler = g_cancellable_connect (run->cancellable,
                                                      G_CALLBACK (cancel_fetcher_cb),
                                                      fetcher->cancellable, NULL);
    }
  fetcher->pages = g_async_queue_new_full ((GDestroyNotify) pulled_page_free);
  g_mutex_init (&fetcher->lock);
  g_cond_init (&fetcher->room);
  fetcher->since = since;
  fetcher->thread = g_thread_new ("cn-sync-fetch", fetcher_thread, fetcher);
  return fetcher;
}

/* The next page in order; blocks until the fetcher has it. */
static PulledPage *
fetcher_next (Fetcher *fetcher)
{
  PulledPage *page = g_async_queue_pop (fetcher->pages);

  g_mutex_lock (&fetcher->lock);
  fetcher->ahead--;
  g_cond_signal (&fetcher->room);
  g_mutex_unlock (&fetcher->lock);
  return page;
}

/* Stops the fetcher (a request in flight is cancelled), waits for it and drops what it
 * fetched ahead. */
static void
fetcher_stop (Fetcher *fetcher)
{
  g_mutex_lock (&fetcher->lock);
  fetcher->stop = TRUE;
  g_cond_signal (&fetcher->room);
  g_mutex_unlock (&fetcher->lock);
  g_cancellable_cancel (fetcher->cancellable);
  g_thread_join (fetcher->thread);

  if (fetcher->outer != NULL)
    g_cancellable_disconnect (fetcher->outer, fetcher->outer_handler);
  g_clear_object (&fetcher->outer);
  g_clear_object (&fetcher->cancellable);
  g_async_queue_unref (fetcher->pages);
  g_mutex_clear (&fetcher->lock);
  g_cond_clear (&fetcher->room);
  g_free (fetcher);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetcher, fetcher_stop)

/* Every page is indexed for search as it is written, in its own transaction: the index is
 * complete when the pull ends. (Rows left in search_pending by an older version, which
 * deferred indexing, are indexed by index_pending() after the pull.) */
static gboolean
pull_changes (Run     *run,
              GError **error)
{
  gboolean resynced = FALSE;
  g_autofree char *cursor = cn_store_dup_meta (run->store, CN_STORE_META_CURSOR);
  g_autoptr(Fetcher) fetcher = NULL;
  gint64 since = 0;

  run->done = 0;
  run->total = 0;
  progress (run, CN_SYNC_PHASE_PULLING);

  if (cursor != NULL && *cursor != '\0')
    {
      char *end = NULL;

      since = g_ascii_strtoll (cursor, &end, 10);
      if (end == cursor || *end != '\0' || since < 0)
        since = 0;  /* not ours: read everything again, which loses nothing */
    }

  cn_store_set_defer_indexing (run->store, FALSE);
  fetcher = fetcher_start (run, since);
  for (;;)
    {
      g_autoptr(PulledPage) page = NULL;
      g_autofree char *next_text = NULL;
      CnPullStats stats = { 0 };
      GPtrArray *records;

      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;
      page = fetcher_next (fetcher);
      if (page->prepared == NULL)
        {
          if (g_error_matches (page->error, CN_ERROR, CN_ERROR_GONE) && !resynced)
            {
              /* History we need was purged: read everything again. Unsent edits stay. */
              g_clear_pointer (&fetcher, fetcher_stop);
              if (!cn_store_reset_for_resync (run->store, error))
                return FALSE;
              resynced = TRUE;
              run->summary->full_resync = TRUE;
              fetcher = fetcher_start (run, 0);
              continue;
            }
          g_propagate_error (error, g_steal_pointer (&page->error));
          return FALSE;
        }

      /* A first sync or a catch-up of more than a page is written in bulk mode (pulled
       * pages can be pulled again: see cn_store_set_bulk_writes()); a sync of a few changes
       * does without (switching costs two small transactions). */
      if (!run->bulk_writes && (page->since == 0 || page->more))
        {
          if (!cn_store_set_bulk_writes (run->store, TRUE, error))
            {
              /* Whatever part of it was set goes back (its failure adds nothing). */
              cn_store_set_bulk_writes (run->store, FALSE, NULL);
              return FALSE;
            }
          run->bulk_writes = TRUE;
        }

      records = cn_prepared_page_get_records (page->prepared);
      next_text = g_strdup_printf ("%" G_GINT64_FORMAT, page->next);
      if (!cn_store_apply_prepared_page (run->store, page->prepared, next_text, &stats, error))
        return FALSE;

      if (run->to_download != NULL)
        for (guint i = 0; i < records->len; i++)
          {
            CnRecord *record = g_ptr_array_index (records, i);

            if (!cn_record_get_deleted (record))
              {
                g_autoptr(JsonNode) data = json_node_init_object (json_node_alloc (),
                                                                  cn_record_get_data (record));

                cn_sync_collect_file_refs (data, run->to_download);
              }
          }

      run->summary->pulled += records->len;
      run->done += records->len;
      progress (run, CN_SYNC_PHASE_PULLING);
      if (!page->more)
        break;
    }
  return TRUE;
}

/* Indexes the records whose full-text rows wait (written while indexing was deferred, see
 * cn_store_set_defer_indexing(), as earlier versions did for a first sync and a sync stopped
 * before indexing left them), newest first, a chunk a transaction. Cheap when nothing
 * waits: one lookup. */
static gboolean
index_pending (Run     *run,
               GError **error)
{
  guint left;

  if (!cn_store_index_pending (run->store, INDEX_CHUNK, &left, error))
    return FALSE;
  if (left == 0)
    return TRUE;

  run->done = INDEX_CHUNK;
  run->total = INDEX_CHUNK + left;
  progress (run, CN_SYNC_PHASE_INDEXING);
  while (left > 0)
    {
      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;
      if (!cn_store_index_pending (run->store, INDEX_CHUNK, &left, error))
        return FALSE;
      run->done = run->total - left;
      progress (run, CN_SYNC_PHASE_INDEXING);
    }
  return TRUE;
}

static gboolean
pull_and_index (Run     *run,
                GError **error)
{
  gboolean ok = pull_changes (run, error) && index_pending (run, error);

  /* Back to the default: the worker's connection stays open between syncs. (After a failed
   * pull, its error is the one to report.) */
  if (run->bulk_writes && !cn_store_set_bulk_writes (run->store, FALSE, ok ? error : NULL))
    ok = FALSE;
  run->bulk_writes = FALSE;
  return ok;
}

/* Server versions pulled while local edits were waiting: merge them now, so the next push
 * starts from the server's latest revision instead of meeting a conflict. Records whose
 * only edits were rejected, or that wait for the user in a conflict, are left alone. */
static gboolean
merge_pulled_theirs (Run       *run,
                     gboolean  *requeued,
                     GError   **error)
{
  g_autoptr(GPtrArray) theirs = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GHashTable) pending_ids = g_hash_table_new (g_str_hash, g_str_equal);
  guint merged_before = run->summary->merged;

  theirs = cn_store_list_theirs (run->store, error);
  if (theirs == NULL)
    return FALSE;
  if (theirs->len == 0)
    return TRUE;
  pending = cn_store_list_outbox (run->store, FALSE, 0, error);
  if (pending == NULL)
    return FALSE;
  for (guint i = 0; i < pending->len; i++)
    g_hash_table_add (pending_ids, ((CnOutboxEntry *) g_ptr_array_index (pending, i))->id);

  for (guint i = 0; i < theirs->len; i++)
    {
      CnRecord *record = g_ptr_array_index (theirs, i);

      if (!g_hash_table_contains (pending_ids, cn_record_get_id (record)))
        continue;
      if (!merge_with_server (run, record, error))
        return FALSE;
    }
  *requeued = run->summary->merged > merged_before;
  return TRUE;
}

/* ---------- settling a conflict ---------- */

gboolean
cn_sync_resolve_conflict (CnStore     *store,
                          const char  *id,
                          const char  *take,
                          GHashTable  *choices,
                          GError     **error)
{
  g_autoptr(CnConflict) conflict = NULL;
  g_autoptr(JsonObject) settled = NULL;
  JsonObject *theirs_data;
  gboolean theirs_deleted;
  gboolean deleted = FALSE;

  g_return_val_if_fail (CN_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (g_strcmp0 (take, "mine") != 0 && g_strcmp0 (take, "theirs") != 0)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("Choose “mine” or “theirs”, not “%s”"), take != NULL ? take : "");
      return FALSE;
    }
  if (choices != NULL)
    {
      GHashTableIter iter;
      gpointer field, side;

      g_hash_table_iter_init (&iter, choices);
      while (g_hash_table_iter_next (&iter, &field, &side))
        if (g_strcmp0 (side, "mine") != 0 && g_strcmp0 (side, "theirs") != 0)
          {
            g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                         _("Choose “mine” or “theirs” for the field “%s”, not “%s”"),
                         (const char *) field, side != NULL ? (const char *) side : "");
            return FALSE;
          }
    }

  conflict = cn_store_get_conflict (store, id, error);
  if (conflict == NULL)
    return FALSE;
  theirs_deleted = cn_record_get_deleted (conflict->theirs);
  theirs_data = theirs_deleted ? NULL : cn_record_get_data (conflict->theirs);

  /* Mine or theirs for the fields both sides changed; a field only one side changed keeps
   * that change either way. */
  settled = cn_merge_settle (conflict->base, conflict->mine, conflict->mine == NULL,
                             theirs_data, theirs_deleted, choices, take, &deleted);
  if (deleted)
    return cn_store_resolve_conflict (store, id,
                                      theirs_deleted ? CN_TAKE_THEIRS : CN_TAKE_MINE,
                                      NULL, error);

  /* The stored fields are the question asked (they also cover a merge that could not be
   * valid, see merge_with_server()): each gets the side chosen for it. */
  for (guint i = 0; conflict->fields != NULL && conflict->fields[i] != NULL; i++)
    {
      const char *field = conflict->fields[i];
      const char *side = choices != NULL ? g_hash_table_lookup (choices, field) : NULL;
      JsonObject *from = g_strcmp0 (side != NULL ? side : take, "mine") == 0
                         ? conflict->mine : theirs_data;

      if (from != NULL && json_object_has_member (from, field))
        json_object_set_member (settled, field, json_object_dup_member (from, field));
      else if (from != NULL && json_object_has_member (settled, field))
        json_object_remove_member (settled, field);
    }
  if (!theirs_deleted && same_data (settled, theirs_data))
    return cn_store_resolve_conflict (store, id, CN_TAKE_THEIRS, NULL, error);
  return cn_store_resolve_conflict (store, id, CN_TAKE_MERGED, settled, error);
}

/* ---------- the whole sync ---------- */

static CnSyncSummary *run_sync (CnSyncJob     *job,
                                GCancellable  *cancellable,
                                GError       **error);

CnSyncSummary *
cn_sync_run (CnSyncJob     *job,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  CnSyncSummary *summary;

  /* The worker's store announces its commits in a context of its own that nobody runs:
   * the main thread's stores hear about them through their own watches. */
  g_main_context_push_thread_default (context);
  summary = run_sync (job, cancellable, error);
  g_main_context_pop_thread_default (context);
  return summary;
}

static CnSyncSummary *
run_sync (CnSyncJob     *job,
          GCancellable  *cancellable,
          GError       **error)
{
  g_auto(Run) run = { 0 };
  guint pending;
  g_autofree char *now = NULL;
  gboolean requeued = FALSE;

  run.job = job;
  run.cancellable = cancellable;
  run.summary = g_new0 (CnSyncSummary, 1);
  run.merges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run.uploaded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (job->download_ahead)
    run.to_download = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (job->store == NULL)
    job->store = cn_store_open (job->db_path, error);
  if (job->store == NULL)
    return NULL;
  run.store = g_object_ref (job->store);
  run.client_id = cn_store_dup_meta (run.store, CN_STORE_META_CLIENT_ID);
  run.files_dir = cn_store_dup_files_dir (run.store);
  if (run.client_id == NULL)
    {
      g_set_error_literal (error, CN_ERROR, CN_ERROR_STORE,
                           _("The local database has no client id; it is damaged"));
      return NULL;
    }

  if (!push_outbox (&run, error) ||
      !pull_and_index (&run, error) ||
      !merge_pulled_theirs (&run, &requeued, error))
    return NULL;
  if (requeued && !push_outbox (&run, error))
    return NULL;
  if (run.to_download != NULL && !download_files_ahead (&run, error))
    return NULL;

  now = cn_time_now_rfc3339 ();
  if (!cn_store_set_meta (run.store, CN_STORE_META_LAST_SYNC, now, error) ||
      !cn_store_count_unsent (run.store, &pending, &run.summary->rejected,
                              &run.summary->conflicts, error))
    return NULL;
  return g_steal_pointer (&run.summary);
}
