/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cn-error.h"
#include "cn-fold.h"
#include "cn-fts.h"

/* Longest folded word kept, in bytes; longer runs (a pasted hash, base64) are cut. */
#define CN_FTS_MAX_TOKEN 128

typedef int (*CnFtsTokenCallback) (void       *ctx,
                                   int         tflags,
                                   const char *token,
                                   int         n_token,
                                   int         start,
                                   int         end);

static inline gboolean
is_word_char (gunichar c)
{
  if (c < 0x80)
    return g_ascii_isalnum ((char) c);
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

/* The letters of Vietnamese text (Latin-1 Supplement, Latin Extended-A and -B, combining
 * diacritics, Latin Extended Additional) looked up in a table instead of decomposed one by
 * one: tokenizing is most of the cost of indexing a record and of making a snippet. */
enum {
  FOLD_UNKNOWN = 0,  /* not in the table: fold it the slow way */
  FOLD_SEPARATOR,    /* not part of a word */
  FOLD_NOTHING,      /* part of a word, folds to nothing (a combining mark) */
  /* any other value: the ASCII letter or digit it folds to */
};

#define TABLE_LOW_END    0x0370  /* U+0080 … U+036F */
#define TABLE_HIGH_START 0x1E00  /* U+1E00 … U+1EFF */
#define TABLE_HIGH_END   0x1F00

static guint8 fold_table_low[TABLE_LOW_END];
static guint8 fold_table_high[TABLE_HIGH_END - TABLE_HIGH_START];

static guint8
classify (gunichar c)
{
  gunichar folded[CN_FOLD_MAX_CHARS];
  gsize n;

  if (!is_word_char (c))
    return FOLD_SEPARATOR;
  n = cn_fold_unichar (c, folded);
  if (n == 0)
    return FOLD_NOTHING;
  if (n == 1 && folded[0] < 0x80 && g_ascii_isalnum ((char) folded[0]))
    return (guint8) folded[0];
  return FOLD_UNKNOWN;
}

static void
init_fold_tables (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      for (gunichar c = 0x80; c < TABLE_LOW_END; c++)
        fold_table_low[c] = classify (c);
      for (gunichar c = TABLE_HIGH_START; c < TABLE_HIGH_END; c++)
        fold_table_high[c - TABLE_HIGH_START] = classify (c);
      g_once_init_leave (&initialized, 1);
    }
}

static inline guint8
lookup_fold (gunichar c)
{
  if (c < TABLE_LOW_END)
    return fold_table_low[c];
  if (c >= TABLE_HIGH_START && c < TABLE_HIGH_END)
    return fold_table_high[c - TABLE_HIGH_START];
  return FOLD_UNKNOWN;
}

/* Decodes one character at text[i]; an invalid byte counts as a one-byte separator. */
static inline gunichar
next_char (const char *text,
           int         n,
           int         i,
           int        *len)
{
  const guchar *p = (const guchar *) text + i;
  guchar b = p[0];
  gunichar c;

  if (b < 0x80)
    {
      *len = 1;
      return b;
    }
  /* The two- and three-byte forms all Vietnamese letters use, checked as strictly as
   * g_utf8_get_char_validated() (no overlong forms, no surrogates). */
  if (b >= 0xC2 && b <= 0xDF && i + 1 < n && (p[1] & 0xC0) == 0x80)
    {
      *len = 2;
      return ((gunichar) (b & 0x1F) << 6) | (p[1] & 0x3F);
    }
  if (b >= 0xE0 && b <= 0xEF && i + 2 < n && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80)
    {
      c = ((gunichar) (b & 0x0F) << 12) | ((gunichar) (p[1] & 0x3F) << 6) | (p[2] & 0x3F);
      if (c >= 0x800 && (c < 0xD800 || c > 0xDFFF))
        {
          *len = 3;
          return c;
        }
    }
  c = g_utf8_get_char_validated (text + i, n - i);
  if (c == (gunichar) -1 || c == (gunichar) -2)
    {
      *len = 1;
      return ' ';
    }
  *len = (int) (g_utf8_next_char (text + i) - (text + i));
  return c;
}

