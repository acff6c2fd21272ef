/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* CSV as spreadsheets read it: UTF-8 with a byte-order mark (so LibreOffice and Excel keep
 * the Vietnamese accents), RFC 4180 quoting, CRLF line ends. */

GString  *cn_csv_new            (void);
void      cn_csv_append_field   (GString            *csv,
                                 const char         *field,
                                 gboolean            first_in_row);
void      cn_csv_append_row     (GString            *csv,
                                 const char * const *fields,
                                 gsize               n_fields);
void      cn_csv_end_row        (GString            *csv);
gboolean  cn_csv_write_file     (GString            *csv,
                                 GFile              *file,
                                 GCancellable       *cancellable,
                                 GError            **error);

G_END_DECLS
