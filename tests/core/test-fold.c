/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cn-fold.h"

static void
assert_folds_to (const char *input,
                 const char *expected)
{
  g_autofree char *folded = cn_fold (input, -1);

  g_assert_cmpstr (folded, ==, expected);
}

static void
test_fold_examples (void)
{
  assert_folds_to ("NÔNG THÔN MỚI", "nong thon moi");
  assert_folds_to ("nông thôn mới", "nong thon moi");
  assert_folds_to ("đường", "duong");
  assert_folds_to ("ĐƯỜNG", "duong");
  assert_folds_to ("Đảng", "dang");
  /* the seed page writes "Ðoàn" with U+00D0, the Icelandic capital eth */
  assert_folds_to ("Ðoàn công tác", "doan cong tac");
  assert_folds_to ("4414/UBND-NL5", "4414/ubnd-nl5");
  assert_folds_to ("ư ơ ă â ê ô Ư Ơ Ă Â Ê Ô", "u o a a e o u o a a e o");
  assert_folds_to ("Quyết định số 15/2024/QĐ-UBND", "quyet dinh so 15/2024/qd-ubnd");
  assert_folds_to ("", "");
  assert_folds_to ("plain ascii, Mixed CASE 123!", "plain ascii, mixed case 123!");
  /* compatibility forms fold too: a no-break space, the "fi" ligature */
  assert_folds_to ("a\xc2\xa0" "b \xef\xac\x81n", "a b fin");
}

static void
test_fold_decomposed (void)
{
  const char *texts[] = {
    "nông thôn mới", "NÔNG THÔN MỚI", "Nguyễn Hồng Thanh", "Tiến Lộc", "Quốc phòng và An ninh",
    "Thủy lợi", "Hộ nghèo", "đường tránh Khu di tích Ngã ba Đồng Lộc",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *nfc = g_utf8_normalize (texts[i], -1, G_NORMALIZE_NFC);
      g_autofree char *nfd = g_utf8_normalize (texts[i], -1, G_NORMALIZE_NFD);
      g_autofree char *folded_nfc = cn_fold (nfc, -1);
      g_autofree char *folded_nfd = cn_fold (nfd, -1);

      g_assert_cmpstr (nfc, !=, nfd);
      g_assert_cmpstr (folded_nfc, ==, folded_nfd);
      g_assert_true (g_str_is_ascii (folded_nfc));
    }
}

/* Every Vietnamese vowel with every tone, upper and lower case, folds to its base letter. */
static void
test_fold_vietnamese_vowels (void)
{
  static const struct { const char *vowel; char base; } vowels[] = {
    { "a", 'a' }, { "ă", 'a' }, { "â", 'a' }, { "e", 'e' }, { "ê", 'e' }, { "i", 'i' },
    { "o", 'o' }, { "ô", 'o' }, { "ơ", 'o' }, { "u", 'u' }, { "ư", 'u' }, { "y", 'y' },
  };
  /* no tone, huyền, sắc, ngã, hỏi, nặng */
  static const char * const tones[] = { "", "\xcc\x80", "\xcc\x81", "\xcc\x83", "\xcc\x89",
                                        "\xcc\xa3" };
  guint n_checked = 0;

  for (guint v = 0; v < G_N_ELEMENTS (vowels); v++)
    for (guint t = 0; t < G_N_ELEMENTS (tones); t++)
      {
        g_autofree char *decomposed = g_strconcat (vowels[v].vowel, tones[t], NULL);
        g_autofree char *lower = g_utf8_normalize (decomposed, -1, G_NORMALIZE_NFC);
        g_autofree char *upper = g_utf8_strup (lower, -1);
        g_autofree char *folded_lower = cn_fold (lower, -1);
        g_autofree char *folded_upper = cn_fold (upper, -1);
        char expected[2] = { vowels[v].base, '\0' };

        /* the precomposed letter is one character */
        g_assert_cmpint (g_utf8_strlen (lower, -1), ==, 1);
        g_assert_cmpstr (folded_lower, ==, expected);
        g_assert_cmpstr (folded_upper, ==, expected);
        n_checked++;
      }

  g_assert_cmpuint (n_checked, ==, 72);
}

/* NFC and NFD forms of any character fold the same, and the fast table agrees with the
 * per-character path. */
