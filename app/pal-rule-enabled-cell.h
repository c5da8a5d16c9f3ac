/* pal-rule-enabled-cell.h — the On column: a rule's enabled check box.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pal-rule.h"

G_BEGIN_DECLS

#define PAL_TYPE_RULE_ENABLED_CELL (pal_rule_enabled_cell_get_type ())
G_DECLARE_FINAL_TYPE (PalRuleEnabledCell, pal_rule_enabled_cell, PAL, RULE_ENABLED_CELL, GtkWidget)

GtkWidget *pal_rule_enabled_cell_new (void);
void       pal_rule_enabled_cell_bind (PalRuleEnabledCell *self,
                                       PalRule            *rule);
void       pal_rule_enabled_cell_unbind (PalRuleEnabledCell *self);

G_END_DECLS
