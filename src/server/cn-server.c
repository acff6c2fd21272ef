/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <errno.h>
#include <sodium.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "cn-error.h"
#include "cn-record.h"
#include "cn-schema.h"
#include "cn-server.h"
#include "cn-server-auth.h"
#include "cn-server-files.h"
#include "cn-server-records.h"

#define API_PREFIX "/api/v1/"
#define MAX_MUTATIONS 1000
#define MAX_ID_LENGTH 128
#define DEFAULT_PAGE 500
/* Not in libsoup 3.2's SoupStatus. */
#define STATUS_TOO_MANY_REQUESTS 429

struct _CnServer
{
  GObject         parent_instance;

  CnServerDb     *db;
  char           *files_dir;
  gsize           max_body;
  gsize           max_file;
  GTimeSpan       session_lifetime;
  CnLoginLimiter *user_limiter;
  CnLoginLimiter *address_limiter;
  char           *dummy_hash;
  SoupServer     *soup;
  guint           idle_timeout;  /* seconds; 0: close after every answer */
  GHashTable     *connections;   /* GSocket → Connection */
  guint           max_connections;
  guint           sweep_id;
  GPtrArray      *parsed_pushes; /* PendingPush, waiting to be applied together */
  guint           apply_id;
};

G_DEFINE_FINAL_TYPE (CnServer, cn_server, G_TYPE_OBJECT)

void
cn_server_response_free (CnServerResponse *response)
{
  if (response == NULL)
    return;
  g_free (response->content_type);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->headers, g_ptr_array_unref);
  g_free (response->user);
  g_free (response);
}

static CnServerResponse *
response_new (guint status)
{
  CnServerResponse *response = g_new0 (CnServerResponse, 1);

  response->status = status;
  response->headers = g_ptr_array_new_with_free_func (g_free);
  return response;
}

static void
response_add_header (CnServerResponse *response,
                     const char       *name,
                     const char       *value)
{
  g_ptr_array_add (response->headers, g_strdup (name));
  g_ptr_array_add (response->headers, g_strdup (value));
}

/* A JSON answer already written (takes the bytes). */
static CnServerResponse *
json_bytes_response (guint   status,
                     GBytes *body)
{
  CnServerResponse *response = response_new (status);

  response->content_type = g_strdup ("application/json");
  response->body = body;
  return response;
}

static CnServerResponse *
json_response (guint     status,
               JsonNode *root)
{
  char *text = json_to_string (root, FALSE);

  return json_bytes_response (status, g_bytes_new_take (text, strlen (text)));
}

static CnServerResponse *
json_object_response (guint       status,
                      JsonObject *object)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (root, object);
  return json_response (status, root);
}

static CnServerResponse *
error_response (guint       status,
                const char *code,
                const char *message)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "error", code);
  json_object_set_string_member (object, "message", message);
  return json_object_response (status, object);
}

static CnServerResponse *G_GNUC_PRINTF (3, 4)
error_responsef (guint       status,
                 const char *code,
                 const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  return error_response (status, code, message);
}

/* Errors of the lower layers become HTTP answers here. */
static CnServerResponse *
gerror_response (const GError *error)
{
  if (error->domain == CN_ERROR)
    {
      switch ((CnError) error->code)
        {
        case CN_ERROR_INVALID:
          return error_response (SOUP_STATUS_BAD_REQUEST, "invalid", error->message);
        case CN_ERROR_UNKNOWN_FIELD:
          return error_response (SOUP_STATUS_BAD_REQUEST, "unknown_field", error->message);
        case CN_ERROR_NOT_FOUND:
          return error_response (SOUP_STATUS_NOT_FOUND, "not_found", error->message);
        case CN_ERROR_AUTH:
          return error_response (SOUP_STATUS_UNAUTHORIZED, "unauthorized", error->message);
        case CN_ERROR_FORBIDDEN:
          return error_response (SOUP_STATUS_FORBIDDEN, "forbidden", error->message);
        case CN_ERROR_GONE:
          return error_response (SOUP_STATUS_GONE, "gone", error->message);
        case CN_ERROR_CONFLICT:
          return error_response (SOUP_STATUS_CONFLICT, "conflict", error->message);
        case CN_ERROR_STORE:
          g_message ("store error: %s", error->message);
          return error_response (SOUP_STATUS_SERVICE_UNAVAILABLE, "store",
                                 _("The server could not use its database; try again later"));
        case CN_ERROR_FAILED:
        case CN_ERROR_NETWORK:
        case CN_ERROR_SERVER:
        case CN_ERROR_FEED:
        default:
          break;
        }
    }
  g_message ("internal error: %s", error->message);
  return error_response (SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                         _("The server failed to handle the request"));
}

/* JSON bodies ----------------------------------------------------------------------------- */

