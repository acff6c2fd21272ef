/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CN_TYPE_CONFLICTS_VIEW (cn_conflicts_view_get_type ())

G_DECLARE_FINAL_TYPE (CnConflictsView, cn_conflicts_view, CN, CONFLICTS_VIEW, AdwBin)

void cn_conflicts_view_reload (CnConflictsView *self);

G_END_DECLS
