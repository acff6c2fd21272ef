/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CN_TYPE_DISTRICT_OVERVIEW (cn_district_overview_get_type ())

G_DECLARE_FINAL_TYPE (CnDistrictOverview, cn_district_overview, CN, DISTRICT_OVERVIEW, AdwBin)

void cn_district_overview_reload (CnDistrictOverview *self);
gboolean cn_district_overview_is_loading (CnDistrictOverview *self);
void cn_district_overview_set_filter (CnDistrictOverview *self,
                                      const char         *text);
void cn_district_overview_dup_commune_ids (CnDistrictOverview  *self,
                                           char               **first,
                                           char               **second);

G_END_DECLS