static JsonObject *
parse_body_object (const CnServerRequest  *request,
                   CnServerResponse      **response)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *text;
  gsize len = 0;

  text = request->body ? g_bytes_get_data (request->body, &len) : NULL;
  if (text == NULL || len == 0)
    {
      *response = error_response (SOUP_STATUS_BAD_REQUEST, "invalid_json",
                                  _("The request needs a JSON object as its body"));
      return NULL;
    }
  if (!g_utf8_validate_len (text, len, NULL))
    {
      *response = error_response (SOUP_STATUS_BAD_REQUEST, "invalid_utf8",
                                  _("The request body is not valid UTF-8"));
      return NULL;
    }
  root = cn_json_parse_checked (text, (gssize) len, &error);
  if (root == NULL)
    {
      *response = error_responsef (SOUP_STATUS_BAD_REQUEST, "invalid_json",
                                   _("The request body is not valid JSON: %s"), error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      *response = error_response (SOUP_STATUS_BAD_REQUEST, "invalid_json",
                                  _("The request body must be a JSON object"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* Rejects members other than @allowed (NULL-terminated). */
static gboolean
check_members (JsonObject         *object,
               const char * const *allowed,
               const char         *context,
               CnServerResponse  **response)
{
  g_autoptr(GList) names = json_object_get_members (object);

  for (GList *l = names; l != NULL; l = l->next)
    {
      if (!g_strv_contains (allowed, l->data))
        {
          *response = error_responsef (SOUP_STATUS_BAD_REQUEST, "unknown_field",
                                       _("Unknown field “%s” in %s"),
                                       (const char *) l->data, context);
          return FALSE;
        }
    }
  return TRUE;
}

/* A string member: present, a string, 1..max_len characters. */
static const char *
get_string_member (JsonObject        *object,
                   const char        *name,
                   gsize              max_len,
                   const char        *context,
                   CnServerResponse **response)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *value;

  if (node == NULL)
    {
      *response = error_responsef (SOUP_STATUS_BAD_REQUEST, "invalid",
                                   _("%s needs the field “%s”"), context, name);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *response = error_responsef (SOUP_STATUS_BAD_REQUEST, "invalid",
                                   _("The field “%s” of %s must be a string"), name, context);
      return NULL;
    }
  value = json_node_get_string (node);
  if (value == NULL || *value == '\0' || strlen (value) > max_len)
    {
      *response = error_responsef (SOUP_STATUS_BAD_REQUEST, "invalid",
                                   _("The field “%s” of %s must be 1 to %u bytes long"),
                                   name, context, (guint) max_len);
      return NULL;
    }
  return value;
}

/* Authentication --------------------------------------------------------------------------- */

static const char *
bearer_token (const char *authorization)
{
  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return NULL;
  authorization += 7;
  while (*authorization == ' ')
    authorization++;
  return *authorization ? authorization : NULL;
}

static CnServerUser *
authenticate (CnServer               *self,
              const CnServerRequest  *request,
              gint64                 *expires_at,
              CnServerResponse      **response)
{
  g_autoptr(GError) error = NULL;
  const char *token = bearer_token (request->authorization);
  CnServerUser *user;

  if (token == NULL)
    {
      *response = error_response (SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                                  _("Log in first: this request needs a session token"));
      response_add_header (*response, "WWW-Authenticate", "Bearer realm=\"caunoi\"");
      return NULL;
    }
  user = cn_server_session_lookup (self->db, token, expires_at, &error);
  if (user == NULL)
    {
      *response = gerror_response (error);
      if ((*response)->status == SOUP_STATUS_UNAUTHORIZED)
        response_add_header (*response, "WWW-Authenticate",
                             "Bearer realm=\"caunoi\", error=\"invalid_token\"");
      return NULL;
    }
  return user;
}

static JsonNode *
user_json (CnServerUser *user)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, user->name);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, cn_role_to_string (user->role));
  json_builder_set_member_name (builder, "unit_id");
  if (user->unit_id != NULL)
    json_builder_add_string_value (builder, user->unit_id);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static char *
format_unix_time (gint64 seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (seconds);

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

static CnServerResponse *
session_json_response (CnServerUser *user,
                       const char   *token,
                       gint64        expires_at)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *expires = format_unix_time (expires_at);

  if (token != NULL)
    json_object_set_string_member (object, "token", token);
  json_object_set_string_member (object, "expires_at", expires);
  json_object_set_member (object, "user", user_json (user));
  return json_object_response (SOUP_STATUS_OK, object);
}

static CnServerResponse *
rate_limited (guint retry_after)
{
  CnServerResponse *response;
  g_autofree char *seconds = g_strdup_printf ("%u", retry_after);

  response = error_responsef (STATUS_TOO_MANY_REQUESTS, "rate_limited",
                              g_dngettext (GETTEXT_PACKAGE,
                                           "Too many failed logins; try again in %u second",
                                           "Too many failed logins; try again in %u seconds",
                                           retry_after),
                              retry_after);
  response_add_header (response, "Retry-After", seconds);
  return response;
}

/* A login in three steps, so that the network adapter can run the costly argon2id check in
 * a worker thread while the main loop serves other requests: prepare (main thread: parse,
 * limits, user), verify (any thread: the hash only), complete (main thread: limits,
 * session). */
typedef struct {
  char         *password;
  char         *hash;
  CnServerUser *user;
  char         *user_key;
  char         *address_key;
} LoginJob;

static void
login_job_free (LoginJob *job)
{
  if (job->password != NULL)
    {
      sodium_memzero (job->password, strlen (job->password));
      g_free (job->password);
    }
  g_free (job->hash);
  g_clear_pointer (&job->user, cn_server_user_free);
  g_free (job->user_key);
  g_free (job->address_key);
  g_free (job);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoginJob, login_job_free)

static CnServerResponse *
login_prepare (CnServer               *self,
               const CnServerRequest  *request,
               LoginJob              **job_out)
{
  static const char * const allowed[] = { "username", "password", NULL };
  CnServerResponse *response = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LoginJob) job = g_new0 (LoginJob, 1);
  const char *username, *password;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint retry;

  body = parse_body_object (request, &response);
  if (body == NULL)
    return response;
  if (!check_members (body, allowed, _("the login"), &response))
    return response;
  username = get_string_member (body, "username", 256, _("the login"), &response);
  if (username == NULL)
    return response;
  password = get_string_member (body, "password", 1024, _("the login"), &response);
  if (password == NULL)
    return response;

  job->user_key = g_strconcat ("user:", username, NULL);
  job->address_key = g_strconcat ("address:", request->remote_address ? request->remote_address
                                                                      : "unknown", NULL);
  retry = MAX (cn_login_limiter_retry_after (self->user_limiter, job->user_key, now),
               cn_login_limiter_retry_after (self->address_limiter, job->address_key, now));
  if (retry > 0)
    return rate_limited (retry);

  job->user = cn_server_user_lookup (self->db, username, &job->hash, &error);
  if (job->user == NULL && !g_error_matches (error, CN_ERROR, CN_ERROR_NOT_FOUND))
    return gerror_response (error);
  /* An unknown user is checked against a dummy hash: the same time as a wrong password, so
   * that names cannot be probed by timing. */
  if (job->user == NULL)
    job->hash = g_strdup (self->dummy_hash);
  job->password = g_strdup (password);

  /* Counted as a failure until it succeeds, so that logins verified in parallel cannot pass
   * the limit together. */
  cn_login_limiter_add_failure (self->user_limiter, job->user_key, now);
  cn_login_limiter_add_failure (self->address_limiter, job->address_key, now);

  *job_out = g_steal_pointer (&job);
  return NULL;
}

static gboolean
login_verify (LoginJob *job)
{
  gboolean ok = cn_server_password_verify (job->hash, job->password);

  return ok && job->user != NULL && !job->user->disabled;
}

static CnServerResponse *
login_complete (CnServer *self,
                LoginJob *job,
                gboolean  ok)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  CnServerResponse *response;
  gint64 expires_at = 0;

  if (!ok)
    return error_response (SOUP_STATUS_UNAUTHORIZED, "invalid_credentials",
                           _("Wrong user name or password, or the account is disabled"));

  cn_login_limiter_reset (self->user_limiter, job->user_key);
  cn_login_limiter_forgive (self->address_limiter, job->address_key);
  token = cn_server_session_create (self->db, job->user->name, self->session_lifetime,
                                    &expires_at, &error);
  if (token == NULL)
    return gerror_response (error);

  response = session_json_response (job->user, token, expires_at);
  response->user = g_strdup (job->user->name);
  sodium_memzero (token, strlen (token));
  return response;
}

static CnServerResponse *
handle_login (CnServer              *self,
              const CnServerRequest *request)
{
  g_autoptr(LoginJob) job = NULL;
  CnServerResponse *response = login_prepare (self, request, &job);

  if (response != NULL)
    return response;
  return login_complete (self, job, login_verify (job));
}

static CnServerResponse *
handle_session (CnServer              *self,
                const CnServerRequest *request)
{
  g_autoptr(CnServerUser) user = NULL;
  g_autoptr(GError) error = NULL;
  CnServerResponse *response = NULL;
  gint64 expires_at = 0;

  if (g_str_equal (request->method, "POST"))
    return handle_login (self, request);

  if (!g_str_equal (request->method, "GET") && !g_str_equal (request->method, "DELETE"))
    {
      response = error_response (SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                                 _("Use POST to log in, GET to see the session, DELETE to "
                                   "log out"));
      response_add_header (response, "Allow", "GET, POST, DELETE");
      return response;
    }

  user = authenticate (self, request, &expires_at, &response);
  if (user == NULL)
    return response;

  if (g_str_equal (request->method, "DELETE"))
    {
      g_autoptr(JsonObject) object = json_object_new ();

      if (!cn_server_session_revoke (self->db, bearer_token (request->authorization), &error))
        response = gerror_response (error);
      else
        {
          json_object_set_boolean_member (object, "revoked", TRUE);
          response = json_object_response (SOUP_STATUS_OK, object);
        }
    }
  else
    {
      response = session_json_response (user, NULL, expires_at);
    }
  response->user = g_strdup (user->name);
  return response;
}

/* Change feed ------------------------------------------------------------------------------ */

static gboolean
parse_int_param (const char *text,
                 gint64      min,
                 gint64      max,
                 gint64     *value)
{
  guint64 parsed;

  /* Digits only: no sign, no white space, no hex. */
  if (text == NULL || *text == '\0' || strlen (text) > 19)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  if (!g_ascii_string_to_unsigned (text, 10, (guint64) min, (guint64) max, &parsed, NULL))
    return FALSE;
  *value = (gint64) parsed;
  return TRUE;
}

