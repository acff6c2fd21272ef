/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi"

#include "config.h"

#include <glib/gi18n.h>

#include "cn-delegations-view.h"

/* The Delegations section: the page CnWindow shows under “Delegations”. Until the section is built it
 * shows an empty state that says where its content will come from. */
struct _CnDelegationsView
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (CnDelegationsView, cn_delegations_view, ADW_TYPE_BIN)

static void
cn_delegations_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CN_TYPE_DELEGATIONS_VIEW);

  G_OBJECT_CLASS (cn_delegations_view_parent_class)->dispose (object);
}

static void
cn_delegations_view_class_init (CnDelegationsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cn_delegations_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/hatinh/nongthonmoi/CauNoi/cn-delegations-view.ui");
}

static void
cn_delegations_view_init (CnDelegationsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
