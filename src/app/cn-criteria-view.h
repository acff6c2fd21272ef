/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cn-record.h"

G_BEGIN_DECLS

#define CN_TYPE_CRITERIA_VIEW (cn_criteria_view_get_type ())
G_DECLARE_FINAL_TYPE (CnCriteriaView, cn_criteria_view, CN, CRITERIA_VIEW, GtkBox)

/* A criteria set as a structure: each criterion (code, name) expands into its indicators
 * with their targets. */
GtkWidget *cn_criteria_view_new              (void);
void       cn_criteria_view_set_criteria_set (CnCriteriaView *self,
                                              CnRecord       *criteria_set);
guint      cn_criteria_view_get_n_criteria   (CnCriteriaView *self);

G_END_DECLS
