/* pal-firewall.h — Palisade's table in the kernel: apply a document, read
 * it back, read the counters, switch it on and off.
 *
 * Everything happens in `table inet palisade` of the network namespace of
 * the thread that called pal_firewall_new(); no other table is ever
 * touched, and the ruleset is never flushed. The methods may be called
 * from any thread; they are serialized.
 *
 * Errors are PAL_HELPER_ERROR_*: INVALID_DOCUMENT (located: rule path and
 * reason), CONFLICT (another program changed our table since we read it;
 * the message names it; the next apply goes through), KERNEL (errno
 * text), NOT_SUPPORTED.
 *
 * Counters are reported per rule id; the document's default verdict has
 * its own counter under the id "default" (PAL_FIREWALL_DEFAULT_ID).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pal-document.h"
#include "pal-nft-batch.h"
#include "pal-nft-socket.h"

G_BEGIN_DECLS

#define PAL_FIREWALL_DEFAULT_ID "default"

#define PAL_TYPE_FIREWALL (pal_firewall_get_type ())
G_DECLARE_FINAL_TYPE (PalFirewall, pal_firewall, PAL, FIREWALL, GObject)

/* Netlink in the calling thread's network namespace; reads the generation.
 * "changed" is delivered in the calling thread's thread-default main
 * context. */
PalFirewall *pal_firewall_new (GError **error);

/* The document's problems (PalProblem; none: valid), as
 * pal_validate_document finds them, but checking again only the rules
 * that changed since the last apply or validation (the compiler's memo):
 * an apply of the same document that follows checks no rule twice. For
 * the service, which reports every problem before touching anything.
 * While an apply runs, it checks everything instead of waiting. */
GPtrArray   *pal_firewall_validate (PalFirewall *self,
                                    PalDocument *document);

/* Validates and compiles the document, then changes the table in one
 * transaction: all of it or nothing. Rules that did not change keep their
 * kernel handles; every rule that stays keeps its counters. The
 * document's master switch decides whether the table is dormant. */
gboolean     pal_firewall_apply (PalFirewall  *self,
                                 PalDocument  *document,
                                 GError      **error);

/* The kernel's table as a document. Rules another program added come back
 * read-only, named with their nft text. */
/* What the keys of our log prefixes name (pal-log-prefix.h): a new map,
 * key → PalLogRule, of the table as it is (read if need be); the names
 * are the applied document's, or else the kernel rules' (maybe shortened).
 * NULL with error when the table cannot be read; empty without a table. */
GHashTable  *pal_firewall_map_log_rules (PalFirewall  *self,
                                         GError      **error);
PalDocument *pal_firewall_get_active (PalFirewall  *self,
                                      GError      **error);

/* a(sttt): rule id, packets, bytes, milliseconds since the last match
 * (G_MAXUINT64 = never); floating. */
GVariant    *pal_firewall_get_counters (PalFirewall  *self,
                                        GError      **error);
/* (tasat), see pal_nft_counters_read(): the same counters, with the rule
 * ids only when known is not the current layout's token; floating. */
GVariant    *pal_firewall_get_counter_values (PalFirewall  *self,
                                              guint64       known,
                                              GError      **error);

/* The master switch: off makes the table dormant (no effect on traffic,
 * counters and sets kept). */
gboolean     pal_firewall_set_enabled (PalFirewall  *self,
                                       gboolean      enabled,
                                       GError      **error);
gboolean     pal_firewall_get_enabled (PalFirewall *self);
guint32      pal_firewall_get_generation (PalFirewall *self);

/* Sends batch on socket (another object's: PalTriggered's) while our
 * event monitor does not listen, as an apply sends its own: the batch may
 * only change elements of the sets the monitor ignores (triggered,
 * authorized, …), or a change of our table could go unnoticed. The kernel
 * then builds no event per element (a third of the kernel's work for
 * 10,000) and nobody reads them back; the generation read around the
 * commit tells whether it was ours alone, as after an apply. While an
 * apply holds the firewall, the batch is sent as it is, heard. */
gboolean     pal_firewall_send_set_elements (PalFirewall   *self,
                                             PalNftSocket  *socket,
                                             PalNftBatch   *batch,
                                             GError       **error);

/* For a rollback (pal-apply-guard.h): what the table is now — the
 * document last applied (or read back, after a restart of the helper),
 * the master switch, the rules' counter keys and segments — or that
 * there is none. pal_firewall_restore() makes the table that again: nft
 * lists the same sets, chains and rules (chains that had to be made again
 * come last). */
typedef struct _PalFirewallSnapshot PalFirewallSnapshot;

PalFirewallSnapshot *pal_firewall_snapshot (PalFirewall  *self,
                                            GError      **error);
gboolean     pal_firewall_restore (PalFirewall          *self,
                                   PalFirewallSnapshot  *snapshot,
                                   GError              **error);
void         pal_firewall_snapshot_free (PalFirewallSnapshot *snapshot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalFirewallSnapshot, pal_firewall_snapshot_free)

/* The nft script the document compiles to, for reading and for `nft -f`
 * (without the `last` statements nft 1.0.6 cannot parse). No kernel
 * access. */
char        *pal_firewall_export (PalDocument  *document,
                                  GError      **error);

G_END_DECLS
