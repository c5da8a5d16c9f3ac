/* pal-bridge.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "pal-bridge.h"
#include "pal-helper-error.h"
#include "pal-link.h"
#include "pal-rtnl.h"

struct _PalBridge
{
  GObject  parent_instance;

  char    *name;
};

G_DEFINE_FINAL_TYPE (PalBridge, pal_bridge, G_TYPE_OBJECT)

static void
pal_bridge_finalize (GObject *object)
{
  PalBridge *self = PAL_BRIDGE (object);

  g_free (self->name);

  G_OBJECT_CLASS (pal_bridge_parent_class)->finalize (object);
}

static void
pal_bridge_class_init (PalBridgeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pal_bridge_finalize;
}

static void
pal_bridge_init (PalBridge *self)
{
}

PalBridge *
pal_bridge_new (const char *name)
{
  PalBridge *self;

  g_return_val_if_fail (name == NULL || (*name != '\0' && strlen (name) < IFNAMSIZ), NULL);

  self = g_object_new (PAL_TYPE_BRIDGE, NULL);
  self->name = g_strdup (name != NULL ? name : PAL_BRIDGE_DEFAULT_NAME);
  return self;
}

const char *
pal_bridge_get_name (PalBridge *self)
{
  g_return_val_if_fail (PAL_IS_BRIDGE (self), NULL);
  return self->name;
}

/* ---- the kernel's list ---- */

static PalLink *
find_name (GPtrArray  *links,
           const char *name)
{
  for (guint i = 0; i < links->len; i++)
    if (g_str_equal (pal_link_get_name (links->pdata[i]), name))
      return links->pdata[i];
  return NULL;
}

static PalLink *
find_index (GPtrArray *links,
            guint      index)
{
  for (guint i = 0; i < links->len; i++)
    if (pal_link_get_index (links->pdata[i]) == index)
      return links->pdata[i];
  return NULL;
}

static gboolean
refuse (GError     **error,
        const char  *format,
        ...) G_GNUC_PRINTF (2, 3);

static gboolean
refuse (GError     **error,
        const char  *format,
        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT, message);
  return FALSE;
}

/* Whether link may become a port of bridge (NULL: not made yet). */
static gboolean
check_port (PalBridge  *self,
            GPtrArray  *links,
            PalLink    *bridge,
            PalLink    *link,
            GError    **error)
{
  const char *name = pal_link_get_name (link);
  const char *kind = pal_link_get_kind (link);
  guint master = pal_link_get_master (link);
  PalLink *other;

  if (g_str_equal (name, self->name))
    return refuse (error, "%s is Palisade's bridge itself, so it cannot be one of its ports", name);
  if (g_str_equal (kind, "loopback") || (pal_link_get_flags (link) & IFF_LOOPBACK))
    return refuse (error, "%s is the loopback interface: it cannot be bridged", name);
  if (g_str_equal (kind, "wireless"))
    return refuse (error, "%s is a wireless interface: an access point only accepts frames "
                   "from the address that joined it, so it cannot be bridged", name);
  if (pal_link_get_hardware_type (link) != ARPHRD_ETHER)
    return refuse (error, "%s is not an Ethernet interface (it is %s): only Ethernet "
                   "interfaces can be bridged", name, kind);
  if (g_str_equal (kind, "bridge"))
    return refuse (error, "%s is a bridge itself: bridge its Ethernet interfaces instead", name);
  if (master != 0 && (bridge == NULL || master != pal_link_get_index (bridge)))
    {
      other = find_index (links, master);
      return refuse (error, "%s is already a port of %s, which Palisade leaves alone",
                     name, other != NULL ? pal_link_get_name (other) : "another interface");
    }
  return TRUE;
}

/* ---- changes ---- */

