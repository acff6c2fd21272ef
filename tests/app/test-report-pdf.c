/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "cn-error.h"
#include "cn-report-print.h"

/* Reads a PDF back as text with poppler's pdftotext, as a reader of the file would. */
static char *
pdf_text (const char *path,
          int         page)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = g_strdup_printf ("%d", page);
  const char *argv_all[] = { "pdftotext", "-layout", "-enc", "UTF-8", path, "-", NULL };
  const char *argv_page[] = { "pdftotext", "-f", first, "-l", first, "-enc", "UTF-8", path, "-", NULL };
  char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) (page > 0 ? argv_page : argv_all), NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static int
count_occurrences (const char *haystack,
                   const char *needle)
{
  int n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
test_report_pdf_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("caunoi-pdf-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "bao-cao.pdf", NULL);
  g_autoptr(CnReportPrint) report = cn_report_print_new ("Báo cáo của Đoàn công tác số 3");
  const char *headers[] = { "Ngày", "Xã", "Chủ trì", "Kết luận" };
  const double widths[] = { 1, 1, 2, 3 };
  const char *task_headers[] = { "Nhiệm vụ", "Trạng thái" };
  g_autofree char *all = NULL;
  g_autofree char *page1 = NULL;
  g_autofree char *last_page = NULL;
  g_autofree char *footer = NULL;
  int n_pages;

  g_assert_no_error (error);

  cn_report_print_add_subtitle (report, "Phiên họp Ban Thường vụ Huyện ủy ngày 15/06/2015");
  cn_report_print_add_heading (report, "Kỳ báo cáo");
  cn_report_print_add_paragraph (report, "Tháng 6 năm 2015");
  cn_report_print_add_heading (report, "Các buổi làm việc");
  cn_report_print_add_table (report, headers, widths, G_N_ELEMENTS (headers));
  {
    const char *row[] = { "06/06/2015", "Tiến Lộc", "Trần Quý, Bùi Huy Cường",
                          "Thống nhất mục tiêu về đích nông thôn mới năm 2015" };
    cn_report_print_add_row (report, row);
  }
  /* Enough rows to run over a page, so the header row must repeat. */
  for (int i = 0; i < 60; i++)
    {
      g_autofree char *date = g_strdup_printf ("%02d/07/2015", i % 28 + 1);
      const char *row[] = { date, "Thượng Lộc", "Thành viên đoàn", "Rà soát tiêu chí Giao thông, Thủy lợi" };

      cn_report_print_add_row (report, row);
    }
  cn_report_print_add_heading (report, "Tình hình");
  cn_report_print_add_paragraph (report, "Xã Tiến Lộc quyết tâm về đích nông thôn mới năm 2015.\n"
                                 "Đoàn công tác đã định hướng phương pháp, cách làm.");
  cn_report_print_add_heading (report, "Đề xuất, kiến nghị");
  cn_report_print_add_paragraph (report, "Đề nghị hỗ trợ xi măng làm đường giao thông nông thôn.");
  cn_report_print_add_heading (report, "Tình hình thực hiện nhiệm vụ");
  cn_report_print_add_table (report, task_headers, NULL, G_N_ELEMENTS (task_headers));
  {
    const char *row[] = { "Bê tông hóa đường trục xã", "Đang thực hiện" };
    cn_report_print_add_row (report, row);
  }

  g_assert_true (cn_report_print_export_pdf (report, path, NULL, &error));
  g_assert_no_error (error);

  all = pdf_text (path, 0);
  g_assert_nonnull (strstr (all, "Báo cáo của Đoàn công tác số 3"));
  g_assert_nonnull (strstr (all, "Phiên họp Ban Thường vụ Huyện ủy ngày 15/06/2015"));
  g_assert_nonnull (strstr (all, "06/06/2015"));
  g_assert_nonnull (strstr (all, "Trần Quý, Bùi Huy Cường"));
  g_assert_nonnull (strstr (all, "Xã Tiến Lộc quyết tâm về đích nông thôn mới năm 2015."));
  g_assert_nonnull (strstr (all, "Đề nghị hỗ trợ xi măng"));
  g_assert_nonnull (strstr (all, "Bê tông hóa đường trục xã"));
  g_assert_nonnull (strstr (all, "Đang thực hiện"));
  g_assert_cmpint (count_occurrences (all, "Thượng Lộc"), ==, 60);

  /* More than one page; the header row repeats on the next page; the footer counts pages. */
  n_pages = count_occurrences (all, "\f");
  g_assert_cmpint (n_pages, >=, 2);
  page1 = pdf_text (path, 1);
  g_assert_nonnull (strstr (page1, "Page 1 of"));
  last_page = pdf_text (path, 2);
  g_assert_nonnull (strstr (last_page, "Chủ trì"));
  footer = g_strdup_printf ("Page 2 of %d", n_pages);
  g_assert_nonnull (strstr (last_page, footer));

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_report_pdf_bad_folder (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnReportPrint) report = cn_report_print_new ("Báo cáo");
  g_autofree char *dir = g_dir_make_tmp ("caunoi-pdf-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "không-có", "bao-cao.pdf", NULL);

  g_assert_no_error (error);
  cn_report_print_add_paragraph (report, "Nội dung");
  g_assert_false (cn_report_print_export_pdf (report, path, NULL, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_FAILED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static CnReportPrint *
small_report (const char *title)
{
  CnReportPrint *report = cn_report_print_new (title);
  const char *headers[] = { "Ngày", "Xã" };
  const char *row[] = { "06/06/2015", "Tiến Lộc" };

  cn_report_print_add_paragraph (report, "Nội dung báo cáo");
  cn_report_print_add_table (report, headers, NULL, G_N_ELEMENTS (headers));
  cn_report_print_add_row (report, row);
  return report;
}

static gpointer
export_thread (gpointer data)
{
  const char *path = data;
  g_autoptr(CnReportPrint) report = small_report ("Báo cáo lập trong luồng phụ");
  g_autoptr(GError) error = NULL;

  g_assert_true (cn_report_print_export_pdf (report, path, NULL, &error));
  g_assert_no_error (error);
  return NULL;
}

/* A report made, laid out and saved in another thread (no GTK there); saved again over an
 * earlier file, which it replaces whole; a cancelled save and a save over a folder leave
 * nothing behind and the earlier file as it was. */
static void
test_report_pdf_thread_and_replace (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("caunoi-pdf-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "bao-cao.pdf", NULL);
  g_autofree char *folder = g_build_filename (dir, "thư mục", NULL);
  g_autoptr(CnReportPrint) second = small_report ("Báo cáo lần hai");
  g_autoptr(CnReportPrint) third = small_report ("Báo cáo bị hủy");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GDir) listing = NULL;
  g_autofree char *text = NULL;
  GThread *thread;
  const char *name;
  guint n = 0;

  g_assert_no_error (error);
  thread = g_thread_new ("export", export_thread, path);
  g_thread_join (thread);
  text = pdf_text (path, 0);
  g_assert_nonnull (strstr (text, "Báo cáo lập trong luồng phụ"));
  g_assert_nonnull (strstr (text, "Tiến Lộc"));
  g_clear_pointer (&text, g_free);

  g_assert_true (cn_report_print_export_pdf (second, path, NULL, &error));
  g_assert_no_error (error);

  g_cancellable_cancel (cancellable);
  g_assert_false (cn_report_print_export_pdf (third, path, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_false (cn_report_print_export_pdf (third, folder, NULL, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "thư mục"));
  g_clear_error (&error);

  text = pdf_text (path, 0);
  g_assert_nonnull (strstr (text, "Báo cáo lần hai"));
  g_assert_null (strstr (text, "luồng phụ"));
  g_assert_null (strstr (text, "bị hủy"));
  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_assert_true (g_str_equal (name, "bao-cao.pdf") || g_str_equal (name, "thư mục"));
      n++;
    }
  g_assert_cmpuint (n, ==, 2);

  g_assert_cmpint (g_rmdir (folder), ==, 0);
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/report-pdf/text", test_report_pdf_text);
  g_test_add_func ("/report-pdf/bad-folder", test_report_pdf_bad_folder);
  g_test_add_func ("/report-pdf/thread-and-replace", test_report_pdf_thread_and_replace);

  return g_test_run ();
}
