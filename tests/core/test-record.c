/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cn-error.h"
#include "cn-record.h"
#include "cn-schema.h"
#include "cn-time.h"

#define UUID_A "3f2b8c1e-5d4a-4c6b-9e7f-0a1b2c3d4e5f"
#define UUID_B "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"

#define VISIT_JSON \
  "{\"seq\": 17, \"collection\": \"visit\", \"id\": \"" UUID_A "\", \"rev\": 4, " \
  "\"deleted\": false, \"updated_at\": \"2015-06-06T09:30:00Z\", \"updated_by\": \"tranquy\", " \
  "\"data\": {\"commune_id\": \"" UUID_B "\", \"date\": \"2015-06-06\", " \
  "\"led_by\": [\"" UUID_A "\", \"" UUID_B "\"], " \
  "\"topics\": [\"Về đích nông thôn mới năm 2015\"], \"notes\": \"Ghi chép\\nhai dòng\", " \
  "\"attachments\": [{\"name\": \"bien-ban.pdf\", " \
  "\"sha256\": \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\", " \
  "\"size\": 0, \"mime\": \"application/pdf\"}]}}"

static void
test_record_new_local (void)
{
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(CnRecord) a = NULL;
  g_autoptr(CnRecord) b = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (data, "title", "Hoàn thiện tiêu chí giao thông");
  json_object_set_string_member (data, "status", "open");
  a = cn_record_new_local ("task", data);
  b = cn_record_new_local ("task", data);

  g_assert_true (cn_schema_is_valid_uuid (cn_record_get_id (a)));
  g_assert_cmpstr (cn_record_get_id (a), !=, cn_record_get_id (b));
  g_assert_cmpstr (cn_record_get_collection (a), ==, "task");
  g_assert_cmpint (cn_record_get_rev (a), ==, 0);
  g_assert_cmpint (cn_record_get_seq (a), ==, 0);
  g_assert_false (cn_record_get_deleted (a));
  g_assert_true (cn_time_is_utc_rfc3339 (cn_record_get_updated_at (a)));
  g_assert_null (cn_record_get_updated_by (a));
  g_assert_cmpstr (cn_record_get_title (a), ==, "Hoàn thiện tiêu chí giao thông");
  g_assert_cmpstr (cn_record_get_string (a, "status"), ==, "open");
  g_assert_true (cn_record_validate (a, &error));
  g_assert_no_error (error);
}

static void
test_record_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnRecord) record = cn_record_from_string (VISIT_JSON, -1, &error);
  g_autoptr(CnRecord) again = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  g_auto(GStrv) led_by = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_assert_cmpint (cn_record_get_seq (record), ==, 17);
  g_assert_cmpint (cn_record_get_rev (record), ==, 4);
  g_assert_cmpstr (cn_record_get_id (record), ==, UUID_A);
  g_assert_cmpstr (cn_record_get_updated_by (record), ==, "tranquy");
  g_assert_cmpstr (cn_record_get_updated_at (record), ==, "2015-06-06T09:30:00Z");
  g_assert_cmpstr (cn_record_get_title (record), ==, "2015-06-06 — Về đích nông thôn mới năm 2015");
  g_assert_cmpstr (cn_record_get_string (record, "notes"), ==, "Ghi chép\nhai dòng");
  g_assert_null (cn_record_get_string (record, "led_by"));
  g_assert_null (cn_record_get_string (record, "conclusions"));
  led_by = cn_record_dup_strv (record, "led_by");
  g_assert_cmpuint (g_strv_length (led_by), ==, 2);
  g_assert_cmpstr (led_by[1], ==, UUID_B);
  g_assert_null (cn_record_dup_strv (record, "notes"));

  text = cn_record_to_string (record);
  again = cn_record_from_string (text, -1, &error);
  g_assert_no_error (error);
  text_again = cn_record_to_string (again);
  g_assert_cmpstr (text, ==, text_again);

  /* the parsed wire form equals the original, member by member */
  node = cn_json_parse_checked (VISIT_JSON, -1, &error);
  g_assert_no_error (error);
  {
    g_autoptr(JsonNode) out = cn_record_to_json (record);

    g_assert_true (json_node_equal (node, out));
  }
}

