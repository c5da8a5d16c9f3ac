/* pal-nft-monitor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <glib-unix.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "pal-helper-error.h"
#include "pal-nft-monitor.h"

#define READ_BUFFER_SIZE (256 * 1024)
/* Our own apply of a large document makes one event per rule; the buffer
 * is only memory while events wait. Overflow is survivable (see drain). */
#define SOCKET_RECEIVE_BUFFER (64 * 1024 * 1024)

struct _PalNftMonitor
{
  struct mnl_socket *nl;
  char              *table;
  guint              family;
  GStrv              ignored_sets;
  guint8            *buffer;
  gboolean           touched;   /* by the events since the last NEWGEN */
};

PalNftMonitor *
pal_nft_monitor_new (const char          *table,
                     guint                family,
                     const char * const  *ignored_sets,
                     GError             **error)
{
  g_autoptr(PalNftMonitor) self = g_new0 (PalNftMonitor, 1);
  int group = NFNLGRP_NFTABLES;
  int size = SOCKET_RECEIVE_BUFFER;
  int fd;

  g_return_val_if_fail (table != NULL, NULL);

  self->table = g_strdup (table);
  self->family = family;
  self->ignored_sets = g_strdupv ((char **) ignored_sets);
  self->nl = mnl_socket_open2 (NETLINK_NETFILTER, SOCK_CLOEXEC | SOCK_NONBLOCK);
  if (self->nl == NULL || mnl_socket_bind (self->nl, 0, MNL_SOCKET_AUTOPID) < 0)
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_KERNEL,
                   "Opening the nf_tables event socket: %s", g_strerror (errno));
      return NULL;
    }
  fd = mnl_socket_get_fd (self->nl);
  if (setsockopt (fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) < 0)
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_KERNEL,
                   "Listening to nf_tables events: %s", g_strerror (errno));
      return NULL;
    }
  if (setsockopt (fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
    setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  self->buffer = g_malloc (READ_BUFFER_SIZE);
  return g_steal_pointer (&self);
}

void
pal_nft_monitor_free (PalNftMonitor *self)
{
  if (self == NULL)
    return;
  if (self->nl != NULL)
    mnl_socket_close (self->nl);
  g_free (self->table);
  g_strfreev (self->ignored_sets);
  g_free (self->buffer);
  g_free (self);
}

typedef struct
{
  const char *table;
  const char *set;
  guint32     generation;
  guint32     pid;
  const char *program;
  gboolean    has_generation;
} EventAttrs;

static int
gen_attr_cb (const struct nlattr *attr,
             void                *data)
{
  EventAttrs *attrs = data;

  switch (mnl_attr_get_type (attr))
    {
    case NFTA_GEN_ID:
      if (mnl_attr_validate (attr, MNL_TYPE_U32) == 0)
        {
          attrs->generation = ntohl (mnl_attr_get_u32 (attr));
          attrs->has_generation = TRUE;
        }
      break;
    case NFTA_GEN_PROC_PID:
      if (mnl_attr_validate (attr, MNL_TYPE_U32) == 0)
        attrs->pid = ntohl (mnl_attr_get_u32 (attr));
      break;
    case NFTA_GEN_PROC_NAME:
      if (mnl_attr_validate (attr, MNL_TYPE_NUL_STRING) == 0)
        attrs->program = mnl_attr_get_str (attr);
      break;
    default:
      break;
    }
  return MNL_CB_OK;
}

/* Every object message has the table name as attribute 1
 * (NFTA_TABLE_NAME, NFTA_CHAIN_TABLE, NFTA_RULE_TABLE, NFTA_SET_TABLE,
 * NFTA_SET_ELEM_LIST_TABLE, NFTA_OBJ_TABLE, NFTA_FLOWTABLE_TABLE), and
 * element messages the set name as attribute 2. */
G_STATIC_ASSERT (NFTA_TABLE_NAME == 1 && NFTA_CHAIN_TABLE == 1 && NFTA_RULE_TABLE == 1);
G_STATIC_ASSERT (NFTA_SET_TABLE == 1 && NFTA_SET_ELEM_LIST_TABLE == 1 && NFTA_OBJ_TABLE == 1);
G_STATIC_ASSERT (NFTA_SET_ELEM_LIST_SET == 2);

static int
object_attr_cb (const struct nlattr *attr,
                void                *data)
{
  EventAttrs *attrs = data;
  guint16 type = mnl_attr_get_type (attr);

  if ((type == 1 || type == 2) && mnl_attr_validate (attr, MNL_TYPE_NUL_STRING) == 0)
    {
      if (type == 1)
        attrs->table = mnl_attr_get_str (attr);
      else
        attrs->set = mnl_attr_get_str (attr);
    }
  return MNL_CB_OK;
}

static gboolean
is_ours (PalNftMonitor         *self,
         const struct nlmsghdr *nlh,
         guint8                 message)
{
  const struct nfgenmsg *nfg = mnl_nlmsg_get_payload (nlh);
  EventAttrs attrs = { NULL, };

  if (nfg->nfgen_family != self->family)
    return FALSE;
  mnl_attr_parse (nlh, sizeof *nfg, object_attr_cb, &attrs);
  if (g_strcmp0 (attrs.table, self->table) != 0)
    return FALSE;
  if ((message == NFT_MSG_NEWSETELEM || message == NFT_MSG_DELSETELEM)
      && attrs.set != NULL && self->ignored_sets != NULL
      && g_strv_contains ((const char * const *) self->ignored_sets, attrs.set))
    return FALSE;
  return TRUE;
}

static void
handle_event (PalNftMonitor         *self,
              const struct nlmsghdr *nlh,
              GArray                *events)
{
  guint8 message = nlh->nlmsg_type & 0xff;

  if ((nlh->nlmsg_type >> 8) != NFNL_SUBSYS_NFTABLES
      || nlh->nlmsg_len < mnl_nlmsg_size (sizeof (struct nfgenmsg)))
    return;

  if (message == NFT_MSG_NEWGEN)
    {
      EventAttrs attrs = { NULL, };
      PalNftGenEvent event = { 0, };

      mnl_attr_parse (nlh, sizeof (struct nfgenmsg), gen_attr_cb, &attrs);
      if (!attrs.has_generation)
        return;
      event.generation = attrs.generation;
      event.pid = attrs.pid;
      g_strlcpy (event.program, attrs.program != NULL ? attrs.program : "", sizeof event.program);
      event.touched = self->touched;
      self->touched = FALSE;
      g_array_append_val (events, event);
    }
  else if (!self->touched && is_ours (self, nlh, message))
    self->touched = TRUE;
}

gboolean
pal_nft_monitor_drain (PalNftMonitor *self,
                       GArray        *events)
{
  gboolean complete = TRUE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (events != NULL, FALSE);

  for (;;)
    {
      ssize_t length = recv (mnl_socket_get_fd (self->nl), self->buffer, READ_BUFFER_SIZE, 0);
      const struct nlmsghdr *nlh = (const struct nlmsghdr *) self->buffer;
      int remaining = (int) length;

      if (length < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno == ENOBUFS)
            {
              /* Events were dropped: a transaction's objects may be
               * missing, so assume it touched us. */
              complete = FALSE;
              self->touched = TRUE;
              continue;
            }
          return complete;   /* EAGAIN: all read */
        }
      for (; mnl_nlmsg_ok (nlh, remaining); nlh = mnl_nlmsg_next (nlh, &remaining))
        handle_event (self, nlh, events);
    }
}

