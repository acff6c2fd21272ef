/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CN_TYPE_WRAP_BOX (cn_wrap_box_get_type ())

G_DECLARE_FINAL_TYPE (CnWrapBox, cn_wrap_box, CN, WRAP_BOX, GtkWidget)

GtkWidget *cn_wrap_box_new          (void);
void       cn_wrap_box_append       (CnWrapBox *self,
                                     GtkWidget *child);
void       cn_wrap_box_remove       (CnWrapBox *self,
                                     GtkWidget *child);
void       cn_wrap_box_remove_all   (CnWrapBox *self);

G_END_DECLS
