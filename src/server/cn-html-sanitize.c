/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-server"

#include "config.h"

#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/uri.h>

#include "cn-html-sanitize.h"

/* Deeper nesting than this is flattened: the tags go, the text stays. */
#define MAX_OUTPUT_DEPTH 64

typedef enum {
  TAG_UNWRAP,  /* not allowed: drop the tag, keep what is inside */
  TAG_KEEP,
  TAG_DROP,    /* not allowed, and its content is not text for a reader either */
} TagAction;

typedef struct {
  const char *name;
  gboolean    block;  /* white space around it does not matter; a line break in text */
  gboolean    empty;  /* a void element: no content, no end tag */
} AllowedTag;

static const AllowedTag allowed_tags[] = {
  { "a", FALSE, FALSE },
  { "b", FALSE, FALSE },
  { "blockquote", TRUE, FALSE },
  { "br", FALSE, TRUE },
  { "div", TRUE, FALSE },
  { "em", FALSE, FALSE },
  { "figcaption", TRUE, FALSE },
  { "figure", TRUE, FALSE },
  { "h1", TRUE, FALSE },
  { "h2", TRUE, FALSE },
  { "h3", TRUE, FALSE },
  { "h4", TRUE, FALSE },
  { "h5", TRUE, FALSE },
  { "h6", TRUE, FALSE },
  { "hr", TRUE, TRUE },
  { "i", FALSE, FALSE },
  { "img", FALSE, TRUE },
  { "li", TRUE, FALSE },
  { "ol", TRUE, FALSE },
  { "p", TRUE, FALSE },
  { "span", FALSE, FALSE },
  { "strong", FALSE, FALSE },
  { "sub", FALSE, FALSE },
  { "sup", FALSE, FALSE },
  { "table", TRUE, FALSE },
  { "tbody", TRUE, FALSE },
  { "td", TRUE, FALSE },
  { "th", TRUE, FALSE },
  { "thead", TRUE, FALSE },
  { "tr", TRUE, FALSE },
  { "u", FALSE, FALSE },
  { "ul", TRUE, FALSE },
};

/* Dropped together with everything inside them. */
static const char * const dropped_tags[] = {
  "applet", "audio", "base", "button", "canvas", "embed", "form", "frame", "frameset",
  "head", "iframe", "input", "link", "map", "math", "meta", "noembed", "noframes",
  "noscript", "object", "option", "param", "script", "select", "source", "style", "svg",
  "template", "textarea", "title", "track", "video",
};

/* Unwrapped, but block-level for white space and for text extraction. */
static const char * const other_block_tags[] = {
  "address", "article", "aside", "caption", "center", "dd", "dl", "dt", "footer", "header",
  "li", "main", "nav", "pre", "section", "tfoot",
};

static const AllowedTag *
lookup_allowed (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (allowed_tags); i++)
    if (strcmp (allowed_tags[i].name, name) == 0)
      return &allowed_tags[i];
  return NULL;
}

static gboolean
in_list (const char * const *list,
         gsize               n,
         const char         *name)
{
  for (gsize i = 0; i < n; i++)
    if (strcmp (list[i], name) == 0)
      return TRUE;
  return FALSE;
}

static TagAction
tag_action (xmlNode *node)
{
  const char *name = (const char *) node->name;

  if (node->ns != NULL)  /* <svg:…>, <o:p> and such */
    return TAG_UNWRAP;
  if (in_list (dropped_tags, G_N_ELEMENTS (dropped_tags), name))
    return TAG_DROP;
  if (lookup_allowed (name) != NULL)
    return TAG_KEEP;
  return TAG_UNWRAP;
}

static gboolean
is_block (xmlNode *node)
{
  const AllowedTag *tag;

  if (node == NULL || node->type != XML_ELEMENT_NODE)
    return FALSE;
  tag = lookup_allowed ((const char *) node->name);
  if (tag != NULL)
    return tag->block;
  return in_list (other_block_tags, G_N_ELEMENTS (other_block_tags), (const char *) node->name)
         || g_str_equal ((const char *) node->name, "body")
         || g_str_equal ((const char *) node->name, "html");
}

static void
silent_error (void *user_data, xmlError *error)
{
}

static gboolean
has_prefix (const char *data,
            gsize       len,
            gsize       i,
            const char *prefix)
{
  gsize n = strlen (prefix);

  return len - i >= n && memcmp (data + i, prefix, n) == 0;
}

