/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cn-error.h"
#include "cn-html-sanitize.h"
#include "cn-rss.h"
#include "cn-schema.h"

#define SITE "https://nongthonmoi.hatinh.gov.vn"

static char *
fixture_path (const char *name)
{
  const char *srcdir = g_getenv ("CAUNOI_SOURCE_DIR");

  if (srcdir != NULL)
    return g_build_filename (srcdir, "tests", "server", "feeds", name, NULL);
  return g_test_build_filename (G_TEST_DIST, "feeds", name, NULL);
}

static GBytes *
load_fixture (const char *name)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static GPtrArray *
parse_fixture (const char *name,
               CnFeedKind  kind)
{
  g_autoptr(GBytes) bytes = load_fixture (name);
  g_autoptr(GError) error = NULL;
  GPtrArray *items = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_assert_true (cn_rss_parse (data, len, kind, &items, &error));
  g_assert_no_error (error);
  g_assert_nonnull (items);
  return items;
}

/* Parses data that must be refused; returns the error message. */
static char *
parse_error (const char *data,
             gssize      len,
             CnFeedKind  kind)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *items = (GPtrArray *) 0x1;

  if (len < 0)
    len = strlen (data);
  g_assert_false (cn_rss_parse (data, len, kind, &items, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_FEED);
  g_assert_null (items);  /* all or nothing: not even the good items before the bad one */
  g_test_message ("%s", error->message);
  return g_strdup (error->message);
}

static char *
fixture_error (const char *name,
               CnFeedKind  kind)
{
  g_autoptr(GBytes) bytes = load_fixture (name);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  return parse_error (data, len, kind);
}

static const char *
field (CnRssItem  *item,
       const char *name)
{
  if (!json_object_has_member (item->data, name))
    return NULL;
  return json_object_get_string_member (item->data, name);
}

static void
assert_valid (CnRssItem *item)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cn_schema_validate (item->collection, item->data, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (cn_schema_is_valid_uuid (item->id));
}

/* ---- news ------------------------------------------------------------------------- */

static void
test_news_old (void)
{
  g_autoptr(GPtrArray) items = parse_fixture ("news-old.xml", CN_FEED_NEWS);
  CnRssItem *item;

  g_assert_cmpuint (items->len, ==, 3);
  for (guint i = 0; i < items->len; i++)
    {
      item = g_ptr_array_index (items, i);
      assert_valid (item);
      g_assert_cmpstr (item->collection, ==, "article");
      g_assert_cmpstr (field (item, "source"), ==, "Văn phòng Điều phối nông thôn mới Hà Tĩnh");
      /* Old NukeViet has no content:encoded: there is no body, only the lead. */
      g_assert_null (field (item, "body_html"));
    }

  /* Entities are decoded, including NukeViet's doubly escaped titles. */
  item = g_ptr_array_index (items, 0);
  g_assert_cmpstr (item->guid, ==, "news_1236");
  g_assert_cmpstr (field (item, "title"), ==,
                   "Phát động phong trào \"Ngày Chủ nhật xanh\" & ra quân làm đường giao thông");
  g_assert_cmpstr (field (item, "lead"), ==,
                   "Sáng 2/7, Huyện đoàn Can Lộc ra quân hưởng ứng \"Ngày Chủ nhật xanh\" – "
                   "làm mới 3 km đường giao thông nông thôn & trồng 500 cây xanh.");
  g_assert_cmpstr (field (item, "published_at"), ==, "2015-07-02T01:15:00Z");
  g_assert_cmpstr (field (item, "source_url"), ==,
                   SITE "/index.php?language=vi&nv=news&op=Tin-tuc-Su-kien/"
                   "Phat-dong-phong-trao-Ngay-Chu-nhat-xanh-1236");
  g_assert_cmpstr (item->image_url, ==, SITE "/files/news/thumb/chu-nhat-xanh.jpg");
  g_assert_null (field (item, "author"));
  g_assert_null (field (item, "category"));

  /* The seed article: guid with white space around it in CDATA, a relative thumbnail. */
  item = g_ptr_array_index (items, 1);
  g_assert_cmpstr (item->guid, ==, "news_1234");
  g_assert_cmpstr (item->id, ==, "741e5680-26ee-5504-9f82-295aa3f3c030");
  g_assert_cmpstr (field (item, "title"), ==, "Cầu nối giữa cấp ủy huyện và cơ sở");
  g_assert_cmpstr (field (item, "lead"), ==,
                   "(Baohatinh.vn) Với 23 xã, thị trấn trực thuộc, lại là địa phương hội tụ "
                   "nhiều yếu tố địa hình khác nhau, thời gian qua, để nắm chắc tình hình, đặc "
                   "điểm của từng địa phương, đơn vị, bên cạnh triển khai các giải pháp khác, "
                   "BTV Huyện ủy Can Lộc đã thành lập các đoàn công tác chỉ đạo cơ sở.");
  g_assert_cmpstr (field (item, "published_at"), ==, "2015-07-01T16:20:00Z");
  g_assert_cmpstr (field (item, "author"), ==, "Mạnh Hà");
  g_assert_cmpstr (field (item, "category"), ==, "Tin tức - Sự kiện");
  g_assert_cmpstr (item->image_url, ==, SITE "/files/news/thumb/doan-cong-tac-can-loc.jpg");

  item = g_ptr_array_index (items, 2);
  g_assert_cmpstr (item->guid, ==, "news_1229");
  g_assert_cmpstr (field (item, "lead"), ==,
                   "Xã Thạch Sơn (Thạch Hà) tổ chức lễ đón Bằng công nhận xã đạt chuẩn nông "
                   "thôn mới năm 2014.");
  g_assert_cmpstr (field (item, "published_at"), ==, "2015-06-29T10:05:00Z");
  g_assert_null (item->image_url);
}

