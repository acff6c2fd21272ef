/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Record and mutation ids: time-ordered UUIDs (version 7, RFC 9562), lower case,
 * "0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b". The first 48 bits are the Unix time in
 * milliseconds, so ids made one after the other sort one after the other: the server's
 * b-trees keyed by id then append instead of writing a random page for every new record.
 * Within a process the ids strictly increase, even within one millisecond and across threads.
 */
char *cn_id_new (void);

G_END_DECLS
