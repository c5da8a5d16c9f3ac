/* pal-nft-plan.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <stdio.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/udata.h>
#include <string.h>

#include "pal-nft-plan.h"
#include "pal-rule.h"

/* Palisade's userdata TLVs; nft ignores types it does not know. */
enum
{
  UDATA_ROLE = 0xa0,
  UDATA_RULE = 0xa1,
  UDATA_VALUE = 0xa2,
  UDATA_NAME = 0xa3,
  UDATA_PARENT = 0xa4,
  UDATA_DURATION = 0xa5,
  UDATA_PIECE = 0xa6,
};

#define UDATA_MAX 256
/* Values longer than this are read back from the expressions instead. */
#define UDATA_VALUE_MAX 120
#define TYPE_MARK 19

static void
set_def_free (PalNftSetDef *set)
{
  g_free (set->name);
  pal_nft_elements_unref (set->elements);
  g_free (set);
}

static void
chain_free (PalNftChain *chain)
{
  g_free (chain->name);
  g_ptr_array_unref (chain->rules);
  g_free (chain);
}

PalNftPlan *
pal_nft_plan_new (void)
{
  PalNftPlan *plan = g_new0 (PalNftPlan, 1);

  plan->sets = g_ptr_array_new_with_free_func ((GDestroyNotify) set_def_free);
  plan->chains = g_ptr_array_new_with_free_func ((GDestroyNotify) chain_free);
  plan->keys = g_hash_table_new_full (pal_id_hash, g_str_equal, g_free, NULL);
  plan->chain_index = g_hash_table_new (g_str_hash, g_str_equal);
  plan->set_index = g_hash_table_new (g_str_hash, g_str_equal);
  return plan;
}

void
pal_nft_plan_free (PalNftPlan *plan)
{
  if (plan == NULL)
    return;
  g_ptr_array_unref (plan->sets);
  g_ptr_array_unref (plan->chains);
  g_hash_table_unref (plan->keys);
  g_hash_table_unref (plan->chain_index);
  g_hash_table_unref (plan->set_index);
  g_free (plan);
}

PalNftChain *
pal_nft_plan_add_chain (PalNftPlan *plan,
                        const char *name,
                        gint        hook)
{
  PalNftChain *chain = g_new0 (PalNftChain, 1);

  g_return_val_if_fail (pal_nft_plan_lookup_chain (plan, name) == NULL, NULL);

  chain->name = g_strdup (name);
  chain->hook = hook;
  chain->priority = PAL_NFT_PRIORITY;
  chain->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_nft_kernel_rule_unref);
  g_ptr_array_add (plan->chains, chain);
  g_hash_table_insert (plan->chain_index, chain->name, chain);
  return chain;
}

PalNftChain *
pal_nft_plan_lookup_chain (PalNftPlan *plan,
                           const char *name)
{
  return g_hash_table_lookup (plan->chain_index, name);
}

PalNftSetDef *
pal_nft_plan_add_set (PalNftPlan     *plan,
                      const char     *name,
                      PalNftSetKind   kind,
                      PalNftField     field)
{
  PalNftSetDef *set = g_new0 (PalNftSetDef, 1);

  set->name = g_strdup (name);
  set->kind = kind;
  set->field = field;
  g_ptr_array_add (plan->sets, set);
  /* The first of a name wins, as the kernel would have it. */
  if (!g_hash_table_contains (plan->set_index, set->name))
    g_hash_table_insert (plan->set_index, set->name, set);
  return set;
}

PalNftSetDef *
pal_nft_plan_lookup_set (PalNftPlan *plan,
                         const char *name)
{
  return g_hash_table_lookup (plan->set_index, name);
}

gboolean
pal_nft_field_has_list_sets (PalNftField field)
{
  switch (field)
    {
    case PAL_NFT_FIELD_IP_SADDR:
    case PAL_NFT_FIELD_IP_DADDR:
    case PAL_NFT_FIELD_IP6_SADDR:
    case PAL_NFT_FIELD_IP6_DADDR:
    case PAL_NFT_FIELD_TH_SPORT:
    case PAL_NFT_FIELD_TH_DPORT:
    case PAL_NFT_FIELD_L4PROTO:
      return TRUE;
    default:
      return FALSE;
    }
}

