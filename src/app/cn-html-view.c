/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "cn-html-image.h"
#include "cn-html-view.h"
#include "cn-widget-util.h"

#define MAX_LIST_DEPTH 6
#define MAX_NESTING 64
#define PLACEHOLDER_WIDTH 420
#define SCROLLER_SLACK 12
#define SCROLL_MARGIN 24

typedef struct
{
  char        *src;
  char        *alt;
  char        *path;
  GtkWidget   *figure;   /* vertical box anchored in the text */
  GtkWidget   *content;  /* the GtkPicture, or the placeholder */
  CnHtmlImage *paintable;
} Image;

struct _CnHtmlView
{
  GtkTextView          parent_instance;

  GPtrArray           *images;      /* Image */
  GPtrArray           *tables;      /* GtkScrolledWindow holding a GtkGrid */
  GPtrArray           *link_tags;   /* GtkTextTag, anonymous, carrying "cn-href" */
  GtkTextTag          *link_tag;    /* the look of every link */

  CnHtmlImageResolver  resolver;
  gpointer             resolver_data;
  GDestroyNotify       resolver_destroy;

  int                  focus_link;      /* index in link_tags of the link Tab moved to, or -1 */
  gboolean             selecting_link;  /* the view, not the user, moves the selection */
  GdkRGBA              link_color;

  int                  last_width;
  GtkScrolledWindow   *scroller;    /* weak: the nearest scrolled window around the view */
  GtkRoot             *root;        /* while rooted: the window, whose focus moves */
  guint                fit_idle_id;
  gulong               dark_handler_id;
};

G_DEFINE_FINAL_TYPE (CnHtmlView, cn_html_view, GTK_TYPE_TEXT_VIEW)

enum {
  ACTIVATE_LINK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  CnHtmlView    *self;
  GtkTextBuffer *buffer;
  GtkTextIter    iter;         /* always the end of the buffer */
  GPtrArray     *inline_tags;  /* GtkTextTag stack, borrowed */
  const char    *base_uri;
  gboolean       pending_space;
  int            trailing_newlines;
  int            list_depth;
  int            list_counters[MAX_LIST_DEPTH + 1];  /* -1 for bullets */
  int            pre_depth;
  int            nesting;
} Render;

static void render_children (Render *r, xmlNode *node);
static void render_node     (Render *r, xmlNode *node);
static void unfocus_link    (CnHtmlView *self);

static void
image_free (gpointer data)
{
  Image *image = data;

  g_free (image->src);
  g_free (image->alt);
  g_free (image->path);
  g_clear_object (&image->figure);
  g_clear_object (&image->paintable);
  g_free (image);
}

static gboolean
name_is (xmlNode    *node,
         const char *name)
{
  return node->type == XML_ELEMENT_NODE && node->name != NULL &&
         g_ascii_strcasecmp ((const char *) node->name, name) == 0;
}

static gboolean
name_in (xmlNode           *node,
         const char *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (name_is (node, names[i]))
      return TRUE;
  return FALSE;
}

static char *
get_attr (xmlNode    *node,
          const char *name)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *) name);
  char *copy;

  if (value == NULL)
    return NULL;
  copy = g_strdup ((const char *) value);
  xmlFree (value);
  return copy;
}

static gboolean
is_html_space (gunichar c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Elements whose content is never shown: code, styling, embedded pages, forms. */
static gboolean
is_skipped (xmlNode *node)
{
  static const char *const skipped[] = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "noscript",
    "template", "head", "title", "meta", "link", "form", "input", "button", "select",
    "textarea", "svg", "math", "video", "audio", "canvas", "applet", "base", NULL
  };

  return name_in (node, skipped);
}

static void
collect_text (xmlNode *node,
              GString *out)
{
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE)
        g_string_append (out, (const char *) child->content);
      else if (child->type == XML_ELEMENT_NODE && !is_skipped (child))
        {
          if (name_is (child, "br") || name_is (child, "p") || name_is (child, "div"))
            g_string_append_c (out, ' ');
          collect_text (child, out);
        }
    }
}

/* The element's text with runs of white space made one space and the ends trimmed. */
static char *
collapsed_text (xmlNode *node)
{
  g_autoptr(GString) raw = g_string_new (NULL);
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  collect_text (node, raw);
  for (const char *p = raw->str; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_html_space (c))
        {
          space = TRUE;
          continue;
        }
      if (space && out->len > 0)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* Links only to what a browser or a mail or phone app may open; never javascript: or file:. */
static char *
resolve_uri (const char *base_uri,
             const char *href,
             gboolean    links_only)
{
  g_autofree char *resolved = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *trimmed = NULL;

  if (href == NULL)
    return NULL;
  trimmed = g_strstrip (g_strdup (href));
  href = trimmed;
  if (*href == '\0' || *href == '#')
    return NULL;

  if (base_uri != NULL)
    resolved = g_uri_resolve_relative (base_uri, href, G_URI_FLAGS_NONE, NULL);
  if (resolved == NULL)
    resolved = g_strdup (href);

  /* Image addresses only go to the resolver, which looks in the local cache. */
  if (!links_only)
    return g_steal_pointer (&resolved);

  scheme = g_uri_parse_scheme (resolved);
  if (scheme == NULL)
    return NULL;

  if (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0)
    return g_steal_pointer (&resolved);
  if (g_ascii_strcasecmp (scheme, "mailto") == 0 || g_ascii_strcasecmp (scheme, "tel") == 0)
    return g_steal_pointer (&resolved);

  return NULL;
}

static GtkTextTag *
lookup_tag (Render     *r,
            const char *name)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (r->buffer);

  return gtk_text_tag_table_lookup (table, name);
}

static void
insert_with_tags (Render     *r,
                  const char *text,
                  gssize      len)
{
  int start_offset = gtk_text_iter_get_offset (&r->iter);
  GtkTextIter start;
  gsize n;

  if (len < 0)
    len = strlen (text);
  if (len == 0)
    return;

  gtk_text_buffer_insert (r->buffer, &r->iter, text, len);
  gtk_text_buffer_get_iter_at_offset (r->buffer, &start, start_offset);
  for (guint i = 0; i < r->inline_tags->len; i++)
    gtk_text_buffer_apply_tag (r->buffer, g_ptr_array_index (r->inline_tags, i),
                               &start, &r->iter);

  for (n = 0; n < (gsize) len && text[len - 1 - n] == '\n'; n++)
    ;
  if (n == (gsize) len)
    r->trailing_newlines += n;
  else
    r->trailing_newlines = n;
}

/* Ends the current line and leaves @n - 1 blank lines, but never at the very top. */
static void
block_break (Render *r,
             int     n)
{
  r->pending_space = FALSE;
  while (r->trailing_newlines < n)
    {
      gtk_text_buffer_insert (r->buffer, &r->iter, "\n", 1);
      r->trailing_newlines++;
    }
}

static void
render_text (Render     *r,
             const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (r->pre_depth > 0)
    {
      insert_with_tags (r, text, -1);
      return;
    }

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_html_space (c))
        {
          r->pending_space = TRUE;
          continue;
        }
      if (r->pending_space && (out->len > 0 || r->trailing_newlines == 0))
        g_string_append_c (out, ' ');
      r->pending_space = FALSE;
      g_string_append_unichar (out, c);
    }

  if (out->len > 0)
    insert_with_tags (r, out->str, out->len);
}

static void
apply_block_tag (Render     *r,
                 GtkTextTag *tag,
                 int         start_offset)
{
  GtkTextIter start;

  if (tag == NULL || gtk_text_iter_get_offset (&r->iter) <= start_offset)
    return;
  gtk_text_buffer_get_iter_at_offset (r->buffer, &start, start_offset);
  gtk_text_buffer_apply_tag (r->buffer, tag, &start, &r->iter);
}

