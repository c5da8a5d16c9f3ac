/* pal-trusted-list.h — the document's trusted list on the Triggered tab,
 * beside the banned addresses: addresses, ranges and networks that are
 * never banned, by a Trigger rule or by the adaptive firewall.
 *
 * It edits the document (not the running firewall): every addition and
 * removal is an undoable command on the window's PalUndoStack, and the
 * helper's trusted sets follow at Apply. What the entry holds is checked
 * as the document's validator checks it; a bad address is refused with
 * the validator's sentence under the entry. Its actions (group
 * "trusted"): add (what the entry holds; several separated by commas or
 * spaces), remove (the selected entry).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pal-undo-stack.h"

G_BEGIN_DECLS

#define PAL_TYPE_TRUSTED_LIST (pal_trusted_list_get_type ())
G_DECLARE_FINAL_TYPE (PalTrustedList, pal_trusted_list, PAL, TRUSTED_LIST, GtkBox)

/* The document to show and edit is the undo stack's. */
void        pal_trusted_list_set_undo_stack (PalTrustedList *self,
                                             PalUndoStack   *undo);
/* The entry the add action reads. */
GtkEditable *pal_trusted_list_get_entry (PalTrustedList *self);
/* Selects the row of entry; FALSE when the list does not show it. */
gboolean    pal_trusted_list_select (PalTrustedList *self,
                                     const char     *entry);
/* Why the last addition was refused ("" when it was not). */
const char *pal_trusted_list_get_error (PalTrustedList *self);

G_END_DECLS
