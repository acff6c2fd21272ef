/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Articles and Documents sections over a real store holding the sample data, loaded by
 * the real caunoi-cli, as a clerk would see them. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cn-article-reader.h"
#include "cn-article-row.h"
#include "cn-articles-view.h"
#include "cn-criteria-view.h"
#include "cn-document-detail.h"
#include "cn-documents-view.h"
#include "cn-html-view.h"
#include "cn-record-list.h"

#define SEED_ARTICLE "ba28ecc9-d810-5a0f-9bcc-fbabe65bdc3c"
#define OCOP_LETTER "f9e60bbc-33bc-5e1c-8161-444aa8dd8df8"
#define CRITERIA_DECISION "99992d28-b6b2-5d22-a2b3-55d0193aba01"

static char *data_home;
static CnStore *store;

static void
load_sample (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cli = g_build_filename (g_getenv ("CAUNOI_BUILD_DIR"), "src", "cli",
                                           "caunoi-cli", NULL);
  g_autofree char *path = NULL;
  const char *argv[] = { cli, "load-sample", NULL };
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  path = cn_store_dup_default_path ();
  store = cn_store_open (path, &error);
  g_assert_no_error (error);
}

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Depth-first search for a widget of TYPE whose label/title is TEXT (or any with NULL). */
static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) && gtk_widget_get_mapped (child))
        {
          const char *label = NULL;

          if (GTK_IS_LABEL (child))
            label = gtk_label_get_label (GTK_LABEL (child));
          else if (ADW_IS_STATUS_PAGE (child))
            label = adw_status_page_get_title (ADW_STATUS_PAGE (child));
          else if (ADW_IS_PREFERENCES_ROW (child))
            label = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child));
          if (text == NULL || g_strcmp0 (label, text) == 0)
            return child;
        }
      if ((found = find_widget (child, type, text)) != NULL)
        return found;
    }
  return NULL;
}

static gboolean
wake_up_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets GTK lay out and bind rows (a few frames) until the widget shows up; NULL if it never
 * does within a few hundred frames. */
static GtkWidget *
wait_for_widget (GtkWidget  *root,
                 GType       type,
                 const char *text)
{
  for (guint frame = 0; frame < 300; frame++)
    {
      GtkWidget *found = find_widget (root, type, text);
      gboolean woken = FALSE;

      if (found != NULL)
        return found;
      g_timeout_add (10, wake_up_cb, &woken);
      while (!woken)
        g_main_context_iteration (NULL, TRUE);
    }
  return NULL;
}

static GtkWidget *
show_in_window (GtkWidget *view)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  iterate ();
  return window;
}

static void
test_articles_read_seed (void)
{
  GtkWidget *view = g_object_new (CN_TYPE_ARTICLES_VIEW, NULL);
  GtkWidget *window = show_in_window (view);
  GtkWidget *reader;
  GListModel *model;
  g_autofree char *body = NULL;
  CnHtmlView *html;

  g_assert_false (cn_store_get_read (store, SEED_ARTICLE));
  cn_articles_view_set_store (CN_ARTICLES_VIEW (view), store);
  model = cn_articles_view_get_model (CN_ARTICLES_VIEW (view));
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 1);

  g_assert_true (cn_articles_view_show_article (CN_ARTICLES_VIEW (view), SEED_ARTICLE));
  iterate ();
  reader = find_widget (view, CN_TYPE_ARTICLE_READER, NULL);
  g_assert_nonnull (reader);
  g_assert_nonnull (find_widget (reader, GTK_TYPE_LABEL, "Cầu nối giữa cấp ủy huyện và cơ sở"));
  g_assert_nonnull (find_widget (reader, GTK_TYPE_LABEL, "Học tập đạo đức HCM"));

  html = cn_article_reader_get_body (CN_ARTICLE_READER (reader));
  body = cn_html_view_get_text (html);
  g_assert_nonnull (strstr (body, "Huyện ủy đã thành lập 5 đoàn công tác"));
  g_assert_nonnull (strstr (body, "đồng chí Bùi Huy Cường - Phó Chủ tịch UBND huyện cho hay."));
  /* The photo comes from the file cache, with its caption under it. */
  g_assert_cmpuint (cn_html_view_get_n_images (html), ==, 1);
  g_assert_true (cn_html_view_image_is_cached (html, 0));
  g_assert_nonnull (strstr (body, "Ðoàn công tác của Huyện ủy Can Lộc làm việc với BTV Đảng ủy xã Tiến Lộc"));

  /* Opening it read it; the reader can mark it unread again. */
  g_assert_true (cn_store_get_read (store, SEED_ARTICLE));
  gtk_widget_activate_action (view, "articles.toggle-read", NULL);
  g_assert_false (cn_store_get_read (store, SEED_ARTICLE));
  gtk_widget_activate_action (view, "articles.toggle-read", NULL);
  g_assert_true (cn_store_get_read (store, SEED_ARTICLE));

  gtk_window_destroy (GTK_WINDOW (window));
}

