/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cn-store.h"

G_BEGIN_DECLS

/*
 * The sample data of data/sample/ (see its README.md): caunoi-sample.json and the files its
 * records name. Found in $CAUNOI_SOURCE_DIR/data/sample (tests, running from the source
 * tree), then PKGDATADIR/sample (installed), then the source tree the build came from.
 */

char     *cn_sample_find_dir        (GError     **error);

/* Loads the records as sample (see cn_store_load_sample()) and copies each file of
 * SAMPLE_DIR/files/ into the store's file cache (cn_store_dup_files_dir()) under its
 * SHA-256, after checking the name is that hash. sample_dir NULL: cn_sample_find_dir(). */
gboolean  cn_store_load_sample_dir  (CnStore     *store,
                                     const char  *sample_dir,
                                     guint       *n_records,
                                     guint       *n_files,
                                     GError     **error);

G_END_DECLS
