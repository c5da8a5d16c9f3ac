/* pal-nft-socket.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <libnftnl/gen.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "pal-helper-error.h"
#include "pal-nft-socket.h"

/* Dump replies come in skbs of at most 32 KiB; a larger buffer costs
 * nothing and lets the kernel fill each one. */
#define RECEIVE_BUFFER_SIZE (64 * 1024)
/* Room for the kernel's error acks of a large failing batch. */
#define SOCKET_RECEIVE_BUFFER (8 * 1024 * 1024)

struct _PalNftSocket
{
  struct mnl_socket *nl;
  guint32            portid;
  guint32            seq;
  gsize              send_buffer;
  guint8            *buffer;
};

static void
set_kernel_error (GError     **error,
                  int          errnum,
                  const char  *what,
                  const char  *kernel_message)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (what != NULL && *what != '\0')
    g_string_append_printf (text, "%s: ", what);
  g_string_append (text, g_strerror (errnum));
  if (kernel_message != NULL && *kernel_message != '\0')
    g_string_append_printf (text, " (%s)", kernel_message);
  g_set_error_literal (error, PAL_HELPER_ERROR,
                       errnum == EOPNOTSUPP || errnum == EPROTONOSUPPORT
                       ? PAL_HELPER_ERROR_NOT_SUPPORTED : PAL_HELPER_ERROR_KERNEL,
                       text->str);
}

static void
set_option (PalNftSocket *self,
            int           level,
            int           option,
            int           value)
{
  /* Best effort: the options only make acks smaller and errors clearer. */
  (void) setsockopt (mnl_socket_get_fd (self->nl), level, option, &value, sizeof value);
}

PalNftSocket *
pal_nft_socket_new (GError **error)
{
  g_autoptr(PalNftSocket) self = g_new0 (PalNftSocket, 1);

  self->nl = mnl_socket_open2 (NETLINK_NETFILTER, SOCK_CLOEXEC);
  if (self->nl == NULL)
    {
      set_kernel_error (error, errno, "Opening the netfilter netlink socket", NULL);
      return NULL;
    }
  if (mnl_socket_bind (self->nl, 0, MNL_SOCKET_AUTOPID) < 0)
    {
      set_kernel_error (error, errno, "Binding the netfilter netlink socket", NULL);
      return NULL;
    }
  self->portid = mnl_socket_get_portid (self->nl);
  self->seq = (guint32) g_random_int ();
  self->buffer = g_malloc (RECEIVE_BUFFER_SIZE);
  set_option (self, SOL_NETLINK, NETLINK_CAP_ACK, 1);
  set_option (self, SOL_NETLINK, NETLINK_EXT_ACK, 1);
  if (setsockopt (mnl_socket_get_fd (self->nl), SOL_SOCKET, SO_RCVBUFFORCE,
                  &(int) { SOCKET_RECEIVE_BUFFER }, sizeof (int)) < 0)
    set_option (self, SOL_SOCKET, SO_RCVBUF, SOCKET_RECEIVE_BUFFER);
  return g_steal_pointer (&self);
}

void
pal_nft_socket_free (PalNftSocket *self)
{
  if (self == NULL)
    return;
  if (self->nl != NULL)
    mnl_socket_close (self->nl);
  g_free (self->buffer);
  g_free (self);
}

gsize
pal_nft_socket_get_send_buffer (PalNftSocket *self)
{
  int value = 0;
  socklen_t length = sizeof value;

  g_return_val_if_fail (self != NULL, 0);

  if (getsockopt (mnl_socket_get_fd (self->nl), SOL_SOCKET, SO_SNDBUF, &value, &length) < 0)
    return 0;
  return value;
}

typedef struct
{
  const char *message;
  guint32     offset;
} ExtAck;

static int
ext_ack_cb (const struct nlattr *attr,
            void                *data)
{
  ExtAck *ack = data;

  if (mnl_attr_get_type (attr) == NLMSGERR_ATTR_MSG
      && mnl_attr_validate (attr, MNL_TYPE_NUL_STRING) == 0)
    ack->message = mnl_attr_get_str (attr);
  return MNL_CB_OK;
}

/* The errno (positive, 0 for an ack), the seq it answers and the kernel's
 * text of an NLMSG_ERROR message. */
