/* pal-rtnl.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <linux/wireless.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pal-helper-error.h"
#include "pal-link.h"
#include "pal-rtnl.h"

/* A dump reply is at most 32 KiB per recv; requests are small. */
#define BUFFER_SIZE (64 * 1024)
/* Interfaces come and go in bursts (a container starting); the buffer
 * only costs memory while messages wait. */
#define EVENT_RECEIVE_BUFFER (1024 * 1024)
#define DUMP_ATTEMPTS 10

struct _PalRtnl
{
  struct mnl_socket *nl;
  guint32            port;
  guint32            seq;
  guint8            *buffer;
};

PalRtnl *
pal_rtnl_new (guint    groups,
              GError **error)
{
  g_autoptr(PalRtnl) self = g_new0 (PalRtnl, 1);
  int flags = SOCK_CLOEXEC | (groups != 0 ? SOCK_NONBLOCK : 0);
  int one = 1;

  self->nl = mnl_socket_open2 (NETLINK_ROUTE, flags);
  if (self->nl == NULL || mnl_socket_bind (self->nl, groups, MNL_SOCKET_AUTOPID) < 0)
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_KERNEL,
                   "Opening the rtnetlink socket: %s", g_strerror (errno));
      return NULL;
    }
  /* Without it the kernel's reasons ("device is already a port") are lost. */
  setsockopt (mnl_socket_get_fd (self->nl), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  if (groups != 0)
    {
      int size = EVENT_RECEIVE_BUFFER;
      int fd = mnl_socket_get_fd (self->nl);

      if (setsockopt (fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
        setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    }
  self->port = mnl_socket_get_portid (self->nl);
  self->seq = g_random_int ();
  self->buffer = g_malloc (BUFFER_SIZE);
  return g_steal_pointer (&self);
}

void
pal_rtnl_free (PalRtnl *self)
{
  if (self == NULL)
    return;
  if (self->nl != NULL)
    mnl_socket_close (self->nl);
  g_free (self->buffer);
  g_free (self);
}

int
pal_rtnl_get_fd (PalRtnl *self)
{
  g_return_val_if_fail (self != NULL, -1);
  return mnl_socket_get_fd (self->nl);
}

/* ---- errors ---- */

static int
ext_ack_cb (const struct nlattr *attr,
            void                *data)
{
  const char **message = data;

  if (mnl_attr_get_type (attr) == NLMSGERR_ATTR_MSG
      && mnl_attr_validate (attr, MNL_TYPE_NUL_STRING) == 0)
    *message = mnl_attr_get_str (attr);
  return MNL_CB_OK;
}

/* The kernel's own sentence about an error reply, if it gave one. */
static const char *
ext_ack_message (const struct nlmsghdr *nlh)
{
  const struct nlmsgerr *err = mnl_nlmsg_get_payload (nlh);
  const char *message = NULL;
  guint offset = sizeof *err;

  if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
    return NULL;
  if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
    offset += err->msg.nlmsg_len - sizeof (struct nlmsghdr);
  if (mnl_nlmsg_size (offset) > nlh->nlmsg_len)
    return NULL;
  mnl_attr_parse (nlh, offset, ext_ack_cb, &message);
  return message;
}

/* What one exchange's callbacks share: mnl_cb_run2() hands the same
 * pointer to the data and the control callbacks. */
typedef struct
{
  mnl_cb_t    cb;
  gpointer    data;
  const char *message;   /* the kernel's extended ack, on error */
} Exchange;

static int
error_cb (const struct nlmsghdr *nlh,
          void                  *data)
{
  const struct nlmsgerr *err = mnl_nlmsg_get_payload (nlh);
  Exchange *exchange = data;

  if (nlh->nlmsg_len < mnl_nlmsg_size (sizeof *err))
    {
      errno = EBADMSG;
      return MNL_CB_ERROR;
    }
  if (err->error == 0)
    return MNL_CB_STOP;
  exchange->message = ext_ack_message (nlh);
  errno = -err->error;
  return MNL_CB_ERROR;
}

/* A dump may end with an error in its NLMSG_DONE. */
static int
done_cb (const struct nlmsghdr *nlh,
         void                  *data)
{
  const int *status = mnl_nlmsg_get_payload (nlh);

  if (nlh->nlmsg_len >= mnl_nlmsg_size (sizeof *status) && *status < 0)
    {
      errno = -*status;
      return MNL_CB_ERROR;
    }
  return MNL_CB_STOP;
}

static int
data_cb (const struct nlmsghdr *nlh,
         void                  *data)
{
  Exchange *exchange = data;

  return exchange->cb != NULL ? exchange->cb (nlh, exchange->data) : MNL_CB_OK;
}

static void
set_errno_error (GError     **error,
                 int          code,
                 const char  *what,
                 const char  *message)
{
  int domain_code = code == EOPNOTSUPP ? PAL_HELPER_ERROR_NOT_SUPPORTED : PAL_HELPER_ERROR_KERNEL;

  if (message != NULL && *message != '\0')
    g_set_error (error, PAL_HELPER_ERROR, domain_code, "%s: %s (%s)",
                 what, message, g_strerror (code));
  else
    g_set_error (error, PAL_HELPER_ERROR, domain_code, "%s: %s", what, g_strerror (code));
}

/* ---- one exchange ---- */

/* Sends nlh and runs cb over the replies until the kernel is done. */
static gboolean
exchange (PalRtnl          *self,
          struct nlmsghdr  *nlh,
          mnl_cb_t          cb,
          gpointer          data,
          const char       *what,
          GError          **error)
{
  mnl_cb_t control[NLMSG_MIN_TYPE] = { NULL, };
  Exchange context = { cb, data, NULL };
  guint32 seq = ++self->seq;
  int ret;

  control[NLMSG_ERROR] = error_cb;
  control[NLMSG_DONE] = done_cb;
  nlh->nlmsg_seq = seq;
  if (mnl_socket_sendto (self->nl, nlh, nlh->nlmsg_len) < 0)
    {
      set_errno_error (error, errno, what, NULL);
      return FALSE;
    }
  do
    {
      ssize_t length = mnl_socket_recvfrom (self->nl, self->buffer, BUFFER_SIZE);

      if (length < 0 && errno == EINTR)
        {
          ret = MNL_CB_OK;
          continue;
        }
      if (length < 0)
        {
          set_errno_error (error, errno, what, NULL);
          return FALSE;
        }
      ret = mnl_cb_run2 (self->buffer, length, seq, self->port, data_cb, &context,
                         control, NLMSG_MIN_TYPE);
      if (ret == MNL_CB_ERROR)
        {
          set_errno_error (error, errno, what, context.message);
          return FALSE;
        }
    }
  while (ret > MNL_CB_STOP);
  return TRUE;
}

/* ---- dumps ---- */

typedef struct
{
  guint      index;
  char      *name;
  char      *kind;
  char      *mac;
  guint      state;
  guint      flags;
  guint      hardware_type;
  guint      master;
  GPtrArray *ipv4;
  GPtrArray *ipv6;
} LinkData;

static void
link_data_free (gpointer data)
{
  LinkData *link = data;

  g_free (link->name);
  g_free (link->kind);
  g_free (link->mac);
  g_ptr_array_unref (link->ipv4);
  g_ptr_array_unref (link->ipv6);
  g_free (link);
}

typedef struct
{
  GHashTable *links;         /* index → LinkData */
  gboolean    interrupted;
} DumpState;

static const char *
state_name (guint state)
{
  static const char * const names[] = {
    [IF_OPER_UNKNOWN] = "unknown",
    [IF_OPER_NOTPRESENT] = "not-present",
    [IF_OPER_DOWN] = "down",
    [IF_OPER_LOWERLAYERDOWN] = "lower-layer-down",
    [IF_OPER_TESTING] = "testing",
    [IF_OPER_DORMANT] = "dormant",
    [IF_OPER_UP] = "up",
  };

  return state < G_N_ELEMENTS (names) ? names[state] : "unknown";
}

static char *
format_mac (const guint8 *bytes,
            gsize         length)
{
  GString *text = g_string_new (NULL);

  for (gsize i = 0; i < length; i++)
    g_string_append_printf (text, i == 0 ? "%02x" : ":%02x", bytes[i]);
  return g_string_free (text, FALSE);
}

static int
linkinfo_cb (const struct nlattr *attr,
             void                *data)
{
  LinkData *link = data;

  if (mnl_attr_get_type (attr) == IFLA_INFO_KIND
      && mnl_attr_validate (attr, MNL_TYPE_STRING) == 0)
    link->kind = g_strndup (mnl_attr_get_str (attr), mnl_attr_get_payload_len (attr));
  return MNL_CB_OK;
}

static int
link_attr_cb (const struct nlattr *attr,
              void                *data)
{
  LinkData *link = data;

  switch (mnl_attr_get_type (attr))
    {
    case IFLA_IFNAME:
      if (mnl_attr_validate (attr, MNL_TYPE_NUL_STRING) == 0)
        link->name = g_strdup (mnl_attr_get_str (attr));
      break;
    case IFLA_ADDRESS:
      link->mac = format_mac (mnl_attr_get_payload (attr), mnl_attr_get_payload_len (attr));
      break;
    case IFLA_OPERSTATE:
      if (mnl_attr_validate (attr, MNL_TYPE_U8) == 0)
        link->state = mnl_attr_get_u8 (attr);
      break;
    case IFLA_MASTER:
      if (mnl_attr_validate (attr, MNL_TYPE_U32) == 0)
        link->master = mnl_attr_get_u32 (attr);
      break;
    case IFLA_LINKINFO:
      if (mnl_attr_validate (attr, MNL_TYPE_NESTED) == 0)
        mnl_attr_parse_nested (attr, linkinfo_cb, link);
      break;
    default:
      break;
    }
  return MNL_CB_OK;
}

static int
link_cb (const struct nlmsghdr *nlh,
         void                  *data)
{
  DumpState *state = data;
  const struct ifinfomsg *ifi;
  LinkData *link;

  if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
    state->interrupted = TRUE;
  if (nlh->nlmsg_type != RTM_NEWLINK || nlh->nlmsg_len < mnl_nlmsg_size (sizeof *ifi))
    return MNL_CB_OK;
  ifi = mnl_nlmsg_get_payload (nlh);
  link = g_new0 (LinkData, 1);
  link->index = ifi->ifi_index;
  link->flags = ifi->ifi_flags;
  link->hardware_type = ifi->ifi_type;
  link->ipv4 = g_ptr_array_new_with_free_func (g_free);
  link->ipv6 = g_ptr_array_new_with_free_func (g_free);
  mnl_attr_parse (nlh, sizeof *ifi, link_attr_cb, link);
  if (link->name == NULL)
    {
      link_data_free (link);
      return MNL_CB_OK;
    }
  g_hash_table_replace (state->links, GUINT_TO_POINTER (link->index), link);
  return MNL_CB_OK;
}

typedef struct
{
  const void *local;
  const void *address;
} AddrAttrs;

static int
addr_attr_cb (const struct nlattr *attr,
              void                *data)
{
  AddrAttrs *attrs = data;

  if (mnl_attr_get_type (attr) == IFA_LOCAL)
    attrs->local = attr;
  else if (mnl_attr_get_type (attr) == IFA_ADDRESS)
    attrs->address = attr;
  return MNL_CB_OK;
}

static int
addr_cb (const struct nlmsghdr *nlh,
         void                  *data)
{
  DumpState *state = data;
  const struct ifaddrmsg *ifa;
  AddrAttrs attrs = { NULL, NULL };
  const struct nlattr *attr;
  char text[INET6_ADDRSTRLEN];
  gsize size;
  LinkData *link;

  if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
    state->interrupted = TRUE;
  if (nlh->nlmsg_type != RTM_NEWADDR || nlh->nlmsg_len < mnl_nlmsg_size (sizeof *ifa))
    return MNL_CB_OK;
  ifa = mnl_nlmsg_get_payload (nlh);
  link = g_hash_table_lookup (state->links, GUINT_TO_POINTER (ifa->ifa_index));
  if (link == NULL || (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6))
    return MNL_CB_OK;
  mnl_attr_parse (nlh, sizeof *ifa, addr_attr_cb, &attrs);
  /* On a point-to-point link IFA_ADDRESS is the peer; IFA_LOCAL is ours. */
  attr = attrs.local != NULL ? attrs.local : attrs.address;
  size = ifa->ifa_family == AF_INET ? 4 : 16;
  if (attr == NULL || mnl_attr_get_payload_len (attr) != size
      || inet_ntop (ifa->ifa_family, mnl_attr_get_payload (attr), text, sizeof text) == NULL)
    return MNL_CB_OK;
  g_ptr_array_add (ifa->ifa_family == AF_INET ? link->ipv4 : link->ipv6,
                   g_strdup_printf ("%s/%u", text, ifa->ifa_prefixlen));
  return MNL_CB_OK;
}

static gboolean
dump (PalRtnl    *self,
      guint16     type,
      mnl_cb_t    cb,
      DumpState  *state,
      GError    **error)
{
  struct nlmsghdr *nlh = mnl_nlmsg_put_header (self->buffer);

  nlh->nlmsg_type = type;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  if (type == RTM_GETLINK)
    {
      struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header (nlh, sizeof *ifi);

      ifi->ifi_family = AF_UNSPEC;
      /* Statistics are most of a link message and we show none. */
      mnl_attr_put_u32 (nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    }
  else
    {
      struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header (nlh, sizeof *ifa);

      ifa->ifa_family = AF_UNSPEC;
    }
  return exchange (self, nlh, cb, state,
                   type == RTM_GETLINK ? "Listing interfaces" : "Listing addresses", error);
}

/* ---- kinds ---- */

/* Wireless devices have no IFLA_INFO_KIND. cfg80211 devices have a
 * phy80211 link in sysfs (checked against the index: sysfs may belong to
 * another network namespace); others answer the wireless extensions. */
static gboolean
is_wireless (const char *name,
             guint       index)
{
  g_autofree char *dir = g_build_filename ("/sys/class/net", name, NULL);
  g_autofree char *index_path = g_build_filename (dir, "ifindex", NULL);
  g_autofree char *phy = g_build_filename (dir, "phy80211", NULL);
  g_autofree char *wireless = g_build_filename (dir, "wireless", NULL);
  g_autofree char *contents = NULL;
  struct iwreq request = { 0, };
  int fd;
  gboolean answered;

  if (g_file_get_contents (index_path, &contents, NULL, NULL)
      && g_ascii_strtoull (contents, NULL, 10) == index
      && (g_file_test (phy, G_FILE_TEST_EXISTS) || g_file_test (wireless, G_FILE_TEST_EXISTS)))
    return TRUE;
  if (strlen (name) >= IFNAMSIZ)
    return FALSE;
  fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return FALSE;
  strncpy (request.ifr_name, name, IFNAMSIZ - 1);
  answered = ioctl (fd, SIOCGIWNAME, &request) == 0;
  close (fd);
  return answered;
}

static const char *
guess_kind (const LinkData *link)
{
  switch (link->hardware_type)
    {
    case ARPHRD_LOOPBACK:
      return "loopback";
    case ARPHRD_ETHER:
      return is_wireless (link->name, link->index) ? "wireless" : "ethernet";
    case ARPHRD_IEEE80211:
    case ARPHRD_IEEE80211_PRISM:
    case ARPHRD_IEEE80211_RADIOTAP:
      return "wireless";
    case ARPHRD_PPP:
      return "ppp";
    case ARPHRD_INFINIBAND:
      return "infiniband";
    default:
      return (link->flags & IFF_LOOPBACK) ? "loopback" : "other";
    }
}

static PalLink *
link_data_finish (LinkData *link)
{
  g_autoptr(GPtrArray) addresses = g_ptr_array_new ();

  for (guint i = 0; i < link->ipv4->len; i++)
    g_ptr_array_add (addresses, link->ipv4->pdata[i]);
  for (guint i = 0; i < link->ipv6->len; i++)
    g_ptr_array_add (addresses, link->ipv6->pdata[i]);
  g_ptr_array_add (addresses, NULL);
  return pal_link_new (link->index, link->name,
                       link->kind != NULL ? link->kind : guess_kind (link),
                       state_name (link->state), link->mac,
                       link->flags, link->hardware_type, link->master,
                       (const char * const *) addresses->pdata);
}

static int
compare_links (gconstpointer a,
               gconstpointer b)
{
  guint ia = pal_link_get_index (*(PalLink **) a);
  guint ib = pal_link_get_index (*(PalLink **) b);

  return ia < ib ? -1 : ia > ib;
}

static GPtrArray *
finish_links (GHashTable *links)
{
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  LinkData *link;

  g_hash_table_iter_init (&iter, links);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &link))
    g_ptr_array_add (result, link_data_finish (link));
  g_ptr_array_sort (result, compare_links);
  return result;
}

GPtrArray *
pal_rtnl_dump_links (PalRtnl  *self,
                     GError  **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint attempt = 0; attempt < DUMP_ATTEMPTS; attempt++)
    {
      g_autoptr(GHashTable) links = g_hash_table_new_full (NULL, NULL, NULL, link_data_free);
      DumpState state = { links, FALSE };

      if (!dump (self, RTM_GETLINK, link_cb, &state, error)
          || !dump (self, RTM_GETADDR, addr_cb, &state, error))
        return NULL;
      if (!state.interrupted)
        return finish_links (links);
    }
  g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_BUSY,
               "Listing interfaces: they kept changing during %u attempts", DUMP_ATTEMPTS);
  return NULL;
}

