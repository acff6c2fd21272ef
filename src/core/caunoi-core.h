/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Everything public in libcaunoi-core (not the *-private.h headers). Keep the list
 * alphabetical. */

#include "cn-credentials.h"
#include "cn-error.h"
#include "cn-fold.h"
#include "cn-fts.h"
#include "cn-id.h"
#include "cn-merge.h"
#include "cn-password.h"
#include "cn-query.h"
#include "cn-record-list.h"
#include "cn-record.h"
#include "cn-schema.h"
#include "cn-search.h"
#include "cn-store-sample.h"
#include "cn-store.h"
#include "cn-sync-client.h"
#include "cn-sync-files.h"
#include "cn-sync-scheduler.h"
#include "cn-time.h"
