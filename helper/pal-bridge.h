/* pal-bridge.h — the Linux bridge of a document's Bridge checkboxes.
 *
 * One bridge, Palisade's own (palbr0 unless named otherwise), made and
 * changed through rtnetlink in the network namespace of the calling
 * thread. pal_bridge_apply() takes the set of interface names that
 * should be its ports and makes the fewest changes that get there:
 * creates the bridge if there is none, releases ports that are no longer
 * named, enslaves the newly named ones and brings them and the bridge up.
 * Applying the same set twice changes nothing. An empty set removes the
 * bridge (its ports released first). Interfaces the set does not name are
 * never touched, except ports of our own bridge, which an earlier
 * document named.
 *
 * Only Ethernet interfaces can be ports: loopback, wireless (an access
 * point only takes frames from the MAC it associated, so a client cannot
 * bridge), other hardware types (tun, ppp, …), bridges, and ports of
 * another bridge or bond are refused, before anything changes, with
 * PAL_HELPER_ERROR_INVALID_DOCUMENT and a sentence naming the interface.
 * A named interface that does not exist now (unplugged) is skipped and
 * reported in missing; the bridge stays as long as any interface is
 * named, so addresses an administrator put on it are not lost.
 *
 * Enslaved, an interface's own addresses no longer receive traffic: the
 * bridge carries it. Put addresses on the bridge (or let DHCP do it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "pal-document.h"

G_BEGIN_DECLS

#define PAL_BRIDGE_DEFAULT_NAME "palbr0"

#define PAL_TYPE_BRIDGE (pal_bridge_get_type ())
G_DECLARE_FINAL_TYPE (PalBridge, pal_bridge, PAL, BRIDGE, GObject)

/* name: the bridge's interface name, NULL for PAL_BRIDGE_DEFAULT_NAME. */
PalBridge  *pal_bridge_new (const char *name);
const char *pal_bridge_get_name (PalBridge *self);

/* ports: NULL-terminated names, NULL or empty for no bridge. missing
 * (nullable): the named interfaces that do not exist now. On failure
 * what this call changed is undone as far as it can be. */
gboolean    pal_bridge_apply (PalBridge           *self,
                              const char * const  *ports,
                              GStrv               *missing,
                              GError             **error);
/* Whether apply would accept ports (refusals, our name taken), without
 * changing anything: to refuse a document before any of it is applied. */
gboolean    pal_bridge_check (PalBridge           *self,
                              const char * const  *ports,
                              GError             **error);
/* The same as applying an empty set. */
gboolean    pal_bridge_remove (PalBridge  *self,
                               GError    **error);

/* The names of the document's interfaces with Bridge checked, sorted. */
GStrv       pal_bridge_ports_from_document (PalDocument *document);
/* The names of the bridge's ports now, sorted; empty when there is no
 * bridge. NULL with error when the links cannot be read. */
GStrv       pal_bridge_dup_ports (PalBridge  *self,
                                  GError    **error);

G_END_DECLS
