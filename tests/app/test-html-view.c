/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cn-html-view.h"

#define BASE "https://nongthonmoi.hatinh.gov.vn/index.php?language=vi&nv=news&op=dia-phuong/cau-noi-1.html"

/* Shaped like the seed article's body as NukeViet stores it: a photo inside a one-cell
 * table with its caption below, CKEditor's alignment styles, relative links. */
static const char seed_like_html[] =
  "<p>Huyện ủy đã   thành lập\n <strong>5 đoàn công tác</strong> gồm 1-2 ủy viên, "
  "<em>mỗi xã</em> gắn với <u>1 ủy viên BCH</u>.</p>\n"
  "<h2>Cầu nối giữa cấp ủy huyện và cơ sở</h2>\n"
  "<table align=\"center\" class=\"image\"><tbody>"
  "<tr><td><img alt=\"Đoàn công tác\" src=\"/uploads/news/2015_07/doan-cong-tac.jpg\" /></td></tr>"
  "<tr><td class=\"image_desc\">Ðoàn công tác của Huyện ủy Can Lộc làm việc với BTV Đảng ủy "
  "xã Tiến Lộc.</td></tr></tbody></table>\n"
  "<ul><li>trung tâm</li><li>vùng <b>thượng</b></li></ul>\n"
  "<ol><li>Quy hoạch</li><li>Giao thông</li></ol>\n"
  "<table border=\"1\"><tr><th>Tiêu chí</th><th>Kết quả</th></tr>"
  "<tr><td>Giao thông</td><td><a href=\"https://example.org/giao-thong\">Đạt</a></td></tr></table>\n"
  "<p>Xem <a href=\"/index.php?nv=laws\">văn bản</a> và <a href=\"javascript:alert(1)\">đây</a>.</p>"
  "<script>document.write('EVIL SCRIPT')</script><style>p { color: red }</style>"
  "<iframe src=\"https://evil.example/\">EVIL FRAME</iframe>"
  "<p style=\"text-align: right;\"><strong>Mạnh Hà</strong><br />baohatinh.vn</p>";

static const char seed_like_text[] =
  "Huyện ủy đã thành lập 5 đoàn công tác gồm 1-2 ủy viên, mỗi xã gắn với 1 ủy viên BCH.\n"
  "\n"
  "Cầu nối giữa cấp ủy huyện và cơ sở\n"
  "\n"
  "\n"  /* the photo */
  "Ðoàn công tác của Huyện ủy Can Lộc làm việc với BTV Đảng ủy xã Tiến Lộc.\n"
  "\n"
  "•\u2002trung tâm\n"
  "•\u2002vùng thượng\n"
  "\n"
  "1.\u2002Quy hoạch\n"
  "2.\u2002Giao thông\n"
  "\n"
  "\n"  /* the table */
  "\n"
  "Xem văn bản và đây.\n"
  "\n"
  "Mạnh Hà\n"
  "baohatinh.vn";

typedef struct
{
  GPtrArray *asked;     /* the sources the view looked up */
  char      *path;      /* what the "cache" answers, or NULL */
} Cache;

static char *
cache_resolve (const char  *src,
               char       **caption,
               gpointer     user_data)
{
  Cache *cache = user_data;

  g_ptr_array_add (cache->asked, g_strdup (src));
  *caption = g_strdup ("caption from the record");
  return g_strdup (cache->path);
}

static GtkWidget *
new_view (void)
{
  GtkWidget *view = cn_html_view_new ();

  return g_object_ref_sink (view);
}

static GtkTextBuffer *
buffer_of (GtkWidget *view)
{
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
}

/* The character offset of @needle in the buffer, counting images and tables as one
 * character each as GtkTextIter does. */
static int
offset_of (GtkWidget  *view,
           const char *needle)
{
  GtkTextIter start, end;
  g_autofree char *slice = NULL;
  const char *at;

  gtk_text_buffer_get_bounds (buffer_of (view), &start, &end);
  slice = gtk_text_buffer_get_slice (buffer_of (view), &start, &end, TRUE);
  at = strstr (slice, needle);
  g_assert_nonnull (at);
  return (int) g_utf8_pointer_to_offset (slice, at);
}

