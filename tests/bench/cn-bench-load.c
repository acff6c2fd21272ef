/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-bench"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <math.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cn-id.h"

/*
 * cn-bench-load: a load generator for caunoi-server (figures 6 and 7), libsoup, one thread,
 * N clients each keeping one request in flight on its own connection for a fixed time.
 *
 *   get:  GET /api/v1/changes?since=S&limit=L, S drawn from --since-min…--since-max
 *         (each client a user token in turn)
 *   post: POST /api/v1/changes with --mutations new tasks in a commune of the client's
 *         district; the "applied" results are counted
 *
 * Prints one JSON object: requests, seconds, requests_per_s, latency percentiles (ms),
 * errors, bytes per answer, and for post the mutations applied.
 */

typedef struct _Load Load;

typedef struct {
  Load      *load;
  guint      index;
  char      *auth;
  JsonArray *communes;   /* post: the communes of this client's district */
  gint64     sent_at;
  char      *client_id;
} Client;

struct _Load {
  SoupSession *session;
  GMainLoop   *loop;
  GRand       *rand;
  char        *url;
  gboolean     post;
  guint        limit;
  gint64       since_min;
  gint64       since_max;
  guint        mutations;
  gboolean     random_ids;  /* post: random UUIDv4 ids, as clients before cn_id_new () */
  gint64       start;
  gint64       end;
  gint64       warm_end;
  guint        in_flight;
  guint        requests;
  guint        errors;
  guint64      bytes;
  guint64      applied;
  guint64      not_applied;
  GArray      *latencies;   /* ms, after the warm-up */
  double       server_cpu_start;
  double       client_cpu_start;   /* this program's own CPU time, from the same moment */
  char        *first_error;
};

static void send_next (Client *client);

static int server_pid;

/* CPU seconds the server used so far (utime + stime), 0 when unknown. */
static double
server_cpu_s (int pid)
{
  g_autofree char *path = NULL;
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (pid <= 0)
    return 0;
  path = g_strdup_printf ("/proc/%d/stat", pid);
  if (!g_file_get_contents (path, &stat, NULL, NULL) || (after_name = strrchr (stat, ')')) == NULL)
    return 0;
  fields = g_strsplit (after_name + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) /
         sysconf (_SC_CLK_TCK);
}

/* This process's CPU seconds so far: the load generator shares the machine with the server. */
static double
process_cpu_s (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
    return 0;
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A JSON string as json-glib writes it (our strings: UTF-8, no control characters). */
static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* The body of a push: the same JSON text json_to_string () made of a JsonBuilder's tree
 * (member order, no spaces), written straight into a string. The load generator shares the
 * 2 cores with the server it measures; building and writing 100 trees a request cost it
 * more CPU than the server's parsing of them. */
static char *
post_body (Client *client)
{
  Load *load = client->load;
  GString *out = g_string_sized_new (300 * load->mutations + 64);
  guint n = json_array_get_length (client->communes);

  g_string_append (out, "{\"client_id\":");
  append_json_string (out, client->client_id);
  g_string_append (out, ",\"mutations\":[");
  for (guint i = 0; i < load->mutations; i++)
    {
      /* time-ordered ids, as the client makes them (cn_id_new ()) */
      g_autofree char *mutation_id = load->random_ids ? g_uuid_string_random () : cn_id_new ();
      g_autofree char *id = load->random_ids ? g_uuid_string_random () : cn_id_new ();
      guint village = (guint) g_rand_int_range (load->rand, 1, 20);
      const char *commune = json_array_get_string_element (client->communes,
                                                           (guint) g_rand_int_range (load->rand, 0, (gint32) n));

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, "{\"mutation_id\":");
      append_json_string (out, mutation_id);
      g_string_append (out, ",\"collection\":\"task\",\"id\":");
      append_json_string (out, id);
      g_string_append_printf (out, ",\"base_rev\":0,\"op\":\"put\",\"data\":{\"title\":"
                              "\"Kiểm tra tiến độ làm đường giao thông thôn %u\","
                              "\"description\":\"Đoàn công tác đề nghị xã báo cáo kết quả "
                              "trước ngày 30.\",\"commune_id\":", village);
      append_json_string (out, commune);
      g_string_append (out, ",\"status\":\"open\"}}");
    }
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
}

