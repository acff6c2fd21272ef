/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cn-error.h"
#include "cn-schema.h"
#include "cn-time.h"

#define REQ   CN_FIELD_FLAG_REQUIRED
#define FTS   CN_FIELD_FLAG_SEARCHABLE
#define TITLE CN_FIELD_FLAG_TITLE

/* Targets of UUID fields */
static const char * const to_unit[] = { "unit", NULL };
static const char * const to_person[] = { "person", NULL };
static const char * const to_document[] = { "document", NULL };
static const char * const to_delegation[] = { "delegation", NULL };
static const char * const to_task[] = { "task", NULL };
static const char * const to_criteria_set[] = { "criteria_set", NULL };
static const char * const to_visit_or_report[] = { "visit", "report", NULL };

/* Writers */
static const char * const by_admin[] = { "admin", NULL };
static const char * const by_admin_staff[] = { "admin", "staff", NULL };
static const char * const by_editor[] = { "editor", NULL };
static const char * const by_staff[] = { "staff", NULL };

/* Enumerations */
static const CnEnumValue unit_kinds[] = {
  { "province", NC_("value", "Province") },
  { "district", NC_("value", "District") },
  { "commune", NC_("value", "Commune") },
  { "town", NC_("value", "Town") },
  { "ward", NC_("value", "Ward") },
  { NULL, NULL }
};

static const CnEnumValue criteria_levels[] = {
  { "village", NC_("value", "Village") },
  { "commune", NC_("value", "Commune") },
  { "district", NC_("value", "District") },
  { "province", NC_("value", "Province") },
  { NULL, NULL }
};

static const CnEnumValue criteria_variants[] = {
  { "standard", NC_("value", "Standard") },
  { "advanced", NC_("value", "Advanced") },
  { "model", NC_("value", "Model") },
  { NULL, NULL }
};

static const CnEnumValue assignment_roles[] = {
  { "member_in_charge", NC_("value", "Member in charge") },
  { "sponsoring_department", NC_("value", "Sponsoring department") },
  { NULL, NULL }
};

static const CnEnumValue report_statuses[] = {
  { "draft", NC_("value", "Draft") },
  { "submitted", NC_("value", "Submitted") },
  { NULL, NULL }
};

static const CnEnumValue task_statuses[] = {
  { "proposed", NC_("value", "Proposed") },
  { "open", NC_("value", "Open") },
  { "in_progress", NC_("value", "In progress") },
  { "done", NC_("value", "Done") },
  { "dropped", NC_("value", "Dropped") },
  { NULL, NULL }
};

static const CnEnumValue assessment_statuses[] = {
  { "met", NC_("value", "Met") },
  { "in_progress", NC_("value", "In progress") },
  { "not_met", NC_("value", "Not met") },
  { NULL, NULL }
};

/* Sub-fields of object arrays */
static const CnField image_fields[] = {
  { "sha256", NC_("field", "File"), CN_FIELD_SHA256, REQ },
  { "caption", NC_("field", "Caption"), CN_FIELD_TEXT, FTS },
  { NULL }
};

static const CnField attachment_fields[] = {
  { "name", NC_("field", "File name"), CN_FIELD_STRING, REQ | FTS },
  { "sha256", NC_("field", "File"), CN_FIELD_SHA256, REQ },
  { "size", NC_("field", "Size"), CN_FIELD_INT, REQ },
  { "mime", NC_("field", "File type"), CN_FIELD_STRING, 0 },
  { NULL }
};

static const CnField indicator_fields[] = {
  { "code", NC_("field", "Code"), CN_FIELD_STRING, REQ },
  { "text", NC_("field", "Indicator"), CN_FIELD_TEXT, REQ | FTS },
  { "target", NC_("field", "Target"), CN_FIELD_TEXT, FTS },
  { NULL }
};

static const CnField criterion_fields[] = {
  { "code", NC_("field", "Code"), CN_FIELD_STRING, REQ },
  { "name", NC_("field", "Criterion"), CN_FIELD_STRING, REQ | FTS },
  { "indicators", NC_("field", "Indicators"), CN_FIELD_OBJECT_ARRAY, 0, NULL, NULL,
    indicator_fields },
  { NULL }
};

/* Collections */
static const CnField unit_fields[] = {
  { "name", NC_("field", "Name"), CN_FIELD_STRING, REQ | FTS | TITLE },
  { "kind", NC_("field", "Kind"), CN_FIELD_ENUM, REQ, unit_kinds },
  { "parent_id", NC_("field", "Part of"), CN_FIELD_UUID, 0, NULL, to_unit },
  { "region", NC_("field", "Region"), CN_FIELD_STRING, FTS },
  { "code", NC_("field", "Code"), CN_FIELD_STRING, FTS },
  { NULL }
};

