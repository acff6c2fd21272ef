/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-core"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cn-password.h"

/* Longest password line read; longer input is cut there. */
#define MAX_PASSWORD 4096

/**
 * cn_password_read:
 * @prompt: shown on stderr, only when standard input is a terminal
 *
 * Reads one line of standard input as a password, without echo on a terminal, so that
 * scripts can pipe it in and people can type it. A trailing CR is dropped.
 *
 * Returns: (transfer full) (nullable): the password, or %NULL at end of input with nothing
 *   read. Free it with cn_password_free().
 */
char *
cn_password_read (const char *prompt)
{
  struct termios old_attrs, new_attrs;
  gboolean tty = isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &old_attrs) == 0;
  g_autoptr(GString) line = g_string_new (NULL);
  int c;

  if (tty)
    {
      fputs (prompt, stderr);
      new_attrs = old_attrs;
      new_attrs.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &new_attrs);
    }
  while ((c = getchar ()) != EOF && c != '\n' && line->len < MAX_PASSWORD)
    g_string_append_c (line, (char) c);
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &old_attrs);
      fputs ("\n", stderr);
    }
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  if (c == EOF && line->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&line), FALSE);
}

/* Overwrites the password before freeing it, so it does not linger in freed memory. */
void
cn_password_free (char *password)
{
  if (password == NULL)
    return;
  explicit_bzero (password, strlen (password));
  g_free (password);
}