static CnServerResponse *
handle_pull (CnServer              *self,
             const CnServerRequest *request,
             CnServerUser          *user)
{
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) page = NULL;
  CnServerResponse *response;
  GHashTableIter iter;
  const char *key, *value;
  gint64 since = 0, limit = DEFAULT_PAGE;

  if (request->query != NULL && *request->query != '\0')
    {
      params = g_uri_parse_params (request->query, -1, "&", G_URI_PARAMS_NONE, &error);
      if (params == NULL)
        return error_responsef (SOUP_STATUS_BAD_REQUEST, "invalid_query",
                                _("The query string is malformed: %s"), error->message);
      g_hash_table_iter_init (&iter, params);
      while (g_hash_table_iter_next (&iter, (gpointer *) &key, (gpointer *) &value))
        {
          if (g_str_equal (key, "since"))
            {
              if (!parse_int_param (value, 0, G_MAXINT64, &since))
                return error_response (SOUP_STATUS_BAD_REQUEST, "invalid_cursor",
                                       _("“since” must be a sequence number of 0 or more"));
            }
          else if (g_str_equal (key, "limit"))
            {
              if (!parse_int_param (value, 1, CN_SERVER_MAX_PAGE, &limit))
                return error_responsef (SOUP_STATUS_BAD_REQUEST, "invalid_limit",
                                        _("“limit” must be a number from 1 to %d"),
                                        CN_SERVER_MAX_PAGE);
            }
          else
            {
              g_autofree char *escaped = g_strescape (key, NULL);
              return error_responsef (SOUP_STATUS_BAD_REQUEST, "invalid_query",
                                      _("Unknown query parameter “%s”"), escaped);
            }
        }
    }

  page = cn_server_changes_page_bytes (self->db, user, since, (guint) limit, &error);
  if (page == NULL)
    return gerror_response (error);
  response = json_bytes_response (SOUP_STATUS_OK, g_bytes_ref (page));
  /* The last page of a pull ends a sync (or a poll): the connection is closed after it
   * rather than left idle, which libsoup 3.2 would not clean up after (see "Connections"
   * below). */
  {
    static const char tail[] = "\"more\":false}";
    gsize len;
    const char *text = g_bytes_get_data (page, &len);

    response->last = len >= sizeof tail - 1 &&
                     memcmp (text + len - (sizeof tail - 1), tail, sizeof tail - 1) == 0;
  }
  return response;
}

/* Checks the envelope of one mutation; data are validated later, per mutation. */
static CnServerMutation *
parse_mutation (JsonNode          *node,
                guint              index,
                CnServerResponse **response)
{
  static const char * const allowed[] = {
    "mutation_id", "collection", "id", "base_rev", "op", "data", NULL
  };
  g_autoptr(CnServerMutation) m = g_new0 (CnServerMutation, 1);
  g_autofree char *context = g_strdup_printf (_("mutation %u"), index);
  JsonObject *object;
  JsonNode *member;
  const char *text;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      *response = error_responsef (SOUP_STATUS_BAD_REQUEST, "invalid",
                                   _("Mutation %u is not a JSON object"), index);
      return NULL;
    }
  object = json_node_get_object (node);
  if (!check_members (object, allowed, context, response))
    return NULL;

  if ((text = get_string_member (object, "mutation_id", MAX_ID_LENGTH, context, response)) == NULL)
    return NULL;
  m->mutation_id = g_strdup (text);

  if ((text = get_string_member (object, "collection", MAX_ID_LENGTH, context, response)) == NULL)
    return NULL;
  if (cn_schema_lookup (text) == NULL)
    {
      g_autofree char *escaped = g_strescape (text, NULL);
      *response = error_responsef (SOUP_STATUS_BAD_REQUEST, "unknown_collection",
                                   _("Unknown collection “%s” in mutation %u"), escaped, index);
      return NULL;
    }
  m->collection = g_strdup (text);

  if ((text = get_string_member (object, "id", MAX_ID_LENGTH, context, response)) == NULL)
    return NULL;
  if (!cn_schema_is_valid_uuid (text))
    {
      *response = error_responsef (SOUP_STATUS_BAD_REQUEST, "invalid",
                                   _("The id of mutation %u is not a lower-case UUID"), index);
      return NULL;
    }
  m->id = g_strdup (text);

  member = json_object_get_member (object, "base_rev");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_INT64 || json_node_get_int (member) < 0)
    {
      *response = error_responsef (SOUP_STATUS_BAD_REQUEST, "invalid",
                                   _("The base_rev of mutation %u must be an integer of 0 or "
                                     "more"), index);
      return NULL;
    }
  m->base_rev = json_node_get_int (member);

  if ((text = get_string_member (object, "op", 16, context, response)) == NULL)
    return NULL;
  if (g_str_equal (text, "delete"))
    m->is_delete = TRUE;
  else if (!g_str_equal (text, "put"))
    {
      *response = error_responsef (SOUP_STATUS_BAD_REQUEST, "invalid",
                                   _("The op of mutation %u must be “put” or “delete”"), index);
      return NULL;
    }

  member = json_object_get_member (object, "data");
  if (!m->is_delete)
    {
      if (member == NULL || !JSON_NODE_HOLDS_OBJECT (member))
        {
          *response = error_responsef (SOUP_STATUS_BAD_REQUEST, "invalid",
                                       _("The data of mutation %u must be a JSON object"),
                                       index);
          return NULL;
        }
      m->data = json_object_ref (json_node_get_object (member));
    }
  else if (member != NULL && !JSON_NODE_HOLDS_OBJECT (member) && !JSON_NODE_HOLDS_NULL (member))
    {
      *response = error_responsef (SOUP_STATUS_BAD_REQUEST, "invalid",
                                   _("The data of mutation %u must be a JSON object or null"),
                                   index);
      return NULL;
    }

  return g_steal_pointer (&m);
}

/* A push in two steps, so that the network adapter can parse its body (an eighth of a push's
 * time) in a worker thread while the main loop applies others: parse (any thread: the JSON
 * and the envelope, no database), apply (main thread). */
typedef struct {
  char      *client_id;
  GPtrArray *mutations;
} PushJob;

static void
push_job_free (PushJob *job)
{
  g_free (job->client_id);
  g_clear_pointer (&job->mutations, g_ptr_array_unref);
  g_free (job);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PushJob, push_job_free)

static CnServerResponse *
push_parse (GBytes   *body_bytes,
            PushJob **job_out)
{
  static const char * const allowed[] = { "client_id", "mutations", NULL };
  CnServerRequest request = { .body = body_bytes };
  CnServerResponse *response = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(PushJob) job = g_new0 (PushJob, 1);
  const char *client_id = "";
  JsonNode *member;
  JsonArray *array;

  body = parse_body_object (&request, &response);
  if (body == NULL)
    return response;
  if (!check_members (body, allowed, _("the push"), &response))
    return response;

  if (json_object_has_member (body, "client_id"))
    {
      client_id = get_string_member (body, "client_id", MAX_ID_LENGTH, _("the push"), &response);
      if (client_id == NULL)
        return response;
    }
  job->client_id = g_strdup (client_id);

  member = json_object_get_member (body, "mutations");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    return error_response (SOUP_STATUS_BAD_REQUEST, "invalid",
                           _("The push needs “mutations”, an array"));
  array = json_node_get_array (member);
  if (json_array_get_length (array) > MAX_MUTATIONS)
    return error_responsef (SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_many",
                            _("A push may carry at most %d mutations"), MAX_MUTATIONS);

  job->mutations = g_ptr_array_new_with_free_func ((GDestroyNotify) cn_server_mutation_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      CnServerMutation *m = parse_mutation (json_array_get_element (array, i), i, &response);
      if (m == NULL)
        return response;
      cn_server_mutation_check (m);
      g_ptr_array_add (job->mutations, m);
    }

  *job_out = g_steal_pointer (&job);
  return NULL;
}