static const CnField person_fields[] = {
  { "full_name", NC_("field", "Full name"), CN_FIELD_STRING, REQ | FTS | TITLE },
  { "position", NC_("field", "Position"), CN_FIELD_STRING, FTS },
  { "organization", NC_("field", "Organization"), CN_FIELD_STRING, FTS },
  { "unit_id", NC_("field", "Unit"), CN_FIELD_UUID, 0, NULL, to_unit },
  { "phone", NC_("field", "Phone"), CN_FIELD_STRING, FTS },
  { NULL }
};

static const CnField article_fields[] = {
  { "title", NC_("field", "Title"), CN_FIELD_STRING, REQ | FTS | TITLE },
  { "lead", NC_("field", "Lead"), CN_FIELD_TEXT, FTS },
  { "body_html", NC_("field", "Body"), CN_FIELD_HTML, FTS },
  { "category", NC_("field", "Category"), CN_FIELD_STRING, FTS },
  { "author", NC_("field", "Author"), CN_FIELD_STRING, FTS },
  { "source", NC_("field", "Source"), CN_FIELD_STRING, 0 },
  { "source_url", NC_("field", "Source address"), CN_FIELD_URL, 0 },
  { "published_at", NC_("field", "Published"), CN_FIELD_DATETIME, 0 },
  { "tags", NC_("field", "Tags"), CN_FIELD_STRING_ARRAY, FTS },
  { "images", NC_("field", "Images"), CN_FIELD_OBJECT_ARRAY, 0, NULL, NULL, image_fields },
  { NULL }
};

static const CnField document_fields[] = {
  { "number", NC_("field", "Number"), CN_FIELD_STRING, REQ | FTS | TITLE },
  { "title", NC_("field", "Title"), CN_FIELD_STRING, REQ | FTS | TITLE },
  { "doc_type", NC_("field", "Document type"), CN_FIELD_STRING, FTS },
  { "issuer", NC_("field", "Issuer"), CN_FIELD_STRING, FTS },
  { "field", NC_("field", "Field"), CN_FIELD_STRING, FTS },
  { "signed_on", NC_("field", "Signed on"), CN_FIELD_DATE, 0 },
  { "effective_on", NC_("field", "Effective on"), CN_FIELD_DATE, 0 },
  { "expires_on", NC_("field", "Expires on"), CN_FIELD_DATE, 0 },
  { "summary", NC_("field", "Summary"), CN_FIELD_TEXT, FTS },
  { "signer", NC_("field", "Signer"), CN_FIELD_STRING, FTS },
  { "amends", NC_("field", "Amends"), CN_FIELD_UUID_ARRAY, 0, NULL, to_document },
  { "attachments", NC_("field", "Attachments"), CN_FIELD_OBJECT_ARRAY, 0, NULL, NULL,
    attachment_fields },
  { "source_url", NC_("field", "Source address"), CN_FIELD_URL, 0 },
  { NULL }
};

static const CnField criteria_set_fields[] = {
  { "name", NC_("field", "Name"), CN_FIELD_STRING, REQ | FTS | TITLE },
  { "level", NC_("field", "Level"), CN_FIELD_ENUM, REQ, criteria_levels },
  { "variant", NC_("field", "Variant"), CN_FIELD_ENUM, REQ, criteria_variants },
  { "document_id", NC_("field", "Document"), CN_FIELD_UUID, 0, NULL, to_document },
  { "items", NC_("field", "Criteria"), CN_FIELD_OBJECT_ARRAY, 0, NULL, NULL, criterion_fields },
  { NULL }
};

static const CnField delegation_fields[] = {
  { "name", NC_("field", "Name"), CN_FIELD_STRING, REQ | FTS | TITLE },
  { "unit_id", NC_("field", "District"), CN_FIELD_UUID, REQ, NULL, to_unit },
  { "term", NC_("field", "Term"), CN_FIELD_STRING, FTS },
  { "leader_ids", NC_("field", "Leaders"), CN_FIELD_UUID_ARRAY, 0, NULL, to_person },
  { "member_ids", NC_("field", "Members"), CN_FIELD_UUID_ARRAY, 0, NULL, to_person },
  { "region", NC_("field", "Region"), CN_FIELD_STRING, FTS },
  { "commune_ids", NC_("field", "Communes"), CN_FIELD_UUID_ARRAY, 0, NULL, to_unit },
  { NULL }
};

static const CnField assignment_fields[] = {
  { "person_id", NC_("field", "Person"), CN_FIELD_UUID, 0, NULL, to_person },
  { "organization", NC_("field", "Organization"), CN_FIELD_STRING, FTS | TITLE },
  { "commune_id", NC_("field", "Commune"), CN_FIELD_UUID, REQ, NULL, to_unit },
  { "role", NC_("field", "Role"), CN_FIELD_ENUM, REQ, assignment_roles },
  { "since", NC_("field", "Since"), CN_FIELD_DATE, 0 },
  { "until", NC_("field", "Until"), CN_FIELD_DATE, 0 },
  { NULL }
};