static gboolean
has_tag (GtkWidget  *view,
         const char *needle,
         const char *tag_name)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer_of (view));
  GtkTextTag *tag = gtk_text_tag_table_lookup (table, tag_name);
  int offset = offset_of (view, needle);
  int length = g_utf8_strlen (needle, -1);
  GtkTextIter iter;

  g_assert_nonnull (tag);
  for (int i = 0; i < length; i++)
    {
      gtk_text_buffer_get_iter_at_offset (buffer_of (view), &iter, offset + i);
      if (!gtk_text_iter_has_tag (&iter, tag))
        return FALSE;
    }
  return TRUE;
}

static void
test_seed_text (void)
{
  g_autoptr(GtkWidget) view = new_view ();
  g_autofree char *text = NULL;

  cn_html_view_set_html (CN_HTML_VIEW (view), seed_like_html, BASE);
  text = cn_html_view_get_text (CN_HTML_VIEW (view));

  g_assert_cmpstr (text, ==, seed_like_text);
  g_assert_null (strstr (text, "EVIL"));
  g_assert_null (strstr (text, "color"));
}

static void
test_seed_styles (void)
{
  g_autoptr(GtkWidget) view = new_view ();

  cn_html_view_set_html (CN_HTML_VIEW (view), seed_like_html, BASE);

  g_assert_true (has_tag (view, "5 đoàn công tác", "bold"));
  g_assert_false (has_tag (view, "gồm", "bold"));
  g_assert_true (has_tag (view, "mỗi xã", "italic"));
  g_assert_true (has_tag (view, "1 ủy viên BCH", "underline"));
  g_assert_true (has_tag (view, "Cầu nối giữa cấp ủy huyện và cơ sở", "h2"));
  g_assert_false (has_tag (view, "Huyện ủy đã", "h2"));
  g_assert_true (has_tag (view, "thượng", "bold"));
  g_assert_true (has_tag (view, "trung tâm", "li-1"));
  g_assert_true (has_tag (view, "Ðoàn công tác của Huyện ủy", "caption"));
  g_assert_true (has_tag (view, "Mạnh Hà", "right"));
  g_assert_true (has_tag (view, "Mạnh Hà", "bold"));
}

static void
test_seed_links (void)
{
  g_autoptr(GtkWidget) view = new_view ();
  CnHtmlView *html = NULL;

  html = CN_HTML_VIEW (view);
  cn_html_view_set_html (html, seed_like_html, BASE);

  /* Relative links are made absolute against the article's address. */
  g_assert_cmpstr (cn_html_view_get_link_at_offset (html, offset_of (view, "văn bản")), ==,
                   "https://nongthonmoi.hatinh.gov.vn/index.php?nv=laws");
  g_assert_true (has_tag (view, "văn bản", "link"));
  /* javascript: is never a link. */
  g_assert_null (cn_html_view_get_link_at_offset (html, offset_of (view, "đây")));
  g_assert_false (has_tag (view, "đây", "link"));
  g_assert_null (cn_html_view_get_link_at_offset (html, offset_of (view, "Xem")));
}

static gboolean
record_link_cb (CnHtmlView *view,
                const char *uri,
                char      **out)
{
  g_free (*out);
  *out = g_strdup (uri);
  return TRUE;
}

