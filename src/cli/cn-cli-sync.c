/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "cn-error.h"
#include "cn-store.h"
#include "cn-sync-client.h"
#include "cn-cli-sync.h"
#include "cn-cli-util.h"
#include "cn-password.h"

/* Waits in a main loop for one async call of the client. */
typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  g_main_loop_run (wait->loop);
  g_clear_pointer (&wait->loop, g_main_loop_unref);
  return wait->result;
}

/* login ------------------------------------------------------------------------------------ */

int
cn_cli_sync_login (int argc, char **argv)
{
  g_autofree char *accept = NULL;
  g_autofree char *password = NULL;
  g_autoptr(CnStore) store = NULL;
  g_autoptr(CnSyncClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { g_main_loop_new (NULL, FALSE), NULL };
  int status = 0;
  GOptionEntry entries[] = {
    { "accept-certificate", 0, 0, G_OPTION_ARG_STRING, &accept,
      N_("Trust the server certificate with this SHA-256 fingerprint (confirm it with the "
         "office first)"), N_("SHA256") },
    { NULL }
  };

  if (!cn_cli_parse_options (_("URL USERNAME — sign in; the password is read from standard input"), NULL,
                      entries, &argc, &argv, &status))
    return (g_main_loop_unref (wait.loop), status);
  if (argc != 3)
    {
      g_main_loop_unref (wait.loop);
      return cn_cli_usage_error (argv[0], _("Give the server address and the user name"));
    }
  password = cn_password_read (_("Password: "));
  if (password == NULL)
    {
      g_main_loop_unref (wait.loop);
      return cn_cli_usage_error (argv[0], _("No password on standard input"));
    }
  store = cn_cli_open_store (&status);
  if (store == NULL)
    return (g_main_loop_unref (wait.loop), status);

  client = cn_sync_client_new (store);
  cn_sync_client_login_async (client, argv[1], argv[2], password, accept, NULL, wait_cb, &wait);
  memset (password, 0, strlen (password));
  result = wait_for (&wait);
  if (!cn_sync_client_login_finish (client, result, &error))
    {
      cn_cli_fail (error);
      if (g_error_matches (error, CN_ERROR, CN_ERROR_CERTIFICATE))
        fprintf (stderr, _("If the office confirms this fingerprint, run the login again with "
                      "--accept-certificate %s\n"),
                    cn_sync_client_get_presented_certificate (client));
      return EXIT_FAILURE;
    }
  {
    g_autofree char *server = cn_sync_client_dup_server_url (client);

    printf (_("Signed in to %s as %s.\n"), server, argv[2]);
  }
  return 0;
}

int
cn_cli_sync_logout (int argc, char **argv)
{
  g_autoptr(CnStore) store = NULL;
  g_autoptr(CnSyncClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL, NULL };
  int status = 0;
  GOptionEntry entries[] = { { NULL } };

  if (!cn_cli_parse_options (_("— sign out and forget the saved sign-in"), NULL,
                             entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return cn_cli_usage_error (argv[0], _("“logout” takes no arguments"));
  store = cn_cli_open_store (&status);
  if (store == NULL)
    return status;
  client = cn_sync_client_new (store);
  wait.loop = g_main_loop_new (NULL, FALSE);
  cn_sync_client_logout_async (client, NULL, wait_cb, &wait);
  result = wait_for (&wait);
  if (!cn_sync_client_logout_finish (client, result, &error))
    {
      cn_cli_fail (error);
      return EXIT_FAILURE;
    }
  return 0;
}

/* sync ------------------------------------------------------------------------------------- */

static void
progress_cb (CnSyncClient *client,
             GParamSpec   *pspec,
             gpointer      user_data)
{
  g_autoptr(GEnumClass) phases = g_type_class_ref (CN_TYPE_SYNC_PHASE);
  GEnumValue *phase = g_enum_get_value (phases, (int) cn_sync_client_get_phase (client));

  /* A stable, untranslated line per step, for scripts: PHASE DONE TOTAL. */
  if (phase != NULL)
    fprintf (stderr, "%s %u %u\n", phase->value_nick,
             cn_sync_client_get_done (client), cn_sync_client_get_total (client));
}

int
cn_cli_sync_sync (int argc, char **argv)
{
  g_autoptr(CnStore) store = NULL;
  g_autoptr(CnSyncClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CnSyncSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  gboolean show_progress = FALSE;
  gboolean download = FALSE;
  Wait wait = { NULL, NULL };
  int status = 0;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { "progress", 0, 0, G_OPTION_ARG_NONE, &show_progress,
      N_("Print each step on standard error as “PHASE DONE TOTAL”"), NULL },
    { "download-files", 0, 0, G_OPTION_ARG_NONE, &download,
      N_("Also download the attachments of received records, for offline use"), NULL },
    { NULL }
  };

  if (!cn_cli_parse_options (_("— send local edits to the server and receive the others’"), NULL,
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return cn_cli_usage_error (argv[0], _("“sync” takes no arguments"));
  store = cn_cli_open_store (&status);
  if (store == NULL)
    return status;

  client = cn_sync_client_new (store);
  cn_sync_client_set_download_ahead (client, download);
  if (show_progress)
    {
      g_signal_connect (client, "notify::done", G_CALLBACK (progress_cb), NULL);
      g_signal_connect (client, "notify::phase", G_CALLBACK (progress_cb), NULL);
    }
  wait.loop = g_main_loop_new (NULL, FALSE);
  cn_sync_client_sync_async (client, NULL, wait_cb, &wait);
  result = wait_for (&wait);
  summary = cn_sync_client_sync_finish (client, result, &error);
  if (summary == NULL)
    {
      cn_cli_fail (error);
      if (g_error_matches (error, CN_ERROR, CN_ERROR_CERTIFICATE))
        fprintf (stderr, _("If the office confirms this fingerprint, sign in again with "
                      "--accept-certificate %s\n"),
                    cn_sync_client_get_presented_certificate (client));
      return EXIT_FAILURE;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "pulled");
      json_builder_add_int_value (builder, summary->pulled);
      json_builder_set_member_name (builder, "pushed");
      json_builder_add_int_value (builder, summary->pushed);
      json_builder_set_member_name (builder, "merged");
      json_builder_add_int_value (builder, summary->merged);
      json_builder_set_member_name (builder, "conflicts");
      json_builder_add_int_value (builder, summary->conflicts);
      json_builder_set_member_name (builder, "rejected");
      json_builder_add_int_value (builder, summary->rejected);
      json_builder_set_member_name (builder, "files_uploaded");
      json_builder_add_int_value (builder, summary->files_uploaded);
      json_builder_set_member_name (builder, "files_downloaded");
      json_builder_add_int_value (builder, summary->files_downloaded);
      json_builder_set_member_name (builder, "full_resync");
      json_builder_add_boolean_value (builder, summary->full_resync);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      cn_cli_print_json (root);
    }
  else
    {
      printf (_("Sent %u edits, received %u records, merged %u.\n"),
               summary->pushed, summary->pulled, summary->merged);
      if (summary->conflicts > 0)
        printf (g_dngettext (GETTEXT_PACKAGE,
                              "%u record changed on both sides waits for you: "
                              "see “caunoi-cli conflicts”.\n",
                              "%u records changed on both sides wait for you: "
                              "see “caunoi-cli conflicts”.\n", summary->conflicts),
                 summary->conflicts);
      if (summary->rejected > 0)
        printf (g_dngettext (GETTEXT_PACKAGE,
                              "The server refused %u edit: see “caunoi-cli rejected”.\n",
                              "The server refused %u edits: see “caunoi-cli rejected”.\n",
                              summary->rejected),
                 summary->rejected);
    }
  return 0;
}

/* conflicts -------------------------------------------------------------------------------- */

static void
add_object_or_null (JsonBuilder *builder,
                    const char  *name,
                    JsonObject  *object)
{
  json_builder_set_member_name (builder, name);
  if (object != NULL)
    json_builder_add_value (builder, json_node_init_object (json_node_alloc (), object));
  else
    json_builder_add_null_value (builder);
}

static char *
value_text (JsonObject *object,
            const char *field)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, field) : NULL;

  if (node == NULL)
    return g_strdup ("—");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return json_to_string (node, FALSE);
}

int
cn_cli_sync_conflicts (int argc, char **argv)
{
  g_autoptr(CnStore) store = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  const char *mine_label;
  const char *theirs_label;
  guint label_width;
  gboolean json = FALSE;
  int status = 0;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the conflicts as JSON"), NULL },
    { NULL }
  };

  if (!cn_cli_parse_options (_("— list the records changed here and on the server"), NULL,
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return cn_cli_usage_error (argv[0], _("“conflicts” takes no arguments"));
  store = cn_cli_open_store (&status);
  if (store == NULL)
    return status;
  conflicts = cn_store_list_conflicts (store, &error);
  if (conflicts == NULL)
    {
      cn_cli_fail (error);
      return EXIT_FAILURE;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < conflicts->len; i++)
        {
          CnConflict *conflict = g_ptr_array_index (conflicts, i);
          gboolean theirs_deleted = cn_record_get_deleted (conflict->theirs);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, conflict->id);
          json_builder_set_member_name (builder, "collection");
          json_builder_add_string_value (builder, conflict->collection);
          json_builder_set_member_name (builder, "fields");
          json_builder_begin_array (builder);
          for (guint f = 0; conflict->fields != NULL && conflict->fields[f] != NULL; f++)
            json_builder_add_string_value (builder, conflict->fields[f]);
          json_builder_end_array (builder);
          /* null: deleted on that side (mine, theirs) or not known (base). */
          add_object_or_null (builder, "mine", conflict->mine);
          add_object_or_null (builder, "theirs",
                              theirs_deleted ? NULL : cn_record_get_data (conflict->theirs));
          add_object_or_null (builder, "base", conflict->base);
          json_builder_set_member_name (builder, "theirs_rev");
          json_builder_add_int_value (builder, cn_record_get_rev (conflict->theirs));
          json_builder_set_member_name (builder, "theirs_by");
          if (cn_record_get_updated_by (conflict->theirs) != NULL)
            json_builder_add_string_value (builder, cn_record_get_updated_by (conflict->theirs));
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      cn_cli_print_json (root);
      return 0;
    }

  /* Translators: the two labels line up under each other, padded by the program. */
  mine_label = _("mine:");
  theirs_label = _("theirs:");
  label_width = MAX (cn_cli_display_width (mine_label), cn_cli_display_width (theirs_label));
  if (conflicts->len == 0)
    printf ("%s\n", _("No conflicts."));
  for (guint i = 0; i < conflicts->len; i++)
    {
      CnConflict *conflict = g_ptr_array_index (conflicts, i);
      JsonObject *theirs = cn_record_get_deleted (conflict->theirs)
                           ? NULL : cn_record_get_data (conflict->theirs);

      printf ("%s %s\n", conflict->collection, conflict->id);
      if (conflict->mine == NULL)
        printf ("  %s\n", _("deleted here, changed on the server"));
      else if (theirs == NULL)
        printf ("  %s\n", _("changed here, deleted on the server"));
      for (guint f = 0; conflict->fields != NULL && conflict->fields[f] != NULL; f++)
        {
          g_autofree char *mine_text = value_text (conflict->mine, conflict->fields[f]);
          g_autofree char *theirs_text = value_text (theirs, conflict->fields[f]);
          g_autofree char *mine_padded = cn_cli_pad (mine_label, label_width);
          g_autofree char *theirs_padded = cn_cli_pad (theirs_label, label_width);

          printf ("  %s\n    %s %s\n    %s %s\n", conflict->fields[f],
                  mine_padded, mine_text, theirs_padded, theirs_text);
        }
    }
  return 0;
}

int
cn_cli_sync_resolve (int argc, char **argv)
{
  g_autoptr(CnStore) store = NULL;
  g_autoptr(CnSyncClient) client = NULL;
  g_autoptr(GHashTable) choices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *take = NULL;
  g_auto(GStrv) fields = NULL;
  int status = 0;
  GOptionEntry entries[] = {
    { "take", 0, 0, G_OPTION_ARG_STRING, &take,
      N_("mine or theirs, for every field changed on both sides"), N_("SIDE") },
    { "field", 0, 0, G_OPTION_ARG_STRING_ARRAY, &fields,
      N_("Another side for one field, e.g. --field notes=theirs (repeatable)"),
      N_("NAME=SIDE") },
    { NULL }
  };

  if (!cn_cli_parse_options (_("ID — settle a conflict"), NULL,
                             entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return cn_cli_usage_error (argv[0], _("Give the id of the record in conflict"));
  if (take == NULL)
    return cn_cli_usage_error (argv[0], _("Say which side to take: --take mine or --take theirs"));
  for (guint i = 0; fields != NULL && fields[i] != NULL; i++)
    {
      const char *eq = strchr (fields[i], '=');

      if (eq == NULL || eq == fields[i])
        return cn_cli_usage_error (argv[0], _("Write --field as NAME=mine or NAME=theirs"));
      g_hash_table_insert (choices, g_strndup (fields[i], (gsize) (eq - fields[i])),
                           g_strdup (eq + 1));
    }

  store = cn_cli_open_store (&status);
  if (store == NULL)
    return status;
  client = cn_sync_client_new (store);
  if (!cn_sync_client_resolve_conflict (client, argv[1], take, choices, &error))
    {
      cn_cli_fail (error);
      return g_error_matches (error, CN_ERROR, CN_ERROR_INVALID) ? CN_CLI_EXIT_USAGE : EXIT_FAILURE;
    }
  return 0;
}

/* rejected --------------------------------------------------------------------------------- */

int
cn_cli_sync_rejected (int argc, char **argv)
{
  g_autoptr(CnStore) store = NULL;
  g_autoptr(GPtrArray) entries_list = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  guint shown = 0;
  int status = 0;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the refused edits as JSON"), NULL },
    { NULL }
  };

  if (!cn_cli_parse_options (_("— list the edits the server refused, with its reasons"), NULL,
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return cn_cli_usage_error (argv[0], _("“rejected” takes no arguments"));
  store = cn_cli_open_store (&status);
  if (store == NULL)
    return status;
  entries_list = cn_store_list_outbox (store, TRUE, 0, &error);
  if (entries_list == NULL)
    {
      cn_cli_fail (error);
      return EXIT_FAILURE;
    }

  json_builder_begin_array (builder);
  for (guint i = 0; i < entries_list->len; i++)
    {
      CnOutboxEntry *entry = g_ptr_array_index (entries_list, i);

      if (entry->state != CN_OUTBOX_REJECTED)
        continue;
      shown++;
      if (!json)
        {
          printf ("%s %s %s (%s)\n  %s\n", entry->collection, entry->id, entry->op,
                   entry->mutation_id, entry->reason != NULL ? entry->reason : "");
          continue;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "mutation_id");
      json_builder_add_string_value (builder, entry->mutation_id);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, entry->id);
      json_builder_set_member_name (builder, "collection");
      json_builder_add_string_value (builder, entry->collection);
      json_builder_set_member_name (builder, "op");
      json_builder_add_string_value (builder, entry->op);
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, entry->reason != NULL ? entry->reason : "");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);

      cn_cli_print_json (root);
    }
  else if (shown == 0)
    printf ("%s\n", _("The server refused no edits."));
  return 0;
}

int
cn_cli_sync_retry (int argc, char **argv)
{
  g_autoptr(CnStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  GOptionEntry entries[] = { { NULL } };

  if (!cn_cli_parse_options (_("MUTATION_ID — send a refused edit again at the next sync"), NULL,
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return cn_cli_usage_error (argv[0], _("Give the id of the refused edit (see “caunoi-cli rejected”)"));
  store = cn_cli_open_store (&status);
  if (store == NULL)
    return status;
  if (!cn_store_retry_rejected (store, argv[1], &error))
    {
      cn_cli_fail (error);
      return EXIT_FAILURE;
    }
  return 0;
}
