/* fuzz-value.c — every property's value parser.
 *
 * The first byte picks the property, the rest is the text. Oracles: a
 * value that parses prints a canonical text that parses again to an equal
 * value and prints the same; a copy is equal; a refusal's message is valid
 * UTF-8 and short, whatever the text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "fuzz-common.h"
#include "pal-value-private.h"

/* pal-value.h promises messages that quote a shortened item, never the text. */
#define MAX_MESSAGE_LENGTH 1024

static void
check_message (const GError *error)
{
  g_assert (error != NULL);
  if (!g_utf8_validate (error->message, -1, NULL) ||
      strlen (error->message) > MAX_MESSAGE_LENGTH)
    {
      fprintf (stderr, "Oracle failed: a bad message (%zu bytes): %s\n",
               strlen (error->message), error->message);
      abort ();
    }
}

static void
check_round_trip (const PalValue *value)
{
  g_autofree char *canonical = pal_value_print (value);
  g_autoptr(GError) error = NULL;
  g_autoptr(PalValue) reparsed = pal_value_parse (value->property, canonical, &error);
  g_autoptr(PalValue) copy = pal_value_copy (value);
  g_autofree char *again = NULL;

  if (reparsed == NULL)
    {
      fprintf (stderr, "Oracle failed: the canonical text \"%s\" of %s does not parse: %s\n",
               canonical, pal_property_to_string (value->property), error->message);
      abort ();
    }
  if (!pal_value_equal (value, reparsed))
    {
      fprintf (stderr, "Oracle failed: \"%s\" (%s) parses to another value\n",
               canonical, pal_property_to_string (value->property));
      abort ();
    }
  again = pal_value_print (reparsed);
  fuzz_assert_same_text ("print (parse (print (value)))", canonical, again);
  if (!pal_value_equal (value, copy))
    {
      fprintf (stderr, "Oracle failed: a copy of \"%s\" differs\n", canonical);
      abort ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PalValue) value = NULL;
  PalProperty property;

  if (size < 1)
    return 0;
  property = data[0] % PAL_N_PROPERTIES;
  text = g_strndup ((const char *) data + 1, size - 1);

  value = pal_value_parse (property, text, &error);
  if (value == NULL)
    check_message (error);
  else
    check_round_trip (value);
  return 0;
}
