/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-sync"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cn-error.h"
#include "cn-record.h"
#include "cn-sync-private.h"

/* A JSON answer larger than this is not one our server sends. */
#define MAX_ANSWER_BYTES (64 * 1024 * 1024)
#define READ_CHUNK 65536

struct _CnSyncHttp
{
  SoupSession *session;
  char        *server_url;   /* normalized, ends with '/' */
  char        *pinned;       /* lower-case hex SHA-256 without separators, or NULL */
  char        *token;
  GMutex       lock;
  char        *presented;    /* fingerprint of the last refused certificate */
  guint        last_status;  /* HTTP status of the last answer, 0 without one */
};

CnSyncHttp *
cn_sync_http_new (SoupSession *session,
                  const char  *server_url,
                  const char  *pinned_certificate)
{
  CnSyncHttp *http = g_new0 (CnSyncHttp, 1);

  http->session = g_object_ref (session);
  http->server_url = g_strdup (server_url);
  http->pinned = cn_sync_normalize_fingerprint (pinned_certificate);
  g_mutex_init (&http->lock);
  return http;
}

void
cn_sync_http_free (CnSyncHttp *http)
{
  if (http == NULL)
    return;
  g_clear_object (&http->session);
  g_free (http->server_url);
  g_free (http->pinned);
  if (http->token != NULL)
    memset (http->token, 0, strlen (http->token));
  g_free (http->token);
  g_free (http->presented);
  g_mutex_clear (&http->lock);
  g_free (http);
}

void
cn_sync_http_set_token (CnSyncHttp *http,
                        const char *token)
{
  if (http->token != NULL)
    memset (http->token, 0, strlen (http->token));
  g_free (http->token);
  http->token = g_strdup (token);
}

guint
cn_sync_http_get_last_status (CnSyncHttp *http)
{
  return http->last_status;
}

const char *
cn_sync_http_get_server_url (CnSyncHttp *http)
{
  return http->server_url;
}

char *
cn_sync_http_dup_presented_certificate (CnSyncHttp *http)
{
  char *copy;

  g_mutex_lock (&http->lock);
  copy = g_strdup (http->presented);
  g_mutex_unlock (&http->lock);
  return copy;
}

char *
cn_sync_normalize_fingerprint (const char *fingerprint)
{
  GString *hex;

  if (fingerprint == NULL)
    return NULL;
  hex = g_string_new (NULL);
  for (const char *p = fingerprint; *p != '\0'; p++)
    {
      if (g_ascii_isxdigit (*p))
        g_string_append_c (hex, g_ascii_tolower (*p));
      else if (*p != ':' && *p != ' ')
        return (g_string_free (hex, TRUE), NULL);
    }
  if (hex->len != 64)
    return (g_string_free (hex, TRUE), NULL);
  return g_string_free (hex, FALSE);
}

char *
cn_sync_certificate_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *hex = NULL;
  GString *pretty;

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;
  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  pretty = g_string_new (NULL);
  for (guint i = 0; hex[i] != '\0'; i += 2)
    g_string_append_printf (pretty, "%s%c%c", i > 0 ? ":" : "",
                            g_ascii_toupper (hex[i]), g_ascii_toupper (hex[i + 1]));
  return g_string_free (pretty, FALSE);
}

char *
cn_sync_normalize_server_url (const char  *url,
                              GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *path;

  if (url != NULL)
    uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0) ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("“%s” is not a server address. Write it like https://server.example/"),
                   url != NULL ? url : "");
      return NULL;
    }
  path = g_uri_get_path (uri);
  if (g_str_has_suffix (path, "/"))
    return g_uri_to_string (uri);
  else
    {
      g_autofree char *with_slash = g_strconcat (path, "/", NULL);
      g_autoptr(GUri) fixed = g_uri_build (G_URI_FLAGS_NONE, scheme, g_uri_get_userinfo (uri),
                                           g_uri_get_host (uri), g_uri_get_port (uri),
                                           with_slash, NULL, NULL);

      return g_uri_to_string (fixed);
    }
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       CnSyncHttp           *http)
{
  g_autofree char *fingerprint = cn_sync_certificate_fingerprint (certificate);
  g_autofree char *normalized = cn_sync_normalize_fingerprint (fingerprint);

  /* Only the exact certificate the user confirmed for this server; never silently any. */
  if (http->pinned != NULL && g_strcmp0 (normalized, http->pinned) == 0)
    return TRUE;

  g_mutex_lock (&http->lock);
  g_free (http->presented);
  http->presented = g_steal_pointer (&fingerprint);
  g_mutex_unlock (&http->lock);
  return FALSE;
}

