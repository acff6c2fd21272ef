/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The server's caches (sessions, scopes, pages of the change feed, record texts) and the
 * sequence numbers handed out from memory: whatever comes from a cache must be what the
 * database says at that moment. A second connection to the same file stands for another
 * process (the command line disabling a user, an importer) and has caches of its own. */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "cn-error.h"
#include "cn-server-auth.h"
#include "cn-server-db.h"
#include "cn-server-records.h"

#define PROVINCE  "a0000000-0000-4000-8000-000000000001"
#define DISTRICT1 "a0000000-0000-4000-8000-000000000002"
#define DISTRICT2 "a0000000-0000-4000-8000-000000000003"
#define COMMUNE1  "a0000000-0000-4000-8000-000000000004"
#define COMMUNE2  "a0000000-0000-4000-8000-000000000005"

typedef struct {
  char       *dir;
  char       *path;
  CnServerDb *db;      /* the server's connection */
  CnServerDb *other;   /* another process's */
} Fixture;

static JsonObject *
object_from_json (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
upsert (CnServerDb *db,
        const char *collection,
        const char *id,
        const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) data = object_from_json (json);

  g_assert_true (cn_server_db_begin (db, &error));
  g_assert_true (cn_server_records_upsert (db, collection, id, data, FALSE, "test", NULL,
                                           &error));
  g_assert_no_error (error);
  g_assert_true (cn_server_db_commit (db, &error));
  g_assert_no_error (error);
}

static char *
task_json (const char *title,
           const char *commune)
{
  return g_strdup_printf ("{\"title\": \"%s\", \"commune_id\": \"%s\", \"status\": \"open\"}",
                          title, commune);
}