static const CnField visit_fields[] = {
  { "delegation_id", NC_("field", "Delegation"), CN_FIELD_UUID, 0, NULL, to_delegation },
  { "commune_id", NC_("field", "Commune"), CN_FIELD_UUID, REQ, NULL, to_unit },
  { "date", NC_("field", "Date"), CN_FIELD_DATE, REQ | TITLE },
  { "led_by", NC_("field", "Led by"), CN_FIELD_UUID_ARRAY, 0, NULL, to_person },
  { "participants", NC_("field", "Participants"), CN_FIELD_TEXT, FTS },
  { "topics", NC_("field", "Topics"), CN_FIELD_STRING_ARRAY, FTS | TITLE },
  { "notes", NC_("field", "Notes"), CN_FIELD_TEXT, FTS },
  { "conclusions", NC_("field", "Conclusions"), CN_FIELD_TEXT, FTS },
  { "attachments", NC_("field", "Attachments"), CN_FIELD_OBJECT_ARRAY, 0, NULL, NULL,
    attachment_fields },
  { NULL }
};

static const CnField report_fields[] = {
  { "delegation_id", NC_("field", "Delegation"), CN_FIELD_UUID, REQ, NULL, to_delegation },
  { "meeting_date", NC_("field", "Meeting date"), CN_FIELD_DATE, TITLE },
  { "period", NC_("field", "Period"), CN_FIELD_STRING, FTS | TITLE },
  { "situation", NC_("field", "Situation"), CN_FIELD_TEXT, FTS },
  { "proposals", NC_("field", "Proposals"), CN_FIELD_TEXT, FTS },
  { "status", NC_("field", "Status"), CN_FIELD_ENUM, REQ, report_statuses },
  { NULL }
};

static const CnField task_fields[] = {
  { "title", NC_("field", "Title"), CN_FIELD_STRING, REQ | FTS | TITLE },
  { "description", NC_("field", "Description"), CN_FIELD_TEXT, FTS },
  { "commune_id", NC_("field", "Commune"), CN_FIELD_UUID, 0, NULL, to_unit },
  { "source_id", NC_("field", "Source"), CN_FIELD_UUID, 0, NULL, to_visit_or_report },
  { "owner_id", NC_("field", "Owner"), CN_FIELD_UUID, 0, NULL, to_person },
  { "due_on", NC_("field", "Due date"), CN_FIELD_DATE, 0 },
  { "status", NC_("field", "Status"), CN_FIELD_ENUM, REQ, task_statuses },
  { NULL }
};

static const CnField task_event_fields[] = {
  { "task_id", NC_("field", "Task"), CN_FIELD_UUID, REQ, NULL, to_task },
  { "at", NC_("field", "Time"), CN_FIELD_DATETIME, REQ },
  { "from_status", NC_("field", "From status"), CN_FIELD_ENUM, 0, task_statuses },
  { "to_status", NC_("field", "To status"), CN_FIELD_ENUM, REQ | TITLE, task_statuses },
  { "comment", NC_("field", "Comment"), CN_FIELD_TEXT, FTS },
  { NULL }
};

static const CnField assessment_fields[] = {
  { "commune_id", NC_("field", "Commune"), CN_FIELD_UUID, REQ, NULL, to_unit },
  { "criteria_set_id", NC_("field", "Criteria set"), CN_FIELD_UUID, REQ, NULL, to_criteria_set },
  { "criterion_code", NC_("field", "Criterion"), CN_FIELD_STRING, REQ | TITLE },
  { "status", NC_("field", "Status"), CN_FIELD_ENUM, REQ | TITLE, assessment_statuses },
  { "assessed_on", NC_("field", "Assessed on"), CN_FIELD_DATE, 0 },
  { "note", NC_("field", "Note"), CN_FIELD_TEXT, FTS },
  { NULL }
};

static const CnField attendance_fields[] = {
  { "person_id", NC_("field", "Person"), CN_FIELD_UUID, REQ, NULL, to_person },
  { "month", NC_("field", "Month"), CN_FIELD_MONTH, REQ | TITLE },
  { "attended", NC_("field", "Attended"), CN_FIELD_BOOL, REQ | TITLE },
  { "note", NC_("field", "Note"), CN_FIELD_TEXT, FTS },
  { NULL }
};

