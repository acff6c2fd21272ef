/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-server"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "cn-error.h"
#include "cn-fold.h"
#include "cn-html-sanitize.h"
#include "cn-rss.h"
#include "cn-schema.h"
#include "cn-time.h"

#define CONTENT_NS "http://purl.org/rss/1.0/modules/content/"
#define DC_NS      "http://purl.org/dc/elements/1.1/"

/* The name space of the record ids made from feed items (a random UUID, fixed forever:
 * changing it would duplicate every imported article). */
static const guint8 rss_id_namespace[16] = {
  0x3a, 0xea, 0x3a, 0x35, 0x58, 0x6e, 0x48, 0xce,
  0xba, 0x68, 0x90, 0x2b, 0x11, 0xdc, 0xda, 0xec,
};

void
cn_rss_item_free (CnRssItem *item)
{
  if (item == NULL)
    return;
  g_free (item->id);
  g_free (item->guid);
  g_free (item->collection);
  g_clear_pointer (&item->data, json_object_unref);
  g_free (item->image_url);
  g_free (item);
}

gboolean
cn_feed_kind_from_string (const char *name,
                          CnFeedKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  if (g_strcmp0 (name, "news") == 0)
    *kind = CN_FEED_NEWS;
  else if (g_strcmp0 (name, "laws") == 0)
    *kind = CN_FEED_LAWS;
  else
    return FALSE;
  return TRUE;
}

