/* pal-nft-diff.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <stdio.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>
#include <string.h>

#include "pal-nft-diff.h"

static const guint32 hooks[] = { NF_INET_LOCAL_IN, NF_INET_FORWARD, NF_INET_LOCAL_OUT };

/* A plan's hits keys, indexed once per diff: this runs for every key. */
typedef struct
{
  guint32     key;
  const char *id;
} KeyId;

typedef struct
{
  GPtrArray *by_set;         /* GArray of KeyId, by hits set number */
  GArray    *present;        /* gboolean by key */
} KeyIndex;

typedef struct
{
  PalNftBatch *batch;
  guint32      next_set_id;
  guint32      next_rule_id;
  KeyIndex     old_keys;
  KeyIndex     new_keys;
  gboolean     same_hits;    /* the same keys: the hits sets stay as they are */
} Diff;

static void
key_index_add (KeyIndex   *index,
               guint32     key,
               const char *id)
{
  guint number = key / PAL_NFT_HITS_PER_SET;
  KeyId entry = { key, id };

  while (index->by_set->len <= number)
    g_ptr_array_add (index->by_set, g_array_new (FALSE, FALSE, sizeof (KeyId)));
  g_array_append_val (g_ptr_array_index (index->by_set, number), entry);
  if (index->present->len <= key)
    g_array_set_size (index->present, key + 1);
  g_array_index (index->present, gboolean, key) = TRUE;
}

static void
key_index_init (KeyIndex   *index,
                PalNftPlan *plan)
{
  GHashTableIter iter;
  gpointer id, key;

  index->by_set = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  index->present = g_array_new (FALSE, TRUE, sizeof (gboolean));
  if (plan == NULL)
    return;
  key_index_add (index, PAL_NFT_DEFAULT_KEY, PAL_NFT_DEFAULT_ID);
  g_hash_table_iter_init (&iter, plan->keys);
  while (g_hash_table_iter_next (&iter, &id, &key))
    key_index_add (index, GPOINTER_TO_UINT (key), id);
}

static void
key_index_clear (KeyIndex *index)
{
  g_ptr_array_unref (index->by_set);
  g_array_unref (index->present);
}

static gboolean
key_index_has (KeyIndex *index,
               guint32   key)
{
  return key < index->present->len && g_array_index (index->present, gboolean, key);
}

static void
put_table (PalNftBatch *batch,
           gboolean     dormant)
{
  struct nftnl_table *table = nftnl_table_alloc ();
  struct nlmsghdr *nlh;

  nftnl_table_set_str (table, NFTNL_TABLE_NAME, PAL_NFT_TABLE);
  nftnl_table_set_u32 (table, NFTNL_TABLE_FAMILY, NFPROTO_INET);
  nftnl_table_set_u32 (table, NFTNL_TABLE_FLAGS, dormant ? NFT_TABLE_F_DORMANT : 0);
  nlh = pal_nft_batch_begin_message (batch, NFT_MSG_NEWTABLE, NFPROTO_INET, NLM_F_CREATE,
                                     "table inet " PAL_NFT_TABLE);
  nftnl_table_nlmsg_build_payload (nlh, table);
  pal_nft_batch_end_message (batch, nlh);
  nftnl_table_free (table);
}

void
pal_nft_diff_dormant (gboolean     dormant,
                      PalNftBatch *batch)
{
  put_table (batch, dormant);
}

/* Chains */

