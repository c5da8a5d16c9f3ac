/* pal-nft-batch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <arpa/inet.h>

#include <string.h>

#include "pal-nft-batch.h"

struct _PalNftBatch
{
  GByteArray *buffer;
  GPtrArray  *what;          /* char *, by seq - begin_seq - 1 */
  guint32     begin_seq;
  gsize       last_offset;   /* of the last real message, for the ack flag */
  gsize       zeroed;        /* bytes below this are zero or written */
  gboolean    closed;
};

/* Sequence numbers only have to differ between the requests of one socket;
 * one counter for the process keeps them unique across batches. */
static guint32
next_seq_block (guint n)
{
  static gint seq_base = 0;

  if (g_atomic_int_get (&seq_base) == 0)
    g_atomic_int_compare_and_exchange (&seq_base, 0, (gint) (g_get_real_time () / G_USEC_PER_SEC) & 0x3fffffff);
  return (guint32) g_atomic_int_add (&seq_base, (gint) n);
}

/* Room for one more message of the maximal size, so builders that write
 * through a raw pointer cannot overrun. The room is zeroed (each byte
 * once), so no padding goes to the kernel uninitialised. */
static guint8 *
reserve (PalNftBatch *self)
{
  gsize used = self->buffer->len;

  g_byte_array_set_size (self->buffer, used + PAL_NFT_BATCH_MAX_MESSAGE);
  if (self->zeroed < used + PAL_NFT_BATCH_MAX_MESSAGE)
    {
      gsize from = MAX (self->zeroed, used);

      memset (self->buffer->data + from, 0, used + PAL_NFT_BATCH_MAX_MESSAGE - from);
      self->zeroed = used + PAL_NFT_BATCH_MAX_MESSAGE;
    }
  g_byte_array_set_size (self->buffer, used);
  return self->buffer->data + used;
}

static void
put_batch_control (PalNftBatch *self,
                   guint16      type,
                   guint32      seq,
                   guint32      generation)
{
  struct nlmsghdr *nlh = mnl_nlmsg_put_header (reserve (self));
  struct nfgenmsg *nfg;

  nlh->nlmsg_type = type;
  nlh->nlmsg_flags = NLM_F_REQUEST;
  nlh->nlmsg_seq = seq;
  nfg = mnl_nlmsg_put_extra_header (nlh, sizeof *nfg);
  nfg->nfgen_family = AF_UNSPEC;
  nfg->version = NFNETLINK_V0;
  nfg->res_id = htons (NFNL_SUBSYS_NFTABLES);
  /* The kernel refuses the whole batch with ERESTART if the ruleset
   * changed since we read this generation: no lost update. */
  if (generation != 0)
    mnl_attr_put_u32 (nlh, NFNL_BATCH_GENID, htonl (generation));
  g_byte_array_set_size (self->buffer, self->buffer->len + nlh->nlmsg_len);
}

PalNftBatch *
pal_nft_batch_new (guint32 generation)
{
  PalNftBatch *self = g_new0 (PalNftBatch, 1);

  self->buffer = g_byte_array_sized_new (64 * 1024);
  self->what = g_ptr_array_new_with_free_func (g_free);
  /* Reserve a generous block: messages take seqs begin + 1 … */
  self->begin_seq = next_seq_block (1u << 22);
  put_batch_control (self, NFNL_MSG_BATCH_BEGIN, self->begin_seq, generation);
  return self;
}

void
pal_nft_batch_free (PalNftBatch *self)
{
  if (self == NULL)
    return;
  g_byte_array_unref (self->buffer);
  g_ptr_array_unref (self->what);
  g_free (self);
}

struct nlmsghdr *
pal_nft_batch_begin_message (PalNftBatch *self,
                             guint16      type,
                             guint16      family,
                             guint16      flags,
                             const char  *what)
{
  struct nlmsghdr *nlh;
  struct nfgenmsg *nfg;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (!self->closed, NULL);

  nlh = mnl_nlmsg_put_header (reserve (self));
  nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | type;
  nlh->nlmsg_flags = NLM_F_REQUEST | flags;
  g_ptr_array_add (self->what, g_strdup (what));
  nlh->nlmsg_seq = self->begin_seq + self->what->len;
  nfg = mnl_nlmsg_put_extra_header (nlh, sizeof *nfg);
  nfg->nfgen_family = family;
  nfg->version = NFNETLINK_V0;
  nfg->res_id = 0;
  return nlh;
}

void
pal_nft_batch_end_message (PalNftBatch     *self,
                           struct nlmsghdr *nlh)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail ((guint8 *) nlh == self->buffer->data + self->buffer->len);
  g_return_if_fail (nlh->nlmsg_len <= PAL_NFT_BATCH_MAX_MESSAGE);

  self->last_offset = self->buffer->len;
  g_byte_array_set_size (self->buffer, self->buffer->len + NLMSG_ALIGN (nlh->nlmsg_len));
}

void
pal_nft_batch_close (PalNftBatch *self)
{
  g_return_if_fail (self != NULL);

  if (self->closed)
    return;
  if (self->what->len > 0)
    {
      struct nlmsghdr *last = (struct nlmsghdr *) (self->buffer->data + self->last_offset);
      last->nlmsg_flags |= NLM_F_ACK;
    }
  put_batch_control (self, NFNL_MSG_BATCH_END, self->begin_seq + self->what->len + 1, 0);
  self->closed = TRUE;
}

guint
pal_nft_batch_get_n_messages (PalNftBatch *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->what->len;
}

gboolean
pal_nft_batch_is_empty (PalNftBatch *self)
{
  g_return_val_if_fail (self != NULL, TRUE);
  return self->what->len == 0;
}

gsize
pal_nft_batch_get_size (PalNftBatch *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->buffer->len;
}

const guint8 *
pal_nft_batch_get_data (PalNftBatch *self,
                        gsize       *length)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->closed, NULL);

  *length = self->buffer->len;
  return self->buffer->data;
}

guint32
pal_nft_batch_get_begin_seq (PalNftBatch *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->begin_seq;
}

guint32
pal_nft_batch_get_last_seq (PalNftBatch *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->begin_seq + self->what->len;
}

const char *
pal_nft_batch_describe (PalNftBatch *self,
                        guint32      seq)
{
  guint32 index;

  g_return_val_if_fail (self != NULL, NULL);

  index = seq - self->begin_seq;
  if (index == 0 || index > self->what->len)
    return NULL;
  return g_ptr_array_index (self->what, index - 1);
}