static void
test_news_new (void)
{
  g_autoptr(GPtrArray) items = parse_fixture ("news-new.xml", CN_FEED_NEWS);
  CnRssItem *item;
  const char *body;

  g_assert_cmpuint (items->len, ==, 2);

  item = g_ptr_array_index (items, 0);
  assert_valid (item);
  g_assert_cmpstr (item->guid, ==, "news_1234");
  g_assert_cmpstr (field (item, "title"), ==, "Cầu nối giữa cấp ủy huyện và cơ sở");
  g_assert_cmpstr (field (item, "author"), ==, "Mạnh Hà");
  /* "Wed, 1 Jul 2015 16:20:00 GMT": NukeViet's own date format. */
  g_assert_cmpstr (field (item, "published_at"), ==, "2015-07-01T16:20:00Z");
  g_assert_cmpstr (item->image_url, ==,
                   SITE "/assets/news/2015_07/doan-cong-tac-can-loc.jpg");

  /* The page minus what is unsafe and what the app already shows (title, lead, date):
   * scripts, styles, iframes, handlers and javascript: links are gone, relative URLs are
   * absolute, the figure and its caption stay. */
  body = field (item, "body_html");
  g_assert_cmpstr (body, ==,
                   "<figure><img src=\"" SITE "/uploads/news/2015_07/doan-cong-tac-can-loc.jpg\">"
                   "<figcaption>Đoàn công tác của Huyện ủy Can Lộc làm việc với BTV Đảng ủy xã "
                   "Tiến Lộc</figcaption></figure>"
                   "<p>Huyện ủy đã thành lập 5 đoàn công tác gồm 1-2 ủy viên BTV Huyện ủy, mỗi xã "
                   "gắn với 1 ủy viên BCH Đảng bộ huyện, mỗi phòng, ngành đỡ đầu, nắm bắt tình "
                   "hình 1 xã.</p>"
                   "<p>Bí thư Huyện ủy <strong>Võ Hồng Hải</strong> cho hay: “Các đoàn công tác "
                   "được phân công chỉ đạo 5 vùng: trung tâm, vùng thượng, trà sơn đông, trà sơn "
                   "tây và vùng giữa”.</p>"
                   "<figure><img src=\"" SITE "/uploads/news/2015_07/lam-viec-tien-loc.jpg\" "
                   "alt=\"Làm việc tại Tiến Lộc\"><figcaption>Ðoàn công tác làm việc với BTV Đảng "
                   "ủy xã Tiến Lộc về chương trình xây dựng nông thôn mới.</figcaption></figure>"
                   "<p>Xem thêm: bản tin và <a href=\"" SITE "/news/tin-tuc-su-kien/\">chuyên mục "
                   "Tin tức</a>.</p>"
                   "<p><strong>Mạnh Hà</strong><br>baohatinh.vn</p>");
  g_assert_null (strstr (body, "script"));
  g_assert_null (strstr (body, "tracker.example.com"));
  g_assert_null (strstr (body, "onclick"));
  g_assert_null (strstr (body, "onerror"));
  g_assert_null (strstr (body, "javascript"));
  g_assert_null (strstr (body, "youtube"));
  g_assert_null (strstr (body, "<h1>"));

  item = g_ptr_array_index (items, 1);
  assert_valid (item);
  g_assert_cmpstr (item->guid, ==, "news_1240");
  g_assert_cmpstr (field (item, "author"), ==, "Thu Hằng");  /* dc:creator */
  g_assert_cmpstr (field (item, "published_at"), ==, "2015-07-03T01:30:00Z");
  g_assert_cmpstr (field (item, "lead"), ==,
                   "Huyện Can Lộc có 12 sản phẩm đạt chuẩn OCOP 3 sao trở lên.");
  g_assert_null (item->image_url);
  g_assert_cmpstr (field (item, "body_html"), ==,
                   "<p>Sản phẩm đạt chuẩn:</p><table><tbody><tr><td colspan=\"2\">Nhóm thực "
                   "phẩm</td></tr><tr><td>Kẹo cu đơ</td><td>4 sao</td></tr></tbody></table>");
}

/* Importing the same article twice, from the old and the new feed of the same site, from
 * a file or a URL, gives the same record id: the archive grows without duplicates. */
static void
test_ids (void)
{
  g_autoptr(GPtrArray) old_items = parse_fixture ("news-old.xml", CN_FEED_NEWS);
  g_autoptr(GPtrArray) again = parse_fixture ("news-old.xml", CN_FEED_NEWS);
  g_autoptr(GPtrArray) new_items = parse_fixture ("news-new.xml", CN_FEED_NEWS);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  CnRssItem *old_item = g_ptr_array_index (old_items, 1);
  CnRssItem *new_item = g_ptr_array_index (new_items, 0);
  g_autofree char *a = cn_rss_item_id ("nongthonmoi.hatinh.gov.vn", "news_1234");
  g_autofree char *b = cn_rss_item_id ("http://www.NongThonMoi.hatinh.gov.vn/index.php?nv=news&op=rss",
                                       "  news_1234\n");
  g_autofree char *c = cn_rss_item_id ("https://nongthonmoi.hatinh.gov.vn:443/news/rss/Tin-tuc/",
                                       "news_1234");
  g_autofree char *other_guid = cn_rss_item_id ("nongthonmoi.hatinh.gov.vn", "news_1235");
  g_autofree char *other_site = cn_rss_item_id ("nongthonmoi.nghean.gov.vn", "news_1234");
  g_autofree char *laws = cn_rss_item_id (SITE, "laws_812");

  /* Version 5 UUIDs, checked against Python's uuid.uuid5 with our name space. */
  g_assert_cmpstr (a, ==, "741e5680-26ee-5504-9f82-295aa3f3c030");
  g_assert_cmpstr (laws, ==, "7c0d9c20-bb86-5563-a4cc-582910b0b4dd");
  g_assert_cmpstr (b, ==, a);
  g_assert_cmpstr (c, ==, a);
  g_assert_cmpstr (other_guid, !=, a);
  g_assert_cmpstr (other_site, !=, a);

  g_assert_cmpstr (old_item->guid, ==, new_item->guid);
  g_assert_cmpstr (old_item->id, ==, a);
  g_assert_cmpstr (new_item->id, ==, a);

  g_assert_cmpuint (again->len, ==, old_items->len);
  for (guint i = 0; i < old_items->len; i++)
    {
      CnRssItem *first = g_ptr_array_index (old_items, i);
      CnRssItem *second = g_ptr_array_index (again, i);

      g_assert_cmpstr (first->id, ==, second->id);
      g_assert_false (g_hash_table_contains (seen, first->id));
      g_hash_table_add (seen, first->id);
    }
}

