/* pal-outline-path.h — where a rule sits in a document's outline.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-document.h"

G_BEGIN_DECLS

/* The list that holds rule: its parent's children, or the top level. */
GListModel *pal_outline_get_siblings (PalDocument *document,
                                      PalRule     *rule);
/* The index of rule in that list; a rule that is not in the document is
 * a programming error. */
guint       pal_outline_get_position (PalDocument *document,
                                      PalRule     *rule);
/* The same, FALSE for a rule that is no longer in the document. */
gboolean    pal_outline_lookup_position (PalDocument *document,
                                         PalRule     *rule,
                                         guint       *position);
/* TRUE when ancestor is rule itself or one of its parents. */
gboolean    pal_outline_is_ancestor (PalRule *ancestor,
                                     PalRule *rule);
/* Inserts rule below parent (NULL: top level) at position. */
void        pal_outline_insert (PalDocument *document,
                                PalRule     *parent,
                                guint        position,
                                PalRule     *rule);

G_END_DECLS
