/* pal-nft-expr.c — fields, element sets, atoms and statements; emitting
 * them as libnftnl expressions and writing them canonically.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <stdio.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <string.h>

#include "pal-nft-expr-private.h"

/* nft datatype numbers (nftables' enum datatypes), so `nft list` prints set
 * elements in their own syntax. */
enum
{
  TYPE_INTEGER = 4,
  TYPE_STRING = 5,
  TYPE_IPADDR = 7,
  TYPE_IP6ADDR = 8,
  TYPE_ETHERADDR = 9,
  TYPE_INET_PROTOCOL = 12,
  TYPE_INET_SERVICE = 13,
  TYPE_ICMP_TYPE = 14,
  TYPE_ICMP6_TYPE = 29,
  TYPE_IFNAME = 41,
};

#define IPV6_FRAGMENT_HEADER 44

static const PalNftFieldInfo fields[PAL_NFT_N_FIELDS] = {
  [PAL_NFT_FIELD_NFPROTO] = { "meta nfproto", PAL_NFT_LOAD_META, NFT_META_NFPROTO, 0, 1, 0, FALSE, 0, TYPE_INTEGER },
  [PAL_NFT_FIELD_L4PROTO] = { "meta l4proto", PAL_NFT_LOAD_META, NFT_META_L4PROTO, 0, 1, 0, FALSE, 0, TYPE_INET_PROTOCOL },
  [PAL_NFT_FIELD_IIFNAME] = { "iifname", PAL_NFT_LOAD_META, NFT_META_IIFNAME, 0, 16, 0, FALSE, 0, TYPE_IFNAME },
  [PAL_NFT_FIELD_OIFNAME] = { "oifname", PAL_NFT_LOAD_META, NFT_META_OIFNAME, 0, 16, 0, FALSE, 0, TYPE_IFNAME },
  [PAL_NFT_FIELD_IIFTYPE] = { "meta iiftype", PAL_NFT_LOAD_META, NFT_META_IIFTYPE, 0, 2, 2, FALSE, 0, TYPE_INTEGER },
  [PAL_NFT_FIELD_IP_SADDR] = { "ip saddr", PAL_NFT_LOAD_PAYLOAD, NFT_PAYLOAD_NETWORK_HEADER, 12, 4, 0, FALSE, 0, TYPE_IPADDR },
  [PAL_NFT_FIELD_IP_DADDR] = { "ip daddr", PAL_NFT_LOAD_PAYLOAD, NFT_PAYLOAD_NETWORK_HEADER, 16, 4, 0, FALSE, 0, TYPE_IPADDR },
  [PAL_NFT_FIELD_IP6_SADDR] = { "ip6 saddr", PAL_NFT_LOAD_PAYLOAD, NFT_PAYLOAD_NETWORK_HEADER, 8, 16, 0, FALSE, 0, TYPE_IP6ADDR },
  [PAL_NFT_FIELD_IP6_DADDR] = { "ip6 daddr", PAL_NFT_LOAD_PAYLOAD, NFT_PAYLOAD_NETWORK_HEADER, 24, 16, 0, FALSE, 0, TYPE_IP6ADDR },
  [PAL_NFT_FIELD_ETHER_SADDR] = { "ether saddr", PAL_NFT_LOAD_PAYLOAD, NFT_PAYLOAD_LL_HEADER, 6, 6, 0, FALSE, 0, TYPE_ETHERADDR },
  [PAL_NFT_FIELD_ETHER_DADDR] = { "ether daddr", PAL_NFT_LOAD_PAYLOAD, NFT_PAYLOAD_LL_HEADER, 0, 6, 0, FALSE, 0, TYPE_ETHERADDR },
  [PAL_NFT_FIELD_TH_SPORT] = { "th sport", PAL_NFT_LOAD_PAYLOAD, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 2, 0, FALSE, 0, TYPE_INET_SERVICE },
  [PAL_NFT_FIELD_TH_DPORT] = { "th dport", PAL_NFT_LOAD_PAYLOAD, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, 0, FALSE, 0, TYPE_INET_SERVICE },
  [PAL_NFT_FIELD_ICMP_TYPE] = { "icmp type", PAL_NFT_LOAD_PAYLOAD, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1, 0, FALSE, 0, TYPE_ICMP_TYPE },
  [PAL_NFT_FIELD_ICMPV6_TYPE] = { "icmpv6 type", PAL_NFT_LOAD_PAYLOAD, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1, 0, FALSE, 0, TYPE_ICMP6_TYPE },
  [PAL_NFT_FIELD_ICMP_TYPE_CODE] = { "@th,0,16", PAL_NFT_LOAD_PAYLOAD, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 2, 0, FALSE, 0, TYPE_INTEGER },
  [PAL_NFT_FIELD_TCP_FLAGS] = { "tcp flags", PAL_NFT_LOAD_PAYLOAD, NFT_PAYLOAD_TRANSPORT_HEADER, 13, 1, 0, FALSE, 0, TYPE_INTEGER },
  [PAL_NFT_FIELD_IP_FRAG_OFF] = { "ip frag-off", PAL_NFT_LOAD_PAYLOAD, NFT_PAYLOAD_NETWORK_HEADER, 6, 2, 0, FALSE, 0, TYPE_INTEGER },
  [PAL_NFT_FIELD_IP6_FRAG] = { "exthdr frag", PAL_NFT_LOAD_EXTHDR, NFT_EXTHDR_OP_IPV6, 0, 1, 0, TRUE, IPV6_FRAGMENT_HEADER, TYPE_INTEGER },
  [PAL_NFT_FIELD_IP6_FRAG_OFF] = { "frag frag-off", PAL_NFT_LOAD_EXTHDR, NFT_EXTHDR_OP_IPV6, 2, 2, 0, FALSE, IPV6_FRAGMENT_HEADER, TYPE_INTEGER },
  [PAL_NFT_FIELD_TCP_OPTION] = { "tcp option", PAL_NFT_LOAD_EXTHDR, NFT_EXTHDR_OP_TCPOPT, 0, 1, 0, TRUE, 0, TYPE_INTEGER },
  [PAL_NFT_FIELD_IP_OPTION] = { "ip option", PAL_NFT_LOAD_EXTHDR, NFT_EXTHDR_OP_IPV4, 0, 1, 0, TRUE, 0, TYPE_INTEGER },
  [PAL_NFT_FIELD_CT_STATE] = { "ct state", PAL_NFT_LOAD_CT, NFT_CT_STATE, 0, 4, 0, FALSE, 0, TYPE_INTEGER, TRUE },
  [PAL_NFT_FIELD_CGROUPV2] = { "socket cgroupv2", PAL_NFT_LOAD_SOCKET, NFT_SOCKET_CGROUPV2, 0, 8, 0, FALSE, 0, TYPE_INTEGER, TRUE },
  [PAL_NFT_FIELD_SKUID] = { "meta skuid", PAL_NFT_LOAD_META, NFT_META_SKUID, 0, 4, 4, FALSE, 0, TYPE_INTEGER },
  [PAL_NFT_FIELD_HOUR] = { "meta hour", PAL_NFT_LOAD_META, NFT_META_TIME_HOUR, 0, 4, 4, FALSE, 0, TYPE_INTEGER },
  [PAL_NFT_FIELD_DAY] = { "meta day", PAL_NFT_LOAD_META, NFT_META_TIME_DAY, 0, 1, 0, FALSE, 0, TYPE_INTEGER },
  [PAL_NFT_FIELD_TIME] = { "meta time", PAL_NFT_LOAD_META, NFT_META_TIME_NS, 0, 8, 8, FALSE, 0, TYPE_INTEGER },
  [PAL_NFT_FIELD_LENGTH] = { "meta length", PAL_NFT_LOAD_META, NFT_META_LEN, 0, 4, 4, FALSE, 0, TYPE_INTEGER },
};