/* The offset just past the first "end" at or after i, or len. */
static gsize
skip_past (const char *data,
           gsize       len,
           gsize       i,
           const char *end)
{
  const char *found = g_strstr_len (data + i, len - i, end);

  return found != NULL ? (gsize) (found - data) + strlen (end) : len;
}

guint
cn_markup_max_attributes (const char *data,
                          gsize       len,
                          gboolean    xml)
{
  guint max = 0;
  gsize i = 0;

  while (i < len && max <= CN_MARKUP_MAX_ATTRIBUTES)
    {
      guint tokens = 0;
      gboolean after_space = FALSE;
      char last = '\0';
      guchar next;

      if (data[i] != '<')
        {
          const char *lt = memchr (data + i, '<', len - i);

          if (lt == NULL)
            break;
          i = lt - data;
        }
      if (has_prefix (data, len, i, "<!--"))
        {
          i = skip_past (data, len, i + 4, "-->");
          continue;
        }
      if (xml && has_prefix (data, len, i, "<![CDATA["))
        {
          i = skip_past (data, len, i + 9, "]]>");
          continue;
        }
      if (xml && has_prefix (data, len, i, "<?"))
        {
          i = skip_past (data, len, i + 2, "?>");
          continue;
        }
      next = i + 1 < len ? (guchar) data[i + 1] : '\0';
      if (!g_ascii_isalpha (next) && next != '_' && next != ':' && !(xml && next >= 0x80))
        {
          /* An end tag, a declaration, or a "<" that is text: no attributes. */
          i++;
          continue;
        }

      /* A start tag: count what follows white space until ">", where a quote after "="
       * opens a value (elsewhere the parsers do not treat it as one). */
      for (i++; i < len && data[i] != '>'; i++)
        {
          char c = data[i];

          if ((c == '"' || c == '\'') && last == '=')
            {
              const char *close = memchr (data + i + 1, c, len - i - 1);

              i = close != NULL ? (gsize) (close - data) : len - 1;
              last = c;
              after_space = FALSE;
              continue;
            }
          if (g_ascii_isspace (c))
            after_space = TRUE;
          else
            {
              if (after_space)
                tokens++;
              after_space = FALSE;
              last = c;
            }
        }
      max = MAX (max, tokens);
      i++;
    }
  return max;
}

htmlDocPtr
cn_html_parse (const char *html,
               gssize      len)
{
  htmlParserCtxtPtr ctxt;
  htmlDocPtr doc;

  g_return_val_if_fail (html != NULL || len == 0, NULL);

  if (len < 0)
    len = strlen (html);
  if (len > G_MAXINT)
    return NULL;

  /* libxml2 guesses another encoding at the first invalid byte and would hand back
   * whatever that makes; a stray byte should cost one character, not the text. */
  if (!g_utf8_validate_len (html, len, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (html, len);

      return cn_html_parse (valid, strlen (valid));
    }

  /* libxml2 2.9 looks for a repeated attribute in quadratic time: a tag with a million
   * attributes would take hours. */
  if (cn_markup_max_attributes (html, len, FALSE) > CN_MARKUP_MAX_ATTRIBUTES)
    return NULL;

  ctxt = htmlNewParserCtxt ();
  if (ctxt == NULL)
    return NULL;
  /* Keep libxml2 from printing every complaint about the web's HTML on stderr. */
  ctxt->sax->serror = silent_error;
  doc = htmlCtxtReadMemory (ctxt, len > 0 ? html : "", (int) len, NULL, "UTF-8",
                            HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
  htmlFreeParserCtxt (ctxt);
  return doc;
}

static xmlNode *
find_element (xmlNode    *node,
              const char *name)
{
  for (; node != NULL; node = node->next)
    if (node->type == XML_ELEMENT_NODE && g_str_equal ((const char *) node->name, name))
      return node;
  return NULL;
}

/* The node whose children are the content: <body>, or the root itself. */
static xmlNode *
content_root (htmlDocPtr doc)
{
  xmlNode *root = xmlDocGetRootElement (doc);
  xmlNode *body;

  if (root == NULL)
    return NULL;
  body = find_element (root->children, "body");
  return body != NULL ? body : root;
}

static void
append_escaped (GString    *out,
                const char *text,
                gboolean    attribute)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '&':
          g_string_append (out, "&amp;");
          break;
        case '<':
          g_string_append (out, "&lt;");
          break;
        case '>':
          g_string_append (out, "&gt;");
          break;
        case '"':
          if (attribute)
            g_string_append (out, "&quot;");
          else
            g_string_append_c (out, '"');
          break;
        default:
          g_string_append_c (out, *p);
          break;
        }
    }
}

