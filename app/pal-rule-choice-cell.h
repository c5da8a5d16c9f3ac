/* pal-rule-choice-cell.h — the Property, Relation and Action columns: a
 * drop-down of the choices with their labels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pal-rule.h"

G_BEGIN_DECLS

typedef enum
{
  PAL_RULE_CHOICE_PROPERTY,
  PAL_RULE_CHOICE_RELATION,
  PAL_RULE_CHOICE_ACTION,
} PalRuleChoice;

#define PAL_TYPE_RULE_CHOICE_CELL (pal_rule_choice_cell_get_type ())
G_DECLARE_FINAL_TYPE (PalRuleChoiceCell, pal_rule_choice_cell, PAL, RULE_CHOICE_CELL, GtkWidget)

GtkWidget *pal_rule_choice_cell_new (PalRuleChoice choice);
void       pal_rule_choice_cell_bind (PalRuleChoiceCell *self,
                                      PalRule           *rule);
void       pal_rule_choice_cell_unbind (PalRuleChoiceCell *self);
/* What picking a choice in the cell's list does (value of the enum). */
void       pal_rule_choice_cell_choose (PalRuleChoiceCell *self,
                                        int                value);

/* The labels of a choice, in enum order (shared by every cell). */
GListModel *pal_rule_choice_get_labels (PalRuleChoice choice);

G_END_DECLS