static void
test_seed_table (void)
{
  g_autoptr(GtkWidget) view = new_view ();
  g_autofree char *activated = NULL;
  GtkWidget *grid;
  GtkWidget *header;
  GtkWidget *cell;
  gboolean handled = FALSE;

  cn_html_view_set_html (CN_HTML_VIEW (view), seed_like_html, BASE);

  /* The photo's layout table became a figure; only the data table is a table. */
  g_assert_cmpuint (cn_html_view_get_n_tables (CN_HTML_VIEW (view)), ==, 1);
  grid = cn_html_view_get_table (CN_HTML_VIEW (view), 0);
  g_assert_true (GTK_IS_GRID (grid));

  header = gtk_grid_get_child_at (GTK_GRID (grid), 0, 0);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (header)), ==, "Tiêu chí");
  g_assert_true (gtk_widget_has_css_class (header, "heading"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (GTK_GRID (grid), 1, 0))),
                   ==, "Kết quả");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (GTK_GRID (grid), 0, 1))),
                   ==, "Giao thông");

  /* A link in a cell goes through the view's activate-link signal. */
  cell = gtk_grid_get_child_at (GTK_GRID (grid), 1, 1);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (cell)), ==, "Đạt");
  g_signal_connect (view, "activate-link", G_CALLBACK (record_link_cb), &activated);
  g_signal_emit_by_name (cell, "activate-link", "https://example.org/giao-thong", &handled);
  g_assert_true (handled);
  g_assert_cmpstr (activated, ==, "https://example.org/giao-thong");
}

/* A window as the reader lays it out: a button, the body in a scrolled window, a button. */
typedef struct
{
  GtkWidget *window;
  GtkWidget *before;
  GtkWidget *scroller;
  GtkWidget *view;
  GtkWidget *after;
  char      *activated;  /* the last address the view's activate-link gave */
} Page;

static void
page_init (Page       *page,
           const char *html,
           int         height)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  page->window = gtk_window_new ();
  page->before = gtk_button_new_with_label ("Trước");
  page->after = gtk_button_new_with_label ("Sau");
  page->scroller = gtk_scrolled_window_new ();
  page->view = cn_html_view_new ();
  page->activated = NULL;

  gtk_window_set_default_size (GTK_WINDOW (page->window), 400, height);
  gtk_widget_set_vexpand (page->scroller, TRUE);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (page->scroller), GTK_POLICY_EXTERNAL,
                                  GTK_POLICY_AUTOMATIC);
  /* In a box, as in the reader: the view does not scroll itself, the page does. */
  gtk_box_append (GTK_BOX (content), page->view);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (page->scroller), content);
  gtk_box_append (GTK_BOX (box), page->before);
  gtk_box_append (GTK_BOX (box), page->scroller);
  gtk_box_append (GTK_BOX (box), page->after);
  gtk_window_set_child (GTK_WINDOW (page->window), box);
  g_signal_connect (page->view, "activate-link", G_CALLBACK (record_link_cb), &page->activated);
  cn_html_view_set_html (CN_HTML_VIEW (page->view), html, BASE);

  gtk_window_present (GTK_WINDOW (page->window));
  gtk_test_widget_wait_for_draw (page->window);
  gtk_widget_grab_focus (page->before);
}

static void
page_clear (Page *page)
{
  gtk_window_destroy (GTK_WINDOW (page->window));
  g_clear_pointer (&page->activated, g_free);
}

static GtkWidget *
focus_of (Page *page)
{
  return gtk_root_get_focus (GTK_ROOT (page->window));
}

/* Tab and Shift+Tab as GTK handles them: the focused widget's key binding (the text view's,
 * or the window's for the others) emits move-focus. */
static void
press_tab (Page    *page,
           gboolean shift)
{
  g_signal_emit_by_name (focus_of (page), "move-focus",
                         shift ? GTK_DIR_TAB_BACKWARD : GTK_DIR_TAB_FORWARD);
}

/* The view's key controller named @name. */
static GtkEventController *
view_controller (Page       *page,
                 const char *name)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (page->view);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), name) == 0)
        return controller;  /* the view keeps it */
    }
  g_assert_not_reached ();
}

/* Enter, through the view's own key handler. */
static gboolean
press_enter (Page *page)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (view_controller (page, "cn-html-view-keys"), "key-pressed",
                         GDK_KEY_Return, 0, 0, &handled);
  return handled;
}

