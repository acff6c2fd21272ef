/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cn-error.h"
#include "cn-id.h"
#include "cn-record.h"
#include "cn-schema.h"
#include "cn-time.h"

struct _CnRecord
{
  GObject     parent_instance;

  char       *collection;
  char       *id;
  gint64      rev;
  gint64      seq;
  char       *updated_at;
  char       *updated_by;
  JsonObject *data;
  char       *title;
  guint       deleted : 1;
};

G_DEFINE_FINAL_TYPE (CnRecord, cn_record, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_COLLECTION,
  PROP_ID,
  PROP_REV,
  PROP_DELETED,
  PROP_UPDATED_AT,
  PROP_UPDATED_BY,
  PROP_SEQ,
  PROP_DATA,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const wire_keys[] = {
  "seq", "collection", "id", "rev", "deleted", "updated_at", "updated_by", "data", NULL
};

static void
update_title (CnRecord *self)
{
  g_autofree char *title = NULL;

  if (self->collection != NULL && cn_schema_lookup (self->collection) != NULL)
    title = cn_schema_dup_title (self->collection, self->data);
  else
    title = g_strdup (self->id != NULL ? self->id : "");

  if (g_strcmp0 (title, self->title) != 0)
    {
      g_free (self->title);
      self->title = g_steal_pointer (&title);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }
}

static void
cn_record_constructed (GObject *object)
{
  CnRecord *self = CN_RECORD (object);

  G_OBJECT_CLASS (cn_record_parent_class)->constructed (object);

  if (self->data == NULL)
    self->data = json_object_new ();

  update_title (self);
}

static void
cn_record_finalize (GObject *object)
{
  CnRecord *self = CN_RECORD (object);

  g_clear_pointer (&self->collection, g_free);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->updated_at, g_free);
  g_clear_pointer (&self->updated_by, g_free);
  g_clear_pointer (&self->data, json_object_unref);
  g_clear_pointer (&self->title, g_free);

  G_OBJECT_CLASS (cn_record_parent_class)->finalize (object);
}

