/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-core"

#include "config.h"

#include <string.h>

#include "cn-fold.h"

/* Latin letters with diacritics live below U+0370 and in Latin Extended Additional
 * (U+1E00–U+1EFF, where Vietnamese precomposed letters with tone marks are): those get a
 * table of their folded form, so that folding Vietnamese text needs no Unicode look-ups. */
#define TABLE_LOW_END     0x0370
#define TABLE_HIGH_START  0x1E00
#define TABLE_HIGH_END    0x1F00
#define FOLD_DROP         0u           /* the character folds to nothing */
#define FOLD_SLOW         0xFFFFFFFFu  /* folds to several characters: take the slow path */

static guint32 fold_low[TABLE_LOW_END];
static guint32 fold_high[TABLE_HIGH_END - TABLE_HIGH_START];

static inline gboolean
is_d_with_stroke (gunichar c)
{
  /* đ Đ, the Icelandic ð Ð that Vietnamese pages use as a look-alike of Đ, African Ɖ ɖ */
  return c == 0x0110 || c == 0x0111 || c == 0x00D0 || c == 0x00F0 ||
         c == 0x0189 || c == 0x0256;
}

gsize
cn_fold_unichar (gunichar  c,
                 gunichar *out)
{
  gunichar decomposed[CN_FOLD_MAX_CHARS];
  gsize n, n_out = 0;

  g_return_val_if_fail (out != NULL, 0);

  if (is_d_with_stroke (c))
    {
      out[0] = 'd';
      return 1;
    }

  n = g_unichar_fully_decompose (c, TRUE, decomposed, G_N_ELEMENTS (decomposed));

  for (gsize i = 0; i < n; i++)
    {
      GUnicodeType type = g_unichar_type (decomposed[i]);
      gunichar lower;

      if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_ENCLOSING_MARK)
        continue;

      lower = g_unichar_tolower (decomposed[i]);
      out[n_out++] = is_d_with_stroke (lower) ? 'd' : lower;
    }

  return n_out;
}

static guint32
table_entry (gunichar c)
{
  gunichar out[CN_FOLD_MAX_CHARS];
  gsize n = cn_fold_unichar (c, out);

  if (n == 0)
    return FOLD_DROP;
  if (n == 1 && out[0] != 0)
    return out[0];
  return FOLD_SLOW;
}

static void
ensure_tables (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (gunichar c = 0; c < TABLE_LOW_END; c++)
        fold_low[c] = table_entry (c);
      for (gunichar c = TABLE_HIGH_START; c < TABLE_HIGH_END; c++)
        fold_high[c - TABLE_HIGH_START] = table_entry (c);
      g_once_init_leave (&initialized, 1);
    }
}

void
cn_fold_append (GString    *out,
                const char *utf8,
                gssize      len)
{
  const guchar *p, *end;
  gsize used;
  char *d;

  g_return_if_fail (out != NULL);

  if (utf8 == NULL)
    return;

  ensure_tables ();

  if (len < 0)
    len = strlen (utf8);

  p = (const guchar *) utf8;
  end = p + len;
  used = out->len;
  /* Folding rarely makes text longer; grow when a character could overflow. */
  g_string_set_size (out, used + len + 8);
  d = out->str + used;

  while (p < end)
    {
      gunichar c, folded[CN_FOLD_MAX_CHARS];
      gsize n_folded;
      guint32 entry;

      /* Room for the longest output of one character. */
      if ((gsize) (d - out->str) + CN_FOLD_MAX_CHARS * 4 > out->len)
        {
          used = d - out->str;
          g_string_set_size (out, out->len * 2 + CN_FOLD_MAX_CHARS * 4);
          d = out->str + used;
        }

      if (*p < 0x80)
        {
          /* ASCII run: one byte out for each byte in, as far as the room allows */
          gsize room = out->len - (gsize) (d - out->str);
          const guchar *run_end = p + MIN ((gsize) (end - p), room);

          for (; p < run_end && *p < 0x80; p++)
            {
              guchar b = *p;

              if (b >= 'A' && b <= 'Z')
                *d++ = (char) (b | 0x20);
              else if (b != 0)
                *d++ = (char) b;
            }
          continue;
        }

      c = g_utf8_get_char_validated ((const char *) p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          d += g_unichar_to_utf8 (0xFFFD, d);
          p++;
          continue;
        }
      p = (const guchar *) g_utf8_next_char (p);

      if (c < TABLE_LOW_END)
        entry = fold_low[c];
      else if (c >= TABLE_HIGH_START && c < TABLE_HIGH_END)
        entry = fold_high[c - TABLE_HIGH_START];
      else
        entry = FOLD_SLOW;

      if (entry == FOLD_DROP)
        continue;

      if (entry != FOLD_SLOW)
        {
          d += g_unichar_to_utf8 (entry, d);
          continue;
        }

      n_folded = cn_fold_unichar (c, folded);
      for (gsize i = 0; i < n_folded; i++)
        {
          if (folded[i] != 0)
            d += g_unichar_to_utf8 (folded[i], d);
        }
    }

  g_string_truncate (out, d - out->str);
}

char *
cn_fold (const char *utf8,
         gssize      len)
{
  GString *out;

  if (utf8 == NULL)
    return g_strdup ("");

  out = g_string_sized_new (len >= 0 ? (gsize) len + 1 : 64);
  cn_fold_append (out, utf8, len);
  return g_string_free (out, FALSE);
}
