/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "cn-cli-util.h"

/* Messages go out as raw UTF-8: g_print() and g_printerr() would convert to the locale's
 * charset and mangle Vietnamese under LANG=C. */

int
cn_cli_fail (const GError *error)
{
  fprintf (stderr, "caunoi-cli: %s\n", error->message);
  return EXIT_FAILURE;
}

int
cn_cli_usage_error (const char *command,
                    const char *message)
{
  fprintf (stderr, _("caunoi-cli %s: %s (see “caunoi-cli %s --help”)\n"), command, message,
           command);
  return CN_CLI_EXIT_USAGE;
}

/* Parses the options of a command; on success argv holds the command and its operands. */
gboolean
cn_cli_parse_options (const char    *parameters,
                      const char    *summary,
                      GOptionEntry  *entries,
                      int           *argc,
                      char        ***argv,
                      int           *status)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameters);
  g_autoptr(GError) error = NULL;
  const char *command = (*argv)[0];

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (summary != NULL)
    g_option_context_set_summary (context, summary);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = cn_cli_usage_error (command, error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
cn_cli_check_operands (int          argc,
                       char       **argv,
                       int          wanted,
                       const char  *what,
                       int         *status)
{
  if (argc - 1 == wanted)
    return TRUE;
  *status = cn_cli_usage_error (argv[0], argc - 1 < wanted ? what : _("too many arguments"));
  return FALSE;
}

CnStore *
cn_cli_open_store (int *status)
{
  g_autoptr(GError) error = NULL;
  CnStore *store = cn_store_open (NULL, &error);

  if (store == NULL)
    *status = cn_cli_fail (error);
  return store;
}

void
cn_cli_print_text (const char *text)
{
  fputs (text, stdout);
}

/* The terminal columns @text takes: a combining mark (a Vietnamese tone mark in decomposed
 * text) takes none, a wide (East Asian) character two, any other character one. Not bytes:
 * "Tìm kiếm" is 8 columns but 11 bytes, so printf's "%-32s" would pad it short. */
guint
cn_cli_display_width (const char *text)
{
  guint width = 0;

  if (!g_utf8_validate (text, -1, NULL))
    return (guint) strlen (text);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_iszerowidth (c))
        width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

/* @text followed by as many spaces as make it @width columns wide (none if it is wider). */
char *
cn_cli_pad (const char *text,
            guint       width)
{
  GString *padded = g_string_new (text);

  for (guint used = cn_cli_display_width (text); used < width; used++)
    g_string_append_c (padded, ' ');
  return g_string_free (padded, FALSE);
}

void
cn_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  cn_cli_print_text (text);
  cn_cli_print_text ("\n");
}
