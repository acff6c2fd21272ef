/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The scope matrix: role × collection × own or other district × read or write, against a
 * real caunoi-server. The expected answers are written out here from DESIGN.md, not taken
 * from the server's code. */
#include "config.h"

#include <string.h>

#include "cn-test-server.h"

typedef enum { ROLE_ADMIN, ROLE_EDITOR, ROLE_STAFF, ROLE_VIEWER, N_ROLES } Role;
static const char * const role_names[] = { "admin", "editor", "staff", "viewer" };

typedef struct {
  const char *collection;
  gboolean    workflow;
  /* Who may create a record of the collection in district A (own for staff and viewer)
   * and in district B (other). */
  gboolean    write_own[N_ROLES];
  gboolean    write_other[N_ROLES];
} Rule;

/*                       admin  editor staff  viewer */
#define ALL            { TRUE,  TRUE,  TRUE,  TRUE  }
#define ADMIN_ONLY     { TRUE,  FALSE, FALSE, FALSE }
#define ADMIN_EDITOR   { TRUE,  TRUE,  FALSE, FALSE }
#define ADMIN_STAFF    { TRUE,  FALSE, TRUE,  FALSE }

static const Rule rules[] = {
  { "unit",         FALSE, ADMIN_ONLY,   ADMIN_ONLY },
  { "person",       FALSE, ADMIN_STAFF,  ADMIN_ONLY },
  { "article",      FALSE, ADMIN_EDITOR, ADMIN_EDITOR },
  { "document",     FALSE, ADMIN_EDITOR, ADMIN_EDITOR },
  { "criteria_set", FALSE, ADMIN_EDITOR, ADMIN_EDITOR },
  { "delegation",   TRUE,  ADMIN_STAFF,  ADMIN_ONLY },
  { "assignment",   TRUE,  ADMIN_STAFF,  ADMIN_ONLY },
  { "visit",        TRUE,  ADMIN_STAFF,  ADMIN_ONLY },
  { "report",       TRUE,  ADMIN_STAFF,  ADMIN_ONLY },
  { "task",         TRUE,  ADMIN_STAFF,  ADMIN_ONLY },
  { "task_event",   TRUE,  ADMIN_STAFF,  ADMIN_ONLY },
  { "assessment",   TRUE,  ADMIN_STAFF,  ADMIN_ONLY },
  { "attendance",   TRUE,  ADMIN_STAFF,  ADMIN_ONLY },
};

/* Visibility: reference collections for everyone; workflow records for the admin and for
 * users whose scope unit holds them (the editor has no scope unit). */
static gboolean
expect_read (Role     role,
             gboolean workflow,
             gboolean own)
{
  if (!workflow || role == ROLE_ADMIN)
    return TRUE;
  if (role == ROLE_EDITOR)
    return FALSE;
  return own;
}

/* The records that others point at, one set per district. */
typedef struct {
  const char *district;
  const char *commune;
  char       *person;
  char       *delegation;
  char       *task;
} District;

typedef struct {
  CnTestServer *server;
  CnTestWorld   world;
  District      a;
  District      b;
  char         *criteria_set;
} Fixture;

static char *
record_data (Fixture        *f,
             const char     *collection,
             const District *d)
{
  if (g_str_equal (collection, "unit"))
    return g_strdup_printf ("{\"name\": \"Xã mới\", \"kind\": \"commune\", \"parent_id\": \"%s\"}",
                            d->district);
  if (g_str_equal (collection, "person"))
    return g_strdup_printf ("{\"full_name\": \"Nguyễn Văn An\", \"unit_id\": \"%s\"}", d->district);
  if (g_str_equal (collection, "article"))
    return g_strdup ("{\"title\": \"Xây dựng nông thôn mới\"}");
  if (g_str_equal (collection, "document"))
    return g_strdup ("{\"number\": \"4414/UBND-NL5\", \"title\": \"Về việc OCOP\"}");
  if (g_str_equal (collection, "criteria_set"))
    return g_strdup ("{\"name\": \"Bộ tiêu chí xã NTM\", \"level\": \"commune\", "
                     "\"variant\": \"standard\"}");
  if (g_str_equal (collection, "delegation"))
    return g_strdup_printf ("{\"name\": \"Đoàn công tác\", \"unit_id\": \"%s\"}", d->district);
  if (g_str_equal (collection, "assignment"))
    return g_strdup_printf ("{\"commune_id\": \"%s\", \"role\": \"member_in_charge\", "
                            "\"organization\": \"Phòng Nông nghiệp\"}", d->commune);
  if (g_str_equal (collection, "visit"))
    return g_strdup_printf ("{\"commune_id\": \"%s\", \"date\": \"2025-06-01\"}", d->commune);
  if (g_str_equal (collection, "report"))
    return g_strdup_printf ("{\"delegation_id\": \"%s\", \"status\": \"draft\"}", d->delegation);
  if (g_str_equal (collection, "task"))
    return g_strdup_printf ("{\"title\": \"Làm đường\", \"commune_id\": \"%s\", "
                            "\"status\": \"open\"}", d->commune);
  if (g_str_equal (collection, "task_event"))
    return g_strdup_printf ("{\"task_id\": \"%s\", \"at\": \"2025-06-01T08:00:00Z\", "
                            "\"to_status\": \"in_progress\"}", d->task);
  if (g_str_equal (collection, "assessment"))
    return g_strdup_printf ("{\"commune_id\": \"%s\", \"criteria_set_id\": \"%s\", "
                            "\"criterion_code\": \"17\", \"status\": \"met\"}",
                            d->commune, f->criteria_set);
  if (g_str_equal (collection, "attendance"))
    return g_strdup_printf ("{\"person_id\": \"%s\", \"month\": \"2025-06\", \"attended\": true}",
                            d->person);
  g_assert_not_reached ();
}

