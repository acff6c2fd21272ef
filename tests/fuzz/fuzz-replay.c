/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs a fuzz target over files without libFuzzer, so that the seed corpus and the inputs
 * that once crashed (regress-*) are checked by every ordinary test run:
 *   fuzz-rss-replay FILE-OR-DIRECTORY… */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include <glib.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
replay_file (const char *path,
             guint      *count)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, &error))
    g_error ("%s", error->message);
  LLVMFuzzerTestOneInput ((const uint8_t *) data, len);
  printf ("ok %u %s\n", ++*count, path);
}

int
main (int argc, char **argv)
{
  guint count = 0;

  LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GDir) dir = g_dir_open (argv[i], 0, &error);
          g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
          const char *name;

          if (dir == NULL)
            g_error ("%s", error->message);
          while ((name = g_dir_read_name (dir)) != NULL)
            g_ptr_array_add (names, g_build_filename (argv[i], name, NULL));
          g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
          for (guint j = 0; j < names->len; j++)
            replay_file (g_ptr_array_index (names, j), &count);
        }
      else
        replay_file (argv[i], &count);
    }
  printf ("1..%u\n", count);
  return count > 0 ? 0 : 1;
}
