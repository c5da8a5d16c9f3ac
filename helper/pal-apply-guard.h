/* pal-apply-guard.h — Apply with confirmation: the rollback of a change
 * that its client did not confirm.
 *
 * Before an Apply, prepare() refuses (Busy) while another change waits for
 * its confirmation, and remembers what the table is: the document last
 * applied (or, after a restart of the helper, the active one read back),
 * the master switch, or that there is no table. After a successful Apply
 * with a "confirm-timeout", arm() starts the clock and watches the
 * caller's unique bus name. Confirm() from that caller (this object
 * answers the skeleton's handle-confirm) keeps the change; RollBack()
 * from that caller, the clock running out or the caller leaving the bus
 * restores the remembered state
 * in a worker thread and emits RolledBack with the reason; so does the
 * helper stopping (shutdown()).
 *
 * The clock and the name watch live in the main context of the thread
 * that made this object; the other functions may be called from any
 * thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-dbus-generated.h"
#include "pal-firewall.h"

G_BEGIN_DECLS

/* Seconds a change may wait for its confirmation at most. */
#define PAL_APPLY_GUARD_MAX_TIMEOUT 3600

#define PAL_TYPE_APPLY_GUARD (pal_apply_guard_get_type ())
G_DECLARE_FINAL_TYPE (PalApplyGuard, pal_apply_guard, PAL, APPLY_GUARD, GObject)

/* object: the exported skeleton, not referenced (it owns the guard). */
PalApplyGuard *pal_apply_guard_new (PalDBusFirewall1 *object,
                                    PalFirewall      *firewall);

/* The "confirm-timeout" option's value, checked: 0 when absent. */
gboolean       pal_apply_guard_parse_timeout (GVariant  *value,
                                              guint     *seconds,
                                              GError   **error);

/* Before an Apply that asks for confirmation (timeout > 0): Busy while a
 * change waits; else remembers the table as it is. With timeout 0, only
 * the Busy check. */
gboolean       pal_apply_guard_prepare (PalApplyGuard  *self,
                                        guint           timeout,
                                        GError        **error);
/* After the Apply: applied says whether it took effect. Arms the clock
 * and the watch of sender on connection when it did and timeout > 0;
 * otherwise forgets what prepare() remembered. */
void           pal_apply_guard_finish (PalApplyGuard   *self,
                                       gboolean         applied,
                                       GDBusConnection *connection,
                                       const char      *sender,
                                       guint            timeout);
/* Before the helper exits (SIGTERM, SIGINT, the bus gone): nobody can
 * confirm a change that waits any more, so the previous table comes back
 * now, in the main context's thread, and RolledBack is emitted (flush the
 * connection afterwards). An Apply or rollback still running is waited
 * for first. */
void           pal_apply_guard_shutdown (PalApplyGuard *self);
/* TRUE while a change waits or is being rolled back (no idle exit). */
gboolean       pal_apply_guard_get_busy (PalApplyGuard *self);

G_END_DECLS