/* ---- laws ------------------------------------------------------------------------- */

typedef struct {
  const char *guid;
  const char *number;
  const char *title;
  const char *doc_type;
  const char *issuer;
  const char *field;
  const char *signed_on;
  const char *summary;
} ExpectedDocument;

static void
test_laws (void)
{
  static const ExpectedDocument expected[] = {
    { "laws_812", "4414/UBND-NL5",
      "Về việc tăng cường lãnh đạo, chỉ đạo thực hiện Chương trình OCOP trong thời gian tới",
      "Công văn", "UBND tỉnh", "OCOP", "2024-10-17",
      "Về việc tăng cường lãnh đạo, chỉ đạo thực hiện Chương trình OCOP trong thời gian tới" },
    { "laws_809", "4305/UBND-NL5",
      "Hướng dẫn thành lập BCĐ cấp huyện và bộ phận giúp việc BCĐ cấp huyện, BCĐ đạo cấp xã, "
      "BQL cấp xã, Ban Phát triển thôn, tổ dân phố",
      "Công văn", "UBND tỉnh", NULL, "2024-10-10",
      "Hướng dẫn thành lập Ban Chỉ đạo cấp huyện và bộ phận giúp việc Ban Chỉ đạo cấp huyện, "
      "Ban Chỉ đạo cấp xã, Ban Quản lý cấp xã, Ban Phát triển thôn, tổ dân phố" },
    { "laws_801", "3608/UBND-NL5",
      "Giao hướng dẫn thành lập Ban Chỉ đạo các Chương trình MTQG cấp huyện, cấp xã",
      "Công văn", "UBND tỉnh", NULL, "2024-08-29",
      "Giao hướng dẫn thành lập Ban Chỉ đạo các Chương trình mục tiêu quốc gia cấp huyện, cấp xã" },
    { "laws_795", "15/2024/QĐ-UBND",
      "Sửa đổi một số tiêu chí, chỉ tiêu của các Bộ tiêu chí ban hành kèm theo Quyết định số "
      "36 và Quyết định số 37 ngày 09/12/2022 của UBND tỉnh",
      "Quyết định", "UBND tỉnh", "NTM criteria", "2024-04-26",
      "Sửa đổi, bổ sung một số tiêu chí, chỉ tiêu của các Bộ tiêu chí xã, huyện nông thôn mới "
      "nâng cao, kiểu mẫu tỉnh Hà Tĩnh giai đoạn 2022 - 2025" },
    /* The laws module's own format: "Ngày ban hành: 01/03/2024. Trích yếu: …" */
    { "laws_788", "211/QĐ-TTg",
      "Sửa đổi một số tiêu chí, chỉ tiêu của Bộ tiêu chí quốc gia về xã NTM, Bộ tiêu chí quốc "
      "gia về xã NTM nâng cao, Bộ tiêu chí quốc gia về huyện NTM và Bộ tiêu chí quốc gia về "
      "huyện NTM nâng cao giai đoạn 2021 - 2025;",
      "Quyết định", "Thủ tướng Chính phủ", "NTM criteria", "2024-03-01",
      "Sửa đổi một số tiêu chí, chỉ tiêu của Bộ tiêu chí quốc gia về xã nông thôn mới, xã nông "
      "thôn mới nâng cao, huyện nông thôn mới và huyện nông thôn mới nâng cao giai đoạn 2021 - "
      "2025" },
  };
  g_autoptr(GPtrArray) items = parse_fixture ("laws.xml", CN_FEED_LAWS);

  g_assert_cmpuint (items->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < items->len; i++)
    {
      CnRssItem *item = g_ptr_array_index (items, i);
      const ExpectedDocument *e = &expected[i];
      g_autofree char *id = cn_rss_item_id (SITE, e->guid);

      assert_valid (item);
      g_assert_cmpstr (item->collection, ==, "document");
      g_assert_cmpstr (item->guid, ==, e->guid);
      g_assert_cmpstr (item->id, ==, id);
      g_assert_cmpstr (field (item, "number"), ==, e->number);
      g_assert_cmpstr (field (item, "title"), ==, e->title);
      g_assert_cmpstr (field (item, "doc_type"), ==, e->doc_type);
      g_assert_cmpstr (field (item, "issuer"), ==, e->issuer);
      g_assert_cmpstr (field (item, "field"), ==, e->field);
      g_assert_cmpstr (field (item, "signed_on"), ==, e->signed_on);
      g_assert_cmpstr (field (item, "summary"), ==, e->summary);
      g_assert_true (g_str_has_prefix (field (item, "source_url"),
                                       SITE "/index.php?language=vi&nv=laws&op=detail/"));
      g_assert_null (item->image_url);
      /* Nothing from the news module's fields leaks into a document. */
      g_assert_false (json_object_has_member (item->data, "published_at"));
      g_assert_false (json_object_has_member (item->data, "lead"));
    }
}

static char *
laws_feed (const char *title,
           const char *description)
{
  return g_strdup_printf ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                          "<rss version=\"2.0\"><channel><title>Văn bản</title>"
                          "<link>" SITE "/laws/</link>"
                          "<item><title>%s</title><link>" SITE "/laws/detail/x-1.html</link>"
                          "<guid isPermaLink=\"false\"><![CDATA[ laws_1 ]]></guid>"
                          "<description><![CDATA[%s]]></description></item>"
                          "</channel></rss>", title, description);
}

