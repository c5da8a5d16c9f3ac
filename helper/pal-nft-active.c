/* pal-nft-active.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <string.h>

#include "pal-log-prefix.h"
#include "pal-nft-active.h"
#include "pal-nft-compiler.h"
#include "pal-value.h"

typedef struct
{
  PalNftPlan  *plan;
  PalDocument *applied;
  PalDocument *context;       /* document settings for recompiling */
  GHashTable  *order;         /* applied rule id → its place in the applied outline */
  GHashTable  *applied_rules; /* applied rule id → PalRule (borrowed) */
  GHashTable  *reached;       /* chain names the outline uses */
} Reader;

/* One level of the outline: a chain per hook (or none). */
typedef struct
{
  PalNftChain *chains[PAL_NFT_N_HOOKS];
  gboolean     exit_is_return[PAL_NFT_N_HOOKS];
} Level;

/* A rule of a level: its kernel rules in each hook. */
typedef struct
{
  char             *key;
  gboolean          foreign;
  PalNftKernelRule *first;
  GPtrArray        *rules[PAL_NFT_N_HOOKS];   /* borrowed PalNftKernelRule */
  guint64           priority;
  GPtrArray        *next;                     /* Item, edges of the merge */
  guint             incoming;
} Item;

static void
item_free (gpointer data)
{
  Item *item = data;

  g_free (item->key);
  for (guint h = 0; h < PAL_NFT_N_HOOKS; h++)
    g_clear_pointer (&item->rules[h], g_ptr_array_unref);
  g_ptr_array_unref (item->next);
  g_free (item);
}

static void
index_applied (GListModel *rules,
               GHashTable *order,
               GHashTable *by_id)
{
  guint n = g_list_model_get_n_items (rules);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) rule = g_list_model_get_item (rules, i);

      g_hash_table_insert (order, g_strdup (pal_rule_get_id (rule)),
                           GUINT_TO_POINTER (g_hash_table_size (order) + 1));
      /* The document holds the rule: borrowed. */
      g_hash_table_insert (by_id, (gpointer) pal_rule_get_id (rule), rule);
      index_applied (pal_rule_get_children (rule), order, by_id);
    }
}

/* Items */

static gboolean
listed (PalNftKernelRule *rule)
{
  return rule->tag.role == PAL_NFT_ROLE_RULE || rule->tag.role == PAL_NFT_ROLE_PART
         || rule->tag.role == PAL_NFT_ROLE_FOREIGN;
}

static Item *
get_item (GHashTable       *items,
          GPtrArray        *order,
          const char       *key,
          PalNftKernelRule *first,
          Reader           *reader,
          guint64           seen)
{
  Item *item = g_hash_table_lookup (items, key);
  gpointer place;

  if (item != NULL)
    return item;
  item = g_new0 (Item, 1);
  item->key = g_strdup (key);
  item->foreign = first->tag.role == PAL_NFT_ROLE_FOREIGN;
  item->first = first;
  item->next = g_ptr_array_new ();
  /* Order of the applied document where it knows the rule, else first seen. */
  if (!item->foreign && g_hash_table_lookup_extended (reader->order, key, NULL, &place))
    item->priority = GPOINTER_TO_UINT (place);
  else
    item->priority = G_GUINT64_CONSTANT (1) << 40 | seen;
  g_hash_table_insert (items, item->key, item);
  g_ptr_array_add (order, item);
  return item;
}

static gint
compare_priority (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  const Item *x = a, *y = b;

  return x->priority < y->priority ? -1 : x->priority > y->priority;
}

/* A chain's rules with its segments' rules in their place. */
static void
flatten (Reader      *reader,
         PalNftChain *chain,
         GPtrArray   *out,
         guint        depth)
{
  for (guint i = 0; chain != NULL && i < chain->rules->len; i++)
    {
      PalNftKernelRule *rule = g_ptr_array_index (chain->rules, i);
      PalNftChain *segment = NULL;

      if (rule->tag.role == PAL_NFT_ROLE_SEGMENT && rule->stmts != NULL && rule->stmts->len == 1)
        segment = pal_nft_plan_lookup_chain (reader->plan,
                                             ((PalNftStmt *) g_ptr_array_index (rule->stmts, 0))->chain);
      if (segment == NULL || depth > 0)
        {
          g_ptr_array_add (out, rule);
          continue;
        }
      g_hash_table_add (reader->reached, segment->name);
      flatten (reader, segment, out, depth + 1);
    }
}

