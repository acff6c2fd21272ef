/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "caunoi-print"

#include "config.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "cn-error.h"
#include "cn-report-print.h"

/* A report for a standing-committee meeting, laid out with Pango: a title, subtitles,
 * headings, paragraphs and tables whose header row repeats on every page. The document is
 * a list of blocks; paginate() cuts it into pieces that never straddle a page (a paragraph
 * line, a table row), draw_page() draws one page's pieces. The print dialog does that on
 * a GtkPrintContext (main thread); the PDF export on a cairo PDF surface with no GTK, so
 * that a worker thread can build and save a report while the window stays responsive. */

#define FONT_BODY "Sans 10"
#define FONT_SMALL "Sans 8"
#define FONT_HEADING "Sans Bold 11.5"
#define FONT_TITLE "Sans Bold 15"
#define CELL_PAD 3.0
#define BLOCK_GAP 6.0
/* A4 margins, in mm */
#define MARGIN_LEFT 25.0
#define MARGIN_RIGHT 15.0
#define MARGIN_TOP 20.0
#define MARGIN_BOTTOM 15.0

typedef enum {
  BLOCK_TITLE,
  BLOCK_SUBTITLE,
  BLOCK_HEADING,
  BLOCK_PARAGRAPH,
  BLOCK_TABLE,
} BlockKind;

typedef struct
{
  BlockKind  kind;
  char      *text;     /* not for tables */
  GStrv      headers;  /* tables */
  double    *widths;   /* tables: shares of the width, summing to 1 */
  guint      n_columns;
  GPtrArray *rows;     /* tables: of GStrv */
} Block;

typedef enum {
  PIECE_LINE,        /* one line of a wrapped text block */
  PIECE_TABLE_ROW,   /* one row (or the header row) of a table */
} PieceKind;

typedef struct
{
  PieceKind    kind;
  int          page;
  double       y;
  double       height;
  /* PIECE_LINE */
  PangoLayout *layout;
  int          line;
  double       baseline;
  /* PIECE_TABLE_ROW */
  GPtrArray   *cells;  /* of PangoLayout */
  const Block *table;
  gboolean     header;
} Piece;

struct _CnReportPrint
{
  GObject    parent_instance;

  GPtrArray *blocks;   /* of Block */
  GPtrArray *pieces;   /* of Piece, built by paginate() */
  int        n_pages;
};

G_DEFINE_FINAL_TYPE (CnReportPrint, cn_report_print, G_TYPE_OBJECT)

static void
block_free (gpointer data)
{
  Block *block = data;

  g_free (block->text);
  g_strfreev (block->headers);
  g_free (block->widths);
  g_clear_pointer (&block->rows, g_ptr_array_unref);
  g_free (block);
}

static void
piece_free (gpointer data)
{
  Piece *piece = data;

  g_clear_object (&piece->layout);
  g_clear_pointer (&piece->cells, g_ptr_array_unref);
  g_free (piece);
}

static void
add_text_block (CnReportPrint *self,
                BlockKind      kind,
                const char    *text)
{
  Block *block = g_new0 (Block, 1);

  block->kind = kind;
  block->text = g_utf8_make_valid (text != NULL ? text : "", -1);
  g_ptr_array_add (self->blocks, block);
}

/**
 * cn_report_print_new:
 * @title: the report's title, first on the first page
 *
 * Returns: (transfer full): a new, empty report
 */
CnReportPrint *
cn_report_print_new (const char *title)
{
  CnReportPrint *self = g_object_new (CN_TYPE_REPORT_PRINT, NULL);

  add_text_block (self, BLOCK_TITLE, title);
  return self;
}

void
cn_report_print_add_subtitle (CnReportPrint *self,
                              const char    *text)
{
  g_return_if_fail (CN_IS_REPORT_PRINT (self));

  add_text_block (self, BLOCK_SUBTITLE, text);
}

