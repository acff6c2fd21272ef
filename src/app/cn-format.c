/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi"

#include "config.h"

#include <glib/gi18n.h>

#include "cn-fold.h"
#include "cn-format.h"
#include "cn-time.h"

/* The articles' and documents' own time zone, whatever the computer's. glibc's tzdata may be
 * missing in a minimal install; Vietnam has kept +07:00 since 1975. */
GTimeZone *
cn_format_get_time_zone (void)
{
  static gsize once;
  static GTimeZone *zone;

  if (g_once_init_enter (&once))
    {
      zone = g_time_zone_new_identifier ("Asia/Ho_Chi_Minh");
      if (zone == NULL)
        zone = g_time_zone_new_offset (7 * 3600);
      g_once_init_leave (&once, 1);
    }

  return zone;
}

GDateTime *
cn_format_to_local (GDateTime *datetime)
{
  g_return_val_if_fail (datetime != NULL, NULL);

  return g_date_time_to_timezone (datetime, cn_format_get_time_zone ());
}

/* A record's timestamp (RFC 3339) in Vietnam's time, or NULL when it is not one. */
GDateTime *
cn_format_parse_timestamp (const char *rfc3339)
{
  g_autoptr(GDateTime) datetime = NULL;

  if (rfc3339 == NULL || *rfc3339 == '\0')
    return NULL;
  datetime = cn_time_parse_rfc3339 (rfc3339, NULL);
  if (datetime == NULL)
    return NULL;
  return cn_format_to_local (datetime);
}

/* A calendar date "YYYY-MM-DD" as midnight in Vietnam, or NULL. */
GDateTime *
cn_format_parse_date (const char *yyyy_mm_dd)
{
  int year, month, day;

  if (yyyy_mm_dd == NULL || !cn_time_parse_date (yyyy_mm_dd, &year, &month, &day))
    return NULL;
  return g_date_time_new (cn_format_get_time_zone (), year, month, day, 0, 0, 0);
}

static const char *
weekday_name (int weekday)
{
  switch (weekday)
    {
    case 1: return C_("weekday", "Monday");
    case 2: return C_("weekday", "Tuesday");
    case 3: return C_("weekday", "Wednesday");
    case 4: return C_("weekday", "Thursday");
    case 5: return C_("weekday", "Friday");
    case 6: return C_("weekday", "Saturday");
    case 7: return C_("weekday", "Sunday");
    default: return "";
    }
}

static const char *
month_name (int month)
{
  switch (month)
    {
    case 1: return C_("month", "January");
    case 2: return C_("month", "February");
    case 3: return C_("month", "March");
    case 4: return C_("month", "April");
    case 5: return C_("month", "May");
    case 6: return C_("month", "June");
    case 7: return C_("month", "July");
    case 8: return C_("month", "August");
    case 9: return C_("month", "September");
    case 10: return C_("month", "October");
    case 11: return C_("month", "November");
    case 12: return C_("month", "December");
    default: return "";
    }
}

/* Fills a template's {fields} from @datetime (already in Vietnam's time). An unknown field
 * is kept as written, so a typo in a translation shows instead of crashing. */
static char *
expand_template (const char *template,
                 GDateTime  *datetime)
{
  GString *out = g_string_new (NULL);
  const char *p = template;

  while (*p != '\0')
    {
      const char *close;
      g_autofree char *field = NULL;

      if (*p != '{' || (close = strchr (p, '}')) == NULL)
        {
          g_string_append_c (out, *p++);
          continue;
        }

      field = g_strndup (p + 1, close - p - 1);
      if (g_str_equal (field, "weekday"))
        g_string_append (out, weekday_name (g_date_time_get_day_of_week (datetime)));
      else if (g_str_equal (field, "month"))
        g_string_append (out, month_name (g_date_time_get_month (datetime)));
      else if (g_str_equal (field, "day"))
        g_string_append_printf (out, "%d", g_date_time_get_day_of_month (datetime));
      else if (g_str_equal (field, "day2"))
        g_string_append_printf (out, "%02d", g_date_time_get_day_of_month (datetime));
      else if (g_str_equal (field, "month2"))
        g_string_append_printf (out, "%02d", g_date_time_get_month (datetime));
      else if (g_str_equal (field, "year"))
        g_string_append_printf (out, "%d", g_date_time_get_year (datetime));
      else if (g_str_equal (field, "time"))
        g_string_append_printf (out, "%02d:%02d", g_date_time_get_hour (datetime),
                                g_date_time_get_minute (datetime));
      else
        {
          g_string_append_len (out, p, close - p + 1);
        }
      p = close + 1;
    }

  return g_string_free (out, FALSE);
}

static char *
format_local (GDateTime  *datetime,
              const char *template)
{
  g_autoptr(GDateTime) local = cn_format_to_local (datetime);

  return expand_template (template, local);
}

/* "Thứ Tư, 01/07/2015 23:20" — an article's date line. */
char *
cn_format_datetime_long (GDateTime *datetime)
{
  g_return_val_if_fail (datetime != NULL, NULL);

  /* Translators: an article's date and time. Keep the {fields} in braces; they are
   * {weekday}, {month} (name), {day}, {day2} (two digits), {month2} (two digits), {year}
   * and {time} (24-hour). Vietnamese: "{weekday}, {day2}/{month2}/{year} {time}". */
  return format_local (datetime, _("{weekday}, {month} {day}, {year} {time}"));
}