static CnRecord *
first_item (GListModel *model)
{
  return g_list_model_get_item (model, 0);
}

static void
test_articles_search (void)
{
  GtkWidget *view = g_object_new (CN_TYPE_ARTICLES_VIEW, NULL);
  GtkWidget *window = show_in_window (view);
  GListModel *model;
  g_autoptr(CnRecord) found = NULL;

  cn_articles_view_set_store (CN_ARTICLES_VIEW (view), store);
  model = cn_articles_view_get_model (CN_ARTICLES_VIEW (view));

  /* Typed without tone marks, as on a keyboard without a Vietnamese input method. */
  cn_articles_view_set_search (CN_ARTICLES_VIEW (view), "cau noi");
  iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  found = first_item (model);
  g_assert_cmpstr (cn_record_get_id (found), ==, SEED_ARTICLE);
  /* The match is marked in the row. */
  g_assert_nonnull (wait_for_widget (view, GTK_TYPE_LABEL,
                                 "<span weight=\"bold\" underline=\"single\">Cầu</span> "
                                 "<span weight=\"bold\" underline=\"single\">nối</span> "
                                 "giữa cấp ủy huyện và cơ sở"));

  cn_articles_view_set_search (CN_ARTICLES_VIEW (view), "qwzx khong co");
  iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_nonnull (wait_for_widget (view, ADW_TYPE_STATUS_PAGE, "No Results Found"));

  gtk_widget_activate_action (view, "articles.clear-filters", NULL);
  iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 1);
  g_assert_nonnull (wait_for_widget (view, CN_TYPE_ARTICLE_ROW, NULL));

  /* Enter in the search opens the first match. */
  cn_articles_view_set_search (CN_ARTICLES_VIEW (view), "duong tranh khu di tich");
  g_signal_emit_by_name (find_widget (view, GTK_TYPE_SEARCH_ENTRY, NULL), "activate");
  g_assert_cmpstr (cn_record_get_id (cn_article_reader_get_article (CN_ARTICLE_READER (find_widget (view, CN_TYPE_ARTICLE_READER, NULL)))),
                   ==, SEED_ARTICLE);
  gtk_widget_activate_action (view, "articles.clear-filters", NULL);

  /* A tag of the article filters the list by it. */
  gtk_widget_activate_action (view, "articles.filter-tag", "s", "địa phương");
  iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_articles_empty (void)
{
  GtkWidget *view = g_object_new (CN_TYPE_ARTICLES_VIEW, NULL);
  GtkWidget *window = show_in_window (view);

  g_assert_nonnull (wait_for_widget (view, ADW_TYPE_STATUS_PAGE, "No Articles Yet"));
  g_assert_null (find_widget (view, ADW_TYPE_STATUS_PAGE, "No Results Found"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* In a window 360 px wide the list and the reader show one at a time, with a way back. */
static void
test_articles_narrow (void)
{
  GtkWidget *view = g_object_new (CN_TYPE_ARTICLES_VIEW, NULL);
  GtkWidget *window = gtk_window_new ();
  AdwLeaflet *leaflet;
  GtkWidget *back;

  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  cn_articles_view_set_store (CN_ARTICLES_VIEW (view), store);

  leaflet = ADW_LEAFLET (wait_for_widget (view, ADW_TYPE_LEAFLET, NULL));
  g_assert_nonnull (leaflet);
  for (guint frame = 0; frame < 300 && !adw_leaflet_get_folded (leaflet); frame++)
    {
      gboolean woken = FALSE;

      g_timeout_add (10, wake_up_cb, &woken);
      while (!woken)
        g_main_context_iteration (NULL, TRUE);
    }
  g_assert_true (adw_leaflet_get_folded (leaflet));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "list");

  g_assert_true (cn_articles_view_show_article (CN_ARTICLES_VIEW (view), SEED_ARTICLE));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "reader");
  back = wait_for_widget (view, GTK_TYPE_BUTTON, NULL);
  g_assert_nonnull (back);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (back)), ==, "articles.back");
  g_assert_true (gtk_widget_get_visible (back));

  gtk_widget_activate_action (view, "articles.back", NULL);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "list");

  gtk_window_destroy (GTK_WINDOW (window));
}