/* text-align from the style or align attribute (CKEditor writes the former). */
static GtkTextTag *
alignment_tag (Render  *r,
               xmlNode *node)
{
  g_autofree char *style = get_attr (node, "style");
  g_autofree char *align = get_attr (node, "align");
  const char *value = NULL;

  if (style != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (style, -1);
      const char *at = strstr (lower, "text-align");

      if (at != NULL)
        {
          if (g_str_has_prefix (g_strchug ((char *) at + strlen ("text-align")), ":"))
            {
              const char *v = g_strchug ((char *) strchr (at, ':') + 1);

              if (g_str_has_prefix (v, "center"))
                value = "center";
              else if (g_str_has_prefix (v, "right"))
                value = "right";
            }
        }
    }
  if (value == NULL && align != NULL)
    {
      if (g_ascii_strcasecmp (align, "center") == 0)
        value = "center";
      else if (g_ascii_strcasecmp (align, "right") == 0)
        value = "right";
    }
  if (value == NULL && name_is (node, "center"))
    value = "center";

  return value != NULL ? lookup_tag (r, value) : NULL;
}

static GtkTextTag *
inline_style_tag (Render  *r,
                  xmlNode *node)
{
  static const struct { const char *element; const char *tag; } map[] = {
    { "b", "bold" }, { "strong", "bold" },
    { "i", "italic" }, { "em", "italic" }, { "cite", "italic" }, { "var", "italic" },
    { "dfn", "italic" },
    { "u", "underline" }, { "ins", "underline" },
    { "s", "strike" }, { "strike", "strike" }, { "del", "strike" },
    { "code", "mono" }, { "kbd", "mono" }, { "samp", "mono" }, { "tt", "mono" },
    { "sub", "sub" }, { "sup", "sup" }, { "small", "small" }, { "mark", "mark" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (name_is (node, map[i].element))
      return lookup_tag (r, map[i].tag);

  if (name_is (node, "span") || name_is (node, "font"))
    {
      g_autofree char *style = get_attr (node, "style");
      g_autofree char *lower = style != NULL ? g_ascii_strdown (style, -1) : NULL;

      if (lower == NULL)
        return NULL;
      if (strstr (lower, "font-weight: bold") || strstr (lower, "font-weight:bold") ||
          strstr (lower, "font-weight: 700") || strstr (lower, "font-weight:700"))
        return lookup_tag (r, "bold");
      if (strstr (lower, "font-style: italic") || strstr (lower, "font-style:italic"))
        return lookup_tag (r, "italic");
      if (strstr (lower, "text-decoration: underline") ||
          strstr (lower, "text-decoration:underline"))
        return lookup_tag (r, "underline");
    }

  return NULL;
}

static void
render_inline_with_tag (Render     *r,
                        xmlNode    *node,
                        GtkTextTag *tag)
{
  g_ptr_array_add (r->inline_tags, tag);
  render_children (r, node);
  g_ptr_array_remove_index (r->inline_tags, r->inline_tags->len - 1);
}

static void
render_link (Render  *r,
             xmlNode *node)
{
  g_autofree char *href = get_attr (node, "href");
  g_autofree char *uri = resolve_uri (r->base_uri, href, TRUE);
  GtkTextTag *tag;

  if (uri == NULL)
    {
      render_children (r, node);
      return;
    }

  /* The space before the link is not part of it: neither underlined nor focused. */
  if (r->pending_space && r->trailing_newlines == 0)
    {
      insert_with_tags (r, " ", 1);
      r->pending_space = FALSE;
    }

  tag = gtk_text_buffer_create_tag (r->buffer, NULL, NULL);
  g_object_set_data_full (G_OBJECT (tag), "cn-href", g_steal_pointer (&uri), g_free);
  g_ptr_array_add (r->self->link_tags, g_object_ref (tag));

  g_ptr_array_add (r->inline_tags, r->self->link_tag);
  g_ptr_array_add (r->inline_tags, tag);
  render_children (r, node);
  g_ptr_array_set_size (r->inline_tags, r->inline_tags->len - 2);
}

static void
render_list (Render  *r,
             xmlNode *node,
             gboolean ordered)
{
  block_break (r, r->list_depth == 0 ? 2 : 1);
  if (r->list_depth < MAX_LIST_DEPTH)
    {
      g_autofree char *start = ordered ? get_attr (node, "start") : NULL;

      r->list_depth++;
      r->list_counters[r->list_depth] = ordered ? (start != NULL ? atoi (start) : 1) : -1;
      render_children (r, node);
      r->list_depth--;
    }
  else
    render_children (r, node);
  block_break (r, r->list_depth == 0 ? 2 : 1);
}

static void
render_list_item (Render  *r,
                  xmlNode *node)
{
  int depth = MAX (r->list_depth, 1);
  g_autofree char *tag_name = g_strdup_printf ("li-%d", depth);
  g_autofree char *marker = NULL;
  int start_offset;

  block_break (r, 1);
  start_offset = gtk_text_iter_get_offset (&r->iter);

  if (r->list_depth > 0 && r->list_counters[r->list_depth] >= 0)
    marker = g_strdup_printf ("%d.\u2002", r->list_counters[r->list_depth]++);
  else
    marker = g_strdup ("•\u2002");
  gtk_text_buffer_insert (r->buffer, &r->iter, marker, -1);
  r->trailing_newlines = 0;
  r->pending_space = FALSE;

  render_children (r, node);
  apply_block_tag (r, lookup_tag (r, tag_name), start_offset);
  block_break (r, 1);
}

static GtkWidget *
image_placeholder_new (const char *alt)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name ("image-x-generic-symbolic");
  GtkWidget *label = gtk_label_new (_("Image not downloaded yet"));

  gtk_image_set_pixel_size (GTK_IMAGE (icon), 48);
  gtk_widget_add_css_class (icon, "dim-label");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 48);
  gtk_widget_set_margin_end (box, 48);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);

  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  alt != NULL && *alt != '\0' ? alt : _("Image"),
                                  -1);
  return box;
}

static void
image_set_content (CnHtmlView *self,
                   Image      *image)
{
  g_autoptr(GdkTexture) texture = NULL;
  GtkWidget *content;

  if (image->path != NULL && image->paintable == NULL)
    {
      g_autoptr(GError) error = NULL;

      texture = gdk_texture_new_from_filename (image->path, &error);
      if (texture == NULL)
        g_warning ("Cannot show the image %s: %s", image->path, error->message);
      else
        image->paintable = cn_html_image_new (texture);
    }

  if (image->content != NULL && image->paintable != NULL && GTK_IS_PICTURE (image->content))
    return;

  if (image->paintable != NULL)
    {
      content = gtk_picture_new_for_paintable (GDK_PAINTABLE (image->paintable));
      /* GtkTextView gives anchored children their minimum size: the paintable's. */
      gtk_picture_set_can_shrink (GTK_PICTURE (content), FALSE);
      gtk_picture_set_alternative_text (GTK_PICTURE (content), image->alt);
      gtk_widget_add_css_class (content, "cn-html-image");
    }
  else
    {
      content = image_placeholder_new (image->alt);
      gtk_widget_add_css_class (content, "card");
    }

  if (image->content != NULL)
    gtk_box_remove (GTK_BOX (image->figure), image->content);
  image->content = content;
  gtk_box_prepend (GTK_BOX (image->figure), content);
}

static void
fit_image (CnHtmlView *self,
           Image      *image,
           int         width)
{
  if (image->paintable != NULL)
    cn_html_image_fit_width (image->paintable, width);
  else if (image->content != NULL)
    gtk_widget_set_size_request (image->content, MIN (width, PLACEHOLDER_WIDTH), -1);
}

static void
fit_table (GtkWidget *scroller,
           int        width)
{
  GtkWidget *grid = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  int minimum = 0;
  int height = 0;

  gtk_scrolled_window_set_min_content_width (GTK_SCROLLED_WINDOW (scroller), -1);
  gtk_scrolled_window_set_max_content_width (GTK_SCROLLED_WINDOW (scroller), width);
  gtk_scrolled_window_set_min_content_width (GTK_SCROLLED_WINDOW (scroller), width);
  /* The table's height at the width it will have (the text's, or its own minimum when wider,
   * and then it scrolls sideways). Left to itself, a scrolled window that may scroll
   * sideways asks for its child's height at the child's narrowest, and the text view gives
   * it that minimum: with wrapping cells, a tall empty card under a short table. */
  if (grid == NULL)
    return;
  gtk_widget_measure (grid, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  gtk_widget_measure (grid, GTK_ORIENTATION_VERTICAL, MAX (minimum, width), NULL, &height, NULL, NULL);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), -1);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), height);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), height);
}