static void
cn_record_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CnRecord *self = CN_RECORD (object);

  switch (prop_id)
    {
    case PROP_COLLECTION:
      g_value_set_string (value, self->collection);
      break;
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_REV:
      g_value_set_int64 (value, self->rev);
      break;
    case PROP_DELETED:
      g_value_set_boolean (value, self->deleted);
      break;
    case PROP_UPDATED_AT:
      g_value_set_string (value, self->updated_at);
      break;
    case PROP_UPDATED_BY:
      g_value_set_string (value, self->updated_by);
      break;
    case PROP_SEQ:
      g_value_set_int64 (value, self->seq);
      break;
    case PROP_DATA:
      g_value_set_boxed (value, self->data);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cn_record_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CnRecord *self = CN_RECORD (object);

  switch (prop_id)
    {
    case PROP_COLLECTION:
      self->collection = g_value_dup_string (value);
      break;
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_REV:
      cn_record_set_rev (self, g_value_get_int64 (value));
      break;
    case PROP_DELETED:
      cn_record_set_deleted (self, g_value_get_boolean (value));
      break;
    case PROP_UPDATED_AT:
      cn_record_set_updated_at (self, g_value_get_string (value));
      break;
    case PROP_UPDATED_BY:
      cn_record_set_updated_by (self, g_value_get_string (value));
      break;
    case PROP_SEQ:
      cn_record_set_seq (self, g_value_get_int64 (value));
      break;
    case PROP_DATA:
      cn_record_set_data (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cn_record_class_init (CnRecordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = cn_record_constructed;
  object_class->finalize = cn_record_finalize;
  object_class->get_property = cn_record_get_property;
  object_class->set_property = cn_record_set_property;

  properties[PROP_COLLECTION] =
    g_param_spec_string ("collection", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REV] =
    g_param_spec_int64 ("rev", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DELETED] =
    g_param_spec_boolean ("deleted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPDATED_AT] =
    g_param_spec_string ("updated-at", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPDATED_BY] =
    g_param_spec_string ("updated-by", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEQ] =
    g_param_spec_int64 ("seq", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DATA] =
    g_param_spec_boxed ("data", NULL, NULL, JSON_TYPE_OBJECT,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cn_record_init (CnRecord *self)
{
}

/**
 * cn_record_new:
 * @data: (nullable): the fields; the record takes a reference (not a copy)
 *
 * Makes a record from its parts without validating them: see cn_record_validate().
 */
CnRecord *
cn_record_new (const char *collection,
               const char *id,
               gint64      rev,
               gboolean    deleted,
               const char *updated_at,
               const char *updated_by,
               JsonObject *data)
{
  g_return_val_if_fail (collection != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (rev >= 0, NULL);

  return g_object_new (CN_TYPE_RECORD,
                       "collection", collection,
                       "id", id,
                       "rev", rev,
                       "deleted", deleted,
                       "updated-at", updated_at,
                       "updated-by", updated_by,
                       "data", data,
                       NULL);
}

/**
 * cn_record_new_local:
 *
 * A new record made on this machine: a new time-ordered id (cn_id_new()), rev 0, updated_at now, no updated_by
 * (the store fills in the user).
 */
CnRecord *
cn_record_new_local (const char *collection,
                     JsonObject *data)
{
  g_autofree char *id = cn_id_new ();
  g_autofree char *now = cn_time_now_rfc3339 ();

  g_return_val_if_fail (collection != NULL, NULL);

  return cn_record_new (collection, id, 0, FALSE, now, NULL, data);
}

static JsonNode *copy_node (JsonNode *node);

static JsonObject *
copy_object (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    json_object_set_member (copy, name, copy_node (node));

  return copy;
}

/* json_node_copy() shares the objects and arrays inside: a base copy must not. */
static JsonNode *
copy_node (JsonNode *node)
{
  JsonNode *copy;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      copy = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (copy, copy_object (json_node_get_object (node)));
      return copy;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        JsonArray *array_copy = json_array_sized_new (n);

        for (guint i = 0; i < n; i++)
          json_array_add_element (array_copy, copy_node (json_array_get_element (array, i)));
        copy = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (copy, array_copy);
        return copy;
      }
    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      return json_node_copy (node);
    }
}

/**
 * cn_record_copy:
 *
 * A deep copy: changing the data of one does not change the other.
 */
CnRecord *
cn_record_copy (CnRecord *self)
{
  g_autoptr(JsonObject) data = NULL;
  CnRecord *copy;

  g_return_val_if_fail (CN_IS_RECORD (self), NULL);

  data = copy_object (self->data);
  copy = cn_record_new (self->collection, self->id, self->rev, self->deleted,
                        self->updated_at, self->updated_by, data);
  copy->seq = self->seq;

  return copy;
}

const char *
cn_record_get_id (CnRecord *self)
{
  g_return_val_if_fail (CN_IS_RECORD (self), NULL);

  return self->id;
}

const char *
cn_record_get_collection (CnRecord *self)
{
  g_return_val_if_fail (CN_IS_RECORD (self), NULL);

  return self->collection;
}

gint64
cn_record_get_rev (CnRecord *self)
{
  g_return_val_if_fail (CN_IS_RECORD (self), 0);

  return self->rev;
}

void
cn_record_set_rev (CnRecord *self,
                   gint64    rev)
{
  g_return_if_fail (CN_IS_RECORD (self));
  g_return_if_fail (rev >= 0);

  if (self->rev != rev)
    {
      self->rev = rev;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REV]);
    }
}

gboolean
cn_record_get_deleted (CnRecord *self)
{
  g_return_val_if_fail (CN_IS_RECORD (self), FALSE);

  return self->deleted;
}

void
cn_record_set_deleted (CnRecord *self,
                       gboolean  deleted)
{
  g_return_if_fail (CN_IS_RECORD (self));

  deleted = !!deleted;
  if (self->deleted != (guint) deleted)
    {
      self->deleted = deleted;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELETED]);
    }
}

const char *
cn_record_get_updated_at (CnRecord *self)
{
  g_return_val_if_fail (CN_IS_RECORD (self), NULL);

  return self->updated_at;
}

static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

void
cn_record_set_updated_at (CnRecord   *self,
                          const char *updated_at)
{
  g_return_if_fail (CN_IS_RECORD (self));

  if (replace_string (&self->updated_at, updated_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

const char *
cn_record_get_updated_by (CnRecord *self)
{
  g_return_val_if_fail (CN_IS_RECORD (self), NULL);

  return self->updated_by;
}

void
cn_record_set_updated_by (CnRecord   *self,
                          const char *updated_by)
{
  g_return_if_fail (CN_IS_RECORD (self));

  if (replace_string (&self->updated_by, updated_by))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_BY]);
}

gint64
cn_record_get_seq (CnRecord *self)
{
  g_return_val_if_fail (CN_IS_RECORD (self), 0);

  return self->seq;
}

void
cn_record_set_seq (CnRecord *self,
                   gint64    seq)
{
  g_return_if_fail (CN_IS_RECORD (self));
  g_return_if_fail (seq >= 0);

  if (self->seq != seq)
    {
      self->seq = seq;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEQ]);
    }
}