static int
tokenize_text (const char         *text,
               int                 n,
               void               *ctx,
               CnFtsTokenCallback  callback)
{
  int i = 0;

  init_fold_tables ();

  while (i < n)
    {
      char buf[CN_FTS_MAX_TOKEN + 8];
      int out = 0;
      int start;

      int len;
      gunichar c = next_char (text, n, i, &len);

      /* A CN_FTS_MARK starts a marker word, kept as it is: the store's own tokens, such as
       * the collection word, that nothing a person types can match. */
      if (c == (gunichar) CN_FTS_MARK[0])
        {
          start = i++;
          buf[out++] = CN_FTS_MARK[0];
          while (i < n && g_ascii_isalnum (text[i]) && out < CN_FTS_MAX_TOKEN)
            buf[out++] = g_ascii_tolower (text[i++]);
          if (out > 1)
            {
              int rc = callback (ctx, 0, buf, out, start, i);

              if (rc != SQLITE_OK)
                return rc;
            }
          continue;
        }

      if (c < 0x80 ? !g_ascii_isalnum ((char) c)
                   : (lookup_fold (c) == FOLD_SEPARATOR ||
                      (lookup_fold (c) == FOLD_UNKNOWN && !is_word_char (c))))
        {
          i += len;
          continue;
        }

      start = i;
      while (i < n)
        {
          guint8 fast;

          c = next_char (text, n, i, &len);
          if (c < 0x80)
            {
              if (!g_ascii_isalnum ((char) c))
                break;
              if (out < CN_FTS_MAX_TOKEN)
                buf[out++] = g_ascii_tolower ((char) c);
            }
          else if ((fast = lookup_fold (c)) == FOLD_SEPARATOR)
            break;
          else if (fast == FOLD_NOTHING)
            ;
          else if (fast != FOLD_UNKNOWN)
            {
              if (out < CN_FTS_MAX_TOKEN)
                buf[out++] = (char) fast;
            }
          else if (!is_word_char (c))
            break;
          else
            {
              gunichar folded[CN_FOLD_MAX_CHARS];
              gsize n_folded = cn_fold_unichar (c, folded);

              for (gsize k = 0; k < n_folded; k++)
                {
                  if (!is_word_char (folded[k]))
                    continue;
                  if (out + 6 <= CN_FTS_MAX_TOKEN)
                    out += g_unichar_to_utf8 (folded[k], buf + out);
                }
            }
          i += len;
        }

      if (out > 0)
        {
          int rc = callback (ctx, 0, buf, out, start, i);

          if (rc != SQLITE_OK)
            return rc;
        }
    }

  return SQLITE_OK;
}

/* FTS5 glue. The tokenizer has no state and takes no arguments. */

static int
cn_fts_create (void           *user_data,
               const char    **args,
               int             n_args,
               Fts5Tokenizer **out)
{
  static int dummy;

  if (n_args > 0)
    return SQLITE_ERROR;
  *out = (Fts5Tokenizer *) &dummy;
  return SQLITE_OK;
}

static void
cn_fts_delete (Fts5Tokenizer *tokenizer)
{
}

static int
cn_fts_tokenize_cb (Fts5Tokenizer *tokenizer,
                    void          *ctx,
                    int            flags,
                    const char    *text,
                    int            n_text,
                    int          (*token_cb) (void *, int, const char *, int, int, int))
{
  if (text == NULL || n_text <= 0)
    return SQLITE_OK;
  return tokenize_text (text, n_text, ctx, token_cb);
}

/* cn_rank(search): bm25 without its inverse document frequency. bm25's first call in a
 * query counts the documents holding each phrase, a walk over the whole list of every common
 * syllable: that, not the ranking of the candidates, was most of a search's time. All the
 * phrases of a query must match anyway, so their rarity says little here. Each phrase adds,
 * per column, weight × tf / (tf + 1.2), with weights title 10, body 1, kind 0; the result is
 * negated so that, as with bm25, lower is better. */
#define CN_RANK_MAX_PHRASES 32

static void
cn_rank_function (const Fts5ExtensionApi  *api,
                  Fts5Context             *fts,
                  sqlite3_context         *ctx,
                  int                      n_args,
                  sqlite3_value          **args)
{
  static const double weights[] = { 10.0, 1.0, 0.0 };
  int tf[CN_RANK_MAX_PHRASES][G_N_ELEMENTS (weights)] = { { 0 } };
  int n_phrases = MIN (api->xPhraseCount (fts), CN_RANK_MAX_PHRASES);
  int n_inst = 0;
  double score = 0.0;
  int rc;

  rc = api->xInstCount (fts, &n_inst);
  for (int i = 0; rc == SQLITE_OK && i < n_inst; i++)
    {
      int phrase, column, offset;

      rc = api->xInst (fts, i, &phrase, &column, &offset);
      if (rc == SQLITE_OK && phrase < n_phrases && column >= 0 &&
          column < (int) G_N_ELEMENTS (weights))
        tf[phrase][column]++;
    }
  if (rc != SQLITE_OK)
    {
      sqlite3_result_error_code (ctx, rc);
      return;
    }

  for (int p = 0; p < n_phrases; p++)
    for (guint c = 0; c < G_N_ELEMENTS (weights); c++)
      if (tf[p][c] > 0)
        score += weights[c] * tf[p][c] / (tf[p][c] + 1.2);
  sqlite3_result_double (ctx, -score);
}