/* The items of a level, in an order that keeps every hook's order. */
static GPtrArray *
collect_items (Reader *reader,
               Level  *level)
{
  g_autoptr(GHashTable) items = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GTree) ready = g_tree_new_full (compare_priority, NULL, NULL, NULL);
  GPtrArray *sorted = g_ptr_array_new_with_free_func (item_free);
  guint64 seen = 0;

  for (guint h = 0; h < PAL_NFT_N_HOOKS; h++)
    {
      PalNftChain *chain = level->chains[h];
      g_autoptr(GPtrArray) rules = g_ptr_array_new ();
      Item *previous = NULL;

      flatten (reader, chain, rules, 0);
      for (guint i = 0; i < rules->len; i++)
        {
          PalNftKernelRule *rule = g_ptr_array_index (rules, i);
          g_autofree char *key = NULL;
          Item *item;

          if (!listed (rule))
            continue;
          key = rule->tag.role == PAL_NFT_ROLE_FOREIGN
                ? g_strdup_printf ("foreign/%s/%" G_GUINT64_FORMAT, chain->name, rule->handle)
                : g_strdup (rule->tag.id);
          item = get_item (items, all, key, rule, reader, seen++);
          if (item->rules[h] == NULL)
            item->rules[h] = g_ptr_array_new ();
          g_ptr_array_add (item->rules[h], rule);
          if (previous != NULL && previous != item)
            {
              g_ptr_array_add (previous->next, item);
              item->incoming++;
            }
          previous = item;
        }
    }

  /* Kahn's topological sort, smallest priority first. */
  for (guint i = 0; i < all->len; i++)
    if (((Item *) g_ptr_array_index (all, i))->incoming == 0)
      g_tree_insert (ready, g_ptr_array_index (all, i), NULL);
  while (g_tree_nnodes (ready) > 0)
    {
      GTreeNode *node = g_tree_node_first (ready);
      Item *item = g_tree_node_key (node);

      g_tree_remove (ready, item);
      g_ptr_array_add (sorted, item);
      for (guint i = 0; i < item->next->len; i++)
        {
          Item *next = g_ptr_array_index (item->next, i);

          if (--next->incoming == 0)
            g_tree_insert (ready, next, NULL);
        }
    }
  /* A cycle, impossible from our chains, would leave items out. */
  for (guint i = 0; i < all->len; i++)
    if (((Item *) g_ptr_array_index (all, i))->incoming > 0)
      item_free (g_ptr_array_index (all, i));
  return sorted;
}

/* Verification */

static gsize
canon_body_length (const char *canon)
{
  const char *bar = strrchr (canon, '|');

  return bar != NULL ? (gsize) (bar - canon) : strlen (canon);
}

/* Same expressions and same meaning; names and value texts may differ (a
 * name may have been shortened, a value written otherwise). */
static gboolean
same_kernel_rule (PalNftKernelRule *a,
                  PalNftKernelRule *b)
{
  gsize length;

  if (a->canon == NULL || b->canon == NULL)
    return FALSE;
  length = canon_body_length (a->canon);
  return length == canon_body_length (b->canon) && strncmp (a->canon, b->canon, length) == 0
         && a->tag.role == b->tag.role && g_strcmp0 (a->tag.id, b->tag.id) == 0
         && a->tag.has_rule == b->tag.has_rule && a->tag.property == b->tag.property
         && a->tag.relation == b->tag.relation && a->tag.action == b->tag.action;
}

static gboolean
same_list (GPtrArray *kernel,
           GPtrArray *compiled)
{
  guint n = kernel != NULL ? kernel->len : 0;

  if (n != compiled->len)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!same_kernel_rule (g_ptr_array_index (kernel, i), g_ptr_array_index (compiled, i)))
      return FALSE;
  return TRUE;
}

/* The chain a rule's kernel rules jump or go to in a hook, if any. */
static const char *
child_chain (GPtrArray *rules,
             gboolean  *by_goto)
{
  for (guint i = 0; rules != NULL && i < rules->len; i++)
    {
      PalNftKernelRule *rule = g_ptr_array_index (rules, i);

      for (guint j = 0; rule->stmts != NULL && j < rule->stmts->len; j++)
        {
          PalNftStmt *stmt = g_ptr_array_index (rule->stmts, j);

          if (stmt->kind == PAL_NFT_STMT_VERDICT && (stmt->verdict == NFT_JUMP || stmt->verdict == NFT_GOTO)
              && stmt->chain != NULL && !g_str_has_prefix (stmt->chain, "default-"))
            {
              *by_goto = stmt->verdict == NFT_GOTO;
              return stmt->chain;
            }
        }
    }
  return NULL;
}