const PalNftFieldInfo *
pal_nft_field_info (PalNftField field)
{
  g_return_val_if_fail (field < PAL_NFT_N_FIELDS, &fields[0]);
  return &fields[field];
}

guint
pal_nft_field_get_length (PalNftField field)
{
  return pal_nft_field_info (field)->length;
}

const char *
pal_nft_field_get_name (PalNftField field)
{
  return pal_nft_field_info (field)->name;
}

gboolean
pal_nft_field_is_presence (PalNftField field)
{
  return pal_nft_field_info (field)->presence;
}

gboolean
pal_nft_field_is_host_order (PalNftField field)
{
  return pal_nft_field_info (field)->host;
}

guint32
pal_nft_field_get_datatype (PalNftField field)
{
  return pal_nft_field_info (field)->datatype;
}

void
pal_nft_put_be (guint8  *data,
                guint    length,
                guint64  value)
{
  for (guint i = 0; i < length; i++)
    data[length - 1 - i] = (guint8) (value >> (8 * i));
}

guint64
pal_nft_get_be (const guint8 *data,
                guint         length)
{
  guint64 value = 0;

  for (guint i = 0; i < length && i < 8; i++)
    value = (value << 8) | data[i];
  return value;
}

/* Elements */

PalNftElements *
pal_nft_elements_new (PalNftField field)
{
  PalNftElements *elements = g_new0 (PalNftElements, 1);

  elements->ref_count = 1;
  elements->field = field;
  elements->key_length = pal_nft_field_get_length (field);
  elements->ranges = g_array_new (FALSE, TRUE, sizeof (PalNftRange));
  return elements;
}