static void
test_laws_variants (void)
{
  static const struct {
    const char *title;
    const char *description;
    const char *number, *doc_type, *issuer, *field, *signed_on, *summary;
  } cases[] = {
    /* Đ written as the look-alike Ð (U+00D0), as web pages often do. */
    { "[36/2022/QÐ-UBND] Ban hành Bộ tiêu chí xã NTM nâng cao",
      "Ngày ban hành: 9/12/2022<br />Trích yếu: Ban hành Bộ tiêu chí xã nông thôn mới nâng cao",
      "36/2022/QÐ-UBND", "Quyết định", "UBND tỉnh", "NTM criteria", "2022-12-09",
      "Ban hành Bộ tiêu chí xã nông thôn mới nâng cao" },
    { "[120/KH-UBND] Kế hoạch thực hiện Chương trình Mỗi xã một sản phẩm",
      "Ngày ban hành: 05/04/2024", "120/KH-UBND", "Kế hoạch", "UBND tỉnh", NULL,
      "2024-04-05", NULL },
    { "[07/HD-VPĐP] Hướng dẫn đánh giá sản phẩm OCOP",
      "Trích yếu: Hướng dẫn quy trình đánh giá, phân hạng sản phẩm", "07/HD-VPĐP",
      "Hướng dẫn", NULL, "OCOP", NULL, "Hướng dẫn quy trình đánh giá, phân hạng sản phẩm" },
    /* A symbol the table does not know: nothing is guessed. */
    { "[12/TB-VPĐP] Thông báo kết luận của Trưởng ban Chỉ đạo", "Kết luận phiên họp tháng 6",
      "12/TB-VPĐP", "Thông báo", NULL, NULL, NULL, "Kết luận phiên họp tháng 6" },
    { "[08/BCĐ-VP] Kết luận phiên họp", "Ngày ban hành: 01/07/2015. Nội dung chính",
      "08/BCĐ-VP", NULL, NULL, NULL, "2015-07-01", "Nội dung chính" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *feed = laws_feed (cases[i].title, cases[i].description);
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GError) error = NULL;
      CnRssItem *item;

      g_assert_true (cn_rss_parse (feed, strlen (feed), CN_FEED_LAWS, &items, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (items->len, ==, 1);
      item = g_ptr_array_index (items, 0);
      assert_valid (item);
      g_assert_cmpstr (item->guid, ==, "laws_1");
      g_assert_cmpstr (field (item, "number"), ==, cases[i].number);
      g_assert_cmpstr (field (item, "doc_type"), ==, cases[i].doc_type);
      g_assert_cmpstr (field (item, "issuer"), ==, cases[i].issuer);
      g_assert_cmpstr (field (item, "field"), ==, cases[i].field);
      g_assert_cmpstr (field (item, "signed_on"), ==, cases[i].signed_on);
      g_assert_cmpstr (field (item, "summary"), ==, cases[i].summary);
    }
}

/* ---- dates ------------------------------------------------------------------------ */

static char *
news_feed_with_date (const char *pub_date)
{
  return g_strdup_printf ("<rss version=\"2.0\"><channel><title>Tin</title>"
                          "<link>" SITE "/news/</link>"
                          "<item><title>Tin một</title><link>" SITE "/news/a-1.html</link>"
                          "<guid>news_1</guid><pubDate>%s</pubDate>"
                          "<description>Tóm tắt</description></item>"
                          "<item><title>Tin hai</title><link>" SITE "/news/b-2.html</link>"
                          "<guid>news_2</guid><description>Tóm tắt</description></item>"
                          "</channel></rss>", pub_date);
}

static void
test_dates (void)
{
  static const struct { const char *in; const char *out; } good[] = {
    { "Wed, 01 Jul 2015 23:20:00 +0700", "2015-07-01T16:20:00Z" },
    { "Wed, 1 Jul 2015 16:07:00 GMT", "2015-07-01T16:07:00Z" },
    { "  Fri, 01 Jan 2016 00:30 +0700 ", "2015-12-31T17:30:00Z" },
    { "1 Jan 2016 00:30:00 +0700", "2015-12-31T17:30:00Z" },
    { "Wednesday, 01 July 2015 23:20:00 +0700", "2015-07-01T16:20:00Z" },
    { "Wed, 01 Jul 15 23:20:00 +0700", "2015-07-01T16:20:00Z" },
    { "Wed, 01 Jul 2015 09:20:00 -0700", "2015-07-01T16:20:00Z" },
    { "Wed, 01 Jul 2015 23:20:00 +0700 (ICT)", "2015-07-01T16:20:00Z" },
    { "Wed, 01 Jul 2015 23:20:00 ICT", "2015-07-01T16:20:00Z" },
    { "2015-07-01T23:20:00+07:00", "2015-07-01T16:20:00Z" },  /* NukeViet's ISO 8601 mode */
    { "Sun, 29 Feb 2004 23:59:60 +0000", "2004-02-29T23:59:59Z" },
  };
  static const char * const bad[] = {
    "Thứ tư, 01/07/2015 23:20",
    "Wed, 31 Feb 2015 10:00:00 GMT",
    "Wed, 01 Jul 2015 25:00:00 GMT",
    "Wed, 01 Jul 2015 23:61:00 GMT",
    "Wed, 01 Jul 2015 23:20:00",
    "Wed, 01 Jul 2015 23:20:00 +0700 tomorrow",
    "Wed, 01 Jul 2015 23:20:00 XYZ",
    "Wed, 01 Jul 2015 23:20:00 +07",
    "Wed, 01 Foo 2015 23:20:00 +0700",
    "Wed, 01 Jul 2015 23:20:00 +0700 (ICT",
    "2015-07-01",
    "99999999999999999999 Jul 2015 23:20:00 GMT",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *feed = news_feed_with_date (good[i].in);
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GError) error = NULL;
      CnRssItem *item;

      g_test_message ("date “%s”", good[i].in);
      g_assert_true (cn_rss_parse (feed, strlen (feed), CN_FEED_NEWS, &items, &error));
      g_assert_no_error (error);
      item = g_ptr_array_index (items, 0);
      g_assert_cmpstr (field (item, "published_at"), ==, good[i].out);
      /* An item without a pubDate has none; that is not an error. */
      item = g_ptr_array_index (items, 1);
      g_assert_null (field (item, "published_at"));
    }

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *feed = news_feed_with_date (bad[i]);
      g_autofree char *message = parse_error (feed, -1, CN_FEED_NEWS);

      g_assert_nonnull (strstr (message, "Item 1"));
      g_assert_nonnull (strstr (message, "news_1"));
      g_assert_nonnull (strstr (message, bad[i]));
    }
}

