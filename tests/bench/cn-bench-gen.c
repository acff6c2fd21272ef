/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-bench"

#include "config.h"

#include <json-glib/json-glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cn-bench-corpus.h"
#include "cn-schema.h"
#include "cn-server-db.h"
#include "cn-server-records.h"

/*
 * cn-bench-gen: writes a province's worth of records into a caunoi-server database through
 * the server's own write path (cn_server_records_upsert(), what load-sample and the RSS
 * importer use), with a fixed seed, so that every run syncs the same data.
 *
 *   cn-bench-gen --db server.db --manifest manifest.json [--articles N] [--documents N]
 *                [--workflow N] [--seed S]
 *
 * The manifest lists what the benchmarks need to know about the data: the province and
 * district ids, the communes of each district, some task ids and document numbers, and
 * the count of records per collection.
 */

#define CN_BENCH_WRITER "bench"
#define COMMIT_EVERY 2000

typedef struct {
  GRand       *rand;
  CnServerDb  *db;
  guint        in_transaction;
  GHashTable  *counts;          /* collection → count */
  char        *province_id;
  GPtrArray   *district_ids;
  GPtrArray   *district_names;
  GPtrArray   *district_communes; /* of GPtrArray of commune ids */
  GPtrArray   *communes;        /* all commune ids */
  GPtrArray   *commune_names;   /* parallel */
  GPtrArray   *commune_district;/* parallel: index into district_ids, as pointers */
  GPtrArray   *people;          /* person ids */
  GPtrArray   *people_names;
  GPtrArray   *people_unit;     /* the commune or district of each person */
  GPtrArray   *documents;
  GPtrArray   *doc_numbers;
  GPtrArray   *criteria_sets;
  GPtrArray   *delegations;
  GPtrArray   *delegation_district; /* index into district_ids */
  GPtrArray   *visits;
  GPtrArray   *tasks;
  GPtrArray   *task_commune;
} Gen;

static char *
gen_uuid (Gen *gen)
{
  guint8 b[16];

  for (guint i = 0; i < 16; i++)
    b[i] = (guint8) g_rand_int_range (gen->rand, 0, 256);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
                          b[10], b[11], b[12], b[13], b[14], b[15]);
}

static guint
pick (Gen *gen, guint n)
{
  return (guint) g_rand_int_range (gen->rand, 0, (gint32) n);
}

/* Skewed toward the first elements: index = n·u². */
static guint
pick_skewed (Gen *gen, guint n)
{
  double u = g_rand_double (gen->rand);

  return MIN (n - 1, (guint) (n * u * u));
}

#define PICK(gen, array) ((array)[pick ((gen), G_N_ELEMENTS (array))])

static const char *
pick_ptr (Gen *gen, GPtrArray *array)
{
  return g_ptr_array_index (array, pick (gen, array->len));
}

static char *
person_name (Gen *gen)
{
  return g_strdup_printf ("%s %s %s", PICK (gen, cn_bench_family_names),
                          PICK (gen, cn_bench_middle_names), PICK (gen, cn_bench_given_names));
}

static void
append_sentence (Gen *gen, GString *out, guint district)
{
  const char *s = cn_bench_sentences[pick_skewed (gen, G_N_ELEMENTS (cn_bench_sentences))];

  for (const char *p = s; *p; p++)
    {
      if (p[0] == '{' && p[1] != '\0' && p[2] == '}')
        {
          switch (p[1])
            {
            case 'x':
              g_string_append (out, pick_ptr (gen, gen->commune_names));
              break;
            case 'h':
              g_string_append (out, g_ptr_array_index (gen->district_names, district));
              break;
            case 'n':
              g_string_append_printf (out, "%u", 2 + pick (gen, 98));
              break;
            case 'y':
              g_string_append_printf (out, "%u", 2010 + pick (gen, 17));
              break;
            case 'p':
              {
                g_autofree char *name = person_name (gen);
                g_string_append (out, name);
              }
              break;
            case 's':
              g_string_append (out, PICK (gen, cn_bench_products));
              break;
            case 'c':
              g_string_append (out, PICK (gen, cn_bench_criteria));
              break;
            default:
              g_string_append_len (out, p, 3);
              break;
            }
          p += 2;
        }
      else
        g_string_append_c (out, *p);
    }
}