PalNftElements *
pal_nft_elements_ref (PalNftElements *elements)
{
  g_return_val_if_fail (elements != NULL, NULL);
  g_atomic_int_inc (&elements->ref_count);
  return elements;
}

void
pal_nft_elements_unref (PalNftElements *elements)
{
  if (elements == NULL || !g_atomic_int_dec_and_test (&elements->ref_count))
    return;
  g_array_unref (elements->ranges);
  g_free (elements);
}

void
pal_nft_elements_add (PalNftElements *elements,
                      const guint8   *first,
                      const guint8   *last)
{
  PalNftRange range = { { 0 }, { 0 } };

  memcpy (range.first, first, elements->key_length);
  memcpy (range.last, last, elements->key_length);
  g_array_append_val (elements->ranges, range);
}

static int
compare_ranges (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  guint length = GPOINTER_TO_UINT (user_data);
  int cmp = memcmp (((const PalNftRange *) a)->first, ((const PalNftRange *) b)->first, length);

  return cmp != 0 ? cmp : memcmp (((const PalNftRange *) a)->last, ((const PalNftRange *) b)->last, length);
}

/* TRUE when b starts at most one after a's end (so they merge). */
static gboolean
touches (const guint8 *a_last,
         const guint8 *b_first,
         guint         length)
{
  guint8 next[16];
  int carry = 1;

  if (memcmp (b_first, a_last, length) <= 0)
    return TRUE;
  memcpy (next, a_last, length);
  for (int i = (int) length - 1; i >= 0 && carry; i--)
    {
      next[i]++;
      carry = next[i] == 0;
    }
  return !carry && memcmp (b_first, next, length) == 0;
}

void
pal_nft_elements_normalize (PalNftElements *elements)
{
  GArray *ranges = elements->ranges;
  guint length = elements->key_length;
  guint out = 0;

  if (ranges->len < 2)
    return;
  g_array_sort_with_data (ranges, compare_ranges, GUINT_TO_POINTER (length));
  for (guint i = 1; i < ranges->len; i++)
    {
      PalNftRange *current = &g_array_index (ranges, PalNftRange, out);
      PalNftRange *next = &g_array_index (ranges, PalNftRange, i);

      if (touches (current->last, next->first, length))
        {
          if (memcmp (next->last, current->last, length) > 0)
            memcpy (current->last, next->last, length);
        }
      else
        g_array_index (ranges, PalNftRange, ++out) = *next;
    }
  g_array_set_size (ranges, out + 1);
}

