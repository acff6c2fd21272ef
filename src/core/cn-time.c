/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cn-error.h"
#include "cn-time.h"

/* Reads exactly @n ASCII digits at @p into @value. */
static gboolean
read_digits (const char *p,
             guint       n,
             int        *value)
{
  int v = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (p[i]))
        return FALSE;
      v = v * 10 + (p[i] - '0');
    }

  *value = v;
  return TRUE;
}

/* "YYYY-MM-DD" at the start of @p (not necessarily the whole string). */
static gboolean
read_date (const char *p,
           int        *year,
           int        *month,
           int        *day)
{
  if (!read_digits (p, 4, year) || p[4] != '-' ||
      !read_digits (p + 5, 2, month) || p[7] != '-' ||
      !read_digits (p + 8, 2, day))
    return FALSE;

  if (*year < 1 || *month < 1 || *month > 12 || *day < 1)
    return FALSE;

  return *day <= g_date_get_days_in_month ((GDateMonth) *month, (GDateYear) *year);
}

gboolean
cn_time_parse_date (const char *text,
                    int        *year,
                    int        *month,
                    int        *day)
{
  int y, m, d;

  if (text == NULL || strlen (text) != 10 || !read_date (text, &y, &m, &d))
    return FALSE;

  if (year != NULL)
    *year = y;
  if (month != NULL)
    *month = m;
  if (day != NULL)
    *day = d;

  return TRUE;
}

gboolean
cn_time_parse_month (const char *text,
                     int        *year,
                     int        *month)
{
  int y, m;

  if (text == NULL || strlen (text) != 7 ||
      !read_digits (text, 4, &y) || text[4] != '-' || !read_digits (text + 5, 2, &m))
    return FALSE;

  if (y < 1 || m < 1 || m > 12)
    return FALSE;

  if (year != NULL)
    *year = y;
  if (month != NULL)
    *month = m;

  return TRUE;
}

typedef struct {
  int    year, month, day, hour, minute, second;
  double fraction;
  int    offset_minutes;
  gboolean utc_z;
} Rfc3339;

/* Strict RFC 3339 "date-time": YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM). Leap seconds are
 * refused: GDateTime cannot hold them and no record needs one. */
static gboolean
read_rfc3339 (const char *text,
              Rfc3339    *out)
{
  const char *p = text;

  memset (out, 0, sizeof *out);

  if (text == NULL || strlen (text) < 20 ||
      !read_date (p, &out->year, &out->month, &out->day))
    return FALSE;
  p += 10;

  if (*p != 'T' && *p != 't')
    return FALSE;
  p++;

  if (!read_digits (p, 2, &out->hour) || p[2] != ':' ||
      !read_digits (p + 3, 2, &out->minute) || p[5] != ':' ||
      !read_digits (p + 6, 2, &out->second))
    return FALSE;
  p += 8;

  if (out->hour > 23 || out->minute > 59 || out->second > 59)
    return FALSE;

  if (*p == '.')
    {
      double scale = 0.1;

      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      for (guint n = 0; g_ascii_isdigit (*p); p++, n++)
        {
          if (n > 9)
            return FALSE;
          out->fraction += (*p - '0') * scale;
          scale /= 10;
        }
    }

  if (*p == 'Z' || *p == 'z')
    {
      out->utc_z = TRUE;
      p++;
    }
  else if (*p == '+' || *p == '-')
    {
      int h, m;

      if (!read_digits (p + 1, 2, &h) || p[3] != ':' || !read_digits (p + 4, 2, &m) ||
          h > 23 || m > 59)
        return FALSE;
      out->offset_minutes = (h * 60 + m) * (*p == '-' ? -1 : 1);
      p += 6;
    }
  else
    return FALSE;

  return *p == '\0';
}

GDateTime *
cn_time_parse_rfc3339 (const char  *text,
                       GError     **error)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) local = NULL;
  Rfc3339 t;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!read_rfc3339 (text, &t))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("“%s” is not a date and time such as 2015-07-01T16:20:00Z"),
                   text != NULL ? text : "");
      return NULL;
    }

  tz = g_time_zone_new_offset (t.offset_minutes * 60);
  local = g_date_time_new (tz, t.year, t.month, t.day, t.hour, t.minute,
                           t.second + t.fraction);
  if (local == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("“%s” is out of the supported range of dates"), text);
      return NULL;
    }

  return g_date_time_to_utc (local);
}

gboolean
cn_time_is_utc_rfc3339 (const char *text)
{
  Rfc3339 t;
  const char *end;

  if (!read_rfc3339 (text, &t))
    return FALSE;

  /* Only the upper-case form, so that timestamps compare as strings. */
  end = text + strlen (text) - 1;
  return t.utc_z && *end == 'Z' && text[10] == 'T';
}

char *
cn_time_format_rfc3339 (GDateTime *datetime)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (datetime != NULL, NULL);

  utc = g_date_time_to_utc (datetime);
  /* printf rather than g_date_time_format(): years below 1000 keep four digits */
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ",
                          g_date_time_get_year (utc), g_date_time_get_month (utc),
                          g_date_time_get_day_of_month (utc), g_date_time_get_hour (utc),
                          g_date_time_get_minute (utc), g_date_time_get_second (utc));
}

char *
cn_time_now_rfc3339 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return cn_time_format_rfc3339 (now);
}

char *
cn_time_format_date (GDateTime *datetime)
{
  g_return_val_if_fail (datetime != NULL, NULL);

  return g_strdup_printf ("%04d-%02d-%02d", g_date_time_get_year (datetime),
                          g_date_time_get_month (datetime),
                          g_date_time_get_day_of_month (datetime));
}

char *
cn_time_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return cn_time_format_date (now);
}