/*
 * The width images and tables may take. GtkTextView gives anchored children their minimum
 * size and is itself at least as wide as its widest child, so the text's own width alone
 * would never let a window narrow down again: the width of the scrolled window around the
 * view (which should scroll horizontally with GTK_POLICY_EXTERNAL) bounds it as well.
 */
static int
available_width (CnHtmlView *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);
  int width = self->last_width > 0 ? self->last_width : 600;

  if (self->scroller != NULL)
    {
      int outer = gtk_widget_get_width (GTK_WIDGET (self->scroller));

      if (outer > 0)
        width = MIN (width, outer - 2 * SCROLLER_SLACK);
    }

  width -= gtk_text_view_get_left_margin (view) + gtk_text_view_get_right_margin (view);
  return MAX (width - 8, 64);
}

static gboolean
fit_children_cb (gpointer user_data)
{
  CnHtmlView *self = user_data;
  int width = available_width (self);

  self->fit_idle_id = 0;

  for (guint i = 0; i < self->images->len; i++)
    fit_image (self, g_ptr_array_index (self->images, i), width);
  for (guint i = 0; i < self->tables->len; i++)
    fit_table (g_ptr_array_index (self->tables, i), width);

  return G_SOURCE_REMOVE;
}

static void
queue_fit_children (CnHtmlView *self)
{
  if (self->fit_idle_id == 0)
    self->fit_idle_id = g_idle_add (fit_children_cb, self);
}

static GtkTextChildAnchor *
insert_anchored (Render    *r,
                 GtkWidget *child)
{
  GtkTextChildAnchor *anchor;
  int start_offset;

  block_break (r, 2);
  start_offset = gtk_text_iter_get_offset (&r->iter);
  anchor = gtk_text_buffer_create_child_anchor (r->buffer, &r->iter);
  gtk_text_view_add_child_at_anchor (GTK_TEXT_VIEW (r->self), child, anchor);
  r->trailing_newlines = 0;
  apply_block_tag (r, lookup_tag (r, "center"), start_offset);
  return anchor;
}

static void
render_image (Render     *r,
              xmlNode    *img,
              const char *html_caption)
{
  CnHtmlView *self = r->self;
  g_autofree char *src_attr = get_attr (img, "src");
  g_autofree char *fallback_caption = NULL;
  const char *caption;
  Image *image;
  int start_offset;

  image = g_new0 (Image, 1);
  image->src = resolve_uri (r->base_uri, src_attr, FALSE);
  image->alt = get_attr (img, "alt");
  if (image->src != NULL && self->resolver != NULL)
    image->path = self->resolver (image->src, &fallback_caption, self->resolver_data);

  caption = html_caption != NULL && *html_caption != '\0' ? html_caption : fallback_caption;
  if ((image->alt == NULL || *image->alt == '\0') && caption != NULL)
    {
      g_free (image->alt);
      image->alt = g_strdup (caption);
    }

  image->figure = g_object_ref_sink (gtk_box_new (GTK_ORIENTATION_VERTICAL, 0));
  gtk_widget_add_css_class (image->figure, "cn-html-figure");
  image_set_content (self, image);
  g_ptr_array_add (self->images, image);

  insert_anchored (r, image->figure);

  if (caption != NULL && *caption != '\0')
    {
      block_break (r, 1);
      start_offset = gtk_text_iter_get_offset (&r->iter);
      gtk_text_buffer_insert (r->buffer, &r->iter, caption, -1);
      r->trailing_newlines = 0;
      apply_block_tag (r, lookup_tag (r, "caption"), start_offset);
    }
  block_break (r, 2);
}

static void
find_images (xmlNode   *node,
             GPtrArray *out,
             guint     *n_tables)
{
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE || is_skipped (child))
        continue;
      if (name_is (child, "img"))
        g_ptr_array_add (out, child);
      else
        {
          if (name_is (child, "table"))
            (*n_tables)++;
          find_images (child, out, n_tables);
        }
    }
}

/* Text of the figure apart from its images: the caption of NukeViet's image tables. */
static char *
figure_caption (xmlNode *node)
{
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    if (name_is (child, "figcaption"))
      return collapsed_text (child);

  return collapsed_text (node);
}

/* <figure>, or a small table holding one image and its caption, as editors (and NukeViet)
 * lay out a photo with its caption. */
static gboolean
render_figure (Render  *r,
               xmlNode *node)
{
  g_autoptr(GPtrArray) imgs = g_ptr_array_new ();
  g_autofree char *caption = NULL;
  guint n_tables = 0;

  find_images (node, imgs, &n_tables);
  if (imgs->len == 0)
    return FALSE;
  if (name_is (node, "table") && (imgs->len != 1 || n_tables > 0))
    return FALSE;

  caption = figure_caption (node);
  if (name_is (node, "table") && g_utf8_strlen (caption, -1) > 400)
    return FALSE;

  for (guint i = 0; i < imgs->len; i++)
    render_image (r, g_ptr_array_index (imgs, i), i + 1 == imgs->len ? caption : NULL);
  return TRUE;
}

static void
append_cell_markup (CnHtmlView *self,
                    const char *base_uri,
                    xmlNode    *node,
                    GString    *out,
                    gboolean   *space,
                    gboolean   *has_link)
{
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE)
        {
          for (const char *p = (const char *) child->content; *p != '\0'; p = g_utf8_next_char (p))
            {
              gunichar c = g_utf8_get_char (p);

              if (is_html_space (c))
                {
                  *space = TRUE;
                  continue;
                }
              if (*space && out->len > 0 && out->str[out->len - 1] != '\n')
                g_string_append_c (out, ' ');
              *space = FALSE;
              if (c == '<')
                g_string_append (out, "&lt;");
              else if (c == '>')
                g_string_append (out, "&gt;");
              else if (c == '&')
                g_string_append (out, "&amp;");
              else
                g_string_append_unichar (out, c);
            }
        }
      else if (child->type == XML_ELEMENT_NODE && !is_skipped (child))
        {
          const char *open = NULL;
          const char *close = NULL;
          g_autofree char *link_open = NULL;

          if (name_is (child, "b") || name_is (child, "strong") || name_is (child, "th"))
            open = "<b>", close = "</b>";
          else if (name_is (child, "i") || name_is (child, "em"))
            open = "<i>", close = "</i>";
          else if (name_is (child, "u"))
            open = "<u>", close = "</u>";
          else if (name_is (child, "a"))
            {
              g_autofree char *href = get_attr (child, "href");
              g_autofree char *uri = resolve_uri (base_uri, href, TRUE);

              if (uri != NULL)
                {
                  g_autofree char *escaped = g_markup_escape_text (uri, -1);

                  link_open = g_strdup_printf ("<a href=\"%s\">", escaped);
                  open = link_open, close = "</a>";
                  *has_link = TRUE;
                }
            }
          else if (name_is (child, "br") || name_is (child, "p") || name_is (child, "div") ||
                   name_is (child, "li"))
            {
              if (out->len > 0 && out->str[out->len - 1] != '\n')
                g_string_append_c (out, '\n');
              *space = FALSE;
            }

          if (open != NULL)
            g_string_append (out, open);
          append_cell_markup (self, base_uri, child, out, space, has_link);
          if (close != NULL)
            g_string_append (out, close);
        }
    }
}

static gboolean
cell_activate_link_cb (GtkLabel   *label,
                       const char *uri,
                       CnHtmlView *self)
{
  gboolean handled = FALSE;

  g_signal_emit (self, signals[ACTIVATE_LINK], 0, uri, &handled);
  return TRUE;
}