gboolean
pal_nft_elements_is_single (PalNftElements *elements)
{
  PalNftRange *range;

  if (elements->ranges->len != 1)
    return FALSE;
  range = &g_array_index (elements->ranges, PalNftRange, 0);
  return memcmp (range->first, range->last, elements->key_length) == 0;
}

gboolean
pal_nft_elements_equal (const PalNftElements *a,
                        const PalNftElements *b)
{
  /* An empty GArray may have no data, and memcmp() must not get NULL
   * (UBSan stopped kernel-apply on it). */
  return a->ranges->len == b->ranges->len
         && (a->ranges->len == 0
             || memcmp (a->ranges->data, b->ranges->data, a->ranges->len * sizeof (PalNftRange)) == 0);
}

/* Atoms */

static PalNftAtom *
atom_new (PalNftField field,
          PalNftTest  test)
{
  PalNftAtom *atom = g_new0 (PalNftAtom, 1);

  atom->field = field;
  atom->test = test;
  return atom;
}

PalNftAtom *
pal_nft_atom_new_cmp (PalNftField   field,
                      const guint8 *value)
{
  PalNftAtom *atom = atom_new (field, PAL_NFT_TEST_CMP);

  memcpy (atom->value, value, pal_nft_field_get_length (field));
  return atom;
}

PalNftAtom *
pal_nft_atom_new_u8 (PalNftField field,
                     guint8      value)
{
  g_return_val_if_fail (pal_nft_field_get_length (field) == 1, NULL);
  return pal_nft_atom_new_cmp (field, &value);
}

PalNftAtom *
pal_nft_atom_new_masked (PalNftField   field,
                         const guint8 *mask,
                         const guint8 *value)
{
  PalNftAtom *atom = pal_nft_atom_new_cmp (field, value);

  atom->has_mask = TRUE;
  memcpy (atom->mask, mask, pal_nft_field_get_length (field));
  return atom;
}

PalNftAtom *
pal_nft_atom_new_range (PalNftField   field,
                        const guint8 *first,
                        const guint8 *last)
{
  PalNftAtom *atom = atom_new (field, PAL_NFT_TEST_RANGE);
  guint length = pal_nft_field_get_length (field);

  memcpy (atom->value, first, length);
  memcpy (atom->value_to, last, length);
  return atom;
}

PalNftAtom *
pal_nft_atom_new_elements (PalNftElements *elements)
{
  PalNftAtom *atom;
  PalNftRange *range;

  g_return_val_if_fail (elements != NULL && elements->ranges->len > 0, NULL);

  pal_nft_elements_normalize (elements);
  range = &g_array_index (elements->ranges, PalNftRange, 0);
  if (pal_nft_elements_is_single (elements))
    return pal_nft_atom_new_cmp (elements->field, range->first);
  if (elements->ranges->len == 1)
    return pal_nft_atom_new_range (elements->field, range->first, range->last);
  atom = atom_new (elements->field, PAL_NFT_TEST_LOOKUP);
  atom->elements = pal_nft_elements_ref (elements);
  return atom;
}

PalNftAtom *
pal_nft_atom_new_named_set (PalNftField  field,
                            const char  *set_name)
{
  PalNftAtom *atom = atom_new (field, PAL_NFT_TEST_LOOKUP);

  atom->set_name = g_strdup (set_name);
  return atom;
}

PalNftAtom *
pal_nft_atom_new_present (PalNftField field,
                          guint8      kind,
                          gboolean    present)
{
  PalNftAtom *atom = atom_new (field, PAL_NFT_TEST_CMP);

  g_return_val_if_fail (pal_nft_field_info (field)->presence, atom);
  atom->kind = kind;
  atom->value[0] = present ? 1 : 0;
  return atom;
}