static void
add_task (CnServerDb *db,
          guint       n,
          const char *commune)
{
  g_autofree char *id = g_strdup_printf ("b0000000-0000-4000-8000-%012u", n);
  g_autofree char *title = g_strdup_printf ("Việc số %u \\\"gấp\\\"", n);
  g_autofree char *json = task_json (title, commune);

  upsert (db, "task", id, json);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_setenv ("CAUNOI_SERVER_FAST_KDF", "1", TRUE);
  f->dir = g_dir_make_tmp ("caunoi-cache-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "server.db", NULL);
  f->db = cn_server_db_open (f->path, TRUE, &error);
  g_assert_no_error (error);
  f->other = cn_server_db_open (f->path, FALSE, &error);
  g_assert_no_error (error);

  upsert (f->db, "unit", PROVINCE, "{\"name\": \"Hà Tĩnh\", \"kind\": \"province\"}");
  upsert (f->db, "unit", DISTRICT1, "{\"name\": \"Can Lộc\", \"kind\": \"district\", "
                                    "\"parent_id\": \"" PROVINCE "\"}");
  upsert (f->db, "unit", DISTRICT2, "{\"name\": \"Kỳ Anh\", \"kind\": \"district\", "
                                    "\"parent_id\": \"" PROVINCE "\"}");
  upsert (f->db, "unit", COMMUNE1, "{\"name\": \"Kim Song Trường\", \"kind\": \"commune\", "
                                   "\"parent_id\": \"" DISTRICT1 "\"}");
  upsert (f->db, "unit", COMMUNE2, "{\"name\": \"Kỳ Tân\", \"kind\": \"commune\", "
                                   "\"parent_id\": \"" DISTRICT2 "\"}");
  g_assert_true (cn_server_user_add (f->db, "lan", CN_ROLE_STAFF, DISTRICT1, "lan-password-1",
                                     &error));
  g_assert_no_error (error);
  g_assert_true (cn_server_user_add (f->db, "admin", CN_ROLE_ADMIN, NULL, "admin-password-1",
                                     &error));
  g_assert_no_error (error);
  g_assert_true (cn_server_user_add (f->db, "editor", CN_ROLE_EDITOR, NULL, "editor-password-1",
                                     &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 12; i++)
    add_task (f->db, i, i % 3 == 0 ? COMMUNE2 : COMMUNE1);
  /* A person is a reference record that also has a unit: listed once. */
  upsert (f->db, "person", "e0000000-0000-4000-8000-000000000001",
          "{\"full_name\": \"Nguyễn Văn An\", \"unit_id\": \"" COMMUNE1 "\"}");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  cn_server_db_free (f->other);
  cn_server_db_free (f->db);
  g_unlink (f->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static CnServerUser *
user (CnServerDb *db,
      const char *name)
{
  g_autoptr(GError) error = NULL;
  CnServerUser *found = cn_server_user_lookup (db, name, NULL, &error);

  g_assert_no_error (error);
  return found;
}

static char *
page_text (CnServerDb   *db,
           CnServerUser *who,
           gint64        since,
           guint         limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = cn_server_changes_page_bytes (db, who, since, limit, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* The page as a connection that has never cached anything makes it. */
static char *
fresh_page_text (Fixture      *f,
                 CnServerUser *who,
                 gint64        since,
                 guint         limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnServerDb) fresh = cn_server_db_open (f->path, FALSE, &error);

  g_assert_no_error (error);
  return page_text (fresh, who, since, limit);
}

static guint
count_in (const char *text,
          const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* The seqs a page must hold, by the plain query of the feed's rule (no index, no merge). */
static GArray *
expected_seqs (const char   *path,
               CnServerUser *who,
               gint64        since,
               guint         limit)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GArray *seqs = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                   "WITH RECURSIVE scope (id) AS ("
                   "  SELECT ?2 WHERE ?2 IS NOT NULL UNION "
                   "  SELECT u.id FROM records u JOIN scope s "
                   "    ON json_extract (u.data, '$.parent_id') = s.id "
                   "  WHERE u.collection = 'unit' AND u.deleted = 0) "
                   "SELECT seq FROM records NOT INDEXED WHERE seq > ?1 AND (?3 OR is_reference = 1 "
                   "  OR owner_unit IN (SELECT id FROM scope)) ORDER BY seq LIMIT ?4",
                   -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, since);
  if (who->unit_id != NULL)
    sqlite3_bind_text (stmt, 2, who->unit_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, who->role == CN_ROLE_ADMIN);
  sqlite3_bind_int64 (stmt, 4, limit);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (seqs, seq);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return seqs;
}

static void
assert_page_seqs (const char   *path,
                  CnServerUser *who,
                  gint64        since,
                  guint         limit,
                  const char   *page)
{
  g_autoptr(GArray) expected = expected_seqs (path, who, since, limit);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *changes;

  json_parser_load_from_data (parser, page, -1, &error);
  g_assert_no_error (error);
  changes = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "changes");
  g_assert_cmpuint (json_array_get_length (changes), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (changes, i),
                                                 "seq"), ==, g_array_index (expected, gint64, i));
}

/* Every page, asked twice (the second time from the caches), is byte for byte the page a
 * connection without caches makes, and holds the records the feed's rule says; a change by
 * another process shows at once. */
static void
test_pages (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(CnServerUser) lan = user (f->db, "lan");
  g_autoptr(CnServerUser) admin = user (f->db, "admin");
  g_autoptr(CnServerUser) nobody = user (f->db, "editor");
  gint64 head = cn_server_db_get_meta_int (f->db, "seq", 0);
  g_autofree char *all = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *after = NULL;

  g_assert_cmpint (head, ==, 18);
  for (gint64 since = 0; since <= head; since++)
    for (guint limit = 1; limit <= 4; limit += 3)
      {
        CnServerUser *who = since % 2 ? lan : admin;
        g_autofree char *first = page_text (f->db, who, since, limit);
        g_autofree char *second = page_text (f->db, who, since, limit);
        g_autofree char *fresh = fresh_page_text (f, who, since, limit);

        g_assert_cmpstr (first, ==, fresh);
        g_assert_cmpstr (second, ==, fresh);
        assert_page_seqs (f->path, who, since, limit, first);
        if (since % 3 == 0)
          {
            g_autofree char *none = page_text (f->db, nobody, since, limit);
            assert_page_seqs (f->path, nobody, since, limit, none);
          }
      }

  /* lan (Can Lộc) sees the 5 units and the 8 tasks of Kim Song Trường, not Kỳ Tân's 4. */
  all = page_text (f->db, lan, 0, 100);
  g_assert_cmpuint (count_in (all, "\"collection\":\"task\""), ==, 8);
  g_assert_cmpuint (count_in (all, "\"collection\":\"unit\""), ==, 5);
  g_assert_cmpuint (count_in (all, "\"collection\":\"person\""), ==, 1);

  /* Another process adds a task in lan's commune: the next page from the same cursor has it,
   * though that page was cached a moment ago. */
  g_free (page_text (f->db, lan, head, 100));
  add_task (f->other, 100, COMMUNE1);
  after = page_text (f->db, lan, head, 100);
  g_assert_cmpuint (count_in (after, "b0000000-0000-4000-8000-000000000100"), ==, 1);
  {
    g_autofree char *fresh = fresh_page_text (f, lan, head, 100);
    g_assert_cmpstr (after, ==, fresh);
  }

  /* Another process moves Kim Song Trường to Kỳ Anh: its tasks leave lan's feed at once (the
   * scope is computed again). */
  upsert (f->other, "unit", COMMUNE1, "{\"name\": \"Kim Song Trường\", \"kind\": \"commune\", "
                                      "\"parent_id\": \"" DISTRICT2 "\"}");
  moved = page_text (f->db, lan, 0, 100);
  assert_page_seqs (f->path, lan, 0, 100, moved);
  g_assert_cmpuint (count_in (moved, "\"collection\":\"task\""), ==, 0);
  g_assert_cmpuint (count_in (moved, "\"collection\":\"unit\""), ==, 5);

  /* And a change through the server's own connection, back again. */
  upsert (f->db, "unit", COMMUNE1, "{\"name\": \"Kim Song Trường\", \"kind\": \"commune\", "
                                   "\"parent_id\": \"" DISTRICT1 "\"}");
  g_clear_pointer (&moved, g_free);
  moved = page_text (f->db, lan, 0, 100);
  g_assert_cmpuint (count_in (moved, "\"collection\":\"task\""), ==, 9);
  {
    g_autofree char *fresh = fresh_page_text (f, lan, 0, 100);
    g_assert_cmpstr (moved, ==, fresh);
  }
}

/* A log-out, a disabled account or a new password ends a session at once, whichever process
 * writes it, though the session was just looked up (and kept in the cache). */
static void
test_sessions (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *short_lived = NULL;

  first = cn_server_session_create (f->db, "lan", G_TIME_SPAN_HOUR, NULL, &error);
  g_assert_no_error (error);
  second = cn_server_session_create (f->db, "lan", G_TIME_SPAN_HOUR, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(CnServerUser) a = cn_server_session_lookup (f->db, first, NULL, &error);
      g_autoptr(CnServerUser) b = cn_server_session_lookup (f->db, second, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (a->name, ==, "lan");
      g_assert_cmpstr (a->unit_id, ==, DISTRICT1);
      g_assert_cmpint (b->role, ==, CN_ROLE_STAFF);
    }

  /* Logged out through the server. */
  g_assert_true (cn_server_session_revoke (f->db, first, &error));
  g_assert_null (cn_server_session_lookup (f->db, first, NULL, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_AUTH);
  g_clear_error (&error);

  /* Disabled from the command line (another process): the other session ends too. */
  g_assert_true (cn_server_user_set_disabled (f->other, "lan", TRUE, &error));
  g_assert_null (cn_server_session_lookup (f->db, second, NULL, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_AUTH);
  g_clear_error (&error);

  /* Enabled again, a new login works; a new password from elsewhere ends it. */
  g_assert_true (cn_server_user_set_disabled (f->other, "lan", FALSE, &error));
  third = cn_server_session_create (f->db, "lan", G_TIME_SPAN_HOUR, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(CnServerUser) c = cn_server_session_lookup (f->db, third, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (c);
  }
  g_assert_true (cn_server_user_set_password (f->other, "lan", "lan-password-2", &error));
  g_assert_no_error (error);
  g_assert_null (cn_server_session_lookup (f->db, third, NULL, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_AUTH);
  g_clear_error (&error);

  /* A cached session still expires on time. */
  short_lived = cn_server_session_create (f->db, "admin", G_TIME_SPAN_SECOND, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(CnServerUser) d = cn_server_session_lookup (f->db, short_lived, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (d);
  }
  g_usleep (2 * G_USEC_PER_SEC);
  g_assert_null (cn_server_session_lookup (f->db, short_lived, NULL, &error));
  g_assert_error (error, CN_ERROR, CN_ERROR_AUTH);
}

static CnServerMutation *
task_mutation (const char *mutation_id,
               guint       n,
               gint64      base_rev,
               const char *commune)
{
  CnServerMutation *m = g_new0 (CnServerMutation, 1);
  g_autofree char *title = g_strdup_printf ("Việc đẩy %u", n);
  g_autofree char *json = task_json (title, commune);

  m->mutation_id = g_strdup (mutation_id);
  m->collection = g_strdup ("task");
  m->id = g_strdup_printf ("c0000000-0000-4000-8000-%012u", n);
  m->base_rev = base_rev;
  m->data = object_from_json (json);
  return m;
}

/* One number read by another connection, as another process would see it. */
static gint64
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static gint64
max_record_seq (const char *path)
{
  return query_int (path, "SELECT max (seq) FROM records");
}

/* A push takes its sequence numbers from memory and writes the last one back at commit:
 * they follow each other, the stored sequence is the last one handed out, and the next
 * writer (another process) goes on from there. */
static void
test_sequence (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnServerUser) lan = user (f->db, "lan");
  g_autoptr(GPtrArray) mutations = g_ptr_array_new_with_free_func ((GDestroyNotify) cn_server_mutation_free);
  g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func ((GDestroyNotify) cn_server_mutation_free);
  g_autoptr(JsonNode) results = NULL;
  g_autoptr(JsonNode) retried = NULL;
  gint64 head = cn_server_db_get_meta_int (f->db, "seq", 0);
  JsonArray *array;

  g_ptr_array_add (mutations, task_mutation ("m1", 1, 0, COMMUNE1));
  g_ptr_array_add (mutations, task_mutation ("m2", 2, 0, COMMUNE2));  /* not in lan's scope */
  g_ptr_array_add (mutations, task_mutation ("m3", 3, 0, COMMUNE1));
  g_ptr_array_add (mutations, task_mutation ("m4", 1, 0, COMMUNE1));  /* base_rev 0: conflict */
  g_ptr_array_add (mutations, task_mutation ("m5", 1, 1, COMMUNE1));
  results = cn_server_apply_mutations (f->db, lan, "laptop", mutations, &error);
  g_assert_no_error (error);
  array = json_node_get_array (results);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                  "status"), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 0), "seq"),
                   ==, head + 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1),
                                                  "status"), ==, "rejected");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 2), "seq"),
                   ==, head + 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 3),
                                                  "status"), ==, "conflict");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 4), "seq"),
                   ==, head + 3);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 4), "rev"),
                   ==, 2);
  g_assert_cmpint (cn_server_db_get_meta_int (f->db, "seq", 0), ==, head + 3);
  g_assert_cmpint (max_record_seq (f->path), ==, head + 3);

  /* The same push again changes nothing and answers the same. */
  for (guint i = 0; i < mutations->len; i++)
    {
      CnServerMutation *m = g_ptr_array_index (mutations, i);
      g_ptr_array_add (again, task_mutation (m->mutation_id, 1, m->base_rev, COMMUNE1));
    }
  retried = cn_server_apply_mutations (f->db, lan, "laptop", again, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (retried, results));
  g_assert_cmpint (cn_server_db_get_meta_int (f->db, "seq", 0), ==, head + 3);

  /* The same mutation twice in one push: applied once, answered twice alike. */
  {
    g_autoptr(GPtrArray) twice = g_ptr_array_new_with_free_func ((GDestroyNotify) cn_server_mutation_free);
    g_autoptr(JsonNode) answers = NULL;
    JsonArray *both;

    g_ptr_array_add (twice, task_mutation ("m6", 6, 0, COMMUNE1));
    g_ptr_array_add (twice, task_mutation ("m6", 6, 0, COMMUNE1));
    answers = cn_server_apply_mutations (f->db, lan, "laptop", twice, &error);
    g_assert_no_error (error);
    both = json_node_get_array (answers);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (both, 0),
                                                    "status"), ==, "applied");
    g_assert_true (json_node_equal (json_array_get_element (both, 0),
                                    json_array_get_element (both, 1)));
    head++;
    g_assert_cmpint (cn_server_db_get_meta_int (f->db, "seq", 0), ==, head + 3);
  }

  /* Another process writes next: it goes on from the stored sequence. */
  add_task (f->other, 200, COMMUNE1);
  g_assert_cmpint (max_record_seq (f->path), ==, head + 4);
  g_assert_cmpint (cn_server_db_get_meta_int (f->db, "seq", 0), ==, head + 4);

  /* A transaction rolled back gives its numbers back, and nothing is stored with them. */
  g_assert_true (cn_server_db_begin (f->db, &error));
  g_assert_cmpint (cn_server_db_next_seq (f->db, &error), ==, head + 5);
  g_assert_cmpint (cn_server_db_next_seq (f->db, &error), ==, head + 6);
  cn_server_db_rollback (f->db);
  g_assert_cmpint (cn_server_db_get_meta_int (f->db, "seq", 0), ==, head + 4);
  add_task (f->db, 201, COMMUNE1);
  g_assert_cmpint (max_record_seq (f->path), ==, head + 5);
}

