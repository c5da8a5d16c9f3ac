/* pal-problem.h — one thing wrong with a document, and where.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "pal-document.h"

G_BEGIN_DECLS

typedef struct
{
  PalDocumentError code;
  char            *path;     /* JSON path of the field: "rules[3].children[0].value" */
  char            *message;  /* a sentence, without location: "\"10.0.0.300\" is not an IPv4 address" */
  PalRule         *rule;     /* the rule concerned (a reference), or NULL */
  guint            line;     /* 1-based position in the file, 0 when unknown (not from a file) */
  guint            column;   /* 1-based, in characters */
} PalProblem;

#define PAL_TYPE_PROBLEM (pal_problem_get_type ())
GType       pal_problem_get_type (void) G_GNUC_CONST;
PalProblem *pal_problem_new (PalDocumentError  code,
                             const char       *path,
                             PalRule          *rule,
                             const char       *message);
PalProblem *pal_problem_copy (const PalProblem *problem);
void        pal_problem_free (PalProblem *problem);
/* "FILE:LINE:COLUMN: PATH: MESSAGE", leaving out what is unknown. */
char       *pal_problem_to_string (const PalProblem *problem,
                                   const char       *file_name);
/* Fills error with every problem, one per line, in the document error domain
 * (code of the first problem). */
void        pal_problems_to_error (GPtrArray   *problems,
                                   const char  *file_name,
                                   GError     **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalProblem, pal_problem_free)

G_END_DECLS
