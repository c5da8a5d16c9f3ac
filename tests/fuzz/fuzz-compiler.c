/* fuzz-compiler.c — the compiler, from a document to the bytes of a batch.
 *
 * The bytes are a .fwdoc; only what loads without a problem goes on, as in
 * the helper (which validates first). Oracles: a valid document compiles
 * and exports, the same way twice; compiling it again on top of its own
 * plan changes nothing; and the batch that would create the table reads
 * back: every rule message, parsed as the kernel dump is parsed (its
 * anonymous sets resolved from the same batch), gives exactly the rule
 * that was compiled. No kernel: export and batch building are pure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include "fuzz-common.h"
#include "pal-firewall.h"
#include "pal-fwdoc.h"
#include "pal-helper-error.h"
#include "pal-nft-compiler.h"
#include "pal-nft-diff.h"
#include "pal-nft-export.h"

static void fail (const char *format,
                  ...) G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN;

static void
fail (const char *format,
      ...)
{
  va_list args;

  va_start (args, format);
  fprintf (stderr, "Oracle failed: ");
  vfprintf (stderr, format, args);
  fprintf (stderr, "\n");
  va_end (args);
  abort ();
}

/* What the batch holds: anonymous sets by name, rules by chain. */
typedef struct
{
  GHashTable *sets;    /* name → struct nftnl_set */
  GHashTable *rules;   /* chain name → GPtrArray of struct nftnl_rule */
} Batch;

static void
batch_clear (Batch *batch)
{
  g_hash_table_unref (batch->sets);
  g_hash_table_unref (batch->rules);
}

/* An anonymous set is sent as "__set%d" and found by its id within the
 * batch; the kernel then names it, as this does, so the rule that uses it
 * and its elements meet under one name. */
#define ANONYMOUS_SET "__set%d"

static void
name_anonymous_set (struct nftnl_set *set,
                    guint32           id)
{
  if (g_strcmp0 (nftnl_set_get_str (set, NFTNL_SET_NAME), ANONYMOUS_SET) == 0)
    {
      g_autofree char *name = g_strdup_printf ("__set%u", id);

      nftnl_set_set_str (set, NFTNL_SET_NAME, name);
    }
}

static int
name_anonymous_lookup (struct nftnl_expr *expr,
                       void              *data)
{
  if (g_strcmp0 (nftnl_expr_get_str (expr, NFTNL_EXPR_NAME), "lookup") == 0
      && g_strcmp0 (nftnl_expr_get_str (expr, NFTNL_EXPR_LOOKUP_SET), ANONYMOUS_SET) == 0)
    {
      g_autofree char *name = g_strdup_printf ("__set%u",
                                               nftnl_expr_get_u32 (expr, NFTNL_EXPR_LOOKUP_SET_ID));

      /* libnftnl 1.2.4 replaces the name without freeing the one it
       * strdup()ed: free it here, or every replay reports a leak. */
      char *old = (char *) nftnl_expr_get_str (expr, NFTNL_EXPR_LOOKUP_SET);

      nftnl_expr_set_str (expr, NFTNL_EXPR_LOOKUP_SET, name);
      free (old);
    }
  return MNL_CB_OK;
}

/* libnftnl numbers the elements of a message it builds 1, 2, 3… where
 * its parser (as the kernel's dumps have them) wants NFTA_LIST_ELEM each:
 * the kernel ignores the number, so renumber a copy before parsing it. */
static struct nlmsghdr *
renumber_elements (const struct nlmsghdr *nlh)
{
  struct nlmsghdr *copy = g_memdup2 (nlh, nlh->nlmsg_len);
  struct nlattr *attr, *element;

  mnl_attr_for_each (attr, copy, sizeof (struct nfgenmsg))
    if (mnl_attr_get_type (attr) == NFTA_SET_ELEM_LIST_ELEMENTS)
      mnl_attr_for_each_nested (element, attr)
        element->nla_type = (element->nla_type & ~NLA_TYPE_MASK) | NFTA_LIST_ELEM;
  return copy;
}

static const char *
message_set_name (const struct nlmsghdr *nlh,
                  gboolean               elements,
                  struct nftnl_set      *into)
{
  int parsed;

