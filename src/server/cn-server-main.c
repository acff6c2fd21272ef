/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-server"

#include "config.h"

#include "cn-server-cli.h"

int
main (int    argc,
      char **argv)
{
  return cn_server_cli_run (argc, argv);
}
