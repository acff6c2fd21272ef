/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CN_TYPE_REPORT_PRINT (cn_report_print_get_type ())

G_DECLARE_FINAL_TYPE (CnReportPrint, cn_report_print, CN, REPORT_PRINT, GObject)

CnReportPrint *cn_report_print_new           (const char          *title);
void           cn_report_print_add_subtitle  (CnReportPrint       *self,
                                              const char          *text);
void           cn_report_print_add_heading   (CnReportPrint       *self,
                                              const char          *text);
void           cn_report_print_add_paragraph (CnReportPrint       *self,
                                              const char          *text);
void           cn_report_print_add_table     (CnReportPrint       *self,
                                              const char * const  *headers,
                                              const double        *widths,
                                              guint                n_columns);
void           cn_report_print_add_row       (CnReportPrint       *self,
                                              const char * const  *cells);
gboolean       cn_report_print_export_pdf    (CnReportPrint       *self,
                                              const char          *filename,
                                              GCancellable        *cancellable,
                                              GError             **error);
gboolean       cn_report_print_run_dialog    (CnReportPrint       *self,
                                              GtkWindow           *parent,
                                              GError             **error);

G_END_DECLS
