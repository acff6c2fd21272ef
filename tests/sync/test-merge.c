/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cn-merge.h"

static JsonObject *
object_from (const char *json)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  if (json == NULL)
    return NULL;
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static void
assert_object (JsonObject *object,
               const char *expected_json)
{
  g_autoptr(JsonObject) expected = object_from (expected_json);
  g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonNode) b = json_node_init_object (json_node_alloc (), expected);

  if (!json_node_equal (a, b))
    {
      g_autofree char *got = json_to_string (a, FALSE);

      g_error ("merged data %s, expected %s", got, expected_json);
    }
}

static void
assert_fields (GPtrArray  *fields,
               const char *expected_csv)
{
  g_autoptr(GString) got = g_string_new ("");

  for (guint i = 0; i < fields->len; i++)
    g_string_append_printf (got, "%s%s", i > 0 ? "," : "",
                            (const char *) g_ptr_array_index (fields, i));
  g_assert_cmpstr (got->str, ==, expected_csv);
}

static CnMerge *
merge_json (const char *base,
            const char *mine,
            gboolean    mine_deleted,
            const char *theirs,
            gboolean    theirs_deleted)
{
  g_autoptr(JsonObject) b = object_from (base);
  g_autoptr(JsonObject) m = object_from (mine);
  g_autoptr(JsonObject) t = object_from (theirs);

  return cn_merge_three_way (b, m, mine_deleted, t, theirs_deleted);
}

static void
test_merge_disjoint_fields (void)
{
  g_autoptr(CnMerge) merge = merge_json (
    "{\"title\":\"Họp\",\"status\":\"open\",\"due_on\":\"2015-06-30\"}",
    "{\"title\":\"Họp xã Tiến Lộc\",\"status\":\"open\",\"due_on\":\"2015-06-30\"}", FALSE,
    "{\"title\":\"Họp\",\"status\":\"done\",\"due_on\":\"2015-06-30\"}", FALSE);

  g_assert_false (cn_merge_has_conflict (merge));
  g_assert_false (merge->deleted);
  assert_fields (merge->conflicts, "");
  assert_object (merge->data,
                 "{\"title\":\"Họp xã Tiến Lộc\",\"status\":\"done\",\"due_on\":\"2015-06-30\"}");
}

static void
test_merge_added_and_removed_fields (void)
{
  /* I added "note", they removed "phone": both survive. */
  g_autoptr(CnMerge) merge = merge_json (
    "{\"full_name\":\"Trần Quý\",\"phone\":\"0239\"}",
    "{\"full_name\":\"Trần Quý\",\"phone\":\"0239\",\"position\":\"Chủ nhiệm\"}", FALSE,
    "{\"full_name\":\"Trần Quý\"}", FALSE);

  g_assert_false (cn_merge_has_conflict (merge));
  assert_object (merge->data, "{\"full_name\":\"Trần Quý\",\"position\":\"Chủ nhiệm\"}");
}

static void
test_merge_same_change_both_sides (void)
{
  g_autoptr(CnMerge) merge = merge_json ("{\"status\":\"open\"}",
                                         "{\"status\":\"done\"}", FALSE,
                                         "{\"status\":\"done\"}", FALSE);

  g_assert_false (cn_merge_has_conflict (merge));
  assert_object (merge->data, "{\"status\":\"done\"}");
}

static void
test_merge_same_field_conflict (void)
{
  g_autoptr(CnMerge) merge = merge_json (
    "{\"notes\":\"a\",\"topics\":[\"giao thông\"],\"date\":\"2015-06-06\"}",
    "{\"notes\":\"mine\",\"topics\":[\"giao thông\",\"thủy lợi\"],\"date\":\"2015-06-06\"}", FALSE,
    "{\"notes\":\"theirs\",\"topics\":[\"giao thông\",\"điện\"],\"date\":\"2015-06-07\"}", FALSE);

  g_assert_true (cn_merge_has_conflict (merge));
  g_assert_false (merge->delete_conflict);
  assert_fields (merge->conflicts, "notes,topics");
  /* Conflicting fields keep my value; the clean one merged. */
  assert_object (merge->data,
                 "{\"notes\":\"mine\",\"topics\":[\"giao thông\",\"thủy lợi\"],"
                 "\"date\":\"2015-06-07\"}");
}

