/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include <pango/pango.h>

#include "cn-format.h"

/* The seed article: Wednesday 01/07/2015 23:20 in Hà Tĩnh, stored in UTC. */
#define SEED_PUBLISHED_AT "2015-07-01T16:20:00Z"

static gboolean
use_language (const char *locale)
{
  g_autofree char *localedir = NULL;

  if (g_getenv ("CAUNOI_LOCALEDIR") != NULL)
    localedir = g_strdup (g_getenv ("CAUNOI_LOCALEDIR"));
  else
    localedir = g_build_filename (g_getenv ("CAUNOI_BUILD_DIR"), "po", NULL);

  if (setlocale (LC_ALL, locale) == NULL)
    return FALSE;
  /* The test runner sets LANGUAGE for nobody; make sure it does not override LC_ALL. */
  g_setenv ("LANGUAGE", "", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  return TRUE;
}

static void
test_english (void)
{
  g_autoptr(GDateTime) published = cn_format_parse_timestamp (SEED_PUBLISHED_AT);
  g_autofree char *long_date = NULL;
  g_autofree char *date = NULL;
  g_autofree char *signed_on = NULL;

  g_assert_true (use_language ("C.UTF-8"));
  g_assert_nonnull (published);

  /* 16:20 UTC is 23:20 in Vietnam, whatever the test machine's zone. */
  long_date = cn_format_datetime_long (published);
  g_assert_cmpstr (long_date, ==, "Wednesday, July 1, 2015 23:20");
  date = cn_format_date (published);
  g_assert_cmpstr (date, ==, "July 1, 2015");
  signed_on = cn_format_date_iso ("2024-05-10");
  g_assert_cmpstr (signed_on, ==, "May 10, 2024");
  g_assert_null (cn_format_date_iso ("2024-02-30"));
  g_assert_null (cn_format_date_iso ("not a date"));
  g_assert_null (cn_format_parse_timestamp ("01/07/2015"));
}

static void
test_vietnamese (void)
{
  g_autoptr(GDateTime) published = cn_format_parse_timestamp (SEED_PUBLISHED_AT);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2015, 7, 3, 2, 0, 0);
  g_autofree char *long_date = NULL;
  g_autofree char *signed_on = NULL;
  g_autofree char *header = NULL;
  g_autofree char *sunday = NULL;
  g_autoptr(GDateTime) sunday_time = g_date_time_new_utc (2015, 7, 5, 1, 0, 0);

  if (!use_language ("vi_VN.UTF-8"))
    {
      g_test_skip ("the vi_VN.UTF-8 locale is not generated (build-aux/test makes it)");
      return;
    }

  long_date = cn_format_datetime_long (published);
  g_assert_cmpstr (long_date, ==, "Thứ Tư, 01/07/2015 23:20");
  signed_on = cn_format_date_iso ("2024-05-10");
  g_assert_cmpstr (signed_on, ==, "10/05/2024");
  header = cn_format_day_header (published, now);
  g_assert_cmpstr (header, ==, "Thứ Tư, 01/07/2015");
  sunday = cn_format_datetime_long (sunday_time);
  g_assert_cmpstr (sunday, ==, "Chủ Nhật, 05/07/2015 08:00");

  g_clear_pointer (&header, g_free);
  {
    g_autoptr(GDateTime) today = g_date_time_new_utc (2015, 7, 1, 16, 50, 0);

    header = cn_format_day_header (published, today);
    g_assert_cmpstr (header, ==, "Hôm nay");
  }

  use_language ("C.UTF-8");
}

