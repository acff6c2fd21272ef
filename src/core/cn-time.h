/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Dates and times as records carry them on the wire:
 *
 *  - a timestamp is RFC 3339 in UTC, "2015-07-01T16:20:00Z", optionally with a fraction of
 *    a second ("…:00.250Z"). Records accept only this UTC form so that timestamps sort as
 *    strings; cn_time_parse_rfc3339() also reads other offsets ("…T23:20:00+07:00") for
 *    importers, and cn_time_format_rfc3339() writes the canonical form (whole seconds, "Z").
 *  - a date is "YYYY-MM-DD", a real calendar day (2023-02-30 is not one);
 *  - a month is "YYYY-MM".
 * Years run from 0001 to 9999.
 */

GDateTime *cn_time_parse_rfc3339   (const char  *text,
                                    GError     **error);
gboolean   cn_time_is_utc_rfc3339  (const char  *text);
char      *cn_time_format_rfc3339  (GDateTime   *datetime);
char      *cn_time_now_rfc3339     (void);

gboolean   cn_time_parse_date      (const char  *text,
                                    int         *year,
                                    int         *month,
                                    int         *day);
gboolean   cn_time_parse_month     (const char  *text,
                                    int         *year,
                                    int         *month);
char      *cn_time_format_date     (GDateTime   *datetime);
char      *cn_time_today           (void);

G_END_DECLS
