/* pal-helper-triggered.h — the triggered half of palisade-helper's D-Bus
 * object: ListTriggered, AddTriggered, RemoveTriggered, FlushTriggered,
 * SetTriggerDuration, ListTrusted, AddTrusted, RemoveTrusted, Import,
 * Export and TriggeredChanged, and the persistence of the bans.
 *
 * Like PalHelperNet it connects to the object's handle-… signals, so the
 * service needs no code for these methods. The trusted list and the
 * trigger duration are settings of the applied document: changing them
 * reads the active document, changes it and applies it (under the
 * service's locks, so it never runs beside an Apply).
 *
 * Persistence: the bans are saved to <state dir>/triggered.tsv a second
 * after each change, every minute (rules ban without telling us), and when
 * this object is disposed (helper exit); they are restored when it starts
 * and after each Apply while the table did not exist at start (a reboot),
 * and by palisade-boot.service right after it applies the boot document
 * (pal_boot_apply_file()).
 * The adaptive firewall's settings (from the last applied document) and
 * its repeat offenders' ban counts go to <state dir>/adaptive.ini
 * (pal-adaptive-state.h) after each Apply, with each save and at exit; at
 * start the counts come back, and while our table exists the adaptive
 * firewall watches again without waiting for an Apply.
 * The state directory is $PALISADE_STATE_DIRECTORY (tests, sandbox), else
 * systemd's $STATE_DIRECTORY, else /var/lib/palisade as root and
 * $XDG_STATE_HOME/palisade otherwise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-dbus-generated.h"
#include "pal-firewall.h"
#include "pal-triggered.h"

G_BEGIN_DECLS

#define PAL_TYPE_HELPER_TRIGGERED (pal_helper_triggered_get_type ())
G_DECLARE_FINAL_TYPE (PalHelperTriggered, pal_helper_triggered, PAL, HELPER_TRIGGERED, GObject)

/* object: the exported skeleton, not referenced (it owns us). The locks
 * are the service's: kernel_lock around every PalFirewall call,
 * apply_lock (tried, else Busy) around an apply. */
PalHelperTriggered *pal_helper_triggered_new (PalDBusFirewall1 *object,
                                              PalFirewall      *firewall,
                                              GMutex           *kernel_lock,
                                              GMutex           *apply_lock);

/* After the service applied a document: restores saved bans if they are
 * still waiting for the table. Any thread. */
void                pal_helper_triggered_applied (PalHelperTriggered *self,
                                                  PalDocument        *document);

PalTriggered       *pal_helper_triggered_get_triggered (PalHelperTriggered *self);
/* Saves now (also done at dispose). */
gboolean            pal_helper_triggered_save (PalHelperTriggered  *self,
                                               GError             **error);
/* TRUE while the adaptive firewall reads failed logins: the helper must
 * not exit when idle then. Any thread. */
gboolean            pal_helper_triggered_get_busy (PalHelperTriggered *self);
/* Tells callers (TriggeredChanged) and schedules a save. Any thread. */
void                pal_helper_triggered_changed (PalHelperTriggered *self);
/* Where the bans and the adaptive state are kept (see above). */
char               *pal_helper_triggered_state_directory (void);

G_END_DECLS
