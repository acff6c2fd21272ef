/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-picker"

#include "config.h"

#include <glib/gi18n.h>

#include "cn-choice-picker.h"
#include "cn-delegations-view.h"
#include "cn-fold.h"
#include "cn-workflow-reader.h"
#include "cn-wrap-box.h"

/* A multiple choice among thousands of records (the people who led a working session, a
 * delegation's members): the chosen ones are chips the user can remove; "Add…" opens a
 * popover with a search entry over a lazy list, where a row per choice, built only while
 * it shows, carries a check mark. The search folds tone marks and case: "tran quy" finds
 * "Trần Quý". The picker keeps the chosen ids in the order they were chosen; an id that is
 * not among the choices (a record not in the store) stays chosen under the title it had. */

typedef struct
{
  char *title;
  char *folded;   /* computed on the first search */
} Choice;

struct _CnChoicePicker
{
  GtkWidget          parent_instance;

  GtkWidget         *box;
  GtkLabel          *title_label;
  GtkWidget         *add_button;
  CnWrapBox         *chips;
  GtkWidget         *empty_label;
  GtkPopover        *popover;
  GtkSearchEntry    *search_entry;
  GtkListView       *list_view;
  GtkLabel          *status_label;

  char              *title;
  GHashTable        *choices;      /* id → Choice */
  GtkStringList     *ids;          /* the choices' ids, in order */
  GtkFilterListModel *filtered;    /* set on the list when the popover first opens */
  GtkCustomFilter   *filter;
  char             **words;        /* the folded search, split on spaces */
  GPtrArray         *chosen;       /* ids, owned */
  GHashTable        *bound;        /* GtkCheckButton of a shown row → nothing */
  gboolean           pending;
  gboolean           editable;
};

