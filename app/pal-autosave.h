/* pal-autosave.h — a copy of every unsaved document, for after a crash.
 *
 * While a window's document has unsaved changes, it is written to
 * $XDG_DATA_HOME/palisade/autosave/<uuid>.fwdoc two seconds after an edit
 * burst ends, and at least every 30 seconds while edits go on; a sidecar
 * <uuid>.ini names the original file and the process. Saving (no unsaved
 * changes left) or closing the window once its changes are saved or
 * discarded removes both; a crash, or a window destroyed with changes it
 * never asked about, leaves them.
 * On start, pal_autosave_offer_restore() finds those a dead process left
 * and offers to open them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-window.h"

G_BEGIN_DECLS

#define PAL_AUTOSAVE_QUIET_SECONDS 2
#define PAL_AUTOSAVE_MAX_SECONDS   30

#define PAL_TYPE_AUTOSAVE (pal_autosave_get_type ())
G_DECLARE_FINAL_TYPE (PalAutosave, pal_autosave, PAL, AUTOSAVE, GObject)

/* The window's autosave (made on first use; lives as long as the window). */
PalAutosave *pal_autosave_for_window (PalWindow *window);
/* The document changed: schedules a save, or removes the copy when
 * nothing is unsaved any more. */
void         pal_autosave_changed (PalAutosave *self);
/* The window closes saved or with its changes discarded on purpose:
 * removes the copy. */
void         pal_autosave_discard (PalAutosave *self);
/* Writes now (if there is something unsaved). */
gboolean     pal_autosave_save_now (PalAutosave  *self,
                                    GError      **error);
/* The .fwdoc path of this window's copy. */
const char  *pal_autosave_get_path (PalAutosave *self);

char        *pal_autosave_get_directory (void);
/* Copies a dead process left: each the path of a .fwdoc, newest first. */
GPtrArray   *pal_autosave_find_orphans (void);
/* If there are orphans, asks (over parent) whether to restore them; each
 * restored one opens in a window of application. */
void         pal_autosave_offer_restore (GtkApplication *application,
                                         GtkWindow      *parent);

G_END_DECLS