void
cn_report_print_add_heading (CnReportPrint *self,
                             const char    *text)
{
  g_return_if_fail (CN_IS_REPORT_PRINT (self));

  add_text_block (self, BLOCK_HEADING, text);
}

/**
 * cn_report_print_add_paragraph:
 * @self: a #CnReportPrint
 * @text: plain text; line breaks start new lines
 */
void
cn_report_print_add_paragraph (CnReportPrint *self,
                               const char    *text)
{
  g_return_if_fail (CN_IS_REPORT_PRINT (self));

  add_text_block (self, BLOCK_PARAGRAPH, text);
}

/**
 * cn_report_print_add_table:
 * @self: a #CnReportPrint
 * @headers: (array length=n_columns): the column titles
 * @widths: (array length=n_columns) (nullable): relative column widths, or %NULL for equal
 * @n_columns: the number of columns
 *
 * Starts a table; add its rows with cn_report_print_add_row().
 */
void
cn_report_print_add_table (CnReportPrint      *self,
                           const char * const *headers,
                           const double       *widths,
                           guint               n_columns)
{
  Block *block;
  double sum = 0;

  g_return_if_fail (CN_IS_REPORT_PRINT (self));
  g_return_if_fail (headers != NULL);
  g_return_if_fail (n_columns > 0);

  block = g_new0 (Block, 1);
  block->kind = BLOCK_TABLE;
  block->n_columns = n_columns;
  block->headers = g_new0 (char *, n_columns + 1);
  block->widths = g_new0 (double, n_columns);
  for (guint i = 0; i < n_columns; i++)
    {
      block->headers[i] = g_utf8_make_valid (headers[i] != NULL ? headers[i] : "", -1);
      block->widths[i] = widths != NULL && widths[i] > 0 ? widths[i] : 1.0;
      sum += block->widths[i];
    }
  for (guint i = 0; i < n_columns; i++)
    block->widths[i] /= sum;
  block->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_ptr_array_add (self->blocks, block);
}

/**
 * cn_report_print_add_row:
 * @self: a #CnReportPrint
 * @cells: as many cells as the last table has columns; %NULL cells print empty
 *
 * Adds a row to the table started last.
 */
void
cn_report_print_add_row (CnReportPrint      *self,
                         const char * const *cells)
{
  Block *block;
  char **row;

  g_return_if_fail (CN_IS_REPORT_PRINT (self));
  g_return_if_fail (self->blocks->len > 0);

  block = g_ptr_array_index (self->blocks, self->blocks->len - 1);
  g_return_if_fail (block->kind == BLOCK_TABLE);

  row = g_new0 (char *, block->n_columns + 1);
  for (guint i = 0; i < block->n_columns; i++)
    row[i] = g_utf8_make_valid (cells[i] != NULL ? cells[i] : "", -1);
  g_ptr_array_add (block->rows, row);
}

static PangoLayout *
make_layout (PangoContext   *context,
             const char     *font,
             const char     *text,
             double          width,
             PangoAlignment  alignment)
{
  PangoLayout *layout = pango_layout_new (context);
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, alignment);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

/* Places a piece on the current page, or starts a new page when it does not fit. */
static void
place_piece (CnReportPrint *self,
             Piece         *piece,
             double        *y,
             double         page_height)
{
  if (*y + piece->height > page_height && *y > 0)
    {
      self->n_pages++;
      *y = 0;
    }
  piece->page = self->n_pages - 1;
  piece->y = *y;
  *y += piece->height;
  g_ptr_array_add (self->pieces, piece);
}