static const CnCollection collections[] = {
  /* name, labels, kind, writers, scope field, fields */
  { "unit", NC_("collection", "Unit"), NC_("collection", "Units"),
    CN_COLLECTION_REFERENCE, by_admin, NULL, unit_fields },
  { "person", NC_("collection", "Person"), NC_("collection", "People"),
    CN_COLLECTION_REFERENCE, by_admin_staff, NULL, person_fields },
  { "article", NC_("collection", "Article"), NC_("collection", "Articles"),
    CN_COLLECTION_REFERENCE, by_editor, NULL, article_fields },
  { "document", NC_("collection", "Document"), NC_("collection", "Documents"),
    CN_COLLECTION_REFERENCE, by_editor, NULL, document_fields },
  { "criteria_set", NC_("collection", "Criteria set"), NC_("collection", "Criteria sets"),
    CN_COLLECTION_REFERENCE, by_editor, NULL, criteria_set_fields },
  { "delegation", NC_("collection", "Delegation"), NC_("collection", "Delegations"),
    CN_COLLECTION_WORKFLOW, by_staff, "unit_id", delegation_fields },
  { "assignment", NC_("collection", "Assignment"), NC_("collection", "Assignments"),
    CN_COLLECTION_WORKFLOW, by_staff, "commune_id", assignment_fields },
  { "visit", NC_("collection", "Working session"), NC_("collection", "Working sessions"),
    CN_COLLECTION_WORKFLOW, by_staff, "commune_id", visit_fields },
  { "report", NC_("collection", "Report"), NC_("collection", "Reports"),
    CN_COLLECTION_WORKFLOW, by_staff, "delegation_id", report_fields },
  { "task", NC_("collection", "Task"), NC_("collection", "Tasks"),
    CN_COLLECTION_WORKFLOW, by_staff, "commune_id", task_fields },
  { "task_event", NC_("collection", "Task event"), NC_("collection", "Task events"),
    CN_COLLECTION_WORKFLOW, by_staff, "task_id", task_event_fields },
  { "assessment", NC_("collection", "Assessment"), NC_("collection", "Assessments"),
    CN_COLLECTION_WORKFLOW, by_staff, "commune_id", assessment_fields },
  { "attendance", NC_("collection", "Attendance"), NC_("collection", "Attendance"),
    CN_COLLECTION_WORKFLOW, by_staff, "person_id", attendance_fields },
};

static const char * const collection_names[] = {
  "unit", "person", "article", "document", "criteria_set", "delegation", "assignment",
  "visit", "report", "task", "task_event", "assessment", "attendance", NULL
};

G_STATIC_ASSERT (G_N_ELEMENTS (collections) + 1 == G_N_ELEMENTS (collection_names));

const CnCollection *
cn_schema_lookup (const char *collection)
{
  if (collection == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (collections); i++)
    {
      if (strcmp (collections[i].name, collection) == 0)
        return &collections[i];
    }

  return NULL;
}

const char * const *
cn_schema_collections (void)
{
  return collection_names;
}

gboolean
cn_schema_is_reference (const char *collection)
{
  const CnCollection *c = cn_schema_lookup (collection);

  return c != NULL && c->kind == CN_COLLECTION_REFERENCE;
}

gboolean
cn_schema_can_write (const char *collection,
                     const char *role)
{
  const CnCollection *c = cn_schema_lookup (collection);

  if (c == NULL || role == NULL)
    return FALSE;

  if (strcmp (role, "admin") == 0)
    return TRUE;

  return g_strv_contains ((const char * const *) c->writers, role);
}

gboolean
cn_schema_is_valid_uuid (const char *text)
{
  if (text == NULL || !g_uuid_string_is_valid (text))
    return FALSE;

  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isupper (*p))
        return FALSE;
    }

  return TRUE;
}

gboolean
cn_schema_is_valid_sha256 (const char *text)
{
  guint n = 0;

  if (text == NULL)
    return FALSE;

  for (const char *p = text; *p; p++, n++)
    {
      if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
        return FALSE;
    }

  return n == 64;
}

const CnField *
cn_collection_lookup_field (const CnCollection *collection,
                            const char         *name)
{
  g_return_val_if_fail (collection != NULL, NULL);

  if (name == NULL)
    return NULL;

  for (const CnField *f = collection->fields; f->name != NULL; f++)
    {
      if (strcmp (f->name, name) == 0)
        return f;
    }

  return NULL;
}

const CnField *
cn_field_lookup_subfield (const CnField *field,
                          const char    *name)
{
  g_return_val_if_fail (field != NULL, NULL);

  if (field->fields == NULL || name == NULL)
    return NULL;

  for (const CnField *f = field->fields; f->name != NULL; f++)
    {
      if (strcmp (f->name, name) == 0)
        return f;
    }

  return NULL;
}

const char *
cn_collection_get_label (const CnCollection *collection)
{
  g_return_val_if_fail (collection != NULL, NULL);

  return g_dpgettext2 (GETTEXT_PACKAGE, "collection", collection->label);
}

const char *
cn_collection_get_plural_label (const CnCollection *collection)
{
  g_return_val_if_fail (collection != NULL, NULL);

  return g_dpgettext2 (GETTEXT_PACKAGE, "collection", collection->plural_label);
}

const char *
cn_field_get_label (const CnField *field)
{
  g_return_val_if_fail (field != NULL, NULL);

  return g_dpgettext2 (GETTEXT_PACKAGE, "field", field->label);
}

const char *
cn_schema_enum_label (const CnField *field,
                      const char    *value)
{
  g_return_val_if_fail (field != NULL, NULL);

  if (field->values == NULL || value == NULL)
    return NULL;

  for (const CnEnumValue *v = field->values; v->value != NULL; v++)
    {
      if (strcmp (v->value, value) == 0)
        return g_dpgettext2 (GETTEXT_PACKAGE, "value", v->label);
    }

  return NULL;
}

