/* pal-nft-batch.h — one nfnetlink transaction, built in memory.
 *
 * A batch is BEGIN (with the generation id we last read), the messages, and
 * END, in one contiguous buffer: the kernel applies it all or nothing, and
 * it must reach the kernel in one sendmsg() (see pal-nft-socket.h). Every
 * message remembers what it was for, so an error from the kernel names the
 * rule or chain it concerns instead of a sequence number.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <linux/netlink.h>

G_BEGIN_DECLS

typedef struct _PalNftBatch PalNftBatch;

/* generation: the ruleset generation the batch is valid for, or 0 for any. */
PalNftBatch     *pal_nft_batch_new (guint32 generation);
void             pal_nft_batch_free (PalNftBatch *self);

/* Starts a message with the nfgenmsg header; the caller appends the payload
 * (at most PAL_NFT_BATCH_MAX_MESSAGE bytes, e.g. with
 * nftnl_rule_nlmsg_build_payload) and calls pal_nft_batch_end_message().
 * what: the rule path or object the message concerns, for error messages
 * (copied). The returned header is valid until the next call. */
#define PAL_NFT_BATCH_MAX_MESSAGE (96 * 1024)
struct nlmsghdr *pal_nft_batch_begin_message (PalNftBatch *self,
                                              guint16      type,
                                              guint16      family,
                                              guint16      flags,
                                              const char  *what);
void             pal_nft_batch_end_message (PalNftBatch     *self,
                                            struct nlmsghdr *nlh);

/* Closes the batch (END message); the first call also sets NLM_F_ACK on the
 * last message, so the kernel confirms the commit with one ack. */
void             pal_nft_batch_close (PalNftBatch *self);

guint            pal_nft_batch_get_n_messages (PalNftBatch *self);
/* Bytes written so far (the messages and the batch's own). */
gsize            pal_nft_batch_get_size (PalNftBatch *self);
gboolean         pal_nft_batch_is_empty (PalNftBatch *self);
const guint8    *pal_nft_batch_get_data (PalNftBatch *self,
                                         gsize       *length);
guint32          pal_nft_batch_get_begin_seq (PalNftBatch *self);
guint32          pal_nft_batch_get_last_seq (PalNftBatch *self);
/* What the message of seq was for, or NULL if seq is not ours. */
const char      *pal_nft_batch_describe (PalNftBatch *self,
                                         guint32      seq);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalNftBatch, pal_nft_batch_free)

G_END_DECLS
