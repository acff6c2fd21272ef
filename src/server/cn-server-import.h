/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "cn-rss.h"
#include "cn-server-db.h"

G_BEGIN_DECLS

/* The updated_by of records written by the feed importer and by load-sample. */
#define CN_SERVER_IMPORT_USER "rss-import"
#define CN_SERVER_SAMPLE_USER "sample"

typedef struct {
  guint added;      /* new records */
  guint updated;    /* items changed on the site since the last import */
  guint unchanged;  /* items imported before, the same */
  guint kept;       /* items changed on the site whose record a person edited: left alone */
  guint images;     /* pictures fetched into the file store */
} CnServerImportStats;

/* Imports a NukeViet feed in one transaction: all of it or, on any error, nothing.
 * Idempotent by guid: an item seen before is written again only if it changed on the site
 * and nobody edited its record since. With @files_dir, the thumbnail of each new or changed
 * article is downloaded into the file store and listed in its images (blocking: run it off
 * the main loop); a picture that cannot be fetched is left out, the article is not. */
gboolean  cn_server_import_feed   (CnServerDb           *db,
                                   const char           *files_dir,
                                   const char           *data,
                                   gsize                 len,
                                   CnFeedKind            kind,
                                   CnServerImportStats  *stats,
                                   GError              **error);

/* Finds caunoi-sample.json: $CAUNOI_SOURCE_DIR/data/sample, PKGDATADIR/sample, then the
 * source tree the program was built from. */
char     *cn_server_find_sample   (GError              **error);

/* Loads the sample records (idempotent) and copies the files beside them (files/) into
 * the file store. */
gboolean  cn_server_load_sample   (CnServerDb           *db,
                                   const char           *files_dir,
                                   const char           *sample_path,
                                   guint                *n_records,
                                   guint                *n_files,
                                   GError              **error);

G_END_DECLS
