/* pal-other-tables.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "pal-dbus-generated.h"
#include "pal-helper-error.h"
#include "pal-nft-plan.h"
#include "pal-other-tables.h"

typedef struct
{
  guint32    family;
  char      *name;
  guint32    chains;
  GVariantBuilder base;   /* a(ssi): the base chains */
  guint      n_base;
} Table;

static void
table_free (gpointer data)
{
  Table *table = data;

  g_variant_builder_clear (&table->base);
  g_free (table->name);
  g_free (table);
}

static const char *
family_name (guint32 family)
{
  switch (family)
    {
    case NFPROTO_IPV4:
      return "ip";
    case NFPROTO_IPV6:
      return "ip6";
    case NFPROTO_INET:
      return "inet";
    case NFPROTO_ARP:
      return "arp";
    case NFPROTO_BRIDGE:
      return "bridge";
    case NFPROTO_NETDEV:
      return "netdev";
    default:
      return "unknown";
    }
}

/* The hook's name in the family's numbering (linux/netfilter.h,
 * netfilter_arp.h). */
static const char *
hook_name (guint32 family,
           guint32 hook)
{
  static const char * const inet[] = { "prerouting", "input", "forward", "output", "postrouting", "ingress" };
  static const char * const arp[] = { "input", "output", "forward" };
  static const char * const netdev[] = { "ingress", "egress" };

  if (family == NFPROTO_ARP)
    return hook < G_N_ELEMENTS (arp) ? arp[hook] : "unknown";
  if (family == NFPROTO_NETDEV)
    return hook < G_N_ELEMENTS (netdev) ? netdev[hook] : "unknown";
  return hook < G_N_ELEMENTS (inet) ? inet[hook] : "unknown";
}

static void
add_base_chain (Table              *table,
                struct nftnl_chain *chain)
{
  const char *raw = nftnl_chain_get_str (chain, NFTNL_CHAIN_NAME);
  g_autofree char *name = NULL;

  if (!nftnl_chain_is_set (chain, NFTNL_CHAIN_HOOKNUM) || table->n_base >= PAL_OTHER_TABLES_MAX_BASE)
    return;
  name = g_utf8_make_valid (raw != NULL ? raw : "", -1);
  g_variant_builder_add (&table->base, "(ssi)", name,
                         hook_name (table->family, nftnl_chain_get_u32 (chain, NFTNL_CHAIN_HOOKNUM)),
                         nftnl_chain_get_s32 (chain, NFTNL_CHAIN_PRIO));
  table->n_base++;
}

static int
table_cb (const struct nlmsghdr *nlh,
          void                  *data)
{
  GPtrArray *tables = data;
  struct nftnl_table *table = nftnl_table_alloc ();
  Table *entry;

  if (nftnl_table_nlmsg_parse (nlh, table) == 0 && tables->len < PAL_OTHER_TABLES_MAX)
    {
      entry = g_new0 (Table, 1);
      entry->family = nftnl_table_get_u32 (table, NFTNL_TABLE_FAMILY);
      entry->name = g_utf8_make_valid (nftnl_table_get_str (table, NFTNL_TABLE_NAME), -1);
      g_variant_builder_init (&entry->base, G_VARIANT_TYPE ("a(ssi)"));
      g_ptr_array_add (tables, entry);
    }
  nftnl_table_free (table);
  return MNL_CB_OK;
}

static int
chain_cb (const struct nlmsghdr *nlh,
          void                  *data)
{
  GPtrArray *tables = data;
  struct nftnl_chain *chain = nftnl_chain_alloc ();

  if (nftnl_chain_nlmsg_parse (nlh, chain) == 0)
    {
      guint32 family = nftnl_chain_get_u32 (chain, NFTNL_CHAIN_FAMILY);
      const char *name = nftnl_chain_get_str (chain, NFTNL_CHAIN_TABLE);

      for (guint i = 0; name != NULL && i < tables->len; i++)
        {
          Table *table = g_ptr_array_index (tables, i);

          if (table->family == family && strcmp (table->name, name) == 0)
            {
              table->chains++;
              add_base_chain (table, chain);
            }
        }
    }
  nftnl_chain_free (chain);
  return MNL_CB_OK;
}

