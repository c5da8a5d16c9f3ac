/* pal-adaptive.h — the adaptive firewall: ban an address after repeated
 * failed logins, as Mac OS X Server did, but visible and configurable.
 *
 * Failures come from the systemd journal (sd_journal, matching each
 * service's _COMM and SYSLOG_IDENTIFIER, followed through its fd in the
 * main loop) or, without journald, from a log file followed as it grows
 * (GFileMonitor; rotation and truncation start it over). sshd's lines are
 * understood: "Failed … for … from ADDR port P", "Invalid user … from
 * ADDR port P" and "Connection closed by authenticating user … ADDR port P
 * [preauth]" are failures (one per attempt: a connection's "Invalid user"
 * and its first "Failed" are the same attempt, and a "Connection closed"
 * after counted failures adds nothing); "Accepted … from ADDR" is a
 * success and resets the address's count.
 *
 * After settings->failures failures within settings->window seconds the
 * address is banned in the triggered sets for settings->duration; each
 * later ban of the same address doubles, up to settings->max_duration,
 * and the reason says so: "sshd: 10 failed logins (2nd ban, 30m)".
 * Never banned: trusted addresses and networks, loopback, and the
 * helper's own addresses (read with getifaddrs at each ban).
 *
 * Emits "banned" (address, reason) after each ban. Main context only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pal-document.h"
#include "pal-triggered.h"

G_BEGIN_DECLS

#define PAL_TYPE_ADAPTIVE (pal_adaptive_get_type ())
G_DECLARE_FINAL_TYPE (PalAdaptive, pal_adaptive, PAL, ADAPTIVE, GObject)

/* Bans go to triggered. */
PalAdaptive *pal_adaptive_new (PalTriggered *triggered);

/* Settings of the applied document (copied) and its trusted list. With
 * settings->enabled FALSE failures are not counted. */
void         pal_adaptive_configure (PalAdaptive               *self,
                                     const PalAdaptiveSettings *settings,
                                     const char * const        *trusted);

/* Follows the journal from its end: directory NULL = the system journal,
 * else the journal files in directory (tests). */
gboolean     pal_adaptive_watch_journal (PalAdaptive  *self,
                                         const char   *directory,
                                         GError      **error);
/* Follows a log file from its end (or from its start: tests). Lines are
 * syslog lines ("… sshd[PID]: message") or bare messages (sshd -E). */
gboolean     pal_adaptive_watch_file (PalAdaptive  *self,
                                      const char   *path,
                                      gboolean      from_start,
                                      GError      **error);
void         pal_adaptive_stop (PalAdaptive *self);

/* One message of a service, as if read from the log; returns TRUE when it
 * banned an address. */
gboolean     pal_adaptive_feed (PalAdaptive *self,
                                const char  *service,
                                const char  *message);

/* Failures counted now for an address (canonical text), for tests. */
guint        pal_adaptive_get_failures (PalAdaptive *self,
                                        const char  *address);

/* Repeat offenders, for persistence across restarts: a new table of
 * canonical address → GUINT_TO_POINTER (bans so far), and setting one
 * (before the next ban of that address, which then counts on from it). */
GHashTable  *pal_adaptive_dup_bans (PalAdaptive *self);
void         pal_adaptive_set_bans (PalAdaptive *self,
                                    const char  *address,
                                    guint        bans);

/* The reason of a ban: "sshd: 10 failed logins" or with "(2nd ban, 30m)". */
char        *pal_adaptive_reason (const char *service,
                                  guint       failures,
                                  guint       ban,
                                  guint64     duration);

G_END_DECLS
