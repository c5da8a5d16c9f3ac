/* ctl-confirm.h — palisadectl apply --confirm: ask on the terminal whether
 * to keep the change, while the helper's rollback clock runs.
 *
 * The Apply goes over a connection of its own (apply_connection): to
 * refuse, palisadectl closes it, and the helper rolls back at once because
 * the client that applied left. RolledBack is heard on listener, a proxy
 * on another connection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-dbus-generated.h"

G_BEGIN_DECLS

/* A private connection to the bus at address (one the caller closes). */
GDBusConnection *pal_ctl_confirm_connect (const char  *address,
                                          GError     **error);

/* After a successful Apply with confirm-timeout seconds: asks "Keep these
 * firewall settings? [y/N]", confirms on yes, otherwise lets the helper
 * roll back; says what happened. Returns TRUE when the change was kept. */
gboolean         pal_ctl_confirm_ask (PalDBusFirewall1 *apply_proxy,
                                      PalDBusFirewall1 *listener,
                                      guint             seconds);

G_END_DECLS
