/* pal-evaluator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "pal-evaluator.h"

typedef enum
{
  MATCH_NO,
  MATCH_YES,
  MATCH_MAYBE,
} Match;

/* How a list of rules ended. */
typedef enum
{
  END_FELL_OFF,   /* no terminal verdict: go on after the list */
  END_EXIT,       /* exit-group: leave the enclosing group */
  END_VERDICT,    /* pass, drop, reject, or unknown */
} End;

void
pal_packet_init (PalPacket *packet)
{
  g_return_if_fail (packet != NULL);

  memset (packet, 0, sizeof *packet);
  packet->icmp_type = -1;
  packet->icmp_code = -1;
  packet->tcp_flags = -1;
}

gboolean
pal_packet_set_address (PalPacket  *packet,
                        gboolean    source,
                        const char *text)
{
  guint8 *bytes;

  g_return_val_if_fail (packet != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  bytes = source ? packet->source : packet->destination;
  memset (bytes, 0, 16);
  if (inet_pton (AF_INET, text, bytes) == 1)
    packet->family = AF_INET;
  else if (inet_pton (AF_INET6, text, bytes) == 1)
    packet->family = AF_INET6;
  else
    return FALSE;
  return TRUE;
}

const char *
pal_eval_verdict_to_string (PalEvalVerdict verdict)
{
  switch (verdict)
    {
    case PAL_EVAL_PASS:
      return "pass";
    case PAL_EVAL_DROP:
      return "drop";
    case PAL_EVAL_REJECT:
      return "reject";
    case PAL_EVAL_UNKNOWN:
    default:
      return "unknown";
    }
}

/* ------------------------------------------------------------ conditions */

static gboolean
has_ports (guint8 protocol)
{
  return protocol == IPPROTO_TCP || protocol == IPPROTO_UDP || protocol == IPPROTO_SCTP
         || protocol == IPPROTO_UDPLITE || protocol == IPPROTO_DCCP;
}

static gboolean
in_ranges (GArray  *ranges,
           guint32  number)
{
  for (guint i = 0; ranges != NULL && i < ranges->len; i++)
    {
      PalRange *range = &g_array_index (ranges, PalRange, i);

      if (number >= range->first && number <= range->last)
        return TRUE;
    }
  return FALSE;
}

static Match
bool_match (gboolean yes)
{
  return yes ? MATCH_YES : MATCH_NO;
}

/* Addresses of the packet's family only: "ip saddr" never matches an IPv6
 * packet, whatever the relation. absent: no element of that family. */
static Match
match_address (GArray        *addresses,
               int            family,
               const guint8  *address,
               gboolean      *absent)
{
  gsize size = family == AF_INET ? 4 : 16;
  gboolean any_of_family = FALSE;

  for (guint i = 0; addresses != NULL && i < addresses->len; i++)
    {
      PalAddressRange *range = &g_array_index (addresses, PalAddressRange, i);

      if (range->family != family)
        continue;
      any_of_family = TRUE;
      if (memcmp (address, range->first, size) >= 0 && memcmp (address, range->last, size) <= 0)
        return MATCH_YES;
    }
  *absent = !any_of_family;
  return MATCH_NO;
}

static Match
match_icmp (GArray *types,
            gint    type,
            gint    code)
{
  for (guint i = 0; types != NULL && i < types->len; i++)
    {
      PalIcmpType *icmp = &g_array_index (types, PalIcmpType, i);

      if (icmp->type != type)
        continue;
      if (icmp->code < 0 || icmp->code == code)
        return MATCH_YES;
      if (code < 0)
        return MATCH_MAYBE;
    }
  return MATCH_NO;
}

static Match
match_interface (PalDocument     *document,
                 GArray          *interfaces,
                 const PalPacket *packet)
{
  const char *name;

  if (packet->direction == PAL_DIRECTION_FORWARD)
    return MATCH_MAYBE;   /* which of the two the compiler tests is not ours to guess */
  name = packet->direction == PAL_DIRECTION_IN ? packet->in_interface : packet->out_interface;
  if (name == NULL)
    return MATCH_MAYBE;
  for (guint i = 0; i < interfaces->len; i++)
    {
      PalInterfaceMatch *match = &g_array_index (interfaces, PalInterfaceMatch, i);
      PalInterfaceConfig *config = pal_document_lookup_interface (document, name);
      gboolean external = config != NULL && pal_interface_config_get_external (config);
      gsize length = strlen (match->name);

      if ((match->kind == PAL_INTERFACE_EXTERNAL && external)
          || (match->kind == PAL_INTERFACE_INTERNAL && !external))
        return MATCH_YES;
      if (match->kind != PAL_INTERFACE_BY_NAME)
        continue;
      if (length > 0 && match->name[length - 1] == '*')
        {
          if (strncmp (name, match->name, length - 1) == 0)
            return MATCH_YES;
        }
      else if (g_str_equal (name, match->name))
        return MATCH_YES;
    }
  return MATCH_NO;
}

static Match
match_trusted (PalDocument     *document,
               const PalPacket *packet)
{
  const char * const *trusted = pal_document_get_trusted (document);

  for (guint i = 0; trusted != NULL && trusted[i] != NULL; i++)
    {
      g_autoptr(PalValue) value = pal_value_parse (PAL_PROPERTY_SOURCE_ADDRESS, trusted[i], NULL);
      gboolean absent = FALSE;

      if (value == NULL)
        return MATCH_MAYBE;
      if (match_address (value->addresses, packet->family, packet->source, &absent) == MATCH_YES)
        return MATCH_YES;
    }
  return MATCH_NO;
}

/* The condition as written, before the relation; *one_sided: the property
 * does not apply to this packet at all (a port of ICMP, an IPv4 address of
 * IPv6), so is-not does not match either in nftables — unknown for us. */
static Match
match_property (PalDocument     *document,
                PalProperty      property,
                PalValue        *value,
                const PalPacket *packet,
                gboolean        *one_sided)
{
  gboolean absent = FALSE;
  Match match;

  switch (property)
    {
    case PAL_PROPERTY_ANY:
      return MATCH_YES;
    case PAL_PROPERTY_DIRECTION:
      return bool_match ((value->flags & packet->direction) != 0);
    case PAL_PROPERTY_INTERFACE:
      return match_interface (document, value->interfaces, packet);
    case PAL_PROPERTY_IP_VERSION:
      return bool_match (in_ranges (value->ranges, packet->family == AF_INET ? 4 : 6));
    case PAL_PROPERTY_SOURCE_ADDRESS:
    case PAL_PROPERTY_DESTINATION_ADDRESS:
      match = match_address (value->addresses, packet->family,
                             property == PAL_PROPERTY_SOURCE_ADDRESS ? packet->source : packet->destination,
                             &absent);
      *one_sided = absent;
      return match;
    case PAL_PROPERTY_PROTOCOL:
      return bool_match (in_ranges (value->ranges, packet->protocol));
    case PAL_PROPERTY_SOURCE_PORT:
    case PAL_PROPERTY_DESTINATION_PORT:
      *one_sided = !has_ports (packet->protocol);
      if (*one_sided)
        return MATCH_NO;
      return bool_match (in_ranges (value->ranges, property == PAL_PROPERTY_SOURCE_PORT
                                                   ? packet->source_port : packet->destination_port));
    case PAL_PROPERTY_ICMP_TYPE:
    case PAL_PROPERTY_ICMPV6_TYPE:
      *one_sided = packet->protocol != (property == PAL_PROPERTY_ICMP_TYPE ? IPPROTO_ICMP : IPPROTO_ICMPV6);
      if (*one_sided)
        return MATCH_NO;
      if (packet->icmp_type < 0)
        return MATCH_MAYBE;
      return match_icmp (value->icmp, packet->icmp_type, packet->icmp_code);
    case PAL_PROPERTY_TCP_FLAGS:
      *one_sided = packet->protocol != IPPROTO_TCP;
      if (*one_sided)
        return MATCH_NO;
      if (packet->tcp_flags < 0)
        return MATCH_MAYBE;
      return bool_match (((guint32) packet->tcp_flags & value->flags) == value->flags
                         && ((guint32) packet->tcp_flags & value->clear_flags) == 0);
    case PAL_PROPERTY_CONNECTION_STATE:
      if (packet->state == 0)
        return MATCH_MAYBE;
      return bool_match ((value->flags & packet->state) != 0);
    case PAL_PROPERTY_LISTED_IN:
      if (value->flags != PAL_LIST_TRUSTED)
        return MATCH_MAYBE;   /* the dynamic lists live in the kernel */
      return match_trusted (document, packet);
    default:
      return MATCH_MAYBE;
    }
}

static Match
match_rule (PalDocument     *document,
            PalRule         *rule,
            const PalPacket *packet)
{
  g_autoptr(PalValue) value = pal_value_parse (pal_rule_get_property (rule), pal_rule_get_value (rule), NULL);
  gboolean one_sided = FALSE;
  Match match;

  if (value == NULL)
    return MATCH_MAYBE;
  match = match_property (document, pal_rule_get_property (rule), value, packet, &one_sided);
  if (pal_rule_get_relation (rule) == PAL_RELATION_IS || match == MATCH_MAYBE)
    return match;
  if (one_sided)
    return MATCH_MAYBE;
  return match == MATCH_YES ? MATCH_NO : MATCH_YES;
}

/* ------------------------------------------------------------ the outline */

/* An action's effect: a terminal verdict (End VERDICT), exit, or go on. */
static End
apply_action (PalAction      action,
              PalRule       *rule,
              PalEvaluation *result)
{
  switch (action)
    {
    case PAL_ACTION_PASS:
    case PAL_ACTION_AUTHORIZE:
      result->verdict = PAL_EVAL_PASS;
      break;
    case PAL_ACTION_DROP:
    case PAL_ACTION_TRIGGER:
      result->verdict = PAL_EVAL_DROP;
      break;
    case PAL_ACTION_REJECT:
      result->verdict = PAL_EVAL_REJECT;
      break;
    case PAL_ACTION_RATE_LIMIT:
      /* Drops or not by the rate: not ours to know. */
      result->verdict = PAL_EVAL_UNKNOWN;
      break;
    case PAL_ACTION_EXIT_GROUP:
      return END_EXIT;
    default:
      return END_FELL_OFF;
    }
  result->rule = rule;
  return END_VERDICT;
}

static gboolean
has_enabled_children (PalRule *rule)
{
  GListModel *children = pal_rule_get_children (rule);

  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(PalRule) child = g_list_model_get_item (children, i);

      if (pal_rule_get_enabled (child))
        return TRUE;
    }
  return FALSE;
}

