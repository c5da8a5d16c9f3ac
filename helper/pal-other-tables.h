/* pal-other-tables.h — the nftables tables of other programs, for Show
 * Active: a packet must be accepted by every table on its hook, so the
 * user sees the whole picture (docs/COEXISTENCE.md). Read-only: their
 * family, name, number of chains and base chains (hook, priority); never
 * their rules.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Tables listed at most (a hostile ruleset cannot make the reply huge). */
#define PAL_OTHER_TABLES_MAX 1000
/* Base chains listed at most per table. */
#define PAL_OTHER_TABLES_MAX_BASE 64

/* a(ssua(ssi)): family ("ip", "ip6", "inet", "arp", "bridge", "netdev"),
 * table name, number of chains, and its base chains: chain name, hook
 * name ("prerouting", "input", "forward", "output", "postrouting",
 * "ingress", "egress"), priority; sorted; without table inet palisade.
 * Floating.
 * Errors: PAL_HELPER_ERROR_KERNEL. */
GVariant *pal_other_tables_list (GError **error);

/* Answers GetOtherTables on object (its handle-get-other-tables signal). */
void      pal_other_tables_attach (GObject *object);

G_END_DECLS
