/* pal-other-table.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-document-variant.h"
#include "pal-other-table.h"

#define MAX_TABLES 1000
#define MAX_BASE_CHAINS 64

struct _PalOtherTable
{
  GObject    parent_instance;

  char      *family;
  char      *name;
  guint      n_chains;
  GPtrArray *base_chains;
};

G_DEFINE_FINAL_TYPE (PalOtherTable, pal_other_table, G_TYPE_OBJECT)

static void
base_chain_free (gpointer data)
{
  PalOtherBaseChain *chain = data;

  g_free (chain->name);
  g_free (chain->hook);
  g_free (chain);
}

static void
pal_other_table_finalize (GObject *object)
{
  PalOtherTable *self = PAL_OTHER_TABLE (object);

  g_free (self->family);
  g_free (self->name);
  g_ptr_array_unref (self->base_chains);

  G_OBJECT_CLASS (pal_other_table_parent_class)->finalize (object);
}

static void
pal_other_table_class_init (PalOtherTableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pal_other_table_finalize;
}

static void
pal_other_table_init (PalOtherTable *self)
{
  self->base_chains = g_ptr_array_new_with_free_func (base_chain_free);
}

static PalOtherTable *
table_from_variant (GVariant *entry)
{
  PalOtherTable *self = g_object_new (PAL_TYPE_OTHER_TABLE, NULL);
  g_autoptr(GVariantIter) base = NULL;
  const char *name, *hook;
  gint32 priority;

  g_variant_get (entry, "(ssua(ssi))", &self->family, &self->name, &self->n_chains, &base);
  while (self->base_chains->len < MAX_BASE_CHAINS && g_variant_iter_next (base, "(&s&si)", &name, &hook, &priority))
    {
      PalOtherBaseChain *chain = g_new0 (PalOtherBaseChain, 1);

      chain->name = g_strdup (name);
      chain->hook = g_strdup (hook);
      chain->priority = priority;
      g_ptr_array_add (self->base_chains, chain);
    }
  return self;
}

GListModel *
pal_other_table_list_from_variant (GVariant *tables)
{
  GListStore *store = g_list_store_new (PAL_TYPE_OTHER_TABLE);
  gsize n;

  g_return_val_if_fail (tables != NULL, G_LIST_MODEL (store));
  g_return_val_if_fail (g_variant_is_of_type (tables, G_VARIANT_TYPE ("a(ssua(ssi))")), G_LIST_MODEL (store));

  n = MIN (g_variant_n_children (tables), MAX_TABLES);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) entry = g_variant_get_child_value (tables, i);
      g_autoptr(PalOtherTable) table = table_from_variant (entry);

      g_list_store_append (store, table);
    }
  return G_LIST_MODEL (store);
}

const char *
pal_other_table_get_family (PalOtherTable *self)
{
  g_return_val_if_fail (PAL_IS_OTHER_TABLE (self), NULL);
  return self->family;
}

const char *
pal_other_table_get_name (PalOtherTable *self)
{
  g_return_val_if_fail (PAL_IS_OTHER_TABLE (self), NULL);
  return self->name;
}

guint
pal_other_table_get_n_chains (PalOtherTable *self)
{
  g_return_val_if_fail (PAL_IS_OTHER_TABLE (self), 0);
  return self->n_chains;
}

GPtrArray *
pal_other_table_get_base_chains (PalOtherTable *self)
{
  g_return_val_if_fail (PAL_IS_OTHER_TABLE (self), NULL);
  return self->base_chains;
}

char *
pal_other_table_get_title (PalOtherTable *self)
{
  g_return_val_if_fail (PAL_IS_OTHER_TABLE (self), NULL);
  return g_strdup_printf ("%s %s", self->family, self->name);
}

static gboolean
is_ip_family (const char *family)
{
  return g_str_equal (family, "ip") || g_str_equal (family, "ip6") || g_str_equal (family, "inet");
}

/* Palisade's base chains: family inet, these hooks, PAL_TABLE_PRIORITY. */
static gboolean
is_palisade_hook (const char *hook)
{
  return g_str_equal (hook, "input") || g_str_equal (hook, "forward") || g_str_equal (hook, "output");
}

/* Where a base chain of a table of family runs against Palisade's;
 * NULL when neither is on the other's path. */
static const char *
relation (const char              *family,
          const PalOtherBaseChain *chain)
{
  if (g_str_equal (family, "arp"))
    return _("ARP, which Palisade does not filter");
  if (g_str_equal (family, "bridge"))
    return _("bridged frames, beside Palisade's path");
  if (g_str_equal (chain->hook, "prerouting") || g_str_equal (chain->hook, "ingress"))
    return _("before all of Palisade's chains");
  if (g_str_equal (chain->hook, "postrouting") || g_str_equal (chain->hook, "egress"))
    return _("after all of Palisade's chains");
  if (!is_ip_family (family) || !is_palisade_hook (chain->hook))
    return NULL;
  if (chain->priority < PAL_TABLE_PRIORITY)
    return _("before Palisade's chain on this hook");
  if (chain->priority > PAL_TABLE_PRIORITY)
    return _("after Palisade's chain on this hook");
  return _("the same priority as Palisade's chain, so either may run first");
}

char *
pal_other_table_describe (PalOtherTable *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (PAL_IS_OTHER_TABLE (self), NULL);

  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u chain", "%u chains", self->n_chains),
                          self->n_chains);
  if (self->base_chains->len == 0)
    g_string_append_printf (text, "\n%s", _("No base chain: it filters no packets by itself"));
  for (guint i = 0; i < self->base_chains->len; i++)
    {
      PalOtherBaseChain *chain = g_ptr_array_index (self->base_chains, i);

      const char *where = relation (self->family, chain);

      g_string_append_c (text, '\n');
      if (where != NULL)
        /* Translators: hook (input, …), priority, where it runs, chain name. */
        g_string_append_printf (text, _("%s, priority %d: %s (chain %s)"), chain->hook, chain->priority, where,
                                chain->name);
      else
        g_string_append_printf (text, _("%s, priority %d (chain %s)"), chain->hook, chain->priority, chain->name);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}
