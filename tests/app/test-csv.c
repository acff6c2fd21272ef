/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "cn-csv.h"
#include "cn-error.h"

/* A strict RFC 4180 reader, written independently of the writer, to read back what it wrote. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      if (*p == '"')
        {
          p++;
          for (;;)
            {
              g_assert_cmpint (*p, !=, '\0');
              if (p[0] == '"' && p[1] == '"')
                {
                  g_string_append_c (field, '"');
                  p += 2;
                }
              else if (p[0] == '"')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (field, *p++);
            }
        }
      else
        {
          while (*p != '\0' && *p != ',' && *p != '\r')
            {
              g_assert_cmpint (*p, !=, '"');
              g_assert_cmpint (*p, !=, '\n');
              g_string_append_c (field, *p++);
            }
        }

      g_ptr_array_add (row, g_string_free (g_steal_pointer (&field), FALSE));
      field = g_string_new (NULL);
      if (*p == ',')
        p++;
      else
        {
          g_assert_cmpint (p[0], ==, '\r');
          g_assert_cmpint (p[1], ==, '\n');
          p += 2;
          g_ptr_array_add (rows, g_steal_pointer (&row));
          row = g_ptr_array_new_with_free_func (g_free);
        }
    }
  g_assert_cmpuint (row->len, ==, 0);
  g_ptr_array_unref (row);
  g_string_free (field, TRUE);
  return rows;
}

static void
test_csv_round_trip (void)
{
  const char *header[] = { "Nhiệm vụ", "Xã", "Hạn hoàn thành", "Ghi chú" };
  const char *row1[] = { "Hoàn thành tiêu chí Giao thông", "Tiến Lộc", "2015-10-30",
                         "Đường trục xã, \"bê tông hóa\"" };
  const char *row2[] = { "Hai dòng", NULL, "", "dòng 1\r\ndòng 2\nhết" };
  const char *row3[] = { " khoảng trắng đầu", "cuối ", "a\"b", "=1+2" };
  g_autoptr(GString) csv = cn_csv_new ();
  g_autoptr(GPtrArray) rows = NULL;
  const char **expected[] = { header, row1, row2, row3 };

  cn_csv_append_row (csv, header, G_N_ELEMENTS (header));
  cn_csv_append_row (csv, row1, G_N_ELEMENTS (row1));
  cn_csv_append_row (csv, row2, G_N_ELEMENTS (row2));
  cn_csv_append_row (csv, row3, G_N_ELEMENTS (row3));

  /* The byte-order mark makes spreadsheets read the file as UTF-8. */
  g_assert_true (g_str_has_prefix (csv->str, "\xEF\xBB\xBF"));
  g_assert_true (g_utf8_validate (csv->str, csv->len, NULL));
  /* A field with no special character is written bare. */
  g_assert_nonnull (strstr (csv->str, "\xEF\xBB\xBFNhiệm vụ,Xã,Hạn hoàn thành,Ghi chú\r\n"));
  g_assert_nonnull (strstr (csv->str, ",\"Đường trục xã, \"\"bê tông hóa\"\"\"\r\n"));

  rows = parse_csv (csv->str + 3);
  g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (expected));
  for (guint r = 0; r < rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (rows, r);

      g_assert_cmpuint (row->len, ==, 4);
      for (guint c = 0; c < row->len; c++)
        g_assert_cmpstr (g_ptr_array_index (row, c), ==,
                         expected[r][c] != NULL ? expected[r][c] : "");
    }
}

static void
test_csv_invalid_utf8 (void)
{
  const char *row[] = { "ab\xC3(cd" };
  g_autoptr(GString) csv = cn_csv_new ();

  cn_csv_append_row (csv, row, 1);
  g_assert_true (g_utf8_validate (csv->str, csv->len, NULL));
  g_assert_true (g_str_has_prefix (csv->str + 3, "ab"));
  g_assert_true (g_str_has_suffix (csv->str, "(cd\r\n"));
}

static void
test_csv_write_file (void)
{
  const char *row[] = { "Tiến Lộc", "06/06/2015" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) csv = cn_csv_new ();
  g_autofree char *dir = g_dir_make_tmp ("caunoi-csv-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *missing_path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) missing = NULL;
  gsize len = 0;

  g_assert_no_error (error);
  cn_csv_append_row (csv, row, G_N_ELEMENTS (row));

  path = g_build_filename (dir, "nhiem-vu.csv", NULL);
  file = g_file_new_for_path (path);
  g_assert_true (cn_csv_write_file (csv, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_cmpmem (contents, len, csv->str, csv->len);

  /* A folder that does not exist: a clear error that names the file, nothing written. */
  missing_path = g_build_filename (dir, "không-có", "x.csv", NULL);
  missing = g_file_new_for_path (missing_path);
  g_assert_false (cn_csv_write_file (csv, missing, NULL, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "x.csv"));

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/round-trip", test_csv_round_trip);
  g_test_add_func ("/csv/invalid-utf8", test_csv_invalid_utf8);
  g_test_add_func ("/csv/write-file", test_csv_write_file);

  return g_test_run ();
}