/* Validation */

static char *
enum_values_list (const CnField *field)
{
  GString *s = g_string_new (NULL);

  for (const CnEnumValue *v = field->values; v->value != NULL; v++)
    {
      if (s->len > 0)
        g_string_append (s, ", ");
      g_string_append (s, v->value);
    }

  return g_string_free (s, FALSE);
}

/* What a value of @field must look like, for error messages. */
static char *
describe_expected (const CnField *field)
{
  switch (field->type)
    {
    case CN_FIELD_STRING:
    case CN_FIELD_TEXT:
    case CN_FIELD_HTML:
      return g_strdup ((field->flags & CN_FIELD_FLAG_REQUIRED) ? _("a text that is not empty")
                                                               : _("a text"));
    case CN_FIELD_ENUM:
      {
        g_autofree char *values = enum_values_list (field);

        return g_strdup_printf (_("one of: %s"), values);
      }
    case CN_FIELD_UUID:
      return g_strdup (_("a lower-case UUID such as 3f2b8c1e-5d4a-4c6b-9e7f-0a1b2c3d4e5f"));
    case CN_FIELD_UUID_ARRAY:
      return g_strdup (_("a list of lower-case UUIDs"));
    case CN_FIELD_DATE:
      return g_strdup (_("a date such as 2024-03-01"));
    case CN_FIELD_DATETIME:
      return g_strdup (_("a UTC date and time such as 2015-07-01T16:20:00Z"));
    case CN_FIELD_MONTH:
      return g_strdup (_("a month such as 2015-06"));
    case CN_FIELD_BOOL:
      return g_strdup (_("true or false"));
    case CN_FIELD_INT:
      return g_strdup (_("a whole number, zero or more"));
    case CN_FIELD_SHA256:
      return g_strdup (_("a SHA-256 checksum of 64 lower-case hexadecimal digits"));
    case CN_FIELD_URL:
      return g_strdup (_("an http:// or https:// address"));
    case CN_FIELD_STRING_ARRAY:
      return g_strdup (_("a list of texts"));
    case CN_FIELD_OBJECT_ARRAY:
      return g_strdup (_("a list of objects"));
    default:
      g_assert_not_reached ();
    }
}

static gboolean
set_invalid (GError        **error,
             const char     *collection,
             const char     *path,
             const CnField  *field)
{
  g_autofree char *expected = describe_expected (field);

  g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
               _("Field “%s” of %s must be %s"), path, collection, expected);
  return FALSE;
}

