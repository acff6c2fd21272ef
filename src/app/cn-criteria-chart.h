/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CN_TYPE_CRITERIA_CHART (cn_criteria_chart_get_type ())

G_DECLARE_FINAL_TYPE (CnCriteriaChart, cn_criteria_chart, CN, CRITERIA_CHART, GtkWidget)

GtkWidget *cn_criteria_chart_new          (void);
void       cn_criteria_chart_clear        (CnCriteriaChart *self);
void       cn_criteria_chart_add_commune  (CnCriteriaChart *self,
                                           const char      *commune,
                                           guint            met,
                                           guint            total);
guint      cn_criteria_chart_get_n_bars   (CnCriteriaChart *self);
char      *cn_criteria_chart_describe     (CnCriteriaChart *self);

G_END_DECLS
