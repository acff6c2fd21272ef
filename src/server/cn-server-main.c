/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-server"

#include "config.h"

#include <glib.h>
#include <stdio.h>

int
main (int argc, char **argv)
{
  if (argc > 1 && g_str_equal (argv[1], "--version"))
    {
      printf ("caunoi-server %s\n", PACKAGE_VERSION);
      return 0;
    }
  fprintf (stderr, "usage: caunoi-server --version\n");
  return 2;
}
