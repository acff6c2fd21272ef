/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cn-query.h"

G_BEGIN_DECLS

typedef struct {
  char      *field;
  CnQueryOp  op;
  char      *value;
} CnQueryFilter;

struct _CnQuery {
  char      *collection;
  GPtrArray *filters;   /* CnQueryFilter */
  char      *sort_field;
  gboolean   descending;
  char      *search;
  gboolean   include_deleted;
};

G_END_DECLS