static GPtrArray *
tails_of (PalNftChain *chain,
          const char  *id)
{
  GPtrArray *tails = g_ptr_array_new ();

  for (guint i = 0; chain != NULL && i < chain->rules->len; i++)
    {
      PalNftKernelRule *rule = g_ptr_array_index (chain->rules, i);

      if (rule->tag.role == PAL_NFT_ROLE_TAIL && g_strcmp0 (rule->tag.id, id) == 0)
        g_ptr_array_add (tails, rule);
    }
  return tails;
}

static gboolean
verify (Reader *reader,
        PalRule *rule,
        Level   *level,
        Item    *item,
        Level   *children)
{
  guint32 key = GPOINTER_TO_UINT (g_hash_table_lookup (reader->plan->keys, pal_rule_get_id (rule)));

  for (guint h = 0; h < PAL_NFT_N_HOOKS; h++)
    {
      g_autoptr(GPtrArray) compiled = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_nft_kernel_rule_free);
      g_autoptr(GPtrArray) tails = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_nft_kernel_rule_free);
      g_autoptr(GPtrArray) kernel_tails = NULL;

      if (level->chains[h] == NULL)
        continue;
      if (!pal_nft_compile_rule_in_chain (rule, reader->context, h, level->exit_is_return[h], key,
                                          compiled, NULL)
          || !same_list (item->rules[h], compiled))
        return FALSE;
      if (children->chains[h] == NULL)
        continue;
      kernel_tails = tails_of (children->chains[h], pal_rule_get_id (rule));
      if (!pal_nft_compile_tail (rule, reader->context, h, level->exit_is_return[h], key, tails, NULL)
          || !same_list (kernel_tails, tails))
        return FALSE;
    }
  return TRUE;
}

/* Deriving texts */

static GPtrArray *
action_rules (Item   *item,
              Level  *children)
{
  GPtrArray *rules = g_ptr_array_new ();

  for (guint h = 0; h < PAL_NFT_N_HOOKS; h++)
    {
      g_autoptr(GPtrArray) tails = NULL;

      if (children->chains[h] != NULL)
        {
          tails = tails_of (children->chains[h], item->key);
          g_ptr_array_extend (rules, tails, NULL, NULL);
        }
      else if (item->rules[h] != NULL)
        g_ptr_array_extend (rules, item->rules[h], NULL, NULL);
    }
  return rules;
}

static PalNftStmt *
find_stmt (GPtrArray      *rules,
           PalNftStmtKind  kind)
{
  for (guint i = 0; i < rules->len; i++)
    {
      PalNftKernelRule *rule = g_ptr_array_index (rules, i);

      for (guint j = 0; rule->stmts != NULL && j < rule->stmts->len; j++)
        if (((PalNftStmt *) g_ptr_array_index (rule->stmts, j))->kind == kind)
          return g_ptr_array_index (rule->stmts, j);
    }
  return NULL;
}