const char *
cn_feed_kind_to_string (CnFeedKind kind)
{
  switch (kind)
    {
    case CN_FEED_NEWS:
      return "news";
    case CN_FEED_LAWS:
      return "laws";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ---- ids ---------------------------------------------------------------------------- */

/* "https://www.Example.vn:8080/index.php?…" and "example.vn" both give "example.vn": the
 * same article reached over http or https, from another feed of the same site (op=rss and
 * op=rss/<category>) or from a saved file must get the same id. */
static char *
normalize_site (const char *feed_url_or_site)
{
  g_autofree char *host = NULL;
  g_autofree char *lower = NULL;
  const char *site;

  if (feed_url_or_site == NULL)
    return g_strdup ("");

  if (strstr (feed_url_or_site, "://") != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (feed_url_or_site, G_URI_FLAGS_NONE, NULL);

      if (uri != NULL && g_uri_get_host (uri) != NULL)
        host = g_strdup (g_uri_get_host (uri));
    }
  if (host == NULL)
    {
      const char *start = feed_url_or_site;
      const char *end;

      while (g_ascii_isspace (*start))
        start++;
      end = start + strcspn (start, "/:?# \t\r\n");
      host = g_strndup (start, end - start);
    }

  lower = g_ascii_strdown (host, -1);
  site = lower;
  if (g_str_has_prefix (site, "www."))
    site += 4;
  return g_strdup (site);
}

char *
cn_rss_item_id (const char *feed_url_or_site,
                const char *guid)
{
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  g_autofree char *site = normalize_site (feed_url_or_site);
  g_autofree char *trimmed = g_strstrip (g_strdup (guid != NULL ? guid : ""));
  guint8 digest[20];
  gsize digest_len = sizeof digest;

  /* A name-based UUID, version 5 (RFC 4122 §4.3): SHA-1 over the name space and the name. */
  g_checksum_update (sha1, rss_id_namespace, sizeof rss_id_namespace);
  g_checksum_update (sha1, (const guchar *) site, strlen (site));
  g_checksum_update (sha1, (const guchar *) "\n", 1);
  g_checksum_update (sha1, (const guchar *) trimmed, strlen (trimmed));
  g_checksum_get_digest (sha1, digest, &digest_len);

  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          digest[0], digest[1], digest[2], digest[3], digest[4], digest[5],
                          digest[6], digest[7], digest[8], digest[9], digest[10],
                          digest[11], digest[12], digest[13], digest[14], digest[15]);
}

/* ---- dates -------------------------------------------------------------------------- */

static const char * const month_names[] = {
  "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
};

static const char * const day_names[] = {
  "mon", "tue", "wed", "thu", "fri", "sat", "sun",
};

static gboolean
parse_number (const char **p,
              guint        min_digits,
              guint        max_digits,
              int         *value)
{
  guint n = 0;
  int v = 0;

  while (n < max_digits && g_ascii_isdigit ((*p)[n]))
    {
      v = v * 10 + ((*p)[n] - '0');
      n++;
    }
  if (n < min_digits || g_ascii_isdigit ((*p)[n]))
    return FALSE;
  *p += n;
  *value = v;
  return TRUE;
}

static void
skip_spaces (const char **p)
{
  while (g_ascii_isspace (**p))
    (*p)++;
}

static gboolean
parse_word (const char          **p,
            const char * const   *words,
            guint                 n_words,
            int                  *index)
{
  for (guint i = 0; i < n_words; i++)
    {
      if (g_ascii_strncasecmp (*p, words[i], 3) == 0)
        {
          const char *end = *p + 3;

          /* Full names ("Wednesday", "July") are seen too. */
          while (g_ascii_isalpha (*end))
            end++;
          *p = end;
          *index = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* The zone of an RFC 822 date, in seconds east of UTC. */
static gboolean
parse_zone (const char *zone,
            int        *offset)
{
  static const struct { const char *name; int hours; } names[] = {
    { "GMT", 0 }, { "UT", 0 }, { "UTC", 0 }, { "Z", 0 },
    { "EST", -5 }, { "EDT", -4 }, { "CST", -6 }, { "CDT", -5 },
    { "MST", -7 }, { "MDT", -6 }, { "PST", -8 }, { "PDT", -7 },
    { "ICT", 7 },  /* Indochina Time, seen on Vietnamese sites */
  };

  if ((zone[0] == '+' || zone[0] == '-') && strlen (zone) == 5)
    {
      const char *p = zone + 1;
      int hhmm;

      if (!parse_number (&p, 4, 4, &hhmm) || *p != '\0' || hhmm / 100 > 23 || hhmm % 100 > 59)
        return FALSE;
      *offset = (hhmm / 100 * 3600 + hhmm % 100 * 60) * (zone[0] == '-' ? -1 : 1);
      return TRUE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_ascii_strcasecmp (zone, names[i].name) == 0)
        {
          *offset = names[i].hours * 3600;
          return TRUE;
        }
    }
  return FALSE;
}

/* RFC 822 / RFC 2822 "Wed, 01 Jul 2015 23:20:00 +0700" (NukeViet writes "Wed, 1 Jul 2015
 * 16:07:00 GMT"); the NukeViet ISO 8601 mode ("2015-07-01T23:20:00+07:00") too. */
static GDateTime *
parse_feed_date (const char *text)
{
  const char *p = text;
  int weekday, day, month, year, hour, minute, second = 0, offset;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) local = NULL;
  char zone[8];
  gsize zone_len = 0;

  skip_spaces (&p);
  if (g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2])
      && g_ascii_isdigit (p[3]) && p[4] == '-')
    return cn_time_parse_rfc3339 (p, NULL);

  if (parse_word (&p, day_names, G_N_ELEMENTS (day_names), &weekday))
    {
      skip_spaces (&p);
      if (*p == ',')
        p++;
      skip_spaces (&p);
    }
  if (!parse_number (&p, 1, 2, &day))
    return NULL;
  skip_spaces (&p);
  if (!parse_word (&p, month_names, G_N_ELEMENTS (month_names), &month))
    return NULL;
  month++;
  skip_spaces (&p);
  if (parse_number (&p, 4, 4, &year))
    ;
  else if (parse_number (&p, 2, 2, &year))  /* RFC 822 two-digit years */
    year += year < 50 ? 2000 : 1900;
  else
    return NULL;
  skip_spaces (&p);
  if (!parse_number (&p, 1, 2, &hour) || *p++ != ':' || !parse_number (&p, 2, 2, &minute))
    return NULL;
  if (*p == ':')
    {
      p++;
      if (!parse_number (&p, 2, 2, &second))
        return NULL;
    }
  skip_spaces (&p);
  while (*p != '\0' && !g_ascii_isspace (*p) && zone_len < sizeof zone - 1)
    zone[zone_len++] = *p++;
  zone[zone_len] = '\0';
  skip_spaces (&p);
  /* Some feeds add the zone's name in parentheses: "+0700 (ICT)". */
  if (*p == '(')
    {
      p = strchr (p, ')');
      if (p == NULL)
        return NULL;
      p++;
      skip_spaces (&p);
    }
  if (*p != '\0' || !parse_zone (zone, &offset))
    return NULL;
  if (hour > 23 || minute > 59 || second > 60)
    return NULL;
  if (second == 60)  /* a leap second: GDateTime has none */
    second = 59;

  tz = g_time_zone_new_offset (offset);
  local = g_date_time_new (tz, year, month, day, hour, minute, second);
  if (local == NULL)
    return NULL;
  return g_date_time_to_utc (local);
}

/* ---- the XML tree ------------------------------------------------------------------- */

static gboolean
is_element (xmlNode    *node,
            const char *ns_href,
            const char *name)
{
  if (node->type != XML_ELEMENT_NODE || !g_str_equal ((const char *) node->name, name))
    return FALSE;
  if (ns_href == NULL)
    return node->ns == NULL;
  return node->ns != NULL && node->ns->href != NULL
         && g_str_equal ((const char *) node->ns->href, ns_href);
}

