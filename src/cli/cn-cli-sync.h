/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The sync commands of caunoi-cli. Each takes argv with argv[0] the command name and
 * returns the exit status (0 success, 1 failure, 2 usage). The store is the default one
 * ($XDG_DATA_HOME/caunoi/caunoi.db) unless CAUNOI_DB names another file.
 *
 *   login URL USERNAME [--accept-certificate SHA256]   password on stdin
 *   logout
 *   sync [--json] [--progress] [--download-files]
 *   conflicts [--json]
 *   resolve ID --take mine|theirs [--field NAME=mine|theirs]…
 *   rejected [--json]
 *   retry MUTATION_ID
 */
int cn_cli_sync_login     (int argc, char **argv);
int cn_cli_sync_logout    (int argc, char **argv);
int cn_cli_sync_sync      (int argc, char **argv);
int cn_cli_sync_conflicts (int argc, char **argv);
int cn_cli_sync_resolve   (int argc, char **argv);
int cn_cli_sync_rejected  (int argc, char **argv);
int cn_cli_sync_retry     (int argc, char **argv);

G_END_DECLS