/* The text the view shows selected, as a screen reader reads it; NULL when none. */
static char *
selected_text (Page *page)
{
  GtkTextBuffer *buffer = buffer_of (page->view);
  GtkTextIter start, end;

  if (!gtk_text_buffer_get_selection_bounds (buffer, &start, &end))
    return NULL;
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Checks that the view has the focus on the link @text to @uri. */
static void
assert_link_focused (Page       *page,
                     const char *text,
                     const char *uri,
                     const char *description)
{
  g_autofree char *selected = selected_text (page);
  GtkTextBuffer *buffer = buffer_of (page->view);
  GtkTextIter insert;

  g_assert_true (focus_of (page) == page->view);
  g_assert_cmpstr (selected, ==, text);
  gtk_text_buffer_get_iter_at_mark (buffer, &insert, gtk_text_buffer_get_insert (buffer));
  g_assert_cmpstr (cn_html_view_get_link_at_offset (CN_HTML_VIEW (page->view),
                                                    gtk_text_iter_get_offset (&insert)),
                   ==, uri);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (page->view),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description);
}

/* The link @text lies inside the visible part of the scrolled page. */
static gboolean
link_in_sight (Page       *page,
               const char *text)
{
  GtkTextView *view = GTK_TEXT_VIEW (page->view);
  GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (page->scroller));
  GtkWidget *viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (page->scroller));
  GtkWidget *content = gtk_viewport_get_child (GTK_VIEWPORT (viewport));
  double top = gtk_adjustment_get_value (vadj);
  GtkTextIter iter;
  GdkRectangle rect;
  graphene_point_t point;
  int x, y;

  gtk_text_buffer_get_iter_at_offset (buffer_of (page->view), &iter,
                                      offset_of (page->view, text));
  gtk_text_view_get_iter_location (view, &iter, &rect);
  gtk_text_view_buffer_to_window_coords (view, GTK_TEXT_WINDOW_WIDGET, rect.x, rect.y, &x, &y);
  /* Where the link is in the scrolled content, against the part of it the page shows. */
  g_assert_true (gtk_widget_compute_point (page->view, content, &GRAPHENE_POINT_INIT (x, y),
                                           &point));
  return point.y >= top && point.y + rect.height <= top + gtk_adjustment_get_page_size (vadj);
}

static void
test_keyboard_links (void)
{
  g_autoptr(GString) html = g_string_new ("<p>Xem <a href=\"/index.php?nv=laws\">văn bản</a> và "
                                          "<a href=\"https://example.org/hai\">trang hai</a>.</p>");
  GtkAdjustment *vadj;
  GtkTextIter caret;
  Page page;

  /* Far below the first two, the third link is out of sight at first. */
  for (int i = 0; i < 40; i++)
    g_string_append_printf (html, "<p>Đoạn %d của bài viết về nông thôn mới.</p>", i);
  g_string_append (html, "<p>Liên hệ <a href=\"mailto:vp@example.org\">văn phòng</a>.</p>");
  page_init (&page, html->str, 300);
  vadj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (page.scroller));
  /* The text view lays long text out a part at a time, in idle time. */
  while (gtk_adjustment_get_upper (vadj) <= gtk_adjustment_get_page_size (vadj))
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (link_in_sight (&page, "văn phòng"));

  /* Tab from the button before goes to the first link, then from link to link. */
  press_tab (&page, FALSE);
  assert_link_focused (&page, "văn bản", "https://nongthonmoi.hatinh.gov.vn/index.php?nv=laws",
                       "Link 1 of 3, https://nongthonmoi.hatinh.gov.vn/index.php?nv=laws");
  press_tab (&page, FALSE);
  assert_link_focused (&page, "trang hai", "https://example.org/hai",
                       "Link 2 of 3, https://example.org/hai");
  press_tab (&page, FALSE);
  assert_link_focused (&page, "văn phòng", "mailto:vp@example.org",
                       "Link 3 of 3, mailto:vp@example.org");
  g_assert_true (link_in_sight (&page, "văn phòng"));

  /* Enter opens the focused link as a click does. */
  g_assert_true (press_enter (&page));
  g_assert_cmpstr (page.activated, ==, "mailto:vp@example.org");

  /* Past the last link the focus goes on to the next widget, and the link is let go. */
  press_tab (&page, FALSE);
  g_assert_true (focus_of (&page) == page.after);
  g_assert_null (selected_text (&page));

  /* Shift+Tab comes back to the last link, then goes back link by link. */
  press_tab (&page, TRUE);
  assert_link_focused (&page, "văn phòng", "mailto:vp@example.org",
                       "Link 3 of 3, mailto:vp@example.org");
  press_tab (&page, TRUE);
  assert_link_focused (&page, "trang hai", "https://example.org/hai",
                       "Link 2 of 3, https://example.org/hai");
  g_assert_true (link_in_sight (&page, "trang hai"));
  g_assert_true (press_enter (&page));
  g_assert_cmpstr (page.activated, ==, "https://example.org/hai");
  press_tab (&page, TRUE);
  assert_link_focused (&page, "văn bản", "https://nongthonmoi.hatinh.gov.vn/index.php?nv=laws",
                       "Link 1 of 3, https://nongthonmoi.hatinh.gov.vn/index.php?nv=laws");
  press_tab (&page, TRUE);
  g_assert_true (focus_of (&page) == page.before);

  /* A click in the text lets the link go: Enter there opens nothing, and Tab goes on from
   * the caret to the next link. */
  press_tab (&page, FALSE);
  gtk_text_buffer_get_iter_at_offset (buffer_of (page.view), &caret,
                                      offset_of (page.view, "Đoạn 3 "));
  gtk_text_buffer_place_cursor (buffer_of (page.view), &caret);
  g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (page.view),
                                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
  g_clear_pointer (&page.activated, g_free);
  g_assert_false (press_enter (&page));
  g_assert_null (page.activated);
  press_tab (&page, FALSE);
  assert_link_focused (&page, "văn phòng", "mailto:vp@example.org",
                       "Link 3 of 3, mailto:vp@example.org");

  page_clear (&page);
}