static char *
admin_create (Fixture        *f,
              const char     *collection,
              const District *d)
{
  g_autoptr(JsonNode) holder = NULL;
  g_autofree char *data = record_data (f, collection, d);
  char *id = cn_test_uuid ();
  JsonObject *result;

  result = cn_test_push_one (f->server, f->world.admin, collection, id, 0, "put", data, &holder);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
  return id;
}

static void
district_setup (Fixture    *f,
                District   *d,
                const char *district,
                const char *commune)
{
  d->district = district;
  d->commune = commune;
  d->person = admin_create (f, "person", d);
  d->delegation = admin_create (f, "delegation", d);
  d->task = admin_create (f, "task", d);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = cn_test_server_new ();
  cn_test_world_setup (f->server, &f->world);
  f->criteria_set = admin_create (f, "criteria_set", &f->a);
  district_setup (f, &f->a, f->world.district_a, f->world.commune_a);
  district_setup (f, &f->b, f->world.district_b, f->world.commune_b);
}

static void
district_clear (District *d)
{
  g_free (d->person);
  g_free (d->delegation);
  g_free (d->task);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  district_clear (&f->a);
  district_clear (&f->b);
  g_free (f->criteria_set);
  cn_test_world_clear (&f->world);
  cn_test_server_free (f->server);
}

static const char *
token_of (Fixture *f,
          Role     role)
{
  switch (role)
    {
    case ROLE_ADMIN: return f->world.admin;
    case ROLE_EDITOR: return f->world.editor;
    case ROLE_STAFF: return f->world.staff_a;
    case ROLE_VIEWER: return f->world.viewer_a;
    case N_ROLES:
    default: g_assert_not_reached ();
    }
}

