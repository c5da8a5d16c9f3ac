/* pal-adaptive-state.h — what the adaptive firewall remembers across a
 * helper restart or a reboot: the settings and trusted list of the last
 * applied document, so it resumes watching failed logins as soon as the
 * helper starts, and how many times each repeat offender was banned, so a
 * restart does not forgive one (its next ban still doubles).
 *
 * Kept in <state dir>/adaptive.ini (GKeyFile, written atomically, 0600):
 *
 *   [settings]  enabled, failures, window, duration, max-duration (seconds),
 *               services, trusted (lists)
 *   [bans]      ADDRESS=N for each address banned N times
 *
 * The file is the helper's own, but it is read like any input: a value out
 * of range or an address that does not parse makes the load fail with a
 * sentence naming the key, and the helper then starts without it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pal-document.h"

G_BEGIN_DECLS

#define PAL_ADAPTIVE_STATE_FILE "adaptive.ini"

typedef struct
{
  PalAdaptiveSettings *settings;
  GStrv                trusted;
  GHashTable          *bans;       /* canonical address → GUINT_TO_POINTER (bans) */
} PalAdaptiveState;

void              pal_adaptive_state_free (PalAdaptiveState *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalAdaptiveState, pal_adaptive_state_free)

/* Writes settings, trusted and bans (as pal_adaptive_dup_bans() gives
 * them) under directory, made if missing. */
gboolean          pal_adaptive_state_save (const char                *directory,
                                           const PalAdaptiveSettings *settings,
                                           const char * const        *trusted,
                                           GHashTable                *bans,
                                           GError                   **error);
/* NULL without an error when nothing was saved yet. */
PalAdaptiveState *pal_adaptive_state_load (const char  *directory,
                                           GError     **error);

G_END_DECLS
