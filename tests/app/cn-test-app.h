/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cn-application.h"

G_BEGIN_DECLS

/* For GTK tests of the app: points GSettings and the translations at the build tree
 * (CAUNOI_BUILD_DIR), XDG_DATA/CONFIG/CACHE_HOME at a new temporary directory, the language
 * at English; turns accessibility off (GTK_A11Y=none); binds the text domain and initializes
 * GTK. Returns the temporary directory. */
char          *cn_test_app_init          (int          *argc,
                                          char       ***argv,
                                          const char   *name);
/* A CnApplication registered as non-unique: several tests share one session bus. */
CnApplication *cn_test_app_new           (void);
/* Removes the temporary directory and what the test left in it. */
void           cn_test_app_remove_home   (const char   *home);
/* Runs the main context until nothing is pending. */
void           cn_test_app_iterate       (void);
/* The first widget under @root bound to @action_name, or NULL. */
GtkWidget     *cn_test_app_find_actionable (GtkWidget  *root,
                                            const char *action_name);
/* The first widget under @root (or @root) of @type whose title (a preferences row's) or
 * label (a button's) is @title_or_label, or any of @type when it is NULL; or NULL. */
GtkWidget     *cn_test_app_find_widget   (GtkWidget    *root,
                                          GType         type,
                                          const char   *title_or_label);

G_END_DECLS