static CnServerResponse *
push_apply (CnServer     *self,
            CnServerUser *user,
            PushJob      *job)
{
  g_autoptr(GBytes) results = NULL;
  g_autoptr(GError) error = NULL;

  results = cn_server_apply_mutations_bytes (self->db, user, job->client_id, job->mutations,
                                             &error);
  if (results == NULL)
    return gerror_response (error);
  return json_bytes_response (SOUP_STATUS_OK, g_steal_pointer (&results));
}

static CnServerResponse *
handle_push (CnServer              *self,
             const CnServerRequest *request,
             CnServerUser          *user)
{
  g_autoptr(PushJob) job = NULL;
  CnServerResponse *response = push_parse (request->body, &job);

  if (response != NULL)
    return response;
  return push_apply (self, user, job);
}

static CnServerResponse *
handle_changes (CnServer              *self,
                const CnServerRequest *request)
{
  g_autoptr(CnServerUser) user = NULL;
  CnServerResponse *response = NULL;

  if (!g_str_equal (request->method, "GET") && !g_str_equal (request->method, "POST"))
    {
      response = error_response (SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                                 _("Use GET to pull changes and POST to push them"));
      response_add_header (response, "Allow", "GET, POST");
      return response;
    }

  if (g_str_equal (request->method, "GET"))
    {
      g_autoptr(GError) error = NULL;

      /* The token and the page read in one transaction: each one begun costs more than a
       * cached lookup. */
      if (!cn_server_db_begin_read (self->db, &error))
        return gerror_response (error);
      user = authenticate (self, request, NULL, &response);
      if (user != NULL)
        response = handle_pull (self, request, user);
      cn_server_db_commit (self->db, NULL);
      if (user == NULL)
        return response;
    }
  else
    {
      user = authenticate (self, request, NULL, &response);
      if (user == NULL)
        return response;
      response = handle_push (self, request, user);
    }
  response->user = g_strdup (user->name);
  return response;
}

/* Files ------------------------------------------------------------------------------------ */

/* A single "bytes=FIRST-[LAST]" or "bytes=-SUFFIX" range. Returns FALSE when the header is
 * not one such range (then the whole file is sent); *satisfiable tells a range past the
 * end. */
static gboolean
parse_range (const char *header,
             gsize       total,
             gsize      *start,
             gsize      *end,
             gboolean   *satisfiable)
{
  const char *spec, *dash;
  guint64 first = 0, last = 0;
  g_autofree char *first_text = NULL;

  *satisfiable = TRUE;
  if (header == NULL || !g_str_has_prefix (header, "bytes="))
    return FALSE;
  spec = header + 6;
  if (strchr (spec, ',') != NULL)
    return FALSE;
  dash = strchr (spec, '-');
  if (dash == NULL)
    return FALSE;

  first_text = g_strndup (spec, (gsize) (dash - spec));
  if (*first_text == '\0')
    {
      /* Suffix range: the last N bytes. */
      if (!g_ascii_string_to_unsigned (dash + 1, 10, 1, G_MAXUINT64, &last, NULL))
        return FALSE;
      if (total == 0)
        {
          *satisfiable = FALSE;
          return TRUE;
        }
      *start = total - MIN (last, (guint64) total);
      *end = total - 1;
      return TRUE;
    }

  if (!g_ascii_string_to_unsigned (first_text, 10, 0, G_MAXUINT64, &first, NULL))
    return FALSE;
  if (dash[1] != '\0')
    {
      if (!g_ascii_string_to_unsigned (dash + 1, 10, 0, G_MAXUINT64, &last, NULL) ||
          last < first)
        return FALSE;
    }
  else
    last = G_MAXUINT64;

  if (first >= total)
    {
      *satisfiable = FALSE;
      return TRUE;
    }
  *start = (gsize) first;
  *end = (gsize) MIN (last, (guint64) total - 1);
  return TRUE;
}

static CnServerResponse *
handle_file (CnServer              *self,
             const CnServerRequest *request,
             const char            *name)
{
  g_autoptr(CnServerUser) user = NULL;
  g_autoptr(GError) error = NULL;
  CnServerResponse *response = NULL;
  gboolean is_get = g_str_equal (request->method, "GET") || g_str_equal (request->method, "HEAD");

  if (!is_get && !g_str_equal (request->method, "PUT"))
    {
      response = error_response (SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                                 _("Use GET to download a file and PUT to upload one"));
      response_add_header (response, "Allow", "GET, HEAD, PUT");
      return response;
    }

  user = authenticate (self, request, NULL, &response);
  if (user == NULL)
    return response;

  if (!cn_server_files_name_is_valid (name))
    {
      response = error_response (SOUP_STATUS_BAD_REQUEST, "invalid_name",
                                 _("A file is named by its SHA-256: 64 lower-case hexadecimal "
                                   "digits"));
    }
  else if (is_get)
    {
      g_autoptr(GBytes) contents = cn_server_files_read (self->files_dir, name, &error);
      gsize total, start = 0, end = 0;
      gboolean satisfiable;

      if (contents == NULL)
        response = gerror_response (error);
      else
        {
          g_autofree char *etag = g_strdup_printf ("\"%s\"", name);

          total = g_bytes_get_size (contents);
          if (parse_range (request->range, total, &start, &end, &satisfiable))
            {
              if (!satisfiable)
                {
                  g_autofree char *range = g_strdup_printf ("bytes */%" G_GSIZE_FORMAT, total);
                  response = error_response (SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE,
                                             "range_not_satisfiable",
                                             _("The requested range is past the end of the "
                                               "file"));
                  response_add_header (response, "Content-Range", range);
                }
              else
                {
                  g_autofree char *range = g_strdup_printf ("bytes %" G_GSIZE_FORMAT "-%"
                                                            G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT,
                                                            start, end, total);
                  response = response_new (SOUP_STATUS_PARTIAL_CONTENT);
                  response->body = g_bytes_new_from_bytes (contents, start, end - start + 1);
                  response_add_header (response, "Content-Range", range);
                }
            }
          else
            {
              response = response_new (SOUP_STATUS_OK);
              response->body = g_bytes_ref (contents);
            }
          if (response->status != SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE)
            {
              response->content_type = g_strdup ("application/octet-stream");
              response_add_header (response, "ETag", etag);
              response_add_header (response, "Cache-Control", "private, max-age=31536000, immutable");
            }
          response_add_header (response, "Accept-Ranges", "bytes");
        }
    }
  else if (user->role == CN_ROLE_VIEWER)
    {
      response = error_response (SOUP_STATUS_FORBIDDEN, "forbidden",
                                 _("Your account may read but not upload files"));
    }
  else
    {
      g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
      GBytes *body = request->body ? request->body : empty;
      gboolean created = FALSE;

      if (!cn_server_files_store (self->files_dir, name, body, &created, &error))
        {
          if (g_error_matches (error, CN_ERROR, CN_ERROR_CONFLICT))
            response = error_response (SOUP_STATUS_BAD_REQUEST, "hash_mismatch", error->message);
          else
            response = gerror_response (error);
        }
      else
        {
          g_autoptr(JsonObject) object = json_object_new ();

          json_object_set_string_member (object, "sha256", name);
          json_object_set_int_member (object, "size", (gint64) g_bytes_get_size (body));
          json_object_set_boolean_member (object, "created", created);
          response = json_object_response (created ? SOUP_STATUS_CREATED : SOUP_STATUS_OK,
                                           object);
        }
    }

  response->user = g_strdup (user->name);
  return response;
}