static void
test_record_tombstone (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnRecord) record = cn_record_from_string (
    "{\"collection\": \"task\", \"id\": \"" UUID_A "\", \"rev\": 9, \"deleted\": true, "
    "\"updated_at\": \"2016-01-01T00:00:00Z\", \"updated_by\": null}", -1, &error);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  g_assert_no_error (error);
  g_assert_true (cn_record_get_deleted (record));
  g_assert_null (cn_record_get_updated_by (record));
  g_assert_cmpuint (json_object_get_size (cn_record_get_data (record)), ==, 0);
  g_assert_true (cn_record_validate (record, NULL));
  g_assert_cmpstr (cn_record_get_title (record), ==, "Task");

  node = cn_record_to_json (record);
  object = json_node_get_object (node);
  g_assert_false (json_object_has_member (object, "seq"));
  g_assert_true (json_object_get_boolean_member (object, "deleted"));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "data")));
}

static void
test_record_copy (void)
{
  g_autoptr(CnRecord) record = cn_record_from_string (VISIT_JSON, -1, NULL);
  g_autoptr(CnRecord) copy = cn_record_copy (record);
  g_autofree char *before = cn_record_to_string (record);
  g_autofree char *copied = cn_record_to_string (copy);
  g_autofree char *after = NULL;
  JsonArray *topics;

  g_assert_cmpstr (before, ==, copied);

  topics = json_object_get_array_member (cn_record_get_data (copy), "topics");
  json_array_add_string_element (topics, "Thêm");
  json_object_set_string_member (cn_record_get_data (copy), "notes", "khác");
  cn_record_set_rev (copy, 5);

  after = cn_record_to_string (record);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (cn_record_get_rev (record), ==, 4);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_record_setters (void)
{
  g_autoptr(CnRecord) record = cn_record_from_string (VISIT_JSON, -1, NULL);
  g_autoptr(JsonObject) data = json_object_new ();
  g_autofree char *title = NULL;
  guint title_changes = 0, rev_changes = 0;

  g_signal_connect (record, "notify::title", G_CALLBACK (count_notify), &title_changes);
  g_signal_connect (record, "notify::rev", G_CALLBACK (count_notify), &rev_changes);

  cn_record_set_rev (record, 4);
  g_assert_cmpuint (rev_changes, ==, 0);
  cn_record_set_rev (record, 5);
  g_assert_cmpuint (rev_changes, ==, 1);

  json_object_set_string_member (data, "commune_id", UUID_B);
  json_object_set_string_member (data, "date", "2015-07-01");
  cn_record_set_data (record, data);
  g_assert_cmpuint (title_changes, ==, 1);
  g_object_get (record, "title", &title, NULL);
  g_assert_cmpstr (title, ==, "2015-07-01");

  cn_record_set_deleted (record, TRUE);
  cn_record_set_updated_by (record, "hoa");
  cn_record_set_updated_at (record, "2015-07-02T00:00:00Z");
  cn_record_set_seq (record, 99);
  g_assert_true (cn_record_get_deleted (record));
  g_assert_cmpstr (cn_record_get_updated_by (record), ==, "hoa");
  g_assert_cmpstr (cn_record_get_updated_at (record), ==, "2015-07-02T00:00:00Z");
  g_assert_cmpint (cn_record_get_seq (record), ==, 99);

  /* typed getters */
  json_object_set_int_member (data, "size", 12);
  json_object_set_boolean_member (data, "attended", TRUE);
  g_assert_cmpint (cn_record_get_int (record, "size"), ==, 12);
  g_assert_cmpint (cn_record_get_int (record, "date"), ==, 0);
  g_assert_true (cn_record_get_bool (record, "attended"));
  g_assert_false (cn_record_get_bool (record, "size"));
}

static void
test_record_errors (void)
{
  static const struct { const char *json; int code; const char *needle; } cases[] = {
    { "[]", CN_ERROR_INVALID, "JSON object" },
    { "{\"collection\": \"visit\", \"id\": \"" UUID_A "\", \"rev\": 0, \"updated_at\": "
      "\"2015-06-06T09:30:00Z\", \"data\": {}, \"base_rev\": 1}",
      CN_ERROR_UNKNOWN_FIELD, "“base_rev”" },
    { "{\"collection\": \"visits\", \"id\": \"" UUID_A "\", \"rev\": 0, \"updated_at\": "
      "\"2015-06-06T09:30:00Z\", \"data\": {}}", CN_ERROR_INVALID, "Unknown collection “visits”" },
    { "{\"id\": \"" UUID_A "\", \"rev\": 0, \"updated_at\": \"2015-06-06T09:30:00Z\", "
      "\"data\": {}}",
      CN_ERROR_INVALID, "“collection”" },
    { "{\"collection\": \"task\", \"id\": \"1234\", \"rev\": 0, \"updated_at\": "
      "\"2015-06-06T09:30:00Z\", \"data\": {}}", CN_ERROR_INVALID, "“id”" },
    { "{\"collection\": \"task\", \"id\": 5, \"rev\": 0, \"updated_at\": "
      "\"2015-06-06T09:30:00Z\", \"data\": {}}", CN_ERROR_INVALID, "“id”" },
    { "{\"collection\": \"task\", \"id\": \"" UUID_A "\", \"rev\": -1, \"updated_at\": "
      "\"2015-06-06T09:30:00Z\", \"data\": {}}", CN_ERROR_INVALID, "“rev”" },
    { "{\"collection\": \"task\", \"id\": \"" UUID_A "\", \"rev\": 1.5, \"updated_at\": "
      "\"2015-06-06T09:30:00Z\", \"data\": {}}", CN_ERROR_INVALID, "“rev”" },
    { "{\"collection\": \"task\", \"id\": \"" UUID_A "\", \"rev\": \"1\", \"updated_at\": "
      "\"2015-06-06T09:30:00Z\", \"data\": {}}", CN_ERROR_INVALID, "“rev”" },
    { "{\"collection\": \"task\", \"id\": \"" UUID_A "\", \"rev\": 1, \"seq\": -3, \"updated_at\": "
      "\"2015-06-06T09:30:00Z\", \"data\": {}}", CN_ERROR_INVALID, "“seq”" },
    { "{\"collection\": \"task\", \"id\": \"" UUID_A "\", \"rev\": 1, \"deleted\": 0, "
      "\"updated_at\": "
      "\"2015-06-06T09:30:00Z\", \"data\": {}}", CN_ERROR_INVALID, "“deleted”" },
    { "{\"collection\": \"task\", \"id\": \"" UUID_A "\", \"rev\": 1, \"updated_at\": "
      "\"06/06/2015\", \"data\": {}}", CN_ERROR_INVALID, "“updated_at”" },
    { "{\"collection\": \"task\", \"id\": \"" UUID_A "\", \"rev\": 1, "
      "\"data\": {}}", CN_ERROR_INVALID, "“updated_at”" },
    { "{\"collection\": \"task\", \"id\": \"" UUID_A "\", \"rev\": 1, \"updated_at\": "
      "\"2015-06-06T09:30:00Z\", \"updated_by\": 7, \"data\": {}}",
      CN_ERROR_INVALID, "“updated_by”" },
    { "{\"collection\": \"task\", \"id\": \"" UUID_A "\", \"rev\": 1, \"updated_at\": "
      "\"2015-06-06T09:30:00Z\"}", CN_ERROR_INVALID, "“data”" },
    { "{\"collection\": \"task\", \"id\": \"" UUID_A "\", \"rev\": 1, \"updated_at\": "
      "\"2015-06-06T09:30:00Z\", \"data\": [1]}", CN_ERROR_INVALID, "“data”" },
    { "{\"collection\": \"task\", \"id\": \"" UUID_A "\", \"rev\": 1, \"updated_at\": "
      "\"2015-06-06T09:30:00Z\", \"data\": {\"title\": \"T\"}}", CN_ERROR_INVALID,
      "“status” of task is required" },
    { "{\"collection\": \"task\", \"id\": \"" UUID_A "\", \"rev\": 1, \"updated_at\": "
      "\"2015-06-06T09:30:00Z\", \"data\": {\"title\": \"T\", \"status\": \"open\", \"prio\": 1}}",
      CN_ERROR_UNKNOWN_FIELD, "“prio” in task" },
    /* text-level problems, caught before json-glib */
    { "{\"collection\": \"task\", \"id\": \"\xff\"}", CN_ERROR_INVALID, "UTF-8" },
    { "{\"collection\": ", CN_ERROR_INVALID, "Invalid JSON" },
    { "", CN_ERROR_INVALID, "" },
    { "   ", CN_ERROR_INVALID, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CnRecord) record = cn_record_from_string (cases[i].json, -1, &error);

      g_test_message ("case %u: expecting “%s”", i, cases[i].needle);
      g_assert_null (record);
      g_assert_error (error, CN_ERROR, cases[i].code);
      if (strstr (error->message, cases[i].needle) == NULL)
        g_error ("case %u: “%s” does not contain “%s”", i, error->message, cases[i].needle);
    }
}

static char *
nested (guint depth)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, "{\"a\":[");
  /* brackets inside strings do not count */
  g_string_append (s, "\"[[[{{{\\\"[[\"");
  for (guint i = 0; i < depth; i++)
    g_string_append (s, "]}");

  return g_string_free (s, FALSE);
}

static void
test_record_parse_limits (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ok = nested (CN_JSON_MAX_DEPTH / 2);
  g_autofree char *too_deep = nested (CN_JSON_MAX_DEPTH / 2 + 1);
  g_autofree char *very_deep = nested (100000);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) deep_node = NULL;
  g_autoptr(JsonNode) very_deep_node = NULL;
  g_autoptr(JsonNode) nul_node = NULL;

  node = cn_json_parse_checked (ok, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);

  deep_node = cn_json_parse_checked (too_deep, -1, &error);
  g_assert_null (deep_node);
  g_assert_error (error, CN_ERROR, CN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "32"));
  g_clear_error (&error);

  very_deep_node = cn_json_parse_checked (very_deep, -1, &error);
  g_assert_null (very_deep_node);
  g_assert_error (error, CN_ERROR, CN_ERROR_INVALID);
  g_clear_error (&error);

  /* escapes json-glib 1.6 gets wrong: a nul cuts the string, a lone surrogate makes bytes
   * that are not UTF-8 */
  {
    const char * const bad[] = {
      "{\"a\": \"x\\u0000y\"}", "[\"\\ud800x\"]", "{\"\\udc00\": 1}", "[\"a\\uD800\"]",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(JsonNode) bad_node = cn_json_parse_checked (bad[i], -1, &error);

        g_assert_null (bad_node);
        g_assert_error (error, CN_ERROR, CN_ERROR_INVALID);
        g_clear_error (&error);
      }
  }
  {
    /* …but an escaped backslash before "u0000" and a real surrogate pair are fine */
    g_autoptr(JsonNode) fine = cn_json_parse_checked ("[\"\\\\u0000\", \"\\ud83d\\ude00\"]", -1,
                                                      &error);

    g_assert_no_error (error);
    g_assert_cmpstr (json_array_get_string_element (json_node_get_array (fine), 0), ==,
                     "\\u0000");
    g_assert_cmpstr (json_array_get_string_element (json_node_get_array (fine), 1), ==,
                     "\xf0\x9f\x98\x80");
  }

  /* a nul byte inside the given length */
  nul_node = cn_json_parse_checked ("{\"a\": \"b\0c\"}", 12, &error);
  g_assert_null (nul_node);
  g_assert_error (error, CN_ERROR, CN_ERROR_INVALID);
}