static Piece *
make_row_piece (PangoContext       *context,
                const Block        *table,
                const char * const *cells,
                gboolean            header,
                double              width)
{
  Piece *piece = g_new0 (Piece, 1);
  double tallest = 0;

  piece->kind = PIECE_TABLE_ROW;
  piece->table = table;
  piece->header = header;
  piece->cells = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint c = 0; c < table->n_columns; c++)
    {
      double cell_w = width * table->widths[c] - 2 * CELL_PAD;
      PangoLayout *layout = make_layout (context, header ? "Sans Bold 9" : "Sans 9", cells[c],
                                         MAX (cell_w, 4), PANGO_ALIGN_LEFT);
      int h;

      pango_layout_get_pixel_size (layout, NULL, &h);
      tallest = MAX (tallest, h);
      g_ptr_array_add (piece->cells, layout);
    }
  piece->height = tallest + 2 * CELL_PAD;
  return piece;
}

static void
layout_text_block (CnReportPrint *self,
                   PangoContext  *context,
                   const Block   *block,
                   double        *y,
                   double         width,
                   double         page_height)
{
  const char *font = FONT_BODY;
  PangoAlignment alignment = PANGO_ALIGN_LEFT;
  g_autoptr(PangoLayout) layout = NULL;
  int n_lines;

  switch (block->kind)
    {
    case BLOCK_TITLE:
      font = FONT_TITLE;
      alignment = PANGO_ALIGN_CENTER;
      break;
    case BLOCK_SUBTITLE:
      alignment = PANGO_ALIGN_CENTER;
      break;
    case BLOCK_HEADING:
      font = FONT_HEADING;
      *y += BLOCK_GAP;
      break;
    case BLOCK_PARAGRAPH:
    case BLOCK_TABLE:
    default:
      break;
    }

  layout = make_layout (context, font, block->text, width, alignment);
  if (block->kind == BLOCK_PARAGRAPH)
    pango_layout_set_justify (layout, TRUE);
  n_lines = pango_layout_get_line_count (layout);

  for (int i = 0; i < n_lines; i++)
    {
      PangoLayoutLine *line = pango_layout_get_line_readonly (layout, i);
      Piece *piece = g_new0 (Piece, 1);
      PangoRectangle logical;

      pango_layout_line_get_pixel_extents (line, NULL, &logical);
      piece->kind = PIECE_LINE;
      piece->layout = g_object_ref (layout);
      piece->line = i;
      piece->height = logical.height;
      piece->baseline = -logical.y;
      /* A heading never ends a page alone: keep it with the first line that follows. */
      if (block->kind == BLOCK_HEADING && *y + 3 * logical.height > page_height)
        *y = page_height;
      place_piece (self, piece, y, page_height);
    }
  *y += block->kind == BLOCK_HEADING ? BLOCK_GAP / 2 : BLOCK_GAP;
}

static void
layout_table_block (CnReportPrint *self,
                    PangoContext  *context,
                    const Block   *block,
                    double        *y,
                    double         width,
                    double         page_height)
{
  Piece *header = make_row_piece (context, block, (const char * const *) block->headers,
                                  TRUE, width);

  /* The header and the first row go together. */
  if (*y + 2 * header->height > page_height)
    *y = page_height;
  place_piece (self, header, y, page_height);

  for (guint r = 0; r < block->rows->len; r++)
    {
      const char * const *cells = g_ptr_array_index (block->rows, r);
      Piece *row = make_row_piece (context, block, cells, FALSE, width);

      if (*y + row->height > page_height && *y > 0)
        {
          /* Repeat the header at the top of the next page. */
          self->n_pages++;
          *y = 0;
          place_piece (self,
                       make_row_piece (context, block, (const char * const *) block->headers,
                                       TRUE, width),
                       y, page_height);
        }
      place_piece (self, row, y, page_height);
    }
  *y += BLOCK_GAP;
}

static double
footer_height (PangoContext *context)
{
  g_autoptr(PangoLayout) layout = make_layout (context, FONT_SMALL, "1", 100, PANGO_ALIGN_LEFT);
  int h;

  pango_layout_get_pixel_size (layout, NULL, &h);
  return h + BLOCK_GAP;
}