static char *
derive_parameter (Reader    *reader,
                  PalAction  action,
                  GPtrArray *rules)
{
  PalNftStmt *stmt;

  switch (action)
    {
    case PAL_ACTION_REJECT:
      {
        static const char *const codes[] = {
          [NFT_REJECT_ICMPX_NO_ROUTE] = "no-route",
          [NFT_REJECT_ICMPX_PORT_UNREACH] = "port-unreachable",
          [NFT_REJECT_ICMPX_HOST_UNREACH] = "host-unreachable",
          [NFT_REJECT_ICMPX_ADMIN_PROHIBITED] = "admin-prohibited",
        };

        if (find_stmt (rules, PAL_NFT_STMT_REJECT) != NULL
            && ((PalNftStmt *) find_stmt (rules, PAL_NFT_STMT_REJECT))->reject_type == NFT_REJECT_TCP_RST)
          return g_strdup ("");
        stmt = find_stmt (rules, PAL_NFT_STMT_REJECT);
        return g_strdup (stmt != NULL && stmt->reject_code < G_N_ELEMENTS (codes) ? codes[stmt->reject_code] : "");
      }
    case PAL_ACTION_TRIGGER:
    case PAL_ACTION_AUTHORIZE:
    case PAL_ACTION_KEEP_ADDRESS:
      stmt = find_stmt (rules, PAL_NFT_STMT_UPDATE);
      if (stmt == NULL || stmt->timeout_ms / 1000 == pal_document_get_trigger_duration (reader->context))
        return g_strdup ("");
      if (stmt->timeout_ms == 0)
        return g_strdup ("forever");
      return pal_duration_print (stmt->timeout_ms / 1000);
    case PAL_ACTION_LOG:
    case PAL_ACTION_ALERT:
      {
        const char *text = "";
        guint32 key;

        stmt = find_stmt (rules, PAL_NFT_STMT_LOG);
        if (stmt != NULL && stmt->prefix != NULL)
          pal_log_prefix_parse (stmt->prefix, &key, &text);
        return g_strdup (text);
      }
    case PAL_ACTION_RATE_LIMIT:
      {
        const char *unit;

        stmt = find_stmt (rules, PAL_NFT_STMT_LIMIT);
        if (stmt == NULL)
          return g_strdup ("");
        unit = stmt->unit == 1 ? "second" : stmt->unit == 60 ? "minute"
               : stmt->unit == 3600 ? "hour" : "day";
        if (stmt->burst != 5)
          return g_strdup_printf ("%" G_GUINT64_FORMAT "/%s burst %u", stmt->rate, unit, stmt->burst);
        return g_strdup_printf ("%" G_GUINT64_FORMAT "/%s", stmt->rate, unit);
      }
    default:
      return g_strdup ("");
    }
}

/* Long values (kept out of the userdata): the elements the rule's
 * expressions test, for the properties whose values are long lists. */
static gboolean
value_field (PalProperty property,
             PalNftField field)
{
  switch (property)
    {
    case PAL_PROPERTY_SOURCE_ADDRESS:
      return field == PAL_NFT_FIELD_IP_SADDR || field == PAL_NFT_FIELD_IP6_SADDR;
    case PAL_PROPERTY_DESTINATION_ADDRESS:
      return field == PAL_NFT_FIELD_IP_DADDR || field == PAL_NFT_FIELD_IP6_DADDR;
    case PAL_PROPERTY_SOURCE_MAC:
      return field == PAL_NFT_FIELD_ETHER_SADDR;
    case PAL_PROPERTY_DESTINATION_MAC:
      return field == PAL_NFT_FIELD_ETHER_DADDR;
    case PAL_PROPERTY_SOURCE_PORT:
      return field == PAL_NFT_FIELD_TH_SPORT;
    case PAL_PROPERTY_DESTINATION_PORT:
      return field == PAL_NFT_FIELD_TH_DPORT;
    case PAL_PROPERTY_USER:
      return field == PAL_NFT_FIELD_SKUID;
    case PAL_PROPERTY_PACKET_LENGTH:
      return field == PAL_NFT_FIELD_LENGTH;
    default:
      return FALSE;
    }
}