static char *
paragraph (Gen *gen, guint district, guint n_sentences)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n_sentences; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      append_sentence (gen, out, district);
    }
  return g_string_free (out, FALSE);
}

static char *
date_between (Gen *gen, guint first_year, guint years)
{
  return g_strdup_printf ("%04u-%02u-%02u", first_year + pick (gen, years), 1 + pick (gen, 12),
                          1 + pick (gen, 28));
}

static void
count (Gen *gen, const char *collection)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (gen->counts, collection));

  g_hash_table_insert (gen->counts, (gpointer) collection, GUINT_TO_POINTER (n + 1));
}

static void
write_record (Gen *gen, const char *collection, const char *id, JsonObject *data)
{
  g_autoptr(GError) error = NULL;

  if (gen->in_transaction == 0 && !cn_server_db_begin (gen->db, &error))
    g_error ("begin: %s", error->message);
  if (!cn_server_records_upsert (gen->db, collection, id, data, FALSE, CN_BENCH_WRITER, NULL,
                                 &error))
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), data);
      g_autofree char *text = json_to_string (node, FALSE);

      g_error ("%s %s: %s\n%s", collection, id, error->message, text);
    }
  json_object_unref (data);
  count (gen, collection);
  if (++gen->in_transaction == COMMIT_EVERY)
    {
      if (!cn_server_db_commit (gen->db, &error))
        g_error ("commit: %s", error->message);
      gen->in_transaction = 0;
    }
}

static void
finish (Gen *gen)
{
  g_autoptr(GError) error = NULL;

  if (gen->in_transaction > 0 && !cn_server_db_commit (gen->db, &error))
    g_error ("commit: %s", error->message);
  gen->in_transaction = 0;
}

static JsonArray *
id_array (Gen *gen, GPtrArray *from, guint n)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < n; i++)
    json_array_add_string_element (array, pick_ptr (gen, from));
  return array;
}

static void
gen_units (Gen *gen)
{
  JsonObject *data;

  gen->province_id = gen_uuid (gen);
  data = json_object_new ();
  json_object_set_string_member (data, "name", "Hà Tĩnh");
  json_object_set_string_member (data, "kind", "province");
  json_object_set_string_member (data, "code", "42");
  write_record (gen, "unit", gen->province_id, data);

  for (guint d = 0; d < G_N_ELEMENTS (cn_bench_districts); d++)
    {
      char *id = gen_uuid (gen);
      GPtrArray *communes = g_ptr_array_new ();
      guint n_communes = 12 + pick (gen, 10);

      data = json_object_new ();
      json_object_set_string_member (data, "name", cn_bench_districts[d].name);
      json_object_set_string_member (data, "kind", cn_bench_districts[d].kind);
      json_object_set_string_member (data, "parent_id", gen->province_id);
      write_record (gen, "unit", id, data);
      g_ptr_array_add (gen->district_ids, id);
      g_ptr_array_add (gen->district_names, g_strdup (cn_bench_districts[d].name));

      for (guint c = 0; c < n_communes; c++)
        {
          char *cid = gen_uuid (gen);
          const char *prefix = cn_bench_districts[d].prefix;
          char *name = prefix != NULL
                       ? g_strdup_printf ("%s %s", prefix, PICK (gen, cn_bench_syllables))
                       : g_strdup_printf ("%s Lộc", PICK (gen, cn_bench_syllables));

          data = json_object_new ();
          json_object_set_string_member (data, "name", name);
          json_object_set_string_member (data, "kind", c == 0 ? "town" : "commune");
          json_object_set_string_member (data, "parent_id", id);
          json_object_set_string_member (data, "region",
                                         (const char *[]) { "trung tâm", "vùng thượng",
                                                            "vùng giữa", "ven biển" }[pick (gen, 4)]);
          write_record (gen, "unit", cid, data);
          g_ptr_array_add (communes, cid);
          g_ptr_array_add (gen->communes, cid);
          g_ptr_array_add (gen->commune_names, name);
          g_ptr_array_add (gen->commune_district, GUINT_TO_POINTER (d));
        }
      g_ptr_array_add (gen->district_communes, communes);
    }
}

