/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Kept-alive connections: a client's requests reuse its connection; the server closes
 * connections idle past --idle-timeout, connections that never send a request, and those
 * its clients close (no descriptor left behind), and ends a sync's connection after the
 * last page of its pull. Raw sockets, so that every connection is counted. */
#include "config.h"

#include <string.h>

#include "cn-test-server.h"

typedef struct {
  guint  status;
  char  *headers;   /* the header block, lower case */
  char  *body;
} Answer;

static void
answer_clear (Answer *answer)
{
  g_clear_pointer (&answer->headers, g_free);
  g_clear_pointer (&answer->body, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

static GSocket *
connect_to (CnTestServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (server->url, G_URI_FLAGS_NONE, &error);
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  GSocket *socket;

  g_assert_no_error (error);
  address = g_inet_address_new_from_string ("127.0.0.1");
  socket_address = g_inet_socket_address_new (address, (guint16) g_uri_get_port (uri));
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  /* Only so that a broken server fails the test instead of hanging it. */
  g_socket_set_timeout (socket, 20);
  g_assert_true (g_socket_connect (socket, socket_address, NULL, &error));
  g_assert_no_error (error);
  return socket;
}

/* Reads until the connection is closed by the server: TRUE when it was (end of stream),
 * FALSE when the socket timed out first. */
static gboolean
wait_closed (GSocket *socket)
{
  char buffer[256];

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);

      if (n == 0)
        return TRUE;
      if (n < 0)
        return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
    }
}

/* Sends one request and reads its answer (Content-Length framing). */
static void
exchange (GSocket    *socket,
          const char *method,
          const char *path,
          const char *token,
          Answer     *answer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) received = g_string_new (NULL);
  g_autofree char *auth = token ? g_strdup_printf ("Authorization: Bearer %s\r\n", token)
                                : g_strdup ("");
  g_autofree char *request = g_strdup_printf ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n",
                                              method, path, auth);
  gssize head = -1;   /* the length of the header block, once read */
  gsize body_length = 0;

  answer_clear (answer);
  g_assert_cmpint (g_socket_send (socket, request, strlen (request), NULL, &error), ==,
                   (gssize) strlen (request));
  g_assert_no_error (error);
  for (;;)
    {
      char buffer[4096];
      gssize n;

      if (head < 0)
        {
          const char *end = strstr (received->str, "\r\n\r\n");

          if (end != NULL)
            {
              const char *length;

              head = end - received->str;
              answer->headers = g_ascii_strdown (received->str, head);
              length = strstr (answer->headers, "\r\ncontent-length: ");
              g_assert_nonnull (length);
              body_length = g_ascii_strtoull (length + strlen ("\r\ncontent-length: "),
                                              NULL, 10);
              answer->status = (guint) g_ascii_strtoull (received->str + strlen ("HTTP/1.1 "),
                                                         NULL, 10);
            }
        }
      if (head >= 0 && received->len >= (gsize) head + 4 + body_length)
        break;
      n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      g_string_append_len (received, buffer, n);
    }
  /* Nothing past the answer: one answer per request. */
  g_assert_cmpuint (received->len, ==, (gsize) head + 4 + body_length);
  answer->body = g_strndup (received->str + head + 4, body_length);
}

static gboolean
closes_connection (const Answer *answer)
{
  return strstr (answer->headers, "\r\nconnection: close") != NULL;
}

static guint
count_descriptors (CnTestServer *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/fd",
                                           g_subprocess_get_identifier (server->process));
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* The server's descriptors once they reach @target, or (G_MAXUINT) stop changing. */
static guint
settled_descriptors (CnTestServer *server,
                     guint         target)
{
  guint last = count_descriptors (server);
  guint stable = 0;

  for (guint i = 0; i < 100 && (target == G_MAXUINT || last > target) && stable < 5; i++)
    {
      guint now;

      g_usleep (100 * 1000);
      now = count_descriptors (server);
      stable = now == last ? stable + 1 : 0;
      last = now;
    }
  return last;
}