static void
collect_rows (xmlNode   *node,
              GPtrArray *rows)
{
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (name_is (child, "tr"))
        g_ptr_array_add (rows, child);
      else if (name_is (child, "thead") || name_is (child, "tbody") || name_is (child, "tfoot"))
        collect_rows (child, rows);
    }
}

static int
span_attr (xmlNode    *cell,
           const char *name)
{
  g_autofree char *value = get_attr (cell, name);
  int n = value != NULL ? atoi (value) : 1;

  return CLAMP (n, 1, 64);
}

static void
render_table (Render  *r,
              xmlNode *node)
{
  CnHtmlView *self = r->self;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GHashTable) taken = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();  /* GtkLabel, in reading order */
  GtkWidget *grid;
  GtkWidget *scroller;
  guint n_cells = 0;

  collect_rows (node, rows);
  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_widget_set_margin_start (grid, 12);
  gtk_widget_set_margin_end (grid, 12);
  gtk_widget_set_margin_top (grid, 8);
  gtk_widget_set_margin_bottom (grid, 8);
  gtk_widget_add_css_class (grid, "cn-html-table");

  for (guint row = 0; row < rows->len && row < 10000; row++)
    {
      int column = 0;

      for (xmlNode *cell = ((xmlNode *) g_ptr_array_index (rows, row))->children;
           cell != NULL; cell = cell->next)
        {
          g_autoptr(GString) markup = g_string_new (NULL);
          gboolean space = FALSE;
          gboolean has_link = FALSE;
          int colspan, rowspan;
          GtkWidget *label;

          if (!name_is (cell, "td") && !name_is (cell, "th"))
            continue;

          while (g_hash_table_contains (taken, GINT_TO_POINTER ((row << 8) | column)) &&
                 column < 255)
            column++;
          colspan = MIN (span_attr (cell, "colspan"), 255 - column);
          rowspan = span_attr (cell, "rowspan");
          if (colspan <= 0)
            break;
          for (int dr = 0; dr < rowspan; dr++)
            for (int dc = 0; dc < colspan; dc++)
              g_hash_table_add (taken, GINT_TO_POINTER (((row + dr) << 8) | (column + dc)));

          append_cell_markup (self, r->base_uri, cell, markup, &space, &has_link);
          while (markup->len > 0 && markup->str[markup->len - 1] == '\n')
            g_string_truncate (markup, markup->len - 1);

          label = gtk_label_new (NULL);
          gtk_label_set_markup (GTK_LABEL (label), markup->str);
          gtk_label_set_wrap (GTK_LABEL (label), TRUE);
          gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
          gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
          /* A selectable label selects all its text when Tab reaches it, and then lets
           * neither Tab nor Enter reach its links: a cell with links takes the focus link by
           * link instead, as a label with links does. */
          gtk_label_set_selectable (GTK_LABEL (label), !has_link);
          gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
          gtk_label_set_yalign (GTK_LABEL (label), 0.0f);
          gtk_widget_set_hexpand (label, TRUE);
          if (name_is (cell, "th"))
            gtk_widget_add_css_class (label, "heading");
          g_signal_connect_object (label, "activate-link",
                                   G_CALLBACK (cell_activate_link_cb), self, 0);
          gtk_grid_attach (GTK_GRID (grid), label, column, row, colspan, rowspan);
          if (has_link)
            g_object_set_data (G_OBJECT (label), "cn-has-link", GINT_TO_POINTER (TRUE));
          g_ptr_array_add (cells, label);
          column += colspan;
          n_cells++;
        }
    }

  if (n_cells == 0)
    {
      g_object_unref (g_object_ref_sink (grid));
      return;
    }

  scroller = gtk_scrolled_window_new ();
  /* Never scrolls up and down, but takes the height fit_table() gives it (a policy of NEVER
   * would take its child's minimum height instead). */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller),
                                  GTK_POLICY_AUTOMATIC, GTK_POLICY_EXTERNAL);
  /* Natural size up to the width of the text, and no minimum, so that a wide table scrolls
   * instead of holding the window wider than it is. */
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), grid);
  fit_table (scroller, available_width (self));
  gtk_widget_add_css_class (scroller, "card");
  g_ptr_array_add (self->tables, g_object_ref_sink (scroller));

  /* Where Tab meets the table among the links of the text. */
  g_object_set_data_full (G_OBJECT (scroller), "cn-anchor",
                          g_object_ref (insert_anchored (r, scroller)), g_object_unref);
  /* The labels belong to the grid, which lives as long as the scroller. */
  g_object_set_data_full (G_OBJECT (scroller), "cn-cells", g_steal_pointer (&cells),
                          (GDestroyNotify) g_ptr_array_unref);
  block_break (r, 2);
}

static void
render_block (Render     *r,
              xmlNode    *node,
              int         blank_lines,
              GtkTextTag *tag)
{
  GtkTextTag *align = alignment_tag (r, node);
  int start_offset;

  block_break (r, blank_lines);
  start_offset = gtk_text_iter_get_offset (&r->iter);
  if (tag != NULL)
    render_inline_with_tag (r, node, tag);
  else
    render_children (r, node);
  apply_block_tag (r, align, start_offset);
  block_break (r, blank_lines);
}

static void
render_node (Render  *r,
             xmlNode *node)
{
  static const char *const paragraphs[] = {
    "p", "dl", "address", "figcaption", "table", "center", "details", "summary", NULL
  };
  static const char *const divisions[] = {
    "div", "section", "article", "header", "footer", "main", "aside", "nav", "dt", "dd",
    "caption", "body", "html", NULL
  };
  static const char *const headings[] = { "h1", "h2", "h3", "h4", "h5", "h6", NULL };
  GtkTextTag *tag;

  if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
    {
      if (node->content != NULL)
        render_text (r, (const char *) node->content);
      return;
    }
  if (node->type != XML_ELEMENT_NODE || is_skipped (node))
    return;

  if (r->nesting >= MAX_NESTING)
    {
      /* Absurdly deep markup: keep the words, drop the structure. */
      g_autofree char *text = collapsed_text (node);

      render_text (r, text);
      render_text (r, " ");
      return;
    }

  r->nesting++;

  if (name_is (node, "a"))
    render_link (r, node);
  else if ((tag = inline_style_tag (r, node)) != NULL)
    render_inline_with_tag (r, node, tag);
  else if (name_is (node, "br"))
    {
      gtk_text_buffer_insert (r->buffer, &r->iter, "\n", 1);
      r->trailing_newlines++;
      r->pending_space = FALSE;
    }
  else if (name_is (node, "img"))
    render_image (r, node, NULL);
  else if (name_is (node, "figure"))
    {
      if (!render_figure (r, node))
        render_block (r, node, 2, NULL);
    }
  else if (name_is (node, "table"))
    {
      if (!render_figure (r, node))
        render_table (r, node);
    }
  else if (name_in (node, headings))
    {
      char name[4] = { 'h', ((const char *) node->name)[1], '\0', '\0' };

      render_block (r, node, 2, lookup_tag (r, name));
    }
  else if (name_is (node, "ul") || name_is (node, "menu"))
    render_list (r, node, FALSE);
  else if (name_is (node, "ol"))
    render_list (r, node, TRUE);
  else if (name_is (node, "li"))
    render_list_item (r, node);
  else if (name_is (node, "blockquote"))
    render_block (r, node, 2, lookup_tag (r, "quote"));
  else if (name_is (node, "pre"))
    {
      block_break (r, 2);
      r->pre_depth++;
      render_inline_with_tag (r, node, lookup_tag (r, "mono"));
      r->pre_depth--;
      block_break (r, 2);
    }
  else if (name_is (node, "hr"))
    block_break (r, 2);
  else if (name_in (node, paragraphs))
    render_block (r, node, 2, NULL);
  else if (name_in (node, divisions))
    render_block (r, node, 1, NULL);
  else
    render_children (r, node);

  r->nesting--;
}

static void
render_children (Render  *r,
                 xmlNode *node)
{
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    render_node (r, child);
}

