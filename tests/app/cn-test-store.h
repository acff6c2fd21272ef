/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cn-store.h"

G_BEGIN_DECLS

/* For the workflow tests: a store in a new temporary directory (named after @name), with the
 * sample records of data/sample loaded (CAUNOI_SOURCE_DIR). Sets @dir and @path. */
CnStore *cn_test_store_new_sample (const char  *name,
                                   char       **dir,
                                   char       **path);
/* Removes the store file at @path, its WAL and shared-memory files, and @dir. The store must
 * be closed. */
void     cn_test_store_remove     (const char  *dir,
                                   const char  *path);
/* Runs the main loop until @check holds; fails the test, naming @what, after a minute (far
 * more than any machine needs: a bound on a hang, not a timing). */
void     cn_test_wait_until       (gboolean   (*check) (gpointer),
                                   gpointer     data,
                                   const char  *what);

G_END_DECLS