static GPtrArray *
task_mutations (const char *mutation_id,
                guint       n,
                gint64      base_rev,
                ...)
{
  GPtrArray *mutations = g_ptr_array_new_with_free_func ((GDestroyNotify) cn_server_mutation_free);
  va_list args;

  va_start (args, base_rev);
  while (mutation_id != NULL)
    {
      g_ptr_array_add (mutations, task_mutation (mutation_id, n, base_rev, COMMUNE1));
      mutation_id = va_arg (args, const char *);
      if (mutation_id != NULL)
        {
          n = va_arg (args, guint);
          base_rev = va_arg (args, gint64);
        }
    }
  va_end (args);
  return mutations;
}

static JsonObject *
push_result (CnServerPush *push,
             guint         index)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *results;

  g_assert_nonnull (push->answer);
  json_parser_load_from_data (parser, g_bytes_get_data (push->answer, NULL),
                              (gssize) g_bytes_get_size (push->answer), &error);
  g_assert_no_error (error);
  results = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "results");
  return json_object_ref (json_array_get_object_element (results, index));
}

static void
clear_pushes (CnServerPush *pushes,
              guint         n)
{
  for (guint i = 0; i < n; i++)
    {
      g_clear_pointer (&pushes[i].mutations, g_ptr_array_unref);
      g_clear_pointer (&pushes[i].answer, g_bytes_unref);
      g_clear_error (&pushes[i].error);
    }
}

