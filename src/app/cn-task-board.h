/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CN_TYPE_TASK_BOARD (cn_task_board_get_type ())

G_DECLARE_FINAL_TYPE (CnTaskBoard, cn_task_board, CN, TASK_BOARD, AdwBin)

void     cn_task_board_reload      (CnTaskBoard *self);
gboolean cn_task_board_is_loading  (CnTaskBoard *self);
guint    cn_task_board_get_n_shown (CnTaskBoard *self,
                                    const char  *status);

G_END_DECLS
