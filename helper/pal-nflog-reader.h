/* pal-nflog-reader.h — the helper's log: packets from NFLOG, and events.
 *
 * Binds NFLOG groups PAL_NFLOG_GROUP_LOG (rules with the log action),
 * PAL_NFLOG_GROUP_ALERT (alert) and PAL_NFLOG_GROUP_DENIED (packets denied
 * while the document's log-denied is on) through nfnetlink_log, in the network
 * namespace of the thread that creates it, copying the first
 * PAL_NFLOG_COPY_RANGE bytes of each packet (its headers). Each message
 * becomes a PalLogEntry (see pal-log-entry.h for its fields and its
 * GVariant form).
 *
 * A token bucket keeps at most rate-limit entries a second (bursts of one
 * second's worth); the rest are counted, not parsed, and a "suppressed"
 * entry ("1234 entries suppressed") says how many were dropped, including
 * those the kernel dropped when our socket was full (NFLOG sequence
 * numbers show the gaps). The last capacity entries are kept in a ring.
 * Every batch-interval milliseconds, if anything arrived, "entries" is
 * emitted with the new ones as one GVariant of type
 * a(xsssssssssssqqnnsu): a D-Bus LogEntries signal is a forward of it, and
 * GetLog() returns pal_nflog_reader_get_entries().
 *
 * Helper events (applied, banned, errors, …) go into the same stream
 * with pal_nflog_reader_add_event(), which also writes them to the
 * journal with a MESSAGE_ID per kind (see PAL_LOG_MESSAGE_ID_*) and the
 * field PALISADE_EVENT=kind.
 *
 * The rule: an NFLOG message carries only the log prefix, which the
 * compiler sets to "#key text" (pal-log-prefix.h); the entry's text is
 * the text, without the key. After pal_nflog_reader_set_rules() with the
 * map of the table as applied (pal_firewall_map_log_rules()), an entry
 * carries the id and name of the rule of that key; otherwise (a key not
 * in the map, a prefix of another program) its rule and name are "".
 *
 * Not thread-safe: use it from the thread-default main context that was
 * current when it was created; its sources are attached there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pal-document.h"
#include "pal-log-entry.h"
#include "pal-log-prefix.h"

G_BEGIN_DECLS

#define PAL_NFLOG_GROUP_LOG    PAL_LOG_GROUP_LOG
#define PAL_NFLOG_GROUP_ALERT  PAL_LOG_GROUP_ALERT
#define PAL_NFLOG_GROUP_DENIED PAL_LOG_GROUP_DENIED
#define PAL_NFLOG_COPY_RANGE  128

#define PAL_NFLOG_DEFAULT_RATE_LIMIT     1000   /* entries a second */
#define PAL_NFLOG_DEFAULT_CAPACITY       4096   /* entries kept */
#define PAL_NFLOG_DEFAULT_BATCH_INTERVAL 200    /* milliseconds */

/* journalctl MESSAGE_ID=… of each event kind. */
#define PAL_LOG_MESSAGE_ID_APPLIED  "4f56565ad809472c875c81a9b059d842"
#define PAL_LOG_MESSAGE_ID_CONFLICT "8eb6b305e74049d5847ae6ba16327283"
#define PAL_LOG_MESSAGE_ID_BANNED   "70f62ee285aa441b86e4fb31b75d98f0"
#define PAL_LOG_MESSAGE_ID_UNBANNED "c1217906630842cc888e97c374bbae24"
#define PAL_LOG_MESSAGE_ID_ENABLED  "3ded62bdcb274661a73a748552af2f8b"
#define PAL_LOG_MESSAGE_ID_DISABLED "99a05d56bd9a413e970f00c7a221fbd7"
#define PAL_LOG_MESSAGE_ID_ERROR    "efb62ccd38644b1a809ab1a5d27d1934"

#define PAL_TYPE_NFLOG_READER (pal_nflog_reader_get_type ())
G_DECLARE_FINAL_TYPE (PalNflogReader, pal_nflog_reader, PAL, NFLOG_READER, GObject)

/* With the defaults. Fails with PAL_HELPER_ERROR_KERNEL (BUSY when
 * another program already reads one of the groups). Other settings:
 * g_initable_new (PAL_TYPE_NFLOG_READER, NULL, error, "capacity", n, …). */
PalNflogReader *pal_nflog_reader_new (GError **error);

/* Properties "rate-limit" (entries a second, 1–1000000, settable any
 * time), "capacity" and "batch-interval" (construct-only). */
guint           pal_nflog_reader_get_rate_limit (PalNflogReader *self);
void            pal_nflog_reader_set_rate_limit (PalNflogReader *self,
                                                 guint           rate_limit);

/* The map (key → PalLogRule, see pal-log-prefix.h) that names the rule
 * of an entry; takes a reference; NULL forgets. */
void            pal_nflog_reader_set_rules (PalNflogReader *self,
                                            GHashTable     *rules);

/* An event in the stream and the journal. kind: APPLIED … ERROR. */
void            pal_nflog_reader_add_event (PalNflogReader *self,
                                            PalLogKind      kind,
                                            const char     *text);

/* Only the journal part of add_event: for when there is no reader. */
void            pal_log_event_to_journal (PalLogKind  kind,
                                          const char *text);

/* The ring, oldest first, as a new floating a(xsssssssssssqqnnsu). */
GVariant       *pal_nflog_reader_get_entries (PalNflogReader *self);
/* Sends what is pending now instead of at the next interval. */
void            pal_nflog_reader_flush (PalNflogReader *self);

/* Since creation: packet entries kept; and dropped, by the rate limit
 * or by the kernel. */
guint64         pal_nflog_reader_get_n_kept (PalNflogReader *self);
guint64         pal_nflog_reader_get_n_suppressed (PalNflogReader *self);

G_END_DECLS
