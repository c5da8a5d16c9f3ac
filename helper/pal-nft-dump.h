/* pal-nft-dump.h — reading our table back from the kernel.
 *
 * Only `table inet palisade` is ever asked for (every request names it).
 * Rules are dumped chain by chain: a dump of one long chain costs the
 * kernel time quadratic in its length (each resumed dump skips what it
 * sent before), while chains of a few thousand rules dump in linear time.
 *
 * Counters come from the hits sets' elements, not from the rules. Measured
 * on the reference machine (2 cores, kernel 6.18), reading 10,000 rules'
 * counters: per-chain rule dumps with a lean parser 37 ms, named counter
 * objects 15–33 ms (and 1.3 s for 100,000: the object dump is table-wide
 * and quadratic), set elements with counter and last 12–15 ms (and 170 ms
 * for 100,000 in sets of 5,000). Hence one element per rule, in hits sets
 * of PAL_NFT_HITS_PER_SET keys, read with a parser that allocates nothing
 * per element.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-nft-plan.h"
#include "pal-nft-socket.h"

G_BEGIN_DECLS

typedef struct
{
  guint32  key;
  char     id[40];       /* the element's comment: the rule id, or "default" */
  guint64  packets;
  guint64  bytes;
  gboolean matched;      /* ever */
  guint64  msecs;        /* since the last match, when matched */
} PalNftHit;

/* The whole table as a plan (handles, parsed rules, set contents, keys);
 * *plan is NULL when the table does not exist. Rules the parser does not
 * recognise, and chains and sets Palisade does not make, are marked
 * foreign. */
gboolean pal_nft_dump_table (PalNftSocket  *socket,
                             PalNftPlan   **plan,
                             GError       **error);

/* Whether the table exists and is dormant. */
gboolean pal_nft_dump_table_flags (PalNftSocket  *socket,
                                   gboolean      *exists,
                                   gboolean      *dormant,
                                   GError       **error);

/* After a commit: the handles of the named chains' rules, by position.
 * FALSE when a chain does not hold what the plan says (someone changed
 * it since: a rule's userdata is not byte for byte the plan's), without
 * error. */
gboolean pal_nft_dump_handles (PalNftSocket  *socket,
                               PalNftPlan    *plan,
                               GPtrArray     *chains,
                               GError       **error);

/* Every element of every hits set (PalNftHit); none when there is no
 * table. */
GArray  *pal_nft_dump_hits (PalNftSocket  *socket,
                            GError       **error);

G_END_DECLS
