/* pal-window.h — a firewall document's window.
 *
 * One window per document, as in IPNetSentryX: the outline editor, the
 * Interfaces and Triggered tabs, the status field, Apply and Show Active.
 * Everything the window does is a win. action (pal-window-actions.c,
 * pal-window-edit.c), so menus, keyboard and tests share one path.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pal-counter-table.h"
#include "pal-document.h"
#include "pal-rule-outline.h"
#include "pal-undo-stack.h"

G_BEGIN_DECLS

#define PAL_TYPE_WINDOW (pal_window_get_type ())
G_DECLARE_FINAL_TYPE (PalWindow, pal_window, PAL, WINDOW, AdwApplicationWindow)

/* A window with the default document ("Getting Started"), not yet saved. */
PalWindow       *pal_window_new (GtkApplication *application);

PalDocument     *pal_window_get_document (PalWindow *self);
/* NULL until the document is saved or opened from a file. */
GFile           *pal_window_get_file (PalWindow *self);
PalUndoStack    *pal_window_get_undo_stack (PalWindow *self);
PalCounterTable *pal_window_get_counters (PalWindow *self);
PalRuleOutline  *pal_window_get_outline (PalWindow *self);
/* The other programs' nftables tables (PalOtherTable) as Show Active or
 * Expert View last read them; empty before. */
GListModel      *pal_window_get_other_tables (PalWindow *self);

/* Shows document (from file, or NULL for an unsaved one) in this window,
 * forgetting the undo history: the window's document is now clean. */
void             pal_window_set_document (PalWindow   *self,
                                          PalDocument *document,
                                          GFile       *file);
/* Shows a new, unsaved document from a shipped template ("default"). */
gboolean         pal_window_load_template (PalWindow   *self,
                                           const char  *template_id,
                                           GError     **error);
/* Reads file into this window; on failure the window is unchanged and
 * error holds the parser's located message. */
gboolean         pal_window_load_file (PalWindow  *self,
                                       GFile      *file,
                                       GError    **error);
/* Writes the document to file (atomically), which becomes the window's file.
 * Refuses a document with invalid values: it could not be read back. */
gboolean         pal_window_save_file (PalWindow  *self,
                                       GFile      *file,
                                       GError    **error);

/* Unsaved changes. */
gboolean         pal_window_get_modified (PalWindow *self);
/* The document came from an autosave after a crash: it holds changes its
 * file (if any) does not, so it counts as modified until it is saved. */
void             pal_window_mark_restored (PalWindow *self);
/* No file and no change: a new window a file can be opened into. */
gboolean         pal_window_is_pristine (PalWindow *self);

/* The status field: every operation confirms itself there, errors in words. */
const char      *pal_window_get_status (PalWindow *self);
void             pal_window_set_status (PalWindow  *self,
                                        gboolean    error,
                                        const char *format,
                                        ...) G_GNUC_PRINTF (3, 4);

G_END_DECLS