static xmlNode *
first_child (xmlNode    *parent,
             const char *ns_href,
             const char *name)
{
  for (xmlNode *node = parent->children; node != NULL; node = node->next)
    if (is_element (node, ns_href, name))
      return node;
  return NULL;
}

/* The text directly inside an element (text and CDATA; entity references are never
 * expanded), or NULL when there is no such element. */
static char *
child_raw_text (xmlNode    *parent,
                const char *ns_href,
                const char *name)
{
  xmlNode *element = first_child (parent, ns_href, name);
  GString *text;

  if (element == NULL)
    return NULL;
  text = g_string_new (NULL);
  for (xmlNode *node = element->children; node != NULL; node = node->next)
    if ((node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
        && node->content != NULL)
      g_string_append (text, (const char *) node->content);
  return g_string_free (text, FALSE);
}

/* NFC in pieces: GLib's normalization takes time quadratic in the length of its input,
 * and a lead can be a whole page. A piece ends after white space (nothing composes with a
 * space) or, in a long run without any, before a character of combining class 0, so that
 * a letter and its marks stay together; only a run of over 1 kB of marks is cut anyway
 * (it stays valid UTF-8, just not reordered across the cut). */
static char *
to_nfc (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));
  const char *start = text;

  while (*start != '\0')
    {
      const char *end = start;
      g_autofree char *part = NULL;

      while (*end != '\0' && !g_ascii_isspace (*end))
        {
          const char *next = g_utf8_next_char (end);

          if (end - start >= 256
              && (g_unichar_combining_class (g_utf8_get_char (end)) == 0 || end - start >= 1024))
            break;
          end = next;
        }
      while (g_ascii_isspace (*end))
        end++;
      part = g_utf8_normalize (start, end - start, G_NORMALIZE_NFC);
      g_string_append (out, part != NULL ? part : "");
      start = end;
    }
  return g_string_free (out, FALSE);
}

/* Text a user reads: HTML entities decoded (NukeViet stores titles HTML-escaped, so they
 * arrive as "&quot;" once the XML layer is undone), tags dropped, NFC, one line. */
static char *
plain_text (const char *raw,
            gboolean    one_line)
{
  g_autofree char *text = NULL;

  if (raw == NULL)
    return NULL;
  if (strchr (raw, '<') != NULL || strchr (raw, '&') != NULL)
    text = cn_html_to_text (raw, -1);
  else
    {
      /* No markup: just collapse white space. */
      g_auto(GStrv) words = g_strsplit_set (raw, " \t\r\n", -1);
      g_autoptr(GString) joined = g_string_new (NULL);

      for (guint i = 0; words[i] != NULL; i++)
        {
          if (words[i][0] == '\0')
            continue;
          if (joined->len > 0)
            g_string_append_c (joined, ' ');
          g_string_append (joined, words[i]);
        }
      text = g_string_free (g_steal_pointer (&joined), FALSE);
    }
  if (one_line)
    g_strdelimit (text, "\n", ' ');
  return to_nfc (text);
}

static char *
child_text (xmlNode    *parent,
            const char *ns_href,
            const char *name)
{
  g_autofree char *raw = child_raw_text (parent, ns_href, name);

  return plain_text (raw, TRUE);
}

static void
set_string (JsonObject *data,
            const char *member,
            const char *value)
{
  if (value != NULL && value[0] != '\0')
    json_object_set_string_member (data, member, value);
}

/* A piece of the feed quoted in an error message: valid UTF-8, not too long. */
static char *
shorten (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);

  if (g_utf8_strlen (valid, -1) <= 80)
    return g_steal_pointer (&valid);
  *g_utf8_offset_to_pointer (valid, 80) = '\0';
  return g_strconcat (valid, "…", NULL);
}

/* The item's pubDate in UTC; *when stays NULL when the item has none. */
static gboolean
item_pub_date (xmlNode    *item,
               GDateTime **when,
               GError    **error)
{
  g_autofree char *pub_date = child_text (item, NULL, "pubDate");

  if (pub_date == NULL || pub_date[0] == '\0')
    return TRUE;
  *when = parse_feed_date (pub_date);
  if (*when == NULL)
    {
      g_autofree char *quoted = shorten (pub_date);

      g_set_error (error, CN_ERROR, CN_ERROR_FEED,
                   _("the publication date “%s” is not a date (expected e.g. “Wed, 01 Jul 2015 23:20:00 +0700”)"),
                   quoted);
      return FALSE;
    }
  return TRUE;
}

/* ---- news items --------------------------------------------------------------------- */

/* NukeViet's content:encoded is a whole page whose <article><header> repeats the title
 * (h1), the lead (h2), a kicker and the dates, which the app shows from the fields already. */
