/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cn-i18n.h"

/* Where the translations are: the installed LOCALEDIR, or CAUNOI_LOCALEDIR when set, so that
 * build-aux/run and the tests load the catalogs meson builds in <builddir>/po. */
const char *
cn_i18n_get_localedir (void)
{
  const char *dir = g_getenv ("CAUNOI_LOCALEDIR");

  if (dir != NULL && *dir != '\0')
    return dir;
  return LOCALEDIR;
}

/* Sets the locale from the environment and binds the caunoi text domain. Call once, before
 * any other GLib, GTK or gettext call. */
void
cn_i18n_init (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, cn_i18n_get_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
