/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* CnRowFeeder: adds rows made at once to their list a few at a time, between frames, so
 * that a page of hundreds of wrapped rows is shown and laid out without holding the main
 * loop (measuring a row's text is what costs: a few milliseconds each). */

#define CN_TYPE_ROW_FEEDER (cn_row_feeder_get_type ())

G_DECLARE_FINAL_TYPE (CnRowFeeder, cn_row_feeder, CN, ROW_FEEDER, GObject)

typedef GtkWidget *(*CnRowFeederMake) (gpointer data);

CnRowFeeder *cn_row_feeder_new      (void);
void         cn_row_feeder_add_lazy (CnRowFeeder     *self,
                                     GtkWidget       *list,
                                     CnRowFeederMake  make,
                                     gpointer         data,
                                     GDestroyNotify   destroy);
void         cn_row_feeder_add      (CnRowFeeder *self,
                                     GtkWidget   *list,
                                     GtkWidget   *row);
void         cn_row_feeder_clear    (CnRowFeeder *self);
void         cn_row_feeder_retire   (CnRowFeeder *self,
                                     GtkWidget   *widget);
gboolean     cn_row_feeder_is_busy  (CnRowFeeder *self);

G_END_DECLS
