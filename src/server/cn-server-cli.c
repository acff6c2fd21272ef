/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-server"

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cn-error.h"
#include "cn-password.h"
#include "cn-server.h"
#include "cn-server-auth.h"
#include "cn-server-cli.h"
#include "cn-server-db.h"
#include "cn-server-feeds.h"
#include "cn-server-import.h"

#define EXIT_USAGE 2

static void
print_error (const GError *error)
{
  g_printerr ("caunoi-server: %s\n", error->message);
}

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  g_printerr ("caunoi-server: %s\n", message);
  g_printerr (_("Run “%s --help” for the options.\n"), g_get_prgname ());
  return EXIT_USAGE;
}

/* Parses the options of one command; argv[0] is the command name. */
static gboolean
parse_options (GOptionContext  *context,
               GOptionEntry    *entries,
               int             *argc,
               char          ***argv,
               int             *status)
{
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = usage_error (context, error->message);
      return FALSE;
    }
  return TRUE;
}

static CnServerDb *
open_db (const char  *path,
         gboolean     create,
         int         *status)
{
  g_autoptr(GError) error = NULL;
  CnServerDb *db;

  if (path == NULL)
    {
      g_printerr (_("caunoi-server: the option --db PATH is required\n"));
      *status = EXIT_USAGE;
      return NULL;
    }
  db = cn_server_db_open (path, create, &error);
  if (db == NULL)
    {
      print_error (error);
      *status = EXIT_FAILURE;
    }
  return db;
}

/* Reads one line from stdin without echo when it is a terminal. */

/* init ------------------------------------------------------------------------------------- */

static int
command_init (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— create the server database"));
  g_autofree char *db_path = NULL;
  g_autoptr(CnServerDb) db = NULL;
  int status = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database file"), N_("PATH") },
    { NULL }
  };

  if (!parse_options (context, entries, &argc, &argv, &status))
    return status;
  db = open_db (db_path, TRUE, &status);
  if (db == NULL)
    return status;
  g_print (_("Database ready: %s\n"), db_path);
  return 0;
}

/* user ------------------------------------------------------------------------------------- */

