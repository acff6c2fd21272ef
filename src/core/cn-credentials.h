/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The sync token of one (server, user) pair. It lives in the Secret Service (libsecret)
 * when one is reachable; otherwise in a file readable only by its owner (0600) in
 * `data_dir`, the directory that holds the client database. Nothing here logs a token.
 *
 * The environment variable CAUNOI_CREDENTIALS=file skips the Secret Service (headless
 * commune PCs, tests).
 */
typedef enum {
  CN_CREDENTIALS_NONE,
  CN_CREDENTIALS_SECRET_SERVICE,
  CN_CREDENTIALS_FILE,
} CnCredentialsBackend;

gboolean  cn_credentials_save    (const char            *data_dir,
                                  const char            *server_url,
                                  const char            *username,
                                  const char            *token,
                                  CnCredentialsBackend  *used_backend,
                                  GError               **error);
/* Returns NULL without an error when no token is kept. */
char     *cn_credentials_load    (const char            *data_dir,
                                  const char            *server_url,
                                  const char            *username,
                                  GError               **error);
/* Forgets the token wherever it is kept; no token at all is not an error. */
gboolean  cn_credentials_forget  (const char            *data_dir,
                                  const char            *server_url,
                                  const char            *username,
                                  GError               **error);
char     *cn_credentials_file_path (const char          *data_dir);

G_END_DECLS
