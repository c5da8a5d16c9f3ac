/* pal-nft-compiler.h — a document to the plan of our table.
 *
 * Validates first (pal_validate_document), then compiles the outline once
 * per hook: a base chain per hook (input, forward, output) holding the
 * rules for interfaces the document does not filter, the top-level rules
 * and the default verdict; a chain per rule with children
 * (`condition jump <hook>-<id>`), holding the children and ending with the
 * parent's own action. A rule whose action is exit-group is entered with
 * goto instead, so that falling off its chain leaves the enclosing group;
 * exit-group itself is return, or, where returning would leave the base
 * chain past the default verdict, `goto default-<hook>` (a chain holding
 * the default verdict again). Disabled rules and their subtrees have no
 * effect: each is kept as inert rules in the chain "disabled" (see
 * pal-nft-plan.h), with no counter. Read-only rules (another program's,
 * from Show Active) are not compiled.
 *
 * Logs: the log and alert actions log to NFLOG groups 1 and 2 with the
 * prefix "#key text" (pal-log-prefix.h), so the helper can name the rule.
 * With the document's log-denied on, every packet the default verdict
 * (drop or reject) or a drop, reject or trigger rule denies is first
 * logged to group 3 ("#key drop", "#0 default reject"), from a kernel
 * rule of its own, rate-limited (PAL_LOG_DENIED_RATE a second, bursts of
 * PAL_LOG_DENIED_BURST, per kernel rule) so a flood cannot swamp the
 * helper; the rule that denies follows it and denies every packet.
 *
 * Errors are PAL_HELPER_ERROR_INVALID_DOCUMENT with "path: reason" lines.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-document.h"
#include "pal-nft-plan.h"

G_BEGIN_DECLS

/* previous: the plan applied before (its rule keys are kept, so counters
 * continue), or NULL. */
PalNftPlan *pal_nft_compile (PalDocument  *document,
                             PalNftPlan   *previous,
                             GError      **error);

/* What the compiler remembers between compiles: for each rule id, its
 * members, the path where it was found valid, and the kernel rules it
 * compiled to in its parent's chain (per hook, with the key, exit and
 * children it was compiled with). The next compile neither validates
 * (pal_validate_document_known) nor compiles again a rule that is as it
 * was, with all its ancestors as they were: it shares its kernel rules
 * (same objects, so the diff sees at once that they are unchanged).
 * Content, not identity: a document decoded afresh for every Apply finds
 * its unchanged rules all the same. */
typedef struct _PalNftMemo PalNftMemo;

PalNftMemo *pal_nft_memo_new (void);
void        pal_nft_memo_free (PalNftMemo *memo);
/* pal_nft_compile with a memo, which it reads and updates. */
PalNftPlan *pal_nft_compile_with_memo (PalDocument  *document,
                                       PalNftPlan   *previous,
                                       PalNftMemo   *memo,
                                       GError      **error);

/* The document's problems as pal_validate_document finds them, checking
 * again only what the memo does not know valid; a valid document is
 * recorded, so a compile with the memo that follows finds its rules
 * known and checks them no more. */
GPtrArray  *pal_nft_memo_validate (PalNftMemo  *memo,
                                   PalDocument *document);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalNftMemo, pal_nft_memo_free)

/* The kernel rules one rule compiles to in a chain, as the compiler makes
 * them: used by the read-back to prove that the kernel holds exactly what
 * a rule says. parent_exit_return: whether exit-group in that chain is a
 * plain return. Returns FALSE with error when the rule does not compile. */
gboolean    pal_nft_compile_rule_in_chain (PalRule      *rule,
                                           PalDocument  *document,
                                           PalNftHook    hook,
                                           gboolean      exit_is_return,
                                           guint32       key,
                                           GPtrArray    *out,
                                           GError      **error);

/* The tail of a rule with children in its child chain: its own action
 * after the children. exit_is_return: of the chain the rule is in; key:
 * the rule's (for its log prefixes). */
gboolean    pal_nft_compile_tail (PalRule      *rule,
                                  PalDocument  *document,
                                  PalNftHook    hook,
                                  gboolean      exit_is_return,
                                  guint32       key,
                                  GPtrArray    *out,
                                  GError      **error);

/* The record of a rule that is off, which its inert rules carry in
 * pieces (pal-nft-plan.h): GVariant text of its parent's id and its
 * previous sibling's id ("" for none: top level, first place), its own
 * enabled flag, property, relation, action, name, value, parameter and
 * extra members (JSON, "" for none). */
char       *pal_nft_inert_record (PalRule *rule);
/* The rule of a record, without children; parent and previous are set
 * to its place (NULL for none). NULL when the record is not one. */
PalRule    *pal_nft_inert_rule_from_record (const char  *id,
                                            const char  *record,
                                            char       **parent,
                                            char       **previous);

G_END_DECLS
