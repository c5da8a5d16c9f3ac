/* pal-triggered.h — the triggered sets of our table: list, add, remove,
 * flush, import/export, and their persistence.
 *
 * The compiler makes triggered4 / triggered6 (dynamic, with timeouts) in
 * `table inet palisade`; trigger rules add packets' sources to them, and
 * this object adds and removes addresses by hand, each call in one netlink
 * batch. An element added here carries in its userdata the reason (the
 * comment TLV, which nft prints) and the time it was added (a TLV of ours,
 * type PAL_TRIGGERED_UDATA_WHEN, which nft skips): the kernel itself is
 * the table of reasons, so nothing is lost between the helper and it.
 * Elements a rule added have no userdata; their time is derived from
 * timeout minus expiration.
 *
 * The sets hold single addresses (the kernel cannot add a packet's source
 * to an interval set): ranges and networks are added address by address,
 * up to PAL_TRIGGERED_MAX_EXPANDED per call.
 *
 * Persistence: pal_triggered_save() writes every element with its expiry,
 * reason and time to <state dir>/triggered.tsv atomically;
 * pal_triggered_restore() adds them back, less what expired meanwhile.
 *
 * Thread-safe: calls are serialized by the object.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pal-firewall.h"

G_BEGIN_DECLS

/* Addresses one call may add (after ranges and networks are expanded). */
#define PAL_TRIGGERED_MAX_EXPANDED 262144
/* Entries (texts) one call may name. */
#define PAL_TRIGGERED_MAX_ARGUMENTS 262144
/* Bytes of a reason kept in the kernel (nft's comment limit is 128). */
#define PAL_TRIGGERED_MAX_REASON 127
#define PAL_TRIGGERED_UDATA_WHEN 0xa0
#define PAL_TRIGGERED_STATE_FILE "triggered.tsv"

typedef struct
{
  char    *address;       /* canonical text */
  guint64  seconds_left;  /* G_MAXUINT64: until removed */
  guint64  timeout;       /* seconds of the whole ban; G_MAXUINT64: forever */
  char    *reason;        /* "" when a rule added it without one */
  gint64   when;          /* unix time it was added; 0 when unknown */
} PalTriggeredEntry;

void pal_triggered_entry_free (PalTriggeredEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalTriggeredEntry, pal_triggered_entry_free)

#define PAL_TYPE_TRIGGERED (pal_triggered_get_type ())
G_DECLARE_FINAL_TYPE (PalTriggered, pal_triggered, PAL, TRIGGERED, GObject)

/* Netlink in the calling thread's network namespace. */
PalTriggered *pal_triggered_new (GError **error);
/* The firewall of the same namespace, whose event monitor then does not
 * hear our commits (pal_firewall_send_set_elements); NULL: none. */
void          pal_triggered_set_firewall (PalTriggered *self,
                                          PalFirewall  *firewall);

/* Every element of both sets, IPv4 first (PalTriggeredEntry). */
GPtrArray    *pal_triggered_list (PalTriggered  *self,
                                  GError       **error);

/* The same as ListTriggeredValues' (ayayatas): the IPv4 keys (4 bytes
 * each), the IPv6 keys (16 each), per entry in that order seconds left
 * (G_MAXUINT64: until removed), when (unix time, 0 = unknown) and the
 * index of its reason in the reasons (each once; "" when a rule added it
 * without one). Floating. */
GVariant     *pal_triggered_list_values (PalTriggered  *self,
                                         GError       **error);

/* Addresses, ranges (a-b) and networks (a/len), IPv4 or IPv6, as
 * pal_value_parse() reads a source address (commas allowed). Parses every
 * text before touching the kernel (INVALID_ARGS, located by position).
 * duration: seconds, G_MAXUINT64 = until removed; 0 is refused. reason:
 * shortened to PAL_TRIGGERED_MAX_REASON bytes. when: unix time, 0 = now.
 * An address already present gets the new duration and reason. Returns
 * the number of addresses added, or -1. */
gint64        pal_triggered_add (PalTriggered        *self,
                                 const char * const  *texts,
                                 guint64              duration,
                                 const char          *reason,
                                 gint64               when,
                                 GError             **error);
/* The same; entries (not NULL) then gets what the sets hold now of each
 * address this call put there (PalTriggeredEntry: seconds_left and
 * timeout are the duration), as pal_triggered_list() would read it, for
 * the banned events without reading the sets again. */
gint64        pal_triggered_add_full (PalTriggered        *self,
                                      const char * const  *texts,
                                      guint64              duration,
                                      const char          *reason,
                                      gint64               when,
                                      GPtrArray          **entries,
                                      GError             **error);
/* Removes the addresses of texts that are present; returns how many. */
gint64        pal_triggered_remove (PalTriggered        *self,
                                    const char * const  *texts,
                                    GError             **error);
gboolean      pal_triggered_flush (PalTriggered  *self,
                                   GError       **error);
/* Whether our table with its triggered sets exists. */
gboolean      pal_triggered_sets_exist (PalTriggered *self);

/* IPNetSentryX's tab-separated lines: address-or-range, type, triggered
 * by, duration (seconds, or a duration like "15m", or "forever"); '#'
 * lines are comments. Type "triggered" lines are added here; "trusted"
 * lines are returned in trusted (may be NULL: then refused) for the
 * caller to add to the document. Every line is checked first; errors say
 * "line N: …" and nothing changes. Returns the triggered lines added. */
gint64        pal_triggered_import (PalTriggered  *self,
                                    const char    *text,
                                    GPtrArray     *trusted,
                                    GError       **error);
/* The sets as import text (duration = seconds left), trusted lines first. */
char         *pal_triggered_export (PalTriggered        *self,
                                    const char * const  *trusted,
                                    GError             **error);

/* Persistence under directory (made if missing). */
gboolean      pal_triggered_save (PalTriggered  *self,
                                  const char    *directory,
                                  GError       **error);
/* Adds the saved entries that have not expired; returns how many (0 when
 * there is no file), or -1 (the sets do not exist: apply first). */
gint64        pal_triggered_restore (PalTriggered  *self,
                                     const char    *directory,
                                     GError       **error);

/* Canonical text of an address key (4 or 16 bytes). */
char         *pal_triggered_address_to_string (const guint8 *key,
                                               gsize         length);

G_END_DECLS
