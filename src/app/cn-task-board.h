/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CN_TYPE_TASK_BOARD (cn_task_board_get_type ())

G_DECLARE_FINAL_TYPE (CnTaskBoard, cn_task_board, CN, TASK_BOARD, AdwBin)

/* What cn_task_board_export_csv_async() saves. */
typedef enum {
  CN_TASK_BOARD_EXPORT_TASKS,     /* the tasks the board's filters show, column by column */
  CN_TASK_BOARD_EXPORT_SESSIONS,  /* every working session, by date */
} CnTaskBoardExport;

void     cn_task_board_reload      (CnTaskBoard *self);
gboolean cn_task_board_is_loading  (CnTaskBoard *self);
guint    cn_task_board_get_n_shown (CnTaskBoard *self,
                                    const char  *status);
void     cn_task_board_export_csv_async  (CnTaskBoard         *self,
                                          CnTaskBoardExport    what,
                                          GFile               *file,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean cn_task_board_export_csv_finish (CnTaskBoard         *self,
                                          GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS
