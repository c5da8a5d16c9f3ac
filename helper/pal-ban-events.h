/* pal-ban-events.h — "banned" and "unbanned" events from the triggered sets.
 *
 * Trigger rules add to the sets from inside the kernel, the adaptive
 * firewall and the D-Bus methods from the helper, and the kernel removes
 * what times out, telling no one. So the helper compares what the sets
 * hold with what they held the time before: right after each change of its
 * own (pal_helper_triggered_changed; an addition by D-Bus tells what it
 * added instead, pal_ban_events_added), and every PAL_BAN_EVENTS_PERIOD_S
 * seconds for the rest (a ban by a rule, a ban running out). An address
 * added anew (or again, at another time) is "banned", one gone is
 * "unbanned". The first look only learns what is there.
 *
 * Thread-safe: one look at a time, in any thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pal-log-entry.h"
#include "pal-triggered.h"

G_BEGIN_DECLS

#define PAL_BAN_EVENTS_PERIOD_S 5

typedef void (*PalBanEventFunc) (PalLogKind  kind,
                                 const char *text,
                                 gpointer    data);

typedef struct _PalBanEvents PalBanEvents;

PalBanEvents *pal_ban_events_new (void);
void          pal_ban_events_free (PalBanEvents *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalBanEvents, pal_ban_events_free)

/* Compares entries (PalTriggeredEntry: what the sets hold now) with the
 * last look, calling func for each difference. expired: nobody here
 * removed anything since the last look, so what is gone ran out. */
void          pal_ban_events_update (PalBanEvents *self,
                                     GPtrArray    *entries,
                                     gboolean      expired,
                                     PalBanEventFunc func,
                                     gpointer      data);
/* The same with the sets as triggered lists them now; FALSE (nothing
 * called) when they cannot be read. */
gboolean      pal_ban_events_look (PalBanEvents    *self,
                                   PalTriggered    *triggered,
                                   gboolean         expired,
                                   PalBanEventFunc  func,
                                   gpointer         data);

/* What the helper itself just added (PalTriggeredEntry, as
 * pal_triggered_add_full() reports it): "banned" for each that the last
 * look did not know so, without reading the sets again (100,000 entries
 * take a second to read). Before the first look, nothing. The next look
 * finds them known. */
void          pal_ban_events_added (PalBanEvents    *self,
                                    GPtrArray       *added,
                                    PalBanEventFunc  func,
                                    gpointer         data);

G_END_DECLS