static void
gen_people (Gen *gen, guint n)
{
  static const char * const positions[] = {
    "Bí thư Đảng ủy xã", "Chủ tịch UBND xã", "Phó Chủ tịch UBND huyện", "Trưởng phòng Nông nghiệp",
    "Ủy viên Ban Thường vụ Huyện ủy", "Chánh Văn phòng Điều phối", "Cán bộ địa chính", "Trưởng thôn",
  };

  for (guint i = 0; i < n; i++)
    {
      char *id = gen_uuid (gen);
      char *name = person_name (gen);
      guint c = pick (gen, gen->communes->len);
      const char *unit = (i % 4 == 0)
                         ? g_ptr_array_index (gen->district_ids,
                                              GPOINTER_TO_UINT (g_ptr_array_index (gen->commune_district, c)))
                         : g_ptr_array_index (gen->communes, c);
      JsonObject *data = json_object_new ();
      g_autofree char *org = g_strdup_printf ("UBND xã %s",
                                              (char *) g_ptr_array_index (gen->commune_names, c));
      g_autofree char *phone = g_strdup_printf ("09%08u", pick (gen, 100000000));

      json_object_set_string_member (data, "full_name", name);
      json_object_set_string_member (data, "position", PICK (gen, positions));
      json_object_set_string_member (data, "organization", org);
      json_object_set_string_member (data, "unit_id", unit);
      json_object_set_string_member (data, "phone", phone);
      write_record (gen, "person", id, data);
      g_ptr_array_add (gen->people, id);
      g_ptr_array_add (gen->people_names, name);
      g_ptr_array_add (gen->people_unit, (gpointer) unit);
    }
}

static void
gen_criteria_sets (Gen *gen)
{
  static const char * const variants[] = { "standard", "advanced", "model" };
  static const char * const names[] = {
    "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021 - 2025",
    "Bộ tiêu chí xã nông thôn mới nâng cao tỉnh Hà Tĩnh giai đoạn 2021 - 2025",
    "Bộ tiêu chí xã nông thôn mới kiểu mẫu tỉnh Hà Tĩnh giai đoạn 2021 - 2025",
  };

  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    {
      char *id = gen_uuid (gen);
      JsonObject *data = json_object_new ();
      JsonArray *items = json_array_new ();

      json_object_set_string_member (data, "name", names[v]);
      json_object_set_string_member (data, "level", "commune");
      json_object_set_string_member (data, "variant", variants[v]);
      for (guint c = 0; c < G_N_ELEMENTS (cn_bench_criteria); c++)
        {
          JsonObject *item = json_object_new ();
          JsonArray *indicators = json_array_new ();
          g_autofree char *code = g_strdup_printf ("%u", c + 1);

          json_object_set_string_member (item, "code", code);
          json_object_set_string_member (item, "name", cn_bench_criteria[c]);
          for (guint k = 0; k < 2 + pick (gen, 3); k++)
            {
              JsonObject *ind = json_object_new ();
              g_autofree char *icode = g_strdup_printf ("%u.%u", c + 1, k + 1);
              g_autofree char *text = paragraph (gen, 0, 1);

              json_object_set_string_member (ind, "code", icode);
              json_object_set_string_member (ind, "text", text);
              json_object_set_string_member (ind, "target", k % 2 ? "Đạt" : "≥ 85%");
              json_array_add_object_element (indicators, ind);
            }
          json_object_set_array_member (item, "indicators", indicators);
          json_array_add_object_element (items, item);
        }
      json_object_set_array_member (data, "items", items);
      write_record (gen, "criteria_set", id, data);
      g_ptr_array_add (gen->criteria_sets, id);
    }
}