/**
 * cn_record_get_data:
 *
 * Returns: (transfer none): the fields. After changing them in place, call
 *   cn_record_set_data() with the same object so that the title follows.
 */
JsonObject *
cn_record_get_data (CnRecord *self)
{
  g_return_val_if_fail (CN_IS_RECORD (self), NULL);

  return self->data;
}

/**
 * cn_record_set_data:
 * @data: (nullable): the new fields (a reference is taken); %NULL for none
 */
void
cn_record_set_data (CnRecord   *self,
                    JsonObject *data)
{
  g_return_if_fail (CN_IS_RECORD (self));

  if (data != self->data)
    {
      JsonObject *old = self->data;

      self->data = data != NULL ? json_object_ref (data) : json_object_new ();
      g_clear_pointer (&old, json_object_unref);
    }

  /* During construction the title is made in constructed(). */
  if (self->collection != NULL)
    update_title (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA]);
}

/**
 * cn_record_get_title:
 *
 * Returns: the display title the schema gives the record (article.title, "number — title"
 *   of a document, "date — first topic" of a visit…), never %NULL.
 */
const char *
cn_record_get_title (CnRecord *self)
{
  g_return_val_if_fail (CN_IS_RECORD (self), NULL);

  return self->title;
}

static JsonNode *
get_member (CnRecord   *self,
            const char *field)
{
  g_return_val_if_fail (CN_IS_RECORD (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);

  return json_object_get_member (self->data, field);
}

static gboolean
node_holds (JsonNode *node,
            GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

const char *
cn_record_get_string (CnRecord   *self,
                      const char *field)
{
  JsonNode *node = get_member (self, field);

  return node_holds (node, G_TYPE_STRING) ? json_node_get_string (node) : NULL;
}

char *
cn_record_dup_string (CnRecord   *self,
                      const char *field)
{
  return g_strdup (cn_record_get_string (self, field));
}

gint64
cn_record_get_int (CnRecord   *self,
                   const char *field)
{
  JsonNode *node = get_member (self, field);

  return node_holds (node, G_TYPE_INT64) ? json_node_get_int (node) : 0;
}

gboolean
cn_record_get_bool (CnRecord   *self,
                    const char *field)
{
  JsonNode *node = get_member (self, field);

  return node_holds (node, G_TYPE_BOOLEAN) ? json_node_get_boolean (node) : FALSE;
}

/**
 * cn_record_dup_strv:
 *
 * Returns: (nullable): the strings of an array field (UUID arrays, tags…), skipping any
 *   element that is not a string; %NULL if the field is absent or not an array.
 */
char **
cn_record_dup_strv (CnRecord   *self,
                    const char *field)
{
  JsonNode *node = get_member (self, field);
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  builder = g_strv_builder_new ();
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (node_holds (element, G_TYPE_STRING))
        g_strv_builder_add (builder, json_node_get_string (element));
    }

  return g_strv_builder_end (builder);
}

static gboolean
invalid_key (GError     **error,
             const char  *key,
             const char  *expected)
{
  g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
               _("Field “%s” of the record must be %s"), key, expected);
  return FALSE;
}

/**
 * cn_record_validate:
 *
 * Checks the collection, id, rev, updated_at and, unless the record is deleted, its data
 * against the schema.
 */
