/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "caunoi-core.h"
#include "store-test-util.h"

/* Records drawn from the seed page: the article, a document, and workflow records. */

#define ARTICLE_BODY \
  "<p>Với 23 xã, thị trấn trực thuộc, BTV Huyện ủy Can Lộc đã thành lập các đoàn công " \
  "tác chỉ đạo cơ sở.</p><p><img src=\\\"a.jpg\\\"/>Ðoàn công tác của Huyện ủy Can Lộc " \
  "làm việc với BTV Đảng ủy xã Tiến Lộc về chương trình xây dựng <b>nông thôn mới</b> " \
  "tại địa phương.</p>"

typedef struct {
  StoreFixture  base;
  char         *article_id;
  char         *document_id;
  char         *task_id;
  char         *other_id;
} SearchFixture;

static char *
put_id (CnStore    *store,
        const char *collection,
        const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnRecord) record = put_json (store, collection, NULL, json, &error);

  g_assert_no_error (error);
  return g_strdup (cn_record_get_id (record));
}

static void
search_set_up (SearchFixture *fixture,
               gconstpointer  data)
{
  CnStore *store;

  store_fixture_set_up (&fixture->base, data);
  store = fixture->base.store;

  fixture->article_id = put_id (store, "article",
    "{\"title\": \"Cầu nối giữa cấp ủy huyện và cơ sở\","
    " \"lead\": \"Những đổi thay tại các địa phương cho thấy đoàn công tác là cầu nối.\","
    " \"body_html\": \"" ARTICLE_BODY "\","
    " \"author\": \"Mạnh Hà\", \"published_at\": \"2015-07-01T16:20:00Z\"}");
  fixture->document_id = put_id (store, "document",
    "{\"number\": \"4414/UBND-NL5\", \"title\": \"Về việc triển khai Chương trình OCOP\","
    " \"issuer\": \"UBND tỉnh Hà Tĩnh\", \"doc_type\": \"Công văn\", \"field\": \"OCOP\"}");
  fixture->task_id = put_id (store, "task",
    "{\"title\": \"Hoàn thành đường giao thông liên thôn\", \"status\": \"open\","
    " \"description\": \"Bê tông hóa 2 km đường trục xã\"}");
  fixture->other_id = put_id (store, "article",
    "{\"title\": \"Hội nghị tổng kết\", \"lead\": \"Một bài không liên quan.\","
    " \"body_html\": \"<p>Bàn về cầu nối khác.</p>\"}");
}

static void
search_tear_down (SearchFixture *fixture,
                  gconstpointer  data)
{
  g_free (fixture->article_id);
  g_free (fixture->document_id);
  g_free (fixture->task_id);
  g_free (fixture->other_id);
  store_fixture_tear_down (&fixture->base, data);
}

static GPtrArray *
search (SearchFixture *fixture,
        const char    *text,
        const char    *collection)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *hits = cn_store_search (fixture->base.store, text, collection, 20, "[", "]",
                                     &error);

  g_assert_no_error (error);
  g_assert_nonnull (hits);
  return hits;
}

static CnSearchHit *
find_hit (GPtrArray  *hits,
          const char *id)
{
  for (guint i = 0; i < hits->len; i++)
    {
      CnSearchHit *hit = g_ptr_array_index (hits, i);

      if (g_strcmp0 (hit->id, id) == 0)
        return hit;
    }
  return NULL;
}

static void
assert_finds_article (SearchFixture *fixture,
                      const char    *text)
{
  g_autoptr(GPtrArray) hits = search (fixture, text, NULL);
  CnSearchHit *hit;

  g_test_message ("query: %s", text);
  g_assert_cmpuint (hits->len, ==, 1);
  hit = g_ptr_array_index (hits, 0);
  g_assert_cmpstr (hit->id, ==, fixture->article_id);
  g_assert_cmpstr (hit->collection, ==, "article");
  g_assert_cmpstr (hit->title, ==, "Cầu nối giữa cấp ủy huyện và cơ sở");
  /* The snippet shows the original accented words, marked. */
  g_assert_nonnull (strstr (hit->snippet, "[nông] [thôn] [mới]"));
}

