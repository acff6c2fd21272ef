/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Dates as the office writes them. Every date is shown in Vietnam's time (Asia/Ho_Chi_Minh,
 * or a fixed +07:00 where tzdata is missing), whatever the computer's time zone, since the
 * articles and documents are Vietnamese. The layouts are translatable templates with named
 * fields ({weekday}, {month}, {day}, {day2}, {month2}, {year}, {time}), so Vietnamese says
 * "Thứ Tư, 01/07/2015 23:20" where English says "Wednesday, July 1, 2015 23:20".
 */

GTimeZone  *cn_format_get_time_zone     (void);
GDateTime  *cn_format_to_local          (GDateTime   *datetime);
GDateTime  *cn_format_parse_timestamp   (const char  *rfc3339);
GDateTime  *cn_format_parse_date        (const char  *yyyy_mm_dd);

char       *cn_format_datetime_long     (GDateTime   *datetime);
char       *cn_format_date              (GDateTime   *datetime);
char       *cn_format_date_iso          (const char  *yyyy_mm_dd);
char       *cn_format_date_short        (GDateTime   *datetime,
                                         GDateTime   *now);
char       *cn_format_day_header        (GDateTime   *datetime,
                                         GDateTime   *now);
gboolean    cn_format_same_day          (GDateTime   *a,
                                         GDateTime   *b);
char       *cn_format_size              (guint64      bytes);
char       *cn_format_highlight_markup  (const char  *text,
                                         const char  *search);

G_END_DECLS
