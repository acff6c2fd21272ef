/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi"

#include "config.h"

#include <glib/gi18n.h>

#include "cn-article-reader.h"
#include "cn-format.h"

#define FILE_SCHEME "cn-file:"

struct _CnArticleReader
{
  GtkBox          parent_instance;

  CnRecord       *article;
  char           *files_dir;
  CnSyncClient   *sync_client;
  GCancellable   *cancellable;

  GtkButton      *back_button;
  GtkButton      *read_button;
  GtkStack       *stack;
  GtkScrolledWindow *scroller;
  GtkLabel       *category_label;
  GtkLabel       *sample_label;
  GtkLabel       *title_label;
  GtkLabel       *meta_label;
  GtkLabel       *lead_label;
  CnHtmlView     *body_view;
  GtkBox         *tags_box;
};

G_DEFINE_FINAL_TYPE (CnArticleReader, cn_article_reader, GTK_TYPE_BOX)

static gboolean
is_sha256 (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

/* Images live in the local file cache under their hash; nothing is fetched from the web
 * while reading (offline first, and no tracking by image requests). */
static char *
resolve_image_cb (const char  *src,
                  char       **caption,
                  gpointer     user_data)
{
  CnArticleReader *self = user_data;
  const char *sha256;
  g_autofree char *path = NULL;

  if (self->files_dir == NULL || !g_str_has_prefix (src, FILE_SCHEME))
    return NULL;
  sha256 = src + strlen (FILE_SCHEME);
  if (!is_sha256 (sha256))
    return NULL;

  path = g_build_filename (self->files_dir, sha256, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;
  return g_steal_pointer (&path);
}

/* The record keeps its photos apart from the body (images[{sha256, caption}]); those the
 * body does not show itself come first, as the website shows its lead photo. */
static char *
compose_body (CnRecord *article)
{
  JsonObject *data = cn_record_get_data (article);
  const char *body = cn_record_get_string (article, "body_html");
  GString *html = g_string_new (NULL);
  JsonArray *images = NULL;

  if (data != NULL && json_object_has_member (data, "images") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (data, "images")))
    images = json_object_get_array_member (data, "images");

  for (guint i = 0; images != NULL && i < json_array_get_length (images); i++)
    {
      JsonNode *node = json_array_get_element (images, i);
      JsonObject *image;
      const char *sha256;
      const char *caption;
      g_autofree char *escaped = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      image = json_node_get_object (node);
      sha256 = json_object_get_string_member_with_default (image, "sha256", NULL);
      caption = json_object_get_string_member_with_default (image, "caption", "");
      if (!is_sha256 (sha256) || (body != NULL && strstr (body, sha256) != NULL))
        continue;

      escaped = g_markup_escape_text (caption, -1);
      g_string_append_printf (html, "<figure><img src=\"" FILE_SCHEME "%s\" alt=\"%s\">"
                              "<figcaption>%s</figcaption></figure>",
                              sha256, escaped, escaped);
    }

  if (body != NULL)
    g_string_append (html, body);

  return g_string_free (html, FALSE);
}

static void
fetch_file_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CnArticleReader) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  path = cn_sync_client_fetch_file_finish (CN_SYNC_CLIENT (object), result, &error);
  if (path == NULL)
    {
      /* The placeholder stays and says the image is not downloaded; the next sync with
       * download-ahead brings it. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not download an image: %s", error->message);
      return;
    }
  /* A download that finished just before dispose cancelled it: the view is gone. */
  if (self->body_view != NULL)
    cn_html_view_reload_images (self->body_view);
}

