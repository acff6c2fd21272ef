/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CN_TYPE_ARTICLES_VIEW (cn_articles_view_get_type ())
G_DECLARE_FINAL_TYPE (CnArticlesView, cn_articles_view, CN, ARTICLES_VIEW, AdwBin)

G_END_DECLS