char *
pal_nft_list_set_for (PalNftElements *elements)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 length = (guint8) elements->key_length;

  pal_nft_elements_normalize (elements);
  g_checksum_update (checksum, &length, 1);
  for (guint i = 0; i < elements->ranges->len; i++)
    {
      PalNftRange *range = &g_array_index (elements->ranges, PalNftRange, i);

      g_checksum_update (checksum, range->first, length);
      g_checksum_update (checksum, range->last, length);
    }
  /* 64 bits of SHA-256: no two lists of a table meet by chance. */
  return g_strdup_printf (PAL_NFT_LIST_SET_PREFIX "%u-%.16s", (guint) elements->field,
                          g_checksum_get_string (checksum));
}

gboolean
pal_nft_list_set_parse (const char  *name,
                        PalNftField *field)
{
  const char *at = name + strlen (PAL_NFT_LIST_SET_PREFIX);
  char *end = NULL;
  guint64 number;

  if (!g_str_has_prefix (name, PAL_NFT_LIST_SET_PREFIX) || !g_ascii_isdigit (*at))
    return FALSE;
  number = g_ascii_strtoull (at, &end, 10);
  if (number >= PAL_NFT_N_FIELDS || *end != '-' || strlen (end + 1) != 16
      || !pal_nft_field_has_list_sets ((PalNftField) number))
    return FALSE;
  for (const char *c = end + 1; *c != '\0'; c++)
    if (!g_ascii_isxdigit (*c) || g_ascii_isupper (*c))
      return FALSE;
  *field = (PalNftField) number;
  return TRUE;
}