static CnServerResponse *
handle_healthz (CnServer              *self,
                const CnServerRequest *request)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(CnServerStmt) stmt = NULL;

  if (!g_str_equal (request->method, "GET") && !g_str_equal (request->method, "HEAD"))
    {
      CnServerResponse *response = error_response (SOUP_STATUS_METHOD_NOT_ALLOWED,
                                                   "method_not_allowed", _("Use GET"));
      response_add_header (response, "Allow", "GET, HEAD");
      return response;
    }

  stmt = cn_server_db_prepare (self->db, "SELECT 1", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return error_response (SOUP_STATUS_SERVICE_UNAVAILABLE, "store",
                           _("The server cannot read its database"));

  json_object_set_string_member (object, "status", "ok");
  json_object_set_string_member (object, "version", PACKAGE_VERSION);
  return json_object_response (SOUP_STATUS_OK, object);
}

CnServerResponse *
cn_server_handle (CnServer              *self,
                  const CnServerRequest *request)
{
  const char *path = request->path;

  g_return_val_if_fail (CN_IS_SERVER (self), NULL);
  g_return_val_if_fail (request->method != NULL, NULL);

  if (path == NULL || !g_utf8_validate (path, -1, NULL))
    return error_response (SOUP_STATUS_BAD_REQUEST, "invalid_path",
                           _("The request path is not valid"));

  if (request->body_too_large)
    return error_responsef (SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                            _("The request body is larger than the server accepts"));

  if (g_str_equal (path, "/healthz"))
    return handle_healthz (self, request);

  if (g_str_has_prefix (path, API_PREFIX))
    {
      const char *rest = path + strlen (API_PREFIX);

      if (g_str_equal (rest, "session"))
        return handle_session (self, request);
      if (g_str_equal (rest, "changes"))
        return handle_changes (self, request);
      if (g_str_has_prefix (rest, "files/"))
        return handle_file (self, request, rest + strlen ("files/"));
    }

  return error_response (SOUP_STATUS_NOT_FOUND, "not_found", _("There is nothing at this path"));
}

/* Network adapter -------------------------------------------------------------------------- */

static void connection_busy (CnServer          *self,
                             SoupServerMessage *msg);

typedef struct {
  GByteArray *data;
  gsize       cap;
  gboolean    overflow;
  gint64      start_us;
  char       *user;
} RequestState;

static void
request_state_free (RequestState *state)
{
  g_clear_pointer (&state->data, g_byte_array_unref);
  g_free (state->user);
  g_free (state);
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              RequestState      *state)
{
  gsize len = g_bytes_get_size (chunk);

  if (state->overflow)
    return;
  if (state->data->len + len > state->cap)
    {
      /* Keep reading (the connection must stay in sync) but drop what is past the cap. */
      state->overflow = TRUE;
      g_byte_array_set_size (state->data, 0);
      return;
    }
  g_byte_array_append (state->data, g_bytes_get_data (chunk, NULL), (guint) len);
}

static void
send_response (CnServer          *self,
               SoupServerMessage *msg,
               CnServerResponse  *response)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, response->status, NULL);
  for (guint i = 0; i + 1 < response->headers->len; i += 2)
    soup_message_headers_replace (headers, g_ptr_array_index (response->headers, i),
                                  g_ptr_array_index (response->headers, i + 1));
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  /* Connections are kept alive, and closed by the server when idle (see "Connections"
   * below); --idle-timeout 0 closes each after its answer. */
  if (self->idle_timeout == 0 || response->last)
    soup_message_headers_replace (headers, "Connection", "close");
  if (response->body != NULL)
    {
      soup_message_headers_set_content_type (headers, response->content_type, NULL);
      if (g_bytes_get_size (response->body) > 0)
        soup_message_body_append_bytes (soup_server_message_get_response_body (msg),
                                        response->body);
    }
}

static void
early_handler_cb (SoupServer        *soup,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  CnServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  RequestState *state = g_new0 (RequestState, 1);
  gboolean is_upload;
  goffset length;

  if (self->connections != NULL)
    connection_busy (self, msg);
  is_upload = g_str_equal (soup_server_message_get_method (msg), "PUT") &&
              g_str_has_prefix (path, API_PREFIX "files/");
  state->cap = is_upload ? self->max_file : self->max_body;
  state->data = g_byte_array_new ();
  state->start_us = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), "cn-request-state", state,
                          (GDestroyNotify) request_state_free);

  /* Stream the body into our own capped buffer instead of libsoup's unbounded one. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), state);

  length = soup_message_headers_get_content_length (headers);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      length > 0 && (guint64) length > state->cap)
    {
      g_autoptr(CnServerResponse) response =
        error_response (SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                        _("The request body is larger than the server accepts"));
      state->overflow = TRUE;
      send_response (self, msg, response);
    }
}

static void
remember_user (SoupServerMessage *msg,
               CnServerResponse  *response)
{
  RequestState *state = g_object_get_data (G_OBJECT (msg), "cn-request-state");

  if (state != NULL && response->user != NULL)
    {
      g_free (state->user);
      state->user = g_strdup (response->user);
    }
}

static void
login_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  g_task_return_boolean (task, login_verify (task_data));
}

static void
login_verified_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CnServer *self = CN_SERVER (source);
  g_autoptr(SoupServerMessage) msg = user_data;
  g_autoptr(CnServerResponse) response = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), NULL);

  response = login_complete (self, g_task_get_task_data (G_TASK (result)), ok);
  remember_user (msg, response);
  send_response (self, msg, response);
  soup_server_message_unpause (msg);
}

/* The worker fills in either @job or @rejection; the main loop reads them once the task
 * returned. */
typedef struct {
  GBytes           *body;
  CnServerUser     *user;
  PushJob          *job;
  CnServerResponse *rejection;
} PushTask;

static void
push_task_free (PushTask *push)
{
  g_clear_pointer (&push->body, g_bytes_unref);
  g_clear_pointer (&push->user, cn_server_user_free);
  g_clear_pointer (&push->job, push_job_free);
  g_clear_pointer (&push->rejection, cn_server_response_free);
  g_free (push);
}

static void
push_parse_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  PushTask *push = task_data;

  push->rejection = push_parse (push->body, &push->job);
  g_task_return_boolean (task, TRUE);
}

typedef struct {
  GTask             *task;   /* its data: the PushTask */
  SoupServerMessage *msg;
} PendingPush;

static void
pending_push_free (PendingPush *pending)
{
  g_clear_object (&pending->task);
  g_clear_object (&pending->msg);
  g_free (pending);
}

static void
push_answer (CnServer          *self,
             SoupServerMessage *msg,
             PushTask          *push,
             CnServerResponse  *response)
{
  response->user = g_strdup (push->user->name);
  remember_user (msg, response);
  send_response (self, msg, response);
  soup_server_message_unpause (msg);
}

static void
free_jobs_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  g_ptr_array_unref (task_data);
}

/* The parsed pushes go in a worker thread, as they came: their JSON trees (thousands of
 * small blocks, made in a worker thread) freed on the main loop were a fifteenth of its time,
 * and GLib's slice allocator pays more for blocks freed in another thread than the one that
 * made them. */
static void
free_jobs_in_thread (GPtrArray *jobs)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  g_task_set_source_tag (task, free_jobs_in_thread);
  g_task_set_task_data (task, jobs, NULL);  /* freed by the thread */
  g_task_run_in_thread (task, free_jobs_thread);
}

/* The pushes parsed since the main loop last came here, applied in one transaction: under
 * load, several arrive together, and one commit (its pages written once to the WAL) costs
 * less than one each. Each is answered only once that commit is done. */
