/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-store"

#include "config.h"

#include "cn-query-private.h"

G_DEFINE_BOXED_TYPE (CnQuery, cn_query, cn_query_copy, cn_query_free)

static void
cn_query_filter_free (gpointer data)
{
  CnQueryFilter *filter = data;

  g_free (filter->field);
  g_free (filter->value);
  g_free (filter);
}

CnQuery *
cn_query_new (const char *collection)
{
  CnQuery *self;

  g_return_val_if_fail (collection != NULL, NULL);

  self = g_new0 (CnQuery, 1);
  self->collection = g_strdup (collection);
  self->filters = g_ptr_array_new_with_free_func (cn_query_filter_free);
  return self;
}

CnQuery *
cn_query_copy (const CnQuery *self)
{
  CnQuery *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = cn_query_new (self->collection);
  for (guint i = 0; i < self->filters->len; i++)
    {
      const CnQueryFilter *filter = g_ptr_array_index (self->filters, i);

      cn_query_add_filter (copy, filter->field, filter->op, filter->value);
    }
  copy->sort_field = g_strdup (self->sort_field);
  copy->descending = self->descending;
  copy->search = g_strdup (self->search);
  copy->include_deleted = self->include_deleted;
  return copy;
}

void
cn_query_free (CnQuery *self)
{
  if (self == NULL)
    return;
  g_free (self->collection);
  g_ptr_array_unref (self->filters);
  g_free (self->sort_field);
  g_free (self->search);
  g_free (self);
}

const char *
cn_query_get_collection (const CnQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->collection;
}

void
cn_query_add_filter (CnQuery    *self,
                     const char *field,
                     CnQueryOp   op,
                     const char *value)
{
  CnQueryFilter *filter;

  g_return_if_fail (self != NULL);
  g_return_if_fail (field != NULL);
  g_return_if_fail (op <= CN_QUERY_IS_NULL);
  g_return_if_fail (op == CN_QUERY_IS_NULL || value != NULL);

  filter = g_new0 (CnQueryFilter, 1);
  filter->field = g_strdup (field);
  filter->op = op;
  filter->value = g_strdup (value);
  g_ptr_array_add (self->filters, filter);
}

void
cn_query_clear_filters (CnQuery *self)
{
  g_return_if_fail (self != NULL);
  g_ptr_array_set_size (self->filters, 0);
}

void
cn_query_set_sort (CnQuery    *self,
                   const char *field,
                   gboolean    descending)
{
  g_return_if_fail (self != NULL);

  g_free (self->sort_field);
  self->sort_field = g_strdup (field);
  self->descending = !!descending;
}

const char *
cn_query_get_sort_field (const CnQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->sort_field;
}

gboolean
cn_query_get_sort_descending (const CnQuery *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->descending;
}

void
cn_query_set_search (CnQuery    *self,
                     const char *text)
{
  g_return_if_fail (self != NULL);

  g_free (self->search);
  self->search = (text != NULL && *text != '\0') ? g_strdup (text) : NULL;
}

const char *
cn_query_get_search (const CnQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->search;
}

void
cn_query_set_include_deleted (CnQuery  *self,
                              gboolean  include_deleted)
{
  g_return_if_fail (self != NULL);
  self->include_deleted = !!include_deleted;
}

gboolean
cn_query_get_include_deleted (const CnQuery *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->include_deleted;
}

gboolean
cn_query_equal (const CnQuery *a,
                const CnQuery *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (g_strcmp0 (a->collection, b->collection) != 0 ||
      g_strcmp0 (a->sort_field, b->sort_field) != 0 ||
      a->descending != b->descending ||
      g_strcmp0 (a->search, b->search) != 0 ||
      a->include_deleted != b->include_deleted ||
      a->filters->len != b->filters->len)
    return FALSE;

  for (guint i = 0; i < a->filters->len; i++)
    {
      const CnQueryFilter *fa = g_ptr_array_index (a->filters, i);
      const CnQueryFilter *fb = g_ptr_array_index (b->filters, i);

      if (g_strcmp0 (fa->field, fb->field) != 0 || fa->op != fb->op ||
          g_strcmp0 (fa->value, fb->value) != 0)
        return FALSE;
    }
  return TRUE;
}
