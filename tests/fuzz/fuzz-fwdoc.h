/* fuzz-fwdoc.h — checks the .fwdoc targets share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Aborts unless every problem's message is valid UTF-8 and every problem
 * with a path has a line inside the text. */
void fuzz_check_problems (GPtrArray  *problems,
                          const char *text,
                          gsize       length);

G_END_DECLS