static End walk (PalDocument     *document,
                 GListModel      *rules,
                 const PalPacket *packet,
                 PalEvaluation   *result);

static End
walk_rule (PalDocument     *document,
           PalRule         *rule,
           const PalPacket *packet,
           PalEvaluation   *result)
{
  Match match = match_rule (document, rule, packet);
  End end;

  if (match == MATCH_NO)
    return END_FELL_OFF;
  if (match == MATCH_MAYBE)
    {
      result->verdict = PAL_EVAL_UNKNOWN;
      result->rule = rule;
      return END_VERDICT;
    }
  if (!has_enabled_children (rule))
    return apply_action (pal_rule_get_action (rule), rule, result);
  end = walk (document, pal_rule_get_children (rule), packet, result);
  if (end == END_VERDICT)
    return END_VERDICT;
  /* exit-group among the children skips the parent's own action. */
  if (end == END_EXIT)
    return END_FELL_OFF;
  return apply_action (pal_rule_get_action (rule), rule, result);
}

static End
walk (PalDocument     *document,
      GListModel      *rules,
      const PalPacket *packet,
      PalEvaluation   *result)
{
  for (guint i = 0; i < g_list_model_get_n_items (rules); i++)
    {
      g_autoptr(PalRule) rule = g_list_model_get_item (rules, i);
      End end;

      if (!pal_rule_get_enabled (rule))
        continue;
      end = walk_rule (document, rule, packet, result);
      if (end != END_FELL_OFF)
        return end;
    }
  return END_FELL_OFF;
}

