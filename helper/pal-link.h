/* pal-link.h — one network interface as rtnetlink last described it.
 *
 * Immutable: when the kernel reports a change, PalLinkMonitor replaces
 * the object, so a PalLink someone holds never changes under them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One interface as a GVariant: name, index, kind, state, MAC, addresses. */
#define PAL_LINK_VARIANT_TYPE_STRING "(susssas)"
#define PAL_LINK_VARIANT_TYPE        ((const GVariantType *) PAL_LINK_VARIANT_TYPE_STRING)

#define PAL_TYPE_LINK (pal_link_get_type ())
G_DECLARE_FINAL_TYPE (PalLink, pal_link, PAL, LINK, GObject)

/* kind: the driver's kind (IFLA_INFO_KIND: "veth", "bridge", "dummy", …)
 * or, for devices without one, "ethernet", "loopback", "wireless" or
 * "other" from the hardware type. state: the operational state as
 * ip(8) words: "up", "down", "lower-layer-down", "dormant", "testing",
 * "not-present", "unknown" (loopback is always "unknown"). mac: lower-case
 * "aa:bb:cc:dd:ee:ff", "" without one. addresses: "192.0.2.1/24",
 * "2001:db8::1/64", IPv4 first. flags: IFF_*; hardware_type: ARPHRD_*;
 * master: the index of the bridge (or bond) it is a port of, 0 if none. */
PalLink            *pal_link_new (guint               index,
                                  const char         *name,
                                  const char         *kind,
                                  const char         *state,
                                  const char         *mac,
                                  guint               flags,
                                  guint               hardware_type,
                                  guint               master,
                                  const char * const *addresses);

guint               pal_link_get_index (PalLink *self);
const char         *pal_link_get_name (PalLink *self);
const char         *pal_link_get_kind (PalLink *self);
const char         *pal_link_get_state (PalLink *self);
const char         *pal_link_get_mac (PalLink *self);
const char * const *pal_link_get_addresses (PalLink *self);
guint               pal_link_get_flags (PalLink *self);
guint               pal_link_get_hardware_type (PalLink *self);
guint               pal_link_get_master (PalLink *self);

/* Every field equal. */
gboolean            pal_link_equal (PalLink *a,
                                    PalLink *b);
/* A new floating GVariant of PAL_LINK_VARIANT_TYPE. */
GVariant           *pal_link_to_variant (PalLink *self);

G_END_DECLS
