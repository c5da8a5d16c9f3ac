/* pal-nft-socket.h — the netlink socket to nf_tables.
 *
 * Opened in the network namespace of the calling thread. Queries (GET and
 * dumps) and batches go through it one at a time; the owner serializes.
 * Errors are in PAL_HELPER_ERROR: KERNEL with the errno text (and the
 * kernel's extended-ack message when it gives one), CONFLICT when a batch's
 * generation is out of date (ERESTART), NOT_SUPPORTED when nf_tables is
 * missing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <linux/netlink.h>

#include "pal-nft-batch.h"

G_BEGIN_DECLS

typedef struct _PalNftSocket PalNftSocket;

/* Receives one reply message; return FALSE (and set error) to stop. */
typedef gboolean (*PalNftMessageFunc) (const struct nlmsghdr  *nlh,
                                       gpointer                user_data,
                                       GError                **error);

PalNftSocket *pal_nft_socket_new (GError **error);
void          pal_nft_socket_free (PalNftSocket *self);

/* The ruleset generation (NFT_MSG_GETGEN). */
gboolean      pal_nft_socket_get_generation (PalNftSocket  *self,
                                             guint32       *generation,
                                             GError       **error);

/* Sends request (a GET, with NLM_F_DUMP or not; seq and port are set here)
 * and passes every reply to func. A dump that the kernel marks inconsistent
 * (the ruleset changed during it) fails with G_IO_ERROR_BUSY in
 * G_IO_ERROR: the caller starts over. ENOENT fails with
 * G_IO_ERROR_NOT_FOUND, so "no such table" is easy to tell. */
gboolean      pal_nft_socket_query (PalNftSocket       *self,
                                    struct nlmsghdr    *request,
                                    PalNftMessageFunc   func,
                                    gpointer            user_data,
                                    GError            **error);

/* Sends the closed batch in one sendmsg() (raising the send buffer to fit)
 * and collects the kernel's verdict. On failure nothing was changed. */
gboolean      pal_nft_socket_send_batch (PalNftSocket  *self,
                                         PalNftBatch   *batch,
                                         GError       **error);

/* The send buffer the kernel granted, in bytes (what a batch may use). */
gsize         pal_nft_socket_get_send_buffer (PalNftSocket *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalNftSocket, pal_nft_socket_free)

G_END_DECLS
