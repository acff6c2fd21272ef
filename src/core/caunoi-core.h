/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Everything public in libcaunoi-core. Keep the list alphabetical. */

#include "cn-error.h"
#include "cn-fold.h"
#include "cn-record.h"
#include "cn-schema.h"
#include "cn-time.h"