/* "01/07/2015" — a date in a list or a document's field. */
char *
cn_format_date (GDateTime *datetime)
{
  g_return_val_if_fail (datetime != NULL, NULL);

  /* Translators: a date. Keep the {fields} in braces (see the article date).
   * Vietnamese: "{day2}/{month2}/{year}". */
  return format_local (datetime, _("{month} {day}, {year}"));
}

/* A record's calendar date ("2024-05-10") as the reader expects it, or NULL. */
char *
cn_format_date_iso (const char *yyyy_mm_dd)
{
  g_autoptr(GDateTime) datetime = cn_format_parse_date (yyyy_mm_dd);

  return datetime != NULL ? cn_format_date (datetime) : NULL;
}

gboolean
cn_format_same_day (GDateTime *a,
                    GDateTime *b)
{
  g_autoptr(GDateTime) la = cn_format_to_local (a);
  g_autoptr(GDateTime) lb = cn_format_to_local (b);

  return g_date_time_get_year (la) == g_date_time_get_year (lb) &&
         g_date_time_get_day_of_year (la) == g_date_time_get_day_of_year (lb);
}

static gboolean
is_yesterday (GDateTime *datetime,
              GDateTime *now)
{
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);

  return cn_format_same_day (datetime, yesterday);
}

/* In a list row: the time for today's items, the date for older ones. */
char *
cn_format_date_short (GDateTime *datetime,
                      GDateTime *now)
{
  g_return_val_if_fail (datetime != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  if (cn_format_same_day (datetime, now))
    return format_local (datetime, "{time}");
  return cn_format_date (datetime);
}

/* The header above a day's articles: "Today", "Yesterday" or "Wednesday, July 1, 2015". */
char *
cn_format_day_header (GDateTime *datetime,
                      GDateTime *now)
{
  g_return_val_if_fail (datetime != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  if (cn_format_same_day (datetime, now))
    return g_strdup (_("Today"));
  if (is_yesterday (datetime, now))
    return g_strdup (_("Yesterday"));

  /* Translators: the heading above a day's articles. Keep the {fields} in braces (see the
   * article date). Vietnamese: "{weekday}, {day2}/{month2}/{year}". */
  return format_local (datetime, _("{weekday}, {month} {day}, {year}"));
}

/* "1.2 MB": decimal units, as GNOME shows file sizes. */
char *
cn_format_size (guint64 bytes)
{
  return g_format_size (bytes);
}

/*
 * Pango markup of @text with the words of @search marked, matched the way the store's search
 * matches them: folded (no tone marks, đ = d, any case) and by prefix, so "cau noi" marks
 * "Cầu nối" in the original, accented text.
 */
char *
cn_format_highlight_markup (const char *text,
                            const char *search)
{
  g_autofree char *folded_search = NULL;
  g_auto(GStrv) words = NULL;
  g_autoptr(GArray) folded = NULL;   /* gunichar */
  g_autoptr(GArray) source = NULL;   /* int: the index in chars of @text each came from */
  g_autofree gboolean *marked = NULL;
  g_autofree gunichar *chars = NULL;
  glong n_chars = 0;
  GString *out;
  gboolean open = FALSE;

  if (text == NULL)
    return g_strdup ("");
  if (search == NULL || *search == '\0')
    return g_markup_escape_text (text, -1);

  folded_search = cn_fold (search, -1);
  for (char *p = folded_search; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isalnum (g_utf8_get_char (p)))
      *p = ' ';
  words = g_strsplit (g_strstrip (folded_search), " ", -1);

  chars = g_utf8_to_ucs4_fast (text, -1, &n_chars);
  folded = g_array_new (FALSE, FALSE, sizeof (gunichar));
  source = g_array_new (FALSE, FALSE, sizeof (int));
  for (glong i = 0; i < n_chars; i++)
    {
      gunichar buf[CN_FOLD_MAX_CHARS];
      gsize n = cn_fold_unichar (chars[i], buf);

      for (gsize k = 0; k < n; k++)
        {
          int index = (int) i;

          g_array_append_val (folded, buf[k]);
          g_array_append_val (source, index);
        }
    }

  marked = g_new0 (gboolean, n_chars + 1);
  for (guint w = 0; words[w] != NULL; w++)
    {
      g_autofree gunichar *word = NULL;
      glong word_len = 0;

      if (*words[w] == '\0')
        continue;
      word = g_utf8_to_ucs4_fast (words[w], -1, &word_len);
      for (guint start = 0; start + word_len <= folded->len; start++)
        {
          gboolean match = TRUE;

          /* Words match from their beginning, as the search's prefixes do. */
          if (start > 0 && g_unichar_isalnum (g_array_index (folded, gunichar, start - 1)))
            continue;
          for (glong k = 0; k < word_len && match; k++)
            match = g_array_index (folded, gunichar, start + k) == word[k];
          if (!match)
            continue;
          for (glong k = 0; k < word_len; k++)
            marked[g_array_index (source, int, start + k)] = TRUE;
        }
    }

  out = g_string_new (NULL);
  for (glong i = 0; i < n_chars; i++)
    {
      char utf8[8];
      int len;

      if (marked[i] && !open)
        g_string_append (out, "<span weight=\"bold\" underline=\"single\">");
      else if (!marked[i] && open)
        g_string_append (out, "</span>");
      open = marked[i];

      if (chars[i] == '<')
        g_string_append (out, "&lt;");
      else if (chars[i] == '>')
        g_string_append (out, "&gt;");
      else if (chars[i] == '&')
        g_string_append (out, "&amp;");
      else
        {
          len = g_unichar_to_utf8 (chars[i], utf8);
          g_string_append_len (out, utf8, len);
        }
    }
  if (open)
    g_string_append (out, "</span>");

  return g_string_free (out, FALSE);
}