static void
test_folded (SearchFixture *fixture,
             gconstpointer  data)
{
  g_autofree char *nfd = g_utf8_normalize ("nông thôn mới", -1, G_NORMALIZE_NFD);

  g_assert_cmpstr (nfd, !=, "nông thôn mới");
  assert_finds_article (fixture, "nong thon moi");
  assert_finds_article (fixture, "NÔNG THÔN MỚI");
  assert_finds_article (fixture, "Nông Thôn Mới");
  assert_finds_article (fixture, nfd);
  assert_finds_article (fixture, "  nong   thon moi  ");
}

static void
test_d_stroke (SearchFixture *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) hits = search (fixture, "duong giao thong", NULL);
  g_autoptr(GPtrArray) eth = search (fixture, "doan cong tac tien loc", NULL);
  CnSearchHit *hit;

  g_assert_cmpuint (hits->len, ==, 1);
  hit = g_ptr_array_index (hits, 0);
  g_assert_cmpstr (hit->id, ==, fixture->task_id);
  g_assert_cmpstr (hit->collection, ==, "task");
  g_assert_nonnull (strstr (hit->snippet, "[đường] [giao] [thông]"));

  /* The page writes "Ðoàn" with the look-alike Ð (U+00D0): it folds to d as well. */
  g_assert_nonnull (find_hit (eth, fixture->article_id));
}

static void
test_document_number (SearchFixture *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) hits = search (fixture, "4414/UBND-NL5", NULL);
  g_autoptr(GPtrArray) lower = search (fixture, "4414/ubnd-nl5", NULL);
  g_autoptr(GPtrArray) part = search (fixture, "4414", NULL);
  g_autoptr(GPtrArray) wrong = search (fixture, "4415/UBND-NL5", NULL);
  CnSearchHit *hit;

  g_assert_cmpuint (hits->len, ==, 1);
  hit = g_ptr_array_index (hits, 0);
  g_assert_cmpstr (hit->id, ==, fixture->document_id);
  g_assert_cmpstr (hit->collection, ==, "document");
  g_assert_nonnull (strstr (hit->title, "4414/UBND-NL5"));
  g_assert_nonnull (strstr (hit->snippet, "[4414/UBND-NL5]"));
  g_assert_cmpuint (lower->len, ==, 1);
  g_assert_cmpuint (part->len, ==, 1);
  g_assert_cmpuint (wrong->len, ==, 0);
}

static void
test_nothing (SearchFixture *fixture,
              gconstpointer  data)
{
  const char *queries[] = { "xqzvkw", "nong thon xyz", "task", "article", "document", "!!! ??? ...", "", "   ", "\"", "*",
                            "NEAR(a b)", "title:cau", "a AND OR NOT", "\xff\xfe" };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(GPtrArray) hits = search (fixture, queries[i], NULL);
      g_autofree char *escaped = g_strescape (queries[i], NULL);

      g_test_message ("query: %s", escaped);
      g_assert_cmpuint (hits->len, ==, 0);
    }
}

static void
test_prefix (SearchFixture *fixture,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) typing = search (fixture, "nong thon m", NULL);
  g_autoptr(GPtrArray) two = search (fixture, "ti", NULL);
  g_autoptr(GPtrArray) done = search (fixture, "tien ", NULL);
  g_autoptr(GPtrArray) done_prefix = search (fixture, "tie ", NULL);
  g_autoptr(GPtrArray) long_prefix = search (fixture, "chuon", NULL);
  g_autoptr(GPtrArray) letter = search (fixture, "nong thon m", NULL);

  g_assert_nonnull (find_hit (typing, fixture->article_id));
  g_assert_nonnull (find_hit (two, fixture->article_id));
  g_assert_nonnull (find_hit (done, fixture->article_id));
  /* A word followed by a space is whole: "tie " is not "tiến". */
  g_assert_cmpuint (done_prefix->len, ==, 0);
  /* An unfinished long word ("chuon" for "chương") still matches, through the wider query. */
  g_assert_nonnull (find_hit (long_prefix, fixture->article_id));
  g_assert_nonnull (find_hit (letter, fixture->article_id));
}

/* Every hit carries the snippet of its own record: the articles with the words in their
 * title first, then the others, the newest first among equals; also with no limit. */
