/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "cn-cli-commands.h"
#include "cn-cli-util.h"
#include "cn-error.h"
#include "cn-query.h"
#include "cn-record.h"
#include "cn-schema.h"
#include "cn-search.h"
#include "cn-store-sample.h"
#include "cn-store.h"

/* Largest JSON object `put` reads from stdin. */
#define MAX_STDIN (16 * 1024 * 1024)

/* Matches in search snippets are marked as Markdown bold. */
#define MARK_START "**"
#define MARK_END   "**"

static void
builder_add_nullable (JsonBuilder *builder,
                      const char  *name,
                      const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* load-sample */

int
cn_cli_load_sample (int argc, char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(CnStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint n_records = 0;
  guint n_files = 0;
  int status = 0;

  if (!cn_cli_parse_options ("", _("Load the sample data drawn from the office website. It is "
                            "marked as sample and never sent to a server."),
                      entries, &argc, &argv, &status) ||
      !cn_cli_check_operands (argc, argv, 0, NULL, &status) ||
      (store = cn_cli_open_store (&status)) == NULL)
    return status;

  if (!cn_store_load_sample_dir (store, NULL, &n_records, &n_files, &error))
    return cn_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "records");
      json_builder_add_int_value (builder, n_records);
      json_builder_set_member_name (builder, "files");
      json_builder_add_int_value (builder, n_files);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      cn_cli_print_json (root);
    }
  else
    {
      g_autofree char *line = g_strdup_printf (_("Loaded %u sample records and %u files.\n"),
                                               n_records, n_files);

      cn_cli_print_text (line);
    }
  return 0;
}

/* search */

int
cn_cli_search (int argc, char **argv)
{
  gboolean json = FALSE;
  char *collection = NULL;
  int limit = 20;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "collection", 'c', 0, G_OPTION_ARG_STRING, &collection,
      N_("Search only this collection"), N_("NAME") },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_("Show at most N results (default 20)"),
      N_("N") },
    { NULL }
  };
  g_autoptr(CnStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autofree char *collection_owned = NULL;
  int status = 0;

  if (!cn_cli_parse_options (_("QUERY"), _("Search articles, documents and workflow records. "
                                    "Tone marks are optional; the last word matches as a "
                                    "prefix."),
                      entries, &argc, &argv, &status))
    return status;
  collection_owned = collection;
  if (!cn_cli_check_operands (argc, argv, 1, _("the text to search for is missing"), &status))
    return status;
  if (limit <= 0)
    return cn_cli_usage_error (argv[0], _("--limit must be a positive number"));
  if ((store = cn_cli_open_store (&status)) == NULL)
    return status;

  hits = cn_store_search (store, argv[1], collection, (guint) limit, MARK_START, MARK_END,
                          &error);
  if (hits == NULL)
    return cn_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < hits->len; i++)
        {
          CnSearchHit *hit = g_ptr_array_index (hits, i);

          json_builder_begin_object (builder);
          builder_add_nullable (builder, "collection", hit->collection);
          builder_add_nullable (builder, "id", hit->id);
          builder_add_nullable (builder, "title", hit->title);
          builder_add_nullable (builder, "snippet", hit->snippet);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      cn_cli_print_json (root);
    }
  else
    {
      for (guint i = 0; i < hits->len; i++)
        {
          CnSearchHit *hit = g_ptr_array_index (hits, i);
          g_autofree char *text = g_strdup_printf ("%s  %s  %s\n    %s\n", hit->id,
                                                   hit->collection, hit->title, hit->snippet);

          cn_cli_print_text (text);
        }
    }
  return 0;
}

/* list */