static void
drop_repeated_header (htmlDocPtr doc)
{
  xmlNode *root = xmlDocGetRootElement (doc);
  xmlNode *body = NULL;
  xmlNode *article = NULL;

  if (root == NULL)
    return;
  for (xmlNode *n = root->children; n != NULL && body == NULL; n = n->next)
    if (n->type == XML_ELEMENT_NODE && g_str_equal ((const char *) n->name, "body"))
      body = n;
  for (xmlNode *n = body != NULL ? body->children : NULL; n != NULL && article == NULL; n = n->next)
    if (n->type == XML_ELEMENT_NODE && g_str_equal ((const char *) n->name, "article"))
      article = n;
  if (article == NULL)
    return;

  for (xmlNode *header = article->children; header != NULL; header = header->next)
    {
      xmlNode *next;

      if (header->type != XML_ELEMENT_NODE || !g_str_equal ((const char *) header->name, "header"))
        continue;
      for (xmlNode *n = header->children; n != NULL; n = next)
        {
          next = n->next;
          if (n->type == XML_ELEMENT_NODE
              && (g_str_equal ((const char *) n->name, "h1")
                  || g_str_equal ((const char *) n->name, "h2")
                  || g_str_equal ((const char *) n->name, "h3")
                  || g_str_equal ((const char *) n->name, "time")))
            {
              xmlUnlinkNode (n);
              xmlFreeNode (n);
            }
        }
      break;
    }
}

static xmlNode *
find_first_img (xmlNode *root)
{
  xmlNode *node = root;

  /* Depth first, without recursion. */
  while (node != NULL)
    {
      if (node->type == XML_ELEMENT_NODE && g_str_equal ((const char *) node->name, "img"))
        return node;
      if (node->children != NULL && node->type == XML_ELEMENT_NODE)
        {
          node = node->children;
          continue;
        }
      while (node != NULL && node != root && node->next == NULL)
        node = node->parent;
      if (node == NULL || node == root)
        return NULL;
      node = node->next;
    }
  return NULL;
}

/* "editor@example.vn (Mạnh Hà)" → "Mạnh Hà" */
static char *
author_name (char *author)
{
  const char *open;

  if (author == NULL)
    return NULL;
  open = strchr (author, '(');
  if (strchr (author, '@') != NULL && open != NULL && g_str_has_suffix (author, ")"))
    {
      char *name = g_strndup (open + 1, strlen (open + 1) - 1);

      g_free (author);
      return g_strstrip (name);
    }
  return author;
}

static void
parse_news_item (xmlNode     *item,
                 const char  *link,
                 const char  *source,
                 GDateTime   *published,
                 CnRssItem   *out)
{
  g_autoptr(JsonObject) data = json_object_new ();
  g_autofree char *title = child_text (item, NULL, "title");
  g_autofree char *category = child_text (item, NULL, "category");
  g_autofree char *author = author_name (child_text (item, NULL, "author"));
  g_autofree char *description = child_raw_text (item, NULL, "description");
  g_autofree char *content = child_raw_text (item, CONTENT_NS, "encoded");

  if (author == NULL || author[0] == '\0')
    {
      g_free (author);
      author = child_text (item, DC_NS, "creator");
    }

  set_string (data, "title", title);

  if (description != NULL)
    {
      g_autoptr(xmlDoc) doc = cn_html_parse (description, -1);
      xmlNode *img = doc != NULL ? find_first_img (xmlDocGetRootElement (doc)) : NULL;
      g_autofree char *lead_text = doc != NULL ? cn_html_doc_to_text (doc) : NULL;
      g_autofree char *lead = lead_text != NULL
                              ? to_nfc (lead_text) : NULL;

      if (img != NULL)
        {
          xmlChar *src = xmlGetNoNsProp (img, (const xmlChar *) "src");

          if (src != NULL)
            out->image_url = cn_html_resolve_url ((const char *) src, link, FALSE);
          xmlFree (src);
        }
      set_string (data, "lead", lead);
    }

  if (content != NULL)
    {
      g_autoptr(xmlDoc) doc = cn_html_parse (content, -1);
      g_autofree char *body = NULL;

      if (doc != NULL)
        {
          drop_repeated_header (doc);
          body = cn_html_sanitize_doc (doc, link);
        }
      set_string (data, "body_html", body);
    }

  set_string (data, "category", category);
  set_string (data, "author", author);
  set_string (data, "source", source);
  set_string (data, "source_url", link);

  if (published != NULL)
    {
      g_autofree char *published_at = cn_time_format_rfc3339 (published);

      set_string (data, "published_at", published_at);
    }

  out->collection = g_strdup ("article");
  out->data = g_steal_pointer (&data);
}

/* ---- laws items --------------------------------------------------------------------- */

/* A code in a document number and what it stands for. */
typedef struct {
  const char *code;
  const char *name;
} NumberCode;

