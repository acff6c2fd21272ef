/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the app's HTML renderer (CnHtmlView, src/app/cn-html-view.c) on
 * arbitrary bytes.
 *
 * The renderer has no GTK-free layer: it walks libxml2's tree straight into a
 * GtkTextBuffer, with child widgets for images and tables. So this target initialises GTK
 * and needs a display; build-aux/fuzz runs it under xvfb-run (GDK_BACKEND=x11):
 *
 *   build-aux/fuzz --minutes 10 fuzz-html
 *
 * One view is reused for every input, as the article reader reuses its view. Checks: no
 * crash, sanitizer report or GLib critical; the text shown is valid UTF-8. (That scripts,
 * styles and frames never show is proved by tests/app/test-html-view.) */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <adwaita.h>

#include "cn-html-view.h"
#include "fuzz-common.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static GtkWidget *view;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  cn_fuzz_init_logging ();
  if (!gtk_init_check ())
    {
      fprintf (stderr, "fuzz-html needs a display: run it under xvfb-run\n");
      exit (77);
    }
  adw_init ();
  view = g_object_ref_sink (cn_html_view_new ());
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* The reader hands the view a nul-terminated body that came through the record codec,
   * which only lets valid UTF-8 by; anything else is not an input the view can get. */
  g_autofree char *html = g_strndup ((const char *) data, size);
  g_autofree char *text = NULL;

  if (strlen (html) != size || !g_utf8_validate (html, -1, NULL))
    return 0;
  cn_html_view_set_html (CN_HTML_VIEW (view), html,
                         "https://nongthonmoi.hatinh.gov.vn/index.php?nv=news");
  text = cn_html_view_get_text (CN_HTML_VIEW (view));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  /* Let the view lay out what it made, as the reader's window would. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return 0;
}