static void
gen_documents (Gen *gen, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      char *id = gen_uuid (gen);
      guint kind = pick (gen, G_N_ELEMENTS (cn_bench_doc_kinds));
      JsonObject *data = json_object_new ();
      char *number = g_strdup_printf ("%u/%s", 100 + i, cn_bench_doc_kinds[kind][1]);
      g_autofree char *title = g_strdup_printf ("%s %s", cn_bench_doc_kinds[kind][2],
                                                PICK (gen, cn_bench_doc_topics));
      g_autofree char *summary = paragraph (gen, pick (gen, gen->district_ids->len), 2);
      g_autofree char *signed_on = date_between (gen, 2010, 17);
      g_autofree char *sha = NULL;
      g_autofree char *url = g_strdup_printf ("https://nongthonmoi.hatinh.gov.vn/vi/laws/detail/"
                                              "van-ban-%u/", 1000 + i);
      JsonArray *attachments = json_array_new ();
      JsonObject *att = json_object_new ();
      GString *hex = g_string_new (NULL);
      g_autofree char *att_name = NULL;

      for (guint k = 0; k < 32; k++)
        g_string_append_printf (hex, "%02x", pick (gen, 256));
      sha = g_string_free (hex, FALSE);
      att_name = g_strdup_printf ("%u-%s.pdf", 100 + i, cn_bench_doc_kinds[kind][1]);
      json_object_set_string_member (att, "name", att_name);
      json_object_set_string_member (att, "sha256", sha);
      json_object_set_int_member (att, "size", 20000 + pick (gen, 400000));
      json_object_set_string_member (att, "mime", "application/pdf");
      json_array_add_object_element (attachments, att);

      json_object_set_string_member (data, "number", number);
      json_object_set_string_member (data, "title", title);
      json_object_set_string_member (data, "doc_type", cn_bench_doc_kinds[kind][0]);
      json_object_set_string_member (data, "issuer", i % 3 ? "UBND tỉnh Hà Tĩnh"
                                                           : "Văn phòng Điều phối NTM tỉnh");
      json_object_set_string_member (data, "field", i % 4 ? "Nông thôn mới" : "OCOP");
      json_object_set_string_member (data, "signed_on", signed_on);
      json_object_set_string_member (data, "effective_on", signed_on);
      json_object_set_string_member (data, "summary", summary);
      json_object_set_string_member (data, "signer", pick_ptr (gen, gen->people_names));
      if (gen->documents->len > 0 && i % 7 == 0)
        json_object_set_array_member (data, "amends", id_array (gen, gen->documents, 1));
      json_object_set_array_member (data, "attachments", attachments);
      json_object_set_string_member (data, "source_url", url);
      write_record (gen, "document", id, data);
      g_ptr_array_add (gen->documents, id);
      g_ptr_array_add (gen->doc_numbers, number);
    }
}