/* Pushes applied together (the server does so under load) answer as they would one after
 * the other: a later one sees what an earlier one wrote, a retried mutation gets its first
 * answer, and the sequence numbers follow each other. */
static void
test_pushes_together (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CnServerUser) lan = user (f->db, "lan");
  g_autoptr(CnServerUser) admin = user (f->db, "admin");
  gint64 head = cn_server_db_get_meta_int (f->db, "seq", 0);
  CnServerPush pushes[3] = {
    { lan, "laptop", task_mutations ("t1", 1, (gint64) 0, "t2", 2, (gint64) 0, NULL), NULL, NULL },
    /* an edit of what the first push creates */
    { admin, "desk", task_mutations ("a1", 1, (gint64) 1, NULL), NULL, NULL },
    /* the first push's t1 again (its answer was lost), and a new one */
    { lan, "laptop", task_mutations ("t1", 1, (gint64) 0, "t3", 3, (gint64) 0, NULL), NULL, NULL },
  };
  g_autoptr(JsonObject) t1 = NULL;
  g_autoptr(JsonObject) a1 = NULL;
  g_autoptr(JsonObject) t1_again = NULL;
  g_autoptr(JsonObject) t3 = NULL;

  cn_server_apply_pushes (f->db, pushes, G_N_ELEMENTS (pushes));
  for (guint i = 0; i < G_N_ELEMENTS (pushes); i++)
    g_assert_no_error (pushes[i].error);

  t1 = push_result (&pushes[0], 0);
  g_assert_cmpstr (json_object_get_string_member (t1, "status"), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (t1, "seq"), ==, head + 1);
  a1 = push_result (&pushes[1], 0);
  g_assert_cmpstr (json_object_get_string_member (a1, "status"), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (a1, "rev"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (a1, "seq"), ==, head + 3);
  t1_again = push_result (&pushes[2], 0);
  g_assert_true (json_object_equal (t1_again, t1));
  t3 = push_result (&pushes[2], 1);
  g_assert_cmpint (json_object_get_int_member (t3, "seq"), ==, head + 4);

  /* Committed: another connection sees it all. */
  g_assert_cmpint (max_record_seq (f->path), ==, head + 4);
  g_assert_cmpint (cn_server_db_get_meta_int (f->other, "seq", 0), ==, head + 4);
  clear_pushes (pushes, G_N_ELEMENTS (pushes));
}

