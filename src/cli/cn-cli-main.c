/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cn-cli-commands.h"
#include "cn-cli-sync.h"
#include "cn-cli-util.h"

/* One row per command. A new group of commands adds its rows here and its functions in a
 * file of its own (cn-cli-commands.c for the store, cn-cli-sync.c for sync). */
typedef struct {
  const char *name;
  const char *parameters;
  const char *summary;
  int       (*run) (int argc, char **argv);
} CnCliCommand;

static const CnCliCommand commands[] = {
  { "load-sample", "", N_("Load the sample data (marked as sample, never sent to a server)"),
    cn_cli_load_sample },
  { "search", N_("QUERY"), N_("Search every collection, with or without tone marks"),
    cn_cli_search },
  { "list", N_("COLLECTION"), N_("List the records of a collection"), cn_cli_list },
  { "show", N_("ID"), N_("Show one record"), cn_cli_show },
  { "put", N_("COLLECTION [--id ID]"),
    N_("Create a record, or change the fields given, from a JSON object on stdin"),
    cn_cli_put },
  { "delete", N_("ID"), N_("Delete a record"), cn_cli_delete },
  { "status", "", N_("Show the server, the user, the last sync and the waiting edits"),
    cn_cli_status },
  { "login", N_("URL USERNAME"), N_("Log in to a server (password on stdin)"),
    cn_cli_sync_login },
  { "logout", "", N_("Forget the login"), cn_cli_sync_logout },
  { "sync", "", N_("Send the waiting edits and fetch the changes"), cn_cli_sync_sync },
  { "conflicts", "", N_("List the conflicts to settle"), cn_cli_sync_conflicts },
  { "resolve", N_("ID --take mine|theirs"), N_("Settle a conflict"), cn_cli_sync_resolve },
  { "rejected", "", N_("List the edits the server rejected, with its reasons"),
    cn_cli_sync_rejected },
  { "retry", N_("MUTATION_ID"), N_("Send a rejected edit again"), cn_cli_sync_retry },
};

static void
print_usage (FILE *out)
{
  fprintf (out, _("Usage: %s COMMAND [OPTIONS…]\n\n"), g_get_prgname ());
  g_autoptr(GPtrArray) usages = g_ptr_array_new_with_free_func (g_free);
  guint column = 0;

  fprintf (out, "%s\n", _("Cầu Nối headless client. Commands:"));
  /* The summaries start in one column, measured in what the terminal shows (translated
   * parameters are not ASCII): the widest usage's, plus a space. */
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      /* Not _(""): gettext answers the empty string with the catalog's header. */
      const char *parameters = *commands[i].parameters != '\0' ? _(commands[i].parameters) : "";
      char *usage = g_strdup_printf ("%s %s", commands[i].name, parameters);

      column = MAX (column, cn_cli_display_width (usage) + 1);
      g_ptr_array_add (usages, usage);
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *usage = cn_cli_pad (g_ptr_array_index (usages, i), column);

      fprintf (out, "  %s%s\n", usage, _(commands[i].summary));
    }
  fprintf (out, "\n%s\n", _("Add --json for machine-readable output, --help after a command "
                            "for its options. Data lives in $XDG_DATA_HOME/caunoi/."));
}

int
main (int argc, char **argv)
{
  const char *localedir = g_getenv ("CAUNOI_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* CAUNOI_LOCALEDIR, as for the app: the catalogs meson builds in <builddir>/po, for the
   * tests and build-aux/run. */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir
                                                                            : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("caunoi-cli");

  if (argc < 2)
    {
      print_usage (stderr);
      return 2;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("caunoi-cli %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      strcmp (argv[1], "help") == 0)
    {
      print_usage (stdout);
      return 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  fprintf (stderr, _("caunoi-cli: unknown command “%s”; run “caunoi-cli --help” for the "
                     "list\n"), argv[1]);
  return 2;
}
