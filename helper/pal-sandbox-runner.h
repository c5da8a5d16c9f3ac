/* pal-sandbox-runner.h — "palisade-helper --sandbox".
 *
 * Starts a private message bus (a dbus-daemon of the calling user, socket
 * in the directory of lib/pal-sandbox.h), then moves the helper process into
 * a new user namespace and a new network namespace with only a loopback
 * interface. The helper keeps the caller's uid there but holds CAP_NET_ADMIN
 * over its own network namespace, so it can apply documents to a firewall
 * that filters nothing but that namespace's traffic: the machine's own
 * firewall is never touched.
 *
 * No polkit: the bus belongs to the user and only the user can reach it, and
 * the helper has no privilege the user does not already have (anyone may
 * create such namespaces). The helper still checks that each caller runs as
 * the same user (PAL_AUTHORIZER_SAME_USER).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PalSandboxRunner PalSandboxRunner;

/* Must run while the process has a single thread (before any GDBus
 * connection, GTask or g_unix_signal_add): the kernel refuses a new user
 * namespace to a threaded process. */
PalSandboxRunner *pal_sandbox_runner_start (GError **error);
const char       *pal_sandbox_runner_get_address (PalSandboxRunner *self);
/* Writes the address file that clients look for: call it once the helper
 * owns its name, so a client never finds a bus without the helper. */
gboolean          pal_sandbox_runner_publish (PalSandboxRunner  *self,
                                              GError           **error);
/* Stops the bus and removes the files. */
void              pal_sandbox_runner_free (PalSandboxRunner *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalSandboxRunner, pal_sandbox_runner_free)

G_END_DECLS