/* An article of about 3 KB of HTML, like the office website's. */
static void
gen_articles (Gen *gen, guint n)
{
  GDateTime *start = g_date_time_new_utc (2010, 1, 1, 7, 0, 0);
  double step = (16.9 * 365 * 86400.0) / MAX (n, 1);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = gen_uuid (gen);
      guint district = pick (gen, gen->district_ids->len);
      JsonObject *data = json_object_new ();
      GString *body = g_string_new (NULL);
      g_autofree char *title = NULL;
      g_autofree char *lead = paragraph (gen, district, 2);
      g_autoptr(GDateTime) published = g_date_time_add_seconds (start, step * i + pick (gen, 3600));
      g_autofree char *published_text = g_date_time_format (published, "%Y-%m-%dT%H:%M:%SZ");
      g_autofree char *url = g_strdup_printf ("https://nongthonmoi.hatinh.gov.vn/vi/news/"
                                              "tin-tuc/bai-%u.html", 10000 + i);
      g_autofree char *sentence = paragraph (gen, district, 1);
      JsonArray *tags = json_array_new ();
      guint target = 2700 + pick (gen, 700);

      /* A title is a sentence cut at a comma or after a dozen words. */
      {
        char *comma = strchr (sentence, ',');
        char *dot = strrchr (sentence, '.');

        if (comma != NULL && comma - sentence > 20)
          *comma = '\0';
        else if (dot != NULL)
          *dot = '\0';
        title = g_strdup (sentence);
      }

      while (body->len < target)
        {
          g_autofree char *para = paragraph (gen, district, 3 + pick (gen, 3));

          if (pick (gen, 5) == 0)
            g_string_append_printf (body, "<p><strong>%s</strong></p>",
                                    (char *) g_ptr_array_index (gen->district_names, district));
          g_string_append_printf (body, "<p>%s</p>", para);
          if (body->len < 1200 && pick (gen, 3) == 0)
            g_string_append_printf (body, "<figure><img src=\"/uploads/news/%u/anh-%u.jpg\" "
                                          "alt=\"\"><figcaption>%s</figcaption></figure>",
                                    2010 + i % 17, i,
                                    g_utf8_offset_to_pointer (lead, g_utf8_strlen (lead, -1) / 2));
        }

      json_object_set_string_member (data, "title", title);
      json_object_set_string_member (data, "lead", lead);
      json_object_set_string_member (data, "body_html", body->str);
      json_object_set_string_member (data, "category", PICK (gen, cn_bench_categories));
      json_object_set_string_member (data, "author", pick_ptr (gen, gen->people_names));
      json_object_set_string_member (data, "source", "Báo Hà Tĩnh");
      json_object_set_string_member (data, "source_url", url);
      json_object_set_string_member (data, "published_at", published_text);
      for (guint t = 0; t < 1 + pick (gen, 3); t++)
        json_array_add_string_element (tags, PICK (gen, cn_bench_tags));
      json_object_set_array_member (data, "tags", tags);
      write_record (gen, "article", id, data);
      g_string_free (body, TRUE);
    }
  g_date_time_unref (start);
}

static void
gen_delegations (Gen *gen, guint per_district)
{
  static const char * const terms[] = { "2010 - 2015", "2015 - 2020", "2020 - 2025" };

  for (guint d = 0; d < gen->district_ids->len; d++)
    {
      GPtrArray *communes = g_ptr_array_index (gen->district_communes, d);

      for (guint k = 0; k < per_district; k++)
        {
          char *id = gen_uuid (gen);
          JsonObject *data = json_object_new ();
          g_autofree char *name = g_strdup_printf ("Đoàn công tác số %u - %s", k % 5 + 1,
                                                   (const char *[]) { "Trung tâm", "Vùng thượng",
                                                                      "Vùng giữa", "Trà Sơn",
                                                                      "Ven biển" }[k % 5]);
          JsonArray *commune_ids = json_array_new ();

          for (guint c = k % 5; c < communes->len; c += 5)
            json_array_add_string_element (commune_ids, g_ptr_array_index (communes, c));
          json_object_set_string_member (data, "name", name);
          json_object_set_string_member (data, "unit_id", g_ptr_array_index (gen->district_ids, d));
          json_object_set_string_member (data, "term", terms[(k / 5) % 3]);
          json_object_set_array_member (data, "leader_ids", id_array (gen, gen->people, 2));
          json_object_set_array_member (data, "member_ids", id_array (gen, gen->people, 4));
          json_object_set_array_member (data, "commune_ids", commune_ids);
          write_record (gen, "delegation", id, data);
          g_ptr_array_add (gen->delegations, id);
          g_ptr_array_add (gen->delegation_district, GUINT_TO_POINTER (d));
        }
    }
}

static const char *
commune_of_district (Gen *gen, guint d)
{
  return pick_ptr (gen, g_ptr_array_index (gen->district_communes, d));
}