/* The type part of a Vietnamese document number (Nghị định 30/2020/NĐ-CP, appendix I). */
static const NumberCode doc_type_codes[] = {
  { "QĐ", "Quyết định" },
  { "NQ", "Nghị quyết" },
  { "NĐ", "Nghị định" },
  { "TT", "Thông tư" },
  { "CT", "Chỉ thị" },
  { "CTr", "Chương trình" },
  { "KH", "Kế hoạch" },
  { "HD", "Hướng dẫn" },
  { "TB", "Thông báo" },
  { "BC", "Báo cáo" },
  { "TTr", "Tờ trình" },
  { "KL", "Kết luận" },
  { "CV", "Công văn" },
};

static const NumberCode issuer_codes[] = {
  { "TTg", "Thủ tướng Chính phủ" },
  { "CP", "Chính phủ" },
  /* The feeds are the provincial office's: its UBND and HĐND are the province's. */
  { "UBND", "UBND tỉnh" },
  { "HĐND", "HĐND tỉnh" },
};

static const char *
lookup_code (const NumberCode *table,
             gsize             n,
             const char       *code)
{
  for (gsize i = 0; i < n; i++)
    if (g_str_equal (table[i].code, code))
      return table[i].name;
  return NULL;
}

#define lookup_doc_type(code) lookup_code (doc_type_codes, G_N_ELEMENTS (doc_type_codes), code)
#define lookup_issuer(code) lookup_code (issuer_codes, G_N_ELEMENTS (issuer_codes), code)

/* "15/2024/QĐ-UBND" → Quyết định, UBND tỉnh; "4414/UBND-NL5" (no type part: an official
 * letter, whose symbol starts with the issuer) → Công văn, UBND tỉnh. */
static void
derive_type_and_issuer (const char  *number,
                        const char **doc_type,
                        const char **issuer)
{
  g_autoptr(GString) symbol = NULL;
  g_auto(GStrv) parts = NULL;
  const char *slash;

  *doc_type = NULL;
  *issuer = NULL;

  slash = strrchr (number, '/');
  if (slash == NULL)
    return;
  /* Web pages often write Đ as the look-alike Ð (U+00D0), or as a plain D. */
  symbol = g_string_new (slash + 1);
  g_string_replace (symbol, "Ð", "Đ", 0);
  g_strstrip (symbol->str);

  parts = g_strsplit (symbol->str, "-", -1);
  if (parts[0] == NULL)
    return;
  for (guint i = 0; parts[i] != NULL; i++)
    {
      static const char * const plain_d[][2] = {
        { "QD", "QĐ" }, { "ND", "NĐ" }, { "HDND", "HĐND" },
      };

      for (gsize j = 0; j < G_N_ELEMENTS (plain_d); j++)
        if (g_str_equal (parts[i], plain_d[j][0]))
          {
            g_free (parts[i]);
            parts[i] = g_strdup (plain_d[j][1]);
          }
    }

  *doc_type = lookup_doc_type (parts[0]);
  if (*doc_type != NULL)
    {
      if (parts[1] != NULL)
        *issuer = lookup_issuer (parts[1]);
    }
  else if ((*issuer = lookup_issuer (parts[0])) != NULL)
    *doc_type = "Công văn";
}

static const char *
guess_field (const char *title,
             const char *summary)
{
  g_autofree char *text = g_strconcat (title != NULL ? title : "", "\n",
                                       summary != NULL ? summary : "", NULL);
  g_autofree char *folded = cn_fold (text, -1);

  if (strstr (folded, "ocop") != NULL)
    return "OCOP";
  if (strstr (folded, "tieu chi") != NULL)
    return "NTM criteria";
  return NULL;
}

