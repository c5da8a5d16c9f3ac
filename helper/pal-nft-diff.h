/* pal-nft-diff.h — the one batch that turns the kernel's table into a plan.
 *
 * Rules are matched chain by chain by what they are (role, rule id and
 * copy), keeping the longest run of them in order: those keep their
 * handles (and, through the hits sets, every rule keeps its counters
 * anyway); a kept rule whose content changed is replaced in place by
 * handle (NLM_F_REPLACE); the others are deleted, or inserted after their
 * predecessor. Sets and chains are created, refilled or deleted as needed.
 * Nothing outside `table inet palisade` is ever named.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-nft-batch.h"
#include "pal-nft-plan.h"

G_BEGIN_DECLS

/* old: the table as it is (with handles), or NULL when there is none.
 * Copies the handles of kept rules into new; the rules it inserts get
 * theirs after the commit (pal_nft_dump_handles). dirty: the names of the
 * chains that got new rules (owned by the caller, may be NULL). */
void pal_nft_diff (PalNftPlan  *old,
                   PalNftPlan  *new,
                   PalNftBatch *batch,
                   GPtrArray   *dirty);

/* Only the master switch. */
void pal_nft_diff_dormant (gboolean     dormant,
                           PalNftBatch *batch);

G_END_DECLS
