/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "cn-server-auth.h"
#include "cn-server-db.h"

G_BEGIN_DECLS

/*
 * Who may see and change what. A workflow record belongs to a unit derived from its data
 * (the collection's scope_field in cn-schema.h: a unit id directly, or a record whose unit it
 * shares: report → its delegation, task_event → its task, attendance → the person's unit).
 * A person belongs to its unit_id. A user sees workflow records of their scope unit and the
 * units below it; reference collections are visible to everyone.
 */

char       *cn_server_scope_owner_unit (CnServerDb    *db,
                                        const char    *collection,
                                        const char    *id,
                                        JsonObject    *data,
                                        GError       **error);
GHashTable *cn_server_scope_units      (CnServerDb    *db,
                                        CnServerUser  *user,
                                        GError       **error);
gboolean    cn_server_scope_contains   (CnServerUser  *user,
                                        GHashTable    *scope_units,
                                        const char    *owner_unit);
gboolean    cn_server_scope_may_write  (CnServerUser  *user,
                                        GHashTable    *scope_units,
                                        const char    *collection,
                                        const char    *owner_unit);

G_END_DECLS