gboolean
cn_fts_register (sqlite3  *db,
                 GError  **error)
{
  static fts5_tokenizer tokenizer = {
    cn_fts_create,
    cn_fts_delete,
    cn_fts_tokenize_cb,
  };
  fts5_api *api = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (db != NULL, FALSE);

  rc = sqlite3_prepare_v2 (db, "SELECT fts5(?1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_pointer (stmt, 1, (void *) &api, "fts5_api_ptr", NULL);
      sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);

  if (api == NULL || api->iVersion < 2)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                   _("The SQLite library has no full-text search (FTS5)"));
      return FALSE;
    }

  rc = api->xCreateTokenizer (api, CN_FTS_TOKENIZER, NULL, &tokenizer, NULL);
  if (rc == SQLITE_OK)
    rc = api->xCreateFunction (api, CN_FTS_RANK, NULL, cn_rank_function, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                   _("Could not set up full-text search: %s"), sqlite3_errstr (rc));
      return FALSE;
    }

  return TRUE;
}

static int
collect_token (void       *ctx,
               int         tflags,
               const char *token,
               int         n_token,
               int         start,
               int         end)
{
  g_ptr_array_add (ctx, g_strndup (token, n_token));
  return SQLITE_OK;
}

GPtrArray *
cn_fts_tokenize (const char *text)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);

  if (text != NULL)
    tokenize_text (text, (int) strlen (text), words, collect_token);
  return words;
}

static gboolean
has_word (const char *chunk)
{
  g_autoptr(GPtrArray) words = cn_fts_tokenize (chunk);

  return words->len > 0;
}

/* Length in characters of the last folded word of `chunk`, 0 when it has none. */
static glong
last_word_length (const char *chunk)
{
  g_autoptr(GPtrArray) words = cn_fts_tokenize (chunk);

  if (words->len == 0)
    return 0;
  return g_utf8_strlen (g_ptr_array_index (words, words->len - 1), -1);
}

char *
cn_fts_build_query_full (const char  *text,
                         CnFtsPrefix  prefix)
{
  g_autoptr(GString) query = NULL;
  g_auto(GStrv) chunks = NULL;
  g_autofree char *clean = NULL;
  gsize len;
  gboolean typing;
  guint n_phrases = 0;
  int last = -1;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;

  /* Control characters become spaces: nobody types them, and CN_FTS_MARK is one. */
  clean = g_strdup (text);
  for (char *p = clean; *p; p++)
    if ((guchar) *p < 0x20)
      *p = ' ';
  len = strlen (clean);
  typing = len > 0 && !g_ascii_isspace (clean[len - 1]);
  chunks = g_strsplit_set (clean, " ", -1);

  for (int i = 0; chunks[i] != NULL; i++)
    if (has_word (chunks[i]))
      last = i;
  if (last < 0)
    return NULL;

  /* A single letter being typed says nothing yet (and as a prefix it would match half the
   * index): search with the words before it. */
  if (typing && prefix != CN_FTS_PREFIX_NONE)
    {
      g_autoptr(GPtrArray) words = cn_fts_tokenize (chunks[last]);

      if (words->len == 1 && g_utf8_strlen (g_ptr_array_index (words, 0), -1) == 1)
        {
          typing = FALSE;
          for (last--; last >= 0 && !has_word (chunks[last]); last--)
            ;
          if (last < 0)
            return NULL;
        }
    }

  query = g_string_new (NULL);
  for (int i = 0; i <= last; i++)
    {
      if (!has_word (chunks[i]))
        continue;
      if (n_phrases++ > 0)
        g_string_append_c (query, ' ');
      g_string_append_c (query, '"');
      for (const char *p = chunks[i]; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (query, '"');
          g_string_append_c (query, *p);
        }
      g_string_append_c (query, '"');
      if (i == last && typing && prefix != CN_FTS_PREFIX_NONE)
        {
          glong n = last_word_length (chunks[i]);

          if (n >= 2 && (prefix == CN_FTS_PREFIX_ANY || n <= CN_FTS_INDEXED_PREFIX_MAX))
            g_string_append_c (query, '*');
        }
    }

  return g_string_free (g_steal_pointer (&query), FALSE);
}

char *
cn_fts_build_query (const char *text)
{
  return cn_fts_build_query_full (text, CN_FTS_PREFIX_ANY);
}