static gboolean
snippet_is_own (const char *snippet,
                guint       number)
{
  g_autofree char *in_title = g_strdup_printf ("số %u: [nông] [thôn] [mới] [kiểu]", number);
  g_autofree char *in_body = g_strdup_printf ("điểm số %u đạt chuẩn [nông] [thôn] [mới] [kiểu] mẫu",
                                              number);

  return strstr (snippet, in_title) != NULL || strstr (snippet, in_body) != NULL;
}

static void
test_snippet_per_hit (SearchFixture *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const guint n_articles = 25;

  for (guint i = 1; i <= n_articles; i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{\"title\": \"Bài số %u%s\", \"body_html\": \"<p>Trước đó là đoạn mở đầu dài "
        "về hội nghị.</p><p>Xã điểm số %u đạt chuẩn nông thôn mới kiểu mẫu năm nay.</p>\"}",
        i, i % 5 == 0 ? ": nông thôn mới kiểu mẫu" : "", i);

      g_free (put_id (fixture->base.store, "article", json));
    }
  for (guint i = n_articles; i > 0; i--)
    if (i % 5 == 0)
      g_ptr_array_add (expected, g_strdup_printf ("Bài số %u: nông thôn mới kiểu mẫu", i));
  for (guint i = n_articles; i > 0; i--)
    if (i % 5 != 0)
      g_ptr_array_add (expected, g_strdup_printf ("Bài số %u", i));

  hits = search (fixture, "nong thon moi kieu", NULL);
  g_assert_cmpuint (hits->len, ==, 20);
  all = cn_store_search (fixture->base.store, "nong thon moi kieu", NULL, 0, "[", "]", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, n_articles);
  for (guint i = 0; i < all->len; i++)
    {
      CnSearchHit *hit = g_ptr_array_index (all, i);
      guint number = (guint) g_ascii_strtoull (hit->title + strlen ("Bài số "), NULL, 10);

      g_test_message ("hit %u: %s: %s", i, hit->title, hit->snippet);
      g_assert_cmpstr (hit->title, ==, g_ptr_array_index (expected, i));
      g_assert_true (snippet_is_own (hit->snippet, number));
      if (i < hits->len)
        {
          CnSearchHit *limited = g_ptr_array_index (hits, i);

          g_assert_cmpstr (limited->id, ==, hit->id);
          g_assert_cmpstr (limited->snippet, ==, hit->snippet);
        }
    }
}

/* A long unfinished word shows the records holding it as a whole word first, then those
 * with longer words it starts, each with its own words marked. */
