/* pal-helper-net.h — the network half of palisade-helper's D-Bus object.
 *
 * Answers GetInterfaces and emits InterfacesChanged from a PalLinkMonitor;
 * answers GetLog, WatchLog and UnwatchLog and sends LogEntries to each
 * watcher alone from a PalNflogReader; applies a document's Bridge
 * interfaces with a PalBridge. It connects to the object's handle-…
 * signals of those methods (the service's class leaves them to signal
 * handlers), so the service needs no code for them.
 *
 * The monitor and the reader live in the main context of the thread that
 * made this object (their sources are attached there); method calls, which
 * GDBus hands to worker threads, are finished there. The functions below
 * may be called from any thread.
 *
 * If rtnetlink or NFLOG cannot be opened (another program reads the NFLOG
 * groups), the helper still serves the rest: those methods fail with the
 * reason, and events still reach the journal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-dbus-generated.h"
#include "pal-document.h"
#include "pal-log-entry.h"

G_BEGIN_DECLS

/* Watchers of the log at once, so callers cannot make the helper send
 * without end. */
#define PAL_HELPER_NET_MAX_WATCHERS 64

#define PAL_TYPE_HELPER_NET (pal_helper_net_get_type ())
G_DECLARE_FINAL_TYPE (PalHelperNet, pal_helper_net, PAL, HELPER_NET, GObject)

/* object: the exported skeleton; not referenced (it is expected to own
 * the PalHelperNet and drop it in its dispose). */
PalHelperNet *pal_helper_net_new (PalDBusFirewall1 *object);

/* An event in the log stream and the journal (kind APPLIED … ERROR). */
void          pal_helper_net_add_event (PalHelperNet *self,
                                        PalLogKind    kind,
                                        const char   *format,
                                        ...) G_GNUC_PRINTF (3, 4);
/* Events of one kind at once, in their order: one hop to the main
 * context for all (a call banning 10,000 addresses makes 10,000). */
void          pal_helper_net_add_events (PalHelperNet       *self,
                                         PalLogKind          kind,
                                         const char * const *texts);
/* The map of log prefix keys to rules (pal_firewall_map_log_rules())
 * after the table changed: log entries name their rules from now on.
 * Takes a reference. */
void          pal_helper_net_set_log_rules (PalHelperNet *self,
                                            GHashTable   *rules);
/* Before an Apply: refuses (InvalidDocument) Bridge interfaces that
 * cannot be bridged, changing nothing. */
gboolean      pal_helper_net_check_bridge (PalHelperNet  *self,
                                           PalDocument   *document,
                                           GError       **error);
/* After the rules: makes the bridge what the document says (or removes
 * it); named interfaces that are missing are told as an error event. The
 * error says that the rules were applied. */
gboolean      pal_helper_net_apply_bridge (PalHelperNet  *self,
                                           PalDocument   *document,
                                           GError       **error);
/* The bridge's ports now (pal_bridge_dup_ports), to restore with
 * pal_helper_net_restore_bridge() when the Apply is rolled back. */
GStrv         pal_helper_net_dup_bridge_ports (PalHelperNet  *self,
                                               GError       **error);
/* Makes the bridge have these ports again (none: no bridge). */
gboolean      pal_helper_net_restore_bridge (PalHelperNet        *self,
                                             const char * const  *ports,
                                             GError             **error);
/* After a successful Apply: an "applied" event. */
void          pal_helper_net_applied (PalHelperNet *self,
                                      PalDocument  *document);
/* After a failed call that changed the firewall or should have: a
 * "conflict" or "error" event. Refusals of the caller's input, access and
 * busy are not events. what: "Apply", "Switching the firewall on", … */
void          pal_helper_net_add_failure (PalHelperNet *self,
                                          const char   *what,
                                          const GError *error);
/* TRUE while someone watches the log (the helper must not exit). */
gboolean      pal_helper_net_get_busy (PalHelperNet *self);

G_END_DECLS
