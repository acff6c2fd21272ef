/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * The 13 collections of DESIGN.md, as a static table of field descriptors.
 *
 * Wire names of the collections: unit, person, article, document, criteria_set (reference
 * collections: visible to every user), delegation, assignment, visit, report, task,
 * task_event, assessment, attendance (workflow collections: visible inside the user's scope
 * unit and below).
 *
 * Enumerations (wire spelling → meaning):
 *   unit.kind              province, district, commune, town (thị trấn), ward (phường)
 *   criteria_set.level     village (thôn), commune, district, province
 *   criteria_set.variant   standard, advanced (nâng cao), model (kiểu mẫu)
 *   assignment.role        member_in_charge (người phụ trách),
 *                          sponsoring_department (phòng, ngành đỡ đầu)
 *   report.status          draft, submitted
 *   task.status            proposed, open, in_progress, done, dropped
 *   task_event.from_status, task_event.to_status   the task.status values
 *   assessment.status      met, in_progress, not_met
 *
 * Value rules (what cn_schema_validate() checks):
 *   CN_FIELD_STRING, CN_FIELD_TEXT, CN_FIELD_HTML   a JSON string; a required one not empty
 *   CN_FIELD_ENUM          one of the field's values
 *   CN_FIELD_UUID          lower-case hyphenated UUID "0b5f…-…"
 *   CN_FIELD_UUID_ARRAY    array of such UUIDs
 *   CN_FIELD_DATE          "YYYY-MM-DD", a real day
 *   CN_FIELD_DATETIME      RFC 3339 UTC "2015-07-01T16:20:00Z" (see cn-time.h)
 *   CN_FIELD_MONTH         "YYYY-MM"
 *   CN_FIELD_BOOL          true/false
 *   CN_FIELD_INT           a JSON integer ≥ 0
 *   CN_FIELD_SHA256        64 lower-case hex digits (a file of the content store)
 *   CN_FIELD_URL           an absolute http:// or https:// URL
 *   CN_FIELD_STRING_ARRAY  array of strings
 *   CN_FIELD_OBJECT_ARRAY  array of objects, each validated against the sub-fields
 * JSON null in an optional field means "no value" (a patch uses it to clear a field).
 * assignment needs person_id or organization (at least one).
 *
 * Sub-fields: article.images[{sha256*, caption}],
 * document.attachments and visit.attachments [{name*, sha256*, size*, mime}],
 * criteria_set.items[{code*, name*, indicators[{code*, text*, target}]}]   (* required)
 *
 * Writers (DESIGN.md): unit admin; person admin, staff; article, document, criteria_set
 * editor; every workflow collection staff. "admin" may also write every collection (an
 * administrator must be able to correct anything); "viewer" writes nothing.
 */

typedef enum {
  CN_FIELD_STRING,
  CN_FIELD_TEXT,
  CN_FIELD_HTML,
  CN_FIELD_ENUM,
  CN_FIELD_UUID,
  CN_FIELD_UUID_ARRAY,
  CN_FIELD_DATE,
  CN_FIELD_DATETIME,
  CN_FIELD_MONTH,
  CN_FIELD_BOOL,
  CN_FIELD_INT,
  CN_FIELD_SHA256,
  CN_FIELD_URL,
  CN_FIELD_STRING_ARRAY,
  CN_FIELD_OBJECT_ARRAY,
} CnFieldType;

typedef enum {
  CN_FIELD_FLAG_NONE       = 0,
  CN_FIELD_FLAG_REQUIRED   = 1 << 0,
  CN_FIELD_FLAG_SEARCHABLE = 1 << 1,  /* its text goes into the full-text index */
  CN_FIELD_FLAG_TITLE      = 1 << 2,  /* part of the display title (weighted above the body) */
} CnFieldFlags;

typedef enum {
  CN_COLLECTION_REFERENCE,
  CN_COLLECTION_WORKFLOW,
} CnCollectionKind;

typedef struct {
  const char *value;  /* wire spelling */
  const char *label;  /* English, NC_("value", …); cn_schema_enum_label() translates */
} CnEnumValue;

typedef struct _CnField CnField;

