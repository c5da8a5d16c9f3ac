/* pal-rule-outline.h — the Filters tab: a document's rules as an outline.
 *
 * A GtkColumnView over a GtkTreeListModel of the document's rules (children
 * from pal_rule_get_children), with a multiple selection. The outline only
 * shows and selects: every change is a window action (win.set-field,
 * win.move-rules, …), so it is undoable. The last column shows the
 * parameter or one of the live counters of the window's counter table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pal-counter-table.h"
#include "pal-document.h"

G_BEGIN_DECLS

#define PAL_TYPE_RULE_OUTLINE (pal_rule_outline_get_type ())
G_DECLARE_FINAL_TYPE (PalRuleOutline, pal_rule_outline, PAL, RULE_OUTLINE, GtkWidget)

/* What the last column shows (the outline.last-column action's state). */
#define PAL_LAST_COLUMN_PARAMETER "parameter"
#define PAL_LAST_COLUMN_PACKETS   "packets"
#define PAL_LAST_COLUMN_BYTES     "bytes"
#define PAL_LAST_COLUMN_LAST      "last"

void               pal_rule_outline_set_document (PalRuleOutline *self,
                                                  PalDocument    *document);
void               pal_rule_outline_set_counters (PalRuleOutline  *self,
                                                  PalCounterTable *counters);

const char        *pal_rule_outline_get_last_column (PalRuleOutline *self);
void               pal_rule_outline_set_last_column (PalRuleOutline *self,
                                                     const char     *last_column);
/* The column's title for a last-column value ("Match Count"). */
const char        *pal_rule_outline_get_last_column_title (const char *last_column);

GtkSelectionModel *pal_rule_outline_get_selection (PalRuleOutline *self);
/* The selected rows (GtkTreeListRow) in outline order. */
GPtrArray         *pal_rule_outline_get_selected_rows (PalRuleOutline *self);
/* The row showing rule, or NULL when a collapsed parent hides it. */
GtkTreeListRow    *pal_rule_outline_get_row (PalRuleOutline *self,
                                             PalRule        *rule);
/* Expands the parents of the rules, selects exactly them and scrolls the
 * first into view. */
void               pal_rule_outline_select_rules (PalRuleOutline *self,
                                                  GPtrArray      *rules);
void               pal_rule_outline_expand (PalRuleOutline *self,
                                            PalRule        *rule,
                                            gboolean        recursive);
/* Starts editing the name of rule (after New, or with F2). */
void               pal_rule_outline_rename (PalRuleOutline *self,
                                            PalRule        *rule);

/* Shows a cell's popover (a choice list) pointing at the cell. Its parent
 * is the outline, not the row: focus inside it must not look to the list
 * like a move to another row. Replaces any other; unparented on close. */
void               pal_rule_outline_show_popover (PalRuleOutline *self,
                                                  GtkPopover     *popover,
                                                  GtkWidget      *cell);
/* Repaints what depends on other rows: the inactive mark of rules whose
 * parent is off. Cheap: only the bound (visible) cells. */
void               pal_rule_outline_refresh_state (PalRuleOutline *self);
/* For the tests: how many cells are bound (visible rows × columns). */
guint              pal_rule_outline_get_n_bound_cells (PalRuleOutline *self);
/* For the tests: the bound cell of a column ("name", "value", "last") for
 * rule, or NULL when the row is not visible. */
GtkWidget         *pal_rule_outline_get_cell (PalRuleOutline *self,
                                              PalRule        *rule,
                                              const char     *column);

G_END_DECLS
