/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CN_TYPE_CHOICE_PICKER (cn_choice_picker_get_type ())

G_DECLARE_FINAL_TYPE (CnChoicePicker, cn_choice_picker, CN, CHOICE_PICKER, GtkWidget)

GtkWidget  *cn_choice_picker_new          (const char          *title);
void        cn_choice_picker_set_choices  (CnChoicePicker      *self,
                                           GPtrArray           *items);
void        cn_choice_picker_set_pending  (CnChoicePicker      *self,
                                           gboolean             pending);
void        cn_choice_picker_set_chosen   (CnChoicePicker      *self,
                                           const char * const  *ids);
GPtrArray  *cn_choice_picker_get_chosen   (CnChoicePicker      *self);
gboolean    cn_choice_picker_is_chosen    (CnChoicePicker      *self,
                                           const char          *id);
void        cn_choice_picker_toggle       (CnChoicePicker      *self,
                                           const char          *id);
void        cn_choice_picker_set_editable (CnChoicePicker      *self,
                                           gboolean             editable);
void        cn_choice_picker_popup        (CnChoicePicker      *self);
void        cn_choice_picker_popdown      (CnChoicePicker      *self);

G_END_DECLS