static void
cn_html_view_clear (CnHtmlView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);

  unfocus_link (self);
  gtk_text_buffer_set_text (buffer, "", 0);
  for (guint i = 0; i < self->link_tags->len; i++)
    gtk_text_tag_table_remove (table, g_ptr_array_index (self->link_tags, i));
  g_ptr_array_set_size (self->link_tags, 0);
  g_ptr_array_set_size (self->images, 0);
  g_ptr_array_set_size (self->tables, 0);
}

/**
 * cn_html_view_set_html:
 * @html: (nullable): an HTML fragment or page, in UTF-8
 * @base_uri: (nullable): where the page came from, to resolve relative links and images
 */
void
cn_html_view_set_html (CnHtmlView *self,
                       const char *html,
                       const char *base_uri)
{
  Render r = { 0 };
  htmlDocPtr doc;
  xmlNode *root;
  GtkTextIter end;
  GtkTextIter start;

  g_return_if_fail (CN_IS_HTML_VIEW (self));

  cn_html_view_clear (self);
  if (html == NULL || *html == '\0')
    return;

  doc = htmlReadMemory (html, (int) MIN (strlen (html), G_MAXINT), base_uri, "UTF-8",
                        HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                        HTML_PARSE_RECOVER | HTML_PARSE_COMPACT);
  if (doc == NULL)
    return;

  r.self = self;
  r.buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  r.inline_tags = g_ptr_array_new ();
  r.base_uri = base_uri;
  r.trailing_newlines = G_MAXINT / 2;
  gtk_text_buffer_get_end_iter (r.buffer, &r.iter);

  root = xmlDocGetRootElement (doc);
  if (root != NULL)
    render_node (&r, root);

  /* No blank lines after the last paragraph. */
  gtk_text_buffer_get_end_iter (r.buffer, &end);
  start = end;
  while (gtk_text_iter_backward_char (&start) && gtk_text_iter_get_char (&start) == '\n')
    ;
  if (!gtk_text_iter_is_end (&start) && gtk_text_iter_get_char (&start) != '\n')
    gtk_text_iter_forward_char (&start);
  gtk_text_buffer_delete (r.buffer, &start, &end);

  g_ptr_array_unref (r.inline_tags);
  xmlFreeDoc (doc);

  queue_fit_children (self);
}

/**
 * cn_html_view_set_image_resolver:
 *
 * Sets how images are found in the local file cache. Call before cn_html_view_set_html(),
 * or call cn_html_view_reload_images() after.
 */
void
cn_html_view_set_image_resolver (CnHtmlView          *self,
                                 CnHtmlImageResolver  resolver,
                                 gpointer             user_data,
                                 GDestroyNotify       destroy)
{
  g_return_if_fail (CN_IS_HTML_VIEW (self));

  if (self->resolver_destroy != NULL)
    self->resolver_destroy (self->resolver_data);
  self->resolver = resolver;
  self->resolver_data = user_data;
  self->resolver_destroy = destroy;
}

/* Asks the resolver again, for instance once the sync client downloaded an image. */
void
cn_html_view_reload_images (CnHtmlView *self)
{
  g_return_if_fail (CN_IS_HTML_VIEW (self));

  for (guint i = 0; i < self->images->len; i++)
    {
      Image *image = g_ptr_array_index (self->images, i);
      g_autofree char *caption = NULL;

      if (image->paintable != NULL || image->src == NULL || self->resolver == NULL)
        continue;
      g_free (image->path);
      image->path = self->resolver (image->src, &caption, self->resolver_data);
      if (image->path != NULL)
        image_set_content (self, image);
    }
  queue_fit_children (self);
}

static GtkTextTag *
link_tag_at_iter (const GtkTextIter *iter)
{
  g_autoptr(GSList) tags = gtk_text_iter_get_tags (iter);

  for (GSList *l = tags; l != NULL; l = l->next)
    if (g_object_get_data (l->data, "cn-href") != NULL)
      return l->data;
  return NULL;
}

/**
 * cn_html_view_get_link_at_offset:
 *
 * Returns: (nullable): the address the character at @offset links to
 */
const char *
cn_html_view_get_link_at_offset (CnHtmlView *self,
                                 int         offset)
{
  GtkTextBuffer *buffer;
  GtkTextIter iter;
  GtkTextTag *tag;

  g_return_val_if_fail (CN_IS_HTML_VIEW (self), NULL);

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset);
  tag = link_tag_at_iter (&iter);
  return tag != NULL ? g_object_get_data (G_OBJECT (tag), "cn-href") : NULL;
}

guint
cn_html_view_get_n_images (CnHtmlView *self)
{
  g_return_val_if_fail (CN_IS_HTML_VIEW (self), 0);

  return self->images->len;
}

/**
 * cn_html_view_get_image_widget:
 *
 * Returns: (transfer none): the figure (picture or placeholder) of the image @index
 */
GtkWidget *
cn_html_view_get_image_widget (CnHtmlView *self,
                               guint       index)
{
  Image *image;

  g_return_val_if_fail (CN_IS_HTML_VIEW (self), NULL);
  g_return_val_if_fail (index < self->images->len, NULL);

  image = g_ptr_array_index (self->images, index);
  return image->content;
}

gboolean
cn_html_view_image_is_cached (CnHtmlView *self,
                              guint       index)
{
  Image *image;

  g_return_val_if_fail (CN_IS_HTML_VIEW (self), FALSE);
  g_return_val_if_fail (index < self->images->len, FALSE);

  image = g_ptr_array_index (self->images, index);
  return image->paintable != NULL;
}

guint
cn_html_view_get_n_tables (CnHtmlView *self)
{
  g_return_val_if_fail (CN_IS_HTML_VIEW (self), 0);

  return self->tables->len;
}

/**
 * cn_html_view_get_table:
 *
 * Returns: (transfer none): the GtkGrid of the table @index
 */
GtkWidget *
cn_html_view_get_table (CnHtmlView *self,
                        guint       index)
{
  GtkWidget *scroller;
  GtkWidget *child;

  g_return_val_if_fail (CN_IS_HTML_VIEW (self), NULL);
  g_return_val_if_fail (index < self->tables->len, NULL);

  scroller = g_ptr_array_index (self->tables, index);
  child = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  if (GTK_IS_VIEWPORT (child))
    child = gtk_viewport_get_child (GTK_VIEWPORT (child));
  return child;
}

/* The rendered text, without images and tables. */
char *
cn_html_view_get_text (CnHtmlView *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (CN_IS_HTML_VIEW (self), NULL);

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
activate_link_at (CnHtmlView  *self,
                  GtkTextIter *iter)
{
  GtkTextTag *tag = link_tag_at_iter (iter);
  gboolean handled = FALSE;

  if (tag == NULL)
    return FALSE;
  g_signal_emit (self, signals[ACTIVATE_LINK], 0,
                 g_object_get_data (G_OBJECT (tag), "cn-href"), &handled);
  return TRUE;
}

/* Keyboard access to links. Tab and Shift+Tab move from link to link in document order,
 * through the links of the tables' cells too, and out of the view after the last one, as
 * in a browser. The focused link is selected, which shows it and tells assistive
 * technologies its text through the text view's caret and selection, and its address is
 * the view's accessible description; a focus ring is drawn around it; Enter opens it as a
 * click does. */

/* The text of the link @index, or %FALSE when it has none (an empty <a>). */
static gboolean
link_range (CnHtmlView  *self,
            guint        index,
            GtkTextIter *start,
            GtkTextIter *end)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkTextTag *tag = g_ptr_array_index (self->link_tags, index);

  gtk_text_buffer_get_start_iter (buffer, start);
  if (!gtk_text_iter_starts_tag (start, tag) && !gtk_text_iter_forward_to_tag_toggle (start, tag))
    return FALSE;
  *end = *start;
  gtk_text_iter_forward_to_tag_toggle (end, tag);
  return gtk_text_iter_compare (start, end) < 0;
}

static int
table_offset (CnHtmlView *self,
              guint       index)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkTextChildAnchor *anchor = g_object_get_data (g_ptr_array_index (self->tables, index),
                                                  "cn-anchor");
  GtkTextIter iter;

  if (anchor == NULL || gtk_text_child_anchor_get_deleted (anchor))
    return -1;
  gtk_text_buffer_get_iter_at_child_anchor (buffer, &iter, anchor);
  return gtk_text_iter_get_offset (&iter);
}

