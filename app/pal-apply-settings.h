/* pal-apply-settings.h — whether Apply asks "Keep these firewall
 * settings?", and for how long.
 *
 * The preference lives in $XDG_CONFIG_HOME/palisade/settings.ini:
 *
 *   [apply]
 *   confirm=true        ask after every Apply (the default)
 *   confirm-seconds=20  the countdown (5 to 600)
 *
 * It can be turned off for local sessions only: a session over SSH
 * (SSH_CONNECTION or SSH_CLIENT set) always asks, since a mistake there
 * cuts the very connection one would fix it through. The Preferences
 * window (pal-preferences-window.c) edits both keys.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PAL_APPLY_CONFIRM_DEFAULT_SECONDS 20
#define PAL_APPLY_CONFIRM_MIN_SECONDS 5
#define PAL_APPLY_CONFIRM_MAX_SECONDS 600

/* TRUE when the session runs over SSH. */
gboolean pal_apply_settings_is_remote (void);
/* The preference as saved (TRUE when there is none). */
gboolean pal_apply_settings_get_confirm (void);
gboolean pal_apply_settings_set_confirm (gboolean   confirm,
                                         GError   **error);
/* The countdown as saved (the default when there is none), whatever
 * "confirm" says; set clamps it to 5 to 600. */
guint    pal_apply_settings_get_countdown (void);
gboolean pal_apply_settings_set_countdown (guint     seconds,
                                           GError  **error);
/* Seconds an Apply waits for Keep: 0 when it does not ask (preference off
 * in a local session). */
guint    pal_apply_settings_get_confirm_seconds (void);

G_END_DECLS