static gboolean
same_rules (PalNftChain *a,
            PalNftChain *b)
{
  if (a->hook != b->hook || a->priority != b->priority || a->foreign != b->foreign
      || a->rules->len != b->rules->len)
    return FALSE;
  for (guint i = 0; i < a->rules->len; i++)
    {
      PalNftKernelRule *x = g_ptr_array_index (a->rules, i);
      PalNftKernelRule *y = g_ptr_array_index (b->rules, i);

      if (x->handle != y->handle || g_strcmp0 (x->canon, y->canon) != 0
          || g_strcmp0 (x->text, y->text) != 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
same_sets (PalNftPlan *a,
           PalNftPlan *b)
{
  if (a->sets->len != b->sets->len)
    return FALSE;
  for (guint i = 0; i < a->sets->len; i++)
    {
      PalNftSetDef *x = g_ptr_array_index (a->sets, i);
      PalNftSetDef *y = pal_nft_plan_lookup_set (b, x->name);

      if (y == NULL || x->kind != y->kind || x->foreign != y->foreign
          || (x->elements == NULL) != (y->elements == NULL))
        return FALSE;
      if (x->elements != NULL && !pal_nft_elements_equal (x->elements, y->elements))
        return FALSE;
    }
  return TRUE;
}

gboolean
pal_nft_plan_same_content (PalNftPlan *a,
                           PalNftPlan *b)
{
  GHashTableIter iter;
  gpointer id, key;

  if (a == NULL || b == NULL)
    return a == b;
  if (a->dormant != b->dormant || a->chains->len != b->chains->len
      || g_hash_table_size (a->keys) != g_hash_table_size (b->keys) || !same_sets (a, b))
    return FALSE;
  for (guint i = 0; i < a->chains->len; i++)
    {
      PalNftChain *chain = g_ptr_array_index (a->chains, i);
      PalNftChain *other = pal_nft_plan_lookup_chain (b, chain->name);

      if (other == NULL || !same_rules (chain, other))
        return FALSE;
    }
  g_hash_table_iter_init (&iter, a->keys);
  while (g_hash_table_iter_next (&iter, &id, &key))
    if (g_hash_table_lookup (b->keys, id) != key)
      return FALSE;
  return TRUE;
}

char *
pal_nft_hits_set_name (guint32 key)
{
  return g_strdup_printf ("hits%u", key / PAL_NFT_HITS_PER_SET);
}

const char *
pal_nft_plan_lookup_key (PalNftPlan *plan,
                         guint32     key)
{
  GHashTableIter iter;
  gpointer id, value;

  if (key == PAL_NFT_DEFAULT_KEY)
    return PAL_NFT_DEFAULT_ID;
  g_hash_table_iter_init (&iter, plan->keys);
  while (g_hash_table_iter_next (&iter, &id, &value))
    if (GPOINTER_TO_UINT (value) == key)
      return id;
  return NULL;
}

char *
pal_nft_slot_key (const PalNftKernelRule *rule,
                  guint                   position,
                  GHashTable             *seen)
{
  GString *key;
  char *base;
  guint copy;

  if (rule->tag.role == PAL_NFT_ROLE_FOREIGN || rule->canon == NULL)
    return g_strdup_printf ("foreign/%u", position);
  /* Built by hand: this runs for every rule of every apply. */
  key = g_string_sized_new (48);
  g_string_append_c (key, (char) ('0' + rule->tag.role));
  g_string_append_c (key, '/');
  if (rule->tag.id != NULL)
    g_string_append (key, rule->tag.id);
  base = g_strdup (key->str);
  copy = GPOINTER_TO_UINT (g_hash_table_lookup (seen, base));
  if (copy > 0)
    g_string_append_printf (key, "/%u", copy);
  g_hash_table_insert (seen, base, GUINT_TO_POINTER (copy + 1));
  return g_string_free (key, FALSE);
}

GArray *
pal_nft_match_slots (GPtrArray *from,
                     GPtrArray *to)
{
  GArray *match = g_array_sized_new (FALSE, FALSE, sizeof (int), to->len);
  g_autoptr(GHashTable) at = NULL;
  g_autoptr(GHashTable) shared = NULL;
  g_autoptr(GHashTable) by_key = NULL;
  g_autoptr(GHashTable) seen = NULL;
  guint head = 0, tail = 0, from_end, to_end;

  g_array_set_size (match, to->len);
  /* The memo's usual case: every rule shared, in the same order, but for
   * a few in the middle. What is the same object at both ends is matched
   * at once; only the middle is hashed (one changed rule among 10,000
   * used to hash them all, twice). */
  while (head < from->len && head < to->len && from->pdata[head] == to->pdata[head])
    {
      g_array_index (match, int, head) = (int) head;
      head++;
    }
  while (tail < from->len - head && tail < to->len - head
         && from->pdata[from->len - 1 - tail] == to->pdata[to->len - 1 - tail])
    {
      g_array_index (match, int, to->len - 1 - tail) = (int) (from->len - 1 - tail);
      tail++;
    }
  from_end = from->len - tail;
  to_end = to->len - tail;
  /* Nothing left on one side (a new chain: nothing before it). */
  if (head == from_end || head == to_end)
    {
      for (guint j = head; j < to_end; j++)
        g_array_index (match, int, j) = -1;
      return match;
    }

  /* The middle. A kernel rule is at most once in a sequence, so what is
   * matched at the ends is nowhere in the middle. */
  at = g_hash_table_new (NULL, NULL);
  shared = g_hash_table_new (NULL, NULL);
  for (guint i = from_end; i-- > head;)
    g_hash_table_insert (at, from->pdata[i], GUINT_TO_POINTER (i + 1));
  for (guint j = head; j < to_end; j++)
    if (g_hash_table_contains (at, to->pdata[j]))
      g_hash_table_add (shared, to->pdata[j]);

  /* The rest by slot key, counted among the rules not shared: a document
   * rule's kernel rules are shared all or none, so the copies count the
   * same as in the whole sequence. */
  by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = head; i < from_end; i++)
    if (!g_hash_table_contains (shared, from->pdata[i]))
      g_hash_table_insert (by_key, pal_nft_slot_key (from->pdata[i], i, seen), GUINT_TO_POINTER (i + 1));
  g_hash_table_remove_all (seen);
  for (guint j = head; j < to_end; j++)
    {
      guint found = GPOINTER_TO_UINT (g_hash_table_lookup (at, to->pdata[j]));

      if (found == 0)
        {
          g_autofree char *key = pal_nft_slot_key (to->pdata[j], j, seen);

          found = GPOINTER_TO_UINT (g_hash_table_lookup (by_key, key));
        }
      g_array_index (match, int, j) = (int) found - 1;
    }
  return match;
}

GPtrArray *
pal_nft_chain_segments (PalNftChain *chain)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; chain != NULL && i < chain->rules->len; i++)
    {
      PalNftKernelRule *rule = g_ptr_array_index (chain->rules, i);
      PalNftStmt *stmt;

      if (rule->tag.role != PAL_NFT_ROLE_SEGMENT || rule->stmts == NULL || rule->stmts->len != 1)
        continue;
      stmt = g_ptr_array_index (rule->stmts, 0);
      if (stmt->kind == PAL_NFT_STMT_VERDICT && stmt->chain != NULL)
        g_ptr_array_add (names, g_strdup (stmt->chain));
    }
  return names;
}

