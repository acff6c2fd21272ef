/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cn-store.h"
#include "cn-sync-client.h"

G_BEGIN_DECLS

/* Meta keys (cn_store_set_meta) the section reads the signed-in user's rights from. */
#define CN_DELEGATIONS_META_ROLE       CN_STORE_META_USER_ROLE
#define CN_DELEGATIONS_META_SCOPE_UNIT CN_STORE_META_USER_UNIT

#define CN_TYPE_DELEGATIONS_VIEW (cn_delegations_view_get_type ())

G_DECLARE_FINAL_TYPE (CnDelegationsView, cn_delegations_view, CN, DELEGATIONS_VIEW, AdwBin)

CnStore           *cn_delegations_view_get_store       (CnDelegationsView  *self);
void               cn_delegations_view_set_store       (CnDelegationsView  *self,
                                                        CnStore            *store);
CnSyncClient      *cn_delegations_view_get_sync_client (CnDelegationsView  *self);
void               cn_delegations_view_set_sync_client (CnDelegationsView  *self,
                                                        CnSyncClient       *client);
void               cn_delegations_view_set_user        (CnDelegationsView  *self,
                                                        const char         *role,
                                                        const char         *scope_unit_id);
gboolean           cn_delegations_view_can_write       (CnDelegationsView  *self,
                                                        const char         *collection,
                                                        const char         *unit_id,
                                                        char              **explanation);
void               cn_delegations_view_edit            (CnDelegationsView  *self,
                                                        const char         *collection,
                                                        CnRecord           *record,
                                                        JsonObject         *defaults);
void               cn_delegations_view_delete          (CnDelegationsView  *self,
                                                        CnRecord           *record);
gboolean           cn_delegations_view_move_task       (CnDelegationsView  *self,
                                                        CnRecord           *task,
                                                        const char         *to_status,
                                                        const char         *comment,
                                                        GError            **error);
void               cn_delegations_view_show_commune    (CnDelegationsView  *self,
                                                        const char         *commune_id);
void               cn_delegations_view_show_overview   (CnDelegationsView  *self);
void               cn_delegations_view_toast           (CnDelegationsView  *self,
                                                        const char         *message);
void               cn_delegations_view_export_report   (CnDelegationsView  *self,
                                                        CnRecord           *report);
void               cn_delegations_view_print_report    (CnDelegationsView  *self,
                                                        CnRecord           *report);
void               cn_delegations_view_save_report_async  (CnDelegationsView   *self,
                                                           CnRecord            *report,
                                                           GFile               *file,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean           cn_delegations_view_save_report_finish (CnDelegationsView   *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
CnDelegationsView *cn_delegations_view_from_widget     (GtkWidget          *widget);

/* Reading helpers shared by the workflow widgets. */
GPtrArray         *cn_delegations_list                 (CnStore            *store,
                                                        const char         *collection,
                                                        const char         *field,
                                                        const char         *value,
                                                        const char         *sort,
                                                        gboolean            descending);
char              *cn_delegations_title_of             (CnStore            *store,
                                                        const char         *id);
char              *cn_delegations_names_of             (CnStore            *store,
                                                        CnRecord           *record,
                                                        const char         *field);
char              *cn_delegations_format_date          (const char         *iso);
char              *cn_delegations_display_title        (const char         *title);
const char        *cn_delegations_status_label         (const char         *collection,
                                                        const char         *field,
                                                        const char         *value);
gboolean           cn_delegations_task_is_overdue      (CnRecord           *task,
                                                        const char         *today);
void               cn_delegations_expose_toggle        (GtkCheckButton     *check);
void               cn_delegations_set_tooltip          (GtkWidget          *widget,
                                                        const char         *text);

G_END_DECLS
