/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cn-error.h"
#include "cn-schema.h"
#include "cn-time.h"

#define UUID_A "3f2b8c1e-5d4a-4c6b-9e7f-0a1b2c3d4e5f"
#define UUID_B "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
#define SHA "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* A valid record of each collection with its required fields only. */
static const struct { const char *collection; const char *json; } minimal[] = {
  { "unit", "{\"name\": \"Tiến Lộc\", \"kind\": \"commune\"}" },
  { "person", "{\"full_name\": \"Trần Quý\"}" },
  { "article", "{\"title\": \"Cầu nối giữa cấp ủy huyện và cơ sở\"}" },
  { "document", "{\"number\": \"4414/UBND-NL5\", \"title\": \"Về việc tăng cường OCOP\"}" },
  { "criteria_set",
    "{\"name\": \"Bộ tiêu chí\", \"level\": \"commune\", \"variant\": \"standard\"}" },
  { "delegation", "{\"name\": \"Đoàn 1\", \"unit_id\": \"" UUID_A "\"}" },
  { "assignment", "{\"person_id\": \"" UUID_A "\", \"commune_id\": \"" UUID_B "\", "
                  "\"role\": \"member_in_charge\"}" },
  { "visit", "{\"commune_id\": \"" UUID_A "\", \"date\": \"2015-06-06\"}" },
  { "report", "{\"delegation_id\": \"" UUID_A "\", \"status\": \"draft\"}" },
  { "task", "{\"title\": \"Hoàn thiện tiêu chí giao thông\", \"status\": \"open\"}" },
  { "task_event", "{\"task_id\": \"" UUID_A "\", \"at\": \"2015-06-07T01:00:00Z\", "
                  "\"to_status\": \"open\"}" },
  { "assessment", "{\"commune_id\": \"" UUID_A "\", \"criteria_set_id\": \"" UUID_B "\", "
                  "\"criterion_code\": \"2\", \"status\": \"met\"}" },
  { "attendance", "{\"person_id\": \"" UUID_A "\", \"month\": \"2015-06\", \"attended\": true}" },
};

static void
test_schema_collections (void)
{
  const char * const *names = cn_schema_collections ();
  const char * const reference[] = {
    "unit", "person", "article", "document", "criteria_set", NULL
  };

  g_assert_cmpuint (g_strv_length ((char **) names), ==, 13);
  g_assert_cmpuint (G_N_ELEMENTS (minimal), ==, 13);

  for (guint i = 0; names[i] != NULL; i++)
    {
      const CnCollection *c = cn_schema_lookup (names[i]);

      g_assert_nonnull (c);
      g_assert_cmpstr (c->name, ==, names[i]);
      g_assert_cmpint (cn_schema_is_reference (names[i]), ==,
                       g_strv_contains (reference, names[i]));
      g_assert_cmpstr (minimal[i].collection, ==, names[i]);
    }

  g_assert_null (cn_schema_lookup ("units"));
  g_assert_null (cn_schema_lookup (""));
  g_assert_null (cn_schema_lookup (NULL));
  g_assert_false (cn_schema_is_reference ("nope"));
}

static void
check_fields (const CnCollection *c,
              const CnField      *fields,
              guint               depth)
{
  g_assert_cmpuint (depth, <, 3);

  for (const CnField *f = fields; f->name != NULL; f++)
    {
      g_assert_nonnull (f->label);
      g_assert_nonnull (cn_field_get_label (f));

      /* no field twice */
      for (const CnField *g = f + 1; g->name != NULL; g++)
        g_assert_cmpstr (f->name, !=, g->name);

      switch (f->type)
        {
        case CN_FIELD_ENUM:
          g_assert_nonnull (f->values);
          g_assert_nonnull (f->values[0].value);
          for (const CnEnumValue *v = f->values; v->value != NULL; v++)
            {
              g_assert_nonnull (v->label);
              g_assert_cmpstr (cn_schema_enum_label (f, v->value), ==, v->label);
            }
          g_assert_null (cn_schema_enum_label (f, "not-a-value"));
          break;
        case CN_FIELD_UUID:
        case CN_FIELD_UUID_ARRAY:
          g_assert_nonnull (f->targets);
          g_assert_nonnull (f->targets[0]);
          for (guint i = 0; f->targets[i] != NULL; i++)
            g_assert_nonnull (cn_schema_lookup (f->targets[i]));
          break;
        case CN_FIELD_OBJECT_ARRAY:
          g_assert_nonnull (f->fields);
          g_assert_true (cn_field_lookup_subfield (f, f->fields[0].name) == &f->fields[0]);
          check_fields (c, f->fields, depth + 1);
          break;
        default:
          g_assert_null (f->values);
          g_assert_null (f->targets);
          g_assert_null (f->fields);
          break;
        }
    }
}

