/* pal-nft-plan.h — the content of our table, as compiled or as read back.
 *
 * A plan is what `table inet palisade` holds: named sets, chains in an
 * order where every jump target comes before the rules that jump to it,
 * and in each chain the kernel rules in order. The compiler makes one from
 * a document; the dump makes one from the kernel (with handles, and with
 * rules it cannot parse marked foreign); the diff turns two plans into one
 * batch.
 *
 * Kernel rules carry a userdata of nftables' TLVs: the comment (type 0,
 * printed by nft as comment "…") is the Palisade rule id, or a short text
 * for the table's own rules; Palisade's own TLVs (types from 0xa0, which
 * nft skips) say what the kernel rule is for, and keep what a read-back
 * cannot derive from expressions: the rule's property, relation, action,
 * name, and its value text when short.
 *
 * Counters: every Palisade rule has a key; its kernel rules update the
 * element of that key in a hits set, whose elements carry a counter and a
 * timeout that every match renews (so the expiry dates the last match:
 * the `last` expression of nft 1.0.6 vintage would do, but nft crashes
 * listing a set that holds it). One element per rule, however many kernel
 * copies: the copies' counts add up by construction, the counts survive
 * any change to the rule, and reading all counters is one cheap dump per
 * hits set (see pal-nft-dump.h for the measurements that chose this).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-document-variant.h"
#include "pal-enums.h"
#include "pal-nft-expr.h"
#include "pal-nft-match.h"

G_BEGIN_DECLS

#define PAL_NFT_TABLE "palisade"
/* Filter priority + 10: after the usual filter tables (iptables-nft,
 * firewalld, docker and libvirt all hook at filter priority 0), so
 * Palisade's counters see what those let through, and with conntrack
 * (priority -200) already done for connection states. */
#define PAL_NFT_PRIORITY PAL_TABLE_PRIORITY
/* Keys per hits set: dumps of one set are quadratic in its size. */
#define PAL_NFT_HITS_PER_SET 4096
/* Addresses a triggered, authorized or kept set holds at most. */
#define PAL_NFT_DYNAMIC_SET_SIZE 262144
/* The key of the default verdict's counter; rules start at 1. */
#define PAL_NFT_DEFAULT_KEY 0
/* The id under which the default verdict's counter is reported. */
#define PAL_NFT_DEFAULT_ID "default"

typedef enum
{
  PAL_NFT_ROLE_RULE = 1,     /* the rule's match and action (counted) */
  PAL_NFT_ROLE_PART,         /* part of the rule's action, not counted (trigger's add) */
  PAL_NFT_ROLE_TAIL,         /* a parent's own action after its children */
  PAL_NFT_ROLE_DEFAULT,      /* the document's default verdict */
  PAL_NFT_ROLE_UNFILTERED,   /* interfaces the document does not filter */
  PAL_NFT_ROLE_FOREIGN,      /* read back, not made by Palisade */
  PAL_NFT_ROLE_SEGMENT,      /* jump to the next segment of a long chain */
  PAL_NFT_ROLE_INERT,        /* a piece of a rule that is off (chain "disabled") */
} PalNftRole;

/* Rules that are off (disabled, or under a disabled parent) are kept in
 * the kernel without effect, so the table alone gives the whole outline
 * back: the regular chain PAL_NFT_INERT_CHAIN, never jumped to, holds
 * per such rule one or more inert rules (just `continue`, which nft can
 * list and load, and which does nothing even if the chain were entered) whose userdata carry, in order,
 * pieces of the rule's record (pal-nft-compiler.h): the tag's id is the
 * rule id and its value the piece. */
#define PAL_NFT_INERT_CHAIN "disabled"
/* Bytes of a record per inert rule: what the userdata holds besides. */
#define PAL_NFT_INERT_PIECE 192

/* Long chains are split into segments "<chain>.<n>" that the chain jumps
 * to in turn: a dump of one chain costs the kernel time quadratic in its
 * length (100,000 rules: 17 s; in segments: linear). A chain is split
 * past PAL_NFT_SEGMENT_SPLIT rules into segments of PAL_NFT_SEGMENT_SIZE;
 * on later applies every rule stays in its segment unless that would
 * grow past PAL_NFT_SEGMENT_SPLIT, so unchanged rules keep their handles. */