static int
command_user (int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("add NAME | list | passwd NAME | disable NAME | enable NAME "
                            "— manage users"));
  g_autofree char *db_path = NULL;
  g_autofree char *role_name = NULL;
  g_autofree char *unit = NULL;
  g_autoptr(CnServerDb) db = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  int status = 0;
  const char *action;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database file"), N_("PATH") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_name,
      N_("admin, editor, staff or viewer (user add)"), N_("ROLE") },
    { "unit", 0, 0, G_OPTION_ARG_STRING, &unit,
      N_("The scope unit id (user add; required for staff and viewers)"), N_("UNIT_ID") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the list as JSON (user list)"), NULL },
    { NULL }
  };

  g_option_context_set_description (context,
                                    _("Passwords are read from standard input, one line."));
  if (!parse_options (context, entries, &argc, &argv, &status))
    return status;
  if (argc < 2)
    return usage_error (context, _("Say what to do: add, list, passwd, disable or enable"));
  action = argv[1];

  if (g_str_equal (action, "list"))
    {
      g_autoptr(GPtrArray) users = NULL;

      if (argc != 2)
        return usage_error (context, _("“user list” takes no name"));
      db = open_db (db_path, FALSE, &status);
      if (db == NULL)
        return status;
      users = cn_server_user_list (db, &error);
      if (users == NULL)
        {
          print_error (error);
          return EXIT_FAILURE;
        }
      if (json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;
          g_autofree char *text = NULL;

          json_builder_begin_array (builder);
          for (guint i = 0; i < users->len; i++)
            {
              CnServerUser *user = g_ptr_array_index (users, i);
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "name");
              json_builder_add_string_value (builder, user->name);
              json_builder_set_member_name (builder, "role");
              json_builder_add_string_value (builder, cn_role_to_string (user->role));
              json_builder_set_member_name (builder, "unit_id");
              if (user->unit_id)
                json_builder_add_string_value (builder, user->unit_id);
              else
                json_builder_add_null_value (builder);
              json_builder_set_member_name (builder, "disabled");
              json_builder_add_boolean_value (builder, user->disabled);
              json_builder_set_member_name (builder, "created_at");
              json_builder_add_string_value (builder, user->created_at);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
          root = json_builder_get_root (builder);
          text = json_to_string (root, TRUE);
          g_print ("%s\n", text);
        }
      else
        {
          for (guint i = 0; i < users->len; i++)
            {
              CnServerUser *user = g_ptr_array_index (users, i);
              g_print ("%s\t%s\t%s\t%s\n", user->name, cn_role_to_string (user->role),
                       user->unit_id ? user->unit_id : "-",
                       user->disabled ? _("disabled") : _("active"));
            }
        }
      return 0;
    }

  if (!g_str_equal (action, "add") && !g_str_equal (action, "passwd") &&
      !g_str_equal (action, "disable") && !g_str_equal (action, "enable"))
    return usage_error (context, _("Unknown user action: use add, list, passwd, disable or "
                                   "enable"));
  if (argc != 3)
    return usage_error (context, _("Give exactly one user name"));

  db = open_db (db_path, FALSE, &status);
  if (db == NULL)
    return status;

  if (g_str_equal (action, "add"))
    {
      CnRole role;
      char *password;
      gboolean ok;

      if (!cn_role_from_string (role_name, &role))
        return usage_error (context, _("--role must be admin, editor, staff or viewer"));
      password = cn_password_read (_("Password: "));
      if (password == NULL)
        {
          g_printerr (_("caunoi-server: no password on standard input\n"));
          return EXIT_FAILURE;
        }
      ok = cn_server_user_add (db, argv[2], role, unit, password, &error);
      cn_password_free (password);
      if (!ok)
        {
          print_error (error);
          return EXIT_FAILURE;
        }
      g_print (_("User %s added\n"), argv[2]);
    }
  else if (g_str_equal (action, "passwd"))
    {
      char *password = cn_password_read (_("New password: "));
      gboolean ok;

      if (password == NULL)
        {
          g_printerr (_("caunoi-server: no password on standard input\n"));
          return EXIT_FAILURE;
        }
      ok = cn_server_user_set_password (db, argv[2], password, &error);
      cn_password_free (password);
      if (!ok)
        {
          print_error (error);
          return EXIT_FAILURE;
        }
      g_print (_("Password of %s changed; their sessions were ended\n"), argv[2]);
    }
  else
    {
      gboolean disable = g_str_equal (action, "disable");

      if (!cn_server_user_set_disabled (db, argv[2], disable, &error))
        {
          print_error (error);
          return EXIT_FAILURE;
        }
      if (disable)
        g_print (_("User %s disabled; their sessions were ended\n"), argv[2]);
      else
        g_print (_("User %s enabled\n"), argv[2]);
    }
  return 0;
}

/* import-rss --------------------------------------------------------------------------------- */