static void
test_schema_table (void)
{
  const char * const *names = cn_schema_collections ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      const CnCollection *c = cn_schema_lookup (names[i]);
      gboolean has_title = FALSE;

      check_fields (c, c->fields, 0);
      g_assert_nonnull (cn_collection_get_label (c));
      g_assert_nonnull (cn_collection_get_plural_label (c));
      g_assert_nonnull (c->writers);

      for (const CnField *f = c->fields; f->name != NULL; f++)
        {
          g_assert_true (cn_collection_lookup_field (c, f->name) == f);
          has_title |= (f->flags & CN_FIELD_FLAG_TITLE) != 0;
        }
      g_assert_true (has_title);
      g_assert_null (cn_collection_lookup_field (c, "no_such_field"));

      /* a workflow record is placed in a unit's scope through one of its UUID fields */
      if (c->kind == CN_COLLECTION_WORKFLOW)
        {
          const CnField *scope = cn_collection_lookup_field (c, c->scope_field);

          g_assert_nonnull (scope);
          g_assert_cmpint (scope->type, ==, CN_FIELD_UUID);
        }
      else
        g_assert_null (c->scope_field);
    }

  /* the enumerations DESIGN.md fixes, in its order */
  {
    static const struct { const char *collection, *field, *values; } enums[] = {
      { "unit", "kind", "province district commune town ward" },
      { "criteria_set", "variant", "standard advanced model" },
      { "assignment", "role", "member_in_charge sponsoring_department" },
      { "report", "status", "draft submitted" },
      { "task", "status", "proposed open in_progress done dropped" },
      { "task_event", "to_status", "proposed open in_progress done dropped" },
      { "assessment", "status", "met in_progress not_met" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (enums); i++)
      {
        const CnField *f = cn_collection_lookup_field (cn_schema_lookup (enums[i].collection),
                                                       enums[i].field);
        g_autoptr(GString) values = g_string_new (NULL);

        g_assert_cmpint (f->type, ==, CN_FIELD_ENUM);
        for (const CnEnumValue *v = f->values; v->value != NULL; v++)
          g_string_append_printf (values, values->len ? " %s" : "%s", v->value);
        g_assert_cmpstr (values->str, ==, enums[i].values);
      }
    g_assert_cmpstr (cn_schema_enum_label (cn_collection_lookup_field (cn_schema_lookup ("task"),
                                                                       "status"),
                                           "in_progress"), ==, "In progress");
  }
}

static void
test_schema_writers (void)
{
  const char * const *names = cn_schema_collections ();

  /* Writers as DESIGN.md has them */
  static const struct { const char *collection, *writers; } design[] = {
    { "unit", "admin" }, { "person", "admin staff" }, { "article", "editor" },
    { "document", "editor" }, { "criteria_set", "editor" }, { "delegation", "staff" },
    { "assignment", "staff" }, { "visit", "staff" }, { "report", "staff" }, { "task", "staff" },
    { "task_event", "staff" }, { "assessment", "staff" }, { "attendance", "staff" },
  };
  const char * const roles[] = { "editor", "staff" };

  for (guint i = 0; i < G_N_ELEMENTS (design); i++)
    for (guint j = 0; j < G_N_ELEMENTS (roles); j++)
      {
        g_auto(GStrv) writers = g_strsplit (design[i].writers, " ", -1);

        g_assert_cmpint (cn_schema_can_write (design[i].collection, roles[j]), ==,
                         g_strv_contains ((const char * const *) writers, roles[j]));
      }

  g_assert_false (cn_schema_can_write ("nope", "admin"));
  g_assert_false (cn_schema_can_write ("task", NULL));

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_assert_true (cn_schema_can_write (names[i], "admin"));
      g_assert_false (cn_schema_can_write (names[i], "viewer"));
      g_assert_false (cn_schema_can_write (names[i], "Admin"));
    }
}

