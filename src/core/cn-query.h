/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * What a list shows: one collection, filters, an order and optional search text.
 *
 * Fields are the collection's data fields (cn-schema.h) or the record columns "id", "rev",
 * "updated_at", "updated_by", "title" (the display title) and "read" (the local unread mark,
 * "0" or "1"). The store keeps the fields
 * lists need in narrow indexed columns (see cn_store_indexed_fields()): sorting and
 * filtering on those is fast on 100k rows; any other field works too, through the JSON data,
 * at the price of reading every row of the collection.
 *
 * Sorting ties are broken by the store's row order, so a list order is always total.
 * Deleted records (tombstones) are left out unless cn_query_set_include_deleted().
 */

typedef enum {
  CN_QUERY_EQ,        /* field = value */
  CN_QUERY_NE,
  CN_QUERY_LT,
  CN_QUERY_LE,
  CN_QUERY_GT,
  CN_QUERY_GE,
  CN_QUERY_PREFIX,    /* starts with value (dates: "2015-07" for a month, "2015" for a year) */
  CN_QUERY_CONTAINS,  /* an array field holds value (tags, member_ids…) */
  CN_QUERY_IS_NULL,   /* absent or null; value ignored */
} CnQueryOp;

#define CN_TYPE_QUERY (cn_query_get_type ())

typedef struct _CnQuery CnQuery;

GType        cn_query_get_type            (void) G_GNUC_CONST;
CnQuery     *cn_query_new                 (const char *collection);
CnQuery     *cn_query_copy                (const CnQuery *self);
void         cn_query_free                (CnQuery    *self);

const char  *cn_query_get_collection      (const CnQuery *self);
void         cn_query_add_filter          (CnQuery    *self,
                                           const char *field,
                                           CnQueryOp   op,
                                           const char *value);
void         cn_query_clear_filters       (CnQuery    *self);
void         cn_query_set_sort            (CnQuery    *self,
                                           const char *field,
                                           gboolean    descending);
const char  *cn_query_get_sort_field      (const CnQuery *self);
gboolean     cn_query_get_sort_descending (const CnQuery *self);
void         cn_query_set_search          (CnQuery    *self,
                                           const char *text);
const char  *cn_query_get_search          (const CnQuery *self);
void         cn_query_set_include_deleted (CnQuery    *self,
                                           gboolean    include_deleted);
gboolean     cn_query_get_include_deleted (const CnQuery *self);
gboolean     cn_query_equal               (const CnQuery *a,
                                           const CnQuery *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CnQuery, cn_query_free)

G_END_DECLS