/* When the database fails one push of a group, the others still go through, each in its
 * own transaction, and only the failing one gets the error. */
static void
test_pushes_together_one_fails (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnServerUser) lan = user (f->db, "lan");
  gint64 head = cn_server_db_get_meta_int (f->db, "seq", 0);
  CnServerPush pushes[3] = {
    { lan, "laptop", task_mutations ("f1", 21, (gint64) 0, NULL), NULL, NULL },
    { lan, "laptop", task_mutations ("f2", 22, (gint64) 0, "f3", 99, (gint64) 0, NULL), NULL, NULL },
    { lan, "laptop", task_mutations ("f4", 24, (gint64) 0, NULL), NULL, NULL },
  };
  g_autoptr(JsonObject) f1 = NULL;
  g_autoptr(JsonObject) f4 = NULL;
  g_autoptr(GPtrArray) retry = NULL;
  g_autoptr(JsonNode) retried = NULL;

  /* Another process's trigger refuses the record of task 99. */
  g_assert_true (cn_server_db_exec (f->other,
                                    "CREATE TRIGGER refuse BEFORE INSERT ON records "
                                    "WHEN NEW.id = 'c0000000-0000-4000-8000-000000000099' "
                                    "BEGIN SELECT RAISE (ABORT, 'refused'); END", &error));
  g_assert_no_error (error);

  cn_server_apply_pushes (f->db, pushes, G_N_ELEMENTS (pushes));
  g_assert_no_error (pushes[0].error);
  g_assert_error (pushes[1].error, CN_ERROR, CN_ERROR_STORE);
  g_assert_null (pushes[1].answer);
  g_assert_no_error (pushes[2].error);
  f1 = push_result (&pushes[0], 0);
  f4 = push_result (&pushes[2], 0);
  g_assert_cmpstr (json_object_get_string_member (f1, "status"), ==, "applied");
  g_assert_cmpstr (json_object_get_string_member (f4, "status"), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (f4, "seq"), ==,
                   json_object_get_int_member (f1, "seq") + 1);
  g_assert_cmpint (cn_server_db_get_meta_int (f->other, "seq", 0), ==,
                   json_object_get_int_member (f4, "seq"));
  g_assert_cmpint (json_object_get_int_member (f1, "seq"), >, head);

  /* Nothing of the failed push was kept: without the trigger, it applies as new. */
  g_assert_true (cn_server_db_exec (f->other, "DROP TRIGGER refuse", &error));
  g_assert_no_error (error);
  retry = task_mutations ("f2", 22, (gint64) 0, "f3", 99, (gint64) 0, NULL);
  retried = cn_server_apply_mutations (f->db, lan, "laptop", retry, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *result = json_array_get_object_element (json_node_get_array (retried), i);

      g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
      g_assert_cmpint (json_object_get_int_member (result, "rev"), ==, 1);
    }
  clear_pushes (pushes, G_N_ELEMENTS (pushes));
}

/* The purge forgets the answers of pushes older than its limit (30 days at least), in the
 * order they were logged, and keeps the others: a push retried within the limit still gets
 * its first answer. */
static void
test_purge_mutation_log (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnServerUser) lan = user (f->db, "lan");
  g_autoptr(GPtrArray) old = task_mutations ("old1", 31, (gint64) 0, "old2", 32, (gint64) 0, NULL);
  g_autoptr(GPtrArray) young = task_mutations ("young", 33, (gint64) 0, NULL);
  g_autoptr(GPtrArray) retry = task_mutations ("young", 33, (gint64) 0, "old1", 31, (gint64) 0,
                                               NULL);
  g_autoptr(JsonNode) old_results = NULL;
  g_autoptr(JsonNode) young_results = NULL;
  g_autoptr(JsonNode) retried = NULL;
  JsonArray *array;
  guint purged = 0;

  old_results = cn_server_apply_mutations (f->db, lan, "laptop", old, &error);
  g_assert_no_error (error);
  /* logged 40 days ago, as the other process sees it */
  g_assert_true (cn_server_db_exec (f->other,
                                    "UPDATE mutations SET created_at = created_at - 40 * 86400",
                                    &error));
  g_assert_no_error (error);
  young_results = cn_server_apply_mutations (f->db, lan, "laptop", young, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->path, "SELECT count (*) FROM mutations"), ==, 3);

  g_assert_true (cn_server_db_purge_tombstones (f->db, 7 * G_TIME_SPAN_DAY, &purged, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->path, "SELECT count (*) FROM mutations"), ==, 1);
  g_assert_cmpint (query_int (f->path, "SELECT count (*) FROM mutations "
                                        "WHERE mutation_id = 'young'"), ==, 1);

  /* The young one answers as before; the forgotten one is a new edit of task 31 now, with
   * base_rev 0: a conflict, never a second record. */
  retried = cn_server_apply_mutations (f->db, lan, "laptop", retry, &error);
  g_assert_no_error (error);
  array = json_node_get_array (retried);
  g_assert_true (json_node_equal (json_array_get_element (array, 0),
                                  json_array_get_element (json_node_get_array (young_results), 0)));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1),
                                                  "status"), ==, "conflict");

  /* Nothing young enough left to stop at: all of it goes. */
  g_assert_true (cn_server_db_exec (f->other,
                                    "UPDATE mutations SET created_at = created_at - 40 * 86400",
                                    &error));
  g_assert_no_error (error);
  g_assert_true (cn_server_db_purge_tombstones (f->db, 7 * G_TIME_SPAN_DAY, &purged, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->path, "SELECT count (*) FROM mutations"), ==, 0);
}

