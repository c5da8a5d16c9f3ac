/* pal-outline-path.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pal-outline-path.h"

GListModel *
pal_outline_get_siblings (PalDocument *document,
                          PalRule     *rule)
{
  PalRule *parent;

  g_return_val_if_fail (PAL_IS_DOCUMENT (document), NULL);
  g_return_val_if_fail (PAL_IS_RULE (rule), NULL);

  parent = pal_rule_get_parent (rule);
  if (parent != NULL)
    return pal_rule_get_children (parent);
  return pal_document_get_rules (document);
}

gboolean
pal_outline_lookup_position (PalDocument *document,
                             PalRule     *rule,
                             guint       *position)
{
  GListModel *siblings = pal_outline_get_siblings (document, rule);

  /* Both lists are GListStores (pal-rule.c, pal-document.c); find is a
   * pointer comparison, so a 10,000-rule level costs microseconds. */
  return G_IS_LIST_STORE (siblings)
         && g_list_store_find (G_LIST_STORE (siblings), rule, position);
}

guint
pal_outline_get_position (PalDocument *document,
                          PalRule     *rule)
{
  guint position = G_MAXUINT;

  if (pal_outline_lookup_position (document, rule, &position))
    return position;
  g_return_val_if_reached (G_MAXUINT);
}

gboolean
pal_outline_is_ancestor (PalRule *ancestor,
                         PalRule *rule)
{
  for (PalRule *r = rule; r != NULL; r = pal_rule_get_parent (r))
    if (r == ancestor)
      return TRUE;
  return FALSE;
}

void
pal_outline_insert (PalDocument *document,
                    PalRule     *parent,
                    guint        position,
                    PalRule     *rule)
{
  if (parent != NULL)
    pal_rule_insert_child (parent, position, rule);
  else
    pal_document_insert_rule (document, position, rule);
}