static gboolean
parse_laws_item (xmlNode     *item,
                 const char  *link,
                 CnRssItem   *out,
                 GError     **error)
{
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(GRegex) title_re = g_regex_new ("^\\[([^\\]]*)\\]\\s*(.*)$",
                                            G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GRegex) date_re = g_regex_new ("Ngày\\s+ban\\s+hành\\s*:?\\s*(\\d{1,2})\\s*/\\s*(\\d{1,2})\\s*/\\s*(\\d{4})[.;,]?",
                                           G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GRegex) summary_re = g_regex_new ("Trích\\s+yếu\\s*:?\\s*",
                                              G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *full_title = child_text (item, NULL, "title");
  g_autofree char *raw_description = child_raw_text (item, NULL, "description");
  g_autofree char *description = plain_text (raw_description, FALSE);
  g_autofree char *number = NULL;
  g_autofree char *title = NULL;
  g_autofree char *signed_on = NULL;
  g_autofree char *summary = NULL;
  const char *doc_type = NULL;
  const char *issuer = NULL;

  g_assert (title_re != NULL && date_re != NULL && summary_re != NULL);

  if (full_title != NULL && g_regex_match (title_re, full_title, 0, &match))
    {
      number = g_strstrip (g_match_info_fetch (match, 1));
      title = g_match_info_fetch (match, 2);
    }
  g_clear_pointer (&match, g_match_info_free);
  if (number == NULL || number[0] == '\0' || title == NULL || title[0] == '\0')
    {
      g_autofree char *quoted = shorten (full_title);

      g_set_error (error, CN_ERROR, CN_ERROR_FEED,
                   _("its title “%s” is not a document number in brackets and a title "
                     "(e.g. “[4414/UBND-NL5] Về việc …”)"),
                   quoted);
      return FALSE;
    }

  if (description != NULL)
    {
      int start, end;

      if (g_regex_match (date_re, description, 0, &match))
        {
          g_autofree char *d = g_match_info_fetch (match, 1);
          g_autofree char *m = g_match_info_fetch (match, 2);
          g_autofree char *y = g_match_info_fetch (match, 3);
          g_autoptr(GDateTime) date = NULL;
          g_autofree char *rest = NULL;

          if (atoi (y) >= 1)
            date = g_date_time_new_utc (atoi (y), atoi (m), atoi (d), 0, 0, 0);
          if (date == NULL)
            {
              g_set_error (error, CN_ERROR, CN_ERROR_FEED,
                           _("the date of issue “%s/%s/%s” is not a real day"), d, m, y);
              return FALSE;
            }
          signed_on = cn_time_format_date (date);

          /* Without a "Trích yếu" label, the summary is what is left. */
          g_match_info_fetch_pos (match, 0, &start, &end);
          rest = g_strdup (description + end);
          description[start] = '\0';
          summary = g_strconcat (description, " ", rest, NULL);
        }
      else
        summary = g_strdup (description);
      g_clear_pointer (&match, g_match_info_free);

      if (g_regex_match (summary_re, summary, 0, &match))
        {
          char *after;

          g_match_info_fetch_pos (match, 0, &start, &end);
          after = g_strdup (summary + end);
          g_free (summary);
          summary = after;
        }
      g_strstrip (summary);
    }

  if (number != NULL)
    derive_type_and_issuer (number, &doc_type, &issuer);

  set_string (data, "number", number);
  set_string (data, "title", title);
  set_string (data, "doc_type", doc_type);
  set_string (data, "issuer", issuer);
  set_string (data, "field", guess_field (title, summary));
  set_string (data, "signed_on", signed_on);
  set_string (data, "summary", summary);
  set_string (data, "source_url", link);

  out->collection = g_strdup ("document");
  out->data = g_steal_pointer (&data);
  return TRUE;
}

/* ---- the feed ----------------------------------------------------------------------- */

typedef struct {
  gboolean saw_doctype;
} FeedParse;

/* Called at "<!DOCTYPE": a feed needs no DTD, and a DTD is how entity bombs and external
 * entities get in, so stop right there. */
static void
on_internal_subset (void          *user_data,
                    const xmlChar *name,
                    const xmlChar *external_id,
                    const xmlChar *system_id)
{
  xmlParserCtxtPtr ctxt = user_data;
  FeedParse *state = ctxt->_private;

  state->saw_doctype = TRUE;
  xmlStopParser (ctxt);
}

static void
silent_error (void     *user_data,
              xmlError *error)
{
}

static void
ensure_libxml2 (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      xmlInitParser ();
      g_once_init_leave (&initialized, 1);
    }
}

static xmlDoc *
read_feed_xml (const char  *data,
               gsize        len,
               GError     **error)
{
  FeedParse state = { FALSE };
  xmlParserCtxtPtr ctxt;
  xmlDoc *doc;

  ensure_libxml2 ();

  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_FAILED, _("Out of memory reading the feed"));
      return NULL;
    }
  ctxt->_private = &state;
  ctxt->sax->internalSubset = on_internal_subset;
  ctxt->sax->serror = silent_error;

  /* NONET: never fetch; no NOENT (entities are not substituted), no DTDLOAD, no HUGE
   * (libxml2 keeps its limits on depth and text size). */
  doc = xmlCtxtReadMemory (ctxt, data, (int) len, NULL, NULL,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);

  if (state.saw_doctype)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_FEED,
                   _("The feed declares a document type (<!DOCTYPE …>); RSS feeds have none, and it is not read for safety"));
      g_clear_pointer (&doc, xmlFreeDoc);
    }
  else if (doc == NULL || !ctxt->wellFormed)
    {
      xmlError *xml_error = xmlCtxtGetLastError (ctxt);
      g_autofree char *message = NULL;

      if (xml_error != NULL && xml_error->message != NULL)
        {
          g_autofree char *raw = g_strstrip (g_strdup (xml_error->message));

          g_strdelimit (raw, "\n", ' ');
          message = shorten (raw);
        }
      g_set_error (error, CN_ERROR, CN_ERROR_FEED,
                   _("The feed is not well-formed XML (line %d: %s)"),
                   xml_error != NULL ? xml_error->line : 0,
                   message != NULL ? message : _("unknown error"));
      g_clear_pointer (&doc, xmlFreeDoc);
    }

  ctxt->_private = NULL;
  xmlFreeParserCtxt (ctxt);
  return doc;
}

