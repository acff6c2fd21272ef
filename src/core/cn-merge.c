/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-core"

#include "config.h"

#include "cn-merge.h"

static gboolean
nodes_equal (JsonNode *a,
             JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return json_node_equal (a, b);
}

static JsonNode *
member_or_null (JsonObject *object,
                const char *name)
{
  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  return json_object_get_member (object, name);
}

static void
add_names (GHashTable *set,
           JsonObject *object)
{
  g_autoptr(GList) names = NULL;

  if (object == NULL)
    return;
  names = json_object_get_members (object);
  for (GList *l = names; l != NULL; l = l->next)
    g_hash_table_add (set, l->data);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Sorted union of the member names of up to three objects; the strings belong to them. */
static GPtrArray *
union_of_names (JsonObject *a,
                JsonObject *b,
                JsonObject *c)
{
  g_autoptr(GHashTable) set = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  add_names (set, a);
  add_names (set, b);
  add_names (set, c);
  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, key);
  g_ptr_array_sort (names, compare_names);
  return names;
}

static void
set_or_remove (JsonObject *object,
               const char *name,
               JsonNode   *value)
{
  if (value != NULL)
    json_object_set_member (object, name, json_node_copy (value));
  else if (json_object_has_member (object, name))
    json_object_remove_member (object, name);
}

GPtrArray *
cn_merge_changed_fields (JsonObject *a,
                         JsonObject *b)
{
  g_autoptr(GPtrArray) names = union_of_names (a, b, NULL);
  GPtrArray *changed = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (!nodes_equal (member_or_null (a, name), member_or_null (b, name)))
        g_ptr_array_add (changed, g_strdup (name));
    }
  return changed;
}

static CnMerge *
cn_merge_new (void)
{
  CnMerge *merge = g_new0 (CnMerge, 1);

  merge->data = json_object_new ();
  merge->conflicts = g_ptr_array_new_with_free_func (g_free);
  return merge;
}

static void
copy_members (JsonObject *to,
              JsonObject *from)
{
  g_autoptr(GList) names = NULL;

  if (from == NULL)
    return;
  names = json_object_get_members (from);
  for (GList *l = names; l != NULL; l = l->next)
    json_object_set_member (to, l->data, json_object_dup_member (from, l->data));
}

/* One side deleted the record, the other side holds `edited`: a conflict when the edit
 * changed something since the base, otherwise the deletion wins. */
static CnMerge *
merge_delete_against (JsonObject *base,
                      JsonObject *edited,
                      gboolean    edited_is_mine)
{
  CnMerge *merge = cn_merge_new ();
  g_autoptr(GPtrArray) changed = cn_merge_changed_fields (base, edited);

  if (changed->len == 0)
    {
      merge->deleted = TRUE;
      return merge;
    }

  merge->delete_conflict = TRUE;
  for (guint i = 0; i < changed->len; i++)
    g_ptr_array_add (merge->conflicts, g_strdup (g_ptr_array_index (changed, i)));
  /* Keep the local side visible until the clerk decides. */
  if (edited_is_mine)
    copy_members (merge->data, edited);
  return merge;
}

CnMerge *
cn_merge_three_way (JsonObject *base,
                    JsonObject *mine,
                    gboolean    mine_deleted,
                    JsonObject *theirs,
                    gboolean    theirs_deleted)
{
  g_autoptr(GPtrArray) names = NULL;
  CnMerge *merge;

  if (mine_deleted && theirs_deleted)
    {
      merge = cn_merge_new ();
      merge->deleted = TRUE;
      return merge;
    }
  if (mine_deleted)
    return merge_delete_against (base, theirs, FALSE);
  if (theirs_deleted)
    return merge_delete_against (base, mine, TRUE);

  merge = cn_merge_new ();
  names = union_of_names (base, mine, theirs);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      JsonNode *b = member_or_null (base, name);
      JsonNode *m = member_or_null (mine, name);
      JsonNode *t = member_or_null (theirs, name);

      if (nodes_equal (m, t) || nodes_equal (t, b))
        set_or_remove (merge->data, name, m);
      else if (nodes_equal (m, b))
        set_or_remove (merge->data, name, t);
      else
        {
          set_or_remove (merge->data, name, m);
          g_ptr_array_add (merge->conflicts, g_strdup (name));
        }
    }
  return merge;
}

gboolean
cn_merge_has_conflict (const CnMerge *merge)
{
  g_return_val_if_fail (merge != NULL, FALSE);

  return merge->delete_conflict || merge->conflicts->len > 0;
}

void
cn_merge_free (CnMerge *merge)
{
  if (merge == NULL)
    return;
  g_clear_pointer (&merge->data, json_object_unref);
  g_clear_pointer (&merge->conflicts, g_ptr_array_unref);
  g_free (merge);
}

static gboolean
takes_mine (GHashTable *choices,
            const char *field,
            const char *default_take)
{
  const char *take = choices != NULL ? g_hash_table_lookup (choices, field) : NULL;

  return g_strcmp0 (take != NULL ? take : default_take, "mine") == 0;
}

JsonObject *
cn_merge_settle (JsonObject *base,
                 JsonObject *mine,
                 gboolean    mine_deleted,
                 JsonObject *theirs,
                 gboolean    theirs_deleted,
                 GHashTable *choices,
                 const char *default_take,
                 gboolean   *deleted)
{
  g_autoptr(CnMerge) merge = NULL;
  JsonObject *settled;

  g_return_val_if_fail (g_strcmp0 (default_take, "mine") == 0 ||
                        g_strcmp0 (default_take, "theirs") == 0, NULL);
  g_return_val_if_fail (deleted != NULL, NULL);

  *deleted = FALSE;
  merge = cn_merge_three_way (base, mine, mine_deleted, theirs, theirs_deleted);

  if (merge->delete_conflict)
    {
      /* A deletion is one decision for the whole record, not per field. */
      gboolean keep_mine = g_strcmp0 (default_take, "mine") == 0;
      gboolean result_deleted = keep_mine ? mine_deleted : theirs_deleted;

      if (result_deleted)
        {
          *deleted = TRUE;
          return NULL;
        }
      settled = json_object_new ();
      copy_members (settled, keep_mine ? mine : theirs);
      return settled;
    }
  if (merge->deleted)
    {
      *deleted = TRUE;
      return NULL;
    }

  settled = json_object_ref (merge->data);
  for (guint i = 0; i < merge->conflicts->len; i++)
    {
      const char *field = g_ptr_array_index (merge->conflicts, i);
      JsonObject *side = takes_mine (choices, field, default_take) ? mine : theirs;

      set_or_remove (settled, field, member_or_null (side, field));
    }
  return settled;
}
