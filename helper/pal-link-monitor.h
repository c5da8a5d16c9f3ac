/* pal-link-monitor.h — the machine's network interfaces, kept current.
 *
 * Lists the interfaces of the network namespace of the thread that
 * creates it through rtnetlink (RTM_GETLINK and RTM_GETADDR dumps), and
 * listens to RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR and RTNLGRP_IPV6_IFADDR.
 * The kernel's events are only a wake-up: the monitor reads the whole
 * list again (a few dozen interfaces, well under a millisecond), so an
 * event lost to a full socket buffer costs nothing.
 *
 * Two views of the same list, take whichever fits:
 *  - pal_link_monitor_get_links(): a GListModel of PalLink (immutable,
 *    sorted by index); a changed interface is replaced by a new object,
 *    with one items-changed for the changed run;
 *  - pal_link_monitor_get_snapshot(): the list as one GVariant of type
 *    a(susssas) — name, index, kind, state, MAC, addresses — ready to
 *    return from a D-Bus method (GetInterfaces) or to emit in a signal.
 * "changed" is emitted once after each batch of kernel events that
 * changed the list, after the model: a D-Bus InterfacesChanged signal
 * connects there and sends get_snapshot().
 *
 * Not thread-safe: use it from the thread-default main context that was
 * current when it was created; its event source is attached there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pal-link.h"

G_BEGIN_DECLS

#define PAL_LINK_MONITOR_SNAPSHOT_TYPE_STRING "a" PAL_LINK_VARIANT_TYPE_STRING

#define PAL_TYPE_LINK_MONITOR (pal_link_monitor_get_type ())
G_DECLARE_FINAL_TYPE (PalLinkMonitor, pal_link_monitor, PAL, LINK_MONITOR, GObject)

/* Fails (PAL_HELPER_ERROR_KERNEL) when rtnetlink cannot be opened. */
PalLinkMonitor *pal_link_monitor_new (GError **error);

/* A list model of PalLink, sorted by index. Owned by the monitor. */
GListModel     *pal_link_monitor_get_links (PalLinkMonitor *self);
/* The interface of that name or index now, or NULL. Transfer none. */
PalLink        *pal_link_monitor_lookup (PalLinkMonitor *self,
                                         const char     *name);
PalLink        *pal_link_monitor_lookup_index (PalLinkMonitor *self,
                                               guint           index);
/* A new floating GVariant of type a(susssas), sorted by index. */
GVariant       *pal_link_monitor_get_snapshot (PalLinkMonitor *self);

/* Reads the list now instead of waiting for the main loop (after a change
 * this process made itself). Emits "changed" if it differs. */
gboolean        pal_link_monitor_refresh (PalLinkMonitor  *self,
                                          GError         **error);

G_END_DECLS