static void
test_days (void)
{
  /* 00:30 on 2 July in Vietnam is still 1 July in UTC: days are Vietnam's days. */
  g_autoptr(GDateTime) late = g_date_time_new_utc (2015, 7, 1, 16, 20, 0);
  g_autoptr(GDateTime) after_midnight = g_date_time_new_utc (2015, 7, 1, 17, 30, 0);
  g_autoptr(GDateTime) next_morning = g_date_time_new_utc (2015, 7, 2, 3, 0, 0);
  g_autoptr(GDateTime) week_later = g_date_time_new_utc (2015, 7, 8, 3, 0, 0);
  g_autofree char *today = NULL;
  g_autofree char *yesterday = NULL;
  g_autofree char *older = NULL;
  g_autofree char *short_today = NULL;
  g_autofree char *short_older = NULL;

  use_language ("C.UTF-8");
  g_assert_false (cn_format_same_day (late, after_midnight));
  g_assert_true (cn_format_same_day (after_midnight, next_morning));

  today = cn_format_day_header (after_midnight, next_morning);
  g_assert_cmpstr (today, ==, "Today");
  yesterday = cn_format_day_header (late, next_morning);
  g_assert_cmpstr (yesterday, ==, "Yesterday");
  older = cn_format_day_header (late, week_later);
  g_assert_cmpstr (older, ==, "Wednesday, July 1, 2015");

  short_today = cn_format_date_short (after_midnight, next_morning);
  g_assert_cmpstr (short_today, ==, "00:30");
  short_older = cn_format_date_short (late, week_later);
  g_assert_cmpstr (short_older, ==, "July 1, 2015");
}

static void
test_sizes (void)
{
  g_autofree char *small = NULL;
  g_autofree char *pdf = NULL;

  use_language ("C.UTF-8");
  small = cn_format_size (900);
  g_assert_cmpstr (small, ==, "900 bytes");
  pdf = cn_format_size (1234567);
  /* GLib keeps the number and its unit together with a no-break space. */
  g_assert_cmpstr (pdf, ==, "1.2\u00a0MB");
}

static void
test_time_zone (void)
{
  GTimeZone *zone = cn_format_get_time_zone ();
  g_autoptr(GDateTime) utc = g_date_time_new_utc (2020, 1, 1, 0, 0, 0);

  g_assert_nonnull (zone);
  g_assert_cmpint (g_time_zone_get_offset (zone, g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL,
                                                                           g_date_time_to_unix (utc))),
                   ==, 7 * 3600);
}

static void
test_highlight (void)
{
  g_autofree char *plain = cn_format_highlight_markup ("Cầu nối <giữa> & cơ sở", NULL);
  g_autofree char *folded = cn_format_highlight_markup ("Cầu nối giữa cấp ủy", "cau noi");
  g_autofree char *prefix = cn_format_highlight_markup ("Đường trục chính", "DUO");
  g_autofree char *inner = cn_format_highlight_markup ("Tiến Lộc", "loc tie");
  g_autofree char *none = cn_format_highlight_markup ("nông thôn", "xyz");
  g_autofree char *not_inside = cn_format_highlight_markup ("Can Lộc", "oc");

  g_assert_cmpstr (plain, ==, "Cầu nối &lt;giữa&gt; &amp; cơ sở");
  g_assert_cmpstr (folded, ==,
                   "<span weight=\"bold\" underline=\"single\">Cầu</span> "
                   "<span weight=\"bold\" underline=\"single\">nối</span> giữa cấp ủy");
  g_assert_cmpstr (prefix, ==, "<span weight=\"bold\" underline=\"single\">Đườ</span>ng trục chính");
  g_assert_cmpstr (inner, ==,
                   "<span weight=\"bold\" underline=\"single\">Tiế</span>n "
                   "<span weight=\"bold\" underline=\"single\">Lộc</span>");
  g_assert_cmpstr (none, ==, "nông thôn");
  g_assert_cmpstr (not_inside, ==, "Can Lộc");
  g_assert_true (pango_parse_markup (folded, -1, 0, NULL, NULL, NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/format/english", test_english);
  g_test_add_func ("/format/vietnamese", test_vietnamese);
  g_test_add_func ("/format/days", test_days);
  g_test_add_func ("/format/sizes", test_sizes);
  g_test_add_func ("/format/time-zone", test_time_zone);
  g_test_add_func ("/format/highlight", test_highlight);

  return g_test_run ();
}