static gboolean
array_has_id (JsonArray  *changes,
              const char *id)
{
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      if (g_strcmp0 (json_object_get_string_member (change, "id"), id) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_matrix (Fixture       *f,
             gconstpointer  data)
{
  /* Read: one record per collection and district, written by the admin. */
  char *ids[G_N_ELEMENTS (rules)][2];

  for (guint c = 0; c < G_N_ELEMENTS (rules); c++)
    {
      ids[c][0] = admin_create (f, rules[c].collection, &f->a);
      ids[c][1] = admin_create (f, rules[c].collection, &f->b);
    }

  for (Role role = 0; role < N_ROLES; role++)
    {
      g_autoptr(JsonNode) holder = NULL;
      JsonArray *changes = cn_test_pull_all (f->server, token_of (f, role), 0, NULL, &holder);

      for (guint c = 0; c < G_N_ELEMENTS (rules); c++)
        for (int other = 0; other < 2; other++)
          {
            gboolean expected = expect_read (role, rules[c].workflow, !other);
            gboolean seen = array_has_id (changes, ids[c][other]);

            g_test_message ("read %s %s %s: expect %d", role_names[role], rules[c].collection,
                            other ? "other" : "own", expected);
            g_assert_cmpint (seen, ==, expected);
          }
    }

  /* Write: each role creates a record of each collection in each district. */
  for (Role role = 0; role < N_ROLES; role++)
    for (guint c = 0; c < G_N_ELEMENTS (rules); c++)
      for (int other = 0; other < 2; other++)
        {
          g_autoptr(JsonNode) holder = NULL;
          g_autofree char *id = cn_test_uuid ();
          g_autofree char *json = record_data (f, rules[c].collection, other ? &f->b : &f->a);
          gboolean expected = other ? rules[c].write_other[role] : rules[c].write_own[role];
          JsonObject *result;

          g_test_message ("write %s %s %s: expect %d", role_names[role], rules[c].collection,
                          other ? "other" : "own", expected);
          result = cn_test_push_one (f->server, token_of (f, role), rules[c].collection, id, 0,
                                     "put", json, &holder);
          if (expected)
            {
              g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
              g_assert_cmpint (json_object_get_int_member (result, "rev"), ==, 1);
            }
          else
            {
              g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "rejected");
              g_assert_cmpstr (json_object_get_string_member (result, "error"), ==, "forbidden");
              g_assert_nonnull (json_object_get_string_member (result, "message"));
            }
        }

  for (guint c = 0; c < G_N_ELEMENTS (rules); c++)
    {
      g_free (ids[c][0]);
      g_free (ids[c][1]);
    }
}

/* Staff cannot change or delete another district's record, even knowing its id and rev, nor
 * move their own record into another district; the record stays as it was. */
static void
test_other_district_untouchable (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(JsonNode) holder = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autofree char *moved = NULL;
  JsonArray *changes;
  JsonObject *result;

  result = cn_test_push_one (f->server, f->world.staff_a, "task", f->b.task, 1, "put",
                             "{\"title\": \"Chiếm\", \"status\": \"done\"}", &holder);
  g_assert_cmpstr (json_object_get_string_member (result, "error"), ==, "forbidden");
  /* Not a conflict carrying the record: the other district's data never leaks. */
  g_assert_false (json_object_has_member (result, "current"));
  g_clear_pointer (&holder, json_node_unref);

  result = cn_test_push_one (f->server, f->world.staff_a, "task", f->b.task, 5, "put",
                             "{\"title\": \"Chiếm\", \"status\": \"done\"}", &holder);
  g_assert_cmpstr (json_object_get_string_member (result, "error"), ==, "forbidden");
  g_clear_pointer (&holder, json_node_unref);

  result = cn_test_push_one (f->server, f->world.staff_a, "task", f->b.task, 1, "delete", NULL,
                             &holder);
  g_assert_cmpstr (json_object_get_string_member (result, "error"), ==, "forbidden");
  g_clear_pointer (&holder, json_node_unref);

  moved = g_strdup_printf ("{\"title\": \"Làm đường\", \"commune_id\": \"%s\", "
                           "\"status\": \"open\"}", f->world.commune_b);
  result = cn_test_push_one (f->server, f->world.staff_a, "task", f->a.task, 1, "put", moved,
                             &holder);
  g_assert_cmpstr (json_object_get_string_member (result, "error"), ==, "forbidden");

  changes = cn_test_pull_all (f->server, f->world.admin, 0, NULL, &after);
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      const char *id = json_object_get_string_member (change, "id");

      if (g_str_equal (id, f->b.task) || g_str_equal (id, f->a.task))
        {
          g_assert_cmpint (json_object_get_int_member (change, "rev"), ==, 1);
          g_assert_false (json_object_get_boolean_member (change, "deleted"));
          g_assert_cmpstr (json_object_get_string_member (
                             json_object_get_object_member (change, "data"), "title"),
                           ==, "Làm đường");
        }
    }
}

/* A pull skips what the user may not see but its cursor still reaches the server's latest
 * sequence, so the client does not ask for those changes again and again. */
static void
test_cursor_passes_hidden_changes (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(JsonNode) staff_holder = NULL;
  g_autoptr(JsonNode) admin_holder = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *hidden = NULL;
  gint64 staff_next = 0, admin_next = 0;
  JsonArray *changes;
  guint status;

  /* The newest changes are all in district B. */
  hidden = admin_create (f, "visit", &f->b);
  g_free (admin_create (f, "task", &f->b));

  changes = cn_test_pull_all (f->server, f->world.staff_a, 0, &staff_next, &staff_holder);
  g_assert_false (array_has_id (changes, hidden));
  cn_test_pull_all (f->server, f->world.admin, 0, &admin_next, &admin_holder);
  g_assert_cmpint (staff_next, ==, admin_next);

  /* And from there, nothing more. */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT
                                             "&limit=10", staff_next);
    status = cn_test_request_json (f->server, "GET", path, f->world.staff_a, NULL, &again);
  }
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (again), "changes")), ==, 0);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (again), "more"));
}

