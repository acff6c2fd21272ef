/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-bench"

#include "config.h"

#include <libsoup/soup.h>
#include <stdio.h>

/*
 * The reference of figure 6: a bare SoupServer on 127.0.0.1 answering every request with
 * the same bytes (a page of the change feed saved from caunoi-server), nothing else.
 *
 *   cn-bench-soup-ref BODY_FILE      prints "listening on http://127.0.0.1:PORT/"
 */

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  GBytes *body = user_data;

  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "application/json", NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), body);
}

int
main (int argc, char **argv)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  GSList *uris;
  gsize len;

  if (argc != 2 || !g_file_get_contents (argv[1], &contents, &len, &error))
    {
      g_printerr ("usage: cn-bench-soup-ref BODY_FILE %s\n", error ? error->message : "");
      return 2;
    }
  server = soup_server_new ("server-header", "caunoi-bench-ref ", NULL);
  soup_server_add_handler (server, NULL, handler_cb,
                           g_bytes_new_take (g_steal_pointer (&contents), len),
                           (GDestroyNotify) g_bytes_unref);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  uris = soup_server_get_uris (server);
  {
    g_autofree char *uri = g_uri_to_string (uris->data);
    g_print ("listening on %s\n", uri);
  }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  fflush (stdout);
  g_main_loop_run (loop);
  return 0;
}