static int
parse_error (const struct nlmsghdr  *nlh,
             guint32                *seq,
             const char            **message)
{
  const struct nlmsgerr *err = mnl_nlmsg_get_payload (nlh);

  *message = NULL;
  if (nlh->nlmsg_len < mnl_nlmsg_size (sizeof *err))
    {
      *seq = 0;
      return EBADMSG;
    }
  *seq = err->msg.nlmsg_seq;
  if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) != 0)
    {
      ExtAck ack = { NULL, 0 };
      gsize offset = sizeof *err;

      if ((nlh->nlmsg_flags & NLM_F_CAPPED) == 0)
        offset += err->msg.nlmsg_len - sizeof (struct nlmsghdr);
      if (offset < mnl_nlmsg_get_payload_len (nlh))
        mnl_attr_parse (nlh, offset, ext_ack_cb, &ack);
      *message = ack.message;
    }
  return -err->error;
}

static gboolean
parse_generation (const struct nlmsghdr  *nlh,
                  gpointer                user_data,
                  GError                **error)
{
  if (nftnl_gen_nlmsg_parse (nlh, user_data) < 0)
    {
      g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_KERNEL,
                           "Malformed generation message from nf_tables");
      return FALSE;
    }
  return TRUE;
}

gboolean
pal_nft_socket_get_generation (PalNftSocket  *self,
                               guint32       *generation,
                               GError       **error)
{
  guint8 buffer[512] = { 0 };
  struct nlmsghdr *nlh;
  g_autoptr(GError) local_error = NULL;
  struct nftnl_gen *gen;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);

  nlh = nftnl_nlmsg_build_hdr ((char *) buffer, NFT_MSG_GETGEN, AF_UNSPEC, 0, 0);
  gen = nftnl_gen_alloc ();
  ok = pal_nft_socket_query (self, nlh, parse_generation, gen, &local_error);
  if (ok && !nftnl_gen_is_set (gen, NFTNL_GEN_ID))
    {
      ok = FALSE;
      g_set_error_literal (&local_error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_KERNEL,
                           "nf_tables did not tell its generation");
    }
  if (ok)
    *generation = nftnl_gen_get_u32 (gen, NFTNL_GEN_ID);
  nftnl_gen_free (gen);
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* Parses one message of a reply stream; returns MNL_CB_STOP at the end. */
static int
handle_reply (PalNftSocket           *self,
              const struct nlmsghdr  *nlh,
              guint32                 seq,
              PalNftMessageFunc       func,
              gpointer                user_data,
              GError                **error)
{
  if (nlh->nlmsg_seq != seq || nlh->nlmsg_pid != self->portid)
    return MNL_CB_OK;   /* a late answer to an earlier request */
  if ((nlh->nlmsg_flags & NLM_F_DUMP_INTR) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                           "The ruleset changed while it was being read");
      return MNL_CB_ERROR;
    }
  switch (nlh->nlmsg_type)
    {
    case NLMSG_DONE:
      return MNL_CB_STOP;
    case NLMSG_ERROR:
      {
        const char *message;
        guint32 error_seq;
        int errnum = parse_error (nlh, &error_seq, &message);

        if (errnum == 0)
          return MNL_CB_STOP;
        if (errnum == ENOENT)
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, g_strerror (errnum));
        else
          set_kernel_error (error, errnum, "Reading the ruleset", message);
        return MNL_CB_ERROR;
      }
    case NLMSG_NOOP:
    case NLMSG_OVERRUN:
      return MNL_CB_OK;
    default:
      if (!func (nlh, user_data, error))
        return MNL_CB_ERROR;
      return (nlh->nlmsg_flags & NLM_F_MULTI) ? MNL_CB_OK : MNL_CB_STOP;
    }
}

gboolean
pal_nft_socket_query (PalNftSocket       *self,
                      struct nlmsghdr    *request,
                      PalNftMessageFunc   func,
                      gpointer            user_data,
                      GError            **error)
{
  guint32 seq;
  int status = MNL_CB_OK;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (request != NULL, FALSE);

  seq = ++self->seq;
  request->nlmsg_seq = seq;
  request->nlmsg_pid = 0;
  if (mnl_socket_sendto (self->nl, request, request->nlmsg_len) < 0)
    {
      set_kernel_error (error, errno, "Sending a request to nf_tables", NULL);
      return FALSE;
    }

  /* Read to the end even after an error, so the next request does not
   * find this one's tail in the socket. */
  while (status == MNL_CB_OK)
    {
      ssize_t length = mnl_socket_recvfrom (self->nl, self->buffer, RECEIVE_BUFFER_SIZE);
      const struct nlmsghdr *nlh = (const struct nlmsghdr *) self->buffer;
      int remaining = (int) length;

      if (length < 0)
        {
          if (errno == EINTR)
            continue;
          set_kernel_error (error, errno, "Reading the reply of nf_tables", NULL);
          return FALSE;
        }
      for (; status == MNL_CB_OK && mnl_nlmsg_ok (nlh, remaining); nlh = mnl_nlmsg_next (nlh, &remaining))
        status = handle_reply (self, nlh, seq, func, user_data, error);
    }
  return status == MNL_CB_STOP;
}