static void
test_prefix_widening (SearchFixture *fixture,
                      gconstpointer  data)
{
  g_autofree char *festival_id = put_id (fixture->base.store, "article",
    "{\"title\": \"Lễ hội làng Hoàng Xá\", \"body_html\": \"<p>Rước kiệu.</p>\"}");
  g_autoptr(GPtrArray) typing = search (fixture, "hoan", NULL);
  g_autoptr(GPtrArray) finished = search (fixture, "hoan ", NULL);
  g_autoptr(GPtrArray) one = NULL;
  g_autoptr(GError) error = NULL;
  CnSearchHit *hit;

  g_assert_cmpuint (typing->len, ==, 2);
  hit = g_ptr_array_index (typing, 0);
  g_assert_cmpstr (hit->id, ==, fixture->task_id);
  g_assert_nonnull (strstr (hit->snippet, "[Hoàn] thành"));
  hit = g_ptr_array_index (typing, 1);
  g_assert_cmpstr (hit->id, ==, festival_id);
  g_assert_nonnull (strstr (hit->snippet, "làng [Hoàng] Xá"));

  g_assert_cmpuint (finished->len, ==, 1);
  g_assert_cmpstr (((CnSearchHit *) g_ptr_array_index (finished, 0))->id, ==, fixture->task_id);

  /* With room for one, the whole word wins. */
  one = cn_store_search (fixture->base.store, "hoan", NULL, 1, "[", "]", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (one->len, ==, 1);
  g_assert_cmpstr (((CnSearchHit *) g_ptr_array_index (one, 0))->id, ==, fixture->task_id);
}

static void
test_title_weight (SearchFixture *fixture,
                   gconstpointer  data)
{
  /* "cầu nối" is the article's title and only in the other article's body. */
  g_autoptr(GPtrArray) hits = search (fixture, "cau noi", NULL);

  g_assert_cmpuint (hits->len, ==, 2);
  g_assert_cmpstr (((CnSearchHit *) g_ptr_array_index (hits, 0))->id, ==, fixture->article_id);
  g_assert_cmpstr (((CnSearchHit *) g_ptr_array_index (hits, 1))->id, ==, fixture->other_id);
}

static void
test_collection_filter (SearchFixture *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) all = search (fixture, "thon", NULL);
  g_autoptr(GPtrArray) tasks = search (fixture, "thon", "task");
  g_autoptr(GPtrArray) events = search (fixture, "thon", "task_event");
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpuint (tasks->len, ==, 1);
  g_assert_cmpstr (((CnSearchHit *) g_ptr_array_index (tasks, 0))->id, ==, fixture->task_id);
  g_assert_nonnull (strstr (((CnSearchHit *) g_ptr_array_index (tasks, 0))->snippet,
                            "liên [thôn]"));
  g_assert_cmpuint (events->len, ==, 0);

  {
    g_autoptr(GPtrArray) bare = cn_store_search (fixture->base.store, "thon", "task", 10, NULL,
                                                 NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (bare->len, ==, 1);
    g_assert_null (((CnSearchHit *) g_ptr_array_index (bare, 0))->snippet);
  }

  g_assert_null (cn_store_search (fixture->base.store, "thon", "newspaper", 10, "", "", &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_INVALID);
}

static void
test_follows_edits (SearchFixture *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnRecord) edited = NULL;
  g_autoptr(GPtrArray) old_words = NULL;
  g_autoptr(GPtrArray) new_words = NULL;
  g_autoptr(GPtrArray) after_delete = NULL;

  edited = patch_json (fixture->base.store, fixture->task_id,
                       "{\"title\": \"Sửa chữa trạm bơm thủy lợi\"}", &error);
  g_assert_no_error (error);
  old_words = search (fixture, "giao thong lien thon", NULL);
  g_assert_cmpuint (old_words->len, ==, 0);
  new_words = search (fixture, "tram bom thuy loi", NULL);
  g_assert_cmpuint (new_words->len, ==, 1);

  g_assert_true (cn_store_delete (fixture->base.store, fixture->task_id, &error));
  after_delete = search (fixture, "tram bom thuy loi", NULL);
  g_assert_cmpuint (after_delete->len, ==, 0);
}

/* Applies a one-record pull page: a server article at revision rev, or its tombstone. */
static void
pull_article (CnStore    *store,
              const char *id,
              gint64      rev,
              const char *data_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonObject) data = NULL;
  g_autofree char *cursor = g_strdup_printf ("%" G_GINT64_FORMAT, rev);

  if (data_json != NULL)
    {
      g_autoptr(JsonNode) node = json_from_string (data_json, &error);

      g_assert_no_error (error);
      data = json_object_ref (json_node_get_object (node));
    }
  g_ptr_array_add (page, cn_record_new ("article", id, rev, data_json == NULL,
                                        "2026-11-25T10:00:00Z", "editor", data));
  g_assert_true (cn_store_apply_pull_page (store, page, cursor, NULL, &error));
  g_assert_no_error (error);
}

/* Pulled records are searchable as soon as their page is written, and a newer version or a
 * tombstone pulled later replaces their text: a record new to the store gets its full-text
 * row without a delete first, a known one has its old row replaced. */
