/* pal-log-entry.h — one line of the helper's log: a packet NFLOG
 * delivered, or something the helper did.
 *
 * As a GVariant (PAL_LOG_ENTRY_TYPE_STRING), for D-Bus:
 *   x  time         microseconds since the Unix epoch (UTC)
 *   s  kind         "log", "alert", "denied" (packets of NFLOG group 1,
 *                   2 and 3: see pal-log-prefix.h),
 *                   "suppressed" (the rate limit dropped entries; text
 *                   says how many), or an event: "applied", "conflict",
 *                   "banned", "unbanned", "enabled", "disabled", "error"
 *   s  text         the rule's log prefix, or the event's sentence
 *   s  rule         the id of the rule that logged it, "" when unknown
 *   s  name         that rule's name, "" when unknown
 *   s  hook         "prerouting", "input", "forward", "output",
 *                   "postrouting", "ingress", "egress"; "" for events
 *   s  in           the interface it came in by, ""
 *   s  out          the interface it goes out by, ""
 *   s  mac          the sender's hardware address "aa:bb:…", ""
 *   s  protocol     "tcp", "udp", "icmp", "icmpv6", "sctp", "udplite",
 *                   "dccp", "gre", "esp", "ah", or the number; "" if none
 *   s  source       address, "" if the packet had no IP header
 *   s  destination  address, ""
 *   q  sport        TCP, UDP, UDP-Lite, SCTP, DCCP ports; 0 otherwise
 *   q  dport
 *   n  icmp_type    ICMP or ICMPv6 type, -1 otherwise
 *   n  icmp_code    -1 otherwise
 *   s  tcp_flags    "syn,ack" (nft's names, in header order), "" if not TCP
 *   u  length       the IP packet's length in bytes (the header's word)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <net/if.h>

G_BEGIN_DECLS

#define PAL_LOG_ENTRY_TYPE_STRING "(xsssssssssssqqnnsu)"
#define PAL_LOG_ENTRY_TYPE        ((const GVariantType *) PAL_LOG_ENTRY_TYPE_STRING)
#define PAL_LOG_ENTRIES_TYPE      ((const GVariantType *) "a" PAL_LOG_ENTRY_TYPE_STRING)

typedef enum
{
  PAL_LOG_KIND_LOG,
  PAL_LOG_KIND_ALERT,
  PAL_LOG_KIND_SUPPRESSED,
  PAL_LOG_KIND_APPLIED,
  PAL_LOG_KIND_CONFLICT,
  PAL_LOG_KIND_BANNED,
  PAL_LOG_KIND_UNBANNED,
  PAL_LOG_KIND_ENABLED,
  PAL_LOG_KIND_DISABLED,
  PAL_LOG_KIND_ERROR,
  PAL_LOG_KIND_DENIED,
} PalLogKind;

#define PAL_LOG_KIND_LAST PAL_LOG_KIND_DENIED

typedef struct
{
  gint64       time;
  PalLogKind   kind;
  char        *text;                /* UTF-8, owned */
  char        *rule;                /* owned, NULL when unknown */
  char        *name;                /* the rule's name: owned, NULL when unknown */
  const char  *hook;                /* static, NULL for events */
  char         in[IF_NAMESIZE];
  char         out[IF_NAMESIZE];
  char         mac[24];
  int          family;              /* AF_INET, AF_INET6, 0 when no IP header */
  guint8       protocol;            /* IPPROTO_*: with has_protocol */
  gboolean     has_protocol;
  guint8       source[16];
  guint8       destination[16];
  guint16      sport;
  guint16      dport;
  gint16       icmp_type;
  gint16       icmp_code;
  guint8       tcp_flags;
  gboolean     is_tcp;
  guint32      length;
} PalLogEntry;

/* "log", "alert", …; NULL for a value out of range. */
const char *pal_log_kind_to_string (PalLogKind kind);

/* An empty entry of that kind at that time (icmp fields -1). */
void        pal_log_entry_init (PalLogEntry *entry,
                                PalLogKind   kind,
                                gint64       time);
void        pal_log_entry_clear (PalLogEntry *entry);

/* Reads the network and transport headers of an IP packet, as much as
 * length holds (NFLOG copies only the start). family: AF_INET, AF_INET6,
 * or AF_UNSPEC to go by the version nibble. Returns FALSE (and sets
 * nothing) unless a whole IP header is there. Never reads past length. */
gboolean    pal_log_entry_parse_packet (PalLogEntry  *entry,
                                        int           family,
                                        const guint8 *data,
                                        gsize         length);

/* A new floating GVariant of PAL_LOG_ENTRY_TYPE. */
GVariant   *pal_log_entry_to_variant (const PalLogEntry *entry);

G_END_DECLS
