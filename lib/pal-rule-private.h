/* pal-rule-private.h — the outline as arrays, for the library's walks.
 *
 * A rule's children and a document's rules are GListStores (the window
 * shows them); each also keeps them in an array, changed only by the
 * functions that change the store (nothing else may: the store is only
 * ever handed out as a GListModel). A walk that visits every rule (the
 * validator: 10,000 rules on every Apply) reads the array instead of
 * three GListModel calls per rule.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-document.h"
#include "pal-rule.h"

G_BEGIN_DECLS

/* Borrowed, valid until the children change; NULL when there are none. */
PalRule **pal_rule_peek_children (PalRule *self,
                                  guint   *n_children);
PalRule **pal_document_peek_rules (PalDocument *self,
                                   guint       *n_rules);

G_END_DECLS