/* Tags */

void
pal_nft_tag_clear (PalNftTag *tag)
{
  g_clear_pointer (&tag->id, g_free);
  g_clear_pointer (&tag->value, g_free);
  g_clear_pointer (&tag->name, g_free);
}

void
pal_nft_tag_copy (const PalNftTag *tag,
                  PalNftTag       *copy)
{
  *copy = *tag;
  copy->id = g_strdup (tag->id);
  copy->value = g_strdup (tag->value);
  copy->name = g_strdup (tag->name);
}

/* The comment nft shows: the rule id, or what the table's own rule does. */
static char *
tag_comment (const PalNftTag *tag)
{
  switch (tag->role)
    {
    case PAL_NFT_ROLE_RULE:
    case PAL_NFT_ROLE_PART:
      return g_strdup (tag->id);
    case PAL_NFT_ROLE_TAIL:
      return g_strdup_printf ("end of %s", tag->id);
    case PAL_NFT_ROLE_DEFAULT:
      return g_strdup ("default verdict");
    case PAL_NFT_ROLE_UNFILTERED:
      return g_strdup ("interfaces not filtered");
    case PAL_NFT_ROLE_SEGMENT:
      return g_strdup ("next segment");
    case PAL_NFT_ROLE_INERT:
      return g_strdup_printf ("disabled %s", tag->id);
    case PAL_NFT_ROLE_FOREIGN:
    default:
      return NULL;
    }
}

/* The longest prefix of text that fits in room bytes, cut at a character. */
static char *
truncate_utf8 (const char *text,
               gsize       room)
{
  const char *end = text;

  while (*end != '\0')
    {
      const char *next = g_utf8_next_char (end);

      if ((gsize) (next - text) > room)
        break;
      end = next;
    }
  return g_strndup (text, end - text);
}

GBytes *
pal_nft_tag_to_udata (const PalNftTag *tag)
{
  struct nftnl_udata_buf *buf = nftnl_udata_buf_alloc (UDATA_MAX);
  g_autofree char *comment = tag_comment (tag);
  guint8 role = tag->role;
  GBytes *bytes;
  gsize used;

  if (comment != NULL)
    nftnl_udata_put_strz (buf, NFTNL_UDATA_RULE_COMMENT, comment);
  nftnl_udata_put (buf, UDATA_ROLE, 1, &role);
  if (tag->role == PAL_NFT_ROLE_TAIL)
    nftnl_udata_put_strz (buf, UDATA_PARENT, tag->id);
  if (tag->has_rule)
    {
      guint8 rule[3] = { tag->property, tag->relation, tag->action };

      nftnl_udata_put (buf, UDATA_RULE, sizeof rule, rule);
    }
  if (tag->role == PAL_NFT_ROLE_DEFAULT)
    {
      guint8 duration[8];

      pal_nft_put_be (duration, 8, tag->duration);
      nftnl_udata_put (buf, UDATA_DURATION, sizeof duration, duration);
    }
  if (tag->role == PAL_NFT_ROLE_INERT && tag->value != NULL)
    nftnl_udata_put_strz (buf, UDATA_PIECE, tag->value);
  else if (tag->value != NULL && strlen (tag->value) <= UDATA_VALUE_MAX)
    nftnl_udata_put_strz (buf, UDATA_VALUE, tag->value);
  used = nftnl_udata_buf_len (buf);
  if (tag->name != NULL && *tag->name != '\0' && used + 3 < UDATA_MAX)
    {
      g_autofree char *name = truncate_utf8 (tag->name, MIN (UDATA_MAX - used - 3, 254));

      nftnl_udata_put_strz (buf, UDATA_NAME, name);
    }
  bytes = g_bytes_new (nftnl_udata_buf_data (buf), nftnl_udata_buf_len (buf));
  nftnl_udata_buf_free (buf);
  return bytes;
}

static char *
udata_string (const struct nftnl_udata *attr)
{
  const char *value = nftnl_udata_get (attr);
  guint8 length = nftnl_udata_len (attr);

  if (length == 0 || value[length - 1] != '\0' || !g_utf8_validate (value, length - 1, NULL))
    return NULL;
  return g_strdup (value);
}

