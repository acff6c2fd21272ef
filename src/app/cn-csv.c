/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-csv"

#include "config.h"

#include <glib/gi18n.h>

#include "cn-csv.h"
#include "cn-error.h"

#define CN_CSV_BOM "\xEF\xBB\xBF"

/**
 * cn_csv_new:
 *
 * Returns: (transfer full): an empty CSV text that starts with the UTF-8 byte-order mark.
 */
GString *
cn_csv_new (void)
{
  return g_string_new (CN_CSV_BOM);
}

static gboolean
cn_csv_needs_quotes (const char *field)
{
  return strpbrk (field, "\",\r\n") != NULL
         || field[0] == ' ' || field[0] == '\t'
         || (field[0] != '\0' && (field[strlen (field) - 1] == ' ' || field[strlen (field) - 1] == '\t'));
}

/**
 * cn_csv_append_field:
 * @csv: the text built by cn_csv_new()
 * @field: (nullable): the value; %NULL is written as an empty field
 * @first_in_row: whether this field starts a row (no separator before it)
 *
 * Appends one field, quoted when it holds a quote, a comma, a line break or edge blanks.
 * Text that is not valid UTF-8 has its bad bytes replaced, so the file stays readable.
 */
void
cn_csv_append_field (GString    *csv,
                     const char *field,
                     gboolean    first_in_row)
{
  g_autofree char *valid = NULL;

  g_return_if_fail (csv != NULL);

  if (!first_in_row)
    g_string_append_c (csv, ',');
  if (field == NULL || field[0] == '\0')
    return;

  valid = g_utf8_make_valid (field, -1);
  if (!cn_csv_needs_quotes (valid))
    {
      g_string_append (csv, valid);
      return;
    }

  g_string_append_c (csv, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
}

/**
 * cn_csv_end_row:
 * @csv: the text built by cn_csv_new()
 *
 * Ends the current row with CRLF, as RFC 4180 asks.
 */
void
cn_csv_end_row (GString *csv)
{
  g_return_if_fail (csv != NULL);

  g_string_append (csv, "\r\n");
}

/**
 * cn_csv_append_row:
 * @csv: the text built by cn_csv_new()
 * @fields: (array length=n_fields) (nullable): the values of the row
 * @n_fields: the number of values
 *
 * Appends a whole row and its line end.
 */
void
cn_csv_append_row (GString            *csv,
                   const char * const *fields,
                   gsize               n_fields)
{
  g_return_if_fail (csv != NULL);
  g_return_if_fail (fields != NULL || n_fields == 0);

  for (gsize i = 0; i < n_fields; i++)
    cn_csv_append_field (csv, fields[i], i == 0);
  cn_csv_end_row (csv);
}

/**
 * cn_csv_write_file:
 * @csv: the text built by cn_csv_new()
 * @file: where to write it
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes the text atomically (a temporary file renamed over the target), so a failed export
 * never leaves half a file behind.
 *
 * Returns: %TRUE on success
 */
gboolean
cn_csv_write_file (GString       *csv,
                   GFile         *file,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (csv != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!g_file_replace_contents (file, csv->str, csv->len, NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                cancellable, &local_error))
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (error, CN_ERROR, CN_ERROR_FAILED,
                   /* Translators: %s is a file name, then the system's reason */
                   _("Could not save “%s”: %s"), name, local_error->message);
      return FALSE;
    }
  return TRUE;
}