gboolean
cn_record_validate (CnRecord  *self,
                    GError   **error)
{
  g_return_val_if_fail (CN_IS_RECORD (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (cn_schema_lookup (self->collection) == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID, _("Unknown collection “%s”"),
                   self->collection);
      return FALSE;
    }

  if (!cn_schema_is_valid_uuid (self->id))
    return invalid_key (error, "id", _("a lower-case UUID"));

  if (!cn_time_is_utc_rfc3339 (self->updated_at))
    return invalid_key (error, "updated_at",
                        _("a UTC date and time such as 2015-07-01T16:20:00Z"));

  if (self->deleted)
    return TRUE;

  return cn_schema_validate (self->collection, self->data, FALSE, error);
}

/**
 * cn_record_to_json:
 *
 * Returns: (transfer full): the wire form of the record; "seq" only when it is set.
 */
JsonNode *
cn_record_to_json (CnRecord *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (CN_IS_RECORD (self), NULL);

  json_builder_begin_object (builder);
  if (self->seq > 0)
    {
      json_builder_set_member_name (builder, "seq");
      json_builder_add_int_value (builder, self->seq);
    }
  json_builder_set_member_name (builder, "collection");
  json_builder_add_string_value (builder, self->collection);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "rev");
  json_builder_add_int_value (builder, self->rev);
  json_builder_set_member_name (builder, "deleted");
  json_builder_add_boolean_value (builder, self->deleted);
  json_builder_set_member_name (builder, "updated_at");
  if (self->updated_at != NULL)
    json_builder_add_string_value (builder, self->updated_at);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "updated_by");
  if (self->updated_by != NULL)
    json_builder_add_string_value (builder, self->updated_by);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "data");
  {
    JsonNode *data = json_node_new (JSON_NODE_OBJECT);

    json_node_take_object (data, copy_object (self->data));
    json_builder_add_value (builder, data);
  }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Reads the wire key @key: FALSE with @error set if it is required and missing, or present
 * and not a @type (a negative number for G_TYPE_INT64). *out is NULL when it is absent. */
static gboolean
read_key (JsonObject  *object,
          const char  *key,
          GType        type,
          gboolean     required,
          const char  *expected,
          JsonNode   **out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  *out = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("Field “%s” of the record is required"), key);
      return FALSE;
    }

  if (!node_holds (node, type) || (type == G_TYPE_INT64 && json_node_get_int (node) < 0))
    return invalid_key (error, key, expected);

  *out = node;
  return TRUE;
}

/**
 * cn_record_from_json:
 *
 * Reads a record in its wire form, validating it all (see the top of cn-record.h).
 * The record gets a deep copy of the data.
 *
 * Returns: (transfer full): the record, or %NULL with @error set
 */
static CnRecord *
record_from_json (JsonNode  *node,
                  gboolean   share_data,
                  GError   **error);

CnRecord *
cn_record_from_json (JsonNode  *node,
                     GError   **error)
{
  return record_from_json (node, FALSE, error);
}