static char *
extract_value (Reader      *reader,
               PalProperty  property,
               Item        *item)
{
  g_autoptr(PalNftElements) v4 = NULL;
  g_autoptr(PalNftElements) v6 = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint h = 0; h < PAL_NFT_N_HOOKS; h++)
    for (guint i = 0; item->rules[h] != NULL && i < item->rules[h]->len; i++)
      {
        PalNftKernelRule *rule = g_ptr_array_index (item->rules[h], i);

        for (guint j = 0; j < rule->atoms->len; j++)
          {
            PalNftAtom *atom = g_ptr_array_index (rule->atoms, j);
            gboolean six = atom->field == PAL_NFT_FIELD_IP6_SADDR || atom->field == PAL_NFT_FIELD_IP6_DADDR;
            PalNftElements **into = six ? &v6 : &v4;
            PalNftElements *elements = atom->elements;
            PalNftField list_field;

            /* A named list set (pal-nft-plan.h) holds the rule's list. */
            if (atom->set_name != NULL && pal_nft_list_set_parse (atom->set_name, &list_field)
                && list_field == atom->field)
              {
                PalNftSetDef *set = pal_nft_plan_lookup_set (reader->plan, atom->set_name);

                elements = set != NULL && !set->foreign ? set->elements : NULL;
                if (elements == NULL)
                  continue;
              }
            else if (atom->set_name != NULL)
              continue;
            if (!value_field (property, atom->field))
              continue;
            if (*into == NULL)
              *into = pal_nft_elements_new (atom->field);
            if (atom->test == PAL_NFT_TEST_LOOKUP)
              for (guint k = 0; k < elements->ranges->len; k++)
                {
                  PalNftRange *range = &g_array_index (elements->ranges, PalNftRange, k);

                  pal_nft_elements_add (*into, range->first, range->last);
                }
            else
              pal_nft_elements_add (*into, atom->value,
                                    atom->test == PAL_NFT_TEST_RANGE ? atom->value_to : atom->value);
          }
      }
  if (v4 != NULL)
    {
      pal_nft_elements_normalize (v4);
      pal_nft_elements_print (v4, text);
    }
  if (v6 != NULL)
    {
      pal_nft_elements_normalize (v6);
      if (text->len > 0)
        g_string_append (text, ", ");
      pal_nft_elements_print (v6, text);
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

/* Building rules */

static PalRule *build_rule (Reader *reader,
                            Level  *level,
                            Item   *item);

static void
add_children (Reader   *reader,
              Level    *children,
              PalRule  *parent)
{
  g_autoptr(GPtrArray) items = collect_items (reader, children);

  for (guint i = 0; i < items->len; i++)
    {
      g_autoptr(PalRule) child = build_rule (reader, children, g_ptr_array_index (items, i));

      pal_rule_append_child (parent, child);
    }
}

static PalRule *
read_only_rule (const char *text)
{
  PalRule *rule = pal_rule_new (PAL_PROPERTY_ANY, PAL_ACTION_COUNT);

  pal_rule_set_name (rule, text);
  pal_rule_set_read_only (rule, TRUE);
  return rule;
}

static PalRule *
candidate_from_tag (Reader *reader,
                    Item   *item,
                    Level  *children)
{
  PalNftTag *tag = &item->first->tag;
  g_autofree char *value = tag->value != NULL ? g_strdup (tag->value) : extract_value (reader, tag->property, item);
  g_autoptr(GPtrArray) rules = action_rules (item, children);
  g_autofree char *parameter = derive_parameter (reader, tag->action, rules);
  PalRule *applied = g_hash_table_lookup (reader->applied_rules, tag->id);
  PalRule *rule;

  if (!tag->has_rule || value == NULL)
    return NULL;
  rule = pal_rule_new (tag->property, tag->action);
  pal_rule_set_id (rule, tag->id);
  pal_rule_set_relation (rule, tag->relation);
  pal_rule_set_value (rule, value);
  pal_rule_set_parameter (rule, parameter);
  /* The userdata may hold a shortened name. */
  if (applied != NULL && tag->name != NULL && g_str_has_prefix (pal_rule_get_name (applied), tag->name))
    pal_rule_set_name (rule, pal_rule_get_name (applied));
  else
    pal_rule_set_name (rule, tag->name);
  return rule;
}

static PalRule *
candidate_from_applied (Reader *reader,
                        Item   *item)
{
  PalRule *applied = g_hash_table_lookup (reader->applied_rules, item->key);
  PalNftTag *tag = &item->first->tag;
  PalRule *rule;

  /* The name is not in the expressions: it must at least agree with the
   * (maybe shortened) one in the userdata. */
  if (applied == NULL || (tag->name != NULL && !g_str_has_prefix (pal_rule_get_name (applied), tag->name)))
    return NULL;
  rule = pal_rule_new (pal_rule_get_property (applied), pal_rule_get_action (applied));
  pal_rule_set_id (rule, pal_rule_get_id (applied));
  pal_rule_set_relation (rule, pal_rule_get_relation (applied));
  pal_rule_set_value (rule, pal_rule_get_value (applied));
  pal_rule_set_parameter (rule, pal_rule_get_parameter (applied));
  pal_rule_set_name (rule, pal_rule_get_name (applied));
  return rule;
}

/* The level below an item: the chains its kernel rules jump to. */
static gboolean
child_level (Reader *reader,
             Level  *level,
             Item   *item,
             Level  *children)
{
  gboolean any = FALSE;

  memset (children, 0, sizeof *children);
  for (guint h = 0; h < PAL_NFT_N_HOOKS; h++)
    {
      gboolean by_goto = FALSE;
      const char *name = child_chain (item->rules[h], &by_goto);

      if (name == NULL)
        continue;
      children->chains[h] = pal_nft_plan_lookup_chain (reader->plan, name);
      children->exit_is_return[h] = by_goto ? level->exit_is_return[h] : TRUE;
      if (children->chains[h] != NULL)
        {
          g_hash_table_add (reader->reached, children->chains[h]->name);
          any = TRUE;
        }
    }
  return any;
}

static char *
kernel_text (Item *item)
{
  for (guint h = 0; h < PAL_NFT_N_HOOKS; h++)
    if (item->rules[h] != NULL)
      return pal_nft_kernel_rule_to_text (g_ptr_array_index (item->rules[h], 0));
  return g_strdup ("");
}

static PalRule *
build_rule (Reader *reader,
            Level  *level,
            Item   *item)
{
  Level children;
  gboolean has_children = !item->foreign && child_level (reader, level, item, &children);
  PalRule *candidates[2] = { NULL, NULL };
  PalRule *chosen = NULL;
  g_autofree char *text = NULL;

  if (item->foreign)
    return read_only_rule (item->first->text);

  if (!has_children)
    memset (&children, 0, sizeof children);
  candidates[0] = candidate_from_applied (reader, item);
  candidates[1] = candidate_from_tag (reader, item, &children);
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autoptr(PalRule) placeholder = NULL;

      if (candidates[i] == NULL || chosen != NULL)
        continue;
      /* Its kernel rules depend on whether it has children, not on which. */
      if (has_children)
        {
          placeholder = pal_rule_new (PAL_PROPERTY_ANY, PAL_ACTION_GROUP);
          pal_rule_append_child (candidates[i], placeholder);
        }
      if (verify (reader, candidates[i], level, item, &children))
        chosen = g_object_ref (candidates[i]);
      if (has_children)
        pal_rule_remove_child (candidates[i], 0);
    }
  g_clear_object (&candidates[0]);
  g_clear_object (&candidates[1]);

  if (chosen == NULL)
    {
      text = kernel_text (item);
      chosen = read_only_rule (text);
    }
  if (has_children)
    add_children (reader, &children, chosen);
  return chosen;
}

