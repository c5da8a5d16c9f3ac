/* pal-nft-expr.h — the pieces a Palisade kernel rule is made of.
 *
 * A kernel rule is a conjunction of match atoms followed by statements.
 * An atom loads one packet field into register 1 (converting host byte
 * order to network order where ordering matters), optionally masks it, and
 * tests it: compare, range, or look it up in a set. A statement counts,
 * logs, limits, rejects, adds the peer to a set, or gives the verdict.
 *
 * Every atom and statement can be
 *   - emitted as libnftnl expressions (pal_nft_*_emit),
 *   - printed as nft syntax for `nft -f` (pal_nft_*_print),
 *   - written canonically, so two rules are equal exactly when their
 *     canonical texts are (pal_nft_*_canon), and
 *   - parsed back from the kernel's expressions (pal_nft_parse_rule).
 * Compile and read-back thus share one description, and the read-back can
 * prove that the kernel holds what was compiled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

struct nftnl_rule;
struct nftnl_expr;

/* The packet fields Palisade matches on. */
typedef enum
{
  PAL_NFT_FIELD_NFPROTO,
  PAL_NFT_FIELD_L4PROTO,
  PAL_NFT_FIELD_IIFNAME,
  PAL_NFT_FIELD_OIFNAME,
  PAL_NFT_FIELD_IIFTYPE,
  PAL_NFT_FIELD_IP_SADDR,
  PAL_NFT_FIELD_IP_DADDR,
  PAL_NFT_FIELD_IP6_SADDR,
  PAL_NFT_FIELD_IP6_DADDR,
  PAL_NFT_FIELD_ETHER_SADDR,
  PAL_NFT_FIELD_ETHER_DADDR,
  PAL_NFT_FIELD_TH_SPORT,
  PAL_NFT_FIELD_TH_DPORT,
  PAL_NFT_FIELD_ICMP_TYPE,        /* first byte of the ICMP header */
  PAL_NFT_FIELD_ICMPV6_TYPE,
  PAL_NFT_FIELD_ICMP_TYPE_CODE,   /* type and code as one 16-bit value */
  PAL_NFT_FIELD_TCP_FLAGS,
  PAL_NFT_FIELD_IP_FRAG_OFF,      /* flags and offset of the IPv4 header */
  PAL_NFT_FIELD_IP6_FRAG,         /* presence of the IPv6 fragment header */
  PAL_NFT_FIELD_IP6_FRAG_OFF,     /* offset and M flag of that header */
  PAL_NFT_FIELD_TCP_OPTION,       /* presence of TCP option `kind` */
  PAL_NFT_FIELD_IP_OPTION,        /* presence of IPv4 option `kind` */
  PAL_NFT_FIELD_CT_STATE,
  PAL_NFT_FIELD_CGROUPV2,         /* socket cgroupv2 at `level` */
  PAL_NFT_FIELD_SKUID,
  PAL_NFT_FIELD_HOUR,             /* seconds since midnight, UTC */
  PAL_NFT_FIELD_DAY,              /* 0 = Sunday */
  PAL_NFT_FIELD_TIME,             /* nanoseconds since the epoch */
  PAL_NFT_FIELD_LENGTH,
  PAL_NFT_N_FIELDS
} PalNftField;

/* Bytes of the field as tested (after any byte order conversion). */
guint        pal_nft_field_get_length (PalNftField field);
/* The nft name of the field ("ip saddr"), for text and messages. */
const char  *pal_nft_field_get_name (PalNftField field);
/* TRUE for fields that test presence (of an option or header). */
gboolean     pal_nft_field_is_presence (PalNftField field);
/* TRUE when the field's values are in host byte order (compared for
 * equality or masked only, as the kernel loads them). */
gboolean     pal_nft_field_is_host_order (PalNftField field);
/* The nft datatype number of set keys of this field. */
guint32      pal_nft_field_get_datatype (PalNftField field);

/* A set of values of one field: sorted, merged ranges (network byte
 * order, inclusive ends). Shared between rules, so reference counted. */
typedef struct
{
  gint        ref_count;
  PalNftField field;
  guint       key_length;
  GArray     *ranges;          /* PalNftRange */
} PalNftElements;

typedef struct
{
  guint8 first[16];
  guint8 last[16];
} PalNftRange;

PalNftElements *pal_nft_elements_new (PalNftField field);
PalNftElements *pal_nft_elements_ref (PalNftElements *elements);
void            pal_nft_elements_unref (PalNftElements *elements);
void            pal_nft_elements_add (PalNftElements *elements,
                                      const guint8   *first,
                                      const guint8   *last);
/* Sorts and merges overlapping and adjacent ranges. */
void            pal_nft_elements_normalize (PalNftElements *elements);
gboolean        pal_nft_elements_is_single (PalNftElements *elements);
/* The same ranges in the same order (normalize both to compare as sets). */
gboolean        pal_nft_elements_equal (const PalNftElements *a,
                                        const PalNftElements *b);
/* "10.0.0.0/8, 192.168.1.1-192.168.1.9" in nft syntax (no braces). */
void            pal_nft_elements_print (PalNftElements *elements,
                                        GString        *out);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalNftElements, pal_nft_elements_unref)

typedef enum
{
  PAL_NFT_TEST_CMP,      /* (field & mask) ==/!= value */
  PAL_NFT_TEST_RANGE,    /* value <= field <= value_to, or outside */
  PAL_NFT_TEST_LOOKUP,   /* field in an anonymous set (elements) or a named one */
} PalNftTest;