static void
fetch_missing_images (CnArticleReader *self)
{
  JsonObject *data = cn_record_get_data (self->article);
  JsonArray *images;

  if (self->sync_client == NULL || !cn_sync_client_get_signed_in (self->sync_client) ||
      data == NULL || !json_object_has_member (data, "images") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (data, "images")))
    return;

  images = json_object_get_array_member (data, "images");
  for (guint i = 0; i < json_array_get_length (images); i++)
    {
      JsonNode *node = json_array_get_element (images, i);
      const char *sha256;
      g_autofree char *src = NULL;
      g_autofree char *path = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      sha256 = json_object_get_string_member_with_default (json_node_get_object (node),
                                                           "sha256", NULL);
      if (!is_sha256 (sha256))
        continue;
      src = g_strconcat (FILE_SCHEME, sha256, NULL);
      path = resolve_image_cb (src, NULL, self);
      if (path == NULL)
        cn_sync_client_fetch_file_async (self->sync_client, sha256, NULL, NULL, NULL,
                                         self->cancellable, fetch_file_cb, g_object_ref (self));
    }
}

static void
tag_clicked_cb (GtkButton       *button,
                CnArticleReader *self)
{
  const char *tag = g_object_get_data (G_OBJECT (button), "cn-tag");

  gtk_widget_activate_action (GTK_WIDGET (self), "articles.filter-tag", "s", tag);
}

static void
set_tags (CnArticleReader *self)
{
  g_auto(GStrv) tags = cn_record_dup_strv (self->article, "tags");
  GtkWidget *child;
  guint n = 0;

  /* Keep the "Tags:" label, the first child. */
  child = gtk_widget_get_first_child (GTK_WIDGET (self->tags_box));
  while (child != NULL && gtk_widget_get_next_sibling (child) != NULL)
    gtk_box_remove (self->tags_box, gtk_widget_get_next_sibling (child));

  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      GtkWidget *button;

      if (*tags[i] == '\0')
        continue;
      button = gtk_button_new_with_label (tags[i]);
      gtk_widget_add_css_class (button, "pill");
      gtk_widget_add_css_class (button, "small");
      gtk_widget_set_tooltip_text (button, _("Show the articles with this tag"));
      g_object_set_data_full (G_OBJECT (button), "cn-tag", g_strdup (tags[i]), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (tag_clicked_cb), self);
      gtk_box_append (self->tags_box, button);
      n++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->tags_box), n > 0);
}

static char *
join_meta (const char *const *parts)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (*parts[i] == '\0')
        continue;
      if (out->len > 0)
        g_string_append (out, " · ");
      g_string_append (out, parts[i]);
    }
  return g_string_free (out, FALSE);
}

/**
 * cn_article_reader_set_article:
 * @article: (nullable): the article, or %NULL for the empty state
 * @sample: whether it is sample data
 * @files_dir: (nullable): the local file cache, to show images
 */