PalNftAtom *
pal_nft_atom_copy (const PalNftAtom *atom)
{
  PalNftAtom *copy = g_memdup2 (atom, sizeof *atom);

  copy->elements = atom->elements != NULL ? pal_nft_elements_ref (atom->elements) : NULL;
  copy->set_name = g_strdup (atom->set_name);
  copy->text = g_strdup (atom->text);
  return copy;
}

PalNftAtom *
pal_nft_atom_negate (const PalNftAtom *atom)
{
  PalNftAtom *copy = pal_nft_atom_copy (atom);

  /* A presence test negates to the other boolean, which keeps the
   * kernel's form (cmp eq 0/1) and so reads back the same. */
  if (pal_nft_field_info (atom->field)->presence)
    copy->value[0] = !atom->value[0];
  else
    copy->negated = !atom->negated;
  return copy;
}

void
pal_nft_atom_free (PalNftAtom *atom)
{
  if (atom == NULL)
    return;
  pal_nft_elements_unref (atom->elements);
  g_free (atom->set_name);
  g_free (atom->text);
  g_free (atom);
}

/* Statements */

PalNftStmt *
pal_nft_stmt_new (PalNftStmtKind kind)
{
  PalNftStmt *stmt = g_new0 (PalNftStmt, 1);

  stmt->kind = kind;
  return stmt;
}

PalNftStmt *
pal_nft_stmt_new_verdict (int         verdict,
                          const char *chain)
{
  PalNftStmt *stmt = pal_nft_stmt_new (PAL_NFT_STMT_VERDICT);

  stmt->verdict = verdict;
  stmt->chain = g_strdup (chain);
  return stmt;
}

PalNftStmt *
pal_nft_stmt_copy (const PalNftStmt *stmt)
{
  PalNftStmt *copy = g_memdup2 (stmt, sizeof *stmt);

  copy->set_name = g_strdup (stmt->set_name);
  copy->prefix = g_strdup (stmt->prefix);
  copy->chain = g_strdup (stmt->chain);
  return copy;
}

void
pal_nft_stmt_free (PalNftStmt *stmt)
{
  if (stmt == NULL)
    return;
  g_free (stmt->set_name);
  g_free (stmt->prefix);
  g_free (stmt->chain);
  g_free (stmt);
}

/* Emitting */

static void
add_expr (struct nftnl_rule *rule,
          struct nftnl_expr *expr)
{
  nftnl_rule_add_expr (rule, expr);
}

static void
emit_load (const PalNftAtom  *atom,
           struct nftnl_rule *rule)
{
  const PalNftFieldInfo *info = pal_nft_field_info (atom->field);
  struct nftnl_expr *expr = NULL;

  switch (info->load)
    {
    case PAL_NFT_LOAD_META:
      expr = nftnl_expr_alloc ("meta");
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_META_KEY, info->key);
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_META_DREG, NFT_REG_1);
      break;
    case PAL_NFT_LOAD_PAYLOAD:
      expr = nftnl_expr_alloc ("payload");
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_PAYLOAD_BASE, info->key);
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_PAYLOAD_OFFSET, info->offset);
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_PAYLOAD_LEN, info->length);
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
      break;
    case PAL_NFT_LOAD_CT:
      expr = nftnl_expr_alloc ("ct");
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_CT_KEY, info->key);
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_CT_DREG, NFT_REG_1);
      break;
    case PAL_NFT_LOAD_EXTHDR:
      expr = nftnl_expr_alloc ("exthdr");
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_EXTHDR_OP, info->key);
      nftnl_expr_set_u8 (expr, NFTNL_EXPR_EXTHDR_TYPE,
                         info->exthdr_type != 0 ? info->exthdr_type : atom->kind);
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_EXTHDR_OFFSET, info->offset);
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_EXTHDR_LEN, info->length);
      if (info->presence)
        nftnl_expr_set_u32 (expr, NFTNL_EXPR_EXTHDR_FLAGS, NFT_EXTHDR_F_PRESENT);
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_EXTHDR_DREG, NFT_REG_1);
      break;
    case PAL_NFT_LOAD_SOCKET:
      expr = nftnl_expr_alloc ("socket");
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_SOCKET_KEY, info->key);
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_SOCKET_LEVEL, atom->level);
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_SOCKET_DREG, NFT_REG_1);
      break;
    default:
      g_assert_not_reached ();
    }
  add_expr (rule, expr);

  /* Ranges and sets compare bytes in order, so host-order fields go to
   * network order first (as nft does for meta hour, length, …). */
  if (info->swap != 0)
    {
      expr = nftnl_expr_alloc ("byteorder");
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_BYTEORDER_SREG, NFT_REG_1);
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_BYTEORDER_DREG, NFT_REG_1);
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_BYTEORDER_OP, NFT_BYTEORDER_HTON);
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_BYTEORDER_LEN, info->length);
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_BYTEORDER_SIZE, info->swap);
      add_expr (rule, expr);
    }
}