/* ---- requests ---- */

struct nlmsghdr *
pal_rtnl_link_request (PalRtnl *self,
                       guint16  type,
                       guint16  flags,
                       guint    index)
{
  struct nlmsghdr *nlh;
  struct ifinfomsg *ifi;

  g_return_val_if_fail (self != NULL, NULL);

  nlh = mnl_nlmsg_put_header (self->buffer);
  nlh->nlmsg_type = type;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
  ifi = mnl_nlmsg_put_extra_header (nlh, sizeof *ifi);
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = index;
  return nlh;
}

gboolean
pal_rtnl_send (PalRtnl          *self,
               struct nlmsghdr  *request,
               const char       *what,
               GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (request != NULL, FALSE);

  return exchange (self, request, NULL, NULL, what, error);
}

gboolean
pal_rtnl_drain (PalRtnl *self)
{
  gboolean any = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);

  for (;;)
    {
      ssize_t length = recv (mnl_socket_get_fd (self->nl), self->buffer, BUFFER_SIZE, 0);

      if (length < 0 && errno == EINTR)
        continue;
      if (length < 0 && errno == ENOBUFS)
        {
          any = TRUE;   /* lost events: the caller dumps anyway */
          continue;
        }
      if (length <= 0)
        return any;
      any = TRUE;
    }
}
