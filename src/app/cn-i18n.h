/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *cn_i18n_get_localedir (void);
void        cn_i18n_init          (void);

G_END_DECLS
