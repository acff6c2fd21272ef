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

/* Decodes one character at text[i]; an invalid byte counts as a one-byte separator. */
static inline gunichar
next_char (const char *text,
           int         n,
           int         i,
           int        *len)
{
  guchar b = (guchar) text[i];
  gunichar c;

  if (b < 0x80)
    {
      *len = 1;
      return b;
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

      if (!is_word_char (c))
        {
          i += len;
          continue;
        }

      start = i;
      while (i < n)
        {
          c = next_char (text, n, i, &len);
          if (!is_word_char (c))
            break;
          if (c < 0x80)
            {
              if (out < CN_FTS_MAX_TOKEN)
                buf[out++] = g_ascii_tolower ((char) c);
            }
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
