/* pal-nft-counters.h — the hits read from the kernel as the a(sttt) of
 * GetCounters: rule id, packets, bytes, milliseconds since the last match
 * (G_MAXUINT64 = never), one entry per rule id (copies summed).
 *
 * Serialized by hand: GVariantBuilder takes 30 ms for 10,000 entries on
 * the reference machine, more than the kernel takes to dump them, and the
 * counters are read every second.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pal-nft-dump.h"

G_BEGIN_DECLS

/* hits: PalNftHit. Returns a new floating variant. */
GVariant *pal_nft_counters_to_variant (GArray *hits);

G_END_DECLS
