/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-core"

#include "config.h"

#include "cn-id.h"

/*
 * Layout of a version 7 UUID (RFC 9562, 5.7):
 *   48 bits unix_ts_ms | 4 bits version (7) | 12 bits rand_a | 2 bits variant (10) | 62 bits rand_b
 *
 * Monotonicity (RFC 9562, 6.2, method 2): rand_a and rand_b together are a 74-bit number.
 * A new millisecond starts it at random; a second id in the same millisecond (or after the
 * clock went back) adds a random step of 1 … 2^32 to the previous one, so ids stay both
 * ordered and hard to guess. When the 74 bits would overflow, the timestamp moves on by one
 * millisecond: ids may then run a little ahead of the clock, never backwards.
 */

#define RAND_A_MASK G_GUINT64_CONSTANT (0xfff)
#define RAND_B_MASK G_GUINT64_CONSTANT (0x3fffffffffffffff)

static GMutex id_mutex;
static guint64 last_ms;
static guint64 last_a;   /* 12 bits */
static guint64 last_b;   /* 62 bits */

static guint64
random_bits (guint n_bits)
{
  guint64 value = ((guint64) g_random_int () << 32) | g_random_int ();

  return n_bits >= 64 ? value : value & ((G_GUINT64_CONSTANT (1) << n_bits) - 1);
}

char *
cn_id_new (void)
{
  guint64 now_ms = (guint64) g_get_real_time () / 1000;
  guint64 ms, a, b;

  g_mutex_lock (&id_mutex);

  if (now_ms > last_ms)
    {
      last_ms = now_ms;
      last_a = random_bits (12);
      last_b = random_bits (62);
    }
  else
    {
      guint64 step = random_bits (32) + 1;

      last_b += step;
      if (last_b > RAND_B_MASK)
        {
          last_b &= RAND_B_MASK;
          last_a++;
          if (last_a > RAND_A_MASK)
            {
              last_a = 0;
              last_ms++;
            }
        }
    }

  ms = last_ms & G_GUINT64_CONSTANT (0xffffffffffff);
  a = last_a;
  b = last_b;

  g_mutex_unlock (&id_mutex);

  return g_strdup_printf ("%08x-%04x-%04x-%04x-%012" G_GINT64_MODIFIER "x",
                          (guint) (ms >> 16),
                          (guint) (ms & 0xffff),
                          (guint) (0x7000 | a),
                          (guint) (0x8000 | (b >> 48)),
                          (guint64) (b & G_GUINT64_CONSTANT (0xffffffffffff)));
}