static SoupMessage *
new_message (CnSyncHttp  *http,
             const char  *method,
             const char  *path,
             GError     **error)
{
  g_autofree char *uri = g_strconcat (http->server_url, path, NULL);
  SoupMessage *msg = soup_message_new (method, uri);

  if (msg == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("“%s” is not a server address. Write it like https://server.example/"),
                   http->server_url);
      return NULL;
    }
  if (http->token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", http->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "Authorization", bearer);
    }
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), http);
  http->last_status = 0;
  g_mutex_lock (&http->lock);
  g_clear_pointer (&http->presented, g_free);
  g_mutex_unlock (&http->lock);
  return msg;
}

static void
set_transport_error (CnSyncHttp  *http,
                     GError      *transport_error,
                     GError     **error)
{
  g_autofree char *presented = cn_sync_http_dup_presented_certificate (http);

  if (g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_error_copy (transport_error));
      return;
    }
  if (presented != NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_CERTIFICATE,
                   _("The server %s presented a certificate this computer does not trust. "
                     "Accept it only if the office confirms its SHA-256 fingerprint: %s"),
                   http->server_url, presented);
      return;
    }
  if (transport_error->domain == G_TLS_ERROR)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_NETWORK,
                   _("Could not open a secure connection to %s: %s"),
                   http->server_url, transport_error->message);
      return;
    }
  g_set_error (error, CN_ERROR, CN_ERROR_NETWORK,
               _("Could not reach the server %s: %s"),
               http->server_url, transport_error->message);
}

/* Reads the whole answer, refusing one past the cap. */
static GBytes *
read_answer (GInputStream  *stream,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GByteArray) buffer = g_byte_array_new ();

  for (;;)
    {
      g_autoptr(GBytes) chunk = g_input_stream_read_bytes (stream, READ_CHUNK, cancellable, error);

      if (chunk == NULL)
        return NULL;
      if (g_bytes_get_size (chunk) == 0)
        break;
      if (buffer->len + g_bytes_get_size (chunk) > MAX_ANSWER_BYTES)
        {
          g_set_error (error, CN_ERROR, CN_ERROR_SERVER,
                       _("The server sent an answer larger than %u MB"),
                       MAX_ANSWER_BYTES / (1024 * 1024));
          return NULL;
        }
      g_byte_array_append (buffer, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

/* Through cn_json_parse_checked(), as the server reads what clients send: json-glib
 * recurses once per level of nesting, so an answer nested a hundred thousand levels deep
 * (a few hundred kilobytes, well under the size cap) would overflow the worker's stack. */
static JsonNode *
parse_answer (GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (size == 0)
    return NULL;
  return cn_json_parse_checked (data, (gssize) size, NULL);
}

static char *
server_message (JsonNode *answer)
{
  JsonObject *object;

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    return NULL;
  object = json_node_get_object (answer);
  if (json_object_has_member (object, "message") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "message")) &&
      json_object_get_string_member (object, "message") != NULL)
    return g_strdup (json_object_get_string_member (object, "message"));
  if (json_object_has_member (object, "error") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "error")) &&
      json_object_get_string_member (object, "error") != NULL)
    return g_strdup (json_object_get_string_member (object, "error"));
  return NULL;
}

static void
set_status_error (CnSyncHttp  *http,
                  SoupMessage *msg,
                  JsonNode    *answer,
                  GError     **error)
{
  guint status = soup_message_get_status (msg);
  g_autofree char *message = server_message (answer);
  const char *reason = soup_message_get_reason_phrase (msg);

  if (message == NULL)
    message = g_strdup (reason != NULL && *reason != '\0' ? reason : soup_status_get_phrase (status));

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      g_set_error (error, CN_ERROR, CN_ERROR_AUTH,
                   _("The server did not accept the sign-in (%s). Sign in again."), message);
      break;
    case 429:  /* Too Many Requests: failed sign-ins are rate-limited */
      g_set_error (error, CN_ERROR, CN_ERROR_AUTH,
                   _("Too many attempts; wait a little and try again (%s)."), message);
      break;
    case SOUP_STATUS_FORBIDDEN:
      g_set_error (error, CN_ERROR, CN_ERROR_FORBIDDEN,
                   _("The server refused the request: %s"), message);
      break;
    case SOUP_STATUS_GONE:
      g_set_error (error, CN_ERROR, CN_ERROR_GONE,
                   _("The server no longer keeps the history this computer needs: %s"),
                   message);
      break;
    case SOUP_STATUS_NOT_FOUND:
      g_set_error (error, CN_ERROR, CN_ERROR_NOT_FOUND,
                   _("The server %s does not know %s (%s). Is this a Cầu Nối server?"),
                   http->server_url, g_uri_get_path (soup_message_get_uri (msg)), message);
      break;
    default:
      g_set_error (error, CN_ERROR, CN_ERROR_SERVER,
                   _("The server answered with an error (%u): %s"), status, message);
      break;
    }
}