static void
test_merge_nested_values_compared_whole (void)
{
  g_autoptr(CnMerge) equal = merge_json ("{\"items\":[{\"code\":\"1\"}]}",
                                         "{\"items\":[{\"code\":\"1\"}]}", FALSE,
                                         "{\"items\":[{\"code\":\"1\"},{\"code\":\"2\"}]}", FALSE);
  g_autoptr(CnMerge) both = merge_json ("{\"items\":[{\"code\":\"1\"}]}",
                                        "{\"items\":[{\"code\":\"3\"}]}", FALSE,
                                        "{\"items\":[{\"code\":\"1\"},{\"code\":\"2\"}]}", FALSE);

  g_assert_false (cn_merge_has_conflict (equal));
  assert_object (equal->data, "{\"items\":[{\"code\":\"1\"},{\"code\":\"2\"}]}");
  g_assert_true (cn_merge_has_conflict (both));
  assert_fields (both->conflicts, "items");
}

static void
test_merge_no_base (void)
{
  g_autoptr(CnMerge) merge = merge_json (NULL,
                                         "{\"name\":\"A\",\"code\":\"1\"}", FALSE,
                                         "{\"name\":\"B\",\"code\":\"1\"}", FALSE);

  assert_fields (merge->conflicts, "name");
  assert_object (merge->data, "{\"name\":\"A\",\"code\":\"1\"}");
}

static void
test_merge_delete_against_edit (void)
{
  g_autoptr(CnMerge) mine_deleted = merge_json ("{\"status\":\"open\",\"title\":\"T\"}",
                                                NULL, TRUE,
                                                "{\"status\":\"done\",\"title\":\"T\"}", FALSE);
  g_autoptr(CnMerge) theirs_deleted = merge_json ("{\"status\":\"open\",\"title\":\"T\"}",
                                                  "{\"status\":\"open\",\"title\":\"T2\"}", FALSE,
                                                  NULL, TRUE);

  g_assert_true (cn_merge_has_conflict (mine_deleted));
  g_assert_true (mine_deleted->delete_conflict);
  g_assert_false (mine_deleted->deleted);
  assert_fields (mine_deleted->conflicts, "status");

  g_assert_true (theirs_deleted->delete_conflict);
  assert_fields (theirs_deleted->conflicts, "title");
  /* My edit stays visible until the clerk decides. */
  assert_object (theirs_deleted->data, "{\"status\":\"open\",\"title\":\"T2\"}");
}

static void
test_merge_delete_against_untouched (void)
{
  g_autoptr(CnMerge) mine = merge_json ("{\"a\":1}", NULL, TRUE, "{\"a\":1}", FALSE);
  g_autoptr(CnMerge) theirs = merge_json ("{\"a\":1}", "{\"a\":1}", FALSE, NULL, TRUE);
  g_autoptr(CnMerge) both = merge_json ("{\"a\":1}", NULL, TRUE, NULL, TRUE);

  g_assert_false (cn_merge_has_conflict (mine));
  g_assert_true (mine->deleted);
  g_assert_false (cn_merge_has_conflict (theirs));
  g_assert_true (theirs->deleted);
  g_assert_true (both->deleted);
  g_assert_false (cn_merge_has_conflict (both));
}

static JsonObject *
settle_json (const char *base,
             const char *mine,
             gboolean    mine_deleted,
             const char *theirs,
             gboolean    theirs_deleted,
             GHashTable *choices,
             const char *take,
             gboolean   *deleted)
{
  g_autoptr(JsonObject) b = object_from (base);
  g_autoptr(JsonObject) m = object_from (mine);
  g_autoptr(JsonObject) t = object_from (theirs);

  return cn_merge_settle (b, m, mine_deleted, t, theirs_deleted, choices, take, deleted);
}

