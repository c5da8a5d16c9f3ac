/* pal-nft-expr-parse.c — a kernel rule's expressions back into atoms and
 * statements. Only the shapes pal-nft-expr.c emits are accepted: anything
 * else marks the rule as another program's.
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

typedef struct
{
  PalNftSetResolver  resolve;
  gpointer           user_data;
  GPtrArray         *atoms;
  GPtrArray         *stmts;
  /* What register 1 holds, between a load and its test. */
  gboolean           loaded;
  PalNftField        field;
  guint8             kind;
  guint8             level;
  gboolean           swapped;
  gboolean           has_mask;
  guint8             mask[16];
  gboolean           immediate;
  guint32            immediate_key;
} Parser;

static gboolean
find_field (PalNftLoad   load,
            guint32      key,
            guint32      offset,
            guint32      length,
            gboolean     presence,
            guint8       exthdr_type,
            PalNftField *field)
{
  for (guint i = 0; i < PAL_NFT_N_FIELDS; i++)
    {
      const PalNftFieldInfo *info = pal_nft_field_info (i);

      if (info->load != load || info->key != key)
        continue;
      if (load == PAL_NFT_LOAD_PAYLOAD && (info->offset != offset || info->length != length))
        continue;
      if (load == PAL_NFT_LOAD_EXTHDR
          && (info->presence != presence || info->offset != offset || info->length != length
              || (info->exthdr_type != 0 && info->exthdr_type != exthdr_type)))
        continue;
      *field = i;
      return TRUE;
    }
  return FALSE;
}

static gboolean
start_load (Parser      *parser,
            PalNftField  field)
{
  if (parser->loaded || parser->immediate)
    return FALSE;
  parser->loaded = TRUE;
  parser->field = field;
  parser->kind = 0;
  parser->level = 0;
  parser->swapped = FALSE;
  parser->has_mask = FALSE;
  return TRUE;
}

static gboolean
parse_load (Parser            *parser,
            const char        *name,
            struct nftnl_expr *expr)
{
  PalNftField field;

  if (g_str_equal (name, "meta"))
    {
      if (!nftnl_expr_is_set (expr, NFTNL_EXPR_META_DREG)
          || !find_field (PAL_NFT_LOAD_META, nftnl_expr_get_u32 (expr, NFTNL_EXPR_META_KEY),
                          0, 0, FALSE, 0, &field))
        return FALSE;
      return start_load (parser, field);
    }
  if (g_str_equal (name, "payload"))
    {
      if (!nftnl_expr_is_set (expr, NFTNL_EXPR_PAYLOAD_DREG)
          || !find_field (PAL_NFT_LOAD_PAYLOAD, nftnl_expr_get_u32 (expr, NFTNL_EXPR_PAYLOAD_BASE),
                          nftnl_expr_get_u32 (expr, NFTNL_EXPR_PAYLOAD_OFFSET),
                          nftnl_expr_get_u32 (expr, NFTNL_EXPR_PAYLOAD_LEN), FALSE, 0, &field))
        return FALSE;
      return start_load (parser, field);
    }
  if (g_str_equal (name, "ct"))
    {
      if (!find_field (PAL_NFT_LOAD_CT, nftnl_expr_get_u32 (expr, NFTNL_EXPR_CT_KEY),
                       0, 0, FALSE, 0, &field)
          || nftnl_expr_is_set (expr, NFTNL_EXPR_CT_DIR))
        return FALSE;
      return start_load (parser, field);
    }
  if (g_str_equal (name, "exthdr"))
    {
      guint32 flags = nftnl_expr_is_set (expr, NFTNL_EXPR_EXTHDR_FLAGS)
                      ? nftnl_expr_get_u32 (expr, NFTNL_EXPR_EXTHDR_FLAGS) : 0;
      guint8 type = nftnl_expr_get_u8 (expr, NFTNL_EXPR_EXTHDR_TYPE);

      if (!nftnl_expr_is_set (expr, NFTNL_EXPR_EXTHDR_DREG)
          || !find_field (PAL_NFT_LOAD_EXTHDR, nftnl_expr_get_u32 (expr, NFTNL_EXPR_EXTHDR_OP),
                          nftnl_expr_get_u32 (expr, NFTNL_EXPR_EXTHDR_OFFSET),
                          nftnl_expr_get_u32 (expr, NFTNL_EXPR_EXTHDR_LEN),
                          (flags & NFT_EXTHDR_F_PRESENT) != 0, type, &field)
          || !start_load (parser, field))
        return FALSE;
      if (pal_nft_field_info (field)->exthdr_type == 0)
        parser->kind = type;
      return TRUE;
    }
  if (g_str_equal (name, "socket"))
    {
      if (!find_field (PAL_NFT_LOAD_SOCKET, nftnl_expr_get_u32 (expr, NFTNL_EXPR_SOCKET_KEY),
                       0, 0, FALSE, 0, &field)
          || !start_load (parser, field))
        return FALSE;
      parser->level = (guint8) nftnl_expr_get_u32 (expr, NFTNL_EXPR_SOCKET_LEVEL);
      return TRUE;
    }
  return FALSE;
}