/* An absolute http(s) link, resolved against the channel's link if relative. */
static char *
item_link (xmlNode    *item,
           const char *channel_link)
{
  g_autofree char *raw = child_raw_text (item, NULL, "link");

  if (raw == NULL)
    return NULL;
  g_strstrip (raw);
  if (raw[0] == '\0')
    return NULL;
  return cn_html_resolve_url (raw, channel_link, FALSE);
}

/* The HTML inside an item (CDATA or escaped) goes to libxml2's HTML parser: refuse what
 * would keep it busy for hours (see CN_MARKUP_MAX_ATTRIBUTES). */
static gboolean
check_item_markup (xmlNode  *item,
                   GError  **error)
{
  for (xmlNode *child = item->children; child != NULL; child = child->next)
    {
      g_autofree char *raw = NULL;

      if (child->type != XML_ELEMENT_NODE)
        continue;
      raw = child_raw_text (item, child->ns != NULL ? (const char *) child->ns->href : NULL,
                            (const char *) child->name);
      if (raw != NULL && cn_markup_max_attributes (raw, strlen (raw), FALSE) > CN_MARKUP_MAX_ATTRIBUTES)
        {
          g_autofree char *name = shorten ((const char *) child->name);

          g_set_error (error, CN_ERROR, CN_ERROR_FEED,
                       _("its <%s> holds an HTML tag with more than %u attributes"),
                       name, CN_MARKUP_MAX_ATTRIBUTES);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
parse_item (xmlNode     *element,
            CnFeedKind   kind,
            const char  *channel_link,
            const char  *source,
            CnRssItem   *item,
            GError     **error)
{
  g_autofree char *raw_guid = child_raw_text (element, NULL, "guid");
  g_autofree char *title = NULL;
  g_autofree char *raw_link = NULL;
  g_autofree char *link = NULL;
  g_autoptr(GDateTime) published = NULL;
  g_autoptr(GError) local_error = NULL;

  if (raw_guid == NULL || g_strstrip (raw_guid)[0] == '\0')
    {
      g_set_error_literal (error, CN_ERROR, CN_ERROR_FEED, _("it has no guid"));
      return FALSE;
    }
  item->guid = g_steal_pointer (&raw_guid);

  if (!check_item_markup (element, error))
    return FALSE;

  title = child_text (element, NULL, "title");
  raw_link = child_raw_text (element, NULL, "link");
  link = item_link (element, channel_link);

  if (title == NULL || title[0] == '\0')
    {
      g_set_error_literal (error, CN_ERROR, CN_ERROR_FEED, _("it has no title"));
      return FALSE;
    }
  if (raw_link != NULL && g_strstrip (raw_link)[0] != '\0' && link == NULL)
    {
      g_autofree char *quoted = shorten (raw_link);

      g_set_error (error, CN_ERROR, CN_ERROR_FEED,
                   _("its link “%s” is not a web address"), quoted);
      return FALSE;
    }

  item->id = cn_rss_item_id (link != NULL ? link : channel_link, item->guid);

  /* A laws feed's items carry a pubDate too (when the document was posted): not a field
   * of a document, but a date that does not parse is still a broken feed. */
  if (!item_pub_date (element, &published, error))
    return FALSE;

  if (kind == CN_FEED_LAWS)
    {
      if (!parse_laws_item (element, link, item, error))
        return FALSE;
    }
  else
    parse_news_item (element, link, source, published, item);

  if (!cn_schema_validate (item->collection, item->data, FALSE, &local_error))
    {
      const CnCollection *collection = cn_schema_lookup (item->collection);

      g_set_error (error, CN_ERROR, CN_ERROR_FEED, _("it does not make a valid %s: %s"),
                   collection != NULL ? cn_collection_get_label (collection) : item->collection,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* The site an article comes from, as a reader names it: NukeViet puts the site's name in
 * <copyright> and "site name RSS: module" (or just the module's name) in <title>. */
static char *
feed_source (xmlNode    *channel,
             const char *channel_link)
{
  g_autofree char *copyright = child_text (channel, NULL, "copyright");
  g_autofree char *title = child_text (channel, NULL, "title");
  char *rss;

  if (copyright != NULL && copyright[0] != '\0')
    return g_steal_pointer (&copyright);
  if (title != NULL && (rss = strstr (title, " RSS: ")) != NULL && rss > title)
    {
      *rss = '\0';
      return g_steal_pointer (&title);
    }
  if (channel_link != NULL)
    return normalize_site (channel_link);
  return g_steal_pointer (&title);
}

/* Skips white space and a byte order mark before "<?xml": NukeViet's template engine
 * leaves a line break there, which libxml2 would refuse. */
static const char *
skip_leading_space (const char *data,
                    gsize      *len)
{
  const char *p = data;
  const char *end = data + *len;

  if (end - p >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
    p++;
  *len = end - p;
  return p;
}

gboolean
cn_rss_parse (const char  *data,
              gsize        len,
              CnFeedKind   kind,
              GPtrArray  **items,
              GError     **error)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GHashTable) guids = NULL;
  g_autofree char *channel_link = NULL;
  g_autofree char *source = NULL;
  xmlNode *root;
  xmlNode *channel;
  guint index = 0;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (kind == CN_FEED_NEWS || kind == CN_FEED_LAWS, FALSE);
  g_return_val_if_fail (items != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *items = NULL;

  if (len > CN_RSS_MAX_FEED_SIZE)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_FEED,
                   _("The feed is too large (%llu bytes; at most %d MB are read)"),
                   (unsigned long long) len, CN_RSS_MAX_FEED_SIZE / (1024 * 1024));
      return FALSE;
    }
  data = skip_leading_space (data, &len);
  if (len == 0)
    {
      g_set_error_literal (error, CN_ERROR, CN_ERROR_FEED, _("The feed is empty"));
      return FALSE;
    }

  /* libxml2 2.9 looks for a repeated attribute in quadratic time. */
  if (cn_markup_max_attributes (data, len, TRUE) > CN_MARKUP_MAX_ATTRIBUTES)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_FEED,
                   _("The feed has a tag with more than %u attributes; it is not read"),
                   CN_MARKUP_MAX_ATTRIBUTES);
      return FALSE;
    }

  doc = read_feed_xml (data, len, error);
  if (doc == NULL)
    return FALSE;

  root = xmlDocGetRootElement (doc);
  if (root == NULL || !is_element (root, NULL, "rss"))
    {
      g_autofree char *name = shorten (root != NULL ? (const char *) root->name : "");

      g_set_error (error, CN_ERROR, CN_ERROR_FEED,
                   _("This is not an RSS feed: the document is <%s>, not <rss>"), name);
      return FALSE;
    }
  channel = first_child (root, NULL, "channel");
  if (channel == NULL)
    {
      g_set_error_literal (error, CN_ERROR, CN_ERROR_FEED,
                           _("This is not an RSS feed: it has no <channel>"));
      return FALSE;
    }

  channel_link = child_raw_text (channel, NULL, "link");
  if (channel_link != NULL)
    {
      char *resolved = cn_html_resolve_url (g_strstrip (channel_link), NULL, FALSE);

      g_free (channel_link);
      channel_link = resolved;
    }
  source = feed_source (channel, channel_link);

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) cn_rss_item_free);
  guids = g_hash_table_new (g_str_hash, g_str_equal);

  for (xmlNode *node = channel->children; node != NULL; node = node->next)
    {
      g_autoptr(CnRssItem) item = NULL;
      g_autoptr(GError) item_error = NULL;
      gpointer first;

      if (!is_element (node, NULL, "item"))
        continue;
      index++;

      item = g_new0 (CnRssItem, 1);
      if (!parse_item (node, kind, channel_link, source, item, &item_error))
        {
          g_autofree char *guid = shorten (item->guid);

          if (item->guid != NULL)
            g_set_error (error, CN_ERROR, CN_ERROR_FEED,
                         _("Item %u (guid “%s”, line %ld) of the feed is broken: %s"),
                         index, guid, xmlGetLineNo (node), item_error->message);
          else
            g_set_error (error, CN_ERROR, CN_ERROR_FEED,
                         _("Item %u (line %ld) of the feed is broken: %s"),
                         index, xmlGetLineNo (node), item_error->message);
          return FALSE;
        }

      first = g_hash_table_lookup (guids, item->guid);
      if (first != NULL)
        {
          g_autofree char *guid = shorten (item->guid);

          g_set_error (error, CN_ERROR, CN_ERROR_FEED,
                       _("Items %u and %u of the feed have the same guid “%s”"),
                       GPOINTER_TO_UINT (first), index, guid);
          return FALSE;
        }
      g_hash_table_insert (guids, item->guid, GUINT_TO_POINTER (index));
      g_ptr_array_add (result, g_steal_pointer (&item));
    }

  *items = g_steal_pointer (&result);
  return TRUE;
}