/* Rules that are off */

/* Every rule of the outline by id (borrowed). */
static void
index_built (GListModel *rules,
             GHashTable *by_id)
{
  guint n = g_list_model_get_n_items (rules);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) rule = g_list_model_get_item (rules, i);

      g_hash_table_insert (by_id, (gpointer) pal_rule_get_id (rule), rule);
      index_built (pal_rule_get_children (rule), by_id);
    }
}

/* The place after the sibling previous (first place when NULL, last
 * when it is not there). */
static guint
place_after (GListModel *siblings,
             GPtrArray  *top,
             const char *previous)
{
  guint n = top != NULL ? top->len : g_list_model_get_n_items (siblings);

  for (guint i = 0; previous != NULL && i < n; i++)
    {
      PalRule *other = top != NULL ? g_object_ref (g_ptr_array_index (top, i))
                                   : g_list_model_get_item (siblings, i);
      gboolean same = g_strcmp0 (pal_rule_get_id (other), previous) == 0;

      g_object_unref (other);
      if (same)
        return i + 1;
    }
  return previous != NULL ? n : 0;
}

/* Puts a rule that is off back at its place, after its parent and
 * previous sibling (which come before it in the chain). */
static gboolean
insert_inert (GHashTable *by_id,
              GPtrArray  *top,
              const char *id,
              const char *record)
{
  g_autofree char *parent_id = NULL;
  g_autofree char *previous = NULL;
  g_autoptr(PalRule) rule = pal_nft_inert_rule_from_record (id, record, &parent_id, &previous);
  PalRule *parent = NULL;

  if (rule == NULL || g_hash_table_contains (by_id, id))
    return FALSE;
  if (parent_id != NULL)
    {
      parent = g_hash_table_lookup (by_id, parent_id);
      /* Its parent is gone or not ours: at the end of the top level. */
      if (parent == NULL || pal_rule_get_read_only (parent))
        {
          parent = NULL;
          g_free (previous);
          previous = g_strdup ("");
        }
    }
  if (parent != NULL)
    pal_rule_insert_child (parent, place_after (pal_rule_get_children (parent), NULL, previous), rule);
  else
    g_ptr_array_insert (top, (gint) place_after (NULL, top, previous), g_object_ref (rule));
  g_hash_table_insert (by_id, (gpointer) pal_rule_get_id (rule), rule);
  return TRUE;
}