void
pal_nft_atom_emit (const PalNftAtom  *atom,
                   struct nftnl_rule *rule,
                   const char        *set_name,
                   guint32            set_id)
{
  guint length = pal_nft_field_get_length (atom->field);
  struct nftnl_expr *expr;

  emit_load (atom, rule);
  if (atom->has_mask)
    {
      guint8 zero[16] = { 0 };

      expr = nftnl_expr_alloc ("bitwise");
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_BITWISE_LEN, length);
      nftnl_expr_set (expr, NFTNL_EXPR_BITWISE_MASK, atom->mask, length);
      nftnl_expr_set (expr, NFTNL_EXPR_BITWISE_XOR, zero, length);
      add_expr (rule, expr);
    }

  switch (atom->test)
    {
    case PAL_NFT_TEST_CMP:
      expr = nftnl_expr_alloc ("cmp");
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_CMP_OP, atom->negated ? NFT_CMP_NEQ : NFT_CMP_EQ);
      nftnl_expr_set (expr, NFTNL_EXPR_CMP_DATA, atom->value, length);
      break;
    case PAL_NFT_TEST_RANGE:
      expr = nftnl_expr_alloc ("range");
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_RANGE_SREG, NFT_REG_1);
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_RANGE_OP, atom->negated ? NFT_RANGE_NEQ : NFT_RANGE_EQ);
      nftnl_expr_set (expr, NFTNL_EXPR_RANGE_FROM_DATA, atom->value, length);
      nftnl_expr_set (expr, NFTNL_EXPR_RANGE_TO_DATA, atom->value_to, length);
      break;
    case PAL_NFT_TEST_LOOKUP:
      expr = nftnl_expr_alloc ("lookup");
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_LOOKUP_SREG, NFT_REG_1);
      if (atom->set_name != NULL)
        nftnl_expr_set_str (expr, NFTNL_EXPR_LOOKUP_SET, atom->set_name);
      else
        {
          g_return_if_fail (set_name != NULL);
          nftnl_expr_set_str (expr, NFTNL_EXPR_LOOKUP_SET, set_name);
          nftnl_expr_set_u32 (expr, NFTNL_EXPR_LOOKUP_SET_ID, set_id);
        }
      if (atom->negated)
        nftnl_expr_set_u32 (expr, NFTNL_EXPR_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
      break;
    default:
      g_assert_not_reached ();
    }
  add_expr (rule, expr);
}

static void
emit_dynset (struct nftnl_rule *rule,
             const char        *set_name,
             guint64            timeout_ms)
{
  struct nftnl_expr *expr = nftnl_expr_alloc ("dynset");

  nftnl_expr_set_u32 (expr, NFTNL_EXPR_DYNSET_SREG_KEY, NFT_REG_1);
  nftnl_expr_set_u32 (expr, NFTNL_EXPR_DYNSET_OP, NFT_DYNSET_OP_UPDATE);
  nftnl_expr_set_str (expr, NFTNL_EXPR_DYNSET_SET_NAME, set_name);
  if (timeout_ms != 0)
    nftnl_expr_set_u64 (expr, NFTNL_EXPR_DYNSET_TIMEOUT, timeout_ms);
  add_expr (rule, expr);
}