static gboolean
apply_parsed_pushes_cb (gpointer user_data)
{
  CnServer *self = user_data;
  g_autoptr(GPtrArray) pending = g_steal_pointer (&self->parsed_pushes);
  g_autofree CnServerPush *pushes = g_new0 (CnServerPush, pending->len);
  GPtrArray *jobs;

  self->apply_id = 0;
  for (guint i = 0; i < pending->len; i++)
    {
      PendingPush *p = g_ptr_array_index (pending, i);
      PushTask *push = g_task_get_task_data (p->task);

      pushes[i].user = push->user;
      pushes[i].client_id = push->job->client_id;
      pushes[i].mutations = push->job->mutations;
    }
  cn_server_apply_pushes (self->db, pushes, pending->len);

  for (guint i = 0; i < pending->len; i++)
    {
      PendingPush *p = g_ptr_array_index (pending, i);
      g_autoptr(CnServerResponse) response = NULL;

      if (pushes[i].answer != NULL)
        response = json_bytes_response (SOUP_STATUS_OK, g_steal_pointer (&pushes[i].answer));
      else
        {
          response = gerror_response (pushes[i].error);
          g_clear_error (&pushes[i].error);
        }
      push_answer (self, p->msg, g_task_get_task_data (p->task), response);
    }

  jobs = g_ptr_array_new_full (pending->len, (GDestroyNotify) push_job_free);
  for (guint i = 0; i < pending->len; i++)
    {
      PendingPush *p = g_ptr_array_index (pending, i);
      PushTask *push = g_task_get_task_data (p->task);

      g_ptr_array_add (jobs, g_steal_pointer (&push->job));
    }
  free_jobs_in_thread (g_steal_pointer (&jobs));
  return G_SOURCE_REMOVE;
}

static void
push_parsed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CnServer *self = CN_SERVER (source);
  g_autoptr(SoupServerMessage) msg = user_data;
  PushTask *push = g_task_get_task_data (G_TASK (result));
  PendingPush *pending;

  g_task_propagate_boolean (G_TASK (result), NULL);
  if (push->rejection != NULL)
    {
      g_autoptr(CnServerResponse) response = g_steal_pointer (&push->rejection);

      push_answer (self, msg, push, response);
      return;
    }

  pending = g_new0 (PendingPush, 1);
  pending->task = g_object_ref (G_TASK (result));
  pending->msg = g_steal_pointer (&msg);
  if (self->parsed_pushes == NULL)
    self->parsed_pushes = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_push_free);
  g_ptr_array_add (self->parsed_pushes, pending);
  /* After the other sources ready now (more parsed pushes among them), before new ones. */
  if (self->apply_id == 0)
    self->apply_id = g_idle_add_full (G_PRIORITY_DEFAULT, apply_parsed_pushes_cb,
                                      g_object_ref (self), g_object_unref);
}

static void
handler_cb (SoupServer        *soup,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  CnServer *self = user_data;
  RequestState *state = g_object_get_data (G_OBJECT (msg), "cn-request-state");
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(CnServerResponse) response = NULL;
  g_autoptr(GBytes) body = NULL;
  CnServerRequest request = { 0 };
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *decoded_path = NULL;

  if (state != NULL && state->data->len > 0)
    body = g_bytes_new (state->data->data, state->data->len);

  /* The server keeps paths raw so that a bad escape (an encoded "/" or NUL) reaches us and
   * gets a JSON answer like every other bad request; NULL here means exactly that. */
  decoded_path = g_uri_unescape_string (path, "/");

  request.method = soup_server_message_get_method (msg);
  request.path = decoded_path;
  request.query = uri ? g_uri_get_query (uri) : NULL;
  request.authorization = soup_message_headers_get_one (headers, "Authorization");
  request.range = soup_message_headers_get_one (headers, "Range");
  request.remote_address = soup_server_message_get_remote_host (msg);
  request.body = body;
  request.body_too_large = state != NULL && state->overflow;

  if (g_str_equal (request.method, "POST") && g_strcmp0 (request.path, "/api/v1/session") == 0 &&
      !request.body_too_large)
    {
      LoginJob *job = NULL;

      response = login_prepare (self, &request, &job);
      if (response == NULL)
        {
          /* argon2id takes a while and much memory: off the main loop. */
          g_autoptr(GTask) task = g_task_new (self, NULL, login_verified_cb, g_object_ref (msg));

          g_task_set_source_tag (task, handler_cb);
          g_task_set_task_data (task, job, (GDestroyNotify) login_job_free);
          soup_server_message_pause (msg);
          g_task_run_in_thread (task, login_thread);
          return;
        }
    }
  else if (g_str_equal (request.method, "POST") &&
           g_strcmp0 (request.path, API_PREFIX "changes") == 0 && !request.body_too_large)
    {
      g_autoptr(CnServerUser) user = authenticate (self, &request, NULL, &response);

      if (user != NULL)
        {
          /* The body parsed off the main loop; applied back on it (see push_parse ()). */
          g_autoptr(GTask) task = g_task_new (self, NULL, push_parsed_cb, g_object_ref (msg));
          PushTask *push = g_new0 (PushTask, 1);

          push->body = body != NULL ? g_bytes_ref (body) : NULL;
          push->user = g_steal_pointer (&user);
          g_task_set_source_tag (task, handler_cb);
          g_task_set_task_data (task, push, (GDestroyNotify) push_task_free);
          soup_server_message_pause (msg);
          g_task_run_in_thread (task, push_parse_thread);
          return;
        }
    }
  else
    response = cn_server_handle (self, &request);

  remember_user (msg, response);
  send_response (self, msg, response);
}

static char *
escape_for_log (const char *text)
{
  g_autofree char *truncated = NULL;

  if (text == NULL)
    return g_strdup ("-");
  truncated = g_utf8_make_valid (text, MIN (strlen (text), 300));
  /* Control characters could forge log lines. */
  return g_strescape (truncated, "");
}

static void
log_request (SoupServerMessage *msg,
             gboolean           aborted)
{
  RequestState *state = g_object_get_data (G_OBJECT (msg), "cn-request-state");
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *path = escape_for_log (uri ? g_uri_get_path (uri) : NULL);
  g_autofree char *query = escape_for_log (uri ? g_uri_get_query (uri) : NULL);
  g_autofree char *user = escape_for_log (state ? state->user : NULL);
  double ms = state ? (g_get_monotonic_time () - state->start_us) / 1000.0 : 0.0;

  /* Never a header or a body: they may carry a token or a password. */
  g_autofree char *status = aborted ? g_strdup ("aborted")
                                    : g_strdup_printf ("%u", soup_server_message_get_status (msg));

  g_message ("%s %s%s%s %s %.1fms user=%s",
             soup_server_message_get_method (msg) ? soup_server_message_get_method (msg) : "-",
             path, uri && g_uri_get_query (uri) ? "?" : "",
             uri && g_uri_get_query (uri) ? query : "", status, ms, user);
}

static void connection_finished (CnServer          *self,
                                 SoupServerMessage *msg);

static void
request_finished_cb (SoupServer        *soup,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  CnServer *self = user_data;

  log_request (msg, FALSE);
  if (self->connections != NULL)
    connection_finished (self, msg);
}

static void
request_aborted_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  CnServer *self = user_data;

  log_request (msg, TRUE);
  if (self->connections != NULL)
    connection_finished (self, msg);
}