/* A scope of many units (past the merge of one ordered range per unit): the same rule. */
static void
test_large_scope (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnServerUser) lan = NULL;
  gint64 head;

  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *id = g_strdup_printf ("f0000000-0000-4000-8000-%012u", i);
      g_autofree char *json = g_strdup_printf ("{\"name\": \"Xã %u\", \"kind\": \"commune\", "
                                               "\"parent_id\": \"" DISTRICT1 "\"}", i);

      upsert (f->db, "unit", id, json);
      if (i % 4 == 0)
        add_task (f->db, 300 + i, id);
    }
  lan = user (f->db, "lan");
  head = cn_server_db_get_meta_int (f->db, "seq", 0);
  for (gint64 since = 0; since <= head; since += 3)
    {
      g_autofree char *page = page_text (f->db, lan, since, 7);
      g_autofree char *fresh = fresh_page_text (f, lan, since, 7);

      assert_page_seqs (f->path, lan, since, 7, page);
      g_assert_cmpstr (page, ==, fresh);
    }
  g_assert_no_error (error);
}

/* Runs @sql on the file with a connection of its own (another program, an older server). */
static void
exec_raw (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

/* What version 5 added, taken away: the file is as a version 4 server left it, data and all. */
#define SCHEMA_BACK_TO_V4 \
  "DROP INDEX records_owner;" \
  "ALTER TABLE records DROP COLUMN owner_no;" \
  "DROP TABLE unit_numbers;" \
  "CREATE INDEX records_owner ON records (owner_unit, seq) WHERE is_reference = 0;" \
  "PRAGMA user_version = 4;"

/* Records whose owner_no is not the number of their owner_unit. */
#define WRONG_OWNER_NUMBERS \
  "SELECT count (*) FROM records WHERE owner_no IS NOT " \
  "  (SELECT no FROM unit_numbers WHERE id = owner_unit)"

static void
reopen (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->db = cn_server_db_open (f->path, FALSE, &error);
  g_assert_no_error (error);
  f->other = cn_server_db_open (f->path, FALSE, &error);
  g_assert_no_error (error);
}

/* A database of schema 2 (before the feed's indexes) is brought to the current schema. */
static void
test_migrate (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(CnServerUser) lan = user (f->db, "lan");
  g_autofree char *before = page_text (f->db, lan, 0, 100);
  g_autofree char *after = NULL;

  cn_server_db_free (f->other);
  cn_server_db_free (f->db);
  exec_raw (f->path, SCHEMA_BACK_TO_V4
                     "DROP INDEX records_owner; DROP INDEX records_reference; "
                     "PRAGMA user_version = 2");
  reopen (f);
  after = page_text (f->db, lan, 0, 100);
  g_assert_cmpstr (after, ==, before);

  g_assert_cmpint (query_int (f->path, "SELECT count (*) FROM sqlite_schema "
                                       "WHERE name IN ('records_owner', 'records_reference')"),
                   ==, 2);
  g_assert_cmpint (query_int (f->path, "SELECT count (*) FROM sqlite_schema "
                                       "WHERE name = 'records_feed'"), ==, 0);
  g_assert_cmpint (query_int (f->path, "SELECT user_version FROM pragma_user_version"),
                   ==, CN_SERVER_DB_VERSION);
  g_assert_cmpint (query_int (f->path, WRONG_OWNER_NUMBERS), ==, 0);
}

/* A version 4 database with data: every owned record gets its unit's number, the feed's
 * index is by number, every page is what it was, and records pushed afterwards (in a unit
 * numbered by the migration and in one never seen before) reach the users who may see them. */
static void
test_migrate_v4 (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CnServerUser) lan = user (f->db, "lan");
  g_autoptr(CnServerUser) admin = user (f->db, "admin");
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func (g_free);
  gint64 head = cn_server_db_get_meta_int (f->db, "seq", 0);
  g_autofree char *json = NULL;

  for (gint64 since = 0; since <= head; since++)
    {
      g_ptr_array_add (pages, page_text (f->db, lan, since, 5));
      g_ptr_array_add (pages, page_text (f->db, admin, since, 5));
    }
  cn_server_db_free (f->other);
  cn_server_db_free (f->db);
  exec_raw (f->path, SCHEMA_BACK_TO_V4);
  g_assert_cmpint (query_int (f->path, "SELECT count (*) FROM pragma_table_info ('records') "
                                       "WHERE name = 'owner_no'"), ==, 0);

  reopen (f);
  g_assert_cmpint (query_int (f->path, "SELECT user_version FROM pragma_user_version"),
                   ==, CN_SERVER_DB_VERSION);
  /* The 12 tasks and the person, in their 3 units (the units themselves own themselves). */
  g_assert_cmpint (query_int (f->path, "SELECT count (*) FROM records WHERE owner_no > 0"),
                   ==, 18);
  g_assert_cmpint (query_int (f->path, "SELECT count (*) FROM unit_numbers"), ==, 5);
  g_assert_cmpint (query_int (f->path, WRONG_OWNER_NUMBERS), ==, 0);
  g_assert_cmpint (query_int (f->path, "SELECT count (*) FROM sqlite_schema "
                                       "WHERE name = 'records_owner' "
                                       "AND sql LIKE '%(owner_no, seq)%'"), ==, 1);
  for (gint64 since = 0, i = 0; since <= head; since++)
    {
      g_autofree char *mine = page_text (f->db, lan, since, 5);
      g_autofree char *all = page_text (f->db, admin, since, 5);

      g_assert_cmpstr (mine, ==, g_ptr_array_index (pages, i++));
      g_assert_cmpstr (all, ==, g_ptr_array_index (pages, i++));
    }

  add_task (f->db, 100, COMMUNE1);
  upsert (f->db, "unit", "a0000000-0000-4000-8000-000000000006",
          "{\"name\": \"Thiên Lộc\", \"kind\": \"commune\", \"parent_id\": \"" DISTRICT1 "\"}");
  json = task_json ("Việc ở xã mới", "a0000000-0000-4000-8000-000000000006");
  upsert (f->db, "task", "b0000000-0000-4000-8000-000000000101", json);
  add_task (f->db, 102, COMMUNE2);
  g_assert_cmpint (query_int (f->path, WRONG_OWNER_NUMBERS), ==, 0);
  head = cn_server_db_get_meta_int (f->db, "seq", 0);
  for (gint64 since = 0; since <= head; since++)
    {
      g_autofree char *page = page_text (f->db, lan, since, 4);

      assert_page_seqs (f->path, lan, since, 4, page);
    }
  {
    g_autofree char *latest = page_text (f->db, lan, head - 4, 10);

    g_assert_cmpuint (count_in (latest, "b0000000-0000-4000-8000-000000000100"), ==, 1);
    g_assert_cmpuint (count_in (latest, "b0000000-0000-4000-8000-000000000101"), ==, 1);
    g_assert_cmpuint (count_in (latest, "b0000000-0000-4000-8000-000000000102"), ==, 0);
  }
}

