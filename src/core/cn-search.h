/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cn-store.h"

G_BEGIN_DECLS

/*
 * Search across every collection of the store (articles, documents, workflow records…):
 * folded Vietnamese (see cn-fts.h), prefix matching on the last word for search as you
 * type, title weighted ten times the body, and a snippet of the original, accented text
 * with each match between mark_start and mark_end.
 *
 * Ranking (cn_rank, a bm25 without document frequencies, see cn-fts.c) is over at most
 * CN_SEARCH_MAX_CANDIDATES matches, the newest first: a rare
 * word ranks all its matches, a syllable found in every row ("nguoi", "ng") ranks only the
 * newest of them, which keeps every query fast on 100k records. The last word is a prefix
 * while it is being typed; past the indexed prefix lengths (CN_FTS_INDEXED_PREFIX_MAX) it is
 * first matched whole, and as a prefix only when that finds fewer than `limit` records.
 */

#define CN_SEARCH_MAX_CANDIDATES 1000

#define CN_TYPE_SEARCH_HIT (cn_search_hit_get_type ())

typedef struct {
  char   *collection;
  char   *id;
  char   *title;    /* display title, original text */
  char   *snippet;  /* original text around the best match, matches marked; or NULL */
  double  score;    /* cn_rank: lower is better */
} CnSearchHit;

GType        cn_search_hit_get_type (void) G_GNUC_CONST;
CnSearchHit *cn_search_hit_copy     (const CnSearchHit *hit);
void         cn_search_hit_free     (CnSearchHit       *hit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CnSearchHit, cn_search_hit_free)

/* Returns CnSearchHit elements, best first (empty when nothing matches or the text holds no
 * word). collection NULL searches everything. limit 0 sets no limit beyond the candidates
 * (CN_SEARCH_MAX_CANDIDATES). Snippets are made for the hits only, in the ranking's pass over
 * the matches (a collection filter costs a second pass); with mark_start and mark_end both
 * NULL they are not made (snippet is NULL). */
GPtrArray   *cn_store_search        (CnStore     *self,
                                     const char  *text,
                                     const char  *collection,
                                     guint        limit,
                                     const char  *mark_start,
                                     const char  *mark_end,
                                     GError     **error);

G_END_DECLS