/* Appends text with every run of white space made one space, none at the start of the
 * output or of a line. */
static void
append_collapsed (GString    *out,
                  const char *text,
                  gboolean    escape)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      gboolean space = g_ascii_isspace (*p);

      if (!escape && p[0] == '\xc2' && p[1] == '\xa0')  /* in plain text, &nbsp; is a space */
        {
          space = TRUE;
          p++;
        }
      if (space)
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ' && out->str[out->len - 1] != '\n')
            g_string_append_c (out, ' ');
        }
      else if (escape && *p == '&')
        g_string_append (out, "&amp;");
      else if (escape && *p == '<')
        g_string_append (out, "&lt;");
      else if (escape && *p == '>')
        g_string_append (out, "&gt;");
      else
        g_string_append_c (out, *p);
    }
}

/* The length of the URL's scheme (RFC 3986: a letter, then letters, digits, "+", "-" or
 * "."), 0 when the URL has none and is relative. */
static gsize
scheme_length (const char *url)
{
  gsize n = 0;

  if (!g_ascii_isalpha (url[0]))
    return 0;
  while (g_ascii_isalnum (url[n]) || url[n] == '+' || url[n] == '-' || url[n] == '.')
    n++;
  return url[n] == ':' ? n : 0;
}

/* Escapes what may not stand in a URL (spaces, non-ASCII, quotes, …) and keeps it only if
 * GLib then reads it as http(s) with a host, or as mailto with an address. */
static char *
checked_url (const char *url,
             gboolean    allow_mailto)
{
  g_autofree char *escaped = g_uri_escape_string (url, ":/?#[]@!$&'()*+,;=%", FALSE);
  g_autoptr(GUri) uri = NULL;
  gsize n = scheme_length (escaped);
  const char *host;

  if (n == 0)
    return NULL;
  for (gsize i = 0; i < n; i++)
    escaped[i] = g_ascii_tolower (escaped[i]);
  uri = g_uri_parse (escaped, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return NULL;
  if (g_str_equal (g_uri_get_scheme (uri), "mailto"))
    return allow_mailto && g_uri_get_path (uri)[0] != '\0' ? g_steal_pointer (&escaped) : NULL;
  host = g_uri_get_host (uri);
  if ((g_str_equal (g_uri_get_scheme (uri), "http") || g_str_equal (g_uri_get_scheme (uri), "https"))
      && host != NULL && host[0] != '\0')
    return g_steal_pointer (&escaped);
  return NULL;
}

/* Is the URL safe to keep, and what is it absolutely? Returns NULL to drop it. */
char *
cn_html_resolve_url (const char *value,
                     const char *base_url,
                     gboolean    allow_mailto)
{
  g_autoptr(GString) compact = g_string_new (NULL);
  const char *start = value;
  const char *end = value + strlen (value);
  gsize n;

  /* As browsers do (WHATWG URL): control characters and spaces around the URL go, tabs and
   * line breaks inside it too, so that "java\tscript:" is judged as "javascript:". */
  while (start < end && (guchar) *start <= 0x20)
    start++;
  while (end > start && (guchar) end[-1] <= 0x20)
    end--;
  for (const char *p = start; p < end; p++)
    if (*p != '\t' && *p != '\n' && *p != '\r')
      g_string_append_c (compact, *p);
  if (compact->len == 0)
    return NULL;

  n = scheme_length (compact->str);
  if (n > 0)
    {
      g_autofree char *scheme = g_ascii_strdown (compact->str, n);

      if (g_str_equal (scheme, "http") || g_str_equal (scheme, "https")
          || (allow_mailto && g_str_equal (scheme, "mailto")))
        return checked_url (compact->str, allow_mailto);
      return NULL;
    }

  /* Relative (or scheme-relative "//host/…"): only meaningful against the page's URL. */
  if (base_url != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (compact->str, ":/?#[]@!$&'()*+,;=%", FALSE);
      xmlChar *built = xmlBuildURI ((const xmlChar *) escaped, (const xmlChar *) base_url);
      char *result = NULL;

      if (built != NULL)
        {
          result = checked_url ((const char *) built, FALSE);
          xmlFree (built);
        }
      return result;
    }
  return NULL;
}

static gboolean
is_small_number (const char *value)
{
  gsize n = strlen (value);

  if (n == 0 || n > 5)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (value[i]))
      return FALSE;
  return TRUE;
}

static void
append_attribute (GString    *out,
                  const char *name,
                  const char *value)
{
  g_string_append_printf (out, " %s=\"", name);
  append_escaped (out, value, TRUE);
  g_string_append_c (out, '"');
}