/* A short table is as tall as its rows at the width it is laid out at: no empty card under
 * its last row. */
static void
test_table_height (void)
{
  Page page;
  GtkWidget *grid;
  GtkWidget *card;
  int natural = 0;

  page_init (&page,
             "<p>Trước bảng.</p>"
             "<table><tr><th>Tiêu chí</th><th>Văn bản</th></tr>"
             "<tr><td>Giao thông</td><td>Hướng dẫn 01 của Sở Giao thông vận tải về tiêu chí số 2 "
             "trong Bộ tiêu chí quốc gia về xã nông thôn mới</td></tr></table>"
             "<p>Sau bảng.</p>", 600);
  grid = cn_html_view_get_table (CN_HTML_VIEW (page.view), 0);
  card = gtk_widget_get_ancestor (grid, GTK_TYPE_SCROLLED_WINDOW);
  /* Fitted to the text's width once the view has its size. */
  for (guint i = 0; i < 10; i++)
    {
      gtk_test_widget_wait_for_draw (page.window);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  g_assert_cmpint (gtk_widget_get_width (grid), >, 0);
  gtk_widget_measure (grid, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (grid), NULL, &natural,
                      NULL, NULL);
  g_test_message ("table %d px wide: rows %d px tall, card %d px", gtk_widget_get_width (grid),
                  natural, gtk_widget_get_height (card));
  /* Every cell shows whole... */
  for (GtkWidget *cell = gtk_widget_get_first_child (grid); cell != NULL; cell = gtk_widget_get_next_sibling (cell))
    {
      int needed = 0;

      gtk_widget_measure (cell, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (cell), &needed, NULL,
                          NULL, NULL);
      g_assert_cmpint (gtk_widget_get_height (cell), >=, needed);
    }
  /* ...and the card is no taller than the rows. */
  g_assert_cmpint (gtk_widget_get_height (card), <=, natural + 32);
  page_clear (&page);
}

static void
test_keyboard_table_links (void)
{
  Page page;
  GtkWidget *grid;
  GtkWidget *cell;
  GtkWidget *other;

  page_init (&page,
             "<p>Xem <a href=\"https://example.org/a\">đầu</a>.</p>"
             "<table><tr><th>Tiêu chí</th><th>Văn bản</th></tr>"
             "<tr><td>Giao thông</td><td><a href=\"https://example.org/o\">Quyết định</a> và "
             "<a href=\"https://example.org/p\">Hướng dẫn</a></td></tr></table>"
             "<p>Xem <a href=\"https://example.org/b\">cuối</a>.</p>", 600);
  grid = cn_html_view_get_table (CN_HTML_VIEW (page.view), 0);
  cell = gtk_grid_get_child_at (GTK_GRID (grid), 1, 1);
  other = gtk_grid_get_child_at (GTK_GRID (grid), 0, 1);
  /* Text of cells without links stays selectable, as the rest of the body. */
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (other)));
  g_assert_true (gtk_widget_get_focusable (other));

  press_tab (&page, FALSE);
  assert_link_focused (&page, "đầu", "https://example.org/a", "Link 1 of 2, https://example.org/a");

  /* Tab goes to the table's links, passing the cells without any, then link by link. */
  press_tab (&page, FALSE);
  g_assert_true (focus_of (&page) == cell);
  g_assert_null (selected_text (&page));
  g_assert_cmpstr (gtk_label_get_current_uri (GTK_LABEL (cell)), ==, "https://example.org/o");
  press_tab (&page, FALSE);
  g_assert_true (focus_of (&page) == cell);
  g_assert_cmpstr (gtk_label_get_current_uri (GTK_LABEL (cell)), ==, "https://example.org/p");
  /* GTK hides focus rings when a key leaves the focus in the same widget; the cell's ring
   * around its link stays. */
  gtk_window_set_focus_visible (GTK_WINDOW (page.window), FALSE);
  g_signal_emit_by_name (view_controller (&page, "cn-html-view-tab-release"), "key-released",
                         GDK_KEY_Tab, 0, 0);
  g_assert_true (gtk_window_get_focus_visible (GTK_WINDOW (page.window)));

  /* Enter (the label's key binding) opens it through the view, as a click does. */
  g_signal_emit_by_name (cell, "activate-current-link");
  g_assert_cmpstr (page.activated, ==, "https://example.org/p");

  /* After the table, the text's next link, then out of the view. */
  press_tab (&page, FALSE);
  assert_link_focused (&page, "cuối", "https://example.org/b", "Link 2 of 2, https://example.org/b");
  press_tab (&page, FALSE);
  g_assert_true (focus_of (&page) == page.after);

  /* And back: the last link of the cell first. */
  press_tab (&page, TRUE);
  press_tab (&page, TRUE);
  g_assert_true (focus_of (&page) == cell);
  g_assert_cmpstr (gtk_label_get_current_uri (GTK_LABEL (cell)), ==, "https://example.org/p");
  press_tab (&page, TRUE);
  g_assert_cmpstr (gtk_label_get_current_uri (GTK_LABEL (cell)), ==, "https://example.org/o");
  press_tab (&page, TRUE);
  assert_link_focused (&page, "đầu", "https://example.org/a", "Link 1 of 2, https://example.org/a");

  /* From a cell the user clicked into, Tab goes on to the next cell with links. */
  gtk_widget_grab_focus (other);
  press_tab (&page, FALSE);
  g_assert_true (focus_of (&page) == cell);
  g_assert_cmpstr (gtk_label_get_current_uri (GTK_LABEL (cell)), ==, "https://example.org/o");

  page_clear (&page);
}