G_DEFINE_FINAL_TYPE (CnChoicePicker, cn_choice_picker, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
choice_free (gpointer data)
{
  Choice *choice = data;

  g_free (choice->title);
  g_free (choice->folded);
  g_free (choice);
}

static Choice *
choice_new (const char *title)
{
  Choice *choice = g_new0 (Choice, 1);

  choice->title = g_strdup (title != NULL ? title : "");
  return choice;
}

static const char *
title_of (CnChoicePicker *self,
          const char     *id)
{
  Choice *choice = g_hash_table_lookup (self->choices, id);

  return choice != NULL && choice->title[0] != '\0' ? choice->title : id;
}

static gint
chosen_index (CnChoicePicker *self,
              const char     *id)
{
  for (guint i = 0; i < self->chosen->len; i++)
    if (g_str_equal (g_ptr_array_index (self->chosen, i), id))
      return (gint) i;
  return -1;
}

/* Chips */

static void remove_clicked_cb (GtkButton      *button,
                               CnChoicePicker *self);

static GtkWidget *
make_chip (CnChoicePicker *self,
           const char     *id)
{
  const char *title = title_of (self, id);
  GtkWidget *chip = g_object_new (GTK_TYPE_BOX,
                                  "accessible-role", GTK_ACCESSIBLE_ROLE_LIST_ITEM,
                                  "spacing", 2,
                                  NULL);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *remove = gtk_button_new_from_icon_name ("window-close-symbolic");
  /* Translators: accessible label of the button taking a chosen person (or other record)
   * out of a form's field, %s is their name */
  g_autofree char *remove_label = g_strdup_printf (_("Remove “%s”"), title);

  gtk_widget_add_css_class (chip, "cn-chip");
  gtk_accessible_update_property (GTK_ACCESSIBLE (chip), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
  gtk_widget_set_tooltip_text (label, title);
  gtk_box_append (GTK_BOX (chip), label);

  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_add_css_class (remove, "circular");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  remove_label, -1);
  gtk_widget_set_visible (remove, self->editable);
  g_object_set_data_full (G_OBJECT (remove), "id", g_strdup (id), g_free);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
  gtk_box_append (GTK_BOX (chip), remove);
  return chip;
}

static void
update_chips (CnChoicePicker *self)
{
  cn_wrap_box_remove_all (self->chips);
  for (guint i = 0; i < self->chosen->len; i++)
    cn_wrap_box_append (self->chips, make_chip (self, g_ptr_array_index (self->chosen, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->chips), self->chosen->len > 0);
  gtk_widget_set_visible (self->empty_label, self->chosen->len == 0);
}

/* The rows that show: their check marks follow the chosen ids. */
static void
update_checks (CnChoicePicker *self)
{
  GHashTableIter iter;
  gpointer check;

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &check, NULL))
    {
      const char *id = g_object_get_data (check, "id");

      g_signal_handlers_block_matched (check, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
      gtk_check_button_set_active (check, id != NULL && chosen_index (self, id) >= 0);
      g_signal_handlers_unblock_matched (check, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
    }
}

/* A change by the user. */
static void
set_chosen_by_user (CnChoicePicker *self,
                    const char     *id,
                    gboolean        chosen)
{
  gint index = chosen_index (self, id);

  if (!self->editable || (index >= 0) == chosen)
    return;
  if (chosen)
    g_ptr_array_add (self->chosen, g_strdup (id));
  else
    g_ptr_array_remove_index (self->chosen, (guint) index);
  update_chips (self);
  update_checks (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
remove_clicked_cb (GtkButton      *button,
                   CnChoicePicker *self)
{
  g_autofree char *id = g_strdup (g_object_get_data (G_OBJECT (button), "id"));
  gint index = chosen_index (self, id);

  if (index < 0 || !self->editable)
    return;
  set_chosen_by_user (self, id, FALSE);
  /* The chip had the focus: give it to the next chip, or to "Add…". */
  if ((guint) index < self->chosen->len)
    {
      GtkWidget *chip = gtk_widget_get_first_child (GTK_WIDGET (self->chips));

      for (gint i = 0; i < index && chip != NULL; i++)
        chip = gtk_widget_get_next_sibling (chip);
      if (chip != NULL && gtk_widget_get_last_child (chip) != NULL)
        {
          gtk_widget_grab_focus (gtk_widget_get_last_child (chip));
          return;
        }
    }
  gtk_widget_grab_focus (self->add_button);
}

/* The list */

static gboolean
match_cb (gpointer item,
          gpointer user_data)
{
  CnChoicePicker *self = user_data;
  const char *id = gtk_string_object_get_string (item);
  Choice *choice;

  if (self->words == NULL || self->words[0] == NULL)
    return TRUE;
  choice = g_hash_table_lookup (self->choices, id);
  if (choice == NULL)
    return FALSE;
  if (choice->folded == NULL)
    choice->folded = cn_fold (choice->title, -1);
  for (guint i = 0; self->words[i] != NULL; i++)
    if (strstr (choice->folded, self->words[i]) == NULL)
      return FALSE;
  return TRUE;
}

static void
update_status (CnChoicePicker *self)
{
  guint shown = self->filtered != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) : 0;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *status = NULL;

  if (self->pending)
    status = g_strdup (_("Still reading the list; only the current choices are offered."));
  else if (shown == 0 && text[0] != '\0')
    /* Translators: shown when the search in a form's list of choices finds nothing */
    status = g_strdup_printf (_("Nothing matches “%s”."), text);
  else if (shown == 0)
    status = g_strdup (_("There is nothing to choose from."));
  gtk_label_set_text (self->status_label, status != NULL ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), status != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->list_view), shown > 0);
}

static void
search_changed_cb (CnChoicePicker *self)
{
  g_autofree char *folded = cn_fold (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), -1);

  g_strfreev (self->words);
  self->words = g_strsplit_set (g_strstrip (folded), " \t", -1);
  /* Consecutive spaces leave empty words, which match anything anyway. */
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_status (self);
}

static char *
dup_shown_id (CnChoicePicker *self,
              guint           position)
{
  g_autoptr(GtkStringObject) item = NULL;

  if (self->filtered == NULL || position >= g_list_model_get_n_items (G_LIST_MODEL (self->filtered)))
    return NULL;
  item = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);
  return g_strdup (gtk_string_object_get_string (item));
}