/* ---- broken feeds ----------------------------------------------------------------- */

static void
test_broken_fixtures (void)
{
  g_autofree char *truncated = fixture_error ("broken-truncated.xml", CN_FEED_NEWS);
  g_autofree char *no_guid = fixture_error ("broken-no-guid.xml", CN_FEED_LAWS);
  g_autofree char *bad_date = fixture_error ("broken-bad-date.xml", CN_FEED_NEWS);
  g_autofree char *not_rss = fixture_error ("broken-not-rss.xml", CN_FEED_NEWS);
  g_autofree char *laughs = fixture_error ("broken-billion-laughs.xml", CN_FEED_NEWS);

  g_assert_nonnull (strstr (truncated, "not well-formed XML"));
  g_assert_nonnull (strstr (truncated, "line 79: Premature end of data"));

  g_assert_nonnull (strstr (no_guid, "Item 2 "));
  g_assert_nonnull (strstr (no_guid, "no guid"));

  g_assert_nonnull (strstr (bad_date, "Item 3 "));
  g_assert_nonnull (strstr (bad_date, "news_1229"));
  g_assert_nonnull (strstr (bad_date, "“Thứ hai, 29/06/2015 17:05”"));

  g_assert_nonnull (strstr (not_rss, "not an RSS feed"));
  g_assert_nonnull (strstr (not_rss, "<feed>"));

  g_assert_nonnull (strstr (laughs, "DOCTYPE"));
}

static void
test_broken_inline (void)
{
  static const struct {
    const char *data;
    CnFeedKind  kind;
    const char *expect[3];
  } cases[] = {
    { "", CN_FEED_NEWS, { "empty" } },
    { " \n\t ", CN_FEED_NEWS, { "empty" } },
    /* What a web server answers for a page that moved. */
    { "<!DOCTYPE html><html><head><title>404</title></head><body><p>Không tìm thấy trang<br></body></html>",
      CN_FEED_NEWS, { "DOCTYPE" } },
    { "<html><body><p>Không tìm thấy trang<br></p></body></html>", CN_FEED_NEWS,
      { "not well-formed XML", "line 1" } },
    { "{\"error\": \"not found\"}", CN_FEED_NEWS, { "not well-formed XML" } },
    { "<rss version=\"2.0\"><title>Tin</title></rss>", CN_FEED_NEWS, { "no <channel>" } },
    /* External entity (XXE): never read. */
    { "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
      "<rss version=\"2.0\"><channel><item><title>&xxe;</title><guid>news_1</guid></item>"
      "</channel></rss>", CN_FEED_NEWS, { "DOCTYPE" } },
    { "<rss version=\"2.0\"><channel><item><title>Tin</title><guid>news_1</guid></item>"
      "<item><guid>news_2</guid><title>   </title></item></channel></rss>", CN_FEED_NEWS,
      { "Item 2 ", "news_2", "no title" } },
    { "<rss version=\"2.0\"><channel><item><title>Tin</title><guid> <![CDATA[  ]]> </guid>"
      "</item></channel></rss>", CN_FEED_NEWS, { "Item 1 ", "no guid" } },
    { "<rss version=\"2.0\"><channel><item><title>Tin một</title><guid>news_7</guid></item>"
      "<item><title>Tin hai</title><guid>news_8</guid></item>"
      "<item><title>Tin ba</title><guid> news_7 </guid></item></channel></rss>", CN_FEED_NEWS,
      { "Items 1 and 3", "news_7" } },
    { "<rss version=\"2.0\"><channel><item><title>Tin</title><guid>news_1</guid>"
      "<link>javascript:alert(1)</link></item></channel></rss>", CN_FEED_NEWS,
      { "Item 1 ", "javascript:alert(1)", "not a web address" } },
    { "<rss version=\"2.0\"><channel><item><title>[5/QĐ-UBND] Quyết định</title><guid>laws_1</guid>"
      "<description>Ngày ban hành: 31/02/2024</description></item></channel></rss>",
      CN_FEED_LAWS, { "Item 1 ", "laws_1", "31/02/2024" } },
    { "<rss version=\"2.0\"><channel><item><title>[5/QĐ-UBND] Quyết định</title><guid>laws_1</guid>"
      "<pubDate>hôm qua</pubDate></item></channel></rss>",
      CN_FEED_LAWS, { "Item 1 ", "laws_1", "hôm qua" } },
    /* A document number is what a document is known by: without one the feed is not the
     * laws module's. */
    { "<rss version=\"2.0\"><channel><item><title>Thông báo kết luận</title><guid>laws_1</guid>"
      "</item></channel></rss>", CN_FEED_LAWS, { "Item 1 ", "laws_1", "Thông báo kết luận" } },
    { "<rss version=\"2.0\"><channel><item><title>[] Thông báo</title><guid>laws_1</guid>"
      "</item></channel></rss>", CN_FEED_LAWS, { "Item 1 ", "document number" } },
    /* Declared UTF-8, but Latin-1 bytes. */
    { "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><item>"
      "<title>Caf\xe9</title><guid>news_1</guid></item></channel></rss>", CN_FEED_NEWS,
      { "not well-formed XML", "UTF-8" } },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = parse_error (cases[i].data, -1, cases[i].kind);

      for (guint j = 0; j < G_N_ELEMENTS (cases[i].expect) && cases[i].expect[j] != NULL; j++)
        {
          if (strstr (message, cases[i].expect[j]) == NULL)
            g_error ("case %" G_GSIZE_FORMAT ": “%s” lacks “%s”", i, message, cases[i].expect[j]);
        }
    }
}