static const char *
first_number (GListModel *model)
{
  g_autoptr(CnRecord) first = first_item (model);
  static char number[64];

  g_strlcpy (number, cn_record_get_string (first, "number"), sizeof number);
  return number;
}

static void
test_documents_sort_and_filter (void)
{
  GtkWidget *view = g_object_new (CN_TYPE_DOCUMENTS_VIEW, NULL);
  GtkWidget *window = show_in_window (view);
  GListModel *model;

  cn_documents_view_set_store (CN_DOCUMENTS_VIEW (view), store);
  model = cn_documents_view_get_model (CN_DOCUMENTS_VIEW (view));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 5);

  /* A click on a column header orders the store's query by that column. */
  cn_documents_view_sort_by (CN_DOCUMENTS_VIEW (view), "number", FALSE);
  iterate ();
  g_assert_cmpstr (first_number (model), ==, "15/2024/QĐ-UBND");
  cn_documents_view_sort_by (CN_DOCUMENTS_VIEW (view), "number", TRUE);
  iterate ();
  g_assert_cmpstr (first_number (model), ==, "4414/UBND-NL5");
  cn_documents_view_sort_by (CN_DOCUMENTS_VIEW (view), "issuer", FALSE);
  iterate ();
  g_assert_cmpstr (first_number (model), ==, "211/QĐ-TTg");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_documents_detail (void)
{
  GtkWidget *view = g_object_new (CN_TYPE_DOCUMENTS_VIEW, NULL);
  GtkWidget *window = show_in_window (view);
  GtkWidget *detail;
  GtkWidget *attachment;
  GtkWidget *criteria;
  GtkWidget *issuer;
  g_autofree char *size = NULL;

  cn_documents_view_set_store (CN_DOCUMENTS_VIEW (view), store);
  g_assert_true (cn_documents_view_show_document (CN_DOCUMENTS_VIEW (view), OCOP_LETTER));
  iterate ();
  detail = find_widget (view, CN_TYPE_DOCUMENT_DETAIL, NULL);
  g_assert_nonnull (find_widget (detail, GTK_TYPE_LABEL,
                                 "Về việc tăng cường lãnh đạo, chỉ đạo thực hiện Chương trình OCOP trong thời gian tới"));
  issuer = find_widget (detail, ADW_TYPE_ACTION_ROW, "Issuer");
  g_assert_nonnull (issuer);
  g_assert_nonnull (find_widget (issuer, GTK_TYPE_LABEL, "UBND tỉnh Hà Tĩnh"));
  attachment = find_widget (detail, ADW_TYPE_ACTION_ROW, "4414-UBND-NL5.pdf");
  g_assert_nonnull (attachment);
  /* 29011 bytes, copied into the file cache by load-sample. */
  size = g_format_size (29011);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (attachment)), size));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (attachment)), "Available offline"));

  /* The national decision issued the commune criteria set: 19 criteria. */
  g_assert_true (cn_documents_view_show_document (CN_DOCUMENTS_VIEW (view), CRITERIA_DECISION));
  iterate ();
  criteria = find_widget (detail, CN_TYPE_CRITERIA_VIEW, NULL);
  g_assert_nonnull (criteria);
  g_assert_cmpuint (cn_criteria_view_get_n_criteria (CN_CRITERIA_VIEW (criteria)), ==, 19);
  g_assert_nonnull (find_widget (criteria, ADW_TYPE_EXPANDER_ROW, "2. Giao thông"));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Before anything reads (and caches) the XDG directories. */
  data_home = g_dir_make_tmp ("cn-reading-XXXXXX", NULL);
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CACHE_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", data_home, TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/reading/articles/empty", test_articles_empty);

  load_sample ();
  g_test_add_func ("/reading/articles/read-seed", test_articles_read_seed);
  g_test_add_func ("/reading/articles/search", test_articles_search);
  g_test_add_func ("/reading/articles/narrow", test_articles_narrow);
  g_test_add_func ("/reading/documents/sort", test_documents_sort_and_filter);
  g_test_add_func ("/reading/documents/detail", test_documents_detail);

  status = g_test_run ();

  g_clear_object (&store);
  return status;
}
