/* pal-nft-match.h — a rule's condition as kernel matches, for one hook.
 *
 * A condition compiles to alternatives (a disjunction of conjunctions of
 * PalNftAtom). The alternatives of one condition are disjoint, so a packet
 * matches at most one and each kernel copy of a rule counts a packet once.
 * No alternatives: the condition can never hold in this hook (the rule is
 * left out there); one empty alternative: it always holds.
 *
 * "is-not" is the logical negation of "is": a packet the property does not
 * apply to (an ICMP packet for a port, an IPv6 packet for an IPv4 address,
 * a packet without an Ethernet header for a MAC) matches "is-not". The
 * exceptions, where nf_tables cannot tell a packet without the thing from
 * one with another value: user and service need the packet's local socket,
 * and a packet without one matches neither "is" nor "is-not".
 *
 * Hooks resolve what only makes sense in some of them at compile time:
 * direction; the interface is the input one on input, the output one on
 * output, and either on forward; MACs exist on input and forward; users
 * (socket owner) on output; services (socket cgroup) on input and output.
 * listed-in, trigger, authorize and keep-address look at the remote
 * address: the source on input and forward, the destination on output.
 *
 * Times: time-of-day is local time, converted to the UTC seconds the
 * kernel compares with the UTC offset in effect when the document is
 * applied (as nft does); day-of-week is compared with the kernel's own
 * local day.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-document.h"
#include "pal-nft-expr.h"
#include "pal-value.h"

G_BEGIN_DECLS

typedef enum
{
  PAL_NFT_HOOK_INPUT,
  PAL_NFT_HOOK_FORWARD,
  PAL_NFT_HOOK_OUTPUT,
  PAL_NFT_N_HOOKS
} PalNftHook;

/* The named sets of our table that conditions and actions refer to. */
#define PAL_NFT_SET_EXTERNAL  "external"     /* interfaces marked external */
#define PAL_NFT_SET_UNFILTERED "unfiltered"  /* interfaces not filtered */
#define PAL_NFT_SET_PORTED    "ported"       /* protocols with ports: tcp, udp, dccp, sctp, udplite */

const char *pal_nft_hook_get_name (PalNftHook hook);   /* "input", "forward", "output" */

/* The set of list for a family (4 or 6): "triggered4". */
char       *pal_nft_list_set_name (PalList list,
                                   int     family);
/* The field of the remote address in this hook for a family. */
PalNftField pal_nft_remote_address_field (PalNftHook hook,
                                          int        family);

/* An alternative: a GPtrArray of PalNftAtom. A condition: a GPtrArray of
 * alternatives. */
GPtrArray  *pal_nft_alternatives_new (void);
GPtrArray  *pal_nft_alternatives_true (void);
/* Every alternative of a with every one of b, contradictions dropped. */
GPtrArray  *pal_nft_alternatives_and (GPtrArray *a,
                                      GPtrArray *b);
/* The alternative with one more atom (copied); FALSE if that contradicts. */
gboolean    pal_nft_alternative_add (GPtrArray        *alternative,
                                     const PalNftAtom *atom);

/* Lists as kernel rules instead of anonymous sets. The kernel's commit
 * of a batch is quadratic or worse in the number of sets it creates
 * (each new set walks the table's sets and the transaction; measured in
 * bench/README.md), and linear in rules. So in each alternative a list
 * tested with "in" (an anonymous set of k disjoint ranges) becomes k
 * alternatives, one per range, and a list tested with "not in" becomes k
 * "!=" tests in the same alternative. The alternatives stay disjoint, so
 * the kernel copies of a rule still count a packet once and a non-terminal
 * action still happens once. Lists past the bounds stay sets: more than
 * PAL_NFT_SPLIT_MAX alternatives from one (the product over its "in"
 * lists), more than PAL_NFT_UNLESS_MAX tests from one "not in" list.
 * Takes alternatives; returns the new ones. */
#define PAL_NFT_SPLIT_MAX  16
#define PAL_NFT_UNLESS_MAX 16
GPtrArray  *pal_nft_alternatives_split (GPtrArray *alternatives);
/* The lists still tested as sets go to the named list set of their
 * content, where the field has them (pal-nft-plan.h): the lookup atom
 * gets the set's name and keeps its elements, from which the compiler
 * adds the set to the plan. */
void        pal_nft_alternatives_name_lists (GPtrArray *alternatives);

/* Compiles the condition for hook; NULL with error (PAL_HELPER_ERROR_*)
 * when it cannot (a unit without a cgroup). */
GPtrArray  *pal_nft_match_compile (PalProperty      property,
                                   PalRelation      relation,
                                   const PalValue  *value,
                                   PalNftHook       hook,
                                   GError         **error);

G_END_DECLS