static int
command_import_rss (int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("FILE|URL — import a NukeViet news or laws feed"));
  g_autofree char *db_path = NULL;
  g_autofree char *kind_name = NULL;
  g_autofree char *files_dir = NULL;
  g_autoptr(CnServerDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) feed = NULL;
  CnServerImportStats stats = { 0 };
  CnFeedKind kind;
  gboolean no_images = FALSE;
  int status = 0;
  const char *source;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database file"), N_("PATH") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_name,
      N_("news (articles) or laws (documents)"), N_("KIND") },
    { "files", 0, 0, G_OPTION_ARG_FILENAME, &files_dir,
      N_("The file store (default: “files” beside the database)"), N_("DIR") },
    { "no-images", 0, 0, G_OPTION_ARG_NONE, &no_images,
      N_("Do not download the pictures of new articles"), NULL },
    { NULL }
  };

  if (!parse_options (context, entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return usage_error (context, _("Give one feed file or URL"));
  if (!cn_feed_kind_from_string (kind_name, &kind))
    return usage_error (context, _("--kind must be news or laws"));
  source = argv[1];

  if (g_str_has_prefix (source, "http://") || g_str_has_prefix (source, "https://"))
    feed = cn_server_fetch (source, CN_RSS_MAX_FEED_SIZE, NULL, NULL, &error);
  else
    {
      g_autoptr(GMappedFile) mapped = g_mapped_file_new (source, FALSE, &error);
      if (mapped != NULL)
        feed = g_mapped_file_get_bytes (mapped);
    }
  if (feed == NULL)
    {
      print_error (error);
      return EXIT_FAILURE;
    }

  db = open_db (db_path, FALSE, &status);
  if (db == NULL)
    return status;
  if (files_dir == NULL)
    files_dir = cn_server_default_files_dir (db_path);
  if (!cn_server_import_feed (db, no_images ? NULL : files_dir, g_bytes_get_data (feed, NULL),
                              g_bytes_get_size (feed), kind, &stats, &error))
    {
      print_error (error);
      return EXIT_FAILURE;
    }
  g_print (_("Imported %s: %u new, %u updated, %u unchanged, %u kept as edited, %u pictures\n"),
           source, stats.added, stats.updated, stats.unchanged, stats.kept, stats.images);
  return 0;
}

/* load-sample ---------------------------------------------------------------------------------- */

static int
command_load_sample (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— load the sample data"));
  g_autofree char *db_path = NULL;
  g_autofree char *files_dir = NULL;
  g_autofree char *sample = NULL;
  g_autoptr(CnServerDb) db = NULL;
  g_autoptr(GError) error = NULL;
  guint n_records = 0, n_files = 0;
  int status = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database file"), N_("PATH") },
    { "files", 0, 0, G_OPTION_ARG_FILENAME, &files_dir,
      N_("The file store (default: “files” beside the database)"), N_("DIR") },
    { "sample", 0, 0, G_OPTION_ARG_FILENAME, &sample,
      N_("The sample file (default: the installed caunoi-sample.json)"), N_("FILE") },
    { NULL }
  };

  if (!parse_options (context, entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return usage_error (context, _("load-sample takes no arguments"));
  if (sample == NULL && (sample = cn_server_find_sample (&error)) == NULL)
    {
      print_error (error);
      return EXIT_FAILURE;
    }
  db = open_db (db_path, FALSE, &status);
  if (db == NULL)
    return status;
  if (files_dir == NULL)
    files_dir = cn_server_default_files_dir (db_path);
  if (!cn_server_load_sample (db, files_dir, sample, &n_records, &n_files, &error))
    {
      print_error (error);
      return EXIT_FAILURE;
    }
  g_print (_("Sample loaded from %s: %u records written, %u files\n"), sample, n_records,
           n_files);
  return 0;
}

/* backup, purge -------------------------------------------------------------------------------- */

static int
command_backup (int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— copy the database while the server runs"));
  g_autofree char *db_path = NULL;
  g_autofree char *to = NULL;
  g_autoptr(CnServerDb) db = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database file"), N_("PATH") },
    { "to", 0, 0, G_OPTION_ARG_FILENAME, &to, N_("The backup file to write"), N_("FILE") },
    { NULL }
  };

  if (!parse_options (context, entries, &argc, &argv, &status))
    return status;
  if (to == NULL)
    return usage_error (context, _("The option --to FILE is required"));
  db = open_db (db_path, FALSE, &status);
  if (db == NULL)
    return status;
  if (!cn_server_db_backup (db, to, &error))
    {
      print_error (error);
      return EXIT_FAILURE;
    }
  g_print (_("Backup written to %s\n"), to);
  return 0;
}

static gboolean
parse_count (const char *text,
             guint64     min,
             guint64     max,
             guint64    *value)
{
  return text != NULL && g_ascii_string_to_unsigned (text, 10, min, max, value, NULL);
}

static int
command_purge (int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— forget deleted records older than the retention"));
  g_autofree char *db_path = NULL;
  g_autofree char *days_text = NULL;
  g_autoptr(CnServerDb) db = NULL;
  g_autoptr(GError) error = NULL;
  guint64 days = CN_SERVER_DEFAULT_TOMBSTONE_DAYS;
  guint n_purged = 0;
  int status = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database file"), N_("PATH") },
    { "older-than", 0, 0, G_OPTION_ARG_STRING, &days_text,
      N_("Retention in days (default 90; 0 purges every deleted record)"), N_("DAYS") },
    { NULL }
  };

  if (!parse_options (context, entries, &argc, &argv, &status))
    return status;
  if (days_text != NULL && !parse_count (days_text, 0, 36500, &days))
    return usage_error (context, _("--older-than must be a number of days"));
  db = open_db (db_path, FALSE, &status);
  if (db == NULL)
    return status;
  if (!cn_server_db_purge_tombstones (db, (GTimeSpan) days * G_TIME_SPAN_DAY, &n_purged, &error))
    {
      print_error (error);
      return EXIT_FAILURE;
    }
  g_print (g_dngettext (GETTEXT_PACKAGE, "Purged %u deleted record\n",
                        "Purged %u deleted records\n", n_purged), n_purged);
  return 0;
}