/* The rules of the inert chain, each from its pieces, at their places;
 * anything there that is not a rule of ours comes back read-only. */
static void
restore_inert (Reader    *reader,
               GPtrArray *top)
{
  PalNftChain *chain = pal_nft_plan_lookup_chain (reader->plan, PAL_NFT_INERT_CHAIN);
  g_autoptr(GPtrArray) flat = g_ptr_array_new ();
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) record = g_string_new (NULL);

  if (chain == NULL || chain->foreign || chain->hook != -1)
    return;
  g_hash_table_add (reader->reached, chain->name);
  flatten (reader, chain, flat, 0);
  for (guint i = 0; i < top->len; i++)
    {
      PalRule *rule = g_ptr_array_index (top, i);

      g_hash_table_insert (by_id, (gpointer) pal_rule_get_id (rule), rule);
      index_built (pal_rule_get_children (rule), by_id);
    }
  for (guint i = 0; i < flat->len; i++)
    {
      PalNftKernelRule *rule = g_ptr_array_index (flat, i);
      PalNftKernelRule *next = i + 1 < flat->len ? g_ptr_array_index (flat, i + 1) : NULL;
      gboolean ours = rule->tag.role == PAL_NFT_ROLE_INERT && rule->atoms->len == 0 && rule->stmts->len == 1
                      && ((PalNftStmt *) g_ptr_array_index (rule->stmts, 0))->kind == PAL_NFT_STMT_VERDICT
                      && ((PalNftStmt *) g_ptr_array_index (rule->stmts, 0))->verdict == NFT_CONTINUE;

      if (ours)
        g_string_append (record, rule->tag.value);
      if (ours && next != NULL && next->tag.role == PAL_NFT_ROLE_INERT
          && g_strcmp0 (next->tag.id, rule->tag.id) == 0)
        continue;
      if (!ours || !insert_inert (by_id, top, rule->tag.id, record->str))
        {
          g_autofree char *text = rule->tag.role == PAL_NFT_ROLE_FOREIGN ? NULL : pal_nft_kernel_rule_to_text (rule);
          g_autofree char *name = g_strdup_printf ("chain %s: %s", chain->name,
                                                   text != NULL ? text : rule->text);

          g_ptr_array_add (top, read_only_rule (name));
        }
      g_string_truncate (record, 0);
    }
}

/* Document settings */

static PalVerdict
default_verdict (PalNftPlan *plan,
                 guint64    *duration,
                 gboolean   *log_denied)
{
  PalNftChain *chain = pal_nft_plan_lookup_chain (plan, "input");

  for (guint i = 0; chain != NULL && i < chain->rules->len; i++)
    {
      PalNftKernelRule *rule = g_ptr_array_index (chain->rules, i);

      if (rule->tag.role != PAL_NFT_ROLE_DEFAULT || rule->stmts == NULL)
        continue;
      *duration = rule->tag.duration;
      *log_denied = g_strcmp0 (rule->tag.value, PAL_NFT_LOG_DENIED) == 0;
      for (guint j = 0; j < rule->stmts->len; j++)
        {
          PalNftStmt *stmt = g_ptr_array_index (rule->stmts, j);

          if (stmt->kind == PAL_NFT_STMT_REJECT)
            return PAL_VERDICT_REJECT;
          if (stmt->kind == PAL_NFT_STMT_VERDICT)
            return stmt->verdict == NF_DROP ? PAL_VERDICT_DROP : PAL_VERDICT_PASS;
        }
    }
  return PAL_VERDICT_PASS;
}

static void
add_interfaces (PalNftPlan  *plan,
                PalDocument *document)
{
  const char *const names[] = { PAL_NFT_SET_EXTERNAL, PAL_NFT_SET_UNFILTERED };

  for (guint s = 0; s < G_N_ELEMENTS (names); s++)
    {
      PalNftSetDef *set = pal_nft_plan_lookup_set (plan, names[s]);

      for (guint i = 0; set != NULL && set->elements != NULL && i < set->elements->ranges->len; i++)
        {
          PalNftRange *range = &g_array_index (set->elements->ranges, PalNftRange, i);
          g_autofree char *name = g_strndup ((const char *) range->first, 15);
          PalInterfaceConfig *config = pal_document_lookup_interface (document, name);
          g_autoptr(PalInterfaceConfig) created = NULL;

          if (*name == '\0')
            continue;
          if (config == NULL)
            {
              created = pal_interface_config_new (name);
              config = created;
            }
          if (s == 0)
            pal_interface_config_set_external (config, TRUE);
          else
            pal_interface_config_set_filter (config, FALSE);
          if (created != NULL)
            pal_document_set_interface (document, created);
        }
    }
}

