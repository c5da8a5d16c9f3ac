/* pal-value.h — parsed rule values and action parameters.
 *
 * A rule keeps its value as the text the user wrote; pal_value_parse() turns
 * that text into a PalValue for the property, or fails with a sentence a
 * person understands ("\"10.0.0.300\" is not an IPv4 address"). The message
 * never carries a location: the caller adds file, line, column and path.
 *
 * Value syntax, by property (lists are separated by commas, spaces around
 * commas are allowed; every name is case-insensitive on input and printed
 * lower-case):
 *
 *   any                  empty
 *   direction            in | out | forward                     → flags (PalDirection)
 *   interface            NAME | NAME* | external | internal     → interfaces
 *   ip-version           4 | 6                                  → ranges (one, 4 or 6)
 *   source-/destination-address
 *                        1.2.3.4 | 10.0.0.0/8 | 10.0.0.1-10.0.0.9 | ::1 | 2001:db8::/32
 *                        | fe80::1-fe80::ff                     → addresses
 *   source-/destination-mac  aa:bb:cc:dd:ee:ff                  → macs
 *   protocol             tcp | udp | icmp | icmpv6 | sctp | udplite | gre | esp | ah
 *                        | igmp | 0-255                         → ranges
 *   source-/destination-port  22 | 1024-65535 | ssh (from /etc/services) → ranges
 *   icmp-type            echo-request | 3 | 3/4 | destination-unreachable/port-unreachable
 *                                                               → icmp (code -1 = any)
 *   icmpv6-type          echo-request | nd-neighbor-solicit | 135 | 1/4 → icmp
 *   tcp-flags            syn,-ack (fin syn rst psh ack urg ece cwr; -x = must be clear)
 *                                                               → flags = set, clear_flags = clear
 *   tcp-option           mss | window | sack-permitted | sack | timestamp → flags (1 << kind)
 *   ip-option            lsrr | ssrr | rr | ra                  → flags (1 << PalIpOption)
 *   fragment             any | first | not-first | tiny         → flags (one PalFragment)
 *   connection-state     new | established | related | invalid | untracked → flags (PalState)
 *   listed-in            triggered | trusted | authorized | kept → flags (one PalList)
 *   service              a systemd unit (sshd.service, app-foo.slice) or a cgroup
 *                        path below /sys/fs/cgroup (user.slice/user-1000.slice) → names (one)
 *   user                 root | 1000 | 1000-1999 (names resolved now) → ranges (uids)
 *   time-of-day          08:00-17:30 (may wrap past midnight)   → first, last (minutes)
 *   day-of-week          mon | mon-fri | sat,sun                → flags (bit 0 = Sunday)
 *   date-time            2026-01-01 to 2026-12-31T18:00         → first, last (Unix seconds,
 *                        local time; the end of a date without a time is the end of that day)
 *   packet-length        64 | 0-128                             → ranges (bytes)
 *
 * Parameters, by action:
 *   pass drop group exit-group count   empty
 *   reject        empty (TCP reset for TCP, else ICMP port unreachable) | tcp-reset
 *                 | port-unreachable | host-unreachable | admin-prohibited | no-route
 *   trigger authorize keep-address     a duration, or empty for the document's default
 *   log alert     text: printable, at most 127 bytes (the NFLOG prefix)
 *   rate-limit    10/second | 100/minute burst 20 | 5/hour | 1000/day
 *
 * Durations: 30s | 15m | 1h | 10d | 1h30m | forever (a bare number is seconds).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "pal-enums.h"

G_BEGIN_DECLS

#define PAL_VALUE_ERROR (pal_value_error_quark ())

typedef enum
{
  PAL_VALUE_ERROR_INVALID,      /* the text does not parse for the property */
  PAL_VALUE_ERROR_UNSUPPORTED,  /* well-formed, but not something we can enforce */
  PAL_VALUE_ERROR_TOO_LONG,     /* over the limits below */
} PalValueError;

/* Limits, so a hostile document cannot exhaust memory or the kernel. */
#define PAL_VALUE_MAX_LENGTH     (4 * 1024 * 1024)  /* bytes of one value's text */
#define PAL_VALUE_MAX_ITEMS      200000             /* elements of one list */
#define PAL_PARAMETER_MAX_LENGTH 127                /* bytes of a log/alert text */

/* Forever, for durations. */
#define PAL_DURATION_FOREVER G_MAXUINT64

typedef struct
{
  guint32 first;
  guint32 last;     /* == first for a single value */
} PalRange;

typedef struct
{
  int     family;    /* AF_INET or AF_INET6 */
  guint8  first[16]; /* network byte order; IPv4 uses the first 4 bytes */
  guint8  last[16];
  int     prefix;    /* the CIDR prefix length as written, or -1 for a range or single address */
} PalAddressRange;

typedef struct
{
  guint8 bytes[6];
} PalMac;

typedef struct
{
  guint8 type;
  gint16 code;       /* -1: any code */
} PalIcmpType;

