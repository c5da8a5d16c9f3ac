/* pal-enums.c — names, labels and traits of properties, relations, actions
 * and verdicts.
 *
 * The names are the GEnum nicks that glib-mkenums generates from
 * pal-enums.h, so the header stays the one place a name is spelt.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pal-enum-types.h"
#include "pal-enums.h"

static const char *
enum_to_string (GType type,
                int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  return enum_value != NULL ? enum_value->value_nick : NULL;
}

/* Names are a contract: only the exact lower-case nick is accepted, so a
 * file that says "Source-Address" is reported instead of silently fixed. */
static gboolean
enum_from_string (GType       type,
                  const char *name,
                  int        *value)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *enum_value;

  if (name == NULL)
    return FALSE;

  klass = g_type_class_ref (type);
  enum_value = g_enum_get_value_by_nick (klass, name);
  if (enum_value == NULL)
    return FALSE;

  if (value != NULL)
    *value = enum_value->value;
  return TRUE;
}

const char *
pal_property_to_string (PalProperty property)
{
  return enum_to_string (PAL_TYPE_PROPERTY, property);
}

gboolean
pal_property_from_string (const char  *name,
                          PalProperty *property)
{
  int value;

  if (!enum_from_string (PAL_TYPE_PROPERTY, name, &value))
    return FALSE;
  if (property != NULL)
    *property = value;
  return TRUE;
}

const char *
pal_relation_to_string (PalRelation relation)
{
  return enum_to_string (PAL_TYPE_RELATION, relation);
}

gboolean
pal_relation_from_string (const char  *name,
                          PalRelation *relation)
{
  int value;

  if (!enum_from_string (PAL_TYPE_RELATION, name, &value))
    return FALSE;
  if (relation != NULL)
    *relation = value;
  return TRUE;
}

const char *
pal_action_to_string (PalAction action)
{
  return enum_to_string (PAL_TYPE_ACTION, action);
}

gboolean
pal_action_from_string (const char *name,
                        PalAction  *action)
{
  int value;

  if (!enum_from_string (PAL_TYPE_ACTION, name, &value))
    return FALSE;
  if (action != NULL)
    *action = value;
  return TRUE;
}

const char *
pal_verdict_to_string (PalVerdict verdict)
{
  return enum_to_string (PAL_TYPE_VERDICT, verdict);
}

gboolean
pal_verdict_from_string (const char *name,
                         PalVerdict *verdict)
{
  int value;

  if (!enum_from_string (PAL_TYPE_VERDICT, name, &value))
    return FALSE;
  if (verdict != NULL)
    *verdict = value;
  return TRUE;
}

