/* fuzz-clipboard.c — rules pasted from the clipboard.
 *
 * The bytes are clipboard text: a JSON array of rules. Oracles: a refusal
 * reports located problems in valid UTF-8; rules that read write a text
 * that reads again without a problem and writes the same text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "fuzz-common.h"
#include "fuzz-fwdoc.h"
#include "pal-fwdoc.h"
#include "pal-problem.h"

static void
check_round_trip (GPtrArray *rules)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reread = NULL;
  g_autofree char *canonical = pal_fwdoc_rules_to_data (rules);
  g_autofree char *again = NULL;

  reread = pal_fwdoc_rules_from_data (canonical, -1, &problems, &error);
  if (reread == NULL)
    {
      fprintf (stderr, "Oracle failed: the written rules do not read again:\n%s\n"
               "--- written text ---\n%s\n", error->message, canonical);
      abort ();
    }
  again = pal_fwdoc_rules_to_data (reread);
  fuzz_assert_same_text ("write (read (write (read (text))))", canonical, again);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  const char *text = (const char *) data;

  rules = pal_fwdoc_rules_from_data (size > 0 ? text : "", size, &problems, &error);
  fuzz_check_problems (problems, text, size);
  if (rules == NULL)
    {
      g_assert (error != NULL && problems->len > 0);
      return 0;
    }
  g_assert (error == NULL && problems->len == 0);
  check_round_trip (rules);
  return 0;
}
