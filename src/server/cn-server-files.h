/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The content-addressed file store: attachments and images, one file per SHA-256 (64
 * lower-case hex digits), kept as DIR/ab/abcdef…; nothing else is ever a valid name, so no
 * request can reach a path outside the store.
 */

gboolean  cn_server_files_name_is_valid  (const char  *name);
char     *cn_server_files_path           (const char  *dir,
                                          const char  *sha256);
GBytes   *cn_server_files_read           (const char  *dir,
                                          const char  *sha256,
                                          GError     **error);
gboolean  cn_server_files_exists         (const char  *dir,
                                          const char  *sha256);
/* Verifies that @contents hash to @sha256, then stores them (0600, atomically). */
gboolean  cn_server_files_store          (const char  *dir,
                                          const char  *sha256,
                                          GBytes      *contents,
                                          gboolean    *created,
                                          GError     **error);
/* Copies a local file into the store; returns its SHA-256. */
char     *cn_server_files_import         (const char  *dir,
                                          const char  *path,
                                          GError     **error);

G_END_DECLS
