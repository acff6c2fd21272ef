/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cn-error.h"
#include "cn-fts.h"
#include "cn-schema.h"
#include "cn-search.h"
#include "cn-store-private.h"

#define TOP_FUNCTION "cn_search_top"

G_DEFINE_BOXED_TYPE (CnSearchHit, cn_search_hit, cn_search_hit_copy, cn_search_hit_free)

CnSearchHit *
cn_search_hit_copy (const CnSearchHit *hit)
{
  CnSearchHit *copy = g_new0 (CnSearchHit, 1);

  copy->collection = g_strdup (hit->collection);
  copy->id = g_strdup (hit->id);
  copy->title = g_strdup (hit->title);
  copy->snippet = g_strdup (hit->snippet);
  copy->score = hit->score;
  return copy;
}

void
cn_search_hit_free (CnSearchHit *hit)
{
  if (hit == NULL)
    return;
  g_free (hit->collection);
  g_free (hit->id);
  g_free (hit->title);
  g_free (hit->snippet);
  g_free (hit);
}

/* The newest CN_SEARCH_MAX_CANDIDATES matches (FTS5 walks the doclist by rowid and stops),
 * ranked by cn_rank (cn-fts.c): title ×10, body ×1, kind ×0; ties newest first (sorted in
 * compare_candidates()). The record of a candidate is read only when its turn comes
 * (record_sql): reading all of them was more than half of the ranking's time.
 *
 * The snippet of a candidate is made in the same pass, but only when it enters the best
 * ones seen so far (cn_search_top(), see TopTracker): the rows shown are among those, and
 * a second pass would merge the lists of an unfinished word's completions ("nguo*") again,
 * which is most of such a search's time. */
static const char search_sql[] =
  "SELECT rowid, " CN_FTS_RANK " (search), "
  "  CASE WHEN " TOP_FUNCTION " (?3, rowid, " CN_FTS_RANK " (search)) "
  "  THEN ifnull (snippet (search, -1, ?4, ?5, '…', 16), '') END "
  "FROM search WHERE search MATCH ?1 ORDER BY rowid DESC LIMIT ?2";

static const char record_sql[] =
  "SELECT collection, id, title FROM records WHERE n = ?1 AND deleted = 0";

/* The snippets of a set of rows in one pass over the expression's matches between the
 * smallest and the largest of them. Looking each row up ("… AND rowid = ?") seeks every
 * phrase's list in every segment of the index, about 0.1 ms a phrase and a row: 10 ms for
 * the 20 rows of a five-word query. The "+" keeps the row list out of FTS5's plan, so that
 * snippet() runs only for the rows asked for. */
static const char snippet_sql[] =
  "SELECT rowid, snippet (search, -1, ?4, ?5, '…', 16) FROM search "
  "WHERE search MATCH ?1 AND rowid BETWEEN ?2 AND ?3 "
  "AND +rowid IN (SELECT value FROM json_each (?6))";

static char *
restrict_to_collection (const char *match,
                        const char *collection)
{
  g_autoptr(GString) kind = g_string_new (CN_FTS_MARK);

  if (collection == NULL)
    return g_strdup (match);
  for (const char *p = collection; *p; p++)
    if (*p != '_')
      g_string_append_c (kind, *p);
  return g_strdup_printf ("(%s) AND kind : \"%s\"", match, kind->str);
}

/* Reads the record of row n into a new hit; NULL (and no error) when it is deleted or gone. */
static CnSearchHit *
read_hit (CnStore     *self,
          gint64       n,
          double       score,
          GError     **error)
{
  g_autoptr(CnStmtReset) stmt = cn_store_cached_stmt (self, record_sql, error);
  CnSearchHit *hit;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, n);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc != SQLITE_DONE)
        cn_store_set_sql_error (self, error);
      return NULL;
    }
  hit = g_new0 (CnSearchHit, 1);
  hit->collection = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  hit->id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  hit->title = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  hit->score = score;
  return hit;
}

/* The `size` best rows seen so far in a pass, the rows of `seen` left out, for
 * cn_search_top(). The pass reads the rows newest first and ties rank newest first, so a
 * row enters only with a score better than the worst kept. */
typedef struct {
  guint       size;
  GHashTable *seen;
  GArray     *best;  /* double scores, best first */
} TopTracker;