static void
test_record_array (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *two = g_strdup_printf ("[%s, %s]", VISIT_JSON, VISIT_JSON);
  g_autoptr(JsonNode) node = cn_json_parse_checked (two, -1, &error);
  g_autoptr(GPtrArray) records = cn_record_array_from_json (node, &error);
  g_autoptr(JsonNode) bad = cn_json_parse_checked ("[" VISIT_JSON ", {\"id\": 1}]", -1, NULL);
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) not_array = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 2);
  g_assert_true (CN_IS_RECORD (g_ptr_array_index (records, 1)));

  none = cn_record_array_from_json (bad, &error);
  g_assert_null (none);
  g_assert_error (error, CN_ERROR, CN_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "Record 2: "));
  g_clear_error (&error);

  not_array = cn_record_array_from_json (json_array_get_element (json_node_get_array (node), 0),
                                         &error);
  g_assert_null (not_array);
  g_assert_error (error, CN_ERROR, CN_ERROR_INVALID);
}

static CnRecord *
find_by (GPtrArray  *records,
         const char *collection,
         const char *field,
         const char *value)
{
  for (guint i = 0; i < records->len; i++)
    {
      CnRecord *record = g_ptr_array_index (records, i);

      if (g_strcmp0 (cn_record_get_collection (record), collection) == 0 &&
          g_strcmp0 (cn_record_get_string (record, field), value) == 0)
        return record;
    }

  return NULL;
}

