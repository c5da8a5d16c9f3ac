/* pal-enums.h — the vocabulary of a Palisade rule.
 *
 * The nick of every value (glib-mkenums lower-cases and hyphenates the
 * name: PAL_PROPERTY_SOURCE_ADDRESS → "source-address") is the name used in
 * .fwdoc files, on the command line and over D-Bus. These names are a
 * contract with scripts and other tools: never rename a value, only add.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a rule's condition looks at. Each property has one value syntax,
 * parsed by pal_value_parse() (see pal-value.h for the syntax of each). */
typedef enum
{
  PAL_PROPERTY_ANY,                 /* always matches; value must be empty */
  PAL_PROPERTY_DIRECTION,           /* in, out, forward (list) */
  PAL_PROPERTY_INTERFACE,           /* interface name, external, internal (list) */
  PAL_PROPERTY_IP_VERSION,          /* 4 or 6 */
  PAL_PROPERTY_SOURCE_ADDRESS,      /* address list: v4/v6, CIDR, a-b ranges */
  PAL_PROPERTY_DESTINATION_ADDRESS,
  PAL_PROPERTY_SOURCE_MAC,          /* MAC list */
  PAL_PROPERTY_DESTINATION_MAC,
  PAL_PROPERTY_PROTOCOL,            /* tcp, udp, icmp, icmpv6, …, or 0-255 (list) */
  PAL_PROPERTY_SOURCE_PORT,         /* port list: number, a-b, service name */
  PAL_PROPERTY_DESTINATION_PORT,
  PAL_PROPERTY_ICMP_TYPE,           /* ICMPv4 type[/code] (list) */
  PAL_PROPERTY_ICMPV6_TYPE,         /* ICMPv6 type[/code] (list) */
  PAL_PROPERTY_TCP_FLAGS,           /* syn,-ack: set flags, -flag must be clear */
  PAL_PROPERTY_TCP_OPTION,          /* mss, window, sack-permitted, sack, timestamp (present) */
  PAL_PROPERTY_IP_OPTION,           /* lsrr, ssrr, rr, ra (present) */
  PAL_PROPERTY_FRAGMENT,            /* any, first, not-first, tiny */
  PAL_PROPERTY_CONNECTION_STATE,    /* new, established, related, invalid, untracked (list) */
  PAL_PROPERTY_LISTED_IN,           /* triggered, trusted, authorized, kept */
  PAL_PROPERTY_SERVICE,             /* systemd unit: sshd.service, user@1000.service/app.slice */
  PAL_PROPERTY_USER,                /* user name or uid, or a-b uid range (list) */
  PAL_PROPERTY_TIME_OF_DAY,         /* HH:MM-HH:MM (local time) */
  PAL_PROPERTY_DAY_OF_WEEK,         /* mon,tue,…  or mon-fri */
  PAL_PROPERTY_DATE_TIME,           /* YYYY-MM-DD[THH:MM] to YYYY-MM-DD[THH:MM] (local time) */
  PAL_PROPERTY_PACKET_LENGTH,       /* bytes: n, a-b (list) */
  PAL_N_PROPERTIES /*< skip >*/
} PalProperty;

typedef enum
{
  PAL_RELATION_IS,
  PAL_RELATION_IS_NOT,
} PalRelation;

/* What happens when a rule's condition matches. Terminal actions end the
 * evaluation of the packet; the others let it go on (see BRIEF, rule model). */
typedef enum
{
  PAL_ACTION_GROUP,                 /* children only; no verdict of its own */
  PAL_ACTION_PASS,                  /* accept */
  PAL_ACTION_DROP,                  /* silently discard (IPNetSentryX "delete") */
  PAL_ACTION_REJECT,                /* discard and answer: parameter = reject kind */
  PAL_ACTION_EXIT_GROUP,            /* leave the enclosing group, go on after it */
  PAL_ACTION_TRIGGER,               /* ban the source for parameter (a duration), then drop */
  PAL_ACTION_AUTHORIZE,             /* add the source to the authorized list for parameter, then pass */
  PAL_ACTION_KEEP_ADDRESS,          /* add the source to the kept list for parameter; go on */
  PAL_ACTION_LOG,                   /* log the packet (NFLOG, prefix = parameter); go on */
  PAL_ACTION_ALERT,                 /* log and notify the desktop (message = parameter); go on */
  PAL_ACTION_RATE_LIMIT,            /* drop what exceeds parameter (a rate); the rest goes on */
  PAL_ACTION_COUNT,                 /* only count; go on */
} PalAction;

/* The document's verdict for a packet that falls off the end of the outline. */
typedef enum
{
  PAL_VERDICT_PASS,
  PAL_VERDICT_DROP,
  PAL_VERDICT_REJECT,
} PalVerdict;

/* Values of the direction property, as bits so a value can hold a list. */
typedef enum /*< flags >*/
{
  PAL_DIRECTION_IN      = 1 << 0,
  PAL_DIRECTION_OUT     = 1 << 1,
  PAL_DIRECTION_FORWARD = 1 << 2,
} PalDirection;

/* Values of the listed-in property: the named sets of the helper. */
typedef enum
{
  PAL_LIST_TRIGGERED,
  PAL_LIST_TRUSTED,
  PAL_LIST_AUTHORIZED,
  PAL_LIST_KEPT,
} PalList;

const char *pal_property_to_string (PalProperty property);
gboolean    pal_property_from_string (const char *name, PalProperty *property);
const char *pal_relation_to_string (PalRelation relation);
gboolean    pal_relation_from_string (const char *name, PalRelation *relation);
const char *pal_action_to_string (PalAction action);
gboolean    pal_action_from_string (const char *name, PalAction *action);
const char *pal_verdict_to_string (PalVerdict verdict);
gboolean    pal_verdict_from_string (const char *name, PalVerdict *verdict);

/* A person's label for the GUI ("Source address"), translated. */
const char *pal_property_get_label (PalProperty property);
const char *pal_action_get_label (PalAction action);

/* TRUE for actions after which no later rule sees the packet. */
gboolean    pal_action_is_terminal (PalAction action);
/* TRUE when the action's parameter must be given (and parsed). */
gboolean    pal_action_takes_parameter (PalAction action);

/* Names that IPNetSentryX offered but nftables cannot express. When a file
 * uses one, the reader refuses it with this explanation instead of dropping
 * it; NULL when the name is not such a known-unsupported one. */
const char *pal_property_unsupported_reason (const char *name);
const char *pal_action_unsupported_reason (const char *name);

G_END_DECLS