/* Enter in the search: choose the first match, and select the text for the next name. */
static void
search_activate_cb (CnChoicePicker *self)
{
  g_autofree char *id = dup_shown_id (self, 0);

  if (id == NULL)
    return;
  set_chosen_by_user (self, id, TRUE);
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

/* Escape in the search (which the entry takes as "stop search") closes the list. */
static void
search_stopped_cb (CnChoicePicker *self)
{
  gtk_popover_popdown (self->popover);
}

static void
row_activated_cb (CnChoicePicker *self,
                  guint           position)
{
  g_autofree char *id = dup_shown_id (self, position);

  if (id != NULL)
    set_chosen_by_user (self, id, chosen_index (self, id) < 0);
}

/* Down from the search goes to the list, as in GNOME's other search popovers. */
static gboolean
search_key_pressed_cb (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       CnChoicePicker        *self)
{
  GtkWidget *top = NULL;
  graphene_rect_t top_bounds;

  if ((keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
      || !gtk_widget_get_visible (GTK_WIDGET (self->list_view)))
    return FALSE;
  /* The row shown first: GTK 4.8's list has no call to focus a position. */
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      graphene_rect_t bounds;

      if (gtk_widget_get_mapped (row)
          && gtk_widget_compute_bounds (row, GTK_WIDGET (self->list_view), &bounds)
          && bounds.origin.y + bounds.size.height > 0
          && (top == NULL || bounds.origin.y < top_bounds.origin.y))
        {
          top = row;
          top_bounds = bounds;
        }
    }
  return top != NULL && gtk_widget_grab_focus (top);
}

/* Space or Enter on a row ticks it, or takes the tick off. */
static gboolean
list_key_pressed_cb (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     CnChoicePicker        *self)
{
  GtkWidget *row = gtk_widget_get_focus_child (GTK_WIDGET (self->list_view));
  GtkWidget *check = row != NULL ? gtk_widget_get_first_child (row) : NULL;
  const char *id = check != NULL ? g_object_get_data (G_OBJECT (check), "id") : NULL;
  g_autofree char *held = NULL;

  if ((keyval != GDK_KEY_space && keyval != GDK_KEY_KP_Space && keyval != GDK_KEY_Return
       && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
      || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0
      || id == NULL)
    return FALSE;
  held = g_strdup (id);
  set_chosen_by_user (self, held, chosen_index (self, held) < 0);
  return TRUE;
}

static void
check_toggled_cb (GtkCheckButton *check,
                  CnChoicePicker *self)
{
  const char *id = g_object_get_data (G_OBJECT (check), "id");

  /* Ticked through assistive technology (its "check.toggle" action). */
  if (id != NULL)
    set_chosen_by_user (self, id, gtk_check_button_get_active (check));
  update_checks (self);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              CnChoicePicker           *self)
{
  GtkWidget *check = gtk_check_button_new ();

  /* The row takes the focus and the clicks; the check shows the state and names the row
   * for assistive technology. */
  gtk_widget_set_focusable (check, FALSE);
  gtk_widget_set_can_target (check, FALSE);
  cn_delegations_expose_toggle (GTK_CHECK_BUTTON (check));
  g_signal_connect (check, "toggled", G_CALLBACK (check_toggled_cb), self);
  gtk_list_item_set_child (list_item, check);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             CnChoicePicker           *self)
{
  GtkWidget *check = gtk_list_item_get_child (list_item);
  const char *id = gtk_string_object_get_string (gtk_list_item_get_item (list_item));

  g_object_set_data_full (G_OBJECT (check), "id", g_strdup (id), g_free);
  gtk_check_button_set_label (GTK_CHECK_BUTTON (check), title_of (self, id));
  g_hash_table_add (self->bound, check);
  update_checks (self);
  gtk_widget_set_sensitive (check, self->editable);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               CnChoicePicker           *self)
{
  GtkWidget *check = gtk_list_item_get_child (list_item);

  g_hash_table_remove (self->bound, check);
  g_object_set_data (G_OBJECT (check), "id", NULL);
}

static void
teardown_row_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 CnChoicePicker           *self)
{
  GtkWidget *check = gtk_list_item_get_child (list_item);

  if (check != NULL)
    g_hash_table_remove (self->bound, check);
}

static void
add_clicked_cb (CnChoicePicker *self)
{
  cn_choice_picker_popup (self);
}

static void
popover_closed_cb (CnChoicePicker *self)
{
  if (gtk_widget_get_visible (self->add_button) && gtk_widget_get_sensitive (self->add_button))
    gtk_widget_grab_focus (self->add_button);
}

/* GtkWidget */

static void
cn_choice_picker_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  CnChoicePicker *self = CN_CHOICE_PICKER (widget);

  gtk_widget_measure (self->box, orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

static void
cn_choice_picker_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  CnChoicePicker *self = CN_CHOICE_PICKER (widget);

  gtk_widget_size_allocate (self->box, &(GtkAllocation) { 0, 0, width, height }, baseline);
  gtk_popover_present (self->popover);
}

static GtkSizeRequestMode
cn_choice_picker_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

/* The field's focus (an error to correct, say) goes to its Add button. */
static gboolean
cn_choice_picker_grab_focus (GtkWidget *widget)
{
  CnChoicePicker *self = CN_CHOICE_PICKER (widget);

  return gtk_widget_grab_focus (self->add_button);
}

static void
cn_choice_picker_dispose (GObject *object)
{
  CnChoicePicker *self = CN_CHOICE_PICKER (object);
  GtkWidget *child;

  if (self->filtered != NULL)
    g_signal_handlers_disconnect_by_data (self->filtered, self);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  g_clear_pointer (&self->bound, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), CN_TYPE_CHOICE_PICKER);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->ids);

  G_OBJECT_CLASS (cn_choice_picker_parent_class)->dispose (object);
}

