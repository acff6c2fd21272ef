/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the RSS parser and the HTML sanitizer on arbitrary bytes.
 *
 *   CC=clang meson setup _build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false
 *   meson compile -C _build-fuzz fuzz-rss
 *   mkdir -p _build-fuzz/corpus-rss
 *   _build-fuzz/tests/fuzz/fuzz-rss -max_total_time=120 -dict=tests/fuzz/rss.dict \
 *       _build-fuzz/corpus-rss tests/fuzz/corpus/rss
 *
 * Besides crashes, sanitizer reports and GLib criticals, it checks what the parser
 * promises: all or nothing, every item a valid record, and sanitized HTML that, parsed
 * again, holds only allowed tags and attributes and no unsafe URL. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cn-html-sanitize.h"
#include "cn-rss.h"
#include "cn-schema.h"
#include "fuzz-common.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char * const allowed_tags[] = {
  "html", "body", "p",  /* html, body and p: what libxml2 adds around a fragment */
  "a", "b", "blockquote", "br", "div", "em", "figcaption", "figure", "h1", "h2", "h3", "h4",
  "h5", "h6", "hr", "i", "img", "li", "ol", "span", "strong", "sub", "sup", "table", "tbody",
  "td", "th", "thead", "tr", "u", "ul", NULL,
};

static const char * const allowed_attributes[] = {
  "href", "title", "src", "alt", "width", "height", "colspan", "rowspan", NULL,
};

static gboolean
in_list (const char * const *list,
         const char         *name)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (g_ascii_strcasecmp (list[i], name) == 0)
      return TRUE;
  return FALSE;
}

static void
check_url (const char *value)
{
  if (!g_str_has_prefix (value, "http://") && !g_str_has_prefix (value, "https://")
      && !g_str_has_prefix (value, "mailto:"))
    {
      fprintf (stderr, "unsafe URL survived sanitizing: %s\n", value);
      abort ();
    }
}

/* Parses sanitized HTML again and walks it (without recursion): only allowed tags and
 * attributes, only http(s)/mailto URLs. */
static void
check_sanitized (const char *html)
{
  g_autoptr(xmlDoc) doc = cn_html_parse (html, -1);
  xmlNode *root = doc != NULL ? xmlDocGetRootElement (doc) : NULL;
  xmlNode *node = root;

  while (node != NULL)
    {
      if (node->type == XML_ELEMENT_NODE)
        {
          if (!in_list (allowed_tags, (const char *) node->name))
            {
              fprintf (stderr, "tag <%s> survived sanitizing:\n%s\n", node->name, html);
              abort ();
            }
          for (xmlAttr *attr = node->properties; attr != NULL; attr = attr->next)
            {
              xmlChar *value;

              if (!in_list (allowed_attributes, (const char *) attr->name))
                {
                  fprintf (stderr, "attribute %s survived sanitizing:\n%s\n", attr->name, html);
                  abort ();
                }
              value = xmlNodeGetContent ((xmlNode *) attr);
              if (value != NULL && (g_str_equal ((const char *) attr->name, "href")
                                    || g_str_equal ((const char *) attr->name, "src")))
                check_url ((const char *) value);
              xmlFree (value);
            }
        }
      if (node->children != NULL && node->type == XML_ELEMENT_NODE)
        {
          node = node->children;
          continue;
        }
      while (node != NULL && node != root && node->next == NULL)
        node = node->parent;
      if (node == NULL || node == root)
        break;
      node = node->next;
    }
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  cn_fuzz_init_logging ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const CnFeedKind kinds[] = { CN_FEED_NEWS, CN_FEED_LAWS };

  for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GError) error = NULL;

      if (cn_rss_parse ((const char *) data, size, kinds[k], &items, &error))
        {
          g_assert_no_error (error);
          g_assert_nonnull (items);
          for (guint i = 0; i < items->len; i++)
            {
              CnRssItem *item = g_ptr_array_index (items, i);
              g_autoptr(GError) invalid = NULL;

              g_assert_true (cn_schema_is_valid_uuid (item->id));
              g_assert_true (g_utf8_validate (item->guid, -1, NULL));
              if (!cn_schema_validate (item->collection, item->data, FALSE, &invalid))
                g_error ("item %u does not validate: %s", i, invalid->message);
              {
                g_autoptr(GList) members = json_object_get_members (item->data);

                for (GList *m = members; m != NULL; m = m->next)
                  g_assert_true (g_utf8_validate (json_object_get_string_member (item->data, m->data),
                                                  -1, NULL));
              }
              if (json_object_has_member (item->data, "body_html"))
                check_sanitized (json_object_get_string_member (item->data, "body_html"));
              if (item->image_url != NULL)
                check_url (item->image_url);
            }
        }
      else
        {
          g_assert_null (items);
          g_assert_nonnull (error);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
        }
    }

  /* The sanitizer on its own, since most inputs never make it past the feed checks. */
  {
    g_autofree char *clean = cn_html_sanitize ((const char *) data, size,
                                               "https://nongthonmoi.hatinh.gov.vn/news/a.html");
    g_autofree char *text = cn_html_to_text ((const char *) data, size);

    g_assert_true (g_utf8_validate (clean, -1, NULL));
    g_assert_true (g_utf8_validate (text, -1, NULL));
    check_sanitized (clean);
  }

  return 0;
}
