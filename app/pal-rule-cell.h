/* pal-rule-cell.h — what the outline's cell widgets share.
 *
 * A cell remembers the rule it shows (bound by the outline's factories),
 * so drag and drop and the context menu can find the rule under the
 * pointer, and sends its edits to the window as the action
 * win.set-field (s id, s field, v value): one entry point for the mouse,
 * the keyboard and the tests, and every edit an undoable command.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pal-inline-entry.h"
#include "pal-rule.h"

G_BEGIN_DECLS

/* Not a reference: the outline clears it on unbind, before the row goes. */
void     pal_rule_cell_set_rule (GtkWidget *cell,
                                 PalRule   *rule);
PalRule *pal_rule_cell_get_rule (GtkWidget *cell);
/* The rule of the cell that contains widget, or NULL. */
PalRule *pal_rule_cell_find_rule (GtkWidget *widget);
/* Asks the window to change field of the cell's rule (undoable). */
void     pal_rule_cell_edit (GtkWidget  *cell,
                             const char *field,
                             GVariant   *value);
/* In a list row a click selects: editing takes a double click (or Enter
 * or F2 when the entry has the focus). */
void     pal_rule_cell_edit_on_double_click (GtkWidget      *cell,
                                             PalInlineEntry *entry);
/* A fixed tooltip, made when asked for: gtk_widget_set_tooltip_text()
 * queries the pointer from the display server, once per recycled row. */
void     pal_rule_cell_set_static_tooltip (GtkWidget  *widget,
                                           const char *text);
/* Expands row and every row below it (Shift+click on an expander). */
void     pal_tree_list_row_expand_all (GtkTreeListRow *row);

G_END_DECLS