static void
test_schema_valid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (minimal); i++)
    {
      g_autoptr(JsonObject) data = parse_object (minimal[i].json);
      g_autoptr(GError) error = NULL;

      cn_schema_validate (minimal[i].collection, data, FALSE, &error);
      g_assert_no_error (error);

      /* every required field is required */
      for (const CnField *f = cn_schema_lookup (minimal[i].collection)->fields; f->name; f++)
        {
          g_autoptr(JsonObject) without = parse_object (minimal[i].json);
          g_autoptr(GError) missing = NULL;

          if (!(f->flags & CN_FIELD_FLAG_REQUIRED))
            continue;

          json_object_remove_member (without, f->name);
          g_assert_false (cn_schema_validate (minimal[i].collection, without, FALSE, &missing));
          g_assert_error (missing, CN_ERROR, CN_ERROR_INVALID);
          g_assert_nonnull (strstr (missing->message, f->name));
          g_assert_nonnull (strstr (missing->message, "required"));

          /* …but a patch need not carry it */
          g_assert_true (cn_schema_validate (minimal[i].collection, without, TRUE, NULL));
        }
    }
}

static void
test_schema_full_records (void)
{
  static const struct { const char *collection; const char *json; } full[] = {
    { "article", "{\"title\": \"T\", \"lead\": \"L\", \"body_html\": \"<p>x</p>\", "
      "\"category\": \"C\", \"author\": \"Mạnh Hà\", \"source\": \"baohatinh.vn\", "
      "\"source_url\": \"https://baohatinh.vn/a.html\", "
      "\"published_at\": \"2015-07-01T16:20:00Z\", "
      "\"tags\": [\"địa phương\"], \"images\": [{\"sha256\": \"" SHA "\", \"caption\": \"c\"}]}" },
    { "document", "{\"number\": \"211/QĐ-TTg\", \"title\": \"T\", \"doc_type\": \"Quyết định\", "
      "\"issuer\": \"Thủ tướng Chính phủ\", \"field\": \"NTM\", \"signed_on\": \"2024-03-01\", "
      "\"effective_on\": \"2024-03-01\", \"expires_on\": null, \"summary\": \"S\", "
      "\"signer\": \"X\", "
      "\"amends\": [\"" UUID_A "\"], "
      "\"attachments\": [{\"name\": \"a.pdf\", \"sha256\": \"" SHA "\", "
      "\"size\": 1024, \"mime\": \"application/pdf\"}], \"source_url\": \"http://example.org/\"}" },
    { "criteria_set", "{\"name\": \"N\", \"level\": \"commune\", \"variant\": \"advanced\", "
      "\"document_id\": \"" UUID_A "\", \"items\": [{\"code\": \"1\", \"name\": \"Quy hoạch\", "
      "\"indicators\": [{\"code\": \"1.1\", \"text\": \"Có quy hoạch\", \"target\": \"Đạt\"}]}]}" },
    { "assignment", "{\"organization\": \"Phòng Nông nghiệp\", \"commune_id\": \"" UUID_B "\", "
      "\"role\": \"sponsoring_department\", \"since\": \"2015-01-01\", "
      "\"until\": \"2015-12-31\"}" },
    { "visit", "{\"delegation_id\": \"" UUID_A "\", \"commune_id\": \"" UUID_B "\", "
      "\"date\": \"2015-06-06\", \"led_by\": [], \"participants\": \"P\", "
      "\"topics\": [\"a\", \"b\"], "
      "\"notes\": \"N\", \"conclusions\": \"C\", \"attachments\": []}" },
    { "task_event", "{\"task_id\": \"" UUID_A "\", \"at\": \"2015-06-07T01:00:00.250Z\", "
      "\"from_status\": \"open\", \"to_status\": \"done\", \"comment\": \"xong\"}" },
    { "attendance", "{\"person_id\": \"" UUID_A "\", \"month\": \"2015-06\", \"attended\": false, "
      "\"note\": null}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (full); i++)
    {
      g_autoptr(JsonObject) data = parse_object (full[i].json);
      g_autoptr(GError) error = NULL;

      cn_schema_validate (full[i].collection, data, FALSE, &error);
      g_assert_no_error (error);
    }
}

/* Each case: a collection, a base record, a field set to a bad value, the error expected
 * and the text its message must contain. */
static void
test_schema_errors (void)
{
  static const struct {
    const char *collection;
    const char *json;
    gboolean    partial;
    int         code;
    const char *needle;
  } cases[] = {
    { "unit", "{\"name\": \"X\", \"kind\": \"commune\", \"colour\": \"red\"}", FALSE,
      CN_ERROR_UNKNOWN_FIELD, "“colour” in unit" },
    { "unit", "{\"nmae\": \"X\"}", TRUE, CN_ERROR_UNKNOWN_FIELD, "“nmae”" },
    { "article", "{\"title\": \"T\", \"images\": [{\"sha256\": \"" SHA "\", \"alt\": \"x\"}]}",
      FALSE, CN_ERROR_UNKNOWN_FIELD, "“images[0].alt” in article" },
    { "unit", "{\"name\": \"X\", \"kind\": \"village\"}", FALSE, CN_ERROR_INVALID,
      "“kind” of unit must be one of: province, district, commune, town, ward" },
    { "unit", "{\"name\": 5, \"kind\": \"commune\"}", FALSE, CN_ERROR_INVALID, "“name”" },
    { "unit", "{\"name\": \"\", \"kind\": \"commune\"}", FALSE, CN_ERROR_INVALID,
      "“name” of unit must be a text that is not empty" },
    { "unit", "{\"name\": \" \\n\\u00a0\", \"kind\": \"commune\"}",
      FALSE, CN_ERROR_INVALID, "“name”" },
    { "unit", "{\"name\": null, \"kind\": \"commune\"}", TRUE, CN_ERROR_INVALID,
      "“name” of unit is required" },
    { "unit", "{\"name\": \"X\", \"kind\": \"commune\", \"parent_id\": \"not-a-uuid\"}", FALSE,
      CN_ERROR_INVALID, "“parent_id” of unit must be a lower-case UUID" },
    { "unit", "{\"name\": \"X\", \"kind\": \"commune\", "
      "\"parent_id\": \"3F2B8C1E-5D4A-4C6B-9E7F-0A1B2C3D4E5F\"}",
      FALSE, CN_ERROR_INVALID, "“parent_id”" },
    { "document", "{\"number\": \"1\", \"title\": \"T\", \"signed_on\": \"2023-02-30\"}", FALSE,
      CN_ERROR_INVALID, "“signed_on” of document must be a date" },
    { "document", "{\"number\": \"1\", \"title\": \"T\", \"signed_on\": \"01/03/2024\"}", FALSE,
      CN_ERROR_INVALID, "“signed_on”" },
    { "document", "{\"number\": \"1\", \"title\": \"T\", \"amends\": [\"" UUID_A "\", \"x\"]}",
      FALSE,
      CN_ERROR_INVALID, "“amends[1]”" },
    { "document", "{\"number\": \"1\", \"title\": \"T\", \"amends\": \"" UUID_A "\"}", FALSE,
      CN_ERROR_INVALID, "“amends” of document must be a list" },
    { "document", "{\"number\": \"1\", \"title\": \"T\", \"attachments\": [{\"name\": \"a\", "
      "\"sha256\": \"" SHA "\", \"size\": -1}]}",
      FALSE, CN_ERROR_INVALID, "“attachments[0].size”" },
    { "document", "{\"number\": \"1\", \"title\": \"T\", \"attachments\": [{\"name\": \"a\", "
      "\"sha256\": \"" SHA "\", \"size\": 1.5}]}",
      FALSE, CN_ERROR_INVALID, "“attachments[0].size”" },
    { "document", "{\"number\": \"1\", \"title\": \"T\", \"attachments\": [{\"name\": \"a\", "
      "\"sha256\": \"abc\", \"size\": 1}]}", FALSE, CN_ERROR_INVALID,
      "“attachments[0].sha256” of document must be a SHA-256" },
    { "document", "{\"number\": \"1\", \"title\": \"T\", \"attachments\": [{\"name\": \"a\", "
      "\"size\": 1}]}",
      FALSE, CN_ERROR_INVALID, "“attachments[0].sha256” of document is required" },
    { "document", "{\"number\": \"1\", \"title\": \"T\", \"attachments\": [\"a.pdf\"]}", FALSE,
      CN_ERROR_INVALID, "“attachments[0]” of document must be an object" },
    { "article", "{\"title\": \"T\", \"source_url\": \"javascript:alert(1)\"}", FALSE,
      CN_ERROR_INVALID, "“source_url”" },
    { "article", "{\"title\": \"T\", \"published_at\": \"2015-07-01T23:20:00+07:00\"}", FALSE,
      CN_ERROR_INVALID, "“published_at” of article must be a UTC date and time" },
    { "article", "{\"title\": \"T\", \"tags\": [\"a\", 1]}", FALSE, CN_ERROR_INVALID, "“tags[1]”" },
    { "attendance", "{\"person_id\": \"" UUID_A "\", \"month\": \"2015-13\", \"attended\": true}",
      FALSE, CN_ERROR_INVALID, "“month” of attendance must be a month" },
    { "attendance",
      "{\"person_id\": \"" UUID_A "\", \"month\": \"2015-06\", \"attended\": \"yes\"}",
      FALSE, CN_ERROR_INVALID, "“attended” of attendance must be true or false" },
    { "criteria_set", "{\"name\": \"N\", \"level\": \"commune\", \"variant\": \"standard\", "
      "\"items\": [{\"code\": \"1\", \"name\": \"Q\", \"indicators\": [{\"code\": \"1.1\"}]}]}",
      FALSE, CN_ERROR_INVALID, "“items[0].indicators[0].text” of criteria_set is required" },
    { "criteria_set", "{\"name\": \"N\", \"level\": \"commune\", \"variant\": \"standard\", "
      "\"items\": [{\"code\": \"1\", \"name\": \"Q\"}, {\"code\": \"1\", \"name\": \"R\"}]}",
      FALSE, CN_ERROR_INVALID, "“items[1].code” of criteria_set repeats the code “1”" },
    { "criteria_set", "{\"name\": \"N\", \"level\": \"commune\", \"variant\": \"standard\", "
      "\"items\": [{\"code\": \"1\", \"name\": \"Q\", \"indicators\": [{\"code\": \"1.1\", "
      "\"text\": \"a\"}, {\"code\": \"1.1\", \"text\": \"b\"}]}]}",
      FALSE, CN_ERROR_INVALID, "“items[0].indicators[1].code”" },
    { "assignment", "{\"commune_id\": \"" UUID_B "\", \"role\": \"member_in_charge\"}", FALSE,
      CN_ERROR_INVALID, "“person_id”" },
    { "assignment", "{\"person_id\": null, \"organization\": null, \"commune_id\": \"" UUID_B "\", "
      "\"role\": \"member_in_charge\"}", FALSE, CN_ERROR_INVALID, "“organization”" },
    { "assignment", "{\"person_id\": \"" UUID_A "\", \"commune_id\": \"" UUID_B "\", "
      "\"role\": \"member in charge\"}", FALSE, CN_ERROR_INVALID,
      "must be one of: member_in_charge, sponsoring_department" },
    { "assignment", "{\"person_id\": \"" UUID_A "\", \"commune_id\": \"" UUID_B "\", "
      "\"role\": \"member_in_charge\", \"since\": \"2015-06-01\", \"until\": \"2015-05-31\"}",
      FALSE,
      CN_ERROR_INVALID, "“until”" },
    { "task", "{\"title\": \"T\", \"status\": \"closed\"}", TRUE, CN_ERROR_INVALID,
      "“status” of task must be one of: proposed, open, in_progress, done, dropped" },
    { "task", "{\"title\": [\"T\"], \"status\": \"open\"}", FALSE, CN_ERROR_INVALID, "“title”" },
    { "task_event", "{\"task_id\": \"" UUID_A "\", \"at\": \"2015-06-07 01:00:00Z\", "
      "\"to_status\": \"open\"}", FALSE, CN_ERROR_INVALID, "“at”" },
    { "report", "{\"delegation_id\": \"" UUID_A "\", \"status\": \"sent\"}", FALSE,
      CN_ERROR_INVALID, "one of: draft, submitted" },
    { "assessment", "{\"commune_id\": \"" UUID_A "\", \"criteria_set_id\": \"" UUID_B "\", "
      "\"criterion_code\": \"2\", \"status\": \"passed\"}", FALSE, CN_ERROR_INVALID,
      "one of: met, in_progress, not_met" },
    { "nope", "{}", FALSE, CN_ERROR_INVALID, "Unknown collection “nope”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) data = parse_object (cases[i].json);
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u: %s", i, cases[i].json);
      g_assert_false (cn_schema_validate (cases[i].collection, data, cases[i].partial, &error));
      g_assert_error (error, CN_ERROR, cases[i].code);
      if (strstr (error->message, cases[i].needle) == NULL)
        g_error ("case %u: “%s” does not contain “%s”", i, error->message, cases[i].needle);
    }
}

static void
test_schema_titles (void)
{
  static const struct { const char *collection; const char *json; const char *title; } cases[] = {
    { "unit", "{\"name\": \"Tiến Lộc\", \"kind\": \"commune\"}", "Tiến Lộc" },
    { "person", "{\"full_name\": \"Trần Quý\", \"position\": \"Chủ nhiệm\"}", "Trần Quý" },
    { "document", "{\"number\": \"4414/UBND-NL5\", \"title\": \"Về việc OCOP\"}",
      "4414/UBND-NL5 — Về việc OCOP" },
    { "visit", "{\"date\": \"2015-06-06\", \"topics\": [\"Về đích NTM\", \"Khác\"]}",
      "2015-06-06 — Về đích NTM" },
    { "visit", "{\"date\": \"2015-06-06\"}", "2015-06-06" },
    { "task", "{\"title\": \"Làm đường\"}", "Làm đường" },
    { "report", "{\"period\": \"6 tháng đầu năm 2015\"}", "Report of 6 tháng đầu năm 2015" },
    { "report", "{\"meeting_date\": \"2015-06-30\"}", "Report of 2015-06-30" },
    { "assessment", "{\"criterion_code\": \"2\", \"status\": \"not_met\"}",
      "Criterion 2: Not met" },
    { "attendance", "{\"month\": \"2015-06\", \"attended\": true}", "2015-06: attended" },
    { "task_event", "{\"from_status\": \"open\", \"to_status\": \"done\"}", "Open → Done" },
    { "assignment", "{\"role\": \"sponsoring_department\", \"organization\": \"Phòng NN\"}",
      "Sponsoring department — Phòng NN" },
    { "article", "{}", "Article" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) data = parse_object (cases[i].json);
      g_autofree char *title = cn_schema_dup_title (cases[i].collection, data);

      g_assert_cmpstr (title, ==, cases[i].title);
    }
}

static void
test_schema_search_text (void)
{
  g_autoptr(JsonObject) article = parse_object (
    "{\"title\": \"Cầu nối\", \"lead\": \"Với 23 xã\", "
    "\"body_html\": \"<p>Đoàn &amp; <b>xã</b></p><script>alert('x')</script>"
    "<p>Tiến&nbsp;Lộc &#7871;</p>\", "
    "\"source\": \"baohatinh.vn\", \"tags\": [\"địa phương\"], "
    "\"images\": [{\"sha256\": \"" SHA "\", \"caption\": \"Ðoàn công tác\"}]}");
  g_autoptr(JsonObject) criteria = parse_object (
    "{\"name\": \"Bộ\", \"items\": [{\"code\": \"2\", \"name\": \"Giao thông\", "
    "\"indicators\": [{\"code\": \"2.1\", \"text\": \"Đường xã\", \"target\": \"100%\"}]}]}");
  g_autofree char *text = cn_schema_dup_search_text ("article", article);
  g_autofree char *criteria_text = cn_schema_dup_search_text ("criteria_set", criteria);

  g_assert_nonnull (strstr (text, "Với 23 xã"));
  g_assert_nonnull (strstr (text, "Đoàn & xã"));
  g_assert_nonnull (strstr (text, "Tiến\xc2\xa0Lộc ế"));
  g_assert_nonnull (strstr (text, "địa phương"));
  g_assert_nonnull (strstr (text, "Ðoàn công tác"));
  g_assert_null (strstr (text, "Cầu nối"));       /* the title is indexed on its own */
  g_assert_null (strstr (text, "baohatinh"));     /* not a searchable field */
  g_assert_null (strstr (text, "<"));
  g_assert_null (strstr (text, "alert"));
  g_assert_null (strstr (text, SHA));

  g_assert_nonnull (strstr (criteria_text, "Giao thông"));
  g_assert_nonnull (strstr (criteria_text, "Đường xã"));
  g_assert_nonnull (strstr (criteria_text, "100%"));
}

static void
test_schema_html_to_text (void)
{
  static const struct { const char *html; const char *text; } cases[] = {
    { "<p>a</p><p>b</p>", "a b" },
    { "  x \n\t y  ", "x y" },
    { "1 &lt; 2 &gt; 0 &quot;q&quot; &#39;s&#39; &#x1EBF;", "1 < 2 > 0 \"q\" 's' ế" },
    { "&bogus; & &#0; &#xZZ; &#99999999;", "&bogus; & &#0; &#xZZ; &#99999999;" },
    { "<!-- c --><style>p{}</style>ok<SCRIPT>x</SCRIPT>", "ok" },
    { "<img src=\"a.jpg\" alt=\"x\">text<unclosed", "text" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = cn_schema_html_to_text (cases[i].html);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_schema_uuid_sha (void)
{
  g_autofree char *random = g_uuid_string_random ();

  g_assert_true (cn_schema_is_valid_uuid (UUID_A));
  g_assert_true (cn_schema_is_valid_uuid (random));
  g_assert_false (cn_schema_is_valid_uuid ("3F2B8C1E-5D4A-4C6B-9E7F-0A1B2C3D4E5F"));
  g_assert_false (cn_schema_is_valid_uuid ("3f2b8c1e5d4a4c6b9e7f0a1b2c3d4e5f"));
  g_assert_false (cn_schema_is_valid_uuid (""));
  g_assert_false (cn_schema_is_valid_uuid (NULL));
  g_assert_true (cn_schema_is_valid_sha256 (SHA));
  g_assert_false (cn_schema_is_valid_sha256 (SHA "0"));
  g_assert_false (cn_schema_is_valid_sha256 ("E3B0C44298FC1C149AFBF4C8996FB924"
                                             "27AE41E4649B934CA495991B7852B855"));
  g_assert_false (cn_schema_is_valid_sha256 (NULL));
}

static void
test_time_dates (void)
{
  int y = 0, m = 0, d = 0;

  g_assert_true (cn_time_parse_date ("2015-06-06", &y, &m, &d));
  g_assert_cmpint (y, ==, 2015);
  g_assert_cmpint (m, ==, 6);
  g_assert_cmpint (d, ==, 6);
  g_assert_true (cn_time_parse_date ("2024-02-29", NULL, NULL, NULL));
  g_assert_false (cn_time_parse_date ("2023-02-29", NULL, NULL, NULL));
  g_assert_false (cn_time_parse_date ("2023-02-30", NULL, NULL, NULL));
  g_assert_false (cn_time_parse_date ("2023-04-31", NULL, NULL, NULL));
  g_assert_true (cn_time_parse_date ("2023-12-31", NULL, NULL, NULL));
  g_assert_false (cn_time_parse_date ("2023-13-01", NULL, NULL, NULL));
  g_assert_false (cn_time_parse_date ("2023-00-10", NULL, NULL, NULL));
  g_assert_false (cn_time_parse_date ("2023-01-00", NULL, NULL, NULL));
  g_assert_false (cn_time_parse_date ("0000-01-01", NULL, NULL, NULL));
  g_assert_false (cn_time_parse_date ("2023-1-01", NULL, NULL, NULL));
  g_assert_false (cn_time_parse_date ("2023-01-01x", NULL, NULL, NULL));
  g_assert_false (cn_time_parse_date ("2023-01-01T00:00:00Z", NULL, NULL, NULL));
  g_assert_false (cn_time_parse_date ("06/06/2015", NULL, NULL, NULL));
  g_assert_false (cn_time_parse_date ("", NULL, NULL, NULL));
  g_assert_false (cn_time_parse_date (NULL, NULL, NULL, NULL));

  g_assert_true (cn_time_parse_month ("2015-06", &y, &m));
  g_assert_cmpint (y, ==, 2015);
  g_assert_cmpint (m, ==, 6);
  g_assert_false (cn_time_parse_month ("2015-13", NULL, NULL));
  g_assert_false (cn_time_parse_month ("2015-6", NULL, NULL));
  g_assert_false (cn_time_parse_month ("2015-06-01", NULL, NULL));
  g_assert_false (cn_time_parse_month (NULL, NULL, NULL));
}

static void
test_time_rfc3339 (void)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) vietnam = NULL;
  g_autoptr(GDateTime) fraction = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *formatted = NULL;
  g_autofree char *now = cn_time_now_rfc3339 ();
  g_autofree char *today = cn_time_today ();
  const char * const bad[] = {
    "2015-07-01 16:20:00Z", "2015-07-01T16:20Z", "2015-07-01T24:00:00Z", "2015-07-01T16:60:00Z",
    "2015-02-30T16:20:00Z", "2015-07-01T16:20:00", "2015-07-01T16:20:00+0700",
    "2015-07-01T16:20:00.Z", "2015-07-01T16:20:00Zjunk", "2015-07-01T16:20:00+24:00", "",
  };

  utc = cn_time_parse_rfc3339 ("2015-07-01T16:20:00Z", &error);
  g_assert_no_error (error);
  vietnam = cn_time_parse_rfc3339 ("2015-07-01T23:20:00+07:00", &error);
  g_assert_no_error (error);
  g_assert_true (g_date_time_equal (utc, vietnam));
  g_assert_cmpint (g_date_time_get_utc_offset (vietnam), ==, 0);
  formatted = cn_time_format_rfc3339 (vietnam);
  g_assert_cmpstr (formatted, ==, "2015-07-01T16:20:00Z");

  fraction = cn_time_parse_rfc3339 ("2015-07-01T16:20:00.250Z", &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_date_time_get_microsecond (fraction), ==, 250000);

  g_assert_true (cn_time_is_utc_rfc3339 ("2015-07-01T16:20:00Z"));
  g_assert_true (cn_time_is_utc_rfc3339 ("2015-07-01T16:20:00.250Z"));
  g_assert_false (cn_time_is_utc_rfc3339 ("2015-07-01T23:20:00+07:00"));
  g_assert_false (cn_time_is_utc_rfc3339 ("2015-07-01T16:20:00+00:00"));
  g_assert_false (cn_time_is_utc_rfc3339 ("2015-07-01t16:20:00z"));
  g_assert_false (cn_time_is_utc_rfc3339 (NULL));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GDateTime) dt = cn_time_parse_rfc3339 (bad[i], &error);

      g_assert_null (dt);
      g_assert_error (error, CN_ERROR, CN_ERROR_INVALID);
      g_clear_error (&error);
      g_assert_false (cn_time_is_utc_rfc3339 (bad[i]));
    }

  /* early years keep four digits */
  {
    g_autoptr(GDateTime) early = cn_time_parse_rfc3339 ("0099-01-02T03:04:05+01:00", &error);
    g_autofree char *early_text = NULL;
    g_autofree char *early_date = NULL;

    g_assert_no_error (error);
    early_text = cn_time_format_rfc3339 (early);
    early_date = cn_time_format_date (early);
    g_assert_cmpstr (early_text, ==, "0099-01-02T02:04:05Z");
    g_assert_cmpstr (early_date, ==, "0099-01-02");
  }

  g_assert_true (cn_time_is_utc_rfc3339 (now));
  g_assert_true (cn_time_parse_date (today, NULL, NULL, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/schema/collections", test_schema_collections);
  g_test_add_func ("/core/schema/table", test_schema_table);
  g_test_add_func ("/core/schema/writers", test_schema_writers);
  g_test_add_func ("/core/schema/valid", test_schema_valid);
  g_test_add_func ("/core/schema/full-records", test_schema_full_records);
  g_test_add_func ("/core/schema/errors", test_schema_errors);
  g_test_add_func ("/core/schema/titles", test_schema_titles);
  g_test_add_func ("/core/schema/search-text", test_schema_search_text);
  g_test_add_func ("/core/schema/html-to-text", test_schema_html_to_text);
  g_test_add_func ("/core/schema/uuid-sha256", test_schema_uuid_sha);
  g_test_add_func ("/core/time/dates", test_time_dates);
  g_test_add_func ("/core/time/rfc3339", test_time_rfc3339);

  return g_test_run ();
}
