/* pal-nft-counters.h — the hits read from the kernel, as the replies of
 * GetCounters and GetCounterValues.
 *
 * GetCounters' a(sttt): rule id, packets, bytes, milliseconds since the
 * last match (G_MAXUINT64 = never), one entry per rule id (copies
 * summed). Serialized by hand: GVariantBuilder takes 30 ms for 10,000
 * entries on the reference machine. Even so, a client pays for every
 * element: GDBus parses an array of structures element by element
 * (10,000 entries: 130–470 ms in the client, 35 ms to marshal in the
 * helper, on the loaded reference machine).
 *
 * GetCounterValues' (tasat): a layout token, the rule ids (only when the
 * caller's token is not the current one), and the numbers as one flat
 * array of three per id, which GDBus copies as a block (10,000 rules:
 * about 1 ms each way). PalNftCounters remembers the layout of the last
 * dump, so the rule ids are sent again only when the hits sets hold other
 * rules (an apply, or another program's change).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pal-nft-dump.h"

G_BEGIN_DECLS

/* hits: PalNftHit. Returns GetCounters' a(sttt), a new floating variant:
 * an entry per id in the order of the hits, their numbers summed. */
GVariant *pal_nft_counters_to_variant (GArray *hits);

typedef struct _PalNftCounters PalNftCounters;

PalNftCounters *pal_nft_counters_new (void);
void            pal_nft_counters_free (PalNftCounters *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalNftCounters, pal_nft_counters_free)

/* The (tasat) of GetCounterValues from the hits of one dump: the layout
 * token (0 when there are no hits), the ids in key order (empty when
 * known is the token), and per id packets, bytes and milliseconds since
 * the last match (G_MAXUINT64 = never). Floating. Not thread-safe: the
 * caller serializes. */
GVariant       *pal_nft_counters_read (PalNftCounters *self,
                                       GArray         *hits,
                                       guint64         known);

/* The same as pal_nft_counters_to_variant(), through self's layout (kept
 * from the last dump when the hits are in the same places, as
 * pal_nft_counters_read() keeps it): no hash of every id per call. */
GVariant       *pal_nft_counters_read_all (PalNftCounters *self,
                                           GArray         *hits);

G_END_DECLS
