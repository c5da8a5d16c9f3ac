/* fuzz-common.c — set-up shared by every fuzz target.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "fuzz-common.h"

/* What meson test takes for a skipped test. */
#define FUZZ_SKIPPED 77

/* A critical or a warning from GLib means a precondition failed or a
 * program bug was noticed: for a fuzzer that is a crash to keep, not noise. */
int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  /* Messages are translated; the fuzzer must not depend on the locale. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  if (fuzz_target_init != NULL)
    {
      g_autofree char *reason = NULL;

      if (!fuzz_target_init (&reason))
        {
          fprintf (stderr, "Skipped: this target %s.\n", reason);
          exit (FUZZ_SKIPPED);
        }
    }
  return 0;
}

void
fuzz_assert_same_text (const char *what,
                       const char *expected,
                       const char *got)
{
  if (g_strcmp0 (expected, got) == 0)
    return;
  fprintf (stderr, "Oracle failed: %s\n--- expected ---\n%s\n--- got ---\n%s\n",
           what, expected ? expected : "(null)", got ? got : "(null)");
  abort ();
}