/* Keeps the part of @widget from @top to @bottom (its own coordinates) in sight in the
 * scrolled window around the view, as Tab moves along the links. */
static void
scroll_into_view (CnHtmlView *self,
                  GtkWidget  *widget,
                  double      top,
                  double      bottom)
{
  GtkWidget *content;
  graphene_point_t top_point, bottom_point;

  if (self->scroller == NULL)
    return;
  content = gtk_scrolled_window_get_child (self->scroller);
  if (GTK_IS_VIEWPORT (content))
    content = gtk_viewport_get_child (GTK_VIEWPORT (content));
  if (content == NULL ||
      !gtk_widget_compute_point (widget, content, &GRAPHENE_POINT_INIT (0, top), &top_point) ||
      !gtk_widget_compute_point (widget, content, &GRAPHENE_POINT_INIT (0, bottom),
                                 &bottom_point))
    return;

  /* The content's coordinates are the vertical adjustment's: the viewport (or the view
   * itself when it scrolls) moves it by the adjustment's value. */
  if (content == GTK_WIDGET (self))
    {
      double value = gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (self->scroller));

      top_point.y += value;
      bottom_point.y += value;
    }
  gtk_adjustment_clamp_page (gtk_scrolled_window_get_vadjustment (self->scroller),
                             top_point.y - SCROLL_MARGIN, bottom_point.y + SCROLL_MARGIN);
}

static void
scroll_to_link (CnHtmlView        *self,
                const GtkTextIter *start,
                const GtkTextIter *end)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);
  GtkTextIter last = *end;
  GdkRectangle first_rect, last_rect;
  int x, top, bottom;

  gtk_text_iter_backward_char (&last);
  gtk_text_view_get_iter_location (view, start, &first_rect);
  gtk_text_view_get_iter_location (view, &last, &last_rect);
  gtk_text_view_buffer_to_window_coords (view, GTK_TEXT_WINDOW_WIDGET,
                                         first_rect.x, first_rect.y, &x, &top);
  gtk_text_view_buffer_to_window_coords (view, GTK_TEXT_WINDOW_WIDGET,
                                         last_rect.x, last_rect.y + last_rect.height,
                                         &x, &bottom);
  scroll_into_view (self, GTK_WIDGET (self), top, bottom);
}

static void
select_link_range (CnHtmlView        *self,
                   const GtkTextIter *insert,
                   const GtkTextIter *bound)
{
  self->selecting_link = TRUE;
  gtk_text_buffer_select_range (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self)), insert, bound);
  self->selecting_link = FALSE;
}

