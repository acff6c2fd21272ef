/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-rows"

#include "config.h"

#include "cn-row-feeder.h"

/* Rows a tick: a row of wrapped Vietnamese text and a few labels takes 5–10 ms to lay
 * out on a 2.6 GHz Xeon. */
#define ROWS_PER_TICK 2
/* Rows an idle: finalizing a page's hundreds of rows at once holds the main loop as long as
 * laying them out. */
#define RETIRED_ROWS_PER_IDLE 8

typedef struct
{
  GtkWidget         *list;   /* GtkListBox or AdwPreferencesGroup */
  GtkWidget         *row;    /* or, made when its turn comes: */
  CnRowFeederMake    make;
  gpointer           data;
  GDestroyNotify     destroy;
} Pending;

struct _CnRowFeeder
{
  GObject  parent_instance;

  GQueue     pending;
  GtkWidget *ticking;   /* the widget whose frame clock feeds the rows */
  guint      tick_id;
  guint      burst;     /* rows added at once since the last frame */
  GPtrArray *retired;   /* lists taken off screen, emptied a few rows an idle */
  guint      retire_id;
};

G_DEFINE_FINAL_TYPE (CnRowFeeder, cn_row_feeder, G_TYPE_OBJECT)

static void
pending_free (gpointer data)
{
  Pending *p = data;

  g_object_unref (p->list);
  g_clear_object (&p->row);
  if (p->destroy != NULL)
    p->destroy (p->data);
  g_free (p);
}

static void
append (Pending *p)
{
  if (p->row == NULL)
    p->row = g_object_ref_sink (p->make (p->data));
  if (ADW_IS_PREFERENCES_GROUP (p->list))
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (p->list), p->row);
  else
    gtk_list_box_append (GTK_LIST_BOX (p->list), p->row);
}

static void
stop_ticking (CnRowFeeder *self)
{
  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (self->ticking, self->tick_id);
  self->tick_id = 0;
  g_clear_object (&self->ticking);
  self->burst = 0;
}

/* Once a frame, before its layout: the layout then measures only the rows just added. */
static gboolean
feed_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  CnRowFeeder *self = CN_ROW_FEEDER (user_data);

  for (guint i = 0; i < ROWS_PER_TICK && !g_queue_is_empty (&self->pending); i++)
    {
      Pending *p = g_queue_pop_head (&self->pending);

      /* A list taken away meanwhile (the page rebuilt) gets nothing. */
      if (gtk_widget_get_parent (p->list) != NULL)
        append (p);
      pending_free (p);
    }
  if (!g_queue_is_empty (&self->pending))
    return G_SOURCE_CONTINUE;
  self->tick_id = 0;
  g_clear_object (&self->ticking);
  self->burst = 0;
  return G_SOURCE_REMOVE;
}

CnRowFeeder *
cn_row_feeder_new (void)
{
  return g_object_new (CN_TYPE_ROW_FEEDER, NULL);
}

static void
push (CnRowFeeder *self,
      Pending     *p)
{
  if (self->tick_id == 0)
    {
      self->ticking = g_object_ref (p->list);
      self->tick_id = gtk_widget_add_tick_callback (p->list, feed_cb, self, NULL);
    }
  if (g_queue_is_empty (&self->pending) && self->burst < ROWS_PER_TICK)
    {
      /* The first rows of a page show with it. */
      self->burst++;
      append (p);
      pending_free (p);
      return;
    }
  g_queue_push_tail (&self->pending, p);
}

/**
 * cn_row_feeder_add:
 * @self: a #CnRowFeeder
 * @list: a #GtkListBox or an #AdwPreferencesGroup
 * @row: (transfer floating): a row for it
 *
 * Adds @row to @list after the rows queued before it: the first ones at once, the others a
 * few in each frame of @list's window.
 */
void
cn_row_feeder_add (CnRowFeeder *self,
                   GtkWidget   *list,
                   GtkWidget   *row)
{
  Pending *p;

  g_return_if_fail (CN_IS_ROW_FEEDER (self));

  p = g_new0 (Pending, 1);
  p->list = g_object_ref (list);
  p->row = g_object_ref_sink (row);
  push (self, p);
}