/* Cuts the document into pieces on pages of @width × @height (the printable area). */
static void
paginate (CnReportPrint *self,
          PangoContext  *context,
          double         width,
          double         height)
{
  double page_height = height - footer_height (context);
  double y = 0;

  g_ptr_array_set_size (self->pieces, 0);
  self->n_pages = 1;

  for (guint i = 0; i < self->blocks->len; i++)
    {
      const Block *block = g_ptr_array_index (self->blocks, i);

      if (block->kind == BLOCK_TABLE)
        layout_table_block (self, context, block, &y, width, page_height);
      else
        layout_text_block (self, context, block, &y, width, page_height);
    }
}

static void
draw_row (cairo_t     *cr,
          const Piece *piece,
          double       width)
{
  double x = 0;

  if (piece->header)
    {
      cairo_set_source_rgb (cr, 0.9, 0.9, 0.9);
      cairo_rectangle (cr, 0, piece->y, width, piece->height);
      cairo_fill (cr);
    }
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 0.5);

  for (guint c = 0; c < piece->cells->len; c++)
    {
      double cell_w = width * piece->table->widths[c];

      cairo_rectangle (cr, x, piece->y, cell_w, piece->height);
      cairo_stroke (cr);
      cairo_move_to (cr, x + CELL_PAD, piece->y + CELL_PAD);
      pango_cairo_show_layout (cr, g_ptr_array_index (piece->cells, c));
      x += cell_w;
    }
}

/* Draws page @page_nr (from 0) of what paginate() cut, its origin at the printable area's. */
static void
draw_page (CnReportPrint *self,
           cairo_t       *cr,
           PangoContext  *context,
           int            page_nr,
           double         width,
           double         height)
{
  g_autofree char *footer_text = NULL;
  g_autoptr(PangoLayout) footer = NULL;
  int footer_h;

  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint i = 0; i < self->pieces->len; i++)
    {
      const Piece *piece = g_ptr_array_index (self->pieces, i);

      if (piece->page != page_nr)
        continue;
      if (piece->kind == PIECE_TABLE_ROW)
        draw_row (cr, piece, width);
      else
        {
          PangoLayoutLine *line = pango_layout_get_line_readonly (piece->layout, piece->line);
          PangoRectangle logical;
          double x;

          /* Lines keep the x the layout gave them (centring, justification). */
          pango_layout_line_get_pixel_extents (line, NULL, &logical);
          x = logical.x;
          if (pango_layout_get_alignment (piece->layout) == PANGO_ALIGN_CENTER)
            x = (width - logical.width) / 2;
          cairo_set_source_rgb (cr, 0, 0, 0);
          cairo_move_to (cr, x, piece->y + piece->baseline);
          pango_cairo_show_layout_line (cr, line);
        }
    }

  /* Translators: page footer of a printed report: "Page 1 of 3" */
  footer_text = g_strdup_printf (_("Page %d of %d"), page_nr + 1, self->n_pages);
  footer = make_layout (context, FONT_SMALL, footer_text, width, PANGO_ALIGN_CENTER);
  pango_layout_get_pixel_size (footer, NULL, &footer_h);
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_move_to (cr, 0, height - footer_h);
  pango_cairo_show_layout (cr, footer);
}

/* The print dialog's path: GtkPrintOperation on the main thread. */

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                CnReportPrint     *self)
{
  PangoContext *pango = gtk_print_context_create_pango_context (context);

  pango_cairo_update_context (gtk_print_context_get_cairo_context (context), pango);
  paginate (self, pango, gtk_print_context_get_width (context), gtk_print_context_get_height (context));
  g_object_unref (pango);
  gtk_print_operation_set_n_pages (operation, self->n_pages);
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              CnReportPrint     *self)
{
  PangoContext *pango = gtk_print_context_create_pango_context (context);

  pango_cairo_update_context (gtk_print_context_get_cairo_context (context), pango);
  draw_page (self, gtk_print_context_get_cairo_context (context), pango, page_nr,
             gtk_print_context_get_width (context), gtk_print_context_get_height (context));
  g_object_unref (pango);
}