static void
check_reference (GHashTable    *by_id,
                 CnRecord      *record,
                 const CnField *field,
                 const char    *id)
{
  CnRecord *target = g_hash_table_lookup (by_id, id);

  if (target == NULL)
    g_error ("%s %s: “%s” points to %s, which is not in the sample",
             cn_record_get_collection (record), cn_record_get_id (record), field->name, id);
  g_assert_true (g_strv_contains (field->targets, cn_record_get_collection (target)));
}

/* Every file a record names is shipped in data/sample/files under its real checksum. */
static void
check_files (const char    *files_dir,
             const CnField *field,
             JsonNode      *node)
{
  JsonArray *array = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      const char *sha256 = json_object_get_string_member (object, "sha256");
      g_autofree char *path = g_build_filename (files_dir, sha256, NULL);
      g_autofree char *contents = NULL;
      g_autofree char *checksum = NULL;
      g_autoptr(GError) error = NULL;
      gsize length;

      g_file_get_contents (path, &contents, &length, &error);
      g_assert_no_error (error);
      checksum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
      g_assert_cmpstr (checksum, ==, sha256);
      if (json_object_has_member (object, "size"))
        g_assert_cmpint (json_object_get_int_member (object, "size"), ==, length);
    }
}

static JsonObject *
object_at (JsonArray *array,
           guint      index)
{
  return json_array_get_object_element (array, index);
}

static const char *
person_name (GHashTable *by_id,
             const char *id)
{
  return cn_record_get_string (g_hash_table_lookup (by_id, id), "full_name");
}

static void
check_seed_article (GPtrArray *records)
{
  CnRecord *article = find_by (records, "article", "title", "Cầu nối giữa cấp ủy huyện và cơ sở");
  g_auto(GStrv) tags = NULL;
  JsonArray *images;

  g_assert_nonnull (article);
  g_assert_cmpstr (cn_record_get_string (article, "author"), ==, "Mạnh Hà");
  g_assert_cmpstr (cn_record_get_string (article, "source"), ==, "baohatinh.vn");
  g_assert_cmpstr (cn_record_get_string (article, "published_at"), ==, "2015-07-01T16:20:00Z");
  g_assert_nonnull (strstr (cn_record_get_string (article, "body_html"),
                            "<p>Bí thư Huyện ủy Võ Hồng Hải"));

  tags = cn_record_dup_strv (article, "tags");
  g_assert_true (g_strv_contains ((const char * const *) tags, "địa phương"));

  images = json_object_get_array_member (cn_record_get_data (article), "images");
  g_assert_cmpuint (json_array_get_length (images), ==, 1);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object_at (images, 0), "caption"),
                                   "Ðoàn công tác của Huyện ủy Can Lộc làm việc với BTV Đảng ủy "
                                   "xã Tiến Lộc"));
}