static const char *
node_string (JsonNode *node)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* Empty or only white space: not a value for a required text. */
static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_http_url (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (text == NULL)
    return FALSE;

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  return (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0)
         && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

static gboolean validate_object (const char     *collection,
                                 const char     *prefix,
                                 const CnField  *fields,
                                 JsonObject     *object,
                                 gboolean        partial,
                                 GError        **error);

static gboolean
validate_scalar (const CnField *field,
                 JsonNode      *node)
{
  const char *s;

  switch (field->type)
    {
    case CN_FIELD_STRING:
    case CN_FIELD_TEXT:
    case CN_FIELD_HTML:
      s = node_string (node);
      return s != NULL && (!(field->flags & CN_FIELD_FLAG_REQUIRED) || !is_blank (s));
    case CN_FIELD_ENUM:
      s = node_string (node);
      if (s == NULL)
        return FALSE;
      for (const CnEnumValue *v = field->values; v->value != NULL; v++)
        {
          if (strcmp (v->value, s) == 0)
            return TRUE;
        }
      return FALSE;
    case CN_FIELD_UUID:
      return cn_schema_is_valid_uuid (node_string (node));
    case CN_FIELD_DATE:
      return cn_time_parse_date (node_string (node), NULL, NULL, NULL);
    case CN_FIELD_DATETIME:
      return cn_time_is_utc_rfc3339 (node_string (node));
    case CN_FIELD_MONTH:
      return cn_time_parse_month (node_string (node), NULL, NULL);
    case CN_FIELD_BOOL:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
    case CN_FIELD_INT:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64 &&
             json_node_get_int (node) >= 0;
    case CN_FIELD_SHA256:
      return cn_schema_is_valid_sha256 (node_string (node));
    case CN_FIELD_URL:
      return is_http_url (node_string (node));
    case CN_FIELD_UUID_ARRAY:
    case CN_FIELD_STRING_ARRAY:
    case CN_FIELD_OBJECT_ARRAY:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
validate_value (const char     *collection,
                const char     *path,
                const CnField  *field,
                JsonNode       *node,
                GError        **error)
{
  JsonArray *array;
  guint n;

  switch (field->type)
    {
    case CN_FIELD_UUID_ARRAY:
    case CN_FIELD_STRING_ARRAY:
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return set_invalid (error, collection, path, field);
      array = json_node_get_array (node);
      n = json_array_get_length (array);
      for (guint i = 0; i < n; i++)
        {
          const char *s = node_string (json_array_get_element (array, i));

          if (s == NULL || (field->type == CN_FIELD_UUID_ARRAY && !cn_schema_is_valid_uuid (s)))
            {
              g_autofree char *item = g_strdup_printf ("%s[%u]", path, i);

              return set_invalid (error, collection, item, field);
            }
        }
      return TRUE;

    case CN_FIELD_OBJECT_ARRAY:
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return set_invalid (error, collection, path, field);
      array = json_node_get_array (node);
      n = json_array_get_length (array);
      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autofree char *item = g_strdup_printf ("%s[%u]", path, i);

          if (!JSON_NODE_HOLDS_OBJECT (element))
            {
              g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                           _("Field “%s” of %s must be an object"), item, collection);
              return FALSE;
            }
          if (!validate_object (collection, item, field->fields,
                                json_node_get_object (element), FALSE, error))
            return FALSE;
        }
      return TRUE;

    case CN_FIELD_STRING:
    case CN_FIELD_TEXT:
    case CN_FIELD_HTML:
    case CN_FIELD_ENUM:
    case CN_FIELD_UUID:
    case CN_FIELD_DATE:
    case CN_FIELD_DATETIME:
    case CN_FIELD_MONTH:
    case CN_FIELD_BOOL:
    case CN_FIELD_INT:
    case CN_FIELD_SHA256:
    case CN_FIELD_URL:
    default:
      if (!validate_scalar (field, node))
        return set_invalid (error, collection, path, field);
      return TRUE;
    }
}

static gboolean
validate_object (const char     *collection,
                 const char     *prefix,
                 const CnField  *fields,
                 JsonObject     *object,
                 gboolean        partial,
                 GError        **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  /* Unknown fields first: a misspelt name explains a "missing" required field. */
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    {
      g_autofree char *path = prefix ? g_strdup_printf ("%s.%s", prefix, name) : g_strdup (name);
      const CnField *field = NULL;

      for (const CnField *f = fields; f->name != NULL; f++)
        {
          if (strcmp (f->name, name) == 0)
            {
              field = f;
              break;
            }
        }

      if (field == NULL)
        {
          g_set_error (error, CN_ERROR, CN_ERROR_UNKNOWN_FIELD,
                       _("Unknown field “%s” in %s"), path, collection);
          return FALSE;
        }

      if (JSON_NODE_HOLDS_NULL (node))
        {
          if (field->flags & CN_FIELD_FLAG_REQUIRED)
            {
              g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                           _("Field “%s” of %s is required"), path, collection);
              return FALSE;
            }
          continue;
        }

      if (!validate_value (collection, path, field, node, error))
        return FALSE;
    }

  if (partial)
    return TRUE;

  for (const CnField *f = fields; f->name != NULL; f++)
    {
      if ((f->flags & CN_FIELD_FLAG_REQUIRED) && !json_object_has_member (object, f->name))
        {
          g_autofree char *path = prefix ? g_strdup_printf ("%s.%s", prefix, f->name)
                                         : g_strdup (f->name);

          g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                       _("Field “%s” of %s is required"), path, collection);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
has_value (JsonObject *data,
           const char *name)
{
  JsonNode *node = json_object_get_member (data, name);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node);
}

static const char *
get_string (JsonObject *data,
            const char *name)
{
  JsonNode *node;

  if (data == NULL)
    return NULL;

  node = json_object_get_member (data, name);
  if (node == NULL)
    return NULL;

  return node_string (node);
}

/* The "code" of each object of @array (already validated) is unique; @path names the array
 * in the message. */
static gboolean
check_unique_codes (const char  *collection,
                    const char  *path,
                    JsonArray   *array,
                    GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      const char *code = json_object_get_string_member (object, "code");

      if (!g_hash_table_add (seen, (gpointer) code))
        {
          g_autofree char *item = g_strdup_printf ("%s[%u].code", path, i);

          g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                       _("Field “%s” of %s repeats the code “%s”"), item, collection, code);
          return FALSE;
        }
    }

  return TRUE;
}

/* Rules across fields of one record. A patch cannot be checked alone: the store checks the
 * merged result with partial = FALSE. */
static gboolean
validate_record_rules (const char  *collection,
                       JsonObject  *data,
                       GError     **error)
{
  if (strcmp (collection, "assignment") == 0)
    {
      const char *since = get_string (data, "since");
      const char *until = get_string (data, "until");

      if (!has_value (data, "person_id") && !has_value (data, "organization"))
        {
          g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                       _("An assignment needs a person (“person_id”) or an organization "
                         "(“organization”)"));
          return FALSE;
        }
      if (since != NULL && until != NULL && strcmp (since, until) > 0)
        {
          g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                       _("Field “%s” of %s must not be before “%s”"), "until", collection,
                       "since");
          return FALSE;
        }
    }
  else if (strcmp (collection, "criteria_set") == 0 && has_value (data, "items"))
    {
      /* assessments name a criterion by its code */
      JsonArray *items = json_object_get_array_member (data, "items");

      if (!check_unique_codes (collection, "items", items, error))
        return FALSE;
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);
          g_autofree char *path = g_strdup_printf ("items[%u].indicators", i);

          if (has_value (item, "indicators") &&
              !check_unique_codes (collection, path,
                                   json_object_get_array_member (item, "indicators"), error))
            return FALSE;
        }
    }

  return TRUE;
}

