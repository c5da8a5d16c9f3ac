/* pal-nft-layout.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pal-nft-layout.h"

static PalNftKernelRule *
copy_rule_layout (const PalNftKernelRule *rule)
{
  GPtrArray *stmts = NULL;
  PalNftTag tag = { 0, };

  pal_nft_tag_copy (&rule->tag, &tag);
  if (rule->stmts != NULL)
    {
      stmts = g_ptr_array_new_full (rule->stmts->len, (GDestroyNotify) pal_nft_stmt_free);
      for (guint i = 0; i < rule->stmts->len; i++)
        g_ptr_array_add (stmts, pal_nft_stmt_copy (g_ptr_array_index (rule->stmts, i)));
    }
  /* The tag's strings move into the rule. */
  return pal_nft_kernel_rule_new (&tag, NULL, stmts);
}

PalNftPlan *
pal_nft_plan_copy_layout (PalNftPlan *plan)
{
  PalNftPlan *layout;
  GHashTableIter iter;
  gpointer id, key;

  if (plan == NULL)
    return NULL;
  layout = pal_nft_plan_new ();
  layout->dormant = plan->dormant;
  g_hash_table_iter_init (&iter, plan->keys);
  while (g_hash_table_iter_next (&iter, &id, &key))
    g_hash_table_insert (layout->keys, g_strdup (id), key);
  for (guint c = 0; c < plan->chains->len; c++)
    {
      PalNftChain *chain = g_ptr_array_index (plan->chains, c);
      PalNftChain *copy = pal_nft_plan_add_chain (layout, chain->name, chain->hook);

      copy->priority = chain->priority;
      copy->foreign = chain->foreign;
      for (guint r = 0; r < chain->rules->len; r++)
        g_ptr_array_add (copy->rules, copy_rule_layout (g_ptr_array_index (chain->rules, r)));
    }
  return layout;
}
