/* pal-sandbox.h — where the sandbox helper can be found.
 *
 * "palisade-helper --sandbox" runs the helper in a fresh user and network
 * namespace, on a private message bus of its own, so a newcomer can apply
 * documents without touching the machine's firewall. It writes that bus's
 * address to a file in the user's runtime directory; palisadectl --sandbox
 * and the GUI read it from there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* $XDG_RUNTIME_DIR/palisade-sandbox: the bus socket, its configuration, the
 * address file and a lock. Private to the user (mode 0700). */
char            *pal_sandbox_get_directory (void);
/* The file holding the sandbox bus's address while a sandbox runs. */
char            *pal_sandbox_get_address_file (void);
/* The address, or G_IO_ERROR_NOT_FOUND saying how to start a sandbox. */
char            *pal_sandbox_read_address (GError **error);
/* A connection to the sandbox's bus, ready to talk to the helper. */
GDBusConnection *pal_sandbox_connect (GCancellable  *cancellable,
                                      GError       **error);

G_END_DECLS
