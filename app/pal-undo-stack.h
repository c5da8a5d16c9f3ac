/* pal-undo-stack.h — undoable edits of a document's outline.
 *
 * Every change the window makes to its document goes through a command:
 * pal_undo_stack_begin(), then any number of the primitive edits below (each
 * applied at once and recorded with what it replaced), then
 * pal_undo_stack_end(). Undo replays the inverse of a command's edits in
 * reverse order; redo replays them again. Edits keep the very same PalRule
 * objects, so a rule that is deleted and restored is the same object, with
 * the same id, and an undo never needs to look anything up.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-document.h"

G_BEGIN_DECLS

#define PAL_TYPE_UNDO_STACK (pal_undo_stack_get_type ())
G_DECLARE_FINAL_TYPE (PalUndoStack, pal_undo_stack, PAL, UNDO_STACK, GObject)

PalUndoStack *pal_undo_stack_new (PalDocument *document);
PalDocument  *pal_undo_stack_get_document (PalUndoStack *self);

/* Commands nest: only the outermost end() closes the command. */
void          pal_undo_stack_begin (PalUndoStack *self,
                                    const char   *label);
void          pal_undo_stack_end (PalUndoStack *self);

/* parent NULL means the top level of the outline. */
void          pal_undo_stack_insert (PalUndoStack *self,
                                     PalRule      *parent,
                                     guint         position,
                                     PalRule      *rule);
/* Removes rule (with its subtree) from wherever it is. */
void          pal_undo_stack_remove (PalUndoStack *self,
                                     PalRule      *rule);
/* Sets a GObject property of a rule or of the document; a value equal to
 * the current one (strv and PalAdaptiveSettings by content) is no edit. */
void          pal_undo_stack_set (PalUndoStack *self,
                                  GObject      *object,
                                  const char   *property_name,
                                  const GValue *value);
/* Names an interface in the document with config, or (config NULL) stops
 * naming it; undo brings back the very config object it replaced. */
void          pal_undo_stack_set_interface (PalUndoStack       *self,
                                            const char         *name,
                                            PalInterfaceConfig *config);
/* Replaces the whole outline (Defaults, Show Active). */
void          pal_undo_stack_set_rules (PalUndoStack *self,
                                        GPtrArray    *rules);

gboolean      pal_undo_stack_can_undo (PalUndoStack *self);
gboolean      pal_undo_stack_can_redo (PalUndoStack *self);
/* The label of the command undo or redo would replay, or NULL. */
const char   *pal_undo_stack_get_undo_label (PalUndoStack *self);
const char   *pal_undo_stack_get_redo_label (PalUndoStack *self);
gboolean      pal_undo_stack_undo (PalUndoStack *self);
gboolean      pal_undo_stack_redo (PalUndoStack *self);

/* Modified: the document differs from when it was last marked clean
 * (opened or saved). Undoing back to that point makes it clean again. */
gboolean      pal_undo_stack_get_modified (PalUndoStack *self);
void          pal_undo_stack_mark_clean (PalUndoStack *self);
/* Forgets every command, e.g. when the document is replaced. */
void          pal_undo_stack_clear (PalUndoStack *self);

G_END_DECLS