/* Connections -------------------------------------------------------------------------------
 *
 * Connections are kept alive between requests, and the server closes those idle for
 * longer than the idle timeout, or closed by their client. libsoup 3.2's SoupServer cannot
 * be left to it: when a client closes an idle kept-alive connection, it reads the end of
 * the stream, stops watching the socket and never closes it; each such socket stayed in
 * CLOSE_WAIT with its descriptor for the life of the process (a few thousand syncs later
 * accept() failed). So each connection's GSocket is tracked from "request-started" (a new
 * message is made for each request, at the moment the connection goes idle) to the next
 * request's headers. While idle, a watch of our own tells a closed client (end of stream)
 * from a new request (bytes to read). A connection to close is shut down first — libsoup,
 * if it still waits for a request, then reads the end of the stream and lets go of the
 * socket, as when a client closes — and its descriptor is closed a moment later, once the
 * main loop has dispatched libsoup's own watch: never under a watch still polling it, so
 * that a descriptor number reused by accept() is never read by the old connection. */

#define CLOSE_DELAY_MS 5

/* Descriptors kept for the rest: the databases of each thread, the files served, the
 * listening socket, the main loop's own. */
#define RESERVED_DESCRIPTORS 48

typedef struct {
  CnServer *server;
  GSocket  *socket;
  GSource  *watch;       /* while idle and not closing */
  guint     close_id;    /* while closing */
  gint64    idle_since;  /* monotonic µs; 0 while a request is handled */
} Connection;

static void
connection_free (Connection *conn)
{
  if (conn->watch != NULL)
    {
      g_source_destroy (conn->watch);
      g_source_unref (conn->watch);
    }
  g_clear_handle_id (&conn->close_id, g_source_remove);
  g_object_unref (conn->socket);
  g_free (conn);
}

static void
connection_stop_watch (Connection *conn)
{
  if (conn->watch != NULL)
    {
      g_source_destroy (conn->watch);
      g_clear_pointer (&conn->watch, g_source_unref);
    }
}

static gboolean
connection_close_cb (gpointer user_data)
{
  Connection *conn = user_data;

  conn->close_id = 0;
  g_socket_close (conn->socket, NULL);
  g_hash_table_remove (conn->server->connections, conn->socket);
  return G_SOURCE_REMOVE;
}

/* Closes it at once: only when the descriptor is needed now (see make_room()). libsoup's
 * watch may then outlive the descriptor, but it reads through the GSocket, which says it is
 * closed, whatever the number comes to stand for. */
static void
connection_close_now (Connection *conn)
{
  if (!g_socket_is_closed (conn->socket))
    {
      g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
      g_socket_close (conn->socket, NULL);
    }
  g_hash_table_remove (conn->server->connections, conn->socket);
}

static void
connection_close (Connection *conn)
{
  if (conn->close_id != 0)
    return;
  connection_stop_watch (conn);
  if (!g_socket_is_closed (conn->socket))
    g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
  conn->close_id = g_timeout_add (CLOSE_DELAY_MS, connection_close_cb, conn);
}

static gboolean
connection_watch_cb (GSocket      *socket,
                     GIOCondition  condition,
                     gpointer      user_data)
{
  Connection *conn = user_data;
  char byte;
  gssize n;

  if (g_socket_is_closed (socket))
    {
      g_clear_pointer (&conn->watch, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&conn->watch, g_source_unref);
  if (n > 0)
    return G_SOURCE_REMOVE;  /* the next request: libsoup reads it */
  /* The client closed the connection (or it failed): let go of it. */
  conn->watch = NULL;
  connection_close (conn);
  return G_SOURCE_REMOVE;
}

static void
connection_disconnected_cb (SoupServerMessage *msg,
                            CnServer          *self)
{
  GSocket *socket = g_object_get_data (G_OBJECT (msg), "cn-socket");

  /* libsoup closed it itself (an answer with "Connection: close", an error). */
  if (socket != NULL && self->connections != NULL)
    g_hash_table_remove (self->connections, socket);
}

/* The connection of @msg waits for its next request. */
static void
connection_idle (Connection *conn)
{
  if (conn->close_id != 0 || g_socket_is_closed (conn->socket))
    return;
  conn->idle_since = g_get_monotonic_time ();
  if (conn->watch == NULL)
    {
      conn->watch = g_socket_create_source (conn->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
      g_source_set_callback (conn->watch, G_SOURCE_FUNC (connection_watch_cb), conn, NULL);
      g_source_attach (conn->watch, g_main_context_get_thread_default ());
    }
}

/*
 * Room for one more connection. libsoup 3.2's listener stops accepting for good the first
 * time accept() fails (no descriptor left): one burst of connections would leave the server
 * deaf until restarted. So the connections are kept under the descriptor limit: past it,
 * the longest idle are closed, and when none is idle, the newest is refused (closed).
 * Returns whether @conn may stay.
 */
static gboolean
make_room (CnServer   *self,
           Connection *conn)
{
  while (g_hash_table_size (self->connections) > self->max_connections)
    {
      GHashTableIter iter;
      Connection *candidate;
      Connection *oldest = NULL;

      /* Those closing first (their descriptors are only waiting), then the longest idle. */
      g_hash_table_iter_init (&iter, self->connections);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &candidate))
        {
          if (candidate == conn)
            continue;
          if (candidate->close_id != 0)
            {
              oldest = candidate;
              break;
            }
          if (candidate->idle_since > 0 &&
              (oldest == NULL || candidate->idle_since < oldest->idle_since))
            oldest = candidate;
        }
      if (oldest == NULL)
        {
          g_message ("%u connections open: refusing a new one", g_hash_table_size (self->connections));
          connection_close_now (conn);
          return FALSE;
        }
      connection_close_now (oldest);
    }
  return TRUE;
}

/* libsoup 3.2 emits it when a connection's first request begins (a new connection), and
 * for a kept-alive connection's next request only once that request's bytes arrive. */
static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    CnServer          *self)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  Connection *conn;

  if (socket == NULL || g_socket_is_closed (socket))
    return;
  conn = g_hash_table_lookup (self->connections, socket);
  if (conn == NULL)
    {
      conn = g_new0 (Connection, 1);
      conn->server = self;
      conn->socket = g_object_ref (socket);
      g_hash_table_insert (self->connections, socket, conn);
      connection_idle (conn);
      if (!make_room (self, conn))
        return;
    }
  g_object_set_data (G_OBJECT (msg), "cn-socket", socket);
  g_signal_connect (msg, "disconnected", G_CALLBACK (connection_disconnected_cb), self);
}

/* An answer went out (or the request was aborted): idle until the next one. */
static void
connection_finished (CnServer          *self,
                     SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  Connection *conn = socket != NULL ? g_hash_table_lookup (self->connections, socket) : NULL;

  if (conn != NULL)
    connection_idle (conn);
}

/* A request's headers are in: the connection is busy until the next "request-started". */
static void
connection_busy (CnServer          *self,
                 SoupServerMessage *msg)
{
  GSocket *socket = g_object_get_data (G_OBJECT (msg), "cn-socket");
  Connection *conn = socket != NULL ? g_hash_table_lookup (self->connections, socket) : NULL;

  if (conn != NULL && conn->close_id == 0)
    {
      conn->idle_since = 0;
      connection_stop_watch (conn);
    }
}

static gboolean
sweep_connections_cb (gpointer user_data)
{
  CnServer *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 limit = (gint64) self->idle_timeout * G_USEC_PER_SEC;
  GHashTableIter iter;
  Connection *conn;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
    {
      if (conn->close_id != 0)
        continue;
      if (g_socket_is_closed (conn->socket))
        g_hash_table_iter_remove (&iter);
      else if (conn->idle_since > 0 && now - conn->idle_since >= limit)
        connection_close (conn);
    }
  return G_SOURCE_CONTINUE;
}