/* cn_search_top(tracker, rowid, score): whether the row enters the tracker's best. */
static void
top_function (sqlite3_context  *ctx,
              int               n_args,
              sqlite3_value   **args)
{
  TopTracker *top = sqlite3_value_pointer (args[0], TOP_FUNCTION);
  gint64 n = sqlite3_value_int64 (args[1]);
  double score = sqlite3_value_double (args[2]);
  guint i;

  if (top == NULL || g_hash_table_contains (top->seen, &n))
    {
      sqlite3_result_int (ctx, 0);
      return;
    }
  if (top->size == G_MAXUINT)  /* no limit: every row is shown */
    {
      sqlite3_result_int (ctx, 1);
      return;
    }
  if (top->best->len == top->size &&
      (top->size == 0 || score >= g_array_index (top->best, double, top->size - 1)))
    {
      sqlite3_result_int (ctx, 0);
      return;
    }
  for (i = 0; i < top->best->len && g_array_index (top->best, double, i) <= score; i++)
    ;
  g_array_insert_val (top->best, i, score);
  if (top->best->len > top->size)
    g_array_set_size (top->best, top->size);
  sqlite3_result_int (ctx, 1);
}

/* Registers cn_search_top() on the store's connection, once. */
static gboolean
ensure_top_function (CnStore  *self,
                     GError  **error)
{
  static GQuark quark;
  sqlite3 *db = cn_store_get_db (self);

  if (quark == 0)
    quark = g_quark_from_static_string ("cn-search-top-function");
  if (g_object_get_qdata (G_OBJECT (self), quark) == db)
    return TRUE;
  if (sqlite3_create_function_v2 (db, TOP_FUNCTION, 3, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL,
                                  top_function, NULL, NULL, NULL) != SQLITE_OK)
    {
      cn_store_set_sql_error (self, error);
      return FALSE;
    }
  g_object_set_qdata (G_OBJECT (self), quark, db);
  return TRUE;
}

typedef struct {
  gint64  n;
  double  score;
  char   *snippet;
} Candidate;

static void
candidate_clear (gpointer data)
{
  g_free (((Candidate *) data)->snippet);
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *ca = a, *cb = b;

  if (ca->score != cb->score)
    return ca->score < cb->score ? -1 : 1;
  return ca->n > cb->n ? -1 : ca->n < cb->n;
}

/* Adds the best hits of one MATCH expression that are not in `seen` yet, with their
 * snippets when marks are given (and no collection filter, which would add the "kind"
 * column to them); add_snippets() makes any snippet still missing. */