static int
parse_udata_cb (const struct nftnl_udata *attr,
                void                     *data)
{
  PalNftTag *tag = data;
  const guint8 *value = nftnl_udata_get (attr);
  guint8 length = nftnl_udata_len (attr);

  switch (nftnl_udata_type (attr))
    {
    case NFTNL_UDATA_RULE_COMMENT:
      if (tag->id == NULL)
        tag->id = udata_string (attr);
      break;
    case UDATA_ROLE:
      if (length == 1)
        tag->role = value[0];
      break;
    case UDATA_PARENT:
      g_free (tag->id);
      tag->id = udata_string (attr);
      break;
    case UDATA_RULE:
      if (length == 3 && value[0] < PAL_N_PROPERTIES && value[1] <= PAL_RELATION_IS_NOT
          && value[2] <= PAL_ACTION_COUNT)
        {
          tag->property = value[0];
          tag->relation = value[1];
          tag->action = value[2];
          tag->has_rule = TRUE;
        }
      break;
    case UDATA_VALUE:
    case UDATA_PIECE:
      g_free (tag->value);
      tag->value = udata_string (attr);
      break;
    case UDATA_DURATION:
      if (length == 8)
        tag->duration = pal_nft_get_be (value, 8);
      break;
    case UDATA_NAME:
      tag->name = udata_string (attr);
      break;
    default:
      break;
    }
  return 0;
}

gboolean
pal_nft_tag_from_udata (const void *data,
                        gsize       length,
                        PalNftTag  *tag)
{
  memset (tag, 0, sizeof *tag);
  if (data == NULL || length == 0 || length > UDATA_MAX
      || nftnl_udata_parse (data, length, parse_udata_cb, tag) < 0)
    {
      pal_nft_tag_clear (tag);
      tag->role = PAL_NFT_ROLE_FOREIGN;
      return FALSE;
    }
  /* An inert rule's comment is "disabled <id>". */
  if (tag->role == PAL_NFT_ROLE_INERT && tag->id != NULL && g_str_has_prefix (tag->id, "disabled "))
    {
      char *id = g_strdup (tag->id + strlen ("disabled "));

      g_free (tag->id);
      tag->id = id;
    }
  /* The comment of a tail is text; its id is in its own TLV. */
  if (tag->role < PAL_NFT_ROLE_RULE || tag->role == PAL_NFT_ROLE_FOREIGN
      || tag->role > PAL_NFT_ROLE_INERT
      || (tag->role == PAL_NFT_ROLE_INERT
          && (tag->id == NULL || !g_uuid_string_is_valid (tag->id) || tag->value == NULL))
      || ((tag->role == PAL_NFT_ROLE_RULE || tag->role == PAL_NFT_ROLE_PART
           || tag->role == PAL_NFT_ROLE_TAIL)
          && (tag->id == NULL || !g_uuid_string_is_valid (tag->id))))
    {
      pal_nft_tag_clear (tag);
      tag->role = PAL_NFT_ROLE_FOREIGN;
      return FALSE;
    }
  if (tag->role != PAL_NFT_ROLE_RULE && tag->role != PAL_NFT_ROLE_PART
      && tag->role != PAL_NFT_ROLE_TAIL && tag->role != PAL_NFT_ROLE_INERT)
    g_clear_pointer (&tag->id, g_free);
  return TRUE;
}

/* Kernel rules */

/* The udata at the end of a canon: printable bytes as they are, others
 * (and '\\', and '|', which ends the body) as '\\' and two hex digits.
 * The tag is mostly text (the id, the name): about half the size of
 * hexadecimal, for as long as the rule is kept. */
static const char udata_digits[] = "0123456789abcdef";

static gboolean
udata_plain (guint8 byte)
{
  return byte > ' ' && byte < 0x7f && byte != '\\' && byte != '|';
}

static void
append_udata (GString      *out,
              const guint8 *data,
              gsize         length)
{
  for (gsize i = 0; i < length; i++)
    {
      if (udata_plain (data[i]))
        g_string_append_c (out, (char) data[i]);
      else
        {
          const char escaped[3] = { '\\', udata_digits[data[i] >> 4], udata_digits[data[i] & 15] };

          g_string_append_len (out, escaped, 3);
        }
    }
}