static GtkPrintOperation *
create_operation (CnReportPrint *self)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  const Block *title = g_ptr_array_index (self->blocks, 0);

  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  gtk_page_setup_set_left_margin (setup, MARGIN_LEFT, GTK_UNIT_MM);
  gtk_page_setup_set_right_margin (setup, MARGIN_RIGHT, GTK_UNIT_MM);
  gtk_page_setup_set_top_margin (setup, MARGIN_TOP, GTK_UNIT_MM);
  gtk_page_setup_set_bottom_margin (setup, MARGIN_BOTTOM, GTK_UNIT_MM);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (operation, title->text);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);

  g_signal_connect_object (operation, "begin-print", G_CALLBACK (begin_print_cb), self, 0);
  g_signal_connect_object (operation, "draw-page", G_CALLBACK (draw_page_cb), self, 0);
  return operation;
}

/* The PDF path: cairo and Pango alone, so that it can run in a worker thread. */

#define MM_TO_POINTS(mm) ((mm) * 72.0 / 25.4)

typedef struct
{
  int           fd;
  int           saved_errno;  /* of the first failed write */
  GCancellable *cancellable;
} PdfSink;

static cairo_status_t
pdf_write_cb (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  PdfSink *sink = closure;

  if (g_cancellable_is_cancelled (sink->cancellable))
    return CAIRO_STATUS_WRITE_ERROR;
  while (length > 0)
    {
      gssize n = write (sink->fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          sink->saved_errno = n < 0 ? errno : EIO;
          return CAIRO_STATUS_WRITE_ERROR;
        }
      data += n;
      length -= (unsigned int) n;
    }
  return CAIRO_STATUS_SUCCESS;
}

/* Lays the report out on A4 as a GtkPrintContext in points would (72 dpi, metrics not
 * hinted), with this thread's Pango font map, and writes it to @sink. */
