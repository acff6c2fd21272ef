/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-cli"

#include "config.h"

#include <glib.h>
#include <stdio.h>

int
main (int argc, char **argv)
{
  if (argc > 1 && g_str_equal (argv[1], "--version"))
    {
      printf ("caunoi-cli %s\n", PACKAGE_VERSION);
      return 0;
    }
  fprintf (stderr, "usage: caunoi-cli --version\n");
  return 2;
}