/* Small pages: every visible record arrives exactly once, in sequence order. */
static void
test_paging_each_record_once (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 since = 0, last_seq = 0;
  gboolean more = TRUE;
  guint pages = 0;

  /* An edit moves a record to the end of the feed; it must not appear twice. */
  {
    g_autoptr(JsonNode) holder = NULL;
    g_autofree char *edited = g_strdup_printf ("{\"title\": \"Sửa\", \"commune_id\": \"%s\", "
                                               "\"status\": \"done\"}", f->world.commune_a);
    JsonObject *result = cn_test_push_one (f->server, f->world.staff_a, "task", f->a.task, 1,
                                           "put", edited, &holder);
    g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
  }

  while (more)
    {
      g_autoptr(JsonNode) answer = NULL;
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT
                                               "&limit=2", since);
      JsonArray *changes;
      guint status = cn_test_request_json (f->server, "GET", path, f->world.staff_a, NULL,
                                           &answer);

      g_assert_cmpuint (status, ==, 200);
      changes = json_object_get_array_member (json_node_get_object (answer), "changes");
      g_assert_cmpuint (json_array_get_length (changes), <=, 2);
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          gint64 seq = json_object_get_int_member (change, "seq");

          g_assert_cmpint (seq, >, last_seq);
          last_seq = seq;
          g_assert_true (g_hash_table_add (seen,
                                           g_strdup (json_object_get_string_member (change, "id"))));
        }
      since = json_object_get_int_member (json_node_get_object (answer), "next");
      more = json_object_get_boolean_member (json_node_get_object (answer), "more");
      pages++;
      g_assert_cmpuint (pages, <, 100);
    }
  g_assert_true (g_hash_table_contains (seen, f->a.task));
  g_assert_false (g_hash_table_contains (seen, f->b.task));
  g_assert_cmpuint (pages, >, 1);
}


/* A report belongs where its delegation is, a task event where its task is: when the admin
 * moves the delegation or the task to the other district, they follow, and the users of the
 * new district receive them on their next pull. */
static void
test_dependents_follow (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonNode) h1 = NULL, h2 = NULL, h3 = NULL, h4 = NULL, b_first = NULL, b_then = NULL;
  g_autoptr(JsonNode) a_after = NULL;
  g_autofree char *report = admin_create (f, "report", &f->a);
  g_autofree char *event = admin_create (f, "task_event", &f->a);
  g_autofree char *moved_delegation = NULL;
  g_autofree char *moved_task = NULL;
  gint64 b_cursor = 0;
  JsonArray *changes;
  JsonObject *result;

  changes = cn_test_pull_all (f->server, f->world.staff_b, 0, &b_cursor, &b_first);
  g_assert_false (array_has_id (changes, report));
  g_assert_false (array_has_id (changes, event));

  moved_delegation = g_strdup_printf ("{\"name\": \"Đoàn công tác\", \"unit_id\": \"%s\"}",
                                      f->world.district_b);
  result = cn_test_push_one (f->server, f->world.admin, "delegation", f->a.delegation, 1, "put",
                             moved_delegation, &h1);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
  moved_task = g_strdup_printf ("{\"title\": \"Làm đường\", \"commune_id\": \"%s\", "
                                "\"status\": \"open\"}", f->world.commune_b);
  result = cn_test_push_one (f->server, f->world.admin, "task", f->a.task, 1, "put", moved_task,
                             &h2);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");

  /* staff_b gets them from their cursor on; staff_a no longer sees them. */
  changes = cn_test_pull_all (f->server, f->world.staff_b, b_cursor, NULL, &b_then);
  g_assert_true (array_has_id (changes, report));
  g_assert_true (array_has_id (changes, event));
  changes = cn_test_pull_all (f->server, f->world.staff_a, 0, NULL, &a_after);
  g_assert_false (array_has_id (changes, report));
  g_assert_false (array_has_id (changes, event));

  /* And staff_b may now change the report, staff_a may not. */
  {
    g_autofree char *json = g_strdup_printf ("{\"delegation_id\": \"%s\", \"status\": "
                                             "\"submitted\"}", f->a.delegation);
    result = cn_test_push_one (f->server, f->world.staff_a, "report", report, 1, "put", json, &h3);
    g_assert_cmpstr (json_object_get_string_member (result, "error"), ==, "forbidden");
    result = cn_test_push_one (f->server, f->world.staff_b, "report", report, 1, "put", json, &h4);
    g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/server/scope/matrix", Fixture, NULL, fixture_setup, test_matrix,
              fixture_teardown);
  g_test_add ("/server/scope/other-district-untouchable", Fixture, NULL, fixture_setup,
              test_other_district_untouchable, fixture_teardown);
  g_test_add ("/server/scope/cursor-passes-hidden-changes", Fixture, NULL, fixture_setup,
              test_cursor_passes_hidden_changes, fixture_teardown);
  g_test_add ("/server/scope/paging-each-record-once", Fixture, NULL, fixture_setup,
              test_paging_each_record_once, fixture_teardown);
  g_test_add ("/server/scope/dependents-follow", Fixture, NULL, fixture_setup,
              test_dependents_follow, fixture_teardown);
  return g_test_run ();
}