static void
cn_choice_picker_finalize (GObject *object)
{
  CnChoicePicker *self = CN_CHOICE_PICKER (object);

  g_free (self->title);
  g_strfreev (self->words);
  g_clear_pointer (&self->choices, g_hash_table_unref);
  g_clear_pointer (&self->chosen, g_ptr_array_unref);

  G_OBJECT_CLASS (cn_choice_picker_parent_class)->finalize (object);
}

static void
load_css (void)
{
  static gboolean loaded;
  g_autoptr(GtkCssProvider) provider = NULL;
  GdkDisplay *display = gdk_display_get_default ();
  const char *css =
    ".cn-chip { background-color: alpha(currentColor, 0.08); border-radius: 9999px;"
    " padding: 0 2px 0 12px; min-height: 30px; }\n"
    ".cn-chip > button { min-width: 24px; min-height: 24px; padding: 0; }\n";

  if (loaded || display == NULL)
    return;
  loaded = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, css, -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
cn_choice_picker_class_init (CnChoicePickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cn_choice_picker_dispose;
  object_class->finalize = cn_choice_picker_finalize;
  widget_class->measure = cn_choice_picker_measure;
  widget_class->size_allocate = cn_choice_picker_size_allocate;
  widget_class->get_request_mode = cn_choice_picker_get_request_mode;
  widget_class->grab_focus = cn_choice_picker_grab_focus;

  /**
   * CnChoicePicker::changed:
   *
   * The user chose or removed a record.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (CN_TYPE_WRAP_BOX);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/hatinh/nongthonmoi/CauNoi/cn-choice-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, CnChoicePicker, box);
  gtk_widget_class_bind_template_child (widget_class, CnChoicePicker, title_label);
  gtk_widget_class_bind_template_child (widget_class, CnChoicePicker, add_button);
  gtk_widget_class_bind_template_child (widget_class, CnChoicePicker, chips);
  gtk_widget_class_bind_template_child (widget_class, CnChoicePicker, empty_label);
  gtk_widget_class_bind_template_child (widget_class, CnChoicePicker, popover);
  gtk_widget_class_bind_template_child (widget_class, CnChoicePicker, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CnChoicePicker, list_view);
  gtk_widget_class_bind_template_child (widget_class, CnChoicePicker, status_label);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, popover_closed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stopped_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
cn_choice_picker_init (CnChoicePicker *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  load_css ();

  self->choices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, choice_free);
  self->chosen = g_ptr_array_new_with_free_func (g_free);
  self->bound = g_hash_table_new (NULL, NULL);
  self->ids = gtk_string_list_new (NULL);
  self->filter = gtk_custom_filter_new (match_cb, self, NULL);
  self->editable = TRUE;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (teardown_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);

  /* Before the entry's text, which takes Down for itself. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (search_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (list_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), keys);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->popover));

  update_chips (self);
}

/**
 * cn_choice_picker_new:
 * @title: the field's label, shown above the chips and in accessible names
 *
 * Returns: (transfer floating): a new picker with no choices
 */
GtkWidget *
cn_choice_picker_new (const char *title)
{
  CnChoicePicker *self = g_object_new (CN_TYPE_CHOICE_PICKER, NULL);
  /* Translators: accessible label of the button opening the list of people (or other
   * records) to add to a form's field, %s is the field's label */
  g_autofree char *add_label = g_strdup_printf (_("Add to “%s”"), title);
  /* Translators: accessible label of the search in that list, %s is the field's label */
  g_autofree char *search_label = g_strdup_printf (_("Search for “%s”"), title);

  self->title = g_strdup (title);
  gtk_label_set_text (self->title_label, title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->add_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  add_label, -1);
  gtk_widget_set_tooltip_text (self->add_button, add_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  search_label, -1);
  g_object_set (self->search_entry, "placeholder-text", _("Type a name to filter"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->chips), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->popover), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  add_label, -1);
  return GTK_WIDGET (self);
}

/**
 * cn_choice_picker_set_choices:
 * @self: a #CnChoicePicker
 * @items: (element-type CnIdTitle): the records that may be chosen, in the order to list them
 *
 * Replaces the choices; the chosen ids stay chosen.
 */
void
cn_choice_picker_set_choices (CnChoicePicker *self,
                              GPtrArray      *items)
{
  g_autoptr(GHashTable) choices = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GtkStringList) list = NULL;

  g_return_if_fail (CN_IS_CHOICE_PICKER (self));
  g_return_if_fail (items != NULL);

  choices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, choice_free);
  ids = g_ptr_array_new_full (items->len + 1, NULL);
  for (guint i = 0; i < items->len; i++)
    {
      CnIdTitle *item = g_ptr_array_index (items, i);

      if (item->id == NULL || g_hash_table_contains (choices, item->id))
        continue;
      g_hash_table_insert (choices, g_strdup (item->id), choice_new (item->title));
      g_ptr_array_add (ids, item->id);
    }
  /* A chosen record the list lacks keeps the title it was shown with. */
  for (guint i = 0; i < self->chosen->len; i++)
    {
      const char *id = g_ptr_array_index (self->chosen, i);
      Choice *old = g_hash_table_lookup (self->choices, id);

      if (old != NULL && !g_hash_table_contains (choices, id))
        g_hash_table_insert (choices, g_strdup (id), choice_new (old->title));
    }
  g_ptr_array_add (ids, NULL);

  g_hash_table_unref (self->choices);
  self->choices = g_steal_pointer (&choices);
  /* Built whole, then handed to the list: one change, not one per choice. */
  list = gtk_string_list_new ((const char * const *) ids->pdata);
  g_set_object (&self->ids, list);
  if (self->filtered != NULL)
    gtk_filter_list_model_set_model (self->filtered, G_LIST_MODEL (self->ids));
  update_chips (self);
  update_status (self);
}

