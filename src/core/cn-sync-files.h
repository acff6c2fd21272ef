/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cn-store.h"

G_BEGIN_DECLS

/*
 * The local content store of attachments and images: $XDG_DATA_HOME/caunoi/files/<sha256>
 * (cn_store_dup_files_dir()). A record refers to a file by its SHA-256; a sync uploads the
 * files its unsent edits refer to, and downloads others on demand
 * (cn_sync_client_fetch_file_async()) or ahead (the client's download-ahead).
 */

/* Copies a file the user picked into the content store; returns its SHA-256 (and size) to
 * put in the record's attachment. Blocking: call it from a worker thread in the app. */
char     *cn_sync_import_file     (CnStore       *store,
                                   const char    *path,
                                   goffset       *size,
                                   GCancellable  *cancellable,
                                   GError       **error);
/* The local path of a file when it is here, else NULL. */
char     *cn_sync_dup_file_path   (CnStore       *store,
                                   const char    *sha256);

G_END_DECLS