static char *
dup_attribute (xmlNode    *node,
               const char *name)
{
  xmlChar *value = xmlGetNoNsProp (node, (const xmlChar *) name);
  char *copy;

  if (value == NULL)
    return NULL;
  copy = g_strdup ((const char *) value);
  xmlFree (value);
  return copy;
}

/* Writes the start tag; FALSE when the element is to be unwrapped after all
 * (a link without a usable href, an image without a usable src). */
static gboolean
append_start_tag (GString    *out,
                  xmlNode    *node,
                  const char *base_url)
{
  const char *name = (const char *) node->name;
  g_autoptr(GString) attrs = g_string_new (NULL);

  if (g_str_equal (name, "a"))
    {
      g_autofree char *href = dup_attribute (node, "href");
      g_autofree char *url = href != NULL ? cn_html_resolve_url (href, base_url, TRUE) : NULL;
      g_autofree char *title = dup_attribute (node, "title");

      if (url == NULL)
        return FALSE;
      append_attribute (attrs, "href", url);
      if (title != NULL)
        append_attribute (attrs, "title", title);
    }
  else if (g_str_equal (name, "img"))
    {
      g_autofree char *src = dup_attribute (node, "src");
      g_autofree char *url = src != NULL ? cn_html_resolve_url (src, base_url, FALSE) : NULL;
      g_autofree char *alt = dup_attribute (node, "alt");
      g_autofree char *width = dup_attribute (node, "width");
      g_autofree char *height = dup_attribute (node, "height");

      if (url == NULL)
        return FALSE;
      append_attribute (attrs, "src", url);
      if (alt != NULL)
        append_attribute (attrs, "alt", alt);
      if (width != NULL && is_small_number (width))
        append_attribute (attrs, "width", width);
      if (height != NULL && is_small_number (height))
        append_attribute (attrs, "height", height);
    }
  else if (g_str_equal (name, "td") || g_str_equal (name, "th"))
    {
      g_autofree char *colspan = dup_attribute (node, "colspan");
      g_autofree char *rowspan = dup_attribute (node, "rowspan");

      if (colspan != NULL && is_small_number (colspan))
        append_attribute (attrs, "colspan", colspan);
      if (rowspan != NULL && is_small_number (rowspan))
        append_attribute (attrs, "rowspan", rowspan);
    }

  g_string_append_printf (out, "<%s%s>", name, attrs->str);
  return TRUE;
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static gboolean is_blank (const char *text);

/* Comments, dropped elements and other blank text: nothing that shows. */
static gboolean
is_invisible (xmlNode *node)
{
  if (node->type == XML_ELEMENT_NODE)
    return tag_action (node) == TAG_DROP;
  if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
    return node->content == NULL || is_blank ((const char *) node->content);
  return TRUE;
}

/* A blank text node next to a block (or at the edge of one) means nothing. */
static gboolean
is_insignificant_blank (xmlNode *node)
{
  xmlNode *prev = node->prev;
  xmlNode *next = node->next;

  if (!is_blank ((const char *) node->content))
    return FALSE;
  /* Look past what does not show, but not far: a page of a million comments must not
   * cost a million squared steps. Past the limit the blank stays (as one space). */
  for (guint i = 0; prev != NULL && is_invisible (prev); i++)
    {
      if (i == 16)
        return FALSE;
      prev = prev->prev;
    }
  for (guint i = 0; next != NULL && is_invisible (next); i++)
    {
      if (i == 16)
        return FALSE;
      next = next->next;
    }
  if (is_block (prev) || is_block (next))
    return TRUE;
  return (prev == NULL || next == NULL) && is_block (node->parent);
}

typedef struct {
  GString    *out;
  const char *base_url;
  gboolean    text_only;
  /* For each open element: did we write its start tag? Indexed by depth. */
  GArray     *emitted;
  guint       open_tags;
} Walk;

/* Called on entering a node; returns whether to visit its children. */
static gboolean
walk_enter (Walk    *walk,
            xmlNode *node)
{
  gboolean emitted = FALSE;

  switch ((int) node->type)
    {
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
      if (node->content == NULL)
        return FALSE;
      if (is_insignificant_blank (node))
        return FALSE;
      append_collapsed (walk->out, (const char *) node->content, !walk->text_only);
      return FALSE;

    case XML_ELEMENT_NODE:
      switch (tag_action (node))
        {
        case TAG_DROP:
          return FALSE;
        case TAG_KEEP:
          if (walk->text_only)
            {
              if (g_str_equal ((const char *) node->name, "br"))
                {
                  while (walk->out->len > 0 && walk->out->str[walk->out->len - 1] == ' ')
                    g_string_truncate (walk->out, walk->out->len - 1);
                  g_string_append_c (walk->out, '\n');
                }
            }
          else if (walk->open_tags < MAX_OUTPUT_DEPTH)
            emitted = append_start_tag (walk->out, node, walk->base_url);
          break;
        case TAG_UNWRAP:
        default:
          break;
        }
      if (emitted)
        walk->open_tags++;
      g_array_append_val (walk->emitted, emitted);
      return TRUE;

    default:  /* comments, processing instructions, entity references, DTD nodes */
      return FALSE;
    }
}

static void
end_line (GString *out)
{
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  if (out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_append_c (out, '\n');
}

/* Called on leaving an element walk_enter() descended into. */
static void
walk_leave (Walk    *walk,
            xmlNode *node)
{
  gboolean emitted;

  g_assert (walk->emitted->len > 0);
  emitted = g_array_index (walk->emitted, gboolean, walk->emitted->len - 1);
  g_array_set_size (walk->emitted, walk->emitted->len - 1);

  if (walk->text_only)
    {
      if (is_block (node))
        end_line (walk->out);
      return;
    }
  if (emitted)
    {
      const AllowedTag *tag = lookup_allowed ((const char *) node->name);

      walk->open_tags--;
      if (tag != NULL && !tag->empty)
        g_string_append_printf (walk->out, "</%s>", node->name);
    }
}

/* Walks the children of root without recursion: web HTML can nest arbitrarily deep. */
static void
walk_children (Walk    *walk,
               xmlNode *root)
{
  xmlNode *node = root->children;

  while (node != NULL)
    {
      if (walk_enter (walk, node) && node->children != NULL)
        {
          node = node->children;
          continue;
        }
      if (node->type == XML_ELEMENT_NODE && walk->emitted->len > 0
          && tag_action (node) != TAG_DROP)
        walk_leave (walk, node);

      while (node != NULL && node != root && node->next == NULL)
        {
          node = node->parent;
          if (node != root)
            walk_leave (walk, node);
        }
      if (node == NULL || node == root)
        break;
      node = node->next;
    }
}

static char *
walk_doc (htmlDocPtr  doc,
          const char *base_url,
          gboolean    text_only)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GArray) emitted = g_array_new (FALSE, FALSE, sizeof (gboolean));
  Walk walk = { out, base_url, text_only, emitted, 0 };
  xmlNode *root;

  if (doc == NULL)
    return g_strdup ("");
  root = content_root (doc);
  if (root == NULL)
    return g_strdup ("");

  walk_children (&walk, root);
  g_assert (emitted->len == 0);

  if (text_only)
    {
      /* Lines trimmed, no empty lines, no line at the ends. */
      g_auto(GStrv) lines = g_strsplit (out->str, "\n", -1);
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_strstrip (lines[i]);
          if (lines[i][0] == '\0')
            continue;
          if (text->len > 0)
            g_string_append_c (text, '\n');
          g_string_append (text, lines[i]);
        }
      if (!g_utf8_validate (text->str, -1, NULL))
        return g_utf8_make_valid (text->str, -1);
      return g_string_free (g_steal_pointer (&text), FALSE);
    }

  g_strstrip (out->str);
  /* libxml2 writes what it decoded; make sure it is UTF-8 whatever the input was. */
  if (!g_utf8_validate (out->str, -1, NULL))
    return g_utf8_make_valid (out->str, -1);
  return g_strdup (out->str);
}

char *
cn_html_sanitize_doc (htmlDocPtr  doc,
                      const char *base_url)
{
  return walk_doc (doc, base_url, FALSE);
}

char *
cn_html_doc_to_text (htmlDocPtr doc)
{
  return walk_doc (doc, NULL, TRUE);
}

char *
cn_html_sanitize (const char *html,
                  gssize      len,
                  const char *base_url)
{
  g_autoptr(xmlDoc) doc = NULL;

  g_return_val_if_fail (html != NULL || len == 0, g_strdup (""));

  doc = cn_html_parse (html, len);
  return cn_html_sanitize_doc (doc, base_url);
}

char *
cn_html_to_text (const char *html,
                 gssize      len)
{
  g_autoptr(xmlDoc) doc = NULL;

  g_return_val_if_fail (html != NULL || len == 0, g_strdup (""));

  doc = cn_html_parse (html, len);
  return cn_html_doc_to_text (doc);
}