static gboolean
create_bridge (PalRtnl     *rtnl,
               const char  *name,
               GError     **error)
{
  struct nlmsghdr *nlh = pal_rtnl_link_request (rtnl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
  g_autofree char *what = g_strdup_printf ("Creating the bridge %s", name);
  struct nlattr *info;

  mnl_attr_put_strz (nlh, IFLA_IFNAME, name);
  info = mnl_attr_nest_start (nlh, IFLA_LINKINFO);
  mnl_attr_put_strz (nlh, IFLA_INFO_KIND, "bridge");
  mnl_attr_nest_end (nlh, info);
  return pal_rtnl_send (rtnl, nlh, what, error);
}

/* master: the bridge's index, or 0 to release. up: bring it up too. */
static gboolean
set_master (PalRtnl     *rtnl,
            PalLink     *link,
            PalLink     *bridge,
            gboolean     up,
            GError     **error)
{
  struct nlmsghdr *nlh = pal_rtnl_link_request (rtnl, RTM_NEWLINK, 0, pal_link_get_index (link));
  struct ifinfomsg *ifi = mnl_nlmsg_get_payload (nlh);
  g_autofree char *what = NULL;

  if (bridge != NULL)
    what = g_strdup_printf ("Adding %s to the bridge %s", pal_link_get_name (link),
                            pal_link_get_name (bridge));
  else
    what = g_strdup_printf ("Releasing %s from the bridge", pal_link_get_name (link));
  mnl_attr_put_u32 (nlh, IFLA_MASTER, bridge != NULL ? pal_link_get_index (bridge) : 0);
  if (up)
    {
      ifi->ifi_flags = IFF_UP;
      ifi->ifi_change = IFF_UP;
    }
  return pal_rtnl_send (rtnl, nlh, what, error);
}

static gboolean
set_up (PalRtnl  *rtnl,
        PalLink  *link,
        GError  **error)
{
  struct nlmsghdr *nlh = pal_rtnl_link_request (rtnl, RTM_NEWLINK, 0, pal_link_get_index (link));
  struct ifinfomsg *ifi = mnl_nlmsg_get_payload (nlh);
  g_autofree char *what = g_strdup_printf ("Bringing %s up", pal_link_get_name (link));

  ifi->ifi_flags = IFF_UP;
  ifi->ifi_change = IFF_UP;
  return pal_rtnl_send (rtnl, nlh, what, error);
}

static gboolean
delete_link (PalRtnl  *rtnl,
             PalLink  *link,
             GError  **error)
{
  struct nlmsghdr *nlh = pal_rtnl_link_request (rtnl, RTM_DELLINK, 0, pal_link_get_index (link));
  g_autofree char *what = g_strdup_printf ("Removing the bridge %s", pal_link_get_name (link));

  return pal_rtnl_send (rtnl, nlh, what, error);
}

/* ---- apply ---- */

static gboolean
is_port_of (PalLink *link,
            PalLink *bridge)
{
  return pal_link_get_master (link) == pal_link_get_index (bridge);
}

/* The links named in ports that exist, each checked; the others in missing. */
static GPtrArray *
resolve_ports (PalBridge           *self,
               GPtrArray           *links,
               PalLink             *bridge,
               const char * const  *ports,
               GPtrArray           *missing,
               GError             **error)
{
  g_autoptr(GPtrArray) wanted = g_ptr_array_new ();

  for (gsize i = 0; ports != NULL && ports[i] != NULL; i++)
    {
      PalLink *link = find_name (links, ports[i]);

      if (link == NULL)
        {
          if (!g_ptr_array_find_with_equal_func (missing, ports[i], g_str_equal, NULL))
            g_ptr_array_add (missing, g_strdup (ports[i]));
          continue;
        }
      if (!check_port (self, links, bridge, link, error))
        return NULL;
      if (!g_ptr_array_find (wanted, link, NULL))
        g_ptr_array_add (wanted, link);
    }
  return g_steal_pointer (&wanted);
}

/* Undoes this call's work after a failure; errors here are secondary. */
static void
roll_back (PalRtnl   *rtnl,
           GPtrArray *enslaved,
           PalLink   *created)
{
  for (guint i = 0; i < enslaved->len; i++)
    set_master (rtnl, enslaved->pdata[i], NULL, FALSE, NULL);
  if (created != NULL)
    delete_link (rtnl, created, NULL);
}

static gboolean
converge (PalRtnl    *rtnl,
          GPtrArray  *links,
          PalLink    *bridge,
          GPtrArray  *wanted,
          gboolean    created,
          GError    **error)
{
  g_autoptr(GPtrArray) enslaved = g_ptr_array_new ();

  for (guint i = 0; i < links->len; i++)
    if (is_port_of (links->pdata[i], bridge) && !g_ptr_array_find (wanted, links->pdata[i], NULL)
        && !set_master (rtnl, links->pdata[i], NULL, FALSE, error))
      return FALSE;
  for (guint i = 0; i < wanted->len; i++)
    {
      if (is_port_of (wanted->pdata[i], bridge))
        continue;
      if (!set_master (rtnl, wanted->pdata[i], bridge, TRUE, error))
        {
          roll_back (rtnl, enslaved, created ? bridge : NULL);
          return FALSE;
        }
      g_ptr_array_add (enslaved, wanted->pdata[i]);
    }
  if (!(pal_link_get_flags (bridge) & IFF_UP) && !set_up (rtnl, bridge, error))
    {
      roll_back (rtnl, enslaved, created ? bridge : NULL);
      return FALSE;
    }
  return TRUE;
}

/* Makes the bridge, reads the list again and finds the wanted links in
 * it (the old PalLink objects describe the time before). */
static gboolean
create_and_reread (PalBridge  *self,
                   PalRtnl    *rtnl,
                   GPtrArray **links,
                   PalLink   **bridge,
                   GPtrArray  *wanted,
                   GError    **error)
{
  g_autoptr(GPtrArray) before = NULL;

  if (!create_bridge (rtnl, self->name, error))
    return FALSE;
  before = g_steal_pointer (links);
  *links = pal_rtnl_dump_links (rtnl, error);
  if (*links == NULL)
    return FALSE;
  *bridge = find_name (*links, self->name);
  if (*bridge == NULL)
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_FAILED,
                   "The bridge %s vanished as soon as it was made", self->name);
      return FALSE;
    }
  for (guint i = 0; i < wanted->len; i++)
    wanted->pdata[i] = find_index (*links, pal_link_get_index (wanted->pdata[i]));
  /* One that went away in between is as good as missing. */
  while (g_ptr_array_remove (wanted, NULL))
    ;
  return TRUE;
}

