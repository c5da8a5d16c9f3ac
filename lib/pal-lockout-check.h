/* pal-lockout-check.h — would this document cut the user off?
 *
 * Before an Apply, the document is tried (pal-evaluator.h) against the
 * packets the user cannot do without:
 *  - the SSH connection the session runs over, from SSH_CONNECTION
 *    ("client_ip client_port server_ip server_port"): an established
 *    inbound TCP segment from the client to the server's port, and a new
 *    one (a reconnection);
 *  - IPv6 neighbour discovery: neighbour solicitations and advertisements
 *    coming in (without them IPv6 on the link stops within seconds).
 * Each packet the document drops or rejects gives a warning naming the
 * deciding rule. A packet whose fate is unknown gives none.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-document.h"

G_BEGIN_DECLS

typedef struct
{
  char    *text;   /* a sentence for people */
  PalRule *rule;   /* the rule that blocks (a reference), or NULL: the default verdict */
} PalLockoutWarning;

void       pal_lockout_warning_free (PalLockoutWarning *warning);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalLockoutWarning, pal_lockout_warning_free)

/* ssh_connection: the value of SSH_CONNECTION, or NULL (then only the
 * neighbour discovery is checked). interface: the interface the SSH
 * connection arrives on, or NULL when unknown. Returns PalLockoutWarning
 * elements; empty when nothing is blocked. */
GPtrArray *pal_lockout_check (PalDocument *document,
                              const char  *ssh_connection,
                              const char  *interface);

/* The interface that holds address (getifaddrs), or NULL. */
char      *pal_lockout_find_interface (const char *address);

G_END_DECLS
