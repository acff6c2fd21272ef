/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-core"

#include "config.h"

#include "cn-error.h"

G_DEFINE_QUARK (cn-error-quark, cn_error)
