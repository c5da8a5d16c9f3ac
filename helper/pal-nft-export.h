/* pal-nft-export.h — a plan as an nft script.
 *
 * The script creates `table inet palisade` as the helper would, for
 * reading and for `nft -f` on a machine without the helper. nft 1.0.6
 * cannot parse the `last` statement, so the hits sets count packets and
 * bytes only (a comment at the top says so).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-nft-plan.h"

G_BEGIN_DECLS

char *pal_nft_export_plan (PalNftPlan *plan);

G_END_DECLS
