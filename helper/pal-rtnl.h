/* pal-rtnl.h — the rtnetlink socket of PalLinkMonitor and PalBridge.
 *
 * Opened in the network namespace of the calling thread. Blocking for
 * requests and dumps (rtnetlink answers at once); non-blocking when it
 * listens to multicast groups, so a main loop can drain it. Errors are in
 * PAL_HELPER_ERROR: KERNEL with the errno text and the kernel's
 * extended-ack message when it gives one, NOT_SUPPORTED for EOPNOTSUPP.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <linux/netlink.h>

G_BEGIN_DECLS

typedef struct _PalRtnl PalRtnl;

/* groups: RTMGRP_* bits to listen to, or 0 for a socket of requests. */
PalRtnl         *pal_rtnl_new (guint    groups,
                               GError **error);
void             pal_rtnl_free (PalRtnl *self);
int              pal_rtnl_get_fd (PalRtnl *self);

/* Every interface now, as PalLink, sorted by index, each with its
 * addresses. Starts over when the kernel says a dump was interrupted. */
GPtrArray       *pal_rtnl_dump_links (PalRtnl  *self,
                                      GError  **error);

/* A link request (RTM_NEWLINK, RTM_DELLINK) about index (0 for a new
 * one), built in the socket's buffer: add attributes, then send. */
struct nlmsghdr *pal_rtnl_link_request (PalRtnl *self,
                                        guint16  type,
                                        guint16  flags,
                                        guint    index);
/* Sends it and waits for the acknowledgement; what says in a few words
 * what was asked, for the error message. */
gboolean         pal_rtnl_send (PalRtnl          *self,
                                struct nlmsghdr  *request,
                                const char       *what,
                                GError          **error);

/* On a listening socket: reads every pending message without blocking.
 * Returns TRUE if anything arrived or the kernel dropped messages for us. */
gboolean         pal_rtnl_drain (PalRtnl *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalRtnl, pal_rtnl_free)

G_END_DECLS