  if (elements)
    {
      g_autofree struct nlmsghdr *renumbered = renumber_elements (nlh);

      parsed = nftnl_set_elems_nlmsg_parse (renumbered, into);
    }
  else
    parsed = nftnl_set_nlmsg_parse (nlh, into);
  if (parsed < 0)
    fail ("a %s message of the batch does not parse", elements ? "set element" : "set");
  if (!nftnl_set_is_set (into, NFTNL_SET_NAME))
    fail ("a set message without a name");
  name_anonymous_set (into, nftnl_set_get_u32 (into, NFTNL_SET_ID));
  return nftnl_set_get_str (into, NFTNL_SET_NAME);
}

/* A NEWSET message describes a set, NEWSETELEM messages add its elements
 * (parsed into the same object, as the dump does). */
static void
read_set (Batch                 *batch,
          const struct nlmsghdr *nlh,
          gboolean               elements)
{
  struct nftnl_set *parsed = nftnl_set_alloc ();
  const char *name = message_set_name (nlh, elements, parsed);
  struct nftnl_set *set = g_hash_table_lookup (batch->sets, name);

  if (set == NULL || !elements)
    {
      g_hash_table_replace (batch->sets, g_strdup (name), parsed);
      return;
    }
  nftnl_set_free (parsed);
  message_set_name (nlh, TRUE, set);
}

static void
read_rule (Batch                 *batch,
           const struct nlmsghdr *nlh)
{
  struct nftnl_rule *rule = nftnl_rule_alloc ();
  const char *chain;
  GPtrArray *rules;

  if (nftnl_rule_nlmsg_parse (nlh, rule) < 0)
    fail ("a rule message of the batch does not parse");
  nftnl_expr_foreach (rule, name_anonymous_lookup, NULL);
  chain = nftnl_rule_get_str (rule, NFTNL_RULE_CHAIN);
  if (chain == NULL)
    fail ("a rule message without a chain");
  rules = g_hash_table_lookup (batch->rules, chain);
  if (rules == NULL)
    {
      rules = g_ptr_array_new_with_free_func ((GDestroyNotify) nftnl_rule_free);
      g_hash_table_insert (batch->rules, g_strdup (chain), rules);
    }
  g_ptr_array_add (rules, rule);
}

static void
read_batch (Batch       *batch,
            PalNftBatch *built)
{
  gsize length = 0;
  const guint8 *data = pal_nft_batch_get_data (built, &length);
  const struct nlmsghdr *nlh = (const struct nlmsghdr *) data;
  int remaining = (int) length;

  batch->sets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) nftnl_set_free);
  batch->rules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_ptr_array_unref);
  for (; mnl_nlmsg_ok (nlh, remaining); nlh = mnl_nlmsg_next (nlh, &remaining))
    {
      if ((nlh->nlmsg_type >> 8) != NFNL_SUBSYS_NFTABLES)
        continue;   /* batch begin and end */
      switch (nlh->nlmsg_type & 0xff)
        {
        case NFT_MSG_NEWSET:
          read_set (batch, nlh, FALSE);
          break;
        case NFT_MSG_NEWSETELEM:
          read_set (batch, nlh, TRUE);
          break;
        case NFT_MSG_NEWRULE:
          read_rule (batch, nlh);
          break;
        default:
          break;
        }
    }
  if (remaining != 0)
    fail ("the batch has %d bytes after its last whole message", remaining);
}

static PalNftElements *
resolve_set (const char *name,
             gpointer    user_data)
{
  Batch *batch = user_data;
  struct nftnl_set *set = g_hash_table_lookup (batch->sets, name);

  if (set == NULL)
    return NULL;
  /* As the dump does: the field comes from the rule's lookup. */
  return pal_nft_elements_from_nftnl (set, PAL_NFT_FIELD_LENGTH);
}