typedef enum
{
  PAL_INTERFACE_BY_NAME,
  PAL_INTERFACE_EXTERNAL,   /* every interface the document marks external */
  PAL_INTERFACE_INTERNAL,   /* every interface the document does not mark external */
} PalInterfaceKind;

typedef struct
{
  PalInterfaceKind kind;
  char             name[16]; /* IFNAMSIZ; may end in '*' (prefix wildcard) */
} PalInterfaceMatch;

typedef enum /*< flags >*/
{
  PAL_STATE_NEW         = 1 << 0,
  PAL_STATE_ESTABLISHED = 1 << 1,
  PAL_STATE_RELATED     = 1 << 2,
  PAL_STATE_INVALID     = 1 << 3,
  PAL_STATE_UNTRACKED   = 1 << 4,
} PalState;

typedef enum /*< flags >*/
{
  PAL_TCP_FIN = 1 << 0,
  PAL_TCP_SYN = 1 << 1,
  PAL_TCP_RST = 1 << 2,
  PAL_TCP_PSH = 1 << 3,
  PAL_TCP_ACK = 1 << 4,
  PAL_TCP_URG = 1 << 5,
  PAL_TCP_ECE = 1 << 6,
  PAL_TCP_CWR = 1 << 7,
} PalTcpFlag;                /* the bits of the TCP header's flags byte */

typedef enum
{
  PAL_IP_OPTION_LSRR,   /* loose source route, IP option 131 */
  PAL_IP_OPTION_SSRR,   /* strict source route, 137 */
  PAL_IP_OPTION_RR,     /* record route, 7 */
  PAL_IP_OPTION_RA,     /* router alert, 148 */
} PalIpOption;

typedef enum
{
  PAL_FRAGMENT_ANY,       /* any fragment (offset > 0 or more-fragments set) */
  PAL_FRAGMENT_FIRST,     /* offset 0 with more-fragments set */
  PAL_FRAGMENT_NOT_FIRST, /* offset > 0 */
  PAL_FRAGMENT_TINY,      /* offset 1 (8 bytes): the overlapping-fragment attack of RFC 1858 */
} PalFragment;

typedef enum
{
  PAL_REJECT_DEFAULT,           /* TCP reset for TCP, ICMP port unreachable otherwise */
  PAL_REJECT_TCP_RESET,
  PAL_REJECT_PORT_UNREACHABLE,
  PAL_REJECT_HOST_UNREACHABLE,
  PAL_REJECT_ADMIN_PROHIBITED,
  PAL_REJECT_NO_ROUTE,
} PalRejectKind;

typedef enum
{
  PAL_RATE_PER_SECOND,
  PAL_RATE_PER_MINUTE,
  PAL_RATE_PER_HOUR,
  PAL_RATE_PER_DAY,
} PalRateUnit;

/* A parsed value. Which members are used depends on the property (see the
 * table at the top); the others are NULL or 0. */
typedef struct
{
  PalProperty property;
  GArray     *ranges;       /* PalRange */
  GArray     *addresses;    /* PalAddressRange */
  GArray     *macs;         /* PalMac */
  GArray     *icmp;         /* PalIcmpType */
  GArray     *interfaces;   /* PalInterfaceMatch */
  GPtrArray  *names;        /* char *: service */
  guint32     flags;
  guint32     clear_flags;
  gint64      first;
  gint64      last;
} PalValue;

/* A parsed action parameter. */
typedef struct
{
  PalAction     action;
  PalRejectKind reject;
  guint64       duration;       /* seconds; 0 = the document's default; PAL_DURATION_FOREVER */
  char         *text;           /* log prefix or alert message */
  guint64       rate;           /* packets per unit */
  PalRateUnit   rate_unit;
  guint32       burst;          /* packets; 0 = the kernel's default (5) */
} PalParameter;

GQuark        pal_value_error_quark (void);

#define PAL_TYPE_VALUE (pal_value_get_type ())
GType         pal_value_get_type (void) G_GNUC_CONST;
PalValue     *pal_value_parse (PalProperty   property,
                               const char   *text,
                               GError      **error);
PalValue     *pal_value_copy (const PalValue *value);
void          pal_value_free (PalValue *value);
/* The canonical text of the value: parse (print (v)) equals v. */
char         *pal_value_print (const PalValue *value);

#define PAL_TYPE_PARAMETER (pal_parameter_get_type ())
GType         pal_parameter_get_type (void) G_GNUC_CONST;
PalParameter *pal_parameter_parse (PalAction    action,
                                   const char  *text,
                                   GError     **error);
PalParameter *pal_parameter_copy (const PalParameter *parameter);
void          pal_parameter_free (PalParameter *parameter);
char         *pal_parameter_print (const PalParameter *parameter);

gboolean      pal_duration_parse (const char  *text,
                                  guint64     *seconds,
                                  GError     **error);
/* "15m", "1h30m", "10d", "forever"; 0 gives "0s". */
char         *pal_duration_print (guint64 seconds);

/* For the GUI: a short example of the property's syntax ("10.0.0.0/8, ::1"). */
const char   *pal_value_get_hint (PalProperty property);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalValue, pal_value_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalParameter, pal_parameter_free)

G_END_DECLS
