/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the record codec and validation (cn_record_from_string,
 * cn_json_parse_checked, cn_record_array_from_json) on arbitrary bytes.
 *
 *   build-aux/fuzz --minutes 10 fuzz-record
 *
 * Besides crashes, sanitizer reports and GLib criticals it checks what the codec promises:
 * an accepted record validates, writes out and reads back to an equal record; a refused one
 * comes with a CN_ERROR and a UTF-8 message, never both or neither. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "cn-error.h"
#include "cn-record.h"
#include "fuzz-common.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_round_trip (CnRecord *record)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = cn_record_to_string (record);
  g_autoptr(CnRecord) again = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node_again = NULL;

  if (!cn_record_validate (record, &error))
    g_error ("an accepted record does not validate: %s", error->message);
  again = cn_record_from_string (text, -1, &error);
  if (again == NULL)
    g_error ("a record written by the codec is refused: %s\n%s", error->message, text);
  /* Compared as JSON values: the order of an object's members carries no meaning. */
  node = cn_record_to_json (record);
  node_again = cn_record_to_json (again);
  if (!json_node_equal (node, node_again))
    g_error ("a record changes on a round trip:\n%s", text);
}

static void
check_refusal (GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == CN_ERROR);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
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
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CnRecord) record = cn_record_from_string ((const char *) data, (gssize) size,
                                                        &error);

    if (record != NULL)
      {
        g_assert_no_error (error);
        check_round_trip (record);
      }
    else
      check_refusal (error);
  }

  /* The same bytes as a change feed's array (or any JSON the checked parser lets by). */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = cn_json_parse_checked ((const char *) data, (gssize) size,
                                                      &error);
    g_autoptr(GPtrArray) records = NULL;

    if (node == NULL)
      {
        check_refusal (error);
        return 0;
      }
    records = cn_record_array_from_json (node, &error);
    if (records == NULL)
      check_refusal (error);
    else
      for (guint i = 0; i < records->len; i++)
        check_round_trip (g_ptr_array_index (records, i));
  }
  return 0;
}
