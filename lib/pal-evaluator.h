/* pal-evaluator.h — what a document does to one packet, without a kernel.
 *
 * Walks the outline as the rule model says (BRIEF: children only when the
 * parent matches, then the parent's own action; group has no verdict;
 * exit-group leaves the enclosing group; the first terminal verdict wins;
 * the default verdict at the end; interfaces the document does not filter
 * pass untouched) and returns the verdict and the rule that decided it.
 *
 * Properties it evaluates: any, direction, interface, ip-version,
 * source-/destination-address, protocol, source-/destination-port,
 * icmp-type, icmpv6-type, tcp-flags, connection-state, listed-in trusted.
 * A rule whose condition needs anything else (MACs, options, fragments,
 * the other lists, service, user, time, length), or a packet field left
 * unknown, or a rate-limit in the way, makes the answer UNKNOWN with that
 * rule: never a guess.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-document.h"
#include "pal-value.h"

G_BEGIN_DECLS

typedef enum
{
  PAL_EVAL_PASS,
  PAL_EVAL_DROP,
  PAL_EVAL_REJECT,
  PAL_EVAL_UNKNOWN,
} PalEvalVerdict;

/* A described packet. Zero-initialize, then fill in what is known. */
typedef struct
{
  PalDirection direction;        /* exactly one of in, out, forward */
  const char  *in_interface;     /* NULL: unknown (for in and forward) */
  const char  *out_interface;    /* NULL: unknown (for out and forward) */
  int          family;           /* AF_INET, AF_INET6 */
  guint8       source[16];       /* network byte order; IPv4 in the first 4 */
  guint8       destination[16];
  guint8       protocol;         /* IPPROTO_TCP, … */
  guint16      source_port;      /* host order; for TCP, UDP, SCTP, UDP-Lite, DCCP */
  guint16      destination_port;
  gint         icmp_type;        /* -1 unless ICMP or ICMPv6 */
  gint         icmp_code;
  gint         tcp_flags;        /* PalTcpFlag bits; -1: unknown */
  PalState     state;            /* one bit; 0: unknown */
} PalPacket;

/* Sets the fields that mean "unknown" (state 0 already is). */
void           pal_packet_init (PalPacket *packet);
/* Parses an IPv4 or IPv6 address into source or destination (and family). */
gboolean       pal_packet_set_address (PalPacket  *packet,
                                       gboolean    source,
                                       const char *text);

typedef struct
{
  PalEvalVerdict  verdict;
  PalRule        *rule;      /* the deciding rule (not a reference); NULL for
                              * the default verdict or an unfiltered interface */
  gboolean        by_default;
} PalEvaluation;

PalEvaluation  pal_evaluate (PalDocument     *document,
                             const PalPacket *packet);

const char    *pal_eval_verdict_to_string (PalEvalVerdict verdict);

G_END_DECLS
