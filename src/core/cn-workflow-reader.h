/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "cn-record.h"

G_BEGIN_DECLS

/*
 * CnWorkflowReader: the Delegations section's reads of a whole district or province, done
 * in SQL on a read-only connection of its own, so that they can run in a worker thread
 * while the application's CnStore stays on the main thread. It sums tasks, sessions and
 * assessments from the store's narrow indexed columns (cn_store_indexed_fields()) instead
 * of building a CnRecord for each, and lists the titles of a collection without parsing
 * its records. The exports read a delegation's sessions and tasks through it, filtered in
 * SQL on those columns. One reader is used by one thread at a time.
 */

typedef struct _CnWorkflowReader CnWorkflowReader;

/* A commune (or town, ward) of the overview. Strings are NULL when absent. */
typedef struct
{
  char  *id;
  char  *name;
  char  *region;         /* the unit's region, else its delegation's */
  char  *delegation;     /* the title of the first delegation (by title) covering it */
  char  *member;         /* the member in charge, from the latest current assignment */
  char  *sponsor;        /* the sponsoring department, likewise */
  char  *last_visit;     /* YYYY-MM-DD of the latest working session */
  guint  open_tasks;     /* neither done nor dropped */
  guint  overdue_tasks;  /* open and due before today */
  guint  met;            /* criteria whose latest assessment is "met" */
} CnCommuneSummary;

/* Which tasks cn_workflow_reader_tasks() reads: the ones that match every field set. */
typedef struct
{
  const char *status;         /* NULL: any */
  const char *commune_id;     /* NULL: any */
  const char *owner_id;       /* NULL: any */
  gboolean    in_delegation;  /* only the tasks in the communes of delegation_id (none when
                               * it is NULL or unknown) … */
  const char *delegation_id;
  const char *source_id;      /* … or, when not NULL, the tasks made from this record */
} CnTaskSelection;

/* The title of the record @id, or "" (transfer full). */
typedef char *(*CnTitleFunc) (gpointer    user_data,
                              const char *id);

/* A record's id and display title. */
typedef struct
{
  char *id;
  char *title;
} CnIdTitle;

CnWorkflowReader *cn_workflow_reader_open               (const char        *path,
                                                         GError           **error);
void              cn_workflow_reader_free               (CnWorkflowReader  *self);
gboolean          cn_workflow_reader_begin              (CnWorkflowReader  *self,
                                                         GError           **error);
void              cn_workflow_reader_end                (CnWorkflowReader  *self);
GPtrArray        *cn_workflow_reader_commune_summaries  (CnWorkflowReader  *self,
                                                         const char        *today,
                                                         GError           **error);
GPtrArray        *cn_workflow_reader_titles             (CnWorkflowReader  *self,
                                                         const char        *collection,
                                                         gboolean           communes_only,
                                                         GError           **error);
GPtrArray        *cn_workflow_reader_unit_titles        (CnWorkflowReader  *self,
                                                         const char *const *kinds,
                                                         GError           **error);
CnRecord         *cn_workflow_reader_get                (CnWorkflowReader  *self,
                                                         const char        *id,
                                                         GError           **error);
char             *cn_workflow_reader_dup_title          (CnWorkflowReader  *self,
                                                         const char        *id);
char             *cn_workflow_reader_dup_names          (CnWorkflowReader  *self,
                                                         CnRecord          *record,
                                                         const char        *field);
GPtrArray        *cn_workflow_reader_sessions           (CnWorkflowReader  *self,
                                                         const char        *delegation_id,
                                                         const char        *until,
                                                         GError           **error);
GPtrArray        *cn_workflow_reader_tasks              (CnWorkflowReader  *self,
                                                         const CnTaskSelection *selection,
                                                         GError           **error);
char             *cn_join_titles                        (const char * const *ids,
                                                         CnTitleFunc        title_of,
                                                         gpointer           user_data);
void              cn_commune_summary_free               (CnCommuneSummary  *summary);
void              cn_id_title_free                      (CnIdTitle         *item);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CnWorkflowReader, cn_workflow_reader_free)

G_END_DECLS
