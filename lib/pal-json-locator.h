/* pal-json-locator.h — where things are in a JSON text.
 *
 * json-glib 1.6 builds a tree but forgets where each node was, and its
 * parser recurses, so a hostile file of nested brackets can overflow the
 * stack. PalJsonLocator scans the text first, strictly and linearly: it
 * checks UTF-8, strict JSON syntax (no duplicate member names), and nesting
 * depth, reporting the first fault with its line and column. Only a text
 * that passes is handed to json-glib. Afterwards it answers, in one more
 * pass, where the value at each problem's JSON path starts.
 *
 * Paths: members are joined with '.', array elements are "[N]", members
 * whose names are not plain ([A-Za-z0-9_-]+) are written ["name"] with JSON
 * escapes: rules[3].children[0].value, interfaces["eth0.100"].filter.
 * The empty path is the whole text's value.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pal-problem.h"

G_BEGIN_DECLS

/* Nesting that json-glib may see. A document of PAL_DOCUMENT_MAX_DEPTH
 * rules needs about twice that, plus room for members of newer versions. */
#define PAL_JSON_MAX_DEPTH 64

typedef struct _PalJsonLocator PalJsonLocator;

/* Scans text (which must stay alive as long as the locator). On a fault,
 * returns NULL and sets *problem (code SYNTAX, ENCODING or LIMIT, with line
 * and column, no path). A leading UTF-8 byte order mark is skipped. */
PalJsonLocator *pal_json_locator_new (const char  *text,
                                      gsize        length,
                                      guint        max_depth,
                                      PalProblem **problem);
void            pal_json_locator_free (PalJsonLocator *self);

/* The text without its byte order mark: what to hand to json-glib. */
const char     *pal_json_locator_get_text (PalJsonLocator *self);
gsize           pal_json_locator_get_length (PalJsonLocator *self);

/* Sets line and column of every problem that has a path and no line yet,
 * to where the value at that path starts; for a path that does not exist
 * (a missing member), where its nearest existing ancestor starts. One pass
 * over the text for all problems together. */
void            pal_json_locator_locate (PalJsonLocator *self,
                                         GPtrArray      *problems);

/* Building paths. */
void            pal_json_path_append_member (GString    *path,
                                             const char *name);
void            pal_json_path_append_index (GString *path,
                                            guint    index);
char           *pal_json_path_member (const char *parent,
                                      const char *name);
char           *pal_json_path_index (const char *parent,
                                     guint       index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalJsonLocator, pal_json_locator_free)

G_END_DECLS