/* What an error quotes from the feed is cut short: a megabyte of garbage in a date does
 * not make a megabyte of error message (or of server log). */
static void
test_long_quote (void)
{
  g_autoptr(GString) date = g_string_new ("Thứ tư ");
  g_autofree char *feed = NULL;
  g_autofree char *message = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append (date, "01/07/2015 ");
  feed = news_feed_with_date (date->str);
  message = parse_error (feed, -1, CN_FEED_NEWS);
  g_assert_nonnull (strstr (message, "“Thứ tư 01/07/2015 01/07/2015 "));
  g_assert_nonnull (strstr (message, "…”"));
  g_assert_cmpuint (strlen (message), <, 400);
}

static void
test_too_large (void)
{
  gsize len = CN_RSS_MAX_FEED_SIZE + 1;
  g_autofree char *data = g_malloc (len);
  g_autofree char *message = NULL;

  memset (data, ' ', len);
  message = parse_error (data, len, CN_FEED_NEWS);
  g_assert_nonnull (strstr (message, "too large"));
}

/* libxml2's own limits hold: no stack overflow, no unbounded work. */
static void
test_deep_nesting (void)
{
  g_autoptr(GString) feed = g_string_new ("<rss version=\"2.0\"><channel><item><title>Tin</title>"
                                          "<guid>news_1</guid><description>");
  g_autofree char *message = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append (feed, "<b>");
  message = parse_error (feed->str, feed->len, CN_FEED_NEWS);
  g_assert_nonnull (strstr (message, "not well-formed XML"));
}

static guint
count_substrings (const char *haystack,
                  const char *needle)
{
  guint n = 0;

  for (const char *p = haystack; (p = strstr (p, needle)) != NULL; p++)
    n++;
  return n;
}

/* A description or body nested deep inside CDATA is the HTML parser's input: the walk must
 * not recurse, the output nests at most 64 deep (for the app's renderer) and keeps the
 * text. libxml2 itself stops at 256 levels, so a bomb 100000 deep loses what is below. */
static void
test_deep_html (void)
{
  static const guint depths[] = { 100, 100000 };

  for (gsize i = 0; i < G_N_ELEMENTS (depths); i++)
    {
      g_autoptr(GString) html = g_string_new (NULL);
      g_autofree char *clean = NULL;
      g_autofree char *text = NULL;

      for (guint j = 0; j < depths[i]; j++)
        g_string_append (html, "<div><span>");
      g_string_append (html, "Nội dung");
      clean = cn_html_sanitize (html->str, html->len, NULL);
      text = cn_html_to_text (html->str, html->len);

      g_assert_cmpuint (count_substrings (clean, "<div>") + count_substrings (clean, "<span>"),
                        ==, 64);
      g_assert_cmpuint (count_substrings (clean, "</div>"), ==, count_substrings (clean, "<div>"));
      if (depths[i] < 128)
        {
          g_assert_nonnull (strstr (clean, "<span>Nội dung</span></div></span></div>"));
          g_assert_cmpstr (text, ==, "Nội dung");
        }
    }
}

/* ---- the sanitizer ---------------------------------------------------------------- */