guint
cn_server_get_open_connections (CnServer *self)
{
  g_return_val_if_fail (CN_IS_SERVER (self), 0);
  return self->connections != NULL ? g_hash_table_size (self->connections) : 0;
}

void
cn_server_set_idle_timeout (CnServer *self,
                            guint     seconds)
{
  g_return_if_fail (CN_IS_SERVER (self));
  g_return_if_fail (self->soup == NULL);
  self->idle_timeout = seconds;
}

/* Our own listening socket, for its backlog: SoupServer listens with GSocket's default of
 * 10 pending connections, and when more clients connect at once (a hundred clients
 * starting their syncs) the kernel drops their SYNs, which they send again only after a
 * second, then three. */
#define LISTEN_BACKLOG 1024

static gboolean
listen_on (SoupServer               *soup,
           GSocketAddress           *address,
           SoupServerListenOptions   options,
           GError                  **error)
{
  g_autoptr(GSocket) socket = g_socket_new (g_socket_address_get_family (address),
                                            G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                            error);

  if (socket == NULL)
    return FALSE;
  /* As soup_server_listen() does: an IPv6 address listens for IPv6 only. */
  if (g_socket_address_get_family (address) == G_SOCKET_FAMILY_IPV6 &&
      !g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, 1, error))
    return FALSE;
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return FALSE;
  return soup_server_listen_socket (soup, socket, options, error);
}

char *
cn_server_listen (CnServer         *self,
                  const char       *listen,
                  GTlsCertificate  *certificate,
                  GError          **error)
{
  g_autoptr(GSocketConnectable) connectable = NULL;
  g_autoptr(GSocketAddressEnumerator) enumerator = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) local_error = NULL;
  GSList *uris;
  char *url = NULL;

  g_return_val_if_fail (CN_IS_SERVER (self), NULL);
  g_return_val_if_fail (self->soup == NULL, NULL);

  connectable = g_network_address_parse (listen, 0, &local_error);
  if (connectable == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("“%s” is not an address to listen on (use HOST:PORT): %s"),
                   listen, local_error->message);
      return NULL;
    }
  enumerator = g_socket_connectable_enumerate (connectable);
  address = g_socket_address_enumerator_next (enumerator, NULL, &local_error);
  if (address == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_NETWORK, _("Cannot resolve %s: %s"), listen,
                   local_error ? local_error->message : _("no address"));
      return NULL;
    }

  self->soup = soup_server_new ("server-header", "caunoi-server ", "raw-paths", TRUE, NULL);
  if (certificate != NULL)
    soup_server_set_tls_certificate (self->soup, certificate);
  soup_server_add_early_handler (self->soup, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, handler_cb, self, NULL);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (request_finished_cb), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (request_aborted_cb), self);
  if (self->idle_timeout > 0)
    {
      struct rlimit limit = { 0, 0 };

      self->connections = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                                 (GDestroyNotify) connection_free);
      self->max_connections = 1024 - RESERVED_DESCRIPTORS;
      if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
        self->max_connections = MAX ((guint) MIN (limit.rlim_cur, G_MAXUINT), 2 * RESERVED_DESCRIPTORS)
                                - RESERVED_DESCRIPTORS;
      g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);
      self->sweep_id = g_timeout_add_seconds (1, sweep_connections_cb, self);
    }

  if (!listen_on (self->soup, address, certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0,
                  &local_error))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_NETWORK, _("Cannot listen on %s: %s"), listen,
                   local_error->message);
      g_clear_object (&self->soup);
      return NULL;
    }

  uris = soup_server_get_uris (self->soup);
  if (uris != NULL)
    url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return url;
}

void
cn_server_disconnect (CnServer *self)
{
  g_return_if_fail (CN_IS_SERVER (self));

  g_clear_handle_id (&self->sweep_id, g_source_remove);
  if (self->connections != NULL)
    {
      GHashTableIter iter;
      Connection *conn;

      /* Those libsoup let go of are closed here; it closes the others. */
      g_hash_table_iter_init (&iter, self->connections);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
        g_socket_close (conn->socket, NULL);
      g_clear_pointer (&self->connections, g_hash_table_unref);
    }
  if (self->soup != NULL)
    {
      soup_server_disconnect (self->soup);
      g_clear_object (&self->soup);
    }
}

CnServer *
cn_server_new (CnServerDb *db,
               const char *files_dir)
{
  CnServer *self = g_object_new (CN_TYPE_SERVER, NULL);

  self->db = db;
  self->files_dir = g_strdup (files_dir);
  return self;
}

CnServerDb *
cn_server_get_db (CnServer *self)
{
  g_return_val_if_fail (CN_IS_SERVER (self), NULL);
  return self->db;
}

void
cn_server_set_max_body (CnServer *self,
                        gsize     max_body)
{
  g_return_if_fail (CN_IS_SERVER (self));
  self->max_body = max_body;
}

void
cn_server_set_max_file (CnServer *self,
                        gsize     max_file)
{
  g_return_if_fail (CN_IS_SERVER (self));
  self->max_file = max_file;
}

void
cn_server_set_session_lifetime (CnServer  *self,
                                GTimeSpan  lifetime)
{
  g_return_if_fail (CN_IS_SERVER (self));
  self->session_lifetime = lifetime;
}

void
cn_server_set_login_limits (CnServer *self,
                            guint     attempts,
                            guint     window_seconds)
{
  g_return_if_fail (CN_IS_SERVER (self));
  g_clear_pointer (&self->user_limiter, cn_login_limiter_free);
  g_clear_pointer (&self->address_limiter, cn_login_limiter_free);
  self->user_limiter = cn_login_limiter_new (attempts, window_seconds);
  /* An office shares one address: allow several people's worth of mistakes from it. */
  self->address_limiter = cn_login_limiter_new (attempts * 4, window_seconds);
}

static void
cn_server_dispose (GObject *object)
{
  CnServer *self = CN_SERVER (object);

  g_clear_handle_id (&self->apply_id, g_source_remove);
  g_clear_pointer (&self->parsed_pushes, g_ptr_array_unref);
  cn_server_disconnect (self);
  G_OBJECT_CLASS (cn_server_parent_class)->dispose (object);
}

static void
cn_server_finalize (GObject *object)
{
  CnServer *self = CN_SERVER (object);

  g_clear_pointer (&self->db, cn_server_db_free);
  g_free (self->files_dir);
  g_clear_pointer (&self->user_limiter, cn_login_limiter_free);
  g_clear_pointer (&self->address_limiter, cn_login_limiter_free);
  g_free (self->dummy_hash);
  G_OBJECT_CLASS (cn_server_parent_class)->finalize (object);
}

static void
cn_server_class_init (CnServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cn_server_dispose;
  object_class->finalize = cn_server_finalize;

  /* For programs that use the library without cn_server_cli_run() (a fuzz target). */
  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");
}

static void
cn_server_init (CnServer *self)
{
  self->max_body = CN_SERVER_DEFAULT_MAX_BODY;
  self->idle_timeout = CN_SERVER_DEFAULT_IDLE_TIMEOUT;
  self->max_file = CN_SERVER_DEFAULT_MAX_FILE;
  self->session_lifetime = (GTimeSpan) CN_SERVER_DEFAULT_SESSION_HOURS * G_TIME_SPAN_HOUR;
  cn_server_set_login_limits (self, CN_SERVER_DEFAULT_LOGIN_ATTEMPTS,
                              CN_SERVER_DEFAULT_LOGIN_WINDOW);
  {
    unsigned char noise[32];
    char text[65];

    randombytes_buf (noise, sizeof noise);
    sodium_bin2hex (text, sizeof text, noise, sizeof noise);
    self->dummy_hash = cn_server_password_hash (text, NULL);
  }
}