void
pal_nft_stmt_emit (const PalNftStmt  *stmt,
                   struct nftnl_rule *rule)
{
  struct nftnl_expr *expr;

  switch (stmt->kind)
    {
    case PAL_NFT_STMT_COUNT:
      {
        guint8 key[4];

        pal_nft_put_be (key, 4, stmt->key);
        expr = nftnl_expr_alloc ("immediate");
        nftnl_expr_set_u32 (expr, NFTNL_EXPR_IMM_DREG, NFT_REG_1);
        nftnl_expr_set (expr, NFTNL_EXPR_IMM_DATA, key, sizeof key);
        add_expr (rule, expr);
        emit_dynset (rule, stmt->set_name, PAL_NFT_HITS_TIMEOUT_MS);
        return;
      }
    case PAL_NFT_STMT_UPDATE:
      {
        PalNftAtom load = { .field = stmt->field };

        emit_load (&load, rule);
        emit_dynset (rule, stmt->set_name, stmt->timeout_ms);
        return;
      }
    case PAL_NFT_STMT_LOG:
      expr = nftnl_expr_alloc ("log");
      nftnl_expr_set_u16 (expr, NFTNL_EXPR_LOG_GROUP, stmt->group);
      if (stmt->prefix != NULL && *stmt->prefix != '\0')
        nftnl_expr_set_str (expr, NFTNL_EXPR_LOG_PREFIX, stmt->prefix);
      break;
    case PAL_NFT_STMT_LIMIT:
      expr = nftnl_expr_alloc ("limit");
      nftnl_expr_set_u64 (expr, NFTNL_EXPR_LIMIT_RATE, stmt->rate);
      nftnl_expr_set_u64 (expr, NFTNL_EXPR_LIMIT_UNIT, stmt->unit);
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_LIMIT_BURST, stmt->burst);
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_LIMIT_TYPE, NFT_LIMIT_PKTS);
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_LIMIT_FLAGS, stmt->under ? 0 : NFT_LIMIT_F_INV);
      break;
    case PAL_NFT_STMT_REJECT:
      expr = nftnl_expr_alloc ("reject");
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_REJECT_TYPE, stmt->reject_type);
      nftnl_expr_set_u8 (expr, NFTNL_EXPR_REJECT_CODE, stmt->reject_code);
      break;
    case PAL_NFT_STMT_VERDICT:
      expr = nftnl_expr_alloc ("immediate");
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
      nftnl_expr_set_u32 (expr, NFTNL_EXPR_IMM_VERDICT, (guint32) stmt->verdict);
      if (stmt->chain != NULL)
        nftnl_expr_set_str (expr, NFTNL_EXPR_IMM_CHAIN, stmt->chain);
      break;
    default:
      g_assert_not_reached ();
    }
  add_expr (rule, expr);
}

/* Canonical text */

/* Canonical texts are made for every rule of every apply: no printf. */
static void
append_hex (GString      *out,
            const guint8 *data,
            guint         length)
{
  static const char digits[] = "0123456789abcdef";
  gsize at = out->len;
  char *to;

  /* Into place, not a character at a time: a rule's userdata is ~100 bytes. */
  g_string_set_size (out, at + 2 * (gsize) length);
  to = out->str + at;
  for (guint i = 0; i < length; i++)
    {
      *to++ = digits[data[i] >> 4];
      *to++ = digits[data[i] & 15];
    }
}

static void
append_number (GString *out,
               guint64  number)
{
  char buffer[24];
  int at = sizeof buffer;

  do
    {
      buffer[--at] = (char) ('0' + number % 10);
      number /= 10;
    }
  while (number > 0);
  g_string_append_len (out, buffer + at, sizeof buffer - at);
}