gboolean
cn_schema_validate (const char  *collection,
                    JsonObject  *data,
                    gboolean     partial,
                    GError     **error)
{
  const CnCollection *c;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  c = cn_schema_lookup (collection);
  if (c == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID, _("Unknown collection “%s”"),
                   collection != NULL ? collection : "");
      return FALSE;
    }

  if (data == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("The data of a record of %s must be an object"), c->name);
      return FALSE;
    }

  if (!validate_object (c->name, NULL, c->fields, data, partial, error))
    return FALSE;

  if (!partial && !validate_record_rules (c->name, data, error))
    return FALSE;

  return TRUE;
}

/* Titles and search text */

static const char *
first_string (JsonObject *data,
              const char *name)
{
  JsonNode *node = data != NULL ? json_object_get_member (data, name) : NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0)
    return NULL;

  return node_string (json_array_get_element (array, 0));
}

static char *
join_nonempty (const char *separator,
               ...)
{
  GString *s = g_string_new (NULL);
  va_list args;
  const char *part;

  va_start (args, separator);
  while ((part = va_arg (args, const char *)) != (const char *) -1)
    {
      if (part == NULL || *part == '\0')
        continue;
      if (s->len > 0)
        g_string_append (s, separator);
      g_string_append (s, part);
    }
  va_end (args);

  return g_string_free (s, FALSE);
}

#define END_OF_PARTS ((const char *) -1)

static const char *
enum_label (const char *collection,
            const char *field,
            JsonObject *data)
{
  const CnCollection *c = cn_schema_lookup (collection);
  const CnField *f = cn_collection_lookup_field (c, field);

  return cn_schema_enum_label (f, get_string (data, field));
}

char *
cn_schema_dup_title (const char *collection,
                     JsonObject *data)
{
  const CnCollection *c = cn_schema_lookup (collection);
  char *title = NULL;

  g_return_val_if_fail (c != NULL, NULL);

  if (strcmp (c->name, "document") == 0)
    title = join_nonempty (" — ", get_string (data, "number"), get_string (data, "title"),
                           END_OF_PARTS);
  else if (strcmp (c->name, "assignment") == 0)
    title = join_nonempty (" — ", enum_label (c->name, "role", data),
                           get_string (data, "organization"), END_OF_PARTS);
  else if (strcmp (c->name, "visit") == 0)
    title = join_nonempty (" — ", get_string (data, "date"), first_string (data, "topics"),
                           END_OF_PARTS);
  else if (strcmp (c->name, "report") == 0)
    {
      const char *when = get_string (data, "period");

      if (when == NULL || *when == '\0')
        when = get_string (data, "meeting_date");
      title = when != NULL ? g_strdup_printf (_("Report of %s"), when) : g_strdup (_("Report"));
    }
  else if (strcmp (c->name, "task_event") == 0)
    {
      const char *from = enum_label (c->name, "from_status", data);
      const char *to = enum_label (c->name, "to_status", data);

      if (from != NULL && to != NULL)
        /* Translators: a task changing status, "Open → Done" */
        title = g_strdup_printf (_("%s → %s"), from, to);
      else
        title = g_strdup (to != NULL ? to : "");
    }
  else if (strcmp (c->name, "assessment") == 0)
    {
      const char *code = get_string (data, "criterion_code");
      const char *status = enum_label (c->name, "status", data);

      /* Translators: "Criterion 2: Met" */
      title = g_strdup_printf (_("Criterion %s: %s"), code ? code : "?", status ? status : "");
    }
  else if (strcmp (c->name, "attendance") == 0)
    {
      const char *month = get_string (data, "month");
      JsonNode *node = data != NULL ? json_object_get_member (data, "attended") : NULL;
      gboolean attended = node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
                          json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
                          json_node_get_boolean (node);

      title = g_strdup_printf (attended ? _("%s: attended") : _("%s: absent"),
                               month ? month : "?");
    }
  else
    {
      /* unit.name, person.full_name, article.title, criteria_set.name, delegation.name,
       * task.title: the one title field */
      for (const CnField *f = c->fields; f->name != NULL; f++)
        {
          if ((f->flags & CN_FIELD_FLAG_TITLE) && f->type == CN_FIELD_STRING)
            {
              title = g_strdup (get_string (data, f->name));
              break;
            }
        }
    }

  if (title == NULL || *title == '\0')
    {
      g_free (title);
      title = g_strdup (cn_collection_get_label (c));
    }

  return title;
}

/* Decodes the character reference at @p (just after '&'); returns the length consumed
 * (up to and including ';') or 0 if it is not one. */
