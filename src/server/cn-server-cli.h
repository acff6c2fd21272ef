/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The caunoi-server command line: init, serve, user, import-rss, load-sample, backup, purge.
 * Returns the process exit status. */
int cn_server_cli_run (int    argc,
                       char **argv);

G_END_DECLS
