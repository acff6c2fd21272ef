/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "cn-server-auth.h"
#include "cn-server-db.h"

G_BEGIN_DECLS

#define CN_SERVER_MAX_PAGE 1000

/* One mutation of a push, its envelope already checked (known collection, valid ids). */
typedef struct {
  char       *mutation_id;
  char       *collection;
  char       *id;
  gint64      base_rev;
  gboolean    is_delete;
  JsonObject *data;   /* NULL for a delete */

  /* Set by cn_server_mutation_check (); otherwise the push works them out itself. */
  gboolean    checked;
  char       *data_text;        /* a put's data as stored, when valid */
  char       *invalid_code;     /* why a put's data are refused ("invalid", …), or NULL */
  char       *invalid_message;
} CnServerMutation;

void        cn_server_mutation_free    (CnServerMutation *mutation);
/* What needs no database: the data checked against the collection's schema and written as
 * they will be stored. Safe in any thread (the network adapter does it with the parsing). */
void        cn_server_mutation_check   (CnServerMutation *mutation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CnServerMutation, cn_server_mutation_free)

/* {changes: [{seq, collection, id, rev, deleted, updated_at, updated_by, data}], next, more}.
 * CN_ERROR_GONE when the cursor is older than the purged tombstones or ahead of the server. */
JsonNode   *cn_server_changes_page     (CnServerDb    *db,
                                        CnServerUser  *user,
                                        gint64         since,
                                        guint          limit,
                                        GError       **error);
/* The same page as JSON text, the answer's body as it is sent. */
GBytes     *cn_server_changes_page_bytes (CnServerDb   *db,
                                          CnServerUser *user,
                                          gint64        since,
                                          guint         limit,
                                          GError      **error);

/* Applies a push in one transaction; returns the array of results, one per mutation:
 *   {mutation_id, status: "applied", rev, seq, updated_at, updated_by}
 *   {mutation_id, status: "conflict", current: {record as in the change feed}}
 *   {mutation_id, status: "rejected", error, message}
 * A mutation_id seen before (same user and client) returns its first answer unchanged. */
JsonNode   *cn_server_apply_mutations  (CnServerDb    *db,
                                        CnServerUser  *user,
                                        const char    *client_id,
                                        GPtrArray     *mutations,
                                        GError       **error);
/* The same, as the answer's body: {"results": [...]}. */
GBytes     *cn_server_apply_mutations_bytes (CnServerDb   *db,
                                             CnServerUser *user,
                                             const char   *client_id,
                                             GPtrArray    *mutations,
                                             GError      **error);

/* Pushes waiting together (cn_server_apply_pushes ()): in, the push; out, its answer (the
 * body of cn_server_apply_mutations_bytes ()) or its error. */
typedef struct {
  CnServerUser *user;
  const char   *client_id;
  GPtrArray    *mutations;
  GBytes       *answer;
  GError       *error;
} CnServerPush;

/* Applies several pushes in one transaction, each as cn_server_apply_mutations_bytes ()
 * would, in order (a later push sees what an earlier one wrote). Should that transaction
 * fail, each push is applied again in its own, so that one push's failure is its own. */
void        cn_server_apply_pushes     (CnServerDb    *db,
                                        CnServerPush  *pushes,
                                        guint          n_pushes);

/* Writes one record as the server's own user (importers, sample data): creates it or, when
 * its data differ, updates it with rev + 1. Must run inside a transaction. */
gboolean    cn_server_records_upsert   (CnServerDb    *db,
                                        const char    *collection,
                                        const char    *id,
                                        JsonObject    *data,
                                        gboolean       deleted,
                                        const char    *updated_by,
                                        gboolean      *changed,
                                        GError       **error);

G_END_DECLS