/* Raises the send buffer so the batch fits in one sendmsg(): the kernel
 * refuses (EMSGSIZE) a message larger than the buffer, and a batch split
 * over several would not be one transaction. SO_SNDBUFFORCE needs
 * CAP_NET_ADMIN in the initial namespace; SO_SNDBUF is capped by
 * net.core.wmem_max. */
static void
fit_send_buffer (PalNftSocket *self,
                 gsize         length)
{
  int fd = mnl_socket_get_fd (self->nl);
  int wanted;

  if (length + 4096 <= self->send_buffer)
    return;
  wanted = (int) MIN (length + 64 * 1024, (gsize) G_MAXINT / 2);
  if (setsockopt (fd, SOL_SOCKET, SO_SNDBUFFORCE, &wanted, sizeof wanted) < 0)
    setsockopt (fd, SOL_SOCKET, SO_SNDBUF, &wanted, sizeof wanted);
  self->send_buffer = pal_nft_socket_get_send_buffer (self);
}

typedef struct
{
  int         errnum;
  guint32     seq;
  char       *message;
  gboolean    acked;      /* the last message's ack: the commit is done */
  gboolean    begin_failed;
} BatchResult;

static void
collect_batch_replies (PalNftSocket *self,
                       PalNftBatch  *batch,
                       BatchResult  *result)
{
  guint32 last_seq = pal_nft_batch_get_last_seq (batch);

  for (;;)
    {
      ssize_t length = recv (mnl_socket_get_fd (self->nl), self->buffer,
                             RECEIVE_BUFFER_SIZE, MSG_DONTWAIT);
      const struct nlmsghdr *nlh = (const struct nlmsghdr *) self->buffer;
      int remaining = (int) length;

      if (length < 0 && errno == EINTR)
        continue;
      if (length < 0)
        {
          /* ENOBUFS: acks were lost, so the batch failed somewhere. */
          if (errno != EAGAIN && result->errnum == 0)
            result->errnum = errno;
          return;
        }
      for (; mnl_nlmsg_ok (nlh, remaining); nlh = mnl_nlmsg_next (nlh, &remaining))
        {
          const char *message;
          guint32 seq;
          int errnum;

          if (nlh->nlmsg_type != NLMSG_ERROR)
            continue;
          errnum = parse_error (nlh, &seq, &message);
          if (seq == last_seq && errnum == 0)
            result->acked = TRUE;
          if (errnum == 0 || result->errnum != 0)
            continue;
          result->errnum = errnum;
          result->seq = seq;
          result->message = g_strdup (message);
          result->begin_failed = seq == pal_nft_batch_get_begin_seq (batch);
        }
    }
}

gboolean
pal_nft_socket_send_batch (PalNftSocket  *self,
                           PalNftBatch   *batch,
                           GError       **error)
{
  BatchResult result = { 0, };
  const guint8 *data;
  gsize length;
  ssize_t sent;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (batch != NULL, FALSE);

  if (pal_nft_batch_is_empty (batch))
    return TRUE;
  pal_nft_batch_close (batch);
  data = pal_nft_batch_get_data (batch, &length);
  fit_send_buffer (self, length);

  /* nf_tables handles the batch inside this call, so every reply is
   * queued on our socket when it returns. */
  do
    sent = sendto (mnl_socket_get_fd (self->nl), data, length, 0, NULL, 0);
  while (sent < 0 && errno == EINTR);
  if (sent < 0)
    {
      if (errno == EMSGSIZE || errno == ENOBUFS)
        g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_KERNEL,
                     "The change (%" G_GSIZE_FORMAT " bytes) does not fit in the netlink "
                     "send buffer (%" G_GSIZE_FORMAT " bytes): %s",
                     length, self->send_buffer, g_strerror (errno));
      else
        set_kernel_error (error, errno, "Sending the change to nf_tables", NULL);
      return FALSE;
    }

  collect_batch_replies (self, batch, &result);
  if (result.errnum == ERESTART && result.begin_failed)
    {
      g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_CONFLICT,
                           "The ruleset changed since it was read");
      g_free (result.message);
      return FALSE;
    }
  if (result.errnum != 0)
    {
      set_kernel_error (error, result.errnum, pal_nft_batch_describe (batch, result.seq),
                        result.message);
      g_free (result.message);
      return FALSE;
    }
  if (!result.acked)
    {
      g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_KERNEL,
                           "nf_tables did not acknowledge the change");
      return FALSE;
    }
  return TRUE;
}
