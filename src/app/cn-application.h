/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CN_TYPE_APPLICATION (cn_application_get_type ())
G_DECLARE_FINAL_TYPE (CnApplication, cn_application, CN, APPLICATION, AdwApplication)

CnApplication *cn_application_new              (void);
void           cn_application_show_preferences (CnApplication *self,
                                                const char    *page_name);

G_END_DECLS
