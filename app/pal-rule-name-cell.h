/* pal-rule-name-cell.h — the Name column: the outline's expander and the
 * rule's name, edited in place.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pal-rule.h"

G_BEGIN_DECLS

#define PAL_TYPE_RULE_NAME_CELL (pal_rule_name_cell_get_type ())
G_DECLARE_FINAL_TYPE (PalRuleNameCell, pal_rule_name_cell, PAL, RULE_NAME_CELL, GtkWidget)

GtkWidget *pal_rule_name_cell_new (void);
void       pal_rule_name_cell_bind (PalRuleNameCell *self,
                                    GtkTreeListRow  *row);
void       pal_rule_name_cell_unbind (PalRuleNameCell *self);
void       pal_rule_name_cell_start_editing (PalRuleNameCell *self);
gboolean   pal_rule_name_cell_get_editing (PalRuleNameCell *self);

G_END_DECLS
