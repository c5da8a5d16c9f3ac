/* pal-preferences-window.h — Preferences: whether Apply asks "Keep these
 * firewall settings?" in a local session, and the countdown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PAL_TYPE_PREFERENCES_WINDOW (pal_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (PalPreferencesWindow, pal_preferences_window, PAL, PREFERENCES_WINDOW, AdwPreferencesWindow)

PalPreferencesWindow *pal_preferences_window_new (GtkWindow *parent);

G_END_DECLS