static void
test_merge_settle (void)
{
  const char *base = "{\"notes\":\"a\",\"status\":\"open\",\"date\":\"d0\",\"x\":1}";
  const char *mine = "{\"notes\":\"m\",\"status\":\"done\",\"date\":\"d0\",\"x\":2}";
  const char *theirs = "{\"notes\":\"t\",\"status\":\"dropped\",\"date\":\"d1\",\"x\":1}";
  g_autoptr(GHashTable) choices = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonObject) all_mine = NULL;
  g_autoptr(JsonObject) all_theirs = NULL;
  g_autoptr(JsonObject) by_field = NULL;
  gboolean deleted = TRUE;

  all_mine = settle_json (base, mine, FALSE, theirs, FALSE, NULL, "mine", &deleted);
  g_assert_false (deleted);
  assert_object (all_mine, "{\"notes\":\"m\",\"status\":\"done\",\"date\":\"d1\",\"x\":2}");

  all_theirs = settle_json (base, mine, FALSE, theirs, FALSE, NULL, "theirs", &deleted);
  /* Taking theirs for the conflicts still keeps my one-sided change of x. */
  assert_object (all_theirs, "{\"notes\":\"t\",\"status\":\"dropped\",\"date\":\"d1\",\"x\":2}");

  g_hash_table_insert (choices, "notes", "theirs");
  g_hash_table_insert (choices, "status", "mine");
  by_field = settle_json (base, mine, FALSE, theirs, FALSE, choices, "mine", &deleted);
  assert_object (by_field, "{\"notes\":\"t\",\"status\":\"done\",\"date\":\"d1\",\"x\":2}");
}

static void
test_merge_settle_deletion (void)
{
  g_autoptr(JsonObject) kept = NULL;
  g_autoptr(JsonObject) gone = NULL;
  g_autoptr(JsonObject) revived = NULL;
  gboolean deleted = FALSE;

  gone = settle_json ("{\"a\":1}", NULL, TRUE, "{\"a\":2}", FALSE, NULL, "mine", &deleted);
  g_assert_null (gone);
  g_assert_true (deleted);

  kept = settle_json ("{\"a\":1}", NULL, TRUE, "{\"a\":2}", FALSE, NULL, "theirs", &deleted);
  g_assert_false (deleted);
  assert_object (kept, "{\"a\":2}");

  revived = settle_json ("{\"a\":1}", "{\"a\":3}", FALSE, NULL, TRUE, NULL, "mine", &deleted);
  g_assert_false (deleted);
  assert_object (revived, "{\"a\":3}");
}

static void
test_merge_changed_fields (void)
{
  g_autoptr(JsonObject) a = object_from ("{\"x\":1,\"y\":[1],\"z\":null}");
  g_autoptr(JsonObject) b = object_from ("{\"x\":1,\"y\":[2],\"w\":true}");
  g_autoptr(GPtrArray) changed = cn_merge_changed_fields (a, b);

  assert_fields (changed, "w,y,z");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/merge/disjoint-fields", test_merge_disjoint_fields);
  g_test_add_func ("/sync/merge/added-and-removed-fields", test_merge_added_and_removed_fields);
  g_test_add_func ("/sync/merge/same-change-both-sides", test_merge_same_change_both_sides);
  g_test_add_func ("/sync/merge/same-field-conflict", test_merge_same_field_conflict);
  g_test_add_func ("/sync/merge/nested-values", test_merge_nested_values_compared_whole);
  g_test_add_func ("/sync/merge/no-base", test_merge_no_base);
  g_test_add_func ("/sync/merge/delete-against-edit", test_merge_delete_against_edit);
  g_test_add_func ("/sync/merge/delete-against-untouched", test_merge_delete_against_untouched);
  g_test_add_func ("/sync/merge/settle", test_merge_settle);
  g_test_add_func ("/sync/merge/settle-deletion", test_merge_settle_deletion);
  g_test_add_func ("/sync/merge/changed-fields", test_merge_changed_fields);
  return g_test_run ();
}