#define PAL_NFT_SEGMENT_SIZE  1000
#define PAL_NFT_SEGMENT_SPLIT 2000

#define PAL_NFT_LOG_DENIED "log-denied"

/* What a kernel rule's userdata says about it. */
typedef struct
{
  PalNftRole   role;
  char        *id;           /* rule id (RULE, PART), parent id (TAIL) */
  PalProperty  property;
  PalRelation  relation;
  PalAction    action;
  gboolean     has_rule;     /* property, relation, action are set */
  char        *value;        /* canonical value text, or NULL when too long;
                              * DEFAULT: PAL_NFT_LOG_DENIED when the document logs denied packets */
  char        *name;         /* possibly shortened */
  guint64      duration;     /* DEFAULT: the document's trigger duration */
} PalNftTag;

/* Reference counted: the compiler's memo (pal-nft-compiler.h) and the
 * plans made from it share the kernel rules of unchanged document rules.
 * Shared, a rule's content never changes; only its handle is set (the
 * same kernel rule has the same handle in every plan that holds it). */
typedef struct
{
  gatomicrefcount ref_count;
  PalNftTag   tag;
  GPtrArray  *atoms;         /* PalNftAtom; NULL for a foreign rule */
  GPtrArray  *stmts;         /* PalNftStmt; NULL for a foreign rule */
  char       *canon;         /* equal canon = equal rule */
  guint64     handle;        /* 0 until known */
  char       *text;          /* foreign: the rule as text */
  char       *path;          /* JSON path of the document rule, for messages */
} PalNftKernelRule;

typedef struct
{
  char       *name;
  gint        hook;          /* PalNftHook, or -1 for a regular chain */
  gint        priority;
  GPtrArray  *rules;         /* PalNftKernelRule */
  gboolean    foreign;       /* read back with a hook or type we do not make */
} PalNftChain;

typedef enum
{
  PAL_NFT_SET_CONSTANT,      /* filled from the document (trusted, external, …) */
  PAL_NFT_SET_DYNAMIC,       /* filled by packets, with timeouts (triggered, …) */
  PAL_NFT_SET_HITS,          /* counter and last per key */
} PalNftSetKind;

typedef struct
{
  char           *name;
  PalNftSetKind   kind;
  PalNftField     field;
  PalNftElements *elements;  /* CONSTANT: the content */
  gboolean        foreign;   /* read back, not one of ours */
} PalNftSetDef;

typedef struct
{
  gboolean     dormant;
  GPtrArray   *sets;         /* PalNftSetDef */
  GPtrArray   *chains;       /* PalNftChain, jump targets first */
  GHashTable  *keys;         /* rule id → GUINT_TO_POINTER (hits key); a compiled
                              * plan whose keys are all its previous plan's shares
                              * that table: never changed once made */
  GHashTable  *chain_index;  /* name → PalNftChain (borrowed) */
  GHashTable  *set_index;    /* name → PalNftSetDef (borrowed) */
} PalNftPlan;

PalNftPlan       *pal_nft_plan_new (void);
void              pal_nft_plan_free (PalNftPlan *plan);
PalNftChain      *pal_nft_plan_add_chain (PalNftPlan *plan,
                                          const char *name,
                                          gint        hook);
PalNftChain      *pal_nft_plan_lookup_chain (PalNftPlan *plan,
                                             const char *name);
PalNftSetDef     *pal_nft_plan_add_set (PalNftPlan     *plan,
                                        const char     *name,
                                        PalNftSetKind   kind,
                                        PalNftField     field);
PalNftSetDef     *pal_nft_plan_lookup_set (PalNftPlan *plan,
                                           const char *name);
/* Lists too long to become rules (pal-nft-match.h) are kept in named
 * constant sets, one per distinct list of a field: a set whose name is
 * PAL_NFT_LIST_SET_PREFIX, the field's number and a hash of the content
 * ("list-5-0123456789abcdef"), shared by every rule with that list. The
 * kernel creates named sets cheaper than anonymous ones (no walk of the
 * transaction to bind them) and identical lists cost one set; a name
 * never changes its content, so a changed list is a new set and the old
 * one goes once no rule uses it. Only for fields nft can declare sets of
 * (addresses, ports, protocols); other lists stay anonymous. */