static void
add_trusted (PalNftPlan  *plan,
             PalDocument *document)
{
  g_autoptr(GPtrArray) trusted = g_ptr_array_new_with_free_func (g_free);
  const char *const names[] = { "trusted4", "trusted6" };

  for (guint s = 0; s < G_N_ELEMENTS (names); s++)
    {
      PalNftSetDef *set = pal_nft_plan_lookup_set (plan, names[s]);

      for (guint i = 0; set != NULL && set->elements != NULL && i < set->elements->ranges->len; i++)
        {
          g_autoptr(PalNftElements) one = pal_nft_elements_new (set->field);
          g_autoptr(GString) text = g_string_new (NULL);
          PalNftRange *range = &g_array_index (set->elements->ranges, PalNftRange, i);

          pal_nft_elements_add (one, range->first, range->last);
          pal_nft_elements_print (one, text);
          g_ptr_array_add (trusted, g_string_free (g_steal_pointer (&text), FALSE));
        }
    }
  g_ptr_array_add (trusted, NULL);
  pal_document_set_trusted (document, (const char * const *) trusted->pdata);
}

static void
add_foreign_chains (Reader      *reader,
                    PalDocument *document)
{
  for (guint c = 0; c < reader->plan->chains->len; c++)
    {
      PalNftChain *chain = g_ptr_array_index (reader->plan->chains, c);

      if (g_hash_table_contains (reader->reached, chain->name) || g_str_has_prefix (chain->name, "default-"))
        continue;
      for (guint i = 0; i < chain->rules->len; i++)
        {
          PalNftKernelRule *rule = g_ptr_array_index (chain->rules, i);
          g_autofree char *text = pal_nft_kernel_rule_to_text (rule);
          g_autofree char *name = g_strdup_printf ("chain %s: %s", chain->name, text);
          g_autoptr(PalRule) read_only = read_only_rule (name);

          pal_document_append_rule (document, read_only);
        }
    }
}

PalDocument *
pal_nft_active_document (PalNftPlan   *plan,
                         PalDocument  *applied,
                         GError      **error)
{
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autoptr(GHashTable) order = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) reached = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) applied_rules = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func (g_object_unref);
  Reader reader = { plan, applied, NULL, order, applied_rules, reached };
  Level top = { { NULL, }, { FALSE, } };
  guint64 duration = 0;
  gboolean log_denied = FALSE;

  if (plan == NULL)
    return g_steal_pointer (&document);

  if (applied != NULL)
    {
      index_applied (pal_document_get_rules (applied), order, applied_rules);
      pal_document_set_adaptive (document, pal_document_get_adaptive (applied));
    }
  pal_document_set_enabled (document, !plan->dormant);
  pal_document_set_default_verdict (document, default_verdict (plan, &duration, &log_denied));
  /* Before the rules: whether a rule logs what it denies depends on it. */
  pal_document_set_log_denied (document, log_denied);
  if (duration != 0)
    pal_document_set_trigger_duration (document, duration);
  add_interfaces (plan, document);
  add_trusted (plan, document);
  reader.context = document;

  for (guint h = 0; h < PAL_NFT_N_HOOKS; h++)
    {
      top.chains[h] = pal_nft_plan_lookup_chain (plan, pal_nft_hook_get_name (h));
      if (top.chains[h] != NULL && (top.chains[h]->foreign || top.chains[h]->hook != (gint) h))
        top.chains[h] = NULL;
      if (top.chains[h] != NULL)
        g_hash_table_add (reached, top.chains[h]->name);
    }
  items = collect_items (&reader, &top);
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (rules, build_rule (&reader, &top, g_ptr_array_index (items, i)));
  restore_inert (&reader, rules);
  pal_document_set_rules (document, rules);
  add_foreign_chains (&reader, document);
  return g_steal_pointer (&document);
}