static void
count_results (Load *load, GBytes *reply)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonArray *results;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL),
                                   (gssize) g_bytes_get_size (reply), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      load->errors++;
      return;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  results = json_object_get_array_member (object, "results");
  for (guint i = 0; results != NULL && i < json_array_get_length (results); i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);

      if (g_strcmp0 (json_object_get_string_member (result, "status"), "applied") == 0)
        load->applied++;
      else
        load->not_applied++;
    }
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Client *client = user_data;
  Load *load = client->load;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (load->session, result);
  gint64 now = g_get_monotonic_time ();

  reply = soup_session_send_and_read_finish (load->session, result, &error);
  load->in_flight--;
  if (reply == NULL || soup_message_get_status (msg) != 200)
    {
      load->errors++;
      if (load->first_error == NULL)
        load->first_error = g_strdup_printf ("%u %s", soup_message_get_status (msg),
                                             error ? error->message
                                                   : (reply ? (const char *) g_bytes_get_data (reply, NULL) : ""));
    }
  else if (client->sent_at >= load->warm_end)
    {
      if (load->server_cpu_start == 0)
        {
          load->server_cpu_start = server_cpu_s (server_pid);
          load->client_cpu_start = process_cpu_s ();
        }
      double ms = (now - client->sent_at) / 1000.0;

      g_array_append_val (load->latencies, ms);
      load->requests++;
      load->bytes += g_bytes_get_size (reply);
      if (load->post)
        count_results (load, reply);
    }
  else if (load->post)
    count_results (load, reply);

  if (now < load->end)
    send_next (client);
  else if (load->in_flight == 0)
    g_main_loop_quit (load->loop);
}

static void
send_next (Client *client)
{
  Load *load = client->load;
  g_autoptr(SoupMessage) msg = NULL;

  if (load->post)
    {
      g_autofree char *uri = g_strconcat (load->url, "api/v1/changes", NULL);
      char *body = post_body (client);
      gsize len = strlen (body);

      msg = soup_message_new ("POST", uri);
      soup_message_set_request_body_from_bytes (msg, "application/json",
                                                g_bytes_new_take (body, len));
    }
  else
    {
      gint64 since = load->since_min;
      g_autofree char *uri = NULL;

      if (load->since_max > load->since_min)
        since += g_rand_int_range (load->rand, 0, (gint32) (load->since_max - load->since_min));
      uri = g_strdup_printf ("%sapi/v1/changes?since=%" G_GINT64_FORMAT "&limit=%u", load->url,
                             since, load->limit);
      msg = soup_message_new ("GET", uri);
    }
  soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization",
                               client->auth);
  client->sent_at = g_get_monotonic_time ();
  load->in_flight++;
  soup_session_send_and_read_async (load->session, msg, G_PRIORITY_DEFAULT, NULL, done_cb, client);
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *sorted, double p)
{
  guint rank;

  if (sorted->len == 0)
    return 0;
  rank = (guint) ceil (p / 100.0 * sorted->len);
  rank = CLAMP (rank, 1, sorted->len);
  return g_array_index (sorted, double, rank - 1);
}