/* The five documents of the seed page, and the commune criteria set with its 19 criteria */
static void
check_documents_and_criteria (GPtrArray *records)
{
  const char * const numbers[] = { "4414/UBND-NL5", "4305/UBND-NL5", "15/2024/QĐ-UBND",
                                   "3608/UBND-NL5", "211/QĐ-TTg" };
  CnRecord *doc_211 = find_by (records, "document", "number", "211/QĐ-TTg");
  CnRecord *doc_4414 = find_by (records, "document", "number", "4414/UBND-NL5");
  CnRecord *criteria;
  JsonArray *items;

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    g_assert_nonnull (find_by (records, "document", "number", numbers[i]));
  g_assert_cmpstr (cn_record_get_string (doc_211, "issuer"), ==, "Thủ tướng Chính phủ");
  g_assert_cmpstr (cn_record_get_string (doc_211, "doc_type"), ==, "Quyết định");
  g_assert_cmpstr (cn_record_get_string (doc_211, "signed_on"), ==, "2024-03-01");
  g_assert_cmpstr (cn_record_get_string (doc_4414, "doc_type"), ==, "Công văn");
  g_assert_cmpstr (cn_record_get_string (doc_4414, "field"), ==, "OCOP");

  criteria = find_by (records, "criteria_set", "name",
                      "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021 - 2025");
  g_assert_nonnull (criteria);
  g_assert_cmpstr (cn_record_get_string (criteria, "variant"), ==, "standard");
  g_assert_cmpstr (cn_record_get_string (criteria, "document_id"), ==, cn_record_get_id (doc_211));
  items = json_object_get_array_member (cn_record_get_data (criteria), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 19);
  for (guint i = 0; i < 19; i++)
    {
      g_autofree char *code = g_strdup_printf ("%u", i + 1);
      JsonArray *indicators = json_object_get_array_member (object_at (items, i), "indicators");

      g_assert_cmpstr (json_object_get_string_member (object_at (items, i), "code"), ==, code);
      g_assert_cmpuint (json_array_get_length (indicators), >=, 1);
      for (guint j = 0; j < json_array_get_length (indicators); j++)
        g_assert_true (json_object_has_member (object_at (indicators, j), "target"));
    }
  g_assert_cmpstr (json_object_get_string_member (object_at (items, 18), "name"), ==,
                   "Quốc phòng và An ninh");
}

/* The working session at Tiến Lộc on 06/06/2015 led by Trần Quý and Bùi Huy Cường */
static void
check_visit (GPtrArray  *records,
             GHashTable *by_id)
{
  CnRecord *tien_loc = find_by (records, "unit", "name", "Tiến Lộc");
  CnRecord *visit = find_by (records, "visit", "date", "2015-06-06");
  g_auto(GStrv) led_by = NULL;

  g_assert_nonnull (tien_loc);
  g_assert_nonnull (visit);
  g_assert_cmpstr (cn_record_get_string (visit, "commune_id"), ==, cn_record_get_id (tien_loc));
  led_by = cn_record_dup_strv (visit, "led_by");
  g_assert_cmpuint (g_strv_length (led_by), ==, 2);
  g_assert_cmpstr (person_name (by_id, led_by[0]), ==, "Trần Quý");
  g_assert_cmpstr (person_name (by_id, led_by[1]), ==, "Bùi Huy Cường");
  g_assert_nonnull (cn_record_get_string (visit, "conclusions"));
}