static gboolean
dump (struct mnl_socket  *nl,
      guint16             type,
      mnl_cb_t            callback,
      GPtrArray          *tables,
      GError            **error)
{
  g_autofree char *buffer = g_malloc (MNL_SOCKET_BUFFER_SIZE);
  guint32 seq = (guint32) time (NULL);
  guint32 portid = mnl_socket_get_portid (nl);
  struct nlmsghdr *nlh;
  int ret;

  nlh = nftnl_nlmsg_build_hdr (buffer, type, NFPROTO_UNSPEC, NLM_F_DUMP, seq);
  if (mnl_socket_sendto (nl, nlh, nlh->nlmsg_len) < 0)
    goto failed;
  while ((ret = mnl_socket_recvfrom (nl, buffer, MNL_SOCKET_BUFFER_SIZE)) > 0)
    {
      ret = mnl_cb_run (buffer, ret, seq, portid, callback, tables);
      if (ret <= MNL_CB_STOP)
        break;
    }
  if (ret >= 0)
    return TRUE;
failed:
  g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_KERNEL,
               "Could not list the nftables tables: %s", g_strerror (errno));
  return FALSE;
}

static int
compare_tables (gconstpointer a,
                gconstpointer b)
{
  const Table *x = *(const Table * const *) a;
  const Table *y = *(const Table * const *) b;
  int by_name = strcmp (x->name, y->name);

  return by_name != 0 ? by_name : (int) x->family - (int) y->family;
}

GVariant *
pal_other_tables_list (GError **error)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (table_free);
  struct mnl_socket *nl = mnl_socket_open2 (NETLINK_NETFILTER, SOCK_CLOEXEC);
  GVariantBuilder builder;
  gboolean ok;

  if (nl == NULL || mnl_socket_bind (nl, 0, MNL_SOCKET_AUTOPID) < 0)
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_KERNEL,
                   "Could not open netfilter's netlink socket: %s", g_strerror (errno));
      if (nl != NULL)
        mnl_socket_close (nl);
      return NULL;
    }
  ok = dump (nl, NFT_MSG_GETTABLE, table_cb, tables, error)
       && dump (nl, NFT_MSG_GETCHAIN, chain_cb, tables, error);
  mnl_socket_close (nl);
  if (!ok)
    return NULL;
  g_ptr_array_sort (tables, compare_tables);
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ssua(ssi))"));
  for (guint i = 0; i < tables->len; i++)
    {
      Table *table = g_ptr_array_index (tables, i);

      if (table->family == NFPROTO_INET && g_str_equal (table->name, PAL_NFT_TABLE))
        continue;
      g_variant_builder_add (&builder, "(ssua(ssi))", family_name (table->family), table->name, table->chains,
                             &table->base);
    }
  return g_variant_builder_end (&builder);
}

/* In a worker thread, after the authorizer allowed it (as monitor). */
static gboolean
on_handle_get_other_tables (PalDBusFirewall1      *object,
                            GDBusMethodInvocation *invocation,
                            gpointer               user_data)
{
  g_autoptr(GError) error = NULL;
  GVariant *tables = pal_other_tables_list (&error);

  if (tables == NULL)
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    pal_dbus_firewall1_complete_get_other_tables (object, invocation, tables);
  return TRUE;
}

void
pal_other_tables_attach (GObject *object)
{
  g_return_if_fail (PAL_DBUS_IS_FIREWALL1 (object));

  g_signal_connect (object, "handle-get-other-tables", G_CALLBACK (on_handle_get_other_tables), NULL);
}