int
cn_cli_list (int argc, char **argv)
{
  gboolean json = FALSE;
  gboolean descending = FALSE;
  char *sort = NULL;
  char **where = NULL;
  int limit = 0;
  int offset = 0;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_("Show at most N records"), N_("N") },
    { "offset", 0, 0, G_OPTION_ARG_INT, &offset, N_("Skip the first N records"), N_("N") },
    { "sort", 's', 0, G_OPTION_ARG_STRING, &sort, N_("Sort by this field"), N_("FIELD") },
    { "descending", 'd', 0, G_OPTION_ARG_NONE, &descending, N_("Sort in descending order"),
      NULL },
    { "where", 'w', 0, G_OPTION_ARG_STRING_ARRAY, &where,
      N_("Only records whose FIELD is VALUE (repeatable)"), N_("FIELD=VALUE") },
    { NULL }
  };
  g_autoptr(CnStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(CnQuery) query = NULL;
  g_autofree char *sort_owned = NULL;
  g_auto(GStrv) where_owned = NULL;
  int status = 0;

  if (!cn_cli_parse_options (_("COLLECTION"), _("List the records of a collection, by default in "
                                         "its usual order (newest first where it has a "
                                         "date)."),
                      entries, &argc, &argv, &status))
    return status;
  sort_owned = sort;
  where_owned = where;
  if (!cn_cli_check_operands (argc, argv, 1, _("the collection is missing"), &status))
    return status;
  if (limit < 0 || offset < 0)
    return cn_cli_usage_error (argv[0], _("--limit and --offset take positive numbers"));
  if (cn_schema_lookup (argv[1]) == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("There is no collection named “%s”"),
                                                  argv[1]);

      return cn_cli_usage_error (argv[0], message);
    }

  query = cn_query_new (argv[1]);
  if (sort != NULL)
    cn_query_set_sort (query, sort, descending);
  for (guint i = 0; where != NULL && where[i] != NULL; i++)
    {
      const char *eq = strchr (where[i], '=');
      g_autofree char *field = NULL;

      if (eq == NULL || eq == where[i])
        return cn_cli_usage_error (argv[0], _("--where takes FIELD=VALUE"));
      field = g_strndup (where[i], eq - where[i]);
      cn_query_add_filter (query, field, CN_QUERY_EQ, eq + 1);
    }

  if ((store = cn_cli_open_store (&status)) == NULL)
    return status;
  records = cn_store_query (store, query, (guint) offset, (guint) limit, &error);
  if (records == NULL)
    return cn_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonArray) array = json_array_sized_new (records->len);
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < records->len; i++)
        json_array_add_element (array, cn_record_to_json (g_ptr_array_index (records, i)));
      json_node_set_array (root, array);
      cn_cli_print_json (root);
    }
  else
    {
      for (guint i = 0; i < records->len; i++)
        {
          CnRecord *record = g_ptr_array_index (records, i);
          g_autofree char *line = g_strdup_printf ("%s  %s\n", cn_record_get_id (record),
                                                   cn_record_get_title (record));

          cn_cli_print_text (line);
        }
    }
  return 0;
}

/* show */

int
cn_cli_show (int argc, char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(CnStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CnRecord) record = NULL;
  g_autoptr(JsonNode) node = NULL;
  int status = 0;

  if (!cn_cli_parse_options (_("ID"), _("Show one record."), entries, &argc, &argv, &status) ||
      !cn_cli_check_operands (argc, argv, 1, _("the record id is missing"), &status) ||
      (store = cn_cli_open_store (&status)) == NULL)
    return status;

  record = cn_store_get (store, argv[1], &error);
  if (record == NULL)
    return cn_cli_fail (error);
  node = cn_record_to_json (record);

  if (json)
    cn_cli_print_json (node);
  else
    {
      g_autoptr(JsonNode) data = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *data_text = NULL;
      g_autoptr(GString) header = g_string_new (NULL);

      json_node_set_object (data, cn_record_get_data (record));
      json_generator_set_root (generator, data);
      json_generator_set_pretty (generator, TRUE);
      data_text = json_generator_to_data (generator, NULL);
      /* One whole sentence or label per line: no fragments glued in the source language. */
      g_string_append_printf (header, "%s %s\n", cn_record_get_collection (record),
                              cn_record_get_id (record));
      /* Translators: "caunoi-cli show": the record's title */
      g_string_append_printf (header, _("Title: %s\n"), cn_record_get_title (record));
      /* Translators: "caunoi-cli show": the record's revision, a number counting its edits */
      g_string_append_printf (header, _("Revision: %lld\n"),
                              (long long) cn_record_get_rev (record));
      if (cn_record_get_deleted (record))
        g_string_append_printf (header, "%s\n", _("This record is deleted."));
      if (cn_store_is_sample (store, argv[1]))
        g_string_append_printf (header, "%s\n",
                                _("This record is sample data: it is never sent to a server."));
      if (cn_record_get_updated_by (record) != NULL)
        {
          /* Translators: "caunoi-cli show": a date and time, then the user who made the edit */
          g_string_append_printf (header, _("Updated: %s by %s\n"),
                                  cn_record_get_updated_at (record),
                                  cn_record_get_updated_by (record));
        }
      else
        {
          /* Translators: "caunoi-cli show": a date and time */
          g_string_append_printf (header, _("Updated: %s\n"), cn_record_get_updated_at (record));
        }
      cn_cli_print_text (header->str);
      cn_cli_print_text (data_text);
      cn_cli_print_text ("\n");
    }
  return 0;
}

/* put */

