/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi"

#include "config.h"

#include <glib/gi18n.h>

#include "cn-article-row.h"
#include "cn-format.h"

/* More than one line of the row holds, however wide the list. */
#define LEAD_CHARS 160

struct _CnArticleRow
{
  GtkBox     parent_instance;

  CnRecord  *article;
  char      *day_header;
  gboolean   unread;

  GtkLabel  *day_label;
  GtkImage  *unread_mark;
  GtkLabel  *title_label;
  GtkLabel  *meta_label;
  GtkLabel  *lead_label;
};

G_DEFINE_FINAL_TYPE (CnArticleRow, cn_article_row, GTK_TYPE_BOX)

void
cn_article_row_set_unread (CnArticleRow *self,
                           gboolean      unread)
{
  g_return_if_fail (CN_IS_ARTICLE_ROW (self));

  unread = !!unread;
  /* Visible but transparent when read, so titles stay aligned. */
  gtk_widget_set_opacity (GTK_WIDGET (self->unread_mark), unread ? 1.0 : 0.0);
  if (unread)
    gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "heading");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "heading");
  if (unread == self->unread)
    return;
  self->unread = unread;
  if (unread)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->unread_mark),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Unread"),
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->unread_mark),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* Asked for on hover: a tooltip set on the mark of every row made each row ask the display
 * server where the pointer is (gtk_widget_set_tooltip_text() does), a round trip a row. */
static gboolean
unread_mark_query_tooltip_cb (CnArticleRow *self,
                              int           x,
                              int           y,
                              gboolean      keyboard_mode,
                              GtkTooltip   *tooltip)
{
  if (!self->unread)
    return FALSE;
  gtk_tooltip_set_text (tooltip, _("Unread"));
  return TRUE;
}

/**
 * cn_article_row_set_article:
 * @day_header: (nullable): the day above this row, when it is the first of its day
 * @search: (nullable): the search text whose matches to mark
 */
void
cn_article_row_set_article (CnArticleRow *self,
                            CnRecord     *article,
                            const char   *day_header,
                            const char   *search)
{
  g_autoptr(GDateTime) published = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *title = NULL;
  g_autofree char *lead = NULL;
  g_autofree char *when = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *accessible = NULL;
  const char *category;

  g_return_if_fail (CN_IS_ARTICLE_ROW (self));

  g_set_object (&self->article, article);
  if (self->day_header != day_header)
    {
      g_free (self->day_header);
      self->day_header = g_strdup (day_header);
    }
  if (article == NULL)
    return;

  gtk_label_set_label (self->day_label, day_header != NULL ? day_header : "");
  gtk_widget_set_visible (GTK_WIDGET (self->day_label), day_header != NULL);

  title = cn_format_highlight_markup (cn_record_get_title (article), search);
  gtk_label_set_markup (self->title_label, title);
  /* The lead shows on one ellipsized line, but Pango shapes all of it: a list view makes
   * up to 200 rows at once, and shaping whole leads was a good part of the window's
   * start-up. */
  {
    const char *full_lead = cn_record_get_string (article, "lead");
    g_autofree char *shown = full_lead != NULL && g_utf8_strlen (full_lead, -1) > LEAD_CHARS
                             ? g_utf8_substring (full_lead, 0, LEAD_CHARS) : NULL;

    lead = cn_format_highlight_markup (shown != NULL ? shown : full_lead, search);
  }
  gtk_label_set_markup (self->lead_label, lead);
  gtk_widget_set_visible (GTK_WIDGET (self->lead_label), *lead != '\0');

  published = cn_format_parse_timestamp (cn_record_get_string (article, "published_at"));
  now = g_date_time_new_now_utc ();
  when = published != NULL ? cn_format_date_short (published, now) : g_strdup ("");
  category = cn_record_get_string (article, "category");
  if (category != NULL && *category != '\0' && *when != '\0')
    /* Translators: a date or time and a category in an article's row. */
    meta = g_strdup_printf (_("%s · %s"), when, category);
  else
    meta = g_strdup (category != NULL && *category != '\0' ? category : when);
  gtk_label_set_label (self->meta_label, meta);

  accessible = g_strdup_printf ("%s. %s", cn_record_get_title (article), meta);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
}

/* Marks the matches of another search, keeping the rest. */
void
cn_article_row_set_search (CnArticleRow *self,
                           const char   *search)
{
  g_autoptr(CnRecord) article = NULL;
  g_autofree char *header = NULL;

  g_return_if_fail (CN_IS_ARTICLE_ROW (self));

  if (self->article == NULL)
    return;
  article = g_object_ref (self->article);
  header = g_strdup (self->day_header);
  cn_article_row_set_article (self, article, header, search);
}

/**
 * cn_article_row_get_article:
 *
 * Returns: (transfer none) (nullable): the article shown
 */
CnRecord *
cn_article_row_get_article (CnArticleRow *self)
{
  g_return_val_if_fail (CN_IS_ARTICLE_ROW (self), NULL);

  return self->article;
}

static void
cn_article_row_dispose (GObject *object)
{
  CnArticleRow *self = CN_ARTICLE_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CN_TYPE_ARTICLE_ROW);
  g_clear_object (&self->article);

  G_OBJECT_CLASS (cn_article_row_parent_class)->dispose (object);
}

static void
cn_article_row_finalize (GObject *object)
{
  CnArticleRow *self = CN_ARTICLE_ROW (object);

  g_free (self->day_header);

  G_OBJECT_CLASS (cn_article_row_parent_class)->finalize (object);
}

static void
cn_article_row_class_init (CnArticleRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cn_article_row_dispose;
  object_class->finalize = cn_article_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/hatinh/nongthonmoi/CauNoi/cn-article-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CnArticleRow, day_label);
  gtk_widget_class_bind_template_child (widget_class, CnArticleRow, unread_mark);
  gtk_widget_class_bind_template_child (widget_class, CnArticleRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, CnArticleRow, meta_label);
  gtk_widget_class_bind_template_child (widget_class, CnArticleRow, lead_label);
}

static void
cn_article_row_init (CnArticleRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->unread_mark, "query-tooltip",
                            G_CALLBACK (unread_mark_query_tooltip_cb), self);
}

GtkWidget *
cn_article_row_new (void)
{
  return g_object_new (CN_TYPE_ARTICLE_ROW, NULL);
}