/**
 * cn_choice_picker_set_pending:
 * @self: a #CnChoicePicker
 * @pending: whether the full list is still being read
 */
void
cn_choice_picker_set_pending (CnChoicePicker *self,
                              gboolean        pending)
{
  g_return_if_fail (CN_IS_CHOICE_PICKER (self));

  self->pending = pending;
  update_status (self);
}

/**
 * cn_choice_picker_set_chosen:
 * @self: a #CnChoicePicker
 * @ids: (nullable) (array zero-terminated=1): the chosen records' ids
 *
 * Sets what is chosen, as loaded: not a change by the user ("changed" is not emitted).
 */
void
cn_choice_picker_set_chosen (CnChoicePicker     *self,
                             const char * const *ids)
{
  g_return_if_fail (CN_IS_CHOICE_PICKER (self));

  g_ptr_array_set_size (self->chosen, 0);
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    if (chosen_index (self, ids[i]) < 0)
      g_ptr_array_add (self->chosen, g_strdup (ids[i]));
  update_chips (self);
  update_checks (self);
}

/**
 * cn_choice_picker_get_chosen:
 * @self: a #CnChoicePicker
 *
 * Returns: (transfer none) (element-type utf8): the chosen ids, in the order chosen
 */
GPtrArray *
cn_choice_picker_get_chosen (CnChoicePicker *self)
{
  g_return_val_if_fail (CN_IS_CHOICE_PICKER (self), NULL);

  return self->chosen;
}

