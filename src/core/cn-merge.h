/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * Three-way merge of a record's data (the "data" object of DESIGN.md) after the server
 * answered a push with a conflict:
 *
 *  - base:   the version the local edit started from (the stored base copy), or NULL when
 *            there is none (a record created here that the server also has);
 *  - mine:   the local version (NULL data with mine_deleted when deleted here);
 *  - theirs: the server's current version (theirs_deleted when the server has a tombstone).
 *
 * A field changed on one side only takes that side's value. A field changed on both sides
 * to different values is a conflict: it is listed in `conflicts` and `data` keeps MY value
 * for it, so the clerk keeps seeing their own work until they settle it. Deleting on one
 * side while the other side edited is a conflict too (`delete_conflict`); deleting on one
 * side while the other side left the record as it was merges to a deletion.
 */
typedef struct
{
  JsonObject *data;             /* merged data; never NULL (empty object for a deletion) */
  gboolean    deleted;          /* the clean merge result is a deletion */
  gboolean    delete_conflict;  /* one side deleted, the other edited */
  GPtrArray  *conflicts;        /* (element-type utf8): fields changed on both sides, sorted */
} CnMerge;

CnMerge    *cn_merge_three_way        (JsonObject *base,
                                       JsonObject *mine,
                                       gboolean    mine_deleted,
                                       JsonObject *theirs,
                                       gboolean    theirs_deleted);
gboolean    cn_merge_has_conflict     (const CnMerge *merge);
void        cn_merge_free             (CnMerge *merge);

/* Fields whose value differs between two objects (a missing field differs from any value),
 * sorted by name. */
GPtrArray  *cn_merge_changed_fields   (JsonObject *a,
                                       JsonObject *b);

/* Settle a conflict: start from the clean merge and, for every conflicting field, take
 * mine or theirs. `choices` maps a field name to "mine" or "theirs" (NULL or a missing
 * field: `default_take`). Returns the data to push, or NULL and sets *deleted when the
 * chosen outcome is a deletion. `default_take` is "mine" or "theirs". */
JsonObject *cn_merge_settle           (JsonObject  *base,
                                       JsonObject  *mine,
                                       gboolean     mine_deleted,
                                       JsonObject  *theirs,
                                       gboolean     theirs_deleted,
                                       GHashTable  *choices,
                                       const char  *default_take,
                                       gboolean    *deleted);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CnMerge, cn_merge_free)

G_END_DECLS