void
cn_article_reader_set_article (CnArticleReader *self,
                               CnRecord        *article,
                               gboolean         sample,
                               const char      *files_dir)
{
  g_autoptr(GDateTime) published = NULL;
  g_autofree char *date = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *html = NULL;
  const char *category;
  const char *lead;
  const char *parts[4];

  g_return_if_fail (CN_IS_ARTICLE_READER (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_set_object (&self->article, article);
  g_free (self->files_dir);
  self->files_dir = g_strdup (files_dir);

  if (article == NULL)
    {
      cn_html_view_set_html (self->body_view, NULL, NULL);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  category = cn_record_get_string (article, "category");
  gtk_label_set_label (self->category_label, category != NULL ? category : "");
  gtk_widget_set_visible (GTK_WIDGET (self->category_label), category != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->sample_label), sample);
  gtk_label_set_label (self->title_label, cn_record_get_title (article));

  published = cn_format_parse_timestamp (cn_record_get_string (article, "published_at"));
  date = published != NULL ? cn_format_datetime_long (published) : g_strdup ("");
  parts[0] = date;
  parts[1] = cn_record_get_string (article, "author") ?: "";
  parts[2] = cn_record_get_string (article, "source") ?: "";
  parts[3] = NULL;
  meta = join_meta (parts);
  gtk_label_set_label (self->meta_label, meta);
  gtk_widget_set_visible (GTK_WIDGET (self->meta_label), *meta != '\0');

  lead = cn_record_get_string (article, "lead");
  gtk_label_set_label (self->lead_label, lead != NULL ? lead : "");
  gtk_widget_set_visible (GTK_WIDGET (self->lead_label), lead != NULL && *lead != '\0');

  html = compose_body (article);
  cn_html_view_set_html (self->body_view, html, cn_record_get_string (article, "source_url"));
  set_tags (self);

  gtk_stack_set_visible_child_name (self->stack, "article");
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);

  fetch_missing_images (self);
}

/**
 * cn_article_reader_get_article:
 *
 * Returns: (transfer none) (nullable): the article shown
 */
CnRecord *
cn_article_reader_get_article (CnArticleReader *self)
{
  g_return_val_if_fail (CN_IS_ARTICLE_READER (self), NULL);

  return self->article;
}

void
cn_article_reader_set_read (CnArticleReader *self,
                            gboolean         read)
{
  g_return_if_fail (CN_IS_ARTICLE_READER (self));

  gtk_button_set_icon_name (self->read_button, read ? "mail-unread-symbolic" : "mail-read-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->read_button),
                               read ? _("Mark as Unread") : _("Mark as Read"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->read_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  read ? _("Mark as Unread") : _("Mark as Read"), -1);
}

void
cn_article_reader_set_sync_client (CnArticleReader *self,
                                   CnSyncClient    *client)
{
  g_return_if_fail (CN_IS_ARTICLE_READER (self));

  g_set_object (&self->sync_client, client);
}

void
cn_article_reader_set_back_visible (CnArticleReader *self,
                                    gboolean         visible)
{
  g_return_if_fail (CN_IS_ARTICLE_READER (self));

  gtk_widget_set_visible (GTK_WIDGET (self->back_button), visible);
}

/**
 * cn_article_reader_get_body:
 *
 * Returns: (transfer none): the view of the article's body
 */
CnHtmlView *
cn_article_reader_get_body (CnArticleReader *self)
{
  g_return_val_if_fail (CN_IS_ARTICLE_READER (self), NULL);

  return self->body_view;
}

static void
cn_article_reader_dispose (GObject *object)
{
  CnArticleReader *self = CN_ARTICLE_READER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CN_TYPE_ARTICLE_READER);
  g_clear_object (&self->article);
  g_clear_object (&self->sync_client);

  G_OBJECT_CLASS (cn_article_reader_parent_class)->dispose (object);
}

static void
cn_article_reader_finalize (GObject *object)
{
  CnArticleReader *self = CN_ARTICLE_READER (object);

  g_free (self->files_dir);

  G_OBJECT_CLASS (cn_article_reader_parent_class)->finalize (object);
}

static void
cn_article_reader_class_init (CnArticleReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cn_article_reader_dispose;
  object_class->finalize = cn_article_reader_finalize;

  g_type_ensure (CN_TYPE_HTML_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/hatinh/nongthonmoi/CauNoi/cn-article-reader.ui");
  gtk_widget_class_bind_template_child (widget_class, CnArticleReader, back_button);
  gtk_widget_class_bind_template_child (widget_class, CnArticleReader, read_button);
  gtk_widget_class_bind_template_child (widget_class, CnArticleReader, stack);
  gtk_widget_class_bind_template_child (widget_class, CnArticleReader, scroller);
  gtk_widget_class_bind_template_child (widget_class, CnArticleReader, category_label);
  gtk_widget_class_bind_template_child (widget_class, CnArticleReader, sample_label);
  gtk_widget_class_bind_template_child (widget_class, CnArticleReader, title_label);
  gtk_widget_class_bind_template_child (widget_class, CnArticleReader, meta_label);
  gtk_widget_class_bind_template_child (widget_class, CnArticleReader, lead_label);
  gtk_widget_class_bind_template_child (widget_class, CnArticleReader, body_view);
  gtk_widget_class_bind_template_child (widget_class, CnArticleReader, tags_box);
}

static void
cn_article_reader_init (CnArticleReader *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  cn_html_view_set_image_resolver (self->body_view, resolve_image_cb, self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), FALSE);
  cn_article_reader_set_read (self, TRUE);
}

GtkWidget *
cn_article_reader_new (void)
{
  return g_object_new (CN_TYPE_ARTICLE_READER, NULL);
}
