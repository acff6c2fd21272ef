/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cn-store.h"
#include "cn-sync-client.h"

G_BEGIN_DECLS

#define CN_TYPE_APPLICATION (cn_application_get_type ())
G_DECLARE_FINAL_TYPE (CnApplication, cn_application, CN, APPLICATION, AdwApplication)

CnApplication *cn_application_new              (void);
void           cn_application_show_preferences (CnApplication *self,
                                                const char    *page_name);
CnStore       *cn_application_get_store        (CnApplication *self);
CnSyncClient  *cn_application_get_sync_client  (CnApplication *self);
CnStore       *cn_application_ensure_store     (CnApplication *self,
                                                GError       **error);

G_END_DECLS
