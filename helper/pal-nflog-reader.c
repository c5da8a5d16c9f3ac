/* pal-nflog-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <glib-unix.h>
#include <libmnl/libmnl.h>
#include <linux/if_ether.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <string.h>
#include <sys/socket.h>

#include "pal-helper-error.h"
#include "pal-nflog-reader.h"
#include "pal-value.h"

#define BUFFER_SIZE (64 * 1024)
/* A flood fills this in milliseconds; what overflows is counted from the
 * sequence numbers, so a bigger buffer would only delay the count. */
#define SOCKET_RECEIVE_BUFFER (4 * 1024 * 1024)
/* Reads per wake-up: the main loop gets its turn between them, so D-Bus
 * and the batch timer keep running under a flood. */
#define READS_PER_DISPATCH 16
/* The kernel gathers messages up to this size or this long (1/100 s)
 * before sending, so a flood is few large reads, and a lone packet
 * arrives within a tenth of a second. */
#define KERNEL_BUFFER_SIZE (64 * 1024)
#define KERNEL_FLUSH_TIMEOUT 10
#define KERNEL_QUEUE_THRESHOLD 64

struct _PalNflogReader
{
  GObject            parent_instance;

  struct mnl_socket *nl;
  guint32            port;
  guint8            *buffer;
  GSource           *read_source;
  GSource           *flush_source;

  /* The token bucket. */
  guint              rate_limit;
  double             tokens;
  gint64             refilled;

  /* Counts. */
  guint64            kept;
  guint64            suppressed;
  guint64            suppressed_unreported;
  guint32            next_seq[4];       /* by group, valid with has_seq */
  gboolean           has_seq[4];

  /* The ring: count entries from start, oldest first; the newest
   * pending ones have not been sent in a batch yet. */
  PalLogEntry       *ring;
  guint              capacity;
  guint              start;
  guint              count;
  guint              pending;
  guint              batch_interval;

  GHashTable        *rules;             /* key → PalLogRule (pal-log-prefix.h), or NULL */
};

static void pal_nflog_reader_initable_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PalNflogReader, pal_nflog_reader, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      pal_nflog_reader_initable_init))

enum {
  PROP_0,
  PROP_RATE_LIMIT,
  PROP_CAPACITY,
  PROP_BATCH_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ENTRIES,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
destroy_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
pal_nflog_reader_dispose (GObject *object)
{
  PalNflogReader *self = PAL_NFLOG_READER (object);

  destroy_source (&self->read_source);
  destroy_source (&self->flush_source);

  G_OBJECT_CLASS (pal_nflog_reader_parent_class)->dispose (object);
}

static void
pal_nflog_reader_finalize (GObject *object)
{
  PalNflogReader *self = PAL_NFLOG_READER (object);

  /* Closing the socket unbinds the groups in the kernel. */
  if (self->nl != NULL)
    mnl_socket_close (self->nl);
  g_free (self->buffer);
  for (guint i = 0; self->ring != NULL && i < self->capacity; i++)
    pal_log_entry_clear (&self->ring[i]);
  g_free (self->ring);
  g_clear_pointer (&self->rules, g_hash_table_unref);

  G_OBJECT_CLASS (pal_nflog_reader_parent_class)->finalize (object);
}

static void
pal_nflog_reader_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PalNflogReader *self = PAL_NFLOG_READER (object);

