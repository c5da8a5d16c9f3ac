/* fuzz-parameter.c — every action's parameter parser, and durations.
 *
 * The first byte picks the action, the rest is the text; the same text is
 * also read as a duration. Oracles: what parses prints a canonical text that
 * parses again to an equal parameter (duration) and prints the same; a
 * refusal's message is valid UTF-8.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "fuzz-common.h"
#include "pal-value-private.h"

#define N_ACTIONS (PAL_ACTION_COUNT + 1)

static void
check_message (const GError *error)
{
  g_assert (error != NULL);
  if (!g_utf8_validate (error->message, -1, NULL))
    {
      fprintf (stderr, "Oracle failed: a message that is not UTF-8: %s\n", error->message);
      abort ();
    }
}

static void
check_parameter (const PalParameter *parameter)
{
  g_autofree char *canonical = pal_parameter_print (parameter);
  g_autoptr(GError) error = NULL;
  g_autoptr(PalParameter) reparsed = pal_parameter_parse (parameter->action, canonical, &error);
  g_autoptr(PalParameter) copy = pal_parameter_copy (parameter);
  g_autofree char *again = NULL;

  if (reparsed == NULL)
    {
      fprintf (stderr, "Oracle failed: the canonical text \"%s\" for %s does not parse: %s\n",
               canonical, pal_action_to_string (parameter->action), error->message);
      abort ();
    }
  if (!pal_parameter_equal (parameter, reparsed) || !pal_parameter_equal (parameter, copy))
    {
      fprintf (stderr, "Oracle failed: \"%s\" (%s) parses or copies to another parameter\n",
               canonical, pal_action_to_string (parameter->action));
      abort ();
    }
  again = pal_parameter_print (reparsed);
  fuzz_assert_same_text ("print (parse (print (parameter)))", canonical, again);
}

static void
check_duration (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL;
  guint64 seconds = 0;
  guint64 reparsed = 0;

  if (!pal_duration_parse (text, &seconds, &error))
    {
      check_message (error);
      return;
    }
  canonical = pal_duration_print (seconds);
  if (!pal_duration_parse (canonical, &reparsed, NULL) || reparsed != seconds)
    {
      fprintf (stderr, "Oracle failed: duration \"%s\" = %" G_GUINT64_FORMAT
               " s prints \"%s\", which does not read back\n", text, seconds, canonical);
      abort ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PalParameter) parameter = NULL;
  PalAction action;

  if (size < 1)
    return 0;
  action = data[0] % N_ACTIONS;
  text = g_strndup ((const char *) data + 1, size - 1);

  parameter = pal_parameter_parse (action, text, &error);
  if (parameter == NULL)
    check_message (error);
  else
    check_parameter (parameter);
  check_duration (text);
  return 0;
}
