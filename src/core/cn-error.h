/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CN_ERROR (cn_error_quark ())

/* One error domain for the whole project; messages are translated and say what to do. */
typedef enum {
  CN_ERROR_FAILED,
  CN_ERROR_INVALID,        /* a record or a value that does not validate */
  CN_ERROR_UNKNOWN_FIELD,  /* a field the collection does not have */
  CN_ERROR_NOT_FOUND,
  CN_ERROR_CONFLICT,
  CN_ERROR_STORE,          /* the local database could not be read or written */
  CN_ERROR_NETWORK,
  CN_ERROR_AUTH,
  CN_ERROR_FORBIDDEN,
  CN_ERROR_SERVER,         /* a malformed or unexpected server answer */
  CN_ERROR_GONE,           /* the server purged history past our cursor (410) */
  CN_ERROR_FEED,           /* a broken RSS feed */
  CN_ERROR_CERTIFICATE,    /* a server certificate the system does not trust and the user
                            * has not confirmed (the message shows its SHA-256) */
} CnError;

GQuark cn_error_quark (void);

G_END_DECLS