static gboolean
get_data (struct nftnl_expr *expr,
          guint16            attr,
          guint              length,
          guint8            *out)
{
  guint32 data_length = 0;
  const void *data = nftnl_expr_get (expr, attr, &data_length);

  if (data == NULL || data_length < length || length > 16)
    return FALSE;
  memset (out, 0, 16);
  memcpy (out, data, length);
  return TRUE;
}

static PalNftAtom *
new_loaded_atom (Parser     *parser,
                 PalNftTest  test)
{
  PalNftAtom *atom = g_new0 (PalNftAtom, 1);

  atom->field = parser->field;
  atom->kind = parser->kind;
  atom->level = parser->level;
  atom->test = test;
  atom->has_mask = parser->has_mask;
  memcpy (atom->mask, parser->mask, 16);
  parser->loaded = FALSE;
  return atom;
}

static gboolean
finish_atom (Parser            *parser,
             const char        *name,
             struct nftnl_expr *expr)
{
  guint length = pal_nft_field_get_length (parser->field);
  const PalNftFieldInfo *info = pal_nft_field_info (parser->field);
  g_autoptr(PalNftAtom) atom = NULL;

  if (!parser->loaded || (info->swap != 0) != parser->swapped)
    return FALSE;
  if (g_str_equal (name, "cmp"))
    {
      guint32 op = nftnl_expr_get_u32 (expr, NFTNL_EXPR_CMP_OP);

      atom = new_loaded_atom (parser, PAL_NFT_TEST_CMP);
      if ((op != NFT_CMP_EQ && op != NFT_CMP_NEQ)
          || !get_data (expr, NFTNL_EXPR_CMP_DATA, length, atom->value))
        return FALSE;
      atom->negated = op == NFT_CMP_NEQ;
      if (info->presence && atom->negated)
        return FALSE;
    }
  else if (g_str_equal (name, "range"))
    {
      guint32 op = nftnl_expr_get_u32 (expr, NFTNL_EXPR_RANGE_OP);

      atom = new_loaded_atom (parser, PAL_NFT_TEST_RANGE);
      if (!get_data (expr, NFTNL_EXPR_RANGE_FROM_DATA, length, atom->value)
          || !get_data (expr, NFTNL_EXPR_RANGE_TO_DATA, length, atom->value_to))
        return FALSE;
      atom->negated = op == NFT_RANGE_NEQ;
    }
  else if (g_str_equal (name, "lookup"))
    {
      const char *set = nftnl_expr_get_str (expr, NFTNL_EXPR_LOOKUP_SET);
      guint32 flags = nftnl_expr_is_set (expr, NFTNL_EXPR_LOOKUP_FLAGS)
                      ? nftnl_expr_get_u32 (expr, NFTNL_EXPR_LOOKUP_FLAGS) : 0;

      if (set == NULL || nftnl_expr_is_set (expr, NFTNL_EXPR_LOOKUP_DREG))
        return FALSE;
      atom = new_loaded_atom (parser, PAL_NFT_TEST_LOOKUP);
      atom->negated = (flags & NFT_LOOKUP_F_INV) != 0;
      if (!g_str_has_prefix (set, "__set"))
        atom->set_name = g_strdup (set);
      else if (parser->resolve == NULL
               || (atom->elements = parser->resolve (set, parser->user_data)) == NULL
               || atom->elements->key_length != length)
        return FALSE;
      else
        atom->elements->field = atom->field;
    }
  else
    return FALSE;

  g_ptr_array_add (parser->atoms, g_steal_pointer (&atom));
  return TRUE;
}

static gboolean
parse_modifier (Parser            *parser,
                const char        *name,
                struct nftnl_expr *expr)
{
  const PalNftFieldInfo *info;