/* The status a task's history ends in */
static const char *
last_event_status (GPtrArray *records,
                   CnRecord  *task)
{
  const char *last_status = NULL, *last_at = NULL;

  for (guint i = 0; i < records->len; i++)
    {
      CnRecord *event = g_ptr_array_index (records, i);
      const char *at = cn_record_get_string (event, "at");

      if (g_str_equal (cn_record_get_collection (event), "task_event") &&
          g_strcmp0 (cn_record_get_string (event, "task_id"), cn_record_get_id (task)) == 0 &&
          (last_at == NULL || strcmp (at, last_at) > 0))
        {
          last_at = at;
          last_status = cn_record_get_string (event, "to_status");
        }
    }

  return last_status;
}

static gboolean
criteria_set_has_code (CnRecord   *set,
                       const char *code)
{
  JsonArray *items = json_object_get_array_member (cn_record_get_data (set), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      if (g_str_equal (json_object_get_string_member (object_at (items, i), "code"), code))
        return TRUE;
    }

  return FALSE;
}

/* Delegations of the five regions, tasks (some overdue) with their history, assessments */
static void
check_workflow (GPtrArray  *records,
                GHashTable *by_id)
{
  g_autoptr(GHashTable) regions = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *today = cn_time_today ();
  guint n_overdue = 0, n_tasks = 0, n_assessments = 0, n_delegations = 0;

  for (guint i = 0; i < records->len; i++)
    {
      CnRecord *record = g_ptr_array_index (records, i);
      const char *collection = cn_record_get_collection (record);

      if (g_str_equal (collection, "delegation"))
        {
          n_delegations++;
          g_hash_table_add (regions, (gpointer) cn_record_get_string (record, "region"));
        }
      else if (g_str_equal (collection, "task"))
        {
          const char *due = cn_record_get_string (record, "due_on");
          const char *status = cn_record_get_string (record, "status");

          n_tasks++;
          if (due != NULL && strcmp (due, today) < 0 &&
              !g_str_equal (status, "done") && !g_str_equal (status, "dropped"))
            n_overdue++;
          g_assert_cmpstr (last_event_status (records, record), ==, status);
        }
      else if (g_str_equal (collection, "assessment"))
        {
          const char *set_id = cn_record_get_string (record, "criteria_set_id");

          g_assert_true (criteria_set_has_code (g_hash_table_lookup (by_id, set_id),
                                                cn_record_get_string (record, "criterion_code")));
          n_assessments++;
        }
    }

  g_assert_cmpuint (n_delegations, ==, 5);
  g_assert_cmpuint (g_hash_table_size (regions), ==, 5);
  g_assert_true (g_hash_table_contains (regions, "trà sơn đông"));
  g_assert_cmpuint (n_tasks, >=, 5);
  g_assert_cmpuint (n_overdue, >=, 1);
  g_assert_cmpuint (n_assessments, ==, 19);
}

/* Every record of the sample validates, every id it names points to a record of the file
 * in a collection the schema allows, every file it names is shipped, and the content the
 * issue asks for is there. */
