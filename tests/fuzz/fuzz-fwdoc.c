/* fuzz-fwdoc.c — the .fwdoc reader and writer.
 *
 * The bytes are a whole file. Oracles: a refusal reports located problems
 * in valid UTF-8; a document that loads saves to a canonical text that
 * loads again without a problem and saves to the same text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "fuzz-fwdoc.h"
#include "pal-fwdoc.h"
#include "pal-problem.h"

static void
check_round_trip (PalDocument *document)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PalDocument) reloaded = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *again = NULL;
  gsize length = 0;

  canonical = pal_fwdoc_save_data (document, &length);
  g_assert (canonical != NULL && strlen (canonical) == length);
  reloaded = pal_fwdoc_load_data (canonical, length, "canonical.fwdoc", &problems, &error);
  if (reloaded == NULL)
    {
      fprintf (stderr, "Oracle failed: the saved text does not load again:\n%s\n"
               "--- saved text ---\n%s\n", error->message, canonical);
      abort ();
    }
  again = pal_fwdoc_save_data (reloaded, NULL);
  fuzz_assert_same_text ("save (load (save (load (file))))", canonical, again);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PalDocument) document = NULL;
  const char *text = (const char *) data;

  /* The reader takes a length, so the bytes need no terminating NUL. */
  document = pal_fwdoc_load_data (size > 0 ? text : "", size, "fuzz.fwdoc", &problems, &error);
  fuzz_check_problems (problems, text, size);
  if (document == NULL)
    {
      g_assert (error != NULL && problems->len > 0);
      if (!g_utf8_validate (error->message, -1, NULL))
        {
          fprintf (stderr, "Oracle failed: the error is not UTF-8\n");
          abort ();
        }
      return 0;
    }
  g_assert (error == NULL && problems->len == 0);
  check_round_trip (document);
  return 0;
}