typedef struct
{
  PalNftField     field;
  guint8          kind;         /* option kind for TCP_OPTION / IP_OPTION */
  guint8          level;        /* cgroup level for CGROUPV2 */
  PalNftTest      test;
  gboolean        negated;
  gboolean        has_mask;
  guint8          mask[16];
  guint8          value[16];
  guint8          value_to[16];
  PalNftElements *elements;     /* LOOKUP in an anonymous set */
  char           *set_name;     /* LOOKUP in a named set */
  char           *text;         /* CGROUPV2: the path, for nft text */
} PalNftAtom;

PalNftAtom *pal_nft_atom_new_cmp (PalNftField   field,
                                  const guint8 *value);
PalNftAtom *pal_nft_atom_new_masked (PalNftField   field,
                                     const guint8 *mask,
                                     const guint8 *value);
PalNftAtom *pal_nft_atom_new_range (PalNftField   field,
                                    const guint8 *first,
                                    const guint8 *last);
/* A cmp for one value, a range for one range, else an anonymous set. */
PalNftAtom *pal_nft_atom_new_elements (PalNftElements *elements);
PalNftAtom *pal_nft_atom_new_named_set (PalNftField  field,
                                        const char  *set_name);
PalNftAtom *pal_nft_atom_new_present (PalNftField field,
                                      guint8      kind,
                                      gboolean    present);
PalNftAtom *pal_nft_atom_new_u8 (PalNftField field,
                                 guint8      value);
PalNftAtom *pal_nft_atom_copy (const PalNftAtom *atom);
/* Same test (what pal_nft_atom_canon would write the same). */
gboolean    pal_nft_atom_equal (const PalNftAtom *a,
                                const PalNftAtom *b);
PalNftAtom *pal_nft_atom_negate (const PalNftAtom *atom);
void        pal_nft_atom_free (PalNftAtom *atom);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalNftAtom, pal_nft_atom_free)

/* How long a hits element lives without a match. Every match refreshes
 * it, so the time since the last match is this less what remains of it. */
#define PAL_NFT_HITS_TIMEOUT_MS (G_GUINT64_CONSTANT (3650) * 24 * 3600 * 1000)

typedef enum
{
  PAL_NFT_STMT_COUNT,     /* update @set { key timeout PAL_NFT_HITS_TIMEOUT_MS }: the element's
                           * counter, and its expiry as the time of the last match */
  PAL_NFT_STMT_LOG,
  PAL_NFT_STMT_LIMIT,     /* limit rate over rate/unit burst b packets (with under:
                           * limit rate rate/unit burst b packets) */
  PAL_NFT_STMT_REJECT,
  PAL_NFT_STMT_UPDATE,    /* update @set { field timeout t } */
  PAL_NFT_STMT_VERDICT,
} PalNftStmtKind;

typedef struct
{
  PalNftStmtKind kind;
  char          *set_name;      /* COUNT, UPDATE */
  guint32        key;           /* COUNT */
  PalNftField    field;         /* UPDATE: the address added */
  guint64        timeout_ms;    /* UPDATE; 0 = none */
  guint16        group;         /* LOG */
  char          *prefix;        /* LOG */
  guint64        rate;          /* LIMIT */
  guint64        unit;          /* LIMIT, seconds */
  guint32        burst;         /* LIMIT */
  gboolean       under;         /* LIMIT: go on while under the rate, not over it */
  guint32        reject_type;   /* REJECT */
  guint8         reject_code;
  int            verdict;       /* VERDICT: NF_ACCEPT, NF_DROP, NFT_RETURN, NFT_JUMP, NFT_GOTO */
  char          *chain;         /* VERDICT jump/goto */
} PalNftStmt;

PalNftStmt *pal_nft_stmt_new (PalNftStmtKind kind);
PalNftStmt *pal_nft_stmt_new_verdict (int         verdict,
                                      const char *chain);
PalNftStmt *pal_nft_stmt_copy (const PalNftStmt *stmt);
void        pal_nft_stmt_free (PalNftStmt *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalNftStmt, pal_nft_stmt_free)

/* Emits the expressions into rule. Lookups in anonymous sets refer to
 * set_name/set_id, which the caller creates in the same batch. */
void     pal_nft_atom_emit (const PalNftAtom  *atom,
                            struct nftnl_rule *rule,
                            const char        *set_name,
                            guint32            set_id);
void     pal_nft_stmt_emit (const PalNftStmt  *stmt,
                            struct nftnl_rule *rule);

void     pal_nft_atom_print (const PalNftAtom *atom,
                             GString          *out);
void     pal_nft_stmt_print (const PalNftStmt *stmt,
                             GString          *out);
void     pal_nft_atom_canon (const PalNftAtom *atom,
                             GString          *out);
void     pal_nft_stmt_canon (const PalNftStmt *stmt,
                             GString          *out);

/* Resolves an anonymous set's elements by kernel set name, for parsing. */
typedef PalNftElements *(*PalNftSetResolver) (const char *set_name,
                                              gpointer    user_data);

/* Parses a rule's expressions into atoms and statements (arrays of
 * PalNftAtom / PalNftStmt, owned). Returns FALSE for anything Palisade
 * does not make: such a rule is someone else's. */
gboolean pal_nft_parse_rule (const struct nftnl_rule  *rule,
                             PalNftSetResolver         resolve,
                             gpointer                  user_data,
                             GPtrArray               **atoms,
                             GPtrArray               **stmts);

/* Big-endian helpers for building values. */
void     pal_nft_put_be (guint8  *data,
                         guint    length,
                         guint64  value);
guint64  pal_nft_get_be (const guint8 *data,
                         guint         length);

G_END_DECLS