static gboolean
write_pdf (CnReportPrint  *self,
           PdfSink        *sink,
           GError        **error)
{
  const double paper_w = MM_TO_POINTS (210.0), paper_h = MM_TO_POINTS (297.0);
  const double width = paper_w - MM_TO_POINTS (MARGIN_LEFT + MARGIN_RIGHT);
  const double height = paper_h - MM_TO_POINTS (MARGIN_TOP + MARGIN_BOTTOM);
  const Block *title = g_ptr_array_index (self->blocks, 0);
  cairo_surface_t *surface;
  cairo_t *cr;
  PangoContext *pango;
  cairo_font_options_t *options;
  cairo_status_t status;

  surface = cairo_pdf_surface_create_for_stream (pdf_write_cb, sink, paper_w, paper_h);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title->text);
  cr = cairo_create (surface);

  pango = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (pango, options);
  cairo_font_options_destroy (options);
  pango_cairo_context_set_resolution (pango, 72.0);
  pango_cairo_update_context (cr, pango);

  paginate (self, pango, width, height);
  for (int page = 0; page < self->n_pages && !g_cancellable_is_cancelled (sink->cancellable); page++)
    {
      cairo_save (cr);
      cairo_translate (cr, MM_TO_POINTS (MARGIN_LEFT), MM_TO_POINTS (MARGIN_TOP));
      draw_page (self, cr, pango, page, width, height);
      cairo_restore (cr);
      cairo_show_page (cr);
    }
  g_object_unref (pango);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  g_ptr_array_set_size (self->pieces, 0);

  if (g_cancellable_set_error_if_cancelled (sink->cancellable, error))
    return FALSE;
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error_literal (error, G_IO_ERROR,
                           sink->saved_errno != 0 ? g_io_error_from_errno (sink->saved_errno) : G_IO_ERROR_FAILED,
                           sink->saved_errno != 0 ? g_strerror (sink->saved_errno) : cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/**
 * cn_report_print_export_pdf:
 * @self: a #CnReportPrint
 * @filename: where to write the PDF
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lays the report out on A4 and saves it as PDF, without a dialog. The file is written
 * beside @filename under another name, then renamed: a failed or cancelled export leaves
 * nothing at @filename (and an earlier file there as it was).
 *
 * No GTK is involved: this may run in a worker thread (one thread using @self at a time).
 *
 * Returns: %TRUE on success
 */
gboolean
cn_report_print_export_pdf (CnReportPrint  *self,
                            const char     *filename,
                            GCancellable   *cancellable,
                            GError        **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *temp = NULL;
  g_autoptr(GError) local_error = NULL;
  PdfSink sink = { -1, 0, cancellable };
  gboolean ok;

  g_return_val_if_fail (CN_IS_REPORT_PRINT (self), FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);

  dir = g_path_get_dirname (filename);
  base = g_path_get_basename (filename);
  temp = g_strdup_printf ("%s%c.%s-XXXXXX", dir, G_DIR_SEPARATOR, base);
  sink.fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0666);
  if (sink.fd < 0)
    {
      int saved_errno = errno;

      local_error = g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                         g_strerror (saved_errno));
      ok = FALSE;
    }
  else
    {
      ok = write_pdf (self, &sink, &local_error);
      if (ok && fsync (sink.fd) != 0)
        {
          int saved_errno = errno;

          local_error = g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                             g_strerror (saved_errno));
          ok = FALSE;
        }
      if (close (sink.fd) != 0 && ok)
        {
          int saved_errno = errno;

          local_error = g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                             g_strerror (saved_errno));
          ok = FALSE;
        }
      if (ok && g_rename (temp, filename) != 0)
        {
          int saved_errno = errno;

          local_error = g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                             g_strerror (saved_errno));
          ok = FALSE;
        }
      if (!ok)
        g_unlink (temp);
    }

  if (!ok)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, CN_ERROR, CN_ERROR_FAILED,
                     /* Translators: %s is a file name, then the system's reason */
                     _("Could not save the report as “%s”: %s"), filename, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * cn_report_print_run_dialog:
 * @self: a #CnReportPrint
 * @parent: (nullable): the window the print dialog belongs to
 * @error: return location for a #GError
 *
 * Shows the print dialog (which also offers “Print to File” as PDF) and prints. Main
 * thread only.
 *
 * Returns: %FALSE with @error set when printing failed; %TRUE when printed or cancelled
 */
gboolean
cn_report_print_run_dialog (CnReportPrint  *self,
                            GtkWindow      *parent,
                            GError        **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) run_error = NULL;
  GtkPrintOperationResult result;

  g_return_val_if_fail (CN_IS_REPORT_PRINT (self), FALSE);

  operation = create_operation (self);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                    parent, &run_error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_set_error (error, CN_ERROR, CN_ERROR_FAILED,
                   /* Translators: %s is the system's reason */
                   _("Could not print the report: %s"),
                   run_error != NULL ? run_error->message : _("unknown error"));
      return FALSE;
    }
  return TRUE;
}

static void
cn_report_print_finalize (GObject *object)
{
  CnReportPrint *self = CN_REPORT_PRINT (object);

  g_clear_pointer (&self->pieces, g_ptr_array_unref);
  g_clear_pointer (&self->blocks, g_ptr_array_unref);

  G_OBJECT_CLASS (cn_report_print_parent_class)->finalize (object);
}

static void
cn_report_print_class_init (CnReportPrintClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cn_report_print_finalize;
}

static void
cn_report_print_init (CnReportPrint *self)
{
  self->blocks = g_ptr_array_new_with_free_func (block_free);
  self->pieces = g_ptr_array_new_with_free_func (piece_free);
}