/**
 * cn_row_feeder_add_lazy:
 * @self: a #CnRowFeeder
 * @list: a #GtkListBox or an #AdwPreferencesGroup
 * @make: makes the row when its turn comes (making a row costs too)
 * @data: for @make
 * @destroy: (nullable): frees @data
 */
void
cn_row_feeder_add_lazy (CnRowFeeder     *self,
                        GtkWidget       *list,
                        CnRowFeederMake  make,
                        gpointer         data,
                        GDestroyNotify   destroy)
{
  Pending *p;

  g_return_if_fail (CN_IS_ROW_FEEDER (self));

  p = g_new0 (Pending, 1);
  p->list = g_object_ref (list);
  p->make = make;
  p->data = data;
  p->destroy = destroy;
  push (self, p);
}

/* The GtkListBox holding @widget's rows (an AdwPreferencesGroup keeps them in one). */
static GtkWidget *
find_list_box (GtkWidget *widget)
{
  if (GTK_IS_LIST_BOX (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_list_box (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
retire_some_cb (gpointer user_data)
{
  CnRowFeeder *self = CN_ROW_FEEDER (user_data);

  for (guint i = 0; i < RETIRED_ROWS_PER_IDLE && self->retired->len > 0; i++)
    {
      GtkWidget *widget = g_ptr_array_index (self->retired, self->retired->len - 1);
      GtkWidget *list = find_list_box (widget);
      GtkListBoxRow *row = list != NULL ? gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0) : NULL;

      if (row != NULL)
        gtk_list_box_remove (GTK_LIST_BOX (list), GTK_WIDGET (row));
      else
        g_ptr_array_remove_index (self->retired, self->retired->len - 1);
    }
  if (self->retired->len > 0)
    return G_SOURCE_CONTINUE;
  self->retire_id = 0;
  return G_SOURCE_REMOVE;
}

/**
 * cn_row_feeder_retire:
 * @self: a #CnRowFeeder
 * @widget: (transfer full): a list or group just taken off screen
 *
 * Drops @widget's rows a few at a time when the main loop is idle, then @widget.
 */
void
cn_row_feeder_retire (CnRowFeeder *self,
                      GtkWidget   *widget)
{
  g_return_if_fail (CN_IS_ROW_FEEDER (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  g_ptr_array_add (self->retired, widget);
  if (self->retire_id == 0)
    self->retire_id = g_idle_add_full (G_PRIORITY_LOW, retire_some_cb, self, NULL);
}

/* Drops the rows not added yet. */
void
cn_row_feeder_clear (CnRowFeeder *self)
{
  g_return_if_fail (CN_IS_ROW_FEEDER (self));

  g_queue_clear_full (&self->pending, pending_free);
  stop_ticking (self);
}

gboolean
cn_row_feeder_is_busy (CnRowFeeder *self)
{
  g_return_val_if_fail (CN_IS_ROW_FEEDER (self), FALSE);

  return !g_queue_is_empty (&self->pending);
}

static void
cn_row_feeder_dispose (GObject *object)
{
  CnRowFeeder *self = CN_ROW_FEEDER (object);

  cn_row_feeder_clear (self);
  g_clear_handle_id (&self->retire_id, g_source_remove);
  g_ptr_array_set_size (self->retired, 0);

  G_OBJECT_CLASS (cn_row_feeder_parent_class)->dispose (object);
}

static void
cn_row_feeder_finalize (GObject *object)
{
  CnRowFeeder *self = CN_ROW_FEEDER (object);

  g_ptr_array_unref (self->retired);

  G_OBJECT_CLASS (cn_row_feeder_parent_class)->finalize (object);
}

static void
cn_row_feeder_class_init (CnRowFeederClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cn_row_feeder_dispose;
  G_OBJECT_CLASS (klass)->finalize = cn_row_feeder_finalize;
}

static void
cn_row_feeder_init (CnRowFeeder *self)
{
  g_queue_init (&self->pending);
  self->retired = g_ptr_array_new_with_free_func (g_object_unref);
}