static void
test_keep_alive (void)
{
  g_autoptr(CnTestServer) server = cn_test_server_new ();
  g_autoptr(GSocket) reused = NULL;
  g_autoptr(GSocket) idle = NULL;
  g_autoptr(GSocket) silent = NULL;
  guint baseline;

  cn_test_server_start (server, "--idle-timeout", "2", NULL);
  {
    /* Settle: the first connection of the test helper's session. */
    g_autoptr(GSocket) first = connect_to (server);
    g_auto(Answer) answer = { 0 };

    exchange (first, "GET", "/healthz", NULL, &answer);
    g_assert_cmpuint (answer.status, ==, 200);
    g_socket_close (first, NULL);
  }

  /* Five requests, one connection: each answered on it, none closing it. */
  reused = connect_to (server);
  for (guint i = 0; i < 5; i++)
    {
      g_auto(Answer) answer = { 0 };

      exchange (reused, "GET", "/healthz", NULL, &answer);
      g_assert_cmpuint (answer.status, ==, 200);
      g_assert_nonnull (strstr (answer.body, "\"ok\""));
      g_assert_false (closes_connection (&answer));
    }

  /* Left idle past the timeout, it is closed by the server; so is one that never sends a
   * request. */
  idle = connect_to (server);
  {
    g_auto(Answer) answer = { 0 };

    exchange (idle, "GET", "/healthz", NULL, &answer);
    g_assert_cmpuint (answer.status, ==, 200);
  }
  silent = connect_to (server);
  g_assert_true (wait_closed (idle));
  g_assert_true (wait_closed (silent));
  g_assert_true (wait_closed (reused));

  /* Clients that close their kept-alive connections leave no descriptor behind. The
   * connections above are closed a moment after their clients saw the end: settle first. */
  baseline = settled_descriptors (server, G_MAXUINT);
  for (guint i = 0; i < 60; i++)
    {
      g_autoptr(GSocket) client = connect_to (server);
      g_auto(Answer) answer = { 0 };

      exchange (client, "GET", "/healthz", NULL, &answer);
      g_assert_cmpuint (answer.status, ==, 200);
      exchange (client, "GET", "/healthz", NULL, &answer);
      g_assert_cmpuint (answer.status, ==, 200);
      g_socket_close (client, NULL);
    }
  g_assert_cmpuint (settled_descriptors (server, baseline), <=, baseline);

  cn_test_server_stop (server);
}

/* A pull keeps its connection while pages follow; the last page closes it. */
static void
test_last_page (void)
{
  g_autoptr(CnTestServer) server = cn_test_server_new ();
  g_autoptr(GSocket) socket = NULL;
  g_autofree char *token = NULL;
  g_auto(Answer) first = { 0 };
  g_auto(Answer) second = { 0 };
  g_auto(Answer) last = { 0 };

  cn_test_server_start (server, "--idle-timeout", "30", NULL);
  cn_test_server_add_user (server, "admin", "admin", NULL, "admin-password-1");
  token = cn_test_login (server, "admin", "admin-password-1");
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("d1000000-0000-4000-8000-00000000001%u", i);
      g_autoptr(JsonNode) result = NULL;
      JsonObject *object = cn_test_push_one (server, token, "unit", id, 0, "put",
                                             "{\"name\": \"Xã Thạch Hà\", \"kind\": \"commune\"}",
                                             &result);

      g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "applied");
    }

  socket = connect_to (server);
  exchange (socket, "GET", "/api/v1/changes?since=0&limit=1", token, &first);
  g_assert_cmpuint (first.status, ==, 200);
  g_assert_nonnull (strstr (first.body, "\"more\":true"));
  g_assert_false (closes_connection (&first));
  exchange (socket, "GET", "/api/v1/changes?since=1&limit=1", token, &second);
  g_assert_cmpuint (second.status, ==, 200);
  g_assert_false (closes_connection (&second));
  exchange (socket, "GET", "/api/v1/changes?since=2&limit=5", token, &last);
  g_assert_cmpuint (last.status, ==, 200);
  g_assert_nonnull (strstr (last.body, "\"more\":false"));
  g_assert_true (closes_connection (&last));
  g_assert_true (wait_closed (socket));

  cn_test_server_stop (server);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/connections/keep-alive", test_keep_alive);
  g_test_add_func ("/server/connections/last-page", test_last_page);
  return g_test_run ();
}