gboolean
cn_choice_picker_is_chosen (CnChoicePicker *self,
                            const char     *id)
{
  g_return_val_if_fail (CN_IS_CHOICE_PICKER (self), FALSE);

  return id != NULL && chosen_index (self, id) >= 0;
}

/**
 * cn_choice_picker_toggle:
 * @self: a #CnChoicePicker
 * @id: a record's id
 *
 * Chooses @id, or removes it if chosen, as the user does.
 */
void
cn_choice_picker_toggle (CnChoicePicker *self,
                         const char     *id)
{
  g_return_if_fail (CN_IS_CHOICE_PICKER (self));
  g_return_if_fail (id != NULL);

  set_chosen_by_user (self, id, chosen_index (self, id) < 0);
}

/**
 * cn_choice_picker_set_editable:
 * @self: a #CnChoicePicker
 * @editable: whether the user may change the choice
 */
void
cn_choice_picker_set_editable (CnChoicePicker *self,
                               gboolean        editable)
{
  g_return_if_fail (CN_IS_CHOICE_PICKER (self));

  self->editable = editable;
  if (!editable)
    gtk_popover_popdown (self->popover);
  gtk_widget_set_visible (self->add_button, editable);
  update_chips (self);
}

/**
 * cn_choice_picker_popup:
 * @self: a #CnChoicePicker
 *
 * Opens the list of choices, as "Add…" does, its search entry focused.
 */
void
cn_choice_picker_popup (CnChoicePicker *self)
{
  graphene_rect_t bounds;

  g_return_if_fail (CN_IS_CHOICE_PICKER (self));

  if (!self->editable)
    return;
  if (self->filtered == NULL)
    {
      /* The list gets its model when first shown: a form never opened keeps no rows. */
      g_autoptr(GtkNoSelection) selection = NULL;

      self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->ids)),
                                                  GTK_FILTER (g_object_ref (self->filter)));
      selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
      gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
      g_signal_connect_swapped (self->filtered, "items-changed", G_CALLBACK (update_status), self);
    }
  if (gtk_widget_compute_bounds (self->add_button, GTK_WIDGET (self), &bounds))
    gtk_popover_set_pointing_to (self->popover, &(GdkRectangle) {
      (int) bounds.origin.x, (int) bounds.origin.y, (int) bounds.size.width, (int) bounds.size.height });
  update_status (self);
  gtk_popover_popup (self->popover);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/**
 * cn_choice_picker_popdown:
 * @self: a #CnChoicePicker
 */
void
cn_choice_picker_popdown (CnChoicePicker *self)
{
  g_return_if_fail (CN_IS_CHOICE_PICKER (self));

  gtk_popover_popdown (self->popover);
}
