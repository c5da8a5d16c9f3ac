/* pal-ban-settings.h — the document's ban settings on the Triggered tab:
 * the expiration interval (how long a Trigger rule or a ban by hand bans
 * when it names no duration: the document's triggered.duration) and the
 * adaptive firewall (on or off, how many failed logins within how long,
 * the first ban, the longest ban of a repeat offender, the watched
 * services).
 *
 * Each value is an entry on its row, taken when the user presses Enter or
 * leaves it; it is checked as the document's validator checks it (a
 * duration as the .fwdoc format writes it: 30s, 15m, 1h30m, 10d, forever)
 * and a bad one is refused with the validator's sentence on its row.
 * Every change is one undoable command on the window's PalUndoStack; the
 * running firewall follows at Apply.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pal-undo-stack.h"

G_BEGIN_DECLS

#define PAL_TYPE_BAN_SETTINGS (pal_ban_settings_get_type ())
G_DECLARE_FINAL_TYPE (PalBanSettings, pal_ban_settings, PAL, BAN_SETTINGS, AdwPreferencesGroup)

/* The document to show and edit is the undo stack's. */
void         pal_ban_settings_set_undo_stack (PalBanSettings *self,
                                              PalUndoStack   *undo);
/* The entry of a setting: "expiration", "failures", "window", "duration",
 * "max-duration" or "services"; NULL for any other name. */
GtkEditable *pal_ban_settings_get_entry (PalBanSettings *self,
                                         const char     *setting);
/* Why the last value typed into that entry was refused ("" if it was not). */
const char  *pal_ban_settings_get_error (PalBanSettings *self,
                                         const char     *setting);
/* The adaptive firewall's row, whose enable switch turns it on and off. */
AdwExpanderRow *pal_ban_settings_get_adaptive_row (PalBanSettings *self);

G_END_DECLS
