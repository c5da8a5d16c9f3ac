/* pal-nft-monitor.h — who changed the ruleset, and whether it was our table.
 *
 * Listens to NFNLGRP_NFTABLES in the network namespace of the calling
 * thread. The kernel reports every object a transaction changes, then
 * NFT_MSG_NEWGEN with the new generation and the process that committed it
 * (NFTA_GEN_PROC_PID, NFTA_GEN_PROC_NAME). The monitor folds that into one
 * PalNftGenEvent per transaction.
 *
 * Not thread-safe: the owner drains it under its own lock, both from the
 * main loop (when the socket is readable) and before deciding on a
 * conflict, so the events of a commit that beat ours are never missed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint32  generation;
  guint32  pid;
  char     program[64];
  /* The transaction changed our table (beyond the elements of the sets
   * the packet path and the adaptive firewall fill). */
  gboolean touched;
} PalNftGenEvent;

typedef struct _PalNftMonitor PalNftMonitor;

/* table, family: ours. ignored_sets: sets whose element changes do not
 * count as a change of our table (NULL-terminated, may be NULL). */
PalNftMonitor *pal_nft_monitor_new (const char          *table,
                                    guint                family,
                                    const char * const  *ignored_sets,
                                    GError             **error);
void           pal_nft_monitor_free (PalNftMonitor *self);

/* Reads every pending event without blocking and appends one
 * PalNftGenEvent per finished transaction to events. Returns FALSE when
 * the kernel dropped events (the socket overflowed): what changed since is
 * unknown. */
gboolean       pal_nft_monitor_drain (PalNftMonitor *self,
                                      GArray        *events);

/* Stops or resumes listening. The helper stops while it commits its own
 * batch (an apply, or elements of the triggered sets: see
 * pal_firewall_send_set_elements): the kernel would otherwise describe
 * every rule or element of it back to us (100,000 rules overflow any
 * buffer); the generation read after the commit tells whether the commit
 * was ours alone. */
void           pal_nft_monitor_set_listening (PalNftMonitor *self,
                                              gboolean       listening);

/* A source that becomes ready when events are pending. */
GSource       *pal_nft_monitor_create_source (PalNftMonitor *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalNftMonitor, pal_nft_monitor_free)

G_END_DECLS
