/* pal-nft-cgroup.h — a systemd unit or cgroup path to what `socket
 * cgroupv2` compares: the cgroup's id (its inode in the cgroup2
 * filesystem) and its level (depth below the root).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The cgroup2 mount: /sys/fs/cgroup, or /sys/fs/cgroup/unified on a
 * hybrid system; NULL (and error) when there is none. */
char     *pal_nft_cgroup_find_root (GError **error);

/* name: "sshd.service", "user@1000.service", "app-foo.slice", or a path
 * below the root ("user.slice/user-1000.slice", "user@1000.service/app.slice").
 * Fails with a sentence when the unit has no cgroup now (not running).
 * path: below the mount (what nft's `socket cgroupv2` names).
 *
 * PAL_CGROUP_ROOT in the environment names a cgroup inside the mount to
 * look units up in instead of the mount's root (the tests use one of
 * their own, so they need no running sshd). */
gboolean  pal_nft_cgroup_resolve (const char  *name,
                                  char       **path,
                                  guint64     *id,
                                  guint       *level,
                                  GError     **error);

G_END_DECLS
