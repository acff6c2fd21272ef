/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CN_TYPE_COMMUNE_PAGE (cn_commune_page_get_type ())

G_DECLARE_FINAL_TYPE (CnCommunePage, cn_commune_page, CN, COMMUNE_PAGE, AdwBin)

void cn_commune_page_reload (CnCommunePage *self);
void        cn_commune_page_set_commune_id (CnCommunePage *self,
                                            const char    *commune_id);
const char *cn_commune_page_get_commune_id (CnCommunePage *self);

G_END_DECLS