const char *
pal_property_get_label (PalProperty property)
{
  switch (property)
    {
    case PAL_PROPERTY_ANY: return _("Any");
    case PAL_PROPERTY_DIRECTION: return _("Direction");
    case PAL_PROPERTY_INTERFACE: return _("Interface");
    case PAL_PROPERTY_IP_VERSION: return _("IP version");
    case PAL_PROPERTY_SOURCE_ADDRESS: return _("Source address");
    case PAL_PROPERTY_DESTINATION_ADDRESS: return _("Destination address");
    case PAL_PROPERTY_SOURCE_MAC: return _("Source MAC");
    case PAL_PROPERTY_DESTINATION_MAC: return _("Destination MAC");
    case PAL_PROPERTY_PROTOCOL: return _("Protocol");
    case PAL_PROPERTY_SOURCE_PORT: return _("Source port");
    case PAL_PROPERTY_DESTINATION_PORT: return _("Destination port");
    case PAL_PROPERTY_ICMP_TYPE: return _("ICMP type");
    case PAL_PROPERTY_ICMPV6_TYPE: return _("ICMPv6 type");
    case PAL_PROPERTY_TCP_FLAGS: return _("TCP flags");
    case PAL_PROPERTY_TCP_OPTION: return _("TCP option");
    case PAL_PROPERTY_IP_OPTION: return _("IP option");
    case PAL_PROPERTY_FRAGMENT: return _("Fragment");
    case PAL_PROPERTY_CONNECTION_STATE: return _("Connection state");
    case PAL_PROPERTY_LISTED_IN: return _("Listed in");
    case PAL_PROPERTY_SERVICE: return _("Service");
    case PAL_PROPERTY_USER: return _("User");
    case PAL_PROPERTY_TIME_OF_DAY: return _("Time of day");
    case PAL_PROPERTY_DAY_OF_WEEK: return _("Day of week");
    case PAL_PROPERTY_DATE_TIME: return _("Date and time");
    case PAL_PROPERTY_PACKET_LENGTH: return _("Packet length");
    case PAL_N_PROPERTIES:
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
pal_action_get_label (PalAction action)
{
  switch (action)
    {
    case PAL_ACTION_GROUP: return _("Group");
    case PAL_ACTION_PASS: return _("Pass");
    case PAL_ACTION_DROP: return _("Drop");
    case PAL_ACTION_REJECT: return _("Reject");
    case PAL_ACTION_EXIT_GROUP: return _("Exit group");
    case PAL_ACTION_TRIGGER: return _("Trigger");
    case PAL_ACTION_AUTHORIZE: return _("Authorize");
    case PAL_ACTION_KEEP_ADDRESS: return _("Keep address");
    case PAL_ACTION_LOG: return _("Log");
    case PAL_ACTION_ALERT: return _("Alert");
    case PAL_ACTION_RATE_LIMIT: return _("Rate limit");
    case PAL_ACTION_COUNT: return _("Count");
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
pal_action_is_terminal (PalAction action)
{
  switch (action)
    {
    case PAL_ACTION_PASS:
    case PAL_ACTION_DROP:
    case PAL_ACTION_REJECT:
    case PAL_ACTION_TRIGGER:     /* bans, then drops */
    case PAL_ACTION_AUTHORIZE:   /* authorizes, then passes */
      return TRUE;
    case PAL_ACTION_GROUP:       /* its children decide */
    case PAL_ACTION_EXIT_GROUP:  /* evaluation goes on after the group */
    case PAL_ACTION_KEEP_ADDRESS:
    case PAL_ACTION_LOG:
    case PAL_ACTION_ALERT:
    case PAL_ACTION_RATE_LIMIT:  /* what stays under the rate goes on */
    case PAL_ACTION_COUNT:
      return FALSE;
    default:
      g_return_val_if_reached (FALSE);
    }
}

/* TRUE for the actions that have a parameter at all (the GUI shows an
 * editable cell and pal_parameter_parse() reads it); for some of them an
 * empty parameter still means a default (reject's kind, trigger's duration). */
gboolean
pal_action_takes_parameter (PalAction action)
{
  switch (action)
    {
    case PAL_ACTION_REJECT:
    case PAL_ACTION_TRIGGER:
    case PAL_ACTION_AUTHORIZE:
    case PAL_ACTION_KEEP_ADDRESS:
    case PAL_ACTION_LOG:
    case PAL_ACTION_ALERT:
    case PAL_ACTION_RATE_LIMIT:
      return TRUE;
    case PAL_ACTION_GROUP:
    case PAL_ACTION_PASS:
    case PAL_ACTION_DROP:
    case PAL_ACTION_EXIT_GROUP:
    case PAL_ACTION_COUNT:
      return FALSE;
    default:
      g_return_val_if_reached (FALSE);
    }
}

typedef struct
{
  const char *name;
  const char *reason;
} Unsupported;

/* IPNetSentryX spelt names with spaces and capitals ("Data Content"); the
 * lookup below folds case and turns spaces and underscores into hyphens so
 * such a name still gets its explanation. */
static const Unsupported unsupported_properties[] = {
  { "data-content",
    N_("Matching text inside the packet data is not possible with nftables, "
       "which cannot search a payload for a string. Match the port or the "
       "service instead.") },
  { "idle-seconds",
    N_("nftables does not know how long a connection has been idle. "
       "Use connection-state to tell new connections from established ones.") },
  { "parent-match-count",
    N_("A rule cannot look at how often its parent matched in nftables. "
       "Use a rate-limit action on the parent instead.") },
  { "include",
    N_("\"include\" is split in two here: use listed-in for the triggered, "
       "trusted, authorized and kept lists, and connection-state for known "
       "connections.") },
};

static const Unsupported unsupported_actions[] = {
  { "delay",
    N_("nftables cannot hold a packet back for a while. Use rate-limit to slow "
       "a sender down, or drop.") },
  { "route-to",
    N_("A firewall rule cannot choose a route here; routing belongs to the "
       "network settings (policy routing with ip rule).") },
  { "email",
    N_("The firewall does not send e-mail. Use alert, which logs the packet "
       "and shows a desktop notification.") },
  { "e-mail",
    N_("The firewall does not send e-mail. Use alert, which logs the packet "
       "and shows a desktop notification.") },
  { "reset-parent",
    N_("nftables rules cannot reset another rule's counters. Use count to "
       "count packets instead.") },
  { "dont-log",
    N_("Nothing is logged unless a rule says so, so \"don't log\" is not needed: "
       "remove the log or alert rule instead.") },
  { "delete",
    N_("This action is called drop here: use drop to discard a packet "
       "silently.") },
  { "drop-connection",
    N_("Use reject with the parameter tcp-reset, which ends a TCP "
       "connection with a reset.") },
  { "go-to-children",
    N_("Use group: its children are evaluated in order.") },
};

/* "Don't Log" → "dont-log", "Drop Connection" → "drop-connection". */
static char *
fold_name (const char *name)
{
  GString *folded = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '\'')
        continue;
      if (*p == ' ' || *p == '_')
        g_string_append_c (folded, '-');
      else
        g_string_append_c (folded, g_ascii_tolower (*p));
    }
  return g_string_free (folded, FALSE);
}

static const char *
find_unsupported (const Unsupported *table,
                  gsize              n_entries,
                  const char        *name)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  /* Long names are never in the table: don't copy a hostile string. */
  if (strlen (name) > 64)
    return NULL;

  folded = fold_name (name);
  for (gsize i = 0; i < n_entries; i++)
    if (g_str_equal (table[i].name, folded))
      return _(table[i].reason);
  return NULL;
}

const char *
pal_property_unsupported_reason (const char *name)
{
  return find_unsupported (unsupported_properties,
                           G_N_ELEMENTS (unsupported_properties), name);
}

const char *
pal_action_unsupported_reason (const char *name)
{
  return find_unsupported (unsupported_actions,
                           G_N_ELEMENTS (unsupported_actions), name);
}