  if (!parser->loaded)
    return FALSE;
  info = pal_nft_field_info (parser->field);
  if (g_str_equal (name, "byteorder"))
    {
      if (info->swap == 0 || parser->swapped || parser->has_mask
          || nftnl_expr_get_u32 (expr, NFTNL_EXPR_BYTEORDER_OP) != NFT_BYTEORDER_HTON
          || nftnl_expr_get_u32 (expr, NFTNL_EXPR_BYTEORDER_SIZE) != info->swap
          || nftnl_expr_get_u32 (expr, NFTNL_EXPR_BYTEORDER_LEN) != info->length)
        return FALSE;
      parser->swapped = TRUE;
      return TRUE;
    }
  if (g_str_equal (name, "bitwise"))
    {
      guint8 xor[16];

      if (parser->has_mask
          || (nftnl_expr_is_set (expr, NFTNL_EXPR_BITWISE_OP)
              && nftnl_expr_get_u32 (expr, NFTNL_EXPR_BITWISE_OP) != NFT_BITWISE_BOOL)
          || !get_data (expr, NFTNL_EXPR_BITWISE_MASK, info->length, parser->mask)
          || !get_data (expr, NFTNL_EXPR_BITWISE_XOR, info->length, xor))
        return FALSE;
      for (guint i = 0; i < info->length; i++)
        if (xor[i] != 0)
          return FALSE;
      parser->has_mask = TRUE;
      return TRUE;
    }
  return FALSE;
}

static gboolean
parse_dynset (Parser            *parser,
              struct nftnl_expr *expr)
{
  g_autoptr(PalNftStmt) stmt = NULL;
  const char *set = nftnl_expr_get_str (expr, NFTNL_EXPR_DYNSET_SET_NAME);
  guint64 timeout = nftnl_expr_is_set (expr, NFTNL_EXPR_DYNSET_TIMEOUT)
                    ? nftnl_expr_get_u64 (expr, NFTNL_EXPR_DYNSET_TIMEOUT) : 0;

  if (set == NULL || nftnl_expr_get_u32 (expr, NFTNL_EXPR_DYNSET_OP) != NFT_DYNSET_OP_UPDATE
      || nftnl_expr_is_set (expr, NFTNL_EXPR_DYNSET_SREG_DATA))
    return FALSE;
  if (parser->immediate)
    {
      stmt = pal_nft_stmt_new (PAL_NFT_STMT_COUNT);
      stmt->key = parser->immediate_key;
      parser->immediate = FALSE;
      if (timeout != PAL_NFT_HITS_TIMEOUT_MS)
        return FALSE;
    }
  else if (parser->loaded && !parser->has_mask && !parser->swapped)
    {
      stmt = pal_nft_stmt_new (PAL_NFT_STMT_UPDATE);
      stmt->field = parser->field;
      stmt->timeout_ms = timeout;
      parser->loaded = FALSE;
    }
  else
    return FALSE;
  stmt->set_name = g_strdup (set);
  g_ptr_array_add (parser->stmts, g_steal_pointer (&stmt));
  return TRUE;
}

static gboolean
parse_immediate (Parser            *parser,
                 struct nftnl_expr *expr)
{
  g_autoptr(PalNftStmt) stmt = NULL;

  if (parser->loaded || parser->immediate)
    return FALSE;
  if (nftnl_expr_get_u32 (expr, NFTNL_EXPR_IMM_DREG) == NFT_REG_1)
    {
      guint8 key[16];
      guint32 length = 0;

      nftnl_expr_get (expr, NFTNL_EXPR_IMM_DATA, &length);
      if (length != 4 || !get_data (expr, NFTNL_EXPR_IMM_DATA, 4, key))
        return FALSE;
      parser->immediate = TRUE;
      parser->immediate_key = (guint32) pal_nft_get_be (key, 4);
      return TRUE;
    }
  if (nftnl_expr_get_u32 (expr, NFTNL_EXPR_IMM_DREG) != NFT_REG_VERDICT)
    return FALSE;
  stmt = pal_nft_stmt_new_verdict ((int) nftnl_expr_get_u32 (expr, NFTNL_EXPR_IMM_VERDICT),
                                   nftnl_expr_get_str (expr, NFTNL_EXPR_IMM_CHAIN));
  g_ptr_array_add (parser->stmts, g_steal_pointer (&stmt));
  return TRUE;
}

static gboolean
parse_statement (Parser            *parser,
                 const char        *name,
                 struct nftnl_expr *expr)
{
  g_autoptr(PalNftStmt) stmt = NULL;

