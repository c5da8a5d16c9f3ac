/* pal-rule-last-cell.h — the last column: the rule's parameter (editable)
 * or one of its live counters, as the column's header menu chooses.
 *
 * One cell for every mode, switched in place: swapping the column's
 * factory instead would rebuild every row's cell (and GTK 4.8 does so
 * without unbinding the old ones).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pal-counter-table.h"
#include "pal-rule-live-cell.h"
#include "pal-rule.h"

G_BEGIN_DECLS

#define PAL_TYPE_RULE_LAST_CELL (pal_rule_last_cell_get_type ())
G_DECLARE_FINAL_TYPE (PalRuleLastCell, pal_rule_last_cell, PAL, RULE_LAST_CELL, GtkWidget)

GtkWidget *pal_rule_last_cell_new (void);
void       pal_rule_last_cell_bind (PalRuleLastCell *self,
                                    PalRule         *rule);
void       pal_rule_last_cell_unbind (PalRuleLastCell *self);
/* live FALSE shows the parameter; TRUE the counter of kind. */
void       pal_rule_last_cell_set_mode (PalRuleLastCell *self,
                                        gboolean         live,
                                        PalLiveKind      kind);
void       pal_rule_last_cell_refresh (PalRuleLastCell *self,
                                       PalCounterTable *table,
                                       gint64           now);
/* The cell shown now: a PalRuleTextCell or a PalRuleLiveCell. */
GtkWidget *pal_rule_last_cell_get_visible (PalRuleLastCell *self);

G_END_DECLS