static char *
make_canon (PalNftKernelRule *rule)
{
  g_autoptr(GString) canon = g_string_new (NULL);
  g_autoptr(GBytes) udata = pal_nft_tag_to_udata (&rule->tag);
  const guint8 *data;
  gsize length, canon_length;

  for (guint i = 0; i < rule->atoms->len; i++)
    pal_nft_atom_canon (g_ptr_array_index (rule->atoms, i), canon);
  g_string_append_c (canon, '|');
  for (guint i = 0; i < rule->stmts->len; i++)
    pal_nft_stmt_canon (g_ptr_array_index (rule->stmts, i), canon);
  g_string_append_c (canon, '|');
  data = g_bytes_get_data (udata, &length);
  append_udata (canon, data, length);
  canon_length = canon->len;
  /* Kept as long as the rule (the record, the memo): its own size, not
   * the GString's next power of two (a third of the canons' memory at
   * 100,000 rules). Shrinking in place copies nothing. */
  return g_realloc (g_string_free (g_steal_pointer (&canon), FALSE), canon_length + 1);
}

/* Takes the tag's contents and the arrays. */
PalNftKernelRule *
pal_nft_kernel_rule_new (PalNftTag *tag,
                         GPtrArray *atoms,
                         GPtrArray *stmts)
{
  PalNftKernelRule *rule = g_new0 (PalNftKernelRule, 1);

  g_atomic_ref_count_init (&rule->ref_count);
  rule->tag = *tag;
  memset (tag, 0, sizeof *tag);
  rule->atoms = atoms;
  rule->stmts = stmts;
  if (atoms != NULL && stmts != NULL)
    rule->canon = make_canon (rule);
  return rule;
}

gboolean
pal_nft_kernel_rule_has_udata (const PalNftKernelRule *rule,
                               const void             *data,
                               gsize                   length)
{
  const guint8 *bytes = data;
  const char *tail;

  if (rule->canon == NULL || (tail = strrchr (rule->canon, '|')) == NULL)
    return FALSE;
  tail++;
  for (gsize i = 0; i < length; i++)
    {
      if (udata_plain (bytes[i]))
        {
          if (*tail++ != (char) bytes[i])
            return FALSE;
        }
      else if (tail[0] != '\\' || tail[1] != udata_digits[bytes[i] >> 4]
               || tail[2] != udata_digits[bytes[i] & 15])
        return FALSE;
      else
        tail += 3;
    }
  return *tail == '\0';
}

PalNftKernelRule *
pal_nft_kernel_rule_ref (PalNftKernelRule *rule)
{
  g_atomic_ref_count_inc (&rule->ref_count);
  return rule;
}

void
pal_nft_kernel_rule_unref (PalNftKernelRule *rule)
{
  if (rule == NULL || !g_atomic_ref_count_dec (&rule->ref_count))
    return;
  pal_nft_tag_clear (&rule->tag);
  g_clear_pointer (&rule->atoms, g_ptr_array_unref);
  g_clear_pointer (&rule->stmts, g_ptr_array_unref);
  g_free (rule->canon);
  g_free (rule->text);
  g_free (rule->path);
  g_free (rule);
}

char *
pal_nft_kernel_rule_to_text (const PalNftKernelRule *rule)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (rule->atoms == NULL)
    return g_strdup (rule->text != NULL ? rule->text : "");
  for (guint i = 0; i < rule->atoms->len; i++)
    {
      pal_nft_atom_print (g_ptr_array_index (rule->atoms, i), text);
      g_string_append_c (text, ' ');
    }
  for (guint i = 0; i < rule->stmts->len; i++)
    {
      pal_nft_stmt_print (g_ptr_array_index (rule->stmts, i), text);
      g_string_append_c (text, ' ');
    }
  if (text->len > 0)
    g_string_truncate (text, text->len - 1);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Building */

static void
add_element (struct nftnl_set *set,
             const guint8     *key,
             guint             length,
             gboolean          end)
{
  struct nftnl_set_elem *element = nftnl_set_elem_alloc ();

  nftnl_set_elem_set (element, NFTNL_SET_ELEM_KEY, key, length);
  if (end)
    nftnl_set_elem_set_u32 (element, NFTNL_SET_ELEM_FLAGS, NFT_SET_ELEM_INTERVAL_END);
  nftnl_set_elem_add (set, element);
}

void
pal_nft_elements_to_nftnl (PalNftElements   *elements,
                           struct nftnl_set *set)
{
  guint length = elements->key_length;