  if (parser->loaded || parser->immediate)
    return FALSE;
  if (g_str_equal (name, "log"))
    {
      stmt = pal_nft_stmt_new (PAL_NFT_STMT_LOG);
      stmt->group = nftnl_expr_get_u16 (expr, NFTNL_EXPR_LOG_GROUP);
      stmt->prefix = g_strdup (nftnl_expr_get_str (expr, NFTNL_EXPR_LOG_PREFIX));
      if (!nftnl_expr_is_set (expr, NFTNL_EXPR_LOG_GROUP))
        return FALSE;
    }
  else if (g_str_equal (name, "limit"))
    {
      stmt = pal_nft_stmt_new (PAL_NFT_STMT_LIMIT);
      stmt->rate = nftnl_expr_get_u64 (expr, NFTNL_EXPR_LIMIT_RATE);
      stmt->unit = nftnl_expr_get_u64 (expr, NFTNL_EXPR_LIMIT_UNIT);
      stmt->burst = nftnl_expr_get_u32 (expr, NFTNL_EXPR_LIMIT_BURST);
      stmt->under = nftnl_expr_get_u32 (expr, NFTNL_EXPR_LIMIT_FLAGS) == 0;
      if (nftnl_expr_get_u32 (expr, NFTNL_EXPR_LIMIT_TYPE) != NFT_LIMIT_PKTS
          || (!stmt->under && nftnl_expr_get_u32 (expr, NFTNL_EXPR_LIMIT_FLAGS) != NFT_LIMIT_F_INV))
        return FALSE;
    }
  else if (g_str_equal (name, "reject"))
    {
      stmt = pal_nft_stmt_new (PAL_NFT_STMT_REJECT);
      stmt->reject_type = nftnl_expr_get_u32 (expr, NFTNL_EXPR_REJECT_TYPE);
      stmt->reject_code = nftnl_expr_get_u8 (expr, NFTNL_EXPR_REJECT_CODE);
    }
  else
    return FALSE;
  g_ptr_array_add (parser->stmts, g_steal_pointer (&stmt));
  return TRUE;
}

static gboolean
parse_expr (Parser            *parser,
            struct nftnl_expr *expr)
{
  const char *name = nftnl_expr_get_str (expr, NFTNL_EXPR_NAME);

  if (name == NULL)
    return FALSE;
  /* Statements come after every atom. */
  if (parser->stmts->len > 0
      && (g_str_equal (name, "cmp") || g_str_equal (name, "range") || g_str_equal (name, "lookup")))
    return FALSE;
  if (g_str_equal (name, "cmp") || g_str_equal (name, "range") || g_str_equal (name, "lookup"))
    return finish_atom (parser, name, expr);
  if (g_str_equal (name, "byteorder") || g_str_equal (name, "bitwise"))
    return parse_modifier (parser, name, expr);
  if (g_str_equal (name, "dynset"))
    return parse_dynset (parser, expr);
  if (g_str_equal (name, "immediate"))
    return parse_immediate (parser, expr);
  if (g_str_equal (name, "log") || g_str_equal (name, "limit") || g_str_equal (name, "reject"))
    return parse_statement (parser, name, expr);
  return parse_load (parser, name, expr);
}

/* ICMP types and the ports share loads with other fields (the first bytes
 * of the transport header): the protocol tested before tells them apart. */
static void
fix_transport_fields (GPtrArray *atoms)
{
  int protocol = -1;

  for (guint i = 0; i < atoms->len; i++)
    {
      PalNftAtom *atom = g_ptr_array_index (atoms, i);

      if (atom->field == PAL_NFT_FIELD_L4PROTO && atom->test == PAL_NFT_TEST_CMP && !atom->negated)
        protocol = atom->value[0];
      else if (atom->field == PAL_NFT_FIELD_ICMP_TYPE && protocol == 58)
        atom->field = PAL_NFT_FIELD_ICMPV6_TYPE;
      else if (atom->field == PAL_NFT_FIELD_TH_SPORT && (protocol == 1 || protocol == 58))
        atom->field = PAL_NFT_FIELD_ICMP_TYPE_CODE;
      else
        continue;
      if (atom->elements != NULL)
        atom->elements->field = atom->field;
    }
}

gboolean
pal_nft_parse_rule (const struct nftnl_rule  *rule,
                    PalNftSetResolver         resolve,
                    gpointer                  user_data,
                    GPtrArray               **atoms,
                    GPtrArray               **stmts)
{
  Parser parser = { 0, };
  struct nftnl_expr_iter *iter;
  struct nftnl_expr *expr;
  gboolean ok = TRUE;

  parser.resolve = resolve;
  parser.user_data = user_data;
  parser.atoms = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_nft_atom_free);
  parser.stmts = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_nft_stmt_free);

  iter = nftnl_expr_iter_create (rule);
  while (ok && (expr = nftnl_expr_iter_next (iter)) != NULL)
    ok = parse_expr (&parser, expr);
  nftnl_expr_iter_destroy (iter);

  if (!ok || parser.loaded || parser.immediate)
    {
      g_ptr_array_unref (parser.atoms);
      g_ptr_array_unref (parser.stmts);
      return FALSE;
    }
  fix_transport_fields (parser.atoms);
  *atoms = parser.atoms;
  *stmts = parser.stmts;
  return TRUE;
}