static JsonObject *
read_stdin_object (GError **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(JsonNode) root = NULL;
  char buffer[8192];
  size_t n;

  while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
    {
      g_string_append_len (text, buffer, (gssize) n);
      if (text->len > MAX_STDIN)
        {
          g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                       _("The input is larger than %d MB"), MAX_STDIN / (1024 * 1024));
          return NULL;
        }
    }
  if (ferror (stdin))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID, _("Could not read the standard input"));
      return NULL;
    }

  root = cn_json_parse_checked (text->str, (gssize) text->len, error);
  if (root == NULL)
    {
      g_prefix_error (error, _("The fields on stdin are not valid JSON: "));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("The fields on stdin must be one JSON object, such as "
                     "{\"title\": \"…\"}"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

int
cn_cli_put (int argc, char **argv)
{
  gboolean json = FALSE;
  char *id = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the stored record as JSON"), NULL },
    { "id", 'i', 0, G_OPTION_ARG_STRING, &id,
      N_("Change this record: only the fields given (null clears one)"), N_("ID") },
    { NULL }
  };
  g_autoptr(CnStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(CnRecord) record = NULL;
  g_autofree char *id_owned = NULL;
  int status = 0;

  if (!cn_cli_parse_options (_("COLLECTION"), _("Read a record's fields as a JSON object on stdin. "
                                         "Without --id, create a record and print its id; "
                                         "with --id, change only the fields given. The edit "
                                         "is validated and queued for the server."),
                      entries, &argc, &argv, &status))
    return status;
  id_owned = id;
  if (!cn_cli_check_operands (argc, argv, 1, _("the collection is missing"), &status))
    return status;
  if (cn_schema_lookup (argv[1]) == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("There is no collection named “%s”"),
                                                  argv[1]);

      return cn_cli_usage_error (argv[0], message);
    }

  fields = read_stdin_object (&error);
  if (fields == NULL)
    return cn_cli_fail (error);
  if ((store = cn_cli_open_store (&status)) == NULL)
    return status;

  if (id == NULL)
    record = cn_store_put (store, argv[1], NULL, fields, &error);
  else
    {
      g_autoptr(CnRecord) current = cn_store_get (store, id, &error);

      if (current == NULL)
        return cn_cli_fail (error);
      if (g_strcmp0 (cn_record_get_collection (current), argv[1]) != 0)
        {
          /* Translators: a record's id, then the collection it is in and the one the
           * command named, as typed on the command line ("task", "visit") */
          g_set_error (&error, CN_ERROR, CN_ERROR_INVALID,
                       _("The record %s is in the collection “%s”, not in “%s”"),
                       id, cn_record_get_collection (current), argv[1]);
          return cn_cli_fail (error);
        }
      record = cn_store_patch (store, id, fields, &error);
    }
  if (record == NULL)
    return cn_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonNode) node = cn_record_to_json (record);

      cn_cli_print_json (node);
    }
  else if (id == NULL)
    {
      cn_cli_print_text (cn_record_get_id (record));
      cn_cli_print_text ("\n");
    }
  return 0;
}

/* delete */

int
cn_cli_delete (int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(CnStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!cn_cli_parse_options (_("ID"), _("Delete a record; the deletion is queued for the server."),
                      entries, &argc, &argv, &status) ||
      !cn_cli_check_operands (argc, argv, 1, _("the record id is missing"), &status) ||
      (store = cn_cli_open_store (&status)) == NULL)
    return status;

  if (!cn_store_delete (store, argv[1], &error))
    return cn_cli_fail (error);
  return 0;
}

/* status */

int
cn_cli_status (int argc, char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(CnStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *user = NULL;
  g_autofree char *last_sync = NULL;
  CnStoreCounts counts = { 0 };
  int status = 0;

  if (!cn_cli_parse_options ("", _("Show the server, the user, the last sync and the edits waiting "
                            "to be sent."),
                      entries, &argc, &argv, &status) ||
      !cn_cli_check_operands (argc, argv, 0, NULL, &status) ||
      (store = cn_cli_open_store (&status)) == NULL)
    return status;

  if (!cn_store_get_counts (store, &counts, &error))
    return cn_cli_fail (error);
  server = cn_store_dup_meta (store, CN_STORE_META_SERVER_URL);
  user = cn_store_dup_meta (store, CN_STORE_META_USER);
  last_sync = cn_store_dup_meta (store, CN_STORE_META_LAST_SYNC);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      builder_add_nullable (builder, "server", server);
      builder_add_nullable (builder, "user", user);
      builder_add_nullable (builder, "last_sync", last_sync);
      json_builder_set_member_name (builder, "pending");
      json_builder_add_int_value (builder, counts.pending);
      json_builder_set_member_name (builder, "conflicts");
      json_builder_add_int_value (builder, counts.conflicts);
      json_builder_set_member_name (builder, "rejected");
      json_builder_add_int_value (builder, counts.rejected);
      json_builder_set_member_name (builder, "records");
      json_builder_add_int_value (builder, counts.records);
      json_builder_set_member_name (builder, "sample");
      json_builder_add_int_value (builder, counts.sample);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      cn_cli_print_json (root);
    }
  else
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (_("Server: %s\nUser: %s\nLast sync: %s\n"
                                "Edits waiting: %u\nConflicts: %u\nRejected: %u\n"
                                "Records: %u (of them sample: %u)\n"),
                              server ? server : _("none (working offline)"),
                              user ? user : _("not logged in"),
                              last_sync ? last_sync : _("never"),
                              counts.pending, counts.conflicts, counts.rejected,
                              counts.records, counts.sample);
      cn_cli_print_text (text);
    }
  return 0;
}
