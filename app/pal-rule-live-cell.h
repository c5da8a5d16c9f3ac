/* pal-rule-live-cell.h — the last column when it shows Match Count, Byte
 * Count or Last Time: text from the window's counter table, repainted on
 * each refresh without touching the list model.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pal-counter-table.h"
#include "pal-rule.h"

G_BEGIN_DECLS

typedef enum
{
  PAL_LIVE_PACKETS,
  PAL_LIVE_BYTES,
  PAL_LIVE_LAST,
} PalLiveKind;

#define PAL_TYPE_RULE_LIVE_CELL (pal_rule_live_cell_get_type ())
G_DECLARE_FINAL_TYPE (PalRuleLiveCell, pal_rule_live_cell, PAL, RULE_LIVE_CELL, GtkWidget)

GtkWidget  *pal_rule_live_cell_new (PalLiveKind kind);
void        pal_rule_live_cell_set_kind (PalRuleLiveCell *self,
                                         PalLiveKind      kind);
void        pal_rule_live_cell_bind (PalRuleLiveCell *self,
                                     PalRule         *rule);
void        pal_rule_live_cell_unbind (PalRuleLiveCell *self);
/* Shows the rule's counter; marks the cell when it moved in this refresh. */
void        pal_rule_live_cell_refresh (PalRuleLiveCell *self,
                                        PalCounterTable *table,
                                        gint64           now);
const char *pal_rule_live_cell_get_text (PalRuleLiveCell *self);

G_END_DECLS