static gboolean
collect_hits (CnStore     *self,
              const char  *match,
              const char  *collection,
              guint        limit,
              const char  *mark_start,
              const char  *mark_end,
              GPtrArray   *hits,
              GArray      *rowids,
              GPtrArray   *matches,
              GHashTable  *seen,
              GError     **error)
{
  g_autoptr(CnStmtReset) stmt = NULL;
  g_autofree char *filtered = restrict_to_collection (match, collection);
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  g_autoptr(GArray) best = g_array_new (FALSE, FALSE, sizeof (double));
  TopTracker top = {
    .size = limit == 0 ? G_MAXUINT : limit - hits->len,
    .seen = seen,
    .best = best,
  };
  gboolean snippets = (mark_start != NULL || mark_end != NULL) && collection == NULL;
  int rc;

  g_array_set_clear_func (candidates, candidate_clear);
  if (!ensure_top_function (self, error))
    return FALSE;
  stmt = cn_store_cached_stmt (self, search_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, filtered, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, CN_SEARCH_MAX_CANDIDATES);
  if (snippets)
    sqlite3_bind_pointer (stmt, 3, &top, TOP_FUNCTION, NULL);
  sqlite3_bind_text (stmt, 4, mark_start ? mark_start : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, mark_end ? mark_end : "", -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Candidate candidate = {
        .n = sqlite3_column_int64 (stmt, 0),
        .score = sqlite3_column_double (stmt, 1),
        .snippet = g_strdup ((const char *) sqlite3_column_text (stmt, 2)),
      };

      g_array_append_val (candidates, candidate);
    }
  if (rc != SQLITE_DONE)
    {
      cn_store_set_sql_error (self, error);
      return FALSE;
    }
  g_array_sort (candidates, compare_candidates);

  for (guint i = 0; i < candidates->len && (limit == 0 || hits->len < limit); i++)
    {
      Candidate *candidate = &g_array_index (candidates, Candidate, i);
      g_autoptr(GError) local_error = NULL;
      CnSearchHit *hit;

      if (g_hash_table_contains (seen, &candidate->n))
        continue;
      hit = read_hit (self, candidate->n, candidate->score, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (hit == NULL)
        continue;  /* deleted: not shown */
      hit->snippet = g_steal_pointer (&candidate->snippet);
      g_ptr_array_add (hits, hit);
      g_array_append_val (rowids, candidate->n);
      g_ptr_array_add (matches, (gpointer) match);
      g_hash_table_add (seen, g_memdup2 (&candidate->n, sizeof candidate->n));
    }
  return TRUE;
}

/* Makes the missing snippets of the hits found with `match`. The expression without the
 * collection filter keeps the "kind" column out of them. */
static gboolean
add_snippets (CnStore     *self,
              const char  *match,
              GPtrArray   *hits,
              GArray      *rowids,
              GPtrArray   *matches,
              const char  *mark_start,
              const char  *mark_end,
              GError     **error)
{
  g_autoptr(CnStmtReset) stmt = NULL;
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GString) list = g_string_new ("[");
  gint64 low = G_MAXINT64, high = G_MININT64;
  int rc;

  for (guint i = 0; i < hits->len; i++)
    {
      gint64 *n = &g_array_index (rowids, gint64, i);

      if (g_ptr_array_index (matches, i) != match ||
          ((CnSearchHit *) g_ptr_array_index (hits, i))->snippet != NULL)
        continue;
      g_hash_table_insert (wanted, n, g_ptr_array_index (hits, i));
      g_string_append_printf (list, "%s%" G_GINT64_FORMAT, list->len > 1 ? "," : "", *n);
      low = MIN (low, *n);
      high = MAX (high, *n);
    }
  if (g_hash_table_size (wanted) == 0)
    return TRUE;
  g_string_append_c (list, ']');

  stmt = cn_store_cached_stmt (self, snippet_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, low);
  sqlite3_bind_int64 (stmt, 3, high);
  sqlite3_bind_text (stmt, 4, mark_start ? mark_start : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, mark_end ? mark_end : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, list->str, (int) list->len, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 n = sqlite3_column_int64 (stmt, 0);
      CnSearchHit *hit = g_hash_table_lookup (wanted, &n);

      if (hit != NULL && hit->snippet == NULL)
        hit->snippet = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  if (rc != SQLITE_DONE)
    {
      cn_store_set_sql_error (self, error);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
cn_store_search (CnStore     *self,
                 const char  *text,
                 const char  *collection,
                 guint        limit,
                 const char  *mark_start,
                 const char  *mark_end,
                 GError     **error)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) cn_search_hit_free);
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *match = NULL;
  g_autofree char *wide = NULL;

  g_return_val_if_fail (CN_IS_STORE (self), NULL);

  if (collection != NULL && cn_schema_lookup (collection) == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("There is no collection named “%s”"), collection);
      return NULL;
    }

  /* First whole words, or prefixes the index holds; a longer unfinished word ("nguo")
   * widens to every word it starts only when that found too little: merging the lists of
   * all words starting with a common syllable is what makes plain prefix search slow. */
  match = cn_store_build_match (text, CN_FTS_PREFIX_SHORT);
  if (match == NULL)
    return g_steal_pointer (&hits);
  wide = cn_store_build_match (text, CN_FTS_PREFIX_ANY);

  rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (!collect_hits (self, match, collection, limit, mark_start, mark_end, hits, rowids,
                     matches, seen, error))
    return NULL;
  if (g_strcmp0 (wide, match) != 0 && (limit == 0 || hits->len < limit) &&
      !collect_hits (self, wide, collection, limit, mark_start, mark_end, hits, rowids,
                     matches, seen, error))
    return NULL;

  /* Snippets for the results only: they read and tokenize the stored text. */
  if (mark_start != NULL || mark_end != NULL)
    {
      if (!add_snippets (self, match, hits, rowids, matches, mark_start, mark_end, error) ||
          !add_snippets (self, wide, hits, rowids, matches, mark_start, mark_end, error))
        return NULL;
      for (guint i = 0; i < hits->len; i++)
        {
          CnSearchHit *hit = g_ptr_array_index (hits, i);

          if (hit->snippet == NULL)
            hit->snippet = g_strdup ("");
        }
    }

  return g_steal_pointer (&hits);
}