static void
put_chain (Diff              *diff,
           const PalNftChain *chain,
           guint16            type)
{
  struct nftnl_chain *c = nftnl_chain_alloc ();
  g_autofree char *what = g_strdup_printf ("chain %s", chain->name);
  struct nlmsghdr *nlh;

  nftnl_chain_set_str (c, NFTNL_CHAIN_TABLE, PAL_NFT_TABLE);
  nftnl_chain_set_str (c, NFTNL_CHAIN_NAME, chain->name);
  nftnl_chain_set_u32 (c, NFTNL_CHAIN_FAMILY, NFPROTO_INET);
  if (type == NFT_MSG_NEWCHAIN && chain->hook >= 0)
    {
      nftnl_chain_set_u32 (c, NFTNL_CHAIN_HOOKNUM, hooks[chain->hook]);
      nftnl_chain_set_s32 (c, NFTNL_CHAIN_PRIO, chain->priority);
      nftnl_chain_set_str (c, NFTNL_CHAIN_TYPE, "filter");
      nftnl_chain_set_u32 (c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
    }
  nlh = pal_nft_batch_begin_message (diff->batch, type, NFPROTO_INET,
                                     type == NFT_MSG_NEWCHAIN ? NLM_F_CREATE : 0, what);
  nftnl_chain_nlmsg_build_payload (nlh, c);
  pal_nft_batch_end_message (diff->batch, nlh);
  nftnl_chain_free (c);
}

static gboolean
same_chain_kind (const PalNftChain *a,
                 const PalNftChain *b)
{
  return !a->foreign && !b->foreign && a->hook == b->hook
         && (a->hook < 0 || a->priority == b->priority);
}

/* Sets */

static void
put_elements (Diff             *diff,
              struct nftnl_set *set,
              guint16           type,
              const char       *what)
{
  struct nftnl_set_elems_iter *iter = nftnl_set_elems_iter_create (set);
  int more;

  do
    {
      struct nlmsghdr *nlh = pal_nft_batch_begin_message (diff->batch, type, NFPROTO_INET,
                                                          type == NFT_MSG_NEWSETELEM ? NLM_F_CREATE : 0,
                                                          what);

      more = nftnl_set_elems_nlmsg_build_payload_iter (nlh, iter);
      pal_nft_batch_end_message (diff->batch, nlh);
    }
  while (more > 0);
  nftnl_set_elems_iter_destroy (iter);
}

/* An empty element list deletes every element (nft flush set). */
static void
flush_set (Diff       *diff,
           const char *name)
{
  struct nftnl_set *set = nftnl_set_alloc ();
  g_autofree char *what = g_strdup_printf ("set %s", name);
  struct nlmsghdr *nlh;

  nftnl_set_set_str (set, NFTNL_SET_TABLE, PAL_NFT_TABLE);
  nftnl_set_set_str (set, NFTNL_SET_NAME, name);
  nftnl_set_set_u32 (set, NFTNL_SET_FAMILY, NFPROTO_INET);
  nlh = pal_nft_batch_begin_message (diff->batch, NFT_MSG_DELSETELEM, NFPROTO_INET, 0, what);
  nftnl_set_elems_nlmsg_build_payload (nlh, set);
  pal_nft_batch_end_message (diff->batch, nlh);
  nftnl_set_free (set);
}

static struct nftnl_set *
named_set (const char *name)
{
  struct nftnl_set *set = nftnl_set_alloc ();

  nftnl_set_set_str (set, NFTNL_SET_TABLE, PAL_NFT_TABLE);
  nftnl_set_set_str (set, NFTNL_SET_NAME, name);
  nftnl_set_set_u32 (set, NFTNL_SET_FAMILY, NFPROTO_INET);
  return set;
}

static void
fill_constant_set (Diff               *diff,
                   const PalNftSetDef *def)
{
  struct nftnl_set *set;
  g_autofree char *what = NULL;

  if (def->elements == NULL || def->elements->ranges->len == 0)
    return;
  set = named_set (def->name);
  nftnl_set_set_u32 (set, NFTNL_SET_KEY_LEN, pal_nft_field_get_length (def->field));
  pal_nft_elements_to_nftnl (def->elements, set);
  what = g_strdup_printf ("set %s", def->name);
  put_elements (diff, set, NFT_MSG_NEWSETELEM, what);
  nftnl_set_free (set);
}

static gboolean
same_elements (PalNftElements *a,
               PalNftElements *b)
{
  if (a == NULL || b == NULL)
    return (a == NULL || a->ranges->len == 0) && (b == NULL || b->ranges->len == 0);
  pal_nft_elements_normalize (a);
  pal_nft_elements_normalize (b);
  return pal_nft_elements_equal (a, b);
}

static void
add_hits_element (struct nftnl_set *set,
                  guint32           key,
                  const char       *id)
{
  struct nftnl_set_elem *element = nftnl_set_elem_alloc ();
  guint8 data[4];

  pal_nft_put_be (data, 4, key);
  nftnl_set_elem_set (element, NFTNL_SET_ELEM_KEY, data, 4);
  nftnl_set_elem_set_u64 (element, NFTNL_SET_ELEM_TIMEOUT, PAL_NFT_HITS_TIMEOUT_MS);
  if (id != NULL)
    nftnl_set_elem_add_expr (element, nftnl_expr_alloc ("counter"));
  if (id != NULL)
    {
      struct nftnl_udata_buf *udata = nftnl_udata_buf_alloc (64);

      nftnl_udata_put_strz (udata, NFTNL_UDATA_SET_ELEM_COMMENT, id);
      nftnl_set_elem_set (element, NFTNL_SET_ELEM_USERDATA, nftnl_udata_buf_data (udata),
                          nftnl_udata_buf_len (udata));
      nftnl_udata_buf_free (udata);
    }
  nftnl_set_elem_add (set, element);
}

/* Adds the elements of keys to has and from lacks (or all when from is
 * NULL: the set is new), or deletes those to has and from lacks. */
static void
update_hits (Diff       *diff,
             const char *set_name,
             KeyIndex   *from,
             KeyIndex   *to,
             guint16     type)
{
  guint32 number = (guint32) g_ascii_strtoull (set_name + strlen ("hits"), NULL, 10);
  GArray *wanted = number < to->by_set->len ? g_ptr_array_index (to->by_set, number) : NULL;
  struct nftnl_set *set = named_set (set_name);
  g_autofree char *what = g_strdup_printf ("set %s", set_name);
  gboolean any = FALSE;

  nftnl_set_set_u32 (set, NFTNL_SET_KEY_LEN, 4);
  for (guint i = 0; wanted != NULL && i < wanted->len; i++)
    {
      KeyId *entry = &g_array_index (wanted, KeyId, i);

      if (from != NULL && key_index_has (from, entry->key))
        continue;
      add_hits_element (set, entry->key, type == NFT_MSG_NEWSETELEM ? entry->id : NULL);
      any = TRUE;
    }
  if (any)
    put_elements (diff, set, type, what);
  nftnl_set_free (set);
}

/* Whether the hits sets need no change: the new plan shares the old
 * one's keys (pal-nft-plan.h), and every hits set it has exists. */
static gboolean
same_hits (PalNftPlan *old,
           PalNftPlan *new)
{
  if (old == NULL || old->keys != new->keys)
    return FALSE;
  for (guint i = 0; i < new->sets->len; i++)
    {
      PalNftSetDef *def = g_ptr_array_index (new->sets, i);

      if (def->kind == PAL_NFT_SET_HITS && pal_nft_plan_lookup_set (old, def->name) == NULL)
        return FALSE;
    }
  return TRUE;
}

static void
create_sets (Diff       *diff,
             PalNftPlan *old,
             PalNftPlan *new)
{
  for (guint i = 0; i < new->sets->len; i++)
    {
      PalNftSetDef *def = g_ptr_array_index (new->sets, i);
      PalNftSetDef *before = old != NULL ? pal_nft_plan_lookup_set (old, def->name) : NULL;

      /* Another program's set of that name went with the deletions. */
      if (before != NULL && before->foreign)
        before = NULL;
      if (before == NULL)
        {
          struct nftnl_set *set = pal_nft_set_def_build (def);
          g_autofree char *what = g_strdup_printf ("set %s", def->name);
          /* The kernel wants a transaction id for every new set. */
          nftnl_set_set_u32 (set, NFTNL_SET_ID, diff->next_set_id++);
          struct nlmsghdr *nlh = pal_nft_batch_begin_message (diff->batch, NFT_MSG_NEWSET,
                                                              NFPROTO_INET, NLM_F_CREATE, what);

          nftnl_set_nlmsg_build_payload (nlh, set);
          pal_nft_batch_end_message (diff->batch, nlh);
          nftnl_set_free (set);
          if (def->kind == PAL_NFT_SET_CONSTANT)
            fill_constant_set (diff, def);
        }
      else if (def->kind == PAL_NFT_SET_CONSTANT && !same_elements (def->elements, before->elements))
        {
          flush_set (diff, def->name);
          fill_constant_set (diff, def);
        }
      if (def->kind == PAL_NFT_SET_HITS && !diff->same_hits)
        update_hits (diff, def->name, before != NULL ? &diff->old_keys : NULL, &diff->new_keys, NFT_MSG_NEWSETELEM);
    }
}

static gboolean
keep_set (PalNftPlan   *new,
          PalNftSetDef *old_def)
{
  PalNftSetDef *def = pal_nft_plan_lookup_set (new, old_def->name);

  return def != NULL && !old_def->foreign && def->kind == old_def->kind;
}

static gboolean
is_list_set (PalNftSetDef *def)
{
  PalNftField field;

  return !def->foreign && pal_nft_list_set_parse (def->name, &field);
}

/* lists: the named list sets only, which rules replaced later in the
 * batch may still use (deleted after the rules); or all the others. */
static void
delete_sets (Diff       *diff,
             PalNftPlan *old,
             PalNftPlan *new,
             gboolean    lists)
{
  for (guint i = 0; i < old->sets->len; i++)
    {
      PalNftSetDef *def = g_ptr_array_index (old->sets, i);
      g_autofree char *what = NULL;
      struct nftnl_set *set;
      struct nlmsghdr *nlh;

      if (is_list_set (def) != lists)
        continue;
      if (keep_set (new, def))
        {
          if (def->kind == PAL_NFT_SET_HITS && !diff->same_hits)
            update_hits (diff, def->name, &diff->new_keys, &diff->old_keys, NFT_MSG_DELSETELEM);
          continue;
        }
      what = g_strdup_printf ("set %s", def->name);
      set = named_set (def->name);
      nlh = pal_nft_batch_begin_message (diff->batch, NFT_MSG_DELSET, NFPROTO_INET, 0, what);
      nftnl_set_nlmsg_build_payload (nlh, set);
      pal_nft_batch_end_message (diff->batch, nlh);
      nftnl_set_free (set);
    }
}

/* Rules */

/* For each new rule, the index of the old rule it keeps, or -1: the
 * longest increasing run of matches (patience diff), O(n log n). */
static GArray *
match_rules (PalNftChain *old,
             PalNftChain *new)
{
  g_autoptr(GArray) candidate = pal_nft_match_slots (old->rules, new->rules);
  g_autoptr(GArray) tails = g_array_new (FALSE, FALSE, sizeof (int));   /* new index */
  g_autoptr(GArray) previous = g_array_new (FALSE, FALSE, sizeof (int));
  GArray *kept;
  int minus_one = -1, last = -1;
  guint in_order = 0;

  /* The usual case: the matches in order already (every rule that stays
   * where it was): they are the longest run. */
  for (; in_order < candidate->len; in_order++)
    {
      int at = g_array_index (candidate, int, in_order);

      if (at < 0)
        continue;
      if (at <= last)
        break;
      last = at;
    }
  if (in_order == candidate->len)
    return g_steal_pointer (&candidate);
  kept = g_array_new (FALSE, FALSE, sizeof (int));

  for (guint j = 0; j < candidate->len; j++)
    {
      g_array_append_val (kept, minus_one);
      g_array_append_val (previous, minus_one);
    }

  for (guint j = 0; j < candidate->len; j++)
    {
      int at = g_array_index (candidate, int, j);
      guint low = 0, high = tails->len;

      if (at < 0)
        continue;
      while (low < high)
        {
          guint mid = (low + high) / 2;

          if (g_array_index (candidate, int, g_array_index (tails, int, mid)) < at)
            low = mid + 1;
          else
            high = mid;
        }
      g_array_index (previous, int, j) = low > 0 ? g_array_index (tails, int, low - 1) : -1;
      if (low == tails->len)
        g_array_append_val (tails, j);
      else
        g_array_index (tails, int, low) = (int) j;
    }
  for (int j = tails->len > 0 ? g_array_index (tails, int, tails->len - 1) : -1; j >= 0;
       j = g_array_index (previous, int, j))
    g_array_index (kept, int, j) = g_array_index (candidate, int, j);
  return kept;
}

static void
put_anonymous_sets (Diff      *diff,
                    GPtrArray *sets,
                    const char *what)
{
  for (guint i = 0; i < sets->len; i++)
    {
      struct nftnl_set *set = g_ptr_array_index (sets, i);
      struct nlmsghdr *nlh = pal_nft_batch_begin_message (diff->batch, NFT_MSG_NEWSET,
                                                          NFPROTO_INET, NLM_F_CREATE, what);

      nftnl_set_nlmsg_build_payload (nlh, set);
      pal_nft_batch_end_message (diff->batch, nlh);
      put_elements (diff, set, NFT_MSG_NEWSETELEM, what);
    }
}

static const char *
describe (PalNftKernelRule *rule)
{
  return rule->path != NULL ? rule->path : rule->tag.id != NULL ? rule->tag.id : "rule";
}

/* position: the handle to insert after (or before, without append), or
 * after the rule of batch id position_id. */
static void
put_rule (Diff              *diff,
          PalNftKernelRule  *rule,
          const char        *chain,
          guint16            flags,
          guint64            handle,
          guint64            position,
          guint32            position_id,
          guint32            rule_id)
{
  g_autoptr(GPtrArray) sets = g_ptr_array_new_with_free_func ((GDestroyNotify) nftnl_set_free);
  struct nftnl_rule *r = pal_nft_kernel_rule_build (rule, chain, &diff->next_set_id, sets);
  struct nlmsghdr *nlh;

  put_anonymous_sets (diff, sets, describe (rule));
  if (handle != 0)
    nftnl_rule_set_u64 (r, NFTNL_RULE_HANDLE, handle);
  if (position != 0)
    nftnl_rule_set_u64 (r, NFTNL_RULE_POSITION, position);
  if (position_id != 0)
    nftnl_rule_set_u32 (r, NFTNL_RULE_POSITION_ID, position_id);
  if (rule_id != 0)
    nftnl_rule_set_u32 (r, NFTNL_RULE_ID, rule_id);
  nlh = pal_nft_batch_begin_message (diff->batch, NFT_MSG_NEWRULE, NFPROTO_INET, flags,
                                     describe (rule));
  nftnl_rule_nlmsg_build_payload (nlh, r);
  pal_nft_batch_end_message (diff->batch, nlh);
  nftnl_rule_free (r);
}

static void
delete_rule (Diff             *diff,
             const char       *chain,
             PalNftKernelRule *rule)
{
  struct nftnl_rule *r = nftnl_rule_alloc ();
  g_autofree char *what = g_strdup_printf ("deleting rule %" G_GUINT64_FORMAT " of chain %s",
                                           rule->handle, chain);
  struct nlmsghdr *nlh;

  nftnl_rule_set_u32 (r, NFTNL_RULE_FAMILY, NFPROTO_INET);
  nftnl_rule_set_str (r, NFTNL_RULE_TABLE, PAL_NFT_TABLE);
  nftnl_rule_set_str (r, NFTNL_RULE_CHAIN, chain);
  nftnl_rule_set_u64 (r, NFTNL_RULE_HANDLE, rule->handle);
  nlh = pal_nft_batch_begin_message (diff->batch, NFT_MSG_DELRULE, NFPROTO_INET, 0, what);
  nftnl_rule_nlmsg_build_payload (nlh, r);
  pal_nft_batch_end_message (diff->batch, nlh);
  nftnl_rule_free (r);
}

/* The rules of a chain that exists before and after. */
static gboolean
update_rules (Diff        *diff,
              PalNftChain *old,
              PalNftChain *new,
              GArray      *kept)
{
  g_autoptr(GArray) batch_ids = g_array_new (FALSE, TRUE, sizeof (guint32));
  gboolean inserted = FALSE;
  int first_kept = -1;

  g_array_set_size (batch_ids, new->rules->len);
  for (guint j = 0; j < kept->len && first_kept < 0; j++)
    if (g_array_index (kept, int, j) >= 0)
      first_kept = (int) j;

  for (guint j = 0; j < new->rules->len; j++)
    {
      PalNftKernelRule *rule = g_ptr_array_index (new->rules, j);
      int at = g_array_index (kept, int, j);

      if (at >= 0)
        {
          PalNftKernelRule *before = g_ptr_array_index (old->rules, at);

          rule->handle = before->handle;
          if (before != rule && g_strcmp0 (before->canon, rule->canon) != 0)
            put_rule (diff, rule, new->name, NLM_F_REPLACE, before->handle, 0, 0, 0);
          continue;
        }

      g_array_index (batch_ids, guint32, j) = ++diff->next_rule_id;
      inserted = TRUE;
      if (j > 0 && g_array_index (kept, int, j - 1) >= 0)
        put_rule (diff, rule, new->name, NLM_F_CREATE | NLM_F_APPEND, 0,
                  ((PalNftKernelRule *) g_ptr_array_index (new->rules, j - 1))->handle, 0,
                  diff->next_rule_id);
      else if (j > 0)
        put_rule (diff, rule, new->name, NLM_F_CREATE | NLM_F_APPEND, 0, 0,
                  g_array_index (batch_ids, guint32, j - 1), diff->next_rule_id);
      else if (first_kept >= 0)
        put_rule (diff, rule, new->name, NLM_F_CREATE, 0,
                  ((PalNftKernelRule *) g_ptr_array_index (old->rules, g_array_index (kept, int, first_kept)))->handle,
                  0, diff->next_rule_id);
      else
        put_rule (diff, rule, new->name, NLM_F_CREATE | NLM_F_APPEND, 0, 0, 0, diff->next_rule_id);
    }
  return inserted;
}

static void
append_all (Diff        *diff,
            PalNftChain *chain)
{
  for (guint j = 0; j < chain->rules->len; j++)
    put_rule (diff, g_ptr_array_index (chain->rules, j), chain->name,
              NLM_F_CREATE | NLM_F_APPEND, 0, 0, 0, 0);
}

void
pal_nft_diff (PalNftPlan  *old,
              PalNftPlan  *new,
              PalNftBatch *batch,
              GPtrArray   *dirty)
{
  Diff diff = { batch, 1, 0, };
  g_autoptr(GHashTable) matches = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) g_array_unref);

  g_return_if_fail (new != NULL);

  diff.same_hits = same_hits (old, new);
  key_index_init (&diff.old_keys, diff.same_hits ? NULL : old);
  key_index_init (&diff.new_keys, diff.same_hits ? NULL : new);
  if (old == NULL || old->dormant != new->dormant)
    put_table (batch, new->dormant);

  /* Deletions first, so what replaces them can take their names. */
  for (guint c = 0; old != NULL && c < old->chains->len; c++)
    {
      PalNftChain *before = g_ptr_array_index (old->chains, c);
      PalNftChain *after = pal_nft_plan_lookup_chain (new, before->name);
      g_autofree gboolean *keep = g_new0 (gboolean, before->rules->len + 1);

      if (after != NULL && same_chain_kind (before, after))
        {
          GArray *kept = match_rules (before, after);

          for (guint j = 0; j < kept->len; j++)
            if (g_array_index (kept, int, j) >= 0)
              keep[g_array_index (kept, int, j)] = TRUE;
          g_hash_table_insert (matches, after->name, kept);
        }
      for (guint i = 0; i < before->rules->len; i++)
        if (!keep[i])
          delete_rule (&diff, before->name, g_ptr_array_index (before->rules, i));
    }
  for (guint c = 0; old != NULL && c < old->chains->len; c++)
    {
      PalNftChain *before = g_ptr_array_index (old->chains, c);

      if (!g_hash_table_contains (matches, before->name))
        put_chain (&diff, before, NFT_MSG_DELCHAIN);
    }
  if (old != NULL)
    delete_sets (&diff, old, new, FALSE);

  create_sets (&diff, old, new);
  for (guint c = 0; c < new->chains->len; c++)
    {
      PalNftChain *chain = g_ptr_array_index (new->chains, c);

      if (!g_hash_table_contains (matches, chain->name))
        put_chain (&diff, chain, NFT_MSG_NEWCHAIN);
    }
  for (guint c = 0; c < new->chains->len; c++)
    {
      PalNftChain *chain = g_ptr_array_index (new->chains, c);
      GArray *kept = g_hash_table_lookup (matches, chain->name);
      gboolean inserted;

      if (kept != NULL)
        inserted = update_rules (&diff, pal_nft_plan_lookup_chain (old, chain->name), chain, kept);
      else
        {
          append_all (&diff, chain);
          inserted = chain->rules->len > 0;
        }
      if (inserted && dirty != NULL)
        g_ptr_array_add (dirty, g_strdup (chain->name));
    }
  if (old != NULL)
    delete_sets (&diff, old, new, TRUE);
  key_index_clear (&diff.old_keys);
  key_index_clear (&diff.new_keys);
}