  switch (prop_id)
    {
    case PROP_RATE_LIMIT:
      g_value_set_uint (value, self->rate_limit);
      break;
    case PROP_CAPACITY:
      g_value_set_uint (value, self->capacity);
      break;
    case PROP_BATCH_INTERVAL:
      g_value_set_uint (value, self->batch_interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pal_nflog_reader_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PalNflogReader *self = PAL_NFLOG_READER (object);

  switch (prop_id)
    {
    case PROP_RATE_LIMIT:
      pal_nflog_reader_set_rate_limit (self, g_value_get_uint (value));
      break;
    case PROP_CAPACITY:
      self->capacity = g_value_get_uint (value);
      break;
    case PROP_BATCH_INTERVAL:
      self->batch_interval = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pal_nflog_reader_class_init (PalNflogReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pal_nflog_reader_dispose;
  object_class->finalize = pal_nflog_reader_finalize;
  object_class->get_property = pal_nflog_reader_get_property;
  object_class->set_property = pal_nflog_reader_set_property;

  properties[PROP_RATE_LIMIT] =
    g_param_spec_uint ("rate-limit", NULL, NULL, 1, 1000000, PAL_NFLOG_DEFAULT_RATE_LIMIT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS
                       | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CAPACITY] =
    g_param_spec_uint ("capacity", NULL, NULL, 1, 1000000, PAL_NFLOG_DEFAULT_CAPACITY,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BATCH_INTERVAL] =
    g_param_spec_uint ("batch-interval", NULL, NULL, 1, 60000, PAL_NFLOG_DEFAULT_BATCH_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PalNflogReader::entries:
   * @batch: the entries since the last batch, a(xsssssssssssqqnnsu)
   */
  signals[ENTRIES] = g_signal_new ("entries",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_VARIANT);
}

static void
pal_nflog_reader_init (PalNflogReader *self)
{
}

/* ---- the ring and batches ---- */

/* A fresh slot for the newest entry, overwriting the oldest when full. */
static PalLogEntry *
ring_push (PalNflogReader *self)
{
  PalLogEntry *entry;

  if (self->count < self->capacity)
    entry = &self->ring[(self->start + self->count++) % self->capacity];
  else
    {
      entry = &self->ring[self->start];
      self->start = (self->start + 1) % self->capacity;
    }
  pal_log_entry_clear (entry);
  self->pending = MIN (self->pending + 1, self->capacity);
  return entry;
}

/* The last n entries, oldest first. */
static GVariant *
ring_variant (PalNflogReader *self,
              guint           n)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, PAL_LOG_ENTRIES_TYPE);
  for (guint i = self->count - n; i < self->count; i++)
    g_variant_builder_add_value (&builder,
                                 pal_log_entry_to_variant (&self->ring[(self->start + i) % self->capacity]));
  return g_variant_builder_end (&builder);
}

static void
note_suppressed (PalNflogReader *self)
{
  PalLogEntry *entry;

  if (self->suppressed_unreported == 0)
    return;
  entry = ring_push (self);
  pal_log_entry_init (entry, PAL_LOG_KIND_SUPPRESSED, g_get_real_time ());
  entry->text = g_strdup_printf (self->suppressed_unreported == 1
                                 ? "%" G_GUINT64_FORMAT " entry suppressed"
                                 : "%" G_GUINT64_FORMAT " entries suppressed",
                                 self->suppressed_unreported);
  self->suppressed_unreported = 0;
}

void
pal_nflog_reader_flush (PalNflogReader *self)
{
  g_autoptr(GVariant) batch = NULL;

  g_return_if_fail (PAL_IS_NFLOG_READER (self));

  destroy_source (&self->flush_source);
  note_suppressed (self);
  if (self->pending == 0)
    return;
  batch = g_variant_ref_sink (ring_variant (self, self->pending));
  self->pending = 0;
  g_signal_emit (self, signals[ENTRIES], 0, batch);
}

static gboolean
flush_cb (gpointer user_data)
{
  PalNflogReader *self = user_data;

  g_clear_pointer (&self->flush_source, g_source_unref);
  pal_nflog_reader_flush (self);
  return G_SOURCE_REMOVE;
}

/* Something new: a batch goes out within batch-interval. */
static void
schedule_flush (PalNflogReader *self)
{
  if (self->flush_source != NULL)
    return;
  self->flush_source = g_timeout_source_new (self->batch_interval);
  g_source_set_callback (self->flush_source, flush_cb, self, NULL);
  g_source_set_static_name (self->flush_source, "PalNflogReader batch");
  g_source_attach (self->flush_source, g_main_context_get_thread_default ());
}

/* ---- rate limit ---- */

static gboolean
take_token (PalNflogReader *self)
{
  gint64 now = g_get_monotonic_time ();

  self->tokens = MIN ((double) self->rate_limit,
                      self->tokens + (now - self->refilled) * (double) self->rate_limit / G_USEC_PER_SEC);
  self->refilled = now;
  if (self->tokens < 1.0)
    return FALSE;
  self->tokens -= 1.0;
  return TRUE;
}

guint
pal_nflog_reader_get_rate_limit (PalNflogReader *self)
{
  g_return_val_if_fail (PAL_IS_NFLOG_READER (self), 0);
  return self->rate_limit;
}

void
pal_nflog_reader_set_rate_limit (PalNflogReader *self,
                                 guint           rate_limit)
{
  g_return_if_fail (PAL_IS_NFLOG_READER (self));
  g_return_if_fail (rate_limit > 0);

  if (self->rate_limit == rate_limit)
    return;
  self->rate_limit = rate_limit;
  self->tokens = MIN (self->tokens, (double) rate_limit);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE_LIMIT]);
}

/* ---- one NFLOG message ---- */

static int
attr_cb (const struct nlattr *attr,
         void                *data)
{
  const struct nlattr **table = data;
  guint16 type = mnl_attr_get_type (attr);

  if (type <= NFULA_MAX)
    table[type] = attr;
  return MNL_CB_OK;
}

/* Counts the messages the kernel dropped for us, from the gap in the
 * group's sequence numbers. */
static void
count_gap (PalNflogReader      *self,
           guint                group,
           const struct nlattr *seq_attr)
{
  guint32 seq, gap;

  if (seq_attr == NULL || mnl_attr_validate (seq_attr, MNL_TYPE_U32) < 0 || group >= G_N_ELEMENTS (self->next_seq))
    return;
  seq = ntohl (mnl_attr_get_u32 (seq_attr));
  gap = seq - self->next_seq[group];
  /* A huge gap is a restart of the numbering, not a loss. */
  if (self->has_seq[group] && gap != 0 && gap < G_MAXINT32)
    {
      self->suppressed += gap;
      self->suppressed_unreported += gap;
    }
  self->next_seq[group] = seq + 1;
  self->has_seq[group] = TRUE;
}

static const char *
hook_name (guint8 family,
           guint8 hook)
{
  static const char * const inet[] = { "prerouting", "input", "forward", "output", "postrouting" };
  static const char * const netdev[] = { "ingress", "egress" };

  if (family == NFPROTO_NETDEV)
    return hook < G_N_ELEMENTS (netdev) ? netdev[hook] : NULL;
  return hook < G_N_ELEMENTS (inet) ? inet[hook] : NULL;
}

static void
interface_name (const struct nlattr *attr,
                char                *name)
{
  name[0] = '\0';
  if (attr != NULL && mnl_attr_validate (attr, MNL_TYPE_U32) == 0
      && if_indextoname (ntohl (mnl_attr_get_u32 (attr)), name) == NULL)
    g_snprintf (name, IF_NAMESIZE, "#%u", ntohl (mnl_attr_get_u32 (attr)));
}

static void
hardware_address (const struct nlattr *attr,
                  char                *text,
                  gsize                size)
{
  const struct nfulnl_msg_packet_hw *hw;
  guint length;
  GString *mac;

  text[0] = '\0';
  if (attr == NULL || mnl_attr_get_payload_len (attr) < sizeof *hw)
    return;
  hw = mnl_attr_get_payload (attr);
  length = MIN (ntohs (hw->hw_addrlen), sizeof hw->hw_addr);
  mac = g_string_new (NULL);
  for (guint i = 0; i < length; i++)
    g_string_append_printf (mac, i == 0 ? "%02x" : ":%02x", hw->hw_addr[i]);
  g_strlcpy (text, mac->str, size);
  g_string_free (mac, TRUE);
}

/* The packet's family: the message's for IPv4 and IPv6 hooks, the
 * Ethernet protocol for bridge and netdev hooks; -1 when not IP (ARP). */
static int
payload_family (guint8                              family,
                const struct nfulnl_msg_packet_hdr *header)
{
  guint16 protocol = header != NULL ? ntohs (header->hw_protocol) : 0;

  if (family == NFPROTO_IPV4 || protocol == ETH_P_IP)
    return AF_INET;
  if (family == NFPROTO_IPV6 || protocol == ETH_P_IPV6)
    return AF_INET6;
  return -1;
}

static gint64
packet_time (const struct nlattr *attr)
{
  struct nfulnl_msg_packet_timestamp stamp;

  /* Only packets the kernel stamped on arrival carry a time. */
  if (attr == NULL || mnl_attr_get_payload_len (attr) < sizeof stamp)
    return g_get_real_time ();
  /* Attributes are aligned to 4 bytes, the 64-bit fields want 8. */
  memcpy (&stamp, mnl_attr_get_payload (attr), sizeof stamp);
  return (gint64) be64toh (stamp.sec) * G_USEC_PER_SEC + (gint64) be64toh (stamp.usec);
}

static PalLogKind
group_kind (guint group)
{
  switch (group)
    {
    case PAL_NFLOG_GROUP_ALERT:
      return PAL_LOG_KIND_ALERT;
    case PAL_NFLOG_GROUP_DENIED:
      return PAL_LOG_KIND_DENIED;
    case PAL_NFLOG_GROUP_LOG:
    default:
      return PAL_LOG_KIND_LOG;
    }
}

static void
fill_entry (PalNflogReader       *self,
            PalLogEntry          *entry,
            guint8                family,
            guint                 group,
            const struct nlattr **table)
{
  const struct nfulnl_msg_packet_hdr *header = NULL;
  const char *prefix = "";
  const PalLogRule *rule = NULL;
  const char *text;
  guint32 key;

  if (table[NFULA_PACKET_HDR] != NULL
      && mnl_attr_get_payload_len (table[NFULA_PACKET_HDR]) >= sizeof *header)
    header = mnl_attr_get_payload (table[NFULA_PACKET_HDR]);
  if (table[NFULA_PREFIX] != NULL && mnl_attr_validate (table[NFULA_PREFIX], MNL_TYPE_NUL_STRING) == 0)
    prefix = mnl_attr_get_str (table[NFULA_PREFIX]);

  pal_log_entry_init (entry, group_kind (group), packet_time (table[NFULA_TIMESTAMP]));
  if (pal_log_prefix_parse (prefix, &key, &text))
    rule = pal_log_rules_lookup (self->rules, key);
  entry->text = g_utf8_make_valid (text, -1);
  if (rule != NULL)
    {
      entry->rule = g_strdup (rule->id);
      entry->name = g_strdup (rule->name);
    }
  entry->hook = header != NULL ? hook_name (family, header->hook) : NULL;
  interface_name (table[NFULA_IFINDEX_INDEV], entry->in);
  interface_name (table[NFULA_IFINDEX_OUTDEV], entry->out);
  hardware_address (table[NFULA_HWADDR], entry->mac, sizeof entry->mac);
  if (table[NFULA_PAYLOAD] != NULL)
    pal_log_entry_parse_packet (entry, payload_family (family, header),
                                mnl_attr_get_payload (table[NFULA_PAYLOAD]),
                                mnl_attr_get_payload_len (table[NFULA_PAYLOAD]));
}

static void
handle_packet (PalNflogReader        *self,
               const struct nlmsghdr *nlh)
{
  const struct nlattr *table[NFULA_MAX + 1] = { NULL, };
  const struct nfgenmsg *nfg;
  guint group;

  if (nlh->nlmsg_type != ((NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET)
      || nlh->nlmsg_len < mnl_nlmsg_size (sizeof *nfg))
    return;
  nfg = mnl_nlmsg_get_payload (nlh);
  group = ntohs (nfg->res_id);
  if (group != PAL_NFLOG_GROUP_LOG && group != PAL_NFLOG_GROUP_ALERT && group != PAL_NFLOG_GROUP_DENIED)
    return;
  if (mnl_attr_parse (nlh, sizeof *nfg, attr_cb, table) < 0)
    return;
  count_gap (self, group, table[NFULA_SEQ]);
  schedule_flush (self);
  if (!take_token (self))
    {
      self->suppressed++;
      self->suppressed_unreported++;
      return;
    }
  fill_entry (self, ring_push (self), nfg->nfgen_family, group, table);
  self->kept++;
}

static int
packet_cb (const struct nlmsghdr *nlh,
           void                  *data)
{
  handle_packet (data, nlh);
  return MNL_CB_OK;
}

static gboolean
read_cb (gint         fd,
         GIOCondition condition,
         gpointer     user_data)
{
  PalNflogReader *self = user_data;

  for (guint i = 0; i < READS_PER_DISPATCH; i++)
    {
      ssize_t length = recv (fd, self->buffer, BUFFER_SIZE, 0);

      if (length < 0 && (errno == EINTR || errno == ENOBUFS))
        continue;   /* ENOBUFS: the sequence numbers will say how many */
      if (length <= 0)
        break;
      mnl_cb_run (self->buffer, length, 0, 0, packet_cb, self);
    }
  return G_SOURCE_CONTINUE;
}

/* ---- binding ---- */

static int
config_data_cb (const struct nlmsghdr *nlh,
                void                  *data)
{
  /* A packet logged between two configuration messages. */
  handle_packet (data, nlh);
  return MNL_CB_OK;
}

static gboolean
send_config (PalNflogReader  *self,
             guint16          group,
             GError         **error)
{
  struct nlmsghdr *nlh = mnl_nlmsg_put_header (self->buffer);
  struct nfulnl_msg_config_cmd command = { NFULNL_CFG_CMD_BIND };
  struct nfulnl_msg_config_mode mode = { htonl (PAL_NFLOG_COPY_RANGE), NFULNL_COPY_PACKET, 0 };
  struct nfgenmsg *nfg;
  guint32 seq = g_random_int ();
  int ret;

  nlh->nlmsg_type = (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_CONFIG;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  nlh->nlmsg_seq = seq;
  nfg = mnl_nlmsg_put_extra_header (nlh, sizeof *nfg);
  nfg->nfgen_family = AF_UNSPEC;
  nfg->version = NFNETLINK_V0;
  nfg->res_id = htons (group);
  mnl_attr_put (nlh, NFULA_CFG_CMD, sizeof command, &command);
  mnl_attr_put (nlh, NFULA_CFG_MODE, sizeof mode, &mode);
  mnl_attr_put_u32 (nlh, NFULA_CFG_NLBUFSIZ, htonl (KERNEL_BUFFER_SIZE));
  mnl_attr_put_u32 (nlh, NFULA_CFG_TIMEOUT, htonl (KERNEL_FLUSH_TIMEOUT));
  mnl_attr_put_u32 (nlh, NFULA_CFG_QTHRESH, htonl (KERNEL_QUEUE_THRESHOLD));
  mnl_attr_put_u16 (nlh, NFULA_CFG_FLAGS, htons (NFULNL_CFG_F_SEQ));
  if (mnl_socket_sendto (self->nl, nlh, nlh->nlmsg_len) < 0)
    ret = MNL_CB_ERROR;
  else
    do
      {
        ssize_t length = mnl_socket_recvfrom (self->nl, self->buffer, BUFFER_SIZE);

        ret = length < 0 ? MNL_CB_ERROR
              : mnl_cb_run (self->buffer, length, seq, self->port, config_data_cb, self);
      }
    while (ret > MNL_CB_STOP);
  if (ret == MNL_CB_ERROR)
    {
      int code = errno;

      /* The kernel says EPERM both when another socket has the group
       * and when we lack CAP_NET_ADMIN; the helper runs with it. */
      if (code == EPERM || code == EBUSY)
        g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_BUSY,
                     "NFLOG group %u is already read by another program "
                     "(or this one lacks CAP_NET_ADMIN)", group);
      else
        g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_KERNEL,
                     "Reading NFLOG group %u: %s", group, g_strerror (code));
      return FALSE;
    }
  return TRUE;
}

static gboolean
pal_nflog_reader_initable_init_impl (GInitable     *initable,
                                     GCancellable  *cancellable,
                                     GError       **error)
{
  PalNflogReader *self = PAL_NFLOG_READER (initable);
  int size = SOCKET_RECEIVE_BUFFER;
  int fd;

  self->ring = g_new0 (PalLogEntry, self->capacity);
  self->buffer = g_malloc (BUFFER_SIZE);
  self->tokens = self->rate_limit;
  self->refilled = g_get_monotonic_time ();
  /* Blocking while it binds (acknowledgements come at once), then not. */
  self->nl = mnl_socket_open2 (NETLINK_NETFILTER, SOCK_CLOEXEC);
  if (self->nl == NULL || mnl_socket_bind (self->nl, 0, MNL_SOCKET_AUTOPID) < 0)
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_KERNEL,
                   "Opening the nfnetlink_log socket: %s", g_strerror (errno));
      return FALSE;
    }
  self->port = mnl_socket_get_portid (self->nl);
  fd = mnl_socket_get_fd (self->nl);
  if (setsockopt (fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
    setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  if (!send_config (self, PAL_NFLOG_GROUP_LOG, error)
      || !send_config (self, PAL_NFLOG_GROUP_ALERT, error)
      || !send_config (self, PAL_NFLOG_GROUP_DENIED, error)
      || !g_unix_set_fd_nonblocking (fd, TRUE, error))
    return FALSE;
  self->read_source = g_unix_fd_source_new (fd, G_IO_IN);
  g_source_set_callback (self->read_source, G_SOURCE_FUNC (read_cb), self, NULL);
  g_source_set_static_name (self->read_source, "PalNflogReader");
  g_source_attach (self->read_source, g_main_context_get_thread_default ());
  return TRUE;
}

static void
pal_nflog_reader_initable_init (GInitableIface *iface)
{
  iface->init = pal_nflog_reader_initable_init_impl;
}

PalNflogReader *
pal_nflog_reader_new (GError **error)
{
  return g_initable_new (PAL_TYPE_NFLOG_READER, NULL, error, NULL);
}

/* ---- rules, events, reading ---- */

void
pal_nflog_reader_set_rules (PalNflogReader *self,
                            GHashTable     *rules)
{
  g_return_if_fail (PAL_IS_NFLOG_READER (self));

  g_clear_pointer (&self->rules, g_hash_table_unref);
  self->rules = rules != NULL ? g_hash_table_ref (rules) : NULL;
}

static const char *
message_id (PalLogKind kind)
{
  switch (kind)
    {
    case PAL_LOG_KIND_APPLIED: return PAL_LOG_MESSAGE_ID_APPLIED;
    case PAL_LOG_KIND_CONFLICT: return PAL_LOG_MESSAGE_ID_CONFLICT;
    case PAL_LOG_KIND_BANNED: return PAL_LOG_MESSAGE_ID_BANNED;
    case PAL_LOG_KIND_UNBANNED: return PAL_LOG_MESSAGE_ID_UNBANNED;
    case PAL_LOG_KIND_ENABLED: return PAL_LOG_MESSAGE_ID_ENABLED;
    case PAL_LOG_KIND_DISABLED: return PAL_LOG_MESSAGE_ID_DISABLED;
    case PAL_LOG_KIND_ERROR: return PAL_LOG_MESSAGE_ID_ERROR;
    default: return NULL;
    }
}

void
pal_nflog_reader_add_event (PalNflogReader *self,
                            PalLogKind      kind,
                            const char     *text)
{
  PalLogEntry *entry;

  g_return_if_fail (PAL_IS_NFLOG_READER (self));
  g_return_if_fail (message_id (kind) != NULL);
  g_return_if_fail (text != NULL);

  entry = ring_push (self);
  pal_log_entry_init (entry, kind, g_get_real_time ());
  entry->text = g_utf8_make_valid (text, -1);
  pal_log_event_to_journal (kind, entry->text);
  schedule_flush (self);
}

void
pal_log_event_to_journal (PalLogKind  kind,
                          const char *text)
{
  g_autofree char *valid = NULL;

  g_return_if_fail (message_id (kind) != NULL);
  g_return_if_fail (text != NULL);

  valid = g_utf8_make_valid (text, -1);
  /* MESSAGE, not WARNING: these are the firewall's news, not faults of
   * the program (and GLib makes warnings fatal in tests). */
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                    "MESSAGE_ID", message_id (kind),
                    "PALISADE_EVENT", pal_log_kind_to_string (kind),
                    "MESSAGE", "%s", valid);
}

GVariant *
pal_nflog_reader_get_entries (PalNflogReader *self)
{
  g_return_val_if_fail (PAL_IS_NFLOG_READER (self), NULL);
  return ring_variant (self, self->count);
}

guint64
pal_nflog_reader_get_n_kept (PalNflogReader *self)
{
  g_return_val_if_fail (PAL_IS_NFLOG_READER (self), 0);
  return self->kept;
}

guint64
pal_nflog_reader_get_n_suppressed (PalNflogReader *self)
{
  g_return_val_if_fail (PAL_IS_NFLOG_READER (self), 0);
  return self->suppressed;
}