static void
test_keyboard_no_links (void)
{
  Page page;

  /* A body without links is one stop, to scroll and read it with the keyboard. */
  page_init (&page, "<p>Không có liên kết.</p>", 300);
  press_tab (&page, FALSE);
  g_assert_true (focus_of (&page) == page.view);
  g_assert_null (selected_text (&page));
  press_tab (&page, FALSE);
  g_assert_true (focus_of (&page) == page.after);
  press_tab (&page, TRUE);
  g_assert_true (focus_of (&page) == page.view);
  press_tab (&page, TRUE);
  g_assert_true (focus_of (&page) == page.before);

  page_clear (&page);
}

static void
test_image_placeholder (void)
{
  g_autoptr(GtkWidget) view = new_view ();
  Cache cache = { g_ptr_array_new_with_free_func (g_free), NULL };
  GtkWidget *image;

  cn_html_view_set_image_resolver (CN_HTML_VIEW (view), cache_resolve, &cache, NULL);
  cn_html_view_set_html (CN_HTML_VIEW (view), seed_like_html, BASE);

  g_assert_cmpuint (cache.asked->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (cache.asked, 0), ==,
                   "https://nongthonmoi.hatinh.gov.vn/uploads/news/2015_07/doan-cong-tac.jpg");
  g_assert_cmpuint (cn_html_view_get_n_images (CN_HTML_VIEW (view)), ==, 1);
  g_assert_false (cn_html_view_image_is_cached (CN_HTML_VIEW (view), 0));
  image = cn_html_view_get_image_widget (CN_HTML_VIEW (view), 0);
  g_assert_false (GTK_IS_PICTURE (image));

  g_ptr_array_unref (cache.asked);
}