void
pal_nft_monitor_set_listening (PalNftMonitor *self,
                               gboolean       listening)
{
  int group = NFNLGRP_NFTABLES;

  g_return_if_fail (self != NULL);

  setsockopt (mnl_socket_get_fd (self->nl), SOL_NETLINK,
              listening ? NETLINK_ADD_MEMBERSHIP : NETLINK_DROP_MEMBERSHIP, &group, sizeof group);
}

typedef struct
{
  GSource  source;
  gpointer tag;
} MonitorSource;

static gboolean
monitor_source_dispatch (GSource     *source,
                         GSourceFunc  callback,
                         gpointer     user_data)
{
  if (callback == NULL)
    return G_SOURCE_CONTINUE;
  return callback (user_data);
}

static GSourceFuncs monitor_source_funcs = {
  NULL, NULL, monitor_source_dispatch, NULL, NULL, NULL,
};

GSource *
pal_nft_monitor_create_source (PalNftMonitor *self)
{
  MonitorSource *source;

  g_return_val_if_fail (self != NULL, NULL);

  source = (MonitorSource *) g_source_new (&monitor_source_funcs, sizeof *source);
  source->tag = g_source_add_unix_fd (&source->source, mnl_socket_get_fd (self->nl), G_IO_IN);
  g_source_set_static_name (&source->source, "PalNftMonitor");
  return &source->source;
}