/* What is there and what is wanted: the links now, our bridge among them
 * (or NULL), and the links named in ports, each checked. */
typedef struct
{
  PalRtnl   *rtnl;
  GPtrArray *links;
  PalLink   *bridge;
  GPtrArray *wanted;
  GPtrArray *missing;
} Plan;

static void
plan_clear (Plan *plan)
{
  g_clear_pointer (&plan->rtnl, pal_rtnl_free);
  g_clear_pointer (&plan->wanted, g_ptr_array_unref);
  g_clear_pointer (&plan->links, g_ptr_array_unref);
  g_clear_pointer (&plan->missing, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Plan, plan_clear)

static gboolean
make_plan (PalBridge           *self,
           const char * const  *ports,
           Plan                *plan,
           GError             **error)
{
  plan->missing = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  plan->rtnl = pal_rtnl_new (0, error);
  if (plan->rtnl == NULL || (plan->links = pal_rtnl_dump_links (plan->rtnl, error)) == NULL)
    return FALSE;
  plan->bridge = find_name (plan->links, self->name);
  if (plan->bridge != NULL && !g_str_equal (pal_link_get_kind (plan->bridge), "bridge"))
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_FAILED,
                   "%s exists and is not a bridge (it is %s), so Palisade cannot use that name",
                   self->name, pal_link_get_kind (plan->bridge));
      return FALSE;
    }
  plan->wanted = resolve_ports (self, plan->links, plan->bridge, ports, plan->missing, error);
  return plan->wanted != NULL;
}

gboolean
pal_bridge_check (PalBridge           *self,
                  const char * const  *ports,
                  GError             **error)
{
  g_auto(Plan) plan = { NULL, };

  g_return_val_if_fail (PAL_IS_BRIDGE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return make_plan (self, ports, &plan, error);
}

gboolean
pal_bridge_apply (PalBridge           *self,
                  const char * const  *ports,
                  GStrv               *missing,
                  GError             **error)
{
  g_auto(Plan) plan = { NULL, };
  gboolean created;

  g_return_val_if_fail (PAL_IS_BRIDGE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!make_plan (self, ports, &plan, error))
    return FALSE;
  if (missing != NULL)
    *missing = (GStrv) g_ptr_array_free (g_steal_pointer (&plan.missing), FALSE);
  if (ports == NULL || ports[0] == NULL)
    return plan.bridge == NULL || delete_link (plan.rtnl, plan.bridge, error);
  created = plan.bridge == NULL;
  if (created && !create_and_reread (self, plan.rtnl, &plan.links, &plan.bridge, plan.wanted, error))
    return FALSE;
  return converge (plan.rtnl, plan.links, plan.bridge, plan.wanted, created, error);
}

gboolean
pal_bridge_remove (PalBridge  *self,
                   GError    **error)
{
  return pal_bridge_apply (self, NULL, NULL, error);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
pal_bridge_dup_ports (PalBridge  *self,
                      GError    **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(PalRtnl) rtnl = NULL;
  PalLink *bridge;

  g_return_val_if_fail (PAL_IS_BRIDGE (self), NULL);

  rtnl = pal_rtnl_new (0, error);
  if (rtnl == NULL || (links = pal_rtnl_dump_links (rtnl, error)) == NULL)
    return NULL;
  bridge = find_name (links, self->name);
  for (guint i = 0; bridge != NULL && i < links->len; i++)
    if (is_port_of (links->pdata[i], bridge))
      g_ptr_array_add (names, g_strdup (pal_link_get_name (links->pdata[i])));
  g_ptr_array_sort (names, compare_names);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

GStrv
pal_bridge_ports_from_document (PalDocument *document)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  GListModel *interfaces;
  guint n;

  g_return_val_if_fail (PAL_IS_DOCUMENT (document), NULL);

  interfaces = pal_document_get_interfaces (document);
  n = g_list_model_get_n_items (interfaces);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalInterfaceConfig) config = g_list_model_get_item (interfaces, i);

      if (pal_interface_config_get_bridge (config))
        g_ptr_array_add (names, g_strdup (pal_interface_config_get_name (config)));
    }
  /* The document keeps them sorted; sort anyway, the contract says so. */
  g_ptr_array_sort (names, compare_names);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}