static char *
write_png (const char *dir)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 800, 600);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", NULL);

  gdk_pixbuf_fill (pixbuf, 0x2a7f3fff);
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  return path;
}

static void
test_image_cached_and_reload (void)
{
  g_autoptr(GtkWidget) view = new_view ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cn-html-view-XXXXXX", &error);
  g_autofree char *png = NULL;
  g_autofree char *text = NULL;
  Cache cache = { g_ptr_array_new_with_free_func (g_free), NULL };
  GtkWidget *image;

  g_assert_no_error (error);
  png = write_png (dir);

  /* No caption in the HTML: the record's caption is used. */
  cn_html_view_set_image_resolver (CN_HTML_VIEW (view), cache_resolve, &cache, NULL);
  cn_html_view_set_html (CN_HTML_VIEW (view), "<p>Trước</p><p><img src=\"a.jpg\"></p><p>Sau</p>",
                         BASE);
  text = cn_html_view_get_text (CN_HTML_VIEW (view));
  g_assert_cmpstr (text, ==, "Trước\n\n\ncaption from the record\n\nSau");
  g_assert_false (cn_html_view_image_is_cached (CN_HTML_VIEW (view), 0));

  /* The sync client downloaded it. */
  cache.path = png;
  cn_html_view_reload_images (CN_HTML_VIEW (view));
  g_assert_true (cn_html_view_image_is_cached (CN_HTML_VIEW (view), 0));
  image = cn_html_view_get_image_widget (CN_HTML_VIEW (view), 0);
  g_assert_true (GTK_IS_PICTURE (image));
  g_assert_cmpstr (gtk_picture_get_alternative_text (GTK_PICTURE (image)), ==,
                   "caption from the record");

  cache.path = NULL;
  g_ptr_array_unref (cache.asked);
  g_unlink (png);
  g_rmdir (dir);
}

static void
test_whitespace_and_breaks (void)
{
  g_autoptr(GtkWidget) view = new_view ();
  g_autofree char *text = NULL;

  cn_html_view_set_html (CN_HTML_VIEW (view),
                         "  <div> a \n\t b </div><div>c<br>d</div>"
                         "<p>x<b> y </b>z</p><pre>  keep\n   this</pre>", NULL);
  text = cn_html_view_get_text (CN_HTML_VIEW (view));
  g_assert_cmpstr (text, ==, "a b\nc\nd\n\nx y z\n\n  keep\n   this");
  g_assert_true (has_tag (view, "keep", "mono"));
}

