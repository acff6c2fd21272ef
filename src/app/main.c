/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi"

#include "config.h"

#include "cn-application.h"
#include "cn-i18n.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CnApplication) app = NULL;

  cn_i18n_init ();

  app = cn_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
