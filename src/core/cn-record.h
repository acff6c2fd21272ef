/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * A record of one of the collections of cn-schema.h, and the one JSON codec shared by the
 * client and the server. The wire form of a record:
 *
 *   { "seq": 42,                       (optional: only in a change feed, > 0)
 *     "collection": "article",
 *     "id": "lower-case UUID",
 *     "rev": 3,                        (0 before the first push)
 *     "deleted": false,
 *     "updated_at": "2015-07-01T16:20:00Z",
 *     "updated_by": "user name",       (may be null or missing before a server set it)
 *     "data": { …fields of the collection… } }
 *
 * cn_record_from_json() checks all of it: no unknown keys, a known collection, a valid id,
 * rev ≥ 0, a UTC RFC 3339 updated_at, and the data against the schema unless deleted (a
 * tombstone may carry any object or none).
 */

#define CN_TYPE_RECORD (cn_record_get_type ())

G_DECLARE_FINAL_TYPE (CnRecord, cn_record, CN, RECORD, GObject)

/* JSON texts read through cn_json_parse_checked() may nest at most this deep. */
#define CN_JSON_MAX_DEPTH 32

/* cn_record_new() does not validate (see cn_record_validate()); it takes a reference on
 * @data (NULL: an empty object). cn_record_new_local(): a new record made here, with a
 * random id, rev 0, updated_at now and no updated_by (the store sets the user).
 * cn_record_copy(): a deep copy, data included (for base copies). */
CnRecord    *cn_record_new               (const char   *collection,
                                          const char   *id,
                                          gint64        rev,
                                          gboolean      deleted,
                                          const char   *updated_at,
                                          const char   *updated_by,
                                          JsonObject   *data);
CnRecord    *cn_record_new_local         (const char   *collection,
                                          JsonObject   *data);
CnRecord    *cn_record_copy              (CnRecord     *self);

const char  *cn_record_get_id            (CnRecord     *self);
const char  *cn_record_get_collection    (CnRecord     *self);
gint64       cn_record_get_rev           (CnRecord     *self);
void         cn_record_set_rev           (CnRecord     *self,
                                          gint64        rev);
gboolean     cn_record_get_deleted       (CnRecord     *self);
void         cn_record_set_deleted       (CnRecord     *self,
                                          gboolean      deleted);
const char  *cn_record_get_updated_at    (CnRecord     *self);
void         cn_record_set_updated_at    (CnRecord     *self,
                                          const char   *updated_at);
const char  *cn_record_get_updated_by    (CnRecord     *self);
void         cn_record_set_updated_by    (CnRecord     *self,
                                          const char   *updated_by);
gint64       cn_record_get_seq           (CnRecord     *self);
void         cn_record_set_seq           (CnRecord     *self,
                                          gint64        seq);
/* The fields (transfer none). After changing them in place, call cn_record_set_data() with
 * the same object so that "title" follows. */
JsonObject  *cn_record_get_data          (CnRecord     *self);
void         cn_record_set_data          (CnRecord     *self,
                                          JsonObject   *data);
/* cn_schema_dup_title() of the data, kept up to date; also the "title" property. */
const char  *cn_record_get_title         (CnRecord     *self);

/* Field access on data; NULL / 0 / FALSE when absent, null or of another type. */
const char  *cn_record_get_string        (CnRecord     *self,
                                          const char   *field);
char        *cn_record_dup_string        (CnRecord     *self,
                                          const char   *field);
gint64       cn_record_get_int           (CnRecord     *self,
                                          const char   *field);
gboolean     cn_record_get_bool          (CnRecord     *self,
                                          const char   *field);
char       **cn_record_dup_strv          (CnRecord     *self,
                                          const char   *field);  /* NULL if not an array */

gboolean     cn_record_validate          (CnRecord     *self,
                                          GError      **error);

/* The codec. to_json writes "seq" only when > 0, and updated_by null when unset.
 * from_json copies the data (deep). array_from_json reads an array of records and names the
 * position of the first bad one ("Record 3: …"); array_from_json_shared does so without
 * copying the data objects out of @node (a page of changes, dropped once read). from_string parses through
 * cn_json_parse_checked(). */
JsonNode    *cn_record_to_json           (CnRecord     *self);
CnRecord    *cn_record_from_json         (JsonNode     *node,
                                          GError      **error);
GPtrArray   *cn_record_array_from_json   (JsonNode     *node,
                                          GError      **error);
GPtrArray   *cn_record_array_from_json_shared (JsonNode *node,
                                               GError  **error);
char        *cn_record_to_string         (CnRecord     *self);
CnRecord    *cn_record_from_string       (const char   *json,
                                          gssize        len,
                                          GError      **error);

/* JSON text from outside (a request body, a file): rejected with CN_ERROR_INVALID, before
 * json-glib sees it, if it is not valid UTF-8, holds a nul byte within @len or an escaped
 * one (\u0000), or nests arrays and objects more than CN_JSON_MAX_DEPTH deep; then parsed,
 * and rejected if json-glib made a string that is not UTF-8 (an escaped lone surrogate).
 * @len -1: nul-terminated. */
JsonNode    *cn_json_parse_checked       (const char   *json,
                                          gssize        len,
                                          GError      **error);
gboolean     cn_json_node_is_valid_utf8  (JsonNode     *node);

G_END_DECLS
