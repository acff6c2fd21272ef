/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cn-error.h"
#include "cn-fts.h"
#include "cn-schema.h"
#include "cn-search.h"
#include "cn-store-private.h"

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
 * ranked by cn_rank (cn-fts.c): title ×10, body ×1, kind ×0. */
static const char search_sql[] =
  "WITH m AS MATERIALIZED ("
  "  SELECT rowid AS n, " CN_FTS_RANK " (search) AS score FROM search "
  "  WHERE search MATCH ?1 ORDER BY rowid DESC LIMIT ?2) "
  "SELECT r.n, r.collection, r.id, r.title, m.score "
  "FROM m JOIN records r ON r.n = m.n WHERE r.deleted = 0 "
  "ORDER BY m.score, r.n DESC LIMIT ?3";

static const char snippet_sql[] =
  "SELECT snippet (search, -1, ?3, ?4, '…', 16) FROM search "
  "WHERE search MATCH ?1 AND rowid = ?2";

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

/* Adds the best hits of one MATCH expression that are not in `seen` yet. */
static gboolean
collect_hits (CnStore     *self,
              const char  *match,
              const char  *collection,
              guint        limit,
              GPtrArray   *hits,
              GArray      *rowids,
              GPtrArray   *matches,
              GHashTable  *seen,
              GError     **error)
{
  g_autoptr(CnStmtReset) stmt = cn_store_cached_stmt (self, search_sql, error);
  g_autofree char *filtered = restrict_to_collection (match, collection);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, filtered, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, CN_SEARCH_MAX_CANDIDATES);
  sqlite3_bind_int64 (stmt, 3, limit == 0 ? G_MAXINT64 : (gint64) limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 n = sqlite3_column_int64 (stmt, 0);
      CnSearchHit *hit;

      if (g_hash_table_contains (seen, &n))
        continue;
      if (limit != 0 && hits->len >= limit)
        break;
      hit = g_new0 (CnSearchHit, 1);
      hit->collection = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      hit->id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      hit->title = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      hit->score = sqlite3_column_double (stmt, 4);
      g_ptr_array_add (hits, hit);
      g_array_append_val (rowids, n);
      g_ptr_array_add (matches, (gpointer) match);
      g_hash_table_add (seen, g_memdup2 (&n, sizeof n));
    }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
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
  if (!collect_hits (self, match, collection, limit, hits, rowids, matches, seen, error))
    return NULL;
  if (g_strcmp0 (wide, match) != 0 && (limit == 0 || hits->len < limit) &&
      !collect_hits (self, wide, collection, limit, hits, rowids, matches, seen, error))
    return NULL;

  /* Snippets for the results only: they read and tokenize the stored text. The expression
   * without the collection filter keeps the "kind" column out of them. */
  for (guint i = 0; (mark_start != NULL || mark_end != NULL) && i < hits->len; i++)
    {
      g_autoptr(CnStmtReset) stmt = cn_store_cached_stmt (self, snippet_sql, error);
      CnSearchHit *hit = g_ptr_array_index (hits, i);
      int rc;

      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (matches, i), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, g_array_index (rowids, gint64, i));
      sqlite3_bind_text (stmt, 3, mark_start ? mark_start : "", -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, mark_end ? mark_end : "", -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        hit->snippet = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      else if (rc != SQLITE_DONE)
        {
          cn_store_set_sql_error (self, error);
          return NULL;
        }
      if (hit->snippet == NULL)
        hit->snippet = g_strdup ("");
    }

  return g_steal_pointer (&hits);
}
