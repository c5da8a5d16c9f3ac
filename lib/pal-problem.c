/* pal-problem.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pal-problem.h"

G_DEFINE_BOXED_TYPE (PalProblem, pal_problem, pal_problem_copy, pal_problem_free)

PalProblem *
pal_problem_new (PalDocumentError  code,
                 const char       *path,
                 PalRule          *rule,
                 const char       *message)
{
  PalProblem *problem = g_new0 (PalProblem, 1);

  g_return_val_if_fail (message != NULL, NULL);

  problem->code = code;
  problem->path = g_strdup (path);
  problem->message = g_strdup (message);
  problem->rule = rule != NULL ? g_object_ref (rule) : NULL;
  return problem;
}

PalProblem *
pal_problem_copy (const PalProblem *problem)
{
  PalProblem *copy;

  g_return_val_if_fail (problem != NULL, NULL);

  copy = pal_problem_new (problem->code, problem->path, problem->rule, problem->message);
  copy->line = problem->line;
  copy->column = problem->column;
  return copy;
}

void
pal_problem_free (PalProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->path);
  g_free (problem->message);
  g_clear_object (&problem->rule);
  g_free (problem);
}

char *
pal_problem_to_string (const PalProblem *problem,
                       const char       *file_name)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (problem != NULL, NULL);

  if (file_name != NULL)
    g_string_append_printf (text, "%s:", file_name);
  if (problem->line > 0)
    g_string_append_printf (text, "%u:%u:", problem->line, problem->column);
  if (text->len > 0)
    g_string_append_c (text, ' ');
  if (problem->path != NULL && problem->path[0] != '\0')
    g_string_append_printf (text, "%s: ", problem->path);
  g_string_append (text, problem->message);
  return g_string_free (text, FALSE);
}

void
pal_problems_to_error (GPtrArray   *problems,
                       const char  *file_name,
                       GError     **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const PalProblem *first;

  g_return_if_fail (problems != NULL && problems->len > 0);

  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *line = pal_problem_to_string (g_ptr_array_index (problems, i), file_name);
      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, line);
    }
  first = g_ptr_array_index (problems, 0);
  g_set_error_literal (error, PAL_DOCUMENT_ERROR, first->code, text->str);
}
