/* pal-nft-active.h — the table read back as a document (Show Active).
 *
 * The outline comes from the chains: the rules of each base chain are the
 * top level, a rule's jump to <hook>-<id> gives its children, and the
 * per-hook sequences merge into one order. A rule's property, relation,
 * action and name come from its userdata, its value from the userdata or,
 * when that was too long to keep there, from the sets its expressions
 * look up; its parameter from its statements. Nothing is believed on its
 * word: each rule is compiled again and must give exactly the kernel's
 * expressions in every hook, or it is shown read-only under its nft text.
 * When the document last applied has the rule and still compiles to what
 * the kernel holds, its own texts are used (values as the user wrote them).
 * Rules that are off (disabled, or under a disabled parent) come from the
 * inert chain (pal-nft-plan.h), each put back at its place after its
 * parent and previous sibling, so Show Active gives the whole document
 * back, also from a helper that did not apply it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-document.h"
#include "pal-nft-plan.h"

G_BEGIN_DECLS

/* plan: the table as dumped (NULL: there is none); applied: the document
 * last applied, or NULL. */
PalDocument *pal_nft_active_document (PalNftPlan   *plan,
                                      PalDocument  *applied,
                                      GError      **error);

G_END_DECLS