static void
test_bad_input (void)
{
  g_autoptr(GtkWidget) view = new_view ();
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;

  cn_html_view_set_html (CN_HTML_VIEW (view), "<p>unclosed <b>bold <i>both", NULL);
  text = cn_html_view_get_text (CN_HTML_VIEW (view));
  g_assert_cmpstr (text, ==, "unclosed bold both");
  g_assert_true (has_tag (view, "both", "bold"));
  g_assert_true (has_tag (view, "both", "italic"));

  /* Deeper than the view follows the structure: the words stay. */
  for (int i = 0; i < 100; i++)
    g_string_append (deep, "<span><b>");
  g_string_append (deep, "sâu");
  cn_html_view_set_html (CN_HTML_VIEW (view), deep->str, NULL);
  text2 = cn_html_view_get_text (CN_HTML_VIEW (view));
  g_assert_cmpstr (text2, ==, "sâu");

  /* Past libxml2's own depth limit the rest is dropped, without a crash. */
  for (int i = 0; i < 5000; i++)
    g_string_append (deep, "<span><b>");
  cn_html_view_set_html (CN_HTML_VIEW (view), deep->str, NULL);

  cn_html_view_set_html (CN_HTML_VIEW (view), "", NULL);
  g_clear_pointer (&text2, g_free);
  text2 = cn_html_view_get_text (CN_HTML_VIEW (view));
  g_assert_cmpstr (text2, ==, "");
  cn_html_view_set_html (CN_HTML_VIEW (view), NULL, NULL);
  g_assert_cmpuint (cn_html_view_get_n_images (CN_HTML_VIEW (view)), ==, 0);
}

static void
test_in_window (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *view = cn_html_view_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cn-html-view-XXXXXX", &error);
  g_autofree char *png = write_png (dir);
  Cache cache = { g_ptr_array_new_with_free_func (g_free), png };
  GtkWidget *image;
  GtkWidget *table;

  gtk_window_set_default_size (GTK_WINDOW (window), 400, 500);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_EXTERNAL,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_window_set_child (GTK_WINDOW (window), scroller);
  cn_html_view_set_image_resolver (CN_HTML_VIEW (view), cache_resolve, &cache, NULL);
  cn_html_view_set_html (CN_HTML_VIEW (view), seed_like_html, BASE);
  gtk_window_present (GTK_WINDOW (window));

  /* An 800 px photo shrinks to the 400 px window; the table follows the width too. */
  image = cn_html_view_get_image_widget (CN_HTML_VIEW (view), 0);
  table = gtk_widget_get_parent (gtk_widget_get_parent (cn_html_view_get_table (CN_HTML_VIEW (view), 0)));
  while (gtk_widget_get_width (image) == 0 || gtk_widget_get_width (image) > 400 ||
         gtk_widget_get_width (table) == 0)
    {
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpint (gtk_widget_get_width (image), <=, 400);
  g_assert_cmpint (gtk_widget_get_width (image), >, 200);
  g_assert_cmpint (gtk_widget_get_height (image) * 4, ==, gtk_widget_get_width (image) * 3);
  g_assert_cmpint (gtk_widget_get_width (table), <=, 400);
  g_assert_cmpint (gtk_widget_get_width (table), >, 200);

  /* Made narrower, the window takes the photo with it. */
  gtk_window_set_default_size (GTK_WINDOW (window), 300, 500);
  while (gtk_widget_get_width (image) > 300 || gtk_widget_get_width (window) > 300)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (gtk_widget_get_width (image), >, 150);

  gtk_window_destroy (GTK_WINDOW (window));
  g_ptr_array_unref (cache.asked);
  g_unlink (png);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Scrolling to a focused link happens at once, not over a few frames. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/html-view/seed/text", test_seed_text);
  g_test_add_func ("/html-view/seed/styles", test_seed_styles);
  g_test_add_func ("/html-view/seed/links", test_seed_links);
  g_test_add_func ("/html-view/seed/table", test_seed_table);
  g_test_add_func ("/html-view/keyboard/links", test_keyboard_links);
  g_test_add_func ("/html-view/table-height", test_table_height);
  g_test_add_func ("/html-view/keyboard/table-links", test_keyboard_table_links);
  g_test_add_func ("/html-view/keyboard/no-links", test_keyboard_no_links);
  g_test_add_func ("/html-view/image/placeholder", test_image_placeholder);
  g_test_add_func ("/html-view/image/cached-and-reload", test_image_cached_and_reload);
  g_test_add_func ("/html-view/whitespace", test_whitespace_and_breaks);
  g_test_add_func ("/html-view/bad-input", test_bad_input);
  g_test_add_func ("/html-view/in-window", test_in_window);

  return g_test_run ();
}