JsonNode *
cn_sync_http_call_json (CnSyncHttp    *http,
                        const char    *method,
                        const char    *path,
                        JsonNode      *body,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) local_error = NULL;
  guint status;

  msg = new_message (http, method, path, error);
  if (msg == NULL)
    return NULL;
  soup_message_headers_replace (soup_message_get_request_headers (msg),
                                "Accept", "application/json");
  if (body != NULL)
    {
      g_autofree char *text = json_to_string (body, FALSE);
      gsize length = strlen (text);
      g_autoptr(GBytes) request = g_bytes_new_take (g_steal_pointer (&text), length);

      soup_message_set_request_body_from_bytes (msg, "application/json", request);
    }

  stream = soup_session_send (http->session, msg, cancellable, &local_error);
  if (stream == NULL)
    {
      set_transport_error (http, local_error, error);
      return NULL;
    }
  bytes = read_answer (stream, cancellable, &local_error);
  if (bytes == NULL)
    {
      if (local_error->domain == CN_ERROR)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        set_transport_error (http, local_error, error);
      return NULL;
    }
  answer = parse_answer (bytes);
  status = soup_message_get_status (msg);
  http->last_status = status;

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      set_status_error (http, msg, answer, error);
      return NULL;
    }
  if (answer == NULL)
    {
      if (g_bytes_get_size (bytes) == 0)
        return json_node_new (JSON_NODE_NULL);
      g_set_error (error, CN_ERROR, CN_ERROR_SERVER,
                   _("The server’s answer to %s %s is not valid JSON"), method,
                   g_uri_get_path (soup_message_get_uri (msg)));
      return NULL;
    }
  return g_steal_pointer (&answer);
}

gboolean
cn_sync_http_put_file (CnSyncHttp    *http,
                       const char    *sha256,
                       const char    *path,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GBytes) answer_bytes = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *request_path = g_strconcat ("api/v1/files/", sha256, NULL);

  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                   _("Could not read the attachment %s: %s"), path, local_error->message);
      return FALSE;
    }
  contents = g_mapped_file_get_bytes (mapped);
  msg = new_message (http, "PUT", request_path, error);
  if (msg == NULL)
    return FALSE;
  soup_message_set_request_body_from_bytes (msg, "application/octet-stream", contents);
  answer_bytes = soup_session_send_and_read (http->session, msg, cancellable, &local_error);
  if (answer_bytes == NULL)
    {
      set_transport_error (http, local_error, error);
      return FALSE;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      answer = parse_answer (answer_bytes);
      set_status_error (http, msg, answer, error);
      return FALSE;
    }
  return TRUE;
}

static char *
file_sha256 (const char    *path,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, cancellable, error);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 buffer[READ_CHUNK];

  if (in == NULL)
    return NULL;
  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (in), buffer, sizeof buffer,
                                      cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      g_checksum_update (checksum, buffer, (gsize) n);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