static void
test_sanitize (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "<p onclick=\"x()\">Chào</p><script>alert(1)</script>", "<p>Chào</p>" },
    { "<p>a <b>b</b> <i>c</i></p>", "<p>a <b>b</b> <i>c</i></p>" },
    { "<div>\n  <p>Một</p>\n  <p>Hai</p>\n</div>", "<div><p>Một</p><p>Hai</p></div>" },
    { "<a href=\"javascript:alert(1)\">x</a>", "x" },
    { "<a href=\" JaVaScRiPt:alert(1)\">x</a>", "x" },
    { "<a href=\"java&#x09;script:alert(1)\">x</a>", "x" },
    { "<a href=\"&#106;avascript:alert(1)\">x</a>", "x" },
    { "<a href=\"vbscript:msgbox(1)\">x</a>", "x" },
    { "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>", "x" },
    { "<a href=\"https://a.vn/?q=1&amp;b=2\" target=\"_blank\" title=\"Trang &quot;A&quot;\">x</a>",
      "<a href=\"https://a.vn/?q=1&amp;b=2\" title=\"Trang &quot;A&quot;\">x</a>" },
    { "<a href=\"mailto:vp@hatinh.gov.vn\">thư</a>", "<a href=\"mailto:vp@hatinh.gov.vn\">thư</a>" },
    { "<a href=\"/tin/a.html\">x</a>", "<a href=\"https://site.vn/tin/a.html\">x</a>" },
    { "<a href=\"//cdn.vn/a\">x</a>", "<a href=\"https://cdn.vn/a\">x</a>" },
    { "<a href=\" HTTPS://Site.vn/tin tức/a.html\">x</a>",
      "<a href=\"https://Site.vn/tin%20t%E1%BB%A9c/a.html\">x</a>" },
    { "<a href=\"https:version=1\">x</a>", "x" },
    { "<a href=\"http://\">x</a>", "x" },
    { "<a href=\"https://a.vn/%zz\">x</a>", "x" },
    { "<a href=\"java script:alert(1)\">x</a>", "x" },
    { "<a href=\"mailto:\">x</a>", "x" },
    { "<img src=\"../uploads/ảnh 1.jpg\">", "<img src=\"https://site.vn/uploads/%E1%BA%A3nh%201.jpg\">" },
    { "<img src=\"data:image/png;base64,AAAA\" alt=\"a\">", "" },
    { "<img src=\"mailto:x@y\">", "" },
    { "<img src=\"/a.jpg\" alt=\"Ảnh &quot;1&quot;\">",
      "<img src=\"https://site.vn/a.jpg\" alt=\"Ảnh &quot;1&quot;\">" },
    { "<img src=\"https://a.vn/b.png\" onerror=\"x()\" width=\"100\" height=\"50%\">",
      "<img src=\"https://a.vn/b.png\" width=\"100\">" },
    { "<style>p{color:red}</style><iframe src=\"https://x\"></iframe><p style=\"color:red\" class=\"x\" id=\"y\">T</p>",
      "<p>T</p>" },
    { "<font color=\"red\"><center>Chữ</center></font>", "Chữ" },
    { "<!-- ghi chú --><p>A &lt;b&gt; &amp; B</p>", "<p>A &lt;b&gt; &amp; B</p>" },
    { "<svg><script>alert(1)</script><text>x</text></svg><math><mi>y</mi></math>", "" },
    { "<form action=\"/x\"><input value=\"x\"><button>Gửi</button></form><p>sau</p>", "<p>sau</p>" },
    { "<object data=\"x.swf\"><embed src=\"x.swf\"></object><noscript><p>bật JS</p></noscript>", "" },
    { "<table><tr><td colspan=\"2\" rowspan=\"x\" onclick=\"x\">a</td></tr></table>",
      "<table><tr><td colspan=\"2\">a</td></tr></table>" },
    { "<ul><li>một</li><li>hai<br/>ba</li></ul>", "<ul><li>một</li><li>hai<br>ba</li></ul>" },
    { "<blockquote><p>Trích</p></blockquote><hr><h3>Tiêu đề</h3>",
      "<blockquote><p>Trích</p></blockquote><hr><h3>Tiêu đề</h3>" },
    { "<p>Giá &lt; 5 &amp;&nbsp;&gt; 2 &ldquo;ngoặc&rdquo; &#7899;</p>",
      "<p>Giá &lt; 5 &amp;\xc2\xa0&gt; 2 “ngoặc” ớ</p>" },
    { "Chữ <unknown-tag onclick=\"x\">trong</unknown-tag> thẻ lạ",
      "<p>Chữ trong thẻ lạ</p>" },  /* libxml2 puts loose text in a paragraph */
    /* Not UTF-8: each stray byte costs one character (U+FFFD), not the text around it. */
    { "<p>Caf\xe9 ngon \xef\xbb qu\xc3\xa1</p>", "<p>Caf\xef\xbf\xbd ngon \xef\xbf\xbd\xef\xbf\xbd qu\xc3\xa1</p>" },
    { "", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = cn_html_sanitize (cases[i].in, -1, "https://site.vn/tin/bai.html");

      g_autofree char *escaped = g_strescape (cases[i].in, NULL);

      g_test_message ("sanitize “%s”", escaped);
      g_assert_cmpstr (out, ==, cases[i].out);
    }

  {
    /* Without a base URL a relative URL cannot be followed: the tag goes, the text stays. */
    g_autofree char *out = cn_html_sanitize ("<p><a href=\"/x\">liên kết</a><img src=\"/a.jpg\"></p>",
                                             -1, NULL);
    g_assert_cmpstr (out, ==, "<p>liên kết</p>");
  }
  {
    /* Whatever libxml2 makes of a broken script tag, no script survives. */
    g_autofree char *out = cn_html_sanitize ("<scr<script>ipt>alert(1)</script><p "
                                             "onmouseover=alert(1)//>x", -1, NULL);
    g_assert_null (strstr (out, "<script"));
    g_assert_null (strstr (out, "<scr"));
    g_assert_null (strstr (out, "onmouseover"));
  }
}