static gsize
decode_entity (const char *p,
               GString    *out)
{
  static const struct { const char *name; gunichar c; } named[] = {
    { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
    { "nbsp", 0xA0 }, { "ndash", 0x2013 }, { "mdash", 0x2014 }, { "hellip", 0x2026 },
    { "ldquo", 0x201C }, { "rdquo", 0x201D }, { "lsquo", 0x2018 }, { "rsquo", 0x2019 },
  };
  const char *semi = memchr (p, ';', strnlen (p, 12));
  gsize n;

  if (semi == NULL || semi - p > 10 || semi == p)
    return 0;
  n = semi - p;

  if (p[0] == '#')
    {
      gboolean hex = p[1] == 'x' || p[1] == 'X';
      const char *digits = p + (hex ? 2 : 1);
      g_autofree char *number = g_strndup (digits, semi - digits);
      char *end = NULL;
      guint64 c;

      if (*number == '\0')
        return 0;
      c = g_ascii_strtoull (number, &end, hex ? 16 : 10);
      if (end == NULL || *end != '\0' || c == 0 || c > 0x10FFFF ||
          !g_unichar_validate ((gunichar) c))
        return 0;
      g_string_append_unichar (out, (gunichar) c);
      return n + 1;
    }

  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    {
      if (strlen (named[i].name) == n && strncmp (p, named[i].name, n) == 0)
        {
          g_string_append_unichar (out, named[i].c);
          return n + 1;
        }
    }

  return 0;
}

char *
cn_schema_html_to_text (const char *html)
{
  GString *out;
  const char *p;

  if (html == NULL)
    return g_strdup ("");

  out = g_string_sized_new (strlen (html));

  for (p = html; *p != '\0';)
    {
      if (*p == '<')
        {
          /* Drop script and style elements with their content, and every tag. */
          gboolean script = g_ascii_strncasecmp (p, "<script", 7) == 0;

          if (script || g_ascii_strncasecmp (p, "<style", 6) == 0)
            {
              const char *close = script ? "</script" : "</style";
              const char *q = p;

              while (*q != '\0' && g_ascii_strncasecmp (q, close, strlen (close)) != 0)
                q++;
              p = q;
            }
          else if (strncmp (p, "<!--", 4) == 0)
            {
              const char *end = strstr (p + 4, "-->");

              p = end != NULL ? end + 3 : p + strlen (p);
              continue;
            }

          while (*p != '\0' && *p != '>')
            p++;
          if (*p == '>')
            p++;
          /* Tags separate words ("<p>a</p><p>b</p>" is two words). */
          if (out->len > 0 && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
          continue;
        }

      if (*p == '&')
        {
          gsize used = decode_entity (p + 1, out);

          if (used > 0)
            {
              p += used + 1;
              continue;
            }
        }

      if (g_ascii_isspace (*p))
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
          p++;
          continue;
        }

      g_string_append_c (out, *p);
      p++;
    }

  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);

  if (!g_utf8_validate (out->str, out->len, NULL))
    {
      char *valid = g_utf8_make_valid (out->str, out->len);

      g_string_free (out, TRUE);
      return valid;
    }

  return g_string_free (out, FALSE);
}

static void
append_text (GString    *out,
             const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  if (out->len > 0)
    g_string_append_c (out, '\n');
  g_string_append (out, text);
}

static void
append_searchable (GString       *out,
                   const CnField *fields,
                   JsonObject    *data,
                   gboolean       skip_title)
{
  for (const CnField *f = fields; f->name != NULL; f++)
    {
      JsonNode *node = json_object_get_member (data, f->name);

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        continue;

      if (f->type == CN_FIELD_OBJECT_ARRAY && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_array_get_element (array, i);

              if (JSON_NODE_HOLDS_OBJECT (element))
                append_searchable (out, f->fields, json_node_get_object (element), FALSE);
            }
          continue;
        }

      if (!(f->flags & CN_FIELD_FLAG_SEARCHABLE))
        continue;
      /* A one-line title field is indexed with the title, not again with the body. */
      if (skip_title && (f->flags & CN_FIELD_FLAG_TITLE) && f->type == CN_FIELD_STRING)
        continue;

      if (f->type == CN_FIELD_STRING_ARRAY && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (array); i++)
            append_text (out, node_string (json_array_get_element (array, i)));
        }
      else if (f->type == CN_FIELD_HTML)
        {
          g_autofree char *text = cn_schema_html_to_text (node_string (node));

          append_text (out, text);
        }
      else
        append_text (out, node_string (node));
    }
}

char *
cn_schema_dup_search_text (const char *collection,
                           JsonObject *data)
{
  const CnCollection *c = cn_schema_lookup (collection);
  GString *out;

  g_return_val_if_fail (c != NULL, NULL);

  out = g_string_new (NULL);
  if (data != NULL)
    append_searchable (out, c->fields, data, TRUE);

  return g_string_free (out, FALSE);
}
