/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The store commands of caunoi-cli, as the sync ones (cn-cli-sync.h): argv[0] is the
 * command name; each returns the exit status (0 success, 1 failure, 2 usage). The store is
 * $XDG_DATA_HOME/caunoi/caunoi.db. The --json output is described in src/cli/README.md.
 *
 *   load-sample [--json]
 *   search QUERY [--json] [--collection NAME] [--limit N]
 *   list COLLECTION [--json] [--limit N] [--offset N] [--sort FIELD] [--descending]
 *        [--where FIELD=VALUE]…
 *   show ID [--json]
 *   put COLLECTION [--id ID] [--json]     the fields as a JSON object on stdin
 *   delete ID
 *   status [--json]
 */
int cn_cli_load_sample (int argc, char **argv);
int cn_cli_search      (int argc, char **argv);
int cn_cli_list        (int argc, char **argv);
int cn_cli_show        (int argc, char **argv);
int cn_cli_put         (int argc, char **argv);
int cn_cli_delete      (int argc, char **argv);
int cn_cli_status      (int argc, char **argv);

G_END_DECLS
