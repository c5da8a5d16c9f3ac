/* pal-nft-layout.h — what the compiler keeps from a previous plan.
 *
 * pal_nft_compile() takes from the plan applied before only the rules'
 * counter keys and where each rule sat among a long chain's segments. A
 * layout is a plan with exactly that: every chain with its rules' tags
 * and statements (the segment jumps), no matches. Compiling a document
 * against the layout of the table it was once applied to gives that
 * table again, key for key and segment for segment: what a rollback
 * needs (pal-apply-guard.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-nft-plan.h"

G_BEGIN_DECLS

/* NULL for NULL. */
PalNftPlan *pal_nft_plan_copy_layout (PalNftPlan *plan);

G_END_DECLS