static void
test_to_text (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "<img src=\"x.jpg\">Sapo &amp; tin&nbsp;chính<br/>Dòng 2", "Sapo & tin chính\nDòng 2" },
    { "<p>  Một  </p>\n\n<p>Hai\tba</p>", "Một\nHai ba" },
    { "<script>var a = 1;</script>Chữ", "Chữ" },
    { "&quot;Ngày Chủ nhật xanh&quot; &ndash; 3&nbsp;km", "\"Ngày Chủ nhật xanh\" – 3 km" },
    { "a < b và c > d", "a < b và c > d" },
    { "", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = cn_html_to_text (cases[i].in, -1);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

/* The source of an article is the site's name: <copyright>, else the title before
 * " RSS: ", else the site's host. */
static void
test_source (void)
{
  static const struct { const char *channel; const char *source; } cases[] = {
    { "<title>Tin tức</title><copyright><![CDATA[ VP Điều phối NTM ]]></copyright>", "VP Điều phối NTM" },
    { "<title>VP Điều phối NTM RSS: Tin tức - Sự kiện</title>", "VP Điều phối NTM" },
    { "<title>Tin tức</title>", "nongthonmoi.hatinh.gov.vn" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *feed = g_strdup_printf ("<rss version=\"2.0\"><channel>%s"
                                               "<link>https://www.nongthonmoi.hatinh.gov.vn/</link>"
                                               "<item><title>Tin</title><guid>news_1</guid></item>"
                                               "</channel></rss>", cases[i].channel);
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (cn_rss_parse (feed, strlen (feed), CN_FEED_NEWS, &items, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (field (g_ptr_array_index (items, 0), "source"), ==, cases[i].source);
    }
}

static char *
tag_with_attributes (const char *name,
                     guint       n,
                     const char *value)
{
  GString *tag = g_string_new ("<");

  g_string_append (tag, name);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (tag, " a%u%s", i, value);
  g_string_append (tag, ">");
  return g_string_free (tag, FALSE);
}

/* A big feed (a site that puts whole pages in its descriptions) goes through whole, its
 * lead in NFC even when the site sent decomposed text. */
static void
test_big_feed (void)
{
  g_autoptr(GString) feed = g_string_new ("<rss version=\"2.0\"><channel><title>T</title>"
                                          "<link>https://a.vn/</link>");
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  const char *lead;

  for (guint n = 0; n < 10; n++)
    {
      g_string_append_printf (feed, "<item><title>Tin %u</title><guid>news_%u</guid>"
                              "<description><![CDATA[", n, n);
      for (guint i = 0; i < 2000; i++)  /* "Huyện ủy" decomposed (NFD) */
        g_string_append (feed, "<p>Huye\xcc\xa3\xcc\x82n u\xcc\x89y đã thành lập đoàn công tác.</p>\n");
      g_string_append (feed, "]]></description></item>");
    }
  g_string_append (feed, "</channel></rss>");

  g_assert_true (cn_rss_parse (feed->str, feed->len, CN_FEED_NEWS, &items, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 10);
  lead = field (g_ptr_array_index (items, 9), "lead");
  g_assert_true (g_str_has_prefix (lead, "Huyện ủy đã thành lập đoàn công tác.\nHuyện ủy"));
  g_assert_cmpuint (strlen (lead), ==, 2000 * strlen ("Huyện ủy đã thành lập đoàn công tác.\n") - 1);
}

static guint
count_attributes (const char *markup,
                  gboolean    xml)
{
  return cn_markup_max_attributes (markup, strlen (markup), xml);
}

/* libxml2 2.9 checks a tag's attributes for repeats in quadratic time: a feed or a
 * description with a tag of thousands of attributes is refused before it gets there. */
static void
test_crowded_tags (void)
{
  g_autofree char *ok_xml = tag_with_attributes ("x", CN_MARKUP_MAX_ATTRIBUTES, "=\"1 2 3\"");
  g_autofree char *bad_xml = tag_with_attributes ("x", CN_MARKUP_MAX_ATTRIBUTES + 1, "='v'");
  g_autofree char *bad_html = tag_with_attributes ("p", 5000, "");
  g_autofree char *feed_ok = g_strdup_printf ("<rss version=\"2.0\"><channel>%s</x><item><title>Tin</title>"
                                              "<guid>news_1</guid></item></channel></rss>", ok_xml);
  g_autofree char *feed_bad = g_strdup_printf ("<rss version=\"2.0\"><channel>%s</x></channel></rss>",
                                               bad_xml);
  g_autofree char *feed_bad_html = g_strdup_printf ("<rss version=\"2.0\"><channel><item><title>Tin</title>"
                                                    "<guid>news_1</guid><description><![CDATA[%s]]>"
                                                    "</description></item></channel></rss>", bad_html);
  g_autofree char *message = NULL;
  g_autofree char *html_message = NULL;
  g_autofree char *clean = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *many_words = NULL;
  GString *words = g_string_new ("giá <5 ");

  g_assert_true (cn_rss_parse (feed_ok, strlen (feed_ok), CN_FEED_NEWS, &items, &error));
  g_assert_no_error (error);

  message = parse_error (feed_bad, -1, CN_FEED_NEWS);
  g_assert_nonnull (strstr (message, "more than 64 attributes"));
  html_message = parse_error (feed_bad_html, -1, CN_FEED_NEWS);
  g_assert_nonnull (strstr (html_message, "Item 1 "));
  g_assert_nonnull (strstr (html_message, "<description>"));

  clean = cn_html_sanitize (bad_html, -1, NULL);
  g_assert_cmpstr (clean, ==, "");

  /* What is counted: tokens of a start tag outside quoted values; not text, comments,
   * CDATA (in XML) or end tags. */
  g_assert_cmpuint (count_attributes ("<p a=\"1 2 3 4\" b='x y' c>t</p>", FALSE), ==, 3);
  g_assert_cmpuint (count_attributes ("a < b c d e > f", FALSE), ==, 0);
  g_assert_cmpuint (count_attributes ("<!-- <p a b c> --><![CDATA[<p a b c>]]>", TRUE), ==, 0);
  g_assert_cmpuint (count_attributes ("</p a b c>", FALSE), ==, 0);
  /* A quote not after "=" opens nothing (libxml2's HTML parser agrees). */
  g_assert_cmpuint (count_attributes ("<p \" a b c \">", FALSE), ==, 5);

  for (guint i = 0; i < 1000; i++)
    g_string_append (words, "đồng ");
  many_words = g_string_free (words, FALSE);
  /* "<5" is text, not a tag: a long lead after it is not refused. */
  g_assert_cmpuint (count_attributes (many_words, FALSE), ==, 0);
}

static void
test_feed_kind (void)
{
  CnFeedKind kind = CN_FEED_LAWS;

  g_assert_true (cn_feed_kind_from_string ("news", &kind));
  g_assert_cmpint (kind, ==, CN_FEED_NEWS);
  g_assert_true (cn_feed_kind_from_string ("laws", &kind));
  g_assert_cmpint (kind, ==, CN_FEED_LAWS);
  g_assert_false (cn_feed_kind_from_string ("atom", &kind));
  g_assert_false (cn_feed_kind_from_string (NULL, &kind));
  g_assert_cmpstr (cn_feed_kind_to_string (CN_FEED_NEWS), ==, "news");
  g_assert_cmpstr (cn_feed_kind_to_string (CN_FEED_LAWS), ==, "laws");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rss/news/old", test_news_old);
  g_test_add_func ("/rss/news/new", test_news_new);
  g_test_add_func ("/rss/ids", test_ids);
  g_test_add_func ("/rss/laws/seed", test_laws);
  g_test_add_func ("/rss/laws/variants", test_laws_variants);
  g_test_add_func ("/rss/dates", test_dates);
  g_test_add_func ("/rss/broken/fixtures", test_broken_fixtures);
  g_test_add_func ("/rss/broken/inline", test_broken_inline);
  g_test_add_func ("/rss/broken/too-large", test_too_large);
  g_test_add_func ("/rss/broken/long-quote", test_long_quote);
  g_test_add_func ("/rss/broken/deep-xml", test_deep_nesting);
  g_test_add_func ("/rss/broken/crowded-tags", test_crowded_tags);
  g_test_add_func ("/rss/news/big", test_big_feed);
  g_test_add_func ("/rss/feed-kind", test_feed_kind);
  g_test_add_func ("/rss/news/source", test_source);
  g_test_add_func ("/html/sanitize", test_sanitize);
  g_test_add_func ("/html/deep", test_deep_html);
  g_test_add_func ("/html/to-text", test_to_text);

  return g_test_run ();
}
