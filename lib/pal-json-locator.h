/* pal-json-locator.h — where things are in a JSON text.
 *
 * json-glib 1.6 builds a tree but forgets where each node was, its parser
 * recurses (a hostile file of nested brackets can overflow the stack), and
 * it is slow: a GScanner and a hash table per object. PalJsonLocator scans
 * the text once, strictly and linearly: it checks UTF-8, strict JSON syntax
 * (no duplicate member names) and nesting depth, reporting the first fault
 * with its line and column, and builds a compact read-only tree of the
 * values (PalJsonValue, in blocks the locator owns) for the .fwdoc reader.
 * Afterwards it answers, in one more pass, where the value at each
 * problem's JSON path starts.
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
#include <json-glib/json-glib.h>

#include "pal-problem.h"

G_BEGIN_DECLS

/* Nesting that json-glib may see. A document of PAL_DOCUMENT_MAX_DEPTH
 * rules needs about twice that, plus room for members of newer versions. */
#define PAL_JSON_MAX_DEPTH 64

typedef struct _PalJsonLocator PalJsonLocator;

typedef enum
{
  PAL_JSON_NULL,
  PAL_JSON_BOOLEAN,
  PAL_JSON_INTEGER,
  PAL_JSON_DOUBLE,
  PAL_JSON_STRING,
  PAL_JSON_ARRAY,
  PAL_JSON_OBJECT,
} PalJsonKind;

/* One value of the tree. Members and elements are chained through next in
 * the order of the text; an object's member carries its (decoded) name. */
typedef struct _PalJsonValue PalJsonValue;
struct _PalJsonValue
{
  PalJsonKind   kind;
  guint         length;    /* members of an object, elements of an array */
  const char   *name;      /* member name, NULL for an element or the root */
  PalJsonValue *next;
  union
  {
    gboolean      boolean;
    gint64        integer;
    double        number;
    const char   *string;  /* decoded; U+0000 is refused, so no NUL inside */
    PalJsonValue *first;   /* first member or element */
  } v;
};

/* Scans text (which must stay alive as long as the locator). On a fault,
 * returns NULL and sets *problem (code SYNTAX, ENCODING or LIMIT, with line
 * and column, no path). A leading UTF-8 byte order mark is skipped. */
PalJsonLocator *pal_json_locator_new (const char  *text,
                                      gsize        length,
                                      guint        max_depth,
                                      PalProblem **problem);
void            pal_json_locator_free (PalJsonLocator *self);

/* The text without its byte order mark. */
const char     *pal_json_locator_get_text (PalJsonLocator *self);
gsize           pal_json_locator_get_length (PalJsonLocator *self);

/* The tree of the text's values (owned by the locator). */
const PalJsonValue *pal_json_locator_get_root (PalJsonLocator *self);

/* The member called name of an object, or NULL. */
const PalJsonValue *pal_json_value_get_member (const PalJsonValue *object,
                                               const char         *name);
/* A json-glib copy of a value, for what the model keeps as JsonObject. */
JsonNode           *pal_json_value_to_node (const PalJsonValue *value);

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
