/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *cn_password_read  (const char *prompt);
void  cn_password_free  (char       *password);

G_END_DECLS