#define PAL_NFT_LIST_SET_PREFIX "list-"
gboolean          pal_nft_field_has_list_sets (PalNftField field);
char             *pal_nft_list_set_for (PalNftElements *elements);
/* The field of a list set's name; FALSE when the name is not one. */
gboolean          pal_nft_list_set_parse (const char  *name,
                                          PalNftField *field);

/* Whether two plans read from the kernel hold the same table (rules by
 * handle and content, chains, our sets and their constant contents). */
gboolean          pal_nft_plan_same_content (PalNftPlan *a,
                                             PalNftPlan *b);
/* The hits set of a key. */
char             *pal_nft_hits_set_name (guint32 key);
/* The id of a key, or NULL. */
const char       *pal_nft_plan_lookup_key (PalNftPlan *plan,
                                           guint32     key);

PalNftKernelRule *pal_nft_kernel_rule_new (PalNftTag *tag,
                                           GPtrArray *atoms,
                                           GPtrArray *stmts);
PalNftKernelRule *pal_nft_kernel_rule_ref (PalNftKernelRule *rule);
/* Whether data is the userdata the rule is made with (its tag's TLVs, as
 * the end of its canon has them): a dump proves it holds the same rule. */
gboolean          pal_nft_kernel_rule_has_udata (const PalNftKernelRule *rule,
                                                 const void             *data,
                                                 gsize                   length);
void              pal_nft_kernel_rule_unref (PalNftKernelRule *rule);
/* The older name of pal_nft_kernel_rule_unref. */
#define pal_nft_kernel_rule_free pal_nft_kernel_rule_unref
void              pal_nft_tag_clear (PalNftTag *tag);
void              pal_nft_tag_copy (const PalNftTag *tag,
                                    PalNftTag       *copy);

/* What a kernel rule is, independent of its content (role, id, and which
 * copy of that id in the sequence): the same rule in two plans has the
 * same key. seen: string → count, one table per sequence. */
char             *pal_nft_slot_key (const PalNftKernelRule *rule,
                                    guint                   position,
                                    GHashTable             *seen);
/* For each rule of to, the index in from of the same rule (the same
 * object, or else the same slot key), or -1: int per rule of to. A kernel
 * rule object is at most once in each sequence. */
GArray           *pal_nft_match_slots (GPtrArray *from,
                                       GPtrArray *to);
/* The segment names of a chain, from its segment jumps, in order. */
GPtrArray        *pal_nft_chain_segments (PalNftChain *chain);

/* Userdata TLVs of a tag, and back. */
GBytes           *pal_nft_tag_to_udata (const PalNftTag *tag);
gboolean          pal_nft_tag_from_udata (const void *data,
                                          gsize       length,
                                          PalNftTag  *tag);

/* The rule as nft text (no handle, counters or comment). */
char             *pal_nft_kernel_rule_to_text (const PalNftKernelRule *rule);

/* Builds the libnftnl rule; anonymous sets are named "__set%d" with ids
 * from *next_set_id, returned in sets (struct nftnl_set *, elements
 * included) to be sent first. */
struct nftnl_rule *pal_nft_kernel_rule_build (const PalNftKernelRule  *rule,
                                              const char              *chain,
                                              guint32                 *next_set_id,
                                              GPtrArray               *sets);
struct nftnl_set  *pal_nft_set_def_build (const PalNftSetDef *set);

/* The interval elements of a set in kernel form (start, end+1 flagged
 * as interval end). */
void               pal_nft_elements_to_nftnl (PalNftElements   *elements,
                                              struct nftnl_set *set);
/* The reverse, from dumped elements. */
PalNftElements    *pal_nft_elements_from_nftnl (struct nftnl_set *set,
                                                PalNftField       field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalNftPlan, pal_nft_plan_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalNftKernelRule, pal_nft_kernel_rule_unref)

G_END_DECLS