struct _CnField {
  const char         *name;     /* wire name */
  const char         *label;    /* English, NC_("field", …); cn_field_get_label() translates */
  CnFieldType         type;
  CnFieldFlags        flags;
  const CnEnumValue  *values;   /* CN_FIELD_ENUM: terminated by {NULL, NULL} */
  const char * const *targets;  /* UUID fields: the collections the id may point to */
  const CnField      *fields;   /* CN_FIELD_OBJECT_ARRAY: sub-fields, terminated by name NULL */
};

typedef struct {
  const char         *name;         /* wire name */
  const char         *label;        /* singular, English, NC_("collection", …) */
  const char         *plural_label; /* English, NC_("collection", …); see the getters */
  CnCollectionKind    kind;
  const char * const *writers;      /* roles DESIGN.md names as writers */
  /* Workflow collections: the UUID field placing the record in a unit's scope, either
   * pointing at a unit directly or at a record whose scope it shares (report.delegation_id,
   * task_event.task_id, attendance.person_id → person.unit_id). NULL for reference ones. */
  const char         *scope_field;
  const CnField      *fields;       /* terminated by name NULL */
} CnCollection;

/* The collection of that wire name, or NULL. The table is static: never free it. */
const CnCollection  *cn_schema_lookup             (const char          *collection);
/* The 13 wire names in DESIGN.md's order, NULL-terminated. */
const char * const  *cn_schema_collections        (void);
gboolean             cn_schema_is_reference       (const char          *collection);
/* Whether a user of @role ("admin", "editor", "staff", "viewer") may write @collection. */
gboolean             cn_schema_can_write          (const char          *collection,
                                                   const char          *role);
gboolean             cn_schema_is_valid_uuid      (const char          *text);
gboolean             cn_schema_is_valid_sha256    (const char          *text);

/* Checks @data against the collection's fields. @partial: @data is a patch, so required
 * fields may be absent (but a null one is still an error) and the rules across
 * fields (assignment) are left to the check of the merged record. Errors: CN_ERROR_INVALID
 * (unknown collection, missing field, wrong type or value; the message names the field,
 * as "images[0].sha256" inside object arrays, and what is expected) or
 * CN_ERROR_UNKNOWN_FIELD (the message names the field and the collection). */
gboolean             cn_schema_validate           (const char          *collection,
                                                   JsonObject          *data,
                                                   gboolean             partial,
                                                   GError             **error);

/* The display title of a record (also what the search index weights above the body):
 * unit.name, person.full_name, article.title, "number — title" of a document,
 * criteria_set.name, delegation.name, "role — organization" of an assignment,
 * "date — first topic" of a visit, "Report of <period or meeting date>", task.title,
 * "from → to" of a task_event, "Criterion <code>: <status>", "<month>: attended/absent".
 * Falls back to the collection's label; never NULL. Enum labels in it are translated. */
char                *cn_schema_dup_title          (const char          *collection,
                                                   JsonObject          *data);
/* The text of the searchable fields other than the one-line title fields, one field per
 * line, HTML reduced to text, object-array sub-fields included (captions, criteria and
 * indicators, attachment names). Original accents kept: fold it (or index it through the
 * folding tokenizer) for search. */
char                *cn_schema_dup_search_text    (const char          *collection,
                                                   JsonObject          *data);
/* HTML to plain text for indexing: tags dropped (script, style and comments with their
 * content), the common character references decoded, white space collapsed. Not a parser
 * and not a sanitizer. */
char                *cn_schema_html_to_text       (const char          *html);

const CnField       *cn_collection_lookup_field   (const CnCollection  *collection,
                                                   const char          *name);
/* Translated labels */
const char          *cn_collection_get_label      (const CnCollection  *collection);
const char          *cn_collection_get_plural_label (const CnCollection *collection);
const CnField       *cn_field_lookup_subfield     (const CnField       *field,
                                                   const char          *name);
const char          *cn_field_get_label           (const CnField       *field);
/* The translated label of an enum value of @field, or NULL if @value is not one. */
const char          *cn_schema_enum_label         (const CnField       *field,
                                                   const char          *value);

G_END_DECLS
