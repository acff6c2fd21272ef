/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Folding for search: the same text typed with or without tone marks, in upper or lower
 * case, precomposed (NFC) or decomposed (NFD), folds to the same string.
 *
 * Each character is decomposed (compatibility decomposition, as NFKD), its combining marks
 * (tone marks and other diacritics) are dropped and the rest is lower-cased; đ/Đ (and the
 * look-alike ð/Ð that Vietnamese web pages often use for it) become "d".
 * "NÔNG THÔN MỚI" → "nong thon moi", "Đường" → "duong", "4414/UBND-NL5" → "4414/ubnd-nl5".
 *
 * The result is always valid UTF-8. Each invalid byte of the input becomes U+FFFD; NUL
 * bytes inside a string with an explicit length are dropped. ASCII takes a fast path.
 */

/* The most characters cn_fold_unichar() can write for one input character. */
#define CN_FOLD_MAX_CHARS 18

char  *cn_fold         (const char *utf8,
                        gssize      len);
void   cn_fold_append  (GString    *out,
                        const char *utf8,
                        gssize      len);
gsize  cn_fold_unichar (gunichar    c,
                        gunichar   *out);

G_END_DECLS