static void
focus_link (CnHtmlView *self,
            guint       index)
{
  GtkTextIter start, end;
  g_autofree char *description = NULL;

  if (!link_range (self, index, &start, &end))
    return;
  if (!gtk_widget_is_focus (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self));

  self->focus_link = index;
  /* The insertion point at the link's start, where Enter looks. */
  select_link_range (self, &start, &end);

  /* TRANSLATORS: the accessible description of the article body while Tab is on a link:
   * its number, the number of links, and its address */
  description = g_strdup_printf (_("Link %u of %u, %s"), index + 1, self->link_tags->len,
                                 (const char *) g_object_get_data (g_ptr_array_index (self->link_tags,
                                                                                      index),
                                                                   "cn-href"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
  scroll_to_link (self, &start, &end);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Forgets the focused link; @collapse also drops its selection. */
static void
forget_focus_link (CnHtmlView *self,
                   gboolean    collapse)
{
  GtkTextIter start, end;

  if (self->focus_link < 0)
    return;
  if (collapse && (guint) self->focus_link < self->link_tags->len &&
      link_range (self, self->focus_link, &start, &end))
    select_link_range (self, &start, &start);
  self->focus_link = -1;
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
unfocus_link (CnHtmlView *self)
{
  forget_focus_link (self, TRUE);
}

/* The user moved the caret or selected text: no link is focused any more. */
static void
mark_set_cb (GtkTextBuffer     *buffer,
             const GtkTextIter *location,
             GtkTextMark       *mark,
             CnHtmlView        *self)
{
  if (self->selecting_link)
    return;
  if (mark == gtk_text_buffer_get_insert (buffer) ||
      mark == gtk_text_buffer_get_selection_bound (buffer))
    forget_focus_link (self, FALSE);
}

static void
root_focus_changed_cb (CnHtmlView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (root == NULL || gtk_root_get_focus (root) != GTK_WIDGET (self))
    unfocus_link (self);
}

/*
 * The next place Tab stops at after the character @offset (before it when @forward is
 * %FALSE): a link of the text (*@link set) or a table (*@table set). %FALSE past the last.
 */
static gboolean
next_stop (CnHtmlView *self,
           int         offset,
           gboolean    forward,
           int        *link,
           int        *table)
{
  int best = forward ? G_MAXINT : -1;

  *link = -1;
  *table = -1;
  for (guint i = 0; i < self->link_tags->len; i++)
    {
      GtkTextIter start, end;
      int at;

      if (!link_range (self, i, &start, &end))
        continue;
      at = gtk_text_iter_get_offset (&start);
      if (forward ? (at > offset && at < best) : (at < offset && at > best))
        best = at, *link = i;
    }
  for (guint i = 0; i < self->tables->len; i++)
    {
      int at = table_offset (self, i);

      if (at >= 0 && (forward ? (at > offset && at < best) : (at < offset && at > best)))
        best = at, *link = -1, *table = i;
    }

  return *link >= 0 || *table >= 0;
}

/*
 * Moves the focus in the table @index: to the next (or previous) link of the cell that has
 * it, else to the first (or last) link of the next (or previous) cell with links. Cells
 * without links are passed: their text is read in the table, not stopped at one by one.
 */
static gboolean
table_child_focus (CnHtmlView       *self,
                   guint             index,
                   GtkDirectionType  direction)
{
  GtkWidget *scroller = g_ptr_array_index (self->tables, index);
  GPtrArray *cells = g_object_get_data (G_OBJECT (scroller), "cn-cells");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  gboolean forward = direction == GTK_DIR_TAB_FORWARD;
  int current = -1;

  if (cells == NULL || cells->len == 0)
    return FALSE;
  for (guint i = 0; i < cells->len && focus != NULL; i++)
    if (focus == g_ptr_array_index (cells, i))
      current = i;

  if (current >= 0 && g_object_get_data (g_ptr_array_index (cells, current), "cn-has-link") &&
      gtk_widget_child_focus (g_ptr_array_index (cells, current), direction))
    return TRUE;

  for (int i = current >= 0 ? current + (forward ? 1 : -1) : (forward ? 0 : (int) cells->len - 1);
       i >= 0 && i < (int) cells->len; i += forward ? 1 : -1)
    {
      GtkWidget *cell = g_ptr_array_index (cells, i);

      if (g_object_get_data (G_OBJECT (cell), "cn-has-link") &&
          gtk_widget_child_focus (cell, direction))
        {
          scroll_into_view (self, cell, 0, gtk_widget_get_height (cell));
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
cn_html_view_focus (GtkWidget        *widget,
                    GtkDirectionType  direction)
{
  CnHtmlView *self = CN_HTML_VIEW (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkWidget *focus_child = gtk_widget_get_focus_child (widget);
  gboolean forward = direction == GTK_DIR_TAB_FORWARD;
  gboolean entering = FALSE;
  int offset;
  int link, table;

  if (direction != GTK_DIR_TAB_FORWARD && direction != GTK_DIR_TAB_BACKWARD)
    return GTK_WIDGET_CLASS (cn_html_view_parent_class)->focus (widget, direction);

  if (focus_child != NULL)
    {
      /* In a table: its cells' links first, then on from the table. */
      offset = -1;
      for (guint i = 0; i < self->tables->len; i++)
        if (g_ptr_array_index (self->tables, i) == (gpointer) focus_child)
          {
            if (table_child_focus (self, i, direction))
              return TRUE;
            offset = table_offset (self, i);
          }
      if (offset < 0)
        return FALSE;
    }
  else if (gtk_widget_is_focus (widget))
    {
      GtkTextIter start, end;

      if (self->focus_link >= 0 && link_range (self, self->focus_link, &start, &end))
        offset = gtk_text_iter_get_offset (&start);
      else
        {
          /* From the caret, where the user clicked; a link starting there is next. */
          gtk_text_buffer_get_iter_at_mark (buffer, &start, gtk_text_buffer_get_insert (buffer));
          offset = gtk_text_iter_get_offset (&start) - (forward ? 1 : 0);
        }
    }
  else
    {
      entering = TRUE;
      offset = forward ? -1 : G_MAXINT;
    }

  while (next_stop (self, offset, forward, &link, &table))
    {
      if (link >= 0)
        {
          focus_link (self, link);
          return TRUE;
        }
      if (table_child_focus (self, table, direction))
        {
          unfocus_link (self);
          return TRUE;
        }
      offset = table_offset (self, table);
    }

  /* Nothing to stop at inside: a body without links still takes the focus once, to be
   * scrolled and read with the keyboard. */
  if (entering && gtk_widget_get_focusable (widget) && gtk_widget_grab_focus (widget))
    return TRUE;
  unfocus_link (self);
  return FALSE;
}

/* A focus ring around the focused link, as GtkLabel draws around its focused link. */
static void
cn_html_view_snapshot_layer (GtkTextView      *view,
                             GtkTextViewLayer  layer,
                             GtkSnapshot      *snapshot)
{
  CnHtmlView *self = CN_HTML_VIEW (view);
  GtkTextIter start, end, iter;
  GdkRGBA color = self->link_color;

  if (GTK_TEXT_VIEW_CLASS (cn_html_view_parent_class)->snapshot_layer != NULL)
    GTK_TEXT_VIEW_CLASS (cn_html_view_parent_class)->snapshot_layer (view, layer, snapshot);

  /* Only Tab focuses a link, and a click lets it go: the ring follows the view's focus,
   * not the window's focus-visible, which GTK turns off when a key leaves the focus in the
   * same widget, as moving from link to link does. */
  if (layer != GTK_TEXT_VIEW_LAYER_ABOVE_TEXT || self->focus_link < 0 ||
      !gtk_widget_has_focus (GTK_WIDGET (self)) ||
      !link_range (self, self->focus_link, &start, &end))
    return;

  color.alpha = 0.5f;
  /* One rectangle for each display line the link is on. */
  for (iter = start; gtk_text_iter_compare (&iter, &end) < 0;)
    {
      GtkTextIter next = iter;
      GtkTextIter last;
      GdkRectangle first_rect, last_rect;
      GskRoundedRect outline;
      const float widths[4] = { 2, 2, 2, 2 };
      const GdkRGBA colors[4] = { color, color, color, color };
      int top, bottom;

      if (!gtk_text_view_forward_display_line (view, &next) ||
          gtk_text_iter_compare (&next, &end) > 0 || gtk_text_iter_compare (&next, &iter) <= 0)
        next = end;
      last = next;
      gtk_text_iter_backward_char (&last);
      gtk_text_view_get_iter_location (view, &iter, &first_rect);
      gtk_text_view_get_iter_location (view, &last, &last_rect);
      top = MIN (first_rect.y, last_rect.y);
      bottom = MAX (first_rect.y + first_rect.height, last_rect.y + last_rect.height);
      gsk_rounded_rect_init_from_rect (&outline,
                                       &GRAPHENE_RECT_INIT (first_rect.x - 2, top - 1,
                                                            last_rect.x + last_rect.width
                                                            - first_rect.x + 4,
                                                            bottom - top + 2),
                                       4);
      gtk_snapshot_append_border (snapshot, &outline, widths, colors);
      iter = next;
    }
}

static void
click_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   CnHtmlView      *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkTextIter start, end, iter;
  int bx, by;

  if (gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture)) > 1)
    return;
  /* A drag that selected text is not a click on a link. */
  if (gtk_text_buffer_get_selection_bounds (buffer, &start, &end))
    return;

  gtk_text_view_window_to_buffer_coords (GTK_TEXT_VIEW (self), GTK_TEXT_WINDOW_WIDGET,
                                         (int) x, (int) y, &bx, &by);
  if (gtk_text_view_get_iter_at_location (GTK_TEXT_VIEW (self), &iter, bx, by))
    activate_link_at (self, &iter);
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           CnHtmlView               *self)
{
  GtkTextIter iter;
  gboolean over_link = FALSE;
  int bx, by;

  gtk_text_view_window_to_buffer_coords (GTK_TEXT_VIEW (self), GTK_TEXT_WINDOW_WIDGET,
                                         (int) x, (int) y, &bx, &by);
  if (gtk_text_view_get_iter_at_location (GTK_TEXT_VIEW (self), &iter, bx, by))
    over_link = link_tag_at_iter (&iter) != NULL;

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), over_link ? "pointer" : "text");
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                CnHtmlView            *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkTextIter iter;

  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return FALSE;

  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  return activate_link_at (self, &iter);
}

/*
 * GTK shows focus rings only after a key moved the focus to another widget, and hides them
 * when a key leaves it in the same one: Tab from link to link of a table cell would hide
 * the cell's ring around its focused link. The view draws its own ring while it has the
 * focus; for a cell, the window is told again that the keyboard moves the focus.
 */
static void
tab_released_cb (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 CnHtmlView            *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if ((keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab || keyval == GDK_KEY_ISO_Left_Tab) &&
      GTK_IS_WINDOW (root) && !gtk_window_get_focus_visible (GTK_WINDOW (root)) &&
      GTK_IS_LABEL (focus) && gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    gtk_window_set_focus_visible (GTK_WINDOW (root), TRUE);
}

static void
dark_changed_cb (CnHtmlView *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GdkRGBA color;

  /* libadwaita's accent colours for links, light and dark. */
  gdk_rgba_parse (&color, adw_style_manager_get_dark (manager) ? "#78aeed" : "#1c71d8");
  g_object_set (self->link_tag, "foreground-rgba", &color, NULL);
  self->link_color = color;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
cn_html_view_real_activate_link (CnHtmlView *self,
                                 const char *uri)
{
  cn_widget_open_link (GTK_WIDGET (self), uri);
  return TRUE;
}

static void
cn_html_view_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  CnHtmlView *self = CN_HTML_VIEW (widget);

  GTK_WIDGET_CLASS (cn_html_view_parent_class)->size_allocate (widget, width, height, baseline);

  /* Images and tables follow the width of the text, outside the allocation. */
  if (width != self->last_width)
    {
      self->last_width = width;
      queue_fit_children (self);
    }
}

static void
scroller_width_changed_cb (CnHtmlView *self)
{
  queue_fit_children (self);
}

static void
root_changed_cb (CnHtmlView *self)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);

  if ((GtkScrolledWindow *) scroller == self->scroller)
    return;
  if (self->scroller != NULL)
    {
      g_signal_handlers_disconnect_by_func (gtk_scrolled_window_get_hadjustment (self->scroller),
                                            scroller_width_changed_cb, self);
      g_object_remove_weak_pointer (G_OBJECT (self->scroller), (gpointer *) &self->scroller);
    }
  self->scroller = (GtkScrolledWindow *) scroller;
  if (self->scroller != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (self->scroller), (gpointer *) &self->scroller);
      g_signal_connect_object (gtk_scrolled_window_get_hadjustment (self->scroller),
                               "notify::page-size", G_CALLBACK (scroller_width_changed_cb),
                               self, G_CONNECT_SWAPPED);
    }
  queue_fit_children (self);
}

static void
cn_html_view_root (GtkWidget *widget)
{
  CnHtmlView *self = CN_HTML_VIEW (widget);

  GTK_WIDGET_CLASS (cn_html_view_parent_class)->root (widget);

  /* Tab may move the focus out of the view from a link, or a click elsewhere. */
  self->root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (self->root))
    g_signal_connect_object (self->root, "notify::focus-widget",
                             G_CALLBACK (root_focus_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
cn_html_view_unroot (GtkWidget *widget)
{
  CnHtmlView *self = CN_HTML_VIEW (widget);

  if (self->root != NULL)
    g_signal_handlers_disconnect_by_func (self->root, root_focus_changed_cb, self);
  self->root = NULL;
  unfocus_link (self);

  GTK_WIDGET_CLASS (cn_html_view_parent_class)->unroot (widget);
}

static void
cn_html_view_dispose (GObject *object)
{
  CnHtmlView *self = CN_HTML_VIEW (object);

  g_clear_handle_id (&self->fit_idle_id, g_source_remove);
  if (self->scroller != NULL)
    {
      g_signal_handlers_disconnect_by_func (gtk_scrolled_window_get_hadjustment (self->scroller),
                                            scroller_width_changed_cb, self);
      g_object_remove_weak_pointer (G_OBJECT (self->scroller), (gpointer *) &self->scroller);
      self->scroller = NULL;
    }
  g_clear_signal_handler (&self->dark_handler_id, adw_style_manager_get_default ());
  if (self->images != NULL)
    g_ptr_array_set_size (self->images, 0);
  if (self->tables != NULL)
    g_ptr_array_set_size (self->tables, 0);
  if (self->resolver_destroy != NULL)
    self->resolver_destroy (self->resolver_data);
  self->resolver = NULL;
  self->resolver_data = NULL;
  self->resolver_destroy = NULL;

  G_OBJECT_CLASS (cn_html_view_parent_class)->dispose (object);
}

static void
cn_html_view_finalize (GObject *object)
{
  CnHtmlView *self = CN_HTML_VIEW (object);

  g_clear_pointer (&self->images, g_ptr_array_unref);
  g_clear_pointer (&self->tables, g_ptr_array_unref);
  g_clear_pointer (&self->link_tags, g_ptr_array_unref);

  G_OBJECT_CLASS (cn_html_view_parent_class)->finalize (object);
}

static void
cn_html_view_class_init (CnHtmlViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkTextViewClass *text_view_class = GTK_TEXT_VIEW_CLASS (klass);

  object_class->dispose = cn_html_view_dispose;
  object_class->finalize = cn_html_view_finalize;
  widget_class->size_allocate = cn_html_view_size_allocate;
  widget_class->focus = cn_html_view_focus;
  widget_class->root = cn_html_view_root;
  widget_class->unroot = cn_html_view_unroot;
  text_view_class->snapshot_layer = cn_html_view_snapshot_layer;

  /**
   * CnHtmlView::activate-link:
   * @uri: the absolute http(s), mailto or tel address
   *
   * Emitted when a link is clicked, or Enter is pressed on the link Tab moved to; the
   * default handler opens it with the desktop's browser. Return %TRUE to stop that.
   */
  signals[ACTIVATE_LINK] =
    g_signal_new_class_handler ("activate-link",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                G_CALLBACK (cn_html_view_real_activate_link),
                                g_signal_accumulator_true_handled, NULL,
                                NULL,
                                G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
}

static void
create_tags (CnHtmlView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  static const double heading_scale[] = { 1.6, 1.4, 1.2, 1.1, 1.0, 1.0 };

  gtk_text_buffer_create_tag (buffer, "bold", "weight", PANGO_WEIGHT_BOLD, NULL);
  gtk_text_buffer_create_tag (buffer, "italic", "style", PANGO_STYLE_ITALIC, NULL);
  gtk_text_buffer_create_tag (buffer, "underline", "underline", PANGO_UNDERLINE_SINGLE, NULL);
  gtk_text_buffer_create_tag (buffer, "strike", "strikethrough", TRUE, NULL);
  gtk_text_buffer_create_tag (buffer, "mono", "family", "monospace", NULL);
  gtk_text_buffer_create_tag (buffer, "small", "scale", 0.85, NULL);
  gtk_text_buffer_create_tag (buffer, "mark", "background", "#f8e45c", "foreground", "#000000",
                              NULL);
  gtk_text_buffer_create_tag (buffer, "sub", "rise", -3 * PANGO_SCALE, "scale", 0.75, NULL);
  gtk_text_buffer_create_tag (buffer, "sup", "rise", 5 * PANGO_SCALE, "scale", 0.75, NULL);
  for (int level = 1; level <= 6; level++)
    {
      g_autofree char *name = g_strdup_printf ("h%d", level);

      gtk_text_buffer_create_tag (buffer, name,
                                  "weight", PANGO_WEIGHT_BOLD,
                                  "scale", heading_scale[level - 1],
                                  NULL);
    }
  gtk_text_buffer_create_tag (buffer, "quote",
                              "left-margin", 24, "style", PANGO_STYLE_ITALIC, NULL);
  gtk_text_buffer_create_tag (buffer, "center", "justification", GTK_JUSTIFY_CENTER, NULL);
  gtk_text_buffer_create_tag (buffer, "right", "justification", GTK_JUSTIFY_RIGHT, NULL);
  /* Deeper lists are created later, so that their margins win over the outer ones. */
  for (int depth = 1; depth <= MAX_LIST_DEPTH; depth++)
    {
      g_autofree char *name = g_strdup_printf ("li-%d", depth);

      gtk_text_buffer_create_tag (buffer, name,
                                  "left-margin", 8 + 24 * depth,
                                  "indent", -16,
                                  NULL);
    }
  gtk_text_buffer_create_tag (buffer, "caption",
                              "justification", GTK_JUSTIFY_CENTER,
                              "style", PANGO_STYLE_ITALIC,
                              "scale", 0.9,
                              NULL);
  self->link_tag = gtk_text_buffer_create_tag (buffer, "link",
                                               "underline", PANGO_UNDERLINE_SINGLE,
                                               NULL);
}

/* The body reads as part of the page around it, not as a white text field. */
static void
ensure_css (GtkWidget *widget)
{
  static gsize once;

  if (gdk_display_get_default () == NULL)
    return;
  if (g_once_init_enter (&once))
    {
      GtkCssProvider *provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_data (provider,
                                       "textview.cn-html-view, textview.cn-html-view > text "
                                       "{ background: none; }", -1);
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_object_unref (provider);
      g_once_init_leave (&once, 1);
    }
}

static void
cn_html_view_init (CnHtmlView *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);
  GtkGesture *click;
  GtkEventController *motion;
  GtkEventController *key;

  self->images = g_ptr_array_new_with_free_func (image_free);
  self->tables = g_ptr_array_new_with_free_func (g_object_unref);
  self->link_tags = g_ptr_array_new_with_free_func (g_object_unref);
  self->focus_link = -1;

  gtk_text_view_set_editable (view, FALSE);
  gtk_text_view_set_cursor_visible (view, FALSE);
  gtk_text_view_set_wrap_mode (view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_pixels_below_lines (view, 2);
  gtk_text_view_set_pixels_inside_wrap (view, 2);
  gtk_widget_add_css_class (GTK_WIDGET (self), "cn-html-view");
  ensure_css (GTK_WIDGET (self));

  create_tags (self);
  g_signal_connect_object (gtk_text_view_get_buffer (view), "mark-set",
                           G_CALLBACK (mark_set_cb), self, 0);
  dark_changed_cb (self);
  self->dark_handler_id = g_signal_connect_swapped (adw_style_manager_get_default (),
                                                    "notify::dark",
                                                    G_CALLBACK (dark_changed_cb), self);

  g_signal_connect (self, "notify::root", G_CALLBACK (root_changed_cb), NULL);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  key = gtk_event_controller_key_new ();
  gtk_event_controller_set_name (key, "cn-html-view-keys");
  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  key = gtk_event_controller_key_new ();
  gtk_event_controller_set_name (key, "cn-html-view-tab-release");
  g_signal_connect (key, "key-released", G_CALLBACK (tab_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
}

GtkWidget *
cn_html_view_new (void)
{
  return g_object_new (CN_TYPE_HTML_VIEW, NULL);
}