static void
gen_workflow (Gen *gen, guint n)
{
  static const char * const task_statuses[] = { "proposed", "open", "in_progress", "done",
                                                "dropped" };
  static const char * const assess_statuses[] = { "met", "in_progress", "not_met" };
  /* Shares of the workflow records (of 100). */
  guint n_assign = n * 3 / 100, n_visits = n * 20 / 100, n_reports = n * 3 / 100;
  guint n_tasks = n * 25 / 100, n_events = n * 25 / 100, n_assess = n * 20 / 100;
  guint n_attend = n - n_assign - n_visits - n_reports - n_tasks - n_events - n_assess;

  for (guint i = 0; i < n_assign; i++)
    {
      g_autofree char *id = gen_uuid (gen);
      JsonObject *data = json_object_new ();
      g_autofree char *since = date_between (gen, 2010, 15);

      json_object_set_string_member (data, "person_id", pick_ptr (gen, gen->people));
      json_object_set_string_member (data, "commune_id", pick_ptr (gen, gen->communes));
      json_object_set_string_member (data, "role", i % 3 ? "member_in_charge"
                                                         : "sponsoring_department");
      if (i % 3 == 0)
        json_object_set_string_member (data, "organization", "Phòng Nông nghiệp và PTNT");
      json_object_set_string_member (data, "since", since);
      write_record (gen, "assignment", id, data);
    }

  for (guint i = 0; i < n_visits; i++)
    {
      char *id = gen_uuid (gen);
      guint del = pick (gen, gen->delegations->len);
      guint d = GPOINTER_TO_UINT (g_ptr_array_index (gen->delegation_district, del));
      JsonObject *data = json_object_new ();
      JsonArray *topics = json_array_new ();
      g_autofree char *date = date_between (gen, 2010, 17);
      g_autofree char *participants = paragraph (gen, d, 1);
      g_autofree char *notes = paragraph (gen, d, 3 + pick (gen, 4));
      g_autofree char *conclusions = paragraph (gen, d, 2);

      for (guint t = 0; t < 1 + pick (gen, 3); t++)
        {
          g_autofree char *topic = g_strdup_printf ("Tiêu chí %s",
                                                    PICK (gen, cn_bench_criteria));
          json_array_add_string_element (topics, topic);
        }
      json_object_set_string_member (data, "delegation_id", g_ptr_array_index (gen->delegations, del));
      json_object_set_string_member (data, "commune_id", commune_of_district (gen, d));
      json_object_set_string_member (data, "date", date);
      json_object_set_array_member (data, "led_by", id_array (gen, gen->people, 2));
      json_object_set_string_member (data, "participants", participants);
      json_object_set_array_member (data, "topics", topics);
      json_object_set_string_member (data, "notes", notes);
      json_object_set_string_member (data, "conclusions", conclusions);
      write_record (gen, "visit", id, data);
      g_ptr_array_add (gen->visits, id);
    }

  for (guint i = 0; i < n_reports; i++)
    {
      g_autofree char *id = gen_uuid (gen);
      guint del = pick (gen, gen->delegations->len);
      guint d = GPOINTER_TO_UINT (g_ptr_array_index (gen->delegation_district, del));
      JsonObject *data = json_object_new ();
      g_autofree char *date = date_between (gen, 2010, 17);
      g_autofree char *period = g_strdup_printf ("Tháng %u/%u", 1 + pick (gen, 12), 2010 + pick (gen, 17));
      g_autofree char *situation = paragraph (gen, d, 4);
      g_autofree char *proposals = paragraph (gen, d, 2);

      json_object_set_string_member (data, "delegation_id", g_ptr_array_index (gen->delegations, del));
      json_object_set_string_member (data, "meeting_date", date);
      json_object_set_string_member (data, "period", period);
      json_object_set_string_member (data, "situation", situation);
      json_object_set_string_member (data, "proposals", proposals);
      json_object_set_string_member (data, "status", i % 4 ? "submitted" : "draft");
      write_record (gen, "report", id, data);
    }

  for (guint i = 0; i < n_tasks; i++)
    {
      char *id = gen_uuid (gen);
      guint d = pick (gen, gen->district_ids->len);
      JsonObject *data = json_object_new ();
      g_autofree char *title = g_strdup_printf ("Hoàn thiện tiêu chí %s tại xã %s",
                                                PICK (gen, cn_bench_criteria),
                                                (char *) pick_ptr (gen, gen->commune_names));
      g_autofree char *description = paragraph (gen, d, 2);
      g_autofree char *due = date_between (gen, 2010, 17);
      const char *commune = commune_of_district (gen, d);

      json_object_set_string_member (data, "title", title);
      json_object_set_string_member (data, "description", description);
      json_object_set_string_member (data, "commune_id", commune);
      if (gen->visits->len > 0)
        json_object_set_string_member (data, "source_id", pick_ptr (gen, gen->visits));
      json_object_set_string_member (data, "owner_id", pick_ptr (gen, gen->people));
      json_object_set_string_member (data, "due_on", due);
      json_object_set_string_member (data, "status", PICK (gen, task_statuses));
      write_record (gen, "task", id, data);
      g_ptr_array_add (gen->tasks, id);
      g_ptr_array_add (gen->task_commune, (gpointer) commune);
    }

  for (guint i = 0; i < n_events; i++)
    {
      g_autofree char *id = gen_uuid (gen);
      JsonObject *data = json_object_new ();
      g_autofree char *at = g_strdup_printf ("%04u-%02u-%02uT%02u:%02u:00Z", 2010 + pick (gen, 17),
                                             1 + pick (gen, 12), 1 + pick (gen, 28),
                                             7 + pick (gen, 10), pick (gen, 60));
      g_autofree char *comment = paragraph (gen, pick (gen, gen->district_ids->len), 1);
      guint from = pick (gen, 4);

      json_object_set_string_member (data, "task_id", pick_ptr (gen, gen->tasks));
      json_object_set_string_member (data, "at", at);
      json_object_set_string_member (data, "from_status", task_statuses[from]);
      json_object_set_string_member (data, "to_status", task_statuses[from + 1]);
      json_object_set_string_member (data, "comment", comment);
      write_record (gen, "task_event", id, data);
    }

  for (guint i = 0; i < n_assess; i++)
    {
      g_autofree char *id = gen_uuid (gen);
      JsonObject *data = json_object_new ();
      g_autofree char *code = g_strdup_printf ("%u", 1 + i % 19);
      g_autofree char *assessed = date_between (gen, 2010, 17);

      json_object_set_string_member (data, "commune_id",
                                     g_ptr_array_index (gen->communes, (i / 19) % gen->communes->len));
      json_object_set_string_member (data, "criteria_set_id", pick_ptr (gen, gen->criteria_sets));
      json_object_set_string_member (data, "criterion_code", code);
      json_object_set_string_member (data, "status", PICK (gen, assess_statuses));
      json_object_set_string_member (data, "assessed_on", assessed);
      if (pick (gen, 3) == 0)
        {
          g_autofree char *note = paragraph (gen, 0, 1);
          json_object_set_string_member (data, "note", note);
        }
      write_record (gen, "assessment", id, data);
    }

  for (guint i = 0; i < n_attend; i++)
    {
      g_autofree char *id = gen_uuid (gen);
      JsonObject *data = json_object_new ();
      g_autofree char *month = g_strdup_printf ("%04u-%02u", 2015 + (i / 12) % 11, 1 + i % 12);

      json_object_set_string_member (data, "person_id",
                                     g_ptr_array_index (gen->people, (i / 12) % gen->people->len));
      json_object_set_string_member (data, "month", month);
      json_object_set_boolean_member (data, "attended", pick (gen, 10) != 0);
      write_record (gen, "attendance", id, data);
    }
}

