/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "cn-store.h"

G_BEGIN_DECLS

/* Exit status of a command called the wrong way. */
#define CN_CLI_EXIT_USAGE 2

int       cn_cli_fail            (const GError  *error);
int       cn_cli_usage_error     (const char    *command,
                                  const char    *message);
gboolean  cn_cli_parse_options   (const char    *parameters,
                                  const char    *summary,
                                  GOptionEntry  *entries,
                                  int           *argc,
                                  char        ***argv,
                                  int           *status);
gboolean  cn_cli_check_operands  (int            argc,
                                  char         **argv,
                                  int            wanted,
                                  const char    *what,
                                  int           *status);
CnStore  *cn_cli_open_store      (int           *status);
void      cn_cli_print_text      (const char    *text);
guint     cn_cli_display_width   (const char    *text);
char     *cn_cli_pad             (const char    *text,
                                  guint          width);
void      cn_cli_print_json      (JsonNode      *node);

G_END_DECLS