static gboolean
unfiltered (PalDocument     *document,
            const PalPacket *packet)
{
  const char *name = packet->direction == PAL_DIRECTION_OUT ? packet->out_interface : packet->in_interface;
  PalInterfaceConfig *config;

  if (name == NULL)
    return FALSE;
  config = pal_document_lookup_interface (document, name);
  return config != NULL && !pal_interface_config_get_filter (config);
}

static PalEvalVerdict
default_verdict (PalDocument *document)
{
  switch (pal_document_get_default_verdict (document))
    {
    case PAL_VERDICT_PASS:
      return PAL_EVAL_PASS;
    case PAL_VERDICT_REJECT:
      return PAL_EVAL_REJECT;
    case PAL_VERDICT_DROP:
    default:
      return PAL_EVAL_DROP;
    }
}

PalEvaluation
pal_evaluate (PalDocument     *document,
              const PalPacket *packet)
{
  PalEvaluation result = { PAL_EVAL_UNKNOWN, NULL, FALSE };

  g_return_val_if_fail (PAL_IS_DOCUMENT (document), result);
  g_return_val_if_fail (packet != NULL, result);

  if (packet->family != AF_INET && packet->family != AF_INET6)
    return result;
  if (unfiltered (document, packet))
    {
      result.verdict = PAL_EVAL_PASS;
      return result;
    }
  /* An exit-group at the top leaves for the default verdict. */
  if (walk (document, pal_document_get_rules (document), packet, &result) == END_VERDICT)
    return result;
  result.verdict = default_verdict (document);
  result.rule = NULL;
  result.by_default = TRUE;
  return result;
}