int
main (int argc, char **argv)
{
  g_autofree char *url = NULL, *tokens_file = NULL, *manifest = NULL, *mode = NULL;
  g_autofree char *tokens_text = NULL;
  g_auto(GStrv) tokens = NULL;
  int concurrency = 100, limit = 50, mutations = 100, seed = 6;
  double duration = 10, warmup = 1;
  gint64 since_min = 0, since_max = 0;
  Load load = { 0 };
  GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, "Server URL (ends with /)", "URL" },
    { "tokens", 0, 0, G_OPTION_ARG_FILENAME, &tokens_file, "Bearer tokens, one a line", "PATH" },
    { "manifest", 0, 0, G_OPTION_ARG_FILENAME, &manifest, "post: generator manifest", "PATH" },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode, "get or post", "MODE" },
    { "concurrency", 0, 0, G_OPTION_ARG_INT, &concurrency, "Clients", "N" },
    { "duration", 0, 0, G_OPTION_ARG_DOUBLE, &duration, "Seconds measured", "S" },
    { "warmup", 0, 0, G_OPTION_ARG_DOUBLE, &warmup, "Seconds before measuring", "S" },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "get: page size", "N" },
    { "since-min", 0, 0, G_OPTION_ARG_INT64, &since_min, "get: smallest cursor", "SEQ" },
    { "since-max", 0, 0, G_OPTION_ARG_INT64, &since_max, "get: largest cursor", "SEQ" },
    { "mutations", 0, 0, G_OPTION_ARG_INT, &mutations, "post: mutations a request", "N" },
    { "random-ids", 0, 0, G_OPTION_ARG_NONE, &load.random_ids,
      "post: random (version 4) ids, as older clients make them", NULL },
    { "server-pid", 0, 0, G_OPTION_ARG_INT, &server_pid, "The server, for its CPU time", "PID" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- load caunoi-server");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  JsonArray *districts = NULL;
  Client *clients;
  guint n_tokens;
  double seconds, server_cpu, client_cpu;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || url == NULL ||
      tokens_file == NULL || mode == NULL)
    {
      g_printerr ("%s\n", error ? error->message : "--url, --tokens and --mode are required");
      return 2;
    }
  if (!g_file_get_contents (tokens_file, &tokens_text, NULL, &error))
    g_error ("%s", error->message);
  tokens = g_strsplit (g_strstrip (tokens_text), "\n", -1);
  n_tokens = g_strv_length (tokens);
  load.post = g_str_equal (mode, "post");
  if (load.post)
    {
      if (manifest == NULL || !json_parser_load_from_file (parser, manifest, &error))
        g_error ("post needs --manifest: %s", error ? error->message : "");
      districts = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                "districts");
    }

  load.session = soup_session_new_with_options ("max-conns", concurrency + 8,
                                                "max-conns-per-host", concurrency + 8,
                                                "timeout", 60, NULL);
  load.loop = g_main_loop_new (NULL, FALSE);
  load.rand = g_rand_new_with_seed ((guint32) seed);
  load.url = url;
  load.limit = (guint) limit;
  load.since_min = since_min;
  load.since_max = since_max;
  load.mutations = (guint) mutations;
  load.latencies = g_array_new (FALSE, FALSE, sizeof (double));
  load.start = g_get_monotonic_time ();
  load.warm_end = load.start + (gint64) (warmup * G_USEC_PER_SEC);
  load.end = load.warm_end + (gint64) (duration * G_USEC_PER_SEC);

  clients = g_new0 (Client, concurrency);
  for (int i = 0; i < concurrency; i++)
    {
      Client *client = &clients[i];
      guint t = (guint) i % n_tokens;

      client->load = &load;
      client->index = (guint) i;
      client->auth = g_strconcat ("Bearer ", tokens[t], NULL);
      client->client_id = g_strdup_printf ("bench-load-%d", i);
      if (districts != NULL)
        client->communes = json_object_get_array_member (json_array_get_object_element (districts,
                                                                                        t % json_array_get_length (districts)),
                                                         "communes");
      send_next (client);
    }
  g_main_loop_run (load.loop);
  seconds = (g_get_monotonic_time () - load.warm_end) / 1e6;
  server_cpu = server_cpu_s (server_pid) - load.server_cpu_start;
  client_cpu = process_cpu_s () - load.client_cpu_start;

  g_array_sort (load.latencies, compare_double);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "mode");
  json_builder_add_string_value (b, mode);
  json_builder_set_member_name (b, "concurrency");
  json_builder_add_int_value (b, concurrency);
  json_builder_set_member_name (b, "requests");
  json_builder_add_int_value (b, load.requests);
  json_builder_set_member_name (b, "seconds");
  json_builder_add_double_value (b, seconds);
  json_builder_set_member_name (b, "requests_per_s");
  json_builder_add_double_value (b, load.requests / seconds);
  json_builder_set_member_name (b, "p50_ms");
  json_builder_add_double_value (b, percentile (load.latencies, 50));
  json_builder_set_member_name (b, "p99_ms");
  json_builder_add_double_value (b, percentile (load.latencies, 99));
  json_builder_set_member_name (b, "max_ms");
  json_builder_add_double_value (b, percentile (load.latencies, 100));
  if (server_pid > 0)
    {
      json_builder_set_member_name (b, "server_cpu_ms_per_request");
      json_builder_add_double_value (b, load.requests ? server_cpu * 1000 / load.requests : 0);
      json_builder_set_member_name (b, "requests_per_server_cpu_s");
      json_builder_add_double_value (b, server_cpu > 0 ? load.requests / server_cpu : 0);
      json_builder_set_member_name (b, "server_cpu_share");
      json_builder_add_double_value (b, server_cpu / seconds);
    }
  json_builder_set_member_name (b, "client_cpu_ms_per_request");
  json_builder_add_double_value (b, load.requests ? client_cpu * 1000 / load.requests : 0);
  json_builder_set_member_name (b, "errors");
  json_builder_add_int_value (b, load.errors);
  json_builder_set_member_name (b, "first_error");
  json_builder_add_string_value (b, load.first_error);
  json_builder_set_member_name (b, "bytes_per_answer");
  json_builder_add_int_value (b, load.requests ? (gint64) (load.bytes / load.requests) : 0);
  if (load.post)
    {
      json_builder_set_member_name (b, "applied");
      json_builder_add_int_value (b, (gint64) load.applied);
      json_builder_set_member_name (b, "not_applied");
      json_builder_add_int_value (b, (gint64) load.not_applied);
      json_builder_set_member_name (b, "mutations_per_s");
      json_builder_add_double_value (b, load.requests * load.mutations / seconds);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  g_print ("%s\n", text);

  for (int i = 0; i < concurrency; i++)
    {
      g_free (clients[i].auth);
      g_free (clients[i].client_id);
    }
  g_free (clients);
  g_array_unref (load.latencies);
  g_rand_free (load.rand);
  g_main_loop_unref (load.loop);
  g_object_unref (load.session);
  g_free (load.first_error);
  return load.errors > 0 ? 1 : 0;
}