  pal_nft_elements_normalize (elements);
  for (guint i = 0; i < elements->ranges->len; i++)
    {
      PalNftRange *range = &g_array_index (elements->ranges, PalNftRange, i);
      guint8 next[16];
      int carry = 1;

      add_element (set, range->first, length, FALSE);
      memcpy (next, range->last, length);
      for (int b = (int) length - 1; b >= 0 && carry; b--)
        {
          next[b]++;
          carry = next[b] == 0;
        }
      /* A range to the largest key is open-ended: no end element. */
      if (!carry)
        add_element (set, next, length, TRUE);
    }
}

typedef struct
{
  guint8   key[16];
  gboolean end;
} KeyMark;

static int
compare_marks (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  int cmp = memcmp (((const KeyMark *) a)->key, ((const KeyMark *) b)->key,
                    GPOINTER_TO_UINT (user_data));

  /* At the same key an end closes the range before the next one opens. */
  return cmp != 0 ? cmp : (int) ((const KeyMark *) b)->end - (int) ((const KeyMark *) a)->end;
}

PalNftElements *
pal_nft_elements_from_nftnl (struct nftnl_set *set,
                             PalNftField       field)
{
  PalNftElements *elements = pal_nft_elements_new (field);
  g_autoptr(GArray) marks = g_array_new (FALSE, TRUE, sizeof (KeyMark));
  guint length = nftnl_set_is_set (set, NFTNL_SET_KEY_LEN)
                 ? nftnl_set_get_u32 (set, NFTNL_SET_KEY_LEN) : elements->key_length;
  gboolean interval = nftnl_set_is_set (set, NFTNL_SET_FLAGS)
                      && (nftnl_set_get_u32 (set, NFTNL_SET_FLAGS) & NFT_SET_INTERVAL) != 0;
  struct nftnl_set_elems_iter *iter = nftnl_set_elems_iter_create (set);
  struct nftnl_set_elem *element;
  gboolean open = FALSE;
  guint8 start[16] = { 0 };

  elements->key_length = MIN (length, 16);
  for (element = nftnl_set_elems_iter_cur (iter); element != NULL;
       element = nftnl_set_elems_iter_next (iter))
    {
      KeyMark mark = { { 0 }, FALSE };
      guint32 key_length = 0;
      const void *key = nftnl_set_elem_get (element, NFTNL_SET_ELEM_KEY, &key_length);

      if (key == NULL)
        continue;
      memcpy (mark.key, key, MIN (key_length, 16));
      mark.end = nftnl_set_elem_is_set (element, NFTNL_SET_ELEM_FLAGS)
                 && (nftnl_set_elem_get_u32 (element, NFTNL_SET_ELEM_FLAGS) & NFT_SET_ELEM_INTERVAL_END) != 0;
      g_array_append_val (marks, mark);
    }
  nftnl_set_elems_iter_destroy (iter);

  g_array_sort_with_data (marks, compare_marks, GUINT_TO_POINTER (elements->key_length));
  for (guint i = 0; i < marks->len; i++)
    {
      KeyMark *mark = &g_array_index (marks, KeyMark, i);

      if (!interval)
        pal_nft_elements_add (elements, mark->key, mark->key);
      else if (!mark->end)
        {
          if (open)
            pal_nft_elements_add (elements, start, start);
          memcpy (start, mark->key, 16);
          open = TRUE;
        }
      else if (open)
        {
          guint8 last[16];
          int borrow = 1;

          memcpy (last, mark->key, 16);
          for (int b = (int) elements->key_length - 1; b >= 0 && borrow; b--)
            {
              borrow = last[b] == 0;
              last[b]--;
            }
          pal_nft_elements_add (elements, start, last);
          open = FALSE;
        }
    }
  if (open)
    {
      guint8 max[16];

      memset (max, 0xff, sizeof max);
      pal_nft_elements_add (elements, start, max);
    }
  pal_nft_elements_normalize (elements);
  return elements;
}