gboolean
pal_nft_atom_equal (const PalNftAtom *a,
                    const PalNftAtom *b)
{
  guint length = pal_nft_field_get_length (a->field);

  if (a->field != b->field || a->kind != b->kind || a->level != b->level || a->test != b->test
      || a->negated != b->negated || a->has_mask != b->has_mask
      || (a->has_mask && memcmp (a->mask, b->mask, length) != 0)
      || g_strcmp0 (a->set_name, b->set_name) != 0 || (a->elements == NULL) != (b->elements == NULL))
    return FALSE;
  if (a->test == PAL_NFT_TEST_CMP || a->test == PAL_NFT_TEST_RANGE)
    return memcmp (a->value, b->value, length) == 0
           && (a->test != PAL_NFT_TEST_RANGE || memcmp (a->value_to, b->value_to, length) == 0);
  if (a->elements == NULL || a->elements == b->elements)
    return TRUE;
  return pal_nft_elements_equal (a->elements, b->elements);
}

void
pal_nft_atom_canon (const PalNftAtom *atom,
                    GString          *out)
{
  guint length = pal_nft_field_get_length (atom->field);

  g_string_append_c (out, 'f');
  append_number (out, atom->field);
  g_string_append_c (out, '.');
  append_number (out, atom->kind);
  g_string_append_c (out, '.');
  append_number (out, atom->level);
  g_string_append (out, " t");
  append_number (out, atom->test);
  if (atom->negated)
    g_string_append_c (out, '!');
  if (atom->has_mask)
    {
      g_string_append (out, " m");
      append_hex (out, atom->mask, length);
    }
  switch (atom->test)
    {
    case PAL_NFT_TEST_CMP:
      g_string_append_c (out, ' ');
      append_hex (out, atom->value, length);
      break;
    case PAL_NFT_TEST_RANGE:
      g_string_append_c (out, ' ');
      append_hex (out, atom->value, length);
      g_string_append_c (out, '-');
      append_hex (out, atom->value_to, length);
      break;
    case PAL_NFT_TEST_LOOKUP:
      if (atom->set_name != NULL)
        g_string_append_printf (out, " @%s", atom->set_name);
      else
        for (guint i = 0; i < atom->elements->ranges->len; i++)
          {
            PalNftRange *range = &g_array_index (atom->elements->ranges, PalNftRange, i);

            g_string_append_c (out, ' ');
            append_hex (out, range->first, length);
            g_string_append_c (out, '-');
            append_hex (out, range->last, length);
          }
      break;
    default:
      break;
    }
  g_string_append_c (out, ';');
}

void
pal_nft_stmt_canon (const PalNftStmt *stmt,
                    GString          *out)
{
  switch (stmt->kind)
    {
    case PAL_NFT_STMT_COUNT:
      g_string_append (out, "count @");
      g_string_append (out, stmt->set_name);
      g_string_append_c (out, ' ');
      append_number (out, stmt->key);
      g_string_append_c (out, ';');
      break;
    case PAL_NFT_STMT_UPDATE:
      g_string_append_printf (out, "update @%s f%u %" G_GUINT64_FORMAT ";",
                              stmt->set_name, stmt->field, stmt->timeout_ms);
      break;
    case PAL_NFT_STMT_LOG:
      g_string_append_printf (out, "log %u \"%s\";", stmt->group,
                              stmt->prefix != NULL ? stmt->prefix : "");
      break;
    case PAL_NFT_STMT_LIMIT:
      g_string_append_printf (out, "limit %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " %u%s;",
                              stmt->rate, stmt->unit, stmt->burst, stmt->under ? " under" : "");
      break;
    case PAL_NFT_STMT_REJECT:
      g_string_append_printf (out, "reject %u %u;", stmt->reject_type, stmt->reject_code);
      break;
    case PAL_NFT_STMT_VERDICT:
      g_string_append (out, "verdict ");
      if (stmt->verdict < 0)
        g_string_append_c (out, '-');
      append_number (out, (guint64) ABS (stmt->verdict));
      g_string_append_c (out, ' ');
      if (stmt->chain != NULL)
        g_string_append (out, stmt->chain);
      g_string_append_c (out, ';');
      break;
    default:
      break;
    }
}