static CnRecord *
record_from_json (JsonNode  *node,
                  gboolean   share_data,
                  GError   **error)
{
  g_autoptr(CnRecord) record = NULL;
  g_autoptr(JsonObject) data = NULL;
  const char *number = _("a whole number, zero or more");
  const char *uuid = _("a lower-case UUID");
  const char *timestamp = _("a UTC date and time such as 2015-07-01T16:20:00Z");
  JsonNode *collection, *id, *rev, *seq, *deleted, *updated_at, *updated_by, *member;
  JsonObject *object;
  JsonObjectIter iter;
  const char *name;
  gboolean is_deleted;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID, _("A record must be a JSON object"));
      return NULL;
    }
  object = json_node_get_object (node);

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    {
      if (!g_strv_contains (wire_keys, name))
        {
          g_set_error (error, CN_ERROR, CN_ERROR_UNKNOWN_FIELD,
                       _("Unknown field “%s” in a record"), name);
          return NULL;
        }
    }

  if (!read_key (object, "collection", G_TYPE_STRING, TRUE, _("a collection name"), &collection,
                 error) ||
      !read_key (object, "id", G_TYPE_STRING, TRUE, uuid, &id, error) ||
      !read_key (object, "rev", G_TYPE_INT64, TRUE, number, &rev, error) ||
      !read_key (object, "seq", G_TYPE_INT64, FALSE, number, &seq, error) ||
      !read_key (object, "deleted", G_TYPE_BOOLEAN, FALSE, _("true or false"), &deleted, error) ||
      !read_key (object, "updated_at", G_TYPE_STRING, TRUE, timestamp, &updated_at, error) ||
      !read_key (object, "updated_by", G_TYPE_STRING, FALSE, _("a user name"), &updated_by,
                 error))
    return NULL;

  if (cn_schema_lookup (json_node_get_string (collection)) == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID, _("Unknown collection “%s”"),
                   json_node_get_string (collection));
      return NULL;
    }
  if (!cn_schema_is_valid_uuid (json_node_get_string (id)))
    {
      invalid_key (error, "id", uuid);
      return NULL;
    }
  if (!cn_time_is_utc_rfc3339 (json_node_get_string (updated_at)))
    {
      invalid_key (error, "updated_at", timestamp);
      return NULL;
    }
  is_deleted = deleted != NULL && json_node_get_boolean (deleted);

  member = json_object_get_member (object, "data");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    {
      if (!is_deleted)
        {
          g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                       _("Field “%s” of the record is required"), "data");
          return NULL;
        }
      data = json_object_new ();
    }
  else if (!JSON_NODE_HOLDS_OBJECT (member))
    {
      invalid_key (error, "data", _("an object"));
      return NULL;
    }
  else if (share_data)
    data = json_object_ref (json_node_get_object (member));
  else
    data = copy_object (json_node_get_object (member));

  if (!is_deleted && !cn_schema_validate (json_node_get_string (collection), data, FALSE, error))
    return NULL;

  record = cn_record_new (json_node_get_string (collection), json_node_get_string (id),
                          json_node_get_int (rev), is_deleted, json_node_get_string (updated_at),
                          updated_by != NULL ? json_node_get_string (updated_by) : NULL, data);
  record->seq = seq != NULL ? json_node_get_int (seq) : 0;

  return g_steal_pointer (&record);
}

/**
 * cn_record_array_from_json:
 *
 * Reads a JSON array of records (a sample file, a page of changes).
 *
 * Returns: (transfer full) (element-type CnRecord): the records, or %NULL with @error set
 *   naming the position of the first bad one
 */
static GPtrArray *
record_array_from_json (JsonNode  *node,
                        gboolean   share_data,
                        GError   **error);

GPtrArray *
cn_record_array_from_json (JsonNode  *node,
                           GError   **error)
{
  return record_array_from_json (node, FALSE, error);
}

/**
 * cn_record_array_from_json_shared:
 *
 * Like cn_record_array_from_json(), but each record holds the data object of @node itself,
 * not a copy: for a tree read once and then dropped (a page of changes). Nothing may change
 * @node's objects afterwards.
 */
GPtrArray *
cn_record_array_from_json_shared (JsonNode  *node,
                                  GError   **error)
{
  return record_array_from_json (node, TRUE, error);
}

static GPtrArray *
record_array_from_json (JsonNode  *node,
                        gboolean   share_data,
                        GError   **error)
{
  g_autoptr(GPtrArray) records = NULL;
  JsonArray *array;
  guint n;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID, _("Expected a JSON array of records"));
      return NULL;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  records = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      CnRecord *record = record_from_json (json_array_get_element (array, i), share_data,
                                           error);

      if (record == NULL)
        {
          /* Translators: prefix of an error, the position of a record in a list (from 1) */
          g_prefix_error (error, _("Record %u: "), i + 1);
          return NULL;
        }
      g_ptr_array_add (records, record);
    }

  return g_steal_pointer (&records);
}

char *
cn_record_to_string (CnRecord *self)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (CN_IS_RECORD (self), NULL);

  node = cn_record_to_json (self);
  return json_to_string (node, FALSE);
}

CnRecord *
cn_record_from_string (const char  *json,
                       gssize       len,
                       GError     **error)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  node = cn_json_parse_checked (json, len, error);
  if (node == NULL)
    return NULL;

  return cn_record_from_json (node, error);
}

