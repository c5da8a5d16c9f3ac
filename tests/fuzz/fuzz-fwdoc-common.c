/* fuzz-fwdoc-common.c — checks of the problems a reader reports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "fuzz-fwdoc.h"
#include "pal-problem.h"

static guint
count_lines (const char *text,
             gsize       length)
{
  guint lines = 1;

  for (gsize i = 0; i < length; i++)
    if (text[i] == '\n')
      lines++;
  return lines;
}

static void G_GNUC_NORETURN
fail (const PalProblem *problem,
      const char       *why)
{
  g_autofree char *described = pal_problem_to_string (problem, NULL);

  fprintf (stderr, "Oracle failed: %s: %s\n", why, described);
  abort ();
}

void
fuzz_check_problems (GPtrArray  *problems,
                     const char *text,
                     gsize       length)
{
  guint n_lines = count_lines (text, length);

  g_assert (problems != NULL);
  for (guint i = 0; i < problems->len; i++)
    {
      const PalProblem *problem = g_ptr_array_index (problems, i);

      if (problem->message == NULL || !g_utf8_validate (problem->message, -1, NULL))
        fail (problem, "a message that is not UTF-8");
      if (problem->path != NULL && !g_utf8_validate (problem->path, -1, NULL))
        fail (problem, "a path that is not UTF-8");
      /* The locator places a missing member at its nearest ancestor, and
       * the root always exists: a path always gets a line. */
      if (problem->path != NULL && (problem->line < 1 || problem->line > n_lines))
        fail (problem, "a problem with a path but no line in the text");
    }
}
