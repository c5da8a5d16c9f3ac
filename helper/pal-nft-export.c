/* pal-nft-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pal-nft-export.h"

static const char *
type_name (PalNftField field)
{
  switch (field)
    {
    case PAL_NFT_FIELD_IP_SADDR:
    case PAL_NFT_FIELD_IP_DADDR:
      return "ipv4_addr";
    case PAL_NFT_FIELD_IP6_SADDR:
    case PAL_NFT_FIELD_IP6_DADDR:
      return "ipv6_addr";
    case PAL_NFT_FIELD_IIFNAME:
    case PAL_NFT_FIELD_OIFNAME:
      return "ifname";
    case PAL_NFT_FIELD_TH_SPORT:
    case PAL_NFT_FIELD_TH_DPORT:
      return "inet_service";
    case PAL_NFT_FIELD_L4PROTO:
    default:
      return "inet_proto";
    }
}

static void
print_string (GString    *out,
              const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
print_hits (PalNftPlan   *plan,
            PalNftSetDef *set,
            GString      *out)
{
  GHashTableIter iter;
  gpointer id, key;
  gboolean first = TRUE;
  g_autofree char *default_set = pal_nft_hits_set_name (PAL_NFT_DEFAULT_KEY);

  guint64 days = PAL_NFT_HITS_TIMEOUT_MS / (24 * 3600 * 1000);

  g_string_append_printf (out, "\tset %s {\n\t\ttype mark\n\t\tsize %u\n\t\tflags dynamic,timeout\n",
                          set->name, PAL_NFT_HITS_PER_SET);
  g_string_append (out, "\t\telements = { ");
  if (g_str_equal (set->name, default_set))
    {
      g_string_append_printf (out, "%u counter timeout %" G_GUINT64_FORMAT "d comment \"%s\"",
                              PAL_NFT_DEFAULT_KEY, days, PAL_NFT_DEFAULT_ID);
      first = FALSE;
    }
  g_hash_table_iter_init (&iter, plan->keys);
  while (g_hash_table_iter_next (&iter, &id, &key))
    {
      g_autofree char *name = pal_nft_hits_set_name (GPOINTER_TO_UINT (key));

      if (!g_str_equal (name, set->name))
        continue;
      g_string_append_printf (out, "%s%u counter timeout %" G_GUINT64_FORMAT "d comment \"%s\"",
                              first ? "" : ",\n\t\t\t     ", GPOINTER_TO_UINT (key), days,
                              (const char *) id);
      first = FALSE;
    }
  if (first)
    g_string_truncate (out, out->len - strlen ("\t\telements = { "));
  else
    g_string_append (out, " }\n");
  g_string_append (out, "\t}\n\n");
}

static void
print_set (PalNftPlan   *plan,
           PalNftSetDef *set,
           GString      *out)
{
  switch (set->kind)
    {
    case PAL_NFT_SET_HITS:
      print_hits (plan, set, out);
      return;
    case PAL_NFT_SET_DYNAMIC:
      g_string_append_printf (out, "\tset %s {\n\t\ttype %s\n\t\tsize %u\n\t\tflags dynamic,timeout\n\t}\n\n",
                              set->name, type_name (set->field), PAL_NFT_DYNAMIC_SET_SIZE);
      return;
    case PAL_NFT_SET_CONSTANT:
    default:
      g_string_append_printf (out, "\tset %s {\n\t\ttype %s\n\t\tflags interval\n",
                              set->name, type_name (set->field));
      if (set->elements != NULL && set->elements->ranges->len > 0)
        {
          g_string_append (out, "\t\telements = { ");
          pal_nft_elements_print (set->elements, out);
          g_string_append (out, " }\n");
        }
      g_string_append (out, "\t}\n\n");
      return;
    }
}

static void
print_comment (const PalNftKernelRule *rule,
               GString                *out)
{
  const char *comment = NULL;
  g_autofree char *text = NULL;

  switch (rule->tag.role)
    {
    case PAL_NFT_ROLE_RULE:
    case PAL_NFT_ROLE_PART:
      comment = rule->tag.id;
      break;
    case PAL_NFT_ROLE_TAIL:
      comment = text = g_strdup_printf ("end of %s", rule->tag.id);
      break;
    case PAL_NFT_ROLE_DEFAULT:
      comment = "default verdict";
      break;
    case PAL_NFT_ROLE_UNFILTERED:
      comment = "interfaces not filtered";
      break;
    case PAL_NFT_ROLE_SEGMENT:
      comment = "next segment";
      break;
    case PAL_NFT_ROLE_INERT:
      comment = text = g_strdup_printf ("disabled %s", rule->tag.id);
      break;
    case PAL_NFT_ROLE_FOREIGN:
    default:
      break;
    }
  if (comment != NULL)
    {
      g_string_append (out, " comment ");
      print_string (out, comment);
    }
}

static void
print_chain (PalNftChain *chain,
             GString     *out)
{
  g_string_append_printf (out, "\tchain %s {\n", chain->name);
  if (chain->hook >= 0)
    g_string_append_printf (out, "\t\ttype filter hook %s priority filter + %d; policy accept;\n",
                            pal_nft_hook_get_name (chain->hook), chain->priority);
  for (guint i = 0; i < chain->rules->len; i++)
    {
      PalNftKernelRule *rule = g_ptr_array_index (chain->rules, i);
      g_autofree char *text = pal_nft_kernel_rule_to_text (rule);

      g_string_append_printf (out, "\t\t%s", text);
      print_comment (rule, out);
      g_string_append_c (out, '\n');
    }
  g_string_append (out, "\t}\n\n");
}

char *
pal_nft_export_plan (PalNftPlan *plan)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (plan != NULL, NULL);

  g_string_append (out,
                   "#!/usr/sbin/nft -f\n"
                   "# The Palisade firewall as an nft script (palisade-helper applies the same\n"
                   "# table through netlink). nft 1.0.6 cannot parse the `last` statement, so\n"
                   "# nothing here uses it: the hits sets count each rule's packets and bytes,\n"
                   "# and a match renews the rule's element, whose expiry dates the last match.\n"
                   "# Loading this replaces table inet palisade and nothing else.\n"
                   "table inet " PAL_NFT_TABLE "\n"
                   "delete table inet " PAL_NFT_TABLE "\n\n");
  g_string_append (out, "table inet " PAL_NFT_TABLE " {\n");
  if (plan->dormant)
    g_string_append (out, "\tflags dormant\n\n");
  for (guint i = 0; i < plan->sets->len; i++)
    print_set (plan, g_ptr_array_index (plan->sets, i), out);
  for (guint i = 0; i < plan->chains->len; i++)
    print_chain (g_ptr_array_index (plan->chains, i), out);
  /* No blank line before the closing brace. */
  g_string_truncate (out, out->len - 1);
  g_string_append (out, "}\n");
  return g_string_free (g_steal_pointer (&out), FALSE);
}