typedef enum {
  SCAN_OK,
  SCAN_TOO_DEEP,
  SCAN_NUL_ESCAPE,
} ScanResult;

/* Checks, outside and inside strings, what json-glib would not: nesting deeper than @limit
 * arrays and objects, and the escape \u0000, which json-glib 1.6 silently cuts the string
 * at. Tells whether any \u escape is there (the only way to write a lone surrogate). */
static ScanResult
scan_json (const char *json,
           gsize       len,
           guint       limit,
           gboolean   *has_u_escape)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  *has_u_escape = FALSE;
  for (gsize i = 0; i < len; i++)
    {
      char c = json[i];

      if (in_string)
        {
          if (c == '\\')
            {
              if (i + 1 < len && json[i + 1] == 'u')
                *has_u_escape = TRUE;
              if (i + 5 < len && json[i + 1] == 'u' && strncmp (json + i + 2, "0000", 4) == 0)
                return SCAN_NUL_ESCAPE;
              i++;
            }
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > limit)
            return SCAN_TOO_DEEP;
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }

  return SCAN_OK;
}

/**
 * cn_json_node_is_valid_utf8:
 * @node: a JSON tree
 *
 * Whether every member name and string in @node is valid UTF-8. json-glib 1.6 turns an
 * escaped lone surrogate ("\ud800") into bytes that are not UTF-8, and data built in C (an
 * importer) can hold any bytes.
 */
gboolean
cn_json_node_is_valid_utf8 (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          {
            if (!g_utf8_validate (name, -1, NULL) || !cn_json_node_is_valid_utf8 (member))
              return FALSE;
          }
        return TRUE;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (!cn_json_node_is_valid_utf8 (json_array_get_element (array, i)))
              return FALSE;
          }
        return TRUE;
      }
    case JSON_NODE_VALUE:
      return json_node_get_value_type (node) != G_TYPE_STRING ||
             g_utf8_validate (json_node_get_string (node), -1, NULL);
    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

/**
 * cn_json_parse_checked:
 * @json: JSON text from outside (a request body, a file)
 * @len: its length in bytes, or -1 if nul-terminated
 *
 * Parses JSON text that may be hostile: it must be valid UTF-8 without nul bytes (raw or
 * escaped) and nest at most %CN_JSON_MAX_DEPTH arrays and objects deep; these are checked
 * before json-glib sees it, so that deep nesting cannot exhaust the stack. The strings
 * json-glib makes are checked again after parsing (escaped lone surrogates).
 *
 * Returns: (transfer full): the root node, or %NULL with @error set (CN_ERROR_INVALID)
 */
JsonNode *
cn_json_parse_checked (const char  *json,
                       gssize       len,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;
  gboolean has_u_escape;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (json == NULL)
    json = "";
  if (len < 0)
    len = strlen (json);

  if (!g_utf8_validate_len (json, len, NULL))
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID, _("The JSON text is not valid UTF-8"));
      return NULL;
    }

  switch (scan_json (json, len, CN_JSON_MAX_DEPTH, &has_u_escape))
    {
    case SCAN_TOO_DEEP:
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("The JSON text nests more than %d levels deep"), CN_JSON_MAX_DEPTH);
      return NULL;
    case SCAN_NUL_ESCAPE:
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("The JSON text holds a nul character (\\u0000)"));
      return NULL;
    case SCAN_OK:
    default:
      break;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, len, &parse_error))
    {
      /* json-glib's scanner quotes single bytes of the text: keep the message UTF-8 */
      g_autofree char *message = g_utf8_make_valid (parse_error->message, -1);

      g_set_error (error, CN_ERROR, CN_ERROR_INVALID, _("Invalid JSON: %s"), message);
      return NULL;
    }

  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID, _("The JSON text is empty"));
      return NULL;
    }

  /* The text is valid UTF-8: only a \u escape can make a string that is not (a page of
   * changes, megabytes of text, has none, and is not walked again). */
  if (has_u_escape && !cn_json_node_is_valid_utf8 (root))
    {
      json_node_unref (root);
      g_set_error (error, CN_ERROR, CN_ERROR_INVALID,
                   _("The JSON text escapes a character that does not exist (a lone "
                     "surrogate such as \\ud800)"));
      return NULL;
    }

  return root;
}