static void
test_follows_pulls (SearchFixture *fixture,
                    gconstpointer  data)
{
  static const char *id = "7d0f8a52-1b3c-4e5d-9f60-718293a4b5c6";
  CnStore *store = fixture->base.store;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) old_words = NULL;
  g_autoptr(GPtrArray) new_words = NULL;
  g_autoptr(GPtrArray) gone = NULL;
  CnSearchHit *hit;

  pull_article (store, id, 1,
                "{\"title\": \"Khánh thành nhà văn hóa thôn\","
                " \"body_html\": \"<p>Nhà văn hóa <b>Đông Hà</b> đón bà con.</p>\"}");
  first = search (fixture, "dong ha", NULL);
  g_assert_cmpuint (first->len, ==, 1);
  hit = g_ptr_array_index (first, 0);
  g_assert_cmpstr (hit->id, ==, id);
  g_assert_cmpstr (hit->title, ==, "Khánh thành nhà văn hóa thôn");
  g_assert_nonnull (strstr (hit->snippet, "[Đông] [Hà]"));

  pull_article (store, id, 2,
                "{\"title\": \"Khánh thành trạm y tế xã\","
                " \"body_html\": \"<p>Trạm y tế <i>Thạch Kênh</i> mở cửa.</p>\"}");
  old_words = search (fixture, "dong ha", NULL);
  g_assert_cmpuint (old_words->len, ==, 0);
  new_words = search (fixture, "thach kenh", NULL);
  g_assert_cmpuint (new_words->len, ==, 1);
  g_assert_cmpstr (((CnSearchHit *) g_ptr_array_index (new_words, 0))->title, ==,
                   "Khánh thành trạm y tế xã");

  pull_article (store, id, 3, NULL);
  gone = search (fixture, "thach kenh", NULL);
  g_assert_cmpuint (gone->len, ==, 0);
}