/* A rule as the read-back sees it. */
static PalNftKernelRule *
parse_rule (Batch             *batch,
            struct nftnl_rule *r,
            const char        *what)
{
  GPtrArray *atoms = NULL, *stmts = NULL;
  guint32 length = 0;
  const void *udata = nftnl_rule_get_data (r, NFTNL_RULE_USERDATA, &length);
  PalNftTag tag;

  if (!pal_nft_tag_from_udata (udata, length, &tag))
    fail ("the userdata of rule %s does not read back", what);
  if (!pal_nft_parse_rule (r, resolve_set, batch, &atoms, &stmts))
    fail ("rule %s does not parse back", what);
  return pal_nft_kernel_rule_new (&tag, atoms, stmts);
}

static void
check_chain (Batch       *batch,
             PalNftChain *chain)
{
  GPtrArray *sent = g_hash_table_lookup (batch->rules, chain->name);
  guint n_sent = sent != NULL ? sent->len : 0;

  if (n_sent != chain->rules->len)
    fail ("chain %s has %u rules and the batch %u", chain->name, chain->rules->len, n_sent);
  for (guint i = 0; i < n_sent; i++)
    {
      PalNftKernelRule *compiled = g_ptr_array_index (chain->rules, i);
      g_autofree char *text = pal_nft_kernel_rule_to_text (compiled);
      g_autofree char *what = g_strdup_printf ("%u of chain %s (%s: %s)", i, chain->name,
                                               compiled->path, text);
      g_autoptr(PalNftKernelRule) read = parse_rule (batch, g_ptr_array_index (sent, i), what);

      if (g_strcmp0 (compiled->canon, read->canon) != 0)
        {
          g_autofree char *want = pal_nft_kernel_rule_to_text (compiled);
          g_autofree char *got = pal_nft_kernel_rule_to_text (read);

          fail ("rule %u of chain %s reads back as another rule:\n  compiled: %s\n  read:     %s\n"
                "  canon compiled: %s\n  canon read:     %s",
                i, chain->name, want, got, compiled->canon, read->canon);
        }
    }
}

static void
check_batch (PalNftPlan *plan)
{
  g_autoptr(PalNftBatch) built = pal_nft_batch_new (0);
  Batch batch;

  pal_nft_diff (NULL, plan, built, NULL);
  pal_nft_batch_close (built);
  read_batch (&batch, built);
  for (guint c = 0; c < plan->chains->len; c++)
    check_chain (&batch, g_ptr_array_index (plan->chains, c));
  batch_clear (&batch);
}

/* The one thing a valid document may lack to compile is outside it: a
 * service's cgroup must exist now (pal-nft-cgroup.c), in a cgroup v2 tree. */
static gboolean
refused_by_this_machine (const GError *error)
{
  return g_error_matches (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_NOT_SUPPORTED)
         || strstr (error->message, "has no cgroup now") != NULL;
}

static void
check_compile (PalDocument *document)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PalNftPlan) plan = NULL;
  g_autoptr(PalNftPlan) again = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *exported_again = NULL;

  exported = pal_firewall_export (document, &error);
  if (exported == NULL && refused_by_this_machine (error))
    return;
  if (exported == NULL)
    fail ("a document that loads does not export: %s", error->message);
  /* Each compile looks for the services' cgroups again, and a unit may
   * have started or stopped since. */
  plan = pal_nft_compile (document, NULL, &error);
  if (plan == NULL && refused_by_this_machine (error))
    return;
  if (plan == NULL)
    fail ("a document that exports does not compile: %s", error->message);
  fuzz_assert_same_text ("export of the compiled plan, twice", exported,
                         exported_again = pal_nft_export_plan (plan));

  again = pal_nft_compile (document, plan, &error);
  if (again == NULL && refused_by_this_machine (error))
    return;
  if (again == NULL)
    fail ("a document does not compile on top of its own plan: %s", error->message);
  g_clear_pointer (&exported_again, g_free);
  fuzz_assert_same_text ("export after compiling on top of the same plan", exported,
                         exported_again = pal_nft_export_plan (again));

  check_batch (plan);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(PalDocument) document = NULL;

  document = pal_fwdoc_load_data (size > 0 ? (const char *) data : "", size,
                                  "fuzz.fwdoc", NULL, NULL);
  if (document != NULL)
    check_compile (document);
  return 0;
}