static void
test_record_sample (void)
{
  const char *source_dir = g_getenv ("CAUNOI_SOURCE_DIR");
  g_autofree char *path = NULL;
  g_autofree char *files_dir = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_with_files = 0;
  gsize length;

  if (source_dir == NULL)
    source_dir = SOURCE_DATADIR "/..";
  path = g_build_filename (source_dir, "data", "sample", "caunoi-sample.json", NULL);
  files_dir = g_build_filename (source_dir, "data", "sample", "files", NULL);

  g_file_get_contents (path, &text, &length, &error);
  g_assert_no_error (error);
  node = cn_json_parse_checked (text, length, &error);
  g_assert_no_error (error);
  records = cn_record_array_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, >, 100);

  for (guint i = 0; i < records->len; i++)
    {
      CnRecord *record = g_ptr_array_index (records, i);

      g_assert_true (cn_record_validate (record, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (cn_record_get_updated_by (record), ==, "sample");
      g_assert_cmpint (cn_record_get_rev (record), ==, 0);
      g_assert_false (cn_record_get_deleted (record));
      /* ids are unique */
      g_assert_true (g_hash_table_insert (by_id, (gpointer) cn_record_get_id (record), record));
    }

  for (guint i = 0; i < records->len; i++)
    {
      CnRecord *record = g_ptr_array_index (records, i);
      const CnCollection *c = cn_schema_lookup (cn_record_get_collection (record));

      for (const CnField *f = c->fields; f->name != NULL; f++)
        {
          JsonNode *value = json_object_get_member (cn_record_get_data (record), f->name);

          if (value == NULL)
            continue;
          if (f->type == CN_FIELD_UUID)
            check_reference (by_id, record, f, json_node_get_string (value));
          else if (f->type == CN_FIELD_UUID_ARRAY)
            {
              g_auto(GStrv) ids = cn_record_dup_strv (record, f->name);

              for (guint j = 0; ids[j] != NULL; j++)
                check_reference (by_id, record, f, ids[j]);
            }
          else if (f->type == CN_FIELD_OBJECT_ARRAY && cn_field_lookup_subfield (f, "sha256"))
            {
              check_files (files_dir, f, value);
              n_with_files++;
            }
        }
    }
  g_assert_cmpuint (n_with_files, >=, 2);

  check_seed_article (records);
  check_documents_and_criteria (records);
  check_visit (records, by_id);
  check_workflow (records, by_id);
}

/* Damaged input never crashes the codec: each damaged text gives a record that round-trips
 * or an error. (The seed is printed by GTest; -p with --seed repeats a run.) */
static void
test_record_damaged_input (void)
{
  static const char alphabet[] = "{}[]\",:\\0123456789eE.-+ truefalsn\xc3\xa1\xff";
  guint n_records = 0, n_errors = 0;

  for (guint i = 0; i < 3000; i++)
    {
      g_autoptr(GString) text = g_string_new (VISIT_JSON);
      g_autoptr(GError) error = NULL;
      g_autoptr(CnRecord) record = NULL;
      guint n_changes = g_test_rand_int_range (1, 4);

      for (guint j = 0; j < n_changes; j++)
        {
          guint at;

          if (text->len == 0)
            break;
          at = g_test_rand_int_range (0, text->len);

          switch (g_test_rand_int_range (0, 3))
            {
            case 0:
              text->str[at] = alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)];
              break;
            case 1:
              {
                gsize n = g_test_rand_int_range (1, 8);

                g_string_erase (text, at, MIN (n, text->len - at));
                break;
              }
            default:
              g_string_truncate (text, at);
              break;
            }
        }

      record = cn_record_from_string (text->str, text->len, &error);
      if (record != NULL)
        {
          g_autofree char *again = cn_record_to_string (record);
          g_autoptr(CnRecord) reread = cn_record_from_string (again, -1, &error);

          g_assert_no_error (error);
          g_assert_nonnull (reread);
          n_records++;
        }
      else
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == CN_ERROR);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          n_errors++;
        }
    }

  g_assert_cmpuint (n_errors, >, 0);
  g_test_message ("%u records, %u errors", n_records, n_errors);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/record/new-local", test_record_new_local);
  g_test_add_func ("/core/record/round-trip", test_record_round_trip);
  g_test_add_func ("/core/record/tombstone", test_record_tombstone);
  g_test_add_func ("/core/record/copy", test_record_copy);
  g_test_add_func ("/core/record/setters", test_record_setters);
  g_test_add_func ("/core/record/errors", test_record_errors);
  g_test_add_func ("/core/record/parse-limits", test_record_parse_limits);
  g_test_add_func ("/core/record/array", test_record_array);
  g_test_add_func ("/core/record/sample", test_record_sample);
  g_test_add_func ("/core/record/damaged-input", test_record_damaged_input);

  return g_test_run ();
}
