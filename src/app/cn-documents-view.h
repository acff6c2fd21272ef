/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CN_TYPE_DOCUMENTS_VIEW (cn_documents_view_get_type ())
G_DECLARE_FINAL_TYPE (CnDocumentsView, cn_documents_view, CN, DOCUMENTS_VIEW, AdwBin)

G_END_DECLS