struct nftnl_rule *
pal_nft_kernel_rule_build (const PalNftKernelRule  *rule,
                           const char              *chain,
                           guint32                 *next_set_id,
                           GPtrArray               *sets)
{
  struct nftnl_rule *r = nftnl_rule_alloc ();
  g_autoptr(GBytes) udata = pal_nft_tag_to_udata (&rule->tag);

  nftnl_rule_set_u32 (r, NFTNL_RULE_FAMILY, NFPROTO_INET);
  nftnl_rule_set_str (r, NFTNL_RULE_TABLE, PAL_NFT_TABLE);
  nftnl_rule_set_str (r, NFTNL_RULE_CHAIN, chain);
  for (guint i = 0; i < rule->atoms->len; i++)
    {
      const PalNftAtom *atom = g_ptr_array_index (rule->atoms, i);
      guint32 set_id = 0;

      if (atom->test == PAL_NFT_TEST_LOOKUP && atom->set_name == NULL)
        {
          struct nftnl_set *set = nftnl_set_alloc ();

          set_id = (*next_set_id)++;
          nftnl_set_set_str (set, NFTNL_SET_TABLE, PAL_NFT_TABLE);
          nftnl_set_set_str (set, NFTNL_SET_NAME, "__set%d");
          nftnl_set_set_u32 (set, NFTNL_SET_FAMILY, NFPROTO_INET);
          nftnl_set_set_u32 (set, NFTNL_SET_ID, set_id);
          nftnl_set_set_u32 (set, NFTNL_SET_FLAGS,
                             NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | NFT_SET_INTERVAL);
          nftnl_set_set_u32 (set, NFTNL_SET_KEY_TYPE, pal_nft_field_get_datatype (atom->field));
          nftnl_set_set_u32 (set, NFTNL_SET_KEY_LEN, pal_nft_field_get_length (atom->field));
          pal_nft_elements_to_nftnl (atom->elements, set);
          g_ptr_array_add (sets, set);
        }
      pal_nft_atom_emit (atom, r, "__set%d", set_id);
    }
  for (guint i = 0; i < rule->stmts->len; i++)
    pal_nft_stmt_emit (g_ptr_array_index (rule->stmts, i), r);
  nftnl_rule_set_data (r, NFTNL_RULE_USERDATA, g_bytes_get_data (udata, NULL), g_bytes_get_size (udata));
  return r;
}

struct nftnl_set *
pal_nft_set_def_build (const PalNftSetDef *def)
{
  struct nftnl_set *set = nftnl_set_alloc ();
  guint32 flags = 0;

  nftnl_set_set_str (set, NFTNL_SET_TABLE, PAL_NFT_TABLE);
  nftnl_set_set_str (set, NFTNL_SET_NAME, def->name);
  nftnl_set_set_u32 (set, NFTNL_SET_FAMILY, NFPROTO_INET);
  switch (def->kind)
    {
    case PAL_NFT_SET_CONSTANT:
      flags = NFT_SET_INTERVAL;
      nftnl_set_set_u32 (set, NFTNL_SET_KEY_TYPE, pal_nft_field_get_datatype (def->field));
      nftnl_set_set_u32 (set, NFTNL_SET_KEY_LEN, pal_nft_field_get_length (def->field));
      break;
    case PAL_NFT_SET_DYNAMIC:
      flags = NFT_SET_TIMEOUT | NFT_SET_EVAL;
      nftnl_set_set_u32 (set, NFTNL_SET_KEY_TYPE, pal_nft_field_get_datatype (def->field));
      nftnl_set_set_u32 (set, NFTNL_SET_KEY_LEN, pal_nft_field_get_length (def->field));
      /* Without a size the kernel stops at 65535 banned addresses. */
      nftnl_set_set_u32 (set, NFTNL_SET_DESC_SIZE, PAL_NFT_DYNAMIC_SET_SIZE);
      break;
    case PAL_NFT_SET_HITS:
    default:
      /* A counter in each element (added with it), and a timeout whose
       * refresh on every match dates the last one. Not the `last`
       * expression: nft 1.0.6 crashes listing a set that has it, and the
       * table must stay listable. No counter for the set as a whole: every
       * rule updating the set would then carry one of its own to give
       * new elements, a per-CPU allocation per rule at every apply. */
      flags = NFT_SET_EVAL | NFT_SET_TIMEOUT;
      nftnl_set_set_u32 (set, NFTNL_SET_KEY_TYPE, TYPE_MARK);
      nftnl_set_set_u32 (set, NFTNL_SET_KEY_LEN, 4);
      nftnl_set_set_u32 (set, NFTNL_SET_DESC_SIZE, PAL_NFT_HITS_PER_SET);
      break;
    }
  nftnl_set_set_u32 (set, NFTNL_SET_FLAGS, flags);
  return set;
}