/* A unit number made in a transaction that is rolled back is not kept: the next unit takes
 * that number, and the first one, numbered again, must not share it (its records would
 * reach the other unit's users). */
#define UNIT_X "a0000000-0000-4000-8000-000000000010"
#define UNIT_Y "a0000000-0000-4000-8000-000000000011"

static void
test_unit_numbers_rollback (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnServerUser) lan = user (f->db, "lan");
  g_autoptr(JsonObject) unit_x = object_from_json ("{\"name\": \"Xã X\", \"kind\": \"commune\", "
                                                   "\"parent_id\": \"" DISTRICT1 "\"}");
  g_autofree char *json_x = task_json ("Việc ở xã X", UNIT_X);
  g_autofree char *json_y = task_json ("Việc ở xã Y", UNIT_Y);
  g_autofree char *page = NULL;
  gint64 head;

  /* X, in lan's district, numbered and taken back. */
  g_assert_true (cn_server_db_begin (f->db, &error));
  g_assert_true (cn_server_records_upsert (f->db, "unit", UNIT_X, unit_x, FALSE, "test", NULL,
                                           &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->path, "SELECT count (*) FROM unit_numbers"), ==, 5);
  cn_server_db_rollback (f->db);

  /* Y, in the other district, by another process: it gets the number X had. */
  upsert (f->other, "unit", UNIT_Y, "{\"name\": \"Xã Y\", \"kind\": \"commune\", "
                                    "\"parent_id\": \"" DISTRICT2 "\"}");
  upsert (f->db, "unit", UNIT_X, "{\"name\": \"Xã X\", \"kind\": \"commune\", "
                                 "\"parent_id\": \"" DISTRICT1 "\"}");
  upsert (f->other, "task", "b0000000-0000-4000-8000-000000000201", json_y);
  upsert (f->db, "task", "b0000000-0000-4000-8000-000000000202", json_x);
  upsert (f->db, "task", "b0000000-0000-4000-8000-000000000203", json_y);
  g_assert_cmpint (query_int (f->path, "SELECT count (*) FROM unit_numbers"), ==, 7);
  g_assert_cmpint (query_int (f->path, WRONG_OWNER_NUMBERS), ==, 0);

  head = cn_server_db_get_meta_int (f->db, "seq", 0);
  page = page_text (f->db, lan, head - 5, 10);
  assert_page_seqs (f->path, lan, head - 5, 10, page);
  g_assert_cmpuint (count_in (page, "b0000000-0000-4000-8000-000000000202"), ==, 1);
  g_assert_cmpuint (count_in (page, "b0000000-0000-4000-8000-000000000201"), ==, 0);
  g_assert_cmpuint (count_in (page, "b0000000-0000-4000-8000-000000000203"), ==, 0);
}

static const char *
result_status (JsonArray *results,
               guint      i)
{
  return json_object_get_string_member (json_array_get_object_element (results, i), "status");
}

