/* pal-inline-entry.h — text shown as a label and edited in place.
 *
 * For the outline's Name, Value and Parameter cells. Unlike GtkEditableLabel
 * (GTK 4.8) a click only selects the row (a double click, Enter or F2
 * starts editing), long text ends in "…" instead of widening its column,
 * and no idle outlives the widget when its window closes mid-edit.
 *
 * Enter or leaving the field commits ("commit" signal with the text);
 * Escape cancels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PAL_TYPE_INLINE_ENTRY (pal_inline_entry_get_type ())
G_DECLARE_FINAL_TYPE (PalInlineEntry, pal_inline_entry, PAL, INLINE_ENTRY, GtkWidget)

GtkWidget  *pal_inline_entry_new (void);
const char *pal_inline_entry_get_text (PalInlineEntry *self);
/* Shows text; an edit in progress keeps what the user is typing. */
void        pal_inline_entry_set_text (PalInlineEntry *self,
                                       const char     *text);
gboolean    pal_inline_entry_get_editable (PalInlineEntry *self);
void        pal_inline_entry_set_editable (PalInlineEntry *self,
                                           gboolean        editable);
gboolean    pal_inline_entry_get_editing (PalInlineEntry *self);
void        pal_inline_entry_start_editing (PalInlineEntry *self);
/* Ends an edit; with commit TRUE emits "commit" with the typed text. */
void        pal_inline_entry_stop_editing (PalInlineEntry *self,
                                           gboolean        commit);

G_END_DECLS
