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
 *
 * JSON output (stable):
 *   sync --json       {"pulled": N, "pushed": N, "merged": N, "conflicts": N, "rejected": N,
 *                      "files_uploaded": N, "files_downloaded": N, "full_resync": BOOL}
 *                     conflicts and rejected count what waits for the user after the sync;
 *                     the exit status is 0 also when conflicts remain.
 *   conflicts --json  [{"id", "collection", "fields": [names changed on both sides; empty for
 *                      delete against edit], "mine": {data} | null (deleted here),
 *                      "theirs": {data} | null (deleted on the server), "base": {data} | null,
 *                      "theirs_rev": N, "theirs_by": "user" | null}]
 *   rejected --json   [{"mutation_id", "id", "collection", "op": "put" | "delete",
 *                      "reason": "the server's message"}]
 *   sync --progress   one line per step on stderr: "PHASE DONE TOTAL", PHASE one of
 *                     idle, pushing, pulling, files (TOTAL 0 when unknown)
 *   login with an untrusted certificate: exit 1, and stderr names the SHA-256 fingerprint
 *   to confirm and pass with --accept-certificate.
 */
int cn_cli_sync_login     (int argc, char **argv);
int cn_cli_sync_logout    (int argc, char **argv);
int cn_cli_sync_sync      (int argc, char **argv);
int cn_cli_sync_conflicts (int argc, char **argv);
int cn_cli_sync_resolve   (int argc, char **argv);
int cn_cli_sync_rejected  (int argc, char **argv);
int cn_cli_sync_retry     (int argc, char **argv);

G_END_DECLS