/* serve ---------------------------------------------------------------------------------------- */

typedef struct {
  GMainLoop  *loop;
  CnServerDb *db;
  GTimeSpan   retention;
} ServeState;

static gboolean
quit_cb (gpointer user_data)
{
  ServeState *state = user_data;

  g_message ("shutting down");
  g_main_loop_quit (state->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
purge_cb (gpointer user_data)
{
  ServeState *state = user_data;
  g_autoptr(GError) error = NULL;
  guint n_purged = 0;

  if (!cn_server_db_purge_tombstones (state->db, state->retention, &n_purged, &error))
    g_message ("purge: %s", error->message);
  else if (n_purged > 0)
    g_message ("purged %u deleted records", n_purged);
  return G_SOURCE_CONTINUE;
}

/* Each client's connection takes a descriptor: allow as many as the system lets this
 * process have (up to 65,536), not the 1,024 a shell usually starts programs with. */
static void
raise_descriptor_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < 65536 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = MIN (limit.rlim_max, 65536);
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        g_debug ("could not raise the descriptor limit: %s", g_strerror (errno));
    }
}

static int
command_serve (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— run the server"));
  g_autofree char *db_path = NULL;
  g_autofree char *files_dir = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *max_body = NULL;
  g_autofree char *max_file = NULL;
  g_autofree char *session_hours = NULL;
  g_autofree char *login_attempts = NULL;
  g_autofree char *login_window = NULL;
  g_autofree char *tombstone_days = NULL;
  g_autofree char *idle_timeout = NULL;
  g_auto(GStrv) feeds = NULL;
  g_auto(GStrv) feed_kinds = NULL;
  g_auto(GStrv) feed_intervals = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(CnServer) server = NULL;
  g_autoptr(CnServerFeeds) scheduled = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  CnServerDb *db;
  ServeState state = { 0 };
  guint64 value, attempts = CN_SERVER_DEFAULT_LOGIN_ATTEMPTS;
  guint64 window = CN_SERVER_DEFAULT_LOGIN_WINDOW, days = CN_SERVER_DEFAULT_TOMBSTONE_DAYS;
  guint sigterm_id, sigint_id, purge_id;
  int status = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database file"), N_("PATH") },
    { "files", 0, 0, G_OPTION_ARG_FILENAME, &files_dir,
      N_("The file store (default: “files” beside the database)"), N_("DIR") },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      N_("Address and port (default 127.0.0.1:8080; port 0 picks a free one)"),
      N_("HOST:PORT") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, N_("PEM certificate (chain)"),
      N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, N_("PEM private key"), N_("FILE") },
    { "feed", 0, 0, G_OPTION_ARG_STRING_ARRAY, &feeds,
      N_("A NukeViet feed to import on a timer (repeatable)"), N_("URL") },
    { "feed-kind", 0, 0, G_OPTION_ARG_STRING_ARRAY, &feed_kinds,
      N_("news or laws, for the --feed of the same position (default news)"), N_("KIND") },
    { "feed-interval", 0, 0, G_OPTION_ARG_STRING_ARRAY, &feed_intervals,
      N_("Minutes between fetches, for the --feed of the same position (default 60)"),
      N_("MINUTES") },
    { "max-body", 0, 0, G_OPTION_ARG_STRING, &max_body,
      N_("Largest JSON request body in bytes (default 8 MiB)"), N_("BYTES") },
    { "max-file", 0, 0, G_OPTION_ARG_STRING, &max_file,
      N_("Largest uploaded file in bytes (default 64 MiB)"), N_("BYTES") },
    { "session-hours", 0, 0, G_OPTION_ARG_STRING, &session_hours,
      N_("Lifetime of a login (default 336 hours)"), N_("HOURS") },
    { "login-attempts", 0, 0, G_OPTION_ARG_STRING, &login_attempts,
      N_("Failed logins allowed per user name in the window (default 5; 4 times that per "
         "address)"), N_("N") },
    { "login-window", 0, 0, G_OPTION_ARG_STRING, &login_window,
      N_("The failed-login window in seconds (default 900)"), N_("SECONDS") },
    { "tombstone-days", 0, 0, G_OPTION_ARG_STRING, &tombstone_days,
      N_("Keep deleted records this many days before purging them (default 90)"),
      N_("DAYS") },
    { "idle-timeout", 0, 0, G_OPTION_ARG_STRING, &idle_timeout,
      N_("Close kept-alive connections idle this many seconds (default 30; 0 closes each "
         "connection after its answer)"), N_("SECONDS") },
    { NULL }
  };

  if (!parse_options (context, entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return usage_error (context, _("serve takes no arguments"));
  if ((tls_cert == NULL) != (tls_key == NULL))
    return usage_error (context, _("--tls-cert and --tls-key go together"));
  if (login_attempts != NULL && !parse_count (login_attempts, 1, 1000, &attempts))
    return usage_error (context, _("--login-attempts must be a number from 1 to 1000"));
  if (login_window != NULL && !parse_count (login_window, 1, 86400, &window))
    return usage_error (context, _("--login-window must be a number of seconds"));
  if (tombstone_days != NULL && !parse_count (tombstone_days, 0, 36500, &days))
    return usage_error (context, _("--tombstone-days must be a number of days"));

  if (tls_cert != NULL)
    {
      certificate = g_tls_certificate_new_from_files (tls_cert, tls_key, &error);
      if (certificate == NULL)
        {
          g_printerr (_("caunoi-server: cannot load the TLS certificate: %s\n"), error->message);
          return EXIT_FAILURE;
        }
    }

  raise_descriptor_limit ();
  db = open_db (db_path, FALSE, &status);
  if (db == NULL)
    return status;
  if (files_dir == NULL)
    files_dir = cn_server_default_files_dir (db_path);
  if (g_mkdir_with_parents (files_dir, 0700) != 0)
    {
      g_printerr (_("caunoi-server: cannot create the file store %s\n"), files_dir);
      cn_server_db_free (db);
      return EXIT_FAILURE;
    }

  cn_server_db_start_checkpointer (db);
  server = cn_server_new (db, files_dir);
  if (max_body != NULL)
    {
      if (!parse_count (max_body, 1024, G_MAXUINT32, &value))
        return usage_error (context, _("--max-body must be a number of bytes (1024 or more)"));
      cn_server_set_max_body (server, value);
    }
  if (max_file != NULL)
    {
      if (!parse_count (max_file, 1, G_MAXUINT32, &value))
        return usage_error (context, _("--max-file must be a number of bytes"));
      cn_server_set_max_file (server, value);
    }
  if (session_hours != NULL)
    {
      if (!parse_count (session_hours, 1, 24 * 365, &value))
        return usage_error (context, _("--session-hours must be a number of hours"));
      cn_server_set_session_lifetime (server, (GTimeSpan) value * G_TIME_SPAN_HOUR);
    }
  if (idle_timeout != NULL)
    {
      if (!parse_count (idle_timeout, 0, 24 * 3600, &value))
        return usage_error (context, _("--idle-timeout must be a number of seconds"));
      cn_server_set_idle_timeout (server, (guint) value);
    }
  cn_server_set_login_limits (server, attempts, window);

  scheduled = cn_server_feeds_new (db_path, files_dir);
  for (guint i = 0; feeds != NULL && feeds[i] != NULL; i++)
    {
      CnFeedKind kind = CN_FEED_NEWS;
      guint64 minutes = 60;

      if (feed_kinds != NULL && i < g_strv_length (feed_kinds) &&
          !cn_feed_kind_from_string (feed_kinds[i], &kind))
        return usage_error (context, _("--feed-kind must be news or laws"));
      if (feed_intervals != NULL && i < g_strv_length (feed_intervals) &&
          !parse_count (feed_intervals[i], 1, 60 * 24 * 30, &minutes))
        return usage_error (context, _("--feed-interval must be a number of minutes"));
      cn_server_feeds_add (scheduled, feeds[i], kind, (guint) minutes);
    }

  url = cn_server_listen (server, listen ? listen : "127.0.0.1:8080", certificate, &error);
  if (url == NULL)
    {
      print_error (error);
      return EXIT_FAILURE;
    }

  /* Tests and scripts read this line to learn the port. */
  g_print ("listening on %s\n", url);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  state.loop = loop;
  state.db = db;
  state.retention = (GTimeSpan) days * G_TIME_SPAN_DAY;
  purge_cb (&state);
  purge_id = g_timeout_add_seconds (3600, purge_cb, &state);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, &state);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, &state);
  cn_server_feeds_start (scheduled);

  g_main_loop_run (loop);

  g_source_remove (purge_id);
  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);
  g_clear_pointer (&scheduled, cn_server_feeds_free);
  cn_server_disconnect (server);
  return 0;
}

