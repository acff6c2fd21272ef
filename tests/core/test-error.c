/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cn-error.h"

static void
test_error_quark (void)
{
  g_autoptr(GError) error = g_error_new_literal (CN_ERROR, CN_ERROR_INVALID, "x");

  g_assert_error (error, CN_ERROR, CN_ERROR_INVALID);
  g_assert_cmpstr (g_quark_to_string (CN_ERROR), ==, "cn-error-quark");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/error/quark", test_error_quark);
  return g_test_run ();
}