/* A push that names the same record several times: each mutation sees what the ones before
 * it wrote (the records a push names are read ahead in one query), and a record moved to
 * another unit takes the records that follow it along, numbers and all. */
static void
test_push_same_record (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CnServerUser) admin = user (f->db, "admin");
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func ((GDestroyNotify) cn_server_mutation_free);
  g_autoptr(GPtrArray) second = g_ptr_array_new_with_free_func ((GDestroyNotify) cn_server_mutation_free);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(CnServerUser) lan = NULL;
  g_autofree char *page = NULL;
  JsonArray *results;

  g_ptr_array_add (first, task_mutation ("s0", 1, 0, COMMUNE1));
  answer = cn_server_apply_mutations (f->db, admin, "desk", first, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result_status (json_node_get_array (answer), 0), ==, "applied");
  g_clear_pointer (&answer, json_node_unref);
  upsert (f->db, "task_event", "d0000000-0000-4000-8000-000000000001",
          "{\"task_id\": \"c0000000-0000-4000-8000-000000000001\", "
          "\"at\": \"2026-11-25T08:00:00Z\", \"to_status\": \"done\"}");

  g_ptr_array_add (second, task_mutation ("s1", 1, 1, DISTRICT1));  /* moves, rev 2 */
  g_ptr_array_add (second, task_mutation ("s2", 1, 1, COMMUNE1));   /* conflict */
  g_ptr_array_add (second, task_mutation ("s3", 1, 2, COMMUNE2));   /* moves again, rev 3 */
  g_ptr_array_add (second, task_mutation ("s4", 2, 0, COMMUNE1));   /* new */
  g_ptr_array_add (second, task_mutation ("s5", 2, 1, COMMUNE1));   /* rev 2 */
  g_ptr_array_add (second, task_mutation ("s6", 2, 0, COMMUNE1));   /* conflict */
  answer = cn_server_apply_mutations (f->db, admin, "desk", second, &error);
  g_assert_no_error (error);
  results = json_node_get_array (answer);
  g_assert_cmpstr (result_status (results, 0), ==, "applied");
  g_assert_cmpstr (result_status (results, 1), ==, "conflict");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_array_get_object_element (results, 1), "current"), "rev"), ==, 2);
  g_assert_cmpstr (result_status (results, 2), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (results, 2), "rev"),
                   ==, 3);
  g_assert_cmpstr (result_status (results, 3), ==, "applied");
  g_assert_cmpstr (result_status (results, 4), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (results, 4), "rev"),
                   ==, 2);
  g_assert_cmpstr (result_status (results, 5), ==, "conflict");

  g_assert_cmpint (query_int (f->path, "SELECT rev FROM records "
                                       "WHERE id = 'c0000000-0000-4000-8000-000000000001'"), ==, 3);
  g_assert_cmpint (query_int (f->path, "SELECT count (*) FROM records WHERE collection = 'task' "
                                       "AND id = 'c0000000-0000-4000-8000-000000000001' "
                                       "AND owner_unit = '" COMMUNE2 "'"), ==, 1);
  g_assert_cmpint (query_int (f->path, "SELECT count (*) FROM records "
                                       "WHERE id = 'd0000000-0000-4000-8000-000000000001' "
                                       "AND owner_unit = '" COMMUNE2 "'"), ==, 1);
  g_assert_cmpint (query_int (f->path, WRONG_OWNER_NUMBERS), ==, 0);
  /* The event left lan's district with its task; the other task stayed in it. */
  lan = user (f->db, "lan");
  page = page_text (f->db, lan, 0, 500);
  assert_page_seqs (f->path, lan, 0, 500, page);
  g_assert_cmpuint (count_in (page, "d0000000-0000-4000-8000-000000000001"), ==, 0);
  g_assert_cmpuint (count_in (page, "c0000000-0000-4000-8000-000000000002"), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/server/cache/pages", Fixture, NULL, fixture_setup, test_pages,
              fixture_teardown);
  g_test_add ("/server/cache/sessions", Fixture, NULL, fixture_setup, test_sessions,
              fixture_teardown);
  g_test_add ("/server/cache/sequence", Fixture, NULL, fixture_setup, test_sequence,
              fixture_teardown);
  g_test_add ("/server/cache/pushes-together", Fixture, NULL, fixture_setup,
              test_pushes_together, fixture_teardown);
  g_test_add ("/server/cache/pushes-together-one-fails", Fixture, NULL, fixture_setup,
              test_pushes_together_one_fails, fixture_teardown);
  g_test_add ("/server/cache/purge-mutation-log", Fixture, NULL, fixture_setup,
              test_purge_mutation_log, fixture_teardown);
  g_test_add ("/server/cache/large-scope", Fixture, NULL, fixture_setup, test_large_scope,
              fixture_teardown);
  g_test_add ("/server/cache/migrate", Fixture, NULL, fixture_setup, test_migrate,
              fixture_teardown);
  g_test_add ("/server/cache/push-same-record", Fixture, NULL, fixture_setup,
              test_push_same_record, fixture_teardown);
  g_test_add ("/server/cache/migrate-v4", Fixture, NULL, fixture_setup, test_migrate_v4,
              fixture_teardown);
  g_test_add ("/server/cache/unit-numbers-rollback", Fixture, NULL, fixture_setup,
              test_unit_numbers_rollback, fixture_teardown);
  return g_test_run ();
}
