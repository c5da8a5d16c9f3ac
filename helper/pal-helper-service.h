/* pal-helper-service.h — the io.github.palisade.Firewall1 object.
 *
 * A subclass of the generated skeleton. Every call is handled in a worker
 * thread (polkit may wait for a password, an Apply of 100,000 rules takes a
 * second), authorized first by a PalAuthorizer, and the calls into the
 * kernel are serialized: one PalFirewall, one caller at a time. Property
 * reads are calls like any other: they are authorized (as monitor) too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-authorizer.h"
#include "pal-dbus-generated.h"
#include "pal-firewall.h"

G_BEGIN_DECLS

#define PAL_TYPE_HELPER_SERVICE (pal_helper_service_get_type ())
G_DECLARE_FINAL_TYPE (PalHelperService, pal_helper_service, PAL, HELPER_SERVICE, PalDBusFirewall1Skeleton)

PalHelperService *pal_helper_service_new (PalFirewall   *firewall,
                                          PalAuthorizer *authorizer);

/* For the idle exit: TRUE while a call is being authorized or handled. */
gboolean          pal_helper_service_get_busy (PalHelperService *self);
/* Before exiting: a change waiting for its confirmation is rolled back
 * (pal_apply_guard_shutdown()). In the main thread, the loop stopped. */
void              pal_helper_service_shutdown (PalHelperService *self);
/* g_get_monotonic_time() when the last call started or ended (or the
 * service was made). */
gint64            pal_helper_service_get_last_activity (PalHelperService *self);

G_END_DECLS