/* main ----------------------------------------------------------------------------------------- */

static void
print_usage (FILE *out)
{
  fprintf (out, "%s", _("Usage: caunoi-server COMMAND [OPTIONS]\n"
                        "\n"
                        "Commands:\n"
                        "  init --db PATH                       create the database\n"
                        "  serve --db PATH --listen HOST:PORT   run the server\n"
                        "  user add NAME --role ROLE [--unit UNIT_ID] --db PATH\n"
                        "  user list|passwd NAME|disable NAME|enable NAME --db PATH\n"
                        "  import-rss FILE|URL --kind news|laws --db PATH\n"
                        "  load-sample --db PATH                load the sample data\n"
                        "  backup --db PATH --to FILE           copy the database, online\n"
                        "  purge --db PATH [--older-than DAYS]  forget old deleted records\n"
                        "\n"
                        "Run “caunoi-server COMMAND --help” for the options of a command.\n"));
}

int
cn_server_cli_run (int    argc,
                   char **argv)
{
  static const struct {
    const char *name;
    int (*run) (int argc, char **argv);
  } commands[] = {
    { "init", command_init },
    { "serve", command_serve },
    { "user", command_user },
    { "import-rss", command_import_rss },
    { "load-sample", command_load_sample },
    { "backup", command_backup },
    { "purge", command_purge },
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  if (sodium_init () < 0)
    {
      g_printerr ("caunoi-server: libsodium could not be initialised\n");
      return EXIT_FAILURE;
    }

  if (argc < 2)
    {
      print_usage (stderr);
      return EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      printf ("caunoi-server %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage (stdout);
      return 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (argv[1], commands[i].name))
        {
          g_autofree char *prgname = g_strdup_printf ("caunoi-server %s", argv[1]);
          g_set_prgname (prgname);
          return commands[i].run (argc - 1, argv + 1);
        }
    }

  g_printerr (_("caunoi-server: unknown command “%s”\n"), argv[1]);
  print_usage (stderr);
  return EXIT_USAGE;
}
