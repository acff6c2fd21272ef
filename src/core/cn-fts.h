/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/*
 * Full-text search support for the client store.
 *
 * The "cn_fold" FTS5 tokenizer splits text into words (runs of letters, digits and combining
 * marks: "4414/UBND-NL5" is the three words 4414, ubnd, nl5) and folds each word with
 * cn_fold_unichar(): lower case, tone marks and other diacritics removed, đ → d. The offsets
 * it reports point into the ORIGINAL text, so an FTS5 table that stores the original text
 * matches "nong thon moi" and still returns "nông thôn mới" from snippet() and highlight().
 * Text typed in NFD folds like NFC: combining marks are word characters that fold to nothing.
 *
 * cn_fts_register() must run on every connection before the index is touched; cn_store
 * does it for each connection it opens. It also registers the ranking function "cn_rank"
 * (see cn-fts.c: bm25 without the document-frequency count that makes bm25 slow on common
 * syllables).
 */

#define CN_FTS_TOKENIZER "cn_fold"
#define CN_FTS_RANK      "cn_rank"  /* auxiliary function: cn_rank(search), lower is better */

/* Starts a marker word ("\001task"): indexed as it is, and never produced from typed text,
 * which cn_fts_build_query() strips of control characters. */
#define CN_FTS_MARK "\001"

gboolean  cn_fts_register     (sqlite3     *db,
                               GError     **error);

/* The prefix lengths the index keeps (prefix = '2 3'): a prefix query of that many
 * characters reads one list; a longer one merges the lists of every word it starts, which
 * is slow for common syllables ("thon*" reads "thon" and "thong" in full). */
#define CN_FTS_INDEXED_PREFIX_MAX 3

typedef enum {
  CN_FTS_PREFIX_NONE,   /* whole words only */
  CN_FTS_PREFIX_SHORT,  /* the last word as a prefix when the index has its length (2–3) */
  CN_FTS_PREFIX_ANY,    /* the last word as a prefix when it has 2 characters or more */
} CnFtsPrefix;

/* Builds an FTS5 MATCH expression from what a person typed: every white-space separated
 * chunk becomes a quoted phrase (so "4414/UBND-NL5" must appear as consecutive words), the
 * chunks are AND-ed, and the last word matches as a prefix as `prefix` says, never when the
 * text ends with white space (the word is finished). A single letter being typed as the last
 * word is left out ("nong thon m" searches "nong thon"). Returns NULL when the text holds no
 * word to search. cn_fts_build_query() is CN_FTS_PREFIX_ANY. */
char     *cn_fts_build_query       (const char  *text);
char     *cn_fts_build_query_full  (const char  *text,
                                    CnFtsPrefix  prefix);

/* The words of `text` as the tokenizer folds them, for tests and callers that need them. */
GPtrArray *cn_fts_tokenize    (const char  *text);

G_END_DECLS