static void
test_fold_all_characters (void)
{
  for (gunichar c = 1; c < 0x30000; c++)
    {
      char utf8[8];
      gunichar out[CN_FOLD_MAX_CHARS];
      g_autoptr(GString) expected = g_string_new (NULL);
      g_autofree char *folded = NULL;
      gsize n;

      if (!g_unichar_validate (c) || (c >= 0xD800 && c < 0xE000))
        continue;

      utf8[g_unichar_to_utf8 (c, utf8)] = '\0';
      folded = cn_fold (utf8, -1);
      g_assert_true (g_utf8_validate (folded, -1, NULL));

      n = cn_fold_unichar (c, out);
      g_assert_cmpuint (n, <=, CN_FOLD_MAX_CHARS);
      for (gsize i = 0; i < n; i++)
        g_string_append_unichar (expected, out[i]);
      g_assert_cmpstr (folded, ==, expected->str);

      if (c < 0x3400 || (c >= 0xA000 && c < 0x20000))
        {
          g_autofree char *nfd = g_utf8_normalize (utf8, -1, G_NORMALIZE_NFD);
          g_autofree char *nfc = g_utf8_normalize (utf8, -1, G_NORMALIZE_NFC);
          g_autofree char *folded_nfd = cn_fold (nfd, -1);
          g_autofree char *folded_nfc = cn_fold (nfc, -1);

          if (g_strcmp0 (folded_nfd, folded_nfc) != 0)
            g_error ("U+%04X: NFC folds to “%s”, NFD to “%s”", c, folded_nfc, folded_nfd);
        }
    }
}

static void
test_fold_invalid_utf8 (void)
{
  g_autofree char *a = cn_fold ("ab\xff" "CD", -1);
  g_autofree char *b = cn_fold ("x\xe1\xbb", -1);  /* truncated "ộ" at the end */
  g_autofree char *c = cn_fold ("\xc0\xaf" "E", -1);  /* overlong "/" */
  g_autofree char *d = cn_fold ("A\0B", 3);  /* nul inside an explicit length */
  g_autofree char *e = cn_fold ("\xed\xa0\x80", -1);  /* a UTF-16 surrogate */

  g_assert_cmpstr (a, ==, "ab\xef\xbf\xbd" "cd");
  g_assert_cmpstr (b, ==, "x\xef\xbf\xbd\xef\xbf\xbd");
  g_assert_cmpstr (c, ==, "\xef\xbf\xbd\xef\xbf\xbd" "e");
  g_assert_cmpstr (d, ==, "ab");
  g_assert_true (g_utf8_validate (e, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (e, -1), ==, 3);
}

static void
test_fold_length_and_append (void)
{
  g_autoptr(GString) out = g_string_new ("prefix ");
  g_autofree char *part = cn_fold ("ĐƯỜNG LÀNG", strlen ("ĐƯỜNG"));
  g_autofree char *null_input = cn_fold (NULL, -1);

  g_assert_cmpstr (part, ==, "duong");
  g_assert_cmpstr (null_input, ==, "");

  cn_fold_append (out, "Xã Tiến Lộc", -1);
  g_assert_cmpstr (out->str, ==, "prefix xa tien loc");
  g_assert_cmpuint (out->len, ==, strlen (out->str));
}

/* Long inputs, and characters whose folded form is longer than they are. */
static void
test_fold_growth (void)
{
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *folded = NULL;
  gunichar out[CN_FOLD_MAX_CHARS];
  gsize n;

  for (guint i = 0; i < 5000; i++)
    {
      g_string_append (input, "Ấp ");
      g_string_append (expected, "ap ");
      /* U+FDFA decomposes to 18 Arabic letters and spaces */
      g_string_append_unichar (input, 0xFDFA);
      n = cn_fold_unichar (0xFDFA, out);
      for (gsize j = 0; j < n; j++)
        g_string_append_unichar (expected, out[j]);
    }

  g_assert_cmpuint (n, >, 10);
  folded = cn_fold (input->str, input->len);
  g_assert_cmpstr (folded, ==, expected->str);
}

/* Any bytes at all fold to valid UTF-8, and folding is idempotent. */
static void
test_fold_random_bytes (void)
{
  for (guint i = 0; i < 2000; i++)
    {
      guint8 bytes[64];
      gsize n = g_test_rand_int_range (0, sizeof bytes);
      g_autofree char *folded = NULL;
      g_autofree char *twice = NULL;

      for (gsize j = 0; j < n; j++)
        bytes[j] = (guint8) g_test_rand_int_range (0, 256);

      folded = cn_fold ((const char *) bytes, n);
      g_assert_true (g_utf8_validate (folded, -1, NULL));
      twice = cn_fold (folded, -1);
      g_assert_cmpstr (twice, ==, folded);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/fold/examples", test_fold_examples);
  g_test_add_func ("/core/fold/decomposed", test_fold_decomposed);
  g_test_add_func ("/core/fold/vietnamese-vowels", test_fold_vietnamese_vowels);
  g_test_add_func ("/core/fold/all-characters", test_fold_all_characters);
  g_test_add_func ("/core/fold/invalid-utf8", test_fold_invalid_utf8);
  g_test_add_func ("/core/fold/length-and-append", test_fold_length_and_append);
  g_test_add_func ("/core/fold/growth", test_fold_growth);
  g_test_add_func ("/core/fold/random-bytes", test_fold_random_bytes);

  return g_test_run ();
}
