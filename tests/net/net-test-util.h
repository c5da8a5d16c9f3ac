/* net-test-util.h — what the network tests share: each test runs in a
 * child process of its own, in a fresh network namespace (lo up) and a
 * private mount namespace with its own /sys (so sysfs shows this
 * namespace's interfaces) and its own /run (so `ip netns add` names
 * namespaces that vanish with the test, even if it crashes). Without
 * root, in a user namespace of its own as well.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef void (*NetTestFunc) (void);

/* Call first in main(), after g_test_init(). */
void      net_test_init (void);
/* Registers path to run body in its own namespaces (skipped, with the
 * reason, when namespaces cannot be made here). */
void      net_test_add (const char  *path,
                        NetTestFunc  body);
/* The same, skipped with the reason when this kernel cannot make an
 * interface of that kind (ip link add … type kind). */
void      net_test_add_with_kind (const char  *path,
                                  NetTestFunc  body,
                                  const char  *kind);

/* Whether this process may make tun devices (/dev/net/tun is root's):
 * the one interface without Ethernet framing every kernel can make. */
gboolean  net_can_make_tun (void);

/* Runs a program (argv NULL-terminated after first), asserts it succeeds,
 * returns its stdout. */
char     *net_run (const char *first,
                   ...) G_GNUC_NULL_TERMINATED;
/* The same, returning FALSE on failure (stderr in *error_text if wanted). */
gboolean  net_run_try (char       **output,
                       char       **error_text,
                       const char  *first,
                       ...) G_GNUC_NULL_TERMINATED;
/* A shell-free way to feed nft a script: nft -f - with script on stdin. */
void      net_nft_script (const char *script);

/* A line for the test log from inside a test's child process (where
 * g_test_message() is silenced), as a TAP comment. */
void      net_test_note (const char *format,
                         ...) G_GNUC_PRINTF (1, 2);

typedef gboolean (*NetCondition) (gpointer data);
/* Iterates the thread-default main context until condition holds; FALSE
 * if timeout_ms passed first. */
gboolean  net_wait_for (NetCondition  condition,
                        gpointer      data,
                        guint         timeout_ms);
/* Iterates the main context for that long. */
void      net_spin (guint msecs);

G_END_DECLS