static void
test_deferred_indexing (SearchFixture *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) stale = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) first_half = NULL;
  g_autoptr(CnRecord) edited = NULL;
  g_autofree char *new_id = NULL;
  CnStore *store = fixture->base.store;
  guint left = 99;

  cn_store_set_defer_indexing (store, TRUE);
  new_id = put_id (store, "task", "{\"title\": \"Kiên cố hóa kênh mương nội đồng\", "
                                  "\"status\": \"open\"}");
  for (guint i = 0; i < 3; i++)
    g_free (put_id (store, "task", "{\"title\": \"Trồng cây xanh\", \"status\": \"open\"}"));
  edited = patch_json (store, fixture->task_id, "{\"title\": \"Nạo vét ao hồ\"}", &error);
  g_assert_no_error (error);

  /* Not indexed yet, but the old text of the edited task is gone already. */
  before = search (fixture, "kien co hoa kenh muong", NULL);
  g_assert_cmpuint (before->len, ==, 0);
  stale = search (fixture, "giao thong lien thon", NULL);
  g_assert_cmpuint (stale->len, ==, 0);

  g_assert_true (cn_store_index_pending (store, 2, &left, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (left, ==, 3);
  /* Newest rows first: two of the three tree plantings are in. */
  first_half = search (fixture, "trong cay xanh", NULL);
  g_assert_cmpuint (first_half->len, ==, 2);

  g_assert_true (cn_store_index_pending (store, 0, &left, &error));
  g_assert_cmpuint (left, ==, 0);
  after = search (fixture, "kien co hoa kenh muong", NULL);
  g_assert_cmpuint (after->len, ==, 1);
  g_assert_cmpstr (((CnSearchHit *) g_ptr_array_index (after, 0))->id, ==, new_id);
  g_clear_pointer (&after, g_ptr_array_unref);
  after = search (fixture, "trong cay xanh", NULL);
  g_assert_cmpuint (after->len, ==, 3);
  g_clear_pointer (&after, g_ptr_array_unref);
  after = search (fixture, "nao vet ao ho", NULL);
  g_assert_cmpuint (after->len, ==, 1);

  /* Nothing left: indexing again is a no-op. */
  g_assert_true (cn_store_index_pending (store, 0, &left, &error));
  g_assert_cmpuint (left, ==, 0);
}

static void
test_tokenizer (void)
{
  struct {
    const char *text;
    const char *words;
  } cases[] = {
    { "4414/UBND-NL5", "4414 ubnd nl5" },
    { "Nông thôn MỚI", "nong thon moi" },
    { "Đường, đường!", "duong duong" },
    { "Ðoàn", "doan" },
    { "  ", "" },
    { "a\xff" "b", "a b" },
    { "\001taskevent x", "\001taskevent x" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) words = cn_fts_tokenize (cases[i].text);
      g_autofree char *joined = NULL;

      g_ptr_array_add (words, NULL);
      joined = g_strjoinv (" ", (char **) words->pdata);
      g_assert_cmpstr (joined, ==, cases[i].words);
    }
}

/* The tokenizer's table of Latin letters folds exactly as cn_fold() does. */
static void
test_tokenizer_matches_fold (void)
{
  static const gunichar ranges[][2] = { { 0x80, 0x370 }, { 0x1E00, 0x1F00 } };

  for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
    for (gunichar c = ranges[r][0]; c < ranges[r][1]; c++)
      {
        char text[8] = { 0 };
        g_autofree char *folded = NULL;
        g_autoptr(GString) expected = g_string_new (NULL);
        g_autoptr(GPtrArray) words = NULL;
        gboolean word = g_unichar_isalnum (c) || g_unichar_ismark (c);

        g_unichar_to_utf8 (c, text);
        words = cn_fts_tokenize (text);
        folded = cn_fold (text, -1);
        for (const char *p = folded; word && *p; p = g_utf8_next_char (p))
          {
            gunichar f = g_utf8_get_char (p);

            if (g_unichar_isalnum (f) || g_unichar_ismark (f))
              g_string_append_unichar (expected, f);
          }

        if (expected->len == 0)
          g_assert_cmpuint (words->len, ==, 0);
        else
          {
            g_assert_cmpuint (words->len, ==, 1);
            g_assert_cmpstr (g_ptr_array_index (words, 0), ==, expected->str);
          }
      }
}

static void
test_build_query (void)
{
  g_autofree char *typing = cn_fts_build_query ("nong thon mo");
  g_autofree char *done = cn_fts_build_query ("nong thon ");
  g_autofree char *quoted = cn_fts_build_query ("say \"hi\"");
  g_autofree char *empty = cn_fts_build_query (" ?! ");
  g_autofree char *letter = cn_fts_build_query ("nong thon m");
  g_autofree char *only_letter = cn_fts_build_query ("m");
  g_autofree char *long_short = cn_fts_build_query_full ("nong tho", CN_FTS_PREFIX_SHORT);
  g_autofree char *long_word = cn_fts_build_query_full ("nong thon", CN_FTS_PREFIX_SHORT);
  g_autofree char *long_any = cn_fts_build_query_full ("nong thon", CN_FTS_PREFIX_ANY);
  g_autofree char *none = cn_fts_build_query_full ("nong thon", CN_FTS_PREFIX_NONE);
  g_autofree char *marker = cn_fts_build_query ("\001task");

  g_assert_cmpstr (typing, ==, "\"nong\" \"thon\" \"mo\"*");
  g_assert_cmpstr (done, ==, "\"nong\" \"thon\"");
  g_assert_cmpstr (quoted, ==, "\"say\" \"\"\"hi\"\"\"*");
  g_assert_null (empty);
  g_assert_cmpstr (letter, ==, "\"nong\" \"thon\"");
  g_assert_null (only_letter);
  g_assert_cmpstr (long_short, ==, "\"nong\" \"tho\"*");
  g_assert_cmpstr (long_word, ==, "\"nong\" \"thon\"");
  g_assert_cmpstr (long_any, ==, "\"nong\" \"thon\"*");
  g_assert_cmpstr (none, ==, "\"nong\" \"thon\"");
  /* Typed text never reaches the store's marker words. */
  g_assert_cmpstr (marker, ==, "\"task\"*");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/search/" name, SearchFixture, NULL, search_set_up, func, search_tear_down)

  ADD ("folded", test_folded);
  ADD ("d-stroke", test_d_stroke);
  ADD ("document-number", test_document_number);
  ADD ("nothing", test_nothing);
  ADD ("prefix", test_prefix);
  ADD ("snippet-per-hit", test_snippet_per_hit);
  ADD ("prefix-widening", test_prefix_widening);
  ADD ("title-weight", test_title_weight);
  ADD ("collection-filter", test_collection_filter);
  ADD ("follows-edits", test_follows_edits);
  ADD ("deferred-indexing", test_deferred_indexing);
  ADD ("follows-pulls", test_follows_pulls);
  g_test_add_func ("/search/tokenizer", test_tokenizer);
  g_test_add_func ("/search/tokenizer-matches-fold", test_tokenizer_matches_fold);
  g_test_add_func ("/search/build-query", test_build_query);

  return g_test_run ();
}