static guint
write_manifest (Gen *gen, const char *path)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint total = 0;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "province_id");
  json_builder_add_string_value (b, gen->province_id);
  json_builder_set_member_name (b, "districts");
  json_builder_begin_array (b);
  for (guint d = 0; d < gen->district_ids->len; d++)
    {
      GPtrArray *communes = g_ptr_array_index (gen->district_communes, d);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, g_ptr_array_index (gen->district_ids, d));
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, g_ptr_array_index (gen->district_names, d));
      json_builder_set_member_name (b, "communes");
      json_builder_begin_array (b);
      for (guint c = 0; c < communes->len; c++)
        json_builder_add_string_value (b, g_ptr_array_index (communes, c));
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  /* Tasks with their commune, for the incremental sync (edits by another user). */
  json_builder_set_member_name (b, "tasks");
  json_builder_begin_array (b);
  for (guint i = 0; i < MIN (gen->tasks->len, 2000); i++)
    {
      json_builder_begin_array (b);
      json_builder_add_string_value (b, g_ptr_array_index (gen->tasks, i));
      json_builder_add_string_value (b, g_ptr_array_index (gen->task_commune, i));
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "document_numbers");
  json_builder_begin_array (b);
  for (guint i = 0; i < MIN (gen->doc_numbers->len, 50); i++)
    json_builder_add_string_value (b, g_ptr_array_index (gen->doc_numbers,
                                                         i * gen->doc_numbers->len / 50));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "counts");
  json_builder_begin_object (b);
  g_hash_table_iter_init (&iter, gen->counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      json_builder_set_member_name (b, key);
      json_builder_add_int_value (b, GPOINTER_TO_UINT (value));
      total += GPOINTER_TO_UINT (value);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, total);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  if (!json_generator_to_file (generator, path, &error))
    g_error ("%s: %s", path, error->message);
  return total;
}