static gboolean
finish_download (const char    *sha256,
                 const char    *part,
                 const char    *final,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *got = file_sha256 (part, cancellable, &local_error);

  if (got == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                   _("Could not read the downloaded file %s: %s"), part, local_error->message);
      return FALSE;
    }
  if (g_strcmp0 (got, sha256) != 0)
    {
      /* Start over next time: a damaged part must not be resumed. */
      g_unlink (part);
      g_set_error (error, CN_ERROR, CN_ERROR_SERVER,
                   _("The file %s from the server is damaged (its SHA-256 is %s); "
                     "it will be downloaded again"), sha256, got);
      return FALSE;
    }
  if (g_rename (part, final) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                   _("Could not store the file %s: %s"), final, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* Copies @in to @out, telling @progress the bytes written so far (from @offset) of @total. */
static gboolean
copy_with_progress (GInputStream          *in,
                    GOutputStream         *out,
                    goffset                offset,
                    goffset                total,
                    GFileProgressCallback  progress,
                    gpointer               progress_data,
                    GCancellable          *cancellable,
                    GError               **error)
{
  g_autofree guint8 *buffer = g_malloc (64 * 1024);
  goffset received = offset;

  if (progress != NULL)
    progress (received, total, progress_data);
  for (;;)
    {
      gssize n = g_input_stream_read (in, buffer, 64 * 1024, cancellable, error);

      if (n < 0)
        return FALSE;
      if (n == 0)
        break;
      if (!g_output_stream_write_all (out, buffer, n, NULL, cancellable, error))
        return FALSE;
      received += n;
      if (progress != NULL)
        progress (received, total, progress_data);
    }
  return g_output_stream_close (out, cancellable, error) &&
         g_input_stream_close (in, cancellable, error);
}

gboolean
cn_sync_http_get_file (CnSyncHttp            *http,
                       const char            *sha256,
                       const char            *dir,
                       GFileProgressCallback  progress,
                       gpointer               progress_data,
                       GCancellable          *cancellable,
                       GError               **error)
{
  g_autofree char *request_path = g_strconcat ("api/v1/files/", sha256, NULL);
  g_autofree char *final = g_build_filename (dir, sha256, NULL);
  g_autofree char *part = g_strconcat (final, ".part", NULL);
  g_autoptr(GFile) part_file = g_file_new_for_path (part);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;
  goffset offset = 0;
  goffset total = 0;
  guint status;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  if (g_stat (part, &st) == 0)
    offset = st.st_size;

  msg = new_message (http, "GET", request_path, error);
  if (msg == NULL)
    return FALSE;
  if (offset > 0)
    soup_message_headers_set_range (soup_message_get_request_headers (msg), offset, -1);

  in = soup_session_send (http->session, msg, cancellable, &local_error);
  if (in == NULL)
    {
      set_transport_error (http, local_error, error);
      return FALSE;
    }
  status = soup_message_get_status (msg);

  if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE && offset > 0)
    /* The part is already whole (killed between the last byte and the rename). */
    return finish_download (sha256, part, final, cancellable, error);
  if (status == SOUP_STATUS_PARTIAL_CONTENT && offset > 0)
    out = g_file_append_to (part_file, G_FILE_CREATE_PRIVATE, cancellable, &local_error);
  else if (status == SOUP_STATUS_OK)
    out = g_file_replace (part_file, NULL, FALSE, G_FILE_CREATE_PRIVATE, cancellable,
                          &local_error);
  else
    {
      g_autoptr(GBytes) bytes = read_answer (in, cancellable, NULL);
      g_autoptr(JsonNode) answer = bytes != NULL ? parse_answer (bytes) : NULL;

      set_status_error (http, msg, answer, error);
      return FALSE;
    }
  if (out == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_STORE,
                   _("Could not write the file %s: %s"), part, local_error->message);
      return FALSE;
    }
  if (status == SOUP_STATUS_OK)
    offset = 0;
  if (soup_message_headers_get_content_length (soup_message_get_response_headers (msg)) > 0)
    total = offset + soup_message_headers_get_content_length (soup_message_get_response_headers (msg));
  if (!copy_with_progress (in, G_OUTPUT_STREAM (out), offset, total, progress, progress_data,
                           cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, CN_ERROR, CN_ERROR_NETWORK,
                     _("The download of %s stopped: %s"), sha256, local_error->message);
      return FALSE;
    }
  return finish_download (sha256, part, final, cancellable, error);
}

gboolean
cn_sync_is_sha256 (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

void
cn_sync_collect_file_refs (JsonNode   *node,
                           GHashTable *set)
{
  if (node == NULL)
    return;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        cn_sync_collect_file_refs (json_array_get_element (array, i), set);
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *value = json_object_get_member (object, l->data);

          if (g_str_equal (l->data, "sha256") && JSON_NODE_HOLDS_VALUE (value) &&
              json_node_get_value_type (value) == G_TYPE_STRING &&
              cn_sync_is_sha256 (json_node_get_string (value)))
            g_hash_table_add (set, g_strdup (json_node_get_string (value)));
          else
            cn_sync_collect_file_refs (value, set);
        }
    }
}
