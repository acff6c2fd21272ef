/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cn-record.h"
#include "cn-store.h"

G_BEGIN_DECLS

#define CN_TYPE_RECORD_EDITOR (cn_record_editor_get_type ())

G_DECLARE_FINAL_TYPE (CnRecordEditor, cn_record_editor, CN, RECORD_EDITOR, AdwWindow)

/* Writes the data the user confirmed; returns FALSE with @error set to keep the form open
 * and show the error. @record is NULL when the form creates a record. */
typedef gboolean (*CnRecordEditorSaveFunc) (CnRecordEditor  *editor,
                                            CnRecord        *record,
                                            JsonObject      *data,
                                            gpointer         user_data,
                                            GError         **error);

CnRecordEditor *cn_record_editor_new            (const char              *collection,
                                                 CnRecord                *record);
const char     *cn_record_editor_get_collection (CnRecordEditor          *self);
CnRecord       *cn_record_editor_get_record     (CnRecordEditor          *self);
void            cn_record_editor_set_choices    (CnRecordEditor          *self,
                                                 const char              *field,
                                                 GListModel              *records);
void            cn_record_editor_load_choices   (CnRecordEditor          *self);
gboolean        cn_record_editor_get_choices_pending (CnRecordEditor     *self);
void            cn_record_editor_set_value      (CnRecordEditor          *self,
                                                 const char              *field,
                                                 JsonNode                *value);
void            cn_record_editor_hide_field     (CnRecordEditor          *self,
                                                 const char              *field);
void            cn_record_editor_set_read_only  (CnRecordEditor          *self,
                                                 gboolean                 read_only,
                                                 const char              *explanation);
void            cn_record_editor_set_save_func  (CnRecordEditor          *self,
                                                 CnRecordEditorSaveFunc   func,
                                                 gpointer                 user_data,
                                                 GDestroyNotify           destroy);
gboolean        cn_record_editor_get_read_only  (CnRecordEditor          *self);
gboolean        cn_record_editor_get_modified   (CnRecordEditor          *self);
JsonObject     *cn_record_editor_collect        (CnRecordEditor          *self,
                                                 GError                 **error);
gboolean        cn_record_editor_save           (CnRecordEditor          *self);

void            cn_record_editor_set_store      (CnRecordEditor          *self,
                                                 CnStore                 *store);
void            cn_record_editor_add_attachment_async  (CnRecordEditor       *self,
                                                        GFile                *file,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean        cn_record_editor_add_attachment_finish (CnRecordEditor       *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

char           *cn_record_editor_parse_date     (const char              *text);
char           *cn_record_editor_format_date    (const char              *iso);

G_END_DECLS