int
main (int argc, char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *manifest = NULL;
  int articles = 100000, documents = 10000, workflow = 100000, seed = 20261125;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "Server database to create", "PATH" },
    { "manifest", 0, 0, G_OPTION_ARG_FILENAME, &manifest, "Where to write the manifest", "PATH" },
    { "articles", 0, 0, G_OPTION_ARG_INT, &articles, "Articles", "N" },
    { "documents", 0, 0, G_OPTION_ARG_INT, &documents, "Documents", "N" },
    { "workflow", 0, 0, G_OPTION_ARG_INT, &workflow, "Workflow records (people included)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- write benchmark data");
  g_autoptr(GError) error = NULL;
  Gen gen = { 0 };
  gint64 t0 = g_get_monotonic_time ();
  guint n_people, n_delegations_per_district, total;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || db_path == NULL ||
      manifest == NULL)
    {
      g_printerr ("%s\n", error ? error->message : "--db and --manifest are required");
      return 2;
    }

  gen.rand = g_rand_new_with_seed ((guint32) seed);
  gen.db = cn_server_db_open (db_path, TRUE, &error);
  if (gen.db == NULL)
    g_error ("%s", error->message);
  /* Generation only: the database is thrown away if this dies. */
  cn_server_db_exec (gen.db, "PRAGMA secure_delete = OFF", NULL);
  gen.counts = g_hash_table_new (g_str_hash, g_str_equal);
  gen.district_ids = g_ptr_array_new ();
  gen.district_names = g_ptr_array_new ();
  gen.district_communes = g_ptr_array_new ();
  gen.communes = g_ptr_array_new ();
  gen.commune_names = g_ptr_array_new ();
  gen.commune_district = g_ptr_array_new ();
  gen.people = g_ptr_array_new ();
  gen.people_names = g_ptr_array_new ();
  gen.people_unit = g_ptr_array_new ();
  gen.documents = g_ptr_array_new ();
  gen.doc_numbers = g_ptr_array_new ();
  gen.criteria_sets = g_ptr_array_new ();
  gen.delegations = g_ptr_array_new ();
  gen.delegation_district = g_ptr_array_new ();
  gen.visits = g_ptr_array_new ();
  gen.tasks = g_ptr_array_new ();
  gen.task_commune = g_ptr_array_new ();

  /* People are part of the workflow share: 3 %. Delegations: 5 per term per district. */
  n_people = MAX (50, (guint) workflow * 3 / 100);
  n_delegations_per_district = workflow >= 50000 ? 15 : 5;

  gen_units (&gen);
  gen_people (&gen, n_people);
  gen_criteria_sets (&gen);
  gen_documents (&gen, (guint) documents);
  gen_articles (&gen, (guint) articles);
  gen_delegations (&gen, n_delegations_per_district);
  gen_workflow (&gen, (guint) workflow - n_people
                      - n_delegations_per_district * gen.district_ids->len);
  finish (&gen);
  total = write_manifest (&gen, manifest);

  g_print ("{\"generated\": %u, \"ms\": %" G_GINT64_FORMAT "}\n", total,
           (g_get_monotonic_time () - t0) / 1000);
  cn_server_db_free (gen.db);
  g_rand_free (gen.rand);
  return 0;
}
